//! What stands between a declaration file's bytes and the readers: the file's encoding.
//!
//! The readers only ever see UTF-8. A byte order mark decides first (UTF-8: skipped; UTF-16
//! little or big endian: transcoded), then `--encoding` (Windows-1252, which French Excel's
//! "CSV (séparateur : point-virgule)" writes, or UTF-16, transcoded as the file streams).
//! Otherwise the file must be UTF-8, and it is checked as one stream: at the first byte that
//! is not UTF-8, wherever it is, the read fails with an [`EncodingError`] that says which
//! encoding the file looks like (asked of `chardetng`) and what to do. A file is never half
//! read, some rows paid and the accented ones rejected.
//!
//! Valid UTF-8 passes through without a copy: each buffer of the reader underneath is
//! checked once (`std::str::from_utf8`), an incomplete character at its end carried over to
//! the next.

use std::fmt;
use std::io::{self, BufRead, Read};
use std::sync::{Arc, OnceLock};

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};

use crate::lang::Lang;

/// How a declaration file is encoded, when its first bytes do not say (`--encoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// Also what `latin-1` and `iso-8859-1` mean in practice (the WHATWG Encoding Standard
    /// reads those labels as Windows-1252, which only adds characters such as `€` and `œ`).
    Windows1252,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    /// The labels `--encoding` accepts, for its help and its error.
    pub const LABELS: &'static str = "utf-8, windows-1252 (or cp1252, latin-1, iso-8859-1, \
                                      ansi), utf-16 (little endian, as Windows writes it), \
                                      utf-16le, utf-16be";

    /// `utf-8`, `windows-1252`, ...: case does not matter.
    pub fn from_label(label: &str) -> Option<Encoding> {
        match label.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1"
            | "ansi" => Some(Encoding::Windows1252),
            "utf-16" | "utf16" | "utf-16le" | "utf16le" => Some(Encoding::Utf16Le),
            "utf-16be" | "utf16be" => Some(Encoding::Utf16Be),
            _ => None,
        }
    }

    fn decoder(self) -> Option<encoding_rs::Decoder> {
        let encoding = match self {
            Encoding::Utf8 => return None,
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
        };
        Some(encoding.new_decoder_without_bom_handling())
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
        }
    }
}

/// A file whose bytes are not text in the encoding it is read in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodingError {
    pub file: String,
    /// The line of the first byte that could not be read (1-based).
    pub line: u64,
    /// What the file was read as: UTF-8, unless a byte order mark or `--encoding` said UTF-16.
    pub read_as: Encoding,
    pub looks_like: Guess,
    pub kind: FileKind,
}

/// What the bytes look like, to say what to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guess {
    Windows1252,
    /// Another encoding `chardetng` recognises, by its name (`windows-1250`, `Shift_JIS`).
    Other(&'static str),
    /// A zip or OLE file: a spreadsheet saved as a workbook, not as CSV.
    Workbook,
    /// Binary bytes, or nothing recognisable.
    Unknown,
    /// UTF-16 with a character cut in two or a lone surrogate.
    Damaged,
}

/// Whose file it is: the advice differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// Read with `--encoding` available.
    Declarations,
    /// A rulebook, or a file beside it (examples, expected results), written by the fund's
    /// staff in the repository: UTF-8 only.
    Rulebook,
}

/// In English; [`EncodingError::message`] in another language.
impl fmt::Display for EncodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl EncodingError {
    /// What is wrong with the file and how to save it, in `lang` (`declaration/words/`).
    pub fn message(&self, lang: Lang) -> String {
        super::words::encoding(self, lang)
    }
}

impl std::error::Error for EncodingError {}

impl From<EncodingError> for io::Error {
    fn from(e: EncodingError) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, e)
    }
}

/// What a [`DecodingReader`] failed with, if it did; kept after the reader is handed over
/// (a batch owns its sources), so that the caller can tell a read that failed from a file
/// that ended.
#[derive(Clone, Debug, Default)]
pub struct Failure(Arc<OnceLock<EncodingError>>);

impl Failure {
    pub fn get(&self) -> Option<&EncodingError> {
        self.0.get()
    }
}

/// Reads `input` as UTF-8 whatever its encoding (see the module's documentation); `file`
/// names it in the error.
pub fn decoding_reader<R: BufRead>(
    input: R,
    encoding: Option<Encoding>,
    file: &str,
) -> DecodingReader<R> {
    DecodingReader {
        inner: input,
        file: file.to_string(),
        asked: encoding,
        kind: FileKind::Declarations,
        state: State::Start,
        check: Utf8Check::default(),
        failure: Failure::default(),
    }
}

/// A whole file's bytes as UTF-8 text, read as [`decoding_reader`] reads a stream.
pub fn decode(
    bytes: &[u8],
    encoding: Option<Encoding>,
    file: &str,
) -> Result<String, EncodingError> {
    let mut reader = decoding_reader(bytes, encoding, file);
    let failure = reader.failure();
    let mut text = String::new();
    match reader.read_to_string(&mut text) {
        Ok(_) => Ok(text),
        Err(_) => Err(failure.get().cloned().unwrap_or_else(|| EncodingError {
            file: file.to_string(),
            line: 1,
            read_as: Encoding::Utf8,
            looks_like: Guess::Unknown,
            kind: FileKind::Declarations,
        })),
    }
}

/// The error for a rulebook that is not UTF-8: `valid_up_to` as `std::str::Utf8Error` says.
pub fn rulebook_not_utf8(bytes: &[u8], valid_up_to: usize, file: &str) -> EncodingError {
    let before = bytes.get(..valid_up_to).unwrap_or(bytes);
    let from = bytes.get(valid_up_to..).unwrap_or_default();
    EncodingError {
        file: file.to_string(),
        line: newlines(before) + 1,
        read_as: Encoding::Utf8,
        looks_like: guess(bytes, from, true),
        kind: FileKind::Rulebook,
    }
}

/// Text before the first bad byte kept for the guess; the guess reads up to
/// [`SAMPLE_BYTES`] in all, from the bad byte on.
const CONTEXT_BYTES: usize = 4096;
const SAMPLE_BYTES: usize = 1 << 20;

/// The reader [`decoding_reader`] returns: a `BufRead` of UTF-8.
pub struct DecodingReader<R> {
    inner: R,
    file: String,
    asked: Option<Encoding>,
    kind: FileKind,
    state: State,
    check: Utf8Check,
    failure: Failure,
}

enum State {
    /// Nothing read yet: the byte order mark is still to be looked for.
    Start,
    /// UTF-8 passed through. `prefix` holds bytes read while looking for a byte order mark
    /// (only when the reader underneath gave fewer than three bytes at once), served first;
    /// the first `checked` bytes of the reader's buffer are known good; `bad` is a bad byte
    /// found after them.
    Utf8 {
        prefix: Vec<u8>,
        checked: usize,
        bad: Option<Bad>,
    },
    /// Transcoded into `out[start..end]`; `prefix` as above, fed to the decoder first.
    Decode {
        encoding: Encoding,
        decoder: encoding_rs::Decoder,
        prefix: Vec<u8>,
        out: Vec<u8>,
        start: usize,
        end: usize,
        damaged: Option<u64>,
        finished: bool,
    },
    /// The read failed once; from then on the file reads as ended, so that a reader that
    /// reads again after an error does not loop.
    Failed,
}

/// The first bad byte of a UTF-8 stream: its line, and the text just before it.
struct Bad {
    line: u64,
    before: Vec<u8>,
}

impl<R: BufRead> DecodingReader<R> {
    /// A handle on the error this reader fails with, if it does.
    pub fn failure(&self) -> Failure {
        self.failure.clone()
    }

    fn start(&mut self) -> io::Result<()> {
        // The byte order mark is at most 3 bytes: gather them (a reader may give fewer).
        let mut prefix = Vec::new();
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() || (prefix.is_empty() && buf.len() >= 3) {
                break;
            }
            let take = buf.len().min(3 - prefix.len());
            prefix.extend_from_slice(&buf[..take]);
            self.inner.consume(take);
            if prefix.len() == 3 {
                break;
            }
        }
        let head: &[u8] = if prefix.is_empty() {
            self.inner.fill_buf()?
        } else {
            &prefix
        };
        let (bom, encoding) = if head.starts_with(&[0xef, 0xbb, 0xbf]) {
            (3, Encoding::Utf8)
        } else if head.starts_with(&[0xff, 0xfe]) {
            (2, Encoding::Utf16Le)
        } else if head.starts_with(&[0xfe, 0xff]) {
            (2, Encoding::Utf16Be)
        } else {
            (0, self.asked.unwrap_or(Encoding::Utf8))
        };
        if prefix.is_empty() {
            self.inner.consume(bom);
        } else {
            prefix.drain(..bom);
        }
        self.state = match encoding.decoder() {
            None => {
                if let Err(offset) = self.check.check(&prefix) {
                    self.state = State::Utf8 {
                        prefix: Vec::new(),
                        checked: 0,
                        bad: None,
                    };
                    let line = self.check.line_at(&prefix[..offset]);
                    let before = prefix[..offset].to_vec();
                    return Err(self.fail_utf8(Bad { line, before }, &prefix[offset..]));
                }
                State::Utf8 {
                    prefix,
                    checked: 0,
                    bad: None,
                }
            }
            Some(decoder) => State::Decode {
                encoding,
                decoder,
                prefix,
                out: vec![0; 1 << 16],
                start: 0,
                end: 0,
                damaged: None,
                finished: false,
            },
        };
        Ok(())
    }

    /// Records and returns the error of a bad UTF-8 byte; `from` is what follows it in
    /// memory, the rest of the guess's sample is read from the file.
    fn fail_utf8(&mut self, bad: Bad, from: &[u8]) -> io::Error {
        let mut sample = bad.before;
        let start = sample.len();
        sample.extend_from_slice(from);
        let mut ended = false;
        while sample.len() < SAMPLE_BYTES {
            let Ok(buf) = self.inner.fill_buf() else {
                break;
            };
            if buf.is_empty() {
                ended = true;
                break;
            }
            let take = buf.len().min(SAMPLE_BYTES - sample.len());
            sample.extend_from_slice(&buf[..take]);
            self.inner.consume(take);
        }
        let error = EncodingError {
            file: self.file.clone(),
            line: bad.line,
            read_as: Encoding::Utf8,
            looks_like: guess(&sample, &sample[start..], ended),
            kind: self.kind,
        };
        self.fail(error)
    }

    fn fail(&mut self, error: EncodingError) -> io::Error {
        self.state = State::Failed;
        let _ = self.failure.0.set(error.clone());
        error.into()
    }
}

impl<R: BufRead> DecodingReader<R> {
    /// Gets text ready to be served (or finds that the file ended, or fails): everything
    /// `fill_buf` does but return the slice.
    fn advance(&mut self) -> io::Result<()> {
        if matches!(self.state, State::Start) {
            self.start()?;
        }
        let failed = match &mut self.state {
            State::Start | State::Failed => None,
            State::Utf8 {
                prefix,
                checked,
                bad,
            } => {
                if !prefix.is_empty() {
                    return Ok(());
                }
                let buf = self.inner.fill_buf()?;
                if bad.is_none() && buf.len() > *checked {
                    match self.check.check(&buf[*checked..]) {
                        Ok(()) => *checked = buf.len(),
                        Err(offset) => {
                            let end = *checked + offset;
                            let line = self.check.line_at(&buf[*checked..end]);
                            let before = buf[end.saturating_sub(CONTEXT_BYTES)..end].to_vec();
                            *checked = end;
                            *bad = Some(Bad { line, before });
                        }
                    }
                }
                // The good bytes before a bad one are served first.
                if *checked > 0 {
                    None
                } else if let Some(bad) = bad.take() {
                    Some(Err(bad))
                } else if buf.is_empty() && self.check.pending() {
                    Some(Err(Bad {
                        line: self.check.line_at(&[]),
                        before: Vec::new(),
                    }))
                } else {
                    None
                }
            }
            State::Decode {
                encoding,
                decoder,
                prefix,
                out,
                start,
                end,
                damaged,
                finished,
            } => {
                let mut failed = None;
                while *start == *end && !*finished {
                    if let Some(line) = damaged.take() {
                        failed = Some(Ok((line, *encoding)));
                        break;
                    }
                    let from_prefix = !prefix.is_empty();
                    let src: &[u8] = if from_prefix {
                        prefix
                    } else {
                        self.inner.fill_buf()?
                    };
                    let last = src.is_empty();
                    let (result, read, written) =
                        decoder.decode_to_utf8_without_replacement(src, out, last);
                    if from_prefix {
                        prefix.drain(..read);
                    } else {
                        self.inner.consume(read);
                    }
                    (*start, *end) = (0, written);
                    match result {
                        encoding_rs::DecoderResult::InputEmpty => *finished = last,
                        encoding_rs::DecoderResult::OutputFull => {}
                        encoding_rs::DecoderResult::Malformed(_, _) => {
                            *damaged = Some(self.check.line_at(&out[..written]));
                        }
                    }
                    self.check.line += newlines(&out[..written]);
                }
                failed
            }
        };
        match failed {
            None => Ok(()),
            Some(Err(bad)) => Err(self.fail_utf8(bad, &[])),
            Some(Ok((line, encoding))) => {
                let error = EncodingError {
                    file: self.file.clone(),
                    line,
                    read_as: encoding,
                    looks_like: Guess::Damaged,
                    kind: self.kind,
                };
                Err(self.fail(error))
            }
        }
    }
}

impl<R: BufRead> BufRead for DecodingReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.advance()?;
        Ok(match &self.state {
            State::Start | State::Failed => &[],
            State::Utf8 {
                prefix, checked, ..
            } => {
                if prefix.is_empty() {
                    let buf = self.inner.fill_buf()?;
                    &buf[..(*checked).min(buf.len())]
                } else {
                    prefix
                }
            }
            State::Decode {
                out, start, end, ..
            } => &out[*start..*end],
        })
    }

    fn consume(&mut self, amount: usize) {
        match &mut self.state {
            State::Start | State::Failed => {}
            State::Utf8 {
                prefix, checked, ..
            } => {
                if prefix.is_empty() {
                    self.inner.consume(amount);
                    *checked = checked.saturating_sub(amount);
                } else {
                    prefix.drain(..amount.min(prefix.len()));
                }
            }
            State::Decode { start, end, .. } => *start = (*start + amount).min(*end),
        }
    }
}

impl<R: BufRead> Read for DecodingReader<R> {
    fn read(&mut self, into: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(into.len());
        into[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// UTF-8 checked chunk after chunk: the lines seen, and a character begun at the end of the
/// last chunk (its bytes already passed on).
#[derive(Default)]
struct Utf8Check {
    line: u64,
    tail: [u8; 4],
    tail_len: usize,
}

impl Utf8Check {
    /// Checks `bytes`, which follow those checked before; `Err` with the offset in `bytes`
    /// of the first byte of the first bad sequence (0 when it began in an earlier chunk).
    fn check(&mut self, chunk: &[u8]) -> Result<(), usize> {
        let mut skipped = 0;
        if self.tail_len > 0 {
            let width = match self.tail[0] {
                0xf0..=0xff => 4,
                0xe0..=0xef => 3,
                _ => 2,
            };
            skipped = (width - self.tail_len).min(chunk.len());
            self.tail[self.tail_len..self.tail_len + skipped].copy_from_slice(&chunk[..skipped]);
            self.tail_len += skipped;
            match std::str::from_utf8(&self.tail[..self.tail_len]) {
                Ok(_) => self.tail_len = 0,
                Err(e) if e.error_len().is_none() => return Ok(()),
                Err(_) => return Err(0),
            }
        }
        let bytes = &chunk[skipped..];
        match std::str::from_utf8(bytes) {
            Ok(_) => self.line += newlines(bytes),
            Err(e) => {
                let valid = e.valid_up_to();
                if e.error_len().is_some() {
                    // Lines are counted up to the bad byte by the caller (`line_at`).
                    return Err(skipped + valid);
                }
                self.line += newlines(&bytes[..valid]);
                let rest = &bytes[valid..];
                self.tail[..rest.len()].copy_from_slice(rest);
                self.tail_len = rest.len();
            }
        }
        Ok(())
    }

    /// A character begun and not finished.
    fn pending(&self) -> bool {
        self.tail_len > 0
    }

    /// The line of the byte that follows `before` (bytes not yet counted).
    fn line_at(&self, before: &[u8]) -> u64 {
        self.line + newlines(before) + 1
    }
}

/// Line feeds in `bytes`: found by `memchr`, which steps over a line's other bytes many at
/// a time (a byte-by-byte count was a thirtieth of a batch's instructions).
fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// What `sample` looks like; `from` is its part from the first bad byte on, `ended` whether
/// the sample runs to the end of the file.
fn guess(sample: &[u8], from: &[u8], ended: bool) -> Guess {
    if sample.starts_with(b"PK\x03\x04") || sample.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        return Guess::Workbook;
    }
    // Text has no control characters but tab, line feed, form feed and carriage return.
    let binary = |b: &u8| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r');
    if from.iter().take(CONTEXT_BYTES).any(binary) {
        return Guess::Unknown;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(sample, ended);
    // The files are French: `fr` weighs the guess toward Western European encodings.
    let guessed = detector.guess(Some(b"fr"), Utf8Detection::Deny);
    if guessed == encoding_rs::WINDOWS_1252 {
        Guess::Windows1252
    } else {
        Guess::Other(guessed.name())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Bytes served in pieces that end at `cuts`, as a reader whose buffer boundaries fall
    /// anywhere.
    struct Pieces {
        data: Vec<u8>,
        cuts: Vec<usize>,
        at: usize,
    }

    impl Pieces {
        fn new(data: &[u8], cuts: &[usize]) -> Pieces {
            Pieces {
                data: data.to_vec(),
                cuts: cuts.to_vec(),
                at: 0,
            }
        }
        /// One byte at a time.
        fn bytes(data: &[u8]) -> Pieces {
            Pieces::new(data, &(1..data.len()).collect::<Vec<_>>())
        }
    }

    impl Read for Pieces {
        fn read(&mut self, into: &mut [u8]) -> io::Result<usize> {
            let n = self.fill_buf()?.len().min(into.len());
            into[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    impl BufRead for Pieces {
        fn fill_buf(&mut self) -> io::Result<&[u8]> {
            let at = self.at;
            let end = self
                .cuts
                .iter()
                .copied()
                .find(|c| *c > at)
                .unwrap_or(self.data.len());
            Ok(&self.data[at..end.min(self.data.len())])
        }
        fn consume(&mut self, n: usize) {
            self.at += n;
        }
    }

    /// Everything the reader gives, and how it ended.
    fn read<R: BufRead>(input: R, encoding: Option<Encoding>) -> (String, Option<EncodingError>) {
        let mut reader = decoding_reader(input, encoding, "d.csv");
        let failure = reader.failure();
        let mut out = Vec::new();
        let result = reader.read_to_end(&mut out);
        assert_eq!(result.is_err(), failure.get().is_some());
        if let Err(e) = &result {
            assert_eq!(e.kind(), io::ErrorKind::InvalidData);
            assert_eq!(e.to_string(), failure.get().unwrap().to_string());
        }
        // Once failed, the file reads as ended.
        assert_eq!(reader.fill_buf().unwrap(), b"");
        // A failed read may end with the first bytes of the bad sequence.
        (
            String::from_utf8_lossy(&out).into_owned(),
            failure.get().cloned(),
        )
    }

    fn ok<R: BufRead>(input: R, encoding: Option<Encoding>) -> String {
        let (text, failure) = read(input, encoding);
        assert_eq!(failure, None);
        text
    }

    fn failed<R: BufRead>(input: R, encoding: Option<Encoding>) -> EncodingError {
        read(input, encoding).1.unwrap()
    }

    const TEXT: &str = "id;zone\n1;Sous-densé\n2;« œuvre » 12 € 😀\n";

    #[test]
    fn utf8_passes_through_whatever_the_buffer_boundaries() {
        let bytes = TEXT.as_bytes();
        assert_eq!(ok(bytes, None), TEXT);
        assert_eq!(ok(bytes, Some(Encoding::Utf8)), TEXT);
        for cut in 0..=bytes.len() {
            assert_eq!(ok(Pieces::new(bytes, &[cut]), None), TEXT, "cut at {cut}");
        }
        assert_eq!(ok(Pieces::bytes(bytes), None), TEXT);
        assert_eq!(ok(&b""[..], None), "");
    }

    #[test]
    fn a_utf8_byte_order_mark_is_skipped_even_split() {
        let mut bytes = vec![0xef, 0xbb, 0xbf];
        bytes.extend_from_slice(TEXT.as_bytes());
        assert_eq!(ok(&bytes[..], None), TEXT);
        assert_eq!(ok(Pieces::bytes(&bytes), None), TEXT);
        assert_eq!(ok(Pieces::new(&bytes, &[2]), None), TEXT);
        // A byte order mark says more than --encoding.
        assert_eq!(ok(&bytes[..], Some(Encoding::Windows1252)), TEXT);
        // Short files.
        assert_eq!(ok(&b"a"[..], None), "a");
        assert_eq!(ok(Pieces::bytes(b"ab"), None), "ab");
        assert_eq!(ok(&[0xef, 0xbb, 0xbf][..], None), "");
    }

    #[test]
    fn windows_1252_is_transcoded_exactly() {
        let bytes = b"id;zone\n1;Sous-dens\xe9\n2;\xab \x9cuvre \xbb 12 \x80\n";
        let text = "id;zone\n1;Sous-densé\n2;« œuvre » 12 €\n";
        assert_eq!(ok(&bytes[..], Some(Encoding::Windows1252)), text);
        assert_eq!(ok(Pieces::bytes(bytes), Some(Encoding::Windows1252)), text);
        for label in ["windows-1252", "CP1252", "latin-1", "ISO-8859-1", "latin1"] {
            assert_eq!(Encoding::from_label(label), Some(Encoding::Windows1252));
        }
        assert_eq!(Encoding::from_label("utf8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::from_label("utf-16"), Some(Encoding::Utf16Le));
        assert_eq!(Encoding::from_label("ebcdic"), None);
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        for unit in std::iter::once(0xfeff).chain(text.encode_utf16()) {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_transcoded() {
        for big_endian in [false, true] {
            let bytes = utf16(TEXT, big_endian);
            assert_eq!(ok(&bytes[..], None), TEXT);
            assert_eq!(ok(Pieces::bytes(&bytes), None), TEXT);
            assert_eq!(ok(&bytes[..], Some(Encoding::Windows1252)), TEXT);
        }
        // Without a byte order mark, when asked.
        let bytes = &utf16(TEXT, false)[2..];
        assert_eq!(ok(bytes, Some(Encoding::Utf16Le)), TEXT);
        let bytes = &utf16(TEXT, true)[2..];
        assert_eq!(ok(bytes, Some(Encoding::Utf16Be)), TEXT);
    }

    #[test]
    fn utf16_cut_in_the_middle_of_a_character_fails() {
        let mut bytes = utf16("id\n1\n", false);
        bytes.push(b'x');
        let error = failed(&bytes[..], None);
        assert_eq!((error.line, error.looks_like), (3, Guess::Damaged));
        assert_eq!(
            error.to_string(),
            "d.csv is not valid UTF-16LE (line 3): a character is cut in two (or the file ends \
             in the middle of one); save the file as \"CSV UTF-8\""
        );
    }

    #[test]
    fn the_first_bad_byte_fails_the_read_wherever_it_is() {
        let good = "id;zone\n1;Sous-densé\n";
        let cases: [(&[u8], u64, &[u8]); 4] = [
            (b"\xe9t\xe9\n", 1, b""),
            (
                b"id;zone\n1;Sous-dens\xe9\n2;a\n",
                2,
                b"id;zone\n1;Sous-dens",
            ),
            (b"id;zone\n1;a\n2;\xe9", 3, b"id;zone\n1;a\n2;"),
            // A character begun and never finished: at the end of the file.
            (b"id;zone\n1;a\n2;\xc3", 3, b"id;zone\n1;a\n2;\xc3"),
        ];
        for (bytes, line, served) in cases {
            for input in [Pieces::new(bytes, &[]), Pieces::bytes(bytes)] {
                let mut reader = decoding_reader(input, None, "d.csv");
                let mut out = Vec::new();
                let error = reader.read_to_end(&mut out).unwrap_err();
                let error = error
                    .get_ref()
                    .unwrap()
                    .downcast_ref::<EncodingError>()
                    .unwrap();
                assert_eq!(error.line, line, "{bytes:?}");
                // What came before the bad byte was served, and the read fails at it (the
                // first bytes of a sequence begun at the end of a piece went through).
                assert!(
                    out.starts_with(served) && bytes.starts_with(&out),
                    "{out:?}"
                );
                assert!(out.len() <= served.len() + 3, "{out:?}");
            }
        }
        // A bad byte in the middle of a good file, in pieces of every size.
        let mut bytes = good.repeat(50).into_bytes();
        bytes.extend_from_slice(b"3;\xe9\n");
        bytes.extend_from_slice(good.repeat(50).as_bytes());
        for size in [1, 2, 3, 7, 64] {
            let cuts: Vec<usize> = (size..bytes.len()).step_by(size).collect();
            let error = failed(Pieces::new(&bytes, &cuts), None);
            assert_eq!(error.line, 101, "pieces of {size}");
        }
        // A bad continuation byte after a character begun in the previous piece.
        let error = failed(Pieces::new(b"a\nb\xc3(\n", &[4]), None);
        assert_eq!(error.line, 2);
    }

    #[test]
    fn the_verdict_names_windows_1252_for_french_excel() {
        let bytes =
            b"id;zone;commentaire\r\n1;Sous-dens\xe9;tr\xe8s bien\r\n2;Hors zone;d\xe9j\xe0 vu\r\n";
        let error = failed(&bytes[..], None);
        assert_eq!(error.looks_like, Guess::Windows1252);
        assert_eq!(
            error.to_string(),
            "d.csv is not UTF-8 (line 2): it looks like Windows-1252 (French Excel's \"CSV \
             (séparateur : point-virgule)\"); pass --encoding windows-1252, or save the file as \
             \"CSV UTF-8\""
        );
        // Even one accented letter.
        let error = failed(&b"id;nom\n1;S\xe9verine\n"[..], None);
        assert_eq!(error.looks_like, Guess::Windows1252);
        // Lines are counted the French way.
        let mut many = "a\n".repeat(51_233).into_bytes();
        many.extend_from_slice(b"Sous-dens\xe9\n");
        let error = failed(&many[..], None);
        assert!(error
            .to_string()
            .starts_with("d.csv is not UTF-8 (line 51234): "));
    }

    #[test]
    fn a_workbook_or_binary_is_named_as_such() {
        let error = failed(
            &b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U"[..],
            None,
        );
        assert_eq!(error.looks_like, Guess::Workbook);
        assert_eq!(
            error.to_string(),
            "d.csv is not UTF-8 (line 1): it looks like a spreadsheet workbook (.xlsx, .xls), \
             not a text file; in Excel, save it as \"CSV UTF-8\""
        );
        let error = failed(&b"id\n\x00\x01\xff\xfe\x02"[..], None);
        assert_eq!(error.looks_like, Guess::Unknown);
        assert!(error
            .to_string()
            .contains("it looks like an unknown 8-bit encoding"));
    }

    #[test]
    fn whole_files_and_rulebooks() {
        assert_eq!(decode(TEXT.as_bytes(), None, "d.json").unwrap(), TEXT);
        let error = decode(b"{\"id\": \"S\xe9verine\"}", None, "d.json").unwrap_err();
        assert_eq!(
            error.to_string(),
            "d.json is not UTF-8 (line 1): it looks like Windows-1252; pass --encoding \
             windows-1252, or save the file as UTF-8"
        );
        let bytes = b"rulebook r \"R\"\n# zone sous-dens\xe9e\n";
        let valid = 31;
        assert_eq!(
            rulebook_not_utf8(bytes, valid, "r.forfait").to_string(),
            "r.forfait is not UTF-8 (line 2): it looks like Windows-1252; rulebooks and the \
             files beside them are UTF-8 only: save it as UTF-8"
        );
    }
}
