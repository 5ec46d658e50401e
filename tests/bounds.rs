//! Time bounds: on generated worst cases of size n and 4n, the work each stage reports
//! in `--stats --format json` (bytes lexed, nodes walked, bytes the secret rules looked
//! at, edit look-ups, bytes written) grows at most linearly, and the findings are the
//! same ones. Counts, not wall time: they do not depend on the machine.

use std::path::Path;

use serde_json::Value;

use crate::support::*;

/// Runs `check FILE --stats --format json` with `args`: the findings document and the
/// work counts.
fn run(dir: &Path, file: &str, args: &[&str]) -> (Value, Value) {
    let out = shush(dir)
        .args([
            "check",
            file,
            "--stats",
            "--format",
            "json",
            "--exit-zero",
            "-j",
            "1",
        ])
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let err = stderr(&out);
    let line = err
        .lines()
        .rfind(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON stats: {err}"));
    let stats: Value = serde_json::from_str(line).unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&out)));
    (doc, stats["work"].clone())
}

/// Writes the case of size `n` and `4n` and checks the named counts: each at most 4.5
/// times its value at n (and more than nothing at n, so that the test measures
/// something). Returns both runs' findings documents.
fn grows_linearly(
    file: &str,
    generate: impl Fn(usize) -> String,
    n: usize,
    args: &[&str],
    counts: &[&str],
) -> (Value, Value) {
    let small = tree(&[(file, &generate(n))]);
    let big = tree(&[(file, &generate(4 * n))]);
    let (doc_small, work_small) = run(small.path(), file, args);
    let (doc_big, work_big) = run(big.path(), file, args);
    for count in counts {
        let (a, b) = (
            work_small[count].as_u64().unwrap(),
            work_big[count].as_u64().unwrap(),
        );
        assert!(a > 0, "{count}: nothing counted at n: {work_small}");
        assert!(
            b as f64 <= 4.5 * a as f64,
            "{count} grows faster than the file: {a} at n, {b} at 4n"
        );
    }
    (doc_small, doc_big)
}

/// The findings as (rule, line, column).
fn findings(doc: &Value) -> Vec<(String, u64, u64)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// `import os`, one read, then `n` comment lines, in a class between two methods and
/// at the end of the module (tree-sitter-python's scanner read the rest of a comment
/// block at every line of it: 100,000 lines took minutes).
fn comments(n: usize) -> String {
    let mut text = String::from(
        "import os\n\nTOKEN = os.getenv('API_TOKEN')\n\n\nclass Settings:\n    def a(self):\n        return 1\n",
    );
    for i in 0..n / 2 {
        text.push_str(&format!("    # note {i}: what the next method is for\n"));
    }
    text.push_str("    def b(self):\n        return os.environ['DB_PASSWORD']\n\n\n");
    for i in 0..n / 2 {
        text.push_str(&format!("# trailing note {i}\n"));
    }
    text
}

#[test]
fn python_comment_blocks_are_lexed_once() {
    let (small, big) = grows_linearly(
        "settings.py",
        comments,
        4_000,
        &[],
        &["python_lexed_bytes", "python_nodes"],
    );
    // The same two reads; the second one n/2 comment lines further down at 4n.
    let (small, big) = (findings(&small), findings(&big));
    assert_eq!(small.len(), 2, "{small:?}");
    assert_eq!(big.len(), 2, "{big:?}");
    assert_eq!(small[0], big[0]);
    assert_eq!(
        (&small[1].0, small[1].1 + 3 * 2_000, small[1].2),
        (&big[1].0, big[1].1, big[1].2)
    );
}

/// One read inside `n` levels of nesting of each kind a generator writes, below the
/// walk's depth cap (5,000 levels) at 4n: parentheses, `+ 1` chains, lists, calls
/// (two levels each: the call and its argument list) and attribute chains.
fn nested(kind: &str, n: usize) -> String {
    let read = "os.getenv(\"API_TOKEN\")";
    let wrap = |open: &str, close: &str| format!("{}{read}{}", open.repeat(n), close.repeat(n));
    let body = match kind {
        "parentheses" => wrap("(", ")"),
        "list" => wrap("[", "]"),
        "call" => wrap("f(", ")"),
        "chain" => format!("{read}{}", " + 1".repeat(n)),
        "attribute" => format!("{read}{}", ".a".repeat(n)),
        _ => unreachable!("{kind}"),
    };
    format!("import os\nx = {body}\n")
}

/// Walking up from a read (is it the left of an `or`, inside a test function, a `del`,
/// an f-string's `{x=}`?) asked tree-sitter for each parent, which walks down from the
/// root each time: a read 4,800 levels deep took 4 s. The parent links are now built
/// once, in one walk of the tree.
#[test]
fn python_nesting_is_walked_in_linear_time() {
    for (kind, n) in [
        ("parentheses", 1_200),
        ("list", 1_200),
        ("call", 600),
        ("chain", 1_200),
        ("attribute", 1_200),
    ] {
        let (small, big) = grows_linearly(
            "gen.py",
            |n| nested(kind, n),
            n,
            &[],
            // Not the bytes lexed: the lexer reads 4 KiB chunks, and goes back one
            // at 4n, which is a large share of a file of 2 KiB.
            &[
                "python_nodes",
                "python_parent_links",
                "python_parent_lookups",
            ],
        );
        // The one read, found whole at both sizes (no note: nothing was cut off).
        // Where the read starts on line 2, counted in the generated text.
        let column = nested(kind, n)
            .lines()
            .nth(1)
            .unwrap()
            .find("os.getenv")
            .unwrap()
            + 1;
        let expected = vec![("py-os-getenv".to_string(), 2, column as u64)];
        assert_eq!(findings(&small), expected, "{kind}");
        assert_eq!(small["notes"], serde_json::json!([]), "{kind}");
        assert_eq!(big["notes"], serde_json::json!([]), "{kind}");
        assert_eq!(findings(&big).len(), 1, "{kind}");
    }
}

/// A module whose every method call is on a module-level variable: whether the variable
/// holds a copy of the environment (what is set into it is handed to a process) was
/// worked out by walking the module's body once per call, quadratic in the module. It is
/// now one walk per body. Parsed whole: in part, the calls are left out of the parse.
#[test]
fn python_calls_on_module_variables_walk_the_module_once() {
    let module = |n: usize| {
        let mut text = String::from("import os\n\nTOKEN = os.getenv(\"API_TOKEN\")\n");
        for i in 0..n {
            text.push_str(&format!(
                "client{i} = make_client({i})\nclient{i}.get(\"/items\")\n"
            ));
        }
        text
    };
    let (small, big) = grows_linearly(
        "gen.py",
        module,
        400,
        &["--parse-whole-files"],
        &["python_body_nodes"],
    );
    let expected = vec![("py-os-getenv".to_string(), 3, 9)];
    assert_eq!(findings(&small), expected);
    assert_eq!(findings(&big), expected);
}

/// The same in TypeScript: walks up from a read through parentheses, and the name of
/// each member of a long `a.b.c…` chain (worked out to a bounded number of segments).
#[test]
fn typescript_nesting_is_walked_in_linear_time() {
    let read = "process.env.API_TOKEN";
    for (kind, n) in [
        ("parentheses", 1_000),
        ("array", 1_000),
        ("attribute", 1_000),
    ] {
        let generate = |n: usize| {
            let body = match kind {
                "parentheses" => format!("{}{read}{}", "(".repeat(n), ")".repeat(n)),
                "array" => format!("{}{read}{}", "[".repeat(n), "]".repeat(n)),
                _ => format!("{read}{}", ".a".repeat(n)),
            };
            format!("// generated\nconst x = {body};\n")
        };
        let (small, big) = grows_linearly(
            "gen.ts",
            generate,
            n,
            &[],
            &["typescript_parent_links", "typescript_parent_lookups"],
        );
        let column = generate(n).lines().nth(1).unwrap().find("process").unwrap() + 1;
        assert_eq!(
            findings(&small),
            [("ts-process-env".to_string(), 2, column as u64)],
            "{kind}"
        );
        assert_eq!(findings(&big).len(), 1, "{kind}");
        assert_eq!(big["notes"], serde_json::json!([]), "{kind}");
    }
}

/// Base64 as a plot's PNG encodes to: mostly `A` (runs of zero bytes) with other
/// characters between, pseudo-random (a notebook of these took 9 s: a keyword in the
/// runs of `A` occurs at nearly every byte of a line of a megabyte).
fn base64(len: usize, seed: &mut u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    (0..len)
        .map(|_| {
            *seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let r = (*seed >> 32) as usize;
            if r % 50 == 0 {
                ALPHABET[(r >> 8) % 64] as char
            } else {
                'A'
            }
        })
        .collect()
}

/// A notebook whose cells hold images of `n` bytes of base64 each, on one line: one
/// block of 25,000 bytes repeated, so that the keywords in it, and so the rules they
/// trigger, are the same at n and at 4n (fresh random bytes trigger more of the 638
/// rules the more of them there are: the work is linear in bytes times rules).
fn notebook(n: usize) -> String {
    let block = base64(25_000, &mut 7);
    let cells: Vec<String> = (0..4)
        .map(|_| {
            format!(
                "  {{\"cell_type\": \"code\", \"execution_count\": 1, \"metadata\": {{}}, \"source\": [\"plt.plot(x)\"], \"outputs\": [{{\"output_type\": \"display_data\", \"data\": {{\"image/png\": \"{}\", \"text/plain\": [\"<Figure>\"]}}, \"metadata\": {{}}}}]}}",
                block.repeat(n / block.len())
            )
        })
        .collect();
    format!(
        "{{\n \"cells\": [\n{}\n ],\n \"metadata\": {{}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n",
        cells.join(",\n")
    )
}

#[test]
fn secret_rules_look_at_a_long_line_about_once() {
    // One line of `a`: 2 MB took 24 s.
    let (small, big) = grows_linearly(
        "blob.txt",
        |n| "a".repeat(n),
        200_000,
        &[],
        &["secret_window_bytes", "secret_line_search_bytes"],
    );
    assert_eq!(findings(&small), findings(&big));
    // Base64 images in a notebook.
    let (small, big) = grows_linearly(
        "analysis.ipynb",
        notebook,
        50_000,
        &[],
        &[
            "secret_window_bytes",
            "secret_windows",
            "secret_line_search_bytes",
        ],
    );
    assert_eq!(findings(&small), findings(&big));
}

#[test]
fn many_tokens_on_one_line_cost_one_look_at_the_line() {
    // AWS access key ids, space-separated on one line: each match's line is looked at
    // once (its comment, example and hash facts), not once per match.
    // 500 ids repeated (for the same rules at n and 4n, as in the notebook).
    let keys = |n: usize| {
        let mut seed: u64 = 11;
        let mut line = String::new();
        for _ in 0..500 {
            let id: String = (0..16)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[(seed >> 59) as usize] as char
                })
                .collect();
            line.push_str(&format!("AKIA{id} "));
        }
        line.repeat(n / 500)
    };
    let (small, big) = grows_linearly(
        "keys.txt",
        keys,
        1_000,
        &[],
        &["secret_window_bytes", "secret_line_bytes"],
    );
    let (a, b) = (findings(&small).len(), findings(&big).len());
    assert!(a >= 500 && b >= a, "{a} and {b} keys found");
}

/// `import os` and `n` reads, each fixable.
fn reads(n: usize) -> String {
    let mut text = String::from("import os\n\n");
    for i in 0..n {
        text.push_str(&format!("V{i} = os.getenv('VAR_{i}')\n"));
    }
    text
}

#[test]
fn fixing_many_reads_is_linear_in_them() {
    // `--fix` (as `--diff`) applies every fix until they converge: 100,000 reads took
    // 77 s.
    let (small, big) = grows_linearly(
        "settings.py",
        reads,
        1_500,
        &["--fix"],
        &[
            "fix_edit_lookups",
            "fix_bytes_written",
            "fix_reparses",
            "python_lexed_bytes",
            "python_nodes",
        ],
    );
    assert_eq!(small["summary"]["fixed"], 1_500, "{small}");
    assert_eq!(big["summary"]["fixed"], 6_000, "{big}");
    assert_eq!(small["summary"]["fixes_refused"], 0);
    assert_eq!(big["summary"]["fixes_refused"], 0);
}

#[test]
fn a_huge_thread_count_is_lowered() {
    let dir = tree(&[("app.py", "import os\nTOKEN = os.getenv('API_TOKEN')\n")]);
    let out = shush(dir.path())
        .args([
            "check", "app.py", "--stats", "--format", "json", "-j", "100000",
        ])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let stats: Value =
        serde_json::from_str(err.lines().rfind(|l| l.starts_with('{')).unwrap()).unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let threads = stats["threads"].as_u64().unwrap();
    assert_eq!(threads, (4 * cores).max(8));
    // A count within the bound is kept.
    let out = shush(dir.path())
        .args(["check", "app.py", "--stats", "--format", "json", "-j", "3"])
        .output()
        .unwrap();
    let err = stderr(&out);
    let stats: Value =
        serde_json::from_str(err.lines().rfind(|l| l.starts_with('{')).unwrap()).unwrap();
    assert_eq!(stats["threads"], 3);
}
