//! Every rulebook diagnostic in English. Messages are lowercase, one line, no final period;
//! the user's text and the language's keywords in backticks.

use super::super::error::*;
use super::{alternatives, keywords, quoted, Wording};

/// "did you mean `x`?"
pub(super) fn did_you_mean(name: &str) -> String {
    format!("did you mean `{name}`?")
}

const SPLIT: &str = "split the condition into several indicators or groups; forfait refuses such files rather than risk hanging";
const TOO_LARGE: &str = "the rulebook is too large or too deeply nested to read";

pub(super) fn words(error: &Error) -> Wording {
    use Wording as W;
    match error {
        Error::UnclosedText { .. } => W::new(
            "this quoted text is not closed on its line",
            Some("a quoted text ends with `\"` on the line it starts on".into()),
            &["no closing `\"` before the end of the line"],
        ),
        Error::DecimalComma {
            written,
            with_point,
            ..
        } => W::new(
            format!("`{written}` is written with a comma"),
            Some(format!("write decimals with a point: `{with_point}`")),
            &["decimal comma"],
        ),
        Error::AccentedName {
            word,
            unaccented,
            defined,
            ..
        } => W::new(
            format!("`{word}` has accented letters, which names cannot have"),
            Some(if *defined {
                format!("write `{unaccented}`, the name this rulebook defines")
            } else {
                format!("write `{unaccented}`: names use unaccented lowercase letters, digits and `_`; put the guide's wording in the quoted label")
            }),
            &["not a name"],
        ),
        Error::Slip { slip, .. } => {
            let (message, help) = slip_words(slip);
            let label = match slip.replacement() {
                Some(fix) => format!("write `{fix}`"),
                None => message.clone(),
            };
            W::with_labels(message, Some(help), vec![label])
        }
        Error::Expected {
            expected,
            found,
            hint,
            ..
        } => {
            let expected = expected_list(expected);
            W::with_labels(
                format!("expected {expected}, found {}", found_word(found)),
                hint.as_ref().map(syntax_hint),
                vec![format!("expected {expected}")],
            )
        }
        Error::MissingPart { what, .. } => W::new(format!("expected {}", part(what)), None, &["here"]),
        Error::Unexpected { text, .. } => {
            W::new(format!("unexpected `{text}`"), None, &["not expected here"])
        }
        Error::NeutralisedWithoutWords { .. } => W::new(
            "expected the guide's words after `neutralised`",
            None,
            &["here"],
        ),
        Error::InvalidNumber { text, .. } => W::new(
            format!("`{text}` is not a number forfait can hold exactly"),
            Some("amounts and thresholds have at most 28 significant digits".into()),
            &["this number"],
        ),
        Error::InvalidDate { text, .. } => W::new(
            format!("`{text}` is not a date of the calendar"),
            Some("write dates as YEAR-MONTH-DAY, for example `2020-01-31`".into()),
            &["no such day"],
        ),
        Error::UnknownName {
            kind,
            name,
            suggestion,
            ..
        } => W::new(
            format!("unknown {} `{name}`", name_kind(*kind)),
            suggestion.as_deref().map(did_you_mean),
            &["not defined in this rulebook"],
        ),
        Error::DuplicateName { name, .. } => W::new(
            format!("`{name}` is defined twice"),
            Some("inputs, lists, indicators and groups share one namespace: rename one of them".into()),
            &["defined again here", "first defined here"],
        ),
        Error::DuplicateValue { value, of, .. } => W::new(
            format!("value `{value}` of `{of}` is defined twice"),
            Some("remove the second one".into()),
            &["defined again here", "first defined here"],
        ),
        Error::ReservedProfession { .. } => W::new(
            "`profession` is reserved for the declaration's profession",
            Some("`profession` is built in: its values are the header's `professions (...)`; for a medical specialty, name the input `specialite`".into()),
            &["reserved"],
        ),
        Error::ReservedId { .. } => W::new(
            "`id` is reserved for the declaration's identifier",
            Some("every declaration has an `id` field already; choose another name".into()),
            &["reserved"],
        ),
        Error::RuleInCondition { name, .. } => W::new(
            format!("`{name}` is a rule, and conditions read inputs"),
            Some(format!("to wait on `{name}`, write `requires {name}`")),
            &["an indicator or group"],
        ),
        Error::ListInCondition { name, .. } => W::new(
            format!("`{name}` is a list; use it with `in`"),
            Some(format!("write `input_name in {name}`")),
            &["a list"],
        ),
        Error::MissingDefaultType {
            input,
            ty,
            written,
            hint,
            ..
        } => W::new(
            format!(
                "`{input}` is a {}; a missing value cannot mean `{written}`",
                type_name(*ty)
            ),
            Some(missing_default_hint(*hint).into()),
            &["not a value of this type"],
        ),
        Error::ListOfNonChoice { list, input, ty, .. } => W::new(
            format!(
                "list `{list}` must hold values of a `one of (...)` input; `{input}` is a {}",
                type_name(*ty)
            ),
            None,
            &["not a list of choices"],
        ),
        Error::PerNotCount { input, ty, .. } => W::new(
            format!("`per` needs a count; `{input}` is a {}", type_name(*ty)),
            None,
            &["not a count"],
        ),
        Error::CountAsCondition { text, .. } => W::new(
            format!("`{text}` is a count, not a yes/no"),
            Some(format!("compare it: `{text} >= 1`")),
            &["a condition must be yes or no"],
        ),
        Error::RateAsCondition { text, .. } => W::new(
            format!("`{text}` is a rate, not a yes/no"),
            Some("compare it with a threshold: `... >= 70 %`".into()),
            &["a condition must be yes or no"],
        ),
        Error::NotYesNo { text, what, .. } => W::new(
            format!("`{text}` is {}, not a yes/no", operand(what)),
            Some("compare it with a value, e.g. `x = value`".into()),
            &["a condition must be yes or no"],
        ),
        Error::ValueAsCondition { value, input, .. } => W::new(
            format!("`{value}` is a value of `{input}`, not a condition"),
            Some(format!("compare it: `{input} = {value}`")),
            &["a value"],
        ),
        Error::RatePartNotCount {
            role, input, ty, ..
        } => W::new(
            format!(
                "the {} of a rate must be a count; `{input}` is a {}",
                match role {
                    RatePart::Numerator => "numerator",
                    RatePart::Denominator => "denominator",
                },
                type_name(*ty)
            ),
            Some("a rate divides two counts: `actes_fse / actes_total >= 70 %`".into()),
            &["not a count"],
        ),
        Error::CannotCompare {
            left,
            right,
            left_text,
            right_text,
            hint,
            ..
        } => W::with_labels(
            format!("cannot compare {} with {}", operand(left), operand(right)),
            hint.as_ref().map(compare_hint),
            vec![format!("`{left_text}` and `{right_text}`")],
        ),
        Error::Unordered { what, op, .. } => W::with_labels(
            format!(
                "{} can only be compared with `=` or `!=`",
                match what {
                    Unordered::Texts => "texts",
                    Unordered::YesNo => "yes/no values",
                    Unordered::Choices => "values of a `one of` input",
                }
            ),
            None,
            vec![format!("`{op}` has no order")],
        ),
        Error::NotWholeNumber { text, .. } => W::new(
            format!("a count is compared with whole numbers, not `{text}`"),
            Some("counts are whole and never negative: write `3`, not `2.5` or `-1`; for a quantity with decimals (hours, ETP), declare the input `decimal`".into()),
            &["not a whole number"],
        ),
        Error::InNeedsChoice { what, .. } => W::new(
            format!("`in` needs a value of a `one of` input, not {}", operand(what)),
            Some("`in` tests a `one of (...)` input: `specialite in annexe_1`".into()),
            &["not a `one of` input"],
        ),
        Error::ListOfOtherInput {
            list,
            list_input,
            input,
            ..
        } => W::new(
            format!("list `{list}` holds values of `{list_input}`, not of `{input}`"),
            None,
            &["values of another input"],
        ),
        Error::ThresholdOutOfRange { text, .. } => W::new(
            format!("threshold `{text}` is not between 0 % and 100 %"),
            Some("a rate of two counts lies between 0 % and 100 % (0/1 and 1/1); check the guide's figure".into()),
            &["no rate can be compared with this"],
        ),
        Error::UnknownValue {
            value, input, hint, ..
        } => W::with_labels(
            format!("`{value}` is not a value of `{input}`"),
            Some(match hint {
                ValueHint::DidYouMean(likely) => did_you_mean(likely),
                ValueHint::Values(values) => format!("the values are: {}", quoted(values, ", ")),
            }),
            vec![format!("not one of the values of `{input}`")],
        ),
        Error::GatingCycle { cycle, .. } => W::new(
            format!("gating cycle: {}", cycle_words(cycle)),
            Some("a rule cannot wait on itself; remove one `requires` or group membership in the cycle".into()),
            &["the cycle starts here"],
        ),
        Error::MissingGating { name, .. } => W::new(
            format!("`{name}` pays but does not say whether it waits on another rule"),
            Some("add `requires NAME` before `pays` (paid only if the group or indicator NAME is met) or `independent` (paid whatever happens to the other rules)".into()),
            &["this payment"],
        ),
        Error::RequiresEachOf { rule, group, .. } => W::new(
            format!("`{rule}` requires `{group}`, an each-of group, which is never met as a whole"),
            Some(format!("require an all-of group or an indicator; or make `{group}` all-of")),
            &["each-of group"],
        ),
        Error::IndependentInGatedGroup {
            rule,
            group,
            required,
            ..
        } => W::new(
            format!("`{rule}` says `independent`, but its group `{group}` requires `{required}`"),
            Some("remove `independent`, or take the indicator out of the group".into()),
            &["contradicts its group"],
        ),
        Error::NotARule { name, .. } => W::new(
            format!("`{name}` is not an indicator or a group"),
            Some("groups and `requires` name indicators and groups".into()),
            &["an input or a list"],
        ),
        Error::EachOfPays { group, .. } => W::new(
            format!("each-of group `{group}` cannot pay by itself"),
            Some("give each member its own `pays`, or make the group `all-of`".into()),
            &["its members pay"],
        ),
        Error::InvalidPointValue { .. } => W::new(
            "the point value must be a positive amount in euros",
            Some("write `point value 7 EUR`".into()),
            &["point value"],
        ),
        Error::NegativeAmount { .. } => W::new("an amount cannot be negative", None, &["negative"]),
        Error::PointsWithoutPointValue { .. } => W::new(
            "amount in points, but the rulebook has no point value",
            Some("add `point value 7 EUR` (the guide's value) to the header, after `currency EUR`".into()),
            &["points"],
        ),
        Error::WhenWithoutOtherwise { amount, .. } => W::new(
            "an amount with `when` needs another amount `otherwise`",
            Some(format!("add the amount paid when the condition does not hold: `... 0 EUR otherwise`, after `{amount} when ...`")),
            &["this amount"],
        ),
        Error::LastWithoutOtherwise { amount, .. } => W::new(
            "the last amount needs `otherwise`",
            Some(format!("write `{amount} otherwise`, the amount when no `when` holds")),
            &["this amount"],
        ),
        Error::OtherwiseNotLast { .. } => W::new(
            "`otherwise` must be the last of several amounts",
            Some("put the amounts with `when` first".into()),
            &["this amount"],
        ),
        Error::AmountWithoutWhen { amount, .. } => W::new(
            "each amount but the last needs `when CONDITION`",
            Some(format!("write `{amount} when CONDITION`, and end with `... otherwise`")),
            &["this amount"],
        ),
        Error::AmountTooLarge { .. } => W::new(
            "the amount in euros is too large to compute",
            None,
            &["too large"],
        ),
        Error::PerUnitOverflow {
            max_count, limit, ..
        } => W::new(
            format!("an amount this large per unit can overflow: a count may reach {max_count}"),
            Some(format!("an amount per unit is at most {limit} EUR (or its worth in points)")),
            &["per unit"],
        ),
        Error::MemberOfTwoGroups { member, .. } => W::new(
            format!("`{member}` belongs to two groups"),
            Some("an indicator or group belongs to at most one group, so that its gate is unambiguous".into()),
            &["second membership", "first membership"],
        ),
        Error::StatedTotalMismatch {
            label,
            stated,
            computed,
            unit,
            most,
            ..
        } => W::new(
            format!(
                "stated total `{label}` is {stated} {unit}, but the rules can pay at most {computed} {unit}",
                unit = unit_word(*unit)
            ),
            Some(format!(
                "the most the rules pay is {}; check the amounts against the guide, or the total's `of (...)` and `for ...`",
                most_paid(most)
            )),
            &["stated here"],
        ),
        Error::TotalProfileNotChoice { label, input, .. } => W::new(
            format!("stated total `{label}` cannot be verified: its `for` tests `{input}`, which is not a `one of` input"),
            Some("`for` chooses a profile: test `profession` or other `one of` inputs only".into()),
            &["stated here"],
        ),
        Error::TotalPaysNothing { label, .. } => W::new(
            format!("stated total `{label}` cannot be verified: nothing in its scope pays"),
            Some("name the groups or indicators it totals with `of (...)`".into()),
            &["stated here"],
        ),
        Error::TotalPerUnit {
            label, rule, input, ..
        } => W::new(
            format!("stated total `{label}` cannot be verified: `{rule}` pays per unit of `{input}`, which has no maximum"),
            Some("limit the total to the payments it counts with `of (...)`".into()),
            &["stated here"],
        ),
        Error::TotalPointsAndEuros { label, rule, .. } => W::new(
            format!("stated total `{label}` cannot be verified: it counts points, but `{rule}` pays euros"),
            Some("state the total in EUR, or limit it with `of (...)` to what pays points".into()),
            &["stated here"],
        ),
        Error::TotalTooManyProfiles { label, max, .. } => W::new(
            format!("stated total `{label}` cannot be verified: more than {max} profiles to try"),
            Some("restrict it with `for ...` to the profile the guide states it for".into()),
            &["stated here"],
        ),
        Error::TotalNoProfile { label, .. } => W::new(
            format!("stated total `{label}` cannot be verified: no profile satisfies its `for` condition"),
            None,
            &["stated here"],
        ),
        Error::UnusedRule { name, .. } => W::new(
            format!("`{name}` is never paid nor required by anything"),
            Some("put it in a group, give it `pays ...`, or name it in a `requires`; otherwise remove it".into()),
            &["has no effect on any amount"],
        ),
        Error::YesNoWord { written, write, .. } => W::new(
            format!("`{written}` is not a value of the language"),
            Some(format!("yes/no values are written `yes` and `no`: write `{write}`, or the input alone for `= yes`")),
            &["not `yes` or `no`"],
        ),
        Error::AndInsideOr { parenthesised, .. } => W::new(
            "`and` and `or` in one condition without parentheses",
            Some(format!("`and` binds first; if that is what you mean, say it with parentheses: `{parenthesised}` (forfait fmt writes them)")),
            &["`and` read first"],
        ),
        Error::UnusedInput { name, .. } => W::new(
            format!("input `{name}` is read by no rule"),
            Some("remove it, or use it in a condition; declarations may still carry it".into()),
            &["never read"],
        ),
        Error::UnusedList { name, .. } => W::new(
            format!("list `{name}` is used by no condition"),
            Some("use it with `in`, or remove it".into()),
            &["never used"],
        ),
        Error::NameYearMismatch {
            name_year,
            exercice,
            renamed,
            name_year_paid,
            ..
        } => W::new(
            format!("the rulebook's name says {name_year}, but its `exercice` is {exercice}"),
            Some(format!("if the rulebook is for the exercice {exercice}, rename it `{renamed}`; if it is for {name_year}, write `exercice {name_year}` and `paid in {name_year_paid}`")),
            &["this year", "the exercice"],
        ),
        Error::PaymentYear {
            exercice,
            paid_in,
            expected,
            ..
        } => W::new(
            if paid_in < exercice {
                format!("paid in {paid_in}, before the exercice {exercice} it pays for")
            } else if paid_in == exercice {
                format!("paid in {paid_in}, the exercice's own year")
            } else {
                format!(
                    "paid in {paid_in}, {} years after the exercice {exercice}",
                    paid_in - exercice
                )
            },
            Some(format!("the schemes pay the year after the exercice: write `paid in {expected}`, or correct `exercice` if it is the wrong one")),
            &["the year of payment", "the exercice"],
        ),
        Error::FileNameYearMismatch {
            file_name,
            file_year,
            exercice,
            after_year,
            file_year_paid,
            ..
        } => W::new(
            format!("the file name `{file_name}` says {file_year}, but the `exercice` is {exercice}"),
            Some(format!("if the rulebook is for the exercice {exercice}, rename the file `{exercice}{after_year}`; if it is for {file_year}, write `exercice {file_year}` and `paid in {file_year_paid}`")),
            &["the exercice"],
        ),
        Error::FileTooLarge { bytes, max, .. } => W::new(
            format!("{TOO_LARGE}: the file has {bytes} bytes, more than {max}"),
            Some(SPLIT.into()),
            &["here"],
        ),
        Error::ParenthesesTooDeep { max, .. } => W::new(
            format!("{TOO_LARGE}: parentheses nest more than {max} levels deep"),
            Some(SPLIT.into()),
            &["here"],
        ),
        Error::TooManyNots { max, .. } => W::new(
            format!("{TOO_LARGE}: more than {max} `not` in a row"),
            Some(SPLIT.into()),
            &["here"],
        ),
        Error::ConditionTooDeep { max, .. } => W::new(
            format!("the condition is too deeply nested to check: conditions nest more than {max} levels deep"),
            Some("split the condition into several indicators or groups".into()),
            &["here"],
        ),
        Error::GroupsTooDeep {
            max, group, depth, ..
        } => W::new(
            format!("the groups are too deeply nested to check: groups nest more than {max} levels deep (`{group}` is level {depth})"),
            Some("put the indicators in fewer levels of groups; the guides' tables nest two deep".into()),
            &["here"],
        ),
        Error::Internal => W::new(
            "internal error in forfait: the parser and its lowering disagree",
            Some("this is a bug in forfait; please report it with the rulebook".into()),
            &[],
        ),
    }
}

fn expected_list(expected: &[Expected]) -> String {
    if expected.is_empty() {
        return "something else".into();
    }
    let words: Vec<String> = expected.iter().map(expected_word).collect();
    alternatives(&words, "or")
}

fn expected_word(expected: &Expected) -> String {
    match expected {
        Expected::Keywords(words) => keywords(words, "or"),
        Expected::EndOfFile => "end of file".into(),
        Expected::EndOfRule => "the end of the rule".into(),
        Expected::Name => "a name".into(),
        Expected::QuotedText => "a quoted text".into(),
        Expected::Year => "a year".into(),
        Expected::InputType => {
            "a type (`yes/no`, `count`, `decimal`, `date`, `text` or `one of (...)`)".into()
        }
        Expected::ParenthesisedList => "a parenthesised list `(a, b, ...)`".into(),
        Expected::Value => "a value".into(),
        Expected::Amount => "an amount (`490 EUR`, `22.5 points`)".into(),
        Expected::Condition => "a condition".into(),
        Expected::Comparison => "a comparison (`>=`, `<=`, `>`, `<`, `=`, `!=`)".into(),
        Expected::Rate => "a rate `a / b`".into(),
        Expected::Percentage => "a percentage".into(),
        Expected::Fraction => "a fraction".into(),
        Expected::Number => "a number".into(),
        Expected::Date => "a date".into(),
    }
}

fn found_word(found: &Found) -> String {
    match found {
        Found::EndOfFile => "end of file".into(),
        Found::Text(t) => format!("`{t}`"),
    }
}

/// A slip's message and its fix.
fn slip_words(slip: &Slip) -> (String, String) {
    match slip {
        Slip::Comparator { written, write } => (
            format!("`{written}` is not a comparison"),
            format!("write `{write}`; the comparisons are `>=`, `<=`, `>`, `<`, `=`, `!=`"),
        ),
        Slip::Connective { written, write } => (
            format!("`{written}` is not a word of the language"),
            format!("write `{write}`: conditions join with `and`, `or` and `not`, in lowercase"),
        ),
        Slip::UppercaseName { written, write } => (
            format!("`{written}` has capitals, which names cannot have"),
            format!("write `{write}`: names are lowercase; the guide's wording goes in the quoted label"),
        ),
        Slip::DashedName { written, write } => (
            format!("`{written}` has a `-`, which names cannot have"),
            format!("write `{write}`: names join their words with `_`"),
        ),
        Slip::SlashComment => (
            "`//` does not start a comment".into(),
            "a comment starts with `#`: `# commentaire`".into(),
        ),
        Slip::GroupedNumber { written, write } => (
            format!("`{written}` is written with a thousands separator"),
            format!("write `{write}`: numbers in a rulebook have no separator"),
        ),
        Slip::AmountUnit { written, write } => (
            format!("`{written}` is not a unit of amount"),
            format!("write `{write}`: amounts are in `EUR` or `points` (`490 EUR`)"),
        ),
        Slip::RateAsDecimal { written, percent } => (
            format!("`{written}` is a rate's threshold written as a decimal with a comma"),
            format!("write `{percent}`: a rate is compared with a percentage (or a fraction such as `2/3`)"),
        ),
    }
}

fn syntax_hint(hint: &SyntaxHint) -> String {
    match hint {
        SyntaxHint::MisspeltKeyword { keyword } => format!(
            "{} each item starts with `input`, `list`, `indicator`, `group` or `stated total`, and each clause with its keyword",
            did_you_mean(keyword)
        ),
        SyntaxHint::UppercaseName => "names are written in lowercase letters, digits and `_`".into(),
        SyntaxHint::AccentedName => "names use unaccented letters (`teletransmission`); put the guide's wording in the quoted label".into(),
        SyntaxHint::EuroSign => "write the currency as `EUR`: `490 EUR`".into(),
        SyntaxHint::DecimalComma => "write decimals with a point: `22.5`, not `22,5`".into(),
        SyntaxHint::IndicatorShape => "an indicator reads: `indicator NAME \"Label\" section \"1.4\" automated met when CONDITION`".into(),
        SyntaxHint::InputMissing => "every input says what a missing value means: `missing is error`, `missing means no`, or `missing means none`".into(),
        SyntaxHint::Source => "say who provides it: `automated` (measured by the fund), `declarative`, or `declarative prefilled`".into(),
        SyntaxHint::QuoteEnds => "a quoted text ends on the line it starts on".into(),
        SyntaxHint::Quotes => "texts are written between double quotes: \"...\"".into(),
        SyntaxHint::ClauseOrder => "clauses come once each, in this order: indicator NAME \"Label\", section, type, evidence, applies when, met when, neutralised, quote, requires or independent, pays".into(),
        SyntaxHint::ItemStart => "each rule starts with `input`, `list`, `indicator`, `group` or `stated total`".into(),
    }
}

fn part(part: &Part) -> String {
    let item = |item: &ItemKind| match item {
        ItemKind::Rulebook => "rulebook",
        ItemKind::Input => "input",
        ItemKind::List => "list",
        ItemKind::Indicator => "indicator",
        ItemKind::Group => "group",
        ItemKind::Total => "total",
    };
    match part {
        Part::Keywords(words) => keywords(words, "or"),
        Part::Header => "the rulebook header".into(),
        Part::NameOf(i) => format!("the {}'s name", item(i)),
        Part::LabelOf(ItemKind::Rulebook) => "the rulebook's title".into(),
        Part::LabelOf(i) => format!("the {}'s label", item(i)),
        Part::TypeOf(i) => format!("the {}'s type", item(i)),
        Part::Professions => "a list of professions".into(),
        Part::ListValues => "the list's values".into(),
        Part::ListInput => "the input whose values the list holds".into(),
        Part::GroupMembers => "the group's members".into(),
        Part::Required => "the name of what is required".into(),
        Part::StatedAmount => "the stated amount".into(),
        Part::Names => "a list of names".into(),
        Part::Value => "a value".into(),
        Part::Amount => "an amount".into(),
        Part::Count => "a count".into(),
        Part::Number => "a number".into(),
        Part::Comparison => "a comparison".into(),
        Part::List => "a list".into(),
        Part::Numerator => "a numerator".into(),
        Part::Denominator => "a denominator".into(),
    }
}

fn name_kind(kind: NameKind) -> &'static str {
    match kind {
        NameKind::Input => "input",
        NameKind::List => "list",
        NameKind::Rule => "indicator or group",
    }
}

/// How an input's type is named after "is a".
pub(super) fn type_name(ty: TypeName) -> &'static str {
    match ty {
        TypeName::YesNo => "yes/no",
        TypeName::Count => "count",
        TypeName::Decimal => "decimal",
        TypeName::Date => "date",
        TypeName::Text => "text",
        TypeName::Choice => "one of a list",
    }
}

fn operand(operand: &OperandType) -> String {
    match operand {
        OperandType::YesNo => "a yes/no".into(),
        OperandType::Count => "a count".into(),
        OperandType::Decimal => "a decimal".into(),
        OperandType::Date => "a date".into(),
        OperandType::Text => "a text".into(),
        OperandType::ValueOf(input) => format!("a value of `{input}`"),
        OperandType::Name => "a name".into(),
        OperandType::Number => "a number".into(),
        OperandType::Rate => "a rate".into(),
        OperandType::Threshold => "a threshold".into(),
    }
}

fn missing_default_hint(hint: MissingDefaultHint) -> &'static str {
    match hint {
        MissingDefaultHint::YesNo => "write `missing means no`",
        MissingDefaultHint::Count => "write a whole number: `missing means 0`",
        MissingDefaultHint::Choice => "write one of the input's values, or `missing is error`",
        MissingDefaultHint::Other => {
            "write a value of the input's type, `missing means none`, or `missing is error`"
        }
    }
}

fn compare_hint(hint: &CompareHint) -> String {
    match hint {
        CompareHint::RateWithNumber {
            percent: Some(percent),
        } => {
            format!("a rate's threshold is a percentage: write `{percent}` (or a fraction such as `2/3`)")
        }
        CompareHint::RateWithNumber { percent: None } => {
            "write the threshold as a percentage (`70 %`) or a fraction (`2/3`)".into()
        }
        CompareHint::ChoiceValue { input } => format!("write one of the values of `{input}`"),
        CompareHint::YesNo => {
            "a yes/no input is a condition by itself: write `x` or `not x`".into()
        }
        CompareHint::CountWithThreshold => {
            "a percentage compares a rate: `numerator / denominator >= 70 %`".into()
        }
    }
}

/// "`coordination` waits on `socle`, which waits on `coordination`"
fn cycle_words(cycle: &Cycle) -> String {
    let verb = match cycle.link {
        CycleLink::WaitsOn => "waits on",
        CycleLink::Contains => "contains",
    };
    match cycle.names.split_first() {
        Some((first, rest)) => format!(
            "`{first}` {verb} {}",
            quoted(rest, &format!(", which {verb} "))
        ),
        None => String::new(),
    }
}

fn unit_word(unit: Unit) -> &'static str {
    match unit {
        Unit::Euros => "EUR",
        Unit::Points => "points",
    }
}

/// "`socle` 490 EUR + `coordination` 100 EUR (reached for profession = infirmier)"
fn most_paid(most: &MostPaid) -> String {
    let lines: Vec<String> = most
        .lines
        .iter()
        .map(|(name, amount)| format!("`{name}` {} {}", amount.normalize(), unit_word(most.unit)))
        .collect();
    let mut words = lines.join(" + ");
    if !most.profile.is_empty() {
        let profile: Vec<String> = most
            .profile
            .iter()
            .map(|(input, value)| format!("{input} = {value}"))
            .collect();
        words.push_str(&format!(" (reached for {})", profile.join(", ")));
    }
    words
}
