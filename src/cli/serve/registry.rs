//! The rulebooks the service serves: every `.forfait` file of its folder (found as the
//! studio finds them, `studio::files::rulebooks`), compiled, and read again when its bytes
//! change. A file that no longer checks keeps its last version that did (`stale`); a file
//! that never checked is listed and not served; a new file is served, a removed one goes.
//!
//! A refresh builds a new [`Snapshot`] from the old one and swaps it in whole: a request
//! holds the snapshot it started with, and never sees half a refresh.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use forfait::check::content_hash;
use forfait::diagnostics::Lang;
use forfait::{compile, CompiledRulebook};
use serde_json::{json, Value as Json};

use crate::cli::studio::files;
use crate::cli::tell;
use crate::cli::words::{Say, ServeRefusal};

/// A version of a rulebook that checked.
#[derive(Debug)]
pub struct Version {
    pub rulebook: CompiledRulebook,
}

/// What a rulebook file is now.
#[derive(Clone, Debug)]
pub enum State {
    /// The file checks: its version is served.
    Ready,
    /// The file no longer checks: the last version that did is served.
    Stale,
    /// The file does not check, and never did since the service saw it: not served.
    Broken,
}

/// One rulebook file of the folder.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Relative to the folder, `/`-separated (`fami/2024-chirurgiens-dentistes.forfait`).
    pub path: String,
    /// The hash of the file's bytes as last read.
    pub file_hash: String,
    /// The name it is served under: the header's (the served version's, when stale).
    pub name: String,
    pub state: State,
    /// The diagnostics of the file as it is (`forfait check --error-format json`'s).
    pub diagnostics: Json,
    pub errors: usize,
    /// The version served: the file's own when ready, the last good one when stale.
    pub served: Option<Arc<Version>>,
    /// The file, earlier in the folder's order, that has the same rulebook name and is
    /// served under it: this one is not.
    pub duplicate_of: Option<String>,
}

/// Every rulebook of the folder at one moment, sorted by path.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub entries: Vec<Entry>,
}

impl Snapshot {
    /// The version served under `name`, or why there is none.
    pub fn served(&self, name: &str) -> Result<Arc<Version>, ServeRefusal> {
        let entry = self
            .entries
            .iter()
            .find(|e| e.name == name && e.duplicate_of.is_none());
        match entry {
            Some(Entry {
                served: Some(version),
                ..
            }) => Ok(Arc::clone(version)),
            Some(entry) => Err(ServeRefusal::RulebookBroken {
                name: name.into(),
                errors: entry.errors,
            }),
            None => Err(self.unknown(name)),
        }
    }

    /// The names of the rulebooks served, sorted.
    pub fn served_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .entries
            .iter()
            .filter(|e| e.served.is_some() && e.duplicate_of.is_none())
            .map(|e| e.name.clone())
            .collect();
        names.sort();
        names
    }

    /// The refusal of a name no rulebook is served under, with the one whose file is named
    /// so, if any (a caller who took the file's name for the rulebook's).
    pub fn unknown(&self, name: &str) -> ServeRefusal {
        let file_of = self
            .entries
            .iter()
            .filter(|e| e.served.is_some() && e.duplicate_of.is_none())
            .find(|e| {
                let file = e.path.rsplit('/').next().unwrap_or(&e.path);
                file.strip_suffix(".forfait") == Some(name)
            })
            .map(|e| (e.path.clone(), e.name.clone()));
        ServeRefusal::UnknownRulebook {
            name: name.into(),
            known: self.served_names(),
            file_of,
        }
    }

    pub fn served_count(&self) -> usize {
        self.served_names().len()
    }
}

/// The folder and its current snapshot, shared by every request and the watcher.
pub struct Registry {
    folder: PathBuf,
    lang: Lang,
    current: RwLock<Arc<Snapshot>>,
}

impl Registry {
    /// The folder read once.
    pub fn load(folder: PathBuf, lang: Lang) -> Registry {
        let registry = Registry {
            folder,
            lang,
            current: RwLock::new(Arc::new(Snapshot::default())),
        };
        registry.refresh();
        registry
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Reads the folder again; what changed is said on standard error.
    pub fn refresh(&self) {
        let old = self.snapshot();
        let next = scan(&self.folder, &old, self.lang);
        for entry in &next.entries {
            let before = old.entries.iter().find(|e| e.path == entry.path);
            if before.is_some_and(|b| b.file_hash == entry.file_hash) {
                continue;
            }
            let path = entry.path.as_str();
            match (&entry.state, &entry.served) {
                (State::Ready, Some(v)) => tell(
                    self.lang,
                    Say::ServeLoaded {
                        path,
                        hash: &v.rulebook.meta.content_hash,
                    },
                ),
                (State::Stale, Some(v)) => tell(
                    self.lang,
                    Say::ServeKeptStale {
                        path,
                        errors: entry.errors,
                        hash: &v.rulebook.meta.content_hash,
                    },
                ),
                _ => tell(
                    self.lang,
                    Say::ServeBroken {
                        path,
                        errors: entry.errors,
                    },
                ),
            }
        }
        for gone in &old.entries {
            if !next.entries.iter().any(|e| e.path == gone.path) {
                tell(self.lang, Say::ServeRemoved { path: &gone.path });
            }
        }
        match self.current.write() {
            Ok(mut guard) => *guard = Arc::new(next),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(next),
        }
    }
}

/// The folder as it is now, reusing what `old` knew of files whose bytes did not change.
fn scan(folder: &Path, old: &Snapshot, lang: Lang) -> Snapshot {
    let mut entries: Vec<Entry> = Vec::new();
    for (path, real) in files::rulebooks(folder) {
        let before = old.entries.iter().find(|e| e.path == path);
        let entry = match std::fs::read(&real) {
            Ok(bytes) => {
                let file_hash = content_hash(&bytes);
                match before {
                    Some(b) if b.file_hash == file_hash => b.clone(),
                    _ => read_entry(path, &bytes, file_hash, before, lang),
                }
            }
            // Being written, or gone between the walk and the read: as it was, if known.
            Err(_) => match before {
                Some(b) => b.clone(),
                None => continue,
            },
        };
        entries.push(entry);
    }
    // A name is served once: by the first file that has it.
    for i in 0..entries.len() {
        entries[i].duplicate_of = entries[..i]
            .iter()
            .find(|e| e.name == entries[i].name)
            .map(|e| e.path.clone());
    }
    Snapshot { entries }
}

/// A file whose bytes are new: compiled; when it does not check, what served before goes on.
fn read_entry(
    path: String,
    bytes: &[u8],
    file_hash: String,
    before: Option<&Entry>,
    lang: Lang,
) -> Entry {
    let file_name = path.rsplit('/').next().unwrap_or(&path).to_string();
    let kept = before.and_then(|b| b.served.clone());
    let failed = |name: String, diagnostics: Json, errors: usize| Entry {
        path: path.clone(),
        file_hash: file_hash.clone(),
        name: kept.as_ref().map_or(name, |v| v.rulebook.meta.name.clone()),
        state: if kept.is_some() {
            State::Stale
        } else {
            State::Broken
        },
        diagnostics,
        errors,
        served: kept.clone(),
        duplicate_of: None,
    };
    let stem = file_name.trim_end_matches(".forfait").to_string();
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let error = forfait::declaration::encoding::rulebook_not_utf8(
                bytes,
                e.valid_up_to(),
                &file_name,
            );
            let diagnostic = json!([{
                "code": "forfait::serve::not_utf8",
                "severity": "error",
                "message": error.message(lang),
                "help": null,
                "file": file_name,
                "labels": [],
            }]);
            return failed(stem, diagnostic, 1);
        }
    };
    match compile(&file_name, text) {
        Ok(compiled) => Entry {
            path: path.clone(),
            file_hash: file_hash.clone(),
            name: compiled.rulebook.meta.name.clone(),
            state: State::Ready,
            diagnostics: diagnostics(&compiled.warnings, lang),
            errors: 0,
            served: Some(Arc::new(Version {
                rulebook: compiled.rulebook,
            })),
            duplicate_of: None,
        },
        Err(report) => {
            let name = forfait::parse(text).map_or(stem, |ast| ast.header.name.text);
            failed(name, diagnostics(&report, lang), report.error_count())
        }
    }
}

/// A report's diagnostics as `forfait check --error-format json` writes them.
pub fn diagnostics(report: &forfait::Report, lang: Lang) -> Json {
    serde_json::from_str(&report.render_json_in(lang)).unwrap_or_else(|_| json!([]))
}
