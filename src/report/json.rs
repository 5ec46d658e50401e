//! JSON output: one document with every finding, the notes and the summary. Field names
//! are stable (documented in the README); new fields may be added, none renamed.

use std::io::{self, Write};

use serde::Serialize;

use crate::detect::{Applicability, Confidence, Severity, VarRole};
use crate::outcome::{Note, Outcome, Summary};
use crate::report::standalone_edits;
use crate::source::SourceFile;

/// The version of this document's shape.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    notes: &'a [Note],
    summary: &'a Summary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    severity: Severity,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    env_name: Option<&'a str>,
    config_key: Option<&'a str>,
    fix: Option<JsonFix<'a>>,
    no_fix_reason: Option<&'a str>,
    help: Option<&'a str>,
    secret: Option<JsonSecret<'a>>,
    /// Hardcoded secrets only: `high`, `medium` or `low`.
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<Confidence>,
    /// Environment reads left alone on purpose: why (`platform`, `hand-off`, `test`).
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a VarRole>,
    /// `--history` only: the commit that introduced the finding, its author date
    /// (RFC 3339) and whether the finding is still there at `HEAD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    in_head: Option<bool>,
}

#[derive(Serialize)]
struct JsonSecret<'a> {
    preview: &'a str,
    length: usize,
    /// Only with `--show-secrets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    title: &'a str,
    edits: Vec<JsonEdit>,
    /// For a stray .env file: the line the fix adds to a `.gitignore`.
    #[serde(skip_serializing_if = "Option::is_none")]
    gitignore: Option<JsonGitignore>,
}

#[derive(Serialize)]
struct JsonGitignore {
    path: String,
    entry: String,
}

#[derive(Serialize)]
struct JsonEdit {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    content: String,
}

fn path_string(file: &SourceFile) -> String {
    file.path.to_string_lossy().replace('\\', "/")
}

/// Writes the outcome as one pretty-printed JSON document.
pub fn write(outcome: &Outcome, show_secrets: bool, out: &mut dyn Write) -> io::Result<()> {
    let findings = outcome
        .findings()
        .map(|(file, f)| {
            let src = &file.source;
            let start = src.position(f.span.start);
            let end = src.position(f.span.end);
            JsonFinding {
                rule: f.rule,
                severity: f.severity,
                path: path_string(src),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                message: &f.message,
                env_name: f.env_name.as_deref(),
                config_key: f.config_key.as_deref(),
                fix: f.fix.as_ref().map(|fix| JsonFix {
                    gitignore: fix.gitignore.as_ref().map(|(path, entry)| JsonGitignore {
                        path: path.to_string_lossy().replace('\\', "/"),
                        entry: entry.clone(),
                    }),
                    applicability: fix.applicability,
                    title: &fix.title,
                    edits: standalone_edits(file, f)
                        .into_iter()
                        .map(|e| {
                            let s = src.position(e.range.start);
                            let t = src.position(e.range.end);
                            JsonEdit {
                                line: s.line,
                                column: s.column,
                                end_line: t.line,
                                end_column: t.column,
                                content: e.content,
                            }
                        })
                        .collect(),
                }),
                no_fix_reason: f.no_fix_reason.as_deref(),
                help: f.help.as_deref(),
                confidence: f.secret.as_ref().map(|s| s.confidence),
                role: f.role.as_ref(),
                commit: file.commit.as_ref().map(|c| c.id.as_str()),
                commit_date: file.commit.as_ref().map(|c| c.date.as_str()),
                in_head: file.commit.as_ref().map(|c| c.in_head),
                secret: f.secret.as_ref().map(|s| JsonSecret {
                    preview: &s.preview,
                    length: s.length,
                    value: show_secrets.then(|| &src.text[f.span.clone()]),
                }),
            }
        })
        .collect();
    let doc = Document {
        version: VERSION,
        findings,
        notes: &outcome.notes,
        summary: &outcome.summary,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
