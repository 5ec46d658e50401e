//! Hardcoded secrets in any text file: the keyword automaton picks the rules that can
//! match; their regexes, or the built-in detectors (`assign`: a secret-looking name given
//! a value in any syntax; `kube`: Kubernetes Secret manifests), run near the keywords;
//! matches pass the entropy gate and the placeholder allowlists and get a confidence. A
//! secret literal assigned to a name in Python, TypeScript or Rust gets an unsafe fix to
//! the loader call. Never returns or formats a secret in full.

mod assign;
mod kube;
pub mod value;

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use crate::Context;
use crate::config::PythonStyle;
use crate::detect::{Applicability, Confidence, Finding, Fix, SecretInfo, env};
use crate::fix::Edit;
use crate::rules::secrets::{Checksum, Matcher, SecretRules, Triggered};
use crate::source::{Language, SourceFile};

pub use value::entropy;

/// What every secret finding advises, fixed or not.
pub const ROTATE: &str =
    "rotate this secret: it is in the git history, so removing it from the file is not enough";

/// Lock files hold integrity hashes, never credentials: the generic rules skip them.
const LOCK_FILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "Cargo.lock",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "composer.lock",
    "Gemfile.lock",
    "go.sum",
    "flake.lock",
];

/// Values that stand for a secret rather than being one.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "your_",
    "your-",
    "yourapi",
    "yoursecret",
    "yourtoken",
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "example",
    "redacted",
    "dummy",
    "replace_me",
    "replace-me",
    "insert_",
    "insert-",
    "xxxx",
    "****",
    "....",
    "<",
    ">",
    "&lt;",
    "&gt;",
    "${",
    "{{",
    "%(",
    "$(",
    "process.env",
    "os.getenv",
    "os.environ",
    "env(",
    "getenv",
    "import.meta.env",
    "secrets.",
    "vault:",
];

/// One match of one rule that passed the gates, before one finding per secret is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The secret's bytes in the text.
    pub span: Range<usize>,
    /// The rule's index in the rule set.
    pub rule: usize,
    pub confidence: Confidence,
    /// Public by design (a publishable or client key): said in the message.
    pub public: bool,
}

/// What the secret rules found in one file.
#[derive(Debug, Default)]
pub struct Scan {
    pub findings: Vec<Finding>,
    /// Rules whose keywords occur in the file (their regexes or detectors ran).
    pub triggered: usize,
    /// Secrets left out for being below `min-confidence`.
    pub below_confidence: usize,
}

/// Finds the hardcoded secrets of one file.
pub fn scan(file: &SourceFile, rules: &SecretRules, ctx: &Context) -> Scan {
    let text = file.text.as_str();
    let triggered = rules.triggered(text);
    let count = triggered.rules.len();
    if count == 0 {
        return Scan::default();
    }
    let hits = run_rules(text, &file.path, rules, triggered);
    let (findings, below_confidence) = if hits.is_empty() {
        (Vec::new(), 0)
    } else {
        choose(file, hits, rules, ctx)
    };
    Scan {
        findings,
        triggered: count,
        below_confidence,
    }
}

/// Every match of every rule that passes the gates, before one finding per secret is
/// chosen.
pub fn matches(text: &str, path: &Path, rules: &SecretRules) -> Vec<Hit> {
    run_rules(text, path, rules, rules.triggered(text))
}

fn run_rules(text: &str, path: &Path, rules: &SecretRules, triggered: Triggered) -> Vec<Hit> {
    let lock_file = is_lock_file(path);
    let lowered = is_test_or_docs(path);
    let syntax = assign::Syntax::of(path);
    // Translation catalogs hold UI text (`"password": "Wachtwoord"`), minified bundles
    // hold code no one assigns by hand: only formats and structured rules run there.
    let no_assignments = is_translation(path) || is_minified(path, text);
    let vendor = |w: &str| rules.is_vendor(w);
    let mut hits: Vec<Hit> = Vec::new();
    let lines = std::cell::RefCell::new(Lines::new(text));
    let windows = rules.windows(text, &triggered);
    for (&index, windows) in triggered.rules.iter().zip(windows) {
        let rule = &rules.rules[index];
        if rule.generic && lock_file {
            continue;
        }
        if matches!(rule.matcher, Matcher::Assignment(_)) && no_assignments {
            continue;
        }
        let rule_start = std::time::Instant::now();
        let hits_before = hits.len();
        let mut cost = crate::stats::RuleCost {
            rule: rule.id,
            pack: rule.pack,
            files: 1,
            ..Default::default()
        };
        let mut looked_at = |windows: &[Range<usize>]| {
            let bytes = windows.iter().map(|r| r.len() as u64).sum::<u64>();
            cost.windows += windows.len() as u64;
            cost.window_bytes += bytes;
            crate::stats::work(|w| {
                w.secret_windows += windows.len() as u64;
                w.secret_window_bytes += bytes;
            });
        };
        'rule: {
            let mut push = |span: Range<usize>, confidence: Confidence, public: bool| {
                let mut confidence = confidence.min(rule.confidence());
                if rule
                    .checksum
                    .is_some_and(|c| !checksum_holds(c, &text[span.clone()]))
                {
                    confidence = confidence.lowered();
                }
                if lowered
                    || (rule.tags.iter().any(|t| t == "url-credentials") && local_url(text, &span))
                {
                    confidence = confidence.lowered();
                }
                // A value in a commented-out line, or under an `example` key, documents a
                // setting; a provider's token there is still reported (one level lower).
                let commented_out = matches!(rule.matcher, Matcher::Assignment(_))
                    || rule.tags.iter().any(|t| t == "password-hash");
                if lines.borrow_mut().at(span.start).example(commented_out) {
                    confidence = confidence.lowered();
                }
                hits.push(Hit {
                    span,
                    rule: index,
                    confidence,
                    public: public || rule.tags.iter().any(|t| t == "public"),
                });
            };
            match &rule.matcher {
                Matcher::Assignment(kind) => {
                    looked_at(&windows);
                    let words: Vec<&str> = rule.keywords.iter().map(String::as_str).collect();
                    let ask = assign::Ask {
                        kind: *kind,
                        words: &words,
                        syntax,
                        vendors: &vendor,
                    };
                    let mut found = Vec::new();
                    if words.iter().any(|w| w.is_empty()) {
                        // In every name: each name of the windows is looked at.
                        for window in windows {
                            assign::scan(text, window, &ask, &mut found);
                        }
                    } else {
                        // Its windows are the lines its words occur on: only the names
                        // that hold an occurrence can hold a word.
                        let at = rules.occurrences(&triggered, index);
                        assign::scan_at(text, at.into_iter(), &ask, &mut found);
                    }
                    for c in found {
                        // `ghp_` + 8 characters under `GITHUB_TOKEN`: a provider's prefix
                        // without its format is a truncated or made-up token.
                        let value = &text[c.value.clone()];
                        if rules.has_provider_prefix(value) || PUBLISHED_KEYS.contains(&value) {
                            continue;
                        }
                        push(c.value, c.confidence, c.public);
                    }
                    break 'rule;
                }
                Matcher::KubernetesSecret => {
                    looked_at(std::slice::from_ref(&(0..text.len())));
                    let mut found = Vec::new();
                    kube::scan(text, &mut found);
                    for span in found {
                        push(span, Confidence::Medium, false);
                    }
                    break 'rule;
                }
                Matcher::Regex { .. } => {}
            }
            let regex = rule.regex().expect("a regex rule");
            looked_at(&windows);
            // Only near the rule's keywords; look-arounds (`\b`, `^`) still see the text
            // before a window, and every window ends at a line end.
            for window in windows {
                let haystack = &text.as_bytes()[..window.end];
                let mut at = window.start;
                while at <= haystack.len() {
                    let Some(caps) = regex.captures_at(haystack, at) else {
                        break;
                    };
                    let whole = caps.get(0).expect("group 0 is the match");
                    at = whole.end() + usize::from(whole.is_empty());
                    // The regexes match bytes: a secret that would cut a character in two
                    // is not one.
                    let Some((m, secret)) = caps
                        .get(rule.group)
                        .and_then(|m| Some((m, text.get(m.range())?)))
                    else {
                        continue;
                    };
                    if entropy(secret) < rule.min_entropy
                        || is_placeholder(secret)
                        || PUBLISHED_KEYS.contains(&secret)
                    {
                        continue;
                    }
                    if rule.generic && stand_in(secret) {
                        continue;
                    }
                    if rule.generic
                        && is_benign_value(secret, lines.borrow_mut().at(m.start()).hash_context)
                    {
                        continue;
                    }
                    if rule.generic && stand_in_credentials(secret) {
                        continue;
                    }
                    push(m.range(), Confidence::High, false);
                }
            }
        }
        cost.hits = (hits.len() - hits_before) as u64;
        cost.time = rule_start.elapsed();
        crate::stats::rule_cost(cost);
    }
    hits
}

/// Keys published as examples or for local emulators, so never a leak: Azurite's and the
/// Azure Storage Emulator's `devstoreaccount1` account key, and the example key of
/// Meilisearch's documentation.
const PUBLISHED_KEYS: &[&str] = &[
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    "6436fc5237b0d6e0d64253fbaac21d135012ecf1",
    // jwt.io's sample token.
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
];

/// A value that names what it stands for (`mypassword`, `your-secret`) or is a template
/// (`[password]`, `%PASS%`): not a credential, whatever rule found it.
fn stand_in(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    ["password", "passwd", "your", "changeme"].iter().any(|w| lower.contains(w))
        // ODBC quotes a value in braces (`PWD={a;b}`): that one is a value.
        || (value::is_template(value) && !(value.starts_with('{') && value.ends_with('}')))
}

/// Base64 of `user:password` whose password part is a stand-in (`dXNlcjpwYXNzd29yZA==`).
fn stand_in_credentials(secret: &str) -> bool {
    let Some(decoded) = value::base64_decode(secret) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(&decoded) else {
        return false;
    };
    if text.contains(['{', '"', ' ', '\n']) {
        return false;
    }
    match text.split_once(':') {
        Some((_, password)) => {
            value::classify(password, crate::rules::secrets::NameKind::Password)
                == value::Verdict::Not
        }
        None => false,
    }
}

/// What the gates ask of a match's line, worked out once per line: on one long line
/// with many matches (a minified bundle, a notebook's base64 image), looking at the
/// whole line again for each match was quadratic.
#[derive(Clone, Copy, Debug)]
struct LineFacts {
    /// The line is only a comment (`# password: …`, `## user:{SHA}…`).
    comment: bool,
    /// Its key says it is an example (`example: …`, `"sample_token": …`,
    /// `placeholder="…"`).
    example_key: bool,
    /// It names a hash (`sha`, `checksum`, `integrity`, `commit` …).
    hash_context: bool,
}

impl LineFacts {
    fn of(line: &str) -> LineFacts {
        let trimmed = line.trim_start();
        let comment = ["#", "//", ";", "--", "/*", "* ", "<!--", "rem ", "REM "]
            .iter()
            .any(|c| trimmed.starts_with(c));
        let key = trimmed
            .split([':', '='])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let example_key = ["example", "sample", "placeholder"]
            .iter()
            .any(|w| key.contains(w));
        let lower_line = line.to_ascii_lowercase();
        let hash_context = [
            "sha",
            "hash",
            "checksum",
            "digest",
            "integrity",
            "commit",
            "etag",
        ]
        .iter()
        .any(|w| lower_line.contains(w));
        LineFacts {
            comment,
            example_key,
            hash_context,
        }
    }

    /// A line that is only a comment, or whose key says it is an example. Comments
    /// count only for settings and hashes (`# password: …` is a commented-out setting);
    /// a token or a URL with credentials in a comment is a leak as it stands.
    fn example(self, generic: bool) -> bool {
        (generic && self.comment) || self.example_key
    }
}

/// The [`LineFacts`] of a text's lines, each worked out when first asked for.
struct Lines<'t> {
    text: &'t str,
    /// Where each line starts; found at the first look-up (most files have no match).
    starts: Vec<usize>,
    facts: std::collections::HashMap<usize, LineFacts>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        Lines {
            text,
            starts: Vec::new(),
            facts: Default::default(),
        }
    }

    /// The facts of the line holding `offset` (the text between the newlines around it).
    fn at(&mut self, offset: usize) -> LineFacts {
        let text = self.text;
        if self.starts.is_empty() {
            self.starts = std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
                .collect();
        }
        let starts = &self.starts;
        let line = starts.partition_point(|&s| s <= offset) - 1;
        *self.facts.entry(line).or_insert_with(|| {
            let start = starts[line];
            let end = starts.get(line + 1).map_or(text.len(), |&s| s - 1);
            crate::stats::work(|w| w.secret_line_bytes += (end - start) as u64);
            LineFacts::of(&text[start..end])
        })
    }
}

/// A translation catalog: under `locales/`, `i18n/`, `translations/` …, a gettext or
/// XLIFF file, or a file named after a locale (`de.json`, `pt_BR.yml`, `en-US.json`).
pub fn is_translation(path: &Path) -> bool {
    const DIRS: &[&str] = &[
        "locales",
        "locale",
        "i18n",
        "l10n",
        "lang",
        "langs",
        "translations",
        "messages",
    ];
    let dir = path.parent().is_some_and(|p| {
        p.components().any(|c| {
            c.as_os_str()
                .to_str()
                .is_some_and(|n| DIRS.contains(&n.to_ascii_lowercase().as_str()))
        })
    });
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    // ISO 639-1 codes of the languages catalogs are most often written in.
    const LANGUAGES: &[&str] = &[
        "en", "de", "fr", "es", "it", "pt", "nl", "ru", "ja", "zh", "ko", "pl", "tr", "sv", "da",
        "fi", "nb", "cs", "hu", "ro", "uk", "el", "he", "ar", "hi", "th", "vi", "bg", "hr", "sk",
        "sl", "sr", "lt", "lv", "et", "ca", "fa",
    ];
    let language = stem.split(['-', '_']).next().unwrap_or("");
    let locale = LANGUAGES.contains(&language)
        && (stem.len() == 2 || (stem.len() == 5 && matches!(stem.as_bytes()[2], b'-' | b'_')));
    dir || ["po", "pot", "xliff", "xlf", "strings", "arb"].contains(&ext)
        || (locale && ["json", "yml", "yaml", "properties"].contains(&ext))
}

/// A minified or generated bundle: `*.min.js`, `*.min.css`, a source map, or a first
/// line of several thousand characters.
fn is_minified(path: &Path, text: &str) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".min.js")
        || name.ends_with(".min.css")
        || name.ends_with(".map")
        || text.split('\n').next().is_some_and(|l| l.len() > 5000)
}

/// A test or docs path: a test, spec, fixture, mock, example or docs directory, or a
/// test file by its name (`test_x.py`, `x_test.go`, `x.spec.ts`). Secrets there are often
/// dummies, so their findings count one confidence level lower.
pub fn is_test_or_docs(path: &Path) -> bool {
    const DIRS: &[&str] = &[
        "test",
        "tests",
        "__tests__",
        "spec",
        "specs",
        "testdata",
        "test_data",
        "test-data",
        "testing",
        "fixtures",
        "fixture",
        "__fixtures__",
        "__mocks__",
        "mocks",
        "mock",
        "e2e",
        "cypress",
        "docs",
        "doc",
        "documentation",
        "examples",
        "example",
        "samples",
        "sample",
        "demo",
        "demos",
        "snapshots",
        "__snapshots__",
    ];
    crate::detect::testcode::by_folder_or_name(path, DIRS, |name| {
        let lower = name.to_ascii_lowercase();
        // Documentation: its secrets are examples far more often than leaks.
        if [".md", ".mdx", ".rst", ".adoc", ".asciidoc"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            return true;
        }
        let stem = lower.split('.').next().unwrap_or("");
        stem.starts_with("test_")
            || stem.ends_with("_test")
            || stem.ends_with("_tests")
            || stem == "conftest"
            || lower.contains(".test.")
            || lower.contains(".spec.")
            || lower.contains("_spec.")
    })
}

/// A URL's credentials for a host on this machine or a reserved example domain.
fn local_url(text: &str, span: &Range<usize>) -> bool {
    let rest = &text[span.end..];
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '/' | '`' | ')'))
        .unwrap_or(rest.len());
    let host = rest[..end]
        .rsplit('@')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let host = host.split(':').next().unwrap_or("");
    [
        "localhost",
        "127.0.0.1",
        "0.0.0.0",
        "::1",
        "host.docker.internal",
    ]
    .contains(&host)
        || host.ends_with(".localhost")
        || host.ends_with(".test")
        || host.ends_with(".example")
        || host == "example.com"
        || host.ends_with(".example.com")
}

/// Whether `token` passes its provider's checksum.
fn checksum_holds(checksum: Checksum, token: &str) -> bool {
    match checksum {
        Checksum::Der => {
            // A traditional encrypted PEM's body is cipher text, not DER.
            if token.contains("Proc-Type") {
                return true;
            }
            // The body: the lines between the armour, `\n` escapes and headers left out.
            let body: String = token
                .replace("\\n", "\n")
                .replace("\\r", "\n")
                .lines()
                .filter(|l| !l.contains("-----") && !l.contains(':'))
                .flat_map(|l| l.trim().chars())
                .filter(|c| !c.is_whitespace() && *c != '\\')
                .collect();
            match value::base64_decode(&body) {
                Some(der) => der.first() == Some(&0x30) || der.starts_with(b"openssh-key-v1"),
                None => false,
            }
        }
        Checksum::Crc32Base62 => {
            let Some((_, body)) = token.split_once('_') else {
                return false;
            };
            // The 30 + 6 format: a longer token (GitHub's ghs_ may grow) is not checked.
            if body.len() != 36 || !body.is_ascii() {
                return body.len() != 36;
            }
            let (random, sum) = body.split_at(30);
            base62(crc32(random.as_bytes()), 6) == sum
        }
    }
}

/// CRC-32 (IEEE 802.3, as zlib computes it).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// `n` in base62 (`0-9A-Za-z`), left-padded with `0` to `width`.
fn base62(mut n: u32, width: usize) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    while n > 0 {
        out.push(DIGITS[(n % 62) as usize]);
        n /= 62;
    }
    while out.len() < width {
        out.push(b'0');
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII digits")
}

fn choose(
    file: &SourceFile,
    mut hits: Vec<Hit>,
    rules: &SecretRules,
    ctx: &Context,
) -> (Vec<Finding>, usize) {
    let text = file.text.as_str();
    // One finding per secret: a provider rule wins over a generic one on the same text,
    // the earlier rule in the pack over a later one.
    hits.sort_by_key(|h| (h.span.start, rules.rules[h.rule].generic, h.rule));
    let mut kept: Vec<Hit> = Vec::new();
    // Kept hits before `live` end before the current hit starts, so before every later
    // one (the hits come by start): they overlap none, and are not looked at again (a
    // scan of every kept hit for each was quadratic in the matches of a file).
    let mut live = 0;
    for hit in hits {
        let overlaps = |k: &Hit| k.span.start < hit.span.end && hit.span.start < k.span.end;
        while live < kept.len() && kept[live].span.end <= hit.span.start {
            live += 1;
        }
        if let Some(pos) = kept[live..].iter().position(overlaps).map(|p| live + p) {
            let other = &kept[pos];
            let better = rules.rules[other.rule].generic && !rules.rules[hit.rule].generic;
            if better {
                kept[pos] = hit;
            }
            continue;
        }
        kept.push(hit);
    }
    let all = kept.len();
    kept.retain(|h| h.confidence >= ctx.config.min_confidence);
    let below = all - kept.len();
    let findings = kept
        .into_iter()
        .map(|hit| {
            let span = hit.span;
            let rule = &rules.rules[hit.rule];
            let secret = SecretInfo::of(&text[span.clone()], hit.confidence);
            // A value in a test is the test's own (`const oldPassword = 'Test123!'` in a
            // spec): a loader call there would make the test read the secret store.
            let in_test = crate::detect::testcode::is_test_path(&file.path);
            let fix = if in_test {
                None
            } else {
                assignment_fix(file, &span, ctx)
            };
            let public = if hit.public {
                " (public by design: a publishable or client-side key, reported at low confidence)"
            } else {
                ""
            };
            Finding {
                rule: rule.id,
                severity: if hit.public {
                    crate::detect::Severity::Warning
                } else {
                    rule.severity
                },
                message: format!(
                    "{} written into the code: {}{public}",
                    rule.summary,
                    secret.describe()
                ),
                env_name: None,
                config_key: fix.as_ref().map(|(_, key)| key.clone()),
                fix: fix.map(|(fix, _)| fix),
                no_fix_reason: in_test.then(|| {
                    "test code: the value belongs to the test, which should not read the secret store; rotate it if it is real".to_string()
                }),
                help: Some(ROTATE.to_string()),
                secret: Some(secret),
                has_default: false,
                span,
                role: None,
            }
        })
        .collect();
    (findings, below)
}

/// A value that stands for a secret: `your_api_key`, `${TOKEN}`, `<token>`, `xxxx`,
/// AWS's documented example keys, or one character repeated.
pub fn is_placeholder(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    if PLACEHOLDER_MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    let mut chars = secret.chars();
    let first = chars.next();
    first.is_some_and(|f| chars.all(|c| c == f))
}

/// Values next to a secret-looking name that are not secrets: UUIDs, content hashes
/// and integrity digests, paths and URLs without credentials.
fn is_benign_value(value: &str, hash_context: bool) -> bool {
    static UUID: OnceLock<Regex> = OnceLock::new();
    let uuid = UUID.get_or_init(|| {
        Regex::new(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
            .expect("valid regex")
    });
    let hex = value.len() >= 32 && value.chars().all(|c| c.is_ascii_hexdigit());
    // `password_reset`, `invalid-csrf-token`, `UUIDFilterInput`: letters only, maybe
    // joined by `_` or `-`: an identifier, an enum value or a slug, not a secret.
    let word = value
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-');
    word || value::is_identifier(value)
        || value.contains('(')
        || uuid.is_match(value)
        || (hex && hash_context)
        || value.starts_with("sha512-")
        || value.starts_with("sha256-")
        || value.starts_with("sha1-")
        || value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with("http://")
        || value.starts_with("https://")
}

/// `OPENAI_KEY = "sk-…"` in Python or TypeScript (`let key = "…";` in Rust): the literal
/// becomes the loader call keyed by the name (an unsafe fix: the value must first be put
/// in the secret store, and in Rust the type changes from `&str` to the loader's).
fn assignment_fix(file: &SourceFile, span: &Range<usize>, ctx: &Context) -> Option<(Fix, String)> {
    static PY: OnceLock<Regex> = OnceLock::new();
    static TS: OnceLock<Regex> = OnceLock::new();
    static RS: OnceLock<Regex> = OnceLock::new();
    let text = file.text.as_str();
    let (pattern, prefixes) = match file.language {
        Language::Python => (
            PY.get_or_init(|| {
                Regex::new(r"^\s*(?:self\.)?([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*[A-Za-z_][A-Za-z0-9_\[\]., |]*)?\s*=\s*$")
                    .expect("valid regex")
            }),
            "rRbBuU",
        ),
        Language::TypeScript | Language::Tsx | Language::JavaScript => (
            TS.get_or_init(|| {
                Regex::new(r"^\s*(?:export\s+)?(?:(?:const|let|var)\s+)?([A-Za-z_$][A-Za-z0-9_$]*)\s*(?::\s*[A-Za-z_$][A-Za-z0-9_$<>\[\]| ]*)?\s*=\s*$")
                    .expect("valid regex")
            }),
            "",
        ),
        Language::Rust => (
            RS.get_or_init(|| {
                // Only `let`: a `const` or `static` cannot call the loader.
                Regex::new(r"^\s*let\s+(?:mut\s+)?([a-z_][a-z0-9_]*)\s*(?::\s*[^=]+)?=\s*$")
                    .expect("valid regex")
            }),
            "",
        ),
        Language::Text => return None,
    };
    // The secret must be the whole string literal.
    let quote = text[..span.start].chars().next_back()?;
    if !matches!(quote, '"' | '\'' | '`') || !text[span.end..].starts_with(quote) {
        return None;
    }
    let mut start = span.start - quote.len_utf8();
    while let Some(c) = text[..start]
        .chars()
        .next_back()
        .filter(|c| prefixes.contains(*c))
    {
        start -= c.len_utf8();
    }
    // A prefix the language does not take here (`r"…"`, `r#"…"#` in Rust): no fix.
    if text[..start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '#' || c == '_')
    {
        return None;
    }
    let end = span.end + quote.len_utf8();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let rest_of_line = text[end..].split('\n').next().unwrap_or("").trim();
    if !(rest_of_line.is_empty()
        || rest_of_line.starts_with(';')
        || rest_of_line.starts_with('#')
        || rest_of_line.starts_with("//"))
    {
        return None;
    }
    let name = pattern.captures(&text[line_start..start])?.get(1)?.as_str();
    let key = env::config_key(name, &ctx.config.env);
    let q = if quote == '`' { '"' } else { quote };
    let replacement = match file.language {
        Language::Python => match ctx.config.python.style {
            PythonStyle::Call => format!("{}({q}{key}{q})", ctx.config.python.call),
            PythonStyle::Attribute => format!("{}.{key}", ctx.config.python.call),
        },
        Language::Rust if quote != '"' => return None,
        Language::Rust => format!("{}(\"{key}\")", ctx.config.rust.call),
        _ => format!("{}({q}{key}{q})", ctx.config.typescript.call),
    };
    Some((
        Fix {
            title: format!(
                "Replace the literal with `{replacement}` once the value is in the secret store"
            ),
            applicability: Applicability::Unsafe,
            edits: vec![Edit::replace(start..end, replacement)],
            needs_import: true,
            gitignore: None,
            imports: Vec::new(),
        },
        key,
    ))
}

/// True for files whose name says they are a lock file.
pub fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| LOCK_FILES.contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_and_placeholders() {
        assert!(entropy("aaaa") < 0.01);
        assert!(entropy("abcd") > 1.99);
        assert!(is_placeholder("your_api_key_here"));
        assert!(is_placeholder("${STRIPE_KEY}"));
        assert!(is_placeholder("AKIAIOSFODNN7EXAMPLE"));
        assert!(is_placeholder("xxxxxxxxxxxxxxxx"));
        assert!(!is_placeholder("ghp_FAKE0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV"));
    }

    #[test]
    fn previews_never_show_much() {
        let of = |s| SecretInfo::of(s, Confidence::High);
        assert_eq!(
            of("ghp_FAKE0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0u").describe(),
            "ghp_… (40 chars)"
        );
        assert_eq!(of("hunter2!").describe(), "hu… (8 chars)");
        assert_eq!(of("abc").describe(), "… (3 chars)");
    }

    #[test]
    fn github_checksums() {
        // The CRC-32 of the 30 random characters, in base62: computed independently
        // with Python's zlib.crc32.
        assert_eq!(
            base62(crc32(b"16C7e42F292c6912E7710c838347Ae"), 6),
            "4H2Y7G"
        );
        assert!(checksum_holds(
            Checksum::Crc32Base62,
            "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"
        ));
        assert!(!checksum_holds(
            Checksum::Crc32Base62,
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
        ));
    }

    #[test]
    fn translations_and_examples() {
        for p in [
            "web/locales/nl/common.json",
            "app/i18n/fr.yml",
            "src/lang/de-DE.json",
            "po/de.po",
            "ios/en.lproj/Localizable.strings",
        ] {
            assert!(is_translation(Path::new(p)), "{p}");
        }
        for p in ["src/config.json", "deploy/values.yaml", "src/db.ts"] {
            assert!(!is_translation(Path::new(p)), "{p}");
        }
        let example_line = |line: &str, generic: bool| LineFacts::of(line).example(generic);
        assert!(example_line("    ##    testuser:{SHA}abc", true));
        assert!(!example_line("    ##    testuser:{SHA}abc", false));
        assert!(example_line("  example: $argon2id$v=19$m=65536", false));
        assert!(!example_line("  password: Xk9#mPq2vL", true));
    }

    #[test]
    fn line_facts_are_those_of_the_line_around_an_offset() {
        let text = "a = 1\n# password: x\r\n\nexample_key: sha256 y\nlast";
        let line_of = |offset: usize| {
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
            &text[start..end]
        };
        let mut lines = Lines::new(text);
        for offset in 0..=text.len() {
            let (ours, theirs) = (lines.at(offset), LineFacts::of(line_of(offset)));
            assert_eq!(
                (ours.comment, ours.example_key, ours.hash_context),
                (theirs.comment, theirs.example_key, theirs.hash_context),
                "at {offset}"
            );
        }
        assert!(lines.at(7).comment && !lines.at(0).comment);
        assert!(lines.at(24).example_key && lines.at(24).hash_context);
        // Each line's facts were worked out once.
        crate::stats::take_work();
        let mut lines = Lines::new(text);
        for offset in 0..=text.len() {
            lines.at(offset);
        }
        let line_bytes = text.len() - text.matches('\n').count();
        assert_eq!(
            crate::stats::take_work().secret_line_bytes,
            line_bytes as u64
        );
    }

    #[test]
    fn pem_bodies_must_be_der() {
        // `MII…` is base64 of 0x30 0x82 …: an ASN.1 SEQUENCE.
        let real = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----";
        let made_up = "-----BEGIN PRIVATE KEY-----\nZHVtbXkga2V5IGJvZHkgZm9yIHRlc3Rz\n-----END PRIVATE KEY-----";
        assert!(checksum_holds(Checksum::Der, real));
        assert!(!checksum_holds(Checksum::Der, made_up));
        assert!(checksum_holds(
            Checksum::Der,
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nZHVt\n-----END RSA PRIVATE KEY-----"
        ));
    }

    #[test]
    fn test_and_docs_paths() {
        for p in [
            "tests/a.py",
            "src/__tests__/x.ts",
            "pkg/x_test.go",
            "app/test_views.py",
            "web/a.spec.ts",
            "docs/setup.md",
            "examples/app/.env",
        ] {
            assert!(is_test_or_docs(Path::new(p)), "{p}");
        }
        for p in [
            "src/app.py",
            "config/settings.yaml",
            "testimonials.yaml",
            "latest/x.py",
        ] {
            assert!(!is_test_or_docs(Path::new(p)), "{p}");
        }
    }
}
