use std::path::Path;

use shush::source::Language;

use crate::support::*;

fn snapshot_of(fixture: &Path) -> String {
    let rel = fixture
        .strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let check = shush(&root())
        .args(["check", "--color", "never", &rel])
        .output()
        .unwrap();
    let diff = shush(&root())
        .args(["check", "--diff", "--unsafe-fixes", &rel])
        .output()
        .unwrap();
    format!(
        "## shush check {rel}  (exit {})\n{}\n## shush check --diff --unsafe-fixes {rel}\n{}",
        check.status.code().unwrap(),
        stdout(&check),
        stdout(&diff),
    )
}

/// One snapshot per fixture: the diagnostics and the fix diff together.
fn snapshots(lang: &str) {
    for fixture in fixtures(lang) {
        let name = format!("{lang}__{}", fixture.file_name().unwrap().to_string_lossy());
        insta::with_settings!({
            snapshot_path => root().join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, snapshot_of(&fixture));
        });
    }
}

/// style.md's convergence test: fix until nothing changes, a second run finds nothing
/// to fix, the loader import appears at most `max_imports(fixed text)` times, and
/// `compiles(dir, name, original)` accepts the result.
fn converge(
    lang: &str,
    import: &str,
    max_imports: impl Fn(&str) -> usize,
    compiles: impl Fn(&Path, &str, &[u8]),
) {
    for fixture in fixtures(lang) {
        let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        let original = std::fs::read(&fixture).unwrap();
        std::fs::copy(&fixture, dir.path().join(&name)).unwrap();
        let first = shush(dir.path())
            .args(["check", "--fix", "--unsafe-fixes", &name])
            .output()
            .unwrap();
        assert_ne!(first.status.code(), Some(2), "{name}: {}", stderr(&first));
        let fixed = std::fs::read(dir.path().join(&name)).unwrap();
        let second = shush(dir.path())
            .args(["check", "--fix", "--unsafe-fixes", &name])
            .output()
            .unwrap();
        assert!(
            stdout(&second).contains("Fixed 0 findings in 0 files."),
            "{name}: second run fixed more:\n{}",
            stdout(&second)
        );
        assert_eq!(
            fixed,
            std::fs::read(dir.path().join(&name)).unwrap(),
            "{name} changed again"
        );
        let diff = shush(dir.path())
            .args(["check", "--diff", "--unsafe-fixes", &name])
            .output()
            .unwrap();
        assert_eq!(stdout(&diff), "", "{name}: diff after convergence");
        let text = String::from_utf8_lossy(&fixed);
        assert!(
            text.matches(import).count() <= max_imports(&text),
            "{name}: import repeated:\n{text}"
        );
        compiles(dir.path(), &name, &original);
    }
}

#[test]
fn python_fixture_snapshots() {
    snapshots("python");
}

#[test]
fn python_fixtures_converge_and_compile() {
    converge(
        "python",
        "from backend.core.auto_esc_config import get_config_value",
        |_| 1,
        |dir, name, _| {
            if !name.contains("syntax-error") {
                run(dir, "python3", &["-m", "py_compile", name]);
            }
        },
    );
}

#[test]
fn typescript_fixture_snapshots() {
    snapshots("typescript");
}

#[test]
fn typescript_fixtures_converge_and_reparse() {
    converge(
        "typescript",
        "getConfigValue } from",
        |_| 1,
        |dir, name, original| {
            let fixed = std::fs::read_to_string(dir.join(name)).unwrap();
            let original = String::from_utf8_lossy(original);
            let lang = Language::from_path(Path::new(name));
            let strip = |s: &str| s.trim_start_matches('\u{feff}').to_string();
            let before = shush::detect::typescript::error_nodes(lang, &strip(&original));
            let after = shush::detect::typescript::error_nodes(lang, &strip(&fixed));
            assert!(
                after <= before,
                "{name}: {after} error nodes after the fix, {before} before"
            );
            if [".js", ".mjs", ".cjs"].iter().any(|e| name.ends_with(e)) {
                // ES modules for .js, as a package with "type": "module" has them.
                std::fs::write(dir.join("package.json"), "{\"type\": \"module\"}\n").unwrap();
                run(dir, "node", &["--check", name]);
            }
        },
    );
}

#[test]
fn fixed_fixtures_have_no_env_reads_left_but_the_intended_ones() {
    let dir = tempfile::tempdir().unwrap();
    for fixture in fixtures("python") {
        std::fs::copy(&fixture, dir.path().join(fixture.file_name().unwrap())).unwrap();
    }
    shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes", "."])
        .output()
        .unwrap();
    let doc = json(dir.path(), &[]);
    let left: Vec<String> = path_rules(&doc)
        .into_iter()
        .zip(doc["findings"].as_array().unwrap())
        .filter(|(_, f)| f["severity"] != "info")
        .map(|(l, _)| l)
        .collect();
    // What stays (besides the reads left alone on purpose, `info`): dynamic keys, the
    // read whose fix would clash with a local name, and a presence test with a comment
    // inside.
    assert_eq!(
        left,
        [
            "call-shapes.py py-env-dynamic-key",
            "import-name-conflict.py py-os-getenv",
            "py-env-dynamic-key.py py-env-dynamic-key",
            "py-env-dynamic-key.py py-env-dynamic-key",
            "py-env-dynamic-key.py py-env-dynamic-key",
            "py-env-presence.py py-env-presence",
            "scopes.py py-env-dynamic-key",
        ]
    );
}

#[test]
fn embedded_rule_pack_examples_pass() {
    let out = shush(&root()).args(["rules", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("python.toml:"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("typescript.toml:"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("rust.toml:"), "{}", stdout(&out));
    assert!(stdout(&out).contains("secrets.toml:"), "{}", stdout(&out));
}

/// The `use` item the default config inserts into Rust files.
const RUST_USE: &str = "use crate::config::get_config_value;";

#[test]
fn rust_fixture_snapshots() {
    for fixture in fixtures("rust") {
        let name = format!("rust__{}", fixture.file_name().unwrap().to_string_lossy());
        insta::with_settings!({
            snapshot_path => root().join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, snapshot_of(&fixture));
        });
    }
}

/// A crate to compile a Rust fixture in: `lib.rs` with `mod config; mod fixture;`, the
/// loader in `config.rs` (same signature as `std::env::var` for one key), and a stub
/// `dotenvy` crate.
struct RustCrate {
    dir: tempfile::TempDir,
}

impl RustCrate {
    fn new() -> RustCrate {
        let dir = tree(&[
            ("lib.rs", "mod config;\nmod fixture;\n"),
            (
                "config.rs",
                "pub fn get_config_value(key: &str) -> Result<String, std::env::VarError> {\n    std::env::var(key.to_uppercase())\n}\n",
            ),
            (
                "dotenvy.rs",
                "#[derive(Debug)]\npub enum Error {\n    EnvVar(std::env::VarError),\n}\n\npub fn var<K: AsRef<std::ffi::OsStr>>(key: K) -> Result<String, Error> {\n    std::env::var(key).map_err(Error::EnvVar)\n}\n",
            ),
        ]);
        run(
            dir.path(),
            "rustc",
            &[
                "--edition",
                "2021",
                "--crate-type",
                "rlib",
                "--crate-name",
                "dotenvy",
                "dotenvy.rs",
                "-o",
                "libdotenvy.rlib",
            ],
        );
        RustCrate { dir }
    }

    /// Compiles the crate with `text` as `fixture.rs`; the error output when it fails.
    fn compile(&self, text: &[u8]) -> Result<(), String> {
        let d = self.dir.path();
        std::fs::write(d.join("fixture.rs"), text).unwrap();
        let out = std::process::Command::new("rustc")
            .args(["--edition", "2021", "--crate-type", "lib", "lib.rs"])
            .args([
                "--extern",
                "dotenvy=libdotenvy.rlib",
                "-o",
                "libfixture.rlib",
            ])
            // What `env!` needs at compile time.
            .env("STRIPE_SECRET_KEY", "sk_test")
            .env("CARGO_PKG_VERSION", "0.0.0")
            .current_dir(d)
            .output()
            .expect("rustc runs");
        if out.status.success() {
            Ok(())
        } else {
            Err(stderr(&out))
        }
    }
}

/// The convergence test for Rust: fix until nothing changes, a second run finds nothing
/// to fix, the `use` is not repeated in a module, and the fixture compiles with rustc
/// before and after (as a module of a small crate that has the loader).
#[test]
fn rust_fixtures_converge_and_compile() {
    let krate = RustCrate::new();
    // At most once per module: the file and each inline `mod … {`.
    let modules = |text: &str| {
        1 + text
            .lines()
            .filter(|l| l.trim_end().ends_with('{') && l.contains("mod "))
            .count()
    };
    converge("rust", RUST_USE, modules, |dir, name, original| {
        let fixed = std::fs::read(dir.join(name)).unwrap();
        if name.contains("syntax-error") {
            assert_eq!(
                fixed, original,
                "{name}: a file that does not parse was changed"
            );
            return;
        }
        if let Err(e) = krate.compile(original) {
            panic!("{name} does not compile before the fix:\n{e}");
        }
        if let Err(e) = krate.compile(&fixed) {
            let text = String::from_utf8_lossy(&fixed);
            panic!("{name} does not compile after the fix:\n{e}\n{text}");
        }
    });
}

#[test]
fn fixed_rust_fixtures_keep_only_the_reads_shush_cannot_fix() {
    let dir = tempfile::tempdir().unwrap();
    for fixture in fixtures("rust") {
        std::fs::copy(&fixture, dir.path().join(fixture.file_name().unwrap())).unwrap();
    }
    shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes", "."])
        .output()
        .unwrap();
    let doc = json(dir.path(), &[]);
    let left: Vec<String> = path_rules(&doc);
    // Build scripts, a clash with a local function, computed names, compile-time macros,
    // and (info) the variables handed to a child process or set by the file's tests.
    assert_eq!(
        left,
        [
            "build.rs rs-env-var",
            "clippy-expect.rs rs-env-dynamic-key",
            "handoff-command.rs rs-env-var",
            "handoff-command.rs rs-env-presence",
            "handoff-command.rs rs-env-presence",
            "handoff-command.rs rs-env-var",
            "import-name-conflict.rs rs-env-var",
            "rs-env-dynamic-key.rs rs-env-dynamic-key",
            "rs-env-dynamic-key.rs rs-env-dynamic-key",
            "rs-env-dynamic-key.rs rs-env-dynamic-key",
            "rs-env-macro.rs rs-env-macro",
            "rs-env-macro.rs rs-env-macro",
            "rs-env-macro.rs rs-env-macro",
            "test-setup.rs rs-env-var",
            "test-setup.rs rs-env-var",
        ]
    );
}
