//! Name binding shared by the tree-sitter detectors: which scope binds a name, and
//! whether that binding is an import (and of what). Flow-insensitive within a scope,
//! like most linters: the binding nearest before the use wins. Never looks at rules.

use std::collections::{HashMap, HashSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Function,
    Class,
    Comprehension,
}

/// One binding of a name: where, and the qualified name when it is an import.
#[derive(Clone, Debug)]
pub struct Binding {
    pub pos: usize,
    /// `Some("os.environ")` for `from os import environ` (or `env = os.environ`);
    /// `None` for anything else.
    pub import: Option<String>,
    /// Bound in an `except` handler (`except ImportError: os = None`): a fallback that
    /// gives way to any other binding of the name.
    pub fallback: bool,
}

#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub parent: Option<usize>,
    pub bindings: HashMap<String, Vec<Binding>>,
    pub globals: HashSet<String>,
    /// Modules imported with `from M import *`.
    pub wildcards: Vec<String>,
}

/// The scopes of a module; scope 0 is the module.
#[derive(Debug)]
pub struct Scopes {
    pub scopes: Vec<Scope>,
}

impl Default for Scopes {
    fn default() -> Self {
        Scopes::new()
    }
}

impl Scopes {
    pub fn new() -> Scopes {
        Scopes {
            scopes: vec![Scope {
                kind: ScopeKind::Module,
                parent: None,
                bindings: HashMap::new(),
                globals: HashSet::new(),
                wildcards: Vec::new(),
            }],
        }
    }

    pub fn push(&mut self, kind: ScopeKind, parent: usize) -> usize {
        self.scopes.push(Scope {
            kind,
            parent: Some(parent),
            bindings: HashMap::new(),
            globals: HashSet::new(),
            wildcards: Vec::new(),
        });
        self.scopes.len() - 1
    }

    pub fn bind(&mut self, scope: usize, name: &str, binding: Binding) {
        let scope = if self.scopes[scope].globals.contains(name) {
            0
        } else {
            scope
        };
        self.scopes[scope]
            .bindings
            .entry(name.to_string())
            .or_default()
            .push(binding);
    }

    /// The nearest enclosing scope that is not a comprehension (where a walrus binds).
    pub fn non_comprehension(&self, mut scope: usize) -> usize {
        while self.scopes[scope].kind == ScopeKind::Comprehension {
            scope = self.scopes[scope].parent.unwrap_or(0);
        }
        scope
    }

    /// The binding `name` refers to at byte `pos` in `scope`, if any scope binds it.
    /// Class scopes are visible only to their own body, as in Python.
    pub fn resolve(&self, name: &str, scope: usize, pos: usize) -> Option<&Binding> {
        self.resolve_scoped(name, scope, pos).map(|(_, b)| b)
    }

    /// [`Scopes::resolve`], with the scope the binding is in.
    pub fn resolve_scoped(
        &self,
        name: &str,
        scope: usize,
        pos: usize,
    ) -> Option<(usize, &Binding)> {
        let mut current = scope;
        loop {
            let s = &self.scopes[current];
            if s.globals.contains(name) && current != 0 {
                current = 0;
                continue;
            }
            let visible = s.kind != ScopeKind::Class || current == scope;
            if visible {
                if let Some(list) = s.bindings.get(name) {
                    let main: Vec<&Binding> = list.iter().filter(|b| !b.fallback).collect();
                    let list: Vec<&Binding> = if main.is_empty() {
                        list.iter().collect()
                    } else {
                        main
                    };
                    return list
                        .iter()
                        .rev()
                        .find(|b| b.pos <= pos)
                        .or_else(|| list.first())
                        .map(|b| (current, *b));
                }
            }
            current = s.parent?;
        }
    }
}
