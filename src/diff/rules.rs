//! The changelog of the rules themselves: indicators added, removed and modified (labels,
//! sections, type, applicability, conditions, neutralisations), groups (kind, members),
//! and the gating (`requires` / `independent`) of both.

use super::only::Side;
use super::pairing::Ctx;
use super::words::{
    group_kind, group_summary, indicator_summary, moved, optional_section, section_text, when_or,
};
use super::{Change, Kind, Part, RuleChanges};
use crate::french::source;
use crate::model::{CompiledRulebook, NeutralisationDef, RuleHead, Target};

/// `requires X`, `independent` or neither, with X named in the new rulebook's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Gating {
    Requires(String),
    Independent,
    Neither,
}

impl Gating {
    fn words(&self) -> String {
        match self {
            Gating::Requires(name) => format!("requiert « {name} »"),
            Gating::Independent => "indépendant".to_string(),
            Gating::Neither => "sans clause propre (celle de son groupe)".to_string(),
        }
    }
}

impl Ctx<'_> {
    pub(super) fn indicators(&self, out: &mut Vec<Change>) {
        for (j, ind) in self.new.indicators.iter().enumerate() {
            let old = self.indicators.back[j].map(Target::Indicator);
            if !self.concerns_either(old, Some(Target::Indicator(j))) {
                continue;
            }
            match self.indicators.back[j] {
                None => {
                    let (headline, notes) = indicator_summary(self.new, j);
                    out.push(
                        Change::new(
                            Part::IndicatorsAdded,
                            Kind::IndicatorAdded,
                            Some(&ind.head.name),
                        )
                        .new_text(headline)
                        .notes(notes),
                    );
                }
                Some(i) => self.indicator(i, j, out),
            }
        }
        for (i, ind) in self.old.indicators.iter().enumerate() {
            if self.indicators.forward[i].is_none()
                && self.concerns(Side::Old, Target::Indicator(i))
            {
                let (headline, notes) = indicator_summary(self.old, i);
                out.push(
                    Change::new(
                        Part::IndicatorsRemoved,
                        Kind::IndicatorRemoved,
                        Some(&ind.head.name),
                    )
                    .old(headline)
                    .notes(notes),
                );
            }
        }
    }

    fn indicator(&self, i: usize, j: usize, out: &mut Vec<Change>) {
        let (o, n) = (&self.old.indicators[i], &self.new.indicators[j]);
        let mut log = RuleChanges::new(Part::IndicatorsModified, Some(&n.head.name), out);
        log.text(Kind::IndicatorRenamed, &o.head.name, &n.head.name);
        log.text(Kind::LabelChanged, &o.head.label, &n.head.label);
        log.field(Kind::SectionChanged, &o.section, &n.section, |s| {
            section_text(s)
        });
        log.field(Kind::SourceChanged, &o.source, &n.source, |s| {
            source(*s).to_string()
        });
        if !self.same_condition(&o.applies, &n.applies)
            && !self.applicability_same_for_profession(o.applies.as_ref(), n.applies.as_ref())
        {
            log.replaced(
                Kind::ApplicabilityChanged,
                when_or(self.old, &o.applies, "pour tous"),
                when_or(self.new, &n.applies, "pour tous"),
            );
        }
        self.condition(&mut log, &o.met.expr, &n.met.expr);
        self.neutralisations(
            &mut log,
            &self.neutralisations_of(Side::Old, o),
            &self.neutralisations_of(Side::New, n),
        );
        self.gating(&mut log, &o.head, &n.head);
    }

    fn neutralisations(
        &self,
        log: &mut RuleChanges<'_>,
        old: &[&NeutralisationDef],
        new: &[&NeutralisationDef],
    ) {
        let same_when =
            |a: &NeutralisationDef, b: &NeutralisationDef| self.same_condition(&a.when, &b.when);
        let scope =
            |rb: &CompiledRulebook, n: &NeutralisationDef| when_or(rb, &n.when, "pour tous");
        let whole = |rb: &CompiledRulebook, n: &NeutralisationDef| {
            format!("{} : « {} »", scope(rb, n), n.words)
        };
        let mut used = vec![false; old.len()];
        for b in new {
            let by_when = (0..old.len()).find(|&k| !used[k] && same_when(old[k], b));
            let by_words = || (0..old.len()).find(|&k| !used[k] && old[k].words == b.words);
            match by_when.or_else(by_words) {
                Some(k) => {
                    used[k] = true;
                    let a = old[k];
                    if a.words != b.words || !same_when(a, b) {
                        log.replaced(
                            Kind::NeutralisationChanged,
                            whole(self.old, a),
                            whole(self.new, b),
                        );
                    }
                }
                None => {
                    log.add(Kind::NeutralisationAdded, |c| {
                        c.new_text(&b.words).note(scope(self.new, b))
                    });
                }
            }
        }
        for (k, a) in old.iter().enumerate() {
            if !used[k] {
                log.add(Kind::NeutralisationLifted, |c| {
                    c.old(&a.words).note(scope(self.old, a))
                });
            }
        }
    }

    /// A rule's gating on one side; a `requires` is named in the new rulebook's terms.
    fn gating_of(&self, old_side: bool, rule: &RuleHead) -> Gating {
        match (rule.requires, rule.independent) {
            (Some(t), _) if old_side => Gating::Requires(self.old_name_now(t)),
            (Some(t), _) => Gating::Requires(self.new_name(t)),
            (None, true) => Gating::Independent,
            (None, false) => Gating::Neither,
        }
    }

    /// The gating of a rule (`requires`, `independent`) on each side.
    fn gating(&self, log: &mut RuleChanges<'_>, old: &RuleHead, new: &RuleHead) {
        log.field(
            Kind::GatingChanged,
            &self.gating_of(true, old),
            &self.gating_of(false, new),
            Gating::words,
        );
    }

    pub(super) fn groups(&self, out: &mut Vec<Change>) {
        let part = Part::Groups;
        for (j, g) in self.new.groups.iter().enumerate() {
            let old = self.groups.back[j].map(Target::Group);
            if !self.concerns_either(old, Some(Target::Group(j))) {
                continue;
            }
            let Some(i) = self.groups.back[j] else {
                let (headline, notes) = group_summary(self.new, j);
                out.push(
                    Change::new(part, Kind::GroupAdded, Some(&g.head.name))
                        .new_text(headline)
                        .notes(notes),
                );
                continue;
            };
            let o = &self.old.groups[i];
            let mut log = RuleChanges::new(part, Some(&g.head.name), out);
            log.text(Kind::GroupRenamed, &o.head.name, &g.head.name);
            log.text(Kind::LabelChanged, &o.head.label, &g.head.label);
            log.field(
                Kind::SectionChanged,
                &o.section,
                &g.section,
                optional_section,
            );
            log.field(Kind::GroupKindChanged, &o.kind, &g.kind, |k| {
                group_kind(*k).to_string()
            });
            let old_members: Vec<String> = o
                .members
                .iter()
                .filter(|m| self.concerns(Side::Old, **m))
                .map(|m| self.old_name_now(*m))
                .collect();
            let new_members: Vec<String> = g
                .members
                .iter()
                .filter(|m| self.concerns(Side::New, **m))
                .map(|m| self.new_name(*m))
                .collect();
            let notes = moved(&old_members, &new_members, ["ajoutés", "retirés"]);
            if !notes.is_empty() {
                log.add(Kind::MembersChanged, |c| {
                    c.old(old_members.join(", "))
                        .new_text(new_members.join(", "))
                        .notes(notes)
                });
            }
            self.gating(&mut log, &o.head, &g.head);
        }
        for (i, g) in self.old.groups.iter().enumerate() {
            if self.groups.forward[i].is_none() && self.concerns(Side::Old, Target::Group(i)) {
                let (headline, notes) = group_summary(self.old, i);
                out.push(
                    Change::new(part, Kind::GroupRemoved, Some(&g.head.name))
                        .old(headline)
                        .notes(notes),
                );
            }
        }
    }
}
