//! `forfait review`: one Markdown comment for a pull request, in French. A table of the
//! rulebooks changed between two revisions, then, rulebook by rulebook, its changelog (and
//! impact) as `forfait diff` writes it, laid out one level down, and the results of its
//! examples at the new revision. The command line finds the rulebooks, reads them from git
//! and runs the examples; this file only words and lays out what it found.

use super::markdown::{markdown_in, md, sides_line, Layout};
use super::words::declarations;
use super::Compared;
use crate::diff::Diff;
use crate::french::{self, signed_euros};
use crate::lang::typography::glued_amounts;
use crate::model::CompiledRulebook;

/// The two revisions compared, as the user named them and as git resolved them.
#[derive(Clone, Copy, Debug)]
pub struct Revisions<'a> {
    pub base: &'a str,
    pub head: &'a str,
    /// Their short commit ids (`a1b2c3d`).
    pub base_commit: &'a str,
    pub head_commit: &'a str,
}

/// What became of one rulebook between the two revisions.
pub enum RulebookChange<'a> {
    /// Both sides check: the changelog, and the impact when declarations were given.
    /// `since` is the old side's path when it is another file (a new year's rulebook,
    /// compared with last year's).
    Compared {
        compared: Compared<'a>,
        diff: Diff,
        since: Option<&'a str>,
    },
    /// Only at the new revision, with no earlier year beside it to compare it with.
    Added { rulebook: &'a CompiledRulebook },
    /// Only at the old revision.
    Removed {
        rulebook: Option<&'a CompiledRulebook>,
    },
    /// One side does not check (`source` is `REV:PATH`): nothing is compared.
    Broken { source: &'a str, errors: usize },
}

/// The examples of a rulebook at the new revision, run as `forfait test` runs them.
#[derive(Clone, Debug)]
pub enum Tests {
    /// The rulebook is gone, or does not check: nothing to run.
    NotRun,
    /// No `X.examples/expected.csv` beside it.
    NoExamples { expected: String },
    /// `expected.csv` cannot be read (its problem, worded).
    Unreadable { problem: String },
    Ran {
        passed: usize,
        /// Every test: the cases listed, and the case files that `expected.csv` does not
        /// list (each a failure).
        tests: usize,
        /// The failing tests, each with its report lines as `forfait test` prints them.
        failures: Vec<(String, Vec<String>)>,
        /// Items of the rulebook its cases exercise, of how many.
        coverage: (usize, usize),
    },
}

impl Tests {
    pub fn failed(&self) -> bool {
        match self {
            Tests::Unreadable { .. } => true,
            Tests::Ran { failures, .. } => !failures.is_empty(),
            Tests::NotRun | Tests::NoExamples { .. } => false,
        }
    }
}

/// One rulebook changed between the two revisions.
pub struct Reviewed<'a> {
    /// Its path in the repository (at the new revision; at the old one when removed).
    pub path: &'a str,
    pub change: RulebookChange<'a>,
    pub tests: Tests,
}

/// `rulebooks/x.forfait` as inline code (a path never wraps mid-word, and is not markup).
fn code(text: &str) -> String {
    let fence = if text.contains('`') { "`` " } else { "`" };
    let close = if text.contains('`') { " ``" } else { "`" };
    format!("{fence}{text}{close}")
}

/// `` `main` (a1b2c3d) ``
fn revision(name: &str, commit: &str) -> String {
    if name.starts_with(commit) {
        code(name)
    } else {
        format!("{} ({commit})", code(name))
    }
}

/// The comment: a title, a table of the rulebooks changed, then each one.
pub fn review(revisions: &Revisions<'_>, reviewed: &[Reviewed<'_>]) -> String {
    let mut out = format!(
        "## forfait review : {} → {}\n\n",
        revision(revisions.base, revisions.base_commit),
        revision(revisions.head, revisions.head_commit)
    );
    if reviewed.is_empty() {
        out.push_str(
            "Aucun référentiel (`.forfait`) ni exemple ne change entre ces deux révisions.\n",
        );
        return out;
    }
    let failing = reviewed.iter().filter(|r| r.tests.failed()).count();
    let broken = reviewed
        .iter()
        .filter(|r| matches!(r.change, RulebookChange::Broken { .. }))
        .count();
    let mut verdict = vec![match reviewed.len() {
        1 => "1 référentiel changé".to_string(),
        n => format!("{n} référentiels changés"),
    }];
    if broken > 0 {
        verdict.push(format!(
            "**{}**",
            plural(broken, "ne se vérifie pas", "ne se vérifient pas")
        ));
    }
    verdict.push(match failing {
        0 => "les exemples de la nouvelle version passent".to_string(),
        n => format!(
            "**{} en échec**",
            plural(
                n,
                "référentiel a des exemples",
                "référentiels ont des exemples"
            )
        ),
    });
    out.push_str(&format!("{}.\n\n", verdict.join(" ; ")));
    out.push_str("| Référentiel | Changements | Impact | Exemples |\n| --- | ---: | --- | --- |\n");
    for r in reviewed {
        out.push_str(&glued_amounts(&format!(
            "| {} | {} | {} | {} |\n",
            code(r.path),
            changes_cell(&r.change),
            impact_cell(&r.change),
            tests_cell(&r.tests)
        )));
    }
    out.push('\n');
    for r in reviewed {
        out.push_str(&section(r));
    }
    out
}

/// `1 cas`, `2 référentiels` with `one`/`many` after the count.
fn plural(n: usize, one: &str, many: &str) -> String {
    let count = french::count(n as u64);
    if n <= 1 {
        format!("{count} {one}")
    } else {
        format!("{count} {many}")
    }
}

fn changes_cell(change: &RulebookChange<'_>) -> String {
    match change {
        RulebookChange::Compared { diff, .. } if diff.is_empty() => "aucun".into(),
        RulebookChange::Compared { diff, .. } => french::count(diff.changes.len() as u64),
        RulebookChange::Added { .. } => "nouveau".into(),
        RulebookChange::Removed { .. } => "supprimé".into(),
        RulebookChange::Broken { .. } => "ne se vérifie pas".into(),
    }
}

fn impact_cell(change: &RulebookChange<'_>) -> String {
    let RulebookChange::Compared { diff, .. } = change else {
        return "—".into();
    };
    let Some(impact) = &diff.impact else {
        return "—".into();
    };
    let s = impact.summary();
    let mut parts = vec![signed_euros(s.difference())];
    if s.gain > 0 {
        parts.push(format!("{} +", declarations(s.gain)));
    }
    if s.lose > 0 {
        parts.push(format!("{} −", declarations(s.lose)));
    }
    if impact.thresholds.iter().any(|t| t.between == 0) {
        parts.push("un seuil non mesuré".into());
    }
    parts.join(", ")
}

fn tests_cell(tests: &Tests) -> String {
    match tests {
        Tests::NotRun => "non exécutés".into(),
        Tests::NoExamples { .. } => "aucun".into(),
        Tests::Unreadable { .. } => "**expected.csv illisible**".into(),
        Tests::Ran {
            passed,
            tests,
            failures,
            ..
        } if failures.is_empty() => format!("{passed} sur {tests} passent"),
        Tests::Ran {
            tests, failures, ..
        } => format!("**{} sur {tests} en échec**", failures.len()),
    }
}

/// One rulebook: its changelog (or what stands for it) and its examples.
fn section(r: &Reviewed<'_>) -> String {
    let layout = Layout {
        depth: 3,
        title: false,
    };
    let mut out = format!("### {}\n\n", code(r.path));
    match &r.change {
        RulebookChange::Compared {
            compared,
            diff,
            since,
        } => {
            out.push_str(&format!("Comparé : {}", sides_line(compared)));
            if let Some(since) = since {
                out.push_str(&format!(
                    " : un nouveau fichier, comparé avec {} de l'ancienne révision",
                    code(since)
                ));
            }
            out.push_str(".\n\n");
            out.push_str(&markdown_in(compared, diff, layout));
            out.push('\n');
        }
        RulebookChange::Added { rulebook } => out.push_str(&format!(
            "Nouveau référentiel : {} (`{}`, exercice {}) ; aucun référentiel d'une année précédente à côté de lui dans l'ancienne révision pour le comparer.\n\n",
            md(&rulebook.meta.title),
            rulebook.meta.name,
            rulebook.meta.exercice
        )),
        RulebookChange::Removed { rulebook } => {
            out.push_str("Référentiel supprimé");
            if let Some(rb) = rulebook {
                out.push_str(&format!(
                    " : {} (`{}`, exercice {})",
                    md(&rb.meta.title),
                    rb.meta.name,
                    rb.meta.exercice
                ));
            }
            out.push_str(".\n\n");
        }
        RulebookChange::Broken { source, errors } => out.push_str(&format!(
            "**{} a {} : rien n'est comparé.** `forfait check` les affiche, chacune avec sa ligne.\n\n",
            code(source),
            plural(*errors, "erreur", "erreurs")
        )),
    }
    out.push_str(&tests_section(&r.tests));
    out
}

fn tests_section(tests: &Tests) -> String {
    let mut out = String::from("#### Exemples de la nouvelle version\n\n");
    match tests {
        Tests::NotRun => out.push_str("Non exécutés : le référentiel n'existe pas ou ne se vérifie pas dans la nouvelle révision.\n\n"),
        Tests::NoExamples { expected } => out.push_str(&format!(
            "Aucun cas de test : pas de {} (voir `forfait test`).\n\n",
            code(expected)
        )),
        Tests::Unreadable { problem } => {
            out.push_str(&format!("**{}**\n\n", md(problem)));
        }
        Tests::Ran {
            passed,
            tests,
            failures,
            coverage: (covered, items),
        } => {
            let share = if *items == 0 {
                String::new()
            } else {
                format!(" ({} %)", covered * 100 / items)
            };
            out.push_str(&glued_amounts(&format!(
                "{} sur {} ; {} exercés sur {}{share}.\n\n",
                plural(*passed, "cas passe", "cas passent"),
                french::count(*tests as u64),
                plural(*covered, "élément des règles", "éléments des règles"),
                french::count(*items as u64),
            )));
            for (name, lines) in failures {
                out.push_str(&format!("**En échec : {}**\n\n```text\n", code(name)));
                for line in lines {
                    out.push_str(&line.replace("```", "'''"));
                    out.push('\n');
                }
                out.push_str("```\n\n");
            }
        }
    }
    out
}
