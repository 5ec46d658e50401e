//! The team's own rule packs (`packs` in the config): scanned with, checked by
//! `shush rules check`, listed by `shush rules list`, able to replace an embedded rule
//! or, with `[secrets] extend-default = false`, to stand alone; a bad pack is exit 2.

use crate::support::*;

const ACME_PACK: &str = r#"
[[rule]]
id = "secret-acme-api-token"
summary = "Acme Corp API token (acme_ and 32 lower-case letters or digits)"
keywords = ["acme_"]
regex = '''\b(acme_[a-z0-9]{32})\b'''
secret-group = 1
min-entropy = 3.0
tags = ["acme"]
examples = ['ACME_TOKEN = "acme_9f8e7d6c5b4a39281706f5e4d3c2b1a0"']
negative-examples = [
  'ACME_TOKEN = "acme_"',
  'docs = "https://acme_docs.example.com"',
  'ACME_TOKEN = "acme_00000000000000000000000000000000"',
]
"#;

const TOKEN: &str = "acme_3kq9v7m2x8p4t6w1z5r0b9n7c3d8f2h6";
const STRIPE: &str = "sk_live_FAKEijklmnopqrstuvwxyzAB";
const AWS: &str = "AKIAFAKE0123456789AB";

fn code() -> String {
    format!(
        "ACME = \"{TOKEN}\"\nSHORT = \"acme_short\"\nZEROS = \"acme_00000000000000000000000000000000\"\nSTRIPE = \"{STRIPE}\"\nAWS = \"{AWS}\"\n"
    )
}

fn rules_found(doc: &serde_json::Value) -> Vec<(String, u64)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_team_pack_finds_its_token_and_not_its_negatives() {
    let code = code();
    let dir = tree(&[
        ("shush.toml", "packs = [\"tools/shush/*.toml\"]\n"),
        ("tools/shush/secrets-acme.toml", ACME_PACK),
        ("app/keys.py", &code),
    ]);
    let doc = json(dir.path(), &[]);
    assert_eq!(
        rules_found(&doc),
        vec![
            ("secret-acme-api-token".to_string(), 1),
            ("secret-stripe-live-key".to_string(), 4),
            ("secret-aws-access-key-id".to_string(), 5),
        ],
        "{doc:#}"
    );
    // The pack's own example is its test data: left out, and counted.
    assert_eq!(doc["summary"]["allowlisted"]["path"], 1, "{doc:#}");

    let out = shush(dir.path()).args(["rules", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("tools/shush/secrets-acme.toml: 4 examples, 0 failed"),
        "{}",
        stdout(&out)
    );

    let out = shush(dir.path()).args(["rules", "list"]).output().unwrap();
    let table = stdout(&out);
    let row = table
        .lines()
        .find(|l| l.starts_with("secret-acme-api-token "))
        .expect(&table);
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells,
        [
            "secret-acme-api-token",
            "secret",
            "tools/shush/secrets-acme.toml",
            "error",
            "unsafe"
        ]
    );
    assert!(
        table.lines().any(|l| l.starts_with("py-os-getenv ")),
        "{table}"
    );

    let out = shush(dir.path())
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = doc["rules"].as_array().unwrap();
    let acme = rules
        .iter()
        .find(|r| r["id"] == "secret-acme-api-token")
        .unwrap();
    assert_eq!(acme["origin"], "tools/shush/secrets-acme.toml");
    assert_eq!(acme["family"], "secret");
    let getenv = rules.iter().find(|r| r["id"] == "py-os-getenv").unwrap();
    assert_eq!(
        (&getenv["family"], &getenv["fix"], &getenv["origin"]),
        (&"env-read".into(), &"safe".into(), &"python.toml".into())
    );
}

/// A failing example of a team's pack fails `shush rules check`.
#[test]
fn rules_check_runs_the_team_packs_examples() {
    let broken = ACME_PACK.replace(
        "'ACME_TOKEN = \"acme_\"',",
        "'ACME_TOKEN = \"acme_9f8e7d6c5b4a39281706f5e4d3c2b1a0\"',",
    );
    let dir = tree(&[
        ("shush.toml", "packs = [\"secrets-acme.toml\"]\n"),
        ("secrets-acme.toml", &broken),
    ]);
    let out = shush(dir.path()).args(["rules", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("FAIL ")
            && stdout(&out)
                .contains("secret-acme-api-token example 2: the negative example is found"),
        "{}",
        stdout(&out)
    );
}

/// A team rule with the id of an embedded one replaces it; `extend-default = false`
/// leaves only the team's secret rules.
#[test]
fn a_team_rule_replaces_an_embedded_one_and_the_defaults_can_go() {
    // The team's Stripe rule only takes a key assigned to a STRIPE name: the same key
    // under another name (line 6), which the embedded rule finds, is no longer found.
    let replacing = r#"
[[rule]]
id = "secret-stripe-live-key"
summary = "Stripe live key assigned to a STRIPE_* name"
keywords = ["stripe"]
regex = '''(?i)\bstripe\w*\s*=\s*"(sk_live_[A-Za-z0-9]{24})"'''
secret-group = 1
examples = ['STRIPE_KEY = "sk_live_FAKEijklmnopqrstuvwxyzAB"']
negative-examples = ['KEY = "sk_live_FAKEijklmnopqrstuvwxyzAB"']
"#;
    let code = format!("{}OTHER = \"{STRIPE}\"\n", code());
    let dir = tree(&[
        ("shush.toml", "packs = [\"rules/secrets-stripe.toml\"]\n"),
        ("rules/secrets-stripe.toml", replacing),
        ("app/keys.py", &code),
    ]);
    let doc = json(dir.path(), &["app"]);
    assert_eq!(
        rules_found(&doc),
        vec![
            ("secret-stripe-live-key".to_string(), 4),
            ("secret-aws-access-key-id".to_string(), 5),
        ],
        "{doc:#}"
    );
    let out = shush(dir.path()).args(["rules", "list"]).output().unwrap();
    let table = stdout(&out);
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("secret-stripe-live-key "))
        .collect();
    assert_eq!(rows.len(), 1, "{}", stdout(&out));
    assert!(rows[0].contains("rules/secrets-stripe.toml"), "{}", rows[0]);

    let config = "packs = [\"tools/secrets-acme.toml\"]\n\n[secrets]\nextend-default = false\n";
    let dir = tree(&[
        ("shush.toml", config),
        ("tools/secrets-acme.toml", ACME_PACK),
        ("app/keys.py", &code),
    ]);
    let doc = json(dir.path(), &["app"]);
    assert_eq!(
        rules_found(&doc),
        vec![("secret-acme-api-token".to_string(), 1)],
        "{doc:#}"
    );
}

/// Every way a pack can be wrong stops the run before any scan, exit 2, with a message
/// that names the pack (and points into it where it can).
#[test]
fn bad_packs_are_errors() {
    let bad_regex = ACME_PACK.replace(r"\b(acme_[a-z0-9]{32})\b", r"\b(acme_[a-z0-9]{32}\b");
    let unknown_key = ACME_PACK.replace("min-entropy = 3.0", "min-entropie = 3.0");
    let twice = format!("{ACME_PACK}\n{ACME_PACK}");
    let huge = ACME_PACK.replace(
        r"\b(acme_[a-z0-9]{32})\b",
        r"\b(acme_[a-z0-9]{1000}{1000})\b",
    );
    let cases: Vec<(&str, &str, String, &str)> = vec![
        (
            "packs = [\"p/secrets-a.toml\"]\n",
            "p/secrets-a.toml",
            "[[rule]\n".into(),
            "secrets-a.toml",
        ),
        (
            "packs = [\"p/secrets-a.toml\"]\n",
            "p/secrets-a.toml",
            bad_regex,
            "secret-acme-api-token",
        ),
        (
            "packs = [\"p/secrets-a.toml\"]\n",
            "p/secrets-a.toml",
            unknown_key,
            "min-entropie",
        ),
        (
            "packs = [\"p/secrets-a.toml\"]\n",
            "p/secrets-a.toml",
            twice,
            "appears twice",
        ),
        (
            "packs = [\"p/secrets-a.toml\"]\n",
            "p/secrets-a.toml",
            huge,
            "exceeds",
        ),
        (
            "packs = [\"p/*.toml\"]\n",
            "p/acme.toml",
            ACME_PACK.into(),
            "a pack is named for",
        ),
        (
            "packs = [\"p/*.toml\"]\n",
            "p/python-acme.toml",
            WRAPPER_PACK.replace(
                "\"acme.settings.env.get_int_from_env\"",
                "\"acme.settings.env.get_int_from_env()\"",
            ),
            "is not a dotted path",
        ),
        (
            "packs = [\"p/*.toml\"]\n",
            "p/python-acme.toml",
            WRAPPER_PACK.replace("py-env-dynamic-key", "py-no-such-rule"),
            "is not in the pack",
        ),
        (
            "packs = [\"p/*.toml\"]\n",
            "p/python-acme.toml",
            WRAPPER_PACK.replace("fix = \"unsafe\"", "fix = \"sometimes\""),
            "unknown variant",
        ),
        (
            "packs = [\"p/missing.toml\"]\n",
            "p/secrets-a.toml",
            ACME_PACK.into(),
            "names no rule pack file",
        ),
    ];
    for (config, pack_path, pack, message) in cases {
        let dir = tree(&[
            ("shush.toml", config),
            (pack_path, &pack),
            ("app/keys.py", &code()),
        ]);
        let out = shush(dir.path())
            .args(["check", "--color", "never"])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{config} {pack_path} {message}\n{err}"
        );
        assert!(
            err.contains(message),
            "{config} {pack_path}: want {message}\n{err}"
        );
        assert!(stdout(&out).is_empty(), "nothing scanned: {}", stdout(&out));
    }
}

const WRAPPER_PACK: &str = r#"
[[rule]]
id = "py-acme-env-helper"
summary = "environment read through acme's typed settings helpers"
targets = ["acme.settings.env.get_bool_from_env", "acme.settings.env.get_int_from_env"]
key = { position = 0, keyword = "key" }
default = { position = 1, keyword = "default" }
# the helpers convert the value; the loader returns it as stored
fix = "unsafe"
dynamic-rule = "py-env-dynamic-key"

[[rule.example]]
code = '''
from acme.settings.env import get_bool_from_env

DEBUG = get_bool_from_env("ACME_DEBUG", False)
'''
fixed = '''
from backend.core.auto_esc_config import get_config_value

DEBUG = get_config_value("acme_debug", False)
'''
"#;

/// A team's Python helper declared as an environment read is found through a module
/// alias and an aliased from-import, over several lines, with a computed name reported
/// by the embedded dynamic-key rule; `--fix --unsafe-fixes` rewrites it (the result
/// compiles), the inventory lists its keys, and `rules check` runs its example.
#[test]
fn a_python_env_wrapper_from_a_team_pack_is_found_fixed_and_listed() {
    let settings = r#"import acme.settings.env as env
from acme.settings.env import get_bool_from_env as env_bool

DEBUG = env_bool("ACME_DEBUG", False)
WORKERS = env.get_int_from_env(
    "ACME_WORKERS",  # how many
    4,
)
TOKEN = env.get_int_from_env(key="ACME_API_TOKEN")
NAME = "ACME_" + "REGION"
REGION = env.get_int_from_env(NAME)


def get_int_from_env(name):  # a local function of the same name is not the helper
    return 0


LOCAL = get_int_from_env("ACME_LOCAL")
"#;
    let dir = tree(&[
        ("shush.toml", "packs = [\"tools/shush/*.toml\"]\n"),
        ("tools/shush/python-acme.toml", WRAPPER_PACK),
        ("app/settings.py", settings),
    ]);
    let doc = json(dir.path(), &["app"]);
    assert_eq!(
        rules_found(&doc),
        vec![
            ("py-acme-env-helper".to_string(), 4),
            ("py-acme-env-helper".to_string(), 5),
            ("py-acme-env-helper".to_string(), 9),
            ("py-env-dynamic-key".to_string(), 11),
        ],
        "{doc:#}"
    );
    let out = shush(dir.path())
        .args(["inventory", "app", "--format", "json"])
        .output()
        .unwrap();
    let inventory: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = inventory["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["acme_api_token", "acme_debug", "acme_workers"]);

    shush(dir.path())
        .args(["check", "app", "--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    let fixed = read(dir.path(), "app/settings.py");
    assert!(
        fixed.starts_with("import acme.settings.env as env\n"),
        "{fixed}"
    );
    assert!(!fixed.contains("env_bool"), "{fixed}");
    for line in [
        "DEBUG = get_config_value(\"acme_debug\", False)",
        "    \"acme_workers\",  # how many",
        "TOKEN = get_config_value(\"acme_api_token\")",
        "REGION = env.get_int_from_env(NAME)",
        "LOCAL = get_int_from_env(\"ACME_LOCAL\")",
    ] {
        assert!(fixed.contains(line), "{line}\n{fixed}");
    }
    run(
        dir.path(),
        "python3",
        &["-m", "py_compile", "app/settings.py"],
    );

    let out = shush(dir.path()).args(["rules", "check"]).output().unwrap();
    assert!(
        stdout(&out).contains("tools/shush/python-acme.toml: 1 examples, 0 failed"),
        "{}",
        stdout(&out)
    );
    let out = shush(dir.path()).args(["rules", "list"]).output().unwrap();
    let table = stdout(&out);
    let row = table
        .lines()
        .find(|l| l.starts_with("py-acme-env-helper "))
        .expect(&table);
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        [
            "py-acme-env-helper",
            "env-read",
            "tools/shush/python-acme.toml",
            "error",
            "unsafe"
        ]
    );
}
