//! Every problem with a declaration record: its kind and data, its code, and its words.
//!
//! A reader says what went wrong (`ProblemKind`); `ProblemKind::words` is the one place
//! that says it to a person, and `ProblemKind::code` the one place that names its code
//! (`forfait::decl::<name>`, documented in docs/diagnostics.md).

use super::values::{self, Wrong};
use super::Problem;
use crate::model::InputType;

/// The codes of declaration problems, one per section of docs/diagnostics.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Malformed,
    DuplicateField,
    WrongType,
    MissingId,
    BadHeader,
    MissingInput,
    UnknownField,
    ProfessionNotCovered,
    UnknownValue,
}

impl Code {
    pub const ALL: [Code; 9] = [
        Code::Malformed,
        Code::DuplicateField,
        Code::WrongType,
        Code::MissingId,
        Code::BadHeader,
        Code::MissingInput,
        Code::UnknownField,
        Code::ProfessionNotCovered,
        Code::UnknownValue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Malformed => "forfait::decl::malformed",
            Code::DuplicateField => "forfait::decl::duplicate_field",
            Code::WrongType => "forfait::decl::wrong_type",
            Code::MissingId => "forfait::decl::missing_id",
            Code::BadHeader => "forfait::decl::bad_header",
            Code::MissingInput => "forfait::decl::missing_input",
            Code::UnknownField => "forfait::decl::unknown_field",
            Code::ProfessionNotCovered => "forfait::decl::profession_not_covered",
            Code::UnknownValue => "forfait::decl::unknown_value",
        }
    }
}

/// What is wrong with a record (or with the file it comes from), with the data to say it.
pub(crate) enum ProblemKind {
    Malformed(Malformed),
    /// A JSON key given twice (`column: None`), or a CSV column named twice.
    DuplicateField {
        column: Option<usize>,
    },
    /// A JSON value of the wrong kind (`found` is "an array", "null", ...).
    WrongJsonType {
        found: &'static str,
        ty: InputType,
    },
    /// A value that does not read as its input's type.
    WrongValue {
        wrong: Wrong,
        shown: String,
        ty: InputType,
    },
    NoIdColumn,
    MissingId,
    /// The header's problems went past the number listed.
    MoreColumnProblems {
        more: usize,
        last: usize,
    },
    /// A row of a file whose header is rejected.
    HeaderHasProblems {
        header: u64,
    },
    MissingInput {
        needed_by: Option<String>,
        ty: InputType,
    },
    ProfessionNeeded {
        rulebook: String,
        ty: InputType,
    },
    UnknownField {
        column: Option<usize>,
        rulebook: String,
        /// The closest known field, when it is a likely typo.
        suggestion: Option<String>,
    },
    ProfessionNotCovered {
        shown: String,
        rulebook: String,
        ty: InputType,
    },
    UnknownValue {
        shown: String,
        ty: InputType,
    },
}

/// The ways a record or file cannot be read at all (`forfait::decl::malformed`).
pub(crate) enum Malformed {
    RowWithoutHeader,
    /// A read error, already worded by the I/O layer.
    Unreadable(String),
    JsonTooLarge {
        mib: u64,
    },
    JsonFileNotUtf8 {
        offset: usize,
    },
    /// serde_json's own words; `lines` for JSON lines, else a whole file.
    NotJson {
        error: String,
        lines: bool,
    },
    LineTooLong {
        max: usize,
    },
    JsonLineNotUtf8 {
        column: usize,
    },
    NotAnObject {
        found: &'static str,
    },
    HalfSurrogate,
    HeaderUnreadable(String),
    EmptyCsv,
    HeaderTooLong {
        max: usize,
    },
    HeaderLineBreak {
        at: u64,
        first: u64,
        last: u64,
    },
    ColumnNameNotUtf8 {
        column: usize,
    },
    RowWidth {
        found: usize,
        wanted: String,
        delimiter: char,
    },
    CellNotUtf8 {
        column: usize,
        offset: usize,
    },
    UnnamedColumnValue {
        column: usize,
        text: String,
    },
    /// A line of a run that an open quote made one row, after its first.
    InsideQuotedField {
        opened: u64,
    },
    RowTooLong {
        run: RowRun,
    },
    QuoteStillOpen {
        at: u64,
        run: RowRun,
    },
    QuoteNeverClosed {
        at: u64,
        run: RowRun,
    },
    RowLineBreak {
        at: u64,
        run: RowRun,
    },
}

/// The lines a CSV reader took as one row.
#[derive(Clone, Copy)]
pub(crate) struct RowRun {
    pub start: u64,
    pub end: u64,
}

impl RowRun {
    /// What becomes of the lines after the first.
    fn each(self) -> String {
        let RowRun { start, end } = self;
        match end - start {
            0 => String::new(),
            1 => format!(" (line {end} is rejected on its own)"),
            _ => format!(
                " (each of lines {} to {end} is rejected on its own)",
                start + 1
            ),
        }
    }
}

impl ProblemKind {
    pub(crate) fn code(&self) -> Code {
        match self {
            ProblemKind::Malformed(_) => Code::Malformed,
            ProblemKind::DuplicateField { .. } => Code::DuplicateField,
            ProblemKind::WrongJsonType { .. } | ProblemKind::WrongValue { .. } => Code::WrongType,
            ProblemKind::NoIdColumn | ProblemKind::MissingId => Code::MissingId,
            ProblemKind::MoreColumnProblems { .. } | ProblemKind::HeaderHasProblems { .. } => {
                Code::BadHeader
            }
            ProblemKind::MissingInput { .. } | ProblemKind::ProfessionNeeded { .. } => {
                Code::MissingInput
            }
            ProblemKind::UnknownField { .. } => Code::UnknownField,
            ProblemKind::ProfessionNotCovered { .. } => Code::ProfessionNotCovered,
            ProblemKind::UnknownValue { .. } => Code::UnknownValue,
        }
    }

    /// The message and what was expected instead.
    fn words(&self) -> (String, Option<String>) {
        match self {
            ProblemKind::Malformed(m) => m.words(),
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
                (format!("found {found}"), Some(expected(ty)))
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
                    message = format!(
                        "{message}; {}",
                        crate::diagnostics::did_you_mean(likely, crate::diagnostics::Lang::En)
                    );
                }
                if let Some(number) = column {
                    message = format!("column {number}: {message}");
                }
                (message, None)
            }
            ProblemKind::ProfessionNotCovered {
                shown,
                rulebook,
                ty,
            } => (
                format!("profession `{shown}` is not covered by rulebook `{rulebook}`"),
                Some(expected(ty)),
            ),
            ProblemKind::UnknownValue { shown, ty } => (
                format!("`{shown}` is not one of the values"),
                Some(expected(ty)),
            ),
        }
    }

    /// The problem as reported, about `field` when there is one.
    pub(crate) fn about(self, field: Option<String>) -> Problem {
        let (message, expected) = self.words();
        let kind = self.code();
        Problem {
            code: kind.as_str(),
            kind,
            field,
            message,
            expected,
        }
    }
}

impl Malformed {
    fn words(&self) -> (String, Option<String>) {
        let (message, expected): (String, Option<&str>) = match self {
            Malformed::RowWithoutHeader => ("a CSV row without its header".into(), None),
            Malformed::Unreadable(error) => (error.clone(), None),
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
                format!("a declaration must be an object, found {found}"),
                Some("an object such as {\"id\": \"PS-1\", ...}"),
            ),
            Malformed::HalfSurrogate => (
                "a text escapes half of a surrogate pair (such as `\\ud800` alone)".into(),
                Some("UTF-8 text, or `\\u` escapes of whole characters"),
            ),
            Malformed::HeaderUnreadable(error) => {
                (format!("cannot read the header row: {error}"), None)
            }
            Malformed::EmptyCsv => (
                "the file is empty; a header row of field names is needed".into(),
                Some("a first row such as `id,actes_fse,actes_total,...`"),
            ),
            Malformed::HeaderTooLong { max } => (
                format!(
                    "the header is longer than {max} bytes: the names after that were dropped"
                ),
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
                return (
                    format!("the row has {found} fields but the header has {wanted}"),
                    Some(format!("{wanted} fields separated by `{delimiter}`")),
                )
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
                Some(
                    "each quoted field closed on its line; a quote inside a field doubled (`\"\"`)",
                ),
            ),
            Malformed::RowTooLong { run } => (
                format!(
                    "the line is longer than {} bytes{}",
                    super::MAX_LINE_BYTES,
                    run.each()
                ),
                Some("one declaration a line"),
            ),
            Malformed::QuoteStillOpen { at, run } => (
                format!(
                    "a quote opened on line {at} is still open {} lines \
                     further: lines {at} to {} were read as one row{}",
                    super::MAX_QUOTED_LINES,
                    at + u64::from(super::MAX_QUOTED_LINES),
                    run.each()
                ),
                Some("each quoted field closed; a quote inside a field doubled (`\"\"`)"),
            ),
            Malformed::QuoteNeverClosed { at, run } => (
                format!(
                    "a quote opened on line {at} is never closed: the file ends inside it (was \
                     it cut short?){}",
                    run.each()
                ),
                Some("each quoted field closed; a quote inside a field doubled (`\"\"`)"),
            ),
            Malformed::RowLineBreak { at, run } => (
                format!(
                    "a field quoted on line {at} holds a line break: lines {} to {} \
                     were read as one row{}",
                    run.start,
                    run.end,
                    run.each()
                ),
                Some("one declaration a line: each quote closed on its line"),
            ),
        };
        (message, expected.map(str::to_string))
    }
}

/// What a field of this type accepts, for messages.
pub fn expected(ty: &InputType) -> String {
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
        Wrong::Format | Wrong::Choice => format!("`{shown}` is not a {}", ty.describe()),
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn every_code_has_a_section_in_the_docs() {
        let docs = include_str!("../../docs/diagnostics.md");
        for code in Code::ALL {
            assert!(
                docs.contains(code.as_str()),
                "{} is not documented",
                code.as_str()
            );
        }
    }
}
