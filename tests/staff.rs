//! `forfait test` as policy staff run it: `expected.csv` saved by French Excel, `--accept`
//! keeping that form, the maximum example, `--min`, and `--format junit` for CI.

// A test that cannot run the binary or set up its files should stop loudly.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{compiled, forfait, read, root, scratch, shown, stderr, stdout, Scratch};

use std::path::{Path, PathBuf};

const DENTISTS: &str = "rulebooks/fami/2024-chirurgiens-dentistes";
const PROFESSIONS: &str = "rulebooks/fami/2021-professions-de-sante";

/// A copy of a shipped rulebook (`stem`.forfait) and its examples in `dir`; the copy's path.
fn copy_rulebook(dir: &Path, stem: &str) -> PathBuf {
    let name = Path::new(stem).file_name().unwrap();
    let examples = dir.join(name).with_extension("examples");
    std::fs::create_dir_all(&examples).unwrap();
    for entry in std::fs::read_dir(root().join(stem).with_extension("examples"))
        .unwrap()
        .flatten()
    {
        std::fs::copy(entry.path(), examples.join(entry.file_name())).unwrap();
    }
    let rulebook = dir.join(name).with_extension("forfait");
    std::fs::copy(root().join(stem).with_extension("forfait"), &rulebook).unwrap();
    rulebook
}

fn expected_of(rulebook: &Path) -> PathBuf {
    rulebook.with_extension("examples").join("expected.csv")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// The shipped `expected.csv` (plain, comma-separated) as French Excel would save it:
/// `;`, French words (`statuses` maps each English status), totals with a decimal comma and
/// `thousands` grouping them, quoted when `quote_amounts`, lines ended by `line_end`.
fn as_excel(
    text: &str,
    statuses: &[(&str, &str)],
    thousands: char,
    quote_amounts: bool,
    line_end: &str,
) -> String {
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if n > 0 {
            cells[1] = match cells[1].as_str() {
                "error" => "erreur".to_string(),
                total => {
                    let (whole, cents) = total.split_once('.').unwrap();
                    let whole = if whole.len() > 3 {
                        format!(
                            "{}{thousands}{}",
                            &whole[..whole.len() - 3],
                            &whole[whole.len() - 3..]
                        )
                    } else {
                        whole.to_string()
                    };
                    let amount = format!("{whole},{cents}");
                    if quote_amounts {
                        format!("\"{amount}\"")
                    } else {
                        amount
                    }
                }
            };
            for cell in cells.iter_mut().skip(2) {
                if let Some((_, french)) = statuses.iter().find(|(en, _)| en == cell) {
                    *cell = french.to_string();
                }
            }
        }
        out.push_str(&cells.join(";"));
        out.push_str(line_end);
    }
    out
}

const FRENCH: [(&str, &str); 4] = [
    ("met", "atteint"),
    ("not_met", "non atteint"),
    ("neutralised", "neutralisé"),
    ("not_applicable", "sans objet"),
];

fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn passes_all(out: &std::process::Output, cases: usize) {
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(out), stderr(out));
    assert!(
        stdout(out).contains(&format!(": {cases} of {cases} cases pass")),
        "{}",
        stdout(out)
    );
}

#[test]
fn expected_csv_saved_by_french_excel_is_the_same_file() {
    let dir = scratch("staff", "excel");
    let dentists = copy_rulebook(&dir, DENTISTS);
    let professions = copy_rulebook(&dir, PROFESSIONS);
    let plain_dentists = read(&expected_of(&dentists));
    let plain_professions = read(&expected_of(&professions));

    // "CSV (séparateur : point-virgule)": Windows-1252, CRLF, `"1 240,00"` grouped by a
    // no-break space, French statuses.
    let excel = as_excel(&plain_dentists, &FRENCH, '\u{a0}', true, "\r\n");
    assert!(
        excel.contains("maximum;\"1\u{a0}240,00\";;atteint;"),
        "{excel}"
    );
    std::fs::write(expected_of(&dentists), windows_1252(&excel)).unwrap();
    passes_all(&forfait(&["test", path(&dentists)]), 40);

    // "CSV UTF-8": a byte order mark, a narrow no-break space, amounts unquoted.
    let excel = as_excel(&plain_dentists, &FRENCH, '\u{202f}', false, "\r\n");
    std::fs::write(expected_of(&dentists), format!("\u{feff}{excel}")).unwrap();
    passes_all(&forfait(&["test", path(&dentists)]), 40);

    // Every status and `erreur`, in the other spellings: unaccented, `non concerné`, any
    // case; a plain space grouping the thousands; an amount written as money.
    let other = [
        ("met", "Atteint"),
        ("not_met", "NON ATTEINT"),
        ("neutralised", "neutralise"),
        ("not_applicable", "non concerné"),
    ];
    let excel = as_excel(&plain_professions, &other, ' ', true, "\n")
        .replace("\"1 115,00\"", "1\u{a0}115,00\u{a0}€");
    for word in [
        "neutralise",
        "non concerné",
        "erreur",
        "1\u{a0}115,00\u{a0}€",
    ] {
        assert!(excel.contains(word), "{word}");
    }
    std::fs::write(expected_of(&professions), &excel).unwrap();
    passes_all(&forfait(&["test", path(&professions)]), 63);

    // The same file read as the English one: a case that fails says so in both.
    let wrong = excel.replace(
        "sage-femme-sans-scor;\"590,00\";;neutralise",
        "sage-femme-sans-scor;\"590,00\";;atteint",
    );
    assert_ne!(wrong, excel);
    std::fs::write(expected_of(&professions), &wrong).unwrap();
    let out = forfait(&["test", path(&professions)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("`scor`: expected met, got neutralised"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_broken_expected_csv_says_where_and_what_was_expected() {
    let dir = scratch("staff", "broken");
    let dentists = copy_rulebook(&dir, DENTISTS);
    let plain = read(&expected_of(&dentists));
    let expected = shown(&expected_of(&dentists));
    let excel = as_excel(&plain, &FRENCH, ' ', false, "\r\n");

    let bad_status = excel.replace("socle-seul;490,00;atteint", "socle-seul;490,00;oui");
    std::fs::write(expected_of(&dentists), &bad_status).unwrap();
    let out = forfait(&["test", path(&dentists)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(&format!(
            "FAIL {expected}: line 3, column 3 (`teletransmission`): `oui` is not a status: met, not_met, neutralised, not_applicable (in French: atteint, non atteint, neutralisé, sans objet)"
        )),
        "{}",
        stdout(&out)
    );
    let out = forfait(&["test", "--lang", "fr", path(&dentists)]);
    assert!(
        stdout(&out).contains(
            "ligne 3, colonne 3 (`teletransmission`)\u{a0}: `oui` n'est pas un statut\u{a0}: atteint, non atteint, neutralisé, sans objet"
        ),
        "{}",
        stdout(&out)
    );

    let bad_total = excel.replace("socle-seul;490,00", "socle-seul;490 euros");
    std::fs::write(expected_of(&dentists), &bad_total).unwrap();
    let out = forfait(&["test", path(&dentists)]);
    assert!(
        stdout(&out).contains("line 3, column 2 (total_eur): `490 euros` is neither an amount"),
        "{}",
        stdout(&out)
    );

    // A decimal comma in a file separated by commas, unquoted: one cell too many.
    let unquoted = plain.replace("socle-seul,490.00,", "socle-seul,490,00,");
    std::fs::write(expected_of(&dentists), &unquoted).unwrap();
    let out = forfait(&["test", path(&dentists)]);
    assert!(
        stdout(&out).contains("line 3: 8 cells, where the header has 7;"),
        "{}",
        stdout(&out)
    );
    let out = forfait(&["test", "--lang", "fr", path(&dentists)]);
    assert!(
        stdout(&out).contains("ligne 3\u{a0}: 8 cellules, alors que l'en-tête en a 7"),
        "{}",
        stdout(&out)
    );

    // A workbook saved under the name: refused with what to do, nothing tested.
    std::fs::write(
        expected_of(&dentists),
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\xff\xfe",
    )
    .unwrap();
    let out = forfait(&["test", path(&dentists)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("spreadsheet workbook"),
        "{}",
        stderr(&out)
    );
}

/// The table of a failing case says the statuses in the run's language: `atteint`, `non
/// atteint` as the French pages word them under `--lang fr`, `met`, `not_met` in English;
/// its headings too.
#[test]
fn the_failure_table_says_statuses_in_the_runs_language() {
    let dir = scratch("staff", "statuses");
    let dentists = copy_rulebook(&dir, DENTISTS);
    let plain = read(&expected_of(&dentists));
    let wrong = plain.replace(
        "socle-seul,490.00,met,not_met,",
        "socle-seul,490.00,not_met,met,",
    );
    assert_ne!(wrong, plain);
    std::fs::write(expected_of(&dentists), &wrong).unwrap();
    let row = |out: &std::process::Output, name: &str| {
        stdout(out)
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| panic!("no row `{name}`:\n{}", stdout(out)))
    };

    let out = forfait(&["test", "--lang", "fr", path(&dentists)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("indicateur  ") && stdout(&out).contains("attendu  "),
        "{}",
        stdout(&out)
    );
    assert!(
        row(&out, "teletransmission").starts_with("teletransmission non atteint atteint taux "),
        "{}",
        stdout(&out)
    );
    assert!(
        row(&out, "coordination").starts_with("coordination atteint non atteint "),
        "{}",
        stdout(&out)
    );
    assert!(
        row(&out, "horaires").starts_with("horaires - atteint "),
        "{}",
        stdout(&out)
    );
    let text = stdout(&out);
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("décidé par"))
        .take(9)
        .collect();
    for line in &table {
        for english in [" met ", " not_met "] {
            assert!(!line.contains(english), "{line}");
        }
    }

    let out = forfait(&["test", path(&dentists)]);
    assert!(stdout(&out).contains("decided by"), "{}", stdout(&out));
    assert!(
        row(&out, "teletransmission").starts_with("teletransmission not_met met taux "),
        "{}",
        stdout(&out)
    );
    assert!(
        row(&out, "coordination").starts_with("coordination met not_met "),
        "{}",
        stdout(&out)
    );
}

#[test]
fn accept_writes_expected_csv_back_in_its_own_form() {
    let dir = scratch("staff", "accept");
    let dentists = copy_rulebook(&dir, DENTISTS);
    let excel = as_excel(
        &read(&expected_of(&dentists)),
        &FRENCH,
        '\u{a0}',
        true,
        "\r\n",
    );
    let before = windows_1252(&excel);
    std::fs::write(expected_of(&dentists), &before).unwrap();
    // A deliberate change, and a case file not listed yet.
    let source = read(&dentists).replace(
        "met when actes_fse / actes_total >= 70 %",
        "met when actes_fse / actes_total >= 75 %",
    );
    std::fs::write(&dentists, source).unwrap();
    let examples = dentists.with_extension("examples");
    std::fs::copy(
        examples.join("socle-seul.json"),
        examples.join("nouveau-cas.json"),
    )
    .unwrap();

    let out = forfait(&["test", "--accept", "--lang", "fr", path(&dentists)]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let said = stdout(&out).replace('\u{a0}', " ");
    assert!(
        said.contains("teletransmission-700-sur-1000 : `teletransmission` atteint → non atteint"),
        "{said}"
    );
    assert!(
        said.contains("dans sa propre forme (`;` entre les cellules, virgule décimale, milliers séparés par une espace insécable, statuts en français, Windows-1252, fins de ligne CRLF)"),
        "{said}"
    );
    let after = std::fs::read(expected_of(&dentists)).unwrap();
    assert!(
        String::from_utf8(after.clone()).is_err(),
        "still Windows-1252"
    );
    let (after, _, _) = encoding_rs::WINDOWS_1252.decode(&after);
    let changed: Vec<(&str, &str)> = excel
        .split_inclusive("\r\n")
        .zip(after.split_inclusive("\r\n"))
        .filter(|(b, a)| b != a)
        .collect();
    assert_eq!(
        changed,
        [(
            "teletransmission-700-sur-1000;\"490,00\";atteint;;;;\r\n",
            "teletransmission-700-sur-1000;\"0,00\";non atteint;;;;\r\n"
        )],
        "only the row that moved changes, every other byte kept (the quotes too)"
    );
    assert!(
        after.ends_with("donnee-automatisee-manquante;erreur;;;;;\r\nnouveau-cas;490,00;;;;;\r\n"),
        "an added row is written as the rows above: {after}"
    );
    let out = forfait(&["test", path(&dentists)]);
    passes_all(&out, 41);

    // In English, the form is said too.
    let plain = dir.join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let dentists = copy_rulebook(&plain, DENTISTS);
    std::fs::write(
        &dentists,
        read(&dentists)
            .replace("pays 350 EUR", "pays 360 EUR")
            .replace("1240 EUR", "1250 EUR"),
    )
    .unwrap();
    let out = forfait(&["test", "--accept", path(&dentists)]);
    assert!(
        stdout(&out).contains("in its own form (`,` between cells, decimal point, statuses in English, UTF-8, LF line ends)"),
        "{}",
        stdout(&out)
    );
    assert!(read(&expected_of(&dentists)).contains("\nmaximum,1250.00,,met,met,met,met\n"));
}

/// The story: a new 200 EUR indicator, the guide's total moved to 1 440 EUR; the
/// example meant as the maximum still passes at 1 240 EUR unless it says it is the maximum.
fn with_a_new_indicator(dir: &Scratch) -> PathBuf {
    let dentists = copy_rulebook(dir, DENTISTS);
    let source = read(&dentists)
        .replace(
            "input stagiaire_temps_plein \"L'étudiant est accueilli à temps plein pendant la durée de son stage\"\n  yes/no declarative\n  missing means no\n",
            "input stagiaire_temps_plein \"L'étudiant est accueilli à temps plein pendant la durée de son stage\"\n  yes/no declarative\n  missing means no\n\ninput teleconsultation \"Le cabinet réalise des téléconsultations\"\n  yes/no declarative\n  missing means no\n",
        )
        .replace(
            "stated total \"TOTAL maximal\" 1240 EUR",
            "indicator nouvel_indicateur \"Réaliser des téléconsultations\"\n  section \"1.7.3\"\n  declarative\n  evidence \"Attestation sur l'honneur\"\n  met when teleconsultation\n  independent\n  pays 200 EUR\n\nstated total \"TOTAL maximal\" 1440 EUR",
        );
    assert!(source.contains("nouvel_indicateur") && source.contains("input teleconsultation"));
    std::fs::write(&dentists, source).unwrap();
    dentists
}

#[test]
fn the_maximum_example_fails_when_the_rules_can_pay_more() {
    let dir = scratch("staff", "maximum");
    let dentists = with_a_new_indicator(&dir);
    let check = forfait(&["check", path(&dentists)]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));

    let out = forfait(&["test", path(&dentists)]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let said = stdout(&out);
    assert!(
        said.contains("FAIL ") && said.contains("maximum.json"),
        "{said}"
    );
    assert!(
        said.contains("  maximum: the rules can pay 1440.00 EUR, the maximum example is paid 1240.00 EUR: it does not meet `nouvel_indicateur`;"),
        "{said}"
    );
    assert!(said.contains("39 passed, 1 failed"), "{said}");
    let out = forfait(&["test", "--lang", "fr", path(&dentists)]);
    assert!(
        stdout(&out).contains("maximum\u{a0}: les règles peuvent payer 1\u{a0}440,00\u{a0}€, l'exemple maximum est payé 1\u{a0}240,00\u{a0}€\u{a0}: il n'atteint pas `nouvel_indicateur`"),
        "{}",
        stdout(&out)
    );

    // The example brought up to date passes again.
    let examples = dentists.with_extension("examples");
    let maximum = read(&examples.join("maximum.json")).replace(
        "\"stagiaire_temps_plein\": true",
        "\"stagiaire_temps_plein\": true,\n  \"teleconsultation\": true",
    );
    std::fs::write(examples.join("maximum.json"), maximum).unwrap();
    let expected = read(&expected_of(&dentists)).replace("maximum,1240.00,", "maximum,1440.00,");
    std::fs::write(expected_of(&dentists), expected).unwrap();
    passes_all(&forfait(&["test", path(&dentists)]), 40);

    // A name says which example is the maximum: another name is not checked so.
    std::fs::write(
        expected_of(&dentists),
        read(&expected_of(&dentists)).replace("maximum,1440.00,", "le-plus,1240.00,"),
    )
    .unwrap();
    let json = read(&examples.join("maximum.json")).replace(
        "  \"teleconsultation\": true",
        "  \"teleconsultation\": false",
    );
    std::fs::remove_file(examples.join("maximum.json")).unwrap();
    std::fs::write(examples.join("le-plus.json"), json).unwrap();
    passes_all(&forfait(&["test", path(&dentists)]), 40);
}

#[test]
fn every_example_is_paid_at_most_what_the_rules_can_pay_its_profile() {
    // `most_payable` is `check`'s maximum: no example of any shipped rulebook goes above it,
    // and each example named as the maximum reaches it.
    let mut maxima = 0;
    for rulebook_path in common::shipped_rulebooks() {
        let rulebook = compiled(&rulebook_path);
        let examples = rulebook_path.with_extension("examples");
        for file in common::files(&shown(&examples), "json") {
            let name = shown(&file);
            let records = forfait::declaration::read_str(
                &rulebook,
                &name,
                &read(&file),
                forfait::declaration::InputFormat::Json,
                Default::default(),
            );
            for record in records {
                let forfait::declaration::Record::Declaration(d, _) = record else {
                    continue;
                };
                let Ok(outcome) = forfait::evaluate(&rulebook, &d, Default::default()) else {
                    continue;
                };
                let most = forfait::check::most_payable(&rulebook, &d.values).unwrap();
                assert!(
                    outcome.total_euros <= most.total,
                    "{name}: {} > {}",
                    outcome.total_euros,
                    most.total
                );
                let stem = file.file_stem().unwrap().to_string_lossy();
                if forfait::testing::is_maximum(&stem) {
                    assert_eq!(outcome.total_euros, most.total, "{name}");
                    maxima += 1;
                }
            }
        }
    }
    assert!(maxima >= 7, "{maxima} examples named as a maximum");
}

#[test]
fn coverage_min_fails_below_the_threshold_and_says_both_figures() {
    let dir = scratch("staff", "min");
    let dentists = copy_rulebook(&dir, DENTISTS);
    // Three cases only: most of the rulebook is not exercised.
    let kept = ["maximum", "socle-seul", "aucun-indicateur"];
    let expected: String = read(&expected_of(&dentists))
        .lines()
        .filter(|l| {
            l.starts_with("example,") || kept.iter().any(|k| l.starts_with(&format!("{k},")))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(expected_of(&dentists), expected).unwrap();
    let examples = dentists.with_extension("examples");
    for entry in std::fs::read_dir(&examples).unwrap().flatten() {
        let p = entry.path();
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        if p.extension().is_some_and(|e| e == "json") && !kept.contains(&stem.as_str()) {
            std::fs::remove_file(p).unwrap();
        }
    }

    let out = forfait(&["test", "--min", "95", path(&dentists)]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let said = stdout(&out);
    let line = said
        .lines()
        .find(|l| l.contains("below --min"))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(
        line.starts_with(&format!("FAIL {}: coverage ", shown(&dentists))),
        "{line}"
    );
    assert!(
        line.contains("% (") && line.contains(" of 46 items exercised), below --min 95%"),
        "{line}"
    );
    assert!(
        !said.contains("not exercised:"),
        "--min alone gives the figure: {said}"
    );
    assert!(said.ends_with("3 passed, 1 failed\n"), "{said}");

    let out = forfait(&[
        "test",
        "--min",
        "95,5",
        "--coverage",
        "--lang",
        "fr",
        path(&dentists),
    ]);
    let said = stdout(&out);
    assert!(said.contains("non exercé"), "{said}");
    assert!(
        said.contains(
            "couverture de 91,3\u{a0}% (42 éléments sur 46 exercés), sous le --min de 95,5\u{a0}%"
        ),
        "{said}"
    );

    let out = forfait(&["test", "--min", "10", path(&dentists)]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = forfait(&["test", "--min", "120", path(&dentists)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--min 120: expected a percentage from 0 to 100"),
        "{}",
        stderr(&out)
    );

    // The shipped rulebooks are fully exercised.
    let out = forfait(&["test", "--min", "100"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn junit_for_ci_with_escaped_names_and_a_whole_file() {
    let dir = scratch("staff", "junit");
    let rulebook = dir.join("seuil-modifie.forfait");
    std::fs::copy(
        root().join("tests/cases/test/seuil-modifie.forfait"),
        &rulebook,
    )
    .unwrap();
    let examples = dir.join("seuil-modifie.examples");
    std::fs::create_dir_all(&examples).unwrap();
    for entry in std::fs::read_dir(root().join("tests/cases/test/seuil-modifie.examples"))
        .unwrap()
        .flatten()
    {
        std::fs::copy(entry.path(), examples.join(entry.file_name())).unwrap();
    }
    // A name XML must escape: listed, and failing.
    std::fs::copy(
        examples.join("socle-seul.json"),
        examples.join("r&d-<x>.json"),
    )
    .unwrap();
    let expected = read(&examples.join("expected.csv"));
    std::fs::write(
        examples.join("expected.csv"),
        format!("{expected}r&d-<x>,1.00,\n"),
    )
    .unwrap();

    let out = forfait(&["test", "--format", "junit", path(&rulebook)]);
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    let suite = shown(&rulebook);
    let class = suite.trim_end_matches(".forfait");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"forfait test\" tests=\"4\" failures=\"2\" errors=\"0\">\n"), "{xml}");
    assert!(
        xml.contains(&format!(
            "<testsuite name=\"{suite}\" tests=\"4\" failures=\"2\" errors=\"0\" skipped=\"0\">"
        )),
        "{xml}"
    );
    assert!(
        xml.contains(&format!(
            "<testcase name=\"socle-seul\" classname=\"{class}\" file=\"{}/socle-seul.json\"/>",
            shown(&examples)
        )),
        "{xml}"
    );
    assert!(
        xml.contains(
            "<failure message=\"total: expected 490.00, got 0.00\" type=\"failure\">FAIL "
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<testcase name=\"r&amp;d-&lt;x&gt;\""),
        "{xml}"
    );
    assert!(xml.contains("total: expected 1.00, got 490.00"), "{xml}");
    assert!(!xml.contains("<x>") && !xml.contains("r&d"), "{xml}");
    assert_eq!(xml.matches("<testcase ").count(), 4);
    assert_eq!(
        xml.matches("<failure ").count(),
        xml.matches("</failure>").count()
    );
    assert!(xml.ends_with("  </testsuite>\n</testsuites>\n"), "{xml}");
    // The report for a person goes to standard error.
    assert!(
        stderr(&out).ends_with("2 passed, 2 failed\n"),
        "{}",
        stderr(&out)
    );

    // To a file: the same XML, the report on standard output.
    let report = dir.join("report.xml");
    let out = forfait(&["test", "--output", path(&report), path(&rulebook)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read(&report), xml, "--output FILE.xml writes JUnit");
    assert!(
        stdout(&out).ends_with("2 passed, 2 failed\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains(&format!("wrote {}", path(&report))),
        "{}",
        stderr(&out)
    );

    // In French, the messages are.
    let out = forfait(&["test", "--format", "junit", "--lang", "fr", path(&rulebook)]);
    assert!(
        stdout(&out).contains(
            "<failure message=\"total\u{a0}: attendu 490,00\u{a0}€, obtenu 0,00\u{a0}€\""
        ),
        "{}",
        stdout(&out)
    );

    // A file is whole or absent: a folder that does not exist, an input.
    let nowhere = dir.join("nowhere/report.xml");
    let out = forfait(&["test", "--output", path(&nowhere), path(&rulebook)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!nowhere.exists());
    assert!(stderr(&out).contains("was not written"), "{}", stderr(&out));
    let csv = examples.join("expected.csv");
    let before = read(&csv);
    let out = forfait(&[
        "test",
        "--format",
        "junit",
        "--output",
        path(&csv),
        path(&rulebook),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is the input"), "{}", stderr(&out));
    assert_eq!(read(&csv), before);
}
