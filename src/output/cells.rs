//! The cells of a CSV result row, written without the formatting machinery (a batch writes
//! millions): a field quoted when it must be and neutralised when a spreadsheet would take
//! it for a formula, an amount as `Decimal` writes it, a source `file:line N`, each in the
//! file's [`CsvStyle`]. The full row (`csv.rs`), a choice of its columns (`columns.rs`) and
//! `forfait test --accept`'s `expected.csv` write their cells with these.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::declaration::Location;

/// How a CSV file forfait writes is laid out: the default (`,`, a decimal point, LF, no
/// byte order mark), or French Excel's (`--excel`: `;`, a decimal comma, CRLF, a byte order
/// mark, so that a double click opens it in columns with its accents).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvStyle {
    /// Between cells: `,`, `;`, `|` or a tab ([`CsvStyle::allows`]; another byte is
    /// written as `,`).
    pub delimiter: u8,
    /// Amounts written `1440,00` rather than `1440.00` (never a thousands separator).
    pub decimal_comma: bool,
    /// Lines end with CRLF rather than LF.
    pub crlf: bool,
    /// The file starts with a UTF-8 byte order mark.
    pub bom: bool,
}

impl Default for CsvStyle {
    fn default() -> Self {
        CsvStyle {
            delimiter: b',',
            decimal_comma: false,
            crlf: false,
            bom: false,
        }
    }
}

impl CsvStyle {
    /// What French Excel opens at a double click.
    pub const EXCEL: CsvStyle = CsvStyle {
        delimiter: b';',
        decimal_comma: true,
        crlf: true,
        bom: true,
    };

    /// The end of a line.
    pub fn line_end(self) -> &'static str {
        if self.crlf {
            "\r\n"
        } else {
            "\n"
        }
    }

    /// What the file starts with (before its header).
    pub fn start(self) -> &'static str {
        if self.bom {
            "\u{feff}"
        } else {
            ""
        }
    }

    /// The delimiter as text.
    pub(super) fn separator(self) -> &'static str {
        match self.delimiter {
            b',' => ",",
            b';' => ";",
            b'\t' => "\t",
            b'|' => "|",
            _ => ",",
        }
    }

    /// The delimiter written: `delimiter`, or `,` for one that cannot separate cells.
    fn byte(self) -> u8 {
        match Self::allows(self.delimiter) {
            true => self.delimiter,
            false => b',',
        }
    }

    /// Whether `delimiter` can separate cells (ASCII, not a quote, not a line break).
    pub fn allows(delimiter: u8) -> bool {
        matches!(delimiter, b',' | b';' | b'\t' | b'|')
    }
}

/// `file:line N`, quoted and neutralised when needed.
pub(super) fn push_source(line: &mut String, style: CsvStyle, file: &str, location: &Location) {
    match location {
        Location::Line(n) if plain(file.as_bytes(), style) => {
            line.push_str(file);
            line.push_str(":line ");
            push_u64(line, *n);
        }
        _ => push_field(line, style, &format!("{file}:{location}")),
    }
}

/// Digits of `n`, without the formatting machinery (`itoa`: two digits at a time).
pub(crate) fn push_u64(line: &mut String, n: u64) {
    line.push_str(itoa::Buffer::new().format(n));
}

/// `00` to `99`, two characters each: the cents of an amount.
const PAIRS: &str = "00010203040506070809101112131415161718192021222324252627282930313233343536373839\
                     40414243444546474849505152535455565758596061626364656667686970717273747576777879\
                     8081828384858687888990919293949596979899";

/// `cents` as euros, a point and two digits (`1240.05`).
fn push_euros_and_cents(line: &mut String, cents: u64) {
    push_u64(line, cents / 100);
    let at = 2 * (cents % 100) as usize;
    line.push('.');
    line.push_str(&PAIRS[at..at + 2]);
}

/// A decimal as `Decimal` writes it (`1240.00`, `22.5`, `0.05`; `1240,00` with a decimal
/// comma), without its formatting machinery: a batch writes millions of amounts. Amounts
/// are never negative, so never look like a formula.
pub(super) fn push_amount(line: &mut String, style: CsvStyle, amount: Decimal) {
    write_amount(line, style, amount, false);
}

/// An amount in cents, as `push_amount` writes it at two decimals (`1240.00`, `0.05`).
pub(super) fn push_cents(line: &mut String, style: CsvStyle, cents: i64) {
    match u64::try_from(cents) {
        Ok(c) if !style.decimal_comma => push_euros_and_cents(line, c),
        _ => push_amount(line, style, Decimal::new(cents, 2)),
    }
}

/// The delimiter and the amount.
pub(super) fn push_separated_amount(line: &mut String, style: CsvStyle, amount: Decimal) {
    write_amount(line, style, amount, true);
}

fn write_amount(line: &mut String, style: CsvStyle, amount: Decimal, separated: bool) {
    if style.decimal_comma {
        // The rare style: written as by default, then its point made a comma.
        let mut text = String::with_capacity(24);
        write_amount(&mut text, CsvStyle::default(), amount, false);
        if separated {
            line.push_str(style.separator());
        }
        line.push_str(&text.replace('.', ","));
        return;
    }
    let scale = amount.scale() as usize;
    let mantissa = match u64::try_from(amount.mantissa()) {
        Ok(m) if !amount.is_sign_negative() && scale < 20 => m,
        _ => {
            if separated {
                line.push_str(style.separator());
            }
            let _ = write!(line, "{amount}");
            return;
        }
    };
    if mantissa == 0 && scale == 2 {
        // An unpaid line: the commonest amount of all.
        if separated {
            line.push_str(style.separator());
        }
        line.push_str("0.00");
        return;
    }
    if scale == 2 {
        // Euros and cents, as every amount paid is: the digits of each at once.
        if separated {
            line.push_str(style.separator());
        }
        push_euros_and_cents(line, mantissa);
        return;
    }
    // Digits and point from the right, into a buffer, then pushed at once.
    let mut text = [0u8; 24];
    let mut start = text.len();
    let mut n = mantissa;
    let mut written = 0;
    // At least one digit before the point and `scale` after it.
    while n > 0 || written <= scale {
        if written == scale && scale > 0 {
            start -= 1;
            text[start] = b'.';
        }
        start -= 1;
        text[start] = b'0' + (n % 10) as u8;
        n /= 10;
        written += 1;
    }
    if separated {
        line.push_str(style.separator());
    }
    if let Ok(text) = std::str::from_utf8(&text[start..]) {
        line.push_str(text);
    }
}

/// A field as CSV writes it: as it is when it is plain; else neutralised when a
/// spreadsheet would run it as a formula (OWASP's rule: a cell starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a `'` before it), and quoted by `csv_core`
/// when it holds the delimiter, a quote or a line break (RFC 4180).
pub(super) fn push_field(line: &mut String, style: CsvStyle, field: &str) {
    if plain(field.as_bytes(), style) {
        line.push_str(field);
        return;
    }
    let neutralised;
    let field = if looks_like_formula(field.as_bytes()) {
        neutralised = format!("'{field}");
        neutralised.as_str()
    } else {
        field
    };
    if !field
        .bytes()
        .any(|b| b == style.byte() || matches!(b, b'"' | b'\n' | b'\r'))
    {
        line.push_str(field);
        return;
    }
    let mut writer = csv_core::WriterBuilder::new()
        .delimiter(style.byte())
        .build();
    // Quotes around it and each of its quotes doubled: twice its length and two more.
    let mut out = vec![0u8; 2 * field.len() + 2];
    let (_, _, written) = writer.field(field.as_bytes(), &mut out);
    let (_, closed) = writer.finish(&mut out[written..]);
    out.truncate(written + closed);
    // Quotes only were added around and inside UTF-8 text: it is still UTF-8.
    if let Ok(quoted) = std::str::from_utf8(&out) {
        line.push_str(quoted);
    }
}

/// A cell that needs nothing done to it: no delimiter, quote or line break, and not
/// starting as a formula. Byte by byte: all are ASCII (a `char` pattern searched slower,
/// for every id).
#[inline]
fn plain(field: &[u8], style: CsvStyle) -> bool {
    let delimiter = style.byte();
    !looks_like_formula(field)
        && !field
            .iter()
            .any(|&b| b == delimiter || matches!(b, b'"' | b'\n' | b'\r'))
}

/// A cell a spreadsheet would take for a formula (OWASP, "CSV injection").
#[inline]
fn looks_like_formula(field: &[u8]) -> bool {
    matches!(
        field.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

#[cfg(test)]
mod tests {
    use super::{push_amount, push_cents, push_field, CsvStyle};

    #[test]
    fn cents_are_written_as_their_amount_is() {
        let comma = CsvStyle {
            decimal_comma: true,
            ..CsvStyle::default()
        };
        let every_cent = (0..300).chain((0..100).map(|c| 123_400 + c));
        let others = [124_000, 123_456_789, -5, i64::MAX];
        for cents in every_cent.chain(others) {
            for style in [CsvStyle::default(), comma] {
                let (mut by_cents, mut by_amount) = (String::new(), String::new());
                push_cents(&mut by_cents, style, cents);
                push_amount(&mut by_amount, style, rust_decimal::Decimal::new(cents, 2));
                assert_eq!(by_cents, by_amount, "{cents}");
            }
        }
    }

    #[test]
    fn amounts_are_written_as_decimal_writes_them() {
        let texts = [
            "0",
            "0.00",
            "0.05",
            "0.5",
            "490.00",
            "157.50",
            "1240.05",
            "12.3",
            "7",
            "-3.00",
            "0.0000000000000000001",
            "18446744073709551615",
            "1844674407370955.1615",
            "18446744073709551616",
            "1e3",
            "0.000",
            "-0",
        ];
        for text in texts {
            let amount: rust_decimal::Decimal = text.parse().unwrap_or_default();
            for d in [amount, amount.normalize()] {
                let mut line = String::new();
                super::push_amount(&mut line, CsvStyle::default(), d);
                assert_eq!(line, d.to_string(), "{text}");
            }
        }
        // Every scale of a few mantissas.
        for mantissa in [0i64, 1, 9, 10, 123_456, i64::MAX] {
            for scale in 0..=28 {
                let d = rust_decimal::Decimal::new(mantissa, scale);
                let mut line = String::new();
                super::push_amount(&mut line, CsvStyle::default(), d);
                assert_eq!(line, d.to_string(), "{mantissa} scale {scale}");
            }
        }
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut line = String::new();
        push_field(&mut line, CsvStyle::default(), "CD-1");
        push_field(&mut line, CsvStyle::default(), ",a \"b\"");
        assert_eq!(line, "CD-1\",a \"\"b\"\"\"");
        let mut line = String::new();
        push_field(&mut line, CsvStyle::EXCEL, "a,b");
        push_field(&mut line, CsvStyle::EXCEL, "a;b");
        assert_eq!(line, "a,b\"a;b\"");
    }

    #[test]
    fn formulas_are_neutralised() {
        for (cell, written) in [
            ("=1+2", "'=1+2"),
            ("+33 1", "'+33 1"),
            ("-12", "'-12"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            ),
            ("CD-1", "CD-1"),
            ("", ""),
        ] {
            let mut line = String::new();
            push_field(&mut line, CsvStyle::default(), cell);
            assert_eq!(line, written, "{cell}");
        }
    }

    #[test]
    fn amounts_take_the_decimal_comma() {
        for (text, written) in [
            ("1440.00", ";1440,00"),
            ("0.00", ";0,00"),
            ("22.5", ";22,5"),
            ("7", ";7"),
        ] {
            let amount: rust_decimal::Decimal = text.parse().unwrap_or_default();
            let mut line = String::new();
            super::push_separated_amount(&mut line, CsvStyle::EXCEL, amount);
            assert_eq!(line, written);
        }
    }
}
