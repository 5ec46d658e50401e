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

pub mod allowlist;
pub mod nearest;
pub mod tree;

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
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    /// Files larger than this are skipped: a number of bytes or a string like "2MiB".
    max_file_size: Option<Spanned<ByteSize>>,
    /// Seconds a JavaScript or TypeScript parse may take before the file's environment
    /// reads are given up on (its secrets are still scanned).
    parse_timeout: Option<Spanned<f64>>,
    /// Which environment reads are reported: "all" or "secrets".
    env_scope: Option<EnvScope>,
    /// The lowest confidence of a hardcoded-secret finding that is reported.
    min_confidence: Option<crate::detect::Confidence>,
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
    /// The TypeScript / JavaScript rewrite.
    typescript: Option<RawTypeScript>,
    /// The Rust rewrite.
    rust: Option<RawRust>,
    /// Stray .env files.
    dotenv: Option<RawDotenv>,
    /// Secret allowlists (`[secrets.allowlist]`, `[secrets.rules.ID.allowlist]`).
    secrets: Option<allowlist::RawSecrets>,
    /// Rule packs of the team's own, added to the embedded ones: paths or globs
    /// relative to this file (`["tools/shush/*.toml"]`).
    packs: Option<Spanned<Vec<String>>>,
    /// `packs`, found: filled when the file is loaded, before another file's settings
    /// are laid over it (each list is relative to the file that writes it).
    #[serde(skip)]
    pack_files: Vec<PathBuf>,
    /// Another config file this one builds on (relative to this file), as ruff's
    /// `extend`: its settings apply unless this file sets them.
    extend: Option<Spanned<String>>,
    /// Settings for some paths only: `[[overrides]] paths = ["lambdas/"]`.
    overrides: Option<Vec<RawOverride>>,
}

/// One `[[overrides]]` entry: the paths it applies to (gitignore-style globs, relative
/// to the config file) and the settings that differ there.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    paths: Spanned<Vec<String>>,
    env_scope: Option<EnvScope>,
    min_confidence: Option<crate::detect::Confidence>,
    env: Option<RawEnv>,
    keys: Option<BTreeMap<String, String>>,
    ignore: Option<Vec<String>>,
    python: Option<RawPython>,
    typescript: Option<RawTypeScript>,
    rust: Option<RawRust>,
}

impl RawOverride {
    /// The override as a config of its own, to lay over the file's.
    fn settings(&self) -> RawConfig {
        RawConfig {
            env_scope: self.env_scope,
            min_confidence: self.min_confidence,
            env: self.env.clone(),
            keys: self.keys.clone(),
            ignore: self.ignore.clone(),
            python: self.python.clone(),
            typescript: self.typescript.clone(),
            rust: self.rust.clone(),
            ..RawConfig::default()
        }
    }
}

impl RawConfig {
    /// `over` laid over `self`: what `over` sets wins, key by key; the `extend-*` lists
    /// and `[keys]` add to the base's.
    fn merge(self, over: RawConfig) -> RawConfig {
        fn concat<T>(a: Option<Vec<T>>, b: Option<Vec<T>>) -> Option<Vec<T>> {
            match (a, b) {
                (Some(mut a), Some(b)) => {
                    a.extend(b);
                    Some(a)
                }
                (a, b) => a.or(b),
            }
        }
        let env = match (self.env, over.env) {
            (Some(a), Some(b)) => Some(RawEnv {
                allow: b.allow.or(a.allow),
                extend_allow: concat(a.extend_allow, b.extend_allow),
                secret_words: b.secret_words.or(a.secret_words),
                extend_secret_words: concat(a.extend_secret_words, b.extend_secret_words),
                not_secret_words: b.not_secret_words.or(a.not_secret_words),
                extend_not_secret_words: concat(
                    a.extend_not_secret_words,
                    b.extend_not_secret_words,
                ),
                platform: match (a.platform, b.platform) {
                    (Some(base), Some(over)) => {
                        let span = over.span();
                        let mut groups = base.into_inner();
                        groups.extend(over.into_inner());
                        Some(Spanned::new(span, groups))
                    }
                    (a, b) => b.or(a),
                },
            }),
            (a, b) => b.or(a),
        };
        let keys = match (self.keys, over.keys) {
            (Some(mut a), Some(b)) => {
                a.extend(b);
                Some(a)
            }
            (a, b) => b.or(a),
        };
        let python = match (self.python, over.python) {
            (Some(a), Some(b)) => Some(RawPython {
                style: b.style.or(a.style),
                // A new import without a call names its own function.
                call: if b.import.is_some() {
                    b.call
                } else {
                    b.call.or(a.call)
                },
                import: b.import.or(a.import),
                extend_default: b.extend_default.or(a.extend_default),
            }),
            (a, b) => b.or(a),
        };
        let typescript = match (self.typescript, over.typescript) {
            (Some(a), Some(b)) => Some(RawTypeScript {
                call: if b.import.is_some() {
                    b.call
                } else {
                    b.call.or(a.call)
                },
                import: b.import.or(a.import),
                client_prefixes: b.client_prefixes.or(a.client_prefixes),
                extend_default: b.extend_default.or(a.extend_default),
            }),
            (a, b) => b.or(a),
        };
        let rust = match (self.rust, over.rust) {
            (Some(a), Some(b)) => Some(RawRust {
                call: if b.use_item.is_some() {
                    b.call
                } else {
                    b.call.or(a.call)
                },
                use_item: b.use_item.or(a.use_item),
                style: b.style.or(a.style),
                extend_default: b.extend_default.or(a.extend_default),
            }),
            (a, b) => b.or(a),
        };
        let dotenv = match (self.dotenv, over.dotenv) {
            (Some(a), Some(b)) => Some(RawDotenv {
                ignored: b.ignored.or(a.ignored),
                extend_exempt: concat(a.extend_exempt, b.extend_exempt),
            }),
            (a, b) => b.or(a),
        };
        let secrets = match (self.secrets, over.secrets) {
            (Some(a), Some(b)) => Some(a.merge(b)),
            (a, b) => b.or(a),
        };
        RawConfig {
            max_file_size: over.max_file_size.or(self.max_file_size),
            parse_timeout: over.parse_timeout.or(self.parse_timeout),
            env_scope: over.env_scope.or(self.env_scope),
            min_confidence: over.min_confidence.or(self.min_confidence),
            exclude: over.exclude.or(self.exclude),
            env,
            keys,
            ignore: over.ignore.or(self.ignore),
            python,
            typescript,
            rust,
            dotenv,
            secrets,
            packs: None,
            pack_files: {
                let mut files = self.pack_files;
                for f in over.pack_files {
                    if !files.contains(&f) {
                        files.push(f);
                    }
                }
                files
            },
            extend: None,
            overrides: None,
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDotenv {
    /// What a .env file that git ignores is: "warning" (default) or "off".
    ignored: Option<IgnoredDotenv>,
    /// More file-name globs that are templates, not values (`*.env.ci`).
    extend_exempt: Option<Vec<String>>,
}

/// How a present, git-ignored .env file is reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IgnoredDotenv {
    #[default]
    Warning,
    Off,
}

/// Stray .env file settings.
#[derive(Debug, Clone, Default)]
pub struct DotenvConfig {
    pub ignored: IgnoredDotenv,
    pub extend_exempt: Vec<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTypeScript {
    /// The function the rewrite calls (`getConfigValue`), possibly dotted.
    call: Option<Spanned<String>>,
    /// The ES import that binds it: `import { getConfigValue } from "@/config";`.
    import: Option<Spanned<String>>,
    /// Prefixes that bundlers expose to the browser (`NEXT_PUBLIC_`, `VITE_`, …).
    client_prefixes: Option<Vec<String>>,
    /// Whether the embedded TypeScript targets apply (false: only the team's packs').
    extend_default: Option<Spanned<bool>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRust {
    /// The function the rewrite calls (`get_config_value`).
    call: Option<Spanned<String>>,
    /// The `use` item that brings it into scope: `use crate::config::get_config_value;`.
    #[serde(rename = "use")]
    use_item: Option<Spanned<String>>,
    /// "use" (call the bound name, add the `use`) or "path" (call the full path, no `use`).
    style: Option<RustStyle>,
    /// Whether the embedded Rust targets apply (false: only the team's packs').
    extend_default: Option<Spanned<bool>>,
}

/// How a Rust rewrite names the loader.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RustStyle {
    /// `get_config_value("key")` with `use crate::config::get_config_value;`
    #[default]
    Use,
    /// `crate::config::get_config_value("key")`, no `use` needed.
    Path,
}

#[derive(Debug, Default, Clone, Deserialize)]
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
    /// Replaces the head words that make a name describe a secret rather than hold one.
    not_secret_words: Option<Vec<String>>,
    /// Adds to those words.
    extend_not_secret_words: Option<Vec<String>>,
    /// Switches the platform catalogue's groups (`rules/env-platform.toml`) on or off.
    platform: Option<Spanned<BTreeMap<String, bool>>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPython {
    /// "call" (`get_config_value("key")`) or "attribute" (`config.key`).
    style: Option<PythonStyle>,
    /// The function (call style) or object (attribute style), possibly dotted.
    call: Option<Spanned<String>>,
    /// The import statement that binds it.
    import: Option<Spanned<String>>,
    /// Whether the embedded Python targets apply (false: only the team's packs').
    extend_default: Option<Spanned<bool>>,
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
    /// The team's own names never reported (globs with `*`), on top of the catalogue.
    pub allow: Vec<String>,
    pub secret_words: Vec<String>,
    /// Head words that make a name describe a secret rather than hold one
    /// (`CLIENT_ID`, `TOKEN_TTL`).
    pub not_secret_words: Vec<String>,
    /// Groups of the platform catalogue switched off (`[env] platform = { ci = false }`):
    /// their variables are ordinary reads.
    pub platform_off: Vec<String>,
    pub keys: BTreeMap<String, String>,
    pub scope: EnvScope,
}

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
    // Half of a credential pair (AWS and the S3-compatible APIs): an id, but not public.
    "ACCESS_KEY_ID",
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

/// Head words (a name's last word, after any version or number) that make a name
/// describe a secret or a setting rather than hold a secret: `OAUTH_CLIENT_ID` (public),
/// `TOKEN_THROTTLE_RATE`, `SESSION_COOKIE_AGE`, `SERVICE_ACCOUNT_EMAIL`, `API_KEY_PATH`.
pub const DEFAULT_NOT_SECRET_WORDS: &[&str] = &[
    // Switches.
    "ENABLED",
    "DISABLED",
    "ENABLE",
    "DISABLE",
    "REQUIRED",
    "ALLOWED",
    // Where a secret is, not the secret.
    "PATH",
    "FILE",
    "DIR",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PORT",
    "DOMAIN",
    "LOCATION",
    "BUCKET",
    "REGION",
    // Who or what it belongs to: identifiers are public.
    "ID",
    "IDS",
    "NAME",
    "USER",
    "USERNAME",
    "EMAIL",
    "ACCOUNT",
    "ISSUER",
    "AUDIENCE",
    "SUBJECT",
    "SCOPE",
    "SCOPES",
    "KIND",
    // How it behaves: kinds, modes, sizes, times, rates.
    "TYPE",
    "MODE",
    "PROMPT",
    "STRATEGY",
    "PROVIDER",
    "ALGORITHM",
    "ALG",
    "FORMAT",
    "ENCODING",
    "VERSION",
    "LEVEL",
    "HEADER",
    "PREFIX",
    "SUFFIX",
    "LENGTH",
    "SIZE",
    "COUNT",
    "LIMIT",
    "RATE",
    "THRESHOLD",
    "INTERVAL",
    "TTL",
    "TIMEOUT",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "LIFETIME",
    "AGE",
    "DURATION",
    "DELAY",
    "RETRIES",
    "SECONDS",
    "MINUTES",
    "HOURS",
    "DAYS",
    "MS",
];

impl Default for EnvConfig {
    fn default() -> Self {
        EnvConfig {
            allow: Vec::new(),
            secret_words: DEFAULT_SECRET_WORDS.iter().map(|s| s.to_string()).collect(),
            not_secret_words: DEFAULT_NOT_SECRET_WORDS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            platform_off: Vec::new(),
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

/// A TypeScript import line, understood: `import { NAME [as ALIAS] } from "MODULE";` or
/// `import NAME from "MODULE";`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsImport {
    /// The line as written in the config.
    pub line: String,
    /// The module specifier (`@/config`).
    pub module: String,
    /// The exported name (`getConfigValue`; `default` for a default import).
    pub name: String,
    /// The local name the import binds.
    pub bound: String,
}

impl TsImport {
    pub fn parse(line: &str) -> Option<TsImport> {
        let line = line.trim().trim_end_matches(';').trim();
        let rest = line.strip_prefix("import")?.trim_start();
        let (clause, module) = rest.rsplit_once(" from ")?;
        let module = module.trim();
        let quote = module.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let module = module.strip_prefix(quote)?.strip_suffix(quote)?.to_string();
        let ident = |s: &str| {
            s.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
                && s.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        };
        let clause = clause.trim();
        let (name, bound) = if let Some(inner) = clause.strip_prefix('{') {
            let inner = inner.strip_suffix('}')?.trim();
            match inner.split_whitespace().collect::<Vec<_>>().as_slice() {
                [n] if ident(n) => (n.to_string(), n.to_string()),
                [n, "as", a] if ident(n) && ident(a) => (n.to_string(), a.to_string()),
                _ => return None,
            }
        } else if ident(clause) {
            ("default".to_string(), clause.to_string())
        } else {
            return None;
        };
        (!module.is_empty()).then(|| TsImport {
            line: format!("{line};"),
            module,
            name,
            bound,
        })
    }

    /// The CommonJS form of the import, for files that use `require`.
    pub fn require_line(&self) -> String {
        let m = &self.module;
        match (self.name.as_str(), self.bound.as_str()) {
            ("default", b) => format!("const {b} = require(\"{m}\");"),
            (n, b) if n == b => format!("const {{ {n} }} = require(\"{m}\");"),
            (n, b) => format!("const {{ {n}: {b} }} = require(\"{m}\");"),
        }
    }
}

/// How TypeScript and JavaScript reads are rewritten.
#[derive(Debug, Clone)]
pub struct TypeScriptConfig {
    pub call: String,
    pub import: TsImport,
    pub client_prefixes: Vec<String>,
}

/// Prefixes whose variables frameworks and bundlers inline into browser code, each as
/// its framework's documentation names it (a secret-looking name behind one is an
/// error; any other is public configuration by design). Not every bundler has one:
/// Parcel inlines every `process.env.X` a browser build reads, whatever the name, so no
/// prefix tells its browser variables apart; Remix and React Router expose none by
/// default (a loader reads the environment on the server and hands the values to the
/// browser).
pub const DEFAULT_CLIENT_PREFIXES: &[&str] = &[
    // Next.js: inlined into the JavaScript sent to the browser.
    "NEXT_PUBLIC_",
    // Vite's default `envPrefix`: exposed on `import.meta.env` in client code.
    "VITE_",
    // Create React App: embedded into the build.
    "REACT_APP_",
    // Expo: inlined into the app's JavaScript bundle.
    "EXPO_PUBLIC_",
    // Astro (client-side code), and SvelteKit's `publicPrefix` ($env/static/public).
    "PUBLIC_",
    // Gatsby: available in browser JavaScript.
    "GATSBY_",
    // Nuxt: overrides `runtimeConfig.public`, which the client receives.
    "NUXT_PUBLIC_",
    // Fresh inlines these into islands, the components that run in the browser.
    "FRESH_PUBLIC_",
    // Storybook: available in the preview's process.env / import.meta.env, embedded
    // into the build.
    "STORYBOOK_",
    // Sanity Studio: available as process.env.SANITY_STUDIO_* even in browser code.
    "SANITY_STUDIO_",
    // RedwoodJS: included in the web side (the browser) in production.
    "REDWOOD_ENV_",
];

impl Default for TypeScriptConfig {
    fn default() -> Self {
        TypeScriptConfig {
            call: "getConfigValue".into(),
            import: TsImport::parse("import { getConfigValue } from \"@/config\";")
                .expect("default import parses"),
            client_prefixes: DEFAULT_CLIENT_PREFIXES
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

/// A Rust `use` item, understood: `use PATH;` or `use PATH as ALIAS;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustUse {
    /// The item as written in the config, with its `;`.
    pub line: String,
    /// The full path (`crate::config::get_config_value`).
    pub path: String,
    /// The name it binds (`get_config_value`).
    pub bound: String,
}

impl RustUse {
    pub fn parse(line: &str) -> Option<RustUse> {
        let line = line.trim().trim_end_matches(';').trim();
        let rest = line.strip_prefix("use ")?.trim();
        let (path, alias) = match rest.split_once(" as ") {
            Some((p, a)) => (p.trim(), Some(a.trim())),
            None => (rest, None),
        };
        let ident = |s: &str| {
            s.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && s.chars().all(|c| c.is_alphanumeric() || c == '_')
        };
        let segments: Vec<&str> = path.trim_start_matches("::").split("::").collect();
        if segments.len() < 2 || !segments.iter().all(|s| ident(s)) {
            return None;
        }
        let bound = alias.unwrap_or(segments[segments.len() - 1]);
        ident(bound).then(|| RustUse {
            line: format!("{line};"),
            path: path.to_string(),
            bound: bound.to_string(),
        })
    }
}

/// How Rust reads are rewritten.
#[derive(Debug, Clone)]
pub struct RustConfig {
    pub style: RustStyle,
    /// What the rewritten code calls: the bound name (use style) or the full path.
    pub call: String,
    pub use_item: RustUse,
}

impl Default for RustConfig {
    fn default() -> Self {
        RustConfig {
            style: RustStyle::Use,
            call: "get_config_value".into(),
            use_item: RustUse::parse("use crate::config::get_config_value;")
                .expect("default use parses"),
        }
    }
}

/// The resolved configuration every stage reads.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    pub max_file_size: u64,
    /// How long a JavaScript or TypeScript parse may take (`parse-timeout`).
    pub parse_timeout: std::time::Duration,
    pub exclude: Vec<String>,
    /// The directory `exclude` is relative to: that of the file that set it.
    pub exclude_root: Option<PathBuf>,
    pub ignore_rules: Vec<String>,
    pub env: EnvConfig,
    pub python: PythonConfig,
    pub typescript: TypeScriptConfig,
    pub rust: RustConfig,
    pub dotenv: DotenvConfig,
    /// Hardcoded-secret findings below this confidence are not reported.
    pub min_confidence: crate::detect::Confidence,
    /// Secrets the team knows are not secrets (counted, not reported).
    pub secrets: allowlist::SecretAllowlist,
    /// The team's rule packs (`packs`), absolute, in the order written.
    pub packs: Vec<PathBuf>,
    /// Whether the embedded secret packs apply (`[secrets] extend-default = false`
    /// leaves only the team's).
    pub default_secret_packs: bool,
    /// The languages whose embedded environment-read packs are left out
    /// (`[python] extend-default = false`, likewise `[typescript]`, `[rust]`).
    pub dropped_env_packs: Vec<crate::source::Language>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            max_file_size: 2 * 1024 * 1024,
            parse_timeout: std::time::Duration::from_secs(5),
            exclude: Vec::new(),
            exclude_root: None,
            ignore_rules: Vec::new(),
            env: EnvConfig::default(),
            python: PythonConfig::default(),
            typescript: TypeScriptConfig::default(),
            rust: RustConfig::default(),
            dotenv: DotenvConfig::default(),
            min_confidence: crate::detect::Confidence::Medium,
            secrets: allowlist::SecretAllowlist::default(),
            packs: Vec::new(),
            default_secret_packs: true,
            dropped_env_packs: Vec::new(),
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
        let dir = if start.is_dir() {
            Some(start.as_path())
        } else {
            start.parent()
        };
        let mut dir = dir;
        while let Some(d) = dir {
            if let Some(found) = config_in(d)? {
                return Ok(ConfigFile::load(&found)?.config);
            }
            dir = d.parent();
        }
        Ok(Config::default())
    }

    /// Loads one file (`--config`): `pyproject.toml` is read from `[tool.shush]`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Ok(ConfigFile::load(path)?.config)
    }

    fn resolve(raw: RawConfig, path: &Path, invalid: Invalid) -> Result<Config, ConfigError> {
        let mut cfg = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        if let Some(size) = raw.max_file_size {
            cfg.max_file_size = size.get_ref().0;
        }
        if let Some(timeout) = raw.parse_timeout {
            cfg.parse_timeout = std::time::Duration::try_from_secs_f64(*timeout.get_ref())
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| {
                    invalid(
                        "`parse-timeout` must be a positive number of seconds".into(),
                        Some(timeout.span()),
                        "not a positive number",
                        Some("for example `parse-timeout = 5` or `parse-timeout = 0.5`".into()),
                    )
                })?;
        }
        if let Some(scope) = raw.env_scope {
            cfg.env.scope = scope;
        }
        if let Some(confidence) = raw.min_confidence {
            cfg.min_confidence = confidence;
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
            if let Some(words) = env.not_secret_words {
                cfg.env.not_secret_words = words;
            }
            cfg.env
                .not_secret_words
                .extend(env.extend_not_secret_words.unwrap_or_default());
            if let Some(platform) = env.platform {
                let catalogue = crate::rules::platform::Catalogue::embedded();
                for (group, on) in platform.get_ref() {
                    if !catalogue.has_group(group) {
                        return Err(invalid(
                            format!("`{group}` is not a group of the platform catalogue"),
                            Some(platform.span()),
                            &format!("the groups are {}", catalogue.ids().join(", ")),
                            None,
                        ));
                    }
                    if !on {
                        cfg.env.platform_off.push(group.clone());
                    }
                }
            }
        }
        cfg.env.keys = raw.keys.unwrap_or_default();
        use crate::source::Language;
        let families = [
            (
                Language::Python,
                raw.python.as_ref().and_then(|t| t.extend_default.as_ref()),
            ),
            (
                Language::TypeScript,
                raw.typescript
                    .as_ref()
                    .and_then(|t| t.extend_default.as_ref()),
            ),
            (
                Language::Rust,
                raw.rust.as_ref().and_then(|t| t.extend_default.as_ref()),
            ),
        ];
        for (language, extend) in families {
            if extend.is_some_and(|e| !*e.get_ref()) {
                cfg.dropped_env_packs.push(language);
            }
        }
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
            match &py.call {
                Some(call) => cfg.python.call = call.get_ref().trim().to_string(),
                // The import names the function (or object) the rewrite calls.
                None if py.import.is_some() => cfg.python.call = cfg.python.import.bound.clone(),
                None => {}
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
        if let Some(ts) = raw.typescript {
            if let Some(import) = &ts.import {
                cfg.typescript.import = TsImport::parse(import.get_ref()).ok_or_else(|| {
                    invalid(
                        format!("`{}` is not an ES import of one name", import.get_ref()),
                        Some(import.span()),
                        "expected `import { NAME } from \"MODULE\";` or `import NAME from \"MODULE\";`",
                        None,
                    )
                })?;
            }
            match &ts.call {
                Some(call) => cfg.typescript.call = call.get_ref().trim().to_string(),
                None if ts.import.is_some() => {
                    cfg.typescript.call = cfg.typescript.import.bound.clone()
                }
                None => {}
            }
            if let Some(prefixes) = ts.client_prefixes {
                cfg.typescript.client_prefixes = prefixes;
            }
            let head = cfg.typescript.call.split('.').next().unwrap_or("");
            if head != cfg.typescript.import.bound {
                let span = ts.call.as_ref().or(ts.import.as_ref()).map(|s| s.span());
                return Err(invalid(
                    format!(
                        "typescript.call `{}` is not bound by typescript.import `{}`",
                        cfg.typescript.call, cfg.typescript.import.line
                    ),
                    span,
                    "this name",
                    Some(format!(
                        "the import binds `{}`; the call must start with that name",
                        cfg.typescript.import.bound
                    )),
                ));
            }
        }
        cfg.packs = raw.pack_files.clone();
        if let Some(secrets) = raw.secrets {
            cfg.default_secret_packs = secrets.extend_default();
            let rules = crate::rules::RuleSet::embedded();
            // The team's packs' ids count too (a pack that does not parse is reported
            // when the rules are built, with its own message).
            let own: Vec<String> = cfg
                .packs
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .flat_map(|text| crate::rules::secrets::rule_ids(&text))
                .collect();
            let known = |id: &str| {
                own.iter().any(|o| o == id) || rules.secrets.rules.iter().any(|r| r.id == id)
            };
            cfg.secrets = secrets.resolve(invalid, &known)?;
        }
        if let Some(d) = raw.dotenv {
            cfg.dotenv.ignored = d.ignored.unwrap_or_default();
            cfg.dotenv.extend_exempt = d.extend_exempt.unwrap_or_default();
        }
        if let Some(rs) = raw.rust {
            cfg.rust.style = rs.style.unwrap_or_default();
            if let Some(item) = &rs.use_item {
                cfg.rust.use_item = RustUse::parse(item.get_ref()).ok_or_else(|| {
                    invalid(
                        format!("`{}` is not a Rust use item of one path", item.get_ref()),
                        Some(item.span()),
                        "expected `use PATH::NAME;` or `use PATH::NAME as ALIAS;`",
                        None,
                    )
                })?;
                if rs.call.is_none() {
                    cfg.rust.call = cfg.rust.use_item.bound.clone();
                }
            }
            if let Some(call) = &rs.call {
                cfg.rust.call = call.get_ref().trim().to_string();
            }
            if cfg.rust.style == RustStyle::Path {
                cfg.rust.call = cfg.rust.use_item.path.clone();
            } else if cfg.rust.call.split("::").next() != Some(cfg.rust.use_item.bound.as_str()) {
                let span = rs.call.as_ref().or(rs.use_item.as_ref()).map(|s| s.span());
                return Err(invalid(
                    format!(
                        "rust.call `{}` is not bound by rust.use `{}`",
                        cfg.rust.call, cfg.rust.use_item.line
                    ),
                    span,
                    "this name",
                    Some(format!(
                        "the use item binds `{}`; the call must start with that name",
                        cfg.rust.use_item.bound
                    )),
                ));
            }
        }
        Ok(cfg)
    }
}

/// The config file of `dir`, if it has one: `shush.toml`, `.shush.toml`, or a
/// `pyproject.toml` with a `[tool.shush]` table (one without is passed over, as ruff
/// passes over a `pyproject.toml` without `[tool.ruff]`).
pub fn config_in(dir: &Path) -> Result<Option<PathBuf>, ConfigError> {
    for name in CONFIG_FILES {
        let candidate = dir.join(name);
        if !candidate.is_file() {
            continue;
        }
        if name == "pyproject.toml" && !has_tool_shush(&read(&candidate)?) {
            continue;
        }
        return Ok(Some(candidate));
    }
    Ok(None)
}

/// How deep `extend` chains may go (a cycle is reported once it is this deep).
const MAX_EXTEND_DEPTH: usize = 8;

/// A config file, read: its settings with the file it `extend`s merged in, and its
/// `[[overrides]]`, each checked once at load time.
#[derive(Debug)]
pub struct ConfigFile {
    pub path: PathBuf,
    /// The settings for paths no override matches.
    pub config: Config,
    /// The file's settings with what it extends merged in, before any override.
    raw: RawConfig,
    overrides: Vec<Override>,
    text: String,
}

#[derive(Debug, Clone)]
struct Override {
    /// The override's `paths`, rooted at the directory of the file that holds it.
    paths: ignore::gitignore::Gitignore,
    settings: RawConfig,
}

impl ConfigFile {
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        ConfigFile::load_at(path, 0)
    }

    fn load_at(path: &Path, depth: usize) -> Result<ConfigFile, ConfigError> {
        let path = normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
        let text = read(&path)?;
        let check_path = path.clone();
        let check_text = text.clone();
        let invalid = invalid_in(&check_path, &check_text);
        let mut raw = parse_raw(&path, &text, &invalid)?;
        let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        if let Some(secrets) = &mut raw.secrets {
            secrets.root(&dir, &invalid)?;
        }
        if let Some(packs) = raw.packs.take() {
            raw.pack_files = find_packs(&dir, &packs, &invalid)?;
        }
        let own_overrides = raw.overrides.take().unwrap_or_default();
        let mut overrides = Vec::new();
        let mut exclude_root = dir.clone();
        if let Some(extend) = raw.extend.take() {
            let base_path = dir.join(extend.get_ref());
            if depth >= MAX_EXTEND_DEPTH {
                return Err(invalid(
                    format!("`extend` goes more than {MAX_EXTEND_DEPTH} files deep"),
                    Some(extend.span()),
                    "here",
                    Some("two config files may extend each other in a circle".into()),
                ));
            }
            if !base_path.is_file() {
                return Err(invalid(
                    format!("cannot find the config file `{}`", extend.get_ref()),
                    Some(extend.span()),
                    "extended here",
                    Some(format!("the path is relative to {}", dir.display())),
                ));
            }
            let base = ConfigFile::load_at(&base_path, depth + 1)?;
            if raw.exclude.is_none() {
                exclude_root = base.config.exclude_root.clone().unwrap_or(exclude_root);
            }
            overrides = base.overrides;
            raw = base.raw.merge(raw);
        }
        let mut config = Config::resolve(raw.clone(), &path, &invalid)?;
        config.exclude_root = Some(exclude_root);
        for o in own_overrides {
            let mut builder = ignore::gitignore::GitignoreBuilder::new(&dir);
            for glob in o.paths.get_ref() {
                if let Err(e) = builder.add_line(None, glob) {
                    return Err(invalid(
                        format!("`{glob}` is not a path glob: {e}"),
                        Some(o.paths.span()),
                        "in these paths",
                        None,
                    ));
                }
            }
            let paths = builder.build().map_err(|e| {
                invalid(
                    format!("bad paths: {e}"),
                    Some(o.paths.span()),
                    "here",
                    None,
                )
            })?;
            let whole_run = [
                o.python.as_ref().and_then(|t| t.extend_default.as_ref()),
                o.typescript
                    .as_ref()
                    .and_then(|t| t.extend_default.as_ref()),
                o.rust.as_ref().and_then(|t| t.extend_default.as_ref()),
            ];
            if let Some(at) = whole_run.into_iter().flatten().next() {
                return Err(invalid(
                    "`extend-default` chooses the rules of the whole run; it cannot differ in an override".into(),
                    Some(at.span()),
                    "here",
                    Some("set it in the top-level [python], [typescript] or [rust] table".into()),
                ));
            }
            let settings = o.settings();
            // Checked alone now, so that a bad override fails the run at once.
            Config::resolve(raw.clone().merge(settings.clone()), &path, &invalid)?;
            overrides.push(Override { paths, settings });
        }
        Ok(ConfigFile {
            path,
            config,
            raw,
            overrides,
            text,
        })
    }

    /// Whether the file has `[[overrides]]` (its own or those of a file it extends).
    pub fn has_overrides(&self) -> bool {
        !self.overrides.is_empty()
    }

    /// The indices of the overrides whose `paths` match `file` (absolute).
    pub fn matching(&self, file: &Path) -> Vec<usize> {
        self.overrides
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                file.starts_with(o.paths.path())
                    && o.paths.matched_path_or_any_parents(file, false).is_ignore()
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The settings with the overrides `which` laid over them, in the file's order.
    pub fn resolve(&self, which: &[usize]) -> Result<Config, ConfigError> {
        if which.is_empty() {
            return Ok(self.config.clone());
        }
        let mut raw = self.raw.clone();
        for &i in which {
            raw = raw.merge(self.overrides[i].settings.clone());
        }
        let invalid = invalid_in(&self.path, &self.text);
        let mut config = Config::resolve(raw, &self.path, &invalid)?;
        config.exclude_root = self.config.exclude_root.clone();
        Ok(config)
    }
}

/// The files `packs` names, relative to `dir`: a path, or a glob (`*`, `?`, `[…]`) in
/// its last part. Each must find a file: a pack that is not there is an error.
fn find_packs(
    dir: &Path,
    packs: &Spanned<Vec<String>>,
    invalid: Invalid,
) -> Result<Vec<PathBuf>, ConfigError> {
    let mut files = Vec::new();
    for entry in packs.get_ref() {
        let path = normalize(&dir.join(entry));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let found: Vec<PathBuf> = if name.contains(['*', '?', '[']) {
            let glob = globset::Glob::new(&name)
                .map_err(|e| {
                    invalid(
                        format!("`{entry}` is not a glob: {e}"),
                        Some(packs.span()),
                        "in these packs",
                        None,
                    )
                })?
                .compile_matcher();
            let parent = path.parent().unwrap_or(dir);
            let mut found: Vec<PathBuf> = std::fs::read_dir(parent)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.file_name().is_some_and(|n| glob.is_match(n)))
                .collect();
            found.sort();
            found
        } else if path.is_file() {
            vec![path]
        } else {
            Vec::new()
        };
        if found.is_empty() {
            return Err(invalid(
                format!("`{entry}` names no rule pack file"),
                Some(packs.span()),
                "in these packs",
                Some(format!("paths are relative to {}", dir.display())),
            ));
        }
        for f in found {
            if !files.contains(&f) {
                files.push(f);
            }
        }
    }
    Ok(files)
}

/// `a/b/../c` → `a/c`, without touching the filesystem: the walk's paths are not
/// canonical either, and a matcher rooted at `x/../y` would match none of them.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The error builder for one config file's text.
fn invalid_in<'a>(
    path: &'a Path,
    text: &'a str,
) -> impl Fn(String, Option<Range<usize>>, &str, Option<String>) -> ConfigError + 'a {
    move |message, span, label, help| {
        ConfigError::Invalid(Box::new(InvalidConfig {
            message,
            src: NamedSource::new(path.display().to_string(), text.to_string()),
            span: span.map(|r| SourceSpan::from(r.start..r.end.max(r.start + 1))),
            label: label.to_string(),
            help,
        }))
    }
}

/// The file as written (`[tool.shush]` of a `pyproject.toml`).
fn parse_raw(path: &Path, text: &str, invalid: Invalid) -> Result<RawConfig, ConfigError> {
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    let raw: Result<RawConfig, toml::de::Error> = if is_pyproject {
        #[derive(Deserialize)]
        struct Pyproject {
            tool: Option<Tool>,
        }
        #[derive(Deserialize)]
        struct Tool {
            shush: Option<RawConfig>,
        }
        toml::from_str::<Pyproject>(text).map(|p| p.tool.and_then(|t| t.shush).unwrap_or_default())
    } else {
        toml::from_str::<RawConfig>(text)
    };
    raw.map_err(|e| {
        let message = e.message().trim().to_string();
        let help = message
            .contains("unknown field")
            .then(|| "see the README's configuration table for the keys shush knows".to_string());
        invalid(message, e.span(), "here", help)
    })
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
        let t = TsImport::parse("import { getConfigValue } from \"@/config\"").unwrap();
        assert_eq!(
            (t.module.as_str(), t.bound.as_str()),
            ("@/config", "getConfigValue")
        );
        assert_eq!(
            t.require_line(),
            "const { getConfigValue } = require(\"@/config\");"
        );
        let t = TsImport::parse("import cfg from '~/lib/config';").unwrap();
        assert_eq!((t.name.as_str(), t.bound.as_str()), ("default", "cfg"));
        assert!(TsImport::parse("import { a, b } from \"x\";").is_none());
        let r = RustUse::parse("use crate::settings::load as cfg;").unwrap();
        assert_eq!(
            (r.path.as_str(), r.bound.as_str()),
            ("crate::settings::load", "cfg")
        );
        assert!(RustUse::parse("use crate::{a, b};").is_none());
    }
}
