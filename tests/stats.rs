use crate::support::*;

/// The `--stats` lines that hold counts, not times.
fn counts(dir: &std::path::Path, threads: &str) -> Vec<String> {
    let out = shush(dir)
        .args(["check", ".", "--stats", "--exit-zero", "-j", threads])
        .output()
        .unwrap();
    let err = stderr(&out);
    let start = err
        .find("stats:")
        .unwrap_or_else(|| panic!("no stats: {err}"));
    err[start..]
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            !(l.starts_with("time") || l.starts_with("cpu") || l.starts_with("throughput"))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn stats_count_files_prefilter_and_parses_the_same_for_any_thread_count() {
    let dir = tree(&[
        (
            "app/settings.py",
            "import os\nTOKEN = os.getenv(\"API_TOKEN\")\n",
        ),
        ("app/util.py", "def add(a, b):\n    return a + b\n"),
        ("web/env.ts", "export const url = process.env.API_URL;\n"),
        ("web/exit.ts", "process.exit(environment ? 1 : 0);\n"),
        ("src/main.rs", "fn main() {\n    println!(\"hi\");\n}\n"),
        ("notes.md", "# Notes\n\nNothing to see.\n"),
    ]);
    write(dir.path(), "logo.png", b"\x89PNG\r\n\x1a\n\0\0\0");
    let one = counts(dir.path(), "1");
    assert_eq!(one, counts(dir.path(), "2"));
    let text = one.join("\n");
    for expected in [
        "files      7 seen, 6 scanned, 1 skipped (1 binary)",
        "python     2 files, 0.0 MB; parsed 1 (0.0 MB), prefiltered out 1",
        "typescript 2 files, 0.0 MB; parsed 1 (0.0 MB), prefiltered out 1",
        "rust       1 files, 0.0 MB; parsed 0 (0.0 MB), prefiltered out 1",
        "text       1 files, 0.0 MB (secret rules only)",
        "prefilter  3 source files prefiltered out;",
        "findings   2",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
}

#[test]
fn without_stats_nothing_is_added() {
    let dir = tree(&[("a.py", "x = 1\n")]);
    let out = shush(dir.path()).args(["check", "."]).output().unwrap();
    assert!(!stderr(&out).contains("stats:"));
    assert!(!stdout(&out).contains("stats:"));
}

/// `secret_rules` of `--stats --format json`: each rule that ran, with its counts (the
/// time left out).
fn rule_counts(dir: &std::path::Path, threads: &str) -> Vec<(String, String, u64, u64, u64)> {
    let out = shush(dir)
        .args(["check", ".", "--stats", "--format", "json", "--exit-zero"])
        .args(["-j", threads])
        .output()
        .unwrap();
    let err = stderr(&out);
    let line = err
        .lines()
        .rfind(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON stats: {err}"));
    let stats: serde_json::Value = serde_json::from_str(line).unwrap();
    let mut rules: Vec<_> = stats["secret_rules"]
        .as_array()
        .expect("secret_rules")
        .iter()
        .map(|r| {
            assert!(r["time"].as_f64().is_some(), "{r}");
            (
                r["rule"].as_str().unwrap().to_string(),
                r["pack"].as_str().unwrap().to_string(),
                r["files"].as_u64().unwrap(),
                r["windows"].as_u64().unwrap(),
                r["hits"].as_u64().unwrap(),
            )
        })
        .collect();
    rules.sort();
    rules
}

#[test]
fn stats_count_each_secret_rule_the_same_for_any_thread_count() {
    // Two files name a GitHub token, one holds a real-shaped one; the Python file's
    // `password` runs the generic password rule, the Markdown file runs nothing.
    let token = format!("ghp_{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
    let dir = tree(&[
        ("a.env.example", "GITHUB_TOKEN=\n"),
        ("b.yaml", &format!("github_token: {token}\n")),
        ("c.py", "password = input()\n"),
        ("notes.md", "Nothing to see.\n"),
    ]);
    let one = rule_counts(dir.path(), "1");
    assert_eq!(one, rule_counts(dir.path(), "8"));
    let rule = |id: &str| one.iter().find(|r| r.0 == id).cloned();
    let pat = rule("secret-github-pat").unwrap_or_else(|| panic!("no github rule: {one:?}"));
    assert_eq!(pat.2, 1, "one file holds `ghp_`: {one:?}");
    assert!(pat.3 >= 1 && pat.4 == 1, "{pat:?}");
    let password = rule("secret-generic-password-assignment")
        .unwrap_or_else(|| panic!("no password rule: {one:?}"));
    assert_eq!((password.2, password.4), (1, 0), "{password:?}");
    assert!(one.iter().all(|r| r.1.starts_with("secrets")), "{one:?}");
}
