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

use crate::declaration::piece;
use crate::declaration::{
    read_typed, read_value, Builder, Location, Problem, ProblemKind, Raw, ReadOptions, Record,
    Rejection, Slots, Typed, Wrong,
};
use crate::eval::vector::{self, PieceOutcome, PieceRow};
use crate::eval::{EvalOptions, Status};
use crate::model::{CompiledRulebook, MissingRule, Slot, PROFESSION};
use crate::output::columns::{self, Column, Columns};
use crate::output::csv::Evaluation;
use crate::record::{evaluate_record, Evaluated};
use crate::table::{Blank, Table};

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
    /// A text's bytes (UTF-8: Arrow checks its texts are).
    Text(&'a [u8]),
    Typed(Typed),
}

impl<'a> FrameColumn<'a> {
    #[inline]
    fn cell(&self, row: usize) -> Cell<'a> {
        match self.cells {
            Cells::Text { .. } => self.text(row).map_or(Cell::Blank, Cell::Text),
            _ => self.typed(row).map_or(Cell::Blank, Cell::Typed),
        }
    }

    /// A text column's cell (`None`: null, or a typed column).
    #[inline]
    fn text(&self, row: usize) -> Option<&'a [u8]> {
        if self.valid.is_some_and(|v| !v.get(row)) {
            return None;
        }
        match self.cells {
            Cells::Text { offsets, bytes } => offsets.range(row).and_then(|range| bytes.get(range)),
            _ => None,
        }
    }

    /// A typed column's cell (`None`: null, NaN, or a text column).
    #[inline]
    fn typed(&self, row: usize) -> Option<Typed> {
        if self.valid.is_some_and(|v| !v.get(row)) {
            return None;
        }
        let typed = match self.cells {
            Cells::Text { .. } => None,
            Cells::Int(v) => v.get(row).map(|n| Typed::Int(*n)),
            Cells::UInt(v) => v.get(row).map(|n| Typed::UInt(*n)),
            Cells::Float(v) => v.get(row).map(|x| Typed::Float(*x)),
            Cells::Decimal { mantissas, scale } => {
                mantissas.get(row).map(|m| Typed::Decimal(*m, scale))
            }
            Cells::YesNo(bits) => Some(Typed::YesNo(bits.get(row))),
            Cells::Days(v) => v.get(row).map(|d| Typed::Days(i64::from(*d))),
        };
        typed.filter(|t| !t.is_blank())
    }

    /// The cell as an input of the rulebook reads it (`Ok(None)`: blank), for a row read
    /// the general way.
    fn read(&self, rulebook: &CompiledRulebook, slots: &Slots, slot: Slot, row: usize) -> ReadCell {
        let ty = &rulebook.inputs[slot].ty;
        match self.cell(row) {
            Cell::Blank => Ok(None),
            Cell::Text(t) if crate::declaration::blank(t) => Ok(None),
            Cell::Text(t) => read_value(ty, slots.choices(slot), t).map(Some),
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
    pub fn result_layout(&self) -> Vec<(String, ResultKind)> {
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
        // The piece's rows its evaluation does not give, each evaluated alone.
        let mut alone = Vec::new();
        let mut start = 0;
        while start < rows {
            let end = (start + PIECE_ROWS).min(rows);
            if by_columns {
                self.read_piece(columns, start..end, &mut table);
                vector::evaluate_piece(self.rulebook, &table, &mut outcome);
            }
            alone.clear();
            for r in 0..end - start {
                if by_columns && !outcome.by_row(r) {
                    continue;
                }
                let row = start + r;
                let location = Location::Path(format!("row {}", first_row + row as u64));
                let record = self.build_row(columns, row, location);
                let options = EvalOptions {
                    trace: false,
                    what_if: false,
                };
                alone.push((
                    r,
                    evaluate_record(self.rulebook, &self.name, record, options),
                ));
            }
            let piece = Piece {
                outcome: by_columns.then_some((&outcome, &table)),
                rows: end - start,
                first: first_row + start as u64,
                alone: &alone,
            };
            results.push_piece(self, &piece);
            start = end;
        }
        results
    }

    /// Rows `range` of the frame into `table`, column by column, by the loops a CSV
    /// piece is read with (`declaration::piece`); a row with a value that does not read
    /// plainly, or no id, is marked slow (for `build_row`).
    fn read_piece(&self, columns: &[FrameColumn<'_>], range: Range<usize>, table: &mut Table) {
        table.start(range.len());
        let first = range.start;
        let id_column = self.targets.iter().position(|t| matches!(t, Target::Id));
        for (r, row) in range.enumerate() {
            let cell = id_column.and_then(|c| columns.get(c)).map(|c| c.cell(row));
            let shown;
            let id = match cell {
                Some(Cell::Text(t)) => crate::declaration::text(t).ok(),
                Some(Cell::Typed(t)) => {
                    shown = t.shown();
                    Some(shown.as_str())
                }
                _ => None,
            };
            piece::push_id(table, r, id);
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
            let (blank, into) = (&self.blanks[slot], &mut table_columns[slot]);
            let choices = self.slots.choices(slot);
            let rulebook = self.rulebook;
            // Each kind of column read by a loop of its own (its cells found without a
            // test of its kind a cell).
            let valid = |r: usize| column.valid.is_none_or(|v| v.get(first + r));
            let typed = |r: usize, cell: Option<Typed>| cell.filter(|_| valid(r));
            match column.cells {
                Cells::Text { offsets, bytes } => {
                    let cell = |r: usize| match offsets.range(first + r).filter(|_| valid(r)) {
                        Some(range) => bytes.get(range).unwrap_or_default(),
                        None => b"",
                    };
                    let text = |r: usize| crate::declaration::text(cell(r));
                    piece::read_texts(rulebook, slot, choices, blank, into, slow, cell, text)
                }
                Cells::Int(v) => piece::read_typed(rulebook, slot, blank, into, slow, |r| {
                    typed(r, v.get(first + r).map(|n| Typed::Int(*n)))
                }),
                Cells::UInt(v) => piece::read_typed(rulebook, slot, blank, into, slow, |r| {
                    typed(r, v.get(first + r).map(|n| Typed::UInt(*n)))
                }),
                Cells::Float(v) => piece::read_typed(rulebook, slot, blank, into, slow, |r| {
                    typed(r, v.get(first + r).map(|x| Typed::Float(*x)))
                }),
                _ => piece::read_typed(rulebook, slot, blank, into, slow, |r| {
                    column.typed(first + r)
                }),
            }
        }
        piece::finish(table, &self.uncovered, &self.blanks);
    }

    /// One row read the general way: a declaration, or what is wrong with it.
    fn build_row(&self, columns: &[FrameColumn<'_>], row: usize, location: Location) -> Record {
        let mut builder = Builder::new(self.rulebook, &self.slots);
        for (target, column) in self.targets.iter().zip(columns) {
            match *target {
                Target::Id => match column.cell(row) {
                    Cell::Blank => builder.set_id(None),
                    Cell::Text(t) => builder.set_id(Some(Raw::Text(&String::from_utf8_lossy(t)))),
                    Cell::Typed(t) => builder.set_id(Some(Raw::Number(&t.shown()))),
                },
                Target::Input(slot) => {
                    let read = column.read(self.rulebook, &self.slots, slot, row);
                    builder.set_read(slot, read, || match column.cell(row) {
                        Cell::Text(t) => String::from_utf8_lossy(t).trim().to_string(),
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

/// A piece's rows, to write into the results column by column.
struct Piece<'a> {
    /// The piece's evaluation, column by column (none when the rulebook has no such).
    outcome: Option<(&'a PieceOutcome, &'a Table)>,
    rows: usize,
    /// The frame's number of the piece's first row (results' `source`: `row N`).
    first: u64,
    /// The rows evaluated alone, by their place in the piece, in order.
    alone: &'a [(usize, Evaluated)],
}

/// One row of a piece to write.
#[derive(Clone, Copy)]
enum Written<'a> {
    /// Row `row` of the piece's evaluation, numbered `number` in the frame.
    InPiece {
        outcome: &'a PieceOutcome,
        table: &'a Table,
        row: usize,
        number: u64,
    },
    Outcome(&'a dyn Evaluation, &'a str, &'a Location),
    Rejected(&'a Rejection),
}

impl<'a> Written<'a> {
    fn of(evaluated: &'a Evaluated) -> Written<'a> {
        match evaluated {
            Evaluated::Outcome {
                outcome,
                file,
                location,
            } => Written::Outcome(outcome.as_ref(), file, location),
            Evaluated::Rejected(r) => Written::Rejected(r),
        }
    }
}

/// A frame's results, column by column: the CSV result row's columns, with the same names
/// and cells (texts as the row writes them; amounts exact; statuses coded).
#[derive(Debug)]
pub struct Results {
    pub rows: usize,
    pub columns: Vec<ResultColumn>,
}

/// What a result column holds (`result_layout`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResultKind {
    Text,
    /// One of a few texts (a status, the rulebook's hash), in this order.
    Coded(Vec<String>),
    /// Exact amounts with `scale` digits after the point: 2 for euros; for points, the
    /// most of any amount in points (a column of one type needs one).
    Amount {
        scale: u32,
    },
}

/// One result column; `present` says which rows have a cell (an empty cell of the CSV row
/// is none: a rejected row has no statuses, no amounts).
#[derive(Debug)]
pub enum ResultColumn {
    /// Texts in one buffer: where each ends.
    Texts {
        bytes: String,
        ends: Vec<usize>,
        present: Vec<bool>,
    },
    /// Each row's place in `names`.
    Coded {
        names: Vec<String>,
        codes: Vec<u8>,
        present: Vec<bool>,
    },
    /// Amounts as integers at `scale` digits after the point (`1250` at 2: 12.50).
    Amounts {
        mantissas: Vec<i128>,
        scale: u32,
        present: Vec<bool>,
    },
}

impl Results {
    fn new(rulebook: &CompiledRulebook, columns: &Columns, rows: usize) -> Results {
        let columns = result_layout(rulebook, columns)
            .into_iter()
            .map(|(_, kind)| match kind {
                ResultKind::Text => ResultColumn::Texts {
                    bytes: String::new(),
                    ends: Vec::with_capacity(rows),
                    present: Vec::with_capacity(rows),
                },
                ResultKind::Coded(names) => ResultColumn::Coded {
                    names,
                    codes: Vec::with_capacity(rows),
                    present: Vec::with_capacity(rows),
                },
                ResultKind::Amount { scale } => ResultColumn::Amounts {
                    mantissas: Vec::with_capacity(rows),
                    scale,
                    present: Vec::with_capacity(rows),
                },
            })
            .collect();
        Results { rows, columns }
    }

    /// A piece's rows, one column after the other: the rows its evaluation gives, a run
    /// at a time, and between them the rows evaluated alone.
    fn push_piece(&mut self, frame: &Frame<'_>, piece: &Piece<'_>) {
        for (column, into) in frame.columns.iter().zip(&mut self.columns) {
            let mut row = 0;
            for (alone_row, evaluated) in piece.alone {
                if let Some((outcome, table)) = piece.outcome {
                    into.extend(frame, column, outcome, table, row..*alone_row, piece.first);
                }
                into.push(frame, column, Written::of(evaluated));
                row = alone_row + 1;
            }
            if let Some((outcome, table)) = piece.outcome {
                into.extend(frame, column, outcome, table, row..piece.rows, piece.first);
            }
        }
    }
}

impl ResultColumn {
    /// Rows `rows` of a piece's evaluation, in one loop for the usual columns (the piece's
    /// row `r` is the frame's `first + r`).
    fn extend(
        &mut self,
        frame: &Frame<'_>,
        column: Column,
        outcome: &PieceOutcome,
        table: &Table,
        rows: Range<usize>,
        first: u64,
    ) {
        let n = rows.len();
        match (&mut *self, column) {
            (ResultColumn::Coded { codes, present, .. }, Column::Status | Column::RulebookHash) => {
                codes.resize(codes.len() + n, 0);
                present.resize(present.len() + n, true);
            }
            (ResultColumn::Coded { codes, present, .. }, Column::Indicator(i)) => {
                codes.extend(rows.map(|r| outcome.status(i, r).index()));
                present.resize(present.len() + n, true);
            }
            (
                ResultColumn::Amounts {
                    mantissas,
                    scale: 2,
                    present,
                },
                Column::TotalEuros,
            ) => {
                mantissas.extend(rows.map(|r| i128::from(outcome.total_cents(r))));
                present.resize(present.len() + n, true);
            }
            (
                ResultColumn::Amounts {
                    mantissas,
                    scale: 2,
                    present,
                },
                Column::Payment(p),
            ) => {
                mantissas.extend(rows.map(|r| i128::from(outcome.line_cents(p, r))));
                present.resize(present.len() + n, true);
            }
            (
                ResultColumn::Texts {
                    bytes,
                    ends,
                    present,
                },
                Column::Errors,
            ) => {
                ends.resize(ends.len() + n, bytes.len());
                present.resize(present.len() + n, false);
            }
            _ => {
                for row in rows {
                    let number = first + row as u64;
                    let written = Written::InPiece {
                        outcome,
                        table,
                        row,
                        number,
                    };
                    self.push(frame, column, written);
                }
            }
        }
    }

    fn push(&mut self, frame: &Frame<'_>, column: Column, row: Written<'_>) {
        let rulebook = frame.rulebook;
        match self {
            ResultColumn::Coded { codes, present, .. } => {
                let code = match (column, row) {
                    (Column::Status, Written::Rejected(_)) => Some(1),
                    (Column::Status, _) => Some(0),
                    (Column::RulebookHash, _) => Some(0),
                    (Column::Indicator(i), Written::InPiece { outcome, row, .. }) => {
                        Some(outcome.status(i, row).index())
                    }
                    (Column::Indicator(i), Written::Outcome(o, ..)) => Some(o.status(i).index()),
                    _ => None,
                };
                codes.push(code.unwrap_or(0));
                present.push(code.is_some());
            }
            ResultColumn::Amounts {
                mantissas,
                scale,
                present,
            } => {
                let amount = match (column, row) {
                    (_, Written::Rejected(_)) => None,
                    (
                        column,
                        Written::InPiece {
                            outcome,
                            table,
                            row,
                            ..
                        },
                    ) => amount(
                        &PieceRow {
                            outcome,
                            table,
                            row,
                        },
                        column,
                        *scale,
                    ),
                    (column, Written::Outcome(o, ..)) => amount(o, column, *scale),
                };
                mantissas.push(amount.unwrap_or(0));
                present.push(amount.is_some());
            }
            ResultColumn::Texts {
                bytes,
                ends,
                present,
            } => {
                let before = bytes.len();
                match (column, row) {
                    (Column::Id, Written::InPiece { table, row, .. }) => {
                        bytes.push_str(table.ids.get(row))
                    }
                    (Column::Source, Written::InPiece { number, .. }) => {
                        bytes.push_str(&frame.name);
                        bytes.push_str(":row ");
                        crate::output::cells::push_u64(bytes, number);
                    }
                    (Column::Errors, Written::InPiece { .. }) => {}
                    (
                        column,
                        Written::InPiece {
                            outcome,
                            table,
                            row,
                            ..
                        },
                    ) => {
                        let o = PieceRow {
                            outcome,
                            table,
                            row,
                        };
                        columns::outcome_cell(
                            bytes,
                            rulebook,
                            &o,
                            &frame.name,
                            &Location::File,
                            column,
                        )
                    }
                    (column, Written::Outcome(o, file, location)) => {
                        columns::outcome_cell(bytes, rulebook, o, file, location, column)
                    }
                    (column, Written::Rejected(r)) => {
                        columns::rejected_cell(bytes, rulebook, r, column)
                    }
                }
                ends.push(bytes.len());
                present.push(bytes.len() > before);
            }
        }
    }
}

/// An evaluated declaration's amount in an amount column, as its mantissa at `scale`
/// digits after the point (never fewer than it has: see `ResultKind::Amount`).
fn amount(outcome: &dyn Evaluation, column: Column, scale: u32) -> Option<i128> {
    let mut amount = match column {
        Column::TotalEuros => outcome.total_euros(),
        Column::TotalPoints => outcome.total_points(),
        Column::Payment(p) => outcome.line_euros(p),
        _ => return None,
    };
    amount.rescale(scale);
    Some(amount.mantissa())
}

/// Each result column's name and what it holds, in the order `Frame::evaluate` gives them.
pub fn result_layout(rulebook: &CompiledRulebook, columns: &Columns) -> Vec<(String, ResultKind)> {
    let statuses = || Status::ALL.iter().map(|s| s.as_str().to_string()).collect();
    columns
        .iter()
        .map(|c| {
            let kind = match c {
                Column::TotalEuros | Column::Payment(_) => ResultKind::Amount { scale: 2 },
                Column::TotalPoints => ResultKind::Amount {
                    scale: vector::points_scale(rulebook),
                },
                Column::Status => ResultKind::Coded(vec!["evaluated".into(), "rejected".into()]),
                Column::Indicator(_) => ResultKind::Coded(statuses()),
                Column::RulebookHash => ResultKind::Coded(vec![rulebook.meta.content_hash.clone()]),
                Column::Id | Column::Source | Column::Errors => ResultKind::Text,
            };
            (columns::name(rulebook, c), kind)
        })
        .collect()
}
