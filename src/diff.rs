//! The semantic diff of two rulebooks (two years of one scheme, or two versions of one
//! file): what changed in the rules, in the guides' terms, not in the text; and, over a set
//! of declarations, what it changes in the amounts paid and which rule change moved each
//! amount. No I/O: the command line reads the files, `output::diff` renders.
//!
//! Indicators and groups are matched by name; a removed and an added one with the same
//! label (and section) is a rename, and everything that names it (gates, group members,
//! payment lines) follows the rename. Conditions are compared by structure, by input
//! names, so a diff never reports what is only layout or a comment.

use rust_decimal::Decimal;

use crate::declaration::{self, InputFormat, ReadOptions, Record};
use crate::eval::value::Value;
use crate::eval::{evaluate, EvalOptions, Outcome, PaymentStatus, Status};
use crate::model::{
    AmountUnit, AmountVariantDef, CompiledRulebook, Condition, Expr, GroupKind, InputType,
    MissingRule, NeutralisationDef, PaymentDef, Slot, Source, Target, Term, PROFESSION,
};
use crate::output::french;

// ------------------------------------------------------------------ changes

/// Where a change belongs in the changelog, in the order the changelog shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Header,
    Professions,
    IndicatorsAdded,
    IndicatorsRemoved,
    IndicatorsModified,
    Groups,
    Payments,
    StatedTotals,
    Inputs,
    Lists,
}

impl Part {
    pub const ALL: [Part; 10] = [
        Part::Header,
        Part::Professions,
        Part::IndicatorsAdded,
        Part::IndicatorsRemoved,
        Part::IndicatorsModified,
        Part::Groups,
        Part::Payments,
        Part::StatedTotals,
        Part::Inputs,
        Part::Lists,
    ];

    /// The stable spelling of the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Header => "header",
            Part::Professions => "professions",
            Part::IndicatorsAdded => "indicators_added",
            Part::IndicatorsRemoved => "indicators_removed",
            Part::IndicatorsModified => "indicators_modified",
            Part::Groups => "groups",
            Part::Payments => "payments",
            Part::StatedTotals => "stated_totals",
            Part::Inputs => "inputs",
            Part::Lists => "lists",
        }
    }
}

/// What changed. `old` and `new` of a [`Change`] hold the two versions, in French words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    RulebookRenamed,
    TitleChanged,
    SchemeChanged,
    ExerciceChanged,
    PaidInChanged,
    GuideChanged,
    ProfessionAdded,
    ProfessionRemoved,
    ProfessionLabelChanged,
    IndicatorAdded,
    IndicatorRemoved,
    IndicatorRenamed,
    /// Of an indicator, a group or a stated total.
    LabelChanged,
    /// Of an indicator, a group, a list or a stated total.
    SectionChanged,
    SourceChanged,
    ApplicabilityChanged,
    ConditionChanged,
    /// A rate's threshold (or its comparison sign), on its own line.
    ThresholdChanged,
    NeutralisationAdded,
    NeutralisationLifted,
    NeutralisationChanged,
    /// `requires X` / `independent` / neither, of an indicator or a group.
    GatingChanged,
    GroupAdded,
    GroupRemoved,
    GroupRenamed,
    GroupKindChanged,
    MembersChanged,
    PaymentAdded,
    PaymentRemoved,
    AmountChanged,
    PerChanged,
    VariantsChanged,
    PointValueChanged,
    StatedTotalAdded,
    StatedTotalRemoved,
    StatedTotalChanged,
    StatedTotalScopeChanged,
    InputAdded,
    InputRemoved,
    InputLabelChanged,
    InputTypeChanged,
    InputSourceChanged,
    InputUnitChanged,
    InputMissingChanged,
    ListAdded,
    ListRemoved,
    ListChanged,
}

impl Kind {
    /// The stable spelling of the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::RulebookRenamed => "rulebook_renamed",
            Kind::TitleChanged => "title_changed",
            Kind::SchemeChanged => "scheme_changed",
            Kind::ExerciceChanged => "exercice_changed",
            Kind::PaidInChanged => "paid_in_changed",
            Kind::GuideChanged => "guide_changed",
            Kind::ProfessionAdded => "profession_added",
            Kind::ProfessionRemoved => "profession_removed",
            Kind::ProfessionLabelChanged => "profession_label_changed",
            Kind::IndicatorAdded => "indicator_added",
            Kind::IndicatorRemoved => "indicator_removed",
            Kind::IndicatorRenamed => "indicator_renamed",
            Kind::LabelChanged => "label_changed",
            Kind::SectionChanged => "section_changed",
            Kind::SourceChanged => "source_changed",
            Kind::ApplicabilityChanged => "applicability_changed",
            Kind::ConditionChanged => "condition_changed",
            Kind::ThresholdChanged => "threshold_changed",
            Kind::NeutralisationAdded => "neutralisation_added",
            Kind::NeutralisationLifted => "neutralisation_lifted",
            Kind::NeutralisationChanged => "neutralisation_changed",
            Kind::GatingChanged => "gating_changed",
            Kind::GroupAdded => "group_added",
            Kind::GroupRemoved => "group_removed",
            Kind::GroupRenamed => "group_renamed",
            Kind::GroupKindChanged => "group_kind_changed",
            Kind::MembersChanged => "members_changed",
            Kind::PaymentAdded => "payment_added",
            Kind::PaymentRemoved => "payment_removed",
            Kind::AmountChanged => "amount_changed",
            Kind::PerChanged => "per_changed",
            Kind::VariantsChanged => "variants_changed",
            Kind::PointValueChanged => "point_value_changed",
            Kind::StatedTotalAdded => "stated_total_added",
            Kind::StatedTotalRemoved => "stated_total_removed",
            Kind::StatedTotalChanged => "stated_total_changed",
            Kind::StatedTotalScopeChanged => "stated_total_scope_changed",
            Kind::InputAdded => "input_added",
            Kind::InputRemoved => "input_removed",
            Kind::InputLabelChanged => "input_label_changed",
            Kind::InputTypeChanged => "input_type_changed",
            Kind::InputSourceChanged => "input_source_changed",
            Kind::InputUnitChanged => "input_unit_changed",
            Kind::InputMissingChanged => "input_missing_changed",
            Kind::ListAdded => "list_added",
            Kind::ListRemoved => "list_removed",
            Kind::ListChanged => "list_changed",
        }
    }
}

/// One change between the two rulebooks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub part: Part,
    pub kind: Kind,
    /// What the change is about: the rule's name (its new name when renamed, its old one
    /// when removed), an input, a list, a profession or a stated total's label; `None` for
    /// the header.
    pub rule: Option<String>,
    /// The old version in words (`None` for an addition).
    pub old: Option<String>,
    /// The new version in words (`None` for a removal).
    pub new: Option<String>,
    /// Further facts a reader needs: an added indicator's section, label and condition, the
    /// condition under which an amount or a neutralisation holds, the members moved.
    pub notes: Vec<String>,
}

impl Change {
    fn new(part: Part, kind: Kind, rule: Option<&str>) -> Change {
        Change {
            part,
            kind,
            rule: rule.map(str::to_string),
            old: None,
            new: None,
            notes: Vec::new(),
        }
    }

    fn old(mut self, text: impl Into<String>) -> Change {
        self.old = Some(text.into());
        self
    }

    fn new_text(mut self, text: impl Into<String>) -> Change {
        self.new = Some(text.into());
        self
    }

    fn note(mut self, text: impl Into<String>) -> Change {
        self.notes.push(text.into());
        self
    }
}

/// The changes from `old` to `new`, in changelog order (see [`Part`]): within a part, in
/// the new rulebook's order (the old one's for removals).
pub fn changes(old: &CompiledRulebook, new: &CompiledRulebook) -> Vec<Change> {
    let cx = Ctx::new(old, new);
    let mut out = Vec::new();
    cx.header(&mut out);
    cx.professions(&mut out);
    cx.indicators(&mut out);
    cx.groups(&mut out);
    cx.payments(&mut out);
    cx.stated_totals(&mut out);
    cx.inputs(&mut out);
    cx.lists(&mut out);
    out.sort_by_key(|c| c.part);
    out
}

/// Indicators and groups of the old rulebook matched with those of the new one.
struct Pairing {
    indicators: Vec<Option<usize>>,
    indicators_back: Vec<Option<usize>>,
    groups: Vec<Option<usize>>,
    groups_back: Vec<Option<usize>>,
}

/// Matches items by name, then pairs what is left as renames: same label and section
/// first, then same label.
fn pair(
    old: &[(&str, &str, Option<&str>)],
    new: &[(&str, &str, Option<&str>)],
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut forward = vec![None; old.len()];
    let mut back = vec![None; new.len()];
    for (i, o) in old.iter().enumerate() {
        if let Some(j) = new.iter().position(|n| n.0 == o.0) {
            forward[i] = Some(j);
            back[j] = Some(i);
        }
    }
    for same_section in [true, false] {
        for (i, o) in old.iter().enumerate() {
            if forward[i].is_some() {
                continue;
            }
            let found = new.iter().enumerate().position(|(j, n)| {
                back[j].is_none() && n.1 == o.1 && (!same_section || n.2 == o.2)
            });
            if let Some(j) = found {
                forward[i] = Some(j);
                back[j] = Some(i);
            }
        }
    }
    (forward, back)
}

struct Ctx<'a> {
    old: &'a CompiledRulebook,
    new: &'a CompiledRulebook,
    pairing: Pairing,
}

/// `requires X`, `independent` or neither, with X named in the new rulebook's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Gating {
    Requires(String),
    Independent,
    Neither,
}

impl<'a> Ctx<'a> {
    fn new(old: &'a CompiledRulebook, new: &'a CompiledRulebook) -> Ctx<'a> {
        let keys_i = |rb: &'a CompiledRulebook| -> Vec<(&'a str, &'a str, Option<&'a str>)> {
            rb.indicators
                .iter()
                .map(|i| (i.name.as_str(), i.label.as_str(), Some(i.section.as_str())))
                .collect()
        };
        let keys_g = |rb: &'a CompiledRulebook| -> Vec<(&'a str, &'a str, Option<&'a str>)> {
            rb.groups
                .iter()
                .map(|g| (g.name.as_str(), g.label.as_str(), g.section.as_deref()))
                .collect()
        };
        let (indicators, indicators_back) = pair(&keys_i(old), &keys_i(new));
        let (groups, groups_back) = pair(&keys_g(old), &keys_g(new));
        Ctx {
            old,
            new,
            pairing: Pairing {
                indicators,
                indicators_back,
                groups,
                groups_back,
            },
        }
    }

    /// The new rulebook's counterpart of an old target.
    fn to_new(&self, t: Target) -> Option<Target> {
        match t {
            Target::Indicator(i) => self
                .pairing
                .indicators
                .get(i)
                .copied()
                .flatten()
                .map(Target::Indicator),
            Target::Group(g) => self
                .pairing
                .groups
                .get(g)
                .copied()
                .flatten()
                .map(Target::Group),
        }
    }

    /// The old rulebook's counterpart of a new target.
    fn to_old(&self, t: Target) -> Option<Target> {
        match t {
            Target::Indicator(i) => self
                .pairing
                .indicators_back
                .get(i)
                .copied()
                .flatten()
                .map(Target::Indicator),
            Target::Group(g) => self
                .pairing
                .groups_back
                .get(g)
                .copied()
                .flatten()
                .map(Target::Group),
        }
    }

    /// An old target's name as the new rulebook calls it (its old name if it is gone).
    fn old_name_now(&self, t: Target) -> String {
        match self.to_new(t) {
            Some(n) => self.new.target_name(n).to_string(),
            None => self.old.target_name(t).to_string(),
        }
    }

    // -------------------------------------------------------------- header, professions

    fn header(&self, out: &mut Vec<Change>) {
        let (o, n) = (&self.old.meta, &self.new.meta);
        let mut text = |kind: Kind, a: String, b: String| {
            if a != b {
                out.push(Change::new(Part::Header, kind, None).old(a).new_text(b));
            }
        };
        text(Kind::RulebookRenamed, o.name.clone(), n.name.clone());
        text(Kind::TitleChanged, o.title.clone(), n.title.clone());
        text(Kind::SchemeChanged, o.scheme.clone(), n.scheme.clone());
        text(
            Kind::ExerciceChanged,
            o.exercice.to_string(),
            n.exercice.to_string(),
        );
        text(
            Kind::PaidInChanged,
            o.paid_in.to_string(),
            n.paid_in.to_string(),
        );
        text(Kind::GuideChanged, o.guide.clone(), n.guide.clone());
    }

    fn professions(&self, out: &mut Vec<Change>) {
        let choices = |rb: &CompiledRulebook| match &rb.inputs[PROFESSION].ty {
            InputType::Choice(c) => c.clone(),
            _ => Vec::new(),
        };
        let (old, new) = (choices(self.old), choices(self.new));
        let shown = |c: &crate::model::Choice| match &c.label {
            Some(l) => format!("{} ({l})", c.name),
            None => c.name.clone(),
        };
        for c in &new {
            match old.iter().find(|o| o.name == c.name) {
                None => out.push(
                    Change::new(Part::Professions, Kind::ProfessionAdded, Some(&c.name))
                        .new_text(shown(c)),
                ),
                Some(o) if o.label != c.label => out.push(
                    Change::new(
                        Part::Professions,
                        Kind::ProfessionLabelChanged,
                        Some(&c.name),
                    )
                    .old(o.label.clone().unwrap_or_default())
                    .new_text(c.label.clone().unwrap_or_default()),
                ),
                Some(_) => {}
            }
        }
        for o in &old {
            if !new.iter().any(|c| c.name == o.name) {
                out.push(
                    Change::new(Part::Professions, Kind::ProfessionRemoved, Some(&o.name))
                        .old(shown(o)),
                );
            }
        }
    }

    // -------------------------------------------------------------- indicators

    fn indicators(&self, out: &mut Vec<Change>) {
        for (j, ind) in self.new.indicators.iter().enumerate() {
            match self.pairing.indicators_back[j] {
                None => {
                    let (headline, notes) = indicator_summary(self.new, j);
                    let mut change =
                        Change::new(Part::IndicatorsAdded, Kind::IndicatorAdded, Some(&ind.name))
                            .new_text(headline);
                    change.notes = notes;
                    out.push(change);
                }
                Some(i) => self.indicator(i, j, out),
            }
        }
        for (i, ind) in self.old.indicators.iter().enumerate() {
            if self.pairing.indicators[i].is_none() {
                let (headline, notes) = indicator_summary(self.old, i);
                let mut change = Change::new(
                    Part::IndicatorsRemoved,
                    Kind::IndicatorRemoved,
                    Some(&ind.name),
                )
                .old(headline);
                change.notes = notes;
                out.push(change);
            }
        }
    }

    fn indicator(&self, i: usize, j: usize, out: &mut Vec<Change>) {
        let (o, n) = (&self.old.indicators[i], &self.new.indicators[j]);
        let part = Part::IndicatorsModified;
        let rule = Some(n.name.as_str());
        if o.name != n.name {
            out.push(
                Change::new(part, Kind::IndicatorRenamed, rule)
                    .old(&o.name)
                    .new_text(&n.name),
            );
        }
        if o.label != n.label {
            out.push(
                Change::new(part, Kind::LabelChanged, rule)
                    .old(&o.label)
                    .new_text(&n.label),
            );
        }
        if o.section != n.section {
            out.push(
                Change::new(part, Kind::SectionChanged, rule)
                    .old(section_text(&o.section))
                    .new_text(section_text(&n.section)),
            );
        }
        if o.source != n.source {
            out.push(
                Change::new(part, Kind::SourceChanged, rule)
                    .old(source(o.source))
                    .new_text(source(n.source)),
            );
        }
        let same_applies = match (&o.applies, &n.applies) {
            (None, None) => true,
            (Some(a), Some(b)) => self.same(&a.expr, &b.expr, true),
            _ => false,
        };
        if !same_applies {
            let words = |rb: &CompiledRulebook, c: &Option<Condition>| match c {
                None => "pour tous".to_string(),
                Some(c) => format!("si {}", french::condition(rb, &c.expr)),
            };
            out.push(
                Change::new(part, Kind::ApplicabilityChanged, rule)
                    .old(words(self.old, &o.applies))
                    .new_text(words(self.new, &n.applies)),
            );
        }
        self.condition(part, &n.name, &o.met.expr, &n.met.expr, out);
        self.neutralisations(&n.name, &o.neutralisations, &n.neutralisations, out);
        self.gating(
            part,
            &n.name,
            self.gating_of(true, o.requires, o.independent),
            self.gating_of(false, n.requires, n.independent),
            out,
        );
    }

    /// A `met when` changed: a rate's threshold alone on its own line, else the whole
    /// condition (and the thresholds that moved, on their own lines too).
    fn condition(&self, part: Part, rule: &str, old: &Expr, new: &Expr, out: &mut Vec<Change>) {
        if self.same(old, new, true) {
            return;
        }
        let (old_rates, new_rates) = (rates(self.old, old), rates(self.new, new));
        let pairs: Vec<(&RateKey, &RateKey)> = if self.same(old, new, false) {
            old_rates.iter().zip(new_rates.iter()).collect()
        } else {
            out.push(
                Change::new(part, Kind::ConditionChanged, Some(rule))
                    .old(french::condition(self.old, old))
                    .new_text(french::condition(self.new, new)),
            );
            // Rates of the same two counts, one on each side, are the same rate.
            old_rates
                .iter()
                .filter_map(|a| {
                    let same =
                        |r: &&RateKey| r.numerator == a.numerator && r.denominator == a.denominator;
                    let on_new: Vec<&RateKey> = new_rates.iter().filter(same).collect();
                    let on_old = old_rates.iter().filter(same).count();
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
                out.push(
                    Change::new(part, Kind::ThresholdChanged, Some(rule))
                        .old(old_text)
                        .new_text(new_text)
                        .note(format!("taux {} / {}", b.numerator, b.denominator)),
                );
            }
        }
    }

    fn neutralisations(
        &self,
        rule: &str,
        old: &[NeutralisationDef],
        new: &[NeutralisationDef],
        out: &mut Vec<Change>,
    ) {
        let part = Part::IndicatorsModified;
        let same_when = |a: &NeutralisationDef, b: &NeutralisationDef| match (&a.when, &b.when) {
            (None, None) => true,
            (Some(x), Some(y)) => self.same(&x.expr, &y.expr, true),
            _ => false,
        };
        let scope = |rb: &CompiledRulebook, n: &NeutralisationDef| match &n.when {
            None => "pour tous".to_string(),
            Some(c) => format!("si {}", french::condition(rb, &c.expr)),
        };
        let whole = |rb: &CompiledRulebook, n: &NeutralisationDef| {
            format!("{} : « {} »", scope(rb, n), n.words)
        };
        let mut used = vec![false; old.len()];
        for b in new {
            let by_when = (0..old.len()).find(|&k| !used[k] && same_when(&old[k], b));
            let by_words = || (0..old.len()).find(|&k| !used[k] && old[k].words == b.words);
            match by_when.or_else(by_words) {
                Some(k) => {
                    used[k] = true;
                    let a = &old[k];
                    if a.words != b.words || !same_when(a, b) {
                        out.push(
                            Change::new(part, Kind::NeutralisationChanged, Some(rule))
                                .old(whole(self.old, a))
                                .new_text(whole(self.new, b)),
                        );
                    }
                }
                None => out.push(
                    Change::new(part, Kind::NeutralisationAdded, Some(rule))
                        .new_text(&b.words)
                        .note(scope(self.new, b)),
                ),
            }
        }
        for (k, a) in old.iter().enumerate() {
            if !used[k] {
                out.push(
                    Change::new(part, Kind::NeutralisationLifted, Some(rule))
                        .old(&a.words)
                        .note(scope(self.old, a)),
                );
            }
        }
    }

    fn gating_of(&self, old_side: bool, requires: Option<Target>, independent: bool) -> Gating {
        match (requires, independent) {
            (Some(t), _) if old_side => Gating::Requires(self.old_name_now(t)),
            (Some(t), _) => Gating::Requires(self.new.target_name(t).to_string()),
            (None, true) => Gating::Independent,
            (None, false) => Gating::Neither,
        }
    }

    fn gating(&self, part: Part, rule: &str, old: Gating, new: Gating, out: &mut Vec<Change>) {
        if old != new {
            let words = |g: &Gating| match g {
                Gating::Requires(name) => format!("requiert « {name} »"),
                Gating::Independent => "indépendant".to_string(),
                Gating::Neither => "sans clause propre (celle de son groupe)".to_string(),
            };
            out.push(
                Change::new(part, Kind::GatingChanged, Some(rule))
                    .old(words(&old))
                    .new_text(words(&new)),
            );
        }
    }

    // -------------------------------------------------------------- groups

    fn groups(&self, out: &mut Vec<Change>) {
        let part = Part::Groups;
        for (j, g) in self.new.groups.iter().enumerate() {
            let Some(i) = self.pairing.groups_back[j] else {
                let (headline, notes) = group_summary(self.new, j);
                let mut change =
                    Change::new(part, Kind::GroupAdded, Some(&g.name)).new_text(headline);
                change.notes = notes;
                out.push(change);
                continue;
            };
            let o = &self.old.groups[i];
            let rule = Some(g.name.as_str());
            if o.name != g.name {
                out.push(
                    Change::new(part, Kind::GroupRenamed, rule)
                        .old(&o.name)
                        .new_text(&g.name),
                );
            }
            if o.label != g.label {
                out.push(
                    Change::new(part, Kind::LabelChanged, rule)
                        .old(&o.label)
                        .new_text(&g.label),
                );
            }
            if o.section != g.section {
                let shown = |s: &Option<String>| {
                    s.as_deref()
                        .map(section_text)
                        .unwrap_or_else(|| "(aucune)".into())
                };
                out.push(
                    Change::new(part, Kind::SectionChanged, rule)
                        .old(shown(&o.section))
                        .new_text(shown(&g.section)),
                );
            }
            if o.kind != g.kind {
                out.push(
                    Change::new(part, Kind::GroupKindChanged, rule)
                        .old(group_kind(o.kind))
                        .new_text(group_kind(g.kind)),
                );
            }
            let old_members: Vec<String> =
                o.members.iter().map(|m| self.old_name_now(*m)).collect();
            let new_members: Vec<String> = g
                .members
                .iter()
                .map(|m| self.new.target_name(*m).to_string())
                .collect();
            let added: Vec<&str> = new_members
                .iter()
                .filter(|m| !old_members.contains(m))
                .map(String::as_str)
                .collect();
            let removed: Vec<&str> = old_members
                .iter()
                .filter(|m| !new_members.contains(m))
                .map(String::as_str)
                .collect();
            if !added.is_empty() || !removed.is_empty() {
                let mut change = Change::new(part, Kind::MembersChanged, rule)
                    .old(old_members.join(", "))
                    .new_text(new_members.join(", "));
                if !added.is_empty() {
                    change = change.note(format!("ajoutés : {}", added.join(", ")));
                }
                if !removed.is_empty() {
                    change = change.note(format!("retirés : {}", removed.join(", ")));
                }
                out.push(change);
            }
            self.gating(
                part,
                &g.name,
                self.gating_of(true, o.requires, o.independent),
                self.gating_of(false, g.requires, g.independent),
                out,
            );
        }
        for (i, g) in self.old.groups.iter().enumerate() {
            if self.pairing.groups[i].is_none() {
                let (headline, notes) = group_summary(self.old, i);
                let mut change = Change::new(part, Kind::GroupRemoved, Some(&g.name)).old(headline);
                change.notes = notes;
                out.push(change);
            }
        }
    }

    // -------------------------------------------------------------- payments

    fn payments(&self, out: &mut Vec<Change>) {
        let (o, n) = (&self.old.meta, &self.new.meta);
        if o.point_value != n.point_value {
            let shown =
                |v: Option<Decimal>| v.map(french::euros).unwrap_or_else(|| "aucune".into());
            out.push(
                Change::new(Part::Payments, Kind::PointValueChanged, None)
                    .old(shown(o.point_value))
                    .new_text(shown(n.point_value)),
            );
        }
        let owners = self
            .new
            .indicators
            .iter()
            .enumerate()
            .map(|(j, _)| Target::Indicator(j))
            .chain((0..self.new.groups.len()).map(Target::Group));
        for owner in owners {
            let Some(old_owner) = self.to_old(owner) else {
                continue;
            };
            let name = self.new.target_name(owner);
            let payment_of = |rb: &'a CompiledRulebook, t: Target| -> Option<&'a PaymentDef> {
                let p = match t {
                    Target::Indicator(i) => rb.indicators[i].payment,
                    Target::Group(g) => rb.groups[g].payment,
                };
                p.and_then(|p| rb.payments.get(p))
            };
            match (payment_of(self.old, old_owner), payment_of(self.new, owner)) {
                (None, None) => {}
                (None, Some(p)) => out.push(
                    Change::new(Part::Payments, Kind::PaymentAdded, Some(name))
                        .new_text(amounts(self.new, p)),
                ),
                (Some(p), None) => out.push(
                    Change::new(Part::Payments, Kind::PaymentRemoved, Some(name))
                        .old(amounts(self.old, p)),
                ),
                (Some(a), Some(b)) => self.payment(name, a, b, out),
            }
        }
    }

    fn payment(&self, rule: &str, a: &PaymentDef, b: &PaymentDef, out: &mut Vec<Change>) {
        let part = Part::Payments;
        let same_when = |x: &AmountVariantDef, y: &AmountVariantDef| match (&x.when, &y.when) {
            (None, None) => true,
            (Some(p), Some(q)) => self.same(&p.expr, &q.expr, true),
            _ => false,
        };
        let per =
            |rb: &CompiledRulebook, v: &AmountVariantDef| v.per.map(|s| rb.inputs[s].name.clone());
        let shape_same = a.variants.len() == b.variants.len()
            && a.variants
                .iter()
                .zip(&b.variants)
                .all(|(x, y)| same_when(x, y));
        if !shape_same {
            out.push(
                Change::new(part, Kind::VariantsChanged, Some(rule))
                    .old(amounts(self.old, a))
                    .new_text(amounts(self.new, b)),
            );
            return;
        }
        let several = b.variants.len() > 1;
        for (x, y) in a.variants.iter().zip(&b.variants) {
            let kind = if per(self.old, x) != per(self.new, y) {
                Kind::PerChanged
            } else if x.amount != y.amount || x.unit != y.unit {
                Kind::AmountChanged
            } else {
                continue;
            };
            let mut change = Change::new(part, kind, Some(rule))
                .old(amount(self.old, x))
                .new_text(amount(self.new, y));
            if several {
                change = change.note(match &y.when {
                    Some(w) => format!("si {}", french::condition(self.new, &w.expr)),
                    None => "sinon".to_string(),
                });
            }
            out.push(change);
        }
    }

    // -------------------------------------------------------------- stated totals

    fn stated_totals(&self, out: &mut Vec<Change>) {
        let part = Part::StatedTotals;
        let (old, new) = (&self.old.stated_totals, &self.new.stated_totals);
        let scope_old: Vec<String> = old
            .iter()
            .map(|t| {
                total_scope(
                    t.scope
                        .as_ref()
                        .map(|s| s.iter().map(|x| self.old_name_now(*x)).collect()),
                    &t.profile,
                )
            })
            .collect();
        let scope_new: Vec<String> = new
            .iter()
            .map(|t| {
                total_scope(
                    t.scope.as_ref().map(|s| {
                        s.iter()
                            .map(|x| self.new.target_name(*x).to_string())
                            .collect()
                    }),
                    &t.profile,
                )
            })
            .collect();
        // By label, then what is left by scope.
        let mut back: Vec<Option<usize>> = vec![None; new.len()];
        let mut forward: Vec<Option<usize>> = vec![None; old.len()];
        for (i, t) in old.iter().enumerate() {
            if let Some(j) = (0..new.len()).find(|&j| back[j].is_none() && new[j].label == t.label)
            {
                back[j] = Some(i);
                forward[i] = Some(j);
            }
        }
        for i in 0..old.len() {
            if forward[i].is_some() {
                continue;
            }
            if let Some(j) =
                (0..new.len()).find(|&j| back[j].is_none() && scope_new[j] == scope_old[i])
            {
                back[j] = Some(i);
                forward[i] = Some(j);
            }
        }
        let total = |t: &crate::model::StatedTotalDef| match t.unit {
            AmountUnit::Euros => french::euros(t.amount),
            AmountUnit::Points => french::points(t.amount),
        };
        for (j, t) in new.iter().enumerate() {
            let rule = Some(t.label.as_str());
            let Some(i) = back[j] else {
                let mut change = Change::new(part, Kind::StatedTotalAdded, rule)
                    .new_text(total(t))
                    .note(scope_new[j].clone());
                if let Some(s) = &t.section {
                    change = change.note(section_text(s));
                }
                out.push(change);
                continue;
            };
            let o = &old[i];
            if o.label != t.label {
                out.push(
                    Change::new(part, Kind::LabelChanged, rule)
                        .old(&o.label)
                        .new_text(&t.label),
                );
            }
            if o.amount != t.amount || o.unit != t.unit {
                out.push(
                    Change::new(part, Kind::StatedTotalChanged, rule)
                        .old(total(o))
                        .new_text(total(t)),
                );
            }
            if scope_old[i] != scope_new[j] {
                out.push(
                    Change::new(part, Kind::StatedTotalScopeChanged, rule)
                        .old(scope_old[i].clone())
                        .new_text(scope_new[j].clone()),
                );
            }
            if o.section != t.section {
                let shown = |s: &Option<String>| {
                    s.as_deref()
                        .map(section_text)
                        .unwrap_or_else(|| "(aucune)".into())
                };
                out.push(
                    Change::new(part, Kind::SectionChanged, rule)
                        .old(shown(&o.section))
                        .new_text(shown(&t.section)),
                );
            }
        }
        for (i, t) in old.iter().enumerate() {
            if forward[i].is_none() {
                out.push(
                    Change::new(part, Kind::StatedTotalRemoved, Some(&t.label))
                        .old(total(t))
                        .note(scope_old[i].clone()),
                );
            }
        }
    }

    // -------------------------------------------------------------- inputs and lists

    fn inputs(&self, out: &mut Vec<Change>) {
        let part = Part::Inputs;
        let describe = |rb: &CompiledRulebook, slot: Slot| {
            let input = &rb.inputs[slot];
            format!(
                "{}, {}, si manquante : {}",
                input_type(&input.ty),
                source(input.source),
                missing(rb, slot)
            )
        };
        for (slot, n) in self.new.inputs.iter().enumerate().skip(1) {
            let rule = Some(n.name.as_str());
            let Some(old_slot) = self.old.input_slot(&n.name).filter(|s| *s != PROFESSION) else {
                out.push(
                    Change::new(part, Kind::InputAdded, rule)
                        .new_text(describe(self.new, slot))
                        .note(&n.label),
                );
                continue;
            };
            let o = &self.old.inputs[old_slot];
            if o.label != n.label {
                out.push(
                    Change::new(part, Kind::InputLabelChanged, rule)
                        .old(&o.label)
                        .new_text(&n.label),
                );
            }
            if o.ty != n.ty {
                out.push(
                    Change::new(part, Kind::InputTypeChanged, rule)
                        .old(input_type(&o.ty))
                        .new_text(input_type(&n.ty)),
                );
            }
            if o.source != n.source {
                out.push(
                    Change::new(part, Kind::InputSourceChanged, rule)
                        .old(source(o.source))
                        .new_text(source(n.source)),
                );
            }
            if o.unit != n.unit {
                let shown = |u: &Option<String>| u.clone().unwrap_or_else(|| "(aucune)".into());
                out.push(
                    Change::new(part, Kind::InputUnitChanged, rule)
                        .old(shown(&o.unit))
                        .new_text(shown(&n.unit)),
                );
            }
            let (a, b) = (missing(self.old, old_slot), missing(self.new, slot));
            if a != b {
                out.push(
                    Change::new(part, Kind::InputMissingChanged, rule)
                        .old(a)
                        .new_text(b),
                );
            }
        }
        for (slot, o) in self.old.inputs.iter().enumerate().skip(1) {
            if self.new.input_slot(&o.name).is_none_or(|s| s == PROFESSION) {
                out.push(
                    Change::new(part, Kind::InputRemoved, Some(&o.name))
                        .old(describe(self.old, slot))
                        .note(&o.label),
                );
            }
        }
    }

    fn lists(&self, out: &mut Vec<Change>) {
        let part = Part::Lists;
        let members = |rb: &CompiledRulebook, l: &crate::model::ListDef| -> Vec<String> {
            l.members
                .iter()
                .map(|m| rb.choice_name(l.input, *m).to_string())
                .collect()
        };
        let describe = |rb: &CompiledRulebook, l: &crate::model::ListDef| {
            format!(
                "{} de {} : {}",
                l.label,
                rb.inputs[l.input].name,
                members(rb, l).join(", ")
            )
        };
        for n in &self.new.lists {
            let rule = Some(n.name.as_str());
            let Some(o) = self.old.lists.iter().find(|o| o.name == n.name) else {
                out.push(Change::new(part, Kind::ListAdded, rule).new_text(describe(self.new, n)));
                continue;
            };
            if o.label != n.label {
                out.push(
                    Change::new(part, Kind::LabelChanged, rule)
                        .old(&o.label)
                        .new_text(&n.label),
                );
            }
            if o.section != n.section {
                let shown = |s: &Option<String>| {
                    s.as_deref()
                        .map(section_text)
                        .unwrap_or_else(|| "(aucune)".into())
                };
                out.push(
                    Change::new(part, Kind::SectionChanged, rule)
                        .old(shown(&o.section))
                        .new_text(shown(&n.section)),
                );
            }
            let (a, b) = (members(self.old, o), members(self.new, n));
            let input_changed = self.old.inputs[o.input].name != self.new.inputs[n.input].name;
            let added: Vec<&str> = b
                .iter()
                .filter(|m| !a.contains(m))
                .map(String::as_str)
                .collect();
            let removed: Vec<&str> = a
                .iter()
                .filter(|m| !b.contains(m))
                .map(String::as_str)
                .collect();
            if input_changed || !added.is_empty() || !removed.is_empty() {
                let mut change = Change::new(part, Kind::ListChanged, rule)
                    .old(describe(self.old, o))
                    .new_text(describe(self.new, n));
                if !added.is_empty() {
                    change = change.note(format!("ajoutées : {}", added.join(", ")));
                }
                if !removed.is_empty() {
                    change = change.note(format!("retirées : {}", removed.join(", ")));
                }
                out.push(change);
            }
        }
        for o in &self.old.lists {
            if !self.new.lists.iter().any(|n| n.name == o.name) {
                out.push(
                    Change::new(part, Kind::ListRemoved, Some(&o.name)).old(describe(self.old, o)),
                );
            }
        }
    }

    // -------------------------------------------------------------- comparing conditions

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

/// A rate found in a condition, by the names of its counts.
struct RateKey {
    numerator: String,
    denominator: String,
    op: crate::model::Comparator,
    threshold: crate::eval::ratio::Ratio,
    /// As `french::condition` shows it: `70 %`, `2/3`.
    text: String,
}

fn rates(rb: &CompiledRulebook, e: &Expr) -> Vec<RateKey> {
    let mut found = Vec::new();
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
                text: threshold_text.replace(' ', "").replace('%', " %"),
            }),
            Expr::Not(x) => walk(rb, x, found),
            Expr::All(xs) | Expr::Any(xs) => xs.iter().for_each(|x| walk(rb, x, found)),
            _ => {}
        }
    }
    walk(rb, e, &mut found);
    found
}

// ------------------------------------------------------------------ words

/// `§1.4`, or `« Les 5 indicateurs prérequis »` for a heading.
fn section_text(section: &str) -> String {
    let shown = french::section(section);
    if shown.starts_with('§') {
        shown
    } else {
        format!("« {shown} »")
    }
}

fn source(s: Source) -> &'static str {
    match s {
        Source::Automated => "automatisé",
        Source::Declarative => "déclaratif",
        Source::DeclarativePrefilled => "déclaratif pré-rempli",
    }
}

fn group_kind(k: GroupKind) -> &'static str {
    match k {
        GroupKind::AllOf => "tous requis (all-of)",
        GroupKind::EachOf => "chacun pour soi (each-of)",
    }
}

fn input_type(ty: &InputType) -> String {
    match ty {
        InputType::YesNo => "oui/non".into(),
        InputType::Count => "nombre entier".into(),
        InputType::Decimal => "nombre décimal".into(),
        InputType::Date => "date".into(),
        InputType::Text => "texte".into(),
        InputType::Choice(choices) => format!(
            "un parmi ({})",
            choices
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// What a missing value does: `rejette la déclaration`, `vaut non`.
fn missing(rb: &CompiledRulebook, slot: Slot) -> String {
    match &rb.inputs[slot].missing {
        MissingRule::Error => "rejette la déclaration".into(),
        MissingRule::Default(v) => format!("vaut {}", french::value(rb, slot, v)),
    }
}

/// `100,00 €`, `22,5 points`, `1,00 € par dmp_ouverts`.
fn amount(rb: &CompiledRulebook, v: &AmountVariantDef) -> String {
    let base = match v.unit {
        AmountUnit::Euros => french::euros(v.amount),
        AmountUnit::Points => french::points(v.amount),
    };
    match v.per {
        Some(slot) => format!("{base} par {}", rb.inputs[slot].name),
        None => base,
    }
}

/// Every variant: `1 120,00 € si ... ; 400,00 € si ... ; 100,00 € sinon`.
fn amounts(rb: &CompiledRulebook, p: &PaymentDef) -> String {
    if let [single] = p.variants.as_slice() {
        if single.when.is_none() {
            return amount(rb, single);
        }
    }
    p.variants
        .iter()
        .map(|v| match &v.when {
            Some(w) => format!("{} si {}", amount(rb, v), french::condition(rb, &w.expr)),
            None => format!("{} sinon", amount(rb, v)),
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// `de socle, coordination, pour profession != infirmier`, `de tous les paiements`.
fn total_scope(scope: Option<Vec<String>>, profile: &Option<String>) -> String {
    let of = match scope {
        None => "de tous les paiements".to_string(),
        Some(names) => format!("de {}", names.join(", ")),
    };
    match profile {
        Some(p) => format!("{of}, pour `{p}`"),
        None => of,
    }
}

/// The rules some payment waits on (`requires`), in order: what "indépendant" is
/// independent of.
fn prerequisites(rb: &CompiledRulebook) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let requires = rb
        .indicators
        .iter()
        .map(|i| i.requires)
        .chain(rb.groups.iter().map(|g| g.requires));
    for t in requires.flatten() {
        let name = rb.target_name(t).to_string();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// How a rule is paid: `300,00 €, indépendant de « socle »`, `100,00 €, payé seulement si
/// « socle » est atteint`.
fn paid_how(rb: &CompiledRulebook, owner: Target) -> Option<String> {
    let (payment, gates, independent) = match owner {
        Target::Indicator(i) => {
            let ind = &rb.indicators[i];
            (ind.payment, &ind.gates, ind.independent)
        }
        Target::Group(g) => {
            let group = &rb.groups[g];
            (group.payment, &group.gates, group.independent)
        }
    };
    let p = payment.and_then(|p| rb.payments.get(p))?;
    let gating = if gates.is_empty() {
        let before: Vec<String> = prerequisites(rb)
            .into_iter()
            .filter(|n| n != rb.target_name(owner))
            .collect();
        match (independent, before.is_empty()) {
            (_, true) => "indépendant".to_string(),
            _ => format!(
                "indépendant de {}",
                before
                    .iter()
                    .map(|n| format!("« {n} »"))
                    .collect::<Vec<_>>()
                    .join(" et ")
            ),
        }
    } else {
        format!(
            "payé seulement si {} atteint",
            gates
                .iter()
                .map(|g| format!("« {} »", rb.target_name(*g)))
                .collect::<Vec<_>>()
                .join(" et ")
                + if gates.len() > 1 { " sont" } else { " est" }
        )
    };
    Some(format!("{}, {gating}", amounts(rb, p)))
}

/// An indicator in a few words (the headline) and the facts a reviewer checks (notes).
fn indicator_summary(rb: &CompiledRulebook, i: usize) -> (String, Vec<String>) {
    let ind = &rb.indicators[i];
    let group = ind.group.map(|g| rb.groups[g].name.as_str());
    let headline = match (paid_how(rb, Target::Indicator(i)), group) {
        (Some(paid), _) => paid,
        (None, Some(g)) => format!("membre de « {g} », sans montant propre"),
        (None, None) => "sans montant".to_string(),
    };
    let mut notes = vec![
        format!("{} : {}", section_text(&ind.section), ind.label),
        format!("type : {}", source(ind.source)),
    ];
    if let Some(a) = &ind.applies {
        notes.push(format!("s'applique si {}", french::condition(rb, &a.expr)));
    }
    notes.push(format!(
        "atteint si {}",
        french::condition(rb, &ind.met.expr)
    ));
    for n in &ind.neutralisations {
        notes.push(match &n.when {
            None => format!("neutralisé pour tous : « {} »", n.words),
            Some(c) => format!(
                "neutralisé si {} : « {} »",
                french::condition(rb, &c.expr),
                n.words
            ),
        });
    }
    if let (Some(g), true) = (group, ind.payment.is_some()) {
        notes.push(format!("membre de « {g} »"));
    }
    (headline, notes)
}

fn group_summary(rb: &CompiledRulebook, g: usize) -> (String, Vec<String>) {
    let group = &rb.groups[g];
    let members: Vec<&str> = group.members.iter().map(|m| rb.target_name(*m)).collect();
    let mut headline = format!("{} : {}", group_kind(group.kind), members.join(", "));
    if let Some(paid) = paid_how(rb, Target::Group(g)) {
        headline.push_str(&format!(" ; {paid}"));
    }
    let mut notes = vec![match &group.section {
        Some(s) => format!("{} : {}", section_text(s), group.label),
        None => group.label.clone(),
    }];
    if let Some(parent) = group.group {
        notes.push(format!("membre de « {} »", rb.groups[parent].name));
    }
    (headline, notes)
}

// ------------------------------------------------------------------ impact

/// A declaration file to run both rulebooks over.
#[derive(Clone, Copy, Debug)]
pub struct ImpactFile<'a> {
    /// The file's name as the user gave it (its extension chooses JSON or CSV).
    pub name: &'a str,
    pub text: &'a str,
}

/// What one rulebook made of one declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SideResult {
    Paid(Decimal),
    /// The rulebook does not cover the declaration's profession.
    NotCovered,
    /// The declaration lacks something the rulebook needs, or has a value it refuses.
    Rejected(String),
}

impl SideResult {
    pub fn paid(&self) -> Option<Decimal> {
        match self {
            SideResult::Paid(d) => Some(*d),
            _ => None,
        }
    }
}

/// One declaration under both rulebooks.
#[derive(Clone, Debug)]
pub struct DeclarationImpact {
    pub file: String,
    /// Its id (or `#N`, its position in the file, when neither side could read one).
    pub id: String,
    pub profession: Option<String>,
    pub old: SideResult,
    pub new: SideResult,
}

impl DeclarationImpact {
    /// New minus old, when both rulebooks evaluated it.
    pub fn difference(&self) -> Option<Decimal> {
        Some(self.new.paid()? - self.old.paid()?)
    }
}

/// Why a payment line pays another amount for a set of declarations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The line exists only in the new rulebook (a rule added, or a rule that now pays).
    OnlyNew,
    /// The line exists only in the old rulebook.
    OnlyOld,
    /// Paid on both sides, another amount; `changes` are the rule changes of its amounts.
    Amount {
        old: Decimal,
        new: Decimal,
        changes: Vec<usize>,
    },
    /// Paid on one side only: `target` (the owner, or the gate that did not pass) is met on
    /// one side and not on the other, because of the `leaves` below it that changed.
    Status {
        target: String,
        old: Option<Status>,
        new: Option<Status>,
        /// The indicators (or members) under `target` whose status changed and matters.
        leaves: Vec<Leaf>,
        /// Gating changes of the line's owner or of a group around it.
        changes: Vec<usize>,
    },
}

/// A rule whose status differs between the two rulebooks, with the changes that explain it
/// (indices in the changelog). `None` is a rule that is not there (or not in the group).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leaf {
    pub rule: String,
    pub old: Option<Status>,
    pub new: Option<Status>,
    pub changes: Vec<usize>,
}

/// The declarations one cause moved on one line.
#[derive(Clone, Debug)]
pub struct CauseImpact {
    pub cause: Cause,
    pub difference: Decimal,
    pub declarations: usize,
    /// The first few ids, for a reviewer to look at.
    pub examples: Vec<String>,
}

/// One payment line (matched by its owner's name) over every declaration both rulebooks
/// evaluated.
#[derive(Clone, Debug)]
pub struct LineImpact {
    /// The owner's name in the new rulebook, or in the old one when it is gone.
    pub line: String,
    pub old_name: Option<String>,
    pub new_name: Option<String>,
    pub difference: Decimal,
    /// Declarations whose amount on this line changed.
    pub declarations: usize,
    /// Biggest first.
    pub causes: Vec<CauseImpact>,
}

#[derive(Clone, Debug)]
pub struct Impact {
    pub files: Vec<String>,
    /// Every record read, in file order.
    pub declarations: Vec<DeclarationImpact>,
    /// Lines that moved, biggest first.
    pub lines: Vec<LineImpact>,
}

/// Counts and totals over some declarations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub declarations: usize,
    pub gain: usize,
    pub gain_euros: Decimal,
    pub lose: usize,
    /// Negative (or zero).
    pub lose_euros: Decimal,
    pub unchanged: usize,
    pub rejected_old_only: usize,
    pub rejected_new_only: usize,
    pub rejected_both: usize,
    /// Of the rejected, those a rulebook refused because it does not cover their profession.
    pub not_covered: usize,
    /// Paid by each side to the declarations both evaluated.
    pub old_total: Decimal,
    pub new_total: Decimal,
    /// Paid by one side to declarations the other rejected.
    pub old_only_total: Decimal,
    pub new_only_total: Decimal,
}

impl Summary {
    pub fn rejected(&self) -> usize {
        self.rejected_old_only + self.rejected_new_only + self.rejected_both
    }

    pub fn difference(&self) -> Decimal {
        self.new_total - self.old_total
    }

    fn add(&mut self, d: &DeclarationImpact) {
        self.declarations += 1;
        if d.old == SideResult::NotCovered || d.new == SideResult::NotCovered {
            self.not_covered += 1;
        }
        match (d.old.paid(), d.new.paid()) {
            (Some(o), Some(n)) => {
                self.old_total += o;
                self.new_total += n;
                if n > o {
                    self.gain += 1;
                    self.gain_euros += n - o;
                } else if n < o {
                    self.lose += 1;
                    self.lose_euros += n - o;
                } else {
                    self.unchanged += 1;
                }
            }
            (Some(o), None) => {
                self.rejected_new_only += 1;
                self.old_only_total += o;
            }
            (None, Some(n)) => {
                self.rejected_old_only += 1;
                self.new_only_total += n;
            }
            (None, None) => self.rejected_both += 1,
        }
    }
}

impl Impact {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        self.declarations.iter().for_each(|d| s.add(d));
        s
    }

    /// The summary per profession, in the order professions first appear (`None`: a
    /// declaration neither rulebook could read a profession from).
    pub fn professions(&self) -> Vec<(Option<String>, Summary)> {
        let mut out: Vec<(Option<String>, Summary)> = Vec::new();
        for d in &self.declarations {
            match out.iter_mut().find(|(p, _)| *p == d.profession) {
                Some((_, s)) => s.add(d),
                None => {
                    let mut s = Summary::default();
                    s.add(d);
                    out.push((d.profession.clone(), s));
                }
            }
        }
        out
    }

    /// The `n` biggest gains, biggest first (ties in file order).
    pub fn biggest_gains(&self, n: usize) -> Vec<&DeclarationImpact> {
        self.biggest(n, true)
    }

    /// The `n` biggest losses, biggest first (ties in file order).
    pub fn biggest_losses(&self, n: usize) -> Vec<&DeclarationImpact> {
        self.biggest(n, false)
    }

    fn biggest(&self, n: usize, gains: bool) -> Vec<&DeclarationImpact> {
        let mut moved: Vec<(&DeclarationImpact, Decimal)> = self
            .declarations
            .iter()
            .filter_map(|d| d.difference().map(|x| (d, x)))
            .filter(|(_, x)| {
                if gains {
                    *x > Decimal::ZERO
                } else {
                    *x < Decimal::ZERO
                }
            })
            .collect();
        moved.sort_by(|a, b| if gains { b.1.cmp(&a.1) } else { a.1.cmp(&b.1) });
        moved.into_iter().take(n).map(|(d, _)| d).collect()
    }

    /// Declarations one side (or both) did not evaluate.
    pub fn rejected(&self) -> Vec<&DeclarationImpact> {
        self.declarations
            .iter()
            .filter(|d| d.old.paid().is_none() || d.new.paid().is_none())
            .collect()
    }
}

/// How many ids each cause keeps as examples.
const EXAMPLES: usize = 5;

/// A payment line present in either rulebook, by owner.
struct Line {
    old: Option<(usize, Target)>,
    new: Option<(usize, Target)>,
}

/// Runs both rulebooks over the same declarations (read leniently: a field one rulebook
/// does not know is skipped, so that one file serves two years) and attributes every
/// difference to the payment lines that moved and the rule changes that moved them.
/// `changes` is what [`changes`] returned for the same two rulebooks.
pub fn impact(
    old: &CompiledRulebook,
    new: &CompiledRulebook,
    changes: &[Change],
    files: &[ImpactFile<'_>],
) -> Impact {
    let cx = Ctx::new(old, new);
    let lines = cx.lines();
    let mut impacts: Vec<LineImpact> = lines
        .iter()
        .map(|l| {
            let old_name = l.old.map(|(_, t)| old.target_name(t).to_string());
            let new_name = l.new.map(|(_, t)| new.target_name(t).to_string());
            LineImpact {
                line: new_name
                    .clone()
                    .or_else(|| old_name.clone())
                    .unwrap_or_default(),
                old_name,
                new_name,
                difference: Decimal::ZERO,
                declarations: 0,
                causes: Vec::new(),
            }
        })
        .collect();
    let options = ReadOptions {
        ignore_unknown_fields: true,
        ..ReadOptions::default()
    };
    let mut declarations = Vec::new();
    for file in files {
        let format = InputFormat::from_path(file.name);
        let old_records = declaration::read_str(old, file.name, file.text, format, options);
        let new_records = declaration::read_str(new, file.name, file.text, format, options);
        let count = old_records.len().max(new_records.len());
        let mut old_records = old_records.into_iter();
        let mut new_records = new_records.into_iter();
        for n in 0..count {
            let a = run(old, old_records.next());
            let b = run(new, new_records.next());
            if let (Some(x), Some(y)) = (&a.outcome, &b.outcome) {
                cx.attribute(&lines, &mut impacts, x, y, changes);
            }
            declarations.push(DeclarationImpact {
                file: file.name.to_string(),
                id: b.id.or(a.id).unwrap_or_else(|| format!("#{}", n + 1)),
                profession: b.profession.or(a.profession),
                old: a.result,
                new: b.result,
            });
        }
    }
    let mut impacts: Vec<LineImpact> = impacts.into_iter().filter(|l| l.declarations > 0).collect();
    for l in &mut impacts {
        l.causes.sort_by(|a, b| {
            b.difference
                .abs()
                .cmp(&a.difference.abs())
                .then(b.declarations.cmp(&a.declarations))
        });
    }
    let gross = |l: &LineImpact| -> Decimal { l.causes.iter().map(|c| c.difference.abs()).sum() };
    impacts.sort_by(|a, b| {
        gross(b)
            .cmp(&gross(a))
            .then(b.declarations.cmp(&a.declarations))
            .then(a.line.cmp(&b.line))
    });
    Impact {
        files: files.iter().map(|f| f.name.to_string()).collect(),
        declarations,
        lines: impacts,
    }
}

/// One rulebook's reading and evaluation of one record.
struct Evaluation {
    outcome: Option<Outcome>,
    result: SideResult,
    id: Option<String>,
    profession: Option<String>,
}

fn run(rb: &CompiledRulebook, record: Option<Record>) -> Evaluation {
    match record {
        None => Evaluation {
            outcome: None,
            result: SideResult::Rejected("enregistrement non lu".into()),
            id: None,
            profession: None,
        },
        Some(Record::Rejected(r)) => {
            let not_covered = r
                .problems
                .iter()
                .any(|p| p.code == "forfait::decl::profession_not_covered");
            let result = if not_covered {
                SideResult::NotCovered
            } else {
                SideResult::Rejected(
                    r.problems
                        .iter()
                        .map(|p| match &p.field {
                            Some(f) => format!("{f} : {}", p.message),
                            None => p.message.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join(" ; "),
                )
            };
            Evaluation {
                outcome: None,
                result,
                id: r.id,
                profession: None,
            }
        }
        Some(Record::Declaration(declaration, _)) => {
            let profession = match declaration.values.get(PROFESSION) {
                Some(Value::Choice(c)) => Some(rb.choice_name(PROFESSION, *c).to_string()),
                _ => None,
            };
            let options = EvalOptions {
                trace: false,
                what_if: false,
            };
            let (outcome, result) = match evaluate(rb, &declaration, options) {
                Ok(outcome) => {
                    let paid = SideResult::Paid(outcome.total_euros);
                    (Some(outcome), paid)
                }
                Err(missing) => (
                    None,
                    SideResult::Rejected(format!(
                        "manque : {}",
                        missing
                            .needed
                            .iter()
                            .map(|(slot, _)| rb.inputs[*slot].name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                ),
            };
            Evaluation {
                outcome,
                result,
                id: Some(declaration.id),
                profession,
            }
        }
    }
}

fn status(outcome: &Outcome, t: Target) -> Status {
    match t {
        Target::Indicator(i) => outcome.indicators[i].status,
        Target::Group(g) => outcome.groups[g].status,
    }
}

/// Whether a member's change of status can explain its group's: in an `all-of` group, a
/// member that became (or stopped being) not met; in an `each-of` group, one that became
/// (or stopped being) met. A member that only moved between met and skipped (neutralised,
/// not applicable, not a member) changed nothing.
fn matters(kind: GroupKind, old: Option<Status>, new: Option<Status>) -> bool {
    let decisive = match kind {
        GroupKind::AllOf => Status::NotMet,
        GroupKind::EachOf => Status::Met,
    };
    (old == Some(decisive)) != (new == Some(decisive))
}

/// The rule a payment line waits on when it does not pay: its owner, or the gate that did
/// not pass.
fn blocker(owner: Target, status: &PaymentStatus) -> Target {
    match status {
        PaymentStatus::GateNotMet(chain) => chain.last().copied().unwrap_or(owner),
        _ => owner,
    }
}

/// How deep `leaves` follows groups inside groups (check refuses cycles; this only bounds).
const MAX_DEPTH: usize = 32;

impl Ctx<'_> {
    fn payment_of(rb: &CompiledRulebook, t: Target) -> Option<usize> {
        match t {
            Target::Indicator(i) => rb.indicators[i].payment,
            Target::Group(g) => rb.groups[g].payment,
        }
    }

    /// Every payment line of either rulebook, matched by owner.
    fn lines(&self) -> Vec<Line> {
        let mut lines = Vec::new();
        for (q, payment) in self.new.payments.iter().enumerate() {
            let old = self
                .to_old(payment.owner)
                .and_then(|t| Self::payment_of(self.old, t).map(|p| (p, t)));
            lines.push(Line {
                old,
                new: Some((q, payment.owner)),
            });
        }
        for (p, payment) in self.old.payments.iter().enumerate() {
            let paired = self
                .to_new(payment.owner)
                .and_then(|t| Self::payment_of(self.new, t))
                .is_some();
            if !paired {
                lines.push(Line {
                    old: Some((p, payment.owner)),
                    new: None,
                });
            }
        }
        lines
    }

    /// Adds one declaration's line differences to the lines' impacts.
    fn attribute(
        &self,
        lines: &[Line],
        impacts: &mut [LineImpact],
        a: &Outcome,
        b: &Outcome,
        changes: &[Change],
    ) {
        for (line, li) in lines.iter().zip(impacts.iter_mut()) {
            let euros = |side: Option<(usize, Target)>, outcome: &Outcome| {
                side.and_then(|(p, _)| outcome.payments.get(p))
                    .map(|l| l.euros)
                    .unwrap_or(Decimal::ZERO)
            };
            let (x, y) = (euros(line.old, a), euros(line.new, b));
            if x == y {
                continue;
            }
            let cause = self.cause(line, a, b, changes);
            li.difference += y - x;
            li.declarations += 1;
            let id = b.declaration_id.clone();
            match li.causes.iter_mut().find(|c| c.cause == cause) {
                Some(c) => {
                    c.difference += y - x;
                    c.declarations += 1;
                    if c.examples.len() < EXAMPLES {
                        c.examples.push(id);
                    }
                }
                None => li.causes.push(CauseImpact {
                    cause,
                    difference: y - x,
                    declarations: 1,
                    examples: vec![id],
                }),
            }
        }
    }

    fn cause(&self, line: &Line, a: &Outcome, b: &Outcome, changes: &[Change]) -> Cause {
        let (Some((p, old_owner)), Some((q, new_owner))) = (line.old, line.new) else {
            return if line.old.is_none() {
                Cause::OnlyNew
            } else {
                Cause::OnlyOld
            };
        };
        let (x, y) = (&a.payments[p], &b.payments[q]);
        let owner = self.new.target_name(new_owner);
        if x.status == PaymentStatus::Paid && y.status == PaymentStatus::Paid {
            let wanted = [Kind::AmountChanged, Kind::PerChanged, Kind::VariantsChanged];
            let found = changes
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    (c.part == Part::Payments
                        && wanted.contains(&c.kind)
                        && c.rule.as_deref() == Some(owner))
                        || c.kind == Kind::PointValueChanged
                })
                .map(|(k, _)| k)
                .collect();
            return Cause::Amount {
                old: x.euros,
                new: y.euros,
                changes: found,
            };
        }
        // The side that does not pay says why.
        let (old_t, new_t) = if y.status != PaymentStatus::Paid {
            let t = blocker(new_owner, &y.status);
            (self.to_old(t), Some(t))
        } else {
            let t = blocker(old_owner, &x.status);
            (Some(t), self.to_new(t))
        };
        let so = old_t.map(|t| status(a, t));
        let sn = new_t.map(|t| status(b, t));
        let mut leaves = Vec::new();
        if so != sn {
            self.leaves(old_t, new_t, a, b, changes, &mut leaves, 0);
        }
        let target = match (new_t, old_t) {
            (Some(t), _) => self.new.target_name(t).to_string(),
            (None, Some(t)) => self.old.target_name(t).to_string(),
            (None, None) => owner.to_string(),
        };
        Cause::Status {
            target,
            old: so,
            new: sn,
            leaves,
            changes: self.gating_changes(old_owner, new_owner, changes),
        }
    }

    /// The rules under `old_t`/`new_t` (the same rule on each side) whose status changed
    /// and matters: for a group, its members that changed from met to not met (or skipped),
    /// followed down; for an indicator, itself.
    #[allow(clippy::too_many_arguments)]
    fn leaves(
        &self,
        old_t: Option<Target>,
        new_t: Option<Target>,
        a: &Outcome,
        b: &Outcome,
        changes: &[Change],
        out: &mut Vec<Leaf>,
        depth: usize,
    ) {
        let so = old_t.map(|t| status(a, t));
        let sn = new_t.map(|t| status(b, t));
        if let (Some(Target::Group(go)), Some(Target::Group(gn)), true) =
            (old_t, new_t, depth < MAX_DEPTH)
        {
            let (og, ng) = (&self.old.groups[go], &self.new.groups[gn]);
            let before = out.len();
            let mut members: Vec<(Option<Target>, Option<Target>)> = ng
                .members
                .iter()
                .map(|m| (self.to_old(*m).filter(|o| og.members.contains(o)), Some(*m)))
                .collect();
            members.extend(
                og.members
                    .iter()
                    .filter(|m| !self.to_new(**m).is_some_and(|n| ng.members.contains(&n)))
                    .map(|m| (Some(*m), None)),
            );
            for (om, nm) in members {
                let ms = (om.map(|t| status(a, t)), nm.map(|t| status(b, t)));
                if matters(ng.kind, ms.0, ms.1) {
                    let first = out.len();
                    self.leaves(om, nm, a, b, changes, out, depth + 1);
                    if om.is_none() || nm.is_none() {
                        let members_changed = changes.iter().position(|c| {
                            c.kind == Kind::MembersChanged && c.rule.as_deref() == Some(&ng.name)
                        });
                        for leaf in &mut out[first..] {
                            if let Some(k) = members_changed.filter(|k| !leaf.changes.contains(k)) {
                                leaf.changes.push(k);
                            }
                        }
                    }
                }
            }
            if out.len() > before {
                return;
            }
        }
        if so != sn {
            out.push(Leaf {
                rule: match (new_t, old_t) {
                    (Some(t), _) => self.new.target_name(t).to_string(),
                    (None, Some(t)) => self.old.target_name(t).to_string(),
                    (None, None) => String::new(),
                },
                old: so,
                new: sn,
                changes: self.status_changes(old_t, new_t, changes),
            });
        }
    }

    /// The changes that can change a rule's status: its conditions, neutralisations,
    /// members, its being added or removed, and the inputs it reads.
    fn status_changes(
        &self,
        old_t: Option<Target>,
        new_t: Option<Target>,
        changes: &[Change],
    ) -> Vec<usize> {
        let mut names: Vec<&str> = Vec::new();
        let mut inputs: Vec<String> = Vec::new();
        for (rb, t) in [(self.old, old_t), (self.new, new_t)] {
            let Some(t) = t else { continue };
            names.push(rb.target_name(t));
            if let Target::Indicator(i) = t {
                let ind = &rb.indicators[i];
                let mut slots = Vec::new();
                if let Some(c) = &ind.applies {
                    c.expr.reads(&mut slots);
                }
                ind.met.expr.reads(&mut slots);
                for n in &ind.neutralisations {
                    if let Some(c) = &n.when {
                        c.expr.reads(&mut slots);
                    }
                }
                for s in slots {
                    let name = rb.inputs[s].name.clone();
                    if !inputs.contains(&name) {
                        inputs.push(name);
                    }
                }
            }
        }
        let rule_kinds = [
            Kind::IndicatorAdded,
            Kind::IndicatorRemoved,
            Kind::ApplicabilityChanged,
            Kind::ConditionChanged,
            Kind::ThresholdChanged,
            Kind::NeutralisationAdded,
            Kind::NeutralisationLifted,
            Kind::NeutralisationChanged,
            Kind::GroupAdded,
            Kind::GroupRemoved,
            Kind::GroupKindChanged,
            Kind::MembersChanged,
        ];
        let input_kinds = [
            Kind::InputAdded,
            Kind::InputRemoved,
            Kind::InputTypeChanged,
            Kind::InputMissingChanged,
        ];
        changes
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                let rule = c.rule.as_deref().unwrap_or("");
                (rule_kinds.contains(&c.kind) && c.part != Part::Inputs && names.contains(&rule))
                    || (input_kinds.contains(&c.kind) && inputs.iter().any(|i| i == rule))
            })
            .map(|(k, _)| k)
            .collect()
    }

    /// `requires`/`independent` changes of a line's owner or of a group around it.
    fn gating_changes(
        &self,
        old_owner: Target,
        new_owner: Target,
        changes: &[Change],
    ) -> Vec<usize> {
        let mut names: Vec<String> = Vec::new();
        let mut around =
            |rb: &CompiledRulebook, owner: Target, rename: &dyn Fn(Target) -> String| {
                names.push(rename(owner));
                let mut group = match owner {
                    Target::Indicator(i) => rb.indicators[i].group,
                    Target::Group(g) => rb.groups[g].group,
                };
                let mut depth = 0;
                while let (Some(g), true) = (group, depth < MAX_DEPTH) {
                    names.push(rename(Target::Group(g)));
                    group = rb.groups[g].group;
                    depth += 1;
                }
            };
        around(self.old, old_owner, &|t| self.old_name_now(t));
        around(self.new, new_owner, &|t| {
            self.new.target_name(t).to_string()
        });
        changes
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.kind == Kind::GatingChanged && c.rule.as_ref().is_some_and(|r| names.contains(r))
            })
            .map(|(k, _)| k)
            .collect()
    }
}

// ------------------------------------------------------------------ the whole diff

/// The changes, and the impact when declarations were given.
#[derive(Clone, Debug)]
pub struct Diff {
    pub changes: Vec<Change>,
    pub impact: Option<Impact>,
}

impl Diff {
    /// True when the rules say the same (quotes, evidence, comments and layout aside).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Everything `forfait diff` computes: the changes from `old` to `new`, and their impact on
/// the declarations of `files` (none: no impact).
pub fn diff(old: &CompiledRulebook, new: &CompiledRulebook, files: &[ImpactFile<'_>]) -> Diff {
    let changes = changes(old, new);
    let impact = (!files.is_empty()).then(|| impact(old, new, &changes, files));
    Diff { changes, impact }
}

/// `REV:PATH` names a file as git has it at a revision (`main:rulebooks/x.forfait`,
/// `HEAD~1:x.forfait`); an argument is read that way only when it has a `:` and no file has
/// that name (`exists` tells). Returns the revision and the path.
pub fn git_revision(arg: &str, exists: impl Fn(&str) -> bool) -> Option<(&str, &str)> {
    if exists(arg) {
        return None;
    }
    arg.split_once(':').filter(|(_, path)| !path.is_empty())
}
