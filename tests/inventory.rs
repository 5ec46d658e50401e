use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::support::*;

/// A temporary copy of the Python, TypeScript and Rust fixtures.
fn fixture_tree() -> tempfile::TempDir {
    let dir = tree(&[]);
    for lang in ["python", "typescript", "rust"] {
        for fixture in fixtures(lang) {
            let name = format!("{lang}/{}", fixture.file_name().unwrap().to_string_lossy());
            write(dir.path(), &name, &std::fs::read(&fixture).unwrap());
        }
    }
    dir
}

fn inventory(dir: &Path, args: &[&str]) -> Output {
    let out = shush(dir).arg("inventory").args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "inventory {args:?} failed: {}",
        stderr(&out)
    );
    out
}

use std::process::Output;

fn inventory_json(dir: &Path) -> Value {
    serde_json::from_slice(&inventory(dir, &["--format", "json"]).stdout).unwrap()
}

/// key → (secret, default, languages) of an inventory document.
fn keys(doc: &Value) -> BTreeMap<String, (bool, String, Vec<String>)> {
    doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let langs = k["languages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap().to_string())
                .collect();
            (
                k["key"].as_str().unwrap().to_string(),
                (
                    k["secret"].as_bool().unwrap(),
                    k["default"].as_str().unwrap().to_string(),
                    langs,
                ),
            )
        })
        .collect()
}

fn kinds(doc: &Value) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for place in doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|k| k["places"].as_array().unwrap())
    {
        *out.entry(place["kind"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    out
}

#[test]
fn fixtures_list_the_same_keys_before_and_after_fix() {
    let dir = fixture_tree();
    let before = inventory_json(dir.path());
    let fix = shush(dir.path())
        .args([
            "check",
            "--fix",
            "--unsafe-fixes",
            "python",
            "typescript",
            "rust",
        ])
        .output()
        .unwrap();
    assert!(stdout(&fix).contains("Remediation:"), "{}", stdout(&fix));
    let after = inventory_json(dir.path());

    let (b, a) = (keys(&before), keys(&after));
    assert!(b.len() > 80, "only {} keys in the fixtures", b.len());
    // Same keys, and for each the same secret flag, defaults and languages.
    assert_eq!(b, a);
    // The fix turned environment reads into loader calls (a few fixtures call the
    // loader already).
    let (kb, ka) = (kinds(&before), kinds(&after));
    assert!(kb["loader"] < 10, "{kb:?}");
    assert!(ka["loader"] > 100, "{ka:?}");
    assert!(ka["env"] < kb["env"] / 5, "{ka:?} vs {kb:?}");
    // Same number of places: every read is still there, as one kind or the other.
    assert_eq!(
        kb.values().sum::<usize>(),
        ka.values().sum::<usize>(),
        "{kb:?} vs {ka:?}"
    );
}

#[test]
fn esc_template_parses_as_yaml_and_holds_every_key() {
    let dir = fixture_tree();
    let doc = inventory_json(dir.path());
    let esc = stdout(&inventory(dir.path(), &["--format", "esc"]));
    let yaml = yaml_rust2::YamlLoader::load_from_str(&esc)
        .unwrap_or_else(|e| panic!("not YAML ({e}):\n{esc}"));
    let values = &yaml[0]["values"];
    let vars = &values["environmentVariables"];
    assert!(!vars.is_badvalue(), "{esc}");
    let mut secrets = 0;
    for k in doc["keys"].as_array().unwrap() {
        let key = k["key"].as_str().unwrap();
        let value = &values[key];
        assert!(!value.is_badvalue(), "`{key}` missing from the template");
        if k["secret"].as_bool().unwrap() {
            secrets += 1;
            assert_eq!(value["fn::secret"].as_str(), Some(""), "`{key}`");
        } else {
            assert_eq!(value.as_str(), Some(""), "`{key}`");
        }
        for name in k["env_names"].as_array().unwrap() {
            let name = name.as_str().unwrap();
            assert_eq!(
                vars[name].as_str(),
                Some(format!("${{{key}}}").as_str()),
                "{name}"
            );
        }
    }
    assert!(secrets > 40, "{secrets}");
    // No value of a secret is ever written: every leaf is an empty placeholder.
    assert!(!esc.contains("sk_live"));
}

#[test]
fn mappings_are_identical_across_runs_and_thread_counts() {
    let dir = fixture_tree();
    let first = inventory(dir.path(), &["--format", "mappings"]).stdout;
    for j in ["1", "2", "8", "8"] {
        let again = inventory(dir.path(), &["--format", "mappings", "-j", j]).stdout;
        assert_eq!(first, again, "-j {j}");
    }
    let text = String::from_utf8(first).unwrap();
    let map: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(map["ESTUARY_ACCESS_TOKEN"], "estuary_access_token");
    assert_eq!(map["DATABASE_URL"], "database_url");
    // Sorted by environment name, as written.
    let names: Vec<&String> = map.keys().collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(
        !map.contains_key("PATH") && !map.contains_key("HOME"),
        "system variables are not config keys"
    );
}

#[test]
fn loader_calls_are_read_through_imports_with_their_defaults() {
    let dir = tree(&[
        (
            "svc/settings.py",
            "from backend.core.auto_esc_config import get_config_value as cfg\n\
             import os\n\n\
             TOKEN = cfg(\"estuary_access_token\")\n\
             LEVEL = cfg(\"log_level\", \"INFO\")\n\
             WORKERS = int(cfg(\"workers\") or 4)\n\
             HOME = os.environ[\"HOME\"]\n\
             def get_config_value(x):  # not the loader: a local function\n\
             \x20   return x\n\
             OTHER = get_config_value(\"not_a_key\")\n",
        ),
        (
            "web/app.ts",
            "import { getConfigValue } from \"@/config\";\n\
             const key = getConfigValue(\"openai_api_key\");\n\
             const url = getConfigValue(\"api_base_url\") ?? \"http://localhost\";\n\
             const raw = process.env.STRIPE_SECRET_KEY;\n",
        ),
        (
            "core/src/lib.rs",
            "use crate::config::get_config_value;\n\
             pub fn f() -> String {\n\
             \x20   let _t = crate::config::get_config_value(\"slack_token\");\n\
             \x20   get_config_value(\"region\").unwrap_or_default()\n\
             }\n",
        ),
    ]);
    let doc = inventory_json(dir.path());
    let k = keys(&doc);
    let names: Vec<&str> = k.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "api_base_url",
            "estuary_access_token",
            "log_level",
            "openai_api_key",
            "region",
            "slack_token",
            "stripe_secret_key",
            "workers"
        ]
    );
    let d = |key: &str| k[key].1.as_str();
    assert_eq!(d("estuary_access_token"), "never");
    assert_eq!(d("log_level"), "always");
    assert_eq!(d("workers"), "always");
    assert_eq!(d("api_base_url"), "always");
    assert_eq!(d("openai_api_key"), "never");
    assert_eq!(d("region"), "always");
    assert_eq!(d("slack_token"), "never");
    assert!(k["slack_token"].0 && k["openai_api_key"].0 && !k["log_level"].0);
    assert_eq!(k["region"].2, ["rust"]);
    let places = |key: &str| {
        doc["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["key"] == key)
            .unwrap()["places"]
            .clone()
    };
    let p = places("log_level");
    assert_eq!(p[0]["path"], "svc/settings.py");
    assert_eq!(
        (p[0]["line"].as_u64(), p[0]["column"].as_u64()),
        (Some(5), Some(9))
    );
    assert_eq!(p[0]["kind"], "loader");
    let s = places("stripe_secret_key");
    assert_eq!(s[0]["kind"], "env");
    assert_eq!(s[0]["env_name"], "STRIPE_SECRET_KEY");

    let table = stdout(&inventory(dir.path(), &[]));
    assert!(
        table.starts_with("KEY                   ENVIRONMENT"),
        "{table}"
    );
    assert!(table.contains("8 keys (4 secret) read in 8 places in 3 files: 7 through the loader, 1 from the environment."), "{table}");

    let example = stdout(&inventory(dir.path(), &["--format", "dotenv-example"]));
    assert!(example.contains("\nSTRIPE_SECRET_KEY=\n"), "{example}");
    assert!(
        example.contains("# log_level · svc/settings.py:5\nLOG_LEVEL=\n"),
        "{example}"
    );
    assert!(example.contains("# slack_token · core/src/lib.rs:3 · secret\nSLACK_TOKEN=\n"));
}

#[test]
fn attribute_style_loader_reads_and_explicit_key_mappings() {
    let dir = tree(&[
        (
            "shush.toml",
            "[keys]\nESTUARY_TOKEN = \"estuary/access_token\"\n\n\
             [python]\nstyle = \"attribute\"\ncall = \"settings\"\n\
             import = \"from app.config import settings\"\n",
        ),
        (
            "a.py",
            "import os\n\nT = os.environ[\"ESTUARY_TOKEN\"]\nL = os.getenv(\"LOG_LEVEL\")\n",
        ),
        (
            "b.py",
            "from app.config import settings\n\n\
             W = settings.workers\n\
             D = getattr(settings, \"db-url\", None)\n\
             settings.reload()\n",
        ),
    ]);
    let before = stdout(&inventory(dir.path(), &["--format", "mappings"]));
    let map: BTreeMap<String, String> = serde_json::from_str(&before).unwrap();
    assert_eq!(
        map,
        BTreeMap::from([
            ("DB_URL".to_string(), "db-url".to_string()),
            (
                "ESTUARY_TOKEN".to_string(),
                "estuary/access_token".to_string()
            ),
            ("LOG_LEVEL".to_string(), "log_level".to_string()),
            ("WORKERS".to_string(), "workers".to_string()),
        ])
    );
    shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes", "a.py"])
        .assert()
        .code(0);
    // The rewrite used the mapped key, and the inventory maps it back to its name.
    assert!(read(dir.path(), "a.py").contains("getattr(settings, \"estuary/access_token\")"));
    let after = stdout(&inventory(dir.path(), &["--format", "mappings"]));
    assert_eq!(before, after);
    let esc = stdout(&inventory(dir.path(), &["--format", "esc"]));
    let yaml = yaml_rust2::YamlLoader::load_from_str(&esc).unwrap();
    let values = &yaml[0]["values"];
    assert_eq!(
        values["estuary/access_token"]["fn::secret"].as_str(),
        Some(""),
        "{esc}"
    );
    assert_eq!(
        values["environmentVariables"]["ESTUARY_TOKEN"].as_str(),
        Some("${[\"estuary/access_token\"]}")
    );
}

#[test]
fn same_key_from_two_environment_names_is_a_warning() {
    let dir = tree(&[(
        "a.py",
        "import os\nA = os.getenv(\"DB_PASSWORD\")\nB = os.getenv(\"db_password\")\n",
    )]);
    let out = inventory(dir.path(), &["--format", "mappings"]);
    assert!(
        stderr(&out).contains(
            "warning: `db_password` is read from 2 environment variables: DB_PASSWORD, db_password"
        ),
        "{}",
        stderr(&out)
    );
    let map: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(map.len(), 2);
}

#[test]
fn fix_report_accounts_for_rewrites_and_refusals() {
    let dir = git_repo(&[
        (
            "app/settings.py",
            b"import os\n\nTOKEN = os.getenv(\"ESTUARY_ACCESS_TOKEN\")\nLEVEL = os.environ.get(\"LOG_LEVEL\", \"INFO\")\nNAME = os.environ[name]\nSTRIPE = \"sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWx0123456789\"\n",
        ),
        (
            "web/a.ts",
            b"export const k = process.env.OPENAI_API_KEY;\nexport const b = process.env.NEXT_PUBLIC_STRIPE_SECRET;\n",
        ),
        (
            "svc/src/main.rs",
            b"fn main() {\n    let _ = std::env::var(\"SLACK_TOKEN\");\n    let _ = env!(\"BUILD_SECRET\");\n}\n",
        ),
        (".env", b"A=1\n"),
    ]);
    let report = dir.path().join("report.json");
    let out = shush(dir.path())
        .args(["check", "--fix", "--report"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("  reads rewritten:       4 (python 2, rust 1, typescript 1)"),
        "{text}"
    );
    assert!(
        text.contains("  secrets left for you:  1 (app/settings.py:8)"),
        "{text}"
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(doc["mode"], "fix");
    assert_eq!(doc["files_changed"], 4, "{doc:#}");
    assert_eq!(
        doc["reads_rewritten"],
        serde_json::json!({"python": 2, "rust": 1, "typescript": 1})
    );
    assert_eq!(doc["imports_added"], 3);
    assert_eq!(doc["imports_removed"], 0);
    // Tracked: listed in .gitignore now, and still reported until `git rm --cached`.
    assert_eq!(doc["dotenv"]["gitignored"], 1);
    assert_eq!(doc["dotenv"]["left"], 1);
    assert_eq!(doc["reads_left"], 3);
    assert_eq!(doc["secrets_left"][0]["rule"], "secret-stripe-live-key");
    let reasons: Vec<&str> = doc["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(
        reasons.contains(&"unsafe fix, applied only with --unsafe-fixes"),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("computed")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("`env!` is expanded at compile time"))
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("client-exposed") || r.contains("renaming"))
    );
    // The report never holds a secret.
    assert!(
        !std::fs::read_to_string(&report)
            .unwrap()
            .contains("sk_live_51")
    );

    // Without --fix or --diff there is nothing to report.
    let out = shush(dir.path())
        .args(["check", "--report", "r.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--report"), "{}", stderr(&out));
}

#[test]
fn a_relative_import_of_the_loader_is_the_loader() {
    let dir = tree(&[
        (
            "backend/core/jobs.py",
            "import os\nfrom .auto_esc_config import get_config_value\n\nA = get_config_value(\"a_token\")\nB = os.getenv(\"B_TOKEN\")\n",
        ),
        (
            "backend/core/other.py",
            "from .settings import get_config_value\n\nC = get_config_value(\"c_token\")\n",
        ),
    ]);
    let map = stdout(&inventory(dir.path(), &["--format", "mappings"]));
    let map: BTreeMap<String, String> = serde_json::from_str(&map).unwrap();
    // `.settings.get_config_value` is some other function: not a key.
    assert_eq!(map.keys().collect::<Vec<_>>(), ["A_TOKEN", "B_TOKEN"]);
    shush(dir.path())
        .args(["check", "--fix", "backend/core/jobs.py"])
        .assert()
        .code(0);
    // The existing relative import is reused, not doubled with the absolute one.
    assert_eq!(
        read(dir.path(), "backend/core/jobs.py"),
        "from .auto_esc_config import get_config_value\n\nA = get_config_value(\"a_token\")\nB = get_config_value(\"b_token\")\n"
    );
}

#[test]
fn no_keys_and_bad_input() {
    let dir = tree(&[("a.py", "import os\nprint(os.environ['HOME'])\n")]);
    let out = inventory(dir.path(), &[]);
    // `HOME` is the OS's: no key, listed apart with its group.
    assert_eq!(
        stdout(&out),
        "No config keys found in 1 file.\nLeft alone, not configuration: 1 variable.\n  platform:os: HOME (a.py:2)\n"
    );
    let esc = stdout(&inventory(dir.path(), &["--format", "esc"]));
    let yaml = yaml_rust2::YamlLoader::load_from_str(&esc).unwrap();
    assert!(
        yaml[0]["values"]["environmentVariables"]
            .as_hash()
            .unwrap()
            .is_empty()
    );
    // A missing path fails the run (exit 2) after listing what it could.
    let out = shush(dir.path())
        .args(["inventory", "a.py", "missing"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing"), "{}", stderr(&out));
    let out = shush(dir.path())
        .args(["inventory", "--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Variables that are not configuration are listed apart, with why, and are not keys to
/// migrate: one the repository hands to a child process (written in one file, read in
/// another), one a test sets for itself, and ones a platform or CI system sets.
#[test]
fn hand_off_test_and_platform_variables_are_left_alone_and_marked() {
    let t = tree(&[
        (
            "worker/launch.py",
            "import os\nimport subprocess\n\n\ndef start(cmd, run_id):\n    subprocess.run(\n        cmd,\n        env={**os.environ, \"RUN_ID\": run_id},\n        check=True,\n    )\n",
        ),
        (
            "worker/child.py",
            "import os\n\nRUN_ID = os.environ[\"RUN_ID\"]\nAPI_KEY = os.getenv(\"API_KEY\")\nSHA = os.getenv(\"GITHUB_SHA\", \"dev\")\n",
        ),
        (
            "tests/test_flags.py",
            "import os\n\n\ndef test_flag(monkeypatch):\n    monkeypatch.setenv(\"FEATURE_X\", \"1\")\n    assert os.environ[\"FEATURE_X\"] == \"1\"\n",
        ),
    ]);
    let doc = inventory_json(t.path());
    let names: Vec<&str> = doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["api_key"]);
    let left: Vec<(String, String, String)> = doc["left_alone"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["env_name"].as_str().unwrap().to_string(),
                l["role"].as_str().unwrap().to_string(),
                l["places"][0]["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        left,
        [
            (
                "FEATURE_X".into(),
                "test".into(),
                "tests/test_flags.py".into()
            ),
            (
                "GITHUB_SHA".into(),
                "platform:ci".into(),
                "worker/child.py".into()
            ),
            ("RUN_ID".into(), "hand-off".into(), "worker/child.py".into()),
        ]
    );
    let run_id = &doc["left_alone"][2];
    assert!(
        run_id["reason"]
            .as_str()
            .unwrap()
            .contains("worker/launch.py:8"),
        "{run_id}"
    );
    // The table says the same, and the .env template lists only the key.
    let table = stdout(&inventory(t.path(), &[]));
    assert!(
        table.contains("Left alone, not configuration: 3 variables."),
        "{table}"
    );
    assert!(
        table.contains("hand-off: RUN_ID (worker/child.py:3)"),
        "{table}"
    );
    let example = stdout(&inventory(t.path(), &["--format", "dotenv-example"]));
    assert!(example.contains("API_KEY="), "{example}");
    assert!(!example.contains("RUN_ID"), "{example}");
}
