//! Which config applies to each file: the nearest `shush.toml`, `.shush.toml` or
//! `[tool.shush]` above it wins, as in ruff, and its `[[overrides]]` that match the
//! path are laid over it. `--config FILE` makes one file apply everywhere. Reads only
//! config files; never the files being scanned.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::nearest::Nearest;
use super::{Config, ConfigError, ConfigFile, EnvScope, config_in};
use crate::detect::Confidence;

/// Settings from the command line, which win over every config file.
#[derive(Debug, Clone, Copy, Default)]
pub struct CliOverrides {
    pub env_scope: Option<EnvScope>,
    pub min_confidence: Option<Confidence>,
}

impl CliOverrides {
    pub fn apply(&self, config: &mut Config) {
        if let Some(scope) = self.env_scope {
            config.env.scope = scope;
        }
        if let Some(confidence) = self.min_confidence {
            config.min_confidence = confidence;
        }
    }
}

/// The config of a file, named: the file it came from (none for the defaults) and the
/// overrides laid over it. Files with the same id share one resolved config.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConfigId {
    pub file: Option<PathBuf>,
    pub overrides: Vec<usize>,
}

/// A config file found in the tree, with the matcher of its `exclude`.
#[derive(Debug)]
struct Found {
    file: ConfigFile,
    excludes: Option<Gitignore>,
}

/// The config files of a scan, found as the directories are met and kept.
#[derive(Debug)]
pub struct ConfigTree {
    /// `--config FILE`: it applies to every file.
    fixed: Option<Arc<Found>>,
    /// The nearest config file of each directory looked at (`None`: defaults).
    dirs: Nearest<Option<Arc<Found>>>,
    /// Config files that could not be used, with the first error of each.
    errors: Mutex<Vec<(PathBuf, ConfigError)>>,
    pub cli: CliOverrides,
}

impl ConfigTree {
    /// A tree whose files are found by walking up from each scanned file.
    pub fn discover(cli: CliOverrides) -> ConfigTree {
        ConfigTree {
            fixed: None,
            dirs: Nearest::new(),
            errors: Mutex::new(Vec::new()),
            cli,
        }
    }

    /// A tree where `file` (`--config`) applies everywhere.
    pub fn fixed(file: ConfigFile, cli: CliOverrides) -> ConfigTree {
        ConfigTree {
            fixed: Some(Arc::new(Found::new(file))),
            ..ConfigTree::discover(cli)
        }
    }

    /// The config of `path` (an absolute file path), named and not yet resolved.
    pub fn lookup(&self, path: &Path) -> Lookup {
        let found = self.found_for(path.parent().unwrap_or(path));
        let overrides = match &found {
            Some(f) if f.file.has_overrides() => f.file.matching(path),
            _ => Vec::new(),
        };
        Lookup {
            id: ConfigId {
                file: found.as_ref().map(|f| f.file.path.clone()),
                overrides,
            },
            found,
        }
    }

    /// The config a [`Lookup`] names, with the command line's settings.
    pub fn resolve(&self, lookup: &Lookup) -> Config {
        let mut config = match &lookup.found {
            None => Config::default(),
            Some(f) => match f.file.resolve(&lookup.id.overrides) {
                Ok(c) => c,
                // Each override was checked alone when the file was loaded; a
                // combination that fails falls back to the file's own settings.
                Err(e) => {
                    self.error(f.file.path.clone(), e);
                    f.file.config.clone()
                }
            },
        };
        self.cli.apply(&mut config);
        config
    }

    /// Whether the `exclude` of the config nearest `path` skips it.
    pub fn excluded(&self, path: &Path, is_dir: bool) -> bool {
        // A directory is excluded (or not) by the config above it, like a file.
        self.found_for(path.parent().unwrap_or(path))
            .is_some_and(|f| {
                f.excludes.as_ref().is_some_and(|gi| {
                    path.starts_with(gi.path())
                        && gi.matched_path_or_any_parents(path, is_dir).is_ignore()
                })
            })
    }

    /// Config files that could not be used, sorted by path.
    pub fn take_errors(&self) -> Vec<(PathBuf, ConfigError)> {
        let mut errors = std::mem::take(&mut *self.errors.lock().expect("not poisoned"));
        errors.sort_by(|a, b| a.0.cmp(&b.0));
        errors
    }

    fn error(&self, path: PathBuf, e: ConfigError) {
        let mut errors = self.errors.lock().expect("not poisoned");
        if !errors.iter().any(|(p, _)| *p == path) {
            errors.push((path, e));
        }
    }

    /// The nearest config file at or above `dir`, kept for every directory on the way.
    fn found_for(&self, dir: &Path) -> Option<Arc<Found>> {
        if let Some(fixed) = &self.fixed {
            return Some(fixed.clone());
        }
        let read = |d: &Path| match config_in(d) {
            Ok(Some(path)) => Some(match ConfigFile::load(&path) {
                Ok(file) => Some(Arc::new(Found::new(file))),
                Err(e) => {
                    self.error(path, e);
                    None
                }
            }),
            Ok(None) => None,
            Err(e) => {
                self.error(d.to_path_buf(), e);
                Some(None)
            }
        };
        self.dirs.get(dir, read, || None)
    }
}

/// Which config applies to a file, found but not yet resolved.
#[derive(Debug)]
pub struct Lookup {
    pub id: ConfigId,
    found: Option<Arc<Found>>,
}

impl Found {
    fn new(file: ConfigFile) -> Found {
        let excludes = excludes(&file.config);
        Found { file, excludes }
    }
}

/// The config's `exclude` globs, rooted at the directory of the file that set them.
pub fn excludes(config: &Config) -> Option<Gitignore> {
    if config.exclude.is_empty() {
        return None;
    }
    let root = config
        .exclude_root
        .clone()
        .or_else(|| {
            config
                .path
                .as_ref()
                .and_then(|p| p.parent())
                .map(Path::to_path_buf)
        })
        .or_else(|| std::env::current_dir().ok())?;
    let root = std::path::absolute(&root).unwrap_or(root);
    let mut builder = GitignoreBuilder::new(&root);
    for pattern in &config.exclude {
        // Patterns were accepted by the config; a bad glob matches nothing.
        let _ = builder.add_line(None, pattern);
    }
    builder.build().ok()
}
