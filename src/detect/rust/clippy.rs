//! What clippy disallows for one file: the `disallowed-methods`, `disallowed-macros` and
//! `disallowed-types` paths of the `clippy.toml` / `.clippy.toml` clippy would read (the
//! nearest one, walking up from the crate's manifest directory). Parsed once per
//! directory and cached; reads those files, never writes any.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The paths clippy's `disallowed_*` lints fire on; `None` for a list the config does
/// not set (or when there is no config): then the lint fires on nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Disallowed {
    pub methods: Option<Vec<String>>,
    pub macros: Option<Vec<String>>,
    pub types: Option<Vec<String>>,
}

impl Disallowed {
    /// The lists of a `clippy.toml` text. An entry is a path or a table with a `path`.
    pub fn from_toml(text: &str) -> Disallowed {
        let table: toml::Table = toml::from_str(text).unwrap_or_default();
        let list = |key: &str| {
            let entries = table.get(key)?.as_array()?;
            let paths = entries.iter().filter_map(|e| match e {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Table(t) => t.get("path")?.as_str().map(str::to_string),
                _ => None,
            });
            Some(
                paths
                    .map(|p| p.trim_start_matches("::").to_string())
                    .collect(),
            )
        };
        Disallowed {
            methods: list("disallowed-methods"),
            macros: list("disallowed-macros"),
            types: list("disallowed-types"),
        }
    }
}

/// The disallowed paths for the file at `path`; none when no clippy config is found or
/// the path is not a file (a rule pack's example).
pub fn disallowed_for(path: &Path) -> Arc<Disallowed> {
    if !path.is_file() {
        return Arc::default();
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let Ok(dir) = dir.unwrap_or(Path::new(".")).canonicalize() else {
        return Arc::default();
    };
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Disallowed>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(d) = cache.lock().map_or(None, |c| c.get(&dir).cloned()) {
        return d;
    }
    // clippy starts at the crate's manifest directory (CARGO_MANIFEST_DIR) and walks up.
    let root = dir
        .ancestors()
        .find(|d| d.join("Cargo.toml").is_file())
        .unwrap_or(&dir);
    let config = root
        .ancestors()
        .flat_map(|d| [d.join("clippy.toml"), d.join(".clippy.toml")])
        .find(|f| f.is_file());
    let text = config
        .and_then(|f| std::fs::read_to_string(f).ok())
        .unwrap_or_default();
    let disallowed = Arc::new(Disallowed::from_toml(&text));
    if let Ok(mut c) = cache.lock() {
        c.insert(dir, disallowed.clone());
    }
    disallowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_paths_or_tables() {
        let d = Disallowed::from_toml(
            "disallowed-methods = [\"std::env::var\", { path = \"::std::env::var_os\", reason = \"x\" }]\n",
        );
        assert_eq!(
            d.methods,
            Some(vec!["std::env::var".into(), "std::env::var_os".into()])
        );
        assert_eq!(d.macros, None);
    }
}
