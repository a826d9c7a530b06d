//! `forfait new`: next year's rulebook from this year's. The header moves on (the name's and
//! the title's years, `exercice`, `paid in`), the file name's year too; nothing else
//! changes. Every date, year and addendum number left in the texts (labels, quotes, comments,
//! a date in a condition) is listed for review: the guide of the new year decides them, and
//! quotes are the guide's words, never reworded by a tool. No I/O: the command line reads
//! and writes the files.
//!
//! The new text is written by the formatter (`fmt`), so it is canonical, and it is checked
//! before it is handed back: a rulebook that checked gives one that checks.

use crate::syntax::ast::{self, Condition, Item, Literal, Missing, Operand, Text};

/// What moved in the header, as it was and as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    pub field: Field,
    pub old: String,
    pub new: String,
}

/// A header clause that moves on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Title,
    Exercice,
    PaidIn,
}

/// The kind of rule or part a text belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Input,
    List,
    Indicator,
    Group,
    /// A stated total: named by its label.
    StatedTotal,
}

/// Where a text to review stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The header's title (its years that were the exercice's or the payment's moved on).
    Title,
    /// The guide the rulebook transcribes: still this year's until the new one is named.
    Guide,
    /// A profession's label in the header.
    ProfessionLabel { profession: String },
    /// A text of a rule or an input.
    Item {
        owner: Owner,
        name: String,
        text: TextKind,
    },
    /// A `# comment`.
    Comment,
}

/// Which text of an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextKind {
    Label,
    /// The label of one value of a `one of` input.
    ValueLabel {
        value: String,
    },
    Unit,
    Evidence,
    /// The guide's words: not changed by `forfait new`.
    Quote,
    /// The words of a neutralisation (the guide's).
    Neutralisation,
    /// A date written in a condition: a rule, not only words.
    Condition,
    /// What a missing value means (a date or a text).
    Missing,
}

/// What was found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// `31/12/2024`, `2020-01-31`, `31 décembre 2019`, `décembre 2019`.
    Date,
    /// `2021` on its own.
    Year,
    /// `avenant 5`, `addendum 8`, `avenant n°5`, `avenants 16 et 17`.
    Addendum,
}

/// One text to review: where it is (its line in the new file), and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    pub line: usize,
    pub place: Place,
    /// Each date, year or addendum number as written, in the order of the text.
    pub found: Vec<(Found, String)>,
}

/// The new rulebook.
#[derive(Clone, Debug)]
pub struct NextYear {
    /// The new file's name (the old one's, its year moved on): `2025-chirurgiens-dentistes.forfait`.
    pub file_name: String,
    /// The new rulebook, canonical.
    pub text: String,
    pub moved: Vec<Moved>,
    /// In the new file's order.
    pub review: Vec<Review>,
    pub old_exercice: u16,
    pub new_exercice: u16,
}

/// Why no new rulebook could be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextYearError {
    /// The rulebook does not parse (`check` says why).
    DoesNotParse,
    /// `--exercice` is the rulebook's own.
    SameExercice { exercice: u16 },
    /// A year that is not four digits, or a payment year it would push past 9999.
    BadYear { year: i64 },
    /// The file name has no `exercice` year to move on.
    NoYearInFileName { file_name: String, exercice: u16 },
    /// The text written does not check: a bug of `forfait new`, reported rather than written.
    DoesNotCheck { errors: usize },
}

/// Next year's rulebook: `source` is the rulebook read from `file_name` (a base name, or a
/// path: only its last part is used), `exercice` the new year.
pub fn next_year(source: &str, file_name: &str, exercice: u16) -> Result<NextYear, NextYearError> {
    let mut rulebook = crate::parse(source).map_err(|_| NextYearError::DoesNotParse)?;
    let header = &rulebook.header;
    let (old_exercice, old_paid) = (header.exercice.value, header.paid_in.value);
    if exercice == old_exercice {
        return Err(NextYearError::SameExercice { exercice });
    }
    if !(1000..=9999).contains(&exercice) {
        return Err(NextYearError::BadYear {
            year: i64::from(exercice),
        });
    }
    let shift = i64::from(exercice) - i64::from(old_exercice);
    let paid = i64::from(old_paid) + shift;
    let new_paid = u16::try_from(paid)
        .ok()
        .filter(|y| (1000..=9999).contains(y))
        .ok_or(NextYearError::BadYear { year: paid })?;
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let years = [(old_exercice, exercice), (old_paid, new_paid)];
    let new_file_name = move_first_year(base, old_exercice, exercice).ok_or_else(|| {
        NextYearError::NoYearInFileName {
            file_name: base.to_string(),
            exercice: old_exercice,
        }
    })?;

    let mut moved = Vec::new();
    let header = &mut rulebook.header;
    let name = header
        .name
        .text
        .split('_')
        .map(|part| match part.parse::<u16>() {
            Ok(y) if part.len() == 4 => moved_year(y, &years).to_string(),
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join("_");
    let title = move_years(&header.title.value, &years);
    for (field, old, new) in [
        (Field::Name, header.name.text.clone(), name),
        (Field::Title, header.title.value.clone(), title),
        (
            Field::Exercice,
            old_exercice.to_string(),
            exercice.to_string(),
        ),
        (Field::PaidIn, old_paid.to_string(), new_paid.to_string()),
    ] {
        if old != new {
            moved.push(Moved { field, old, new });
        }
    }
    let old_title = header.title.value.clone();
    for m in &moved {
        match m.field {
            Field::Name => header.name.text = m.new.clone(),
            Field::Title => header.title.value = m.new.clone(),
            Field::Exercice => header.exercice.value = exercice,
            Field::PaidIn => header.paid_in.value = new_paid,
        }
    }
    let text = crate::fmt::format(&rulebook, source);
    let errors = match crate::compile(&new_file_name, &text) {
        Ok(_) => 0,
        Err(report) => report.error_count().max(1),
    };
    if errors > 0 {
        return Err(NextYearError::DoesNotCheck { errors });
    }
    let written = crate::parse(&text).map_err(|_| NextYearError::DoesNotCheck { errors: 1 })?;
    let review = review(&written, &text, &old_title, &years);
    Ok(NextYear {
        file_name: new_file_name,
        text,
        moved,
        review,
        old_exercice,
        new_exercice: exercice,
    })
}

/// `year` as `years` (old, new) move it, else as it is.
fn moved_year(year: u16, years: &[(u16, u16)]) -> u16 {
    years
        .iter()
        .find(|(old, _)| *old == year)
        .map_or(year, |(_, new)| *new)
}

/// `text` with each year of `years` (old, new) moved on, all at once (so that 2024 → 2025
/// and 2025 → 2026 do not make 2024 → 2026).
fn move_years(text: &str, years: &[(u16, u16)]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for (start, end) in year_tokens(text) {
        if let Ok(year) = text[start..end].parse::<u16>() {
            out.push_str(&text[last..start]);
            out.push_str(&moved_year(year, years).to_string());
            last = end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// `name` (a file name) with its first year `old` (four digits on their own) made `new`:
/// `2024-x.forfait` is `2023-x.forfait` a year earlier; `None` when `old` is not in it.
pub fn with_year(name: &str, old: u16, new: u16) -> Option<String> {
    move_first_year(name, old, new)
}

/// The file name with its first `old` year (four digits on their own) made `new`.
fn move_first_year(name: &str, old: u16, new: u16) -> Option<String> {
    let old = old.to_string();
    let (start, end) = year_tokens(name)
        .into_iter()
        .find(|(s, e)| name[*s..*e] == old)?;
    Some(format!("{}{new}{}", &name[..start], &name[end..]))
}

/// Byte ranges of four digits that stand alone (no digit, and no decimal point or comma
/// followed by a digit, on either side).
fn year_tokens(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !digit(i) {
            i += 1;
            continue;
        }
        let start = i;
        while digit(i) {
            i += 1;
        }
        let joined_before =
            start >= 2 && matches!(bytes[start - 1], b'.' | b',') && digit(start - 2);
        let joined_after = i < bytes.len() && matches!(bytes[i], b'.' | b',') && digit(i + 1);
        if i - start == 4 && !joined_before && !joined_after {
            out.push((start, i));
        }
    }
    out
}

// ------------------------------------------------------------------ what to review

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// Every date, year and addendum number of `text`, as written, in order.
pub fn findings(text: &str) -> Vec<(Found, String)> {
    let mut out = Vec::new();
    let lower = text.to_lowercase();
    // Lowercasing keeps byte offsets only when it changes no length: otherwise, search
    // the text as written (its capitals then go unrecognised, nothing worse).
    let hay = if lower.len() == text.len() {
        lower.as_str()
    } else {
        text
    };
    let mut i = 0;
    while i < text.len() {
        if !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let at_word_start = i == 0
            || text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
        let found = if at_word_start {
            numeric_date(text, i)
                .map(|end| (Found::Date, end))
                .or_else(|| long_date(hay, i).map(|end| (Found::Date, end)))
                .or_else(|| addendum(hay, i).map(|end| (Found::Addendum, end)))
                .or_else(|| year(text, i).map(|end| (Found::Year, end)))
        } else {
            None
        };
        match found {
            Some((kind, end)) => {
                out.push((kind, text[i..end].to_string()));
                i = end;
            }
            None => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// Digits at `i`: how many, and where they end.
fn digits(text: &str, i: usize) -> (usize, usize) {
    let n = text[i..].bytes().take_while(u8::is_ascii_digit).count();
    (n, i + n)
}

/// Nothing alphanumeric right after `end`.
fn ends_word(text: &str, end: usize) -> bool {
    text[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// `31/12/2024`, `1/1/2021`, `2020-01-31`: where it ends.
fn numeric_date(text: &str, i: usize) -> Option<usize> {
    let (n, end) = digits(text, i);
    let b = text.as_bytes();
    if (1..=2).contains(&n) && b.get(end) == Some(&b'/') {
        let (m, end) = digits(text, end + 1);
        if (1..=2).contains(&m) && b.get(end) == Some(&b'/') {
            let (y, end) = digits(text, end + 1);
            if (y == 4 || y == 2) && ends_word(text, end) {
                return Some(end);
            }
        }
    }
    if n == 4 && b.get(end) == Some(&b'-') {
        let (m, end2) = digits(text, end + 1);
        if m == 2 && b.get(end2) == Some(&b'-') {
            let (d, end3) = digits(text, end2 + 1);
            if d == 2 && ends_word(text, end3) {
                return Some(end3);
            }
        }
    }
    None
}

/// `31 décembre 2019`, `1er janvier 2021`, `décembre 2019`: where it ends.
fn long_date(hay: &str, i: usize) -> Option<usize> {
    let mut at = i;
    let (n, end) = digits(hay, i);
    if (1..=2).contains(&n) {
        at = end;
        if hay[at..].starts_with("er") {
            at += 2;
        }
        at += spaces(&hay[at..]);
        if at == end {
            return None;
        }
    }
    let month = MONTHS.iter().find(|m| hay[at..].starts_with(*m))?;
    at += month.len();
    let gap = spaces(&hay[at..]);
    let (y, end) = digits(hay, at + gap);
    (gap > 0 && y == 4 && ends_word(hay, end)).then_some(end)
}

/// `avenant 5`, `avenants 16 et 17`, `avenant n°5`, `addendum 8`: where it ends.
fn addendum(hay: &str, i: usize) -> Option<usize> {
    let word = ["avenants", "avenant", "addendums", "addendum"]
        .into_iter()
        .find(|w| hay[i..].starts_with(w))?;
    let mut at = i + word.len();
    at += spaces(&hay[at..]);
    for mark in ["n°", "no ", "nº"] {
        if hay[at..].starts_with(mark) {
            at += mark.len();
            at += spaces(&hay[at..]);
            break;
        }
    }
    let (n, mut end) = digits(hay, at);
    if n == 0 || !ends_word(hay, end) {
        return None;
    }
    // `avenants 16 et 17`, `avenants 6, 7`
    loop {
        let rest = &hay[end..];
        let sep = [" et ", ", ", " ou "]
            .into_iter()
            .find(|s| rest.starts_with(s));
        let Some(sep) = sep else { break };
        let (m, next) = digits(hay, end + sep.len());
        if m == 0 || !ends_word(hay, next) {
            break;
        }
        end = next;
    }
    Some(end)
}

/// A year on its own (1900 to 2099) at `i`: where it ends.
fn year(text: &str, i: usize) -> Option<usize> {
    let (n, end) = digits(text, i);
    let century = text[i..].starts_with("19") || text[i..].starts_with("20");
    let b = text.as_bytes();
    let joined_after =
        matches!(b.get(end), Some(b'.' | b',')) && b.get(end + 1).is_some_and(u8::is_ascii_digit);
    (n == 4 && century && !joined_after && ends_word(text, end)).then_some(end)
}

/// The length of the blanks (spaces, no-break spaces) at the start of `text`.
fn spaces(text: &str) -> usize {
    text.chars()
        .take_while(|c| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .map(char::len_utf8)
        .sum()
}

/// The texts of the new rulebook to review, in its order.
fn review(
    rulebook: &ast::Rulebook,
    source: &str,
    old_title: &str,
    years: &[(u16, u16)],
) -> Vec<Review> {
    let line = |offset: usize| source[..offset.min(source.len())].matches('\n').count() + 1;
    let mut out: Vec<Review> = Vec::new();
    let mut push = |offset: usize, place: Place, found: Vec<(Found, String)>| {
        if !found.is_empty() {
            out.push(Review {
                line: line(offset),
                place,
                found,
            });
        }
    };
    let header = &rulebook.header;
    // The title's years that were the exercice's or the payment's have moved on.
    let title: Vec<(Found, String)> = findings(old_title)
        .into_iter()
        .filter(|(kind, text)| {
            *kind != Found::Year || !years.iter().any(|(old, _)| text == &old.to_string())
        })
        .collect();
    push(header.title.span.start, Place::Title, title);
    push(
        header.guide.span.start,
        Place::Guide,
        findings(&header.guide.value),
    );
    for p in &header.professions {
        if let Some(label) = &p.label {
            push(
                label.span.start,
                Place::ProfessionLabel {
                    profession: p.name.text.clone(),
                },
                findings(&label.value),
            );
        }
    }
    for item in &rulebook.items {
        for (text, kind, owner, name) in item_texts(item) {
            let place = Place::Item {
                owner,
                name,
                text: kind,
            };
            push(text.0, place, text.1);
        }
    }
    for comment in &rulebook.comments {
        push(comment.span.start, Place::Comment, findings(&comment.text));
    }
    out.sort_by_key(|r| r.line);
    out
}

/// A text's offset and findings.
type Spot = (usize, Vec<(Found, String)>);

/// Every text of an item with something to review, and where it stands.
fn item_texts(item: &Item) -> Vec<(Spot, TextKind, Owner, String)> {
    let of = |t: &Text| (t.span.start, findings(&t.value));
    let mut out = Vec::new();
    match item {
        Item::Input(x) => {
            let name = x.name.text.clone();
            out.push((of(&x.label), TextKind::Label, Owner::Input, name.clone()));
            if let ast::InputType::OneOf(values) = &x.ty {
                for v in values {
                    if let Some(label) = &v.label {
                        let kind = TextKind::ValueLabel {
                            value: v.name.text.clone(),
                        };
                        out.push((of(label), kind, Owner::Input, name.clone()));
                    }
                }
            }
            if let Some(unit) = &x.unit {
                out.push((of(unit), TextKind::Unit, Owner::Input, name.clone()));
            }
            match &x.missing {
                Missing::Means(Literal::Text(t)) => {
                    out.push((of(t), TextKind::Missing, Owner::Input, name));
                }
                Missing::Means(Literal::Date(d, span)) => {
                    let spot = (span.start, vec![(Found::Date, d.to_string())]);
                    out.push((spot, TextKind::Missing, Owner::Input, name));
                }
                _ => {}
            }
        }
        Item::List(x) => {
            out.push((
                of(&x.label),
                TextKind::Label,
                Owner::List,
                x.name.text.clone(),
            ));
        }
        Item::Indicator(x) => {
            let name = x.name.text.clone();
            let owner = Owner::Indicator;
            out.push((of(&x.label), TextKind::Label, owner, name.clone()));
            if let Some(e) = &x.evidence {
                out.push((of(e), TextKind::Evidence, owner, name.clone()));
            }
            let mut conditions: Vec<&Condition> = x.applies.iter().collect();
            conditions.push(&x.met);
            conditions.extend(x.neutralisations.iter().filter_map(|n| n.when.as_ref()));
            if let Some(p) = &x.pays {
                conditions.extend(p.variants.iter().filter_map(|v| match &v.guard {
                    ast::Guard::When(c) => Some(c),
                    _ => None,
                }));
            }
            let mut dates = Vec::new();
            for c in conditions {
                condition_dates(c, &mut dates);
            }
            if let Some((start, _)) = dates.first() {
                let found = dates
                    .iter()
                    .map(|(_, d)| (Found::Date, d.clone()))
                    .collect();
                out.push(((*start, found), TextKind::Condition, owner, name.clone()));
            }
            for n in &x.neutralisations {
                out.push((of(&n.words), TextKind::Neutralisation, owner, name.clone()));
            }
            for q in &x.quotes {
                out.push((of(q), TextKind::Quote, owner, name.clone()));
            }
        }
        Item::Group(x) => {
            let name = x.name.text.clone();
            out.push((of(&x.label), TextKind::Label, Owner::Group, name.clone()));
            for q in &x.quotes {
                out.push((of(q), TextKind::Quote, Owner::Group, name.clone()));
            }
        }
        Item::StatedTotal(x) => {
            let name = x.label.value.clone();
            out.push((
                of(&x.label),
                TextKind::Label,
                Owner::StatedTotal,
                name.clone(),
            ));
            if let Some(c) = &x.profile {
                let mut dates = Vec::new();
                condition_dates(c, &mut dates);
                if let Some((start, _)) = dates.first() {
                    let found = dates
                        .iter()
                        .map(|(_, d)| (Found::Date, d.clone()))
                        .collect();
                    out.push((
                        (*start, found),
                        TextKind::Condition,
                        Owner::StatedTotal,
                        name,
                    ));
                }
            }
        }
    }
    out
}

/// The dates written in a condition (`2020-01-31`), with their offsets.
fn condition_dates(c: &Condition, into: &mut Vec<(usize, String)>) {
    let operand = |o: &Operand, into: &mut Vec<(usize, String)>| {
        if let Operand::Date(d, span) = o {
            into.push((span.start, d.to_string()));
        }
    };
    match c {
        Condition::Or(cs, _) | Condition::And(cs, _) => {
            cs.iter().for_each(|c| condition_dates(c, into));
        }
        Condition::Not(c, _) => condition_dates(c, into),
        Condition::Compare { left, right, .. } => {
            operand(left, into);
            operand(right, into);
        }
        Condition::Member { operand: o, .. } => operand(o, into),
        Condition::Holds(o) => operand(o, into),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        findings(text).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn finds_dates_years_and_addenda() {
        assert_eq!(
            texts("Équipé de la version 1.40 addendum 8 du cahier des charges, facturation conforme au 31/12/2024"),
            ["addendum 8", "31/12/2024"]
        );
        assert_eq!(
            texts("Cet indicateur est neutralisé pour 2019 → Non obligatoire"),
            ["2019"]
        );
        assert_eq!(
            texts("avant le 31 décembre 2019, du 1er janvier 2021 au 30/06/2021"),
            ["31 décembre 2019", "1er janvier 2021", "30/06/2021"]
        );
        assert_eq!(
            texts("orthophonistes (avenants 16 et 17), l'avenant n°5, Addendum 8 APCV"),
            ["avenants 16 et 17", "avenant n°5", "Addendum 8"]
        );
        assert_eq!(texts("flux 2020-01-31"), ["2020-01-31"]);
        // Not years: amounts, versions, counts, the relative year.
        assert!(
            texts("1240 EUR, version 1.40, 2024,5 €, 12345, au 31/12 de l'année N-1").is_empty()
        );
        assert_eq!(texts("septembre 2021"), ["septembre 2021"]);
    }

    #[test]
    fn years_move_together() {
        let years = [(2024, 2025), (2025, 2026)];
        assert_eq!(
            move_years("FAMI 2024 (payé en 2025), depuis 2021", &years),
            "FAMI 2025 (payé en 2026), depuis 2021"
        );
        assert_eq!(
            move_first_year("2024-chirurgiens-dentistes.forfait", 2024, 2025).as_deref(),
            Some("2025-chirurgiens-dentistes.forfait")
        );
        assert_eq!(move_first_year("dentistes.forfait", 2024, 2025), None);
        assert_eq!(move_first_year("20245-x.forfait", 2024, 2025), None);
    }
}
