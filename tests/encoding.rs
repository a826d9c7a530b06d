//! Declaration files that are not UTF-8, end to end: French Excel's "CSV (séparateur :
//! point-virgule)" is Windows-1252. Without `--encoding` such a file is refused whole, with a
//! message that says what it looks like; with it, every row is read; UTF-16 with a byte
//! order mark is read as it is. The bytes are written by the tests, never converted by them.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::{forfait, root, stderr, stdout, Scratch};
use std::path::Path;

const FAMI: &str = "rulebooks/fami/2024-chirurgiens-dentistes.forfait";

const VERDICT: &str = "is not UTF-8 (line 3): it looks like Windows-1252 (French Excel's \"CSV \
                       (séparateur : point-virgule)\"); pass --encoding windows-1252, or save \
                       the file as \"CSV UTF-8\"";

fn scratch(name: &str) -> Scratch {
    common::scratch("encoding", name)
}

/// Two declarations as French Excel saves them: `;`, CRLF, Windows-1252 (`é` is 0xE9, `É`
/// 0xC9, `€` 0x80). The first row is plain ASCII, the second has accents in its id and a text.
fn excel_bytes() -> Vec<u8> {
    let mut bytes = b"id;equipement_dmp;flux_dmp;cdc_sesam_vitale;horaires_annuaire;actes_fse;\
actes_total;type_messagerie;dispositif_coordination;interventions_aller_vers;lieux_aller_vers;\
stage_accueilli;stagiaire_temps_plein\r\n"
        .to_vec();
    bytes.extend_from_slice(
        b"maximum;logiciel_compatible;12;oui;oui;1800;2000;mssante_personnelle;msp;4;\
Ecole Jean Jaures;stage_actif_6e_annee;oui\r\n",
    );
    bytes.extend_from_slice(
        b"cabinet-S\xe9v\xe9rine;logiciel_compatible;12;oui;oui;1800;2000;mssante_personnelle;\
msp;4;\xc9cole REP+ (80 \x80 de bus);stage_actif_6e_annee;oui\r\n",
    );
    bytes
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_windows_1252_csv_is_refused_whole_and_nothing_is_paid() {
    let dir = scratch("refused");
    let csv = write(&dir, "excel.csv", &excel_bytes());
    let results = dir.join("results.csv");
    let out = forfait(&["eval", FAMI, &csv, "--output", results.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("error: {csv} {VERDICT}")),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("paid:"), "{}", stderr(&out));
    // The plain first row is not paid either: the output file is not written at all.
    assert!(!results.exists());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);

    // To standard output, the same refusal and exit code.
    let out = forfait(&["eval", FAMI, &csv, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(VERDICT), "{}", stderr(&out));
}

#[test]
fn with_encoding_windows_1252_every_row_is_evaluated_in_utf8() {
    let dir = scratch("cp1252");
    let csv = write(&dir, "excel.csv", &excel_bytes());
    for label in ["windows-1252", "cp1252", "latin-1", "ISO-8859-1"] {
        let results = dir.join("results.csv");
        let out = forfait(&[
            "eval",
            FAMI,
            &csv,
            "--encoding",
            label,
            "--output",
            results.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{label}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("2 declarations read: 2 evaluated, 0 rejected"),
            "{}",
            stderr(&out)
        );
        let written = std::fs::read(&results).unwrap();
        let written = String::from_utf8(written).expect("the results are UTF-8");
        assert!(
            written.contains("\ncabinet-Sévérine,evaluated,1240.00,"),
            "{written}"
        );
    }
    // The text comes out as UTF-8 too, `€` included.
    let json = forfait(&[
        "eval",
        FAMI,
        &csv,
        "--encoding",
        "cp1252",
        "--format",
        "json",
    ]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    assert!(
        stdout(&json).contains("\"cabinet-Sévérine\""),
        "{}",
        stdout(&json)
    );

    let out = forfait(&["eval", FAMI, &csv, "--encoding", "ebcdic"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("expected one of: utf-8, windows-1252"),
        "{}",
        stderr(&out)
    );
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    std::iter::once(0xfeff)
        .chain(text.encode_utf16())
        .flat_map(|unit| {
            if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            }
        })
        .collect()
}

#[test]
fn utf16_with_a_byte_order_mark_is_read_without_a_flag() {
    let dir = scratch("utf16");
    let text = encoding_rs::WINDOWS_1252
        .decode(&excel_bytes())
        .0
        .into_owned();
    for (name, big_endian) in [("le.csv", false), ("be.csv", true)] {
        let csv = write(&dir, name, &utf16(&text, big_endian));
        let out = forfait(&["eval", FAMI, &csv, "--format", "csv"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("\ncabinet-Sévérine,evaluated,"),
            "{}",
            stdout(&out)
        );
    }
    // A UTF-8 byte order mark is skipped, as before.
    let mut bytes = vec![0xef, 0xbb, 0xbf];
    bytes.extend_from_slice(text.as_bytes());
    let csv = write(&dir, "bom.csv", &bytes);
    let out = forfait(&["eval", FAMI, &csv, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn explain_matrix_and_diff_read_declarations_the_same_way() {
    let dir = scratch("whole");
    let csv = write(&dir, "excel.csv", &excel_bytes());
    let old = "rulebooks/fami/2022-chirurgiens-dentistes.forfait";
    let commands: [Vec<&str>; 3] = [
        vec!["explain", FAMI, &csv, "--id", "cabinet-Sévérine"],
        vec!["matrix", &csv, FAMI],
        vec!["diff", old, FAMI, "--impact", &csv],
    ];
    for args in commands {
        let out = forfait(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("error: {csv} {VERDICT}")),
            "{args:?}: {}",
            stderr(&out)
        );
        let mut args = args.clone();
        args.extend(["--encoding", "windows-1252"]);
        let out = forfait(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("Sévérine"),
            "{args:?}: {}",
            stdout(&out)
        );
    }
    // A JSON declaration in UTF-16, read whole.
    let maximum = "rulebooks/fami/2024-chirurgiens-dentistes.examples/maximum.json";
    let json = std::fs::read_to_string(root().join(maximum)).unwrap();
    let json = json.replace("\"maximum\"", "\"Sévérine\"");
    let path = write(&dir, "d.json", &utf16(&json, true));
    let out = forfait(&["explain", FAMI, &path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Déclaration Sévérine"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_rulebook_in_windows_1252_says_so() {
    let dir = scratch("rulebook");
    let bytes = b"rulebook fami_2021 \"FAMI 2021\"\n  scheme \"FAMI\"\n\n# zone sous-dense \
m\xe9decin\n";
    let path = write(&dir, "cp1252.forfait", bytes);
    let line = 4;
    let out = forfait(&["check", &path]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {path} is not UTF-8 (line {line}): it looks like Windows-1252; rulebooks \
             and the files beside them are UTF-8 only: save it as UTF-8\n"
        )
    );
}
