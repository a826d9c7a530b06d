//! `forfait test`: run the cases kept beside each rulebook; `--coverage` says what they
//! leave untested.
//!
//! A run never passes by testing nothing: a path that does not exist, or paths with no case
//! at all, is an error (a typo in a CI path must be red). A case file that `expected.csv`
//! does not list fails, naming it, rather than being skipped.

use std::collections::BTreeSet;
use std::path::Path;

use forfait::output::text::indicator_reason;
use forfait::testing::{coverage, read_expectations, run_case, Case, CaseResult};

use super::results::{outln, Printer};
use super::{load, read, Exit};

pub fn test(paths: &[String], show_coverage: bool) -> Exit {
    let paths = if paths.is_empty() {
        vec!["rulebooks".to_string()]
    } else {
        paths.to_vec()
    };
    let mut printer = Printer::new();
    if let Some(missing) = paths.iter().find(|p| !Path::new(p).exists()) {
        eprintln!("error: {missing} does not exist: there is nothing to test");
        return printer.finish(Exit::Usage);
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut usage_error = false;
    for path in super::fmt::rulebook_files(&paths) {
        let examples = Path::new(&path).with_extension("examples");
        let expected_path = examples.join("expected.csv");
        if !expected_path.exists() {
            outln!(
                printer,
                "{path}: no cases ({} not found)",
                expected_path.display()
            );
            continue;
        }
        let rulebook = match load(&path, false) {
            Ok(r) => r,
            Err(_) => {
                outln!(printer, "FAIL {path}: the rulebook does not check");
                failed += 1;
                continue;
            }
        };
        let expected_text = match read(&expected_path.to_string_lossy()) {
            Ok(t) => t,
            Err(_) => {
                usage_error = true;
                continue;
            }
        };
        let cases = match read_expectations(&rulebook, &expected_text) {
            Ok(c) => c,
            Err(e) => {
                outln!(printer, "FAIL {}: {e}", expected_path.display());
                failed += 1;
                continue;
            }
        };
        for unlisted in unlisted_case_files(&examples, &cases) {
            outln!(
                printer,
                "FAIL {unlisted}: a case file that {} does not list; add its row (example,total_eur,...) or remove the file",
                expected_path.display()
            );
            failed += 1;
        }
        let mut results: Vec<CaseResult> = Vec::new();
        for case in &cases {
            let file = examples.join(format!("{}.json", case.example));
            let file_name = file.to_string_lossy().into_owned();
            let text = match read(&file_name) {
                Ok(t) => t,
                Err(_) => {
                    outln!(
                        printer,
                        "FAIL {file_name}: listed in expected.csv but not readable"
                    );
                    failed += 1;
                    continue;
                }
            };
            let result = run_case(&rulebook, &file_name, &text, case);
            if result.passed() {
                passed += 1;
            } else {
                failed += 1;
                print_failure(&mut printer, &rulebook, &file_name, &result);
            }
            results.push(result);
        }
        let ok = results.iter().filter(|r| r.passed()).count();
        outln!(printer, "{path}: {ok} of {} cases pass", results.len());
        if show_coverage {
            let outcomes: Vec<&forfait::Outcome> =
                results.iter().filter_map(|r| r.outcome.as_ref()).collect();
            let cov = coverage(&rulebook, &outcomes);
            outln!(
                printer,
                "  coverage: {} of {} items exercised",
                cov.covered(),
                cov.items.len()
            );
            for item in cov.uncovered() {
                outln!(printer, "  not exercised: {item}");
            }
        }
    }
    outln!(printer, "{passed} passed, {failed} failed");
    let exit = if usage_error {
        Exit::Usage
    } else if passed + failed == 0 {
        eprintln!(
            "error: no test case in {}: each rulebook X.forfait keeps its cases in X.examples/expected.csv",
            paths.join(", ")
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
) {
    outln!(printer, "FAIL {file}");
    for f in &result.failures {
        outln!(printer, "  {f}");
    }
    let Some(outcome) = &result.outcome else {
        return;
    };
    let width = rulebook
        .indicators
        .iter()
        .map(|i| i.head.name.len())
        .max()
        .unwrap_or(0);
    outln!(
        printer,
        "  {:<width$}  {:<14}  {:<14}  decided by",
        "indicator",
        "expected",
        "actual"
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
