//! The cells of a CSV result row, written without the formatting machinery (a batch writes
//! millions): a field quoted when it must be, an amount as `Decimal` writes it, a source
//! `file:line N`. The full row (`csv.rs`) and a choice of its columns (`columns.rs`) both
//! write their cells with these.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::declaration::Location;

/// `file:line N`, quoted when needed.
pub(super) fn push_source(line: &mut String, file: &str, location: &Location) {
    match location {
        Location::Line(n) if !file.contains([',', '"', '\n', '\r']) => {
            line.push_str(file);
            line.push_str(":line ");
            push_u64(line, *n);
        }
        _ => push_field(line, &format!("{file}:{location}")),
    }
}

/// Digits of `n`, without the formatting machinery.
fn push_u64(line: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if let Ok(text) = std::str::from_utf8(&digits[i..]) {
        line.push_str(text);
    }
}

/// A decimal as `Decimal` writes it (`1240.00`, `22.5`, `0.05`), without its formatting
/// machinery: a batch writes millions of amounts.
pub(super) fn push_amount(line: &mut String, amount: Decimal) {
    write_amount(line, amount, false);
}

/// `,` and the amount.
pub(super) fn push_separated_amount(line: &mut String, amount: Decimal) {
    write_amount(line, amount, true);
}

fn write_amount(line: &mut String, amount: Decimal, separated: bool) {
    let scale = amount.scale() as usize;
    let mantissa = match u64::try_from(amount.mantissa()) {
        Ok(m) if !amount.is_sign_negative() && scale < 20 => m,
        _ => {
            if separated {
                line.push(',');
            }
            let _ = write!(line, "{amount}");
            return;
        }
    };
    if mantissa == 0 && scale == 2 {
        // An unpaid line: the commonest amount of all.
        line.push_str(if separated { ",0.00" } else { "0.00" });
        return;
    }
    if scale == 2 {
        // Euros and cents, as every amount paid is: the digits of each at once.
        if separated {
            line.push(',');
        }
        push_u64(line, mantissa / 100);
        let cents = (mantissa % 100) as u8;
        let text = [b'.', b'0' + cents / 10, b'0' + cents % 10];
        if let Ok(text) = std::str::from_utf8(&text) {
            line.push_str(text);
        }
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
        start -= 1;
        text[start] = b',';
    }
    if let Ok(text) = std::str::from_utf8(&text[start..]) {
        line.push_str(text);
    }
}

/// A field, quoted when it holds a separator, a quote or a line break (RFC 4180).
pub(super) fn push_field(line: &mut String, field: &str) {
    // Byte by byte: the four are ASCII (a `char` pattern searched slower, for every id).
    if field
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        line.push('"');
        line.push_str(&field.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::push_field;

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
                super::push_amount(&mut line, d);
                assert_eq!(line, d.to_string(), "{text}");
            }
        }
        // Every scale of a few mantissas.
        for mantissa in [0i64, 1, 9, 10, 123_456, i64::MAX] {
            for scale in 0..=28 {
                let d = rust_decimal::Decimal::new(mantissa, scale);
                let mut line = String::new();
                super::push_amount(&mut line, d);
                assert_eq!(line, d.to_string(), "{mantissa} scale {scale}");
            }
        }
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut line = String::new();
        push_field(&mut line, "CD-1");
        push_field(&mut line, ",a \"b\"");
        assert_eq!(line, "CD-1\",a \"\"b\"\"\"");
    }
}
