//! Evaluation: a compiled rulebook and one declaration give an outcome: every indicator's
//! status, every group's, every payment line, the totals, and the trace that explains them.

pub mod vector;

use rust_decimal::Decimal;

use crate::declaration::Declaration;
use crate::model::*;
use crate::value::{money, Value};

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
    /// Every status, in order: `ALL[s.index()] == s`.
    pub const ALL: [Status; 4] = [
        Status::Met,
        Status::NotMet,
        Status::Neutralised,
        Status::NotApplicable,
    ];

    /// Its place in [`Status::ALL`].
    pub fn index(self) -> u8 {
        match self {
            Status::Met => 0,
            Status::NotMet => 1,
            Status::Neutralised => 2,
            Status::NotApplicable => 3,
        }
    }

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
    /// A required input was missing, but the rest of the condition decided it anyway
    /// (`a or b` with `a` true): the missing value had no effect.
    Missing,
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
    /// The `met when` condition, evaluated when the indicator applies (for a neutralised
    /// indicator, only when the declaration has the values, for information).
    pub met: Option<ConditionTrace>,
    /// For a declarative indicator not met: what the total would be if it were met.
    pub total_if_met: Option<Decimal>,
    /// Alongside `total_if_met`: the rule, not met, that would still hold back the line the
    /// indicator pays through if it were met (the end of that line's `GateNotMet` chain, or
    /// the innermost group around it that would not be met). `None` when that line would
    /// pay, or there is none.
    pub held_back_by: Option<Target>,
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
    /// The owner is met but waits on a gate that does not pass: "il est impossible de
    /// percevoir la seule rémunération complémentaire". The chain runs from the gate the
    /// owner names to the one that is not met (`bb` requires `c`, not met: `[bb, c]`).
    GateNotMet(Vec<Target>),
}

#[derive(Clone, Debug)]
pub struct PaymentOutcome {
    pub status: PaymentStatus,
    /// Index of the amount variant that applied (the first whose `when` holds), for lines
    /// that pay.
    pub variant: Option<usize>,
    /// Euros paid by this line (points converted), rounded to the cent.
    pub euros: Decimal,
    /// Points paid by this line, when it pays in points.
    pub points: Option<Decimal>,
    /// For `per COUNT` amounts, the count.
    pub units: Option<u64>,
}

#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub declaration_id: String,
    /// The declaration's values, kept when `EvalOptions::trace` is on (explanations read
    /// them); empty otherwise.
    pub values: Vec<Value>,
    pub indicators: Vec<IndicatorOutcome>,
    pub groups: Vec<GroupOutcome>,
    pub payments: Vec<PaymentOutcome>,
    pub total_euros: Decimal,
    /// Points earned by the lines that pay in points (before conversion).
    pub total_points: Decimal,
    /// Chains' vectors kept from lines that no longer wait on a gate, for the next
    /// declaration evaluated into this outcome (lines flip from row to row).
    spare_chains: Vec<Vec<Target>>,
}

impl Outcome {
    /// The status of an indicator or a group: the one place that asks which it is.
    pub fn status_of(&self, target: Target) -> Status {
        match target {
            Target::Indicator(i) => self.indicators[i].status,
            Target::Group(g) => self.groups[g].status,
        }
    }
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
    let mut outcome = Outcome::default();
    evaluate_into(rulebook, declaration, options, &mut outcome)?;
    Ok(outcome)
}

/// As `evaluate`, into an outcome whose storage is reused: a batch evaluates row after row
/// into one outcome without allocating. On `Err`, `into` holds nothing meaningful.
pub fn evaluate_into(
    rulebook: &CompiledRulebook,
    declaration: &Declaration,
    options: EvalOptions,
    into: &mut Outcome,
) -> Result<(), MissingInputs> {
    let values = &declaration.values;
    let mut missing: Vec<(Slot, Option<Target>)> = Vec::new();
    let indicators = &mut into.indicators;
    indicators.resize_with(rulebook.indicators.len(), || IndicatorOutcome {
        status: Status::NotMet,
        applies: None,
        neutralised_by: None,
        met: None,
        total_if_met: None,
        held_back_by: None,
    });
    for (i, ind) in rulebook.indicators.iter().enumerate() {
        let owner = Target::Indicator(i);
        // A condition's value, or `None` when a missing input leaves it undecided. Its trace
        // (without nodes when tracing is off) is written into `trace`, not returned: moving
        // it out of every call showed in the profiles.
        let run = |condition: &Condition,
                   missing: &mut Vec<(Slot, Option<Target>)>,
                   trace: &mut Option<ConditionTrace>| {
            let mut unknown = Vec::new();
            let holds = if options.trace {
                let mut nodes = Vec::new();
                let holds = traced::<true>(&condition.expr, values, &mut nodes, &mut unknown);
                if holds.is_some() {
                    *trace = Some(ConditionTrace { nodes });
                }
                holds
            } else {
                // No vector of nodes on the stack to copy from: a 16-byte load of one, just
                // after the call, stalled on the two stores that made it (a tenth of a batch).
                let holds = traced::<false>(&condition.expr, values, &mut Vec::new(), &mut unknown);
                if holds.is_some() {
                    *trace = Some(ConditionTrace { nodes: Vec::new() });
                }
                holds
            };
            match holds {
                Some(_) => {}
                None => {
                    for slot in unknown {
                        if !missing.iter().any(|(s, _)| *s == slot) {
                            missing.push((slot, Some(owner)));
                        }
                    }
                }
            }
            holds
        };
        // Written field by field into the outcome's own (see `settle`).
        let outcome = &mut indicators[i];
        outcome.status = Status::NotMet;
        outcome.applies = None;
        outcome.neutralised_by = None;
        outcome.met = None;
        outcome.total_if_met = None;
        outcome.held_back_by = None;
        if let Some(applies) = &ind.applies {
            match run(applies, &mut missing, &mut outcome.applies) {
                None => continue,
                Some(false) => {
                    outcome.status = Status::NotApplicable;
                    continue;
                }
                Some(true) => {}
            }
        }
        for (n, neutralisation) in ind.neutralisations.iter().enumerate() {
            let holds = match &neutralisation.when {
                None => true,
                Some(when) => run(when, &mut missing, &mut None) == Some(true),
            };
            if holds {
                outcome.neutralised_by = Some(n);
                outcome.status = Status::Neutralised;
                break;
            }
        }
        if outcome.status == Status::Neutralised {
            // Not required, but the explanation still says whether it would have been met,
            // when the declaration tells; a missing value here is no error.
            let mut nodes = Vec::new();
            let sink = options.trace.then_some(&mut nodes);
            if expr(&ind.met.expr, values, sink, &mut Vec::new()).is_some() {
                outcome.met = Some(ConditionTrace { nodes });
            }
        } else if let Some(holds) = run(&ind.met, &mut missing, &mut outcome.met) {
            outcome.status = if holds { Status::Met } else { Status::NotMet };
        }
    }
    if !missing.is_empty() {
        return Err(MissingInputs { needed: missing });
    }

    let status = |i: usize| into.indicators[i].status;
    let (total_euros, total_points) = settle(
        rulebook,
        values,
        status,
        &mut into.groups,
        &mut into.payments,
        &mut into.spare_chains,
    )?;
    if options.what_if {
        let statuses: Vec<Status> = into.indicators.iter().map(|o| o.status).collect();
        let (mut groups, mut payments, mut spare) = (Vec::new(), Vec::new(), Vec::new());
        for (i, ind) in rulebook.indicators.iter().enumerate() {
            if statuses[i] == Status::NotMet && ind.source != Source::Automated {
                let status = |j: usize| if j == i { Status::Met } else { statuses[j] };
                // Unknown when the amount it would pay depends on a missing value.
                let if_met = settle(
                    rulebook,
                    values,
                    status,
                    &mut groups,
                    &mut payments,
                    &mut spare,
                )
                .ok();
                let outcome = &mut into.indicators[i];
                outcome.total_if_met = if_met.map(|(euros, _)| euros);
                if if_met.is_some() {
                    outcome.held_back_by = held_back(rulebook, i, &groups, &payments);
                }
            }
        }
    }
    into.declaration_id.clear();
    into.declaration_id.push_str(&declaration.id);
    // Explanations read the values; a batch that only needs amounts skips the copy.
    into.values.clear();
    if options.trace {
        into.values.extend_from_slice(values);
    }
    into.total_euros = total_euros;
    into.total_points = total_points;
    Ok(())
}

/// From the indicators' statuses to groups, gates and payment lines (written into `groups`
/// and `payments`, their storage reused); returns the total in euros and in points. Fails
/// when a line that pays needs a missing value to choose its amount.
fn settle(
    rulebook: &CompiledRulebook,
    values: &[Value],
    status_of_indicator: impl Fn(usize) -> Status,
    groups: &mut Vec<GroupOutcome>,
    payments: &mut Vec<PaymentOutcome>,
    spare_chains: &mut Vec<Vec<Target>>,
) -> Result<(Decimal, Decimal), MissingInputs> {
    groups.clear();
    groups.resize(
        rulebook.groups.len(),
        GroupOutcome {
            status: Status::NotMet,
            members_met: 0,
            members_counted: 0,
        },
    );
    for &g in &rulebook.group_order {
        let group = &rulebook.groups[g];
        let member_status = |t: &Target| match t {
            Target::Indicator(i) => status_of_indicator(*i),
            Target::Group(inner) => groups[*inner].status,
        };
        // Members that count (applicable, not neutralised), and those met; counted without
        // branches (statuses vary from row to row: branches on them mispredict).
        let (mut counted, mut met, mut all_not_applicable) = (0, 0, true);
        for member in &group.members {
            let status = member_status(member);
            counted += usize::from(matches!(status, Status::Met | Status::NotMet));
            met += usize::from(status == Status::Met);
            all_not_applicable &= status == Status::NotApplicable;
        }
        let status = if all_not_applicable {
            Status::NotApplicable
        } else {
            let holds = match group.kind {
                GroupKind::AllOf => met == counted,
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
            members_counted: counted,
        };
    }

    let status_of = |t: Target| match t {
        Target::Indicator(i) => status_of_indicator(i),
        Target::Group(g) => groups[g].status,
    };
    // Lines' euros have two decimals (`round_to_cents`): summed as integer cents.
    let mut total_cents: i128 = 0;
    let mut in_cents = true;
    let mut total_points = Decimal::ZERO;
    // Lines are written field by field into the outcome's own: building each line and
    // moving it in stalled on the copy (store forwarding) in the profiles.
    payments.resize_with(rulebook.payments.len(), || PaymentOutcome {
        status: PaymentStatus::Paid,
        variant: None,
        euros: money::ZERO_CENTS,
        points: None,
        units: None,
    });
    let mut missing = Vec::new();
    for (payment, line) in rulebook.payments.iter().zip(payments.iter_mut()) {
        let owner_status = status_of(payment.owner);
        // The vector of the chain this line held for the previous declaration, reused.
        // The vector of the chain this line held for the previous declaration, if any.
        let mut old_chain = match &mut line.status {
            PaymentStatus::GateNotMet(chain) => Some(std::mem::take(chain)),
            _ => None,
        };
        let gates = rulebook.gates(payment.owner);
        line.status = if owner_status != Status::Met {
            PaymentStatus::OwnerNot(owner_status)
        } else if !gates
            .iter()
            .any(|g| blocking_chain(rulebook, *g, &status_of, 0, None))
        {
            PaymentStatus::Paid
        } else {
            // Blocked: only now is the chain worth writing down.
            let mut chain = old_chain
                .take()
                .or_else(|| spare_chains.pop())
                .unwrap_or_default();
            chain.clear();
            gates
                .iter()
                .any(|g| blocking_chain(rulebook, *g, &status_of, 0, Some(&mut chain)));
            PaymentStatus::GateNotMet(chain)
        };
        if let Some(chain) = old_chain {
            spare_chains.push(chain);
        }
        line.variant = None;
        // Two decimals even when nothing is paid: `0.00`, as every amount.
        line.euros = money::ZERO_CENTS;
        line.points = None;
        line.units = None;
        if line.status != PaymentStatus::Paid {
            if payment.in_points {
                line.points = Some(Decimal::ZERO);
            }
            continue;
        }
        // The amount: the first variant whose `when` holds (the last is `otherwise`).
        let mut chosen = None;
        for (index, v) in payment.variants.iter().enumerate() {
            let Some(when) = &v.when else {
                chosen = Some(index);
                break;
            };
            let mut unknown = Vec::new();
            match expr(&when.expr, values, None, &mut unknown) {
                Some(true) => {
                    chosen = Some(index);
                    break;
                }
                Some(false) => {}
                None => {
                    missing.extend(unknown.into_iter().map(|s| (s, Some(payment.owner))));
                    break;
                }
            }
        }
        line.variant = chosen;
        let Some(v) = chosen.and_then(|c| payment.variants.get(c)) else {
            continue;
        };
        let units = match v.per {
            None => None,
            Some(slot) => match &values[slot] {
                Value::Count(n) => Some(*n),
                Value::Missing => {
                    missing.push((slot, Some(payment.owner)));
                    None
                }
                _ => Some(0),
            },
        };
        line.units = units;
        let (euros, points) = line_amount(v, units, rulebook.meta.point_value);
        line.euros = euros;
        line.points = points;
        if let Some(points) = points {
            total_points += points;
        }
        total_cents += line.euros.mantissa();
        in_cents &= line.euros.scale() == 2;
    }
    if !missing.is_empty() {
        return Err(MissingInputs { needed: missing });
    }
    let in_cents = in_cents.then(|| Decimal::try_from_i128_with_scale(total_cents, 2).ok());
    let total_euros = in_cents.flatten().unwrap_or_else(|| {
        // An amount rounding could not give two decimals, or a sum beyond what a `Decimal`
        // holds: added as decimals, which say so.
        money::round_to_cents(
            payments
                .iter()
                .filter(|line| line.status == PaymentStatus::Paid)
                .map(|line| line.euros)
                .sum(),
        )
    });
    Ok((total_euros, total_points))
}

/// What a line pays with amount `v`: its euros, rounded to the cent, and its points when
/// it pays points; `units` is the count of a `per` amount. The one computation of an
/// amount, for both evaluators.
pub(crate) fn line_amount(
    v: &AmountVariantDef,
    units: Option<u64>,
    point_value: Option<Decimal>,
) -> (Decimal, Option<Decimal>) {
    match (units, v.unit) {
        // A fixed amount: its euros were worked out once, by `check`.
        (None, AmountUnit::Euros) => (v.fixed_euros, None),
        (None, AmountUnit::Points) => (v.fixed_euros, Some(v.amount)),
        (Some(n), AmountUnit::Euros) => (money::round_to_cents(v.amount * Decimal::from(n)), None),
        (Some(n), AmountUnit::Points) => {
            let amount = v.amount * Decimal::from(n);
            let value = point_value.unwrap_or(Decimal::ZERO);
            (money::round_to_cents(amount * value), Some(amount))
        }
    }
}

/// What holds back the line indicator `i` pays through, once `settle` has run with it met:
/// the first payment line found going out from it through the groups around it.
fn held_back(
    rulebook: &CompiledRulebook,
    i: usize,
    groups: &[GroupOutcome],
    payments: &[PaymentOutcome],
) -> Option<Target> {
    let indicator = Target::Indicator(i);
    let around = rulebook.enclosing_groups(indicator).map(Target::Group);
    // The innermost group around `i` that is not met, on the way out.
    let mut not_met = None;
    for at in std::iter::once(indicator).chain(around) {
        if let Target::Group(g) = at {
            if not_met.is_none() && groups[g].status == Status::NotMet {
                not_met = Some(at);
            }
        }
        if let Some(line) = rulebook.rule(at).payment.and_then(|p| payments.get(p)) {
            return match &line.status {
                PaymentStatus::GateNotMet(chain) => chain.last().copied(),
                PaymentStatus::OwnerNot(_) => not_met,
                PaymentStatus::Paid => None,
            };
        }
    }
    None
}

/// Whether a gate does not pass: `true`, with `chain` (when given) extended by the chain
/// from it to the rule that is not met; `false` (and `chain` as it was) when it passes. A
/// neutralised or not-applicable gate passes: it is not required of this professional, as
/// inside an `all-of` group.
fn blocking_chain<F: Fn(Target) -> Status>(
    rulebook: &CompiledRulebook,
    gate: Target,
    status_of: &F,
    depth: usize,
    mut chain: Option<&mut Vec<Target>>,
) -> bool {
    if let Some(chain) = chain.as_deref_mut() {
        chain.push(gate);
    }
    // `check` refuses gating cycles; the depth bound only guards against a bug there.
    if status_of(gate) == Status::NotMet
        || depth > rulebook.indicators.len() + rulebook.groups.len()
    {
        return true;
    }
    if rulebook
        .gates(gate)
        .iter()
        .any(|g| blocking_chain(rulebook, *g, status_of, depth + 1, chain.as_deref_mut()))
    {
        return true;
    }
    if let Some(chain) = chain {
        chain.pop();
    }
    false
}

/// Partial evaluation: a condition over values of which only some are known, the others
/// `Value::Missing`. `Some` when the known values decide it (`a or b` with `a` true),
/// `None` when it depends on an unknown one. It is the evaluator that `evaluate` runs (a
/// declaration's missing input is an unknown value), so full and partial evaluation cannot
/// disagree on what `=`, `in` or a rate mean; `check` runs it over the profiles that decide
/// a stated total's maximum.
pub fn partial(condition: &Expr, values: &[Value]) -> Option<bool> {
    traced::<false>(condition, values, &mut Vec::new(), &mut Vec::new())
}

/// Evaluates a condition with three values: `None` when a missing input leaves it
/// undecided (its slots are added to `missing`). A missing input that the rest of the
/// condition makes irrelevant (`a or b` with `a` true) is no error. Every node is evaluated
/// (no short-circuit) so that the trace is complete; nodes are pushed in pre-order.
fn expr(
    e: &Expr,
    values: &[Value],
    sink: Option<&mut Vec<Node>>,
    missing: &mut Vec<Slot>,
) -> Option<bool> {
    match sink {
        Some(nodes) => traced::<true>(e, values, nodes, missing),
        None => traced::<false>(e, values, &mut Vec::new(), missing),
    }
}

/// `expr`, compiled twice: with `TRACE` off (batches) no node is ever written, and the
/// code that would write them is gone.
fn traced<const TRACE: bool>(
    e: &Expr,
    values: &[Value],
    nodes: &mut Vec<Node>,
    missing: &mut Vec<Slot>,
) -> Option<bool> {
    let index = TRACE.then(|| {
        nodes.push(Node {
            holds: false,
            note: Note::Decided,
        });
        nodes.len() - 1
    });
    let result: Result<(bool, Note), ()> = match e {
        Expr::Const(b) => Ok((*b, Note::Decided)),
        Expr::Flag(slot) => match &values[*slot] {
            Value::YesNo(b) => Ok((*b, Note::Decided)),
            Value::Missing => {
                missing.push(*slot);
                Err(())
            }
            _ => Ok((false, Note::NoValue)),
        },
        Expr::Compare { left, op, right } => {
            match (term(left, values, missing), term(right, values, missing)) {
                (Ok(Some(l)), Ok(Some(r))) => Ok(match compare(l, *op, r) {
                    Some(holds) => (holds, Note::Decided),
                    None => (false, Note::NoValue),
                }),
                (Err(()), _) | (_, Err(())) => Err(()),
                _ => Ok((false, Note::NoValue)),
            }
        }
        Expr::Rate {
            numerator,
            denominator,
            op,
            threshold,
            ..
        } => match (
            count(*numerator, values, missing),
            count(*denominator, values, missing),
        ) {
            (Ok(Some(n)), Ok(Some(d))) => Ok(match threshold.compare_rate(n, d) {
                Some(ordering) => (satisfies(*op, ordering), Note::Decided),
                None => (false, Note::ZeroDenominator),
            }),
            (Err(()), _) | (_, Err(())) => Err(()),
            _ => Ok((false, Note::NoValue)),
        },
        Expr::InSet { input, members, .. } => match &values[*input] {
            Value::Choice(c) => Ok((members.contains(c), Note::Decided)),
            Value::Missing => {
                missing.push(*input);
                Err(())
            }
            _ => Ok((false, Note::NoValue)),
        },
        Expr::Not(inner) => match traced::<TRACE>(inner, values, nodes, missing) {
            Some(h) => Ok((!h, Note::Decided)),
            None => Err(()),
        },
        Expr::All(parts) | Expr::Any(parts) => {
            let all = matches!(e, Expr::All(_));
            let mut decided = None;
            let mut unknown = false;
            for part in parts {
                match traced::<TRACE>(part, values, nodes, missing) {
                    // `false` decides an `all`, `true` decides an `any`.
                    Some(h) if h != all => decided = Some(h),
                    Some(_) => {}
                    None => unknown = true,
                }
            }
            match (decided, unknown) {
                (Some(h), _) => Ok((h, Note::Decided)),
                (None, false) => Ok((all, Note::Decided)),
                (None, true) => Err(()),
            }
        }
    };
    let (holds, note) = match result {
        Ok(decided) => decided,
        Err(()) => (false, Note::Missing),
    };
    if let Some(i) = index {
        nodes[i] = Node { holds, note };
    }
    result.ok().map(|(h, _)| h)
}

/// A term's value: `Ok(None)` when absent, `Err` when missing and required.
fn term<'v>(
    t: &'v Term,
    values: &'v [Value],
    missing: &mut Vec<Slot>,
) -> Result<Option<&'v Value>, ()> {
    match t {
        Term::Const(v) => Ok(Some(v)),
        Term::Input(slot) => match &values[*slot] {
            Value::Missing => {
                missing.push(*slot);
                Err(())
            }
            Value::Absent => Ok(None),
            v => Ok(Some(v)),
        },
    }
}

fn count(slot: Slot, values: &[Value], missing: &mut Vec<Slot>) -> Result<Option<u64>, ()> {
    match &values[slot] {
        Value::Count(n) => Ok(Some(*n)),
        Value::Missing => {
            missing.push(slot);
            Err(())
        }
        _ => Ok(None),
    }
}

/// `l op r`, or `None` when the two are not of one type.
fn compare(l: &Value, op: Comparator, r: &Value) -> Option<bool> {
    compare_scalars(Scalar::of(l)?, op, Scalar::of(r)?)
}

/// A present value, borrowed: what a comparison reads, whether the value sits in a
/// declaration (`Value`) or in a column of a piece (`vector`).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Scalar<'v> {
    YesNo(bool),
    Count(u64),
    Decimal(&'v Decimal),
    Date(crate::value::Date),
    Text(&'v str),
    Choice(u32),
}

impl<'v> Scalar<'v> {
    /// `None` for a value that is not there (missing or absent).
    pub(crate) fn of(value: &'v Value) -> Option<Scalar<'v>> {
        Some(match value {
            Value::Missing | Value::Absent => return None,
            Value::YesNo(b) => Scalar::YesNo(*b),
            Value::Count(n) => Scalar::Count(*n),
            Value::Decimal(d) => Scalar::Decimal(d),
            Value::Date(d) => Scalar::Date(*d),
            Value::Text(t) => Scalar::Text(t),
            Value::Choice(c) => Scalar::Choice(*c),
        })
    }
}

/// `l op r`, or `None` when the two are not of one type: the one definition of a
/// comparison, for both evaluators.
pub(crate) fn compare_scalars(l: Scalar<'_>, op: Comparator, r: Scalar<'_>) -> Option<bool> {
    match (l, op, r) {
        // Texts are mostly tested for (in)equality, often with `""`: no ordering needed.
        (Scalar::Text(a), Comparator::Equal, Scalar::Text(b)) => Some(same_text(a, b)),
        (Scalar::Text(a), Comparator::NotEqual, Scalar::Text(b)) => Some(!same_text(a, b)),
        _ => order(l, r).map(|ordering| satisfies(op, ordering)),
    }
}

/// `a == b`, without calling `memcmp` for two empty texts (the common `lieux != ""` of a
/// declaration that leaves the field blank): that call alone cost 8 % of a batch.
fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.is_empty() || a == b)
}

fn order(l: Scalar<'_>, r: Scalar<'_>) -> Option<std::cmp::Ordering> {
    match (l, r) {
        (Scalar::Count(a), Scalar::Count(b)) => Some(a.cmp(&b)),
        (Scalar::Decimal(a), Scalar::Decimal(b)) => Some(a.cmp(b)),
        (Scalar::Date(a), Scalar::Date(b)) => Some(a.cmp(&b)),
        (Scalar::Text(a), Scalar::Text(b)) => Some(a.cmp(b)),
        (Scalar::YesNo(a), Scalar::YesNo(b)) => Some(a.cmp(&b)),
        (Scalar::Choice(a), Scalar::Choice(b)) => Some(a.cmp(&b)),
        _ => None,
    }
}

#[inline]
pub(crate) fn satisfies(op: Comparator, ordering: std::cmp::Ordering) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_evaluation_decides_what_the_known_values_decide() {
        // `flag or profession = 2`, then `flag and profession = 2`.
        let profession_is_2 = Expr::Compare {
            left: Term::Input(1),
            op: Comparator::Equal,
            right: Term::Const(Value::Choice(2)),
        };
        let any = Expr::Any(vec![Expr::Flag(0), profession_is_2.clone()]);
        let all = Expr::All(vec![Expr::Flag(0), profession_is_2]);
        let unknown_flag = |profession| [Value::Missing, Value::Choice(profession)];
        assert_eq!(partial(&any, &unknown_flag(2)), Some(true));
        assert_eq!(partial(&any, &unknown_flag(1)), None);
        assert_eq!(partial(&all, &unknown_flag(1)), Some(false));
        assert_eq!(partial(&all, &unknown_flag(2)), None);
        let known = [Value::YesNo(true), Value::Choice(2)];
        assert_eq!(partial(&all, &known), Some(true));
    }
}
