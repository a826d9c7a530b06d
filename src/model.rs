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

/// What indicators and groups share: who they are, what they wait on, what they pay.
#[derive(Clone, Debug)]
pub struct RuleHead {
    pub name: String,
    pub label: String,
    pub quotes: Vec<String>,
    /// The rule it names after `requires`.
    pub requires: Option<Target>,
    /// Written `independent`: it pays whatever happens to the other rules.
    pub independent: bool,
    /// The group it is a member of.
    pub group: Option<usize>,
    /// Everything it waits on to pay or to count as a gate: its own `requires`, then those
    /// of the groups around it.
    pub gates: Vec<Target>,
    pub payment: Option<usize>,
}

impl RuleHead {
    /// A rule as written, before `check` resolves its gating, its group and its payment.
    pub fn new(name: String, label: String, quotes: Vec<String>) -> RuleHead {
        RuleHead {
            name,
            label,
            quotes,
            requires: None,
            independent: false,
            group: None,
            gates: Vec::new(),
            payment: None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct IndicatorDef {
    pub head: RuleHead,
    /// Every indicator cites the guide (a group may not).
    pub section: String,
    pub source: Source,
    pub evidence: Option<String>,
    pub applies: Option<Condition>,
    pub met: Condition,
    pub neutralisations: Vec<NeutralisationDef>,
}

#[derive(Clone, Debug)]
pub struct NeutralisationDef {
    pub when: Option<Condition>,
    /// The guide's words, shown in every explanation.
    pub words: String,
}

#[derive(Clone, Debug)]
pub struct GroupDef {
    pub head: RuleHead,
    pub section: Option<String>,
    pub kind: GroupKind,
    pub members: Vec<Target>,
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

/// Adds `slot` to `into` unless it is there already.
fn push_slot(slot: Slot, into: &mut Vec<Slot>) {
    if !into.contains(&slot) {
        into.push(slot);
    }
}

impl Expr {
    /// Every input slot the expression reads, in order of appearance.
    pub fn reads(&self, into: &mut Vec<Slot>) {
        match self {
            Expr::Const(_) => {}
            Expr::Flag(s) => push_slot(*s, into),
            Expr::Compare { left, right, .. } => {
                for term in [left, right] {
                    if let Term::Input(s) = term {
                        push_slot(*s, into);
                    }
                }
            }
            Expr::Rate {
                numerator,
                denominator,
                ..
            } => {
                push_slot(*numerator, into);
                push_slot(*denominator, into);
            }
            Expr::InSet { input, .. } => push_slot(*input, into),
            Expr::Not(e) => e.reads(into),
            Expr::All(es) | Expr::Any(es) => es.iter().for_each(|e| e.reads(into)),
        }
    }
}

impl PaymentDef {
    /// Every input slot the line reads to choose and count its amount: each variant's
    /// `when`, then its `per`.
    pub fn reads(&self, into: &mut Vec<Slot>) {
        for v in &self.variants {
            if let Some(w) = &v.when {
                w.expr.reads(into);
            }
            if let Some(per) = v.per {
                push_slot(per, into);
            }
        }
    }
}

/// The questions consumers ask of the rules, each answered here once. Where an order
/// matters it is the order evaluation meets things: an indicator's `applies`, its
/// neutralisations, `met`, then its payment line.
impl CompiledRulebook {
    /// What an indicator or a group shares with the other kind.
    pub fn rule(&self, target: Target) -> &RuleHead {
        match target {
            Target::Indicator(i) => &self.indicators[i].head,
            Target::Group(g) => &self.groups[g].head,
        }
    }

    /// The same, for `check` to fill in.
    pub(crate) fn rule_mut(&mut self, target: Target) -> &mut RuleHead {
        match target {
            Target::Indicator(i) => &mut self.indicators[i].head,
            Target::Group(g) => &mut self.groups[g].head,
        }
    }

    /// Every indicator, then every group, each in the order written.
    pub fn targets(&self) -> impl Iterator<Item = Target> {
        (0..self.indicators.len())
            .map(Target::Indicator)
            .chain((0..self.groups.len()).map(Target::Group))
    }

    /// A rule's name (its head's).
    pub fn target_name(&self, target: Target) -> &str {
        &self.rule(target).name
    }

    /// What a rule waits on (its head's [`RuleHead::gates`]).
    pub fn gates(&self, target: Target) -> &[Target] {
        &self.rule(target).gates
    }

    /// Where the guide states a rule: always given for an indicator, optional for a group.
    pub fn section(&self, target: Target) -> Option<&str> {
        match target {
            Target::Indicator(i) => Some(&self.indicators[i].section),
            Target::Group(g) => self.groups[g].section.as_deref(),
        }
    }

    /// The groups around a rule, innermost first. At most as many as there are groups, so
    /// that a membership cycle (which `check` refuses) cannot make it endless.
    pub fn enclosing_groups(&self, target: Target) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.rule(target).group, |&g| self.groups[g].head.group)
            .take(self.groups.len())
    }

    /// Whether `target` is `scope`, or sits at any depth inside the group `scope`.
    pub fn is_within(&self, target: Target, scope: Target) -> bool {
        target == scope
            || matches!(scope, Target::Group(s) if self.enclosing_groups(target).any(|g| g == s))
    }

    /// Every rule some `requires` names, each once, in the order of the rules that name
    /// them (indicators, then groups).
    pub fn required(&self) -> Vec<Target> {
        let mut out = Vec::new();
        for t in self.targets().filter_map(|t| self.rule(t).requires) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// Whether some rule names `target` after `requires`.
    pub fn is_required(&self, target: Target) -> bool {
        self.required_by(target).next().is_some()
    }

    /// The rules that name `target` after `requires`: indicators, then groups.
    pub fn required_by(&self, target: Target) -> impl Iterator<Item = Target> + '_ {
        self.targets()
            .filter(move |t| self.rule(*t).requires == Some(target))
    }

    /// Every condition of a rule: an indicator's `applies`, its neutralisations' `when` and
    /// `met`; then the `when` of its payment's variants (all a group has).
    pub fn conditions(&self, target: Target) -> Vec<&Condition> {
        let mut out = self.status_conditions(target, true);
        if let Some(p) = self.rule(target).payment {
            out.extend(
                self.payments[p]
                    .variants
                    .iter()
                    .filter_map(|v| v.when.as_ref()),
            );
        }
        out
    }

    /// The inputs that decide whether a rule concerns a declaration at all: an indicator's
    /// `applies` and its neutralisations' conditions; none for a group.
    pub fn applicability_reads(&self, target: Target) -> Vec<Slot> {
        slots(self.status_conditions(target, false))
    }

    /// The inputs a rule's status is decided on: its applicability's, then `met`'s; none for
    /// a group (its members decide).
    pub fn status_reads(&self, target: Target) -> Vec<Slot> {
        slots(self.status_conditions(target, true))
    }

    /// Every input a rule reads: its status's, then its payment line's
    /// ([`PaymentDef::reads`]); a group reads only through its payment.
    pub fn reads(&self, target: Target) -> Vec<Slot> {
        let mut read = self.status_reads(target);
        if let Some(p) = self.rule(target).payment {
            self.payments[p].reads(&mut read);
        }
        read
    }

    /// An indicator's `applies`, its neutralisations' `when`, and `met` if asked for.
    fn status_conditions(&self, target: Target, with_met: bool) -> Vec<&Condition> {
        let Target::Indicator(i) = target else {
            return Vec::new();
        };
        let ind = &self.indicators[i];
        let mut out: Vec<&Condition> = ind.applies.iter().collect();
        out.extend(ind.neutralisations.iter().filter_map(|n| n.when.as_ref()));
        if with_met {
            out.push(&ind.met);
        }
        out
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

/// The inputs the conditions read, each once, in their order.
fn slots(conditions: Vec<&Condition>) -> Vec<Slot> {
    let mut read = Vec::new();
    for c in conditions {
        c.expr.reads(&mut read);
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(source: &str) -> CompiledRulebook {
        match crate::compile("test.forfait", source) {
            Ok(c) => c.rulebook,
            Err(report) => panic!("the rulebook does not check: {report:?}"),
        }
    }

    fn shipped_2021() -> CompiledRulebook {
        compiled(include_str!(
            "../rulebooks/fami/2021-professions-de-sante.forfait"
        ))
    }

    fn target(rb: &CompiledRulebook, name: &str) -> Target {
        match rb.targets().find(|t| rb.target_name(*t) == name) {
            Some(t) => t,
            None => panic!("no rule `{name}`"),
        }
    }

    fn names(rb: &CompiledRulebook, slots: &[Slot]) -> Vec<String> {
        slots.iter().map(|s| rb.inputs[*s].name.clone()).collect()
    }

    /// Every clause that reads an input reads a different one, so that the order of each
    /// query shows: `a` applies, `m` met, `n` neutralised, `w` an amount's `when`, `c` per.
    const NESTED: &str = r#"
rulebook queries "Questions posées au modèle"
  scheme "FAMI"
  exercice 2024
  paid in 2025
  guide "Cas de test"
  currency EUR
  professions (infirmier "Infirmiers", sage_femme "Sages-femmes")

input a "A"
  yes/no declarative
  missing means no

input m "M"
  yes/no declarative
  missing means no

input n "N"
  yes/no declarative
  missing means no

input w "W"
  yes/no declarative
  missing means no

input c "C"
  count automated
  missing means 0

indicator inner_one "Premier"
  section "1.1"
  declarative
  applies when a
  met when m
  neutralised when n "Neutralisé quand N"
  pays 2 EUR per c when w
       1 EUR otherwise

indicator inner_two "Second"
  section "1.2"
  declarative
  met when m

indicator base "Socle"
  section "2"
  declarative
  met when m

indicator outside "Dehors"
  section "3"
  declarative
  met when m
  requires outer
  pays 10 EUR

group inner "Groupe intérieur"
  all-of (inner_one, inner_two)

group outer "Groupe extérieur"
  section "1"
  all-of (inner)
  requires base
  pays 100 EUR
"#;

    #[test]
    fn the_head_holds_what_both_kinds_share() {
        let rb = compiled(NESTED);
        let one = target(&rb, "inner_one");
        let outer = target(&rb, "outer");
        assert_eq!(rb.rule(one).label, "Premier");
        assert_eq!(rb.rule(outer).label, "Groupe extérieur");
        assert_eq!(rb.rule(outer).requires, Some(target(&rb, "base")));
        assert!(rb.rule(one).payment.is_some() && rb.rule(outer).payment.is_some());
        let group_of = |t: Target| rb.rule(t).group.map(|g| rb.groups[g].head.name.as_str());
        assert_eq!(group_of(one), Some("inner"));
        assert_eq!(group_of(target(&rb, "inner")), Some("outer"));
        assert_eq!(group_of(outer), None);
        assert_eq!(rb.section(one), Some("1.1"));
        assert_eq!(rb.section(outer), Some("1"));
        assert_eq!(rb.section(target(&rb, "inner")), None);
        let all: Vec<&str> = rb.targets().map(|t| rb.target_name(t)).collect();
        assert_eq!(
            all,
            [
                "inner_one",
                "inner_two",
                "base",
                "outside",
                "inner",
                "outer"
            ]
        );
    }

    #[test]
    fn enclosing_groups_go_from_the_innermost_out() {
        let rb = compiled(NESTED);
        let group_names = |t: Target| -> Vec<&str> {
            rb.enclosing_groups(t)
                .map(|g| rb.groups[g].head.name.as_str())
                .collect()
        };
        assert_eq!(group_names(target(&rb, "inner_one")), ["inner", "outer"]);
        assert_eq!(group_names(target(&rb, "inner")), ["outer"]);
        assert!(group_names(target(&rb, "outer")).is_empty());
        assert!(group_names(target(&rb, "outside")).is_empty());

        let (one, inner, outer) = (
            target(&rb, "inner_one"),
            target(&rb, "inner"),
            target(&rb, "outer"),
        );
        assert!(rb.is_within(one, outer) && rb.is_within(one, inner));
        assert!(rb.is_within(outer, outer));
        assert!(!rb.is_within(outer, inner));
        assert!(!rb.is_within(target(&rb, "outside"), outer));
        assert!(!rb.is_within(one, target(&rb, "inner_two")));
        assert!(!rb.is_within(target(&rb, "base"), outer));
    }

    #[test]
    fn gates_gather_a_rule_s_requires_and_its_groups() {
        let rb = compiled(NESTED);
        let (base, outer) = (target(&rb, "base"), target(&rb, "outer"));
        // `inner_one` waits on what `outer` (around `inner`) requires.
        assert_eq!(rb.gates(target(&rb, "inner_one")), [base]);
        assert_eq!(rb.gates(target(&rb, "outside")), [outer]);
        assert_eq!(rb.gates(outer), [base]);
        assert!(rb.gates(base).is_empty());
    }

    #[test]
    fn required_rules_are_those_some_requires_names() {
        let rb = compiled(NESTED);
        let (base, outer, outside) = (
            target(&rb, "base"),
            target(&rb, "outer"),
            target(&rb, "outside"),
        );
        // `outside` (an indicator) names `outer` before `outer` (a group) names `base`.
        assert_eq!(rb.required(), [outer, base]);
        assert!(rb.is_required(outer) && rb.is_required(base));
        assert!(!rb.is_required(target(&rb, "inner_one")) && !rb.is_required(outside));
        assert_eq!(rb.required_by(outer).collect::<Vec<_>>(), [outside]);
        assert_eq!(rb.required_by(base).collect::<Vec<_>>(), [outer]);
        assert_eq!(rb.required_by(outside).count(), 0);

        let shipped = shipped_2021();
        let socle = target(&shipped, "socle");
        assert_eq!(shipped.required(), [socle]);
        assert_eq!(
            shipped.required_by(socle).collect::<Vec<_>>(),
            [target(&shipped, "coordination")]
        );
    }

    #[test]
    fn reads_come_in_the_order_evaluation_meets_them() {
        let rb = compiled(NESTED);
        let one = target(&rb, "inner_one");
        assert_eq!(names(&rb, &rb.applicability_reads(one)), ["a", "n"]);
        assert_eq!(names(&rb, &rb.status_reads(one)), ["a", "n", "m"]);
        assert_eq!(names(&rb, &rb.reads(one)), ["a", "n", "m", "w", "c"]);
        let texts: Vec<&str> = rb.conditions(one).iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["a", "n", "m", "w"]);
        // A group decides nothing by itself; a fixed amount reads nothing.
        let outer = target(&rb, "outer");
        assert!(rb.status_reads(outer).is_empty() && rb.reads(outer).is_empty());
        assert!(rb.conditions(outer).is_empty());
    }

    #[test]
    fn reads_of_shipped_indicators() {
        let rb = shipped_2021();
        let scor = target(&rb, "scor");
        // `applies` and the neutralisation read `profession`, once; `met` the SCOR flows.
        assert_eq!(names(&rb, &rb.applicability_reads(scor)), ["profession"]);
        assert_eq!(names(&rb, &rb.reads(scor)), ["profession", "flux_scor"]);
        // Its amounts read what its conditions do not.
        assert_eq!(
            names(&rb, &rb.reads(target(&rb, "coordination"))),
            [
                "dispositif_coordination",
                "profession",
                "statut_infirmier",
                "zone_ipal"
            ]
        );
        assert!(rb
            .applicability_reads(target(&rb, "coordination"))
            .is_empty());
        // Paid per DMP opened: the count is read by `met` and by `per`, listed once.
        assert_eq!(
            names(&rb, &rb.reads(target(&rb, "dmp_ouverture"))),
            ["profession", "dmp_ouverts"]
        );
        assert!(rb.reads(target(&rb, "socle")).is_empty());
    }
}
