//! Reporters: one module per output format, all reading the same sorted `Outcome`.
//! They write to the writer they are given and never decide what a finding is.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod remediation;
pub mod sarif;
pub mod stats;
pub mod terminal;

use crate::detect::Finding;
use crate::fix::Edit;
use crate::outcome::FileResult;

/// `a.py:3, b.ts:9, +2 more`: the first `max` of `places` (path, line).
pub fn list_places<'a>(places: impl IntoIterator<Item = (&'a str, usize)>, max: usize) -> String {
    let mut shown = Vec::new();
    let mut more = 0;
    for (path, line) in places {
        if shown.len() < max {
            shown.push(format!("{path}:{line}"));
        } else {
            more += 1;
        }
    }
    if more > 0 {
        shown.push(format!("+{more} more"));
    }
    shown.join(", ")
}

/// A finding's fix as edits that can be applied on their own: the fix's edits, the
/// loader import when the file lacks it, and the removal of the imports the fix alone
/// leaves unused.
pub fn standalone_edits(file: &FileResult, finding: &Finding) -> Vec<Edit> {
    let Some(fix) = &finding.fix else {
        return Vec::new();
    };
    // As `--fix` would apply this fix alone: with the import it needs and the removal
    // of the imports it leaves unused.
    let mut edits = crate::fix::plan_edits(&file.source.text, &[fix], &file.analysis_plan).edits;
    // A rewrite template's own imports, placed in the text as it is (`--fix` places
    // them once the rewrite is in); one that would touch another edit is left out.
    for line in &fix.imports {
        let Ok(Some(edit)) = crate::detect::import_edit(&file.source, line) else {
            continue;
        };
        // Overlapping ranges, or an insertion inside the other's range (two insertions
        // at one place both go in).
        let touches = |e: &Edit| {
            let (a, b) = (&e.range, &edit.range);
            (a.start < b.end && b.start < a.end)
                || (a.is_empty() && b.start < a.start && a.start < b.end)
                || (b.is_empty() && a.start < b.start && b.start < a.end)
        };
        if !edits.iter().any(touches) {
            edits.push(edit);
        }
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits
}

/// `text` with every secret the findings point at masked: the preview's characters
/// stay, the rest become `*` (byte for byte, so offsets still hold).
pub fn mask_secrets(text: &str, findings: &[Finding]) -> String {
    let secrets: Vec<(&str, usize)> = findings
        .iter()
        .filter_map(|f| {
            f.secret
                .as_ref()
                .map(|s| (&text[f.span.clone()], s.shown()))
        })
        .collect();
    mask_all(text, &secrets)
}

/// `text` as a snippet may show it: the findings' secrets masked, and any other token
/// that looks machine-made (random, 16 characters or more) on the lines within
/// `context` of a finding masked too, in case it is a secret no rule found. Byte for
/// byte, so offsets still hold.
pub fn mask_for_display(text: &str, findings: &[Finding], context: usize) -> String {
    let mut out = mask_secrets(text, findings).into_bytes();
    let bytes = text.as_bytes();
    let line_start = |at: usize| memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let line_end = |at: usize| memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
    let mut ranges: Vec<(usize, usize)> = findings
        .iter()
        .map(|f| {
            let mut start = line_start(f.span.start.min(bytes.len()));
            let mut end = line_end(f.span.end.min(bytes.len()));
            for _ in 0..context {
                start = line_start(start.saturating_sub(1));
                end = line_end((end + 1).min(bytes.len()));
            }
            (start, end)
        })
        .collect();
    ranges.sort_unstable();
    let mut last_end = 0;
    for (start, end) in ranges {
        let start = start.max(last_end);
        if start >= end {
            continue;
        }
        last_end = end;
        mask_machine_made(text, start..end, &mut out);
    }
    String::from_utf8(out).expect("only ASCII bytes were replaced")
}

/// `diff` (a unified diff) with every machine-made token on its context and changed lines
/// masked as `mask_for_display` masks them, and how many were masked: a secret no rule
/// found may stand next to a fix.
pub fn mask_diff(diff: &str) -> (String, usize) {
    let mut out = String::with_capacity(diff.len());
    let mut masked = 0;
    for line in diff.split_inclusive('\n') {
        let header = line.starts_with("---") || line.starts_with("+++") || line.starts_with("@@");
        if header || !line.starts_with([' ', '-', '+']) {
            out.push_str(line);
            continue;
        }
        let mut bytes = line.as_bytes().to_vec();
        // After the diff's own `+`, `-` or ` `.
        masked += mask_machine_made(line, 1..line.len(), &mut bytes);
        out.push_str(std::str::from_utf8(&bytes).expect("only ASCII bytes were replaced"));
    }
    (out, masked)
}

/// Masks in `out` (the bytes of `text`) every machine-made token of `text[range]`,
/// keeping its first four characters; returns how many it masked.
fn mask_machine_made(text: &str, range: std::ops::Range<usize>, out: &mut [u8]) -> usize {
    let bytes = text.as_bytes();
    let token = |b: u8| b.is_ascii_alphanumeric() || b"+/=_-.~".contains(&b);
    let mut masked = 0;
    let mut i = range.start;
    while i < range.end {
        if !token(bytes[i]) {
            i += 1;
            continue;
        }
        let from = i;
        while i < range.end && token(bytes[i]) {
            i += 1;
        }
        if machine_made(&text[from..i]) {
            masked += 1;
            for b in &mut out[from + 4..i] {
                *b = b'*';
            }
        }
    }
    masked
}

/// A token that looks generated, not written: 16 characters or more, letters and digits,
/// random by `looks_random`, and not a `CONSTANT_NAME` or a dotted path of names.
fn machine_made(word: &str) -> bool {
    let b = word.as_bytes();
    if b.len() < 16 || !b.iter().any(u8::is_ascii_digit) || !b.iter().any(u8::is_ascii_alphabetic) {
        return false;
    }
    let constant = word.contains('_')
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_');
    !constant
        && !word
            .split(['.', '=', ':'])
            .all(crate::detect::secrets::value::is_identifier)
        && crate::detect::secrets::value::looks_random(word)
}

/// Masks every occurrence of each secret in `text` (keeping `shown` leading characters).
pub fn mask_all(text: &str, secrets: &[(&str, usize)]) -> String {
    let mut out = text.to_string();
    for (secret, shown) in secrets {
        if secret.is_empty() {
            continue;
        }
        let masked: String = secret
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i < *shown {
                    c.to_string()
                } else {
                    "*".repeat(c.len_utf8())
                }
            })
            .collect();
        out = out.replace(secret, &masked);
    }
    out
}

/// Where a history finding was introduced, as the human and JUnit outputs say it:
/// `commit 1a2b3c4d5e of 2024-01-02, not in HEAD`.
pub fn commit_label(commit: &crate::outcome::CommitRef) -> String {
    format!(
        "commit {} of {}, {}",
        commit.short(),
        &commit.date[..commit.date.len().min(10)],
        if commit.in_head {
            "still in HEAD"
        } else {
            "not in HEAD"
        }
    )
}

/// A finding's stable fingerprint: a hash of the rule, the path and what the finding is
/// about (the variable name, the secret's hash, or the normalized source text), plus the
/// occurrence among equal ones in the file. It does not change when lines move or other
/// code changes, and it never contains a secret. Baselines and SARIF use it.
pub fn fingerprint(file: &FileResult, finding: &Finding, occurrence: usize) -> String {
    use sha2::{Digest, Sha256};
    let path = file.source.path.to_string_lossy().replace('\\', "/");
    let subject = match (&finding.env_name, &finding.secret) {
        (Some(name), _) => format!("env:{name}"),
        (None, Some(_)) => {
            let secret = &file.source.text[finding.span.clone()];
            format!("secret:{:x}", Sha256::digest(secret.as_bytes()))
        }
        (None, None) => {
            let text = &file.source.text[finding.span.clone()];
            format!(
                "text:{}",
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        }
    };
    let digest = Sha256::digest(format!("{}\0{path}\0{subject}", finding.rule).as_bytes());
    format!("{:x}:{occurrence}", digest)
}

/// Fingerprints of every finding of a file, in order (occurrences counted per hash).
pub fn fingerprints(file: &FileResult) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    file.findings
        .iter()
        .map(|f| {
            let base = fingerprint(file, f, 0);
            let base = base
                .rsplit_once(':')
                .map_or(base.clone(), |(h, _)| h.to_string());
            let n = seen.entry(base.clone()).or_default();
            let out = format!("{base}:{n}");
            *n += 1;
            out
        })
        .collect()
}

/// What to do about a finding, one line each: the advice (rotate the secret), the fix
/// and how to apply it, or why there is no fix. Reporters without room for a help
/// section append these to the message.
pub fn advice(finding: &Finding) -> Vec<String> {
    use crate::detect::Applicability;
    let mut lines = Vec::new();
    if let Some(help) = &finding.help {
        lines.push(help.clone());
    }
    match (&finding.fix, &finding.no_fix_reason) {
        (Some(fix), _) => lines.push(match fix.applicability {
            Applicability::Safe => format!("fix: {} (shush check --fix)", fix.title),
            Applicability::Unsafe => {
                format!("fix: {} (shush check --fix --unsafe-fixes)", fix.title)
            }
        }),
        (None, Some(reason)) => lines.push(format!("no automatic fix: {reason}")),
        (None, None) => {}
    }
    lines
}

/// The secrets a file's findings point at, with how many leading characters of each may
/// be shown: for masking any text a reporter writes about the file.
pub fn secrets_of(file: &FileResult) -> Vec<(&str, usize)> {
    file.findings
        .iter()
        .filter_map(|f| {
            f.secret
                .as_ref()
                .map(|s| (&file.source.text[f.span.clone()], s.shown()))
        })
        .collect()
}

/// True for a finding about a whole file (a stray .env) rather than a span in it.
pub fn whole_file(finding: &Finding) -> bool {
    finding.span.is_empty() && finding.env_name.is_none() && finding.secret.is_none()
}

/// A path as shown in reports: forward slashes on every platform.
pub fn path_string(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
