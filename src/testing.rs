//! `forfait test`: the test cases kept beside a rulebook, and what they leave untested.
//!
//! A rulebook `X.forfait` has its cases in `X.examples/`: one declaration per `NAME.json`,
//! and `expected.csv` with a row per case: `example,total_eur`, then optionally one column
//! per indicator (named after it) holding the expected status (`met`, `not_met`,
//! `neutralised`, `not_applicable`; an empty cell checks nothing). An expected total of
//! `error` means the declaration must be rejected.

use std::collections::BTreeMap;

use crate::declaration::{self, InputFormat, ReadOptions, Record};
use crate::eval::{evaluate, ConditionTrace, EvalOptions, Outcome, PaymentStatus, Status};
use crate::model::{CompiledRulebook, Expr};

/// One row of `expected.csv`.
#[derive(Clone, Debug)]
pub struct Case {
    pub example: String,
    /// The expected total in euros (`490.00`, or `490`: compared as amounts), or `None` when
    /// the declaration must be rejected (`error`).
    pub total: Option<rust_decimal::Decimal>,
    /// Expected statuses, by indicator name.
    pub statuses: BTreeMap<String, String>,
}

/// Reads `expected.csv`. Errors name the line and say what was expected.
pub fn read_expectations(rulebook: &CompiledRulebook, text: &str) -> Result<Vec<Case>, String> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the header: {e}"))?
        .clone();
    if headers.get(0) != Some("example") || headers.get(1) != Some("total_eur") {
        return Err("the header must start with `example,total_eur`".into());
    }
    for name in headers.iter().skip(2) {
        if !rulebook.indicators.iter().any(|i| i.head.name == name) {
            return Err(format!(
                "column `{name}` is not an indicator of `{}`",
                rulebook.meta.name
            ));
        }
    }
    let mut cases = Vec::new();
    // The line each example is listed on: a case listed twice would count twice.
    let mut listed: BTreeMap<String, u64> = BTreeMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| format!("unreadable row: {e}"))?;
        let line = row.position().map_or(0, |p| p.line());
        let example = row.get(0).unwrap_or("").trim().to_string();
        if example.is_empty() {
            return Err(format!("line {line}: the row names no example"));
        }
        if let Some(first) = listed.insert(example.clone(), line) {
            return Err(format!(
                "line {line}: example `{example}` is listed twice (first on line {first}); keep one row"
            ));
        }
        let total = row.get(1).unwrap_or("").trim();
        let total = match total {
            "error" => None,
            t if t.parse::<rust_decimal::Decimal>().is_ok() => t.parse().ok(),
            t => {
                return Err(format!(
                    "line {line}: total `{t}` is neither an amount (`490.00`) nor `error`"
                ))
            }
        };
        let mut statuses = BTreeMap::new();
        for (name, cell) in headers.iter().zip(row.iter()).skip(2) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            if !["met", "not_met", "neutralised", "not_applicable"].contains(&cell) {
                return Err(format!(
                    "line {line}: status `{cell}` for `{name}` is not met, not_met, neutralised or not_applicable"
                ));
            }
            statuses.insert(name.to_string(), cell.to_string());
        }
        cases.push(Case {
            example,
            total,
            statuses,
        });
    }
    Ok(cases)
}

/// What running one case found.
#[derive(Clone, Debug)]
pub struct CaseResult {
    pub case: Case,
    /// The outcome, when the declaration was evaluated.
    pub outcome: Option<Outcome>,
    /// Why it was rejected, when it was.
    pub rejection: Option<String>,
    /// Each way the result differs from the expectation; empty when the case passes.
    pub failures: Vec<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs one case: `text` is the content of the case's declaration file.
pub fn run_case(rulebook: &CompiledRulebook, file: &str, text: &str, case: &Case) -> CaseResult {
    let records = declaration::read_str(
        rulebook,
        file,
        text,
        InputFormat::from_path(file),
        ReadOptions::default(),
    );
    let mut result = CaseResult {
        case: case.clone(),
        outcome: None,
        rejection: None,
        failures: Vec::new(),
    };
    if records.len() != 1 {
        result.failures.push(format!(
            "{file} holds {} declarations; a case holds one",
            records.len()
        ));
        return result;
    }
    let options = EvalOptions::default();
    match records.into_iter().next() {
        Some(Record::Declaration(d, _)) => match evaluate(rulebook, &d, options) {
            Ok(outcome) => result.outcome = Some(outcome),
            Err(missing) => {
                let fields: Vec<&str> = missing
                    .needed
                    .iter()
                    .map(|(slot, _)| rulebook.inputs[*slot].name.as_str())
                    .collect();
                result.rejection = Some(format!("missing {}", fields.join(", ")));
            }
        },
        Some(Record::Rejected(r)) => result.rejection = Some(r.to_string()),
        None => {}
    }
    match (&case.total, &result.outcome) {
        (Some(expected), Some(outcome)) => {
            if outcome.total_euros != *expected {
                result.failures.push(format!(
                    "total: expected {expected}, got {}",
                    outcome.total_euros
                ));
            }
        }
        (Some(expected), None) => result.failures.push(format!(
            "total: expected {expected}, but the declaration was rejected: {}",
            result.rejection.clone().unwrap_or_default()
        )),
        (None, Some(outcome)) => result.failures.push(format!(
            "expected a rejection, but it was evaluated: total {}",
            outcome.total_euros
        )),
        (None, None) => {}
    }
    if let Some(outcome) = &result.outcome {
        for (name, expected) in &case.statuses {
            if let Some(i) = rulebook
                .indicators
                .iter()
                .position(|ind| &ind.head.name == name)
            {
                let actual = outcome.indicators[i].status.as_str();
                if actual != expected {
                    result
                        .failures
                        .push(format!("`{name}`: expected {expected}, got {actual}"));
                }
            }
        }
    }
    result
}

/// What the cases of a rulebook exercise, and what they leave untested.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Each item that could be exercised, and whether a case did.
    pub items: Vec<(String, bool)>,
}

impl Coverage {
    pub fn covered(&self) -> usize {
        self.items.iter().filter(|(_, c)| *c).count()
    }

    pub fn uncovered(&self) -> impl Iterator<Item = &str> {
        self.items
            .iter()
            .filter(|(_, c)| !c)
            .map(|(t, _)| t.as_str())
    }
}

/// Coverage of the outcomes: each indicator met and not met (and, where it can be,
/// neutralised and not applicable), each branch of each condition both true and false,
/// each gate both passed and blocking, each amount variant chosen.
pub fn coverage(rulebook: &CompiledRulebook, outcomes: &[&Outcome]) -> Coverage {
    let mut items = Vec::new();
    let render = |e: &Expr| crate::french::condition(rulebook, e);
    for (i, ind) in rulebook.indicators.iter().enumerate() {
        let seen = |s: Status| outcomes.iter().any(|o| o.indicators[i].status == s);
        let always_neutralised = ind.neutralisations.iter().any(|n| n.when.is_none());
        if always_neutralised {
            // Neutralised whatever the declaration: met and not met cannot happen.
            items.push((
                format!("indicator `{}` neutralised", ind.head.name),
                seen(Status::Neutralised),
            ));
            continue;
        }
        items.push((
            format!("indicator `{}` met", ind.head.name),
            seen(Status::Met),
        ));
        items.push((
            format!("indicator `{}` not met", ind.head.name),
            seen(Status::NotMet),
        ));
        if ind.applies.is_some() {
            items.push((
                format!("indicator `{}` not applicable", ind.head.name),
                seen(Status::NotApplicable),
            ));
        }
        if !ind.neutralisations.is_empty() {
            items.push((
                format!("indicator `{}` neutralised", ind.head.name),
                seen(Status::Neutralised),
            ));
        }
        // Branches of `met when`: every node of the condition seen true and seen false.
        let traces: Vec<&ConditionTrace> = outcomes
            .iter()
            .filter(|o| matches!(o.indicators[i].status, Status::Met | Status::NotMet))
            .filter_map(|o| o.indicators[i].met.as_ref())
            .collect();
        let compound = matches!(ind.met.expr, Expr::Not(_) | Expr::All(_) | Expr::Any(_));
        let mut index = 0;
        branches(
            &ind.met.expr,
            &traces,
            &mut index,
            &mut |node_expr, idx, traces| {
                // A one-node condition is covered by "met" and "not met" above.
                if !compound || matches!(node_expr, Expr::Const(_)) {
                    return;
                }
                for value in [true, false] {
                    let seen = traces
                        .iter()
                        .any(|t| t.nodes.get(idx).is_some_and(|n| n.holds == value));
                    items.push((
                        format!(
                            "`{}`: `{}` {}",
                            ind.head.name,
                            render(node_expr),
                            if value { "true" } else { "false" }
                        ),
                        seen,
                    ));
                }
            },
        );
    }
    for (p, payment) in rulebook.payments.iter().enumerate() {
        let owner = rulebook.target_name(payment.owner);
        if !rulebook.gates(payment.owner).is_empty() {
            let blocked = outcomes
                .iter()
                .any(|o| matches!(o.payments[p].status, PaymentStatus::GateNotMet(_)));
            let passed = outcomes
                .iter()
                .any(|o| o.payments[p].status == PaymentStatus::Paid);
            items.push((format!("gate of `{owner}` blocking a met rule"), blocked));
            items.push((format!("gate of `{owner}` passed"), passed));
        }
        for (v, variant) in payment.variants.iter().enumerate() {
            if payment.variants.len() < 2 {
                break;
            }
            let chosen = outcomes.iter().any(|o| o.payments[p].variant == Some(v));
            let which = match &variant.when {
                Some(w) => format!("when {}", render(&w.expr)),
                None => "otherwise".into(),
            };
            items.push((format!("amount of `{owner}` {which}"), chosen));
        }
    }
    Coverage { items }
}

/// Walks `expr` in the pre-order of its trace nodes, calling `visit` on each node.
fn branches<'e>(
    expr: &'e Expr,
    traces: &[&ConditionTrace],
    index: &mut usize,
    visit: &mut dyn FnMut(&'e Expr, usize, &[&ConditionTrace]),
) {
    let here = *index;
    *index += 1;
    visit(expr, here, traces);
    match expr {
        Expr::Not(inner) => branches(inner, traces, index, visit),
        Expr::All(parts) | Expr::Any(parts) => {
            for p in parts {
                branches(p, traces, index, visit);
            }
        }
        _ => {}
    }
}
