//! What forfait finds wrong in a rulebook, as data: one variant per problem, with its
//! fields, its labelled places (`#[label]`, in order: the first is where the problem is),
//! its code and its severity. No words here: each language words every variant in
//! `words/` (`en.rs`, `fr.rs`), so that a variant without both wordings does not compile.
//!
//! The derived `miette::Diagnostic` gives the code, the severity and the labelled spans;
//! the texts (message, help, labels) come from [`Error::words`].

use std::fmt;

use miette::{Diagnostic, SourceSpan};
use rust_decimal::Decimal;

use super::Lang;

#[derive(Debug, Diagnostic, Clone)]
pub enum Error {
    #[diagnostic(code(forfait::parse::syntax))]
    UnclosedText {
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::parse::syntax))]
    DecimalComma {
        written: String,
        with_point: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::parse::syntax))]
    AccentedName {
        /// The whole word, accents included (`prise_en_charge_coordonnée`).
        word: String,
        /// The same without accents (`prise_en_charge_coordonnee`).
        unaccented: String,
        /// The rulebook defines an item of that unaccented name.
        defined: bool,
        #[label]
        span: SourceSpan,
    },

    /// A slip people make often (copying from the guide, writing as they would in French),
    /// underlined, with the one-line fix: what to write instead.
    #[diagnostic(code(forfait::parse::syntax))]
    Slip {
        slip: Slip,
        #[label]
        span: SourceSpan,
    },

    /// pest's own error: what the grammar expected there (`syntax::errors`).
    #[diagnostic(code(forfait::parse::syntax))]
    Expected {
        /// The alternatives, each once; none: "something else".
        expected: Vec<Expected>,
        found: Found,
        #[label]
        span: SourceSpan,
        hint: Option<SyntaxHint>,
    },

    /// The grammar matched, but its lowering found a part missing (a bug of forfait's).
    #[diagnostic(code(forfait::parse::syntax))]
    MissingPart {
        what: Part,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::parse::syntax))]
    Unexpected {
        text: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::parse::syntax))]
    NeutralisedWithoutWords {
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::parse::invalid_number))]
    InvalidNumber {
        text: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::parse::invalid_date))]
    InvalidDate {
        text: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::unknown_name))]
    UnknownName {
        kind: NameKind,
        name: String,
        #[label]
        span: SourceSpan,
        /// The closest known name, when it is close enough to be a likely typo.
        suggestion: Option<String>,
    },

    #[diagnostic(code(forfait::check::duplicate_name))]
    DuplicateName {
        name: String,
        #[label]
        span: SourceSpan,
        #[label]
        first: SourceSpan,
    },

    #[diagnostic(code(forfait::check::duplicate_name))]
    DuplicateValue {
        value: String,
        of: String,
        #[label]
        span: SourceSpan,
        #[label]
        first: SourceSpan,
    },

    #[diagnostic(code(forfait::check::reserved_name))]
    ReservedProfession {
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::reserved_name))]
    ReservedId {
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    RuleInCondition {
        name: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    ListInCondition {
        name: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    MissingDefaultType {
        input: String,
        ty: TypeName,
        written: String,
        #[label]
        span: SourceSpan,
        hint: MissingDefaultHint,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    ListOfNonChoice {
        list: String,
        input: String,
        ty: TypeName,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    PerNotCount {
        input: String,
        ty: TypeName,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    CountAsCondition {
        text: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    RateAsCondition {
        text: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    NotYesNo {
        text: String,
        what: OperandType,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    ValueAsCondition {
        value: String,
        input: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    RatePartNotCount {
        role: RatePart,
        input: String,
        ty: TypeName,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    CannotCompare {
        left: OperandType,
        right: OperandType,
        left_text: Box<str>,
        right_text: Box<str>,
        #[label]
        span: SourceSpan,
        hint: Option<CompareHint>,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    Unordered {
        what: Unordered,
        op: &'static str,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    NotWholeNumber {
        text: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    InNeedsChoice {
        what: OperandType,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::type_mismatch))]
    ListOfOtherInput {
        list: String,
        list_input: String,
        input: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::threshold_out_of_range))]
    ThresholdOutOfRange {
        text: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::unknown_value))]
    UnknownValue {
        value: String,
        input: String,
        #[label]
        span: SourceSpan,
        hint: ValueHint,
    },

    #[diagnostic(code(forfait::check::gating_cycle))]
    GatingCycle {
        cycle: Cycle,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::missing_gating))]
    MissingGating {
        name: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_gating))]
    RequiresEachOf {
        rule: String,
        group: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_gating))]
    IndependentInGatedGroup {
        rule: String,
        group: String,
        required: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_gating))]
    NotARule {
        name: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_amount))]
    EachOfPays {
        group: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_amount))]
    InvalidPointValue {
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_amount))]
    NegativeAmount {
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_amount))]
    PointsWithoutPointValue {
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_amount))]
    WhenWithoutOtherwise {
        amount: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_amount))]
    LastWithoutOtherwise {
        amount: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_amount))]
    OtherwiseNotLast {
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_amount))]
    AmountWithoutWhen {
        amount: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_amount))]
    AmountTooLarge {
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::invalid_amount))]
    PerUnitOverflow {
        max_count: u64,
        limit: Decimal,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::member_of_two_groups))]
    MemberOfTwoGroups {
        member: String,
        #[label]
        span: SourceSpan,
        #[label]
        first: SourceSpan,
    },

    #[diagnostic(code(forfait::check::stated_total_mismatch))]
    StatedTotalMismatch {
        label: String,
        stated: Decimal,
        computed: Decimal,
        unit: Unit,
        most: Box<MostPaid>,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::unverifiable_total))]
    TotalProfileNotChoice {
        label: String,
        input: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::unverifiable_total))]
    TotalPaysNothing {
        label: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::unverifiable_total))]
    TotalPerUnit {
        label: String,
        rule: String,
        input: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::unverifiable_total))]
    TotalPointsAndEuros {
        label: String,
        rule: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::unverifiable_total))]
    TotalTooManyProfiles {
        label: String,
        max: usize,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::unverifiable_total))]
    TotalNoProfile {
        label: String,
        #[label]
        span: SourceSpan,
    },

    /// `oui`, `non`, `true`, `vrai` where a yes/no value goes.
    #[diagnostic(code(forfait::check::unknown_name))]
    YesNoWord {
        written: String,
        /// `yes` or `no`.
        write: &'static str,
        #[label]
        span: SourceSpan,
    },

    /// `a and b or c`: read as `(a and b) or c`, which the writer may not have meant.
    #[diagnostic(code(forfait::check::and_or), severity(Warning))]
    AndInsideOr {
        /// The condition with the parentheses `fmt` writes.
        parenthesised: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::unused_rule), severity(Warning))]
    UnusedRule {
        name: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::unused_input), severity(Warning))]
    UnusedInput {
        name: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::unused_list), severity(Warning))]
    UnusedList {
        name: String,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::name_year_mismatch), severity(Warning))]
    NameYearMismatch {
        name_year: u16,
        exercice: u16,
        /// The name with the exercice's year in place of `name_year`.
        renamed: String,
        /// The year after `name_year`.
        name_year_paid: u32,
        #[label]
        span: SourceSpan,
        #[label]
        exercice_span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::payment_year), severity(Warning))]
    PaymentYear {
        exercice: u16,
        paid_in: u16,
        /// The year after the exercice, when the schemes pay.
        expected: u32,
        #[label]
        span: SourceSpan,
        #[label]
        exercice_span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::file_name_year_mismatch), severity(Warning))]
    FileNameYearMismatch {
        file_name: String,
        file_year: u16,
        exercice: u16,
        /// The file name after its leading year.
        after_year: String,
        /// The year after `file_year`.
        file_year_paid: u32,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::parse::limit))]
    FileTooLarge {
        bytes: usize,
        max: usize,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::parse::limit))]
    ParenthesesTooDeep {
        max: usize,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::parse::limit))]
    TooManyNots {
        max: usize,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::limit))]
    ConditionTooDeep {
        max: usize,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::check::limit))]
    GroupsTooDeep {
        max: usize,
        group: String,
        depth: usize,
        #[label]
        span: SourceSpan,
    },

    #[diagnostic(code(forfait::internal))]
    Internal,
}

/// The message in English (tool logs, `{error}`); for another language, [`Error::words`].
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::words::wording(self, Lang::En).message)
    }
}

impl std::error::Error for Error {}

/// What the grammar expected at a place, in words a reader knows (pest's rules renamed in
/// `syntax::errors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// Keywords of the language, which read the same in every language: one, or the
    /// alternatives of one clause (`automated`, `declarative` or `declarative prefilled`).
    Keywords(&'static [&'static str]),
    EndOfFile,
    /// The end of an item parsed on its own (after a syntax error elsewhere).
    EndOfRule,
    Name,
    QuotedText,
    Year,
    /// An input's type: `yes/no`, `count`, ...
    InputType,
    /// `(a, b, ...)`
    ParenthesisedList,
    Value,
    /// `490 EUR`, `22.5 points`
    Amount,
    Condition,
    /// `>=`, `<=`, ...
    Comparison,
    /// `a / b`
    Rate,
    Percentage,
    Fraction,
    Number,
    Date,
}

/// What pest found where it expected something else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    EndOfFile,
    Text(String),
}

/// The advice after a syntax error, for the mistakes people make often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxHint {
    /// A line starts with a word close to a keyword (`indicateur`).
    MisspeltKeyword { keyword: String },
    /// `Actes_FSE`
    UppercaseName,
    /// `télétransmission`
    AccentedName,
    /// `490 €`
    EuroSign,
    /// `22,5`
    DecimalComma,
    /// An indicator without `met when`.
    IndicatorShape,
    /// An input without `missing ...`.
    InputMissing,
    /// An input or indicator without its source.
    Source,
    /// A quoted text not closed.
    QuoteEnds,
    /// A text without its quotes.
    Quotes,
    /// A clause out of its order.
    ClauseOrder,
    /// Something that starts no item.
    ItemStart,
}

/// A slip and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slip {
    /// `=>`, `==`, `> =`, `<>`: a comparison written another way.
    Comparator {
        written: String,
        write: &'static str,
    },
    /// `et`, `ou`, `AND`, `&&`: a connective in French or in capitals.
    Connective {
        written: String,
        write: &'static str,
    },
    /// `Accueil_Etudiant`: a name with capitals.
    UppercaseName { written: String, write: String },
    /// `accueil-stagiaire`: a name with dashes.
    DashedName { written: String, write: String },
    /// `// commentaire`
    SlashComment,
    /// `1 240`: a number with a thousands separator.
    GroupedNumber { written: String, write: String },
    /// `euros`, `€`, `pts`: a unit of amount in other words.
    AmountUnit {
        written: String,
        write: &'static str,
    },
    /// `>= 0,7` after a rate: the threshold as a decimal with a comma.
    RateAsDecimal { written: String, percent: String },
}

impl Slip {
    /// The text that replaces the underlined one, where the fix is one replacement.
    pub fn replacement(&self) -> Option<String> {
        match self {
            Slip::Comparator { write, .. }
            | Slip::Connective { write, .. }
            | Slip::AmountUnit { write, .. } => Some((*write).to_string()),
            Slip::UppercaseName { write, .. }
            | Slip::DashedName { write, .. }
            | Slip::GroupedNumber { write, .. } => Some(write.clone()),
            Slip::RateAsDecimal { percent, .. } => Some(percent.clone()),
            Slip::SlashComment => Some("#".into()),
        }
    }
}

/// A part of an item that the grammar has and its lowering looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Keywords, as written (`paid in`); several are alternatives.
    Keywords(&'static [&'static str]),
    Header,
    NameOf(ItemKind),
    /// The quoted label (a rulebook's: its title).
    LabelOf(ItemKind),
    /// An input's type, an indicator's source.
    TypeOf(ItemKind),
    Professions,
    ListValues,
    /// The input whose values a list holds.
    ListInput,
    GroupMembers,
    /// The name after `requires`.
    Required,
    StatedAmount,
    Names,
    Value,
    Amount,
    Count,
    Number,
    Comparison,
    List,
    Numerator,
    Denominator,
}

/// The items of a rulebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Rulebook,
    Input,
    List,
    Indicator,
    Group,
    Total,
}

/// What kind of name was looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Input,
    List,
    /// An indicator or a group.
    Rule,
}

/// An input's type, as messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeName {
    YesNo,
    Count,
    Decimal,
    Date,
    Text,
    Choice,
}

impl TypeName {
    pub fn of(ty: &crate::model::InputType) -> TypeName {
        use crate::model::InputType;
        match ty {
            InputType::YesNo => TypeName::YesNo,
            InputType::Count => TypeName::Count,
            InputType::Decimal => TypeName::Decimal,
            InputType::Date => TypeName::Date,
            InputType::Text => TypeName::Text,
            InputType::Choice(_) => TypeName::Choice,
        }
    }
}

/// What one side of a comparison (or a condition) turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperandType {
    YesNo,
    Count,
    Decimal,
    Date,
    Text,
    /// A value of this `one of` input.
    ValueOf(Box<str>),
    /// A bare name that is no input.
    Name,
    Number,
    Rate,
    Threshold,
}

/// A cycle of rules, each waiting on (or containing) the next; the last is the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    pub names: Vec<String>,
    pub link: CycleLink,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CycleLink {
    /// `requires`, or a group's gate.
    WaitsOn,
    /// A group holding a member.
    Contains,
}

/// The unit of an amount: euros or points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Euros,
    Points,
}

/// The payments that make the most a stated total's rules can pay, and the profile that
/// reaches it (empty when the total has no `for`).
#[derive(Debug, Clone)]
pub struct MostPaid {
    pub lines: Vec<(String, Decimal)>,
    pub unit: Unit,
    /// Each deciding input with the value it has in the profile.
    pub profile: Vec<(String, String)>,
}

/// The advice after an unknown value: the likely one, or all of them.
#[derive(Debug, Clone)]
pub enum ValueHint {
    /// The likely value.
    DidYouMean(String),
    Values(Vec<String>),
}

/// How to write `missing means ...` for an input of each type.
#[derive(Debug, Clone, Copy)]
pub enum MissingDefaultHint {
    YesNo,
    Count,
    Choice,
    Other,
}

/// The two counts of a rate.
#[derive(Debug, Clone, Copy)]
pub enum RatePart {
    Numerator,
    Denominator,
}

/// The advice after "cannot compare ... with ...".
#[derive(Debug, Clone)]
pub enum CompareHint {
    /// `>= 0.7` after a rate: the same threshold as a percentage (`70 %`), when it is one.
    RateWithNumber {
        percent: Option<Box<str>>,
    },
    ChoiceValue {
        input: String,
    },
    YesNo,
    CountWithThreshold,
}

/// Values that have no order, only equality.
#[derive(Debug, Clone, Copy)]
pub enum Unordered {
    Texts,
    YesNo,
    Choices,
}
