//! `forfait new --from RULEBOOK --exercice YEAR`: next year's rulebook beside this year's,
//! its header moved on, its examples copied, and every date, year and addendum number left
//! in its texts listed for review. It overwrites nothing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use forfait::diagnostics::Lang;
use forfait::next_year::{self, NextYearError};

use super::results::{outln, write_new, Printer};
use super::words::Say;
use super::{read, render, tell, Exit};

pub fn new(from: &str, exercice: u16, lang: Lang) -> Exit {
    let source = match read(from, lang) {
        Ok(s) => s,
        Err(e) => return e,
    };
    // Next year starts from a rulebook that checks: its warnings are shown, its errors stop.
    match forfait::compile(from, &source) {
        Ok(compiled) => {
            if !compiled.warnings.diagnostics.is_empty() {
                eprint!("{}", render(&compiled.warnings, false, lang));
            }
        }
        Err(report) => {
            eprint!("{}", render(&report, false, lang));
            tell(
                lang,
                Say::NewFromBroken {
                    path: from,
                    errors: report.error_count(),
                },
            );
            return Exit::Problems;
        }
    }
    let next = match next_year::next_year(&source, from, exercice) {
        Ok(next) => next,
        Err(error) => {
            tell(
                lang,
                Say::NewRefused {
                    from,
                    error: &error,
                },
            );
            return match error {
                NextYearError::DoesNotParse | NextYearError::DoesNotCheck { .. } => Exit::Problems,
                _ => Exit::Usage,
            };
        }
    };
    let from_path = Path::new(from);
    let dir = from_path.parent().unwrap_or(Path::new(""));
    let target = shown(&dir.join(&next.file_name));
    let examples_from = examples_of(from_path);
    let examples_to = examples_of(Path::new(&target));
    for path in [Path::new(&target), examples_to.as_path()] {
        if path.exists() {
            tell(lang, Say::NewExists { path: &shown(path) });
            return Exit::Usage;
        }
    }
    let (examples_from_text, examples_to_text) = (shown(&examples_from), shown(&examples_to));
    // The examples first: a failure there leaves nothing behind.
    let copied = if examples_from.is_dir() {
        match copy_folder(&examples_from, &examples_to) {
            Ok(files) => Some(files),
            Err(error) => {
                let _ = fs::remove_dir_all(&examples_to);
                tell(
                    lang,
                    Say::CannotCopyExamples {
                        from: &examples_from_text,
                        to: &examples_to_text,
                        error: &error,
                    },
                );
                return Exit::Usage;
            }
        }
    } else {
        None
    };
    if let Err(error) = write_new(&target, next.text.as_bytes()) {
        if copied.is_some() {
            let _ = fs::remove_dir_all(&examples_to);
        }
        if error.kind() == io::ErrorKind::AlreadyExists {
            tell(lang, Say::NewExists { path: &target });
        } else {
            tell(
                lang,
                Say::NotCompleted {
                    target: &target,
                    error: &error,
                },
            );
        }
        return Exit::Usage;
    }
    let mut printer = Printer::new(lang);
    let say = |say: Say<'_>| say.text(lang);
    outln!(
        printer,
        "{}",
        say(Say::NewWritten {
            path: &target,
            from,
            moved: &next.moved,
        })
    );
    let examples = match copied {
        Some(files) => Say::ExamplesCopied {
            from: &examples_from_text,
            to: &examples_to_text,
            files,
        },
        None => Say::NoExamplesToCopy {
            from: &examples_from_text,
        },
    };
    outln!(printer, "{}", say(examples));
    outln!(printer);
    if next.review.is_empty() {
        outln!(printer, "{}", say(Say::NothingToReview));
    } else {
        outln!(
            printer,
            "{}",
            say(Say::ToReview {
                texts: next.review.len(),
                exercice: next.new_exercice,
            })
        );
        for review in &next.review {
            outln!(
                printer,
                "{}",
                say(Say::Review {
                    path: &target,
                    review,
                    exercice: next.new_exercice,
                })
            );
        }
    }
    printer.finish(Exit::Ok)
}

/// `X.examples` beside `X.forfait`.
fn examples_of(rulebook: &Path) -> PathBuf {
    rulebook.with_extension("examples")
}

/// A path as the user would type it (`/` separators).
fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Copies the folder `from` to `to` (which must not exist), files and subfolders; returns
/// how many files it copied.
fn copy_folder(from: &Path, to: &Path) -> io::Result<usize> {
    fs::create_dir(to)?;
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    let mut files = 0;
    for entry in entries {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            files += copy_folder(&path, &target)?;
        } else {
            fs::copy(&path, &target)?;
            files += 1;
        }
    }
    Ok(files)
}
