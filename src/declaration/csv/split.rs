//! CSV records out of the guarded stream. A line without a quote, nearly every line of an
//! export, is split here at its separators in one pass over its bytes; a record with a
//! quote anywhere goes through `csv_core`'s automaton, the one the `csv` crate reads with,
//! so both give the cells `csv::Reader` would (`tests` hold them to it on every shape of
//! quotes, separators and line breaks). The guard under it (`line_guard.rs`) has already
//! bounded lines and quotes, and counts the lines.

use std::io::{self, Read};

use super::super::line_guard::LineGuard;

/// One record's cells: their bytes, and where each ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvRow {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// What lies between a cell's end and the next one's start: 1 when `bytes` is the line
    /// as it was, separators in it; 0 when the cells are end to end (`csv_core` unquotes
    /// them so).
    gap: usize,
}

impl CsvRow {
    pub fn new() -> CsvRow {
        CsvRow::default()
    }

    /// A row of these cells (tests, and rows made by hand).
    pub fn from_cells<'c>(cells: impl IntoIterator<Item = &'c [u8]>) -> CsvRow {
        let mut row = CsvRow::new();
        for cell in cells {
            row.bytes.extend_from_slice(cell);
            row.ends.push(row.bytes.len());
        }
        row
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Cell `index`, or `None` past the last.
    #[inline]
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] + self.gap,
        };
        self.bytes.get(start..end)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[u8]> + ExactSizeIterator + '_ {
        (0..self.len()).map(|index| self.get(index).unwrap_or_default())
    }

    /// The cells of a line holding no quote and no line break: split at every `delimiter`.
    fn split_plain(&mut self, line: &[u8], delimiter: u8) {
        self.bytes.clear();
        self.bytes.extend_from_slice(line);
        self.ends.clear();
        for (at, &byte) in line.iter().enumerate() {
            if byte == delimiter {
                self.ends.push(at);
            }
        }
        self.ends.push(line.len());
        self.gap = 1;
    }
}

/// The smallest read from the guard, and the first size of the buffer: a line longer than
/// what is left grows it, up to the longest line the guard lets through.
const CHUNK: usize = 64 * 1024;

/// Records read from the guard, in order.
pub(crate) struct Records<R> {
    guard: LineGuard<R>,
    delimiter: u8,
    /// Bytes read from the guard; `buffer[start..end]` not yet taken by a record.
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    /// The guard has nothing more.
    exhausted: bool,
    /// For records with a quote. It never sees the first record, which it would search for
    /// a byte order mark (`forfait` takes that off before the guard); see `read`.
    core: csv_core::Reader,
    /// `core` has read a record: it will look for no byte order mark any more.
    core_started: bool,
}

impl<R: io::BufRead> Records<R> {
    pub(crate) fn new(guard: LineGuard<R>, delimiter: u8) -> Records<R> {
        Records {
            guard,
            delimiter,
            buffer: vec![0; CHUNK],
            start: 0,
            end: 0,
            exhausted: false,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            core_started: false,
        }
    }

    pub(crate) fn guard(&self) -> &LineGuard<R> {
        &self.guard
    }

    pub(crate) fn guard_mut(&mut self) -> &mut LineGuard<R> {
        &mut self.guard
    }

    /// More bytes from the guard after `end`, keeping the untaken ones; `false` at its end.
    fn fill(&mut self) -> io::Result<bool> {
        if self.exhausted {
            return Ok(false);
        }
        if self.start > 0 {
            self.buffer.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.buffer.len() - self.end < CHUNK {
            self.buffer.resize(self.end + CHUNK, 0);
        }
        let n = loop {
            match self.guard.read(&mut self.buffer[self.end..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.end += n;
        self.exhausted = n == 0;
        Ok(n > 0)
    }

    /// The next record into `row`; `false` at the end of the input. Line breaks before a
    /// record are skipped, as `csv` skips them (a blank line is no record).
    pub(crate) fn read(&mut self, row: &mut CsvRow) -> io::Result<bool> {
        loop {
            let pending = &self.buffer[self.start..self.end];
            let skipped = pending
                .iter()
                .position(|&b| b != b'\n' && b != b'\r')
                .unwrap_or(pending.len());
            self.start += skipped;
            if self.start < self.end {
                break;
            }
            if !self.fill()? {
                return Ok(false);
            }
        }
        if self.core_started {
            // Search from the record's start for its end, as long as no quote comes first.
            let mut searched = 0;
            loop {
                let pending = &self.buffer[self.start..self.end];
                match memchr::memchr3(b'"', b'\n', b'\r', &pending[searched..]) {
                    Some(at) if pending[searched + at] != b'"' => {
                        let line = &pending[..searched + at];
                        row.split_plain(line, self.delimiter);
                        self.start += searched + at;
                        return Ok(true);
                    }
                    Some(_) => break,
                    None => {
                        searched = pending.len();
                        if !self.fill()? {
                            // The last record, with no line break after it.
                            let line = &self.buffer[self.start..self.end];
                            row.split_plain(line, self.delimiter);
                            self.start = self.end;
                            return Ok(true);
                        }
                    }
                }
            }
        }
        self.read_quoted(row)
    }

    /// A record through `csv_core`, from `start` (a record's first byte).
    fn read_quoted(&mut self, row: &mut CsvRow) -> io::Result<bool> {
        use csv_core::ReadRecordResult as Read;
        self.core_started = true;
        let (mut written, mut cells) = (0, 0);
        row.bytes.resize(row.bytes.capacity().max(256), 0);
        row.ends.resize(row.ends.capacity().max(64), 0);
        loop {
            let input = &self.buffer[self.start..self.end];
            let (result, read, wrote, ended) =
                self.core
                    .read_record(input, &mut row.bytes[written..], &mut row.ends[cells..]);
            self.start += read;
            written += wrote;
            cells += ended;
            match result {
                Read::InputEmpty => {
                    // At the guard's end, an empty input tells the automaton so.
                    self.fill()?;
                }
                Read::OutputFull => row.bytes.resize(row.bytes.len() * 2, 0),
                Read::OutputEndsFull => row.ends.resize(row.ends.len() * 2, 0),
                Read::Record => {
                    row.gap = 0;
                    row.bytes.truncate(written);
                    row.ends.truncate(cells);
                    return Ok(true);
                }
                Read::End => {
                    row.bytes.clear();
                    row.ends.clear();
                    return Ok(false);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;

    use super::*;

    /// Every record of `input` as this module reads it, `chunk` bytes at a time from below.
    fn ours(input: &[u8], delimiter: u8, chunk: usize) -> Vec<Vec<Vec<u8>>> {
        let inner = std::io::BufReader::with_capacity(chunk, input);
        let mut records = Records::new(LineGuard::new(inner, delimiter), delimiter);
        let mut row = CsvRow::new();
        let mut all = Vec::new();
        while records.read(&mut row).unwrap() {
            all.push(row.iter().map(<[u8]>::to_vec).collect());
        }
        all
    }

    /// The same, as the `csv` crate reads it through the same guard.
    fn theirs(input: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let inner = std::io::BufReader::new(input);
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(LineGuard::new(inner, delimiter));
        reader
            .byte_records()
            .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
            .collect()
    }

    #[test]
    fn plain_and_quoted_lines_read_as_csv_reads_them() {
        let input = b"id,a,b\r\nP1,1,2\r\n\r\nP2,\"x,y\",\"say \"\"hi\"\"\"\nP3,5\" screen,\n\"P4\nsplit\",3\rP5,,\n";
        assert_eq!(ours(input, b',', 7), theirs(input, b','));
        assert_eq!(ours(input, b',', 4096), theirs(input, b','));
        assert_eq!(ours(input, b',', 4096)[2][2], b"say \"hi\"".to_vec());
    }

    #[test]
    fn the_last_line_may_have_no_line_break() {
        assert_eq!(
            ours(b"a;b\n1;2", b';', 3),
            vec![
                vec![b"a".to_vec(), b"b".to_vec()],
                vec![b"1".to_vec(), b"2".to_vec()]
            ]
        );
        assert_eq!(
            ours(b"a;b\n\"1\";2", b';', 3),
            theirs(b"a;b\n\"1\";2", b';')
        );
        assert!(ours(b"", b',', 3).is_empty());
        assert!(ours(b"\r\n\n", b',', 3).is_empty());
    }

    #[test]
    fn a_line_longer_than_the_buffer_is_read_whole() {
        let long = format!("id,x\nP1,{}\nP2,2\n", "y".repeat(3 * CHUNK));
        assert_eq!(
            ours(long.as_bytes(), b',', 1000),
            theirs(long.as_bytes(), b',')
        );
    }

    #[test]
    fn a_byte_order_mark_inside_the_file_is_a_cell_s_bytes() {
        let input = "id\n\u{feff}P1\n\"\u{feff}P2\"\n\u{feff}\"P3\"\n";
        assert_eq!(
            ours(input.as_bytes(), b',', 5),
            theirs(input.as_bytes(), b',')
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn any_bytes_read_as_csv_reads_them(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b'"'), Just(b','), Just(b';'), Just(b'\n'), Just(b'\r'),
                    Just(b'a'), Just(b' '), Just(0xefu8), Just(0xbbu8), Just(0xbfu8),
                ],
                0..200,
            ),
            chunk in 1usize..40,
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            prop_assert_eq!(ours(&bytes, delimiter, chunk), theirs(&bytes, delimiter));
        }
    }
}
