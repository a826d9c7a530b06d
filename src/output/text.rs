//! The human explanation: one line per indicator, then groups, payment lines and total.

use crate::eval::{Outcome, PaymentStatus, Status};
use crate::french::{self, explain, one_line};
use crate::lang::Lang;
use crate::model::{AmountUnit, CompiledRulebook, Source};
use crate::record::Evaluated;

/// Why an indicator has its status, in one French line.
pub fn indicator_reason(rulebook: &CompiledRulebook, outcome: &Outcome, i: usize) -> String {
    let ind = &rulebook.indicators[i];
    let o = &outcome.indicators[i];
    match o.status {
        Status::NotApplicable => {
            let why = match (&ind.applies, &o.applies) {
                (Some(a), Some(trace)) => {
                    one_line(&explain(rulebook, &a.expr, trace, &outcome.values))
                }
                _ => String::new(),
            };
            format!("ne s'applique pas : {why}")
        }
        Status::Neutralised => {
            let words = o
                .neutralised_by
                .and_then(|n| ind.neutralisations.get(n))
                .map(|n| n.words.as_str())
                .unwrap_or("");
            let would = match (&o.met, options_trace_holds(o)) {
                (Some(_), Some(true)) => " (par ailleurs atteint)",
                (Some(_), Some(false)) => " (par ailleurs non atteint)",
                _ => "",
            };
            format!("{}{would}", french::neutralised(words))
        }
        Status::Met | Status::NotMet => {
            let mut line = match &o.met {
                Some(trace) => one_line(&explain(rulebook, &ind.met.expr, trace, &outcome.values)),
                None => String::new(),
            };
            if let Some(what_if) = what_if(rulebook, outcome, i) {
                line.push_str(" ; ");
                line.push_str(&what_if);
            }
            line
        }
    }
}

/// For a declarative indicator not met: what declaring it would change, in French
/// (`le déclarer rapporterait 100,00 € de plus (total 590,00 €)`); `None` for the others.
pub fn what_if(rulebook: &CompiledRulebook, outcome: &Outcome, i: usize) -> Option<String> {
    let ind = &rulebook.indicators[i];
    let o = &outcome.indicators[i];
    if o.status != Status::NotMet || ind.source == Source::Automated {
        return None;
    }
    let if_met = o.total_if_met?;
    if if_met > outcome.total_euros {
        return Some(format!(
            "le déclarer rapporterait {} de plus (total {})",
            french::euros(if_met - outcome.total_euros),
            french::euros(if_met)
        ));
    }
    let mut words = "le déclarer ne changerait pas le montant".to_string();
    if let Some(gate) = o.held_back_by {
        words.push_str(&format!(
            " tant que « {} » n'est pas atteint",
            rulebook.target_name(gate)
        ));
    }
    Some(words)
}

/// Whether a neutralised indicator's own condition held, when it could be evaluated.
fn options_trace_holds(o: &crate::eval::IndicatorOutcome) -> Option<bool> {
    o.met
        .as_ref()
        .filter(|t| !t.nodes.is_empty())
        .map(|t| t.holds())
}

/// Why a payment line pays what it pays, in French.
pub fn payment_reason(rulebook: &CompiledRulebook, outcome: &Outcome, p: usize) -> String {
    let payment = &rulebook.payments[p];
    let line = &outcome.payments[p];
    let owner = rulebook.target_name(payment.owner);
    match &line.status {
        PaymentStatus::Paid => {
            let Some(v) = line.variant.and_then(|v| payment.variants.get(v)) else {
                return String::new();
            };
            let mut why = match v.unit {
                AmountUnit::Points => format!(
                    "{} × {} = {}",
                    french::points(line.points.unwrap_or_default()),
                    french::euros(rulebook.meta.point_value.unwrap_or_default()),
                    french::euros(line.euros)
                ),
                AmountUnit::Euros => match line.units {
                    Some(n) => format!(
                        "{} × {} = {}",
                        french::count(n),
                        french::euros(v.amount),
                        french::euros(line.euros)
                    ),
                    None => "payé".to_string(),
                },
            };
            if let Some(when) = &v.when {
                why.push_str(&format!(
                    " (montant retenu car {})",
                    french::condition(rulebook, &when.expr)
                ));
            } else if payment.variants.len() > 1 {
                why.push_str(" (montant par défaut)");
            }
            why
        }
        PaymentStatus::OwnerNot(status) => {
            format!("non payé : « {owner} » {}", french::status(*status))
        }
        PaymentStatus::GateNotMet(chain) => {
            // `requiert « bb », atteint, mais qui requiert « c », non atteint`
            let links: Vec<String> = chain
                .iter()
                .map(|gate| {
                    format!(
                        "« {} », {}",
                        rulebook.target_name(*gate),
                        french::status(outcome.status_of(*gate))
                    )
                })
                .collect();
            format!(
                "non payé : « {owner} » est atteint, mais requiert {}",
                links.join(", mais qui requiert ")
            )
        }
    }
}

/// Every record, explained for a terminal (rejections in English: [`render_in`]).
pub fn render(rulebook: &CompiledRulebook, records: &[Evaluated]) -> String {
    render_in(rulebook, records, Lang::En)
}

/// Every record, explained for a terminal; a rejection's problems in `lang` (the
/// explanations are French in every language).
pub fn render_in(rulebook: &CompiledRulebook, records: &[Evaluated], lang: Lang) -> String {
    let mut out = String::new();
    for (n, record) in records.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        match record {
            Evaluated::Outcome { outcome, .. } => out.push_str(&render_outcome(rulebook, outcome)),
            Evaluated::Rejected(r) => {
                out.push_str(&format!("Déclaration rejetée : {}\n", r.render(lang)));
            }
        }
    }
    out
}

fn render_outcome(rulebook: &CompiledRulebook, outcome: &Outcome) -> String {
    let meta = &rulebook.meta;
    let mut out = format!(
        "Déclaration {} : {}{}\n",
        outcome.declaration_id,
        french::euros(outcome.total_euros),
        points_suffix(rulebook, outcome)
    );
    out.push_str(&format!(
        "Règles : {} ({}), {}\n",
        meta.title,
        meta.name,
        short_hash(&meta.content_hash)
    ));
    out.push_str("\nIndicateurs\n");
    let width = rulebook
        .indicators
        .iter()
        .map(|i| i.head.name.chars().count())
        .max()
        .unwrap_or(0);
    for (i, ind) in rulebook.indicators.iter().enumerate() {
        let status = outcome.indicators[i].status;
        out.push_str(&format!(
            "  {:<13} {:<width$}  {} : {}\n",
            format!("[{}]", french::status(status)),
            ind.head.name,
            french::section(&ind.section),
            indicator_reason(rulebook, outcome, i),
        ));
    }
    if !rulebook.groups.is_empty() {
        out.push_str("\nGroupes\n");
        for (g, group) in rulebook.groups.iter().enumerate() {
            let o = &outcome.groups[g];
            out.push_str(&format!(
                "  {:<13} {:<width$}  {}\n",
                format!("[{}]", french::status(o.status)),
                group.head.name,
                french::members_met(o.members_met, o.members_counted),
            ));
        }
    }
    out.push_str("\nPaiements\n");
    let pay_width = rulebook
        .payments
        .iter()
        .map(|p| rulebook.target_name(p.owner).chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    for (p, payment) in rulebook.payments.iter().enumerate() {
        let line = &outcome.payments[p];
        out.push_str(&format!(
            "  {:<pay_width$}  {:>12}  {}\n",
            rulebook.target_name(payment.owner),
            french::euros(line.euros),
            payment_reason(rulebook, outcome, p)
        ));
    }
    out.push_str(&format!(
        "  {:<pay_width$}  {:>12}{}\n",
        "Total",
        french::euros(outcome.total_euros),
        points_suffix(rulebook, outcome)
    ));
    out
}

fn points_suffix(rulebook: &CompiledRulebook, outcome: &Outcome) -> String {
    match rulebook.meta.point_value {
        Some(value) => format!(
            " ({} × {})",
            french::points(outcome.total_points),
            french::euros(value)
        ),
        None => String::new(),
    }
}

/// `sha256:0a1b2c3d4e5f`: enough of the hash to tell versions apart in a terminal.
pub fn short_hash(hash: &str) -> &str {
    hash.get(..19).unwrap_or(hash)
}
