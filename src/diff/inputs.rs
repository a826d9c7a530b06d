//! The changelog of what a declaration holds: its inputs (label, type, source, unit, what
//! a missing value does) and the lists of values the conditions name.

use super::only::Side;
use super::pairing::Ctx;
use super::words::{input_type, missing, moved, optional_section};
use super::{Change, Kind, Part, RuleChanges};
use crate::french::source;
use crate::model::{CompiledRulebook, ListDef, Slot, PROFESSION};

impl Ctx<'_> {
    pub(super) fn inputs(&self, out: &mut Vec<Change>) {
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
            let old_slot = self.old.input_slot(&n.name).filter(|s| *s != PROFESSION);
            let concerns = self.input_concerns(Side::New, slot)
                || old_slot.is_some_and(|s| self.input_concerns(Side::Old, s));
            if !concerns {
                continue;
            }
            let Some(old_slot) = old_slot else {
                out.push(
                    Change::new(part, Kind::InputAdded, rule)
                        .new_text(describe(self.new, slot))
                        .note(&n.label),
                );
                continue;
            };
            let o = &self.old.inputs[old_slot];
            let mut log = RuleChanges::new(part, rule, out);
            log.text(Kind::InputLabelChanged, &o.label, &n.label);
            log.field(Kind::InputTypeChanged, &o.ty, &n.ty, input_type);
            log.field(Kind::InputSourceChanged, &o.source, &n.source, |s| {
                source(*s).to_string()
            });
            log.field(Kind::InputUnitChanged, &o.unit, &n.unit, |u| {
                u.clone().unwrap_or_else(|| "(aucune)".into())
            });
            log.text(
                Kind::InputMissingChanged,
                &missing(self.old, old_slot),
                &missing(self.new, slot),
            );
        }
        for (slot, o) in self.old.inputs.iter().enumerate().skip(1) {
            if self.new.input_slot(&o.name).is_none_or(|s| s == PROFESSION)
                && self.input_concerns(Side::Old, slot)
            {
                out.push(
                    Change::new(part, Kind::InputRemoved, Some(&o.name))
                        .old(describe(self.old, slot))
                        .note(&o.label),
                );
            }
        }
    }

    pub(super) fn lists(&self, out: &mut Vec<Change>) {
        let part = Part::Lists;
        let members = |rb: &CompiledRulebook, l: &ListDef| -> Vec<String> {
            l.members
                .iter()
                .map(|m| rb.choice_name(l.input, *m).to_string())
                .collect()
        };
        let describe = |rb: &CompiledRulebook, l: &ListDef| {
            format!(
                "{} de {} : {}",
                l.label,
                rb.inputs[l.input].name,
                members(rb, l).join(", ")
            )
        };
        for n in &self.new.lists {
            let rule = Some(n.name.as_str());
            if !self.list_concerns(Side::New, &n.name) && !self.list_concerns(Side::Old, &n.name) {
                continue;
            }
            let Some(o) = self.old.lists.iter().find(|o| o.name == n.name) else {
                out.push(Change::new(part, Kind::ListAdded, rule).new_text(describe(self.new, n)));
                continue;
            };
            let mut log = RuleChanges::new(part, rule, out);
            log.text(Kind::LabelChanged, &o.label, &n.label);
            log.field(
                Kind::SectionChanged,
                &o.section,
                &n.section,
                optional_section,
            );
            let notes = moved(
                &members(self.old, o),
                &members(self.new, n),
                ["ajoutées", "retirées"],
            );
            let input_changed = self.old.inputs[o.input].name != self.new.inputs[n.input].name;
            if input_changed || !notes.is_empty() {
                log.add(Kind::ListChanged, |c| {
                    c.old(describe(self.old, o))
                        .new_text(describe(self.new, n))
                        .notes(notes)
                });
            }
        }
        for o in &self.old.lists {
            if !self.new.lists.iter().any(|n| n.name == o.name)
                && self.list_concerns(Side::Old, &o.name)
            {
                out.push(
                    Change::new(part, Kind::ListRemoved, Some(&o.name)).old(describe(self.old, o)),
                );
            }
        }
    }
}
