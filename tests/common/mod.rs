//! Helpers shared by the integration test files (each file uses some of them).

#![allow(dead_code, clippy::panic)]

use std::path::{Path, PathBuf};

use forfait::{compile, CompiledRulebook};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path as the user types it, from the repository root, with `/` separators.
pub fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A file's text; a test that cannot read its own fixtures stops loudly.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A rulebook that must check.
pub fn compiled(path: &Path) -> CompiledRulebook {
    match compile(&shown(path), &read(path)) {
        Ok(c) => c.rulebook,
        Err(report) => panic!("{} does not check:\n{}", shown(path), report.render_human()),
    }
}

/// Every file with `extension` under `dir` (relative to the root), at any depth, sorted.
pub fn files(dir: &str, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == extension) {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}

/// The shipped rulebooks, `rulebooks/*/*.forfait`, sorted.
pub fn shipped_rulebooks() -> Vec<PathBuf> {
    files("rulebooks", "forfait")
}
