//! Conditions compared by structure, naming inputs, values and lists by name (so layout
//! and comments never count), and a changed `met when` reported with each rate's
//! threshold on its own line.

use super::pairing::Ctx;
use super::{Kind, RuleChanges};
use crate::french;
use crate::model::{Comparator, CompiledRulebook, Condition, Expr, Slot, Term, PROFESSION};
use crate::value::ratio::Ratio;
use crate::value::Value;

/// A rate found in a condition, by the names of its counts.
struct RateKey {
    numerator: String,
    denominator: String,
    op: Comparator,
    threshold: Ratio,
    /// As `french::condition` shows it: `70 %`, `2/3`.
    text: String,
}

impl RateKey {
    /// Whether `other` is a rate of the same two counts.
    fn same_counts(&self, other: &RateKey) -> bool {
        self.numerator == other.numerator && self.denominator == other.denominator
    }
}

/// Every rate of a condition, in order.
fn rates(rb: &CompiledRulebook, e: &Expr) -> Vec<RateKey> {
    fn walk(rb: &CompiledRulebook, e: &Expr, found: &mut Vec<RateKey>) {
        match e {
            Expr::Rate {
                numerator,
                denominator,
                op,
                threshold,
                threshold_text,
            } => found.push(RateKey {
                numerator: rb.inputs[*numerator].name.clone(),
                denominator: rb.inputs[*denominator].name.clone(),
                op: *op,
                threshold: *threshold,
                text: french::threshold(threshold_text),
            }),
            Expr::Not(x) => walk(rb, x, found),
            Expr::All(xs) | Expr::Any(xs) => xs.iter().for_each(|x| walk(rb, x, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(rb, e, &mut found);
    found
}

impl Ctx<'_> {
    /// A `met when` changed: a rate's threshold alone on its own line, else the whole
    /// condition (and the thresholds that moved, on their own lines too).
    pub(super) fn condition(&self, log: &mut RuleChanges<'_>, old: &Expr, new: &Expr) {
        if self.same(old, new, true) {
            return;
        }
        let (old_rates, new_rates) = (rates(self.old, old), rates(self.new, new));
        let pairs: Vec<(&RateKey, &RateKey)> = if self.same(old, new, false) {
            old_rates.iter().zip(new_rates.iter()).collect()
        } else {
            log.replaced(
                Kind::ConditionChanged,
                french::condition(self.old, old),
                french::condition(self.new, new),
            );
            // Rates of the same two counts, one on each side, are the same rate.
            old_rates
                .iter()
                .filter_map(|a| {
                    let on_new: Vec<&RateKey> =
                        new_rates.iter().filter(|r| r.same_counts(a)).collect();
                    let on_old = old_rates.iter().filter(|r| r.same_counts(a)).count();
                    match (on_new.as_slice(), on_old) {
                        ([b], 1) => Some((a, *b)),
                        _ => None,
                    }
                })
                .collect()
        };
        for (a, b) in pairs {
            if a.op != b.op || a.threshold != b.threshold {
                let (old_text, new_text) = if a.op == b.op {
                    (a.text.clone(), b.text.clone())
                } else {
                    (
                        format!("{} {}", french::comparator(a.op), a.text),
                        format!("{} {}", french::comparator(b.op), b.text),
                    )
                };
                log.add(Kind::ThresholdChanged, |c| {
                    c.old(old_text)
                        .new_text(new_text)
                        .note(format!("taux {} / {}", b.numerator, b.denominator))
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
            ) => o1 == o2 && self.same_term(l1, r1, l2, r2) && self.same_term(r1, l1, r2, l2),
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
