//! What one record of a declaration file becomes: an outcome, or a rejection that says
//! where and why. The glue between the readers (`declaration`) and `eval`: neither knows
//! the other's results.

use crate::declaration::{self, Location, ProblemKind, Record, Rejection};
use crate::eval::{evaluate, EvalOptions, MissingInputs, Outcome};
use crate::model::CompiledRulebook;

/// One record of a declaration file after evaluation.
#[derive(Clone, Debug)]
pub enum Evaluated {
    Outcome {
        file: String,
        location: Location,
        outcome: Box<Outcome>,
    },
    Rejected(Rejection),
}

/// Reads a declaration file (`.csv`, else JSON) and evaluates every record in it. Each
/// record yields an outcome or a rejection; none is dropped.
pub fn evaluate_file(
    rulebook: &CompiledRulebook,
    file: &str,
    text: &str,
    options: EvalOptions,
) -> Vec<Evaluated> {
    let format = declaration::InputFormat::from_path(file);
    declaration::records(rulebook, file, text.as_bytes(), format, Default::default())
        .map(|record| evaluate_record(rulebook, file, record, options))
        .collect()
}

/// Evaluates one record read from `file`.
pub fn evaluate_record(
    rulebook: &CompiledRulebook,
    file: &str,
    record: Record,
    options: EvalOptions,
) -> Evaluated {
    match record {
        Record::Rejected(r) => Evaluated::Rejected(r),
        Record::Declaration(declaration, location) => {
            match evaluate(rulebook, &declaration, options) {
                Ok(outcome) => Evaluated::Outcome {
                    file: file.to_string(),
                    location,
                    outcome: Box::new(outcome),
                },
                Err(missing) => Evaluated::Rejected(missing_inputs_rejection(
                    rulebook,
                    file,
                    location,
                    &declaration.id,
                    &missing,
                )),
            }
        }
    }
}

/// The rejection for a declaration the evaluator found incomplete.
pub fn missing_inputs_rejection(
    rulebook: &CompiledRulebook,
    file: &str,
    location: Location,
    id: &str,
    missing: &MissingInputs,
) -> Rejection {
    Rejection {
        file: file.to_string(),
        location,
        id: Some(id.to_string()),
        problems: missing
            .needed
            .iter()
            .map(|(slot, needed_by)| {
                let input = &rulebook.inputs[*slot];
                ProblemKind::MissingInput {
                    needed_by: needed_by.map(|t| rulebook.target_name(t).to_string()),
                    ty: input.ty.clone(),
                }
                .about(Some(input.name.clone()))
            })
            .collect(),
    }
}
