//! The catalog of every rule a run can report — environment reads of each language,
//! hardcoded secrets, stray .env files — with what reporters need to describe them
//! (SARIF's `tool.driver.rules`). Built from the compiled packs; never runs a rule.

use std::collections::HashSet;

use crate::detect::{Applicability, Severity, dotenv};
use crate::rules::{EnvRules, RuleSet};

/// Which kind of pattern a rule finds, which decides how its help reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// An environment read with a literal name (`os.getenv("X")`).
    EnvRead,
    /// An environment read whose name is computed: reported, never fixed.
    DynamicKey,
    /// A secret-looking name behind a prefix bundlers ship to browsers.
    ClientExposure,
    /// A hardcoded secret; `generic` when it is a value next to a secret-looking name.
    Secret { generic: bool },
    /// A stray .env file in one git state.
    Dotenv,
}

/// One rule as reporters describe it.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub id: &'static str,
    pub summary: &'static str,
    pub family: Family,
    /// The severity most of its findings have (an environment read of a name that does
    /// not look like a secret is a warning whatever the rule).
    pub severity: Severity,
    /// The fix it builds, when it builds one.
    pub fix: Option<Applicability>,
    /// `python`, `aws`, … (the family's tags are added by reporters).
    pub tags: Vec<String>,
    /// For secret rules: how sure a match is, as SARIF's `precision` says it
    /// (`very-high` for a provider format with a checksum).
    pub precision: Option<&'static str>,
    /// The pack it comes from: an embedded pack's file name (`secrets.toml`), or the
    /// path of a pack of the team's.
    pub origin: &'static str,
}

/// The id of the client-exposure rule (in the TypeScript pack, with no targets).
const CLIENT_RULE: &str = "ts-client-exposed-secret";

/// Every rule of `rules` and of the dotenv pack, in a stable order: Python, TypeScript,
/// Rust, secrets, dotenv, each in pack order.
pub fn catalog(rules: &RuleSet) -> Vec<RuleInfo> {
    let mut out = Vec::new();
    for (language, env) in [
        ("python", &rules.python),
        ("typescript", &rules.typescript),
        ("rust", &rules.rust),
    ] {
        env_rules(language, env, &rules.env_origins, &mut out);
    }
    for rule in &rules.secrets.rules {
        out.push(RuleInfo {
            id: rule.id,
            summary: rule.summary,
            family: Family::Secret {
                generic: rule.generic,
            },
            severity: rule.severity,
            // Secret literals in Python/TS/Rust assignments get the unsafe loader fix.
            fix: Some(Applicability::Unsafe),
            tags: rule.tags.clone(),
            origin: rule.pack,
            precision: Some(match (rule.confidence(), rule.checksum.is_some()) {
                (crate::detect::Confidence::High, true) => "very-high",
                (crate::detect::Confidence::High, false) => "high",
                (crate::detect::Confidence::Medium, _) => "medium",
                (crate::detect::Confidence::Low, _) => "low",
            }),
        });
    }
    for rule in &dotenv::pack().rules {
        out.push(RuleInfo {
            id: rule.id.as_str(),
            summary: rule.summary.as_str(),
            family: Family::Dotenv,
            severity: rule.severity,
            fix: (rule.severity == Severity::Error).then_some(Applicability::Safe),
            tags: vec!["dotenv".into()],
            precision: None,
            origin: dotenv::PACK.0,
        });
    }
    out
}

fn env_rules(
    language: &str,
    env: &EnvRules,
    origins: &std::collections::HashMap<&'static str, &'static str>,
    out: &mut Vec<RuleInfo>,
) {
    let compiled: Vec<_> = env
        .calls
        .values()
        .chain(env.subscripts.values())
        .chain(env.members.values())
        .chain(env.macros.values())
        .chain(env.destructures.values())
        .collect();
    let dynamic: HashSet<&str> = compiled
        .iter()
        .filter(|r| r.dynamic_rule != r.id)
        .map(|r| r.dynamic_rule)
        .collect();
    for &(id, summary) in &env.ids {
        let (family, severity, fix) = if id == CLIENT_RULE {
            (Family::ClientExposure, Severity::Error, None)
        } else if dynamic.contains(id) {
            (Family::DynamicKey, Severity::Warning, None)
        } else {
            let fix = compiled
                .iter()
                .find(|r| r.id == id)
                .and_then(|r| r.fix.applicability());
            (Family::EnvRead, Severity::Error, fix)
        };
        out.push(RuleInfo {
            id,
            summary,
            family,
            severity,
            fix,
            tags: vec![language.to_string()],
            precision: None,
            origin: origins.get(id).copied().unwrap_or(match language {
                "python" => "python.toml",
                "typescript" => "typescript.toml",
                _ => "rust.toml",
            }),
        });
    }
}

impl Family {
    /// The family's name in `shush rules list`.
    pub fn name(self) -> &'static str {
        match self {
            Family::EnvRead => "env-read",
            Family::DynamicKey => "env-dynamic-key",
            Family::ClientExposure => "client-exposure",
            Family::Secret { .. } => "secret",
            Family::Dotenv => "dotenv",
        }
    }
}

/// `shush rules list`: every active rule (the embedded packs and the packs of the
/// config found from the working directory), as a table or as JSON.
pub fn list(json: bool, out: &mut dyn std::io::Write) -> miette::Result<i32> {
    let cwd = std::env::current_dir().map_err(|e| miette::miette!("{e}"))?;
    let config = crate::Config::discover(&cwd)?;
    let rules = RuleSet::with_packs(
        &config.packs,
        config.default_secret_packs,
        &config.dropped_env_packs,
    )?;
    let mut infos = catalog(&rules);
    // A team's pack by its path from here.
    for info in &mut infos {
        if let Ok(rel) = std::path::Path::new(info.origin).strip_prefix(&cwd) {
            info.origin = Box::leak(rel.display().to_string().into_boxed_str());
        }
    }
    let fix = |f: Option<Applicability>| match f {
        Some(Applicability::Safe) => "safe",
        Some(Applicability::Unsafe) => "unsafe",
        None => "none",
    };
    let io = |e: std::io::Error| miette::miette!("cannot write output: {e}");
    if json {
        let rows: Vec<serde_json::Value> = infos
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "family": r.family.name(),
                    "origin": r.origin,
                    "severity": r.severity.as_str(),
                    "fix": fix(r.fix),
                    "summary": r.summary,
                    "tags": r.tags,
                })
            })
            .collect();
        let doc = serde_json::json!({ "version": 1, "rules": rows });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc).expect("JSON")).map_err(io)?;
        return Ok(crate::exit::CLEAN);
    }
    let width = |f: &dyn Fn(&RuleInfo) -> usize, head: &str| {
        infos.iter().map(f).max().unwrap_or(0).max(head.len())
    };
    let (w_id, w_family, w_origin) = (
        width(&|r| r.id.len(), "ID"),
        width(&|r| r.family.name().len(), "FAMILY"),
        width(&|r| r.origin.chars().count(), "ORIGIN"),
    );
    writeln!(
        out,
        "{:<w_id$}  {:<w_family$}  {:<w_origin$}  {:<8}  FIX",
        "ID", "FAMILY", "ORIGIN", "SEVERITY"
    )
    .map_err(io)?;
    for r in &infos {
        writeln!(
            out,
            "{:<w_id$}  {:<w_family$}  {:<w_origin$}  {:<8}  {}",
            r.id,
            r.family.name(),
            crate::report::terminal::line(r.origin),
            r.severity.as_str(),
            fix(r.fix)
        )
        .map_err(io)?;
    }
    writeln!(out, "\n{} rules.", infos.len()).map_err(io)?;
    Ok(crate::exit::CLEAN)
}
