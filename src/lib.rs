//! shush: finds environment reads of secrets, hardcoded secrets and stray .env files,
//! and rewrites environment reads into one configured loader call.
//!
//! The pipeline (`design.md`): walk → read + classify → detect → fix → report, one
//! module each. The library never prints: `run` writes into the writers it is given.
#![warn(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

pub mod baseline;
pub mod check;
pub mod cli;
pub mod config;
pub mod detect;
pub mod fix;
pub mod hook;
pub mod inventory;
pub mod progress;
pub mod report;
pub mod rules;
pub mod source;
pub mod staged;
pub mod stats;
pub mod stray;
pub mod walk;

use std::io::Write;
use std::sync::Arc;

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
}

impl Context {
    pub fn new(config: Config) -> Context {
        Context {
            config,
            rules: rules::RuleSet::embedded(),
            inventory: false,
            import_edits: true,
            applies_fixes: true,
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
        cli::Command::InstallHook { force } => hook::install(force, out),
    }
}
