//! The rustfmt settings that decide where a `use` item goes and how a use tree is laid
//! out, for one file: read from the `.rustfmt.toml` / `rustfmt.toml` rustfmt itself
//! would use (the nearest one, walking up from the file's directory) and the edition of
//! the crate the file is in (its `Cargo.toml`, which `cargo fmt` passes to rustfmt).
//! Parsed once per directory and cached; reads those files, never writes any.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::usetree::{Layout, SharedPrefix};

/// rustfmt's `group_imports`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupImports {
    /// Groups are the runs of `use` items between blank lines, as written.
    Preserve,
    /// std/core/alloc, then other crates, then `self`/`super`/`crate`.
    StdExternalCrate,
    /// One group.
    One,
}

/// The settings shush follows when it adds or edits a `use` item.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `reorder_imports` (default true): `use` items are kept sorted.
    pub reorder_imports: bool,
    pub group_imports: GroupImports,
    /// `imports_granularity` = `Crate`, `Module` or `One` (`Preserve` and `Item` add
    /// an item of their own, as shush does anyway).
    pub merge: Option<SharedPrefix>,
    /// Style edition 2024 or later (`style_edition`, `version = "Two"`, or the
    /// edition): names are version-sorted.
    pub version_sort: bool,
    /// How use trees are laid out; `None` when an option shush does not model is set
    /// (hard tabs, another `imports_layout`, …): then no tree is laid out afresh.
    pub layout: Option<Layout>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::from_toml("", None)
    }
}

impl Settings {
    /// The settings of a `rustfmt.toml` text, for a crate of `edition` (from Cargo.toml;
    /// `cargo fmt` passes it on the command line, where it beats the file's `edition`).
    pub fn from_toml(text: &str, edition: Option<u32>) -> Settings {
        let table: toml::Table = toml::from_str(text).unwrap_or_default();
        let str_of = |k: &str| table.get(k).and_then(|v| v.as_str());
        let bool_of = |k: &str| table.get(k).and_then(|v| v.as_bool());
        let int_of = |k: &str| {
            table
                .get(k)
                .and_then(|v| v.as_integer())
                .and_then(|i| usize::try_from(i).ok())
        };
        let year = |s: &str| s.parse::<u32>().ok();
        // rustfmt's precedence: `style_edition`, then the legacy `version`, then the
        // edition (command line first, then the file).
        let style_edition = match (str_of("style_edition"), str_of("version")) {
            (Some(se), _) => year(se).unwrap_or(2015),
            (None, Some("Two")) => 2024,
            (None, Some(_)) => 2015,
            (None, None) => edition
                .or_else(|| str_of("edition").and_then(year))
                .unwrap_or(2015),
        };
        let merge = match str_of("imports_granularity") {
            Some("Crate") => Some(SharedPrefix::Crate),
            Some("Module") => Some(SharedPrefix::Module),
            Some("One") => Some(SharedPrefix::One),
            Some(_) => None,
            // The deprecated spelling of `imports_granularity = "Crate"`.
            None => bool_of("merge_imports")
                .unwrap_or(false)
                .then_some(SharedPrefix::Crate),
        };
        let group_imports = match str_of("group_imports") {
            Some("StdExternalCrate") => GroupImports::StdExternalCrate,
            Some("One") => GroupImports::One,
            _ => GroupImports::Preserve,
        };
        let modelled = !bool_of("hard_tabs").unwrap_or(false)
            && str_of("imports_layout").is_none_or(|v| v == "Mixed")
            && str_of("imports_indent").is_none_or(|v| v == "Block")
            && str_of("trailing_comma").is_none_or(|v| v == "Vertical")
            && !bool_of("disable_all_formatting").unwrap_or(false);
        let version_sort = style_edition >= 2024;
        let max_width = int_of("max_width").unwrap_or(100);
        // rustfmt's width heuristics: `Default` scales 70% of 100 columns up with a
        // wider `max_width` (to the nearest tenth), `Max` is `max_width`, `Off` none.
        let attr_width =
            int_of("attr_fn_like_width").unwrap_or(match str_of("use_small_heuristics") {
                Some("Max") => max_width,
                Some("Off") => usize::MAX,
                _ => {
                    let ratio = if max_width > 100 {
                        (max_width as f64 / 10.0).round() / 10.0
                    } else {
                        1.0
                    };
                    (70.0 * ratio).round() as usize
                }
            });
        Settings {
            reorder_imports: bool_of("reorder_imports").unwrap_or(true)
                && !bool_of("disable_all_formatting").unwrap_or(false),
            group_imports,
            merge,
            version_sort,
            layout: modelled.then(|| Layout {
                max_width,
                tab_spaces: int_of("tab_spaces").unwrap_or(4),
                attr_width,
            }),
        }
    }
}

/// The settings for the file at `path` (relative to the working directory, or
/// absolute). A path that is not a file (a rule pack's example, stdin without a file
/// name) gets rustfmt's defaults.
pub fn settings_for(path: &Path) -> Arc<Settings> {
    // A text that is no file of a tree (a rule pack's example) follows no tree's config.
    if !path.is_file() {
        return Arc::new(Settings::default());
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = match dir {
        Some(d) => d.canonicalize(),
        None => Path::new(".").canonicalize(),
    };
    let Ok(dir) = dir else {
        return Arc::new(Settings::default());
    };
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Settings>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(s) = cache.lock().map_or(None, |c| c.get(&dir).cloned()) {
        return s;
    }
    let edition = crate_edition(&dir);
    let text = config_file(&dir)
        .and_then(|f| std::fs::read_to_string(f).ok())
        .unwrap_or_default();
    let settings = Arc::new(Settings::from_toml(&text, edition));
    if let Ok(mut c) = cache.lock() {
        c.insert(dir, settings.clone());
    }
    settings
}

/// The rustfmt config file rustfmt picks for files in `dir`: `.rustfmt.toml` before
/// `rustfmt.toml`, in `dir` or the nearest ancestor that has one. (rustfmt then looks
/// in the user's home and config directories; a project's layout should not depend
/// on them, and shush does not read them.)
fn config_file(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .flat_map(|d| [d.join(".rustfmt.toml"), d.join("rustfmt.toml")])
        .find(|f| f.is_file())
}

/// The edition of the package whose `Cargo.toml` is nearest above `dir` (2015 when it
/// names none; the workspace's with `edition.workspace = true`); `None` outside any
/// package.
fn crate_edition(dir: &Path) -> Option<u32> {
    let mut ancestors = dir.ancestors();
    for d in ancestors.by_ref() {
        let Some(manifest) = read_manifest(&d.join("Cargo.toml")) else {
            continue;
        };
        let Some(package) = manifest.get("package").and_then(|p| p.as_table()) else {
            continue;
        };
        let edition = package.get("edition");
        if let Some(e) = edition.and_then(|e| e.as_str()) {
            return e.parse().ok();
        }
        let inherited = edition
            .and_then(|e| e.get("workspace"))
            .and_then(|w| w.as_bool())
            .unwrap_or(false);
        if !inherited {
            return Some(2015);
        }
        // The workspace root may be this manifest or one further up.
        let root = std::iter::once(manifest)
            .chain(ancestors.filter_map(|a| read_manifest(&a.join("Cargo.toml"))))
            .find(|m| m.contains_key("workspace"))?;
        return root
            .get("workspace")
            .and_then(|w| w.get("package"))
            .and_then(|p| p.get("edition"))
            .and_then(|e| e.as_str())
            .and_then(|e| e.parse().ok());
    }
    None
}

fn read_manifest(path: &Path) -> Option<toml::Table> {
    toml::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_edition_precedence() {
        let v = |text: &str, edition| Settings::from_toml(text, edition).version_sort;
        assert!(!v("", None));
        assert!(v("", Some(2024)));
        assert!(!v("edition = \"2024\"", Some(2021)));
        assert!(v("edition = \"2024\"", None));
        assert!(v("style_edition = \"2024\"", Some(2021)));
        assert!(!v("style_edition = \"2021\"", Some(2024)));
        assert!(v("version = \"Two\"", Some(2021)));
    }

    #[test]
    fn options_shush_does_not_lay_out() {
        assert!(Settings::from_toml("max_width = 80", None).layout.is_some());
        assert!(
            Settings::from_toml("hard_tabs = true", None)
                .layout
                .is_none()
        );
        assert!(
            Settings::from_toml("imports_layout = \"Vertical\"", None)
                .layout
                .is_none()
        );
        let s = Settings::from_toml("merge_imports = true\nreorder_imports = false", None);
        assert_eq!(s.merge, Some(SharedPrefix::Crate));
        assert!(!s.reorder_imports);
    }

    #[test]
    fn workspace_edition_is_inherited() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"a\"]\n[workspace.package]\nedition = \"2024\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("a/src")).unwrap();
        std::fs::write(
            root.join("a/Cargo.toml"),
            "[package]\nname = \"a\"\nedition.workspace = true\n",
        )
        .unwrap();
        assert_eq!(crate_edition(&root.join("a/src")), Some(2024));
        std::fs::write(root.join("a/Cargo.toml"), "[package]\nname = \"a\"\n").unwrap();
        assert_eq!(crate_edition(&root.join("a/src")), Some(2015));
    }
}
