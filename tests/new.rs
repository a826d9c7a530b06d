//! `forfait new`: next year's rulebook, run on copies of the shipped ones in a scratch
//! folder, as policy staff would start the 2025 dentists' rulebook.

// A test that cannot set up its scratch folder should stop loudly.
#![allow(clippy::panic)]

mod common;

use std::fs;
use std::path::Path;

use common::{command, forfait, read, root, scratch, stderr, stdout, Scratch};

const DENTISTES: &str = "rulebooks/fami/2024-chirurgiens-dentistes";

/// A scratch folder holding a copy of `rulebook` (`X.forfait`) and of its `X.examples/`.
fn copy_of(name: &str, rulebook: &str) -> Scratch {
    let dir = scratch("new", name);
    let base = Path::new(rulebook)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let copy = |from: &Path, to: &Path| {
        fs::copy(from, to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
    };
    copy(
        &root().join(format!("{rulebook}.forfait")),
        &dir.join(format!("{base}.forfait")),
    );
    let examples = root().join(format!("{rulebook}.examples"));
    let to = dir.join(format!("{base}.examples"));
    fs::create_dir(&to).unwrap_or_else(|e| panic!("{e}"));
    for entry in fs::read_dir(&examples).into_iter().flatten().flatten() {
        copy(&entry.path(), &to.join(entry.file_name()));
    }
    dir
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

/// The names of a folder's files, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The quoted texts of a rulebook, in order (labels, quotes, ...).
fn quoted(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.trim_start().starts_with("quote "))
        .map(str::to_string)
        .collect()
}

#[test]
fn next_year_is_written_beside_with_its_header_moved_on_and_its_dates_listed() {
    let dir = copy_of("dentistes", DENTISTES);
    let from = path(&dir, "2024-chirurgiens-dentistes.forfait");
    let out = forfait(&["new", "--from", &from, "--exercice", "2025"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = stdout(&out);
    let new = path(&dir, "2025-chirurgiens-dentistes.forfait");
    let old_text = read(Path::new(&from));
    let new_text = read(Path::new(&new));

    // The header moved on, and nothing else but it.
    for line in [
        "rulebook fami_2025_chirurgiens_dentistes \"FAMI 2025 : chirurgiens-dentistes libéraux\"",
        "  exercice 2025",
        "  paid in 2026",
        // The guide is still 2024's until the 2025 one is named: listed, not changed.
        "  guide \"Guide méthodologique FAMI exercice 2024, chirurgiens-dentistes libéraux (CNAM)\"",
    ] {
        assert!(new_text.lines().any(|l| l == line), "{line}\n{new_text}");
    }
    let changed: Vec<(&str, &str)> = old_text
        .lines()
        .zip(new_text.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 3, "{changed:#?}");
    assert_eq!(old_text.lines().count(), new_text.lines().count());
    // Quotes are the guide's words: kept exactly, 2024 dates and all.
    assert_eq!(quoted(&old_text), quoted(&new_text));
    assert!(new_text.contains("au 31/12/2024 de la version 1.40 addendum 8"));

    // The examples are copied, every file.
    let old_examples = dir.join("2024-chirurgiens-dentistes.examples");
    let new_examples = dir.join("2025-chirurgiens-dentistes.examples");
    assert_eq!(listing(&old_examples), listing(&new_examples));
    assert!(listing(&new_examples).contains(&"expected.csv".to_string()));
    assert!(said.contains("copied 41 files of"), "{said}");

    // What to review, with its line in the new file.
    let line_of = |needle: &str| {
        new_text
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or_default()
    };
    for (needle, expected) in [
        (
            "input cdc_sesam_vitale ",
            "addendum 8 and 31/12/2024 in the label of input `cdc_sesam_vitale`: still right for 2025?",
        ),
        (
            "quote \"les chirurgiens-dentistes devront être équipés",
            "31/12/2024 and addendum 8 in a quote of indicator `cahier_des_charges_sv`: still the words of the 2025 guide?",
        ),
        (
            "  guide ",
            "2024 in the guide named: still the guide of 2025?",
        ),
        ("JO du 25 août 2023", "25 août 2023 in a comment"),
    ] {
        let wanted = format!("{new}:{}: {expected}", line_of(needle));
        assert!(said.contains(&wanted), "{wanted}\n{said}");
    }
    // The title's year moved: it is no longer to review.
    assert!(!said.contains("in the title"), "{said}");

    // The new rulebook checks clean, is canonical, and its copied examples pass.
    let check = forfait(&["check", &new]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(!stderr(&check).contains("warning"), "{}", stderr(&check));
    let fmt = forfait(&["fmt", "--check", &new]);
    assert_eq!(fmt.status.code(), Some(0), "{}", stdout(&fmt));
    let test = forfait(&["test", &new]);
    assert_eq!(test.status.code(), Some(0), "{}", stdout(&test));

    // Run again: the file exists, nothing is overwritten.
    fs::write(&new, "# edited by hand\n").unwrap_or_else(|e| panic!("{e}"));
    let again = forfait(&["new", "--from", &from, "--exercice", "2025"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("exists already") && stderr(&again).contains("nothing was written"),
        "{}",
        stderr(&again)
    );
    assert_eq!(read(Path::new(&new)), "# edited by hand\n");
}

#[test]
fn an_existing_examples_folder_is_not_overwritten_either() {
    let dir = copy_of("examples-exist", DENTISTES);
    let from = path(&dir, "2024-chirurgiens-dentistes.forfait");
    let examples = dir.join("2025-chirurgiens-dentistes.examples");
    fs::create_dir(&examples).unwrap_or_else(|e| panic!("{e}"));
    let out = forfait(&["new", "--from", &from, "--exercice", "2025"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("2025-chirurgiens-dentistes.examples exists already"));
    assert!(!dir.join("2025-chirurgiens-dentistes.forfait").exists());
    assert!(listing(&examples).is_empty());
}

#[test]
fn a_date_in_a_condition_is_listed_as_a_rule_in_french_too() {
    let dir = copy_of("kines", "rulebooks/fami/2019-masseurs-kinesitherapeutes");
    let from = path(&dir, "2019-masseurs-kinesitherapeutes.forfait");
    let out = command(&["--lang", "fr", "new", "--from", &from, "--exercice", "2020"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = stdout(&out).replace('\u{a0}', " ");
    let new = path(&dir, "2020-masseurs-kinesitherapeutes.forfait");
    for expected in [
        "  exercice : 2019 → 2020",
        "  versé en : 2020 → 2021",
        ":108 : 2020-01-31 dans une condition de l'indicateur `cahier_des_charges_sv` : toujours la règle en 2020 ?",
        ":32 : 31 décembre 2019 dans le libellé de la donnée `logiciel_metier_dmp` : toujours juste pour 2020 ?",
        "2019 et avenant 5 dans le guide cité : toujours le guide de 2020 ?",
    ] {
        assert!(said.contains(expected), "{expected}\n{said}");
    }
    assert!(said.contains(&format!("{new}:108")), "{said}");
    let check = forfait(&["check", &new]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn what_cannot_move_on_is_refused_with_exit_2_and_nothing_written() {
    let dir = copy_of("refused", DENTISTES);
    let from = path(&dir, "2024-chirurgiens-dentistes.forfait");
    let same = forfait(&["new", "--from", &from, "--exercice", "2024"]);
    assert_eq!(same.status.code(), Some(2));
    assert!(stderr(&same).contains("its exercice is 2024 already"));

    let unnamed = path(&dir, "dentistes.forfait");
    fs::copy(&from, &unnamed).unwrap_or_else(|e| panic!("{e}"));
    let out = forfait(&["new", "--from", &unnamed, "--exercice", "2025"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("its file name dentistes.forfait has no year 2024 to move on"),
        "{}",
        stderr(&out)
    );
    let missing = forfait(&[
        "new",
        "--from",
        &path(&dir, "absent.forfait"),
        "--exercice",
        "2025",
    ]);
    assert_eq!(missing.status.code(), Some(2));

    // A rulebook that does not check is no start for next year's.
    let broken = path(&dir, "2024-casse.forfait");
    fs::write(&broken, "rulebook x \"x\"\n").unwrap_or_else(|e| panic!("{e}"));
    let out = forfait(&["new", "--from", &broken, "--exercice", "2025"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nothing was written"),
        "{}",
        stderr(&out)
    );

    let mut left = listing(&dir);
    left.retain(|n| n.starts_with("2025"));
    assert!(left.is_empty(), "{left:?}");
}
