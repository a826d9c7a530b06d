//! The pages' register: conditions written with the inputs' labels (not their names),
//! amounts the way the guides print them (`1 120 €`, `22,5 points`).
//!
//! [`super::explanation`] words explanations of one declaration, with its values; this
//! module words the rules themselves, for readers who never see a rulebook's names.

use rust_decimal::Decimal;

use super::{always, any_value, comparator, money, points, singular, threshold, type_word, yes_no};
use crate::model::{
    AmountUnit, AmountVariantDef, Comparator, CompiledRulebook, Expr, InputType, Slot, Term,
    PROFESSION,
};
use crate::value::Value;

/// A condition in words, as a tree: each leaf is one comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phrase {
    Leaf(String),
    /// Every part must hold.
    All(Vec<Phrase>),
    /// At least one part must hold.
    Any(Vec<Phrase>),
    /// The part must not hold.
    Not(Box<Phrase>),
}

impl Phrase {
    /// On one line: `A et [B ou C]`. Square brackets group, since labels hold parentheses.
    pub fn inline(&self) -> String {
        let join = |parts: &[Phrase], word: &str| {
            parts
                .iter()
                .map(|p| match p {
                    Phrase::All(_) | Phrase::Any(_) => format!("[{}]", p.inline()),
                    _ => p.inline(),
                })
                .collect::<Vec<_>>()
                .join(word)
        };
        match self {
            Phrase::Leaf(text) => text.clone(),
            Phrase::All(parts) => join(parts, " et "),
            Phrase::Any(parts) => join(parts, " ou "),
            Phrase::Not(inner) => format!("non [{}]", inner.inline()),
        }
    }
}

/// `Infirmiers` -> `infirmiers`, but `IPAL` stays `IPAL`.
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_string(),
    }
}

/// The label of a `one of` value, or its name when it has none.
pub fn choice_label(rulebook: &CompiledRulebook, slot: Slot, index: u32) -> String {
    match &rulebook.inputs[slot].ty {
        InputType::Choice(choices) => choices
            .get(index as usize)
            .map(|c| c.label.clone().unwrap_or_else(|| c.name.clone()))
            .unwrap_or_else(|| "?".into()),
        _ => "?".into(),
    }
}

/// A constant as a reader writes it: `oui`, `3`, `31/01/2020`, `« MSP »`, a value's label.
fn constant(rulebook: &CompiledRulebook, slot: Slot, value: &Value) -> String {
    any_value(value, "un texte vide", |c| choice_label(rulebook, slot, c))
}

/// `≥` read from the other side: `3 <= x` is `x >= 3`.
fn flipped(op: Comparator) -> Comparator {
    match op {
        Comparator::AtLeast => Comparator::AtMost,
        Comparator::AtMost => Comparator::AtLeast,
        Comparator::Above => Comparator::Below,
        Comparator::Below => Comparator::Above,
        other => other,
    }
}

fn compare(rulebook: &CompiledRulebook, left: &Term, op: Comparator, right: &Term) -> String {
    let (left, op, right) = match (left, right) {
        (Term::Const(_), Term::Input(_)) => (right, flipped(op), left),
        _ => (left, op, right),
    };
    let Term::Input(slot) = left else {
        let show = |t: &Term| match t {
            Term::Const(v) => constant(rulebook, PROFESSION, v),
            Term::Input(s) => rulebook.inputs[*s].label.clone(),
        };
        return format!("{} {} {}", show(left), comparator(op), show(right));
    };
    let label = &rulebook.inputs[*slot].label;
    let (equal, not_equal) = (op == Comparator::Equal, op == Comparator::NotEqual);
    match right {
        Term::Input(other) => format!(
            "{label} {} {}",
            comparator(op),
            rulebook.inputs[*other].label
        ),
        Term::Const(Value::Text(t)) if t.is_empty() && not_equal => {
            format!("{label} : renseigné (non vide)")
        }
        Term::Const(Value::Text(t)) if t.is_empty() && equal => format!("{label} : vide"),
        Term::Const(Value::YesNo(b)) if equal || not_equal => {
            let yes = *b == equal;
            format!("{label} : {}", yes_no(yes))
        }
        Term::Const(v @ (Value::Choice(_) | Value::Text(_))) if equal || not_equal => {
            let shown = constant(rulebook, *slot, v);
            if equal {
                format!("{label} : {shown}")
            } else {
                format!("{label} : autre que {shown}")
            }
        }
        Term::Const(v) => format!(
            "{label} {} {}",
            comparator(op),
            constant(rulebook, *slot, v)
        ),
    }
}

/// A condition in words, with the inputs' labels.
pub fn phrase(rulebook: &CompiledRulebook, expr: &Expr) -> Phrase {
    let label = |slot: &Slot| rulebook.inputs[*slot].label.clone();
    match expr {
        Expr::Const(b) => Phrase::Leaf(always(*b).into()),
        Expr::Flag(slot) => Phrase::Leaf(format!("{} : oui", label(slot))),
        Expr::Compare { left, op, right } => Phrase::Leaf(compare(rulebook, left, *op, right)),
        Expr::Rate {
            numerator,
            denominator,
            op,
            threshold_text,
            ..
        } => Phrase::Leaf(format!(
            "taux : {} / {} {} {}",
            label(numerator),
            label(denominator),
            comparator(*op),
            threshold(threshold_text)
        )),
        Expr::InSet {
            input,
            members,
            list,
        } => Phrase::Leaf(match list {
            Some(l) => format!(
                "{} : une valeur de la liste « {} »",
                label(input),
                super::pages::mid_sentence(&rulebook.lists[*l].label)
            ),
            None => format!(
                "{} : {}",
                label(input),
                super::or_list(
                    &members
                        .iter()
                        .map(|m| choice_label(rulebook, *input, *m))
                        .collect::<Vec<_>>()
                )
            ),
        }),
        Expr::Not(inner) => match inner.as_ref() {
            Expr::Flag(slot) => Phrase::Leaf(format!("{} : non", label(slot))),
            other => Phrase::Not(Box::new(phrase(rulebook, other))),
        },
        Expr::All(parts) => Phrase::All(parts.iter().map(|p| phrase(rulebook, p)).collect()),
        Expr::Any(parts) => Phrase::Any(parts.iter().map(|p| phrase(rulebook, p)).collect()),
    }
}

/// The professions a condition on `profession` alone selects: `(true, values)` for
/// "only these", `(false, values)` for "all but these". `None` for any other condition.
fn profession_scope(rulebook: &CompiledRulebook, expr: &Expr) -> Option<(bool, Vec<u32>)> {
    match expr {
        Expr::Compare {
            left: Term::Input(PROFESSION),
            op,
            right: Term::Const(Value::Choice(c)),
        }
        | Expr::Compare {
            left: Term::Const(Value::Choice(c)),
            op,
            right: Term::Input(PROFESSION),
        } => match op {
            Comparator::Equal => Some((true, vec![*c])),
            Comparator::NotEqual => Some((false, vec![*c])),
            _ => None,
        },
        Expr::InSet {
            input: PROFESSION,
            members,
            list,
        } => Some((
            true,
            match list {
                Some(l) => rulebook.lists[*l].members.clone(),
                None => members.clone(),
            },
        )),
        Expr::Not(inner) => profession_scope(rulebook, inner).map(|(only, v)| (!only, v)),
        _ => None,
    }
}

/// Whom a condition selects, for `applies when`, `neutralised when` and a total's `for`:
/// `uniquement pour : infirmiers, orthophonistes, orthoptistes` when it tests the
/// profession alone (`only` or `all_but` then the professions), else `only_if` and the
/// condition in words (`pour : infirmiers, si ...` when it also tests the profession).
pub fn whom(
    rulebook: &CompiledRulebook,
    expr: &Expr,
    [only, all_but, only_if]: [&str; 3],
) -> String {
    let professions = |expr: &Expr| {
        profession_scope(rulebook, expr).map(|(selects, values)| {
            let names: Vec<String> = values
                .iter()
                .map(|v| lower_first(&choice_label(rulebook, PROFESSION, *v)))
                .collect();
            format!(
                "{} : {}",
                if selects { only } else { all_but },
                names.join(", ")
            )
        })
    };
    if let Some(words) = professions(expr) {
        return words;
    }
    // `profession = infirmier and statut = ipal`: `pour : infirmiers, si Statut ...`.
    if let Expr::All(parts) = expr {
        let (head, rest): (Vec<&Expr>, Vec<&Expr>) = parts
            .iter()
            .partition(|p| profession_scope(rulebook, p).is_some());
        if let ([head], [_, ..]) = (head.as_slice(), rest.as_slice()) {
            let rest = match rest.as_slice() {
                [one] => phrase(rulebook, one),
                many => Phrase::All(many.iter().map(|p| phrase(rulebook, p)).collect()),
            };
            if let Some(words) = professions(head) {
                return format!("{words}, {only_if} {}", rest.inline());
            }
        }
    }
    format!("{only_if} {}", phrase(rulebook, expr).inline())
}

/// `490 €`, `22,5 points (157,50 €)`.
pub fn amount(rulebook: &CompiledRulebook, value: Decimal, unit: AmountUnit) -> String {
    match (unit, rulebook.meta.point_value) {
        (AmountUnit::Euros, _) => money(value),
        (AmountUnit::Points, Some(point)) => {
            format!("{} ({})", points(value), money(value * point))
        }
        (AmountUnit::Points, None) => points(value),
    }
}

/// One amount variant without its condition: `350 €`, `1 € par DMP ouvert`.
pub fn variant_amount(rulebook: &CompiledRulebook, variant: &AmountVariantDef) -> String {
    let base = amount(rulebook, variant.amount, variant.unit);
    match variant.per {
        Some(slot) => {
            let input = &rulebook.inputs[slot];
            match &input.unit {
                Some(unit) => format!("{base} par {}", singular(unit)),
                None => format!("{base} par unité de « {} »", input.label),
            }
        }
        None => base,
    }
}

/// An input's type in words: `oui / non`, `nombre entier (actes FSE)`.
pub fn input_type(ty: &InputType, unit: Option<&str>) -> String {
    match (ty, type_word(ty), unit) {
        (InputType::Choice(choices), ..) if choices.len() == 1 => {
            "une seule valeur possible".into()
        }
        (InputType::Choice(choices), ..) => format!("une valeur parmi {}", choices.len()),
        (InputType::Date, ..) => "date (jj/mm/aaaa ou aaaa-mm-jj)".into(),
        (InputType::Count | InputType::Decimal, Some(word), Some(u)) => format!("{word} ({u})"),
        (_, word, _) => word.unwrap_or_default().into(),
    }
}

/// A constant for "what a missing value means": `non`, `0`, `un texte vide`.
pub fn default_value(rulebook: &CompiledRulebook, slot: Slot, value: &Value) -> String {
    constant(rulebook, slot, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_the_french_way() {
        assert_eq!(lower_first("Infirmiers"), "infirmiers");
        assert_eq!(lower_first("IPAL"), "IPAL");
    }

    #[test]
    fn phrases_group_with_brackets() {
        let p = Phrase::All(vec![
            Phrase::Leaf("A (x)".into()),
            Phrase::Any(vec![Phrase::Leaf("B".into()), Phrase::Leaf("C".into())]),
        ]);
        assert_eq!(p.inline(), "A (x) et [B ou C]");
    }
}
