//! French wording of amounts, rates and conditions, shared by every output format.
//!
//! Explanations are for fund staff and professionals, so they are in French; a rate is
//! shown truncated (never rounded up to a threshold it does not reach), with the counts.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::eval::value::Value;
use crate::eval::{ConditionTrace, Node, Note, Status};
use crate::model::{Comparator, CompiledRulebook, Expr, InputType, Slot, Term};

/// A threshold as the French write it: `70 %`, `2/3`.
pub(crate) fn threshold_words(written: &str) -> String {
    written.replace(' ', "").replace('%', " %")
}

/// The value of `slot`, or "not given" when the outcome kept no values (evaluated without
/// trace, as a CSV batch does).
fn at(values: &[Value], slot: Slot) -> &Value {
    values.get(slot).unwrap_or(&Value::Missing)
}

/// `1 240,00 €`
pub fn euros(amount: Decimal) -> String {
    let mut a = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    a.rescale(2);
    let text = a.abs().to_string();
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let sign = if a.is_sign_negative() && !a.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{},{cents} €", group_thousands(whole))
}

/// `22,5 points`
pub fn points(amount: Decimal) -> String {
    let n = number(amount);
    if amount == Decimal::ONE {
        format!("{n} point")
    } else {
        format!("{n} points")
    }
}

/// A number the French way: `1 000`, `22,5`.
pub fn number(value: Decimal) -> String {
    let text = value.normalize().to_string();
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (text.clone(), None),
    };
    let (sign, digits) = match whole.strip_prefix('-') {
        Some(d) => ("-", d.to_string()),
        None => ("", whole),
    };
    match fraction {
        Some(f) => format!("{sign}{},{f}", group_thousands(&digits)),
        None => format!("{sign}{}", group_thousands(&digits)),
    }
}

pub fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// `68,0 %`, truncated to two decimals (`66,66 %` for 2/3).
pub fn rate(numerator: u64, denominator: u64) -> String {
    if denominator == 0 {
        return "sans valeur".into();
    }
    let hundredths = u128::from(numerator) * 10_000 / u128::from(denominator);
    let whole = hundredths / 100;
    let fraction = hundredths % 100;
    if fraction % 10 == 0 {
        format!(
            "{},{} %",
            group_thousands(&whole.to_string()),
            fraction / 10
        )
    } else {
        format!("{},{:02} %", group_thousands(&whole.to_string()), fraction)
    }
}

pub fn status(status: Status) -> &'static str {
    match status {
        Status::Met => "atteint",
        Status::NotMet => "non atteint",
        Status::Neutralised => "neutralisé",
        Status::NotApplicable => "sans objet",
    }
}

pub fn comparator(op: Comparator) -> &'static str {
    match op {
        Comparator::AtLeast => "≥",
        Comparator::AtMost => "≤",
        Comparator::Above => ">",
        Comparator::Below => "<",
        Comparator::Equal => "=",
        Comparator::NotEqual => "≠",
    }
}

/// A value as a reader sees it: `oui`, `1 000`, `31/01/2020`, `chirurgien_dentiste`.
pub fn value(rulebook: &CompiledRulebook, slot: Slot, value: &Value) -> String {
    match value {
        Value::Missing | Value::Absent => "non renseigné".into(),
        Value::YesNo(true) => "oui".into(),
        Value::YesNo(false) => "non".into(),
        Value::Count(n) => count(*n),
        Value::Decimal(d) => number(*d),
        Value::Date(d) => d.french(),
        Value::Text(t) if t.is_empty() => "(vide)".into(),
        Value::Text(t) => format!("« {t} »"),
        Value::Choice(c) => rulebook.choice_name(slot, *c).to_string(),
    }
}

fn term(rulebook: &CompiledRulebook, t: &Term, values: &[Value], other: &Term) -> String {
    match t {
        Term::Input(slot) => format!(
            "{} = {}",
            rulebook.inputs[*slot].name,
            value(rulebook, *slot, at(values, *slot))
        ),
        Term::Const(v) => {
            // A choice constant is named through the input on the other side.
            let slot = match other {
                Term::Input(s) => *s,
                Term::Const(_) => 0,
            };
            value(rulebook, slot, v)
        }
    }
}

/// The unit a count is counted in, for "20 actes FSE de plus".
fn unit(rulebook: &CompiledRulebook, slot: Slot) -> String {
    rulebook.inputs[slot]
        .unit
        .clone()
        .unwrap_or_else(|| format!("unités de {}", rulebook.inputs[slot].name))
}

/// A condition in French words, without values: `profession = infirmier et
/// statut_infirmier = ipal`, `taux actes_fse / actes_total ≥ 70 %`.
pub fn condition(rulebook: &CompiledRulebook, expr: &Expr) -> String {
    let constant = |t: &Term, other: &Term| match t {
        Term::Input(s) => rulebook.inputs[*s].name.clone(),
        Term::Const(v) => {
            let slot = match other {
                Term::Input(s) => *s,
                Term::Const(_) => 0,
            };
            match v {
                Value::Text(t) if t.is_empty() => "(vide)".into(),
                v => value(rulebook, slot, v),
            }
        }
    };
    match expr {
        Expr::Const(b) => if *b { "toujours" } else { "jamais" }.into(),
        Expr::Flag(slot) => rulebook.inputs[*slot].name.clone(),
        Expr::Compare { left, op, right } => format!(
            "{} {} {}",
            constant(left, right),
            comparator(*op),
            constant(right, left)
        ),
        Expr::Rate {
            numerator,
            denominator,
            op,
            threshold_text,
            ..
        } => format!(
            "taux {} / {} {} {}",
            rulebook.inputs[*numerator].name,
            rulebook.inputs[*denominator].name,
            comparator(*op),
            threshold_words(threshold_text)
        ),
        Expr::InSet {
            input,
            members,
            list,
        } => match list {
            Some(l) => format!(
                "{} dans {}",
                rulebook.inputs[*input].name, rulebook.lists[*l].name
            ),
            None => format!(
                "{} parmi ({})",
                rulebook.inputs[*input].name,
                members
                    .iter()
                    .map(|m| rulebook.choice_name(*input, *m))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        Expr::Not(inner) => format!("non ({})", condition(rulebook, inner)),
        Expr::All(parts) | Expr::Any(parts) => {
            let word = if matches!(expr, Expr::All(_)) {
                " et "
            } else {
                " ou "
            };
            parts
                .iter()
                .map(|p| match p {
                    Expr::All(_) | Expr::Any(_) => format!("({})", condition(rulebook, p)),
                    _ => condition(rulebook, p),
                })
                .collect::<Vec<_>>()
                .join(word)
        }
    }
}

/// `§1.4`, or the heading itself when the section is not numbered.
pub fn section(section: &str) -> String {
    let numbered = section.starts_with(|c: char| c.is_ascii_digit())
        || section
            .split(['.', ' '])
            .next()
            .is_some_and(|first| !first.is_empty() && first.chars().all(|c| "IVXL".contains(c)));
    if numbered {
        format!("§{section}")
    } else {
        section.to_string()
    }
}

/// One explained node of a condition and its children, for trees.
pub struct Explained {
    pub text: String,
    pub holds: bool,
    pub children: Vec<Explained>,
}

/// Explains a condition from its trace: each node in French with the values it read.
pub fn explain(
    rulebook: &CompiledRulebook,
    expr: &Expr,
    trace: &ConditionTrace,
    values: &[Value],
) -> Explained {
    let mut index = 0;
    explain_node(rulebook, expr, &trace.nodes, &mut index, values)
}

fn explain_node(
    rulebook: &CompiledRulebook,
    expr: &Expr,
    nodes: &[Node],
    index: &mut usize,
    values: &[Value],
) -> Explained {
    let node = nodes.get(*index).copied().unwrap_or(Node {
        holds: false,
        note: Note::Decided,
    });
    *index += 1;
    let mut children = Vec::new();
    let text = match expr {
        Expr::Const(b) => if *b { "toujours" } else { "jamais" }.to_string(),
        Expr::Flag(slot) => {
            let input = &rulebook.inputs[*slot];
            format!(
                "{} = {}",
                input.name,
                value(rulebook, *slot, at(values, *slot))
            )
        }
        Expr::Compare { left, op, right } => {
            let shown_right = match right {
                Term::Input(s) => format!(
                    "{} ({})",
                    rulebook.inputs[*s].name,
                    value(rulebook, *s, at(values, *s))
                ),
                Term::Const(_) => term(rulebook, right, values, left),
            };
            let left_text = term(rulebook, left, values, right);
            let left_name = match left {
                Term::Input(s) => rulebook.inputs[*s].name.clone(),
                Term::Const(_) => left_text.clone(),
            };
            match (node.note, node.holds, op) {
                (Note::NoValue, _, _) => {
                    format!(
                        "{left_name} non renseigné, alors qu'il faut {} {shown_right}",
                        comparator(*op)
                    )
                }
                (Note::Missing, _, _) => {
                    format!("{left_name} manquant (sans effet sur le résultat)")
                }
                // `profession = infirmier`, not `profession = infirmier = infirmier`.
                (_, true, Comparator::Equal) => left_text,
                (_, false, Comparator::Equal) => format!("{left_text}, et non {shown_right}"),
                (_, true, _) => format!("{left_text} {} {shown_right}", comparator(*op)),
                (_, false, _) => {
                    let mut text = format!(
                        "{left_text}, alors qu'il faut {} {shown_right}",
                        comparator(*op)
                    );
                    if let Some(gap) = count_gap(rulebook, left, *op, right, values) {
                        text.push_str(&format!(" ; {gap}"));
                    }
                    text
                }
            }
        }
        Expr::Rate {
            numerator,
            denominator,
            op,
            threshold,
            threshold_text,
        } => {
            let (n, d) = (at(values, *numerator), at(values, *denominator));
            let names = format!(
                "taux {} / {}",
                rulebook.inputs[*numerator].name, rulebook.inputs[*denominator].name
            );
            let shown_threshold = threshold_words(threshold_text);
            match (n, d, node.note) {
                (_, _, Note::ZeroDenominator) => format!(
                    "{names} : aucun {} ({} = 0), le taux n'a pas de valeur ; seuil {} {} non atteint",
                    unit(rulebook, *denominator).trim_start_matches("unités de "),
                    rulebook.inputs[*denominator].name,
                    comparator(*op),
                    shown_threshold
                ),
                (Value::Count(n), Value::Count(d), _) => {
                    let mut text = format!(
                        "{names} = {} ({} / {}) {} {}",
                        rate(*n, *d),
                        count(*n),
                        count(*d),
                        if node.holds { comparator(*op) } else { "; seuil" },
                        if node.holds {
                            shown_threshold.clone()
                        } else {
                            format!("{} {}", comparator(*op), shown_threshold)
                        }
                    );
                    if !node.holds && matches!(op, Comparator::AtLeast | Comparator::Above) {
                        let mut needed = threshold.least_numerator_reaching(*d);
                        if *op == Comparator::Above
                            && threshold.compare_rate(u64::try_from(needed).unwrap_or(u64::MAX), *d)
                                == Some(std::cmp::Ordering::Equal)
                        {
                            needed += 1;
                        }
                        let gap = needed.saturating_sub(u128::from(*n));
                        if u128::from(*d) >= needed {
                            text.push_str(&format!(" ; {}", more(gap, &unit(rulebook, *numerator))));
                        }
                    }
                    text
                }
                _ => format!("{names} : valeur non renseignée"),
            }
        }
        Expr::InSet {
            input,
            members,
            list,
        } => {
            let v = value(rulebook, *input, at(values, *input));
            let set = match list {
                Some(l) => format!(
                    "la liste {} ({})",
                    rulebook.lists[*l].name, rulebook.lists[*l].label
                ),
                None => format!(
                    "({})",
                    members
                        .iter()
                        .map(|m| rulebook.choice_name(*input, *m))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let verb = if node.holds {
                "figure dans"
            } else {
                "ne figure pas dans"
            };
            format!("{} = {v}, qui {verb} {set}", rulebook.inputs[*input].name)
        }
        Expr::Not(inner) => {
            children.push(explain_node(rulebook, inner, nodes, index, values));
            "il ne faut pas que :".to_string()
        }
        Expr::All(parts) | Expr::Any(parts) => {
            for p in parts {
                children.push(explain_node(rulebook, p, nodes, index, values));
            }
            if matches!(expr, Expr::All(_)) {
                "toutes ces conditions :".to_string()
            } else {
                "au moins une de ces conditions :".to_string()
            }
        }
    };
    Explained {
        text,
        holds: node.holds,
        children,
    }
}

/// For `count >= N` not met: "3 interventions de plus l'auraient atteint".
fn count_gap(
    rulebook: &CompiledRulebook,
    left: &Term,
    op: Comparator,
    right: &Term,
    values: &[Value],
) -> Option<String> {
    let get = |t: &Term| match t {
        Term::Input(s) => match at(values, *s) {
            Value::Count(n) => Some(*n),
            _ => None,
        },
        Term::Const(Value::Count(n)) => Some(*n),
        Term::Const(_) => None,
    };
    let (have, need) = (get(left)?, get(right)?);
    let need = match op {
        Comparator::AtLeast => need,
        Comparator::Above => need.saturating_add(1),
        _ => return None,
    };
    let unit = match left {
        Term::Input(s) if rulebook.inputs[*s].ty == InputType::Count => unit(rulebook, *s),
        _ => "unités".into(),
    };
    Some(more(u128::from(need.saturating_sub(have)), &unit))
}

/// "20 actes FSE de plus l'auraient atteint", "1 acte FSE de plus l'aurait atteint".
fn more(gap: u128, unit: &str) -> String {
    if gap == 1 {
        format!("1 {} de plus l'aurait atteint", singular(unit))
    } else {
        format!(
            "{} {unit} de plus l'auraient atteint",
            group_thousands(&gap.to_string())
        )
    }
}

/// `actes FSE` -> `acte FSE`: drops the plural `s` of lowercase words.
fn singular(unit: &str) -> String {
    unit.split(' ')
        .map(|w| match w.strip_suffix('s') {
            Some(stem)
                if stem.len() > 2 && w.chars().all(|c| c.is_lowercase() || !c.is_alphabetic()) =>
            {
                stem
            }
            _ => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The reasons that decided a condition, flattened to one line: the failing parts when it
/// does not hold, every part when it does.
pub fn one_line(explained: &Explained) -> String {
    let mut parts = Vec::new();
    collect(explained, &mut parts);
    parts.join(" ; ")
}

fn collect(e: &Explained, parts: &mut Vec<String>) {
    if e.children.is_empty() {
        parts.push(e.text.clone());
        return;
    }
    if e.text.starts_with("il ne faut pas") {
        let mut inner = Vec::new();
        for c in &e.children {
            collect(c, &mut inner);
        }
        parts.push(format!("non ({})", inner.join(" ; ")));
        return;
    }
    let all = e.text.starts_with("toutes");
    let relevant: Vec<&Explained> = if e.holds == all {
        e.children.iter().collect()
    } else {
        e.children.iter().filter(|c| c.holds == e.holds).collect()
    };
    for c in relevant {
        collect(c, parts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn money_and_numbers_the_french_way() {
        assert_eq!(euros(d("1240")), "1 240,00 €");
        assert_eq!(euros(d("157.5")), "157,50 €");
        assert_eq!(euros(d("0")), "0,00 €");
        assert_eq!(points(d("22.5")), "22,5 points");
        assert_eq!(number(d("1000000")), "1 000 000");
    }

    #[test]
    fn rates_are_truncated_never_rounded_up() {
        assert_eq!(rate(680, 1000), "68,0 %");
        assert_eq!(rate(699, 1000), "69,9 %");
        assert_eq!(rate(6999, 10000), "69,99 %");
        assert_eq!(rate(69999, 100000), "69,99 %");
        assert_eq!(rate(2, 3), "66,66 %");
        assert_eq!(rate(1, 1), "100,0 %");
        assert_eq!(rate(1, 0), "sans valeur");
    }

    #[test]
    fn how_far_agrees_in_number() {
        assert_eq!(more(1, "actes FSE"), "1 acte FSE de plus l'aurait atteint");
        assert_eq!(
            more(20, "actes FSE"),
            "20 actes FSE de plus l'auraient atteint"
        );
        assert_eq!(
            more(1, "DCMT dématérialisées"),
            "1 DCMT dématérialisée de plus l'aurait atteint"
        );
    }
}
