//! The language's keywords, each with one line of the language reference
//! (`docs/language.md`, quoted word for word: a test checks that each line is there).

/// Every keyword of the grammar (its `kw_*` rules, `yes/no` and `EUR`): a test checks the
/// two lists are the same. (`profession` and `id` are names the declaration holds, with a
/// reference line too.)
pub const KEYWORDS: [&str; 54] = [
    "rulebook",
    "scheme",
    "exercice",
    "paid",
    "in",
    "guide",
    "currency",
    "point",
    "value",
    "professions",
    "input",
    "yes/no",
    "count",
    "decimal",
    "date",
    "text",
    "one",
    "of",
    "automated",
    "declarative",
    "prefilled",
    "unit",
    "missing",
    "is",
    "error",
    "means",
    "none",
    "list",
    "indicator",
    "section",
    "evidence",
    "applies",
    "when",
    "met",
    "neutralised",
    "quote",
    "requires",
    "independent",
    "pays",
    "per",
    "otherwise",
    "points",
    "EUR",
    "group",
    "all-of",
    "each-of",
    "stated",
    "total",
    "for",
    "and",
    "or",
    "not",
    "yes",
    "no",
];

/// Where a keyword is explained: its line of the reference and the section holding it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    pub line: &'static str,
    pub section: &'static str,
}

const HEADER: &str = "2. The header";
const INPUTS: &str = "3. Inputs";
const LISTS: &str = "4. Lists";
const INDICATORS: &str = "5. Indicators";
const CONDITIONS: &str = "6. Conditions";
const GROUPS: &str = "7. Groups";
const GATING: &str = "8. Gating: `requires` and `independent`";
const AMOUNTS: &str = "9. Amounts";
const TOTALS: &str = "10. Stated totals";

/// The reference line of `word`; `previous` is the word before it, for the words whose
/// meaning depends on it (`paid in` and `x in list`, `one of` and `list ... of`).
pub fn reference(word: &str, previous: Option<&str>) -> Option<Reference> {
    let r = |line, section| Some(Reference { line, section });
    match (word, previous) {
        ("rulebook", _) => r(
            "The rulebook's name (shown with every result) and its title in the guide's words.",
            HEADER,
        ),
        ("scheme", _) => r("The scheme: `\"FAMI\"`, `\"Forfait structure\"`.", HEADER),
        ("exercice", _) => r(
            "The year of activity that the rulebook pays for (four digits).",
            HEADER,
        ),
        ("paid", _) | ("in", Some("paid")) => r("The year in which the payment is made.", HEADER),
        ("guide", _) => r(
            "The exact guide that the rulebook transcribes: its title, author and date.",
            HEADER,
        ),
        ("currency" | "EUR", _) => r("The currency. `EUR` is the only one.", HEADER),
        ("point" | "value", _) => r(
            "Only for schemes that count points: the value of one point in euros.",
            HEADER,
        ),
        ("professions", _) => r(
            "The professions the rulebook covers, each as a name and an optional label.",
            HEADER,
        ),
        ("profession", _) => r(
            "Every rulebook has one input that you do not write yourself: **`profession`**. Its possible values are the professions listed in the header.",
            HEADER,
        ),
        ("id", _) => r(
            "Required, in every record. A non-empty text or a number",
            "11. Declarations",
        ),
        ("in", _) => r(
            "`INPUT in LIST` or `INPUT in (value, value, ...)` holds when the `one of` input has one of the values.",
            CONDITIONS,
        ),
        ("input", _) => r("An input is one field of the declaration.", INPUTS),
        ("yes/no", _) => r("| `yes/no` | yes or no |", INPUTS),
        ("count", _) => r("| `count` | a whole number, 0 or more |", INPUTS),
        ("decimal", _) => r("| `decimal` | a number that may have decimals |", INPUTS),
        ("date", _) => r("| `date` | a calendar date |", INPUTS),
        ("text", _) => r("| `text` | free text |", INPUTS),
        ("of", Some("list")) => r(
            "A list holds the values of one input, which is written after `of`.",
            LISTS,
        ),
        ("one", _) | ("of", Some("one")) => r(
            "| `one of (...)` | one value from a fixed list of names, each with an optional label |",
            INPUTS,
        ),
        ("automated", _) => r(
            "| `automated` | measured by the fund (from billing flows, national platforms, ...) |",
            INPUTS,
        ),
        ("declarative", _) => r("| `declarative` | declared by the professional |", INPUTS),
        ("prefilled", _) => r(
            "| `declarative prefilled` | declared by the professional, on a form the fund fills in beforehand |",
            INPUTS,
        ),
        ("unit", _) => r(
            "`unit \"...\"` names what a count counts, in the plural.",
            INPUTS,
        ),
        ("missing", _) => r(
            "Every input ends with a `missing` clause. It says what happens when a declaration does not give the field",
            INPUTS,
        ),
        ("is" | "error", _) => r(
            "| `missing is error` | The value must be given. If a rule needs it for this declaration, the **whole declaration is rejected**",
            INPUTS,
        ),
        ("means", _) => r(
            "| `missing means VALUE` | A missing value is replaced by `VALUE`, which must be of the input's type",
            INPUTS,
        ),
        ("none", _) => r(
            "| `missing means none` | A missing value stays empty.",
            INPUTS,
        ),
        ("list", _) => r(
            "A list gives a name to a set of values of a `one of` input, such as the specialties of an annex.",
            LISTS,
        ),
        ("indicator", _) => r(
            "An indicator is one line of the guide's table: a condition to meet, and often an amount.",
            INDICATORS,
        ),
        ("section", _) => r(
            "| `section \"...\"` | Where the indicator is in the guide (`\"1.4\"`, `\"II.1\"`).",
            INDICATORS,
        ),
        ("evidence", _) => r(
            "| `evidence \"...\"` | Optional. The proof the guide asks for (the \"justificatif\").",
            INDICATORS,
        ),
        ("applies", _) | ("when", Some("applies")) => r(
            "| `applies when CONDITION` | Optional. Whom the indicator concerns. When the condition does not hold, the indicator is *not applicable*. |",
            INDICATORS,
        ),
        ("met", _) | ("when", Some("met")) => r(
            "| `met when CONDITION` | Required. When the indicator is met. |",
            INDICATORS,
        ),
        ("neutralised", _) | ("when", Some("neutralised")) => r(
            "The indicator is not required: this year for everyone (without `when`), or for those who satisfy the condition.",
            INDICATORS,
        ),
        ("quote", _) => r(
            "| `quote \"...\"` | Optional, and may be repeated. The guide's exact words where the reading matters.",
            INDICATORS,
        ),
        ("when", _) => r(
            "Conditions follow `applies when`, `met when`, `neutralised when`, the `when` of an amount and the `for` of a stated total.",
            CONDITIONS,
        ),
        ("and", _) => r("`A and B` holds when both hold.", CONDITIONS),
        ("or", _) => r("`A or B` holds when at least one holds.", CONDITIONS),
        ("not", _) => r("`not A` holds when `A` does not.", CONDITIONS),
        ("yes" | "no", _) => r(
            "A yes/no input is a condition by itself: `met when stagiaire_temps_plein`. You can also write `stagiaire_temps_plein = yes`, or `not stagiaire_temps_plein`.",
            CONDITIONS,
        ),
        ("group", _) => r(
            "A group gathers indicators, or other groups, that the guide judges or pays together.",
            GROUPS,
        ),
        ("all-of", _) => r(
            "An `all-of` group is met when **every applicable, non-neutralised member is met**.",
            GROUPS,
        ),
        ("each-of", _) => r(
            "In an `each-of` group, every member is measured and paid by itself, with its own `pays`.",
            GROUPS,
        ),
        ("requires", _) => r(
            "`requires NAME` names an indicator or an `all-of` group.",
            GATING,
        ),
        ("independent", _) => r(
            "`independent` says that the payment does not wait on anything else.",
            GATING,
        ),
        ("pays", _) => r(
            "`pays` comes last in an indicator or a group. It says what the rule pays when it is met and its gates pass.",
            AMOUNTS,
        ),
        ("points", _) => r(
            "Amounts in points are turned into euros with the header's `point value`",
            AMOUNTS,
        ),
        ("per", _) => r(
            "`AMOUNT per COUNT` pays the amount once for each unit of a count input",
            AMOUNTS,
        ),
        ("otherwise", _) => r(
            "The **first** variant whose `when` holds is paid. If none holds, the `otherwise` amount is paid.",
            AMOUNTS,
        ),
        ("stated" | "total", _) => r(
            "A `stated total` copies such a total into the rulebook. `forfait check` then verifies that the rules can pay **exactly** that much at most.",
            TOTALS,
        ),
        ("of", Some(_)) | ("of", None) => r(
            "| `of (NAME, ...)` | Optional. The indicators and groups it totals.",
            TOTALS,
        ),
        ("for", _) => r(
            "| `for CONDITION` | Optional. The profile the guide states the total for, such as one zone or one profession. |",
            TOTALS,
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squeeze(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn every_reference_line_is_in_the_language_reference() {
        let doc = squeeze(include_str!("../../docs/language.md"));
        let previous = [
            None,
            Some("paid"),
            Some("one"),
            Some("met"),
            Some("applies"),
        ];
        for word in KEYWORDS.iter().chain(&["profession", "id"]) {
            for p in previous {
                let Some(reference) = reference(word, p) else {
                    panic!("`{word}` has no reference line");
                };
                assert!(
                    doc.contains(&squeeze(reference.line)),
                    "the line for `{word}` is not in docs/language.md: {}",
                    reference.line
                );
                assert!(
                    doc.contains(&format!("## {}", reference.section)),
                    "no section {} in docs/language.md",
                    reference.section
                );
            }
        }
    }

    #[test]
    fn the_keywords_are_the_grammars() {
        let grammar = include_str!("../../grammar/forfait.pest");
        let mut from_grammar: Vec<String> = grammar
            .lines()
            .filter(|l| l.starts_with("kw_"))
            .filter_map(|l| l.split('"').nth(1).map(str::to_string))
            .collect();
        from_grammar.extend(["yes/no".to_string(), "EUR".to_string()]);
        from_grammar.sort();
        let mut ours: Vec<String> = KEYWORDS.iter().map(|k| k.to_string()).collect();
        ours.sort();
        assert_eq!(ours, from_grammar);
    }
}
