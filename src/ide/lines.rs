//! Byte offsets to editor positions and back.
//!
//! The rest of `ide` speaks byte offsets, like the AST's spans. Editors speak (line,
//! column), the column counted in UTF-16 code units unless both sides agreed on UTF-8
//! bytes or on characters. Rulebooks are full of `é`, `≥`, `«  »` and no-break spaces, so
//! the three counts differ on most lines: every conversion goes through here.

/// What an editor's column counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColumnUnit {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: what the protocol assumes when nothing else was agreed.
    #[default]
    Utf16,
    /// Unicode scalar values (characters).
    Utf32,
}

impl ColumnUnit {
    fn width(self, c: char) -> usize {
        match self {
            ColumnUnit::Utf8 => c.len_utf8(),
            ColumnUnit::Utf16 => c.len_utf16(),
            ColumnUnit::Utf32 => 1,
        }
    }
}

/// A position as an editor gives it: 0-based line, and column in some [`ColumnUnit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub fn new(line: u32, column: u32) -> Position {
        Position { line, column }
    }
}

/// Where each line of a text starts. A line ends at `\n`, `\r\n` or a lone `\r`, as the
/// protocol and the grammar both say.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The line holding `offset` and its column. An offset past the end is the end; one
    /// inside a character counts from that character's start.
    pub fn position(&self, text: &str, offset: usize, unit: ColumnUnit) -> Position {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column: usize = text
            .get(start..offset)
            .unwrap_or("")
            .chars()
            .map(|c| unit.width(c))
            .sum();
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    /// The byte offset of a position. A line past the last is the end of the text; a
    /// column past the line's end is the line's end (before its line break); a column
    /// inside a character (half of a UTF-16 pair) is that character's start.
    pub fn offset(&self, text: &str, position: Position, unit: ColumnUnit) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.len;
        };
        let end = self.line_end(text, line);
        let mut remaining = position.column as usize;
        let mut offset = start;
        for c in text.get(start..end).unwrap_or("").chars() {
            let w = unit.width(c);
            if remaining < w {
                break;
            }
            remaining -= w;
            offset += c.len_utf8();
        }
        offset
    }

    /// The end of line `line`, before its line break.
    fn line_end(&self, text: &str, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let content = text.get(..next).unwrap_or(text);
        if content.ends_with("\r\n") {
            next - 2
        } else if next > 0 && (content.ends_with('\n') || content.ends_with('\r')) {
            next - 1
        } else {
            next
        }
    }

    /// The position just past the text's last character.
    pub fn end(&self, text: &str, unit: ColumnUnit) -> Position {
        self.position(text, self.len, unit)
    }
}

/// Positions of increasing offsets, each counted on from the one before: linear in the
/// text however long its lines (semantic tokens ask for every word's).
pub struct Cursor<'t> {
    text: &'t str,
    index: &'t LineIndex,
    unit: ColumnUnit,
    offset: usize,
    position: Position,
}

impl<'t> Cursor<'t> {
    pub fn new(text: &'t str, index: &'t LineIndex, unit: ColumnUnit) -> Cursor<'t> {
        Cursor {
            text,
            index,
            unit,
            offset: 0,
            position: Position::default(),
        }
    }

    /// The position of `offset`; an offset before the last one asked is found afresh.
    pub fn position(&mut self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.index.len));
        let line = self
            .index
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let same_line = u32::try_from(line).ok() == Some(self.position.line);
        if offset < self.offset || !same_line {
            self.position = self.index.position(self.text, offset, self.unit);
        } else {
            let column: usize = self
                .text
                .get(self.offset..offset)
                .unwrap_or("")
                .chars()
                .map(|c| self.unit.width(c))
                .sum();
            let column = u32::try_from(column).unwrap_or(u32::MAX);
            self.position.column = self.position.column.saturating_add(column);
        }
        self.offset = offset;
        self.position
    }
}

/// Byte offsets to UTF-16 code unit offsets into the whole text, and back: what a
/// JavaScript string indexes by. Only the characters whose two lengths differ are kept, so
/// an ASCII text costs nothing and every conversion is a binary search.
#[derive(Clone, Debug)]
pub struct Utf16Offsets {
    /// For each character longer in UTF-8 than in UTF-16: its byte offset, its UTF-16
    /// offset, and how many bytes and units it takes.
    wide: Vec<(usize, usize, u8, u8)>,
    len: usize,
}

impl Utf16Offsets {
    pub fn new(text: &str) -> Utf16Offsets {
        let mut wide = Vec::new();
        let mut shrink = 0;
        for (offset, c) in text.char_indices() {
            let (bytes, units) = (c.len_utf8(), c.len_utf16());
            if bytes != units {
                // A char is at most 4 bytes and 2 units.
                wide.push((offset, offset - shrink, bytes as u8, units as u8));
                shrink += bytes - units;
            }
        }
        Utf16Offsets {
            wide,
            len: text.len(),
        }
    }

    /// The UTF-16 offset of a byte offset; one inside a character counts from its start,
    /// one past the end is the end.
    pub fn to_utf16(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        let before = self.wide.partition_point(|w| w.0 < offset);
        match before.checked_sub(1).and_then(|i| self.wide.get(i)) {
            None => offset,
            Some(&(start, start16, bytes, units)) => {
                if offset < start + usize::from(bytes) {
                    start16
                } else {
                    start16 + usize::from(units) + (offset - start - usize::from(bytes))
                }
            }
        }
    }

    /// The byte offset of a UTF-16 offset; one between the two halves of a pair is that
    /// character's start, one past the end is the end.
    pub fn to_utf8(&self, offset16: usize) -> usize {
        let before = self.wide.partition_point(|w| w.1 < offset16);
        let byte = match before.checked_sub(1).and_then(|i| self.wide.get(i)) {
            None => offset16,
            Some(&(start, start16, bytes, units)) => {
                if offset16 < start16 + usize::from(units) {
                    start
                } else {
                    start + usize::from(bytes) + (offset16 - start16 - usize::from(units))
                }
            }
        };
        byte.min(self.len)
    }
}

/// The largest character boundary at or before `offset`.
pub(crate) fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `≥` is 3 bytes and 1 UTF-16 unit, `é` 2 bytes and 1 unit, `𝄞` 4 bytes and 2 units.
    const TEXT: &str = "ab\n  \"≥ é\" x\r\ny𝄞z\rlast";

    fn at(pattern: &str) -> usize {
        TEXT.find(pattern).expect("in the text")
    }

    #[test]
    fn offsets_become_columns_in_each_unit() {
        let index = LineIndex::new(TEXT);
        let x = at(" x") + 1;
        assert_eq!(
            index.position(TEXT, x, ColumnUnit::Utf16),
            Position::new(1, 8)
        );
        assert_eq!(
            index.position(TEXT, x, ColumnUnit::Utf8),
            Position::new(1, 11)
        );
        assert_eq!(
            index.position(TEXT, x, ColumnUnit::Utf32),
            Position::new(1, 8)
        );
        let z = at("z");
        assert_eq!(
            index.position(TEXT, z, ColumnUnit::Utf16),
            Position::new(2, 3)
        );
        assert_eq!(
            index.position(TEXT, z, ColumnUnit::Utf32),
            Position::new(2, 2)
        );
        assert_eq!(
            index.position(TEXT, at("last"), ColumnUnit::Utf16),
            Position::new(3, 0)
        );
    }

    #[test]
    fn columns_become_offsets_and_back() {
        let index = LineIndex::new(TEXT);
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Utf32] {
            for (offset, c) in TEXT.char_indices() {
                // The middle of a CRLF is no position an editor can name.
                if c == '\n' && TEXT[..offset].ends_with('\r') {
                    continue;
                }
                let position = index.position(TEXT, offset, unit);
                // A line break's own offset maps to the end of its line, which is itself.
                assert_eq!(
                    index.offset(TEXT, position, unit),
                    offset,
                    "{unit:?} {offset}"
                );
            }
        }
    }

    #[test]
    fn positions_out_of_range_are_clamped() {
        let index = LineIndex::new(TEXT);
        let unit = ColumnUnit::Utf16;
        // Past the end of line 0 ("ab"): its end, before the line break.
        assert_eq!(index.offset(TEXT, Position::new(0, 99), unit), 2);
        // Past the CRLF line's end: before `\r`.
        assert_eq!(index.offset(TEXT, Position::new(1, 99), unit), at("\r\n"));
        assert_eq!(index.offset(TEXT, Position::new(99, 0), unit), TEXT.len());
        // Between the two halves of 𝄞: its start.
        assert_eq!(index.offset(TEXT, Position::new(2, 2), unit), at("𝄞"));
        // An offset inside `≥` or past the end.
        assert_eq!(index.position(TEXT, at("≥") + 1, unit), Position::new(1, 3));
        assert_eq!(index.position(TEXT, 10_000, unit), index.end(TEXT, unit));
    }

    #[test]
    fn a_cursor_agrees_with_the_index() {
        let index = LineIndex::new(TEXT);
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Utf32] {
            let mut cursor = Cursor::new(TEXT, &index, unit);
            let offsets: Vec<usize> = TEXT
                .char_indices()
                .map(|(i, _)| i)
                .chain([3, 0, 99])
                .collect();
            for offset in offsets {
                assert_eq!(cursor.position(offset), index.position(TEXT, offset, unit));
            }
        }
    }

    #[test]
    fn utf16_offsets_count_as_javascript_does() {
        let offsets = Utf16Offsets::new(TEXT);
        let mut units = 0;
        for (offset, c) in TEXT.char_indices() {
            assert_eq!(offsets.to_utf16(offset), units, "{offset}");
            assert_eq!(offsets.to_utf8(units), offset, "{units}");
            units += c.len_utf16();
        }
        assert_eq!(offsets.to_utf16(TEXT.len()), units);
        assert_eq!(offsets.to_utf8(units), TEXT.len());
        assert_eq!(offsets.to_utf8(units + 10), TEXT.len());
        // Inside `≥` (3 bytes), and between the halves of `𝄞`.
        assert_eq!(offsets.to_utf16(at("≥") + 1), offsets.to_utf16(at("≥")));
        let clef = offsets.to_utf16(at("𝄞"));
        assert_eq!(offsets.to_utf8(clef + 1), at("𝄞"));
        let ascii = Utf16Offsets::new("abc");
        assert_eq!((ascii.to_utf16(2), ascii.to_utf8(2)), (2, 2));
    }

    #[test]
    fn empty_text_has_one_line() {
        let index = LineIndex::new("");
        assert_eq!(
            index.position("", 0, ColumnUnit::Utf16),
            Position::new(0, 0)
        );
        assert_eq!(index.offset("", Position::new(3, 3), ColumnUnit::Utf16), 0);
    }
}
