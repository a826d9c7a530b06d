//! The semantic diff of two rulebooks (two years of one scheme, or two versions of one
//! file): what changed in the rules, in the guides' terms, not in the text; and, over a set
//! of declarations, what it changes in the amounts paid and which rule change moved each
//! amount. No I/O: the command line reads the files, `output::diff` renders.
//!
//! Indicators and groups are matched by name; a removed and an added one with the same
//! label (and section) is a rename, and everything that names it (gates, group members,
//! payment lines) follows the rename. Conditions are compared by structure, by input
//! names, so a diff never reports what is only layout or a comment.
//!
//! This file holds the public change types and the entry points; the comparisons live by
//! concern:
//!
//! - `pairing`: the two rulebooks' indicators and groups matched by name, then renames;
//! - `header`, `rules`, `payments`, `inputs`: the changelog, part by part (header and
//!   professions; indicators, groups and their gating; payments and stated totals;
//!   declaration inputs and lists);
//! - `conditions`: conditions compared by structure, thresholds on their own line;
//! - `words`: the rulebook's parts in the changelog's French words;
//! - `impact`, `causes`: both rulebooks run over declarations, and every difference
//!   attributed to the rule changes that moved it.

mod causes;
mod conditions;
mod header;
mod impact;
mod inputs;
mod only;
mod pairing;
mod payments;
mod rules;
mod thresholds;
mod words;

use crate::model::CompiledRulebook;
use pairing::Ctx;

pub use impact::{
    impact, Cause, CauseImpact, DeclarationImpact, Impact, ImpactFile, Leaf, LineImpact,
    SideResult, Summary,
};
pub use thresholds::{Bound, Level, Measure, Threshold, ThresholdImpact};

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
    /// Of a [`Kind::ThresholdChanged`]: what the threshold measures and its two values, as
    /// data (the impact counts the declarations between them).
    pub threshold: Option<Threshold>,
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
            threshold: None,
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

    fn notes(mut self, notes: impl IntoIterator<Item = String>) -> Change {
        self.notes.extend(notes);
        self
    }

    fn threshold(mut self, threshold: Threshold) -> Change {
        self.threshold = Some(threshold);
        self
    }
}

/// The changes of one rule (or of the header, or of one part) as the comparisons find
/// them: every change it pushes has the same part and rule.
struct RuleChanges<'a> {
    part: Part,
    rule: Option<&'a str>,
    out: &'a mut Vec<Change>,
}

impl<'a> RuleChanges<'a> {
    fn new(part: Part, rule: Option<&'a str>, out: &'a mut Vec<Change>) -> RuleChanges<'a> {
        RuleChanges { part, rule, out }
    }

    /// Adds a change `kind` of this rule, as `fill` completes it.
    fn add(&mut self, kind: Kind, fill: impl FnOnce(Change) -> Change) {
        self.out.push(fill(Change::new(self.part, kind, self.rule)));
    }

    /// `kind`, from `old` to `new` (in words).
    fn replaced(&mut self, kind: Kind, old: impl Into<String>, new: impl Into<String>) {
        self.add(kind, |c| c.old(old).new_text(new));
    }

    /// `kind` when a field differs between the two versions, each worded by `words`.
    fn field<T: PartialEq + ?Sized>(
        &mut self,
        kind: Kind,
        old: &T,
        new: &T,
        words: impl Fn(&T) -> String,
    ) {
        if old != new {
            self.replaced(kind, words(old), words(new));
        }
    }

    /// `kind` when a text field differs, shown as it is.
    fn text(&mut self, kind: Kind, old: &str, new: &str) {
        self.field(kind, old, new, str::to_string);
    }
}

/// The changes from `old` to `new`, in changelog order (see [`Part`]): within a part, in
/// the new rulebook's order (the old one's for removals).
pub fn changes(old: &CompiledRulebook, new: &CompiledRulebook) -> Vec<Change> {
    changes_in(&Ctx::new(old, new))
}

/// The changes that concern `profession` only (see [`crate::profession`]): the rules that
/// can apply to it on either side, the neutralisations, amounts and stated totals that can
/// hold for it, the inputs and lists its rules read; the header always. The caller checks
/// that one side at least covers it ([`crate::profession::known`]).
pub fn changes_for(
    old: &CompiledRulebook,
    new: &CompiledRulebook,
    profession: &str,
) -> Vec<Change> {
    changes_in(&Ctx::for_profession(old, new, profession))
}

fn changes_in(cx: &Ctx<'_>) -> Vec<Change> {
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

// ------------------------------------------------------------------ the whole diff

/// The changes, and the impact when declarations were given.
#[derive(Clone, Debug)]
pub struct Diff {
    pub changes: Vec<Change>,
    pub impact: Option<Impact>,
    /// `--profession`: the changes and the impact are only what concerns it.
    pub profession: Option<String>,
}

impl Diff {
    /// True when the rules say the same (quotes, evidence, comments and layout aside).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The thresholds that moved, with their index in `changes`.
    pub fn thresholds(&self) -> impl Iterator<Item = (usize, &Change, &Threshold)> {
        changed_thresholds(&self.changes)
    }
}

/// The thresholds that moved among `changes` (rates and counts of a `met when`), with
/// their index in `changes`.
pub fn changed_thresholds(
    changes: &[Change],
) -> impl Iterator<Item = (usize, &Change, &Threshold)> {
    changes
        .iter()
        .enumerate()
        .filter_map(|(k, c)| c.threshold.as_ref().map(|t| (k, c, t)))
}

/// Everything `forfait diff` computes: the changes from `old` to `new`, and their impact on
/// the declarations of `files` (none: no impact).
pub fn diff(old: &CompiledRulebook, new: &CompiledRulebook, files: &[ImpactFile<'_>]) -> Diff {
    diff_for(old, new, files, None)
}

/// [`diff`], for one profession only when `profession` is given: the changes that concern
/// it ([`changes_for`]) and the impact on its declarations only.
pub fn diff_for(
    old: &CompiledRulebook,
    new: &CompiledRulebook,
    files: &[ImpactFile<'_>],
    profession: Option<&str>,
) -> Diff {
    let changes = match profession {
        Some(p) => changes_for(old, new, p),
        None => changes(old, new),
    };
    let impact =
        (!files.is_empty()).then(|| impact::impact_for(old, new, &changes, files, profession));
    Diff {
        changes,
        impact,
        profession: profession.map(str::to_string),
    }
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
