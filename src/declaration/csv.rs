//! CSV declarations: a header row of field names, then one professional a row, streamed.
//!
//! French spreadsheets export `;`: unless told, the separator is `;` when the header has a
//! `;` and no `,`, else `,`. A UTF-8 byte order mark is skipped. Reading is split in two so
//! that batches parse in parallel: the rows are read in order (cheap), and each row is
//! turned into a declaration by `CsvLayout::build`, which any thread may call.

mod rows;
mod split;

pub use split::CsvRow;

use std::io::BufRead;

use super::line_guard::{Cut, LineGuard};
use super::mapping::Field;
use super::problem::{Malformed, ProblemKind, Width};
use super::{piece, values};
use super::{
    Builder, Location, Problem, Raw, RawRecord, ReadError, ReadOptions, Record, Rejection,
};
use crate::model::{CompiledRulebook, InputType, Slot};
use crate::table::{Blank, Table};

/// What a header column is.
#[derive(Clone, Copy, Debug)]
enum Column {
    Id,
    Input(Slot),
    /// A column the rulebook does not know, skipped (`ignore_unknown_fields`), or a
    /// column of a header with problems.
    Ignored,
    /// A column with no name after the last named one (`,,,` that spreadsheets add at the
    /// end of every line): its cells must be blank, and a row may leave it out.
    Trailing,
}

/// How the fast path reads a column's cells, chosen once from the header; every value
/// through the same functions as `Builder::set` (`super::values`).
#[derive(Clone, Copy, Debug)]
enum Decode {
    Id,
    YesNo(Slot),
    Count(Slot),
    Choice(Slot),
    Text(Slot),
    /// Decimals and dates.
    Other(Slot),
    Ignored,
    Trailing,
}

/// What the header said, shared by every row.
#[derive(Clone, Debug)]
pub(crate) struct CsvLayout {
    /// By slot: how a cell may spell a choice's values (names, labels, the mapping's).
    choices: Vec<values::Spellings>,
    columns: Vec<Column>,
    /// The columns up to the last named one: a row has at least these.
    named: usize,
    decoders: Vec<Decode>,
    /// What each slot gets when its cell is blank: its default, absent, or missing.
    blanks: Vec<Blank>,
    /// The slots no column gives (they keep their default).
    uncovered: Vec<Slot>,
    /// The header has problems: they are its own rejection, and every row is rejected
    /// with a reference to it (`forfait::decl::bad_header`).
    bad_header: bool,
    /// The line the header is on.
    header_line: u64,
    delimiter: u8,
}

fn rejection(file: &str, line: u64, id: Option<String>, problems: Vec<Problem>) -> Record {
    Record::Rejected(Rejection {
        file: file.to_string(),
        location: Location::Line(line),
        id,
        problems,
    })
}

fn malformed(malformed: Malformed) -> Problem {
    ProblemKind::Malformed(malformed).about(None)
}

type Opened<'a> = (Option<CsvLayout>, Box<dyn super::RawSource + Send + 'a>);

/// Reads the header; returns the layout and the raw rows, in order.
pub(super) fn open<'a, R: BufRead + Send + 'a>(
    rulebook: &CompiledRulebook,
    slots: &super::Slots,
    file: &'a str,
    mut input: R,
    options: &ReadOptions,
) -> Opened<'a> {
    let fail = |line: u64, problem: Problem| -> Opened<'a> {
        let record = rejection(file, line, None, vec![problem]);
        let once = std::iter::once(RawRecord::Ready(record));
        (None, Box::new(super::Fresh(once)))
    };
    let failed = |lines_read: u64, error: std::io::Error| -> Opened<'a> {
        let error = ReadError {
            file: file.to_string(),
            lines_read,
            error,
        };
        (None, Box::new(super::Failed(Some(error))))
    };
    // Peek at the start of the file: byte order mark, and the separator.
    let (bom, delimiter) = match input.fill_buf() {
        Ok(start) => {
            let bom = start.starts_with(&[0xef, 0xbb, 0xbf]);
            let body = if bom { &start[3..] } else { start };
            let first_line = body
                .split(|b| *b == b'\n' || *b == b'\r')
                .next()
                .unwrap_or(&[]);
            let detected = if first_line.contains(&b';') && !first_line.contains(&b',') {
                b';'
            } else {
                b','
            };
            (bom, options.delimiter.unwrap_or(detected))
        }
        Err(e) => return failed(0, e),
    };
    if bom {
        input.consume(3);
    }
    let mut reader = split::Records::new(LineGuard::new(input, delimiter), delimiter);
    let mut headers = CsvRow::new();
    if let Err(e) = reader.read(&mut headers) {
        return failed(reader.guard().state.lines_read(), e);
    }
    headers.split();
    let header_line = reader.guard_mut().state.starts.pop_front().unwrap_or(1);
    if headers.iter().all(values::blank) {
        return fail(header_line, malformed(Malformed::EmptyCsv));
    }

    // Trailing columns with no name are no columns.
    let named = headers
        .iter()
        .rposition(|h| !values::blank(h))
        .map_or(0, |last| last + 1);
    let mut columns = Vec::with_capacity(headers.len());
    let mut problems = Vec::new();
    // What the guard cut in the header's lines is the header's problem.
    let header_end = header_line + headers.iter().map(line_breaks).sum::<u64>();
    let cut = reader.guard_mut().state.take_cut(header_line..=header_end);
    if let Some((at, cut)) = cut {
        problems.push(malformed(match cut {
            Cut::LongLine => Malformed::HeaderTooLong {
                max: super::MAX_LINE_BYTES,
            },
            Cut::LineBreak | Cut::OpenQuote | Cut::Unclosed => Malformed::HeaderLineBreak {
                at,
                first: header_line,
                last: header_end,
            },
        }));
    }
    let mut seen = std::collections::HashSet::new();
    // The id's and each input's column, taken once: a renamed heading and the input's own
    // name in one header are the same field twice.
    let mut taken = vec![false; rulebook.inputs.len() + 1];
    let mut listed = ColumnProblems::default();
    for (index, name) in headers.iter().enumerate() {
        if index >= named {
            columns.push(Column::Trailing);
            continue;
        }
        let number = index + 1;
        let Ok(name) = std::str::from_utf8(name) else {
            listed.add(number, || {
                malformed(Malformed::ColumnNameNotUtf8 { column: number })
            });
            columns.push(Column::Ignored);
            continue;
        };
        let name = name.trim();
        if !seen.insert(name) {
            listed.add(number, || {
                ProblemKind::DuplicateField {
                    column: Some(number),
                }
                .about(Some(name.to_string()))
            });
            columns.push(Column::Ignored);
            continue;
        }
        let (column, taken_at) = match slots.field(name) {
            Some(Field::Id) => (Column::Id, Some(rulebook.inputs.len())),
            Some(Field::Input(slot)) => (Column::Input(slot), Some(slot)),
            Some(Field::Ignored) => (Column::Ignored, None),
            None => {
                if !options.ignore_unknown_fields {
                    listed.add(number, || {
                        Builder::unknown_field_problem(rulebook, name, Some(number))
                    });
                }
                (Column::Ignored, None)
            }
        };
        if let Some(at) = taken_at {
            if std::mem::replace(&mut taken[at], true) {
                let field = match column {
                    Column::Input(slot) => rulebook.inputs[slot].name.clone(),
                    _ => "id".to_string(),
                };
                listed.add(number, || {
                    ProblemKind::DuplicateField {
                        column: Some(number),
                    }
                    .about(Some(field))
                });
                columns.push(Column::Ignored);
                continue;
            }
        }
        columns.push(column);
    }
    listed.finish(&mut problems);
    if !columns.iter().any(|c| matches!(c, Column::Id)) {
        problems.push(ProblemKind::NoIdColumn.about(Some("id".into())));
    }
    let decoders = columns
        .iter()
        .map(|column| match *column {
            Column::Id => Decode::Id,
            Column::Ignored => Decode::Ignored,
            Column::Trailing => Decode::Trailing,
            Column::Input(slot) => match &rulebook.inputs[slot].ty {
                InputType::YesNo => Decode::YesNo(slot),
                InputType::Count => Decode::Count(slot),
                InputType::Choice(_) => Decode::Choice(slot),
                InputType::Text => Decode::Text(slot),
                InputType::Decimal | InputType::Date => Decode::Other(slot),
            },
        })
        .collect();
    let blanks = Blank::of_inputs(rulebook);
    let mut covered = vec![false; rulebook.inputs.len()];
    for column in &columns {
        if let Column::Input(slot) = column {
            covered[*slot] = true;
        }
    }
    let uncovered = (0..rulebook.inputs.len())
        .filter(|slot| !covered[*slot])
        .collect();
    let id_column = columns.iter().position(|c| matches!(c, Column::Id));
    let header_rejection =
        (!problems.is_empty()).then(|| rejection(file, header_line, None, problems));
    let choices = (0..rulebook.inputs.len())
        .map(|slot| slots.choices(slot).clone())
        .collect();
    let layout = CsvLayout {
        choices,
        columns,
        named,
        decoders,
        blanks,
        uncovered,
        bad_header: header_rejection.is_some(),
        header_line,
        delimiter,
    };
    let rows = rows::CsvRows::new(file, reader, id_column, header_rejection);
    (Some(layout), Box::new(rows))
}

/// A header's problems with its columns: the first `MAX_COLUMN_PROBLEMS` in full, the others
/// counted (100 000 unknown columns must not make 100 000 messages, each with its "did you
/// mean").
#[derive(Default)]
struct ColumnProblems {
    listed: Vec<Problem>,
    more: usize,
    last: usize,
}

const MAX_COLUMN_PROBLEMS: usize = 100;

impl ColumnProblems {
    fn add(&mut self, column: usize, problem: impl FnOnce() -> Problem) {
        if self.listed.len() < MAX_COLUMN_PROBLEMS {
            self.listed.push(problem());
        } else {
            self.more += 1;
            self.last = column;
        }
    }

    fn finish(self, problems: &mut Vec<Problem>) {
        problems.extend(self.listed);
        if self.more > 0 {
            problems.push(
                ProblemKind::MoreColumnProblems {
                    more: self.more,
                    last: self.last,
                }
                .about(None),
            );
        }
    }
}

impl CsvLayout {
    /// One row to a declaration, or its rejection.
    pub(crate) fn build(
        &self,
        rulebook: &CompiledRulebook,
        slots: &super::Slots,
        file: &str,
        line: u64,
        row: &CsvRow,
    ) -> Record {
        let id_of = |row: &CsvRow| {
            self.columns
                .iter()
                .position(|c| matches!(c, Column::Id))
                .and_then(|c| row.get(c))
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        if self.bad_header {
            // A bad header spoils every row, but each row still gets its own rejection, so
            // that the count of results always equals the count of rows read; the details
            // are in the header's own rejection, once.
            let header = self.header_line;
            let problem = ProblemKind::HeaderHasProblems { header }.about(None);
            return rejection(file, line, id_of(row), vec![problem]);
        }
        let mut builder = Builder::new(rulebook, slots);
        let width = self.columns.len();
        if row.len() < self.named || row.len() > width {
            builder.problems.push(malformed(Malformed::RowWidth {
                found: row.len(),
                wanted: Width {
                    named: self.named,
                    columns: width,
                },
                delimiter: self.delimiter as char,
            }));
        }
        for (index, (column, cell)) in self.columns.iter().zip(row.iter()).enumerate() {
            let text = match std::str::from_utf8(cell) {
                Ok(t) => t,
                Err(e) => {
                    let field = match column {
                        Column::Id => Some("id".to_string()),
                        Column::Input(slot) => Some(rulebook.inputs[*slot].name.clone()),
                        Column::Ignored | Column::Trailing => None,
                    };
                    builder.problems.push(
                        ProblemKind::Malformed(Malformed::CellNotUtf8 {
                            column: index + 1,
                            offset: e.valid_up_to(),
                        })
                        .about(field),
                    );
                    continue;
                }
            };
            match column {
                Column::Id => builder.set_id(Some(Raw::Text(text))),
                Column::Input(slot) => builder.set(*slot, Some(Raw::Text(text))),
                Column::Ignored => {}
                Column::Trailing if values::blank(cell) => {}
                Column::Trailing => {
                    builder
                        .problems
                        .push(malformed(Malformed::UnnamedColumnValue {
                            column: index + 1,
                            text: text.trim().to_string(),
                        }))
                }
            }
        }
        builder.finish(file, Location::Line(line))
    }

    /// A piece of rows into `table`, column by column (see `Reader::read_piece`): each
    /// column's cells read in one loop by the same function of `super::values` as
    /// `Builder::set` reads them with, allocating nothing once warm. A row that is not
    /// plainly right (bad header, wrong width, a cell that does not read, no id) is marked
    /// slow, for `build` to say what.
    pub(crate) fn decode_piece(
        &self,
        rulebook: &CompiledRulebook,
        run: &[RawRecord],
        table: &mut Table,
    ) {
        table.start(run.len());
        let width = self.named..=self.decoders.len();
        // Each row, and its text when it is UTF-8 as a whole: checked at once (SIMD), its
        // text cells are then taken without a check each.
        let rows: Vec<Option<(&CsvRow, Option<&str>)>> = run
            .iter()
            .map(|raw| match raw {
                RawRecord::Csv { row, .. } if !self.bad_header && width.contains(&row.len()) => {
                    Some((row, simdutf8::basic::from_utf8(row.bytes()).ok()))
                }
                _ => None,
            })
            .collect();
        // A row shorter than the header leaves out trailing columns: blank cells.
        let cell = |r: usize, c: usize| rows[r].and_then(|(row, _)| row.get(c)).unwrap_or(b"");
        let text = |r: usize, c: usize| match rows[r] {
            // A cell's bounds cut the line between characters unless csv_core put two
            // cells end to end that only make characters together: `get` says so.
            Some((row, Some(line))) => match row.range(c).and_then(|range| line.get(range)) {
                Some(text) => Ok(text.trim()),
                None => values::text(cell(r, c)),
            },
            _ => values::text(cell(r, c)),
        };
        let id_column = self.decoders.iter().position(|d| matches!(d, Decode::Id));
        for (r, row) in rows.iter().enumerate() {
            let id = match (row, id_column) {
                (Some(_), Some(c)) => text(r, c).ok(),
                _ => None,
            };
            piece::push_id(table, r, id);
        }
        let Table { slow, columns, .. } = table;
        for (c, decoder) in self.decoders.iter().enumerate() {
            match *decoder {
                Decode::Id => {}
                // `build` refuses a column that is not UTF-8, even one it skips.
                Decode::Ignored => {
                    for (r, slow) in slow.iter_mut().enumerate() {
                        *slow |= text(r, c).is_err();
                    }
                }
                Decode::Trailing => {
                    for (r, slow) in slow.iter_mut().enumerate() {
                        *slow |= !values::blank(cell(r, c));
                    }
                }
                Decode::YesNo(slot)
                | Decode::Count(slot)
                | Decode::Choice(slot)
                | Decode::Other(slot)
                | Decode::Text(slot) => piece::read_texts(
                    rulebook,
                    slot,
                    &self.choices[slot],
                    &self.blanks[slot],
                    &mut columns[slot],
                    slow,
                    |r| cell(r, c),
                    |r| text(r, c),
                ),
            }
        }
        piece::finish(table, &self.uncovered, &self.blanks);
    }
}

/// Line breaks in a field (a quoted field may hold some), counted as the guard counts
/// them: `\r\n`, `\r` and `\n` are one each.
fn line_breaks(field: &[u8]) -> u64 {
    let crlf = field.windows(2).filter(|w| w == b"\r\n").count();
    (memchr::memchr2_iter(b'\r', b'\n', field).count() - crlf) as u64
}
