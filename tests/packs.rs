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
        (
            "packs = [\"p/*.toml\"]\n",
            "p/python-acme.toml",
            TEMPLATE_PACK.replace("to_bool({call}({key}))", "to_bool({call}({keys}))"),
            "unknown placeholder `{keys}`",
        ),
        (
            "packs = [\"p/*.toml\"]\n",
            "p/python-acme.toml",
            TEMPLATE_PACK.replace(
                "to_bool({call}({key}))",
                "to_bool({call}({key}, {default}))",
            ),
            "without-default uses {default}",
        ),
        (
            "packs = [\"p/*.toml\"]\n",
            "p/python-acme.toml",
            TEMPLATE_PACK.replace(
                "\"{call}({key}) or {default}\"",
                "\"{call}({key}) or {default\"",
            ),
            "is not closed",
        ),
        (
            "packs = [\"p/*.toml\"]\n",
            "p/python-acme.toml",
            TEMPLATE_PACK.replace("default = { position = 1 }\nfix", "fix"),
            "the template uses {default}, and the rule has no `default` argument",
        ),
        (
            "packs = [\"p/*.toml\"]\n",
            "p/python-acme.toml",
            TEMPLATE_PACK.replace(
                "from acme.config.convert import to_bool",
                "import to_bool from acme",
            ),
            "is not an import this language's fixes can add",
        ),
        (
            "packs = [\"p/*.toml\"]\n",
            "p/python-acme.toml",
            TEMPLATE_PACK.replace("\"acme.settings.env.env_or\"", "\"acme/settings#env_or\""),
            "only a TypeScript pack can",
        ),
        (
            "packs = [\"p/*.toml\"]\n",
            "p/typescript-acme.toml",
            TS_PACK.replace("@acme/lib/utils/env#env\"", "./utils/env#env\""),
            "is not a dotted path",
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
        // miette wraps long messages at the terminal's width.
        let flat = |s: &str| {
            s.split_whitespace()
                .filter(|w| *w != "│")
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert!(
            flat(&err).contains(&flat(message)),
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

const TEMPLATE_PACK: &str = r#"
[[rule]]
id = "py-acme-bool"
summary = "boolean setting read through acme's get_bool_from_env"
targets = ["acme.settings.env.get_bool_from_env"]
key = { position = 0, keyword = "key" }
default = { position = 1, keyword = "default" }
fix = "safe"
dynamic-rule = "py-env-dynamic-key"
rewrite = { template = "to_bool({call}({key}, {default}))", without-default = "to_bool({call}({key}))", imports = ["from acme.config.convert import to_bool"] }

[[rule.example]]
code = '''
from acme.settings.env import get_bool_from_env

DEBUG = get_bool_from_env("ACME_DEBUG", False)
'''
fixed = '''
from acme.config.convert import to_bool
from backend.core.auto_esc_config import get_config_value

DEBUG = to_bool(get_config_value("acme_debug", False))
'''

[[rule]]
id = "py-acme-or"
summary = "setting read through acme's env_or"
targets = ["acme.settings.env.env_or"]
key = { position = 0 }
default = { position = 1 }
fix = "safe"
rewrite = { template = "{call}({key}) or {default}" }
"#;

/// A rule's rewrite template replaces the whole read, keyword default or not, over
/// several lines, through a module alias and an aliased from-import; the template's own
/// import goes where isort puts it, beside the loader's; a template that is not one
/// primary expression is parenthesised where an operator binds the read; the result
/// compiles, and a second run has nothing left to fix.
#[test]
fn a_python_wrapper_is_rewritten_by_its_template_with_its_import() {
    let settings = r#""""Settings."""
import logging

import acme.settings.env as env
from acme.settings.env import get_bool_from_env as env_bool

log = logging.getLogger(__name__)

DEBUG = env_bool("ACME_DEBUG", False)
TLS = env.get_bool_from_env(
    "ACME_TLS",
    default=True,
)
CACHE = env_bool("ACME_CACHE")
WORKERS = env.env_or("ACME_WORKERS", 4)
LIMIT = 2 * env.env_or("ACME_LIMIT", 8)
"#;
    let dir = tree(&[
        ("shush.toml", "packs = [\"tools/shush/*.toml\"]\n"),
        ("tools/shush/python-acme.toml", TEMPLATE_PACK),
        ("app/settings.py", settings),
    ]);
    let doc = json(dir.path(), &["app"]);
    let fixes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fix"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        fixes,
        [
            "Replace with `to_bool(get_config_value(\"acme_debug\", …))`",
            "Replace with `to_bool(get_config_value(\"acme_tls\", …))`",
            "Replace with `to_bool(get_config_value(\"acme_cache\"))`",
            "Replace with `get_config_value(\"acme_workers\") or …`",
            "Replace with `get_config_value(\"acme_limit\") or …`",
        ],
        "{doc:#}"
    );
    // A fix on its own (JSON, SARIF) carries the template's import as well.
    let contents: Vec<&str> = doc["findings"][0]["fix"]["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["content"].as_str().unwrap())
        .collect();
    assert!(
        contents
            .iter()
            .any(|c| c.contains("from acme.config.convert import to_bool")),
        "{contents:?}"
    );
    let out = shush(dir.path())
        .args(["check", "app", "--fix"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        read(dir.path(), "app/settings.py"),
        r#""""Settings."""
import logging

from acme.config.convert import to_bool
from backend.core.auto_esc_config import get_config_value

log = logging.getLogger(__name__)

DEBUG = to_bool(get_config_value("acme_debug", False))
TLS = to_bool(get_config_value("acme_tls", True))
CACHE = to_bool(get_config_value("acme_cache"))
WORKERS = get_config_value("acme_workers") or 4
LIMIT = 2 * (get_config_value("acme_limit") or 8)
"#
    );
    let report = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        report.contains("imports:               2 added, 2 removed"),
        "{report}"
    );
    run(
        dir.path(),
        "python3",
        &["-m", "py_compile", "app/settings.py"],
    );
    let again = shush(dir.path())
        .args(["check", "app", "--diff"])
        .output()
        .unwrap();
    assert!(stdout(&again).is_empty(), "{}", stdout(&again));

    let out = shush(dir.path()).args(["rules", "check"]).output().unwrap();
    assert!(
        stdout(&out).contains("tools/shush/python-acme.toml: 1 examples, 0 failed"),
        "{}",
        stdout(&out)
    );
}

/// A template's import is not added twice, and a module that binds the template's
/// name to something else gets no fix, with the reason.
#[test]
fn a_template_import_already_there_is_kept_and_a_clash_refuses_the_fix() {
    let present = "from acme.config.convert import to_bool\nfrom acme.settings.env import get_bool_from_env\n\nA = to_bool(1)\nDEBUG = get_bool_from_env(\"ACME_DEBUG\", False)\n";
    let clash = "from acme.settings.env import get_bool_from_env\n\n\ndef to_bool(v):\n    return bool(v)\n\n\nDEBUG = get_bool_from_env(\"ACME_DEBUG\", False)\n";
    let dir = tree(&[
        ("shush.toml", "packs = [\"tools/shush/*.toml\"]\n"),
        ("tools/shush/python-acme.toml", TEMPLATE_PACK),
        ("app/present.py", present),
        ("app/clash.py", clash),
    ]);
    let doc = json(dir.path(), &["app"]);
    let clash_finding = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "app/clash.py")
        .expect("clash.py has a finding");
    assert!(clash_finding["fix"].is_null(), "{clash_finding:#}");
    assert!(
        clash_finding["no_fix_reason"]
            .as_str()
            .unwrap()
            .contains("`to_bool` is already bound to something else in this module (line 4)"),
        "{clash_finding:#}"
    );
    shush(dir.path())
        .args(["check", "app", "--fix"])
        .output()
        .unwrap();
    assert_eq!(
        read(dir.path(), "app/present.py"),
        "from acme.config.convert import to_bool\nfrom backend.core.auto_esc_config import get_config_value\n\nA = to_bool(1)\nDEBUG = to_bool(get_config_value(\"acme_debug\", False))\n"
    );
    assert_eq!(read(dir.path(), "app/clash.py"), clash);
}

const TS_PACK: &str = r#"
[[rule]]
id = "ts-acme-env"
summary = "environment read through acme's env() helper"
targets = ["@acme/lib/utils/env#env"]
key = { position = 0 }
default = { position = 1 }
fix = "safe"
rewrite = { template = "{call}({key}) ?? {default}", without-default = "{call}({key})" }

[[rule]]
id = "ts-acme-int"
summary = "integer read through acme's envInt() helper"
targets = ["@acme/lib/utils/env#envInt"]
key = { position = 0 }
default = { position = 1 }
fix = "safe"
rewrite = { template = "toInt({call}({key}), {default})", imports = ['import { toInt } from "@acme/lib/convert";'] }
"#;

/// A TypeScript target that is a module's export (`@acme/lib/utils/env#env`) is found
/// through a named import, an alias, a namespace import and a CommonJS `require`, not
/// where a parameter shadows it; each read is rewritten by its template (the template's
/// import added, the helper's import dropped once unused), and the results pass
/// `node --check`.
#[test]
fn a_typescript_module_export_is_a_target_and_rewritten_by_its_template() {
    let esm = r#"import express from "express";
import * as E from "@acme/lib/utils/env";
import { env, envInt as int } from "@acme/lib/utils/env";

const app = express();
const key = env("NEXT_PRIVATE_STRIPE_KEY");
const url = E.env("NEXT_PRIVATE_DB_URL", "postgres://localhost");
const port = int("PORT_NUMBER", 3000);
const retries = 1 + env("RETRY_COUNT", 2);

function f(env) {
  return env("NOT_A_READ");
}
export { app, key, url, port, retries, f };
"#;
    let cjs = "const { env } = require(\"@acme/lib/utils/env\");\n\nmodule.exports = { token: env(\"GITHUB_TOKEN\") };\n";
    let dir = tree(&[
        ("shush.toml", "packs = [\"tools/shush/*.toml\"]\n"),
        ("tools/shush/typescript-acme.toml", TS_PACK),
        ("web/server.mjs", esm),
        ("web/token.cjs", cjs),
    ]);
    let doc = json(dir.path(), &["web"]);
    let found: Vec<(String, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["env_name"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, u64)> = [
        ("NEXT_PRIVATE_STRIPE_KEY", 6),
        ("NEXT_PRIVATE_DB_URL", 7),
        ("PORT_NUMBER", 8),
        ("RETRY_COUNT", 9),
        ("GITHUB_TOKEN", 3),
    ]
    .iter()
    .map(|(n, l)| (n.to_string(), *l))
    .collect();
    assert_eq!(found, want, "{doc:#}");
    let out = shush(dir.path())
        .args(["check", "web", "--fix"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        read(dir.path(), "web/server.mjs"),
        r#"import express from "express";
import { env } from "@acme/lib/utils/env";
import { getConfigValue } from "@/config";
import { toInt } from "@acme/lib/convert";

const app = express();
const key = getConfigValue("next_private_stripe_key");
const url = getConfigValue("next_private_db_url") ?? "postgres://localhost";
const port = toInt(getConfigValue("port_number"), 3000);
const retries = 1 + (getConfigValue("retry_count") ?? 2);

function f(env) {
  return env("NOT_A_READ");
}
export { app, key, url, port, retries, f };
"#
    );
    let token = read(dir.path(), "web/token.cjs");
    assert!(
        token.contains("module.exports = { token: getConfigValue(\"github_token\") };"),
        "{token}"
    );
    for file in ["web/server.mjs", "web/token.cjs"] {
        run(dir.path(), "node", &["--check", file]);
    }
    let again = shush(dir.path())
        .args(["check", "web", "--diff"])
        .output()
        .unwrap();
    assert!(stdout(&again).is_empty(), "{}", stdout(&again));
}

const RUST_PACK: &str = r#"
[[rule]]
id = "rs-acme-env-or"
summary = "environment read through the crate's env_or helper"
targets = ["crate::util::env_or"]
key = { position = 0 }
default = { position = 1 }
fix = "safe"
rewrite = { template = "{call}({key}).unwrap_or_else(|_| {default}.to_string())" }
"#;

/// A Rust helper of the crate itself (`crate::util::env_or`) is found through
/// `use … as`, a path through the crate's own module, a `crate::` path and from inside
/// its own module; its default argument is carried by the template, the `use` of the
/// helper goes once unused, and the fixed crate compiles with rustc.
#[test]
fn a_rust_crate_helper_is_rewritten_by_its_template_and_compiles() {
    let main = r#"mod config;
mod util;

use util::env_or as or_env;

fn main() {
    let db = util::env_or("DATABASE_URL", "postgres://localhost/dev");
    let token = or_env("API_TOKEN", "none");
    let region = crate::util::env_or("REGION_NAME", "eu");
    println!("{db} {token} {region} {}", util::port());
}
"#;
    let util = r#"pub fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

pub fn port() -> String {
    env_or("PORT_NUMBER", "8080")
}
"#;
    let config = r#"#[derive(Debug)]
pub struct Missing;

pub fn get_config_value(key: &str) -> Result<String, Missing> {
    if key.is_empty() { Err(Missing) } else { Ok(key.to_string()) }
}
"#;
    let dir = tree(&[
        ("shush.toml", "packs = [\"tools/shush/*.toml\"]\n"),
        ("tools/shush/rust-acme.toml", RUST_PACK),
        ("rs/src/main.rs", main),
        ("rs/src/util.rs", util),
        ("rs/src/config.rs", config),
    ]);
    let doc = json(dir.path(), &["rs"]);
    let mut names: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "rs-acme-env-or")
        .map(|f| f["env_name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["API_TOKEN", "DATABASE_URL", "PORT_NUMBER", "REGION_NAME"],
        "{doc:#}"
    );
    let out = shush(dir.path())
        .args(["check", "rs", "--fix"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the helper's own read is left: {}",
        stderr(&out)
    );
    let fixed = read(dir.path(), "rs/src/main.rs");
    assert!(!fixed.contains("use util::env_or"), "{fixed}");
    for line in [
        "use crate::config::get_config_value;",
        "let db = get_config_value(\"database_url\").unwrap_or_else(|_| \"postgres://localhost/dev\".to_string());",
        "let region = get_config_value(\"region_name\").unwrap_or_else(|_| \"eu\".to_string());",
    ] {
        assert!(fixed.contains(line), "{line}\n{fixed}");
    }
    let util_fixed = read(dir.path(), "rs/src/util.rs");
    assert!(
        util_fixed.contains(
            "    get_config_value(\"port_number\").unwrap_or_else(|_| \"8080\".to_string())"
        ),
        "{util_fixed}"
    );
    let out_dir = tempfile::tempdir().unwrap();
    run(
        dir.path(),
        "rustc",
        &[
            "--edition",
            "2021",
            "--crate-type",
            "bin",
            "--out-dir",
            out_dir.path().to_str().unwrap(),
            "rs/src/main.rs",
        ],
    );
}

/// `[python] extend-default = false` leaves the embedded Python targets out: only the
/// team's are looked for (and listed); its pack can no longer name an embedded rule, and
/// an override cannot choose differently.
#[test]
fn the_embedded_env_targets_of_a_language_can_go() {
    let pack = TEMPLATE_PACK.replace("dynamic-rule = \"py-env-dynamic-key\"\n", "");
    let code = "import os\nfrom acme.settings.env import get_bool_from_env\n\nA = os.getenv(\"API_TOKEN\")\nB = get_bool_from_env(\"ACME_DEBUG\", False)\n";
    let ts = "export const token = process.env.GITHUB_TOKEN;\n";
    let config = "packs = [\"tools/shush/*.toml\"]\n\n[python]\nextend-default = false\n";
    let dir = tree(&[
        ("shush.toml", config),
        ("tools/shush/python-acme.toml", &pack),
        ("app/settings.py", code),
        ("web/token.ts", ts),
    ]);
    let doc = json(dir.path(), &["app", "web"]);
    assert_eq!(
        rules_found(&doc),
        vec![
            ("py-acme-bool".to_string(), 5),
            ("ts-process-env".to_string(), 1)
        ],
        "{doc:#}"
    );
    let out = shush(dir.path()).args(["rules", "list"]).output().unwrap();
    let table = stdout(&out);
    assert!(!table.contains("py-os-getenv "), "{table}");
    assert!(table.contains("py-acme-bool "), "{table}");
    assert!(table.contains("ts-process-env "), "{table}");

    // The embedded dynamic-key rule is gone with its pack.
    write(
        dir.path(),
        "tools/shush/python-acme.toml",
        TEMPLATE_PACK.as_bytes(),
    );
    let out = shush(dir.path())
        .args(["check", "app", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("py-env-dynamic-key"),
        "{}",
        stderr(&out)
    );

    let config = "[[overrides]]\npaths = [\"app/\"]\n\n[overrides.rust]\nextend-default = false\n";
    write(dir.path(), "shush.toml", config.as_bytes());
    let out = shush(dir.path())
        .args(["check", "app", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot differ in an override"),
        "{}",
        stderr(&out)
    );
}

/// Inside the package that exports the helper, relative imports reach it too: a
/// relative specifier is named from the nearest `package.json` above the file it points
/// to (extension and `/index` aside); one that points elsewhere is not the helper.
#[test]
fn a_relative_import_of_the_exporting_package_is_the_same_target() {
    let pack = r#"
[[rule]]
id = "ts-acme-env"
summary = "environment read through acme's env() helper"
targets = ["@acme/lib/utils/env#env"]
key = { position = 0 }
fix = "safe"
"#;
    let dir = tree(&[
        ("shush.toml", "packs = [\"tools/shush/*.toml\"]\n"),
        ("tools/shush/typescript-acme.toml", pack),
        ("packages/lib/package.json", "{ \"name\": \"@acme/lib\" }\n"),
        (
            "packages/lib/utils/env.ts",
            "export const env = (k: string) => process.env[k];\n",
        ),
        (
            "packages/lib/server/mail.ts",
            "import { env } from '../utils/env';\n\nexport const smtp = env('SMTP_PASSWORD');\n",
        ),
        (
            "packages/lib/server/jobs/queue.ts",
            "import { env as e } from '../../utils/env.ts';\n\nexport const redis = e('REDIS_URL');\n",
        ),
        (
            "packages/lib/server/other.ts",
            "import { env } from './env';\n\nexport const x = env('NOT_THE_HELPER');\n",
        ),
        (
            "apps/web/page.ts",
            "import { env } from '@acme/lib/utils/env';\n\nexport const key = env('STRIPE_SECRET_KEY');\n",
        ),
    ]);
    let doc = json(dir.path(), &["packages", "apps"]);
    let mut found: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "ts-acme-env")
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["env_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("apps/web/page.ts", "STRIPE_SECRET_KEY"),
            ("packages/lib/server/jobs/queue.ts", "REDIS_URL"),
            ("packages/lib/server/mail.ts", "SMTP_PASSWORD"),
        ]
        .map(|(p, n)| (p.to_string(), n.to_string())),
        "{doc:#}"
    );
    shush(dir.path())
        .args(["check", "packages", "--fix"])
        .output()
        .unwrap();
    assert_eq!(
        read(dir.path(), "packages/lib/server/mail.ts"),
        "import { getConfigValue } from '@/config';\n\nexport const smtp = getConfigValue('smtp_password');\n"
    );
}
