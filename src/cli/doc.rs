//! `forfait doc`: a rulebook's documentation page, in French (HTML or Markdown).

use forfait::compile;

use super::results::{out, write_whole, Printer};
use super::{plural, read, render, Exit};

/// Writes the documentation page of `rulebook` to `output`, or to standard output.
pub fn doc(rulebook: &str, html: bool, output: Option<&str>) -> Exit {
    let source = match read(rulebook) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let compiled = match compile(rulebook, &source) {
        Ok(compiled) => compiled,
        Err(report) => {
            eprint!("{}", render(&report, false));
            eprintln!(
                "error: {rulebook} has {}; no page was written",
                plural(report.error_count(), "error")
            );
            return Exit::Problems;
        }
    };
    if !compiled.warnings.diagnostics.is_empty() {
        eprint!("{}", render(&compiled.warnings, false));
    }
    let document = forfait::doc::build(&compiled.rulebook);
    let page = if html {
        forfait::doc::html::render(&document)
    } else {
        forfait::doc::markdown::render(&document)
    };
    match output {
        Some(path) => {
            if let Err(e) = write_whole(path, page.as_bytes()) {
                eprintln!("error: cannot write {path}: {e}; it was not written");
                return Exit::Usage;
            }
            eprintln!("wrote {path}");
            Exit::Ok
        }
        None => {
            let mut printer = Printer::new();
            out!(printer, "{page}");
            printer.finish(Exit::Ok)
        }
    }
}
