//! A row per declaration and a column per indicator and payment line, for a spreadsheet.
//!
//! Columns: `id,status,total_euros[,total_points],<indicator>...,pays_<line>...,
//! rulebook_hash,source,errors`. Rows are written one at a time (batches stream them).

use crate::declaration::{Location, Rejection};
use crate::eval::{Outcome, Status};
use crate::model::CompiledRulebook;
use crate::record::Evaluated;

use super::cells::{push_amount, push_field, push_separated_amount, push_source};
use super::columns::Columns;

/// Every record as CSV, header first.
pub fn render(rulebook: &CompiledRulebook, records: &[Evaluated]) -> String {
    let mut out = header(rulebook);
    for record in records {
        out.push_str(&row(rulebook, record));
    }
    out
}

/// The header row of the full row, with its line ending.
pub fn header(rulebook: &CompiledRulebook) -> String {
    Columns::all(rulebook).header()
}

/// One record's row, with its line ending.
pub fn row(rulebook: &CompiledRulebook, record: &Evaluated) -> String {
    let mut line = String::with_capacity(256);
    write_row(&mut line, rulebook, record);
    line
}

/// One record's row, with its line ending, appended to `out` (batches write many rows into
/// one buffer).
pub fn write_row(out: &mut String, rulebook: &CompiledRulebook, record: &Evaluated) {
    match record {
        Evaluated::Outcome {
            file,
            location,
            outcome,
        } => write_outcome_row(out, rulebook, outcome, file, location),
        Evaluated::Rejected(rejection) => write_rejected_row(out, rulebook, rejection),
    }
}

/// The row of an evaluated declaration, with its line ending, appended to `line`.
pub fn write_outcome_row(
    line: &mut String,
    rulebook: &CompiledRulebook,
    outcome: &Outcome,
    file: &str,
    location: &Location,
) {
    push_field(line, &outcome.declaration_id);
    line.push_str(",evaluated,");
    push_amount(line, outcome.total_euros);
    if rulebook.meta.point_value.is_some() {
        push_separated_amount(line, outcome.total_points.normalize());
    }
    // Each field pushed with its separator at once (millions of short copies).
    for o in &outcome.indicators {
        line.push_str(match o.status {
            Status::Met => ",met",
            Status::NotMet => ",not_met",
            Status::Neutralised => ",neutralised",
            Status::NotApplicable => ",not_applicable",
        });
    }
    for p in &outcome.payments {
        push_separated_amount(line, p.euros);
    }
    line.push(',');
    line.push_str(&rulebook.meta.content_hash);
    line.push(',');
    push_source(line, file, location);
    line.push_str(",\n");
}

/// The row of a rejected record, with its line ending, appended to `line`.
pub fn write_rejected_row(line: &mut String, rulebook: &CompiledRulebook, r: &Rejection) {
    push_field(line, r.id.as_deref().unwrap_or(""));
    line.push_str(",rejected,");
    let empty = usize::from(rulebook.meta.point_value.is_some())
        + rulebook.indicators.len()
        + rulebook.payments.len();
    for _ in 0..empty {
        line.push(',');
    }
    line.push(',');
    line.push_str(&rulebook.meta.content_hash);
    line.push(',');
    push_source(line, &r.file, &r.location);
    line.push(',');
    push_field(line, &super::columns::errors(r));
    line.push('\n');
}
