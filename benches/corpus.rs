//! Writes a generated corpus to disk for the figures in `benches/README.md`:
//! `cargo bench --bench corpus -- --out DIR --size 200MB [--seed N]`.
//! Prints what it wrote; never deletes anything.

#[path = "support/corpus.rs"]
mod corpus;

fn main() {
    let mut out = None;
    let mut size = 200_000_000;
    let mut seed = 7;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next(),
            "--size" => {
                let value = args.next().unwrap_or_default();
                size = corpus::parse_size(&value)
                    .unwrap_or_else(|| panic!("--size {value}: expected e.g. 200MB"));
            }
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).expect("--seed N"),
            // `cargo bench` passes `--bench` to every bench target.
            _ => {}
        }
    }
    let Some(out) = out else {
        eprintln!("usage: cargo bench --bench corpus -- --out DIR --size 200MB [--seed N]");
        return;
    };
    let out = std::path::PathBuf::from(out);
    if out.exists() && std::fs::read_dir(&out).map_or(true, |mut d| d.next().is_some()) {
        eprintln!(
            "{} is not empty; give an empty or new directory",
            out.display()
        );
        std::process::exit(2);
    }
    let written = corpus::generate(&out, size, seed).expect("writing the corpus");
    println!(
        "wrote {} files, {:.1} MB to {} (seed {seed}): {} with environment reads, {} with a secret",
        written.files,
        written.bytes as f64 / 1e6,
        out.display(),
        written.env_read_files,
        written.secret_files
    );
}
