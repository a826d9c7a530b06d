//! The rows of a CSV file after its header, in order, each on the line the guard counted,
//! and the rejections of what the guard cut: a long line, a quote left open (a row over
//! several lines is rejected a line at a time), a file cut inside quotes.

use std::io::BufRead;

use super::super::line_guard::{Cut, LineGuard};
use super::super::{RawRecord, ReadError, Record, MAX_LINE_BYTES, MAX_QUOTED_LINES};
use super::{line_breaks, malformed, rejection};

/// The lines after the first of a record that runs over several (a quoted field holds line
/// breaks), each rejected on its own.
struct Run {
    /// The next line to reject, and the last.
    next: u64,
    end: u64,
    /// The line the quote opened on.
    opened: u64,
}

/// The rows after the header, in order; each read into the storage of a used one when the
/// batch hands one back.
pub(super) struct CsvRows<'a, R> {
    file: &'a str,
    reader: ::csv::Reader<LineGuard<R>>,
    id_column: Option<usize>,
    /// The header's problems, to come first.
    header_rejection: Option<Record>,
    run: Option<Run>,
    done: bool,
}

impl<'a, R: BufRead> CsvRows<'a, R> {
    pub(super) fn new(
        file: &'a str,
        reader: ::csv::Reader<LineGuard<R>>,
        id_column: Option<usize>,
        header_rejection: Option<Record>,
    ) -> Self {
        CsvRows {
            file,
            reader,
            id_column,
            header_rejection,
            run: None,
            done: false,
        }
    }

    fn id(&self, row: &::csv::ByteRecord) -> Option<String> {
        self.id_column
            .and_then(|c| row.get(c))
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
}

impl<R: BufRead> super::super::RawSource for CsvRows<'_, R> {
    fn next_into(&mut self, slot: &mut RawRecord) -> Result<bool, ReadError> {
        if let Some(header) = self.header_rejection.take() {
            *slot = RawRecord::Ready(header);
            return Ok(true);
        }
        if let Some(run) = &mut self.run {
            let (line, opened) = (run.next, run.opened);
            run.next += 1;
            if run.next > run.end {
                self.run = None;
            }
            let problem = malformed(
                format!(
                    "this line is inside the field quoted on line {opened}: it was read as \
                     part of that field, not as a row"
                ),
                Some(
                    "each quoted field closed on its line; a quote inside a field doubled (`\"\"`)"
                        .into(),
                ),
            );
            *slot = RawRecord::Ready(rejection(self.file, line, None, vec![problem]));
            return Ok(true);
        }
        if self.done {
            return Ok(false);
        }
        if !matches!(slot, RawRecord::Csv { .. }) {
            *slot = RawRecord::Csv {
                line: 0,
                row: ::csv::ByteRecord::new(),
            };
        }
        let RawRecord::Csv { line, row } = slot else {
            return Ok(false);
        };
        match self.reader.read_byte_record(row) {
            Ok(true) => {}
            Ok(false) => {
                self.done = true;
                return Ok(false);
            }
            Err(e) => {
                self.done = true;
                let lines_read = self.reader.get_ref().state.lines_read();
                let error = match e.into_kind() {
                    ::csv::ErrorKind::Io(e) => e,
                    other => std::io::Error::other(format!("{other:?}")),
                };
                return Err(ReadError {
                    file: self.file.to_string(),
                    lines_read,
                    error,
                });
            }
        }
        let state = &mut self.reader.get_mut().state;
        // The guard counted the lines (see line_guard.rs): the record's is the oldest it
        // holds. It cannot run short; if it did, the reader's own count is the best left.
        let start = match state.starts.pop_front() {
            Some(start) => start,
            None => row.position().map_or(0, |p| p.line()),
        };
        *line = start;
        // The guard under the reader knows the lines it cut: a record over one of them is
        // rejected with the reason.
        if state.cuts.is_empty() {
            return Ok(true);
        }
        let end = start + row.iter().map(line_breaks).sum::<u64>();
        let Some((at, cut)) = state.take_cut(start..=end) else {
            return Ok(true);
        };
        let each = match end - start {
            0 => String::new(),
            1 => format!(" (line {end} is rejected on its own)"),
            _ => format!(
                " (each of lines {} to {end} is rejected on its own)",
                start + 1
            ),
        };
        let problem = match cut {
            Cut::LongLine => malformed(
                format!("the line is longer than {} bytes{each}", MAX_LINE_BYTES),
                Some("one declaration a line".into()),
            ),
            Cut::OpenQuote => malformed(
                format!(
                    "a quote opened on line {at} is still open {MAX_QUOTED_LINES} lines \
                     further: lines {at} to {} were read as one row{each}",
                    at + u64::from(MAX_QUOTED_LINES)
                ),
                Some("each quoted field closed; a quote inside a field doubled (`\"\"`)".into()),
            ),
            Cut::Unclosed => malformed(
                format!(
                    "a quote opened on line {at} is never closed: the file ends inside it (was \
                     it cut short?){each}"
                ),
                Some("each quoted field closed; a quote inside a field doubled (`\"\"`)".into()),
            ),
            Cut::LineBreak => malformed(
                format!(
                    "a field quoted on line {at} holds a line break: lines {start} to {end} \
                     were read as one row{each}"
                ),
                Some("one declaration a line: each quote closed on its line".into()),
            ),
        };
        let id = self.id(row);
        if end > start {
            self.run = Some(Run {
                next: start + 1,
                end,
                opened: at,
            });
        }
        *slot = RawRecord::Ready(rejection(self.file, start, id, vec![problem]));
        Ok(true)
    }
}
