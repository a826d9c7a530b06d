//! `forfait doc`: a rulebook's documentation page, in French (HTML or Markdown).

use std::path::Path;

use forfait::diagnostics::Lang;
use forfait::doc::Example;
use forfait::{compile, CompiledRulebook, EvalOptions, Evaluated};

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
    let examples = examples(&compiled.rulebook, rulebook);
    let document = forfait::doc::build_with(&compiled.rulebook, only.as_ref(), &examples);
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

/// The example declarations beside the rulebook (`X.examples/*.json`, as `forfait test`
/// finds them), evaluated with their traces, by file name: the page's worked examples come
/// from them. A file that cannot be read, or does not hold exactly one declaration that
/// evaluates, gives none (`forfait test` is where such a file is reported); no folder, no
/// examples.
pub(crate) fn examples(rulebook: &CompiledRulebook, path: &str) -> Vec<Example> {
    let folder = Path::new(path).with_extension("examples");
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let options = EvalOptions {
        trace: true,
        what_if: false,
    };
    files
        .iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(file).ok()?;
            let name = file.to_string_lossy();
            let mut evaluated = forfait::evaluate_file(rulebook, &name, &text, options);
            if evaluated.len() != 1 {
                return None;
            }
            match evaluated.pop()? {
                Evaluated::Outcome { outcome, .. } => Some(Example {
                    file: file.file_name()?.to_string_lossy().into_owned(),
                    outcome: *outcome,
                }),
                Evaluated::Rejected(_) => None,
            }
        })
        .collect()
}
