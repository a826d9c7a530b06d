//! Every problem forfait reports about a rulebook, as miette diagnostics.
//!
//! Codes are `forfait::<phase>::<name>`; each has a section in `docs/diagnostics.md` and a
//! test case named after it under `tests/cases/check/`. Messages are lowercase, one line,
//! with the user's text in backticks; the advice goes in `help`.

use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource, Severity, SourceSpan,
};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic, Clone)]
pub enum Error {
    #[error("{message}")]
    #[diagnostic(code(forfait::parse::syntax))]
    Syntax {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("`{text}` is not a number forfait can hold exactly")]
    #[diagnostic(
        code(forfait::parse::invalid_number),
        help("amounts and thresholds have at most 28 significant digits")
    )]
    InvalidNumber {
        text: String,
        #[label("this number")]
        span: SourceSpan,
    },

    #[error("`{text}` is not a date of the calendar")]
    #[diagnostic(
        code(forfait::parse::invalid_date),
        help("write dates as YEAR-MONTH-DAY, for example `2020-01-31`")
    )]
    InvalidDate {
        text: String,
        #[label("no such day")]
        span: SourceSpan,
    },

    #[error("unknown {kind} `{name}`")]
    #[diagnostic(code(forfait::check::unknown_name))]
    UnknownName {
        kind: &'static str,
        name: String,
        #[label("not defined in this rulebook")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{what} is defined twice")]
    #[diagnostic(code(forfait::check::duplicate_name))]
    DuplicateName {
        what: String,
        #[label("defined again here")]
        span: SourceSpan,
        #[label("first defined here")]
        first: SourceSpan,
        #[help]
        help: String,
    },

    #[error("`{name}` is reserved for the declaration's {what}")]
    #[diagnostic(code(forfait::check::reserved_name))]
    ReservedName {
        name: String,
        what: &'static str,
        #[label("reserved")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("{message}")]
    #[diagnostic(code(forfait::check::type_mismatch))]
    TypeMismatch {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("threshold `{text}` is not between 0 % and 100 %")]
    #[diagnostic(
        code(forfait::check::threshold_out_of_range),
        help("a rate of two counts lies between 0 % and 100 % (0/1 and 1/1); check the guide's figure")
    )]
    ThresholdOutOfRange {
        text: String,
        #[label("no rate can be compared with this")]
        span: SourceSpan,
    },

    #[error("`{value}` is not a value of `{input}`")]
    #[diagnostic(code(forfait::check::unknown_value))]
    UnknownValue {
        value: String,
        input: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("gating cycle: {cycle}")]
    #[diagnostic(
        code(forfait::check::gating_cycle),
        help(
            "a rule cannot wait on itself; remove one `requires` or group membership in the cycle"
        )
    )]
    GatingCycle {
        cycle: String,
        #[label("the cycle starts here")]
        span: SourceSpan,
    },

    #[error("`{name}` pays but does not say whether it waits on another rule")]
    #[diagnostic(
        code(forfait::check::missing_gating),
        help("add `requires NAME` before `pays` (paid only if the group or indicator NAME is met) or `independent` (paid whatever happens to the other rules)")
    )]
    MissingGating {
        name: String,
        #[label("this payment")]
        span: SourceSpan,
    },

    #[error("{message}")]
    #[diagnostic(code(forfait::check::invalid_gating))]
    InvalidGating {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(forfait::check::invalid_amount))]
    InvalidAmount {
        message: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("`{member}` belongs to two groups")]
    #[diagnostic(
        code(forfait::check::member_of_two_groups),
        help(
            "an indicator or group belongs to at most one group, so that its gate is unambiguous"
        )
    )]
    MemberOfTwoGroups {
        member: String,
        #[label("second membership")]
        span: SourceSpan,
        #[label("first membership")]
        first: SourceSpan,
    },

    #[error("stated total `{label}` is {stated}, but the rules can pay at most {computed}")]
    #[diagnostic(code(forfait::check::stated_total_mismatch))]
    StatedTotalMismatch {
        label: String,
        stated: String,
        computed: String,
        #[label("stated here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("stated total `{label}` cannot be verified: {reason}")]
    #[diagnostic(code(forfait::check::unverifiable_total))]
    UnverifiableTotal {
        label: String,
        reason: String,
        #[label("stated here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{name}` is never paid nor required by anything")]
    #[diagnostic(
        code(forfait::check::unused_rule),
        severity(Warning),
        help("put it in a group, give it `pays ...`, or name it in a `requires`; otherwise remove it")
    )]
    UnusedRule {
        name: String,
        #[label("has no effect on any amount")]
        span: SourceSpan,
    },

    #[error("input `{name}` is read by no rule")]
    #[diagnostic(
        code(forfait::check::unused_input),
        severity(Warning),
        help("remove it, or use it in a condition; declarations may still carry it")
    )]
    UnusedInput {
        name: String,
        #[label("never read")]
        span: SourceSpan,
    },

    #[error("list `{name}` is used by no condition")]
    #[diagnostic(
        code(forfait::check::unused_list),
        severity(Warning),
        help("use it with `in`, or remove it")
    )]
    UnusedList {
        name: String,
        #[label("never used")]
        span: SourceSpan,
    },

    #[error("the rulebook's name says {name_year}, but its `exercice` is {exercice}")]
    #[diagnostic(code(forfait::check::name_year_mismatch), severity(Warning))]
    NameYearMismatch {
        name_year: u16,
        exercice: u16,
        #[label("this year")]
        span: SourceSpan,
        #[label("the exercice")]
        exercice_span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("{}", payment_year_message(*.exercice, *.paid_in))]
    #[diagnostic(code(forfait::check::payment_year), severity(Warning))]
    PaymentYear {
        exercice: u16,
        paid_in: u16,
        #[label("the year of payment")]
        span: SourceSpan,
        #[label("the exercice")]
        exercice_span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("the file name `{file_name}` says {file_year}, but the `exercice` is {exercice}")]
    #[diagnostic(code(forfait::check::file_name_year_mismatch), severity(Warning))]
    FileNameYearMismatch {
        file_name: String,
        file_year: u16,
        exercice: u16,
        #[label("the exercice")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("the rulebook is too large or too deeply nested to read: {what}")]
    #[diagnostic(
        code(forfait::parse::limit),
        help("split the condition into several indicators or groups; forfait refuses such files rather than risk hanging")
    )]
    ParseLimit {
        what: String,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("the condition is too deeply nested to check: {what}")]
    #[diagnostic(
        code(forfait::check::limit),
        help("split the condition into several indicators or groups")
    )]
    Limit {
        what: String,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("the groups are too deeply nested to check: {what}")]
    #[diagnostic(
        code(forfait::check::limit),
        help("put the indicators in fewer levels of groups; the guides' tables nest two deep")
    )]
    GroupLimit {
        what: String,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("internal error in forfait: the parser and its lowering disagree")]
    #[diagnostic(
        code(forfait::internal),
        help("this is a bug in forfait; please report it with the rulebook")
    )]
    Internal,
}

impl Error {
    /// A warning does not stop the rulebook from being used. The severity is declared on
    /// the variant (`severity(Warning)`), not listed here.
    pub fn is_warning(&self) -> bool {
        self.severity() == Some(Severity::Warning)
    }
}

/// The schemes pay the year after the exercice (N+1): what else `paid in` says.
fn payment_year_message(exercice: u16, paid_in: u16) -> String {
    if paid_in < exercice {
        format!("paid in {paid_in}, before the exercice {exercice} it pays for")
    } else if paid_in == exercice {
        format!("paid in {paid_in}, the exercice's own year")
    } else {
        format!(
            "paid in {paid_in}, {} years after the exercice {exercice}",
            paid_in - exercice
        )
    }
}

/// The diagnostics of one rulebook file, with its source, ready to render.
#[derive(Debug, Clone)]
pub struct Report {
    pub source: NamedSource<Arc<str>>,
    pub diagnostics: Vec<Error>,
}

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

    /// Renders every diagnostic as a person reads it: no colour, 100 columns, no links, so
    /// that the output is the same on every terminal and in snapshots.
    pub fn render_human(&self) -> String {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_links(false);
        let mut out = String::new();
        for diagnostic in &self.diagnostics {
            let report =
                miette::Report::new(diagnostic.clone()).with_source_code(self.source.clone());
            if handler.render_report(&mut out, report.as_ref()).is_err() {
                out.push_str(&diagnostic.to_string());
            }
            out.push('\n');
        }
        out
    }

    /// One JSON object per diagnostic, for editors and CI: `code`, `severity`, `message`,
    /// `help`, `file`, and `labels` with their byte `offset`, `length`, 1-based `line` and
    /// `column` (in characters). Written with serde, so any text in it is escaped.
    pub fn render_json(&self) -> String {
        let source: &str = self.source.inner();
        let items: Vec<serde_json::Value> = self
            .diagnostics
            .iter()
            .map(|d| {
                let labels: Vec<serde_json::Value> = d
                    .labels()
                    .map(|labels| {
                        labels
                            .map(|l| {
                                let offset = l.offset().min(source.len());
                                let before = source.get(..offset).unwrap_or("");
                                let line = before.matches('\n').count() + 1;
                                let column =
                                    before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
                                serde_json::json!({
                                    "label": l.label(),
                                    "offset": l.offset(),
                                    "length": l.len(),
                                    "line": line,
                                    "column": column,
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                serde_json::json!({
                    "code": d.code().map(|c| c.to_string()),
                    "severity": if d.is_warning() { "warning" } else { "error" },
                    "message": d.to_string(),
                    "help": d.help().map(|h| h.to_string()),
                    "file": self.source.name(),
                    "labels": labels,
                })
            })
            .collect();
        serde_json::to_string(&items).unwrap_or_else(|_| "[]".into())
    }
}

/// The closest candidate to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| format!("did you mean `{c}`?"))
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
            did_you_mean("teletransmision", names),
            Some("did you mean `teletransmission`?".into())
        );
        assert_eq!(
            did_you_mean("socel", names),
            Some("did you mean `socle`?".into())
        );
        assert_eq!(did_you_mean("horaires", names), None);
    }
}
