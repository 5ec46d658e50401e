use crate::support::*;

const READ: &str = "import os\nTOKEN = os.getenv(\"API_TOKEN\")\n";

#[test]
fn exit_codes() {
    let clean = tree(&[("a.py", "import os\nprint(os.sep)\n")]);
    shush(clean.path()).args(["check"]).assert().code(0);
    let dirty = tree(&[("a.py", READ)]);
    shush(dirty.path()).args(["check"]).assert().code(1);
    shush(dirty.path())
        .args(["check", "--exit-zero"])
        .assert()
        .code(0);
    shush(dirty.path())
        .args(["check", "--bogus"])
        .assert()
        .code(2);
    // Fixed away: nothing left to report.
    shush(dirty.path())
        .args(["check", "--fix"])
        .assert()
        .code(0);
}

#[test]
fn missing_path_fails_the_run_but_the_rest_is_scanned() {
    let dir = tree(&[("a.py", READ)]);
    let out = shush(dir.path())
        .args(["check", "nope.py", "a.py"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nope.py: no such file or directory"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("a.py:2:9: error py-os-getenv"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn non_utf8_and_syntax_errors_do_not_stop_the_scan() {
    let dir = tree(&[
        ("ok.py", READ),
        (
            "broken.py",
            "import os\nKEY = os.environ['API_KEY']\ndef f(:\n",
        ),
    ]);
    write(
        dir.path(),
        "latin1.py",
        b"import os\n# caf\xe9\nX = os.getenv('API_KEY')\n",
    );
    let out = shush(dir.path()).args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (so, se) = (stdout(&out), stderr(&out));
    assert!(
        se.contains("latin1.py: not fully checked: not UTF-8 (first bad byte at offset 15): scanned for secrets only"),
        "{se}"
    );
    assert!(
        so.contains("broken.py:2:7: error py-os-environ-subscript"),
        "{so}"
    );
    assert!(so.contains("ok.py:2:9: error py-os-getenv"), "{so}");
    assert!(
        so.contains("Scanned 3 files; 1 file not fully checked (see warnings)."),
        "{so}"
    );
}

#[test]
fn unreadable_file_is_a_note() {
    let dir = tree(&[("ok.py", READ), ("secret.py", READ)]);
    let locked = dir.path().join("secret.py");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("shush");
    // Root reads any file: drop to nobody for this test when running as root.
    let root = run(dir.path(), "id", &["-u"]).stdout == b"0\n";
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        std::process::Command::new(&bin)
    };
    let out = cmd.arg("check").current_dir(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("secret.py: skipped (unreadable): permission denied"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("ok.py:2:9"), "{}", stdout(&out));
}

#[test]
fn json_has_the_documented_fields() {
    let dir = tree(&[(
        "app.py",
        "import os\nDB = os.environ.get(\"DB_URL\", \"sqlite://\")\n",
    )]);
    let doc = json(dir.path(), &[]);
    assert_eq!(doc["version"], 1);
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "py-os-environ-get");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["path"], "app.py");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(6))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(2), Some(43))
    );
    assert_eq!(f["env_name"], "DB_URL");
    assert_eq!(f["config_key"], "db_url");
    assert_eq!(f["fix"]["applicability"], "safe");
    let edits = f["fix"]["edits"].as_array().unwrap();
    let contents: Vec<&str> = edits
        .iter()
        .map(|e| e["content"].as_str().unwrap())
        .collect();
    // The fix whole, as --fix applies it alone: `import os` goes, the loader comes.
    assert_eq!(
        contents,
        [
            "",
            "from backend.core.auto_esc_config import get_config_value\n",
            "get_config_value",
            "\"db_url\""
        ]
    );
    assert_eq!(doc["summary"]["files_scanned"], 1);
    assert_eq!(doc["summary"]["fixable"], 1);
}

#[test]
fn output_is_the_same_for_any_thread_count() {
    let mut files = Vec::new();
    for i in 0..40 {
        files.push((
            format!("pkg{}/m{i}.py", i % 7),
            format!("import os\nA{i} = os.getenv(\"KEY_{i}\")\nB = os.environ['LEVEL_{i}']\n"),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = tree(&refs);
    let one = shush(dir.path())
        .args(["check", "--format", "json", "-j", "1"])
        .output()
        .unwrap();
    for threads in ["2", "8"] {
        let many = shush(dir.path())
            .args(["check", "--format", "json", "-j", threads])
            .output()
            .unwrap();
        assert_eq!(one.stdout, many.stdout);
    }
    let doc: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 80);
}

#[test]
fn env_scope_secrets_reports_only_secret_names() {
    let dir = tree(&[(
        "app.py",
        "import os\nA = os.getenv('LOG_LEVEL')\nB = os.getenv('API_KEY')\nC = os.getenv(name)\n",
    )]);
    assert_eq!(
        rules(&json(dir.path(), &[])),
        ["py-os-getenv", "py-os-getenv", "py-env-dynamic-key"]
    );
    let doc = json(dir.path(), &["--env-scope", "secrets"]);
    assert_eq!(rules(&doc), ["py-os-getenv"]);
    assert_eq!(doc["findings"][0]["env_name"], "API_KEY");
}

#[test]
fn human_output_names_the_place_the_rule_and_the_fix() {
    let dir = tree(&[(
        "svc/app.py",
        "import os\n\nTOKEN = os.getenv(\"ESTUARY_ACCESS_TOKEN\")\n",
    )]);
    let out = shush(dir.path())
        .args(["check", "--color", "never"])
        .output()
        .unwrap();
    let so = stdout(&out);
    assert!(so.contains("svc/app.py:3:9: error py-os-getenv"), "{so}");
    assert!(
        so.contains("TOKEN = os.getenv(\"ESTUARY_ACCESS_TOKEN\")"),
        "{so}"
    );
    assert!(
        so.contains("Replace with `get_config_value(\"estuary_access_token\")` (fix with --fix)"),
        "{so}"
    );
    assert!(
        so.contains("Found 1 finding (1 error, 0 warnings). 1 fixable with --fix."),
        "{so}"
    );
}

#[test]
fn diff_reports_what_is_on_disk_and_refuses_json() {
    let dir = tree(&[("a.py", READ)]);
    let out = shush(dir.path())
        .args(["check", "--diff", "a.py"])
        .output()
        .unwrap();
    // Nothing was written: the finding is still there, so a CI gate still fails.
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("diff --git a/a.py b/a.py\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("Would fix 1 finding in 1 file."),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("Found 1 finding (1 error, 0 warnings)."),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(dir.path(), "a.py"), READ);
    let out = shush(dir.path())
        .args(["check", "--diff", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--diff prints a patch"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn named_files_that_cannot_be_scanned_get_a_note() {
    let dir = tree(&[
        ("shush.toml", "max-file-size = 10\n"),
        ("big.py", READ),
        (
            "tool",
            "#!/usr/bin/env python3\nimport os\nprint(os.environ['API_TOKEN'])\n",
        ),
        ("notes.txt", "nothing here\n"),
    ]);
    let out = shush(dir.path())
        .args(["check", "big.py"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("big.py: skipped (too large)"),
        "{}",
        stderr(&out)
    );
    // A script without an extension is recognised by its #! line.
    let doc = json(dir.path(), &["--config", "/dev/null"]);
    assert_eq!(rules(&doc), ["py-os-getenv", "py-os-environ-subscript"]);
    assert_eq!(doc["findings"][1]["path"], "tool");
}

/// A reader that stops early (`shush rules list --format json | head`) ends the run
/// quietly, with no error message about the closed pipe.
#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("shush"))
        .args(["rules", "list", "--format", "json"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is closed here, with most of the output (over 64 KiB) unread.
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
