//! The guard between a CSV file and the CSV reader. It passes the bytes through, except that
//! no line may run over `MAX_LINE_BYTES` and no quoted field over `MAX_QUOTED_LINES` line
//! breaks: either would have the reader take the rest of the file into one record (a 2 GB
//! line; a quote left open on line 3 of a million). What is cut is recorded by line, so that
//! its record is rejected with the reason, and the reading goes on with the next line.
//!
//! It is also the one place that counts lines: a line ends at `\n`, `\r\n` or a lone `\r`
//! (what Excel, old Mac exports and Unix write), and the line each record begins on is
//! queued (`State::starts`) for the rows to take, blank lines skipped as the reader skips
//! them. The `csv` crate's own `Position::line()` counts `\n` only and says where it began
//! looking, not where the record begins: one line early with `\r\n`, always 1 with `\r`,
//! the blank line before a record.
//!
//! Quotes and records are followed as the `csv` crate reads them (csv-core's automaton),
//! not by counting: a quote opens a quoted field only at the start of a field; inside, `""`
//! is a quote and `"` ends it; a quote anywhere else is a character (`5" écran`); a `\r` or
//! `\n` outside quotes ends the record, and those before a record's first byte are skipped.

use std::collections::VecDeque;
use std::io::BufRead;

use super::MAX_LINE_BYTES;

/// A quoted field is closed after this many line breaks. Any line break in a field already
/// rejects its row (one declaration a line); this bounds how far a quote left open runs.
pub const MAX_QUOTED_LINES: u32 = 100;

/// What the guard noted at a line: a cut, or a quoted field's line break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cut {
    /// The line is longer than `MAX_LINE_BYTES`: the rest of it was dropped.
    LongLine,
    /// A quote opened on this line was still open `MAX_QUOTED_LINES` line breaks later: the
    /// guard closed it there.
    OpenQuote,
    /// A quote opened on this line is still open at the end of the file (the file was cut).
    Unclosed,
    /// Not a cut: a field quoted on this line holds a line break, so its row runs over
    /// several lines (a quote left open takes the rows after it into its own).
    LineBreak,
}

/// Where the reader is, as far as quotes go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quote {
    /// Outside quotes; `field_start` when the last byte ended a field (or nothing was read).
    Outside { field_start: bool },
    /// Inside a field quoted on line `since`, with `breaks` line breaks so far.
    Inside { since: u64, breaks: u32 },
    /// A quote inside a quoted field: `""` if the next byte is a quote, else the field's end.
    Closing { since: u64, breaks: u32 },
}

pub(crate) struct LineGuard<R> {
    inner: R,
    pub(crate) state: State,
}

/// What the guard knows of the input read so far.
pub(crate) struct State {
    delimiter: u8,
    /// The line being read (1-based).
    line: u64,
    /// Bytes of that line so far, line break excluded.
    length: usize,
    /// The last byte was a `\r`: a `\n` now completes its line break.
    after_cr: bool,
    /// Outside quotes, after a record's end (or at the start): the next byte that is not a
    /// line break begins a record.
    between_records: bool,
    quote: Quote,
    /// A closing quote to write before the next line break (a cut inside quotes).
    pending_quote: bool,
    /// The end of the input was met.
    ended: bool,
    /// What was cut, and the fields that hold line breaks, by line.
    pub(crate) cuts: Vec<(u64, Cut)>,
    /// The lines the records passed on begin on, oldest first, until the rows take them
    /// (the reader reads ahead of the rows it returns; its buffer bounds this queue).
    pub(crate) starts: VecDeque<u64>,
    /// Tests: always take the byte-by-byte path, to hold the fast path to it.
    #[cfg(test)]
    bytewise: bool,
}

impl<R: BufRead> LineGuard<R> {
    pub(crate) fn new(inner: R, delimiter: u8) -> Self {
        LineGuard {
            inner,
            state: State {
                delimiter,
                line: 1,
                length: 0,
                after_cr: false,
                between_records: true,
                quote: Quote::Outside { field_start: true },
                pending_quote: false,
                ended: false,
                cuts: Vec::new(),
                starts: VecDeque::new(),
                #[cfg(test)]
                bytewise: false,
            },
        }
    }
}

impl State {
    /// What the guard cut within `lines` (a record's, or the header's): a long line or a
    /// quote left open rather than a mere line break, as they say more; and forgets every
    /// cut up to the last of those lines, which belongs to no later record.
    pub(crate) fn take_cut(&mut self, lines: std::ops::RangeInclusive<u64>) -> Option<(u64, Cut)> {
        let within = |&&(at, _): &&(u64, Cut)| lines.contains(&at);
        let cut = self
            .cuts
            .iter()
            .filter(within)
            .find(|(_, cut)| *cut != Cut::LineBreak)
            .or_else(|| self.cuts.iter().find(within))
            .copied();
        let end = *lines.end();
        self.cuts.retain(|(at, _)| *at > end);
        cut
    }

    /// The lines read whole so far (for "cannot read the file after line N").
    pub(crate) fn lines_read(&self) -> u64 {
        self.line - 1
    }

    fn ends_field(&self, byte: u8) -> bool {
        byte == self.delimiter || byte == b'\n' || byte == b'\r'
    }

    /// Whether `byte` ends a line: `\r`, or `\n` unless it completes a `\r\n`.
    fn breaks_line(&self, byte: u8) -> bool {
        byte == b'\r' || (byte == b'\n' && !self.after_cr)
    }

    /// A line break here would give a quoted field more than `MAX_QUOTED_LINES`: the field
    /// is to be closed before it.
    fn must_close(&self) -> bool {
        matches!(self.quote, Quote::Inside { breaks, .. } if breaks >= MAX_QUOTED_LINES)
    }

    /// One byte through the record, quote and line state (its length counted by the caller).
    fn step(&mut self, byte: u8) {
        let terminator = byte == b'\r' || byte == b'\n';
        let breaks = self.breaks_line(byte);
        if self.between_records && !terminator {
            self.starts.push_back(self.line);
            self.between_records = false;
        }
        self.quote = match self.quote {
            Quote::Closing { since, breaks } if byte == b'"' => Quote::Inside { since, breaks },
            Quote::Outside { field_start: true } if byte == b'"' => Quote::Inside {
                since: self.line,
                breaks: 0,
            },
            Quote::Closing { .. } | Quote::Outside { .. } => {
                self.between_records |= terminator;
                Quote::Outside {
                    field_start: self.ends_field(byte),
                }
            }
            Quote::Inside { since, breaks } if byte == b'"' => Quote::Closing { since, breaks },
            Quote::Inside { since, breaks: n } if breaks => {
                if n == 0 {
                    self.cuts.push((since, Cut::LineBreak));
                }
                Quote::Inside {
                    since,
                    breaks: n.saturating_add(1),
                }
            }
            inside @ Quote::Inside { .. } => inside,
        };
        if breaks {
            self.line += 1;
            self.length = 0;
        }
        self.after_cr = byte == b'\r';
    }

    /// A run of bytes none of which is a quote or a line break: as `step` on each, at once.
    fn ordinary(&mut self, run: &[u8]) {
        let Some(&last) = run.last() else {
            return;
        };
        if self.between_records {
            self.starts.push_back(self.line);
            self.between_records = false;
        }
        self.length += run.len();
        self.after_cr = false;
        if !matches!(self.quote, Quote::Inside { .. }) {
            self.quote = Quote::Outside {
                field_start: self.ends_field(last),
            };
        }
    }

    /// `block` through the state, jumping from quote or line break to the next, when
    /// nothing in it needs cutting; `false` (and the state as it was) otherwise, for the
    /// byte loop to handle it.
    fn scan(&mut self, block: &[u8]) -> bool {
        if self.length + block.len() > MAX_LINE_BYTES {
            return false;
        }
        let saved = (
            self.line,
            self.length,
            self.after_cr,
            self.between_records,
            self.quote,
            self.cuts.len(),
            self.starts.len(),
        );
        let mut pos = 0;
        while pos < block.len() {
            let Some(i) = memchr::memchr3(b'"', b'\n', b'\r', &block[pos..]) else {
                self.ordinary(&block[pos..]);
                break;
            };
            self.ordinary(&block[pos..pos + i]);
            let byte = block[pos + i];
            if self.breaks_line(byte) && self.must_close() {
                let (line, length, after_cr, between, quote, cuts, starts) = saved;
                (self.line, self.length, self.after_cr) = (line, length, after_cr);
                (self.between_records, self.quote) = (between, quote);
                self.cuts.truncate(cuts);
                self.starts.truncate(starts);
                return false;
            }
            if byte == b'"' {
                self.length += 1;
            }
            self.step(byte);
            pos += i + 1;
        }
        true
    }
}

impl<R: BufRead> std::io::Read for LineGuard<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let available = self.inner.fill_buf()?;
            let state = &mut self.state;
            if available.is_empty() {
                if !state.ended {
                    state.ended = true;
                    if let Quote::Inside { since, .. } = state.quote {
                        state.cuts.push((since, Cut::Unclosed));
                    }
                }
                return Ok(0);
            }
            let n = available.len().min(out.len());
            #[cfg(test)]
            let fast = !state.bytewise;
            #[cfg(not(test))]
            let fast = true;
            if fast && !state.pending_quote && state.scan(&available[..n]) {
                out[..n].copy_from_slice(&available[..n]);
                self.inner.consume(n);
                return Ok(n);
            }
            // Byte by byte: near a cut, or where one is to be made.
            let mut written = 0;
            let mut consumed = 0;
            for &byte in available {
                if written == out.len() {
                    break;
                }
                if state.breaks_line(byte) {
                    if !state.pending_quote && state.must_close() {
                        // A quote open for too many lines: close it before this line break.
                        if let Quote::Inside { since, .. } = state.quote {
                            state.cuts.push((since, Cut::OpenQuote));
                        }
                        state.pending_quote = true;
                    }
                    if state.pending_quote {
                        // Close the quote, then the line break on the next pass.
                        state.pending_quote = false;
                        state.quote = match state.quote {
                            Quote::Inside { since, breaks } => Quote::Closing { since, breaks },
                            other => other,
                        };
                        out[written] = b'"';
                        written += 1;
                        break;
                    }
                } else if byte != b'\n' {
                    state.length += 1;
                    if state.length > MAX_LINE_BYTES {
                        if state.length == MAX_LINE_BYTES + 1 {
                            state.cuts.push((state.line, Cut::LongLine));
                            // Inside quotes, the line break would not end the record.
                            state.pending_quote = matches!(state.quote, Quote::Inside { .. });
                        }
                        consumed += 1;
                        continue; // dropped
                    }
                }
                state.step(byte);
                consumed += 1;
                out[written] = byte;
                written += 1;
            }
            self.inner.consume(consumed);
            if written > 0 {
                return Ok(written);
            }
            // Everything consumed was dropped: read on.
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::io::Read;

    use super::*;

    /// Everything the guard lets through, read `chunk` bytes at a time, what it cut, and the
    /// lines its records begin on.
    fn guarded(input: &[u8], chunk: usize, bytewise: bool) -> (Vec<u8>, Vec<(u64, Cut)>, Vec<u64>) {
        let mut guard = LineGuard::new(std::io::BufReader::with_capacity(chunk, input), b',');
        guard.state.bytewise = bytewise;
        let mut out = Vec::new();
        let mut buffer = vec![0; chunk];
        loop {
            let n = guard.read(&mut buffer).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buffer[..n]);
        }
        (
            out,
            guard.state.cuts,
            guard.state.starts.into_iter().collect(),
        )
    }

    fn through(input: &[u8], chunk: usize, bytewise: bool) -> (Vec<u8>, Vec<(u64, Cut)>) {
        let (out, cuts, _) = guarded(input, chunk, bytewise);
        (out, cuts)
    }

    /// The lines the records of `input` begin on.
    fn starts_of(input: &[u8]) -> Vec<u64> {
        guarded(input, 4096, true).2
    }

    #[test]
    fn the_fast_path_follows_quotes_as_the_byte_loop_does() {
        let mut seed: u64 = 11;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let alphabet = [b'a', b',', b'"', b'\n', b'\r', b';', b'"', b'\n'];
        let mut opened = 0;
        for _ in 0..3000 {
            let len = next(600) as usize;
            let mut input: Vec<u8> = (0..len).map(|_| alphabet[next(8) as usize]).collect();
            if next(4) == 0 {
                // A quote left open over many lines.
                input.extend_from_slice(b"x,\"open");
                input.extend(std::iter::repeat_n(b"\nrow,1".as_slice(), 130).flatten());
            }
            let chunk = 1 + next(64) as usize;
            let fast = guarded(&input, chunk, false);
            let slow = guarded(&input, chunk, true);
            assert_eq!(fast, slow, "input {:?}", String::from_utf8_lossy(&input));
            // One line noted for each record the CSV reader reads from what is let through.
            let records = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&fast.0[..])
                .byte_records()
                .count();
            assert_eq!(
                fast.2.len(),
                records,
                "input {:?}",
                String::from_utf8_lossy(&input)
            );
            assert!(fast.2.windows(2).all(|w| w[0] < w[1]));
            let fast = (fast.0, fast.1);
            // A quote is closed exactly when the CSV reader itself is inside a quoted field
            // that long: some field of the input, as the reader reads it, holds more line
            // breaks than allowed.
            let longest = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&input[..])
                .byte_records()
                .map(|r| r.unwrap())
                .flat_map(|r| {
                    r.iter()
                        // Line breaks as the guard counts them: `\r\n`, `\r`, `\n`.
                        .map(|f| {
                            let crlf = f.windows(2).filter(|w| w == b"\r\n").count();
                            f.iter().filter(|&&b| b == b'\n' || b == b'\r').count() - crlf
                        })
                        .collect::<Vec<_>>()
                })
                .max()
                .unwrap_or(0);
            let cut = fast.1.iter().any(|(_, cut)| *cut == Cut::OpenQuote);
            assert_eq!(
                cut,
                longest > MAX_QUOTED_LINES as usize,
                "input {:?}",
                String::from_utf8_lossy(&input)
            );
            // And a line break inside a field is noted exactly when the reader has one.
            let noted = fast.1.iter().any(|(_, cut)| *cut == Cut::LineBreak);
            assert_eq!(
                noted,
                longest > 0,
                "input {:?}",
                String::from_utf8_lossy(&input)
            );
            opened += usize::from(cut);
        }
        assert!(opened > 100, "{opened} inputs with a quote left open");
    }

    #[test]
    fn a_quote_left_open_is_closed_after_the_allowed_lines() {
        let mut input = b"id,lieux\nP1,\"EHPAD\nP2,x".to_vec();
        for i in 3..300 {
            input.extend_from_slice(format!("\nP{i},x").as_bytes());
        }
        let (out, cuts) = through(&input, 4096, false);
        assert_eq!(cuts, vec![(2, Cut::LineBreak), (2, Cut::OpenQuote)]);
        // The quote is closed at the end of line 102 (100 line breaks inside it).
        let text = String::from_utf8(out).unwrap();
        let line_102 = text.split('\n').nth(101).unwrap();
        assert_eq!(line_102, "P101,x\"");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.records().count(), 1 + (299 - 101));
    }

    #[test]
    fn quotes_inside_a_field_are_characters() {
        // `5" écran` and `a"b` are read by the CSV reader as they are: no quoted field opens.
        let mut input = b"id,note\n".to_vec();
        for i in 0..300 {
            input.extend_from_slice(format!("P{i},5\" écran\nQ{i},a\"b\n").as_bytes());
        }
        let (out, cuts) = through(&input, 4096, false);
        assert!(cuts.is_empty());
        assert_eq!(out, input);
    }

    #[test]
    fn a_doubled_quote_stays_inside_the_field() {
        let input = b"id,note\nP1,\"il dit \"\"oui\"\"\nsur deux lignes\"\nP2,x\n";
        let (out, cuts) = through(input, 3, false);
        // Passed through as it is; the field's line break is noted.
        assert_eq!(cuts, vec![(2, Cut::LineBreak)]);
        assert_eq!(out, input);
    }

    #[test]
    fn records_begin_on_their_real_lines_whatever_the_line_ends() {
        // LF, CRLF, CR, blank lines, and a quoted field over two lines.
        for end in ["\n", "\r\n", "\r"] {
            let text = ["id,a", "P1,1", "", "", "P2,2", "P3,\"x", "y\"", "P4,4"].join(end);
            assert_eq!(starts_of(text.as_bytes()), vec![1, 2, 5, 6, 8], "{end:?}");
        }
        // Mixed, and a line break right at the end.
        assert_eq!(starts_of(b"id\r\nP1\rP2\n\r\nP3\n"), vec![1, 2, 3, 5]);
        // Chunk boundaries between `\r` and `\n` count one line break, not two.
        for chunk in 1..8 {
            let (_, _, starts) = guarded(b"id\r\nP1\r\n\r\nP2\r\n", chunk, false);
            assert_eq!(starts, vec![1, 2, 4], "chunk {chunk}");
        }
    }

    #[test]
    fn a_quote_still_open_at_the_end_of_the_file_is_noted() {
        let (_, cuts) = through(b"id,a\nP1,\"abc", 4096, false);
        assert_eq!(cuts, vec![(2, Cut::Unclosed)]);
        let (_, cuts) = through(b"id,a\nP1,\"abc\"", 4096, false);
        assert!(cuts.is_empty());
    }

    #[test]
    fn lines_ended_by_cr_alone_are_lines() {
        // 3 MiB of short lines ended by `\r`: none is over the limit.
        let mut input = b"id,a\r".to_vec();
        for i in 0..200_000 {
            input.extend_from_slice(format!("P{i},1234567\r").as_bytes());
        }
        let (out, cuts, starts) = guarded(&input, 1 << 16, false);
        assert!(cuts.is_empty());
        assert_eq!(out, input);
        assert_eq!(starts.len(), 200_001);
        assert_eq!(starts.last(), Some(&200_001));
        // A stray quote among them is closed after the allowed lines, as with `\n`.
        let mut input = b"id,a\rP1,\"x".to_vec();
        for i in 0..300 {
            input.extend_from_slice(format!("\rP{i},1").as_bytes());
        }
        let (_, cuts, _) = guarded(&input, 4096, false);
        assert_eq!(cuts, vec![(2, Cut::LineBreak), (2, Cut::OpenQuote)]);
    }

    #[test]
    fn a_long_line_ended_by_crlf_keeps_its_line_end() {
        let mut input = b"id,a\r\nP1,".to_vec();
        input.extend(std::iter::repeat_n(b'9', MAX_LINE_BYTES + 10));
        input.extend_from_slice(b"\r\nP2,1\r\n");
        let (out, cuts, starts) = guarded(&input, 1 << 16, false);
        assert_eq!(cuts, vec![(2, Cut::LongLine)]);
        assert_eq!(starts, vec![1, 2, 3]);
        assert!(out.ends_with(b"9\r\nP2,1\r\n"));
    }
}
