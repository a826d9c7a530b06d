//! forfait: a declarative rule language for the French health-insurance fund's flat-rate
//! incentive schemes (FAMI, forfait structure).
//!
//! A **rulebook** transcribes one yearly guide; a **declaration** is one professional's
//! data. The pipeline runs one way: [`parse`] (text to AST), [`check`](fn@check) (names, types,
//! gating, stated totals; produces a compiled rulebook), [`evaluate`](fn@evaluate) (compiled rulebook
//! and declaration to an outcome with its trace), then [`output`] renders outcomes.
//!
//! ```
//! let source = r#"
//! rulebook demo "Démonstration"
//!   scheme "FAMI"
//!   exercice 2024
//!   paid in 2025
//!   guide "Guide de démonstration"
//!   currency EUR
//!   professions (chirurgien_dentiste)
//!
//! input actes_fse "Actes FSE" count automated missing is error
//! input actes_total "Total des actes" count automated missing is error
//!
//! indicator teletransmission "Taux de télétransmission ≥ 70 %"
//!   section "1.4"
//!   automated
//!   met when actes_fse / actes_total >= 70 %
//!   independent
//!   pays 490 EUR
//! "#;
//! let rulebook = forfait::compile("demo.forfait", source).expect("a valid rulebook").rulebook;
//! let records = forfait::declaration::read_str(
//!     &rulebook,
//!     "decl.json",
//!     r#"{"id": "PS-1", "actes_fse": 700, "actes_total": 1000}"#,
//!     forfait::declaration::InputFormat::Json,
//!     Default::default(),
//! );
//! let forfait::declaration::Record::Declaration(declaration, _) = &records[0] else { panic!() };
//! let outcome = forfait::evaluate(&rulebook, declaration, Default::default()).expect("complete");
//! assert_eq!(outcome.total_euros.to_string(), "490.00");
//! ```

pub mod batch;
pub mod check;
pub mod declaration;
pub mod diagnostics;
pub mod diff;
pub mod doc;
pub mod eval;
pub mod fmt;
pub mod frame;
pub mod french;
pub mod ide;
pub mod lang;
pub mod matrix;
pub mod model;
pub mod next_year;
pub mod output;
pub mod profession;
pub mod record;
pub mod syntax;
pub mod table;
pub mod testing;
pub mod value;

use std::sync::Arc;

pub use check::check;
pub use diagnostics::{Error, Report};
pub use eval::{evaluate, EvalOptions, Outcome};
pub use model::CompiledRulebook;
pub use record::{evaluate_file, evaluate_record, Evaluated};
pub use syntax::parse;

/// A rulebook that checked clean, with its warnings.
#[derive(Debug)]
pub struct Compiled {
    pub rulebook: CompiledRulebook,
    pub warnings: Report,
}

/// Parses and checks a rulebook. `Err` carries every error (and warning) found.
pub fn compile(file_name: &str, source: &str) -> Result<Compiled, Report> {
    let shared: Arc<str> = Arc::from(source);
    let ast = match parse(source) {
        Ok(ast) => ast,
        Err(errors) => return Err(Report::new(file_name, shared, errors)),
    };
    let checked = check::check_file(&ast, source, file_name);
    match checked.rulebook {
        Some(rulebook) => Ok(Compiled {
            rulebook,
            warnings: Report::new(file_name, shared, checked.diagnostics),
        }),
        None => Err(Report::new(file_name, shared, checked.diagnostics)),
    }
}
