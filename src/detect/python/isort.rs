//! The import-sorting settings that govern a Python file: the nearest ruff or isort
//! configuration above it, read the way those tools read it, cached per directory, and
//! the section each imported module belongs to. Reads config files and probes the
//! project's directories for packages; never writes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::stdlib;
use crate::config::nearest::Nearest;

/// Which sorter's rules apply: they agree on most things but differ in how
/// `force-sort-within-sections` compares and in the blank line before comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Ruff,
    Isort,
}

/// An import section, in isort's sense.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    Future,
    Stdlib,
    ThirdParty,
    FirstParty,
    LocalFolder,
    /// A user-defined section (ruff `[sections]`, isort `known_<name>`), lowercased.
    Named(String),
}

/// How a from-import too long for one line is wrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrap {
    /// One name a line inside parentheses (ruff; isort `multi_line_output = 3`).
    Vertical,
    /// isort's default grid: names fill each line, aligned under the first.
    Grid,
}

/// Known modules are matched before the standard library (ruff and isort both), and the
/// standard library itself is a known set in isort.
#[derive(Clone, Debug)]
enum Known {
    Pattern(String, Section),
    /// isort: the standard library sits among the known patterns, in section order.
    Stdlib,
}

/// The settings of one project that decide where an import goes.
#[derive(Clone, Debug)]
pub struct Settings {
    pub tool: Tool,
    /// The config file they come from; `None` for the defaults.
    pub origin: Option<PathBuf>,
    /// Roots in which a top-level package makes a module first-party.
    src: Vec<PathBuf>,
    known: Vec<Known>,
    /// isort replaces its standard-library list by `known_standard_library`.
    stdlib_replaced: bool,
    pub section_order: Vec<Section>,
    pub no_lines_before: Vec<Section>,
    default_section: Section,
    no_sections: bool,
    /// Python 3 minor version for the standard-library list (`None`: any Python 3).
    python_minor: Option<u8>,
    pub detect_same_package: bool,
    pub force_sort_within_sections: bool,
    pub force_single_line: bool,
    pub single_line_exclusions: Vec<String>,
    pub case_sensitive: bool,
    pub order_by_type: bool,
    pub from_first: bool,
    pub combine_as: bool,
    pub lexicographical: bool,
    pub group_by_package: bool,
    pub force_to_top: Vec<String>,
    pub length_sort: bool,
    pub lines_between_types: usize,
    pub lines_between_sections: usize,
    pub line_length: usize,
    pub wrap: Wrap,
    pub include_trailing_comma: bool,
    pub split_on_trailing_comma: bool,
    /// A comment above an import (not the first of its section) needs a blank line
    /// before it: ruff always, isort with `ensure_newline_before_comments`.
    pub newline_before_comments: bool,
    pub constants: Vec<String>,
    pub classes: Vec<String>,
    pub variables: Vec<String>,
}

impl Settings {
    fn ruff_defaults(root: &Path) -> Settings {
        Settings {
            tool: Tool::Ruff,
            origin: None,
            src: vec![root.to_path_buf(), root.join("src")],
            known: Vec::new(),
            stdlib_replaced: false,
            section_order: default_order(),
            no_lines_before: Vec::new(),
            default_section: Section::ThirdParty,
            no_sections: false,
            // ruff 0.14's default target version.
            python_minor: Some(10),
            detect_same_package: true,
            force_sort_within_sections: false,
            force_single_line: false,
            single_line_exclusions: Vec::new(),
            case_sensitive: false,
            order_by_type: true,
            from_first: false,
            combine_as: false,
            lexicographical: false,
            group_by_package: false,
            force_to_top: Vec::new(),
            length_sort: false,
            lines_between_types: 0,
            lines_between_sections: 1,
            line_length: 88,
            wrap: Wrap::Vertical,
            include_trailing_comma: true,
            split_on_trailing_comma: true,
            newline_before_comments: true,
            constants: Vec::new(),
            classes: Vec::new(),
            variables: Vec::new(),
        }
    }

    fn isort_defaults(root: &Path) -> Settings {
        Settings {
            tool: Tool::Isort,
            src: vec![root.join("src"), root.to_path_buf()],
            known: vec![Known::Stdlib],
            python_minor: None,
            detect_same_package: false,
            line_length: 79,
            wrap: Wrap::Grid,
            include_trailing_comma: false,
            split_on_trailing_comma: false,
            newline_before_comments: false,
            ..Settings::ruff_defaults(root)
        }
    }

    /// The settings of a project without configuration: ruff's defaults, which sort
    /// into the same sections and order as isort's (a merged from-import wraps at 88
    /// columns, as ruff and black write it, where bare isort would wrap at 79). The
    /// project root is the working directory, as both tools take it.
    pub fn defaults() -> Settings {
        let root = std::env::current_dir().unwrap_or_default();
        Settings::ruff_defaults(&root)
    }

    /// The section of an imported module (`level`: leading dots of a relative import),
    /// as the tool classifies it; `package` is the name of the top-level package that
    /// holds the file (ruff's same-package rule).
    pub fn section_of(&self, module: &str, level: usize, package: Option<&str>) -> Section {
        let base = module.split('.').next().unwrap_or(module);
        let found = if level == 0 && base == "__future__" {
            Section::Future
        } else if self.no_sections {
            Section::FirstParty
        } else if level > 0 {
            Section::LocalFolder
        } else if let Some(section) = self.known_section(module) {
            section
        } else if self.tool == Tool::Ruff && stdlib::contains(base, self.minor()) {
            Section::Stdlib
        } else if (self.detect_same_package && package == Some(base))
            || self.in_src(module)
            || module == "__main__"
        {
            // The file's own package, a package in a source root, or `__main__`.
            Section::FirstParty
        } else {
            self.default_section.clone()
        };
        if self.section_order.contains(&found) {
            found
        } else {
            self.default_section.clone()
        }
    }

    fn minor(&self) -> u8 {
        self.python_minor.unwrap_or(u8::MAX)
    }

    fn is_stdlib(&self, base: &str) -> bool {
        match self.python_minor {
            Some(minor) => stdlib::contains(base, minor),
            None => (8..=14).any(|minor| stdlib::contains(base, minor)),
        }
    }

    /// Known modules are checked from the longest prefix of the name to the shortest
    /// (`a.b.c`, `a.b`, `a`), the first matching pattern deciding.
    fn known_section(&self, module: &str) -> Option<Section> {
        let mut prefix = module;
        loop {
            for known in &self.known {
                match known {
                    Known::Pattern(pattern, section) if glob_match(pattern, prefix) => {
                        return Some(section.clone());
                    }
                    Known::Stdlib
                        if !self.stdlib_replaced
                            && !prefix.contains('.')
                            && self.is_stdlib(prefix) =>
                    {
                        return Some(Section::Stdlib);
                    }
                    _ => {}
                }
            }
            match prefix.rfind('.') {
                Some(dot) => prefix = &prefix[..dot],
                None => return None,
            }
        }
    }

    /// Whether the module is a package or module in one of the source roots: ruff looks
    /// for the whole dotted path, isort for the top-level name (descending into
    /// namespace packages).
    fn in_src(&self, module: &str) -> bool {
        let parts: Vec<&str> = module.split('.').collect();
        self.src.iter().any(|root| match self.tool {
            Tool::Ruff => {
                let path: PathBuf = parts.iter().collect();
                let candidate = root.join(path);
                candidate.is_dir()
                    || candidate.with_extension("py").is_file()
                    || candidate.with_extension("pyi").is_file()
            }
            Tool::Isort => isort_src_match(root, &parts),
        })
    }
}

fn isort_src_match(root: &Path, parts: &[&str]) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return false;
    };
    let path = root.join(first);
    if !rest.is_empty() && is_namespace_dir(&path) {
        return isort_src_match(&path, rest);
    }
    path.is_dir()
        || path.with_extension("py").is_file()
        || root.file_name().is_some_and(|n| n == *first) && root.join("__init__.py").is_file()
}

/// A directory without `__init__.py` and without Python files of its own.
fn is_namespace_dir(path: &Path) -> bool {
    path.is_dir()
        && !path.join("__init__.py").exists()
        && std::fs::read_dir(path).is_ok_and(|entries| {
            !entries
                .flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "py"))
        })
}

fn default_order() -> Vec<Section> {
    vec![
        Section::Future,
        Section::Stdlib,
        Section::ThirdParty,
        Section::FirstParty,
        Section::LocalFolder,
    ]
}

/// `*` and `?` globs, as ruff's known-module patterns and isort's known patterns
/// (where `?` is "at most one character").
fn glob_match(pattern: &str, name: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return pattern == name;
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    fn go(p: &[char], n: &[char]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some(('*', rest)) => (0..=n.len()).any(|i| go(rest, &n[i..])),
            Some(('?', rest)) => go(rest, n) || (!n.is_empty() && go(rest, &n[1..])),
            Some((c, rest)) => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    go(&p, &n)
}

// ---------------------------------------------------------------------------------------
// Finding and caching the settings.

/// The settings for a Python file: those of the nearest directory, from the file's own
/// up, whose config file configures ruff or isort (as ruff resolves its settings per
/// file), else the defaults. Parsed once per directory: a repository has thousands of
/// files and a few config files.
pub fn for_file(path: &Path) -> Arc<Settings> {
    static NEAREST: Nearest<Arc<Settings>> = Nearest::new();
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let start = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    NEAREST.get(
        &start,
        |d| read_dir_config(d).map(Arc::new),
        || Arc::new(Settings::defaults()),
    )
}

/// The settings configured in `dir` itself, if one of its files configures a sorter.
/// Within a directory ruff prefers `.ruff.toml`, `ruff.toml`, then `pyproject.toml`;
/// isort reads `.isort.cfg`, `pyproject.toml`, `setup.cfg`, `tox.ini`.
fn read_dir_config(dir: &Path) -> Option<Settings> {
    for name in [".ruff.toml", "ruff.toml"] {
        let path = dir.join(name);
        if let Some(table) = read_toml(&path) {
            let mut s = Settings::ruff_defaults(dir);
            apply_ruff(&mut s, &table, dir, 0);
            s.origin = Some(path);
            return Some(s);
        }
    }
    let pyproject = dir.join("pyproject.toml");
    if let Some(table) = read_toml(&pyproject) {
        let tool = table.get("tool").and_then(|t| t.as_table());
        let ruff = tool.and_then(|t| t.get("ruff")).and_then(|t| t.as_table());
        let isort = tool.and_then(|t| t.get("isort")).and_then(|t| t.as_table());
        // Both configured: ruff sorts when its `I` rules are selected, else isort does.
        let use_ruff = match (ruff, isort) {
            (Some(r), Some(_)) => ruff_selects_isort(r),
            (Some(_), None) => true,
            _ => false,
        };
        if let (true, Some(r)) = (use_ruff, ruff) {
            let mut s = Settings::ruff_defaults(dir);
            if let Some(minor) = requires_python_minor(&table) {
                s.python_minor = Some(minor);
            }
            apply_ruff(&mut s, r, dir, 0);
            s.origin = Some(pyproject);
            return Some(s);
        }
        if let Some(i) = isort {
            let pairs: Vec<(String, IniValue)> = i
                .iter()
                .map(|(k, v)| (k.clone(), IniValue::Toml(v.clone())))
                .collect();
            let mut s = isort_settings(dir, &pairs);
            s.origin = Some(pyproject);
            return Some(s);
        }
    }
    for (name, sections) in [
        (".isort.cfg", &["settings", "isort"][..]),
        ("setup.cfg", &["isort", "tool:isort"][..]),
        ("tox.ini", &["isort", "tool:isort"][..]),
    ] {
        let path = dir.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Some(pairs) = ini_section(&text, sections) {
            let pairs = pairs
                .into_iter()
                .map(|(k, v)| (k, IniValue::Text(v)))
                .collect::<Vec<_>>();
            let mut s = isort_settings(dir, &pairs);
            s.origin = Some(path);
            return Some(s);
        }
    }
    pre_commit_isort(dir)
}

/// A directory with no sorter settings whose pre-commit config runs isort's hook: the
/// project sorts with isort's defaults (and the hook's `--profile`, if it passes one),
/// not ruff's, which differ in small ways (a blank line above a comment).
fn pre_commit_isort(dir: &Path) -> Option<Settings> {
    let path = [".pre-commit-config.yaml", ".pre-commit-config.yml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())?;
    let text = std::fs::read_to_string(&path).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    fn hook_id(l: &str) -> Option<&str> {
        let l = l.trim_start().trim_start_matches('-').trim();
        l.strip_prefix("id:")
            .map(|id| id.trim().trim_matches(['"', '\'']))
    }
    let at = lines.iter().position(|l| hook_id(l) == Some("isort"))?;
    // The hook's own lines, up to the next hook or repository.
    let hook: Vec<&str> = lines[at + 1..]
        .iter()
        .take_while(|l| hook_id(l).is_none() && !l.trim_start().starts_with("- repo:"))
        .copied()
        .collect();
    let words: Vec<String> = hook
        .join(" ")
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '"' | '\''))
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let profile = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| match w.strip_prefix("--profile") {
            Some(rest) if rest.starts_with('=') => Some(rest[1..].to_string()),
            Some("") => words.get(i + 1).cloned(),
            _ => None,
        });
    let pairs: Vec<(String, IniValue)> = profile
        .map(|p| vec![("profile".to_string(), IniValue::Text(p))])
        .unwrap_or_default();
    let mut s = isort_settings(dir, &pairs);
    s.origin = Some(path);
    Some(s)
}

fn read_toml(path: &Path) -> Option<toml::Table> {
    let text = std::fs::read_to_string(path).ok()?;
    text.parse::<toml::Table>().ok()
}

/// Whether a `[tool.ruff]` table selects the isort rules (`I`, `I0…`, `ALL`).
fn ruff_selects_isort(ruff: &toml::Table) -> bool {
    let lint = ruff.get("lint").and_then(|l| l.as_table());
    let lists = ["select", "extend-select"].into_iter().flat_map(|key| {
        [ruff.get(key), lint.and_then(|l| l.get(key))]
            .into_iter()
            .flatten()
    });
    lists
        .filter_map(|v| v.as_array())
        .flatten()
        .filter_map(|v| v.as_str())
        .any(|code| code == "ALL" || (code.starts_with('I') && "I001".starts_with(code)))
}

/// The lowest Python 3 minor version `[project] requires-python` allows (ruff infers
/// its target version from it).
fn requires_python_minor(pyproject: &toml::Table) -> Option<u8> {
    let spec = pyproject.get("project")?.get("requires-python")?.as_str()?;
    spec.split(',')
        .filter_map(|part| {
            let part = part.trim();
            let version = part.trim_start_matches(['>', '=', '~', '^', '!', '<', ' ']);
            if part.starts_with('<') || part.starts_with("!=") {
                return None;
            }
            let mut nums = version.split('.');
            (nums.next()? == "3").then_some(())?;
            nums.next()?.trim_end_matches('*').parse::<u8>().ok()
        })
        .min()
}

/// Applies a ruff config table (a `ruff.toml`, or the `[tool.ruff]` table) over `s`,
/// following `extend` first.
fn apply_ruff(s: &mut Settings, table: &toml::Table, dir: &Path, depth: usize) {
    if let Some(base) = table.get("extend").and_then(|v| v.as_str()) {
        let path = dir.join(base);
        if depth < 8 {
            if let Some(base_table) = read_toml(&path) {
                let base_dir = path.parent().unwrap_or(dir).to_path_buf();
                let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
                let inner = if is_pyproject {
                    base_table
                        .get("tool")
                        .and_then(|t| t.get("ruff"))
                        .and_then(|t| t.as_table())
                        .cloned()
                } else {
                    Some(base_table)
                };
                if let Some(inner) = inner {
                    apply_ruff(s, &inner, &base_dir, depth + 1);
                }
            }
        }
    }
    if let Some(n) = table.get("line-length").and_then(|v| v.as_integer()) {
        s.line_length = usize::try_from(n).unwrap_or(s.line_length);
    }
    if let Some(v) = table.get("target-version").and_then(|v| v.as_str()) {
        if let Some(minor) = v.strip_prefix("py3").and_then(|m| m.parse().ok()) {
            s.python_minor = Some(minor);
        }
    }
    if let Some(src) = table.get("src").and_then(|v| v.as_array()) {
        s.src = src
            .iter()
            .filter_map(|v| v.as_str())
            .map(|p| dir.join(p))
            .collect();
    }
    let lint = table.get("lint").and_then(|l| l.as_table());
    let isort = lint
        .and_then(|l| l.get("isort"))
        .or_else(|| table.get("isort"))
        .and_then(|t| t.as_table());
    if let Some(isort) = isort {
        apply_ruff_isort(s, isort);
    }
}

fn ruff_section(name: &str) -> Section {
    match name {
        "future" => Section::Future,
        "standard-library" => Section::Stdlib,
        "third-party" => Section::ThirdParty,
        "first-party" => Section::FirstParty,
        "local-folder" => Section::LocalFolder,
        other => Section::Named(other.to_lowercase()),
    }
}

fn strings(v: &toml::Value) -> Vec<String> {
    match v {
        toml::Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        toml::Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn apply_ruff_isort(s: &mut Settings, t: &toml::Table) {
    let flag = |key: &str| t.get(key).and_then(|v| v.as_bool());
    let list = |key: &str| t.get(key).map(strings);
    let mut user: Vec<Known> = Vec::new();
    if let Some(sections) = t.get("sections").and_then(|v| v.as_table()) {
        for (name, modules) in sections {
            for m in strings(modules) {
                user.push(Known::Pattern(m, Section::Named(name.to_lowercase())));
            }
        }
    }
    for (key, section) in [
        ("known-first-party", Section::FirstParty),
        ("known-third-party", Section::ThirdParty),
        ("known-local-folder", Section::LocalFolder),
        ("extra-standard-library", Section::Stdlib),
    ] {
        for m in list(key).unwrap_or_default() {
            user.push(Known::Pattern(m, section.clone()));
        }
    }
    if !user.is_empty() {
        s.known = user;
    }
    if let Some(order) = list("section-order") {
        s.section_order = order.iter().map(|n| ruff_section(n)).collect();
        // ruff appends the user-defined sections it was not told where to put.
        if let Some(sections) = t.get("sections").and_then(|v| v.as_table()) {
            for name in sections.keys() {
                let named = Section::Named(name.to_lowercase());
                if !s.section_order.contains(&named) {
                    s.section_order.push(named);
                }
            }
        }
    } else if let Some(sections) = t.get("sections").and_then(|v| v.as_table()) {
        for name in sections.keys() {
            s.section_order.push(Section::Named(name.to_lowercase()));
        }
    }
    if let Some(v) = list("no-lines-before") {
        s.no_lines_before = v.iter().map(|n| ruff_section(n)).collect();
    }
    if let Some(v) = t.get("default-section").and_then(|v| v.as_str()) {
        s.default_section = ruff_section(v);
    }
    let bools: [(&str, &mut bool); 10] = [
        (
            "force-sort-within-sections",
            &mut s.force_sort_within_sections,
        ),
        ("force-single-line", &mut s.force_single_line),
        ("case-sensitive", &mut s.case_sensitive),
        ("order-by-type", &mut s.order_by_type),
        ("from-first", &mut s.from_first),
        ("combine-as-imports", &mut s.combine_as),
        ("no-sections", &mut s.no_sections),
        ("detect-same-package", &mut s.detect_same_package),
        ("split-on-trailing-comma", &mut s.split_on_trailing_comma),
        ("length-sort", &mut s.length_sort),
    ];
    for (key, slot) in bools {
        if let Some(b) = flag(key) {
            *slot = b;
        }
    }
    if let Some(n) = t.get("lines-between-types").and_then(|v| v.as_integer()) {
        s.lines_between_types = usize::try_from(n).unwrap_or(0);
    }
    for (key, slot) in [
        ("force-to-top", &mut s.force_to_top),
        ("single-line-exclusions", &mut s.single_line_exclusions),
        ("constants", &mut s.constants),
        ("classes", &mut s.classes),
        ("variables", &mut s.variables),
    ] {
        if let Some(v) = list(key) {
            *slot = v;
        }
    }
}

// ---------------------------------------------------------------------------------------
// isort.

/// A setting's value as read from TOML or from an INI-style file.
#[derive(Clone, Debug)]
enum IniValue {
    Toml(toml::Value),
    Text(String),
}

impl IniValue {
    fn as_bool(&self) -> Option<bool> {
        match self {
            IniValue::Toml(v) => v.as_bool(),
            IniValue::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "on" => Some(true),
                "false" | "no" | "0" | "off" => Some(false),
                _ => None,
            },
        }
    }

    fn as_int(&self) -> Option<i64> {
        match self {
            IniValue::Toml(v) => v.as_integer().or_else(|| v.as_str()?.trim().parse().ok()),
            IniValue::Text(t) => t.trim().parse().ok(),
        }
    }

    fn as_str(&self) -> Option<String> {
        match self {
            IniValue::Toml(v) => match v {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Integer(i) => Some(i.to_string()),
                _ => None,
            },
            IniValue::Text(t) => Some(t.trim().to_string()),
        }
    }

    /// A list: TOML array, or comma- or newline-separated text.
    fn as_list(&self) -> Vec<String> {
        match self {
            IniValue::Toml(v) => strings(v),
            IniValue::Text(t) => t
                .split([',', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }
}

fn isort_section(name: &str) -> Section {
    match name.trim().to_ascii_uppercase().as_str() {
        "FUTURE" => Section::Future,
        "STDLIB" => Section::Stdlib,
        "THIRDPARTY" => Section::ThirdParty,
        "FIRSTPARTY" => Section::FirstParty,
        "LOCALFOLDER" => Section::LocalFolder,
        _ => Section::Named(name.trim().to_lowercase()),
    }
}

/// isort's documented profiles, reduced to the options that change where an import
/// goes or how a merged from-import is wrapped.
fn profile(name: &str) -> Vec<(&'static str, &'static str)> {
    let black = vec![
        ("multi_line_output", "3"),
        ("include_trailing_comma", "true"),
        ("split_on_trailing_comma", "true"),
        ("ensure_newline_before_comments", "true"),
        ("line_length", "88"),
    ];
    match name {
        "black" => black,
        "django" => vec![
            ("combine_as_imports", "true"),
            ("include_trailing_comma", "true"),
            ("multi_line_output", "5"),
            ("line_length", "79"),
        ],
        "pycharm" => vec![("multi_line_output", "3"), ("lines_after_imports", "2")],
        "google" => vec![
            ("force_single_line", "true"),
            ("force_sort_within_sections", "true"),
            ("lexicographical", "true"),
            ("line_length", "1000"),
            (
                "single_line_exclusions",
                "collections.abc,six.moves,typing,typing_extensions",
            ),
            ("order_by_type", "false"),
            ("group_by_package", "true"),
        ],
        "open_stack" => vec![
            ("force_single_line", "true"),
            ("force_sort_within_sections", "true"),
            ("lexicographical", "true"),
        ],
        "plone" => {
            let mut p = black;
            p.extend([
                ("force_alphabetical_sort", "true"),
                ("force_single_line", "true"),
            ]);
            p
        }
        "attrs" => vec![
            ("include_trailing_comma", "true"),
            ("lines_between_types", "1"),
            ("multi_line_output", "3"),
        ],
        "hug" => vec![
            ("multi_line_output", "3"),
            ("include_trailing_comma", "true"),
            ("line_length", "100"),
        ],
        "wemake" => vec![
            ("multi_line_output", "3"),
            ("include_trailing_comma", "true"),
            ("line_length", "80"),
        ],
        _ => Vec::new(),
    }
}

/// Settings from isort options (`pairs` as read; a profile first, then the options).
fn isort_settings(dir: &Path, pairs: &[(String, IniValue)]) -> Settings {
    let mut s = Settings::isort_defaults(dir);
    let norm = |k: &str| k.trim().replace('-', "_").to_ascii_lowercase();
    let mut options: Vec<(String, IniValue)> = Vec::new();
    if let Some((_, p)) = pairs.iter().find(|(k, _)| norm(k) == "profile") {
        let name = p.as_str().unwrap_or_default();
        options.extend(
            profile(&name)
                .into_iter()
                .map(|(k, v)| (k.to_string(), IniValue::Text(v.to_string()))),
        );
    }
    options.extend(pairs.iter().map(|(k, v)| (norm(k), v.clone())));
    let mut known: HashMap<String, Vec<String>> = HashMap::new();
    let mut extra_stdlib = Vec::new();
    let mut src_paths = None;
    for (key, value) in &options {
        match key.as_str() {
            "force_sort_within_sections" => set_bool(&mut s.force_sort_within_sections, value),
            "force_single_line" => set_bool(&mut s.force_single_line, value),
            "case_sensitive" => set_bool(&mut s.case_sensitive, value),
            "order_by_type" => set_bool(&mut s.order_by_type, value),
            "from_first" => set_bool(&mut s.from_first, value),
            "combine_as_imports" => set_bool(&mut s.combine_as, value),
            "lexicographical" => set_bool(&mut s.lexicographical, value),
            "group_by_package" => set_bool(&mut s.group_by_package, value),
            "length_sort" => set_bool(&mut s.length_sort, value),
            "no_sections" => set_bool(&mut s.no_sections, value),
            "include_trailing_comma" => set_bool(&mut s.include_trailing_comma, value),
            "split_on_trailing_comma" => set_bool(&mut s.split_on_trailing_comma, value),
            "ensure_newline_before_comments" => set_bool(&mut s.newline_before_comments, value),
            "force_alphabetical_sort" if value.as_bool() == Some(true) => {
                // isort: implies these.
                s.no_sections = true;
                s.lines_between_types = 1;
                s.from_first = true;
            }
            "lines_between_types" => {
                s.lines_between_types = value.as_int().map_or(0, |n| n.max(0) as usize);
            }
            "lines_between_sections" => {
                s.lines_between_sections = value.as_int().map_or(1, |n| n.max(0) as usize);
            }
            "line_length" => {
                if let Some(n) = value.as_int() {
                    s.line_length = n.max(1) as usize;
                }
            }
            "multi_line_output" => {
                s.wrap = match value
                    .as_str()
                    .unwrap_or_default()
                    .to_ascii_uppercase()
                    .as_str()
                {
                    "0" | "GRID" => Wrap::Grid,
                    _ => Wrap::Vertical,
                };
            }
            "py_version" => {
                let v = value.as_str().unwrap_or_default();
                s.python_minor = v
                    .strip_prefix("3")
                    .filter(|m| !m.is_empty())
                    .and_then(|m| m.trim_start_matches('.').parse().ok());
            }
            "sections" => {
                s.section_order = value.as_list().iter().map(|n| isort_section(n)).collect()
            }
            "no_lines_before" => {
                s.no_lines_before = value.as_list().iter().map(|n| isort_section(n)).collect();
            }
            "default_section" => {
                s.default_section = isort_section(&value.as_str().unwrap_or_default());
            }
            "force_to_top" => s.force_to_top = value.as_list(),
            "single_line_exclusions" => s.single_line_exclusions = value.as_list(),
            "constants" => s.constants = value.as_list(),
            "classes" => s.classes = value.as_list(),
            "variables" => s.variables = value.as_list(),
            "src_paths" => src_paths = Some(value.as_list()),
            "extra_standard_library" => extra_stdlib = value.as_list(),
            k if k.starts_with("known_") => {
                let name = k.trim_start_matches("known_").to_string();
                known.insert(name, value.as_list());
            }
            _ => {}
        }
    }
    if let Some(paths) = src_paths {
        s.src = paths.iter().map(|p| dir.join(p)).collect();
    }
    // isort checks the known patterns of the sections in reverse order, the standard
    // library among them.
    let mut patterns = Vec::new();
    for section in s.section_order.iter().rev() {
        let key = match section {
            Section::Future => "future_library".to_string(),
            Section::Stdlib => "standard_library".to_string(),
            Section::ThirdParty => "third_party".to_string(),
            Section::FirstParty => "first_party".to_string(),
            Section::LocalFolder => "local_folder".to_string(),
            Section::Named(n) => n.clone(),
        };
        if *section == Section::Stdlib {
            for m in &extra_stdlib {
                patterns.push(Known::Pattern(m.clone(), Section::Stdlib));
            }
            if let Some(list) = known.get("standard_library") {
                s.stdlib_replaced = true;
                for m in list {
                    patterns.push(Known::Pattern(m.clone(), Section::Stdlib));
                }
            } else {
                patterns.push(Known::Stdlib);
            }
            continue;
        }
        for m in known.get(&key).into_iter().flatten() {
            patterns.push(Known::Pattern(m.clone(), section.clone()));
        }
    }
    s.known = patterns;
    s
}

fn set_bool(slot: &mut bool, value: &IniValue) {
    if let Some(b) = value.as_bool() {
        *slot = b;
    }
}

/// The `key = value` pairs of the first of `names` found among the `[sections]` of an
/// INI-style file (`setup.cfg`, `tox.ini`, `.isort.cfg`). Indented lines continue the
/// value before them; `#` and `;` start comment lines.
fn ini_section(text: &str, names: &[&str]) -> Option<Vec<(String, String)>> {
    let mut found: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let mut current: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') && !line.starts_with([' ', '\t']) {
            let name = trimmed[1..trimmed.len() - 1].trim().to_string();
            found.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let Some(section) = &current else { continue };
        let pairs = found.entry(section.clone()).or_default();
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = pairs.last_mut() {
                value.push('\n');
                value.push_str(trimmed);
            }
            continue;
        }
        let split = trimmed.find(['=', ':']);
        if let Some(i) = split {
            pairs.push((
                trimmed[..i].trim().to_string(),
                trimmed[i + 1..].trim().to_string(),
            ));
        }
    }
    names.iter().find_map(|n| found.remove(*n))
}

/// The name of the top-level package that holds a file: the outermost directory of the
/// chain of `__init__.py` directories above it (ruff's package root).
pub fn package_of(path: &Path) -> Option<String> {
    let abs = std::path::absolute(path).ok()?;
    let mut dir = abs.parent()?;
    let mut top = None;
    while dir.join("__init__.py").is_file() {
        top = Some(dir);
        match dir.parent() {
            Some(parent) => dir = parent,
            None => break,
        }
    }
    top.and_then(|d| d.file_name())
        .map(|n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn ini_sections_with_continuation_lines() {
        let text = "[metadata]\nname = x\n\n[isort]\nprofile = black\nknown_first_party =\n    app,\n    lib\n; note\nline_length: 100\n";
        let pairs = ini_section(text, &["isort", "tool:isort"]).unwrap();
        assert_eq!(pairs[0], ("profile".into(), "black".into()));
        assert_eq!(
            IniValue::Text(pairs[1].1.clone()).as_list(),
            vec!["app", "lib"]
        );
        assert_eq!(pairs[2], ("line_length".into(), "100".into()));
        assert!(ini_section(text, &["settings"]).is_none());
    }

    #[test]
    fn nearest_config_wins_and_is_cached() {
        let t = tree(&[
            (
                "pyproject.toml",
                "[tool.ruff.lint.isort]\nknown-first-party = [\"core\"]\n",
            ),
            ("pkg/setup.cfg", "[isort]\nprofile = google\n"),
            ("pkg/sub/mod.py", ""),
            ("other/mod.py", ""),
            ("core/__init__.py", ""),
        ]);
        let inner = for_file(&t.path().join("pkg/sub/mod.py"));
        assert_eq!(inner.tool, Tool::Isort);
        assert!(inner.force_single_line && inner.force_sort_within_sections);
        let outer = for_file(&t.path().join("other/mod.py"));
        assert_eq!(outer.tool, Tool::Ruff);
        assert_eq!(outer.section_of("core.x", 0, None), Section::FirstParty);
        assert!(Arc::ptr_eq(
            &outer,
            &for_file(&t.path().join("other/mod.py"))
        ));
    }

    #[test]
    fn a_pre_commit_isort_hook_means_isort_defaults() {
        let t = tree(&[
            (
                ".pre-commit-config.yaml",
                "repos:\n  - repo: https://github.com/pycqa/isort\n    rev: 8.0.1\n    hooks:\n      - id: isort\n        args: [\"--profile\", \"black\"]\n  - repo: https://github.com/psf/black\n    hooks:\n      - id: black\n",
            ),
            ("pkg/m.py", ""),
        ]);
        let s = for_file(&t.path().join("pkg/m.py"));
        assert_eq!(s.tool, Tool::Isort);
        let t = tree(&[
            (
                ".pre-commit-config.yaml",
                "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    hooks:\n      - id: ruff\n",
            ),
            ("m.py", ""),
        ]);
        assert_eq!(for_file(&t.path().join("m.py")).tool, Tool::Ruff);
    }

    #[test]
    fn pyproject_without_sorter_tables_is_passed_over() {
        let t = tree(&[
            (".isort.cfg", "[settings]\nknown_first_party = backend\n"),
            ("app/pyproject.toml", "[project]\nname = \"app\"\n"),
            ("app/m.py", ""),
        ]);
        let s = for_file(&t.path().join("app/m.py"));
        assert_eq!(s.tool, Tool::Isort);
        assert_eq!(s.section_of("backend.core", 0, None), Section::FirstParty);
    }

    #[test]
    fn sections_as_ruff_classifies() {
        let t = tree(&[
            (
                "ruff.toml",
                "src = [\"src\"]\n[lint.isort]\nknown-third-party = [\"backend.vendored\"]\n",
            ),
            ("src/backend/core/auto_esc_config.py", ""),
        ]);
        let s = for_file(&t.path().join("x.py"));
        assert_eq!(s.section_of("os.path", 0, None), Section::Stdlib);
        assert_eq!(s.section_of("__future__", 0, None), Section::Future);
        assert_eq!(s.section_of("requests", 0, None), Section::ThirdParty);
        assert_eq!(
            s.section_of("backend.core.auto_esc_config", 0, None),
            Section::FirstParty
        );
        // ruff checks the whole dotted path against the roots.
        assert_eq!(
            s.section_of("backend.missing", 0, None),
            Section::ThirdParty
        );
        assert_eq!(
            s.section_of("backend.vendored.x", 0, None),
            Section::ThirdParty
        );
        assert_eq!(s.section_of("x", 1, None), Section::LocalFolder);
        assert_eq!(s.section_of("app", 0, Some("app")), Section::FirstParty);
    }

    #[test]
    fn isort_known_patterns_and_custom_sections() {
        let t = tree(&[(
            ".isort.cfg",
            "[settings]\nsections = FUTURE,STDLIB,THIRDPARTY,DJANGO,FIRSTPARTY,LOCALFOLDER\nknown_django = django\nknown_first_party = back*\n",
        )]);
        let s = for_file(&t.path().join("m.py"));
        assert_eq!(
            s.section_of("django.db", 0, None),
            Section::Named("django".into())
        );
        assert_eq!(s.section_of("backend", 0, None), Section::FirstParty);
        assert_eq!(s.section_of("typing", 0, None), Section::Stdlib);
        assert_eq!(s.section_order.len(), 6);
    }

    #[test]
    fn ruff_select_decides_between_ruff_and_isort_tables() {
        let both =
            "[tool.ruff.lint]\nselect = [\"E\", \"I\"]\n[tool.isort]\nprofile = \"google\"\n";
        let t = tree(&[("pyproject.toml", both)]);
        assert_eq!(for_file(&t.path().join("m.py")).tool, Tool::Ruff);
        let t = tree(&[(
            "pyproject.toml",
            "[tool.ruff]\nline-length = 100\n[tool.isort]\nprofile = \"google\"\n",
        )]);
        let s = for_file(&t.path().join("m.py"));
        assert_eq!(s.tool, Tool::Isort);
        assert!(s.force_single_line);
    }

    #[test]
    fn globs() {
        assert!(glob_match("backend*", "backend_core"));
        assert!(glob_match("a?c", "ac") && glob_match("a?c", "abc"));
        assert!(!glob_match("backend", "backends"));
    }

    #[test]
    fn requires_python_gives_the_lowest_minor() {
        let t: toml::Table = "[project]\nrequires-python = \">=3.9, <4\"\n"
            .parse()
            .unwrap();
        assert_eq!(requires_python_minor(&t), Some(9));
    }
}
