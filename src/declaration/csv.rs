//! CSV declarations: a header row of field names, then one professional a row, streamed.
//!
//! French spreadsheets export `;`: unless told, the separator is `;` when the header has a
//! `;` and no `,`, else `,`. A UTF-8 byte order mark is skipped. Reading is split in two so
//! that batches parse in parallel: the rows are read in order (cheap), and each row is
//! turned into a declaration by `CsvLayout::build`, which any thread may call.

use std::io::BufRead;

use super::line_guard::Cut;
use super::values;
use super::{
    Builder, Location, Problem, Raw, RawRecord, ReadOptions, Record, Rejection, MAX_QUOTED_LINES,
};
use crate::eval::value::Value;
use crate::eval::Declaration;
use crate::model::{CompiledRulebook, InputType, MissingRule, Slot, PROFESSION};

/// What a header column is.
#[derive(Clone, Copy, Debug)]
enum Column {
    Id,
    Input(Slot),
    /// A column the rulebook does not know, skipped (`ignore_unknown_fields`), or a
    /// duplicate already reported.
    Ignored,
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
}

/// What the header said, shared by every row.
#[derive(Clone, Debug)]
pub(crate) struct CsvLayout {
    columns: Vec<Column>,
    decoders: Vec<Decode>,
    /// Every slot's value when its cell is blank: its default, or missing.
    defaults: Vec<Value>,
    /// The slots no column gives (they keep their default).
    uncovered: Vec<Slot>,
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
pub(super) fn open<'a, R: BufRead + Send + 'a>(
    rulebook: &CompiledRulebook,
    file: &'a str,
    mut input: R,
    options: ReadOptions,
) -> (Option<CsvLayout>, Box<dyn super::RawSource + Send + 'a>) {
    let fail = |problem: Problem| -> (Option<CsvLayout>, Box<dyn super::RawSource + Send + 'a>) {
        let record = rejection(file, 1, None, vec![problem]);
        let once = std::iter::once(RawRecord::Ready(record));
        (None, Box::new(super::Fresh(once)))
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
    let guarded = super::line_guard::LineGuard::new(input, delimiter);
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
    let decoders = columns
        .iter()
        .map(|column| match *column {
            Column::Id => Decode::Id,
            Column::Ignored => Decode::Ignored,
            Column::Input(slot) => match &rulebook.inputs[slot].ty {
                InputType::YesNo => Decode::YesNo(slot),
                InputType::Count => Decode::Count(slot),
                InputType::Choice(_) => Decode::Choice(slot),
                InputType::Text => Decode::Text(slot),
                InputType::Decimal | InputType::Date => Decode::Other(slot),
            },
        })
        .collect();
    let defaults = rulebook
        .inputs
        .iter()
        .map(|input| match &input.missing {
            MissingRule::Default(v) => v.clone(),
            MissingRule::Error => Value::Missing,
        })
        .collect();
    let uncovered = (0..rulebook.inputs.len())
        .filter(|slot| {
            !columns
                .iter()
                .any(|c| matches!(c, Column::Input(s) if s == slot))
        })
        .collect();
    let layout = CsvLayout {
        columns,
        decoders,
        defaults,
        uncovered,
        problems,
        delimiter,
    };

    let id_column = layout.columns.iter().position(|c| matches!(c, Column::Id));
    let rows = CsvRows {
        file,
        reader,
        id_column,
        header_problems,
        any_row: false,
        done: false,
    };
    (Some(layout), Box::new(rows))
}

/// The rows after the header, in order; each read into the storage of a used one when the
/// batch hands one back.
struct CsvRows<'a, R> {
    file: &'a str,
    reader: ::csv::Reader<super::line_guard::LineGuard<R>>,
    id_column: Option<usize>,
    header_problems: Vec<Problem>,
    any_row: bool,
    done: bool,
}

impl<R: BufRead> super::RawSource for CsvRows<'_, R> {
    fn next_into(&mut self, slot: &mut RawRecord) -> bool {
        if self.done {
            return false;
        }
        if !matches!(slot, RawRecord::Csv { .. }) {
            *slot = RawRecord::Csv {
                line: 0,
                row: ::csv::ByteRecord::new(),
            };
        }
        let RawRecord::Csv { line, row } = slot else {
            return false;
        };
        match self.reader.read_byte_record(row) {
            Ok(true) => {}
            Ok(false) => {
                self.done = true;
                // A header with problems and no row still says what is wrong, once.
                if !self.any_row && !self.header_problems.is_empty() {
                    let problems = std::mem::take(&mut self.header_problems);
                    *slot = RawRecord::Ready(rejection(self.file, 1, None, problems));
                    return true;
                }
                return false;
            }
            Err(e) => {
                self.any_row = true;
                let line = e.position().map_or(0, |p| p.line());
                *slot = RawRecord::Ready(rejection(
                    self.file,
                    line,
                    None,
                    vec![malformed(format!("unreadable row: {e}"), None)],
                ));
                return true;
            }
        }
        self.any_row = true;
        *line = row.position().map_or(0, |p| p.line());
        // The guard under the reader knows the lines it cut: a record over one of them is
        // rejected with the reason.
        let cuts = &mut self.reader.get_mut().state.cuts;
        if !cuts.is_empty() {
            let start = *line;
            let end = start + row.iter().map(|f| line_breaks(f) as u64).sum::<u64>();
            // A cut says more than a line break (a quote left open holds both).
            let within = |&&(at, _): &&(u64, Cut)| (start..=end).contains(&at);
            let cut = cuts
                .iter()
                .filter(within)
                .find(|(_, cut)| *cut != Cut::LineBreak)
                .or_else(|| cuts.iter().find(within))
                .copied();
            // Cuts before this record's end belong to no later record.
            cuts.retain(|(at, _)| *at > end);
            if let Some((at, cut)) = cut {
                let id = self
                    .id_column
                    .and_then(|c| row.get(c))
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty());
                let problem = match cut {
                    Cut::LongLine => malformed(
                        format!("the line is longer than {} bytes", super::MAX_LINE_BYTES),
                        Some("one declaration a line".into()),
                    ),
                    Cut::OpenQuote => malformed(
                        format!(
                            "a quote opened on line {at} is still open {MAX_QUOTED_LINES} lines \
                             further: lines {at} to {} were read as this one row",
                            at + u64::from(MAX_QUOTED_LINES)
                        ),
                        Some(
                            "each quoted field closed; a quote inside a field doubled (`\"\"`)"
                                .into(),
                        ),
                    ),
                    Cut::LineBreak => malformed(
                        format!(
                            "a field quoted on line {at} holds a line break: the row runs over \
                             lines {start} to {end} (a quote left open takes the rows after it)"
                        ),
                        Some("one declaration a line: each quote closed on its line".into()),
                    ),
                };
                *slot = RawRecord::Ready(rejection(self.file, start, id, vec![problem]));
            }
        }
        true
    }
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

    /// A row straight into `into` (see `Reader::decode`): `false` at the first thing that is
    /// not plainly right (bad header, wrong width, a cell that does not read, no id, no
    /// profession), leaving `build` to say what. Each cell is read by the same function of
    /// `super::values` as `Builder::set` reads it with, in place: no allocation.
    pub(crate) fn decode(
        &self,
        rulebook: &CompiledRulebook,
        row: &::csv::ByteRecord,
        into: &mut Declaration,
    ) -> bool {
        if !self.problems.is_empty() || row.len() != self.decoders.len() {
            return false;
        }
        // Every slot is written once: from its cell, or its default when the cell is blank
        // or there is no column (as `Builder::finish` fills in defaults).
        into.values.resize(self.defaults.len(), Value::Missing);
        for &slot in &self.uncovered {
            into.values[slot].clone_from(&self.defaults[slot]);
        }
        let mut has_id = false;
        for (decoder, cell) in self.decoders.iter().zip(row.iter()) {
            // Each value is written straight into its slot: building it apart and moving it
            // in stalled on the copy in the profiles.
            match *decoder {
                Decode::Ignored => {
                    // `build` refuses a column that is not UTF-8, even one it skips.
                    if std::str::from_utf8(cell).is_err() {
                        return false;
                    }
                }
                Decode::Id => {
                    let Ok(text) = values::text(cell) else {
                        return false;
                    };
                    if text.is_empty() {
                        return false;
                    }
                    into.id.clear();
                    into.id.push_str(text);
                    has_id = true;
                }
                Decode::YesNo(slot)
                | Decode::Count(slot)
                | Decode::Choice(slot)
                | Decode::Text(slot)
                | Decode::Other(slot)
                    if values::blank(cell) =>
                {
                    into.values[slot].clone_from(&self.defaults[slot]);
                }
                Decode::YesNo(slot) => match values::yes_no(cell) {
                    Ok(b) => into.values[slot] = Value::YesNo(b),
                    Err(_) => return false,
                },
                Decode::Count(slot) => match values::count(cell) {
                    Ok(n) => into.values[slot] = Value::Count(n),
                    Err(_) => return false,
                },
                Decode::Choice(slot) => {
                    let InputType::Choice(choices) = &rulebook.inputs[slot].ty else {
                        return false;
                    };
                    match values::choice(choices, cell) {
                        Ok(i) => into.values[slot] = Value::Choice(i),
                        Err(_) => return false,
                    }
                }
                Decode::Text(slot) => {
                    let Ok(text) = values::text(cell) else {
                        return false;
                    };
                    match &mut into.values[slot] {
                        // The previous row's text: its buffer reused.
                        Value::Text(kept) => {
                            kept.clear();
                            kept.push_str(text);
                        }
                        other => *other = Value::Text(text.to_string()),
                    }
                }
                Decode::Other(slot) => match values::read(&rulebook.inputs[slot].ty, cell) {
                    Ok(value) => into.values[slot] = value,
                    Err(_) => return false,
                },
            }
        }
        has_id && into.values[PROFESSION] != Value::Missing
    }
}

/// Line breaks in a field (a quoted field may hold some).
fn line_breaks(field: &[u8]) -> usize {
    field.iter().filter(|&&b| b == b'\n').count()
}
