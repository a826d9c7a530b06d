//! `forfait review BASE HEAD`: the pull-request comment, on a temporary git repository
//! made for the test (two commits of the dentists' FAMI 2024: the second moves the
//! télétransmission threshold from 70 % to 75 %, which one example does not expect), then
//! a third commit that starts 2025 with `forfait new`; and git's failures.

// A test that cannot set up its repository should stop loudly.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

mod common;
use common::{root, scratch, stderr, stdout};

use std::path::Path;
use std::process::{Command, Output};

const RULEBOOK: &str = "rulebooks/fami/2024-chirurgiens-dentistes.forfait";
const EXAMPLES: &str = "rulebooks/fami/2024-chirurgiens-dentistes.examples";
const SITUATIONS: &str = "rulebooks/situations/chirurgiens-dentistes.json";

/// `git ARGS` in `dir`, with fixed dates so that the commits are the same run after run.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2025-01-15T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2025-01-15T10:00:00Z")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `forfait ARGS` run in `dir`, in English.
fn forfait_in(dir: &Path, args: &[&str]) -> Output {
    common::command(args)
        .current_dir(dir)
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap_or(dir))
        .output()
        .expect("the forfait binary runs")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// The short commit id of `rev` in `dir`.
fn short(dir: &Path, rev: &str) -> String {
    let out = Command::new("git")
        .args(["rev-parse", "--short", rev])
        .current_dir(dir)
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The comment with what would change with the commits masked: their ids, and the
/// rulebooks' content hashes (`sha256:` and 12 digits).
fn masked(text: &str, commits: &[String]) -> String {
    let mut out = commits
        .iter()
        .fold(text.to_string(), |t, c| t.replace(c.as_str(), "[commit]"));
    while let Some(at) = out.find("sha256:") {
        let end = (at + 7 + 12).min(out.len());
        out.replace_range(at..end, "SHA256:[hash]");
    }
    out.replace("SHA256:[hash]", "sha256:[hash]")
}

#[test]
fn review_writes_one_comment_for_the_rulebooks_a_pull_request_changes() {
    let repo = scratch("review", "repo");
    git(&repo, &["init", "-q"]);
    git(&repo, &["config", "user.name", "Test"]);
    git(&repo, &["config", "user.email", "test@example.org"]);
    git(&repo, &["config", "commit.gpgsign", "false"]);
    std::fs::create_dir_all(repo.join("rulebooks/fami")).unwrap();
    std::fs::create_dir_all(repo.join("rulebooks/situations")).unwrap();
    std::fs::copy(root().join(RULEBOOK), repo.join(RULEBOOK)).unwrap();
    std::fs::copy(root().join(SITUATIONS), repo.join(SITUATIONS)).unwrap();
    copy_dir(&root().join(EXAMPLES), &repo.join(EXAMPLES));
    std::fs::write(repo.join("README.md"), "not a rulebook\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "FAMI 2024"]);

    let text = std::fs::read_to_string(repo.join(RULEBOOK)).unwrap();
    assert!(text.contains(">= 70 %"));
    std::fs::write(repo.join(RULEBOOK), text.replace(">= 70 %", ">= 75 %")).unwrap();
    std::fs::write(repo.join("README.md"), "still not a rulebook\n").unwrap();
    git(&repo, &["commit", "-q", "-a", "-m", "75 %"]);

    let out = forfait_in(&repo, &["review", "HEAD~1", "HEAD", "--impact", SITUATIONS]);
    let comment = stdout(&out);
    // One example (700 actes FSE sur 1 000) expects the socle at 70 %: it fails at HEAD.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "1 rulebook changed between HEAD~1 and HEAD; 1 rulebook with failing examples"
        ),
        "{}",
        stderr(&out)
    );
    for expected in [
        "## forfait review : `HEAD~1` (",
        "| `rulebooks/fami/2024-chirurgiens-dentistes.forfait` | 1 | 0,00\u{a0}€, un seuil non mesuré | **1 sur 40 en échec** |",
        "### `rulebooks/fami/2024-chirurgiens-dentistes.forfait`",
        "#### Indicateurs modifiés\n\n- Seuil de « teletransmission » : 70\u{a0}% → 75\u{a0}%",
        "- Seuil de « teletransmission » — aucune déclaration entre 70\u{a0}% et 75\u{a0}% : l'effet de ce seuil n'est pas mesuré par ce lot",
        "Ancien : `HEAD~1:rulebooks/fami/2024-chirurgiens-dentistes.forfait`",
        "#### Exemples de la nouvelle version\n\n39 cas passent sur 40",
        "**En échec : `teletransmission-700-sur-1000`**",
        "  total\u{a0}: attendu 490,00\u{a0}€, obtenu 0,00\u{a0}€",
    ] {
        assert!(comment.contains(expected), "{expected}\n---\n{comment}");
    }
    assert!(!comment.contains("README"), "{comment}");
    let commits = [short(&repo, "HEAD~1"), short(&repo, "HEAD")];
    insta::assert_snapshot!("review-threshold-75", masked(&comment, &commits));

    // `--output`: the same comment in a file.
    let written = repo.join("review.md");
    let out = forfait_in(
        &repo,
        &[
            "review",
            "HEAD~1",
            "HEAD",
            "--impact",
            SITUATIONS,
            "--output",
            "review.md",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), comment);
    std::fs::remove_file(&written).unwrap();

    // Next year, started with `forfait new`: the new file is compared with last year's.
    let out = forfait_in(&repo, &["new", "--from", RULEBOOK, "--exercice", "2025"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "FAMI 2025"]);
    let out = forfait_in(&repo, &["review", "HEAD~1", "HEAD"]);
    let comment = stdout(&out);
    assert!(comment.contains(
        "Comparé : fami_2024_chirurgiens_dentistes (exercice 2024) → fami_2025_chirurgiens_dentistes (exercice 2025) : un nouveau fichier, comparé avec `rulebooks/fami/2024-chirurgiens-dentistes.forfait` de l'ancienne révision."
    ), "{comment}");
    assert!(comment.contains("- Exercice : 2024 → 2025"), "{comment}");

    // No rulebook changed: the comment says so, and it is no failure.
    let out = forfait_in(&repo, &["review", "HEAD", "HEAD"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Aucun référentiel (`.forfait`) ni exemple ne change"));

    // An unknown revision: exit 2, git's words, and what a revision is.
    let out = forfait_in(&repo, &["review", "mian", "HEAD"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("error: `mian` is not a revision git knows"),
        "{}",
        stderr(&out)
    );
    let out = forfait_in(&repo, &["review", "HEAD", "nope", "--lang", "fr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`nope` n'est pas une révision que git connaît"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn review_outside_a_git_repository_says_so() {
    let dir = scratch("review", "no-repo");
    let out = forfait_in(&dir, &["review", "main", "HEAD"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the current directory is not in a git repository"),
        "{}",
        stderr(&out)
    );
}
