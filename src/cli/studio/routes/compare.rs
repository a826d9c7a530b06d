//! A comparison, as `forfait diff OLD NEW --impact ...` makes it: the text being edited
//! against another rulebook of the folder or a committed version of itself, on the
//! rulebook's examples or on a batch file of the folder.

use std::path::Path;
use std::process::Command;

use forfait::declaration::{encoding, IoFailure};
use forfait::diff::{self, ImpactFile};
use forfait::output::diff::{self as render, Compared};
use serde::Deserialize;
use serde_json::{json, Value as Json};

use super::{compiled, Answer, Refused};
use crate::cli::studio::files::{self, Checked, Kind};
use crate::cli::studio::Studio;
use crate::cli::words::Refusal;

#[derive(Deserialize)]
pub struct CompareBody {
    path: String,
    text: String,
    against: Against,
    #[serde(default)]
    batch: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Against {
    Path { path: String },
    Git { git: String },
}

pub fn compare(studio: &Studio, body: CompareBody) -> Answer {
    let rulebook_file = files::to_write(&studio.folder, &body.path, Kind::Rulebook)?;
    let new = compiled(&body.text, Some(&body.path))?;
    let (old_source, old_name) = match &body.against {
        Against::Path { path } => {
            let checked = files::existing(&studio.folder, path, Kind::Rulebook)?;
            (files::read_text(&checked)?, path.clone())
        }
        Against::Git { git } => (
            git_show(&rulebook_file, git)?,
            format!("{git}:{}", body.path),
        ),
    };
    let old = compiled(&old_source, Some(&old_name))?;
    let texts = match &body.batch {
        Some(batch) => {
            let checked = files::existing(&studio.folder, batch, Kind::Declarations)?;
            vec![(batch.clone(), declarations_text(&checked)?)]
        }
        None => examples(&studio.folder, &rulebook_file)?,
    };
    let impact_files: Vec<ImpactFile<'_>> = texts
        .iter()
        .map(|(name, text)| ImpactFile { name, text })
        .collect();
    let result = diff::diff(&old.rulebook, &new.rulebook, &impact_files);
    let compared = Compared {
        old: &old.rulebook,
        new: &new.rulebook,
        old_source: &old_name,
        new_source: &body.path,
    };
    let markdown = render::markdown(&compared, &result);
    let impact = result.impact.as_ref().map_or(Json::Null, |impact| {
        render::impact_json(&compared, impact, &result.changes)
    });
    Ok(json!({
        "changelog_markdown": markdown,
        "changelog_html": render::html(&markdown),
        "identical": result.is_empty(),
        "changes": result.changes.iter().map(render::change_json).collect::<Vec<_>>(),
        "impact": impact,
    }))
}

/// A batch file's text: a byte order mark says its encoding, else it must be UTF-8.
fn declarations_text(file: &Checked) -> Result<String, Refused> {
    let bytes = std::fs::read(&file.real).map_err(|e| {
        Refused::from(Refusal::CannotRead {
            path: file.relative.clone(),
            error: Box::new(IoFailure::of(&e)),
        })
    })?;
    encoding::decode(&bytes, None, &file.relative).map_err(|_| {
        Refused::from(Refusal::NotUtf8 {
            path: file.relative.clone(),
        })
    })
}

/// The rulebook's example declarations as one JSON array named after the examples
/// folder (the changelog names the folder, not forty files); one that is not JSON goes on
/// its own, to be rejected by name. None without an examples folder. Each file is checked
/// as any path a request names (a link out is refused).
fn examples(folder: &Path, rulebook: &Checked) -> Result<Vec<(String, String)>, Refused> {
    let (relative, real) = files::examples_of(rulebook);
    let Ok(entries) = std::fs::read_dir(&real) else {
        return Ok(Vec::new());
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    let mut objects = Vec::new();
    let mut apart = Vec::new();
    for name in names {
        let file = files::existing(folder, &format!("{relative}/{name}"), Kind::Example)?;
        let text = files::read_text(&file)?;
        let object = text.trim_start().starts_with('{')
            && serde_json::from_str::<&serde_json::value::RawValue>(&text).is_ok();
        if object {
            objects.push(text);
        } else {
            apart.push((file.relative, text));
        }
    }
    let mut texts = Vec::new();
    if !objects.is_empty() {
        texts.push((relative, format!("[{}]", objects.join(","))));
    }
    texts.extend(apart);
    Ok(texts)
}

/// Whether `revision` is a plain name of a commit: `HEAD`, `main`, `v1.2`, `HEAD~1`, a
/// hash; never an option (`-...`), a range (`..`) or a path (`:`).
fn plain_revision(revision: &str) -> bool {
    !revision.is_empty()
        && revision.len() <= 200
        && !revision.starts_with('-')
        && !revision.contains("..")
        && revision
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./~^".contains(&b))
}

/// The rulebook's text at `revision`: `git show REVISION:./NAME`, run in its folder.
fn git_show(rulebook: &Checked, revision: &str) -> Result<String, Refused> {
    if !plain_revision(revision) {
        return Err(Refusal::Revision {
            revision: revision.into(),
        }
        .into());
    }
    let (Some(dir), Some(name)) = (rulebook.real.parent(), rulebook.real.file_name()) else {
        return Err(Refusal::NoSuchFile {
            path: rulebook.relative.clone(),
        }
        .into());
    };
    let output = Command::new("git")
        .args(["show", &format!("{revision}:./{}", name.to_string_lossy())])
        .current_dir(dir)
        .output()
        .map_err(|e| {
            Refused::from(Refusal::GitCannotRun {
                error: Box::new(IoFailure::of(&e)),
            })
        })?;
    if !output.status.success() {
        return Err(Refusal::Git {
            revision: revision.into(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        }
        .into());
    }
    String::from_utf8(output.stdout).map_err(|_| {
        Refused::from(Refusal::NotUtf8 {
            path: format!("{revision}:{}", rulebook.relative),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_are_plain_names() {
        for ok in ["HEAD", "main", "HEAD~1", "v1.2", "origin/main", "a1b2c3^"] {
            assert!(plain_revision(ok), "{ok}");
        }
        for refused in ["", "-p", "--output=x", "a..b", "HEAD:x", "a b", "$(x)"] {
            assert!(!plain_revision(refused), "{refused}");
        }
    }
}
