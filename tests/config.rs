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

#[test]
fn the_nearest_config_applies_to_each_file_and_config_names_one_for_all() {
    let dir = tree(&[
        ("shush.toml", "env-scope = \"secrets\"\n"),
        ("a.py", APP),
        // A package with its own config: every read, and its own loader.
        (
            "services/billing/shush.toml",
            "[python]\nimport = \"from billing.conf import setting\"\n",
        ),
        ("services/billing/a.py", APP),
        // A pyproject.toml without [tool.shush] is passed over.
        (
            "services/billing/sub/pyproject.toml",
            "[project]\nname = \"x\"\n",
        ),
        ("services/billing/sub/a.py", APP),
    ]);
    let doc = json(dir.path(), &["."]);
    assert_eq!(
        path_rules(&doc),
        [
            "a.py py-os-getenv",
            "services/billing/a.py py-os-getenv",
            "services/billing/a.py py-os-getenv",
            "services/billing/sub/a.py py-os-getenv",
            "services/billing/sub/a.py py-os-getenv",
        ]
    );
    shush(dir.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    assert!(read(dir.path(), "a.py").contains("from backend.core.auto_esc_config import"));
    // The import named the call: `setting("estuary_access_token")`.
    let billing = read(dir.path(), "services/billing/a.py");
    assert!(
        billing.starts_with("from billing.conf import setting\n"),
        "{billing}"
    );
    assert!(
        billing.contains("TOKEN = setting(\"estuary_access_token\")"),
        "{billing}"
    );
    assert!(read(dir.path(), "services/billing/sub/a.py").contains("setting(\"log_level\""));

    // --config: one file for every path.
    let dir = tree(&[
        ("ci.toml", "env-scope = \"secrets\"\n"),
        ("pkg/shush.toml", "env-scope = \"all\"\n"),
        ("pkg/a.py", APP),
    ]);
    let doc = json(dir.path(), &["--config", "ci.toml", "pkg"]);
    assert_eq!(rules(&doc), ["py-os-getenv"]);
}

#[test]
fn extend_and_overrides_lay_settings_over_the_base() {
    let dir = tree(&[
        (
            "shush.toml",
            concat!(
                "[env]\nextend-allow = [\"LOG_LEVEL\"]\n",
                "[typescript]\nimport = 'import { getConfigValue } from \"@/config\";'\n",
                "[[overrides]]\npaths = [\"scripts/\"]\nignore = [\"py-\"]\n",
                "[[overrides]]\npaths = [\"web/migrations/*.mjs\"]\n",
                "typescript.import = 'import { getConfigValue } from \"../lib/config.js\";'\n",
            ),
        ),
        ("scripts/seed.py", APP),
        (
            "web/migrations/001.mjs",
            "export const url = process.env.DATABASE_URL;\n",
        ),
        (
            "web/app.mjs",
            "export const url = process.env.DATABASE_URL;\n",
        ),
        (
            "services/api/shush.toml",
            "extend = \"../../shush.toml\"\nexclude = [\"gen/\"]\n[env]\nextend-allow = [\"ESTUARY_ACCESS_TOKEN\"]\n",
        ),
        ("services/api/a.py", APP),
        ("services/api/gen/a.py", APP),
        ("services/api/scripts/a.py", APP),
    ]);
    let doc = json(dir.path(), &["."]);
    // `scripts/` (a gitignore glob: any directory of that name) is ignored by the first
    // override, in services/api too, which extends the root; there the allowlists of
    // both files add up (no finding left), and its own gen/ is excluded.
    assert_eq!(
        path_rules(&doc),
        [
            "web/app.mjs ts-process-env",
            "web/migrations/001.mjs ts-process-env"
        ]
    );
    shush(dir.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    assert!(read(dir.path(), "web/app.mjs").contains("from \"@/config\""));
    assert!(read(dir.path(), "web/migrations/001.mjs").contains("from \"../lib/config.js\""));
}

#[test]
fn nested_config_errors_fail_the_run_and_point_into_the_file() {
    let dir = tree(&[
        ("a.py", APP),
        ("pkg/shush.toml", "[python]\nimport = \"import (x)\"\n"),
        ("pkg/a.py", APP),
    ]);
    let out = shush(dir.path()).args(["check", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let se = stderr(&out);
    assert!(se.contains("is not a Python import statement"), "{se}");
    assert!(se.contains("pkg/shush.toml"), "{se}");

    for (text, expect) in [
        (
            "extend = \"nowhere.toml\"\n",
            "cannot find the config file `nowhere.toml`",
        ),
        (
            "extend = \"shush.toml\"\n",
            "`extend` goes more than 8 files deep",
        ),
        (
            "[[overrides]]\npaths = [\"x/\"]\nexclude = []\n",
            "unknown field `exclude`",
        ),
        ("[[overrides]]\nignore = []\n", "missing field `paths`"),
    ] {
        let dir = tree(&[("shush.toml", text), ("a.py", APP)]);
        let out = shush(dir.path()).args(["check"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(stderr(&out).contains(expect), "{text}: {}", stderr(&out));
    }
}

#[test]
fn double_underscores_and_leading_underscores_stay_in_keys() {
    let dir = tree(&[(
        "a.py",
        "import os\nA = os.getenv(\"PREFECT__FLOW_RUN_ID\")\nB = os.getenv(\"__CARGO_TEST_ROOT\")\n",
    )]);
    let doc = json(dir.path(), &[]);
    let keys: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["config_key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["prefect__flow_run_id", "__cargo_test_root"]);
}

/// The platform catalogue's groups are switched off by name, in the file or in an
/// override; an unknown group is an error that lists the groups.
#[test]
fn platform_groups_and_head_words_come_from_the_config() {
    let app = "import os\n\nSHA = os.getenv(\"GITHUB_SHA\")\nTERM = os.getenv(\"TERM_PROGRAM\")\nTENANT = os.getenv(\"AUTH_TENANT\")\n";
    let names = |dir: &std::path::Path| -> Vec<String> {
        let out = shush(dir)
            .args(["check", "--format", "json", "."])
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f["env_name"].as_str().unwrap(),
                    f["severity"].as_str().unwrap()
                )
            })
            .collect()
    };
    let plain = tree(&[("app.py", app)]);
    assert_eq!(names(plain.path()), ["AUTH_TENANT error"]);
    let dir = tree(&[
        (
            "shush.toml",
            "[env]\nplatform = { ci = false }\nextend-not-secret-words = [\"TENANT\"]\n[[overrides]]\npaths = [\"tools/\"]\nenv.platform = { terminal = false }\n",
        ),
        ("app.py", app),
        ("tools/app.py", app),
    ]);
    assert_eq!(
        names(dir.path()),
        [
            "GITHUB_SHA warning",
            "AUTH_TENANT warning",
            "GITHUB_SHA warning",
            "TERM_PROGRAM warning",
            "AUTH_TENANT warning"
        ]
    );
    let bad = tree(&[
        ("shush.toml", "[env]\nplatform = { cloud = false }\n"),
        ("app.py", app),
    ]);
    let out = shush(bad.path()).args(["check", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("`cloud` is not a group of the platform catalogue"),
        "{err}"
    );
    assert!(
        err.contains("os, terminal, toolchain, ci, runtime"),
        "{err}"
    );
}
