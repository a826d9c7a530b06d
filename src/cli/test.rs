//! `forfait test`: run the cases kept beside each rulebook; `--coverage` says what they
//! leave untested.

use std::path::Path;

use forfait::output::text::indicator_reason;
use forfait::testing::{coverage, read_expectations, run_case, CaseResult};

use super::{load, read, Exit};

pub fn test(paths: &[String], show_coverage: bool) -> Exit {
    let paths = if paths.is_empty() {
        vec!["rulebooks".to_string()]
    } else {
        paths.to_vec()
    };
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut usage_error = false;
    for path in super::fmt::rulebook_files(&paths) {
        let examples = Path::new(&path).with_extension("examples");
        let expected_path = examples.join("expected.csv");
        if !expected_path.exists() {
            println!("{path}: no cases ({} not found)", expected_path.display());
            continue;
        }
        let rulebook = match load(&path, false) {
            Ok(r) => r,
            Err(_) => {
                println!("FAIL {path}: the rulebook does not check");
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
                println!("FAIL {}: {e}", expected_path.display());
                failed += 1;
                continue;
            }
        };
        let mut results: Vec<CaseResult> = Vec::new();
        for case in &cases {
            let file = examples.join(format!("{}.json", case.example));
            let file_name = file.to_string_lossy().into_owned();
            let text = match read(&file_name) {
                Ok(t) => t,
                Err(_) => {
                    println!("FAIL {file_name}: listed in expected.csv but not readable");
                    failed += 1;
                    continue;
                }
            };
            let result = run_case(&rulebook, &file_name, &text, case);
            if result.passed() {
                passed += 1;
            } else {
                failed += 1;
                print_failure(&rulebook, &file_name, &result);
            }
            results.push(result);
        }
        let ok = results.iter().filter(|r| r.passed()).count();
        println!("{path}: {ok} of {} cases pass", results.len());
        if show_coverage {
            let outcomes: Vec<&forfait::Outcome> =
                results.iter().filter_map(|r| r.outcome.as_ref()).collect();
            let cov = coverage(&rulebook, &outcomes);
            println!(
                "  coverage: {} of {} items exercised",
                cov.covered(),
                cov.items.len()
            );
            for item in cov.uncovered() {
                println!("  not exercised: {item}");
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if usage_error {
        Exit::Usage
    } else if failed > 0 {
        Exit::Problems
    } else {
        Exit::Ok
    }
}

/// The failure, and per indicator what was expected, what came out, and the values that
/// decided it.
fn print_failure(rulebook: &forfait::CompiledRulebook, file: &str, result: &CaseResult) {
    println!("FAIL {file}");
    for f in &result.failures {
        println!("  {f}");
    }
    let Some(outcome) = &result.outcome else {
        return;
    };
    let width = rulebook
        .indicators
        .iter()
        .map(|i| i.name.len())
        .max()
        .unwrap_or(0);
    println!(
        "  {:<width$}  {:<14}  {:<14}  decided by",
        "indicator", "expected", "actual"
    );
    for (i, ind) in rulebook.indicators.iter().enumerate() {
        let expected = result
            .case
            .statuses
            .get(&ind.name)
            .map_or("-", String::as_str);
        println!(
            "  {:<width$}  {:<14}  {:<14}  {}",
            ind.name,
            expected,
            outcome.indicators[i].status.as_str(),
            indicator_reason(rulebook, outcome, i)
        );
    }
}
