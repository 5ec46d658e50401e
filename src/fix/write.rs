//! Writes a fixed file atomically: a temporary file in the same directory, the original
//! permissions, then a rename over the original. Never writes when the file changed on
//! disk since it was read.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Replaces the file at `path` with `contents`, provided it still holds `expected`.
pub fn write_atomic(path: &Path, expected: &[u8], contents: &[u8]) -> io::Result<()> {
    // Write through a symlink to its target, keeping the link.
    let target = if fs::symlink_metadata(path)?.file_type().is_symlink() {
        fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    let current = fs::read(&target)?;
    if current != expected {
        return Err(io::Error::other(
            "the file changed on disk while shush was running; not written",
        ));
    }
    let permissions = fs::metadata(&target)?.permissions();
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".shush-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    fs::set_permissions(tmp.path(), permissions)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Writes a file shush owns (a report, a baseline) atomically: a temporary file in the
/// same directory, renamed over `path`.
pub fn write_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".shush-")
        .tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
