//! The readers against the faults of real files: line ends, cut files, stray quotes, bad
//! headers, and inputs that fail as they are read.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{self, BufReader, Read};

use super::*;

const HEADER: &str = "id,equipement_dmp,flux_dmp,cdc_sesam_vitale,horaires_annuaire,actes_fse,actes_total,type_messagerie,dispositif_coordination,interventions_aller_vers,lieux_aller_vers,stage_accueilli,stagiaire_temps_plein";

fn row(id: &str) -> String {
    format!(
        "{id},logiciel_compatible,4,oui,oui,700,1000,mssante_personnelle,cpts,3,EHPAD,aucun,non"
    )
}

fn fami() -> CompiledRulebook {
    let path = "rulebooks/fami/2024-chirurgiens-dentistes.forfait";
    let source = include_str!("../../rulebooks/fami/2024-chirurgiens-dentistes.forfait");
    crate::compile(path, source).expect("checks").rulebook
}

/// Each record's line, and its id when evaluated (`None` when rejected).
fn lines(records: &[Record]) -> Vec<(u64, Option<String>)> {
    records
        .iter()
        .map(|r| match r {
            Record::Declaration(d, Location::Line(n)) => (*n, Some(d.id.clone())),
            Record::Rejected(Rejection {
                location: Location::Line(n),
                ..
            }) => (*n, None),
            other => panic!("not a CSV record: {other:?}"),
        })
        .collect()
}

fn csv(rb: &CompiledRulebook, text: &[u8]) -> Vec<Record> {
    records(rb, "x.csv", text, InputFormat::Csv, ReadOptions::default()).collect()
}

fn messages(record: &Record) -> Vec<String> {
    match record {
        Record::Rejected(r) => r
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.code, p.message))
            .collect(),
        Record::Declaration(..) => Vec::new(),
    }
}

#[test]
fn rows_are_at_their_real_lines_whatever_the_line_ends() {
    let rb = fami();
    for end in ["\n", "\r\n", "\r"] {
        let text = [
            HEADER.to_string(),
            row("P2"),
            String::new(),
            String::new(),
            row("P5"),
            row("P6").replace("EHPAD", "\"EHPAD"),
            "de Lyon\",aucun,non".to_string(),
            row("P8"),
        ]
        .join(end);
        let records = csv(&rb, text.as_bytes());
        let some = |id: &str| Some(id.to_string());
        assert_eq!(
            lines(&records),
            vec![
                (2, some("P2")),
                (5, some("P5")),
                (6, None),
                (7, None),
                (8, some("P8"))
            ],
            "line end {end:?}"
        );
        assert!(
            messages(&records[2])[0]
                .contains("a field quoted on line 6 holds a line break: lines 6 to 7"),
            "{:?}",
            messages(&records[2])
        );
        assert!(messages(&records[3])[0].contains("this line is inside the field quoted on line 6"));
    }
}

#[test]
fn a_long_line_is_rejected_at_its_line_with_crlf_too() {
    let rb = fami();
    for end in ["\n", "\r\n", "\r"] {
        let long = row("P3").replace("EHPAD", &"E".repeat(MAX_LINE_BYTES + 10));
        let text = [
            HEADER.to_string(),
            row("P2"),
            long,
            row("P4"),
            String::new(),
        ]
        .join(end);
        let records = csv(&rb, text.as_bytes());
        let some = |id: &str| Some(id.to_string());
        assert_eq!(
            lines(&records),
            vec![(2, some("P2")), (3, None), (4, some("P4"))],
            "line end {end:?}"
        );
        assert!(
            messages(&records[1])[0].contains("longer than"),
            "{:?}",
            messages(&records[1])
        );
    }
}

#[test]
fn a_file_cut_inside_a_quoted_last_field_is_rejected() {
    let rb = fami();
    let cut = format!(
        "{HEADER}\n{}\n{}",
        row("P2"),
        row("P3").replace(",non", ",\"no")
    );
    let records = csv(&rb, cut.as_bytes());
    assert_eq!(lines(&records), vec![(2, Some("P2".into())), (3, None)]);
    assert!(
        messages(&records[1])[0].contains("a quote opened on line 3 is never closed"),
        "{:?}",
        messages(&records[1])
    );
    // Closed, it reads (and `no` is a yes/no).
    let whole = format!("{cut}\"\n");
    assert_eq!(
        lines(&csv(&rb, whole.as_bytes()))[1],
        (3, Some("P3".into()))
    );
}

#[test]
fn a_bad_header_is_rejected_once_and_each_row_points_to_it() {
    let rb = fami();
    let header = HEADER.replace("actes_fse", "actes_FSE") + ",flux_dmp";
    let text = format!("{header}\n{},4\n{},4\n", row("P2"), row("P3"));
    let records = csv(&rb, text.as_bytes());
    assert_eq!(lines(&records), vec![(1, None), (2, None), (3, None)]);
    assert_eq!(
        messages(&records[0]),
        vec![
            "forfait::decl::unknown_field: column 6: not an input of rulebook `fami_2024_chirurgiens_dentistes`; did you mean `actes_fse`?",
            "forfait::decl::duplicate_field: column 14: the column appears twice in the header",
        ]
    );
    for record in &records[1..] {
        let Record::Rejected(r) = record else {
            panic!()
        };
        assert!(r.id.is_some());
        assert_eq!(messages(record), vec!["forfait::decl::bad_header: the header (line 1) has problems: see its own rejection, line 1"]);
    }
}

#[test]
fn a_hundred_thousand_unknown_columns_are_read_in_linear_time() {
    let rb = fami();
    let mut header = HEADER.to_string();
    for i in 0..100_000 {
        header.push_str(&format!(",c{i}"));
    }
    header.push_str(",id");
    let text = format!("{header}\n{}\n", row("P2"));
    let started = std::time::Instant::now();
    let records = csv(&rb, text.as_bytes());
    // Debug build, shared machine: the quadratic check took minutes here.
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    assert_eq!(records.len(), 2);
    let problems = messages(&records[0]);
    // The first hundred in full, the others counted.
    assert_eq!(problems.len(), 101);
    assert_eq!(problems[0], "forfait::decl::unknown_field: column 14: not an input of rulebook `fami_2024_chirurgiens_dentistes`");
    assert_eq!(problems[100], "forfait::decl::bad_header: and 99901 more columns with a problem, not listed (the last is column 100014)");
    assert_eq!(messages(&records[1]).len(), 1);
}

#[test]
fn a_header_over_the_line_limit_is_a_problem_of_the_header() {
    let rb = fami();
    let header = format!("{HEADER},{}", "x".repeat(MAX_LINE_BYTES));
    let text = format!("{header}\n{}\n", row("P2"));
    let records = csv(&rb, text.as_bytes());
    assert_eq!(lines(&records), vec![(1, None), (2, None)]);
    assert_eq!(
        messages(&records[0])[0],
        "forfait::decl::malformed: the header is longer than 1048576 bytes: the names after that were dropped"
    );
}

#[test]
fn trailing_columns_with_no_name_are_ignored() {
    let rb = fami();
    let text = format!(
        "{HEADER},,,\r\n{},,,\r\n{}\r\n{},,x,\r\n",
        row("P2"),
        row("P3"),
        row("P4")
    );
    let records = csv(&rb, text.as_bytes());
    let some = |id: &str| Some(id.to_string());
    assert_eq!(
        lines(&records),
        vec![(2, some("P2")), (3, some("P3")), (4, None)]
    );
    assert_eq!(
        messages(&records[2]),
        vec!["forfait::decl::malformed: column 15 has no name in the header but holds `x`"]
    );
}

/// An input that gives `data`, then fails with `kind` on every read (as a disk does).
struct Failing {
    data: Vec<u8>,
    at: usize,
    kind: io::ErrorKind,
}

impl Read for Failing {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.at == self.data.len() {
            return Err(io::Error::new(self.kind, "input/output error"));
        }
        let n = out.len().min(self.data.len() - self.at).min(1000);
        out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn failing(data: &str, kind: io::ErrorKind) -> BufReader<Failing> {
    BufReader::with_capacity(
        4096,
        Failing {
            data: data.as_bytes().to_vec(),
            at: 0,
            kind,
        },
    )
}

/// Every record read before the error, and the error.
fn until_error(
    rb: &CompiledRulebook,
    data: &str,
    format: InputFormat,
    kind: io::ErrorKind,
) -> (usize, ReadError) {
    let (_, mut raws) = open(
        rb,
        "big",
        failing(data, kind),
        format,
        ReadOptions::default(),
    );
    let mut slot = RawRecord::empty();
    let mut read = 0;
    loop {
        match raws.next_into(&mut slot) {
            Ok(true) => read += 1,
            Ok(false) => panic!("{format:?}: the end of the file, not the error, after {read}"),
            Err(e) => {
                // And nothing more after it: no retry, no record.
                assert!(!raws.next_into(&mut slot).unwrap(), "{format:?}");
                return (read, e);
            }
        }
    }
}

#[test]
fn a_read_error_stops_the_reading_with_the_file_and_how_far_it_was_read() {
    let rb = fami();
    let mut text = format!("{HEADER}\n");
    for i in 2..=5000 {
        text.push_str(&row(&format!("P{i}")));
        text.push('\n');
    }
    // Cut inside line 5001.
    text.push_str("P5001,logiciel");
    for kind in [io::ErrorKind::Other, io::ErrorKind::InvalidData] {
        let (read, e) = until_error(&rb, &text, InputFormat::Csv, kind);
        // Every row of a line read whole (the header, then 4999), none of the cut line.
        assert_eq!(read, 4999);
        assert_eq!(e.lines_read, 5000);
        assert_eq!(e.error.kind(), kind);
        assert_eq!(
            e.to_string(),
            "cannot read big after line 5000: input/output error"
        );
    }
    // Failing before the header is read, or within it.
    let (read, e) = until_error(&rb, "", InputFormat::Csv, io::ErrorKind::Other);
    assert_eq!((read, e.lines_read), (0, 0));
    assert_eq!(e.to_string(), "cannot read big: input/output error");
    let (read, e) = until_error(&rb, "id,actes", InputFormat::Csv, io::ErrorKind::Other);
    assert_eq!((read, e.lines_read), (0, 0));

    let json_line = r#"{"id": "P1", "actes_fse": 700}"#;
    let lines: String = (0..3000).map(|_| format!("{json_line}\n")).collect();
    let (read, e) = until_error(&rb, &lines, InputFormat::JsonLines, io::ErrorKind::Other);
    assert_eq!((read, e.lines_read), (3000, 3000));
    let (read, e) = until_error(
        &rb,
        &format!("[\n{json_line},\n{json_line}"),
        InputFormat::Json,
        io::ErrorKind::Other,
    );
    assert_eq!((read, e.lines_read), (0, 2));
}

#[test]
fn records_of_a_failing_input_end_with_the_error_as_a_rejection_of_the_file() {
    let rb = fami();
    let text = format!("{HEADER}\n{}\n", row("P2"));
    let got: Vec<Record> = records(
        &rb,
        "big",
        failing(&text, io::ErrorKind::Other),
        InputFormat::Csv,
        ReadOptions::default(),
    )
    .collect();
    assert_eq!(got.len(), 2);
    let Record::Rejected(r) = &got[1] else {
        panic!()
    };
    assert_eq!(r.location, Location::File);
    assert_eq!(
        messages(&got[1]),
        vec!["forfait::decl::malformed: cannot read big after line 2: input/output error"]
    );
}
