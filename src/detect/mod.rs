//! Findings and the detectors that produce them, one module per language or rule family.
//! Detectors read a `SourceFile` and return data; they never print or touch the filesystem.

pub mod env;
pub mod python;
pub mod rust;
pub mod scope;
pub mod typescript;

use std::ops::Range;

use serde::Serialize;

use crate::fix::{Edit, FixPlan};
use crate::source::SourceFile;

/// How serious a finding is. Ordered: `Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
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
}

/// What a detector returns for one file.
#[derive(Debug, Default)]
pub struct Analysis {
    pub findings: Vec<Finding>,
    /// File-level facts the fixer needs (where the import goes, which imports may go).
    pub plan: FixPlan,
    /// Syntax error nodes in the file as parsed; a fixed text may not have more.
    pub error_nodes: usize,
    /// Why the file could not be analyzed (a parse over its time budget).
    pub skipped: Option<String>,
}

/// Runs the detectors that apply to the file's language.
pub fn analyze(file: &SourceFile, ctx: &crate::Context) -> Analysis {
    use crate::source::Language;
    match file.language {
        Language::Python => python::analyze(file, ctx),
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            typescript::analyze(file, ctx)
        }
        Language::Rust => rust::analyze(file, ctx),
        Language::Text => Analysis::default(),
    }
}

/// Whether any detector looks at files of this language (and so whether to read them).
pub fn applies(language: crate::source::Language, _path: &std::path::Path) -> bool {
    !matches!(language, crate::source::Language::Text)
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
    if !tree.root_node().has_error() {
        return 0;
    }
    let mut count = 0;
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            count += 1;
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
    count
}
