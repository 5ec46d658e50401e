//! `[secrets.allowlist]`: values and places the team knows are not secrets (a test
//! key, a published example, a fixtures folder), for every secret rule or for one
//! (`[secrets.rules.ID.allowlist]`). An allowlisted finding is not reported but counted,
//! by kind, in the summary and `--stats`, so nothing disappears silently.
//!
//! Four kinds, as gitleaks' allowlists have them: `paths` (gitignore-style globs,
//! relative to the config file that sets them), `values` (regexes over the secret's
//! value, not its line), `stopwords` (a value containing one, in any case, is not a
//! secret) and `sha256` (exact values by the hex SHA-256 of their bytes, so that the
//! config never holds the secret it allows).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::{ConfigError, Invalid};

/// The largest compiled size of one `values` regex: a user pattern can never make a
/// scan slow (the regex crate matches in linear time) nor take much memory.
pub const VALUE_REGEX_LIMIT: usize = 1 << 20;

/// `[secrets]` as written.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawSecrets {
    /// `false`: the embedded secret packs do not apply, only the team's `packs`.
    extend_default: Option<bool>,
    allowlist: Option<RawAllow>,
    /// Settings of one rule, by id: `[secrets.rules.secret-stripe-secret-key.allowlist]`.
    rules: Option<BTreeMap<String, Spanned<RawRule>>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRule {
    allowlist: Option<RawAllow>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAllow {
    paths: Option<Spanned<Vec<String>>>,
    values: Option<Vec<Spanned<String>>>,
    stopwords: Option<Vec<String>>,
    sha256: Option<Vec<Spanned<String>>>,
    /// `paths` with the directory of the file that wrote them: filled when the file is
    /// loaded, before another file's settings are laid over it.
    #[serde(skip)]
    rooted: Vec<(PathBuf, String)>,
}

impl RawAllow {
    fn root(&mut self, dir: &Path, invalid: Invalid) -> Result<(), ConfigError> {
        let Some(paths) = self.paths.take() else {
            return Ok(());
        };
        for glob in paths.get_ref() {
            if let Err(e) = GitignoreBuilder::new(dir).add_line(None, glob) {
                return Err(invalid(
                    format!("`{glob}` is not a path glob: {e}"),
                    Some(paths.span()),
                    "in these paths",
                    None,
                ));
            }
            self.rooted.push((dir.to_path_buf(), glob.clone()));
        }
        Ok(())
    }

    /// `over`'s lists after `self`'s: allowlists add up.
    fn merge(mut self, over: RawAllow) -> RawAllow {
        fn concat<T>(a: &mut Option<Vec<T>>, b: Option<Vec<T>>) {
            match (a.as_mut(), b) {
                (Some(a), Some(b)) => a.extend(b),
                (None, b) => *a = b,
                (Some(_), None) => {}
            }
        }
        concat(&mut self.values, over.values);
        concat(&mut self.stopwords, over.stopwords);
        concat(&mut self.sha256, over.sha256);
        self.rooted.extend(over.rooted);
        self
    }

    fn resolve(self, invalid: Invalid) -> Result<Allow, ConfigError> {
        let mut by_root: BTreeMap<PathBuf, GitignoreBuilder> = BTreeMap::new();
        for (root, glob) in &self.rooted {
            let builder = by_root
                .entry(root.clone())
                .or_insert_with(|| GitignoreBuilder::new(root));
            // Checked when the file was loaded.
            let _ = builder.add_line(None, glob);
        }
        let paths = by_root
            .into_values()
            .filter_map(|b| b.build().ok())
            .collect();
        let mut values = Vec::new();
        for v in self.values.unwrap_or_default() {
            let regex = regex::RegexBuilder::new(v.get_ref())
                .size_limit(VALUE_REGEX_LIMIT)
                .build()
                .map_err(|e| {
                    invalid(
                        format!("`{}` is not a usable regex", v.get_ref()),
                        Some(v.span()),
                        "this pattern",
                        Some(match e {
                            regex::Error::CompiledTooBig(_) => format!(
                                "it compiles to more than the {VALUE_REGEX_LIMIT}-byte limit; write a shorter pattern"
                            ),
                            e => e.to_string(),
                        }),
                    )
                })?;
            values.push(regex);
        }
        let mut sha256 = Vec::new();
        for h in self.sha256.unwrap_or_default() {
            let hex = h.get_ref().trim().to_ascii_lowercase();
            let hex = hex.strip_prefix("sha256:").unwrap_or(&hex).to_string();
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid(
                    format!("`{}` is not a SHA-256 hash", h.get_ref()),
                    Some(h.span()),
                    "expected 64 hex digits",
                    Some(
                        "give the hash of the value, never the value: `printf %s 'VALUE' | sha256sum`"
                            .into(),
                    ),
                ));
            }
            sha256.push(hex);
        }
        Ok(Allow {
            paths,
            values,
            stopwords: self
                .stopwords
                .unwrap_or_default()
                .into_iter()
                .filter(|w| !w.is_empty())
                .map(|w| w.to_lowercase())
                .collect(),
            sha256,
        })
    }
}

impl RawSecrets {
    pub(super) fn extend_default(&self) -> bool {
        self.extend_default.unwrap_or(true)
    }

    /// Roots this file's `paths` at its directory (`dir`).
    pub(super) fn root(&mut self, dir: &Path, invalid: Invalid) -> Result<(), ConfigError> {
        if let Some(all) = &mut self.allowlist {
            all.root(dir, invalid)?;
        }
        for rule in self.rules.iter_mut().flat_map(|r| r.values_mut()) {
            if let Some(allow) = &mut rule.get_mut().allowlist {
                allow.root(dir, invalid)?;
            }
        }
        Ok(())
    }

    /// `over` laid over `self`: the lists of both apply.
    pub(super) fn merge(self, over: RawSecrets) -> RawSecrets {
        fn allow(a: Option<RawAllow>, b: Option<RawAllow>) -> Option<RawAllow> {
            match (a, b) {
                (Some(a), Some(b)) => Some(a.merge(b)),
                (a, b) => a.or(b),
            }
        }
        let rules = match (self.rules, over.rules) {
            (Some(mut a), Some(b)) => {
                for (id, rule) in b {
                    match a.remove(&id) {
                        Some(base) => {
                            let span = rule.span();
                            let merged = RawRule {
                                allowlist: allow(
                                    base.into_inner().allowlist,
                                    rule.into_inner().allowlist,
                                ),
                            };
                            a.insert(id, Spanned::new(span, merged));
                        }
                        None => {
                            a.insert(id, rule);
                        }
                    }
                }
                Some(a)
            }
            (a, b) => a.or(b),
        };
        RawSecrets {
            extend_default: over.extend_default.or(self.extend_default),
            allowlist: allow(self.allowlist, over.allowlist),
            rules,
        }
    }

    pub(super) fn resolve(
        self,
        invalid: Invalid,
        known_rule: &dyn Fn(&str) -> bool,
    ) -> Result<SecretAllowlist, ConfigError> {
        let mut rules = BTreeMap::new();
        for (id, rule) in self.rules.unwrap_or_default() {
            let span: Range<usize> = rule.span();
            if !known_rule(&id) {
                return Err(invalid(
                    format!("`{id}` is not a secret rule"),
                    Some(span),
                    "this table",
                    Some("`shush rules list` prints the rule ids".into()),
                ));
            }
            if let Some(allow) = rule.into_inner().allowlist {
                rules.insert(id, allow.resolve(invalid)?);
            }
        }
        Ok(SecretAllowlist {
            all: self.allowlist.unwrap_or_default().resolve(invalid)?,
            rules,
        })
    }
}

/// Why a secret finding is allowlisted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AllowKind {
    Path,
    Value,
    Stopword,
    Hash,
}

impl AllowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AllowKind::Path => "path",
            AllowKind::Value => "value",
            AllowKind::Stopword => "stopword",
            AllowKind::Hash => "sha256",
        }
    }
}

/// One allowlist, compiled.
#[derive(Debug, Clone, Default)]
pub struct Allow {
    paths: Vec<Gitignore>,
    values: Vec<regex::Regex>,
    /// Lower-cased.
    stopwords: Vec<String>,
    /// Lower-case hex.
    sha256: Vec<String>,
}

impl Allow {
    fn is_empty(&self) -> bool {
        self.paths.is_empty()
            && self.values.is_empty()
            && self.stopwords.is_empty()
            && self.sha256.is_empty()
    }

    fn allows(&self, path: &Path, value: &str) -> Option<AllowKind> {
        if self.is_empty() {
            return None;
        }
        let in_paths = self.paths.iter().any(|g| {
            path.starts_with(g.path()) && g.matched_path_or_any_parents(path, false).is_ignore()
        });
        if in_paths {
            return Some(AllowKind::Path);
        }
        if self.values.iter().any(|r| r.is_match(value)) {
            return Some(AllowKind::Value);
        }
        if !self.stopwords.is_empty() {
            let lower = value.to_lowercase();
            if self.stopwords.iter().any(|w| lower.contains(w.as_str())) {
                return Some(AllowKind::Stopword);
            }
        }
        if !self.sha256.is_empty() {
            let digest = Sha256::digest(value.as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            if self.sha256.contains(&hex) {
                return Some(AllowKind::Hash);
            }
        }
        None
    }
}

/// The allowlists that apply to a file: one for every rule, and one per rule id.
#[derive(Debug, Clone, Default)]
pub struct SecretAllowlist {
    pub all: Allow,
    pub rules: BTreeMap<String, Allow>,
}

impl SecretAllowlist {
    pub fn is_empty(&self) -> bool {
        self.all.is_empty() && self.rules.values().all(Allow::is_empty)
    }

    /// Whether a secret that `rule` found in `path` (absolute) with this `value` is
    /// allowlisted, and by what.
    pub fn allows(&self, rule: &str, path: &Path, value: &str) -> Option<AllowKind> {
        self.all.allows(path, value).or_else(|| {
            self.rules
                .get(rule)
                .and_then(|allow| allow.allows(path, value))
        })
    }
}

/// How many secret findings each kind of allowlist left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Allowlisted {
    pub path: usize,
    pub value: usize,
    pub stopword: usize,
    pub sha256: usize,
}

impl Allowlisted {
    pub fn add(&mut self, kind: AllowKind) {
        match kind {
            AllowKind::Path => self.path += 1,
            AllowKind::Value => self.value += 1,
            AllowKind::Stopword => self.stopword += 1,
            AllowKind::Hash => self.sha256 += 1,
        }
    }

    pub fn merge(&mut self, other: Allowlisted) {
        self.path += other.path;
        self.value += other.value;
        self.stopword += other.stopword;
        self.sha256 += other.sha256;
    }

    pub fn total(&self) -> usize {
        self.path + self.value + self.stopword + self.sha256
    }

    /// `2 by path, 1 by sha256`: the kinds with a count.
    pub fn describe(&self) -> String {
        [
            (self.path, AllowKind::Path),
            (self.value, AllowKind::Value),
            (self.stopword, AllowKind::Stopword),
            (self.sha256, AllowKind::Hash),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, kind)| format!("{n} by {}", kind.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
    }
}
