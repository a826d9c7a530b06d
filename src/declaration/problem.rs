//! Every problem with a declaration record: its kind and data, and its code.
//!
//! A reader says what went wrong (`ProblemKind`); `ProblemKind::code` is the one place
//! that names its code (`forfait::decl::<name>`, documented in docs/diagnostics.md), and
//! `../words/` (`en.rs`, `fr.rs`) the one place per language that says it to a person.

use std::io;

use super::values::Wrong;
use super::{words, Problem, ReadError, Rejection};
use crate::lang::Lang;
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
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ProblemKind {
    Malformed(Malformed),
    /// A JSON key given twice (`column: None`), or a CSV column named twice.
    DuplicateField {
        column: Option<usize>,
    },
    /// A JSON value of the wrong kind.
    WrongJsonType {
        found: JsonKind,
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
        /// The closest choice name, when it is a likely typo (`sous-dense`: `sous_dense`).
        suggestion: Option<String>,
        /// The choices whose labels `shown` stands for, when it is more than one.
        candidates: Vec<String>,
    },
}

// `InputType` compares its choices' names and labels: an equivalence, though it only
// derives `PartialEq`.
impl Eq for ProblemKind {}

/// The kinds of JSON value, for "found an array".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JsonKind {
    Null,
    Boolean,
    Number,
    Text,
    Array,
    Object,
}

/// The ways a record or file cannot be read at all (`forfait::decl::malformed`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Malformed {
    RowWithoutHeader,
    /// A file that could not be read to its end (text in memory never fails).
    Unreadable(ReadFailure),
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
        found: JsonKind,
    },
    HalfSurrogate,
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
        wanted: Width,
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

/// How many fields a CSV row may have: those the header names, up to every column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Width {
    pub named: usize,
    pub columns: usize,
}

/// The lines a CSV reader took as one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RowRun {
    pub start: u64,
    pub end: u64,
}

/// A read error kept as data (an `io::Error` is neither `Clone` nor comparable): the file,
/// how far it was read, and what failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadFailure {
    pub file: String,
    pub lines_read: u64,
    pub error: IoFailure,
}

/// What an `io::Error` says: its kind, its own words (the system's, in English), and the
/// encoding verdict when the input layer refused the bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IoFailure {
    pub kind: io::ErrorKind,
    pub text: String,
    pub encoding: Option<super::encoding::EncodingError>,
}

impl IoFailure {
    pub fn of(error: &io::Error) -> IoFailure {
        IoFailure {
            kind: error.kind(),
            text: error.to_string(),
            encoding: error
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<super::encoding::EncodingError>())
                .cloned(),
        }
    }

    /// The error in `lang`: the system's words for what forfait cannot name itself.
    pub fn words(&self, lang: Lang) -> String {
        words::io_failure(self, lang)
    }
}

impl ReadFailure {
    pub fn of(error: &ReadError) -> ReadFailure {
        ReadFailure {
            file: error.file.clone(),
            lines_read: error.lines_read,
            error: IoFailure::of(&error.error),
        }
    }
}

impl ReadError {
    /// "cannot read FILE after line N: ...", in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        words::read_failure(&ReadFailure::of(self), lang)
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

    /// The problem as reported, about `field` when there is one. Its `message` and
    /// `expected` are English (the text of results files); `Problem::message_in` words it
    /// in another language.
    pub(crate) fn about(self, field: Option<String>) -> Problem {
        let (message, expected) = words::problem(&self, Lang::En);
        let kind = self.code();
        Problem {
            code: kind.as_str(),
            kind,
            field,
            message,
            expected,
            what: self,
        }
    }
}

impl Problem {
    /// The message in `lang` (`message` is the English one, written in results files).
    pub fn message_in(&self, lang: Lang) -> String {
        words::problem(&self.what, lang).0
    }

    /// What was expected instead, in `lang`.
    pub fn expected_in(&self, lang: Lang) -> Option<String> {
        words::problem(&self.what, lang).1
    }
}

impl Rejection {
    /// The rejection as a person reads it on a terminal, in `lang`: the file, the place,
    /// the id, then each problem with its code, field, message and what was expected. Its
    /// `Display` is the English one.
    pub fn render(&self, lang: Lang) -> String {
        words::rejection(self, lang)
    }
}

/// What a field of this type accepts, for messages (English).
pub fn expected(ty: &InputType) -> String {
    words::expected(ty, Lang::En)
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
