//! Findings and the detectors that produce them, one module per language or rule family.
//! Detectors read a `SourceFile` and return data; they never print or touch the filesystem.

pub mod dotenv;
pub mod env;
pub mod fields;
pub mod handoff;
#[cfg(test)]
mod lex_corpus;
mod parents;
pub mod python;
pub mod rust;
pub mod scope;
pub mod secrets;
pub mod testcode;
pub mod typescript;

use std::ops::Range;

use serde::Serialize;

use crate::fix::{Edit, FixPlan};
use crate::source::SourceFile;

/// How serious a finding is. Ordered: `Info < Warning < Error`. An `Info` finding says
/// what shush left alone and why (a variable handed to a child process, one a test sets);
/// it never fails the run and has no fix.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What an environment variable is, beyond how its name looks: why a read of it is not
/// configuration to move into the loader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum VarRole {
    /// Set by a runtime platform, CI system, terminal, toolchain or the OS: the group of
    /// the catalogue (`rules/env-platform.toml`) it is in.
    Platform { group: String },
    /// Written by this repository into the environment of a process it starts (or of
    /// itself, before it starts one): a message between processes. Where it is written.
    HandOff { path: String, line: usize },
    /// Set by the test in this file that reads it (`monkeypatch.setenv`, `vi.stubEnv`,
    /// `env::set_var` in a `#[test]`): the test checks the environment itself.
    TestSetup { line: usize },
}

impl VarRole {
    /// The short label the inventory and the JSON show: `platform:ci`, `hand-off`, `test`.
    pub fn label(&self) -> String {
        match self {
            VarRole::Platform { group } => format!("platform:{group}"),
            VarRole::HandOff { .. } => "hand-off".into(),
            VarRole::TestSetup { .. } => "test".into(),
        }
    }
}

/// A write of an environment variable that a detector saw: the names a repository sets
/// for the processes it starts, or that its tests set for themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvWrite {
    pub name: String,
    /// Byte range of the write in the file's text.
    pub span: Range<usize>,
    pub kind: WriteKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WriteKind {
    /// Into the environment of a process the code starts, or of the running process
    /// outside test code (`env={"X": …}`, `os.environ["X"] = …`, `Command::env("X", …)`,
    /// `process.env.X = …`, `{ env: { X: … } }`): applies to reads anywhere in the tree.
    HandOff,
    /// In test code (`monkeypatch.setenv`, `patch.dict(os.environ, …)`, `vi.stubEnv`,
    /// `process.env.X = …` in a spec, `set_var` in a `#[test]`): applies to reads of the
    /// same file only.
    Test,
}

/// How sure shush is that a hardcoded-secret finding is a live credential. Ordered:
/// `Low < Medium < High`; `--min-confidence` (default `medium`) hides what is below it.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Public by design, entropy alone, or a value in a test or docs path.
    Low,
    /// A secret-looking name with a random-looking value, or a provider format whose
    /// checksum fails.
    #[default]
    Medium,
    /// A provider's own format (with its checksum where the provider has one).
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// One level down (a test or docs path, a failing checksum); `Low` stays `Low`.
    pub fn lowered(self) -> Confidence {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low,
        }
    }
}

/// Whether `--fix` applies a fix on its own (`Safe`) or only with `--unsafe-fixes`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Unsafe,
    Safe,
}

/// A fix for one finding: non-overlapping edits of the file's text, plus whether the
/// loader import must be present for the edits to make sense.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, shown as help: "Replace with `get_config_value(\"x\")`".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
    /// The fix calls the configured loader, whose import the file may lack.
    pub needs_import: bool,
    /// A line to add to a `.gitignore` (the fix of a stray .env file), instead of edits.
    pub gitignore: Option<(std::path::PathBuf, String)>,
    /// Import lines the rewritten code needs besides the loader's (a rule's rewrite
    /// template), added once the fix is in, where the file's import sorter puts them.
    pub imports: Vec<String>,
}

/// A finding: what was found, where, and how to fix it when a fix can be built.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// Byte range in the file's text (BOM excluded).
    pub span: Range<usize>,
    pub message: String,
    /// The environment variable read, when known.
    pub env_name: Option<String>,
    /// The config key the read maps to, when known.
    pub config_key: Option<String>,
    pub fix: Option<Fix>,
    /// Why no fix was built, when that is worth saying ("`get_config_value` is already bound").
    pub no_fix_reason: Option<String>,
    /// Advice beyond the fix ("rotate the secret: it is in the git history").
    pub help: Option<String>,
    /// For a hardcoded secret: what may be shown of it.
    pub secret: Option<SecretInfo>,
    /// An environment read that falls back to a default when the variable is unset
    /// (`os.getenv("X", "d")`, `process.env.X ?? "d"`, `var("X").unwrap_or(…)`).
    pub has_default: bool,
    /// For an environment read: why its variable is not configuration, when it is not.
    pub role: Option<VarRole>,
}

impl Finding {
    /// A read whose variable name is computed: a warning without a fix, in every language.
    pub fn dynamic_read(rule: &'static str, span: Range<usize>) -> Finding {
        Finding {
            rule,
            severity: Severity::Warning,
            span,
            message: "environment read with a computed variable name; shush cannot tell which variable it reads".into(),
            env_name: None,
            config_key: None,
            fix: None,
            no_fix_reason: Some("the variable name is computed, not a plain string literal".into()),
            help: None,
            secret: None,
            has_default: false,
            role: None,
        }
    }
}

/// A call of the configured loader that is already in the code (`get_config_value("x")`,
/// `config.x`), for `shush inventory`. Only collected when `Context::inventory` is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoaderRead {
    pub key: String,
    pub span: Range<usize>,
    /// A default is passed, or the call is followed by a fallback (`?? "d"`, `or "d"`).
    pub has_default: bool,
}

/// What output may show of a secret: a few leading characters and the length.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SecretInfo {
    /// `ghp_…` — never more than a few characters of the secret.
    pub preview: String,
    /// Length in characters.
    pub length: usize,
    /// How sure the detector is that it is a live credential.
    pub confidence: Confidence,
}

impl SecretInfo {
    /// A preview of `secret`: up to 4 leading characters, fewer for short secrets.
    pub fn of(secret: &str, confidence: Confidence) -> SecretInfo {
        let length = secret.chars().count();
        let shown = (length / 4).min(4);
        let head: String = secret.chars().take(shown).collect();
        SecretInfo {
            preview: format!("{head}…"),
            length,
            confidence,
        }
    }

    /// How the preview reads in messages: `ghp_… (40 chars)`.
    pub fn describe(&self) -> String {
        format!("{} ({} chars)", self.preview, self.length)
    }

    /// How many leading characters the preview shows.
    pub fn shown(&self) -> usize {
        self.preview.chars().count() - 1
    }
}

/// What a detector returns for one file.
#[derive(Debug, Default)]
pub struct Analysis {
    pub findings: Vec<Finding>,
    /// File-level facts the fixer needs (where the import goes, which imports may go).
    pub plan: FixPlan,
    /// Syntax error nodes in the file as parsed; a fixed text may not have more.
    pub error_nodes: usize,
    /// Why the language's detector could not look at the file (a parse over its time
    /// budget); the secret rules still ran, and their findings get no fix.
    pub skipped: Option<String>,
    /// What the detector left unchecked in a file it did walk ("nesting deeper than
    /// 2000 levels: …"): the file is reported as not fully checked.
    pub incomplete: Option<String>,
    /// Calls of the configured loader (only with `Context::inventory`).
    pub loader_reads: Vec<LoaderRead>,
    /// Something the user should know about the file (it does not parse).
    pub note: Option<String>,
    /// The keyword prefilter let the file through to the language's parser.
    pub parsed: bool,
    /// Secret rules whose keywords occur in the file (their regexes ran).
    pub secret_rules: usize,
    /// Secrets left out for being below `min-confidence`.
    pub below_confidence: usize,
    /// Secrets the config's allowlists left out, by kind.
    pub allowlisted: crate::config::allowlist::Allowlisted,
    /// Time spent in the environment-read detector and in the secret rules (`--stats`).
    pub env_time: std::time::Duration,
    pub secret_time: std::time::Duration,
    /// Rust: the loader import for secret fixes, worked out from the same parse, when
    /// asked for.
    pub rust_import: Option<Result<Option<Edit>, String>>,
    /// The environment variables the file writes (for the hand-off pass).
    pub env_writes: Vec<EnvWrite>,
}

/// The hardcoded-secret rules alone (no language detector), without fixes: what a text
/// from git history is scanned with.
pub fn analyze_secrets(file: &SourceFile, ctx: &crate::Context) -> Analysis {
    let start = std::time::Instant::now();
    let secrets::Scan {
        mut findings,
        triggered,
        below_confidence,
    } = secrets::scan(file, &ctx.rules.secrets, ctx);
    for f in &mut findings {
        f.fix = None;
    }
    Analysis {
        findings,
        secret_rules: triggered,
        below_confidence,
        secret_time: start.elapsed(),
        ..Analysis::default()
    }
}

/// Runs the detectors that apply to the file's language.
pub fn analyze(file: &SourceFile, ctx: &crate::Context) -> Analysis {
    let start = std::time::Instant::now();
    let secrets::Scan {
        findings: mut found,
        triggered,
        below_confidence,
    } = secrets::scan(file, &ctx.rules.secrets, ctx);
    let want_import = found.iter().any(|f| f.fix.is_some()) && !import_unneeded(file, ctx);
    let secrets_done = std::time::Instant::now();
    // Rust answers the import question from the parse it makes for environment reads:
    // syn is the costliest parser, and one parse per file is enough.
    let mut analysis = analyze_language(file, ctx, want_import);
    analysis.env_time = secrets_done.elapsed();
    analysis.secret_time = secrets_done - start;
    analysis.secret_rules = triggered;
    analysis.below_confidence = below_confidence;
    if analysis.skipped.is_some() {
        // The secrets are reported all the same; placing the loader import would mean
        // parsing the file again.
        for f in &mut found {
            if f.fix.take().is_some() {
                f.no_fix_reason = Some("the file could not be parsed in time".into());
            }
        }
        analysis.findings.extend(found);
        return analysis;
    }
    if want_import {
        let import_start = std::time::Instant::now();
        let import = match analysis.rust_import.take() {
            Some(import) => import,
            None => loader_import(file, ctx),
        };
        match import {
            Ok(Some(edit)) => analysis.plan.import = Some(edit),
            Ok(None) => {}
            Err(reason) => {
                for f in &mut found {
                    if f.fix.take().is_some() {
                        f.no_fix_reason = Some(reason.clone());
                    }
                }
            }
        }
        // Placing the import serves the secret fixes: it counts as their time.
        analysis.secret_time += import_start.elapsed();
    }
    analysis.findings.extend(found);
    analysis
}

/// True when the run shows no import edit and the file cannot import or shadow the
/// loader: in Python and TypeScript both need its bound name in the text, so the fix
/// stands without parsing the file again. (A Rust file is still parsed: one that syn
/// rejects gets no fix.)
fn import_unneeded(file: &SourceFile, ctx: &crate::Context) -> bool {
    use crate::source::Language;
    let bound = match file.language {
        Language::Python => &ctx.config.python.import.bound,
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            &ctx.config.typescript.import.bound
        }
        Language::Rust | Language::Text => return false,
    };
    !ctx.import_edits && !file.text.contains(bound.as_str())
}

/// The edit that imports the loader into `file` (`None` when it is imported already), or
/// why the loader cannot be used there.
fn loader_import(file: &SourceFile, ctx: &crate::Context) -> Result<Option<Edit>, String> {
    use crate::source::Language;
    match file.language {
        Language::Python => python::loader_import(file, ctx),
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            typescript::loader_import(file, ctx)
        }
        Language::Rust => rust::loader_import(file, ctx),
        Language::Text => Err("no loader is configured for this language".into()),
    }
}

/// The edit that adds `line`, an import a rewrite template needs, to `file` where its
/// language's imports go (`None` when the file has it), or why it cannot be added.
pub fn import_edit(file: &SourceFile, line: &str) -> Result<Option<Edit>, String> {
    use crate::source::Language;
    match file.language {
        Language::Python => python::import_edit(file, line),
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            typescript::import_edit(file, line)
        }
        Language::Rust => rust::import_edit(file, line),
        Language::Text => Err("no imports in this language".into()),
    }
}

/// The environment variables `file` writes, from its language's detector alone (the
/// hand-off pass before `--fix`; the secret rules are not needed for it).
pub fn env_writes(file: &SourceFile, ctx: &crate::Context) -> Vec<EnvWrite> {
    analyze_language(file, ctx, false).env_writes
}

fn analyze_language(file: &SourceFile, ctx: &crate::Context, want_import: bool) -> Analysis {
    use crate::source::Language;
    match file.language {
        Language::Python => python::analyze(file, ctx),
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            typescript::analyze(file, ctx)
        }
        Language::Rust => rust::analyze(file, ctx, want_import),
        Language::Text => Analysis::default(),
    }
}

/// What [`Analysis::incomplete`] says of a walk that stopped at `limit` levels (a stack
/// guard for generated code).
pub fn too_deep(limit: usize) -> String {
    format!("nesting deeper than {limit} levels: environment reads below that depth not checked")
}

/// Whether any detector looks at files of this language (and so whether to read them).
pub fn applies(_language: crate::source::Language, _path: &std::path::Path) -> bool {
    // The secret rules read every text file.
    true
}

/// Syntax error nodes in `text` parsed as `file`'s language (for the re-parse check).
pub fn error_nodes(file: &SourceFile, text: &str) -> usize {
    use crate::source::Language;
    match file.language {
        Language::Python => python::error_nodes(text),
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            typescript::error_nodes(file.language, text)
        }
        Language::Rust => rust::error_nodes(text),
        Language::Text => 0,
    }
}

/// Error and missing nodes in a tree-sitter tree.
pub fn count_errors(tree: &tree_sitter::Tree) -> usize {
    let mut count = 0;
    each_error(tree, |_| count += 1);
    count
}

/// Calls `f` on each error and each missing node of `tree` (errors nested in errors
/// too), in order.
pub fn each_error<'t>(tree: &'t tree_sitter::Tree, mut f: impl FnMut(tree_sitter::Node<'t>)) {
    if !tree.root_node().has_error() {
        return;
    }
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            f(node);
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
}
