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

    let payments: Vec<(usize, &PaymentDef)> = compiled
        .payments
        .iter()
        .enumerate()
        .filter(|(_, p)| match &scope_targets {
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
    for (_, p) in &payments {
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
    deciding.extend(deciding_inputs(compiled, &payments));
    let mut seen = Vec::new();
    deciding.retain(|s| {
        let first = !seen.contains(s);
        seen.push(*s);
        first
    });
    deciding.retain(|s| matches!(compiled.inputs[*s].ty, InputType::Choice(_)));

    let known = vec![Value::Missing; compiled.inputs.len()];
    let in_profile = |known: &[Value]| {
        profile
            .as_ref()
            .is_none_or(|c| eval::partial(&c.expr, known) != Some(false))
    };
    let best = match most(
        compiled,
        &payments,
        &deciding,
        known,
        &in_profile,
        stated_unit,
    ) {
        Ok(best) => best,
        Err(TooManyProfiles { max }) => {
            return Err(Error::TotalTooManyProfiles {
                label: label(),
                max,
                span,
            })
        }
    };
    let Some(best) = best else {
        return Err(Error::TotalNoProfile {
            label: label(),
            span,
        });
    };
    if best.total != total.amount.value {
        let unit = match stated_unit {
            AmountUnit::Points => Unit::Points,
            AmountUnit::Euros => Unit::Euros,
        };
        let lines = best
            .lines
            .iter()
            .map(|(p, amount)| {
                let owner = compiled.payments[*p].owner;
                (compiled.target_name(owner).to_string(), *amount)
            })
            .collect();
        let profile_text = deciding
            .iter()
            .zip(&best.profile)
            .map(|(slot, choice)| {
                (
                    compiled.inputs[*slot].name.clone(),
                    compiled.choice_name(*slot, *choice).to_string(),
                )
            })
            .collect::<Vec<_>>();
        return Err(Error::StatedTotalMismatch {
            label: total.label.value.clone(),
            stated: total.amount.value.normalize(),
            computed: best.total.normalize(),
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

/// The most the rules can pay one declaration, and how ([`most_payable`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MostPayable {
    /// In euros (points at the point value).
    pub total: Decimal,
    /// Each payment line that pays something, by its index in the rulebook's payments, and
    /// the most it pays.
    pub lines: Vec<(usize, Decimal)>,
}

/// More profiles than the maximum is computed over (`max`): it is not computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyProfiles {
    pub max: usize,
}

/// The most the rules can pay a declaration whose values are `given` (one per input,
/// `Value::Missing` for what it does not give), computed as `check` computes a stated
/// total's maximum over every payment (docs/language.md, "How `check` computes the
/// maximum"): the `one of` values it gives are its profile, and each `one of` it does not
/// give that decides something is tried in turn; every indicator is assumed met and every
/// gate passed; an amount paid `per` unit counts the units it gives (none if it gives none).
pub fn most_payable(
    compiled: &CompiledRulebook,
    given: &[Value],
) -> Result<MostPayable, TooManyProfiles> {
    let payments: Vec<(usize, &PaymentDef)> = compiled.payments.iter().enumerate().collect();
    let mut known = vec![Value::Missing; compiled.inputs.len()];
    for (slot, input) in compiled.inputs.iter().enumerate() {
        let per = payments
            .iter()
            .any(|(_, p)| p.variants.iter().any(|v| v.per == Some(slot)));
        if matches!(input.ty, InputType::Choice(_)) || per {
            if let Some(value) = given.get(slot) {
                known[slot] = value.clone();
            }
        }
    }
    let mut deciding = deciding_inputs(compiled, &payments);
    deciding.retain(|s| {
        matches!(compiled.inputs[*s].ty, InputType::Choice(_))
            && matches!(known[*s], Value::Missing | Value::Absent)
    });
    let mut seen = Vec::new();
    deciding.retain(|s| {
        let first = !seen.contains(s);
        seen.push(*s);
        first
    });
    let best = most(
        compiled,
        &payments,
        &deciding,
        known,
        &|_| true,
        AmountUnit::Euros,
    )?;
    Ok(best.map_or(
        MostPayable {
            total: Decimal::ZERO,
            lines: Vec::new(),
        },
        |b| MostPayable {
            total: b.total,
            lines: b.lines,
        },
    ))
}

/// The inputs that can decide what `payments` pay: those their owners' applicability reads,
/// and their amounts' (`when`, `per`), in that order, perhaps more than once.
fn deciding_inputs(compiled: &CompiledRulebook, payments: &[(usize, &PaymentDef)]) -> Vec<Slot> {
    let mut deciding = Vec::new();
    for (_, p) in payments {
        for slot in compiled.applicability_reads(p.owner) {
            if !deciding.contains(&slot) {
                deciding.push(slot);
            }
        }
        // Its `per` counts are no `one of`: the callers leave them out.
        p.reads(&mut deciding);
    }
    deciding
}

/// The best profile: the most paid, its lines, and the choice of each deciding input.
struct Best {
    total: Decimal,
    lines: Vec<(usize, Decimal)>,
    profile: Vec<u32>,
}

/// The most `payments` pay over every profile: every combination of the `deciding`
/// inputs' choices, each written into `known` (which holds what else is known), that
/// `in_profile` accepts. `None` when it accepts none.
fn most(
    compiled: &CompiledRulebook,
    payments: &[(usize, &PaymentDef)],
    deciding: &[Slot],
    mut known: Vec<Value>,
    in_profile: &dyn Fn(&[Value]) -> bool,
    unit: AmountUnit,
) -> Result<Option<Best>, TooManyProfiles> {
    let sizes: Vec<usize> = deciding
        .iter()
        .map(|s| match &compiled.inputs[*s].ty {
            InputType::Choice(c) => c.len(),
            _ => 1,
        })
        .collect();
    let profiles = sizes.iter().try_fold(1usize, |acc, n| acc.checked_mul(*n));
    if profiles.is_none_or(|n| n > MAX_PROFILES) {
        return Err(TooManyProfiles { max: MAX_PROFILES });
    }

    let point_value = compiled.meta.point_value.unwrap_or(Decimal::ZERO);
    let mut best: Option<Best> = None;
    let mut assignment = vec![0u32; deciding.len()];
    // A profile: the deciding inputs known, every other value as given (`eval::partial`).
    loop {
        for (slot, choice) in deciding.iter().zip(&assignment) {
            known[*slot] = Value::Choice(*choice);
        }
        if in_profile(&known) {
            let mut sum = Decimal::ZERO;
            let mut lines = Vec::new();
            for (index, p) in payments {
                let amount = most_paid(compiled, p, &known, unit, point_value);
                if amount > Decimal::ZERO {
                    lines.push((*index, amount));
                }
                sum += amount;
            }
            if best.as_ref().is_none_or(|b| sum > b.total) {
                best = Some(Best {
                    total: sum,
                    lines,
                    profile: assignment.clone(),
                });
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
    Ok(best)
}

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
        let mut amount = match (v.unit, unit) {
            (AmountUnit::Points, AmountUnit::Euros) => v.amount * point_value,
            _ => v.amount,
        };
        // A stated total never counts a `per` amount (`verify` refuses it); a declaration's
        // maximum counts the units it gives.
        if let Some(per) = v.per {
            amount *= match &known[per] {
                Value::Count(n) => Decimal::from(*n),
                Value::Decimal(d) => *d,
                _ => Decimal::ZERO,
            };
        }
        most = most.max(amount);
        if holds == Some(true) {
            break;
        }
    }
    most
}
