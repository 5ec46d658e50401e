//! `--history`: real repositories built with `git` in temporary directories, scanned
//! through the binary.

use std::path::Path;

use serde_json::Value;

use crate::support::{run, shush, stderr, stdout, write};

// Fake tokens in published formats (the test data of this file, not credentials).
const PAT: &str = "ghp_FAKE23456789abcdefghijklmnopqrstuvwx";
const PAT2: &str = "ghp_R7d9f0a1B2c3D4e5F6g7H8i9J0kLmNoPqRsT";
const SLACK: &str = "xoxb-123456789012-1234567890123-FAKEaBcDeFgHiJkLmNoPqRsT";

/// An empty repository with a fixed identity.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(d, "git", &["init", "-q", "-b", "main"]);
    run(d, "git", &["config", "user.email", "test@example.com"]);
    run(d, "git", &["config", "user.name", "test"]);
    run(d, "git", &["config", "core.autocrlf", "false"]);
    dir
}

/// Commits everything in the work tree with author and committer date `date`
/// (`2024-01-02`); returns the commit id.
fn commit(d: &Path, date: &str, message: &str) -> String {
    run(d, "git", &["add", "-A"]);
    let stamp = format!("{date}T12:00:00Z");
    let out = std::process::Command::new("git")
        .args(["commit", "-q", "--allow-empty", "-m", message])
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .current_dir(d)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    head(d)
}

fn head(d: &Path) -> String {
    stdout(&run(d, "git", &["rev-parse", "HEAD"]))
        .trim()
        .to_string()
}

fn history(d: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let out = shush(d)
        .args(["check", "--format", "json", "--history"])
        .args(args)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&out), stderr(&out)));
    (out.status.code(), doc)
}

/// A clone of `d` made with `git clone ARGS file://d` in a temporary directory (kept
/// while the first value lives) and its path.
fn clone_of(d: &Path, args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let clone = tempfile::tempdir().unwrap();
    let target = clone.path().join("clone");
    let mut all = vec!["clone", "-q"];
    all.extend_from_slice(args);
    let source = format!("file://{}", d.display());
    all.extend([source.as_str(), target.to_str().unwrap()]);
    run(clone.path(), "git", &all);
    (clone, target)
}

fn findings(doc: &Value) -> &Vec<Value> {
    doc["findings"].as_array().unwrap()
}

/// `path rule commit-prefix in_head` of each finding.
fn summary(doc: &Value) -> Vec<String> {
    findings(doc)
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["path"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
                &f["commit"].as_str().unwrap()[..7],
                f["in_head"]
            )
        })
        .collect()
}

#[test]
fn a_secret_added_then_removed_is_reported_at_the_commit_that_added_it() {
    let dir = repo();
    let d = dir.path();
    write(d, "app.py", b"import os\n\nprint('hello')\n");
    commit(d, "2024-01-01", "start");
    write(
        d,
        "app.py",
        format!("import os\n\nTOKEN = \"{PAT}\"\nprint('hello')\n").as_bytes(),
    );
    let added = commit(d, "2024-01-02", "add a token");
    write(
        d,
        "app.py",
        b"import os\n\nTOKEN = os.environ[\"TOKEN\"]\nprint('hello')\n",
    );
    commit(d, "2024-01-03", "read it from the environment");
    // The work tree is clean of it now.
    let out = shush(d)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let tree: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        !crate::support::rules(&tree).contains(&"secret-github-pat".to_string()),
        "{tree}"
    );
    let (code, doc) = history(d, &[]);
    assert_eq!(code, Some(1), "{doc}");
    let all = findings(&doc);
    assert_eq!(all.len(), 1, "{doc}");
    let f = &all[0];
    assert_eq!(f["rule"], "secret-github-pat");
    assert_eq!(f["path"], "app.py");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(10))
    );
    assert_eq!(f["commit"], added.as_str());
    assert_eq!(f["commit_date"], "2024-01-02T12:00:00Z");
    assert_eq!(f["in_head"], false);
    // Redacted, as everywhere.
    assert!(!doc.to_string().contains(PAT), "{doc}");
    assert_eq!(f["secret"]["preview"], "ghp_…");
    // The human output names the commit.
    let out = shush(d).args(["check", "--history"]).output().unwrap();
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "app.py:3:10: error secret-github-pat (commit {} of 2024-01-02, not in HEAD)",
            &added[..10]
        )),
        "{text}"
    );
    assert!(!text.contains(PAT), "{text}");
    // What was read: blobs of commits.
    assert!(text.contains("Scanned 3 blobs of 3 commits."), "{text}");
    // JUnit names the commit too.
    let out = shush(d)
        .args(["check", "--history", "--format", "junit"])
        .output()
        .unwrap();
    let xml = stdout(&out);
    assert!(
        xml.contains(&format!(
            "name=\"secret-github-pat at line 3 (commit {} of 2024-01-02, not in HEAD)\"",
            &added[..10]
        )),
        "{xml}"
    );
    assert!(!xml.contains(PAT), "{xml}");
    // GitHub annotations are for lines of today's files only.
    let out = shush(d)
        .args(["check", "--history", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "", "{}", stderr(&out));
}

#[test]
fn the_same_secret_in_three_commits_is_reported_once_where_it_was_introduced() {
    let dir = repo();
    let d = dir.path();
    write(d, "a.py", format!("KEY = \"{PAT}\"\n").as_bytes());
    let first = commit(d, "2024-02-01", "one");
    // The file changes elsewhere: its line with the secret is not new.
    write(d, "a.py", format!("KEY = \"{PAT}\"\nX = 1\n").as_bytes());
    commit(d, "2024-02-02", "two");
    // The same secret pasted into another file.
    write(d, "b.py", format!("OTHER = \"{PAT}\"\n").as_bytes());
    commit(d, "2024-02-03", "three");
    let (_, doc) = history(d, &[]);
    assert_eq!(
        summary(&doc),
        [format!("a.py secret-github-pat {} true", &first[..7])],
        "{doc}"
    );
    let message = findings(&doc)[0]["message"].as_str().unwrap();
    assert!(message.contains("added again in 1 later"), "{message}");
    // Its help says it is still there.
    let help = findings(&doc)[0]["help"].as_str().unwrap();
    assert!(help.contains("still in HEAD"), "{help}");
}

#[test]
fn a_renamed_file_is_not_reported_again() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "old/settings.py",
        format!("SLACK = \"{SLACK}\"\n").as_bytes(),
    );
    let added = commit(d, "2024-03-01", "add");
    run(d, "git", &["mv", "old", "new"]);
    commit(d, "2024-03-02", "rename");
    // Renamed and changed: the blob is new, the secret is not.
    write(
        d,
        "new/settings.py",
        format!("# moved\nSLACK = \"{SLACK}\"\n").as_bytes(),
    );
    commit(d, "2024-03-03", "edit");
    let (_, doc) = history(d, &[]);
    assert_eq!(
        summary(&doc),
        [format!(
            "old/settings.py secret-slack-bot-token {} true",
            &added[..7]
        )],
        "{doc}"
    );
}

#[test]
fn a_merge_reports_the_branch_commit_not_the_merge() {
    let dir = repo();
    let d = dir.path();
    write(d, "README.md", b"# app\n");
    commit(d, "2024-04-01", "start");
    run(d, "git", &["checkout", "-q", "-b", "feature"]);
    write(
        d,
        "feature.ts",
        format!("export const token = \"{PAT}\";\n").as_bytes(),
    );
    let on_branch = commit(d, "2024-04-02", "feature");
    run(d, "git", &["checkout", "-q", "main"]);
    write(d, "main.py", b"print('main')\n");
    commit(d, "2024-04-03", "main moves on");
    let out = std::process::Command::new("git")
        .args(["merge", "-q", "--no-ff", "-m", "merge feature", "feature"])
        .env("GIT_AUTHOR_DATE", "2024-04-04T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-04-04T12:00:00Z")
        .current_dir(d)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, doc) = history(d, &[]);
    assert_eq!(
        summary(&doc),
        [format!(
            "feature.ts secret-github-pat {} true",
            &on_branch[..7]
        )],
        "{doc}"
    );
    assert_eq!(doc["summary"]["errors"], 1);
}

#[test]
fn a_binary_blob_is_skipped() {
    let dir = repo();
    let d = dir.path();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(PAT.as_bytes());
    png.extend_from_slice(&[0u8; 64]);
    write(d, "logo.png", &png);
    write(d, "ok.py", b"print('ok')\n");
    commit(d, "2024-05-01", "assets");
    let (code, doc) = history(d, &[]);
    assert_eq!(code, Some(0), "{doc}");
    assert!(findings(&doc).is_empty(), "{doc}");
    assert_eq!(doc["summary"]["skipped"]["binary"], 1, "{doc}");
    assert_eq!(doc["summary"]["files_scanned"], 1, "{doc}");
}

#[test]
fn since_and_a_range_scan_only_what_a_branch_adds() {
    let dir = repo();
    let d = dir.path();
    write(d, "old.py", format!("A = \"{PAT}\"\n").as_bytes());
    commit(d, "2024-06-01", "old secret on main");
    run(d, "git", &["checkout", "-q", "-b", "feature"]);
    // The branch edits the file with the old secret: that line is not its own.
    write(d, "old.py", format!("A = \"{PAT}\"\nB = 2\n").as_bytes());
    write(d, "new.py", format!("B = \"{PAT2}\"\n").as_bytes());
    let branch = commit(d, "2024-06-02", "new secret on the branch");
    for args in [&["--since", "main"][..], &["--history=main..feature"][..]] {
        let out = shush(d)
            .args(["check", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{args:?}: {}", stderr(&out)));
        assert_eq!(
            summary(&doc),
            [format!("new.py secret-github-pat {} true", &branch[..7])],
            "{args:?}: {doc}"
        );
    }
    // The whole history has both.
    let (_, doc) = history(d, &[]);
    assert_eq!(findings(&doc).len(), 2, "{doc}");
    // `--all` reaches the branch from main too.
    run(d, "git", &["checkout", "-q", "main"]);
    let (_, doc) = history(d, &[]);
    assert_eq!(findings(&doc).len(), 1, "{doc}");
    let out = shush(d)
        .args(["check", "--format", "json", "--all"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings(&doc).len(), 2, "{doc}");
}

#[test]
fn a_shallow_clone_is_reported_not_fatal() {
    let dir = repo();
    let d = dir.path();
    write(d, "a.py", format!("A = \"{PAT}\"\n").as_bytes());
    commit(d, "2024-07-01", "one");
    write(d, "b.py", b"B = 1\n");
    commit(d, "2024-07-02", "two");
    write(d, "c.py", format!("C = \"{SLACK}\"\n").as_bytes());
    commit(d, "2024-07-03", "three");
    let (_clone, target) = clone_of(d, &["--depth", "1"]);
    let (code, doc) = history(&target, &[]);
    assert_eq!(code, Some(1), "{doc}");
    // The one commit there is holds both files: both secrets, at it.
    let rules: Vec<&str> = findings(&doc)
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["secret-github-pat", "secret-slack-bot-token"],
        "{doc}"
    );
    let notes = doc["notes"].to_string();
    assert!(notes.contains("shallow clone"), "{notes}");
    assert_eq!(doc["summary"]["not_fully_checked"], 1, "{doc}");
    // `--strict` makes that a failure.
    let out = shush(&target)
        .args(["check", "--history", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Scanned 3 blobs of 1 commit; not fully checked (see warnings)."),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_committed_env_file_is_reported_once_at_its_first_commit() {
    let dir = repo();
    let d = dir.path();
    write(d, ".env", b"DEBUG=1\n");
    let first = commit(d, "2024-08-01", "env");
    write(d, ".env", b"DEBUG=1\nLOG=info\n");
    commit(d, "2024-08-02", "env again");
    run(d, "git", &["rm", "-q", "--cached", ".env"]);
    write(d, ".gitignore", b".env\n");
    commit(d, "2024-08-03", "untrack");
    write(d, ".env.example", b"DEBUG=\n");
    commit(d, "2024-08-04", "example");
    let (_, doc) = history(d, &[]);
    assert_eq!(
        summary(&doc),
        [format!(".env dotenv-tracked {} false", &first[..7])],
        "{doc}"
    );
    // It held no secret: a warning.
    assert_eq!(findings(&doc)[0]["severity"], "warning");
}

#[test]
fn sarif_carries_the_commit_and_fingerprints_stable_across_runs() {
    let dir = repo();
    let d = dir.path();
    write(d, "app.py", format!("TOKEN = \"{PAT}\"\n").as_bytes());
    let added = commit(d, "2024-09-01", "add");
    write(d, "app.py", b"TOKEN = None\n");
    let last = commit(d, "2024-09-02", "remove");
    let sarif = || -> Value {
        let out = shush(d)
            .args(["check", "--history", "--format", "sarif"])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let log = sarif();
    let run0 = &log["runs"][0];
    let provenance = &run0["versionControlProvenance"][0];
    assert_eq!(provenance["revisionId"], last.as_str(), "{provenance}");
    assert_eq!(provenance["branch"], "refs/heads/main");
    assert!(
        provenance["repositoryUri"]
            .as_str()
            .unwrap()
            .starts_with("file://"),
        "{provenance}"
    );
    let result = &run0["results"][0];
    assert_eq!(result["properties"]["commit"], added.as_str());
    assert_eq!(result["properties"]["inHead"], false);
    assert!(result["partialFingerprints"]["shush/history/v1"].is_string());
    assert_eq!(
        result["partialFingerprints"],
        sarif()["runs"][0]["results"][0]["partialFingerprints"]
    );
    assert!(!log.to_string().contains(PAT));
    let schema_path = crate::support::root().join("tests/data/sarif-schema-2.1.0.json");
    let schema_path = if schema_path.exists() {
        schema_path
    } else {
        crate::support::root().join("../shared/spec/sarif-schema-2.1.0.json")
    };
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_baseline_holds_history_findings() {
    let dir = repo();
    let d = dir.path();
    write(d, "app.py", format!("TOKEN = \"{PAT}\"\n").as_bytes());
    commit(d, "2024-10-01", "add");
    write(d, "app.py", b"TOKEN = None\n");
    commit(d, "2024-10-02", "remove");
    let baseline = d.join("baseline.json");
    let out = shush(d)
        .args(["check", "--history", "--write-baseline"])
        .arg(&baseline)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(&baseline).unwrap();
    assert!(!written.contains(PAT), "{written}");
    let (code, doc) = history(d, &["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{doc}");
    assert_eq!(doc["summary"]["baselined"], 1, "{doc}");
    // A new secret is not in it.
    write(d, "other.py", format!("T = \"{PAT2}\"\n").as_bytes());
    commit(d, "2024-10-03", "another");
    let (code, doc) = history(d, &["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{doc}");
    assert_eq!(findings(&doc).len(), 1, "{doc}");
}

#[test]
fn stats_count_commits_and_blobs() {
    let dir = repo();
    let d = dir.path();
    write(d, "a.py", b"A = 1\n");
    write(d, "b.py", b"B = 1\n");
    commit(d, "2024-11-01", "one");
    write(d, "a.py", b"A = 2\n");
    commit(d, "2024-11-02", "two");
    // Back to the first content: a blob seen before is not scanned again.
    write(d, "a.py", b"A = 1\n");
    write(d, "b.py", b"B = 2\n");
    commit(d, "2024-11-03", "three");
    for threads in ["1", "2"] {
        let out = shush(d)
            .args(["check", "--history", "--stats", "-j", threads])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(
            err.contains("history    3 commits, 3 trees read, 5 blobs seen, 4 scanned"),
            "{err}"
        );
    }
}

#[test]
fn bad_revisions_and_non_repositories_are_usage_errors() {
    let dir = repo();
    let d = dir.path();
    write(d, "a.py", b"A = 1\n");
    commit(d, "2024-12-01", "one");
    let out = shush(d)
        .args(["check", "--history", "no-such-branch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("`no-such-branch` is not a revision"), "{err}");
    // A path after the flag is taken as its value: the help says where a path goes.
    let out = shush(d).args(["check", "--history", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("goes before the flag"),
        "{}",
        stderr(&out)
    );
    shush(d).args(["check", ".", "--history"]).assert().code(0);
    let plain = tempfile::tempdir().unwrap();
    let out = shush(plain.path())
        .args(["check", "--history"])
        .env("GIT_CEILING_DIRECTORIES", plain.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("needs a git repository"),
        "{}",
        stderr(&out)
    );
    let empty = repo();
    let out = shush(empty.path())
        .args(["check", "--history"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no commits yet"), "{}", stderr(&out));
    // --history does not fix.
    shush(d)
        .args(["check", "--history", "--fix"])
        .assert()
        .code(2);
}

#[test]
fn a_path_limits_the_scan_to_what_lies_below_it() {
    let dir = repo();
    let d = dir.path();
    write(d, "api/app.py", format!("A = \"{PAT}\"\n").as_bytes());
    write(
        d,
        "web/app.ts",
        format!("const b = \"{PAT2}\";\n").as_bytes(),
    );
    commit(d, "2024-12-02", "both");
    let out = shush(d)
        .args(["check", "api", "--history", "--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = findings(&doc)
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["api/app.py"], "{doc}");
}

#[test]
fn the_repository_uri_in_sarif_never_carries_credentials() {
    let dir = repo();
    let d = dir.path();
    write(d, "app.py", format!("TOKEN = \"{PAT}\"\n").as_bytes());
    commit(d, "2024-09-01", "add");
    let provenance = |remote: &str| -> Value {
        run(d, "git", &["remote", "set-url", "origin", remote]);
        let out = shush(d)
            .args(["check", "--history", "--format", "sarif"])
            .output()
            .unwrap();
        let log: Value = serde_json::from_slice(&out.stdout).unwrap();
        log["runs"][0]["versionControlProvenance"][0].clone()
    };
    run(
        d,
        "git",
        &["remote", "add", "origin", "https://example.com/x.git"],
    );
    let p = provenance("https://deploy:s3cr3tt0ken@github.com/acme/api.git");
    assert_eq!(p["repositoryUri"], "https://github.com/acme/api.git", "{p}");
    assert!(!p.to_string().contains("s3cr3t"), "{p}");
    // An scp-like address becomes the URI it stands for.
    let p = provenance("git@github.com:acme/api.git");
    assert_eq!(p["repositoryUri"], "ssh://github.com/acme/api.git", "{p}");
}

#[test]
fn a_partial_clone_counts_the_blobs_it_lacks_and_goes_on() {
    let dir = repo();
    let d = dir.path();
    write(d, "a.py", format!("A = \"{PAT}\"\n").as_bytes());
    commit(d, "2024-07-01", "one");
    run(d, "git", &["config", "uploadpack.allowfilter", "true"]);
    let (_clone, target) = clone_of(d, &["--filter=blob:none", "--no-checkout"]);
    let (code, doc) = history(&target, &[]);
    assert_eq!(code, Some(0), "{doc}");
    let notes = doc["notes"].to_string();
    assert!(
        notes.contains("1 blob(s) and 0 tree(s) are not in this clone"),
        "{notes}"
    );
    assert_eq!(doc["summary"]["not_fully_checked"], 1, "{doc}");
}
