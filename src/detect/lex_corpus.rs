//! Test support for the comment-and-string lexers of `python::lex` and
//! `typescript::lex`: the files to check them on, and the check.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// The files with extension `ext` under `fixtures/` and `tests/data/`, and under
/// `SHUSH_LEX_CORPUS` when it is set, with their text (files that are not UTF-8 are
/// left out), in path order.
pub fn files(ext: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("fixtures"), root.join("tests/data")];
    #[expect(
        clippy::disallowed_methods,
        reason = "a knob of this test run by hand, not configuration of shush"
    )]
    dirs.extend(std::env::var_os("SHUSH_LEX_CORPUS").map(PathBuf::from));
    let mut paths = Vec::new();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                dirs.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == ext) {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(&p).ok()?)))
        .collect()
}

/// Calls `f` on every node of `tree`, parents before children.
pub fn each_node(tree: &tree_sitter::Tree, mut f: impl FnMut(tree_sitter::Node)) {
    let mut cursor = tree.walk();
    loop {
        f(cursor.node());
        if cursor.goto_first_child() || cursor.goto_next_sibling() {
            continue;
        }
        loop {
            if !cursor.goto_parent() {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
        }
    }
}

/// Panics unless `code` is `text` with only bytes inside `quiet` changed, and those to
/// spaces.
pub fn assert_blanked_within(path: &Path, text: &str, code: &str, quiet: &[Range<usize>]) {
    assert_eq!(code.len(), text.len(), "{}", path.display());
    let inside = |i: usize| quiet.iter().any(|r| r.contains(&i));
    for (i, (a, b)) in text.bytes().zip(code.bytes()).enumerate() {
        if a != b {
            assert!(
                b == b' ' && inside(i),
                "{}: byte {i} ({:?}) blanked outside every comment and string: …{:?}…",
                path.display(),
                a as char,
                String::from_utf8_lossy(
                    &text.as_bytes()[i.saturating_sub(40)..(i + 40).min(text.len())]
                ),
            );
        }
    }
}
