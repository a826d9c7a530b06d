//! `forfait fmt`: rewrite rulebooks in place, or `--check` that they are canonical.

use std::fs;
use std::path::Path;

use forfait::diagnostics::Lang;

use super::results::{out, write_whole, Printer};
use super::words::Say;
use super::{read, tell, Exit};

/// The `.forfait` files named, or found (recursively) in the folders named, sorted.
pub(crate) fn rulebook_files(paths: &[String]) -> Vec<String> {
    fn walk(dir: &Path, found: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "forfait") {
                found.push(path.to_string_lossy().into_owned());
            }
        }
    }
    let mut files = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found);
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    files
}

pub fn fmt(paths: &[String], check: bool, lang: Lang) -> Exit {
    let mut exit = Exit::Ok;
    let mut printer = Printer::new(lang);
    let mut changed = 0;
    let files = rulebook_files(paths);
    if files.is_empty() {
        super::tell(
            lang,
            super::Say::NoRulebook {
                paths: &paths.join(", "),
            },
        );
        return Exit::Usage;
    }
    for path in &files {
        let source = match read(path, lang) {
            Ok(s) => s,
            Err(e) => {
                exit = e;
                continue;
            }
        };
        let ast = match forfait::parse(&source) {
            Ok(ast) => ast,
            Err(errors) => {
                let report = forfait::Report::new(path, source.as_str().into(), errors);
                eprint!("{}", super::render(&report, false, lang));
                tell(lang, Say::CannotFormat { path });
                exit = Exit::Problems;
                continue;
            }
        };
        let formatted = forfait::fmt::format(&ast, &source);
        if formatted == source {
            continue;
        }
        changed += 1;
        if check {
            let diff = similar::TextDiff::from_lines(&source, &formatted);
            out!(
                printer,
                "{}",
                diff.unified_diff()
                    .context_radius(2)
                    .header(path, &format!("{path} (formatted)"))
            );
            if exit == Exit::Ok {
                exit = Exit::Problems;
            }
        } else if let Err(e) = write_whole(path, formatted.as_bytes()) {
            tell(
                lang,
                Say::CannotWrite {
                    target: path,
                    error: &e,
                },
            );
            exit = Exit::Usage;
        }
    }
    let files = files.len();
    match (check, changed) {
        (true, 0) => tell(lang, Say::AlreadyCanonical { files }),
        (true, changed) => tell(lang, Say::NotCanonical { changed, files }),
        (false, changed) => tell(lang, Say::Reformatted { changed, files }),
    }
    printer.finish(exit)
}
