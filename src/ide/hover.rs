//! What hovering a name shows, in French for the policy staff who edit rulebooks, in
//! Markdown. Values are written by `french` (amounts, sections, sources, types); the few
//! words of an editor's hover are here.

use crate::fmt::condition;
use crate::french;
use crate::model;
use crate::syntax::ast::{self, Item, Rulebook};

use super::index::{NameIndex, SymbolId, SymbolKind};

/// The word for each kind of name.
pub fn kind_word(kind: SymbolKind) -> &'static str {
    match kind {
        SymbolKind::Input => "entrée",
        SymbolKind::List => "liste",
        SymbolKind::Indicator => "indicateur",
        SymbolKind::Group => "groupe",
        SymbolKind::Choice => "valeur",
    }
}

/// At most this many values are listed; the rest are counted.
const MAX_VALUES: usize = 12;

/// The hover of a symbol, in Markdown.
pub fn symbol(rulebook: &Rulebook, index: &NameIndex, id: SymbolId) -> Option<String> {
    let symbol = index.symbol(id)?;
    if symbol.builtin {
        let values = index.choices(id).map(|(_, s)| s.name.clone()).collect();
        return Some(format!(
            "**entrée** `profession` (intégrée)\n\nLa profession de la déclaration ; ses valeurs sont les professions de l'en-tête.\n\n- valeurs : {}",
            names_list(values)
        ));
    }
    if symbol.kind == SymbolKind::Choice {
        let owner = symbol.owner.and_then(|o| index.symbol(o))?;
        let label = choice_label(rulebook, owner.item, &symbol.name);
        let title = if owner.builtin {
            format!("**profession** `{}`", symbol.name)
        } else {
            format!("**valeur** `{}` de l'entrée `{}`", symbol.name, owner.name)
        };
        return Some(match label {
            Some(label) => format!("{title}\n\n{label}"),
            None => title,
        });
    }
    match rulebook.items.get(symbol.item?)? {
        Item::Input(input) => Some(input_hover(input)),
        Item::List(list) => Some(list_hover(list)),
        Item::Indicator(indicator) => Some(indicator_hover(rulebook, index, id, indicator)),
        Item::Group(group) => Some(group_hover(rulebook, index, id, group)),
        Item::StatedTotal(_) => None,
    }
}

fn choice_label(rulebook: &Rulebook, item: Option<usize>, name: &str) -> Option<String> {
    let values = match item.and_then(|i| rulebook.items.get(i)) {
        Some(Item::Input(ast::Input {
            ty: ast::InputType::OneOf(values),
            ..
        })) => values,
        Some(_) => return None,
        None => &rulebook.header.professions,
    };
    values
        .iter()
        .find(|v| v.name.text == name)
        .and_then(|v| v.label.as_ref())
        .map(|l| l.value.clone())
}

fn title(kind: &str, name: &str, section: Option<&ast::Text>, label: &ast::Text) -> String {
    let section = section.map_or(String::new(), |s| {
        format!(" — {}", french::section(&s.value))
    });
    format!("**{kind}** `{name}`{section}\n\n{}", label.value)
}

fn names_list(names: Vec<String>) -> String {
    let count = names.len();
    let mut shown: Vec<String> = names
        .into_iter()
        .take(MAX_VALUES)
        .map(|n| format!("`{n}`"))
        .collect();
    if count > MAX_VALUES {
        shown.push(format!("… ({count} en tout)"));
    }
    shown.join(", ")
}

fn input_hover(input: &ast::Input) -> String {
    let mut out = title("entrée", &input.name.text, None, &input.label);
    let ty = match &input.ty {
        ast::InputType::OneOf(values) => format!(
            "une valeur parmi {}",
            names_list(values.iter().map(|v| v.name.text.clone()).collect())
        ),
        other => {
            let ty = match other {
                ast::InputType::YesNo => model::InputType::YesNo,
                ast::InputType::Count => model::InputType::Count,
                ast::InputType::Decimal => model::InputType::Decimal,
                ast::InputType::Date => model::InputType::Date,
                _ => model::InputType::Text,
            };
            french::type_word(&ty).unwrap_or("").to_string()
        }
    };
    out.push_str(&format!("\n\n- type : {ty}"));
    if let Some(unit) = &input.unit {
        out.push_str(&format!(" (en {})", unit.value));
    }
    out.push_str(&format!("\n- source : {}", french::source(input.source)));
    let missing = match &input.missing {
        ast::Missing::Error => {
            "erreur : la déclaration est rejetée si une règle en a besoin".to_string()
        }
        ast::Missing::None => "reste non renseignée".to_string(),
        ast::Missing::Means(literal) => format!("vaut {}", literal_words(literal)),
    };
    out.push_str(&format!("\n- si elle manque : {missing}"));
    out
}

fn literal_words(literal: &ast::Literal) -> String {
    match literal {
        ast::Literal::Number(n, _) => french::number(*n),
        ast::Literal::Date(d, _) => french::date(d),
        ast::Literal::Text(t) => format!("« {} »", t.value),
        ast::Literal::YesNo(b, _) => french::yes_no(*b).to_string(),
        ast::Literal::Name(n) => format!("`{}`", n.text),
    }
}

fn list_hover(list: &ast::List) -> String {
    let mut out = title("liste", &list.name.text, list.section.as_ref(), &list.label);
    out.push_str(&format!(
        "\n\n- valeurs de `{}` : {}",
        list.of_input.text,
        names_list(list.values.iter().map(|v| v.text.clone()).collect())
    ));
    out
}

fn amount(a: &ast::Amount) -> String {
    match a.unit {
        ast::AmountUnit::Euros => french::euros(a.value),
        ast::AmountUnit::Points => french::points(a.value),
    }
}

fn pays_words(pays: &ast::Pays) -> String {
    pays.variants
        .iter()
        .map(|v| {
            let mut text = amount(&v.amount);
            if let Some(per) = &v.per {
                text.push_str(&format!(" par unité de `{}`", per.text));
            }
            match &v.guard {
                ast::Guard::Always => {}
                ast::Guard::When(c) => text.push_str(&format!(" quand `{}`", condition(c))),
                ast::Guard::Otherwise(_) => text = format!("sinon {text}"),
            }
            text
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// The group that lists `id` among its members, if any.
fn group_of<'r>(rulebook: &'r Rulebook, index: &NameIndex, id: SymbolId) -> Option<&'r ast::Group> {
    rulebook.items.iter().find_map(|item| match item {
        Item::Group(g) if g.members.iter().any(|m| index.item(&m.text) == Some(id)) => Some(g),
        _ => None,
    })
}

/// `requires`, `independent`, or the group the rule's payment waits with.
fn gating_words(
    rulebook: &Rulebook,
    index: &NameIndex,
    id: SymbolId,
    gating: Option<&ast::Gating>,
) -> String {
    let own = match gating {
        Some(ast::Gating::Requires(name)) => Some(format!("requiert `{}`", name.text)),
        Some(ast::Gating::Independent(_)) => Some("indépendant".to_string()),
        None => None,
    };
    let group = group_of(rulebook, index, id).map(|g| {
        let kind = match g.kind {
            ast::GroupKind::AllOf => "all-of",
            ast::GroupKind::EachOf => "each-of",
        };
        let gate = match &g.gating {
            Some(ast::Gating::Requires(name)) => format!(", qui requiert `{}`", name.text),
            Some(ast::Gating::Independent(_)) => ", indépendant".to_string(),
            None => String::new(),
        };
        format!("membre du groupe `{}` ({kind}{gate})", g.name.text)
    });
    match (own, group) {
        (Some(own), Some(group)) => format!("{own} ; {group}"),
        (Some(own), None) => own,
        (None, Some(group)) => group,
        (None, None) => "non précisé".to_string(),
    }
}

fn first_quote(out: &mut String, quotes: &[ast::Text]) {
    if let Some(q) = quotes.first() {
        out.push_str(&format!("\n\n> {}", q.value));
    }
}

fn indicator_hover(
    rulebook: &Rulebook,
    index: &NameIndex,
    id: SymbolId,
    indicator: &ast::Indicator,
) -> String {
    let mut out = title(
        "indicateur",
        &indicator.name.text,
        Some(&indicator.section),
        &indicator.label,
    );
    out.push_str(&format!(
        "\n\n- source : {}",
        french::source(indicator.source)
    ));
    if let Some(a) = &indicator.applies {
        out.push_str(&format!("\n- concerne : `{}`", condition(a)));
    }
    out.push_str(&format!("\n- atteint si : `{}`", condition(&indicator.met)));
    if !indicator.neutralisations.is_empty() {
        out.push_str("\n- neutralisé : ");
        out.push_str(
            &indicator
                .neutralisations
                .iter()
                .map(|n| match &n.when {
                    Some(c) => format!("quand `{}`", condition(c)),
                    None => "pour tous".to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ; "),
        );
    }
    match &indicator.pays {
        Some(p) => out.push_str(&format!("\n- paie : {}", pays_words(p))),
        None => out.push_str("\n- paie : rien par lui-même"),
    }
    out.push_str(&format!(
        "\n- versement : {}",
        gating_words(rulebook, index, id, indicator.gating.as_ref())
    ));
    first_quote(&mut out, &indicator.quotes);
    out
}

fn group_hover(rulebook: &Rulebook, index: &NameIndex, id: SymbolId, group: &ast::Group) -> String {
    let mut out = title(
        "groupe",
        &group.name.text,
        group.section.as_ref(),
        &group.label,
    );
    let kind = match group.kind {
        ast::GroupKind::AllOf => "atteint quand tous ses membres le sont (all-of)",
        ast::GroupKind::EachOf => "chaque membre paie pour lui-même (each-of)",
    };
    out.push_str(&format!(
        "\n\n- {kind} : {}",
        names_list(group.members.iter().map(|m| m.text.clone()).collect())
    ));
    match &group.pays {
        Some(p) => out.push_str(&format!("\n- paie : {}", pays_words(p))),
        None => out.push_str("\n- paie : rien par lui-même"),
    }
    out.push_str(&format!(
        "\n- versement : {}",
        gating_words(rulebook, index, id, group.gating.as_ref())
    ));
    first_quote(&mut out, &group.quotes);
    out
}
