//! `forfait diff` as a plain-French changelog in Markdown, ready to paste into a pull
//! request (the impact first, then the rule changes, then the impact's details), or JSON.
//!
//! This file holds what both renderings share: the rulebooks compared and how the text
//! names each side; `words` puts changes and causes into French sentences, `markdown` and
//! `json` lay them out.

mod html;
mod json;
mod markdown;
mod review;
mod words;

use crate::model::CompiledRulebook;

pub use html::html;
pub use json::{change_json, impact_json, json};
pub use markdown::{markdown, markdown_in, sides_line, title_line, Layout};
pub use review::{review, Reviewed, Revisions, RulebookChange, Tests};
pub use words::{cause_text, changed_words, sentence, summary_line, threshold_text};

/// The two rulebooks compared, and how the user named them (a path, or `REV:PATH`).
#[derive(Clone, Copy, Debug)]
pub struct Compared<'a> {
    pub old: &'a CompiledRulebook,
    pub new: &'a CompiledRulebook,
    pub old_source: &'a str,
    pub new_source: &'a str,
}

/// How many declarations the lists of biggest gains and losses show.
pub const TOP: usize = 10;

/// How the text names each side: by exercice (`en 2024`), or, for two versions of one
/// exercice, `auparavant` / `désormais`.
struct Sides {
    /// Column headings: `2023` / `2024`, or `avant` / `après`.
    old: String,
    new: String,
    /// `None` for two versions of one exercice.
    years: Option<(u16, u16)>,
}

impl Sides {
    fn of(c: &Compared<'_>) -> Sides {
        let (a, b) = (c.old.meta.exercice, c.new.meta.exercice);
        if a == b {
            Sides {
                old: "avant".into(),
                new: "après".into(),
                years: None,
            }
        } else {
            Sides {
                old: a.to_string(),
                new: b.to_string(),
                years: Some((a, b)),
            }
        }
    }

    /// `non atteint en 2024`, `désormais non atteint`.
    fn now(&self, what: &str) -> String {
        match self.years {
            Some((_, b)) => format!("{what} en {b}"),
            None => format!("désormais {what}"),
        }
    }

    /// `atteint en 2023`, `auparavant atteint`.
    fn before(&self, what: &str) -> String {
        match self.years {
            Some((a, _)) => format!("{what} en {a}"),
            None => format!("auparavant {what}"),
        }
    }

    /// `ajouté en 2024`, `ajouté`: an event of the new side.
    fn event(&self, what: &str) -> String {
        match self.years {
            Some((_, b)) => format!("{what} en {b}"),
            None => what.to_string(),
        }
    }

    /// `par 2024`, `par la nouvelle version`.
    fn by_new(&self) -> String {
        match self.years {
            Some((_, b)) => format!("par {b}"),
            None => "par la nouvelle version".into(),
        }
    }

    fn by_old(&self) -> String {
        match self.years {
            Some((a, _)) => format!("par {a}"),
            None => "par l'ancienne version".into(),
        }
    }
}
