use crate::support::*;

fn env_names(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["env_name"].as_str().unwrap_or("?").to_string())
        .collect()
}

#[test]
fn qualified_paths_and_use_forms_resolve() {
    let dir = tree(&[(
        "src/lib.rs",
        r#"use std::env as e;
use std::env::{self, var as getvar};

pub fn all() -> Vec<Option<String>> {
    use std::env::*;
    vec![
        std::env::var("A_TOKEN").ok(),
        ::std::env::var("B_TOKEN").ok(),
        env::var("C_TOKEN").ok(),
        e::var("D_TOKEN").ok(),
        getvar("E_TOKEN").ok(),
        var("F_TOKEN").ok(),
        env::var_os("G_TOKEN").and_then(|v| v.into_string().ok()),
        core::env::var("NOT_A_READ").ok(),
    ]
}
"#,
    )]);
    let doc = json(dir.path(), &[]);
    assert_eq!(
        env_names(&doc),
        [
            "A_TOKEN", "B_TOKEN", "C_TOKEN", "D_TOKEN", "E_TOKEN", "F_TOKEN", "G_TOKEN"
        ]
    );
    let rules = rules(&doc);
    assert_eq!(rules[..6], ["rs-env-var"; 6]);
    assert_eq!(rules[6], "rs-env-var-os");
    assert_eq!(doc["findings"][6]["fix"]["applicability"], "unsafe");
}

#[test]
fn reads_inside_macro_arguments() {
    let dir = tree(&[(
        "a.rs",
        r#"use std::env;
fn f(out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    use std::fmt::Write;
    println!("{}", env::var("PRINT_TOKEN")?);
    let s = format!("{x}", x = env::var("FORMAT_TOKEN")?);
    writeln!(out, "{s}{}", env::var("WRITE_TOKEN")?)?;
    assert_eq!(env::var("ASSERT_TOKEN").ok(), None, "{}", 1);
    let v = vec![env::var("VEC_TOKEN").ok(); 2];
    log::info!("{:?} {}", v, env::var("LOG_TOKEN")?);
    tracing::info!(target: "x", "{}", env::var("SKIPPED_TOKEN")?);
    quote::quote!(env::var("QUOTED_TOKEN"));
    anyhow::bail!("{}", env::var("BAIL_TOKEN")?)
}
"#,
    )]);
    let doc = json(dir.path(), &[]);
    // `target:` does not parse as expressions, and `quote!` is not run code.
    assert_eq!(
        env_names(&doc),
        [
            "PRINT_TOKEN",
            "FORMAT_TOKEN",
            "WRITE_TOKEN",
            "ASSERT_TOKEN",
            "VEC_TOKEN",
            "LOG_TOKEN",
            "BAIL_TOKEN"
        ]
    );
}

#[test]
fn env_macros_are_reported_without_a_fix() {
    let text = "pub const K: &str = env!(\"STRIPE_SECRET_KEY\");\npub const V: &str = env!(\"CARGO_PKG_VERSION\");\npub const R: Option<&str> = std::option_env!(\"SENTRY_DSN\");\n";
    let dir = tree(&[("a.rs", text)]);
    let doc = json(dir.path(), &[]);
    assert_eq!(env_names(&doc), ["STRIPE_SECRET_KEY", "SENTRY_DSN"]);
    for f in doc["findings"].as_array().unwrap() {
        assert_eq!(f["rule"], "rs-env-macro");
        assert!(f["fix"].is_null());
        assert!(
            f["no_fix_reason"]
                .as_str()
                .unwrap()
                .contains("expanded at compile time"),
            "{f}"
        );
    }
    shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .assert()
        .code(1);
    assert_eq!(read(dir.path(), "a.rs"), text);
}

#[test]
fn env_scope_secrets_reports_secret_names_only() {
    let dir = tree(&[(
        "a.rs",
        "fn f(n: &str) {\n    let _ = std::env::var(\"LOG_LEVEL\");\n    let _ = std::env::var(\"API_KEY\");\n    let _ = std::env::var(n);\n}\n",
    )]);
    let all = json(dir.path(), &[]);
    assert_eq!(
        rules(&all),
        ["rs-env-var", "rs-env-var", "rs-env-dynamic-key"]
    );
    let secrets = json(dir.path(), &["--env-scope", "secrets"]);
    assert_eq!(env_names(&secrets), ["API_KEY"]);
    assert_eq!(secrets["findings"][0]["severity"], "error");
}

#[test]
fn path_style_calls_the_full_path_and_adds_no_use() {
    let dir = tree(&[
        ("shush.toml", "[rust]\nstyle = \"path\"\n"),
        (
            "src/db.rs",
            "use std::env;\n\npub fn url() -> String {\n    env::var(\"DATABASE_URL\").unwrap()\n}\n",
        ),
    ]);
    shush(dir.path()).args(["check", "--fix"]).assert().code(0);
    assert_eq!(
        read(dir.path(), "src/db.rs"),
        "pub fn url() -> String {\n    crate::config::get_config_value(\"database_url\").unwrap()\n}\n"
    );
}

#[test]
fn custom_use_line_is_inserted_once_and_called() {
    let dir = tree(&[
        (
            "shush.toml",
            "[rust]\nuse = \"use crate::settings::load as cfg;\"\n",
        ),
        (
            "src/a.rs",
            "//! Keys.\n\npub fn key() -> String {\n    std::env::var(\"API_KEY\").unwrap()\n}\n",
        ),
        (
            "src/b.rs",
            "use crate::settings::load as cfg;\n\npub fn key() -> String {\n    std::env::var(\"API_KEY\").unwrap() + &cfg(\"x\").unwrap()\n}\n",
        ),
    ]);
    shush(dir.path()).args(["check", "--fix"]).assert().code(0);
    assert_eq!(
        read(dir.path(), "src/a.rs"),
        "//! Keys.\n\nuse crate::settings::load as cfg;\n\npub fn key() -> String {\n    cfg(\"api_key\").unwrap()\n}\n"
    );
    assert_eq!(
        read(dir.path(), "src/b.rs"),
        "use crate::settings::load as cfg;\n\npub fn key() -> String {\n    cfg(\"api_key\").unwrap() + &cfg(\"x\").unwrap()\n}\n"
    );
}

#[test]
fn bom_and_shebang_do_not_shift_positions() {
    let dir = tree(&[]);
    write(
        dir.path(),
        "script.rs",
        "\u{feff}#!/usr/bin/env rust-script\nfn main() {\n    let t = std::env::var(\"API_KEY\");\n    let _ = t;\n}\n"
            .as_bytes(),
    );
    let doc = json(dir.path(), &[]);
    let f = &doc["findings"][0];
    assert_eq!(
        (&f["line"], &f["column"], &f["end_line"], &f["end_column"]),
        (&3.into(), &13.into(), &3.into(), &37.into()),
        "{f}"
    );
    let edits = f["fix"]["edits"].as_array().unwrap();
    // The `use` goes below the shebang line, then the callee and the literal.
    assert_eq!(
        (&edits[0]["line"], &edits[0]["column"]),
        (&2.into(), &1.into())
    );
    assert_eq!(
        (
            &edits[1]["line"],
            &edits[1]["column"],
            &edits[1]["end_column"]
        ),
        (&3.into(), &13.into(), &26.into())
    );
    assert_eq!(edits[2]["content"], "\"api_key\"");
    shush(dir.path()).args(["check", "--fix"]).assert().code(0);
    assert_eq!(
        read(dir.path(), "script.rs"),
        "\u{feff}#!/usr/bin/env rust-script\nuse crate::config::get_config_value;\n\nfn main() {\n    let t = get_config_value(\"api_key\");\n    let _ = t;\n}\n"
    );
}

#[test]
fn crlf_is_kept_in_edits_and_the_inserted_use() {
    let dir = tree(&[(
        "a.rs",
        "//! Crate docs.\r\n#![allow(dead_code)]\r\n\r\nfn token() -> String {\r\n    std::env::var(\"GH_TOKEN\").unwrap_or_default() // read once\r\n}\r\n",
    )]);
    shush(dir.path()).args(["check", "--fix"]).assert().code(0);
    assert_eq!(
        read(dir.path(), "a.rs"),
        "//! Crate docs.\r\n#![allow(dead_code)]\r\n\r\nuse crate::config::get_config_value;\r\n\r\nfn token() -> String {\r\n    get_config_value(\"gh_token\").unwrap_or_default() // read once\r\n}\r\n"
    );
}

#[test]
fn rust_diff_applies_with_git_apply_and_equals_fix() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for fixture in fixtures("rust") {
        let name = format!("src/{}", fixture.file_name().unwrap().to_string_lossy());
        files.push((name, std::fs::read(&fixture).unwrap()));
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let repo = git_repo(&refs);
    let diff = shush(repo.path())
        .args(["check", "--diff", "--unsafe-fixes", "src"])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1));
    assert!(stdout(&diff).contains("+++ b/src/crlf.rs"));
    std::fs::write(repo.path().join("fix.patch"), &diff.stdout).unwrap();
    run(repo.path(), "git", &["apply", "--check", "fix.patch"]);
    run(repo.path(), "git", &["apply", "fix.patch"]);
    let applied = run(repo.path(), "git", &["diff"]).stdout;

    let fixed = git_repo(&refs);
    shush(fixed.path())
        .args(["check", "--fix", "--unsafe-fixes", "src"])
        .output()
        .unwrap();
    assert_eq!(applied, run(fixed.path(), "git", &["diff"]).stdout);
}

#[test]
fn unparseable_and_generated_files_are_skipped_quietly() {
    let deep = format!(
        "fn f() {{ let _ = std::env::var(\"API_KEY\"); let _ = {}1{}; }}\n",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let chain = format!(
        "fn f() -> i64 {{ let _ = std::env::var(\"API_KEY\"); {} }}\n",
        vec!["1"; 200_000].join(" + ")
    );
    let broken = "fn f() { let _ = std::env::var(\"API_KEY\") \n";
    let dir = tree(&[
        ("deep.rs", &deep),
        ("chain.rs", &chain),
        ("broken.rs", broken),
    ]);
    let out = shush(dir.path()).args(["check", "--fix"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(dir.path(), "broken.rs"), broken);
}

#[test]
fn cargo_script_frontmatter_is_skipped_and_the_use_goes_below_it() {
    let text = "#!/usr/bin/env -S cargo +nightly -Zscript\n---\n[dependencies]\nserde = \"1\" # a comment: '\n---\n\nfn main() {\n    let key = std::env::var(\"API_KEY\").unwrap();\n    println!(\"{key}\");\n}\n";
    let dir = tree(&[("script.rs", text)]);
    let doc = json(dir.path(), &[]);
    assert_eq!(rules(&doc), ["rs-env-var"]);
    assert_eq!(doc["findings"][0]["line"], 8);
    shush(dir.path()).args(["check", "--fix"]).assert().code(0);
    assert_eq!(
        read(dir.path(), "script.rs"),
        text.replace(
            "---\n\nfn",
            "---\n\nuse crate::config::get_config_value;\n\nfn"
        )
        .replace(
            "std::env::var(\"API_KEY\")",
            "get_config_value(\"api_key\")"
        )
    );
}

#[test]
fn a_syntax_error_in_another_item_hides_no_read_but_the_file_is_not_fixed() {
    // Only the items that can hold a read are parsed: the broken function is not.
    let text = "use std::env;\n\npub fn token() -> String {\n    env::var(\"API_TOKEN\").unwrap()\n}\n\nfn broken() -> i32 {\n    let x = 1 +\n}\n";
    let dir = tree(&[("src/lib.rs", text)]);
    let doc = json(dir.path(), &[]);
    assert_eq!(rules(&doc), ["rs-env-var"]);
    assert_eq!(doc["findings"][0]["line"], 4);
    let out = shush(dir.path()).args(["check", "--fix"]).output().unwrap();
    assert!(
        stderr(&out).contains("src/lib.rs: 1 fix(es) not applied: the file does not parse as Rust"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(dir.path(), "src/lib.rs"), text);
}

#[test]
fn reads_through_a_renamed_use_are_found_past_unrelated_items() {
    let text = "use std::env::var as setting;\n\npub struct Config {\n    pub port: u16,\n}\n\nimpl Config {\n    pub fn new() -> Self {\n        Config { port: 8080 }\n    }\n}\n\n/// A `}` in a doc comment; \"quotes\" too.\npub fn token() -> String {\n    setting(\"API_TOKEN\").unwrap_or_default()\n}\n\nfn var_free() -> &'static str {\n    \"}\"\n}\n";
    let dir = tree(&[("src/lib.rs", text)]);
    let doc = json(dir.path(), &[]);
    assert_eq!(rules(&doc), ["rs-env-var"]);
    assert_eq!(doc["findings"][0]["line"], 15);
    shush(dir.path()).args(["check", "--fix"]).assert().code(0);
    let fixed = read(dir.path(), "src/lib.rs");
    assert!(
        fixed.contains("get_config_value(\"api_token\").unwrap_or_default()")
            && !fixed.contains("use std::env::var as setting;"),
        "{fixed}"
    );
}

#[test]
fn a_file_syn_cannot_parse_gets_a_note_and_its_secrets_are_still_found() {
    let dir = tree(&[(
        "src/main.rs",
        "fn main() {\n    let token = std::env::var(\"API_TOKEN\")\n    let key = \"AKIAZ3MXQ7RW4TPLSGVN\";\n}\n",
    )]);
    let out = shush(dir.path())
        .args(["check", "src/main.rs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "src/main.rs: does not parse as Rust (expected `;` at 3:5): environment reads not checked"
        ),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("secret-aws-access-key-id"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_variable_the_launcher_hands_to_its_child_is_left_alone_in_the_worker() {
    // The launcher names no `std::env` read at all: the write words let it through the
    // prefilter.
    let launcher = "use std::process::Command;\n\nfn main() {\n    let id = uuid();\n    let status = Command::new(\"worker\")\n        .arg(\"--once\")\n        .env(\"RUN_ID\", &id)\n        .status()\n        .expect(\"worker runs\");\n    assert!(status.success());\n}\n\nfn uuid() -> String {\n    \"0\".into()\n}\n";
    let worker = "pub fn run_id() -> String {\n    std::env::var(\"RUN_ID\").unwrap()\n}\n\npub fn queue() -> String {\n    std::env::var(\"QUEUE_URL\").unwrap()\n}\n";
    let dir = tree(&[("src/bin/launcher.rs", launcher), ("src/worker.rs", worker)]);
    let doc = json(dir.path(), &[]);
    let run_id = finding_of(&doc, "RUN_ID");
    assert_eq!(run_id["severity"], "info", "{run_id}");
    assert_eq!(run_id["role"]["kind"], "hand-off", "{run_id}");
    assert_eq!(run_id["role"]["path"], "src/bin/launcher.rs", "{run_id}");
    assert_eq!(run_id["role"]["line"], 7, "{run_id}");
    assert!(run_id["fix"].is_null(), "{run_id}");
    // A variable nobody writes keeps its safe fix.
    let queue = finding_of(&doc, "QUEUE_URL");
    assert_eq!(queue["fix"]["applicability"], "safe", "{queue}");
    shush(dir.path()).args(["check", "--fix"]).assert().code(0);
    let fixed = read(dir.path(), "src/worker.rs");
    assert!(
        fixed.contains("std::env::var(\"RUN_ID\").unwrap()"),
        "{fixed}"
    );
    assert!(fixed.contains("get_config_value(\"queue_url\")"), "{fixed}");
    assert_eq!(read(dir.path(), "src/bin/launcher.rs"), launcher);
}

#[test]
fn builders_through_bindings_parameters_tokio_and_envs_are_hand_offs() {
    let text = r#"use std::process::Command as Std;
use tokio::process::Command;

pub async fn start(cmd: &mut Std, token: &str) {
    cmd.env("PARAM_VAR", token);
    let mut child = Command::new("x");
    child.arg("y").env("TOKIO_VAR", "1");
    Std::new("z").envs([("ENVS_A", "1"), ("ENVS_B", "2")]).envs(vec![("ENVS_C", "3")]);
    let _ = child.spawn();
}

pub fn read() -> Vec<Option<String>> {
    ["PARAM_VAR", "TOKIO_VAR", "ENVS_A", "ENVS_B", "ENVS_C"]
        .iter()
        .map(|_| None)
        .chain([
            std::env::var("PARAM_VAR").ok(),
            std::env::var("TOKIO_VAR").ok(),
            std::env::var("ENVS_A").ok(),
            std::env::var("ENVS_B").ok(),
            std::env::var("ENVS_C").ok(),
        ])
        .collect()
}
"#;
    let dir = tree(&[("src/lib.rs", text)]);
    let doc = json(dir.path(), &[]);
    for name in ["PARAM_VAR", "TOKIO_VAR", "ENVS_A", "ENVS_B", "ENVS_C"] {
        let f = finding_of(&doc, name);
        assert_eq!(f["role"]["kind"], "hand-off", "{f}");
    }
}

#[test]
fn a_test_that_sets_a_variable_and_reads_it_is_left_alone() {
    let lib = r#"pub fn level() -> String {
    std::env::var("LOG_FORMAT").unwrap_or_default()
}

pub fn region() -> String {
    std::env::var("DEPLOY_REGION").unwrap_or_default()
}

#[tokio::test]
async fn format_is_read() {
    unsafe { std::env::set_var("LOG_FORMAT", "json") };
    assert_eq!(level(), "json");
}

#[test]
fn region_is_read() {
    temp_env::with_vars([("DEPLOY_REGION", Some("eu"))], || assert_eq!(region(), "eu"));
}
"#;
    let it = "#[test]\nfn token() {\n    std::env::set_var(\"CLI_TOKEN\", \"t\");\n    assert!(std::env::var(\"CLI_TOKEN\").unwrap().len() == 1);\n}\n";
    let dir = tree(&[("src/lib.rs", lib), ("tests/cli.rs", it)]);
    let doc = json(dir.path(), &[]);
    for (name, line) in [("LOG_FORMAT", 11), ("DEPLOY_REGION", 17), ("CLI_TOKEN", 3)] {
        let f = finding_of(&doc, name);
        assert_eq!(f["severity"], "info", "{f}");
        assert_eq!(f["role"]["kind"], "test-setup", "{f}");
        assert_eq!(f["role"]["line"], line, "{f}");
    }
}

#[test]
fn test_writes_stay_in_their_file() {
    // A test's `set_var` is about that test: a read of the name elsewhere is config.
    let dir = tree(&[
        (
            "src/a.rs",
            "#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {\n        std::env::set_var(\"CACHE_TTL\", \"1\");\n    }\n}\n",
        ),
        (
            "src/b.rs",
            "pub fn ttl() -> String {\n    std::env::var(\"CACHE_TTL\").unwrap()\n}\n",
        ),
    ]);
    let doc = json(dir.path(), &[]);
    let f = finding_of(&doc, "CACHE_TTL");
    assert!(f["role"].is_null(), "{f}");
    assert_eq!(f["fix"]["applicability"], "safe", "{f}");
}

#[test]
fn computed_names_removals_and_other_env_methods_are_no_hand_offs() {
    let text = r#"use std::process::Command;

struct Job;

impl Job {
    fn env(&mut self, _k: &str, _v: &str) {}
}

pub fn run(key: &str, job: &mut Job) -> Vec<Option<String>> {
    Command::new("w").env(key, "1");
    job.env("JOB_VAR", "1");
    std::env::remove_var("REMOVED_VAR");
    let name = "COMPUTED_VAR";
    std::env::set_var(name, "1");
    vec![
        std::env::var("JOB_VAR").ok(),
        std::env::var("REMOVED_VAR").ok(),
        std::env::var("COMPUTED_VAR").ok(),
    ]
}
"#;
    let dir = tree(&[("src/lib.rs", text)]);
    let doc = json(dir.path(), &[]);
    for name in ["JOB_VAR", "REMOVED_VAR", "COMPUTED_VAR"] {
        let f = finding_of(&doc, name);
        assert!(f["role"].is_null(), "{f}");
        assert_eq!(f["fix"]["applicability"], "safe", "{f}");
    }
}

#[test]
fn presence_checks_get_an_unsafe_is_ok_fix() {
    let text = "use std::env::{self, var_os};\n\npub fn flags() -> (bool, bool) {\n    (env::var(\"FEATURE_BETA\").is_ok(), var_os(\"FEATURE_LEGACY\").is_none())\n}\n";
    let dir = tree(&[("src/lib.rs", text)]);
    let doc = json(dir.path(), &[]);
    assert_eq!(rules(&doc), ["rs-env-presence", "rs-env-presence"]);
    assert_eq!(doc["findings"][0]["fix"]["applicability"], "unsafe");
    shush(dir.path()).args(["check", "--fix"]).assert().code(1);
    assert_eq!(read(dir.path(), "src/lib.rs"), text);
    shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .assert()
        .code(0);
    assert_eq!(
        read(dir.path(), "src/lib.rs"),
        "use crate::config::get_config_value;\n\npub fn flags() -> (bool, bool) {\n    (get_config_value(\"feature_beta\").is_ok(), get_config_value(\"feature_legacy\").is_err())\n}\n"
    );
}
