//! `shush check`: one code path for check, diff and fix. Each file is read once,
//! analyzed into findings and edits, and the mode decides only the last step (report,
//! diff, or write). Files are processed in parallel; results are sorted once.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::cli::{CheckArgs, Color, FailOn, Format};
use crate::detect::handoff::HandOffs;
use crate::detect::{self, dotenv};
use crate::fix::{self, diff, write};
use crate::read::{Loaded, Lossy};
use crate::report;
use crate::source::{self, Language, SourceFile};
use crate::stats::FileStats;
use crate::walk::{self, Entry};
use crate::{Config, Context, exit, stray};

pub use crate::outcome::{FileResult, KeyUse, Mode, Note, Outcome, SkipReason, Summary};
pub use crate::scan::{Converged, analyze, converge};

/// A run that cannot start.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CheckError {
    #[error("cannot start the worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    #[error("{0}")]
    #[diagnostic(code(shush::staged))]
    Staged(String),
    #[error(transparent)]
    #[diagnostic(transparent)]
    History(#[from] crate::history::HistoryError),
}

/// The options of one check run, independent of the command line.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub mode: Mode,
    pub unsafe_fixes: bool,
    pub threads: usize,
    /// Paths are shown relative to this directory.
    pub base: PathBuf,
    /// Secrets may appear in full in diffs.
    pub show_secrets: bool,
    /// Scan the staged blobs of the git index instead of walking the work tree.
    pub staged: bool,
    /// Scan these commits of the git history instead of the work tree.
    pub history: Option<crate::history::Range>,
    /// Advanced once per file; drawn only where `progress` decides.
    pub progress: Option<crate::progress::Progress>,
}

/// What every command that scans starts from: the directory paths are shown relative
/// to, the paths made absolute, the config (given, or found from the first path) and the
/// thread count.
pub struct Setup {
    pub base: PathBuf,
    pub paths: Vec<PathBuf>,
    pub config: Config,
    /// Where each file's own config is found (nested config files, overrides).
    pub tree: crate::config::tree::ConfigTree,
    pub threads: usize,
}

impl Setup {
    pub fn new(
        paths: &[PathBuf],
        config: Option<&std::path::Path>,
        threads: Option<usize>,
    ) -> miette::Result<Setup> {
        let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let paths: Vec<PathBuf> = paths
            .iter()
            .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
            .collect();
        let cli = crate::config::tree::CliOverrides::default();
        let (config, tree) = match config {
            Some(path) => {
                let file = crate::config::ConfigFile::load(path)?;
                let config = file.config.clone();
                (config, crate::config::tree::ConfigTree::fixed(file, cli))
            }
            None => (
                Config::discover(paths.first().map(PathBuf::as_path).unwrap_or(&base))?,
                crate::config::tree::ConfigTree::discover(cli),
            ),
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = match threads {
            Some(0) | None => cores,
            // More threads than this only wait for each other (and each costs its own
            // parsers and keyword tables to set up: `-j 5000` took minutes on one file).
            Some(n) => n.min(max_threads(cores)),
        };
        Ok(Setup {
            base,
            paths,
            config,
            tree,
            threads,
        })
    }
}

/// The most worker threads `-j` gets: four per core, at least 8.
pub fn max_threads(cores: usize) -> usize {
    (4 * cores).max(8)
}

/// `shush check` from the command line.
pub fn run(args: CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> miette::Result<i32> {
    let run_start = Instant::now();
    let Setup {
        base,
        paths,
        mut config,
        mut tree,
        threads,
    } = Setup::new(&args.paths, args.config.as_deref(), args.threads)?;
    tree.cli = crate::config::tree::CliOverrides {
        env_scope: args.env_scope,
        min_confidence: args.min_confidence,
    };
    tree.cli.apply(&mut config);
    if args.diff && args.format != Format::Human {
        return Err(miette::miette!(
            help = "run `--diff` and `--format json` as two commands",
            "--diff prints a patch; it cannot be combined with --format {:?}",
            args.format
        ));
    }
    let mode = if args.fix {
        Mode::Fix
    } else if args.diff {
        Mode::Diff
    } else {
        Mode::Check
    };
    if args.report.is_some() && mode == Mode::Check {
        return Err(miette::miette!(
            help = "add --fix (or --diff for a dry run)",
            "--report describes what a fix did; it needs --fix or --diff"
        ));
    }
    // Every output path is checked before anything is written: a bad `--report` must not
    // fail after the fixes are on disk.
    for (flag, path) in [
        ("--report", &args.report),
        ("--write-baseline", &args.write_baseline),
    ] {
        if let Some(path) = path {
            crate::fix::write::check_writable(path).map_err(|e| {
                miette::miette!(
                    help = "name a file in a directory that exists and that you can write to",
                    "{flag} {}: cannot write there: {e}",
                    path.display()
                )
            })?;
        }
    }
    let progress = crate::progress::Progress::start();
    let options = CheckOptions {
        paths,
        mode,
        unsafe_fixes: args.unsafe_fixes,
        threads,
        base,
        show_secrets: args.show_secrets,
        staged: args.staged,
        history: (args.history.is_some() || args.since.is_some() || args.all).then(|| {
            crate::history::Range {
                spec: args.history.clone().filter(|s| !s.is_empty()),
                since: args.since.clone(),
                all: args.all,
            }
        }),
        progress: Some(progress.clone()),
    };
    let mut ctx = Context::with_tree(config, tree);
    // The team's packs (`packs` in the run's config) join the embedded ones.
    ctx.rules = crate::rules::RuleSet::with_packs(
        &ctx.config.packs,
        ctx.config.default_secret_packs,
        &ctx.config.dropped_env_packs,
    )?;
    // Only these outputs show a fix's edits; the others show its title.
    ctx.import_edits = mode != Mode::Check || matches!(args.format, Format::Json | Format::Sarif);
    // JSON and SARIF carry each fix whole, with the removal of the imports it leaves
    // unused.
    ctx.applies_fixes = mode != Mode::Check || matches!(args.format, Format::Json | Format::Sarif);
    ctx.partial_parse = !args.parse_whole_files;
    let baseline = match &args.baseline {
        Some(path) => Some(crate::baseline::Baseline::load(path)?),
        None => None,
    };
    let outcome = check(&options, &ctx);
    progress.finish();
    let mut outcome = outcome?;
    config_errors(&ctx)?;
    let report_start = Instant::now();
    if let Some(path) = &args.write_baseline {
        let written = crate::baseline::Baseline::of(&outcome);
        written.write(path)?;
        writeln!(
            err,
            "Wrote {} finding(s) to the baseline {}.",
            written.findings.len(),
            path.display()
        )
        .map_err(|e| miette::miette!("{e}"))?;
        return Ok(exit::CLEAN);
    }
    if let Some(baseline) = &baseline {
        outcome.summary.baselined = baseline.filter(&mut outcome);
    }
    let remediation = (mode != Mode::Check)
        .then(|| report::remediation::Remediation::of(&outcome, mode, options.unsafe_fixes));
    if let (Some(path), Some(r)) = (&args.report, &remediation) {
        r.write_json(path)
            .map_err(|e| miette::miette!("cannot write the report {}: {e}", path.display()))?;
    }

    // With no config, the fixes import a loader that belongs to no project: say so once.
    let defaults: std::collections::BTreeSet<&str> = outcome
        .files
        .iter()
        .filter_map(|f| f.default_import.as_deref())
        .collect();
    if !defaults.is_empty() {
        let lines: Vec<String> = defaults.iter().map(|l| format!("`{l}`")).collect();
        writeln!(
            err,
            "note: no shush.toml applies, so the fixes import shush's default loader: {}; run `shush init` to set yours",
            lines.join(", ")
        )
        .map_err(|e| miette::miette!("{e}"))?;
    }
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal(),
    };
    let io = |e: std::io::Error| miette::miette!("cannot write output: {e}");
    match (mode, args.format) {
        (Mode::Diff, Format::Human) => {
            for file in &outcome.files {
                if let Some(d) = &file.diff {
                    out.write_all(d.as_bytes()).map_err(io)?;
                }
            }
            for d in &outcome.extra_diffs {
                out.write_all(d.as_bytes()).map_err(io)?;
            }
            report::human::notes(&outcome, args.verbose, err).map_err(io)?;
            report::human::summary(&outcome, mode, err).map_err(io)?;
        }
        (_, Format::Human) => {
            report::human::findings(&outcome, color, args.show_secrets, options.threads, out)
                .map_err(io)?;
            report::human::notes(&outcome, args.verbose, err).map_err(io)?;
            report::human::summary(&outcome, mode, out).map_err(io)?;
            if let (Mode::Fix, Some(r)) = (mode, &remediation) {
                r.write_human(out).map_err(io)?;
            }
        }
        (_, Format::Json) => {
            report::json::write(&outcome, args.show_secrets, out).map_err(io)?;
        }
        (_, Format::Sarif) => {
            let ignored = |rule: &str| ctx.config.is_ignored(rule);
            report::sarif::write(&outcome, &ctx.rules, &ignored, &options.base, out).map_err(io)?;
        }
        (_, Format::Github) => {
            report::github::write(&outcome, out).map_err(io)?;
            report::human::notes(&outcome, args.verbose, err).map_err(io)?;
        }
        (_, Format::Junit) => {
            report::junit::write(&outcome, out).map_err(io)?;
            report::human::notes(&outcome, args.verbose, err).map_err(io)?;
        }
    }
    if args.stats {
        out.flush().map_err(io)?;
        outcome.stats.times.report = report_start.elapsed();
        outcome.stats.times.total = run_start.elapsed();
        if args.format == Format::Json {
            report::stats::write_json(&outcome.stats, err).map_err(io)?;
        } else {
            report::stats::write(&outcome.stats, err).map_err(io)?;
        }
    }
    let unchecked = outcome.summary.unchecked();
    if args.strict && !unchecked.is_empty() {
        let parts: Vec<String> = unchecked
            .iter()
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        writeln!(
            err,
            "error: --strict: not everything was checked ({})",
            parts.join(", ")
        )
        .map_err(io)?;
    }
    Ok(exit_code(
        &outcome,
        args.exit_zero,
        args.fail_on,
        args.strict,
    ))
}

/// A nested config file that could not be used fails the run (exit 2), as the root
/// config does: its files were scanned with the defaults, which is not what was asked.
pub fn config_errors(ctx: &Context) -> miette::Result<()> {
    let Some(tree) = &ctx.tree else { return Ok(()) };
    match tree.take_errors().into_iter().next() {
        Some((_, e)) => Err(miette::Report::new(e)),
        None => Ok(()),
    }
}

/// 2 when the run failed (or, with `--strict`, did not check everything), 1 for
/// findings at or above `fail_on` (unless `--exit-zero`), else 0.
fn exit_code(outcome: &Outcome, exit_zero: bool, fail_on: FailOn, strict: bool) -> i32 {
    let failing = match fail_on {
        FailOn::Error => outcome.summary.errors,
        FailOn::Warning => outcome.summary.errors + outcome.summary.warnings,
    };
    if outcome.failed || (strict && !outcome.summary.unchecked().is_empty()) {
        exit::ERROR
    } else if failing > 0 && !exit_zero {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

/// Runs the pipeline over `options.paths` with `ctx`; the I/O of fixes happens here,
/// reporting is left to the caller.
pub fn check(options: &CheckOptions, ctx: &Context) -> Result<Outcome, CheckError> {
    if let Some(range) = &options.history {
        return Ok(crate::history::check(
            range,
            &options.paths,
            &options.base,
            options.threads,
            options.progress.as_ref(),
            ctx,
        )?);
    }
    let walk_start = Instant::now();
    // What an earlier run on this thread left.
    crate::stats::take_rule_costs();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        // Deeply nested code recurses in the detectors.
        .stack_size(64 * 1024 * 1024)
        .build()?;
    let handle =
        |entry: &Entry, staged: Option<&[u8]>, ctx: &Context| scan_one(entry, staged, options, ctx);
    let Sources {
        mut walked,
        staged,
        streamed: mut results,
        streaming,
        mut walk_time,
    } = sources(options, ctx, &pool, walk_start, &handle)?;
    let strays_start = Instant::now();
    let (strays, added) = stray::find(
        &options.paths,
        &mut walked.entries,
        &ctx.config,
        !options.staged,
    );
    walked.files += added.len();
    let mut outcome = Outcome::default();
    outcome.stats.threads = options.threads;
    outcome.stats.files_seen = walked.files
        + walked.symlinks.len()
        + walked.excluded
        + walked.issues.iter().filter(|i| !i.fatal).count();
    if !streaming {
        if let Some(progress) = &options.progress {
            progress.scanning(walked.entries.len() as u64);
        }
    }
    walk_time += strays_start.elapsed();
    // What is left: every file when the walk came first, or else the tracked .env
    // files an ignore file hid from the walk.
    let rest_start = Instant::now();
    let rest: &[Entry] = if streaming { &added } else { &walked.entries };
    // Fixes are decided knowing which variables the tree hands to its child processes.
    let with_handoffs;
    let ctx = if options.mode == Mode::Check {
        ctx
    } else {
        let handoffs = pool.install(|| collect_handoffs(rest, &staged, &options.base, ctx));
        outcome.stats.handoffs = handoffs.len();
        with_handoffs = ctx.with_handoffs(handoffs);
        &with_handoffs
    };
    let more = pool.install(|| {
        rest.par_iter()
            .fold(Collected::default, |acc, entry| {
                acc.add(handle(
                    entry,
                    staged.get(&entry.path).map(Vec::as_slice),
                    ctx,
                ))
            })
            .reduce(Collected::default, Collected::merge)
    });
    results = results.merge(more);
    // Each worker kept its secret rules' costs; this thread's are from the hand-off pass.
    let mut costs = pool.broadcast(|_| crate::stats::take_rule_costs());
    costs.push(crate::stats::take_rule_costs());
    outcome.stats.secret_rules = crate::stats::merge_rule_costs(costs);
    outcome.stats.times.walk = walk_time;
    outcome.stats.times.scan = (strays_start - walk_start) + rest_start.elapsed();
    let stray_paths: std::collections::HashSet<&std::path::Path> =
        strays.iter().map(|s| s.path.as_path()).collect();
    let collect_start = Instant::now();
    note_walk(&walked, &options.base, &mut outcome);
    outcome.summary.files_scanned += results.clean;
    outcome.stats.merge(std::mem::take(&mut results.stats));
    apply_handoffs(&mut results, &mut outcome);
    gather(results.kept, &stray_paths, &mut outcome);
    attach_strays(&strays, options, &ctx.config.env, &mut outcome);
    finish(&mut outcome);
    outcome.stats.times.collect = collect_start.elapsed();
    Ok(outcome)
}

/// Processes one file on a worker; one with nothing to report keeps only its counts,
/// not its text, unless it may be a stray .env file (known once the walk is over),
/// which gets that finding.
fn scan_one(
    entry: &Entry,
    staged: Option<&[u8]>,
    options: &CheckOptions,
    ctx: &Context,
) -> Processed {
    // What the stages did for this file alone (a file is scanned on one thread).
    crate::stats::take_work();
    let mut processed = process(entry, staged, options, ctx);
    if let Processed::Scanned(_, _, stats) = &mut processed {
        stats.work = crate::stats::take_work();
    }
    if let Some(progress) = &options.progress {
        progress.inc();
    }
    match processed {
        Processed::Scanned(mut result, notes, stats)
            if notes.is_empty()
                && result.findings.is_empty()
                && result.loader_reads.is_empty()
                && result.diff.is_none()
                && !result.written =>
        {
            if dotenv_named(&entry.path, ctx) {
                Processed::MaybeStray(entry.path.clone(), result, stats)
            } else {
                Processed::Clean(stats, std::mem::take(&mut result.handoffs))
            }
        }
        other => other,
    }
}

/// Whether `path` is named like a .env file (and so may be a stray).
fn dotenv_named(path: &std::path::Path, ctx: &Context) -> bool {
    let name = path.file_name().and_then(|n| n.to_str());
    name.is_some_and(|n| dotenv::is_dotenv(n, &ctx.config.dotenv.extend_exempt))
}

/// What scans one listed file on a worker ([`scan_one`] with the run's options).
type Handler<'a> = dyn Fn(&Entry, Option<&[u8]>, &Context) -> Processed + Sync + 'a;

/// The texts a run scans, as listed: the walk's files, or the staged blobs.
struct Sources {
    walked: walk::Walked,
    /// The staged content of each file (`--staged`).
    staged: std::collections::HashMap<PathBuf, Vec<u8>>,
    /// What the workers made of the files scanned while the walk ran.
    streamed: Collected,
    /// The files were scanned as the walk found them (a plain check).
    streaming: bool,
    walk_time: std::time::Duration,
}

/// Lists the run's texts: the staged blobs (`--staged`), or the walk of the paths. A
/// plain check scans each file as the walk finds it (`handle` on the pool); `--fix`
/// walks first, so that the walk never sees its own writes, and `--diff` too: its
/// fixes, like `--fix`'s, are decided knowing the tree's hand-offs.
fn sources(
    options: &CheckOptions,
    ctx: &Context,
    pool: &rayon::ThreadPool,
    walk_start: Instant,
    handle: &Handler<'_>,
) -> Result<Sources, CheckError> {
    let mut sources = Sources {
        walked: walk::Walked::default(),
        staged: std::collections::HashMap::new(),
        streamed: Collected::default(),
        streaming: !options.staged && options.mode == Mode::Check,
        walk_time: std::time::Duration::ZERO,
    };
    if options.staged {
        let files = crate::staged::staged_files(&options.base, &options.paths)
            .map_err(CheckError::Staged)?;
        for file in files {
            sources.walked.entries.push(Entry {
                path: file.path.clone(),
                explicit: true,
            });
            sources.staged.insert(file.path, file.content);
        }
        sources.walked.files = sources.walked.entries.len();
        sources.walk_time = walk_start.elapsed();
        return Ok(sources);
    }
    if !sources.streaming {
        sources.walked = walk::walk(&options.paths, &ctx.excludes(), options.threads);
        sources.walk_time = walk_start.elapsed();
        return Ok(sources);
    }
    // Files are scanned as the walk finds them. With the two overlapping, the walk's
    // time is when it ended, the scan's when the last file was done.
    let (tx, rx) = std::sync::mpsc::channel::<Entry>();
    if let Some(progress) = &options.progress {
        progress.scanning(0);
    }
    let excludes = ctx.excludes();
    std::thread::scope(|s| {
        let walker = s.spawn(move || {
            // Only the files named like .env are kept past the scan: the strays are
            // looked for among them.
            let walked = walk::walk_with(&options.paths, &excludes, options.threads, &mut |e| {
                if let Some(progress) = &options.progress {
                    progress.found();
                }
                let _ = tx.send(e.clone());
                dotenv_named(&e.path, ctx)
            });
            (walked, walk_start.elapsed())
        });
        sources.streamed = pool.install(|| {
            rx.into_iter()
                .par_bridge()
                .fold(Collected::default, |acc, entry| {
                    acc.add(handle(&entry, None, ctx))
                })
                .reduce(Collected::default, Collected::merge)
        });
        let (walked, took) = walker.join().expect("the walk does not panic");
        sources.walked = walked;
        sources.walk_time = took;
    });
    Ok(sources)
}

/// A plain check learns the tree's hand-offs as it scans: applied to the kept files
/// once all are known.
fn apply_handoffs(results: &mut Collected, outcome: &mut Outcome) {
    let mut handoffs = std::mem::take(&mut results.handoffs);
    for processed in &mut results.kept {
        if let Processed::Scanned(result, ..) | Processed::MaybeStray(_, result, _) = processed {
            handoffs.merge(std::mem::take(&mut result.handoffs));
        }
    }
    if outcome.stats.handoffs == 0 {
        outcome.stats.handoffs = handoffs.len();
    }
    for processed in &mut results.kept {
        if let Processed::Scanned(result, ..) = processed {
            detect::handoff::apply_tree(&mut result.findings, &handoffs);
        }
    }
}

/// Counts the findings, sorts files and notes by path, and fills in the stats.
fn finish(outcome: &mut Outcome) {
    outcome.close_summary();
    outcome
        .files
        .sort_by(|a, b| a.source.path.cmp(&b.source.path));
    outcome
        .notes
        .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    let stats = &mut outcome.stats;
    stats.files_scanned = outcome.summary.files_scanned;
    stats.skipped = outcome.summary.skipped.clone();
    stats.findings = outcome.files.iter().map(|f| f.findings.len()).sum();
}

/// Adds what the workers kept (the files with something to report, the skipped ones,
/// the .env files that may be strays) to the outcome's files, notes and counts.
fn gather(
    kept: Vec<Processed>,
    stray_paths: &std::collections::HashSet<&std::path::Path>,
    outcome: &mut Outcome,
) {
    let summary = &mut outcome.summary;
    for processed in kept {
        match processed {
            Processed::NotApplicable => {}
            Processed::Skipped(note) => {
                if let Some(reason) = note.skipped {
                    *summary.skipped.entry(reason).or_default() += 1;
                    // A file named on the command line that cannot be read fails the run.
                    outcome.failed |= note.explicit && reason == SkipReason::Unreadable;
                }
                outcome.notes.push(note);
            }
            Processed::Clean(..) => unreachable!("the workers fold clean files into counts"),
            Processed::MaybeStray(path, result, stats) => {
                summary.files_scanned += 1;
                outcome.stats.add(&stats);
                // The stray finding is attached to it below.
                if stray_paths.contains(path.as_path()) {
                    outcome.files.push(*result);
                }
            }
            Processed::Scanned(result, notes, stats) => {
                summary.files_scanned += 1;
                outcome.stats.add(&stats);
                summary.fixed += result.fixes_applied;
                summary.files_changed += usize::from(result.diff.is_some() || result.written);
                for note in &notes {
                    summary.fixes_refused += usize::from(note.refused);
                }
                summary.not_fully_checked += usize::from(notes.iter().any(|n| n.incomplete));
                outcome.notes.extend(notes);
                outcome.files.push(*result);
            }
        }
    }
}

/// What the walk met besides the files it scanned: errors (fatal for a named path),
/// symbolic links, excluded files, FIFOs and devices, leftovers of an interrupted run.
fn note_walk(walked: &walk::Walked, base: &std::path::Path, outcome: &mut Outcome) {
    for issue in &walked.issues {
        outcome.failed |= issue.fatal;
        outcome.notes.push(Note {
            incomplete: false,
            refused: false,
            explicit: issue.fatal,
            path: issue.path.as_ref().map(|p| source::display_path(p, base)),
            skipped: (!issue.fatal).then_some(SkipReason::WalkError),
            message: issue.message.clone(),
        });
    }
    let summary = &mut outcome.summary;
    *summary.skipped.entry(SkipReason::Symlink).or_default() += walked.symlinks.len();
    outcome.notes.extend(walked.symlinks.iter().map(|p| Note {
        incomplete: false,
        refused: false,
        path: Some(source::display_path(p, base)),
        explicit: false,
        skipped: Some(SkipReason::Symlink),
        message: "symbolic link, not followed".into(),
    }));
    *summary.skipped.entry(SkipReason::Excluded).or_default() += walked.excluded;
    let special = [
        (
            &walked.not_regular,
            SkipReason::NotRegular,
            "a FIFO, socket or device: reading it could block",
        ),
        (
            &walked.leftovers,
            SkipReason::Leftover,
            "left behind by an interrupted shush run; safe to remove",
        ),
    ];
    for (paths, reason, message) in special {
        *summary.skipped.entry(reason).or_default() += paths.len();
        outcome.notes.extend(paths.iter().map(|p| Note {
            incomplete: false,
            refused: false,
            path: Some(source::display_path(p, base)),
            explicit: true,
            skipped: Some(reason),
            message: message.into(),
        }));
    }
    for issue in &walked.issues {
        if !issue.fatal {
            *summary.skipped.entry(SkipReason::WalkError).or_default() += 1;
        }
    }
}

/// Adds the stray .env findings to the outcome; with --fix writes the `.gitignore`
/// lines (a fixed unignored file is no longer reported), with --diff shows them.
fn attach_strays(
    strays: &[stray::Stray],
    options: &CheckOptions,
    env: &crate::config::EnvConfig,
    outcome: &mut Outcome,
) {
    let shown = |p: &std::path::Path| source::display_path(p, &options.base);
    let mut written: Vec<PathBuf> = Vec::new();
    if options.mode != Mode::Check {
        for change in stray::gitignore_changes(strays) {
            let path = shown(&change.path);
            let path_str = diff::diff_path(&change.path, &path);
            match options.mode {
                Mode::Diff => outcome.extra_diffs.push(match &change.old {
                    Some(old) => diff::unified(&path_str, old, &change.new),
                    None => diff::new_file(&path_str, &change.new),
                }),
                _ => match stray::write(&change) {
                    Ok(()) => {
                        outcome.summary.files_changed += 1;
                        written.push(change.path.clone());
                    }
                    Err(e) => outcome.notes.push(Note {
                        incomplete: false,
                        refused: true,
                        path: Some(path.clone()),
                        explicit: true,
                        skipped: None,
                        message: format!("not written: {e}"),
                    }),
                },
            }
        }
    }
    for s in strays {
        let fixed =
            s.state != dotenv::State::Ignored && !s.listed && written.contains(&s.gitignore);
        let path = shown(&s.path);
        // What it holds, from its scan (a stray that was read is among the files).
        let content = outcome
            .files
            .iter()
            .find(|f| f.source.path == path)
            .map(|f| {
                let mut content = stray::Content::assess(&f.source.text, env);
                content.secret_finding = f.findings.iter().any(|x| x.secret.is_some());
                content
            });
        let mut finding = stray::finding(s, &path, &shown(&s.gitignore), content.as_ref());
        if fixed {
            outcome.summary.fixed += 1;
            outcome.summary.dotenv_gitignored += 1;
            if s.state == dotenv::State::NotIgnored {
                continue;
            }
            // Listed in .gitignore now; still tracked until `git rm --cached`.
            finding.fix = None;
        }
        match outcome.files.iter_mut().find(|f| f.source.path == path) {
            Some(file) => file.findings.insert(0, finding),
            None => outcome.files.push(FileResult {
                source: Arc::new(SourceFile::new(path, Language::Text, String::new())),
                findings: vec![finding],
                fixes_applied: 0,
                imports_added: 0,
                imports_removed: 0,
                diff: None,
                written: false,
                analysis_plan: fix::FixPlan::default(),
                reads_fixed: 0,
                loader_reads: Vec::new(),
                handoffs: HandOffs::default(),
                default_import: None,
                commit: None,
            }),
        }
    }
}

/// What the workers hand back: the files with something to report, and the counts of
/// the rest (a clean file costs no memory once scanned).
#[derive(Default)]
struct Collected {
    kept: Vec<Processed>,
    clean: usize,
    stats: crate::stats::Stats,
    /// The hand-off variables of the clean files (the kept ones hold their own).
    handoffs: HandOffs,
}

impl Collected {
    fn add(mut self, processed: Processed) -> Collected {
        match processed {
            Processed::Clean(stats, handoffs) => {
                self.clean += 1;
                self.stats.add(&stats);
                self.handoffs.merge(handoffs);
            }
            other => self.kept.push(other),
        }
        self
    }

    fn merge(mut self, mut other: Collected) -> Collected {
        if self.kept.len() < other.kept.len() {
            std::mem::swap(&mut self.kept, &mut other.kept);
        }
        self.kept.append(&mut other.kept);
        self.clean += other.clean;
        self.stats.merge(other.stats);
        self.handoffs.merge(other.handoffs);
        self
    }
}

enum Processed {
    /// No detector applies to the file; it was not read.
    NotApplicable,
    Skipped(Note),
    Scanned(Box<FileResult>, Vec<Note>, FileStats),
    /// Scanned with nothing to report, fix or show (but maybe variables it hands off).
    Clean(FileStats, HandOffs),
    /// Like `Clean`, but named like a .env file (at this path): kept if it turns out to
    /// be a stray.
    MaybeStray(std::path::PathBuf, Box<FileResult>, FileStats),
}

/// Processes one file; `staged` is its content from the git index, when scanning that:
/// read and analyze it, then report it (a plain check) or fix it (`--fix`, `--diff`).
fn process(
    entry: &Entry,
    staged: Option<&[u8]>,
    options: &CheckOptions,
    ctx: &Context,
) -> Processed {
    let ctx = &*ctx.for_file(&entry.path);
    let analyzed = match analyzed(entry, staged, options, ctx) {
        Ok(analyzed) => analyzed,
        Err(None) => return Processed::NotApplicable,
        Err(Some(note)) => return Processed::Skipped(note),
    };
    if options.mode == Mode::Check {
        reported(analyzed)
    } else {
        fixed(analyzed, entry, options, ctx)
    }
}

/// A file read and analyzed: its text, findings, notes and costs so far.
struct Analyzed {
    language: Language,
    original: SourceFile,
    analysis: crate::detect::Analysis,
    notes: Vec<Note>,
    stats: FileStats,
    handoffs: HandOffs,
}

/// Reads (or takes the staged content of) one file and runs the detectors on it; a
/// file that is not read comes back as the note that says why (none: no detector
/// applies).
fn analyzed(
    entry: &Entry,
    staged: Option<&[u8]>,
    options: &CheckOptions,
    ctx: &Context,
) -> Result<Analyzed, Option<Note>> {
    let shown = source::display_path(&entry.path, &options.base);
    let mut language = Language::from_path(&entry.path);
    if language == Language::Text && entry.path.extension().is_none() {
        // An extensionless script: its `#!` line says what it is.
        language = Language::from_shebang(&first_line(&entry.path));
    }
    if !detect::applies(language, &entry.path) {
        return Err(None);
    }
    let skip = |reason: SkipReason, message: String| Note {
        incomplete: false,
        refused: false,
        path: Some(shown.clone()),
        explicit: entry.explicit,
        skipped: Some(reason),
        message,
    };
    let read_start = Instant::now();
    let Loaded {
        size,
        encoding,
        text,
        lossy,
    } = match load(entry, staged, language, ctx) {
        Ok(loaded) => loaded,
        Err((reason, message)) => return Err(Some(skip(reason, message))),
    };
    let mut stats = FileStats {
        language: Some(language),
        bytes: size,
        read: read_start.elapsed(),
        ..FileStats::default()
    };
    // A text the language's parser cannot take goes to the secret rules alone.
    let scanned_as = match lossy {
        Some(l) if l.secrets_only() => Language::Text,
        _ => language,
    };
    let mut original = SourceFile::new(shown.clone(), scanned_as, text);
    original.encoding = encoding;
    let mut analysis = analyze(&original, ctx);
    stats.parsed = analysis.parsed;
    stats.secret_rules = analysis.secret_rules;
    stats.below_confidence = analysis.below_confidence;
    stats.allowlisted = analysis.allowlisted;
    stats.env = analysis.env_time;
    stats.secrets = analysis.secret_time;
    let mut notes = Vec::new();
    let note = |message: String, incomplete: bool| Note {
        refused: false,
        explicit: entry.explicit,
        incomplete,
        path: Some(shown.clone()),
        skipped: None,
        message,
    };
    if let Some(lossy) = lossy {
        // What was read is not what is on disk (or not in an encoding shush writes):
        // its findings get no fix.
        for f in &mut analysis.findings {
            if f.fix.take().is_some() {
                f.no_fix_reason = Some(lossy.no_fix().into());
            }
        }
        analysis.plan = fix::FixPlan::default();
        // A program whose environment reads could not be looked at was not fully checked.
        let code = scanned_as != language;
        let message = lossy.describe();
        notes.push(if code {
            note(
                format!("not fully checked: {message}; environment reads not checked"),
                true,
            )
        } else {
            note(message, false)
        });
    }
    for why in analysis.skipped.iter().chain(&analysis.incomplete) {
        notes.push(note(format!("not fully checked: {why}"), true));
    }
    let mut handoffs = HandOffs::default();
    handoffs.add_file(&original, &analysis.env_writes);
    if let Some(message) = &analysis.note {
        notes.push(note(message.clone(), false));
    }
    Ok(Analyzed {
        language,
        original,
        analysis,
        notes,
        stats,
        handoffs,
    })
}

/// A plain check's result of an analyzed file: its findings as they are.
fn reported(analyzed: Analyzed) -> Processed {
    let Analyzed {
        original,
        analysis,
        notes,
        stats,
        handoffs,
        ..
    } = analyzed;
    let loader_reads = analysis
        .loader_reads
        .iter()
        .map(|r| {
            let at = original.position(r.span.start);
            KeyUse {
                key: r.key.clone(),
                line: at.line,
                column: at.column,
                has_default: r.has_default,
            }
        })
        .collect();
    Processed::Scanned(
        Box::new(FileResult {
            source: Arc::new(original),
            findings: analysis.findings,
            fixes_applied: 0,
            imports_added: 0,
            imports_removed: 0,
            diff: None,
            written: false,
            analysis_plan: analysis.plan,
            reads_fixed: 0,
            loader_reads,
            handoffs,
            default_import: None,
            commit: None,
        }),
        notes,
        stats,
    )
}

/// `--fix` or `--diff` of an analyzed file: the fixes applied until they converge,
/// then written (`--fix`) or shown as a diff (`--diff`).
fn fixed(analyzed: Analyzed, entry: &Entry, options: &CheckOptions, ctx: &Context) -> Processed {
    let Analyzed {
        language,
        original,
        analysis,
        mut notes,
        mut stats,
        handoffs,
    } = analyzed;
    let fix_start = Instant::now();
    // `--diff` writes nothing: it reports the file's findings as they are on disk.
    let on_disk =
        (options.mode == Mode::Diff).then(|| (analysis.findings.clone(), analysis.plan.clone()));
    let fixed = converge(&original, analysis, ctx, options.unsafe_fixes);
    if let Some(reason) = &fixed.refused {
        notes.push(Note {
            incomplete: false,
            refused: true,
            explicit: true,
            path: Some(original.path.clone()),
            skipped: None,
            message: reason.clone(),
        });
    }
    let changed = fixed.source.text != original.text;
    let mut result = FileResult {
        diff: None,
        written: false,
        fixes_applied: fixed.fixes,
        reads_fixed: fixed.reads_fixed,
        loader_reads: Vec::new(),
        handoffs,
        commit: None,
        default_import: (fixed.imports_added > 0 && ctx.config.path.is_none())
            .then(|| default_import_line(&ctx.config, language))
            .flatten(),
        imports_added: fixed.imports_added,
        imports_removed: fixed.imports_removed,
        findings: fixed.analysis.findings,
        analysis_plan: fixed.analysis.plan,
        source: Arc::new(fixed.source),
    };
    if changed {
        let old = original.contents();
        let new = result.source.contents();
        match options.mode {
            Mode::Diff => {
                let findings = on_disk.as_ref().map_or(&[][..], |(f, _)| f.as_slice());
                result.diff = Some(render_diff(
                    entry, &original, findings, &old, &new, options, &mut notes,
                ));
            }
            Mode::Fix => match write_fixed(&entry.path, &original, &result.source) {
                Ok(()) => result.written = true,
                Err(e) => {
                    notes.push(Note {
                        incomplete: false,
                        refused: true,
                        explicit: true,
                        path: Some(original.path.clone()),
                        skipped: None,
                        message: format!("fixes not written: {e}"),
                    });
                    // Nothing was written: report the findings of the file as it is.
                    let analysis = analyze(&original, ctx);
                    result.findings = analysis.findings;
                    result.analysis_plan = analysis.plan;
                    result.fixes_applied = 0;
                    result.reads_fixed = 0;
                    result.imports_added = 0;
                    result.imports_removed = 0;
                    result.source = Arc::new(original.clone());
                }
            },
            Mode::Check => unreachable!("check mode returned above"),
        }
    }
    if let Some((findings, plan)) = on_disk {
        result.findings = findings;
        result.analysis_plan = plan;
        result.source = Arc::new(original);
    }
    stats.fix = fix_start.elapsed();
    Processed::Scanned(Box::new(result), notes, stats)
}

/// The unified diff of a fixed file. Unless the run shows secrets, the secrets the
/// file's findings hold (`on_disk`), and any token on the lines shown that looks
/// machine-made, are masked in it, and a note says so.
fn render_diff(
    entry: &Entry,
    original: &SourceFile,
    on_disk: &[crate::detect::Finding],
    old: &str,
    new: &str,
    options: &CheckOptions,
    notes: &mut Vec<Note>,
) -> String {
    let secrets: Vec<(&str, usize)> = on_disk
        .iter()
        .filter_map(|f| {
            f.secret
                .as_ref()
                .map(|s| (&original.text[f.span.clone()], s.shown()))
        })
        .collect();
    let (unified, masked) = if options.show_secrets {
        (
            diff::unified(&diff::diff_path(&entry.path, &original.path), old, new),
            String::new(),
        )
    } else {
        let (old, new) = (
            report::mask_all(old, &secrets),
            report::mask_all(new, &secrets),
        );
        let unified = diff::unified(&diff::diff_path(&entry.path, &original.path), &old, &new);
        // A token that looks machine-made on a line the diff shows may be a
        // secret no rule found.
        let (unified, tokens) = report::mask_diff(&unified);
        let masked = match (secrets.len(), tokens) {
            (0, 0) => String::new(),
            (n, 0) => format!("{n} secret(s)"),
            (0, t) => format!("{t} token(s) that look like secrets"),
            (n, t) => format!("{n} secret(s) and {t} token(s) that look like secrets"),
        };
        (unified, masked)
    };
    if !masked.is_empty() {
        notes.push(Note {
            incomplete: false,
            refused: false,
            explicit: true,
            path: Some(original.path.clone()),
            skipped: None,
            message: format!(
                "the diff masks {masked}, so it does not apply as printed; --show-secrets prints it in full"
            ),
        });
    }
    unified
}

/// The import line of the loader of `language` in `config`.
fn default_import_line(config: &Config, language: Language) -> Option<String> {
    match language {
        Language::Python => Some(config.python.import.line.clone()),
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            Some(config.typescript.import.line.clone())
        }
        Language::Rust => Some(config.rust.use_item.line.clone()),
        Language::Text => None,
    }
}

/// The variables the files hand to the processes they start, read before any fix is
/// decided (from the language detectors alone).
fn collect_handoffs(
    entries: &[Entry],
    staged: &std::collections::HashMap<PathBuf, Vec<u8>>,
    base: &std::path::Path,
    ctx: &Context,
) -> HandOffs {
    entries
        .par_iter()
        .fold(HandOffs::default, |mut acc, entry| {
            let language = Language::from_path(&entry.path);
            if matches!(language, Language::Text) {
                return acc;
            }
            let ctx = &*ctx.for_file(&entry.path);
            let staged = staged.get(&entry.path).map(Vec::as_slice);
            // As the scan does: a text only the secret rules read hands nothing off.
            if let Ok(Loaded {
                encoding,
                text,
                lossy,
                ..
            }) = load(entry, staged, language, ctx)
            {
                if !lossy.is_some_and(Lossy::secrets_only) && text.contains("env") {
                    // Named as the findings name it, so that every reason cites one path.
                    let shown = source::display_path(&entry.path, base);
                    let mut file = SourceFile::new(shown, language, text);
                    file.encoding = encoding;
                    acc.add_file(&file, &detect::env_writes(&file, ctx));
                }
            }
            acc
        })
        .reduce(HandOffs::default, |mut a, b| {
            a.merge(b);
            a
        })
}

/// Reads one file (or takes its staged content) and decodes it ([`crate::read::decode`]),
/// or says why it is skipped.
fn load(
    entry: &Entry,
    staged: Option<&[u8]>,
    language: Language,
    ctx: &Context,
) -> Result<Loaded, (SkipReason, String)> {
    // Opened once: its size from the open file, then its bytes.
    let (size, file) = match staged {
        Some(content) => (content.len() as u64, None),
        None => match std::fs::File::open(&entry.path).and_then(|f| Ok((f.metadata()?.len(), f))) {
            Ok((size, f)) => (size, Some(f)),
            Err(e) => return Err((SkipReason::Unreadable, walk::io_message(&e))),
        },
    };
    if size > ctx.config.max_file_size {
        return Err((
            SkipReason::TooLarge,
            format!(
                "{size} bytes, over the {} byte limit (max-file-size)",
                ctx.config.max_file_size
            ),
        ));
    }
    let bytes = match (staged, file) {
        (Some(content), _) => content.to_vec(),
        (None, Some(f)) => {
            use std::io::Read;
            let mut bytes = Vec::with_capacity(size as usize + 1);
            // Through `take`: `File::read_to_end` would ask for the size again (two more
            // system calls per file).
            let limit = ctx.config.max_file_size;
            match f.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
                // It grew past the limit since its size was read.
                Ok(n) if n as u64 > limit => {
                    return Err((
                        SkipReason::TooLarge,
                        format!("over the {limit} byte limit (max-file-size)"),
                    ));
                }
                Ok(_) => bytes,
                Err(e) => return Err((SkipReason::Unreadable, walk::io_message(&e))),
            }
        }
        (None, None) => unreachable!("a file is opened unless its content is staged"),
    };
    crate::read::decode(bytes, size, language)
}

/// The first line of a file (at most 256 bytes), for sniffing a `#!`.
/// Writes the fixed text over the original, in the file's encoding.
fn write_fixed(
    path: &std::path::Path,
    original: &SourceFile,
    fixed: &SourceFile,
) -> std::io::Result<()> {
    match (original.encoded(), fixed.encoded()) {
        (Some(old), Some(new)) => write::write_atomic(path, &old, &new),
        _ => Err(std::io::Error::other(format!(
            "the fixed text cannot be stored in the file's encoding ({:?})",
            original.encoding
        ))),
    }
}

fn first_line(path: &std::path::Path) -> Vec<u8> {
    use std::io::Read;
    let mut buf = vec![0u8; 256];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut buf))
        .unwrap_or(0);
    buf.truncate(n);
    let end = buf
        .iter()
        .position(|b| matches!(b, b'\n' | b'\r'))
        .unwrap_or(buf.len());
    buf.truncate(end);
    buf
}
