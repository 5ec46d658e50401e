//! Command-line arguments (clap). Parsing only: `lib::run` decides what they mean.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::EnvScope;

/// Find and fix secret handling in source code: environment reads of secrets,
/// hardcoded secrets, stray .env files.
#[derive(Debug, Parser)]
#[command(name = "shush", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories; report, diff or fix what is found.
    Check(CheckArgs),
    /// List every config key the code reads (environment reads and loader calls), as a
    /// table, JSON, an env-name-to-key mapping, a Pulumi ESC template or a .env.example.
    Inventory(InventoryArgs),
    /// Work with rule packs.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Write a commented shush.toml for the tree (the loader of each language found in it
    /// to fill in before the first --fix). Never overwrites.
    Init {
        /// The directory to write it in (default: .).
        dir: Option<PathBuf>,
        /// Add a [tool.shush] table to pyproject.toml instead.
        #[arg(long)]
        pyproject: bool,
    },
    /// Write a git pre-commit hook that runs `shush check --staged`.
    InstallHook {
        /// Replace an existing pre-commit hook.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Run the examples of the rule packs in DIR (the embedded packs without DIR).
    Check {
        /// A directory of rule packs (`python.toml`, …) or one pack file.
        dir: Option<PathBuf>,
    },
    /// List every active rule: id, family, the pack it comes from, severity and fix
    /// (the embedded packs and the `packs` of the config found from here).
    List {
        /// `table` (default) or `json`.
        #[arg(long, value_parser = ["table", "json"], default_value = "table")]
        format: String,
    },
    /// Print every trigger keyword of the built-in packs' prefilters, one per line
    /// (environment reads and secret rules; for benchmarks: `rg -c -i -F -f`).
    Keywords,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with the source line and the fix, for people.
    Human,
    /// One JSON document with every finding, for tools.
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub's upload-sarif).
    Sarif,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
}

/// The lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only errors fail the run; warnings are still reported.
    Error,
    /// Errors and warnings fail the run.
    Warning,
}

/// Output formats of `shush inventory`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    /// One row per key: environment names, secret or not, default, languages, places.
    Table,
    /// Every key with every place it is read.
    Json,
    /// A JSON object from environment (CI secret) name to config key, sorted.
    Mappings,
    /// A Pulumi ESC environment template: `values` with secrets under `fn::secret`, and
    /// `environmentVariables`.
    Esc,
    /// A `.env.example` with every environment name and an empty value.
    DotenvExample,
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// Files or directories to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InventoryFormat::Table)]
    pub format: InventoryFormat,
    /// Write the output to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads (default: one per core; at most four per core, at least 8: a
    /// larger number is lowered to that).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Use this config file instead of looking for one.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Also list every skipped file.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to scan. Files named here are scanned even when an
    /// ignore file would skip them.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Apply the safe fixes to the files.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, apply the unsafe fixes too.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print a unified diff of the fixes instead of writing them (`git apply` accepts it).
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 0 even when something is reported.
    #[arg(long)]
    pub exit_zero: bool,
    /// Exit 2 when not everything was checked: a file that could not be read, a
    /// directory the walk could not enter, a file not fully checked (a parse over
    /// `parse-timeout`, nesting deeper than the detectors walk, a program that is not
    /// UTF-8). Binary, excluded and too-large files are skipped on purpose and do not
    /// count. Applies even with --exit-zero.
    #[arg(long)]
    pub strict: bool,
    /// The lowest severity that makes the exit code 1 (findings below it are still
    /// reported).
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Worker threads (default: one per core; at most four per core, at least 8: a
    /// larger number is lowered to that).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Use this config file instead of looking for one.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Which environment reads to report: all but system variables, or only
    /// secret-looking names.
    #[arg(long, value_enum)]
    pub env_scope: Option<EnvScope>,
    /// The lowest confidence of a hardcoded-secret finding that is reported: `high`
    /// (provider formats), `medium` (the default: also secret-looking names with
    /// random-looking values) or `low` (also public-by-design keys, weak values, and
    /// generic findings in test and docs paths).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_confidence: Option<crate::detect::Confidence>,
    /// Color in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Also list every skipped file (binary, too large, symlink).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Show secrets in full in human and JSON output (they are redacted by default;
    /// SARIF, GitHub and JUnit output always redact them).
    #[arg(long)]
    pub show_secrets: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE (JSON: rule, path, fingerprint; no secrets,
    /// no line numbers) and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff"])]
    pub write_baseline: Option<PathBuf>,
    /// Scan what is staged in git (the blobs in the index), as a pre-commit hook does.
    #[arg(long, conflicts_with_all = ["fix", "diff"])]
    pub staged: bool,
    /// Scan the git history instead of the work tree: the lines each commit added, for
    /// hardcoded secrets and committed .env files. REV-RANGE is a revision (its
    /// ancestors too) or a range (`main..feature`); every commit of HEAD by default.
    /// Put PATH before the flag, or write `--history=RANGE`.
    #[arg(
        long,
        value_name = "REV-RANGE",
        num_args = 0..=1,
        default_missing_value = "",
        conflicts_with_all = ["fix", "diff", "staged"]
    )]
    pub history: Option<String>,
    /// With --history (implied): only what the commits after REV add, as in
    /// `REV..HEAD`: what a branch brings to a pull request.
    #[arg(long, value_name = "REV", conflicts_with_all = ["fix", "diff", "staged"])]
    pub since: Option<String>,
    /// With --history (implied): every commit reachable from any reference (branches,
    /// tags, remotes, stashes), not only from HEAD.
    #[arg(long, conflicts_with_all = ["fix", "diff", "staged"])]
    pub all: bool,
    /// With --fix or --diff, write the remediation summary to FILE as JSON (what was
    /// rewritten per language, what is left, and why fixes were refused).
    #[arg(long, value_name = "FILE")]
    pub report: Option<std::path::PathBuf>,
    /// Print counts and timings of the run to stderr: files seen, skipped and
    /// prefiltered out, files parsed per language, bytes, findings, time per phase.
    #[arg(long)]
    pub stats: bool,
    /// Parse every source file whole, not only the parts that can hold a read (the
    /// output is the same: tests/partial.rs runs both ways and compares).
    #[arg(long, hide = true)]
    pub parse_whole_files: bool,
}
