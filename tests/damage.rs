//! `--fix` never damages what it did not mean to change: a file's owner and group, its
//! hard links, a symbolic link's target; output paths are checked before any write;
//! files shush creates get the umask's permissions; FIFOs and leftover temporary files
//! are passed over with a note.

use std::os::unix::fs::{MetadataExt, PermissionsExt};

use crate::support::*;

const READ: &str = "import os\nKEY = os.getenv(\"API_KEY\")\n";

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// As root, a fixed file keeps its owner and group (the temporary file is chowned before
/// the rename).
#[test]
fn a_fixed_file_keeps_its_owner_and_group() {
    if !is_root() {
        eprintln!("skipped: changing a file's owner needs root");
        return;
    }
    let t = tree(&[("a.py", READ)]);
    let path = t.path().join("a.py");
    std::os::unix::fs::chown(&path, Some(1234), Some(2345)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = shush(t.path())
        .args(["check", "--fix", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (1234, 2345));
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert!(read(t.path(), "a.py").contains("get_config_value(\"api_key\")"));
}

/// A file with several hard links, and a named symbolic link, are not written: the links
/// would be split or followed. The run says so and goes on with the other files.
#[test]
fn hard_links_and_symlinks_are_not_written() {
    let t = tree(&[("linked.py", READ), ("target.py", READ), ("plain.py", READ)]);
    let d = t.path();
    std::fs::hard_link(d.join("linked.py"), d.join("other-name.py")).unwrap();
    std::os::unix::fs::symlink("target.py", d.join("link.py")).unwrap();
    let out = shush(d)
        .args(["check", "--fix", "linked.py", "link.py", "plain.py"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("linked.py: fixes not written: the file has 2 hard links"),
        "{err}"
    );
    assert!(
        err.contains("link.py: fixes not written: a symbolic link"),
        "{err}"
    );
    assert_eq!(read(d, "linked.py"), READ);
    assert_eq!(read(d, "other-name.py"), READ);
    assert_eq!(read(d, "target.py"), READ);
    assert!(
        std::fs::symlink_metadata(d.join("link.py"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(read(d, "plain.py").contains("get_config_value"));
}

/// `--report` (and `--write-baseline`) to a place that cannot be written fails before
/// any fix is written, with exit 2.
#[test]
fn a_bad_output_path_fails_before_anything_is_written() {
    let t = tree(&[("a.py", READ)]);
    for args in [
        ["--fix", "--report", "missing/dir/report.json"],
        ["--exit-zero", "--write-baseline", "missing/base.json"],
    ] {
        let out = shush(t.path())
            .arg("check")
            .args(args)
            .arg(".")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("cannot write there"),
            "{}",
            stderr(&out)
        );
        assert_eq!(read(t.path(), "a.py"), READ, "{args:?}");
    }
}

/// A report, a baseline, an inventory and a new `.gitignore` get the permissions the
/// umask gives (0644 under 022), not a temporary file's private 0600.
#[test]
fn created_files_follow_the_umask() {
    let repo = git_repo(&[("a.py", READ.as_bytes())]);
    let d = repo.path();
    write(d, ".env", b"API_KEY=Zq8vLm2pR7wXk9Tq\n");
    let bin = env!("CARGO_BIN_EXE_shush");
    let script = format!(
        "umask 022 && {bin} check --fix --report report.json . >/dev/null; \
         {bin} check --write-baseline base.json . 2>/dev/null; \
         {bin} inventory -o inv.txt . 2>/dev/null; true"
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for name in ["report.json", "base.json", "inv.txt", ".gitignore"] {
        let mode = std::fs::metadata(d.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o644, "{name}");
    }
    assert!(
        !std::fs::read_dir(d).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".shush-")),
        "no temporary file is left"
    );
}

/// A FIFO named on the command line would block a read forever: it is skipped with a
/// note. A `.shush-*.tmp` file a killed run left is never scanned, and is noted.
#[test]
fn fifos_and_leftover_temporary_files_are_passed_over() {
    let t = tree(&[("a.py", READ), (".shush-1a2b3c.tmp", READ)]);
    let d = t.path();
    let status = std::process::Command::new("mkfifo")
        .arg(d.join("pipe.py"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = shush(d)
        .args(["check", "--format", "json", ".", "pipe.py"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(path_rules(&doc), ["a.py py-os-getenv"]);
    let notes: Vec<(String, String)> = doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["path"].as_str().unwrap().to_string(),
                n["skipped"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            (".shush-1a2b3c.tmp".to_string(), "leftover".to_string()),
            ("pipe.py".into(), "not-regular".into()),
        ]
    );
}
