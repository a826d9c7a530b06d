//! What of a rulebook concerns one profession: the rules, neutralisations, amounts, stated
//! totals, inputs and lists whose conditions can hold for it. `eval::partial` decides, with
//! only the built-in `profession` known (every other value unknown), so that `diff
//! --profession` and `doc --profession` read a condition exactly as evaluation does: `applies
//! when profession in (infirmier, orthophoniste)` cannot hold for a masseur-kinésithérapeute,
//! `applies when profession != chirurgien_dentiste` surely holds, and `profession = infirmier
//! and statut_infirmier = ipal` cannot hold for anyone but an infirmier.
//!
//! A condition that depends on anything else (`statut_infirmier = ipal`) can hold: what it
//! guards is kept.

use crate::eval;
use crate::model::{
    AmountVariantDef, CompiledRulebook, Condition, Expr, IndicatorDef, InputType,
    NeutralisationDef, PaymentDef, Slot, StatedTotalDef, Target, PROFESSION,
};
use crate::value::Value;

/// A profession's name and label, as the header lists them.
pub fn professions(rulebook: &CompiledRulebook) -> Vec<(String, Option<String>)> {
    match &rulebook.inputs[PROFESSION].ty {
        InputType::Choice(choices) => choices
            .iter()
            .map(|c| (c.name.clone(), c.label.clone()))
            .collect(),
        _ => Vec::new(),
    }
}

/// `--profession` names no profession of the rulebooks given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownProfession {
    pub name: String,
    /// Every profession they cover, in order, each once: name and label.
    pub known: Vec<(String, Option<String>)>,
    /// The known name closest to a typo.
    pub suggestion: Option<String>,
}

/// `Ok` when one of `rulebooks` at least covers the profession `name`.
pub fn known(name: &str, rulebooks: &[&CompiledRulebook]) -> Result<(), UnknownProfession> {
    let mut known: Vec<(String, Option<String>)> = Vec::new();
    for rulebook in rulebooks {
        for (n, label) in professions(rulebook) {
            if !known.iter().any(|(k, _)| *k == n) {
                known.push((n, label));
            }
        }
    }
    if known.iter().any(|(k, _)| k == name) {
        return Ok(());
    }
    // A typo, else a part of one name only (`kine` for `masseur_kinesitherapeute`).
    let part: Vec<&str> = known
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| name.len() >= 3 && k.contains(name))
        .collect();
    let suggestion =
        crate::lang::closest(name, known.iter().map(|(k, _)| k.as_str())).or_else(|| {
            match part.as_slice() {
                [one] => Some((*one).to_string()),
                _ => None,
            }
        });
    Err(UnknownProfession {
        name: name.to_string(),
        known,
        suggestion,
    })
}

/// One rulebook seen by one of the professions it covers.
#[derive(Clone, Debug)]
pub struct ForProfession<'a> {
    rulebook: &'a CompiledRulebook,
    /// `profession` known, every other value unknown.
    known: Vec<Value>,
    name: String,
    label: Option<String>,
}

impl<'a> ForProfession<'a> {
    /// `None` when the rulebook does not cover `profession`.
    pub fn new(rulebook: &'a CompiledRulebook, profession: &str) -> Option<ForProfession<'a>> {
        let InputType::Choice(choices) = &rulebook.inputs[PROFESSION].ty else {
            return None;
        };
        let index = choices.iter().position(|c| c.name == profession)?;
        let mut known = vec![Value::Missing; rulebook.inputs.len()];
        known[PROFESSION] = Value::Choice(u32::try_from(index).ok()?);
        Some(ForProfession {
            rulebook,
            known,
            name: profession.to_string(),
            label: choices[index].label.clone(),
        })
    }

    pub fn rulebook(&self) -> &'a CompiledRulebook {
        self.rulebook
    }

    /// The profession's name (`masseur_kinesitherapeute`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its label in the header (`Masseurs-kinésithérapeutes libéraux`), if it has one.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// What a condition is for this profession: `Some` when the profession alone decides it
    /// (no condition: it holds), `None` when it depends on other values.
    pub fn decide(&self, condition: Option<&Condition>) -> Option<bool> {
        condition.map_or(Some(true), |c| eval::partial(&c.expr, &self.known))
    }

    /// The condition can hold for this profession (no condition always does).
    pub fn may_hold(&self, condition: Option<&Condition>) -> bool {
        self.decide(condition) != Some(false)
    }

    /// An indicator concerns the profession when its `applies` can hold for it; a group,
    /// when one of its members does.
    pub fn concerns(&self, target: Target) -> bool {
        match target {
            Target::Indicator(i) => self.may_hold(self.rulebook.indicators[i].applies.as_ref()),
            Target::Group(g) => self.rulebook.groups[g]
                .members
                .iter()
                .any(|m| self.concerns(*m)),
        }
    }

    /// The neutralisations of an indicator that can hold for the profession.
    pub fn neutralisations<'b>(&self, indicator: &'b IndicatorDef) -> Vec<&'b NeutralisationDef> {
        indicator
            .neutralisations
            .iter()
            .filter(|n| self.may_hold(n.when.as_ref()))
            .collect()
    }

    /// The amounts a payment line can pay the profession, in order: those whose `when` can
    /// hold, up to the first that surely does (it is then written without its `when`, as the
    /// profession's `otherwise`).
    pub fn variants(&self, payment: &PaymentDef) -> Vec<AmountVariantDef> {
        let mut out = Vec::new();
        for v in &payment.variants {
            match self.decide(v.when.as_ref()) {
                Some(false) => {}
                Some(true) => {
                    out.push(AmountVariantDef {
                        when: None,
                        ..v.clone()
                    });
                    break;
                }
                None => out.push(v.clone()),
            }
        }
        out
    }

    /// The payment line as the profession can be paid it (see [`variants`](Self::variants)).
    pub fn payment(&self, payment: &PaymentDef) -> PaymentDef {
        PaymentDef {
            variants: self.variants(payment),
            ..payment.clone()
        }
    }

    /// A stated total concerns the profession when its profile (`for`) can hold for it.
    pub fn total_concerns(&self, total: &StatedTotalDef) -> bool {
        self.may_hold(total.profile.as_ref())
    }

    /// The conditions a declaration of the profession can be decided on, for a rule that
    /// concerns it: `applies`, `met`, the neutralisations that can hold, the amounts it can
    /// be paid. Nothing for a rule that does not concern it.
    fn conditions(&self, target: Target) -> Vec<&'a Condition> {
        if !self.concerns(target) {
            return Vec::new();
        }
        let rulebook = self.rulebook;
        let mut out: Vec<&Condition> = Vec::new();
        if let Target::Indicator(i) = target {
            let ind = &rulebook.indicators[i];
            out.extend(&ind.applies);
            out.push(&ind.met);
            out.extend(
                ind.neutralisations
                    .iter()
                    .filter(|n| self.may_hold(n.when.as_ref()))
                    .filter_map(|n| n.when.as_ref()),
            );
        }
        if let Some(p) = rulebook.rule(target).payment {
            for v in &rulebook.payments[p].variants {
                match self.decide(v.when.as_ref()) {
                    Some(false) => {}
                    Some(true) => {
                        out.extend(&v.when);
                        break;
                    }
                    None => out.extend(&v.when),
                }
            }
        }
        out
    }

    /// The input is read to decide or pay a rule for the profession (`profession` itself
    /// always is).
    pub fn reads(&self, slot: Slot) -> bool {
        if slot == PROFESSION {
            return true;
        }
        self.rulebook.targets().any(|t| {
            let mut read = Vec::new();
            for c in self.conditions(t) {
                c.expr.reads(&mut read);
            }
            if let Some(p) = self.rulebook.rule(t).payment {
                if self.concerns(t) {
                    for v in self.variants(&self.rulebook.payments[p]) {
                        read.extend(v.per);
                    }
                }
            }
            read.contains(&slot)
        })
    }

    /// The rules that name the list `list` in a condition that can be decided for the
    /// profession.
    pub fn list_users(&self, list: usize) -> Vec<Target> {
        self.rulebook
            .targets()
            .filter(|t| self.conditions(*t).iter().any(|c| uses_list(&c.expr, list)))
            .collect()
    }
}

fn uses_list(expr: &Expr, list: usize) -> bool {
    match expr {
        Expr::InSet { list: Some(l), .. } => *l == list,
        Expr::Not(e) => uses_list(e, list),
        Expr::All(es) | Expr::Any(es) => es.iter().any(|e| uses_list(e, list)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rulebook() -> CompiledRulebook {
        let source = include_str!("../rulebooks/fami/2021-professions-de-sante.forfait");
        match crate::compile("2021-professions-de-sante.forfait", source) {
            Ok(c) => c.rulebook,
            Err(report) => unreachable!("{}", report.render_human()),
        }
    }

    fn indicator(rb: &CompiledRulebook, name: &str) -> Target {
        let found = rb.indicators.iter().position(|i| i.head.name == name);
        Target::Indicator(found.unwrap_or(usize::MAX))
    }

    #[test]
    fn the_profession_alone_decides_what_concerns_it() {
        let rb = rulebook();
        let Some(kine) = ForProfession::new(&rb, "masseur_kinesitherapeute") else {
            unreachable!("kinés are covered")
        };
        let Some(idel) = ForProfession::new(&rb, "infirmier") else {
            unreachable!("infirmiers are covered")
        };
        for (name, kine_too, idel_too) in [
            ("cahier_des_charges_sv_kine_ortho_podo", true, false),
            ("cahier_des_charges_sv_infirmier", false, true),
            ("dmp_ouverture", false, true),
            ("teletransmission", true, true),
            ("scor", true, true),
        ] {
            let t = indicator(&rb, name);
            assert_eq!(kine.concerns(t), kine_too, "{name} for kinés");
            assert_eq!(idel.concerns(t), idel_too, "{name} for infirmiers");
        }
        // The IPAL amounts cannot be a kiné's: one amount is left, unconditional.
        let coordination = rb.rule(indicator(&rb, "coordination")).payment;
        let Some(p) = coordination.map(|p| &rb.payments[p]) else {
            unreachable!("coordination pays")
        };
        let kine_amounts = kine.variants(p);
        assert_eq!(kine_amounts.len(), 1);
        assert!(kine_amounts[0].when.is_none());
        assert_eq!(idel.variants(p).len(), 3);
        // Inputs: a kiné's declaration is read for its own SESAM-Vitale data only.
        let slot = |name: &str| rb.input_slot(name).unwrap_or(usize::MAX);
        assert!(kine.reads(slot("cdc_sesam_vitale_kine_ortho_podo")));
        assert!(!kine.reads(slot("cdc_sesam_vitale_infirmier")));
        assert!(!kine.reads(slot("statut_infirmier")));
        assert!(idel.reads(slot("statut_infirmier")));
        assert!(ForProfession::new(&rb, "medecin").is_none());
    }

    #[test]
    fn an_unknown_profession_is_named_with_the_known_ones() {
        let rb = rulebook();
        assert_eq!(known("infirmier", &[&rb]), Ok(()));
        let Err(unknown) = known("infirmiere", &[&rb]) else {
            unreachable!("no such profession")
        };
        assert_eq!(unknown.suggestion.as_deref(), Some("infirmier"));
        assert_eq!(unknown.known.len(), 7);
        let part = known("kine", &[&rb]).err().and_then(|e| e.suggestion);
        assert_eq!(part.as_deref(), Some("masseur_kinesitherapeute"));
    }
}
