//! A `use` tree the way rustfmt models it (`rustfmt/src/imports.rs`): its normal form,
//! its sort order under style editions 2015–2021 and 2024, merging by
//! `imports_granularity`, and its layout (`imports_layout = "Mixed"`, block indent).
//! Ported from rustfmt so that what shush writes is what rustfmt would leave; pure
//! functions, never reads or edits text.

use std::cmp::Ordering;
use std::fmt;

/// One segment of a use path; an alias rides on the segment it renames.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Slf(Option<String>),
    Super(Option<String>),
    Crate(Option<String>),
    /// An identifier as written (`r#type` keeps its `r#`; a leading `::` is part of
    /// the first one).
    Ident(String, Option<String>),
    Glob,
    List(Vec<Tree>),
}

/// A use tree: `std::io::{self, Read}` is `[std, io, {self, Read}]`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Tree {
    pub path: Vec<Seg>,
}

/// What rustfmt groups imports by (`group_imports = "StdExternalCrate"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Std,
    External,
    Local,
}

/// Which trees `imports_granularity` merges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SharedPrefix {
    Crate,
    Module,
    One,
}

/// The layout settings a rendering needs.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub max_width: usize,
    pub tab_spaces: usize,
    /// `attr_fn_like_width`: the widest argument list an attribute keeps on one line.
    pub attr_width: usize,
}

impl Seg {
    fn of(name: &str, alias: Option<String>, leading_colon: bool) -> Seg {
        match name {
            "self" => Seg::Slf(alias),
            "super" => Seg::Super(alias),
            "crate" => Seg::Crate(alias),
            _ if leading_colon => Seg::Ident(format!("::{name}"), alias),
            _ => Seg::Ident(name.to_string(), alias),
        }
    }

    fn alias(&self) -> Option<&str> {
        match self {
            Seg::Slf(a) | Seg::Super(a) | Seg::Crate(a) | Seg::Ident(_, a) => a.as_deref(),
            Seg::Glob | Seg::List(_) => None,
        }
    }

    fn without_alias(&self) -> Seg {
        match self {
            Seg::Slf(_) => Seg::Slf(None),
            Seg::Super(_) => Seg::Super(None),
            Seg::Crate(_) => Seg::Crate(None),
            Seg::Ident(s, _) => Seg::Ident(s.clone(), None),
            other => other.clone(),
        }
    }

    fn equal_except_alias(&self, other: &Seg) -> bool {
        match (self, other) {
            (Seg::Ident(a, _), Seg::Ident(b, _)) => a == b,
            (Seg::Slf(_), Seg::Slf(_))
            | (Seg::Super(_), Seg::Super(_))
            | (Seg::Crate(_), Seg::Crate(_))
            | (Seg::Glob, Seg::Glob) => true,
            (Seg::List(a), Seg::List(b)) => a == b,
            _ => false,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Seg::Slf(_) => 0,
            Seg::Super(_) => 1,
            Seg::Crate(_) => 2,
            Seg::Ident(..) => 3,
            Seg::Glob => 4,
            Seg::List(_) => 5,
        }
    }

    /// rustfmt's `Ord for UseSegment`: `self` < `super` < `crate` < names < `*` <
    /// `{…}`; names by case class then bytes (2015), or by version sort with `r#`
    /// ignored (2024).
    fn cmp(&self, other: &Seg, version: bool) -> Ordering {
        let alias_cmp = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) if version => {
                version_sort(a.trim_start_matches("r#"), b.trim_start_matches("r#"))
            }
            _ => a.cmp(b),
        };
        match (self, other) {
            (Seg::Slf(a), Seg::Slf(b))
            | (Seg::Super(a), Seg::Super(b))
            | (Seg::Crate(a), Seg::Crate(b)) => alias_cmp(a, b),
            (Seg::Glob, Seg::Glob) => Ordering::Equal,
            (Seg::Ident(a, aa), Seg::Ident(b, ab)) => {
                let by_name = if version {
                    version_sort(a.trim_start_matches("r#"), b.trim_start_matches("r#"))
                } else {
                    // snake_case < CamelCase < UPPER_SNAKE_CASE, then bytes.
                    let upper = |s: &str| {
                        s.chars()
                            .all(|c| c.is_uppercase() || c == '_' || c.is_numeric())
                    };
                    let key = |s: &str| (upper(s), s.starts_with(char::is_uppercase));
                    key(a).cmp(&key(b)).then_with(|| a.cmp(b))
                };
                by_name.then_with(|| match (aa, ab) {
                    (None, Some(_)) => Ordering::Less,
                    (Some(_), None) => Ordering::Greater,
                    _ => alias_cmp(aa, ab),
                })
            }
            (Seg::List(a), Seg::List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    let ord = x.cmp(y, version);
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                a.len().cmp(&b.len())
            }
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl fmt::Display for Seg {
    /// rustfmt's `Display for UseSegmentKind` (an alias of `self` is not shown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seg::Glob => write!(f, "*"),
            Seg::Ident(s, Some(a)) => write!(f, "{s} as {a}"),
            Seg::Ident(s, None) => write!(f, "{s}"),
            Seg::Slf(_) => write!(f, "self"),
            Seg::Super(_) => write!(f, "super"),
            Seg::Crate(_) => write!(f, "crate"),
            Seg::List(list) => {
                write!(f, "{{")?;
                for (i, t) in list.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{t}")?;
                }
                write!(f, "}}")
            }
        }
    }
}

impl fmt::Display for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.path.iter().enumerate() {
            if i > 0 {
                write!(f, "::")?;
            }
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

impl Tree {
    /// The tree of a parsed `use` item (`leading_colon`: `use ::x`).
    pub fn from_syn(tree: &syn::UseTree, leading_colon: bool) -> Tree {
        let mut path = Vec::new();
        let mut t = tree;
        let mut modsep = leading_colon;
        loop {
            match t {
                syn::UseTree::Path(p) => {
                    path.push(Seg::of(&p.ident.to_string(), None, modsep));
                    t = &p.tree;
                }
                syn::UseTree::Name(n) => {
                    path.push(Seg::of(&n.ident.to_string(), None, modsep));
                    break;
                }
                syn::UseTree::Rename(r) => {
                    let alias = if r.rename == "_" {
                        Some("_".to_string())
                    } else if r.rename == r.ident {
                        None
                    } else {
                        Some(r.rename.to_string())
                    };
                    path.push(Seg::of(&r.ident.to_string(), alias, modsep));
                    break;
                }
                syn::UseTree::Glob(_) => {
                    if modsep {
                        path.push(Seg::Ident(String::new(), None));
                    }
                    path.push(Seg::Glob);
                    break;
                }
                syn::UseTree::Group(g) => {
                    if modsep {
                        path.push(Seg::Ident(String::new(), None));
                    }
                    let items = g.items.iter().map(|i| Tree::from_syn(i, false));
                    path.push(Seg::List(items.collect()));
                    break;
                }
            }
            modsep = false;
        }
        Tree { path }
    }

    /// The tree of `use PATH;` text (the configured loader `use`).
    pub fn parse(item: &str) -> Option<Tree> {
        let item: syn::ItemUse = syn::parse_str(item).ok()?;
        Some(Tree::from_syn(&item.tree, item.leading_colon.is_some()))
    }

    /// rustfmt's `UseTree::normalize`: `a::{b}` → `a::b`, `a::self` → `a`,
    /// `a::self as b` → `a as b`, lists sorted and deduplicated. `has_attrs`: an item
    /// with attributes keeps an empty list.
    pub fn normalize(mut self, has_attrs: bool, version: bool) -> Tree {
        let Some(mut last) = self.path.pop() else {
            return self;
        };
        if matches!(&last, Seg::List(l) if l.is_empty()) && !has_attrs {
            self.path.clear();
            return self;
        }
        if last == Seg::Slf(None) && self.path.last().is_some_and(|s| !matches!(s, Seg::Slf(_))) {
            return self;
        }
        if let (Seg::Slf(Some(rename)), Some(Seg::Ident(_, alias @ None))) =
            (&last, self.path.last_mut())
        {
            *alias = Some(rename.clone());
            return self;
        }
        if let Seg::List(list) = &last {
            if list.len() == 1 && list[0].to_string() != "self" {
                let only = list[0].path.clone();
                self.path.extend(only);
                return self.normalize(has_attrs, version);
            }
        }
        if let Seg::List(list) = last {
            let mut list: Vec<Tree> = list
                .into_iter()
                .map(|t| t.normalize(false, version))
                .collect();
            list.sort_by(|a, b| a.cmp(b, version));
            list.dedup();
            last = Seg::List(list);
        }
        self.path.push(last);
        self
    }

    /// rustfmt's `Ord for UseTree`: segment by segment, where two segments that differ
    /// only in their alias do not decide; then the shorter path first.
    pub fn cmp(&self, other: &Tree, version: bool) -> Ordering {
        for (a, b) in self.path.iter().zip(&other.path) {
            let ord = a.cmp(b, version);
            if ord != Ordering::Equal
                && a.without_alias().cmp(&b.without_alias(), version) != Ordering::Equal
            {
                return ord;
            }
        }
        self.path.len().cmp(&other.path.len())
    }

    /// The import group rustfmt's `StdExternalCrate` puts the tree in.
    pub fn group(&self) -> Group {
        match self.path.first() {
            Some(Seg::Ident(id, _)) if matches!(id.as_str(), "std" | "core" | "alloc") => {
                Group::Std
            }
            Some(Seg::Slf(_) | Seg::Super(_) | Seg::Crate(_)) => Group::Local,
            _ => Group::External,
        }
    }

    /// The flat paths the tree imports, each a list of segments without groups
    /// (`std::{env, io::Read}` → `std::env`, `std::io::Read`).
    pub fn flat_paths(&self) -> Vec<Vec<Seg>> {
        match self.path.split_last() {
            Some((Seg::List(list), prefix)) => list
                .iter()
                .flat_map(|t| t.flat_paths())
                .map(|p| prefix.iter().cloned().chain(p).collect())
                .collect(),
            _ => vec![self.path.clone()],
        }
    }

    /// How many leading segments a flat path of this tree shares with `path`, aliases
    /// aside: how close an import is to another.
    pub fn affinity(&self, path: &[Seg]) -> usize {
        self.flat_paths()
            .iter()
            .map(|p| {
                p.iter()
                    .zip(path)
                    .take_while(|(a, b)| a.equal_except_alias(b))
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    /// rustfmt's `UseTree::flatten`: one tree per leaf (`a::{b, c::{d}}` → `a::b`,
    /// `a::c::d`), except that `a::{self}` stays.
    pub fn flatten(self) -> Vec<Tree> {
        let Some(Seg::List(list)) = self.path.last() else {
            return vec![self];
        };
        if list.len() == 1 && list[0].path.len() == 1 && matches!(list[0].path[0], Seg::Slf(_)) {
            return vec![self];
        }
        let prefix = &self.path[..self.path.len() - 1];
        list.iter()
            .flat_map(|nested| nested.clone().flatten())
            .map(|flat| Tree {
                path: prefix.iter().cloned().chain(flat.path).collect(),
            })
            .collect()
    }

    fn share_prefix(&self, other: &Tree, by: SharedPrefix) -> bool {
        if self.path.is_empty() || other.path.is_empty() {
            return false;
        }
        let module = |p: &[Seg]| p.len().saturating_sub(1).max(1);
        match by {
            SharedPrefix::Crate => self.path[0] == other.path[0],
            SharedPrefix::Module => {
                self.path[..module(&self.path)] == other.path[..module(&other.path)]
            }
            SharedPrefix::One => true,
        }
    }

    /// rustfmt's `UseTree::merge`.
    fn merge(&mut self, other: &Tree, by: SharedPrefix, version: bool) {
        let mut prefix = 0;
        for (a, b) in self.path.iter().zip(&other.path) {
            if (prefix == 0 && a.equal_except_alias(b)) || a == b {
                prefix += 1;
            } else {
                break;
            }
        }
        if let Some(path) = merge_rest(&self.path, &other.path, prefix, by, version) {
            self.path = path;
        }
    }

    /// `a::self` → `a::{self}` (rustfmt's `nest_trailing_self`).
    fn nest_trailing_self(mut self) -> Tree {
        if matches!(self.path.last(), Some(Seg::Slf(_))) {
            let slf = self.path.pop().expect("a last segment");
            self.path.push(Seg::List(vec![Tree { path: vec![slf] }]));
        }
        self
    }

    /// The tree laid out as rustfmt would, starting `column` characters into a line
    /// whose block indent is `indent` and followed by `;`; `None` where rustfmt
    /// would give up (a path wider than the line).
    pub fn render(&self, indent: usize, column: usize, layout: &Layout) -> Option<String> {
        let width = layout.max_width.checked_sub(column)?.checked_sub(1)?;
        self.rewrite(Shape { indent, width }, layout)
    }

    fn rewrite(&self, mut shape: Shape, layout: &Layout) -> Option<String> {
        let mut out = String::new();
        let mut segs = self.path.iter().peekable();
        while let Some(seg) = segs.next() {
            let text = match seg {
                Seg::List(list) => {
                    let inner = Shape {
                        indent: shape.indent,
                        width: shape.width.checked_sub(2)?,
                    };
                    rewrite_list(list, inner, layout)?
                }
                Seg::Ident(s, Some(a)) => format!("{s} as {a}"),
                Seg::Slf(Some(a)) => format!("self as {a}"),
                Seg::Super(Some(a)) => format!("super as {a}"),
                Seg::Crate(Some(a)) => format!("crate as {a}"),
                other => other.to_string(),
            };
            out.push_str(&text);
            if segs.peek().is_some() {
                out.push_str("::");
                shape.width = shape.width.checked_sub(2 + width_of(&text))?;
            }
        }
        Some(out)
    }
}

/// rustfmt's `merge_rest`.
fn merge_rest(
    a: &[Seg],
    b: &[Seg],
    mut len: usize,
    by: SharedPrefix,
    version: bool,
) -> Option<Vec<Seg>> {
    if a.len() == len && b.len() == len {
        return None;
    }
    if a.len() != len && b.len() != len {
        if let Seg::List(list) = &a[len] {
            let mut list = list.clone();
            merge_into_list(
                &mut list,
                Tree {
                    path: b[len..].to_vec(),
                },
                by,
                version,
            );
            let mut path = b[..len].to_vec();
            path.push(Seg::List(list));
            return Some(path);
        }
    } else if len == 1 {
        let (common, rest) = if a.len() == len {
            (&a[0], &b[1..])
        } else {
            (&b[0], &a[1..])
        };
        let mut list = vec![Tree {
            path: vec![Seg::Slf(common.alias().map(str::to_string))],
        }];
        match rest {
            [Seg::List(rest_list)] => list.extend(rest_list.iter().cloned()),
            _ => list.push(Tree {
                path: rest.to_vec(),
            }),
        }
        return Some(vec![b[0].clone(), Seg::List(list)]);
    } else {
        len -= 1;
    }
    let mut list = vec![
        Tree {
            path: a[len..].to_vec(),
        },
        Tree {
            path: b[len..].to_vec(),
        },
    ];
    list.sort_by(|x, y| x.cmp(y, version));
    list.dedup();
    let mut path = b[..len].to_vec();
    path.push(Seg::List(list));
    Some(path)
}

/// rustfmt's `merge_use_trees_inner`.
fn merge_into_list(trees: &mut Vec<Tree>, tree: Tree, by: SharedPrefix, version: bool) {
    let similar = trees.iter_mut().filter(|t| t.share_prefix(&tree, by));
    match by {
        SharedPrefix::Crate if tree.path.len() == 1 => {
            if similar.min_by_key(|t| t.path.len()).map(|t| t.path.len()) == Some(1) {
                return;
            }
        }
        SharedPrefix::One => {
            let best = similar
                .map(|t| {
                    let n = t
                        .path
                        .iter()
                        .zip(&tree.path)
                        .take_while(|(a, b)| a.equal_except_alias(b))
                        .count();
                    (n, t)
                })
                // `max_by_key` keeps the last of equals, as rustfmt's does.
                .max_by_key(|(n, _)| *n);
            if let Some((n, t)) = best {
                if n > 0 {
                    t.merge(&tree, by, version);
                    return;
                }
            }
        }
        _ => {
            if let Some(t) = similar.max_by_key(|t| t.path.len()) {
                if t.path.len() > 1 {
                    t.merge(&tree, by, version);
                    return;
                }
            }
        }
    }
    trees.push(tree);
    trees.sort_by(|x, y| x.cmp(y, version));
    trees.dedup();
}

/// rustfmt's `normalize_use_trees_with_granularity` for `Crate`, `Module` and `One`,
/// over the trees of one group of imports (normalized, in source order); `None` in
/// `trees` marks an item rustfmt does not merge (attributes, comments, another
/// visibility), kept as it is.
pub fn merge_all(trees: &[Option<Tree>], by: SharedPrefix, version: bool) -> Vec<Option<Tree>> {
    let mut out: Vec<Option<Tree>> = Vec::new();
    for tree in trees {
        let Some(tree) = tree else {
            out.push(None);
            continue;
        };
        for mut flat in tree.clone().flatten() {
            let target = out.iter_mut().flatten().find(|t| t.share_prefix(&flat, by));
            match target {
                Some(t) => t.merge(&flat, by, version),
                None => {
                    if by == SharedPrefix::Module {
                        flat = flat.nest_trailing_self();
                    }
                    out.push(Some(flat));
                }
            }
        }
    }
    out
}

/// Where a rendering is: the block indent of its lines and the width left on the
/// current one.
#[derive(Clone, Copy)]
struct Shape {
    indent: usize,
    width: usize,
}

fn width_of(s: &str) -> usize {
    s.chars().count()
}

/// rustfmt's `rewrite_nested_use_tree` with `imports_layout = "Mixed"`,
/// `imports_indent = "Block"` and `trailing_comma = "Vertical"` (the defaults).
fn rewrite_list(list: &[Tree], shape: Shape, layout: &Layout) -> Option<String> {
    let nested = Shape {
        indent: shape.indent + layout.tab_spaces,
        width: layout
            .max_width
            .checked_sub(shape.indent + layout.tab_spaces)?
            .checked_sub(1)?,
    };
    let items: Vec<String> = list
        .iter()
        .map(|t| t.rewrite(nested, layout))
        .collect::<Option<_>>()?;
    let has_nested_list = list
        .iter()
        .any(|t| matches!(t.path.last(), Some(Seg::List(_))));
    let remaining = if has_nested_list {
        0
    } else {
        shape.width.saturating_sub(2)
    };
    let total: usize =
        items.iter().map(|i| width_of(i)).sum::<usize>() + 2 * items.len().saturating_sub(1);
    if total <= remaining && !items.iter().any(|i| i.contains('\n')) {
        return Some(format!("{{{}}}", items.join(", ")));
    }
    // The "Mixed" tactic: items packed on lines, a path (`a::b`) on a line of its own
    // when the list holds a nested list, a comma after every item.
    let indent_str = " ".repeat(nested.indent);
    let mut out = String::new();
    let mut line_len = 0;
    let mut trailing = false;
    let mut prev_path = false;
    for (i, item) in items.iter().enumerate() {
        let (first, last) = (i == 0, i + 1 == items.len());
        let sep = usize::from(!last || trailing);
        let total = width_of(item) + sep;
        let path_breaks = has_nested_list && (prev_path || (!first && item.contains("::")));
        if (line_len > 0 && line_len + 1 + total > nested.width) || path_breaks {
            out.push('\n');
            out.push_str(&indent_str);
            line_len = 0;
            trailing = true;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        line_len += total;
        out.push_str(item);
        out.push(',');
        prev_path = item.contains("::");
    }
    Some(format!(
        "{{\n{indent_str}{out}\n{}}}",
        " ".repeat(shape.indent)
    ))
}

/// rustfmt's version sort (style edition 2024, from the Rust style guide): names
/// split into runs of digits and of other characters, digit runs compared as
/// numbers, `_` before everything; with ties broken by leading zeros.
pub fn version_sort(a: &str, b: &str) -> Ordering {
    let mut ia = Chunks { s: a };
    let mut ib = Chunks { s: b };
    let mut zeros = Ordering::Equal;
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return zeros,
            (Some(_), None) => return Ordering::Greater,
            (None, Some(_)) => return Ordering::Less,
            (Some(x), Some(y)) => match (x, y) {
                (Chunk::Underscore, Chunk::Underscore) => {}
                (Chunk::Underscore, _) => return Ordering::Less,
                (_, Chunk::Underscore) => return Ordering::Greater,
                (Chunk::Number(va, za, _), Chunk::Number(vb, zb, _)) => match va.cmp(&vb) {
                    Ordering::Equal => {
                        if zeros == Ordering::Equal && za != zb {
                            // More leading zeros sorts first.
                            zeros = zb.cmp(&za);
                        }
                    }
                    ord => return ord,
                },
                (x, y) => match x.source().cmp(y.source()) {
                    Ordering::Equal => {}
                    ord => return ord,
                },
            },
        }
    }
}

enum Chunk<'a> {
    Underscore,
    Str(&'a str),
    /// Value, leading zeros, source.
    Number(usize, usize, &'a str),
}

impl<'a> Chunk<'a> {
    fn source(&self) -> &'a str {
        match self {
            Chunk::Underscore => "_",
            Chunk::Str(s) | Chunk::Number(_, _, s) => s,
        }
    }
}

struct Chunks<'a> {
    s: &'a str,
}

impl<'a> Iterator for Chunks<'a> {
    type Item = Chunk<'a>;

    fn next(&mut self) -> Option<Chunk<'a>> {
        let first = self.s.chars().next()?;
        if first == '_' {
            self.s = &self.s[1..];
            return Some(Chunk::Underscore);
        }
        if first.is_ascii_digit() {
            let end = self
                .s
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(self.s.len());
            let (digits, rest) = self.s.split_at(end);
            self.s = rest;
            let zeros = digits.bytes().take_while(|b| *b == b'0').count();
            // rustfmt's chunk is skipped when it does not fit a usize; so is this.
            return match digits.parse::<usize>() {
                Ok(v) => Some(Chunk::Number(v, zeros, digits)),
                Err(_) => None,
            };
        }
        let end = self
            .s
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '_' || c.is_ascii_digit())
            .map_or(self.s.len(), |(i, _)| i);
        let (text, rest) = self.s.split_at(end);
        self.s = rest;
        Some(Chunk::Str(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str], version: bool) -> Vec<String> {
        let mut trees: Vec<Tree> = names
            .iter()
            .map(|n| Tree::parse(&format!("use {n};")).unwrap())
            .collect();
        trees.sort_by(|a, b| a.cmp(b, version));
        trees.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn version_sort_matches_rustfmts_examples() {
        let mut input = vec![
            "x86_128", "usize", "uz", "v000", "v00", "v0", "v0s", "v00t", "v0u", "v001", "v01",
            "v1", "v009", "x87", "zyxw", "_ZYXW", "_abcd", "A2", "ABCD", "Z_YXW", "ZY_XW", "ZY_XW",
            "ZYXW", "v09", "v9", "v010", "v10", "w005s09t", "w5s009t", "x64", "x86", "x86_32",
            "ua", "x86_64", "ZYXW_", "a1", "abcd", "u_zzz", "u8", "u16", "u32", "u64", "u128",
            "u256",
        ];
        let expected = vec![
            "_ZYXW", "_abcd", "A2", "ABCD", "Z_YXW", "ZY_XW", "ZY_XW", "ZYXW", "ZYXW_", "a1",
            "abcd", "u_zzz", "u8", "u16", "u32", "u64", "u128", "u256", "ua", "usize", "uz",
            "v000", "v00", "v0", "v0s", "v00t", "v0u", "v001", "v01", "v1", "v009", "v09", "v9",
            "v010", "v10", "w005s09t", "w5s009t", "x64", "x86", "x86_32", "x86_64", "x86_128",
            "x87", "zyxw",
        ];
        input.sort_by(|a, b| version_sort(a, b));
        assert_eq!(input, expected);
    }

    #[test]
    fn editions_order_names_differently() {
        let names = [
            "std::u16",
            "std::U8",
            "std::u8",
            "std::Ab",
            "std::AB",
            "std::_x",
            "crate::a",
            "self::b",
            "super::c",
            "std::*",
            "std::{a, b}",
            "r#async::x",
            "Zed::a",
        ];
        assert_eq!(
            sorted(&names, false),
            [
                "self::b",
                "super::c",
                "crate::a",
                "r#async::x",
                "std::_x",
                "std::u16",
                "std::u8",
                "std::Ab",
                "std::AB",
                "std::U8",
                "std::*",
                "std::{a, b}",
                "Zed::a"
            ]
        );
        assert_eq!(
            sorted(&names, true),
            [
                "self::b",
                "super::c",
                "crate::a",
                "Zed::a",
                "r#async::x",
                "std::_x",
                "std::AB",
                "std::Ab",
                "std::U8",
                "std::u8",
                "std::u16",
                "std::*",
                "std::{a, b}"
            ]
        );
    }

    #[test]
    fn normal_forms() {
        let norm = |s: &str| Tree::parse(s).unwrap().normalize(false, false).to_string();
        assert_eq!(norm("use std::{io};"), "std::io");
        assert_eq!(norm("use std::{fs::{File}};"), "std::fs::File");
        assert_eq!(norm("use std::env::{self};"), "std::env::{self}");
        assert_eq!(norm("use std::env::self;"), "std::env");
        assert_eq!(norm("use std::{io, env, io};"), "std::{env, io}");
        assert_eq!(norm("use a::{b as c};"), "a::b as c");
    }

    #[test]
    fn merging_by_crate_and_module() {
        let trees = |items: &[&str]| -> Vec<Option<Tree>> {
            items
                .iter()
                .map(|s| Some(Tree::parse(s).unwrap().normalize(false, false)))
                .collect()
        };
        let shown = |v: Vec<Option<Tree>>| -> Vec<String> {
            v.into_iter().map(|t| t.unwrap().to_string()).collect()
        };
        let items = trees(&[
            "use crate::{a, b};",
            "use crate::config::get;",
            "use crate::config::other;",
        ]);
        assert_eq!(
            shown(merge_all(&items, SharedPrefix::Crate, false)),
            ["crate::{a, b, config::{get, other}}"]
        );
        assert_eq!(
            shown(merge_all(&items, SharedPrefix::Module, false)),
            ["crate::{a, b}", "crate::config::{get, other}"]
        );
    }

    #[test]
    fn long_lists_break_as_rustfmt_breaks_them() {
        let layout = Layout {
            max_width: 100,
            tab_spaces: 4,
            attr_width: 70,
        };
        let render = |s: &str| {
            Tree::parse(s)
                .unwrap()
                .normalize(false, false)
                .render(0, 4, &layout)
                .unwrap()
        };
        assert_eq!(
            render("use std::{env, fs::{File, self}};"),
            "std::{\n    env,\n    fs::{self, File},\n}"
        );
        assert_eq!(
            render(
                "use std::{collections::{HashMap, HashSet, BTreeMap, BTreeSet, VecDeque}, env, fs, io::{self, Read, Write}, sync::Arc};"
            ),
            "std::{\n    collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque},\n    env, fs,\n    io::{self, Read, Write},\n    sync::Arc,\n}"
        );
        assert_eq!(render("use std::{env, io};"), "std::{env, io}");
    }
}
