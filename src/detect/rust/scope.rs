//! Rust name resolution, as far as env reads need it: which path a name in a module or
//! block stands for (`use` items, `extern crate`, local items and `let` bindings).
//! Pure bookkeeping over data the walker records; never parses and never reports.

use std::collections::HashMap;

/// What a name is bound to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindingKind {
    /// A `use` (or `extern crate … as`) of this full path, `::` separated, no leading `::`.
    Use(String),
    /// An item defined here (`fn`, `struct`, `mod`, `const`, …).
    Item,
    /// A `let`, parameter or pattern binding: only shadows from its position on, and
    /// only in the value namespace (a path `env::var` never starts at a local).
    Local,
}

#[derive(Clone, Debug)]
pub struct Binding {
    /// Byte offset of the binding, for locals and for messages.
    pub pos: usize,
    pub kind: BindingKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// The file, or an inline `mod m { … }`: names from outside are not visible
    /// (but `use super::*;` brings in the parent module's).
    Module,
    /// A block, a function's parameters or a closure: sees its parent's names.
    Block,
}

#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    /// The enclosing scope (for a module: the scope its `mod` item is in).
    pub parent: Option<usize>,
    /// The nearest module scope (itself for a module).
    pub module: usize,
    pub bindings: HashMap<String, Vec<Binding>>,
    /// Paths glob-imported here (`use std::env::*;` → `std::env`).
    pub globs: Vec<String>,
    /// `use super::*;`: the parent module's names are visible.
    pub inherits_parent: bool,
}

/// Every scope of a file; scope 0 is the file's root module.
#[derive(Debug)]
pub struct Scopes {
    pub scopes: Vec<Scope>,
    /// The file's module within its crate (`["util"]` for `src/util.rs`, empty for
    /// `src/main.rs`), when its path says (Cargo's layout): `crate::`, `self::` and
    /// `super::` paths, and paths through the crate's own modules, resolve then.
    pub file_module: Option<Vec<String>>,
    /// The name of each inline module's scope (`mod m { … }`).
    pub module_names: HashMap<usize, String>,
}

/// The module path of a file in Cargo's layout, from its path: `src/lib.rs`,
/// `src/main.rs`, `src/bin/*.rs`, `tests/*.rs`, `examples/*.rs`, `benches/*.rs` and
/// `build.rs` are crate roots; `src/a/b.rs` and `src/a/b/mod.rs` are `a::b`.
pub fn file_module(path: &std::path::Path) -> Option<Vec<String>> {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let file = parts.last()?;
    let stem = file.strip_suffix(".rs")?;
    if file == "build.rs" {
        return Some(Vec::new());
    }
    let src = parts.iter().rposition(|p| p == "src");
    let top = parts
        .iter()
        .rposition(|p| matches!(p.as_str(), "tests" | "examples" | "benches"));
    match (src, top) {
        (Some(i), t) if t.is_none_or(|t| t < i) => {
            let inner = &parts[i + 1..];
            match inner {
                [f] if f == "lib.rs" || f == "main.rs" => Some(Vec::new()),
                [bin, _] if bin == "bin" => Some(Vec::new()),
                [bin, _, f] if bin == "bin" && f == "main.rs" => Some(Vec::new()),
                _ => {
                    let mut path: Vec<String> = inner[..inner.len() - 1].to_vec();
                    if stem != "mod" {
                        path.push(stem.to_string());
                    }
                    Some(path)
                }
            }
        }
        (_, Some(t)) if t + 2 == parts.len() => Some(Vec::new()),
        _ => None,
    }
}

impl Scopes {
    pub fn new() -> Scopes {
        Scopes {
            scopes: vec![Scope {
                kind: ScopeKind::Module,
                parent: None,
                module: 0,
                bindings: HashMap::new(),
                globs: Vec::new(),
                inherits_parent: false,
            }],
            file_module: None,
            module_names: HashMap::new(),
        }
    }

    /// The full path of the module `scope` is in, `crate::` first, when the file's module
    /// is known.
    fn module_path(&self, scope: usize) -> Option<Vec<String>> {
        let mut inline = Vec::new();
        let mut module = self.scopes[scope].module;
        while module != 0 {
            inline.push(self.module_names.get(&module)?.clone());
            module = self.scopes[self.scopes[module].parent?].module;
        }
        let mut path = vec!["crate".to_string()];
        path.extend(self.file_module.clone()?);
        path.extend(inline.into_iter().rev());
        Some(path)
    }

    /// A `use` path written in module scope `scope` as a path from `crate`
    /// (`util::env_or` after `mod util;`, `self::…`, `super::…`), or `None` when it is
    /// another crate's.
    pub fn absolute_use(&self, path: &str, scope: usize) -> Option<String> {
        let parts: Vec<&str> = path.split("::").collect();
        let own_module = parts.first().is_some_and(|p| {
            self.scopes[self.scopes[scope].module]
                .bindings
                .get(*p)
                .is_some_and(|bs| bs.iter().any(|b| b.kind == BindingKind::Item))
        });
        self.in_crate(&parts, scope, own_module)
    }

    /// `segments`, written in `scope`, as a path from `crate` when they start with
    /// `crate`, `self` or `super`, or with `first_item`, a name bound to an item
    /// (`mod util;`) of the module they are in.
    fn in_crate(&self, segments: &[&str], scope: usize, first_item: bool) -> Option<String> {
        let (head, rest): (Vec<String>, &[&str]) = match *segments.first()? {
            "crate" => (vec!["crate".to_string()], &segments[1..]),
            "self" => (self.module_path(scope)?, &segments[1..]),
            "super" => {
                let mut path = self.module_path(scope)?;
                let mut rest = segments;
                while rest.first() == Some(&"super") {
                    if path.len() < 2 {
                        return None;
                    }
                    path.pop();
                    rest = &rest[1..];
                }
                (path, rest)
            }
            _ if first_item => (self.module_path(scope)?, segments),
            _ => return None,
        };
        let mut out = head;
        out.extend(rest.iter().map(|s| s.to_string()));
        Some(out.join("::"))
    }

    pub fn push(&mut self, kind: ScopeKind, parent: usize) -> usize {
        let id = self.scopes.len();
        let module = match kind {
            ScopeKind::Module => id,
            ScopeKind::Block => self.scopes[parent].module,
        };
        self.scopes.push(Scope {
            kind,
            parent: Some(parent),
            module,
            bindings: HashMap::new(),
            globs: Vec::new(),
            inherits_parent: false,
        });
        id
    }

    pub fn bind(&mut self, scope: usize, name: &str, binding: Binding) {
        self.scopes[scope]
            .bindings
            .entry(name.to_string())
            .or_default()
            .push(binding);
    }

    /// The scopes whose names are visible from `scope`, innermost first.
    fn chain(&self, scope: usize) -> impl Iterator<Item = (usize, &Scope)> + '_ {
        let mut next = Some(scope);
        std::iter::from_fn(move || {
            let id = next?;
            let s = &self.scopes[id];
            next = match s.kind {
                ScopeKind::Block => s.parent,
                // `use super::*` sees the items of the module holding `mod m`.
                ScopeKind::Module if s.inherits_parent => s.parent.map(|p| self.scopes[p].module),
                ScopeKind::Module => None,
            };
            Some((id, s))
        })
    }

    /// The binding `name` has at `pos` in `scope`, with the scope it is in; locals count
    /// only in the value namespace and only once bound. `use` items and items count
    /// wherever they are in their scope, as in Rust.
    pub fn lookup(
        &self,
        name: &str,
        scope: usize,
        pos: usize,
        value: bool,
    ) -> Option<(usize, &Binding)> {
        self.chain(scope).find_map(|(id, s)| {
            let b = s.bindings.get(name)?.iter().rev().find(|b| match b.kind {
                BindingKind::Local => value && b.pos < pos,
                _ => true,
            })?;
            Some((id, b))
        })
    }

    /// The full path a path expression stands for, `::` separated: `env::var` under
    /// `use std::env;` is `std::env::var`. A first segment bound to a local item is
    /// `None`; an unbound one is taken as a crate name (`std`, `dotenvy`). `known` says
    /// which paths a glob import may supply (globs are ambiguous otherwise).
    pub fn qualified(
        &self,
        segments: &[String],
        leading_colon: bool,
        scope: usize,
        pos: usize,
        known: &dyn Fn(&str) -> bool,
    ) -> Option<String> {
        let (first, rest) = segments.split_first()?;
        if leading_colon {
            return Some(segments.join("::"));
        }
        let written: Vec<&str> = segments.iter().map(String::as_str).collect();
        if matches!(first.as_str(), "crate" | "self" | "super") {
            return self.in_crate(&written, scope, false);
        }
        if first == "Self" {
            return None;
        }
        let join = |head: &str| {
            let mut out = head.to_string();
            for s in rest {
                out.push_str("::");
                out.push_str(s);
            }
            out
        };
        match self.lookup(first, scope, pos, rest.is_empty()) {
            Some((
                at,
                Binding {
                    kind: BindingKind::Use(path),
                    ..
                },
            )) => {
                // `use util::env_or;` (the crate's own module), `use self::…`,
                // `use super::…`: from `crate`; a crate name stays as it is.
                let full = self.absolute_use(path, at).unwrap_or_else(|| path.clone());
                Some(join(&full))
            }
            // An item of the crate's own (`mod util;`, a `fn` of this module).
            Some((at, b)) if b.kind == BindingKind::Item => self.in_crate(&written, at, true),
            Some(_) => None,
            None => {
                let written = join(first);
                let from_glob = self.chain(scope).find_map(|(_, s)| {
                    s.globs
                        .iter()
                        .map(|g| format!("{g}::{written}"))
                        .find(|q| known(q))
                });
                Some(from_glob.unwrap_or(written))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn use_(path: &str) -> Binding {
        Binding {
            pos: 0,
            kind: BindingKind::Use(path.into()),
        }
    }

    fn segs(p: &str) -> Vec<String> {
        p.split("::").map(String::from).collect()
    }

    #[test]
    fn resolves_through_uses_globs_and_super() {
        let mut s = Scopes::new();
        s.bind(0, "env", use_("std::env"));
        let block = s.push(ScopeKind::Block, 0);
        s.bind(
            block,
            "var",
            Binding {
                pos: 50,
                kind: BindingKind::Local,
            },
        );
        let none = |_: &str| false;
        let q = |s: &Scopes, p: &str, scope, pos| s.qualified(&segs(p), false, scope, pos, &none);
        assert_eq!(
            q(&s, "env::var", block, 10).as_deref(),
            Some("std::env::var")
        );
        // a local shadows a single-segment call only after it is bound
        assert_eq!(q(&s, "var", block, 10).as_deref(), Some("var"));
        assert_eq!(q(&s, "var", block, 60), None);
        let m = s.push(ScopeKind::Module, block);
        assert_eq!(q(&s, "env::var", m, 10).as_deref(), Some("env::var"));
        s.scopes[m].inherits_parent = true;
        assert_eq!(q(&s, "env::var", m, 10).as_deref(), Some("std::env::var"));
        s.scopes[m].globs.push("std::env".into());
        let known = |p: &str| p == "std::env::var";
        assert_eq!(
            s.qualified(&segs("var"), false, m, 0, &known).as_deref(),
            Some("std::env::var")
        );
    }
}
