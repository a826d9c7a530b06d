//! JSON declarations: one object or an array of objects (read whole), or JSON lines (one
//! object a line, streamed).
//!
//! Objects are read as their (key, raw value) pairs in order, never as maps, so that a key
//! given twice is seen; and a number reaches `super::values` as its literal text (serde_json's
//! `raw_value`), never through a float.

use std::borrow::Cow;
use std::fmt;
use std::io::BufRead;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::mapping::Field;
use super::problem::{JsonKind, Malformed, ProblemKind};
use super::{Builder, Location, Problem, Raw, RawRecord, ReadError, Record, Rejection, Slots};
use crate::model::CompiledRulebook;

/// A JSON line longer than this is refused (with its line number) rather than read into
/// memory: no declaration is anywhere near it.
const MAX_LINE_BYTES: u64 = super::MAX_LINE_BYTES as u64;

fn malformed(file: &str, location: Location, malformed: Malformed) -> Record {
    Record::Rejected(Rejection {
        file: file.to_string(),
        location,
        id: None,
        problems: vec![ProblemKind::Malformed(malformed).about(None)],
    })
}

/// A JSON file: one object, or an array of objects (read whole: for large batches, use
/// JSON lines or CSV). A read error is the file's (`ReadError`), not a record's.
pub(super) fn whole<R: BufRead>(file: &str, input: R) -> Result<Vec<RawRecord>, ReadError> {
    let mut bytes = Vec::new();
    let mut limited = std::io::Read::take(input, super::MAX_JSON_BYTES + 1);
    if let Err(error) = std::io::Read::read_to_end(&mut limited, &mut bytes) {
        // What was read before the error stays in `bytes`.
        let lines_read = memchr::memchr_iter(b'\n', &bytes).count() as u64;
        return Err(ReadError {
            file: file.to_string(),
            lines_read,
            error,
        });
    }
    if bytes.len() as u64 > super::MAX_JSON_BYTES {
        return Ok(vec![RawRecord::Ready(malformed(
            file,
            Location::File,
            Malformed::JsonTooLarge {
                mib: super::MAX_JSON_BYTES >> 20,
            },
        ))]);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return Ok(vec![RawRecord::Ready(malformed(
                file,
                Location::File,
                Malformed::JsonFileNotUtf8 {
                    offset: e.utf8_error().valid_up_to(),
                },
            ))])
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let parsed: &RawValue = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Ok(vec![RawRecord::Ready(malformed(
                file,
                Location::Line(e.line() as u64),
                Malformed::NotJson {
                    error: e.to_string(),
                    lines: false,
                },
            ))])
        }
    };
    let items = match parsed.get().starts_with('[') {
        true => serde_json::from_str::<Vec<Box<RawValue>>>(parsed.get()),
        false => Err(serde::de::Error::custom("not an array")),
    };
    Ok(match items {
        Ok(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, value)| RawRecord::Json {
                location: Location::Path(format!("$[{i}]")),
                value,
            })
            .collect(),
        Err(_) => vec![RawRecord::Json {
            location: Location::Path("$".into()),
            value: parsed.to_owned(),
        }],
    })
}

/// JSON lines: one object a line, read in order (parsed by `line_record`); blank lines are
/// skipped. A read error stops the reading (it is the file's, not a line's).
pub(super) struct Lines<'a, R> {
    file: &'a str,
    input: R,
    /// The line last read.
    line_number: u64,
    buffer: Vec<u8>,
    failed: bool,
}

impl<'a, R: BufRead> Lines<'a, R> {
    pub(super) fn new(file: &'a str, input: R) -> Self {
        Lines {
            file,
            input,
            line_number: 0,
            buffer: Vec::new(),
            failed: false,
        }
    }

    fn failure(&mut self, error: std::io::Error) -> ReadError {
        self.failed = true;
        ReadError {
            file: self.file.to_string(),
            lines_read: self.line_number.saturating_sub(1),
            error,
        }
    }
}

impl<R: BufRead> super::RawSource for Lines<'_, R> {
    fn next_into(&mut self, slot: &mut RawRecord) -> Result<bool, ReadError> {
        if self.failed {
            return Ok(false);
        }
        loop {
            self.buffer.clear();
            self.line_number += 1;
            let read = std::io::Read::take(&mut self.input as &mut dyn BufRead, MAX_LINE_BYTES + 1)
                .read_until(b'\n', &mut self.buffer);
            match read {
                Err(e) => return Err(self.failure(e)),
                Ok(0) => return Ok(false),
                Ok(_) => {}
            }
            if self.buffer.len() as u64 > MAX_LINE_BYTES && !self.buffer.ends_with(b"\n") {
                // Skip the rest of the overlong line so that the next record starts clean.
                let mut rest = Vec::new();
                loop {
                    rest.clear();
                    match std::io::Read::take(&mut self.input as &mut dyn BufRead, MAX_LINE_BYTES)
                        .read_until(b'\n', &mut rest)
                    {
                        Ok(0) => break,
                        Err(e) => return Err(self.failure(e)),
                        Ok(_) if rest.ends_with(b"\n") => break,
                        Ok(_) => {}
                    }
                }
                *slot = RawRecord::Ready(malformed(
                    self.file,
                    Location::Line(self.line_number),
                    Malformed::LineTooLong {
                        max: super::MAX_LINE_BYTES,
                    },
                ));
                return Ok(true);
            }
            // Blank lines are skipped; "blank" as `line_record` trims (a lone byte order mark
            // or a vertical tab is blank too).
            // A printable ASCII byte (the `{` a line starts with) is never white space.
            let blank = !self.buffer.iter().any(u8::is_ascii_graphic)
                && std::str::from_utf8(&self.buffer)
                    .is_ok_and(|t| t.trim_start_matches('\u{feff}').trim().is_empty());
            if blank {
                continue;
            }
            *slot = RawRecord::JsonLine {
                line: self.line_number,
                bytes: std::mem::take(&mut self.buffer),
            };
            return Ok(true);
        }
    }
}

/// One JSON line to a declaration, or its rejection.
pub(super) fn line_record(
    rulebook: &CompiledRulebook,
    slots: &Slots,
    file: &str,
    line: u64,
    bytes: &[u8],
) -> Record {
    // Checked at once (SIMD); a line that is not UTF-8 checked again, for where it stops.
    let checked = simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes));
    let text = match checked {
        Ok(t) => t,
        Err(e) => {
            return malformed(
                file,
                Location::Line(line),
                Malformed::JsonLineNotUtf8 {
                    column: e.valid_up_to() + 1,
                },
            )
        }
    };
    let text = text.trim_start_matches('\u{feff}').trim();
    // The usual line, an object, read once into its fields; anything else (not JSON, not
    // an object, a key that does not read) the long way, which says what it is.
    if text.starts_with('{') {
        if let Ok(fields) = serde_json::from_str::<Fields<'_>>(text) {
            return fields_record(rulebook, slots, file, Location::Line(line), fields.0);
        }
    }
    match serde_json::from_str::<&RawValue>(text) {
        Ok(value) => record(rulebook, slots, file, Location::Line(line), value),
        Err(e) => malformed(
            file,
            Location::Line(line),
            Malformed::NotJson {
                error: e.to_string(),
                lines: true,
            },
        ),
    }
}

pub(super) fn record(
    rulebook: &CompiledRulebook,
    slots: &Slots,
    file: &str,
    location: Location,
    item: &RawValue,
) -> Record {
    let mut builder = Builder::new(rulebook, slots);
    let fields = match classify(item) {
        Json::Object => serde_json::from_str::<Fields<'_>>(item.get()).map(|f| f.0),
        other => {
            builder.problems.push(
                ProblemKind::Malformed(Malformed::NotAnObject {
                    found: other.kind(),
                })
                .about(None),
            );
            return builder.finish(file, location);
        }
    };
    // A key can only fail to read if it escapes half a surrogate pair (`"\ud800"`), which
    // serde_json lets through in a raw value.
    let Ok(fields) = fields else {
        builder.problems.push(not_unicode(None));
        return builder.finish(file, location);
    };
    fields_record(rulebook, slots, file, location, fields)
}

/// An object's fields, in order, to a declaration or its rejection.
fn fields_record(
    rulebook: &CompiledRulebook,
    slots: &Slots,
    file: &str,
    location: Location,
    fields: Vec<(Key<'_>, &RawValue)>,
) -> Record {
    let mut builder = Builder::new(rulebook, slots);
    let id = fields
        .iter()
        .find(|(name, _)| slots.field(name) == Some(Field::Id))
        .map(|(_, v)| *v);
    match id.map(classify) {
        Some(Json::Text(Some(t))) => builder.set_id(Some(Raw::Text(&t))),
        Some(Json::Number(n)) => builder.set_id(Some(Raw::Number(n))),
        Some(Json::Text(None)) => builder.problems.push(not_unicode(Some("id"))),
        _ => builder.set_id(None),
    }
    // How many times each input's key came so far (the id's last), to see a key given twice.
    let mut seen = vec![0u32; rulebook.inputs.len() + 1];
    for (index, (name, value)) in fields.iter().enumerate() {
        let field = slots.field(name);
        let earlier = match field {
            Some(Field::Id) => &mut seen[rulebook.inputs.len()],
            Some(Field::Input(slot)) => &mut seen[slot],
            // A key no input has, or one the mapping ignores: counted among the fields
            // before it (rare).
            Some(Field::Ignored) | None => {
                &mut (fields[..index].iter().filter(|(n, _)| n == name).count() as u32)
            }
        };
        let before = *earlier;
        *earlier += 1;
        if before > 0 {
            // Once per key, however many times it comes again.
            if before == 1 {
                builder.problems.push(
                    ProblemKind::DuplicateField { column: None }.about(Some(name.to_string())),
                );
            }
            continue;
        }
        let slot = match field {
            Some(Field::Input(slot)) => slot,
            Some(Field::Id | Field::Ignored) => continue,
            None => {
                builder.unknown_field(name);
                continue;
            }
        };
        match classify(value) {
            Json::Null => {}
            Json::Bool(b) => builder.set(slot, Some(Raw::Bool(b))),
            Json::Number(n) => builder.set(slot, Some(Raw::Number(n))),
            Json::Text(Some(t)) => builder.set(slot, Some(Raw::Text(&t))),
            Json::Text(None) => builder.problems.push(not_unicode(Some(name))),
            other => builder.problems.push(
                ProblemKind::WrongJsonType {
                    found: other.kind(),
                    ty: rulebook.inputs[slot].ty.clone(),
                }
                .about(Some(name.to_string())),
            ),
        }
    }
    builder.finish(file, location)
}

fn not_unicode(field: Option<&str>) -> Problem {
    ProblemKind::Malformed(Malformed::HalfSurrogate).about(field.map(str::to_string))
}

/// A JSON value, by its first character (serde_json has checked the rest).
enum Json<'a> {
    Null,
    Bool(bool),
    /// The number's literal text.
    Number(&'a str),
    /// The text, unescaped; `None` if it escapes half of a surrogate pair.
    Text(Option<Cow<'a, str>>),
    Array,
    Object,
}

fn classify(value: &RawValue) -> Json<'_> {
    let text = value.get();
    match text.as_bytes().first() {
        Some(b'n') => Json::Null,
        Some(b't') => Json::Bool(true),
        Some(b'f') => Json::Bool(false),
        // Without a backslash the text is the characters between the quotes (serde_json
        // has checked them); otherwise it is unescaped.
        Some(b'"') if !text.contains('\\') && text.len() >= 2 => {
            Json::Text(Some(Cow::Borrowed(&text[1..text.len() - 1])))
        }
        Some(b'"') => Json::Text(serde_json::from_str::<String>(text).ok().map(Cow::Owned)),
        Some(b'[') => Json::Array,
        Some(b'{') => Json::Object,
        _ => Json::Number(text),
    }
}

impl Json<'_> {
    fn kind(&self) -> JsonKind {
        match self {
            Json::Null => JsonKind::Null,
            Json::Bool(_) => JsonKind::Boolean,
            Json::Number(_) => JsonKind::Number,
            Json::Text(_) => JsonKind::Text,
            Json::Array => JsonKind::Array,
            Json::Object => JsonKind::Object,
        }
    }
}

/// A key as written when it has no escape, unescaped otherwise.
type Key<'a> = Cow<'a, str>;

/// An object's fields in order, every one kept (a map would keep the last of two).
struct Fields<'a>(Vec<(Key<'a>, &'a RawValue)>);

/// A key, borrowed from the text when it can be.
struct KeyOf<'a>(Key<'a>);

impl<'de> Deserialize<'de> for KeyOf<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = KeyOf<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<KeyOf<'de>, E> {
                Ok(KeyOf(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyOf<'de>, E> {
                Ok(KeyOf(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<KeyOf<'de>, E> {
                Ok(KeyOf(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
                let mut fields = Vec::new();
                while let Some((KeyOf(key), value)) =
                    map.next_entry::<KeyOf<'de>, &'de RawValue>()?
                {
                    fields.push((key, value));
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}
