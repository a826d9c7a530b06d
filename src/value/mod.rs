//! The values every phase shares, beneath them all: what a declaration carries (one value
//! per input slot, dates), exact rates (`ratio`) and money (`money`). `syntax`, `model`,
//! `eval`, the declaration readers and the outputs import it; it imports none of them.

pub mod money;
pub mod ratio;

use std::fmt;

use rust_decimal::Decimal;

/// A calendar date (proleptic Gregorian), validated on construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The first day of year 1: a date that stands for none (a placeholder in a column).
    pub const FIRST: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };

    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(Date { year, month, day })
    }

    /// Reads `2020-01-31` (ISO, as in rulebooks) or `31/01/2020` (French, as in exports).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = text.get(range)?;
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (y, m, d) = match bytes.len() {
            10 if bytes[4] == b'-' && bytes[7] == b'-' => {
                (digits(0..4)?, digits(5..7)?, digits(8..10)?)
            }
            10 if bytes[2] == b'/' && bytes[5] == b'/' => {
                (digits(6..10)?, digits(3..5)?, digits(0..2)?)
            }
            _ => return None,
        };
        Date::new(
            u16::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn month(&self) -> u8 {
        self.month
    }

    pub fn day(&self) -> u8 {
        self.day
    }
}

/// ISO form, `2020-01-31`: how rulebooks and JSON write dates.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One input's value in one declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Not given, and the rulebook says a missing value is an error: reading it fails.
    Missing,
    /// Not given, and the rulebook says that means "none" (`missing means none`).
    Absent,
    YesNo(bool),
    Count(u64),
    Decimal(Decimal),
    Date(Date),
    Text(String),
    /// An enumeration value, by its index in the input's `one of` list.
    Choice(u32),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_validated() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2021, 13, 1).is_none());
        assert!(Date::new(2021, 4, 31).is_none());
    }

    #[test]
    fn dates_parse_in_both_forms() {
        let d = Date::new(2020, 1, 31);
        assert_eq!(Date::parse("2020-01-31"), d);
        assert_eq!(Date::parse("31/01/2020"), d);
        assert_eq!(Date::parse("2020-1-31"), None);
        assert_eq!(Date::parse("2020/01/31"), None);
        assert_eq!(Date::parse("31-01-2020"), None);
        assert!(Date::new(2020, 1, 31) < Date::new(2020, 2, 1));
    }
}
