//! The rows of a CSV file after its header, in order, each on the line the guard counted,
//! and the rejections of what the guard cut: a long line, a quote left open (a row over
//! several lines is rejected a line at a time), a file cut inside quotes.

use std::io::BufRead;

use super::super::line_guard::Cut;
use super::super::problem::{Malformed, RowRun};
use super::super::{RawRecord, ReadError, Record};
use super::split::{CsvRow, Records};
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
    reader: Records<R>,
    id_column: Option<usize>,
    /// The header's problems, to come first.
    header_rejection: Option<Record>,
    run: Option<Run>,
    done: bool,
}

impl<'a, R: BufRead> CsvRows<'a, R> {
    pub(super) fn new(
        file: &'a str,
        reader: Records<R>,
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

    fn id(&self, row: &CsvRow) -> Option<String> {
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
            let problem = malformed(Malformed::InsideQuotedField { opened });
            *slot = RawRecord::Ready(rejection(self.file, line, None, vec![problem]));
            return Ok(true);
        }
        if self.done {
            return Ok(false);
        }
        if !matches!(slot, RawRecord::Csv { .. }) {
            *slot = RawRecord::Csv {
                line: 0,
                row: CsvRow::new(),
            };
        }
        let RawRecord::Csv { line, row } = slot else {
            return Ok(false);
        };
        match self.reader.read(row) {
            Ok(true) => {}
            Ok(false) => {
                self.done = true;
                return Ok(false);
            }
            Err(error) => {
                self.done = true;
                let lines_read = self.reader.guard().state.lines_read();
                return Err(ReadError {
                    file: self.file.to_string(),
                    lines_read,
                    error,
                });
            }
        }
        let state = &mut self.reader.guard_mut().state;
        // The guard counted the lines (see line_guard.rs): the record's is the oldest it
        // holds. It cannot run short; if it did, the reader's own count is the best left.
        let start = match state.starts.pop_front() {
            Some(start) => start,
            None => state.lines_read() + 1,
        };
        *line = start;
        // The guard under the reader knows the lines it cut: a record over one of them is
        // rejected with the reason.
        if state.cuts.is_empty() {
            return Ok(true);
        }
        row.split();
        let end = start + row.iter().map(line_breaks).sum::<u64>();
        let Some((at, cut)) = state.take_cut(start..=end) else {
            return Ok(true);
        };
        let run = RowRun { start, end };
        let problem = malformed(match cut {
            Cut::LongLine => Malformed::RowTooLong { run },
            Cut::OpenQuote => Malformed::QuoteStillOpen { at, run },
            Cut::Unclosed => Malformed::QuoteNeverClosed { at, run },
            Cut::LineBreak => Malformed::RowLineBreak { at, run },
        });
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
