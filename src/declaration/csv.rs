//! CSV declarations: a header row of field names, one professional a row.
//!
//! French spreadsheets export `;`: the separator is `;` when the header has a `;` and no
//! `,`, else `,`.

use super::{Builder, Location, Problem, Raw, Record, Rejection};
use crate::model::{CompiledRulebook, Slot};

/// What a header column is.
#[derive(Clone, Copy)]
enum Column {
    Id,
    Input(Slot),
}

pub fn read_csv(rulebook: &CompiledRulebook, file: &str, text: &str) -> Vec<Record> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains(';') && !first_line.contains(',') {
        b';'
    } else {
        b','
    };
    let file_error = |message: String, expected: Option<String>, field: Option<String>, code| {
        vec![Record::Rejected(Rejection {
            file: file.to_string(),
            location: Location::Line(1),
            id: None,
            problems: vec![Problem {
                code,
                field,
                message,
                expected,
            }],
        })]
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return file_error(
                format!("cannot read the header row: {e}"),
                None,
                None,
                "forfait::decl::malformed",
            )
        }
    };
    if headers.iter().all(|h| h.trim().is_empty()) {
        return file_error(
            "the file is empty; a header row of field names is needed".into(),
            Some("a first row such as `id,actes_fse,actes_total,...`".into()),
            None,
            "forfait::decl::malformed",
        );
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
            continue;
        }
        match (name, rulebook.input_slot(name)) {
            ("id", _) => columns.push(Column::Id),
            (_, Some(slot)) => columns.push(Column::Input(slot)),
            (_, None) => problems.push(Builder::unknown_field_problem(rulebook, name)),
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
    if !problems.is_empty() {
        // A bad header spoils every row, but each row still gets its own rejection, so
        // that the count of results always equals the count of rows read.
        let id_column = headers.iter().position(|h| h.trim() == "id");
        let mut records: Vec<Record> = reader
            .records()
            .map(|row| {
                let (line, id) = match &row {
                    Ok(r) => (
                        r.position().map(|p| p.line()).unwrap_or(0),
                        id_column
                            .and_then(|c| r.get(c))
                            .map(|s| s.trim().to_string()),
                    ),
                    Err(e) => (e.position().map(|p| p.line()).unwrap_or(0), None),
                };
                Record::Rejected(Rejection {
                    file: file.to_string(),
                    location: Location::Line(line),
                    id: id.filter(|i| !i.is_empty()),
                    problems: problems.clone(),
                })
            })
            .collect();
        if records.is_empty() {
            records.push(Record::Rejected(Rejection {
                file: file.to_string(),
                location: Location::Line(1),
                id: None,
                problems,
            }));
        }
        return records;
    }

    let mut records = Vec::new();
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                records.push(Record::Rejected(Rejection {
                    file: file.to_string(),
                    location: Location::Line(line),
                    id: None,
                    problems: vec![Problem {
                        code: "forfait::decl::malformed",
                        field: None,
                        message: format!("unreadable row: {e}"),
                        expected: None,
                    }],
                }));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut builder = Builder::new(rulebook);
        if record.len() != columns.len() {
            builder.problems.push(Problem {
                code: "forfait::decl::malformed",
                field: None,
                message: format!(
                    "the row has {} fields but the header has {}",
                    record.len(),
                    columns.len()
                ),
                expected: Some(format!(
                    "{} fields separated by `{}`",
                    columns.len(),
                    delimiter as char
                )),
            });
        }
        for (column, cell) in columns.iter().zip(record.iter()) {
            match column {
                Column::Id => builder.set_id(Some(Raw::Text(cell))),
                Column::Input(slot) => {
                    let raw = (!cell.trim().is_empty()).then_some(Raw::Text(cell));
                    builder.set(*slot, raw);
                }
            }
        }
        records.push(builder.finish(file, Location::Line(line)));
    }
    records
}
