//! `forfait diff OLD NEW [--impact DECLARATIONS...] [--format markdown|json]`: the semantic
//! diff of two rulebooks, each a file or `REV:PATH` (read with `git show`).

use std::path::Path;
use std::process::Command;

use forfait::declaration::encoding::{self, Encoding};
use forfait::diff::{self, ImpactFile};
use forfait::output::diff::{self as render, Compared};
use forfait::{compile, CompiledRulebook};

use super::results::{out, outln, Printer};
use super::{read, read_declarations, Exit};

pub fn diff(
    old: &str,
    new: &str,
    impact: &[String],
    json: bool,
    encoding: Option<Encoding>,
) -> Exit {
    let old_rulebook = match rulebook(old) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let new_rulebook = match rulebook(new) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let mut texts = Vec::with_capacity(impact.len());
    for path in impact {
        match read_declarations(path, encoding) {
            Ok(text) => texts.push((path.as_str(), text)),
            Err(e) => return e,
        }
    }
    let files: Vec<ImpactFile<'_>> = texts
        .iter()
        .map(|(name, text)| ImpactFile { name, text })
        .collect();
    let result = diff::diff(&old_rulebook, &new_rulebook, &files);
    let compared = Compared {
        old: &old_rulebook,
        new: &new_rulebook,
        old_source: old,
        new_source: new,
    };
    let mut printer = Printer::new();
    if json {
        outln!(printer, "{}", render::json(&compared, &result));
    } else {
        out!(printer, "{}", render::markdown(&compared, &result));
    }
    printer.finish(Exit::Ok)
}

/// Reads and compiles one side, printing its diagnostics to stderr.
fn rulebook(arg: &str) -> Result<CompiledRulebook, Exit> {
    let source = match diff::git_revision(arg, |p| Path::new(p).exists()) {
        Some(_) => git_show(arg)?,
        None => read(arg)?,
    };
    match compile(arg, &source) {
        Ok(compiled) => {
            if !compiled.warnings.diagnostics.is_empty() {
                eprint!("{}", compiled.warnings.render_human());
            }
            Ok(compiled.rulebook)
        }
        Err(report) => {
            eprint!("{}", report.render_human());
            eprintln!(
                "error: {arg} has {} error(s); nothing was compared",
                report.error_count()
            );
            Err(Exit::Problems)
        }
    }
}

/// `git show REV:PATH`, run from the current directory.
fn git_show(arg: &str) -> Result<String, Exit> {
    let output = match Command::new("git").args(["show", arg]).output() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: cannot run `git show {arg}`: {e} (is git installed?)");
            return Err(Exit::Usage);
        }
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        eprintln!(
            "error: `git show {arg}` failed: {}\n  help: `{arg}` is neither a file nor a REV:PATH that git knows; a path after `:` is relative to the repository root (or write `REV:./PATH`)",
            stderr.trim()
        );
        return Err(Exit::Usage);
    }
    match String::from_utf8(output.stdout) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            eprintln!(
                "error: {}",
                encoding::rulebook_not_utf8(e.as_bytes(), valid, arg)
            );
            Err(Exit::Usage)
        }
    }
}
