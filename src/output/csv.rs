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

pub use super::cells::CsvStyle;
use super::cells::{push_amount, push_field, push_separated_amount, push_source};
use super::columns::Columns;

/// One cell as CSV writes it with `delimiter`: neutralised when a spreadsheet would take it
/// for a formula, quoted when it must be (for other writers of CSV: `expected.csv`).
pub fn field(value: &str, delimiter: u8) -> String {
    let mut cell = String::with_capacity(value.len());
    let style = CsvStyle {
        delimiter,
        ..CsvStyle::default()
    };
    push_field(&mut cell, style, value);
    cell
}

/// Every record as CSV, header first (the byte order mark too, if the style has one).
pub fn render(rulebook: &CompiledRulebook, records: &[Evaluated], style: CsvStyle) -> String {
    let mut out = style.start().to_string();
    out.push_str(&header(rulebook, style));
    for record in records {
        out.push_str(&row(rulebook, record, style));
    }
    out
}

/// The header row of the full row, with its line ending.
pub fn header(rulebook: &CompiledRulebook, style: CsvStyle) -> String {
    Columns::all(rulebook).header(style)
}

/// One record's row, with its line ending.
pub fn row(rulebook: &CompiledRulebook, record: &Evaluated, style: CsvStyle) -> String {
    let mut line = String::with_capacity(256);
    write_row(&mut line, rulebook, record, style);
    line
}

/// One record's row, with its line ending, appended to `out` (batches write many rows into
/// one buffer).
pub fn write_row(
    out: &mut String,
    rulebook: &CompiledRulebook,
    record: &Evaluated,
    style: CsvStyle,
) {
    match record {
        Evaluated::Outcome {
            file,
            location,
            outcome,
        } => write_outcome_row(out, rulebook, outcome.as_ref(), file, location, style),
        Evaluated::Rejected(rejection) => write_rejected_row(out, rulebook, rejection, style),
    }
}

/// What a result row shows of an evaluated declaration, however it was evaluated: an
/// [`Outcome`] (row by row), or a row of a piece evaluated column by column.
pub trait Evaluation {
    fn declaration_id(&self) -> &str;
    fn total_euros(&self) -> Decimal;
    /// The total in cents, when the evaluation holds it so (a piece's row): written
    /// without a `Decimal` between.
    fn total_cents(&self) -> Option<i64> {
        None
    }
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
    fn total_cents(&self) -> Option<i64> {
        Some(self.outcome.total_cents(self.row))
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
    style: CsvStyle,
) {
    let sep = style.separator();
    push_field(line, style, outcome.declaration_id());
    line.push_str(sep);
    line.push_str("evaluated");
    line.push_str(sep);
    push_amount(line, style, outcome.total_euros());
    if rulebook.meta.point_value.is_some() {
        push_separated_amount(line, style, outcome.total_points().normalize());
    }
    // Each field pushed with its separator at once (millions of short copies).
    let semicolon = style.delimiter == b';';
    for i in 0..rulebook.indicators.len() {
        let status = outcome.status(i);
        let cell = match semicolon {
            false => comma_status(status),
            true => semicolon_status(status),
        };
        if style.delimiter == b',' || semicolon {
            line.push_str(cell);
        } else {
            line.push_str(sep);
            line.push_str(&cell[1..]);
        }
    }
    for p in 0..rulebook.payments.len() {
        push_separated_amount(line, style, outcome.line_euros(p));
    }
    line.push_str(sep);
    line.push_str(&rulebook.meta.content_hash);
    line.push_str(sep);
    push_source(line, style, file, location);
    line.push_str(sep);
    line.push_str(style.line_end());
}

/// A status with the `,` before it.
fn comma_status(status: Status) -> &'static str {
    match status {
        Status::Met => ",met",
        Status::NotMet => ",not_met",
        Status::Neutralised => ",neutralised",
        Status::NotApplicable => ",not_applicable",
    }
}

/// A status with the `;` before it.
fn semicolon_status(status: Status) -> &'static str {
    match status {
        Status::Met => ";met",
        Status::NotMet => ";not_met",
        Status::Neutralised => ";neutralised",
        Status::NotApplicable => ";not_applicable",
    }
}

/// The row of a rejected record, with its line ending, appended to `line`.
pub fn write_rejected_row(
    line: &mut String,
    rulebook: &CompiledRulebook,
    r: &Rejection,
    style: CsvStyle,
) {
    let sep = style.separator();
    push_field(line, style, r.id.as_deref().unwrap_or(""));
    line.push_str(sep);
    line.push_str("rejected");
    line.push_str(sep);
    let empty = usize::from(rulebook.meta.point_value.is_some())
        + rulebook.indicators.len()
        + rulebook.payments.len();
    for _ in 0..empty {
        line.push_str(sep);
    }
    line.push_str(sep);
    line.push_str(&rulebook.meta.content_hash);
    line.push_str(sep);
    push_source(line, style, &r.file, &r.location);
    line.push_str(sep);
    push_field(line, style, &super::columns::errors(r));
    line.push_str(style.line_end());
}
