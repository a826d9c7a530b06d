//! The snapshot suite. Adding a case is adding a file (see tests/README.md):
//! - `tests/cases/check/*.forfait`: a rulebook, snapshotted with the diagnostics
//!   `forfait check` prints, in English and in French (`check_cases_fr`);
//! - `tests/cases/eval/<case>/rulebook.forfait` and declaration files beside it: each file
//!   evaluated, in text and JSON;
//! - every shipped rulebook under `rulebooks/` checks clean, and each example declaration in
//!   its `*.examples/` folder is evaluated (text and JSON) and pays what `expected.csv` says.

// A test that cannot read its own fixtures should stop loudly.
#![allow(clippy::panic)]

mod common;
use common::{compiled, read, root, shown};

use std::path::Path;

use forfait::diagnostics::Lang;
use forfait::output;
use forfait::record::Evaluated;
use forfait::{compile, CompiledRulebook, EvalOptions};

/// What `forfait check` prints for one file.
fn check_output(name: &str, source: &str) -> String {
    check_output_in(name, source, Lang::En)
}

/// What `forfait check --lang LANG` prints for one file (the last line is the suite's).
fn check_output_in(name: &str, source: &str, lang: Lang) -> String {
    match compile(name, source) {
        Ok(compiled) => format!(
            "{}ok ({} warning(s))\n",
            compiled.warnings.render_human_in(lang),
            compiled.warnings.warning_count()
        ),
        Err(report) => format!(
            "{}{} error(s), {} warning(s)\n",
            report.render_human_in(lang),
            report.error_count(),
            report.warning_count()
        ),
    }
}

/// Text and JSON outputs of one declaration file, with the rulebook hash masked so that a
/// comment edit does not touch every snapshot.
fn eval_output(rulebook: &CompiledRulebook, decl_path: &Path) -> (Vec<Evaluated>, String) {
    // Bytes, not text: some cases are not UTF-8 on purpose.
    let bytes = std::fs::read(decl_path).unwrap_or_else(|e| panic!("{}: {e}", decl_path.display()));
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let name = shown(decl_path);
    let format = forfait::declaration::InputFormat::from_path(&name);
    let records: Vec<Evaluated> = forfait::declaration::records(
        rulebook,
        &name,
        bytes.as_slice(),
        format,
        Default::default(),
    )
    .map(|record| forfait::evaluate_record(rulebook, &name, record, EvalOptions::default()))
    .collect();
    let mask = |s: String| {
        s.replace(&rulebook.meta.content_hash, "sha256:[hash]")
            .replace(
                output::text::short_hash(&rulebook.meta.content_hash),
                "sha256:[hash]",
            )
    };
    let explained: Vec<String> = records
        .iter()
        .map(|r| match r {
            Evaluated::Outcome { outcome, .. } => output::explain::render(rulebook, outcome),
            Evaluated::Rejected(rejection) => format!("rejected: {rejection}\n"),
        })
        .collect();
    let rendered = format!(
        "--- declaration ({})\n{}\n--- forfait eval --format text\n{}\n--- forfait explain\n{}\n--- forfait eval --format csv\n{}\n--- forfait eval --format json\n{}\n",
        shown(decl_path),
        text.trim_end(),
        mask(output::text::render(rulebook, &records)),
        mask(explained.join("\n")),
        mask(output::csv::render(rulebook, &records, Default::default())),
        mask(output::json::render(rulebook, &records)),
    );
    (records, rendered)
}

#[test]
fn check_cases() {
    insta::glob!("cases/check/*.forfait", |path| {
        let source = read(path);
        let name = shown(path);
        insta::assert_snapshot!(format!(
            "--- rulebook ({name})\n{}\n--- forfait check\n{}",
            source.trim_end(),
            check_output(&name, &source)
        ));
    });
}

/// The same cases in French, as fund staff read them (`--lang fr`): one snapshot per case,
/// the rulebook left out (it is in the English snapshot beside it).
#[test]
fn check_cases_fr() {
    insta::glob!("cases/check/*.forfait", |path| {
        let source = read(path);
        let name = shown(path);
        insta::assert_snapshot!(format!(
            "--- rulebook ({name})\n--- forfait check --lang fr\n{}",
            check_output_in(&name, &source, Lang::Fr)
        ));
    });
}

#[test]
fn eval_cases() {
    insta::glob!("cases/eval/*/*.{json,jsonl,csv}", |path| {
        let dir = path.parent().unwrap_or(root());
        let rulebook = compiled(&dir.join("rulebook.forfait"));
        let (_, rendered) = eval_output(&rulebook, path);
        insta::assert_snapshot!(rendered);
    });
}

/// Every rejection of the eval cases as `forfait explain --lang fr` prints it to the terminal
/// (results files keep the English words: the snapshots above), in one snapshot.
#[test]
fn eval_rejections_fr() {
    let mut out = String::new();
    let mut paths: Vec<_> = ["csv", "json", "jsonl"]
        .into_iter()
        .flat_map(|extension| common::files("tests/cases/eval", extension))
        .collect();
    paths.sort();
    for path in paths {
        let name = shown(&path);
        let format = forfait::declaration::InputFormat::from_path(&name);
        let dir = path.parent().unwrap_or(root());
        let rulebook = compiled(&dir.join("rulebook.forfait"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        for record in forfait::declaration::records(
            &rulebook,
            &name,
            bytes.as_slice(),
            format,
            Default::default(),
        ) {
            if let Evaluated::Rejected(r) =
                forfait::evaluate_record(&rulebook, &name, record, EvalOptions::default())
            {
                out.push_str(&format!("{}\n\n", r.render(Lang::Fr)));
            }
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn shipped_rulebooks_check_clean() {
    insta::glob!("../rulebooks", "**/*.forfait", |path| {
        let name = shown(path);
        let source = read(path);
        let output = check_output(&name, &source);
        assert_eq!(
            output, "ok (0 warning(s))\n",
            "{name} must check without any diagnostic"
        );
        let rulebook = compiled(path);
        let totals: Vec<String> = rulebook
            .stated_totals
            .iter()
            .map(|t| format!("{} = {} {:?}", t.label, t.amount, t.unit))
            .collect();
        let schema =
            output::schema::render(&rulebook).replace(&rulebook.meta.content_hash, "sha256:[hash]");
        insta::assert_snapshot!(format!(
            "{name}: {} inputs, {} indicators, {} groups, {} payment lines\nstated totals verified:\n{}\n--- forfait schema\n{schema}",
            rulebook.inputs.len(),
            rulebook.indicators.len(),
            rulebook.groups.len(),
            rulebook.payments.len(),
            totals.join("\n")
        ));
    });
}

#[test]
fn rulebook_examples() {
    insta::glob!("../rulebooks", "**/*.examples/*.json", |path| {
        let dir = path.parent().unwrap_or(root());
        let rulebook_path = dir.with_extension("forfait");
        let rulebook = compiled(&rulebook_path);
        let (_, rendered) = eval_output(&rulebook, path);
        insta::assert_snapshot!(rendered);
    });
}

/// Each example pays exactly the amount read in the guide, written in `expected.csv` (with
/// the statuses it lists): the library side of `forfait test`. Every example has its row.
#[test]
fn examples_pay_what_the_guide_says() {
    let mut checked = 0;
    for rulebook_dir in ["rulebooks/fami", "rulebooks/forfait-structure"] {
        let Ok(entries) = std::fs::read_dir(root().join(rulebook_dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let examples = entry.path();
            if examples.extension().is_none_or(|e| e != "examples") {
                continue;
            }
            let rulebook = compiled(&examples.with_extension("forfait"));
            let expected = read(&examples.join("expected.csv"));
            let cases = forfait::testing::read_expectations(&rulebook, &expected)
                .unwrap_or_else(|e| panic!("{}: {e:?}", shown(&examples)));
            for case in &cases {
                let file = examples.join(format!("{}.json", case.example));
                let result =
                    forfait::testing::run_case(&rulebook, &shown(&file), &read(&file), case);
                assert!(result.passed(), "{}: {:?}", shown(&file), result.failures);
                checked += 1;
            }
            let on_disk = std::fs::read_dir(&examples)
                .map(|d| {
                    d.flatten()
                        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                        .count()
                })
                .unwrap_or(0);
            assert_eq!(
                cases.len(),
                on_disk,
                "every example of {} has a row in expected.csv",
                shown(&examples)
            );
        }
    }
    assert!(
        checked >= 100,
        "expected the shipped examples, found {checked}"
    );
}

/// The examples of docs/language.md are real: each paragraph of a ```forfait block (blocks
/// may also skip lines with `…`) appears verbatim in a shipped rulebook or a checked test
/// case.
#[test]
fn language_doc_examples_come_from_files_the_suite_runs() {
    let doc = read(&root().join("docs/language.md"));
    let mut sources = Vec::new();
    for pattern in ["rulebooks/*/*.forfait", "tests/cases/check/*.forfait"] {
        let (dir, _) = pattern.rsplit_once('/').unwrap_or((pattern, ""));
        let dirs: Vec<std::path::PathBuf> = if dir.contains('*') {
            std::fs::read_dir(root().join(dir.trim_end_matches("/*")))
                .map(|d| {
                    d.flatten()
                        .map(|e| e.path())
                        .filter(|p| p.is_dir())
                        .collect()
                })
                .unwrap_or_default()
        } else {
            vec![root().join(dir)]
        };
        for d in dirs {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                if entry.path().extension().is_some_and(|e| e == "forfait") {
                    sources.push(read(&entry.path()));
                }
            }
        }
    }
    let mut blocks = 0;
    let mut in_block = false;
    let mut run: Vec<&str> = Vec::new();
    let check_run = |run: &mut Vec<&str>| {
        if run.is_empty() {
            return;
        }
        let text = run.join("\n");
        assert!(
            sources.iter().any(|s| s.contains(&text)),
            "docs/language.md shows lines found in no rulebook or test case:\n{text}"
        );
        run.clear();
    };
    for line in doc.lines() {
        match (in_block, line.trim_start().starts_with("```")) {
            (false, true) if line.trim() == "```forfait" => {
                in_block = true;
                blocks += 1;
            }
            (true, true) => {
                check_run(&mut run);
                in_block = false;
            }
            // `…` skips lines; a blank line separates items that may stand apart in the file.
            (true, false) if line.trim() == "…" || line.trim().is_empty() => check_run(&mut run),
            (true, false) => run.push(line),
            _ => {}
        }
    }
    assert!(
        blocks >= 20,
        "expected the language reference's examples, found {blocks}"
    );
}

/// Every diagnostic code has a section in docs/diagnostics.md, and every parse and check
/// code a test case named after it.
#[test]
fn every_diagnostic_is_documented_and_tested() {
    let doc = read(&root().join("docs/diagnostics.md"));
    let mut codes = Vec::new();
    for file in [
        "src/diagnostics/error.rs",
        "src/declaration/mod.rs",
        "src/declaration/csv.rs",
        "src/declaration/json.rs",
    ] {
        let text = read(&root().join(file));
        for part in text.split("forfait::").skip(1) {
            let code: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let well_formed = code.split_once("::").is_some_and(|(phase, name)| {
                !phase.is_empty() && !name.is_empty() && !name.contains(':')
            });
            if well_formed && !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    assert!(codes.len() >= 25, "found only {codes:?}");
    let cases: Vec<String> = std::fs::read_dir(root().join("tests/cases/check"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for code in &codes {
        assert!(
            doc.contains(&format!("## forfait::{code}\n")),
            "docs/diagnostics.md has no section `## forfait::{code}`"
        );
        let (phase, name) = code.split_once("::").unwrap_or(("", code));
        let name = name.trim_end_matches(':');
        if phase == "check" || (phase == "parse" && name != "syntax") {
            // A case about the file name's year begins with that year
            // (`2025-file_name_year_mismatch.forfait`).
            let named = |c: &String| {
                c.trim_start_matches(|ch: char| ch.is_ascii_digit() || ch == '-')
                    .starts_with(name)
            };
            assert!(
                cases.iter().any(named),
                "no test case tests/cases/check/{name}*.forfait for forfait::{code}"
            );
        }
    }
}

/// The regression matrix: each set of situations under `rulebooks/situations/` run through
/// every shipped rulebook, one column per year (`forfait matrix`).
#[test]
fn regression_matrix() {
    let mut rulebooks = Vec::new();
    for dir in std::fs::read_dir(root().join("rulebooks"))
        .into_iter()
        .flatten()
        .flatten()
    {
        for entry in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if entry.path().extension().is_some_and(|e| e == "forfait") {
                rulebooks.push(compiled(&entry.path()));
            }
        }
    }
    insta::glob!("../rulebooks/situations", "*.json", |path| {
        let text = read(path);
        let matrix = forfait::matrix::build(&rulebooks, &shown(path), &text);
        assert!(
            matrix.columns.len() >= 2,
            "{} runs through several years",
            shown(path)
        );
        let mut table = output::matrix::markdown(&rulebooks, &matrix);
        for r in &rulebooks {
            table = table.replace(
                output::text::short_hash(&r.meta.content_hash),
                "sha256:[hash]",
            );
        }
        insta::assert_snapshot!(format!(
            "--- forfait matrix {} rulebooks/*/*.forfait\n{table}",
            shown(path)
        ));
    });
}
