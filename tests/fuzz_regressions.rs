//! Every input the fuzzers found a bug with stays fixed: each file under
//! `tests/fuzz_regressions/<target>/` goes through the same checks as the fuzz target
//! `<target>` (`fuzz/src/checks.rs`, included here): for `rulebook`, compiling, rendering
//! the diagnostics, and the `forfait fmt` round trip; for the `declaration_*` targets,
//! reading, evaluating and rendering, with one result per record. See docs/fuzzing.md.

#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

#[test]
fn fuzz_findings_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut checked = 0;
    let mut failed = Vec::new();
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/fuzz_regressions exists")
        .map(|e| e.unwrap().path())
        .collect();
    folders.sort();
    for folder in folders {
        if !folder.is_dir() {
            continue;
        }
        let target = folder.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            checks::TARGETS.contains(&target.as_str()),
            "{}: no fuzz target `{target}` (one of {:?})",
            folder.display(),
            checks::TARGETS
        );
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let result = catch_unwind(AssertUnwindSafe(|| checks::run(&target, &data)));
            checked += 1;
            if result.is_err() {
                // The panic hook has printed the message above.
                failed.push(file.strip_prefix(&root).unwrap().display().to_string());
            }
        }
    }
    assert!(checked > 0, "no input under {}", root.display());
    assert!(
        failed.is_empty(),
        "{} of {checked} fuzz regression inputs fail (messages above): {failed:#?}",
        failed.len()
    );
}

/// The seed corpora of the declaration targets (`fuzz/corpus/declaration_*`) pass the checks
/// too: without cargo-fuzz, this is how the checks (the readers reading alike among them)
/// meet varied input. Slow in a debug build, so run on request:
/// `cargo test --release --test fuzz_regressions -- --ignored`.
#[test]
#[ignore = "minutes in a debug build; run with --ignored"]
fn seed_corpora_pass_the_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut checked = 0;
    let mut failed = Vec::new();
    for target in checks::TARGETS
        .iter()
        .filter(|t| t.starts_with("declaration_"))
    {
        let mut files: Vec<_> = std::fs::read_dir(root.join(target))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            checked += 1;
            if catch_unwind(AssertUnwindSafe(|| checks::run(target, &data))).is_err() {
                failed.push(file.strip_prefix(&root).unwrap().display().to_string());
            }
        }
    }
    assert!(checked > 0, "no input under {}", root.display());
    assert!(
        failed.is_empty(),
        "{} of {checked} fail: {failed:#?}",
        failed.len()
    );
}
