//! The columns of a result row, as the CSV header spells them, and a choice of them:
//! `forfait eval --columns id,total_euros` writes just those, in CSV and in JSON lines.
//!
//! The full row is `id,status,total_euros[,total_points],<indicator>...,pays_<line>...,
//! rulebook_hash,source,errors`; [`Columns::all`] is its one list, the CSV header is its
//! names. A chosen column's cell is the full row's cell, byte for byte.

use serde_json::Value as Json;

use crate::declaration::{Location, Rejection};
use crate::model::CompiledRulebook;
use crate::record::Evaluated;

use super::cells::{push_amount, push_cents, push_field, push_source, CsvStyle};
use super::csv::Evaluation;

/// One column of the result row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Id,
    /// `evaluated` or `rejected`.
    Status,
    TotalEuros,
    /// Only for a rulebook with a point value.
    TotalPoints,
    /// An indicator's status, by its index.
    Indicator(usize),
    /// A payment line's euros, by its index (`pays_<rule>`).
    Payment(usize),
    RulebookHash,
    /// `file:line N`.
    Source,
    /// A rejection's problems; empty for an evaluated declaration.
    Errors,
}

/// Columns in the order they are written, with their names (worked out once, not per row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns {
    columns: Vec<Column>,
    names: Vec<String>,
    /// Each name as a JSON object key, quoted and escaped.
    keys: Vec<String>,
}

/// Why a `--columns` list was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnError {
    /// No such column in this rulebook's rows; `suggestion` is the closest one.
    Unknown {
        name: String,
        suggestion: Option<String>,
    },
    /// The same column twice.
    Twice(String),
    /// Nothing between the commas.
    Empty,
}

impl Columns {
    /// The full row, in its order.
    pub fn all(rulebook: &CompiledRulebook) -> Columns {
        let mut columns = vec![Column::Id, Column::Status, Column::TotalEuros];
        if rulebook.meta.point_value.is_some() {
            columns.push(Column::TotalPoints);
        }
        columns.extend((0..rulebook.indicators.len()).map(Column::Indicator));
        columns.extend((0..rulebook.payments.len()).map(Column::Payment));
        columns.extend([Column::RulebookHash, Column::Source, Column::Errors]);
        Columns::named(rulebook, columns)
    }

    fn named(rulebook: &CompiledRulebook, columns: Vec<Column>) -> Columns {
        let names: Vec<String> = columns.iter().map(|c| name(rulebook, *c)).collect();
        let keys = names
            .iter()
            .map(|n| Json::String(n.clone()).to_string())
            .collect();
        Columns {
            columns,
            names,
            keys,
        }
    }

    /// `id,total_euros`: names as the full row's CSV header spells them, in the order asked.
    pub fn parse(rulebook: &CompiledRulebook, list: &str) -> Result<Columns, ColumnError> {
        let all = Columns::all(rulebook);
        let names = &all.names;
        let mut chosen = Vec::new();
        for asked in list.split(',').map(str::trim) {
            if asked.is_empty() {
                return Err(ColumnError::Empty);
            }
            let Some(i) = names.iter().position(|n| n == asked) else {
                return Err(ColumnError::Unknown {
                    name: asked.to_string(),
                    suggestion: crate::lang::closest(asked, names.iter().map(String::as_str)),
                });
            };
            if chosen.contains(&all.columns[i]) {
                return Err(ColumnError::Twice(asked.to_string()));
            }
            chosen.push(all.columns[i]);
        }
        Ok(Columns::named(rulebook, chosen))
    }

    pub fn iter(&self) -> impl Iterator<Item = Column> + '_ {
        self.columns.iter().copied()
    }

    /// The header row, with its line ending.
    pub fn header(&self, style: CsvStyle) -> String {
        let mut line = String::new();
        for (i, name) in self.names.iter().enumerate() {
            if i > 0 {
                line.push_str(style.separator());
            }
            push_field(&mut line, style, name);
        }
        line.push_str(style.line_end());
        line
    }

    /// One record's CSV row with these columns, with its line ending, appended to `out`.
    pub fn write_csv(
        &self,
        out: &mut String,
        rulebook: &CompiledRulebook,
        record: &Evaluated,
        style: CsvStyle,
    ) {
        self.csv(out, rulebook, Row::of(record), style);
    }

    /// An evaluated declaration's CSV row, appended to `out` (the batch's fast path).
    pub fn write_outcome_csv(
        &self,
        out: &mut String,
        rulebook: &CompiledRulebook,
        outcome: &dyn Evaluation,
        file: &str,
        location: &Location,
        style: CsvStyle,
    ) {
        self.csv(out, rulebook, Row::Outcome(outcome, file, location), style);
    }

    /// A rejected record's CSV row, appended to `out`.
    pub fn write_rejected_csv(
        &self,
        out: &mut String,
        rulebook: &CompiledRulebook,
        r: &Rejection,
        style: CsvStyle,
    ) {
        self.csv(out, rulebook, Row::Rejected(r), style);
    }

    fn csv(&self, out: &mut String, rulebook: &CompiledRulebook, row: Row<'_>, style: CsvStyle) {
        for (i, column) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(style.separator());
            }
            cell(out, rulebook, row, column, style);
        }
        out.push_str(style.line_end());
    }

    /// One record as a JSON object with these columns (a cell is a string, an empty one
    /// `null`), with its line ending, appended to `out`.
    pub fn write_json_line(
        &self,
        out: &mut String,
        rulebook: &CompiledRulebook,
        record: &Evaluated,
    ) {
        let row = Row::of(record);
        let mut text = String::new();
        out.push('{');
        for (i, (column, key)) in self.iter().zip(&self.keys).enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(key);
            out.push(':');
            text.clear();
            raw_cell(&mut text, rulebook, row, column, CsvStyle::default());
            if text.is_empty() {
                out.push_str("null");
            } else {
                out.push_str(&Json::String(std::mem::take(&mut text)).to_string());
            }
        }
        out.push_str("}\n");
    }
}

/// What a row is written from.
#[derive(Clone, Copy)]
enum Row<'a> {
    Outcome(&'a dyn Evaluation, &'a str, &'a Location),
    Rejected(&'a Rejection),
}

impl<'a> Row<'a> {
    fn of(record: &'a Evaluated) -> Row<'a> {
        match record {
            Evaluated::Outcome {
                outcome,
                file,
                location,
            } => Row::Outcome(outcome.as_ref(), file, location),
            Evaluated::Rejected(r) => Row::Rejected(r),
        }
    }
}

/// A column's name in the header.
pub fn name(rulebook: &CompiledRulebook, column: Column) -> String {
    match column {
        Column::Id => "id".into(),
        Column::Status => "status".into(),
        Column::TotalEuros => "total_euros".into(),
        Column::TotalPoints => "total_points".into(),
        Column::Indicator(i) => rulebook.indicators[i].head.name.clone(),
        Column::Payment(p) => format!("pays_{}", rulebook.target_name(rulebook.payments[p].owner)),
        Column::RulebookHash => "rulebook_hash".into(),
        Column::Source => "source".into(),
        Column::Errors => "errors".into(),
    }
}

/// An evaluated declaration's cell, as the full row has it but unquoted (nothing for an
/// empty one): a data frame's result columns (`crate::frame`).
pub fn outcome_cell(
    out: &mut String,
    rulebook: &CompiledRulebook,
    outcome: &dyn Evaluation,
    file: &str,
    location: &Location,
    column: Column,
) {
    raw_cell(
        out,
        rulebook,
        Row::Outcome(outcome, file, location),
        column,
        CsvStyle::default(),
    );
}

/// A rejected record's cell, as the full row has it but unquoted.
pub fn rejected_cell(out: &mut String, rulebook: &CompiledRulebook, r: &Rejection, column: Column) {
    raw_cell(out, rulebook, Row::Rejected(r), column, CsvStyle::default());
}

/// A cell as CSV writes it (quoted and neutralised when needed).
fn cell(
    out: &mut String,
    rulebook: &CompiledRulebook,
    row: Row<'_>,
    column: Column,
    style: CsvStyle,
) {
    match (column, row) {
        (Column::Id, Row::Outcome(outcome, ..)) => push_field(out, style, outcome.declaration_id()),
        (Column::Id, Row::Rejected(r)) => push_field(out, style, r.id.as_deref().unwrap_or("")),
        (Column::Errors, Row::Rejected(r)) => push_field(out, style, &errors(r)),
        (Column::Source, Row::Outcome(_, file, location)) => {
            push_source(out, style, file, location)
        }
        (Column::Source, Row::Rejected(r)) => push_source(out, style, &r.file, &r.location),
        _ => raw_cell(out, rulebook, row, column, style),
    }
}

/// A cell's text, unquoted (amounts in `style`'s decimal mark).
fn raw_cell(
    out: &mut String,
    rulebook: &CompiledRulebook,
    row: Row<'_>,
    column: Column,
    style: CsvStyle,
) {
    let outcome = match row {
        Row::Outcome(outcome, ..) => Some(outcome),
        Row::Rejected(_) => None,
    };
    match column {
        Column::Id => out.push_str(match row {
            Row::Outcome(outcome, ..) => outcome.declaration_id(),
            Row::Rejected(r) => r.id.as_deref().unwrap_or(""),
        }),
        Column::Status => out.push_str(match outcome {
            Some(_) => "evaluated",
            None => "rejected",
        }),
        Column::TotalEuros => match outcome.map(|o| (o.total_cents(), o)) {
            Some((Some(cents), _)) => push_cents(out, style, cents),
            Some((None, o)) => push_amount(out, style, o.total_euros()),
            None => {}
        },
        Column::TotalPoints => {
            if let Some(o) = outcome {
                push_amount(out, style, o.total_points().normalize());
            }
        }
        Column::Indicator(i) => {
            if let Some(o) = outcome {
                out.push_str(o.status(i).as_str());
            }
        }
        Column::Payment(p) => {
            if let Some(o) = outcome {
                push_amount(out, style, o.line_euros(p));
            }
        }
        Column::RulebookHash => out.push_str(&rulebook.meta.content_hash),
        Column::Source => match row {
            Row::Outcome(_, file, location) => source(out, file, location),
            Row::Rejected(r) => source(out, &r.file, &r.location),
        },
        Column::Errors => {
            if let Row::Rejected(r) = row {
                out.push_str(&errors(r));
            }
        }
    }
}

fn source(out: &mut String, file: &str, location: &Location) {
    out.push_str(file);
    out.push(':');
    out.push_str(&location.to_string());
}

/// A rejection's problems on one line: `field: message | ...`.
pub(super) fn errors(r: &Rejection) -> String {
    r.problems
        .iter()
        .map(|p| match &p.field {
            Some(f) => format!("{f}: {}", p.message),
            None => p.message.clone(),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}
