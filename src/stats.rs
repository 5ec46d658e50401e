//! Counters and timings of one run, for `shush check --stats`: each worker returns the
//! facts of its file with the file's result (no shared counter, no lock), and the main
//! thread adds them up once. The counts are the same for any thread count; the times
//! are not. Never prints.
//!
//! [`Work`] counts what the stages did in units that must grow at most linearly with
//! the size of a file (bytes lexed, nodes walked, bytes a regex ran over, edits looked
//! up): the stages add to this thread's record as they go ([`work`]), and the scan of
//! each file takes it ([`take_work`]) into that file's [`FileStats`].

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use serde::{Serialize, Serializer};

use crate::outcome::SkipReason;
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
    pub work: Work,
}

/// What the stages did, counted: each count must grow at most linearly with the size of
/// the file (`tests/bounds.rs` checks it on generated worst cases). Summed over files.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Work {
    /// Bytes tree-sitter-python's lexer asked for, in chunks of at most 4 KiB; a chunk
    /// asked for again (the lexer went back) counts again.
    pub python_lexed_bytes: u64,
    /// Bytes of long comment runs left out of the Python parse (see `detect::python`).
    pub python_bytes_left_out: u64,
    /// Syntax-tree nodes the Python walker visited.
    pub python_nodes: u64,
    /// Parent links the Python front-end recorded (one walk of the tree, the first time
    /// it walks up from a node: a read's context, a write's function).
    pub python_parent_links: u64,
    /// Parent look-ups in those links (each walk up from a node, step by step).
    pub python_parent_lookups: u64,
    /// Nodes the Python writes collector walked in function and module bodies (what is
    /// assigned to a variable, what is set into it).
    pub python_body_nodes: u64,
    /// Bytes of top-level Rust items blanked out of the parse (they cannot hold a read).
    pub rust_bytes_blanked: u64,
    /// Bytes of Python statements left out of a parse (see `python::parts`).
    pub python_bytes_blanked: u64,
    /// Python files parsed again whole after a partial parse (a fix, a syntax error).
    pub python_partial_redone: u64,
    /// Python files whose reads get fixes parsed again with every use of the targets'
    /// module imports in the tree.
    pub python_partial_for_imports: u64,
    /// Files not parsed because their read words occur only in comments (and, in
    /// Python, plain strings): see `detect::python::lex`, `detect::typescript::lex`.
    pub files_words_not_in_code: u64,
    /// The same for TypeScript and JavaScript.
    pub typescript_parent_links: u64,
    pub typescript_parent_lookups: u64,
    /// Parts of the text the secret rules looked at, summed over rules.
    pub secret_windows: u64,
    /// Bytes of those parts, summed over rules.
    pub secret_window_bytes: u64,
    /// Bytes crossed looking for the line ends around keyword occurrences (windows
    /// end at line ends).
    pub secret_line_search_bytes: u64,
    /// Bytes of the lines whose facts (a comment, an `example` key, a hash name) were
    /// worked out for secret matches, summed over rules.
    pub secret_line_bytes: u64,
    /// Rounds of fixes applied until they converged.
    pub fix_rounds: u64,
    /// Parses of fixed texts, to check a round adds no syntax error.
    pub fix_reparses: u64,
    /// Look-ups of an edit among the edits taken so far (overlap and cover tests).
    pub fix_edit_lookups: u64,
    /// Bytes of the texts the fixer wrote.
    pub fix_bytes_written: u64,
}

impl Work {
    fn add(&mut self, o: &Work) {
        self.python_lexed_bytes += o.python_lexed_bytes;
        self.python_bytes_left_out += o.python_bytes_left_out;
        self.python_nodes += o.python_nodes;
        self.python_parent_links += o.python_parent_links;
        self.python_parent_lookups += o.python_parent_lookups;
        self.python_body_nodes += o.python_body_nodes;
        self.rust_bytes_blanked += o.rust_bytes_blanked;
        self.python_bytes_blanked += o.python_bytes_blanked;
        self.python_partial_redone += o.python_partial_redone;
        self.python_partial_for_imports += o.python_partial_for_imports;
        self.files_words_not_in_code += o.files_words_not_in_code;
        self.typescript_parent_links += o.typescript_parent_links;
        self.typescript_parent_lookups += o.typescript_parent_lookups;
        self.secret_windows += o.secret_windows;
        self.secret_window_bytes += o.secret_window_bytes;
        self.secret_line_search_bytes += o.secret_line_search_bytes;
        self.secret_line_bytes += o.secret_line_bytes;
        self.fix_rounds += o.fix_rounds;
        self.fix_reparses += o.fix_reparses;
        self.fix_edit_lookups += o.fix_edit_lookups;
        self.fix_bytes_written += o.fix_bytes_written;
    }
}

thread_local! {
    static WORK: Cell<Work> = Cell::new(Work::default());
}

/// Adds to this thread's work record (a file is scanned on one thread).
pub fn work(add: impl FnOnce(&mut Work)) {
    WORK.with(|w| {
        let mut work = w.get();
        add(&mut work);
        w.set(work);
    });
}

/// This thread's work record since the last call, which starts a new one.
pub fn take_work() -> Work {
    WORK.with(Cell::take)
}

/// What one secret rule cost over the run: the counts are the same for any thread
/// count, the time is not.
#[derive(Debug, Default, Clone, Serialize)]
pub struct RuleCost {
    pub rule: &'static str,
    /// The pack file the rule comes from (its family).
    pub pack: &'static str,
    /// Files in which one of its keywords occurs, so its regex or detector ran.
    pub files: u64,
    /// Parts of those files it looked at, and their bytes.
    pub windows: u64,
    pub window_bytes: u64,
    /// Matches that passed its gates, before one finding per secret is chosen.
    pub hits: u64,
    #[serde(serialize_with = "millis")]
    pub time: Duration,
}

impl RuleCost {
    fn add(&mut self, o: &RuleCost) {
        self.files += o.files;
        self.windows += o.windows;
        self.window_bytes += o.window_bytes;
        self.hits += o.hits;
        self.time += o.time;
    }
}

thread_local! {
    /// The secret rules' costs on this thread, by rule id, until [`take_rule_costs`].
    static RULES: RefCell<HashMap<&'static str, RuleCost>> = RefCell::new(HashMap::new());
}

/// Adds one run of a secret rule over one file to this thread's record.
pub fn rule_cost(cost: RuleCost) {
    RULES.with(|r| {
        r.borrow_mut()
            .entry(cost.rule)
            .or_insert_with(|| RuleCost {
                rule: cost.rule,
                pack: cost.pack,
                ..RuleCost::default()
            })
            .add(&cost);
    });
}

/// This thread's secret rule costs since the last call, which starts a new record.
pub fn take_rule_costs() -> HashMap<&'static str, RuleCost> {
    RULES.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

/// Adds the costs of every thread into one list, the costliest first (ties by id).
pub fn merge_rule_costs(
    each: impl IntoIterator<Item = HashMap<&'static str, RuleCost>>,
) -> Vec<RuleCost> {
    let mut all: HashMap<&'static str, RuleCost> = HashMap::new();
    for costs in each {
        for (id, cost) in costs {
            all.entry(id)
                .or_insert_with(|| RuleCost {
                    rule: cost.rule,
                    pack: cost.pack,
                    ..RuleCost::default()
                })
                .add(&cost);
        }
    }
    let mut list: Vec<RuleCost> = all.into_values().collect();
    list.sort_by(|a, b| b.time.cmp(&a.time).then(a.rule.cmp(b.rule)));
    list
}

fn millis<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64() * 1000.0)
}

/// One language's share of the run.
#[derive(Debug, Default, Clone, Serialize)]
pub struct LanguageStats {
    pub files: usize,
    pub bytes: u64,
    /// Files the keyword prefilter let through to the parser.
    pub parsed: usize,
    pub parsed_bytes: u64,
    /// The workers' time in this language's environment-read detector (parse included).
    #[serde(serialize_with = "millis")]
    pub env_time: Duration,
}

/// Wall-clock time of each phase, and the time the workers spent in each step (summed
/// over threads, so it can exceed the wall-clock time of the scan); in milliseconds in
/// JSON.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Times {
    #[serde(serialize_with = "millis")]
    pub walk: Duration,
    #[serde(serialize_with = "millis")]
    pub scan: Duration,
    #[serde(serialize_with = "millis")]
    pub collect: Duration,
    #[serde(serialize_with = "millis")]
    pub report: Duration,
    #[serde(serialize_with = "millis")]
    pub total: Duration,
    #[serde(serialize_with = "millis")]
    pub cpu_read: Duration,
    #[serde(serialize_with = "millis")]
    pub cpu_env: Duration,
    #[serde(serialize_with = "millis")]
    pub cpu_secrets: Duration,
    #[serde(serialize_with = "millis")]
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
    /// What the stages did, summed over files.
    pub work: Work,
    pub times: Times,
    /// Each secret rule that ran, the costliest first.
    pub secret_rules: Vec<RuleCost>,
    /// What a `--history` scan read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<crate::history::HistoryStats>,
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
            entry.env_time += o.env_time;
        }
        self.prefiltered_out += other.prefiltered_out;
        self.secret_files_triggered += other.secret_files_triggered;
        self.secret_rules_run += other.secret_rules_run;
        self.below_confidence += other.below_confidence;
        self.allowlisted.merge(other.allowlisted);
        self.work.add(&other.work);
        let (t, o) = (&mut self.times, other.times);
        t.cpu_read += o.cpu_read;
        t.cpu_env += o.cpu_env;
        t.cpu_secrets += o.cpu_secrets;
        t.cpu_fix += o.cpu_fix;
    }

    /// Adds the facts of one read file.
    pub fn add(&mut self, file: &FileStats) {
        self.bytes_read += file.bytes;
        self.work.add(&file.work);
        let Some(language) = file.language else {
            return;
        };
        let entry = self.languages.entry(label(language)).or_default();
        entry.files += 1;
        entry.bytes += file.bytes;
        entry.env_time += file.env;
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
