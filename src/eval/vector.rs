//! A piece of declarations evaluated at once, as vectorised engines do: each condition over
//! every row of a [`Table`] in one tight loop, then each indicator's status, each group's,
//! each gate and payment line, column after column, instead of walking the rules row after
//! row. It gives what a CSV result row shows (statuses, each line's euros, the totals) for
//! the rows the table holds plainly, and nothing else: explanations, what-ifs and
//! rejections are the row evaluator's (`evaluate_into`).
//!
//! The two evaluators cannot disagree on what a comparison or an amount is: both call
//! `compare_scalars`, `satisfies`, `Ratio::compare_rate` and `line_amount`. An absent value
//! (`missing means none`) makes a comparison false, as it does row by row. When no value of
//! the piece is missing, a condition is plain two-valued logic; otherwise it is also known to
//! be decided or not (as `traced` finds it), and a row whose result a missing value decides
//! goes to the row evaluator, which rejects it and says which value. The batch tests hold
//! the two to the same result rows on every rulebook of the repository.

use rust_decimal::Decimal;

use super::{compare_scalars, line_amount, satisfies, Scalar, Status};
use crate::model::*;
use crate::table::{Column, Table, Values};

/// What a piece's rows show, column by column.
#[derive(Debug, Default)]
pub struct PieceOutcome {
    /// Each indicator's status, a row each.
    indicators: Vec<Vec<Status>>,
    groups: Vec<Vec<Status>>,
    /// Each payment line's euros, in cents, a row each.
    line_cents: Vec<Vec<i64>>,
    total_cents: Vec<i64>,
    /// Points earned, as mantissas at `points_scale` (the largest scale of any amount in
    /// points): added as integers, exactly.
    total_points: Vec<i128>,
    points_scale: u32,
    /// Rows to evaluate row by row: slow in the table, a missing value that a rule needs
    /// (the row evaluator rejects the row and says which), or amounts beyond the integers
    /// above (a line paying 10^16 EUR).
    by_row: Vec<bool>,
    scratch: Scratch,
}

/// Buffers reused from piece to piece.
#[derive(Debug, Default)]
struct Scratch {
    /// Masks lent out to the conditions being evaluated (one per level of nesting).
    masks: Vec<Vec<bool>>,
    /// Per rule (indicators, then groups): whether it blocks what waits on it.
    blocked: Vec<Vec<bool>>,
    blocked_done: Vec<bool>,
    /// Per row: the amount variant chosen, and group members counted and met.
    chosen: Vec<u8>,
    counted: Vec<u32>,
    met: Vec<u32>,
    all_not_applicable: Vec<bool>,
}

/// No variant chosen (yet).
const NONE: u8 = u8::MAX;

impl PieceOutcome {
    pub fn status(&self, indicator: usize, row: usize) -> Status {
        self.indicators[indicator][row]
    }

    /// Line `line`'s euros for `row`, two decimals.
    pub fn line_euros(&self, line: usize, row: usize) -> Decimal {
        Decimal::new(self.line_cents[line][row], 2)
    }

    pub fn line_cents(&self, line: usize, row: usize) -> i64 {
        self.line_cents[line][row]
    }

    pub fn total_cents(&self, row: usize) -> i64 {
        self.total_cents[row]
    }

    /// The total in euros, two decimals, as the row evaluator gives it.
    pub fn total_euros(&self, row: usize) -> Decimal {
        Decimal::new(self.total_cents[row], 2)
    }

    /// The points earned, as the row evaluator gives them (their scale may differ; the
    /// result row writes them normalised). A row whose points a `Decimal` cannot hold is
    /// `by_row`, never shown from here.
    pub fn total_points(&self, row: usize) -> Decimal {
        Decimal::try_from_i128_with_scale(self.total_points[row], self.points_scale)
            .unwrap_or_default()
    }

    /// True when this evaluation does not give `row`'s result: evaluate it alone.
    pub fn by_row(&self, row: usize) -> bool {
        self.by_row[row]
    }
}

/// The most digits after the point of any amount in points: a declaration's points have no
/// more (each line's are an amount times a count of units).
pub fn points_scale(rulebook: &CompiledRulebook) -> u32 {
    rulebook
        .payments
        .iter()
        .flat_map(|p| &p.variants)
        .filter(|v| v.unit == AmountUnit::Points)
        .map(|v| v.amount.scale())
        .max()
        .unwrap_or(0)
}

/// True when this evaluator can take the rulebook's every rule (a line has fewer than 255
/// amounts: the one limit of its bookkeeping).
pub fn can_evaluate(rulebook: &CompiledRulebook) -> bool {
    rulebook
        .payments
        .iter()
        .all(|p| p.variants.len() < usize::from(NONE))
}

/// One row of a piece, as a result row shows it.
#[derive(Clone, Copy)]
pub struct PieceRow<'a> {
    pub outcome: &'a PieceOutcome,
    pub table: &'a Table,
    pub row: usize,
}

/// Evaluates every row of `table` into `into` (slow rows get meaningless results).
pub fn evaluate_piece(rulebook: &CompiledRulebook, table: &Table, into: &mut PieceOutcome) {
    let rows = table.rows();
    let scratch = &mut into.scratch;
    into.by_row.clear();
    into.by_row.extend_from_slice(&table.slow);
    // Three-valued logic only for a piece with a missing value.
    let three = table.columns.iter().any(|c| c.missing.iter().any(|m| *m));
    into.indicators
        .resize_with(rulebook.indicators.len(), Vec::new);
    for (i, indicator) in rulebook.indicators.iter().enumerate() {
        let mut status = std::mem::take(&mut into.indicators[i]);
        indicator_status(
            scratch,
            table,
            three,
            indicator,
            &mut status,
            &mut into.by_row,
        );
        into.indicators[i] = status;
    }
    into.groups.resize_with(rulebook.groups.len(), Vec::new);
    for &g in &rulebook.group_order {
        let mut status = std::mem::take(&mut into.groups[g]);
        group_status(
            scratch,
            &rulebook.groups[g],
            &into.indicators,
            &into.groups,
            rows,
            &mut status,
        );
        into.groups[g] = status;
    }
    let statuses = Statuses {
        indicators: &into.indicators,
        groups: &into.groups,
        indicator_count: rulebook.indicators.len(),
    };
    let targets = rulebook.indicators.len() + rulebook.groups.len();
    scratch.blocked.resize_with(targets, Vec::new);
    scratch.blocked_done.clear();
    scratch.blocked_done.resize(targets, false);

    into.points_scale = points_scale(rulebook);
    into.total_cents.clear();
    into.total_cents.resize(rows, 0);
    into.total_points.clear();
    into.total_points.resize(rows, 0);
    into.line_cents
        .resize_with(rulebook.payments.len(), Vec::new);
    let mut paid = take_mask(scratch, rows);
    for (p, payment) in rulebook.payments.iter().enumerate() {
        // Paid: the owner met, and none of its gates blocking.
        let owner = statuses.of(payment.owner);
        for (paid, owner) in paid.iter_mut().zip(owner) {
            *paid = *owner == Status::Met;
        }
        for &gate in rulebook.gates(payment.owner) {
            let b = blocked(scratch, rulebook, &statuses, gate, 0, rows);
            for (paid, blocked) in paid.iter_mut().zip(&scratch.blocked[b]) {
                *paid &= !*blocked;
            }
        }
        let mut cents = std::mem::take(&mut into.line_cents[p]);
        cents.clear();
        cents.resize(rows, 0);
        if paid.iter().any(|p| *p) {
            line(
                scratch,
                rulebook,
                table,
                payment,
                &paid,
                &mut cents,
                &mut into.total_points,
                into.points_scale,
                three,
                &mut into.by_row,
            );
            for ((total, cents), by_row) in into
                .total_cents
                .iter_mut()
                .zip(&cents)
                .zip(into.by_row.iter_mut())
            {
                // A sum beyond an `i64` of cents: the row evaluator adds it as decimals.
                match total.checked_add(*cents) {
                    Some(sum) => *total = sum,
                    None => *by_row = true,
                }
            }
        }
        into.line_cents[p] = cents;
    }
    give_mask(scratch, paid);
    // Points beyond what a `Decimal` holds: the row evaluator says what it makes of them.
    let pays_points = rulebook
        .payments
        .iter()
        .flat_map(|p| &p.variants)
        .any(|v| v.unit == AmountUnit::Points);
    if pays_points {
        for (points, by_row) in into.total_points.iter().zip(into.by_row.iter_mut()) {
            *by_row |= Decimal::try_from_i128_with_scale(*points, into.points_scale).is_err();
        }
    }
}

/// Every rule's statuses, by target.
struct Statuses<'a> {
    indicators: &'a [Vec<Status>],
    groups: &'a [Vec<Status>],
    indicator_count: usize,
}

impl Statuses<'_> {
    fn of(&self, target: Target) -> &[Status] {
        match target {
            Target::Indicator(i) => &self.indicators[i],
            Target::Group(g) => &self.groups[g],
        }
    }

    fn index(&self, target: Target) -> usize {
        match target {
            Target::Indicator(i) => i,
            Target::Group(g) => self.indicator_count + g,
        }
    }
}

/// An indicator's status on every row: not applicable, neutralised, met or not met, as
/// `evaluate_into` decides it; a row where a missing value the indicator needs leaves it
/// undecided is marked `by_row` (the row evaluator rejects it, naming the value).
fn indicator_status(
    scratch: &mut Scratch,
    table: &Table,
    three: bool,
    indicator: &IndicatorDef,
    status: &mut Vec<Status>,
    by_row: &mut [bool],
) {
    let rows = table.rows();
    let (mut holds, mut known) = (take_mask(scratch, rows), take_mask(scratch, rows));
    if !three && indicator.applies.is_none() && indicator.neutralisations.is_empty() {
        // The usual indicator: its `met when` alone decides, on every row.
        condition(
            scratch,
            table,
            three,
            &indicator.met.expr,
            &mut holds,
            &mut known,
        );
        status.clear();
        status.extend(holds.iter().map(|met| match met {
            true => Status::Met,
            false => Status::NotMet,
        }));
        give_mask(scratch, known);
        give_mask(scratch, holds);
        return;
    }
    // Rows where the indicator applies and is not neutralised: its `met when` decides.
    let mut open = take_mask(scratch, rows);
    open.fill(true);
    status.clear();
    status.resize(rows, Status::NotMet);
    if let Some(applies) = &indicator.applies {
        condition(scratch, table, three, &applies.expr, &mut holds, &mut known);
        for r in 0..rows {
            if three && !known[r] {
                by_row[r] = true;
                open[r] = false;
            } else if !holds[r] {
                status[r] = Status::NotApplicable;
                open[r] = false;
            }
        }
    }
    // The neutralisations in order, up to the first that holds.
    for neutralisation in &indicator.neutralisations {
        let when = neutralisation.when.as_ref();
        optional_condition(scratch, table, three, when, &mut holds, &mut known);
        let decided = Decided {
            holds: &holds,
            known: &known,
            three,
        };
        decided.take(&mut open, by_row, |r| status[r] = Status::Neutralised);
    }
    condition(
        scratch,
        table,
        three,
        &indicator.met.expr,
        &mut holds,
        &mut known,
    );
    let decided = Decided {
        holds: &holds,
        known: &known,
        three,
    };
    decided.take(&mut open, by_row, |r| status[r] = Status::Met);
    give_mask(scratch, open);
    give_mask(scratch, known);
    give_mask(scratch, holds);
}

/// A group's status on every row, from its members' (as `settle` decides it).
fn group_status(
    scratch: &mut Scratch,
    group: &GroupDef,
    indicators: &[Vec<Status>],
    groups: &[Vec<Status>],
    rows: usize,
    status: &mut Vec<Status>,
) {
    let (counted, met, all_na) = (
        &mut scratch.counted,
        &mut scratch.met,
        &mut scratch.all_not_applicable,
    );
    counted.clear();
    counted.resize(rows, 0);
    met.clear();
    met.resize(rows, 0);
    all_na.clear();
    all_na.resize(rows, true);
    for member in &group.members {
        let of = match member {
            Target::Indicator(i) => &indicators[*i],
            Target::Group(g) => &groups[*g],
        };
        for (((s, counted), met), all_na) in of
            .iter()
            .zip(counted.iter_mut())
            .zip(met.iter_mut())
            .zip(all_na.iter_mut())
        {
            *counted += u32::from(matches!(s, Status::Met | Status::NotMet));
            *met += u32::from(*s == Status::Met);
            *all_na &= *s == Status::NotApplicable;
        }
    }
    status.clear();
    status.extend(counted.iter().zip(met.iter()).zip(all_na.iter()).map(
        |((counted, met), all_na)| {
            let holds = match group.kind {
                GroupKind::AllOf => met == counted,
                GroupKind::EachOf => *met > 0,
            };
            match (all_na, holds) {
                (true, _) => Status::NotApplicable,
                (false, true) => Status::Met,
                (false, false) => Status::NotMet,
            }
        },
    ));
}

/// Whether `gate` blocks what waits on it, on every row: it is not met, or one of its own
/// gates blocks (a neutralised or not-applicable gate passes, as in `blocking_chain`).
/// Worked out once per piece for each rule; returns its index in `scratch.blocked`.
fn blocked(
    scratch: &mut Scratch,
    rulebook: &CompiledRulebook,
    statuses: &Statuses<'_>,
    gate: Target,
    depth: usize,
    rows: usize,
) -> usize {
    let index = statuses.index(gate);
    if scratch.blocked_done[index] {
        return index;
    }
    let mut blocked_rows = std::mem::take(&mut scratch.blocked[index]);
    blocked_rows.clear();
    // `check` refuses gating cycles; the bound only guards against a bug there, as in
    // `blocking_chain`.
    if depth > rulebook.indicators.len() + rulebook.groups.len() {
        blocked_rows.resize(rows, true);
    } else {
        blocked_rows.extend(statuses.of(gate).iter().map(|s| *s == Status::NotMet));
        for &inner in rulebook.gates(gate) {
            let b = blocked(scratch, rulebook, statuses, inner, depth + 1, rows);
            for (mine, theirs) in blocked_rows.iter_mut().zip(&scratch.blocked[b]) {
                *mine |= *theirs;
            }
        }
    }
    scratch.blocked[index] = blocked_rows;
    scratch.blocked_done[index] = true;
    index
}

/// What a line pays on the rows where it pays: the first amount whose `when` holds.
#[allow(clippy::too_many_arguments)]
fn line(
    scratch: &mut Scratch,
    rulebook: &CompiledRulebook,
    table: &Table,
    payment: &PaymentDef,
    paid: &[bool],
    cents: &mut [i64],
    total_points: &mut [i128],
    points_scale: u32,
    three: bool,
    by_row: &mut [bool],
) {
    let rows = table.rows();
    let point_value = rulebook.meta.point_value;
    if let [only] = payment.variants.as_slice() {
        if only.when.is_none() && only.per.is_none() {
            // The usual line, one fixed amount: paid or nothing, without a branch a row.
            let (euros, points) = line_amount(only, None, point_value);
            let Some((c, p)) = exact(euros, points, points_scale) else {
                for (by_row, paid) in by_row.iter_mut().zip(paid) {
                    *by_row |= *paid;
                }
                return;
            };
            for (cents, paid) in cents.iter_mut().zip(paid) {
                *cents = if *paid { c } else { 0 };
            }
            if p != 0 {
                for (points, paid) in total_points.iter_mut().zip(paid) {
                    // A mask, all ones or none: `if` makes a branch of an `i128` sum,
                    // mispredicted as often as lines are paid or not.
                    *points += p & -i128::from(*paid);
                }
            }
            return;
        }
    }
    let mut chosen = std::mem::take(&mut scratch.chosen);
    chosen.clear();
    chosen.resize(rows, NONE);
    let (mut when, mut known) = (take_mask(scratch, rows), take_mask(scratch, rows));
    // Rows still choosing: the line pays there, and no amount was chosen yet.
    let mut choosing = take_mask(scratch, rows);
    choosing.copy_from_slice(paid);
    for (index, variant) in payment.variants.iter().enumerate() {
        let index = u8::try_from(index).unwrap_or(NONE - 1);
        let condition_ = variant.when.as_ref();
        optional_condition(scratch, table, three, condition_, &mut when, &mut known);
        let decided = Decided {
            holds: &when,
            known: &known,
            three,
        };
        decided.take(&mut choosing, by_row, |r| chosen[r] = index);
    }
    give_mask(scratch, choosing);
    give_mask(scratch, known);
    give_mask(scratch, when);
    for (index, variant) in payment.variants.iter().enumerate() {
        let index = u8::try_from(index).unwrap_or(NONE - 1);
        match variant.per {
            // A fixed amount, the same on every row that chose it.
            None => {
                let (euros, points) = line_amount(variant, None, point_value);
                let fixed = exact(euros, points, points_scale);
                for r in 0..rows {
                    if chosen[r] != index {
                        continue;
                    }
                    match fixed {
                        Some((c, p)) => {
                            cents[r] = c;
                            total_points[r] += p;
                        }
                        None => by_row[r] = true,
                    }
                }
            }
            Some(slot) => {
                let column = &table.columns[slot];
                for r in 0..rows {
                    if chosen[r] != index {
                        continue;
                    }
                    if column.missing.get(r).copied().unwrap_or(false) {
                        by_row[r] = true;
                        continue;
                    }
                    // An absent count pays for none (as row by row).
                    let units = match &column.values {
                        Values::Count(n) if !is_absent(column, r) => n[r],
                        _ => 0,
                    };
                    let (euros, points) = line_amount(variant, Some(units), point_value);
                    match exact(euros, points, points_scale) {
                        Some((c, p)) => {
                            cents[r] = c;
                            total_points[r] += p;
                        }
                        None => by_row[r] = true,
                    }
                }
            }
        }
    }
    scratch.chosen = chosen;
}

/// A line's euros as cents and its points as a mantissa at `points_scale` (0 for a line in
/// euros), when both fit the integers the piece adds them in.
fn exact(euros: Decimal, points: Option<Decimal>, points_scale: u32) -> Option<(i64, i128)> {
    let points = match points {
        Some(p) => scaled(p, points_scale)?,
        None => 0,
    };
    Some((cents_of(euros)?, points))
}

/// Which rows a condition decides, among those still open.
struct Decided<'a> {
    holds: &'a [bool],
    known: &'a [bool],
    three: bool,
}

impl Decided<'_> {
    /// The open rows where it holds are taken (`on`) and closed; those a missing value leaves
    /// undecided go to the row evaluator (which rejects them), and are closed too.
    fn take(&self, open: &mut [bool], by_row: &mut [bool], mut on: impl FnMut(usize)) {
        for r in 0..open.len() {
            if !open[r] {
                continue;
            }
            if self.three && !self.known[r] {
                by_row[r] = true;
                open[r] = false;
            } else if self.holds[r] {
                on(r);
                open[r] = false;
            }
        }
    }
}

/// Euros with two decimals as cents, when they are below 10^16 EUR.
fn cents_of(euros: Decimal) -> Option<i64> {
    const LIMIT: i128 = 10i128.pow(18);
    let mut euros = euros;
    euros.rescale(2);
    let m = euros.mantissa();
    (euros.scale() == 2 && m.abs() < LIMIT)
        .then(|| i64::try_from(m).ok())
        .flatten()
}

/// Points as a mantissa at `scale`, when that fits well inside an `i128`.
fn scaled(points: Decimal, scale: u32) -> Option<i128> {
    let shift = scale.checked_sub(points.scale())?;
    let m = points.mantissa().checked_mul(10i128.checked_pow(shift)?)?;
    (m.abs() < 10i128.pow(30)).then_some(m)
}

fn is_absent(column: &Column, row: usize) -> bool {
    column.absent.get(row).copied().unwrap_or(false)
}

fn take_mask(scratch: &mut Scratch, rows: usize) -> Vec<bool> {
    let mut mask = scratch.masks.pop().unwrap_or_default();
    mask.clear();
    mask.resize(rows, false);
    mask
}

fn give_mask(scratch: &mut Scratch, mask: Vec<bool>) {
    scratch.masks.push(mask);
}

/// A condition on every row: whether it holds, into `holds`, and, when the piece has
/// missing values (`three`), whether it is decided, into `known` (false where a missing
/// value leaves it undecided, as `traced` finds it: `a or b` with `a` true is decided
/// whatever `b`). Without missing values `known` is left as it is.
fn condition(
    scratch: &mut Scratch,
    table: &Table,
    three: bool,
    e: &Expr,
    holds: &mut [bool],
    known: &mut [bool],
) {
    if three {
        known.fill(true);
    }
    match e {
        Expr::Const(b) => holds.fill(*b),
        Expr::Flag(slot) => {
            let column = &table.columns[*slot];
            match &column.values {
                Values::YesNo(v) => {
                    for (o, v) in holds.iter_mut().zip(v) {
                        *o = *v;
                    }
                }
                _ => holds.fill(false),
            }
            read(column, three, holds, known);
        }
        Expr::Compare { left, op, right } => {
            compare(table, left, *op, right, holds);
            for term in [left, right] {
                if let Term::Input(slot) = term {
                    read(&table.columns[*slot], three, holds, known);
                }
            }
        }
        Expr::Rate {
            numerator,
            denominator,
            op,
            threshold,
            ..
        } => {
            let (n, d) = (&table.columns[*numerator], &table.columns[*denominator]);
            match (&n.values, &d.values) {
                (Values::Count(n), Values::Count(d)) => {
                    for ((out, n), d) in holds.iter_mut().zip(n).zip(d) {
                        // A zero denominator: no rate, not met.
                        *out = threshold
                            .compare_rate(*n, *d)
                            .is_some_and(|ordering| satisfies(*op, ordering));
                    }
                }
                _ => holds.fill(false),
            }
            read(n, three, holds, known);
            read(d, three, holds, known);
        }
        Expr::InSet { input, members, .. } => {
            let column = &table.columns[*input];
            match &column.values {
                Values::Choice(v) => {
                    // The members as a table by choice index: one load a row.
                    let size = members.iter().max().map_or(0, |m| *m as usize + 1);
                    let mut is_member = vec![false; size];
                    for m in members {
                        is_member[*m as usize] = true;
                    }
                    for (out, c) in holds.iter_mut().zip(v) {
                        *out = is_member.get(*c as usize).copied().unwrap_or(false);
                    }
                }
                _ => holds.fill(false),
            }
            read(column, three, holds, known);
        }
        Expr::Not(inner) => {
            condition(scratch, table, three, inner, holds, known);
            for o in holds.iter_mut() {
                *o = !*o;
            }
        }
        Expr::All(parts) | Expr::Any(parts) => {
            // `all`: holds where every part holds, decided where one part is decided
            // false or all are decided; `any` the other way round.
            let all = matches!(e, Expr::All(_));
            holds.fill(all);
            let rows = holds.len();
            let (mut part_holds, mut part_known) =
                (take_mask(scratch, rows), take_mask(scratch, rows));
            // Where a part decided the whole (false for `all`, true for `any`).
            let mut decided = take_mask(scratch, rows);
            for part in parts {
                condition(
                    scratch,
                    table,
                    three,
                    part,
                    &mut part_holds,
                    &mut part_known,
                );
                if !three {
                    for (o, p) in holds.iter_mut().zip(&part_holds) {
                        if all {
                            *o &= *p;
                        } else {
                            *o |= *p;
                        }
                    }
                    continue;
                }
                for (((o, k), d), (ph, pk)) in holds
                    .iter_mut()
                    .zip(known.iter_mut())
                    .zip(decided.iter_mut())
                    .zip(part_holds.iter().zip(&part_known))
                {
                    *k &= *pk;
                    *d |= *pk && *ph != all;
                    if all {
                        *o &= *ph && *pk;
                    } else {
                        *o |= *ph && *pk;
                    }
                }
            }
            if three {
                for (k, d) in known.iter_mut().zip(&decided) {
                    *k |= *d;
                }
            }
            give_mask(scratch, decided);
            give_mask(scratch, part_known);
            give_mask(scratch, part_holds);
        }
    }
}

/// A condition that may be left out (a neutralisation or an amount without `when`): then
/// it holds, decided, on every row.
fn optional_condition(
    scratch: &mut Scratch,
    table: &Table,
    three: bool,
    c: Option<&Condition>,
    holds: &mut [bool],
    known: &mut [bool],
) {
    match c {
        None => {
            holds.fill(true);
            known.fill(true);
        }
        Some(c) => condition(scratch, table, three, &c.expr, holds, known),
    }
}

/// What reading `column` does to a condition: an absent value makes it false, a missing
/// one leaves it undecided.
fn read(column: &Column, three: bool, holds: &mut [bool], known: &mut [bool]) {
    for (o, absent) in holds.iter_mut().zip(&column.absent) {
        *o &= !*absent;
    }
    if three {
        for (k, missing) in known.iter_mut().zip(&column.missing) {
            *k &= !*missing;
        }
    }
}

/// `left op right` on every row.
fn compare(table: &Table, left: &Term, op: Comparator, right: &Term, out: &mut [bool]) {
    // The common shapes, an input against a constant, in loops of their own.
    match (left, right) {
        (Term::Input(slot), Term::Const(c)) => {
            let column = &table.columns[*slot];
            match (&column.values, c) {
                (Values::Count(v), crate::value::Value::Count(c)) => {
                    for (o, v) in out.iter_mut().zip(v) {
                        *o = satisfies(op, v.cmp(c));
                    }
                }
                (Values::Choice(v), crate::value::Value::Choice(c)) => {
                    for (o, v) in out.iter_mut().zip(v) {
                        *o = satisfies(op, v.cmp(c));
                    }
                }
                (Values::Decimal(v), crate::value::Value::Decimal(c)) => {
                    for (o, v) in out.iter_mut().zip(v) {
                        *o = satisfies(op, v.cmp(c));
                    }
                }
                // `lieux_aller_vers != ""`.
                (Values::Text(v), crate::value::Value::Text(c)) => {
                    for (o, text) in out.iter_mut().zip(v.iter()) {
                        let compared = compare_scalars(Scalar::Text(text), op, Scalar::Text(c));
                        *o = compared.unwrap_or(false);
                    }
                }
                _ => general_compare(table, left, op, right, out),
            }
        }
        _ => general_compare(table, left, op, right, out),
    }
}

/// `left op right` on every row, a value at a time.
fn general_compare(table: &Table, left: &Term, op: Comparator, right: &Term, out: &mut [bool]) {
    for (r, o) in out.iter_mut().enumerate() {
        *o = match (scalar(table, left, r), scalar(table, right, r)) {
            (Some(l), Some(r)) => compare_scalars(l, op, r).unwrap_or(false),
            _ => false,
        };
    }
}

/// A term's value on row `r`; `None` when absent.
fn scalar<'t>(table: &'t Table, term: &'t Term, r: usize) -> Option<Scalar<'t>> {
    match term {
        Term::Const(v) => Scalar::of(v),
        Term::Input(slot) => {
            let column = &table.columns[*slot];
            if is_absent(column, r) {
                return None;
            }
            Some(match &column.values {
                Values::YesNo(v) => Scalar::YesNo(v[r]),
                Values::Count(v) => Scalar::Count(v[r]),
                Values::Decimal(v) => Scalar::Decimal(&v[r]),
                Values::Date(v) => Scalar::Date(v[r]),
                Values::Text(v) => Scalar::Text(v.get(r)),
                Values::Choice(v) => Scalar::Choice(v[r]),
            })
        }
    }
}
