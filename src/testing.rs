//! `forfait test`: the test cases kept beside a rulebook, and what they leave untested.
//!
//! A rulebook `X.forfait` has its cases in `X.examples/`: one declaration per `NAME.json`,
//! and `expected.csv` with a row per case: `example,total_eur`, then optionally one column
//! per indicator (named after it) holding the expected status (`met`, `not_met`,
//! `neutralised`, `not_applicable`; an empty cell checks nothing). An expected total of
//! `error` means the declaration must be rejected.
//!
//! `expected.csv` as French Excel saves it is the same file ([`Dialect`]): `;` between the
//! cells, amounts with a decimal comma (`490,00`, `"1 440,00"`, `1 440,00 €`), statuses and
//! `erreur` in French (`atteint`, `non atteint`, `neutralisé`, `sans objet`), a byte order
//! mark, CRLF line ends, Windows-1252 bytes ([`decode_expected`]). [`accept`] writes it back
//! in the form it was read in.
//!
//! The case named `maximum` (or `maximum-…`, `…-maximum`) is the one meant as the most a
//! professional of its profile can be paid: it fails when the rules can pay more
//! ([`Failure::BelowMaximum`]).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::check::{most_payable, TooManyProfiles};
use crate::declaration::encoding::{self, Encoding, EncodingError, Guess};
use crate::declaration::{self, InputFormat, ReadOptions, Record, Rejection};
use crate::eval::{evaluate, ConditionTrace, EvalOptions, Outcome, PaymentStatus, Status};
use crate::model::{CompiledRulebook, Expr, Target};

/// One row of `expected.csv`.
#[derive(Clone, Debug)]
pub struct Case {
    pub example: String,
    /// The expected total in euros (`490.00`, or `490`: compared as amounts), or `None` when
    /// the declaration must be rejected (`error`).
    pub total: Option<Decimal>,
    /// Expected statuses, by indicator name, as the results write them (`met`, `not_met`,
    /// `neutralised`, `not_applicable`), whatever the words of the file.
    pub statuses: BTreeMap<String, String>,
    /// The case is meant as the maximum ([`is_maximum`]): it fails when the rules can pay
    /// more.
    pub maximum: bool,
}

/// Whether the case named `example` is meant as the maximum: it is named `maximum`, or its
/// name starts with `maximum-` or ends with `-maximum` (`infirmier-idel-maximum`).
pub fn is_maximum(example: &str) -> bool {
    example == "maximum" || example.starts_with("maximum-") || example.ends_with("-maximum")
}

/// What is wrong with `expected.csv` (the command line words it). Lines and columns count
/// from 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectationError {
    /// The CSV reader's words.
    Header(String),
    HeaderStart,
    /// A header cell after `total_eur` that names no indicator (`column` is its name,
    /// `position` its column), with the indicator it is nearest to, if one is near.
    NotAnIndicator {
        column: String,
        position: usize,
        rulebook: String,
        suggestion: Option<String>,
    },
    /// The CSV reader's words.
    Row(String),
    /// A row with more or fewer cells than the header; `delimiter` is the file's.
    Width {
        line: u64,
        cells: usize,
        header: usize,
        delimiter: char,
    },
    NoExample {
        line: u64,
    },
    ListedTwice {
        line: u64,
        example: String,
        first: u64,
    },
    /// The total (always column 2) is neither an amount nor `error`.
    BadTotal {
        line: u64,
        total: String,
    },
    BadStatus {
        line: u64,
        column: usize,
        status: String,
        indicator: String,
    },
}

/// How an `expected.csv` is written, as read from it: [`accept`] writes the file back the
/// same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dialect {
    /// `,`, or `;` (French Excel), or a tab: the one the header's line holds.
    pub delimiter: u8,
    /// Amounts with a decimal comma (`490,00`).
    pub decimal_comma: bool,
    /// What groups the thousands of its amounts (`1 440,00`), when one does: a space, a
    /// no-break space (U+00A0) or a narrow one (U+202F).
    pub thousands: Option<char>,
    /// Statuses and `erreur` in French: the file writes one so, or writes none in English
    /// and has `;` or decimal commas.
    pub french: bool,
    /// Lines end with CRLF (as Excel writes them).
    pub crlf: bool,
}

impl Default for Dialect {
    fn default() -> Dialect {
        Dialect {
            delimiter: b',',
            decimal_comma: false,
            thousands: None,
            french: false,
            crlf: false,
        }
    }
}

/// How an `expected.csv`'s bytes are encoded ([`decode_expected`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileEncoding {
    Utf8,
    /// UTF-8 after a byte order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 after its byte order mark (Excel's "Unicode text").
    Utf16Le,
    Utf16Be,
    /// Not UTF-8: French Excel's "CSV (séparateur : point-virgule)".
    Windows1252,
}

/// `expected.csv`'s bytes as text, and how they were encoded: UTF-8 (after a byte order mark
/// or not), UTF-16 after its mark, or, when the bytes are not UTF-8 and look like 8-bit text,
/// Windows-1252 (what French Excel writes). Read by `forfait eval`'s decoder
/// ([`encoding::decode`]); a workbook or binary bytes are refused with its words (what the
/// file looks like, how to save it).
pub fn decode_expected(bytes: &[u8], file: &str) -> Result<(String, FileEncoding), EncodingError> {
    let marked = if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        FileEncoding::Utf8Bom
    } else if bytes.starts_with(&[0xff, 0xfe]) {
        FileEncoding::Utf16Le
    } else if bytes.starts_with(&[0xfe, 0xff]) {
        FileEncoding::Utf16Be
    } else {
        FileEncoding::Utf8
    };
    match encoding::decode(bytes, None, file) {
        Ok(text) => Ok((text, marked)),
        Err(e)
            if marked == FileEncoding::Utf8
                && matches!(e.looks_like, Guess::Windows1252 | Guess::Other(_)) =>
        {
            encoding::decode(bytes, Some(Encoding::Windows1252), file)
                .map(|text| (text, FileEncoding::Windows1252))
        }
        Err(e) => Err(e),
    }
}

/// `text` as bytes in `encoding` (its byte order mark first), and the encoding written: a
/// text Windows-1252 cannot write (a character beyond it) is written in UTF-8 after a byte
/// order mark, which Excel reads too, rather than changed.
pub fn encode_expected(text: &str, encoding: FileEncoding) -> (Vec<u8>, FileEncoding) {
    match encoding {
        FileEncoding::Utf8 => (text.as_bytes().to_vec(), encoding),
        FileEncoding::Utf8Bom => {
            let mut bytes = vec![0xef, 0xbb, 0xbf];
            bytes.extend_from_slice(text.as_bytes());
            (bytes, encoding)
        }
        FileEncoding::Utf16Le | FileEncoding::Utf16Be => {
            let little = encoding == FileEncoding::Utf16Le;
            let mut bytes = Vec::with_capacity(2 + text.len() * 2);
            for unit in std::iter::once(0xfeff).chain(text.encode_utf16()) {
                if little {
                    bytes.extend_from_slice(&unit.to_le_bytes());
                } else {
                    bytes.extend_from_slice(&unit.to_be_bytes());
                }
            }
            (bytes, encoding)
        }
        FileEncoding::Windows1252 => {
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
            if unmappable {
                encode_expected(text, FileEncoding::Utf8Bom)
            } else {
                (bytes.into_owned(), encoding)
            }
        }
    }
}

/// The status a cell of `expected.csv` names, in English as the results write it or in
/// French as forfait's French pages do (`atteint`, `non atteint`, `neutralisé`, `sans
/// objet`; also `neutralise`, `non applicable`, `non concerné`), whatever the case; `None`
/// for another word. The second value says whether the word is French.
pub fn status_word(cell: &str) -> Option<(Status, bool)> {
    let word = cell
        .trim()
        .to_lowercase()
        .replace(['_', '\u{a0}', '\u{202f}'], " ");
    let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match word.as_str() {
        "met" => (Status::Met, false),
        "not met" => (Status::NotMet, false),
        "neutralised" | "neutralized" => (Status::Neutralised, false),
        "not applicable" => (Status::NotApplicable, false),
        "atteint" => (Status::Met, true),
        "non atteint" => (Status::NotMet, true),
        "neutralisé" | "neutralise" => (Status::Neutralised, true),
        "sans objet" | "non applicable" | "non concerné" | "non concerne" => {
            (Status::NotApplicable, true)
        }
        _ => return None,
    })
}

/// How `dialect` writes `status`: `met`, or `atteint` in French.
pub fn write_status(status: Status, dialect: &Dialect) -> &'static str {
    if dialect.french {
        crate::french::status(status)
    } else {
        status.as_str()
    }
}

/// A total cell: `Some(None)` for a rejection (`error`, `erreur`), `Some(Some(amount))` for
/// an amount, `None` for anything else. An amount is read as a declaration's decimal is
/// (`490`, `490.00`, `490,00`, `1 440,00` grouped by a space, a no-break space or a narrow
/// one), after a unit `€` or `EUR` at its end (a cell Excel formats as money).
pub fn total_cell(cell: &str) -> Option<Option<Decimal>> {
    let t = cell.trim();
    if t.eq_ignore_ascii_case("error") || t.eq_ignore_ascii_case("erreur") {
        return Some(None);
    }
    declaration::decimal(without_unit(t).as_bytes())
        .ok()
        .map(Some)
}

/// An amount without the unit `€` or `EUR` at its end, if it has one.
fn without_unit(amount: &str) -> &str {
    let t = amount.trim();
    t.strip_suffix('€')
        .or_else(|| t.strip_suffix("EUR"))
        .or_else(|| t.strip_suffix("eur"))
        .unwrap_or(t)
        .trim_end()
}

/// How `dialect` writes a total: `1440.00`, or `1 440,00` with a decimal comma and grouped
/// thousands; `error` (`erreur` in French) for a rejection.
pub fn write_total(total: Option<Decimal>, dialect: &Dialect) -> String {
    let Some(total) = total else {
        return if dialect.french { "erreur" } else { "error" }.to_string();
    };
    let text = total.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut out = sign.to_string();
    for (i, c) in whole.chars().enumerate() {
        if let Some(separator) = dialect.thousands {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(separator);
            }
        }
        out.push(c);
    }
    if let Some(fraction) = fraction {
        out.push(if dialect.decimal_comma { ',' } else { '.' });
        out.push_str(fraction);
    }
    out
}

/// The delimiter of the header's line, as for a CSV of declarations: `;` when it holds a
/// `;` and no `,`, a tab when it holds a tab and neither, else `,` (the header's cells are
/// names, which hold none of them).
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains(';') && !header.contains(',') {
        b';'
    } else if header.contains('\t') && !header.contains([',', ';']) {
        b'\t'
    } else {
        b','
    }
}

/// `text` without the byte order mark a text read as it is may start with.
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn csv_reader(text: &str, delimiter: u8) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

/// Where a record starts in `text`: the CSV reader's position, moved past the `\n` of a
/// CRLF it leaves before the record (and with it its line count, one short a row).
fn start_of(text: &str, position: Option<&::csv::Position>) -> usize {
    let byte = position.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
    let bytes = text.as_bytes();
    if byte > 0 && bytes.get(byte) == Some(&b'\n') && bytes.get(byte - 1) == Some(&b'\r') {
        byte + 1
    } else {
        byte.min(bytes.len())
    }
}

/// The line (from 1) a record starts on.
fn line_of(text: &str, position: Option<&::csv::Position>) -> u64 {
    let before = &text.as_bytes()[..start_of(text, position)];
    before.iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// A CSV reader's error on a row of `text` (separated by `delimiter`), in the words of
/// [`ExpectationError`].
fn row_error(text: &str, delimiter: u8, e: &::csv::Error) -> ExpectationError {
    match e.kind() {
        ::csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => ExpectationError::Width {
            line: line_of(text, pos.as_ref()),
            cells: usize::try_from(*len).unwrap_or(usize::MAX),
            header: usize::try_from(*expected_len).unwrap_or(usize::MAX),
            delimiter: char::from(delimiter),
        },
        _ => ExpectationError::Row(e.to_string()),
    }
}

/// Whether every cell of the row is blank: Excel writes `;;;` for a row it emptied.
fn blank_row(row: &::csv::StringRecord) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}

/// `expected.csv` read: its cases, and how it is written.
#[derive(Clone, Debug)]
pub struct Expected {
    pub cases: Vec<Case>,
    pub dialect: Dialect,
}

/// Reads `expected.csv`. Errors name the line and say what was expected.
pub fn read_expectations(
    rulebook: &CompiledRulebook,
    text: &str,
) -> Result<Vec<Case>, ExpectationError> {
    read_expected(rulebook, text).map(|e| e.cases)
}

/// Reads `expected.csv`, in any of its dialects: its cases and how it is written.
pub fn read_expected(
    rulebook: &CompiledRulebook,
    text: &str,
) -> Result<Expected, ExpectationError> {
    let text = without_bom(text);
    let mut dialect = Dialect {
        delimiter: delimiter(text),
        crlf: text.contains("\r\n"),
        ..Dialect::default()
    };
    let mut reader = csv_reader(text, dialect.delimiter);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ExpectationError::Header(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.first().map(String::as_str) != Some("example")
        || headers.get(1).map(String::as_str) != Some("total_eur")
    {
        return Err(ExpectationError::HeaderStart);
    }
    for (position, name) in headers.iter().enumerate().skip(2) {
        if !rulebook.indicators.iter().any(|i| &i.head.name == name) {
            let names = rulebook.indicators.iter().map(|i| i.head.name.as_str());
            return Err(ExpectationError::NotAnIndicator {
                column: name.to_string(),
                position: position + 1,
                rulebook: rulebook.meta.name.clone(),
                suggestion: crate::lang::closest(name, names),
            });
        }
    }
    let mut cases = Vec::new();
    // The line each example is listed on: a case listed twice would count twice.
    let mut listed: BTreeMap<String, u64> = BTreeMap::new();
    // Words seen in French and in English, for the dialect.
    let (mut french, mut english) = (false, false);
    for row in reader.records() {
        let row = row.map_err(|e| row_error(text, dialect.delimiter, &e))?;
        if blank_row(&row) {
            continue;
        }
        let line = line_of(text, row.position());
        let example = row.get(0).unwrap_or("").trim().to_string();
        if example.is_empty() {
            return Err(ExpectationError::NoExample { line });
        }
        if let Some(first) = listed.insert(example.clone(), line) {
            return Err(ExpectationError::ListedTwice {
                line,
                example,
                first,
            });
        }
        let written = row.get(1).unwrap_or("").trim();
        let Some(total) = total_cell(written) else {
            return Err(ExpectationError::BadTotal {
                line,
                total: written.to_string(),
            });
        };
        match total {
            None => {
                let is_french = written.eq_ignore_ascii_case("erreur");
                french |= is_french;
                english |= !is_french;
            }
            Some(_) => {
                dialect.decimal_comma |= written.contains(',');
                if dialect.thousands.is_none() {
                    dialect.thousands = without_unit(written)
                        .chars()
                        .find(|c| matches!(c, ' ' | '\u{a0}' | '\u{202f}'));
                }
            }
        }
        let mut statuses = BTreeMap::new();
        for (column, (name, cell)) in headers.iter().zip(row.iter()).enumerate().skip(2) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let Some((status, is_french)) = status_word(cell) else {
                return Err(ExpectationError::BadStatus {
                    line,
                    column: column + 1,
                    status: cell.to_string(),
                    indicator: name.to_string(),
                });
            };
            french |= is_french;
            english |= !is_french;
            statuses.insert(name.to_string(), status.as_str().to_string());
        }
        cases.push(Case {
            maximum: is_maximum(&example),
            example,
            total,
            statuses,
        });
    }
    dialect.french = french || (!english && (dialect.decimal_comma || dialect.delimiter == b';'));
    Ok(Expected { cases, dialect })
}

/// What running one case found.
#[derive(Clone, Debug)]
pub struct CaseResult {
    pub case: Case,
    /// The outcome, when the declaration was evaluated.
    pub outcome: Option<Outcome>,
    /// Why it was rejected, when it was.
    pub rejection: Option<Rejected>,
    /// Each way the result differs from the expectation; empty when the case passes.
    pub failures: Vec<Failure>,
}

/// Why a case's declaration was rejected.
#[derive(Clone, Debug)]
pub enum Rejected {
    /// Read, but the rules need these inputs, which it does not give.
    Missing(Vec<String>),
    /// The record itself.
    Record(Rejection),
}

/// One way a case's result differs from what `expected.csv` says (the command line words
/// it).
#[derive(Clone, Debug)]
pub enum Failure {
    /// The case's file holds this many declarations, not one.
    NotOneDeclaration {
        file: String,
        count: usize,
    },
    Total {
        expected: Decimal,
        got: Decimal,
    },
    RejectedInstead {
        expected: Decimal,
        rejection: Option<Rejected>,
    },
    EvaluatedInstead {
        total: Decimal,
    },
    /// An indicator's status (as `expected.csv` writes them: `met`, `not_met`, ...).
    Status {
        indicator: String,
        expected: String,
        actual: &'static str,
    },
    /// The maximum case is paid `paid`, and the rules can pay its profile `most`
    /// ([`most_payable`]): it does not meet `unmet` (the indicators not met on the lines it
    /// is paid less on), or, when it meets them all, it is paid less on the lines `short`.
    BelowMaximum {
        most: Decimal,
        paid: Decimal,
        unmet: Vec<String>,
        short: Vec<String>,
    },
    /// The maximum case's maximum is not computed: more than `max` profiles.
    MaximumUnknown {
        max: usize,
    },
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs one case: `text` is the content of the case's declaration file.
pub fn run_case(rulebook: &CompiledRulebook, file: &str, text: &str, case: &Case) -> CaseResult {
    let records = declaration::read_str(
        rulebook,
        file,
        text,
        InputFormat::from_path(file),
        ReadOptions::default(),
    );
    let mut result = CaseResult {
        case: case.clone(),
        outcome: None,
        rejection: None,
        failures: Vec::new(),
    };
    if records.len() != 1 {
        result.failures.push(Failure::NotOneDeclaration {
            file: file.to_string(),
            count: records.len(),
        });
        return result;
    }
    let options = EvalOptions::default();
    let mut below_maximum = None;
    match records.into_iter().next() {
        Some(Record::Declaration(d, _)) => match evaluate(rulebook, &d, options) {
            Ok(outcome) => {
                if case.maximum {
                    below_maximum = maximum_failure(rulebook, &d.values, &outcome);
                }
                result.outcome = Some(outcome);
            }
            Err(missing) => {
                let fields: Vec<String> = missing
                    .needed
                    .iter()
                    .map(|(slot, _)| rulebook.inputs[*slot].name.clone())
                    .collect();
                result.rejection = Some(Rejected::Missing(fields));
            }
        },
        Some(Record::Rejected(r)) => result.rejection = Some(Rejected::Record(r)),
        None => {}
    }
    match (&case.total, &result.outcome) {
        (Some(expected), Some(outcome)) => {
            if outcome.total_euros != *expected {
                result.failures.push(Failure::Total {
                    expected: *expected,
                    got: outcome.total_euros,
                });
            }
        }
        (Some(expected), None) => result.failures.push(Failure::RejectedInstead {
            expected: *expected,
            rejection: result.rejection.clone(),
        }),
        (None, Some(outcome)) => result.failures.push(Failure::EvaluatedInstead {
            total: outcome.total_euros,
        }),
        (None, None) => {}
    }
    if let Some(outcome) = &result.outcome {
        for (name, expected) in &case.statuses {
            if let Some(i) = rulebook
                .indicators
                .iter()
                .position(|ind| &ind.head.name == name)
            {
                let actual = outcome.indicators[i].status.as_str();
                if actual != expected {
                    result.failures.push(Failure::Status {
                        indicator: name.clone(),
                        expected: expected.clone(),
                        actual,
                    });
                }
            }
        }
    }
    result.failures.extend(below_maximum);
    result
}

/// The failure of a maximum case the rules can pay more than `outcome` pays: `values` are
/// its declaration's, which say its profile. `None` when it is paid the most.
fn maximum_failure(
    rulebook: &CompiledRulebook,
    values: &[crate::value::Value],
    outcome: &Outcome,
) -> Option<Failure> {
    let most = match most_payable(rulebook, values) {
        Ok(most) => most,
        Err(TooManyProfiles { max }) => return Some(Failure::MaximumUnknown { max }),
    };
    if most.total <= outcome.total_euros {
        return None;
    }
    let (mut unmet, mut short) = (Vec::new(), Vec::new());
    for (p, amount) in &most.lines {
        let paid = &outcome.payments[*p];
        if paid.euros >= *amount {
            continue;
        }
        let owner = rulebook.payments[*p].owner;
        short.push(rulebook.target_name(owner).to_string());
        // The rule not met that holds the line back: its owner, or the end of its gates'
        // chain; then its indicators not met.
        let holding = match &paid.status {
            PaymentStatus::GateNotMet(chain) => chain.last().copied(),
            PaymentStatus::OwnerNot(Status::NotMet) => Some(owner),
            _ => None,
        };
        let Some(holding) = holding else {
            continue;
        };
        for (i, ind) in rulebook.indicators.iter().enumerate() {
            let name = &ind.head.name;
            if outcome.indicators[i].status == Status::NotMet
                && rulebook.is_within(Target::Indicator(i), holding)
                && !unmet.contains(name)
            {
                unmet.push(name.clone());
            }
        }
    }
    Some(Failure::BelowMaximum {
        most: most.total,
        paid: outcome.total_euros,
        unmet,
        short,
    })
}

/// One thing `accept` changed in `expected.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A case's total (`None`: the declaration is rejected, `error`).
    Total {
        example: String,
        from: Option<Decimal>,
        to: Option<Decimal>,
    },
    /// An indicator's status, in a cell that said one (both as the results write them:
    /// `met`, `not_met`, ...).
    Status {
        example: String,
        indicator: String,
        from: String,
        to: &'static str,
    },
    /// A case file `expected.csv` did not list, added with its total.
    Added {
        example: String,
        total: Option<Decimal>,
    },
}

/// `expected.csv` (`text`) with what the cases actually gave written in, after a deliberate
/// change of the rules (`forfait test --accept`): the same header and rows, in their order,
/// each total set to the actual one, and each status cell that names a status set to the
/// actual one (an empty cell checked nothing and stays empty); a row appended for each of
/// `added` (case files it did not list), with its total. A case whose file does not hold one
/// declaration is left as it was. The file keeps its own form: a row that did not move is
/// written byte for byte as it was, and in a row that moved only the cells that moved are
/// rewritten, in the file's [`Dialect`] (decimal comma and grouping, French or English
/// words), quoted if they were (an added row's cells are quoted as the row above's). Returns
/// the new text (without a byte order mark: [`encode_expected`] writes it) and what changed.
pub fn accept(
    rulebook: &CompiledRulebook,
    text: &str,
    results: &[CaseResult],
    added: &[CaseResult],
) -> Result<(String, Vec<Change>), ExpectationError> {
    let dialect = read_expected(rulebook, text)?.dialect;
    let text = without_bom(text);
    // The total as a result gives it: `None` when rejected; no answer when the case cannot
    // say (its file does not hold one declaration).
    let actual_total = |r: &CaseResult| -> Option<Option<Decimal>> {
        let unreadable = r
            .failures
            .iter()
            .any(|f| matches!(f, Failure::NotOneDeclaration { .. }));
        (!unreadable).then(|| r.outcome.as_ref().map(|o| o.total_euros))
    };
    let mut reader = csv_reader(text, dialect.delimiter);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ExpectationError::Header(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| row_error(text, dialect.delimiter, &e))?;
        let start = start_of(text, row.position());
        rows.push((row, start));
    }
    // Each row's bytes: from its start to the next row's (its line end, and any empty line
    // after it, included).
    let header_end = rows.first().map_or(text.len(), |(_, start)| *start);
    let mut out = text.get(..header_end).unwrap_or(text).to_string();
    let mut changes = Vec::new();
    // Which cells of the last row were quoted, for the rows added after it.
    let mut quoted_above: Vec<bool> = Vec::new();
    for (n, (row, start)) in rows.iter().enumerate() {
        let end = rows.get(n + 1).map_or(text.len(), |(_, next)| *next);
        let raw = text.get(*start..end).unwrap_or_default();
        let (content, line_end) = split_line_end(raw);
        let mut cells = raw_cells(content, dialect.delimiter);
        quoted_above = cells.iter().map(|c| c.starts_with('"')).collect();
        let example = row.get(0).unwrap_or("").trim().to_string();
        let result = results.iter().find(|r| r.case.example == example);
        let mut moved = false;
        if let Some((result, total)) = result.and_then(|r| Some((r, actual_total(r)?))) {
            if total != result.case.total {
                changes.push(Change::Total {
                    example: example.clone(),
                    from: result.case.total,
                    to: total,
                });
                set_cell(
                    &mut cells,
                    1,
                    &write_total(total, &dialect),
                    dialect.delimiter,
                );
                moved = true;
            }
            if let Some(outcome) = &result.outcome {
                for (column, name) in headers.iter().enumerate().skip(2) {
                    let Some((said, _)) = row.get(column).and_then(status_word) else {
                        continue;
                    };
                    let Some(i) = rulebook
                        .indicators
                        .iter()
                        .position(|ind| &ind.head.name == name)
                    else {
                        continue;
                    };
                    let actual = outcome.indicators[i].status;
                    if said != actual {
                        changes.push(Change::Status {
                            example: example.clone(),
                            indicator: name.clone(),
                            from: said.as_str().to_string(),
                            to: actual.as_str(),
                        });
                        set_cell(
                            &mut cells,
                            column,
                            write_status(actual, &dialect),
                            dialect.delimiter,
                        );
                        moved = true;
                    }
                }
            }
        }
        if moved {
            out.push_str(&cells.join(&char::from(dialect.delimiter).to_string()));
            out.push_str(line_end);
        } else {
            out.push_str(raw);
        }
    }
    let line_end = if dialect.crlf { "\r\n" } else { "\n" };
    for result in added {
        let Some(total) = actual_total(result) else {
            continue;
        };
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(line_end);
        }
        let mut cells = vec![String::new(); headers.len()];
        let written = [result.case.example.clone(), write_total(total, &dialect)];
        for (column, cell) in written.iter().enumerate() {
            let quote = quoted_above.get(column).copied().unwrap_or(false);
            // As every CSV forfait writes: an example named like a formula is neutralised.
            let cell = crate::output::csv::field(cell, dialect.delimiter);
            cells[column] = if quote && !cell.starts_with('"') {
                quoted(&cell)
            } else {
                cell
            };
        }
        out.push_str(&cells.join(&char::from(dialect.delimiter).to_string()));
        out.push_str(line_end);
        changes.push(Change::Added {
            example: result.case.example.clone(),
            total,
        });
    }
    Ok((out, changes))
}

/// A row's bytes, and the line ends after it (`\r\n`, `\n`, perhaps several).
fn split_line_end(raw: &str) -> (&str, &str) {
    let content = raw.trim_end_matches(['\r', '\n']);
    (content, &raw[content.len()..])
}

/// A row's cells as written (quotes and all), split at each `delimiter` outside quotes.
fn raw_cells(row: &str, delimiter: u8) -> Vec<String> {
    let delimiter = char::from(delimiter);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut in_quotes = false;
    for c in row.chars() {
        if c == '"' {
            // A doubled quote inside quotes closes and reopens: the state flips twice.
            in_quotes = !in_quotes;
        }
        if c == delimiter && !in_quotes {
            cells.push(std::mem::take(&mut cell));
        } else {
            cell.push(c);
        }
    }
    cells.push(cell);
    cells
}

/// Writes `value` into cell `column`, quoted if the cell was or if it must be.
fn set_cell(cells: &mut [String], column: usize, value: &str, delimiter: u8) {
    if let Some(cell) = cells.get_mut(column) {
        *cell = if cell.starts_with('"') || needs_quotes(value, delimiter) {
            quoted(value)
        } else {
            value.to_string()
        };
    }
}

fn needs_quotes(value: &str, delimiter: u8) -> bool {
    value.contains(['"', '\r', '\n', char::from(delimiter)])
}

fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// A coverage threshold (`--min`): a number from 0 to 100, read as a declaration's decimal
/// is (`80`, `87.5`, `87,5`), a `%` after it allowed. `None` for anything else.
pub fn threshold(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let t = t.strip_suffix('%').unwrap_or(t);
    declaration::decimal(t.as_bytes())
        .ok()
        .filter(|n| *n >= Decimal::ZERO && *n <= Decimal::ONE_HUNDRED)
}

/// What the cases of a rulebook exercise, and what they leave untested.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Each item that could be exercised, and whether a case did.
    pub items: Vec<(CoverageItem, bool)>,
}

/// Something a case can exercise (the command line words it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoverageItem {
    /// An indicator with this status.
    Status {
        indicator: String,
        status: Status,
    },
    /// A part of an indicator's `met when` (in French words), true or false.
    Branch {
        indicator: String,
        condition: String,
        holds: bool,
    },
    /// The gate of a payment blocking a met rule.
    GateBlocking {
        owner: String,
    },
    GatePassed {
        owner: String,
    },
    /// An amount variant chosen: the one `when` this condition (in French words), or the
    /// `otherwise` one.
    Amount {
        owner: String,
        when: Option<String>,
    },
}

impl Coverage {
    pub fn covered(&self) -> usize {
        self.items.iter().filter(|(_, c)| *c).count()
    }

    pub fn uncovered(&self) -> impl Iterator<Item = &CoverageItem> {
        self.items.iter().filter(|(_, c)| !c).map(|(t, _)| t)
    }
}

/// Coverage of the outcomes: each indicator met and not met (and, where it can be,
/// neutralised and not applicable), each branch of each condition both true and false,
/// each gate both passed and blocking, each amount variant chosen.
pub fn coverage(rulebook: &CompiledRulebook, outcomes: &[&Outcome]) -> Coverage {
    let mut items = Vec::new();
    let render = |e: &Expr| crate::french::condition(rulebook, e);
    for (i, ind) in rulebook.indicators.iter().enumerate() {
        let seen = |s: Status| outcomes.iter().any(|o| o.indicators[i].status == s);
        let status = |status: Status| CoverageItem::Status {
            indicator: ind.head.name.clone(),
            status,
        };
        let always_neutralised = ind.neutralisations.iter().any(|n| n.when.is_none());
        if always_neutralised {
            // Neutralised whatever the declaration: met and not met cannot happen.
            items.push((status(Status::Neutralised), seen(Status::Neutralised)));
            continue;
        }
        items.push((status(Status::Met), seen(Status::Met)));
        items.push((status(Status::NotMet), seen(Status::NotMet)));
        if ind.applies.is_some() {
            items.push((status(Status::NotApplicable), seen(Status::NotApplicable)));
        }
        if !ind.neutralisations.is_empty() {
            items.push((status(Status::Neutralised), seen(Status::Neutralised)));
        }
        // Branches of `met when`: every node of the condition seen true and seen false.
        let traces: Vec<&ConditionTrace> = outcomes
            .iter()
            .filter(|o| matches!(o.indicators[i].status, Status::Met | Status::NotMet))
            .filter_map(|o| o.indicators[i].met.as_ref())
            .collect();
        let compound = matches!(ind.met.expr, Expr::Not(_) | Expr::All(_) | Expr::Any(_));
        let mut index = 0;
        branches(
            &ind.met.expr,
            &traces,
            &mut index,
            &mut |node_expr, idx, traces| {
                // A one-node condition is covered by "met" and "not met" above.
                if !compound || matches!(node_expr, Expr::Const(_)) {
                    return;
                }
                for value in [true, false] {
                    let seen = traces
                        .iter()
                        .any(|t| t.nodes.get(idx).is_some_and(|n| n.holds == value));
                    items.push((
                        CoverageItem::Branch {
                            indicator: ind.head.name.clone(),
                            condition: render(node_expr),
                            holds: value,
                        },
                        seen,
                    ));
                }
            },
        );
    }
    for (p, payment) in rulebook.payments.iter().enumerate() {
        let owner = rulebook.target_name(payment.owner);
        if !rulebook.gates(payment.owner).is_empty() {
            let blocked = outcomes
                .iter()
                .any(|o| matches!(o.payments[p].status, PaymentStatus::GateNotMet(_)));
            let passed = outcomes
                .iter()
                .any(|o| o.payments[p].status == PaymentStatus::Paid);
            items.push((
                CoverageItem::GateBlocking {
                    owner: owner.to_string(),
                },
                blocked,
            ));
            items.push((
                CoverageItem::GatePassed {
                    owner: owner.to_string(),
                },
                passed,
            ));
        }
        for (v, variant) in payment.variants.iter().enumerate() {
            if payment.variants.len() < 2 {
                break;
            }
            let chosen = outcomes.iter().any(|o| o.payments[p].variant == Some(v));
            items.push((
                CoverageItem::Amount {
                    owner: owner.to_string(),
                    when: variant.when.as_ref().map(|w| render(&w.expr)),
                },
                chosen,
            ));
        }
    }
    Coverage { items }
}

/// Walks `expr` in the pre-order of its trace nodes, calling `visit` on each node.
fn branches<'e>(
    expr: &'e Expr,
    traces: &[&ConditionTrace],
    index: &mut usize,
    visit: &mut dyn FnMut(&'e Expr, usize, &[&ConditionTrace]),
) {
    let here = *index;
    *index += 1;
    visit(expr, here, traces);
    match expr {
        Expr::Not(inner) => branches(inner, traces, index, visit),
        Expr::All(parts) | Expr::Any(parts) => {
            for p in parts {
                branches(p, traces, index, visit);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn totals_as_excel_writes_them() {
        for (cell, amount) in [
            ("490.00", "490.00"),
            ("490", "490"),
            ("490,00", "490.00"),
            (" 1 440,00 ", "1440.00"),
            ("1\u{a0}440,00", "1440.00"),
            ("1\u{202f}440,00", "1440.00"),
            ("1\u{a0}440,00\u{a0}€", "1440.00"),
            ("1440.00 EUR", "1440.00"),
        ] {
            assert_eq!(total_cell(cell), Some(Some(dec(amount))), "{cell:?}");
        }
        for cell in ["error", "erreur", "Erreur", "ERROR"] {
            assert_eq!(total_cell(cell), Some(None), "{cell}");
        }
        for cell in ["", "abc", "1 44,00", "490 euros", "7e2", "€"] {
            assert_eq!(total_cell(cell), None, "{cell:?}");
        }
    }

    #[test]
    fn statuses_in_english_and_in_french() {
        for (cell, status, french) in [
            ("met", Status::Met, false),
            ("not_met", Status::NotMet, false),
            ("neutralised", Status::Neutralised, false),
            ("not_applicable", Status::NotApplicable, false),
            ("atteint", Status::Met, true),
            (" Non atteint ", Status::NotMet, true),
            ("NON\u{a0}ATTEINT", Status::NotMet, true),
            ("neutralisé", Status::Neutralised, true),
            ("Neutralise", Status::Neutralised, true),
            ("sans objet", Status::NotApplicable, true),
            ("non applicable", Status::NotApplicable, true),
            ("non concerné", Status::NotApplicable, true),
        ] {
            assert_eq!(status_word(cell), Some((status, french)), "{cell:?}");
        }
        for cell in ["oui", "x", "", "atteinte"] {
            assert_eq!(status_word(cell), None, "{cell:?}");
        }
        // Written as the pages say them.
        let french = Dialect {
            french: true,
            ..Dialect::default()
        };
        assert_eq!(write_status(Status::NotApplicable, &french), "sans objet");
        assert_eq!(write_status(Status::NotMet, &Dialect::default()), "not_met");
    }

    #[test]
    fn totals_written_in_the_file_s_form() {
        let excel = Dialect {
            delimiter: b';',
            decimal_comma: true,
            thousands: Some('\u{a0}'),
            french: true,
            crlf: true,
        };
        assert_eq!(write_total(Some(dec("1440.00")), &excel), "1\u{a0}440,00");
        assert_eq!(write_total(Some(dec("490.00")), &excel), "490,00");
        assert_eq!(
            write_total(Some(dec("1234567.5")), &excel),
            "1\u{a0}234\u{a0}567,5"
        );
        assert_eq!(write_total(None, &excel), "erreur");
        let plain = Dialect::default();
        assert_eq!(write_total(Some(dec("1440.00")), &plain), "1440.00");
        assert_eq!(write_total(None, &plain), "error");
        // What is written reads back as the same amount.
        for total in ["0.00", "1440.00", "1234567.89"] {
            for dialect in [excel, plain] {
                let written = write_total(Some(dec(total)), &dialect);
                assert_eq!(total_cell(&written), Some(Some(dec(total))), "{written}");
            }
        }
    }

    #[test]
    fn bytes_decoded_and_encoded_in_the_file_s_encoding() {
        let text = "example;total_eur\r\nsocle-été;\"1\u{a0}240,00\"\r\n";
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        for (encoding, bytes) in [
            (FileEncoding::Utf8, text.as_bytes().to_vec()),
            (FileEncoding::Windows1252, cp1252.into_owned()),
            (
                FileEncoding::Utf8Bom,
                encode_expected(text, FileEncoding::Utf8Bom).0,
            ),
            (
                FileEncoding::Utf16Le,
                encode_expected(text, FileEncoding::Utf16Le).0,
            ),
            (
                FileEncoding::Utf16Be,
                encode_expected(text, FileEncoding::Utf16Be).0,
            ),
        ] {
            let (decoded, found) = decode_expected(&bytes, "expected.csv").unwrap();
            assert_eq!((decoded.as_str(), found), (text, encoding));
            assert_eq!(encode_expected(text, encoding), (bytes, encoding));
        }
        // A character Windows-1252 cannot write: UTF-8 after a mark, not a changed name.
        let (bytes, written) = encode_expected("ex\u{2192}", FileEncoding::Windows1252);
        assert_eq!(written, FileEncoding::Utf8Bom);
        assert_eq!(bytes, "\u{feff}ex\u{2192}".as_bytes());
        // A workbook is refused.
        let refused = decode_expected(b"PK\x03\x04\x14\x00\xff", "expected.csv").unwrap_err();
        assert_eq!(refused.looks_like, Guess::Workbook);
    }

    #[test]
    fn the_maximum_is_named_so() {
        for name in ["maximum", "maximum-idel", "infirmier-idel-maximum"] {
            assert!(is_maximum(name), "{name}");
        }
        for name in ["maximums", "sans-maximum-x", "max", "minimum"] {
            assert!(!is_maximum(name), "{name}");
        }
    }

    #[test]
    fn coverage_thresholds() {
        assert_eq!(threshold("80"), Some(dec("80")));
        assert_eq!(threshold("87,5"), Some(dec("87.5")));
        assert_eq!(threshold("87.5 %"), Some(dec("87.5")));
        assert_eq!(threshold("0"), Some(dec("0")));
        for wrong in ["", "-1", "100.5", "abc", "1e2"] {
            assert_eq!(threshold(wrong), None, "{wrong}");
        }
    }
}
