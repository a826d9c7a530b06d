//! `forfait diff --format json`: the changes with their Markdown text, and the impact with
//! amounts as strings with two decimals.

use rust_decimal::Decimal;
use serde_json::{json, Value as Json};

use super::words::{cause_text, sentence, summary_line, threshold_text};
use super::{Compared, TOP};
use crate::diff::{Cause, Change, DeclarationImpact, Diff, Impact, SideResult as Side, Summary};
use crate::model::CompiledRulebook;

/// Money in JSON: a string with two decimals, as in the evaluation contract.
fn money(amount: Decimal) -> String {
    let mut a = amount;
    a.rescale(2);
    a.to_string()
}

fn meta_json(rb: &CompiledRulebook, source: &str) -> Json {
    json!({
        "source": source,
        "name": rb.meta.name,
        "title": rb.meta.title,
        "scheme": rb.meta.scheme,
        "exercice": rb.meta.exercice,
        "hash": rb.meta.content_hash,
    })
}

pub fn change_json(change: &Change) -> Json {
    json!({
        "part": change.part.as_str(),
        "kind": change.kind.as_str(),
        "rule": change.rule,
        "old": change.old,
        "new": change.new,
        "notes": change.notes,
        "text": sentence(change),
    })
}

fn result_json(r: &Side) -> Json {
    match r {
        Side::Paid(d) => json!({"status": "evaluated", "euros": money(*d)}),
        Side::NotCovered => json!({"status": "not_covered"}),
        Side::Rejected(reason) => json!({"status": "rejected", "reason": reason}),
    }
}

fn summary_json(s: &Summary) -> Json {
    json!({
        "declarations": s.declarations,
        "gain": s.gain,
        "gain_euros": money(s.gain_euros),
        "lose": s.lose,
        "lose_euros": money(s.lose_euros),
        "unchanged": s.unchanged,
        "rejected": {
            "old_only": s.rejected_old_only,
            "new_only": s.rejected_new_only,
            "both": s.rejected_both,
            "not_covered": s.not_covered,
        },
        "old_total": money(s.old_total),
        "new_total": money(s.new_total),
        "difference": money(s.difference()),
        "old_only_total": money(s.old_only_total),
        "new_only_total": money(s.new_only_total),
    })
}

fn declaration_json(d: &DeclarationImpact) -> Json {
    json!({
        "id": d.id,
        "file": d.file,
        "profession": d.profession,
        "old": result_json(&d.old),
        "new": result_json(&d.new),
        "difference": d.difference().map(money),
    })
}

fn declarations_json<'a>(declarations: impl IntoIterator<Item = &'a DeclarationImpact>) -> Json {
    declarations.into_iter().map(declaration_json).collect()
}

pub fn impact_json(c: &Compared<'_>, impact: &Impact, changes: &[Change]) -> Json {
    let lines: Vec<Json> = impact
        .lines
        .iter()
        .map(|line| {
            let causes: Vec<Json> = line
                .causes
                .iter()
                .map(|cause| {
                    json!({
                        "text": cause_text(line, &cause.cause, changes, c),
                        "changes": cause_changes(&cause.cause),
                        "difference": money(cause.difference),
                        "declarations": cause.declarations,
                        "examples": cause.examples,
                    })
                })
                .collect();
            json!({
                "line": line.line,
                "old_name": line.old_name,
                "new_name": line.new_name,
                "difference": money(line.difference),
                "declarations": line.declarations,
                "causes": causes,
            })
        })
        .collect();
    let professions: Vec<Json> = impact
        .professions()
        .iter()
        .map(|(p, s)| {
            let mut j = summary_json(s);
            if let Some(obj) = j.as_object_mut() {
                obj.insert("profession".into(), json!(p));
            }
            j
        })
        .collect();
    let thresholds: Vec<Json> = impact
        .thresholds
        .iter()
        .map(|t| {
            json!({
                "change": t.change,
                "rule": t.rule,
                "old": t.old,
                "new": t.new,
                "declarations_between": t.between,
                "measured": t.between > 0,
                "text": threshold_text(t),
            })
        })
        .collect();
    json!({
        "files": impact.files,
        "summary": summary_json(&impact.summary()),
        "summary_text": summary_line(&impact.summary(), c),
        "lines": lines,
        "professions": professions,
        "thresholds": thresholds,
        "biggest_gains": declarations_json(impact.biggest_gains(TOP)),
        "biggest_losses": declarations_json(impact.biggest_losses(TOP)),
        "declarations": declarations_json(&impact.declarations),
    })
}

/// The changelog entries a cause cites, by index in `changes`.
fn cause_changes(cause: &Cause) -> Vec<usize> {
    let mut found: Vec<usize> = Vec::new();
    let mut add = |k: usize| {
        if !found.contains(&k) {
            found.push(k);
        }
    };
    match cause {
        Cause::OnlyNew | Cause::OnlyOld => {}
        Cause::Amount { changes, .. } => changes.iter().for_each(|k| add(*k)),
        Cause::Status {
            leaves, changes, ..
        } => {
            leaves
                .iter()
                .flat_map(|l| l.changes.iter())
                .chain(changes.iter())
                .for_each(|k| add(*k));
        }
    }
    found
}

/// `{"old": ..., "new": ..., "identical": ..., "changes": [...], "impact": {...}}`; the
/// impact only when declarations were given.
pub fn json(c: &Compared<'_>, diff: &Diff) -> String {
    let mut doc = json!({
        "old": meta_json(c.old, c.old_source),
        "new": meta_json(c.new, c.new_source),
        "identical": diff.is_empty(),
        "changes": diff.changes.iter().map(change_json).collect::<Vec<_>>(),
    });
    if let (Some(impact), Some(obj)) = (&diff.impact, doc.as_object_mut()) {
        obj.insert("impact".into(), impact_json(c, impact, &diff.changes));
    }
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
