//! Hardcoded secrets in any text file: the keyword automaton picks the rules that can
//! match, their regexes run, and matches pass the entropy gate and the placeholder
//! allowlists. A secret literal assigned to a name in Python or TypeScript gets an
//! unsafe fix to the loader call. Never returns or formats a secret in full.

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use crate::Context;
use crate::config::PythonStyle;
use crate::detect::{Applicability, Finding, Fix, SecretInfo, env};
use crate::fix::Edit;
use crate::rules::secrets::{SecretRules, Triggered};
use crate::source::{Language, SourceFile};

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

/// Finds the hardcoded secrets of one file, and how many rules' keywords occur in it.
pub fn scan(file: &SourceFile, rules: &SecretRules, ctx: &Context) -> (Vec<Finding>, usize) {
    let text = file.text.as_str();
    let triggered = rules.triggered(text);
    let count = triggered.rules.len();
    if count == 0 {
        return (Vec::new(), 0);
    }
    let hits = run_rules(text, &file.path, rules, triggered);
    if hits.is_empty() {
        return (Vec::new(), count);
    }
    (choose(file, hits, rules, ctx), count)
}

/// Every match of every rule that passes the gates, before one finding per secret is
/// chosen: (span of the secret, rule index).
pub fn matches(text: &str, path: &Path, rules: &SecretRules) -> Vec<(Range<usize>, usize)> {
    run_rules(text, path, rules, rules.triggered(text))
}

fn run_rules(
    text: &str,
    path: &Path,
    rules: &SecretRules,
    triggered: Triggered,
) -> Vec<(Range<usize>, usize)> {
    let lock_file = is_lock_file(path);
    let mut hits: Vec<(Range<usize>, usize)> = Vec::new();
    let windows = rules.windows(text, &triggered);
    for (&index, windows) in triggered.rules.iter().zip(windows) {
        let rule = &rules.rules[index];
        if rule.generic && lock_file {
            continue;
        }
        let regex = rule.regex();
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
                if entropy(secret) < rule.min_entropy || is_placeholder(secret) {
                    continue;
                }
                if rule.generic && is_benign_value(secret, line_of(text, m.start())) {
                    continue;
                }
                hits.push((m.range(), index));
            }
        }
    }
    hits
}

fn choose(
    file: &SourceFile,
    mut hits: Vec<(Range<usize>, usize)>,
    rules: &SecretRules,
    ctx: &Context,
) -> Vec<Finding> {
    let text = file.text.as_str();
    // One finding per secret: a provider rule wins over a generic one on the same text,
    // the earlier rule in the pack over a later one.
    hits.sort_by_key(|(r, i)| (r.start, rules.rules[*i].generic, *i));
    let mut kept: Vec<(Range<usize>, usize)> = Vec::new();
    for (range, index) in hits {
        let overlaps = |k: &(Range<usize>, usize)| k.0.start < range.end && range.start < k.0.end;
        if let Some(pos) = kept.iter().position(overlaps) {
            let other = &kept[pos];
            let better = rules.rules[other.1].generic && !rules.rules[index].generic;
            if better {
                kept[pos] = (range, index);
            }
            continue;
        }
        kept.push((range, index));
    }
    kept.into_iter()
        .map(|(span, index)| {
            let rule = &rules.rules[index];
            let secret = SecretInfo::of(&text[span.clone()]);
            let fix = assignment_fix(file, &span, ctx);
            Finding {
                rule: rule.id,
                severity: rule.severity,
                message: format!(
                    "{} written into the code: {}",
                    rule.summary,
                    secret.describe()
                ),
                env_name: None,
                config_key: fix.as_ref().map(|(_, key)| key.clone()),
                fix: fix.map(|(fix, _)| fix),
                no_fix_reason: None,
                help: Some(ROTATE.to_string()),
                secret: Some(secret),
                has_default: false,
                span,
            }
        })
        .collect()
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let mut total = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    counts
        .values()
        .map(|&n| {
            let p = n as f64 / total as f64;
            -p * p.log2()
        })
        .sum()
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
fn is_benign_value(value: &str, line: &str) -> bool {
    static UUID: OnceLock<Regex> = OnceLock::new();
    let uuid = UUID.get_or_init(|| {
        Regex::new(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
            .expect("valid regex")
    });
    let lower_line = line.to_ascii_lowercase();
    let hex = value.len() >= 32 && value.chars().all(|c| c.is_ascii_hexdigit());
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
    // `password_reset`, `invalid-csrf-token`, `UUIDFilterInput`: letters only, maybe
    // joined by `_` or `-`: an identifier, an enum value or a slug, not a secret.
    let word = value
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-');
    word || uuid.is_match(value)
        || (hex && hash_context)
        || value.starts_with("sha512-")
        || value.starts_with("sha256-")
        || value.starts_with("sha1-")
        || value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with("http://")
        || value.starts_with("https://")
}

fn line_of(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    &text[start..end]
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
        let info = SecretInfo::of("ghp_FAKE0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0u");
        assert_eq!(info.describe(), "ghp_… (40 chars)");
        assert_eq!(SecretInfo::of("hunter2!").describe(), "hu… (8 chars)");
        assert_eq!(SecretInfo::of("abc").describe(), "… (3 chars)");
    }
}
