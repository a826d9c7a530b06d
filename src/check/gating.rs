//! Gating: what waits on what. Checks `requires` targets, cycles, and that every payment
//! says whether it is gated; computes each payment's gates and the groups' order.

use std::collections::HashMap;

use crate::diagnostics::{Cycle, CycleLink, Error};
use crate::model::{CompiledRulebook, GroupKind, Target};
use crate::syntax::ast::Span;

/// How many groups may hold one another: far beyond any guide (they nest two deep), and
/// low enough that explanations and documentation pages, which follow the nesting, stay
/// within a thread's stack.
pub const MAX_GROUP_NESTING: usize = 32;

/// The first group nested deeper than [`MAX_GROUP_NESTING`], with its depth (1 for a group
/// in no other). Needs `group_order` (a group after those it contains), read backwards so
/// that each group's depth follows from its parent's without recursion.
fn too_deep(compiled: &CompiledRulebook) -> Option<(usize, usize)> {
    let mut depth = vec![0usize; compiled.groups.len()];
    for &g in compiled.group_order.iter().rev() {
        depth[g] = compiled.groups[g]
            .head
            .group
            .map_or(1, |parent| depth[parent] + 1);
        if depth[g] > MAX_GROUP_NESTING {
            return Some((g, depth[g]));
        }
    }
    None
}

pub(super) fn check(
    compiled: &mut CompiledRulebook,
    rule_spans: &HashMap<Target, Span>,
    gating_spans: &HashMap<Target, Span>,
    pays_spans: &[Span],
    errors: &mut Vec<Error>,
) {
    let span_of = |t: Target| rule_spans.get(&t).copied().unwrap_or_default();
    let targets: Vec<Target> = compiled.targets().collect();

    // `requires` must name something with a met status of its own.
    let mut requires_ok = true;
    for &t in &targets {
        let Some(required) = compiled.rule(t).requires else {
            continue;
        };
        let span = gating_spans.get(&t).copied().unwrap_or_else(|| span_of(t));
        if required == t {
            errors.push(Error::GatingCycle {
                cycle: Cycle {
                    names: vec![compiled.target_name(t).to_string(); 2],
                    link: CycleLink::WaitsOn,
                },
                span: span.into(),
            });
            requires_ok = false;
        } else if let Target::Group(g) = required {
            if compiled.groups[g].kind == GroupKind::EachOf {
                errors.push(Error::RequiresEachOf {
                    rule: compiled.target_name(t).to_string(),
                    group: compiled.groups[g].head.name.clone(),
                    span: span.into(),
                });
                requires_ok = false;
            }
        }
    }

    // Groups in membership order; a group inside itself is a cycle.
    match membership_order(compiled) {
        Ok(order) => compiled.group_order = order,
        Err(cycle) => {
            errors.push(Error::GatingCycle {
                cycle: describe_cycle(compiled, &cycle, CycleLink::Contains),
                span: span_of(cycle[0]).into(),
            });
            return;
        }
    }
    if let Some((group, depth)) = too_deep(compiled) {
        errors.push(Error::GroupsTooDeep {
            max: MAX_GROUP_NESTING,
            group: compiled.groups[group].head.name.clone(),
            depth,
            span: span_of(Target::Group(group)).into(),
        });
        return;
    }

    // Gates: a rule's own `requires`, then those of the groups around it.
    let gates: HashMap<Target, Vec<Target>> = targets
        .iter()
        .map(|&t| (t, gates_of(compiled, t)))
        .collect();
    if requires_ok {
        if let Some(cycle) = gate_cycle(&targets, &gates) {
            errors.push(Error::GatingCycle {
                cycle: describe_cycle(compiled, &cycle, CycleLink::WaitsOn),
                span: gating_spans
                    .get(&cycle[0])
                    .copied()
                    .unwrap_or_else(|| span_of(cycle[0]))
                    .into(),
            });
        }
    }

    // Every payment says whether it waits; `independent` cannot sit inside a gated group.
    for (p, payment) in compiled.payments.iter().enumerate() {
        let owner = payment.owner;
        let own = compiled.rule(owner);
        let mut stated_by_group = false;
        for g in compiled.enclosing_groups(owner) {
            let group = &compiled.groups[g];
            if let (true, Some(req)) = (own.independent, group.head.requires) {
                errors.push(Error::IndependentInGatedGroup {
                    rule: compiled.target_name(owner).to_string(),
                    group: group.head.name.clone(),
                    required: compiled.target_name(req).to_string(),
                    span: gating_spans.get(&owner).copied().unwrap_or_default().into(),
                });
            }
            stated_by_group |= group.head.requires.is_some() || group.head.independent;
        }
        // A `requires` naming nothing was already reported; it still counts as stated.
        let stated = own.requires.is_some() || own.independent || gating_spans.contains_key(&owner);
        if !stated && !stated_by_group {
            errors.push(Error::MissingGating {
                name: compiled.target_name(owner).to_string(),
                span: pays_spans.get(p).copied().unwrap_or_default().into(),
            });
        }
    }
    for (target, target_gates) in gates {
        compiled.rule_mut(target).gates = target_gates;
    }
}

fn gates_of(compiled: &CompiledRulebook, t: Target) -> Vec<Target> {
    let mut gates: Vec<Target> = compiled.rule(t).requires.into_iter().collect();
    for g in compiled.enclosing_groups(t) {
        if let Some(r) = compiled.groups[g].head.requires {
            if !gates.contains(&r) {
                gates.push(r);
            }
        }
    }
    gates
}

/// Groups ordered so that members come first, or the cycle that prevents it.
fn membership_order(compiled: &CompiledRulebook) -> Result<Vec<usize>, Vec<Target>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        compiled: &CompiledRulebook,
        g: usize,
        marks: &mut [Mark],
        path: &mut Vec<Target>,
        order: &mut Vec<usize>,
    ) -> Result<(), Vec<Target>> {
        match marks[g] {
            Mark::Done => return Ok(()),
            Mark::Open => {
                let start = path
                    .iter()
                    .position(|t| *t == Target::Group(g))
                    .unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(Target::Group(g));
                return Err(cycle);
            }
            Mark::New => {}
        }
        marks[g] = Mark::Open;
        path.push(Target::Group(g));
        for member in &compiled.groups[g].members {
            if let Target::Group(inner) = member {
                visit(compiled, *inner, marks, path, order)?;
            }
        }
        path.pop();
        marks[g] = Mark::Done;
        order.push(g);
        Ok(())
    }
    let mut marks = vec![Mark::New; compiled.groups.len()];
    let mut order = Vec::new();
    for g in 0..compiled.groups.len() {
        visit(compiled, g, &mut marks, &mut Vec::new(), &mut order)?;
    }
    Ok(order)
}

/// A cycle in "waits on" (x waits on each of its gates), if any.
fn gate_cycle(targets: &[Target], gates: &HashMap<Target, Vec<Target>>) -> Option<Vec<Target>> {
    fn visit(
        t: Target,
        gates: &HashMap<Target, Vec<Target>>,
        state: &mut HashMap<Target, bool>,
        path: &mut Vec<Target>,
    ) -> Option<Vec<Target>> {
        match state.get(&t) {
            Some(true) => return None,
            Some(false) => {
                let start = path.iter().position(|p| *p == t).unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(t);
                return Some(cycle);
            }
            None => {}
        }
        state.insert(t, false);
        path.push(t);
        for &g in gates.get(&t).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(c) = visit(g, gates, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(t, true);
        None
    }
    let mut state = HashMap::new();
    targets
        .iter()
        .find_map(|&t| visit(t, gates, &mut state, &mut Vec::new()))
}

/// The rules of `cycle`, each waiting on (or containing) the next.
fn describe_cycle(compiled: &CompiledRulebook, cycle: &[Target], link: CycleLink) -> Cycle {
    Cycle {
        names: cycle
            .iter()
            .map(|t| compiled.target_name(*t).to_string())
            .collect(),
        link,
    }
}
