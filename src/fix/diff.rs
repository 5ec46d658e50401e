//! Unified diffs of fixed files, in the form `git apply` accepts. Never writes files.

use std::path::Path;

use similar::TextDiff;

/// The path a diff names a file by, as bytes with forward slashes: relative to the root
/// of the git work tree holding it, as `git diff` writes it and `git apply` (run
/// anywhere in that tree) reads it; outside a work tree, `shown` (relative to the
/// working directory).
pub fn diff_path(absolute: &Path, shown: &Path) -> Vec<u8> {
    let mut dir = absolute.parent();
    while let Some(d) = dir {
        if d.join(".git").exists() {
            if let Ok(rel) = absolute.strip_prefix(d) {
                return slashed(rel);
            }
        }
        dir = d.parent();
    }
    slashed(shown)
}

/// A path's bytes (on Unix exactly as stored, whatever their encoding), with `/`.
fn slashed(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().replace('\\', "/").into_bytes();
    bytes
}

/// `prefix` + `path` as git writes a name in a diff header: as it is when every byte is
/// printable ASCII other than `"` and `\`; otherwise in double quotes with C escapes and
/// octal for other bytes (git's `quote_c_style`, with `core.quotePath` on, its
/// default), which `git apply` reads back. A name with a newline would otherwise end the
/// header line and break the whole patch.
pub fn header_name(prefix: &str, path: &[u8]) -> String {
    let plain = |b: u8| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\';
    if path.iter().all(|&b| plain(b)) {
        // Only ASCII here, so the bytes are a valid string.
        return format!("{prefix}{}", String::from_utf8_lossy(path));
    }
    let mut out = format!("\"{prefix}");
    for &b in path {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b if plain(b) => out.push(b as char),
            b => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('"');
    out
}

/// A unified diff from `old` to `new` with `a/` and `b/` headers for `path` (as
/// `diff_path` gives it). Empty when the texts are equal.
pub fn unified(path: &[u8], old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let (a, b) = (header_name("a/", path), header_name("b/", path));
    let diff = TextDiff::from_lines(old, new);
    let mut out = format!("diff --git {a} {b}\n");
    out.push_str(
        &diff
            .unified_diff()
            .context_radius(3)
            .header(&a, &b)
            .to_string(),
    );
    out
}

/// A diff that creates `path` with `new` (what `git apply` wants for a new file).
pub fn new_file(path: &[u8], new: &str) -> String {
    let (a, b) = (header_name("a/", path), header_name("b/", path));
    let lines: Vec<&str> = new.split_inclusive('\n').collect();
    let mut out = format!(
        "diff --git {a} {b}\nnew file mode 100644\n--- /dev/null\n+++ {b}\n@@ -0,0 +1,{} @@\n",
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Names are quoted exactly where git quotes them, with its escapes.
    #[test]
    fn header_names_are_quoted_as_git_quotes_them() {
        assert_eq!(header_name("a/", b"app/settings.py"), "a/app/settings.py");
        assert_eq!(header_name("a/", b"my file.py"), "a/my file.py");
        assert_eq!(header_name("b/", b"odd\nname.py"), "\"b/odd\\nname.py\"");
        assert_eq!(header_name("a/", b"q\"b\\s.py"), "\"a/q\\\"b\\\\s.py\"");
        assert_eq!(
            header_name("a/", "café.py".as_bytes()),
            "\"a/caf\\303\\251.py\""
        );
        assert_eq!(header_name("a/", b"t\tx\x1b.py"), "\"a/t\\tx\\033.py\"");
    }
}
