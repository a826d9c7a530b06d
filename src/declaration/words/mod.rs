//! The words of declaration problems, rejections, read errors and encoding verdicts, one
//! file per language (`en.rs`, `fr.rs`), each an exhaustive `match` over the data of
//! `problem.rs` and `encoding.rs`. English is what results files carry (`message`,
//! `expected`); French is for the terminal.

mod en;
mod fr;

use super::encoding::EncodingError;
use super::problem::{IoFailure, ProblemKind, ReadFailure};
use super::Rejection;
use crate::diagnostics::Lang;
use crate::french::no_break_spaces;
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
fn is_csv(file: &str) -> bool {
    file.to_ascii_lowercase().ends_with(".csv")
}
