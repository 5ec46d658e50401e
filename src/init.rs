//! `shush init`: writes a commented config for the tree, with the loader settings of
//! the languages found in it to fill in before the first `--fix`. Never overwrites: an
//! existing `shush.toml` (or a `[tool.shush]` table, with `--pyproject`) is an error.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::{DEFAULT_CLIENT_PREFIXES, PythonConfig, RustConfig, TypeScriptConfig};
use crate::source::Language;
use crate::{exit, walk};

/// The languages shush parses, counted over the files of `dir` (ignore files honoured).
fn languages(dir: &Path) -> BTreeMap<&'static str, usize> {
    let excludes: walk::Excludes = std::sync::Arc::new(|_, _| false);
    let walked = walk::walk(&[dir.to_path_buf()], &excludes, 2);
    let mut counts = BTreeMap::new();
    for entry in &walked.entries {
        let name = match Language::from_path(&entry.path) {
            Language::Python => "python",
            Language::TypeScript | Language::Tsx | Language::JavaScript => "typescript",
            Language::Rust => "rust",
            Language::Text => continue,
        };
        *counts.entry(name).or_default() += 1;
    }
    counts
}

/// The config text: the settings that apply to every tree, then a loader section per
/// language found (all three when none is).
pub fn template(found: &BTreeMap<&'static str, usize>, table: Option<&str>) -> String {
    let section = |name: &str| match table {
        Some(t) => format!("[{t}.{name}]"),
        None => format!("[{name}]"),
    };
    let mut out = String::new();
    if table.is_none() {
        out.push_str("# shush.toml, written by `shush init`.\n");
    } else {
        out.push_str("# shush's settings, written by `shush init`.\n");
    }
    out.push_str(
        "# Set the loader of each language below before running `shush check --fix`: the fixes\n\
         # rewrite environment reads into a call of it and add its import. The values shown are\n\
         # shush's defaults, which belong to no project of yours.\n",
    );
    if let Some(t) = table {
        out.push_str(&format!("[{t}]\n"));
    }
    out.push_str(
        "# exclude = [\"migrations/\", \"tests/fixtures/\"]   # gitignore-style, relative to this file\n\
         # env-scope = \"all\"          # \"secrets\": report only secret-looking names\n\
         # min-confidence = \"medium\"  # hardcoded secrets shown: \"high\", \"medium\" or \"low\"\n",
    );
    out.push_str(&format!(
        "\n{}\n# Groups of variables that platforms, CI, terminals, toolchains and the OS set are\n\
         # not reported; `extend-allow` adds your own names (globs with *).\n\
         # extend-allow = [\"MYAPP_BUILD_*\"]\n",
        section("env")
    ));
    out.push_str(&format!(
        "\n{}\n# ESTUARY_ACCESS_TOKEN = \"estuary/access_token\"   # keys other than the lower snake case\n",
        section("keys")
    ));
    let all = found.is_empty();
    let has = |l: &str| all || found.contains_key(l);
    let count = |l: &str| match found.get(l) {
        Some(1) => " (1 file)".to_string(),
        Some(n) => format!(" ({n} files)"),
        None => String::new(),
    };
    if has("python") {
        let py = PythonConfig::default();
        out.push_str(&format!(
            "\n{}{}\nstyle = \"call\"   # \"call\": {call}(\"key\") | \"attribute\": config.key\n\
             call = \"{call}\"\nimport = \"{import}\"   # ← your loader's module\n",
            section("python"),
            comment(&count("python")),
            call = py.call,
            import = py.import.line,
        ));
    }
    if has("typescript") {
        let ts = TypeScriptConfig::default();
        let prefixes: Vec<String> = DEFAULT_CLIENT_PREFIXES
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect();
        out.push_str(&format!(
            "\n{}{}\ncall = \"{call}\"\nimport = '{import}'   # ← your loader's module\n\
             # client-prefixes = [{prefixes}]\n",
            section("typescript"),
            comment(&count("typescript")),
            call = ts.call,
            import = ts.import.line,
            prefixes = prefixes.join(", "),
        ));
    }
    if has("rust") {
        let rs = RustConfig::default();
        out.push_str(&format!(
            "\n{}{}\nstyle = \"use\"   # \"use\": add the `use` item | \"path\": call the full path\n\
             use = \"{line}\"   # ← your loader; it should have std::env::var's signature\n",
            section("rust"),
            comment(&count("rust")),
            line = rs.use_item.line,
        ));
    }
    out
}

fn comment(count: &str) -> String {
    if count.is_empty() {
        String::new()
    } else {
        format!("   #{count}")
    }
}

/// `shush init [DIR] [--pyproject]`.
pub fn run(dir: Option<PathBuf>, pyproject: bool, out: &mut dyn Write) -> miette::Result<i32> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        return Err(miette::miette!("{} is not a directory", dir.display()));
    }
    let found = languages(&dir);
    let io = |path: &Path| {
        let shown = path.display().to_string();
        move |e: std::io::Error| miette::miette!("cannot write {shown}: {e}")
    };
    let path = if pyproject {
        let path = dir.join("pyproject.toml");
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        let parsed: toml::Table = toml::from_str(&old).map_err(|e| {
            miette::miette!("{} does not parse as TOML: {}", path.display(), e.message())
        })?;
        if parsed.get("tool").and_then(|t| t.get("shush")).is_some() {
            return Err(miette::miette!(
                help = "edit the table that is there",
                "{} has a [tool.shush] table already; not changed",
                path.display()
            ));
        }
        let mut new = old.clone();
        if !new.is_empty() && !new.ends_with('\n') {
            new.push('\n');
        }
        if !new.is_empty() {
            new.push('\n');
        }
        new.push_str(&template(&found, Some("tool.shush")));
        if path.exists() {
            crate::fix::write::write_atomic(&path, old.as_bytes(), new.as_bytes())
                .map_err(io(&path))?;
        } else {
            crate::fix::write::write_owned(&path, new.as_bytes(), false).map_err(io(&path))?;
        }
        path
    } else {
        let path = dir.join("shush.toml");
        for other in ["shush.toml", ".shush.toml"] {
            let existing = dir.join(other);
            if existing.exists() {
                return Err(miette::miette!(
                    help = "edit it, or remove it to start afresh",
                    "{} exists already; not overwritten",
                    existing.display()
                ));
            }
        }
        crate::fix::write::write_owned(&path, template(&found, None).as_bytes(), false)
            .map_err(io(&path))?;
        path
    };
    let langs: Vec<String> = found.iter().map(|(l, n)| format!("{l} ({n})")).collect();
    let langs = if langs.is_empty() {
        "no Python, TypeScript or Rust files".to_string()
    } else {
        langs.join(", ")
    };
    writeln!(
        out,
        "Wrote {} for {langs}. Set the loader import of each language in it before `shush check --fix`.",
        path.display()
    )
    .map_err(|e| miette::miette!("{e}"))?;
    Ok(exit::CLEAN)
}
