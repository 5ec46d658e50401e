//! Counters and timings of one run, for `shush check --stats`: each worker returns the
//! facts of its file with the file's result (no shared counter, no lock), and the main
//! thread adds them up once. The counts are the same for any thread count; the times
//! are not. Never prints.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::check::SkipReason;
use crate::source::Language;

/// What one file cost and where it went; returned by the worker that scanned it.
#[derive(Debug, Default, Clone, Copy)]
pub struct FileStats {
    pub language: Option<Language>,
    /// Bytes read (the staged blob's size with `--staged`).
    pub bytes: u64,
    /// The environment-read prefilter let the file through and it was parsed.
    pub parsed: bool,
    /// Secret rules whose keywords occur in the file (their regexes ran).
    pub secret_rules: usize,
    /// Secrets left out for being below `min-confidence`.
    pub below_confidence: usize,
    /// Secrets the config's allowlists left out.
    pub allowlisted: crate::config::allowlist::Allowlisted,
    pub read: Duration,
    pub env: Duration,
    pub secrets: Duration,
    pub fix: Duration,
}

/// One language's share of the run.
#[derive(Debug, Default, Clone, Serialize)]
pub struct LanguageStats {
    pub files: usize,
    pub bytes: u64,
    /// Files the keyword prefilter let through to the parser.
    pub parsed: usize,
    pub parsed_bytes: u64,
}

/// Wall-clock time of each phase, and the time the workers spent in each step (summed
/// over threads, so it can exceed the wall-clock time of the scan).
#[derive(Debug, Default, Clone, Serialize)]
pub struct Times {
    pub walk: Duration,
    pub scan: Duration,
    pub collect: Duration,
    pub report: Duration,
    pub total: Duration,
    pub cpu_read: Duration,
    pub cpu_env: Duration,
    pub cpu_secrets: Duration,
    pub cpu_fix: Duration,
}

/// Everything `--stats` shows.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Stats {
    /// Files the walk yielded (and symbolic links, exclusions and walk errors it met).
    pub files_seen: usize,
    pub files_scanned: usize,
    pub skipped: BTreeMap<SkipReason, usize>,
    /// Bytes of the files read.
    pub bytes_read: u64,
    /// Per language, `text` for every file that only the secret rules read.
    pub languages: BTreeMap<&'static str, LanguageStats>,
    /// Files of a parsed language (Python, TypeScript, JavaScript, Rust) that no
    /// environment-read keyword let through.
    pub prefiltered_out: usize,
    /// Files in which at least one secret rule's keyword occurs.
    pub secret_files_triggered: usize,
    /// Secret rule regexes run, summed over files.
    pub secret_rules_run: usize,
    /// Secrets left out for being below `min-confidence`, summed over files.
    pub below_confidence: usize,
    /// Secrets the config's allowlists left out, by kind, summed over files.
    pub allowlisted: crate::config::allowlist::Allowlisted,
    pub findings: usize,
    /// Variables the tree writes into the environment of processes it starts.
    pub handoffs: usize,
    pub threads: usize,
    pub times: Times,
}

/// The label of a language in the table: TypeScript and TSX apart.
pub fn label(language: Language) -> &'static str {
    match language {
        Language::Python => "python",
        Language::TypeScript => "typescript",
        Language::Tsx => "tsx",
        Language::JavaScript => "javascript",
        Language::Rust => "rust",
        Language::Text => "text",
    }
}

impl Stats {
    /// Adds the per-file counts of `other` (what [`Stats::add`] adds up).
    pub fn merge(&mut self, other: Stats) {
        self.bytes_read += other.bytes_read;
        for (language, o) in other.languages {
            let entry = self.languages.entry(language).or_default();
            entry.files += o.files;
            entry.bytes += o.bytes;
            entry.parsed += o.parsed;
            entry.parsed_bytes += o.parsed_bytes;
        }
        self.prefiltered_out += other.prefiltered_out;
        self.secret_files_triggered += other.secret_files_triggered;
        self.secret_rules_run += other.secret_rules_run;
        self.below_confidence += other.below_confidence;
        self.allowlisted.merge(other.allowlisted);
        let (t, o) = (&mut self.times, other.times);
        t.cpu_read += o.cpu_read;
        t.cpu_env += o.cpu_env;
        t.cpu_secrets += o.cpu_secrets;
        t.cpu_fix += o.cpu_fix;
    }

    /// Adds the facts of one read file.
    pub fn add(&mut self, file: &FileStats) {
        self.bytes_read += file.bytes;
        let Some(language) = file.language else {
            return;
        };
        let entry = self.languages.entry(label(language)).or_default();
        entry.files += 1;
        entry.bytes += file.bytes;
        if file.parsed {
            entry.parsed += 1;
            entry.parsed_bytes += file.bytes;
        } else if language != Language::Text {
            self.prefiltered_out += 1;
        }
        self.secret_files_triggered += usize::from(file.secret_rules > 0);
        self.secret_rules_run += file.secret_rules;
        self.below_confidence += file.below_confidence;
        self.allowlisted.merge(file.allowlisted);
        let t = &mut self.times;
        t.cpu_read += file.read;
        t.cpu_env += file.env;
        t.cpu_secrets += file.secrets;
        t.cpu_fix += file.fix;
    }
}
