//! Every problem forfait reports about a rulebook, as miette diagnostics.
//!
//! Codes are `forfait::<phase>::<name>`; each has a section in `docs/diagnostics.md` and a
//! test case named after it under `tests/cases/check/`. Messages are lowercase, one line,
//! with the user's text in backticks; the advice goes in `help`.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource, Severity, SourceSpan,
};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic, Clone)]
pub enum Error {
    #[error("this quoted text is not closed on its line")]
    #[diagnostic(
        code(forfait::parse::syntax),
        help("a quoted text ends with `\"` on the line it starts on")
    )]
    UnclosedText {
        #[label("no closing `\"` before the end of the line")]
        span: SourceSpan,
    },

    #[error("`{written}` is written with a comma")]
    #[diagnostic(
        code(forfait::parse::syntax),
        help("write decimals with a point: `{with_point}`")
    )]
    DecimalComma {
        written: String,
        with_point: String,
        #[label("decimal comma")]
        span: SourceSpan,
    },

    #[error("`{word}` has accented letters, which names cannot have")]
    #[diagnostic(
        code(forfait::parse::syntax),
        help("names use unaccented lowercase letters, digits and `_` (`teletransmission`); put the guide's wording in the quoted label")
    )]
    AccentedName {
        word: String,
        #[label("not a name")]
        span: SourceSpan,
    },

    /// pest's own error: what the grammar expected there, in words (`syntax::errors`).
    #[error("expected {expected}, found {found}")]
    #[diagnostic(code(forfait::parse::syntax))]
    Expected {
        expected: String,
        found: Found,
        #[label("expected {expected}")]
        span: SourceSpan,
        #[help]
        hint: Option<String>,
    },

    #[error("expected {what}")]
    #[diagnostic(code(forfait::parse::syntax))]
    MissingPart {
        what: &'static str,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("unexpected `{text}`")]
    #[diagnostic(code(forfait::parse::syntax))]
    Unexpected {
        text: String,
        #[label("not expected here")]
        span: SourceSpan,
    },

    #[error("expected the guide's words after `neutralised`")]
    #[diagnostic(code(forfait::parse::syntax))]
    NeutralisedWithoutWords {
        #[label("here")]
        span: SourceSpan,
    },

    #[error("`{text}` is not a number forfait can hold exactly")]
    #[diagnostic(
        code(forfait::parse::invalid_number),
        help("amounts and thresholds have at most 28 significant digits")
    )]
    InvalidNumber {
        text: String,
        #[label("this number")]
        span: SourceSpan,
    },

    #[error("`{text}` is not a date of the calendar")]
    #[diagnostic(
        code(forfait::parse::invalid_date),
        help("write dates as YEAR-MONTH-DAY, for example `2020-01-31`")
    )]
    InvalidDate {
        text: String,
        #[label("no such day")]
        span: SourceSpan,
    },

    #[error("unknown {kind} `{name}`")]
    #[diagnostic(code(forfait::check::unknown_name))]
    UnknownName {
        kind: &'static str,
        name: String,
        #[label("not defined in this rulebook")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{name}` is defined twice")]
    #[diagnostic(
        code(forfait::check::duplicate_name),
        help("inputs, lists, indicators and groups share one namespace: rename one of them")
    )]
    DuplicateName {
        name: String,
        #[label("defined again here")]
        span: SourceSpan,
        #[label("first defined here")]
        first: SourceSpan,
    },

    #[error("value `{value}` of `{of}` is defined twice")]
    #[diagnostic(code(forfait::check::duplicate_name), help("remove the second one"))]
    DuplicateValue {
        value: String,
        of: String,
        #[label("defined again here")]
        span: SourceSpan,
        #[label("first defined here")]
        first: SourceSpan,
    },

    #[error("`profession` is reserved for the declaration's profession")]
    #[diagnostic(
        code(forfait::check::reserved_name),
        help("`profession` is built in: its values are the header's `professions (...)`; for a medical specialty, name the input `specialite`")
    )]
    ReservedProfession {
        #[label("reserved")]
        span: SourceSpan,
    },

    #[error("`id` is reserved for the declaration's identifier")]
    #[diagnostic(
        code(forfait::check::reserved_name),
        help("every declaration has an `id` field already; choose another name")
    )]
    ReservedId {
        #[label("reserved")]
        span: SourceSpan,
    },

    #[error("`{name}` is a rule, and conditions read inputs")]
    #[diagnostic(
        code(forfait::check::type_mismatch),
        help("to wait on `{name}`, write `requires {name}`")
    )]
    RuleInCondition {
        name: String,
        #[label("an indicator or group")]
        span: SourceSpan,
    },

    #[error("`{name}` is a list; use it with `in`")]
    #[diagnostic(
        code(forfait::check::type_mismatch),
        help("write `input_name in {name}`")
    )]
    ListInCondition {
        name: String,
        #[label("a list")]
        span: SourceSpan,
    },

    #[error("`{input}` is a {ty}; a missing value cannot mean `{written}`")]
    #[diagnostic(code(forfait::check::type_mismatch))]
    MissingDefaultType {
        input: String,
        ty: &'static str,
        written: String,
        #[label("not a value of this type")]
        span: SourceSpan,
        #[help]
        hint: MissingDefaultHint,
    },

    #[error("list `{list}` must hold values of a `one of (...)` input; `{input}` is a {ty}")]
    #[diagnostic(code(forfait::check::type_mismatch))]
    ListOfNonChoice {
        list: String,
        input: String,
        ty: &'static str,
        #[label("not a list of choices")]
        span: SourceSpan,
    },

    #[error("`per` needs a count; `{input}` is a {ty}")]
    #[diagnostic(code(forfait::check::type_mismatch))]
    PerNotCount {
        input: String,
        ty: &'static str,
        #[label("not a count")]
        span: SourceSpan,
    },

    #[error("`{text}` is a count, not a yes/no")]
    #[diagnostic(code(forfait::check::type_mismatch), help("compare it: `{text} >= 1`"))]
    CountAsCondition {
        text: String,
        #[label("a condition must be yes or no")]
        span: SourceSpan,
    },

    #[error("`{text}` is a rate, not a yes/no")]
    #[diagnostic(
        code(forfait::check::type_mismatch),
        help("compare it with a threshold: `... >= 70 %`")
    )]
    RateAsCondition {
        text: String,
        #[label("a condition must be yes or no")]
        span: SourceSpan,
    },

    #[error("`{text}` is {what}, not a yes/no")]
    #[diagnostic(
        code(forfait::check::type_mismatch),
        help("compare it with a value, e.g. `x = value`")
    )]
    NotYesNo {
        text: String,
        what: String,
        #[label("a condition must be yes or no")]
        span: SourceSpan,
    },

    #[error("`{value}` is a value of `{input}`, not a condition")]
    #[diagnostic(
        code(forfait::check::type_mismatch),
        help("compare it: `{input} = {value}`")
    )]
    ValueAsCondition {
        value: String,
        input: String,
        #[label("a value")]
        span: SourceSpan,
    },

    #[error("the {role} of a rate must be a count; `{input}` is a {ty}")]
    #[diagnostic(
        code(forfait::check::type_mismatch),
        help("a rate divides two counts: `actes_fse / actes_total >= 70 %`")
    )]
    RatePartNotCount {
        role: RatePart,
        input: String,
        ty: &'static str,
        #[label("not a count")]
        span: SourceSpan,
    },

    #[error("cannot compare {left} with {right}")]
    #[diagnostic(code(forfait::check::type_mismatch))]
    CannotCompare {
        left: Box<str>,
        right: Box<str>,
        left_text: Box<str>,
        right_text: Box<str>,
        #[label("`{left_text}` and `{right_text}`")]
        span: SourceSpan,
        #[help]
        hint: Option<CompareHint>,
    },

    #[error("{what} can only be compared with `=` or `!=`")]
    #[diagnostic(code(forfait::check::type_mismatch))]
    Unordered {
        what: Unordered,
        op: &'static str,
        #[label("`{op}` has no order")]
        span: SourceSpan,
    },

    #[error("a count is compared with whole numbers, not `{text}`")]
    #[diagnostic(
        code(forfait::check::type_mismatch),
        help("counts are whole and never negative: write `3`, not `2.5` or `-1`; for a quantity with decimals (hours, ETP), declare the input `decimal`")
    )]
    NotWholeNumber {
        text: String,
        #[label("not a whole number")]
        span: SourceSpan,
    },

    #[error("`in` needs a value of a `one of` input, not {what}")]
    #[diagnostic(
        code(forfait::check::type_mismatch),
        help("`in` tests a `one of (...)` input: `specialite in annexe_1`")
    )]
    InNeedsChoice {
        what: String,
        #[label("not a `one of` input")]
        span: SourceSpan,
    },

    #[error("list `{list}` holds values of `{list_input}`, not of `{input}`")]
    #[diagnostic(code(forfait::check::type_mismatch))]
    ListOfOtherInput {
        list: String,
        list_input: String,
        input: String,
        #[label("values of another input")]
        span: SourceSpan,
    },

    #[error("threshold `{text}` is not between 0 % and 100 %")]
    #[diagnostic(
        code(forfait::check::threshold_out_of_range),
        help("a rate of two counts lies between 0 % and 100 % (0/1 and 1/1); check the guide's figure")
    )]
    ThresholdOutOfRange {
        text: String,
        #[label("no rate can be compared with this")]
        span: SourceSpan,
    },

    #[error("`{value}` is not a value of `{input}`")]
    #[diagnostic(code(forfait::check::unknown_value))]
    UnknownValue {
        value: String,
        input: String,
        #[label("not one of the values of `{input}`")]
        span: SourceSpan,
        #[help]
        hint: ValueHint,
    },

    #[error("gating cycle: {cycle}")]
    #[diagnostic(
        code(forfait::check::gating_cycle),
        help(
            "a rule cannot wait on itself; remove one `requires` or group membership in the cycle"
        )
    )]
    GatingCycle {
        cycle: String,
        #[label("the cycle starts here")]
        span: SourceSpan,
    },

    #[error("`{name}` pays but does not say whether it waits on another rule")]
    #[diagnostic(
        code(forfait::check::missing_gating),
        help("add `requires NAME` before `pays` (paid only if the group or indicator NAME is met) or `independent` (paid whatever happens to the other rules)")
    )]
    MissingGating {
        name: String,
        #[label("this payment")]
        span: SourceSpan,
    },

    #[error("`{rule}` requires `{group}`, an each-of group, which is never met as a whole")]
    #[diagnostic(
        code(forfait::check::invalid_gating),
        help("require an all-of group or an indicator; or make `{group}` all-of")
    )]
    RequiresEachOf {
        rule: String,
        group: String,
        #[label("each-of group")]
        span: SourceSpan,
    },

    #[error("`{rule}` says `independent`, but its group `{group}` requires `{required}`")]
    #[diagnostic(
        code(forfait::check::invalid_gating),
        help("remove `independent`, or take the indicator out of the group")
    )]
    IndependentInGatedGroup {
        rule: String,
        group: String,
        required: String,
        #[label("contradicts its group")]
        span: SourceSpan,
    },

    #[error("`{name}` is not an indicator or a group")]
    #[diagnostic(
        code(forfait::check::invalid_gating),
        help("groups and `requires` name indicators and groups")
    )]
    NotARule {
        name: String,
        #[label("an input or a list")]
        span: SourceSpan,
    },

    #[error("each-of group `{group}` cannot pay by itself")]
    #[diagnostic(
        code(forfait::check::invalid_amount),
        help("give each member its own `pays`, or make the group `all-of`")
    )]
    EachOfPays {
        group: String,
        #[label("its members pay")]
        span: SourceSpan,
    },

    #[error("the point value must be a positive amount in euros")]
    #[diagnostic(
        code(forfait::check::invalid_amount),
        help("write `point value 7 EUR`")
    )]
    InvalidPointValue {
        #[label("point value")]
        span: SourceSpan,
    },

    #[error("an amount cannot be negative")]
    #[diagnostic(code(forfait::check::invalid_amount))]
    NegativeAmount {
        #[label("negative")]
        span: SourceSpan,
    },

    #[error("amount in points, but the rulebook has no point value")]
    #[diagnostic(
        code(forfait::check::invalid_amount),
        help("add `point value 7 EUR` (the guide's value) to the header, after `currency EUR`")
    )]
    PointsWithoutPointValue {
        #[label("points")]
        span: SourceSpan,
    },

    #[error("an amount with `when` needs another amount `otherwise`")]
    #[diagnostic(
        code(forfait::check::invalid_amount),
        help("add the amount paid when the condition does not hold: `... 0 EUR otherwise`, after `{amount} when ...`")
    )]
    WhenWithoutOtherwise {
        amount: String,
        #[label("this amount")]
        span: SourceSpan,
    },

    #[error("the last amount needs `otherwise`")]
    #[diagnostic(
        code(forfait::check::invalid_amount),
        help("write `{amount} otherwise`, the amount when no `when` holds")
    )]
    LastWithoutOtherwise {
        amount: String,
        #[label("this amount")]
        span: SourceSpan,
    },

    #[error("`otherwise` must be the last of several amounts")]
    #[diagnostic(
        code(forfait::check::invalid_amount),
        help("put the amounts with `when` first")
    )]
    OtherwiseNotLast {
        #[label("this amount")]
        span: SourceSpan,
    },

    #[error("each amount but the last needs `when CONDITION`")]
    #[diagnostic(
        code(forfait::check::invalid_amount),
        help("write `{amount} when CONDITION`, and end with `... otherwise`")
    )]
    AmountWithoutWhen {
        amount: String,
        #[label("this amount")]
        span: SourceSpan,
    },

    #[error("the amount in euros is too large to compute")]
    #[diagnostic(code(forfait::check::invalid_amount))]
    AmountTooLarge {
        #[label("too large")]
        span: SourceSpan,
    },

    #[error("an amount this large per unit can overflow: a count may reach {max_count}")]
    #[diagnostic(
        code(forfait::check::invalid_amount),
        help("an amount per unit is at most {limit} EUR (or its worth in points)")
    )]
    PerUnitOverflow {
        max_count: u64,
        limit: rust_decimal::Decimal,
        #[label("per unit")]
        span: SourceSpan,
    },

    #[error("`{member}` belongs to two groups")]
    #[diagnostic(
        code(forfait::check::member_of_two_groups),
        help(
            "an indicator or group belongs to at most one group, so that its gate is unambiguous"
        )
    )]
    MemberOfTwoGroups {
        member: String,
        #[label("second membership")]
        span: SourceSpan,
        #[label("first membership")]
        first: SourceSpan,
    },

    #[error("stated total `{label}` is {stated} {unit}, but the rules can pay at most {computed} {unit}")]
    #[diagnostic(
        code(forfait::check::stated_total_mismatch),
        help("the most the rules pay is {most}; check the amounts against the guide, or the total's `of (...)` and `for ...`")
    )]
    StatedTotalMismatch {
        label: String,
        stated: rust_decimal::Decimal,
        computed: rust_decimal::Decimal,
        /// `EUR` or `points`.
        unit: &'static str,
        most: Box<MostPaid>,
        #[label("stated here")]
        span: SourceSpan,
    },

    #[error("stated total `{label}` cannot be verified: its `for` tests `{input}`, which is not a `one of` input")]
    #[diagnostic(
        code(forfait::check::unverifiable_total),
        help("`for` chooses a profile: test `profession` or other `one of` inputs only")
    )]
    TotalProfileNotChoice {
        label: String,
        input: String,
        #[label("stated here")]
        span: SourceSpan,
    },

    #[error("stated total `{label}` cannot be verified: nothing in its scope pays")]
    #[diagnostic(
        code(forfait::check::unverifiable_total),
        help("name the groups or indicators it totals with `of (...)`")
    )]
    TotalPaysNothing {
        label: String,
        #[label("stated here")]
        span: SourceSpan,
    },

    #[error("stated total `{label}` cannot be verified: `{rule}` pays per unit of `{input}`, which has no maximum")]
    #[diagnostic(
        code(forfait::check::unverifiable_total),
        help("limit the total to the payments it counts with `of (...)`")
    )]
    TotalPerUnit {
        label: String,
        rule: String,
        input: String,
        #[label("stated here")]
        span: SourceSpan,
    },

    #[error(
        "stated total `{label}` cannot be verified: it counts points, but `{rule}` pays euros"
    )]
    #[diagnostic(
        code(forfait::check::unverifiable_total),
        help("state the total in EUR, or limit it with `of (...)` to what pays points")
    )]
    TotalPointsAndEuros {
        label: String,
        rule: String,
        #[label("stated here")]
        span: SourceSpan,
    },

    #[error("stated total `{label}` cannot be verified: more than {max} profiles to try")]
    #[diagnostic(
        code(forfait::check::unverifiable_total),
        help("restrict it with `for ...` to the profile the guide states it for")
    )]
    TotalTooManyProfiles {
        label: String,
        max: usize,
        #[label("stated here")]
        span: SourceSpan,
    },

    #[error("stated total `{label}` cannot be verified: no profile satisfies its `for` condition")]
    #[diagnostic(code(forfait::check::unverifiable_total))]
    TotalNoProfile {
        label: String,
        #[label("stated here")]
        span: SourceSpan,
    },

    #[error("`{name}` is never paid nor required by anything")]
    #[diagnostic(
        code(forfait::check::unused_rule),
        severity(Warning),
        help("put it in a group, give it `pays ...`, or name it in a `requires`; otherwise remove it")
    )]
    UnusedRule {
        name: String,
        #[label("has no effect on any amount")]
        span: SourceSpan,
    },

    #[error("input `{name}` is read by no rule")]
    #[diagnostic(
        code(forfait::check::unused_input),
        severity(Warning),
        help("remove it, or use it in a condition; declarations may still carry it")
    )]
    UnusedInput {
        name: String,
        #[label("never read")]
        span: SourceSpan,
    },

    #[error("list `{name}` is used by no condition")]
    #[diagnostic(
        code(forfait::check::unused_list),
        severity(Warning),
        help("use it with `in`, or remove it")
    )]
    UnusedList {
        name: String,
        #[label("never used")]
        span: SourceSpan,
    },

    #[error("the rulebook's name says {name_year}, but its `exercice` is {exercice}")]
    #[diagnostic(
        code(forfait::check::name_year_mismatch),
        severity(Warning),
        help("if the rulebook is for the exercice {exercice}, rename it `{renamed}`; if it is for {name_year}, write `exercice {name_year}` and `paid in {name_year_paid}`")
    )]
    NameYearMismatch {
        name_year: u16,
        exercice: u16,
        /// The name with the exercice's year in place of `name_year`.
        renamed: String,
        /// The year after `name_year`.
        name_year_paid: u32,
        #[label("this year")]
        span: SourceSpan,
        #[label("the exercice")]
        exercice_span: SourceSpan,
    },

    #[error("{}", payment_year_message(*.exercice, *.paid_in))]
    #[diagnostic(
        code(forfait::check::payment_year),
        severity(Warning),
        help("the schemes pay the year after the exercice: write `paid in {expected}`, or correct `exercice` if it is the wrong one")
    )]
    PaymentYear {
        exercice: u16,
        paid_in: u16,
        /// The year after the exercice, when the schemes pay.
        expected: u32,
        #[label("the year of payment")]
        span: SourceSpan,
        #[label("the exercice")]
        exercice_span: SourceSpan,
    },

    #[error("the file name `{file_name}` says {file_year}, but the `exercice` is {exercice}")]
    #[diagnostic(
        code(forfait::check::file_name_year_mismatch),
        severity(Warning),
        help("if the rulebook is for the exercice {exercice}, rename the file `{exercice}{after_year}`; if it is for {file_year}, write `exercice {file_year}` and `paid in {file_year_paid}`")
    )]
    FileNameYearMismatch {
        file_name: String,
        file_year: u16,
        exercice: u16,
        /// The file name after its leading year.
        after_year: String,
        /// The year after `file_year`.
        file_year_paid: u32,
        #[label("the exercice")]
        span: SourceSpan,
    },

    #[error("the rulebook is too large or too deeply nested to read: the file has {bytes} bytes, more than {max}")]
    #[diagnostic(code(forfait::parse::limit), help("split the condition into several indicators or groups; forfait refuses such files rather than risk hanging"))]
    FileTooLarge {
        bytes: usize,
        max: usize,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("the rulebook is too large or too deeply nested to read: parentheses nest more than {max} levels deep")]
    #[diagnostic(code(forfait::parse::limit), help("split the condition into several indicators or groups; forfait refuses such files rather than risk hanging"))]
    ParenthesesTooDeep {
        max: usize,
        #[label("here")]
        span: SourceSpan,
    },

    #[error(
        "the rulebook is too large or too deeply nested to read: more than {max} `not` in a row"
    )]
    #[diagnostic(code(forfait::parse::limit), help("split the condition into several indicators or groups; forfait refuses such files rather than risk hanging"))]
    TooManyNots {
        max: usize,
        #[label("here")]
        span: SourceSpan,
    },

    #[error(
        "the condition is too deeply nested to check: conditions nest more than {max} levels deep"
    )]
    #[diagnostic(
        code(forfait::check::limit),
        help("split the condition into several indicators or groups")
    )]
    ConditionTooDeep {
        max: usize,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("the groups are too deeply nested to check: groups nest more than {max} levels deep (`{group}` is level {depth})")]
    #[diagnostic(
        code(forfait::check::limit),
        help("put the indicators in fewer levels of groups; the guides' tables nest two deep")
    )]
    GroupsTooDeep {
        max: usize,
        group: String,
        depth: usize,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("internal error in forfait: the parser and its lowering disagree")]
    #[diagnostic(
        code(forfait::internal),
        help("this is a bug in forfait; please report it with the rulebook")
    )]
    Internal,
}

impl Error {
    /// A warning does not stop the rulebook from being used. The severity is declared on
    /// the variant (`severity(Warning)`), not listed here.
    pub fn is_warning(&self) -> bool {
        self.severity() == Some(Severity::Warning)
    }
}

/// The payments that make the most a stated total's rules can pay, and the profile that
/// reaches it (empty when the total has no `for`).
#[derive(Debug, Clone)]
pub struct MostPaid {
    pub lines: Vec<(String, rust_decimal::Decimal)>,
    pub unit: &'static str,
    pub profile: String,
}

impl fmt::Display for MostPaid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (name, amount)) in self.lines.iter().enumerate() {
            if i > 0 {
                f.write_str(" + ")?;
            }
            write!(f, "`{name}` {} {}", amount.normalize(), self.unit)?;
        }
        if !self.profile.is_empty() {
            write!(f, " (reached for {})", self.profile)?;
        }
        Ok(())
    }
}

/// The advice after an unknown value: the likely one, or all of them.
#[derive(Debug, Clone)]
pub enum ValueHint {
    /// `did_you_mean`'s words.
    DidYouMean(String),
    Values(Vec<String>),
}

impl fmt::Display for ValueHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueHint::DidYouMean(words) => f.write_str(words),
            ValueHint::Values(values) => {
                f.write_str("the values are: ")?;
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "`{value}`")?;
                }
                Ok(())
            }
        }
    }
}

/// What pest found where it expected something else.
#[derive(Debug, Clone)]
pub enum Found {
    EndOfFile,
    Text(String),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::EndOfFile => f.write_str("end of file"),
            Found::Text(t) => write!(f, "`{t}`"),
        }
    }
}

/// How to write `missing means ...` for an input of each type.
#[derive(Debug, Clone, Copy)]
pub enum MissingDefaultHint {
    YesNo,
    Count,
    Choice,
    Other,
}

impl fmt::Display for MissingDefaultHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MissingDefaultHint::YesNo => "write `missing means no`",
            MissingDefaultHint::Count => "write a whole number: `missing means 0`",
            MissingDefaultHint::Choice => "write one of the input's values, or `missing is error`",
            MissingDefaultHint::Other => {
                "write a value of the input's type, `missing means none`, or `missing is error`"
            }
        })
    }
}

/// The two counts of a rate.
#[derive(Debug, Clone, Copy)]
pub enum RatePart {
    Numerator,
    Denominator,
}

impl fmt::Display for RatePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RatePart::Numerator => "numerator",
            RatePart::Denominator => "denominator",
        })
    }
}

/// The advice after "cannot compare ... with ...".
#[derive(Debug, Clone)]
pub enum CompareHint {
    RateWithNumber,
    ChoiceValue { input: String },
    YesNo,
    CountWithThreshold,
}

impl fmt::Display for CompareHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareHint::RateWithNumber => {
                f.write_str("write the threshold as a percentage (`70 %`) or a fraction (`2/3`)")
            }
            CompareHint::ChoiceValue { input } => {
                write!(f, "write one of the values of `{input}`")
            }
            CompareHint::YesNo => {
                f.write_str("a yes/no input is a condition by itself: write `x` or `not x`")
            }
            CompareHint::CountWithThreshold => {
                f.write_str("a percentage compares a rate: `numerator / denominator >= 70 %`")
            }
        }
    }
}

/// Values that have no order, only equality.
#[derive(Debug, Clone, Copy)]
pub enum Unordered {
    Texts,
    YesNo,
    Choices,
}

impl fmt::Display for Unordered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unordered::Texts => "texts",
            Unordered::YesNo => "yes/no values",
            Unordered::Choices => "values of a `one of` input",
        })
    }
}

/// The schemes pay the year after the exercice (N+1): what else `paid in` says.
fn payment_year_message(exercice: u16, paid_in: u16) -> String {
    if paid_in < exercice {
        format!("paid in {paid_in}, before the exercice {exercice} it pays for")
    } else if paid_in == exercice {
        format!("paid in {paid_in}, the exercice's own year")
    } else {
        format!(
            "paid in {paid_in}, {} years after the exercice {exercice}",
            paid_in - exercice
        )
    }
}

/// The diagnostics of one rulebook file, with its source, ready to render.
#[derive(Debug, Clone)]
pub struct Report {
    pub source: NamedSource<Arc<str>>,
    pub diagnostics: Vec<Error>,
}

impl Report {
    pub fn new(file_name: &str, source: Arc<str>, diagnostics: Vec<Error>) -> Report {
        Report {
            source: NamedSource::new(file_name, source),
            diagnostics,
        }
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.is_warning()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_warning()).count()
    }

    /// Renders every diagnostic as a person reads it: no colour, 100 columns, no links, so
    /// that the output is the same on every terminal and in snapshots.
    pub fn render_human(&self) -> String {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_links(false);
        let mut out = String::new();
        for diagnostic in &self.diagnostics {
            let report =
                miette::Report::new(diagnostic.clone()).with_source_code(self.source.clone());
            if handler.render_report(&mut out, report.as_ref()).is_err() {
                out.push_str(&diagnostic.to_string());
            }
            out.push('\n');
        }
        out
    }

    /// One JSON object per diagnostic, for editors and CI: `code`, `severity`, `message`,
    /// `help`, `file`, and `labels` with their byte `offset`, `length`, 1-based `line` and
    /// `column` (in characters). Written with serde, so any text in it is escaped.
    pub fn render_json(&self) -> String {
        let source: &str = self.source.inner();
        let items: Vec<serde_json::Value> = self
            .diagnostics
            .iter()
            .map(|d| {
                let labels: Vec<serde_json::Value> = d
                    .labels()
                    .map(|labels| {
                        labels
                            .map(|l| {
                                let offset = l.offset().min(source.len());
                                let before = source.get(..offset).unwrap_or("");
                                let line = before.matches('\n').count() + 1;
                                let column =
                                    before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
                                serde_json::json!({
                                    "label": l.label(),
                                    "offset": l.offset(),
                                    "length": l.len(),
                                    "line": line,
                                    "column": column,
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                serde_json::json!({
                    "code": d.code().map(|c| c.to_string()),
                    "severity": if d.is_warning() { "warning" } else { "error" },
                    "message": d.to_string(),
                    "help": d.help().map(|h| h.to_string()),
                    "file": self.source.name(),
                    "labels": labels,
                })
            })
            .collect();
        serde_json::to_string(&items).unwrap_or_else(|_| "[]".into())
    }
}

/// The closest candidate to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Edit distance on characters, counting a swap of two neighbours as one edit (the
/// commonest typo: `socel` for `socle`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["teletransmission", "messagerie", "socle"];
        assert_eq!(
            did_you_mean("teletransmision", names),
            Some("did you mean `teletransmission`?".into())
        );
        assert_eq!(
            did_you_mean("socel", names),
            Some("did you mean `socle`?".into())
        );
        assert_eq!(did_you_mean("horaires", names), None);
    }
}
