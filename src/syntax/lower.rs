//! From pest's parse tree to the AST: one function per grammar rule.
//!
//! The grammar has already accepted the text, so the shape of each pair is known; a shape
//! this code does not expect is a bug in the grammar/lowering pair, reported as a syntax
//! error at that pair rather than a panic.

use pest::iterators::{Pair, Pairs};
use rust_decimal::Decimal;

use super::ast::*;
use super::Rule;
use crate::diagnostics::{Error, ItemKind, Part};
use crate::value::Date;

type Lowered<T> = Result<T, Error>;

/// Lowers a parsed `file`.
pub(super) fn file(pair: Pair<'_, Rule>) -> Lowered<Rulebook> {
    let comments = pair
        .clone()
        .into_inner()
        .flatten()
        .filter(|p| p.as_rule() == Rule::COMMENT)
        .map(|p| Comment {
            // Blanks at the end of a line are layout, not part of the comment.
            text: p.as_str().trim_end().to_string(),
            span: span(&p),
        })
        .collect();
    let mut parts = Parts::new(pair);
    let header = header(parts.next(Part::Header)?)?;
    let mut items = Vec::new();
    for pair in parts.rest() {
        match pair.as_rule() {
            Rule::input_decl => items.push(Item::Input(input(pair)?)),
            Rule::list_decl => items.push(Item::List(list(pair)?)),
            Rule::indicator_decl => items.push(Item::Indicator(Box::new(indicator(pair)?))),
            Rule::group_decl => items.push(Item::Group(group(pair)?)),
            Rule::stated_total => items.push(Item::StatedTotal(stated_total(pair)?)),
            Rule::EOI => {}
            _ => return Err(unexpected(&pair)),
        }
    }
    Ok(Rulebook {
        header,
        items,
        comments,
    })
}

/// The inner pairs of a pair, comments left out, consumed in order.
struct Parts<'i> {
    inner: std::iter::Peekable<std::vec::IntoIter<Pair<'i, Rule>>>,
    outer_span: Span,
}

impl<'i> Parts<'i> {
    fn new(pair: Pair<'i, Rule>) -> Self {
        let outer_span = span(&pair);
        Parts {
            inner: without_comments(pair.into_inner()).into_iter().peekable(),
            outer_span,
        }
    }

    fn next(&mut self, what: Part) -> Lowered<Pair<'i, Rule>> {
        self.inner.next().ok_or_else(|| Error::MissingPart {
            what,
            span: self.outer_span.into(),
        })
    }

    /// The next pair if it is of `rule`.
    fn take(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        if self.inner.peek().map(|p| p.as_rule()) == Some(rule) {
            self.inner.next()
        } else {
            None
        }
    }

    /// The next pairs while they are of `rule`.
    fn take_all(&mut self, rule: Rule) -> Vec<Pair<'i, Rule>> {
        let mut taken = Vec::new();
        while let Some(p) = self.take(rule) {
            taken.push(p);
        }
        taken
    }

    fn rest(self) -> impl Iterator<Item = Pair<'i, Rule>> {
        self.inner
    }
}

fn without_comments(pairs: Pairs<'_, Rule>) -> Vec<Pair<'_, Rule>> {
    pairs.filter(|p| p.as_rule() != Rule::COMMENT).collect()
}

/// The pair's byte span, without the blanks and comments that pest's implicit whitespace
/// leaves at its end (so that an underline stops at the last word of the clause).
fn span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.start() + meaningful_len(pair.as_str()))
}

fn meaningful_len(text: &str) -> usize {
    let mut end = text.len();
    loop {
        let trimmed = text[..end].trim_end();
        end = trimmed.len();
        let line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        match comment_start(&trimmed[line_start..]) {
            Some(hash) => end = line_start + hash,
            None => return end,
        }
    }
}

/// Where a `#` comment starts on a line, outside quoted text.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if in_string => escaped = !escaped,
            '"' if !escaped => in_string = !in_string,
            '#' if !in_string => return Some(i),
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    None
}

fn unexpected(pair: &Pair<'_, Rule>) -> Error {
    Error::Unexpected {
        text: pair.as_str().to_string(),
        span: span(pair).into(),
    }
}

fn header(pair: Pair<'_, Rule>) -> Lowered<Header> {
    let header_span = span(&pair);
    let mut p = Parts::new(pair);
    p.next(Part::Keywords(&["rulebook"]))?;
    let name = name(p.next(Part::NameOf(ItemKind::Rulebook))?);
    let title = label(p.next(Part::LabelOf(ItemKind::Rulebook))?)?;
    let scheme = single_string(p.next(Part::Keywords(&["scheme"]))?)?;
    let exercice = clause_year(p.next(Part::Keywords(&["exercice"]))?)?;
    let paid_in = clause_year(p.next(Part::Keywords(&["paid in"]))?)?;
    let guide = single_string(p.next(Part::Keywords(&["guide"]))?)?;
    let currency = span(&p.next(Part::Keywords(&["currency"]))?);
    let point_value = match p.take(Rule::point_value_clause) {
        Some(clause) => {
            let mut c = Parts::new(clause);
            c.next(Part::Keywords(&["point"]))?;
            c.next(Part::Keywords(&["value"]))?;
            Some(amount(c.next(Part::Amount)?)?)
        }
        None => None,
    };
    let professions_pair = p.next(Part::Keywords(&["professions"]))?;
    let professions_span = span(&professions_pair);
    let mut c = Parts::new(professions_pair);
    c.next(Part::Keywords(&["professions"]))?;
    let professions = enum_values(c.next(Part::Professions)?)?;
    Ok(Header {
        name,
        title,
        scheme,
        exercice,
        paid_in,
        guide,
        currency,
        point_value,
        professions,
        professions_span,
        span: header_span,
    })
}

/// A clause made of keywords and one string (`scheme "FAMI"`, `section "1.4"`).
fn single_string(pair: Pair<'_, Rule>) -> Lowered<Text> {
    let clause = pair.clone();
    let string = without_comments(pair.into_inner())
        .into_iter()
        .find(|p| p.as_rule() == Rule::string)
        .ok_or_else(|| unexpected(&clause))?;
    text(string)
}

fn clause_year(pair: Pair<'_, Rule>) -> Lowered<Year> {
    let clause = pair.clone();
    let year = without_comments(pair.into_inner())
        .into_iter()
        .find(|p| p.as_rule() == Rule::year)
        .ok_or_else(|| unexpected(&clause))?;
    let value = year.as_str().parse().map_err(|_| unexpected(&year))?;
    Ok(Year {
        value,
        span: span(&year),
    })
}

fn name(pair: Pair<'_, Rule>) -> Name {
    Name {
        text: pair.as_str().to_string(),
        span: span(&pair),
    }
}

fn label(pair: Pair<'_, Rule>) -> Lowered<Text> {
    let outer = pair.clone();
    match pair.into_inner().next() {
        Some(string) => text(string),
        None => Err(unexpected(&outer)),
    }
}

/// A `string` pair, unescaped.
fn text(pair: Pair<'_, Rule>) -> Lowered<Text> {
    let raw = pair.as_str();
    let body = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    let mut value = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(escaped) = chars.next() {
                value.push(escaped);
            }
        } else {
            value.push(c);
        }
    }
    Ok(Text {
        value,
        span: span(&pair),
    })
}

fn number(pair: &Pair<'_, Rule>) -> Lowered<Decimal> {
    pair.as_str()
        .parse::<Decimal>()
        .map_err(|_| Error::InvalidNumber {
            text: pair.as_str().to_string(),
            span: span(pair).into(),
        })
}

fn date(pair: &Pair<'_, Rule>) -> Lowered<Date> {
    Date::parse(pair.as_str()).ok_or_else(|| Error::InvalidDate {
        text: pair.as_str().to_string(),
        span: span(pair).into(),
    })
}

fn enum_values(pair: Pair<'_, Rule>) -> Lowered<Vec<EnumValue>> {
    without_comments(pair.into_inner())
        .into_iter()
        .map(|value| {
            let mut p = Parts::new(value);
            let name = name(p.next(Part::Value)?);
            let label = match p.take(Rule::label) {
                Some(l) => Some(label(l)?),
                None => None,
            };
            Ok(EnumValue { name, label })
        })
        .collect()
}

fn name_list(pair: Pair<'_, Rule>) -> Vec<Name> {
    without_comments(pair.into_inner())
        .into_iter()
        .map(name)
        .collect()
}

fn source(pair: Pair<'_, Rule>) -> Lowered<Source> {
    let outer = pair.clone();
    match pair.into_inner().next().map(|p| p.as_rule()) {
        Some(Rule::automated) => Ok(Source::Automated),
        Some(Rule::declarative) => Ok(Source::Declarative),
        Some(Rule::declarative_prefilled) => Ok(Source::DeclarativePrefilled),
        _ => Err(unexpected(&outer)),
    }
}

fn input(pair: Pair<'_, Rule>) -> Lowered<Input> {
    let input_span = span(&pair);
    let mut p = Parts::new(pair);
    p.next(Part::Keywords(&["input"]))?;
    let name = name(p.next(Part::NameOf(ItemKind::Input))?);
    let label = label(p.next(Part::LabelOf(ItemKind::Input))?)?;
    let ty_pair = p.next(Part::TypeOf(ItemKind::Input))?;
    let ty_span = span(&ty_pair);
    let ty = input_type(ty_pair)?;
    let source = source(p.next(Part::Keywords(&["automated", "declarative"]))?)?;
    let unit = match p.take(Rule::unit_clause) {
        Some(clause) => Some(single_string(clause)?),
        None => None,
    };
    let missing_pair = p.next(Part::Keywords(&["missing"]))?;
    let missing_span = span(&missing_pair);
    let missing = missing(missing_pair)?;
    Ok(Input {
        name,
        label,
        ty,
        ty_span,
        source,
        unit,
        missing,
        missing_span,
        span: input_span,
    })
}

fn input_type(pair: Pair<'_, Rule>) -> Lowered<InputType> {
    let outer = pair.clone();
    let inner = pair.into_inner().next().ok_or_else(|| unexpected(&outer))?;
    Ok(match inner.as_rule() {
        Rule::yes_no_type => InputType::YesNo,
        Rule::count_type => InputType::Count,
        Rule::decimal_type => InputType::Decimal,
        Rule::date_type => InputType::Date,
        Rule::text_type => InputType::Text,
        Rule::one_of_type => {
            let values = without_comments(inner.clone().into_inner())
                .into_iter()
                .find(|p| p.as_rule() == Rule::enum_values)
                .ok_or_else(|| unexpected(&inner))?;
            InputType::OneOf(enum_values(values)?)
        }
        _ => return Err(unexpected(&inner)),
    })
}

fn missing(pair: Pair<'_, Rule>) -> Lowered<Missing> {
    let mut p = Parts::new(pair);
    p.next(Part::Keywords(&["missing"]))?;
    let what = p.next(Part::Keywords(&["is error", "means ..."]))?;
    match what.as_rule() {
        Rule::missing_is_error => Ok(Missing::Error),
        Rule::missing_means => {
            let mut m = Parts::new(what);
            m.next(Part::Keywords(&["means"]))?;
            let value = m.next(Part::Value)?;
            if value.as_rule() == Rule::none_literal {
                Ok(Missing::None)
            } else {
                Ok(Missing::Means(literal(value)?))
            }
        }
        _ => Err(unexpected(&what)),
    }
}

fn literal(pair: Pair<'_, Rule>) -> Lowered<Literal> {
    Ok(match pair.as_rule() {
        Rule::number => Literal::Number(number(&pair)?, span(&pair)),
        Rule::date => Literal::Date(date(&pair)?, span(&pair)),
        Rule::string => Literal::Text(text(pair)?),
        Rule::yes_no_literal => Literal::YesNo(yes_no(&pair), span(&pair)),
        Rule::name => Literal::Name(name(pair)),
        _ => return Err(unexpected(&pair)),
    })
}

fn yes_no(pair: &Pair<'_, Rule>) -> bool {
    pair.as_str() == "yes"
}

fn list(pair: Pair<'_, Rule>) -> Lowered<List> {
    let list_span = span(&pair);
    let mut p = Parts::new(pair);
    p.next(Part::Keywords(&["list"]))?;
    let name = name(p.next(Part::NameOf(ItemKind::List))?);
    let label = label(p.next(Part::LabelOf(ItemKind::List))?)?;
    p.next(Part::Keywords(&["of"]))?;
    let of_input = self::name(p.next(Part::ListInput)?);
    let section = match p.take(Rule::section_clause) {
        Some(s) => Some(single_string(s)?),
        None => None,
    };
    let values = name_list(p.next(Part::ListValues)?);
    Ok(List {
        name,
        label,
        of_input,
        section,
        values,
        span: list_span,
    })
}

fn indicator(pair: Pair<'_, Rule>) -> Lowered<Indicator> {
    let indicator_span = span(&pair);
    let mut p = Parts::new(pair);
    p.next(Part::Keywords(&["indicator"]))?;
    let name = name(p.next(Part::NameOf(ItemKind::Indicator))?);
    let label = label(p.next(Part::LabelOf(ItemKind::Indicator))?)?;
    let section = single_string(p.next(Part::Keywords(&["section"]))?)?;
    let source = source(p.next(Part::TypeOf(ItemKind::Indicator))?)?;
    let evidence = match p.take(Rule::evidence_clause) {
        Some(e) => Some(single_string(e)?),
        None => None,
    };
    let applies = match p.take(Rule::applies_clause) {
        Some(a) => Some(clause_condition(a)?),
        None => None,
    };
    let met = clause_condition(p.next(Part::Keywords(&["met when"]))?)?;
    let neutralisations = p
        .take_all(Rule::neutralised_clause)
        .into_iter()
        .map(neutralisation)
        .collect::<Lowered<_>>()?;
    let quotes = quotes(&mut p)?;
    let gating = match p.take(Rule::gating_clause) {
        Some(g) => Some(gating(g)?),
        None => None,
    };
    let pays = match p.take(Rule::pays_clause) {
        Some(pc) => Some(pays(pc)?),
        None => None,
    };
    Ok(Indicator {
        name,
        label,
        section,
        source,
        evidence,
        applies,
        met,
        neutralisations,
        quotes,
        gating,
        pays,
        span: indicator_span,
    })
}

fn quotes(p: &mut Parts<'_>) -> Lowered<Vec<Text>> {
    p.take_all(Rule::quote_clause)
        .into_iter()
        .map(single_string)
        .collect()
}

/// The condition inside a clause (`met when C`, `applies when C`, `for C`).
fn clause_condition(pair: Pair<'_, Rule>) -> Lowered<Condition> {
    let clause = pair.clone();
    let c = without_comments(pair.into_inner())
        .into_iter()
        .find(|p| p.as_rule() == Rule::condition)
        .ok_or_else(|| unexpected(&clause))?;
    condition(c)
}

fn neutralisation(pair: Pair<'_, Rule>) -> Lowered<Neutralisation> {
    let clause_span = span(&pair);
    let mut when = None;
    let mut words = None;
    for part in without_comments(pair.into_inner()) {
        match part.as_rule() {
            Rule::condition => when = Some(condition(part)?),
            Rule::string => words = Some(text(part)?),
            _ => {}
        }
    }
    let words = words.ok_or(Error::NeutralisedWithoutWords {
        span: clause_span.into(),
    })?;
    Ok(Neutralisation {
        when,
        words,
        span: clause_span,
    })
}

fn gating(pair: Pair<'_, Rule>) -> Lowered<Gating> {
    let outer = pair.clone();
    let inner = pair.into_inner().next().ok_or_else(|| unexpected(&outer))?;
    match inner.as_rule() {
        Rule::independent_clause => Ok(Gating::Independent(span(&inner))),
        Rule::requires_clause => {
            let mut p = Parts::new(inner);
            p.next(Part::Keywords(&["requires"]))?;
            Ok(Gating::Requires(name(p.next(Part::Required)?)))
        }
        _ => Err(unexpected(&inner)),
    }
}

fn pays(pair: Pair<'_, Rule>) -> Lowered<Pays> {
    let pays_span = span(&pair);
    let mut p = Parts::new(pair);
    p.next(Part::Keywords(&["pays"]))?;
    let variants = p
        .rest()
        .map(|variant| {
            let variant_span = span(&variant);
            let mut v = Parts::new(variant);
            let amount = amount(v.next(Part::Amount)?)?;
            let per = match v.take(Rule::per_clause) {
                Some(per) => {
                    let mut pp = Parts::new(per);
                    pp.next(Part::Keywords(&["per"]))?;
                    Some(name(pp.next(Part::Count)?))
                }
                None => None,
            };
            let guard = if let Some(w) = v.take(Rule::variant_when) {
                Guard::When(clause_condition(w)?)
            } else if let Some(o) = v.take(Rule::variant_otherwise) {
                Guard::Otherwise(span(&o))
            } else {
                Guard::Always
            };
            Ok(AmountVariant {
                amount,
                per,
                guard,
                span: variant_span,
            })
        })
        .collect::<Lowered<_>>()?;
    Ok(Pays {
        variants,
        span: pays_span,
    })
}

fn amount(pair: Pair<'_, Rule>) -> Lowered<Amount> {
    let amount_span = span(&pair);
    let mut p = Parts::new(pair);
    let value = number(&p.next(Part::Number)?)?;
    let unit_pair = p.next(Part::Keywords(&["EUR", "points"]))?;
    let unit = if unit_pair.as_str() == "EUR" {
        AmountUnit::Euros
    } else {
        AmountUnit::Points
    };
    Ok(Amount {
        value,
        unit,
        span: amount_span,
    })
}

fn group(pair: Pair<'_, Rule>) -> Lowered<Group> {
    let group_span = span(&pair);
    let mut p = Parts::new(pair);
    p.next(Part::Keywords(&["group"]))?;
    let name = name(p.next(Part::NameOf(ItemKind::Group))?);
    let label = label(p.next(Part::LabelOf(ItemKind::Group))?)?;
    let section = match p.take(Rule::section_clause) {
        Some(s) => Some(single_string(s)?),
        None => None,
    };
    let mut members_parts = Parts::new(p.next(Part::Keywords(&["all-of", "each-of"]))?);
    let kind = match members_parts
        .next(Part::Keywords(&["all-of", "each-of"]))?
        .as_rule()
    {
        Rule::kw_each_of => GroupKind::EachOf,
        _ => GroupKind::AllOf,
    };
    let members = name_list(members_parts.next(Part::GroupMembers)?);
    let quotes = quotes(&mut p)?;
    let gating = match p.take(Rule::gating_clause) {
        Some(g) => Some(gating(g)?),
        None => None,
    };
    let pays = match p.take(Rule::pays_clause) {
        Some(pc) => Some(pays(pc)?),
        None => None,
    };
    Ok(Group {
        name,
        label,
        section,
        kind,
        members,
        quotes,
        gating,
        pays,
        span: group_span,
    })
}

fn stated_total(pair: Pair<'_, Rule>) -> Lowered<StatedTotal> {
    let total_span = span(&pair);
    let mut p = Parts::new(pair);
    p.next(Part::Keywords(&["stated"]))?;
    p.next(Part::Keywords(&["total"]))?;
    let label = label(p.next(Part::LabelOf(ItemKind::Total))?)?;
    let amount = amount(p.next(Part::StatedAmount)?)?;
    let section = match p.take(Rule::section_clause) {
        Some(s) => Some(single_string(s)?),
        None => None,
    };
    let scope = match p.take(Rule::of_clause) {
        Some(of) => {
            let mut o = Parts::new(of);
            o.next(Part::Keywords(&["of"]))?;
            Some(name_list(o.next(Part::Names)?))
        }
        None => None,
    };
    let profile = match p.take(Rule::for_clause) {
        Some(f) => Some(clause_condition(f)?),
        None => None,
    };
    Ok(StatedTotal {
        label,
        amount,
        section,
        scope,
        profile,
        span: total_span,
    })
}

fn condition(pair: Pair<'_, Rule>) -> Lowered<Condition> {
    match pair.as_rule() {
        Rule::condition => {
            let outer = pair.clone();
            let inner = without_comments(pair.into_inner())
                .into_iter()
                .next()
                .ok_or_else(|| unexpected(&outer))?;
            condition(inner)
        }
        Rule::disjunction | Rule::conjunction => {
            let whole = span(&pair);
            let is_or = pair.as_rule() == Rule::disjunction;
            let parts = without_comments(pair.into_inner())
                .into_iter()
                .filter(|p| !matches!(p.as_rule(), Rule::kw_or | Rule::kw_and))
                .map(condition)
                .collect::<Lowered<Vec<_>>>()?;
            Ok(match (parts.len(), is_or) {
                (1, _) => parts.into_iter().next().ok_or(Error::Internal)?,
                (_, true) => Condition::Or(parts, whole),
                (_, false) => Condition::And(parts, whole),
            })
        }
        Rule::negation => {
            let whole = span(&pair);
            let inner = without_comments(pair.into_inner());
            match inner.as_slice() {
                [only] => condition(only.clone()),
                [_not, negated] => Ok(Condition::Not(Box::new(condition(negated.clone())?), whole)),
                _ => Err(Error::Internal),
            }
        }
        Rule::comparison => {
            let whole = span(&pair);
            let mut p = Parts::new(pair);
            let left = operand(p.next(Part::Value)?)?;
            let op = comparator(p.next(Part::Comparison)?.as_str());
            let right = operand(p.next(Part::Value)?)?;
            Ok(Condition::Compare {
                left,
                op,
                right,
                span: whole,
            })
        }
        Rule::membership => {
            let whole = span(&pair);
            let mut p = Parts::new(pair);
            let operand = operand(p.next(Part::Value)?)?;
            p.next(Part::Keywords(&["in"]))?;
            let set = p.next(Part::List)?;
            let set = if set.as_rule() == Rule::name_list {
                let set_span = span(&set);
                SetRef::Values(name_list(set), set_span)
            } else {
                SetRef::List(name(set))
            };
            Ok(Condition::Member {
                operand,
                set,
                span: whole,
            })
        }
        _ => Ok(Condition::Holds(operand(pair)?)),
    }
}

fn comparator(symbol: &str) -> Comparator {
    match symbol {
        ">=" | "≥" => Comparator::AtLeast,
        "<=" | "≤" => Comparator::AtMost,
        ">" => Comparator::Above,
        "<" => Comparator::Below,
        "!=" | "≠" => Comparator::NotEqual,
        _ => Comparator::Equal,
    }
}

fn operand(pair: Pair<'_, Rule>) -> Lowered<Operand> {
    let whole = span(&pair);
    Ok(match pair.as_rule() {
        Rule::name => Operand::Name(name(pair)),
        Rule::ratio => {
            let mut p = Parts::new(pair);
            let numerator = name(p.next(Part::Numerator)?);
            let denominator = name(p.next(Part::Denominator)?);
            Operand::Ratio(numerator, denominator, whole)
        }
        Rule::number => Operand::Number(number(&pair)?, whole),
        Rule::percent => {
            let mut p = Parts::new(pair);
            Operand::Percent(number(&p.next(Part::Number)?)?, whole)
        }
        Rule::fraction => {
            let mut p = Parts::new(pair);
            let top = p.next(Part::Numerator)?;
            let bottom = p.next(Part::Denominator)?;
            let parse = |q: &Pair<'_, Rule>| {
                q.as_str().parse::<u64>().map_err(|_| Error::InvalidNumber {
                    text: q.as_str().to_string(),
                    span: span(q).into(),
                })
            };
            Operand::Fraction(parse(&top)?, parse(&bottom)?, whole)
        }
        Rule::date => Operand::Date(date(&pair)?, whole),
        Rule::string => Operand::Text(text(pair)?),
        Rule::yes_no_literal => Operand::YesNo(yes_no(&pair), whole),
        _ => return Err(unexpected(&pair)),
    })
}
