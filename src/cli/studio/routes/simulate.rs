//! A simulation: the form of a rulebook's inputs, and one declaration typed in it,
//! evaluated as `forfait eval` and `forfait explain` would.

use forfait::declaration::{self, InputFormat};
use forfait::diagnostics::Lang;
use forfait::eval::EvalOptions;
use forfait::ide::form::{self, Field};
use forfait::model::CompiledRulebook;
use forfait::output;
use forfait::record::{evaluate_record, Evaluated};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{json, Value as Json};

use super::{compiled, Answer, Refused};
use crate::cli::words::Refusal;

/// A declaration's fields as they were sent: each value's JSON text, never read as a
/// float, in the order given.
pub struct Fields(pub Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fields, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of a declaration's fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry::<String, Box<RawValue>>()? {
                    pairs.push(pair);
                }
                Ok(Fields(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

impl Fields {
    /// The fields given: `null` and blank texts mean "not given" and are left out.
    fn given(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().filter_map(|(name, raw)| {
            let raw = raw.get().trim();
            let blank = raw == "null"
                || serde_json::from_str::<String>(raw).is_ok_and(|t| t.trim().is_empty());
            (!blank).then_some((name.as_str(), raw))
        })
    }

    /// The declaration as a JSON object, with `id` first (`default_id` when it has none);
    /// one field a line when `pretty`.
    pub fn declaration(&self, default_id: &str, pretty: bool) -> String {
        let mut parts = Vec::new();
        if !self.given().any(|(name, _)| name == "id") {
            parts.push(format!("\"id\": {}", json!(default_id)));
        }
        for (name, raw) in self.given() {
            parts.push(format!("{}: {raw}", json!(name)));
        }
        if pretty {
            format!("{{\n  {}\n}}\n", parts.join(",\n  "))
        } else {
            format!("{{{}}}", parts.join(", "))
        }
    }
}

#[derive(Deserialize)]
pub struct SimulateBody {
    text: String,
    #[serde(default)]
    path: Option<String>,
    declaration: Fields,
}

/// The form's fields as JSON.
pub fn form(rulebook: &CompiledRulebook) -> Json {
    form::fields(rulebook).iter().map(field).collect()
}

fn field(f: &Field) -> Json {
    let choices: Vec<Json> = f
        .choices
        .iter()
        .map(|c| json!({ "name": c.name, "label": c.label }))
        .collect();
    json!({
        "name": f.name,
        "label": f.label,
        "type": f.ty.as_str(),
        "unit": f.unit,
        "source": f.source,
        "required": f.required,
        "default": f.default,
        "choices": choices,
    })
}

pub fn simulate(body: SimulateBody, lang: Lang) -> Answer {
    let compiled = compiled(&body.text, body.path.as_deref())?;
    let rulebook = &compiled.rulebook;
    let text = body.declaration.declaration("simulation", false);
    let file = "simulation.json";
    let record =
        declaration::read_str(rulebook, file, &text, InputFormat::Json, Default::default())
            .into_iter()
            .next()
            .ok_or_else(|| Refused::from(Refusal::NotADeclaration { path: file.into() }))?;
    let evaluated = evaluate_record(rulebook, file, record, EvalOptions::default());
    let (tree, what_if) = match &evaluated {
        Evaluated::Outcome { outcome, .. } => {
            let tree: Vec<Json> = output::explain::tree(rulebook, outcome)
                .iter()
                .map(line)
                .collect();
            let what_if: Vec<Json> = rulebook
                .indicators
                .iter()
                .enumerate()
                .filter_map(|(i, ind)| {
                    let words = output::text::what_if(rulebook, outcome, i)?;
                    let if_met = outcome.indicators[i].total_if_met?;
                    Some(json!({
                        "indicator": ind.head.name,
                        "label": ind.head.label,
                        "section": ind.section,
                        "total_if_met": if_met.to_string(),
                        "more": (if_met - outcome.total_euros).max(Default::default()).to_string(),
                        "held_back_by": outcome.indicators[i].held_back_by.map(|t| rulebook.target_name(t)),
                        "text": words,
                    }))
                })
                .collect();
            (Json::from(tree), what_if)
        }
        Evaluated::Rejected(_) => (Json::Null, Vec::new()),
    };
    let records = [evaluated];
    Ok(json!({
        "outcome": output::json::to_json(rulebook, &records[0]),
        "statement": output::text::render_in(rulebook, &records, lang),
        "tree": tree,
        "what_if": what_if,
        "inputs": form(rulebook),
    }))
}

/// An explanation tree's node as JSON (`forfait serve`'s explain answers it too).
pub(crate) fn line(l: &output::explain::Line) -> Json {
    json!({
        "text": l.text,
        "status": l.status.map(|s| s.as_str()),
        "holds": l.holds,
        "children": l.children.iter().map(line).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declaration_keeps_its_values_as_written() {
        let fields: Fields = match serde_json::from_str(
            r#"{"actes": 700, "taux": 12.50, "vide": "", "blanc": "  ", "nul": null, "oui": true, "choix": "msp"}"#,
        ) {
            Ok(f) => f,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            fields.declaration("simulation", false),
            r#"{"id": "simulation", "actes": 700, "taux": 12.50, "oui": true, "choix": "msp"}"#
        );
        let named: Fields = match serde_json::from_str(r#"{"id": "cas-1", "a": "3"}"#) {
            Ok(f) => f,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            named.declaration("x", true),
            "{\n  \"id\": \"cas-1\",\n  \"a\": \"3\"\n}\n"
        );
    }
}
