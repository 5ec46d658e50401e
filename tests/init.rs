//! `shush init`, the note of a `--fix` that uses the default loader, and the
//! repository's own config (`shush check .` on shush itself is clean).

use crate::support::*;

#[test]
fn init_writes_a_config_for_the_languages_found_and_never_overwrites() {
    let t = tree(&[
        (
            "app/settings.py",
            "import os\nKEY = os.getenv(\"API_KEY\")\n",
        ),
        ("app/worker.py", "print(1)\n"),
        ("web/env.ts", "export const k = process.env.API_KEY;\n"),
    ]);
    let d = t.path();
    let out = shush(d).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("for python (2), typescript (1)"),
        "{}",
        stdout(&out)
    );
    let written = read(d, "shush.toml");
    assert!(written.contains("[python]   # (2 files)"), "{written}");
    assert!(written.contains("[typescript]   # (1 file)"), "{written}");
    assert!(!written.contains("[rust]"), "{written}");
    // The file is a valid config: the next check uses it.
    let check = shush(d).args(["check", "."]).output().unwrap();
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    // A second init changes nothing.
    let again = shush(d).arg("init").output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("exists already; not overwritten"));
    assert_eq!(read(d, "shush.toml"), written);
}

#[test]
fn init_pyproject_adds_a_table_and_keeps_the_rest() {
    let pyproject = "[project]\nname = \"svc\"\n\n[tool.ruff]\nline-length = 100\n";
    let t = tree(&[("pyproject.toml", pyproject), ("svc/main.py", "x = 1\n")]);
    let d = t.path();
    let out = shush(d).args(["init", "--pyproject"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = read(d, "pyproject.toml");
    assert!(written.starts_with(pyproject), "{written}");
    assert!(written.contains("\n[tool.shush]\n"), "{written}");
    assert!(written.contains("[tool.shush.python]"), "{written}");
    let parsed: toml::Table = toml::from_str(&written).unwrap();
    assert!(parsed["tool"]["shush"].is_table());
    let check = shush(d).args(["check", "."]).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let again = shush(d).args(["init", "--pyproject"]).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(read(d, "pyproject.toml"), written);
}

/// With no config, `--fix` says once which default import it added; with one, nothing.
#[test]
fn fix_with_the_default_loader_says_so_once() {
    let read_key = "import os\nKEY = os.getenv(\"API_KEY\")\n";
    let t = tree(&[("a.py", read_key), ("b.py", read_key)]);
    let out = shush(t.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(err.matches("no shush.toml applies").count(), 1, "{err}");
    assert!(err.contains("`from backend.core.auto_esc_config import get_config_value`"));
    let t = tree(&[
        ("a.py", read_key),
        (
            "shush.toml",
            "[python]\nimport = \"from app.config import get_config_value\"\n",
        ),
    ]);
    let out = shush(t.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("no shush.toml"), "{}", stderr(&out));
    assert!(read(t.path(), "a.py").contains("from app.config import get_config_value"));
}

/// The repository's own `shush.toml` leaves out the fixtures, packs and test tokens:
/// a new user's first `shush check .` here is clean.
#[test]
fn the_repository_checks_clean_with_its_own_config() {
    let out = shush(&root())
        .args(["check", "--color", "never", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("No findings."));
}
