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
