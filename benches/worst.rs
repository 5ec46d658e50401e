//! Benchmarks of the generated worst cases of `tests/bounds.rs` (divan), each at two
//! sizes four times apart, so that a stage that stops being linear shows as a time that
//! grows by more than 4: Python comment blocks, one long line of `a`, base64 images in
//! a notebook, many keys on one line, fixing many reads until they converge, and a read
//! deep in parentheses. Times
//! are not gated anywhere: CI only builds them (`cargo bench --no-run`).

use std::path::PathBuf;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use shush::check;
use shush::source::{Language, SourceFile};
use shush::{Config, Context};

fn main() {
    divan::main();
}

fn ctx() -> &'static Context {
    static CTX: std::sync::OnceLock<Context> = std::sync::OnceLock::new();
    CTX.get_or_init(|| Context::new(Config::default()))
}

fn file(name: &str, text: String) -> SourceFile {
    let path = PathBuf::from(name);
    SourceFile::new(path.clone(), Language::from_path(&path), text)
}

/// `import os`, one read, then `n` comment lines.
fn comments(n: usize) -> String {
    let mut text = String::from("import os\n\nTOKEN = os.getenv('API_TOKEN')\n");
    for i in 0..n {
        text.push_str(&format!("# comment line {i}\n"));
    }
    text
}

/// `import os` and `n` reads.
fn reads(n: usize) -> String {
    let mut text = String::from("import os\n\n");
    for i in 0..n {
        text.push_str(&format!("V{i} = os.getenv('VAR_{i}')\n"));
    }
    text
}

/// Base64 as a plot's PNG encodes to: mostly `A` (runs of zero bytes) with other
/// characters between, pseudo-random (a notebook of these took 9 s: a keyword in the
/// runs of `A` occurs at nearly every byte of a line of a megabyte).
fn base64(len: usize, seed: &mut u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    (0..len)
        .map(|_| {
            *seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let r = (*seed >> 32) as usize;
            if r % 50 == 0 {
                ALPHABET[(r >> 8) % 64] as char
            } else {
                'A'
            }
        })
        .collect()
}

/// A notebook with one image of `n` bytes of base64, on one line.
fn notebook(n: usize) -> String {
    format!(
        "{{\"cells\": [{{\"cell_type\": \"code\", \"source\": [\"plt.plot(x)\"], \"outputs\": [{{\"data\": {{\"image/png\": \"{}\"}}}}]}}], \"nbformat\": 4}}\n",
        base64(n, &mut 7)
    )
}

/// `n` AWS access key ids on one line.
fn keys(n: usize) -> String {
    let mut seed: u64 = 11;
    (0..n)
        .map(|_| {
            let id: String = (0..16)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[(seed >> 59) as usize] as char
                })
                .collect();
            format!("AKIA{id} ")
        })
        .collect()
}

/// Detection (environment reads and secrets) of one generated file.
fn detect(bencher: Bencher, file: SourceFile) {
    bencher
        .counter(BytesCount::new(file.text.len()))
        .bench(|| black_box(check::analyze(&file, ctx())));
}

/// A Python file with one read and n comment lines (100,000 took minutes).
#[divan::bench(args = [25_000, 100_000], sample_count = 10)]
fn python_comments(bencher: Bencher, n: usize) {
    detect(bencher, file("settings.py", comments(n)));
}

/// One line of n `a` (2 MB took 24 s).
#[divan::bench(args = [500_000, 2_000_000], sample_count = 10)]
fn long_line(bencher: Bencher, n: usize) {
    detect(bencher, file("blob.txt", "a".repeat(n)));
}

/// A notebook with an image of n bytes of base64.
#[divan::bench(args = [375_000, 1_500_000], sample_count = 10)]
fn notebook_images(bencher: Bencher, n: usize) {
    detect(bencher, file("analysis.ipynb", notebook(n)));
}

/// n keys on one line.
#[divan::bench(args = [5_000, 20_000], sample_count = 10)]
fn keys_on_one_line(bencher: Bencher, n: usize) {
    detect(bencher, file("keys.txt", keys(n)));
}

/// n reads fixed until they converge, as `--fix` and `--diff` do (100,000 took 77 s).
#[divan::bench(args = [12_500, 50_000], sample_count = 5)]
fn fix_reads(bencher: Bencher, n: usize) {
    let file = file("settings.py", reads(n));
    bencher.counter(BytesCount::new(file.text.len())).bench(|| {
        let first = check::analyze(&file, ctx());
        black_box(check::converge(&file, first, ctx(), true))
    });
}

/// One read inside n parentheses (4,800 took 4 s: walking up from the read asked
/// tree-sitter for each parent, which walks down from the root).
#[divan::bench(args = [1_200, 4_800], sample_count = 10)]
fn python_nesting(bencher: Bencher, n: usize) {
    let text = format!(
        "import os\nx = {}os.getenv(\"API_TOKEN\"){}\n",
        "(".repeat(n),
        ")".repeat(n)
    );
    detect(bencher, file("gen.py", text));
}
