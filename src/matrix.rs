//! The regression matrix: one set of professional situations run through several
//! rulebooks (one column per year), so that a reviewer sees at a glance what each year pays
//! the same professional.

use rust_decimal::Decimal;

use crate::declaration::{self, Code, InputFormat, ReadOptions, Record};
use crate::eval::{evaluate, EvalOptions, Outcome};
use crate::model::{CompiledRulebook, PROFESSION};
use crate::value::Value;

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
    let mut order: Vec<usize> = (0..rulebooks.len()).collect();
    order.sort_by(|a, b| {
        let (ma, mb) = (&rulebooks[*a].meta, &rulebooks[*b].meta);
        (&ma.scheme, ma.exercice, &ma.name).cmp(&(&mb.scheme, mb.exercice, &mb.name))
    });
    let mut rows: Vec<Row> = Vec::new();
    let mut columns = Vec::new();
    for &r in &order {
        let rulebook = &rulebooks[r];
        let cells: Vec<(Option<String>, Cell)> = read_leniently(rulebook, file, text)
            .into_iter()
            .map(|record| {
                let evaluated = evaluate_record(rulebook, record);
                (evaluated.id, evaluated.cell)
            })
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

/// The records of a declaration file as `rulebook` reads them, leniently: a field the
/// rulebook does not know is skipped, so that one file serves several years (here and in
/// `forfait diff --impact`).
pub(crate) fn read_leniently(rulebook: &CompiledRulebook, file: &str, text: &str) -> Vec<Record> {
    let options = ReadOptions {
        ignore_unknown_fields: true,
        ..ReadOptions::default()
    };
    declaration::read_str(rulebook, file, text, InputFormat::from_path(file), options)
}

/// What one rulebook made of one record.
pub(crate) struct Evaluated {
    /// The record's id, when it has one.
    pub(crate) id: Option<String>,
    /// The profession the declaration names, when the record was read as a declaration.
    pub(crate) profession: Option<String>,
    pub(crate) cell: Cell,
    /// The evaluation, when the rulebook could evaluate the record.
    pub(crate) outcome: Option<Outcome>,
}

/// Evaluates one record read by [`read_leniently`]: paid, not covered (the rulebook does not
/// cover its profession), or rejected with the reason.
pub(crate) fn evaluate_record(rulebook: &CompiledRulebook, record: Record) -> Evaluated {
    match record {
        Record::Rejected(r) => {
            let not_covered = r
                .problems
                .iter()
                .any(|p| p.kind == Code::ProfessionNotCovered);
            let cell = if not_covered {
                Cell::NotCovered
            } else {
                Cell::Rejected {
                    reason: reason(&r.problems),
                }
            };
            Evaluated {
                id: r.id,
                profession: None,
                cell,
                outcome: None,
            }
        }
        Record::Declaration(declaration, _) => {
            let profession = match declaration.values.get(PROFESSION) {
                Some(Value::Choice(c)) => Some(rulebook.choice_name(PROFESSION, *c).to_string()),
                _ => None,
            };
            let options = EvalOptions {
                trace: false,
                what_if: false,
            };
            let (cell, outcome) = match evaluate(rulebook, &declaration, options) {
                Ok(outcome) => (
                    Cell::Paid {
                        euros: outcome.total_euros,
                    },
                    Some(outcome),
                ),
                Err(missing) => (
                    Cell::Rejected {
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
                    None,
                ),
            };
            Evaluated {
                id: Some(declaration.id),
                profession,
                cell,
                outcome,
            }
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
