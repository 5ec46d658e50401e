//! Inputs the fuzz targets (`fuzz/`) stopped on, kept as tests of the binary: each must
//! be scanned, and fixed to a text that a second `--fix` leaves as it is.

use crate::support::*;

/// (file under tests/data/fuzz/, what the fixed text must hold)
const CASES: &[(&str, &[&str])] = &[
    (
        // `fix` target: a `#!` first line that is not an inner attribute (syn strips it),
        // with a comment holding a read and a control byte; the fixer was reported to
        // apply the read's fix again on each round.
        "fix-rust-shebang-comment.rs",
        &[
            "#!/usr    // std::env::var(\"API_KEY\")",
            "let token = get_config_value(\"deploy_token\").expect(\"DEPLOY_TOKLN\");",
        ],
    ),
    (
        // `rust` target (built with --no-cfg-fuzzing): an `#[expect(…)]` whose `reason`
        // string holds a line break; the check of whether each entry has a line of its
        // own sliced past the entry's line and panicked.
        "rust-expect-multiline-reason.rs",
        &["let secret = get_config_value(\"signing_secret\").unwrap_or_default();"],
    ),
];

#[test]
fn fuzz_inputs_are_fixed_once_and_converge() {
    for (name, holds) in CASES {
        let input = std::fs::read(root().join("tests/data/fuzz").join(name)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), name, &input);
        let first = shush(dir.path())
            .args(["check", "--fix", "--unsafe-fixes", name])
            .output()
            .unwrap();
        assert!(
            stdout(&first).contains("Fixed 1 finding in 1 file"),
            "{name}: {}",
            stdout(&first)
        );
        let fixed = read(dir.path(), name);
        for want in *holds {
            assert_eq!(fixed.matches(want).count(), 1, "{name}: {want}\n{fixed}");
        }
        let second = shush(dir.path())
            .args(["check", "--fix", "--unsafe-fixes", name])
            .output()
            .unwrap();
        assert!(
            stdout(&second).contains("Fixed 0 findings"),
            "{name}: {}",
            stdout(&second)
        );
        assert_eq!(
            read(dir.path(), name),
            fixed,
            "{name}: the second run changed it"
        );
    }
}
