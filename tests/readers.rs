//! A number means what it says, whoever reads it: the CSV general path (`Reader::build`),
//! the batch's CSV fast path (`Reader::read_piece`, column by column), JSON and JSON lines, each given the same
//! spelling (as a CSV cell, a JSON string, and a JSON number when it is one), read the same
//! value or refuse it with the same message. The rules are those of docs/language.md,
//! "Fields and their values" (`src/declaration/values.rs`).

#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

use std::sync::OnceLock;

use forfait::declaration::{self, InputFormat, RawRecord, ReadOptions, Record};
use forfait::value::Value;
use forfait::CompiledRulebook;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The illustrative rulebook of docs/language.md: counts (`actes_fse`) and a decimal
/// (`taux_declare`).
fn rulebook() -> &'static CompiledRulebook {
    static CELL: OnceLock<CompiledRulebook> = OnceLock::new();
    CELL.get_or_init(|| {
        let path = "tests/cases/check/docs-illustrations.forfait";
        let source = std::fs::read_to_string(path).unwrap();
        match forfait::compile(path, &source) {
            Ok(c) => c.rulebook,
            Err(report) => panic!("{}", report.render_human()),
        }
    })
}

/// What one reader made of the field: its value, or the messages of the problems about it
/// (none known for the fast path, which only declines).
type Read = Result<Value, Vec<String>>;

fn of_record(record: Record, field: &str) -> Read {
    let slot = rulebook().input_slot(field).unwrap();
    match record {
        Record::Declaration(d, _) => Ok(d.values[slot].clone()),
        Record::Rejected(r) => Err(r.problems.into_iter().map(|p| p.message).collect()),
    }
}

/// The CSV general path and fast path, on one row holding `cell` (quoted: it may hold the
/// separator).
fn csv(field: &str, cell: &str) -> (Read, Read) {
    let text = format!(
        "id,profession,{field}\nP-1,infirmier,\"{}\"\n",
        cell.replace('"', "\"\"")
    );
    let rb = rulebook();
    let (reader, mut raws) = declaration::open(
        rb,
        "x.csv",
        text.as_bytes(),
        InputFormat::Csv,
        ReadOptions::default(),
    );
    let raw = raws.next().unwrap().unwrap();
    assert!(matches!(raw, RawRecord::Csv { .. }), "{raw:?}");
    let mut table = forfait::table::Table::new(rb);
    let slot = rb.input_slot(field).unwrap();
    let mut run = vec![raw];
    reader.read_piece(&mut run, &mut table, &mut Vec::new(), &mut Vec::new());
    let fast = match table.slow[0] {
        false => Ok(table.columns[slot].value(0)),
        true => Err(Vec::new()),
    };
    (of_record(reader.build_in_place(&mut run[0]), field), fast)
}

/// JSON and JSON lines, the field written as `json` (a JSON value).
fn json(field: &str, json: &str) -> (Read, Read) {
    let line = format!("{{\"id\": \"P-1\", \"profession\": \"infirmier\", \"{field}\": {json}}}");
    let read = |format, file| {
        let mut records =
            declaration::read_str(rulebook(), file, &line, format, ReadOptions::default());
        assert_eq!(records.len(), 1, "{line}");
        of_record(records.remove(0), field)
    };
    (
        read(InputFormat::Json, "x.json"),
        read(InputFormat::JsonLines, "x.jsonl"),
    )
}

/// Every reader's reading of `spelling` for `field`; `number` when it is also written as a
/// JSON number.
fn readings(field: &str, spelling: &str, number: bool) -> Vec<(String, Read)> {
    let (general, fast) = csv(field, spelling);
    let quoted = serde_json::to_string(spelling).unwrap();
    let (in_json, in_lines) = json(field, &quoted);
    let mut all = vec![
        ("CSV".to_string(), general),
        ("CSV fast path".to_string(), fast),
        ("JSON text".to_string(), in_json),
        ("JSON lines text".to_string(), in_lines),
    ];
    if number {
        let (in_json, in_lines) = json(field, spelling);
        all.push(("JSON number".to_string(), in_json));
        all.push(("JSON lines number".to_string(), in_lines));
    }
    all
}

/// Every reader reads `spelling` as `expected`.
fn all_read(field: &str, spelling: &str, number: bool, expected: &Value) {
    for (reader, read) in readings(field, spelling, number) {
        assert_eq!(
            read.as_ref(),
            Ok(expected),
            "{reader} reads `{spelling}` for `{field}`"
        );
    }
}

/// Every reader refuses `spelling`, all with the same message, which says `because`.
fn all_refuse(field: &str, spelling: &str, number: bool, because: &str) {
    let mut message: Option<Vec<String>> = None;
    for (reader, read) in readings(field, spelling, number) {
        let Err(messages) = read else {
            panic!("{reader} reads `{spelling}` for `{field}` as {read:?}");
        };
        if reader == "CSV fast path" {
            continue;
        }
        assert!(
            messages.iter().any(|m| m.contains(because)),
            "{reader} on `{spelling}` for `{field}`: {messages:?}, not `{because}`"
        );
        match &message {
            None => message = Some(messages),
            Some(first) => assert_eq!(first, &messages, "{reader} on `{spelling}`"),
        }
    }
}

/// `n` in groups of three, separated by `separator`: `1 234 567`.
fn grouped(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

fn counts() -> impl Strategy<Value = u64> {
    prop_oneof![
        0..2000u64,
        any::<u64>(),
        (u64::MAX - 1000)..=u64::MAX,
        (0..20u32).prop_map(|e| 10u64.pow(e)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn a_whole_number_is_read_alike_by_every_reader(n in counts()) {
        for (field, value) in [
            ("actes_fse", Value::Count(n)),
            ("taux_declare", Value::Decimal(Decimal::from(n))),
        ] {
            for (spelling, number) in [
                (n.to_string(), true),
                (format!("{n}.0"), true),
                (format!("{n}.00"), true),
                (format!("{n},0"), false),
                (format!("+{n}"), false),
                (format!(" {n}\u{a0}"), false),
                (grouped(n, ' '), false),
                (grouped(n, '\u{a0}'), false),
                (grouped(n, '\u{202f}'), false),
            ] {
                all_read(field, &spelling, number, &value);
            }
        }
    }

    #[test]
    fn a_count_beyond_the_largest_is_too_large_for_every_reader(extra in 1..u64::MAX) {
        let n = u128::from(u64::MAX) + u128::from(extra);
        for spelling in [n.to_string(), format!("{n}.0")] {
            all_refuse("actes_fse", &spelling, true, "too large for a count");
        }
    }

    #[test]
    fn a_decimal_is_read_exactly_by_every_reader(mantissa in any::<i64>(), scale in 0..12u32) {
        let value = Value::Decimal(Decimal::new(mantissa, scale));
        let point = Decimal::new(mantissa, scale).to_string();
        all_read("taux_declare", &point, true, &value);
        if point.contains('.') {
            // A trailing zero more changes nothing.
            all_read("taux_declare", &format!("{point}0"), true, &value);
        }
        all_read("taux_declare", &point.replace('.', ","), false, &value);
    }

    #[test]
    fn a_count_with_a_fraction_is_refused_by_every_reader(n in 0..100_000u64, f in 1..100u64) {
        all_refuse("actes_fse", &format!("{n}.{f:02}"), true, "is not a whole number");
        all_refuse("actes_fse", &format!("{n},{f}"), false, "is not a whole number");
        all_refuse("actes_fse", &format!("{n},{f:03}"), false, "ambiguous");
        all_refuse("actes_fse", &format!("-{}", n + 1), true, "is negative");
        all_refuse("actes_fse", &format!("{n}e{}", f % 5), true, "exponent");
    }
}

#[test]
fn spellings_every_reader_refuses() {
    let count = [
        (
            "7e2",
            true,
            "written with an exponent; write the number in full, such as 700",
        ),
        ("1E3", true, "exponent"),
        ("0.7e3", true, "exponent"),
        ("1,23E+15", false, "exponent"),
        ("1,000", false, "ambiguous"),
        ("1.000", true, "ambiguous"),
        ("-3", true, "is negative"),
        ("700,5", false, "`700,5` is not a whole number"),
        ("18446744073709551616", true, "too large for a count"),
        (".5", false, "is not a count"),
        ("5.", false, "is not a count"),
        ("1_000", false, "is not a count"),
        ("10 00", false, "is not a count"),
        ("0x10", false, "is not a count"),
    ];
    for (spelling, number, because) in count {
        all_refuse("actes_fse", spelling, number, because);
    }
    let decimal = [
        ("7e2", true, "exponent"),
        ("1.5E-3", true, "exponent"),
        (
            "1.99999999999999999999999999999",
            true,
            "more digits than can be read exactly",
        ),
        (
            "79228162514264337593543950336",
            true,
            "more digits than can be read exactly",
        ),
        (".5", false, "is not a decimal"),
        ("5.", false, "is not a decimal"),
        ("1_000", false, "is not a decimal"),
        ("1.2.3", false, "is not a decimal"),
        ("NaN", false, "is not a decimal"),
    ];
    for (spelling, number, because) in decimal {
        all_refuse("taux_declare", spelling, number, because);
    }
}

#[test]
fn a_key_twice_rejects_the_object() {
    for file in ["x.json", "x.jsonl"] {
        for text in [
            r#"{"id": "P-1", "profession": "infirmier", "actes_fse": 700, "actes_fse": 100}"#,
            r#"{"id": "P-1", "id": "P-2", "profession": "infirmier"}"#,
        ] {
            let records = declaration::read_str(
                rulebook(),
                file,
                text,
                InputFormat::from_path(file),
                ReadOptions::default(),
            );
            let [Record::Rejected(r)] = records.as_slice() else {
                panic!("{file}: {text} read as {records:?}");
            };
            assert_eq!(r.problems.len(), 1, "{r}");
            assert_eq!(r.problems[0].code, "forfait::decl::duplicate_field", "{r}");
            assert_eq!(r.problems[0].message, "the key appears twice in the object");
        }
    }
}
