//! Test code by its path: the files that test runners collect (pytest's `test_*.py` and
//! `*_test.py` and `conftest.py`, Jest's and Vitest's `*.test.*`, `*.spec.*` and
//! `__tests__/`, Cargo's `tests/`) and the folders that hold tests by convention. A
//! variable a test sets is about the test, and a secret literal in a test is a dummy:
//! neither gets a fix there. Rust's `#[cfg(test)]` and `#[test]` code inside other files
//! is the Rust detector's to find.

use std::path::Path;

/// Folders whose files are test code.
const DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "testing",
    "e2e",
    "cypress",
    "playwright",
    "__mocks__",
    "mocks",
];

/// Whether `path` is test code, by its folders or its file name.
pub fn is_test_path(path: &Path) -> bool {
    by_folder_or_name(path, DIRS, is_test_file_name)
}

/// Whether one of `path`'s folders is in `dirs` (compared in lower case), or else its
/// file name passes `name`: how test, docs and fixture paths are told apart.
pub fn by_folder_or_name(path: &Path, dirs: &[&str], name: impl Fn(&str) -> bool) -> bool {
    let mut components = path.components().peekable();
    while let Some(c) = components.next() {
        let Some(part) = c.as_os_str().to_str() else {
            continue;
        };
        if components.peek().is_some() {
            if dirs.contains(&part.to_ascii_lowercase().as_str()) {
                return true;
            }
            continue;
        }
        return name(part);
    }
    false
}

/// `test_x.py`, `x_test.py`, `conftest.py`, `tests.py`, `x.test.ts`, `x.spec.jsx`,
/// `x_test.go`, `x-test.js`.
fn is_test_file_name(name: &str) -> bool {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) => (stem, ext),
        None => (name, ""),
    };
    if ext == "py" {
        return stem.starts_with("test_")
            || stem.ends_with("_test")
            || stem.ends_with("_tests")
            || stem == "conftest"
            || stem == "tests";
    }
    // `x.test.ts`, `x.spec.tsx`, `x.e2e-spec.ts`, `x.test-d.ts`.
    let parts: Vec<&str> = stem.split('.').collect();
    if parts.len() > 1
        && parts[1..]
            .iter()
            .any(|p| matches!(*p, "test" | "spec" | "e2e" | "e2e-spec" | "test-d" | "cy"))
    {
        return true;
    }
    stem.ends_with("_test") || stem.ends_with("-test") || stem.ends_with("-spec")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths() {
        for p in [
            "tests/test_app.py",
            "app/test_views.py",
            "app/views_test.py",
            "conftest.py",
            "src/lib/auth.test.ts",
            "src/lib/auth.spec.tsx",
            "src/__tests__/auth.ts",
            "crates/x/tests/cli.rs",
            "e2e/login.ts",
            "pkg/server_test.go",
        ] {
            assert!(is_test_path(Path::new(p)), "{p}");
        }
        for p in [
            "app/views.py",
            "src/testimonials.ts",
            "src/contest.py",
            "src/attest.rs",
            "src/lib/latest.ts",
            "src/test-utils-not.ts",
        ] {
            assert!(!is_test_path(Path::new(p)), "{p}");
        }
    }
}
