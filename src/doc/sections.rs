//! The guide's table: sections (prerequisites, complementary, independent, `each-of`
//! groups) and their rows, one per indicator or nested group.

use super::{
    cite, gate_words, variants_words, Amount, Neutralisation, Page, Row, Section, SectionKind,
};
use crate::french::labels::{self as words, Phrase};
use crate::french::{self, GuideSection};
use crate::model::{CompiledRulebook, GroupKind, Target};

pub(super) fn sections(page: &Page<'_>) -> Vec<Section> {
    let rulebook = page.rulebook;
    let top_groups: Vec<usize> = (0..rulebook.groups.len())
        .filter(|g| rulebook.groups[*g].head.group.is_none())
        .filter(|g| page.shows(Target::Group(*g)))
        .collect();
    let top_indicators: Vec<Target> = (0..rulebook.indicators.len())
        .map(Target::Indicator)
        .filter(|t| rulebook.rule(*t).group.is_none())
        .filter(|t| page.shows(*t))
        .collect();
    let mut out = Vec::new();
    for &g in &top_groups {
        if rulebook.is_required(Target::Group(g)) {
            out.push(group_section(page, g, SectionKind::Prerequisite));
        }
    }
    let pick = |keep: &dyn Fn(Target) -> bool| -> Vec<Target> {
        top_indicators
            .iter()
            .copied()
            .filter(|t| keep(*t))
            .collect()
    };
    let is_required = |t: Target| rulebook.is_required(t);
    let pays = |t: Target| rulebook.rule(t).payment.is_some();
    let gated = |t: Target| !rulebook.gates(t).is_empty();
    let plain = [
        (
            SectionKind::Prerequisite,
            "prerequis",
            ["Indicateur prérequis", "Indicateurs prérequis"],
            pick(&is_required),
        ),
        (
            SectionKind::Complementary,
            "complementaires",
            ["Indicateur complémentaire", "Indicateurs complémentaires"],
            pick(&|t| !is_required(t) && pays(t) && gated(t)),
        ),
        (
            SectionKind::Independent,
            "independants",
            ["Indicateur indépendant", "Indicateurs indépendants"],
            pick(&|t| !is_required(t) && pays(t) && !gated(t)),
        ),
        (
            SectionKind::Other,
            "autres",
            ["Autre indicateur", "Autres indicateurs"],
            pick(&|t| !is_required(t) && !pays(t)),
        ),
    ];
    for (kind, id, [one, many], members) in plain {
        if members.is_empty() {
            continue;
        }
        let mut rows = Vec::new();
        for m in &members {
            push_rows(page, *m, 0, &mut rows);
        }
        out.push(Section {
            id: id.into(),
            kind,
            title: if members.len() == 1 { one } else { many }.into(),
            group: None,
            guide_section: None,
            rule: plain_rule(page, kind, &members),
            summary: plain_summary(rulebook, kind, &members),
            quotes: Vec::new(),
            rows,
        });
    }
    for &g in &top_groups {
        if !rulebook.is_required(Target::Group(g)) {
            let kind = match rulebook.groups[g].kind {
                GroupKind::EachOf => SectionKind::EachOf,
                GroupKind::AllOf => SectionKind::Group,
            };
            out.push(group_section(page, g, kind));
        }
    }
    out
}

fn plain_rule(page: &Page<'_>, kind: SectionKind, members: &[Target]) -> Vec<String> {
    let rulebook = page.rulebook;
    let each = if members.len() == 1 {
        "Il est"
    } else {
        "Chacun est"
    };
    match kind {
        SectionKind::Prerequisite => {
            let mut rule = Vec::new();
            for m in members {
                rule.push(prerequisite_of(page, *m));
            }
            rule
        }
        SectionKind::Complementary => {
            let first = rulebook.gates(members[0]);
            if members.iter().all(|m| rulebook.gates(*m) == first) {
                vec![format!(
                    "{each} {} : atteint seul, il ne rapporte rien.",
                    gate_words(rulebook, first)
                )]
            } else {
                vec![format!(
                    "{each} versé seulement si son prérequis est atteint (voir « Versement »)."
                )]
            }
        }
        SectionKind::Independent => vec![format!(
            "{each} versé dès qu'il est atteint, quel que soit le résultat des autres indicateurs."
        )],
        _ => vec![
            "Ces indicateurs ne rapportent rien par eux-mêmes et aucune règle ne les requiert."
                .into(),
        ],
    }
}

fn plain_summary(rulebook: &CompiledRulebook, kind: SectionKind, members: &[Target]) -> String {
    let paid = if members.len() == 1 {
        "payé"
    } else {
        "payés"
    };
    match kind {
        SectionKind::Prerequisite => "requis par d'autres indicateurs".into(),
        SectionKind::Complementary => {
            let first = rulebook.gates(members[0]);
            if members.iter().all(|m| rulebook.gates(*m) == first) {
                short_gate(rulebook, first)
            } else {
                format!("{paid} si le prérequis est atteint")
            }
        }
        SectionKind::Independent => format!("{paid} quel que soit le résultat des autres"),
        _ => "sans montant".into(),
    }
}

/// `si « Volet 1 : ... » est atteint`, for the table.
fn short_gate(rulebook: &CompiledRulebook, gates: &[Target]) -> String {
    let labels: Vec<String> = gates
        .iter()
        .map(|g| {
            format!(
                "« {} »",
                french::pages::mid_sentence(&rulebook.rule(*g).label)
            )
        })
        .collect();
    french::if_met(&labels)
}

/// `Prérequis de : « A » (§1.6), « B » (§II).`
fn prerequisite_of(page: &Page<'_>, target: Target) -> String {
    let rulebook = page.rulebook;
    let of: Vec<String> = rulebook
        .required_by(target)
        .filter(|t| page.shows(*t))
        .map(|t| super::cite_in_sentence(rulebook, t))
        .collect();
    let who = match target {
        Target::Group(_) => "Ce groupe".to_string(),
        Target::Indicator(_) => cite(rulebook, target),
    };
    format!("{who} est le prérequis de : {}.", of.join(", "))
}

fn group_section(page: &Page<'_>, g: usize, kind: SectionKind) -> Section {
    let rulebook = page.rulebook;
    let group = &rulebook.groups[g];
    let mut rule = vec![members_rule(group.kind).to_string()];
    match (group.head.payment, group.head.gates.is_empty()) {
        (Some(p), true) => rule.push(format!(
            "Atteint, le groupe verse {}, quel que soit le résultat des autres indicateurs.",
            variants_words(rulebook, &page.variants(p)).0
        )),
        (Some(p), false) => rule.push(format!(
            "Atteint, le groupe verse {} : {}.",
            variants_words(rulebook, &page.variants(p)).0,
            gate_words(rulebook, &group.head.gates)
        )),
        (None, false) => rule.push(format!(
            "{} {}.",
            match group.kind {
                GroupKind::EachOf => "Chaque montant de ce groupe est",
                GroupKind::AllOf => "Ce qu'il compte est",
            },
            gate_words(rulebook, &group.head.gates)
        )),
        (None, true) => {}
    }
    if kind == SectionKind::Prerequisite {
        rule.push(prerequisite_of(page, Target::Group(g)));
    }
    let mut summary = match group.kind {
        GroupKind::AllOf => "tous requis".to_string(),
        GroupKind::EachOf => "chacun payé séparément".to_string(),
    };
    if !group.head.gates.is_empty() {
        summary = format!("{summary}, {}", short_gate(rulebook, &group.head.gates));
    }
    let mut rows = Vec::new();
    for m in &group.members {
        push_rows(page, *m, 0, &mut rows);
    }
    Section {
        id: group.head.name.clone(),
        kind,
        title: group.head.label.clone(),
        group: Some(group.head.name.clone()),
        guide_section: group.section.as_deref().map(GuideSection::of),
        rule,
        summary,
        quotes: group.head.quotes.clone(),
        rows,
    }
}

fn members_rule(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::AllOf => "Tous ses indicateurs doivent être atteints ; ceux qui sont neutralisés ou qui ne concernent pas le professionnel ne comptent pas.",
        GroupKind::EachOf => "Chaque indicateur est mesuré et payé séparément : il n'est pas nécessaire de tous les atteindre.",
    }
}

/// The rows of a target and, for a group, of its members.
fn push_rows(page: &Page<'_>, target: Target, depth: usize, rows: &mut Vec<Row>) {
    let rulebook = page.rulebook;
    if !page.shows(target) {
        return;
    }
    match target {
        Target::Indicator(i) => rows.push(indicator_row(page, i, depth)),
        Target::Group(g) => {
            let group = &rulebook.groups[g];
            rows.push(Row {
                id: format!("grp-{}", group.head.name),
                name: group.head.name.clone(),
                label: group.head.label.clone(),
                depth,
                is_group: true,
                guide_section: group.section.as_deref().map(GuideSection::of),
                source: None,
                amount: amount(page, target),
                evidence: None,
                met: Phrase::Leaf(members_rule(group.kind).into()),
                applies: None,
                neutralisations: Vec::new(),
                payment: payment_rule(rulebook, target),
                quotes: group.head.quotes.clone(),
                example: None,
            });
            for m in &group.members {
                push_rows(page, *m, depth + 1, rows);
            }
        }
    }
}

fn amount(page: &Page<'_>, target: Target) -> Amount {
    let rulebook = page.rulebook;
    if let Some(p) = rulebook.rule(target).payment {
        if page.variants(p).is_empty() {
            return Amount::None;
        }
        let (cell, variants) = variants_words(rulebook, &page.variants(p));
        return Amount::Own { cell, variants };
    }
    // Paid through the nearest group around it that pays.
    for g in rulebook.enclosing_groups(target) {
        if let Some(p) = rulebook.groups[g].head.payment {
            return Amount::InGroup {
                group: rulebook.groups[g].head.label.clone(),
                amount: variants_words(rulebook, &page.variants(p)).0,
            };
        }
    }
    Amount::None
}

fn payment_rule(rulebook: &CompiledRulebook, target: Target) -> Option<String> {
    let rule = rulebook.rule(target);
    rule.payment.map(|_| {
        if !rule.gates.is_empty() {
            gate_words(rulebook, &rule.gates)
        } else if rule.independent {
            "versé dès qu'il est atteint, indépendamment des autres indicateurs".into()
        } else {
            "versé dès qu'il est atteint".into()
        }
    })
}

fn indicator_row(page: &Page<'_>, i: usize, depth: usize) -> Row {
    let rulebook = page.rulebook;
    let ind = &rulebook.indicators[i];
    let neutralisations = ind
        .neutralisations
        .iter()
        .filter(|n| page.only.is_none_or(|o| o.may_hold(n.when.as_ref())))
        .map(|n| {
            let whom = match &n.when {
                None => "pour tous".to_string(),
                Some(c) => words::whom(
                    rulebook,
                    &c.expr,
                    ["pour", "pour toutes les professions sauf", "si"],
                ),
            };
            Neutralisation {
                short: format!("neutralisé {whom}"),
                full: format!("{whom} — « {} »", n.words),
            }
        })
        .collect();
    Row {
        id: format!("ind-{}", ind.head.name),
        name: ind.head.name.clone(),
        label: ind.head.label.clone(),
        depth,
        is_group: false,
        guide_section: Some(GuideSection::of(&ind.section)),
        source: Some(french::source(ind.source)),
        amount: amount(page, Target::Indicator(i)),
        evidence: ind.evidence.clone(),
        met: words::phrase(rulebook, &ind.met.expr),
        // On one profession's page, what surely applies to it says nothing.
        applies: ind
            .applies
            .as_ref()
            .filter(|c| page.only.is_none_or(|o| o.decide(Some(c)) != Some(true)))
            .map(|c| {
                words::whom(
                    rulebook,
                    &c.expr,
                    [
                        "uniquement pour",
                        "pour toutes les professions sauf",
                        "uniquement si",
                    ],
                )
            }),
        neutralisations,
        payment: payment_rule(rulebook, Target::Indicator(i)),
        quotes: ind.head.quotes.clone(),
        example: page.worked_example(i),
    }
}
