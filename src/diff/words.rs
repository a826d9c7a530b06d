//! The rulebook's parts in the changelog's French words: sections, types, amounts, the
//! scope of a stated total, how a rule is paid, and the summaries of an added or removed
//! indicator or group.

use rust_decimal::Decimal;

use crate::french;
use crate::model::{
    AmountUnit, AmountVariantDef, CompiledRulebook, Condition, GroupKind, InputType, MissingRule,
    PaymentDef, Slot, Target,
};

/// `§1.4`, or `« Les 5 indicateurs prérequis »` for a heading.
pub(super) fn section_text(section: &str) -> String {
    match french::GuideSection::of(section) {
        french::GuideSection::Numbered(s) => s,
        french::GuideSection::Part(s) => format!("« {s} »"),
    }
}

/// A section that may be absent: `§1.4`, `(aucune)`.
pub(super) fn optional_section(section: &Option<String>) -> String {
    section
        .as_deref()
        .map(section_text)
        .unwrap_or_else(|| "(aucune)".into())
}

/// `si <condition>`, or `otherwise` when there is no condition (`pour tous`, `sinon`).
pub(super) fn when_or(rb: &CompiledRulebook, when: &Option<Condition>, otherwise: &str) -> String {
    match when {
        None => otherwise.to_string(),
        Some(c) => format!("si {}", french::condition(rb, &c.expr)),
    }
}

pub(super) fn group_kind(k: GroupKind) -> &'static str {
    match k {
        GroupKind::AllOf => "tous requis (all-of)",
        GroupKind::EachOf => "chacun pour soi (each-of)",
    }
}

/// A type in the changelog: `oui / non`, `un parmi (a, b)` (the values' names).
pub(super) fn input_type(ty: &InputType) -> String {
    match (ty, french::type_word(ty)) {
        (InputType::Choice(choices), _) => format!(
            "un parmi ({})",
            choices
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (_, word) => word.unwrap_or_default().into(),
    }
}

/// What a missing value does: `rejette la déclaration`, `vaut non`.
pub(super) fn missing(rb: &CompiledRulebook, slot: Slot) -> String {
    match &rb.inputs[slot].missing {
        MissingRule::Error => "rejette la déclaration".into(),
        MissingRule::Default(v) => format!("vaut {}", french::value(rb, slot, v)),
    }
}

/// `100,00 €`, `22,5 points`.
pub(super) fn sum(amount: Decimal, unit: AmountUnit) -> String {
    match unit {
        AmountUnit::Euros => french::euros(amount),
        AmountUnit::Points => french::points(amount),
    }
}

/// `100,00 €`, `22,5 points`, `1,00 € par dmp_ouverts`.
pub(super) fn amount(rb: &CompiledRulebook, v: &AmountVariantDef) -> String {
    let base = sum(v.amount, v.unit);
    match v.per {
        Some(slot) => format!("{base} par {}", rb.inputs[slot].name),
        None => base,
    }
}

/// Every variant: `1 120,00 € si ... ; 400,00 € si ... ; 100,00 € sinon`.
pub(super) fn amounts(rb: &CompiledRulebook, p: &PaymentDef) -> String {
    if let [single] = p.variants.as_slice() {
        if single.when.is_none() {
            return amount(rb, single);
        }
    }
    p.variants
        .iter()
        .map(|v| format!("{} {}", amount(rb, v), when_or(rb, &v.when, "sinon")))
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// `de socle, coordination, si profession ≠ infirmier`, `de tous les paiements`: the
/// profile in the changelog's words for conditions.
pub(super) fn total_scope(
    rb: &CompiledRulebook,
    scope: Option<Vec<String>>,
    profile: Option<&Condition>,
) -> String {
    let of = match scope {
        None => "de tous les paiements".to_string(),
        Some(names) => format!("de {}", names.join(", ")),
    };
    match profile {
        Some(p) => format!("{of}, si {}", french::condition(rb, &p.expr)),
        None => of,
    }
}

/// The rules some payment waits on (`requires`), in order: what "indépendant" is
/// independent of.
fn prerequisites(rb: &CompiledRulebook) -> Vec<String> {
    rb.required()
        .into_iter()
        .map(|t| rb.target_name(t).to_string())
        .collect()
}

/// Notes `ajoutés : a, b` and `retirés : c` (in `words`, agreed with what is listed): what
/// `new` has that `old` lacks, and the reverse. None when both list the same.
pub(super) fn moved(old: &[String], new: &[String], words: [&str; 2]) -> Vec<String> {
    [(words[0], new, old), (words[1], old, new)]
        .into_iter()
        .filter_map(|(word, these, others)| {
            let names: Vec<&str> = these
                .iter()
                .filter(|m| !others.contains(m))
                .map(String::as_str)
                .collect();
            (!names.is_empty()).then(|| format!("{word} : {}", names.join(", ")))
        })
        .collect()
}

/// `« a »`, `« b »`: names as the changelog quotes them.
fn quoted_names(names: impl Iterator<Item = String>) -> Vec<String> {
    names.map(|n| format!("« {n} »")).collect()
}

/// How a rule is paid: `300,00 €, indépendant de « socle »`, `100,00 €, payé seulement si
/// « socle » est atteint`.
fn paid_how(rb: &CompiledRulebook, owner: Target) -> Option<String> {
    let rule = rb.rule(owner);
    let p = rule.payment.and_then(|p| rb.payments.get(p))?;
    let gating = if rule.gates.is_empty() {
        let before: Vec<String> = prerequisites(rb)
            .into_iter()
            .filter(|n| *n != rule.name)
            .collect();
        match (rule.independent, before.is_empty()) {
            (_, true) => "indépendant".to_string(),
            _ => format!(
                "indépendant de {}",
                french::and_list(&quoted_names(before.into_iter()))
            ),
        }
    } else {
        let names = quoted_names(rule.gates.iter().map(|g| rb.target_name(*g).to_string()));
        format!("payé seulement {}", french::if_met(&names))
    };
    Some(format!("{}, {gating}", amounts(rb, p)))
}

/// An indicator in a few words (the headline) and the facts a reviewer checks (notes).
pub(super) fn indicator_summary(rb: &CompiledRulebook, i: usize) -> (String, Vec<String>) {
    let ind = &rb.indicators[i];
    let group = ind.head.group.map(|g| rb.groups[g].head.name.as_str());
    let headline = match (paid_how(rb, Target::Indicator(i)), group) {
        (Some(paid), _) => paid,
        (None, Some(g)) => format!("membre de « {g} », sans montant propre"),
        (None, None) => "sans montant".to_string(),
    };
    let mut notes = vec![
        format!("{} : {}", section_text(&ind.section), ind.head.label),
        format!(
            "{} : {}",
            french::pages::SOURCE.to_lowercase(),
            french::source(ind.source)
        ),
    ];
    if let Some(a) = &ind.applies {
        notes.push(format!("s'applique si {}", french::condition(rb, &a.expr)));
    }
    notes.push(format!(
        "atteint si {}",
        french::condition(rb, &ind.met.expr)
    ));
    for n in &ind.neutralisations {
        notes.push(format!(
            "neutralisé {} : « {} »",
            when_or(rb, &n.when, "pour tous"),
            n.words
        ));
    }
    if let (Some(g), true) = (group, ind.head.payment.is_some()) {
        notes.push(format!("membre de « {g} »"));
    }
    (headline, notes)
}

/// A group in a few words (its kind and members, how it is paid) and its label.
pub(super) fn group_summary(rb: &CompiledRulebook, g: usize) -> (String, Vec<String>) {
    let group = &rb.groups[g];
    let members: Vec<&str> = group.members.iter().map(|m| rb.target_name(*m)).collect();
    let mut headline = format!("{} : {}", group_kind(group.kind), members.join(", "));
    if let Some(paid) = paid_how(rb, Target::Group(g)) {
        headline.push_str(&format!(" ; {paid}"));
    }
    let mut notes = vec![match &group.section {
        Some(s) => format!("{} : {}", section_text(s), group.head.label),
        None => group.head.label.clone(),
    }];
    if let Some(parent) = group.head.group {
        notes.push(format!("membre de « {} »", rb.groups[parent].head.name));
    }
    (headline, notes)
}
