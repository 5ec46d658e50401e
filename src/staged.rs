//! `--staged`: the files a commit would record, read from the git index (the staged
//! blobs), not from the work tree. Never writes to the index or the work tree.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A staged file: its absolute path in the work tree and its staged content.
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub path: PathBuf,
    pub content: Vec<u8>,
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(out.stdout)
}

/// The files added, copied, modified or renamed in the index of the repository
/// holding `dir`, with their staged content, limited to paths under `roots`.
pub fn staged_files(dir: &Path, roots: &[PathBuf]) -> Result<Vec<StagedFile>, String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("--staged needs a git repository: {e}"))?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']));
    let names = git(
        &top,
        &[
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--diff-filter=ACMR",
        ],
    )?;
    let mut out = Vec::new();
    for name in names.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let path = top.join(&name);
        if !roots.iter().any(|r| path.starts_with(r)) {
            continue;
        }
        let content = git(&top, &["cat-file", "blob", &format!(":{name}")])?;
        out.push(StagedFile { path, content });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
