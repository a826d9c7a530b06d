//! Every problem forfait reports about a rulebook, and the language it is said in.
//!
//! - `error.rs`: the problems as data ([`Error`]: one variant per problem, with its fields,
//!   its labelled places, its code and its severity);
//! - `words/`: their words, one file per language (`en.rs`, `fr.rs`), each an exhaustive
//!   `match`, so that no variant goes without both;
//! - `report.rs`: a file's diagnostics with its source ([`Report`]), rendered for a person
//!   (miette's graphical report) or for a program (JSON), in a [`Lang`].
//!
//! Codes are `forfait::<phase>::<name>`, the same in every language; each has a section in
//! `docs/diagnostics.md` and a test case named after it under `tests/cases/check/`. The
//! library never reads the locale: the caller says which language ([`Lang::from_locale`]
//! reads the values the caller found).

mod error;
mod report;
mod words;

pub use crate::lang::{closest, Lang};
pub use error::*;
pub use report::Report;

use miette::{Diagnostic, Severity, SourceSpan};

/// What a diagnostic's help line starts with: `help:`, `aide :`.
pub fn help_label(lang: Lang) -> &'static str {
    words::help_heading(lang).unwrap_or("help:")
}

/// A diagnostic's texts in one language: what an editor or a language server shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Words {
    /// One line, lowercase, no final period.
    pub message: String,
    /// The advice, when there is one.
    pub help: Option<String>,
    /// The places the diagnostic points at, each with its words; the first is where the
    /// problem is (a second one, when there is one, is the place it conflicts with).
    pub labels: Vec<Label>,
}

/// A place in the rulebook, with what is said about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Bytes from the start of the rulebook.
    pub span: SourceSpan,
    pub text: String,
}

impl Error {
    /// The diagnostic's message, help and labels in `lang`: the one call for anything that
    /// shows a diagnostic (the command line, a language server). The code and the severity
    /// are the same in every language: `miette::Diagnostic::code`, [`Error::is_warning`].
    pub fn words(&self, lang: Lang) -> Words {
        let wording = words::wording(self, lang);
        let spans = Diagnostic::labels(self)
            .map(|labels| labels.map(|l| *l.inner()).collect::<Vec<SourceSpan>>())
            .unwrap_or_default();
        Words {
            message: wording.message,
            help: wording.help,
            labels: spans
                .into_iter()
                .zip(wording.labels)
                .map(|(span, text)| Label { span, text })
                .collect(),
        }
    }

    /// The message alone, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        words::wording(self, lang).message
    }

    /// `forfait::check::unknown_name`: the same in every language.
    pub fn code_name(&self) -> String {
        Diagnostic::code(self).map_or_else(String::new, |c| c.to_string())
    }

    /// A warning does not stop the rulebook from being used. The severity is declared on
    /// the variant (`severity(Warning)`), not listed here.
    pub fn is_warning(&self) -> bool {
        self.severity() == Some(Severity::Warning)
    }
}

/// "did you mean `x`?", in `lang`: for the messages of other phases (a declaration's
/// unknown field).
pub fn did_you_mean(name: &str, lang: Lang) -> String {
    words::did_you_mean(name, lang)
}
