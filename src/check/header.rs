//! Warnings about the header's years: the rulebook's name, its file name, `exercice` and
//! `paid in` should tell the same year. A slip in one of them passes every other check
//! (`fami_2024_...` copied to make the 2025 rulebook, `exercice` not updated).

use crate::diagnostics::Error;
use crate::syntax::ast::{Header, Span};

/// The name's and the payment's years, compared with `exercice`.
pub(super) fn warnings(header: &Header) -> Vec<Error> {
    let mut warnings = Vec::new();
    let exercice = header.exercice.value;
    let years: Vec<(u16, Span)> = name_years(&header.name.text, header.name.span.start);
    if let Some((name_year, span)) = years.first() {
        if years.iter().all(|(y, _)| *y != exercice) {
            let renamed =
                header
                    .name
                    .text
                    .replacen(&name_year.to_string(), &exercice.to_string(), 1);
            warnings.push(Error::NameYearMismatch {
                name_year: *name_year,
                exercice,
                span: (*span).into(),
                exercice_span: header.exercice.span.into(),
                renamed,
                name_year_paid: u32::from(*name_year) + 1,
            });
        }
    }
    let paid_in = header.paid_in.value;
    let next = u32::from(exercice) + 1;
    if u32::from(paid_in) != next {
        warnings.push(Error::PaymentYear {
            exercice,
            paid_in,
            span: header.paid_in.span.into(),
            exercice_span: header.exercice.span.into(),
            expected: next,
        });
    }
    warnings
}

/// The file name's leading year (`2025-chirurgiens-dentistes.forfait`), compared with
/// `exercice`. `file_name` is the path the rulebook was read from, as given.
pub(super) fn file_name_warning(header: &Header, file_name: &str) -> Option<Error> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let digits = base.get(..4)?;
    if !is_year(digits) || base[4..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let file_year: u16 = digits.parse().ok()?;
    let exercice = header.exercice.value;
    (file_year != exercice).then(|| Error::FileNameYearMismatch {
        file_name: base.to_string(),
        file_year,
        exercice,
        span: header.exercice.span.into(),
        after_year: base[4..].to_string(),
        file_year_paid: u32::from(file_year) + 1,
    })
}

/// The parts of a rulebook name (split on `_`) that are years, with their spans.
fn name_years(name: &str, start: usize) -> Vec<(u16, Span)> {
    let mut years = Vec::new();
    let mut offset = start;
    for part in name.split('_') {
        if is_year(part) {
            if let Ok(year) = part.parse() {
                years.push((
                    year,
                    Span {
                        start: offset,
                        end: offset + part.len(),
                    },
                ));
            }
        }
        offset += part.len() + 1;
    }
    years
}

/// Four digits of the 1900s or 2000s: `2024`, not `0338` nor `2024bis`.
fn is_year(text: &str) -> bool {
    text.len() == 4
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text.starts_with("19") || text.starts_with("20"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_whole_parts_of_the_name() {
        let years: Vec<u16> = name_years("fami_2024_chirurgiens_dentistes", 0)
            .into_iter()
            .map(|(y, _)| y)
            .collect();
        assert_eq!(years, vec![2024]);
        assert!(name_years("fami2024_x_20245_1899", 0).is_empty());
        let span = name_years("a_2025", 10)[0].1;
        assert_eq!((span.start, span.end), (12, 16));
    }
}
