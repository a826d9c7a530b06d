//! Checking: names, types, gating and stated totals. Produces the compiled rulebook that
//! `eval` runs, or every error found (not only the first), plus warnings.

mod condition;
mod gating;
mod header;
mod maximum;
mod passes;

pub use maximum::{most_payable, MostPayable, TooManyProfiles};
use passes::{compiled_rulebook, inputs, lists, names, profession_scope, rules, totals, warnings};

use std::collections::HashMap;

use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use crate::diagnostics::{Error, MissingDefaultHint, NameKind, TypeName, ValueHint};
use crate::lang::closest;
use crate::model::*;
use crate::syntax::ast::{self, Span};
use crate::value::Value;

/// What `check` found: the compiled rulebook when there is no error, and every diagnostic.
#[derive(Debug)]
pub struct Checked {
    pub rulebook: Option<CompiledRulebook>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Error>,
}

/// What a name in the rulebook stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Named {
    Input(Slot),
    List(usize),
    Indicator(usize),
    Group(usize),
}

/// The state of checking: what is defined so far, and what has been used.
pub(crate) struct Scope<'s> {
    source: &'s str,
    names: HashMap<String, (Named, Span)>,
    inputs: Vec<InputDef>,
    input_spans: Vec<Span>,
    read: Vec<bool>,
    lists: Vec<ListDef>,
    list_used: Vec<bool>,
    /// Lists whose own declaration had an error.
    broken_lists: Vec<usize>,
}

impl<'s> Scope<'s> {
    fn input(&self, name: &str) -> Option<Slot> {
        match self.names.get(name) {
            Some((Named::Input(slot), _)) => Some(*slot),
            _ => None,
        }
    }

    fn list(&self, name: &str) -> Option<usize> {
        match self.names.get(name) {
            Some((Named::List(l), _)) => Some(*l),
            _ => None,
        }
    }

    /// The indicator or group a name stands for.
    fn rule(&self, name: &str) -> Option<Target> {
        match self.names.get(name) {
            Some((Named::Indicator(i), _)) => Some(Target::Indicator(*i)),
            Some((Named::Group(g), _)) => Some(Target::Group(*g)),
            _ => None,
        }
    }

    fn list_names(&self) -> Vec<&str> {
        self.lists.iter().map(|l| l.name.as_str()).collect()
    }

    fn mark_read(&mut self, slot: Slot) {
        self.read[slot] = true;
    }

    fn mark_list_used(&mut self, list: usize) {
        self.list_used[list] = true;
    }

    /// An unknown name, with the closest known name of any kind as a suggestion.
    fn unknown(&self, kind: NameKind, name: &str, span: Span) -> Error {
        let what = match self.names.get(name) {
            Some((Named::Indicator(_), _)) | Some((Named::Group(_), _)) => {
                return Error::RuleInCondition {
                    name: name.to_string(),
                    span: span.into(),
                }
            }
            Some((Named::List(_), _)) => {
                return Error::ListInCondition {
                    name: name.to_string(),
                    span: span.into(),
                }
            }
            _ => kind,
        };
        Error::UnknownName {
            kind: what,
            name: name.to_string(),
            span: span.into(),
            suggestion: closest(name, self.names.keys().map(String::as_str)),
        }
    }

    /// The index of `value` among the choices of input `slot`.
    fn choice(&self, slot: Slot, value: &str, span: Span) -> Result<u32, Error> {
        let InputType::Choice(choices) = &self.inputs[slot].ty else {
            return Err(Error::Internal);
        };
        match choices.iter().position(|c| c.name == value) {
            Some(i) => u32::try_from(i).map_err(|_| Error::Internal),
            None => Err(Error::UnknownValue {
                value: value.to_string(),
                input: self.inputs[slot].name.clone(),
                span: span.into(),
                hint: match closest(value, choices.iter().map(|c| c.name.as_str())) {
                    Some(likely) => ValueHint::DidYouMean(likely),
                    None => ValueHint::Values(choices.iter().map(|c| c.name.clone()).collect()),
                },
            }),
        }
    }
}

/// Checks a parsed rulebook read from `file_name` (the path as given): [`check`], and a
/// warning when the file name's leading year is not the `exercice`.
pub fn check_file(rulebook: &ast::Rulebook, source: &str, file_name: &str) -> Checked {
    let mut checked = check(rulebook, source);
    // Like every warning, only on a rulebook that checked.
    if checked.rulebook.is_some() {
        if let Some(warning) = header::file_name_warning(&rulebook.header, file_name) {
            checked.diagnostics.push(warning);
            checked.diagnostics.sort_by_key(first_offset);
        }
    }
    checked
}

/// Checks a parsed rulebook; `source` is its text (for condition texts and the hash).
///
/// The passes, in order, are in `passes`: names before anything, so that a rule may
/// refer to what is defined below it.
pub fn check(rulebook: &ast::Rulebook, source: &str) -> Checked {
    let mut errors = Vec::new();
    let header = &rulebook.header;
    let mut scope = profession_scope(header, source, &mut errors);
    names(rulebook, &mut scope, &mut errors);
    inputs(rulebook, &mut scope, &mut errors);
    lists(rulebook, &mut scope, &mut errors);
    let passes::Rules {
        indicators,
        groups,
        memberships,
        payments,
        pays_spans,
        gating_spans,
        rule_spans,
    } = rules(rulebook, &mut scope, &mut errors);
    let mut compiled = compiled_rulebook(
        header,
        source,
        indicators,
        groups,
        &memberships,
        payments,
        &mut errors,
    );
    gating::check(
        &mut compiled,
        &rule_spans,
        &gating_spans,
        &pays_spans,
        &mut errors,
    );
    let mut warnings = warnings(header, &compiled, &rule_spans, &scope);
    warnings.extend(passes::and_inside_or(rulebook, source));

    mark_always_read(&mut compiled, &mut scope);
    compiled.inputs = std::mem::take(&mut scope.inputs);
    compiled.lists = std::mem::take(&mut scope.lists);

    // Stated totals are verified only on rules that are otherwise sound.
    if errors.is_empty() {
        totals(rulebook, source, &scope, &mut compiled, &mut errors);
    }

    let ok = errors.is_empty();
    let mut diagnostics = errors;
    // "Never used" is only true of a rulebook that checked: a misspelt name in a condition
    // would otherwise also report the input it meant as unused.
    if ok {
        diagnostics.extend(warnings);
    }
    diagnostics.sort_by_key(first_offset);
    Checked {
        rulebook: ok.then_some(compiled),
        diagnostics,
    }
}

fn first_offset(error: &Error) -> usize {
    use miette::Diagnostic;
    error
        .labels()
        .and_then(|mut l| l.next())
        .map(|l| l.offset())
        .unwrap_or(0)
}

/// `sha256:` and the hex digest of a rulebook file's bytes: the `content_hash` of its
/// compiled rulebook (pages, outcomes), and what `forfait serve` lists for a file that does
/// not check.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn duplicate_values(of: &str, values: &[ast::EnumValue], errors: &mut Vec<Error>) {
    for (i, v) in values.iter().enumerate() {
        if let Some(first) = values[..i].iter().find(|f| f.name.text == v.name.text) {
            errors.push(Error::DuplicateValue {
                value: v.name.text.clone(),
                of: of.to_string(),
                span: v.name.span.into(),
                first: first.name.span.into(),
            });
        }
    }
}

fn input_def(input: &ast::Input) -> InputDef {
    let ty = match &input.ty {
        ast::InputType::YesNo => InputType::YesNo,
        ast::InputType::Count => InputType::Count,
        ast::InputType::Decimal => InputType::Decimal,
        ast::InputType::Date => InputType::Date,
        ast::InputType::Text => InputType::Text,
        ast::InputType::OneOf(values) => InputType::Choice(
            values
                .iter()
                .map(|v| Choice {
                    name: v.name.text.clone(),
                    label: v.label.as_ref().map(|l| l.value.clone()),
                })
                .collect(),
        ),
    };
    InputDef {
        name: input.name.text.clone(),
        label: input.label.value.clone(),
        ty,
        source: input.source,
        unit: input.unit.as_ref().map(|u| u.value.clone()),
        missing: MissingRule::Error,
        always_read: false,
    }
}

/// What a missing value of `input` becomes; the literal must fit the input's type.
fn missing_rule(scope: &Scope<'_>, slot: Slot, input: &ast::Input) -> Result<MissingRule, Error> {
    let literal = match &input.missing {
        ast::Missing::Error => return Ok(MissingRule::Error),
        ast::Missing::None => return Ok(MissingRule::Default(Value::Absent)),
        ast::Missing::Means(literal) => literal,
    };
    let ty = &scope.inputs[slot].ty;
    let value = match (ty, literal) {
        (InputType::YesNo, ast::Literal::YesNo(b, _)) => Some(Value::YesNo(*b)),
        (InputType::Count, ast::Literal::Number(n, _))
            if n.fract().is_zero() && !n.is_sign_negative() =>
        {
            u64::try_from(n.trunc().mantissa() / 10i128.pow(n.scale()))
                .ok()
                .map(Value::Count)
        }
        (InputType::Decimal, ast::Literal::Number(n, _)) => Some(Value::Decimal(*n)),
        (InputType::Date, ast::Literal::Date(d, _)) => Some(Value::Date(*d)),
        (InputType::Text, ast::Literal::Text(t)) => Some(Value::Text(t.value.clone())),
        (InputType::Choice(_), ast::Literal::Name(n)) => {
            Some(Value::Choice(scope.choice(slot, &n.text, n.span)?))
        }
        _ => None,
    };
    value
        .map(MissingRule::Default)
        .ok_or_else(|| Error::MissingDefaultType {
            input: input.name.text.clone(),
            ty: TypeName::of(ty),
            written: scope
                .source
                .get(literal.span().start..literal.span().end)
                .unwrap_or("")
                .to_string(),
            span: literal.span().into(),
            hint: match ty {
                InputType::YesNo => MissingDefaultHint::YesNo,
                InputType::Count => MissingDefaultHint::Count,
                InputType::Choice(_) => MissingDefaultHint::Choice,
                _ => MissingDefaultHint::Other,
            },
        })
}

fn list_def(scope: &Scope<'_>, list: &ast::List) -> Result<ListDef, Error> {
    let Some(slot) = scope.input(&list.of_input.text) else {
        return Err(scope.unknown(NameKind::Input, &list.of_input.text, list.of_input.span));
    };
    if !matches!(scope.inputs[slot].ty, InputType::Choice(_)) {
        return Err(Error::ListOfNonChoice {
            list: list.name.text.clone(),
            input: list.of_input.text.clone(),
            ty: TypeName::of(&scope.inputs[slot].ty),
            span: list.of_input.span.into(),
        });
    }
    let mut members = Vec::new();
    for value in &list.values {
        members.push(scope.choice(slot, &value.text, value.span)?);
    }
    Ok(ListDef {
        name: list.name.text.clone(),
        label: list.label.value.clone(),
        input: slot,
        section: list.section.as_ref().map(|s| s.value.clone()),
        members,
    })
}

fn indicator_def(
    scope: &mut Scope<'_>,
    ind: &ast::Indicator,
    errors: &mut Vec<Error>,
) -> IndicatorDef {
    let mut typed = |scope: &mut Scope<'_>, c: &ast::Condition| match condition::condition(scope, c)
    {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let applies = ind.applies.as_ref().and_then(|c| typed(scope, c));
    let met = typed(scope, &ind.met).unwrap_or(Condition {
        expr: Expr::Const(false),
        text: String::new(),
    });
    let neutralisations = ind
        .neutralisations
        .iter()
        .map(|n| NeutralisationDef {
            when: n.when.as_ref().and_then(|c| typed(scope, c)),
            words: n.words.value.clone(),
        })
        .collect();
    IndicatorDef {
        head: rule_head(&ind.name, &ind.label, &ind.quotes),
        section: ind.section.value.clone(),
        source: ind.source,
        evidence: ind.evidence.as_ref().map(|e| e.value.clone()),
        applies,
        met,
        neutralisations,
    }
}

/// An indicator's or a group's head as written: its gating, group and payment come later.
fn rule_head(name: &ast::Name, label: &ast::Text, quotes: &[ast::Text]) -> RuleHead {
    RuleHead::new(
        name.text.clone(),
        label.value.clone(),
        quotes.iter().map(|q| q.value.clone()).collect(),
    )
}

fn unknown_rule(scope: &Scope<'_>, name: &str, span: Span) -> Error {
    match scope.names.get(name) {
        Some((Named::Input(_), _)) | Some((Named::List(_), _)) => Error::NotARule {
            name: name.to_string(),
            span: span.into(),
        },
        _ => {
            let rules = scope
                .names
                .iter()
                .filter(|(_, (n, _))| matches!(n, Named::Indicator(_) | Named::Group(_)))
                .map(|(k, _)| k.as_str());
            Error::UnknownName {
                kind: NameKind::Rule,
                name: name.to_string(),
                span: span.into(),
                suggestion: closest(name, rules),
            }
        }
    }
}

fn gating_span(g: &ast::Gating) -> Span {
    match g {
        ast::Gating::Requires(n) => n.span,
        ast::Gating::Independent(s) => *s,
    }
}

/// `requires X` or `independent`.
fn gating(scope: &Scope<'_>, g: &ast::Gating) -> Result<(Option<Target>, bool), Error> {
    match g {
        ast::Gating::Independent(_) => Ok((None, true)),
        ast::Gating::Requires(name) => match scope.rule(&name.text) {
            Some(target) => Ok((Some(target), false)),
            None => Err(unknown_rule(scope, &name.text, name.span)),
        },
    }
}

fn payment_def(
    scope: &mut Scope<'_>,
    header: &ast::Header,
    owner: Target,
    pays: &ast::Pays,
    errors: &mut Vec<Error>,
) -> Option<PaymentDef> {
    let mut variants = Vec::new();
    let count = pays.variants.len();
    let mut ok = true;
    for (i, variant) in pays.variants.iter().enumerate() {
        let last = i + 1 == count;
        if variant.amount.value.is_sign_negative() {
            errors.push(Error::NegativeAmount {
                span: variant.amount.span.into(),
            });
            ok = false;
        }
        if variant.amount.unit == ast::AmountUnit::Points && header.point_value.is_none() {
            errors.push(Error::PointsWithoutPointValue {
                span: variant.amount.span.into(),
            });
            ok = false;
        }
        let when = match (&variant.guard, count, last) {
            (ast::Guard::Always, 1, _) => None,
            (ast::Guard::When(c), _, false) => match condition::condition(scope, c) {
                Ok(t) => Some(t),
                Err(e) => {
                    errors.push(e);
                    ok = false;
                    None
                }
            },
            (ast::Guard::Otherwise(_), n, true) if n > 1 => None,
            (guard, _, last) => {
                let amount = scope
                    .source
                    .get(variant.amount.span.start..variant.amount.span.end)
                    .unwrap_or("...")
                    .to_string();
                let span = variant.span.into();
                errors.push(match (guard, last) {
                    (ast::Guard::When(_), true) if count == 1 => {
                        Error::WhenWithoutOtherwise { amount, span }
                    }
                    (ast::Guard::When(_), true) | (ast::Guard::Always, true) => {
                        Error::LastWithoutOtherwise { amount, span }
                    }
                    (ast::Guard::Otherwise(_), _) => Error::OtherwiseNotLast { span },
                    _ => Error::AmountWithoutWhen { amount, span },
                });
                ok = false;
                None
            }
        };
        let per = match &variant.per {
            None => None,
            Some(name) => match scope.input(&name.text) {
                Some(slot) if scope.inputs[slot].ty == InputType::Count => {
                    scope.mark_read(slot);
                    Some(slot)
                }
                Some(slot) => {
                    errors.push(Error::PerNotCount {
                        input: name.text.clone(),
                        ty: TypeName::of(&scope.inputs[slot].ty),
                        span: name.span.into(),
                    });
                    ok = false;
                    None
                }
                None => {
                    errors.push(scope.unknown(NameKind::Input, &name.text, name.span));
                    ok = false;
                    None
                }
            },
        };
        let amount = variant.amount.value;
        let point_value = header
            .point_value
            .as_ref()
            .map_or(Decimal::ZERO, |p| p.value);
        let fixed_euros = match variant.amount.unit {
            ast::AmountUnit::Euros => Some(amount),
            ast::AmountUnit::Points => amount.checked_mul(point_value),
        };
        let Some(fixed_euros) = fixed_euros.map(crate::value::money::round_to_cents) else {
            errors.push(Error::AmountTooLarge {
                span: variant.amount.span.into(),
            });
            ok = false;
            continue;
        };
        // A count may reach u64::MAX: per unit, the euros must stay small enough that no
        // declaration can make a line overflow a decimal (lines stay under 10^26 EUR).
        if per.is_some() && !per_unit_fits(fixed_euros) {
            errors.push(Error::PerUnitOverflow {
                max_count: u64::MAX,
                limit: per_unit_limit(),
                span: variant.amount.span.into(),
            });
            ok = false;
            continue;
        }
        variants.push(AmountVariantDef {
            amount,
            unit: variant.amount.unit,
            per,
            when,
            fixed_euros,
        });
    }
    let in_points = variants.iter().all(|v| v.unit == ast::AmountUnit::Points);
    ok.then_some(PaymentDef {
        owner,
        variants,
        in_points,
    })
}

/// The largest euros a unit of a `per COUNT` amount may pay: times the largest count, under
/// 10^26 EUR (so that a line's cents, and the total of hundreds of such lines, fit a decimal).
fn per_unit_limit() -> Decimal {
    Decimal::from_i128_with_scale(10i128.pow(26) / i128::from(u64::MAX), 0)
}

fn per_unit_fits(euros_per_unit: Decimal) -> bool {
    euros_per_unit <= per_unit_limit()
}

/// Marks the inputs every declaration must carry: those read by rules that apply to every
/// profile and are never neutralised (used for the JSON Schema's `required`).
fn mark_always_read(compiled: &mut CompiledRulebook, scope: &mut Scope<'_>) {
    for (i, ind) in compiled.indicators.iter().enumerate() {
        let target = Target::Indicator(i);
        let for_everyone = ind.applies.is_none() && ind.neutralisations.is_empty();
        let read = if for_everyone {
            compiled.status_reads(target)
        } else {
            compiled.applicability_reads(target)
        };
        for slot in read {
            scope.inputs[slot].always_read = true;
        }
    }
}
