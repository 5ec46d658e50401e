//! Writes a fixed file atomically: a temporary file in the same directory, the original
//! permissions, owner and group, then a rename over the original. Never writes when the
//! file changed on disk since it was read, never writes through a symbolic link (links
//! are not followed, for writes as for reads), and never splits a file's hard links.
//! Files shush creates get the permissions the umask gives, as any tool's would.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The prefix and suffix of shush's temporary files: the walk skips them (one left by
/// a killed run is noted, never scanned).
pub const TEMP_PREFIX: &str = ".shush-";
pub const TEMP_SUFFIX: &str = ".tmp";

/// Whether a file name is one of shush's temporary files.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
}

/// Replaces the file at `path` with `contents`, provided it still holds `expected`.
pub fn write_atomic(path: &Path, expected: &[u8], contents: &[u8]) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Err(io::Error::other(
            "a symbolic link: shush does not write through links (it does not follow them); fix the file it points to",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(io::Error::other(format!(
                "the file has {} hard links; replacing it would leave the others with the old text",
                meta.nlink()
            )));
        }
    }
    let current = fs::read(path)?;
    if current != expected {
        return Err(io::Error::other(
            "the file changed on disk while shush was running; not written",
        ));
    }
    let dir = parent(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    keep_owner(tmp.as_file(), &meta)?;
    fs::set_permissions(tmp.path(), meta.permissions())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Gives the new file the owner and group of the one it replaces. Without the right to
/// (another user's file, not running as root) the file is not written: renaming over
/// it would make it ours.
#[cfg(unix)]
fn keep_owner(file: &fs::File, meta: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let ours = file.metadata()?;
    if ours.uid() == meta.uid() && ours.gid() == meta.gid() {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).map_err(|e| {
        io::Error::other(format!(
            "owned by user {} and group {}, which shush cannot keep ({e}); not written",
            meta.uid(),
            meta.gid()
        ))
    })
}

#[cfg(not(unix))]
fn keep_owner(_: &fs::File, _: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A new temporary file beside `path`, created the way any file is (mode 0666 less the
/// umask), unlike `tempfile`'s private 0600 ones.
fn create_temp_beside(path: &Path) -> io::Result<(fs::File, PathBuf)> {
    let dir = parent(path);
    let mut last = None;
    for attempt in 0..16u32 {
        let nonce = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
            ^ std::process::id().rotate_left(attempt);
        let tmp = dir.join(format!("{TEMP_PREFIX}{nonce:08x}{attempt}{TEMP_SUFFIX}"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(file) => return Ok((file, tmp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no temporary name free")))
}

/// Writes a file shush owns (a report, a baseline, an inventory, a new `.gitignore`)
/// atomically: a temporary file beside it, renamed over `path`. A file that exists keeps
/// its permissions; a new one gets the umask's. With `clobber` false, an existing file
/// is an error and is left as it is.
pub fn write_owned(path: &Path, contents: &[u8], clobber: bool) -> io::Result<()> {
    let existing = fs::metadata(path).ok();
    if existing.is_some() && !clobber {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists already", path.display()),
        ));
    }
    let (mut file, tmp) = create_temp_beside(path)?;
    let written = (|| {
        file.write_all(contents)?;
        file.sync_all()?;
        if let Some(meta) = &existing {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        if clobber {
            fs::rename(&tmp, path)
        } else {
            // Fails, leaving `path` alone, if it appeared meanwhile.
            fs::hard_link(&tmp, path).and_then(|()| fs::remove_file(&tmp))
        }
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// `write_owned`, replacing what is there.
pub fn write_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_owned(path, contents, true)
}

/// Whether a file can be written at `path` (its directory exists and is a directory):
/// asked before a run changes anything, so that `--report` to a bad place fails first.
pub fn check_writable(path: &Path) -> io::Result<()> {
    let dir = parent(path);
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(io::Error::other(format!(
                "{} is not a directory",
                dir.display()
            )));
        }
        Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", dir.display()))),
    }
    if fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(io::Error::other(format!(
            "{} is a directory",
            path.display()
        )));
    }
    // Create and remove a temporary file: the only sure test of the right to write.
    let (_, tmp) = create_temp_beside(path)?;
    fs::remove_file(tmp)
}
