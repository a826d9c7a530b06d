//! CSV declarations: a header row of field names, then one professional a row, streamed.
//!
//! French spreadsheets export `;`: unless told, the separator is `;` when the header has a
//! `;` and no `,`, else `,`. A UTF-8 byte order mark is skipped. Reading is split in two so
//! that batches parse in parallel: the rows are read in order (cheap), and each row is
//! turned into a declaration by `CsvLayout::build`, which any thread may call.

use std::io::BufRead;

use super::{Builder, Location, Problem, Raw, RawRecord, ReadOptions, Record, Rejection};
use crate::model::{CompiledRulebook, Slot};

/// What a header column is.
#[derive(Clone, Copy, Debug)]
enum Column {
    Id,
    Input(Slot),
    /// A column the rulebook does not know, skipped (`ignore_unknown_fields`), or a
    /// duplicate already reported.
    Ignored,
}

/// What the header said, shared by every row.
#[derive(Clone, Debug)]
pub(crate) struct CsvLayout {
    columns: Vec<Column>,
    /// Problems of the header itself: every row is rejected with them.
    problems: Vec<Problem>,
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

fn malformed(message: String, expected: Option<String>) -> Problem {
    Problem {
        code: "forfait::decl::malformed",
        field: None,
        message,
        expected,
    }
}

/// Reads the header; returns the layout and the raw rows, in order.
pub(super) fn open<'a, R: BufRead + 'a>(
    rulebook: &CompiledRulebook,
    file: &'a str,
    mut input: R,
    options: ReadOptions,
) -> (Option<CsvLayout>, Box<dyn Iterator<Item = RawRecord> + 'a>) {
    let fail = |problem: Problem| -> (Option<CsvLayout>, Box<dyn Iterator<Item = RawRecord> + 'a>) {
        let record = rejection(file, 1, None, vec![problem]);
        (None, Box::new(std::iter::once(RawRecord::Ready(record))))
    };
    // Peek at the start of the file: byte order mark, and the separator.
    let (bom, delimiter) = match input.fill_buf() {
        Ok(start) => {
            let bom = start.starts_with(&[0xef, 0xbb, 0xbf]);
            let body = if bom { &start[3..] } else { start };
            let first_line = body.split(|b| *b == b'\n').next().unwrap_or(&[]);
            let detected = if first_line.contains(&b';') && !first_line.contains(&b',') {
                b';'
            } else {
                b','
            };
            (bom, options.delimiter.unwrap_or(detected))
        }
        Err(e) => return fail(malformed(format!("cannot read the file: {e}"), None)),
    };
    if bom {
        input.consume(3);
    }
    let guarded = super::LineLimit::new(input);
    let overlong = std::rc::Rc::clone(&guarded.overlong);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(guarded);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return fail(malformed(format!("cannot read the header row: {e}"), None)),
    };
    if headers.iter().all(|h| h.trim().is_empty()) {
        return fail(malformed(
            "the file is empty; a header row of field names is needed".into(),
            Some("a first row such as `id,actes_fse,actes_total,...`".into()),
        ));
    }

    let mut columns = Vec::new();
    let mut problems = Vec::new();
    for (index, name) in headers.iter().enumerate() {
        let name = name.trim();
        if headers.iter().take(index).any(|h| h.trim() == name) {
            problems.push(Problem {
                code: "forfait::decl::duplicate_field",
                field: Some(name.to_string()),
                message: "the column appears twice in the header".into(),
                expected: None,
            });
            columns.push(Column::Ignored);
            continue;
        }
        match (name, rulebook.input_slot(name)) {
            ("id", _) => columns.push(Column::Id),
            (_, Some(slot)) => columns.push(Column::Input(slot)),
            (_, None) => {
                if !options.ignore_unknown_fields {
                    problems.push(Builder::unknown_field_problem(rulebook, name));
                }
                columns.push(Column::Ignored);
            }
        }
    }
    if !columns.iter().any(|c| matches!(c, Column::Id)) {
        problems.push(Problem {
            code: "forfait::decl::missing_id",
            field: Some("id".into()),
            message: "the header has no `id` column".into(),
            expected: Some("a column `id` that identifies each professional".into()),
        });
    }
    let header_problems = problems.clone();
    let layout = CsvLayout {
        columns,
        problems,
        delimiter,
    };

    let id_column = layout.columns.iter().position(|c| matches!(c, Column::Id));
    let mut rows = reader.into_byte_records();
    let mut any_row = false;
    let mut done = false;
    let iter = std::iter::from_fn(move || {
        if done {
            return None;
        }
        let Some(result) = rows.next() else {
            done = true;
            // A header with problems and no row still says what is wrong, once.
            if !any_row && !header_problems.is_empty() {
                return Some(RawRecord::Ready(rejection(
                    file,
                    1,
                    None,
                    header_problems.clone(),
                )));
            }
            return None;
        };
        any_row = true;
        Some(match result {
            Ok(row) => {
                let line = row.position().map_or(0, |p| p.line());
                if overlong.borrow().contains(&line) {
                    let id = id_column
                        .and_then(|c| row.get(c))
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty());
                    RawRecord::Ready(rejection(
                        file,
                        line,
                        id,
                        vec![malformed(
                            format!("the line is longer than {} bytes", super::MAX_LINE_BYTES),
                            Some("one declaration a line".into()),
                        )],
                    ))
                } else {
                    RawRecord::Csv { line, row }
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                RawRecord::Ready(rejection(
                    file,
                    line,
                    None,
                    vec![malformed(format!("unreadable row: {e}"), None)],
                ))
            }
        })
    });
    (Some(layout), Box::new(iter))
}

impl CsvLayout {
    /// One row to a declaration, or its rejection.
    pub(crate) fn build(
        &self,
        rulebook: &CompiledRulebook,
        file: &str,
        options: ReadOptions,
        line: u64,
        row: &::csv::ByteRecord,
    ) -> Record {
        let id_of = |row: &::csv::ByteRecord| {
            self.columns
                .iter()
                .position(|c| matches!(c, Column::Id))
                .and_then(|c| row.get(c))
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        if !self.problems.is_empty() {
            // A bad header spoils every row, but each row still gets its own rejection, so
            // that the count of results always equals the count of rows read.
            return rejection(file, line, id_of(row), self.problems.clone());
        }
        let mut builder = Builder::new(rulebook, options);
        let width = self.columns.len();
        if row.len() != width {
            builder.problems.push(malformed(
                format!(
                    "the row has {} fields but the header has {width}",
                    row.len()
                ),
                Some(format!(
                    "{width} fields separated by `{}`",
                    self.delimiter as char
                )),
            ));
        }
        for (index, (column, cell)) in self.columns.iter().zip(row.iter()).enumerate() {
            let text = match std::str::from_utf8(cell) {
                Ok(t) => t,
                Err(e) => {
                    let field = match column {
                        Column::Id => Some("id".to_string()),
                        Column::Input(slot) => Some(rulebook.inputs[*slot].name.clone()),
                        Column::Ignored => None,
                    };
                    builder.problems.push(Problem {
                        code: "forfait::decl::malformed",
                        field,
                        message: format!(
                            "column {} is not UTF-8 text (invalid byte at offset {} of the field)",
                            index + 1,
                            e.valid_up_to()
                        ),
                        expected: Some("UTF-8 text: save the file as CSV UTF-8".into()),
                    });
                    continue;
                }
            };
            match column {
                Column::Id => builder.set_id(Some(Raw::Text(text))),
                Column::Input(slot) => builder.set(*slot, Some(Raw::Text(text))),
                Column::Ignored => {}
            }
        }
        builder.finish(file, Location::Line(line))
    }
}
