//! The explanations' register: conditions with the inputs' names and a declaration's
//! values (`profession = infirmier`, `taux actes_fse / actes_total = 68,0 % (680 / 1 000)`),
//! and the tree of an explained condition, whose nodes carry their kind.
//!
//! The same sentences serve a documentation page's worked examples ([`worked_example`]),
//! with the inputs' and values' labels in place of their names (a page's readers never see
//! a rulebook's names) and a count given in its unit (`1 800 actes FSE sur 2 000`).

use super::labels::choice_label;
use super::{
    always, any_value, big_count, comparator, count, rate, singular, threshold, ALL_HEADING,
    ANY_HEADING, NOT_HEADING,
};
use crate::eval::{ConditionTrace, Node, Note, Status};
use crate::model::{Comparator, CompiledRulebook, Expr, InputType, Slot, Term};
use crate::value::Value;

/// The value of `slot`, or "not given" when the outcome kept no values (evaluated without
/// trace, as a CSV batch does).
fn at(values: &[Value], slot: Slot) -> &Value {
    values.get(slot).unwrap_or(&Value::Missing)
}

/// A value as a reader sees it: `oui`, `1 000`, `31/01/2020`, `chirurgien_dentiste`.
pub fn value(rulebook: &CompiledRulebook, slot: Slot, value: &Value) -> String {
    any_value(value, "(vide)", |c| {
        rulebook.choice_name(slot, c).to_string()
    })
}

/// How the explained sentences name things: by the rulebook's names (explanations, the
/// changelog), or by their labels (a page's worked examples).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Register {
    Names,
    Labels,
}

impl Register {
    fn input(self, rulebook: &CompiledRulebook, slot: Slot) -> String {
        let input = &rulebook.inputs[slot];
        match self {
            Register::Names => input.name.clone(),
            Register::Labels => input.label.clone(),
        }
    }

    fn value(self, rulebook: &CompiledRulebook, slot: Slot, v: &Value) -> String {
        match self {
            Register::Names => value(rulebook, slot, v),
            Register::Labels => any_value(v, "(vide)", |c| choice_label(rulebook, slot, c)),
        }
    }

    /// A count in its unit, on a page: `12 flux DMP`, `1 acte FSE`.
    fn in_unit(self, rulebook: &CompiledRulebook, slot: Slot, v: &Value) -> Option<String> {
        let (Register::Labels, Value::Count(n)) = (self, v) else {
            return None;
        };
        let unit = rulebook.inputs[slot].unit.as_deref()?;
        Some(if *n == 1 {
            format!("1 {}", singular(unit))
        } else {
            format!("{} {unit}", count(*n))
        })
    }
}

fn term(
    rulebook: &CompiledRulebook,
    t: &Term,
    values: &[Value],
    other: &Term,
    register: Register,
) -> String {
    match t {
        Term::Input(slot) => {
            let v = at(values, *slot);
            register.in_unit(rulebook, *slot, v).unwrap_or_else(|| {
                format!(
                    "{} = {}",
                    register.input(rulebook, *slot),
                    register.value(rulebook, *slot, v)
                )
            })
        }
        Term::Const(v) => constant_in(rulebook, v, other, register),
    }
}

/// A constant compared with `other`: a choice is named through the input on the other side.
fn constant(rulebook: &CompiledRulebook, v: &Value, other: &Term) -> String {
    constant_in(rulebook, v, other, Register::Names)
}

fn constant_in(rulebook: &CompiledRulebook, v: &Value, other: &Term, register: Register) -> String {
    let slot = match other {
        Term::Input(s) => *s,
        Term::Const(_) => 0,
    };
    register.value(rulebook, slot, v)
}

/// The unit a count is counted in, for "20 actes FSE de plus": its declared unit, or
/// `unités de <name>`.
fn unit(rulebook: &CompiledRulebook, slot: Slot) -> String {
    rulebook.inputs[slot]
        .unit
        .clone()
        .unwrap_or_else(|| format!("unités de {}", rulebook.inputs[slot].name))
}

/// A condition in French words, without values: `profession = infirmier et
/// statut_infirmier = ipal`, `taux actes_fse / actes_total ≥ 70 %`.
pub fn condition(rulebook: &CompiledRulebook, expr: &Expr) -> String {
    let side = |t: &Term, other: &Term| match t {
        Term::Input(s) => rulebook.inputs[*s].name.clone(),
        Term::Const(v) => constant(rulebook, v, other),
    };
    match expr {
        Expr::Const(b) => always(*b).into(),
        Expr::Flag(slot) => rulebook.inputs[*slot].name.clone(),
        Expr::Compare { left, op, right } => format!(
            "{} {} {}",
            side(left, right),
            comparator(*op),
            side(right, left)
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
            threshold(threshold_text)
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

/// What an explained node is: a comparison, or a heading over its parts. One-line
/// explanations are built from the kind, never from the words of a heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainedKind {
    /// A comparison (or a constant): its text says it all.
    Leaf,
    /// `not`: its one child must not hold.
    Not,
    /// `all`: every child must hold.
    All,
    /// `any`: at least one child must hold.
    Any,
}

impl ExplainedKind {
    /// The heading a tree prints above the parts.
    pub fn heading(self) -> &'static str {
        match self {
            ExplainedKind::Leaf => "",
            ExplainedKind::Not => NOT_HEADING,
            ExplainedKind::All => ALL_HEADING,
            ExplainedKind::Any => ANY_HEADING,
        }
    }
}

/// One explained node of a condition and its children, for trees.
pub struct Explained {
    pub kind: ExplainedKind,
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
    explain_node(
        rulebook,
        expr,
        &trace.nodes,
        &mut index,
        values,
        Register::Names,
    )
}

/// A documentation page's worked example of an indicator: what decided its condition for
/// one example declaration, with the labels and units a professional reads, and the
/// indicator's status: `700 actes FSE sur 1 000 = 70,0 % ≥ 70 % → atteint`.
pub fn worked_example(
    rulebook: &CompiledRulebook,
    expr: &Expr,
    trace: &ConditionTrace,
    values: &[Value],
    status: Status,
) -> String {
    let mut index = 0;
    let explained = explain_node(
        rulebook,
        expr,
        &trace.nodes,
        &mut index,
        values,
        Register::Labels,
    );
    format!("{} → {}", one_line(&explained), super::status(status))
}

fn explain_node(
    rulebook: &CompiledRulebook,
    expr: &Expr,
    nodes: &[Node],
    index: &mut usize,
    values: &[Value],
    register: Register,
) -> Explained {
    let node = nodes.get(*index).copied().unwrap_or(Node {
        holds: false,
        note: Note::Decided,
    });
    *index += 1;
    let mut children = Vec::new();
    let kind = match expr {
        Expr::Not(_) => ExplainedKind::Not,
        Expr::All(_) => ExplainedKind::All,
        Expr::Any(_) => ExplainedKind::Any,
        _ => ExplainedKind::Leaf,
    };
    let text = match expr {
        Expr::Const(b) => always(*b).to_string(),
        Expr::Flag(slot) => {
            format!(
                "{} = {}",
                register.input(rulebook, *slot),
                register.value(rulebook, *slot, at(values, *slot))
            )
        }
        Expr::Compare { left, op, right } => {
            let shown_right = match right {
                Term::Input(s) => format!(
                    "{} ({})",
                    register.input(rulebook, *s),
                    register.value(rulebook, *s, at(values, *s))
                ),
                Term::Const(_) => term(rulebook, right, values, left, register),
            };
            let left_text = term(rulebook, left, values, right, register);
            let left_name = match left {
                Term::Input(s) => register.input(rulebook, *s),
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
            threshold: reach,
            threshold_text,
        } => {
            let (n, d) = (at(values, *numerator), at(values, *denominator));
            let names = format!(
                "taux {} / {}",
                register.input(rulebook, *numerator),
                register.input(rulebook, *denominator)
            );
            let shown_threshold = threshold(threshold_text);
            match (n, d, node.note) {
                (_, _, Note::ZeroDenominator) => format!(
                    "{names} : aucun {} ({} = 0), le taux n'a pas de valeur ; seuil {} {} non atteint",
                    // `aucun acte` with a unit, `aucun actes_total` without: never `aucun
                    // unités de`.
                    rulebook.inputs[*denominator]
                        .unit
                        .as_deref()
                        .unwrap_or(&rulebook.inputs[*denominator].name),
                    rulebook.inputs[*denominator].name,
                    comparator(*op),
                    shown_threshold
                ),
                (Value::Count(n), Value::Count(d), _) => {
                    // `1 800 actes FSE sur 2 000 = 90,0 %` on a page, `taux actes_fse /
                    // actes_total = 90,0 % (1 800 / 2 000)` in an explanation.
                    let measured = match register.in_unit(rulebook, *numerator, &Value::Count(*n)) {
                        Some(part) => format!("{part} sur {} = {}", count(*d), rate(*n, *d)),
                        None => format!("{names} = {} ({} / {})", rate(*n, *d), count(*n), count(*d)),
                    };
                    let mut text = format!(
                        "{measured} {} {}",
                        if node.holds { comparator(*op) } else { "; seuil" },
                        if node.holds {
                            shown_threshold.clone()
                        } else {
                            format!("{} {}", comparator(*op), shown_threshold)
                        }
                    );
                    if !node.holds && matches!(op, Comparator::AtLeast | Comparator::Above) {
                        let mut needed = reach.least_numerator_reaching(*d);
                        if *op == Comparator::Above
                            && reach.compare_rate(u64::try_from(needed).unwrap_or(u64::MAX), *d)
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
            let v = register.value(rulebook, *input, at(values, *input));
            let set = match (list, register) {
                (Some(l), Register::Names) => format!(
                    "la liste {} ({})",
                    rulebook.lists[*l].name, rulebook.lists[*l].label
                ),
                (Some(l), Register::Labels) => format!(
                    "la liste « {} »",
                    super::pages::mid_sentence(&rulebook.lists[*l].label)
                ),
                (None, _) => format!(
                    "({})",
                    members
                        .iter()
                        .map(|m| register.value(rulebook, *input, &Value::Choice(*m)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let verb = if node.holds {
                "figure dans"
            } else {
                "ne figure pas dans"
            };
            format!(
                "{} = {v}, qui {verb} {set}",
                register.input(rulebook, *input)
            )
        }
        Expr::Not(inner) => {
            children.push(explain_node(
                rulebook, inner, nodes, index, values, register,
            ));
            kind.heading().to_string()
        }
        Expr::All(parts) | Expr::Any(parts) => {
            for p in parts {
                children.push(explain_node(rulebook, p, nodes, index, values, register));
            }
            kind.heading().to_string()
        }
    };
    Explained {
        kind,
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
        format!("{} {unit} de plus l'auraient atteint", big_count(gap))
    }
}

/// The reasons that decided a condition, flattened to one line: the failing parts when it
/// does not hold, every part when it does.
pub fn one_line(explained: &Explained) -> String {
    let mut parts = Vec::new();
    collect(explained, &mut parts);
    parts.join(" ; ")
}

fn collect(e: &Explained, parts: &mut Vec<String>) {
    let all = match e.kind {
        ExplainedKind::Leaf => {
            parts.push(e.text.clone());
            return;
        }
        ExplainedKind::Not => {
            let mut inner = Vec::new();
            for c in &e.children {
                collect(c, &mut inner);
            }
            parts.push(format!("non ({})", inner.join(" ; ")));
            return;
        }
        ExplainedKind::All => true,
        ExplainedKind::Any => false,
    };
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

    fn node(kind: ExplainedKind, text: &str, holds: bool, children: Vec<Explained>) -> Explained {
        Explained {
            kind,
            text: text.into(),
            holds,
            children,
        }
    }

    fn leaf(text: &str, holds: bool) -> Explained {
        node(ExplainedKind::Leaf, text, holds, Vec::new())
    }

    /// One-line explanations follow the nodes' kinds: the headings' words (reworded, or
    /// written like another heading) change nothing.
    #[test]
    fn one_line_reads_kinds_not_headings() {
        let failing_all = |heading: &str| {
            node(
                ExplainedKind::All,
                heading,
                false,
                vec![leaf("a = oui", true), leaf("b = non, et non oui", false)],
            )
        };
        // Prefix matching took any heading not starting with `toutes` for `any`, and
        // listed the part that held.
        for heading in [ALL_HEADING, "chacune de ces conditions :", ""] {
            assert_eq!(one_line(&failing_all(heading)), "b = non, et non oui");
        }
        // An `any` whose heading starts with the words of `all`'s.
        let any = node(
            ExplainedKind::Any,
            "toutes ou une seule de ces conditions :",
            true,
            vec![leaf("a = oui", true), leaf("b = non, et non oui", false)],
        );
        assert_eq!(one_line(&any), "a = oui");
        // A `not` reworded, and a leaf whose text starts with the words of `not`'s heading.
        let not = node(
            ExplainedKind::Not,
            "il est exclu que :",
            false,
            vec![leaf("a = oui", true)],
        );
        assert_eq!(one_line(&not), "non (a = oui)");
        let sentence = leaf("il ne faut pas oublier = oui", true);
        assert_eq!(one_line(&sentence), "il ne faut pas oublier = oui");
    }
}
