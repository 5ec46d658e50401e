//! `[secrets.allowlist]`: each kind leaves out exactly what it names, is counted, and a
//! bad allowlist is a config error that points into the file.

use crate::support::*;

const STRIPE: &str = "sk_live_FAKEijklmnopqrstuvwxyzAB";
const SLACK: &str = "xoxb-0000000000-1234567890123-FAKEopqrstuvwxyzABCDEFGH";
const GITLAB: &str = "glpat-FAKE_789abcdefghijkm";
const STOPWORD_STRIPE: &str = "sk_live_FAKEacmesandboxqrstuvwxy";
/// `printf %s "$SLACK" | sha256sum`
const SLACK_SHA256: &str = "d53a9cf3272dce8211c2c4741437f02d0e85b1158350522c5c1ea7515f57018d";

fn keys_file() -> String {
    format!(
        "STRIPE = \"{STRIPE}\"\nSLACK = \"{SLACK}\"\nGITLAB = \"{GITLAB}\"\nSANDBOX = \"{STOPWORD_STRIPE}\"\n"
    )
}

/// (path, line, rule) of every secret finding.
fn secrets(doc: &serde_json::Value) -> Vec<(String, u64, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("secret-"))
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn found(path: &str, line: u64, rule: &str) -> (String, u64, String) {
    (path.to_string(), line, rule.to_string())
}

#[test]
fn without_an_allowlist_every_secret_is_reported() {
    let keys = keys_file();
    let dir = tree(&[("app/keys.py", &keys), ("tests/fixtures/keys.py", &keys)]);
    let doc = json(dir.path(), &[]);
    assert_eq!(secrets(&doc).len(), 8, "{doc:#}");
    assert_eq!(doc["summary"]["allowlisted"]["path"], 0);
}

/// Each kind hides what it names and nothing else, and the summary, the human
/// summary line and `--stats` count it.
#[test]
fn each_allowlist_kind_hides_exactly_what_it_names_and_is_counted() {
    let keys = keys_file();
    let config = format!(
        r#"
[secrets.allowlist]
paths = ["tests/fixtures/"]
values = ['^glpat-FAKE_']
stopwords = ["AcmeSandbox"]
sha256 = ["{SLACK_SHA256}"]
"#
    );
    let dir = tree(&[
        ("shush.toml", &config),
        ("app/keys.py", &keys),
        ("tests/fixtures/keys.py", &keys),
        ("docs/other.md", &format!("token: {SLACK}x\n")),
    ]);
    let doc = json(dir.path(), &[]);
    // Only the Stripe key in app/ is left: the fixtures folder by path, the Slack token
    // by its hash (a longer token is another value), the GitLab one by value, the
    // sandbox key by its stopword (in any case).
    assert_eq!(
        secrets(&doc),
        vec![
            found("app/keys.py", 1, "secret-stripe-live-key"),
            found("docs/other.md", 1, "secret-slack-bot-token"),
        ],
        "{doc:#}"
    );
    let counted = &doc["summary"]["allowlisted"];
    assert_eq!(counted["path"], 4, "{doc:#}");
    assert_eq!(counted["sha256"], 1, "{doc:#}");
    assert_eq!(counted["value"], 1, "{doc:#}");
    assert_eq!(counted["stopword"], 1, "{doc:#}");

    let out = shush(dir.path())
        .args(["check", "--stats"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("; 7 secrets allowlisted by the config (4 by path, 1 by value, 1 by stopword, 1 by sha256)"),
        "{text}"
    );
    let stats = stderr(&out);
    assert!(
        stats.contains("allowlist  7 secrets left out by the config's allowlists"),
        "{stats}"
    );
    // The config holds no secret: the Slack token is named by its hash only.
    assert!(!config.contains(SLACK));
}

/// `[secrets.rules.ID.allowlist]` applies to that rule's findings only; paths are
/// relative to the config file that writes them, and a nested file that extends its
/// parent adds its allowlist to the parent's.
#[test]
fn a_rule_allowlist_and_nested_configs_add_up() {
    let keys = keys_file();
    let root = r#"
[secrets.rules.secret-stripe-live-key.allowlist]
values = ['^sk_live_FAKE']
"#;
    let nested = r#"
extend = "../shush.toml"

[secrets.allowlist]
paths = ["seeds/"]
"#;
    let dir = tree(&[
        ("shush.toml", root),
        ("app/keys.py", &keys),
        ("svc/shush.toml", nested),
        ("svc/seeds/keys.py", &keys),
        ("svc/src/keys.py", &keys),
        // `seeds/` of the nested file means svc/seeds/, not this one.
        ("seeds/keys.py", &keys),
    ]);
    let doc = json(dir.path(), &[]);
    let mut want = Vec::new();
    for path in ["app/keys.py", "seeds/keys.py", "svc/src/keys.py"] {
        want.push(found(path, 2, "secret-slack-bot-token"));
        want.push(found(path, 3, "secret-gitlab-pat"));
    }
    assert_eq!(secrets(&doc), want, "{doc:#}");
    // 2 Stripe keys in each of the 3 files the rule's list covers, and all 4 in seeds/.
    assert_eq!(doc["summary"]["allowlisted"]["value"], 6, "{doc:#}");
    assert_eq!(doc["summary"]["allowlisted"]["path"], 4, "{doc:#}");
}

/// A bad allowlist stops the run with exit 2 and a message that points into the file.
#[test]
fn bad_allowlists_are_config_errors() {
    let cases = [
        (
            "[secrets.allowlist]\nvalues = ['(unclosed']\n",
            "is not a usable regex",
        ),
        (
            "[secrets.allowlist]\nvalues = ['\\w{1000}\\w{1000}\\w{1000}']\n",
            "limit",
        ),
        (
            "[secrets.allowlist]\nsha256 = [\"sk_live_FAKEijklmnopqrstuvwxyzAB\"]\n",
            "is not a SHA-256 hash",
        ),
        (
            "[secrets.rules.secret-no-such-rule.allowlist]\nstopwords = [\"x\"]\n",
            "`secret-no-such-rule` is not a secret rule",
        ),
        (
            "[secrets.allowlist]\npath = [\"x/\"]\n",
            "unknown field `path`",
        ),
        (
            "[secrets.allowlist]\npaths = [\"a/{b\"]\n",
            "is not a path glob",
        ),
    ];
    for (config, message) in cases {
        let dir = tree(&[("shush.toml", config), ("a.py", "x = 1\n")]);
        let out = shush(dir.path())
            .args(["check", "--color", "never"])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{config}\n{err}");
        assert!(err.contains(message), "{config}\n{err}");
        assert!(err.contains("shush.toml"), "{config}\n{err}");
    }
}
