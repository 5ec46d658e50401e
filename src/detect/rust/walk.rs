//! One pass over a parsed Rust file: records scopes and their bindings, `use` items,
//! module headers, and every call and macro that may read the environment, as plain
//! data with file byte ranges. Also looks inside the arguments of the common macros
//! (`println!`, `format!`, `assert!`, `info!`, `bail!`, …) and `lazy_static!` /
//! `thread_local!` bodies. Decides nothing about rules or fixes; never reports.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, Item, Lit, Token, UseTree};

use super::lex;
use super::scope::{Binding, BindingKind, ScopeKind, Scopes};
use super::usetree::Tree;
use crate::rules::EnvRules;

/// Methods that give a value in place of a missing one.
const FALLBACK_METHODS: &[&str] = &[
    "unwrap_or",
    "unwrap_or_else",
    "unwrap_or_default",
    "or",
    "or_else",
];

/// Deeper expressions are not walked further (a stack guard for generated code). Above
/// `lex::MAX_NESTING` (1,500 brackets, which rustc compiles): what is parsed is walked
/// whole unless a long operator chain nests deeper; the 64 MiB worker stacks hold it
/// even in a debug build.
pub const MAX_DEPTH: usize = 4_000;

/// Macros whose arguments are comma-separated expressions, so reads inside them are
/// real reads. Others are left alone: their bodies may be any syntax (`quote!` would
/// produce a false read, and a rewrite there changes generated code).
const EXPR_MACROS: &[&str] = &[
    // std
    "assert",
    "assert_eq",
    "assert_ne",
    "concat",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "include",
    "include_bytes",
    "include_str",
    "panic",
    "print",
    "println",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
    // log and tracing (the plain forms; `target: …` and `%x` fields do not parse)
    "debug",
    "error",
    "info",
    "log",
    "trace",
    "warn",
    // anyhow, eyre
    "anyhow",
    "bail",
    "ensure",
    "eyre",
    "format_err",
];

/// Macros whose bodies are `static` items (`lazy_static!` writes `static ref`).
const ITEM_MACROS: &[&str] = &["lazy_static", "thread_local"];

/// The variable-name argument of a read.
#[derive(Clone, Debug)]
pub enum Key {
    /// A plain string literal (raw strings included): its value and range.
    Literal { value: String, range: Range<usize> },
    /// Anything else: a variable, `concat!`, `format!`, a constant.
    Computed,
    /// No argument at all.
    Missing,
}

#[derive(Clone, Debug)]
pub enum ReadKind {
    /// `PATH(args)` where PATH may name a target once resolved.
    Call {
        segments: Vec<String>,
        leading_colon: bool,
        /// The callee path, replaced by the loader call.
        callee: Range<usize>,
    },
    /// `env!(…)`, `option_env!(…)`, as named by the rules.
    Macro { name: String },
}

/// A call or macro that may be an environment read, before resolution.
#[derive(Clone, Debug)]
pub struct RawRead {
    pub kind: ReadKind,
    pub span: Range<usize>,
    pub scope: usize,
    pub args: usize,
    /// Where each argument of a call is (none for a macro).
    pub arg_ranges: Vec<Range<usize>>,
    pub key: Key,
    /// Inside a `#[test]` function or a `#[cfg(test)]` item.
    pub in_test: bool,
}

/// The methods that ask whether a read found its variable, and nothing else about it.
pub const PRESENCE_METHODS: &[&str] = &["is_ok", "is_err", "is_some", "is_none"];

/// `CALL.is_ok()` (or `is_err`, `is_some`, `is_none`) right after a call: the call's
/// result is only asked whether it holds a value.
#[derive(Clone, Debug)]
pub struct Presence {
    pub method: String,
    /// The method's name.
    pub method_range: Range<usize>,
    /// The end of the method call's `()`.
    pub end: usize,
}

/// A path as written where it was written, for resolving it after the walk: a type
/// (`Command`, `tokio::process::Command`) or the type part of `Command::new`.
#[derive(Clone, Debug)]
pub struct PathRef {
    pub segments: Vec<String>,
    pub leading_colon: bool,
    pub scope: usize,
    pub pos: usize,
}

/// Where the receiver of `.env(…)` comes from.
#[derive(Clone, Debug)]
pub enum BuilderRoot {
    /// The chain starts with `TYPE::new(…)`: the type's path.
    New(PathRef),
    /// The chain starts with a name: a local binding, looked up after the walk.
    Local {
        name: String,
        scope: usize,
        pos: usize,
    },
}

/// `RECEIVER.env("X", v)` or `RECEIVER.envs([("X", v), …])` with literal names: an
/// environment write when the receiver is a process builder.
#[derive(Clone, Debug)]
pub struct RawWrite {
    /// The names set, each with the range of its literal.
    pub names: Vec<(String, Range<usize>)>,
    pub root: BuilderRoot,
    pub in_test: bool,
}

/// One name a `use` item binds, as the fixer may remove it.
#[derive(Clone, Debug)]
pub struct UseName {
    /// As written between the commas of a group (`var as getvar`), or the whole tree.
    pub text: String,
    /// Where that text is.
    pub range: Range<usize>,
    /// The name bound; `None` (never removed) for globs and nested groups.
    pub bound: Option<String>,
}

/// A `use` item (top-level, in an inline module or in a block).
#[derive(Clone, Debug)]
pub struct UseItem {
    /// From its first outer attribute to its `;`.
    pub range: Range<usize>,
    /// The first item or statement of its module or block.
    pub first: bool,
    /// Full paths it binds (globs as `path::*`).
    pub paths: Vec<String>,
    pub names: Vec<UseName>,
    /// The names of a top-level group (`{a, b as c}`) without the braces.
    pub group: Option<Range<usize>>,
    /// The tree, from its leading `::` or first name to the `;` (excluded).
    pub tree_range: Range<usize>,
    /// The tree as written (not normalized).
    pub tree: Tree,
    /// It has outer attributes (doc comments included).
    pub attrs: bool,
    /// `#[macro_use]` or `#[rustfmt::skip]`: rustfmt neither moves nor sorts it, and it
    /// ends a run of `use` items.
    pub pinned: bool,
    /// `pub`, `pub(crate)`, …; empty when private.
    pub vis: String,
    /// Where the names it binds can be used: its module or block (braces included),
    /// or the whole file when it is public.
    pub visible: Range<usize>,
}

/// Where a module's items start, for inserting the loader's `use` into it.
#[derive(Clone, Debug)]
pub struct Module {
    pub scope: usize,
    /// `Some` for an inline `mod NAME { … }`.
    pub name: Option<String>,
    /// The end of the module's header: the shebang or `{`, then inner attributes and
    /// inner doc comments.
    pub header_end: usize,
    /// The last `use` (or `extern crate`) item directly in the module.
    pub last_use: Option<Range<usize>>,
    /// Where the first item starts (its attributes and doc comments included).
    pub first_item: Option<usize>,
    /// The `use` items directly in the module, in order.
    pub uses: Vec<UseItem>,
}

/// A statement or item with `#[expect(…)]` / `#[allow(…)]` attributes that name
/// clippy's `disallowed_*` lints, and what is used inside it that those lints look at.
#[derive(Clone, Debug)]
pub struct LintNode {
    /// The statement or item, its attributes included.
    pub range: Range<usize>,
    pub attrs: Vec<LintAttr>,
    pub uses: Vec<NodeUse>,
}

/// One `#[expect(…)]` or `#[allow(…)]` attribute.
#[derive(Clone, Debug)]
pub struct LintAttr {
    /// From `#` to `]`.
    pub range: Range<usize>,
    /// `expect` or `allow`.
    pub name: String,
    /// The entries between the parentheses (lints, `reason = "…"`), in order.
    pub entries: Vec<LintEntry>,
}

#[derive(Clone, Debug)]
pub struct LintEntry {
    pub text: String,
    pub range: Range<usize>,
    /// The lint's path (`clippy::disallowed_methods`); `None` for `reason = …`.
    pub lint: Option<String>,
}

/// What a `disallowed_*` lint may fire on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseKind {
    /// A path expression (a call's callee, `let f = std::env::var;`).
    Path,
    /// A method call, by its name only.
    Method,
    Macro,
    Type,
}

#[derive(Clone, Debug)]
pub struct NodeUse {
    pub kind: UseKind,
    pub segments: Vec<String>,
    pub leading_colon: bool,
    pub range: Range<usize>,
    pub scope: usize,
}

/// The lints whose attributes a rewrite of an environment read may leave without
/// purpose (clippy's names, old names included).
pub const DISALLOWED_LINTS: &[&str] = &[
    "clippy::disallowed_methods",
    "clippy::disallowed_method",
    "clippy::disallowed_macros",
    "clippy::disallowed_types",
    "clippy::disallowed_type",
];

pub struct Walker<'r> {
    src: &'r str,
    /// Where the file's header (shebang, frontmatter) ends at the least.
    header: usize,
    /// Spans are relative to the text after a shebang line; this adds it back.
    off: usize,
    rules: &'r EnvRules,
    pub scopes: Scopes,
    scope: usize,
    depth: usize,
    /// The walk stopped at `MAX_DEPTH` somewhere: reads below were not seen.
    pub too_deep: bool,
    /// Position that `let` bindings take effect at (the end of the `let`).
    let_end: Option<usize>,
    /// The item or statement being visited opens its module or block.
    first: bool,
    pub reads: Vec<RawRead>,
    pub uses: Vec<UseItem>,
    pub modules: Vec<Module>,
    /// Identifiers in `use` trees that cannot refer to another `use`'s binding
    /// (`env` in `use std::env;`), by start offset.
    pub use_path_idents: HashSet<usize>,
    /// Start offsets of calls and macros whose value falls back to a default
    /// (`var("X").unwrap_or(…)`, `option_env!("X").unwrap_or_default()`).
    pub defaulted: HashSet<usize>,
    pub lint_nodes: Vec<LintNode>,
    /// The lint nodes being visited (indices into `lint_nodes`).
    open_lints: Vec<usize>,
    /// The module or block being visited, braces included (the file at the top).
    container: Range<usize>,
    /// `.env(…)` and `.envs(…)` calls with literal names.
    pub writes: Vec<RawWrite>,
    /// Local bindings (by position and name) whose type is written or whose value is
    /// `TYPE::new(…)`: the type's path, for `.env(…)` on the binding.
    pub typed_locals: HashMap<(usize, String), PathRef>,
    /// Calls whose first argument is a list of `("NAME", value)` tuples with literal
    /// names (`with_vars([("X", Some("1"))], …)`), by the call's start.
    pub tuple_args: HashMap<usize, Vec<(String, Range<usize>)>>,
    /// Calls whose result is only asked whether it holds a value, by the call's start.
    pub presence: HashMap<usize, Presence>,
    /// How many test items (`#[test]` functions, `#[cfg(test)]` items) are open.
    test_depth: usize,
}

impl<'r> Walker<'r> {
    pub fn new(src: &'r str, header: usize, off: usize, rules: &'r EnvRules) -> Walker<'r> {
        Walker {
            src,
            header,
            off,
            rules,
            scopes: Scopes::new(),
            scope: 0,
            depth: 0,
            too_deep: false,
            let_end: None,
            first: false,
            reads: Vec::new(),
            uses: Vec::new(),
            modules: Vec::new(),
            use_path_idents: HashSet::new(),
            defaulted: HashSet::new(),
            lint_nodes: Vec::new(),
            open_lints: Vec::new(),
            container: 0..src.len(),
            writes: Vec::new(),
            typed_locals: HashMap::new(),
            tuple_args: HashMap::new(),
            presence: HashMap::new(),
            test_depth: 0,
        }
    }

    /// Runs `visit` as test code when `attrs` mark a test item.
    fn in_test_item(&mut self, attrs: &[syn::Attribute], visit: impl FnOnce(&mut Self)) {
        let test = attrs.iter().any(is_test_attr);
        self.test_depth += usize::from(test);
        visit(self);
        self.test_depth -= usize::from(test);
    }

    /// The literal names of a list of `("NAME", value)` pairs: an array, a `&[…]`, a
    /// `vec![…]`; empty for anything else (pairs with computed names are left out).
    fn tuple_names(&self, expr: &Expr) -> Vec<(String, Range<usize>)> {
        let elems: Vec<Expr> = match expr {
            Expr::Array(a) => a.elems.iter().cloned().collect(),
            Expr::Reference(r) => return self.tuple_names(&r.expr),
            Expr::Paren(p) => return self.tuple_names(&p.expr),
            Expr::Macro(m) if m.mac.path.is_ident("vec") => match m
                .mac
                .parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
            {
                Ok(args) => args.into_iter().collect(),
                Err(_) => return Vec::new(),
            },
            _ => return Vec::new(),
        };
        elems
            .iter()
            .filter_map(|e| match e {
                Expr::Tuple(t) if t.elems.len() == 2 => match self.key(&t.elems[0]) {
                    Key::Literal { value, range } => Some((value, range)),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    /// Where a method chain's receiver comes from: `TYPE::new(…)` or a name (through
    /// `(…)`, `&mut …` and other method calls).
    fn builder_root(&self, mut expr: &Expr) -> Option<BuilderRoot> {
        loop {
            expr = match expr {
                Expr::MethodCall(m) => &m.receiver,
                Expr::Paren(p) => &p.expr,
                Expr::Reference(r) => &r.expr,
                Expr::Call(c) => return self.new_call(c).map(BuilderRoot::New),
                Expr::Path(p) if p.qself.is_none() => {
                    let ident = p.path.get_ident()?;
                    return Some(BuilderRoot::Local {
                        name: unraw(ident),
                        scope: self.scope,
                        pos: self.range(ident.span()).start,
                    });
                }
                _ => return None,
            };
        }
    }

    /// The type path of a `TYPE::new(…)` call.
    fn new_call(&self, call: &syn::ExprCall) -> Option<PathRef> {
        let Expr::Path(p) = &*call.func else {
            return None;
        };
        let segments: Vec<String> = p.path.segments.iter().map(|s| unraw(&s.ident)).collect();
        match segments.split_last() {
            Some((last, ty)) if last == "new" && !ty.is_empty() && p.qself.is_none() => {
                Some(PathRef {
                    segments: ty.to_vec(),
                    leading_colon: p.path.leading_colon.is_some(),
                    scope: self.scope,
                    pos: self.path_start(&p.path),
                })
            }
            _ => None,
        }
    }

    /// The path of a type as written (references and parentheses taken off).
    fn type_path(&self, ty: &syn::Type, pos: usize) -> Option<PathRef> {
        match ty {
            syn::Type::Reference(r) => self.type_path(&r.elem, pos),
            syn::Type::Paren(p) => self.type_path(&p.elem, pos),
            syn::Type::Group(g) => self.type_path(&g.elem, pos),
            syn::Type::Path(p) if p.qself.is_none() => Some(PathRef {
                segments: p.path.segments.iter().map(|s| unraw(&s.ident)).collect(),
                leading_colon: p.path.leading_colon.is_some(),
                scope: self.scope,
                pos,
            }),
            _ => None,
        }
    }

    /// Runs `visit` with `range` as the module or block being visited.
    fn in_container(&mut self, range: Range<usize>, visit: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.container, range);
        visit(self);
        self.container = outer;
    }

    /// Runs `visit` inside a lint node when `attrs` name a `disallowed_*` lint; `end`
    /// says where the node ends (asked only then: a span of a big item is costly).
    fn with_lints(
        &mut self,
        attrs: &[syn::Attribute],
        end: impl FnOnce(&Self) -> usize,
        visit: impl FnOnce(&mut Self),
    ) {
        let lint_attrs: Vec<LintAttr> = attrs.iter().filter_map(|a| self.lint_attr(a)).collect();
        if lint_attrs.is_empty() {
            return visit(self);
        }
        let start = attrs
            .first()
            .map_or(0, |a| self.range(a.pound_token.span).start);
        let node = LintNode {
            range: start..end(self),
            attrs: lint_attrs,
            uses: Vec::new(),
        };
        self.lint_nodes.push(node);
        self.open_lints.push(self.lint_nodes.len() - 1);
        visit(self);
        self.open_lints.pop();
    }

    /// An outer `#[expect(…)]` / `#[allow(…)]` that names a `disallowed_*` lint.
    fn lint_attr(&self, attr: &syn::Attribute) -> Option<LintAttr> {
        if !matches!(attr.style, syn::AttrStyle::Outer) {
            return None;
        }
        let name = ["expect", "allow"]
            .into_iter()
            .find(|n| attr.path().is_ident(n))?;
        let metas = attr
            .parse_args_with(Punctuated::<syn::Meta, Token![,]>::parse_terminated)
            .ok()?;
        let entries: Vec<LintEntry> = metas
            .iter()
            .map(|m| {
                let range = self.range(m.span());
                LintEntry {
                    text: self.src[range.clone()].to_string(),
                    range,
                    lint: match m {
                        syn::Meta::Path(p) => Some(
                            p.segments
                                .iter()
                                .map(|s| s.ident.to_string())
                                .collect::<Vec<_>>()
                                .join("::"),
                        ),
                        _ => None,
                    },
                }
            })
            .collect();
        let named = entries.iter().any(|e| {
            e.lint
                .as_deref()
                .is_some_and(|l| DISALLOWED_LINTS.contains(&l))
        });
        named.then(|| LintAttr {
            range: self.range(attr.pound_token.span).start
                ..self.range(attr.bracket_token.span.close()).end,
            name: name.to_string(),
            entries,
        })
    }

    /// Notes a use a `disallowed_*` lint looks at, in every lint node being visited.
    fn note_use(&mut self, kind: UseKind, path: &syn::Path, range: Range<usize>) {
        if self.open_lints.is_empty() {
            return;
        }
        let used = NodeUse {
            kind,
            segments: path.segments.iter().map(|s| unraw(&s.ident)).collect(),
            leading_colon: path.leading_colon.is_some(),
            range,
            scope: self.scope,
        };
        for &n in &self.open_lints {
            self.lint_nodes[n].uses.push(used.clone());
        }
    }

    fn range(&self, span: Span) -> Range<usize> {
        let r = span.byte_range();
        r.start + self.off..r.end + self.off
    }

    fn path_start(&self, path: &syn::Path) -> usize {
        match (&path.leading_colon, path.segments.first()) {
            (Some(colon), _) => self.range(colon.spans[0]).start,
            (None, Some(first)) => self.range(first.ident.span()).start,
            (None, None) => 0,
        }
    }

    fn path_end(&self, path: &syn::Path) -> usize {
        let Some(last) = path.segments.last() else {
            return 0;
        };
        let span = match &last.arguments {
            syn::PathArguments::AngleBracketed(a) => a.gt_token.span,
            syn::PathArguments::Parenthesized(p) => p.paren_token.span.close(),
            syn::PathArguments::None => last.ident.span(),
        };
        self.range(span).end
    }

    fn bind(&mut self, name: &syn::Ident, kind: BindingKind) {
        let pos = self.range(name.span()).start;
        self.scopes
            .bind(self.scope, &unraw(name), Binding { pos, kind });
    }

    fn in_scope(&mut self, kind: ScopeKind, f: impl FnOnce(&mut Self)) {
        let outer = self.scope;
        self.scope = self.scopes.push(kind, outer);
        f(self);
        self.scope = outer;
    }

    /// Visits the items of a module (the file or an inline `mod`), recording where its
    /// `use` items are.
    fn module_items(&mut self, name: Option<String>, header_end: usize, items: &[Item]) {
        let mut module = Module {
            scope: self.scope,
            name,
            header_end,
            last_use: None,
            // An item's span would print it to tokens (deep, and slow on big items):
            // the first item starts where the trivia after the header ends.
            first_item: (!items.is_empty()).then(|| lex::skip_trivia(self.src, header_end)),
            uses: Vec::new(),
        };
        for (i, item) in items.iter().enumerate() {
            if matches!(item, Item::Use(_) | Item::ExternCrate(_)) {
                module.last_use = Some(self.range(item.span()));
            }
            self.first = i == 0;
            self.visit_item(item);
            if let (Item::Use(_), Some(u)) = (item, self.uses.last()) {
                module.uses.push(u.clone());
            }
        }
        self.modules.push(module);
    }

    fn inner_attrs_end(&self, attrs: &[syn::Attribute]) -> Option<usize> {
        attrs
            .iter()
            .filter(|a| matches!(a.style, syn::AttrStyle::Inner(_)))
            .map(|a| self.range(a.bracket_token.span.close()).end)
            .max()
    }

    fn record_use(&mut self, item: &syn::ItemUse) {
        let mut entries = Vec::new();
        flatten(&item.tree, &mut Vec::new(), &mut entries);
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                UseEntry::Bind { path, ident } => {
                    paths.push(path.clone());
                    if ident != "_" {
                        let pos = self.range(item.span()).start;
                        let kind = BindingKind::Use(path);
                        self.scopes.bind(self.scope, &ident, Binding { pos, kind });
                    }
                }
                UseEntry::Glob(path) => {
                    paths.push(format!("{path}::*"));
                    let scope = &mut self.scopes.scopes[self.scope];
                    if path == "super" && scope.kind == ScopeKind::Module {
                        scope.inherits_parent = true;
                    } else {
                        scope.globs.push(path);
                    }
                }
            }
        }
        self.path_idents(&item.tree, true);
        let (names, group) = self.use_names(&item.tree, &mut Vec::new());
        let pinned = item.attrs.iter().any(|a| {
            let p = a.path();
            let skip = p.segments.len() == 2
                && p.segments[0].ident == "rustfmt"
                && p.segments[1].ident == "skip";
            p.is_ident("macro_use") || skip
        });
        let tree_start = match &item.leading_colon {
            Some(colon) => self.range(colon.spans[0]).start,
            None => self.range(item.tree.span()).start,
        };
        let vis = match &item.vis {
            syn::Visibility::Inherited => String::new(),
            vis => self.src[self.range(vis.span())].to_string(),
        };
        self.uses.push(UseItem {
            range: self.range(item.span()),
            first: self.first,
            paths,
            names,
            group,
            tree_range: tree_start..self.range(item.semi_token.span).start,
            tree: Tree::from_syn(&item.tree, item.leading_colon.is_some()),
            attrs: !item.attrs.is_empty(),
            pinned,
            visible: if vis.is_empty() {
                self.container.clone()
            } else {
                0..self.src.len()
            },
            vis,
        });
    }

    /// Records the identifiers of a use tree other than its head (`std` in
    /// `use std::env;`, `super` and `env` in `use super::env;`): only a head can refer
    /// to a name another `use` binds.
    fn path_idents(&mut self, tree: &UseTree, head: bool) {
        let note = |w: &mut Self, ident: &syn::Ident, is_head: bool| {
            if !is_head {
                let start = w.range(ident.span()).start;
                w.use_path_idents.insert(start);
            }
        };
        match tree {
            UseTree::Path(p) => {
                note(self, &p.ident, head);
                let relative = ["self", "super", "crate"].iter().any(|k| p.ident == k);
                self.path_idents(&p.tree, head && relative);
            }
            UseTree::Name(n) => note(self, &n.ident, head),
            UseTree::Rename(r) => {
                note(self, &r.ident, head);
                note(self, &r.rename, false);
            }
            UseTree::Glob(_) => {}
            UseTree::Group(g) => {
                for t in &g.items {
                    self.path_idents(t, head);
                }
            }
        }
    }

    /// The names a `use` binds, one per comma of its top-level group.
    fn use_names(
        &self,
        tree: &UseTree,
        prefix: &mut Vec<String>,
    ) -> (Vec<UseName>, Option<Range<usize>>) {
        match tree {
            UseTree::Path(p) => {
                prefix.push(unraw(&p.ident));
                self.use_names(&p.tree, prefix)
            }
            UseTree::Group(g) => {
                let names = g
                    .items
                    .iter()
                    .map(|t| UseName {
                        text: self.src[self.range(t.span())].to_string(),
                        range: self.range(t.span()),
                        bound: bound_name(t, prefix),
                    })
                    .collect();
                let group = match (g.items.first(), g.items.last()) {
                    (Some(a), Some(b)) => {
                        Some(self.range(a.span()).start..self.range(b.span()).end)
                    }
                    _ => None,
                };
                (names, group)
            }
            other => (
                vec![UseName {
                    text: self.src[self.range(other.span())].to_string(),
                    range: self.range(other.span()),
                    bound: bound_name(other, prefix),
                }],
                None,
            ),
        }
    }

    fn read_macro(&mut self, mac: &syn::Macro, name: &str) {
        let args = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated);
        let (count, key) = match &args {
            Ok(args) => (
                args.len(),
                args.first().map_or(Key::Missing, |e| self.key(e)),
            ),
            Err(_) => (0, Key::Computed),
        };
        self.reads.push(RawRead {
            kind: ReadKind::Macro {
                name: name.to_string(),
            },
            span: self.path_start(&mac.path)..self.range(mac.delimiter.span().close()).end,
            scope: self.scope,
            args: count,
            arg_ranges: Vec::new(),
            key,
            in_test: self.test_depth > 0,
        });
    }

    fn key(&self, expr: &Expr) -> Key {
        match expr {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) if s.suffix().is_empty() && !s.value().is_empty() => Key::Literal {
                value: s.value(),
                range: self.range(s.span()),
            },
            _ => Key::Computed,
        }
    }

    /// Reads inside the arguments of a macro whose arguments are expressions.
    fn expr_macro_body(&mut self, mac: &syn::Macro, name: &str) {
        let parsed = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated);
        match parsed {
            Ok(args) => {
                for arg in &args {
                    self.visit_expr(arg);
                }
            }
            Err(_) if name == "vec" => {
                // `vec![elem; n]`
                let repeat = |input: syn::parse::ParseStream| {
                    let elem: Expr = input.parse()?;
                    input.parse::<Token![;]>()?;
                    let n: Expr = input.parse()?;
                    Ok((elem, n))
                };
                if let Ok((elem, n)) = mac.parse_body_with(repeat) {
                    self.visit_expr(&elem);
                    self.visit_expr(&n);
                }
            }
            // Not expressions (`info!(target: "x", …)`): nothing to see.
            Err(_) => {}
        }
    }

    /// Reads in the `static` items of `lazy_static!` and `thread_local!`.
    fn item_macro_body(&mut self, mac: &syn::Macro) {
        // `static ref NAME: T = …;` is `static NAME: T = …;` once `ref` goes.
        let mut tokens = TokenStream::new();
        let mut after_static = false;
        for tt in mac.tokens.clone() {
            let is_ref = matches!(&tt, TokenTree::Ident(i) if i == "ref");
            let is_static = matches!(&tt, TokenTree::Ident(i) if i == "static");
            if !(after_static && is_ref) {
                tokens.extend([tt]);
            }
            after_static = is_static;
        }
        if let Ok(file) = syn::parse2::<syn::File>(tokens) {
            for item in &file.items {
                self.visit_item(item);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_file(&mut self, file: &'ast syn::File) {
        let header_end = self
            .inner_attrs_end(&file.attrs)
            .unwrap_or(0)
            .max(self.header);
        self.module_items(None, header_end, &file.items);
    }

    fn visit_item(&mut self, item: &'ast Item) {
        let ident = match item {
            Item::Const(i) => Some(&i.ident),
            Item::Enum(i) => Some(&i.ident),
            Item::Fn(i) => Some(&i.sig.ident),
            Item::Mod(i) => Some(&i.ident),
            Item::Static(i) => Some(&i.ident),
            Item::Struct(i) => Some(&i.ident),
            Item::Trait(i) => Some(&i.ident),
            Item::TraitAlias(i) => Some(&i.ident),
            Item::Type(i) => Some(&i.ident),
            Item::Union(i) => Some(&i.ident),
            _ => None,
        };
        if let Some(ident) = ident {
            self.bind(ident, BindingKind::Item);
        }
        if let Item::ExternCrate(e) = item {
            let name = unraw(&e.ident);
            if let Some((_, alias)) = &e.rename {
                self.bind(alias, BindingKind::Use(name));
            }
        }
        let attrs: &[syn::Attribute] = match item {
            Item::Fn(i) => &i.attrs,
            Item::Const(i) => &i.attrs,
            Item::Static(i) => &i.attrs,
            Item::Impl(i) => &i.attrs,
            Item::Mod(i) => &i.attrs,
            Item::Trait(i) => &i.attrs,
            _ => &[],
        };
        self.in_test_item(attrs, |w| {
            w.with_lints(
                attrs,
                |w| w.range(item.span()).end,
                |w| visit::visit_item(w, item),
            )
        });
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        match stmt {
            syn::Stmt::Expr(e, semi) => self.with_lints(
                expr_attrs(e),
                |w| match semi {
                    Some(semi) => w.range(semi.span).end,
                    None => w.range(e.span()).end,
                },
                |w| visit::visit_stmt(w, stmt),
            ),
            syn::Stmt::Macro(m) => self.with_lints(
                &m.attrs,
                |w| w.range(m.span()).end,
                |w| visit::visit_stmt(w, stmt),
            ),
            _ => visit::visit_stmt(self, stmt),
        }
    }

    fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
        if p.qself.is_none() {
            let range = self.path_start(&p.path)..self.path_end(&p.path);
            self.note_use(UseKind::Path, &p.path, range);
        }
        visit::visit_expr_path(self, p);
    }

    fn visit_type_path(&mut self, t: &'ast syn::TypePath) {
        if t.qself.is_none() {
            let range = self.path_start(&t.path)..self.path_end(&t.path);
            self.note_use(UseKind::Type, &t.path, range);
        }
        visit::visit_type_path(self, t);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        // Names in a `use` are not reads; only its bindings matter.
        self.record_use(item);
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        let Some((brace, items)) = &item.content else {
            return;
        };
        let brace_end = self.range(brace.span.open()).end;
        let header_end = self
            .inner_attrs_end(&item.attrs)
            .unwrap_or(0)
            .max(brace_end);
        let name = unraw(&item.ident);
        let range = self.range(brace.span.open()).start..self.range(brace.span.close()).end;
        self.in_container(range, |w| {
            w.in_scope(ScopeKind::Module, |w| {
                w.module_items(Some(name), header_end, items)
            })
        });
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        let span = block.brace_token.span;
        let range = self.range(span.open()).start..self.range(span.close()).end;
        self.in_container(range, |w| {
            w.in_scope(ScopeKind::Block, |w| {
                for (i, stmt) in block.stmts.iter().enumerate() {
                    w.first = i == 0;
                    w.visit_stmt(stmt);
                }
            })
        });
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.in_scope(ScopeKind::Block, |w| visit::visit_item_fn(w, f));
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.in_test_item(&f.attrs, |w| {
            w.with_lints(
                &f.attrs,
                |w| w.range(f.block.brace_token.span.close()).end,
                |w| w.in_scope(ScopeKind::Block, |w| visit::visit_impl_item_fn(w, f)),
            )
        });
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        self.with_lints(
            &f.attrs,
            |w| w.range(f.span()).end,
            |w| w.in_scope(ScopeKind::Block, |w| visit::visit_trait_item_fn(w, f)),
        );
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.in_scope(ScopeKind::Block, |w| visit::visit_expr_closure(w, c));
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        let end = self.range(local.semi_token.span).end;
        self.with_lints(
            &local.attrs,
            |_| end,
            |w| {
                // `let var = var("X");` — the new `var` is not in scope in its initializer.
                for attr in &local.attrs {
                    w.visit_attribute(attr);
                }
                w.let_end = Some(end);
                w.visit_pat(&local.pat);
                w.let_end = None;
                // `let mut cmd = Command::new(…);`
                let init = local.init.as_ref().map(|i| &*i.expr);
                if let (syn::Pat::Ident(p), Some(Expr::Call(call))) = (&local.pat, init) {
                    if let Some(ty) = w.new_call(call) {
                        w.typed_locals.insert((end, unraw(&p.ident)), ty);
                    }
                }
                if let Some(init) = &local.init {
                    w.visit_local_init(init);
                }
            },
        );
    }

    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        let pos = self
            .let_end
            .unwrap_or_else(|| self.range(p.ident.span()).start);
        self.scopes.bind(
            self.scope,
            &unraw(&p.ident),
            Binding {
                pos,
                kind: BindingKind::Local,
            },
        );
        visit::visit_pat_ident(self, p);
    }

    fn visit_pat_type(&mut self, p: &'ast syn::PatType) {
        // `cmd: &mut Command` (a parameter), `let mut cmd: Command = …;`
        if let syn::Pat::Ident(ident) = &*p.pat {
            let pos = self
                .let_end
                .unwrap_or_else(|| self.range(ident.ident.span()).start);
            if let Some(ty) = self.type_path(&p.ty, pos) {
                self.typed_locals.insert((pos, unraw(&ident.ident)), ty);
            }
        }
        visit::visit_pat_type(self, p);
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        if self.depth >= MAX_DEPTH {
            self.too_deep = true;
            return;
        }
        self.depth += 1;
        visit::visit_expr(self, expr);
        self.depth -= 1;
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let range = self.range(call.method.span());
        self.note_use(UseKind::Method, &call.method.clone().into(), range);
        let method = call.method.to_string();
        let names = match (method.as_str(), call.args.len()) {
            ("env", 2) => match self.key(&call.args[0]) {
                Key::Literal { value, range } => vec![(value, range)],
                _ => Vec::new(),
            },
            ("envs", 1) => self.tuple_names(&call.args[0]),
            _ => Vec::new(),
        };
        if !names.is_empty() {
            if let Some(root) = self.builder_root(&call.receiver) {
                self.writes.push(RawWrite {
                    names,
                    root,
                    in_test: self.test_depth > 0,
                });
            }
        }
        if PRESENCE_METHODS.contains(&method.as_str())
            && call.args.is_empty()
            && call.turbofish.is_none()
        {
            if let Expr::Call(c) = &*call.receiver {
                if let Expr::Path(p) = &*c.func {
                    self.presence.insert(
                        self.path_start(&p.path),
                        Presence {
                            method: method.clone(),
                            method_range: self.range(call.method.span()),
                            end: self.range(call.paren_token.span.close()).end,
                        },
                    );
                }
            }
        }
        if FALLBACK_METHODS.contains(&method.as_str()) {
            // Down the chain to the call it starts with: `var("X").ok().unwrap_or(…)`.
            let mut receiver = &*call.receiver;
            while let Expr::MethodCall(inner) = receiver {
                receiver = &inner.receiver;
            }
            match receiver {
                Expr::Call(c) => {
                    if let Expr::Path(p) = &*c.func {
                        self.defaulted.insert(self.path_start(&p.path));
                    }
                }
                Expr::Macro(m) => {
                    self.defaulted.insert(self.path_start(&m.mac.path));
                }
                _ => {}
            }
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*call.func {
            if p.qself.is_none() {
                self.reads.push(RawRead {
                    kind: ReadKind::Call {
                        segments: p.path.segments.iter().map(|s| unraw(&s.ident)).collect(),
                        leading_colon: p.path.leading_colon.is_some(),
                        callee: self.path_start(&p.path)..self.path_end(&p.path),
                    },
                    span: self.path_start(&p.path)..self.range(call.paren_token.span.close()).end,
                    scope: self.scope,
                    args: call.args.len(),
                    arg_ranges: call.args.iter().map(|a| self.range(a.span())).collect(),
                    key: call.args.first().map_or(Key::Missing, |e| self.key(e)),
                    in_test: self.test_depth > 0,
                });
                if let Some(first) = call.args.first() {
                    let names = self.tuple_names(first);
                    if !names.is_empty() {
                        self.tuple_args.insert(self.path_start(&p.path), names);
                    }
                }
            }
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let range = self.path_start(&mac.path)..self.path_end(&mac.path);
        self.note_use(UseKind::Macro, &mac.path, range);
        let segments: Vec<String> = mac.path.segments.iter().map(|s| unraw(&s.ident)).collect();
        let Some(name) = segments.last() else { return };
        let builtin = match segments.as_slice() {
            [_] => true,
            [root, _] => root == "std" || root == "core",
            _ => false,
        };
        if builtin && self.rules.macros.contains_key(name) {
            self.read_macro(mac, name);
        } else if EXPR_MACROS.contains(&name.as_str()) {
            self.expr_macro_body(mac, name);
        } else if ITEM_MACROS.contains(&name.as_str()) {
            self.item_macro_body(mac);
        }
    }
}

/// A test item's attribute: `#[test]` or a test harness's own (`#[tokio::test]`,
/// `#[async_std::test]`, `#[test_log::test]`: each named `test`), or `#[cfg(test)]`
/// (also `#[cfg(all(test, …))]`).
pub fn is_test_attr(attr: &syn::Attribute) -> bool {
    if !matches!(attr.style, syn::AttrStyle::Outer) {
        return false;
    }
    let path = attr.path();
    if path.is_ident("cfg") {
        return attr.parse_args::<syn::Meta>().is_ok_and(|m| cfg_test(&m));
    }
    path.segments.last().is_some_and(|s| s.ident == "test")
}

/// `test`, or `all(…)` with `test` among its predicates.
fn cfg_test(meta: &syn::Meta) -> bool {
    match meta {
        syn::Meta::Path(p) => p.is_ident("test"),
        syn::Meta::List(l) if l.path.is_ident("all") => l
            .parse_args_with(Punctuated::<syn::Meta, Token![,]>::parse_terminated)
            .is_ok_and(|ms| ms.iter().any(cfg_test)),
        _ => false,
    }
}

/// The outer attributes of an expression statement (syn keeps them on the expression).
fn expr_attrs(e: &Expr) -> &[syn::Attribute] {
    match e {
        Expr::Array(x) => &x.attrs,
        Expr::Assign(x) => &x.attrs,
        Expr::Async(x) => &x.attrs,
        Expr::Await(x) => &x.attrs,
        Expr::Binary(x) => &x.attrs,
        Expr::Block(x) => &x.attrs,
        Expr::Call(x) => &x.attrs,
        Expr::Closure(x) => &x.attrs,
        Expr::ForLoop(x) => &x.attrs,
        Expr::If(x) => &x.attrs,
        Expr::Loop(x) => &x.attrs,
        Expr::Macro(x) => &x.attrs,
        Expr::Match(x) => &x.attrs,
        Expr::MethodCall(x) => &x.attrs,
        Expr::Paren(x) => &x.attrs,
        Expr::Path(x) => &x.attrs,
        Expr::Return(x) => &x.attrs,
        Expr::Try(x) => &x.attrs,
        Expr::Tuple(x) => &x.attrs,
        Expr::Unary(x) => &x.attrs,
        Expr::Unsafe(x) => &x.attrs,
        Expr::While(x) => &x.attrs,
        _ => &[],
    }
}

enum UseEntry {
    Bind { path: String, ident: String },
    Glob(String),
}

/// Every (name, full path) a use tree binds, and its globs.
fn flatten(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<UseEntry>) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(unraw(&p.ident));
            flatten(&p.tree, prefix, out);
            prefix.pop();
        }
        UseTree::Name(n) => {
            let ident = unraw(&n.ident);
            if let Some(entry) = bind_entry(prefix, &ident, None) {
                out.push(entry);
            }
        }
        UseTree::Rename(r) => {
            let ident = unraw(&r.ident);
            if let Some(entry) = bind_entry(prefix, &ident, Some(unraw(&r.rename))) {
                out.push(entry);
            }
        }
        UseTree::Glob(_) => out.push(UseEntry::Glob(prefix.join("::"))),
        UseTree::Group(g) => {
            for t in &g.items {
                flatten(t, prefix, out);
            }
        }
    }
}

fn bind_entry(prefix: &[String], ident: &str, rename: Option<String>) -> Option<UseEntry> {
    let (path, name) = if ident == "self" {
        // `use std::env::{self}` binds `env`.
        (prefix.join("::"), prefix.last()?.clone())
    } else if prefix.is_empty() {
        (ident.to_string(), ident.to_string())
    } else {
        (format!("{}::{ident}", prefix.join("::")), ident.to_string())
    };
    Some(UseEntry::Bind {
        path,
        ident: rename.unwrap_or(name),
    })
}

/// The name a simple tree (`x`, `x as y`, `self`) binds; `None` for anything else.
fn bound_name(tree: &UseTree, prefix: &[String]) -> Option<String> {
    let name = match tree {
        UseTree::Name(n) if n.ident == "self" => prefix.last()?.clone(),
        UseTree::Name(n) => unraw(&n.ident),
        UseTree::Rename(r) => unraw(&r.rename),
        _ => return None,
    };
    (name != "_").then_some(name)
}

/// `r#type` → `type`.
pub fn unraw(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    match s.strip_prefix("r#") {
        Some(rest) => rest.to_string(),
        None => s,
    }
}
