//! The changelog of what is paid: the point value, each rule's amounts (a rule that starts
//! or stops paying, amounts, `per`, variants), and the stated totals (matched by label,
//! then by scope).

use rust_decimal::Decimal;

use super::only::Side;
use super::pairing::{Ctx, Matching};
use super::words::{amount, amounts, optional_section, section_text, sum, total_scope, when_or};
use super::{Change, Kind, Part, RuleChanges};
use crate::french;
use crate::model::{AmountVariantDef, CompiledRulebook, PaymentDef, StatedTotalDef, Target};

impl<'a> Ctx<'a> {
    pub(super) fn payments(&self, out: &mut Vec<Change>) {
        let (o, n) = (&self.old.meta, &self.new.meta);
        RuleChanges::new(Part::Payments, None, out).field(
            Kind::PointValueChanged,
            &o.point_value,
            &n.point_value,
            |v: &Option<Decimal>| v.map(french::euros).unwrap_or_else(|| "aucune".into()),
        );
        for owner in self.new.targets() {
            let Some(old_owner) = self.to_old(owner) else {
                continue;
            };
            if !self.concerns_either(Some(old_owner), Some(owner)) {
                continue;
            }
            let name = self.new.target_name(owner);
            // The amounts the diff is about (under `--profession`, those it can be paid; a
            // line that can pay it nothing is no line for it).
            let payment = |side: Side, rb: &'a CompiledRulebook, t: Target| {
                rb.rule(t)
                    .payment
                    .and_then(|p| rb.payments.get(p))
                    .filter(|_| self.concerns(side, t))
                    .map(|p| self.payment_of(side, p))
                    .filter(|p| !p.variants.is_empty())
            };
            let mut log = RuleChanges::new(Part::Payments, Some(name), out);
            match (
                payment(Side::Old, self.old, old_owner),
                payment(Side::New, self.new, owner),
            ) {
                (None, None) => {}
                (None, Some(p)) => {
                    log.add(Kind::PaymentAdded, |c| c.new_text(amounts(self.new, &p)))
                }
                (Some(p), None) => log.add(Kind::PaymentRemoved, |c| c.old(amounts(self.old, &p))),
                (Some(a), Some(b)) => self.payment(&mut log, &a, &b),
            }
        }
    }

    fn payment(&self, log: &mut RuleChanges<'_>, a: &PaymentDef, b: &PaymentDef) {
        let per =
            |rb: &CompiledRulebook, v: &AmountVariantDef| v.per.map(|s| rb.inputs[s].name.clone());
        let shape_same = a.variants.len() == b.variants.len()
            && a.variants
                .iter()
                .zip(&b.variants)
                .all(|(x, y)| self.same_condition(&x.when, &y.when));
        if !shape_same {
            log.replaced(
                Kind::VariantsChanged,
                amounts(self.old, a),
                amounts(self.new, b),
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
            log.add(kind, |c| {
                let c = c.old(amount(self.old, x)).new_text(amount(self.new, y));
                if several {
                    c.note(when_or(self.new, &y.when, "sinon"))
                } else {
                    c
                }
            });
        }
    }

    pub(super) fn stated_totals(&self, out: &mut Vec<Change>) {
        let part = Part::StatedTotals;
        let kept = |side: Side, totals: &'a [StatedTotalDef]| -> Vec<&'a StatedTotalDef> {
            totals
                .iter()
                .filter(|t| self.total_concerns(side, t))
                .collect()
        };
        let old = kept(Side::Old, &self.old.stated_totals);
        let new = kept(Side::New, &self.new.stated_totals);
        let scopes = |rb: &CompiledRulebook,
                      totals: &[&StatedTotalDef],
                      name: &dyn Fn(Target) -> String|
         -> Vec<String> {
            totals
                .iter()
                .map(|t| {
                    let names = t
                        .scope
                        .as_ref()
                        .map(|s| s.iter().map(|x| name(*x)).collect());
                    total_scope(rb, names, t.profile.as_ref())
                })
                .collect()
        };
        let scope_old = scopes(self.old, &old, &|t| self.old_name_now(t));
        let scope_new = scopes(self.new, &new, &|t| self.new_name(t));
        // By label, then what is left by scope.
        let mut matching = Matching::new(old.len(), new.len());
        matching.link_where(|i, j| new[j].label == old[i].label);
        matching.link_where(|i, j| scope_new[j] == scope_old[i]);
        let total = |t: &StatedTotalDef| sum(t.amount, t.unit);
        for (j, t) in new.iter().enumerate() {
            let rule = Some(t.label.as_str());
            let Some(i) = matching.back[j] else {
                let mut change = Change::new(part, Kind::StatedTotalAdded, rule)
                    .new_text(total(t))
                    .note(scope_new[j].clone());
                if let Some(s) = &t.section {
                    change = change.note(section_text(s));
                }
                out.push(change);
                continue;
            };
            let o = old[i];
            let mut log = RuleChanges::new(part, rule, out);
            log.text(Kind::LabelChanged, &o.label, &t.label);
            log.field(
                Kind::StatedTotalChanged,
                &(o.amount, o.unit),
                &(t.amount, t.unit),
                |(amount, unit)| sum(*amount, *unit),
            );
            log.text(Kind::StatedTotalScopeChanged, &scope_old[i], &scope_new[j]);
            log.field(
                Kind::SectionChanged,
                &o.section,
                &t.section,
                optional_section,
            );
        }
        for (i, t) in old.iter().enumerate() {
            if matching.forward[i].is_none() {
                out.push(
                    Change::new(part, Kind::StatedTotalRemoved, Some(&t.label))
                        .old(total(t))
                        .note(scope_old[i].clone()),
                );
            }
        }
    }
}
