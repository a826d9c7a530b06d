//! A row per declaration and a column per indicator and payment line, for a spreadsheet.
//!
//! Columns: `id,status,total_euros[,total_points],<indicator>...,pays_<line>...,
//! rulebook_hash,source,errors`. Rows are written one at a time (batches stream them).

use std::fmt::Write as _;

use super::Evaluated;
use crate::model::CompiledRulebook;

/// Every record as CSV, header first.
pub fn render(rulebook: &CompiledRulebook, records: &[Evaluated]) -> String {
    let mut out = header(rulebook);
    for record in records {
        out.push_str(&row(rulebook, record));
    }
    out
}

/// The header row, with its line ending.
pub fn header(rulebook: &CompiledRulebook) -> String {
    let mut fields: Vec<String> = vec!["id".into(), "status".into(), "total_euros".into()];
    if rulebook.meta.point_value.is_some() {
        fields.push("total_points".into());
    }
    fields.extend(rulebook.indicators.iter().map(|i| i.name.clone()));
    fields.extend(
        rulebook
            .payments
            .iter()
            .map(|p| format!("pays_{}", rulebook.target_name(p.owner))),
    );
    fields.extend([
        "rulebook_hash".to_string(),
        "source".into(),
        "errors".into(),
    ]);
    let mut line = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        push_field(&mut line, f);
    }
    line.push('\n');
    line
}

/// One record's row, with its line ending.
pub fn row(rulebook: &CompiledRulebook, record: &Evaluated) -> String {
    let mut line = String::with_capacity(256);
    write_row(&mut line, rulebook, record);
    line
}

/// One record's row, with its line ending, appended to `line` (batches write many rows into
/// one buffer).
pub fn write_row(out: &mut String, rulebook: &CompiledRulebook, record: &Evaluated) {
    // Taken and given back: the row is written into `out`'s own buffer.
    let mut line = std::mem::take(out);
    let has_points = rulebook.meta.point_value.is_some();
    match record {
        Evaluated::Outcome {
            file,
            location,
            outcome,
        } => {
            push_field(&mut line, &outcome.declaration_id);
            line.push_str(",evaluated,");
            push_amount(&mut line, outcome.total_euros);
            if has_points {
                let _ = write!(line, ",{}", outcome.total_points.normalize());
            }
            for o in &outcome.indicators {
                line.push(',');
                line.push_str(o.status.as_str());
            }
            for p in &outcome.payments {
                line.push(',');
                push_amount(&mut line, p.euros);
            }
            line.push(',');
            line.push_str(&rulebook.meta.content_hash);
            line.push(',');
            push_source(&mut line, file, location);
            line.push(',');
        }
        Evaluated::Rejected(r) => {
            push_field(&mut line, r.id.as_deref().unwrap_or(""));
            line.push_str(",rejected,");
            let empty =
                usize::from(has_points) + rulebook.indicators.len() + rulebook.payments.len();
            for _ in 0..empty {
                line.push(',');
            }
            line.push(',');
            line.push_str(&rulebook.meta.content_hash);
            line.push(',');
            push_source(&mut line, &r.file, &r.location);
            line.push(',');
            let errors = r
                .problems
                .iter()
                .map(|p| match &p.field {
                    Some(f) => format!("{f}: {}", p.message),
                    None => p.message.clone(),
                })
                .collect::<Vec<_>>()
                .join(" | ");
            push_field(&mut line, &errors);
        }
    }
    line.push('\n');
    *out = line;
}

/// `file:line N`, quoted when needed.
fn push_source(line: &mut String, file: &str, location: &crate::declaration::Location) {
    match location {
        crate::declaration::Location::Line(n) if !file.contains([',', '"', '\n', '\r']) => {
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
    for &d in &digits[i..] {
        line.push(char::from(d));
    }
}

/// An amount in euros, as `1240.00` (the same text as `Decimal`'s, written without its
/// formatting machinery: a batch writes millions of them).
fn push_amount(line: &mut String, amount: rust_decimal::Decimal) {
    if amount.scale() != 2 || amount.is_sign_negative() {
        let _ = write!(line, "{amount}");
        return;
    }
    match u64::try_from(amount.mantissa()) {
        Ok(cents) => {
            push_u64(line, cents / 100);
            line.push('.');
            line.push(char::from(b'0' + (cents % 100 / 10) as u8));
            line.push(char::from(b'0' + (cents % 10) as u8));
        }
        Err(_) => {
            let _ = write!(line, "{amount}");
        }
    }
}

/// A field, quoted when it holds a separator, a quote or a line break (RFC 4180).
fn push_field(line: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
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
        for text in ["0.00", "490.00", "157.50", "1240.05", "12.3", "7", "-3.00"] {
            let amount: rust_decimal::Decimal = text.parse().unwrap_or_default();
            let mut line = String::new();
            super::push_amount(&mut line, amount);
            assert_eq!(line, amount.to_string());
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
