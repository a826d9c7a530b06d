//! JSON declarations: one object, or an array of objects.

use serde_json::Value as Json;

use super::{Builder, Location, Problem, Raw, Record, Rejection};
use crate::model::CompiledRulebook;

pub fn read_json(rulebook: &CompiledRulebook, file: &str, text: &str) -> Vec<Record> {
    let parsed: Json = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![Record::Rejected(Rejection {
                file: file.to_string(),
                location: Location::Line(e.line() as u64),
                id: None,
                problems: vec![Problem {
                    code: "forfait::decl::malformed",
                    field: None,
                    message: format!("not valid JSON: {e}"),
                    expected: Some("a JSON object, or an array of objects".into()),
                }],
            })]
        }
    };
    match parsed {
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| record(rulebook, file, Location::Path(format!("$[{i}]")), item))
            .collect(),
        other => vec![record(rulebook, file, Location::Path("$".into()), &other)],
    }
}

fn record(rulebook: &CompiledRulebook, file: &str, location: Location, item: &Json) -> Record {
    let mut builder = Builder::new(rulebook);
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
            None => builder
                .problems
                .push(Builder::unknown_field_problem(rulebook, name)),
        }
    }
    builder.finish(file, location)
}

fn raw(value: &Json) -> Option<Raw<'_>> {
    match value {
        Json::String(s) => Some(Raw::Text(s)),
        Json::Bool(b) => Some(Raw::Bool(*b)),
        Json::Number(n) => Some(Raw::Number(number_text(n))),
        _ => None,
    }
}

/// A JSON number as text: integers are exact; other numbers are parsed again as decimals
/// by the field's type (never through a float for money or counts).
fn number_text(n: &serde_json::Number) -> String {
    n.to_string()
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
