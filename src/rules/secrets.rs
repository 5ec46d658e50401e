//! The hardcoded-secret packs (`rules/secrets*.toml`): provider token formats as regexes
//! gated by keywords and entropy, and the rules served by a built-in detector (the generic
//! name = value one), compiled once into one Aho-Corasick automaton over every keyword
//! plus the rules' regexes. Never scans.

use std::ops::Range;

use miette::{NamedSource, SourceSpan};
use regex::bytes::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::detect::{Confidence, Severity};
use crate::rules::PackError;
use crate::rules::prefilter::Keywords;

/// The pack as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretPack {
    #[serde(rename = "rule")]
    pub rules: Vec<SecretRule>,
}

/// One secret rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SecretRule {
    /// Stable id, `secret-…`.
    pub id: String,
    /// One line shown with every finding.
    pub summary: String,
    /// Literal words (ASCII case-insensitive) one of which must occur for the regex to
    /// run; it runs near them only (see [`Reach`]).
    pub keywords: Vec<String>,
    /// Rust `regex` syntax. Either this or `detector`.
    pub regex: Option<String>,
    /// A built-in detector instead of a regex: `assignment` (a secret-looking name given
    /// a value, in any syntax) or `kubernetes-secret` (the values of a `kind: Secret`).
    pub detector: Option<Detector>,
    /// With `detector = "assignment"`: which names the rule reports (`password` or `token`).
    pub names: Option<NameKind>,
    /// How sure a match is (default `high`, or `medium` for a built-in detector; a
    /// `public` tag makes it `low`).
    pub confidence: Option<Confidence>,
    /// The provider's checksum that a match must pass to keep its confidence
    /// (`github`: the CRC-32 that ends GitHub's and npm's tokens).
    pub checksum: Option<Checksum>,
    /// The capture group that is the secret (default: the whole match).
    pub secret_group: Option<usize>,
    /// Shannon entropy (bits per character) below which a match is ignored.
    pub min_entropy: Option<f64>,
    /// `error` (default) or `warning`.
    pub severity: Option<Severity>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Lines the rule must find.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Lines the rule must not find.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// A detector built into shush, for shapes a regex cannot tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Detector {
    /// `name = value` in any syntax, judged by the name's words and the value's shape.
    Assignment,
    /// Every value under `data:` / `stringData:` of a Kubernetes `kind: Secret`.
    KubernetesSecret,
}

/// What an assignment rule's names say the value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameKind {
    /// `password`, `passwd`, `pwd`, `passphrase`: a person may have chosen it.
    Password,
    /// `api_key`, `token`, `secret`, `credentials`: a machine made it, so it looks random.
    Token,
}

/// A provider checksum over the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checksum {
    /// The last 6 characters are the CRC-32 of the 30 before them (after the prefix),
    /// in base62: GitHub's `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` and npm's `npm_` tokens.
    Crc32Base62,
    /// A PEM private key's body is base64 of DER (an ASN.1 SEQUENCE, first byte `0x30`)
    /// or of an OpenSSH key (`openssh-key-v1`); an encrypted PEM (`Proc-Type`) is not
    /// checked. Armour around a made-up body fails.
    Der,
}

/// How a compiled rule finds its secrets.
#[derive(Debug)]
pub enum Matcher {
    /// A regex, compiled on first use, with its reach: most runs trigger few rules, and
    /// start-up time matters to a pre-commit hook.
    Regex {
        pattern: String,
        compiled: std::sync::OnceLock<(Regex, Reach)>,
    },
    Assignment(NameKind),
    KubernetesSecret,
}

/// A compiled secret rule.
#[derive(Debug)]
pub struct CompiledSecretRule {
    pub id: &'static str,
    pub summary: &'static str,
    pub matcher: Matcher,
    pub group: usize,
    pub min_entropy: f64,
    pub severity: Severity,
    /// A `secret-generic-…` rule: a value next to a secret-looking name, not a
    /// provider's format; it gives way to a provider rule on the same text.
    pub generic: bool,
    pub tags: Vec<String>,
    /// The confidence of a match before path and checksum adjust it, when the pack or
    /// the rule's kind says it; `None`: derived from the regex (see `confidence()`).
    declared: Option<Confidence>,
    /// Whether the secret the regex captures starts with a literal prefix of its own.
    prefixed: std::sync::OnceLock<bool>,
    pub checksum: Option<Checksum>,
    /// The pack file the rule comes from.
    pub pack: &'static str,
    /// The keywords, lower case (the assignment detector looks for them in names).
    pub keywords: Vec<String>,
}

/// Which part of a text a rule's regex looks at, given where its keywords occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The lines within this many bytes of an occurrence of one of the rule's keywords
    /// (the longest text the regex can match; 0 for a regex that matches within one
    /// line but has no length bound: the keyword's own lines).
    Near(usize),
    /// The lines within this many lines of an occurrence of one of the rule's keywords
    /// (the most line ends a match can hold; the regex has no length bound, but only a
    /// bounded part of it crosses lines: `(?:^|\s)--token[ \t]+(\S+)` holds at most one).
    Lines(usize),
    /// The whole text: the regex can match text of any length over any number of lines.
    Whole,
}

impl Reach {
    /// Worked out from the pattern; `Whole` when it cannot be analysed.
    fn of(pattern: &str) -> Reach {
        // As `build` compiles it: over bytes, ASCII only.
        let parsed = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(pattern);
        let Ok(hir) = parsed else {
            return Reach::Whole;
        };
        match (hir.properties().maximum_len(), max_line_ends(&hir)) {
            (Some(len), _) => Reach::Near(len),
            (None, Some(0)) => Reach::Near(0),
            (None, Some(lines)) => Reach::Lines(lines),
            (None, None) => Reach::Whole,
        }
    }
}

/// Whether the text capture group `group` matches (the whole match for 0) always starts
/// with a literal of two characters or more, in every alternative.
fn secret_has_prefix(pattern: &str, group: usize) -> bool {
    use regex_syntax::hir::{Hir, HirKind};
    fn find(hir: &Hir, group: usize) -> Option<&Hir> {
        match hir.kind() {
            HirKind::Capture(c) if c.index as usize == group => Some(&c.sub),
            HirKind::Capture(c) => find(&c.sub, group),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                subs.iter().find_map(|s| find(s, group))
            }
            HirKind::Repetition(r) => find(&r.sub, group),
            _ => None,
        }
    }
    fn starts_with_literal(hir: &Hir) -> bool {
        match hir.kind() {
            HirKind::Literal(l) => l.0.len() >= 2,
            HirKind::Capture(c) => starts_with_literal(&c.sub),
            HirKind::Concat(subs) => subs
                .iter()
                .find(|s| !matches!(s.kind(), HirKind::Look(_)))
                .is_some_and(starts_with_literal),
            HirKind::Alternation(subs) => subs.iter().all(starts_with_literal),
            _ => false,
        }
    }
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
    else {
        return false;
    };
    let secret = if group == 0 {
        Some(&hir)
    } else {
        find(&hir, group)
    };
    secret.is_some_and(starts_with_literal)
}

/// The most line feeds a match of `hir` can hold (`None`: no bound, as in `\s+`).
fn max_line_ends(hir: &regex_syntax::hir::Hir) -> Option<usize> {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(literal) => Some(literal.0.iter().filter(|&&b| b == b'\n').count()),
        HirKind::Class(Class::Unicode(class)) => Some(usize::from(
            class
                .ranges()
                .iter()
                .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        )),
        HirKind::Class(Class::Bytes(class)) => Some(usize::from(
            class
                .ranges()
                .iter()
                .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        )),
        HirKind::Repetition(rep) => match (max_line_ends(&rep.sub)?, rep.max) {
            (0, _) | (_, Some(0)) => Some(0),
            (each, Some(max)) => each.checked_mul(max as usize),
            (_, None) => None,
        },
        HirKind::Capture(capture) => max_line_ends(&capture.sub),
        HirKind::Concat(subs) => subs
            .iter()
            .try_fold(0usize, |sum, s| sum.checked_add(max_line_ends(s)?)),
        HirKind::Alternation(subs) => subs
            .iter()
            .try_fold(0usize, |most, s| Some(most.max(max_line_ends(s)?))),
    }
}

/// The rules a text triggers, with where their keywords occur.
#[derive(Debug, Default)]
pub struct Triggered {
    /// Indices of the triggered rules, in pack order.
    pub rules: Vec<usize>,
    /// Every keyword occurrence: (keyword pattern, start, end).
    occurrences: Vec<(usize, usize, usize)>,
}

/// Every secret rule with the keyword automaton that selects them.
#[derive(Debug)]
pub struct SecretRules {
    pub rules: Vec<CompiledSecretRule>,
    keywords: Keywords,
    /// For each keyword pattern, the rules it triggers.
    triggers: Vec<Vec<usize>>,
    /// Vendor names (the rules' tags that are not categories), lower case: a word
    /// before `key` that names a vendor makes it a secret key (`stripe_key`).
    vendors: std::collections::HashSet<String>,
    /// Token prefixes of provider rules (`ghp_`, `glpat-`, `xoxb-`; four characters or
    /// more, lower case): a generic value that starts with one but that no provider rule
    /// matched is a truncated or made-up token.
    prefixes: Vec<String>,
}

/// Tags of rules that find a credential by its place (a flag, a file's field, a URL's
/// userinfo), not by a provider's format: their values pass the generic value checks, and
/// a provider rule on the same text wins.
const STRUCTURED: &[&str] = &["generic", "cli", "config-file", "url-credentials", "http"];

/// Tags that name a category, not a vendor.
const CATEGORIES: &[&str] = &[
    "cloud",
    "vcs",
    "ci",
    "cd",
    "registry",
    "payments",
    "messaging",
    "email",
    "sms",
    "support",
    "ai",
    "llm",
    "ml",
    "observability",
    "database",
    "auth",
    "maps",
    "analytics",
    "crm",
    "productivity",
    "social",
    "web3",
    "devtools",
    "generic",
    "password",
    "api-key",
    "config",
    "cli",
    "http",
    "url-credentials",
    "config-file",
    "password-hash",
    "public",
    "oauth",
    "private-key",
    "connection-string",
    "service-account",
    "ecommerce",
    "webhook",
    "storage",
    "cms",
    "media",
    "monitoring",
    "search",
    "security",
    "secrets",
    "infrastructure",
    "hosting",
    "chat",
    "voice",
    "realtime",
    "finance",
    "crypto",
    "token",
    "key",
    "kubernetes",
    "jwt",
    "ssh",
    "pgp",
    "git",
    "docker",
    "npm",
    "pypi",
    "iac",
    "data",
    "etl",
    "marketing",
    "feature-flags",
    "identity",
    "geo",
    "cdn",
    "dns",
    "commerce",
    "legacy",
    "test",
];

impl CompiledSecretRule {
    /// How sure a match of this rule is before path and checksum adjust it: what the pack
    /// declares; `low` for a `public` tag; `medium` for a built-in detector, a credential
    /// found by its place or a password hash; otherwise `high` when the secret carries a
    /// prefix of its own (`ghp_`, `AKIA`, `-----BEGIN`) and `medium` when only the name
    /// next to it says whose it is (`twilio_auth_token = <32 hex>`).
    pub fn confidence(&self) -> Confidence {
        if let Some(c) = self.declared {
            return c;
        }
        let Matcher::Regex { pattern, .. } = &self.matcher else {
            return Confidence::Medium;
        };
        let prefixed = *self
            .prefixed
            .get_or_init(|| secret_has_prefix(pattern, self.group));
        if prefixed {
            Confidence::High
        } else {
            Confidence::Medium
        }
    }

    /// The rule's regex, when it has one.
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled().map(|c| &c.0)
    }

    pub fn reach(&self) -> Reach {
        match &self.matcher {
            Matcher::Regex { .. } => self.compiled().expect("a regex rule").1,
            // The name's own line; the detector looks at the next lines itself.
            Matcher::Assignment(_) => Reach::Near(0),
            Matcher::KubernetesSecret => Reach::Whole,
        }
    }

    fn compiled(&self) -> Option<&(Regex, Reach)> {
        match &self.matcher {
            Matcher::Regex { pattern, compiled } => Some(compiled.get_or_init(|| {
                let regex = build(pattern).expect("checked when the pack was loaded or tested");
                (regex, Reach::of(pattern))
            })),
            _ => None,
        }
    }
}

/// Compiles a rule's regex over bytes, ASCII only: `\w`, `\d`, `\s`, `\b` and `(?i)` are
/// their ASCII selves and `.` or `[^…]` match any byte. Secrets are ASCII tokens, and a
/// Unicode `[\w.-]{0,20}` or `.{0,3000}` compiles to automata ten to a hundred times
/// larger: compiling the pack took about 300 ms, now about 120.
fn build(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(32 * 1024 * 1024)
        .build()
}

impl Default for SecretRules {
    fn default() -> Self {
        SecretRules {
            rules: Vec::new(),
            keywords: Keywords::new(&[], true).expect("empty automaton"),
            triggers: Vec::new(),
            vendors: Default::default(),
            prefixes: Vec::new(),
        }
    }
}

impl SecretRules {
    /// Whether `value` starts with a provider's token prefix.
    pub fn has_provider_prefix(&self, value: &str) -> bool {
        let head = value
            .get(..16.min(value.len()))
            .unwrap_or(value)
            .to_ascii_lowercase();
        self.prefixes.iter().any(|p| head.starts_with(p.as_str()))
    }

    /// Whether `word` (lower case) names a vendor of some rule.
    pub fn is_vendor(&self, word: &str) -> bool {
        self.vendors.contains(word)
    }

    /// Every rule keyword, lowercased (matched ASCII case-insensitively).
    pub fn keywords(&self) -> &[String] {
        self.keywords.patterns()
    }

    /// The rules whose keywords occur in `text`, in pack order, and where: one pass
    /// over the text.
    pub fn triggered(&self, text: &str) -> Triggered {
        let mut hit = vec![false; self.rules.len()];
        let mut occurrences = Vec::new();
        let patterns = self.keywords.patterns();
        self.keywords.each(text, |keyword, start| {
            for &rule in &self.triggers[keyword] {
                hit[rule] = true;
            }
            occurrences.push((keyword, start, start + patterns[keyword].len()));
            true
        });
        Triggered {
            rules: (0..self.rules.len()).filter(|i| hit[*i]).collect(),
            occurrences,
        }
    }

    /// Where the keywords of rule `rule` occur (start, end), sorted.
    pub fn occurrences(&self, triggered: &Triggered, rule: usize) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = triggered
            .occurrences
            .iter()
            .filter(|(keyword, _, _)| self.triggers[*keyword].contains(&rule))
            .map(|&(_, start, end)| (start, end))
            .collect();
        out.sort_unstable();
        out
    }

    /// The parts of `text` each triggered rule looks at (in the order of
    /// `triggered.rules`): sorted, disjoint ranges that start and end at line
    /// boundaries.
    pub fn windows(&self, text: &str, triggered: &Triggered) -> Vec<Vec<Range<usize>>> {
        let len = text.len();
        let mut slot = vec![usize::MAX; self.rules.len()];
        let mut reach = Vec::with_capacity(triggered.rules.len());
        for (i, &rule) in triggered.rules.iter().enumerate() {
            slot[rule] = i;
            reach.push(self.rules[rule].reach());
        }
        // One pass over the occurrences: each widens into a span around it for each
        // rule it triggers.
        let mut near: Vec<Vec<(usize, usize)>> = vec![Vec::new(); triggered.rules.len()];
        for &(keyword, start, end) in &triggered.occurrences {
            for &rule in &self.triggers[keyword] {
                let i = slot[rule];
                match reach[i] {
                    Reach::Near(bytes) => {
                        near[i].push((start.saturating_sub(bytes), (end + bytes).min(len)));
                    }
                    Reach::Lines(_) => near[i].push((start, end)),
                    Reach::Whole => {}
                }
            }
        }
        let bytes = text.as_bytes();
        // Bytes crossed looking for line ends (the `--stats` work counts).
        let searched = std::cell::Cell::new(0u64);
        let line_start = |at: usize| {
            let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            searched.set(searched.get() + (at - start) as u64);
            start
        };
        let line_end = |at: usize| {
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(len, |i| at + i);
            searched.set(searched.get() + (end - at) as u64);
            end
        };
        let windows = near
            .into_iter()
            .zip(reach)
            .map(|(mut near, reach)| {
                if reach == Reach::Whole {
                    return std::iter::once(0..len).collect();
                }
                near.sort_unstable();
                if let Reach::Lines(lines) = reach {
                    return line_windows(bytes, &near, lines, &searched);
                }
                let mut windows: Vec<Range<usize>> = Vec::new();
                for (start, end) in near {
                    match windows.last_mut() {
                        // Overlapping, or starting on the line the last one ends on: one.
                        // `last.end` is a line end, so a span ending before it adds
                        // nothing, and each line end is looked for once (on one long
                        // line, looking for it from every occurrence was quadratic).
                        Some(last) if start <= last.end => {
                            if end > last.end {
                                last.end = line_end(end);
                            }
                        }
                        _ => windows.push(line_start(start)..line_end(end)),
                    }
                }
                windows
            })
            .collect::<Vec<_>>();
        crate::stats::work(|w| w.secret_line_search_bytes += searched.get());
        windows
    }
}

/// The lines within `lines` lines of each occurrence (`near`, sorted), merged: sorted,
/// disjoint ranges from a line start to a line end.
fn line_windows(
    bytes: &[u8],
    near: &[(usize, usize)],
    lines: usize,
    searched: &std::cell::Cell<u64>,
) -> Vec<Range<usize>> {
    let len = bytes.len();
    // The start of the line `lines` lines before the one `at` is on.
    let back = |at: usize| {
        let start = memchr::memrchr_iter(b'\n', &bytes[..at])
            .nth(lines)
            .map_or(0, |nl| nl + 1);
        searched.set(searched.get() + (at - start) as u64);
        start
    };
    // The end of the line `lines` lines after the one `at` is on.
    let forward = |at: usize| {
        let end = memchr::memchr_iter(b'\n', &bytes[at..])
            .nth(lines)
            .map_or(len, |i| at + i);
        searched.set(searched.get() + (end - at) as u64);
        end
    };
    let mut windows: Vec<Range<usize>> = Vec::new();
    // The end of the line the last occurrence widened from ends on: an occurrence
    // before it adds nothing.
    let mut covered = 0;
    for &(start, end) in near {
        match windows.last_mut() {
            Some(last) if start <= last.end => {
                if end > covered {
                    last.end = last.end.max(forward(end));
                }
            }
            Some(last) => {
                let from = back(start);
                if from <= last.end {
                    last.end = last.end.max(forward(end));
                } else {
                    windows.push(from..forward(end));
                }
            }
            None => windows.push(back(start)..forward(end)),
        }
        if end > covered {
            covered = memchr::memchr(b'\n', &bytes[end..]).map_or(len, |i| end + i);
        }
    }
    windows
}

/// The rule ids of a secret pack's text (none when it does not parse).
pub fn rule_ids(text: &str) -> Vec<String> {
    #[derive(Deserialize)]
    struct Ids {
        #[serde(default)]
        rule: Vec<Id>,
    }
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    toml::from_str::<Ids>(text)
        .map(|ids| ids.rule.into_iter().map(|r| r.id).collect())
        .unwrap_or_default()
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// Parses and compiles one secret pack; errors point at the rule in the file. With
/// `eager`, every regex is compiled (and checked) now; otherwise on first use.
pub fn compile(
    name: &str,
    text: &str,
    eager: bool,
) -> Result<(SecretPack, SecretRules), PackError> {
    let (mut packs, rules) = compile_all(&[(name, text)], eager)?;
    Ok((packs.remove(0), rules))
}

/// Parses and compiles several secret packs into one rule set (ids unique across them).
pub fn compile_all(
    packs: &[(&str, &str)],
    eager: bool,
) -> Result<(Vec<SecretPack>, SecretRules), PackError> {
    compile_except(packs, eager, &|_, _| false)
}

/// `compile_all`, leaving out the rules for which `skip(pack, id)` holds (embedded
/// rules that a team's pack replaces).
pub fn compile_except(
    packs: &[(&str, &str)],
    eager: bool,
    skip: &dyn Fn(&str, &str) -> bool,
) -> Result<(Vec<SecretPack>, SecretRules), PackError> {
    let mut parsed = Vec::new();
    let mut rules = Vec::new();
    let mut patterns: Vec<String> = Vec::new();
    let mut triggers: Vec<Vec<usize>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for &(name, text) in packs {
        let err = |message: String, span: Option<std::ops::Range<usize>>| PackError {
            message,
            src: NamedSource::new(name, text.to_string()),
            span: span.map(|r| SourceSpan::from(r.start..r.end.max(r.start + 1))),
        };
        let pack: SecretPack =
            toml::from_str(text).map_err(|e| err(e.message().trim().to_string(), e.span()))?;
        let pack_name = leak(name);
        for rule in pack.rules.iter().filter(|r| !skip(name, &r.id)) {
            // Where the rule's id is, for an error (looked for only then).
            let at = || {
                text.find(&format!("\"{}\"", rule.id))
                    .map(|p| p..p + rule.id.len() + 2)
            };
            if !seen.insert(rule.id.clone()) {
                return Err(err(format!("rule id `{}` appears twice", rule.id), at()));
            }
            if !rule.id.starts_with("secret-") {
                return Err(err(
                    format!("rule id `{}` does not start with `secret-`", rule.id),
                    at(),
                ));
            }
            if rule.keywords.is_empty() {
                return Err(err(format!("rule `{}` has no keywords", rule.id), at()));
            }
            let group = rule.secret_group.unwrap_or(0);
            let matcher = match (&rule.regex, rule.detector, rule.names) {
                (Some(pattern), None, None) => {
                    let compiled = std::sync::OnceLock::new();
                    if eager {
                        let regex = build(pattern)
                            .map_err(|e| err(format!("rule `{}`: {e}", rule.id), at()))?;
                        if group >= regex.captures_len() {
                            return Err(err(
                                format!("rule `{}`: secret-group {group} does not exist", rule.id),
                                at(),
                            ));
                        }
                        let _ = compiled.set((regex, Reach::of(pattern)));
                    }
                    Matcher::Regex {
                        pattern: pattern.clone(),
                        compiled,
                    }
                }
                (None, Some(Detector::Assignment), Some(kind)) => Matcher::Assignment(kind),
                (None, Some(Detector::KubernetesSecret), None) => Matcher::KubernetesSecret,
                (None, Some(Detector::Assignment), None) => {
                    return Err(err(
                        format!("rule `{}`: an assignment rule needs `names`", rule.id),
                        at(),
                    ));
                }
                _ => {
                    return Err(err(
                        format!(
                            "rule `{}` needs either `regex` or `detector` (and `names` only with `detector = \"assignment\"`)",
                            rule.id
                        ),
                        at(),
                    ));
                }
            };
            let i = rules.len();
            for keyword in &rule.keywords {
                let lower = keyword.to_ascii_lowercase();
                match patterns.iter().position(|p| *p == lower) {
                    Some(p) => triggers[p].push(i),
                    None => {
                        patterns.push(lower);
                        triggers.push(vec![i]);
                    }
                }
            }
            let builtin = !matches!(matcher, Matcher::Regex { .. });
            // A credential found by its place (a flag, a file's field, a URL) or a
            // password hash is less certain, or less directly usable, than a
            // provider's token.
            let placed = rule
                .tags
                .iter()
                .any(|t| STRUCTURED.contains(&t.as_str()) || t == "password-hash");
            let declared = if rule.tags.iter().any(|t| t == "public") {
                Some(Confidence::Low)
            } else {
                rule.confidence
                    .or((builtin || placed).then_some(Confidence::Medium))
            };
            rules.push(CompiledSecretRule {
                id: leak(&rule.id),
                summary: leak(&rule.summary),
                matcher,
                group,
                min_entropy: rule.min_entropy.unwrap_or(0.0),
                severity: rule.severity.unwrap_or(Severity::Error),
                generic: rule.id.starts_with("secret-generic-")
                    || builtin
                    || rule.tags.iter().any(|t| STRUCTURED.contains(&t.as_str())),
                tags: rule.tags.clone(),
                declared,
                prefixed: std::sync::OnceLock::new(),
                checksum: rule.checksum,
                pack: pack_name,
                keywords: rule
                    .keywords
                    .iter()
                    .map(|k| k.to_ascii_lowercase())
                    .collect(),
            });
        }
        parsed.push(pack);
    }
    let keywords = Keywords::new(&patterns, true).map_err(|e| PackError {
        message: format!("keywords: {e}"),
        src: NamedSource::new("secrets", String::new()),
        span: None,
    })?;
    let vendors = rules
        .iter()
        .flat_map(|r| &r.tags)
        .map(|t| t.to_ascii_lowercase())
        .filter(|t| t.len() >= 3 && !CATEGORIES.contains(&t.as_str()))
        .flat_map(|t| {
            // `google-cloud` names `google` as well.
            let mut all: Vec<String> = t
                .split(['-', '_'])
                .filter(|w| w.len() >= 3)
                .map(String::from)
                .collect();
            all.push(t.replace(['-', '_'], ""));
            all
        })
        .filter(|t| !CATEGORIES.contains(&t.as_str()))
        .collect();
    let mut prefixes: Vec<String> = rules
        .iter()
        .filter(|r| !r.generic)
        .flat_map(|r| &r.keywords)
        .filter(|k| k.len() >= 4 && k.ends_with(['_', '-', '.']) && !k.contains(' '))
        .cloned()
        .collect();
    prefixes.sort();
    prefixes.dedup();
    Ok((
        parsed,
        SecretRules {
            rules,
            keywords,
            triggers,
            vendors,
            prefixes,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_with_its_own_prefix_is_high() {
        assert!(secret_has_prefix(r"\b(ghp_[A-Za-z0-9]{36})\b", 1));
        assert!(secret_has_prefix(r"\b((?:AKIA|ASIA)[A-Z0-9]{16})\b", 1));
        assert!(secret_has_prefix(r"(-----BEGIN [A-Z ]+-----[\s\S]+)", 1));
        assert!(!secret_has_prefix(
            r"(?i)twilio[\w.-]{0,20}?token\s*=\s*([a-f0-9]{32})",
            1
        ));
        assert!(!secret_has_prefix(
            r"(?i)secret_access_key\s*=\s*([A-Za-z0-9/+]{40})",
            1
        ));
    }

    #[test]
    fn reach_follows_the_longest_match() {
        assert_eq!(Reach::of(r"\b(ghp_[A-Za-z0-9]{36})\b"), Reach::Near(40));
        // One line, no bound: the keyword's own lines.
        assert_eq!(
            Reach::of(r"(?m)^[ \t]*token=([^\s]+)[ \t]*$"),
            Reach::Near(0)
        );
        // Any length, across lines: the whole text.
        assert_eq!(Reach::of(r"-----BEGIN[\s\S]+END-----"), Reach::Whole);
        assert_eq!(Reach::of(r"key\s*=\s*(\w+)"), Reach::Whole);
        // Any length, but only a bounded part crosses lines: that many lines around.
        assert_eq!(
            Reach::of(r"(?:^|\s)--token(?:=|[ \t]+)([^\s]{8,128})"),
            Reach::Lines(1)
        );
        assert_eq!(
            Reach::of(r"authorization\s{0,3}:\s{0,3}bearer[ \t]+([A-Za-z0-9]+)"),
            Reach::Lines(6)
        );
        assert_eq!(Reach::of(r"a(?:\r?\n|;){0,3}[ \t]*b\nc+"), Reach::Lines(4));
        assert_eq!(Reach::of(r"(?s)begin.{0,2}[ \t]+"), Reach::Lines(2));
    }

    #[test]
    fn line_windows_span_the_lines_around_each_occurrence() {
        let text = "l0\nl1 k\nl2\nl3\nl4\nl5 k k\nl6\nl7\nl8\nl9 k";
        let at = |n: usize| text.match_indices('k').nth(n).unwrap().0;
        let near: Vec<(usize, usize)> = (0..4).map(|n| (at(n), at(n) + 1)).collect();
        let searched = std::cell::Cell::new(0);
        let windows = line_windows(text.as_bytes(), &near, 1, &searched);
        let shown: Vec<&str> = windows.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(shown, ["l0\nl1 k\nl2", "l4\nl5 k k\nl6", "l8\nl9 k"]);
        let windows = line_windows(text.as_bytes(), &near, 3, &searched);
        assert_eq!(windows.len(), 1);
        assert_eq!(windows[0], 0..text.len());
        let windows = line_windows(text.as_bytes(), &near[1..2], 0, &searched);
        assert_eq!(&text[windows[0].clone()], "l5 k k");
    }

    #[test]
    fn a_regex_looks_at_the_lines_near_its_keywords() {
        let pack = r#"
[[rule]]
id = "secret-test-token"
summary = "test token"
keywords = ["tok_"]
regex = '''\b(tok_[a-z]{8})\b'''
"#;
        let (_, rules) = compile("test.toml", pack, true).unwrap();
        let far = "x\n".repeat(100);
        let text = format!("a = 1\nb = tok_abcdefgh\n{far}c = 2\n");
        let triggered = rules.triggered(&text);
        assert_eq!(triggered.rules, [0]);
        let windows = rules.windows(&text, &triggered);
        // From the start of the line 12 bytes (the longest match) before the keyword
        // to the end of the line 12 bytes after it: not the far end of the text.
        let keyword_end = text.find("tok_").unwrap() + 4;
        let end = keyword_end + 12 + text[keyword_end + 12..].find('\n').unwrap();
        assert_eq!(windows.len(), 1);
        assert_eq!(windows[0].len(), 1);
        assert_eq!(windows[0][0], 0..end);
        assert!(end < 40);
        // Two keywords far apart: two windows.
        let text = format!("tok_abcdefgh\n{far}tok_zzzzzzzz\n");
        let windows = rules.windows(&text, &rules.triggered(&text));
        assert_eq!(windows[0].len(), 2, "{windows:?}");
        let (first, second) = (&text[windows[0][0].clone()], &text[windows[0][1].clone()]);
        assert!(
            first.contains("abcdefgh") && !first.contains("zzzzzzzz"),
            "{first:?}"
        );
        assert!(
            second.contains("zzzzzzzz") && second.len() < 40,
            "{second:?}"
        );
    }
}
