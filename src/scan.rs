//! One scan of one text: whatever the text's origin (a work-tree file, a staged blob,
//! a blob of history),
//! `analyze` turns it into findings and edits (the detectors, then the config's
//! ignores, suppressions and allowlists), and `converge` applies the fixes round after
//! round. The orchestrator (`check`) and the rule packs' examples both go through here.

use crate::Context;
use crate::detect::{self, Analysis, Applicability, Finding};
use crate::fix;
use crate::source::{Language, SourceFile};

/// Fixes are applied until the text stops changing, at most this many rounds.
const MAX_FIX_ROUNDS: usize = 10;
/// When a round's fixes together break the parse, up to this many are tried one by one.
const MAX_FIXES_TRIED_ONE_BY_ONE: usize = 64;

/// Detects, then drops the findings the config switches off.
pub fn analyze(file: &SourceFile, ctx: &Context) -> Analysis {
    settle(file, ctx, detect::analyze(file, ctx))
}

/// The hardcoded-secret rules alone, settled as [`analyze`] settles every finding: the
/// scan of a text from git history, whose environment reads are not today's code.
pub fn analyze_secrets(file: &SourceFile, ctx: &Context) -> Analysis {
    settle(file, ctx, detect::analyze_secrets(file, ctx))
}

/// Drops what the config's ignores, the suppression comments and the allowlists leave
/// out, and sorts the rest.
fn settle(file: &SourceFile, ctx: &Context, mut analysis: Analysis) -> Analysis {
    detect::handoff::apply_local(file, &mut analysis.findings, &analysis.env_writes);
    if let Some(handoffs) = &ctx.handoffs {
        detect::handoff::apply_tree(&mut analysis.findings, handoffs);
    }
    // Once per line and rule: many findings on one long line each read the whole line.
    let mut seen = std::collections::HashMap::new();
    analysis.findings.retain(|f| {
        !ctx.config.is_ignored(f.rule)
            && !*seen
                .entry((file.line_index(f.span.start), f.rule))
                .or_insert_with(|| suppressed(file, f))
    });
    let allowlist = &ctx.config.secrets;
    let packs = &ctx.config.packs;
    let any_secret = || analysis.findings.iter().any(|f| f.secret.is_some());
    if (!allowlist.is_empty() || !packs.is_empty()) && any_secret() {
        let path = std::path::absolute(&file.path).unwrap_or_else(|_| file.path.clone());
        // The team's own rule packs hold the examples of their rules: test data, as
        // the embedded packs' examples are.
        let own_pack = packs.contains(&path);
        let counts = &mut analysis.allowlisted;
        analysis.findings.retain(|f| {
            let kind = f.secret.as_ref().and_then(|_| {
                if own_pack {
                    return Some(crate::config::allowlist::AllowKind::Path);
                }
                allowlist.allows(f.rule, &path, &file.text[f.span.clone()])
            });
            if let Some(kind) = kind {
                counts.add(kind);
            }
            kind.is_none()
        });
    }
    analysis
        .findings
        .sort_by_key(|f| (f.span.start, f.span.end, f.rule));
    analysis
}

/// True when a suppression comment covers the finding: `shush: ignore` (every rule) or
/// `shush: ignore[rule-id, py-]` on its line, or on the line before when that line is
/// only a comment; other scanners' `gitleaks:allow` and `pragma: allowlist secret` too.
fn suppressed(file: &SourceFile, finding: &Finding) -> bool {
    let line = file.line_index(finding.span.start);
    let own = file.line_text(finding.span.start);
    if suppresses(own, finding.rule) {
        return true;
    }
    let Some(prev) = line.checked_sub(1) else {
        return false;
    };
    let text = &file.text[file.line_range(prev)];
    let trimmed = text.trim_start();
    let comment_only = ["#", "//", "/*", "*", "--", ";", "<!--"]
        .iter()
        .any(|c| trimmed.starts_with(c));
    comment_only && suppresses(text, finding.rule)
}

fn suppresses(line: &str, rule: &str) -> bool {
    if line.contains("gitleaks:allow") || line.contains("pragma: allowlist secret") {
        return true;
    }
    // Other scanners' markers of a value known not to be a secret.
    if rule.starts_with("secret-")
        && [
            "NOSONAR",
            "nosec",
            "nosemgrep",
            "trufflehog:ignore",
            "kics-scan ignore",
            "checkov:skip",
        ]
        .iter()
        .any(|m| line.contains(m))
    {
        return true;
    }
    let Some(at) = line
        .find("shush: ignore")
        .map(|i| i + 13)
        .or_else(|| line.find("shush:ignore").map(|i| i + 12))
    else {
        return false;
    };
    let rest = &line[at..];
    match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
        Some((ids, _)) => ids
            .split(',')
            .map(str::trim)
            .any(|id| id == rule || (id.ends_with('-') && rule.starts_with(id))),
        None => true,
    }
}

/// A file after fixes have converged.
pub struct Converged {
    pub source: SourceFile,
    pub analysis: Analysis,
    pub fixes: usize,
    /// Of `fixes`, the environment reads rewritten.
    pub reads_fixed: usize,
    pub imports_added: usize,
    pub imports_removed: usize,
    /// Why fixes were dropped, when the result would not re-parse.
    pub refused: Option<String>,
}

/// Applies fixes round after round until nothing changes (at most `MAX_FIX_ROUNDS`),
/// checking each round's result re-parses with no more errors than the original.
pub fn converge(
    original: &SourceFile,
    first: Analysis,
    ctx: &Context,
    unsafe_fixes: bool,
) -> Converged {
    // Parsed afresh: a detector may have skipped parsing a file it had nothing to find in.
    let mut baseline: Option<usize> = None;
    let mut out = Converged {
        source: original.clone(),
        analysis: first,
        fixes: 0,
        reads_fixed: 0,
        imports_added: 0,
        imports_removed: 0,
        refused: None,
    };
    for _ in 0..MAX_FIX_ROUNDS {
        // Each fix, and whether it rewrites an environment read (else a secret literal).
        let (fixes, reads): (Vec<&detect::Fix>, Vec<bool>) = out
            .analysis
            .findings
            .iter()
            .filter_map(|f| f.fix.as_ref().map(|x| (x, f.env_name.is_some())))
            .filter(|(f, _)| unsafe_fixes || f.applicability == Applicability::Safe)
            .unzip();
        if fixes.is_empty() {
            break;
        }
        // The fixes applied, as indices into `fixes`.
        let mut chosen: Vec<usize> = (0..fixes.len()).collect();
        let mut applied = fix::apply(&out.source.text, &fixes, &out.analysis.plan);
        if applied.text == out.source.text {
            break;
        }
        crate::stats::work(|w| w.fix_rounds += 1);
        let reparse = |text: &str| {
            crate::stats::work(|w| w.fix_reparses += 1);
            detect::error_nodes(&out.source, text)
        };
        let baseline_errors =
            *baseline.get_or_insert_with(|| detect::error_nodes(original, &original.text));
        if baseline_errors > 0 && original.language == Language::Rust {
            // syn stops at the first error, so a fix cannot be shown to add none.
            out.refused = Some(format!(
                "{} fix(es) not applied: the file does not parse as Rust",
                fixes.len()
            ));
            break;
        }
        let errors = reparse(&applied.text);
        if errors > baseline_errors {
            // Keep each fix that adds no syntax error; refuse only the others.
            let subset = |indices: &[usize]| -> Vec<&detect::Fix> {
                indices.iter().map(|&i| fixes[i]).collect()
            };
            chosen.clear();
            if fixes.len() <= MAX_FIXES_TRIED_ONE_BY_ONE {
                for i in 0..fixes.len() {
                    let trial: Vec<usize> = chosen.iter().copied().chain([i]).collect();
                    let text =
                        fix::apply(&out.source.text, &subset(&trial), &out.analysis.plan).text;
                    if reparse(&text) <= baseline_errors {
                        chosen.push(i);
                    }
                }
            }
            let refused = fixes.len() - chosen.len();
            out.refused = Some(format!(
                "{refused} fix(es) not applied: the result would not parse ({errors} syntax error(s) where the file has {baseline_errors})"
            ));
            if chosen.is_empty() {
                break;
            }
            applied = fix::apply(&out.source.text, &subset(&chosen), &out.analysis.plan);
        }
        out.reads_fixed += applied
            .accepted
            .iter()
            .filter(|&&j| reads[chosen[j]])
            .count();
        // Imports a rule's rewrite template needs, added once its fixes are in, each
        // where the file's import sorter puts it (next to the loader's, when it is new).
        let owed: std::collections::BTreeSet<String> = applied
            .accepted
            .iter()
            .flat_map(|&j| fixes[chosen[j]].imports.iter().cloned())
            .collect();
        out.fixes += applied.fixes;
        out.imports_added += usize::from(applied.import_added);
        out.imports_removed += applied.imports_removed;
        out.source = out.source.with_text(applied.text);
        for line in owed {
            match detect::import_edit(&out.source, &line) {
                Ok(Some(edit)) => {
                    let text = fix::apply_edits(&out.source.text, vec![edit]);
                    crate::stats::work(|w| w.fix_reparses += 1);
                    if detect::error_nodes(original, &text) <= baseline_errors {
                        out.source = out.source.with_text(text);
                        out.imports_added += 1;
                    } else {
                        out.refused =
                            Some(format!("`{line}` not added: the result would not parse"));
                    }
                }
                Ok(None) => {}
                Err(reason) => out.refused = Some(format!("`{line}` not added: {reason}")),
            }
        }
        out.analysis = analyze(&out.source, ctx);
    }
    out
}
