//! `shush check --history`: the commits of a range as texts to scan, read in-process
//! from the object database (gix).
//!
//! The lister compares each commit's tree with its parents' trees, entry by entry and
//! in parallel: a subtree or blob whose id a parent has at the same name did not change.
//! Then, over the range's commits oldest first, every blob that is new in the range is
//! listed once (a blob id seen before is not listed again, which is what makes a
//! history scan fast), with the blobs it replaced at its path. The reader decodes a blob as the work tree's reader decodes a file
//! ([`crate::read::decode`]), and the same scan of one text
//! ([`crate::scan::analyze_secrets`]) finds its secrets; a finding counts where one of
//! its lines is new, not a line of a blob it replaced (nor, for a merge, of any parent's
//! blob). The same secret added again later, or at another path, is reported once: at
//! the commit that introduced it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use gix::ObjectId;
use gix::bstr::{BStr, BString, ByteSlice};
use gix::objs::tree::EntryKind;
use rayon::prelude::*;

use crate::Context;
use crate::detect::{Finding, Severity};
use crate::outcome::{CommitRef, FileResult, Note, Outcome, SkipReason};
use crate::source::{self, Language, SourceFile};

/// Which commits a history scan reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Range {
    /// A revision (`main`: it and its ancestors) or a range (`main..feature`); `HEAD`
    /// when not given.
    pub spec: Option<String>,
    /// Only what the commits after this revision add: `--since main` is `main..HEAD`.
    pub since: Option<String>,
    /// Every commit reachable from any reference (branches, tags, remotes, stashes).
    pub all: bool,
}

/// What a history scan counted, for `--stats`.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct HistoryStats {
    /// Commits in the range.
    pub commits: usize,
    /// Blobs the commits added or changed, counted once per commit and path.
    pub blobs_seen: usize,
    /// Distinct blobs read and scanned (the rest were seen before, or skipped).
    pub blobs_scanned: usize,
    /// Bytes of the scanned blobs.
    pub bytes: u64,
    /// Trees read to find them.
    pub trees: usize,
}

/// Why a history scan cannot start.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum HistoryError {
    #[error("--history needs a git repository: {0}")]
    #[diagnostic(
        code(shush::history),
        help("run it inside a clone, or name the clone's directory")
    )]
    NotARepository(String),
    #[error("--history: `{spec}` is not a revision or range of this repository: {reason}")]
    #[diagnostic(
        code(shush::history),
        help(
            "give a branch, tag or commit (`main`), or a range (`main..feature`); a path goes before the flag (`shush check DIR --history`) or write `--history=RANGE`"
        )
    )]
    BadRevision { spec: String, reason: String },
    #[error("--history: the repository has no commits yet")]
    #[diagnostic(code(shush::history))]
    NoCommits,
    #[error("--history: cannot read the repository: {0}")]
    #[diagnostic(code(shush::history))]
    Read(String),
}

/// A commit of the range, in the order of the walk (oldest first).
struct Commit {
    id: ObjectId,
    /// Author time, seconds since the epoch.
    time: i64,
}

/// A blob new in the range: where it first appeared and what it replaced there.
struct Change {
    /// Index into the range's commits.
    commit: usize,
    /// The path in the repository, `/`-separated.
    path: BString,
    blob: ObjectId,
    /// The blobs at the same path in the commit's parents.
    replaced: Vec<ObjectId>,
    /// The path is named like a .env file and appears here for the first time.
    dotenv: bool,
}

/// What the lister found.
struct Listed {
    commits: Vec<Commit>,
    changes: Vec<Change>,
    /// Commits whose parents are not in this clone (its shallow boundary).
    shallow: usize,
    /// Trees the lister could not read (a partial clone).
    missing_trees: usize,
    blobs_seen: usize,
    trees: usize,
}

/// An entry of a tree, owned.
struct Entry {
    name: BString,
    kind: EntryKind,
    id: ObjectId,
}

/// The commits of `range` in `repo`, oldest first (by commit time).
fn commits(repo: &gix::Repository, range: &Range) -> Result<Vec<Commit>, HistoryError> {
    let resolve = |spec: &str| -> Result<gix::revision::plumbing::Spec, HistoryError> {
        repo.rev_parse(spec)
            .map(|s| s.detach())
            .map_err(|e| HistoryError::BadRevision {
                spec: spec.into(),
                reason: e.to_string(),
            })
    };
    let single = |spec: &str| -> Result<ObjectId, HistoryError> {
        use gix::revision::plumbing::Spec;
        match resolve(spec)? {
            Spec::Include(id) => Ok(id),
            _ => Err(HistoryError::BadRevision {
                spec: spec.into(),
                reason: "a single revision is needed here".into(),
            }),
        }
    };
    let head = || -> Result<ObjectId, HistoryError> {
        repo.head_id()
            .map(|id| id.detach())
            .map_err(|_| HistoryError::NoCommits)
    };
    let mut tips: Vec<ObjectId> = Vec::new();
    let mut hidden: Vec<ObjectId> = Vec::new();
    if range.all {
        let refs = repo
            .references()
            .map_err(|e| HistoryError::Read(e.to_string()))?;
        let all = refs.all().map_err(|e| HistoryError::Read(e.to_string()))?;
        for reference in all.flatten() {
            let mut reference = reference;
            if let Ok(id) = reference.peel_to_id() {
                let is_commit = repo
                    .find_header(id)
                    .is_ok_and(|h| h.kind() == gix::object::Kind::Commit);
                if is_commit {
                    tips.push(id.detach());
                }
            }
        }
        if tips.is_empty() {
            return Err(HistoryError::NoCommits);
        }
    } else {
        match &range.spec {
            None => tips.push(head()?),
            Some(spec) => {
                use gix::revision::plumbing::Spec;
                match resolve(spec)? {
                    Spec::Include(id) => tips.push(id),
                    Spec::Range { from, to } => {
                        hidden.push(from);
                        tips.push(to);
                    }
                    Spec::Merge { theirs, ours } => {
                        tips.extend([theirs, ours]);
                        let base = repo.merge_base(theirs, ours).map_err(|e| {
                            HistoryError::BadRevision {
                                spec: spec.clone(),
                                reason: e.to_string(),
                            }
                        })?;
                        hidden.push(base.detach());
                    }
                    _ => {
                        return Err(HistoryError::BadRevision {
                            spec: spec.clone(),
                            reason: "only `REV`, `A..B` and `A...B` are supported".into(),
                        });
                    }
                }
            }
        }
    }
    if let Some(since) = &range.since {
        hidden.push(single(since)?);
    }
    // Tags may point at the commit itself; a tip listed twice is walked once.
    tips.sort();
    tips.dedup();
    let walk = repo
        .rev_walk(tips)
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
        ))
        .with_hidden(hidden)
        .all()
        .map_err(|e| HistoryError::Read(e.to_string()))?;
    let mut out = Vec::new();
    for info in walk {
        let info = info.map_err(|e| HistoryError::Read(e.to_string()))?;
        let commit = repo
            .find_commit(info.id)
            .map_err(|e| HistoryError::Read(e.to_string()))?;
        let time = commit
            .author()
            .ok()
            .and_then(|a| a.time().ok())
            .map_or(0, |t| t.seconds);
        out.push(Commit { id: info.id, time });
    }
    // Oldest first: the walk's order (newest commit time first), reversed.
    out.reverse();
    Ok(out)
}

/// The entries of tree `id`, or `None` when it is not in the object database.
fn entries(repo: &gix::Repository, id: ObjectId) -> Option<Vec<Entry>> {
    let tree = repo.find_tree(id).ok()?;
    let decoded = tree.decode().ok()?;
    Some(
        decoded
            .entries
            .iter()
            .map(|e| Entry {
                name: e.filename.to_owned(),
                kind: e.mode.kind(),
                id: e.oid.to_owned(),
            })
            .collect(),
    )
}

/// A worker thread's handle on the repository, with an object cache of its own.
fn worker_repo(shared: &gix::ThreadSafeRepository) -> gix::Repository {
    let mut local = shared.to_thread_local();
    local.object_cache_size_if_unset(4 * 1024 * 1024);
    local
}

/// Lists the blobs each commit of the range adds (see the module's doc): the commits'
/// comparisons with their parents in parallel, then, in commit order, each blob kept
/// where it first appears.
fn list(
    shared: &gix::ThreadSafeRepository,
    repo: &gix::Repository,
    range: &Range,
    exempt: &[String],
    pool: &rayon::ThreadPool,
    progress: Option<&crate::progress::Progress>,
) -> Result<Listed, HistoryError> {
    let commits = commits(repo, range)?;
    if let Some(progress) = progress {
        progress.commits(commits.len() as u64);
    }
    let diffs: Vec<Result<CommitDiff, HistoryError>> = pool.install(|| {
        commits
            .par_iter()
            .enumerate()
            .map_init(
                || worker_repo(shared),
                |local, (index, commit)| {
                    let diff = diff_commit(local, index, commit.id, exempt);
                    if let Some(progress) = progress {
                        progress.inc();
                    }
                    diff
                },
            )
            .collect()
    });
    let mut listed = Listed {
        commits: Vec::new(),
        changes: Vec::new(),
        shallow: 0,
        missing_trees: 0,
        blobs_seen: 0,
        trees: 0,
    };
    let mut seen_blobs: HashSet<ObjectId> = HashSet::new();
    let mut dotenv_paths: HashSet<BString> = HashSet::new();
    for diff in diffs {
        let diff = diff?;
        listed.shallow += diff.shallow;
        listed.missing_trees += diff.missing_trees;
        listed.trees += diff.trees;
        for mut change in diff.changes {
            listed.blobs_seen += 1;
            // A .env path is reported where it first appears.
            change.dotenv = change.dotenv && dotenv_paths.insert(change.path.clone());
            if !seen_blobs.insert(change.blob) && !change.dotenv {
                continue;
            }
            listed.changes.push(change);
        }
    }
    listed.commits = commits;
    Ok(listed)
}

/// What one commit changes against its parents: every blob that none of them has at
/// its path (`dotenv` set where the name is a .env file's), before the blobs of earlier
/// commits are dropped.
#[derive(Default)]
struct CommitDiff {
    changes: Vec<Change>,
    /// Parents not in this clone (a shallow clone's boundary).
    shallow: usize,
    missing_trees: usize,
    trees: usize,
}

/// Compares commit `id` (the range's `index`th) with its parents.
fn diff_commit(
    repo: &gix::Repository,
    index: usize,
    id: ObjectId,
    exempt: &[String],
) -> Result<CommitDiff, HistoryError> {
    let object = repo
        .find_commit(id)
        .map_err(|e| HistoryError::Read(e.to_string()))?;
    let mut diff = CommitDiff::default();
    let Ok(tree) = object.tree_id() else {
        diff.missing_trees += 1;
        return Ok(diff);
    };
    let mut parents = Vec::new();
    for parent in object.parent_ids() {
        match repo.find_commit(parent).ok().and_then(|p| p.tree_id().ok()) {
            Some(tree) => parents.push(tree.detach()),
            // Beyond a shallow clone's boundary: the commit is compared with nothing.
            None => diff.shallow += 1,
        }
    }
    let mut walker = TreeDiff {
        repo,
        commit: index,
        exempt,
        out: &mut diff,
    };
    walker.compare(tree.detach(), &parents, BString::default());
    Ok(diff)
}

/// One commit's comparison with its parents, tree by tree.
struct TreeDiff<'a> {
    repo: &'a gix::Repository,
    commit: usize,
    exempt: &'a [String],
    out: &'a mut CommitDiff,
}

impl TreeDiff<'_> {
    /// Compares tree `id` at `prefix` with the parents' trees at the same path.
    fn compare(&mut self, id: ObjectId, parents: &[ObjectId], prefix: BString) {
        self.out.trees += 1;
        let Some(entries) = entries(self.repo, id) else {
            self.out.missing_trees += 1;
            return;
        };
        let parent_entries: Vec<HashMap<BString, (EntryKind, ObjectId)>> = parents
            .iter()
            .filter_map(|p| entries_map(self.repo, *p))
            .collect();
        for entry in entries {
            let before: Vec<(EntryKind, ObjectId)> = parent_entries
                .iter()
                .filter_map(|m| m.get(&entry.name).copied())
                .collect();
            if before.iter().any(|(_, id)| *id == entry.id) {
                continue;
            }
            let mut path = prefix.clone();
            if !path.is_empty() {
                path.push(b'/');
            }
            path.extend_from_slice(&entry.name);
            match entry.kind {
                EntryKind::Tree => {
                    let subtrees: Vec<ObjectId> = before
                        .iter()
                        .filter(|(k, _)| *k == EntryKind::Tree)
                        .map(|(_, id)| *id)
                        .collect();
                    self.compare(entry.id, &subtrees, path);
                }
                EntryKind::Blob | EntryKind::BlobExecutable => {
                    let name = entry.name.to_str_lossy();
                    let dotenv = crate::detect::dotenv::is_dotenv(&name, self.exempt);
                    let replaced = before
                        .iter()
                        .filter(|(k, _)| matches!(k, EntryKind::Blob | EntryKind::BlobExecutable))
                        .map(|(_, id)| *id)
                        .collect();
                    self.out.changes.push(Change {
                        commit: self.commit,
                        path,
                        blob: entry.id,
                        replaced,
                        dotenv,
                    });
                }
                // Symbolic links hold a path, submodules a commit of another repository.
                EntryKind::Link | EntryKind::Commit => {}
            }
        }
    }
}

fn entries_map(
    repo: &gix::Repository,
    id: ObjectId,
) -> Option<HashMap<BString, (EntryKind, ObjectId)>> {
    Some(
        entries(repo, id)?
            .into_iter()
            .map(|e| (e.name, (e.kind, e.id)))
            .collect(),
    )
}

/// What the scan of one listed blob found.
struct Scanned {
    change: usize,
    /// The text, kept only when it has findings.
    source: Option<SourceFile>,
    findings: Vec<Finding>,
    bytes: u64,
    stats: crate::stats::FileStats,
}

/// A scanned blob with findings.
struct Found {
    change: usize,
    source: SourceFile,
    findings: Vec<Finding>,
}

/// Why a listed blob was not scanned.
enum Unscanned {
    /// Not in this clone (a partial clone).
    Missing,
    Skipped(SkipReason, String),
}

/// The text of a blob, decoded lossily (the lines a newer blob is compared with).
fn blob_text(repo: &gix::Repository, id: ObjectId) -> Option<String> {
    let object = repo.find_object(id).ok()?;
    Some(String::from_utf8_lossy(&object.data).into_owned())
}

/// Reads and scans one listed blob: its findings on lines it adds.
fn scan_change(
    repo: &gix::Repository,
    change: &Change,
    index: usize,
    workdir: &Path,
    base: &Path,
    ctx: &Context,
) -> Result<Option<Scanned>, Unscanned> {
    let on_disk = workdir.join(gix::path::from_bstr(change.path.as_bstr()));
    let ctx = &*ctx.for_file(&on_disk);
    let limit = ctx.config.max_file_size;
    let size = repo
        .find_header(change.blob)
        .map_err(|_| Unscanned::Missing)?
        .size();
    if size > limit {
        return Err(Unscanned::Skipped(
            SkipReason::TooLarge,
            format!("{size} bytes, over the {limit} byte limit (max-file-size)"),
        ));
    }
    let read_start = Instant::now();
    let data = repo
        .find_object(change.blob)
        .map_err(|_| Unscanned::Missing)?
        .detach()
        .data;
    let mut language = Language::from_path(&on_disk);
    if language == Language::Text && on_disk.extension().is_none() {
        let end = data
            .iter()
            .take(256)
            .position(|b| matches!(b, b'\n' | b'\r'))
            .unwrap_or(data.len().min(256));
        language = Language::from_shebang(&data[..end]);
    }
    let loaded = crate::read::decode(data, size, language)
        .map_err(|(reason, message)| Unscanned::Skipped(reason, message))?;
    let scanned_as = match loaded.lossy {
        Some(l) if l.secrets_only() => Language::Text,
        _ => language,
    };
    let read = read_start.elapsed();
    let shown = source::display_path(&on_disk, base);
    let mut file = SourceFile::new(shown, scanned_as, loaded.text);
    file.encoding = loaded.encoding;
    let analysis = crate::scan::analyze_secrets(&file, ctx);
    let stats = crate::stats::FileStats {
        // Only the secret rules read it.
        language: Some(Language::Text),
        bytes: size,
        secret_rules: analysis.secret_rules,
        below_confidence: analysis.below_confidence,
        allowlisted: analysis.allowlisted,
        read,
        secrets: analysis.secret_time,
        ..Default::default()
    };
    let mut findings = analysis.findings;
    if !findings.is_empty() && !change.replaced.is_empty() {
        // Lines the path held before this commit: a finding on them is not new here.
        let old: Vec<String> = change
            .replaced
            .iter()
            .filter_map(|id| blob_text(repo, *id))
            .collect();
        let old_lines: HashSet<&str> = old
            .iter()
            .flat_map(|t| t.split('\n'))
            .map(|l| l.trim_end_matches('\r'))
            .collect();
        findings.retain(|f| {
            let first = file.line_index(f.span.start);
            let last = file.line_index(f.span.end.saturating_sub(1).max(f.span.start));
            (first..=last).any(|line| {
                let text = &file.text[file.line_range(line)];
                let text = text.trim_end_matches(['\n', '\r']);
                !old_lines.contains(text)
            })
        });
    }
    if change.dotenv
        && !ctx
            .config
            .is_ignored(crate::detect::dotenv::State::Tracked.rule().id.as_str())
    {
        let content = crate::stray::Content::assess(&file.text, &ctx.config.env);
        let secret = content.holds_secrets() || findings.iter().any(|f| f.secret.is_some());
        findings.insert(0, dotenv_finding(&file.path, secret));
    }
    Ok(Some(Scanned {
        change: index,
        source: (!findings.is_empty()).then_some(file),
        findings,
        bytes: size,
        stats,
    }))
}

/// A .env file committed to the repository at some point of its history.
fn dotenv_finding(shown: &Path, secret: bool) -> Finding {
    let rule = crate::detect::dotenv::State::Tracked.rule();
    let shown = shown.display();
    let (severity, what) = if secret {
        (rule.severity, "it held secret-looking values")
    } else {
        (Severity::Warning, "it held no secret-looking value")
    };
    Finding {
        rule: rule.id.as_str(),
        severity,
        span: 0..0,
        message: format!(
            "`{shown}` was committed to git: every value in it is in the repository history; {what}"
        ),
        env_name: None,
        config_key: None,
        fix: None,
        no_fix_reason: Some("history is not rewritten by shush".into()),
        help: Some(
            "rotate every secret it held: deleting the file does not remove it from the history"
                .into(),
        ),
        secret: None,
        has_default: false,
        role: None,
    }
}

/// The author date as RFC 3339 in UTC.
pub fn rfc3339(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// What the same secret is, whatever blob or path holds it.
fn secret_key(file: &SourceFile, finding: &Finding) -> (String, [u8; 32]) {
    use sha2::{Digest, Sha256};
    let subject = if finding.secret.is_some() || finding.span.start < finding.span.end {
        file.text[finding.span.clone()].as_bytes().to_vec()
    } else {
        // A .env file: one finding per path.
        file.path.to_string_lossy().as_bytes().to_vec()
    };
    (finding.rule.to_string(), Sha256::digest(subject).into())
}

/// Scans the history of the repository holding `paths[0]` (see the module's doc):
/// list → read and scan → once per secret → still at HEAD? → the outcome.
pub fn check(
    range: &Range,
    paths: &[PathBuf],
    base: &Path,
    threads: usize,
    progress: Option<&crate::progress::Progress>,
    ctx: &Context,
) -> Result<Outcome, HistoryError> {
    let start = Instant::now();
    let repo = Opened::discover(paths, base)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        // Deeply nested text recurses in the secret rules' helpers.
        .stack_size(64 * 1024 * 1024)
        .build()
        .map_err(|e| HistoryError::Read(e.to_string()))?;
    let listed = list(
        &repo.shared,
        &repo.local,
        range,
        &ctx.config.dotenv.extend_exempt,
        &pool,
        progress,
    )?;
    let list_time = start.elapsed();
    let scan_start = Instant::now();
    let results = scan_all(&pool, &repo, &listed, base, progress, ctx);
    let mut outcome = Outcome::default();
    // Each worker kept its secret rules' costs.
    let mut costs = pool.broadcast(|_| crate::stats::take_rule_costs());
    costs.push(crate::stats::take_rule_costs());
    outcome.stats.secret_rules = crate::stats::merge_rule_costs(costs);
    let mut history = HistoryStats {
        commits: listed.commits.len(),
        blobs_seen: listed.blobs_seen,
        trees: listed.trees,
        ..HistoryStats::default()
    };
    let (found, missing) = tally(results, &listed, &repo, base, &mut history, &mut outcome);
    let (found, repeats) = first_of_each(found, &listed);
    let present = Present::at_head(&repo, &found, &pool, ctx.config.max_file_size)?;
    attach(
        found,
        &repeats,
        &present,
        &listed,
        &repo.local,
        &mut outcome,
    );
    note_incomplete(&listed, missing, &mut outcome);
    outcome.repository = Some(repository(&repo.local, &repo.workdir));
    let times = (list_time, scan_start.elapsed());
    finish(&mut outcome, &listed, history, threads, times);
    Ok(outcome)
}

/// The repository, opened once for every thread, and the part of it the run's paths
/// name.
struct Opened {
    shared: gix::ThreadSafeRepository,
    local: gix::Repository,
    /// The work tree (the git directory of a bare repository), absolute.
    workdir: PathBuf,
    /// Repository paths the scan is limited to (none: all of it).
    prefixes: Vec<BString>,
}

impl Opened {
    fn discover(paths: &[PathBuf], base: &Path) -> Result<Opened, HistoryError> {
        let at = paths.first().map(PathBuf::as_path).unwrap_or(base);
        let shared = gix::ThreadSafeRepository::discover(at)
            .map_err(|e| HistoryError::NotARepository(e.to_string()))?;
        let mut local = shared.to_thread_local();
        local.object_cache_size_if_unset(16 * 1024 * 1024);
        let workdir = local
            .workdir()
            .map_or_else(|| local.git_dir().to_path_buf(), Path::to_path_buf);
        let workdir = std::path::absolute(&workdir).unwrap_or(workdir);
        let workdir = workdir.canonicalize().unwrap_or(workdir);
        // Paths below the work tree's root limit the scan to what lies below them.
        let mut prefixes: Vec<BString> = paths
            .iter()
            .filter_map(|p| {
                let p = p.canonicalize().unwrap_or_else(|_| p.clone());
                let rel = p.strip_prefix(&workdir).ok()?;
                let rel = gix::path::to_unix_separators_on_windows(gix::path::into_bstr(rel));
                Some(rel.into_owned())
            })
            .collect();
        if prefixes.iter().any(|p| p.is_empty()) {
            prefixes.clear();
        }
        Ok(Opened {
            shared,
            local,
            workdir,
            prefixes,
        })
    }

    /// Whether the repository path `path` is among the run's paths.
    fn wanted(&self, path: &BStr) -> bool {
        self.prefixes.is_empty()
            || self
                .prefixes
                .iter()
                .any(|p| path.starts_with(p) && path.get(p.len()).is_none_or(|b| *b == b'/'))
    }

    /// Where a repository path is shown: relative to `base`, as work-tree paths are.
    fn shown(&self, path: &BStr, base: &Path) -> PathBuf {
        source::display_path(&self.workdir.join(gix::path::from_bstr(path)), base)
    }
}

/// Reads and scans the listed blobs below the run's paths, in parallel (one repository
/// handle per worker).
fn scan_all(
    pool: &rayon::ThreadPool,
    repo: &Opened,
    listed: &Listed,
    base: &Path,
    progress: Option<&crate::progress::Progress>,
    ctx: &Context,
) -> Vec<(usize, Result<Option<Scanned>, Unscanned>)> {
    let changes: Vec<(usize, &Change)> = listed
        .changes
        .iter()
        .enumerate()
        .filter(|(_, c)| repo.wanted(c.path.as_bstr()))
        .collect();
    if let Some(progress) = progress {
        progress.scanning(changes.len() as u64);
    }
    // The thread-local handle is not shared across threads: only these are.
    let (shared, workdir) = (&repo.shared, &repo.workdir);
    pool.install(|| {
        changes
            .par_iter()
            .map_init(
                || worker_repo(shared),
                |local, (index, change)| {
                    let result = scan_change(local, change, *index, workdir, base, ctx);
                    if let Some(progress) = progress {
                        progress.inc();
                    }
                    (*index, result)
                },
            )
            .collect()
    })
}

/// Counts what the workers did into `history` and the outcome (skips get a note), and
/// keeps the blobs with findings. Also returns how many blobs were missing.
fn tally(
    results: Vec<(usize, Result<Option<Scanned>, Unscanned>)>,
    listed: &Listed,
    repo: &Opened,
    base: &Path,
    history: &mut HistoryStats,
    outcome: &mut Outcome,
) -> (Vec<Found>, usize) {
    let mut missing = 0usize;
    let mut found = Vec::new();
    for (index, result) in results {
        let change = &listed.changes[index];
        match result {
            Ok(Some(s)) => {
                history.blobs_scanned += 1;
                history.bytes += s.bytes;
                outcome.summary.files_scanned += 1;
                outcome.stats.add(&s.stats);
                if let Some(source) = s.source {
                    found.push(Found {
                        change: s.change,
                        source,
                        findings: s.findings,
                    });
                }
            }
            Ok(None) => {}
            Err(Unscanned::Missing) => missing += 1,
            Err(Unscanned::Skipped(reason, message)) => {
                *outcome.summary.skipped.entry(reason).or_default() += 1;
                let commit = &listed.commits[change.commit];
                outcome.notes.push(Note {
                    incomplete: false,
                    refused: false,
                    explicit: false,
                    path: Some(repo.shown(change.path.as_bstr(), base)),
                    skipped: Some(reason),
                    message: format!("in commit {}: {message}", short(&commit.id)),
                });
            }
        }
    }
    (found, missing)
}

/// The blobs a secret was found in: where it was first found, then where it was added
/// again.
type Repeats = HashMap<(String, [u8; 32]), Vec<ObjectId>>;

/// Keeps each secret (and each committed .env file) once: at the earliest commit, then
/// path. Also returns every blob each was found in.
fn first_of_each(mut found: Vec<Found>, listed: &Listed) -> (Vec<Found>, Repeats) {
    found.sort_by(|a, b| {
        let (ca, cb) = (&listed.changes[a.change], &listed.changes[b.change]);
        (ca.commit, &ca.path).cmp(&(cb.commit, &cb.path))
    });
    let mut repeats: Repeats = HashMap::new();
    for s in &mut found {
        let source = &s.source;
        let blob = listed.changes[s.change].blob;
        s.findings.retain(|f| {
            let key = secret_key(source, f);
            let first = !repeats.contains_key(&key);
            repeats.entry(key).or_default().push(blob);
            first
        });
    }
    found.retain(|s| !s.findings.is_empty());
    (found, repeats)
}

/// What `HEAD` still holds of the findings: the secrets some blob of its tree holds
/// (under any name), and its paths (for .env files).
struct Present {
    secrets: HashSet<String>,
    tree: Option<gix::ObjectId>,
}

impl Present {
    fn at_head(
        repo: &Opened,
        found: &[Found],
        pool: &rayon::ThreadPool,
        limit: u64,
    ) -> Result<Present, HistoryError> {
        let tree = repo
            .local
            .head_commit()
            .ok()
            .and_then(|c| c.tree_id().ok())
            .map(|id| id.detach());
        let mut wanted: Vec<String> = found
            .iter()
            .flat_map(|s| {
                s.findings
                    .iter()
                    .filter(|f| f.secret.is_some() && !f.span.is_empty())
                    .map(|f| s.source.text[f.span.clone()].to_string())
            })
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut secrets = HashSet::new();
        if let (Some(tree), false) = (tree, wanted.is_empty()) {
            let blobs: Vec<ObjectId> = all_blobs(&repo.local, tree).into_iter().collect();
            let matcher = aho_corasick::AhoCorasick::new(&wanted)
                .map_err(|e| HistoryError::Read(e.to_string()))?;
            let shared = &repo.shared;
            let hits: HashSet<usize> = pool.install(|| {
                blobs
                    .par_iter()
                    .map_init(
                        || worker_repo(shared),
                        |local, id| {
                            let small = local.find_header(*id).is_ok_and(|h| h.size() <= limit);
                            let Some(object) = small.then(|| local.find_object(*id).ok()).flatten()
                            else {
                                return Vec::new();
                            };
                            matcher
                                .find_overlapping_iter(&object.data)
                                .map(|m| m.pattern().as_usize())
                                .collect()
                        },
                    )
                    .flatten()
                    .collect()
            });
            secrets = hits.into_iter().map(|i| wanted[i].clone()).collect();
        }
        Ok(Present { secrets, tree })
    }

    /// Whether `HEAD` still holds `finding` of `source` (found at `path`).
    fn holds(
        &self,
        repo: &gix::Repository,
        source: &SourceFile,
        finding: &Finding,
        path: &BStr,
    ) -> bool {
        if finding.secret.is_some() {
            return self.secrets.contains(&source.text[finding.span.clone()]);
        }
        let Some(tree) = self.tree.and_then(|id| repo.find_tree(id).ok()) else {
            return false;
        };
        tree.lookup_entry_by_path(gix::path::from_bstr(path))
            .ok()
            .flatten()
            .is_some()
    }
}

/// Adds the findings to the outcome, one file result per blob, commit and presence at
/// `HEAD`, with the advice that fits.
fn attach(
    found: Vec<Found>,
    repeats: &Repeats,
    present: &Present,
    listed: &Listed,
    repo: &gix::Repository,
    outcome: &mut Outcome,
) {
    let mut refs: HashMap<(usize, bool), Arc<CommitRef>> = HashMap::new();
    for s in found {
        let change = &listed.changes[s.change];
        let source = Arc::new(s.source);
        let (now, gone): (Vec<Finding>, Vec<Finding>) = s
            .findings
            .into_iter()
            .partition(|f| present.holds(repo, &source, f, change.path.as_bstr()));
        for (mut findings, in_head) in [(now, true), (gone, false)] {
            if findings.is_empty() {
                continue;
            }
            for f in findings.iter_mut().filter(|f| f.secret.is_some()) {
                let again = repeats[&secret_key(&source, f)].len() - 1;
                if again > 0 {
                    f.message.push_str(&format!(
                        " (added again in {again} later commit(s) or path(s))"
                    ));
                }
                f.help = Some(if in_head {
                    "rotate it and move it into the secret store: it is in the git history, and still in HEAD".into()
                } else {
                    "rotate it: it was removed, but it is still in the git history".into()
                });
            }
            let commit = &listed.commits[change.commit];
            let commit = refs
                .entry((change.commit, in_head))
                .or_insert_with(|| {
                    Arc::new(CommitRef {
                        id: commit.id.to_string(),
                        date: rfc3339(commit.time),
                        in_head,
                    })
                })
                .clone();
            outcome.files.push(FileResult {
                source: source.clone(),
                findings,
                fixes_applied: 0,
                imports_added: 0,
                imports_removed: 0,
                diff: None,
                written: false,
                analysis_plan: crate::fix::FixPlan::default(),
                reads_fixed: 0,
                loader_reads: Vec::new(),
                handoffs: crate::detect::handoff::HandOffs::default(),
                default_import: None,
                commit: Some(commit),
            });
        }
    }
}

/// What the clone lacks: history beyond a shallow clone's boundary, objects a partial
/// clone did not fetch. Either makes the run not fully checked.
fn note_incomplete(listed: &Listed, missing_blobs: usize, outcome: &mut Outcome) {
    let mut note = |message: String| {
        outcome.notes.push(Note {
            incomplete: true,
            refused: false,
            explicit: true,
            path: None,
            skipped: None,
            message,
        });
        outcome.summary.not_fully_checked += 1;
    };
    if listed.shallow > 0 {
        note(format!(
            "shallow clone: {} parent commit(s) are not in this clone, so what the commits at its boundary hold is reported as added there; fetch the full history (`git fetch --unshallow`) to scan all of it",
            listed.shallow
        ));
    }
    if missing_blobs > 0 || listed.missing_trees > 0 {
        note(format!(
            "{missing_blobs} blob(s) and {} tree(s) are not in this clone (a partial clone?): not scanned",
            listed.missing_trees
        ));
    }
}

/// Counts, sorts (by path, then commit) and times the outcome.
fn finish(
    outcome: &mut Outcome,
    listed: &Listed,
    history: HistoryStats,
    threads: usize,
    (list_time, scan_time): (std::time::Duration, std::time::Duration),
) {
    outcome.close_summary();
    let order: HashMap<String, usize> = listed
        .commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.to_string(), i))
        .collect();
    let position = |f: &FileResult| {
        f.commit
            .as_ref()
            .and_then(|c| order.get(c.id.as_str()).copied())
    };
    outcome
        .files
        .sort_by(|a, b| (&a.source.path, position(a)).cmp(&(&b.source.path, position(b))));
    outcome
        .notes
        .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    let stats = &mut outcome.stats;
    stats.threads = threads;
    stats.files_seen = history.blobs_seen;
    stats.files_scanned = outcome.summary.files_scanned;
    stats.skipped = outcome.summary.skipped.clone();
    stats.findings = outcome.files.iter().map(|f| f.findings.len()).sum();
    stats.times.walk = list_time;
    stats.times.scan = scan_time;
    stats.history = Some(history);
}

/// Every blob id in tree `id` and below.
fn all_blobs(repo: &gix::Repository, id: ObjectId) -> HashSet<ObjectId> {
    let mut out = HashSet::new();
    let mut trees = vec![id];
    let mut seen = HashSet::new();
    while let Some(tree) = trees.pop() {
        if !seen.insert(tree) {
            continue;
        }
        for e in entries(repo, tree).unwrap_or_default() {
            match e.kind {
                EntryKind::Tree => trees.push(e.id),
                EntryKind::Blob | EntryKind::BlobExecutable => {
                    out.insert(e.id);
                }
                EntryKind::Link | EntryKind::Commit => {}
            }
        }
    }
    out
}

/// How SARIF names the repository: its `origin` URL (or its directory), `HEAD` and
/// the branch.
fn repository(repo: &gix::Repository, workdir: &Path) -> crate::outcome::Repository {
    // Scheme, host, port and path only: a user name or token in the URL stays out.
    let remote = repo.find_remote("origin").ok().and_then(|r| {
        let url = r.url(gix::remote::Direction::Fetch)?;
        let host = url.host()?;
        let port = url.port.map_or(String::new(), |p| format!(":{p}"));
        let path = url.path.to_str_lossy();
        let slash = if path.starts_with('/') { "" } else { "/" };
        Some(format!(
            "{}://{host}{port}{slash}{path}",
            url.scheme.as_str()
        ))
    });
    let uri = remote.unwrap_or_else(|| {
        let path = workdir.to_string_lossy().replace('\\', "/");
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        format!("file://{path}/")
    });
    crate::outcome::Repository {
        uri,
        head: repo.head_id().ok().map(|id| id.to_string()),
        branch: repo
            .head_name()
            .ok()
            .flatten()
            .map(|n| n.as_bstr().to_str_lossy().into_owned()),
    }
}

fn short(id: &ObjectId) -> String {
    id.to_hex_with_len(10).to_string()
}
