//! Conditions compared by structure, naming inputs, values and lists by name (so layout
//! and comments never count), and a changed `met when` reported with each rate's
//! threshold on its own line.

use super::pairing::Ctx;
use super::{Bound, Kind, Level, Measure, RuleChanges, Threshold};
use crate::french;
use crate::model::{Comparator, CompiledRulebook, Condition, Expr, Slot, Term, PROFESSION};
use crate::value::Value;

/// A threshold found in a condition: a rate's, or a number a count or a decimal input is
/// ordered against (`reunions_par_an >= 4`).
struct ThresholdKey {
    measure: Measure,
    bound: Bound,
}

/// An ordering comparison (`>=`, `<=`, `>`, `<`): what a threshold is compared with.
fn orders(op: Comparator) -> bool {
    matches!(
        op,
        Comparator::AtLeast | Comparator::AtMost | Comparator::Above | Comparator::Below
    )
}

/// The number an input is ordered against in `left op right`, when the comparison is a
/// threshold: the input's name, the level, and whether the level is written first.
fn numeric_threshold<'a>(
    rb: &'a CompiledRulebook,
    left: &Term,
    op: Comparator,
    right: &Term,
) -> Option<(&'a str, Level, bool)> {
    if !orders(op) {
        return None;
    }
    let level = |v: &Value| match v {
        Value::Count(n) => Some(Level::Count(*n)),
        Value::Decimal(d) => Some(Level::Decimal(*d)),
        _ => None,
    };
    match (left, right) {
        (Term::Input(s), Term::Const(v)) => Some((rb.inputs[*s].name.as_str(), level(v)?, false)),
        (Term::Const(v), Term::Input(s)) => Some((rb.inputs[*s].name.as_str(), level(v)?, true)),
        _ => None,
    }
}

/// A level as a condition writes it: `4`, `1,5`.
fn level_text(level: Level) -> String {
    match level {
        Level::Count(n) => french::count(n),
        Level::Decimal(d) => french::number(d),
        Level::Rate(_) => String::new(),
    }
}

/// Every threshold of a condition, in order.
fn thresholds(rb: &CompiledRulebook, e: &Expr) -> Vec<ThresholdKey> {
    fn walk(rb: &CompiledRulebook, e: &Expr, found: &mut Vec<ThresholdKey>) {
        match e {
            Expr::Rate {
                numerator,
                denominator,
                op,
                threshold,
                threshold_text,
            } => found.push(ThresholdKey {
                measure: Measure::Rate {
                    numerator: rb.inputs[*numerator].name.clone(),
                    denominator: rb.inputs[*denominator].name.clone(),
                },
                bound: Bound {
                    op: *op,
                    level: Level::Rate(*threshold),
                    text: french::threshold(threshold_text),
                    level_first: false,
                },
            }),
            Expr::Compare { left, op, right } => {
                if let Some((name, level, level_first)) = numeric_threshold(rb, left, *op, right) {
                    found.push(ThresholdKey {
                        measure: Measure::Input(name.to_string()),
                        bound: Bound {
                            op: *op,
                            level,
                            text: level_text(level),
                            level_first,
                        },
                    });
                }
            }
            Expr::Not(x) => walk(rb, x, found),
            Expr::All(xs) | Expr::Any(xs) => xs.iter().for_each(|x| walk(rb, x, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(rb, e, &mut found);
    found
}

/// `taux actes_fse / actes_total`, `reunions_par_an`: what a threshold measures, in a note.
fn measure_note(measure: &Measure) -> String {
    match measure {
        Measure::Rate {
            numerator,
            denominator,
        } => format!("taux {numerator} / {denominator}"),
        Measure::Input(name) => name.clone(),
    }
}

impl Ctx<'_> {
    /// A `met when` changed: a rate's threshold alone on its own line, else the whole
    /// condition (and the thresholds that moved, on their own lines too).
    pub(super) fn condition(&self, log: &mut RuleChanges<'_>, old: &Expr, new: &Expr) {
        if self.same(old, new, true) {
            return;
        }
        let (old_rates, new_rates) = (thresholds(self.old, old), thresholds(self.new, new));
        let pairs: Vec<(&ThresholdKey, &ThresholdKey)> = if self.same(old, new, false) {
            old_rates.iter().zip(new_rates.iter()).collect()
        } else {
            log.replaced(
                Kind::ConditionChanged,
                french::condition(self.old, old),
                french::condition(self.new, new),
            );
            // Thresholds of the same measure, one on each side, are the same threshold.
            old_rates
                .iter()
                .filter_map(|a| {
                    let on_new: Vec<&ThresholdKey> = new_rates
                        .iter()
                        .filter(|r| r.measure == a.measure)
                        .collect();
                    let on_old = old_rates.iter().filter(|r| r.measure == a.measure).count();
                    match (on_new.as_slice(), on_old) {
                        ([b], 1) => Some((a, *b)),
                        _ => None,
                    }
                })
                .collect()
        };
        for (a, b) in pairs {
            let (x, y) = (&a.bound, &b.bound);
            if x.op != y.op || x.level != y.level || x.level_first != y.level_first {
                let (old_text, new_text) = if x.op == y.op && x.level_first == y.level_first {
                    (x.text.clone(), y.text.clone())
                } else {
                    (
                        format!("{} {}", french::comparator(x.op), x.text),
                        format!("{} {}", french::comparator(y.op), y.text),
                    )
                };
                let threshold = Threshold {
                    measure: b.measure.clone(),
                    old: x.clone(),
                    new: y.clone(),
                };
                log.add(Kind::ThresholdChanged, |c| {
                    c.old(old_text)
                        .new_text(new_text)
                        .note(measure_note(&b.measure))
                        .threshold(threshold)
                });
            }
        }
    }

    /// Whether two optional conditions (old, new) say the same, thresholds included.
    pub(super) fn same_condition(&self, a: &Option<Condition>, b: &Option<Condition>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(x), Some(y)) => self.same(&x.expr, &y.expr, true),
            _ => false,
        }
    }

    /// Whether two conditions (old, new) say the same, comparing inputs, values and lists
    /// by name; `thresholds` false ignores the thresholds and signs of rates.
    fn same(&self, a: &Expr, b: &Expr, thresholds: bool) -> bool {
        let (old, new) = (self.old, self.new);
        let input = |s: Slot, t: Slot| old.inputs[s].name == new.inputs[t].name;
        match (a, b) {
            (Expr::Const(x), Expr::Const(y)) => x == y,
            (Expr::Flag(s), Expr::Flag(t)) => input(*s, *t),
            (
                Expr::Compare {
                    left: l1,
                    op: o1,
                    right: r1,
                },
                Expr::Compare {
                    left: l2,
                    op: o2,
                    right: r2,
                },
            ) => {
                let numeric = |rb: &'_ CompiledRulebook, l: &Term, o: Comparator, r: &Term| {
                    numeric_threshold(rb, l, o, r).map(|(n, _, f)| (n.to_string(), f))
                };
                match (
                    numeric(old, l1, *o1, r1),
                    numeric(new, l2, *o2, r2),
                    thresholds,
                ) {
                    // The same input ordered against a number: its threshold aside.
                    (Some(a), Some(b), false) => a == b,
                    _ => {
                        o1 == o2 && self.same_term(l1, r1, l2, r2) && self.same_term(r1, l1, r2, l2)
                    }
                }
            }
            (
                Expr::Rate {
                    numerator: n1,
                    denominator: d1,
                    op: o1,
                    threshold: t1,
                    ..
                },
                Expr::Rate {
                    numerator: n2,
                    denominator: d2,
                    op: o2,
                    threshold: t2,
                    ..
                },
            ) => input(*n1, *n2) && input(*d1, *d2) && (!thresholds || (o1 == o2 && t1 == t2)),
            (
                Expr::InSet {
                    input: i1,
                    members: m1,
                    list: l1,
                },
                Expr::InSet {
                    input: i2,
                    members: m2,
                    list: l2,
                },
            ) => {
                input(*i1, *i2)
                    && match (l1, l2) {
                        (Some(x), Some(y)) => old.lists[*x].name == new.lists[*y].name,
                        (None, None) => {
                            let mut x: Vec<&str> =
                                m1.iter().map(|m| old.choice_name(*i1, *m)).collect();
                            let mut y: Vec<&str> =
                                m2.iter().map(|m| new.choice_name(*i2, *m)).collect();
                            x.sort_unstable();
                            y.sort_unstable();
                            x == y
                        }
                        _ => false,
                    }
            }
            (Expr::Not(x), Expr::Not(y)) => self.same(x, y, thresholds),
            (Expr::All(xs), Expr::All(ys)) | (Expr::Any(xs), Expr::Any(ys)) => {
                xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| self.same(x, y, thresholds))
            }
            _ => false,
        }
    }

    /// One side of two comparisons; a choice constant is named through the input on the
    /// other side.
    fn same_term(&self, a: &Term, a_other: &Term, b: &Term, b_other: &Term) -> bool {
        match (a, b) {
            (Term::Input(s), Term::Input(t)) => {
                self.old.inputs[*s].name == self.new.inputs[*t].name
            }
            (Term::Const(Value::Choice(x)), Term::Const(Value::Choice(y))) => {
                let slot = |t: &Term| match t {
                    Term::Input(s) => *s,
                    Term::Const(_) => PROFESSION,
                };
                self.old.choice_name(slot(a_other), *x) == self.new.choice_name(slot(b_other), *y)
            }
            (Term::Const(x), Term::Const(y)) => x == y,
            _ => false,
        }
    }
}
