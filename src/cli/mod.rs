//! The subcommands. Each returns an exit status; messages go to stderr, results to stdout.

pub mod diff;
pub mod doc;
pub mod eval;
pub mod fmt;
pub mod lsp;
pub mod results;
pub mod test;

use std::fs;

use forfait::declaration::encoding::{self, Encoding};
use forfait::output;
use forfait::record::Evaluated;

use self::results::{out, outln, Printer};
use forfait::{compile, evaluate_file, CompiledRulebook, EvalOptions};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Problems = 1,
    Usage = 2,
}

/// A rulebook (or a file beside it: examples, expected results) as text: UTF-8 only.
pub(crate) fn read(path: &str) -> Result<String, Exit> {
    match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(text),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let error = encoding::rulebook_not_utf8(e.as_bytes(), valid, path);
                eprintln!("error: {error}");
                Err(Exit::Usage)
            }
        },
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            Err(Exit::Usage)
        }
    }
}

/// A declaration file read whole, as text: a byte order mark or `--encoding` says how it
/// is encoded, else it must be UTF-8 (the error says what it looks like).
pub(crate) fn read_declarations(path: &str, asked: Option<Encoding>) -> Result<String, Exit> {
    match fs::read(path) {
        Ok(bytes) => match encoding::decode(&bytes, asked, path) {
            Ok(text) => Ok(text),
            Err(error) => {
                eprintln!("error: {error}");
                Err(Exit::Usage)
            }
        },
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            Err(Exit::Usage)
        }
    }
}

/// Compiles a rulebook, printing its diagnostics (warnings too) to stderr.
pub(crate) fn load(path: &str, json_errors: bool) -> Result<CompiledRulebook, Exit> {
    let source = read(path)?;
    match compile(path, &source) {
        Ok(compiled) => {
            if !compiled.warnings.diagnostics.is_empty() {
                eprint!("{}", render(&compiled.warnings, json_errors));
            }
            Ok(compiled.rulebook)
        }
        Err(report) => {
            eprint!("{}", render(&report, json_errors));
            eprintln!(
                "error: {path} has {}; nothing was evaluated",
                plural(report.error_count(), "error")
            );
            Err(Exit::Problems)
        }
    }
}

fn render(report: &forfait::Report, json: bool) -> String {
    if json {
        format!("{}\n", report.render_json())
    } else {
        report.render_human()
    }
}

/// `1 indicator`, `3 indicators`
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn check(paths: &[String], json_errors: bool) -> Exit {
    let mut printer = Printer::new();
    let mut worst = Exit::Ok;
    let mut json_reports = Vec::new();
    let files = fmt::rulebook_files(paths);
    if files.is_empty() {
        eprintln!("error: no .forfait file in {}", paths.join(", "));
        return Exit::Usage;
    }
    for path in &files {
        let source = match read(path) {
            Ok(s) => s,
            Err(e) => {
                worst = e;
                continue;
            }
        };
        let (report, summary) = match compile(path, &source) {
            Ok(compiled) => {
                let rb = &compiled.rulebook;
                let totals = rb
                    .stated_totals
                    .iter()
                    .map(|t| {
                        format!(
                            "{} = {} {}",
                            t.label,
                            t.amount.normalize(),
                            if t.unit == forfait::model::AmountUnit::Points {
                                "points"
                            } else {
                                "EUR"
                            }
                        )
                    })
                    .collect::<Vec<_>>();
                let summary = format!(
                    "ok: {path}: {}, {}, {}; {}{}",
                    plural(rb.indicators.len(), "indicator"),
                    plural(rb.groups.len(), "group"),
                    plural(rb.payments.len(), "payment line"),
                    if totals.is_empty() {
                        "no stated total".to_string()
                    } else {
                        format!("stated totals verified: {}", totals.join("; "))
                    },
                    match compiled.warnings.warning_count() {
                        0 => String::new(),
                        n => format!(" ({})", plural(n, "warning")),
                    }
                );
                (compiled.warnings, summary)
            }
            Err(report) => {
                worst = Exit::Problems;
                let summary = format!(
                    "error: {path}: {}, {}",
                    plural(report.error_count(), "error"),
                    plural(report.warning_count(), "warning")
                );
                (report, summary)
            }
        };
        if json_errors {
            json_reports.push(report.render_json());
        } else {
            eprint!("{}", report.render_human());
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
    encoding: Option<Encoding>,
) -> Exit {
    let rulebook = match load(rulebook_path, false) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let text = match read_declarations(declaration_path, encoding) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let records = evaluate_file(&rulebook, declaration_path, &text, EvalOptions::default());
    let mut printer = Printer::new();
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
                    eprintln!("error: {r}");
                    exit = Exit::Problems;
                    shown += 1;
                }
            }
        }
    }
    if let (0, Some(id)) = (shown, id) {
        eprintln!("error: no declaration with id `{id}` in {declaration_path}");
        return printer.finish(Exit::Usage);
    }
    printer.finish(exit)
}

pub fn matrix(
    situations_path: &str,
    rulebook_paths: &[String],
    json: bool,
    encoding: Option<Encoding>,
) -> Exit {
    let mut rulebooks = Vec::new();
    for path in rulebook_paths {
        match load(path, false) {
            Ok(r) => rulebooks.push(r),
            Err(e) => return e,
        }
    }
    let text = match read_declarations(situations_path, encoding) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let matrix = forfait::matrix::build(&rulebooks, situations_path, &text);
    let mut printer = Printer::new();
    if json {
        outln!(printer, "{}", output::matrix::json(&rulebooks, &matrix));
    } else {
        out!(printer, "{}", output::matrix::markdown(&rulebooks, &matrix));
    }
    printer.finish(Exit::Ok)
}

pub fn schema(rulebook_path: &str) -> Exit {
    match load(rulebook_path, false) {
        Ok(rulebook) => {
            let mut printer = Printer::new();
            outln!(printer, "{}", output::schema::render(&rulebook));
            printer.finish(Exit::Ok)
        }
        Err(e) => e,
    }
}
