//! What the declaration carries (inputs and their values), the named lists, and the
//! guide's stated totals.

use super::{cite, InputDoc, ListDoc, Page, TotalDoc};
use crate::french::{self, labels as words, GuideSection};
use crate::model::{CompiledRulebook, Expr, MissingRule, Slot, PROFESSION};

pub(super) fn inputs(page: &Page<'_>) -> Vec<InputDoc> {
    let rulebook = page.rulebook;
    let reads: Vec<(&str, Vec<Slot>)> = rulebook
        .targets()
        .filter(|t| page.shows(*t))
        .map(|t| (rulebook.target_name(t), rulebook.reads(t)))
        .collect();
    rulebook
        .inputs
        .iter()
        .enumerate()
        .filter(|(slot, _)| page.only.is_none_or(|o| o.reads(*slot)))
        .map(|(slot, input)| {
            let read_by = reads
                .iter()
                .filter(|(_, read)| read.contains(&slot))
                .map(|(name, _)| name.to_string())
                .collect();
            let values = match &input.ty {
                crate::model::InputType::Choice(choices) => choices
                    .iter()
                    // One profession's page declares that profession only.
                    .filter(|c| slot != PROFESSION || page.only.is_none_or(|o| o.name() == c.name))
                    .map(|c| {
                        (
                            c.name.clone(),
                            c.label.clone().unwrap_or_else(|| c.name.clone()),
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            };
            InputDoc {
                name: input.name.clone(),
                label: input.label.clone(),
                ty: words::input_type(&input.ty, input.unit.as_deref()),
                values,
                source: french::source(input.source),
                missing: missing(rulebook, slot),
                read_by,
            }
        })
        .collect()
}

fn missing(rulebook: &CompiledRulebook, slot: usize) -> String {
    let input = &rulebook.inputs[slot];
    match &input.missing {
        MissingRule::Default(v) if slot == PROFESSION => format!(
            "peut être omise : vaut « {} », la seule profession couverte",
            french::pages::mid_sentence(&words::default_value(rulebook, slot, v))
        ),
        MissingRule::Error if slot == PROFESSION => {
            "obligatoire : une déclaration sans profession est rejetée".into()
        }
        MissingRule::Error if input.always_read => {
            "obligatoire : une déclaration sans cette donnée est rejetée".into()
        }
        MissingRule::Error => {
            "rejette la déclaration si une règle en a besoin pour ce professionnel".into()
        }
        MissingRule::Default(crate::value::Value::Absent) => {
            "reste non renseignée : aucune comparaison avec elle n'est remplie".into()
        }
        MissingRule::Default(v) => format!(
            "vaut {}",
            french::pages::mid_sentence(&words::default_value(rulebook, slot, v))
        ),
    }
}

pub(super) fn lists(page: &Page<'_>) -> Vec<ListDoc> {
    let rulebook = page.rulebook;
    rulebook
        .lists
        .iter()
        .enumerate()
        .filter(|(l, _)| page.only.is_none_or(|o| !o.list_users(*l).is_empty()))
        .map(|(l, list)| ListDoc {
            name: list.name.clone(),
            label: list.label.clone(),
            guide_section: list.section.as_deref().map(GuideSection::of),
            input: rulebook.inputs[list.input].label.clone(),
            members: list
                .members
                .iter()
                .map(|m| {
                    (
                        rulebook.choice_name(list.input, *m).to_string(),
                        words::choice_label(rulebook, list.input, *m),
                    )
                })
                .collect(),
            used_by: rulebook
                .targets()
                .filter(|t| page.only.is_none_or(|o| o.list_users(l).contains(t)))
                .filter(|t| {
                    rulebook
                        .conditions(*t)
                        .iter()
                        .any(|c| uses_list(&c.expr, l))
                })
                .map(|t| rulebook.target_name(t).to_string())
                .collect(),
        })
        .collect()
}

fn uses_list(expr: &Expr, list: usize) -> bool {
    match expr {
        Expr::InSet { list: Some(l), .. } => *l == list,
        Expr::Not(e) => uses_list(e, list),
        Expr::All(es) | Expr::Any(es) => es.iter().any(|e| uses_list(e, list)),
        _ => false,
    }
}

pub(super) fn totals(page: &Page<'_>) -> Vec<TotalDoc> {
    let rulebook = page.rulebook;
    rulebook
        .stated_totals
        .iter()
        .filter(|t| page.only.is_none_or(|o| o.total_concerns(t)))
        .map(|t| TotalDoc {
            label: t.label.clone(),
            guide_section: t.section.as_deref().map(GuideSection::of),
            amount: words::amount(rulebook, t.amount, t.unit),
            scope: match &t.scope {
                None => "tous les versements".into(),
                Some(targets) => targets
                    .iter()
                    .map(|t| cite(rulebook, *t))
                    .collect::<Vec<_>>()
                    .join(", "),
            },
            profile: t.profile.as_ref().map(|c| {
                words::whom(
                    rulebook,
                    &c.expr,
                    ["pour", "pour toutes les professions sauf", "si"],
                )
            }),
        })
        .collect()
}

pub(super) fn uncounted(page: &Page<'_>) -> Vec<String> {
    let rulebook = page.rulebook;
    rulebook
        .payments
        .iter()
        .enumerate()
        .filter(|(i, p)| page.shows(p.owner) && !page.variants(*i).is_empty())
        .map(|(_, p)| p)
        .filter(|p| {
            !rulebook
                .stated_totals
                .iter()
                .filter(|t| page.only.is_none_or(|o| o.total_concerns(t)))
                .any(|t| match &t.scope {
                    None => true,
                    Some(scope) => scope.iter().any(|s| rulebook.is_within(p.owner, *s)),
                })
        })
        .map(|p| {
            let per = p.variants.iter().any(|v| v.per.is_some());
            format!(
                "{}{}",
                cite(rulebook, p.owner),
                if per {
                    " : payé par unité, il n'a pas de maximum"
                } else {
                    ""
                }
            )
        })
        .collect()
}
