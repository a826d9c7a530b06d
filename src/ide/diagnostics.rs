//! `parse`'s and `check`'s diagnostics as an editor shows them, with the fixes some carry.

use miette::Diagnostic as _;

use crate::diagnostics::{Error, Lang, Unit, ValueHint, Words};
use crate::syntax::ast::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// Another place a diagnostic points at (`first defined here`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// A replacement of `span` by `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// A change that resolves a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// `forfait::check::unknown_name`
    pub code: Option<String>,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// Where it is: its first label.
    pub span: Span,
    /// That label's own words (`not defined in this rulebook`).
    pub label: Option<String>,
    /// Its other labels.
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

fn span(offset: usize, len: usize, text: &str) -> Span {
    let start = offset.min(text.len());
    Span::new(start, offset.saturating_add(len).min(text.len()))
}

/// The diagnostic as an editor shows it, worded in `lang`.
pub fn diagnostic(error: &Error, text: &str, lang: Lang) -> Diagnostic {
    let Words {
        message,
        help,
        labels,
    } = error.words(lang);
    let labels: Vec<(Span, Option<String>)> = labels
        .into_iter()
        .map(|l| (span(l.span.offset(), l.span.len(), text), Some(l.text)))
        .collect();
    let (primary, label) = labels.first().cloned().unwrap_or((Span::new(0, 0), None));
    Diagnostic {
        code: error.code().map(|c| c.to_string()),
        severity: if error.is_warning() {
            Severity::Warning
        } else {
            Severity::Error
        },
        message,
        help,
        span: primary,
        label,
        related: labels
            .iter()
            .skip(1)
            .map(|(span, label)| Related {
                span: *span,
                message: label.clone().unwrap_or_default(),
            })
            .collect(),
        fixes: fixes(error, text),
    }
}

fn replace(title: String, span: Span, text: String) -> Vec<Fix> {
    vec![Fix {
        title,
        edits: vec![Edit { span, text }],
    }]
}

/// The fixes a diagnostic's own fields make certain; none for the others.
fn fixes(error: &Error, text: &str) -> Vec<Fix> {
    let span_of = |s: &miette::SourceSpan| span(s.offset(), s.len(), text);
    match error {
        Error::UnknownName {
            span: s,
            suggestion: Some(name),
            ..
        }
        | Error::UnknownValue {
            span: s,
            hint: ValueHint::DidYouMean(name),
            ..
        } => replace(format!("replace with `{name}`"), span_of(s), name.clone()),
        Error::StatedTotalMismatch {
            computed,
            unit,
            span: s,
            ..
        } => {
            let unit = match unit {
                Unit::Euros => "EUR",
                Unit::Points => "points",
            };
            let amount = format!("{} {unit}", computed.normalize());
            replace(
                format!("update the stated total to `{amount}`, the most the rules pay"),
                span_of(s),
                amount,
            )
        }
        Error::DecimalComma {
            with_point,
            span: s,
            ..
        } => replace(
            format!("write `{with_point}`"),
            span_of(s),
            with_point.clone(),
        ),
        Error::Slip { slip, span: s } => match slip.replacement() {
            Some(fix) => replace(format!("write `{fix}`"), span_of(s), fix),
            None => Vec::new(),
        },
        Error::AccentedName {
            unaccented,
            span: s,
            ..
        } => replace(
            format!("write `{unaccented}`"),
            span_of(s),
            unaccented.clone(),
        ),
        Error::YesNoWord { write, span: s, .. } => {
            replace(format!("write `{write}`"), span_of(s), (*write).to_string())
        }
        Error::AndInsideOr {
            parenthesised,
            span: s,
        } => replace(
            "write the parentheses".into(),
            span_of(s),
            parenthesised.clone(),
        ),
        Error::MissingGating { span: s, .. } => {
            // `independent` on its own line before `pays`, at the same indentation.
            let at = span_of(s).start;
            let before = text.get(..at).unwrap_or("");
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let indent: String = before
                .get(line_start..)
                .unwrap_or("")
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            vec![Fix {
                title: "add `independent` (paid whatever happens to the other rules)".into(),
                edits: vec![Edit {
                    span: Span::new(at, at),
                    text: format!("independent\n{indent}"),
                }],
            }]
        }
        _ => Vec::new(),
    }
}
