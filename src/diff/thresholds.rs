//! The thresholds a change moved, as data (what they measure, their value on each side),
//! and how many declarations of a batch lie between the two values: when none does, the
//! batch cannot show what the change does, and the impact says so.
//!
//! "Between" is the evaluator's answer, not a re-derivation: a declaration lies between
//! the two values when the comparison with the old value and the comparison with the new
//! one, both run by `eval::partial` over its values, disagree.

use rust_decimal::Decimal;

use super::{changed_thresholds, Change};
use crate::declaration::Record;
use crate::eval;
use crate::model::{Comparator, CompiledRulebook, Expr, Term};
use crate::value::ratio::Ratio;
use crate::value::Value;

/// What a threshold measures, by the inputs' names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Measure {
    /// `numerator / denominator`, two counts.
    Rate {
        numerator: String,
        denominator: String,
    },
    /// A count or a decimal input compared with a number.
    Input(String),
}

/// A threshold's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Rate(Ratio),
    Count(u64),
    Decimal(Decimal),
}

/// One side of a threshold: `measure op level` (or `level op measure`, as written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bound {
    pub op: Comparator,
    pub level: Level,
    /// The level as the changelog writes it: `70 %`, `2/3`, `4`.
    pub text: String,
    /// Written `4 <= x` rather than `x >= 4`.
    pub level_first: bool,
}

/// A threshold that moved: what it measures, and its old and new bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Threshold {
    pub measure: Measure,
    pub old: Bound,
    pub new: Bound,
}

/// How many declarations of a batch lie between a threshold's two values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThresholdImpact {
    /// The threshold's change, by index in the changelog.
    pub change: usize,
    /// The rule whose condition holds the threshold.
    pub rule: String,
    /// The two values as the changelog writes them (`70 %`, `75 %`).
    pub old: String,
    pub new: String,
    /// The declarations read whose values the two comparisons judge differently.
    pub between: usize,
}

impl ThresholdImpact {
    /// Whether the two values are the same and only the comparison changed (`≥ 70 %` →
    /// `> 70 %`): the declarations "between" are those exactly at the value.
    pub fn same_value(&self) -> bool {
        self.old == self.new
    }
}

impl Bound {
    /// `measure op level` in `rb`'s slots; `None` when `rb` lacks one of its inputs.
    fn condition(&self, measure: &Measure, rb: &CompiledRulebook) -> Option<Expr> {
        Some(match (measure, self.level) {
            (
                Measure::Rate {
                    numerator,
                    denominator,
                },
                Level::Rate(threshold),
            ) => Expr::Rate {
                numerator: rb.input_slot(numerator)?,
                denominator: rb.input_slot(denominator)?,
                op: self.op,
                threshold,
                threshold_text: self.text.clone(),
            },
            (Measure::Input(name), Level::Count(_) | Level::Decimal(_)) => {
                let input = Term::Input(rb.input_slot(name)?);
                let level = Term::Const(match self.level {
                    Level::Count(n) => Value::Count(n),
                    Level::Decimal(d) => Value::Decimal(d),
                    Level::Rate(_) => return None,
                });
                let (left, right) = if self.level_first {
                    (level, input)
                } else {
                    (input, level)
                };
                Expr::Compare {
                    left,
                    op: self.op,
                    right,
                }
            }
            _ => return None,
        })
    }
}

/// A record's values, when it was read as a declaration.
fn values_of(record: Option<&Record>) -> Option<&[Value]> {
    match record {
        Some(Record::Declaration(d, _)) => Some(d.values.as_slice()),
        _ => None,
    }
}

/// A threshold's two comparisons in one rulebook's slots.
struct Probe {
    change: usize,
    rule: String,
    old_text: String,
    new_text: String,
    /// In the new rulebook's slots (read over the new side's record), else in the old's.
    new_side: Option<(Expr, Expr)>,
    old_side: Option<(Expr, Expr)>,
    between: usize,
}

/// The changed thresholds of a changelog, and the count of declarations between their
/// two values as records are fed to it.
pub(super) struct Probes {
    probes: Vec<Probe>,
}

impl Probes {
    pub(super) fn new(
        old: &CompiledRulebook,
        new: &CompiledRulebook,
        changes: &[Change],
    ) -> Probes {
        let both = |t: &Threshold, rb: &CompiledRulebook| {
            Some((
                t.old.condition(&t.measure, rb)?,
                t.new.condition(&t.measure, rb)?,
            ))
        };
        let probes = changed_thresholds(changes)
            .map(|(k, change, t)| Probe {
                change: k,
                rule: change.rule.clone().unwrap_or_default(),
                old_text: t.old.text.clone(),
                new_text: t.new.text.clone(),
                new_side: both(t, new),
                old_side: both(t, old),
                between: 0,
            })
            .collect();
        Probes { probes }
    }

    /// For each threshold, whether one declaration (as each rulebook read it) lies
    /// between its two values.
    pub(super) fn between(&self, old: Option<&Record>, new: Option<&Record>) -> Vec<bool> {
        let (old_values, new_values) = (values_of(old), values_of(new));
        self.probes
            .iter()
            .map(|p| {
                let judged = match (&p.new_side, new_values, &p.old_side, old_values) {
                    (Some(exprs), Some(v), _, _) | (_, _, Some(exprs), Some(v)) => {
                        Some((eval::partial(&exprs.0, v), eval::partial(&exprs.1, v)))
                    }
                    _ => None,
                };
                matches!(judged, Some((Some(a), Some(b))) if a != b)
            })
            .collect()
    }

    /// Counts one declaration kept in the impact (`between` is what [`Probes::between`]
    /// said of it).
    pub(super) fn count(&mut self, between: &[bool]) {
        for (p, b) in self.probes.iter_mut().zip(between) {
            p.between += usize::from(*b);
        }
    }

    pub(super) fn finish(self) -> Vec<ThresholdImpact> {
        self.probes
            .into_iter()
            .map(|p| ThresholdImpact {
                change: p.change,
                rule: p.rule,
                old: p.old_text,
                new: p.new_text,
                between: p.between,
            })
            .collect()
    }
}
