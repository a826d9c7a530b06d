//! Why a payment line moved: each declaration's difference on each line attributed to a
//! cause (a line only one side has, another amount, or a rule it waits on that changed
//! status), and the cause traced down to the rule changes of the changelog that explain it.

use rust_decimal::Decimal;

use super::impact::{Cause, CauseImpact, Leaf, Line, LineImpact};
use super::pairing::Ctx;
use super::{Change, Kind, Part};
use crate::eval::{Outcome, PaymentStatus, Status};
use crate::model::{CompiledRulebook, GroupKind, Target};

/// How many ids each cause keeps as examples.
const EXAMPLES: usize = 5;

/// The indices in the changelog of the changes `cites` accepts.
fn cited(changes: &[Change], cites: impl Fn(&Change) -> bool) -> Vec<usize> {
    changes
        .iter()
        .enumerate()
        .filter(|(_, c)| cites(c))
        .map(|(k, _)| k)
        .collect()
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
    /// Every payment line of either rulebook, matched by owner.
    pub(super) fn lines(&self) -> Vec<Line> {
        let mut lines = Vec::new();
        for (q, payment) in self.new.payments.iter().enumerate() {
            let old = self
                .to_old(payment.owner)
                .and_then(|t| self.old.rule(t).payment.map(|p| (p, t)));
            lines.push(Line {
                old,
                new: Some((q, payment.owner)),
            });
        }
        for (p, payment) in self.old.payments.iter().enumerate() {
            let paired = self
                .to_new(payment.owner)
                .and_then(|t| self.new.rule(t).payment)
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
    pub(super) fn attribute(
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
            return Cause::Amount {
                old: x.euros,
                new: y.euros,
                changes: cited(changes, |c| {
                    (c.part == Part::Payments
                        && wanted.contains(&c.kind)
                        && c.rule.as_deref() == Some(owner))
                        || c.kind == Kind::PointValueChanged
                }),
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
        let so = old_t.map(|t| a.status_of(t));
        let sn = new_t.map(|t| b.status_of(t));
        let mut leaves = Vec::new();
        if so != sn {
            self.leaves(old_t, new_t, a, b, changes, &mut leaves, 0);
        }
        let target = self
            .either_name(old_t, new_t)
            .unwrap_or_else(|| owner.to_string());
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
        let so = old_t.map(|t| a.status_of(t));
        let sn = new_t.map(|t| b.status_of(t));
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
                let ms = (om.map(|t| a.status_of(t)), nm.map(|t| b.status_of(t)));
                if matters(ng.kind, ms.0, ms.1) {
                    let first = out.len();
                    self.leaves(om, nm, a, b, changes, out, depth + 1);
                    if om.is_none() || nm.is_none() {
                        let members_changed = changes.iter().position(|c| {
                            c.kind == Kind::MembersChanged
                                && c.rule.as_deref() == Some(&ng.head.name)
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
                rule: self.either_name(old_t, new_t).unwrap_or_default(),
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
            for s in rb.status_reads(t) {
                let name = rb.inputs[s].name.clone();
                if !inputs.contains(&name) {
                    inputs.push(name);
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
        cited(changes, |c| {
            let rule = c.rule.as_deref().unwrap_or("");
            (rule_kinds.contains(&c.kind) && c.part != Part::Inputs && names.contains(&rule))
                || (input_kinds.contains(&c.kind) && inputs.iter().any(|i| i == rule))
        })
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
                for g in rb.enclosing_groups(owner).take(MAX_DEPTH) {
                    names.push(rename(Target::Group(g)));
                }
            };
        around(self.old, old_owner, &|t| self.old_name_now(t));
        around(self.new, new_owner, &|t| self.new_name(t));
        cited(changes, |c| {
            c.kind == Kind::GatingChanged && c.rule.as_ref().is_some_and(|r| names.contains(r))
        })
    }
}
