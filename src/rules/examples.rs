//! Runs the examples rule packs carry: each positive example must produce its findings,
//! each negative none, and each fixable one must converge to its `fixed` text. The same
//! code serves the test suite and `shush rules check DIR`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use crate::rules::{EMBEDDED, RuleSet, compile_env_pack, language_of_pack, parse_env_pack};
use crate::scan::{analyze, converge};
use crate::source::{Language, SourceFile};
use crate::{Config, Context, exit};

/// One example that did not behave as its pack says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub pack: String,
    pub rule: String,
    pub example: usize,
    pub message: String,
}

/// Checks every example of one pack; `Err` when the pack itself is invalid.
pub fn check_pack(
    name: &str,
    text: &str,
) -> Result<(usize, Vec<Failure>), crate::rules::PackError> {
    let default_path = match language_of_pack(name) {
        Some(Language::TypeScript) => "example.ts",
        Some(Language::Rust) => "example.rs",
        _ => "example.py",
    };
    let (pack, rules) = if EMBEDDED.iter().any(|(n, _)| *n == name) {
        let pack = parse_env_pack(name, text)?;
        let mut rules = RuleSet::default();
        rules.set(name, compile_env_pack(&pack));
        (pack, Arc::new(rules))
    } else {
        // A team's pack runs beside the embedded pack of its language, as in a scan:
        // its rules may name the embedded ones (`dynamic-rule`), and replace them.
        let language = language_of_pack(name);
        let embedded = EMBEDDED
            .iter()
            .find(|(n, _)| language_of_pack(n) == language)
            .map_or(Vec::new(), |(_, t)| crate::rules::secrets::rule_ids(t));
        let embedded: Vec<&str> = embedded.iter().map(String::as_str).collect();
        let pack = crate::rules::parse_env_pack_beside(name, text, &embedded)?;
        let rules =
            RuleSet::with_pack_texts(vec![(name.to_string(), text.to_string())], true, &[])?;
        (pack, rules)
    };
    let ctx = Context {
        rules,
        ..Context::new(Config::default())
    };
    let mut failures = Vec::new();
    let mut count = 0;
    for rule in &pack.rules {
        for (i, example) in rule.examples.iter().enumerate() {
            count += 1;
            let fail = |message: String| Failure {
                pack: name.to_string(),
                rule: rule.id.clone(),
                example: i + 1,
                message,
            };
            let path = PathBuf::from(example.path.as_deref().unwrap_or(default_path));
            let language = Language::from_path(&path);
            let file = SourceFile::new(path, language, example.code.clone());
            let analysis = analyze(&file, &ctx);
            let found = analysis
                .findings
                .iter()
                .filter(|f| f.rule == rule.id)
                .count();
            let expected = example.findings.unwrap_or(1);
            if found != expected {
                failures.push(fail(format!(
                    "expected {expected} finding(s), found {found}"
                )));
            }
            let fixed = converge(&file, analysis, &ctx, true);
            match &example.fixed {
                Some(want) if &fixed.source.text != want => failures.push(fail(format!(
                    "fixed text differs:\n--- expected\n{want}\n--- got\n{}",
                    fixed.source.text
                ))),
                None if fixed.source.text != file.text => failures.push(fail(format!(
                    "example has no `fixed` but fixes changed it to:\n{}",
                    fixed.source.text
                ))),
                _ => {}
            }
        }
    }
    Ok((count, failures))
}

/// Checks a secret pack: every example must be found by its rule, no negative example.
pub fn check_secret_pack(
    name: &str,
    text: &str,
) -> Result<(usize, Vec<Failure>), crate::rules::PackError> {
    let (pack, compiled) = crate::rules::secrets::compile(name, text, true)?;
    let ctx = Context {
        rules: Arc::new(RuleSet {
            secrets: compiled,
            ..RuleSet::default()
        }),
        ..Context::new(Config::default())
    };
    let mut failures = Vec::new();
    let mut count = 0;
    for rule in &pack.rules {
        let cases = rule
            .examples
            .iter()
            .map(|e| (e, true))
            .chain(rule.negative_examples.iter().map(|e| (e, false)));
        for (i, (example, positive)) in cases.enumerate() {
            count += 1;
            // What the rule itself matches, before one rule is chosen per secret.
            let found = crate::detect::secrets::matches(
                example,
                std::path::Path::new("example.txt"),
                &ctx.rules.secrets,
            )
            .iter()
            .any(|hit| ctx.rules.secrets.rules[hit.rule].id == rule.id);
            if found != positive {
                failures.push(Failure {
                    pack: name.to_string(),
                    rule: rule.id.clone(),
                    example: i + 1,
                    message: if positive {
                        "the example is not found".into()
                    } else {
                        "the negative example is found".into()
                    },
                });
            }
        }
    }
    Ok((count, failures))
}

/// A pack's examples, whichever kind of pack it is (by file name).
fn check_any(name: &str, text: &str) -> Result<(usize, Vec<Failure>), crate::rules::PackError> {
    let stem = std::path::Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if stem.starts_with("secrets") {
        check_secret_pack(name, text)
    } else if stem == "env-platform" {
        let cat = crate::rules::platform::Catalogue::parse(name, text)?;
        let (count, failures) = crate::rules::platform::check_examples(&cat);
        let failures = failures
            .into_iter()
            .map(|f| Failure {
                pack: name.to_string(),
                rule: f.group,
                example: f.example,
                message: f.message,
            })
            .collect();
        Ok((count, failures))
    } else {
        check_pack(name, text)
    }
}

/// The embedded packs' examples.
pub fn check_embedded() -> Vec<Failure> {
    EMBEDDED
        .iter()
        .chain(crate::rules::SECRETS)
        .chain([&crate::rules::platform::EMBEDDED])
        .flat_map(|(name, text)| check_any(name, text).expect("embedded pack parses").1)
        .collect()
}

/// `shush rules check [DIR]`.
pub fn run(dir: Option<PathBuf>, out: &mut dyn Write) -> miette::Result<i32> {
    let packs: Vec<(String, String)> = match dir {
        // The embedded packs, and the `packs` of the config found from here.
        None => {
            let cwd = std::env::current_dir().map_err(|e| miette::miette!("{e}"))?;
            let config = Config::discover(&cwd)?;
            let mut packs: Vec<(String, String)> = EMBEDDED
                .iter()
                .chain(crate::rules::SECRETS)
                .chain([&crate::rules::platform::EMBEDDED])
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect();
            for p in &config.packs {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| miette::miette!("cannot read {}: {e}", p.display()))?;
                let shown = crate::source::display_path(p, &cwd);
                packs.push((shown.display().to_string(), text));
            }
            packs
        }
        Some(dir) => {
            let files: Vec<PathBuf> = if dir.is_dir() {
                let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
                    .map_err(|e| miette::miette!("cannot read {}: {e}", dir.display()))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect();
                v.sort();
                v
            } else {
                vec![dir]
            };
            files
                .into_iter()
                .map(|p| {
                    std::fs::read_to_string(&p)
                        .map(|t| (p.display().to_string(), t))
                        .map_err(|e| miette::miette!("cannot read {}: {e}", p.display()))
                })
                .collect::<miette::Result<_>>()?
        }
    };
    let mut failed = false;
    let io = |e: std::io::Error| miette::miette!("{e}");
    for (name, text) in packs {
        let (count, failures) = check_any(&name, &text)?;
        for f in &failures {
            writeln!(
                out,
                "FAIL {} {} example {}: {}",
                f.pack, f.rule, f.example, f.message
            )
            .map_err(io)?;
        }
        writeln!(out, "{name}: {} examples, {} failed", count, failures.len()).map_err(io)?;
        failed |= !failures.is_empty();
    }
    Ok(if failed { exit::FINDINGS } else { exit::CLEAN })
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_examples_hold() {
        let failures = super::check_embedded();
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
