use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The `shush` binary, run from `dir`.
pub fn shush(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("shush").expect("binary built");
    cmd.current_dir(dir);
    cmd
}

/// The repository root (where `fixtures/` lives).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary directory with the given files written into it.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        write(dir.path(), path, text.as_bytes());
    }
    dir
}

/// Copies the directory `from` to `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, bytes).unwrap();
}

pub fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs shush with `args` in `dir` and parses its JSON output.
pub fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = shush(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(&out), stderr(&out)))
}

/// The rule ids of a JSON document's findings, in order.
pub fn rules(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// `path rule` of each of a JSON document's findings, in order.
pub fn path_rules(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["path"].as_str().unwrap(),
                f["rule"].as_str().unwrap()
            )
        })
        .collect()
}

/// Runs a command and asserts it succeeded.
pub fn run(dir: &Path, program: &str, args: &[&str]) -> Output {
    let out = std::process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    out
}

/// A fresh git repository holding `files`, all committed.
pub fn git_repo(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        write(dir.path(), path, bytes);
    }
    let d = dir.path();
    run(d, "git", &["init", "-q", "-b", "main"]);
    run(d, "git", &["config", "user.email", "test@example.com"]);
    run(d, "git", &["config", "user.name", "test"]);
    run(d, "git", &["config", "core.autocrlf", "false"]);
    run(d, "git", &["add", "-A"]);
    run(d, "git", &["commit", "-q", "-m", "init"]);
    dir
}

/// Every fixture file of one language directory, sorted.
pub fn fixtures(lang: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures").join(lang))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// The first finding of a JSON document that reads the variable `name`.
pub fn finding_of<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["env_name"] == name)
        .unwrap_or_else(|| panic!("no finding for {name}: {doc}"))
}
