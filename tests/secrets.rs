use std::collections::{BTreeMap, BTreeSet};

use crate::support::*;

fn labels() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root().join("fixtures/secrets/labels.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

/// The secret findings of the labeled set, as "path:line" → rule.
fn secret_findings(args: &[&str]) -> (serde_json::Value, BTreeMap<String, String>) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/secrets"), dir.path());
    let doc = json(dir.path(), args);
    let found = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("secret-"))
        .map(|f| {
            (
                format!("{}:{}", f["path"].as_str().unwrap(), f["line"]),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (doc, found)
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn labeled_set_precision_and_recall() {
    let labels = labels();
    let (_, found) = secret_findings(&["--exit-zero"]);
    let truth: BTreeSet<&String> = labels.keys().collect();
    let got: BTreeSet<&String> = found.keys().collect();
    let tp = truth.intersection(&got).count() as f64;
    let precision = tp / got.len() as f64;
    let recall = tp / truth.len() as f64;
    println!(
        "labeled secrets: precision {precision:.3}, recall {recall:.3} ({tp} of {} labels, {} findings)",
        truth.len(),
        got.len()
    );
    let false_positives: Vec<_> = got.difference(&truth).collect();
    let false_negatives: Vec<_> = truth.difference(&got).collect();
    assert!(
        false_positives.is_empty() && false_negatives.is_empty(),
        "FP {false_positives:?} FN {false_negatives:?}"
    );
    for (at, rule) in &labels {
        assert_eq!(&found[at], rule, "{at}");
    }
}

#[test]
fn no_output_format_shows_a_secret_in_full() {
    let (doc, _) = secret_findings(&["--exit-zero", "--show-secrets"]);
    let secrets: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["secret"]["value"].as_str().map(String::from))
        .collect();
    assert!(secrets.len() >= 19, "{secrets:?}");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/secrets"), dir.path());
    let runs: [&[&str]; 10] = [
        &["check", "--color", "never"],
        &["check", "--color", "always", "-v"],
        &["check", "--format", "json"],
        &["check", "--diff", "--unsafe-fixes"],
        &["check", "--format", "sarif"],
        &["check", "--format", "github"],
        &["check", "--format", "junit"],
        // These formats are uploaded or kept by CI: they redact even when asked not to.
        &["check", "--format", "sarif", "--show-secrets"],
        &["check", "--format", "github", "--show-secrets", "-v"],
        &["check", "--format", "junit", "--show-secrets"],
    ];
    for args in runs {
        let out = shush(dir.path()).args(args).output().unwrap();
        let text = format!("{}{}", stdout(&out), stderr(&out));
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{args:?} shows {secret}");
        }
    }
    // Asked for, they are shown.
    let out = shush(dir.path())
        .args(["check", "--color", "never", "--show-secrets"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains(secrets[0].as_str()));
}

#[test]
fn secret_literals_get_an_unsafe_fix_and_a_rotation_note() {
    let dir = tree(&[
        (
            "settings.py",
            "import logging\n\nSTRIPE_API_KEY = 'sk_live_FAKEijklmnopqrstuvwxyzAB'\n",
        ),
        (
            "config.ts",
            "export const githubToken = \"ghp_FAKE23456789abcdefghijklmnopqrstuvwx\";\n",
        ),
        (
            "client.rs",
            "pub fn token() -> String {\n    let api_token = \"glpat-FAKE_789abcdefghijkl\";\n    let raw = r\"glpat-FAKE_789abcdefghijkm\";\n    format!(\"{api_token}{raw}\")\n}\n",
        ),
    ]);
    let out = shush(dir.path())
        .args(["check", "--color", "never"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("rotate this secret: it is in the git history"),
        "{}",
        stdout(&out)
    );
    shush(dir.path()).args(["check", "--fix"]).assert().code(1);
    // The raw string keeps its finding: no fix for it.
    shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .assert()
        .code(1);
    assert_eq!(
        read(dir.path(), "client.rs"),
        "use crate::config::get_config_value;\n\npub fn token() -> String {\n    let api_token = get_config_value(\"api_token\");\n    let raw = r\"glpat-FAKE_789abcdefghijkm\";\n    format!(\"{api_token}{raw}\")\n}\n"
    );
    assert_eq!(
        read(dir.path(), "settings.py"),
        "import logging\n\nfrom backend.core.auto_esc_config import get_config_value\n\nSTRIPE_API_KEY = get_config_value('stripe_api_key')\n"
    );
    assert_eq!(
        read(dir.path(), "config.ts"),
        "import { getConfigValue } from \"@/config\";\n\nexport const githubToken = getConfigValue(\"github_token\");\n"
    );
}

#[test]
fn stray_env_files_in_a_git_repository() {
    let repo = git_repo(&[
        (".gitignore", b"node_modules/\n.env.local\n"),
        ("apps/web/.env.production", b"NEXT_PUBLIC_SITE=1\n"),
        (".env.example", b"API_KEY=\n"),
    ]);
    let d = repo.path();
    write(d, ".env", b"API_KEY=1\n");
    write(d, ".env.local", b"X=1\n");
    let doc = json(d, &[]);
    let got: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["rule"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (".env".to_string(), "dotenv-not-ignored".to_string()),
            (".env.local".into(), "dotenv-ignored".into()),
            ("apps/web/.env.production".into(), "dotenv-tracked".into()),
        ]
    );
    let tracked = &doc["findings"][2];
    assert!(
        tracked["help"]
            .as_str()
            .unwrap()
            .contains("git rm --cached apps/web/.env.production")
    );
    // The diff applies; --fix does the same; a second --fix changes nothing.
    let diff = shush(d).args(["check", "--diff"]).output().unwrap();
    std::fs::write(d.join("../gitignore.patch"), &diff.stdout).unwrap();
    run(d, "git", &["apply", "--check", "../gitignore.patch"]);
    shush(d).args(["check", "--fix"]).output().unwrap();
    assert_eq!(
        read(d, ".gitignore"),
        "node_modules/\n.env.local\n/.env\n/apps/web/.env.production\n"
    );
    let out = shush(d).args(["check", "--fix"]).output().unwrap();
    assert!(
        stdout(&out).contains("Fixed 0 findings in 0 files."),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        read(d, ".gitignore"),
        "node_modules/\n.env.local\n/.env\n/apps/web/.env.production\n"
    );
    assert_eq!(
        read(d, ".env"),
        "API_KEY=1\n",
        "a .env file is never edited"
    );
}

#[test]
fn gitignore_is_created_and_ignored_env_files_can_be_off() {
    let repo = git_repo(&[("app.py", b"print(1)\n")]);
    let d = repo.path();
    write(d, "prod.env", b"TOKEN=1\n");
    let diff = shush(d).args(["check", "--diff"]).output().unwrap();
    assert!(
        stdout(&diff).contains("new file mode 100644\n--- /dev/null\n+++ b/.gitignore\n"),
        "{}",
        stdout(&diff)
    );
    std::fs::write(d.join("../new.patch"), &diff.stdout).unwrap();
    run(d, "git", &["apply", "--check", "../new.patch"]);
    shush(d).args(["check", "--fix"]).output().unwrap();
    assert_eq!(read(d, ".gitignore"), "/prod.env\n");
    assert_eq!(rules(&json(d, &[])), ["dotenv-ignored"]);
    write(d, "shush.toml", b"[dotenv]\nignored = \"off\"\n");
    assert_eq!(rules(&json(d, &[])), Vec::<String>::new());
}

#[test]
fn secrets_next_to_non_ascii_text_are_found_whole() {
    // The regexes match bytes, ASCII only: text around (and inside) a value may be any
    // UTF-8, and a finding never cuts a character in two.
    let text = "# Schlüssel für die Anbindung — ne pas committer\nconfig = {\"api_key\": \"Zx9kQ2vLm8PwR4tY7sB3\"}  # clé\npassword = \"pässwörd-Xk9mQ2vL#7\"\nclé = \"AKIAZ3MXQ7RW4TPLSGVN\"  # accès\n";
    let dir = tree(&[("settings.py", text)]);
    let doc = json(dir.path(), &["--show-secrets"]);
    let found: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f["rule"].as_str().unwrap(),
                f["line"],
                f["column"],
                f["secret"]["value"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "secret-generic-api-key-assignment 2:23 Zx9kQ2vLm8PwR4tY7sB3",
            "secret-generic-password-assignment 3:13 pässwörd-Xk9mQ2vL#7",
            "secret-aws-access-key-id 4:8 AKIAZ3MXQ7RW4TPLSGVN",
        ],
        "{doc:#}"
    );
}

/// A GitHub token whose last six characters are the CRC-32 of the thirty before them
/// (computed with Python's zlib), and the same token with a wrong checksum.
const GHP_VALID: &str = "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";
const GHP_BAD_SUM: &str = "ghp_q8Zr2LmX0vTn4WkP9cR3sT5uV7wX9y2rrANR";

fn confidences(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("secret-"))
        .map(|f| {
            format!(
                "{}:{} {} {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["rule"].as_str().unwrap(),
                f["confidence"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn every_secret_finding_has_a_confidence_and_min_confidence_filters() {
    let app = format!(
        "github_token: {GHP_VALID}\nold_github_token: {GHP_BAD_SUM}\napi_key: q8Zr2LmX0vTn4WkP9c\nstripe_publishable_key: pk_live_51HqLw8Kx2Rp9Mv3NdQz7TbX4\n"
    );
    let test = format!("API_KEY = \"q8Zr2LmX0vTn4WkP9c\"\nTOKEN = \"{GHP_VALID}\"\n");
    let dir = tree(&[("config/app.yaml", &app), ("tests/test_api.py", &test)]);
    let all = confidences(&json(
        dir.path(),
        &["--exit-zero", "--min-confidence", "low"],
    ));
    assert_eq!(
        all,
        [
            "config/app.yaml:1 secret-github-pat high",
            "config/app.yaml:2 secret-github-pat medium",
            "config/app.yaml:3 secret-generic-api-key-assignment medium",
            "config/app.yaml:4 secret-stripe-publishable-key low",
            "tests/test_api.py:1 secret-generic-api-key-assignment low",
            "tests/test_api.py:2 secret-github-pat medium",
        ]
    );
    // The default (medium) drops the public key and the generic value in a test file;
    // a failing checksum lowers the confidence but hides nothing.
    let doc = json(dir.path(), &["--exit-zero"]);
    let default = confidences(&doc);
    let expected: Vec<&String> = all.iter().filter(|f| !f.ends_with(" low")).collect();
    assert_eq!(default.iter().collect::<Vec<_>>(), expected);
    // Nothing disappears silently: the summary counts what the confidence left out.
    assert_eq!(doc["summary"]["below_confidence"], 2);
    let out = shush(dir.path())
        .args(["check", "--color", "never"])
        .output()
        .unwrap();
    assert!(
        stdout(&out)
            .contains("2 secrets below the confidence shown (--min-confidence low shows them)"),
        "{}",
        stdout(&out)
    );
    let high = confidences(&json(
        dir.path(),
        &["--exit-zero", "--min-confidence", "high"],
    ));
    assert_eq!(high, ["config/app.yaml:1 secret-github-pat high"]);
    // The config file says the same.
    write(dir.path(), "shush.toml", b"min-confidence = \"high\"\n");
    let configured = confidences(&json(dir.path(), &["--exit-zero"]));
    assert_eq!(configured, high);
    // The public key's message says why it is low.
    let doc = json(dir.path(), &["--exit-zero", "--min-confidence", "low"]);
    let public = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "secret-stripe-publishable-key")
        .unwrap();
    assert!(
        public["message"]
            .as_str()
            .unwrap()
            .contains("public by design")
    );
    assert_eq!(public["severity"], "warning");
}

#[test]
fn sarif_carries_the_confidence_as_precision_and_rank() {
    let dir = tree(&[(
        "deploy.env.sh",
        &format!("export GH={GHP_VALID}\nexport API_KEY=q8Zr2LmX0vTn4WkP9c\n"),
    )]);
    let out = shush(dir.path())
        .args(["check", "--format", "sarif", "--exit-zero"])
        .output()
        .unwrap();
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let precision = |id: &str| {
        rules.iter().find(|r| r["id"] == id).unwrap()["properties"]["precision"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(precision("secret-github-pat"), "very-high");
    assert_eq!(precision("secret-generic-api-key-assignment"), "medium");
    assert_eq!(precision("secret-stripe-publishable-key"), "low");
    let ranks: Vec<(String, f64, String)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["rank"].as_f64().unwrap(),
                r["properties"]["confidence"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        ranks,
        [
            ("secret-github-pat".to_string(), 90.0, "high".to_string()),
            (
                "secret-generic-api-key-assignment".to_string(),
                60.0,
                "medium".to_string()
            ),
        ]
    );
}

#[test]
fn a_random_token_next_to_a_finding_is_masked_in_snippets() {
    // No rule finds `h7Hq2…` (its name says nothing), but it is shown next to a read.
    let text = "import os\nsession = \"h7Hq2Lm9Xw4Rt8Zp1Kd6V\"\nTOKEN = os.getenv(\"API_TOKEN\")\n";
    let dir = tree(&[("app.py", text)]);
    let out = shush(dir.path())
        .args(["check", "--color", "never"])
        .output()
        .unwrap();
    let shown = stdout(&out);
    assert!(shown.contains("os.getenv(\"API_TOKEN\")"), "{shown}");
    assert!(!shown.contains("h7Hq2Lm9Xw4Rt8Zp1Kd6V"), "{shown}");
    assert!(shown.contains("h7Hq****************"), "{shown}");
    let out = shush(dir.path())
        .args(["check", "--color", "never", "--show-secrets"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("h7Hq2Lm9Xw4Rt8Zp1Kd6V"));
    // The diff's context line too, with a note that the masked diff does not apply.
    let out = shush(dir.path())
        .args(["check", "--diff"])
        .output()
        .unwrap();
    let diff = stdout(&out);
    assert!(diff.contains(" session = \"h7Hq****"), "{diff}");
    assert!(!diff.contains("h7Hq2Lm9Xw4Rt8Zp1Kd6V"), "{diff}");
    assert!(
        stderr(&out).contains("masks 1 token(s)"),
        "{}",
        stderr(&out)
    );
    let out = shush(dir.path())
        .args(["check", "--diff", "--show-secrets"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("h7Hq2Lm9Xw4Rt8Zp1Kd6V"));
}

/// A tracked or unignored .env file is an error when it holds a secret (a secret-looking
/// name with a real-looking value, or a value a secret rule matches) and a warning when
/// it holds only settings or only empty and placeholder values; names are shown, values
/// never.
#[test]
fn tracked_env_files_are_judged_by_what_they_hold() {
    let repo = git_repo(&[
        (
            "docker-compose.env",
            b"# compose settings\nCOMPOSE_PROJECT_NAME=paperless\nPAPERLESS_PORT=8000\r\n",
        ),
        (
            "web/.env.development",
            b"API_KEY=\nDB_PASSWORD=changeme\nexport SECRET_KEY=\"${SECRET}\"\nDEBUG=true\n",
        ),
        (
            ".env.staging",
            b"export DATABASE_PASSWORD='Xk9#mQ2vL!pR7wZq'\n",
        ),
        (
            ".env.ci",
            b"SENTRY_DSN_HOST=sentry.io\nTOKEN=ghp_R7d9f0a1B2c3D4e5F6g7H8i9J0kLmNoPqRsT\n",
        ),
    ]);
    let d = repo.path();
    let doc = json(d, &[]);
    let dotenv: Vec<(String, String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "dotenv-tracked")
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let by_path = |p: &str| dotenv.iter().find(|(path, ..)| path == p).unwrap();
    let (_, severity, message) = by_path("docker-compose.env");
    assert_eq!(severity, "warning", "{message}");
    assert!(
        message.contains("no secret-looking value (2 setting(s)"),
        "{message}"
    );
    let (_, severity, message) = by_path("web/.env.development");
    assert_eq!(severity, "warning", "{message}");
    let (_, severity, message) = by_path(".env.staging");
    assert_eq!(severity, "error");
    assert!(message.contains("`DATABASE_PASSWORD`"), "{message}");
    assert!(!message.contains("Xk9#"), "{message}");
    // A token a secret rule matches, whatever its name.
    let (_, severity, _) = by_path(".env.ci");
    assert_eq!(severity, "error");
    assert_eq!(dotenv.len(), 4);
}

/// A secret literal in test code is reported, but gets no fix: the value belongs to the
/// test, which must not read the secret store.
#[test]
fn secret_literals_in_tests_get_no_fix() {
    let password = "password = 'Zq8#vLm2!pR7wXk9'\n";
    let t = tree(&[
        ("app/settings.py", password),
        ("tests/test_login.py", password),
        (
            "web/login.spec.ts",
            "const oldPassword = 'Zq8#vLm2!pR7wXk9';\n",
        ),
    ]);
    // Test paths count one confidence level lower: shown with `low`.
    let doc = json(t.path(), &["--unsafe-fixes", "--min-confidence", "low"]);
    let findings = doc["findings"].as_array().unwrap();
    let of = |p: &str| findings.iter().find(|f| f["path"] == p).unwrap();
    assert!(of("app/settings.py")["fix"].is_object());
    for p in ["tests/test_login.py", "web/login.spec.ts"] {
        let f = of(p);
        assert!(f["fix"].is_null(), "{p}: {f}");
        assert!(
            f["no_fix_reason"].as_str().unwrap().contains("test code"),
            "{p}"
        );
    }
}
