//! The subcommands. Each returns an exit status; messages go to stderr, results to stdout.

pub mod diff;
pub mod doc;
pub mod errors;
pub mod eval;
pub mod fmt;
pub mod git;
pub mod junit;
pub mod lsp;
pub mod new;
pub mod results;
pub mod review;
pub mod serve;
pub mod studio;
pub mod test;
pub mod words;

use std::ffi::OsString;
use std::fs;

use forfait::declaration::encoding::{self, Encoding};
use forfait::diagnostics::Lang;
use forfait::output;
use forfait::record::Evaluated;

use self::results::{out, outln, Printer};
use self::words::{Say, Total};
use forfait::{compile, CompiledRulebook, EvalOptions};

/// `--error-format json`: every message of standard error a JSON object on a line.
static JSON_ERRORS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Set once, by `main`, from `--error-format`.
pub fn set_json_errors(json: bool) {
    JSON_ERRORS.store(json, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn json_errors() -> bool {
    JSON_ERRORS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Prints `say` to standard error, in `lang`: its words, or with `--error-format json`
/// its objects (`errors::json_lines`), one a line.
pub(crate) fn tell(lang: Lang, say: Say<'_>) {
    if json_errors() {
        for line in errors::json_lines(&say, lang) {
            eprintln!("{line}");
        }
    } else {
        eprintln!("{}", say.text(lang));
    }
}

/// The language of every message: `--lang` if the arguments give it (read before clap, so
/// that `--help` is in that language too), else the locale's (`LC_ALL`, `LC_MESSAGES`,
/// `LANG`, as POSIX ranks them), else English. The only place the environment is read
/// for it; the library is given the answer.
pub fn language(args: &[OsString]) -> Lang {
    let mut args = args.iter().skip(1).map(|a| a.to_string_lossy());
    let mut asked = None;
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            asked = args.next().and_then(|value| Lang::from_code(&value));
        } else if let Some(value) = arg.strip_prefix("--lang=") {
            asked = Lang::from_code(value);
        }
    }
    asked.unwrap_or_else(|| {
        let var = |name: &str| std::env::var(name).ok();
        Lang::from_locale(
            var("LC_ALL").as_deref(),
            var("LC_MESSAGES").as_deref(),
            var("LANG").as_deref(),
        )
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Problems = 1,
    Usage = 2,
}

/// A rulebook (or a file beside it: examples, expected results) as text: UTF-8 only.
pub(crate) fn read(path: &str, lang: Lang) -> Result<String, Exit> {
    match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(text),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let error = encoding::rulebook_not_utf8(e.as_bytes(), valid, path);
                tell(lang, Say::Verdict(&error));
                Err(Exit::Usage)
            }
        },
        Err(e) => {
            tell(lang, Say::CannotRead { path, error: &e });
            Err(Exit::Usage)
        }
    }
}

/// A declaration file read whole, as text: a byte order mark or `--encoding` says how it
/// is encoded, else it must be UTF-8 (the error says what it looks like).
pub(crate) fn read_declarations(
    path: &str,
    asked: Option<Encoding>,
    lang: Lang,
) -> Result<String, Exit> {
    match fs::read(path) {
        Ok(bytes) => match encoding::decode(&bytes, asked, path) {
            Ok(text) => Ok(text),
            Err(error) => {
                tell(lang, Say::Verdict(&error));
                Err(Exit::Usage)
            }
        },
        Err(e) => {
            tell(lang, Say::CannotRead { path, error: &e });
            Err(Exit::Usage)
        }
    }
}

/// Compiles a rulebook, printing its diagnostics (warnings too) to stderr.
pub(crate) fn load(path: &str, json: bool, lang: Lang) -> Result<CompiledRulebook, Exit> {
    let json_errors = json || json_errors();
    let source = read(path, lang)?;
    match compile(path, &source) {
        Ok(compiled) => {
            if !compiled.warnings.diagnostics.is_empty() {
                eprint!("{}", render(&compiled.warnings, json_errors, lang));
            }
            Ok(compiled.rulebook)
        }
        Err(report) => {
            eprint!("{}", render(&report, json_errors, lang));
            tell(
                lang,
                Say::NothingEvaluated {
                    path,
                    errors: report.error_count(),
                },
            );
            Err(Exit::Problems)
        }
    }
}

/// A report's diagnostics for standard error: miette's, or one JSON object a line.
pub(crate) fn render(report: &forfait::Report, json: bool, lang: Lang) -> String {
    if json || json_errors() {
        errors::diagnostics(report, lang)
    } else {
        report.render_human_in(lang)
    }
}

pub fn check(paths: &[String], json_errors: bool, lang: Lang) -> Exit {
    let mut printer = Printer::new(lang);
    let mut worst = Exit::Ok;
    let mut json_reports = Vec::new();
    let files = fmt::rulebook_files(paths);
    if files.is_empty() {
        tell(
            lang,
            Say::NoRulebook {
                paths: &paths.join(", "),
            },
        );
        return Exit::Usage;
    }
    for path in &files {
        let source = match read(path, lang) {
            Ok(s) => s,
            Err(e) => {
                worst = e;
                continue;
            }
        };
        let (report, summary) = match compile(path, &source) {
            Ok(compiled) => {
                let rb = &compiled.rulebook;
                let totals: Vec<Total<'_>> = rb
                    .stated_totals
                    .iter()
                    .map(|t| Total {
                        label: &t.label,
                        amount: t.amount,
                        points: t.unit == forfait::model::AmountUnit::Points,
                    })
                    .collect();
                let summary = Say::CheckOk {
                    path,
                    indicators: rb.indicators.len(),
                    groups: rb.groups.len(),
                    payment_lines: rb.payments.len(),
                    totals: &totals,
                    warnings: compiled.warnings.warning_count(),
                }
                .text(lang);
                (compiled.warnings, summary)
            }
            Err(report) => {
                worst = Exit::Problems;
                let summary = Say::CheckFailed {
                    path,
                    errors: report.error_count(),
                    warnings: report.warning_count(),
                }
                .text(lang);
                (report, summary)
            }
        };
        if json_errors {
            json_reports.push(report.render_json_in(lang));
        } else {
            eprint!("{}", report.render_human_in(lang));
            eprintln!("{summary}");
        }
    }
    if json_errors {
        outln!(printer, "[{}]", json_reports.join(","));
    }
    printer.finish(worst)
}

pub fn explain(
    rulebook_path: &str,
    declaration_path: &str,
    id: Option<&str>,
    map: Option<&str>,
    encoding: Option<Encoding>,
    lang: Lang,
) -> Exit {
    let rulebook = match load(rulebook_path, false, lang) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let mapping = match eval::read_mapping(&rulebook, rulebook_path, map, lang) {
        Ok(m) => m,
        Err(e) => return e,
    };
    let text = match read_declarations(declaration_path, encoding, lang) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let options = forfait::declaration::ReadOptions {
        mapping: mapping.map(std::sync::Arc::new),
        ..Default::default()
    };
    let format = forfait::declaration::InputFormat::from_path(declaration_path);
    let records: Vec<Evaluated> =
        forfait::declaration::read_str(&rulebook, declaration_path, &text, format, options)
            .into_iter()
            .map(|r| {
                forfait::evaluate_record(&rulebook, declaration_path, r, EvalOptions::default())
            })
            .collect();
    let mut printer = Printer::new(lang);
    let mut shown = 0;
    let mut exit = Exit::Ok;
    for record in &records {
        match record {
            Evaluated::Outcome { outcome, .. } => {
                if id.is_some_and(|id| id != outcome.declaration_id) {
                    continue;
                }
                if shown > 0 {
                    outln!(printer);
                }
                out!(printer, "{}", output::explain::render(&rulebook, outcome));
                shown += 1;
            }
            Evaluated::Rejected(r) => {
                if id.is_none() || r.id.as_deref() == id {
                    tell(lang, Say::Rejected(r));
                    exit = Exit::Problems;
                    shown += 1;
                }
            }
        }
    }
    if let (0, Some(id)) = (shown, id) {
        tell(
            lang,
            Say::NoSuchId {
                id,
                path: declaration_path,
            },
        );
        return printer.finish(Exit::Usage);
    }
    printer.finish(exit)
}

pub fn matrix(
    situations_path: &str,
    rulebook_paths: &[String],
    json: bool,
    encoding: Option<Encoding>,
    lang: Lang,
) -> Exit {
    let mut rulebooks = Vec::new();
    for path in rulebook_paths {
        match load(path, false, lang) {
            Ok(r) => rulebooks.push(r),
            Err(e) => return e,
        }
    }
    let text = match read_declarations(situations_path, encoding, lang) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let matrix = forfait::matrix::build(&rulebooks, situations_path, &text);
    let mut printer = Printer::new(lang);
    if json {
        outln!(printer, "{}", output::matrix::json(&rulebooks, &matrix));
    } else {
        out!(printer, "{}", output::matrix::markdown(&rulebooks, &matrix));
    }
    printer.finish(Exit::Ok)
}

pub fn schema(rulebook_path: &str, lang: Lang) -> Exit {
    match load(rulebook_path, false, lang) {
        Ok(rulebook) => {
            let mut printer = Printer::new(lang);
            outln!(printer, "{}", output::schema::render(&rulebook));
            printer.finish(Exit::Ok)
        }
        Err(e) => e,
    }
}
