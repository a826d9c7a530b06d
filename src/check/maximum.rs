//! Verifying the guide's stated totals against the most the rules can pay.
//!
//! The maximum is taken over every profile (every combination of the `one of` inputs that
//! decide applicability, neutralisation and amount variants), assuming each indicator can
//! be met: a total that the rules cannot reach, or can exceed, is a transcription error.

use rust_decimal::Decimal;

use super::{condition, Scope};
use crate::diagnostics::{Error, MostPaid, Unit};
use crate::eval;
use crate::model::*;
use crate::syntax::ast;
use crate::value::Value;

/// Above this many profiles, the total is not verified (a clear error, never a hang).
const MAX_PROFILES: usize = 4096;

pub(super) fn verify(
    compiled: &CompiledRulebook,
    scope: &mut Scope<'_>,
    total: &ast::StatedTotal,
) -> Result<StatedTotalDef, Error> {
    let label = || total.label.value.clone();
    let span = total.amount.span.into();

    let scope_targets = match &total.scope {
        None => None,
        Some(names) => {
            let mut targets = Vec::new();
            for name in names {
                match scope.rule(&name.text) {
                    Some(t) => targets.push(t),
                    None => return Err(super::unknown_rule(scope, &name.text, name.span)),
                }
            }
            Some(targets)
        }
    };
    let profile = match &total.profile {
        Some(c) => Some(condition::condition(scope, c)?),
        None => None,
    };
    if let Some(p) = &profile {
        let mut read = Vec::new();
        p.expr.reads(&mut read);
        if let Some(slot) = read
            .iter()
            .find(|s| !matches!(compiled.inputs[**s].ty, InputType::Choice(_)))
        {
            return Err(Error::TotalProfileNotChoice {
                label: label(),
                input: compiled.inputs[*slot].name.clone(),
                span: total
                    .profile
                    .as_ref()
                    .map_or(total.span, |c| c.span())
                    .into(),
            });
        }
    }

    let payments: Vec<&PaymentDef> = compiled
        .payments
        .iter()
        .filter(|p| match &scope_targets {
            None => true,
            Some(targets) => targets.iter().any(|t| compiled.is_within(p.owner, *t)),
        })
        .collect();
    if payments.is_empty() {
        return Err(Error::TotalPaysNothing {
            label: label(),
            span,
        });
    }

    let stated_unit = total.amount.unit;
    for p in &payments {
        for v in &p.variants {
            if let Some(slot) = v.per {
                return Err(Error::TotalPerUnit {
                    label: label(),
                    rule: compiled.target_name(p.owner).to_string(),
                    input: compiled.inputs[slot].name.clone(),
                    span,
                });
            }
            if stated_unit == AmountUnit::Points && v.unit == AmountUnit::Euros {
                return Err(Error::TotalPointsAndEuros {
                    label: label(),
                    rule: compiled.target_name(p.owner).to_string(),
                    span,
                });
            }
        }
    }

    // The `one of` inputs that decide anything the total depends on.
    let mut deciding = Vec::new();
    if let Some(c) = &profile {
        c.expr.reads(&mut deciding);
    }
    for p in &payments {
        for slot in compiled.applicability_reads(p.owner) {
            if !deciding.contains(&slot) {
                deciding.push(slot);
            }
        }
        // Its `per` counts are no `one of`: they go with the others below.
        p.reads(&mut deciding);
    }
    deciding.retain(|s| matches!(compiled.inputs[*s].ty, InputType::Choice(_)));
    let sizes: Vec<usize> = deciding
        .iter()
        .map(|s| match &compiled.inputs[*s].ty {
            InputType::Choice(c) => c.len(),
            _ => 1,
        })
        .collect();
    let profiles = sizes.iter().try_fold(1usize, |acc, n| acc.checked_mul(*n));
    if profiles.is_none_or(|n| n > MAX_PROFILES) {
        return Err(Error::TotalTooManyProfiles {
            label: label(),
            max: MAX_PROFILES,
            span,
        });
    }

    let point_value = compiled.meta.point_value.unwrap_or(Decimal::ZERO);
    let mut best: Option<Maximum> = None;
    let mut assignment = vec![0u32; deciding.len()];
    // A profile: the deciding inputs known, every other value unknown (`eval::partial`).
    let mut known = vec![Value::Missing; compiled.inputs.len()];
    loop {
        for (slot, choice) in deciding.iter().zip(&assignment) {
            known[*slot] = Value::Choice(*choice);
        }
        let in_profile = profile
            .as_ref()
            .is_none_or(|c| eval::partial(&c.expr, &known) != Some(false));
        if in_profile {
            let mut sum = Decimal::ZERO;
            let mut lines = Vec::new();
            for p in &payments {
                let amount = most_paid(compiled, p, &known, stated_unit, point_value);
                if amount > Decimal::ZERO {
                    lines.push((compiled.target_name(p.owner).to_string(), amount));
                }
                sum += amount;
            }
            if best.as_ref().is_none_or(|(b, _, _)| sum > *b) {
                let profile_text = deciding
                    .iter()
                    .zip(&assignment)
                    .map(|(slot, choice)| {
                        (
                            compiled.inputs[*slot].name.clone(),
                            compiled.choice_name(*slot, *choice).to_string(),
                        )
                    })
                    .collect::<Vec<_>>();
                best = Some((sum, lines, profile_text));
            }
        }
        // Next profile (odometer order).
        let mut i = 0;
        loop {
            if i == assignment.len() {
                break;
            }
            assignment[i] += 1;
            if (assignment[i] as usize) < sizes[i] {
                break;
            }
            assignment[i] = 0;
            i += 1;
        }
        if i == assignment.len() {
            break;
        }
    }

    let Some((computed, lines, profile_text)) = best else {
        return Err(Error::TotalNoProfile {
            label: label(),
            span,
        });
    };
    if computed != total.amount.value {
        let unit = match stated_unit {
            AmountUnit::Points => Unit::Points,
            AmountUnit::Euros => Unit::Euros,
        };
        return Err(Error::StatedTotalMismatch {
            label: total.label.value.clone(),
            stated: total.amount.value.normalize(),
            computed: computed.normalize(),
            unit,
            most: Box::new(MostPaid {
                lines,
                unit,
                profile: profile_text,
            }),
            span: total.amount.span.into(),
        });
    }
    Ok(StatedTotalDef {
        label: total.label.value.clone(),
        amount: total.amount.value,
        unit: stated_unit,
        section: total.section.as_ref().map(|s| s.value.clone()),
        scope: scope_targets,
        profile,
    })
}

/// The most paid so far: the sum, its lines (name, amount), and the profile that reaches it.
type Maximum = (Decimal, Vec<(String, Decimal)>, Vec<(String, String)>);

/// The most `payment` can pay for the profile `known`, in the stated total's unit.
fn most_paid(
    compiled: &CompiledRulebook,
    payment: &PaymentDef,
    known: &[Value],
    unit: AmountUnit,
    point_value: Decimal,
) -> Decimal {
    if let Target::Indicator(i) = payment.owner {
        let ind = &compiled.indicators[i];
        if ind
            .applies
            .as_ref()
            .is_some_and(|a| eval::partial(&a.expr, known) == Some(false))
        {
            return Decimal::ZERO;
        }
        let neutralised = ind.neutralisations.iter().any(|n| {
            n.when
                .as_ref()
                .is_none_or(|w| eval::partial(&w.expr, known) == Some(true))
        });
        if neutralised {
            return Decimal::ZERO;
        }
    }
    let mut most = Decimal::ZERO;
    for v in &payment.variants {
        let holds = v
            .when
            .as_ref()
            .map_or(Some(true), |w| eval::partial(&w.expr, known));
        if holds == Some(false) {
            continue;
        }
        let amount = match (v.unit, unit) {
            (AmountUnit::Points, AmountUnit::Euros) => v.amount * point_value,
            _ => v.amount,
        };
        most = most.max(amount);
        if holds == Some(true) {
            break;
        }
    }
    most
}
