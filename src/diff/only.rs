//! `--profession`: what of each side concerns the profession, asked of
//! [`ForProfession`](crate::profession::ForProfession) (partial evaluation with only the
//! profession known). Without `--profession` everything concerns the diff. A side that does
//! not cover the profession concerns it in nothing: an indicator only the new side gives the
//! profession is an addition for it.

use std::borrow::Cow;

use super::pairing::Ctx;
use crate::model::{
    CompiledRulebook, Condition, IndicatorDef, NeutralisationDef, PaymentDef, Slot, StatedTotalDef,
    Target,
};
use crate::profession::ForProfession;

/// Which side of the comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    Old,
    New,
}

impl<'a> Ctx<'a> {
    /// `Some(view)` under `--profession` (the view `None` when that side does not cover it).
    fn view(&self, side: Side) -> Option<Option<&ForProfession<'a>>> {
        self.only.as_ref().map(|o| match side {
            Side::Old => o.old.as_ref(),
            Side::New => o.new.as_ref(),
        })
    }

    fn side(&self, side: Side) -> &'a CompiledRulebook {
        match side {
            Side::Old => self.old,
            Side::New => self.new,
        }
    }

    /// `--profession`'s name, if given.
    pub(super) fn profession(&self) -> Option<&str> {
        self.only.as_ref().map(|o| o.name.as_str())
    }

    /// The rule concerns the diff on that side.
    pub(super) fn concerns(&self, side: Side, target: Target) -> bool {
        match self.view(side) {
            None => true,
            Some(view) => view.is_some_and(|v| v.concerns(target)),
        }
    }

    /// A rule seen on either side (or both) concerns the diff.
    pub(super) fn concerns_either(&self, old: Option<Target>, new: Option<Target>) -> bool {
        old.is_some_and(|t| self.concerns(Side::Old, t))
            || new.is_some_and(|t| self.concerns(Side::New, t))
    }

    /// Both sides' `applies` say the same for the profession (both hold, or neither), so
    /// that a change of wording elsewhere does not concern it. Always false without
    /// `--profession`, or when another value decides.
    pub(super) fn applicability_same_for_profession(
        &self,
        old: Option<&Condition>,
        new: Option<&Condition>,
    ) -> bool {
        match (self.view(Side::Old), self.view(Side::New)) {
            (Some(Some(a)), Some(Some(b))) => {
                let (x, y) = (a.decide(old), b.decide(new));
                x.is_some() && x == y
            }
            _ => false,
        }
    }

    /// The neutralisations of an indicator that can hold on that side.
    pub(super) fn neutralisations_of<'b>(
        &self,
        side: Side,
        indicator: &'b IndicatorDef,
    ) -> Vec<&'b NeutralisationDef> {
        match self.view(side) {
            None => indicator.neutralisations.iter().collect(),
            Some(None) => Vec::new(),
            Some(Some(v)) => v.neutralisations(indicator),
        }
    }

    /// A payment line as the diff sees it on that side: the amounts the profession can be
    /// paid, or the whole line.
    pub(super) fn payment_of<'b>(
        &self,
        side: Side,
        payment: &'b PaymentDef,
    ) -> Cow<'b, PaymentDef> {
        match self.view(side) {
            Some(Some(v)) => Cow::Owned(v.payment(payment)),
            _ => Cow::Borrowed(payment),
        }
    }

    /// The stated total concerns the diff on that side.
    pub(super) fn total_concerns(&self, side: Side, total: &StatedTotalDef) -> bool {
        match self.view(side) {
            None => true,
            Some(view) => view.is_some_and(|v| v.total_concerns(total)),
        }
    }

    /// The input is read for the profession on that side (`slot` of that side).
    pub(super) fn input_concerns(&self, side: Side, slot: Slot) -> bool {
        match self.view(side) {
            None => true,
            Some(view) => view.is_some_and(|v| v.reads(slot)),
        }
    }

    /// The list is named by a rule of the profession on that side.
    pub(super) fn list_concerns(&self, side: Side, list: &str) -> bool {
        let rulebook = self.side(side);
        let Some(index) = rulebook.lists.iter().position(|l| l.name == list) else {
            return false;
        };
        match self.view(side) {
            None => true,
            Some(view) => view.is_some_and(|v| !v.list_users(index).is_empty()),
        }
    }
}
