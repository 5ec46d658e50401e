//! What a run produced, shared by every stage below the orchestrator: the result of
//! each file, notes, the summary counts and the run's outcome. Reporters, the baseline
//! and the inventory read these; none of them imports `check`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::detect::handoff::HandOffs;
use crate::detect::{Applicability, Finding, Severity};
use crate::fix;
use crate::source::SourceFile;
use crate::stats::Stats;

/// What the last step of the pipeline does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Check,
    Diff,
    Fix,
}

/// Why a file was not scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    Binary,
    TooLarge,
    Unreadable,
    Symlink,
    Excluded,
    WalkError,
    NotRegular,
    Leftover,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too large",
            SkipReason::Unreadable => "unreadable",
            SkipReason::Symlink => "symlink",
            SkipReason::Excluded => "excluded",
            SkipReason::WalkError => "walk error",
            SkipReason::NotRegular => "not a regular file",
            SkipReason::Leftover => "leftover temporary file",
        }
    }

    /// Whether a note is shown without `--verbose`.
    pub fn noteworthy(self) -> bool {
        matches!(
            self,
            SkipReason::Unreadable
                | SkipReason::WalkError
                | SkipReason::NotRegular
                | SkipReason::Leftover
        )
    }
}

/// Something said about a file besides its findings.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Note {
    pub path: Option<PathBuf>,
    /// About a file named on the command line: always shown.
    #[serde(skip)]
    pub explicit: bool,
    /// Fixes were refused or not written for this file.
    #[serde(skip)]
    pub refused: bool,
    /// The file was scanned, but not all of it was checked (a parse over its time
    /// budget, nesting deeper than a detector walks, a program that is not UTF-8).
    #[serde(skip)]
    pub incomplete: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<SkipReason>,
    pub message: String,
}

/// The result for one scanned file.
#[derive(Debug)]
pub struct FileResult {
    /// The file as it is after the run (fixed text when fixes were applied or diffed).
    pub source: Arc<SourceFile>,
    /// Findings in `source`: what remains after fixes.
    pub findings: Vec<Finding>,
    pub fixes_applied: usize,
    pub imports_added: usize,
    pub imports_removed: usize,
    pub diff: Option<String>,
    pub written: bool,
    /// The fix plan of `source`, for reporters that show a fix's full edits.
    pub analysis_plan: fix::FixPlan,
    /// Of `fixes_applied`, the environment reads rewritten (the rest: secret literals).
    pub reads_fixed: usize,
    /// Calls of the configured loader (collected for `shush inventory` only).
    pub loader_reads: Vec<KeyUse>,
    /// The variables the file hands to the processes it starts.
    pub handoffs: HandOffs,
    /// The loader import the fixes added, when it is shush's default (no config file
    /// applies to the file): the run says so once.
    pub default_import: Option<String>,
    /// For a text from git history: the commit that introduced its findings.
    pub commit: Option<Arc<CommitRef>>,
}

/// The commit a history finding was introduced in, and whether what was found is still
/// there at `HEAD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitRef {
    /// The full object id, in hex.
    pub id: String,
    /// The author date, RFC 3339 in UTC (`2024-03-01T12:00:00Z`).
    pub date: String,
    /// Still present in the `HEAD` commit (the same secret at the same path, or the
    /// same .env file).
    pub in_head: bool,
}

impl CommitRef {
    /// The abbreviated id people read: its first 10 hex digits.
    pub fn short(&self) -> &str {
        &self.id[..self.id.len().min(10)]
    }
}

/// A call of the configured loader, located: `get_config_value("x")` at 12:5.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyUse {
    pub key: String,
    pub line: usize,
    pub column: usize,
    pub has_default: bool,
}

/// Counts for the closing summary.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub files_scanned: usize,
    pub files_skipped: usize,
    pub skipped: BTreeMap<SkipReason, usize>,
    pub errors: usize,
    pub warnings: usize,
    /// Informational findings: reads left alone on purpose, and why. They never fail a run.
    pub infos: usize,
    pub fixable: usize,
    pub unsafe_fixable: usize,
    pub fixed: usize,
    pub files_changed: usize,
    pub fixes_refused: usize,
    /// Files scanned but not fully checked: a parse over its time budget, nesting
    /// deeper than a detector walks, a program that is not UTF-8 (each has a note).
    pub not_fully_checked: usize,
    /// Findings left out because the baseline holds them.
    pub baselined: usize,
    /// Hardcoded secrets left out for being below `min-confidence`.
    pub below_confidence: usize,
    /// Hardcoded secrets the config's allowlists left out, by kind.
    pub allowlisted: crate::config::allowlist::Allowlisted,
    /// Stray .env files whose name `--fix` added to a `.gitignore`.
    #[serde(skip)]
    pub dotenv_gitignored: usize,
}

impl Summary {
    /// What the run did not check, for `--strict`: files not fully checked, files that
    /// could not be read, walk errors (as `(count, what)`; empty when all was checked).
    pub fn unchecked(&self) -> Vec<(usize, &'static str)> {
        let skipped = |reason| self.skipped.get(&reason).copied().unwrap_or(0);
        [
            (self.not_fully_checked, "not fully checked"),
            (skipped(SkipReason::Unreadable), "unreadable"),
            (skipped(SkipReason::WalkError), "walk error"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .collect()
    }
}

/// Everything a run produced, sorted by path.
#[derive(Debug, Default)]
pub struct Outcome {
    pub files: Vec<FileResult>,
    pub notes: Vec<Note>,
    pub summary: Summary,
    /// A path on the command line could not be scanned: the run failed.
    pub failed: bool,
    /// Diffs of other files the fixes change (`.gitignore`), printed after the files'.
    pub extra_diffs: Vec<String>,
    /// Counters and timings for `--stats`.
    pub stats: Stats,
    /// The repository a `--history` scan read.
    pub repository: Option<Repository>,
}

/// The repository whose history was scanned, as SARIF's `versionControlProvenance`
/// names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// The `origin` remote's URL, or else the repository's directory as a `file:` URI.
    pub uri: String,
    /// The commit `HEAD` points at.
    pub head: Option<String>,
    /// The branch `HEAD` is on (`refs/heads/main`).
    pub branch: Option<String>,
}

impl Outcome {
    /// Counts the findings by severity and fixability (after any filtering).
    pub fn recount(&mut self) {
        let summary = &mut self.summary;
        summary.errors = 0;
        summary.warnings = 0;
        summary.infos = 0;
        summary.fixable = 0;
        summary.unsafe_fixable = 0;
        for f in self.files.iter().flat_map(|f| &f.findings) {
            match f.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
            match f.fix.as_ref().map(|x| x.applicability) {
                Some(Applicability::Safe) => summary.fixable += 1,
                Some(Applicability::Unsafe) => summary.unsafe_fixable += 1,
                None => {}
            }
        }
    }

    /// The summary once every file is in: the findings counted, the counts the stats
    /// kept (below confidence, allowlisted), the skip reasons that occurred.
    pub fn close_summary(&mut self) {
        self.recount();
        let summary = &mut self.summary;
        summary.below_confidence = self.stats.below_confidence;
        summary.allowlisted = self.stats.allowlisted;
        summary.skipped.retain(|_, n| *n > 0);
        summary.files_skipped = summary.skipped.values().sum();
    }

    pub fn findings(&self) -> impl Iterator<Item = (&FileResult, &Finding)> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter().map(move |x| (f, x)))
    }
}
