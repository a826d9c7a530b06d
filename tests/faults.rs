//! Faults an operator meets, end to end: a closed pipe, a full disk, an output that is an
//! input, a batch interrupted, an absurd `--jobs`, a test run with nothing to test. Each
//! must end in a clear message and its exit code (2 for I/O and usage), never a panic, and
//! never leave a file that looks complete when it is not.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{command, forfait, root, stderr, Scratch};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FAMI: &str = "rulebooks/fami/2024-chirurgiens-dentistes.forfait";
const MAXIMUM: &str = "rulebooks/fami/2024-chirurgiens-dentistes.examples/maximum.json";

fn scratch(name: &str) -> Scratch {
    common::scratch("faults", name)
}

/// Every command that prints results, with arguments that make it print something.
fn printing_commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["schema", FAMI],
        vec!["doc", FAMI],
        vec!["explain", FAMI, MAXIMUM],
        vec!["eval", FAMI, MAXIMUM],
        vec!["test", "rulebooks"],
        vec!["fmt", "--check", "tests/cases/fmt"],
        vec![
            "diff",
            "rulebooks/fami/2022-chirurgiens-dentistes.forfait",
            FAMI,
        ],
        vec![
            "matrix",
            "rulebooks/situations/chirurgiens-dentistes.json",
            FAMI,
        ],
        vec!["check", "--error-format", "json", FAMI],
    ]
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    for args in printing_commands() {
        let mut child = command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away at once, before the command writes (`| head -c 0`).
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(
            !err.contains("panicked") && status.code().is_some_and(|c| c != 101),
            "{args:?}: {status} {err}"
        );
        assert!(!err.contains("cannot write"), "{args:?}: {err}");
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_full_disk_is_an_error_with_exit_2() {
    for args in printing_commands() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = command(&args).stdout(full).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("cannot write to standard output: No space left on device"),
            "{args:?}: {err}"
        );
    }
    let out = forfait(&["eval", FAMI, MAXIMUM, "--output", "/dev/full"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot write to /dev/full"));
}

#[test]
fn an_output_that_is_an_input_is_refused_before_anything_is_written() {
    let dir = scratch("same");
    let input = dir.join("declarations.json");
    std::fs::copy(root().join(MAXIMUM), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let link = dir.join("link.json");
    std::fs::hard_link(&input, &link).unwrap();
    for output in [&input, &link] {
        let out = forfait(&[
            "eval",
            FAMI,
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("is the input"), "{}", stderr(&out));
        assert_eq!(
            std::fs::read(&input).unwrap(),
            before,
            "the input is intact"
        );
    }
}

/// A CSV of `rows` FAMI 2024 declarations, enough for a batch to still be running when it
/// is interrupted.
fn large_csv(path: &Path, rows: usize) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(w, "id,equipement_dmp,flux_dmp,cdc_sesam_vitale,horaires_annuaire,actes_fse,actes_total,type_messagerie,dispositif_coordination,interventions_aller_vers,lieux_aller_vers,stage_accueilli,stagiaire_temps_plein").unwrap();
    for i in 0..rows {
        writeln!(
            w,
            "CD-{i},logiciel_compatible,4,oui,oui,{},1000,mssante_personnelle,cpts,3,EHPAD,aucun,non",
            600 + i % 200
        )
        .unwrap();
    }
}

fn partial_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect()
}

#[test]
#[cfg(unix)]
fn an_interrupted_batch_leaves_no_output_and_says_so() {
    let dir = scratch("interrupt");
    let input = dir.join("big.csv");
    large_csv(&input, 2_000_000);
    let output = dir.join("results.csv");
    std::fs::write(&output, "the previous results\n").unwrap();
    for signal in ["INT", "TERM"] {
        let child = command(&[
            "eval",
            FAMI,
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
            "--jobs",
            "1",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        // Wait until the results are being written (the temporary file is created before
        // the first row is read: two million rows are far from done), then interrupt.
        let started = Instant::now();
        while partial_files(&dir).is_empty() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no temporary file"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(130), "{signal}: {err}");
        assert!(
            err.contains("was not written (the partial results were removed)"),
            "{signal}: {err}"
        );
        assert!(
            partial_files(&dir).is_empty(),
            "{signal}: temporary file left"
        );
        assert_eq!(
            std::fs::read_to_string(&output).unwrap(),
            "the previous results\n",
            "{signal}: the old file is untouched"
        );
    }
}

#[test]
fn an_output_file_is_complete_and_keeps_usual_permissions() {
    let dir = scratch("complete");
    let output = dir.join("results.csv");
    let out = forfait(&["eval", FAMI, MAXIMUM, "--output", output.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(&output).unwrap();
    assert_eq!(written.lines().count(), 2, "{written}");
    assert!(partial_files(&dir).is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&output).unwrap().permissions().mode();
        assert_ne!(
            mode & 0o044,
            0,
            "readable by others as a new file is: {mode:o}"
        );
    }
}

#[test]
fn jobs_are_bounded() {
    let out = forfait(&["eval", FAMI, MAXIMUM, "--jobs", "18446744073709551615"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is more than the"),
        "{}",
        stderr(&out)
    );
    let out = forfait(&["eval", FAMI, MAXIMUM, "--jobs", "100000000"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = forfait(&["eval", FAMI, MAXIMUM, "--jobs", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_test_run_with_nothing_to_test_fails() {
    let out = forfait(&["test", "no/such/path"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"));
    let dir = scratch("empty");
    let out = forfait(&["test", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no test case"));
}

/// A rulebook folder with three example files, and the `expected.csv` given.
fn cases(name: &str, expected: &str) -> Scratch {
    let dir = scratch(name);
    std::fs::copy(root().join(FAMI), dir.join("r.forfait")).unwrap();
    let examples = dir.join("r.examples");
    std::fs::create_dir(&examples).unwrap();
    for case in ["socle-seul", "maximum", "aucun-indicateur"] {
        let from = root().join(format!(
            "rulebooks/fami/2024-chirurgiens-dentistes.examples/{case}.json"
        ));
        std::fs::copy(from, examples.join(format!("{case}.json"))).unwrap();
    }
    std::fs::write(examples.join("expected.csv"), expected).unwrap();
    dir
}

#[test]
fn forfait_test_compares_amounts_as_numbers() {
    let dir = cases(
        "numbers",
        "example,total_eur\nsocle-seul,490\nmaximum,1240.0\naucun-indicateur,0\n",
    );
    let out = forfait(&["test", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let dir = cases(
        "wrong",
        "example,total_eur\nsocle-seul,490.01\nmaximum,1240\naucun-indicateur,0\n",
    );
    let out = forfait(&["test", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn forfait_test_refuses_unlisted_and_duplicated_cases() {
    let dir = cases(
        "unlisted",
        "example,total_eur\nsocle-seul,490\nmaximum,1240\n",
    );
    let out = forfait(&["test", dir.to_str().unwrap()]);
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("aucun-indicateur.json: a case file that")
            && printed.contains("does not list"),
        "{printed}"
    );
    let dir = cases(
        "twice",
        "example,total_eur\nsocle-seul,490\nmaximum,1240\naucun-indicateur,0\nsocle-seul,490\n",
    );
    let out = forfait(&["test", dir.to_str().unwrap()]);
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("line 5: example `socle-seul` is listed twice (first on line 2)"),
        "{printed}"
    );
}

#[test]
fn a_rulebook_saved_with_a_byte_order_mark_checks() {
    let dir = scratch("bom");
    let path = dir.join("2024-chirurgiens-dentistes.forfait");
    let mut bytes = vec![0xef, 0xbb, 0xbf];
    bytes.extend(std::fs::read(root().join(FAMI)).unwrap());
    std::fs::write(&path, bytes).unwrap();
    let out = forfait(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = forfait(&["eval", path.to_str().unwrap(), MAXIMUM]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn groups_nested_without_end_are_refused_by_check_not_a_stack_overflow() {
    let dir = scratch("deep");
    let mut text = String::from(
        "rulebook fami_2024_profond \"Profond\"\n  scheme \"FAMI\"\n  exercice 2024\n  paid in 2025\n  guide \"g\"\n  currency EUR\n  professions (chirurgien_dentiste \"CD\")\n\ninput a \"A\"\n  yes/no declarative\n  missing means no\n\nindicator i0 \"I\"\n  section \"1\"\n  declarative\n  met when a\n",
    );
    let levels = 20_000;
    let mut inner = "i0".to_string();
    for level in 1..=levels {
        let pays = if level == levels {
            "  independent\n  pays 1 EUR\n"
        } else {
            ""
        };
        text.push_str(&format!(
            "\ngroup g{level} \"G\"\n  section \"1\"\n  all-of ({inner})\n{pays}"
        ));
        inner = format!("g{level}");
    }
    let rulebook = dir.join("profond.forfait");
    std::fs::write(&rulebook, text).unwrap();
    let declaration = dir.join("d.json");
    std::fs::write(&declaration, r#"{"id": "x", "a": true}"#).unwrap();
    let (rb, d) = (rulebook.to_str().unwrap(), declaration.to_str().unwrap());
    for args in [
        vec!["check", rb],
        vec!["explain", rb, d],
        vec!["doc", rb],
        vec!["eval", rb, d],
    ] {
        let out = forfait(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("groups nest more than 32 levels deep"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn an_input_that_cannot_be_read_stops_the_batch_with_exit_2_and_no_output() {
    // A directory given as the input fails on its first read (EISDIR), as a disk error
    // (EIO) fails on some read: the library tests hold the same path to a failing reader
    // after data (tests/batch.rs). JSON lines used to retry that read for ever, writing
    // "cannot read the line" until the disk was full.
    let dir = scratch("unreadable");
    for name in ["decl.csv", "decl.jsonl", "decl.json"] {
        let input = dir.join(name);
        std::fs::create_dir_all(&input).unwrap();
        let output = dir.join("resultats.csv");
        let started = Instant::now();
        let out = forfait(&[
            "eval",
            FAMI,
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ]);
        assert!(started.elapsed() < Duration::from_secs(20), "{name}");
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("error: cannot read {}: ", input.display())),
            "{name}: {err}"
        );
        assert!(
            err.contains("resultats.csv was not written"),
            "{name}: {err}"
        );
        assert!(!output.exists(), "{name}");
        assert!(partial_files(&dir).is_empty(), "{name}");
        // To standard output too: the error, exit 2, no rejected row.
        let out = forfait(&["eval", FAMI, input.to_str().unwrap(), "--format", "csv"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("rejected"), "{name}: {stdout}");
    }
}
