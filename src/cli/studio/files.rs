//! The studio's files: every path a request names is relative to the studio's folder and
//! stays inside it, and only rulebooks and example files are ever written.
//!
//! A path is refused before anything is read or written when it is absolute, when one of
//! its components is `..`, or when, links followed, it leads outside the folder (a link to
//! `/etc` inside the folder is refused like `/etc` itself).

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use forfait::declaration::IoFailure;

use super::super::results::write_whole;
use crate::cli::words::Refusal;

/// A path of the studio's folder, checked.
#[derive(Clone, Debug)]
pub struct Checked {
    /// As the request named it, relative to the folder (`fami/2024-x.forfait`).
    pub relative: String,
    /// The file itself, links followed (for a file to create: its folder's real path and
    /// its name).
    pub real: PathBuf,
}

/// What a path may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Rulebook,
    /// An example declaration (`.json`).
    Example,
    /// A batch of declarations to compare on (`.csv`, `.json`, `.jsonl`, `.ndjson`).
    Declarations,
}

impl Kind {
    fn allows(self, path: &Path) -> bool {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let extension = extension.as_deref();
        match self {
            Kind::Rulebook => extension == Some("forfait"),
            Kind::Example => extension == Some("json"),
            Kind::Declarations => {
                matches!(extension, Some("csv" | "json" | "jsonl" | "ndjson"))
            }
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Kind::Rulebook => ".forfait",
            Kind::Example => ".json",
            Kind::Declarations => ".csv, .json, .jsonl",
        }
    }
}

/// `relative`'s words checked: not empty, not absolute, no `..`, the extension of `kind`.
fn lexically(relative: &str, kind: Kind) -> Result<&Path, Refusal> {
    let path = Path::new(relative);
    if relative.trim().is_empty() {
        return Err(Refusal::NoPath);
    }
    if path.is_absolute() || relative.starts_with(['/', '\\']) || path.has_root() {
        return Err(Refusal::AbsolutePath {
            path: relative.into(),
        });
    }
    if relative.contains('\0') {
        return Err(Refusal::OutsideFolder {
            path: relative.into(),
        });
    }
    for component in path.components() {
        match component {
            Component::ParentDir => {
                return Err(Refusal::ParentPath {
                    path: relative.into(),
                })
            }
            Component::Prefix(_) | Component::RootDir => {
                return Err(Refusal::AbsolutePath {
                    path: relative.into(),
                })
            }
            Component::CurDir | Component::Normal(_) => {}
        }
    }
    if !kind.allows(path) {
        return Err(Refusal::WrongExtension {
            path: relative.into(),
            expected: kind.expected().into(),
        });
    }
    Ok(path)
}

/// An existing file of the folder.
pub fn existing(folder: &Path, relative: &str, kind: Kind) -> Result<Checked, Refusal> {
    let path = lexically(relative, kind)?;
    let real = match fs::canonicalize(folder.join(path)) {
        Ok(real) => real,
        // Missing inside the folder, or behind a link out of it: the second says nothing
        // of what is or is not out there.
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(if leads_outside(folder, &folder.join(path)) {
                Refusal::OutsideFolder {
                    path: relative.into(),
                }
            } else {
                Refusal::NoSuchFile {
                    path: relative.into(),
                }
            });
        }
        Err(e) => {
            return Err(Refusal::CannotRead {
                path: relative.into(),
                error: Box::new(IoFailure::of(&e)),
            })
        }
    };
    if !real.starts_with(folder) {
        return Err(Refusal::OutsideFolder {
            path: relative.into(),
        });
    }
    if !real.is_file() {
        return Err(Refusal::NoSuchFile {
            path: relative.into(),
        });
    }
    Ok(Checked {
        relative: relative.into(),
        real,
    })
}

/// Whether the deepest part of `path` that exists is, links followed, outside `folder`.
fn leads_outside(folder: &Path, path: &Path) -> bool {
    path.ancestors()
        .find_map(|a| fs::canonicalize(a).ok())
        .is_some_and(|real| !real.starts_with(folder))
}

/// A file of the folder to write: it may not exist yet, but its folder must, inside the
/// studio's folder.
pub fn to_write(folder: &Path, relative: &str, kind: Kind) -> Result<Checked, Refusal> {
    let path = lexically(relative, kind)?;
    let joined = folder.join(path);
    // An existing file (or a link) is written where it really is, if that is inside.
    if fs::symlink_metadata(&joined).is_ok() {
        let checked = existing(folder, relative, kind)?;
        return Ok(checked);
    }
    let outside = || Refusal::OutsideFolder {
        path: relative.into(),
    };
    let (Some(parent), Some(name)) = (joined.parent(), joined.file_name()) else {
        return Err(outside());
    };
    let parent = fs::canonicalize(parent).map_err(|_| {
        if leads_outside(folder, parent) {
            outside()
        } else {
            Refusal::NoSuchFile {
                path: relative.into(),
            }
        }
    })?;
    if !parent.starts_with(folder) {
        return Err(outside());
    }
    Ok(Checked {
        relative: relative.into(),
        real: parent.join(name),
    })
}

/// A file's text, which must be UTF-8.
pub fn read_text(file: &Checked) -> Result<String, Refusal> {
    let bytes = fs::read(&file.real).map_err(|e| Refusal::CannotRead {
        path: file.relative.clone(),
        error: Box::new(IoFailure::of(&e)),
    })?;
    String::from_utf8(bytes).map_err(|_| Refusal::NotUtf8 {
        path: file.relative.clone(),
    })
}

/// Writes `text` whole or not at all: a temporary file beside it, renamed over it.
pub fn write_text(file: &Checked, text: &str) -> Result<(), Refusal> {
    write_whole(&file.real.to_string_lossy(), text.as_bytes()).map_err(|e| Refusal::CannotWrite {
        path: file.relative.clone(),
        error: Box::new(IoFailure::of(&e)),
    })
}

/// The examples folder beside a rulebook (`x.forfait` → `x.examples`), as the folder names
/// it, and where it really is (it need not exist).
pub fn examples_of(rulebook: &Checked) -> (String, PathBuf) {
    let relative = Path::new(&rulebook.relative)
        .with_extension("examples")
        .to_string_lossy()
        .into_owned();
    (relative, rulebook.real.with_extension("examples"))
}

/// Whether `name` may name an example: lowercase ASCII letters, digits and `-`, not
/// starting with `-`, at most 100 characters (`expected` is the expectations' file).
pub fn example_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Every rulebook under `folder`, by its path relative to it, sorted; links are not
/// followed out of the folder.
pub fn rulebooks(folder: &Path) -> Vec<(String, PathBuf)> {
    fn walk(folder: &Path, dir: &Path, depth: usize, found: &mut Vec<(String, PathBuf)>) {
        // A folder of rulebooks is a few levels deep; a loop of links is not followed.
        if depth > 8 {
            return;
        }
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(real) = fs::canonicalize(&path) else {
                continue;
            };
            if !real.starts_with(folder) {
                continue;
            }
            if real.is_dir() {
                walk(folder, &path, depth + 1, found);
            } else if Kind::Rulebook.allows(&path) {
                if let Ok(relative) = path.strip_prefix(folder) {
                    let relative = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/");
                    found.push((relative, real));
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(folder, folder, 0, &mut found);
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_in_the_folder() {
        let Ok(dir) = tempfile::tempdir() else {
            return;
        };
        let Ok(folder) = fs::canonicalize(dir.path()) else {
            return;
        };
        assert!(fs::create_dir(folder.join("fami")).is_ok());
        assert!(fs::write(folder.join("fami/a.forfait"), "x").is_ok());
        let refused = |relative: &str| existing(&folder, relative, Kind::Rulebook).err();
        assert!(matches!(refused(""), Some(Refusal::NoPath)));
        assert!(matches!(
            refused("/etc/passwd.forfait"),
            Some(Refusal::AbsolutePath { .. })
        ));
        assert!(matches!(
            refused("fami/../../x.forfait"),
            Some(Refusal::ParentPath { .. })
        ));
        assert!(matches!(
            refused("fami/a.json"),
            Some(Refusal::WrongExtension { .. })
        ));
        assert!(matches!(
            refused("fami/b.forfait"),
            Some(Refusal::NoSuchFile { .. })
        ));
        assert!(existing(&folder, "fami/a.forfait", Kind::Rulebook).is_ok());
        assert!(existing(&folder, "./fami/a.forfait", Kind::Rulebook).is_ok());
        assert!(to_write(&folder, "fami/new.forfait", Kind::Rulebook).is_ok());
        assert!(matches!(
            to_write(&folder, "nowhere/new.forfait", Kind::Rulebook).err(),
            Some(Refusal::NoSuchFile { .. })
        ));
        assert_eq!(rulebooks(&folder).len(), 1);
    }

    #[test]
    fn example_names_are_plain() {
        assert!(example_name("socle-seul-2"));
        for name in [
            "",
            "-x",
            "Socle",
            "a b",
            "a/b",
            "é",
            "a.json",
            "expected.csv",
        ] {
            assert!(!example_name(name), "{name}");
        }
    }
}
