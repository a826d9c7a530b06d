//! Everything the command line says to a person, one file per language (`en.rs`,
//! `fr.rs`): each an exhaustive `match` over [`Say`], so that no message goes without
//! both. Results (standard output's tables, the files of `--output`) are not here: they
//! are written by the library, English for programs, French for fund staff.
//!
//! `help.rs` holds the French descriptions of the commands and options (`--help`); the
//! English ones are the doc comments of `src/main.rs`.

mod en;
mod fr;
pub mod help;

use std::fmt;
use std::io;

use forfait::declaration::encoding::EncodingError;
use forfait::declaration::{ReadError, Rejection};
use forfait::diagnostics::Lang;
use forfait::testing::{CoverageItem, ExpectationError, Failure};
use rust_decimal::Decimal;

/// A stated total, as `check` sums it up.
pub struct Total<'a> {
    pub label: &'a str,
    pub amount: Decimal,
    pub points: bool,
}

/// One message of the command line, with what it says.
pub enum Say<'a> {
    // Files.
    CannotRead {
        path: &'a str,
        error: &'a io::Error,
    },
    /// A file that is not text in its encoding.
    Verdict(&'a EncodingError),
    /// A declaration file that could not be read to its end.
    ReadFailed(&'a ReadError),
    CannotWrite {
        target: &'a str,
        error: &'a io::Error,
    },
    CannotWriteTo {
        target: &'a str,
        error: &'a io::Error,
    },
    /// A `--output` file that could not be completed, and was not written.
    NotCompleted {
        target: &'a str,
        error: &'a io::Error,
    },
    NotWritten {
        target: &'a str,
    },
    Wrote {
        path: &'a str,
    },
    OutputIsInput {
        target: &'a str,
        input: &'a str,
    },
    /// Ctrl-C: with the output that was not written, if any.
    Interrupted {
        target: Option<&'a str>,
    },
    CtrlCUnwatched {
        error: &'a dyn fmt::Display,
    },
    /// The name of standard output, as a target.
    StandardOutput,
    DelimiterNotAscii,

    // Rulebooks.
    CheckOk {
        path: &'a str,
        indicators: usize,
        groups: usize,
        payment_lines: usize,
        totals: &'a [Total<'a>],
        warnings: usize,
    },
    CheckFailed {
        path: &'a str,
        errors: usize,
        warnings: usize,
    },
    NothingEvaluated {
        path: &'a str,
        errors: usize,
    },
    NoPageWritten {
        path: &'a str,
        errors: usize,
    },
    NothingCompared {
        path: &'a str,
        errors: usize,
    },
    CannotFormat {
        path: &'a str,
    },
    AlreadyCanonical {
        files: usize,
    },
    NotCanonical {
        changed: usize,
        files: usize,
    },
    Reformatted {
        changed: usize,
        files: usize,
    },
    GitCannotRun {
        arg: &'a str,
        error: &'a io::Error,
    },
    GitFailed {
        arg: &'a str,
        stderr: &'a str,
    },

    // Declarations.
    Rejected(&'a Rejection),
    NoSuchId {
        id: &'a str,
        path: &'a str,
    },
    JobsZero,
    JobsCapped {
        asked: usize,
        cores: usize,
    },
    /// `eval`'s summary: what was read.
    Read {
        read: u64,
        evaluated: u64,
        rejected: u64,
        stopped_early: bool,
    },
    /// `eval`'s summary: what was paid, in all and per payment line.
    Paid {
        total: Decimal,
        lines: &'a [(&'a str, Decimal)],
    },
    RejectedInOutput,
    /// The progress bar's message.
    Progress {
        rows: u64,
        per_second: u128,
    },

    // `forfait test`.
    NothingToTest {
        path: &'a str,
    },
    NoCases {
        path: &'a str,
        expected: &'a str,
    },
    RulebookDoesNotCheck {
        path: &'a str,
    },
    BadExpectations {
        file: &'a str,
        error: &'a ExpectationError,
    },
    UnlistedCase {
        file: &'a str,
        expected: &'a str,
    },
    CaseUnreadable {
        file: &'a str,
    },
    Fail {
        file: &'a str,
    },
    Failure(&'a Failure),
    CasesPass {
        path: &'a str,
        passed: usize,
        cases: usize,
    },
    Coverage {
        covered: usize,
        items: usize,
    },
    NotExercised(&'a CoverageItem),
    Tally {
        passed: usize,
        failed: usize,
    },
    NoTestCase {
        paths: &'a str,
    },
}

impl Say<'_> {
    /// The message in `lang`, without a final line break.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::say(self),
            Lang::Fr => forfait::french::no_break_spaces(&fr::say(self)),
        }
    }
}

/// The headings of `forfait test`'s table of a failing case.
pub struct Headings {
    pub indicator: &'static str,
    pub expected: &'static str,
    pub actual: &'static str,
    pub decided_by: &'static str,
}

pub fn headings(lang: Lang) -> Headings {
    match lang {
        Lang::En => en::HEADINGS,
        Lang::Fr => fr::HEADINGS,
    }
}

/// The progress bar's layout (indicatif's template).
pub fn progress_template(lang: Lang) -> &'static str {
    match lang {
        Lang::En => en::PROGRESS,
        Lang::Fr => fr::PROGRESS,
    }
}
