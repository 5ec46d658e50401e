use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::support::*;

/// The official SARIF 2.1.0 schema (OASIS, errata 01), vendored; `shared/spec/` beside
/// the repository holds the same file.
fn sarif_schema() -> Value {
    let vendored = root().join("tests/data/sarif-schema-2.1.0.json");
    let shared = root().join("../shared/spec/sarif-schema-2.1.0.json");
    let path = if vendored.exists() { vendored } else { shared };
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The fixtures of every language and the labeled secrets, in one temporary tree.
fn all_fixtures() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for lang in ["python", "typescript", "rust", "secrets"] {
        copy_tree(&root().join("fixtures").join(lang), &dir.path().join(lang));
    }
    dir
}

fn output(dir: &Path, args: &[&str]) -> String {
    let out = shush(dir).arg("check").args(args).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{args:?} failed: {}",
        stderr(&out)
    );
    stdout(&out)
}

fn sarif(dir: &Path, args: &[&str]) -> (String, Value) {
    let text = output(dir, &[&["--format", "sarif"], args].concat());
    let log = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (text, log)
}

/// The full secrets of the labeled set (`--format json --show-secrets`).
fn secret_values(dir: &Path) -> Vec<String> {
    let doc = json(dir, &["--show-secrets"]);
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["secret"]["value"].as_str().map(String::from))
        .collect()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = all_fixtures();
    let (_, log) = sarif(dir.path(), &[]);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&sarif_schema())
        .expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does reject what the schema forbids.
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = Value::from("fatal");
    bad["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert_eq!(validator.iter_errors(&bad).count(), 2);
    // And an empty run is valid too.
    let empty = tree(&[("README.md", "nothing here\n")]);
    let (_, log) = sarif(empty.path(), &[]);
    assert!(validator.is_valid(&log));
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn sarif_lists_every_rule_and_results_point_at_them() {
    let dir = all_fixtures();
    let (_, log) = sarif(dir.path(), &[]);
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "shush");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );

    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate rule ids");
    for id in [
        "py-os-getenv",
        "py-env-dynamic-key",
        "ts-process-env",
        "ts-client-exposed-secret",
        "rs-env-var",
        "rs-env-macro",
        "secret-github-pat",
        "secret-aws-access-key-id",
        "dotenv-tracked",
        "dotenv-not-ignored",
        "dotenv-ignored",
    ] {
        assert!(unique.contains(id), "{id} is not in driver.rules");
    }
    let secret_rules = ids.iter().filter(|i| i.starts_with("secret-")).count();
    assert!(secret_rules >= 165, "{secret_rules} secret rules");
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let name = rule["name"].as_str().unwrap();
        assert!(name.chars().next().unwrap().is_ascii_uppercase() && !name.contains('-'));
        for key in ["shortDescription", "fullDescription"] {
            assert!(
                !rule[key]["text"].as_str().unwrap().is_empty(),
                "{id} {key}"
            );
        }
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty(), "{id}");
        assert!(
            !rule["help"]["markdown"].as_str().unwrap().is_empty(),
            "{id}"
        );
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(level == "error" || level == "warning", "{id}: {level}");
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(tags.contains(&Value::from("security")), "{id}");
        let score: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&score), "{id}");
        if id.starts_with("secret-") {
            assert!(
                rule["help"]["text"].as_str().unwrap().contains("Rotate"),
                "{id}"
            );
        }
    }

    let results = run["results"].as_array().unwrap();
    let json_findings = json(dir.path(), &[])["findings"].as_array().unwrap().len();
    assert_eq!(results.len(), json_findings);
    let mut with_fixes = 0;
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], id, "ruleIndex of {id}");
        assert_eq!(r["locations"].as_array().unwrap().len(), 1);
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.contains('\\') && !uri.starts_with('/'), "{uri}");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        let print = r["partialFingerprints"]["shush/v1"].as_str().unwrap();
        assert!(print.len() > 64, "{print}");
        assert!(
            r["partialFingerprints"]
                .get("primaryLocationLineHash")
                .is_none()
        );
        if let Some(fixes) = r["fixes"].as_array() {
            with_fixes += 1;
            let change = &fixes[0]["artifactChanges"][0];
            assert_eq!(change["artifactLocation"]["uri"], uri);
            assert!(!change["replacements"].as_array().unwrap().is_empty());
        }
    }
    assert!(with_fixes > 10, "{with_fixes} results with fixes");
}

#[test]
fn sarif_fix_replacements_rebuild_the_fixed_file() {
    // `os` stays in use: the SARIF fix does not remove an import --fix would drop.
    let dir = tree(&[(
        "app.py",
        "import os\n\ntoken = os.getenv(\"API_TOKEN\")\nprint(os.getcwd())\n",
    )]);
    let (_, log) = sarif(dir.path(), &[]);
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "py-os-getenv");
    assert_eq!(result["level"], "error");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endColumn"]
        ),
        (&Value::from(3), &Value::from(9), &Value::from(31))
    );
    let replacements = result["fixes"][0]["artifactChanges"][0]["replacements"]
        .as_array()
        .unwrap();
    // Applied from the last to the first, the replacements give what --fix writes.
    let mut lines: Vec<String> = read(dir.path(), "app.py")
        .split_inclusive('\n')
        .map(String::from)
        .collect();
    for r in replacements.iter().rev() {
        let d = &r["deletedRegion"];
        let (sl, sc, el, ec) = (
            d["startLine"].as_u64().unwrap() as usize - 1,
            d["startColumn"].as_u64().unwrap() as usize - 1,
            d["endLine"].as_u64().unwrap() as usize - 1,
            d["endColumn"].as_u64().unwrap() as usize - 1,
        );
        assert_eq!(sl, el, "single-line edits in this file");
        let line: Vec<char> = lines[sl].chars().collect();
        let new: String = line[..sc].iter().collect::<String>()
            + r["insertedContent"]["text"].as_str().unwrap()
            + &line[ec..].iter().collect::<String>();
        lines[sl] = new;
    }
    let patched = lines.concat();
    shush(dir.path()).args(["check", "--fix"]).assert().code(0);
    assert_eq!(patched, read(dir.path(), "app.py"));
}

/// `text` with SARIF replacements applied (1-based lines and columns of characters).
fn apply_replacements(text: &str, replacements: &[Value]) -> String {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |line: &Value, column: &Value| {
        let start = starts[line.as_u64().unwrap() as usize - 1];
        let column = column.as_u64().unwrap() as usize - 1;
        start
            + text[start..]
                .char_indices()
                .nth(column)
                .map_or(text.len() - start, |(i, _)| i)
    };
    let mut edits: Vec<(usize, usize, &str)> = replacements
        .iter()
        .map(|r| {
            let d = &r["deletedRegion"];
            (
                offset(&d["startLine"], &d["startColumn"]),
                offset(&d["endLine"], &d["endColumn"]),
                r["insertedContent"]["text"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort();
    let mut out = text.to_string();
    for (start, end, new) in edits.into_iter().rev() {
        out.replace_range(start..end, new);
    }
    out
}

#[test]
fn sarif_fix_removes_the_import_it_leaves_unused_as_fix_does() {
    let dir = tree(&[(
        "app.py",
        "\"\"\"The app.\"\"\"\nimport os\nimport sys\n\ntoken = os.getenv(\"API_TOKEN\")\nprint(sys.argv)\n",
    )]);
    let (_, log) = sarif(dir.path(), &[]);
    let result = &log["runs"][0]["results"][0];
    let replacements = result["fixes"][0]["artifactChanges"][0]["replacements"]
        .as_array()
        .unwrap();
    let patched = apply_replacements(&read(dir.path(), "app.py"), replacements);
    assert!(!patched.contains("import os"), "{patched}");
    shush(dir.path()).args(["check", "--fix"]).assert().code(0);
    assert_eq!(patched, read(dir.path(), "app.py"));
}

#[test]
fn sarif_fingerprints_survive_lines_inserted_above() {
    let before = "import os\n\nKEY = os.environ[\"STRIPE_KEY\"]\nGH = \"ghp_FAKE23456789abcdefghijklmnopqrstuvwx\"\nlevel = os.getenv(\"LOG_LEVEL\")\n";
    let dir = tree(&[("svc/app.py", before)]);
    let prints = |dir: &Path| -> BTreeMap<String, (String, u64)> {
        let (_, log) = sarif(dir, &[]);
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["shush/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    (
                        r["ruleId"].as_str().unwrap().to_string(),
                        r["locations"][0]["physicalLocation"]["region"]["startLine"]
                            .as_u64()
                            .unwrap(),
                    ),
                )
            })
            .collect()
    };
    let first = prints(dir.path());
    assert_eq!(first.len(), 3, "{first:?}");
    let moved = format!("# one\n# two\n\n\"\"\"three\nfour\"\"\"\n{before}");
    write(dir.path(), "svc/app.py", moved.as_bytes());
    let second = prints(dir.path());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (print, (rule, line)) in &first {
        assert_eq!(second[print], (rule.clone(), line + 5));
    }
}

#[test]
fn sarif_never_shows_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("fixtures/secrets"), dir.path());
    let secrets = secret_values(dir.path());
    assert!(secrets.len() >= 19, "{secrets:?}");
    for args in [&[][..], &["--show-secrets"]] {
        let (text, log) = sarif(dir.path(), args);
        assert!(!log["runs"][0]["results"].as_array().unwrap().is_empty());
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{args:?} shows {secret}");
        }
    }
}

#[test]
fn github_annotations_escape_properties_and_data() {
    let dir = tree(&[
        (
            "we,ird:dir/app.py",
            "import os\n\nrate = os.getenv(\"RATE_100%\")\nGH = \"ghp_FAKE23456789abcdefghijklmnopqrstuvwx\"\n",
        ),
        (
            "src/lib.rs",
            "fn f() { let _ = std::env::var(\"LOG_LEVEL\"); }\n",
        ),
    ]);
    let text = output(dir.path(), &["--format", "github"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let env = lines
        .iter()
        .find(|l| l.contains("title=py-os-getenv"))
        .unwrap();
    assert!(
        env.starts_with(
            "::warning file=we%2Cird%3Adir/app.py,line=3,col=8,endLine=3,endColumn=30,title=py-os-getenv::"
        ),
        "{env}"
    );
    let message = env.split_once("::").unwrap().1.split_once("::").unwrap().1;
    // The `%` of the name is escaped; the fix goes on a second line of the message.
    assert!(message.contains("RATE_100%25"), "{message}");
    assert!(message.contains("%0Afix: "), "{message}");
    assert!(!message.contains('\n') && !message.contains("%\""));
    let secret = lines
        .iter()
        .find(|l| l.contains("title=secret-github-pat"))
        .unwrap();
    assert!(secret.starts_with("::error file=we%2Cird%3Adir/app.py,line=4,"));
    assert!(secret.contains("rotate this secret"));
    assert!(!secret.contains("ghp_FAKE2345"));
    assert!(lines.iter().any(|l| l.starts_with(
        "::warning file=src/lib.rs,line=1,col=18,endLine=1,endColumn=44,title=rs-env-var::"
    )));
}

fn element(e: &quick_xml::events::BytesStart) -> (String, BTreeMap<String, String>) {
    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            (
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .expect("valid escapes")
                    .into_owned(),
            )
        })
        .collect();
    (name, attrs)
}

/// Elements and attributes of an XML document, checking it is well-formed.
fn parse_xml(text: &str) -> Vec<(String, BTreeMap<String, String>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut elements = Vec::new();
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                elements.push(element(&e));
            }
            Ok(Event::Empty(e)) => elements.push(element(&e)),
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Text(t)) => {
                t.decode().expect("valid text");
            }
            Ok(Event::GeneralRef(r)) => {
                let name = r.decode().unwrap();
                assert!(
                    ["amp", "lt", "gt", "quot", "apos"].contains(&name.as_ref())
                        || name.starts_with('#'),
                    "undefined entity &{name};"
                );
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{text}",
                reader.error_position()
            ),
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
    elements
}

#[test]
fn junit_is_well_formed_with_one_case_per_finding() {
    let dir = tree(&[
        (
            "a&b'<c>.py",
            "import os\nkey = os.getenv(\"API_KEY\")\nlevel = os.getenv(\"LOG_LEVEL\")\n",
        ),
        ("x.ts", "export const t = process.env.GITHUB_TOKEN;\n"),
    ]);
    let text = output(dir.path(), &["--format", "junit"]);
    let elements = parse_xml(&text);
    let count = |name: &str| elements.iter().filter(|(n, _)| n == name).count();
    assert_eq!(count("testsuites"), 1);
    assert_eq!(count("testsuite"), 1);
    assert_eq!(count("testcase"), 3);
    assert_eq!(count("failure"), 3);
    let suite = &elements.iter().find(|(n, _)| n == "testsuite").unwrap().1;
    assert_eq!(suite["name"], "shush");
    assert_eq!(suite["tests"], "3");
    assert_eq!(suite["failures"], "3");
    let cases: Vec<&BTreeMap<String, String>> = elements
        .iter()
        .filter(|(n, _)| n == "testcase")
        .map(|(_, a)| a)
        .collect();
    assert_eq!(cases[0]["classname"], "a&b'<c>.py");
    assert_eq!(cases[0]["name"], "py-os-getenv at line 2");
    let types: Vec<&str> = elements
        .iter()
        .filter(|(n, _)| n == "failure")
        .map(|(_, a)| a["type"].as_str())
        .collect();
    assert_eq!(types, ["error", "warning", "error"]);

    // Nothing found: one passing case, so the CI still sees a run.
    let clean = tree(&[("ok.py", "print('hello')\n")]);
    let text = output(clean.path(), &["--format", "junit"]);
    let elements = parse_xml(&text);
    assert_eq!(elements.iter().filter(|(n, _)| n == "testcase").count(), 1);
    assert_eq!(elements.iter().filter(|(n, _)| n == "failure").count(), 0);
    assert!(text.contains("tests=\"1\" failures=\"0\""), "{text}");
}

#[test]
fn fail_on_error_reports_warnings_but_exits_zero() {
    let warn = tree(&[("app.py", "import os\nlevel = os.getenv(\"LOG_LEVEL\")\n")]);
    shush(warn.path()).args(["check"]).assert().code(1);
    shush(warn.path())
        .args(["check", "--fail-on", "warning"])
        .assert()
        .code(1);
    let out = shush(warn.path())
        .args(["check", "--fail-on", "error", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("::warning "), "{}", stdout(&out));

    let err = tree(&[("app.py", "import os\nkey = os.getenv(\"API_KEY\")\n")]);
    for format in ["human", "json", "sarif", "github", "junit"] {
        shush(err.path())
            .args(["check", "--fail-on", "error", "--format", format])
            .assert()
            .code(1);
        shush(err.path())
            .args([
                "check",
                "--fail-on",
                "error",
                "--exit-zero",
                "--format",
                format,
            ])
            .assert()
            .code(0);
    }
    shush(err.path())
        .args(["check", "--fail-on", "info"])
        .assert()
        .code(2);
}

/// A file name or a source line with terminal escape sequences (clear the screen, colour,
/// a right-to-left override) reaches the terminal as visible symbols, never raw, and the
/// underline still sits under the read.
#[test]
fn human_output_never_sends_control_characters_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "e\x1b[2Jvil.py",
        "import os\n# \x1b]0;owned\x07 \u{202e}txt.exe\nTOKEN = \"\x1b[31m\" + os.getenv(\"API_TOKEN\")\n"
            .as_bytes(),
    );
    write(
        dir.path(),
        "odd\nname.py",
        b"import os\nKEY = os.getenv(\"API_KEY\")\n",
    );
    let out = shush(dir.path()).args(["check", "."]).output().unwrap();
    let (text, notes) = (stdout(&out), stderr(&out));
    for (what, s) in [("stdout", &text), ("stderr", &notes)] {
        let raw: Vec<char> = s
            .chars()
            .filter(|&c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c))
            .collect();
        assert!(raw.is_empty(), "{what} sends {raw:?}:\n{s}");
    }
    assert!(text.contains("e\u{241b}[2Jvil.py:3:"), "{text}");
    assert!(
        text.contains("odd\u{240a}name.py:2:7: error py-os-getenv"),
        "{text}"
    );
    assert!(
        text.contains("# \u{241b}]0;owned\u{2407} \u{fffd}txt.exe"),
        "{text}"
    );
    // The underline starts under `os.getenv`, counted on the line as shown.
    let lines: Vec<&str> = text.lines().collect();
    let code = lines
        .iter()
        .position(|l| l.contains("TOKEN = \"\u{241b}[31m\""))
        .expect(&text);
    let read_at = lines[code].find("os.getenv").unwrap();
    let under = lines[code + 1];
    let mark = under.find('─').expect(under);
    assert_eq!(
        lines[code][..read_at].chars().count(),
        under[..mark].chars().count(),
        "{}\n{}",
        lines[code],
        under
    );
}
