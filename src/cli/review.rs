//! `forfait review BASE HEAD [--impact DECLARATIONS...]`: one Markdown comment for a pull
//! request. Every rulebook changed between the two git revisions (its `.forfait`, or a file
//! of its examples) is read from git on both sides, compared as `forfait diff` compares
//! (with the impact on the declarations given, read from the working copy), and its
//! examples at HEAD are run as `forfait test` runs them. A rulebook added at HEAD is
//! compared with last year's beside it at BASE (`2025-x.forfait` with `2024-x.forfait`),
//! as `forfait new` makes them.
//!
//! Exit status: 0 when the comment is written and every rulebook checks and passes its
//! examples at HEAD; 1 when it is written but one does not (the comment says which);
//! 2 when git fails (no repository, an unknown revision) or a file cannot be read or
//! written.

use std::collections::BTreeSet;

use forfait::declaration::encoding::{self, Encoding};
use forfait::diagnostics::Lang;
use forfait::diff::{self, ImpactFile};
use forfait::output::diff::{self as render, Compared, Reviewed, Revisions, RulebookChange, Tests};
use forfait::testing::{coverage, decode_expected, read_expected, run_case};
use forfait::{compile, CompiledRulebook};

use super::git::{GitError, Repo};
use super::results::{out, write_whole, Printer};
use super::test::failure_lines;
use super::words::Say;
use super::{read_declarations, render as render_report, tell, Exit};

/// What `forfait review` is asked.
pub struct ReviewArgs<'a> {
    pub base: &'a str,
    pub head: &'a str,
    pub impact: &'a [String],
    pub encoding: Option<Encoding>,
    pub output: Option<&'a str>,
    pub lang: Lang,
}

/// How many years back an added rulebook looks for its predecessor.
const YEARS_BACK: u16 = 5;

/// One side of a rulebook (`source` is `REV:PATH`): compiled, or how many errors it has.
enum Side {
    Checked {
        rulebook: Box<CompiledRulebook>,
        source: String,
    },
    Broken {
        source: String,
        errors: usize,
    },
}

/// One rulebook changed, read on both sides.
struct Found {
    path: String,
    old: Option<Side>,
    new: Option<Side>,
    /// The old side's path, when it is another file (last year's).
    since: Option<String>,
    tests: Tests,
}

/// A git failure, told; the exit status it means.
fn git_failed(lang: Lang, command: &str, error: GitError) -> Exit {
    match error {
        GitError::CannotRun(e) => tell(lang, Say::GitMissing { error: &e }),
        GitError::Failed(stderr) => tell(
            lang,
            Say::GitCommandFailed {
                command,
                stderr: &stderr,
            },
        ),
    }
    Exit::Usage
}

pub fn review(args: ReviewArgs<'_>) -> Exit {
    let lang = args.lang;
    let repo = match super::git::toplevel() {
        Ok(root) => Repo::at(root),
        Err(GitError::CannotRun(e)) => {
            tell(lang, Say::GitMissing { error: &e });
            return Exit::Usage;
        }
        Err(GitError::Failed(stderr)) => {
            tell(lang, Say::NotAGitRepository { stderr: &stderr });
            return Exit::Usage;
        }
    };
    let mut commits = Vec::new();
    for rev in [args.base, args.head] {
        match repo.commit(rev) {
            Ok(c) => commits.push(c),
            Err(GitError::Failed(stderr)) => {
                tell(
                    lang,
                    Say::UnknownRevision {
                        rev,
                        stderr: &stderr,
                    },
                );
                return Exit::Usage;
            }
            Err(e) => return git_failed(lang, "git rev-parse", e),
        }
    }
    let mut texts = Vec::with_capacity(args.impact.len());
    for path in args.impact {
        match read_declarations(path, args.encoding, lang) {
            Ok(text) => texts.push((path.as_str(), text)),
            Err(e) => return e,
        }
    }
    let files: Vec<ImpactFile<'_>> = texts
        .iter()
        .map(|(name, text)| ImpactFile { name, text })
        .collect();
    let changed = match repo.changed(args.base, args.head) {
        Ok(c) => c,
        Err(e) => {
            let command = format!("git diff --name-only {} {}", args.base, args.head);
            return git_failed(lang, &command, e);
        }
    };
    let paths: BTreeSet<String> = changed.iter().filter_map(|c| rulebook_of(c)).collect();
    let mut found = Vec::new();
    for path in paths {
        match read_rulebook(&repo, &args, &path, lang) {
            Ok(Some(f)) => found.push(f),
            Ok(None) => {}
            Err(exit) => return exit,
        }
    }
    let reviewed: Vec<Reviewed<'_>> = found
        .iter()
        .map(|f| Reviewed {
            path: &f.path,
            change: change(f, &files),
            tests: f.tests.clone(),
        })
        .collect();
    let revisions = Revisions {
        base: args.base,
        head: args.head,
        base_commit: &commits[0],
        head_commit: &commits[1],
    };
    let comment = render::review(&revisions, &reviewed);
    let failing = reviewed.iter().filter(|r| r.tests.failed()).count();
    let broken = found
        .iter()
        .filter(|f| matches!(f.new, Some(Side::Broken { .. })))
        .count();
    tell(
        lang,
        Say::Reviewed {
            base: args.base,
            head: args.head,
            rulebooks: reviewed.len(),
            failing,
            broken,
        },
    );
    let exit = if failing > 0 || broken > 0 {
        Exit::Problems
    } else {
        Exit::Ok
    };
    match args.output {
        Some(path) => match write_whole(path, comment.as_bytes()) {
            Ok(()) => {
                tell(lang, Say::Wrote { path });
                exit
            }
            Err(e) => {
                tell(
                    lang,
                    Say::NotCompleted {
                        target: path,
                        error: &e,
                    },
                );
                Exit::Usage
            }
        },
        None => {
            let mut printer = Printer::new(lang);
            out!(printer, "{comment}");
            printer.finish(exit)
        }
    }
}

/// The rulebook a changed file belongs to: itself (`x.forfait`), or the rulebook beside
/// its examples folder (`x.examples/maximum.json` is `x.forfait`'s).
fn rulebook_of(path: &str) -> Option<String> {
    if path.ends_with(".forfait") {
        return Some(path.to_string());
    }
    let (before, _) = path.split_once(".examples/")?;
    Some(format!("{before}.forfait"))
}

/// Whether `path` is a file at `rev`.
fn exists(repo: &Repo, rev: &str, path: &str) -> Result<bool, GitError> {
    Ok(repo.files(rev, path)?.iter().any(|f| f == path))
}

/// A file at a revision as text (`None`: it is not there).
fn text_at(repo: &Repo, rev: &str, path: &str, lang: Lang) -> Result<Option<String>, Exit> {
    match exists(repo, rev, path) {
        Ok(false) => return Ok(None),
        Ok(true) => {}
        Err(e) => return Err(git_failed(lang, &format!("git ls-tree {rev} {path}"), e)),
    }
    let shown = format!("{rev}:{path}");
    let bytes = match repo.show(rev, path) {
        Ok(b) => b,
        Err(e) => return Err(git_failed(lang, &format!("git show {shown}"), e)),
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let verdict = encoding::rulebook_not_utf8(e.as_bytes(), valid, &shown);
            tell(lang, Say::Verdict(&verdict));
            Err(Exit::Usage)
        }
    }
}

/// One side of a rulebook, compiled (its diagnostics printed on standard error).
fn side(repo: &Repo, rev: &str, path: &str, lang: Lang) -> Result<Option<Side>, Exit> {
    let Some(text) = text_at(repo, rev, path, lang)? else {
        return Ok(None);
    };
    let source = format!("{rev}:{path}");
    Ok(Some(match compile(&source, &text) {
        Ok(compiled) => {
            if !compiled.warnings.diagnostics.is_empty() {
                eprint!("{}", render_report(&compiled.warnings, false, lang));
            }
            Side::Checked {
                rulebook: Box::new(compiled.rulebook),
                source,
            }
        }
        Err(report) => {
            eprint!("{}", render_report(&report, false, lang));
            let errors = report.error_count();
            tell(
                lang,
                Say::NothingCompared {
                    path: &source,
                    errors,
                },
            );
            Side::Broken { source, errors }
        }
    }))
}

/// Both sides of a changed rulebook, and its examples at HEAD (`None`: on neither side, as
/// when an examples folder changed beside no rulebook).
fn read_rulebook(
    repo: &Repo,
    args: &ReviewArgs<'_>,
    path: &str,
    lang: Lang,
) -> Result<Option<Found>, Exit> {
    let mut old = side(repo, args.base, path, lang)?;
    let new = side(repo, args.head, path, lang)?;
    let mut since = None;
    if old.is_none() {
        if let Some(Side::Checked { rulebook, .. }) = &new {
            if let Some(earlier) = last_year(repo, args.base, path, rulebook.meta.exercice) {
                old = side(repo, args.base, &earlier, lang)?;
                since = Some(earlier);
            }
        }
    }
    if old.is_none() && new.is_none() {
        return Ok(None);
    }
    let tests = match &new {
        Some(Side::Checked { rulebook, .. }) => examples(repo, args.head, path, rulebook),
        _ => Tests::NotRun,
    };
    Ok(Some(Found {
        path: path.to_string(),
        old,
        new,
        since,
        tests,
    }))
}

/// The rulebook of an earlier year beside `path` at `rev`: the same file name with the
/// exercice a year (up to five) earlier.
fn last_year(repo: &Repo, rev: &str, path: &str, exercice: u16) -> Option<String> {
    let (dir, name) = match path.rsplit_once('/') {
        Some((d, n)) => (Some(d), n),
        None => (None, path),
    };
    (1..=YEARS_BACK).find_map(|back| {
        let earlier = forfait::next_year::with_year(name, exercice, exercice.checked_sub(back)?)?;
        let earlier = match dir {
            Some(d) => format!("{d}/{earlier}"),
            None => earlier,
        };
        exists(repo, rev, &earlier)
            .unwrap_or(false)
            .then_some(earlier)
    })
}

/// What the comment says of one rulebook.
fn change<'a>(f: &'a Found, files: &[ImpactFile<'_>]) -> RulebookChange<'a> {
    match (&f.old, &f.new) {
        (Some(Side::Broken { source, errors }), _) | (_, Some(Side::Broken { source, errors })) => {
            RulebookChange::Broken {
                source,
                errors: *errors,
            }
        }
        (
            Some(Side::Checked {
                rulebook: old,
                source: old_source,
            }),
            Some(Side::Checked {
                rulebook: new,
                source: new_source,
            }),
        ) => RulebookChange::Compared {
            compared: Compared {
                old,
                new,
                old_source,
                new_source,
            },
            diff: diff::diff(old, new, files),
            since: f.since.as_deref(),
        },
        (None, Some(Side::Checked { rulebook, .. })) => RulebookChange::Added { rulebook },
        (Some(Side::Checked { rulebook, .. }), None) => RulebookChange::Removed {
            rulebook: Some(rulebook),
        },
        (None, None) => RulebookChange::Removed { rulebook: None },
    }
}

/// The examples of `path` at `rev`, run as `forfait test` runs them; their reports in
/// French, as the rest of the comment.
fn examples(repo: &Repo, rev: &str, path: &str, rb: &CompiledRulebook) -> Tests {
    let words = Lang::Fr;
    let dir = format!("{}.examples", path.trim_end_matches(".forfait"));
    let expected = format!("{dir}/expected.csv");
    let listed = repo.files(rev, &dir).unwrap_or_default();
    if !listed.contains(&expected) {
        return Tests::NoExamples { expected };
    }
    let shown = format!("{rev}:{expected}");
    let unreadable = |problem: String| Tests::Unreadable { problem };
    let bytes = match repo.show(rev, &expected) {
        Ok(b) => b,
        Err(e) => return unreadable(error_text(e)),
    };
    let text = match decode_expected(&bytes, &shown) {
        Ok((text, _)) => text,
        Err(e) => return unreadable(Say::Verdict(&e).text(words)),
    };
    let cases = match read_expected(rb, &text) {
        Ok(e) => e.cases,
        Err(error) => {
            return unreadable(
                Say::BadExpectations {
                    file: &shown,
                    error: &error,
                }
                .text(words),
            )
        }
    };
    let mut failures: Vec<(String, Vec<String>)> = Vec::new();
    let mut unlisted = 0;
    let names: BTreeSet<&str> = cases.iter().map(|c| c.example.as_str()).collect();
    let prefix = format!("{dir}/");
    for file in &listed {
        let Some(stem) = file
            .strip_prefix(&prefix)
            .filter(|rest| !rest.contains('/'))
            .and_then(|rest| rest.strip_suffix(".json"))
        else {
            continue;
        };
        if !names.contains(stem) {
            let file = format!("{rev}:{file}");
            let say = Say::UnlistedCase {
                file: &file,
                expected: &shown,
            };
            failures.push((stem.to_string(), vec![say.text(words)]));
            unlisted += 1;
        }
    }
    let mut results = Vec::new();
    let mut passed = 0;
    for case in &cases {
        let file = format!("{dir}/{}.json", case.example);
        let shown_file = format!("{rev}:{file}");
        let text = listed
            .contains(&file)
            .then(|| repo.show(rev, &file).ok())
            .flatten()
            .and_then(|b| String::from_utf8(b).ok());
        let Some(text) = text else {
            let say = Say::CaseUnreadable { file: &shown_file };
            failures.push((case.example.clone(), vec![say.text(words)]));
            continue;
        };
        let result = run_case(rb, &shown_file, &text, case);
        if result.passed() {
            passed += 1;
        } else {
            failures.push((
                case.example.clone(),
                failure_lines(rb, &shown_file, &result, words),
            ));
        }
        results.push(result);
    }
    let outcomes: Vec<&forfait::Outcome> =
        results.iter().filter_map(|r| r.outcome.as_ref()).collect();
    let cov = coverage(rb, &outcomes);
    Tests::Ran {
        passed,
        tests: cases.len() + unlisted,
        failures,
        coverage: (cov.covered(), cov.items.len()),
    }
}

fn error_text(e: GitError) -> String {
    match e {
        GitError::CannotRun(e) => e.to_string(),
        GitError::Failed(stderr) => stderr,
    }
}
