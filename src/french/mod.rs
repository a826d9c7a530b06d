//! Every French word forfait writes, in one place, beneath `output`, `doc`, `diff` and
//! `testing` (which all import it; it imports none of them).
//!
//! Explanations, pages and changelogs are for fund staff and professionals, so they are in
//! French. One way to write each thing: a number with a decimal comma and grouped
//! thousands (`22,5`, `1 240,00 €`), a rate truncated (never rounded up to a threshold it
//! does not reach), a date `31/01/2020`, a source type in the guide's words.
//!
//! Conditions have two registers: [`explanation`] names the inputs and shows a
//! declaration's values (`profession = infirmier`), for explanations and the changelog;
//! [`labels`] writes the inputs' labels (`Profession : infirmiers`), for pages read by
//! people who never see a rulebook's names.
//!
//! English stays where it is English: tool messages, CSV headers and JSON keys are not here.

pub mod explanation;
pub mod labels;
pub mod pages;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::eval::Status;
use crate::model::{Comparator, InputType, Source};
use crate::value::{Date, Value};

use crate::lang::typography::{big_count, group_thousands};
pub use crate::lang::typography::{count, no_break_spaces, NO_BREAK_SPACE};
pub use explanation::{condition, explain, one_line, value, Explained, ExplainedKind};

/// The headings over a condition's parts, in explanation trees and on pages alike.
pub const ALL_HEADING: &str = "toutes ces conditions :";
pub const ANY_HEADING: &str = "au moins une de ces conditions :";
pub const NOT_HEADING: &str = "il ne faut pas que :";

/// The rulebook's facts, as its page and the changelog name them.
pub const SCHEME: &str = "Dispositif";
pub const EXERCICE: &str = "Exercice";
pub const PAID_IN: &str = "Versé en";
pub const GUIDE: &str = "Guide";
pub const POINT_VALUE: &str = "Valeur du point";

/// `Profession`, `Professions`.
pub fn professions(n: usize) -> &'static str {
    if n == 1 {
        "Profession"
    } else {
        "Professions"
    }
}

/// `7,00 € par point`
pub fn per_point(value: &str) -> String {
    format!("{value} par point")
}

/// What a negative number starts with: a true minus sign, `−100,00 €`.
const MINUS: char = '−';

/// `1 240,00 €`
pub fn euros(amount: Decimal) -> String {
    let mut a = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    a.rescale(2);
    let text = a.abs().to_string();
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let sign = if a.is_sign_negative() && !a.is_zero() {
        MINUS.to_string()
    } else {
        String::new()
    };
    format!("{sign}{},{cents} €", group_thousands(whole))
}

/// `+650,00 €`, `−100,00 €`, `0,00 €`: a difference, signed either way.
pub fn signed_euros(amount: Decimal) -> String {
    if amount > Decimal::ZERO {
        format!("+{}", euros(amount))
    } else {
        euros(amount)
    }
}

/// `1 120 €`, `157,50 €`: whole euros without cents, as the guides print them.
pub fn money(amount: Decimal) -> String {
    if amount.fract().is_zero() {
        format!("{} €", number(amount.trunc()))
    } else {
        euros(amount)
    }
}

/// `22,5 points`
pub fn points(amount: Decimal) -> String {
    let n = number(amount);
    if amount == Decimal::ONE {
        format!("{n} point")
    } else {
        format!("{n} points")
    }
}

/// A number the French way: `1 000`, `22,5`.
pub fn number(value: Decimal) -> String {
    let text = value.normalize().to_string();
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (text.clone(), None),
    };
    let (sign, digits) = match whole.strip_prefix('-') {
        Some(d) => (MINUS.to_string(), d.to_string()),
        None => (String::new(), whole),
    };
    match fraction {
        Some(f) => format!("{sign}{},{f}", group_thousands(&digits)),
        None => format!("{sign}{}", group_thousands(&digits)),
    }
}

/// `68,0 %`, truncated to two decimals (`66,66 %` for 2/3).
pub fn rate(numerator: u64, denominator: u64) -> String {
    if denominator == 0 {
        return "sans valeur".into();
    }
    let hundredths = u128::from(numerator) * 10_000 / u128::from(denominator);
    let whole = big_count(hundredths / 100);
    let fraction = hundredths % 100;
    if fraction % 10 == 0 {
        format!("{whole},{} %", fraction / 10)
    } else {
        format!("{whole},{fraction:02} %")
    }
}

/// A threshold as the French write it: `70 %`, `22,5 %`, `2/3` (written `70%`, `22.5 %`).
pub fn threshold(written: &str) -> String {
    written
        .replace(' ', "")
        .replace('%', " %")
        .replace('.', ",")
}

/// A type of input in a word: `oui / non`, `nombre entier`, `texte libre`; `None` for a
/// choice, which each register words with its values.
pub fn type_word(ty: &InputType) -> Option<&'static str> {
    match ty {
        InputType::YesNo => Some("oui / non"),
        InputType::Count => Some("nombre entier"),
        InputType::Decimal => Some("nombre décimal"),
        InputType::Date => Some("date"),
        InputType::Text => Some("texte libre"),
        InputType::Choice(_) => None,
    }
}

/// `oui`, `non`
pub fn yes_no(yes: bool) -> &'static str {
    if yes {
        "oui"
    } else {
        "non"
    }
}

/// A constant condition: `toujours`, `jamais`.
pub fn always(holds: bool) -> &'static str {
    if holds {
        "toujours"
    } else {
        "jamais"
    }
}

/// A value in either register: `oui`, `1 000`, `31/01/2020`, `« MSP »`; an empty text as
/// `empty`, a choice as `choice` names it (its name in explanations, its label on pages).
pub(crate) fn any_value(value: &Value, empty: &str, choice: impl FnOnce(u32) -> String) -> String {
    match value {
        Value::Missing | Value::Absent => "non renseigné".into(),
        Value::YesNo(b) => yes_no(*b).into(),
        Value::Count(n) => count(*n),
        Value::Decimal(d) => number(*d),
        Value::Date(d) => date(d),
        Value::Text(t) if t.is_empty() => empty.into(),
        Value::Text(t) => format!("« {t} »"),
        Value::Choice(c) => choice(*c),
    }
}

/// `31/01/2020`
pub fn date(date: &Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

pub fn status(status: Status) -> &'static str {
    match status {
        Status::Met => "atteint",
        Status::NotMet => "non atteint",
        Status::Neutralised => "neutralisé",
        Status::NotApplicable => "sans objet",
    }
}

/// A source type in the guide's words, the same on every page, changelog and schema.
pub fn source(source: Source) -> &'static str {
    match source {
        Source::Automated => "Automatisé",
        Source::Declarative => "Déclaratif",
        Source::DeclarativePrefilled => "Déclaratif avec pré-alimentation",
    }
}

pub fn comparator(op: Comparator) -> &'static str {
    match op {
        Comparator::AtLeast => "≥",
        Comparator::AtMost => "≤",
        Comparator::Above => ">",
        Comparator::Below => "<",
        Comparator::Equal => "=",
        Comparator::NotEqual => "≠",
    }
}

/// Whether a guide section is numbered (`1.4`, `II.2 Les engagements`) rather than a
/// heading (`Les 5 indicateurs prérequis`).
pub fn numbered(section: &str) -> bool {
    section.starts_with(|c: char| c.is_ascii_digit())
        || section
            .split(['.', ' '])
            .next()
            .is_some_and(|first| !first.is_empty() && first.chars().all(|c| "IVXL".contains(c)))
}

/// `§1.4`, or the heading itself when the section is not numbered.
pub fn section(section: &str) -> String {
    GuideSection::of(section).text().to_string()
}

/// A section of the guide as it is cited: numbered, or a part known by its heading. Pages
/// lay the two out differently; they ask which it is rather than look for a `§`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GuideSection {
    /// `§1.4`
    Numbered(String),
    /// `Les 5 indicateurs prérequis`
    Part(String),
}

impl GuideSection {
    pub fn of(section: &str) -> GuideSection {
        if numbered(section) {
            GuideSection::Numbered(format!("§{section}"))
        } else {
            GuideSection::Part(section.to_string())
        }
    }

    /// `§1.4`, or the heading.
    pub fn text(&self) -> &str {
        match self {
            GuideSection::Numbered(t) | GuideSection::Part(t) => t,
        }
    }

    /// `§1.4`, when it is numbered.
    pub fn numbered(&self) -> Option<&str> {
        match self {
            GuideSection::Numbered(t) => Some(t),
            GuideSection::Part(_) => None,
        }
    }

    /// The heading, when it is not numbered.
    pub fn part(&self) -> Option<&str> {
        match self {
            GuideSection::Part(t) => Some(t),
            GuideSection::Numbered(_) => None,
        }
    }
}

/// `actes FSE` -> `acte FSE`: drops the plural `s` of lowercase words (of more than two
/// letters before it).
pub fn singular(unit: &str) -> String {
    unit.split(' ')
        .map(|w| match w.strip_suffix('s') {
            Some(stem)
                if stem.chars().count() > 2
                    && w.chars().all(|c| c.is_lowercase() || !c.is_alphabetic()) =>
            {
                stem
            }
            _ => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `si « A » est atteint`, `si « A », « B » et « C » sont atteints`: what a payment waits on.
pub fn if_met(names: &[String]) -> String {
    match names {
        [one] => format!("si {one} est atteint"),
        many => format!("si {} sont atteints", and_list(many)),
    }
}

/// `2 sur 3 atteints`: a group's members met, of those that count.
pub fn members_met(met: usize, counted: usize) -> String {
    format!("{met} sur {counted} atteints")
}

/// `neutralisé : « Indicateur neutralisé pour 2024 »`, in the guide's words.
pub fn neutralised(words: &str) -> String {
    format!("neutralisé : « {words} »")
}

/// `a`, `a ou b`, `a, b ou c`.
pub fn or_list(items: &[String]) -> String {
    word_list(items, "ou")
}

/// `a`, `a et b`, `a, b et c`.
pub fn and_list(items: &[String]) -> String {
    word_list(items, "et")
}

fn word_list(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn money_and_numbers_the_french_way() {
        assert_eq!(euros(d("1240")), "1 240,00 €");
        assert_eq!(euros(d("157.5")), "157,50 €");
        assert_eq!(euros(d("0")), "0,00 €");
        assert_eq!(euros(d("-100")), "−100,00 €");
        assert_eq!(signed_euros(d("-100")), "−100,00 €");
        assert_eq!(signed_euros(d("650")), "+650,00 €");
        assert_eq!(number(d("-3.5")), "−3,5");
        assert_eq!(points(d("22.5")), "22,5 points");
        assert_eq!(number(d("1000000")), "1 000 000");
        assert_eq!(money(d("1120")), "1 120 €");
        assert_eq!(money(d("157.5")), "157,50 €");
        assert_eq!(money(d("5845.00")), "5 845 €");
    }

    #[test]
    fn rates_are_truncated_never_rounded_up() {
        assert_eq!(rate(680, 1000), "68,0 %");
        assert_eq!(rate(699, 1000), "69,9 %");
        assert_eq!(rate(6999, 10000), "69,99 %");
        assert_eq!(rate(69999, 100000), "69,99 %");
        assert_eq!(rate(2, 3), "66,66 %");
        assert_eq!(rate(1, 1), "100,0 %");
        assert_eq!(rate(1, 0), "sans valeur");
    }

    #[test]
    fn one_way_to_write_a_threshold() {
        assert_eq!(threshold("22.5 %"), "22,5 %");
        assert_eq!(threshold("70%"), "70 %");
        assert_eq!(threshold("2/3"), "2/3");
    }

    #[test]
    fn no_line_breaks_where_french_typography_forbids_them() {
        let nb = NO_BREAK_SPACE;
        assert_eq!(
            no_break_spaces("aide : voir « ceci » ; 1 240 € ou 70 % ?"),
            format!("aide{nb}: voir «{nb}ceci{nb}»{nb}; 1{nb}240{nb}€ ou 70{nb}% ?").replacen(
                " ?",
                &format!("{nb}?"),
                1
            )
        );
        assert_eq!(no_break_spaces("ligne 3 à 5"), "ligne 3 à 5");
    }

    #[test]
    fn words_the_french_way() {
        assert_eq!(singular("DMP ouverts"), "DMP ouvert");
        assert_eq!(singular("actes FSE"), "acte FSE");
        assert_eq!(or_list(&["a".into(), "b".into(), "c".into()]), "a, b ou c");
        assert_eq!(if_met(&["« a »".into()]), "si « a » est atteint");
        assert_eq!(
            if_met(&["« a »".into(), "« b »".into()]),
            "si « a » et « b » sont atteints"
        );
        assert_eq!(section("1.4"), "§1.4");
        assert_eq!(
            section("Les 5 indicateurs prérequis"),
            "Les 5 indicateurs prérequis"
        );
    }
}
