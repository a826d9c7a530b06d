//! `forfait explain`: one declaration's whole reasoning as a tree, from the trace `eval`
//! kept, citing the guide section of each rule.

use super::text::{payment_reason, short_hash};
use crate::eval::{Outcome, Status};
use crate::french::{self, explain, Explained};
use crate::model::{CompiledRulebook, Target};

/// A node of the explanation tree: a payment line, a rule, a condition or one of its
/// parts, worded in French.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// An indicator's or a group's status, on the line that names it.
    pub status: Option<Status>,
    /// Whether a condition's part holds (its text starts `oui :` / `non :`).
    pub holds: Option<bool>,
    pub children: Vec<Line>,
}

impl Line {
    fn new(text: String, children: Vec<Line>) -> Line {
        Line {
            text,
            status: None,
            holds: None,
            children,
        }
    }
}

/// The tree `forfait explain` prints, beneath its heading: one root per payment line.
pub fn tree(rulebook: &CompiledRulebook, outcome: &Outcome) -> Vec<Line> {
    let mut roots = Vec::new();
    // A gate is detailed where it pays, or the first time it is required; afterwards a
    // reference is enough.
    let mut detailed: Vec<Target> = rulebook.payments.iter().map(|p| p.owner).collect();
    for (p, payment) in rulebook.payments.iter().enumerate() {
        let line = &outcome.payments[p];
        let mut children = vec![target_line(rulebook, outcome, payment.owner)];
        for gate in rulebook.gates(payment.owner) {
            let status = french::status(outcome.status_of(*gate));
            let name = rulebook.target_name(*gate);
            if detailed.contains(gate) {
                children.push(Line::new(
                    format!("requiert « {name} » : {status} (détaillé à sa ligne)"),
                    Vec::new(),
                ));
            } else {
                detailed.push(*gate);
                children.push(Line::new(
                    format!("requiert « {name} » : {status}"),
                    vec![target_line(rulebook, outcome, *gate)],
                ));
            }
        }
        roots.push(Line::new(
            format!(
                "{} : {} — {}",
                rulebook.target_name(payment.owner),
                french::euros(line.euros),
                payment_reason(rulebook, outcome, p)
            ),
            children,
        ));
    }
    roots
}

pub fn render(rulebook: &CompiledRulebook, outcome: &Outcome) -> String {
    let meta = &rulebook.meta;
    let roots = tree(rulebook, outcome);
    let mut out = format!(
        "Déclaration {} : {} au total\n{} ({}, {})\nGuide : {}\n",
        outcome.declaration_id,
        french::euros(outcome.total_euros),
        meta.title,
        meta.name,
        short_hash(&meta.content_hash),
        meta.guide
    );
    let count = roots.len();
    for (i, root) in roots.iter().enumerate() {
        print(root, "", i + 1 == count, &mut out);
    }
    out
}

/// An indicator or group with its status, section and reasons.
fn target_line(rulebook: &CompiledRulebook, outcome: &Outcome, target: Target) -> Line {
    match target {
        Target::Group(g) => {
            let group = &rulebook.groups[g];
            let o = &outcome.groups[g];
            let section = group
                .section
                .as_deref()
                .map(|s| format!(" ({})", french::section(s)))
                .unwrap_or_default();
            Line {
                status: Some(o.status),
                ..Line::new(
                    format!(
                        "{} « {} »{section} : {} ({})",
                        group.head.name,
                        group.head.label,
                        french::status(o.status),
                        french::members_met(o.members_met, o.members_counted)
                    ),
                    group
                        .members
                        .iter()
                        .map(|m| target_line(rulebook, outcome, *m))
                        .collect(),
                )
            }
        }
        Target::Indicator(i) => {
            let ind = &rulebook.indicators[i];
            let o = &outcome.indicators[i];
            let mut children = Vec::new();
            if let (Some(a), Some(trace)) = (&ind.applies, &o.applies) {
                children.push(condition_line(
                    format!("s'applique si {}", a.text),
                    explain(rulebook, &a.expr, trace, &outcome.values),
                ));
            }
            match o.status {
                Status::Neutralised => {
                    if let Some(n) = o.neutralised_by.and_then(|n| ind.neutralisations.get(n)) {
                        children.push(Line::new(french::neutralised(&n.words), Vec::new()));
                    }
                    if let Some(trace) = o.met.as_ref().filter(|t| !t.nodes.is_empty()) {
                        children.push(condition_line(
                            format!("pour information, atteint si {}", ind.met.text),
                            explain(rulebook, &ind.met.expr, trace, &outcome.values),
                        ));
                    }
                }
                Status::Met | Status::NotMet => {
                    if let Some(trace) = &o.met {
                        children.push(condition_line(
                            format!("atteint si {}", ind.met.text),
                            explain(rulebook, &ind.met.expr, trace, &outcome.values),
                        ));
                    }
                    if o.status == Status::NotMet {
                        if let Some(t) = o.total_if_met {
                            children.push(Line::new(
                                format!(
                                    "s'il était atteint, le total serait de {}",
                                    french::euros(t)
                                ),
                                Vec::new(),
                            ));
                        }
                    }
                }
                Status::NotApplicable => {}
            }
            if let Some(evidence) = &ind.evidence {
                children.push(Line::new(format!("justificatif : {evidence}"), Vec::new()));
            }
            for quote in &ind.head.quotes {
                children.push(Line::new(format!("guide : « {quote} »"), Vec::new()));
            }
            Line {
                status: Some(o.status),
                ..Line::new(
                    format!(
                        "{} « {} » ({}) : {}",
                        ind.head.name,
                        ind.head.label,
                        french::section(&ind.section),
                        french::status(o.status)
                    ),
                    children,
                )
            }
        }
    }
}

fn condition_line(title: String, explained: Explained) -> Line {
    Line::new(title, vec![explained_line(explained)])
}

fn explained_line(e: Explained) -> Line {
    Line {
        holds: Some(e.holds),
        ..Line::new(
            format!("{} {}", if e.holds { "oui :" } else { "non :" }, e.text),
            e.children.into_iter().map(explained_line).collect(),
        )
    }
}

fn print(line: &Line, prefix: &str, last: bool, out: &mut String) {
    out.push_str(prefix);
    out.push_str(if last { "└── " } else { "├── " });
    out.push_str(&line.text);
    out.push('\n');
    let child_prefix = format!("{prefix}{}", if last { "    " } else { "│   " });
    let count = line.children.len();
    for (i, child) in line.children.iter().enumerate() {
        print(child, &child_prefix, i + 1 == count, out);
    }
}
