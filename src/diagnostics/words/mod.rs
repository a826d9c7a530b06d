//! The words of every rulebook diagnostic, one file per language: `en.rs`, `fr.rs`. Each
//! is one exhaustive `match` over [`Error`]: a new variant does not compile until both
//! languages word it. A translator reads one file, from top to bottom.
//!
//! Each arm gives the message (lowercase, one line, no final period, the user's text in
//! backticks), the help when there is one, and one text per labelled place of the variant
//! (`#[label]` in `error.rs`, in the order of the fields).

mod en;
mod fr;

use super::{Error, Lang};

/// A diagnostic's texts in one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Wording {
    pub message: String,
    pub help: Option<String>,
    /// One per labelled place, in the order of the variant's fields.
    pub labels: Vec<String>,
}

impl Wording {
    fn new(message: impl Into<String>, help: Option<String>, labels: &[&str]) -> Wording {
        Wording {
            message: message.into(),
            help,
            labels: labels.iter().map(|l| (*l).to_string()).collect(),
        }
    }

    /// French typography: no line break before `:`, `;`, ... (`french::no_break_spaces`).
    fn typeset(self) -> Wording {
        let set = |t: &str| crate::french::no_break_spaces(t);
        Wording {
            message: set(&self.message),
            help: self.help.as_deref().map(set),
            labels: self.labels.iter().map(|l| set(l)).collect(),
        }
    }

    /// The same, with labels that say something of the variant's fields.
    fn with_labels(
        message: impl Into<String>,
        help: Option<String>,
        labels: Vec<String>,
    ) -> Wording {
        Wording {
            message: message.into(),
            help,
            labels,
        }
    }
}

pub(super) fn wording(error: &Error, lang: Lang) -> Wording {
    match lang {
        Lang::En => en::words(error),
        Lang::Fr => fr::words(error).typeset(),
    }
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``: keywords as written, with the
/// language's word for "or".
fn keywords(words: &[&str], or: &str) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    alternatives(&quoted, or)
}

/// `a`, `a or b`, `a, b or c`.
fn alternatives(items: &[String], or: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {or} {last}", init.join(", ")),
    }
}

/// `` `a`, `b` ``: names in backticks, joined by `separator`.
fn quoted(names: impl IntoIterator<Item = impl AsRef<str>>, separator: &str) -> String {
    names
        .into_iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect::<Vec<_>>()
        .join(separator)
}

/// "did you mean `x`?" in `lang`.
pub(super) fn did_you_mean(name: &str, lang: Lang) -> String {
    match lang {
        Lang::En => en::did_you_mean(name),
        Lang::Fr => crate::french::no_break_spaces(&fr::did_you_mean(name)),
    }
}

/// What the help line starts with, when forfait writes it (miette writes `help:` itself,
/// in English only): `None` for English.
pub(super) fn help_heading(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::En => None,
        Lang::Fr => Some(fr::HELP),
    }
}
