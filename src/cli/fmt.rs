//! `forfait fmt`: rewrite rulebooks in place, or `--check` that they are canonical.

use std::fs;
use std::path::Path;

use super::results::{out, write_whole, Printer};
use super::{read, Exit};

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

pub fn fmt(paths: &[String], check: bool) -> Exit {
    let mut exit = Exit::Ok;
    let mut printer = Printer::new();
    let mut changed = 0;
    let files = rulebook_files(paths);
    if files.is_empty() {
        eprintln!("error: no .forfait file in {}", paths.join(", "));
        return Exit::Usage;
    }
    for path in &files {
        let source = match read(path) {
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
                eprint!("{}", report.render_human());
                eprintln!("error: {path} cannot be formatted until it parses");
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
            eprintln!("error: cannot write {path}: {e}");
            exit = Exit::Usage;
        }
    }
    match (check, changed) {
        (true, 0) => eprintln!("{} file(s) already canonical", files.len()),
        (true, n) => eprintln!(
            "{n} of {} file(s) not canonical; run `forfait fmt` on them",
            files.len()
        ),
        (false, n) => eprintln!("{n} of {} file(s) reformatted", files.len()),
    }
    printer.finish(exit)
}
