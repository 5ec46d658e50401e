//! The configuration: `shush.toml`, `.shush.toml` or `[tool.shush]` in `pyproject.toml`,
//! found by walking up from the scanned path. Parsing is strict: an unknown key or a bad
//! value is a miette error that points into the file. Never reads the environment.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

/// File names looked for in each directory, in this order.
pub const CONFIG_FILES: [&str; 3] = ["shush.toml", ".shush.toml", "pyproject.toml"];

/// A configuration that cannot be used, with the spot in the file.
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    #[diagnostic(code(shush::config::read))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidConfig>),
}

/// A bad key or value, with the file and the spot in it.
#[derive(Debug, Error, Diagnostic)]
#[error("invalid config: {message}")]
#[diagnostic(code(shush::config::invalid))]
pub struct InvalidConfig {
    message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: Option<SourceSpan>,
    label: String,
    #[help]
    help: Option<String>,
}

/// Builds the error for a message, an optional span in the file, a label and a help.
type Invalid<'a> = &'a dyn Fn(String, Option<Range<usize>>, &str, Option<String>) -> ConfigError;

/// Which environment reads are reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum EnvScope {
    /// Every read but the allowlisted system variables.
    #[default]
    All,
    /// Only reads whose name looks like a secret.
    Secrets,
}

/// How the rewritten read looks in Python.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PythonStyle {
    /// `get_config_value("key")`
    #[default]
    Call,
    /// `config.key`
    Attribute,
}

/// The `shush.toml` file as written. Every field is optional; defaults live in `Config`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    /// Files larger than this are skipped: a number of bytes or a string like "2MiB".
    max_file_size: Option<Spanned<ByteSize>>,
    /// Which environment reads are reported: "all" or "secrets".
    env_scope: Option<EnvScope>,
    /// Gitignore-style globs of paths never scanned, relative to the config file.
    exclude: Option<Vec<String>>,
    /// Which environment variables matter.
    env: Option<RawEnv>,
    /// Explicit config keys: environment name → key, overriding lower snake case.
    keys: Option<BTreeMap<String, String>>,
    /// Rule ids (or prefixes such as "py-") never reported.
    ignore: Option<Vec<String>>,
    /// The Python rewrite.
    python: Option<RawPython>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEnv {
    /// Replaces the allowlist of system variables (globs with `*`).
    allow: Option<Vec<String>>,
    /// Adds to the allowlist.
    extend_allow: Option<Vec<String>>,
    /// Replaces the words that make a name look like a secret.
    secret_words: Option<Vec<String>>,
    /// Adds to those words.
    extend_secret_words: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPython {
    /// "call" (`get_config_value("key")`) or "attribute" (`config.key`).
    style: Option<PythonStyle>,
    /// The function (call style) or object (attribute style), possibly dotted.
    call: Option<Spanned<String>>,
    /// The import statement that binds it.
    import: Option<Spanned<String>>,
}

/// A size in bytes, written as a number or as "512KiB", "2MiB", "1GB", ….
#[derive(Debug, Clone, Copy)]
struct ByteSize(u64);

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Int(u64),
            Str(String),
        }
        match Repr::deserialize(d)? {
            Repr::Int(n) => Ok(ByteSize(n)),
            Repr::Str(s) => parse_size(&s).map(ByteSize).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "`{s}` is not a size; write a number of bytes or e.g. \"2MiB\", \"512KiB\""
                ))
            }),
        }
    }
}

/// Parses "2MiB", "512 KiB", "1MB", "4096".
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let num: f64 = num.parse().ok()?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some((num * mult) as u64)
}

/// Which environment variables matter and what key each maps to.
#[derive(Debug, Clone)]
pub struct EnvConfig {
    pub allow: Vec<String>,
    pub secret_words: Vec<String>,
    pub keys: BTreeMap<String, String>,
    pub scope: EnvScope,
}

/// System variables never reported (globs with `*`).
pub const DEFAULT_ALLOW: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "USERNAME",
    "LOGNAME",
    "SHELL",
    "PWD",
    "OLDPWD",
    "LANG",
    "LANGUAGE",
    "LC_*",
    "TZ",
    "TERM",
    "COLORTERM",
    "CI",
    "TMPDIR",
    "TEMP",
    "TMP",
    "HOSTNAME",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "DISPLAY",
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "NODE_ENV",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",
    "PYTEST_CURRENT_TEST",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "XDG_*",
    "GITHUB_ACTIONS",
    "GITHUB_WORKSPACE",
    "RUNNER_OS",
    "SYSTEMROOT",
    "APPDATA",
    "LOCALAPPDATA",
    "USERPROFILE",
    "PROGRAMFILES",
    "COMSPEC",
    "WINDIR",
    "CARGO_MANIFEST_DIR",
    "CARGO_PKG_*",
    "CARGO_BIN_EXE_*",
    "OUT_DIR",
    "RUST_BACKTRACE",
    "SSH_AUTH_SOCK",
];

/// Words that make a variable name look like a secret.
pub const DEFAULT_SECRET_WORDS: &[&str] = &[
    "KEY",
    "KEYS",
    "TOKEN",
    "TOKENS",
    "SECRET",
    "SECRETS",
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PASSPHRASE",
    "CREDENTIAL",
    "CREDENTIALS",
    "CREDS",
    "AUTH",
    "PRIVATE",
    "DSN",
    "DATABASE_URL",
    "DB_URL",
    "CONNECTION_STRING",
    "CONN_STR",
    "SALT",
    "COOKIE",
    "SIGNING",
    "WEBHOOK_URL",
    "CERT",
    "PEM",
];

impl Default for EnvConfig {
    fn default() -> Self {
        EnvConfig {
            allow: DEFAULT_ALLOW.iter().map(|s| s.to_string()).collect(),
            secret_words: DEFAULT_SECRET_WORDS.iter().map(|s| s.to_string()).collect(),
            keys: BTreeMap::new(),
            scope: EnvScope::All,
        }
    }
}

/// A Python import line, understood: `from MODULE import NAME [as ALIAS]` or
/// `import MODULE [as ALIAS]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyImport {
    /// The line as written in the config.
    pub line: String,
    /// The name the import binds in the module.
    pub bound: String,
    /// What that name refers to, fully qualified (`backend.core.auto_esc_config.get_config_value`).
    pub qualified: String,
}

impl PyImport {
    pub fn parse(line: &str) -> Option<PyImport> {
        let line = line.trim();
        let ident = |s: &str| {
            !s.is_empty()
                && s.split('.').all(|p| {
                    p.chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_')
                        && p.chars().all(|c| c.is_alphanumeric() || c == '_')
                })
        };
        let words: Vec<&str> = line.split_whitespace().collect();
        let (bound, qualified) = match words.as_slice() {
            ["from", module, "import", name]
                if ident(module) && ident(name) && !name.contains('.') =>
            {
                (name.to_string(), format!("{module}.{name}"))
            }
            ["from", module, "import", name, "as", alias]
                if ident(module) && ident(name) && ident(alias) && !alias.contains('.') =>
            {
                (alias.to_string(), format!("{module}.{name}"))
            }
            ["import", module] if ident(module) => (
                module.split('.').next()?.to_string(),
                module.split('.').next()?.to_string(),
            ),
            ["import", module, "as", alias]
                if ident(module) && ident(alias) && !alias.contains('.') =>
            {
                (alias.to_string(), module.to_string())
            }
            _ => return None,
        };
        Some(PyImport {
            line: line.to_string(),
            bound,
            qualified,
        })
    }
}

/// How Python reads are rewritten.
#[derive(Debug, Clone)]
pub struct PythonConfig {
    pub style: PythonStyle,
    /// Dotted callable (call style) or object (attribute style).
    pub call: String,
    pub import: PyImport,
}

impl Default for PythonConfig {
    fn default() -> Self {
        PythonConfig {
            style: PythonStyle::Call,
            call: "get_config_value".into(),
            import: PyImport::parse("from backend.core.auto_esc_config import get_config_value")
                .expect("default import parses"),
        }
    }
}

/// The resolved configuration every stage reads.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    pub max_file_size: u64,
    pub exclude: Vec<String>,
    pub ignore_rules: Vec<String>,
    pub env: EnvConfig,
    pub python: PythonConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            max_file_size: 2 * 1024 * 1024,
            exclude: Vec::new(),
            ignore_rules: Vec::new(),
            env: EnvConfig::default(),
            python: PythonConfig::default(),
        }
    }
}

impl Config {
    /// True when findings of `rule` are switched off by the config.
    pub fn is_ignored(&self, rule: &str) -> bool {
        self.ignore_rules
            .iter()
            .any(|r| r == rule || (r.ends_with('-') && rule.starts_with(r.as_str())))
    }

    /// Finds the config for `start` by walking up; defaults when there is none.
    pub fn discover(start: &Path) -> Result<Config, ConfigError> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let mut dir = if start.is_dir() {
            Some(start.as_path())
        } else {
            start.parent()
        };
        while let Some(d) = dir {
            for name in CONFIG_FILES {
                let candidate = d.join(name);
                if !candidate.is_file() {
                    continue;
                }
                if name == "pyproject.toml" {
                    let text = read(&candidate)?;
                    if !has_tool_shush(&text) {
                        continue;
                    }
                    return Config::from_text(&candidate, text);
                }
                return Config::load(&candidate);
            }
            dir = d.parent();
        }
        Ok(Config::default())
    }

    /// Loads one file (`--config`): `pyproject.toml` is read from `[tool.shush]`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read(path)?;
        Config::from_text(path, text)
    }

    fn from_text(path: &Path, text: String) -> Result<Config, ConfigError> {
        let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
        let invalid =
            |message: String, span: Option<Range<usize>>, label: &str, help: Option<String>| {
                ConfigError::Invalid(Box::new(InvalidConfig {
                    message,
                    src: NamedSource::new(path.display().to_string(), text.clone()),
                    span: span.map(|r| SourceSpan::from(r.start..r.end.max(r.start + 1))),
                    label: label.to_string(),
                    help,
                }))
            };
        let raw: Result<RawConfig, toml::de::Error> = if is_pyproject {
            #[derive(Deserialize)]
            struct Pyproject {
                tool: Option<Tool>,
            }
            #[derive(Deserialize)]
            struct Tool {
                shush: Option<RawConfig>,
            }
            toml::from_str::<Pyproject>(&text)
                .map(|p| p.tool.and_then(|t| t.shush).unwrap_or_default())
        } else {
            toml::from_str::<RawConfig>(&text)
        };
        let raw = raw.map_err(|e| {
            let message = e.message().trim().to_string();
            let help = message.contains("unknown field").then(|| {
                "see the README's configuration table for the keys shush knows".to_string()
            });
            invalid(message, e.span(), "here", help)
        })?;
        Config::resolve(raw, path, &invalid)
    }

    fn resolve(raw: RawConfig, path: &Path, invalid: Invalid) -> Result<Config, ConfigError> {
        let mut cfg = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        if let Some(size) = raw.max_file_size {
            cfg.max_file_size = size.get_ref().0;
        }
        if let Some(scope) = raw.env_scope {
            cfg.env.scope = scope;
        }
        cfg.exclude = raw.exclude.unwrap_or_default();
        cfg.ignore_rules = raw.ignore.unwrap_or_default();
        if let Some(env) = raw.env {
            if let Some(allow) = env.allow {
                cfg.env.allow = allow;
            }
            cfg.env.allow.extend(env.extend_allow.unwrap_or_default());
            if let Some(words) = env.secret_words {
                cfg.env.secret_words = words;
            }
            cfg.env
                .secret_words
                .extend(env.extend_secret_words.unwrap_or_default());
        }
        cfg.env.keys = raw.keys.unwrap_or_default();
        if let Some(py) = raw.python {
            let style = py.style.unwrap_or_default();
            cfg.python.style = style;
            if style == PythonStyle::Attribute {
                cfg.python.call = "config".into();
                cfg.python.import =
                    PyImport::parse("from backend.core.auto_esc_config import config")
                        .expect("default import parses");
            }
            if let Some(import) = &py.import {
                cfg.python.import = PyImport::parse(import.get_ref()).ok_or_else(|| {
                    invalid(
                        format!("`{}` is not a Python import statement", import.get_ref()),
                        Some(import.span()),
                        "expected `from MODULE import NAME` or `import MODULE`",
                        None,
                    )
                })?;
            }
            if let Some(call) = &py.call {
                cfg.python.call = call.get_ref().trim().to_string();
            }
            let head = cfg.python.call.split('.').next().unwrap_or("");
            if head != cfg.python.import.bound {
                let span = py.call.as_ref().or(py.import.as_ref()).map(|s| s.span());
                return Err(invalid(
                    format!(
                        "python.call `{}` is not bound by python.import `{}`",
                        cfg.python.call, cfg.python.import.line
                    ),
                    span,
                    "this name",
                    Some(format!(
                        "the import binds `{}`; the call must start with that name",
                        cfg.python.import.bound
                    )),
                ));
            }
        }
        Ok(cfg)
    }
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// True when a pyproject.toml has a `[tool.shush]` table (checked without full parsing).
fn has_tool_shush(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        l.starts_with("[tool.shush") || l.starts_with("[ tool.shush")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("2MiB"), Some(2 * 1024 * 1024));
        assert_eq!(parse_size("512 KiB"), Some(512 * 1024));
        assert_eq!(parse_size("100"), Some(100));
        assert_eq!(parse_size("lots"), None);
    }

    #[test]
    fn imports() {
        let i =
            PyImport::parse("from backend.core.auto_esc_config import get_config_value").unwrap();
        assert_eq!(i.bound, "get_config_value");
        let i = PyImport::parse("import settings.loader as cfg").unwrap();
        assert_eq!(
            (i.bound.as_str(), i.qualified.as_str()),
            ("cfg", "settings.loader")
        );
        assert!(PyImport::parse("from x import (a, b)").is_none());
    }
}
