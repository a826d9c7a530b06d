//! pest's errors, reworded for people who write rulebooks.
//!
//! Spans are byte offsets (pest's `InputLocation`), never `line_col()`, which counts
//! characters and would shift the underline on accented labels.

use pest::error::{ErrorVariant, InputLocation};

use super::Rule;
use crate::diagnostics::{Error, Expected, Found, Slip, SyntaxHint};
use crate::value::ratio::as_percent;

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
        let span = (number_start, number_end - number_start).into();
        // `a / b >= 0,7`: the fix is `70 %` at once, not `0.7` and then the rate's error.
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let compares_a_rate = source[line_start..number_start].contains('/')
            && source[line_start..number_start]
                .trim_end()
                .ends_with(['=', '>', '<', '≥', '≤', '≠']);
        let percent = written
            .replace(',', ".")
            .parse::<rust_decimal::Decimal>()
            .ok()
            .and_then(as_percent);
        if let (true, Some(percent)) = (compares_a_rate, percent) {
            return Error::Slip {
                slip: Slip::RateAsDecimal {
                    written: written.to_string(),
                    percent,
                },
                span,
            };
        }
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
        let word: String = source[start..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let unaccented = unaccented(&word);
        return Error::AccentedName {
            span: (start, word.len()).into(),
            defined: defines(source, &unaccented),
            unaccented,
            word,
        };
    }
    if let Some((slip, span)) = slip(source, start, positives) {
        return Error::Slip {
            slip,
            span: (span.start, span.end - span.start).into(),
        };
    }

    let found = found_at(source, start);
    let (expected, help) = match &error.variant {
        ErrorVariant::ParsingError { .. } => {
            let mut said = expected(positives);
            if offset > 0 {
                for e in &mut said {
                    if *e == Expected::EndOfFile {
                        *e = Expected::EndOfRule;
                    }
                }
            }
            let at_line_start = before
                .rsplit('\n')
                .next()
                .is_some_and(|l| l.trim().is_empty());
            let text = found.as_deref().unwrap_or("");
            (said, hint(positives, text, at_line_start))
        }
        // The grammar raises no custom error: nothing better to say than "something else".
        ErrorVariant::CustomError { .. } => (Vec::new(), None),
    };
    let length = match found {
        None => 0,
        Some(_) => source[start..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .map(char::len_utf8)
            .sum::<usize>()
            .max(1),
    };
    let found = found.map_or(Found::EndOfFile, Found::Text);
    Error::Expected {
        expected,
        found,
        span: (start, length).into(),
        hint: help,
    }
}

/// A slip people make often, where the parse stopped at `start`, and what it covers.
fn slip(source: &str, start: usize, positives: &[Rule]) -> Option<(Slip, std::ops::Range<usize>)> {
    let before = &source[..start];
    let rest = &source[start..];
    let expects = |rules: &[Rule]| rules.iter().any(|r| positives.contains(r));
    let spaces = |c: char| c == ' ' || c == '\t' || c == '\u{A0}' || c == '\u{202F}';

    if rest.starts_with("//") {
        return Some((Slip::SlashComment, start..start + 2));
    }

    // `=>`, `==`, `=<`, `<>`, `> =`: the parse took the first sign as a comparison and
    // stopped at the second.
    const SIGNS: [char; 3] = ['=', '<', '>'];
    if rest.starts_with(SIGNS) {
        let trimmed = before.trim_end_matches(spaces);
        if let Some(first) = trimmed.chars().next_back().filter(|c| "=<>!".contains(*c)) {
            let from = trimmed.len() - first.len_utf8();
            let written = &source[from..start + 1];
            let signs: String = written.chars().filter(|c| !spaces(*c)).collect();
            let write = match signs.as_str() {
                "=>" | ">=" => Some(">="),
                "=<" | "<=" => Some("<="),
                "==" => Some("="),
                "<>" | "!=" => Some("!="),
                _ => None,
            };
            if let Some(write) = write {
                let slip = Slip::Comparator {
                    written: written.to_string(),
                    write,
                };
                return Some((slip, from..start + 1));
            }
        }
    }

    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '&' || *c == '|')
        .collect();
    let span = start..start + word.len();

    // `et`, `ou`, `AND`, `&&` after a condition.
    if expects(&[Rule::kw_and, Rule::kw_or]) {
        let write = match word.to_lowercase().as_str() {
            "et" | "and" | "&&" => Some("and"),
            "ou" | "or" | "||" => Some("or"),
            _ => None,
        };
        if let Some(write) = write {
            return Some((
                Slip::Connective {
                    written: word,
                    write,
                },
                span,
            ));
        }
    }
    if expects(&[Rule::kw_not, Rule::condition, Rule::negation])
        && ["NOT", "Not", "non", "NON"].contains(&word.as_str())
    {
        return Some((
            Slip::Connective {
                written: word,
                write: "not",
            },
            span,
        ));
    }

    // `490 euros`, `490 €`, `22.5 pts`.
    if expects(&[Rule::amount_unit, Rule::currency, Rule::kw_points]) {
        let unit: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
        let write = match unit.to_lowercase().as_str() {
            "€" | "euro" | "euros" | "eur" | "e" => Some("EUR"),
            "point" | "pts" | "pt" | "pts." | "points" => Some("points"),
            _ => None,
        };
        if let Some(write) = write {
            let span = start..start + unit.len();
            return Some((
                Slip::AmountUnit {
                    written: unit,
                    write,
                },
                span,
            ));
        }
    }

    // `1 240`: digits, a space, digits.
    let trimmed = before.trim_end_matches(spaces);
    if rest.starts_with(|c: char| c.is_ascii_digit())
        && trimmed.len() < before.len()
        && trimmed.ends_with(|c: char| c.is_ascii_digit())
    {
        let from = trimmed.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let to = start
            + rest
                .find(|c: char| !c.is_ascii_digit() && c != '.')
                .unwrap_or(rest.len());
        let written = &source[from..to];
        let write: String = written.chars().filter(|c| !spaces(*c)).collect();
        let slip = Slip::GroupedNumber {
            written: written.to_string(),
            write,
        };
        return Some((slip, from..to));
    }

    // `accueil-stagiaire`: the parse took `accueil` and stopped at the dash.
    if rest.starts_with('-') && before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        let from = before
            .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
            .len();
        let to = start
            + rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
        let written = &source[from..to];
        if written.starts_with(|c: char| c.is_ascii_lowercase()) && !written.ends_with('-') {
            let slip = Slip::DashedName {
                written: written.to_string(),
                write: written.replace('-', "_"),
            };
            return Some((slip, from..to));
        }
    }

    // `Accueil_Etudiant` where a name goes.
    let names_go_here = expects(&[
        Rule::name,
        Rule::condition,
        Rule::disjunction,
        Rule::conjunction,
        Rule::negation,
        Rule::comparison,
        Rule::membership,
    ]);
    let capitalised = word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if names_go_here && capitalised {
        let write = word.to_lowercase();
        return Some((
            Slip::UppercaseName {
                written: word,
                write,
            },
            span,
        ));
    }
    None
}

/// `coordonnée` → `coordonnee`: a name as it is written without accents.
fn unaccented(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        crate::lang::push_unaccented(&mut out, c);
    }
    out
}

/// Whether some item of the rulebook (input, list, indicator, group) is named `name`.
fn defines(source: &str, name: &str) -> bool {
    source.lines().any(|line| {
        let mut words = line.split_whitespace();
        matches!(words.next(), Some("input" | "list" | "indicator" | "group"))
            && words.next() == Some(name)
    })
}

/// The word at `start`, for the message; `None` at the end of the text.
fn found_at(source: &str, start: usize) -> Option<String> {
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
    (!word.is_empty()).then_some(word)
}

fn expected(positives: &[Rule]) -> Vec<Expected> {
    let mut said: Vec<Expected> = Vec::new();
    for rule in positives {
        // Comments may appear anywhere; listing them would drown what was expected.
        if *rule == Rule::COMMENT {
            continue;
        }
        if let Some(e) = describe(*rule) {
            if !said.contains(&e) {
                said.push(e);
            }
        }
    }
    said
}

/// What a reader knows each grammar rule as (`None` for rules never worth naming).
fn describe(rule: Rule) -> Option<Expected> {
    use Expected as E;
    Some(match rule {
        Rule::EOI => E::EndOfFile,
        Rule::file | Rule::header_chunk => E::Keywords(&["rulebook"]),
        Rule::header | Rule::kw_rulebook => E::Keywords(&["rulebook"]),
        Rule::name => E::Name,
        Rule::label | Rule::string => E::QuotedText,
        Rule::year => E::Year,
        Rule::scheme_clause | Rule::kw_scheme => E::Keywords(&["scheme"]),
        Rule::exercice_clause | Rule::kw_exercice => E::Keywords(&["exercice"]),
        Rule::paid_clause | Rule::kw_paid => E::Keywords(&["paid in"]),
        Rule::guide_clause | Rule::kw_guide => E::Keywords(&["guide"]),
        Rule::currency_clause | Rule::kw_currency => E::Keywords(&["currency"]),
        Rule::currency => E::Keywords(&["EUR"]),
        Rule::point_value_clause | Rule::kw_point => E::Keywords(&["point value"]),
        Rule::professions_clause | Rule::kw_professions => E::Keywords(&["professions"]),
        Rule::input_decl | Rule::kw_input => E::Keywords(&["input"]),
        Rule::list_decl | Rule::kw_list => E::Keywords(&["list"]),
        Rule::indicator_decl | Rule::kw_indicator => E::Keywords(&["indicator"]),
        Rule::group_decl | Rule::kw_group => E::Keywords(&["group"]),
        Rule::stated_total | Rule::kw_stated => E::Keywords(&["stated total"]),
        Rule::input_type => E::InputType,
        Rule::source | Rule::automated | Rule::declarative | Rule::declarative_prefilled => {
            E::Keywords(&["automated", "declarative", "declarative prefilled"])
        }
        Rule::kw_prefilled => E::Keywords(&["prefilled"]),
        Rule::unit_clause | Rule::kw_unit => E::Keywords(&["unit"]),
        Rule::missing_clause | Rule::kw_missing => {
            E::Keywords(&["missing is error", "missing means ..."])
        }
        Rule::missing_is_error | Rule::kw_is => E::Keywords(&["is error"]),
        Rule::missing_means | Rule::kw_means => E::Keywords(&["means"]),
        Rule::kw_error => E::Keywords(&["error"]),
        Rule::enum_values | Rule::name_list => E::ParenthesisedList,
        Rule::enum_value => E::Value,
        Rule::section_clause | Rule::kw_section => E::Keywords(&["section \"...\""]),
        Rule::evidence_clause | Rule::kw_evidence => E::Keywords(&["evidence"]),
        Rule::applies_clause | Rule::kw_applies => E::Keywords(&["applies when"]),
        Rule::met_clause | Rule::kw_met => E::Keywords(&["met when"]),
        Rule::kw_when | Rule::variant_when => E::Keywords(&["when"]),
        Rule::neutralised_clause | Rule::kw_neutralised => E::Keywords(&["neutralised"]),
        Rule::quote_clause | Rule::kw_quote => E::Keywords(&["quote"]),
        Rule::gating_clause | Rule::requires_clause | Rule::kw_requires => {
            E::Keywords(&["requires"])
        }
        Rule::independent_clause | Rule::kw_independent => E::Keywords(&["independent"]),
        Rule::pays_clause | Rule::kw_pays => E::Keywords(&["pays"]),
        Rule::amount_variant | Rule::amount => E::Amount,
        Rule::amount_unit | Rule::kw_points => E::Keywords(&["EUR", "points"]),
        Rule::per_clause | Rule::kw_per => E::Keywords(&["per"]),
        Rule::variant_otherwise | Rule::kw_otherwise => E::Keywords(&["otherwise"]),
        Rule::group_members | Rule::kw_all_of | Rule::kw_each_of => {
            E::Keywords(&["all-of", "each-of"])
        }
        Rule::kw_total => E::Keywords(&["total"]),
        Rule::of_clause | Rule::kw_of => E::Keywords(&["of"]),
        Rule::for_clause | Rule::kw_for => E::Keywords(&["for"]),
        Rule::condition
        | Rule::disjunction
        | Rule::conjunction
        | Rule::negation
        | Rule::comparison
        | Rule::membership => E::Condition,
        Rule::comparator => E::Comparison,
        Rule::kw_and => E::Keywords(&["and"]),
        Rule::kw_or => E::Keywords(&["or"]),
        Rule::kw_not => E::Keywords(&["not"]),
        Rule::kw_in => E::Keywords(&["in"]),
        Rule::ratio => E::Rate,
        Rule::percent => E::Percentage,
        Rule::fraction => E::Fraction,
        Rule::number | Rule::integer => E::Number,
        Rule::date => E::Date,
        Rule::yes_no_literal | Rule::kw_yes | Rule::kw_no => E::Keywords(&["yes", "no"]),
        Rule::none_literal | Rule::kw_none => E::Keywords(&["none"]),
        Rule::kw_value => E::Keywords(&["value"]),
        _ => return None,
    })
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
fn hint(positives: &[Rule], found: &str, at_line_start: bool) -> Option<SyntaxHint> {
    let word: String = found
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    if at_line_start && !KEYWORDS.contains(&word.as_str()) {
        if let Some(keyword) = crate::lang::closest(&word, KEYWORDS) {
            return Some(SyntaxHint::MisspeltKeyword { keyword });
        }
    }
    let first = found.chars().next().unwrap_or(' ');
    if positives.contains(&Rule::name) && first.is_ascii_uppercase() {
        return Some(SyntaxHint::UppercaseName);
    }
    if positives.contains(&Rule::name) && !first.is_ascii() {
        return Some(SyntaxHint::AccentedName);
    }
    if found.starts_with('€') {
        return Some(SyntaxHint::EuroSign);
    }
    if found.starts_with(|c: char| c.is_ascii_digit()) && found.contains(',') {
        return Some(SyntaxHint::DecimalComma);
    }
    if positives.contains(&Rule::met_clause) || positives.contains(&Rule::kw_met) {
        return Some(SyntaxHint::IndicatorShape);
    }
    if positives.contains(&Rule::missing_clause) || positives.contains(&Rule::kw_missing) {
        return Some(SyntaxHint::InputMissing);
    }
    if positives.contains(&Rule::source) || positives.contains(&Rule::kw_automated) {
        return Some(SyntaxHint::Source);
    }
    if positives.contains(&Rule::string) || positives.contains(&Rule::label) {
        if found.starts_with('"') {
            return Some(SyntaxHint::QuoteEnds);
        }
        return Some(SyntaxHint::Quotes);
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
        return Some(SyntaxHint::ClauseOrder);
    }
    if ["input", "list", "indicator", "group", "stated"].contains(&found)
        || positives.contains(&Rule::EOI) && positives.len() > 3
    {
        return Some(SyntaxHint::ItemStart);
    }
    None
}
