//! `forfait schema`: the JSON Schema (draft 2020-12) of a rulebook's declarations, for the
//! systems that produce them.
//!
//! It describes what the declaration readers (`src/declaration/`) accept, spelling by
//! spelling, so that a declaration the schema accepts is one forfait reads (`tests/schema.rs`
//! checks both on a table of spellings). Each type is an `anyOf` of typed alternatives; the
//! text spellings are ECMA-262 patterns that use no flag and no look-around, so that every
//! validator reads them alike (letter case is spelt out: `[Oo][Uu][Ii]`).

use serde_json::{json, Map, Value as Json};

use crate::model::{CompiledRulebook, InputType, MissingRule, PROFESSION};

/// The characters the readers trim around a value: Unicode's White_Space, as Rust's
/// `str::trim` (the no-break spaces U+00A0 and U+202F among them). Spelt out rather than
/// `\s`, whose ECMA-262 meaning differs by U+0085 and U+FEFF.
const SPACES: &str =
    r"\t\n\u000B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// The spaces that may group the digits by three (`1 000`, `1 000` with a no-break space).
const GROUP: &str = r"[ \u00A0\u202F]";

/// What the schema cannot see, said in its description and in docs/language.md.
const KNOWN_DIFFERENCES: &str = "Différences connues avec forfait : un nombre JSON écrit avec un exposant (7e2) est refusé par forfait, mais JSON Schema ne distingue pas 7e2 de 700 ; le schéma vérifie la forme d'une date, pas qu'elle existe au calendrier (31/02/2025), ni les bornes des nombres (un décimal a au plus 28 chiffres significatifs) ; le libellé d'une valeur de choix est admis tel que le référentiel l'écrit, forfait l'admet aussi dans une autre casse, sans accents ou entouré d'espaces.";

/// `^ value $`, the value surrounded by any spaces.
fn trimmed(value: &str) -> String {
    format!("^[{SPACES}]*(?:{value})[{SPACES}]*$")
}

/// A text with something else than spaces in it.
fn not_blank() -> String {
    format!("[^{SPACES}]")
}

/// Digits, or digits grouped by three with spaces: `1000`, `1 000`.
fn digits() -> String {
    format!("[0-9]+|[0-9]{{1,3}}(?:{GROUP}[0-9]{{3}})+")
}

fn text_pattern(value: &str, description: &str) -> Json {
    json!({"type": "string", "pattern": trimmed(value), "description": description})
}

/// A letter in either case: `[Oo]`.
fn any_case(word: &str) -> String {
    word.chars()
        .map(|c| format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase()))
        .collect()
}

/// The typed alternatives of one type's given values (not the blank ones).
fn given(ty: &InputType) -> Vec<Json> {
    match ty {
        InputType::YesNo => {
            let words: Vec<String> = ["true", "false", "oui", "non", "yes", "no"]
                .iter()
                .map(|w| any_case(w))
                .chain(["1".into(), "0".into()])
                .collect();
            vec![
                json!({"type": "boolean"}),
                json!({"type": "integer", "enum": [0, 1], "description": "1 : oui, 0 : non"}),
                text_pattern(
                    &words.join("|"),
                    "oui/non, yes/no, true/false (en majuscules ou minuscules), 1 ou 0",
                ),
            ]
        }
        InputType::Count => vec![
            json!({"type": "integer", "minimum": 0, "maximum": u64::MAX}),
            text_pattern(
                // `700,0` and `700.00` are whole; `1,000` (three digits) could be a
                // thousand or one: refused.
                &format!(r"\+?(?:{})(?:[.,](?:0|00|0000+))?", digits()),
                "nombre entier positif ou nul : 700, 1 000, 700,0 (pas 1,000, ambigu)",
            ),
        ],
        InputType::Decimal => vec![
            json!({"type": "number"}),
            text_pattern(
                &format!(r"[+-]?(?:{})(?:[.,][0-9]+)?", digits()),
                "nombre décimal, avec un point ou une virgule : 12.5, 12,5, 1 000,5",
            ),
        ],
        InputType::Date => vec![text_pattern(
            r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[1-9]|[12][0-9]|3[01])/(?:0[1-9]|1[0-2])/[0-9]{4}",
            "date AAAA-MM-JJ ou JJ/MM/AAAA",
        )],
        InputType::Text => vec![json!({"type": "string"})],
        InputType::Choice(choices) => {
            let names: Vec<&str> = choices.iter().map(|c| c.name.as_str()).collect();
            // A value's label, as the rulebook writes it, is read as the value too.
            let spellings: Vec<&str> = names
                .iter()
                .copied()
                .chain(choices.iter().filter_map(|c| c.label.as_deref()))
                .collect();
            vec![
                json!({"type": "string", "enum": spellings}),
                // The names are lowercase letters, digits and `_`: nothing to escape.
                text_pattern(&names.join("|"), "l'un des noms, espaces autour admis"),
            ]
        }
    }
}

/// The schema of one input's value. `null` and a blank text are "not given"; an input every
/// declaration must carry does not accept them (the declaration would be rejected).
fn value_schema(ty: &InputType, must_carry: bool) -> Json {
    let mut alternatives = given(ty);
    if must_carry {
        if *ty == InputType::Text {
            alternatives = vec![json!({"type": "string", "pattern": not_blank()})];
        }
    } else {
        alternatives.push(json!({"type": "null", "description": "non renseigné"}));
        if *ty != InputType::Text {
            alternatives.push(json!({
                "type": "string",
                "pattern": format!("^[{SPACES}]*$"),
                "description": "texte vide : non renseigné",
            }));
        }
    }
    json!({"anyOf": alternatives})
}

pub fn render(rulebook: &CompiledRulebook) -> String {
    let mut properties = Map::new();
    properties.insert(
        "id".into(),
        json!({
            "description": "Identifiant de la déclaration (professionnel) : un texte non vide ou un nombre",
            "anyOf": [{"type": "string", "pattern": not_blank()}, {"type": "number"}],
        }),
    );
    let mut required = vec![Json::from("id")];
    for (slot, input) in rulebook.inputs.iter().enumerate() {
        let must_carry = matches!(input.missing, MissingRule::Error)
            && (input.always_read || (slot == PROFESSION && rulebook.needs_profession()));
        let mut schema = value_schema(&input.ty, must_carry);
        let source = crate::french::source(input.source);
        let missing = match &input.missing {
            MissingRule::Error => "absent : erreur si une règle le lit".to_string(),
            MissingRule::Default(v) => format!(
                "absent : vaut {}",
                crate::output::json::value_json(rulebook, slot, v)
            ),
        };
        if let Json::Object(map) = &mut schema {
            let mut described = Map::new();
            described.insert(
                "description".into(),
                Json::from(format!("{} ({source} ; {missing})", input.label)),
            );
            described.append(map);
            *map = described;
        }
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
        "description": format!(
            "Règles {} ({}). {KNOWN_DIFFERENCES}",
            rulebook.meta.name, rulebook.meta.content_hash
        ),
        "oneOf": [declaration.clone(), {"type": "array", "items": declaration}],
    });
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
