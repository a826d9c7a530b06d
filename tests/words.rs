//! Every rulebook diagnostic has its words in English and in French: each variant, built
//! with sample fields, is worded in both languages; the French differs from the English,
//! keeps no English filler, and says something of each place it points at. The match in
//! `sample_index` does not compile when a variant is added without a sample.

use forfait::diagnostics::*;
use miette::{Diagnostic, SourceSpan};
use rust_decimal::Decimal;

fn at(offset: usize) -> SourceSpan {
    (offset, 3).into()
}

fn s(text: &str) -> String {
    text.to_string()
}

/// One error of each variant (and of each hint, where a hint changes the words).
fn samples() -> Vec<Error> {
    let span = at(0);
    vec![
        Error::UnclosedText { span },
        Error::DecimalComma {
            written: s("22,5"),
            with_point: s("22.5"),
            span,
        },
        Error::AccentedName {
            word: s("télétransmission"),
            unaccented: s("teletransmission"),
            defined: true,
            span,
        },
        Error::AccentedName {
            word: s("prise_en_charge_coordonnée"),
            unaccented: s("prise_en_charge_coordonnee"),
            defined: false,
            span,
        },
        Error::Slip {
            slip: Slip::Comparator {
                written: s("=>"),
                write: ">=",
            },
            span,
        },
        Error::Slip {
            slip: Slip::Connective {
                written: s("et"),
                write: "and",
            },
            span,
        },
        Error::Slip {
            slip: Slip::UppercaseName {
                written: s("Accueil_Etudiant"),
                write: s("accueil_etudiant"),
            },
            span,
        },
        Error::Slip {
            slip: Slip::DashedName {
                written: s("accueil-stagiaire"),
                write: s("accueil_stagiaire"),
            },
            span,
        },
        Error::Slip {
            slip: Slip::SlashComment,
            span,
        },
        Error::Slip {
            slip: Slip::GroupedNumber {
                written: s("1 240"),
                write: s("1240"),
            },
            span,
        },
        Error::Slip {
            slip: Slip::AmountUnit {
                written: s("euros"),
                write: "EUR",
            },
            span,
        },
        Error::Slip {
            slip: Slip::RateAsDecimal {
                written: s("0,7"),
                percent: s("70 %"),
            },
            span,
        },
        Error::YesNoWord {
            written: s("oui"),
            write: "yes",
            span,
        },
        Error::AndInsideOr {
            parenthesised: s("(a and b) or c"),
            span,
        },
        Error::Expected {
            expected: vec![
                Expected::Keywords(&["applies when"]),
                Expected::Keywords(&["met when"]),
            ],
            found: Found::Text(s("independent")),
            span,
            hint: Some(SyntaxHint::IndicatorShape),
        },
        Error::Expected {
            expected: vec![
                Expected::EndOfFile,
                Expected::EndOfRule,
                Expected::Name,
                Expected::QuotedText,
                Expected::Year,
                Expected::InputType,
                Expected::ParenthesisedList,
                Expected::Value,
                Expected::Amount,
                Expected::Condition,
                Expected::Comparison,
                Expected::Rate,
                Expected::Percentage,
                Expected::Fraction,
                Expected::Number,
                Expected::Date,
            ],
            found: Found::EndOfFile,
            span,
            hint: Some(SyntaxHint::MisspeltKeyword {
                keyword: s("indicator"),
            }),
        },
        Error::Expected {
            expected: vec![],
            found: Found::EndOfFile,
            span,
            hint: None,
        },
        Error::MissingPart {
            what: Part::NameOf(ItemKind::Input),
            span,
        },
        Error::MissingPart {
            what: Part::ListInput,
            span,
        },
        Error::Unexpected { text: s("@"), span },
        Error::NeutralisedWithoutWords { span },
        Error::InvalidNumber {
            text: s("4904904904904904904904904904904"),
            span,
        },
        Error::InvalidDate {
            text: s("2024-06-31"),
            span,
        },
        Error::UnknownName {
            kind: NameKind::Input,
            name: s("actes_totl"),
            span,
            suggestion: Some(s("actes_total")),
        },
        Error::UnknownName {
            kind: NameKind::Rule,
            name: s("socel"),
            span,
            suggestion: None,
        },
        Error::UnknownName {
            kind: NameKind::List,
            name: s("annexe"),
            span,
            suggestion: None,
        },
        Error::DuplicateName {
            name: s("socle"),
            span,
            first: at(10),
        },
        Error::DuplicateValue {
            value: s("msp"),
            of: s("dispositif"),
            span,
            first: at(10),
        },
        Error::ReservedProfession { span },
        Error::ReservedId { span },
        Error::RuleInCondition {
            name: s("socle"),
            span,
        },
        Error::ListInCondition {
            name: s("annexe_1"),
            span,
        },
        Error::MissingDefaultType {
            input: s("interventions"),
            ty: TypeName::Count,
            written: s("no"),
            span,
            hint: MissingDefaultHint::Count,
        },
        Error::ListOfNonChoice {
            list: s("l"),
            input: s("x"),
            ty: TypeName::Text,
            span,
        },
        Error::PerNotCount {
            input: s("x"),
            ty: TypeName::Decimal,
            span,
        },
        Error::CountAsCondition {
            text: s("interventions"),
            span,
        },
        Error::RateAsCondition {
            text: s("a / b"),
            span,
        },
        Error::NotYesNo {
            text: s("x"),
            what: OperandType::Date,
            span,
        },
        Error::ValueAsCondition {
            value: s("msp"),
            input: s("dispositif"),
            span,
        },
        Error::RatePartNotCount {
            role: RatePart::Denominator,
            input: s("x"),
            ty: TypeName::YesNo,
            span,
        },
        Error::CannotCompare {
            left: OperandType::Rate,
            right: OperandType::Number,
            left_text: "a / b".into(),
            right_text: "70".into(),
            span,
            hint: Some(CompareHint::RateWithNumber {
                percent: Some("70 %".into()),
            }),
        },
        Error::CannotCompare {
            left: OperandType::Rate,
            right: OperandType::Number,
            left_text: "a / b".into(),
            right_text: "700".into(),
            span,
            hint: Some(CompareHint::RateWithNumber { percent: None }),
        },
        Error::CannotCompare {
            left: OperandType::ValueOf("zone".into()),
            right: OperandType::Threshold,
            left_text: "zone".into(),
            right_text: "70 %".into(),
            span,
            hint: Some(CompareHint::ChoiceValue { input: s("zone") }),
        },
        Error::Unordered {
            what: Unordered::Choices,
            op: ">=",
            span,
        },
        Error::NotWholeNumber {
            text: s("0.5"),
            span,
        },
        Error::InNeedsChoice {
            what: OperandType::Count,
            span,
        },
        Error::ListOfOtherInput {
            list: s("l"),
            list_input: s("a"),
            input: s("b"),
            span,
        },
        Error::ThresholdOutOfRange {
            text: s("700 %"),
            span,
        },
        Error::UnknownValue {
            value: s("sous_dence"),
            input: s("zone"),
            span,
            hint: ValueHint::DidYouMean(s("sous_dense")),
        },
        Error::UnknownValue {
            value: s("x"),
            input: s("zone"),
            span,
            hint: ValueHint::Values(vec![s("a"), s("b")]),
        },
        Error::GatingCycle {
            cycle: Cycle {
                names: vec![s("a"), s("b"), s("a")],
                link: CycleLink::WaitsOn,
            },
            span,
        },
        Error::MissingGating {
            name: s("aller_vers"),
            span,
        },
        Error::RequiresEachOf {
            rule: s("a"),
            group: s("g"),
            span,
        },
        Error::IndependentInGatedGroup {
            rule: s("a"),
            group: s("g"),
            required: s("socle"),
            span,
        },
        Error::NotARule { name: s("x"), span },
        Error::EachOfPays {
            group: s("g"),
            span,
        },
        Error::InvalidPointValue { span },
        Error::NegativeAmount { span },
        Error::PointsWithoutPointValue { span },
        Error::WhenWithoutOtherwise {
            amount: s("350 EUR"),
            span,
        },
        Error::LastWithoutOtherwise {
            amount: s("350 EUR"),
            span,
        },
        Error::OtherwiseNotLast { span },
        Error::AmountWithoutWhen {
            amount: s("350 EUR"),
            span,
        },
        Error::AmountTooLarge { span },
        Error::PerUnitOverflow {
            max_count: u64::MAX,
            limit: Decimal::new(542_101_086, 2),
            span,
        },
        Error::MemberOfTwoGroups {
            member: s("m"),
            span,
            first: at(10),
        },
        Error::StatedTotalMismatch {
            label: s("TOTAL maximal"),
            stated: Decimal::new(1250, 0),
            computed: Decimal::new(1240, 0),
            unit: Unit::Euros,
            most: Box::new(MostPaid {
                lines: vec![(s("socle"), Decimal::new(490, 0))],
                unit: Unit::Euros,
                profile: vec![(s("profession"), s("infirmier"))],
            }),
            span,
        },
        Error::TotalProfileNotChoice {
            label: s("T"),
            input: s("x"),
            span,
        },
        Error::TotalPaysNothing {
            label: s("T"),
            span,
        },
        Error::TotalPerUnit {
            label: s("T"),
            rule: s("r"),
            input: s("x"),
            span,
        },
        Error::TotalPointsAndEuros {
            label: s("T"),
            rule: s("r"),
            span,
        },
        Error::TotalTooManyProfiles {
            label: s("T"),
            max: 4096,
            span,
        },
        Error::TotalNoProfile {
            label: s("T"),
            span,
        },
        Error::UnusedRule {
            name: s("horaires"),
            span,
        },
        Error::UnusedInput { name: s("x"), span },
        Error::UnusedList {
            name: s("annexe_1"),
            span,
        },
        Error::NameYearMismatch {
            name_year: 2024,
            exercice: 2025,
            renamed: s("fami_2025"),
            name_year_paid: 2025,
            span,
            exercice_span: at(10),
        },
        Error::PaymentYear {
            exercice: 2024,
            paid_in: 2027,
            expected: 2025,
            span,
            exercice_span: at(10),
        },
        Error::FileNameYearMismatch {
            file_name: s("2025-x.forfait"),
            file_year: 2025,
            exercice: 2024,
            after_year: s("-x.forfait"),
            file_year_paid: 2026,
            span,
        },
        Error::FileTooLarge {
            bytes: 2_000_000,
            max: 1_048_576,
            span,
        },
        Error::ParenthesesTooDeep { max: 32, span },
        Error::TooManyNots { max: 64, span },
        Error::ConditionTooDeep { max: 64, span },
        Error::GroupsTooDeep {
            max: 32,
            group: s("g"),
            depth: 33,
            span,
        },
        Error::Internal,
    ]
}

/// The variant's place in the enum: a new variant does not compile until it is listed
/// here, and then the test asks for its sample.
fn sample_index(error: &Error) -> usize {
    match error {
        Error::UnclosedText { .. } => 0,
        Error::DecimalComma { .. } => 1,
        Error::AccentedName { .. } => 2,
        Error::Expected { .. } => 3,
        Error::MissingPart { .. } => 4,
        Error::Unexpected { .. } => 5,
        Error::NeutralisedWithoutWords { .. } => 6,
        Error::InvalidNumber { .. } => 7,
        Error::InvalidDate { .. } => 8,
        Error::UnknownName { .. } => 9,
        Error::DuplicateName { .. } => 10,
        Error::DuplicateValue { .. } => 11,
        Error::ReservedProfession { .. } => 12,
        Error::ReservedId { .. } => 13,
        Error::RuleInCondition { .. } => 14,
        Error::ListInCondition { .. } => 15,
        Error::MissingDefaultType { .. } => 16,
        Error::ListOfNonChoice { .. } => 17,
        Error::PerNotCount { .. } => 18,
        Error::CountAsCondition { .. } => 19,
        Error::RateAsCondition { .. } => 20,
        Error::NotYesNo { .. } => 21,
        Error::ValueAsCondition { .. } => 22,
        Error::RatePartNotCount { .. } => 23,
        Error::CannotCompare { .. } => 24,
        Error::Unordered { .. } => 25,
        Error::NotWholeNumber { .. } => 26,
        Error::InNeedsChoice { .. } => 27,
        Error::ListOfOtherInput { .. } => 28,
        Error::ThresholdOutOfRange { .. } => 29,
        Error::UnknownValue { .. } => 30,
        Error::GatingCycle { .. } => 31,
        Error::MissingGating { .. } => 32,
        Error::RequiresEachOf { .. } => 33,
        Error::IndependentInGatedGroup { .. } => 34,
        Error::NotARule { .. } => 35,
        Error::EachOfPays { .. } => 36,
        Error::InvalidPointValue { .. } => 37,
        Error::NegativeAmount { .. } => 38,
        Error::PointsWithoutPointValue { .. } => 39,
        Error::WhenWithoutOtherwise { .. } => 40,
        Error::LastWithoutOtherwise { .. } => 41,
        Error::OtherwiseNotLast { .. } => 42,
        Error::AmountWithoutWhen { .. } => 43,
        Error::AmountTooLarge { .. } => 44,
        Error::PerUnitOverflow { .. } => 45,
        Error::MemberOfTwoGroups { .. } => 46,
        Error::StatedTotalMismatch { .. } => 47,
        Error::TotalProfileNotChoice { .. } => 48,
        Error::TotalPaysNothing { .. } => 49,
        Error::TotalPerUnit { .. } => 50,
        Error::TotalPointsAndEuros { .. } => 51,
        Error::TotalTooManyProfiles { .. } => 52,
        Error::TotalNoProfile { .. } => 53,
        Error::UnusedRule { .. } => 54,
        Error::UnusedInput { .. } => 55,
        Error::UnusedList { .. } => 56,
        Error::NameYearMismatch { .. } => 57,
        Error::PaymentYear { .. } => 58,
        Error::FileNameYearMismatch { .. } => 59,
        Error::FileTooLarge { .. } => 60,
        Error::ParenthesesTooDeep { .. } => 61,
        Error::TooManyNots { .. } => 62,
        Error::ConditionTooDeep { .. } => 63,
        Error::GroupsTooDeep { .. } => 64,
        Error::Internal => 65,
        Error::Slip { .. } => 66,
        Error::YesNoWord { .. } => 67,
        Error::AndInsideOr { .. } => 68,
    }
}

const VARIANTS: usize = 69;

/// English words that have no place in a French message once the code, the keywords and
/// the user's text (between backticks) are set aside.
const ENGLISH: [&str; 30] = [
    "the", "is", "are", "not", "and", "of", "with", "must", "cannot", "found", "expected", "which",
    "but", "has", "this", "that", "should", "write", "remove", "rename", "missing", "value",
    "name", "only", "than", "does", "help", "did", "mean", "defined",
];

/// `text` without what is between backticks or guillemets (code, names, quotes).
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    let mut in_quote = false;
    for c in text.chars() {
        match c {
            '`' => in_code = !in_code,
            '«' => in_quote = true,
            '»' => in_quote = false,
            _ if in_code || in_quote => {}
            _ => out.push(c),
        }
    }
    out
}

fn english_words(text: &str) -> Vec<String> {
    prose(text)
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| ENGLISH.contains(&w.to_lowercase().as_str()))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_variant_has_a_sample() {
    let mut seen = [false; VARIANTS];
    for error in samples() {
        seen[sample_index(&error)] = true;
    }
    let missing: Vec<usize> = (0..VARIANTS).filter(|i| !seen[*i]).collect();
    assert!(missing.is_empty(), "variants without a sample: {missing:?}");
}

#[test]
fn every_diagnostic_is_worded_in_english_and_in_french() {
    for error in samples() {
        let spans: Vec<SourceSpan> = Diagnostic::labels(&error)
            .map(|l| l.map(|l| *l.inner()).collect())
            .unwrap_or_default();
        let en = error.words(Lang::En);
        let fr = error.words(Lang::Fr);
        let name = format!("{error:?}");
        assert_eq!(
            en.message,
            error.to_string(),
            "{name}: Display is the English message"
        );
        assert!(!fr.message.is_empty(), "{name}");
        assert_ne!(
            en.message, fr.message,
            "{name}: the French message is the English one"
        );
        assert_eq!(
            en.help.is_some(),
            fr.help.is_some(),
            "{name}: a help in one language only"
        );
        if let (Some(en), Some(fr)) = (&en.help, &fr.help) {
            assert_ne!(en, fr, "{name}: the French help is the English one");
        }
        // One text per labelled place, in both languages.
        for words in [&en, &fr] {
            assert_eq!(
                words.labels.iter().map(|l| l.span).collect::<Vec<_>>(),
                spans,
                "{name}: a label per labelled place"
            );
            assert!(words.labels.iter().all(|l| !l.text.is_empty()), "{name}");
        }
        let mut french = vec![fr.message.clone()];
        french.extend(fr.help.clone());
        french.extend(fr.labels.iter().map(|l| l.text.clone()));
        for text in &french {
            let english = english_words(text);
            assert!(
                english.is_empty(),
                "{name}: English words {english:?} in « {text} »"
            );
            assert!(
                !text.contains(" :") && !text.contains(" ;"),
                "{name}: a breakable space before a colon in « {text} »"
            );
        }
        // Codes and severity do not depend on the language.
        assert_eq!(
            error.code_name(),
            Diagnostic::code(&error)
                .map(|c| c.to_string())
                .unwrap_or_default()
        );
    }
}

#[test]
fn a_french_report_keeps_the_codes_and_says_aide() {
    let source = "rulebook r \"R\"\n";
    let report = Report::new(
        "r.forfait",
        source.into(),
        vec![Error::UnknownName {
            kind: NameKind::Input,
            name: s("actes_totl"),
            span: (0, 8).into(),
            suggestion: Some(s("actes_total")),
        }],
    );
    let human = report.render_human_in(Lang::Fr);
    assert!(human.contains("forfait::check::unknown_name"), "{human}");
    assert!(human.contains("entrée inconnue `actes_totl`"), "{human}");
    assert!(
        human.contains("  aide\u{a0}: vouliez-vous dire `actes_total`\u{a0}?"),
        "{human}"
    );
    assert!(!human.contains("help:"), "{human}");
    let json: serde_json::Value =
        serde_json::from_str(&report.render_json_in(Lang::Fr)).unwrap_or_default();
    assert_eq!(json[0]["code"], "forfait::check::unknown_name");
    assert_eq!(json[0]["severity"], "error");
    assert_eq!(json[0]["message"], "entrée inconnue `actes_totl`");
    assert_eq!(
        json[0]["labels"][0]["label"],
        "aucune définition dans ce référentiel"
    );
    assert_eq!(report.render_human(), report.render_human_in(Lang::En));
}

#[test]
fn the_locale_decides_as_posix_ranks_it() {
    assert_eq!(Lang::from_locale(None, None, Some("fr_FR.UTF-8")), Lang::Fr);
    assert_eq!(Lang::from_locale(None, None, Some("C")), Lang::En);
    assert_eq!(Lang::from_locale(None, None, None), Lang::En);
    assert_eq!(
        Lang::from_locale(Some("C"), None, Some("fr_FR.UTF-8")),
        Lang::En
    );
    assert_eq!(
        Lang::from_locale(Some(""), Some("fr_BE"), Some("C")),
        Lang::Fr
    );
    assert_eq!(
        Lang::from_locale(None, Some("en_GB"), Some("fr_FR")),
        Lang::En
    );
    assert_eq!(Lang::from_locale(Some("fr_CA.UTF-8"), None, None), Lang::Fr);
    assert_eq!(Lang::from_code("fr"), Some(Lang::Fr));
    assert_eq!(Lang::from_code("de"), None);
}
