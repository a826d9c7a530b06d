//! pest's errors, reworded for people who write rulebooks.
//!
//! Spans are byte offsets (pest's `InputLocation`), never `line_col()`, which counts
//! characters and would shift the underline on accented labels.

use pest::error::{ErrorVariant, InputLocation};

use super::Rule;
use crate::diagnostics::{Error, Found};

/// Turns a pest error on `source[offset..]` into a located diagnostic on `source`.
///
/// `offset > 0` means the text was one item parsed alone (error recovery), where pest's "end
/// of input" is the end of that item.
pub(super) fn syntax_error(error: &pest::error::Error<Rule>, source: &str, offset: usize) -> Error {
    let start = offset
        + match error.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
    let mut start = start.min(source.len());
    let positives: &[Rule] = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { .. } => &[],
    };
    let before = &source[..start];

    // The mistakes people make often get their own message, underlining what they wrote.
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    if source[start..].starts_with('"') && !source[start + 1..line_end].contains('"') {
        return Error::UnclosedText {
            span: (start, line_end - start).into(),
        };
    }
    if source[start..].starts_with(',') && before.ends_with(|c: char| c.is_ascii_digit()) {
        let number_start = before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let number_end = start
            + 1
            + source[start + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(source.len() - start - 1);
        let written = &source[number_start..number_end];
        return Error::DecimalComma {
            written: written.to_string(),
            with_point: written.replace(',', "."),
            span: (number_start, number_end - number_start).into(),
        };
    }
    let mid_word = before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && source[start..].starts_with(|c: char| c.is_alphabetic() && !c.is_ascii());
    if mid_word {
        start = before
            .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
            .len();
        let word = found_at(source, start);
        return Error::AccentedName {
            span: (start, word.len()).into(),
            word,
        };
    }

    let found = found_at(source, start);
    let (expected, help) = match &error.variant {
        ErrorVariant::ParsingError { .. } => {
            let mut said = expected(positives);
            if offset > 0 {
                said = said.replace("end of file", "the end of the rule");
            }
            let at_line_start = before
                .rsplit('\n')
                .next()
                .is_some_and(|l| l.trim().is_empty());
            (said, hint(positives, &found, at_line_start))
        }
        ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    let length = if found == "end of file" {
        0
    } else {
        source[start..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .map(char::len_utf8)
            .sum::<usize>()
            .max(1)
    };
    let found = if found == "end of file" {
        Found::EndOfFile
    } else {
        Found::Text(found)
    };
    Error::Expected {
        expected,
        found,
        span: (start, length).into(),
        hint: help,
    }
}

/// The word at `start`, for the message.
fn found_at(source: &str, start: usize) -> String {
    let rest = &source[start..];
    // Control characters are shown escaped, so that the message stays one readable line.
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(24)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if word.is_empty() {
        "end of file".into()
    } else {
        word
    }
}

fn expected(positives: &[Rule]) -> String {
    let mut words: Vec<&str> = Vec::new();
    for rule in positives {
        let word = describe(*rule);
        // Comments may appear anywhere; listing them would drown what was expected.
        if *rule == Rule::COMMENT || word.is_empty() {
            continue;
        }
        if !words.contains(&word) {
            words.push(word);
        }
    }
    match words.as_slice() {
        [] => "something else".into(),
        [one] => (*one).into(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// The name a reader knows for each grammar rule (empty for rules never worth naming).
fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of file",
        Rule::file | Rule::header_chunk => "`rulebook`",
        Rule::header | Rule::kw_rulebook => "`rulebook`",
        Rule::name => "a name",
        Rule::label | Rule::string => "a quoted text",
        Rule::year => "a year",
        Rule::scheme_clause | Rule::kw_scheme => "`scheme`",
        Rule::exercice_clause | Rule::kw_exercice => "`exercice`",
        Rule::paid_clause | Rule::kw_paid => "`paid in`",
        Rule::guide_clause | Rule::kw_guide => "`guide`",
        Rule::currency_clause | Rule::kw_currency => "`currency`",
        Rule::currency => "`EUR`",
        Rule::point_value_clause | Rule::kw_point => "`point value`",
        Rule::professions_clause | Rule::kw_professions => "`professions`",
        Rule::input_decl | Rule::kw_input => "`input`",
        Rule::list_decl | Rule::kw_list => "`list`",
        Rule::indicator_decl | Rule::kw_indicator => "`indicator`",
        Rule::group_decl | Rule::kw_group => "`group`",
        Rule::stated_total | Rule::kw_stated => "`stated total`",
        Rule::input_type => {
            "a type (`yes/no`, `count`, `decimal`, `date`, `text` or `one of (...)`)"
        }
        Rule::source | Rule::automated | Rule::declarative | Rule::declarative_prefilled => {
            "`automated`, `declarative` or `declarative prefilled`"
        }
        Rule::kw_prefilled => "`prefilled`",
        Rule::unit_clause | Rule::kw_unit => "`unit`",
        Rule::missing_clause | Rule::kw_missing => "`missing is error` or `missing means ...`",
        Rule::missing_is_error | Rule::kw_is => "`is error`",
        Rule::missing_means | Rule::kw_means => "`means`",
        Rule::kw_error => "`error`",
        Rule::enum_values | Rule::name_list => "a parenthesised list `(a, b, ...)`",
        Rule::enum_value => "a value",
        Rule::section_clause | Rule::kw_section => "`section \"...\"`",
        Rule::evidence_clause | Rule::kw_evidence => "`evidence`",
        Rule::applies_clause | Rule::kw_applies => "`applies when`",
        Rule::met_clause | Rule::kw_met => "`met when`",
        Rule::kw_when | Rule::variant_when => "`when`",
        Rule::neutralised_clause | Rule::kw_neutralised => "`neutralised`",
        Rule::quote_clause | Rule::kw_quote => "`quote`",
        Rule::gating_clause | Rule::requires_clause | Rule::kw_requires => "`requires`",
        Rule::independent_clause | Rule::kw_independent => "`independent`",
        Rule::pays_clause | Rule::kw_pays => "`pays`",
        Rule::amount_variant | Rule::amount => "an amount (`490 EUR`, `22.5 points`)",
        Rule::amount_unit | Rule::kw_points => "`EUR` or `points`",
        Rule::per_clause | Rule::kw_per => "`per`",
        Rule::variant_otherwise | Rule::kw_otherwise => "`otherwise`",
        Rule::group_members | Rule::kw_all_of | Rule::kw_each_of => "`all-of` or `each-of`",
        Rule::kw_total => "`total`",
        Rule::of_clause | Rule::kw_of => "`of`",
        Rule::for_clause | Rule::kw_for => "`for`",
        Rule::condition
        | Rule::disjunction
        | Rule::conjunction
        | Rule::negation
        | Rule::comparison
        | Rule::membership => "a condition",
        Rule::comparator => "a comparison (`>=`, `<=`, `>`, `<`, `=`, `!=`)",
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_not => "`not`",
        Rule::kw_in => "`in`",
        Rule::ratio => "a rate `a / b`",
        Rule::percent => "a percentage",
        Rule::fraction => "a fraction",
        Rule::number | Rule::integer => "a number",
        Rule::date => "a date",
        Rule::yes_no_literal | Rule::kw_yes | Rule::kw_no => "`yes` or `no`",
        Rule::none_literal | Rule::kw_none => "`none`",
        Rule::kw_value => "`value`",
        _ => "",
    }
}

/// Words that start an item or a clause, for "did you mean".
const KEYWORDS: [&str; 19] = [
    "input",
    "list",
    "indicator",
    "group",
    "stated",
    "section",
    "evidence",
    "applies",
    "met",
    "neutralised",
    "quote",
    "requires",
    "independent",
    "pays",
    "unit",
    "missing",
    "automated",
    "declarative",
    "prefilled",
];

/// A hint for mistakes people make often.
fn hint(positives: &[Rule], found: &str, at_line_start: bool) -> Option<String> {
    let word: String = found
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    if at_line_start && !KEYWORDS.contains(&word.as_str()) {
        if let Some(suggestion) = crate::diagnostics::did_you_mean(&word, KEYWORDS) {
            return Some(format!(
                "{suggestion} each item starts with `input`, `list`, `indicator`, `group` or `stated total`, and each clause with its keyword"
            ));
        }
    }
    let first = found.chars().next().unwrap_or(' ');
    if positives.contains(&Rule::name) && first.is_ascii_uppercase() {
        return Some("names are written in lowercase letters, digits and `_`".into());
    }
    if positives.contains(&Rule::name) && !first.is_ascii() {
        return Some(
            "names use unaccented letters (`teletransmission`); put the guide's wording in the quoted label".into(),
        );
    }
    if found.starts_with('€') {
        return Some("write the currency as `EUR`: `490 EUR`".into());
    }
    if found.starts_with(|c: char| c.is_ascii_digit()) && found.contains(',') {
        return Some("write decimals with a point: `22.5`, not `22,5`".into());
    }
    if positives.contains(&Rule::met_clause) || positives.contains(&Rule::kw_met) {
        return Some("an indicator reads: `indicator NAME \"Label\" section \"1.4\" automated met when CONDITION`".into());
    }
    if positives.contains(&Rule::missing_clause) || positives.contains(&Rule::kw_missing) {
        return Some("every input says what a missing value means: `missing is error`, `missing means no`, or `missing means none`".into());
    }
    if positives.contains(&Rule::source) || positives.contains(&Rule::kw_automated) {
        return Some("say who provides it: `automated` (measured by the fund), `declarative`, or `declarative prefilled`".into());
    }
    if positives.contains(&Rule::string) || positives.contains(&Rule::label) {
        if found.starts_with('"') {
            return Some("a quoted text ends on the line it starts on".into());
        }
        return Some("texts are written between double quotes: \"...\"".into());
    }
    if [
        "pays",
        "requires",
        "independent",
        "section",
        "met",
        "evidence",
        "applies",
        "unit",
        "missing",
    ]
    .contains(&found)
    {
        return Some(
            "clauses come once each, in this order: indicator NAME \"Label\", section, type, evidence, applies when, met when, neutralised, quote, requires or independent, pays".into(),
        );
    }
    if ["input", "list", "indicator", "group", "stated"].contains(&found)
        || positives.contains(&Rule::EOI) && positives.len() > 3
    {
        return Some(
            "each rule starts with `input`, `list`, `indicator`, `group` or `stated total`".into(),
        );
    }
    None
}
