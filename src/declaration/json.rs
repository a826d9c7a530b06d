//! JSON declarations: one object or an array of objects (read whole), or JSON lines (one
//! object a line, streamed).

use std::io::BufRead;

use serde_json::Value as Json;

use super::{Builder, Location, Problem, Raw, RawRecord, ReadOptions, Record, Rejection};
use crate::model::CompiledRulebook;

/// A JSON line longer than this is refused (with its line number) rather than read into
/// memory: no declaration is anywhere near it.
const MAX_LINE_BYTES: u64 = super::MAX_LINE_BYTES as u64;

fn malformed(file: &str, location: Location, message: String, expected: &str) -> Record {
    Record::Rejected(Rejection {
        file: file.to_string(),
        location,
        id: None,
        problems: vec![Problem {
            code: "forfait::decl::malformed",
            field: None,
            message,
            expected: Some(expected.to_string()),
        }],
    })
}

/// A JSON file: one object, or an array of objects (read whole: for large batches, use
/// JSON lines or CSV).
pub(super) fn whole<R: BufRead>(file: &str, input: R) -> Vec<RawRecord> {
    let mut text = String::new();
    let mut limited = std::io::Read::take(input, super::MAX_JSON_BYTES + 1);
    if let Err(e) = std::io::Read::read_to_string(&mut limited, &mut text) {
        return vec![RawRecord::Ready(malformed(
            file,
            Location::File,
            format!("cannot read the file as UTF-8 text: {e}"),
            "a UTF-8 JSON file",
        ))];
    }
    if text.len() as u64 > super::MAX_JSON_BYTES {
        return vec![RawRecord::Ready(malformed(
            file,
            Location::File,
            format!(
                "the JSON file is larger than {} MiB",
                super::MAX_JSON_BYTES >> 20
            ),
            "JSON lines (.jsonl, one declaration a line, streamed) or CSV for large batches",
        ))];
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let parsed: Json = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![RawRecord::Ready(malformed(
                file,
                Location::Line(e.line() as u64),
                format!("not valid JSON: {e}"),
                "a JSON object, or an array of objects",
            ))]
        }
    };
    match parsed {
        Json::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, value)| RawRecord::Json {
                location: Location::Path(format!("$[{i}]")),
                value,
            })
            .collect(),
        value => vec![RawRecord::Json {
            location: Location::Path("$".into()),
            value,
        }],
    }
}

/// JSON lines: one object a line, read in order (parsed by `line_record`); blank lines are
/// skipped.
pub(super) fn lines<'a, R: BufRead + Send + 'a>(
    file: &'a str,
    mut input: R,
) -> impl Iterator<Item = RawRecord> + 'a {
    let mut line_number = 0u64;
    let mut buffer = Vec::new();
    std::iter::from_fn(move || loop {
        buffer.clear();
        line_number += 1;
        let read = std::io::Read::take(&mut input as &mut dyn BufRead, MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buffer);
        match read {
            Err(e) => {
                return Some(RawRecord::Ready(malformed(
                    file,
                    Location::Line(line_number),
                    format!("cannot read the line: {e}"),
                    "a readable file",
                )))
            }
            Ok(0) => return None,
            Ok(_) => {}
        }
        if buffer.len() as u64 > MAX_LINE_BYTES && !buffer.ends_with(b"\n") {
            // Skip the rest of the overlong line so that the next record starts clean.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                match std::io::Read::take(&mut input as &mut dyn BufRead, MAX_LINE_BYTES)
                    .read_until(b'\n', &mut rest)
                {
                    Ok(0) | Err(_) => break,
                    Ok(_) if rest.ends_with(b"\n") => break,
                    Ok(_) => {}
                }
            }
            return Some(RawRecord::Ready(malformed(
                file,
                Location::Line(line_number),
                format!("the line is longer than {MAX_LINE_BYTES} bytes"),
                "one declaration a line",
            )));
        }
        // Blank lines are skipped; "blank" as `line_record` trims (a lone byte order mark or
        // a vertical tab is blank too).
        let blank = std::str::from_utf8(&buffer)
            .is_ok_and(|t| t.trim_start_matches('\u{feff}').trim().is_empty());
        if blank {
            continue;
        }
        return Some(RawRecord::JsonLine {
            line: line_number,
            bytes: std::mem::take(&mut buffer),
        });
    })
}

/// One JSON line to a declaration, or its rejection.
pub(super) fn line_record(
    rulebook: &CompiledRulebook,
    file: &str,
    options: ReadOptions,
    line: u64,
    bytes: &[u8],
) -> Record {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return malformed(
                file,
                Location::Line(line),
                format!(
                    "not UTF-8 text (invalid byte at column {})",
                    e.valid_up_to() + 1
                ),
                "UTF-8 text",
            )
        }
    };
    let text = text.trim_start_matches('\u{feff}').trim();
    match serde_json::from_str::<Json>(text) {
        Ok(value) => record(rulebook, file, Location::Line(line), &value, options),
        Err(e) => malformed(
            file,
            Location::Line(line),
            format!("not valid JSON: {e}"),
            "one JSON object a line",
        ),
    }
}

pub(super) fn record(
    rulebook: &CompiledRulebook,
    file: &str,
    location: Location,
    item: &Json,
    options: ReadOptions,
) -> Record {
    let mut builder = Builder::new(rulebook, options);
    let Json::Object(fields) = item else {
        builder.problems.push(Problem {
            code: "forfait::decl::malformed",
            field: None,
            message: format!("a declaration must be an object, found {}", kind(item)),
            expected: Some("an object such as {\"id\": \"PS-1\", ...}".into()),
        });
        return builder.finish(file, location);
    };
    builder.set_id(fields.get("id").and_then(raw));
    for (name, value) in fields {
        if name == "id" {
            continue;
        }
        match rulebook.input_slot(name) {
            Some(slot) => match (value, raw(value)) {
                (Json::Null, _) => {}
                (_, Some(r)) => builder.set(slot, Some(r)),
                (other, None) => builder.problems.push(Problem {
                    code: "forfait::decl::wrong_type",
                    field: Some(name.clone()),
                    message: format!("found {}", kind(other)),
                    expected: Some(super::expected(&rulebook.inputs[slot].ty)),
                }),
            },
            None => builder.unknown_field(name),
        }
    }
    builder.finish(file, location)
}

fn raw(value: &Json) -> Option<Raw<'_>> {
    match value {
        Json::String(s) => Some(Raw::Text(s)),
        Json::Bool(b) => Some(Raw::Bool(*b)),
        // Integers print exactly; other numbers are parsed again as decimals by the field's
        // type, never used as floats.
        Json::Number(n) => Some(Raw::Number(n.to_string())),
        _ => None,
    }
}

fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a text",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}
