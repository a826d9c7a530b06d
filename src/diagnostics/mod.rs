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

pub use error::*;
pub use report::Report;

use miette::{Diagnostic, Severity, SourceSpan};

/// The language a person reads messages in. Codes, the language's keywords (`met when`)
/// and the results written for programs do not change with it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// `en`, `fr`: as `--lang` takes it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language of a POSIX locale: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that
    /// is set and not empty decides (as POSIX ranks them for messages); French when it
    /// starts with `fr` (`fr_FR.UTF-8`, `fr_BE`, `fr`), else English (`C`, `en_US.UTF-8`,
    /// `de_DE`). The caller reads the environment and passes what it found.
    pub fn from_locale(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Lang {
        let locale = [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|value| !value.is_empty());
        match locale {
            Some(l) if l.starts_with("fr") => Lang::Fr,
            _ => Lang::En,
        }
    }
}

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

/// The closest candidate to `name`, if it is close enough to be a likely typo (the words
/// that suggest it are each language's: `did you mean`, `vouliez-vous dire`).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c.to_string())
}

/// "did you mean `x`?", in `lang`: for the messages of other phases (a declaration's
/// unknown field).
pub fn did_you_mean(name: &str, lang: Lang) -> String {
    words::did_you_mean(name, lang)
}

/// Edit distance on characters, counting a swap of two neighbours as one edit (the
/// commonest typo: `socel` for `socle`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["teletransmission", "messagerie", "socle"];
        assert_eq!(
            closest("teletransmision", names),
            Some("teletransmission".into())
        );
        assert_eq!(closest("socel", names), Some("socle".into()));
        assert_eq!(closest("horaires", names), None);
    }
}
