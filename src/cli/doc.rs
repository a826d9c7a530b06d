//! `forfait doc`: a rulebook's documentation page, in French (HTML or Markdown).

use forfait::compile;
use forfait::diagnostics::Lang;

use super::results::{out, write_whole, Printer};
use super::words::Say;
use super::{read, render, tell, Exit};

/// Writes the documentation page of `rulebook` to `output`, or to standard output. The
/// page is French whatever `lang` (the messages' language).
pub fn doc(
    rulebook: &str,
    profession: Option<&str>,
    html: bool,
    output: Option<&str>,
    lang: Lang,
) -> Exit {
    let source = match read(rulebook, lang) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let compiled = match compile(rulebook, &source) {
        Ok(compiled) => compiled,
        Err(report) => {
            eprint!("{}", render(&report, false, lang));
            tell(
                lang,
                Say::NoPageWritten {
                    path: rulebook,
                    errors: report.error_count(),
                },
            );
            return Exit::Problems;
        }
    };
    if !compiled.warnings.diagnostics.is_empty() {
        eprint!("{}", render(&compiled.warnings, false, lang));
    }
    let only = match profession {
        None => None,
        Some(p) => match forfait::profession::known(p, &[&compiled.rulebook]) {
            Ok(()) => forfait::profession::ForProfession::new(&compiled.rulebook, p),
            Err(error) => {
                tell(
                    lang,
                    Say::UnknownProfession {
                        paths: rulebook,
                        error: &error,
                    },
                );
                return Exit::Usage;
            }
        },
    };
    let document = forfait::doc::build_for(&compiled.rulebook, only.as_ref());
    let page = if html {
        forfait::doc::html::render(&document)
    } else {
        forfait::doc::markdown::render(&document)
    };
    match output {
        Some(path) => {
            if let Err(e) = write_whole(path, page.as_bytes()) {
                tell(
                    lang,
                    Say::NotCompleted {
                        target: path,
                        error: &e,
                    },
                );
                return Exit::Usage;
            }
            tell(lang, Say::Wrote { path });
            Exit::Ok
        }
        None => {
            let mut printer = Printer::new(lang);
            out!(printer, "{page}");
            printer.finish(Exit::Ok)
        }
    }
}
