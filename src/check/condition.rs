//! Typing conditions: each operand gets a type from its input, and each comparison is
//! checked to make sense (a rate against a percentage, a count against a whole number...).

use rust_decimal::Decimal;

use super::Scope;
use crate::diagnostics::{
    CompareHint, Error, NameKind, OperandType, RatePart, TypeName, Unordered,
};
use crate::lang::closest;
use crate::model::{Comparator, Condition as TypedCondition, Expr, InputType, Slot, Term};
use crate::syntax::ast::{Condition, Operand, SetRef, Span};
use crate::value::ratio::Ratio;
use crate::value::Value;

/// Deeper conditions than this are refused rather than risk the checker's stack.
const MAX_DEPTH: usize = 64;
// (The parser refuses parentheses nested deeper than 32 first; chains of `not` count here.)

/// An operand once its type is known.
enum Typed {
    YesNo(Term),
    Count(Term),
    Decimal(Term),
    Date(Term),
    Text(Term),
    Choice(Slot, Term),
    /// A bare name that is not an input: a choice value, if the other side says so.
    Word(String, Span),
    Number(Decimal, Span),
    Rate(Slot, Slot),
    Threshold(Ratio, String),
}

impl Typed {
    fn describe(&self, scope: &Scope<'_>) -> OperandType {
        match self {
            Typed::YesNo(_) => OperandType::YesNo,
            Typed::Count(_) => OperandType::Count,
            Typed::Decimal(_) => OperandType::Decimal,
            Typed::Date(_) => OperandType::Date,
            Typed::Text(_) => OperandType::Text,
            Typed::Choice(slot, _) => {
                OperandType::ValueOf(scope.inputs[*slot].name.as_str().into())
            }
            Typed::Word(..) => OperandType::Name,
            Typed::Number(..) => OperandType::Number,
            Typed::Rate(..) => OperandType::Rate,
            Typed::Threshold(..) => OperandType::Threshold,
        }
    }
}

pub(super) fn condition(
    scope: &mut Scope<'_>,
    condition: &Condition,
) -> Result<TypedCondition, Error> {
    let expr = expr(scope, condition, 0)?;
    let span = condition.span();
    Ok(TypedCondition {
        expr,
        text: scope
            .source
            .get(span.start..span.end)
            .unwrap_or("")
            .to_string(),
    })
}

fn expr(scope: &mut Scope<'_>, condition: &Condition, depth: usize) -> Result<Expr, Error> {
    if depth > MAX_DEPTH {
        return Err(Error::ConditionTooDeep {
            max: MAX_DEPTH,
            span: condition.span().into(),
        });
    }
    match condition {
        Condition::Or(parts, _) => Ok(Expr::Any(
            parts
                .iter()
                .map(|p| expr(scope, p, depth + 1))
                .collect::<Result<_, _>>()?,
        )),
        Condition::And(parts, _) => Ok(Expr::All(
            parts
                .iter()
                .map(|p| expr(scope, p, depth + 1))
                .collect::<Result<_, _>>()?,
        )),
        Condition::Not(inner, _) => Ok(Expr::Not(Box::new(expr(scope, inner, depth + 1)?))),
        Condition::Holds(operand) => match operand_type(scope, operand)? {
            Typed::Word(word, span) => Err(bare_word(scope, &word, span)),
            Typed::YesNo(Term::Input(slot)) => Ok(Expr::Flag(slot)),
            Typed::YesNo(Term::Const(Value::YesNo(b))) => Ok(Expr::Const(b)),
            other => {
                let text = text_of(scope, operand.span());
                let span = operand.span().into();
                Err(match other {
                    Typed::Count(_) => Error::CountAsCondition { text, span },
                    Typed::Rate(..) => Error::RateAsCondition { text, span },
                    _ => Error::NotYesNo {
                        text,
                        what: other.describe(scope),
                        span,
                    },
                })
            }
        },
        Condition::Compare {
            left,
            op,
            right,
            span,
        } => compare(scope, left, *op, right, *span),
        Condition::Member { operand, set, span } => membership(scope, operand, set, *span),
    }
}

/// `oui`, `vrai`, `true` (any case): a yes/no value as people write it, which the language
/// writes `yes` or `no`.
fn yes_no_word(word: &str) -> Option<&'static str> {
    match word.to_lowercase().as_str() {
        "oui" | "vrai" | "true" => Some("yes"),
        "non" | "faux" | "false" => Some("no"),
        _ => None,
    }
}

/// A bare name used as a condition that is not a yes/no input: a typo, a rule, a list, or
/// a value written without its input.
fn bare_word(scope: &Scope<'_>, word: &str, span: Span) -> Error {
    let owner = scope.inputs.iter().find(|i| match &i.ty {
        InputType::Choice(choices) => choices.iter().any(|c| c.name == word),
        _ => false,
    });
    match owner {
        Some(input) => Error::ValueAsCondition {
            value: word.to_string(),
            input: input.name.clone(),
            span: span.into(),
        },
        None => scope.unknown(NameKind::Input, word, span),
    }
}

fn text_of(scope: &Scope<'_>, span: Span) -> String {
    scope
        .source
        .get(span.start..span.end)
        .unwrap_or("")
        .to_string()
}

fn operand_type(scope: &mut Scope<'_>, operand: &Operand) -> Result<Typed, Error> {
    Ok(match operand {
        Operand::Name(name) => match scope.input(&name.text) {
            Some(slot) => {
                scope.mark_read(slot);
                let term = Term::Input(slot);
                match &scope.inputs[slot].ty {
                    InputType::YesNo => Typed::YesNo(term),
                    InputType::Count => Typed::Count(term),
                    InputType::Decimal => Typed::Decimal(term),
                    InputType::Date => Typed::Date(term),
                    InputType::Text => Typed::Text(term),
                    InputType::Choice(_) => Typed::Choice(slot, term),
                }
            }
            None => Typed::Word(name.text.clone(), name.span),
        },
        Operand::Ratio(numerator, denominator, _) => {
            let n = count_input(scope, &numerator.text, numerator.span, RatePart::Numerator)?;
            let d = count_input(
                scope,
                &denominator.text,
                denominator.span,
                RatePart::Denominator,
            )?;
            Typed::Rate(n, d)
        }
        Operand::Number(value, span) => Typed::Number(*value, *span),
        Operand::Percent(value, span) => {
            let ratio = Ratio::from_percent(*value).ok_or_else(|| {
                if value.is_sign_negative() {
                    Error::ThresholdOutOfRange {
                        text: text_of(scope, *span),
                        span: (*span).into(),
                    }
                } else {
                    Error::InvalidNumber {
                        text: text_of(scope, *span),
                        span: (*span).into(),
                    }
                }
            })?;
            if ratio.is_above_one() {
                return Err(Error::ThresholdOutOfRange {
                    text: text_of(scope, *span),
                    span: (*span).into(),
                });
            }
            Typed::Threshold(ratio, text_of(scope, *span))
        }
        Operand::Fraction(top, bottom, span) => {
            let ratio = Ratio::new(*top, *bottom).ok_or_else(|| Error::ThresholdOutOfRange {
                text: text_of(scope, *span),
                span: (*span).into(),
            })?;
            if ratio.is_above_one() {
                return Err(Error::ThresholdOutOfRange {
                    text: text_of(scope, *span),
                    span: (*span).into(),
                });
            }
            Typed::Threshold(ratio, text_of(scope, *span))
        }
        Operand::Date(date, _) => Typed::Date(Term::Const(Value::Date(*date))),
        Operand::Text(text) => Typed::Text(Term::Const(Value::Text(text.value.clone()))),
        Operand::YesNo(b, _) => Typed::YesNo(Term::Const(Value::YesNo(*b))),
    })
}

fn count_input(
    scope: &mut Scope<'_>,
    name: &str,
    span: Span,
    role: RatePart,
) -> Result<Slot, Error> {
    match scope.input(name) {
        Some(slot) if scope.inputs[slot].ty == InputType::Count => {
            scope.mark_read(slot);
            Ok(slot)
        }
        Some(slot) => Err(Error::RatePartNotCount {
            role,
            input: name.to_string(),
            ty: TypeName::of(&scope.inputs[slot].ty),
            span: span.into(),
        }),
        None => Err(scope.unknown(NameKind::Input, name, span)),
    }
}

fn compare(
    scope: &mut Scope<'_>,
    left: &Operand,
    op: Comparator,
    right: &Operand,
    span: Span,
) -> Result<Expr, Error> {
    let l = operand_type(scope, left)?;
    let r = operand_type(scope, right)?;
    let ordering = !matches!(op, Comparator::Equal | Comparator::NotEqual);
    let mismatch =
        |scope: &Scope<'_>, l: &Typed, r: &Typed, hint: Option<CompareHint>| Error::CannotCompare {
            left: l.describe(scope),
            right: r.describe(scope),
            left_text: text_of(scope, left.span()).into(),
            right_text: text_of(scope, right.span()).into(),
            span: span.into(),
            hint,
        };
    let unordered = |what: Unordered| Error::Unordered {
        what,
        op: op.symbol(),
        span: span.into(),
    };
    match (l, r) {
        (Typed::Rate(n, d), Typed::Threshold(t, text)) => Ok(rate(n, d, op, t, text)),
        (Typed::Threshold(t, text), Typed::Rate(n, d)) => Ok(rate(n, d, flip(op), t, text)),
        (Typed::Rate(..), Typed::Number(n, _)) | (Typed::Number(n, _), Typed::Rate(..)) => {
            Err(mismatch(
                scope,
                &Typed::Rate(0, 0),
                &Typed::Number(Decimal::ZERO, span),
                Some(CompareHint::RateWithNumber {
                    percent: crate::value::ratio::as_percent(n).map(String::into_boxed_str),
                }),
            ))
        }
        (Typed::Count(a), Typed::Count(b)) => Ok(Expr::Compare {
            left: a,
            op,
            right: b,
        }),
        (Typed::Count(a), Typed::Number(n, nspan)) => {
            let b = whole(scope, n, nspan)?;
            Ok(Expr::Compare {
                left: a,
                op,
                right: b,
            })
        }
        (Typed::Number(n, nspan), Typed::Count(b)) => {
            let a = whole(scope, n, nspan)?;
            Ok(Expr::Compare {
                left: a,
                op,
                right: b,
            })
        }
        (Typed::Decimal(a), Typed::Decimal(b)) => Ok(Expr::Compare {
            left: a,
            op,
            right: b,
        }),
        (Typed::Decimal(a), Typed::Number(n, _)) => Ok(Expr::Compare {
            left: a,
            op,
            right: Term::Const(Value::Decimal(n)),
        }),
        (Typed::Number(n, _), Typed::Decimal(b)) => Ok(Expr::Compare {
            left: Term::Const(Value::Decimal(n)),
            op,
            right: b,
        }),
        (Typed::Date(a), Typed::Date(b)) => Ok(Expr::Compare {
            left: a,
            op,
            right: b,
        }),
        (Typed::Text(a), Typed::Text(b)) => {
            if ordering {
                return Err(unordered(Unordered::Texts));
            }
            Ok(Expr::Compare {
                left: a,
                op,
                right: b,
            })
        }
        (Typed::YesNo(a), Typed::YesNo(b)) => {
            if ordering {
                return Err(unordered(Unordered::YesNo));
            }
            Ok(Expr::Compare {
                left: a,
                op,
                right: b,
            })
        }
        (Typed::Choice(slot, a), other) | (other, Typed::Choice(slot, a)) => {
            if ordering {
                return Err(unordered(Unordered::Choices));
            }
            let b = match other {
                Typed::Word(word, wspan) => {
                    Term::Const(Value::Choice(scope.choice(slot, &word, wspan)?))
                }
                Typed::Choice(other_slot, term)
                    if scope.inputs[other_slot].ty == scope.inputs[slot].ty =>
                {
                    term
                }
                other => {
                    return Err(mismatch(
                        scope,
                        &Typed::Choice(slot, Term::Input(slot)),
                        &other,
                        Some(CompareHint::ChoiceValue {
                            input: scope.inputs[slot].name.clone(),
                        }),
                    ))
                }
            };
            Ok(Expr::Compare {
                left: a,
                op,
                right: b,
            })
        }
        (Typed::Word(word, wspan), _) | (_, Typed::Word(word, wspan)) => {
            Err(match yes_no_word(&word) {
                Some(write) => Error::YesNoWord {
                    written: word,
                    write,
                    span: wspan.into(),
                },
                None => scope.unknown(NameKind::Input, &word, wspan),
            })
        }
        (l, r) => {
            let help = match (&l, &r) {
                (Typed::YesNo(_), _) | (_, Typed::YesNo(_)) => Some(CompareHint::YesNo),
                (Typed::Count(_), Typed::Threshold(..))
                | (Typed::Threshold(..), Typed::Count(_)) => Some(CompareHint::CountWithThreshold),
                _ => None,
            };
            Err(mismatch(scope, &l, &r, help))
        }
    }
}

fn rate(
    numerator: Slot,
    denominator: Slot,
    op: Comparator,
    threshold: Ratio,
    text: String,
) -> Expr {
    Expr::Rate {
        numerator,
        denominator,
        op,
        threshold,
        threshold_text: text,
    }
}

/// `3 <= x` is `x >= 3`.
fn flip(op: Comparator) -> Comparator {
    match op {
        Comparator::AtLeast => Comparator::AtMost,
        Comparator::AtMost => Comparator::AtLeast,
        Comparator::Above => Comparator::Below,
        Comparator::Below => Comparator::Above,
        same => same,
    }
}

fn whole(scope: &Scope<'_>, n: Decimal, span: Span) -> Result<Term, Error> {
    let whole = (n.fract().is_zero() && !n.is_sign_negative())
        .then(|| u64::try_from(n.trunc().mantissa() / 10i128.pow(n.scale())).ok())
        .flatten();
    match whole {
        Some(w) => Ok(Term::Const(Value::Count(w))),
        None => Err(Error::NotWholeNumber {
            text: text_of(scope, span),
            span: span.into(),
        }),
    }
}

fn membership(
    scope: &mut Scope<'_>,
    operand: &Operand,
    set: &SetRef,
    span: Span,
) -> Result<Expr, Error> {
    let slot = match operand_type(scope, operand)? {
        Typed::Choice(slot, Term::Input(_)) => slot,
        Typed::Word(word, wspan) => return Err(scope.unknown(NameKind::Input, &word, wspan)),
        other => {
            return Err(Error::InNeedsChoice {
                what: other.describe(scope),
                span: span.into(),
            })
        }
    };
    match set {
        SetRef::Values(names, _) => {
            let mut members = Vec::new();
            for name in names {
                members.push(scope.choice(slot, &name.text, name.span)?);
            }
            Ok(Expr::InSet {
                input: slot,
                members,
                list: None,
            })
        }
        SetRef::List(name) => {
            let Some(list) = scope.list(&name.text) else {
                let names: Vec<&str> = scope.list_names();
                return Err(Error::UnknownName {
                    kind: NameKind::List,
                    name: name.text.clone(),
                    span: name.span.into(),
                    suggestion: closest(&name.text, names),
                });
            };
            scope.mark_list_used(list);
            if scope.broken_lists.contains(&list) {
                // Its own error was reported where the list is declared.
                return Ok(Expr::Const(false));
            }
            let list_input = scope.lists[list].input;
            if scope.inputs[list_input].ty != scope.inputs[slot].ty {
                return Err(Error::ListOfOtherInput {
                    list: name.text.clone(),
                    list_input: scope.inputs[list_input].name.clone(),
                    input: scope.inputs[slot].name.clone(),
                    span: name.span.into(),
                });
            }
            Ok(Expr::InSet {
                input: slot,
                members: scope.lists[list].members.clone(),
                list: Some(list),
            })
        }
    }
}
