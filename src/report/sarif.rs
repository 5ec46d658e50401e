//! SARIF 2.1.0 output for code scanning (GitHub accepts it): every rule that ran with its
//! help, one result per finding with a stable `shush/v1` fingerprint and the fix as
//! replacements. Never writes a secret: only previews, and `--show-secrets` changes
//! nothing here (a SARIF log is uploaded and kept).

use std::io::{self, Write};
use std::path::Path;

use serde_json::{Value, json};

use crate::detect::{Applicability, Finding, Severity};
use crate::outcome::{FileResult, Outcome};
use crate::report::{advice, fingerprints, mask_all, path_string, secrets_of, standalone_edits};
use crate::rules::RuleSet;
use crate::rules::catalog::{Family, RuleInfo, catalog};
use crate::source::SourceFile;

/// The schema the log declares.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The `partialFingerprints` key of shush's fingerprint (its version is the `v1`).
pub const FINGERPRINT_KEY: &str = "shush/v1";
/// The `partialFingerprints` key of a history finding's fingerprint with its commit.
pub const HISTORY_FINGERPRINT_KEY: &str = "shush/history/v1";
/// The base the result paths are relative to.
const SRCROOT: &str = "%SRCROOT%";

/// Writes the outcome as one SARIF log. `base` is the directory result paths are
/// relative to; `is_ignored` says which rules the config switched off (not listed).
pub fn write(
    outcome: &Outcome,
    rules: &RuleSet,
    is_ignored: &dyn Fn(&str) -> bool,
    base: &Path,
    out: &mut dyn Write,
) -> io::Result<()> {
    let infos: Vec<RuleInfo> = catalog(rules)
        .into_iter()
        .filter(|r| !is_ignored(r.id))
        .collect();
    let mut descriptors: Vec<Value> = infos.iter().map(descriptor).collect();
    let mut index: std::collections::HashMap<&str, usize> =
        infos.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut results = Vec::new();
    for file in &outcome.files {
        let secrets = secrets_of(file);
        let prints = fingerprints(file);
        for (finding, print) in file.findings.iter().zip(prints) {
            // A rule missing from the catalog still gets a descriptor: results must
            // point at one.
            let at = *index.entry(finding.rule).or_insert_with(|| {
                descriptors.push(fallback_descriptor(finding));
                descriptors.len() - 1
            });
            results.push(result(file, finding, at, &print, &secrets));
        }
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "shush",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": descriptors,
                }
            },
            "originalUriBaseIds": {
                SRCROOT: { "uri": dir_uri(base) }
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation(outcome)],
            "results": results,
        }]
    });
    let mut log = log;
    if let Some(repo) = &outcome.repository {
        let mut details = json!({ "repositoryUri": repo.uri });
        if let Some(head) = &repo.head {
            details["revisionId"] = json!(head);
        }
        if let Some(branch) = &repo.branch {
            details["branch"] = json!(branch);
        }
        log["runs"][0]["versionControlProvenance"] = json!([details]);
    }
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn descriptor(rule: &RuleInfo) -> Value {
    let (text, markdown) = help(rule);
    let mut tags = vec!["security".to_string(), "secrets".to_string()];
    tags.extend(family_tags(rule.family).iter().map(|t| t.to_string()));
    tags.extend(rule.tags.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    tags.retain(|t| seen.insert(t.clone()));
    json!({
        "id": rule.id,
        "name": pascal_case(rule.id),
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": full_description(rule) },
        "help": { "text": text, "markdown": markdown },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": tags,
            "precision": rule.precision.unwrap_or("high"),
            "security-severity": security_severity(rule),
        }
    })
}

/// For a finding whose rule is in no pack (it should not happen): a bare descriptor.
fn fallback_descriptor(finding: &Finding) -> Value {
    json!({
        "id": finding.rule,
        "name": pascal_case(finding.rule),
        "shortDescription": { "text": finding.rule },
        "defaultConfiguration": { "level": level(finding.severity) },
        "properties": { "tags": ["security", "secrets"] }
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `py-os-getenv` → `PyOsGetenv`.
pub fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn family_tags(family: Family) -> &'static [&'static str] {
    match family {
        Family::EnvRead | Family::DynamicKey => &["environment"],
        Family::ClientExposure => &["environment", "client-exposure"],
        // CWE-798: use of hard-coded credentials.
        Family::Secret { .. } => &["hardcoded-secret", "external/cwe/cwe-798"],
        // CWE-538: insertion of sensitive information into an externally accessible file.
        Family::Dotenv => &["dotenv", "external/cwe/cwe-538"],
    }
}

/// GitHub's `security-severity`: a CVSS-like score as a string; ≥ 7.0 shows as high,
/// ≥ 9.0 critical, ≥ 4.0 medium.
fn security_severity(rule: &RuleInfo) -> &'static str {
    match (rule.family, rule.severity) {
        (Family::Secret { .. }, Severity::Error) => "8.5",
        (Family::Dotenv, Severity::Error) if rule.id == "dotenv-tracked" => "8.5",
        (Family::ClientExposure, _) => "8.0",
        (_, Severity::Error) => "7.0",
        (_, Severity::Warning) => "4.0",
        (_, Severity::Info) => "1.0",
    }
}

fn full_description(rule: &RuleInfo) -> String {
    match rule.family {
        Family::EnvRead => format!(
            "Finds {}. A secret read straight from the process environment bypasses the \
             configuration loader; reads of secret-looking names are errors, other \
             configuration reads are warnings.",
            rule.summary
        ),
        Family::DynamicKey => format!(
            "Finds {}. The variable name is computed, so shush cannot tell which key it \
             reads nor rewrite it.",
            rule.summary
        ),
        Family::ClientExposure => format!(
            "Finds {}. Bundlers inline variables with this prefix into browser code, so \
             the value ships to every visitor.",
            rule.summary
        ),
        Family::Secret { generic } => format!(
            "Finds a {} written into the code{}. Anyone who can read the repository or its \
             history can use it.",
            rule.summary,
            if generic {
                " (a high-entropy value assigned to a secret-looking name)"
            } else {
                ""
            }
        ),
        Family::Dotenv => format!(
            "Finds a {}. .env files hold environment values, usually secrets, and must \
             not reach the repository.",
            rule.summary
        ),
    }
}

/// The rule's help as plain text and as Markdown: what it finds, the fix, and for
/// secrets the rotation.
fn help(rule: &RuleInfo) -> (String, String) {
    let fix_line = match rule.fix {
        Some(Applicability::Safe) => "`shush check --fix` applies the fix.",
        Some(Applicability::Unsafe) => {
            "`shush check --fix --unsafe-fixes` applies the fix; review it, it may change behaviour."
        }
        None => "There is no automatic fix.",
    };
    let what = full_description(rule);
    let todo: Vec<&str> = match rule.family {
        Family::EnvRead => vec![
            "Read the value through the configured loader instead (`get_config_value(\"key\")` by default), which takes it from the secret store.",
            fix_line,
            "Suppress a read that must stay with `# shush: ignore[rule-id]` on its line.",
        ],
        Family::DynamicKey => vec![
            "Rewrite the read by hand to a loader call with a literal key, or suppress it with a `shush: ignore` comment.",
            fix_line,
        ],
        Family::ClientExposure => vec![
            "Do not expose a secret to the browser: serve whatever needs it from the server, rename the variable without the public prefix, and rotate the secret, since it has already shipped.",
            fix_line,
        ],
        Family::Secret { .. } => vec![
            "Rotate the secret now: it is in the git history, so removing it from the file is not enough.",
            "Then store it in the secret store and read it through the configured loader.",
            "In a Python, TypeScript or Rust assignment, `shush check --fix --unsafe-fixes` replaces the literal by a loader call named after the variable.",
            "A false positive (a test fixture, an example) can be suppressed with `shush: ignore[rule-id]` on its line.",
        ],
        Family::Dotenv => vec![
            "Add the file to `.gitignore` (`shush check --fix` does, and never edits or deletes the .env file).",
            "If git tracks it, run `git rm --cached FILE` and rotate every secret it held: they are in the history.",
            "Better: move its values into the secret store and load them through the configured loader.",
        ],
    };
    let text = format!("{what}\n\n{}", todo.join("\n"));
    let markdown = format!(
        "## {}\n\n{what}\n\n### How to fix\n\n{}\n\nRule id: `{}`.",
        rule.summary,
        todo.iter()
            .map(|l| format!("- {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
        rule.id
    );
    (text, markdown)
}

fn result(
    file: &FileResult,
    finding: &Finding,
    rule_index: usize,
    fingerprint: &str,
    secrets: &[(&str, usize)],
) -> Value {
    let src = &file.source;
    let mut text = finding.message.clone();
    for line in advice(finding) {
        text.push_str(&format!("\n{line}"));
    }
    let location = artifact_location(&src.path);
    let place = if super::whole_file(finding) {
        json!({ "startLine": 1 })
    } else {
        region(src, finding.span.start, finding.span.end)
    };
    let mut result = json!({
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": { "text": mask_all(&text, secrets) },
        "locations": [{
            "physicalLocation": { "artifactLocation": location.clone(), "region": place }
        }],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
    });
    if let Some(commit) = &file.commit {
        // Stable across runs while the history is: the finding's fingerprint at the
        // commit that introduced it.
        use sha2::{Digest, Sha256};
        let print = Sha256::digest(format!("{fingerprint}\0{}", commit.id).as_bytes());
        result["partialFingerprints"][HISTORY_FINGERPRINT_KEY] = json!(format!("{print:x}"));
    }
    let edits = standalone_edits(file, finding);
    if let (Some(fix), false) = (&finding.fix, edits.is_empty()) {
        let replacements: Vec<Value> = edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": region(src, e.range.start, e.range.end),
                    "insertedContent": { "text": mask_all(&e.content, secrets) },
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": { "text": mask_all(&fix.title, secrets) },
            "artifactChanges": [{ "artifactLocation": location, "replacements": replacements }],
        }]);
    }
    let mut properties = serde_json::Map::new();
    if let Some(secret) = &finding.secret {
        properties.insert("secretPreview".into(), json!(secret.preview));
        properties.insert("secretLength".into(), json!(secret.length));
        properties.insert("confidence".into(), json!(secret.confidence.as_str()));
        // SARIF's rank (0–100): how sure the tool is of this result.
        result["rank"] = json!(match secret.confidence {
            crate::detect::Confidence::High => 90.0,
            crate::detect::Confidence::Medium => 60.0,
            crate::detect::Confidence::Low => 30.0,
        });
    }
    if let Some(name) = &finding.env_name {
        properties.insert("envName".into(), json!(name));
    }
    if let Some(commit) = &file.commit {
        properties.insert("commit".into(), json!(commit.id));
        properties.insert("commitDate".into(), json!(commit.date));
        properties.insert("inHead".into(), json!(commit.in_head));
    }
    if let Some(fix) = &finding.fix {
        properties.insert(
            "fixApplicability".into(),
            json!(match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            }),
        );
    }
    if !properties.is_empty() {
        result["properties"] = Value::Object(properties);
    }
    result
}

/// 1-based lines and columns (Unicode code points), end exclusive, as SARIF wants.
fn region(src: &SourceFile, start: usize, end: usize) -> Value {
    let s = src.position(start);
    let e = src.position(end);
    json!({
        "startLine": s.line,
        "startColumn": s.column,
        "endLine": e.line,
        "endColumn": e.column,
    })
}

/// A relative path against `%SRCROOT%`; a path outside the base as an absolute file URI.
fn artifact_location(path: &Path) -> Value {
    let shown = path_string(path);
    if path.is_absolute() {
        json!({ "uri": file_uri(&shown) })
    } else {
        json!({ "uri": encode(&shown, false), "uriBaseId": SRCROOT })
    }
}

/// `base` as a `file:` URI ending with `/`.
fn dir_uri(base: &Path) -> String {
    let mut uri = file_uri(&path_string(base));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

fn file_uri(path: &str) -> String {
    // `C:/x` on Windows becomes `file:///C:/x`.
    let slash = if path.starts_with('/') { "" } else { "/" };
    format!("file://{slash}{}", encode(path, true))
}

/// Percent-encodes everything but unreserved characters and `/` (and `:` when it is
/// allowed: in an absolute path, where it cannot read as a scheme).
fn encode(path: &str, colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b':' if colon => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn invocation(outcome: &Outcome) -> Value {
    let notifications: Vec<Value> = outcome
        .notes
        .iter()
        .filter(|n| n.explicit || n.skipped.is_none_or(|r| r.noteworthy()))
        .map(|n| {
            let mut v = json!({
                "level": if n.skipped.is_some() { "note" } else { "warning" },
                "message": { "text": n.message },
            });
            if let Some(path) = &n.path {
                v["locations"] =
                    json!([{ "physicalLocation": { "artifactLocation": artifact_location(path) } }]);
            }
            v
        })
        .collect();
    json!({
        "executionSuccessful": !outcome.failed,
        "toolExecutionNotifications": notifications,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("py-os-getenv"), "PyOsGetenv");
        assert_eq!(
            pascal_case("secret-aws-access-key-id"),
            "SecretAwsAccessKeyId"
        );
        assert_eq!(encode("a b/c:d,e%.py", false), "a%20b/c%3Ad%2Ce%25.py");
        assert_eq!(dir_uri(Path::new("/work/x y")), "file:///work/x%20y/");
        assert_eq!(dir_uri(Path::new("C:/src/")), "file:///C:/src/");
    }
}
