//! Odd input through the real binary: encodings, binary files, a parse over its time
//! budget, deep nesting, unreadable files and directories, `--strict`.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::support::{json, run, shush, stderr, stdout, tree, write};

/// A GitHub token whose checksum holds (high confidence).
const TOKEN: &str = "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";

const KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
FAKErstuvwxyz0123456789+ABCDEFGHIJKLMNOPQRSTUVWXYZ/abcdefghijklmnopqrs
-----END OPENSSH PRIVATE KEY-----
";

/// `(path, rule, line, column)` of each finding.
fn located(doc: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The messages of a JSON document's notes about `path`.
fn notes_of(doc: &serde_json::Value, path: &str) -> Vec<String> {
    doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["path"] == path)
        .map(|n| n["message"].as_str().unwrap().to_string())
        .collect()
}

fn found(path: &str, rule: &str, line: u64, column: u64) -> (String, String, u64, u64) {
    (path.into(), rule.into(), line, column)
}

#[test]
fn a_latin1_byte_does_not_hide_a_secret() {
    let dir = tree(&[]);
    // A cp1252 menu, then a token: line and column as in the file.
    let text = format!("Caf\u{e9} cr\u{e8}me\ntoken: {TOKEN}\n");
    let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    write(dir.path(), "menu.txt", &latin1);
    let doc = json(dir.path(), &[]);
    assert_eq!(
        located(&doc),
        [found("menu.txt", "secret-github-pat", 2, 8)]
    );
    assert_eq!(
        notes_of(&doc, "menu.txt"),
        ["not UTF-8 (first bad byte at offset 3): scanned for secrets only"]
    );
    // A text file is checked whole by the secret rules: nothing is left unchecked.
    assert_eq!(doc["summary"]["not_fully_checked"], 0);
    assert_eq!(doc["summary"]["files_scanned"], 1);
    // The line shown in human output is redacted like any other.
    let out = shush(dir.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!stdout(&out).contains(TOKEN), "{}", stdout(&out));
    assert!(stdout(&out).contains("token: ghp_****"), "{}", stdout(&out));
}

#[test]
fn a_python_file_not_in_utf8_is_scanned_for_secrets_only() {
    let dir = tree(&[]);
    write(
        dir.path(),
        "legacy.py",
        format!("import os\n# caf\u{e9}\nKEY = \"{TOKEN}\"\nX = os.getenv('API_KEY')\n")
            .chars()
            .map(|c| c as u32 as u8)
            .collect::<Vec<u8>>()
            .as_slice(),
    );
    let doc = json(dir.path(), &[]);
    // The secret is found; the read is not (the file is not Python that parses).
    assert_eq!(
        located(&doc),
        [found("legacy.py", "secret-github-pat", 3, 8)]
    );
    assert_eq!(doc["findings"][0]["fix"], serde_json::Value::Null);
    assert_eq!(
        notes_of(&doc, "legacy.py"),
        [
            "not fully checked: not UTF-8 (first bad byte at offset 15): scanned for secrets only; environment reads not checked"
        ]
    );
    assert_eq!(doc["summary"]["not_fully_checked"], 1);
    // --fix leaves it byte for byte.
    let before = std::fs::read(dir.path().join("legacy.py")).unwrap();
    let out = shush(dir.path()).args(["check", "--fix"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read(dir.path().join("legacy.py")).unwrap(), before);
    // With the PEP 263 declaration the file is Python in latin-1: read, fixed and
    // written back in latin-1.
    let declared = b"# -*- coding: latin-1 -*-\nimport os\n# caf\xe9\nX = os.getenv('API_KEY')\n";
    write(dir.path(), "legacy.py", declared);
    let doc = json(dir.path(), &[]);
    assert_eq!(located(&doc), [found("legacy.py", "py-os-getenv", 4, 5)]);
    assert!(notes_of(&doc, "legacy.py").is_empty());
    shush(dir.path()).args(["check", "--fix"]).output().unwrap();
    let fixed = std::fs::read(dir.path().join("legacy.py")).unwrap();
    assert!(fixed.windows(5).any(|w| w == b"caf\xe9\n"), "{fixed:?}");
    assert!(
        String::from_utf8_lossy(&fixed).contains("X = get_config_value('api_key')"),
        "{}",
        String::from_utf8_lossy(&fixed)
    );
}

#[test]
fn a_nul_byte_does_not_hide_a_private_key() {
    let dir = tree(&[]);
    // A config dump with a stray NUL, then a key.
    let mut bytes = b"# exported settings\nname = deploy\x00\n".to_vec();
    bytes.extend_from_slice(KEY.as_bytes());
    write(dir.path(), "settings.conf", &bytes);
    let doc = json(dir.path(), &["--min-confidence", "low"]);
    assert_eq!(
        located(&doc),
        [found("settings.conf", "secret-private-key-pem", 3, 1)]
    );
    assert_eq!(
        notes_of(&doc, "settings.conf"),
        ["holds a NUL byte (at offset 33): scanned for secrets only"]
    );
    let out = shush(dir.path())
        .args(["check", "--min-confidence", "low"])
        .output()
        .unwrap();
    assert!(
        !stdout(&out).contains("b3BlbnNzaC1rZXkt"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn utf16_files_with_a_bom_are_decoded_and_never_written() {
    let text = format!("import os\nTOKEN = \"{TOKEN}\"\nurl = os.getenv(\"DATABASE_URL\")\n");
    let units: Vec<u16> = text.encode_utf16().collect();
    let le: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_le_bytes()))
        .collect();
    let be: Vec<u8> = [0xfe, 0xff]
        .into_iter()
        .chain(units.iter().flat_map(|u| u.to_be_bytes()))
        .collect();
    let dir = tree(&[]);
    write(dir.path(), "le.py", &le);
    write(dir.path(), "be.py", &be);
    let doc = json(dir.path(), &[]);
    assert_eq!(
        located(&doc),
        [
            found("be.py", "secret-github-pat", 2, 10),
            found("be.py", "py-os-getenv", 3, 7),
            found("le.py", "secret-github-pat", 2, 10),
            found("le.py", "py-os-getenv", 3, 7),
        ]
    );
    for f in doc["findings"].as_array().unwrap() {
        assert_eq!(f["fix"], serde_json::Value::Null, "{f}");
        assert_eq!(
            f["no_fix_reason"],
            "the file is UTF-16, which shush does not write back"
        );
    }
    assert_eq!(
        notes_of(&doc, "le.py"),
        ["UTF-16 (little-endian) text: scanned, but fixes are never written to it"]
    );
    assert_eq!(
        notes_of(&doc, "be.py"),
        ["UTF-16 (big-endian) text: scanned, but fixes are never written to it"]
    );
    let out = shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read(dir.path().join("le.py")).unwrap(), le);
    assert_eq!(std::fs::read(dir.path().join("be.py")).unwrap(), be);
}

#[test]
fn real_binaries_stay_skipped() {
    let dir = tree(&[]);
    // A PNG whose text chunk holds a token: an image, not a text to scan.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
    png.extend_from_slice(format!("tEXtComment\0token={TOKEN}").as_bytes());
    write(dir.path(), "logo.png", &png);
    // Compressed data with no magic number: about one byte in ten is a control byte.
    let mut state = 0x2545_f491_u32;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .chain(TOKEN.bytes())
        .collect();
    write(dir.path(), "blob.bin", &noise);
    let doc = json(dir.path(), &[]);
    assert_eq!(located(&doc), []);
    assert_eq!(doc["summary"]["skipped"]["binary"], 2);
    assert_eq!(doc["summary"]["files_scanned"], 0);
    let out = shush(dir.path())
        .args(["check", "--verbose"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("logo.png: skipped (binary): PNG image"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("blob.bin: skipped (binary): binary data"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_parse_timeout_keeps_the_secret_scan() {
    // A 2 MB minified bundle; the config's budget is one millisecond, so that the
    // parse times out at once.
    let mut bundle: String = (0..40_000)
        .map(|i| format!("var a{i}=process.env.FLAG_{i}||function(b){{return b+{i}}};"))
        .collect();
    bundle.truncate(2_000_000);
    bundle.push_str(&format!("\nconst t=\"{TOKEN}\";\n"));
    let dir = tree(&[
        ("shush.toml", "parse-timeout = 0.001\n"),
        ("dist/app.min.js", &bundle),
    ]);
    let doc = json(dir.path(), &[]);
    assert_eq!(
        located(&doc),
        [found("dist/app.min.js", "secret-github-pat", 2, 10)]
    );
    assert_eq!(doc["findings"][0]["fix"], serde_json::Value::Null);
    assert_eq!(
        notes_of(&doc, "dist/app.min.js"),
        [
            "not fully checked: parsing took longer than 0.001 s (parse-timeout): environment reads not checked"
        ]
    );
    assert_eq!(doc["summary"]["not_fully_checked"], 1);
    // The bundle and shush.toml.
    assert_eq!(doc["summary"]["files_scanned"], 2);
    let out = shush(dir.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("Scanned 2 files; 1 file not fully checked (see warnings)."),
        "{}",
        stdout(&out)
    );
    let strict = shush(dir.path())
        .args(["check", "--strict", "--exit-zero"])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(2));
    assert!(
        stderr(&strict)
            .contains("error: --strict: not everything was checked (1 not fully checked)"),
        "{}",
        stderr(&strict)
    );
    // Within the default budget a bundle is parsed and its reads reported (a small
    // one: the reads of the big one take long to build in a debug build).
    let small: String = (0..200)
        .map(|i| format!("var a{i}=process.env.FLAG_{i}||function(b){{return b+{i}}};"))
        .collect();
    let dir = tree(&[("app.min.js", &small)]);
    let doc = json(dir.path(), &["--env-scope", "all"]);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 200);
    assert_eq!(doc["summary"]["not_fully_checked"], 0);
}

/// Runs `--format json` on one generated file and returns the findings' rules and the
/// notes on it.
fn deep(name: &str, text: &str) -> (Vec<String>, Vec<String>, i32) {
    let dir = tree(&[(name, text)]);
    let doc = json(dir.path(), &[]);
    let strict = shush(dir.path())
        .args(["check", "--strict", name])
        .output()
        .unwrap();
    (
        crate::support::rules(&doc),
        notes_of(&doc, name),
        strict.status.code().unwrap(),
    )
}

#[test]
fn deep_nesting_is_walked_or_reported() {
    let chain = |n| " + 1".repeat(n);
    let parens = |n| ("(".repeat(n), ")".repeat(n));
    // Python: what the issue names (2,000 chained `+ 1`, 1,800 parentheses) is walked.
    let (rules, notes, _) = deep(
        "gen.py",
        &format!("import os\nx = os.getenv(\"API_TOKEN\"){}\n", chain(2000)),
    );
    assert_eq!((rules, notes), (vec!["py-os-getenv".to_string()], vec![]));
    let (open, close) = parens(1800);
    let (rules, notes, _) = deep(
        "paren.py",
        &format!("import os\nx = {open}os.getenv(\"API_TOKEN\"){close}\n"),
    );
    assert_eq!((rules, notes), (vec!["py-os-getenv".to_string()], vec![]));
    // Deeper than the walk goes: a note, and --strict fails.
    let (rules, notes, strict) = deep(
        "deeper.py",
        &format!("import os\nx = os.getenv(\"API_TOKEN\"){}\n", chain(6000)),
    );
    assert_eq!(rules, Vec::<String>::new());
    assert_eq!(
        notes,
        [
            "not fully checked: nesting deeper than 5000 levels: environment reads below that depth not checked"
        ]
    );
    assert_eq!(strict, 2);

    // TypeScript.
    let (rules, notes, _) = deep(
        "gen.ts",
        &format!("const x = process.env.API_TOKEN{};\n", chain(2000)),
    );
    assert_eq!((rules, notes), (vec!["ts-process-env".to_string()], vec![]));
    let (rules, notes, strict) = deep(
        "deeper.ts",
        &format!("const x = process.env.API_TOKEN{};\n", chain(6000)),
    );
    assert_eq!(rules, Vec::<String>::new());
    assert_eq!(
        notes,
        [
            "not fully checked: nesting deeper than 5000 levels: environment reads below that depth not checked"
        ]
    );
    assert_eq!(strict, 2);

    // Rust: 1,000 parentheses (rustc compiles them) and a 3,000-term chain are walked.
    let (open, close) = parens(1000);
    let (rules, notes, _) = deep(
        "paren.rs",
        &format!("fn main() {{\n    let x = {open}std::env::var(\"API_TOKEN\"){close};\n}}\n"),
    );
    assert_eq!((rules, notes), (vec!["rs-env-var".to_string()], vec![]));
    let (rules, notes, _) = deep(
        "chain.rs",
        &format!(
            "fn main() {{\n    let x = std::env::var(\"API_TOKEN\").unwrap().len(){};\n}}\n",
            chain(3000)
        ),
    );
    assert_eq!((rules, notes), (vec!["rs-env-var".to_string()], vec![]));
    // Brackets deeper than the parser is given, and a chain deeper than the walk.
    let (open, close) = parens(1600);
    let (rules, notes, strict) = deep(
        "deeper.rs",
        &format!("fn main() {{\n    let x = {open}std::env::var(\"API_TOKEN\"){close};\n}}\n"),
    );
    assert_eq!(rules, Vec::<String>::new());
    assert_eq!(
        notes,
        [
            "not fully checked: brackets nest deeper than 1500 levels (or an expression chains over 10000 operators): not parsed, environment reads not checked"
        ]
    );
    assert_eq!(strict, 2);
    let (rules, notes, _) = deep(
        "long.rs",
        &format!(
            "fn main() {{\n    let x = std::env::var(\"API_TOKEN\").unwrap().len(){};\n}}\n",
            chain(4500)
        ),
    );
    assert_eq!(rules, Vec::<String>::new());
    assert_eq!(
        notes,
        [
            "not fully checked: nesting deeper than 4000 levels: environment reads below that depth not checked"
        ]
    );
    // A deep file with no environment read in it has nothing unchecked.
    let (rules, notes, strict) = deep(
        "plain.rs",
        &format!("fn main() {{ let x = 1{}; }}\n", chain(4500)),
    );
    assert_eq!((rules, notes, strict), (vec![], vec![], 0));
}

/// The binary as an unprivileged user when the tests run as root (root reads any file).
fn unprivileged(dir: &Path) -> std::process::Command {
    let bin = assert_cmd::cargo::cargo_bin("shush");
    let root = run(dir, "id", &["-u"]).stdout == b"0\n";
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        std::process::Command::new(&bin)
    };
    cmd.current_dir(dir);
    cmd
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_named_file_that_cannot_be_read_fails_the_run() {
    let dir = tree(&[("ok.py", "x = 1\n"), ("locked.py", "x = 2\n")]);
    chmod(dir.path(), 0o755);
    chmod(&dir.path().join("locked.py"), 0o000);
    let out = unprivileged(dir.path())
        .args(["check", "ok.py", "locked.py"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: locked.py: cannot be read: permission denied"),
        "{}",
        stderr(&out)
    );
    // Found by the walk, the same file is a note, and only --strict fails on it.
    let out = unprivileged(dir.path())
        .args(["check", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Scanned 1 file, skipped 1 (1 unreadable)."),
        "{}",
        stdout(&out)
    );
    let out = unprivileged(dir.path())
        .args(["check", ".", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: --strict: not everything was checked (1 unreadable)"),
        "{}",
        stderr(&out)
    );
    chmod(&dir.path().join("locked.py"), 0o644);
}

#[test]
fn walk_permission_errors_are_counted_and_fail_strict() {
    let dir = tree(&[
        ("src/app.py", "x = 1\n"),
        ("private/keys.py", &format!("KEY = \"{TOKEN}\"\n")),
    ]);
    chmod(dir.path(), 0o755);
    chmod(&dir.path().join("private"), 0o000);
    let out = unprivileged(dir.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["skipped"]["walk-error"], 1);
    assert_eq!(
        notes_of(&doc, "private"),
        ["permission denied"],
        "{}",
        doc["notes"]
    );
    let out = unprivileged(dir.path()).arg("check").output().unwrap();
    assert!(
        stdout(&out).contains("Scanned 1 file, skipped 1 (1 walk error)."),
        "{}",
        stdout(&out)
    );
    let out = unprivileged(dir.path())
        .args(["check", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: --strict: not everything was checked (1 walk error)"),
        "{}",
        stderr(&out)
    );
    // A directory named on the command line that cannot be read fails the run.
    let out = unprivileged(dir.path())
        .args(["check", "private"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: private: permission denied"),
        "{}",
        stderr(&out)
    );
    chmod(&dir.path().join("private"), 0o755);
}

/// `(path, rule, line, column)` of each finding, the notes on the file, the file after
/// one fix run and after a second.
type Checked = (
    Vec<(String, String, u64, u64)>,
    Vec<String>,
    Vec<u8>,
    Vec<u8>,
);

/// Checks one file in a fresh directory: the findings, then `--fix --unsafe-fixes` twice.
fn check_and_fix(name: &str, text: &str) -> Checked {
    let dir = tree(&[(name, text)]);
    let doc = json(dir.path(), &[]);
    let fix = |dir: &Path| {
        let out = shush(dir)
            .args(["check", "--fix", "--unsafe-fixes", name])
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        std::fs::read(dir.join(name)).unwrap()
    };
    let once = fix(dir.path());
    let twice = fix(dir.path());
    (located(&doc), notes_of(&doc, name), once, twice)
}

/// Python and JavaScript end a line at a lone CR (old Mac OS files): the Python
/// reference's "Physical lines" (LF, CR LF or CR), ECMAScript's LineTerminator. The
/// reads are found on the lines an editor shows, `--fix` keeps the CR endings, and the
/// result is what the same file with LF endings becomes, with CR endings.
#[test]
fn lone_cr_line_endings_end_lines_in_python_and_typescript() {
    let python = "import os\nfrom os import environ as env\n\ndef load():\n    key = os.getenv(\"API_KEY\")\n    if key:\n        return key\n    return env[\"SECRET_TOKEN\"]\n";
    // No semicolons: each line ends its statement only if the CR ends the line.
    let typescript = "const a = 1\nconst k = process.env.API_KEY\nlet x = a\n++x\nexport const t = process.env.SECRET_TOKEN\n";
    for (name, lf, expected) in [
        (
            "app.py",
            python,
            vec![
                found("app.py", "py-os-getenv", 5, 11),
                found("app.py", "py-os-environ-subscript", 8, 12),
            ],
        ),
        (
            "app.ts",
            typescript,
            vec![
                found("app.ts", "ts-process-env", 2, 11),
                found("app.ts", "ts-process-env", 5, 18),
            ],
        ),
    ] {
        let cr = lf.replace('\n', "\r");
        let (found_lf, notes_lf, fixed_lf, _) = check_and_fix(name, lf);
        let (found_cr, notes_cr, fixed_cr, again) = check_and_fix(name, &cr);
        assert_eq!(found_lf, expected, "{name} with LF endings");
        assert_eq!(found_cr, expected, "{name} with CR endings");
        assert_eq!((notes_lf, notes_cr), (vec![], vec![]), "{name}");
        // The fix is the one the LF file gets, CR for LF, and the second run converges.
        let fixed_cr = String::from_utf8(fixed_cr).unwrap();
        assert!(
            !fixed_cr.contains('\n') && fixed_cr.contains('\r'),
            "{fixed_cr:?}"
        );
        assert_eq!(
            fixed_cr.replace('\r', "\n").into_bytes(),
            fixed_lf,
            "{name}"
        );
        assert_eq!(
            again,
            fixed_cr.as_bytes(),
            "{name}: a second run changed it"
        );
        // The result parses (no note) and has no read left.
        let (left, notes, _, _) = check_and_fix(name, &fixed_cr);
        assert_eq!((left, notes), (vec![], vec![]), "{name}: {fixed_cr:?}");
    }
    // A file mixing LF and lone CR endings: parsed as lines all the same.
    let mixed = "import os\rkey = os.getenv(\"API_KEY\")\nother = 1\r";
    let (found_mixed, notes, _, _) = check_and_fix("mixed.py", mixed);
    assert_eq!(found_mixed, [found("mixed.py", "py-os-getenv", 2, 7)]);
    assert_eq!(notes, Vec::<String>::new());
}

/// rustc takes a lone CR for whitespace (a `//` comment then runs to the end of the
/// file) and refuses one inside a string literal: shush reads Rust files the same way,
/// and a file that does not parse gets the note any such file gets.
#[test]
fn lone_cr_in_rust_is_whitespace_or_a_parse_error() {
    let dir = tree(&[
        (
            "src/plain.rs",
            "fn main() {\r    let k = std::env::var(\"API_KEY\").unwrap();\r    println!(\"{}\", k);\r}\r",
        ),
        (
            "src/comment.rs",
            "// everything after this is a comment to rustc\rfn main() {\r    let k = std::env::var(\"API_KEY\");\r}\r",
        ),
        (
            "src/string.rs",
            "fn main() {\r    let s = \"a\rb\";\r    let k = std::env::var(\"API_KEY\");\r}\r",
        ),
    ]);
    let doc = json(dir.path(), &[]);
    assert_eq!(located(&doc), [found("src/plain.rs", "rs-env-var", 2, 13)]);
    let notes = notes_of(&doc, "src/string.rs");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with("does not parse as Rust"), "{notes:?}");
    assert_eq!(notes_of(&doc, "src/comment.rs"), Vec::<String>::new());
    let out = shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let fixed = std::fs::read_to_string(dir.path().join("src/plain.rs")).unwrap();
    assert!(fixed.contains("get_config_value(\"api_key\")"), "{fixed:?}");
    assert!(!fixed.contains('\n'), "{fixed:?}");
}
