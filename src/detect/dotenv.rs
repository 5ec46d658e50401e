//! Stray .env files: which names hold environment values (`rules/dotenv.toml`), their
//! state in git (read from the index with `git ls-files`), and the `.gitignore` entry
//! that fixes an unignored one. Never reads a .env file's contents, never deletes or
//! edits one.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::detect::Severity;
use crate::detect::env::glob_match;

/// The embedded pack.
pub const PACK: (&str, &str) = ("dotenv.toml", include_str!("../../rules/dotenv.toml"));

/// `rules/dotenv.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DotenvPack {
    pub files: FilePatterns,
    #[serde(rename = "rule")]
    pub rules: Vec<DotenvRule>,
}

/// Which file names are .env files.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FilePatterns {
    /// Globs over the file name.
    pub patterns: Vec<String>,
    /// Globs of names that are templates, not values.
    pub exempt: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// One rule: an id per git state.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DotenvRule {
    pub id: String,
    pub summary: String,
    pub severity: Severity,
}

/// The embedded pack, parsed once.
pub fn pack() -> &'static DotenvPack {
    static PACK_CELL: OnceLock<DotenvPack> = OnceLock::new();
    PACK_CELL.get_or_init(|| toml::from_str(PACK.1).expect("embedded dotenv pack is valid"))
}

/// True when `name` (a file name) is a .env file that is not exempt.
pub fn is_dotenv(name: &str, extra_exempt: &[String]) -> bool {
    let files = &pack().files;
    files.patterns.iter().any(|p| glob_match(p, name))
        && !files
            .exempt
            .iter()
            .chain(extra_exempt)
            .any(|p| glob_match(p, name))
}

/// A .env file's state in git.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Tracked,
    NotIgnored,
    Ignored,
}

impl State {
    pub fn rule(self) -> &'static DotenvRule {
        let id = match self {
            State::Tracked => "dotenv-tracked",
            State::NotIgnored => "dotenv-not-ignored",
            State::Ignored => "dotenv-ignored",
        };
        pack()
            .rules
            .iter()
            .find(|r| r.id == id)
            .expect("the pack names every state")
    }
}

/// What git says about the .env files below one repository's top directory.
#[derive(Debug, Default)]
pub struct GitView {
    pub top: PathBuf,
    pub tracked: HashSet<PathBuf>,
    pub ignored: HashSet<PathBuf>,
}

const PATHSPECS: [&str; 3] = [":(glob)**/.env", ":(glob)**/.env.*", ":(glob)**/*.env"];

/// The git repository holding `dir`, with its tracked and ignored .env files (absolute
/// paths); `None` outside a repository or without git.
pub fn git_view(dir: &Path) -> Option<GitView> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']));
    let list = |args: &[&str]| -> HashSet<PathBuf> {
        let mut full = args.to_vec();
        full.push("--");
        full.extend(PATHSPECS);
        git(&top, &full)
            .map(|out| {
                out.split(|b| *b == 0)
                    .filter(|p| !p.is_empty())
                    .map(|p| top.join(String::from_utf8_lossy(p).as_ref()))
                    .collect()
            })
            .unwrap_or_default()
    };
    Some(GitView {
        tracked: list(&["ls-files", "-z", "--cached"]),
        ignored: list(&[
            "ls-files",
            "-z",
            "--others",
            "--ignored",
            "--exclude-standard",
        ]),
        top,
    })
}

fn git(dir: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

/// The `.gitignore` line for a file: its path from the repository top, anchored.
pub fn gitignore_entry(top: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(top).unwrap_or(file);
    format!("/{}", rel.to_string_lossy().replace('\\', "/"))
}

/// `.gitignore` files and the entries to add to each, sorted.
pub type GitignoreEdits = BTreeMap<PathBuf, Vec<String>>;

/// The new text of a `.gitignore` with `entries` appended (each once); `None` when it
/// has them all already.
pub fn append_entries(current: &str, entries: &[String]) -> Option<String> {
    let present: HashSet<&str> = current.lines().map(str::trim).collect();
    let missing: Vec<&String> = entries
        .iter()
        .filter(|e| !present.contains(e.as_str()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if missing.is_empty() {
        return None;
    }
    let eol = crate::source::LineEnding::detect(current).as_str();
    let mut text = current.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push_str(eol);
    }
    for entry in missing {
        text.push_str(entry);
        text.push_str(eol);
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_examples_hold() {
        let files = &pack().files;
        for name in &files.examples {
            assert!(is_dotenv(name, &[]), "{name} should be a .env file");
        }
        for name in &files.negative_examples {
            assert!(!is_dotenv(name, &[]), "{name} should not be a .env file");
        }
    }

    #[test]
    fn entries_are_appended_once() {
        let out = append_entries("node_modules\n", &["/.env".into(), "/.env".into()]).unwrap();
        assert_eq!(out, "node_modules\n/.env\n");
        assert_eq!(append_entries(&out, &["/.env".into()]), None);
        assert_eq!(
            append_entries("a\r\nb", &["/x.env".into()]).unwrap(),
            "a\r\nb\r\n/x.env\r\n"
        );
    }
}
