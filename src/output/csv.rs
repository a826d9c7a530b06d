//! A row per declaration and a column per indicator and payment line, for a spreadsheet.
//!
//! Columns: `id,status,total_euros[,total_points],<indicator>...,pays_<line>...,
//! rulebook_hash,source,errors`. Rows are written one at a time (batches stream them).

use rust_decimal::Decimal;

use crate::declaration::{Location, Rejection};
use crate::eval::vector::PieceRow;
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
        } => write_outcome_row(out, rulebook, outcome.as_ref(), file, location),
        Evaluated::Rejected(rejection) => write_rejected_row(out, rulebook, rejection),
    }
}

/// What a result row shows of an evaluated declaration, however it was evaluated: an
/// [`Outcome`] (row by row), or a row of a piece evaluated column by column.
pub trait Evaluation {
    fn declaration_id(&self) -> &str;
    fn total_euros(&self) -> Decimal;
    fn total_points(&self) -> Decimal;
    fn status(&self, indicator: usize) -> Status;
    fn line_euros(&self, line: usize) -> Decimal;
}

impl Evaluation for Outcome {
    fn declaration_id(&self) -> &str {
        &self.declaration_id
    }
    fn total_euros(&self) -> Decimal {
        self.total_euros
    }
    fn total_points(&self) -> Decimal {
        self.total_points
    }
    fn status(&self, indicator: usize) -> Status {
        self.indicators[indicator].status
    }
    fn line_euros(&self, line: usize) -> Decimal {
        self.payments[line].euros
    }
}

impl Evaluation for PieceRow<'_> {
    fn declaration_id(&self) -> &str {
        self.table.ids.get(self.row)
    }
    fn total_euros(&self) -> Decimal {
        self.outcome.total_euros(self.row)
    }
    fn total_points(&self) -> Decimal {
        self.outcome.total_points(self.row)
    }
    fn status(&self, indicator: usize) -> Status {
        self.outcome.status(indicator, self.row)
    }
    fn line_euros(&self, line: usize) -> Decimal {
        self.outcome.line_euros(line, self.row)
    }
}

/// The row of an evaluated declaration, with its line ending, appended to `line`.
pub fn write_outcome_row<E: Evaluation + ?Sized>(
    line: &mut String,
    rulebook: &CompiledRulebook,
    outcome: &E,
    file: &str,
    location: &Location,
) {
    push_field(line, outcome.declaration_id());
    line.push_str(",evaluated,");
    push_amount(line, outcome.total_euros());
    if rulebook.meta.point_value.is_some() {
        push_separated_amount(line, outcome.total_points().normalize());
    }
    // Each field pushed with its separator at once (millions of short copies).
    for i in 0..rulebook.indicators.len() {
        line.push_str(match outcome.status(i) {
            Status::Met => ",met",
            Status::NotMet => ",not_met",
            Status::Neutralised => ",neutralised",
            Status::NotApplicable => ",not_applicable",
        });
    }
    for p in 0..rulebook.payments.len() {
        push_separated_amount(line, outcome.line_euros(p));
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
