//! Where a command's results go: the one writing path of every subcommand.
//!
//! - Standard output ([`Printer`]): a reader that closes the pipe (`| head -1`) ends the
//!   command quietly; any other write error (a full disk, `> /dev/full`) is an error, exit 2.
//! - A file named by `--output` ([`OutputFile`]): written to a temporary file beside it and
//!   renamed over it only once complete, so the file is whole or absent. A failure, or
//!   Ctrl-C / SIGTERM, removes the temporary file and says so; the target is left untouched.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use forfait::diagnostics::Lang;

use super::words::Say;
use super::{tell, Exit};

/// Writes to standard output, keeping the first error for [`Printer::finish`].
pub struct Printer {
    out: io::StdoutLock<'static>,
    failed: Option<io::Error>,
    lang: Lang,
}

impl Printer {
    /// `lang`: the language of the error, should a write fail.
    pub fn new(lang: Lang) -> Printer {
        Printer {
            out: io::stdout().lock(),
            failed: None,
            lang,
        }
    }

    /// Prints `args`; after a failed write, prints nothing more.
    pub fn print(&mut self, args: fmt::Arguments<'_>) {
        if self.failed.is_none() {
            if let Err(e) = self.out.write_fmt(args) {
                self.failed = Some(e);
            }
        }
    }

    /// The command's exit status once everything is written: `exit` as it is, or exit 2
    /// after a write error other than a closed pipe (which ends the command quietly: the
    /// reader took what it wanted).
    pub fn finish(mut self, exit: Exit) -> Exit {
        if self.failed.is_none() {
            if let Err(e) = self.out.flush() {
                self.failed = Some(e);
            }
        }
        match self.failed {
            None => exit,
            Some(e) => {
                let target = Say::StandardOutput.text(self.lang);
                write_failure(&target, &e, exit, self.lang)
            }
        }
    }
}

/// The exit status after a write to `target` failed with `e`.
pub fn write_failure(target: &str, e: &io::Error, exit: Exit, lang: Lang) -> Exit {
    if e.kind() == io::ErrorKind::BrokenPipe {
        exit
    } else {
        tell(lang, Say::CannotWriteTo { target, error: e });
        Exit::Usage
    }
}

/// `print!` to a [`Printer`].
macro_rules! out {
    ($printer:expr, $($arg:tt)*) => { $printer.print(format_args!($($arg)*)) };
}

/// `println!` to a [`Printer`].
macro_rules! outln {
    ($printer:expr) => { $printer.print(format_args!("\n")) };
    ($printer:expr, $($arg:tt)*) => {{
        $printer.print(format_args!($($arg)*));
        $printer.print(format_args!("\n"));
    }};
}

pub(crate) use {out, outln};

/// Temporary files not yet renamed over their target: removed if the process is
/// interrupted.
static PENDING: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());

/// On Ctrl-C or SIGTERM: remove the temporary files of the outputs being written, say so
/// (in `lang`), and exit 130 (as a shell reports an interrupted command).
pub fn remove_partial_outputs_on_interrupt(lang: Lang) {
    let handler = move || {
        let pending = PENDING.lock().map(|p| p.clone()).unwrap_or_default();
        for (temporary, target) in pending {
            let _ = fs::remove_file(&temporary);
            tell(
                lang,
                Say::Interrupted {
                    target: Some(&target),
                },
            );
        }
        if pending_is_empty() {
            tell(lang, Say::Interrupted { target: None });
        }
        std::process::exit(130);
    };
    if let Err(e) = ctrlc::set_handler(handler) {
        tell(lang, Say::CtrlCUnwatched { error: &e });
    }
}

fn pending_is_empty() -> bool {
    PENDING.lock().map(|p| p.is_empty()).unwrap_or(true)
}

/// A file written whole or not at all (see the module doc).
pub struct OutputFile {
    target: String,
    lang: Lang,
    file: Option<tempfile::NamedTempFile>,
    /// A device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written directly: there is
    /// no file to replace.
    direct: Option<File>,
}

impl OutputFile {
    /// Opens `target` for writing, refusing it when it is one of `inputs` (the same file,
    /// through any name or link): writing it would destroy what is being read.
    pub fn create(target: &str, inputs: &[&str], lang: Lang) -> Result<OutputFile, Exit> {
        let path = Path::new(target);
        if let Some(input) = inputs.iter().find(|input| same_file(input, path)) {
            tell(lang, Say::OutputIsInput { target, input });
            return Err(Exit::Usage);
        }
        let special = fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if special {
            return match fs::OpenOptions::new().write(true).open(path) {
                Ok(f) => Ok(OutputFile {
                    target: target.to_string(),
                    lang,
                    file: None,
                    direct: Some(f),
                }),
                Err(e) => {
                    tell(lang, Say::CannotWrite { target, error: &e });
                    Err(Exit::Usage)
                }
            };
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let temporary = temporary_beside(path, &format!(".{name}."), dir);
        match temporary {
            Ok(file) => {
                if let Ok(mut pending) = PENDING.lock() {
                    pending.push((file.path().to_path_buf(), target.to_string()));
                }
                Ok(OutputFile {
                    target: target.to_string(),
                    lang,
                    file: Some(file),
                    direct: None,
                })
            }
            Err(e) => {
                tell(lang, Say::CannotWrite { target, error: &e });
                Err(Exit::Usage)
            }
        }
    }

    /// Makes the results the target's content: flushed to disk, then renamed over it.
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(mut direct) = self.direct.take() {
            return direct.flush();
        }
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        let temporary = file.path().to_path_buf();
        let result = file
            .as_file()
            .sync_all()
            .and_then(|()| file.persist(&self.target).map(|_| ()).map_err(|e| e.error));
        forget(&temporary);
        result
    }

    /// Gives up: the temporary file is removed and the target left as it was. Says so.
    pub fn abandon(mut self) {
        if let Some(file) = self.file.take() {
            let temporary = file.path().to_path_buf();
            drop(file);
            forget(&temporary);
            tell(
                self.lang,
                Say::NotWritten {
                    target: &self.target,
                },
            );
        }
    }
}

/// Replaces the content of `path` with `bytes`, whole or not at all (a full disk leaves
/// the old file as it was).
pub fn write_whole(path: &str, bytes: &[u8]) -> io::Result<()> {
    let target = Path::new(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut file = temporary_beside(target, ".forfait-", dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(target).map(|_| ()).map_err(|e| e.error)
}

/// Writes a new file at `path`, whole or not at all, and never over an existing one (an
/// error of kind `AlreadyExists` then).
pub fn write_new(path: &str, bytes: &[u8]) -> io::Result<()> {
    let target = Path::new(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut file = temporary_beside(target, ".forfait-", dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist_noclobber(target)
        .map(|_| ())
        .map_err(|e| e.error)
}

/// A temporary file in `dir`, to be renamed over `target`: with the target's permissions
/// when it exists, else those a new file gets (not the private ones of a temporary file).
fn temporary_beside(
    target: &Path,
    prefix: &str,
    dir: &Path,
) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".partial");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666 less the umask, as `File::create` would.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let file = builder.tempfile_in(dir)?;
    if let Ok(metadata) = fs::metadata(target) {
        fs::set_permissions(file.path(), metadata.permissions())?;
    }
    Ok(file)
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match (&mut self.file, &mut self.direct) {
            (Some(f), _) => f.write(buf),
            (None, Some(d)) => d.write(buf),
            (None, None) => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match (&mut self.file, &mut self.direct) {
            (Some(f), _) => f.flush(),
            (None, Some(d)) => d.flush(),
            (None, None) => Ok(()),
        }
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        // Not committed: `NamedTempFile` removes the temporary file as it drops.
        if let Some(file) = &self.file {
            forget(file.path());
        }
    }
}

fn forget(temporary: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.retain(|(p, _)| p != temporary);
    }
}

/// Whether two names lead to the same file (through links too).
pub fn same_file(a: &str, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (fs::canonicalize(a), fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}
