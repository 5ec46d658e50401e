use crate::support::*;

const APP: &str = "import os\nTOKEN = os.getenv(\"ESTUARY_ACCESS_TOKEN\")\nLEVEL = os.getenv(\"LOG_LEVEL\", \"info\")\n";

#[test]
fn unknown_key_is_an_error_that_points_into_the_file() {
    let dir = tree(&[
        ("shush.toml", "env-scope = \"all\"\nmax-file-sise = 10\n"),
        ("a.py", APP),
    ]);
    let out = shush(dir.path()).args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let se = stderr(&out);
    assert!(se.contains("unknown field `max-file-sise`"), "{se}");
    assert!(se.contains("shush.toml:2:1"), "{se}");
    assert_eq!(stdout(&out), "");
}

#[test]
fn bad_values_are_errors() {
    for (text, expect) in [
        ("env-scope = \"some\"\n", "unknown variant `some`"),
        ("max-file-size = \"huge\"\n", "`huge` is not a size"),
        (
            "[python]\nimport = \"import (x)\"\n",
            "is not a Python import statement",
        ),
        (
            "[python]\ncall = \"load\"\n",
            "python.call `load` is not bound by python.import",
        ),
    ] {
        let dir = tree(&[("shush.toml", text), ("a.py", APP)]);
        let out = shush(dir.path()).args(["check"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(stderr(&out).contains(expect), "{text}: {}", stderr(&out));
    }
}

#[test]
fn pyproject_tool_shush_is_found_from_a_subdirectory() {
    let dir = tree(&[
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\n\n[tool.shush]\nenv-scope = \"secrets\"\n",
        ),
        ("src/pkg/a.py", APP),
    ]);
    let doc = json(&dir.path().join("src/pkg"), &["a.py"]);
    assert_eq!(rules(&doc), ["py-os-getenv"]);
    // The command line wins over the file.
    let doc = json(&dir.path().join("src/pkg"), &["a.py", "--env-scope", "all"]);
    assert_eq!(rules(&doc).len(), 2);
}

#[test]
fn explicit_config_file_and_key_map_and_loader() {
    let dir = tree(&[
        (
            "conf/shush-ci.toml",
            "[keys]\nESTUARY_ACCESS_TOKEN = \"estuary/token\"\n\n[python]\ncall = \"settings.get\"\nimport = \"from app import settings\"\n",
        ),
        ("a.py", APP),
    ]);
    shush(dir.path())
        .args(["check", "--fix", "--config", "conf/shush-ci.toml", "a.py"])
        .assert()
        .code(0);
    assert_eq!(
        read(dir.path(), "a.py"),
        "from app import settings\nTOKEN = settings.get(\"estuary/token\")\nLEVEL = settings.get(\"log_level\", \"info\")\n"
    );
}

#[test]
fn attribute_style() {
    let dir = tree(&[
        ("shush.toml", "[python]\nstyle = \"attribute\"\n"),
        ("a.py", APP),
    ]);
    let out = shush(dir.path()).args(["check", "--fix"]).output().unwrap();
    // With a default the attribute style needs getattr: an unsafe fix, left for a person.
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(
        read(dir.path(), "a.py"),
        "import os\nfrom backend.core.auto_esc_config import config\nTOKEN = config.estuary_access_token\nLEVEL = os.getenv(\"LOG_LEVEL\", \"info\")\n"
    );
    shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .assert()
        .code(0);
    assert_eq!(
        read(dir.path(), "a.py"),
        "from backend.core.auto_esc_config import config\nTOKEN = config.estuary_access_token\nLEVEL = getattr(config, \"log_level\", \"info\")\n"
    );
}

#[test]
fn allowlist_secret_words_and_ignored_rules() {
    let dir = tree(&[
        (
            "shush.toml",
            "ignore = [\"py-env-dynamic-key\"]\n[env]\nextend-allow = [\"LOG_*\"]\nextend-secret-words = [\"ESTUARY\"]\n",
        ),
        (
            "a.py",
            "import os\nA = os.getenv('LOG_LEVEL')\nB = os.getenv('ESTUARY_HANDLE')\nC = os.getenv(name)\nD = os.getenv('WORKERS')\n",
        ),
    ]);
    let doc = json(dir.path(), &[]);
    let got: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["env_name"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("ESTUARY_HANDLE".into(), "error".into()),
            ("WORKERS".into(), "warning".into())
        ]
    );
}
