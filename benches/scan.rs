//! Benchmarks of what users feel (divan): a whole scan in files/s and MB/s, parse and
//! detect per language, the secret rules, fixes, and the share of files the keyword
//! prefilter lets through to a parser. They run on a corpus generated into a temporary
//! directory (`SHUSH_BENCH_SIZE`, default 20MB). Times are not gated anywhere: CI only
//! builds them (`cargo bench --no-run`).

#[path = "support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use shush::check::{self, CheckOptions, Mode};
use shush::source::{Language, SourceFile};
use shush::{Config, Context};

struct Corpus {
    _dir: tempfile::TempDir,
    root: PathBuf,
    files: usize,
    bytes: u64,
    /// Every file of the corpus, read once.
    sources: Vec<SourceFile>,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        // A benchmark setting, not shush configuration.
        #[allow(clippy::disallowed_methods)]
        let size = std::env::var("SHUSH_BENCH_SIZE")
            .ok()
            .and_then(|s| corpus::parse_size(&s))
            .unwrap_or(20_000_000);
        let dir = tempfile::tempdir().expect("temporary directory");
        let root = dir.path().join("repo");
        let written = corpus::generate(&root, size, 7).expect("corpus written");
        let mut sources = Vec::new();
        collect(&root, &mut sources);
        sources.sort_by(|a, b| a.path.cmp(&b.path));
        Corpus {
            _dir: dir,
            root,
            files: written.files,
            bytes: written.bytes,
            sources,
        }
    })
}

fn collect(dir: &Path, out: &mut Vec<SourceFile>) {
    for entry in std::fs::read_dir(dir).expect("readable corpus").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            let language = Language::from_path(&path);
            out.push(SourceFile::new(path, language, text));
        }
    }
}

fn ctx() -> &'static Context {
    static CTX: OnceLock<Context> = OnceLock::new();
    CTX.get_or_init(|| Context::new(Config::default()))
}

fn of_language(language: Language) -> impl Iterator<Item = &'static SourceFile> {
    corpus()
        .sources
        .iter()
        .filter(move |f| f.language == language)
}

fn bytes_of<'a>(files: impl IntoIterator<Item = &'a SourceFile>) -> u64 {
    files.into_iter().map(|f| f.text.len() as u64).sum()
}

fn main() {
    let c = corpus();
    let ctx = ctx();
    let mut source_files = 0;
    let mut parsed = 0;
    let mut triggered = 0;
    for file in &c.sources {
        let analysis = shush::detect::analyze(file, ctx);
        if file.language != Language::Text {
            source_files += 1;
            parsed += usize::from(analysis.parsed);
        }
        triggered += usize::from(analysis.secret_rules > 0);
    }
    println!(
        "corpus: {} files, {:.1} MB; prefilter: {parsed} of {source_files} source files ({:.1} %) go to a parser; {triggered} of {} files ({:.1} %) run a secret regex",
        c.files,
        c.bytes as f64 / 1e6,
        100.0 * parsed as f64 / source_files.max(1) as f64,
        c.sources.len(),
        100.0 * triggered as f64 / c.sources.len().max(1) as f64,
    );
    divan::main();
}

/// `shush check` on the whole corpus (walk, read, detect, sort), by thread count.
#[divan::bench(args = [1, 2], sample_count = 10)]
fn whole_scan(bencher: Bencher, threads: usize) {
    let c = corpus();
    let options = CheckOptions {
        paths: vec![c.root.clone()],
        mode: Mode::Check,
        unsafe_fixes: false,
        threads,
        base: c.root.clone(),
        show_secrets: false,
        staged: false,
        history: None,
        progress: None,
    };
    bencher
        .counter(BytesCount::new(c.bytes))
        .counter(ItemsCount::new(c.files))
        .bench(|| check::check(&options, ctx()).expect("scan runs"));
}

/// The environment-read detector of each language over every file of that language
/// (the prefilter skips most of them).
#[divan::bench(args = ["python", "typescript", "tsx", "javascript", "rust"], sample_count = 10)]
fn env_detect(bencher: Bencher, language: &str) {
    let files: Vec<&SourceFile> = of_language(language_of(language)).collect();
    bencher
        .counter(BytesCount::new(bytes_of(files.iter().copied())))
        .bench(|| {
            for f in &files {
                black_box(detect_env(f));
            }
        });
}

/// Parse and detect on the files the prefilter lets through.
#[divan::bench(args = ["python", "typescript", "tsx", "javascript", "rust"], sample_count = 10)]
fn parse_detect(bencher: Bencher, language: &str) {
    let files: Vec<&SourceFile> = of_language(language_of(language))
        .filter(|f| detect_env(f).parsed)
        .collect();
    bencher
        .counter(BytesCount::new(bytes_of(files.iter().copied())))
        .bench(|| {
            for f in &files {
                black_box(detect_env(f));
            }
        });
}

/// The secret rules (keyword automaton, then the triggered regexes) over every file.
#[divan::bench(sample_count = 10)]
fn secret_scan(bencher: Bencher) {
    let c = corpus();
    bencher
        .counter(BytesCount::new(bytes_of(&c.sources)))
        .bench(|| {
            for f in &c.sources {
                black_box(shush::detect::secrets::scan(f, &ctx().rules.secrets, ctx()));
            }
        });
}

/// Fixes until they converge, on the files that have a fixable finding.
#[divan::bench(sample_count = 10)]
fn fix(bencher: Bencher) {
    let files: Vec<&SourceFile> = corpus()
        .sources
        .iter()
        .filter(|f| {
            check::analyze(f, ctx())
                .findings
                .iter()
                .any(|x| x.fix.is_some())
        })
        .collect();
    bencher
        .counter(BytesCount::new(bytes_of(files.iter().copied())))
        .counter(ItemsCount::new(files.len()))
        .bench(|| {
            for f in &files {
                let first = check::analyze(f, ctx());
                black_box(check::converge(f, first, ctx(), true));
            }
        });
}

fn language_of(name: &str) -> Language {
    match name {
        "python" => Language::Python,
        "typescript" => Language::TypeScript,
        "tsx" => Language::Tsx,
        "javascript" => Language::JavaScript,
        _ => Language::Rust,
    }
}

fn detect_env(file: &SourceFile) -> shush::detect::Analysis {
    let ctx = ctx();
    match file.language {
        Language::Python => shush::detect::python::analyze(file, ctx),
        Language::TypeScript | Language::Tsx | Language::JavaScript => {
            shush::detect::typescript::analyze(file, ctx)
        }
        Language::Rust => shush::detect::rust::analyze(file, ctx, false),
        Language::Text => shush::detect::Analysis::default(),
    }
}
