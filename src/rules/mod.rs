//! Rule packs: the TOML files in `rules/` (embedded) and users' own, deserialized strictly
//! and compiled once into the lookup tables the detectors use. Never runs a rule.

pub mod catalog;
pub mod examples;
pub mod keywords;
pub mod platform;
pub mod prefilter;
pub mod secrets;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use thiserror::Error;

use crate::detect::Applicability;
use crate::source::Language;

/// The embedded packs, by file name.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("python.toml", include_str!("../../rules/python.toml")),
    (
        "typescript.toml",
        include_str!("../../rules/typescript.toml"),
    ),
    ("rust.toml", include_str!("../../rules/rust.toml")),
];

/// The embedded secret packs, by file name: one rule set, ids unique across them.
pub const SECRETS: &[(&str, &str)] = &[
    ("secrets.toml", include_str!("../../rules/secrets.toml")),
    (
        "secrets-providers-a.toml",
        include_str!("../../rules/secrets-providers-a.toml"),
    ),
    (
        "secrets-providers-b.toml",
        include_str!("../../rules/secrets-providers-b.toml"),
    ),
    (
        "secrets-structured.toml",
        include_str!("../../rules/secrets-structured.toml"),
    ),
];

/// A pack that cannot be loaded, with the spot in the file.
#[derive(Debug, Error, Diagnostic)]
#[error("invalid rule pack: {message}")]
#[diagnostic(code(shush::rules::invalid))]
pub struct PackError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: Option<SourceSpan>,
}

/// A pack of environment-read rules (`rules/python.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvPack {
    #[serde(rename = "rule")]
    pub rules: Vec<EnvRule>,
    /// Words that let a file through to the parser for what no rule reads: the
    /// environment a file writes (`[[prefilter]]`).
    #[serde(default, rename = "prefilter")]
    pub prefilters: Vec<WordSet>,
}

/// A prefilter's words: a file passes when it holds one of `keywords` (none: no such
/// condition) and every one of `all_of`, each as a whole word.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WordSet {
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub all_of: Vec<String>,
}

/// One environment-read rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EnvRule {
    /// Stable id, named after the pattern (`py-os-getenv`).
    pub id: String,
    /// One line shown with every finding of the rule.
    pub summary: String,
    /// What the rule matches, fully qualified: a callable (`os.getenv`,
    /// `std::env::var`), a subscripted object (`os.environ[]`), an object whose
    /// properties are variables (`process.env.*`), or a macro (`env!`).
    #[serde(default)]
    pub targets: Vec<String>,
    /// Words one of which a file must contain, as a whole word (no letter, digit, `_`
    /// or `$` next to it), for the rule to be looked for (the prefilter); by default the
    /// target's name after its root (`getenv`, `environ`).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Words every one of which a file must also contain, as whole words (`env` for a
    /// read through `process`: `process.env`, `{ env } = process`).
    #[serde(default)]
    pub all_of: Vec<String>,
    /// Where the variable name is among the arguments.
    pub key: Option<ArgSpec>,
    /// Where the default value is among the arguments; kept in the rewrite.
    pub default: Option<ArgSpec>,
    /// Whether the rewrite is applied by `--fix` (`safe`), only with `--unsafe-fixes`
    /// (`unsafe`), or never built (`none`).
    pub fix: FixKind,
    /// The rule reported instead when the variable name is not a literal.
    pub dynamic_rule: Option<String>,
    /// Text appended to the rewritten call so that it keeps the type of the original
    /// (`.ok().map(std::ffi::OsString::from)` turns the loader's `Result<String, _>`
    /// into `var_os`'s `Option<OsString>`).
    pub adapt: Option<String>,
    /// How a read is rewritten instead of the plain loader call (a typed helper's
    /// `to_bool(get_config_value({key}, {default}))`), with the imports it needs.
    pub rewrite: Option<Rewrite>,
    /// Code the rule must (or must not) find, with the expected rewrite.
    #[serde(default, rename = "example")]
    pub examples: Vec<Example>,
}

/// A rule's own rewrite: a template for the whole read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rewrite {
    /// What replaces the read. `{call}` is the configured loader call, `{key}` the config
    /// key as a string literal, `{name}` the variable's name as a string literal,
    /// `{default}` the default argument as written; `{{` and `}}` are braces.
    pub template: String,
    /// The template for a read without a default argument (by default `template`,
    /// which then may not use `{default}`).
    pub without_default: Option<String>,
    /// Import lines the rewritten code needs besides the loader's, in the language of the
    /// pack (`from acme.config import to_bool`, `import { toBool } from "@acme/config";`,
    /// `use crate::config::to_bool;`).
    #[serde(default)]
    pub imports: Vec<String>,
}

/// One piece of a compiled template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Call,
    Key,
    Name,
    Default,
}

/// A compiled [`Rewrite`].
#[derive(Debug, Clone)]
pub struct CompiledRewrite {
    pub template: Vec<Piece>,
    /// `None`: a read without a default argument cannot be rewritten.
    pub without_default: Option<Vec<Piece>>,
    pub imports: Vec<String>,
}

/// What a template is filled in with.
pub struct Filled<'a> {
    pub call: &'a str,
    pub key: &'a str,
    pub name: &'a str,
    pub default: Option<&'a str>,
}

impl CompiledRewrite {
    /// The rewritten read, or why there is none (no template for a read without a
    /// default).
    pub fn render(&self, with: &Filled) -> Result<String, String> {
        let pieces = match with.default {
            Some(_) => &self.template,
            None => self.without_default.as_ref().ok_or(
                "the rule's rewrite template needs a default argument, and the read has none",
            )?,
        };
        let mut out = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Call => out.push_str(with.call),
                Piece::Key => out.push_str(with.key),
                Piece::Name => out.push_str(with.name),
                Piece::Default => out.push_str(with.default.unwrap_or_default()),
            }
        }
        Ok(out)
    }

    /// Whether the read rendered as `with` is more than one primary expression (a
    /// call, a name, a chain of `.`, `::` and brackets): `{call}({key}) ?? {default}`
    /// needs parentheses where an operator binds the read, `to_bool({call}({key}))`
    /// never does.
    pub fn compound(&self, with_default: bool) -> bool {
        let pieces = if with_default {
            Some(&self.template)
        } else {
            self.without_default.as_ref()
        };
        let Some(pieces) = pieces else { return false };
        let mut depth = 0usize;
        for piece in pieces {
            let text = match piece {
                Piece::Text(t) => t,
                Piece::Default if depth == 0 => return true,
                _ => continue,
            };
            let mut chars = text.chars().peekable();
            let mut quote: Option<char> = None;
            while let Some(c) = chars.next() {
                if let Some(q) = quote {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        c if c == q => quote = None,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '"' | '\'' | '`' => quote = Some(c),
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth = depth.saturating_sub(1),
                    _ if depth > 0 => {}
                    c if c.is_alphanumeric() || matches!(c, '_' | '$' | '.' | ':') => {}
                    // A macro call (`format!(…)`), Rust's `?` and optional chaining.
                    '!' if matches!(chars.peek(), Some('(' | '[' | '{')) => {}
                    '?' if matches!(chars.peek(), None | Some('.' | ')')) => {}
                    _ => return true,
                }
            }
        }
        false
    }

    /// Whether the rewritten code calls the configured loader (and needs its import).
    pub fn calls_loader(&self) -> bool {
        self.template
            .iter()
            .chain(self.without_default.iter().flatten())
            .any(|p| *p == Piece::Call)
    }
}

/// Parses a template into pieces, or says what is wrong with it.
pub fn parse_template(template: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = template.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().is_some_and(|(_, n)| *n == '{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek().is_some_and(|(_, n)| *n == '}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let rest = &template[i + 1..];
                let end = rest.find('}').ok_or_else(|| {
                    format!("`{{` at byte {i} is not closed (write `{{{{` for a brace)")
                })?;
                let piece = match &rest[..end] {
                    "call" => Piece::Call,
                    "key" => Piece::Key,
                    "name" => Piece::Name,
                    "default" => Piece::Default,
                    other => {
                        return Err(format!(
                            "unknown placeholder `{{{other}}}` (there are {{call}}, {{key}}, {{name}} and {{default}})"
                        ));
                    }
                };
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(piece);
                for _ in 0..=end {
                    chars.next();
                }
            }
            '}' => {
                return Err(format!(
                    "`}}` at byte {i} closes nothing (write `}}}}` for a brace)"
                ));
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    if pieces.is_empty() {
        return Err("the template is empty".into());
    }
    Ok(pieces)
}

/// Whether `line` is an import line of the language of pack `pack`.
fn import_parses(pack: &str, line: &str) -> bool {
    use crate::config::{PyImport, RustUse, TsImport};
    match language_of_pack(pack) {
        Some(Language::TypeScript) => TsImport::parse(line).is_some(),
        Some(Language::Rust) => RustUse::parse(line).is_some(),
        _ => PyImport::parse(line).is_some(),
    }
}

/// Compiles a rule's rewrite (checked by `parse_env_pack_beside`).
fn compile_rewrite(rewrite: &Rewrite) -> CompiledRewrite {
    let template = parse_template(&rewrite.template).expect("checked when the pack was parsed");
    let without_default = match &rewrite.without_default {
        Some(t) => Some(parse_template(t).expect("checked when the pack was parsed")),
        None => (!template.contains(&Piece::Default)).then(|| template.clone()),
    };
    CompiledRewrite {
        template,
        without_default,
        imports: rewrite.imports.clone(),
    }
}

/// An argument by position and/or keyword.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgSpec {
    pub position: Option<usize>,
    pub keyword: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    Safe,
    Unsafe,
    None,
}

impl FixKind {
    pub fn applicability(self) -> Option<Applicability> {
        match self {
            FixKind::Safe => Some(Applicability::Safe),
            FixKind::Unsafe => Some(Applicability::Unsafe),
            FixKind::None => None,
        }
    }
}

/// A rule's example: code, how many findings of the rule it holds (default 1), and
/// the text after all fixes (safe and unsafe) have converged.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The file name the code is checked as (default: `example.py`, `example.ts`,
    /// `example.rs` after the pack); its extension picks the grammar (`.tsx`, `.cjs`, …).
    pub path: Option<String>,
    pub code: String,
    pub findings: Option<usize>,
    pub fixed: Option<String>,
}

/// A compiled environment-read rule, as the detectors use it.
#[derive(Debug)]
pub struct CompiledEnvRule {
    pub id: &'static str,
    pub summary: &'static str,
    pub key: Option<ArgSpec>,
    pub default: Option<ArgSpec>,
    pub fix: FixKind,
    pub dynamic_rule: &'static str,
    /// Appended to the rewritten call (see `EnvRule::adapt`).
    pub adapt: Option<&'static str>,
    /// The rule's own rewrite of the whole read (see `EnvRule::rewrite`).
    pub rewrite: Option<Arc<CompiledRewrite>>,
}

/// Lookup tables of one language's environment-read rules.
#[derive(Debug, Default)]
pub struct EnvRules {
    /// Qualified callable → rule.
    pub calls: HashMap<String, CompiledEnvRule>,
    /// Qualified object read by subscript → rule.
    pub subscripts: HashMap<String, CompiledEnvRule>,
    /// Qualified object whose properties are variables (`process.env`) → rule.
    pub members: HashMap<String, CompiledEnvRule>,
    /// Macro name without `!` (`env`) → rule.
    pub macros: HashMap<String, CompiledEnvRule>,
    /// Qualified object destructured into variables (`const { A } = process.env`) → rule.
    pub destructures: HashMap<String, CompiledEnvRule>,
    /// Every rule id with its summary, for reporters.
    pub ids: Vec<(&'static str, &'static str)>,
    /// The modules whose exports are targets (`@acme/lib/env` of `@acme/lib/env#env`):
    /// their imports may go once the reads through them are rewritten.
    pub modules: std::collections::HashSet<String>,
    /// Every word the prefilter looks for (sorted, deduplicated).
    pub keywords: Vec<String>,
    /// Each rule's (and `[[prefilter]]`'s) words as indices into `keywords`: one of the
    /// first (when there are any) and all of the second must occur for it to match.
    sets: Vec<(Vec<usize>, Vec<usize>)>,
    prefilter: Option<prefilter::Keywords>,
}

impl EnvRules {
    /// False when no rule's words occur in the file as whole words, so no rule can
    /// match: `env` in `process.env` or `{ env }` counts, in `environment` it does not
    /// (every keyword is a name, or a dotted one, in the code it finds).
    pub fn may_match(&self, text: &str) -> bool {
        let Some(keywords) = &self.prefilter else {
            return false;
        };
        let bytes = text.as_bytes();
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
        let whole = |k: usize, start: usize| {
            let end = start + keywords.patterns()[k].len();
            !start.checked_sub(1).is_some_and(|i| word(bytes[i]))
                && !bytes.get(end).copied().is_some_and(word)
        };
        if keywords.one_pass_each() {
            // Each keyword is looked for only when a set asks, the words every one of a
            // set needs first, and once: a file without `env` is passed over after one
            // pass, not one per keyword.
            let mut known: Vec<Option<bool>> = vec![None; self.keywords.len()];
            return self.holds(|k| {
                *known[k].get_or_insert_with(|| keywords.occurs(k, text, |start| whole(k, start)))
            });
        }
        let mut present = vec![false; self.keywords.len()];
        let mut found = false;
        keywords.each(text, |k, start| {
            if present[k] || !whole(k, start) {
                return true;
            }
            present[k] = true;
            found = self.holds(|w| present[w]);
            !found
        });
        found
    }

    /// Whether one set's words are present: all of its `all-of`, asked first, and one
    /// of its others (when it has any).
    fn holds(&self, mut present: impl FnMut(usize) -> bool) -> bool {
        self.sets.iter().any(|(any, all)| {
            all.iter().all(|&w| present(w)) && (any.is_empty() || any.iter().any(|&w| present(w)))
        })
    }

    /// Every target's name: calls, subscripts, members and destructured objects.
    fn target_names(&self) -> impl Iterator<Item = &str> {
        self.calls
            .keys()
            .chain(self.subscripts.keys())
            .chain(self.members.keys())
            .chain(self.destructures.keys())
            .map(String::as_str)
    }

    /// Every segment of every target's name (`os`, `environ`, `get` of
    /// `os.environ.get`).
    pub fn target_segments(&self) -> impl Iterator<Item = &str> {
        self.target_names()
            .flat_map(|t| t.split(['.', ':']))
            .filter(|s| !s.is_empty())
    }

    /// The segment after the module of each target's name (`getenv` of `os.getenv`,
    /// `environ` of `os.environ.get`; a one-segment target's name): a read through a
    /// target names it, or a name an import or an assignment bound to the target or
    /// to a part of it (`from os import getenv as g`, `env = os.environ`, then
    /// `env.get("X")`).
    pub fn member_words(&self) -> impl Iterator<Item = &str> {
        self.target_names().filter_map(|t| {
            let mut segments = t.split(['.', ':']).filter(|s| !s.is_empty());
            let first = segments.next();
            segments.next().or(first)
        })
    }

    /// The top-level modules the targets live in (`os`), for import bookkeeping.
    pub fn roots(&self) -> impl Iterator<Item = &str> {
        self.calls
            .keys()
            .chain(self.subscripts.keys())
            .chain(self.members.keys())
            .map(|t| t.split(['.', ':']).next().unwrap_or(t))
    }
}

fn leak(s: String) -> &'static str {
    // Packs are compiled once per process; their ids live as long as it does.
    Box::leak(s.into_boxed_str())
}

/// Parses a pack's text; errors point into it.
pub fn parse_env_pack(name: &str, text: &str) -> Result<EnvPack, PackError> {
    parse_env_pack_beside(name, text, &[])
}

/// `parse_env_pack` for a pack used beside `others` (the embedded pack of its
/// language), whose rules its `dynamic-rule`s may name.
pub fn parse_env_pack_beside(
    name: &str,
    text: &str,
    others: &[&str],
) -> Result<EnvPack, PackError> {
    let err = |message: String, span: Option<std::ops::Range<usize>>| PackError {
        message,
        src: NamedSource::new(name, text.to_string()),
        span: span.map(|r| SourceSpan::from(r.start..r.end.max(r.start + 1))),
    };
    let pack: EnvPack =
        toml::from_str(text).map_err(|e| err(e.message().trim().to_string(), e.span()))?;
    let mut seen = std::collections::HashSet::new();
    for rule in &pack.rules {
        let at = text
            .find(&format!("\"{}\"", rule.id))
            .map(|i| i..i + rule.id.len() + 2);
        if !seen.insert(rule.id.as_str()) {
            return Err(err(format!("rule id `{}` appears twice", rule.id), at));
        }
        if !rule
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(err(format!("rule id `{}` is not kebab-case", rule.id), at));
        }
        if !rule.targets.is_empty() && rule.key.is_none() {
            return Err(err(
                format!("rule `{}` has targets but no `key`", rule.id),
                at,
            ));
        }
        for target in &rule.targets {
            if target.contains('#') && language_of_pack(name) != Some(Language::TypeScript) {
                return Err(err(
                    format!(
                        "rule `{}`: target `{target}` names a module's export (`MODULE#NAME`), which only a TypeScript pack can",
                        rule.id
                    ),
                    text.find(&format!("\"{target}\""))
                        .map(|i| i..i + target.len() + 2),
                ));
            }
            if !is_target(target) {
                return Err(err(
                    format!(
                        "rule `{}`: target `{target}` is not a dotted path (`os.getenv`, `std::env::var`, `process.env.*`, `os.environ[]`, `env!`)",
                        rule.id
                    ),
                    text.find(&format!("\"{target}\""))
                        .map(|i| i..i + target.len() + 2),
                ));
            }
        }
        if let Some(rewrite) = &rule.rewrite {
            let at = text
                .find(&rewrite.template)
                .map(|i| i..i + rewrite.template.len())
                .or(at.clone());
            let template = parse_template(&rewrite.template)
                .map_err(|e| err(format!("rule `{}`: template: {e}", rule.id), at.clone()))?;
            if let Some(t) = &rewrite.without_default {
                let at = text.find(t.as_str()).map(|i| i..i + t.len()).or(at.clone());
                let pieces = parse_template(t).map_err(|e| {
                    err(
                        format!("rule `{}`: without-default: {e}", rule.id),
                        at.clone(),
                    )
                })?;
                if pieces.contains(&Piece::Default) {
                    return Err(err(
                        format!(
                            "rule `{}`: without-default uses {{default}}, which such a read does not have",
                            rule.id
                        ),
                        at,
                    ));
                }
            }
            if template.contains(&Piece::Default) && rule.default.is_none() {
                return Err(err(
                    format!(
                        "rule `{}`: the template uses {{default}}, and the rule has no `default` argument",
                        rule.id
                    ),
                    at,
                ));
            }
            for line in &rewrite.imports {
                if !import_parses(name, line) {
                    return Err(err(
                        format!(
                            "rule `{}`: `{line}` is not an import this language's fixes can add (Python `from M import N [as A]` or `import M [as A]`; TypeScript `import {{ N [as A] }} from \"M\";` or `import N from \"M\";`; Rust `use PATH [as A];`)",
                            rule.id
                        ),
                        text.find(line.as_str()).map(|i| i..i + line.len()),
                    ));
                }
            }
        }
        if let Some(d) = &rule.dynamic_rule {
            if !pack.rules.iter().any(|r| &r.id == d) && !others.contains(&d.as_str()) {
                return Err(err(
                    format!("rule `{}`: dynamic-rule `{d}` is not in the pack", rule.id),
                    at,
                ));
            }
        }
    }
    Ok(pack)
}

/// Whether `target` is what a rule can match: a path of identifiers joined by `.` or
/// `::` (`config.settings.get_bool_from_env`, `crate::util::env_or`), with an optional
/// `[]`, `{}`, `.*` or `!` suffix, or followed by `().METHOD()`; in a TypeScript pack,
/// a module's export (`@acme/lib/env#env`, `@acme/config#default`) followed by such a path.
fn is_target(target: &str) -> bool {
    if let Some((module, export)) = target.split_once('#') {
        // `@acme/lib/env#env`: a module's export, then what a dotted path may have.
        let specifier = !module.is_empty()
            && !module.starts_with('.')
            && !module
                .chars()
                .any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '#' | '\\'));
        return specifier && !export.contains(['#', ':']) && is_target(export);
    }
    // `PATH().METHOD()`: a call of PATH whose result is only asked METHOD.
    let target = match target.strip_suffix("()").and_then(|t| t.split_once("().")) {
        Some((path, method)) if !method.contains(['.', ':', '(', ')']) => path,
        _ => target,
    };
    let bare = target
        .strip_suffix("[]")
        .or_else(|| target.strip_suffix("{}"))
        .or_else(|| target.strip_suffix(".*"))
        .or_else(|| target.strip_suffix('!'))
        .unwrap_or(target);
    let ident = |s: &str| {
        !s.is_empty()
            && !s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    };
    bare.split("::").all(|seg| seg.split('.').all(ident))
}

/// A target as the detectors look it up: `@acme/lib/env#env` is `@acme/lib/env.env`,
/// the qualified name `import { env } from "@acme/lib/env"` binds (`node:` dropped, as
/// the TypeScript detector drops it).
fn module_export(target: &str) -> String {
    match target.split_once('#') {
        Some((module, export)) => {
            let module = module.strip_prefix("node:").unwrap_or(module);
            format!("{module}.{export}")
        }
        None => target.to_string(),
    }
}

/// Compiles a pack into lookup tables.
pub fn compile_env_pack(pack: &EnvPack) -> EnvRules {
    let mut rules = EnvRules::default();
    // Each set's words, before they are numbered.
    let mut sets: Vec<(Vec<String>, &[String])> = Vec::new();
    for rule in &pack.rules {
        let id = leak(rule.id.clone());
        let summary = leak(rule.summary.clone());
        rules.ids.push((id, summary));
        let dynamic_rule = rule.dynamic_rule.clone().map(leak).unwrap_or(id);
        let adapt = rule.adapt.clone().map(leak);
        let rewrite = rule.rewrite.as_ref().map(|r| Arc::new(compile_rewrite(r)));
        // `MODULE#NAME…` is looked up as `MODULE.NAME…`, the name an import binds.
        let targets: Vec<String> = rule.targets.iter().map(|t| module_export(t)).collect();
        for (module, _) in rule.targets.iter().filter_map(|t| t.split_once('#')) {
            let module = module.strip_prefix("node:").unwrap_or(module);
            rules.modules.insert(module.to_string());
        }
        let mut any = Vec::new();
        if rule.keywords.is_empty() {
            for target in &rule.targets {
                if let Some((module, export)) = target.split_once('#') {
                    // The import names the export, or (a default one) the module.
                    let name = export.split(['.', '[', '{', '(']).next().unwrap_or(export);
                    let word = if name == "default" {
                        let last = module.rsplit('/').next().unwrap_or(module);
                        last.split('.').next().unwrap_or(last)
                    } else {
                        name
                    };
                    any.push(word.to_string());
                    continue;
                }
                let bare = target
                    .trim_end_matches("[]")
                    .trim_end_matches("{}")
                    .trim_end_matches(".*")
                    .trim_end_matches('!');
                let segments: Vec<&str> =
                    bare.split(['.', ':']).filter(|s| !s.is_empty()).collect();
                let word = segments
                    .get(1)
                    .or(segments.first())
                    .copied()
                    .unwrap_or(bare);
                any.push(word.to_string());
            }
        } else {
            any.extend(rule.keywords.iter().cloned());
        }
        if !any.is_empty() {
            sets.push((any, &rule.all_of));
        }
        for target in &targets {
            let compiled = CompiledEnvRule {
                id,
                summary,
                key: rule.key.clone(),
                default: rule.default.clone(),
                fix: rule.fix,
                dynamic_rule,
                adapt,
                rewrite: rewrite.clone(),
            };
            if let Some(object) = target.strip_suffix("{}") {
                rules.destructures.insert(object.to_string(), compiled);
            } else if let Some(object) = target.strip_suffix("[]") {
                rules.subscripts.insert(object.to_string(), compiled);
            } else if let Some(object) = target.strip_suffix(".*") {
                rules.members.insert(object.to_string(), compiled);
            } else if let Some(name) = target.strip_suffix('!') {
                rules.macros.insert(name.to_string(), compiled);
            } else {
                rules.calls.insert(target.clone(), compiled);
            }
        }
    }
    for set in &pack.prefilters {
        sets.push((set.keywords.clone(), &set.all_of));
    }
    for (any, all) in &sets {
        rules.keywords.extend(any.iter().chain(all.iter()).cloned());
    }
    rules.keywords.sort();
    rules.keywords.dedup();
    let number = |w: &String| rules.keywords.binary_search(w).expect("collected above");
    rules.sets = sets
        .iter()
        .map(|(any, all)| {
            (
                any.iter().map(number).collect(),
                all.iter().map(number).collect(),
            )
        })
        .collect();
    rules.prefilter = (!rules.keywords.is_empty())
        .then(|| prefilter::Keywords::new(&rules.keywords, false).ok())
        .flatten();
    rules
}

/// Every compiled rule a run uses, one table per language.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub python: EnvRules,
    pub typescript: EnvRules,
    pub rust: EnvRules,
    pub secrets: secrets::SecretRules,
    /// The pack file of each environment-read rule that a team's pack adds or
    /// replaces (the others come from the embedded pack of their language).
    pub env_origins: HashMap<&'static str, &'static str>,
}

impl RuleSet {
    /// The embedded packs, compiled once per process.
    pub fn embedded() -> Arc<RuleSet> {
        static RULES: OnceLock<Arc<RuleSet>> = OnceLock::new();
        RULES
            .get_or_init(|| {
                let mut set = RuleSet {
                    secrets: secrets::compile_all(SECRETS, false)
                        .expect("embedded secret packs are valid")
                        .1,
                    ..RuleSet::default()
                };
                for (name, text) in EMBEDDED {
                    let pack = parse_env_pack(name, text).expect("embedded packs are valid");
                    set.set(name, compile_env_pack(&pack));
                }
                Arc::new(set)
            })
            .clone()
    }

    /// The embedded packs with the team's `packs` added. Only secret packs (named
    /// `secrets*.toml`, as `shush rules check` names them) can be added so far. A rule
    /// with the id of an embedded one replaces it; with `default_secrets` false, the
    /// embedded secret packs are left out. Every regex of the team's packs is compiled
    /// (and checked) now, so that a bad pack fails the run before any scan.
    pub fn with_packs(
        files: &[std::path::PathBuf],
        default_secrets: bool,
        dropped_env: &[Language],
    ) -> Result<Arc<RuleSet>, PackError> {
        if files.is_empty() && default_secrets && dropped_env.is_empty() {
            return Ok(RuleSet::embedded());
        }
        let mut texts = Vec::new();
        for file in files {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(file).map_err(|e| PackError {
                message: format!("cannot read {name}: {e}"),
                src: NamedSource::new(name.clone(), String::new()),
                span: None,
            })?;
            texts.push((name, text));
        }
        RuleSet::with_pack_texts(texts, default_secrets, dropped_env)
    }

    /// `with_packs`, given the packs' names and texts.
    pub fn with_pack_texts(
        packs: Vec<(String, String)>,
        default_secrets: bool,
        dropped_env: &[Language],
    ) -> Result<Arc<RuleSet>, PackError> {
        let mut own: Vec<(String, String)> = Vec::new();
        let mut own_env: Vec<(String, String)> = Vec::new();
        for (name, text) in packs {
            let stem = std::path::Path::new(&name)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if stem.starts_with("secrets") {
                own.push((name, text));
            } else if language_of_pack(&stem).is_some() {
                own_env.push((name, text));
            } else {
                return Err(PackError {
                    message: format!(
                        "{name}: a pack is named for its family: secrets*.toml, python*.toml, typescript*.toml (or javascript*.toml) or rust*.toml"
                    ),
                    src: NamedSource::new(name.clone(), text),
                    span: None,
                });
            }
        }
        let own: Vec<(&str, &str)> = own.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        secrets::compile_all(&own, true)?;
        let replaced: std::collections::HashSet<String> =
            own.iter().flat_map(|(_, t)| secrets::rule_ids(t)).collect();
        let mut packs: Vec<(&str, &str)> = if default_secrets {
            SECRETS.to_vec()
        } else {
            Vec::new()
        };
        packs.extend(own.iter().copied());
        let embedded = |pack: &str| SECRETS.iter().any(|(n, _)| *n == pack);
        let secrets = secrets::compile_except(&packs, false, &|pack, id| {
            embedded(pack) && replaced.contains(id)
        })?
        .1;
        let mut set = RuleSet {
            secrets,
            ..RuleSet::default()
        };
        // Each language's embedded pack, with the team's packs of that language after
        // it: a team rule with an embedded rule's id replaces it.
        let mut ids = std::collections::HashSet::new();
        let mut team: Vec<(Language, EnvRule)> = Vec::new();
        for (name, text) in &own_env {
            let language = language_of_pack(name).expect("named for a language");
            let embedded = EMBEDDED
                .iter()
                .find(|(n, _)| language_of_pack(n) == Some(language))
                .map(|(_, t)| t)
                .expect("an embedded pack per language");
            // Without the embedded pack, its rules (`py-env-dynamic-key`) are not there
            // to be named.
            let embedded_ids = if dropped_env.contains(&language) {
                Vec::new()
            } else {
                secrets::rule_ids(embedded)
            };
            let embedded_ids: Vec<&str> = embedded_ids.iter().map(String::as_str).collect();
            let pack = parse_env_pack_beside(name, text, &embedded_ids)?;
            for rule in pack.rules {
                if !ids.insert(rule.id.clone()) {
                    return Err(PackError {
                        message: format!(
                            "rule id `{}` appears in two of the config's packs",
                            rule.id
                        ),
                        src: NamedSource::new(name.clone(), text.clone()),
                        span: text
                            .find(&format!("\"{}\"", rule.id))
                            .map(|i| SourceSpan::from(i..i + rule.id.len() + 2)),
                    });
                }
                set.env_origins
                    .insert(leak(rule.id.clone()), leak(name.clone()));
                team.push((language, rule));
            }
        }
        for (name, text) in EMBEDDED {
            let language = language_of_pack(name);
            let mut pack = parse_env_pack(name, text).expect("embedded packs are valid");
            let dropped = language.is_some_and(|l| dropped_env.contains(&l));
            pack.rules.retain(|r| !dropped && !ids.contains(&r.id));
            let (mine, rest): (Vec<_>, Vec<_>) =
                team.into_iter().partition(|(l, _)| Some(*l) == language);
            team = rest;
            pack.rules.extend(mine.into_iter().map(|(_, r)| r));
            set.set(name, compile_env_pack(&pack));
        }
        Ok(Arc::new(set))
    }

    /// Puts a pack's rules in the table its file name (`python.toml`, …) names.
    pub fn set(&mut self, pack_name: &str, rules: EnvRules) {
        match language_of_pack(pack_name) {
            Some(Language::TypeScript) => self.typescript = rules,
            Some(Language::Rust) => self.rust = rules,
            _ => self.python = rules,
        }
    }
}

/// The language a pack is for, from its file name: `python.toml`, or a team's
/// `python-acme.toml` (likewise `typescript*`, `javascript*`, `rust*`).
pub fn language_of_pack(name: &str) -> Option<Language> {
    let stem = std::path::Path::new(name).file_stem()?.to_str()?;
    [
        ("python", Language::Python),
        ("typescript", Language::TypeScript),
        ("javascript", Language::TypeScript),
        ("rust", Language::Rust),
    ]
    .into_iter()
    .find(|(prefix, _)| stem.starts_with(prefix))
    .map(|(_, language)| language)
}

#[cfg(test)]
mod target_tests {
    use super::{Filled, Rewrite, compile_rewrite, is_target, parse_template};

    #[test]
    fn targets_are_dotted_paths() {
        for ok in [
            "os.getenv",
            "os.environ[]",
            "process.env.*",
            "process.env{}",
            "std::env::var",
            "env!",
            "std::env::var().is_ok()",
            "config.settings.get_bool_from_env",
            "crate::util::env_or",
            "$env.get",
            "@acme/lib/env#env",
            "@acme/config#default",
            "~/env#env.*",
            "node:process#env.*",
        ] {
            assert!(is_target(ok), "{ok}");
        }
        for bad in [
            "",
            "os.",
            "os..getenv",
            "get env",
            "os.getenv()",
            "1os.getenv",
            "./env#env",
            "#env",
            "@acme/env#",
            "@acme/env#a#b",
            "@acme/env#a::b",
            "my mod#env",
            "std::env::var().is_ok().x()",
            "os.getenv(\"X\")",
        ] {
            assert!(!is_target(bad), "{bad}");
        }
    }

    #[test]
    fn templates_parse_into_pieces() {
        use super::Piece::*;
        assert_eq!(
            parse_template("to_bool({call}({key}, {default}))").unwrap(),
            vec![
                Text("to_bool(".into()),
                Call,
                Text("(".into()),
                Key,
                Text(", ".into()),
                Default,
                Text("))".into()),
            ]
        );
        assert_eq!(
            parse_template("{{ {name} }}").unwrap(),
            vec![Text("{ ".into()), Name, Text(" }".into())]
        );
        for bad in ["", "{call", "{keys}", "a}", "{}"] {
            assert!(parse_template(bad).is_err(), "{bad}");
        }
        let rewrite = compile_rewrite(&Rewrite {
            template: "int({call}({key}, {default}))".into(),
            without_default: None,
            imports: vec![],
        });
        let filled = |default| Filled {
            call: "cfg",
            key: "\"k\"",
            name: "\"K\"",
            default,
        };
        assert_eq!(
            rewrite.render(&filled(Some("3"))).unwrap(),
            "int(cfg(\"k\", 3))"
        );
        assert!(rewrite.render(&filled(None)).is_err());
        assert!(rewrite.calls_loader());
        assert!(!rewrite.compound(true));
        let compound = |t: &str| {
            compile_rewrite(&Rewrite {
                template: t.into(),
                without_default: None,
                imports: vec![],
            })
            .compound(true)
        };
        for primary in [
            "to_bool({call}({key}))",
            "{call}({key}).unwrap_or_else(|_| {default}.into())",
            "{call}({key})?",
            "cfg?.get({key}, \"a ?? b\")",
            "format!(\"{{}}\", {call}({key}))",
        ] {
            assert!(!compound(primary), "{primary}");
        }
        for compound_one in [
            "{call}({key}) ?? {default}",
            "{call}({key}) or {default}",
            "!{call}({key})",
            "{default}",
            "int({call}({key})) + 1",
        ] {
            assert!(compound(compound_one), "{compound_one}");
        }
    }
}

#[cfg(test)]
mod prefilter_tests {
    use super::RuleSet;

    /// A set's words must all occur, as whole words: the words every rule of a
    /// language needs (`env`, `os`) are looked for first, and the rest only then.
    #[test]
    fn a_file_may_match_when_one_set_of_words_occurs_whole() {
        let rules = RuleSet::embedded();
        let ts = &rules.typescript;
        for yes in [
            "const url = process.env.API_URL;",
            "import { env } from \"node:process\";",
            "const token = import.meta.env.VITE_TOKEN;",
            "Deno.env.get(\"TOKEN\")",
            "spawn(\"ls\", [], { env: { A: \"1\" } });",
        ] {
            assert!(ts.may_match(yes), "{yes}");
        }
        for no in [
            "const url = env.API_URL;",
            "const environment = process.argv;",
            "processing.envelope = 1;",
            "",
        ] {
            assert!(!ts.may_match(no), "{no}");
        }
        let py = &rules.python;
        assert!(py.may_match("import os\nx = os.getenv('A')\n"));
        assert!(py.may_match("from os import environ\n"));
        assert!(!py.may_match("getenv('A')  # no module\n"));
        assert!(!py.may_match("import os\nos.path.join(a, b)\n"));
    }
}
