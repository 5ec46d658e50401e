//! Project-shaped fixtures (`fixtures/projects/<name>/`, a small tree with its own
//! `shush.toml`, `pyproject.toml`, `rustfmt.toml` …): the diagnostics and the fix diff of
//! the whole tree as a snapshot, `--fix` to convergence, and then the project's own
//! tools on every file the fix changed: `ruff check --select I` for Python (with the
//! tree's config), `rustfmt --check` for Rust (with its `rustfmt.toml`), a re-parse for
//! TypeScript and JavaScript. A file that passed a tool before the fix must pass after.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use shush::source::Language;

use crate::support::*;

/// The ruff release the import-order checks run; installed from PyPI into
/// `target/test-tools` on first use, so that `cargo test` needs nothing else.
const RUFF: &str = "0.14.8";

fn projects() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/projects"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// Every file of a tree, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy();
                out.push(rel.replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for rel in files(from) {
        write(to, &rel, &std::fs::read(from.join(&rel)).unwrap());
    }
}

/// The pinned ruff, installed once per target directory.
fn ruff() -> &'static Path {
    static RUFF_BIN: OnceLock<PathBuf> = OnceLock::new();
    RUFF_BIN.get_or_init(|| {
        let dir = root()
            .join("target/test-tools")
            .join(format!("ruff-{RUFF}"));
        let bin = dir.join("bin/ruff");
        if !bin.is_file() {
            run(&root(), "python3", &["-m", "venv", dir.to_str().unwrap()]);
            run(
                &root(),
                dir.join("bin/pip").to_str().unwrap(),
                &["install", "-q", &format!("ruff=={RUFF}")],
            );
        }
        bin
    })
}

/// The edition of the crate holding `file` (from the nearest `Cargo.toml` with a
/// `[package]`, following `edition.workspace = true` up to the workspace), which
/// rustfmt needs to parse it.
fn edition(dir: &Path, file: &str) -> String {
    let manifest = |at: &Path| -> Option<toml::Table> {
        toml::from_str(&std::fs::read_to_string(at.join("Cargo.toml")).ok()?).ok()
    };
    let mut at = dir.join(file);
    let mut inherited = false;
    while at.pop() && at.starts_with(dir) {
        let Some(doc) = manifest(&at) else { continue };
        let edition = |table: Option<&toml::Value>| {
            table
                .and_then(|t| t.get("edition"))
                .map(|e| e.as_str().map(String::from))
        };
        if inherited {
            let ws = doc.get("workspace").and_then(|w| w.get("package"));
            if let Some(Some(e)) = edition(ws) {
                return e;
            }
            continue;
        }
        match edition(doc.get("package")) {
            Some(Some(e)) => return e,
            // `edition.workspace = true`
            Some(None) => inherited = true,
            None => {}
        }
    }
    "2021".to_string()
}

/// A tool's verdict on a file: `None` when no tool checks that kind of file, else
/// whether it passed, with the tool's output when not.
type Verdict = Option<Result<(), String>>;

/// Whether the project's tool accepts `file` as it is now; the tool's output when not.
fn tool_check(dir: &Path, file: &str) -> Verdict {
    let lang = Language::from_path(Path::new(file));
    let output = |cmd: &mut Command| {
        let out = cmd.current_dir(dir).output().expect("tool runs");
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("{}{}", stdout(&out), stderr(&out)))
        }
    };
    match lang {
        Language::Python => Some(output(Command::new(ruff()).args([
            "check",
            "--no-cache",
            "--select",
            "I",
            "--diff",
            file,
        ]))),
        Language::Rust => Some(
            output(Command::new("rustfmt").args([
                "--check",
                "--color",
                "never",
                "--edition",
                &edition(dir, file),
                file,
            ]))
            .or_else(only_rewritten_lines_rewrap),
        ),
        Language::Text => None,
        lang => {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            let text = text.trim_start_matches('\u{feff}');
            let errors = shush::detect::typescript::error_nodes(lang, text);
            Some(if errors == 0 {
                Ok(())
            } else {
                Err(format!("{errors} syntax error node(s)"))
            })
        }
    }
}

/// rustfmt's complaint, unless all it would change is the layout of lines holding a
/// rewritten call (`get_config_value(…)` is longer than `env::var(…)`, and shush does
/// not re-wrap lines: the README says to run the formatter after `--fix`). Imports,
/// attributes and every other line must be as rustfmt wants them.
fn only_rewritten_lines_rewrap(diff: String) -> Result<(), String> {
    let removed: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    let rewrap = !removed.is_empty()
        && removed.iter().all(|l| {
            l.contains("get_config_value") && !l.trim_start_matches('-').trim().starts_with("use ")
        });
    if rewrap { Ok(()) } else { Err(diff) }
}

fn snapshot(dir: &Path) -> String {
    let check = shush(dir)
        .args(["check", "--color", "never", "."])
        .output()
        .unwrap();
    let diff = shush(dir)
        .args(["check", "--diff", "--unsafe-fixes", "."])
        .output()
        .unwrap();
    assert_ne!(diff.status.code(), Some(2), "{}", stderr(&diff));
    format!(
        "## shush check .  (exit {})\n{}\n## shush check --diff --unsafe-fixes .\n{}",
        check.status.code().unwrap(),
        stdout(&check),
        stdout(&diff),
    )
}

#[test]
fn project_fixtures_fix_cleanly_and_pass_their_tools() {
    let mut failures = Vec::new();
    for project in projects() {
        let name = project.file_name().unwrap().to_string_lossy().into_owned();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        copy_tree(&project, dir);
        insta::with_settings!({
            snapshot_path => root().join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("projects__{name}"), snapshot(dir));
        });
        let before: Vec<(String, Vec<u8>, Verdict)> = files(dir)
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(dir.join(&f)).unwrap();
                let verdict = tool_check(dir, &f);
                (f, bytes, verdict)
            })
            .collect();
        let first = shush(dir)
            .args(["check", "--fix", "--unsafe-fixes", "."])
            .output()
            .unwrap();
        assert_ne!(first.status.code(), Some(2), "{name}: {}", stderr(&first));
        let second = shush(dir)
            .args(["check", "--fix", "--unsafe-fixes", "."])
            .output()
            .unwrap();
        assert!(
            stdout(&second).contains("Fixed 0 findings in 0 files."),
            "{name}: a second --fix fixed more:\n{}",
            stdout(&second)
        );
        let mut changed = 0;
        for (file, bytes, verdict) in &before {
            if std::fs::read(dir.join(file)).unwrap() == *bytes {
                continue;
            }
            changed += 1;
            if let (Some(Ok(())), Some(Err(why))) = (verdict, tool_check(dir, file)) {
                failures.push(format!(
                    "{name}/{file} passed its tool before --fix and fails after:\n{why}\n{}",
                    read(dir, file)
                ));
            }
        }
        assert!(changed > 0, "{name}: --fix changed no file");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The single-file fixtures of Python and Rust, each alone in a directory without any
/// config: a file that passed `ruff check --select I` or `rustfmt --check` before the
/// fix passes after it.
#[test]
fn fixed_single_file_fixtures_pass_ruff_isort_and_rustfmt() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for lang in ["python", "rust"] {
        for fixture in fixtures(lang) {
            let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            std::fs::copy(&fixture, dir.join(&name)).unwrap();
            if Language::from_path(Path::new(&name)) == Language::Text {
                continue;
            }
            let Some(Ok(())) = tool_check(dir, &name) else {
                continue;
            };
            shush(dir)
                .args(["check", "--fix", "--unsafe-fixes", &name])
                .output()
                .unwrap();
            checked += 1;
            if let Some(Err(why)) = tool_check(dir, &name) {
                failures.push(format!("{lang}/{name}:\n{why}\n{}", read(dir, &name)));
            }
        }
    }
    assert!(
        checked > 20,
        "only {checked} fixtures passed their tool before the fix"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
