//! The passes of `check`, in the order it runs them: the built-in `profession`, names,
//! inputs, lists, rules (indicators and groups with their gating and payments), the
//! compiled rulebook, warnings, and stated totals.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{
    content_hash, duplicate_values, gating, gating_span, indicator_def, input_def, list_def,
    maximum, missing_rule, payment_def, rule_head, unknown_rule, Named, Scope,
};
use crate::diagnostics::Error;
use crate::model::*;
use crate::syntax::ast::{self, Span};
use crate::value::Value;

/// The scope before any item: the built-in `profession` input, slot 0, its values from
/// the header.
pub(super) fn profession_scope<'s>(
    header: &ast::Header,
    source: &'s str,
    errors: &mut Vec<Error>,
) -> Scope<'s> {
    let professions: Vec<Choice> = header
        .professions
        .iter()
        .map(|p| Choice {
            name: p.name.text.clone(),
            label: p.label.as_ref().map(|l| l.value.clone()),
        })
        .collect();
    duplicate_values("professions", &header.professions, errors);
    let profession_missing = if professions.len() == 1 {
        MissingRule::Default(Value::Choice(0))
    } else {
        MissingRule::Error
    };
    let mut scope = Scope {
        source,
        names: HashMap::new(),
        inputs: vec![InputDef {
            name: "profession".into(),
            label: "Profession".into(),
            ty: InputType::Choice(professions),
            source: Source::Automated,
            unit: None,
            missing: profession_missing,
            always_read: false,
        }],
        input_spans: vec![header.professions_span],
        read: vec![false],
        lists: Vec::new(),
        list_used: Vec::new(),
        broken_lists: Vec::new(),
    };
    scope.names.insert(
        "profession".into(),
        (Named::Input(PROFESSION), header.professions_span),
    );
    scope
}

/// First pass: every name, so that rules may refer to what is defined below them.
pub(super) fn names(rulebook: &ast::Rulebook, scope: &mut Scope<'_>, errors: &mut Vec<Error>) {
    let mut indicator_count = 0;
    let mut group_count = 0;
    let mut list_count = 0;
    for item in &rulebook.items {
        let (name, named) = match item {
            ast::Item::Input(i) => {
                let slot = scope.inputs.len();
                scope.inputs.push(input_def(i));
                scope.input_spans.push(i.name.span);
                scope.read.push(false);
                (&i.name, Named::Input(slot))
            }
            ast::Item::List(l) => {
                list_count += 1;
                (&l.name, Named::List(list_count - 1))
            }
            ast::Item::Indicator(i) => {
                indicator_count += 1;
                (&i.name, Named::Indicator(indicator_count - 1))
            }
            ast::Item::Group(g) => {
                group_count += 1;
                (&g.name, Named::Group(group_count - 1))
            }
            ast::Item::StatedTotal(_) => continue,
        };
        // Names the declaration itself uses; no input may take them.
        let span = name.span.into();
        let reserved = match name.text.as_str() {
            "profession" => Some(Error::ReservedProfession { span }),
            "id" => Some(Error::ReservedId { span }),
            _ => None,
        };
        if let Some(error) = reserved {
            errors.push(error);
            continue;
        }
        match scope.names.get(&name.text) {
            Some((_, first)) => errors.push(Error::DuplicateName {
                name: name.text.clone(),
                span: name.span.into(),
                first: (*first).into(),
            }),
            None => {
                scope.names.insert(name.text.clone(), (named, name.span));
            }
        }
    }
}

/// Inputs: enumeration values and what a missing value means.
pub(super) fn inputs(rulebook: &ast::Rulebook, scope: &mut Scope<'_>, errors: &mut Vec<Error>) {
    let mut slot = 0;
    for item in &rulebook.items {
        if let ast::Item::Input(input) = item {
            slot += 1;
            if let ast::InputType::OneOf(values) = &input.ty {
                duplicate_values(&input.name.text, values, errors);
            }
            match missing_rule(scope, slot, input) {
                Ok(rule) => scope.inputs[slot].missing = rule,
                Err(e) => errors.push(e),
            }
        }
    }
}

/// Lists, each of the values of one `one of` input.
pub(super) fn lists(rulebook: &ast::Rulebook, scope: &mut Scope<'_>, errors: &mut Vec<Error>) {
    for item in &rulebook.items {
        if let ast::Item::List(list) = item {
            match list_def(scope, list) {
                Ok(def) => {
                    scope.lists.push(def);
                    scope.list_used.push(false);
                }
                Err(e) => {
                    errors.push(e);
                    // Keep indices aligned with the names map; conditions using this
                    // list are not checked again (one error is enough).
                    scope.broken_lists.push(scope.lists.len());
                    scope.lists.push(ListDef {
                        name: list.name.text.clone(),
                        label: list.label.value.clone(),
                        input: PROFESSION,
                        section: None,
                        members: Vec::new(),
                    });
                    scope.list_used.push(true);
                }
            }
        }
    }
}

/// The indicators and groups, with their gating and payments, and where each was written.
pub(super) struct Rules {
    pub(super) indicators: Vec<IndicatorDef>,
    pub(super) groups: Vec<GroupDef>,
    /// Each member and the group it is in.
    pub(super) memberships: Vec<(Target, usize)>,
    pub(super) payments: Vec<PaymentDef>,
    pub(super) pays_spans: Vec<Span>,
    pub(super) gating_spans: HashMap<Target, Span>,
    pub(super) rule_spans: HashMap<Target, Span>,
}

/// Indicators, groups and their payments, in the order written (payments are numbered so).
pub(super) fn rules(
    rulebook: &ast::Rulebook,
    scope: &mut Scope<'_>,
    errors: &mut Vec<Error>,
) -> Rules {
    let header = &rulebook.header;
    let mut indicators = Vec::new();
    let mut groups = Vec::new();
    let mut payments = Vec::new();
    let mut pays_spans = Vec::new();
    let mut gating_spans: HashMap<Target, Span> = HashMap::new();
    let mut rule_spans: HashMap<Target, Span> = HashMap::new();
    // Each member's group and the span of its mention there.
    let mut memberships: HashMap<Target, (usize, Span)> = HashMap::new();
    for item in &rulebook.items {
        match item {
            ast::Item::Indicator(ind) => {
                let target = Target::Indicator(indicators.len());
                rule_spans.insert(target, ind.name.span);
                let mut def = indicator_def(scope, ind, errors);
                rule_gating(
                    scope,
                    ind.gating.as_ref(),
                    target,
                    &mut def.head,
                    &mut gating_spans,
                    errors,
                );
                if let Some(pays) = &ind.pays {
                    if let Some(p) = payment_def(scope, header, target, pays, errors) {
                        def.head.payment = Some(payments.len());
                        payments.push(p);
                        pays_spans.push(pays.span);
                    }
                }
                indicators.push(def);
            }
            ast::Item::Group(group) => {
                let target = Target::Group(groups.len());
                rule_spans.insert(target, group.name.span);
                let mut def = GroupDef {
                    head: rule_head(&group.name, &group.label, &group.quotes),
                    section: group.section.as_ref().map(|s| s.value.clone()),
                    kind: group.kind,
                    members: Vec::new(),
                };
                for member in &group.members {
                    let Some(resolved) = scope.rule(&member.text) else {
                        errors.push(unknown_rule(scope, &member.text, member.span));
                        continue;
                    };
                    if let Some((_, first)) = memberships.get(&resolved) {
                        errors.push(Error::MemberOfTwoGroups {
                            member: member.text.clone(),
                            span: member.span.into(),
                            first: (*first).into(),
                        });
                        continue;
                    }
                    memberships.insert(resolved, (groups.len(), member.span));
                    def.members.push(resolved);
                }
                rule_gating(
                    scope,
                    group.gating.as_ref(),
                    target,
                    &mut def.head,
                    &mut gating_spans,
                    errors,
                );
                if let Some(pays) = &group.pays {
                    if group.kind == ast::GroupKind::EachOf {
                        errors.push(Error::EachOfPays {
                            group: group.name.text.clone(),
                            span: pays.span.into(),
                        });
                    } else if let Some(p) = payment_def(scope, header, target, pays, errors) {
                        def.head.payment = Some(payments.len());
                        payments.push(p);
                        pays_spans.push(pays.span);
                    }
                }
                groups.push(def);
            }
            _ => {}
        }
    }

    Rules {
        indicators,
        groups,
        memberships: memberships
            .into_iter()
            .map(|(member, (group, _))| (member, group))
            .collect(),
        payments,
        pays_spans,
        gating_spans,
        rule_spans,
    }
}

/// The compiled rulebook from the header and the rules, each member in its group; inputs
/// and lists come later.
pub(super) fn compiled_rulebook(
    header: &ast::Header,
    source: &str,
    indicators: Vec<IndicatorDef>,
    groups: Vec<GroupDef>,
    memberships: &[(Target, usize)],
    payments: Vec<PaymentDef>,
    errors: &mut Vec<Error>,
) -> CompiledRulebook {
    let mut compiled = CompiledRulebook {
        meta: Meta {
            name: header.name.text.clone(),
            title: header.title.value.clone(),
            scheme: header.scheme.value.clone(),
            exercice: header.exercice.value,
            paid_in: header.paid_in.value,
            guide: header.guide.value.clone(),
            point_value: None,
            content_hash: content_hash(source.as_bytes()),
        },
        inputs: Vec::new(),
        lists: Vec::new(),
        indicators,
        groups,
        payments,
        group_order: Vec::new(),
        stated_totals: Vec::new(),
    };
    for &(member, group) in memberships {
        compiled.rule_mut(member).group = Some(group);
    }
    if let Some(pv) = &header.point_value {
        if pv.unit != ast::AmountUnit::Euros || pv.value <= Decimal::ZERO {
            errors.push(Error::InvalidPointValue {
                span: pv.span.into(),
            });
        }
        compiled.meta.point_value = Some(pv.value);
    }
    compiled
}

/// Warnings: the header's years, then rules, inputs and lists with no effect.
pub(super) fn warnings(
    header: &ast::Header,
    compiled: &CompiledRulebook,
    rule_spans: &HashMap<Target, Span>,
    scope: &Scope<'_>,
) -> Vec<Error> {
    let mut warnings = super::header::warnings(header);
    for target in compiled.targets() {
        let rule = compiled.rule(target);
        let pays_through_members =
            matches!(target, Target::Group(g) if compiled.groups[g].kind == GroupKind::EachOf);
        if rule.group.is_none()
            && rule.payment.is_none()
            && !compiled.is_required(target)
            && !pays_through_members
        {
            if let Some(span) = rule_spans.get(&target) {
                warnings.push(Error::UnusedRule {
                    name: rule.name.clone(),
                    span: (*span).into(),
                });
            }
        }
    }
    for (slot, read) in scope.read.iter().enumerate().skip(1) {
        if !read {
            warnings.push(Error::UnusedInput {
                name: scope.inputs[slot].name.clone(),
                span: scope.input_spans[slot].into(),
            });
        }
    }
    for (l, used) in scope.list_used.iter().enumerate() {
        if !used {
            if let Some((_, span)) = scope.names.get(&scope.lists[l].name) {
                warnings.push(Error::UnusedList {
                    name: scope.lists[l].name.clone(),
                    span: (*span).into(),
                });
            }
        }
    }
    warnings
}

/// `a and b or c` without parentheses: read as `(a and b) or c`, as everywhere, but a
/// writer who meant `a and (b or c)` would get no error. One warning per such `or`, with
/// the parentheses `fmt` writes.
pub(super) fn and_inside_or(rulebook: &ast::Rulebook, source: &str) -> Vec<Error> {
    fn walk(c: &ast::Condition, source: &str, found: &mut Vec<Error>) {
        match c {
            ast::Condition::Or(parts, span) => {
                let bare = |p: &ast::Condition| {
                    let s = p.span();
                    matches!(p, ast::Condition::And(..))
                        && !(source[..s.start].trim_end().ends_with('(')
                            && source[s.end..].trim_start().starts_with(')'))
                };
                if parts.iter().any(bare) {
                    found.push(Error::AndInsideOr {
                        parenthesised: crate::fmt::condition(c),
                        span: (*span).into(),
                    });
                }
                parts.iter().for_each(|p| walk(p, source, found));
            }
            ast::Condition::And(parts, _) => parts.iter().for_each(|p| walk(p, source, found)),
            ast::Condition::Not(inner, _) => walk(inner, source, found),
            ast::Condition::Compare { .. }
            | ast::Condition::Member { .. }
            | ast::Condition::Holds(_) => {}
        }
    }
    let mut found = Vec::new();
    for c in rulebook.conditions() {
        walk(c, source, &mut found);
    }
    found
}

/// Stated totals, each verified against the most the rules can pay.
pub(super) fn totals(
    rulebook: &ast::Rulebook,
    source: &str,
    scope: &Scope<'_>,
    compiled: &mut CompiledRulebook,
    errors: &mut Vec<Error>,
) {
    for item in &rulebook.items {
        if let ast::Item::StatedTotal(total) = item {
            let mut total_scope = Scope {
                source,
                names: scope.names.clone(),
                inputs: compiled.inputs.clone(),
                input_spans: scope.input_spans.clone(),
                read: vec![true; compiled.inputs.len()],
                lists: compiled.lists.clone(),
                list_used: vec![true; compiled.lists.len()],
                broken_lists: Vec::new(),
            };
            match maximum::verify(compiled, &mut total_scope, total) {
                Ok(def) => compiled.stated_totals.push(def),
                Err(e) => errors.push(e),
            }
        }
    }
}

/// A rule's `requires` or `independent`, resolved into its head, its span kept for the
/// gating checks; the head is left as it was when it has neither, or when what it requires
/// is wrong (the error is pushed).
fn rule_gating(
    scope: &Scope<'_>,
    written: Option<&ast::Gating>,
    target: Target,
    head: &mut RuleHead,
    gating_spans: &mut HashMap<Target, Span>,
    errors: &mut Vec<Error>,
) {
    let Some(g) = written else {
        return;
    };
    gating_spans.insert(target, gating_span(g));
    match gating(scope, g) {
        Ok((requires, independent)) => {
            head.requires = requires;
            head.independent = independent;
        }
        Err(e) => errors.push(e),
    }
}
