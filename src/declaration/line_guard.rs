//! The guard between a CSV file and the CSV reader. It passes the bytes through, except that
//! no line may run over `MAX_LINE_BYTES` and no quoted field over `MAX_QUOTED_LINES` line
//! breaks: either would have the reader take the rest of the file into one record (a 2 GB
//! line; a quote left open on line 3 of a million). What is cut is recorded by line, so that
//! its record is rejected with the reason, and the reading goes on with the next line.
//!
//! Quotes are followed as the `csv` crate reads them, not by counting them: a quote opens a
//! quoted field only at the start of a field; inside, `""` is a quote and `"` ends it; a
//! quote anywhere else is a character (`5" écran`).

use std::io::BufRead;

use super::MAX_LINE_BYTES;

/// A quoted field is closed after this many line breaks. Any line break in a field already
/// rejects its row (one declaration a line); this bounds how much of the file the rejected
/// row takes when a quote was left open.
pub const MAX_QUOTED_LINES: u32 = 100;

/// What the guard noted at a line: a cut, or a quoted field's line break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cut {
    /// The line is longer than `MAX_LINE_BYTES`: the rest of it was dropped.
    LongLine,
    /// A quote opened on this line was still open `MAX_QUOTED_LINES` line breaks later: the
    /// guard closed it there.
    OpenQuote,
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
    quote: Quote,
    /// A closing quote to write before the next line break (a cut inside quotes).
    pending_quote: bool,
    /// What was cut, and the fields that hold line breaks, by line.
    pub(crate) cuts: Vec<(u64, Cut)>,
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
                quote: Quote::Outside { field_start: true },
                pending_quote: false,
                cuts: Vec::new(),
                #[cfg(test)]
                bytewise: false,
            },
        }
    }
}

impl State {
    fn ends_field(&self, byte: u8) -> bool {
        byte == self.delimiter || byte == b'\n' || byte == b'\r'
    }

    /// The state after `block`, when nothing in it needs cutting; `None` otherwise (the byte
    /// loop then handles it). Jumps from quote to quote: the bytes between them only count
    /// line breaks, which vectorises.
    fn scan(&self, block: &[u8], multiline: &mut Vec<u64>) -> Option<Quote> {
        if self.length + block.len() > MAX_LINE_BYTES {
            return None;
        }
        let n = block.len();
        let mut quote = self.quote;
        let mut pos = 0;
        // The line at `counted`, advanced as quotes are met.
        let (mut line, mut counted) = (self.line, 0);
        while pos < n {
            quote = match quote {
                Quote::Closing { since, breaks } if block[pos] == b'"' => {
                    pos += 1;
                    Quote::Inside { since, breaks }
                }
                // The field ended; this byte is looked at outside quotes.
                Quote::Closing { .. } => Quote::Outside { field_start: false },
                Quote::Inside { since, breaks } => {
                    let end = block[pos..]
                        .iter()
                        .position(|&b| b == b'"')
                        .map(|i| pos + i);
                    let more = count_byte(&block[pos..end.unwrap_or(n)], b'\n');
                    let breaks = breaks.saturating_add(u32::try_from(more).unwrap_or(u32::MAX));
                    if breaks > MAX_QUOTED_LINES {
                        return None;
                    }
                    if more > 0 && breaks == more as u32 {
                        multiline.push(since);
                    }
                    match end {
                        Some(q) => {
                            pos = q + 1;
                            Quote::Closing { since, breaks }
                        }
                        None => {
                            pos = n;
                            Quote::Inside { since, breaks }
                        }
                    }
                }
                Quote::Outside { field_start } => {
                    match block[pos..].iter().position(|&b| b == b'"') {
                        None => {
                            pos = n;
                            Quote::Outside { field_start }
                        }
                        Some(i) => {
                            let q = pos + i;
                            let starts = match q {
                                0 => field_start,
                                _ => self.ends_field(block[q - 1]),
                            };
                            pos = q + 1;
                            if starts {
                                line += count_byte(&block[counted..q], b'\n') as u64;
                                counted = q;
                                Quote::Inside {
                                    since: line,
                                    breaks: 0,
                                }
                            } else {
                                Quote::Outside { field_start: false }
                            }
                        }
                    }
                }
            };
        }
        if let (Quote::Outside { .. }, Some(&last)) = (quote, block.last()) {
            quote = Quote::Outside {
                field_start: self.ends_field(last),
            };
        }
        Some(quote)
    }

    /// One byte through the quote state; `true` when it is a line break that would give a
    /// quoted field more than `MAX_QUOTED_LINES` (the field is to be closed before it).
    fn step(&mut self, byte: u8) -> bool {
        let quote = match self.quote {
            Quote::Closing { since, breaks } if byte == b'"' => Quote::Inside { since, breaks },
            Quote::Closing { .. } => Quote::Outside {
                field_start: self.ends_field(byte),
            },
            Quote::Inside { since, breaks } if byte == b'"' => Quote::Closing { since, breaks },
            Quote::Inside { since, breaks } if byte == b'\n' => {
                if breaks >= MAX_QUOTED_LINES {
                    return true;
                }
                if breaks == 0 {
                    self.cuts.push((since, Cut::LineBreak));
                }
                Quote::Inside {
                    since,
                    breaks: breaks + 1,
                }
            }
            inside @ Quote::Inside { .. } => inside,
            Quote::Outside { field_start: true } if byte == b'"' => Quote::Inside {
                since: self.line,
                breaks: 0,
            },
            Quote::Outside { .. } => Quote::Outside {
                field_start: self.ends_field(byte),
            },
        };
        self.quote = quote;
        false
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
                return Ok(0);
            }
            let n = available.len().min(out.len());
            #[cfg(test)]
            let fast = !state.bytewise;
            #[cfg(not(test))]
            let fast = true;
            let mut multiline = Vec::new();
            if fast && !state.pending_quote {
                if let Some(quote) = state.scan(&available[..n], &mut multiline) {
                    state
                        .cuts
                        .extend(multiline.iter().map(|&line| (line, Cut::LineBreak)));
                    let block = &available[..n];
                    out[..n].copy_from_slice(block);
                    match block.iter().rposition(|&b| b == b'\n') {
                        Some(last) => {
                            state.line += count_byte(block, b'\n') as u64;
                            state.length = n - last - 1;
                        }
                        None => state.length += n,
                    }
                    state.quote = quote;
                    self.inner.consume(n);
                    return Ok(n);
                }
            }
            // Byte by byte: near a cut, or where one is to be made.
            let mut written = 0;
            let mut consumed = 0;
            for &byte in available {
                if written == out.len() {
                    break;
                }
                if byte == b'\n' {
                    if !state.pending_quote && state.step(byte) {
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
                    state.line += 1;
                    state.length = 0;
                } else {
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
                    state.step(byte);
                }
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

/// How many times `needle` occurs in `bytes`. Counted in runs of 255 into bytes, which
/// vectorises 16 lanes wide; `filter().count()` widens every byte to a `usize` first.
fn count_byte(bytes: &[u8], needle: u8) -> usize {
    bytes
        .chunks(255)
        .map(|run| usize::from(run.iter().fold(0u8, |n, &b| n + u8::from(b == needle))))
        .sum()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::io::Read;

    use super::*;

    /// Everything the guard lets through, read `chunk` bytes at a time, and what it cut.
    fn through(input: &[u8], chunk: usize, bytewise: bool) -> (Vec<u8>, Vec<(u64, Cut)>) {
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
        (out, guard.state.cuts)
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
            let fast = through(&input, chunk, false);
            let slow = through(&input, chunk, true);
            assert_eq!(fast, slow, "input {:?}", String::from_utf8_lossy(&input));
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
                        .map(|f| f.iter().filter(|&&b| b == b'\n').count())
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
}
