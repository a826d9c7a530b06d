//! `forfait test`: run the cases kept beside each rulebook; `--coverage` says what they
//! leave untested.
//!
//! A run never passes by testing nothing: a path that does not exist, or paths with no case
//! at all, is an error (a typo in a CI path must be red). A case file that `expected.csv`
//! does not list fails, naming it, rather than being skipped.

use std::collections::BTreeSet;
use std::path::Path;

use forfait::diagnostics::Lang;
use forfait::output::text::indicator_reason;
use forfait::testing::{
    coverage, decode_expected, encode_expected, read_expected, run_case, Case, CaseResult,
};

use super::results::{outln, write_whole, Printer};
use super::words::{headings, Say};
use super::{load, read, tell, Exit};

pub fn test(paths: &[String], show_coverage: bool, accept: bool, lang: Lang) -> Exit {
    let paths = if paths.is_empty() {
        vec!["rulebooks".to_string()]
    } else {
        paths.to_vec()
    };
    let mut printer = Printer::new(lang);
    if let Some(missing) = paths.iter().find(|p| !Path::new(p).exists()) {
        tell(lang, Say::NothingToTest { path: missing });
        return printer.finish(Exit::Usage);
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut usage_error = false;
    for path in super::fmt::rulebook_files(&paths) {
        let examples = Path::new(&path).with_extension("examples");
        let expected_path = examples.join("expected.csv");
        let expected_name = expected_path.to_string_lossy().into_owned();
        if !expected_path.exists() {
            let say = Say::NoCases {
                path: &path,
                expected: &expected_name,
            };
            outln!(printer, "{}", say.text(lang));
            continue;
        }
        let rulebook = match load(&path, false, lang) {
            Ok(r) => r,
            Err(_) => {
                outln!(
                    printer,
                    "{}",
                    Say::RulebookDoesNotCheck { path: &path }.text(lang)
                );
                failed += 1;
                continue;
            }
        };
        // As French Excel saves it too: Windows-1252, a byte order mark, UTF-16.
        let (expected_text, encoding) = match std::fs::read(&expected_path) {
            Ok(bytes) => match decode_expected(&bytes, &expected_name) {
                Ok(decoded) => decoded,
                Err(e) => {
                    tell(lang, Say::Verdict(&e));
                    usage_error = true;
                    continue;
                }
            },
            Err(e) => {
                tell(
                    lang,
                    Say::CannotRead {
                        path: &expected_name,
                        error: &e,
                    },
                );
                usage_error = true;
                continue;
            }
        };
        let cases = match read_expected(&rulebook, &expected_text) {
            Ok(e) => e.cases,
            Err(e) => {
                let say = Say::BadExpectations {
                    file: &expected_name,
                    error: &e,
                };
                outln!(printer, "{}", say.text(lang));
                failed += 1;
                continue;
            }
        };
        let mut added: Vec<CaseResult> = Vec::new();
        for unlisted in unlisted_case_files(&examples, &cases) {
            if accept {
                if let Ok(text) = read(&unlisted, lang) {
                    let example = Path::new(&unlisted)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let case = Case {
                        maximum: forfait::testing::is_maximum(&example),
                        example,
                        total: None,
                        statuses: Default::default(),
                    };
                    added.push(run_case(&rulebook, &unlisted, &text, &case));
                    continue;
                }
            }
            let say = Say::UnlistedCase {
                file: &unlisted,
                expected: &expected_name,
            };
            outln!(printer, "{}", say.text(lang));
            failed += 1;
        }
        let mut results: Vec<CaseResult> = Vec::new();
        for case in &cases {
            let file = examples.join(format!("{}.json", case.example));
            let file_name = file.to_string_lossy().into_owned();
            let text = match read(&file_name, lang) {
                Ok(t) => t,
                Err(_) => {
                    let say = Say::CaseUnreadable { file: &file_name };
                    outln!(printer, "{}", say.text(lang));
                    failed += 1;
                    continue;
                }
            };
            let result = run_case(&rulebook, &file_name, &text, case);
            if result.passed() || (accept && acceptable(&result)) {
                passed += 1;
            } else {
                failed += 1;
                print_failure(&mut printer, &rulebook, &file_name, &result, lang);
            }
            results.push(result);
        }
        if accept {
            match forfait::testing::accept(&rulebook, &expected_text, &results, &added) {
                Ok((_, changes)) if changes.is_empty() => {}
                Ok((text, changes)) => {
                    // In the file's own encoding (and byte order mark), as it was read.
                    let (bytes, written) = encode_expected(&text, encoding);
                    if let Err(e) = write_whole(&expected_name, &bytes) {
                        tell(
                            lang,
                            Say::CannotWrite {
                                target: &expected_name,
                                error: &e,
                            },
                        );
                        usage_error = true;
                        continue;
                    }
                    for change in &changes {
                        outln!(printer, "{}", Say::Accepted(change).text(lang));
                    }
                    let dialect = read_expected(&rulebook, &text)
                        .map(|e| e.dialect)
                        .unwrap_or_default();
                    let say = Say::ExpectationsWritten {
                        file: &expected_name,
                        changes: changes.len(),
                        dialect: &dialect,
                        encoding: written,
                    };
                    outln!(printer, "{}", say.text(lang));
                    passed += added.iter().filter(|r| acceptable(r)).count();
                }
                Err(e) => {
                    let say = Say::BadExpectations {
                        file: &expected_name,
                        error: &e,
                    };
                    outln!(printer, "{}", say.text(lang));
                    failed += 1;
                    continue;
                }
            }
        }
        let ok = results
            .iter()
            .filter(|r| r.passed() || (accept && acceptable(r)))
            .count();
        let say = Say::CasesPass {
            path: &path,
            passed: ok,
            cases: results.len(),
        };
        outln!(printer, "{}", say.text(lang));
        if show_coverage {
            let outcomes: Vec<&forfait::Outcome> =
                results.iter().filter_map(|r| r.outcome.as_ref()).collect();
            let cov = coverage(&rulebook, &outcomes);
            let say = Say::Coverage {
                covered: cov.covered(),
                items: cov.items.len(),
            };
            outln!(printer, "{}", say.text(lang));
            for item in cov.uncovered() {
                outln!(printer, "{}", Say::NotExercised(item).text(lang));
            }
        }
    }
    outln!(printer, "{}", Say::Tally { passed, failed }.text(lang));
    let exit = if usage_error {
        Exit::Usage
    } else if passed + failed == 0 {
        tell(
            lang,
            Say::NoTestCase {
                paths: &paths.join(", "),
            },
        );
        Exit::Usage
    } else if failed > 0 {
        Exit::Problems
    } else {
        Exit::Ok
    };
    printer.finish(exit)
}

/// The `.json` files of the examples folder that no row of `expected.csv` names.
/// A case `--accept` can write the result of: its file holds one declaration.
fn acceptable(result: &CaseResult) -> bool {
    !result
        .failures
        .iter()
        .any(|f| matches!(f, forfait::testing::Failure::NotOneDeclaration { .. }))
}

fn unlisted_case_files(examples: &Path, cases: &[Case]) -> Vec<String> {
    let listed: BTreeSet<&str> = cases.iter().map(|c| c.example.as_str()).collect();
    let Ok(entries) = std::fs::read_dir(examples) else {
        return Vec::new();
    };
    let mut unlisted: Vec<String> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            p.file_stem()
                .is_some_and(|stem| !listed.contains(stem.to_string_lossy().as_ref()))
        })
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    unlisted.sort();
    unlisted
}

/// The failure, and per indicator what was expected, what came out, and the values that
/// decided it.
fn print_failure(
    printer: &mut Printer,
    rulebook: &forfait::CompiledRulebook,
    file: &str,
    result: &CaseResult,
    lang: Lang,
) {
    outln!(printer, "{}", Say::Fail { file }.text(lang));
    for f in &result.failures {
        outln!(printer, "{}", Say::Failure(f).text(lang));
    }
    let Some(outcome) = &result.outcome else {
        return;
    };
    let words = headings(lang);
    let width = rulebook
        .indicators
        .iter()
        .map(|i| i.head.name.len())
        .chain([words.indicator.chars().count()])
        .max()
        .unwrap_or(0);
    outln!(
        printer,
        "  {:<width$}  {:<14}  {:<14}  {}",
        words.indicator,
        words.expected,
        words.actual,
        words.decided_by
    );
    for (i, ind) in rulebook.indicators.iter().enumerate() {
        let expected = result
            .case
            .statuses
            .get(&ind.head.name)
            .map_or("-", String::as_str);
        outln!(
            printer,
            "  {:<width$}  {:<14}  {:<14}  {}",
            ind.head.name,
            expected,
            outcome.indicators[i].status.as_str(),
            indicator_reason(rulebook, outcome, i)
        );
    }
}
