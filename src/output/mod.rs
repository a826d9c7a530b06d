//! Output: outcomes and rejections as JSON (the machine contract), text, CSV, an
//! explanation tree, and the declarations' JSON Schema. Nothing here evaluates: it renders
//! what `eval` produced.

pub mod csv;
pub mod diff;
pub mod explain;
pub mod json;
pub mod matrix;
pub mod schema;
pub mod text;

use crate::declaration::{Location, Rejection};
use crate::eval::Outcome;

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
