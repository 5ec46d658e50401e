//! shush: finds environment reads of secrets, hardcoded secrets and stray .env files,
//! and rewrites environment reads into one configured loader call.
//!
//! The pipeline (`design.md`): walk → read + classify → detect → fix → report, one
//! module each. The library never prints: `run` writes into the writers it is given.
#![warn(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

// cargo-fuzz builds every crate with `--cfg fuzzing` unless told not to, and under it
// proc-macro2 turns span locations off: every span is `0..0`, so the Rust front-end
// would place every read and every edit at the start of the file (the `fix` target
// once reported a file whose fix grew on each round). The targets are built with
// `--no-cfg-fuzzing` (README "Fuzzing").
#[cfg(fuzzing)]
compile_error!(
    "shush cannot be built with `--cfg fuzzing`: proc-macro2 then reports no span locations; run `cargo fuzz` with `--no-cfg-fuzzing`"
);

pub mod baseline;
pub mod check;
pub mod cli;
pub mod config;
pub mod detect;
pub mod fix;
pub mod history;
pub mod hook;
pub mod init;
pub mod inventory;
pub mod outcome;
pub mod progress;
pub mod read;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod staged;
pub mod stats;
pub mod stray;
pub mod walk;

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

pub use check::{CheckOptions, Outcome};
pub use cli::Cli;
pub use config::Config;

/// Everything a detector may consult: the configuration and the compiled rules.
#[derive(Debug, Clone)]
pub struct Context {
    pub config: Config,
    pub rules: Arc<rules::RuleSet>,
    /// Detectors also collect the calls of the configured loader (`shush inventory`).
    pub inventory: bool,
    /// Whether the run shows or applies the loader import a fix needs (JSON, SARIF,
    /// `--diff`, `--fix`). When it does not, a file that never mentions the loader's
    /// name is not parsed again just to place that import.
    pub import_edits: bool,
    /// Whether the run applies fixes (`--fix`, `--diff`): only then are the imports
    /// that fixes leave unused looked for (a Rust file is tokenized again for that).
    pub applies_fixes: bool,
    /// Whether a front-end may parse only the parts of a file that can hold a read
    /// (off with the hidden `--parse-whole-files`, to show that it changes nothing).
    pub partial_parse: bool,
    /// The config files of the scanned tree, when files may have configs of their own
    /// (nested config files, `[[overrides]]`); `config` is then the run's root config.
    pub tree: Option<Arc<config::tree::ConfigTree>>,
    /// The variables the scanned tree hands to the processes it starts, when they were
    /// collected before the scan (`--fix`, `--diff`): reads of them get no fix.
    pub handoffs: Option<Arc<detect::handoff::HandOffs>>,
    /// The contexts of the other configs met, one per config.
    scoped: Arc<Mutex<HashMap<config::tree::ConfigId, Arc<Context>>>>,
}

impl Context {
    pub fn new(config: Config) -> Context {
        Context {
            config,
            rules: rules::RuleSet::embedded(),
            inventory: false,
            import_edits: true,
            applies_fixes: true,
            partial_parse: true,
            tree: None,
            handoffs: None,
            scoped: Arc::default(),
        }
    }

    /// This context, with the tree's hand-off variables known.
    pub fn with_handoffs(&self, handoffs: detect::handoff::HandOffs) -> Context {
        Context {
            handoffs: Some(Arc::new(handoffs)),
            // The per-config contexts made so far do not know them.
            scoped: Arc::default(),
            ..self.clone()
        }
    }

    /// `new`, with each file's config found in `tree`.
    pub fn with_tree(config: Config, tree: config::tree::ConfigTree) -> Context {
        Context {
            tree: Some(Arc::new(tree)),
            ..Context::new(config)
        }
    }

    /// The context for one file: this one, or one with the file's own config.
    pub fn for_file(&self, path: &std::path::Path) -> Scoped<'_> {
        let Some(tree) = &self.tree else {
            return Scoped::Same(self);
        };
        let lookup = tree.lookup(path);
        if lookup.id.overrides.is_empty() && lookup.id.file == self.config.path {
            return Scoped::Same(self);
        }
        if let Some(ctx) = self.scoped.lock().expect("not poisoned").get(&lookup.id) {
            return Scoped::Own(ctx.clone());
        }
        let ctx = Arc::new(Context {
            config: tree.resolve(&lookup),
            rules: self.rules.clone(),
            inventory: self.inventory,
            import_edits: self.import_edits,
            applies_fixes: self.applies_fixes,
            partial_parse: self.partial_parse,
            tree: None,
            handoffs: self.handoffs.clone(),
            scoped: Arc::default(),
        });
        let mut scoped = self.scoped.lock().expect("not poisoned");
        Scoped::Own(scoped.entry(lookup.id).or_insert(ctx).clone())
    }

    /// Whether the config nearest `path` excludes it from the walk.
    pub fn excludes(&self) -> walk::Excludes {
        match &self.tree {
            Some(tree) => {
                let tree = tree.clone();
                Arc::new(move |path, is_dir| tree.excluded(path, is_dir))
            }
            None => {
                let excludes = config::tree::excludes(&self.config);
                Arc::new(move |path, is_dir| {
                    excludes.as_ref().is_some_and(|gi| {
                        path.starts_with(gi.path())
                            && gi.matched_path_or_any_parents(path, is_dir).is_ignore()
                    })
                })
            }
        }
    }
}

/// A file's context: the run's own, or that of the file's config.
pub enum Scoped<'a> {
    Same(&'a Context),
    Own(Arc<Context>),
}

impl std::ops::Deref for Scoped<'_> {
    type Target = Context;
    fn deref(&self) -> &Context {
        match self {
            Scoped::Same(c) => c,
            Scoped::Own(c) => c,
        }
    }
}

/// Exit codes: nothing reported, something reported, the run itself failed.
pub mod exit {
    pub const CLEAN: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const ERROR: i32 = 2;
}

/// Runs a parsed command line, writing results to `out` and notes to `err`.
/// Returns the exit code; errors a user must read (bad config) come back as reports.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> miette::Result<i32> {
    match cli.command {
        cli::Command::Check(args) => check::run(args, out, err),
        cli::Command::Inventory(args) => inventory::run(args, out, err),
        cli::Command::Rules(cli::RulesCommand::Check { dir }) => rules::examples::run(dir, out),
        cli::Command::Rules(cli::RulesCommand::Keywords) => rules::keywords::run(out),
        cli::Command::Rules(cli::RulesCommand::List { format }) => {
            rules::catalog::list(format == "json", out)
        }
        cli::Command::InstallHook { force } => hook::install(force, out),
        cli::Command::Init { dir, pyproject } => init::run(dir, pyproject, out),
    }
}
