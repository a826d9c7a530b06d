//! The command line end to end: what a user types, what they read, and the exit codes
//! scripts rely on (0 ok, 1 problems found, 2 usage or I/O error).

// A test that cannot run the binary or read its output should stop loudly.
#![allow(clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `forfait` in English, whatever the locale of the machine running the tests.
fn forfait(args: &[&str]) -> Output {
    forfait_in(&[("LANG", "C")], args)
}

/// Runs `forfait` with only these locale variables set (`LC_ALL`, `LC_MESSAGES`, `LANG`).
fn forfait_in(locale: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_forfait"));
    command
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (name, value) in locale {
        command.env(name, value);
    }
    command.output().expect("the forfait binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const FAMI: &str = "rulebooks/fami/2024-chirurgiens-dentistes.forfait";
const FAMI_EXAMPLES: &str = "rulebooks/fami/2024-chirurgiens-dentistes.examples";
/// The rulebook the declaration-error cases are written for (a frozen copy of FAMI 2024).
const ERRORS_RULEBOOK: &str = "tests/cases/eval/declaration-errors/rulebook.forfait";

#[test]
fn check_exits_0_on_the_shipped_rulebooks() {
    let out = forfait(&[
        "check",
        FAMI,
        "rulebooks/forfait-structure/2025-medecins.forfait",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("stated totals verified: TOTAL maximal = 1240 EUR"));
}

#[test]
fn check_takes_folders_as_fmt_and_test_do() {
    let out = forfait(&["check", "rulebooks"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let checked = err.lines().filter(|l| l.starts_with("ok: ")).count();
    let shipped = std::fs::read_dir("rulebooks")
        .expect("rulebooks/")
        .flatten()
        .flat_map(|scheme| std::fs::read_dir(scheme.path()).expect("a scheme's folder"))
        .flatten()
        .filter(|f| f.path().extension().is_some_and(|e| e == "forfait"))
        .count();
    assert!(
        shipped >= 5 && checked == shipped,
        "{checked} of {shipped}:\n{err}"
    );
    assert!(err.contains("ok: rulebooks/fami/2024-chirurgiens-dentistes.forfait"));

    let empty = std::env::temp_dir().join(format!("forfait-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).expect("temp dir");
    for command in [&["check"][..], &["fmt", "--check"]] {
        let mut args = command.to_vec();
        args.push(empty.to_str().expect("utf-8 path"));
        let out = forfait(&args);
        assert_eq!(out.status.code(), Some(2), "{command:?}");
        assert!(
            stderr(&out).contains("no .forfait file in"),
            "{}",
            stderr(&out)
        );
    }
    std::fs::remove_dir(&empty).expect("empty temp dir");
}

#[test]
fn check_exits_1_and_reports_every_error() {
    let broken = broken_rulebook("check");
    let out = forfait(&["check", broken.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("did you mean `actes_total`?"), "{err}");
    assert!(err.contains("did you mean `socle`?"), "{err}");
    assert!(err.contains("2 errors"), "{err}");

    let json = forfait(&[
        "check",
        "--error-format",
        "json",
        broken.to_str().expect("utf-8 path"),
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON diagnostics");
    assert_eq!(parsed[0].as_array().map(Vec::len), Some(2), "{parsed}");
    assert_eq!(parsed[0][0]["code"], "forfait::check::unknown_name");
    remove_scratch(&broken);
}

#[test]
fn eval_pays_the_maximum_and_exits_0() {
    let out = forfait(&["eval", FAMI, &format!("{FAMI_EXAMPLES}/maximum.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Total                1 240,00 €"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn eval_exits_1_when_a_declaration_is_rejected_and_keeps_the_others() {
    let out = forfait(&[
        "eval",
        ERRORS_RULEBOOK,
        "tests/cases/eval/declaration-errors/batch.csv",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let csv = stdout(&out);
    // A header line and one line per input row: nothing lost.
    assert_eq!(csv.lines().count(), 1 + 6, "{csv}");
    assert_eq!(csv.matches(",evaluated,").count(), 2);
    assert_eq!(csv.matches(",rejected,").count(), 4);
    assert!(stderr(&out).contains("6 declarations read: 2 evaluated, 4 rejected"));
}

#[test]
fn eval_writes_json_to_a_file() {
    let path = std::env::temp_dir().join(format!("forfait-out-{}.json", std::process::id()));
    let out = forfait(&[
        "eval",
        FAMI,
        &format!("{FAMI_EXAMPLES}/socle-seul.json"),
        "--format",
        "json",
        "--output",
        path.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("output file")).expect("JSON");
    assert_eq!(written[0]["total"]["euros"], "490.00");
    assert_eq!(
        written[0]["rulebook"]["name"],
        "fami_2024_chirurgiens_dentistes"
    );
    assert!(written[0]["rulebook"]["hash"]
        .as_str()
        .is_some_and(|h| h.starts_with("sha256:")));
    std::fs::remove_file(&path).expect("remove the results file");
}

#[test]
fn explain_shows_the_tree_and_filters_by_id() {
    let out = forfait(&[
        "explain",
        ERRORS_RULEBOOK,
        "tests/cases/eval/declaration-errors/batch.csv",
        "--id",
        "CD-001",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let tree = stdout(&out);
    assert!(
        tree.starts_with("Déclaration CD-001 : 1 240,00 € au total"),
        "{tree}"
    );
    assert!(tree.contains("└── "));
    let missing = forfait(&[
        "explain",
        ERRORS_RULEBOOK,
        "tests/cases/eval/declaration-errors/batch.csv",
        "--id",
        "nope",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no declaration with id `nope`"));
}

#[test]
fn schema_is_json_schema() {
    let out = forfait(&["schema", FAMI]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let declaration = &schema["oneOf"][0];
    assert_eq!(
        declaration["properties"]["actes_fse"]["anyOf"][0]["minimum"],
        0
    );
    let required = declaration["required"].as_array().expect("required list");
    assert!(required.iter().any(|r| r == "actes_total"));
    assert!(
        !required.iter().any(|r| r == "stagiaire_temps_plein"),
        "declarative boxes default to no"
    );
}

#[test]
fn missing_files_exit_2() {
    let out = forfait(&["check", "rulebooks/nope.forfait"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read rulebooks/nope.forfait"));
    let out = forfait(&["eval", FAMI, "nope.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn matrix_shows_one_column_per_year() {
    let out = forfait(&[
        "matrix",
        "rulebooks/situations/chirurgiens-dentistes.json",
        "rulebooks/fami/2024-chirurgiens-dentistes.forfait",
        "rulebooks/fami/2022-chirurgiens-dentistes.forfait",
        "rulebooks/forfait-structure/2025-medecins.forfait",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    // Columns by year; the médecins' rulebook covers no dentist and is left out.
    assert!(
        table.starts_with("| Situation | FAMI 2022 | FAMI 2024 |\n"),
        "{table}"
    );
    // A row that reads no coordination input, whose names the FAMI rulebooks share
    // (`dispositif_coordination`): 2024's two independent indicators, without the socle.
    assert!(
        table.contains("| aller-vers-et-stagiaire-sans-socle | 0,00 € | 650,00 € |"),
        "{table}"
    );
}

#[test]
fn test_runs_every_case_beside_the_shipped_rulebooks() {
    let out = forfait(&["test"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let last = stdout(&out).lines().last().unwrap_or("").to_string();
    let passed: usize = last
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        passed >= 120 && last.ends_with(" passed, 0 failed"),
        "{last}"
    );
}

#[test]
fn test_shows_what_a_failing_case_expected_and_got() {
    let out = forfait(&["test", "tests/cases/test", "--coverage"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn test_coverage_of_the_shipped_rulebooks() {
    let out = forfait(&["test", "--coverage", "rulebooks"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn eval_output_format_follows_the_file_name_unless_told() {
    let dir = std::env::temp_dir();
    let csv = dir.join(format!("forfait-out-{}.csv", std::process::id()));
    let batch = "tests/cases/eval/declaration-errors/batch.csv";
    let out = forfait(&[
        "eval",
        ERRORS_RULEBOOK,
        batch,
        "--output",
        csv.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let written = std::fs::read_to_string(&csv).expect("output file");
    assert!(written.starts_with("id,status,total_euros,"), "{written}");
    assert_eq!(
        written.lines().count(),
        7,
        "a header and a row per declaration"
    );

    let jsonl = dir.join(format!("forfait-out-{}.jsonl", std::process::id()));
    let out = forfait(&[
        "eval",
        FAMI,
        batch,
        "--output",
        jsonl.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let written = std::fs::read_to_string(&jsonl).expect("output file");
    // The header does not fit FAMI: its own rejection, then the 6 rows' (docs/batch.md).
    assert_eq!(written.lines().count(), 1 + 6);
    for line in written.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("one JSON object a line");
    }

    // `--format` wins over the name; a name that says nothing means text.
    let out = forfait(&[
        "eval",
        FAMI,
        batch,
        "--format",
        "text",
        "--output",
        csv.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let written = std::fs::read_to_string(&csv).expect("output file");
    assert!(written.starts_with("Déclaration"), "{written}");
    let _ = std::fs::remove_file(csv);
    let _ = std::fs::remove_file(jsonl);
}

/// A copy of FAMI 2024 broken as staff break it: a misspelt name, a misspelt rule; in a
/// scratch folder of the test's own (`test` names it), which `remove_scratch` removes.
fn broken_rulebook(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("forfait-cli-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let broken = dir.join("broken.forfait");
    let source = std::fs::read_to_string(FAMI)
        .expect("rulebook")
        .replace(
            "met when actes_fse / actes_total >= 70 %",
            "met when actes_fse / actes_totl >= 70 %",
        )
        .replace("requires socle", "requires socel");
    std::fs::write(&broken, source).expect("write");
    broken
}

fn remove_scratch(broken: &std::path::Path) {
    if let Some(dir) = broken.parent() {
        std::fs::remove_dir_all(dir).expect("remove the scratch folder");
    }
}

/// What a person reads, with the no-break spaces of French typography as plain ones.
fn read(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o)).replace('\u{a0}', " ")
}

#[test]
fn a_french_locale_gets_french_diagnostics_and_summaries() {
    let broken = broken_rulebook("lang");
    let path = broken.to_str().expect("utf-8 path");
    let out = forfait_in(&[("LANG", "fr_FR.UTF-8")], &["check", path]);
    assert_eq!(out.status.code(), Some(1));
    let err = read(&out);
    assert!(err.contains("forfait::check::unknown_name"), "{err}");
    assert!(err.contains("× entrée inconnue `actes_totl`"), "{err}");
    assert!(
        err.contains("aide : vouliez-vous dire `actes_total` ?"),
        "{err}"
    );
    assert!(
        err.contains("× indicateur ou groupe inconnu `socel`"),
        "{err}"
    );
    assert!(
        err.contains(&format!("erreur : {path} : 2 erreurs, 0 avertissement")),
        "{err}"
    );
    assert!(
        !err.contains("help:") && !err.contains("did you mean"),
        "{err}"
    );

    // `--lang en` wins over the locale; `C` is English.
    let out = forfait_in(&[("LANG", "fr_FR.UTF-8")], &["--lang", "en", "check", path]);
    assert!(read(&out).contains("help: did you mean `actes_total`?"));
    let out = forfait_in(&[("LANG", "C")], &["check", path]);
    assert!(read(&out).contains(&format!("error: {path}: 2 errors, 0 warnings")));

    // POSIX order: LC_ALL, then LC_MESSAGES, then LANG.
    let out = forfait_in(
        &[("LC_ALL", "C"), ("LANG", "fr_FR.UTF-8")],
        &["check", path],
    );
    assert!(read(&out).contains("did you mean"));
    let out = forfait_in(
        &[("LC_MESSAGES", "fr_FR.UTF-8"), ("LANG", "C")],
        &["check", path],
    );
    assert!(read(&out).contains("vouliez-vous dire"));
    let out = forfait_in(&[], &["check", "--lang", "fr", path]);
    assert!(read(&out).contains("vouliez-vous dire"));

    // JSON diagnostics: the texts follow the language, the codes and keys do not.
    let json = forfait_in(
        &[("LANG", "fr_FR.UTF-8")],
        &["check", "--error-format", "json", path],
    );
    let parsed: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert_eq!(parsed[0][0]["code"], "forfait::check::unknown_name");
    assert_eq!(parsed[0][0]["severity"], "error");
    assert_eq!(parsed[0][0]["message"], "entrée inconnue `actes_totl`");
    remove_scratch(&broken);

    let ok = forfait_in(&[("LANG", "fr_FR.UTF-8")], &["check", FAMI]);
    assert!(
        read(&ok).contains("totaux annoncés vérifiés : TOTAL maximal = 1 240 €"),
        "{}",
        read(&ok)
    );
    let missing = forfait_in(
        &[("LANG", "fr_FR.UTF-8")],
        &["check", "rulebooks/nope.forfait"],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(read(&missing).contains(
        "erreur : impossible de lire rulebooks/nope.forfait : fichier ou dossier introuvable"
    ));
}

#[test]
fn eval_in_french_keeps_the_results_in_english() {
    let out = forfait_in(
        &[("LANG", "fr_FR.UTF-8")],
        &[
            "eval",
            ERRORS_RULEBOOK,
            "tests/cases/eval/declaration-errors/batch.csv",
            "--format",
            "csv",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out).replace('\u{a0}', " ");
    assert!(
        err.contains("6 déclarations lues : 2 évaluées, 4 rejetées"),
        "{err}"
    );
    assert!(err.contains("payé : 1 240,00 € au total"), "{err}");
    // The results are the integrators' contract: English words, whatever the language.
    let csv = stdout(&out);
    assert!(csv.contains("`peut-être` is not a yes/no"), "{csv}");

    // The text format is for people: its rejections follow the language.
    let text = forfait_in(
        &[("LANG", "fr_FR.UTF-8")],
        &[
            "eval",
            ERRORS_RULEBOOK,
            "tests/cases/eval/declaration-errors/types.json",
        ],
    );
    let shown = read(&text);
    assert!(
        shown.contains("champ `actes_fse` : valeur trouvée : un tableau"),
        "{shown}"
    );
    let json = forfait_in(
        &[("LANG", "fr_FR.UTF-8")],
        &[
            "eval",
            ERRORS_RULEBOOK,
            "tests/cases/eval/declaration-errors/types.json",
            "--format",
            "json",
        ],
    );
    assert!(
        stdout(&json).contains("\"found an array\""),
        "{}",
        stdout(&json)
    );

    // On the terminal, a rejection is in French.
    let explain = forfait_in(
        &[("LANG", "fr_FR.UTF-8")],
        &[
            "explain",
            ERRORS_RULEBOOK,
            "tests/cases/eval/declaration-errors/batch.csv",
            "--id",
            "CD-003",
        ],
    );
    let err = read(&explain);
    assert!(
        err.contains("erreur[forfait::decl::wrong_type] champ `logiciel_metier_dmp` : `peut-être` n'est pas un oui/non"),
        "{err}"
    );
}

#[test]
fn test_and_help_in_french() {
    let out = forfait_in(&[("LANG", "fr_FR.UTF-8")], &["test", "tests/cases/test"]);
    assert_eq!(out.status.code(), Some(1));
    let report = read(&out);
    assert!(
        report.contains("ÉCHEC tests/cases/test/seuil-modifie.examples/"),
        "{report}"
    );
    assert!(
        report.contains("total : attendu 490,00 €, obtenu 0,00 €"),
        "{report}"
    );
    assert!(report.contains("indicateur"), "{report}");
    assert!(report.ends_with("2 réussis, 1 en échec\n"), "{report}");

    let help = forfait_in(&[("LANG", "fr_FR.UTF-8")], &["check", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let text = read(&help);
    assert!(text.contains("Utilisation : forfait check"), "{text}");
    assert!(text.contains("Les référentiels (.forfait)"), "{text}");
    assert!(text.contains("Afficher l'aide"), "{text}");
    let english = forfait(&["check", "--help"]);
    assert!(read(&english).contains("Rulebook files (.forfait)"));
}

#[test]
fn eval_columns_writes_just_those_and_names_the_columns_when_one_is_wrong() {
    let out = forfait(&[
        "eval",
        FAMI,
        &format!("{FAMI_EXAMPLES}/socle-seul.json"),
        "--format",
        "csv",
        "--columns",
        "id,total_euros",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv = stdout(&out);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("id,total_euros"));
    let row = lines.next().expect("a row");
    assert_eq!(row.split(',').count(), 2, "{row}");

    let out = forfait(&[
        "eval",
        FAMI,
        &format!("{FAMI_EXAMPLES}/socle-seul.json"),
        "--format",
        "csv",
        "--columns",
        "id,total_euro",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("`total_euro`") && err.contains("did you mean `total_euros`?"),
        "{err}"
    );
    assert!(
        err.contains("id,status,total_euros,"),
        "names the columns: {err}"
    );

    let out = forfait(&[
        "eval",
        FAMI,
        &format!("{FAMI_EXAMPLES}/socle-seul.json"),
        "--format",
        "json",
        "--columns",
        "id",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--format csv or --format jsonl"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn test_accept_writes_what_the_rules_now_pay_and_says_what_changed() {
    let dir = std::env::temp_dir().join(format!("forfait-accept-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let examples = dir.join("2024-chirurgiens-dentistes.examples");
    std::fs::create_dir_all(&examples).expect("temp dir");
    for entry in std::fs::read_dir(FAMI_EXAMPLES)
        .expect("examples")
        .flatten()
    {
        std::fs::copy(entry.path(), examples.join(entry.file_name())).expect("copy");
    }
    // A deliberate change: the télétransmission threshold raised to 75 %, and a new case.
    let rulebook = dir.join("2024-chirurgiens-dentistes.forfait");
    let source = std::fs::read_to_string(FAMI).expect("rulebook").replace(
        "met when actes_fse / actes_total >= 70 %",
        "met when actes_fse / actes_total >= 75 %",
    );
    std::fs::write(&rulebook, source).expect("write");
    std::fs::copy(
        examples.join("socle-seul.json"),
        examples.join("nouveau-cas.json"),
    )
    .expect("copy");
    let path = rulebook.to_str().expect("utf-8 path");
    let expected = examples.join("expected.csv");
    let before = std::fs::read_to_string(&expected).expect("expected.csv");

    let out = forfait(&["test", path]);
    assert_eq!(out.status.code(), Some(1), "the change fails two cases");

    let out = forfait(&["test", "--accept", path]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let said = stdout(&out);
    assert!(
        said.contains("teletransmission-700-sur-1000: total 490.00 → 0.00"),
        "{said}"
    );
    assert!(said.contains("`teletransmission` met → not_met"), "{said}");
    assert!(said.contains("nouveau-cas: added, total 490.00"), "{said}");
    let after = std::fs::read_to_string(&expected).expect("expected.csv");
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(b, a)| b != a)
        .collect();
    assert_eq!(
        changed,
        [(
            "teletransmission-700-sur-1000,490.00,met,,,,",
            "teletransmission-700-sur-1000,0.00,not_met,,,,"
        )],
        "only the row that moved changes"
    );
    assert_eq!(after.lines().last(), Some("nouveau-cas,490.00,,,,,"));

    let out = forfait(&["test", path]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = forfait(&["test", "--accept", path]);
    assert!(
        !stdout(&out).contains("written with the results"),
        "nothing left to accept"
    );
    std::fs::remove_dir_all(&dir).expect("remove the scratch folder");
}
