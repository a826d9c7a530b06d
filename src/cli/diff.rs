//! `forfait diff OLD NEW [--impact DECLARATIONS...] [--format markdown|json]`: the semantic
//! diff of two rulebooks, each a file or `REV:PATH` (read with `git show`).

use std::path::Path;
use std::process::Command;

use forfait::declaration::encoding::{self, Encoding};
use forfait::diagnostics::Lang;
use forfait::diff::{self, ImpactFile};
use forfait::output::diff::{self as render, Compared};
use forfait::{compile, CompiledRulebook};

use super::results::{out, outln, Printer};
use super::words::Say;
use super::{read, read_declarations, tell, Exit};

pub fn diff(
    old: &str,
    new: &str,
    impact: &[String],
    profession: Option<&str>,
    json: bool,
    encoding: Option<Encoding>,
    lang: Lang,
) -> Exit {
    let old_rulebook = match rulebook(old, lang) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let new_rulebook = match rulebook(new, lang) {
        Ok(r) => r,
        Err(e) => return e,
    };
    if let Some(p) = profession {
        if let Err(error) = forfait::profession::known(p, &[&old_rulebook, &new_rulebook]) {
            let paths = format!("{old}, {new}");
            tell(
                lang,
                Say::UnknownProfession {
                    paths: &paths,
                    error: &error,
                },
            );
            return Exit::Usage;
        }
    }
    let mut texts = Vec::with_capacity(impact.len());
    for path in impact {
        match read_declarations(path, encoding, lang) {
            Ok(text) => texts.push((path.as_str(), text)),
            Err(e) => return e,
        }
    }
    let files: Vec<ImpactFile<'_>> = texts
        .iter()
        .map(|(name, text)| ImpactFile { name, text })
        .collect();
    let result = diff::diff_for(&old_rulebook, &new_rulebook, &files, profession);
    if let Some(p) = profession {
        let covers =
            |rb: &CompiledRulebook| forfait::profession::ForProfession::new(rb, p).is_some();
        tell(
            lang,
            Say::ComparedFor {
                profession: p,
                shown: result.changes.len(),
                changes: diff::changes(&old_rulebook, &new_rulebook).len(),
                old_lacks: (!covers(&old_rulebook)).then_some(old),
                new_lacks: (!covers(&new_rulebook)).then_some(new),
            },
        );
    }
    if let Some(impact) = &result.impact {
        for t in impact.thresholds.iter().filter(|t| t.between == 0) {
            tell(
                lang,
                Say::ThresholdUnmeasured {
                    rule: &t.rule,
                    old: &t.old,
                    new: &t.new,
                },
            );
        }
    }
    let compared = Compared {
        old: &old_rulebook,
        new: &new_rulebook,
        old_source: old,
        new_source: new,
    };
    let mut printer = Printer::new(lang);
    if json {
        outln!(printer, "{}", render::json(&compared, &result));
    } else {
        out!(printer, "{}", render::markdown(&compared, &result));
    }
    printer.finish(Exit::Ok)
}

/// Reads and compiles one side, printing its diagnostics to stderr.
fn rulebook(arg: &str, lang: Lang) -> Result<CompiledRulebook, Exit> {
    let source = match diff::git_revision(arg, |p| Path::new(p).exists()) {
        Some(_) => git_show(arg, lang)?,
        None => read(arg, lang)?,
    };
    match compile(arg, &source) {
        Ok(compiled) => {
            if !compiled.warnings.diagnostics.is_empty() {
                eprint!("{}", super::render(&compiled.warnings, false, lang));
            }
            Ok(compiled.rulebook)
        }
        Err(report) => {
            eprint!("{}", super::render(&report, false, lang));
            tell(
                lang,
                Say::NothingCompared {
                    path: arg,
                    errors: report.error_count(),
                },
            );
            Err(Exit::Problems)
        }
    }
}

/// `git show REV:PATH`, run from the current directory.
fn git_show(arg: &str, lang: Lang) -> Result<String, Exit> {
    let output = match Command::new("git").args(["show", arg]).output() {
        Ok(o) => o,
        Err(e) => {
            tell(lang, Say::GitCannotRun { arg, error: &e });
            return Err(Exit::Usage);
        }
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        tell(
            lang,
            Say::GitFailed {
                arg,
                stderr: stderr.trim(),
            },
        );
        return Err(Exit::Usage);
    }
    match String::from_utf8(output.stdout) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let verdict = encoding::rulebook_not_utf8(e.as_bytes(), valid, arg);
            tell(lang, Say::Verdict(&verdict));
            Err(Exit::Usage)
        }
    }
}
