//! CSV declarations: a header row of field names, then one professional a row, streamed.
//!
//! French spreadsheets export `;`: unless told, the separator is `;` when the header has a
//! `;` and no `,`, else `,`. A UTF-8 byte order mark is skipped.

use std::io::BufRead;

use super::{Builder, Location, Problem, Raw, ReadOptions, Record, Rejection};
use crate::model::{CompiledRulebook, Slot};

/// What a header column is.
#[derive(Clone, Copy)]
enum Column {
    Id,
    Input(Slot),
    /// A column the rulebook does not know, skipped (`ignore_unknown_fields`).
    Ignored,
}

fn file_problem(file: &str, line: u64, problems: Vec<Problem>) -> Record {
    Record::Rejected(Rejection {
        file: file.to_string(),
        location: Location::Line(line),
        id: None,
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

pub(super) fn records<'a, R: BufRead + 'a>(
    rulebook: &'a CompiledRulebook,
    file: &'a str,
    mut input: R,
    options: ReadOptions,
) -> Box<dyn Iterator<Item = Record> + 'a> {
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
        Err(e) => {
            return Box::new(std::iter::once(file_problem(
                file,
                1,
                vec![malformed(format!("cannot read the file: {e}"), None)],
            )))
        }
    };
    if bom {
        input.consume(3);
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(input);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Box::new(std::iter::once(file_problem(
                file,
                1,
                vec![malformed(format!("cannot read the header row: {e}"), None)],
            )))
        }
    };
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Box::new(std::iter::once(file_problem(
            file,
            1,
            vec![malformed(
                "the file is empty; a header row of field names is needed".into(),
                Some("a first row such as `id,actes_fse,actes_total,...`".into()),
            )],
        )));
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

    let id_column = columns.iter().position(|c| matches!(c, Column::Id));
    let width = columns.len();
    let mut rows = reader.into_records();
    let mut any_row = false;
    let mut header_reported = false;
    Box::new(std::iter::from_fn(move || {
        let Some(result) = rows.next() else {
            // A header with problems and no row still says what is wrong, once.
            if !any_row && !problems.is_empty() && !header_reported {
                header_reported = true;
                return Some(file_problem(file, 1, problems.clone()));
            }
            return None;
        };
        any_row = true;
        let row = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let message = match e.kind() {
                    ::csv::ErrorKind::Utf8 { err, .. } => format!(
                        "field {} is not UTF-8 text (invalid byte at offset {}); save the file as UTF-8",
                        err.field() + 1,
                        err.valid_up_to()
                    ),
                    _ => format!("unreadable row: {e}"),
                };
                return Some(file_problem(file, line, vec![malformed(message, None)]));
            }
        };
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        if !problems.is_empty() {
            // A bad header spoils every row, but each row still gets its own rejection, so
            // that the count of results always equals the count of rows read.
            let id = id_column
                .and_then(|c| row.get(c))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
            return Some(Record::Rejected(Rejection {
                file: file.to_string(),
                location: Location::Line(line),
                id,
                problems: problems.clone(),
            }));
        }
        let mut builder = Builder::new(rulebook, options);
        if row.len() != width {
            builder.problems.push(malformed(
                format!(
                    "the row has {} fields but the header has {width}",
                    row.len()
                ),
                Some(format!(
                    "{width} fields separated by `{}`",
                    delimiter as char
                )),
            ));
        }
        for (column, cell) in columns.iter().zip(row.iter()) {
            match column {
                Column::Id => builder.set_id(Some(Raw::Text(cell))),
                Column::Input(slot) => builder.set(*slot, Some(Raw::Text(cell))),
                Column::Ignored => {}
            }
        }
        Some(builder.finish(file, Location::Line(line)))
    }))
}
