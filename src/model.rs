//! The compiled rulebook: what `check` produces and `eval` runs.
//!
//! Names are resolved to indices (input slots, indicator and group numbers) and every
//! condition is typed, so evaluating a declaration never looks a name up.

use rust_decimal::Decimal;

pub use crate::syntax::ast::{AmountUnit, Comparator, GroupKind, Source};
use crate::value::ratio::Ratio;
use crate::value::Value;

/// An input's position in a declaration's values.
pub type Slot = usize;

/// The slot of the built-in `profession` input.
pub const PROFESSION: Slot = 0;

#[derive(Clone, Debug)]
pub struct CompiledRulebook {
    pub meta: Meta,
    /// Slot 0 is the built-in `profession`.
    pub inputs: Vec<InputDef>,
    pub lists: Vec<ListDef>,
    pub indicators: Vec<IndicatorDef>,
    pub groups: Vec<GroupDef>,
    /// Group indices in evaluation order: a group comes after every group it contains.
    pub group_order: Vec<usize>,
    pub payments: Vec<PaymentDef>,
    pub stated_totals: Vec<StatedTotalDef>,
}

#[derive(Clone, Debug)]
pub struct Meta {
    pub name: String,
    pub title: String,
    pub scheme: String,
    pub exercice: u16,
    pub paid_in: u16,
    pub guide: String,
    pub point_value: Option<Decimal>,
    /// `sha256:` and the hex digest of the rulebook's bytes: ties an outcome to its rules.
    pub content_hash: String,
}

#[derive(Clone, Debug)]
pub struct InputDef {
    pub name: String,
    pub label: String,
    pub ty: InputType,
    pub source: Source,
    pub unit: Option<String>,
    pub missing: MissingRule,
    /// Set when some rule reads the input whatever the declaration's profile.
    pub always_read: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum InputType {
    YesNo,
    Count,
    Decimal,
    Date,
    Text,
    Choice(Vec<Choice>),
}

impl InputType {
    /// How the type is named in messages (English, for tool messages).
    pub fn describe(&self) -> &'static str {
        match self {
            InputType::YesNo => "yes/no",
            InputType::Count => "count",
            InputType::Decimal => "decimal",
            InputType::Date => "date",
            InputType::Text => "text",
            InputType::Choice(_) => "one of a list",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub name: String,
    pub label: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MissingRule {
    /// A missing value makes the declaration an error (when a rule reads it).
    Error,
    /// A missing value is replaced by this one when the declaration is read.
    Default(Value),
}

#[derive(Clone, Debug)]
pub struct ListDef {
    pub name: String,
    pub label: String,
    pub input: Slot,
    pub section: Option<String>,
    pub members: Vec<u32>,
}

/// An indicator or a group: what `requires` and group members name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Indicator(usize),
    Group(usize),
}

#[derive(Clone, Debug)]
pub struct IndicatorDef {
    pub name: String,
    pub label: String,
    pub section: String,
    pub source: Source,
    pub evidence: Option<String>,
    pub applies: Option<Condition>,
    pub met: Condition,
    pub neutralisations: Vec<NeutralisationDef>,
    pub quotes: Vec<String>,
    pub requires: Option<Target>,
    pub independent: bool,
    pub group: Option<usize>,
    /// Everything it waits on to pay or to count as a gate: its own `requires`, then those
    /// of the groups around it.
    pub gates: Vec<Target>,
    pub payment: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct NeutralisationDef {
    pub when: Option<Condition>,
    /// The guide's words, shown in every explanation.
    pub words: String,
}

#[derive(Clone, Debug)]
pub struct GroupDef {
    pub name: String,
    pub label: String,
    pub section: Option<String>,
    pub kind: GroupKind,
    pub members: Vec<Target>,
    pub quotes: Vec<String>,
    pub requires: Option<Target>,
    pub independent: bool,
    pub group: Option<usize>,
    /// As for indicators: its own `requires`, then its groups'.
    pub gates: Vec<Target>,
    pub payment: Option<usize>,
}

/// One `pays` clause: a line of the payment statement.
#[derive(Clone, Debug)]
pub struct PaymentDef {
    pub owner: Target,
    pub variants: Vec<AmountVariantDef>,
    /// Every variant pays points: the line shows 0 points when it does not pay.
    pub in_points: bool,
}

#[derive(Clone, Debug)]
pub struct AmountVariantDef {
    pub amount: Decimal,
    pub unit: AmountUnit,
    /// `per COUNT`: the amount is paid once per unit of that count.
    pub per: Option<Slot>,
    /// `None` for an unconditional amount or `otherwise`.
    pub when: Option<Condition>,
    /// Without `per`: the euros paid, rounded to the cent (points at the point value).
    pub fixed_euros: Decimal,
}

#[derive(Clone, Debug)]
pub struct StatedTotalDef {
    pub label: String,
    pub amount: Decimal,
    pub unit: AmountUnit,
    pub section: Option<String>,
    pub scope: Option<Vec<Target>>,
    /// The profile it is stated for (`for`): a condition on `one of` inputs only.
    pub profile: Option<Condition>,
}

/// A typed condition and the text it was written as.
#[derive(Clone, Debug)]
pub struct Condition {
    pub expr: Expr,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    Input(Slot),
    Const(Value),
}

#[derive(Clone, Debug)]
pub enum Expr {
    Const(bool),
    /// A yes/no input.
    Flag(Slot),
    /// Two values of one type compared (counts, decimals, dates, texts, choices, yes/no).
    Compare {
        left: Term,
        op: Comparator,
        right: Term,
    },
    /// `numerator / denominator OP threshold`, compared exactly; a zero denominator is
    /// never met.
    Rate {
        numerator: Slot,
        denominator: Slot,
        op: Comparator,
        threshold: Ratio,
        /// As written: `70 %`, `2/3`.
        threshold_text: String,
    },
    /// `input in list` or `input in (a, b)`.
    InSet {
        input: Slot,
        members: Vec<u32>,
        list: Option<usize>,
    },
    Not(Box<Expr>),
    All(Vec<Expr>),
    Any(Vec<Expr>),
}

impl Expr {
    /// Every input slot the expression reads, in order of appearance.
    pub fn reads(&self, into: &mut Vec<Slot>) {
        let push = |slot: Slot, into: &mut Vec<Slot>| {
            if !into.contains(&slot) {
                into.push(slot);
            }
        };
        match self {
            Expr::Const(_) => {}
            Expr::Flag(s) => push(*s, into),
            Expr::Compare { left, right, .. } => {
                for term in [left, right] {
                    if let Term::Input(s) = term {
                        push(*s, into);
                    }
                }
            }
            Expr::Rate {
                numerator,
                denominator,
                ..
            } => {
                push(*numerator, into);
                push(*denominator, into);
            }
            Expr::InSet { input, .. } => push(*input, into),
            Expr::Not(e) => e.reads(into),
            Expr::All(es) | Expr::Any(es) => es.iter().for_each(|e| e.reads(into)),
        }
    }
}

impl CompiledRulebook {
    pub fn target_name(&self, target: Target) -> &str {
        match target {
            Target::Indicator(i) => &self.indicators[i].name,
            Target::Group(g) => &self.groups[g].name,
        }
    }

    pub fn gates(&self, target: Target) -> &[Target] {
        match target {
            Target::Indicator(i) => &self.indicators[i].gates,
            Target::Group(g) => &self.groups[g].gates,
        }
    }

    pub fn target_label(&self, target: Target) -> &str {
        match target {
            Target::Indicator(i) => &self.indicators[i].label,
            Target::Group(g) => &self.groups[g].label,
        }
    }

    /// The input slot of a declaration field, if the rulebook has it.
    pub fn input_slot(&self, name: &str) -> Option<Slot> {
        self.inputs.iter().position(|i| i.name == name)
    }

    /// True when declarations must say which profession they are for.
    pub fn needs_profession(&self) -> bool {
        !matches!(&self.inputs[PROFESSION].missing, MissingRule::Default(_))
    }

    pub fn choice_name(&self, slot: Slot, index: u32) -> &str {
        match &self.inputs[slot].ty {
            InputType::Choice(choices) => choices
                .get(index as usize)
                .map(|c| c.name.as_str())
                .unwrap_or("?"),
            _ => "?",
        }
    }
}
