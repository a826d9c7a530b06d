//! Output: outcomes and rejections as JSON (the machine contract), text, CSV, an
//! explanation tree, and the declarations' JSON Schema. Nothing here evaluates: it renders
//! what `eval` produced.

pub(crate) mod cells;
pub mod columns;
pub mod csv;
pub mod diff;
pub mod explain;
pub mod json;
pub mod matrix;
pub mod schema;
pub mod text;
