//! `parse`'s and `check`'s diagnostics as an editor shows them, with the fixes some carry.

use miette::Diagnostic as _;

use crate::diagnostics::{Error, Unit, ValueHint, Words};
use crate::lang::Lang;
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
    /// What the editor offers it as (`write `and``), in the diagnostics' language.
    pub title: String,
    pub edits: Vec<Edit>,
}

/// What a fix does, worded by `ide::words` in each language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FixKind {
    /// A name or value for the unknown one: "did you mean".
    Replace(String),
    /// The text a slip's help says to write.
    Write(String),
    /// A stated total set to the most the rules pay (`1240 EUR`).
    StatedTotal(String),
    /// `independent` added before `pays`.
    AddIndependent,
    /// The parentheses around an `and` inside an `or`.
    Parentheses,
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
        fixes: fixes(error, text, lang),
    }
}

/// The fixes a diagnostic's own fields make certain; none for the others.
fn fixes(error: &Error, text: &str, lang: Lang) -> Vec<Fix> {
    let span_of = |s: &miette::SourceSpan| span(s.offset(), s.len(), text);
    let replace = |kind: FixKind, span: Span, text: String| {
        vec![Fix {
            title: kind.title(lang),
            edits: vec![Edit { span, text }],
        }]
    };
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
        } => replace(FixKind::Replace(name.clone()), span_of(s), name.clone()),
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
            replace(FixKind::StatedTotal(amount.clone()), span_of(s), amount)
        }
        Error::DecimalComma {
            with_point,
            span: s,
            ..
        } => replace(
            FixKind::Write(with_point.clone()),
            span_of(s),
            with_point.clone(),
        ),
        Error::Slip { slip, span: s } => match slip.replacement() {
            Some(fix) => replace(FixKind::Write(fix.clone()), span_of(s), fix),
            None => Vec::new(),
        },
        Error::AccentedName {
            unaccented,
            span: s,
            ..
        } => replace(
            FixKind::Write(unaccented.clone()),
            span_of(s),
            unaccented.clone(),
        ),
        Error::YesNoWord { write, span: s, .. } => {
            replace(FixKind::Write((*write).into()), span_of(s), (*write).into())
        }
        Error::AndInsideOr {
            parenthesised,
            span: s,
        } => replace(FixKind::Parentheses, span_of(s), parenthesised.clone()),
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
                title: FixKind::AddIndependent.title(lang),
                edits: vec![Edit {
                    span: Span::new(at, at),
                    text: format!("independent\n{indent}"),
                }],
            }]
        }
        _ => Vec::new(),
    }
}
