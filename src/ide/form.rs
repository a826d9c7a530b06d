//! The form a person fills in to simulate a declaration: one field per input of a compiled
//! rulebook, `profession` first, with the words of the rulebook and of the guide.
//!
//! Values typed in such a form go back through the declaration readers
//! ([`crate::declaration::read_str`]) as the texts of a JSON declaration, so the form says
//! what each field holds and never reads a value itself.

use crate::french;
use crate::french::labels::choice_label;
use crate::model::{CompiledRulebook, InputType, MissingRule, PROFESSION};
use crate::value::Value;

/// What a field holds, as a form shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    YesNo,
    Count,
    Decimal,
    Date,
    Text,
    Choice,
}

impl FieldType {
    /// `yes_no`, `count`, `decimal`, `date`, `text`, `choice`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::YesNo => "yes_no",
            FieldType::Count => "count",
            FieldType::Decimal => "decimal",
            FieldType::Date => "date",
            FieldType::Text => "text",
            FieldType::Choice => "choice",
        }
    }
}

/// One value of a choice: its name (what a declaration writes) and its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChoice {
    pub name: String,
    pub label: String,
}

/// One input of the rulebook, as a field of the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub ty: FieldType,
    pub unit: Option<String>,
    /// The guide's words for where the value comes from: « Automatisé », « Déclaratif »...
    pub source: &'static str,
    /// A declaration without it is rejected: `missing is error` and some rule reads it (or
    /// the rulebook covers several professions, for `profession`).
    pub required: bool,
    /// What a blank field means (`missing means ...`), written as a declaration writes it:
    /// `oui` / `non`, `0`, `2024-12-31`, a choice's name; `None` when a blank field is an
    /// error or means none.
    pub default: Option<String>,
    /// The values of a choice (and of `profession`); empty for the other types.
    pub choices: Vec<FieldChoice>,
}

/// Every input of `rulebook` as a form field, in the rulebook's order (`profession`, the
/// built-in input, first).
pub fn fields(rulebook: &CompiledRulebook) -> Vec<Field> {
    rulebook
        .inputs
        .iter()
        .enumerate()
        .map(|(slot, input)| {
            let (ty, choices) = match &input.ty {
                InputType::YesNo => (FieldType::YesNo, Vec::new()),
                InputType::Count => (FieldType::Count, Vec::new()),
                InputType::Decimal => (FieldType::Decimal, Vec::new()),
                InputType::Date => (FieldType::Date, Vec::new()),
                InputType::Text => (FieldType::Text, Vec::new()),
                InputType::Choice(values) => (
                    FieldType::Choice,
                    values
                        .iter()
                        .enumerate()
                        .map(|(i, c)| FieldChoice {
                            name: c.name.clone(),
                            label: u32::try_from(i)
                                .map(|i| choice_label(rulebook, slot, i))
                                .unwrap_or_else(|_| c.name.clone()),
                        })
                        .collect(),
                ),
            };
            let required = match &input.missing {
                MissingRule::Default(_) => false,
                MissingRule::Error if slot == PROFESSION => rulebook.needs_profession(),
                MissingRule::Error => rulebook
                    .targets()
                    .any(|t| rulebook.reads(t).contains(&slot)),
            };
            let default = match &input.missing {
                MissingRule::Default(value) => written(rulebook, slot, value),
                MissingRule::Error => None,
            };
            Field {
                name: input.name.clone(),
                label: input.label.clone(),
                ty,
                unit: input.unit.clone(),
                source: french::source(input.source),
                required,
                default,
                choices,
            }
        })
        .collect()
}

/// A value as a declaration writes it, for a form to show; `None` for no value.
fn written(rulebook: &CompiledRulebook, slot: usize, value: &Value) -> Option<String> {
    Some(match value {
        Value::Missing | Value::Absent => return None,
        Value::YesNo(b) => french::yes_no(*b).to_string(),
        Value::Count(n) => n.to_string(),
        Value::Decimal(d) => d.to_string(),
        Value::Date(d) => d.to_string(),
        Value::Text(t) => t.clone(),
        Value::Choice(c) => rulebook.choice_name(slot, *c).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULEBOOK: &str = r#"
rulebook demo "Démonstration"
  scheme "FAMI"
  exercice 2024
  paid in 2025
  guide "Guide"
  currency EUR
  professions (chirurgien_dentiste "Chirurgiens-dentistes", sage_femme)

input actes "Actes" count automated unit "actes" missing is error
input inutile "Jamais lu" count automated missing is error
input messagerie "Messagerie" one of (mss "MSSanté", aucune) declarative missing means aucune
input horaires "Horaires" yes/no declarative prefilled missing means no

indicator a "A"
  section "1"
  automated
  met when actes >= 1 and messagerie = mss and horaires
  independent
  pays 10 EUR
"#;

    #[test]
    fn every_input_is_a_field_profession_first() {
        let rulebook = match crate::compile("2024-demo.forfait", RULEBOOK) {
            Ok(c) => c.rulebook,
            Err(report) => panic!("{}", report.render_human()),
        };
        let fields = fields(&rulebook);
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["profession", "actes", "inutile", "messagerie", "horaires"]
        );
        let profession = &fields[0];
        assert_eq!(profession.ty, FieldType::Choice);
        assert!(profession.required, "two professions: it must be said");
        assert_eq!(profession.choices[0].label, "Chirurgiens-dentistes");
        assert_eq!(profession.choices[1].name, "sage_femme");
        assert_eq!(fields[1].ty.as_str(), "count");
        assert_eq!(fields[1].unit.as_deref(), Some("actes"));
        assert_eq!(fields[1].source, "Automatisé");
        assert!(fields[1].required);
        assert!(!fields[2].required, "no rule reads it");
        assert_eq!(fields[3].default.as_deref(), Some("aucune"));
        assert_eq!(fields[3].choices[0].label, "MSSanté");
        assert!(!fields[3].required);
        assert_eq!(fields[4].ty, FieldType::YesNo);
        assert_eq!(fields[4].default.as_deref(), Some("non"));
        assert_eq!(fields[4].source, "Déclaratif avec pré-alimentation");
    }
}
