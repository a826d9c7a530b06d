//! The checks of forfait's fuzz targets (see `docs/fuzzing.md`). They live in `checks.rs`,
//! which `tests/fuzz_regressions.rs` also includes, so that a saved finding is checked
//! exactly as the fuzzer checked it.

#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

pub mod checks;
