//! `forfait schema`: the JSON Schema of a rulebook's declarations, for the systems that
//! produce them.

use serde_json::{json, Map, Value as Json};

use crate::model::{CompiledRulebook, InputType, MissingRule, Source, PROFESSION};

pub fn render(rulebook: &CompiledRulebook) -> String {
    let mut properties = Map::new();
    properties.insert(
        "id".into(),
        json!({"description": "Identifiant de la déclaration (professionnel)", "type": ["string", "integer"]}),
    );
    let mut required = vec![Json::from("id")];
    for (slot, input) in rulebook.inputs.iter().enumerate() {
        let mut schema = match &input.ty {
            InputType::YesNo => {
                json!({"type": ["boolean", "string"], "enum": [true, false, "oui", "non", "yes", "no", "true", "false", "1", "0"]})
            }
            InputType::Count => {
                json!({"type": ["integer", "string"], "minimum": 0, "pattern": "^[0-9]+$"})
            }
            InputType::Decimal => {
                json!({"type": ["number", "string"], "pattern": "^-?[0-9]+([.,][0-9]+)?$"})
            }
            InputType::Date => {
                json!({"type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}/[0-9]{2}/[0-9]{4})$"})
            }
            InputType::Text => json!({"type": "string"}),
            InputType::Choice(choices) => json!({
                "type": "string",
                "enum": choices.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
            }),
        };
        let source = match input.source {
            Source::Automated => "automatisé",
            Source::Declarative => "déclaratif",
            Source::DeclarativePrefilled => "déclaratif avec pré-alimentation",
        };
        let missing = match &input.missing {
            MissingRule::Error => "absent : erreur si une règle le lit".to_string(),
            MissingRule::Default(v) => format!(
                "absent : vaut {}",
                crate::output::json::value_json(rulebook, slot, v)
            ),
        };
        if let Json::Object(map) = &mut schema {
            map.insert(
                "description".into(),
                Json::from(format!("{} ({source} ; {missing})", input.label)),
            );
        }
        let must_carry = matches!(input.missing, MissingRule::Error)
            && (input.always_read || (slot == PROFESSION && rulebook.needs_profession()));
        if must_carry {
            required.push(Json::from(input.name.clone()));
        }
        properties.insert(input.name.clone(), schema);
    }
    let declaration = json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    });
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("Déclaration : {}", rulebook.meta.title),
        "description": format!("Règles {} ({})", rulebook.meta.name, rulebook.meta.content_hash),
        "oneOf": [declaration.clone(), {"type": "array", "items": declaration}],
    });
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
