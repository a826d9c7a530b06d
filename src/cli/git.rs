//! git as a subprocess, for `forfait review`: the commands it runs and how their answers
//! are read. Every command but the first runs at the root of the repository, which the
//! paths git prints are relative to.

use std::io;
use std::process::Command;

/// What went wrong running git.
pub enum GitError {
    /// git itself cannot be started.
    CannotRun(io::Error),
    /// git ran and said no: its standard error.
    Failed(String),
}

/// `git ARGS` in `dir` (`None`: the current directory): its standard output.
fn run(dir: Option<&str>, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let mut command = Command::new("git");
    if let Some(dir) = dir {
        command.arg("-C").arg(dir);
    }
    let output = command.args(args).output().map_err(GitError::CannotRun)?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(GitError::Failed(
            String::from_utf8_lossy(&output.stderr).trim().to_string(),
        ))
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim_end().to_string()
}

/// The repository around the current directory: its root.
pub fn toplevel() -> Result<String, GitError> {
    run(None, &["rev-parse", "--show-toplevel"]).map(text)
}

/// A repository at `root`.
pub struct Repo {
    root: String,
}

impl Repo {
    pub fn at(root: String) -> Repo {
        Repo { root }
    }

    fn run(&self, args: &[&str]) -> Result<Vec<u8>, GitError> {
        run(Some(&self.root), args)
    }

    /// The commit a revision names, shortened (`a1b2c3d`).
    pub fn commit(&self, rev: &str) -> Result<String, GitError> {
        let spec = format!("{rev}^{{commit}}");
        self.run(&["rev-parse", "--verify", "--short", &spec, "--"])
            .map(text)
    }

    /// The files that differ between two revisions (`git diff --name-only`; a rename is
    /// a removal and an addition), paths from the root.
    pub fn changed(&self, base: &str, head: &str) -> Result<Vec<String>, GitError> {
        let out = self.run(&[
            "diff",
            "--name-only",
            "--no-renames",
            "-z",
            base,
            head,
            "--",
        ])?;
        Ok(String::from_utf8_lossy(&out)
            .split('\0')
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect())
    }

    /// A file as it is at a revision (`git show REV:PATH`, the path from the root).
    pub fn show(&self, rev: &str, path: &str) -> Result<Vec<u8>, GitError> {
        self.run(&["show", &format!("{rev}:{path}")])
    }

    /// The files under `dir` (from the root) at a revision.
    pub fn files(&self, rev: &str, dir: &str) -> Result<Vec<String>, GitError> {
        let out = self.run(&["ls-tree", "-r", "--name-only", "-z", rev, "--", dir])?;
        Ok(String::from_utf8_lossy(&out)
            .split('\0')
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect())
    }
}
