//! Declaration problems, rejections, read errors and encoding verdicts, in English: the
//! text of results files (`errors` columns, `message` and `expected` keys), kept stable.

use super::super::encoding::{Encoding, EncodingError, FileKind, Guess};
use super::super::problem::{IoFailure, JsonKind, Malformed, ProblemKind, ReadFailure, RowRun};
use super::super::values::{self, Wrong};
use super::super::{Location, Rejection, MAX_LINE_BYTES, MAX_QUOTED_LINES};
use super::{is_csv, quoted};
use crate::model::InputType;

pub(super) fn problem(kind: &ProblemKind) -> (String, Option<String>) {
    match kind {
        ProblemKind::Malformed(m) => malformed(m),
        ProblemKind::DuplicateField { column: None } => (
            "the key appears twice in the object".into(),
            Some("each key once".into()),
        ),
        ProblemKind::DuplicateField {
            column: Some(number),
        } => (
            format!("column {number}: the column appears twice in the header"),
            None,
        ),
        ProblemKind::WrongJsonType { found, ty } => {
            (format!("found {}", json_kind(*found)), Some(expected(ty)))
        }
        ProblemKind::WrongValue { wrong, shown, ty } => {
            (wrong_value(*wrong, shown, ty), Some(expected(ty)))
        }
        ProblemKind::NoIdColumn => (
            "the header has no `id` column".into(),
            Some("a column `id` that identifies each professional".into()),
        ),
        ProblemKind::MissingId => (
            "every declaration needs an identifier".into(),
            Some("a non-empty text or number".into()),
        ),
        ProblemKind::MoreColumnProblems { more, last } => (
            format!(
                "and {more} more columns with a problem, not listed (the last is column {last})"
            ),
            Some("the columns above corrected, then the file read again".into()),
        ),
        ProblemKind::HeaderHasProblems { header } => (
            format!(
                "the header (line {header}) has problems: see its own rejection, line {header}"
            ),
            Some("a header naming each column once, as the rulebook does".into()),
        ),
        ProblemKind::MissingInput { needed_by, ty } => (
            match needed_by {
                Some(t) => format!("missing, and `{t}` needs it"),
                None => "missing, and the rules need it".into(),
            },
            Some(expected(ty)),
        ),
        ProblemKind::ProfessionNeeded { rulebook, ty } => (
            format!("rulebook `{rulebook}` covers several professions; say which"),
            Some(expected(ty)),
        ),
        ProblemKind::UnknownField {
            column,
            rulebook,
            suggestion,
        } => {
            let mut message = format!("not an input of rulebook `{rulebook}`");
            if let Some(likely) = suggestion {
                message = format!("{message}; did you mean `{likely}`?");
            }
            match column {
                Some(number) => (
                    format!("column {number}: {message}"),
                    Some("an input's name, a heading renamed in a mapping file (`--map FILE`, or `X.map.toml` beside `X.forfait`), or `--ignore-unknown-columns`".into()),
                ),
                None => (message, None),
            }
        }
        ProblemKind::ProfessionNotCovered {
            shown,
            rulebook,
            ty,
        } => (
            format!("profession `{shown}` is not covered by rulebook `{rulebook}`"),
            Some(expected(ty)),
        ),
        ProblemKind::UnknownValue {
            shown,
            ty,
            suggestion,
            candidates,
        } => (
            match (suggestion, &candidates[..]) {
                (_, [_, _, ..]) => format!(
                    "`{shown}` is the label of several values: {}; write the value's name",
                    quoted(candidates)
                ),
                (Some(likely), _) => {
                    format!("`{shown}` is not one of the values; did you mean `{likely}`?")
                }
                (None, _) => format!("`{shown}` is not one of the values"),
            },
            Some(expected(ty)),
        ),
    }
}

fn malformed(malformed: &Malformed) -> (String, Option<String>) {
    let (message, expected): (String, Option<&str>) = match malformed {
        Malformed::RowWithoutHeader => ("a CSV row without its header".into(), None),
        Malformed::Unreadable(failure) => (read_failure(failure), None),
        Malformed::JsonTooLarge { mib } => (
            format!("the JSON file is larger than {mib} MiB"),
            Some("JSON lines (.jsonl, one declaration a line, streamed) or CSV for large batches"),
        ),
        Malformed::JsonFileNotUtf8 { offset } => (
            format!("cannot read the file as UTF-8 text: invalid byte at offset {offset}"),
            Some("a UTF-8 JSON file"),
        ),
        Malformed::NotJson { error, lines } => (
            format!("not valid JSON: {error}"),
            Some(match lines {
                true => "one JSON object a line",
                false => "a JSON object, or an array of objects",
            }),
        ),
        Malformed::LineTooLong { max } => (
            format!("the line is longer than {max} bytes"),
            Some("one declaration a line"),
        ),
        Malformed::JsonLineNotUtf8 { column } => (
            format!("not UTF-8 text (invalid byte at column {column})"),
            Some("UTF-8 text"),
        ),
        Malformed::NotAnObject { found } => (
            format!(
                "a declaration must be an object, found {}",
                json_kind(*found)
            ),
            Some("an object such as {\"id\": \"PS-1\", ...}"),
        ),
        Malformed::HalfSurrogate => (
            "a text escapes half of a surrogate pair (such as `\\ud800` alone)".into(),
            Some("UTF-8 text, or `\\u` escapes of whole characters"),
        ),
        Malformed::EmptyCsv => (
            "the file is empty; a header row of field names is needed".into(),
            Some("a first row such as `id,actes_fse,actes_total,...`"),
        ),
        Malformed::HeaderTooLong { max } => (
            format!("the header is longer than {max} bytes: the names after that were dropped"),
            Some("one line of column names, each quote closed"),
        ),
        Malformed::HeaderLineBreak { at, first, last } => (
            format!(
                "a name quoted on line {at} holds a line break: the header runs over \
                 lines {first} to {last}"
            ),
            Some("one line of column names, each quote closed"),
        ),
        Malformed::ColumnNameNotUtf8 { column } => (
            format!("column {column}: the name is not UTF-8 text"),
            Some("UTF-8 text: save the file as CSV UTF-8"),
        ),
        Malformed::RowWidth {
            found,
            wanted,
            delimiter,
        } => {
            let wanted = match wanted.named == wanted.columns {
                true => format!("{}", wanted.columns),
                false => format!("{} to {}", wanted.named, wanted.columns),
            };
            return (
                format!("the row has {found} fields but the header has {wanted}"),
                Some(format!("{wanted} fields separated by `{delimiter}`")),
            );
        }
        Malformed::CellNotUtf8 { column, offset } => (
            format!(
                "column {column} is not UTF-8 text (invalid byte at offset {offset} of the field)"
            ),
            Some("UTF-8 text: save the file as CSV UTF-8"),
        ),
        Malformed::UnnamedColumnValue { column, text } => (
            format!("column {column} has no name in the header but holds `{text}`"),
            Some("a name in the header for every column that holds values"),
        ),
        Malformed::InsideQuotedField { opened } => (
            format!(
                "this line is inside the field quoted on line {opened}: it was read as \
                 part of that field, not as a row"
            ),
            Some("each quoted field closed on its line; a quote inside a field doubled (`\"\"`)"),
        ),
        Malformed::RowTooLong { run } => (
            format!(
                "the line is longer than {} bytes{}",
                MAX_LINE_BYTES,
                each(*run)
            ),
            Some("one declaration a line"),
        ),
        Malformed::QuoteStillOpen { at, run } => (
            format!(
                "a quote opened on line {at} is still open {} lines \
                 further: lines {at} to {} were read as one row{}",
                MAX_QUOTED_LINES,
                at + u64::from(MAX_QUOTED_LINES),
                each(*run)
            ),
            Some("each quoted field closed; a quote inside a field doubled (`\"\"`)"),
        ),
        Malformed::QuoteNeverClosed { at, run } => (
            format!(
                "a quote opened on line {at} is never closed: the file ends inside it (was \
                 it cut short?){}",
                each(*run)
            ),
            Some("each quoted field closed; a quote inside a field doubled (`\"\"`)"),
        ),
        Malformed::RowLineBreak { at, run } => (
            format!(
                "a field quoted on line {at} holds a line break: lines {} to {} \
                 were read as one row{}",
                run.start,
                run.end,
                each(*run)
            ),
            Some("one declaration a line: each quote closed on its line"),
        ),
    };
    (message, expected.map(str::to_string))
}

/// What becomes of the lines of a run after the first.
fn each(run: RowRun) -> String {
    let RowRun { start, end } = run;
    match end - start {
        0 => String::new(),
        1 => format!(" (line {end} is rejected on its own)"),
        _ => format!(
            " (each of lines {} to {end} is rejected on its own)",
            start + 1
        ),
    }
}

fn json_kind(kind: JsonKind) -> &'static str {
    match kind {
        JsonKind::Null => "null",
        JsonKind::Boolean => "a boolean",
        JsonKind::Number => "a number",
        JsonKind::Text => "a text",
        JsonKind::Array => "an array",
        JsonKind::Object => "an object",
    }
}

/// What a field of this type accepts.
pub(super) fn expected(ty: &InputType) -> String {
    match ty {
        InputType::YesNo => "yes/no: true, false, oui, non, yes, no, 1 or 0".into(),
        InputType::Count => "a whole count: 0, 1, 2, ...".into(),
        InputType::Decimal => "a decimal number, such as 12.5".into(),
        InputType::Date => "a date, 2024-12-31 or 31/12/2024".into(),
        InputType::Text => "a text".into(),
        InputType::Choice(choices) => format!(
            "one of: {}",
            choices
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn wrong_value(wrong: Wrong, shown: &str, ty: &InputType) -> String {
    match wrong {
        Wrong::Negative => format!("`{shown}` is negative"),
        Wrong::NotWhole => format!("`{shown}` is not a whole number"),
        Wrong::Ambiguous(separator) => {
            let joined: String = shown.chars().filter(|c| *c != separator).collect();
            format!(
                "`{shown}` is ambiguous: the `{separator}` may separate thousands or decimals; \
                 write `{joined}` for a whole number"
            )
        }
        Wrong::Exponent => match values::in_full(shown) {
            Some(full) => format!(
                "`{shown}` is written with an exponent; write the number in full, such as {full}"
            ),
            None => format!("`{shown}` is written with an exponent; write the number in full"),
        },
        Wrong::TooLarge => {
            format!("`{shown}` is too large for a count (at most 18 446 744 073 709 551 615)")
        }
        Wrong::TooPrecise => format!("`{shown}` has more digits than can be read exactly"),
        Wrong::Format | Wrong::Choice | Wrong::AmbiguousChoice => {
            format!("`{shown}` is not a {}", type_name(ty))
        }
    }
}

/// How the type is named after "is not a".
fn type_name(ty: &InputType) -> &'static str {
    match ty {
        InputType::YesNo => "yes/no",
        InputType::Count => "count",
        InputType::Decimal => "decimal",
        InputType::Date => "date",
        InputType::Text => "text",
        InputType::Choice(_) => "one of a list",
    }
}

fn location(location: &Location) -> String {
    match location {
        Location::Line(n) => format!("line {n}"),
        Location::Path(p) => p.clone(),
        Location::File => "file".into(),
    }
}

pub(super) fn rejection(r: &Rejection) -> String {
    let mut out = match &r.location {
        Location::Path(p) if p == "$" => r.file.clone(),
        place => format!("{}: {}", r.file, location(place)),
    };
    if let Some(id) = &r.id {
        out.push_str(&format!(" (id `{id}`)"));
    }
    for p in &r.problems {
        out.push_str(&format!("\n  error[{}]", p.code));
        if let Some(field) = &p.field {
            out.push_str(&format!(" field `{field}`"));
        }
        out.push_str(&format!(": {}", p.message));
        if let Some(expected) = &p.expected {
            out.push_str(&format!("\n    expected: {expected}"));
        }
    }
    out
}

pub(super) fn read_failure(failure: &ReadFailure) -> String {
    let error = io_failure(&failure.error);
    match failure.lines_read {
        0 => format!("cannot read {}: {error}", failure.file),
        n => format!("cannot read {} after line {n}: {error}", failure.file),
    }
}

/// The system's own words.
pub(super) fn io_failure(failure: &IoFailure) -> String {
    failure.text.clone()
}

pub(super) fn encoding(e: &EncodingError) -> String {
    let csv = e.kind == FileKind::Declarations && is_csv(&e.file);
    let save = match (e.kind, csv) {
        (FileKind::Rulebook, _) => {
            "rulebooks and the files beside them are UTF-8 only: save it as UTF-8"
        }
        (FileKind::Declarations, true) => "save the file as \"CSV UTF-8\"",
        (FileKind::Declarations, false) => "save the file as UTF-8",
    };
    let line = e.line;
    let mut out = match e.read_as {
        Encoding::Utf8 => format!("{} is not UTF-8 (line {line}): ", e.file),
        other => format!("{} is not valid {} (line {line}): ", e.file, other.name()),
    };
    let verdict = match e.looks_like {
        Guess::Windows1252 => {
            let excel = match csv {
                true => " (French Excel's \"CSV (séparateur : point-virgule)\")",
                false => "",
            };
            match e.kind {
                FileKind::Declarations => format!(
                    "it looks like Windows-1252{excel}; pass --encoding windows-1252, or {save}"
                ),
                FileKind::Rulebook => format!("it looks like Windows-1252{excel}; {save}"),
            }
        }
        Guess::Other(name) => format!("it looks like {name}, which forfait does not read; {save}"),
        Guess::Workbook => match e.kind {
            FileKind::Declarations => format!(
                "it looks like a spreadsheet workbook (.xlsx, .xls), not a text file; {}",
                if csv {
                    "in Excel, save it as \"CSV UTF-8\""
                } else {
                    save
                }
            ),
            FileKind::Rulebook => format!("it looks like a binary file, not text; {save}"),
        },
        Guess::Unknown => format!("it looks like an unknown 8-bit encoding; {save}"),
        Guess::Damaged => {
            format!("a character is cut in two (or the file ends in the middle of one); {save}")
        }
    };
    out.push_str(&verdict);
    out
}
