//! The integration tests: each runs the real `shush` binary on real files.

// Helpers shared by the modules: running the binary, temporary trees.
mod support;

// Exit codes, output formats, bad input.
mod cli;
// Config discovery, options and errors.
mod config;
// SARIF, GitHub annotations, JUnit XML and --fail-on.
mod reporters;
// Hardcoded secrets and stray .env files: labeled set, redaction, fixes.
mod allowlist;
mod fuzz_regressions;
mod packs;
mod secrets;
// CI and pre-commit integration: baseline, --staged, install-hook.
mod integrations;
// --history: real repositories built with git.
mod history;
// Snapshots, convergence and re-compilation of every fixture.
mod fixtures;
// Project-shaped fixtures: nested configs, the projects' own sorters and formatters.
mod projects;
// `--diff` output that `git apply` accepts, `--fix` that keeps the file's bytes.
mod fix;
// The Rust detector through the binary: resolution, macros, config styles, positions.
mod rust;
// TypeScript and JavaScript specifics: config, CommonJS, destructuring, client prefixes.
mod typescript;
// Python hand-offs, test set-up and presence tests.
mod python;
// `shush inventory` (every format) and the remediation summary of `--fix`.
mod inventory;
// Encodings, binary files, parse timeouts, deep nesting, unreadable paths, --strict.
mod input;
// Which files a run scans: ignore files, hidden files, explicit paths, skips.
mod damage;
mod init;
mod walk;
// `--stats`: counts that do not depend on the thread count.
mod stats;
// Parsing only the parts of files that can hold a read changes no output.
mod partial;
// Time bounds: the work counts of generated worst cases grow linearly; `-j` is bounded.
mod bounds;
// The generated secret corpus: precision and recall per family and per syntax.
mod corpus;
