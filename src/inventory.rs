//! `shush inventory`: every config key the code reads, from the environment reads not
//! yet rewritten and from the calls of the configured loader already in the code. One
//! scan (the check pipeline, collecting loader calls too), then one of five renderings:
//! a table, JSON, an env-name → key mapping, a Pulumi ESC template, a `.env.example`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use serde::Serialize;

use crate::check::{self, CheckOptions, Mode, Setup};
use crate::cli::{InventoryArgs, InventoryFormat};
use crate::config::{EnvConfig, EnvScope};
use crate::detect::env::{self, EnvClass};
use crate::{Context, exit, report};

/// The version of the JSON document's shape.
pub const VERSION: u32 = 1;

/// Every key, sorted by name, and the reads no key could be given to.
#[derive(Debug, Serialize)]
pub struct Inventory {
    pub version: u32,
    pub keys: Vec<Key>,
    /// Environment reads with a computed name: shush cannot tell the key.
    pub computed: Vec<Place>,
    /// Things a person should look at: one key read from several environment names.
    pub warnings: Vec<String>,
    /// Variables read that are not configuration to migrate, by name: set by a platform,
    /// CI system, terminal, toolchain or the OS, handed to a child process by this
    /// repository, or set by the test that reads them.
    pub left_alone: Vec<LeftAlone>,
    pub files_scanned: usize,
}

/// A variable read that is not a config key, and why.
#[derive(Debug, Serialize)]
pub struct LeftAlone {
    pub env_name: String,
    /// `platform:<group>`, `hand-off` or `test`.
    pub role: String,
    /// Why, in words (for a hand-off: where the repository writes it).
    pub reason: String,
    pub places: Vec<Place>,
}

#[derive(Debug, Serialize)]
pub struct Key {
    pub key: String,
    /// The environment names read for this key; with `env_names_inferred`, the name the
    /// key maps back to (no read of the environment names it).
    pub env_names: Vec<String>,
    pub env_names_inferred: bool,
    pub secret: bool,
    /// `always`, `sometimes` or `never`: whether the reads give a default.
    pub default: Defaults,
    pub languages: Vec<&'static str>,
    pub places: Vec<Place>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Defaults {
    Always,
    Sometimes,
    Never,
}

impl Defaults {
    fn as_str(self) -> &'static str {
        match self {
            Defaults::Always => "yes",
            Defaults::Sometimes => "some",
            Defaults::Never => "no",
        }
    }
}

/// Where a key is read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub language: &'static str,
    /// `env` (an environment read) or `loader` (a call of the configured loader).
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_name: Option<String>,
    pub has_default: bool,
}

/// `shush inventory` from the command line.
pub fn run(args: InventoryArgs, out: &mut dyn Write, err: &mut dyn Write) -> miette::Result<i32> {
    let Setup {
        base,
        paths,
        mut config,
        mut tree,
        threads,
    } = Setup::new(&args.paths, args.config.as_deref(), args.threads)?;
    // Every key the code needs, not only the secret-looking ones `check` may be set to.
    tree.cli.env_scope = Some(EnvScope::All);
    tree.cli.apply(&mut config);
    if let Some(path) = &args.output {
        crate::fix::write::check_writable(path)
            .map_err(|e| miette::miette!("-o {}: cannot write there: {e}", path.display()))?;
    }
    let progress = crate::progress::Progress::start();
    let options = CheckOptions {
        paths,
        mode: Mode::Check,
        unsafe_fixes: false,
        threads,
        base,
        show_secrets: false,
        staged: false,
        history: None,
        progress: Some(progress.clone()),
    };
    let mut ctx = Context::with_tree(config, tree);
    // The team's packs (`packs` in the run's config) join the embedded ones.
    ctx.rules = crate::rules::RuleSet::with_packs(
        &ctx.config.packs,
        ctx.config.default_secret_packs,
        &ctx.config.dropped_env_packs,
    )?;
    ctx.inventory = true;
    // The inventory shows no fix: no file is parsed again to place a loader import.
    ctx.import_edits = false;
    ctx.applies_fixes = false;
    let outcome = check::check(&options, &ctx);
    progress.finish();
    let outcome = outcome?;
    check::config_errors(&ctx)?;
    let inventory = Inventory::of(&outcome, &ctx.config.env);
    let text = match args.format {
        InventoryFormat::Table => inventory.table(),
        InventoryFormat::Json => json(&inventory),
        InventoryFormat::Mappings => json(&inventory.mappings()),
        InventoryFormat::Esc => inventory.esc(),
        InventoryFormat::DotenvExample => inventory.dotenv_example(),
    };
    let io = |e: std::io::Error| miette::miette!("cannot write output: {e}");
    match &args.output {
        Some(path) => crate::fix::write::write_new(path, text.as_bytes())
            .map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?,
        None => out.write_all(text.as_bytes()).map_err(io)?,
    }
    report::human::notes(&outcome, args.verbose, err).map_err(io)?;
    if args.format != InventoryFormat::Table {
        for warning in &inventory.warnings {
            writeln!(err, "warning: {warning}").map_err(io)?;
        }
    }
    Ok(if outcome.failed {
        exit::ERROR
    } else {
        exit::CLEAN
    })
}

fn json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("plain data serializes");
    text.push('\n');
    text
}

impl Inventory {
    /// The keys read in `outcome` (a check run with loader calls collected).
    pub fn of(outcome: &check::Outcome, env_cfg: &EnvConfig) -> Inventory {
        let mut by_key: BTreeMap<String, Vec<Place>> = BTreeMap::new();
        let mut computed = Vec::new();
        let mut left_alone: BTreeMap<(String, String), (String, Vec<Place>)> = BTreeMap::new();
        for file in &outcome.files {
            let path = file.source.path.to_string_lossy().replace('\\', "/");
            let language = file.source.language.name();
            for f in &file.findings {
                if f.secret.is_some() {
                    continue;
                }
                let at = file.source.position(f.span.start);
                let place = |env_name: Option<String>| Place {
                    path: path.clone(),
                    line: at.line,
                    column: at.column,
                    language,
                    kind: "env",
                    env_name,
                    has_default: f.has_default,
                };
                if let (Some(role), Some(name)) = (&f.role, &f.env_name) {
                    let entry = left_alone
                        .entry((name.clone(), role.label()))
                        .or_insert_with(|| {
                            (f.no_fix_reason.clone().unwrap_or_default(), Vec::new())
                        });
                    entry.1.push(place(Some(name.clone())));
                    continue;
                }
                match (&f.env_name, &f.config_key) {
                    (Some(name), Some(key)) => by_key
                        .entry(key.clone())
                        .or_default()
                        .push(place(Some(name.clone()))),
                    (None, None) if f.rule.ends_with("-dynamic-key") => computed.push(place(None)),
                    _ => {}
                }
            }
            for read in &file.loader_reads {
                by_key.entry(read.key.clone()).or_default().push(Place {
                    path: path.clone(),
                    line: read.line,
                    column: read.column,
                    language,
                    kind: "loader",
                    env_name: None,
                    has_default: read.has_default,
                });
            }
        }
        let mut warnings = Vec::new();
        let keys = by_key
            .into_iter()
            .map(|(key, mut places)| {
                places.sort();
                let observed: BTreeSet<&String> =
                    places.iter().filter_map(|p| p.env_name.as_ref()).collect();
                let (env_names, inferred) = if observed.is_empty() {
                    (env_names_for(&key, env_cfg), true)
                } else {
                    (observed.into_iter().cloned().collect::<Vec<_>>(), false)
                };
                if env_names.len() > 1 && !inferred {
                    warnings.push(format!(
                        "`{key}` is read from {} environment variables: {}; the store holds one value for them",
                        env_names.len(),
                        env_names.join(", ")
                    ));
                }
                let secret = env_names
                    .iter()
                    .chain([&key])
                    .any(|n| env::classify(n, env_cfg) == EnvClass::Secret);
                let with_default = places.iter().filter(|p| p.has_default).count();
                let default = match with_default {
                    0 => Defaults::Never,
                    n if n == places.len() => Defaults::Always,
                    _ => Defaults::Sometimes,
                };
                let languages: BTreeSet<&'static str> =
                    places.iter().map(|p| p.language).collect();
                Key {
                    key,
                    env_names,
                    env_names_inferred: inferred,
                    secret,
                    default,
                    languages: languages.into_iter().collect(),
                    places,
                }
            })
            .collect();
        computed.sort();
        let left_alone = left_alone
            .into_iter()
            .map(|((env_name, role), (reason, mut places))| {
                places.sort();
                LeftAlone {
                    env_name,
                    role,
                    reason,
                    places,
                }
            })
            .collect();
        Inventory {
            version: VERSION,
            keys,
            computed,
            warnings,
            left_alone,
            files_scanned: outcome.summary.files_scanned,
        }
    }

    /// Environment (CI secret) name → config key, for every key.
    pub fn mappings(&self) -> BTreeMap<&str, &str> {
        self.keys
            .iter()
            .flat_map(|k| k.env_names.iter().map(|n| (n.as_str(), k.key.as_str())))
            .collect()
    }

    /// The human table: one row per key.
    pub fn table(&self) -> String {
        let header = [
            "KEY",
            "ENVIRONMENT",
            "SECRET",
            "DEFAULT",
            "LANGUAGES",
            "READ AT",
        ];
        let rows: Vec<[String; 6]> = self
            .keys
            .iter()
            .map(|k| {
                let mut names = k.env_names.join(", ");
                if k.env_names_inferred {
                    names.push('*');
                }
                let at = report::list_places(k.places.iter().map(|p| (&*p.path, p.line)), 2);
                [
                    k.key.clone(),
                    names,
                    if k.secret { "yes" } else { "no" }.to_string(),
                    k.default.as_str().to_string(),
                    k.languages.join(", "),
                    at,
                ]
                // Names and paths come from the code: no control character reaches
                // the terminal raw.
                .map(|cell| report::terminal::line(&cell).into_owned())
            })
            .collect();
        let mut widths = header.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: &[&str]| {
            let mut out = String::new();
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                if i + 1 == cells.len() {
                    out.push_str(cell);
                } else {
                    out.push_str(&format!("{cell:<w$}  "));
                }
            }
            out.trim_end().to_string() + "\n"
        };
        let mut out = String::new();
        if self.keys.is_empty() {
            out.push_str(&format!(
                "No config keys found in {}.\n",
                plural(self.files_scanned, "file", "files")
            ));
        } else {
            out.push_str(&line(&header));
            for row in &rows {
                let cells: Vec<&str> = row.iter().map(String::as_str).collect();
                out.push_str(&line(&cells));
            }
            out.push('\n');
        }
        let places: usize = self.keys.iter().map(|k| k.places.len()).sum();
        let loader = self
            .keys
            .iter()
            .flat_map(|k| &k.places)
            .filter(|p| p.kind == "loader")
            .count();
        let files: BTreeSet<&str> = self
            .keys
            .iter()
            .flat_map(|k| &k.places)
            .map(|p| p.path.as_str())
            .collect();
        if !self.keys.is_empty() {
            out.push_str(&format!(
            "{} ({} secret) read in {} in {}: {} through the loader, {} from the environment.\n",
            plural(self.keys.len(), "key", "keys"),
            self.keys.iter().filter(|k| k.secret).count(),
            plural(places, "place", "places"),
            plural(files.len(), "file", "files"),
            loader,
            places - loader,
        ));
        }
        if self.keys.iter().any(|k| k.env_names_inferred) {
            out.push_str(
                "* no environment read names this key; the name shown is the key's own, upper-cased (or its mapping in the config).\n",
            );
        }
        if !self.computed.is_empty() {
            out.push_str(&format!(
                "Not listed: {} with a computed variable name ({}).\n",
                plural(self.computed.len(), "read", "reads"),
                report::list_places(self.computed.iter().map(|p| (&*p.path, p.line)), 10)
            ));
        }
        if !self.left_alone.is_empty() {
            // By why, then by name: what a migration leaves where it is.
            let mut by_role: BTreeMap<&str, Vec<&LeftAlone>> = BTreeMap::new();
            for l in &self.left_alone {
                by_role.entry(l.role.as_str()).or_default().push(l);
            }
            out.push_str(&format!(
                "Left alone, not configuration: {}.\n",
                plural(self.left_alone.len(), "variable", "variables")
            ));
            for (role, vars) in by_role {
                let names: Vec<String> = vars
                    .iter()
                    .map(|l| {
                        let at =
                            report::list_places(l.places.iter().map(|p| (&*p.path, p.line)), 1);
                        format!("{} ({at})", l.env_name)
                    })
                    .collect();
                out.push_str(&format!("  {role}: {}\n", names.join(", ")));
            }
        }
        for warning in &self.warnings {
            out.push_str(&format!("warning: {warning}\n"));
        }
        out
    }

    /// A Pulumi ESC environment template: every key under `values` (secret-looking ones
    /// as `fn::secret`), and each environment name under `environmentVariables`.
    pub fn esc(&self) -> String {
        let mut out = String::from(
            "# Pulumi ESC environment template, written by `shush inventory --format esc`.\n\
             # Fill in each value; the ones under fn::secret are stored encrypted.\n\
             values:\n",
        );
        for k in &self.keys {
            let places = report::list_places(k.places.iter().map(|p| (&*p.path, p.line)), 3);
            out.push_str(&format!("  # read at {places}\n"));
            let name = yaml_key(&k.key);
            if k.secret {
                out.push_str(&format!("  {name}:\n    fn::secret: \"\"\n"));
            } else {
                out.push_str(&format!("  {name}: \"\"\n"));
            }
        }
        let vars: BTreeMap<&str, &str> = self.mappings();
        if vars.is_empty() {
            out.push_str("  environmentVariables: {}\n");
        } else {
            out.push_str("  environmentVariables:\n");
            for (name, key) in vars {
                out.push_str(&format!(
                    "    {}: {}\n",
                    yaml_key(name),
                    quoted(&interpolation(key))
                ));
            }
        }
        out
    }

    /// A `.env.example`: every environment name with an empty value, and a comment with
    /// its key and where it is read.
    pub fn dotenv_example(&self) -> String {
        let mut out = String::from(
            "# Every environment variable the code reads, written by\n\
             # `shush inventory --format dotenv-example`. Copy it to .env (which git must not\n\
             # track) and fill in the values.\n",
        );
        let mut entries: Vec<(&str, &Key)> = self
            .keys
            .iter()
            .flat_map(|k| k.env_names.iter().map(move |n| (n.as_str(), k)))
            .collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (name, k) in entries {
            let first = &k.places[0];
            let mut comment = format!("{} · {}:{}", k.key, first.path, first.line);
            if k.secret {
                comment.push_str(" · secret");
            }
            out.push_str(&format!("\n# {comment}\n{name}=\n"));
        }
        out
    }
}

/// The environment names a key read only through the loader maps back to: the explicit
/// mappings of the config, or the key upper-cased.
fn env_names_for(key: &str, env_cfg: &EnvConfig) -> Vec<String> {
    let mapped: Vec<String> = env_cfg
        .keys
        .iter()
        .filter(|(_, k)| *k == key)
        .map(|(name, _)| name.clone())
        .collect();
    if !mapped.is_empty() {
        return mapped;
    }
    let name: String = key
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    vec![name]
}

/// A mapping key as YAML: plain when that reads back as the same string, else quoted.
fn yaml_key(s: &str) -> String {
    let plain = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain { s.to_string() } else { quoted(s) }
}

/// A YAML double-quoted scalar (a JSON string is one).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// An ESC reference to a top-level value: `${key}`, or `${["key"]}` for a key that is
/// not a plain name.
fn interpolation(key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("${{{key}}}")
    } else {
        format!("${{[{}]}}", quoted(key))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
