//! The order of module specifiers in an import block: the comparison TypeScript's
//! organizeImports sorts by, a cautious comparison the other common sorters agree on,
//! and whether the project runs organizeImports through prettier. Reads prettier
//! config files; never writes.

use std::cmp::Ordering;
use std::path::Path;

use crate::config::nearest::Nearest;

/// What a specifier is, for finding the group of imports a new one belongs to: the
/// groups people (and eslint-plugin-simple-import-sort's defaults) keep apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `./x`, `../x`, `.`: anything that starts with a dot.
    Relative,
    /// A package, `@scope/pkg` or `node:fs`: simple-import-sort's `^@?\w`.
    Package,
    /// A path alias or other specifier, by its first character: `@/lib`, `~/env`,
    /// `#config` (package.json `imports`), `$lib/db`, `/abs`.
    Alias(char),
}

pub fn kind(spec: &str) -> Kind {
    let mut chars = spec.chars();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    match chars.clone().next() {
        Some('.') => Kind::Relative,
        Some('@') if word(chars.nth(1)) => Kind::Package,
        c if word(c) => Kind::Package,
        Some(c) => Kind::Alias(c),
        None => Kind::Package,
    }
}

/// TypeScript's order of module specifiers (`compareModuleSpecifiersWorker` in
/// `services/organizeImports.ts`, TypeScript 5.x), which prettier-plugin-organize-imports
/// applies to each group of imports (a group ends at a blank or comment-only line:
/// `groupByNewlineContiguous` counts two newlines in the trivia before an import).
/// Non-relative specifiers come before relative ones (`isExternalModuleNameRelative`:
/// `./`, `../`, `.`, `..` or a rooted path), then the strings compare ordinally by
/// UTF-16 code unit, lower-cased first when `ignore_case`
/// (`compareStringsCaseInsensitiveEslintCompatible`). Side-effect imports sort among
/// the others; imports from one module are merged, so equal specifiers only meet here
/// as an `import type` and a value import, and the type import comes first.
pub fn typescript(a: &str, b: &str, ignore_case: bool) -> Ordering {
    ts_relative(a)
        .cmp(&ts_relative(b))
        .then_with(|| ordinal(a, b, ignore_case))
}

/// organizeImports' `organizeImportsIgnoreCase: "auto"` (the default in TypeScript 5.0
/// and later; the prettier plugin sets no preference): of the case-insensitive and the
/// case-sensitive comparison, the one under which the file's import groups have fewer
/// adjacent pairs out of order (`detectCaseSensitivityBySort`, which compares the bare
/// strings), the case-insensitive one on a tie.
pub fn detect_ignore_case(groups: &[Vec<&str>]) -> bool {
    let inversions = |ignore_case: bool| -> usize {
        groups
            .iter()
            .flat_map(|g| g.windows(2))
            .filter(|w| ordinal(w[0], w[1], ignore_case) == Ordering::Greater)
            .count()
    };
    inversions(true) <= inversions(false)
}

fn ordinal(a: &str, b: &str, ignore_case: bool) -> Ordering {
    if ignore_case {
        a.to_lowercase()
            .encode_utf16()
            .cmp(b.to_lowercase().encode_utf16())
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// `isExternalModuleNameRelative`: `pathIsRelative` (`/^\.\.?($|[\\/])/`) or a rooted
/// path (`/x`, `\x`, `C:`, `file:///x`).
pub fn ts_relative(spec: &str) -> bool {
    let dots = spec.strip_prefix("..").or_else(|| spec.strip_prefix('.'));
    if dots.is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '\\'])) {
        return true;
    }
    let b = spec.as_bytes();
    spec.starts_with(['/', '\\'])
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
        || spec
            .split_once("://")
            .is_some_and(|(scheme, _)| scheme.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The order of `a` and `b` when the common sorters all agree on it, `None` when they
/// may not. They are: organizeImports (above, either case mode); eslint-plugin-
/// simple-import-sort, which compares with `Intl.Collator("en", { sensitivity: "base",
/// numeric: true })` after swapping `.`↔`_` and `/`↔`-` so that `.` and `/` sort before
/// the other punctuation (ICU puts punctuation and symbols before digits, digits before
/// letters, and numbers by value); @ianvs/prettier-plugin-sort-imports and
/// @trivago/prettier-plugin-sort-imports and eslint-plugin-import's `alphabetize`, which
/// compare code units (natural sort: numbers by value), case-insensitively or, in
/// trivago's default, case-sensitively. So the order is known when, at the first
/// character where the lower-cased strings differ:
/// - both are letters (and the case-sensitive comparison says the same);
/// - one is a digit and the other a letter (digits first), or both are digits in runs
///   of the same length (so that value and code-unit order agree);
/// - one is ASCII punctuation other than `{|}~` and the other a letter, or one of
///   `` !"#$%&'()*+,-./ `` and the other a digit (the punctuation first: `@/lib` before
///   `next`, `#config` before `2fa`);
/// - `.` meets `/` (`.` first);
/// - or one string ends there (the shorter first).
///
/// Non-relative before relative holds everywhere (simple-import-sort keeps relative
/// imports in a group of their own, last).
pub fn agreed(a: &str, b: &str) -> Option<Ordering> {
    let rel = ts_relative(a).cmp(&ts_relative(b));
    if rel != Ordering::Equal {
        return Some(rel);
    }
    let la: Vec<char> = a.to_lowercase().chars().collect();
    let lb: Vec<char> = b.to_lowercase().chars().collect();
    let i = la.iter().zip(&lb).take_while(|(x, y)| x == y).count();
    let order = match (la.get(i), lb.get(i)) {
        (None, None) => return (a == b).then_some(Ordering::Equal),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(&x), Some(&y)) => {
            // Below every letter in code units (after lower-casing) and in ICU.
            let below_letters = |c: char| c.is_ascii_punctuation() && !"{|}~".contains(c);
            // Below the digits too.
            let below_digits = |c: char| ('!'..='/').contains(&c);
            match (x, y) {
                _ if x.is_alphabetic() && y.is_alphabetic() => x.cmp(&y),
                _ if x.is_ascii_digit() && y.is_ascii_digit() => {
                    let run = |s: &[char]| {
                        let start = s[..i].iter().rev().take_while(|c| c.is_ascii_digit());
                        let end = s[i..].iter().take_while(|c| c.is_ascii_digit());
                        start.count() + end.count()
                    };
                    if run(&la) != run(&lb) {
                        return None;
                    }
                    x.cmp(&y)
                }
                _ if x.is_ascii_digit() && y.is_alphabetic() => Ordering::Less,
                _ if x.is_alphabetic() && y.is_ascii_digit() => Ordering::Greater,
                _ if below_letters(x) && y.is_alphabetic() => Ordering::Less,
                _ if x.is_alphabetic() && below_letters(y) => Ordering::Greater,
                _ if below_digits(x) && y.is_ascii_digit() => Ordering::Less,
                _ if x.is_ascii_digit() && below_digits(y) => Ordering::Greater,
                ('.', '/') => Ordering::Less,
                ('/', '.') => Ordering::Greater,
                _ => return None,
            }
        }
    };
    // trivago's default compares case-sensitively: `D` sorts before `c` there.
    (ordinal(a, b, false) == order).then_some(order)
}

/// prettier-plugin-organize-imports, which runs organizeImports on every file prettier
/// formats (unless the file says `// organize-imports-ignore`).
const ORGANIZE_IMPORTS: &str = "prettier-plugin-organize-imports";

/// prettier's config files, in the order it tries them within a directory
/// (prettier 3's `searcher`); `package.json` counts only with a `prettier` key.
const PRETTIER_FILES: &[&str] = &[
    "package.json",
    "package.yaml",
    ".prettierrc",
    ".prettierrc.json",
    ".prettierrc.yaml",
    ".prettierrc.yml",
    ".prettierrc.json5",
    ".prettierrc.js",
    "prettier.config.js",
    ".prettierrc.ts",
    "prettier.config.ts",
    ".prettierrc.mjs",
    "prettier.config.mjs",
    ".prettierrc.mts",
    "prettier.config.mts",
    ".prettierrc.cjs",
    "prettier.config.cjs",
    ".prettierrc.cts",
    "prettier.config.cts",
    ".prettierrc.toml",
];

/// What the prettier config that formats a file says about the new import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prettier {
    /// It lists prettier-plugin-organize-imports.
    pub organize_imports: bool,
    /// `singleQuote: true`.
    pub single_quote: bool,
    /// Not `semi: false`.
    pub semi: bool,
}

impl Default for Prettier {
    /// prettier's defaults, for a file no config governs.
    fn default() -> Prettier {
        Prettier {
            organize_imports: false,
            single_quote: false,
            semi: true,
        }
    }
}

/// The prettier settings of `path`, from the config prettier uses for it: the first
/// config file found from the file's directory up (prettier 3 loads only the plugins
/// that config lists). A package.json whose `prettier` key names a shared config,
/// which is not read, counts as listing the plugin when it depends on it. Read once per
/// directory.
pub fn prettier(path: &Path) -> Prettier {
    static NEAREST: Nearest<Prettier> = Nearest::new();
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let Some(dir) = abs.parent() else {
        return Prettier::default();
    };
    NEAREST.get(
        dir,
        |d| {
            PRETTIER_FILES
                .iter()
                .find_map(|name| read_config(&d.join(name)))
        },
        Prettier::default,
    )
}

/// The settings of one prettier config file; `None` when there is no such file (or it
/// is a package.json without a `prettier` key). The options are found in the text, as
/// `singleQuote: true` reads the same in JSON, YAML, TOML and JavaScript.
fn read_config(path: &Path) -> Option<Prettier> {
    let text = std::fs::read_to_string(path).ok()?;
    let (config, whole) = if path.file_name().is_some_and(|n| n == "package.json") {
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        (json.get("prettier")?.to_string(), text.clone())
    } else {
        (text.clone(), text)
    };
    let shared = config.starts_with('"');
    Some(Prettier {
        organize_imports: config.contains(ORGANIZE_IMPORTS)
            || (shared && whole.contains(ORGANIZE_IMPORTS)),
        single_quote: option(&config, "singleQuote") == Some("true"),
        semi: option(&config, "semi") != Some("false"),
    })
}

/// The word after `name` and its `:` or `=` (`"semi": false`, `semi: false`,
/// `semi = false`).
fn option<'a>(config: &'a str, name: &str) -> Option<&'a str> {
    config.match_indices(name).find_map(|(at, _)| {
        let before = config[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let rest = config[at + name.len()..].trim_start_matches(['"', '\'']);
        let rest = rest.trim_start().strip_prefix([':', '='])?.trim_start();
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        Some(&rest[..end])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(kind("./a"), Kind::Relative);
        assert_eq!(kind(".."), Kind::Relative);
        assert_eq!(kind("react"), Kind::Package);
        assert_eq!(kind("@dub/prisma"), Kind::Package);
        assert_eq!(kind("node:fs"), Kind::Package);
        assert_eq!(kind("@/lib/auth"), Kind::Alias('@'));
        assert_eq!(kind("~/env"), Kind::Alias('~'));
        assert_eq!(kind("#config"), Kind::Alias('#'));
    }

    #[test]
    fn typescript_order() {
        use Ordering::*;
        // dub: organizeImports wants `@/config` above `@/lib/auth`, `@/…` above `@dub/…`.
        assert_eq!(typescript("@/config", "@/lib/auth", true), Less);
        assert_eq!(typescript("@/lib/auth", "@dub/prisma", true), Less);
        assert_eq!(typescript("@/config", "next/server", true), Less);
        // Relative last, whatever the letters.
        assert_eq!(typescript("./a", "zod", true), Greater);
        assert_eq!(typescript("../a", "./a", true), Less);
        assert_eq!(typescript(".prettierrc", "./a", true), Less);
        // `~` sorts after the letters in code units.
        assert_eq!(typescript("~/env", "zod", true), Greater);
        // Case: lower-cased, or code units (`D` < `c`).
        assert_eq!(typescript("@/Dashboard", "@/config", true), Greater);
        assert_eq!(typescript("@/Dashboard", "@/config", false), Less);
        // `_` is between the upper- and the lower-case letters.
        assert_eq!(typescript("a_b", "aB", true), Less);
        assert_eq!(typescript("a_b", "aB", false), Greater);
    }

    #[test]
    fn case_detection_prefers_case_insensitive() {
        assert!(detect_ignore_case(&[vec!["a", "b"]]));
        assert!(detect_ignore_case(&[
            vec!["@/B", "@/a"],
            vec!["@/a", "@/B"]
        ]));
        assert!(!detect_ignore_case(&[
            vec!["React", "next"],
            vec!["Z", "a"]
        ]));
    }

    #[test]
    fn agreed_order() {
        use Ordering::*;
        assert_eq!(agreed("@/config", "@/lib/auth"), Some(Less));
        assert_eq!(agreed("@/lib/db", "@/config"), Some(Greater));
        assert_eq!(agreed("@/config", "@/config/env"), Some(Less));
        assert_eq!(agreed("@/lib/v1", "@/lib/v2"), Some(Less));
        assert_eq!(agreed("@/lib", "@/lib-x"), Some(Less));
        assert_eq!(agreed("@/a-b", "@/ab"), Some(Less));
        assert_eq!(agreed("@/a.b", "@/a/b"), Some(Less));
        assert_eq!(agreed("../config", "./a"), Some(Less));
        assert_eq!(agreed("zod", "./a"), Some(Less));
        assert_eq!(agreed("@/config", "@/config"), Some(Equal));
        // The sorters part ways on these.
        assert_eq!(agreed("@/lib-x", "@/lib/x"), None);
        assert_eq!(agreed("@/v9", "@/v10"), None);
        assert_eq!(agreed("@/lib/db", "zod"), Some(Less));
        assert_eq!(agreed("@/_a", "@/a"), Some(Less));
        assert_eq!(agreed("#config", "2fa"), Some(Less));
        assert_eq!(agreed("~/env", "zod"), None);
        assert_eq!(agreed("@/x", "2fa"), None);
        assert_eq!(agreed("@/_a", "@/A"), None);
        assert_eq!(agreed("@/config", "@/Dashboard"), None);
        assert_eq!(agreed("@/Config", "@/config"), None);
        assert_eq!(agreed("@/Auth", "@/config"), Some(Less));
    }

    fn prettier_at(path: &Path) -> bool {
        prettier(path).organize_imports
    }

    #[test]
    fn options_are_read_in_each_syntax() {
        assert_eq!(option(r#"{ "semi": false }"#, "semi"), Some("false"));
        assert_eq!(
            option("semi: false\nsingleQuote: true\n", "singleQuote"),
            Some("true")
        );
        assert_eq!(option("semi = false", "semi"), Some("false"));
        assert_eq!(
            option("export default { singleQuote: true, semi: false };", "semi"),
            Some("false")
        );
        assert_eq!(option("{ \"semicolons\": false }", "semi"), None);
        assert_eq!(option("{ \"jsxSingleQuote\": true }", "singleQuote"), None);
    }

    #[test]
    fn organize_imports_is_read_from_the_config_prettier_uses() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        // dub: the monorepo root's .prettierrc; the app's package.json configures nothing.
        write(
            ".prettierrc",
            r#"{ "plugins": ["prettier-plugin-organize-imports"] }"#,
        );
        write("package.json", r#"{ "workspaces": ["apps/*"] }"#);
        write("apps/web/package.json", r#"{ "name": "web" }"#);
        assert!(prettier_at(&root.join("apps/web/app/page.tsx")));
        // A nearer config without the plugin wins, as in prettier.
        write("apps/docs/.prettierrc.json", r#"{ "semi": false }"#);
        assert!(!prettier_at(&root.join("apps/docs/page.tsx")));
        // package.json's `prettier` key, inline or a shared config it depends on.
        write(
            "apps/admin/package.json",
            r#"{ "prettier": "@acme/prettier-config", "devDependencies": { "prettier-plugin-organize-imports": "4" } }"#,
        );
        assert!(prettier_at(&root.join("apps/admin/a.ts")));
        write(
            "apps/blog/package.json",
            r#"{ "prettier": { "semi": false }, "devDependencies": { "prettier-plugin-organize-imports": "4" } }"#,
        );
        assert!(!prettier_at(&root.join("apps/blog/a.ts")));
        let blog = prettier(&root.join("apps/blog/a.ts"));
        assert!(!blog.semi && !blog.single_quote);
        assert!(prettier(&root.join("apps/web/a.ts")).semi);
    }
}
