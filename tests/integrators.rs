//! Files as integrators have them: exports whose headings and choice cells are not the
//! rulebook's names (a mapping file, labels), results for French Excel (`--excel`), a
//! summary that says why declarations were rejected, and errors as JSON lines.

#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::io::Cursor;
use std::sync::Arc;

use common::{command, scratch, stderr, stdout};
use forfait::batch::{self, BatchOptions, Source};
use forfait::declaration::mapping::Mapping;
use forfait::declaration::{InputFormat, ReadOptions};
use forfait::{compile, CompiledRulebook};

const FAMI: &str = "rulebooks/fami/2024-chirurgiens-dentistes.forfait";

fn rulebook() -> CompiledRulebook {
    let source = std::fs::read_to_string(common::root().join(FAMI)).unwrap();
    compile(FAMI, &source).expect("checks").rulebook
}

/// The mapping of the export below.
const MAPPING: &str = r#"# The fund's export of dentists, as its columns are named.
ignore = ["Nom", "Prénom", "Département"]

[columns]
"N° PS" = "id"
"Équipement DMP" = "equipement_dmp"
"Nb actes FSE" = "actes_fse"
"Nb actes total" = "actes_total"
"Messagerie" = "type_messagerie"

[values.type_messagerie]
"MSSanté perso" = "mssante_personnelle"
"#;

const HEADER: &str = "N° PS;Nom;Prénom;Équipement DMP;flux_dmp;cdc_sesam_vitale;horaires_annuaire;Nb actes FSE;Nb actes total;Messagerie;dispositif_coordination;Département\n";

/// Rows of that export from a fixed sequence: choice cells as names, labels (as written,
/// in capitals without accents), the mapping's spellings, typos and blanks.
fn export(rows: usize) -> String {
    let mut state: u64 = 11;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let equipment = [
        "logiciel_compatible",
        "Logiciel métier compatible DMP (composant intégré au logiciel métier)",
        "WEB DMP SEULEMENT (SANS LOGICIEL COMPATIBLE NI CONNECTEUR)",
        "connecteur",
        "",
        "logiciel-compatible",
    ];
    let messaging = [
        "MSSanté perso",
        "mssante_personnelle",
        "Aucune messagerie sécurisée de santé",
        " boîte aux lettres mssanté organisationnelle (partagée entre plusieurs utilisateurs habilités) ",
        "",
    ];
    let coordination = [
        "cpts",
        "Communauté professionnelle territoriale de santé (CPTS)",
        "maison de sante pluri-professionnelle (msp)",
        "cpst",
        "",
    ];
    let mut csv = String::from(HEADER);
    for i in 0..rows {
        let total = 500 + next(2000);
        let fse = total * (55 + next(46)) / 100;
        let sesam = ["oui", "non", "oui", ""][next(4) as usize];
        csv.push_str(&format!(
            "CD-{i};Martin;Élodie;{};{};{sesam};oui;{fse};{total};{};{};Hérault\n",
            equipment[next(equipment.len() as u64) as usize],
            next(4),
            messaging[next(messaging.len() as u64) as usize],
            coordination[next(coordination.len() as u64) as usize],
        ));
    }
    csv
}

fn mapped(rb: &CompiledRulebook) -> ReadOptions {
    ReadOptions {
        mapping: Some(Arc::new(
            Mapping::read(MAPPING, rb).expect("the mapping reads"),
        )),
        ..ReadOptions::default()
    }
}

/// The fast decoder (a piece of rows column by column) against each row read alone, with
/// a mapping: renamed columns, labels and mapped spellings in choice cells, ignored
/// columns. The same rows, byte for byte, whatever the jobs.
#[test]
fn the_fast_path_reads_a_mapped_export_as_the_general_path_does() {
    let rb = rulebook();
    let text = export(3000);
    let options = forfait::EvalOptions {
        trace: false,
        what_if: false,
    };
    let mut general = forfait::output::csv::header(&rb, Default::default());
    let records =
        forfait::declaration::read_str(&rb, "x.csv", &text, InputFormat::Csv, mapped(&rb));
    for record in records {
        let e = forfait::evaluate_record(&rb, "x.csv", record, options);
        general.push_str(&forfait::output::csv::row(&rb, &e, Default::default()));
    }
    for jobs in [1, 2] {
        let mut out = Vec::new();
        let sources = vec![Source {
            name: "x.csv".into(),
            input: Box::new(Cursor::new(text.clone().into_bytes())),
            format: InputFormat::Csv,
        }];
        let batch_options = BatchOptions {
            jobs,
            piece: 256,
            ..BatchOptions::default()
        };
        let summary = batch::run(
            &rb,
            sources,
            mapped(&rb),
            &mut out,
            batch_options,
            &mut |_| {},
        )
        .unwrap();
        let batched = String::from_utf8(out).unwrap();
        assert_eq!(batched, general, "jobs {jobs}");
        // Most rows read (labels and mapped spellings are values), the typos rejected with
        // what they meant.
        assert!(summary.evaluated > 1500, "{summary:?}");
        assert!(summary.rejected > 300, "{summary:?}");
        let unknown = summary
            .rejections
            .get(&(
                "forfait::decl::unknown_value",
                Some("dispositif_coordination".to_string()),
            ))
            .copied()
            .unwrap_or(0);
        assert!(unknown > 300, "{:?}", summary.rejections);
    }
    assert!(general.contains("`cpst` is not one of the values; did you mean `cpts`?"));
    assert!(general.contains(
        "`logiciel-compatible` is not one of the values; did you mean `logiciel_compatible`?"
    ));
    // No row is rejected for its label or for a column the mapping ignores.
    assert!(!general.contains("Web DMP"), "{general}");
    assert!(!general.contains("not an input"), "{general}");
}

/// JSON lines carry the same headings: one mapping for both.
#[test]
fn json_keys_are_mapped_too() {
    let rb = rulebook();
    let line = r#"{"N° PS": "CD-1", "Nom": "Martin", "Équipement DMP": "Logiciel métier compatible DMP (composant intégré au logiciel métier)", "flux_dmp": 4, "cdc_sesam_vitale": "oui", "Nb actes FSE": 900, "Nb actes total": 1000, "Messagerie": "MSSanté perso"}"#;
    let records =
        forfait::declaration::read_str(&rb, "x.jsonl", line, InputFormat::JsonLines, mapped(&rb));
    match &records[..] {
        [forfait::declaration::Record::Declaration(d, _)] => assert_eq!(d.id, "CD-1"),
        other => panic!("{other:?}"),
    }
}

/// Two choices whose labels fold to the same text: neither is guessed.
#[test]
fn a_label_two_choices_share_is_refused_with_both() {
    let source = std::fs::read_to_string(common::root().join(FAMI)).unwrap();
    let source = source.replace(
        "web_dmp \"Web DMP seulement (sans logiciel compatible ni connecteur)\"",
        "web_dmp \"Logiciel metier avec un connecteur DMP associe\"",
    );
    let rb = compile(FAMI, &source).expect("checks").rulebook;
    let text = "id,equipement_dmp,flux_dmp,cdc_sesam_vitale,actes_fse,actes_total\nCD-1,logiciel métier avec un connecteur dmp associé,1,oui,9,10\n";
    let records =
        forfait::declaration::read_str(&rb, "x.csv", text, InputFormat::Csv, Default::default());
    let rendered = format!("{:?}", records);
    assert!(
        rendered.contains("is the label of several values: `connecteur`, `web_dmp`"),
        "{rendered}"
    );
}

/// The export as French Excel saves it (`;`, CRLF, Windows-1252), with its mapping beside
/// the rulebook, an unknown extra column left out by the mapping, a bad row and an id a
/// spreadsheet would run as a formula; results written for French Excel.
#[test]
fn a_french_excel_export_in_and_a_spreadsheet_out() {
    let dir = scratch("integrators", "excel");
    let rulebook = dir.join("2024-dentistes.forfait");
    std::fs::copy(common::root().join(FAMI), &rulebook).unwrap();
    std::fs::write(dir.join("2024-dentistes.map.toml"), MAPPING).unwrap();
    let text = format!(
        "{HEADER}CD-1;Martin;Élodie;Logiciel métier compatible DMP (composant intégré au logiciel métier);4;oui;oui;900;1000;MSSanté perso;Communauté professionnelle territoriale de santé (CPTS);Hérault\n=HYPERLINK(\"http://x\");Durand;Zoé;connecteur;1;oui;non;90;100;mssante_personnelle;cpts;Gard\nCD-3;Petit;Léa;connecteur;1;oui;non;90;100;mssante_personnelle;sous-dense;Gard\n"
    )
    .replace('\n', "\r\n");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    let input = dir.join("export.csv");
    std::fs::write(&input, &bytes).unwrap();
    let output = dir.join("resultats.csv");
    let run = command(&[
        "--lang",
        "fr",
        "eval",
        rulebook.to_str().unwrap(),
        input.to_str().unwrap(),
        "--encoding",
        "windows-1252",
        "--excel",
        "--output",
        output.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{err}");
    let written = std::fs::read(&output).unwrap();
    assert!(written.starts_with(b"\xef\xbb\xbf"), "a byte order mark");
    let written = String::from_utf8(written[3..].to_vec()).unwrap();
    let lines: Vec<&str> = written.split_inclusive('\n').collect();
    assert_eq!(lines.len(), 4, "{written}");
    assert!(lines.iter().all(|l| l.ends_with("\r\n")), "{written:?}");
    assert!(
        lines[0].starts_with("id;status;total_euros;"),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("CD-1;evaluated;"), "{}", lines[1]);
    // Decimal commas, no thousands separator in a number cell.
    assert!(lines[1].contains(";490,00;"), "{}", lines[1]);
    assert!(!lines[1].contains("490.00"), "{}", lines[1]);
    // The formula neutralised and quoted (it holds quotes).
    assert!(
        lines[2].starts_with("\"'=HYPERLINK(\"\"http://x\"\")\";evaluated;"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("CD-3;rejected;"), "{}", lines[3]);
    // The summary in French, with its reasons and French digits.
    assert!(
        err.replace('\u{a0}', " ")
            .contains("3 déclarations lues : 2 évaluées, 1 rejetée"),
        "{err}"
    );
    assert!(
        err.replace('\u{a0}', " ")
            .contains("1 rejetée : 1 `dispositif_coordination` hors des valeurs possibles"),
        "{err}"
    );

    // A choice of columns in the same style; the parts of --excel one by one.
    let chosen = command(&[
        "eval",
        rulebook.to_str().unwrap(),
        input.to_str().unwrap(),
        "--encoding",
        "windows-1252",
        "--format",
        "csv",
        "--columns",
        "id,total_euros",
        "--excel",
    ])
    .output()
    .unwrap();
    assert_eq!(
        stdout(&chosen),
        "\u{feff}id;total_euros\r\nCD-1;590,00\r\n\"'=HYPERLINK(\"\"http://x\"\")\";0,00\r\nCD-3;\r\n"
    );
    let parts = command(&[
        "eval",
        rulebook.to_str().unwrap(),
        input.to_str().unwrap(),
        "--encoding",
        "windows-1252",
        "--format",
        "csv",
        "--columns",
        "id,total_euros",
        "--output-delimiter",
        "|",
        "--decimal-comma",
    ])
    .output()
    .unwrap();
    assert_eq!(
        stdout(&parts),
        "id|total_euros\nCD-1|590,00\n\"'=HYPERLINK(\"\"http://x\"\")\"|0,00\nCD-3|\n"
    );

    // `forfait explain` reads the export through the same mapping.
    let explained = command(&[
        "eval",
        rulebook.to_str().unwrap(),
        input.to_str().unwrap(),
        "--encoding",
        "windows-1252",
        "--format",
        "text",
        "--quiet",
    ])
    .output()
    .unwrap();
    assert!(
        stdout(&explained).contains("CD-1"),
        "{}",
        stderr(&explained)
    );
    let explained = command(&[
        "explain",
        rulebook.to_str().unwrap(),
        input.to_str().unwrap(),
        "--encoding",
        "windows-1252",
        "--id",
        "CD-1",
    ])
    .output()
    .unwrap();
    assert_eq!(explained.status.code(), Some(0), "{}", stderr(&explained));
    assert!(
        stdout(&explained).contains("590,00"),
        "{}",
        stdout(&explained)
    );

    // --quiet: nothing but errors.
    let quiet = command(&[
        "eval",
        rulebook.to_str().unwrap(),
        input.to_str().unwrap(),
        "--encoding",
        "windows-1252",
        "--format",
        "csv",
        "--quiet",
    ])
    .output()
    .unwrap();
    assert_eq!(stderr(&quiet), "");
    // By default: `,`, decimal points, LF, no mark, and the formula still neutralised.
    let plain = stdout(&quiet);
    assert!(plain.starts_with("id,status,total_euros,"), "{plain}");
    assert!(!plain.contains('\r'));
    assert!(
        plain.contains("\n\"'=HYPERLINK(\"\"http://x\"\")\",evaluated,"),
        "{plain}"
    );
}

/// Without a mapping, an unknown column says which option would take it.
#[test]
fn an_unknown_column_names_the_mapping_and_the_option() {
    let dir = scratch("integrators", "unknown");
    let input = dir.join("x.csv");
    std::fs::write(
        &input,
        "id,nom,flux_dmp,cdc_sesam_vitale,actes_fse,actes_total\nCD-1,Martin,1,oui,9,10\n",
    )
    .unwrap();
    let run = command(&["eval", FAMI, input.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let out = stdout(&run);
    assert!(out.contains("--ignore-unknown-columns"), "{out}");
    assert!(out.contains("--map FILE"), "{out}");
    let lenient = command(&[
        "eval",
        FAMI,
        input.to_str().unwrap(),
        "--ignore-unknown-columns",
        "--format",
        "csv",
    ])
    .output()
    .unwrap();
    assert_eq!(lenient.status.code(), Some(0), "{}", stderr(&lenient));
}

/// A mapping that names what the rulebook does not have: each problem at its line, with
/// what was meant, and nothing is read.
#[test]
fn a_wrong_mapping_is_refused_at_its_lines() {
    let dir = scratch("integrators", "bad-map");
    let map = dir.join("m.toml");
    std::fs::write(
        &map,
        "[columns]\n\"Nb actes FSE\" = \"actes_fsee\"\n\n[values.type_messagerie]\n\"perso\" = \"mssante_personelle\"\n",
    )
    .unwrap();
    let input = dir.join("x.csv");
    std::fs::write(&input, "id\nCD-1\n").unwrap();
    let run = command(&[
        "eval",
        FAMI,
        input.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = stderr(&run);
    assert!(
        err.contains("m.toml:2: `actes_fsee` is not an input of rulebook"),
        "{err}"
    );
    assert!(err.contains("did you mean `actes_fse`?"), "{err}");
    assert!(err.contains("m.toml:5: `mssante_personelle` is not one of the values of `type_messagerie`; did you mean `mssante_personnelle`?"), "{err}");
    assert_eq!(stdout(&run), "");
}

/// `--error-format json`, on any command: one object a line on standard error, one shape
/// for a file that does not open, a mapping's problem, a rejection and a summary.
#[test]
fn errors_as_json_lines_in_one_shape() {
    let keys = [
        "code", "severity", "message", "help", "file", "line", "field", "labels",
    ];
    let objects = |text: &str| -> Vec<serde_json::Value> {
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    };
    let has_shape = |o: &serde_json::Value| keys.iter().all(|k| o.get(k).is_some());

    let missing = command(&["--error-format", "json", "explain", FAMI, "nowhere.json"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let found = objects(&stderr(&missing));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(has_shape(&found[0]), "{}", found[0]);
    assert_eq!(found[0]["code"], "forfait::io::cannot_read");
    assert_eq!(found[0]["file"], "nowhere.json");

    let dir = scratch("integrators", "json-errors");
    let input = dir.join("x.csv");
    std::fs::write(
        &input,
        "id,flux_dmp,cdc_sesam_vitale,actes_fse,actes_total\nCD-1,1,,9,10\nCD-2,1,oui,9,10\n",
    )
    .unwrap();
    let run = command(&[
        "eval",
        FAMI,
        input.to_str().unwrap(),
        "--format",
        "csv",
        "--error-format",
        "json",
    ])
    .output()
    .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let found = objects(&stderr(&run));
    assert!(found.iter().all(has_shape), "{found:?}");
    let summary = found
        .iter()
        .find(|o| o["code"] == "forfait::eval::summary")
        .expect("a summary");
    assert_eq!(summary["rejected"], 1);
    assert_eq!(
        summary["rejections"][0]["code"],
        "forfait::decl::missing_input"
    );
    assert_eq!(summary["rejections"][0]["field"], "cdc_sesam_vitale");
    assert_eq!(summary["rejections"][0]["count"], 1);

    let map = dir.join("m.toml");
    std::fs::write(&map, "[colonnes]\n").unwrap();
    let bad = command(&[
        "eval",
        FAMI,
        input.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
        "--error-format",
        "json",
    ])
    .output()
    .unwrap();
    let found = objects(&stderr(&bad));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["line"], 1);
    assert!(has_shape(&found[0]));

    // The command line's own usage errors too.
    let usage = command(&["--error-format", "json", "eval", FAMI])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let found = objects(&stderr(&usage));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "forfait::cli::usage");
    assert!(has_shape(&found[0]));

    let broken = dir.join("broken.forfait");
    std::fs::write(&broken, "rulebook x \"x\"\n  nonsense\n").unwrap();
    let diagnostics = command(&["--error-format", "json", "schema", broken.to_str().unwrap()])
        .output()
        .unwrap();
    let found = objects(&stderr(&diagnostics));
    assert!(!found.is_empty());
    assert!(found.iter().all(has_shape), "{found:?}");
}

/// `forfait test --accept` writes the rows of the cases `expected.csv` did not list; an
/// example named like a formula is neutralised there too.
#[test]
fn accepted_cases_named_like_formulas_are_neutralised() {
    let dir = scratch("integrators", "accept");
    let rulebook = dir.join("2024-dentistes.forfait");
    std::fs::copy(common::root().join(FAMI), &rulebook).unwrap();
    let examples = dir.join("2024-dentistes.examples");
    std::fs::create_dir_all(&examples).unwrap();
    let shipped = common::root().join("rulebooks/fami/2024-chirurgiens-dentistes.examples");
    std::fs::copy(
        shipped.join("socle-seul.json"),
        examples.join("socle-seul.json"),
    )
    .unwrap();
    std::fs::copy(shipped.join("maximum.json"), examples.join("maximum.json")).unwrap();
    std::fs::copy(shipped.join("socle-seul.json"), examples.join("=1+1.json")).unwrap();
    std::fs::write(
        examples.join("expected.csv"),
        "example,total_eur\nmaximum,1240.00\nsocle-seul,490.00\n",
    )
    .unwrap();
    let run = command(&["test", rulebook.to_str().unwrap(), "--accept"])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}{}",
        stdout(&run),
        stderr(&run)
    );
    let written = std::fs::read_to_string(examples.join("expected.csv")).unwrap();
    assert!(written.ends_with("\n'=1+1,490.00\n"), "{written}");
}
