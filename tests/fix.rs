use std::os::unix::fs::PermissionsExt;

use crate::support::*;

#[test]
fn diff_applies_with_git_apply_and_equals_fix() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for lang in ["python", "typescript"] {
        for fixture in fixtures(lang) {
            let name = format!("{lang}/{}", fixture.file_name().unwrap().to_string_lossy());
            files.push((name, std::fs::read(&fixture).unwrap()));
        }
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let repo = git_repo(&refs);
    let diff = shush(repo.path())
        .args(["check", "--diff", "--unsafe-fixes", "python", "typescript"])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1));
    let patch = repo.path().join("fix.patch");
    std::fs::write(&patch, &diff.stdout).unwrap();
    assert!(stdout(&diff).contains("+++ b/python/aliases.py"));
    assert!(stdout(&diff).contains("+++ b/typescript/aliases.ts"));
    run(repo.path(), "git", &["apply", "--check", "fix.patch"]);
    run(repo.path(), "git", &["apply", "fix.patch"]);
    let applied = run(repo.path(), "git", &["diff"]).stdout;

    let fixed = git_repo(&refs);
    shush(fixed.path())
        .args(["check", "--fix", "--unsafe-fixes", "python", "typescript"])
        .output()
        .unwrap();
    assert_eq!(applied, run(fixed.path(), "git", &["diff"]).stdout);
}

#[test]
fn fix_keeps_crlf_bom_permissions_and_everything_else() {
    let text = b"\xef\xbb\xbf# header comment\r\nimport os\r\n\r\n\r\nclass A:\r\n\tkey = os.environ['API_KEY']  # keep me\r\n\tother = 'x'\r\n";
    let dir = tree(&[]);
    write(dir.path(), "a.py", text);
    let path = dir.path().join("a.py");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o751)).unwrap();
    shush(dir.path())
        .args(["check", "--fix", "a.py"])
        .assert()
        .code(0);
    let out = std::fs::read(&path).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "\u{feff}# header comment\r\nfrom backend.core.auto_esc_config import get_config_value\r\n\r\n\r\nclass A:\r\n\tkey = get_config_value('api_key')  # keep me\r\n\tother = 'x'\r\n"
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o751
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind");
}

#[test]
fn fix_that_would_break_the_file_is_refused() {
    // A name bound by a local import elsewhere is fine; a loader named like a keyword
    // is not: the config makes every rewrite a syntax error, so nothing is written.
    let dir = tree(&[
        (
            "shush.toml",
            "[python]\ncall = \"lambda\"\nimport = \"from cfg import lambda\"\n",
        ),
        ("a.py", "import os\nX = os.getenv('API_KEY')\n"),
    ]);
    let out = shush(dir.path())
        .args(["check", "--fix", "a.py"])
        .output()
        .unwrap();
    let se = stderr(&out);
    assert!(
        se.contains("a.py: 1 fix(es) not applied: the result would not parse"),
        "{se}"
    );
    assert_eq!(
        read(dir.path(), "a.py"),
        "import os\nX = os.getenv('API_KEY')\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn safe_fixes_only_without_unsafe_flag() {
    let dir = tree(&[(
        "a.py",
        "import os\nA = os.getenvb(b'SIGNING_KEY')\nB = os.getenv('API_KEY')\n",
    )]);
    shush(dir.path()).args(["check", "--fix"]).assert().code(1);
    assert_eq!(
        read(dir.path(), "a.py"),
        "import os\nfrom backend.core.auto_esc_config import get_config_value\nA = os.getenvb(b'SIGNING_KEY')\nB = get_config_value('api_key')\n"
    );
    shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .assert()
        .code(0);
    assert_eq!(
        read(dir.path(), "a.py"),
        "from backend.core.auto_esc_config import get_config_value\nA = get_config_value('signing_key')\nB = get_config_value('api_key')\n"
    );
}

#[test]
fn diff_from_a_subdirectory_names_paths_from_the_work_tree_root() {
    let repo = git_repo(&[
        ("app/a.py", b"import os\nTOKEN = os.getenv(\"API_TOKEN\")\n"),
        ("lib/b.py", b"import os\nKEY = os.getenv(\"API_KEY\")\n"),
    ]);
    // Run from app/, on a file outside it: `git diff` would name both from the root.
    let app = repo.path().join("app");
    let diff = shush(&app)
        .args(["check", "--diff", ".", "../lib"])
        .output()
        .unwrap();
    let patch = stdout(&diff);
    assert!(patch.contains("+++ b/app/a.py"), "{patch}");
    assert!(patch.contains("+++ b/lib/b.py"), "{patch}");
    assert!(!patch.contains(".."), "{patch}");
    std::fs::write(repo.path().join("fix.patch"), &diff.stdout).unwrap();
    run(repo.path(), "git", &["apply", "fix.patch"]);
    assert!(read(repo.path(), "lib/b.py").contains("get_config_value(\"api_key\")"));
}

/// Names with a newline, quotes, a backslash or non-ASCII letters are quoted as git quotes
/// them: one odd name must not break the whole patch, and `git apply` takes it from the
/// root and from a subdirectory.
#[test]
fn diff_quotes_odd_file_names_as_git_does() {
    let read_token: &[u8] = b"import os\nTOKEN = os.getenv(\"API_TOKEN\")\n";
    let repo = git_repo(&[
        ("app/odd\nname.py", read_token),
        ("app/caf\u{e9} \"v2\".py", read_token),
        ("app/back\\slash.py", read_token),
        ("app/plain name.py", read_token),
    ]);
    let diff = shush(&repo.path().join("app"))
        .args(["check", "--diff", "."])
        .output()
        .unwrap();
    let patch = stdout(&diff);
    assert!(
        patch.contains("diff --git \"a/app/odd\\nname.py\" \"b/app/odd\\nname.py\"\n"),
        "{patch}"
    );
    assert!(
        patch.contains("+++ \"b/app/caf\\303\\251 \\\"v2\\\".py\"\n"),
        "{patch}"
    );
    assert!(
        patch.contains("+++ \"b/app/back\\\\slash.py\"\n"),
        "{patch}"
    );
    assert!(patch.contains("+++ b/app/plain name.py\n"), "{patch}");
    std::fs::write(repo.path().join("fix.patch"), &diff.stdout).unwrap();
    run(
        &repo.path().join("app"),
        "git",
        &["apply", "--check", "../fix.patch"],
    );
    run(repo.path(), "git", &["apply", "fix.patch"]);
    for name in [
        "odd\nname.py",
        "caf\u{e9} \"v2\".py",
        "back\\slash.py",
        "plain name.py",
    ] {
        let fixed = read(&repo.path().join("app"), name);
        assert!(
            fixed.contains("get_config_value(\"api_token\")"),
            "{name}: {fixed}"
        );
    }
}

#[test]
fn a_latin1_python_file_is_fixed_in_its_own_encoding() {
    let original: &[u8] =
        b"# -*- coding: latin-1 -*-\nimport os\n\nGREETING = '\xe9t\xe9'\nTOKEN = os.getenv(\"API_TOKEN\")\n";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "legacy.py", original);
    let out = shush(dir.path())
        .args(["check", "--fix", "legacy.py"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("Fixed 1 finding"), "{}", stdout(&out));
    let fixed = std::fs::read(dir.path().join("legacy.py")).unwrap();
    assert_eq!(
        fixed,
        b"# -*- coding: latin-1 -*-\nfrom backend.core.auto_esc_config import get_config_value\n\nGREETING = '\xe9t\xe9'\nTOKEN = get_config_value(\"api_token\")\n"
    );
    run(dir.path(), "python3", &["-m", "py_compile", "legacy.py"]);
}
