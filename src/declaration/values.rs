//! Declaration values: one function per type of value, called by every reader (a CSV cell
//! read the general way or by the batch's fast decoder, a JSON string, the literal text of
//! a JSON number), so that the readers cannot disagree. The rules are those of
//! docs/language.md, "Fields and their values".
//!
//! Every function takes the bytes as written (a CSV cell, or a JSON text's) and trims them
//! (Unicode white space: a no-break space from a spreadsheet is trimmed); a blank value is
//! "not given" (`blank`) and never reaches them. None allocates, and a plain ASCII cell is
//! read without a UTF-8 check, which is what lets the batch's fast decoder call them.

use rust_decimal::Decimal;

use crate::model::{Choice, InputType};
use crate::value::{Date, Value};

/// Why a text is not a value of its type; worded in `Builder::set`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wrong {
    /// Not spelled as the type at all.
    Format,
    /// Not one of the choices' names.
    Choice,
    /// A label (folded) that more than one choice has.
    AmbiguousChoice,
    /// A count below zero.
    Negative,
    /// A count with a fraction that is not zero.
    NotWhole,
    /// A count with exactly three digits after this separator: `1,000` is one thousand to
    /// some and one to others.
    Ambiguous(char),
    /// `7e2`: a spreadsheet writes long numbers so, already rounded.
    Exponent,
    /// A count beyond `u64::MAX`.
    TooLarge,
    /// A decimal with more significant digits than `Decimal` holds; never rounded.
    TooPrecise,
}

/// True when the cell holds nothing but white space (Unicode's: a no-break space too).
#[inline]
pub(crate) fn blank(cell: &[u8]) -> bool {
    cell.trim_ascii().is_empty()
        || (plain(cell).is_none() && std::str::from_utf8(cell).is_ok_and(|t| t.trim().is_empty()))
}

/// A cell read by `read` when it is not blank: `Ok(None)` for a blank one. The fast
/// readers' one test of blankness, cheap for the usual cell (printable ASCII at both ends).
#[inline]
pub(crate) fn given<T>(
    cell: &[u8],
    read: impl Fn(&[u8]) -> Result<T, Wrong>,
) -> Result<Option<T>, Wrong> {
    if plain(cell).is_none() && blank(cell) {
        return Ok(None);
    }
    read(cell).map(Some)
}

/// A count's cell, `Ok(None)` when blank. Plain digits, the usual cell, are read in one
/// pass without trimming; anything else as `count` reads it.
#[inline]
pub(crate) fn count_cell(cell: &[u8]) -> Result<Option<u64>, Wrong> {
    if !cell.is_empty() && cell.len() <= 19 {
        // Without a branch a byte: 19 digits always fit.
        let (mut n, mut digits) = (0u64, true);
        for &b in cell {
            let d = b.wrapping_sub(b'0');
            digits &= d <= 9;
            n = n.wrapping_mul(10).wrapping_add(u64::from(d));
        }
        if digits {
            return Ok(Some(n));
        }
    }
    given(cell, count)
}

/// A yes/no cell, `Ok(None)` when blank: the usual spellings at once, others as `yes_no`
/// reads them.
#[inline]
pub(crate) fn yes_no_cell(cell: &[u8]) -> Result<Option<bool>, Wrong> {
    match cell {
        b"oui" | b"yes" | b"true" | b"1" => Ok(Some(true)),
        b"non" | b"no" | b"false" | b"0" => Ok(Some(false)),
        _ => given(cell, yes_no),
    }
}

/// A choice's cell, `Ok(None)` when blank: a name as written at once (a name holds no
/// white space), others as `choice` reads them.
#[inline]
pub(crate) fn choice_cell(
    choices: &[Choice],
    other: &Spellings,
    cell: &[u8],
) -> Result<Option<u32>, Wrong> {
    match other.names.find(cell) {
        Some(index) => Ok(Some(index)),
        None => given(cell, |c| choice(choices, other, c)),
    }
}

/// A decimal's cell, `Ok(None)` when blank: digits with at most one `.` or `,` between
/// digits (18 digits at most), the usual cell, read at once, exactly as `decimal` reads it
/// (its scale as written); anything else as `decimal` reads it.
#[inline]
pub(crate) fn decimal_cell(cell: &[u8]) -> Result<Option<Decimal>, Wrong> {
    let separator = cell.iter().position(|b| matches!(b, b'.' | b','));
    let (integer, fraction) = match separator {
        Some(at) => (&cell[..at], &cell[at + 1..]),
        None => (cell, &cell[cell.len()..]),
    };
    let digits = |part: &[u8]| part.iter().all(u8::is_ascii_digit);
    let plain = !integer.is_empty()
        && (separator.is_none() || !fraction.is_empty())
        && integer.len() + fraction.len() <= 18
        && digits(integer)
        && digits(fraction);
    if plain {
        let mantissa = integer
            .iter()
            .chain(fraction)
            .fold(0i64, |m, b| m * 10 + i64::from(b - b'0'));
        // 18 digits fit an `i64`, and a scale of 18 a `Decimal`.
        return Ok(Some(Decimal::new(mantissa, fraction.len() as u32)));
    }
    given(cell, decimal)
}

/// A date's cell, `Ok(None)` when blank.
#[inline]
pub(crate) fn date_cell(cell: &[u8]) -> Result<Option<Date>, Wrong> {
    given(cell, date)
}

/// A value of type `ty` written as `cell`.
#[inline]
pub(crate) fn read(ty: &InputType, other: &Spellings, cell: &[u8]) -> Result<Value, Wrong> {
    // The one-pass forms first (a JSON line's values, as a CSV piece's cells); a blank
    // cell, which they give as `None`, as the reader of the type says it.
    match ty {
        InputType::YesNo => match yes_no_cell(cell)? {
            Some(b) => Ok(Value::YesNo(b)),
            None => yes_no(cell).map(Value::YesNo),
        },
        InputType::Count => match count_cell(cell)? {
            Some(n) => Ok(Value::Count(n)),
            None => count(cell).map(Value::Count),
        },
        InputType::Decimal => match decimal_cell(cell)? {
            Some(d) => Ok(Value::Decimal(d)),
            None => decimal(cell).map(Value::Decimal),
        },
        InputType::Date => date(cell).map(Value::Date),
        InputType::Text => text(cell).map(|t| Value::Text(t.to_string())),
        InputType::Choice(choices) => match choice_cell(choices, other, cell)? {
            Some(index) => Ok(Value::Choice(index)),
            None => choice(choices, other, cell).map(Value::Choice),
        },
    }
}

/// A value handed over typed, not spelled (a column of a data frame: an integer, a float,
/// an exact decimal, a yes/no, a day): read by the rules its type's reader applies to a
/// number, without the spelling's own (no separators to be ambiguous, no exponent).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Typed {
    Int(i64),
    UInt(u64),
    /// A float, as pandas makes an integer column that has a blank: NaN is that blank.
    Float(f64),
    /// An exact decimal: its mantissa and scale (digits after the point).
    Decimal(i128, i8),
    YesNo(bool),
    /// A day, counted from 1970-01-01.
    Days(i64),
}

impl Typed {
    /// True for the blank a float column holds (NaN).
    pub(crate) fn is_blank(self) -> bool {
        matches!(self, Typed::Float(x) if x.is_nan())
    }

    /// The value as a person would write it, for a message refusing it.
    pub(crate) fn shown(self) -> String {
        match self {
            Typed::Int(n) => n.to_string(),
            Typed::UInt(n) => n.to_string(),
            Typed::Float(x) => x.to_string(),
            Typed::Decimal(m, s) => match u32::try_from(s) {
                Ok(s) if s <= 28 => Decimal::try_from_i128_with_scale(m, s)
                    .map_or_else(|_| format!("{m}e-{s}"), |d| d.to_string()),
                _ => format!("{m}e{}", -i32::from(s)),
            },
            Typed::YesNo(b) => b.to_string(),
            Typed::Days(days) => {
                date_of_days(days).map_or_else(|_| days.to_string(), |d| d.to_string())
            }
        }
    }

    /// The number, exactly, when it is one: a float as its shortest text that reads back
    /// as the same float (`0.1`, not `0.1000000000000000055511151231257827`), which is what
    /// was written where it came from.
    fn number(self) -> Result<Decimal, Wrong> {
        match self {
            Typed::Int(n) => Ok(Decimal::from(n)),
            Typed::UInt(n) => Ok(Decimal::from(n)),
            Typed::Float(x) if !x.is_finite() => Err(Wrong::Format),
            // A whole float below 2^53 is that integer exactly (its shortest text too).
            Typed::Float(x) if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 => {
                Ok(Decimal::from(x as i64))
            }
            Typed::Float(x) => match few_decimals(x) {
                Some(d) => Ok(d),
                None => decimal(x.to_string().as_bytes()).map_err(|_| Wrong::TooLarge),
            },
            Typed::Decimal(m, s) => {
                let (mut m, mut s) = (m, i32::from(s));
                // A negative scale (`1e3` as mantissa 1): the digits written out.
                while s < 0 {
                    m = m.checked_mul(10).ok_or(Wrong::TooLarge)?;
                    s += 1;
                }
                // Trailing zeros dropped only when the value does not fit as it is.
                loop {
                    let scale = u32::try_from(s).map_err(|_| Wrong::TooPrecise)?;
                    if let Ok(d) = Decimal::try_from_i128_with_scale(m, scale) {
                        return Ok(d);
                    }
                    if s == 0 || m % 10 != 0 {
                        return Err(if s > 28 {
                            Wrong::TooPrecise
                        } else {
                            Wrong::TooLarge
                        });
                    }
                    m /= 10;
                    s -= 1;
                }
            }
            Typed::YesNo(_) | Typed::Days(_) => Err(Wrong::Format),
        }
    }
}

/// A typed value as an input of type `ty` reads it; `Ok(None)` for a blank (NaN).
pub(crate) fn typed(ty: &InputType, cell: Typed) -> Result<Option<Value>, Wrong> {
    if cell.is_blank() {
        return Ok(None);
    }
    let value = match (ty, cell) {
        (InputType::YesNo, Typed::YesNo(b)) => Value::YesNo(b),
        (InputType::Date, Typed::Days(days)) => Value::Date(date_of_days(days)?),
        (_, Typed::YesNo(_) | Typed::Days(_)) => return Err(Wrong::Format),
        (InputType::Count, Typed::Int(n)) => {
            Value::Count(u64::try_from(n).map_err(|_| Wrong::Negative)?)
        }
        (InputType::Count, Typed::UInt(n)) => Value::Count(n),
        (InputType::Count, Typed::Float(x))
            if x.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&x) =>
        {
            Value::Count(x as u64)
        }
        (InputType::Count, cell) => Value::Count(whole(cell.number())?),
        (InputType::YesNo, cell) => match cell.number() {
            Ok(n) if n == Decimal::ONE => Value::YesNo(true),
            Ok(n) if n.is_zero() => Value::YesNo(false),
            _ => return Err(Wrong::Format),
        },
        (InputType::Decimal, cell) => {
            Value::Decimal(cell.number().map_err(|wrong| match wrong {
                Wrong::TooLarge => Wrong::TooPrecise,
                wrong => wrong,
            })?)
        }
        (InputType::Date, _) => return Err(Wrong::Format),
        (InputType::Choice(_), _) => return Err(Wrong::Choice),
        (InputType::Text, cell) => Value::Text(cell.shown()),
    };
    Ok(Some(value))
}

/// The float as its shortest text reads (what `x.to_string()` then `decimal` give),
/// found without writing it when it has at most 9 digits after the point and 15 in all
/// (hours, rates: the usual float cell): the fewest digits after the point whose decimal
/// the float is closest to. Fifteen digits or fewer name one float each, so the decimal
/// found is the shortest text's.
fn few_decimals(x: f64) -> Option<Decimal> {
    const LIMIT: f64 = 1e15;
    let mut power = 1.0_f64;
    for scale in 0..=9u32 {
        let m = (x * power).round();
        if m.abs() >= LIMIT {
            return None;
        }
        // A division of exact operands is rounded once: equal means this decimal reads
        // as `x`.
        if m / power == x {
            return Some(Decimal::new(m as i64, scale));
        }
        power *= 10.0;
    }
    None
}

/// A typed count, `Ok(None)` when blank: an integer that is not negative, the usual
/// cell, at once; anything else as `typed` reads it.
#[inline]
pub(crate) fn count_typed(cell: Typed) -> Result<Option<u64>, Wrong> {
    match cell {
        Typed::Int(n) if n >= 0 => Ok(Some(n.unsigned_abs())),
        Typed::UInt(n) => Ok(Some(n)),
        other => match typed(&InputType::Count, other)? {
            Some(Value::Count(n)) => Ok(Some(n)),
            Some(_) => Err(Wrong::Format),
            None => Ok(None),
        },
    }
}

/// A count from an exact number: as `count` decides, a negative one refused first, then
/// one with a fraction, then one beyond `u64::MAX`.
fn whole(number: Result<Decimal, Wrong>) -> Result<u64, Wrong> {
    let n = number?;
    if n.is_sign_negative() && !n.is_zero() {
        return Err(Wrong::Negative);
    }
    if !n.fract().is_zero() {
        return Err(Wrong::NotWhole);
    }
    u64::try_from(n.trunc()).map_err(|_| Wrong::TooLarge)
}

/// The day `days` after 1970-01-01 (before it when negative), years 1 to 9999 (Howard
/// Hinnant's `civil_from_days`).
fn date_of_days(days: i64) -> Result<Date, Wrong> {
    let z = days.checked_add(719_468).ok_or(Wrong::Format)?;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let year = u16::try_from(year).ok().filter(|y| (1..=9999).contains(y));
    match (year, u8::try_from(month), u8::try_from(day)) {
        (Some(y), Ok(m), Ok(d)) => Date::new(y, m, d).ok_or(Wrong::Format),
        _ => Err(Wrong::Format),
    }
}

/// `true false oui non yes no` in any case, `1`, `0`.
#[inline]
pub(crate) fn yes_no(cell: &[u8]) -> Result<bool, Wrong> {
    let word = trimmed(cell)?;
    let is = |w: &[u8]| word.eq_ignore_ascii_case(w);
    if is(b"true") || is(b"oui") || is(b"yes") || word == b"1" {
        Ok(true)
    } else if is(b"false") || is(b"non") || is(b"no") || word == b"0" {
        Ok(false)
    } else {
        Err(Wrong::Format)
    }
}

/// A whole number of 0 or more: `700`, `+700`, `1 000`, `700,0`, `700.00`.
#[inline]
pub(crate) fn count(cell: &[u8]) -> Result<u64, Wrong> {
    let t = trimmed(cell)?;
    // Plain ASCII digits, the usual cell, read at once: 19 digits always fit.
    if !t.is_empty() && t.len() <= 19 && t.iter().all(u8::is_ascii_digit) {
        return Ok(t.iter().fold(0, |n, b| n * 10 + u64::from(b - b'0')));
    }
    let number = Number::spell(text(t)?).ok_or(Wrong::Format)?;
    if number.exponent {
        return Err(Wrong::Exponent);
    }
    if let Some((separator, digits)) = number.fraction {
        if digits.len() == 3 {
            return Err(Wrong::Ambiguous(separator));
        }
    }
    let whole = number
        .fraction
        .is_none_or(|(_, digits)| digits.bytes().all(|b| b == b'0'));
    let value = number
        .integer_digits()
        .try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d)));
    let zero = whole && number.integer_digits().all(|d| d == 0);
    if number.negative && !zero {
        return Err(Wrong::Negative);
    }
    if !whole {
        return Err(Wrong::NotWhole);
    }
    value.ok_or(Wrong::TooLarge)
}

/// A number with a point or a comma: `12.5`, `-12,5`, `1 234,5`; exact or refused.
#[inline]
pub(crate) fn decimal(cell: &[u8]) -> Result<Decimal, Wrong> {
    let number = Number::spell(text(cell)?).ok_or(Wrong::Format)?;
    if number.exponent {
        return Err(Wrong::Exponent);
    }
    let fraction = number.fraction.map_or("", |(_, digits)| digits);
    let exact = |fraction: &str| -> Option<Decimal> {
        let scale = u32::try_from(fraction.len()).ok()?;
        let digits = number
            .integer_digits()
            .chain(fraction.bytes().map(|b| b - b'0'));
        let mut mantissa = 0i128;
        for d in digits {
            mantissa = mantissa.checked_mul(10)?.checked_add(i128::from(d))?;
        }
        if number.negative {
            mantissa = -mantissa;
        }
        Decimal::try_from_i128_with_scale(mantissa, scale).ok()
    };
    // As written (`12.50` keeps its scale), or without the fraction's trailing zeros when
    // only that fits.
    exact(fraction)
        .or_else(|| exact(fraction.trim_end_matches('0')))
        .ok_or(Wrong::TooPrecise)
}

/// `2024-12-31` or `31/12/2024`, a day of the calendar.
#[inline]
pub(crate) fn date(cell: &[u8]) -> Result<Date, Wrong> {
    Date::parse(text(cell)?).ok_or(Wrong::Format)
}

/// A choice's name exactly, after trimming, or one of its other spellings (its label, a
/// mapping file's value: `other`): its index.
#[inline]
pub(crate) fn choice(choices: &[Choice], other: &Spellings, cell: &[u8]) -> Result<u32, Wrong> {
    let name = trimmed(cell).map_err(|_| Wrong::Choice)?;
    let index = choices
        .iter()
        .position(|c| c.name.as_bytes() == name)
        .and_then(|i| u32::try_from(i).ok());
    match index {
        Some(index) => Ok(index),
        None if other.other.is_empty() => Err(Wrong::Choice),
        None => match other.other.get(&folded(text(name)?)) {
            Some(Spelled::One(index)) => Ok(*index),
            Some(Spelled::Several(_)) => Err(Wrong::AmbiguousChoice),
            None => Err(Wrong::Choice),
        },
    }
}

/// How a cell may spell an input's choices: their names as written, found at once
/// (`names`), and their other spellings (`other`): each choice's label in the rulebook
/// (`Sous-dense`, `Médecine générale`) and the values a mapping file gives, compared after
/// trimming, in any case and without accents. Built once a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Spellings {
    names: Names,
    other: std::collections::HashMap<String, Spelled>,
}

/// The choices a folded spelling stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Spelled {
    One(u32),
    /// Two labels fold to the same text: refused, the candidates listed.
    Several(Vec<u32>),
}

impl Spellings {
    /// The names and labels of `choices`, and `mapped` (a mapping file's spellings and
    /// their choices), which win over a label that folds to the same text.
    pub(crate) fn of<'a>(
        choices: &[Choice],
        mapped: impl IntoIterator<Item = (&'a str, u32)>,
    ) -> Spellings {
        let mut labels: std::collections::HashMap<String, Vec<u32>> = Default::default();
        for (index, choice) in (0u32..).zip(choices) {
            if let Some(label) = &choice.label {
                let all = labels.entry(folded(label)).or_default();
                if !all.contains(&index) {
                    all.push(index);
                }
            }
        }
        let mut other: std::collections::HashMap<String, Spelled> = labels
            .into_iter()
            .map(|(label, all)| match all[..] {
                [one] => (label, Spelled::One(one)),
                _ => (label, Spelled::Several(all)),
            })
            .collect();
        for (spelling, index) in mapped {
            other.insert(folded(spelling), Spelled::One(index));
        }
        Spellings {
            names: Names::of(choices),
            other,
        }
    }

    /// The choices `cell` may stand for when it stands for more than one.
    pub(crate) fn candidates(&self, cell: &str) -> Vec<u32> {
        match self.other.get(&folded(cell)) {
            Some(Spelled::Several(all)) => all.clone(),
            _ => Vec::new(),
        }
    }
}

/// An input's choice names, found in a few instructions whatever their number: an
/// open-addressed table keyed by a cell's length and three of its bytes, each hit
/// confirmed by comparing the bytes. Where a scan of the names would compare the cell with
/// every name of its length before its own (`msp`, `esp`, `ess`, `dac` ...).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Names {
    names: Vec<String>,
    /// A name's index at its key's slot, or at the next free one after it; `EMPTY` where
    /// none is. Twice as many slots as names at least, so a search always ends.
    slots: Vec<u32>,
    /// 64 less the bits of a slot's number.
    shift: u32,
}

impl Names {
    const EMPTY: u32 = u32::MAX;

    fn of(choices: &[Choice]) -> Names {
        let bits = (2 * choices.len())
            .next_power_of_two()
            .trailing_zeros()
            .max(1);
        let mut table = Names {
            names: choices.iter().map(|c| c.name.clone()).collect(),
            slots: vec![Names::EMPTY; 1 << bits],
            shift: 64 - bits,
        };
        // In the choices' order: of two equal names (which `check` refuses), the first is
        // found first.
        for index in 0..table.names.len() {
            let name = table.names[index].as_bytes();
            if name.is_empty() {
                continue;
            }
            let mut at = table.slot(name);
            while table.slots[at] != Names::EMPTY {
                at = (at + 1) & (table.slots.len() - 1);
            }
            table.slots[at] = index as u32;
        }
        table
    }

    /// The index of the name `cell` is exactly.
    #[inline]
    fn find(&self, cell: &[u8]) -> Option<u32> {
        if self.slots.is_empty() || cell.is_empty() {
            return None;
        }
        let mut at = self.slot(cell);
        loop {
            let index = *self.slots.get(at)?;
            let name = self.names.get(index as usize)?;
            if name.as_bytes() == cell {
                return Some(index);
            }
            at = (at + 1) & (self.slots.len() - 1);
        }
    }

    /// The slot a search for `cell` (not empty) starts at.
    #[inline]
    fn slot(&self, cell: &[u8]) -> usize {
        let n = cell.len();
        let key = n as u64
            | u64::from(cell[0]) << 16
            | u64::from(cell[n / 2]) << 24
            | u64::from(cell[n - 1]) << 32;
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }
}

/// `  Médecine  Générale ` → `medecine generale`: trimmed, white space runs as one space,
/// lower case, French accents and ligatures written out.
pub(crate) fn folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            match c {
                // Typographic apostrophes and dashes as a keyboard types them.
                '\u{2019}' => out.push('\''),
                '\u{2013}' | '\u{2014}' => out.push('-'),
                c => crate::lang::push_unaccented(&mut out, c),
            }
        }
    }
    out
}

/// A text, trimmed; refused if it is not UTF-8.
#[inline]
pub(crate) fn text(cell: &[u8]) -> Result<&str, Wrong> {
    std::str::from_utf8(cell)
        .map(str::trim)
        .map_err(|_| Wrong::Format)
}

/// The cell without the white space around it (Unicode's, as `str::trim`), as bytes.
#[inline]
fn trimmed(cell: &[u8]) -> Result<&[u8], Wrong> {
    match plain(cell) {
        Some(plain) => Ok(plain),
        None => text(cell).map(str::as_bytes),
    }
}

/// The cell without ASCII white space around it, when it then starts and ends with a
/// printable ASCII byte, as nearly every cell does: Unicode's trimming would stop at the
/// same bytes, and no UTF-8 check is needed to compare it with ASCII words or digits.
#[inline]
fn plain(cell: &[u8]) -> Option<&[u8]> {
    let c = cell.trim_ascii();
    match (c.first(), c.last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => Some(c),
        _ => None,
    }
}

/// The number `text` would be written in full (`7e2` → `700`), for the message refusing
/// an exponent; `None` when it is not a number with an exponent, or too long to show.
pub(crate) fn in_full(text: &str) -> Option<String> {
    let t = text.trim();
    let number = Number::spell(t).filter(|n| n.exponent)?;
    let at = t.find(['e', 'E'])?;
    let exponent: i32 = t[at + 1..].parse().ok().filter(|e: &i32| e.abs() <= 40)?;
    let mut digits: Vec<u8> = number.integer_digits().collect();
    let point = i32::try_from(digits.len()).ok()? + exponent;
    digits.extend(
        number
            .fraction
            .map_or("", |(_, f)| f)
            .bytes()
            .map(|b| b - b'0'),
    );
    let point = usize::try_from(point).unwrap_or(0);
    if digits.len() < point {
        digits.resize(point, 0);
    }
    let (integer, fraction) = digits.split_at(point.min(digits.len()));
    let integer: String = integer.iter().map(|d| char::from(b'0' + d)).collect();
    let integer = integer.trim_start_matches('0');
    let mut full = String::new();
    if number.negative {
        full.push('-');
    }
    full.push_str(if integer.is_empty() { "0" } else { integer });
    let fraction: String = fraction.iter().map(|d| char::from(b'0' + d)).collect();
    let fraction = fraction.trim_end_matches('0');
    if !fraction.is_empty() {
        let missing =
            usize::try_from(-(exponent + i32::try_from(number.integer_len()).ok()?)).unwrap_or(0);
        full.push('.');
        full.extend(std::iter::repeat_n('0', missing));
        full.push_str(fraction);
    }
    Some(full)
}

/// A number as spelled: its sign, its integer part (digits, perhaps in groups of three),
/// its fraction after `.` or `,`, and whether an exponent follows. Only what is spelled so
/// is read: no underscore, no `.5` or `5.`, no `inf`.
struct Number<'a> {
    negative: bool,
    /// Digits, and the group separators between them.
    integer: &'a str,
    fraction: Option<(char, &'a str)>,
    exponent: bool,
}

impl<'a> Number<'a> {
    fn spell(t: &'a str) -> Option<Number<'a>> {
        let (negative, rest) = match t.as_bytes().first() {
            Some(b'+') => (false, &t[1..]),
            Some(b'-') => (true, &t[1..]),
            _ => (false, t),
        };
        let end = rest.find(['.', ',', 'e', 'E']).unwrap_or(rest.len());
        let (integer, mut rest) = rest.split_at(end);
        if !grouped_digits(integer) {
            return None;
        }
        let mut fraction = None;
        if let Some(separator) = rest.chars().next().filter(|c| matches!(c, '.' | ',')) {
            let after = &rest[1..];
            let end = after.find(['e', 'E']).unwrap_or(after.len());
            let (digits, after) = after.split_at(end);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            fraction = Some((separator, digits));
            rest = after;
        }
        let exponent = match rest.get(1..) {
            None => false,
            Some(e) => {
                let e = e.strip_prefix(['+', '-']).unwrap_or(e);
                if e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                true
            }
        };
        Some(Number {
            negative,
            integer,
            fraction,
            exponent,
        })
    }

    /// The integer part's digits, as numbers, separators left out.
    fn integer_digits(&self) -> impl Iterator<Item = u8> + 'a {
        self.integer
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
    }

    fn integer_len(&self) -> usize {
        self.integer_digits().count()
    }
}

/// A space, a no-break space or a narrow no-break space, as French spreadsheets group
/// thousands.
fn is_group_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

/// Digits, or groups of digits: 1 to 3, then exactly 3 after each separator (`1 000 000`).
fn grouped_digits(s: &str) -> bool {
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let mut groups = s.split(is_group_separator);
    let Some(first) = groups.next() else {
        return false;
    };
    if !s.contains(is_group_separator) {
        return !first.is_empty() && digits(first);
    }
    (1..=3).contains(&first.len()) && digits(first) && groups.all(|g| g.len() == 3 && digits(g))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn trimming_and_yes_no() {
        for t in [
            "true",
            "TRUE",
            " Oui ",
            "yes",
            "1",
            "\u{a0}oui\u{202f}",
            "\tYes\r",
        ] {
            assert_eq!(yes_no(t.as_bytes()), Ok(true), "{t:?}");
        }
        for t in ["false", "Non", "NO", "0", "\u{a0}0"] {
            assert_eq!(yes_no(t.as_bytes()), Ok(false), "{t:?}");
        }
        for t in ["y", "2", "1.0", "ouii", "vrai", ""] {
            assert_eq!(yes_no(t.as_bytes()), Err(Wrong::Format), "{t:?}");
        }
    }

    #[test]
    fn counts_as_written() {
        let cases = [
            ("700", 700),
            ("+700", 700),
            ("007", 7),
            (" 700 ", 700),
            ("\u{a0}700\u{a0}", 700),
            ("700.0", 700),
            ("700,0", 700),
            ("700.00", 700),
            ("700,0000", 700),
            ("1 000", 1000),
            ("1\u{a0}000", 1000),
            ("1\u{202f}000\u{202f}000", 1_000_000),
            ("12 345,0", 12345),
            ("-0", 0),
            ("18446744073709551615", u64::MAX),
            ("18 446 744 073 709 551 615", u64::MAX),
        ];
        for (t, n) in cases {
            assert_eq!(count(t.as_bytes()), Ok(n), "{t:?}");
        }
    }

    #[test]
    fn counts_refused_with_their_reason() {
        let cases = [
            ("700,5", Wrong::NotWhole),
            ("0.1", Wrong::NotWhole),
            ("1,000", Wrong::Ambiguous(',')),
            ("1.000", Wrong::Ambiguous('.')),
            ("700,500", Wrong::Ambiguous(',')),
            ("-3", Wrong::Negative),
            ("-0.5", Wrong::Negative),
            ("7e2", Wrong::Exponent),
            ("1E3", Wrong::Exponent),
            ("0.7e3", Wrong::Exponent),
            ("1,23E+15", Wrong::Exponent),
            ("18446744073709551616", Wrong::TooLarge),
            ("99999999999999999999999999999999999999999", Wrong::TooLarge),
            ("abc", Wrong::Format),
            ("e5", Wrong::Format),
            ("1_000", Wrong::Format),
            ("1 00", Wrong::Format),
            ("10 00", Wrong::Format),
            ("1000 000", Wrong::Format),
            ("1  000", Wrong::Format),
            (".5", Wrong::Format),
            ("5.", Wrong::Format),
            ("+-5", Wrong::Format),
            ("0x10", Wrong::Format),
            ("", Wrong::Format),
        ];
        for (t, wrong) in cases {
            assert_eq!(count(t.as_bytes()), Err(wrong), "{t:?}");
        }
    }

    #[test]
    fn decimals_exact_or_refused() {
        let cases = [
            ("12.5", "12.5"),
            ("12,5", "12.5"),
            ("-12,5", "-12.5"),
            ("+3", "3"),
            ("1 234,5", "1234.5"),
            ("1,000", "1"),
            ("12.50", "12.50"),
            (
                "0.0000000000000000000000000001",
                "0.0000000000000000000000000001",
            ),
            // 29 digits after the point, the last ones zeros: dropped, nothing rounded.
            ("1.50000000000000000000000000000", "1.5"),
            (
                "79228162514264337593543950335",
                "79228162514264337593543950335",
            ),
        ];
        for (t, d) in cases {
            assert_eq!(decimal(t.as_bytes()), Ok(dec(d)), "{t:?}");
        }
        assert_eq!(decimal(b"12.50").unwrap().scale(), 2);
        let refused = [
            ("1.99999999999999999999999999999", Wrong::TooPrecise),
            ("79228162514264337593543950336", Wrong::TooPrecise),
            ("0.00000000000000000000000000001", Wrong::TooPrecise),
            ("7e2", Wrong::Exponent),
            ("1.5E-3", Wrong::Exponent),
            (".5", Wrong::Format),
            ("5.", Wrong::Format),
            ("1_000", Wrong::Format),
            ("1.2.3", Wrong::Format),
            ("1,5,0", Wrong::Format),
            ("NaN", Wrong::Format),
            ("inf", Wrong::Format),
            ("e", Wrong::Format),
            ("7e", Wrong::Format),
        ];
        for (t, wrong) in refused {
            assert_eq!(decimal(t.as_bytes()), Err(wrong), "{t:?}");
        }
    }

    #[test]
    fn exponents_written_in_full() {
        let cases = [
            ("7e2", "700"),
            ("1E3", "1000"),
            ("0.7e3", "700"),
            ("1,23E+15", "1230000000000000"),
            ("-1.5e-3", "-0.0015"),
            ("15e-1", "1.5"),
        ];
        for (t, full) in cases {
            assert_eq!(in_full(t).as_deref(), Some(full), "{t:?}");
        }
        assert_eq!(in_full("1e400"), None);
        assert_eq!(in_full("700"), None);
    }

    #[test]
    fn a_choice_cell_finds_every_name_as_written_and_nothing_else() {
        // The names of the guides' lists, where many share a length and letters, and
        // enough more to fill a table of 512 slots.
        let mut names: Vec<String> = ["msp", "esp", "ess", "cpts", "dac", "prado", "aucun"]
            .map(String::from)
            .into();
        names.extend((0..250).map(|i| format!("choix_{i}")));
        names.extend((0..5).map(|i| "x".repeat(i + 1)));
        let choices: Vec<Choice> = names
            .iter()
            .map(|name| Choice {
                name: name.clone(),
                label: Some(format!("Libellé {name}")),
            })
            .collect();
        let spellings = Spellings::of(&choices, []);
        for (index, name) in (0u32..).zip(&names) {
            assert_eq!(spellings.names.find(name.as_bytes()), Some(index), "{name}");
            let cell = choice_cell(&choices, &spellings, name.as_bytes());
            assert_eq!(cell, Ok(Some(index)), "{name}");
        }
        for cell in ["", "ms", "mspp", "Msp", "choix_250", "xxxxxx", "choix_1 "] {
            assert_eq!(spellings.names.find(cell.as_bytes()), None, "{cell}");
        }
        // Not a name as written: read the slow way, trimmed, by label, or refused.
        assert_eq!(choice_cell(&choices, &spellings, b" esp "), Ok(Some(1)));
        let label = "libellé DAC".as_bytes();
        assert_eq!(choice_cell(&choices, &spellings, label), Ok(Some(4)));
        assert_eq!(choice_cell(&choices, &spellings, b"  "), Ok(None));
        assert_eq!(
            choice_cell(&choices, &spellings, b"mspp"),
            Err(Wrong::Choice)
        );
        // No table (a value read without its input's spellings): found by the scan.
        let none = Spellings::default();
        assert_eq!(choice_cell(&choices, &none, b"prado"), Ok(Some(5)));
    }

    #[test]
    fn dates_choices_texts() {
        assert_eq!(date(b" 2024-12-31 "), Ok(Date::new(2024, 12, 31).unwrap()));
        assert_eq!(date(b"31/12/2024"), Ok(Date::new(2024, 12, 31).unwrap()));
        assert_eq!(date(b"2024-02-30"), Err(Wrong::Format));
        let choices = ["a", "bb"].map(|name| Choice {
            name: name.into(),
            label: None,
        });
        let none = Spellings::default();
        assert_eq!(choice(&choices, &none, "\u{a0}bb ".as_bytes()), Ok(1));
        assert_eq!(choice(&choices, &none, b"BB"), Err(Wrong::Choice));
        // Labels, in any case and without accents, unless two choices share one.
        let labelled = [
            ("sous_dense", "Sous-dense"),
            ("autre", "Zone d'équilibre"),
            ("x", "zone d'equilibre"),
            ("y", "Très sous-dense"),
        ]
        .map(|(name, label)| Choice {
            name: name.into(),
            label: Some(label.into()),
        });
        let other = Spellings::of(&labelled, [("TSD", 3)]);
        assert_eq!(choice(&labelled, &other, " sous-DENSE ".as_bytes()), Ok(0));
        assert_eq!(
            choice(&labelled, &other, "tres  sous-dense".as_bytes()),
            Ok(3)
        );
        assert_eq!(choice(&labelled, &other, b"tsd"), Ok(3));
        assert_eq!(
            choice(&labelled, &other, "Zone d\u{2019}équilibre".as_bytes()),
            Err(Wrong::AmbiguousChoice)
        );
        assert_eq!(other.candidates("zone d'équilibre"), vec![1, 2]);
        assert_eq!(choice(&labelled, &other, b"dense"), Err(Wrong::Choice));
        assert_eq!(text("\u{a0} x y ".as_bytes()), Ok("x y"));
        assert_eq!(text(b"\xff"), Err(Wrong::Format));
    }

    #[test]
    fn a_float_reads_as_its_shortest_text_does() {
        let mut floats: Vec<f64> = (0..20_000).map(|k| f64::from(k) / 100.0).collect();
        floats.extend((0..20_000).map(|k| f64::from(k) * 0.001 - 7.0));
        floats.extend([
            0.1 + 0.2,
            1.0 / 3.0,
            14.21,
            1e-7,
            123_456_789.123_456,
            2.5e14,
            -0.0,
        ]);
        // Floats of every exponent from one bit pattern walked.
        let mut bits: u64 = 0x3FF0_0000_0000_0001;
        for _ in 0..20_000 {
            bits = bits.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let x = f64::from_bits((bits >> 12) | 0x3F00_0000_0000_0000);
            floats.push(x);
        }
        for x in floats {
            let written = decimal(x.to_string().as_bytes()).ok();
            if let Some(d) = few_decimals(x) {
                assert_eq!(Some(d), written, "{x}");
                assert_eq!(Some(d.scale()), written.map(|w| w.scale()), "{x}");
            }
        }
        assert_eq!(few_decimals(14.21), Some(Decimal::new(1421, 2)));
        assert_eq!(few_decimals(0.1 + 0.2), None);
    }

    #[test]
    fn the_fast_typed_count_reads_as_the_typed_reader() {
        let cells = [
            Typed::Int(700),
            Typed::Int(0),
            Typed::Int(-3),
            Typed::Int(i64::MAX),
            Typed::UInt(u64::MAX),
            Typed::Float(700.0),
            Typed::Float(f64::NAN),
            Typed::Float(700.5),
            Typed::Decimal(70_000, 2),
            Typed::YesNo(true),
            Typed::Days(3),
        ];
        for cell in cells {
            let read = typed(&InputType::Count, cell).map(|v| match v {
                Some(Value::Count(n)) => Some(n),
                _ => None,
            });
            assert_eq!(count_typed(cell), read, "{cell:?}");
        }
    }

    #[test]
    fn typed_values_read_by_their_type_rules() {
        let count = |t| typed(&InputType::Count, t);
        assert_eq!(count(Typed::Int(700)), Ok(Some(Value::Count(700))));
        assert_eq!(count(Typed::Float(700.0)), Ok(Some(Value::Count(700))));
        assert_eq!(count(Typed::Float(-0.0)), Ok(Some(Value::Count(0))));
        assert_eq!(count(Typed::Float(f64::NAN)), Ok(None));
        assert_eq!(count(Typed::Float(700.5)), Err(Wrong::NotWhole));
        // No spelling to be ambiguous: 1.234 is simply not whole.
        assert_eq!(count(Typed::Float(1.234)), Err(Wrong::NotWhole));
        assert_eq!(count(Typed::Int(-3)), Err(Wrong::Negative));
        assert_eq!(count(Typed::Float(-0.5)), Err(Wrong::Negative));
        assert_eq!(count(Typed::Float(1e20)), Err(Wrong::TooLarge));
        assert_eq!(
            count(Typed::Decimal(70_000, 2)),
            Ok(Some(Value::Count(700)))
        );
        assert_eq!(count(Typed::YesNo(true)), Err(Wrong::Format));
        let decimal = |t| typed(&InputType::Decimal, t);
        assert_eq!(
            decimal(Typed::Float(0.1)),
            Ok(Some(Value::Decimal(dec("0.1"))))
        );
        assert_eq!(
            decimal(Typed::Float(14.21)),
            Ok(Some(Value::Decimal(dec("14.21"))))
        );
        assert_eq!(
            decimal(Typed::Decimal(1250, 2)),
            Ok(Some(Value::Decimal(dec("12.50"))))
        );
        assert_eq!(
            decimal(Typed::Decimal(5, -2)),
            Ok(Some(Value::Decimal(dec("500"))))
        );
        assert_eq!(decimal(Typed::Float(f64::INFINITY)), Err(Wrong::Format));
        let yes_no = |t| typed(&InputType::YesNo, t);
        assert_eq!(yes_no(Typed::Int(1)), Ok(Some(Value::YesNo(true))));
        assert_eq!(yes_no(Typed::Float(0.0)), Ok(Some(Value::YesNo(false))));
        assert_eq!(yes_no(Typed::Int(2)), Err(Wrong::Format));
        let date = Date::new(2024, 12, 31).unwrap();
        assert_eq!(
            typed(&InputType::Date, Typed::Days(20088)),
            Ok(Some(Value::Date(date)))
        );
        assert_eq!(date_of_days(0), Date::new(1970, 1, 1).ok_or(Wrong::Format));
        assert_eq!(
            date_of_days(-719_162),
            Date::new(1, 1, 1).ok_or(Wrong::Format)
        );
        assert_eq!(
            typed(&InputType::Text, Typed::Int(12)),
            Ok(Some(Value::Text("12".into())))
        );
        assert_eq!(Typed::Decimal(1250, 2).shown(), "12.50");
    }

    #[test]
    fn blank_cells_and_odd_bytes() {
        for cell in [
            &b""[..],
            b" ",
            b"\t\r\n",
            b"\x0b",
            "\u{a0}".as_bytes(),
            "\u{202f} ".as_bytes(),
        ] {
            assert!(blank(cell), "{cell:?}");
        }
        for cell in [&b"0"[..], b"\x0b1", "\u{a0}x".as_bytes(), b"\xff", b"\x01"] {
            assert!(!blank(cell), "{cell:?}");
        }
        // A vertical tab is white space to Unicode, not to `trim_ascii`.
        assert_eq!(count(b"\x0b7\x0b"), Ok(7));
        assert_eq!(yes_no(b"\x0boui"), Ok(true));
        assert_eq!(count(b"7\xff"), Err(Wrong::Format));
        assert_eq!(yes_no(b"oui\xc3"), Err(Wrong::Format));
    }
}
