//! Unified diffs of fixed files, in the form `git apply` accepts. Never writes files.

use similar::TextDiff;

/// A unified diff from `old` to `new` with `a/` and `b/` headers for `path`
/// (forward slashes, as git writes them). Empty when the texts are equal.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let path = path.replace('\\', "/");
    let diff = TextDiff::from_lines(old, new);
    let mut out = format!("diff --git a/{path} b/{path}\n");
    out.push_str(
        &diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string(),
    );
    out
}
