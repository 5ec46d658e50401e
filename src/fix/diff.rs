//! Unified diffs of fixed files, in the form `git apply` accepts. Never writes files.

use std::path::Path;

use similar::TextDiff;

/// The path a diff names a file by: relative to the root of the git work tree holding
/// it, as `git diff` writes it and `git apply` (run anywhere in that tree) reads it;
/// outside a work tree, `shown` (relative to the working directory).
pub fn diff_path(absolute: &Path, shown: &Path) -> String {
    let mut dir = absolute.parent();
    while let Some(d) = dir {
        if d.join(".git").exists() {
            if let Ok(rel) = absolute.strip_prefix(d) {
                return rel.to_string_lossy().replace('\\', "/");
            }
        }
        dir = d.parent();
    }
    shown.to_string_lossy().replace('\\', "/")
}

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

/// A diff that creates `path` with `new` (what `git apply` wants for a new file).
pub fn new_file(path: &str, new: &str) -> String {
    let path = path.replace('\\', "/");
    let lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut out = format!(
        "diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{} @@\n",
        lines.len()
    );
    for line in lines {
        out.push('+');
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
    out
}
