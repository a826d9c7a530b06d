//! The rulebook as written: a typed tree with byte spans, before any name is resolved.
//!
//! Spans compare equal to each other, so two trees that differ only in layout are equal:
//! the formatter proves it never changes meaning by re-parsing what it wrote.

use rust_decimal::Decimal;

use crate::value::Date;

/// A byte range in the rulebook source. Always equal to any other span (see module doc).
#[derive(Clone, Copy, Debug, Default, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl PartialEq for Span {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start.into(), span.len())
    }
}

/// A name written in the rulebook (`teletransmission`, `socle`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A quoted string (labels, sections, the guide's words), unescaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Year {
    pub value: u16,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rulebook {
    pub header: Header,
    pub items: Vec<Item>,
    /// Every `# comment`, in source order (the formatter puts them back).
    pub comments: Vec<Comment>,
}

/// The `when` conditions of an amount's variants.
fn guards(pays: &Option<Pays>) -> impl Iterator<Item = &Condition> {
    pays.iter()
        .flat_map(|p| &p.variants)
        .filter_map(|v| match &v.guard {
            Guard::When(c) => Some(c),
            Guard::Always | Guard::Otherwise(_) => None,
        })
}

impl Rulebook {
    /// Every condition written in the rulebook, item by item: `applies when`, `met when`,
    /// `neutralised when`, the `when` of each amount, a stated total's `for`.
    pub fn conditions(&self) -> Vec<&Condition> {
        let mut all = Vec::new();
        for item in &self.items {
            match item {
                Item::Indicator(i) => {
                    all.extend(&i.applies);
                    all.push(&i.met);
                    all.extend(i.neutralisations.iter().filter_map(|n| n.when.as_ref()));
                    all.extend(guards(&i.pays));
                }
                Item::Group(g) => all.extend(guards(&g.pays)),
                Item::StatedTotal(t) => all.extend(&t.profile),
                Item::Input(_) | Item::List(_) => {}
            }
        }
        all
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub name: Name,
    pub title: Text,
    pub scheme: Text,
    pub exercice: Year,
    pub paid_in: Year,
    pub guide: Text,
    pub currency: Span,
    pub point_value: Option<Amount>,
    pub professions: Vec<EnumValue>,
    pub professions_span: Span,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Input(Input),
    List(List),
    Indicator(Box<Indicator>),
    Group(Group),
    StatedTotal(StatedTotal),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub name: Name,
    pub label: Text,
    pub ty: InputType,
    pub ty_span: Span,
    pub source: Source,
    pub unit: Option<Text>,
    pub missing: Missing,
    pub missing_span: Span,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum InputType {
    YesNo,
    Count,
    Decimal,
    Date,
    Text,
    OneOf(Vec<EnumValue>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    pub name: Name,
    pub label: Option<Text>,
}

/// Who provides a value, as the guides' "type d'indicateur" column says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Automated,
    Declarative,
    DeclarativePrefilled,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Missing {
    Error,
    None,
    Means(Literal),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Number(Decimal, Span),
    Date(Date, Span),
    Text(Text),
    YesNo(bool, Span),
    Name(Name),
}

impl Literal {
    pub fn span(&self) -> Span {
        match self {
            Literal::Number(_, s) | Literal::Date(_, s) | Literal::YesNo(_, s) => *s,
            Literal::Text(t) => t.span,
            Literal::Name(n) => n.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct List {
    pub name: Name,
    pub label: Text,
    pub of_input: Name,
    pub section: Option<Text>,
    pub values: Vec<Name>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    pub name: Name,
    pub label: Text,
    pub section: Text,
    pub source: Source,
    pub evidence: Option<Text>,
    pub applies: Option<Condition>,
    pub met: Condition,
    pub neutralisations: Vec<Neutralisation>,
    pub quotes: Vec<Text>,
    pub gating: Option<Gating>,
    pub pays: Option<Pays>,
    pub span: Span,
}

/// `neutralised [when CONDITION] "the guide's words"`
#[derive(Clone, Debug, PartialEq)]
pub struct Neutralisation {
    pub when: Option<Condition>,
    pub words: Text,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Gating {
    Requires(Name),
    Independent(Span),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pays {
    pub variants: Vec<AmountVariant>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AmountVariant {
    pub amount: Amount,
    pub per: Option<Name>,
    pub guard: Guard,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Guard {
    Always,
    When(Condition),
    Otherwise(Span),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Amount {
    pub value: Decimal,
    pub unit: AmountUnit,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountUnit {
    Euros,
    Points,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub name: Name,
    pub label: Text,
    pub section: Option<Text>,
    pub kind: GroupKind,
    pub members: Vec<Name>,
    pub quotes: Vec<Text>,
    pub gating: Option<Gating>,
    pub pays: Option<Pays>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKind {
    /// Met when every applicable, non-neutralised member is met (the socle).
    AllOf,
    /// Each member pays on its own; the group only carries their common gate (volet 2).
    EachOf,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatedTotal {
    pub label: Text,
    pub amount: Amount,
    pub section: Option<Text>,
    pub scope: Option<Vec<Name>>,
    pub profile: Option<Condition>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    Or(Vec<Condition>, Span),
    And(Vec<Condition>, Span),
    Not(Box<Condition>, Span),
    Compare {
        left: Operand,
        op: Comparator,
        right: Operand,
        span: Span,
    },
    Member {
        operand: Operand,
        set: SetRef,
        span: Span,
    },
    /// A bare operand used as yes/no (`coordination_declaree`, `yes`).
    Holds(Operand),
}

impl Condition {
    pub fn span(&self) -> Span {
        match self {
            Condition::Or(_, s) | Condition::And(_, s) | Condition::Not(_, s) => *s,
            Condition::Compare { span, .. } | Condition::Member { span, .. } => *span,
            Condition::Holds(o) => o.span(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    AtLeast,
    AtMost,
    Above,
    Below,
    Equal,
    NotEqual,
}

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtLeast => ">=",
            Comparator::AtMost => "<=",
            Comparator::Above => ">",
            Comparator::Below => "<",
            Comparator::Equal => "=",
            Comparator::NotEqual => "!=",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SetRef {
    List(Name),
    Values(Vec<Name>, Span),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Name(Name),
    Ratio(Name, Name, Span),
    Number(Decimal, Span),
    Percent(Decimal, Span),
    Fraction(u64, u64, Span),
    Date(Date, Span),
    Text(Text),
    YesNo(bool, Span),
}

impl Operand {
    pub fn span(&self) -> Span {
        match self {
            Operand::Name(n) => n.span,
            Operand::Text(t) => t.span,
            Operand::Ratio(_, _, s)
            | Operand::Number(_, s)
            | Operand::Percent(_, s)
            | Operand::Fraction(_, _, s)
            | Operand::Date(_, s)
            | Operand::YesNo(_, s) => *s,
        }
    }
}
