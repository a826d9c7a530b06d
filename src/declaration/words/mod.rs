//! The words of declaration problems, rejections, read errors and encoding verdicts, one
//! file per language (`en.rs`, `fr.rs`), each an exhaustive `match` over the data of
//! `problem.rs` and `encoding.rs`. English is what results files carry (`message`,
//! `expected`); French is for the terminal.

mod en;
mod fr;

use super::encoding::EncodingError;
use super::problem::{IoFailure, ProblemKind, ReadFailure};
use super::Rejection;
use crate::lang::typography::no_break_spaces;
use crate::lang::Lang;
use crate::model::InputType;

/// The message of a problem and what was expected instead.
pub(super) fn problem(kind: &ProblemKind, lang: Lang) -> (String, Option<String>) {
    match lang {
        Lang::En => en::problem(kind),
        Lang::Fr => {
            let (message, expected) = fr::problem(kind);
            (
                no_break_spaces(&message),
                expected.as_deref().map(no_break_spaces),
            )
        }
    }
}

/// What a field of this type accepts.
pub(super) fn expected(ty: &InputType, lang: Lang) -> String {
    match lang {
        Lang::En => en::expected(ty),
        Lang::Fr => no_break_spaces(&fr::expected(ty)),
    }
}

pub(super) fn rejection(rejection: &Rejection, lang: Lang) -> String {
    match lang {
        Lang::En => en::rejection(rejection),
        Lang::Fr => no_break_spaces(&fr::rejection(rejection)),
    }
}

pub(super) fn read_failure(failure: &ReadFailure, lang: Lang) -> String {
    match lang {
        Lang::En => en::read_failure(failure),
        Lang::Fr => no_break_spaces(&fr::read_failure(failure)),
    }
}

pub(super) fn io_failure(failure: &IoFailure, lang: Lang) -> String {
    match lang {
        Lang::En => en::io_failure(failure),
        Lang::Fr => no_break_spaces(&fr::io_failure(failure)),
    }
}

pub(super) fn encoding(error: &EncodingError, lang: Lang) -> String {
    match lang {
        Lang::En => en::encoding(error),
        Lang::Fr => no_break_spaces(&fr::encoding(error)),
    }
}

/// Whether the file is a CSV file, by its name (the advice names Excel's "CSV UTF-8").
/// `` `a`, `b` ``: names as messages quote them.
fn quoted(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

fn is_csv(file: &str) -> bool {
    file.to_ascii_lowercase().ends_with(".csv")
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;

    use super::super::encoding::{Encoding, EncodingError, FileKind, Guess};
    use super::super::problem::{
        IoFailure, JsonKind, Malformed, ProblemKind, ReadFailure, RowRun, Width,
    };
    use super::super::values::Wrong;
    use super::*;
    use crate::model::Choice;

    fn failure(kind: ErrorKind) -> ReadFailure {
        ReadFailure {
            file: "d.csv".into(),
            lines_read: 3,
            error: IoFailure {
                kind,
                text: "Input/output error (os error 5)".into(),
                encoding: None,
            },
        }
    }

    /// One problem of each kind, each way of being malformed, each way of being wrong.
    fn samples() -> Vec<ProblemKind> {
        let ty = InputType::Count;
        let choice = InputType::Choice(vec![Choice {
            name: "msp".into(),
            label: None,
        }]);
        let run = RowRun { start: 2, end: 4 };
        let mut kinds = vec![
            ProblemKind::DuplicateField { column: None },
            ProblemKind::DuplicateField { column: Some(5) },
            ProblemKind::WrongJsonType {
                found: JsonKind::Array,
                ty: InputType::YesNo,
            },
            ProblemKind::NoIdColumn,
            ProblemKind::MissingId,
            ProblemKind::MoreColumnProblems { more: 3, last: 40 },
            ProblemKind::HeaderHasProblems { header: 1 },
            ProblemKind::MissingInput {
                needed_by: Some("socle".into()),
                ty: InputType::Date,
            },
            ProblemKind::MissingInput {
                needed_by: None,
                ty: InputType::Decimal,
            },
            ProblemKind::ProfessionNeeded {
                rulebook: "r".into(),
                ty: choice.clone(),
            },
            ProblemKind::UnknownField {
                column: Some(4),
                rulebook: "r".into(),
                suggestion: Some("actes_total".into()),
            },
            ProblemKind::ProfessionNotCovered {
                shown: "medecin".into(),
                rulebook: "r".into(),
                ty: choice.clone(),
            },
            ProblemKind::UnknownValue {
                shown: "x".into(),
                ty: choice.clone(),
                suggestion: None,
                candidates: Vec::new(),
            },
            ProblemKind::UnknownValue {
                shown: "sous-dense".into(),
                ty: choice.clone(),
                suggestion: Some("sous_dense".into()),
                candidates: Vec::new(),
            },
            ProblemKind::UnknownValue {
                shown: "Zone".into(),
                ty: choice,
                suggestion: None,
                candidates: vec!["a".into(), "b".into()],
            },
        ];
        for wrong in [
            Wrong::Format,
            Wrong::Choice,
            Wrong::Negative,
            Wrong::NotWhole,
            Wrong::Ambiguous(','),
            Wrong::Exponent,
            Wrong::TooLarge,
            Wrong::TooPrecise,
            Wrong::AmbiguousChoice,
        ] {
            kinds.push(ProblemKind::WrongValue {
                wrong,
                shown: "7e2".into(),
                ty: ty.clone(),
            });
        }
        for ty in [InputType::YesNo, InputType::Text] {
            kinds.push(ProblemKind::WrongValue {
                wrong: Wrong::Format,
                shown: "x".into(),
                ty,
            });
        }
        for m in [
            Malformed::RowWithoutHeader,
            Malformed::Unreadable(failure(ErrorKind::Other)),
            Malformed::Unreadable(failure(ErrorKind::NotFound)),
            Malformed::JsonTooLarge { mib: 256 },
            Malformed::JsonFileNotUtf8 { offset: 12 },
            Malformed::NotJson {
                error: "EOF while parsing".into(),
                lines: true,
            },
            Malformed::NotJson {
                error: "EOF while parsing".into(),
                lines: false,
            },
            Malformed::LineTooLong { max: 1_048_576 },
            Malformed::JsonLineNotUtf8 { column: 3 },
            Malformed::NotAnObject {
                found: JsonKind::Text,
            },
            Malformed::HalfSurrogate,
            Malformed::EmptyCsv,
            Malformed::HeaderTooLong { max: 1_048_576 },
            Malformed::HeaderLineBreak {
                at: 1,
                first: 1,
                last: 3,
            },
            Malformed::ColumnNameNotUtf8 { column: 2 },
            Malformed::RowWidth {
                found: 5,
                wanted: Width {
                    named: 9,
                    columns: 11,
                },
                delimiter: ';',
            },
            Malformed::CellNotUtf8 {
                column: 5,
                offset: 2,
            },
            Malformed::UnnamedColumnValue {
                column: 13,
                text: "note".into(),
            },
            Malformed::InsideQuotedField { opened: 2 },
            Malformed::RowTooLong { run },
            Malformed::QuoteStillOpen { at: 2, run },
            Malformed::QuoteNeverClosed {
                at: 3,
                run: RowRun { start: 3, end: 4 },
            },
            Malformed::RowLineBreak {
                at: 2,
                run: RowRun { start: 2, end: 2 },
            },
        ] {
            kinds.push(ProblemKind::Malformed(m));
        }
        kinds
    }

    /// Words of English prose that a French message has no use for, outside backticks.
    fn english(text: &str) -> Vec<String> {
        let mut prose = String::new();
        let mut code = false;
        for c in text.chars() {
            if c == '`' {
                code = !code;
            } else if !code {
                prose.push(c);
            }
        }
        const WORDS: [&str; 16] = [
            "the", "is", "not", "and", "of", "with", "found", "expected", "line", "column",
            "missing", "cannot", "read", "file", "save", "which",
        ];
        prose
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| WORDS.contains(w))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_problem_is_worded_in_english_and_in_french() {
        for kind in samples() {
            let (en, en_expected) = problem(&kind, Lang::En);
            let (fr, fr_expected) = problem(&kind, Lang::Fr);
            assert_ne!(en, fr, "{kind:?}");
            assert_eq!(en_expected.is_some(), fr_expected.is_some(), "{kind:?}");
            for text in std::iter::once(&fr).chain(fr_expected.iter()) {
                // serde_json's and the CSV reader's own words stay as they are.
                let own = text
                    .replace("EOF while parsing", "")
                    .replace("UnequalLengths", "");
                assert!(english(&own).is_empty(), "{kind:?}: « {text} »");
            }
        }
    }

    #[test]
    fn every_encoding_verdict_is_worded_in_english_and_in_french() {
        for file in ["d.csv", "d.json", "r.forfait"] {
            for kind in [FileKind::Declarations, FileKind::Rulebook] {
                for looks_like in [
                    Guess::Windows1252,
                    Guess::Other("Shift_JIS"),
                    Guess::Workbook,
                    Guess::Unknown,
                    Guess::Damaged,
                ] {
                    for read_as in [Encoding::Utf8, Encoding::Utf16Le] {
                        let e = EncodingError {
                            file: file.into(),
                            line: 2,
                            read_as,
                            looks_like,
                            kind,
                        };
                        let fr = encoding(&e, Lang::Fr);
                        assert_ne!(encoding(&e, Lang::En), fr);
                        assert_eq!(e.to_string(), encoding(&e, Lang::En));
                        assert!(english(&fr).is_empty(), "« {fr} »");
                    }
                }
            }
        }
    }

    #[test]
    fn french_names_the_system_errors_it_knows() {
        let fr = read_failure(&failure(ErrorKind::NotFound), Lang::Fr);
        assert_eq!(
            fr,
            "impossible de lire d.csv après la ligne 3\u{a0}: fichier ou dossier introuvable"
        );
        // The others keep the system's words.
        assert!(read_failure(&failure(ErrorKind::Other), Lang::Fr).ends_with("(os error 5)"));
        assert_eq!(
            read_failure(&failure(ErrorKind::Other), Lang::En),
            "cannot read d.csv after line 3: Input/output error (os error 5)"
        );
    }
}
