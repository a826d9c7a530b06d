//! `forfait diff`: the semantic changelog of two rulebooks and the impact of the change on a
//! set of declarations, snapshot-tested.
//!
//! - the shipped dentists' rulebooks, 2022 → 2024 and 2021 → 2024, over the dentists'
//!   situations (Markdown and JSON);
//! - a rulebook against itself;
//! - `tests/cases/diff/<case>/{old,new}.forfait` (+ an optional `declarations.json`): one
//!   snapshot per folder; adding a case is adding a folder.

// A test that cannot read its own fixtures should stop loudly.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

mod common;
use common::{compiled, read, root, shown};

use std::path::{Path, PathBuf};
use std::process::Command;

use forfait::diff::{self, Cause, ImpactFile, Kind, Part};
use forfait::output::diff::{self as render, Compared};
use forfait::output::text::short_hash;
use forfait::{compile, CompiledRulebook};
use rust_decimal::Decimal;

/// The content hashes (whole and short) masked, so that a comment edit does not touch the
/// snapshots.
fn mask(text: String, rulebooks: &[&CompiledRulebook]) -> String {
    rulebooks.iter().fold(text, |t, r| {
        t.replace(&r.meta.content_hash, "sha256:[hash]")
            .replace(short_hash(&r.meta.content_hash), "sha256:[hash]")
    })
}

struct Run {
    diff: diff::Diff,
    markdown: String,
    json: String,
}

/// What `forfait diff OLD NEW [--impact FILES]` computes and prints, both formats.
fn run(old: &Path, new: &Path, impact: &[PathBuf]) -> Run {
    let (old_rb, new_rb) = (compiled(old), compiled(new));
    let texts: Vec<(String, String)> = impact.iter().map(|p| (shown(p), read(p))).collect();
    let files: Vec<ImpactFile<'_>> = texts
        .iter()
        .map(|(name, text)| ImpactFile { name, text })
        .collect();
    let result = diff::diff(&old_rb, &new_rb, &files);
    let (old_source, new_source) = (shown(old), shown(new));
    let compared = Compared {
        old: &old_rb,
        new: &new_rb,
        old_source: &old_source,
        new_source: &new_source,
    };
    let markdown = mask(render::markdown(&compared, &result), &[&old_rb, &new_rb]);
    let json = mask(render::json(&compared, &result), &[&old_rb, &new_rb]);
    Run {
        diff: result,
        markdown,
        json,
    }
}

fn command(old: &Path, new: &Path, impact: &[PathBuf], json: bool) -> String {
    let mut line = format!("forfait diff {} {}", shown(old), shown(new));
    if !impact.is_empty() {
        line.push_str(" --impact");
        for p in impact {
            line.push(' ');
            line.push_str(&shown(p));
        }
    }
    if json {
        line.push_str(" --format json");
    }
    line
}

/// The invariants every diff keeps, whatever the rulebooks.
fn check_invariants(run: &Run) {
    let parsed: serde_json::Value = serde_json::from_str(&run.json).expect("the JSON parses");
    assert_eq!(
        parsed["changes"].as_array().map(Vec::len),
        Some(run.diff.changes.len())
    );
    // Parts come in changelog order.
    assert!(run.diff.changes.windows(2).all(|w| w[0].part <= w[1].part));
    let Some(impact) = &run.diff.impact else {
        return;
    };
    // The lines' differences add up to the total difference: every euro is attributed.
    let summary = impact.summary();
    let lines: Decimal = impact.lines.iter().map(|l| l.difference).sum();
    assert_eq!(
        lines,
        summary.difference(),
        "every difference is attributed"
    );
    for line in &impact.lines {
        let causes: Decimal = line.causes.iter().map(|c| c.difference).sum();
        assert_eq!(causes, line.difference, "{}: causes add up", line.line);
        let count: usize = line.causes.iter().map(|c| c.declarations).sum();
        assert_eq!(
            count, line.declarations,
            "{}: declarations add up",
            line.line
        );
        for cause in &line.causes {
            // Every change a cause cites exists.
            if let Cause::Status {
                leaves, changes, ..
            } = &cause.cause
            {
                for k in leaves.iter().flat_map(|l| l.changes.iter()).chain(changes) {
                    assert!(*k < run.diff.changes.len());
                }
            }
        }
    }
    assert_eq!(
        summary.declarations,
        summary.gain + summary.lose + summary.unchanged + summary.rejected()
    );
    let per_profession: usize = impact
        .professions()
        .iter()
        .map(|(_, s)| s.declarations)
        .sum();
    assert_eq!(per_profession, summary.declarations);
}

const DENTISTS_2021: &str = "rulebooks/fami/2021-professions-de-sante.forfait";
const DENTISTS_2022: &str = "rulebooks/fami/2022-chirurgiens-dentistes.forfait";
const DENTISTS_2024: &str = "rulebooks/fami/2024-chirurgiens-dentistes.forfait";
const SITUATIONS: &str = "rulebooks/situations/chirurgiens-dentistes.json";

fn shipped(old: &str, new: &str, name: &str) {
    let (old, new) = (root().join(old), root().join(new));
    let impact = [root().join(SITUATIONS)];
    let run = run(&old, &new, &impact);
    check_invariants(&run);
    insta::assert_snapshot!(
        format!("{name}-markdown"),
        format!(
            "--- {}\n{}",
            command(&old, &new, &impact, false),
            run.markdown
        )
    );
    insta::assert_snapshot!(
        format!("{name}-json"),
        format!("--- {}\n{}", command(&old, &new, &impact, true), run.json)
    );
}

#[test]
fn fami_dentists_2022_to_2024() {
    shipped(DENTISTS_2022, DENTISTS_2024, "fami-dentists-2022-to-2024");
}

#[test]
fn fami_dentists_2021_to_2024() {
    shipped(DENTISTS_2021, DENTISTS_2024, "fami-dentists-2021-to-2024");
}

#[test]
fn fami_2022_to_2024_says_what_the_guides_say() {
    let run = run(
        &root().join(DENTISTS_2022),
        &root().join(DENTISTS_2024),
        &[root().join(SITUATIONS)],
    );
    let has = |kind: Kind, rule: &str| {
        run.diff
            .changes
            .iter()
            .any(|c| c.kind == kind && c.rule.as_deref() == Some(rule))
    };
    assert!(has(Kind::IndicatorAdded, "aller_vers"));
    assert!(has(Kind::IndicatorAdded, "accueil_stagiaire"));
    assert!(has(Kind::StatedTotalChanged, "TOTAL maximal"));
    assert!(
        !run.diff.changes.iter().any(|c| c.part == Part::Payments),
        "socle and coordination pay as before"
    );
    assert!(run
        .markdown
        .contains("Indicateur « aller_vers » ajouté : 300,00\u{a0}€, indépendant de « socle »"));
    assert!(run
        .markdown
        .contains("Total du guide « TOTAL maximal » : 590,00\u{a0}€ → 1\u{a0}240,00\u{a0}€"));
    let impact = run.diff.impact.as_ref().expect("an impact");
    let summary = impact.summary();
    assert_eq!(summary.lose, 0);
    // The two new indicators, line by line: what the coordination pays to the situations
    // depends on the coordination inputs they carry, whose names the FAMI rulebooks share.
    assert!(
        run.markdown
            .contains("- aller_vers : +600,00\u{a0}€ pour 2 déclarations"),
        "{}",
        run.markdown
    );
    assert!(
        run.markdown
            .contains("- accueil_stagiaire : +700,00\u{a0}€ pour 2 déclarations"),
        "{}",
        run.markdown
    );
}

#[test]
fn a_rulebook_has_no_difference_with_itself() {
    let path = root().join(DENTISTS_2024);
    let impact = [root().join(SITUATIONS)];
    let run = run(&path, &path, &impact);
    check_invariants(&run);
    assert!(run.diff.is_empty(), "{:#?}", run.diff.changes);
    assert!(run.markdown.contains("Aucune différence de règles."));
    let summary = run.diff.impact.as_ref().expect("an impact").summary();
    assert_eq!((summary.gain, summary.lose), (0, 0));
    assert!(run.diff.impact.as_ref().is_some_and(|i| i.lines.is_empty()));
    insta::assert_snapshot!(
        "same-rulebook-markdown",
        format!(
            "--- {}\n{}",
            command(&path, &path, &impact, false),
            run.markdown
        )
    );
    // Every shipped rulebook, against itself: no change, whatever its constructs.
    for dir in ["rulebooks/fami", "rulebooks/forfait-structure"] {
        for entry in std::fs::read_dir(root().join(dir))
            .expect("a folder")
            .flatten()
        {
            let p = entry.path();
            if p.extension().is_some_and(|e| e == "forfait") {
                let rb = compiled(&p);
                let changes = diff::changes(&rb, &rb);
                assert!(changes.is_empty(), "{}: {changes:#?}", shown(&p));
            }
        }
    }
}

/// `tests/cases/diff/<case>/`: `old.forfait`, `new.forfait` and, when present,
/// `declarations.json` for the impact; snapshot `diff__case-<case>.snap`.
#[test]
fn diff_cases() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("tests/cases/diff"))
        .expect("tests/cases/diff")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for dir in cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let (old, new) = (dir.join("old.forfait"), dir.join("new.forfait"));
        let declarations = dir.join("declarations.json");
        let impact: Vec<PathBuf> = if declarations.exists() {
            vec![declarations]
        } else {
            Vec::new()
        };
        let run = run(&old, &new, &impact);
        check_invariants(&run);
        insta::assert_snapshot!(
            format!("case-{name}"),
            format!(
                "--- {}\n{}\n--- {}\n{}\n",
                command(&old, &new, &impact, false),
                run.markdown,
                command(&old, &new, &impact, true),
                run.json
            )
        );
    }
}

#[test]
fn a_threshold_change_is_its_own_line_and_explains_the_moves() {
    let dir = root().join("tests/cases/diff/seuil-70-pour-cent-vers-2-tiers");
    let run = run(
        &dir.join("old.forfait"),
        &dir.join("new.forfait"),
        &[dir.join("declarations.json")],
    );
    let threshold: Vec<_> = run
        .diff
        .changes
        .iter()
        .filter(|c| c.kind == Kind::ThresholdChanged)
        .collect();
    assert_eq!(threshold.len(), 1);
    assert_eq!(threshold[0].old.as_deref(), Some("70 %"));
    assert_eq!(threshold[0].new.as_deref(), Some("2/3"));
    assert!(!run
        .diff
        .changes
        .iter()
        .any(|c| c.kind == Kind::ConditionChanged));
    assert!(run
        .markdown
        .contains("- Seuil de « teletransmission » : 70\u{a0}% → 2/3"));
    assert!(run.markdown.contains(
        "- coordination : +100,00\u{a0}€ pour 1 déclaration (« socle » atteint en 2024, non atteint en 2023 : « teletransmission » non atteint → atteint, seuil 70\u{a0}% → 2/3)"
    ));
}

/// Two thresholds move (a rate 70 % → 75 %, a count 4 → 6 réunions); the batch has a
/// declaration between 4 and 6 and none between 70 % and 75 %: the impact says that the
/// second change is not measured by it, in the Markdown, the JSON and on standard error
/// (in English or in French).
#[test]
fn the_impact_says_which_changed_threshold_its_batch_does_not_measure() {
    let dir = root().join("tests/cases/diff/seuils-hors-du-lot");
    let run = run(
        &dir.join("old.forfait"),
        &dir.join("new.forfait"),
        &[dir.join("declarations.json")],
    );
    let moved: Vec<(&str, &str, &str)> = run
        .diff
        .thresholds()
        .map(|(_, c, _)| {
            (
                c.rule.as_deref().unwrap_or(""),
                c.old.as_deref().unwrap_or(""),
                c.new.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        moved,
        [
            ("teletransmission", "70 %", "75 %"),
            ("coordination", "4", "6")
        ]
    );
    // A count threshold is a threshold of its own, not the whole condition changed.
    assert!(!run
        .diff
        .changes
        .iter()
        .any(|c| c.kind == Kind::ConditionChanged));
    let impact = run.diff.impact.as_ref().expect("an impact");
    let between: Vec<(&str, usize)> = impact
        .thresholds
        .iter()
        .map(|t| (t.rule.as_str(), t.between))
        .collect();
    assert_eq!(between, [("teletransmission", 0), ("coordination", 1)]);
    assert!(run.markdown.contains(
        "- Seuil de « teletransmission » — aucune déclaration entre 70\u{a0}% et 75\u{a0}% : l'effet de ce seuil n'est pas mesuré par ce lot\n"
    ), "{}", run.markdown);
    assert!(run
        .markdown
        .contains("- Seuil de « coordination » — 1 déclaration entre 4 et 6\n"));
    let json: serde_json::Value = serde_json::from_str(&run.json).expect("JSON");
    assert_eq!(json["impact"]["thresholds"][0]["declarations_between"], 0);
    assert_eq!(json["impact"]["thresholds"][0]["measured"], false);
    assert_eq!(json["impact"]["thresholds"][1]["declarations_between"], 1);

    let args = [
        "diff",
        "tests/cases/diff/seuils-hors-du-lot/old.forfait",
        "tests/cases/diff/seuils-hors-du-lot/new.forfait",
        "--impact",
        "tests/cases/diff/seuils-hors-du-lot/declarations.json",
    ];
    let out = common::forfait(&args);
    assert_eq!(out.status.code(), Some(0));
    let said = common::stderr(&out);
    assert!(said.contains("no declaration of the batch between 70 % and 75 % (threshold of `teletransmission`): the effect of this threshold is not measured by this batch"), "{said}");
    assert!(!said.contains("coordination"), "{said}");
    let french: Vec<&str> = args.iter().copied().chain(["--lang", "fr"]).collect();
    let said = common::stderr(&common::forfait(&french));
    assert!(said.contains("entre 70\u{a0}% et 75\u{a0}%"), "{said}");
    assert!(said.replace('\u{a0}', " ").contains("aucune déclaration du lot entre 70 % et 75 % (seuil de « teletransmission ») : l'effet de ce seuil n'est pas mesuré par ce lot"), "{said}");
}

#[test]
fn renames_follow_what_names_them() {
    let dir = root().join("tests/cases/diff/renommage");
    let run = run(&dir.join("old.forfait"), &dir.join("new.forfait"), &[]);
    let kinds: Vec<Kind> = run.diff.changes.iter().map(|c| c.kind).collect();
    // The group's members and the coordination's `requires` follow the renames.
    assert_eq!(kinds, [Kind::IndicatorRenamed, Kind::GroupRenamed]);
}

/// The steps of `forfait diff` (cli/diff.rs) through the library: a `REV:PATH` argument is
/// read from git only when no file has that name; the rest is `diff::diff` and the renderers.
#[test]
fn cli_level_git_argument_and_pipeline() {
    let exists = |p: &str| root().join(p).exists();
    assert_eq!(
        diff::git_revision(
            "main:rulebooks/fami/2024-chirurgiens-dentistes.forfait",
            exists
        ),
        Some(("main", "rulebooks/fami/2024-chirurgiens-dentistes.forfait"))
    );
    assert_eq!(diff::git_revision(DENTISTS_2024, exists), None);
    assert_eq!(
        diff::git_revision("HEAD~1:x.forfait", |_| false),
        Some(("HEAD~1", "x.forfait"))
    );
    // A file whose name has a colon is a file.
    assert_eq!(diff::git_revision("a:b.forfait", |_| true), None);
    assert_eq!(diff::git_revision("plain.forfait", |_| false), None);

    // With git at hand, the committed 2024 rulebook against the working copy: both compile
    // and the pipeline runs (the working copy may differ, so no snapshot here).
    let git = Command::new("git")
        .args(["show", &format!("HEAD:{DENTISTS_2024}")])
        .current_dir(root())
        .output();
    if let Some(out) = git.ok().filter(|o| o.status.success()) {
        let source = String::from_utf8(out.stdout).expect("UTF-8");
        let arg = format!("HEAD:{DENTISTS_2024}");
        let old = compile(&arg, &source)
            .expect("the committed rulebook checks")
            .rulebook;
        let new = compiled(&root().join(DENTISTS_2024));
        let result = diff::diff(&old, &new, &[]);
        let compared = Compared {
            old: &old,
            new: &new,
            old_source: &arg,
            new_source: DENTISTS_2024,
        };
        let md = render::markdown(&compared, &result);
        assert!(md.starts_with("## forfait diff : fami_2024_chirurgiens_dentistes (exercice 2024) → fami_2024_chirurgiens_dentistes (exercice 2024)"), "{md}");
        assert!(md.contains("`HEAD:rulebooks/fami/2024-chirurgiens-dentistes.forfait`"));
    }
}

/// The binary, once `forfait diff` is wired into the command line: exit codes and the git
/// form. Skipped (with a note) while the subcommand is not there.
#[test]
fn cli_diff_end_to_end() {
    let forfait = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_forfait"))
            .args(args)
            .current_dir(root())
            .output()
            .expect("the forfait binary runs")
    };
    let help = forfait(&["--help"]);
    let wired = String::from_utf8_lossy(&help.stdout)
        .lines()
        .any(|l| l.trim_start().starts_with("diff "));
    if !wired {
        eprintln!("note: `forfait diff` is not wired into src/main.rs yet; skipped");
        return;
    }
    let out = forfait(&["diff", DENTISTS_2022, DENTISTS_2024, "--impact", SITUATIONS]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("- aller_vers : +600,00\u{a0}€ pour 2 déclarations"),
        "{stdout}"
    );

    let json = forfait(&["diff", DENTISTS_2024, DENTISTS_2024, "--format", "json"]);
    assert_eq!(json.status.code(), Some(0));
    let parsed: serde_json::Value =
        serde_json::from_slice(&json.stdout).expect("JSON on standard output");
    assert_eq!(parsed["identical"], true);

    let missing = forfait(&["diff", "nowhere.forfait", DENTISTS_2024]);
    assert_eq!(missing.status.code(), Some(2));
    let bad_rev = forfait(&["diff", "no-such-revision:nowhere.forfait", DENTISTS_2024]);
    assert_eq!(bad_rev.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_rev.stderr).contains("git show"));

    let broken = std::env::temp_dir().join(format!("forfait-diff-{}.forfait", std::process::id()));
    std::fs::write(
        &broken,
        read(&root().join(DENTISTS_2024)).replace("requires socle", "requires socel"),
    )
    .expect("write");
    let out = forfait(&["diff", broken.to_str().expect("UTF-8 path"), DENTISTS_2024]);
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_file(&broken);

    let git = Command::new("git")
        .args(["rev-parse", "--verify", "HEAD"])
        .current_dir(root())
        .output();
    if git.is_ok_and(|o| o.status.success()) {
        let head = format!("HEAD:{DENTISTS_2024}");
        let out = forfait(&["diff", &head, DENTISTS_2024]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A real neutralisation lifted: FAMI 2019 neutralised the DMP indicator for the
/// masseurs-kinésithérapeutes, the 2021 guide requires it again.
#[test]
fn fami_kine_2019_to_2021() {
    let old = root().join("rulebooks/fami/2019-masseurs-kinesitherapeutes.forfait");
    let new = root().join(DENTISTS_2021);
    let impact = [root().join("rulebooks/situations/masseurs-kinesitherapeutes.json")];
    let run = run(&old, &new, &impact);
    check_invariants(&run);
    assert!(
        run.diff
            .changes
            .iter()
            .any(|c| c.kind == Kind::NeutralisationLifted
                && c.rule.as_deref() == Some("logiciel_dmp"))
    );
    insta::assert_snapshot!(
        "fami-kine-2019-to-2021-markdown",
        format!(
            "--- {}\n{}",
            command(&old, &new, &impact, false),
            run.markdown
        )
    );
}

#[test]
fn labels_are_escaped_and_long_parts_folded_in_the_markdown() {
    let dir = root().join("tests/cases/diff/libelles-a-echapper");
    let run = run(&dir.join("old.forfait"), &dir.join("new.forfait"), &[]);
    let md = &run.markdown;
    for escaped in [
        "« Messagerie sécurisée de santé &lt;img src=x onerror=alert(1)> utilisée avant le 31 décembre »",
        "\\*compatible\\* DMP, voir \\[le guide\\](http://exemple.fr) \\_page 3\\_",
        "    - mots changés : « &lt;img src=x onerror=alert(1)> » ajouté",
    ] {
        assert!(md.contains(escaped), "{escaped}\n{md}");
    }
    // The studio's page shows the labels as text.
    let html = render::html(md);
    assert!(!html.contains("<img"), "{html}");
    assert!(
        html.contains("*compatible* DMP, voir [le guide](http://exemple.fr) _page 3_"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    // JSON keeps the rulebook's words as they are.
    assert!(run
        .json
        .contains("santé <img src=x onerror=alert(1)> utilisée"));

    // Twenty changes of the kinés' inputs from 2019 to 2021: folded, counted.
    let kines = run_paths(
        "rulebooks/fami/2019-masseurs-kinesitherapeutes.forfait",
        DENTISTS_2021,
    );
    assert!(
        kines.contains("### Données de la déclaration\n\n<details markdown=\"1\">\n<summary>20 changements</summary>\n\n- "),
        "{kines}"
    );
    assert!(kines.contains("\n</details>\n"));
}

fn run_paths(old: &str, new: &str) -> String {
    run(&root().join(old), &root().join(new), &[]).markdown
}
