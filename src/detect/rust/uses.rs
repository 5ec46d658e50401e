//! Where the loader's `use` item goes in a Rust module, which `use` items a fix may
//! leave unused, and where every identifier of the file is (for that check).
//! Computes edits and data; never applies them.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::str::FromStr;

use proc_macro2::{Spacing, TokenStream, TokenTree};

use super::rustfmt::Settings;
use super::usetree::{Seg, Tree};
use super::walk::{Module, UseItem};
use super::{lex, place};
use crate::fix::{Edit, ImportName, ImportRewrite, ImportStmt};
use crate::rules::EnvRules;
use crate::source::SourceFile;

/// The edit that inserts the `use` item `line` into `module` where a person would put
/// it and rustfmt (`fmt`) would leave it: among the module's `use` items, in the run and
/// at the place rustfmt sorts it to, or merged into an item (see `place`); below the
/// module's last `use` when rustfmt does not reorder imports; in a module without any,
/// after its inner attributes, inner doc comments and header comments, before its first
/// item, with a blank line after it.
pub fn insertion(file: &SourceFile, module: &Module, line: &str, fmt: &Settings) -> Edit {
    let src = file.text.as_str();
    let eol = file.line_ending().as_str();
    if fmt.reorder_imports && !module.uses.is_empty() {
        if let Some(edit) = place::sorted(file, module, line, fmt) {
            return edit;
        }
    }
    if let Some(last) = &module.last_use {
        let indent = indentation(src, last.start);
        return match line_after(src, last.end) {
            Some(at) => Edit::insert(at, format!("{indent}{line}{eol}")),
            None => Edit::insert(src.len(), format!("{eol}{indent}{line}{eol}")),
        };
    }
    let header = module.header_end;
    let first = module.first_item.unwrap_or(src.len());
    let same_line = |a: usize, b: usize| !src[a.min(b)..a.max(b)].contains('\n');
    if header > 0 && same_line(header, first) {
        // `mod m { fn f() {} }` on one line.
        return match module.name {
            Some(_) => Edit::insert(header, format!(" {line}")),
            None => Edit::insert(header, format!("{eol}{line}{eol}")),
        };
    }
    let mut at = if header == 0 {
        0
    } else {
        match line_after(src, header) {
            Some(at) => at,
            None => return Edit::insert(src.len(), format!("{eol}{eol}{line}{eol}")),
        }
    };
    // Past blank lines and comment blocks that stand apart (a licence header), but not
    // past a comment that belongs to the first item.
    loop {
        while let Some(next) = blank_line_end(src, at).filter(|n| *n <= first) {
            at = next;
        }
        match detached_comment_end(src, at).filter(|n| *n <= first) {
            Some(end) => at = end,
            None => break,
        }
    }
    let indent = if first < src.len() {
        indentation(src, first)
    } else {
        ""
    };
    let spacer = if src[at..].trim().is_empty() { "" } else { eol };
    Edit::insert(at, format!("{indent}{line}{eol}{spacer}"))
}

/// The leading whitespace of the line holding `offset`.
fn indentation(src: &str, offset: usize) -> &str {
    let start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &src[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The offset just past the end of the line holding `offset`, or `None` at the last line.
fn line_after(src: &str, offset: usize) -> Option<usize> {
    src[offset..].find('\n').map(|i| offset + i + 1)
}

/// The end of the line starting at `at` when that line is blank.
fn blank_line_end(src: &str, at: usize) -> Option<usize> {
    let rest = &src[at..];
    let nl = rest.find('\n')?;
    rest[..nl].trim().is_empty().then_some(at + nl + 1)
}

/// The end of a run of plain (not doc) comment lines starting at `at`, when a blank
/// line (or the end of the file) follows it.
fn detached_comment_end(src: &str, at: usize) -> Option<usize> {
    let mut pos = at;
    let mut any = false;
    loop {
        let rest = &src[pos..];
        let line_end = rest.find('\n').map_or(src.len(), |i| pos + i + 1);
        let trimmed = src[pos..line_end].trim();
        if is_plain_line_comment(trimmed) {
            any = true;
            pos = line_end;
        } else if is_plain_block_comment(trimmed) {
            let close = src[pos..].find("*/")? + pos + 2;
            let end = src[close..].find('\n').map_or(src.len(), |i| close + i + 1);
            if !src[close..end].trim().is_empty() {
                return None;
            }
            any = true;
            pos = end;
        } else {
            break;
        }
    }
    let followed_by_blank = pos == src.len() || blank_line_end(src, pos).is_some();
    (any && followed_by_blank).then_some(pos)
}

fn is_plain_line_comment(line: &str) -> bool {
    line.starts_with("//") && lex::starts_plain_comment(line)
}

fn is_plain_block_comment(line: &str) -> bool {
    line.starts_with("/*") && lex::starts_plain_comment(line)
}

/// The `use` items that bind names on the way to a rule's target (`std::env`,
/// `std::env::var`), with every other use of each bound name, so that the fixer can
/// remove the ones its edits leave unused; and how each reads with some names gone
/// (`FixPlan::rewrites`). `inserts`: where edits insert text (a `use` inserted where a
/// removed one starts takes its place, blank line after it included). `absolute` turns
/// a path of the crate's own into one from `crate`.
#[allow(clippy::too_many_arguments)]
pub fn removable(
    file: &SourceFile,
    uses: &[UseItem],
    modules: &[Module],
    refs: &Refs,
    rules: &EnvRules,
    fmt: &Settings,
    inserts: &[usize],
    absolute: &dyn Fn(&str) -> Option<String>,
) -> (Vec<ImportStmt>, Vec<ImportRewrite>) {
    let src = file.text.as_str();
    let mut out = Vec::new();
    let mut rewrites = Vec::new();
    let macros = src.contains("macro_rules!");
    for item in uses {
        if !on_the_way(item, rules, absolute) {
            continue;
        }
        let inside = |r: &Range<usize>| item.range.start <= r.start && r.end <= item.range.end;
        // A `macro_rules!` body resolves its paths where it is invoked: any of its
        // identifiers may use this item from anywhere.
        let visible = |r: &Range<usize>| {
            macros || (item.visible.start <= r.start && r.end <= item.visible.end)
        };
        let is_ref = |r: &&Range<usize>| {
            !inside(r) && visible(r) && !refs.use_path_idents.contains(&r.start)
        };
        let single_line = !src[item.range.clone()].contains('\n');
        let names: Vec<ImportName> = item
            .names
            .iter()
            .map(|n| ImportName {
                text: n.text.clone(),
                refs: n
                    .bound
                    .as_ref()
                    .and_then(|b| refs.idents.get(b))
                    .map(|rs| rs.iter().filter(is_ref).cloned().collect())
                    .unwrap_or_default(),
                line: (!single_line).then(|| own_line(file, &n.range)).flatten(),
            })
            .collect();
        let delete = item_lines(file, &item.range);
        let replaced = delete.as_ref().is_some_and(|d| inserts.contains(&d.start));
        let stmt = out.len();
        rewrites.extend(removals(&names).into_iter().filter_map(|unused| {
            let edits = without(file, item, modules, &unused, fmt, inserts)?;
            Some(ImportRewrite {
                stmt,
                unused,
                edits,
            })
        }));
        out.push(ImportStmt {
            delete_tidy: delete
                .as_ref()
                .filter(|_| !replaced)
                .and_then(|r| tidy(file, item.first, r)),
            delete,
            names_range: item.group.clone().filter(|_| single_line),
            names,
        });
    }
    (out, rewrites)
}

/// Whether `item` binds a name on the way to a rule's target (`use std::env;`, `use
/// std::env::var;`, and `use util::env_or;` of the crate's own `crate::util::env_or`):
/// the items [`removable`] looks at.
pub fn on_the_way(
    item: &UseItem,
    rules: &EnvRules,
    absolute: &dyn Fn(&str) -> Option<String>,
) -> bool {
    let to_target = |path: &str| {
        rules
            .calls
            .keys()
            .any(|t| t == path || t.strip_prefix(path).is_some_and(|r| r.starts_with("::")))
    };
    item.paths
        .iter()
        .any(|p| to_target(p) || absolute(p).is_some_and(|p| to_target(&p)))
}

/// Identifiers of the file, for `removable`.
pub struct Refs<'a> {
    /// Every identifier by name (see `idents`).
    pub idents: &'a HashMap<String, Vec<Range<usize>>>,
    /// Identifiers in `use` trees that cannot refer to another `use`'s binding.
    pub use_path_idents: &'a HashSet<usize>,
}

/// The sets of names a fix may leave unused (names with other uses in the file), but
/// not all of them (that removes the statement): as masks over `names`. At most
/// 2^6 of them.
fn removals(names: &[ImportName]) -> Vec<Vec<bool>> {
    let candidates: Vec<usize> = (0..names.len())
        .filter(|&i| !names[i].refs.is_empty())
        .collect();
    if names.len() < 2 || candidates.is_empty() || candidates.len() > 6 {
        return Vec::new();
    }
    (1u32..1 << candidates.len())
        .map(|bits| {
            let mut mask = vec![false; names.len()];
            for (k, &i) in candidates.iter().enumerate() {
                mask[i] = bits & (1 << k) != 0;
            }
            mask
        })
        .filter(|mask| mask.iter().any(|u| !u))
        .collect()
}

/// The edits that remove the `unused` names from the top-level group of `item`: when
/// the item is laid out as rustfmt lays it out, the tree laid out afresh as rustfmt
/// would (`use std::{env, io};` → `use std::io;`), and moved to where it now sorts
/// (`std::io` sorts before `std::path::PathBuf`, `std::{…}` after it) unless a `use`
/// is inserted there too; otherwise, on one line, the braces dropped around a single
/// name left (`{self}` keeps them, as rustfmt does), and over several lines the names
/// dropped between commas where they share lines; `None` where dropping names between
/// commas (or their own lines) is all there is to do.
fn without(
    file: &SourceFile,
    item: &UseItem,
    modules: &[Module],
    unused: &[bool],
    fmt: &Settings,
    inserts: &[usize],
) -> Option<Vec<Edit>> {
    let src = file.text.as_str();
    let eol = file.line_ending().as_str();
    let (prefix, Some(Seg::List(list))) = (
        &item.tree.path[..item.tree.path.len().saturating_sub(1)],
        item.tree.path.last(),
    ) else {
        return None;
    };
    if list.len() != unused.len() {
        return None;
    }
    let kept: Vec<Tree> = list
        .iter()
        .zip(unused)
        .filter(|(_, u)| !**u)
        .map(|(t, _)| t.clone())
        .collect();
    let v = fmt.version_sort;
    let laid_out = fmt.layout.as_ref().and_then(|layout| {
        let (indent, column) = place::columns(src, item.tree_range.start)?;
        let old = item.tree.clone().normalize(item.attrs, v);
        let as_rustfmt = old.render(indent, column, layout)?.replace('\n', eol);
        if as_rustfmt != src[item.tree_range.clone()] {
            return None;
        }
        let mut path = prefix.to_vec();
        path.push(Seg::List(kept.clone()));
        let new = Tree { path }.normalize(item.attrs, v);
        let text = new.render(indent, column, layout)?.replace('\n', eol);
        let home = modules.iter().find_map(|m| {
            let j = m.uses.iter().position(|u| u.range == item.range)?;
            Some((m, j))
        });
        let dest = home.and_then(|(m, j)| place::moved_to(file, m, j, &new, fmt));
        let lines = item_lines(file, &item.range);
        if let (Some(dest), Some(lines)) = (dest, lines) {
            if !inserts.contains(&dest) {
                let mut moved = format!(
                    "{}{text}{}",
                    &src[lines.start..item.tree_range.start],
                    &src[item.tree_range.end..lines.end]
                );
                if !moved.ends_with('\n') {
                    moved.push_str(eol);
                }
                return Some(vec![Edit::delete(lines), Edit::insert(dest, moved)]);
            }
        }
        Some(vec![Edit::replace(item.tree_range.clone(), text)])
    });
    if laid_out.is_some() {
        return laid_out;
    }
    let group = item.group.as_ref()?;
    let single_line = !src[item.tree_range.clone()].contains('\n');
    let kept_text = || -> Vec<&str> {
        let names = item.names.iter().zip(unused);
        names
            .filter(|(_, u)| !**u)
            .map(|(n, _)| n.text.as_str())
            .collect()
    };
    if !single_line {
        // Names that share lines (and no comment among them): dropped between commas.
        let own_lines = item
            .names
            .iter()
            .zip(unused)
            .all(|(n, u)| !*u || own_line(file, &n.range).is_some());
        let commented = src[group.clone()].contains("//") || src[group.clone()].contains("/*");
        return (!own_lines && !commented)
            .then(|| vec![Edit::replace(group.clone(), kept_text().join(", "))]);
    }
    let [only] = &kept[..] else {
        return None;
    };
    if only.to_string() == "self" {
        return None;
    }
    let open = src[..group.start].rfind('{')?;
    let close = group.end + src[group.end..].find('}')?;
    Some(vec![Edit::replace(open..close + 1, kept_text().join(""))])
}

/// The line of a name in a multi-line `use` tree, when nothing but the name and its
/// comma is on it.
fn own_line(file: &SourceFile, name: &Range<usize>) -> Option<Range<usize>> {
    let src = file.text.as_str();
    let line = file.line_range(file.line_index(name.start));
    let before = src[line.start..name.start].trim();
    let after = src[name.end..line.end].trim();
    (before.is_empty() && (after.is_empty() || after == ",")).then_some(line)
}

/// The full lines of an item that stands alone on them (a trailing comment goes too).
fn item_lines(file: &SourceFile, item: &Range<usize>) -> Option<Range<usize>> {
    let src = file.text.as_str();
    let start = file.line_range(file.line_index(item.start)).start;
    let end = file.line_range(file.line_index(item.end)).end;
    let before = &src[start..item.start];
    let after = src[item.end..end].trim();
    let alone = before.trim().is_empty() && (after.is_empty() || after.starts_with("//"));
    alone.then_some(start..end)
}

/// `lines` plus the blank line after them, when the item opens its module or block or
/// follows a blank line: removing it then leaves no doubled or leading blank line.
fn tidy(file: &SourceFile, first: bool, lines: &Range<usize>) -> Option<Range<usize>> {
    let src = file.text.as_str();
    let next_blank = blank_line_end(src, lines.end)?;
    let prev_blank = lines.start > 0 && {
        let prev = file.line_range(file.line_index(lines.start - 1));
        src[prev].trim().is_empty()
    };
    (first || prev_blank).then_some(lines.start..next_blank)
}

/// Every identifier token of the file (in macro bodies and attributes too) named one of
/// `names` (`r#name` too), by name, with its range. `src` is the text syn parsed (after
/// a shebang), `off` its offset. A macro name (`env` in `env!(…)`) is left out: macros
/// have a namespace of their own, and the builtin `env!` works without `use std::env;`.
/// Only the names asked for: a token's range costs a look-up in proc-macro2's source
/// map, and most files ask for one or two names of thousands of identifiers.
pub fn idents(src: &str, off: usize, names: &[&str]) -> HashMap<String, Vec<Range<usize>>> {
    let mut out: HashMap<String, Vec<Range<usize>>> = HashMap::new();
    if names.is_empty() {
        return out;
    }
    let raw: Vec<String> = names.iter().map(|n| format!("r#{n}")).collect();
    let Ok(tokens) = TokenStream::from_str(src) else {
        return out;
    };
    // An explicit stack: token trees nest as deep as the file's brackets.
    let mut stack = vec![tokens.into_iter().peekable()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            None => {
                stack.pop();
            }
            Some(TokenTree::Group(g)) => stack.push(g.stream().into_iter().peekable()),
            Some(TokenTree::Ident(i)) => {
                let bang = matches!(
                    top.peek(),
                    Some(TokenTree::Punct(p)) if p.as_char() == '!' && p.spacing() == Spacing::Alone
                );
                let asked = names
                    .iter()
                    .zip(&raw)
                    .find(|(n, r)| i == **n || i == r.as_str());
                if let (false, Some((name, _))) = (bang, asked) {
                    let r = i.span().byte_range();
                    out.entry(name.to_string())
                        .or_default()
                        .push(r.start + off..r.end + off);
                }
            }
            Some(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Language;

    fn module(header_end: usize, first_item: Option<usize>) -> Module {
        Module {
            scope: 0,
            name: None,
            header_end,
            last_use: None,
            first_item,
            uses: Vec::new(),
        }
    }

    fn insert(text: &str, m: &Module) -> String {
        let file = SourceFile::new("a.rs".into(), Language::Rust, text.into());
        let e = insertion(&file, m, "use c::get;", &Settings::default());
        crate::fix::apply_edits(text, vec![e])
    }

    /// The text after every fix, for a file next to `rustfmt_toml`.
    fn fixed(text: &str, rustfmt_toml: &str) -> String {
        fixed_with(text, rustfmt_toml, "use crate::config::get_config_value;")
    }

    fn fixed_with(text: &str, rustfmt_toml: &str, use_line: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rustfmt.toml"), rustfmt_toml).unwrap();
        std::fs::write(dir.path().join("a.rs"), text).unwrap();
        let file = SourceFile::new(dir.path().join("a.rs"), Language::Rust, text.into());
        let mut config = crate::config::Config::default();
        config.rust.use_item = crate::config::RustUse::parse(use_line).unwrap();
        config.rust.call = config.rust.use_item.bound.clone();
        let ctx = crate::Context::new(config);
        let analysis = super::super::analyze(&file, &ctx, false);
        let fixes: Vec<&crate::detect::Fix> = analysis
            .findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .collect();
        crate::fix::apply(text, &fixes, &analysis.plan).text
    }

    #[test]
    fn a_tree_left_with_one_name_loses_its_braces() {
        let read = "\nfn f() -> String {\n    env::var(\"API_KEY\").unwrap() + &io::stdin().lines().count().to_string()\n}\n";
        let out = fixed(&format!("use std::{{env, io}};{read}"), "");
        assert!(
            out.starts_with("use std::io;\n\nuse crate::config"),
            "{out}"
        );
        // Not laid out as rustfmt would (no rustfmt here): only the braces go.
        let out = fixed(&format!("use std::{{ env,io }};{read}"), "");
        assert!(out.starts_with("use std::io;\n"), "{out}");
        // `{self}` keeps its braces, as rustfmt keeps them.
        let read = "\nfn f() -> String {\n    var(\"API_KEY\").unwrap() + &env::args().count().to_string()\n}\n";
        let out = fixed(&format!("use std::env::{{self, var}};{read}"), "");
        assert!(out.starts_with("use std::env::{self};\n"), "{out}");
    }

    #[test]
    fn a_tree_that_now_sorts_elsewhere_moves() {
        let text = "use std::path::PathBuf;\nuse std::{env, fs::File};\n\nfn f() -> (String, Option<File>, PathBuf) {\n    (env::var(\"API_KEY\").unwrap(), None, PathBuf::new())\n}\n";
        let out = fixed(text, "");
        assert!(
            out.starts_with("use std::fs::File;\nuse std::path::PathBuf;\n\nuse crate::config::get_config_value;\n"),
            "{out}"
        );
        // Unless rustfmt does not sort imports.
        let out = fixed(text, "reorder_imports = false");
        assert!(
            out.starts_with("use std::path::PathBuf;\nuse std::fs::File;\n"),
            "{out}"
        );
    }

    #[test]
    fn a_use_inserted_where_a_removed_one_was_keeps_the_blank_line_after() {
        let text = "use std::env;\nuse zzz::x;\n\nfn f() -> String {\n    x();\n    env::var(\"API_KEY\").unwrap()\n}\n";
        assert_eq!(
            fixed_with(text, "", "use config_crate::get;"),
            "use config_crate::get;\nuse zzz::x;\n\nfn f() -> String {\n    x();\n    get(\"api_key\").unwrap()\n}\n"
        );
        let text = "use std::env;\n\nfn f() -> String {\n    env::var(\"API_KEY\").unwrap()\n}\n";
        assert_eq!(
            fixed(text, ""),
            "use crate::config::get_config_value;\n\nfn f() -> String {\n    get_config_value(\"api_key\").unwrap()\n}\n"
        );
    }

    #[test]
    fn a_multi_line_tree_is_laid_out_anew() {
        let body = "\n\nfn f() -> String {\n    let _ = (HashMap::<u8, u8>::new(), fs::read(\"x\"), io::stdin());\n    let _ = (PathBuf::new(), Arc::new(1), Duration::ZERO, Cow::Borrowed(\"x\"));\n    env::var(\"API_KEY\").unwrap()\n}\n";
        // 100 columns on one line, over rustfmt's limit for a list (2 short of
        // max_width); 95 without `env`.
        let tree = "use std::{\n    borrow::Cow, collections::HashMap, env, fs, io, path::PathBuf, sync::Arc, time::Duration,\n};";
        let out = fixed(&format!("{tree}{body}"), "");
        assert!(
            out.starts_with("use std::{borrow::Cow, collections::HashMap, fs, io, path::PathBuf, sync::Arc, time::Duration};\n"),
            "{out}"
        );
        // With a narrower max_width the names are packed onto lines of at most 79.
        let narrow = "use std::{\n    borrow::Cow, collections::HashMap, env, fs, io, path::PathBuf, sync::Arc,\n    time::Duration,\n};";
        let out = fixed(&format!("{narrow}{body}"), "max_width = 80");
        assert!(
            out.starts_with("use std::{\n    borrow::Cow, collections::HashMap, fs, io, path::PathBuf, sync::Arc,\n    time::Duration,\n};\n"),
            "{out}"
        );
        // Laid out otherwise: the name goes from between the others.
        let tree = "use std::{\n    borrow::Cow,\n    collections::HashMap, env,\n    fs, io, path::PathBuf, sync::Arc, time::Duration\n};";
        let out = fixed(&format!("{tree}{body}"), "");
        assert!(
            out.starts_with("use std::{\n    borrow::Cow, collections::HashMap, fs, io, path::PathBuf, sync::Arc, time::Duration\n};\n"),
            "{out}"
        );
    }

    #[test]
    fn insertion_skips_licence_headers_but_not_item_comments() {
        let text = "// Licence.\n// More.\n\n// Entry point.\nfn main() {}\n";
        let first = text.find("// Entry").unwrap();
        assert_eq!(
            insert(text, &module(0, Some(first))),
            "// Licence.\n// More.\n\nuse c::get;\n\n// Entry point.\nfn main() {}\n"
        );
        let text = "#![allow(x)]\r\n\r\n/* c */\r\n\r\nfn main() {}\r\n";
        let m = module(text.find("]").unwrap() + 1, Some(text.find("fn").unwrap()));
        assert_eq!(
            insert(text, &m),
            "#![allow(x)]\r\n\r\n/* c */\r\n\r\nuse c::get;\r\n\r\nfn main() {}\r\n"
        );
    }
}
