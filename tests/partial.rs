//! Parsing only the parts of a file that can hold a read (the top-level items of a Rust
//! file that name a target's last segment, a write's words, an alias, or define a
//! target's other segment; the top-level statements of a Python module that hold a
//! read's words, bind or use what those resolve through, or are its imports and head)
//! changes no output. Each tree is checked both ways, in every
//! output that shows fixes, and the outputs must be the same bytes; `--stats` shows the
//! parts were left out, so the comparison is not of two whole parses. The same holds
//! for the Python and TypeScript files left unparsed because their read words occur
//! only in comments (and, in Python, plain strings).

use std::path::Path;

use crate::support::{copy_tree, root, shush, stdout};

#[path = "../benches/support/corpus.rs"]
mod generated;

/// `args` run on `dir` parsing the parts that matter, then parsing every file whole.
fn both_ways(dir: &Path, args: &[&str]) -> (String, String) {
    let run = |whole: bool| {
        let mut cmd = shush(dir);
        cmd.arg("check").args(args).arg(".");
        if whole {
            cmd.arg("--parse-whole-files");
        }
        stdout(&cmd.output().unwrap())
    };
    (run(false), run(true))
}

/// The `--stats` work counts of a JSON run on `dir`.
fn work(dir: &Path) -> serde_json::Value {
    let out = shush(dir)
        .args(["check", ".", "--format", "json", "--stats"])
        .output()
        .unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "stats not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    stats["work"].clone()
}

fn same_both_ways(dir: &Path, what: &str) {
    for args in [
        &["--format", "json"][..],
        &["--format", "sarif"],
        &["--color", "never"],
        &["--diff", "--unsafe-fixes"],
    ] {
        let (partial, whole) = both_ways(dir, args);
        assert!(!partial.is_empty(), "{what} {args:?}: no output");
        if partial != whole {
            let diff = similar::TextDiff::from_lines(&whole, &partial)
                .unified_diff()
                .header("whole files", "partial")
                .to_string();
            panic!("{what} {args:?}: the partial parse changed the output\n{diff}");
        }
    }
}

#[test]
fn every_fixture_checks_the_same_parsed_in_part() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures"), dir.path());
    same_both_ways(dir.path(), "fixtures");
    let work = work(dir.path());
    assert!(
        work["rust_bytes_blanked"].as_u64().unwrap() > 1_000,
        "{work}"
    );
    // module-of-many-statements.py (and others) hold statements that can matter to
    // no read: they are left out of the Python parse.
    assert!(
        work["python_bytes_blanked"].as_u64().unwrap() > 500,
        "{work}"
    );
    // words-only-in-docs.py and jsdoc-only-mentions.ts name their read words only in
    // comments and strings, and are not parsed.
    assert!(
        work["files_words_not_in_code"].as_u64().unwrap() >= 2,
        "{work}"
    );
}

#[test]
fn a_generated_monorepo_checks_the_same_parsed_in_part() {
    let dir = tempfile::tempdir().unwrap();
    let written = generated::generate(dir.path(), 3_000_000, 17).unwrap();
    assert!(written.env_read_files > 10, "{written:?}");
    same_both_ways(dir.path(), "generated tree");
    let work = work(dir.path());
    assert!(
        work["rust_bytes_blanked"].as_u64().unwrap() > 10_000,
        "{work}"
    );
}
