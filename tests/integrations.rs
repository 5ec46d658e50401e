use crate::support::*;

const APP: &str = "import os\n\nTOKEN = os.getenv(\"API_TOKEN\")\nKEY = \"ghp_FAKE23456789abcdefghijklmnopqrstuvwx\"\n";

#[test]
fn baseline_is_stable_and_filters_what_it_holds() {
    let dir = tree(&[("app.py", APP)]);
    let d = dir.path();
    shush(d)
        .args(["check", "--write-baseline", "shush-baseline.json"])
        .assert()
        .code(0);
    let first = std::fs::read(d.join("shush-baseline.json")).unwrap();
    let text = String::from_utf8(first.clone()).unwrap();
    assert!(
        !text.contains("ghp_FAKE23456789abcdefghijklmnopqrstuvwx"),
        "a secret in the baseline"
    );
    assert!(!text.contains("\"line\""), "line numbers in the baseline");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), 2);
    // Writing it again on an unchanged tree gives the same bytes.
    shush(d)
        .args(["check", "--write-baseline", "shush-baseline.json"])
        .assert()
        .code(0);
    assert_eq!(first, std::fs::read(d.join("shush-baseline.json")).unwrap());
    shush(d)
        .args(["check", "--baseline", "shush-baseline.json"])
        .assert()
        .code(0);
    // Moving code does not bring a baselined finding back; a new one is reported.
    write(
        d,
        "app.py",
        format!("\"\"\"Doc.\"\"\"\n\n\n{APP}\nNEW = os.getenv(\"NEW_SECRET\")\n").as_bytes(),
    );
    let doc = json(d, &["--baseline", "shush-baseline.json"]);
    let envs: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["env_name"].as_str().unwrap())
        .collect();
    assert_eq!(envs, ["NEW_SECRET"]);
    assert_eq!(doc["summary"]["baselined"], 2);
}

#[test]
fn bad_baseline_is_an_error() {
    let dir = tree(&[
        ("app.py", APP),
        ("b.json", "{\"version\": 1, \"findings\": [{\"path\": 1}]}"),
    ]);
    let out = shush(dir.path())
        .args(["check", "--baseline", "b.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid baseline b.json"),
        "{}",
        stderr(&out)
    );
    let out = shush(dir.path())
        .args(["check", "--baseline", "missing.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn staged_scans_the_index_not_the_work_tree() {
    let repo = git_repo(&[("README.md", b"# app\n")]);
    let d = repo.path();
    write(d, "app.py", APP.as_bytes());
    write(
        d,
        "notes.py",
        b"import os\nX = os.getenv('UNSTAGED_TOKEN')\n",
    );
    run(d, "git", &["add", "app.py"]);
    // The work tree no longer has the secret; the index does.
    write(d, "app.py", b"print('clean')\n");
    let doc = json(d, &["--staged"]);
    let got: Vec<String> = path_rules(&doc);
    assert_eq!(got, ["app.py py-os-getenv", "app.py secret-github-pat"]);
    // A staged .env file is about to be tracked.
    write(d, ".env", b"TOKEN=1\n");
    run(d, "git", &["add", "-f", ".env"]);
    assert!(rules(&json(d, &["--staged"])).contains(&"dotenv-tracked".to_string()));
    let out = shush(d)
        .args(["check", "--staged", "--fix"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--staged --fix is refused");
}

#[test]
// The test hands git a PATH with the binary on it; shush itself never reads it.
#[allow(clippy::disallowed_methods)]
fn install_hook_blocks_a_commit_with_a_secret() {
    let repo = git_repo(&[("README.md", b"# app\n")]);
    let d = repo.path();
    shush(d).args(["install-hook"]).assert().code(0);
    let hook = read(d, ".git/hooks/pre-commit");
    assert!(hook.contains("shush check --staged"));
    // An existing hook is not replaced without --force.
    write(d, ".git/hooks/pre-commit", b"#!/bin/sh\necho mine\n");
    let out = shush(d).args(["install-hook"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("exists already"), "{}", stderr(&out));
    assert_eq!(read(d, ".git/hooks/pre-commit"), "#!/bin/sh\necho mine\n");
    shush(d).args(["install-hook", "--force"]).assert().code(0);
    // The hook runs the real binary: put it on PATH for git.
    let bin = assert_cmd::cargo::cargo_bin("shush");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    write(d, "app.py", APP.as_bytes());
    run(d, "git", &["add", "app.py"]);
    // `git commit` with the freshly built shush first on PATH, as the hook calls it.
    let git_commit = || {
        std::process::Command::new("git")
            .args(["commit", "-q", "-m", "add app"])
            .env("PATH", &path)
            .current_dir(d)
            .output()
            .unwrap()
    };
    let commit = git_commit();
    assert!(!commit.status.success(), "the hook let a secret through");
    // git shows a hook's output on stderr.
    let shown = format!("{}{}", stdout(&commit), stderr(&commit));
    assert!(shown.contains("secret-github-pat"), "{shown}");
    write(d, "app.py", b"print('clean')\n");
    run(d, "git", &["add", "app.py"]);
    let commit = git_commit();
    assert!(
        commit.status.success(),
        "{:?} {}{}",
        commit.status,
        stdout(&commit),
        stderr(&commit)
    );
}
