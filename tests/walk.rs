use crate::support::*;

const READ: &str = "import os\nX = os.getenv(\"API_KEY\")\n";

fn paths(doc: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    v.dedup();
    v
}

#[test]
fn ignore_files_hidden_files_and_git_dir() {
    let dir = tree(&[
        (".gitignore", "build/\n"),
        (".ignore", "vendor/\n"),
        (".shushignore", "generated_*.py\n"),
        ("app.py", READ),
        (".hidden/tool.py", READ),
        (".git/hooks/x.py", READ),
        ("build/out.py", READ),
        ("vendor/lib.py", READ),
        ("generated_client.py", READ),
        ("sub/.shushignore", "local.py\n"),
        ("sub/local.py", READ),
        ("sub/kept.py", READ),
    ]);
    let doc = json(dir.path(), &[]);
    assert_eq!(paths(&doc), [".hidden/tool.py", "app.py", "sub/kept.py"]);
}

#[test]
fn explicit_files_are_scanned_even_when_ignored() {
    let dir = tree(&[
        (".gitignore", "build/\n"),
        ("build/out.py", READ),
        ("app.py", READ),
    ]);
    let doc = json(dir.path(), &["build/out.py", "app.py"]);
    assert_eq!(paths(&doc), ["app.py", "build/out.py"]);
}

#[test]
fn binary_and_large_files_are_skipped_and_counted() {
    let dir = tree(&[
        ("shush.toml", "max-file-size = \"1KiB\"\n"),
        ("big.py", &format!("{READ}{}", "# padding\n".repeat(200))),
        ("ok.py", READ),
    ]);
    write(dir.path(), "bin.py", b"import os\x00\x01\x02");
    let doc = json(dir.path(), &[]);
    assert_eq!(paths(&doc), ["ok.py"]);
    assert_eq!(doc["summary"]["skipped"]["binary"], 1);
    assert_eq!(doc["summary"]["skipped"]["too-large"], 1);
    let out = shush(dir.path()).args(["check", "-v"]).output().unwrap();
    assert!(
        stderr(&out).contains("big.py: skipped (too large)"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("bin.py: skipped (binary)"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("skipped 2 (1 binary, 1 too large)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn config_exclude_and_symlink_loops() {
    let dir = tree(&[
        ("shush.toml", "exclude = [\"migrations/\", \"*_pb2.py\"]\n"),
        ("migrations/0001.py", READ),
        ("api_pb2.py", READ),
        ("app.py", READ),
    ]);
    std::os::unix::fs::symlink(".", dir.path().join("self")).unwrap();
    let doc = json(dir.path(), &[]);
    assert_eq!(paths(&doc), ["app.py"]);
    assert_eq!(doc["summary"]["skipped"]["symlink"], 1);
    // `api_pb2.py`; the excluded directory is pruned, not counted file by file.
    assert_eq!(doc["summary"]["skipped"]["excluded"], 1);
    let out = shush(dir.path()).args(["check", "-v"]).output().unwrap();
    assert!(
        stderr(&out).contains("self: skipped (symlink)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn overlapping_roots_scan_each_file_once() {
    // Files are scanned while the walk finds them: a file reached from two roots (and
    // named on the command line too) still gives one finding, and one file scanned.
    let dir = tree(&[
        ("app.py", READ),
        ("sub/mod.py", READ),
        ("sub/deep/x.py", READ),
    ]);
    let doc = json(dir.path(), &[".", "sub", "sub/deep/x.py"]);
    assert_eq!(
        path_rules(&doc),
        [
            "app.py py-os-getenv",
            "sub/deep/x.py py-os-getenv",
            "sub/mod.py py-os-getenv"
        ]
    );
    assert_eq!(doc["summary"]["files_scanned"], 3, "{}", doc["summary"]);
}

#[test]
fn a_tracked_env_file_hidden_by_gitignore_is_scanned() {
    // The walk skips what .gitignore lists; a .env file git tracks anyway is found
    // after the walk and scanned on its own.
    let repo = git_repo(&[("app.py", b"print(1)\n")]);
    let d = repo.path();
    write(d, ".gitignore", b".env.local\n");
    write(
        d,
        ".env.local",
        b"STRIPE_SECRET_KEY=sk_live_FAKE0000abcdefghijklmnopqrstuvwx\n",
    );
    run(d, "git", &["add", "-f", ".env.local", ".gitignore"]);
    run(d, "git", &["commit", "-q", "-m", "env"]);
    let doc = json(d, &[]);
    assert_eq!(
        path_rules(&doc),
        [
            ".env.local dotenv-tracked",
            ".env.local secret-stripe-live-key"
        ]
    );
}
