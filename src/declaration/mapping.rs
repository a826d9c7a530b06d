//! A mapping file: how an export's columns (and JSON keys) and choice cells are spelled,
//! for files that do not use the rulebook's names. It is TOML, beside the rulebook
//! (`X.map.toml` next to `X.forfait`) or given with `--map FILE`:
//!
//! ```toml
//! ignore = ["nom", "prénom", "département"]
//!
//! [columns]
//! "N° PS" = "id"
//! "Nb actes FSE" = "actes_fse"
//!
//! [values.specialite]
//! "MG" = "medecine_generale"
//! ```
//!
//! Pure: the text in, a [`Mapping`] resolved against a rulebook (headings to slots, values
//! to choice indices) or every problem with its line out. It is read once per run; the
//! readers look headings up when they build a file's layout, never per row.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use crate::lang::closest;
use crate::model::{CompiledRulebook, InputType, Slot};

/// What a heading (or JSON key) of the file is, by the mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Id,
    Input(Slot),
    /// Listed under `ignore`: read past.
    Ignored,
}

/// A mapping file read and resolved against one rulebook.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    /// Headings as written in the file (trimmed), to what they are.
    fields: HashMap<String, Field>,
    /// Cell spellings of choices: (slot, spelling as written in the mapping, choice index).
    values: Vec<(Slot, String, u32)>,
}

/// One problem of a mapping file, at its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingError {
    /// 1-based; the line the TOML parser or the entry points at.
    pub line: u64,
    pub problem: MappingProblem,
}

/// What is wrong with an entry of a mapping file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingProblem {
    /// Not TOML, or not a mapping file's keys (`[colonnes]`): the parser's words.
    Syntax(String),
    /// A heading mapped to a name that is neither `id` nor an input of the rulebook.
    UnknownInput {
        name: String,
        rulebook: String,
        suggestion: Option<String>,
    },
    /// Values given for an input that is not a choice.
    NotAChoice { input: String },
    /// A value mapped to a name that is not one of the input's choices.
    UnknownChoice {
        input: String,
        name: String,
        suggestion: Option<String>,
    },
    /// A heading both renamed and ignored, or listed twice under `ignore`.
    Twice { heading: String },
}

/// The file as TOML holds it; entries keep their place for the messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingText {
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    columns: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    values: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>,
}

impl Mapping {
    /// Reads `text` (a mapping file) against `rulebook`: every problem, each at its line.
    pub fn read(text: &str, rulebook: &CompiledRulebook) -> Result<Mapping, Vec<MappingError>> {
        let line = |offset: usize| -> u64 {
            let before = text.get(..offset).unwrap_or(text);
            1 + before.bytes().filter(|b| *b == b'\n').count() as u64
        };
        let parsed: MappingText = toml::from_str(text).map_err(|e| {
            vec![MappingError {
                line: e.span().map_or(1, |s| line(s.start)),
                problem: MappingProblem::Syntax(e.message().trim().to_string()),
            }]
        })?;
        let mut errors = Vec::new();
        let mut mapping = Mapping::default();
        let input_names = || {
            rulebook
                .inputs
                .iter()
                .map(|i| i.name.as_str())
                .chain(["id"])
        };
        for (heading, target) in &parsed.columns {
            let field = match target.get_ref().as_str() {
                "id" => Some(Field::Id),
                name => rulebook.input_slot(name).map(Field::Input),
            };
            match field {
                Some(field) => {
                    mapping
                        .fields
                        .insert(heading.get_ref().trim().to_string(), field);
                }
                None => errors.push(MappingError {
                    line: line(target.span().start),
                    problem: MappingProblem::UnknownInput {
                        name: target.get_ref().clone(),
                        rulebook: rulebook.meta.name.clone(),
                        suggestion: closest(target.get_ref(), input_names()),
                    },
                }),
            }
        }
        for heading in &parsed.ignore {
            let key = heading.get_ref().trim().to_string();
            if mapping.fields.insert(key.clone(), Field::Ignored).is_some() {
                errors.push(MappingError {
                    line: line(heading.span().start),
                    problem: MappingProblem::Twice { heading: key },
                });
            }
        }
        for (input, spellings) in &parsed.values {
            let name = input.get_ref();
            let Some(slot) = rulebook.input_slot(name) else {
                errors.push(MappingError {
                    line: line(input.span().start),
                    problem: MappingProblem::UnknownInput {
                        name: name.clone(),
                        rulebook: rulebook.meta.name.clone(),
                        suggestion: closest(name, input_names()),
                    },
                });
                continue;
            };
            let InputType::Choice(choices) = &rulebook.inputs[slot].ty else {
                errors.push(MappingError {
                    line: line(input.span().start),
                    problem: MappingProblem::NotAChoice {
                        input: name.clone(),
                    },
                });
                continue;
            };
            for (spelling, choice) in spellings {
                let index = choices
                    .iter()
                    .position(|c| &c.name == choice.get_ref())
                    .and_then(|i| u32::try_from(i).ok());
                match index {
                    Some(index) => {
                        mapping
                            .values
                            .push((slot, spelling.get_ref().trim().to_string(), index))
                    }
                    None => errors.push(MappingError {
                        line: line(choice.span().start),
                        problem: MappingProblem::UnknownChoice {
                            input: name.clone(),
                            name: choice.get_ref().clone(),
                            suggestion: closest(
                                choice.get_ref(),
                                choices.iter().map(|c| c.name.as_str()),
                            ),
                        },
                    }),
                }
            }
        }
        errors.sort_by_key(|e| e.line);
        if errors.is_empty() {
            Ok(mapping)
        } else {
            Err(errors)
        }
    }

    /// What the heading (or key) `name` is by this mapping; `None` when it names nothing
    /// here (it may still be an input's own name).
    pub fn field(&self, name: &str) -> Option<Field> {
        self.fields.get(name.trim()).copied()
    }

    /// The spellings of choices it gives: (slot, spelling, choice index).
    pub(crate) fn values(&self) -> &[(Slot, String, u32)] {
        &self.values
    }
}

/// Where the mapping beside a rulebook is: `X.map.toml` for `X.forfait`.
pub fn beside(rulebook_path: &str) -> String {
    let stem = rulebook_path
        .strip_suffix(".forfait")
        .unwrap_or(rulebook_path);
    format!("{stem}.map.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rulebook() -> CompiledRulebook {
        let source = include_str!("../../rulebooks/forfait-structure/2025-medecins.forfait");
        match crate::compile("medecins.forfait", source) {
            Ok(compiled) => compiled.rulebook,
            Err(report) => panic!("{report:?}"),
        }
    }

    #[test]
    fn headings_values_and_ignored_columns_resolve() {
        let rb = rulebook();
        let text = "ignore = [\"nom\", \" prénom \"]\n\n[columns]\n\"Nb actes FSE\" = \"actes_fse\"\n\"N° PS\" = \"id\"\n\n[values.dispositif_coordination]\n\"Maison de santé\" = \"msp\"\n";
        let mapping = Mapping::read(text, &rb).unwrap_or_default();
        let fse = rb.input_slot("actes_fse").map(Field::Input);
        assert_eq!(mapping.field(" Nb actes FSE"), fse);
        assert_eq!(mapping.field("N° PS"), Some(Field::Id));
        assert_eq!(mapping.field("prénom"), Some(Field::Ignored));
        assert_eq!(mapping.field("actes_fse"), None);
        assert_eq!(mapping.values().len(), 1);
    }

    #[test]
    fn every_problem_has_its_line_and_a_suggestion() {
        let rb = rulebook();
        let text = "[columns]\n\"Nb actes FSE\" = \"actes_fsee\"\n\n[values.dispositif_coordination]\n\"MSP\" = \"mps\"\n\n[values.actes_fse]\n\"x\" = \"y\"\n";
        let errors = Mapping::read(text, &rb).err().unwrap_or_default();
        let found: Vec<(u64, &MappingProblem)> =
            errors.iter().map(|e| (e.line, &e.problem)).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(matches!(
            found[0],
            (2, MappingProblem::UnknownInput { suggestion: Some(s), .. }) if s == "actes_fse"
        ));
        assert!(matches!(
            found[1],
            (5, MappingProblem::UnknownChoice { suggestion: Some(s), .. }) if s == "msp"
        ));
        assert!(matches!(found[2], (7, MappingProblem::NotAChoice { .. })));
        let errors = Mapping::read("[colonnes]\na = \"b\"\n", &rb)
            .err()
            .unwrap_or_default();
        assert!(
            matches!(
                &errors[..],
                [MappingError {
                    line: 1,
                    problem: MappingProblem::Syntax(_)
                }]
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn the_mapping_beside_a_rulebook() {
        assert_eq!(
            beside("r/2025-medecins.forfait"),
            "r/2025-medecins.map.toml"
        );
    }
}
