//! The environment variables a Rust file writes, from what the walker recorded: the
//! names it hands to a process it starts (`Command::new(…).env("X", v)`, `.envs([…])`
//! on `std::process::Command` or `tokio::process::Command`, a binding of one) or sets
//! in its own environment (`std::env::set_var`), and the names its tests set (the same
//! in test code, and `temp_env::with_var` / `with_vars`). Only literal names count;
//! `remove_var` is a removal, not a write. Decides nothing about findings.

use std::path::Path;

use super::scope::{BindingKind, Scopes};
use super::walk::{BuilderRoot, Key, PathRef, ReadKind, Walker};
use crate::detect::testcode::is_test_path;
use crate::detect::{EnvWrite, WriteKind};

/// The process builders whose `env` / `envs` set a child's environment.
const BUILDERS: &[&str] = &["std::process::Command", "tokio::process::Command"];

/// Writes of the running process's environment, and of a test's (`temp_env` restores
/// the variables when its closure returns: test code wherever it is).
const SET_VAR: &str = "std::env::set_var";
const WITH_VAR: &str = "temp_env::with_var";
const WITH_VARS: &str = "temp_env::with_vars";

/// The words a file with a write holds: the builder type's name and one of its
/// methods (`use std::process::Command as Cmd;` still spells `Command`), or the name
/// of a write function (an alias's `use` spells it). The keyword test of `might_write`.
pub const BUILDER_WORDS: [&str; 3] = ["Command", "env", "envs"];
pub const FUNCTIONS: &[&str] = &["set_var", "with_var", "with_vars"];

/// Every write of a literal name in the walked file at `path`, in source order.
pub fn env_writes(path: &Path, walker: &Walker) -> Vec<EnvWrite> {
    let test_file = is_test_path(path);
    let kind = |in_test: bool| {
        if test_file || in_test {
            WriteKind::Test
        } else {
            WriteKind::HandOff
        }
    };
    let scopes = &walker.scopes;
    let mut out = Vec::new();
    for read in &walker.reads {
        let ReadKind::Call {
            segments,
            leading_colon,
            ..
        } = &read.kind
        else {
            continue;
        };
        let known = |q: &str| [SET_VAR, WITH_VAR, WITH_VARS].contains(&q);
        let Some(q) = scopes.qualified(
            segments,
            *leading_colon,
            read.scope,
            read.span.start,
            &known,
        ) else {
            continue;
        };
        let write = |name: &str, kind: WriteKind| EnvWrite {
            name: name.to_string(),
            span: read.span.clone(),
            kind,
        };
        match (q.as_str(), &read.key) {
            (SET_VAR, Key::Literal { value, .. }) if read.args == 2 => {
                out.push(write(value, kind(read.in_test)));
            }
            (WITH_VAR, Key::Literal { value, .. }) => out.push(write(value, WriteKind::Test)),
            (WITH_VARS, _) => {
                let names = walker
                    .tuple_args
                    .get(&read.span.start)
                    .into_iter()
                    .flatten();
                out.extend(names.map(|(name, _)| write(name, WriteKind::Test)));
            }
            _ => {}
        }
    }
    for w in &walker.writes {
        let builder = match &w.root {
            BuilderRoot::New(ty) => is_builder(scopes, ty),
            BuilderRoot::Local { name, scope, pos } => {
                match scopes.lookup(name, *scope, *pos, true) {
                    Some((_, b)) if b.kind == BindingKind::Local => walker
                        .typed_locals
                        .get(&(b.pos, name.clone()))
                        .is_some_and(|ty| is_builder(scopes, ty)),
                    _ => false,
                }
            }
        };
        if builder {
            out.extend(w.names.iter().map(|(name, range)| EnvWrite {
                name: name.clone(),
                span: range.clone(),
                kind: kind(w.in_test),
            }));
        }
    }
    out.sort_by_key(|w| (w.span.start, w.name.clone()));
    out
}

/// Whether a type path, where it is written, names a process builder.
fn is_builder(scopes: &Scopes, ty: &PathRef) -> bool {
    let known = |q: &str| BUILDERS.contains(&q);
    scopes
        .qualified(&ty.segments, ty.leading_colon, ty.scope, ty.pos, &known)
        .is_some_and(|q| known(&q))
}

#[cfg(test)]
mod tests {
    use syn::parse::Parser;

    use super::super::walk::is_test_attr;

    fn is_test(attr: &str) -> bool {
        let attrs = syn::Attribute::parse_outer.parse_str(attr).unwrap();
        attrs.iter().any(is_test_attr)
    }

    #[test]
    fn test_items_by_their_attributes() {
        for a in [
            "#[test]",
            "#[tokio::test]",
            "#[tokio::test(flavor = \"multi_thread\")]",
            "#[cfg(test)]",
            "#[cfg(all(test, unix))]",
        ] {
            assert!(is_test(a), "{a}");
        }
        for a in [
            "#[cfg(not(test))]",
            "#[cfg(any(test, feature = \"x\"))]",
            "#[cfg(unix)]",
            "#[test_case(1)]",
            "#[inline]",
        ] {
            assert!(!is_test(a), "{a}");
        }
    }

    #[test]
    fn write_words() {
        use super::super::might_write;
        assert!(might_write("Command::new(\"x\").env(\"A\", \"1\")"));
        assert!(might_write("use std::env::set_var as put;"));
        assert!(might_write("temp_env::with_vars([], || ())"));
        // `.env(…)` without a builder type named, or the type without the method.
        assert!(!might_write("job.env(\"A\", \"1\")"));
        assert!(!might_write("Command::new(\"x\").environment()"));
        assert!(!might_write("fn reset_vars() {}"));
    }
}
