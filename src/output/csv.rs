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
    let has_points = rulebook.meta.point_value.is_some();
    let mut line = String::with_capacity(256);
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
    line
}

/// `file:line N`, quoted when needed.
fn push_source(line: &mut String, file: &str, location: &crate::declaration::Location) {
    if file.contains([',', '"', '\n', '\r']) {
        push_field(line, &format!("{file}:{location}"));
    } else {
        let _ = write!(line, "{file}:{location}");
    }
}

/// An amount in euros, as `1240.00` (the same text as `Decimal`'s, written without its
/// formatting machinery: a batch writes millions of them).
fn push_amount(line: &mut String, amount: rust_decimal::Decimal) {
    if amount.scale() != 2 || amount.is_sign_negative() {
        let _ = write!(line, "{amount}");
        return;
    }
    let cents = amount.mantissa();
    let _ = write!(line, "{}.{:02}", cents / 100, cents % 100);
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
