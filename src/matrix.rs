//! The regression matrix: one set of professional situations run through several
//! rulebooks (one column per year), so that a reviewer sees at a glance what each year pays
//! the same professional.

use rust_decimal::Decimal;

use crate::declaration::{self, InputFormat, ReadOptions, Record};
use crate::eval::{evaluate, EvalOptions};
use crate::model::CompiledRulebook;

/// What one rulebook pays one situation.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Paid {
        euros: Decimal,
    },
    /// The rulebook does not cover the situation's profession.
    NotCovered,
    /// The situation lacks something this rulebook needs (or has a value it refuses).
    Rejected {
        reason: String,
    },
}

#[derive(Clone, Debug)]
pub struct Row {
    pub id: String,
    /// One cell per column, in the order of `Matrix::columns`.
    pub cells: Vec<Cell>,
}

#[derive(Clone, Debug)]
pub struct Matrix {
    /// Indices into the rulebooks given, ordered by scheme and exercice.
    pub columns: Vec<usize>,
    pub rows: Vec<Row>,
}

/// Runs every situation of `text` (a declaration file, read leniently: fields a rulebook
/// does not know are skipped) through every rulebook. Columns that cover no situation's
/// profession are left out.
pub fn build(rulebooks: &[CompiledRulebook], file: &str, text: &str) -> Matrix {
    let format = InputFormat::from_path(file);
    let options = ReadOptions {
        ignore_unknown_fields: true,
        ..ReadOptions::default()
    };
    let mut order: Vec<usize> = (0..rulebooks.len()).collect();
    order.sort_by(|a, b| {
        let (ma, mb) = (&rulebooks[*a].meta, &rulebooks[*b].meta);
        (&ma.scheme, ma.exercice, &ma.name).cmp(&(&mb.scheme, mb.exercice, &mb.name))
    });
    let mut rows: Vec<Row> = Vec::new();
    let mut columns = Vec::new();
    for &r in &order {
        let rulebook = &rulebooks[r];
        let records = declaration::read_str(rulebook, file, text, format, options);
        let cells: Vec<(Option<String>, Cell)> = records
            .into_iter()
            .map(|record| cell(rulebook, record))
            .collect();
        if cells.iter().all(|(_, c)| *c == Cell::NotCovered) {
            continue;
        }
        columns.push(r);
        for (i, (id, c)) in cells.into_iter().enumerate() {
            if rows.len() <= i {
                rows.push(Row {
                    id: id.unwrap_or_else(|| format!("#{}", i + 1)),
                    cells: Vec::new(),
                });
            }
            rows[i].cells.push(c);
        }
    }
    Matrix { columns, rows }
}

fn cell(rulebook: &CompiledRulebook, record: Record) -> (Option<String>, Cell) {
    match record {
        Record::Rejected(r) => {
            let not_covered = r
                .problems
                .iter()
                .any(|p| p.code == "forfait::decl::profession_not_covered");
            let cell = if not_covered {
                Cell::NotCovered
            } else {
                Cell::Rejected {
                    reason: reason(&r.problems),
                }
            };
            (r.id, cell)
        }
        Record::Declaration(declaration, _) => {
            let options = EvalOptions {
                trace: false,
                what_if: false,
            };
            let cell = match evaluate(rulebook, &declaration, options) {
                Ok(outcome) => Cell::Paid {
                    euros: outcome.total_euros,
                },
                Err(missing) => Cell::Rejected {
                    reason: format!(
                        "manque : {}",
                        missing
                            .needed
                            .iter()
                            .map(|(slot, _)| rulebook.inputs[*slot].name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            };
            (Some(declaration.id), cell)
        }
    }
}

fn reason(problems: &[declaration::Problem]) -> String {
    problems
        .iter()
        .map(|p| match &p.field {
            Some(f) => format!("{f} : {}", p.message),
            None => p.message.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}
