//! The `forfait` command line: the only place that reads arguments and files, prints, and
//! chooses an exit code (0 ok, 1 problems found, 2 usage or I/O error).

mod cli;

/// Batches allocate a little per row on several threads; mimalloc does that much faster than
/// the system allocator (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use forfait::batch::BatchFormat;
use forfait::declaration::encoding::Encoding;
use forfait::declaration::InputFormat;
use forfait::diagnostics::Lang;

use cli::words::help;

/// Check and run rulebooks of the health-insurance fund's flat-rate incentive schemes.
#[derive(Parser)]
#[command(name = "forfait", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of the messages: fr or en (default: the locale's, from LC_ALL, LC_MESSAGES,
    /// LANG; else English)
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    /// How to print errors on standard error: human, or json (one object a line, the same
    /// shape for diagnostics, declaration and file errors; docs/output-json.md)
    #[arg(long, global = true, value_enum, default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Fr,
}

#[derive(Subcommand)]
enum Command {
    /// Check rulebooks: syntax, names, types, gating, stated totals
    Check {
        /// Rulebook files (.forfait), or folders to search for them
        #[arg(required = true)]
        rulebooks: Vec<String>,
    },
    /// Evaluate declaration files (JSON object or array, or CSV) against a rulebook
    Eval {
        /// The rulebook (.forfait)
        rulebook: String,
        /// Declaration files: .csv, .jsonl or .ndjson (one object a line; both streamed), or
        /// .json (an object or an array of objects)
        #[arg(required = true)]
        declarations: Vec<String>,
        /// Output format [default: by --output's extension (.csv, .jsonl, .ndjson, .json),
        /// else text]
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write the results to this file instead of standard output
        #[arg(long)]
        output: Option<String>,
        /// Only these columns of the result row, comma-separated, as its CSV header names
        /// them (`id,total_euros`); CSV and JSON lines only
        #[arg(long, value_name = "COLUMNS")]
        columns: Option<String>,
        /// Threads evaluating (default: every core); the output is the same whatever N
        #[arg(long)]
        jobs: Option<usize>,
        /// Stop at the first rejected declaration (exit 1)
        #[arg(long)]
        strict: bool,
        /// How to read the declaration files (default: by extension)
        #[arg(long, value_enum)]
        input_format: Option<InputFormatArg>,
        /// CSV separator (default: `;` when the header has `;` and no `,`, else `,`)
        #[arg(long)]
        delimiter: Option<char>,
        /// How the declaration files are encoded when they do not start with a byte order
        /// mark: utf-8 (the default), windows-1252 (French Excel's "CSV (séparateur :
        /// point-virgule)"; also cp1252, latin-1, iso-8859-1), utf-16, utf-16le, utf-16be
        #[arg(long, value_parser = encoding_arg, value_name = "ENCODING")]
        encoding: Option<Encoding>,
        /// A mapping file (TOML) renaming the file's columns and values to the rulebook's
        /// names, and listing columns to ignore [default: X.map.toml beside X.forfait, if
        /// there is one]
        #[arg(long, value_name = "FILE")]
        map: Option<String>,
        /// Skip the columns (JSON keys) the rulebook does not know instead of rejecting
        /// the file
        #[arg(long)]
        ignore_unknown_columns: bool,
        /// CSV results as French Excel opens them: `;`, decimal commas, CRLF, a byte order
        /// mark (--output-delimiter ';' --decimal-comma, and the rest)
        #[arg(long)]
        excel: bool,
        /// The separator of CSV results: , ; | or tab (default: `,`; `;` with --excel)
        #[arg(long, value_name = "CHAR")]
        output_delimiter: Option<char>,
        /// Amounts of CSV results with a decimal comma (`1440,00`)
        #[arg(long)]
        decimal_comma: bool,
        /// Print nothing on standard error but errors (no summary)
        #[arg(long, short)]
        quiet: bool,
    },
    /// Explain one declaration's amount as a tree of rules, citing the guide
    Explain {
        /// The rulebook (.forfait)
        rulebook: String,
        /// A declaration file
        declaration: String,
        /// Explain only the declaration with this id (default: every declaration in the file)
        #[arg(long)]
        id: Option<String>,
        /// A mapping file (TOML) renaming the file's columns and values to the rulebook's
        /// names [default: X.map.toml beside X.forfait, if there is one]
        #[arg(long, value_name = "FILE")]
        map: Option<String>,
        /// How the declaration files are encoded when they do not start with a byte order
        /// mark: utf-8 (the default), windows-1252 (French Excel's "CSV (séparateur :
        /// point-virgule)"; also cp1252, latin-1, iso-8859-1), utf-16, utf-16le, utf-16be
        #[arg(long, value_parser = encoding_arg, value_name = "ENCODING")]
        encoding: Option<Encoding>,
    },
    /// Run one set of situations through several rulebooks: a table, one column per year
    Matrix {
        /// Declarations describing the situations (JSON or CSV); fields a rulebook does not
        /// know are skipped
        situations: String,
        /// Rulebooks (.forfait); those that cover none of the situations are left out
        #[arg(required = true)]
        rulebooks: Vec<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = MatrixFormat::Markdown)]
        format: MatrixFormat,
        /// How the declaration files are encoded when they do not start with a byte order
        /// mark: utf-8 (the default), windows-1252 (French Excel's "CSV (séparateur :
        /// point-virgule)"; also cp1252, latin-1, iso-8859-1), utf-16, utf-16le, utf-16be
        #[arg(long, value_parser = encoding_arg, value_name = "ENCODING")]
        encoding: Option<Encoding>,
    },
    /// Rewrite rulebooks in the canonical layout (comments and quoted texts kept exactly)
    Fmt {
        /// Rulebook files (.forfait), or folders to search for them
        #[arg(required = true)]
        paths: Vec<String>,
        /// Change nothing; print the changes and exit 1 if a file is not canonical
        #[arg(long)]
        check: bool,
    },
    /// Run the test cases kept beside rulebooks (X.examples/expected.csv)
    Test {
        /// Rulebooks, or folders to search for them (default: rulebooks)
        paths: Vec<String>,
        /// Also report which indicators, branches, gates and amounts no case exercises
        #[arg(long)]
        coverage: bool,
        /// Fail each rulebook whose cases exercise less than N % of its items (0 to 100;
        /// the figure is shown, --coverage also lists what is not exercised)
        #[arg(long, value_name = "N")]
        min: Option<String>,
        /// After a deliberate change of the rules: write the actual totals and statuses
        /// into expected.csv (and add the case files it does not list), and say what changed
        #[arg(long)]
        accept: bool,
        /// Report format [default: junit when --output ends in .xml, else text]
        #[arg(long, value_enum)]
        format: Option<TestFormat>,
        /// Write the report to this file instead of standard output (whole or not at all;
        /// with junit, the text report stays on standard output)
        #[arg(long)]
        output: Option<String>,
    },
    /// Compare two rulebooks rule by rule: a changelog for a pull request and, with
    /// --impact, who gains or loses and which rule change moved each amount
    Diff {
        /// The old rulebook: a file, or REV:PATH read with `git show` (main:rulebooks/x.forfait)
        old: String,
        /// The new rulebook: a file, or REV:PATH
        new: String,
        /// Declaration files (JSON or CSV) to run both rulebooks over; fields a rulebook does
        /// not know are skipped
        #[arg(long, num_args = 1.., value_name = "DECLARATIONS")]
        impact: Vec<String>,
        /// Only what concerns this profession (its name in the header: masseur_kinesitherapeute):
        /// the rules, amounts, inputs and totals that can apply to it, and its declarations
        #[arg(long, value_name = "PROFESSION")]
        profession: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
        format: DiffFormat,
        /// How the declaration files are encoded when they do not start with a byte order
        /// mark: utf-8 (the default), windows-1252 (French Excel's "CSV (séparateur :
        /// point-virgule)"; also cp1252, latin-1, iso-8859-1), utf-16, utf-16le, utf-16be
        #[arg(long, value_parser = encoding_arg, value_name = "ENCODING")]
        encoding: Option<Encoding>,
    },
    /// One Markdown comment for a pull request: for every rulebook changed between two git
    /// revisions, the changelog, the impact and the results of its examples at HEAD
    Review {
        /// The revision the pull request starts from (main, origin/main, a commit)
        base: String,
        /// The revision it proposes (HEAD, a branch, a commit)
        head: String,
        /// Declaration files (JSON or CSV, read from the working copy) to run both sides of
        /// each changed rulebook over; fields a rulebook does not know are skipped
        #[arg(long, num_args = 1.., value_name = "DECLARATIONS")]
        impact: Vec<String>,
        /// How the declaration files are encoded when they do not start with a byte order
        /// mark: utf-8 (the default), windows-1252, utf-16, utf-16le, utf-16be
        #[arg(long, value_parser = encoding_arg, value_name = "ENCODING")]
        encoding: Option<Encoding>,
        /// Write the comment to this file instead of standard output
        #[arg(long)]
        output: Option<String>,
    },
    /// Write a rulebook's documentation page, in French (the guide's table, every rule worded)
    Doc {
        /// The rulebook (.forfait)
        rulebook: String,
        /// Only what concerns this profession (its name in the header: masseur_kinesitherapeute)
        #[arg(long, value_name = "PROFESSION")]
        profession: Option<String>,
        /// Page format
        #[arg(long, value_enum, default_value_t = DocFormat::Html)]
        format: DocFormat,
        /// Write the page to this file instead of standard output
        #[arg(long)]
        output: Option<String>,
    },
    /// Start next year's rulebook from this year's: the header moved on, the examples
    /// copied, and every date, year and addendum number of its texts listed for review
    New {
        /// This year's rulebook (.forfait); the new one is written beside it, the year of its
        /// file name moved on
        #[arg(long, value_name = "RULEBOOK")]
        from: String,
        /// The new exercice (the payment year moves on with it)
        #[arg(long, value_name = "YEAR")]
        exercice: u16,
    },
    /// Print the JSON Schema of a rulebook's declarations
    Schema {
        /// The rulebook (.forfait)
        rulebook: String,
    },
    /// Serve editors over standard input and output (Language Server Protocol; docs/editors.md)
    Lsp,
    /// Edit, check, simulate and compare the rulebooks of a folder in a browser, in French
    /// (a local web application; docs/studio.md)
    Studio {
        /// The folder of rulebooks (default: rulebooks)
        folder: Option<String>,
        /// The port to listen on, on 127.0.0.1 only (default: a free one)
        #[arg(long, default_value_t = 0, hide_default_value = true)]
        port: u16,
        /// Do not open a browser; only print the address
        #[arg(long)]
        no_browser: bool,
    },
    /// Serve the rulebooks of a folder over HTTP: evaluate, explain, check, schema, with a
    /// decision log (docs/serve.md)
    Serve {
        /// The folder of rulebooks, read again when a file changes (default: rulebooks)
        #[arg(default_value = "rulebooks")]
        folder: String,
        /// The address to listen on (port 0: a free one, printed at start)
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Append one JSON line per decision to this file
        #[arg(long, value_name = "FILE")]
        decision_log: Option<String>,
        /// The largest request body, in bytes (larger: 413)
        #[arg(long, value_name = "BYTES", default_value_t = 2 * 1024 * 1024)]
        max_body: usize,
        /// The longest a request may take, in seconds, its body included (longer: 408)
        #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One explained line per indicator, for a terminal
    Text,
    /// The stable machine contract (docs/output-json.md): one JSON array
    Json,
    /// The same objects, one a line
    Jsonl,
    /// A row per declaration, a column per indicator and payment
    Csv,
}

impl Format {
    /// Without `--format`: what the output file's name says (an integrator writing
    /// `--output results.csv` expects CSV), else the explanation for a terminal.
    fn for_output(output: Option<&str>) -> Format {
        let name = output.unwrap_or_default().to_ascii_lowercase();
        if name.ends_with(".csv") {
            Format::Csv
        } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
            Format::Jsonl
        } else if name.ends_with(".json") {
            Format::Json
        } else {
            Format::Text
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TestFormat {
    /// What each case expected and got, for a person
    Text,
    /// JUnit XML for a CI server: a testsuite per rulebook, a testcase per example
    Junit,
}

impl TestFormat {
    /// Without `--format`: JUnit for an `--output` ending in `.xml`, else text.
    fn for_output(output: Option<&str>) -> TestFormat {
        if output.is_some_and(|o| o.to_ascii_lowercase().ends_with(".xml")) {
            TestFormat::Junit
        } else {
            TestFormat::Text
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum InputFormatArg {
    Json,
    Jsonl,
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MatrixFormat {
    /// A Markdown table, ready to paste in a pull request
    Markdown,
    /// JSON
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// A changelog in French, ready to paste in a pull request
    Markdown,
    /// The changes (and the impact) as JSON (docs/review.md)
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    /// One self-contained HTML file (inline CSS, nothing to load), printable
    Html,
    /// Markdown
    Markdown,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ErrorFormat {
    Human,
    Json,
}

/// `--encoding`'s value.
fn encoding_arg(label: &str) -> Result<Encoding, String> {
    Encoding::from_label(label).ok_or_else(|| format!("expected one of: {}", Encoding::LABELS))
}

/// The command line, its descriptions (`--help`) in `lang`.
fn command(lang: Lang) -> clap::Command {
    let command = Cli::command();
    match lang {
        Lang::En => command,
        // The derive's value parsers are swapped for ones that carry French descriptions
        // and read the same values into the same types.
        Lang::Fr => help::french(command.mut_subcommands(|sub| {
            let name = sub.get_name().to_string();
            sub.mut_args(|arg| match (name.as_str(), arg.get_id().as_str()) {
                ("eval", "format") => help::with_french_values::<Format>("eval", arg),
                ("matrix", "format") => help::with_french_values::<MatrixFormat>("matrix", arg),
                ("diff", "format") => help::with_french_values::<DiffFormat>("diff", arg),
                ("doc", "format") => help::with_french_values::<DocFormat>("doc", arg),
                ("test", "format") => help::with_french_values::<TestFormat>("test", arg),
                _ => arg,
            })
        })),
    }
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = cli::language(&args);
    let matches = match command(lang).try_get_matches_from(&args) {
        Ok(matches) => matches,
        // A usage error in the JSON shape when `--error-format json` was asked for (read
        // before clap, as `--lang`); help, version and the rest as clap prints them.
        Err(e) if cli::errors::asked_for_json(&args) && e.use_stderr() => {
            cli::errors::usage(&e.render().to_string());
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // `--lang` was read before clap (for `--help`); clap has checked it since.
    let lang = match cli.lang {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Fr) => Lang::Fr,
        None => lang,
    };
    // The studio and the service stop on Ctrl-C as a server does (exit 0); the other commands remove
    // what they had half written.
    if !matches!(cli.command, Command::Studio { .. } | Command::Serve { .. }) {
        cli::results::remove_partial_outputs_on_interrupt(lang);
    }
    let json_errors = cli.error_format == ErrorFormat::Json;
    cli::set_json_errors(json_errors);
    let outcome = match cli.command {
        Command::Check { rulebooks } => cli::check(&rulebooks, json_errors, lang),
        Command::Eval {
            rulebook,
            declarations,
            format,
            output,
            columns,
            jobs,
            strict,
            input_format,
            delimiter,
            encoding,
            map,
            ignore_unknown_columns,
            excel,
            output_delimiter,
            decimal_comma,
            quiet,
        } => {
            let delimiter = match delimiter.map(u8::try_from) {
                None => None,
                Some(Ok(d)) => Some(d),
                Some(Err(_)) => {
                    cli::tell(lang, cli::words::Say::DelimiterNotAscii);
                    return ExitCode::from(2);
                }
            };
            let mut csv_style = match excel {
                true => forfait::output::csv::CsvStyle::EXCEL,
                false => forfait::output::csv::CsvStyle::default(),
            };
            csv_style.decimal_comma |= decimal_comma;
            match output_delimiter.map(u8::try_from) {
                None => {}
                Some(Ok(d)) if forfait::output::csv::CsvStyle::allows(d) => csv_style.delimiter = d,
                Some(_) => {
                    cli::tell(lang, cli::words::Say::OutputDelimiter);
                    return ExitCode::from(2);
                }
            }
            cli::eval::eval(cli::eval::EvalArgs {
                rulebook: &rulebook,
                declarations: &declarations,
                format: match format.unwrap_or_else(|| Format::for_output(output.as_deref())) {
                    Format::Text => BatchFormat::Text,
                    Format::Json => BatchFormat::Json,
                    Format::Jsonl => BatchFormat::JsonLines,
                    Format::Csv => BatchFormat::Csv,
                },
                input_format: input_format.map(|f| match f {
                    InputFormatArg::Json => InputFormat::Json,
                    InputFormatArg::Jsonl => InputFormat::JsonLines,
                    InputFormatArg::Csv => InputFormat::Csv,
                }),
                output: output.as_deref(),
                columns: columns.as_deref(),
                jobs,
                strict,
                delimiter,
                encoding,
                map: map.as_deref(),
                ignore_unknown_columns,
                csv_style,
                quiet,
                json_errors,
                lang,
            })
        }
        Command::Explain {
            rulebook,
            declaration,
            id,
            map,
            encoding,
        } => cli::explain(
            &rulebook,
            &declaration,
            id.as_deref(),
            map.as_deref(),
            encoding,
            lang,
        ),
        Command::Matrix {
            situations,
            rulebooks,
            format,
            encoding,
        } => cli::matrix(
            &situations,
            &rulebooks,
            format == MatrixFormat::Json,
            encoding,
            lang,
        ),
        Command::Fmt { paths, check } => cli::fmt::fmt(&paths, check, lang),
        Command::Test {
            paths,
            coverage,
            min,
            accept,
            format,
            output,
        } => cli::test::test(cli::test::TestArgs {
            paths: &paths,
            coverage,
            min: min.as_deref(),
            accept,
            junit: format.unwrap_or_else(|| TestFormat::for_output(output.as_deref()))
                == TestFormat::Junit,
            output: output.as_deref(),
            lang,
        }),
        Command::Diff {
            old,
            new,
            impact,
            profession,
            format,
            encoding,
        } => cli::diff::diff(
            &old,
            &new,
            &impact,
            profession.as_deref(),
            format == DiffFormat::Json,
            encoding,
            lang,
        ),
        Command::Review {
            base,
            head,
            impact,
            encoding,
            output,
        } => cli::review::review(cli::review::ReviewArgs {
            base: &base,
            head: &head,
            impact: &impact,
            encoding,
            output: output.as_deref(),
            lang,
        }),
        Command::Doc {
            rulebook,
            profession,
            format,
            output,
        } => cli::doc::doc(
            &rulebook,
            profession.as_deref(),
            format == DocFormat::Html,
            output.as_deref(),
            lang,
        ),
        Command::New { from, exercice } => cli::new::new(&from, exercice, lang),
        Command::Schema { rulebook } => cli::schema(&rulebook, lang),
        Command::Lsp => cli::lsp::lsp(lang),
        Command::Studio {
            folder,
            port,
            no_browser,
        } => cli::studio::studio(cli::studio::StudioArgs {
            folder: folder.as_deref(),
            port,
            no_browser,
            lang,
            // The page is French: so is what the API says, unless `--lang en` was given.
            api_lang: match cli.lang {
                Some(LangArg::En) => Lang::En,
                _ => Lang::Fr,
            },
        }),
        Command::Serve {
            folder,
            addr,
            decision_log,
            max_body,
            timeout,
        } => cli::serve::serve(cli::serve::ServeArgs {
            folder: &folder,
            addr: &addr,
            decision_log: decision_log.as_deref(),
            max_body,
            timeout: std::time::Duration::from_secs(timeout),
            lang,
        }),
    };
    ExitCode::from(outcome as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command, argument and documented value has a French description, and the
    /// French command line reads arguments exactly as the English one.
    #[test]
    fn every_command_and_option_has_a_french_description() {
        let mut english = command(Lang::En);
        english.build();
        let mut missing = Vec::new();
        let mut check = |command: Option<&str>, cmd: &clap::Command| {
            if cmd.get_about().is_some() && help::description(command, None).is_none() {
                missing.push(format!("{command:?}"));
            }
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if help::description(command, Some(id)).is_none() {
                    missing.push(format!("{command:?} {id}"));
                }
                for value in arg.get_possible_values() {
                    let documented = value.get_help().is_some();
                    let name = value.get_name();
                    let french = command.and_then(|c| help::value(c, id, name));
                    if documented && french.is_none() {
                        missing.push(format!("{command:?} {id} {name}"));
                    }
                }
            }
        };
        check(None, &english);
        for sub in english.get_subcommands() {
            check(Some(sub.get_name()), sub);
        }
        assert!(missing.is_empty(), "no French description: {missing:?}");
    }

    #[test]
    fn french_help_is_french_and_reads_the_same_arguments() {
        let mut french = command(Lang::Fr);
        french.build();
        for sub in french.get_subcommands_mut() {
            let help = sub.render_help().to_string();
            assert!(help.contains("Utilisation\u{a0}:"), "{help}");
            assert!(!help.contains("Print help"), "{help}");
        }
        let names: Vec<String> = command(Lang::Fr)
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            // `help --help` is no request for help, in English either.
            .filter(|name| name != "help")
            .collect();
        for name in names {
            let asked = command(Lang::Fr).try_get_matches_from(["forfait", &name, "--help"]);
            let kind = asked.err().map(|e| e.kind());
            assert_eq!(
                kind,
                Some(clap::error::ErrorKind::DisplayHelp),
                "{name} --help"
            );
        }
        let args = [
            "forfait",
            "--lang",
            "fr",
            "eval",
            "r.forfait",
            "d.csv",
            "--format",
            "csv",
        ];
        let matches = command(Lang::Fr).try_get_matches_from(args);
        let cli = matches.and_then(|m| Cli::from_arg_matches(&m));
        assert!(
            matches!(
                cli,
                Ok(Cli {
                    command: Command::Eval {
                        format: Some(Format::Csv),
                        ..
                    },
                    lang: Some(LangArg::Fr),
                    ..
                })
            ),
            "the French command line reads --format csv as Format::Csv"
        );
        let doc = command(Lang::Fr)
            .try_get_matches_from(["forfait", "doc", "r.forfait"])
            .and_then(|m| Cli::from_arg_matches(&m));
        assert!(matches!(
            doc,
            Ok(Cli {
                command: Command::Doc {
                    format: DocFormat::Html,
                    ..
                },
                ..
            })
        ));
    }

    #[test]
    fn lang_is_read_before_clap() {
        let args = |a: &[&str]| -> Vec<std::ffi::OsString> { a.iter().map(Into::into).collect() };
        assert_eq!(
            cli::language(&args(&["forfait", "--lang", "fr", "check"])),
            Lang::Fr
        );
        assert_eq!(
            cli::language(&args(&["forfait", "check", "--lang=fr"])),
            Lang::Fr
        );
        assert_eq!(
            cli::language(&args(&["forfait", "--lang", "en", "check"])),
            Lang::En
        );
    }
}
