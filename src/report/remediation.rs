//! The account of a `--fix` (or `--diff`) run: what was rewritten, per language, and
//! what is left for a person, with the reason each remaining fix was refused. Printed
//! after the summary, and written as JSON with `--report FILE`.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::detect::Applicability;
use crate::outcome::{Mode, Outcome};

/// The version of the `--report` document's shape.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Remediation {
    pub version: u32,
    /// `fix`, or `diff` when nothing was written.
    pub mode: &'static str,
    pub files_scanned: usize,
    pub files_changed: usize,
    /// Environment reads rewritten to the loader, per language (`python`, …).
    pub reads_rewritten: BTreeMap<&'static str, usize>,
    /// Hardcoded secret literals replaced by a loader call (`--unsafe-fixes`).
    pub secrets_rewritten: usize,
    pub imports_added: usize,
    pub imports_removed: usize,
    pub dotenv: DotenvCounts,
    /// Environment reads still in the code.
    pub reads_left: usize,
    /// Hardcoded secrets still in the code: each needs rotating and moving by hand.
    pub secrets_left: Vec<Place>,
    /// Fixes not made, grouped by reason.
    pub refused: Vec<Refusal>,
}

#[derive(Debug, Default, Serialize)]
pub struct DotenvCounts {
    /// Stray .env files whose name was added to a `.gitignore`.
    pub gitignored: usize,
    /// .env files still reported (tracked by git: `git rm --cached` is for a person).
    pub left: usize,
}

#[derive(Debug, Serialize)]
pub struct Place {
    pub path: String,
    pub line: usize,
    pub rule: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Refusal {
    pub reason: String,
    pub count: usize,
    pub places: Vec<Place>,
}

impl Remediation {
    /// The account of `outcome`, a run in `mode` (`--unsafe-fixes` given or not).
    pub fn of(outcome: &Outcome, mode: Mode, unsafe_fixes: bool) -> Remediation {
        let s = &outcome.summary;
        let mut out = Remediation {
            version: VERSION,
            mode: if mode == Mode::Fix { "fix" } else { "diff" },
            files_scanned: s.files_scanned,
            files_changed: s.files_changed,
            reads_rewritten: BTreeMap::new(),
            secrets_rewritten: 0,
            imports_added: 0,
            imports_removed: 0,
            dotenv: DotenvCounts {
                gitignored: s.dotenv_gitignored,
                left: 0,
            },
            reads_left: 0,
            secrets_left: Vec::new(),
            refused: Vec::new(),
        };
        let mut refused: BTreeMap<String, Vec<Place>> = BTreeMap::new();
        for file in &outcome.files {
            if file.reads_fixed > 0 {
                *out.reads_rewritten
                    .entry(file.source.language.name())
                    .or_default() += file.reads_fixed;
            }
            out.secrets_rewritten += file.fixes_applied - file.reads_fixed;
            out.imports_added += file.imports_added;
            out.imports_removed += file.imports_removed;
            let path = file.source.path.to_string_lossy();
            let fixed_by_us = mode == Mode::Diff && file.diff.is_some();
            for f in &file.findings {
                let place = || Place {
                    path: path.to_string(),
                    line: file.source.position(f.span.start).line,
                    rule: f.rule,
                };
                let is_dotenv = f.rule.starts_with("dotenv-");
                // `--diff` reports the findings on disk; the ones its diff fixes are
                // not left.
                let fixed_in_diff = fixed_by_us
                    && f.fix
                        .as_ref()
                        .is_some_and(|x| unsafe_fixes || x.applicability == Applicability::Safe);
                if fixed_in_diff {
                    continue;
                }
                if f.secret.is_some() {
                    out.secrets_left.push(place());
                } else if is_dotenv {
                    out.dotenv.left += 1;
                } else {
                    out.reads_left += 1;
                }
                let reason = match (&f.fix, &f.no_fix_reason) {
                    (Some(fix), _) if fix.applicability == Applicability::Unsafe => {
                        Some("unsafe fix, applied only with --unsafe-fixes".to_string())
                    }
                    (None, Some(reason)) => Some(reason.clone()),
                    _ => None,
                };
                if let Some(reason) = reason {
                    refused.entry(reason).or_default().push(place());
                }
            }
        }
        for note in outcome.notes.iter().filter(|n| n.refused) {
            let path = note
                .path
                .as_deref()
                .map_or_else(String::new, |p: &Path| p.to_string_lossy().into_owned());
            refused
                .entry(note.message.clone())
                .or_default()
                .push(Place {
                    path,
                    line: 0,
                    rule: "",
                });
        }
        out.refused = refused
            .into_iter()
            .map(|(reason, places)| Refusal {
                reason,
                count: places.len(),
                places,
            })
            .collect();
        // Most frequent first; ties by reason, for a stable order.
        out.refused
            .sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
        out
    }

    pub fn reads_total(&self) -> usize {
        self.reads_rewritten.values().sum()
    }

    /// The human account, printed after the run's summary.
    pub fn write_human(&self, out: &mut dyn Write) -> io::Result<()> {
        let verb = if self.mode == "fix" {
            "Remediation"
        } else {
            "Remediation (--diff: nothing written)"
        };
        writeln!(out, "{verb}:")?;
        writeln!(
            out,
            "  files:                 {} scanned, {} changed",
            self.files_scanned, self.files_changed
        )?;
        let per_language: Vec<String> = self
            .reads_rewritten
            .iter()
            .map(|(lang, n)| format!("{lang} {n}"))
            .collect();
        let mut reads = self.reads_total().to_string();
        if !per_language.is_empty() {
            reads.push_str(&format!(" ({})", per_language.join(", ")));
        }
        writeln!(out, "  reads rewritten:       {reads}")?;
        if self.secrets_rewritten > 0 {
            writeln!(
                out,
                "  secrets rewritten:     {} (rotate them: they stay in the git history)",
                self.secrets_rewritten
            )?;
        }
        writeln!(
            out,
            "  imports:               {} added, {} removed",
            self.imports_added, self.imports_removed
        )?;
        writeln!(
            out,
            "  .env files:            {} added to .gitignore, {} left",
            self.dotenv.gitignored, self.dotenv.left
        )?;
        writeln!(out, "  reads left:            {}", self.reads_left)?;
        let mut line = self.secrets_left.len().to_string();
        if !self.secrets_left.is_empty() {
            let places = self.secrets_left.iter().map(|p| (&*p.path, p.line));
            line.push_str(&format!(" ({})", super::list_places(places, 3)));
        }
        writeln!(out, "  secrets left for you:  {line}")?;
        let refused: usize = self.refused.iter().map(|r| r.count).sum();
        writeln!(out, "  fixes refused:         {refused}")?;
        for r in &self.refused {
            writeln!(out, "    {:>4} × {}", r.count, r.reason)?;
        }
        Ok(())
    }

    /// Writes the JSON document to `path`.
    pub fn write_json(&self, path: &Path) -> io::Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        text.push('\n');
        crate::fix::write::write_new(path, text.as_bytes())
    }
}
