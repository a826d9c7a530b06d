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
use forfait::declaration::mapping::MappingError;
use forfait::declaration::{Code, IoFailure, ReadError, Rejection};
use forfait::diagnostics::Lang;
use forfait::next_year::{Moved, NextYearError, Review};
use forfait::output::columns::ColumnError;
use forfait::profession::UnknownProfession;
use forfait::testing::{Change, CoverageItem, Dialect, ExpectationError, Failure, FileEncoding};
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
    /// `check` or `fmt` named only folders without a rulebook.
    NoRulebook {
        paths: &'a str,
    },
    /// One thing `forfait test --accept` changed in `expected.csv`.
    Accepted(&'a Change),
    /// `expected.csv` rewritten with `changes` changes, in this form.
    ExpectationsWritten {
        file: &'a str,
        changes: usize,
        dialect: &'a Dialect,
        encoding: FileEncoding,
    },
    /// A rulebook whose cases exercise less than `--min` % of its items.
    CoverageBelow {
        path: &'a str,
        covered: usize,
        items: usize,
        min: Decimal,
    },
    /// A `--min` that is no percentage.
    BadMin {
        value: &'a str,
    },
    /// `--columns` with `--format json` or `text`.
    ColumnsFormat,
    /// A `--columns` list that names no column of the result row; `columns` is the row's.
    BadColumns {
        error: &'a ColumnError,
        columns: &'a str,
    },

    // `forfait new`.
    /// Next year's rulebook written at `path`, from `from`, its header moved on.
    NewWritten {
        path: &'a str,
        from: &'a str,
        moved: &'a [Moved],
    },
    /// The examples copied beside it.
    ExamplesCopied {
        from: &'a str,
        to: &'a str,
        files: usize,
    },
    NoExamplesToCopy {
        from: &'a str,
    },
    /// A file or folder `forfait new` would write exists already: nothing was written.
    NewExists {
        path: &'a str,
    },
    /// What makes the new rulebook impossible to write.
    NewRefused {
        from: &'a str,
        error: &'a NextYearError,
    },
    /// The rulebook to start from has errors: nothing was written.
    NewFromBroken {
        path: &'a str,
        errors: usize,
    },
    CannotCopyExamples {
        from: &'a str,
        to: &'a str,
        error: &'a io::Error,
    },
    /// The heading over the texts to review.
    ToReview {
        texts: usize,
        exercice: u16,
    },
    /// One text to review, in the new file `path`.
    Review {
        path: &'a str,
        review: &'a Review,
        exercice: u16,
    },
    NothingToReview,

    // `--profession` (diff, doc).
    /// A profession that none of `paths` covers.
    UnknownProfession {
        paths: &'a str,
        error: &'a UnknownProfession,
    },
    /// `diff --profession`: what was left out, and the side that does not cover it.
    ComparedFor {
        profession: &'a str,
        shown: usize,
        changes: usize,
        /// The old rulebook, when it does not cover the profession.
        old_lacks: Option<&'a str>,
        /// The new rulebook, when it does not cover the profession.
        new_lacks: Option<&'a str>,
    },
    /// `--impact`: no declaration of the batch lies between a changed threshold's old and
    /// new values (`between` none), so the batch does not show what that change does.
    ThresholdUnmeasured {
        rule: &'a str,
        old: &'a str,
        new: &'a str,
    },

    // `forfait review`.
    /// git cannot be started at all.
    GitMissing {
        error: &'a io::Error,
    },
    /// The current directory is in no git repository (git's words).
    NotAGitRepository {
        stderr: &'a str,
    },
    /// A revision git does not know.
    UnknownRevision {
        rev: &'a str,
        stderr: &'a str,
    },
    /// Another git command failed (`command` as run).
    GitCommandFailed {
        command: &'a str,
        stderr: &'a str,
    },
    /// What the comment covers: the rulebooks changed, how many fail their examples or do
    /// not check at the new revision.
    Reviewed {
        base: &'a str,
        head: &'a str,
        rulebooks: usize,
        failing: usize,
        broken: usize,
    },

    // `forfait studio`.
    /// Where the studio is served, its token in the address.
    StudioAt {
        url: &'a str,
    },
    StudioStopped,
    StudioNotAFolder {
        path: &'a str,
    },
    StudioCannotStart {
        error: &'a dyn fmt::Display,
    },
    /// A request the studio refused: the `error` of its answer.
    Refused(&'a Refusal),

    // Integrators' files: mappings, CSV results for spreadsheets, the summary's reasons.
    /// A problem of a mapping file (`--map`, `X.map.toml`), at its line.
    Mapping {
        path: &'a str,
        error: &'a MappingError,
    },
    /// Rejections counted by problem and field, the commonest first:
    /// "3150 rejected: 3150 `cdc_sesam_vitale` missing".
    Rejections {
        rejected: u64,
        by: &'a [(Code, Option<&'a str>, u64)],
    },
    /// `--output-delimiter` that cannot separate CSV cells.
    OutputDelimiter,
    // `forfait serve`.
    /// Where the service listens, and how many rulebooks it serves.
    ServeAt {
        addr: &'a str,
        rulebooks: usize,
    },
    ServeStopped,
    ServeNotAFolder {
        path: &'a str,
    },
    /// The address cannot be listened on (`in_use`: another server holds it).
    ServeCannotListen {
        addr: &'a str,
        in_use: bool,
        error: &'a io::Error,
    },
    ServeCannotStart {
        error: &'a dyn fmt::Display,
    },
    DecisionLogCannotOpen {
        path: &'a str,
        error: &'a io::Error,
    },
    /// A decision that could not be written to the log: the request was answered 503.
    DecisionLogFailed {
        path: &'a str,
        error: &'a io::Error,
    },
    /// A rulebook file read and checked: served from now on at this hash.
    ServeLoaded {
        path: &'a str,
        hash: &'a str,
    },
    /// A rulebook file that no longer checks: the version at `hash` is still served.
    ServeKeptStale {
        path: &'a str,
        errors: usize,
        hash: &'a str,
    },
    /// A rulebook file that does not check and never did: not served.
    ServeBroken {
        path: &'a str,
        errors: usize,
    },
    ServeRemoved {
        path: &'a str,
    },
    /// A request the service refused: the `message` of its JSON error.
    ServeRefused(&'a ServeRefusal),
}

/// Why the studio refused a request.
#[derive(Clone, Debug)]
pub enum Refusal {
    /// The `Host` header is not the studio's address (a page of another site, reached
    /// through a name that resolves to the loopback).
    Host {
        host: String,
    },
    /// The `Origin` header names another site.
    Origin {
        origin: String,
    },
    /// The token is missing or wrong.
    Token,
    /// A body that is not `Content-Type: application/json`.
    NotJson,
    BodyTooLarge {
        limit_mib: usize,
    },
    UrlTooLong {
        limit: usize,
    },
    NoSuchRoute {
        path: String,
    },
    /// A route the method does not apply to.
    Method {
        method: String,
        path: String,
    },
    /// A body, or a query, that is not what the route expects (serde's words).
    BadRequest {
        error: String,
    },
    NoPath,
    AbsolutePath {
        path: String,
    },
    ParentPath {
        path: String,
    },
    OutsideFolder {
        path: String,
    },
    /// A path whose extension is not the one the request is about (`.forfait`, `.json`).
    WrongExtension {
        path: String,
        expected: String,
    },
    NoSuchFile {
        path: String,
    },
    CannotRead {
        path: String,
        error: Box<IoFailure>,
    },
    NotUtf8 {
        path: String,
    },
    CannotWrite {
        path: String,
        error: Box<IoFailure>,
    },
    /// The text does not parse: nothing is formatted or written.
    DoesNotParse,
    DoesNotCheck {
        errors: usize,
    },
    ExampleName {
        name: String,
    },
    ExampleExists {
        name: String,
    },
    NotADeclaration {
        path: String,
    },
    Revision {
        revision: String,
    },
    GitCannotRun {
        error: Box<IoFailure>,
    },
    Git {
        revision: String,
        stderr: String,
    },
    /// Something went wrong in the studio itself.
    Internal,
}

/// Why `forfait serve` refused a request (its HTTP status and code are the service's,
/// `cli/serve/errors.rs`).
#[derive(Clone, Debug)]
pub enum ServeRefusal {
    NoSuchRoute {
        path: String,
    },
    Method {
        method: String,
        path: String,
    },
    UnknownRulebook {
        name: String,
        known: Vec<String>,
        /// The rulebook served from a file named so (`2024-chirurgiens-dentistes` for
        /// `2024-chirurgiens-dentistes.forfait`): its path and the name it is served under.
        file_of: Option<(String, String)>,
    },
    /// The rulebook's file does not check, and no earlier version of it did.
    RulebookBroken {
        name: String,
        errors: usize,
    },
    /// A body that is not of a type the route reads (`expected`: `application/json`...).
    WrongContentType {
        expected: String,
    },
    /// A body the route cannot read (serde's words).
    BadBody {
        error: String,
    },
    BodyTooLarge {
        limit: usize,
    },
    Timeout {
        seconds: u64,
    },
    /// `explain` takes one declaration, not an array.
    OneDeclaration,
    /// The decision could not be written to the decision log.
    DecisionLog,
    Internal,
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

/// A status as the results write it (`met`, `not_met`, ...), in `lang`: as written in
/// English, as forfait's French pages word it in French (`atteint`, `non atteint`, ...;
/// `forfait::french::status`); any other word (`-`) as it is.
pub fn status(lang: Lang, word: &str) -> String {
    match lang {
        Lang::En => en::status_word(word),
        Lang::Fr => fr::status_word(word),
    }
}

/// The progress bar's layout (indicatif's template).
pub fn progress_template(lang: Lang) -> &'static str {
    match lang {
        Lang::En => en::PROGRESS,
        Lang::Fr => fr::PROGRESS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use forfait::declaration::mapping::MappingProblem;
    use forfait::eval::Status;
    use forfait::next_year::{Field, Found, Owner, Place, TextKind};

    /// The variant's place: a new variant does not compile until it is listed here, and
    /// then the test asks for its sample.
    fn index(say: &Say<'_>) -> usize {
        match say {
            Say::CannotRead { .. } => 0,
            Say::Verdict(_) => 1,
            Say::ReadFailed(_) => 2,
            Say::CannotWrite { .. } => 3,
            Say::CannotWriteTo { .. } => 4,
            Say::NotCompleted { .. } => 5,
            Say::NotWritten { .. } => 6,
            Say::Wrote { .. } => 7,
            Say::OutputIsInput { .. } => 8,
            Say::Interrupted { .. } => 9,
            Say::CtrlCUnwatched { .. } => 10,
            Say::StandardOutput => 11,
            Say::DelimiterNotAscii => 12,
            Say::CheckOk { .. } => 13,
            Say::CheckFailed { .. } => 14,
            Say::NothingEvaluated { .. } => 15,
            Say::NoPageWritten { .. } => 16,
            Say::NothingCompared { .. } => 17,
            Say::CannotFormat { .. } => 18,
            Say::AlreadyCanonical { .. } => 19,
            Say::NotCanonical { .. } => 20,
            Say::Reformatted { .. } => 21,
            Say::GitCannotRun { .. } => 22,
            Say::GitFailed { .. } => 23,
            Say::Rejected(_) => 24,
            Say::NoSuchId { .. } => 25,
            Say::JobsZero => 26,
            Say::JobsCapped { .. } => 27,
            Say::Read { .. } => 28,
            Say::Paid { .. } => 29,
            Say::RejectedInOutput => 30,
            Say::Progress { .. } => 31,
            Say::NothingToTest { .. } => 32,
            Say::NoCases { .. } => 33,
            Say::RulebookDoesNotCheck { .. } => 34,
            Say::BadExpectations { .. } => 35,
            Say::UnlistedCase { .. } => 36,
            Say::CaseUnreadable { .. } => 37,
            Say::Fail { .. } => 38,
            Say::Failure(_) => 39,
            Say::CasesPass { .. } => 40,
            Say::Coverage { .. } => 41,
            Say::NotExercised(_) => 42,
            Say::Tally { .. } => 43,
            Say::NoTestCase { .. } => 44,
            Say::NoRulebook { .. } => 45,
            Say::ColumnsFormat => 46,
            Say::BadColumns { .. } => 47,
            Say::StudioAt { .. } => 48,
            Say::StudioStopped => 49,
            Say::StudioNotAFolder { .. } => 50,
            Say::StudioCannotStart { .. } => 51,
            Say::Refused(_) => 52,
            Say::Accepted(_) => 53,
            Say::ExpectationsWritten { .. } => 54,
            Say::CoverageBelow { .. } => 55,
            Say::BadMin { .. } => 56,
            Say::NewWritten { .. } => 57,
            Say::ExamplesCopied { .. } => 58,
            Say::NoExamplesToCopy { .. } => 59,
            Say::NewExists { .. } => 60,
            Say::NewRefused { .. } => 61,
            Say::NewFromBroken { .. } => 62,
            Say::CannotCopyExamples { .. } => 63,
            Say::ToReview { .. } => 64,
            Say::Review { .. } => 65,
            Say::NothingToReview => 66,
            Say::UnknownProfession { .. } => 67,
            Say::ComparedFor { .. } => 68,
            Say::ThresholdUnmeasured { .. } => 69,
            Say::GitMissing { .. } => 70,
            Say::NotAGitRepository { .. } => 71,
            Say::UnknownRevision { .. } => 72,
            Say::GitCommandFailed { .. } => 73,
            Say::Reviewed { .. } => 74,
            Say::Mapping { .. } => 75,
            Say::Rejections { .. } => 76,
            Say::OutputDelimiter => 77,
            Say::ServeAt { .. } => 78,
            Say::ServeStopped => 79,
            Say::ServeNotAFolder { .. } => 80,
            Say::ServeCannotListen { .. } => 81,
            Say::ServeCannotStart { .. } => 82,
            Say::DecisionLogCannotOpen { .. } => 83,
            Say::DecisionLogFailed { .. } => 84,
            Say::ServeLoaded { .. } => 85,
            Say::ServeKeptStale { .. } => 86,
            Say::ServeBroken { .. } => 87,
            Say::ServeRemoved { .. } => 88,
            Say::ServeRefused(_) => 89,
        }
    }

    const VARIANTS: usize = 90;

    /// Every refusal of the service, once: a new one does not compile until the `match`
    /// below lists it.
    fn serve_refusals() -> Vec<ServeRefusal> {
        let all = vec![
            ServeRefusal::NoSuchRoute { path: "/v2".into() },
            ServeRefusal::Method {
                method: "DELETE".into(),
                path: "/health".into(),
            },
            ServeRefusal::UnknownRulebook {
                name: "fami_2023".into(),
                known: vec!["fami_2024".into()],
                file_of: None,
            },
            ServeRefusal::UnknownRulebook {
                name: "fami_2023".into(),
                known: Vec::new(),
                file_of: None,
            },
            ServeRefusal::UnknownRulebook {
                name: "2024-chirurgiens-dentistes".into(),
                known: vec!["fami_2024".into()],
                file_of: Some((
                    "2024-chirurgiens-dentistes.forfait".into(),
                    "fami_2024".into(),
                )),
            },
            ServeRefusal::RulebookBroken {
                name: "fami_2024".into(),
                errors: 2,
            },
            ServeRefusal::WrongContentType {
                expected: "application/json".into(),
            },
            ServeRefusal::BadBody {
                error: "missing field `text`".into(),
            },
            ServeRefusal::BodyTooLarge { limit: 2_097_152 },
            ServeRefusal::Timeout { seconds: 10 },
            ServeRefusal::OneDeclaration,
            ServeRefusal::DecisionLog,
            ServeRefusal::Internal,
        ];
        for refusal in &all {
            match refusal {
                ServeRefusal::NoSuchRoute { .. }
                | ServeRefusal::Method { .. }
                | ServeRefusal::UnknownRulebook { .. }
                | ServeRefusal::RulebookBroken { .. }
                | ServeRefusal::WrongContentType { .. }
                | ServeRefusal::BadBody { .. }
                | ServeRefusal::BodyTooLarge { .. }
                | ServeRefusal::Timeout { .. }
                | ServeRefusal::OneDeclaration
                | ServeRefusal::DecisionLog
                | ServeRefusal::Internal => {}
            }
        }
        all
    }

    /// Every refusal of the studio, once: a new one does not compile until the `match`
    /// below lists it, beside the samples.
    fn refusals() -> Vec<Refusal> {
        let io = Box::new(IoFailure::of(&io::Error::from(
            io::ErrorKind::PermissionDenied,
        )));
        let path = || "fami/x.forfait".to_string();
        let all = vec![
            Refusal::Host {
                host: "evil.example:8080".into(),
            },
            Refusal::Origin {
                origin: "http://evil.example".into(),
            },
            Refusal::Token,
            Refusal::NotJson,
            Refusal::BodyTooLarge { limit_mib: 2 },
            Refusal::UrlTooLong { limit: 8192 },
            Refusal::NoSuchRoute {
                path: "/api/x".into(),
            },
            Refusal::Method {
                method: "DELETE".into(),
                path: "/api/file".into(),
            },
            Refusal::BadRequest {
                error: "missing field `text`".into(),
            },
            Refusal::NoPath,
            Refusal::AbsolutePath { path: path() },
            Refusal::ParentPath { path: path() },
            Refusal::OutsideFolder { path: path() },
            Refusal::WrongExtension {
                path: path(),
                expected: ".json".into(),
            },
            Refusal::NoSuchFile { path: path() },
            Refusal::CannotRead {
                path: path(),
                error: io.clone(),
            },
            Refusal::NotUtf8 { path: path() },
            Refusal::CannotWrite {
                path: path(),
                error: io.clone(),
            },
            Refusal::DoesNotParse,
            Refusal::DoesNotCheck { errors: 2 },
            Refusal::ExampleName { name: "A b".into() },
            Refusal::ExampleExists { name: "a".into() },
            Refusal::NotADeclaration { path: path() },
            Refusal::Revision {
                revision: "-p".into(),
            },
            Refusal::GitCannotRun { error: io },
            Refusal::Git {
                revision: "nope".into(),
                stderr: "fatal: invalid object name 'nope'.".into(),
            },
            Refusal::Internal,
        ];
        for refusal in &all {
            match refusal {
                Refusal::Host { .. }
                | Refusal::Origin { .. }
                | Refusal::Token
                | Refusal::NotJson
                | Refusal::BodyTooLarge { .. }
                | Refusal::UrlTooLong { .. }
                | Refusal::NoSuchRoute { .. }
                | Refusal::Method { .. }
                | Refusal::BadRequest { .. }
                | Refusal::NoPath
                | Refusal::AbsolutePath { .. }
                | Refusal::ParentPath { .. }
                | Refusal::OutsideFolder { .. }
                | Refusal::WrongExtension { .. }
                | Refusal::NoSuchFile { .. }
                | Refusal::CannotRead { .. }
                | Refusal::NotUtf8 { .. }
                | Refusal::CannotWrite { .. }
                | Refusal::DoesNotParse
                | Refusal::DoesNotCheck { .. }
                | Refusal::ExampleName { .. }
                | Refusal::ExampleExists { .. }
                | Refusal::NotADeclaration { .. }
                | Refusal::Revision { .. }
                | Refusal::GitCannotRun { .. }
                | Refusal::Git { .. }
                | Refusal::Internal => {}
            }
        }
        all
    }

    #[test]
    fn every_message_of_the_command_line_is_in_english_and_in_french() {
        let io = io::Error::from(io::ErrorKind::NotFound);
        let verdict = forfait::declaration::encoding::rulebook_not_utf8(b"a\xe9", 1, "r.forfait");
        let read = ReadError {
            file: "d.csv".into(),
            lines_read: 2,
            error: io::Error::from(io::ErrorKind::PermissionDenied),
        };
        let rulebook = match forfait::compile(
            "r.forfait",
            include_str!("../../../tests/cases/eval/declaration-errors/rulebook.forfait"),
        ) {
            Ok(c) => c.rulebook,
            Err(report) => panic!("{}", report.render_human()),
        };
        let rejection = forfait::declaration::read_str(
            &rulebook,
            "d.csv",
            "id,actes_fse\nx,abc\n",
            forfait::declaration::InputFormat::Csv,
            Default::default(),
        )
        .into_iter()
        .find_map(|r| match r {
            forfait::declaration::Record::Rejected(r) => Some(r),
            _ => None,
        });
        let Some(rejection) = rejection else {
            panic!("the row is rejected")
        };
        let totals = [Total {
            label: "TOTAL",
            amount: Decimal::new(1240, 0),
            points: false,
        }];
        let lines = [("socle", Decimal::new(490, 0))];
        let twice_column = ColumnError::Twice("id".into());
        let total_change = Change::Total {
            example: "socle-seul".into(),
            from: Some(Decimal::new(490, 0)),
            to: Some(Decimal::new(59000, 2)),
        };
        let status_change = Change::Status {
            example: "socle-seul".into(),
            indicator: "teletransmission".into(),
            from: "met".into(),
            to: "not_met",
        };
        let added_case = Change::Added {
            example: "nouveau".into(),
            total: None,
        };
        let unknown_column = ColumnError::Unknown {
            name: "total".into(),
            suggestion: Some("total_euros".into()),
        };
        let expectation = ExpectationError::BadTotal {
            line: 3,
            total: "abc".into(),
        };
        let plain = Dialect::default();
        let excel = Dialect {
            delimiter: b';',
            decimal_comma: true,
            thousands: Some('\u{a0}'),
            french: true,
            crlf: true,
        };
        let expectations = [
            ExpectationError::HeaderStart,
            ExpectationError::Width {
                line: 4,
                cells: 3,
                header: 2,
                delimiter: ',',
            },
            ExpectationError::NotAnIndicator {
                column: "teletransmision".into(),
                position: 3,
                rulebook: "fami_2024".into(),
                suggestion: Some("teletransmission".into()),
            },
            ExpectationError::BadStatus {
                line: 5,
                column: 3,
                status: "oui".into(),
                indicator: "socle".into(),
            },
        ];
        let failures = [
            Failure::NotOneDeclaration {
                file: "c.json".into(),
                count: 2,
            },
            Failure::Total {
                expected: Decimal::new(490, 0),
                got: Decimal::ZERO,
            },
            Failure::RejectedInstead {
                expected: Decimal::new(490, 0),
                rejection: Some(forfait::testing::Rejected::Missing(vec!["actes".into()])),
            },
            Failure::EvaluatedInstead {
                total: Decimal::ZERO,
            },
            Failure::Status {
                indicator: "socle".into(),
                expected: "met".into(),
                actual: "not_met",
            },
            Failure::BelowMaximum {
                most: Decimal::new(1440, 0),
                paid: Decimal::new(124000, 2),
                unmet: vec!["nouvel_indicateur".into()],
                short: vec!["nouvel_indicateur".into()],
            },
            Failure::BelowMaximum {
                most: Decimal::new(1440, 0),
                paid: Decimal::new(124000, 2),
                unmet: Vec::new(),
                short: vec!["coordination".into(), "socle".into()],
            },
            Failure::MaximumUnknown { max: 4096 },
        ];
        let items = [
            CoverageItem::Status {
                indicator: "a".into(),
                status: Status::NotApplicable,
            },
            CoverageItem::Branch {
                indicator: "a".into(),
                condition: "x ≥ 3".into(),
                holds: true,
            },
            CoverageItem::GateBlocking { owner: "a".into() },
            CoverageItem::GatePassed { owner: "a".into() },
            CoverageItem::Amount {
                owner: "a".into(),
                when: None,
            },
        ];
        let mapping_errors = [
            MappingProblem::Syntax("invalid table header".into()),
            MappingProblem::UnknownInput {
                name: "actes_fsee".into(),
                rulebook: "r".into(),
                suggestion: Some("actes_fse".into()),
            },
            MappingProblem::UnknownInput {
                name: "x".into(),
                rulebook: "r".into(),
                suggestion: None,
            },
            MappingProblem::NotAChoice {
                input: "actes_fse".into(),
            },
            MappingProblem::UnknownChoice {
                input: "zone".into(),
                name: "sous-dense".into(),
                suggestion: Some("sous_dense".into()),
            },
            MappingProblem::Twice {
                heading: "nom".into(),
            },
        ]
        .map(|problem| MappingError { line: 4, problem });
        let mut says = vec![
            Say::CannotRead {
                path: "r.forfait",
                error: &io,
            },
            Say::Verdict(&verdict),
            Say::ReadFailed(&read),
            Say::CannotWrite {
                target: "o.csv",
                error: &io,
            },
            Say::CannotWriteTo {
                target: "o.csv",
                error: &io,
            },
            Say::NotCompleted {
                target: "o.csv",
                error: &io,
            },
            Say::NotWritten { target: "o.csv" },
            Say::Wrote { path: "p.html" },
            Say::OutputIsInput {
                target: "d.csv",
                input: "d.csv",
            },
            Say::Interrupted {
                target: Some("o.csv"),
            },
            Say::Interrupted { target: None },
            // ctrlc's own words (English), as the system's are.
            Say::CtrlCUnwatched {
                error: &"SIGINT handler already set",
            },
            Say::StandardOutput,
            Say::DelimiterNotAscii,
            Say::CheckOk {
                path: "r.forfait",
                indicators: 8,
                groups: 1,
                payment_lines: 4,
                totals: &totals,
                warnings: 1,
            },
            Say::CheckFailed {
                path: "r.forfait",
                errors: 2,
                warnings: 0,
            },
            Say::NothingEvaluated {
                path: "r.forfait",
                errors: 1,
            },
            Say::NoPageWritten {
                path: "r.forfait",
                errors: 3,
            },
            Say::NothingCompared {
                path: "r.forfait",
                errors: 3,
            },
            Say::CannotFormat { path: "r.forfait" },
            Say::AlreadyCanonical { files: 5 },
            Say::NotCanonical {
                changed: 1,
                files: 5,
            },
            Say::Reformatted {
                changed: 2,
                files: 5,
            },
            Say::GitCannotRun {
                arg: "main:r",
                error: &io,
            },
            Say::GitFailed {
                arg: "main:r",
                stderr: "fatal: invalid object name",
            },
            Say::Rejected(&rejection),
            Say::NoSuchId {
                id: "x",
                path: "d.csv",
            },
            Say::JobsZero,
            Say::JobsCapped { asked: 8, cores: 2 },
            Say::Read {
                read: 6,
                evaluated: 2,
                rejected: 4,
                stopped_early: true,
            },
            Say::Paid {
                total: Decimal::new(1240, 0),
                lines: &lines,
            },
            Say::RejectedInOutput,
            Say::Progress {
                rows: 12_000,
                per_second: 3_000,
            },
            Say::NothingToTest { path: "x" },
            Say::NoCases {
                path: "r.forfait",
                expected: "r.examples/expected.csv",
            },
            Say::RulebookDoesNotCheck { path: "r.forfait" },
            Say::BadExpectations {
                file: "expected.csv",
                error: &expectation,
            },
            Say::UnlistedCase {
                file: "c.json",
                expected: "expected.csv",
            },
            Say::CaseUnreadable { file: "c.json" },
            Say::Fail { file: "c.json" },
            Say::CasesPass {
                path: "r.forfait",
                passed: 2,
                cases: 3,
            },
            Say::Coverage {
                covered: 15,
                items: 24,
            },
            Say::Tally {
                passed: 2,
                failed: 1,
            },
            Say::NoTestCase { paths: "rulebooks" },
            Say::NoRulebook { paths: "rulebooks" },
            Say::Accepted(&total_change),
            Say::Accepted(&status_change),
            Say::Accepted(&added_case),
            Say::ExpectationsWritten {
                file: "r.examples/expected.csv",
                changes: 3,
                dialect: &plain,
                encoding: FileEncoding::Utf8,
            },
            Say::ExpectationsWritten {
                file: "r.examples/expected.csv",
                changes: 1,
                dialect: &excel,
                encoding: FileEncoding::Windows1252,
            },
            Say::CoverageBelow {
                path: "r.forfait",
                covered: 15,
                items: 24,
                min: Decimal::new(80, 0),
            },
            Say::BadMin {
                value: "quatre-vingts",
            },
            Say::ColumnsFormat,
            Say::BadColumns {
                error: &unknown_column,
                columns: "id,status,total_euros",
            },
            Say::BadColumns {
                error: &twice_column,
                columns: "id,status,total_euros",
            },
            Say::BadColumns {
                error: &ColumnError::Empty,
                columns: "id,status,total_euros",
            },
            Say::StudioAt {
                url: "http://127.0.0.1:8080/?token=0123",
            },
            Say::StudioStopped,
            Say::StudioNotAFolder { path: "rulebooks" },
            Say::StudioCannotStart {
                error: &"Address already in use",
            },
        ];
        let moved = [
            Moved {
                field: Field::Name,
                old: "fami_2024_chirurgiens_dentistes".into(),
                new: "fami_2025_chirurgiens_dentistes".into(),
            },
            Moved {
                field: Field::Title,
                old: "FAMI 2024 : chirurgiens-dentistes".into(),
                new: "FAMI 2025 : chirurgiens-dentistes".into(),
            },
            Moved {
                field: Field::Exercice,
                old: "2024".into(),
                new: "2025".into(),
            },
            Moved {
                field: Field::PaidIn,
                old: "2025".into(),
                new: "2026".into(),
            },
        ];
        says.extend([
            Say::NewWritten {
                path: "2025-x.forfait",
                from: "2024-x.forfait",
                moved: &moved,
            },
            Say::ExamplesCopied {
                from: "2024-x.examples",
                to: "2025-x.examples",
                files: 12,
            },
            Say::NoExamplesToCopy {
                from: "2024-x.examples",
            },
            Say::NewExists {
                path: "2025-x.forfait",
            },
            Say::NewFromBroken {
                path: "2024-x.forfait",
                errors: 2,
            },
            Say::CannotCopyExamples {
                from: "2024-x.examples",
                to: "2025-x.examples",
                error: &io,
            },
            Say::ToReview {
                texts: 3,
                exercice: 2025,
            },
            Say::NothingToReview,
        ]);
        let new_errors = [
            NextYearError::DoesNotParse,
            NextYearError::SameExercice { exercice: 2024 },
            NextYearError::BadYear { year: 10_001 },
            NextYearError::NoYearInFileName {
                file_name: "dentistes.forfait".into(),
                exercice: 2024,
            },
            NextYearError::DoesNotCheck { errors: 1 },
        ];
        says.extend(new_errors.iter().map(|error| Say::NewRefused {
            from: "2024-x.forfait",
            error,
        }));
        let item = |owner, text| Place::Item {
            owner,
            name: "cdc_sesam_vitale".into(),
            text,
        };
        let places = [
            Place::Title,
            Place::Guide,
            Place::ProfessionLabel {
                profession: "infirmier".into(),
            },
            Place::Comment,
            item(Owner::Input, TextKind::Label),
            item(
                Owner::Input,
                TextKind::ValueLabel {
                    value: "web_dmp".into(),
                },
            ),
            item(Owner::Input, TextKind::Unit),
            item(Owner::Input, TextKind::Missing),
            item(Owner::List, TextKind::Label),
            item(Owner::Indicator, TextKind::Evidence),
            item(Owner::Indicator, TextKind::Quote),
            item(Owner::Indicator, TextKind::Neutralisation),
            item(Owner::Indicator, TextKind::Condition),
            item(Owner::Group, TextKind::Quote),
            item(Owner::StatedTotal, TextKind::Label),
        ];
        let reviews: Vec<Review> = places
            .into_iter()
            .map(|place| Review {
                line: 36,
                place,
                found: vec![
                    (Found::Addendum, "addendum 8".into()),
                    (Found::Date, "31/12/2024".into()),
                    (Found::Year, "2024".into()),
                ],
            })
            .collect();
        says.extend(reviews.iter().map(|review| Say::Review {
            path: "2025-x.forfait",
            review,
            exercice: 2025,
        }));
        let unknown = UnknownProfession {
            name: "infirmiere".into(),
            known: vec![
                ("infirmier".into(), Some("Infirmiers".into())),
                ("sage_femme".into(), None),
            ],
            suggestion: Some("infirmier".into()),
        };
        let far = UnknownProfession {
            suggestion: None,
            ..unknown.clone()
        };
        says.extend([
            Say::UnknownProfession {
                paths: "2019.forfait, 2021.forfait",
                error: &unknown,
            },
            Say::UnknownProfession {
                paths: "2021.forfait",
                error: &far,
            },
            Say::ComparedFor {
                profession: "infirmier",
                shown: 23,
                changes: 80,
                old_lacks: Some("2019.forfait"),
                new_lacks: None,
            },
            Say::ComparedFor {
                profession: "infirmier",
                shown: 23,
                changes: 80,
                old_lacks: None,
                new_lacks: Some("2022.forfait"),
            },
            Say::ThresholdUnmeasured {
                rule: "teletransmission",
                old: "70 %",
                new: "75 %",
            },
            Say::ThresholdUnmeasured {
                rule: "coordination",
                old: "4",
                new: "4",
            },
            Say::GitMissing { error: &io },
            Say::NotAGitRepository {
                stderr:
                    "fatal: ni ceci ni aucun de ses répertoires parents n'est un dépôt git : .git",
            },
            Say::UnknownRevision {
                rev: "mian",
                stderr: "fatal: Needed a single revision",
            },
            Say::GitCommandFailed {
                command: "git diff --name-status main HEAD",
                stderr: "fatal: bad object",
            },
            Say::Reviewed {
                base: "main",
                head: "HEAD",
                rulebooks: 2,
                failing: 1,
                broken: 0,
            },
            Say::Reviewed {
                base: "main",
                head: "HEAD",
                rulebooks: 0,
                failing: 0,
                broken: 0,
            },
            Say::Reviewed {
                base: "main",
                head: "HEAD",
                rulebooks: 1,
                failing: 0,
                broken: 1,
            },
            Say::Rejections {
                rejected: 3_150,
                by: &[
                    (Code::MissingInput, Some("cdc_sesam_vitale"), 3_150),
                    (Code::UnknownValue, Some("zone"), 2),
                    (Code::Malformed, None, 1),
                ],
            },
            Say::OutputDelimiter,
        ]);
        says.extend(mapping_errors.iter().map(|error| Say::Mapping {
            path: "medecins.map.toml",
            error,
        }));
        let full = io::Error::from(io::ErrorKind::StorageFull);
        let in_use = io::Error::from(io::ErrorKind::AddrInUse);
        says.extend([
            Say::ServeAt {
                addr: "127.0.0.1:8080",
                rulebooks: 5,
            },
            Say::ServeStopped,
            Say::ServeNotAFolder { path: "rulebooks" },
            Say::ServeCannotListen {
                addr: "127.0.0.1:8080",
                in_use: true,
                error: &in_use,
            },
            Say::ServeCannotListen {
                addr: "10.0.0.1:80",
                in_use: false,
                error: &io,
            },
            Say::ServeCannotStart {
                error: &"Too many open files",
            },
            Say::DecisionLogCannotOpen {
                path: "decisions.jsonl",
                error: &io,
            },
            Say::DecisionLogFailed {
                path: "decisions.jsonl",
                error: &full,
            },
            Say::ServeLoaded {
                path: "fami/2024-x.forfait",
                hash: "sha256:0a1b",
            },
            Say::ServeKeptStale {
                path: "fami/2024-x.forfait",
                errors: 2,
                hash: "sha256:0a1b",
            },
            Say::ServeBroken {
                path: "fami/2024-x.forfait",
                errors: 1,
            },
            Say::ServeRemoved {
                path: "fami/2024-x.forfait",
            },
        ]);
        let serve_refusals = serve_refusals();
        says.extend(serve_refusals.iter().map(Say::ServeRefused));
        let refusals = refusals();
        says.extend(refusals.iter().map(Say::Refused));
        says.extend(failures.iter().map(Say::Failure));
        says.extend(expectations.iter().map(|error| Say::BadExpectations {
            file: "expected.csv",
            error,
        }));
        says.extend(items.iter().map(Say::NotExercised));
        let mut seen = [false; VARIANTS];
        for say in &says {
            seen[index(say)] = true;
            let (en, fr) = (say.text(Lang::En), say.text(Lang::Fr));
            assert!(!fr.is_empty());
            assert_ne!(en, fr, "the same in both languages");
            let own = fr.replace("SIGINT handler already set", "");
            for word in [
                " error:", "error: ", " cannot ", " the ", " was ", " not ", "FAIL",
            ] {
                assert!(!own.contains(word), "`{word}` in « {fr} »");
            }
            assert!(!fr.contains(" :") && !fr.contains(" ;"), "« {fr} »");
        }
        let missing: Vec<usize> = (0..VARIANTS).filter(|i| !seen[*i]).collect();
        assert!(missing.is_empty(), "messages without a sample: {missing:?}");
    }

    #[test]
    fn the_progress_bar_reads_its_layout_in_both_languages() {
        for lang in Lang::ALL {
            assert!(indicatif::ProgressStyle::with_template(progress_template(lang)).is_ok());
        }
    }

    #[test]
    fn french_counts_agree_with_their_number() {
        let read = |read, evaluated, rejected| {
            Say::Read {
                read,
                evaluated,
                rejected,
                stopped_early: false,
            }
            .text(Lang::Fr)
            .replace('\u{a0}', " ")
        };
        assert_eq!(read(1, 1, 0), "1 déclaration lue : 1 évaluée, 0 rejetée");
        assert_eq!(
            read(6, 2, 4),
            "6 déclarations lues : 2 évaluées, 4 rejetées"
        );
        assert_eq!(
            read(1_500, 1_500, 0),
            "1 500 déclarations lues : 1 500 évaluées, 0 rejetée"
        );
    }

    /// A status in the run's language: the French pages' words in French (their one owner,
    /// `french::status`), the results' words in English; anything else as it is.
    #[test]
    fn statuses_in_the_runs_language() {
        for s in [
            Status::Met,
            Status::NotMet,
            Status::Neutralised,
            Status::NotApplicable,
        ] {
            assert_eq!(status(Lang::En, s.as_str()), s.as_str());
            assert_eq!(status(Lang::Fr, s.as_str()), forfait::french::status(s));
        }
        assert_eq!(status(Lang::Fr, "not_met"), "non atteint");
        assert_eq!(status(Lang::Fr, "-"), "-");
        assert_eq!(status(Lang::En, "-"), "-");
    }
}
