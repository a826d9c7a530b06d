//! A rulebook file's diagnostics with its source, rendered in a language: miette's
//! graphical report for a person, JSON for editors and CI.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode,
};

use super::{words, Error, Lang, Words};

/// The diagnostics of one rulebook file, with its source, ready to render.
#[derive(Debug, Clone)]
pub struct Report {
    pub source: NamedSource<Arc<str>>,
    pub diagnostics: Vec<Error>,
}

/// The width reports are laid out in, whatever the terminal (stable output).
const WIDTH: usize = 100;

impl Report {
    pub fn new(file_name: &str, source: Arc<str>, diagnostics: Vec<Error>) -> Report {
        Report {
            source: NamedSource::new(file_name, source),
            diagnostics,
        }
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.is_warning()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_warning()).count()
    }

    /// [`Report::render_human_in`] English.
    pub fn render_human(&self) -> String {
        self.render_human_in(Lang::En)
    }

    /// [`Report::render_json_in`] English.
    pub fn render_json(&self) -> String {
        self.render_json_in(Lang::En)
    }

    /// Renders every diagnostic as a person reads it, in `lang`: no colour, 100 columns, no
    /// links, so that the output is the same on every terminal and in snapshots.
    ///
    /// miette writes the code, the message and the underlined lines; its help line begins
    /// with the English `help:`, which it does not let a caller change, so in another
    /// language forfait writes the help line itself, laid out the same way (`aide : ...`).
    pub fn render_human_in(&self, lang: Lang) -> String {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(WIDTH)
            .with_links(false);
        let heading = words::help_heading(lang);
        let mut out = String::new();
        for error in &self.diagnostics {
            let words = error.words(lang);
            let localized = Localized {
                error,
                words: &words,
                source: &self.source,
                help_by_miette: heading.is_none(),
            };
            if handler.render_report(&mut out, &localized).is_err() {
                out.push_str(&words.message);
            }
            if let (Some(heading), Some(help)) = (heading, &words.help) {
                out.push_str(&wrap(help, &format!("  {heading} "), WIDTH - 2));
            }
            out.push('\n');
        }
        out
    }

    /// One JSON object per diagnostic, for editors and CI: `code`, `severity`, `message`,
    /// `help`, `file`, and `labels` with their byte `offset`, `length`, 1-based `line` and
    /// `column` (in characters). The texts are in `lang`; the keys and codes never change.
    /// Written with serde, so any text in it is escaped.
    pub fn render_json_in(&self, lang: Lang) -> String {
        let source: &str = self.source.inner();
        let items: Vec<serde_json::Value> = self
            .diagnostics
            .iter()
            .map(|d| {
                let words = d.words(lang);
                let labels: Vec<serde_json::Value> = words
                    .labels
                    .iter()
                    .map(|l| {
                        let offset = l.span.offset().min(source.len());
                        let before = source.get(..offset).unwrap_or("");
                        let line = before.matches('\n').count() + 1;
                        let column =
                            before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
                        serde_json::json!({
                            "label": l.text,
                            "offset": l.span.offset(),
                            "length": l.span.len(),
                            "line": line,
                            "column": column,
                        })
                    })
                    .collect();
                serde_json::json!({
                    "code": d.code().map(|c| c.to_string()),
                    "severity": if d.is_warning() { "warning" } else { "error" },
                    "message": words.message,
                    "help": words.help,
                    "file": self.source.name(),
                    "labels": labels,
                })
            })
            .collect();
        serde_json::to_string(&items).unwrap_or_else(|_| "[]".into())
    }
}

/// An error with its words in one language and its source, as miette renders it.
struct Localized<'a> {
    error: &'a Error,
    words: &'a Words,
    source: &'a NamedSource<Arc<str>>,
    /// Whether miette writes the help line (in English only: its `help:`).
    help_by_miette: bool,
}

impl fmt::Debug for Localized<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.error, f)
    }
}

impl fmt::Display for Localized<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words.message)
    }
}

impl std::error::Error for Localized<'_> {}

impl Diagnostic for Localized<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.error.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.error.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        match (&self.words.help, self.help_by_miette) {
            (Some(help), true) => Some(Box::new(help)),
            _ => None,
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.words.labels.iter().map(|l| {
            LabeledSpan::new_with_span(Some(l.text.clone()), l.span)
        })))
    }
}

/// `text` after `first` (the heading), broken at spaces into lines of at most `width`
/// characters, the lines after the first indented under the text; each line ends with a
/// line break.
fn wrap(text: &str, first: &str, width: usize) -> String {
    let indent = " ".repeat(first.chars().count());
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split(' ') {
        let length = line.chars().count() + usize::from(!empty) + word.chars().count();
        if !empty && length > width {
            out.push_str(&line);
            out.push('\n');
            line = indent.clone();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn help_lines_wrap_under_their_text() {
        assert_eq!(
            wrap("un deux trois", "  aide : ", 20),
            "  aide : un deux\n         trois\n"
        );
        assert_eq!(wrap("court", "  aide : ", 20), "  aide : court\n");
    }
}
