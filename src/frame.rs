//! A batch handed over as named columns of values: a data frame (pandas, Polars, DuckDB,
//! Spark hand theirs over as Arrow), evaluated column by column as the CSV batch is, and
//! its results given back as columns of the CSV result row. Nothing here knows Arrow: the
//! Python package lends each column's buffers as slices ([`Cells`]), and builds its Arrow
//! arrays from the [`Results`].
//!
//! Every value goes through the declaration readers: a text cell through the one reader of
//! its input's type, as a CSV cell does; a typed cell (an integer, a float, an exact
//! decimal, a yes/no, a day) through `declaration::read_typed`, beside them. A null, or a
//! float's NaN, is a blank cell: absent, missing or the default, as the input's `missing`
//! clause says. Rows the fast path cannot give (a value that does not read, no id, a
//! missing value a rule needs) are read again, alone, by the general reader and evaluated
//! row by row, which says what is wrong: every row yields a result row.

use std::ops::Range;

use rust_decimal::Decimal;

use crate::declaration::{
    read_typed, read_value, Builder, Location, Problem, ProblemKind, Raw, ReadOptions, Record,
    Slots, Typed, Wrong,
};
use crate::eval::vector::{self, PieceOutcome, PieceRow};
use crate::eval::EvalOptions;
use crate::model::{AmountUnit, CompiledRulebook, MissingRule, Slot, PROFESSION};
use crate::output::columns::{self, Column, Columns};
use crate::output::csv::Evaluation;
use crate::record::{evaluate_record, Evaluated};
use crate::table::{Blank, Table, Values};

/// Rows read and evaluated at a time: a piece small enough to stay in the processor's cache
/// (as the CSV batch's, `batch::BatchOptions::piece_rows`).
const PIECE_ROWS: usize = 1024;

/// Bits packed eight to a byte, least significant first, from bit `offset` (Arrow's
/// validity and yes/no buffers).
#[derive(Clone, Copy, Debug)]
pub struct Bits<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Bits<'a> {
    pub fn new(bytes: &'a [u8], offset: usize) -> Bits<'a> {
        Bits { bytes, offset }
    }

    /// Bit `i` (false past the end).
    #[inline]
    pub fn get(&self, i: usize) -> bool {
        let at = self.offset + i;
        self.bytes
            .get(at / 8)
            .is_some_and(|byte| byte & (1 << (at % 8)) != 0)
    }
}

/// Where each text ends in a text column's bytes (Arrow's offsets: one more than rows).
#[derive(Clone, Copy, Debug)]
pub enum Offsets<'a> {
    Small(&'a [i32]),
    Large(&'a [i64]),
}

impl Offsets<'_> {
    #[inline]
    fn range(&self, row: usize) -> Option<Range<usize>> {
        let (start, end) = match self {
            Offsets::Small(o) => (o.get(row).copied()? as i64, o.get(row + 1).copied()? as i64),
            Offsets::Large(o) => (*o.get(row)?, *o.get(row + 1)?),
        };
        Some(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
    }
}

/// One column's values, a row each, as its owner holds them.
#[derive(Clone, Copy, Debug)]
pub enum Cells<'a> {
    /// Texts (UTF-8), read as a CSV cell is.
    Text {
        offsets: Offsets<'a>,
        bytes: &'a [u8],
    },
    Int(&'a [i64]),
    UInt(&'a [u64]),
    /// NaN is a blank cell (pandas' integer column with a blank).
    Float(&'a [f64]),
    /// Exact decimals: mantissas, and their scale.
    Decimal {
        mantissas: &'a [i128],
        scale: i8,
    },
    YesNo(Bits<'a>),
    /// Days counted from 1970-01-01.
    Days(&'a [i32]),
}

/// One named column of a frame: its cells and which rows have one.
#[derive(Clone, Copy, Debug)]
pub struct FrameColumn<'a> {
    pub cells: Cells<'a>,
    /// Rows that have a value (the others are null: blank); `None` when all have one.
    pub valid: Option<Bits<'a>>,
}

/// One cell as read from its column.
#[derive(Clone, Copy, Debug)]
enum Cell<'a> {
    Blank,
    Text(&'a str),
    Typed(Typed),
}

impl<'a> FrameColumn<'a> {
    #[inline]
    fn cell(&self, row: usize) -> Cell<'a> {
        if self.valid.is_some_and(|v| !v.get(row)) {
            return Cell::Blank;
        }
        let typed = match self.cells {
            Cells::Text { offsets, bytes } => {
                // Arrow checks its texts are UTF-8; a text that is not is blank to no one.
                return offsets
                    .range(row)
                    .and_then(|range| bytes.get(range))
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .map_or(Cell::Blank, Cell::Text);
            }
            Cells::Int(v) => v.get(row).map(|n| Typed::Int(*n)),
            Cells::UInt(v) => v.get(row).map(|n| Typed::UInt(*n)),
            Cells::Float(v) => v.get(row).map(|x| Typed::Float(*x)),
            Cells::Decimal { mantissas, scale } => {
                mantissas.get(row).map(|m| Typed::Decimal(*m, scale))
            }
            Cells::YesNo(bits) => Some(Typed::YesNo(bits.get(row))),
            Cells::Days(v) => v.get(row).map(|d| Typed::Days(i64::from(*d))),
        };
        match typed {
            Some(t) if !t.is_blank() => Cell::Typed(t),
            _ => Cell::Blank,
        }
    }

    /// The cell as an input of the rulebook reads it (`Ok(None)`: blank).
    #[inline]
    fn read(&self, rulebook: &CompiledRulebook, slots: &Slots, slot: Slot, row: usize) -> ReadCell {
        let ty = &rulebook.inputs[slot].ty;
        match self.cell(row) {
            Cell::Blank => Ok(None),
            Cell::Text(t) if t.trim().is_empty() => Ok(None),
            Cell::Text(t) => read_value(ty, slots.choices(slot), t.as_bytes()).map(Some),
            Cell::Typed(t) => read_typed(ty, t),
        }
    }
}

type ReadCell = Result<Option<crate::value::Value>, Wrong>;

/// What a frame's column is to the rulebook.
#[derive(Clone, Copy, Debug)]
enum Target {
    Id,
    Input(Slot),
    /// A column the rulebook does not know, skipped (`ignore_unknown_fields`).
    Ignored,
}

/// A frame's columns laid against a rulebook, and the storage its pieces are evaluated in.
#[derive(Debug)]
pub struct Frame<'r> {
    rulebook: &'r CompiledRulebook,
    /// The name results give as their source file (`NAME:row N`).
    name: String,
    /// The choices' other spellings (their labels), as every reader accepts them.
    slots: Slots,
    targets: Vec<Target>,
    blanks: Vec<Blank>,
    /// The inputs no column gives: their default on every row.
    uncovered: Vec<Slot>,
    columns: Columns,
}

impl<'r> Frame<'r> {
    /// The frame's columns by name, checked as a CSV header is: each an input or `id`, none
    /// twice, an `id` column, and a column for every input the rulebook says must be given
    /// (`missing is error`; a blank cell in it is fine until a rule needs it). `columns`:
    /// the result columns wanted (`--columns`), or the full row.
    pub fn new(
        rulebook: &'r CompiledRulebook,
        name: &str,
        names: &[&str],
        options: ReadOptions,
        columns: Option<Columns>,
    ) -> Result<Frame<'r>, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut targets = Vec::with_capacity(names.len());
        let mut covered = vec![false; rulebook.inputs.len()];
        for (index, name) in names.iter().enumerate() {
            let number = index + 1;
            if names[..index].contains(name) {
                let kind = ProblemKind::DuplicateField {
                    column: Some(number),
                };
                problems.push(kind.about(Some(name.to_string())));
                targets.push(Target::Ignored);
                continue;
            }
            match (*name, rulebook.input_slot(name)) {
                ("id", _) => targets.push(Target::Id),
                (_, Some(slot)) => {
                    covered[slot] = true;
                    targets.push(Target::Input(slot));
                }
                (_, None) => {
                    if !options.ignore_unknown_fields {
                        problems.push(Builder::unknown_field_problem(rulebook, name, Some(number)));
                    }
                    targets.push(Target::Ignored);
                }
            }
        }
        if !targets.iter().any(|t| matches!(t, Target::Id)) {
            problems.push(ProblemKind::NoIdColumn.about(Some("id".into())));
        }
        for (slot, input) in rulebook.inputs.iter().enumerate() {
            if covered[slot] || input.missing != MissingRule::Error {
                continue;
            }
            let ty = input.ty.clone();
            let kind = match slot {
                PROFESSION => ProblemKind::ProfessionNeeded {
                    rulebook: rulebook.meta.name.clone(),
                    ty,
                },
                _ => ProblemKind::MissingInput {
                    needed_by: None,
                    ty,
                },
            };
            problems.push(kind.about(Some(input.name.clone())));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let blanks = Blank::of_inputs(rulebook);
        let uncovered = (0..rulebook.inputs.len())
            .filter(|slot| !covered[*slot])
            .collect();
        Ok(Frame {
            rulebook,
            name: name.to_string(),
            slots: Slots::of(rulebook, &options),
            targets,
            blanks,
            uncovered,
            columns: columns.unwrap_or_else(|| Columns::all(rulebook)),
        })
    }

    /// The result columns, in order (`result_layout`).
    pub fn result_layout(&self) -> Vec<(String, Option<u32>)> {
        result_layout(self.rulebook, &self.columns)
    }

    /// Evaluates `rows` rows of `columns` (in the order of the names given to `new`), the
    /// first numbered `first_row` in results' `source` (from 0, as a frame's positions):
    /// one result row for each.
    pub fn evaluate(&self, columns: &[FrameColumn<'_>], rows: usize, first_row: u64) -> Results {
        let mut results = Results::new(self.rulebook, &self.columns, rows);
        let mut table = Table::new(self.rulebook);
        let mut outcome = PieceOutcome::default();
        let by_columns = vector::can_evaluate(self.rulebook);
        let mut start = 0;
        while start < rows {
            let end = (start + PIECE_ROWS).min(rows);
            if by_columns {
                self.read_piece(columns, start..end, &mut table);
                vector::evaluate_piece(self.rulebook, &table, &mut outcome);
            }
            for r in 0..end - start {
                let row = start + r;
                let number = first_row + row as u64;
                if by_columns && !outcome.by_row(r) {
                    let piece = PieceRow {
                        outcome: &outcome,
                        table: &table,
                        row: r,
                    };
                    results.push(self, &Written::Outcome(&piece, number));
                    continue;
                }
                let location = Location::Path(format!("row {number}"));
                let record = self.build_row(columns, row, location);
                let options = EvalOptions {
                    trace: false,
                    what_if: false,
                };
                let evaluated = evaluate_record(self.rulebook, &self.name, record, options);
                results.push(self, &Written::of(&evaluated));
            }
            start = end;
        }
        results
    }

    /// Rows `range` of the frame into `table`, column by column; a row with a value that
    /// does not read plainly, or no id, is marked slow (for `build_row`).
    fn read_piece(&self, columns: &[FrameColumn<'_>], range: Range<usize>, table: &mut Table) {
        table.start(range.len());
        let id_column = self.targets.iter().position(|t| matches!(t, Target::Id));
        for (r, row) in range.clone().enumerate() {
            let cell = id_column.and_then(|c| columns.get(c)).map(|c| c.cell(row));
            match cell {
                Some(Cell::Text(t)) if !t.trim().is_empty() => table.ids.push(t.trim()),
                Some(Cell::Typed(t)) => table.ids.push(&t.shown()),
                _ => {
                    table.ids.push("");
                    table.slow[r] = true;
                }
            }
        }
        let Table {
            slow,
            columns: table_columns,
            ..
        } = table;
        for (target, column) in self.targets.iter().zip(columns) {
            let Target::Input(slot) = *target else {
                continue;
            };
            let blank = &self.blanks[slot];
            let into = &mut table_columns[slot];
            // Counts from integers, the commonest column, without a `Value` between.
            if let (Values::Count(counts), Cells::Int(ints)) = (&mut into.values, column.cells) {
                if column.valid.is_none() {
                    for (r, row) in range.clone().enumerate() {
                        match ints.get(row).map(|n| u64::try_from(*n)) {
                            Some(Ok(n)) => counts.push(n),
                            _ => {
                                counts.push(0);
                                slow[r] = true;
                            }
                        }
                    }
                    continue;
                }
            }
            for (r, row) in range.clone().enumerate() {
                let plain = match column.read(self.rulebook, &self.slots, slot, row) {
                    Ok(Some(value)) => into.push_value(&value),
                    Ok(None) => blank_cell(into, blank),
                    Err(_) => {
                        into.push_placeholder();
                        false
                    }
                };
                slow[r] |= !plain;
            }
        }
        for &slot in &self.uncovered {
            let into = &mut table_columns[slot];
            for slow in slow.iter_mut() {
                *slow |= !blank_cell(into, &self.blanks[slot]);
            }
        }
        // A declaration must say its profession (`Builder::finish` says so).
        for (slow, missing) in slow.iter_mut().zip(&table_columns[PROFESSION].missing) {
            *slow |= *missing;
        }
    }

    /// One row read the general way: a declaration, or what is wrong with it.
    fn build_row(&self, columns: &[FrameColumn<'_>], row: usize, location: Location) -> Record {
        let mut builder = Builder::new(self.rulebook, &self.slots);
        for (target, column) in self.targets.iter().zip(columns) {
            match *target {
                Target::Id => match column.cell(row) {
                    Cell::Blank => builder.set_id(None),
                    Cell::Text(t) => builder.set_id(Some(Raw::Text(t))),
                    Cell::Typed(t) => builder.set_id(Some(Raw::Number(&t.shown()))),
                },
                Target::Input(slot) => {
                    let read = column.read(self.rulebook, &self.slots, slot, row);
                    builder.set_read(slot, read, || match column.cell(row) {
                        Cell::Text(t) => t.trim().to_string(),
                        Cell::Typed(t) => t.shown(),
                        Cell::Blank => String::new(),
                    });
                }
                Target::Ignored => {}
            }
        }
        builder.finish(&self.name, location)
    }
}

/// A blank cell (or no column) into its column; `false` when that makes the row slow.
fn blank_cell(column: &mut crate::table::Column, blank: &Blank) -> bool {
    match blank {
        Blank::Default(value) => column.push_value(value),
        Blank::Absent => column.push_absent(),
        Blank::Missing => column.push_missing(),
    }
}

/// A row to write into the results.
enum Written<'a> {
    /// A row of a piece, by its number in the frame: its location (`row N`, as the rows
    /// read the general way have it) is written only where a column shows it.
    Outcome(&'a dyn Evaluation, u64),
    OutcomeIn(&'a dyn Evaluation, &'a str, &'a Location),
    Rejected(&'a crate::declaration::Rejection),
}

impl<'a> Written<'a> {
    fn of(evaluated: &'a Evaluated) -> Written<'a> {
        match evaluated {
            Evaluated::Outcome {
                outcome,
                file,
                location,
            } => Written::OutcomeIn(outcome.as_ref(), file, location),
            Evaluated::Rejected(r) => Written::Rejected(r),
        }
    }
}

/// A frame's results, column by column: the CSV result row's columns, with the same names
/// and cells (texts as the row writes them; amounts exact).
#[derive(Debug)]
pub struct Results {
    pub rows: usize,
    pub columns: Vec<ResultColumn>,
}

/// One result column.
#[derive(Debug)]
pub enum ResultColumn {
    /// Texts in one buffer: where each ends, and whether it is there (an empty cell of the
    /// CSV row is none: a rejected row has no statuses).
    Texts {
        bytes: String,
        ends: Vec<usize>,
        present: Vec<bool>,
    },
    /// Exact amounts (euros to the cent, points as earned); `None` for a rejected row.
    /// None has more digits after the point than `scale`: 2 for euros; for points, the
    /// most of any amount in points (a column of one type needs one).
    Amounts {
        values: Vec<Option<Decimal>>,
        scale: u32,
    },
}

impl Results {
    fn new(rulebook: &CompiledRulebook, columns: &Columns, rows: usize) -> Results {
        let columns = result_layout(rulebook, columns)
            .into_iter()
            .map(|(_, scale)| match scale {
                Some(scale) => ResultColumn::Amounts {
                    values: Vec::with_capacity(rows),
                    scale,
                },
                None => ResultColumn::Texts {
                    bytes: String::new(),
                    ends: Vec::with_capacity(rows),
                    present: Vec::with_capacity(rows),
                },
            })
            .collect();
        Results { rows, columns }
    }

    fn push(&mut self, frame: &Frame<'_>, row: &Written<'_>) {
        let rulebook = frame.rulebook;
        for (column, into) in frame.columns.iter().zip(&mut self.columns) {
            match into {
                ResultColumn::Amounts { values, .. } => {
                    let amount = match row {
                        Written::Outcome(o, _) | Written::OutcomeIn(o, ..) => match column {
                            Column::TotalEuros => Some(o.total_euros()),
                            Column::TotalPoints => Some(o.total_points().normalize()),
                            Column::Payment(p) => Some(o.line_euros(p)),
                            _ => None,
                        },
                        Written::Rejected(_) => None,
                    };
                    values.push(amount);
                }
                ResultColumn::Texts {
                    bytes,
                    ends,
                    present,
                } => {
                    let before = bytes.len();
                    match row {
                        Written::Outcome(_, number) if column == Column::Source => {
                            use std::fmt::Write;
                            let _ = write!(bytes, "{}:row {number}", frame.name);
                        }
                        Written::Outcome(o, _) => {
                            let unused = Location::File;
                            columns::outcome_cell(bytes, rulebook, *o, &frame.name, &unused, column)
                        }
                        Written::OutcomeIn(o, file, location) => {
                            columns::outcome_cell(bytes, rulebook, *o, file, location, column)
                        }
                        Written::Rejected(r) => columns::rejected_cell(bytes, rulebook, r, column),
                    }
                    ends.push(bytes.len());
                    present.push(bytes.len() > before);
                }
            }
        }
    }
}

/// Each result column's name, and for an amount the digits after its point (`None`: a
/// text), in the order `Frame::evaluate` gives them.
pub fn result_layout(rulebook: &CompiledRulebook, columns: &Columns) -> Vec<(String, Option<u32>)> {
    columns
        .iter()
        .map(|c| {
            let scale = match c {
                Column::TotalEuros | Column::Payment(_) => Some(2),
                Column::TotalPoints => Some(points_scale(rulebook)),
                _ => None,
            };
            (columns::name(rulebook, c), scale)
        })
        .collect()
}

/// The most digits after the point of any amount in points: a declaration's points have no
/// more (each line's are an amount times a count of units).
fn points_scale(rulebook: &CompiledRulebook) -> u32 {
    rulebook
        .payments
        .iter()
        .flat_map(|p| &p.variants)
        .filter(|v| v.unit == AmountUnit::Points)
        .map(|v| v.amount.scale())
        .max()
        .unwrap_or(0)
}
