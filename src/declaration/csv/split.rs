//! CSV records out of the guarded stream. A line without a quote, nearly every line of an
//! export, is split here at its separators in one pass over its bytes; a line whose quotes
//! wrap whole cells (`P1,"a, b",3`) is unquoted here too; any other record with a quote goes
//! through `csv_core`'s automaton, the one the `csv` crate reads with, so all give the
//! cells `csv::Reader` would (`tests` hold them to it on every shape of quotes, separators
//! and line breaks). The guard under it (`line_guard.rs`) has already bounded lines and
//! quotes, and counts the lines.

use std::io::{self, Read};

use super::super::line_guard::LineGuard;

/// One record's cells: their bytes, and where each ends. A line without quotes is taken
/// whole under the batch's reading lock and split at its separators later, by the worker
/// that decodes it (`split`); until then the cells are found by searching the line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvRow {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// What lies between a cell's end and the next one's start: 1 when `bytes` is the line
    /// with its separators (as it was, or its quoted cells unquoted); 0 when the cells are
    /// end to end (`csv_core` unquotes them so).
    gap: usize,
    /// `bytes` is a line not split yet, at this separator.
    unsplit: Option<u8>,
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
        match self.unsplit {
            Some(delimiter) => memchr::memchr_iter(delimiter, &self.bytes).count() + 1,
            None => self.ends.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell `index`, or `None` past the last.
    #[inline]
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        if let Some(delimiter) = self.unsplit {
            return self.bytes.split(move |&b| b == delimiter).nth(index);
        }
        self.bytes.get(self.range(index)?)
    }

    /// Where cell `index` lies in [`CsvRow::bytes`], once the row is split (`None` before,
    /// or past the last cell).
    #[inline]
    pub(crate) fn range(&self, index: usize) -> Option<std::ops::Range<usize>> {
        if self.unsplit.is_some() {
            return None;
        }
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1] + self.gap,
        };
        Some(start..end)
    }

    /// The cells' bytes, end to end or with their separators (see `gap`).
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[u8]> + ExactSizeIterator + '_ {
        (0..self.len()).map(|index| self.get(index).unwrap_or_default())
    }

    /// A line holding no quote and no line break, to be split at every `delimiter`.
    fn take_plain(&mut self, line: &[u8], delimiter: u8) {
        self.bytes.clear();
        self.bytes.extend_from_slice(line);
        self.ends.clear();
        self.unsplit = Some(delimiter);
    }

    /// Finds where the cells of a line taken whole end, so that `get` is a lookup. Each
    /// 64 bytes of the line give one mask, a bit a separator, built eight bytes at a time by
    /// arithmetic on the words; the loop that takes the mask's bits lowest first then ends
    /// once every 64 bytes, where a loop a word ended (and was mispredicted) once every 8.
    pub(crate) fn split(&mut self) {
        let Some(delimiter) = self.unsplit.take() else {
            return;
        };
        let ends = &mut self.ends;
        let mut blocks = self.bytes.chunks_exact(64);
        let mut base = 0;
        for block in &mut blocks {
            push_ends(ends, base, separators(block, delimiter));
            base += 64;
        }
        let rest = blocks.remainder();
        if !rest.is_empty() {
            let mut block = [0; 64];
            block[..rest.len()].copy_from_slice(rest);
            // The padding is no separator, whatever byte that is.
            let within = (1u64 << rest.len()) - 1;
            push_ends(ends, base, separators(&block, delimiter) & within);
        }
        ends.push(self.bytes.len());
        self.gap = 1;
    }
}

/// Bit `i` set where `block[i]` (64 bytes) is `delimiter`.
#[inline]
fn separators(block: &[u8], delimiter: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // Bit `8k` of a word to bit `56 + k`: the products of its eight bits land on distinct
    // bits, so no carry mixes them.
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let pattern = u64::from_ne_bytes([delimiter; 8]);
    let mut mask = 0;
    for (k, word) in block.chunks_exact(8).enumerate() {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(word);
        // A byte of `x` is zero where the word has the separator; `zeros` has the high bit
        // of exactly those bytes (no carry crosses a byte, unlike the shorter
        // `(x - 0x01..) & !x` test, which marks false ones above a true one).
        let x = u64::from_le_bytes(bytes) ^ pattern;
        let zeros = !(((x & LOW7) + LOW7) | x | LOW7);
        let byte = ((zeros >> 7).wrapping_mul(GATHER)) >> 56;
        mask |= byte << (8 * k);
    }
    mask
}

/// The cell ends a mask of separators gives, `base` the offset of its first byte.
#[inline]
fn push_ends(ends: &mut Vec<usize>, base: usize, mut mask: u64) {
    ends.reserve(mask.count_ones() as usize);
    while mask != 0 {
        ends.push(base + mask.trailing_zeros() as usize);
        mask &= mask - 1;
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
        if !self.core_started {
            // The first record, blank lines before it included: `csv_core` looks for a byte
            // order mark only at the very start, as `csv::Reader` does, and only in its
            // first input. That input holds four bytes at least (or the whole file),
            // however few each read gives: the mark, and one more, since an input that is
            // the mark alone is empty once the mark is off, which the automaton takes for
            // the file's end.
            while self.end - self.start < 4 && !self.exhausted {
                self.fill()?;
            }
            return self.read_quoted(row);
        }
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
        {
            // Search from the record's start for its end, as long as no quote comes first.
            let mut searched = 0;
            loop {
                let pending = &self.buffer[self.start..self.end];
                match memchr::memchr3(b'"', b'\n', b'\r', &pending[searched..]) {
                    Some(at) if pending[searched + at] != b'"' => {
                        let line = &pending[..searched + at];
                        row.take_plain(line, self.delimiter);
                        self.start += searched + at;
                        return Ok(true);
                    }
                    Some(_) => break,
                    None => {
                        searched = pending.len();
                        if !self.fill()? {
                            // The last record, with no line break after it.
                            let line = &self.buffer[self.start..self.end];
                            row.take_plain(line, self.delimiter);
                            self.start = self.end;
                            return Ok(true);
                        }
                    }
                }
            }
        }
        if self.take_quoted_cells(row) {
            return Ok(true);
        }
        self.read_quoted(row)
    }

    /// A record from `start` whose quotes only wrap whole cells of one line (`P1,"a, b",3`:
    /// how a spreadsheet writes a cell holding the separator), taken as `csv_core` would
    /// read it: into `row` as a plain line would be, its quoted cells unquoted (a doubled
    /// quote in quotes is one), the separators between cells kept. `false`, `row`'s cells
    /// left meaningless and `start` where it was, for any other record, which `csv_core`
    /// then reads: a quote inside a cell, bytes after a closing quote, a line break inside
    /// quotes, a line the buffer does not hold whole.
    fn take_quoted_cells(&mut self, row: &mut CsvRow) -> bool {
        let line = &self.buffer[self.start..self.end];
        let delimiter = self.delimiter;
        let (bytes, ends) = (&mut row.bytes, &mut row.ends);
        bytes.clear();
        ends.clear();
        // The line's end or the file's, past the last byte taken; `false` where the buffer
        // ends first.
        let ends_record = |byte: Option<&u8>| match byte {
            Some(b'\n' | b'\r') => Some(true),
            None if self.exhausted => Some(true),
            None => None,
            Some(_) => Some(false),
        };
        let mut at = 0;
        loop {
            // Cells without quotes, up to the next quote or line break.
            let rest = &line[at..];
            let stop = memchr::memchr3(b'"', b'\n', b'\r', rest).unwrap_or(rest.len());
            let plain = &rest[..stop];
            for (i, &byte) in plain.iter().enumerate() {
                if byte == delimiter {
                    ends.push(bytes.len() + i);
                }
            }
            bytes.extend_from_slice(plain);
            at += stop;
            match ends_record(line.get(at)) {
                Some(true) => break,
                None => return false,
                Some(false) => {}
            }
            // A quote opens a cell only at the cell's start.
            if at > 0 && line[at - 1] != delimiter {
                return false;
            }
            at += 1;
            loop {
                let Some(length) = memchr::memchr(b'"', &line[at..]) else {
                    return false;
                };
                let text = &line[at..at + length];
                if memchr::memchr2(b'\n', b'\r', text).is_some() {
                    return false;
                }
                bytes.extend_from_slice(text);
                at += length + 1;
                if line.get(at) != Some(&b'"') {
                    break;
                }
                bytes.push(b'"');
                at += 1;
            }
            // After the closing quote: a separator, or the record's end.
            match line.get(at) {
                Some(&byte) if byte == delimiter => {
                    ends.push(bytes.len());
                    bytes.push(delimiter);
                    at += 1;
                }
                byte => match ends_record(byte) {
                    Some(true) => break,
                    _ => return false,
                },
            }
        }
        ends.push(bytes.len());
        (row.gap, row.unsplit) = (1, None);
        // The line break is skipped before the next record, as after a plain line.
        self.start += at;
        true
    }

    /// A record through `csv_core`, from `start` (a record's first byte).
    fn read_quoted(&mut self, row: &mut CsvRow) -> io::Result<bool> {
        use csv_core::ReadRecordResult as Read;
        self.core_started = true;
        let (mut written, mut cells) = (0, 0);
        row.bytes.resize(row.bytes.capacity().max(256), 0);
        row.ends.resize(row.ends.capacity().max(64), 0);
        loop {
            if self.start == self.end && !self.exhausted {
                // An empty input would tell the automaton the file has ended.
                self.fill()?;
                continue;
            }
            let input = &self.buffer[self.start..self.end];
            let (result, read, wrote, ended) =
                self.core
                    .read_record(input, &mut row.bytes[written..], &mut row.ends[cells..]);
            self.start += read;
            written += wrote;
            cells += ended;
            match result {
                // More input, or at the guard's end an empty one (above).
                Read::InputEmpty => {}
                Read::OutputFull => row.bytes.resize(row.bytes.len() * 2, 0),
                Read::OutputEndsFull => row.ends.resize(row.ends.len() * 2, 0),
                Read::Record => {
                    (row.gap, row.unsplit) = (0, None);
                    row.bytes.truncate(written);
                    row.ends.truncate(cells);
                    return Ok(true);
                }
                Read::End => {
                    row.unsplit = None;
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
            // Found by searching the line, then by the split: the same cells.
            let searched: Vec<Vec<u8>> = row.iter().map(<[u8]>::to_vec).collect();
            row.split();
            let split: Vec<Vec<u8>> = row.iter().map(<[u8]>::to_vec).collect();
            assert_eq!(searched, split);
            assert_eq!(row.len(), split.len());
            all.push(split);
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
    fn cells_in_quotes_read_as_csv_reads_them() {
        // Taken without csv_core (quotes around whole cells of one line), then every shape
        // it must leave to csv_core, each at every buffer size around its bytes.
        let input = "id,a,b\nP1,\"x, y\",2\nP2,\"\",\"\"\r\nP3,\"a\",\nP4,\"é, è\"\r\
            P5,\"say \"\"hi\"\"\",1\nP6,\"a\"b,2\nP7,5\" x,\"y\"\nP8,\"two\nlines\",3\n\
            P9, \"a\",\"b\" ,\nP10,\"open";
        for chunk in 1..40 {
            assert_eq!(
                ours(input.as_bytes(), b',', chunk),
                theirs(input.as_bytes(), b',')
            );
        }
        let records = ours(input.as_bytes(), b',', 4096);
        assert_eq!(records[1], [&b"P1"[..], b"x, y", b"2"]);
        assert_eq!(records[2], [&b"P2"[..], b"", b""]);
        assert_eq!(records[4], [&b"P4"[..], "é, è".as_bytes()]);
        let semicolons = "id;a\n\"P1\";\"1;2\"\n\"P2\";\"3,4\"";
        for chunk in [1, 3, 7, 4096] {
            let ours = ours(semicolons.as_bytes(), b';', chunk);
            assert_eq!(ours, theirs(semicolons.as_bytes(), b';'));
        }
    }

    #[test]
    fn a_byte_order_mark_read_a_byte_at_a_time_is_taken_off() {
        for input in [&b"\xef\xbb\xbf"[..], b"\xef\xbb\xbfid,a\nP1,2\n"] {
            for chunk in 1..6 {
                assert_eq!(ours(input, b',', chunk), theirs(input, b','), "{chunk}");
            }
        }
    }

    #[test]
    fn a_byte_order_mark_after_a_blank_line_is_a_cell() {
        // Not at the very start: no byte order mark, a cell's bytes, as `csv` reads it.
        let input = b"\n\xef\xbb\xbf";
        assert_eq!(ours(input, b',', 5), theirs(input, b','));
        assert_eq!(ours(input, b',', 5).len(), 1);
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

    #[test]
    fn a_line_splits_at_every_separator_whatever_bytes_surround_it() {
        for delimiter in [b',', b';', b'\t', b'|'] {
            for offset in 0..16 {
                // Every byte but a quote or a line break, a separator every few of them.
                let mut line: Vec<u8> = (0..=255u8)
                    .filter(|b| !matches!(b, b'"' | b'\n' | b'\r'))
                    .collect();
                for at in (offset..line.len()).step_by(3 + offset % 5) {
                    line[at] = delimiter;
                }
                let mut row = CsvRow::new();
                row.take_plain(&line, delimiter);
                row.split();
                let expected: Vec<&[u8]> = line.split(|&b| b == delimiter).collect();
                assert_eq!(row.iter().collect::<Vec<_>>(), expected);
            }
            // Words with more separators than the four written at once.
            for gaps in ["", "a", "ab", "a,b"] {
                let d = delimiter as char;
                let line = format!("{d}{d}{d}{d}{d}{d}{d}{gaps}{d}{d}{d}{d}{d}x{d}{d}");
                let line = line.replace(',', &d.to_string());
                let mut row = CsvRow::new();
                row.take_plain(line.as_bytes(), delimiter);
                row.split();
                let expected: Vec<&[u8]> = line.as_bytes().split(|&b| b == delimiter).collect();
                assert_eq!(row.iter().collect::<Vec<_>>(), expected);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn any_bytes_read_as_csv_reads_them(
            bytes in proptest::collection::vec(
                prop_oneof![
                    Just(b'"'), Just(b','), Just(b';'), Just(b'\n'), Just(b'\r'),
                    Just(b'a'), Just(b' '), Just(0xefu8), Just(0xbbu8), Just(0xbfu8),
                    // Bytes next to the separators', where a word test could go wrong.
                    Just(b'+'), Just(b'-'), Just(b':'), Just(b'<'), Just(0x00u8), Just(0x80u8),
                ],
                0..300,
            ),
            chunk in 1usize..40,
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            prop_assert_eq!(ours(&bytes, delimiter, chunk), theirs(&bytes, delimiter));
        }

        #[test]
        fn lines_of_quoted_cells_read_as_csv_reads_them(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![
                        Just("P1"), Just(""), Just("\"a,b\""), Just("\"\""), Just("\"é; è\""),
                        Just("\"say \"\"hi\"\"\""), Just("\"\"\"\""), Just("\"a\"b"), Just("5\" x"),
                        Just(" \"a\""), Just("\"two\nlines\""), Just("\"open"), Just("a;b"),
                    ],
                    1..6,
                ),
                1..8,
            ),
            breaks in proptest::collection::vec(
                prop_oneof![Just("\n"), Just("\r\n"), Just("\r")], 8),
            chunk in 1usize..40,
            semicolon in any::<bool>(),
        ) {
            let (delimiter, separator) = if semicolon { (b';', ";") } else { (b',', ",") };
            let text: String = lines
                .iter()
                .zip(&breaks)
                .map(|(cells, line_break)| cells.join(separator) + line_break)
                .collect();
            let bytes = text.as_bytes();
            prop_assert_eq!(ours(bytes, delimiter, chunk), theirs(bytes, delimiter));
        }
    }
}
