//! Batches: the output is the same whatever the number of threads and the piece size; every
//! row read yields exactly one row written; `--strict` stops at the first rejection; long
//! lines are rejected without losing the rows after them.

#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

use std::io::Cursor;

use forfait::batch::{self, BatchFormat, BatchOptions, Source, Summary};
use forfait::declaration::{InputFormat, ReadOptions};
use forfait::{compile, CompiledRulebook};

fn rulebook(path: &str) -> CompiledRulebook {
    let source = std::fs::read_to_string(path).unwrap();
    compile(path, &source).expect("checks").rulebook
}

/// A few thousand FAMI 2024 rows from a fixed linear congruential sequence, with bad rows.
fn fami_batch(rows: usize) -> String {
    let mut state: u64 = 42;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let mut csv = String::from(
        "id,equipement_dmp,flux_dmp,cdc_sesam_vitale,horaires_annuaire,actes_fse,actes_total,type_messagerie,dispositif_coordination,interventions_aller_vers,lieux_aller_vers,stage_accueilli,stagiaire_temps_plein\n",
    );
    let yes = |b: bool| if b { "oui" } else { "non" };
    let pick = |b: bool, this: &'static str, that: &'static str| if b { this } else { that };
    for i in 0..rows {
        let total = 500 + next(2000);
        let fse = total * (55 + next(46)) / 100;
        if i % 997 == 13 {
            csv.push_str(&format!(
                "CD-{i},logiciel_compatible,4,oui,oui,1.5,{total},mssante_personnelle,cpts,,,,\n"
            ));
            continue;
        }
        if i % 1499 == 7 {
            csv.push_str(&format!(
                "CD-{i},logiciel_compatible,4,,oui,{fse},{total},mssante_personnelle\n"
            ));
            continue;
        }
        let stage = pick(next(10) < 2, "stage_actif_6e_annee", "aucun");
        csv.push_str(&format!(
            "CD-{i},{},{},{},{},{fse},{total},{},{},{},{},{},{}\n",
            pick(next(10) < 9, "logiciel_compatible", "web_dmp"),
            next(3),
            yes(next(10) < 9),
            yes(next(10) < 8),
            pick(next(10) < 9, "mssante_personnelle", "apicrypt_v1"),
            pick(next(10) < 5, "cpts", "groupe_qualite"),
            next(6),
            if next(3) > 0 { "EHPAD" } else { "" },
            stage,
            yes(next(10) < 8),
        ));
    }
    csv
}

fn run(
    rulebook: &CompiledRulebook,
    text: &str,
    format: InputFormat,
    options: BatchOptions,
) -> (Vec<u8>, Summary) {
    let mut out = Vec::new();
    let sources = vec![Source {
        name: "batch.csv".into(),
        input: Box::new(Cursor::new(text.as_bytes().to_vec())),
        format,
    }];
    let summary = batch::run(
        rulebook,
        sources,
        ReadOptions::default(),
        &mut out,
        options,
        &mut |_| {},
    )
    .unwrap();
    (out, summary)
}

#[test]
fn output_is_the_same_whatever_the_threads_and_pieces() {
    let rb = rulebook("rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    let text = fami_batch(5000);
    for format in [BatchFormat::Csv, BatchFormat::JsonLines] {
        let base = BatchOptions {
            format,
            columns: None,
            jobs: 1,
            strict: false,
            piece: 8192,
            ..BatchOptions::default()
        };
        let (reference, summary) = run(&rb, &text, InputFormat::Csv, base.clone());
        assert_eq!(summary.read, 5000);
        assert!(
            summary.rejected >= 5,
            "the bad rows are rejected: {summary:?}"
        );
        assert_eq!(summary.evaluated + summary.rejected, summary.read);
        let lines = String::from_utf8(reference.clone())
            .unwrap()
            .lines()
            .count();
        let header = usize::from(format == BatchFormat::Csv);
        assert_eq!(lines, 5000 + header, "one output row per input row");
        for (jobs, piece) in [(2, 7), (2, 1000), (1, 1), (3, 4096), (2, 0), (4, 0)] {
            let (out, s) = run(
                &rb,
                &text,
                InputFormat::Csv,
                BatchOptions {
                    jobs,
                    piece,
                    ..base.clone()
                },
            );
            assert_eq!(out, reference, "jobs {jobs}, piece {piece}");
            assert_eq!(s, summary);
        }
    }
}

#[test]
fn the_summary_adds_up_the_payment_lines() {
    let rb = rulebook("rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    let (out, summary) = run(
        &rb,
        &fami_batch(2000),
        InputFormat::Csv,
        BatchOptions::default(),
    );
    let per_line: rust_decimal::Decimal = summary.paid_per_line.iter().sum();
    assert_eq!(per_line, summary.total_euros);
    // The same total from the rows written.
    let text = String::from_utf8(out).unwrap();
    let total: rust_decimal::Decimal = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(',');
            let (_, status, total) = (f.next(), f.next(), f.next());
            (status == Some("evaluated"))
                .then(|| total.unwrap().parse::<rust_decimal::Decimal>().unwrap())
        })
        .sum();
    assert_eq!(total, summary.total_euros);
    assert!(summary.total_euros > rust_decimal::Decimal::ZERO);
}

#[test]
fn strict_stops_at_the_first_rejection() {
    let rb = rulebook("rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    let text = fami_batch(100);
    let options = BatchOptions {
        strict: true,
        jobs: 2,
        piece: 10,
        ..BatchOptions::default()
    };
    let (out, summary) = run(&rb, &text, InputFormat::Csv, options);
    assert!(summary.stopped_early);
    assert_eq!(summary.rejected, 1);
    // Rows 0..=7 (row 7 is the first bad one), then nothing.
    assert_eq!(summary.read, 8);
    let written = String::from_utf8(out).unwrap();
    assert!(
        written.lines().last().unwrap().starts_with("CD-7,rejected"),
        "{written}"
    );
}

#[test]
fn an_overlong_line_is_rejected_and_the_next_rows_are_read() {
    let rb = rulebook("rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    let long = "x".repeat(3 * 1024 * 1024);
    let text = format!(
        "id,cdc_sesam_vitale,actes_fse,actes_total,lieux_aller_vers\nCD-1,oui,5,5,\nCD-2,oui,5,5,\"{long}\"\nCD-3,oui,5,5,{long}\nCD-4,oui,5,5,\n"
    );
    let (out, summary) = run(&rb, &text, InputFormat::Csv, BatchOptions::default());
    assert_eq!(
        (summary.read, summary.evaluated, summary.rejected),
        (4, 2, 2)
    );
    let written = String::from_utf8(out).unwrap();
    assert!(
        written.contains("CD-2,rejected")
            && written.contains("line 3,the line is longer than 1048576 bytes")
    );
    assert!(written.contains("CD-4,evaluated"));

    let jsonl = format!(
        "{{\"id\": \"CD-1\", \"cdc_sesam_vitale\": true, \"actes_fse\": 5, \"actes_total\": 5}}\n{{\"id\": \"CD-2\", \"lieux_aller_vers\": \"{long}\"}}\n{{\"id\": \"CD-3\", \"cdc_sesam_vitale\": true, \"actes_fse\": 5, \"actes_total\": 5}}\n"
    );
    let (_, summary) = run(&rb, &jsonl, InputFormat::JsonLines, BatchOptions::default());
    assert_eq!(
        (summary.read, summary.evaluated, summary.rejected),
        (3, 2, 1)
    );
}

#[test]
fn json_output_is_one_valid_array() {
    let rb = rulebook("rulebooks/forfait-structure/2025-medecins.forfait");
    let examples =
        std::fs::read_to_string("rulebooks/forfait-structure/2025-medecins.examples/maximum.json")
            .unwrap();
    let jsonl = examples.replace('\n', " ") + "\n" + &examples.replace('\n', " ") + "\n";
    let options = BatchOptions {
        format: BatchFormat::Json,
        jobs: 2,
        ..BatchOptions::default()
    };
    let (out, summary) = run(&rb, &jsonl, InputFormat::JsonLines, options.clone());
    let parsed: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(parsed.as_array().map(Vec::len), Some(2));
    assert_eq!(parsed[1]["total"]["euros"], "7805.00");
    assert_eq!(summary.read, 2);
    let (empty, _) = run(&rb, "", InputFormat::JsonLines, options);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&empty).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn outcomes_evaluated_without_trace_still_render() {
    let rb = rulebook("rulebooks/fami/2021-professions-de-sante.forfait");
    let text = std::fs::read_to_string(
        "rulebooks/fami/2021-professions-de-sante.examples/infirmier-ipal-zone-sous-dense-maximum.json",
    )
    .unwrap();
    let options = forfait::EvalOptions {
        trace: false,
        what_if: false,
    };
    let records = forfait::evaluate_file(&rb, "x.json", &text, options);
    let rendered = forfait::output::text::render(&rb, &records);
    assert!(rendered.contains("2 172,00 €"), "{rendered}");
    let json = forfait::output::json::render(&rb, &records);
    assert!(json.contains("\"euros\": \"2172.00\""));
}

/// Cells a spreadsheet may hold, right and wrong, for every type: the batch's fast path
/// takes only plain ones and leaves the rest to the general reader; both must agree.
fn tricky_cell(rb: &CompiledRulebook, slot: usize, pick: u64, dirty: bool) -> Vec<u8> {
    use forfait::model::InputType;
    let plain: Vec<String> = match &rb.inputs[slot].ty {
        InputType::YesNo => vec!["oui".into(), "non".into(), " OUI ".into(), "True".into()],
        InputType::Count => vec!["0".into(), "3".into(), "1250".into(), " 7 ".into()],
        InputType::Decimal => vec!["12.5".into(), "0".into(), "3".into()],
        InputType::Date => vec!["2024-01-31".into(), "31/01/2020".into()],
        InputType::Text => vec!["EHPAD".into(), "établissement pénitentiaire".into()],
        InputType::Choice(choices) => choices.iter().map(|c| c.name.clone()).collect(),
    };
    let odd: [&[u8]; 24] = [
        b"",
        b" ",
        b"1",
        b"0",
        b"yes",
        b"NO",
        b"+5",
        b"007",
        b"3.0",
        b"1,5",
        b"-3",
        b"1.5",
        b"18446744073709551616",
        "\u{a0}".as_bytes(),
        "\u{a0}oui".as_bytes(),
        b"\x0b1",
        b"\x0b",
        b"2024-02-30",
        b"abc",
        "é".as_bytes(),
        b"\"a, \"\"quoted\"\" cell\"",
        b"\xff\xfe",
        b"oui\xc3",
        b"e5",
    ];
    let n = pick % 100;
    if n < 85 || !dirty {
        plain[(pick / 100) as usize % plain.len()]
            .as_bytes()
            .to_vec()
    } else if n < 90 {
        // A choice's name with blanks around it, or in capitals.
        let name = &plain[(pick / 100) as usize % plain.len()];
        if n % 2 == 0 {
            format!("  {name} ").into_bytes()
        } else {
            name.to_uppercase().into_bytes()
        }
    } else {
        odd[(pick / 100) as usize % odd.len()].to_vec()
    }
}

/// Every rulebook in the repository that compiles: the shipped ones, and the test cases'
/// (which between them use every construct of the language: `applies when`, neutralisations,
/// amounts chosen by `when`, `per`, points, dates, texts, decimals, `missing means none`).
fn every_rulebook() -> Vec<(String, CompiledRulebook, bool)> {
    fn walk(dir: &std::path::Path, into: &mut Vec<std::path::PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, into);
            } else if path.extension().is_some_and(|e| e == "forfait") {
                into.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(std::path::Path::new("rulebooks"), &mut paths);
    let shipped = paths.len();
    walk(std::path::Path::new("tests/cases"), &mut paths);
    paths
        .into_iter()
        .enumerate()
        .filter_map(|(i, path)| {
            let name = path.display().to_string();
            let source = std::fs::read_to_string(&path).unwrap();
            compile(&name, &source)
                .ok()
                .map(|c| (name, c.rulebook, i < shipped))
        })
        .collect()
}

/// The general path: each record built, evaluated and written on its own.
fn row_by_row(
    rb: &CompiledRulebook,
    file: &str,
    data: &[u8],
    format: InputFormat,
) -> (String, usize) {
    let options = forfait::EvalOptions {
        trace: false,
        what_if: false,
    };
    let records = forfait::declaration::records(rb, file, data, format, ReadOptions::default());
    let mut general = forfait::output::csv::header(rb, Default::default());
    let mut evaluated = 0;
    for record in records {
        let e = forfait::evaluate_record(rb, file, record, options);
        evaluated += usize::from(matches!(e, forfait::record::Evaluated::Outcome { .. }));
        general.push_str(&forfait::output::csv::row(rb, &e, Default::default()));
    }
    (general, evaluated)
}

/// The batch, which reads a piece at a time and evaluates it column by column.
fn batched(
    rb: &CompiledRulebook,
    file: &str,
    data: Vec<u8>,
    format: InputFormat,
    jobs: usize,
) -> String {
    let mut out = Vec::new();
    let sources = vec![Source {
        name: file.into(),
        input: Box::new(Cursor::new(data)),
        format,
    }];
    let options = BatchOptions {
        jobs,
        piece: 500,
        ..BatchOptions::default()
    };
    batch::run(
        rb,
        sources,
        ReadOptions::default(),
        &mut out,
        options,
        &mut |_| {},
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

fn same_rows(what: &str, batched: &str, general: &str) {
    for (n, (b, g)) in batched.lines().zip(general.lines()).enumerate() {
        assert_eq!(b, g, "{what}: output line {}", n + 1);
    }
    assert_eq!(batched.lines().count(), general.lines().count(), "{what}");
}

/// The batch's reading column by column and evaluation column by column (`eval::vector`)
/// against reading and evaluating each record alone: the same result rows, byte for byte,
/// on every rulebook, from CSV and from JSON lines, right and wrong cells, blanks (missing,
/// absent or defaulted values), every status.
#[test]
fn the_fast_path_reads_and_evaluates_every_row_as_the_general_path_does() {
    let mut state: u64 = 7;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        state >> 11
    };
    let rulebooks = every_rulebook();
    let shipped = rulebooks.iter().filter(|(_, _, shipped)| *shipped).count();
    assert_eq!(shipped, 5);
    assert!(
        rulebooks.len() > 30,
        "{} rulebooks compile",
        rulebooks.len()
    );
    for (path, rb, shipped) in &rulebooks {
        let mut csv: Vec<u8> = b"id".to_vec();
        for input in &rb.inputs {
            csv.push(b',');
            csv.extend_from_slice(input.name.as_bytes());
        }
        csv.push(b'\n');
        let mut json_lines: Vec<u8> = Vec::new();
        let rows = if *shipped { 3000 } else { 600 };
        for row in 0..rows {
            let id: &[u8] = match next() % 50 {
                0 => b"",
                1 => b"  ",
                2 => b" P-x ",
                _ => b"P",
            };
            let id = [id, row.to_string().as_bytes()].concat();
            csv.extend_from_slice(&id);
            let width = match next() % 60 {
                0 => rb.inputs.len() - 1,
                1 => rb.inputs.len() + 1,
                _ => rb.inputs.len(),
            };
            let dirty = next() % 3 == 0;
            // Clean rows leave a few cells blank: a value missing, absent or defaulted.
            let blanks = next() % 2 == 0;
            let mut fields = vec![format!(
                "\"id\": {}",
                serde_json::to_string(&String::from_utf8_lossy(&id)).unwrap()
            )];
            for i in 0..width {
                csv.push(b',');
                let slot = i.min(rb.inputs.len() - 1);
                let cell = match blanks && next() % 25 == 0 {
                    true => Vec::new(),
                    false => tricky_cell(rb, slot, next(), dirty),
                };
                csv.extend_from_slice(&cell);
                // The same cell as a JSON string, when it is text (a blank one left out).
                if let (Some(input), Ok(text)) = (rb.inputs.get(i), std::str::from_utf8(&cell)) {
                    if !text.trim().is_empty() && !text.starts_with('"') {
                        fields.push(format!(
                            "{}: {}",
                            serde_json::to_string(&input.name).unwrap(),
                            serde_json::to_string(text).unwrap()
                        ));
                    }
                }
            }
            csv.push(b'\n');
            json_lines.extend_from_slice(format!("{{{}}}\n", fields.join(", ")).as_bytes());
        }
        let (general, evaluated) = row_by_row(rb, "batch.csv", &csv, InputFormat::Csv);
        if *shipped {
            // Enough rows of each kind for the comparison to mean something.
            assert!(evaluated > 300, "{path}: {evaluated} evaluated");
            assert!(evaluated < 2900, "{path}: {evaluated} evaluated");
        }
        for jobs in [1, 2] {
            same_rows(
                &format!("{path}, CSV, {jobs} jobs"),
                &batched(rb, "batch.csv", csv.clone(), InputFormat::Csv, jobs),
                &general,
            );
        }
        let (general, _) = row_by_row(rb, "batch.jsonl", &json_lines, InputFormat::JsonLines);
        same_rows(
            &format!("{path}, JSON lines"),
            &batched(rb, "batch.jsonl", json_lines, InputFormat::JsonLines, 1),
            &general,
        );
    }
}

#[test]
fn a_quote_left_open_rejects_each_line_it_takes_on_its_own() {
    let rb = rulebook("rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    let mut csv = String::from(
        "id,equipement_dmp,flux_dmp,cdc_sesam_vitale,horaires_annuaire,actes_fse,actes_total,type_messagerie,dispositif_coordination,interventions_aller_vers,lieux_aller_vers,stage_accueilli,stagiaire_temps_plein\n\
         CD-1,logiciel_compatible,4,oui,oui,700,1000,mssante_personnelle,cpts,3,EHPAD,stage_actif_6e_annee,oui\n\
         CD-2,logiciel_compatible,4,oui,oui,700,1000,mssante_personnelle,cpts,3,\"EHPAD de Lyon,stage_actif_6e_annee,oui\n",
    );
    // Rows 3 to 302 (lines 4 to 303), none with a quote: the one on line 3 stays open.
    for i in 3..=302 {
        csv.push_str(&format!(
            "CD-{i},logiciel_compatible,4,oui,oui,700,1000,mssante_personnelle,cpts,3,EHPAD,stage_actif_6e_annee,oui\n"
        ));
    }
    for jobs in [1, 2] {
        let options = BatchOptions {
            jobs,
            ..BatchOptions::default()
        };
        let (out, summary) = run(&rb, &csv, InputFormat::Csv, options);
        let out = String::from_utf8(out).unwrap();
        // Lines 3 to 103 (CD-2 to CD-102) were read as one field: each is rejected on its
        // own, at its line; the 200 rows after it are read as they are. Count in = count out.
        assert_eq!(summary.read, 302, "jobs {jobs}");
        assert_eq!(summary.rejected, 101);
        let rejected: Vec<&str> = out.lines().filter(|l| l.contains(",rejected,")).collect();
        assert_eq!(rejected.len(), 101);
        assert!(rejected[0].starts_with("CD-2,rejected,"), "{}", rejected[0]);
        assert!(
            rejected[0].contains(
                "batch.csv:line 3,a quote opened on line 3 is still open 100 lines further: lines 3 to 103 were read as one row (each of lines 4 to 103 is rejected on its own)"
            ),
            "{}",
            rejected[0]
        );
        for (k, row) in rejected.iter().enumerate().skip(1) {
            let line = 3 + k;
            assert!(
                row.contains(&format!(
                    "batch.csv:line {line},\"this line is inside the field quoted on line 3"
                )),
                "{row}"
            );
        }
        assert!(
            out.contains("\nCD-103,evaluated,"),
            "the first row after the cut"
        );
        assert!(out.contains("\nCD-302,evaluated,"));
        assert!(out.contains("batch.csv:line 303,"));
        assert!(!out.contains("\nCD-102,"), "inside the rejected field");
    }
}

/// A disk that fills up after `room` bytes.
struct Full {
    room: usize,
}

impl std::io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.room {
            return Err(std::io::Error::other("no space left on device"));
        }
        self.room -= buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_failed_write_stops_every_worker_and_is_reported() {
    let rb = rulebook("rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    let text = fami_batch(20_000);
    for jobs in [1, 2, 4] {
        let sources = vec![Source {
            name: "batch.csv".into(),
            input: Box::new(Cursor::new(text.clone().into_bytes())),
            format: InputFormat::Csv,
        }];
        let options = BatchOptions {
            jobs,
            piece: 100,
            ..BatchOptions::default()
        };
        let mut disk = Full { room: 200_000 };
        let result = batch::run(
            &rb,
            sources,
            ReadOptions::default(),
            &mut disk,
            options,
            &mut |_| {},
        );
        let error = result.expect_err("the write fails");
        assert!(
            error.to_string().contains("no space left"),
            "jobs {jobs}: {error}"
        );
    }
}

/// An input that gives `data`, then fails on every read (as a disk with a bad sector does).
struct FailingDisk {
    data: Vec<u8>,
    at: usize,
}

impl std::io::Read for FailingDisk {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.data.len() {
            return Err(std::io::Error::from_raw_os_error(5)); // EIO
        }
        let n = out.len().min(self.data.len() - self.at).min(5000);
        out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn a_read_error_stops_the_batch_after_the_rows_before_it_are_written() {
    let rb = rulebook("rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    let text = fami_batch(3000);
    // Cut after the line break of line 2001 (the header and 2000 rows).
    let cut = text.match_indices('\n').nth(2000).unwrap().0 + 1;
    let jsonl: String = (0..3000)
        .map(|i| format!("{{\"id\": \"P{i}\", \"cdc_sesam_vitale\": true}}\n"))
        .collect();
    for (format, data, lines, rows) in [
        (InputFormat::Csv, &text.as_bytes()[..cut], 2001, 2000),
        (InputFormat::JsonLines, jsonl.as_bytes(), 3000, 3000),
        (InputFormat::Json, b"[{\"id\": \"P1\"},\n".as_slice(), 1, 0),
    ] {
        for (jobs, piece) in [(1, 0), (1, 7), (2, 100), (4, 33)] {
            let sources = vec![Source {
                name: "big.csv".into(),
                input: Box::new(std::io::BufReader::new(FailingDisk {
                    data: data.to_vec(),
                    at: 0,
                })),
                format,
            }];
            let options = BatchOptions {
                jobs,
                piece,
                ..BatchOptions::default()
            };
            let mut out = Vec::new();
            let result = batch::run(
                &rb,
                sources,
                ReadOptions::default(),
                &mut out,
                options,
                &mut |_| {},
            );
            let Err(batch::BatchError::Read(e)) = result else {
                panic!("{format:?} jobs {jobs}: {result:?}");
            };
            assert_eq!(e.file, "big.csv");
            assert_eq!(e.lines_read, lines, "{format:?} jobs {jobs}");
            assert_eq!(e.error.raw_os_error(), Some(5));
            assert_eq!(
                e.to_string(),
                format!("cannot read big.csv after line {lines}: Input/output error (os error 5)")
            );
            // Every row read before the error is written, in order, none after it, and the
            // error is no rejected row.
            let out = String::from_utf8(out).unwrap();
            assert!(!out.contains("cannot read"), "{format:?} jobs {jobs}");
            // (CSV out: a header, then a row each.)
            let written: Vec<&str> = out.lines().skip(1).collect();
            assert_eq!(written.len(), rows, "{format:?} jobs {jobs} piece {piece}");
            if format == InputFormat::Csv {
                assert!(written[rows - 1].contains(&format!("big.csv:line {}", rows + 1)));
            }
        }
    }
}

#[test]
fn rows_are_at_their_real_lines_in_every_output_with_windows_line_ends() {
    let rb = rulebook("rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    let text = fami_batch(500);
    for (end, blank) in [("\r\n", ""), ("\r", ""), ("\n", "\n\n")] {
        // Blank lines after the header shift every row by as many lines.
        let shift = blank.len() as u64;
        let mut file = text.replace('\n', end);
        if !blank.is_empty() {
            file = file.replacen('\n', &format!("\n{blank}"), 1);
        }
        for format in [BatchFormat::Csv, BatchFormat::JsonLines, BatchFormat::Text] {
            for jobs in [1, 2] {
                let options = BatchOptions {
                    format,
                    jobs,
                    piece: 64,
                    ..BatchOptions::default()
                };
                let (out, summary) = run(&rb, &file, InputFormat::Csv, options);
                assert_eq!(summary.read, 500);
                let out = String::from_utf8(out).unwrap();
                // Every place named: `batch.csv:line N` (CSV), `"location": "line N"` (JSON),
                // `batch.csv: line N` (text).
                let located: std::collections::BTreeSet<u64> = out
                    .match_indices("line ")
                    .filter_map(|(at, _)| {
                        let digits: String = out[at + 5..]
                            .chars()
                            .take_while(char::is_ascii_digit)
                            .collect();
                        digits.parse().ok()
                    })
                    .collect();
                // The row of the n-th line after the header is at line n + 1 (+ blanks).
                let rows: Vec<u64> = located.into_iter().collect();
                let all: Vec<u64> = (2..=501).map(|n| n + shift).collect();
                if format == BatchFormat::Text {
                    // The text names the place of rejected declarations only.
                    assert!(!rows.is_empty() && rows.iter().all(|n| all.contains(n)));
                } else {
                    assert_eq!(rows, all, "{end:?} {format:?} jobs {jobs}");
                }
            }
        }
    }
}

/// The full CSV output as rows of cells (the `csv` crate undoes the quoting).
fn csv_cells(out: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(out)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn chosen_columns_are_the_full_rows_cells_whatever_the_threads() {
    use forfait::output::columns::Columns;
    let rb = rulebook("rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    // Rejected rows among them (every 997th and 1499th row).
    let text = fami_batch(3000);
    let (full, summary) = run(&rb, &text, InputFormat::Csv, BatchOptions::default());
    assert!(summary.rejected >= 2 && summary.evaluated > 2000);
    let full = csv_cells(&full);
    let header = &full[0];

    // Every column, in order: the full row, byte for byte.
    let all = Columns::parse(&rb, &header.join(",")).unwrap();
    for (jobs, piece) in [(1, 0), (2, 7)] {
        let options = BatchOptions {
            columns: Some(all.clone()),
            jobs,
            piece,
            ..BatchOptions::default()
        };
        let (out, _) = run(&rb, &text, InputFormat::Csv, options);
        let (reference, _) = run(&rb, &text, InputFormat::Csv, BatchOptions::default());
        assert_eq!(out, reference, "all columns = the full row ({jobs} jobs)");
    }

    // A choice, in the order asked: the matching cells of the full row.
    let asked = ["total_euros", "id", "status", "errors"];
    let at: Vec<usize> = asked
        .iter()
        .map(|a| header.iter().position(|h| h == a).unwrap())
        .collect();
    for jobs in [1, 2] {
        let options = BatchOptions {
            columns: Some(Columns::parse(&rb, &asked.join(",")).unwrap()),
            jobs,
            ..BatchOptions::default()
        };
        let (out, _) = run(&rb, &text, InputFormat::Csv, options);
        let chosen = csv_cells(&out);
        assert_eq!(chosen.len(), full.len(), "a row per declaration");
        assert_eq!(chosen[0], asked);
        for (row, full_row) in chosen.iter().zip(&full).skip(1) {
            let expected: Vec<&String> = at.iter().map(|i| &full_row[*i]).collect();
            assert_eq!(row.iter().collect::<Vec<_>>(), expected);
        }
        let rejected = chosen.iter().filter(|r| r[2] == "rejected").count();
        assert_eq!(rejected as u64, summary.rejected);
        assert!(chosen
            .iter()
            .filter(|r| r[2] == "rejected")
            .all(|r| r[0].is_empty() && !r[3].is_empty()));
    }

    // JSON lines: an object per declaration with those keys, empty cells null.
    let options = BatchOptions {
        format: BatchFormat::JsonLines,
        columns: Some(Columns::parse(&rb, "id,total_euros,teletransmission").unwrap()),
        ..BatchOptions::default()
    };
    let (out, _) = run(&rb, &text, InputFormat::Csv, options);
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), full.len() - 1);
    let total = header.iter().position(|h| h == "total_euros").unwrap();
    let tele = header.iter().position(|h| h == "teletransmission").unwrap();
    for (line, full_row) in lines.iter().zip(&full[1..]) {
        let keys: Vec<&String> = line.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "total_euros", "teletransmission"]);
        let cell = |i: usize| match full_row[i].as_str() {
            "" => serde_json::Value::Null,
            text => serde_json::Value::String(text.into()),
        };
        assert_eq!(line["total_euros"], cell(total));
        assert_eq!(line["teletransmission"], cell(tele));
    }
}

#[test]
fn a_columns_list_names_the_rows_columns() {
    use forfait::output::columns::{ColumnError, Columns};
    let rb = rulebook("rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    assert_eq!(
        Columns::parse(&rb, "id,total"),
        Err(ColumnError::Unknown {
            name: "total".into(),
            suggestion: None
        })
    );
    assert_eq!(
        Columns::parse(&rb, "id,total_euro"),
        Err(ColumnError::Unknown {
            name: "total_euro".into(),
            suggestion: Some("total_euros".into())
        })
    );
    assert_eq!(
        Columns::parse(&rb, "id,id"),
        Err(ColumnError::Twice("id".into()))
    );
    assert_eq!(Columns::parse(&rb, "id,,status"), Err(ColumnError::Empty));
    assert!(Columns::parse(&rb, " id , total_euros ").is_ok());
}

/// Amounts beyond what the evaluation by column adds in integers (a line paying more than
/// 10^16 EUR) are left to the row evaluator: the same row as evaluated alone, never a sum
/// gone wrong.
#[test]
fn amounts_too_large_for_cents_in_integers_are_evaluated_row_by_row() {
    let source = r#"
rulebook t "T"
  scheme "FAMI"
  exercice 2024
  paid in 2025
  guide "G"
  currency EUR
  professions (infirmier "Infirmiers")

input dmp_ouverts "DMP ouverts" count automated missing means 0

indicator dmp "Ouverture de DMP"
  section "1"
  automated
  met when dmp_ouverts >= 1
  independent
  pays 1 EUR per dmp_ouverts
"#;
    let rb = compile("t.forfait", source).expect("checks").rulebook;
    let csv = b"id,profession,dmp_ouverts\nP1,infirmier,18446744073709551615\nP2,infirmier,3\n";
    let (general, evaluated) = row_by_row(&rb, "t.csv", csv, InputFormat::Csv);
    assert_eq!(evaluated, 2);
    let out = batched(&rb, "t.csv", csv.to_vec(), InputFormat::Csv, 1);
    same_rows("too large", &out, &general);
    assert!(
        out.contains("P1,evaluated,18446744073709551615.00,"),
        "{out}"
    );
    assert!(out.contains("P2,evaluated,3.00,"), "{out}");
}
