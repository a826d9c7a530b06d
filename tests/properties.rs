//! Properties of evaluation, over random declarations for every shipped rulebook.
//!
//! `declarations(rulebook)` is a proptest `Strategy` that makes declarations for any
//! compiled rulebook, the way the declaration reader would hand them to `evaluate`: a value
//! per slot drawn by the input's type, biased towards the values the rules test (zero, the
//! constants of the conditions and one either side, rates exactly at their threshold, the
//! rulebook's dates and the day either side), and, sometimes, a field left out: `Missing`
//! when the input says `missing is error`, its default otherwise.
//!
//! Each property runs a few hundred cases on every rulebook of `rulebooks/*/*.forfait`, and
//! on the illustrative rulebook of docs/language.md.
//! The seed is fixed, so a run is reproducible; set `PROPTEST_RNG_SEED` to explore other
//! cases and `PROPTEST_CASES` to run more. A failure is shrunk and printed as a JSON
//! declaration that `forfait explain RULEBOOK FILE` reads.

#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use forfait::declaration::Declaration;
use forfait::eval::{Outcome, PaymentStatus, Status};
use forfait::model::{
    AmountUnit, Comparator, CompiledRulebook, Expr, InputType, MissingRule, Slot, Target, Term,
    PROFESSION,
};
use forfait::value::{Date, Value};
use forfait::{compile, evaluate, fmt, parse, EvalOptions};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use rust_decimal::Decimal;

// ------------------------------------------------------------------ the shipped rulebooks

struct Shipped {
    /// Relative to the crate, for messages.
    path: String,
    rulebook: CompiledRulebook,
    /// The same rulebook, formatted by `forfait fmt` and compiled again.
    formatted: CompiledRulebook,
    /// For each stated total, its `for` condition compiled (see `profile_conditions`).
    profiles: Vec<Option<Expr>>,
}

/// Run too, besides the shipped rulebooks (`rulebooks/*/*.forfait`).
const ILLUSTRATIVE: &str = "tests/cases/check/docs-illustrations.forfait";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shipped() -> &'static [Shipped] {
    static SHIPPED: OnceLock<Vec<Shipped>> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("rulebooks"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_dir())
            .flat_map(|dir| std::fs::read_dir(dir.path()).unwrap().flatten())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "forfait"))
            .collect();
        paths.sort();
        assert!(
            paths.len() >= 5,
            "expected the shipped rulebooks, found {paths:?}"
        );
        // The illustrative rulebook of docs/language.md has what the shipped ones lack:
        // decimals, dates and values that may be absent, `per`, neutralisations.
        paths.push(root().join(ILLUSTRATIVE));
        paths
            .iter()
            .map(|p| {
                let path = p.strip_prefix(root()).unwrap().display().to_string();
                let source = std::fs::read_to_string(p).unwrap();
                let rulebook = compile(&path, &source)
                    .unwrap_or_else(|r| panic!("{path} does not compile: {r:?}"))
                    .rulebook;
                let ast = parse(&source).unwrap();
                let text = fmt::format(&ast, &source);
                let formatted = compile(&path, &text)
                    .unwrap_or_else(|r| panic!("{path}, formatted, does not compile: {r:?}"))
                    .rulebook;
                let profiles = profile_conditions(&rulebook);
                Shipped {
                    path,
                    rulebook,
                    formatted,
                    profiles,
                }
            })
            .collect()
    })
}

/// The compiled `for` condition of each stated total, as the model keeps it.
fn profile_conditions(rulebook: &CompiledRulebook) -> Vec<Option<Expr>> {
    rulebook
        .stated_totals
        .iter()
        .map(|t| t.profile.as_ref().map(|c| c.expr.clone()))
        .collect()
}

// ------------------------------------------------------------------ what the rules test

/// Every condition of the rulebook: applies, neutralisations, met, amount variants.
fn conditions(rb: &CompiledRulebook) -> Vec<&Expr> {
    let mut all = Vec::new();
    for ind in &rb.indicators {
        if let Some(a) = &ind.applies {
            all.push(&a.expr);
        }
        for n in &ind.neutralisations {
            if let Some(w) = &n.when {
                all.push(&w.expr);
            }
        }
        all.push(&ind.met.expr);
    }
    for p in &rb.payments {
        for v in &p.variants {
            if let Some(w) = &v.when {
                all.push(&w.expr);
            }
        }
    }
    all
}

fn walk<'e>(e: &'e Expr, visit: &mut dyn FnMut(&'e Expr)) {
    visit(e);
    match e {
        Expr::Not(inner) => walk(inner, visit),
        Expr::All(parts) | Expr::Any(parts) => parts.iter().for_each(|p| walk(p, visit)),
        _ => {}
    }
}

/// A rate of two counts and its threshold, as a fraction in lowest terms.
#[derive(Clone, Copy, Debug)]
struct RatePair {
    numerator: Slot,
    denominator: Slot,
    p: u64,
    q: u64,
}

/// The values worth hitting: constants the conditions compare inputs with, and rates.
#[derive(Default)]
struct Hints {
    counts: Vec<BTreeSet<u64>>,
    decimals: Vec<Vec<Decimal>>,
    dates: Vec<BTreeSet<Date>>,
    texts: Vec<BTreeSet<String>>,
    /// Per `one of` input, the choices its conditions name (`x = a`, `x in list`): those
    /// that move outcomes (for a list, what qualifies).
    choices: Vec<BTreeSet<u32>>,
    all_dates: BTreeSet<Date>,
    rates: Vec<RatePair>,
}

impl Hints {
    fn of(rb: &CompiledRulebook) -> Hints {
        let n = rb.inputs.len();
        let mut h = Hints {
            counts: vec![BTreeSet::new(); n],
            decimals: vec![Vec::new(); n],
            dates: vec![BTreeSet::new(); n],
            texts: vec![BTreeSet::new(); n],
            choices: vec![BTreeSet::new(); n],
            ..Hints::default()
        };
        for year in [rb.meta.exercice, rb.meta.paid_in] {
            for (m, d) in [(1, 1), (1, 31), (12, 31)] {
                h.all_dates.extend(Date::new(year, m, d));
            }
        }
        for e in conditions(rb) {
            walk(e, &mut |node| match node {
                Expr::Compare { left, right, .. } => {
                    for (a, b) in [(left, right), (right, left)] {
                        let (Term::Input(slot), Term::Const(c)) = (a, b) else {
                            continue;
                        };
                        match c {
                            Value::Count(k) => {
                                h.counts[*slot].extend([k.saturating_sub(1), *k, k + 1]);
                            }
                            Value::Decimal(d) => {
                                let cent = Decimal::new(1, 2);
                                h.decimals[*slot].extend([*d - cent, *d, *d + cent]);
                            }
                            Value::Date(d) => {
                                let around = [previous_day(*d), Some(*d), next_day(*d)];
                                h.dates[*slot].extend(around.into_iter().flatten());
                                h.all_dates.extend(around.into_iter().flatten());
                            }
                            Value::Text(t) => {
                                h.texts[*slot].insert(t.clone());
                            }
                            Value::Choice(c) => {
                                h.choices[*slot].insert(*c);
                            }
                            _ => {}
                        }
                    }
                }
                Expr::Rate {
                    numerator,
                    denominator,
                    threshold,
                    ..
                } => h.rates.push(RatePair {
                    numerator: *numerator,
                    denominator: *denominator,
                    p: threshold.numerator(),
                    q: threshold.denominator(),
                }),
                Expr::InSet { input, members, .. } => {
                    h.choices[*input].extend(members.iter().copied());
                }
                _ => {}
            });
        }
        h
    }
}

fn ymd(d: Date) -> (u16, u8, u8) {
    let s = d.to_string();
    (
        s[0..4].parse().unwrap(),
        s[5..7].parse().unwrap(),
        s[8..10].parse().unwrap(),
    )
}

fn next_day(d: Date) -> Option<Date> {
    let (y, m, day) = ymd(d);
    Date::new(y, m, day + 1)
        .or_else(|| Date::new(y, m + 1, 1))
        .or_else(|| Date::new(y + 1, 1, 1))
}

fn previous_day(d: Date) -> Option<Date> {
    let (y, m, day) = ymd(d);
    if day > 1 {
        return Date::new(y, m, day - 1);
    }
    let (y, m) = if m > 1 { (y, m - 1) } else { (y - 1, 12) };
    (28..=31).rev().find_map(|last| Date::new(y, m, last))
}

// ------------------------------------------------------------------ the generator

/// A field as the file gives it: a value, or nothing (absent, `null`, a blank cell or text).
#[derive(Clone, Debug)]
enum Field {
    Given(Value),
    Blank,
}

fn weighted(options: Vec<(u32, BoxedStrategy<Field>)>) -> BoxedStrategy<Field> {
    Union::new_weighted(options).boxed()
}

fn given<S: Strategy<Value = Value> + 'static>(s: S) -> BoxedStrategy<Field> {
    s.prop_map(Field::Given).boxed()
}

/// The value of one field, by the input's type.
fn field(rb: &CompiledRulebook, slot: Slot, hints: &Hints) -> BoxedStrategy<Field> {
    let input = &rb.inputs[slot];
    match &input.ty {
        InputType::YesNo => given(proptest::bool::weighted(0.7).prop_map(Value::YesNo)),
        InputType::Count => {
            let mut options = vec![
                (2, given(Just(Value::Count(0)))),
                (4, given((0u64..=10).prop_map(Value::Count))),
                (3, given((0u64..=5000).prop_map(Value::Count))),
            ];
            let constants: Vec<u64> = hints.counts[slot].iter().copied().collect();
            if !constants.is_empty() {
                options.push((
                    3,
                    given(proptest::sample::select(constants).prop_map(Value::Count)),
                ));
            }
            weighted(options)
        }
        InputType::Decimal => {
            let mut options = vec![
                (1, given(Just(Value::Decimal(Decimal::ZERO)))),
                (
                    3,
                    given(
                        (-100_000i64..=1_000_000, 0u32..=2)
                            .prop_map(|(m, s)| Value::Decimal(Decimal::new(m, s))),
                    ),
                ),
            ];
            if !hints.decimals[slot].is_empty() {
                let constants = hints.decimals[slot].clone();
                options.push((
                    3,
                    given(proptest::sample::select(constants).prop_map(Value::Decimal)),
                ));
            }
            weighted(options)
        }
        InputType::Date => {
            let first = rb.meta.exercice.saturating_sub(1);
            let last = rb.meta.paid_in.saturating_add(1);
            let mut around: Vec<Date> = hints.dates[slot].iter().copied().collect();
            around.extend(hints.all_dates.iter().copied());
            let mut options = vec![(
                2,
                given((first..=last, 1u8..=12, 1u8..=31).prop_map(|(y, m, d)| {
                    Value::Date(Date::new(y, m, d).or_else(|| Date::new(y, m, 28)).unwrap())
                })),
            )];
            if !around.is_empty() {
                options.push((
                    3,
                    given(proptest::sample::select(around).prop_map(Value::Date)),
                ));
            }
            weighted(options)
        }
        InputType::Text => {
            let mut texts: Vec<String> = hints.texts[slot].iter().cloned().collect();
            texts.extend(["".into(), " ".into(), "Maison de santé".into()]);
            weighted(vec![
                (2, proptest::sample::select(texts).prop_map(text).boxed()),
                (2, "[a-zA-Zé ]{0,12}".prop_map(text).boxed()),
            ])
        }
        InputType::Choice(choices) => {
            let n = u32::try_from(choices.len()).unwrap();
            let named: Vec<u32> = hints.choices[slot].iter().copied().collect();
            if named.is_empty() {
                given((0..n).prop_map(Value::Choice))
            } else {
                // Long lists (15 connected devices) would rarely let every indicator be met
                // at once: the choices conditions name are drawn more often.
                weighted(vec![
                    (2, given((0..n).prop_map(Value::Choice))),
                    (
                        3,
                        given(proptest::sample::select(named).prop_map(Value::Choice)),
                    ),
                ])
            }
        }
    }
}

/// A text as the reader keeps it: trimmed; blank means not given.
fn text(s: String) -> Field {
    let t = s.trim();
    if t.is_empty() {
        Field::Blank
    } else {
        Field::Given(Value::Text(t.to_string()))
    }
}

/// Random declarations for any compiled rulebook, as the declaration reader makes them.
fn declarations(rb: &CompiledRulebook) -> BoxedStrategy<Declaration> {
    let hints = Hints::of(rb);
    let n = rb.inputs.len();
    let fields: Vec<BoxedStrategy<Field>> = (0..n).map(|s| field(rb, s, &hints)).collect();
    // Most declarations give every field; some leave a few out.
    let left_out = prop_oneof![
        3 => Just(vec![false; n]),
        1 => proptest::collection::vec(proptest::bool::weighted(0.1), n),
    ];
    // Per rate: keep the drawn counts, or put them at, just under or just over the
    // threshold, at 100 %, or with a zero denominator.
    let tweaks = proptest::collection::vec((0u8..10, 1u64..=5000), hints.rates.len());
    // Some declarations answer yes to everything and meet every rate exactly, so that the
    // most a rulebook pays is reached too.
    let generous = prop_oneof![4 => Just(false), 1 => Just(true)];
    let missing: Vec<MissingRule> = rb.inputs.iter().map(|i| i.missing.clone()).collect();
    let yes_no: Vec<bool> = rb.inputs.iter().map(|i| i.ty == InputType::YesNo).collect();
    let rates = hints.rates.clone();
    // A generous declaration also picks a member of each named list of what qualifies (so
    // that `in list` conditions hold), and gives each count the highest value its
    // conditions name (so that an « au moins » holds).
    let named: Vec<Vec<u32>> = hints
        .choices
        .iter()
        .map(|c| c.iter().copied().collect())
        .collect();
    let highest: Vec<Option<u64>> = hints.counts.iter().map(|c| c.last().copied()).collect();
    let picks = proptest::collection::vec(0usize..64, n);
    (fields, left_out, tweaks, generous, picks, 0u32..1000)
        .prop_map(move |(fields, left_out, tweaks, generous, picks, id)| {
            let mut values: Vec<Value> = fields
                .into_iter()
                .zip(&left_out)
                .enumerate()
                .map(|(slot, (f, out))| {
                    // A declaration without its profession never reaches `evaluate` when
                    // the rulebook covers several (the reader rejects it); with one, it
                    // means that one.
                    let f = if *out && slot != PROFESSION {
                        Field::Blank
                    } else {
                        f
                    };
                    match (f, &missing[slot]) {
                        (Field::Given(v), _) => v,
                        (Field::Blank, MissingRule::Default(d)) => d.clone(),
                        (Field::Blank, MissingRule::Error) => Value::Missing,
                    }
                })
                .collect();
            if generous {
                for (slot, v) in values.iter_mut().enumerate() {
                    if yes_no[slot] && matches!(v, Value::YesNo(_)) {
                        *v = Value::YesNo(true);
                    }
                    if !named[slot].is_empty() && matches!(v, Value::Choice(_)) {
                        *v = Value::Choice(named[slot][picks[slot] % named[slot].len()]);
                    }
                    if let (Some(k), Value::Count(_)) = (highest[slot], &v) {
                        *v = Value::Count(k);
                    }
                }
            }
            for (rate, (mode, k)) in rates.iter().zip(tweaks) {
                let mode = if generous { 4 } else { mode };
                let (Value::Count(num), Value::Count(den)) =
                    (&values[rate.numerator], &values[rate.denominator])
                else {
                    continue;
                };
                let k = 1 + (k - 1) % (5000 / rate.q).max(1);
                let (at_n, at_d) = (rate.p * k, rate.q * k);
                let (n, d) = match mode {
                    0..=2 => (*num, *den),
                    3 => (*den, *den),
                    4 | 5 => (at_n, at_d),
                    6 => (at_n.saturating_sub(1), at_d),
                    7 => (at_n + 1, at_d),
                    8 => (at_n, at_d + 1),
                    _ => (*num, 0),
                };
                values[rate.numerator] = Value::Count(n);
                values[rate.denominator] = Value::Count(d);
            }
            Declaration {
                id: format!("PS-{id}"),
                values,
            }
        })
        .boxed()
}

// ------------------------------------------------------------------ running properties

/// Cases per property and rulebook, unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 300;

fn runner(shipped: &Shipped, property: &str) -> TestRunner {
    let base = Config::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() {
        base.cases
    } else {
        CASES
    };
    let rng_seed = match base.rng_seed {
        RngSeed::Random => {
            // A fixed seed per property and rulebook: every run checks the same cases.
            let seed = format!("{}/{property}", shipped.path)
                .bytes()
                .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
                });
            RngSeed::Fixed(seed)
        }
        fixed => fixed,
    };
    TestRunner::new(Config {
        cases,
        rng_seed,
        failure_persistence: None,
        ..base
    })
}

/// Runs `property` over random declarations of every shipped rulebook; a failure panics with
/// the shrunk declaration, as a JSON file the CLI reads.
fn check_all(property: &str, test: impl Fn(&Shipped, &Declaration) -> Result<(), TestCaseError>) {
    let mut failures = Vec::new();
    for s in shipped() {
        let mut runner = runner(s, property);
        match runner.run(&declarations(&s.rulebook), |d| test(s, &d)) {
            Ok(()) => {}
            Err(TestError::Fail(reason, d)) => failures.push(format!(
                "{property} fails on {}: {reason}\nminimal declaration: {}",
                s.path,
                json(&s.rulebook, &d)
            )),
            Err(TestError::Abort(reason)) => {
                failures.push(format!("{property} aborted on {}: {reason}", s.path))
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A declaration as a JSON object: fields left out, or equal to what a missing field means,
/// are not written (the reader gives them back).
fn json(rb: &CompiledRulebook, d: &Declaration) -> String {
    let mut fields = vec![format!("\"id\": \"{}\"", d.id)];
    for (slot, v) in d.values.iter().enumerate() {
        if rb.inputs[slot].missing == MissingRule::Default(v.clone()) {
            continue;
        }
        let shown = match v {
            Value::Missing | Value::Absent => continue,
            Value::YesNo(b) => b.to_string(),
            Value::Count(n) => n.to_string(),
            Value::Decimal(x) => x.to_string(),
            Value::Date(x) => format!("\"{x}\""),
            Value::Text(t) => format!("{t:?}"),
            Value::Choice(c) => format!("\"{}\"", rb.choice_name(slot, *c)),
        };
        fields.push(format!("\"{}\": {shown}", rb.inputs[slot].name));
    }
    format!("{{{}}}", fields.join(", "))
}

fn status_of(outcome: &Outcome, t: Target) -> Status {
    match t {
        Target::Indicator(i) => outcome.indicators[i].status,
        Target::Group(g) => outcome.groups[g].status,
    }
}

/// The group a rule sits in, if any.
fn parent(rb: &CompiledRulebook, t: Target) -> Option<Target> {
    match t {
        Target::Indicator(i) => rb.indicators[i].head.group.map(Target::Group),
        Target::Group(g) => rb.groups[g].head.group.map(Target::Group),
    }
}

/// `owner` is `target` or sits inside it, at any depth.
fn within(rb: &CompiledRulebook, owner: Target, target: Target) -> bool {
    let mut at = Some(owner);
    let mut steps = 0;
    while let Some(t) = at {
        if t == target {
            return true;
        }
        steps += 1;
        assert!(
            steps <= rb.groups.len() + 1,
            "a cycle of groups around {owner:?}"
        );
        at = parent(rb, t);
    }
    false
}

/// Everything `owner` waits on: its gates, their gates, and so on down the chain.
fn gate_closure(rb: &CompiledRulebook, owner: Target) -> Vec<Target> {
    let mut seen: Vec<Target> = Vec::new();
    let mut stack: Vec<Target> = rb.gates(owner).to_vec();
    while let Some(g) = stack.pop() {
        if !seen.contains(&g) {
            seen.push(g);
            stack.extend_from_slice(rb.gates(g));
        }
    }
    seen
}

fn satisfies(op: Comparator, ordering: Ordering) -> bool {
    match op {
        Comparator::AtLeast => ordering != Ordering::Less,
        Comparator::AtMost => ordering != Ordering::Greater,
        Comparator::Above => ordering == Ordering::Greater,
        Comparator::Below => ordering == Ordering::Less,
        Comparator::Equal => ordering == Ordering::Equal,
        Comparator::NotEqual => ordering != Ordering::Equal,
    }
}

/// A condition's value, as docs/language.md defines it: `None` when a `Missing` value
/// leaves it undecided; a comparison with an absent value does not hold.
fn holds(e: &Expr, values: &[Value]) -> Option<bool> {
    let term = |t: &Term| -> Option<Option<Value>> {
        match t {
            Term::Const(v) => Some(Some(v.clone())),
            Term::Input(s) => match &values[*s] {
                Value::Missing => None,
                Value::Absent => Some(None),
                v => Some(Some(v.clone())),
            },
        }
    };
    match e {
        Expr::Const(b) => Some(*b),
        Expr::Flag(s) => match &values[*s] {
            Value::YesNo(b) => Some(*b),
            Value::Missing => None,
            _ => Some(false),
        },
        Expr::Compare { left, op, right } => {
            let (l, r) = (term(left)?, term(right)?);
            let ordering = match (l, r) {
                (Some(Value::Count(a)), Some(Value::Count(b))) => Some(a.cmp(&b)),
                (Some(Value::Decimal(a)), Some(Value::Decimal(b))) => Some(a.cmp(&b)),
                (Some(Value::Date(a)), Some(Value::Date(b))) => Some(a.cmp(&b)),
                (Some(Value::Text(a)), Some(Value::Text(b))) => Some(a.cmp(&b)),
                (Some(Value::YesNo(a)), Some(Value::YesNo(b))) => Some(a.cmp(&b)),
                (Some(Value::Choice(a)), Some(Value::Choice(b))) => Some(a.cmp(&b)),
                _ => None,
            };
            Some(ordering.is_some_and(|o| satisfies(*op, o)))
        }
        Expr::Rate {
            numerator,
            denominator,
            op,
            threshold,
            ..
        } => match (&values[*numerator], &values[*denominator]) {
            (Value::Missing, _) | (_, Value::Missing) => None,
            (Value::Count(n), Value::Count(d)) => Some(
                threshold
                    .compare_rate(*n, *d)
                    .is_some_and(|o| satisfies(*op, o)),
            ),
            _ => Some(false),
        },
        Expr::InSet { input, members, .. } => match &values[*input] {
            Value::Choice(c) => Some(members.contains(c)),
            Value::Missing => None,
            _ => Some(false),
        },
        Expr::Not(inner) => holds(inner, values).map(|h| !h),
        Expr::All(parts) | Expr::Any(parts) => {
            let all = matches!(e, Expr::All(_));
            let results: Vec<Option<bool>> = parts.iter().map(|p| holds(p, values)).collect();
            if results.contains(&Some(!all)) {
                Some(!all)
            } else if results.contains(&None) {
                None
            } else {
                Some(all)
            }
        }
    }
}

// ------------------------------------------------------------------ 1. stated totals

/// No declaration is paid more than a stated total the checker verified: for each total,
/// the lines in its scope (every line without `of`; else the lines of its rules and of
/// everything inside them) add up to at most its amount, in its unit. A total with `for`
/// is checked on the declarations whose values decide that they are of its profile.
#[test]
fn paid_lines_never_exceed_a_stated_total() {
    let checked = RefCell::new(Vec::<(String, String, usize)>::new());
    check_all("stated totals", |s, d| {
        let rb = &s.rulebook;
        let Ok(outcome) = evaluate(rb, d, EvalOptions::default()) else {
            return Ok(());
        };
        for (k, total) in rb.stated_totals.iter().enumerate() {
            if let Some(profile) = &s.profiles[k] {
                if holds(profile, &d.values) != Some(true) {
                    continue;
                }
            }
            let mut sum = Decimal::ZERO;
            let mut lines = Vec::new();
            for (p, payment) in rb.payments.iter().enumerate() {
                let in_scope = match &total.scope {
                    None => true,
                    Some(targets) => targets.iter().any(|t| within(rb, payment.owner, *t)),
                };
                if !in_scope {
                    continue;
                }
                let line = &outcome.payments[p];
                let amount = match total.unit {
                    AmountUnit::Points => line.points.unwrap_or(Decimal::ZERO),
                    AmountUnit::Euros => line.euros,
                };
                if !amount.is_zero() {
                    lines.push(format!("{} {amount}", rb.target_name(payment.owner)));
                }
                sum += amount;
            }
            prop_assert!(
                sum <= total.amount,
                "stated total {:?} ({} {:?}{}) is exceeded: {} = {sum}",
                total.label,
                total.amount,
                total.unit,
                total
                    .profile
                    .as_ref()
                    .map(|p| format!(", for {}", p.text))
                    .unwrap_or_default(),
                lines.join(" + ")
            );
            let mut c = checked.borrow_mut();
            match c
                .iter_mut()
                .find(|(p, l, _)| *p == s.path && *l == total.label)
            {
                Some(entry) => entry.2 += 1,
                None => c.push((s.path.clone(), total.label.clone(), 1)),
            }
        }
        Ok(())
    });
    // Every stated total was checked on some declaration (none is vacuous).
    let checked = checked.into_inner();
    for s in shipped() {
        for total in &s.rulebook.stated_totals {
            let n = checked
                .iter()
                .find(|(p, l, _)| *p == s.path && *l == total.label)
                .map_or(0, |e| e.2);
            assert!(
                n > 0,
                "{}: stated total {:?} never checked",
                s.path,
                total.label
            );
        }
    }
}

// ------------------------------------------------------------------ 2. gates

/// A met rule whose gate does not pass pays nothing; a line whose owner waits on a rule
/// that is not met (directly, or down the chain of gates) pays nothing; and a met rule whose
/// gates all pass is paid.
#[test]
fn a_gate_not_met_pays_nothing() {
    check_all("gates", |s, d| {
        let rb = &s.rulebook;
        let Ok(outcome) = evaluate(rb, d, EvalOptions::default()) else {
            return Ok(());
        };
        for (p, payment) in rb.payments.iter().enumerate() {
            let line = &outcome.payments[p];
            let owner = rb.target_name(payment.owner);
            let pays_nothing =
                line.euros.is_zero() && line.points.is_none_or(|points| points.is_zero());
            if let PaymentStatus::GateNotMet(chain) = &line.status {
                prop_assert_eq!(status_of(&outcome, payment.owner), Status::Met);
                prop_assert!(
                    pays_nothing,
                    "`{owner}` pays {} with its gate {chain:?} not met",
                    line.euros
                );
            }
            let closure = gate_closure(rb, payment.owner);
            let direct_not_met = rb
                .gates(payment.owner)
                .iter()
                .find(|g| status_of(&outcome, **g) == Status::NotMet);
            if let Some(g) = direct_not_met {
                prop_assert!(
                    pays_nothing,
                    "`{owner}` pays {} although its gate `{}` is not met",
                    line.euros,
                    rb.target_name(*g)
                );
            }
            let any_not_met = closure
                .iter()
                .find(|g| status_of(&outcome, **g) == Status::NotMet);
            if let Some(g) = any_not_met {
                prop_assert!(
                    pays_nothing,
                    "`{owner}` pays {} although `{}`, down its chain of gates, is not met",
                    line.euros,
                    rb.target_name(*g)
                );
            }
            if status_of(&outcome, payment.owner) == Status::Met && any_not_met.is_none() {
                prop_assert_eq!(
                    &line.status,
                    &PaymentStatus::Paid,
                    "`{}` is met and every gate passes",
                    owner
                );
            }
        }
        Ok(())
    });
}

// ------------------------------------------------------------------ 3. determinism

fn same_outcome(a: &Outcome, b: &Outcome) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.total_euros, b.total_euros);
    prop_assert_eq!(a.total_points, b.total_points);
    let statuses = |o: &Outcome| -> Vec<Status> { o.indicators.iter().map(|i| i.status).collect() };
    prop_assert_eq!(statuses(a), statuses(b));
    let groups = |o: &Outcome| -> Vec<(Status, usize, usize)> {
        o.groups
            .iter()
            .map(|g| (g.status, g.members_met, g.members_counted))
            .collect()
    };
    prop_assert_eq!(groups(a), groups(b));
    let lines = |o: &Outcome| -> Vec<_> {
        o.payments
            .iter()
            .map(|p| (p.status.clone(), p.variant, p.euros, p.points, p.units))
            .collect()
    };
    prop_assert_eq!(lines(a), lines(b));
    Ok(())
}

/// The same declaration evaluated twice gives the same outcome, and so does evaluating it
/// without trace and what-if (options change what is explained, never what is paid).
#[test]
fn evaluation_is_deterministic() {
    check_all("determinism", |s, d| {
        let rb = &s.rulebook;
        let first = evaluate(rb, d, EvalOptions::default());
        let second = evaluate(rb, d, EvalOptions::default());
        let bare = evaluate(
            rb,
            d,
            EvalOptions {
                trace: false,
                what_if: false,
            },
        );
        match (&first, &second, &bare) {
            (Ok(a), Ok(b), Ok(c)) => {
                same_outcome(a, b)?;
                same_outcome(a, c)?;
                let hints = |o: &Outcome| -> Vec<_> {
                    o.indicators.iter().map(|i| i.total_if_met).collect()
                };
                prop_assert_eq!(hints(a), hints(b));
            }
            (Err(a), Err(b), Err(c)) => {
                prop_assert_eq!(a, b);
                prop_assert_eq!(a, c);
            }
            _ => prop_assert!(
                false,
                "one evaluation was rejected and another was not: {:?} / {:?} / {:?}",
                first.as_ref().map(|o| o.total_euros),
                second.as_ref().map(|o| o.total_euros),
                bare.as_ref().map(|o| o.total_euros)
            ),
        }
        Ok(())
    });
}

// ------------------------------------------------------------------ 4. formatting

/// The rulebook formatted by `forfait fmt` evaluates every declaration as the original does:
/// same rejections, totals, statuses of indicators and groups, payment lines.
#[test]
fn formatting_never_changes_outcomes() {
    for s in shipped() {
        let names = |rb: &CompiledRulebook| -> Vec<String> {
            rb.inputs.iter().map(|i| i.name.clone()).collect()
        };
        assert_eq!(names(&s.rulebook), names(&s.formatted), "{}", s.path);
    }
    check_all("formatting", |s, d| {
        let original = evaluate(&s.rulebook, d, EvalOptions::default());
        let formatted = evaluate(&s.formatted, d, EvalOptions::default());
        match (&original, &formatted) {
            (Ok(a), Ok(b)) => same_outcome(a, b)?,
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            _ => prop_assert!(
                false,
                "original: {:?}, formatted: {:?}",
                original.as_ref().map(|o| o.total_euros),
                formatted.as_ref().map(|o| o.total_euros)
            ),
        }
        Ok(())
    });
}

// ------------------------------------------------------------------ 5. thresholds

/// The pre-order positions of the rates in a condition (as its trace lists its nodes).
fn rates_in(e: &Expr) -> Vec<(usize, &Expr)> {
    let mut found = Vec::new();
    let mut index = 0;
    walk(e, &mut |node| {
        if matches!(node, Expr::Rate { .. }) {
            found.push((index, node));
        }
        index += 1;
    });
    found
}

/// A declaration that gives every field: yes, 1, the first value, a date of the rules.
fn full_declaration(rb: &CompiledRulebook, profession: u32) -> Declaration {
    let hints = Hints::of(rb);
    let values = rb
        .inputs
        .iter()
        .enumerate()
        .map(|(slot, input)| match &input.ty {
            _ if slot == PROFESSION => Value::Choice(profession),
            InputType::YesNo => Value::YesNo(true),
            InputType::Count => Value::Count(1),
            InputType::Decimal => Value::Decimal(Decimal::ONE),
            InputType::Date => Value::Date(
                hints
                    .all_dates
                    .iter()
                    .next()
                    .copied()
                    .or_else(|| Date::new(rb.meta.exercice, 12, 31))
                    .unwrap(),
            ),
            InputType::Text => Value::Text("x".into()),
            InputType::Choice(_) => Value::Choice(0),
        })
        .collect();
    Declaration {
        id: "seuil".into(),
        values,
    }
}

/// For every rate of every `met when`: counts exactly at the threshold meet it (for `>=`),
/// one count fewer do not, one more do; at several scales (the threshold's own denominator,
/// 666 of 999 for 2/3, counts beyond 32 bits). The rate's node of the trace is checked for
/// every profession; the indicator's status too when the rate is the whole condition.
#[test]
fn rates_are_exact_at_their_threshold() {
    let mut statuses_checked = 0;
    let mut failures = Vec::new();
    for s in shipped() {
        let rb = &s.rulebook;
        let InputType::Choice(professions) = &rb.inputs[PROFESSION].ty else {
            panic!("{}: profession is not a choice", s.path);
        };
        for (i, ind) in rb.indicators.iter().enumerate() {
            for (node, rate) in rates_in(&ind.met.expr) {
                let Expr::Rate {
                    numerator,
                    denominator,
                    op,
                    threshold,
                    threshold_text,
                } = rate
                else {
                    continue;
                };
                let whole = node == 0;
                let (p, q) = (threshold.numerator(), threshold.denominator());
                for profession in 0..u32::try_from(professions.len()).unwrap() {
                    for k in [1, 2, 3, 7, 10, 333, 5000 / q, 1_000_000_007] {
                        let (n, d) = (p * k.max(1), q * k.max(1));
                        let mut cases = vec![(n, Ordering::Equal), (n + 1, Ordering::Greater)];
                        if n > 0 {
                            cases.push((n - 1, Ordering::Less));
                        }
                        for (count, ordering) in cases {
                            let mut decl = full_declaration(rb, profession);
                            decl.values[*numerator] = Value::Count(count);
                            decl.values[*denominator] = Value::Count(d);
                            let expected = satisfies(*op, ordering);
                            let outcome = evaluate(rb, &decl, EvalOptions::default())
                                .unwrap_or_else(|m| {
                                    panic!("{}: a full declaration is rejected: {m:?}", s.path)
                                });
                            let io = &outcome.indicators[i];
                            let what = format!(
                                "{}: `{}` ({} / {} {} {threshold_text}) with {count} / {d}, profession {}",
                                s.path,
                                ind.head.name,
                                rb.inputs[*numerator].name,
                                rb.inputs[*denominator].name,
                                op.symbol(),
                                rb.choice_name(PROFESSION, profession),
                            );
                            if let Some(trace) = &io.met {
                                let got = trace.nodes.get(node).map(|n| n.holds);
                                if got != Some(expected) {
                                    failures.push(format!(
                                        "{what}: the rate holds {got:?}, expected {expected}"
                                    ));
                                }
                            }
                            if whole && matches!(io.status, Status::Met | Status::NotMet) {
                                statuses_checked += 1;
                                let want = if expected {
                                    Status::Met
                                } else {
                                    Status::NotMet
                                };
                                if io.status != want {
                                    failures.push(format!(
                                        "{what}: status {:?}, expected {want:?}",
                                        io.status
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(statuses_checked > 0, "no rate indicator was checked");
}

// ------------------------------------------------------------------ 6. no partial amount

/// An evaluation is either rejected for missing values that are indeed missing, or pays a
/// total that is the sum of its lines, each rounded to the cent (scale 2); the points total
/// is the sum of the lines' points.
#[test]
fn never_a_partial_amount() {
    check_all("never a partial amount", |s, d| {
        let rb = &s.rulebook;
        match evaluate(rb, d, EvalOptions::default()) {
            Err(missing) => {
                prop_assert!(!missing.needed.is_empty(), "rejected with nothing missing");
                for (slot, _) in &missing.needed {
                    prop_assert_eq!(
                        &d.values[*slot],
                        &Value::Missing,
                        "rejected for `{}`, which the declaration gives",
                        &rb.inputs[*slot].name
                    );
                }
            }
            Ok(outcome) => {
                prop_assert_eq!(outcome.payments.len(), rb.payments.len());
                let mut sum = Decimal::ZERO;
                let mut points = Decimal::ZERO;
                for (p, line) in outcome.payments.iter().enumerate() {
                    prop_assert_eq!(
                        line.euros.scale(),
                        2,
                        "line `{}` is {}, not to the cent",
                        rb.target_name(rb.payments[p].owner),
                        line.euros
                    );
                    prop_assert!(!line.euros.is_sign_negative() || line.euros.is_zero());
                    sum += line.euros;
                    points += line.points.unwrap_or(Decimal::ZERO);
                }
                prop_assert_eq!(outcome.total_euros.scale(), 2);
                prop_assert_eq!(outcome.total_euros, sum);
                prop_assert_eq!(outcome.total_points, points);
            }
        }
        Ok(())
    });
}

// ------------------------------------------------------------------ the generator itself

/// The generator reaches what the properties need: declarations evaluated and rejected,
/// every indicator met (unless neutralised for everyone) and not met, every line paid, every
/// gated line blocked by its gate, and each stated total reached exactly by some case.
#[test]
fn the_generator_reaches_every_outcome() {
    let mut gaps = Vec::new();
    for s in shipped() {
        let rb = &s.rulebook;
        let seen = RefCell::new((
            0usize,
            0usize,
            vec![BTreeSet::<&'static str>::new(); rb.indicators.len()],
            vec![(false, false); rb.payments.len()],
            vec![Decimal::ZERO; rb.stated_totals.len()],
        ));
        let mut runner = runner(s, "coverage");
        runner
            .run(&declarations(rb), |d| {
                let mut seen = seen.borrow_mut();
                let Ok(outcome) = evaluate(rb, &d, EvalOptions::default()) else {
                    seen.1 += 1;
                    return Ok(());
                };
                seen.0 += 1;
                for (i, io) in outcome.indicators.iter().enumerate() {
                    seen.2[i].insert(io.status.as_str());
                }
                for (p, line) in outcome.payments.iter().enumerate() {
                    seen.3[p].0 |= line.status == PaymentStatus::Paid;
                    seen.3[p].1 |= matches!(line.status, PaymentStatus::GateNotMet(_));
                }
                for (k, total) in rb.stated_totals.iter().enumerate() {
                    if let Some(profile) = &s.profiles[k] {
                        if holds(profile, &d.values) != Some(true) {
                            continue;
                        }
                    }
                    let sum: Decimal = rb
                        .payments
                        .iter()
                        .zip(&outcome.payments)
                        .filter(|(p, _)| {
                            total.scope.as_ref().is_none_or(|targets| {
                                targets.iter().any(|t| within(rb, p.owner, *t))
                            })
                        })
                        .map(|(_, line)| match total.unit {
                            AmountUnit::Points => line.points.unwrap_or(Decimal::ZERO),
                            AmountUnit::Euros => line.euros,
                        })
                        .sum();
                    seen.4[k] = seen.4[k].max(sum);
                }
                Ok(())
            })
            .unwrap();
        let (evaluated, rejected, statuses, lines, highest) = seen.into_inner();
        eprintln!(
            "{}: {evaluated} evaluated, {rejected} rejected; stated totals reached: {}",
            s.path,
            rb.stated_totals
                .iter()
                .zip(&highest)
                .map(|(t, h)| format!("{h} of {}", t.amount))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if evaluated == 0 || rejected == 0 {
            gaps.push(format!(
                "{}: {evaluated} evaluated, {rejected} rejected",
                s.path
            ));
        }
        for (i, ind) in rb.indicators.iter().enumerate() {
            let always_neutralised = ind.neutralisations.iter().any(|n| n.when.is_none());
            for status in ["met", "not_met"] {
                if !always_neutralised && !statuses[i].contains(status) {
                    gaps.push(format!("{}: `{}` never {status}", s.path, ind.head.name));
                }
            }
        }
        for (p, payment) in rb.payments.iter().enumerate() {
            let name = rb.target_name(payment.owner);
            if !lines[p].0 {
                gaps.push(format!("{}: `{name}` never paid", s.path));
            }
            if !rb.gates(payment.owner).is_empty() && !lines[p].1 {
                gaps.push(format!("{}: `{name}` never blocked by its gate", s.path));
            }
        }
        for (total, h) in rb.stated_totals.iter().zip(&highest) {
            if *h != total.amount {
                gaps.push(format!(
                    "{}: stated total {:?} ({}) never reached, at most {h}",
                    s.path, total.label, total.amount
                ));
            }
        }
    }
    assert!(gaps.is_empty(), "{}", gaps.join("\n"));
}
