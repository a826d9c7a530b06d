//! What each fuzz target checks, in one place: the fuzz targets (`fuzz/fuzz_targets/*.rs`)
//! call these functions, and so does `tests/fuzz_regressions.rs` (which includes this file
//! with `#[path]`), so that an input saved from a finding is checked exactly as the fuzzer
//! checked it. Every check panics on failure; a panic is a finding.
//!
//! Only `forfait`, `serde`, `serde_json` (with `raw_value`) and `csv` are used here: the
//! main crate has them all.

use std::sync::OnceLock;

use forfait::batch::{self, BatchFormat, BatchOptions};
use forfait::declaration::Declaration;
use forfait::declaration::{self, InputFormat, Location, RawRecord, ReadOptions, Record};
use forfait::model::InputType;
use forfait::output;
use forfait::record::Evaluated;
use forfait::{fmt, parse, CompiledRulebook, EvalOptions, Report};
use serde_json::value::RawValue;

/// The rulebook the declaration targets read against.
pub const FAMI_2024: &str = include_str!("../../rulebooks/fami/2024-chirurgiens-dentistes.forfait");
/// The rulebook of `declaration_structure` (points, several volets).
pub const STRUCTURE_2025: &str =
    include_str!("../../rulebooks/forfait-structure/2025-medecins.forfait");

/// Every target, by the name of its folder in `fuzz/corpus/` and `tests/fuzz_regressions/`.
pub const TARGETS: [&str; 5] = [
    "rulebook",
    "declaration_csv",
    "declaration_json",
    "declaration_jsonl",
    "declaration_structure",
];

/// Runs the checks of `target` on `data`; false when no target has that name.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "rulebook" => rulebook(data),
        "declaration_csv" => declaration_csv(data),
        "declaration_json" => declaration_json(data),
        "declaration_jsonl" => declaration_jsonl(data),
        "declaration_structure" => declaration_structure(data),
        _ => return false,
    }
    true
}

/// True when `FORFAIT_FUZZ_KNOWN` (names separated by commas) names this finding: while a
/// reported finding awaits its fix, a fuzzing run can pass over it and look for others.
/// `tests/fuzz_regressions.rs` ignores the variable: there every check is made.
pub fn known(finding: &str) -> bool {
    static KNOWN: OnceLock<Vec<String>> = OnceLock::new();
    KNOWN
        .get_or_init(|| {
            if cfg!(test) {
                return Vec::new();
            }
            std::env::var("FORFAIT_FUZZ_KNOWN")
                .unwrap_or_default()
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .iter()
        .any(|k| k == finding)
}

fn shipped(cell: &'static OnceLock<CompiledRulebook>, source: &str) -> &'static CompiledRulebook {
    cell.get_or_init(|| match forfait::compile("shipped.forfait", source) {
        Ok(compiled) => compiled.rulebook,
        Err(report) => panic!(
            "a shipped rulebook does not compile:\n{}",
            report.render_human()
        ),
    })
}

/// FAMI 2024, chirurgiens-dentistes, compiled once.
pub fn fami_2024() -> &'static CompiledRulebook {
    static CELL: OnceLock<CompiledRulebook> = OnceLock::new();
    shipped(&CELL, FAMI_2024)
}

/// Forfait structure 2025, médecins, compiled once.
pub fn structure_2025() -> &'static CompiledRulebook {
    static CELL: OnceLock<CompiledRulebook> = OnceLock::new();
    shipped(&CELL, STRUCTURE_2025)
}

// ------------------------------------------------------------------------------ rulebook

/// Arbitrary bytes as a rulebook: compiling never panics; the diagnostics render (the JSON
/// form is valid JSON); a rulebook that compiles gives its schema and evaluates a bare
/// declaration; and a rulebook that parses is formatted without changing meaning:
/// `parse(format(x)) == parse(x)`, the comments kept, no blank line at the end, formatting
/// idempotent, and the formatted text compiles exactly when the original does.
pub fn rulebook(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let compiled = forfait::compile("fuzz.forfait", source);
    let over_limits = match &compiled {
        Ok(c) => {
            render_report(&c.warnings);
            let schema = output::schema::render(&c.rulebook);
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&schema) {
                panic!("the declarations' JSON Schema is not JSON: {e}\n{schema}");
            }
            declarations(
                &c.rulebook,
                "fuzz.json",
                br#"{"id": "fuzz"}"#,
                InputFormat::Json,
            );
            false
        }
        Err(report) => {
            render_report(report);
            report
                .diagnostics
                .iter()
                .any(|d| matches!(d, forfait::Error::ConditionTooDeep { .. }))
        }
    };

    let Ok(before) = parse(source) else {
        return;
    };
    if over_limits {
        // Nested beyond what `check` accepts: nothing to keep (as in tests/fmt.rs).
        return;
    }
    if known("fmt-comment-lone-carriage-return")
        && source
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'\r' && w[1] != b'\n')
    {
        return;
    }
    let once = fmt::format(&before, source);
    let after = match parse(&once) {
        Ok(ast) => ast,
        Err(errors)
            if known("fmt-year-leading-zero")
                && errors.iter().any(|e| e.to_string().contains("a year")) =>
        {
            return;
        }
        Err(errors) => panic!(
            "the formatted text does not parse: {errors:?}\n--- source\n{source}\n--- formatted\n{once}"
        ),
    };
    let same = if known("fmt-comment-trailing-space") {
        let trimmed = |r: &forfait::syntax::ast::Rulebook| {
            let mut r = r.clone();
            for c in &mut r.comments {
                c.text = c.text.trim_end().to_string();
            }
            r
        };
        trimmed(&before) == trimmed(&after)
    } else {
        before == after
    };
    assert!(
        same,
        "formatting changed the rules\n--- source\n{source}\n--- formatted\n{once}\n--- before\n{before:#?}\n--- after\n{after:#?}"
    );
    let texts = |r: &forfait::syntax::ast::Rulebook| -> Vec<String> {
        r.comments
            .iter()
            .map(|c| c.text.trim_end().to_string())
            .collect()
    };
    assert_eq!(
        texts(&before),
        texts(&after),
        "formatting changed the comments\n--- source\n{source}\n--- formatted\n{once}"
    );
    let twice = fmt::format(&after, &once);
    if known("fmt-final-comment-blank-line") && (once.ends_with("\n\n") || twice.ends_with("\n\n"))
    {
        return;
    }
    assert!(
        !once.ends_with("\n\n"),
        "the formatted text ends with a blank line\n--- source\n{source:?}\n--- formatted\n{once:?}"
    );
    assert!(
        twice == once,
        "formatting is not idempotent\n--- source\n{source:?}\n--- formatted once\n{once:?}\n--- formatted twice\n{twice:?}"
    );
    let compiled_after = forfait::compile("fuzz.forfait", &once);
    assert_eq!(
        compiled.is_ok(),
        compiled_after.is_ok(),
        "the source compiles: {}, the formatted text compiles: {}\n--- source\n{source}\n--- formatted\n{once}",
        compiled.is_ok(),
        compiled_after.is_ok(),
    );
}

fn render_report(report: &Report) {
    let _ = report.render_human();
    let json = report.render_json();
    if known("diagnostics-json-control-char") && json.bytes().any(|b| b < 0x20 && b != b'\n') {
        return;
    }
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
        panic!("the diagnostics' JSON is not JSON: {e}\n{json}");
    }
}

// ------------------------------------------------------------------------- declarations

/// Arbitrary bytes as a CSV declaration file read against FAMI 2024.
pub fn declaration_csv(data: &[u8]) {
    declarations(fami_2024(), "fuzz.csv", data, InputFormat::Csv);
}

/// Arbitrary bytes as a JSON declaration file (an object or an array) read against FAMI 2024.
pub fn declaration_json(data: &[u8]) {
    declarations(fami_2024(), "fuzz.json", data, InputFormat::Json);
}

/// Arbitrary bytes as a JSON lines declaration file read against FAMI 2024.
pub fn declaration_jsonl(data: &[u8]) {
    declarations(fami_2024(), "fuzz.jsonl", data, InputFormat::JsonLines);
}

/// Arbitrary bytes read as JSON, JSON lines and CSV against the forfait structure 2025.
pub fn declaration_structure(data: &[u8]) {
    let rulebook = structure_2025();
    declarations(rulebook, "fuzz.json", data, InputFormat::Json);
    declarations(rulebook, "fuzz.jsonl", data, InputFormat::JsonLines);
    declarations(rulebook, "fuzz.csv", data, InputFormat::Csv);
}

/// Reads `data` as `format` (with and without `ignore_unknown_fields`), evaluates every
/// record and renders the results, checking that:
/// - the number of records is the number the file holds (counted here independently with
///   serde_json and csv), and every record yields exactly one result;
/// - the string API (`evaluate_file`) gives as many results as the streaming one;
/// - evaluating without trace and what-if gives the same statuses and amounts (CSV output);
/// - the JSON output is a JSON array of one object per result; the CSV output has a header
///   and one row per result, all as wide; the text output and each explanation render;
/// - `forfait::batch::run` (what `forfait eval` runs: two threads, pieces of 3 here) writes
///   one result per record in CSV, JSON lines and JSON, and the same CSV as `output::csv`.
///
/// `file` must have the extension of `format` (`evaluate_file` goes by it).
pub fn declarations(rulebook: &CompiledRulebook, file: &str, data: &[u8], format: InputFormat) {
    assert_eq!(
        InputFormat::from_path(file),
        format,
        "{file}: wrong extension"
    );
    for options in [
        ReadOptions::default(),
        ReadOptions {
            ignore_unknown_fields: true,
            ..ReadOptions::default()
        },
    ] {
        let records: Vec<Record> =
            declaration::records(rulebook, file, data, format, options.clone()).collect();
        // A header with problems is rejected once, before the rows (each then rejected
        // with a reference to it).
        // Rows the guard cut are rejected for that (a quote never closed, a long line), not
        // with the reference: the header's rejection is then the record on its line.
        let header = records.iter().any(|r| {
            matches!(r, Record::Rejected(j) if j.problems.iter().any(|p| p.code == "forfait::decl::bad_header"))
        }) || (format == InputFormat::Csv
            && records.len() > 1
            && matches!(records.first(), Some(Record::Rejected(j)) if j.location == Location::Line(csv_header_line(data))));
        let read = records.len();
        let rows = read - usize::from(header);
        match expected_records(data, format) {
            Expected::Exactly(n) => assert_eq!(
                rows, n,
                "{file}: {rows} records read, the file holds {n} ({options:?})"
            ),
            Expected::AtMostOne => assert!(
                rows <= 1,
                "{file}: {rows} records read from a file with no row ({options:?})"
            ),
        }

        let evaluated: Vec<Evaluated> = records
            .iter()
            .cloned()
            .map(|r| forfait::evaluate_record(rulebook, file, r, EvalOptions::default()))
            .collect();
        assert_eq!(evaluated.len(), read, "{file}: one result per record");

        let plain: Vec<Evaluated> = records
            .into_iter()
            .map(|r| {
                forfait::evaluate_record(
                    rulebook,
                    file,
                    r,
                    EvalOptions {
                        trace: false,
                        what_if: false,
                    },
                )
            })
            .collect();
        let csv = output::csv::render(rulebook, &evaluated, Default::default());
        assert_eq!(
            csv,
            output::csv::render(rulebook, &plain, Default::default()),
            "{file}: the trace or what-if changed a status or an amount"
        );

        check_csv_output(&csv, read);
        check_json_output(&output::json::render(rulebook, &evaluated), read);
        for record in &evaluated {
            let line = output::json::to_json(rulebook, record).to_string();
            assert!(!line.contains('\n'), "a JSON line spans several lines");
            if let Evaluated::Outcome { outcome, .. } = record {
                let _ = output::explain::render(rulebook, outcome);
            }
        }
        // Only the CSV output is made from trace-free outcomes (as `forfait eval --format csv`
        // on a batch does); text and explanations read the trace.
        let _ = output::text::render(rulebook, &evaluated);

        if options.ignore_unknown_fields {
            continue;
        }
        if let Ok(text) = std::str::from_utf8(data) {
            let whole = forfait::evaluate_file(rulebook, file, text, EvalOptions::default());
            assert_eq!(
                whole.len(),
                read,
                "{file}: evaluate_file and declaration::records disagree on the count"
            );
            let strings = declaration::read_str(rulebook, file, text, format, options);
            assert_eq!(strings.len(), read, "{file}: read_str and records disagree");
        }
        batches(rulebook, file, data, format, read, &csv);
        readers_agree(rulebook, data, format);
    }
}

// ------------------------------------------------------------ the readers read alike

/// The same values read by different readers give the same declarations (the same id and
/// values) or are all refused: a number means what it says, whoever reads it.
/// - CSV: each row through the general path (`Reader::build`) and the batch's fast path
///   (`Reader::decode`), which must decode exactly the rows the general path accepts; and
///   each well-formed row written as a JSON object of texts, read as JSON;
/// - JSON: each object of the file as a JSON line; and again with every number of a yes/no,
///   count or decimal field written as a text (`700.0` as `"700.0"`);
/// - JSON lines: each object line as a JSON file.
pub fn readers_agree(rulebook: &CompiledRulebook, data: &[u8], format: InputFormat) {
    match format {
        InputFormat::Csv => csv_readers_agree(rulebook, data),
        InputFormat::Json => {
            let Ok(text) = std::str::from_utf8(data) else {
                return;
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let items: Vec<&RawValue> = match serde_json::from_str::<&RawValue>(text) {
                Ok(whole) if whole.get().starts_with('[') => {
                    serde_json::from_str(whole.get()).expect("an array's items")
                }
                Ok(whole) => vec![whole],
                Err(_) => return,
            };
            for item in items {
                // A raw line break can only be white space between tokens.
                let line = item.get().replace(['\n', '\r'], " ");
                let json = read_one(rulebook, "x.json", &line, InputFormat::Json);
                let jsonl = read_one(rulebook, "x.jsonl", &line, InputFormat::JsonLines);
                same_reading(
                    &json,
                    &jsonl,
                    "a JSON object and the same as a JSON line",
                    &line,
                );
                if let Some(quoted) = numbers_as_texts(rulebook, item.get()) {
                    let texts = read_one(rulebook, "x.json", &quoted, InputFormat::Json);
                    same_reading(&json, &texts, "JSON numbers and the same as texts", &quoted);
                }
            }
        }
        InputFormat::JsonLines => {
            for line in data.split(|b| *b == b'\n') {
                let Ok(line) = std::str::from_utf8(line) else {
                    continue;
                };
                let line = line.trim_start_matches('\u{feff}').trim();
                if !line.starts_with('{') {
                    continue;
                }
                let jsonl = read_one(rulebook, "x.jsonl", line, InputFormat::JsonLines);
                let json = read_one(rulebook, "x.json", line, InputFormat::Json);
                same_reading(
                    &jsonl,
                    &json,
                    "a JSON line and the same as a JSON file",
                    line,
                );
            }
        }
    }
}

fn read_one(rulebook: &CompiledRulebook, file: &str, text: &str, format: InputFormat) -> Record {
    let mut records = declaration::read_str(rulebook, file, text, format, ReadOptions::default());
    assert_eq!(
        records.len(),
        1,
        "{file}: one record expected from {text:?}"
    );
    records.remove(0)
}

fn same_reading(a: &Record, b: &Record, what: &str, input: &str) {
    let same = match (a, b) {
        (Record::Declaration(x, _), Record::Declaration(y, _)) => {
            x.id == y.id && x.values == y.values
        }
        (Record::Rejected(_), Record::Rejected(_)) => true,
        _ => false,
    };
    assert!(
        same,
        "{what} are read differently\n--- input\n{input}\n--- one\n{a:?}\n--- other\n{b:?}"
    );
}

/// The object with each number of a yes/no, count or decimal field written as a text;
/// `None` if it is not an object, or holds no such number.
fn numbers_as_texts(rulebook: &CompiledRulebook, object: &str) -> Option<String> {
    let Pairs(pairs) = serde_json::from_str::<Pairs<'_>>(object).ok()?;
    let mut changed = false;
    let fields: Vec<String> = pairs
        .iter()
        .map(|(key, value)| {
            let numeric = rulebook.input_slot(key).is_some_and(|slot| {
                matches!(
                    rulebook.inputs[slot].ty,
                    InputType::YesNo | InputType::Count | InputType::Decimal
                )
            });
            let number = value
                .get()
                .starts_with(|c: char| c == '-' || c.is_ascii_digit());
            let key = serde_json::to_string(key).expect("a key");
            if numeric && number {
                changed = true;
                format!("{key}: \"{}\"", value.get())
            } else {
                format!("{key}: {}", value.get())
            }
        })
        .collect();
    changed.then(|| format!("{{{}}}", fields.join(", ")))
}

/// An object's (key, raw value) pairs in order, duplicates kept.
struct Pairs<'a>(Vec<(String, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Pairs<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Pairs<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Pairs<'de>, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry::<String, &'de RawValue>()? {
                    pairs.push(pair);
                }
                Ok(Pairs(pairs))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

fn csv_readers_agree(rulebook: &CompiledRulebook, data: &[u8]) {
    // The header, read without forfait, trimmed as forfait trims it.
    let body = data.strip_prefix(&[0xef, 0xbb, 0xbf][..]).unwrap_or(data);
    let first_line = body.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let delimiter = if first_line.contains(&b';') && !first_line.contains(&b',') {
        b';'
    } else {
        b','
    };
    let header: Option<Vec<String>> = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(body)
        .headers()
        .ok()
        .map(|h| h.iter().map(|name| name.trim().to_string()).collect());

    let (reader, raws) = declaration::open(
        rulebook,
        "x.csv",
        data,
        InputFormat::Csv,
        ReadOptions::default(),
    );
    let mut run: Vec<RawRecord> = raws.map(|raw| raw.expect("bytes in memory read")).collect();
    // The batch's fast path reads the rows as one piece, column by column.
    let mut table = forfait::table::Table::new(rulebook);
    reader.read_piece(&mut run, &mut table, &mut Vec::new(), &mut Vec::new());
    for (r, raw) in run.into_iter().enumerate() {
        let fast = (!table.slow[r]).then(|| Declaration {
            id: table.ids.get(r).to_string(),
            values: table.columns.iter().map(|c| c.value(r)).collect(),
        });
        let cells: Option<Vec<String>> = match &raw {
            RawRecord::Csv { row, .. } => row
                .iter()
                .map(|cell| std::str::from_utf8(cell).ok().map(str::to_string))
                .collect(),
            _ => None,
        };
        let general = reader.build(raw);
        match (&fast, &general) {
            (Some(f), Record::Declaration(g, _)) => assert!(
                f.id == g.id && f.values == g.values,
                "the CSV fast path and general path read a row differently\n--- fast\n{f:?}\n--- general\n{g:?}"
            ),
            (None, Record::Rejected(_)) => {}
            (Some(f), Record::Rejected(r)) => {
                panic!("the CSV fast path reads a row the general path rejects\n{f:?}\n{r}")
            }
            (None, Record::Declaration(g, _)) => {
                panic!("the CSV fast path declines a row the general path reads\n{g:?}")
            }
        }
        let (Some(header), Some(cells)) = (&header, cells) else {
            continue;
        };
        if cells.len() != header.len() {
            continue;
        }
        let fields: Vec<String> = header
            .iter()
            .zip(&cells)
            .map(|(name, cell)| {
                format!(
                    "{}: {}",
                    serde_json::to_string(name).expect("a name"),
                    serde_json::to_string(cell).expect("a cell")
                )
            })
            .collect();
        let object = format!("{{{}}}", fields.join(", "));
        let json = read_one(rulebook, "x.json", &object, InputFormat::Json);
        same_reading(
            &general,
            &json,
            "a CSV row and the same cells as JSON texts",
            &object,
        );
    }
}

/// `forfait eval`'s streaming path (`forfait::batch::run`, two threads, small pieces) writes
/// one result per record read, in each format, and its CSV is the CSV of `output::csv`.
fn batches(
    rulebook: &CompiledRulebook,
    file: &str,
    data: &[u8],
    format: InputFormat,
    read: usize,
    csv: &str,
) {
    for batch_format in [BatchFormat::Csv, BatchFormat::JsonLines, BatchFormat::Json] {
        let source = batch::Source {
            name: file.to_string(),
            input: Box::new(data),
            format,
        };
        let mut out = Vec::new();
        let summary = batch::run(
            rulebook,
            vec![source],
            ReadOptions::default(),
            &mut out,
            BatchOptions {
                format: batch_format,
                columns: None,
                jobs: 2,
                strict: false,
                piece: 3,
                ..BatchOptions::default()
            },
            &mut |_| {},
        )
        .unwrap_or_else(|e| panic!("{file}: the batch failed: {e}"));
        let out = String::from_utf8(out).expect("the batch output is UTF-8");
        let read = read as u64;
        assert_eq!(
            (summary.read, summary.evaluated + summary.rejected),
            (read, read),
            "{file}: the batch ({batch_format:?}) read {} records, evaluated {} and rejected {}, not {read}",
            summary.read,
            summary.evaluated,
            summary.rejected
        );
        match batch_format {
            BatchFormat::Csv => assert!(
                out == csv,
                "{file}: the batch CSV differs from output::csv::render\n--- batch\n{out}\n--- render\n{csv}"
            ),
            BatchFormat::Json => check_json_output(&out, read as usize),
            _ => {
                let mut lines = 0;
                for line in out.lines() {
                    lines += 1;
                    if let Err(e) = serde_json::from_str::<serde_json::Value>(line) {
                        panic!("{file}: a batch JSON line is not JSON: {e}\n{line}");
                    }
                }
                assert_eq!(lines, read, "{file}: the batch wrote {lines} JSON lines");
            }
        }
    }
}

fn check_json_output(json: &str, count: usize) {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Array(items)) => {
            assert_eq!(
                items.len(),
                count,
                "the JSON output has {} items, not {count}",
                items.len()
            );
            for item in &items {
                let status = item.get("status").and_then(|s| s.as_str());
                assert!(
                    matches!(status, Some("evaluated" | "rejected")),
                    "a JSON result without a status: {item}"
                );
            }
        }
        Ok(other) => panic!("the JSON output is not an array: {other}"),
        Err(e) => panic!("the JSON output is not JSON: {e}\n{json}"),
    }
}

fn check_csv_output(csv: &str, count: usize) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = match reader.records().collect() {
        Ok(rows) => rows,
        Err(e) => panic!("the CSV output does not read back: {e}\n{csv}"),
    };
    assert_eq!(
        rows.len(),
        count + 1,
        "the CSV output has {} rows, not a header and {count}\n{csv}",
        rows.len()
    );
    let width = rows.first().map_or(0, csv::StringRecord::len);
    for row in &rows {
        assert_eq!(
            row.len(),
            width,
            "a CSV output row is not as wide as the header\n{csv}"
        );
    }
}

/// How many records a file holds, counted without forfait.
enum Expected {
    Exactly(usize),
    /// A CSV file with no row: one rejection if its header is wrong, else nothing.
    AtMostOne,
}

/// The line a CSV file's header is on: the first that is not blank, as the reader counts
/// lines (`\r\n`, `\r` and `\n` each end one).
fn csv_header_line(data: &[u8]) -> u64 {
    let body = data.strip_prefix(&[0xef, 0xbb, 0xbf][..]).unwrap_or(data);
    let blank = body
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .count();
    let breaks = &body[..blank];
    let crlf = breaks.windows(2).filter(|w| w == b"\r\n").count();
    1 + (blank - crlf) as u64
}

fn expected_records(data: &[u8], format: InputFormat) -> Expected {
    match format {
        InputFormat::Json => Expected::Exactly(match std::str::from_utf8(data) {
            Err(_) => 1,
            Ok(text) => {
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                // Items as raw values, as the reader takes them: no depth limit.
                match serde_json::from_str::<&RawValue>(text) {
                    Ok(whole) if whole.get().starts_with('[') => {
                        serde_json::from_str::<Vec<&RawValue>>(whole.get())
                            .expect("an array's items")
                            .len()
                    }
                    _ => 1,
                }
            }
        }),
        InputFormat::JsonLines => Expected::Exactly(
            data.split_inclusive(|b| *b == b'\n')
                .filter(|line| {
                    if known("jsonl-blank-line-whitespace") {
                        return !line.iter().all(u8::is_ascii_whitespace);
                    }
                    match std::str::from_utf8(line) {
                        Ok(text) => !text.trim_start_matches('\u{feff}').trim().is_empty(),
                        Err(_) => true,
                    }
                })
                .count(),
        ),
        InputFormat::Csv => {
            let body = data.strip_prefix(&[0xef, 0xbb, 0xbf][..]).unwrap_or(data);
            let first_line = body
                .split(|b| *b == b'\n' || *b == b'\r')
                .next()
                .unwrap_or(&[]);
            let delimiter = if first_line.contains(&b';') && !first_line.contains(&b',') {
                b';'
            } else {
                b','
            };
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .has_headers(false)
                .from_reader(body);
            let mut records = reader.byte_records();
            let blank = |h: &[u8]| std::str::from_utf8(h).is_ok_and(|h| h.trim().is_empty());
            match records.next() {
                None | Some(Err(_)) => return Expected::Exactly(1),
                Some(Ok(h)) if h.iter().all(blank) => return Expected::Exactly(1),
                Some(Ok(_)) => {}
            }
            // A row over several lines (a quoted field holds line breaks) is rejected a
            // line at a time: `\r\n`, `\r` and `\n` each end one.
            let lines = |field: &[u8]| {
                let crlf = field.windows(2).filter(|w| w == b"\r\n").count();
                field.iter().filter(|&&b| b == b'\r' || b == b'\n').count() - crlf
            };
            let rows: usize = records
                .map(|r| r.map_or(1, |r| 1 + r.iter().map(lines).sum::<usize>()))
                .sum();
            match rows {
                0 => Expected::AtMostOne,
                n => Expected::Exactly(n),
            }
        }
    }
}
