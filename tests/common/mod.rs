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

/// The `forfait` binary, run from the repository root, in English whatever the locale of
/// the machine running the tests (a French one would make every message French).
pub fn command(args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_forfait"));
    c.args(args)
        .current_dir(root())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C");
    c
}

/// Runs `forfait` with `args` and waits for it.
pub fn forfait(args: &[&str]) -> std::process::Output {
    command(args)
        .output()
        .unwrap_or_else(|e| panic!("the forfait binary does not run: {e}"))
}

pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh folder for one test of `suite`, removed when the test ends (some hold files of
/// hundreds of MB).
pub fn scratch(suite: &str, name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("forfait-{suite}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    Scratch(dir)
}

/// See [`scratch`].
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
