//! `forfait eval`: declaration files of any size, streamed, evaluated on every core, written
//! in input order; a summary of what was read, evaluated, rejected and paid on stderr.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use forfait::batch::{self, BatchError, BatchFormat, BatchOptions, Source, Summary};
use forfait::declaration::encoding::{decoding_reader, Encoding, Failure};
use forfait::declaration::mapping::{self, Mapping};
use forfait::declaration::{InputFormat, ReadOptions};
use forfait::diagnostics::Lang;
use forfait::output::columns::{self, Columns};
use forfait::output::csv::CsvStyle;

use super::results::{write_failure, OutputFile};
use super::words::{progress_template, Say};
use super::{load, tell, Exit};

pub struct EvalArgs<'a> {
    pub rulebook: &'a str,
    pub declarations: &'a [String],
    pub format: BatchFormat,
    pub input_format: Option<InputFormat>,
    pub output: Option<&'a str>,
    /// `--columns`, as written.
    pub columns: Option<&'a str>,
    pub jobs: Option<usize>,
    pub strict: bool,
    pub delimiter: Option<u8>,
    pub encoding: Option<Encoding>,
    /// `--map`: the mapping file (else `X.map.toml` beside the rulebook, when there is one).
    pub map: Option<&'a str>,
    pub ignore_unknown_columns: bool,
    /// How CSV results are laid out (`--excel`, `--output-delimiter`, `--decimal-comma`).
    pub csv_style: CsvStyle,
    /// `--quiet`: no summary, only errors.
    pub quiet: bool,
    pub json_errors: bool,
    pub lang: Lang,
}

/// Counts the bytes read, for the progress bar's ETA.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

pub fn eval(args: EvalArgs<'_>) -> Exit {
    let lang = args.lang;
    let rulebook = match load(args.rulebook, args.json_errors, lang) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let columns = match args.columns {
        None => None,
        Some(_) if !matches!(args.format, BatchFormat::Csv | BatchFormat::JsonLines) => {
            tell(lang, Say::ColumnsFormat);
            return Exit::Usage;
        }
        Some(list) => match Columns::parse(&rulebook, list) {
            Ok(columns) => Some(columns),
            Err(error) => {
                let all = Columns::all(&rulebook);
                let names: Vec<String> = all.iter().map(|c| columns::name(&rulebook, c)).collect();
                tell(
                    lang,
                    Say::BadColumns {
                        error: &error,
                        columns: &names.join(","),
                    },
                );
                return Exit::Usage;
            }
        },
    };
    let mapping = match read_mapping(&rulebook, args.rulebook, args.map, lang) {
        Ok(m) => m,
        Err(e) => return e,
    };
    let bytes_read = Arc::new(AtomicU64::new(0));
    let mut total_bytes = 0u64;
    let mut sources = Vec::new();
    let mut failures: Vec<Failure> = Vec::new();
    for path in args.declarations {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                tell(lang, Say::CannotRead { path, error: &e });
                return Exit::Usage;
            }
        };
        total_bytes += file.metadata().map_or(0, |m| m.len());
        let counting = Counting {
            inner: file,
            count: Arc::clone(&bytes_read),
        };
        // The readers only ever see UTF-8: transcoded, or checked as it streams.
        let decoded = decoding_reader(
            BufReader::with_capacity(1 << 16, counting),
            args.encoding,
            path,
        );
        failures.push(decoded.failure());
        sources.push(Source {
            name: path.clone(),
            input: Box::new(decoded) as Box<dyn BufRead + Send>,
            format: args
                .input_format
                .unwrap_or_else(|| InputFormat::from_path(path)),
        });
    }
    let jobs = match jobs(args.jobs, lang) {
        Ok(j) => j,
        Err(e) => return e,
    };
    let options = BatchOptions {
        format: args.format,
        columns,
        jobs,
        strict: args.strict,
        csv_style: args.csv_style,
        ..BatchOptions::default()
    };
    let read_options = ReadOptions {
        delimiter: args.delimiter,
        ignore_unknown_fields: args.ignore_unknown_columns,
        mapping: mapping.map(Arc::new),
    };

    // A progress bar only for a person watching: stderr is a terminal, results do not go to
    // that same terminal, and this is not CI.
    let results_on_terminal = args.output.is_none() && io::stdout().is_terminal();
    let show_progress =
        io::stderr().is_terminal() && !results_on_terminal && std::env::var_os("CI").is_none();
    let bar = show_progress.then(|| {
        let bar = indicatif::ProgressBar::new(total_bytes);
        bar.set_style(
            indicatif::ProgressStyle::with_template(progress_template(lang))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let started = std::time::Instant::now();
    let mut progress = |rows: u64| {
        if let Some(bar) = &bar {
            bar.set_position(bytes_read.load(Ordering::Relaxed));
            let millis = started.elapsed().as_millis().max(1);
            bar.set_message(
                Say::Progress {
                    rows,
                    per_second: u128::from(rows) * 1000 / millis,
                }
                .text(lang),
            );
        }
    };

    // The output file is checked and opened before anything is read: an output that is
    // one of the inputs is refused, and the results go to a temporary file until complete.
    let inputs: Vec<&str> = args.declarations.iter().map(String::as_str).collect();
    let mut file = match args.output {
        Some(path) => match OutputFile::create(path, &inputs, lang) {
            Ok(f) => Some(f),
            Err(e) => return e,
        },
        None => None,
    };
    let result = {
        let sink: Box<dyn Write + '_> = match &mut file {
            Some(f) => Box::new(f),
            None => Box::new(io::stdout().lock()),
        };
        let mut writer = BufWriter::with_capacity(1 << 16, sink);
        batch::run_in(
            &rulebook,
            sources,
            read_options,
            &mut writer,
            options,
            &mut progress,
            lang,
        )
        .and_then(|summary| writer.flush().map(|()| summary).map_err(BatchError::Write))
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let standard_output = Say::StandardOutput.text(lang);
    let target = args.output.unwrap_or(&standard_output);
    // A file that is not text in its encoding is refused whole: its read failed at the first
    // bad byte (the batch stopped there, as at any read error), and no result of the batch
    // stands (the output file is not written). Its verdict says it better than the read
    // error that carries it.
    if let Some(error) = failures.iter().find_map(Failure::get) {
        tell(lang, Say::Verdict(error));
        if let Some(file) = file {
            file.abandon();
        }
        return Exit::Usage;
    }
    let summary = match (result, file) {
        (Ok(summary), None) => summary,
        (Ok(summary), Some(file)) => match file.commit() {
            Ok(()) => summary,
            Err(e) => {
                tell(lang, Say::NotCompleted { target, error: &e });
                return Exit::Usage;
            }
        },
        (Err(BatchError::Write(e)), file) => {
            let exit = write_failure(target, &e, Exit::Ok, lang);
            if let Some(file) = file {
                file.abandon();
            }
            return exit;
        }
        // An input that cannot be read on is no rejected row: the batch stops, and a
        // `--output` file is not written (its partial results are removed).
        (Err(BatchError::Read(e)), file) => {
            tell(lang, Say::ReadFailed(&e));
            if let Some(file) = file {
                file.abandon();
            }
            return Exit::Usage;
        }
    };
    if !args.quiet {
        print_summary(&rulebook, &summary, args.json_errors, lang);
    }
    if summary.rejected > 0 {
        Exit::Problems
    } else {
        Exit::Ok
    }
}

/// How many threads evaluate: `--jobs`, at most the machine's cores (more would only take
/// memory: each worker holds pieces of the file), by default all of them.
fn jobs(asked: Option<usize>, lang: Lang) -> Result<usize, Exit> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    match asked {
        None => Ok(cores),
        Some(0) => {
            tell(lang, Say::JobsZero);
            Err(Exit::Usage)
        }
        Some(n) if n > cores => {
            tell(lang, Say::JobsCapped { asked: n, cores });
            Ok(cores)
        }
        Some(n) => Ok(n),
    }
}

/// The mapping file: `--map`'s, else the one beside the rulebook if there is one, else
/// none. Its problems are printed (each at its line) and stop the run before anything is
/// read.
pub(crate) fn read_mapping(
    rulebook: &forfait::CompiledRulebook,
    rulebook_path: &str,
    asked: Option<&str>,
    lang: Lang,
) -> Result<Option<Mapping>, Exit> {
    let beside = mapping::beside(rulebook_path);
    let path = match asked {
        Some(path) => path,
        None if std::path::Path::new(&beside).is_file() => &beside,
        None => return Ok(None),
    };
    let text = super::read(path, lang)?;
    match Mapping::read(&text, rulebook) {
        Ok(mapping) => Ok(Some(mapping)),
        Err(errors) => {
            for error in &errors {
                tell(lang, Say::Mapping { path, error });
            }
            Err(Exit::Usage)
        }
    }
}

/// The rejections of a batch by code and field, the commonest first (at most ten).
fn rejection_reasons(summary: &Summary) -> Vec<(forfait::declaration::Code, Option<&str>, u64)> {
    let mut by: Vec<_> = summary
        .rejections
        .iter()
        .filter_map(|((code, field), n)| {
            let code = forfait::declaration::Code::ALL
                .into_iter()
                .find(|c| c.as_str() == *code)?;
            Some((code, field.as_deref(), *n))
        })
        .collect();
    by.sort_by_key(|r| std::cmp::Reverse(r.2));
    by.truncate(10);
    by
}

fn print_summary(rulebook: &forfait::CompiledRulebook, summary: &Summary, json: bool, lang: Lang) {
    let mut err = io::stderr().lock();
    let read = Say::Read {
        read: summary.read,
        evaluated: summary.evaluated,
        rejected: summary.rejected,
        stopped_early: summary.stopped_early,
    };
    if json {
        let _ = writeln!(err, "{}", super::errors::summary(&read.text(lang), summary));
        return;
    }
    let _ = writeln!(err, "{}", read.text(lang));
    if summary.rejected > 0 {
        let by = rejection_reasons(summary);
        let rejections = Say::Rejections {
            rejected: summary.rejected,
            by: &by,
        };
        let _ = writeln!(err, "{}", rejections.text(lang));
    }
    if summary.evaluated > 0 {
        let lines: Vec<(&str, rust_decimal::Decimal)> = rulebook
            .payments
            .iter()
            .zip(&summary.paid_per_line)
            .map(|(p, paid)| (rulebook.target_name(p.owner), *paid))
            .collect();
        let paid = Say::Paid {
            total: summary.total_euros,
            lines: &lines,
        };
        let _ = writeln!(err, "{}", paid.text(lang));
    }
    if summary.rejected > 0 {
        let _ = writeln!(err, "{}", Say::RejectedInOutput.text(lang));
    }
}
