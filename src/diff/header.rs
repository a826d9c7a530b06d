//! The changelog's first parts: the rulebook's header (name, title, scheme, exercice,
//! payment year, guide) and the professions it covers.

use super::pairing::Ctx;
use super::{Change, Kind, Part, RuleChanges};
use crate::model::{Choice, CompiledRulebook, InputType, PROFESSION};

impl Ctx<'_> {
    pub(super) fn header(&self, out: &mut Vec<Change>) {
        let (o, n) = (&self.old.meta, &self.new.meta);
        let texts = [
            (Kind::RulebookRenamed, o.name.clone(), n.name.clone()),
            (Kind::TitleChanged, o.title.clone(), n.title.clone()),
            (Kind::SchemeChanged, o.scheme.clone(), n.scheme.clone()),
            (
                Kind::ExerciceChanged,
                o.exercice.to_string(),
                n.exercice.to_string(),
            ),
            (
                Kind::PaidInChanged,
                o.paid_in.to_string(),
                n.paid_in.to_string(),
            ),
            (Kind::GuideChanged, o.guide.clone(), n.guide.clone()),
        ];
        let mut log = RuleChanges::new(Part::Header, None, out);
        for (kind, old, new) in texts {
            log.text(kind, &old, &new);
        }
    }

    pub(super) fn professions(&self, out: &mut Vec<Change>) {
        let choices = |rb: &CompiledRulebook| match &rb.inputs[PROFESSION].ty {
            InputType::Choice(c) => c.clone(),
            _ => Vec::new(),
        };
        let (mut old, mut new) = (choices(self.old), choices(self.new));
        let shown = |c: &Choice| match &c.label {
            Some(l) => format!("{} ({l})", c.name),
            None => c.name.clone(),
        };
        let part = Part::Professions;
        // Under `--profession`, only that profession's own changes.
        if let Some(only) = self.profession() {
            new.retain(|c| c.name == only);
            old.retain(|c| c.name == only);
        }
        for c in &new {
            match old.iter().find(|o| o.name == c.name) {
                None => out.push(
                    Change::new(part, Kind::ProfessionAdded, Some(&c.name)).new_text(shown(c)),
                ),
                Some(o) => RuleChanges::new(part, Some(&c.name), out).field(
                    Kind::ProfessionLabelChanged,
                    &o.label,
                    &c.label,
                    |l| l.clone().unwrap_or_default(),
                ),
            }
        }
        for o in &old {
            if !new.iter().any(|c| c.name == o.name) {
                out.push(Change::new(part, Kind::ProfessionRemoved, Some(&o.name)).old(shown(o)));
            }
        }
    }
}
