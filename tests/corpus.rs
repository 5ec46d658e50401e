//! The labelled secret corpus: a seeded generator writes positives and hard negatives of
//! every family into files of many syntaxes; one run of `shush check` is scored per
//! family and per syntax. The generator is written from the formats, not from any
//! scanner's rules or tests. Never prints a generated secret in full.

mod cases;
mod providers;
mod rng;
mod syntax;

use std::collections::BTreeMap;
use std::path::Path;

use cases::{Case, FAMILIES, Shape};
use rng::Rng;
use syntax::{Kind, SPECS, Spec};

use crate::support::*;

const SEED: u64 = 0x5EC2_E7C0_2025;

/// One labelled case as written: where it is and what it is.
struct Labelled {
    path: String,
    syntax: &'static str,
    family: &'static str,
    positive: bool,
    /// 1-based, inclusive.
    start: usize,
    end: usize,
    text: Vec<String>,
    secrets: Vec<String>,
}

struct Corpus {
    files: Vec<(String, String)>,
    cases: Vec<Labelled>,
}

/// Lines of one file, with labelled ranges.
struct Builder<'a> {
    spec: &'a Spec,
    path: String,
    lines: Vec<String>,
    cases: Vec<Labelled>,
    last_item_end: Option<usize>,
    items: usize,
}

impl<'a> Builder<'a> {
    fn new(spec: &'a Spec, path: &str) -> Self {
        let mut b = Builder {
            spec,
            path: path.to_string(),
            lines: Vec::new(),
            cases: Vec::new(),
            last_item_end: None,
            items: 0,
        };
        if !spec.head.is_empty() {
            b.lines.extend(spec.head.split('\n').map(String::from));
        }
        b
    }

    /// Adds an item (a case or filler), returning its 1-based line range.
    fn item(&mut self, item: &[String]) -> (usize, usize) {
        if let (Some(sep), Some(end)) = (self.spec.sep, self.last_item_end) {
            self.lines[end].push_str(sep);
        }
        if self.spec.name == "kubernetes" && self.items > 0 {
            self.lines.push("---".into());
        }
        let start = self.lines.len() + 1;
        for l in item {
            let l = if l.is_empty() {
                String::new()
            } else {
                format!("{}{l}", self.spec.indent)
            };
            self.lines.push(l);
        }
        self.last_item_end = Some(self.lines.len() - 1);
        self.items += 1;
        (start, self.lines.len())
    }

    fn case(&mut self, case: &Case, lines: Vec<String>) {
        let (start, end) = self.item(&lines);
        self.label(case, start, end, lines);
    }

    fn label(&mut self, case: &Case, start: usize, end: usize, text: Vec<String>) {
        self.cases.push(Labelled {
            path: self.path.clone(),
            syntax: self.spec.name,
            family: case.family,
            positive: case.positive,
            start,
            end,
            text,
            secrets: case.secrets.clone(),
        });
    }

    fn finish(mut self, corpus: &mut Corpus) {
        if !self.spec.foot.is_empty() {
            self.lines
                .extend(self.spec.foot.split('\n').map(String::from));
        }
        let mut text = self.lines.join("\n");
        text.push('\n');
        corpus.files.push((self.path, text));
        corpus.cases.extend(self.cases);
    }
}

/// A case of a random family and label that `spec` can write, with its lines.
fn draw(spec: &Spec, rng: &mut Rng) -> (Case, Vec<String>) {
    loop {
        let family = rng.pick(FAMILIES);
        let positive = rng.chance(0.5);
        for _ in 0..30 {
            let case = cases::generate(rng, family, positive);
            if let Some(lines) = syntax::render(spec, &case, rng) {
                return (case, lines);
            }
        }
    }
}

fn dedicated_case(spec: &Spec, rng: &mut Rng) -> Case {
    let positive = rng.chance(0.5);
    match spec.name {
        "htpasswd" | "shadow" => cases::hash_file_raw(rng, spec.name, positive),
        "docker-config" => cases::docker_auth(rng, positive),
        "kubernetes" if !positive && rng.chance(0.3) => cases::k8s_secret_ref(rng),
        "kubernetes" => cases::k8s_secret(rng, positive),
        name => cases::config_file_raw(rng, name, positive),
    }
}

fn general_file(spec: &Spec, path: &str, rng: &mut Rng, corpus: &mut Corpus) {
    let mut b = Builder::new(spec, path);
    let n = rng.range(60, 90);
    for _ in 0..n {
        for _ in 0..rng.range(1, 3) {
            let f = syntax::filler(spec, rng);
            b.item(&f);
        }
        let (case, lines) = draw(spec, rng);
        b.case(&case, lines);
    }
    b.finish(corpus);
}

fn dedicated_file(spec: &Spec, path: &str, rng: &mut Rng, corpus: &mut Corpus) {
    let mut b = Builder::new(spec, path);
    let n = rng.range(40, 60);
    for _ in 0..n {
        if !spec.filler.is_empty() && rng.chance(0.3) {
            let f = syntax::filler(spec, rng);
            b.item(&f);
        }
        let case = dedicated_case(spec, rng);
        let Shape::Raw(lines) = &case.shape else {
            unreachable!("dedicated cases are raw")
        };
        let lines = lines.clone();
        b.case(&case, lines);
    }
    b.finish(corpus);
}

/// Markdown: prose, and cases in fenced blocks of other syntaxes or in sentences.
fn markdown_file(path: &str, rng: &mut Rng, corpus: &mut Corpus) {
    let spec = syntax::spec("markdown");
    let mut b = Builder::new(spec, path);
    b.item(&["# Operations guide".to_string(), String::new()]);
    let paras = [
        "This service exports invoices every night and keeps a copy in object storage.",
        "## Local setup",
        "Run the migrations before starting the worker.",
        "## Deploying",
        "The deploy job runs on every merge to main.",
        "See the on-call page for escalation contacts.",
    ];
    let inner = [
        ("bash", "shell"),
        ("yaml", "yaml"),
        ("python", "python"),
        ("sh", "dotenv"),
        ("toml", "toml"),
        ("js", "javascript"),
    ];
    let n = rng.range(60, 90);
    for _ in 0..n {
        b.item(&[rng.pick(&paras).to_string(), String::new()]);
        loop {
            let family = rng.pick(FAMILIES);
            let positive = rng.chance(0.5);
            let case = cases::generate(rng, family, positive);
            // A sentence: "the key is …", or a prose case as a paragraph.
            if let Shape::Prose(text) = &case.shape {
                b.case(&case, vec![format!("Note: {text}.")]);
                break;
            }
            if let Shape::Assign(pairs) = &case.shape {
                if let [(key, cases::Val::Str(v))] = pairs.as_slice() {
                    if rng.chance(0.3) && !v.is_empty() && !v.contains('\n') {
                        let name = key
                            .fixed
                            .clone()
                            .unwrap_or_else(|| key.words.join("_").to_ascii_uppercase());
                        let line = match rng.below(3) {
                            0 => format!("Set `{name}` to `{v}` in the environment."),
                            1 => format!(
                                "For staging the {} is `{v}`.",
                                key.words.join(" ").to_ascii_lowercase()
                            ),
                            _ => format!("- `{name}`: `{v}`"),
                        };
                        b.case(&case, vec![line]);
                        break;
                    }
                }
            }
            let (lang, name) = rng.pick(&inner);
            let Some(lines) = syntax::render(syntax::spec(name), &case, rng) else {
                continue;
            };
            let mut block = vec![format!("```{lang}")];
            block.extend(lines);
            block.push("```".into());
            b.case(&case, block);
            break;
        }
        b.item(&[String::new()]);
    }
    b.finish(corpus);
}

fn json_str(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\t', "\\t")
            .replace('\n', "\\n")
    )
}

/// A notebook: code cells whose source lines are JSON strings, one per file line.
fn jupyter_file(path: &str, rng: &mut Rng, corpus: &mut Corpus) {
    let spec = syntax::spec("jupyter");
    let python = syntax::spec("python");
    let mut b = Builder::new(spec, path);
    b.item(&["{".to_string(), " \"cells\": [".to_string()]);
    let n = rng.range(60, 90);
    let mut done = 0;
    let mut first_cell = true;
    while done < n {
        if !first_cell {
            let last = b.lines.len() - 1;
            b.lines[last].push(',');
        }
        first_cell = false;
        b.item(&[
            "  {".into(),
            "   \"cell_type\": \"code\",".into(),
            "   \"execution_count\": null,".into(),
            "   \"metadata\": {},".into(),
            "   \"outputs\": [],".into(),
            "   \"source\": [".into(),
        ]);
        let mut first_line = true;
        let mut push_source = |b: &mut Builder, lines: &[String]| -> (usize, usize) {
            let start = b.lines.len() + 1;
            for l in lines {
                if !first_line {
                    let last = b.lines.len() - 1;
                    b.lines[last].push(',');
                }
                first_line = false;
                b.lines.push(format!("    {}", json_str(&format!("{l}\n"))));
            }
            (start, b.lines.len())
        };
        push_source(&mut b, &syntax::filler(python, rng));
        for _ in 0..rng.range(1, 4) {
            let (case, mut lines) = draw(python, rng);
            // A notebook runs shell commands as `!cmd` too.
            if let Shape::Command(cmd) = &case.shape {
                if rng.chance(0.5) {
                    lines = vec![format!("!{cmd}")];
                }
            }
            let (start, end) = push_source(&mut b, &lines);
            b.label(&case, start, end, lines);
            done += 1;
            if rng.chance(0.5) {
                push_source(&mut b, &syntax::filler(python, rng));
            }
        }
        b.lines.push("   ]".into());
        b.lines.push("  }".into());
    }
    b.lines.extend([
        " ],".to_string(),
        " \"metadata\": {\"kernelspec\": {\"display_name\": \"Python 3\", \"language\": \"python\", \"name\": \"python3\"}},".to_string(),
        " \"nbformat\": 4,".to_string(),
        " \"nbformat_minor\": 5".to_string(),
        "}".to_string(),
    ]);
    b.finish(corpus);
}

/// The whole corpus for one seed.
fn generate(seed: u64) -> Corpus {
    let mut rng = Rng::new(seed);
    let mut corpus = Corpus {
        files: Vec::new(),
        cases: Vec::new(),
    };
    for spec in SPECS {
        for path in spec.paths {
            match spec.kind {
                Kind::General => general_file(spec, path, &mut rng, &mut corpus),
                Kind::Dedicated => dedicated_file(spec, path, &mut rng, &mut corpus),
                Kind::Markdown => markdown_file(path, &mut rng, &mut corpus),
                Kind::Jupyter => jupyter_file(path, &mut rng, &mut corpus),
            }
        }
    }
    corpus
}

fn write_corpus(corpus: &Corpus, dir: &Path) {
    for (path, text) in &corpus.files {
        write(dir, path, text.as_bytes());
    }
}

/// Masks the secrets of a case's text: first 4 characters and `…`, also for any long
/// random-looking run the label does not name (an escaped or encoded secret).
fn mask(case: &Labelled) -> String {
    let mut text = case
        .text
        .iter()
        .take(4)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ⏎ ");
    if case.text.len() > 4 {
        text.push_str(&format!(" ⏎ … ({} lines)", case.text.len()));
    }
    for s in &case.secrets {
        if s.len() >= 6 {
            text = text.replace(s.as_str(), &format!("{}…", &s[..4]));
        }
    }
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let letters = run.chars().any(|c| c.is_ascii_alphabetic());
        let digits = run.chars().any(|c| c.is_ascii_digit());
        if run.len() >= 16 && letters && digits {
            out.push_str(&run[..4]);
            out.push('…');
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "+/=_-.~!@#*%".contains(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[derive(Default)]
struct Tally {
    positives: usize,
    found: usize,
    negatives: usize,
    false_positives: usize,
}

impl Tally {
    fn recall(&self) -> f64 {
        if self.positives == 0 {
            1.0
        } else {
            self.found as f64 / self.positives as f64
        }
    }
    fn precision(&self) -> f64 {
        let flagged = self.found + self.false_positives;
        if flagged == 0 {
            1.0
        } else {
            self.found as f64 / flagged as f64
        }
    }
}

fn table(title: &str, rows: &BTreeMap<&str, Tally>) -> String {
    let mut out = format!(
        "{title:<18} {:>9} {:>6} {:>7} {:>9} {:>6} {:>9} {:>6}\n",
        "positives", "found", "recall", "negatives", "FP", "findings", "prec"
    );
    for (name, t) in rows {
        out.push_str(&format!(
            "{name:<18} {:>9} {:>6} {:>7.3} {:>9} {:>6} {:>9} {:>6.3}\n",
            t.positives,
            t.found,
            t.recall(),
            t.negatives,
            t.false_positives,
            t.found + t.false_positives,
            t.precision()
        ));
    }
    out
}

#[test]
fn secret_corpus_precision_and_recall_per_family_and_syntax() {
    let corpus = generate(SEED);
    let dir = tempfile::tempdir().unwrap();
    write_corpus(&corpus, dir.path());
    // Everything down to `low`: what the default (`medium`) reports counts everywhere;
    // in documentation (Markdown), where shush reports generic findings one level lower
    // on purpose (README: confidence), a positive also counts when found at `low`.
    let out = shush(dir.path())
        .args([
            "check",
            ".",
            "--format",
            "json",
            "--exit-zero",
            "--min-confidence",
            "low",
        ])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(&out)));

    // Which cases each secret finding lands in.
    let mut by_path: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in corpus.cases.iter().enumerate() {
        by_path.entry(c.path.as_str()).or_default().push(i);
    }
    let mut flagged = vec![false; corpus.cases.len()];
    let mut unlabelled: Vec<String> = Vec::new();
    for f in doc["findings"].as_array().unwrap() {
        let rule = f["rule"].as_str().unwrap();
        if !rule.starts_with("secret-") {
            continue;
        }
        let path = f["path"].as_str().unwrap().replace('\\', "/");
        let line = f["line"].as_u64().unwrap() as usize;
        let end = f["end_line"].as_u64().map_or(line, |e| e as usize);
        let reported = f["confidence"] != "low";
        let docs = path.ends_with(".md");
        let mut hit = false;
        for &i in by_path.get(path.as_str()).map_or(&[][..], |v| v.as_slice()) {
            let c = &corpus.cases[i];
            if !(reported || docs && c.positive) {
                continue;
            }
            if c.start <= end && line <= c.end {
                flagged[i] = true;
                hit = true;
            }
        }
        if !hit && reported {
            unlabelled.push(format!("{path}:{line} {rule}"));
        }
    }

    let mut families: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut syntaxes: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut misses: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut false_positives: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (c, &hit) in corpus.cases.iter().zip(&flagged) {
        for t in [
            families.entry(c.family).or_default(),
            syntaxes.entry(c.syntax).or_default(),
        ] {
            if c.positive {
                t.positives += 1;
                t.found += usize::from(hit);
            } else {
                t.negatives += 1;
                t.false_positives += usize::from(hit);
            }
        }
        let shown = format!("{}:{} [{}] {}", c.path, c.start, c.syntax, mask(c));
        if c.positive && !hit {
            misses.entry(c.family).or_default().push(shown);
        } else if !c.positive && hit {
            false_positives.entry(c.family).or_default().push(shown);
        }
    }
    families.insert(
        "unlabelled",
        Tally {
            false_positives: unlabelled.len(),
            ..Tally::default()
        },
    );

    println!("{}", table("family", &families));
    println!("{}", table("syntax", &syntaxes));
    for family in FAMILIES {
        for (what, list) in [("missed", &misses), ("false positive", &false_positives)] {
            let items = list.get(family).map_or(&[][..], |v| v.as_slice());
            for item in items.iter().take(5) {
                println!("{family} {what}: {item}");
            }
        }
    }
    for item in unlabelled.iter().take(5) {
        println!("unlabelled false positive: {item}");
    }

    let positives = corpus.cases.iter().filter(|c| c.positive).count();
    let negatives = corpus.cases.len() - positives;
    assert!(positives >= 3000, "{positives} positives");
    assert!(negatives >= 3000, "{negatives} negatives");
    assert!(syntaxes.len() >= 20, "{} syntaxes", syntaxes.len());
    let failing: Vec<String> = families
        .iter()
        .filter(|(name, t)| **name != "unlabelled" && (t.precision() < 0.98 || t.recall() < 0.95))
        .map(|(name, t)| {
            format!(
                "{name} (precision {:.3}, recall {:.3})",
                t.precision(),
                t.recall()
            )
        })
        .collect();
    assert!(
        failing.is_empty(),
        "below precision 0.98 / recall 0.95: {failing:?}"
    );
    assert!(
        unlabelled.len() * 50 <= corpus.cases.len(),
        "{} findings on filler lines",
        unlabelled.len()
    );
}

#[test]
fn secret_corpus_is_deterministic() {
    let bytes = |c: &Corpus| {
        c.files
            .iter()
            .map(|(p, t)| format!("{p}\0{t}\0"))
            .collect::<String>()
    };
    let a = generate(SEED);
    let b = generate(SEED);
    assert_eq!(bytes(&a), bytes(&b));
    assert_eq!(a.cases.len(), b.cases.len());
    assert_ne!(bytes(&a), bytes(&generate(SEED + 1)));
    // The provider table: at least 60 formats, each name once.
    let names: std::collections::BTreeSet<&str> =
        providers::PROVIDERS.iter().map(|p| p.name).collect();
    assert!(
        names.len() >= 60 && names.len() == providers::PROVIDERS.len(),
        "{} providers",
        names.len()
    );
}

/// `cargo test --test main corpus::dump -- --ignored` writes the corpus and its labels
/// (`labels.tsv`: path, first line, last line, family, label, syntax) to
/// `target/secret-corpus/`.
#[test]
#[ignore]
fn dump() {
    let corpus = generate(SEED);
    let dir = root().join("target/secret-corpus");
    let _ = std::fs::remove_dir_all(&dir);
    write_corpus(&corpus, &dir);
    let mut labels = String::from("path\tstart\tend\tfamily\tlabel\tsyntax\n");
    for c in &corpus.cases {
        let label = if c.positive { "positive" } else { "negative" };
        labels.push_str(&format!(
            "{}\t{}\t{}\t{}\t{label}\t{}\n",
            c.path, c.start, c.end, c.family, c.syntax
        ));
    }
    write(&dir, "labels.tsv", labels.as_bytes());
    println!(
        "wrote {} files, {} cases to {}",
        corpus.files.len(),
        corpus.cases.len(),
        dir.display()
    );
}
