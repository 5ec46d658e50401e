//! What every target shares: the context the binary builds from the default config, and
//! the checks every analysis must pass (spans and edits are valid slices of the text).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use shush::check::analyze;
use shush::detect::Analysis;
use shush::source::{Language, SourceFile};
use shush::{Config, Context};

/// `shush check` with no config file: the default config, the embedded rules.
pub fn context() -> &'static Context {
    static CTX: OnceLock<Context> = OnceLock::new();
    CTX.get_or_init(|| Context::new(Config::default()))
}

/// The same, collecting the loader calls too (`shush inventory`): more code runs.
pub fn inventory_context() -> &'static Context {
    static CTX: OnceLock<Context> = OnceLock::new();
    CTX.get_or_init(|| {
        let mut ctx = Context::new(Config::default());
        ctx.inventory = true;
        ctx
    })
}

/// A path the language is read from, outside any test directory.
pub fn path_for(language: Language) -> PathBuf {
    PathBuf::from(match language {
        Language::Python => "app/settings.py",
        Language::TypeScript => "src/config.ts",
        Language::Tsx => "src/App.tsx",
        Language::JavaScript => "src/config.js",
        Language::Rust => "src/config.rs",
        Language::Text => "deploy/config.txt",
    })
}

/// The input as the text of a file (shush reads UTF-8; the lossy decoding keeps the
/// fuzzer's byte mutations useful).
pub fn source(language: Language, data: &[u8]) -> SourceFile {
    let text = String::from_utf8_lossy(data).into_owned();
    SourceFile::new(path_for(language), language, text)
}

/// Analyzes the file and checks what the report and the fixer will slice with.
pub fn analyze_checked(file: &SourceFile, ctx: &Context) -> Analysis {
    let analysis = analyze(file, ctx);
    check_analysis(file, &analysis);
    analysis
}

/// Every finding's span and every edit's range is a slice of the text on character
/// boundaries; positions and lines (what the report shows) can be taken.
pub fn check_analysis(file: &SourceFile, analysis: &Analysis) {
    let text = &file.text;
    for f in &analysis.findings {
        assert!(
            text.get(f.span.clone()).is_some(),
            "{}: span {:?} is not a slice of the {}-byte text",
            f.rule,
            f.span,
            text.len()
        );
        let _ = file.position(f.span.start);
        let _ = file.position(f.span.end);
        let _ = file.line_text(f.span.start);
        if let Some(secret) = &f.secret {
            let _ = secret.describe();
        }
        for edit in f.fix.iter().flat_map(|x| &x.edits) {
            assert!(
                text.get(edit.range.clone()).is_some(),
                "{}: edit {:?} is not a slice of the {}-byte text",
                f.rule,
                edit.range,
                text.len()
            );
        }
    }
    for read in &analysis.loader_reads {
        assert!(text.get(read.span.clone()).is_some(), "loader read span");
    }
}

/// Renders the file's findings as the reporters do (human, JSON, GitHub; not SARIF,
/// whose rule catalogue costs 100 ms a run and does not depend on the input): spans
/// reach miette, the secret masking and the snippet masking there. `diff`: the file was
/// fixed from `original`, whose secrets the diff masks as `--diff` does.
pub fn render(
    file: SourceFile,
    analysis: Analysis,
    original: Option<(&SourceFile, &[shush::detect::Finding])>,
) {
    use shush::check::{FileResult, Mode, Outcome};
    use shush::fix::diff;
    use shush::report;

    let diff = original.map(|(old, first)| {
        let secrets: Vec<(&str, usize)> = first
            .iter()
            .filter_map(|f| {
                f.secret
                    .as_ref()
                    .map(|s| (&old.text[f.span.clone()], s.shown()))
            })
            .collect();
        let path = old.path.as_os_str().as_encoded_bytes();
        let unified = diff::unified(
            path,
            &report::mask_all(&old.contents(), &secrets),
            &report::mask_all(&file.contents(), &secrets),
        );
        report::mask_diff(&unified).0
    });
    let mut outcome = Outcome {
        files: vec![FileResult {
            source: std::sync::Arc::new(file),
            findings: analysis.findings,
            fixes_applied: 0,
            imports_added: 0,
            imports_removed: 0,
            diff,
            written: false,
            analysis_plan: analysis.plan,
            reads_fixed: 0,
            loader_reads: Vec::new(),
            handoffs: Default::default(),
            default_import: None,
        }],
        ..Outcome::default()
    };
    outcome.recount();
    let file = &outcome.files[0];
    for f in &file.findings {
        let _ = report::standalone_edits(file, f);
        let _ = report::fingerprint(file, f, 0);
    }
    let mut out = Vec::new();
    report::human::findings(&outcome, false, false, 1, &mut out).unwrap();
    report::human::summary(&outcome, Mode::Check, &mut out).unwrap();
    report::json::write(&outcome, false, &mut out).unwrap();
    report::github::write(&outcome, &mut out).unwrap();
}
