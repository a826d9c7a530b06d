//! Evaluation: a compiled rulebook and one declaration give an outcome: every indicator's
//! status, every group's, every payment line, the totals, and the trace that explains them.

pub mod money;
pub mod ratio;
pub mod value;

use rust_decimal::Decimal;

use crate::model::*;
use value::Value;

/// One professional's declaration: an identifier and a value per input slot.
#[derive(Clone, Debug)]
pub struct Declaration {
    pub id: String,
    pub values: Vec<Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Met,
    NotMet,
    /// Not required (this year, or for this profession): the guide's words say why.
    Neutralised,
    /// Does not concern this professional (another profession or profile).
    NotApplicable,
}

impl Status {
    /// The stable spelling of the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not_met",
            Status::Neutralised => "neutralised",
            Status::NotApplicable => "not_applicable",
        }
    }
}

/// What was found at one node of a condition, in pre-order (see `ConditionTrace`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub holds: bool,
    pub note: Note,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note {
    Decided,
    /// An input was absent (`missing means none`): a comparison with nothing does not hold.
    NoValue,
    /// A rate's denominator was zero: the rate has no value and the threshold is not met.
    ZeroDenominator,
}

/// The result of every node of a condition, in the order a pre-order walk of its `Expr`
/// meets them; `output` walks the same tree to explain it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionTrace {
    pub nodes: Vec<Node>,
}

impl ConditionTrace {
    pub fn holds(&self) -> bool {
        self.nodes.first().is_some_and(|n| n.holds)
    }
}

#[derive(Clone, Debug)]
pub struct IndicatorOutcome {
    pub status: Status,
    pub applies: Option<ConditionTrace>,
    /// The neutralisation that applied, by index in the indicator's list.
    pub neutralised_by: Option<usize>,
    /// The `met when` condition, evaluated when the indicator applies and is not neutralised.
    pub met: Option<ConditionTrace>,
    /// For a declarative indicator not met: what the total would be if it were met.
    pub total_if_met: Option<Decimal>,
}

#[derive(Clone, Debug)]
pub struct GroupOutcome {
    pub status: Status,
    /// Members met / members that count (applicable and not neutralised).
    pub members_met: usize,
    pub members_counted: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentStatus {
    Paid,
    /// The owner is not met (or neutralised, or not applicable).
    OwnerNot(Status),
    /// The owner is met but waits on a gate that is not: "il est impossible de percevoir la
    /// seule rémunération complémentaire".
    GateNotMet(Target),
}

#[derive(Clone, Debug)]
pub struct PaymentOutcome {
    pub status: PaymentStatus,
    /// Index of the amount variant that applied (the first whose `when` holds).
    pub variant: usize,
    /// Euros paid by this line (points converted), rounded to the cent.
    pub euros: Decimal,
    /// Points paid by this line, when it pays in points.
    pub points: Option<Decimal>,
    /// For `per COUNT` amounts, the count.
    pub units: Option<u64>,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub declaration_id: String,
    pub values: Vec<Value>,
    pub indicators: Vec<IndicatorOutcome>,
    pub groups: Vec<GroupOutcome>,
    pub payments: Vec<PaymentOutcome>,
    pub total_euros: Decimal,
    /// Points earned by the lines that pay in points (before conversion).
    pub total_points: Decimal,
}

/// The declaration lacks a value the rules need (`missing is error`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingInputs {
    /// Each missing input, with the rule that needed it.
    pub needed: Vec<(Slot, Option<Target>)>,
}

#[derive(Clone, Copy, Debug)]
pub struct EvalOptions {
    /// Keep each condition's trace (for explanations). Off, only statuses and amounts.
    pub trace: bool,
    /// For declarative indicators not met, compute what meeting them would pay.
    pub what_if: bool,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            trace: true,
            what_if: true,
        }
    }
}

/// Evaluates one declaration. Every input the rules read must be present or defaulted;
/// otherwise the declaration is refused whole (never a partial amount).
pub fn evaluate(
    rulebook: &CompiledRulebook,
    declaration: &Declaration,
    options: EvalOptions,
) -> Result<Outcome, MissingInputs> {
    let values = &declaration.values;
    let mut missing = Vec::new();
    let mut indicators = Vec::with_capacity(rulebook.indicators.len());
    for (i, ind) in rulebook.indicators.iter().enumerate() {
        let owner = Some(Target::Indicator(i));
        let run = |condition: &Condition, missing: &mut Vec<(Slot, Option<Target>)>| {
            let mut nodes = Vec::new();
            let sink = options.trace.then_some(&mut nodes);
            match expr(&condition.expr, values, sink) {
                Ok(holds) => Some((holds, ConditionTrace { nodes })),
                Err(slots) => {
                    for slot in slots {
                        if !missing.iter().any(|(s, _)| *s == slot) {
                            missing.push((slot, owner));
                        }
                    }
                    None
                }
            }
        };
        let mut outcome = IndicatorOutcome {
            status: Status::NotMet,
            applies: None,
            neutralised_by: None,
            met: None,
            total_if_met: None,
        };
        if let Some(applies) = &ind.applies {
            let Some((holds, trace)) = run(applies, &mut missing) else {
                indicators.push(outcome);
                continue;
            };
            outcome.applies = Some(trace);
            if !holds {
                outcome.status = Status::NotApplicable;
                indicators.push(outcome);
                continue;
            }
        }
        for (n, neutralisation) in ind.neutralisations.iter().enumerate() {
            let holds = match &neutralisation.when {
                None => true,
                Some(when) => run(when, &mut missing).is_some_and(|(h, _)| h),
            };
            if holds {
                outcome.neutralised_by = Some(n);
                outcome.status = Status::Neutralised;
                break;
            }
        }
        if outcome.status != Status::Neutralised {
            if let Some((holds, trace)) = run(&ind.met, &mut missing) {
                outcome.status = if holds { Status::Met } else { Status::NotMet };
                outcome.met = Some(trace);
            }
        }
        indicators.push(outcome);
    }
    // Amount variants and `per` counts are read too.
    for payment in &rulebook.payments {
        for variant in &payment.variants {
            let mut slots = Vec::new();
            if let Some(when) = &variant.when {
                when.expr.reads(&mut slots);
            }
            slots.extend(variant.per);
            for slot in slots {
                if values[slot] == Value::Missing && !missing.iter().any(|(s, _)| *s == slot) {
                    missing.push((slot, Some(payment.owner)));
                }
            }
        }
    }
    if !missing.is_empty() {
        return Err(MissingInputs { needed: missing });
    }

    let statuses: Vec<Status> = indicators.iter().map(|o| o.status).collect();
    let settled = settle(rulebook, values, &statuses);
    if options.what_if {
        for (i, ind) in rulebook.indicators.iter().enumerate() {
            if statuses[i] == Status::NotMet && ind.source != Source::Automated {
                let mut hypothetical = statuses.clone();
                hypothetical[i] = Status::Met;
                indicators[i].total_if_met =
                    Some(settle(rulebook, values, &hypothetical).total_euros);
            }
        }
    }
    Ok(Outcome {
        declaration_id: declaration.id.clone(),
        values: values.clone(),
        indicators,
        groups: settled.groups,
        payments: settled.payments,
        total_euros: settled.total_euros,
        total_points: settled.total_points,
    })
}

struct Settled {
    groups: Vec<GroupOutcome>,
    payments: Vec<PaymentOutcome>,
    total_euros: Decimal,
    total_points: Decimal,
}

/// From the indicators' statuses to groups, gates and payment lines.
fn settle(rulebook: &CompiledRulebook, values: &[Value], statuses: &[Status]) -> Settled {
    let mut groups = vec![
        GroupOutcome {
            status: Status::NotMet,
            members_met: 0,
            members_counted: 0,
        };
        rulebook.groups.len()
    ];
    for &g in &rulebook.group_order {
        let group = &rulebook.groups[g];
        let member_status = |t: &Target| match t {
            Target::Indicator(i) => statuses[*i],
            Target::Group(inner) => groups[*inner].status,
        };
        let counted: Vec<Status> = group
            .members
            .iter()
            .map(member_status)
            .filter(|s| matches!(s, Status::Met | Status::NotMet))
            .collect();
        let met = counted.iter().filter(|s| **s == Status::Met).count();
        let all_not_applicable = group
            .members
            .iter()
            .all(|m| member_status(m) == Status::NotApplicable);
        let status = if all_not_applicable {
            Status::NotApplicable
        } else {
            let holds = match group.kind {
                GroupKind::AllOf => met == counted.len(),
                GroupKind::EachOf => met > 0,
            };
            if holds {
                Status::Met
            } else {
                Status::NotMet
            }
        };
        groups[g] = GroupOutcome {
            status,
            members_met: met,
            members_counted: counted.len(),
        };
    }

    let status_of = |t: Target| match t {
        Target::Indicator(i) => statuses[i],
        Target::Group(g) => groups[g].status,
    };
    let mut total_euros = Decimal::ZERO;
    let mut total_points = Decimal::ZERO;
    let mut payments = Vec::with_capacity(rulebook.payments.len());
    for payment in &rulebook.payments {
        let variant = payment
            .variants
            .iter()
            .position(|v| {
                v.when
                    .as_ref()
                    .is_none_or(|w| expr(&w.expr, values, None).unwrap_or(false))
            })
            .unwrap_or(payment.variants.len().saturating_sub(1));
        let owner_status = status_of(payment.owner);
        let blocking_gate = rulebook
            .gates(payment.owner)
            .iter()
            .copied()
            .find(|g| !qualifies(rulebook, *g, &status_of, 0));
        let status = match (owner_status, blocking_gate) {
            (Status::Met, None) => PaymentStatus::Paid,
            (Status::Met, Some(gate)) => PaymentStatus::GateNotMet(gate),
            (other, _) => PaymentStatus::OwnerNot(other),
        };
        let mut line = PaymentOutcome {
            status,
            variant,
            euros: Decimal::ZERO,
            points: None,
            units: None,
        };
        if let Some(v) = payment.variants.get(variant) {
            let units = v.per.map(|slot| match values[slot] {
                Value::Count(n) => n,
                _ => 0,
            });
            line.units = units;
            if line.status == PaymentStatus::Paid {
                let amount = v.amount * Decimal::from(units.unwrap_or(1));
                match v.unit {
                    AmountUnit::Euros => line.euros = money::round_to_cents(amount),
                    AmountUnit::Points => {
                        line.points = Some(amount);
                        total_points += amount;
                        let value = rulebook.meta.point_value.unwrap_or(Decimal::ZERO);
                        line.euros = money::round_to_cents(amount * value);
                    }
                }
            } else if v.unit == AmountUnit::Points {
                line.points = Some(Decimal::ZERO);
            }
        }
        line.euros = money::round_to_cents(line.euros);
        total_euros += line.euros;
        payments.push(line);
    }
    Settled {
        groups,
        payments,
        total_euros: money::round_to_cents(total_euros),
        total_points,
    }
}

/// A gate is passed when it is met and every gate it waits on is passed too.
fn qualifies(
    rulebook: &CompiledRulebook,
    target: Target,
    status_of: &dyn Fn(Target) -> Status,
    depth: usize,
) -> bool {
    // `check` refuses gating cycles; the depth bound only guards against a bug there.
    if depth > rulebook.indicators.len() + rulebook.groups.len() {
        return false;
    }
    status_of(target) == Status::Met
        && rulebook
            .gates(target)
            .iter()
            .all(|g| qualifies(rulebook, *g, status_of, depth + 1))
}

/// Evaluates a condition. Every node is evaluated (no short-circuit) so that the trace is
/// complete and every missing input is reported at once. Nodes are pushed in pre-order.
fn expr(e: &Expr, values: &[Value], mut sink: Option<&mut Vec<Node>>) -> Result<bool, Vec<Slot>> {
    let index = sink.as_mut().map(|nodes| {
        nodes.push(Node {
            holds: false,
            note: Note::Decided,
        });
        nodes.len() - 1
    });
    let (holds, note) = match e {
        Expr::Const(b) => (*b, Note::Decided),
        Expr::Flag(slot) => match &values[*slot] {
            Value::YesNo(b) => (*b, Note::Decided),
            Value::Missing => return Err(vec![*slot]),
            _ => (false, Note::NoValue),
        },
        Expr::Compare { left, op, right } => {
            let l = term(left, values);
            let r = term(right, values);
            match (l, r) {
                (Err(mut a), Err(b)) => {
                    a.extend(b);
                    return Err(a);
                }
                (Err(a), _) | (_, Err(a)) => return Err(a),
                (Ok(Some(l)), Ok(Some(r))) => match compare_values(l, r) {
                    Some(ordering) => (satisfies(*op, ordering), Note::Decided),
                    None => (false, Note::NoValue),
                },
                _ => (false, Note::NoValue),
            }
        }
        Expr::Rate {
            numerator,
            denominator,
            op,
            threshold,
            ..
        } => {
            let n = count(*numerator, values);
            let d = count(*denominator, values);
            match (n, d) {
                (Err(mut a), Err(b)) => {
                    a.extend(b);
                    return Err(a);
                }
                (Err(a), _) | (_, Err(a)) => return Err(a),
                (Ok(Some(n)), Ok(Some(d))) => match threshold.compare_rate(n, d) {
                    Some(ordering) => (satisfies(*op, ordering), Note::Decided),
                    None => (false, Note::ZeroDenominator),
                },
                _ => (false, Note::NoValue),
            }
        }
        Expr::InSet { input, members, .. } => match &values[*input] {
            Value::Choice(c) => (members.contains(c), Note::Decided),
            Value::Missing => return Err(vec![*input]),
            _ => (false, Note::NoValue),
        },
        Expr::Not(inner) => (!expr(inner, values, sink.as_deref_mut())?, Note::Decided),
        Expr::All(parts) | Expr::Any(parts) => {
            let all = matches!(e, Expr::All(_));
            let mut acc = all;
            let mut missing = Vec::new();
            for part in parts {
                match expr(part, values, sink.as_deref_mut()) {
                    Ok(h) if all => acc &= h,
                    Ok(h) => acc |= h,
                    Err(slots) => missing.extend(slots),
                }
            }
            if !missing.is_empty() {
                return Err(missing);
            }
            (acc, Note::Decided)
        }
    };
    if let (Some(nodes), Some(i)) = (sink, index) {
        nodes[i] = Node { holds, note };
    }
    Ok(holds)
}

/// A term's value; `Ok(None)` when absent, `Err` when missing and required.
fn term<'v>(t: &'v Term, values: &'v [Value]) -> Result<Option<&'v Value>, Vec<Slot>> {
    match t {
        Term::Const(v) => Ok(Some(v)),
        Term::Input(slot) => match &values[*slot] {
            Value::Missing => Err(vec![*slot]),
            Value::Absent => Ok(None),
            v => Ok(Some(v)),
        },
    }
}

fn count(slot: Slot, values: &[Value]) -> Result<Option<u64>, Vec<Slot>> {
    match &values[slot] {
        Value::Count(n) => Ok(Some(*n)),
        Value::Missing => Err(vec![slot]),
        _ => Ok(None),
    }
}

fn compare_values(l: &Value, r: &Value) -> Option<std::cmp::Ordering> {
    match (l, r) {
        (Value::Count(a), Value::Count(b)) => Some(a.cmp(b)),
        (Value::Decimal(a), Value::Decimal(b)) => Some(a.cmp(b)),
        (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
        (Value::Text(a), Value::Text(b)) => Some(a.cmp(b)),
        (Value::YesNo(a), Value::YesNo(b)) => Some(a.cmp(b)),
        (Value::Choice(a), Value::Choice(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn satisfies(op: Comparator, ordering: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Comparator::AtLeast => ordering != Less,
        Comparator::AtMost => ordering != Greater,
        Comparator::Above => ordering == Greater,
        Comparator::Below => ordering == Less,
        Comparator::Equal => ordering == Equal,
        Comparator::NotEqual => ordering != Equal,
    }
}
