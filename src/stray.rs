//! The run-level pass for stray .env files: which scanned (or git-tracked, or ignored)
//! files are .env files, their state in git, what they hold, the findings, and the
//! `.gitignore` lines that fix them. Writes only `.gitignore` files, and only when asked
//! to fix; never edits or deletes a .env file, and never shows a value of one.
//!
//! What a tracked or unignored file holds sets the severity: an error when a secret rule
//! matches in it or a secret-looking name has a real-looking value, a warning when it
//! holds only settings that are not secrets (`COMPOSE_PROJECT_NAME=paperless`) or only
//! empty and placeholder values (a template with defaults).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::Config;
use crate::config::IgnoredDotenv;
use crate::detect::dotenv::{self, GitView, State};
use crate::detect::{Applicability, Finding, Fix, Severity};
use crate::walk::Entry;

/// One .env file and what to do about it.
#[derive(Debug, Clone)]
pub struct Stray {
    /// Absolute path.
    pub path: PathBuf,
    pub state: State,
    /// The `.gitignore` that should list it, and the line to add.
    pub gitignore: PathBuf,
    pub entry: String,
    /// The `.gitignore` has the line already.
    pub listed: bool,
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// Finds the .env files under `roots` (absolute) among `entries`. Tracked .env files
/// that an ignore file hid from the walk are added to `entries`, and returned, so their
/// contents are scanned too.
/// With `sweep`, also the .env files git ignores and tracked ones the walk did not see
/// (off for `--staged`, which looks at the staged files only).
pub fn find(
    roots: &[PathBuf],
    entries: &mut Vec<Entry>,
    config: &Config,
    sweep: bool,
) -> (Vec<Stray>, Vec<Entry>) {
    let exempt = &config.dotenv.extend_exempt;
    let mut added: Vec<Entry> = Vec::new();
    let mut views: Vec<GitView> = Vec::new();
    for root in roots {
        let dir = if root.is_dir() {
            root.as_path()
        } else {
            root.parent().unwrap_or(root)
        };
        if views.iter().any(|v| dir.starts_with(&v.top)) {
            continue;
        }
        views.extend(dotenv::git_view(dir));
    }
    let under_roots = |p: &Path| roots.iter().any(|r| p.starts_with(r));
    for view in views.iter().filter(|_| sweep) {
        for tracked in &view.tracked {
            let known = entries.iter().chain(&added).any(|e| &e.path == tracked);
            if !known
                && under_roots(tracked)
                && tracked.is_file()
                && dotenv::is_dotenv(file_name(tracked), exempt)
            {
                added.push(Entry {
                    path: tracked.clone(),
                    explicit: false,
                });
            }
        }
    }
    entries.extend(added.iter().cloned());
    crate::walk::sort(entries);
    let view_of = |p: &Path| views.iter().find(|v| p.starts_with(&v.top));
    let place = |p: &Path| -> (PathBuf, String) {
        let top = match view_of(p) {
            Some(v) => v.top.clone(),
            None => roots
                .iter()
                .find(|r| p.starts_with(r) && r.is_dir())
                .cloned()
                .unwrap_or_else(|| p.parent().unwrap_or(p).to_path_buf()),
        };
        (top.join(".gitignore"), dotenv::gitignore_entry(&top, p))
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for entry in entries.iter() {
        if !dotenv::is_dotenv(file_name(&entry.path), exempt) {
            continue;
        }
        let view = view_of(&entry.path);
        let state = match view {
            Some(v) if v.tracked.contains(&entry.path) => State::Tracked,
            Some(v) if v.ignored.contains(&entry.path) => State::Ignored,
            _ => State::NotIgnored,
        };
        if state == State::Ignored && config.dotenv.ignored == IgnoredDotenv::Off {
            continue;
        }
        seen.insert(entry.path.clone());
        let (gitignore, line) = place(&entry.path);
        out.push(Stray {
            path: entry.path.clone(),
            state,
            listed: listed(&gitignore, &line),
            gitignore,
            entry: line,
        });
    }
    if sweep && config.dotenv.ignored == IgnoredDotenv::Warning {
        for view in &views {
            for ignored in &view.ignored {
                if seen.contains(ignored)
                    || !under_roots(ignored)
                    || !dotenv::is_dotenv(file_name(ignored), exempt)
                {
                    continue;
                }
                let (gitignore, line) = place(ignored);
                out.push(Stray {
                    path: ignored.clone(),
                    state: State::Ignored,
                    listed: listed(&gitignore, &line),
                    gitignore,
                    entry: line,
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    (out, added)
}

fn listed(gitignore: &Path, line: &str) -> bool {
    std::fs::read_to_string(gitignore).is_ok_and(|t| t.lines().any(|l| l.trim() == line))
}

/// What a .env file holds, judged name by name (values are never kept).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Content {
    /// Secret-looking names with a real-looking value, in file order.
    pub secrets: Vec<String>,
    /// Other names with a value: settings.
    pub settings: usize,
    /// Names with no value, or a placeholder or a reference to another variable.
    pub empty: usize,
    /// A secret rule matched in the file.
    pub secret_finding: bool,
}

impl Content {
    /// Reads `KEY=value` lines (`export KEY=value`, quoted values, comments), as dotenv
    /// loaders and Docker Compose's `env_file` read them.
    pub fn assess(text: &str, env: &crate::config::EnvConfig) -> Content {
        let mut content = Content::default();
        for line in text.lines() {
            let line = line.trim();
            let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((name, value)) = line.split_once('=') else {
                continue;
            };
            let name = name.trim();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            {
                continue;
            }
            let value = unquote(value.trim());
            if is_unset(value) {
                content.empty += 1;
            } else if real_looking(value) && crate::detect::env::looks_secret(name, env) {
                content.secrets.push(name.to_string());
            } else {
                content.settings += 1;
            }
        }
        content
    }

    /// A secret in it: the finding is an error.
    pub fn holds_secrets(&self) -> bool {
        self.secret_finding || !self.secrets.is_empty()
    }
}

/// A value as a dotenv loader gives it: quotes off, an unquoted ` # comment` off.
fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(rest) = value.strip_prefix(q) {
            return rest.find(q).map_or(rest, |end| &rest[..end]);
        }
    }
    value.split(" #").next().unwrap_or(value).trim()
}

/// Empty, a placeholder (`changeme`, `<token>`, `your-key-here`) or a reference to
/// another variable (`${DB_PASSWORD}`, `$HOME`): a template's slot, not a value.
fn is_unset(value: &str) -> bool {
    use crate::detect::secrets::value;
    value.is_empty()
        || value.starts_with('$')
        || value::is_template(value)
        || value::is_placeholder(value)
        || crate::detect::secrets::is_placeholder(value)
}

/// Could be a secret: not a bare flag or number.
fn real_looking(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let flag = ["true", "false", "yes", "no", "on", "off", "null", "none"];
    !(flag.contains(&lower.as_str()) || value.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The finding for a stray .env file, shown as `shown`; `gitignore_shown` is how the
/// `.gitignore` path reads in the fix title. `content` is what the file holds, when it
/// was read.
pub fn finding(
    stray: &Stray,
    shown: &Path,
    gitignore_shown: &Path,
    content: Option<&Content>,
) -> Finding {
    let rule = stray.state.rule();
    let shown = shown.display();
    let (message, help) = match stray.state {
        State::Tracked => (
            format!("`{shown}` is tracked by git: every value in it is in the repository history"),
            Some(format!(
                "run `git rm --cached {shown}` to stop tracking it, and rotate every secret it held"
            )),
        ),
        State::NotIgnored => (
            format!("`{shown}` is not ignored by git: `git add .` would commit its values"),
            None,
        ),
        State::Ignored => (
            format!("`{shown}` holds environment values on disk (git ignores it)"),
            Some(
                "move its values into the secret store and load them through the config loader"
                    .to_string(),
            ),
        ),
    };
    let fix = (stray.state != State::Ignored && !stray.listed).then(|| Fix {
        title: format!("Add `{}` to {}", stray.entry, gitignore_shown.display()),
        applicability: Applicability::Safe,
        edits: Vec::new(),
        needs_import: false,
        gitignore: Some((stray.gitignore.clone(), stray.entry.clone())),
        imports: Vec::new(),
    });
    // Tracked or unignored: an error only when it holds a secret.
    let (severity, message, help) = match content {
        Some(c) if stray.state != State::Ignored && !c.holds_secrets() => {
            let what = if c.settings > 0 {
                format!(
                    "it holds no secret-looking value ({} setting(s), {} empty or placeholder)",
                    c.settings, c.empty
                )
            } else {
                "it holds only empty or placeholder values".to_string()
            };
            let help = match stray.state {
                State::Tracked => format!(
                    "if its values are not meant to be shared, run `git rm --cached {shown}`; a template reads clearer as `{shown}.example`"
                ),
                _ => "ignore it if its values are this machine's own".to_string(),
            };
            (Severity::Warning, format!("{message}; {what}"), Some(help))
        }
        Some(c) if stray.state != State::Ignored => {
            let names = if c.secrets.is_empty() {
                "a value that a secret rule matches".to_string()
            } else {
                let shown: Vec<String> =
                    c.secrets.iter().take(5).map(|n| format!("`{n}`")).collect();
                let more = c.secrets.len().saturating_sub(5);
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!("secret-looking values: {}{more}", shown.join(", "))
            };
            (rule.severity, format!("{message}; it holds {names}"), help)
        }
        _ => (rule.severity, message, help),
    };
    Finding {
        rule: rule.id.as_str(),
        severity,
        span: 0..0,
        message,
        env_name: None,
        config_key: None,
        fix,
        no_fix_reason: None,
        help,
        secret: None,
        has_default: false,
        role: None,
    }
}

/// The `.gitignore` files to change, with their new text (`None`: the file is new).
pub struct GitignoreChange {
    pub path: PathBuf,
    pub old: Option<String>,
    pub new: String,
}

/// What adding the entries of `strays` (tracked and unignored ones) does to each
/// `.gitignore`.
pub fn gitignore_changes(strays: &[Stray]) -> Vec<GitignoreChange> {
    let mut wanted: BTreeMap<&Path, Vec<String>> = BTreeMap::new();
    for s in strays
        .iter()
        .filter(|s| s.state != State::Ignored && !s.listed)
    {
        wanted
            .entry(&s.gitignore)
            .or_default()
            .push(s.entry.clone());
    }
    wanted
        .into_iter()
        .filter_map(|(path, entries)| {
            let old = std::fs::read_to_string(path).ok();
            let new = dotenv::append_entries(old.as_deref().unwrap_or(""), &entries)?;
            Some(GitignoreChange {
                path: path.to_path_buf(),
                old,
                new,
            })
        })
        .collect()
}

/// Writes one change atomically (a new file is created the same way).
pub fn write(change: &GitignoreChange) -> std::io::Result<()> {
    match &change.old {
        Some(old) => {
            crate::fix::write::write_atomic(&change.path, old.as_bytes(), change.new.as_bytes())
        }
        None => crate::fix::write::write_owned(&change.path, change.new.as_bytes(), false),
    }
}
