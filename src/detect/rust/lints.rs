//! Attributes that silence clippy's `disallowed_*` lints on a statement or item whose
//! environment read a fix rewrites (`#[expect(clippy::disallowed_methods, reason =
//! "…")] let key = env::var("KEY")?;`): which of their lints the rewrite leaves with
//! nothing to fire on, and the edits that drop them, the whole attribute when no lint is
//! left in it. `#[expect]` must go (an expectation nothing fulfils is a warning of its
//! own, `unfulfilled_lint_expectations`); `#[allow]` goes by the same rule. Computes
//! edits and data; never applies them.

use std::ops::Range;

use super::clippy::Disallowed;
use super::place::columns;
use super::rustfmt::Settings;
use super::scope::Scopes;
use super::walk::{LintAttr, LintNode, NodeUse, UseKind};
use crate::fix::{Edit, ImportName, ImportRewrite, ImportStmt};
use crate::rules::EnvRules;
use crate::source::SourceFile;

/// What the fixer gets: one statement per attribute, in the shape of an import
/// statement (its names are the attribute's entries, each "used" by the rewritten
/// reads that made it needed), with rewrites for partial removals; and the edits a
/// fix carries itself when its read was the only one an attribute was there for.
#[derive(Debug, Default)]
pub struct Stale {
    pub stmts: Vec<ImportStmt>,
    /// `stmt` indices relative to `stmts`.
    pub rewrites: Vec<ImportRewrite>,
    /// (index into the fixed reads, edits to add to its fix).
    pub fix_edits: Vec<(usize, Vec<Edit>)>,
}

/// The lints of the family a `disallowed_*` lint name belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Methods,
    Macros,
    Types,
}

fn family(lint: &str) -> Option<Family> {
    match lint {
        "clippy::disallowed_methods" | "clippy::disallowed_method" => Some(Family::Methods),
        "clippy::disallowed_macros" => Some(Family::Macros),
        "clippy::disallowed_types" | "clippy::disallowed_type" => Some(Family::Types),
        _ => None,
    }
}

/// What the lints look at, for one file.
pub struct Context<'a> {
    pub file: &'a SourceFile,
    pub scopes: &'a Scopes,
    pub rules: &'a EnvRules,
    pub disallowed: &'a Disallowed,
    pub fmt: &'a Settings,
}

/// The stale lint attributes of `nodes`, given the callee ranges of the reads that
/// fixes rewrite (`fixed`).
pub fn stale(cx: &Context, nodes: &[LintNode], fixed: &[Range<usize>]) -> Stale {
    let mut out = Stale::default();
    let inside =
        |outer: &Range<usize>, r: &Range<usize>| outer.start <= r.start && r.end <= outer.end;
    for node in nodes {
        let reads: Vec<usize> = (0..fixed.len())
            .filter(|&k| inside(&node.range, &fixed[k]))
            .collect();
        if reads.is_empty() {
            continue;
        }
        for attr in &node.attrs {
            // Uses inside a nested node that names the same lint answer to that node.
            let governed = |lint: &str, r: &Range<usize>| {
                nodes.iter().any(|n| {
                    n.range != node.range
                        && inside(&node.range, &n.range)
                        && inside(&n.range, r)
                        && n.attrs
                            .iter()
                            .flat_map(|a| &a.entries)
                            .any(|e| e.lint.as_deref() == Some(lint))
                })
            };
            let mut refs: Vec<Option<Vec<Range<usize>>>> = Vec::new();
            for entry in &attr.entries {
                let Some(lint) = entry.lint.as_deref() else {
                    refs.push(None);
                    continue;
                };
                let Some(fam) = family(lint) else {
                    refs.push(Some(Vec::new()));
                    continue;
                };
                let triggers: Vec<&NodeUse> = node
                    .uses
                    .iter()
                    .filter(|u| !governed(lint, &u.range) && cx.fires(fam, u))
                    .collect();
                let rewritten = |u: &&NodeUse| fixed.contains(&u.range);
                let own: Vec<Range<usize>> = reads
                    .iter()
                    .map(|&k| fixed[k].clone())
                    .filter(|r| !governed(lint, r))
                    .collect();
                refs.push(Some(if triggers.iter().all(rewritten) {
                    // Nothing but rewritten reads: the lint goes with them (or, if it
                    // fired on nothing, with the reads rewritten right under it).
                    let hits: Vec<Range<usize>> =
                        triggers.iter().map(|u| u.range.clone()).collect();
                    if hits.is_empty() { own } else { hits }
                } else {
                    Vec::new()
                }));
            }
            // `reason = "…"` goes with the last lint.
            let lints: Vec<&Vec<Range<usize>>> = refs.iter().flatten().collect();
            let all_go = !lints.is_empty() && lints.iter().all(|r| !r.is_empty());
            let reason: Vec<Range<usize>> = if all_go {
                lints.iter().flat_map(|r| r.iter().cloned()).collect()
            } else {
                Vec::new()
            };
            let refs: Vec<Vec<Range<usize>>> = refs
                .into_iter()
                .map(|r| r.unwrap_or_else(|| reason.clone()))
                .collect();
            if refs.iter().all(|r| r.is_empty()) {
                continue;
            }
            let stmt = cx.stmt(attr, &refs);
            let index = out.stmts.len();
            for unused in partial_masks(&stmt) {
                if let Some(edits) = cx.without(attr, &unused) {
                    out.rewrites.push(ImportRewrite {
                        stmt: index,
                        unused,
                        edits,
                    });
                }
            }
            // One read behind every lint that goes: its fix carries the edit, so that
            // it stands on its own (SARIF, JSON).
            let behind: Vec<usize> = reads
                .iter()
                .copied()
                .filter(|&k| refs.iter().any(|r| r.contains(&fixed[k])))
                .collect();
            if let [k] = behind[..] {
                let unused: Vec<bool> = refs
                    .iter()
                    .map(|r| !r.is_empty() && r.iter().all(|x| *x == fixed[k]))
                    .collect();
                let edits = if unused.iter().all(|u| *u) {
                    stmt.delete.clone().map(|d| vec![Edit::delete(d)])
                } else {
                    out.rewrites
                        .iter()
                        .find(|r| r.stmt == index && r.unused == unused)
                        .map(|r| r.edits.clone())
                };
                if let Some(edits) = edits {
                    out.fix_edits.push((k, edits));
                }
            }
            out.stmts.push(stmt);
        }
    }
    out
}

/// The masks of some but not all entries whose removal can happen (entries with
/// references), at most 2^6.
fn partial_masks(stmt: &ImportStmt) -> Vec<Vec<bool>> {
    let candidates: Vec<usize> = (0..stmt.names.len())
        .filter(|&i| !stmt.names[i].refs.is_empty())
        .collect();
    if candidates.len() > 6 {
        return Vec::new();
    }
    (1u32..1 << candidates.len())
        .map(|bits| {
            let mut mask = vec![false; stmt.names.len()];
            for (k, &i) in candidates.iter().enumerate() {
                mask[i] = bits & (1 << k) != 0;
            }
            mask
        })
        .filter(|mask| mask.iter().any(|u| !u))
        .collect()
}

impl Context<'_> {
    /// Whether a `disallowed_*` lint of `fam` may fire on `u`: a path that resolves to a
    /// disallowed one, or that cannot be resolved and ends in the name of one; a method
    /// or macro by name. Without a clippy config the disallowed methods are taken to be
    /// the rules' targets (the attribute is there for them), and macros the rules'.
    fn fires(&self, fam: Family, u: &NodeUse) -> bool {
        let targets: Vec<String>;
        let list: &[String] = match fam {
            Family::Methods => match &self.disallowed.methods {
                Some(l) => l,
                None => {
                    targets = self.rules.calls.keys().map(|k| k.to_string()).collect();
                    &targets
                }
            },
            Family::Macros => match &self.disallowed.macros {
                Some(l) => l,
                None => {
                    targets = self
                        .rules
                        .macros
                        .keys()
                        .map(|k| format!("std::{}", k.trim_end_matches('!')))
                        .collect();
                    &targets
                }
            },
            Family::Types => self.disallowed.types.as_deref().unwrap_or(&[]),
        };
        let kinds: &[UseKind] = match fam {
            Family::Methods => &[UseKind::Path, UseKind::Method],
            Family::Macros => &[UseKind::Macro],
            Family::Types => &[UseKind::Type, UseKind::Path],
        };
        if !kinds.contains(&u.kind) {
            return false;
        }
        let last = |p: &str| p.rsplit("::").next().unwrap_or(p).to_string();
        let name = u.segments.last().cloned().unwrap_or_default();
        if matches!(u.kind, UseKind::Method | UseKind::Macro) {
            return list.iter().any(|p| last(p) == name);
        }
        let known = |q: &str| list.iter().any(|p| p == q);
        match self
            .scopes
            .qualified(&u.segments, u.leading_colon, u.scope, u.range.start, &known)
        {
            Some(q) => known(&q),
            None => list.iter().any(|p| last(p) == name),
        }
    }

    /// The attribute as a statement with one name per entry.
    fn stmt(&self, attr: &LintAttr, refs: &[Vec<Range<usize>>]) -> ImportStmt {
        let file = self.file;
        let src = file.text.as_str();
        let single_line = !src[attr.range.clone()].contains('\n');
        let names = attr
            .entries
            .iter()
            .zip(refs)
            .map(|(e, r)| ImportName {
                text: e.text.clone(),
                refs: r.clone(),
                line: (!single_line).then(|| entry_line(file, &e.range)).flatten(),
            })
            .collect();
        let names_range = match (attr.entries.first(), attr.entries.last()) {
            (Some(a), Some(b)) if single_line => Some(a.range.start..b.range.end),
            _ => None,
        };
        ImportStmt {
            delete: Some(attr_lines(file, &attr.range)),
            delete_tidy: None,
            names_range,
            names,
        }
    }

    /// The attribute without the `unused` entries, laid out as rustfmt would, when the
    /// attribute is laid out as rustfmt lays it out.
    fn without(&self, attr: &LintAttr, unused: &[bool]) -> Option<Vec<Edit>> {
        let src = self.file.text.as_str();
        let eol = self.file.line_ending().as_str();
        let layout = self.fmt.layout.as_ref()?;
        let (indent, column) = columns(src, attr.range.start)?;
        if indent != column {
            return None;
        }
        let all: Vec<&str> = attr.entries.iter().map(|e| e.text.as_str()).collect();
        let render = |entries: &[&str]| -> Option<String> {
            if entries.iter().any(|e| e.contains('\n')) {
                return None;
            }
            let args = entries.join(", ");
            let one_line = indent + 2 + attr.name.len() + 1 + args.len() + 2;
            if args.len() <= layout.attr_width && one_line <= layout.max_width {
                return Some(format!("#[{}({args})]", attr.name));
            }
            let inner = " ".repeat(indent + layout.tab_spaces);
            let lines: Vec<String> = entries.iter().map(|e| format!("{inner}{e}")).collect();
            Some(format!(
                "#[{}({eol}{}{eol}{})]",
                attr.name,
                lines.join(&format!(",{eol}")),
                " ".repeat(indent)
            ))
        };
        if render(&all)? != src[attr.range.clone()] {
            return None;
        }
        let kept: Vec<&str> = all
            .iter()
            .zip(unused)
            .filter(|(_, u)| !**u)
            .map(|(e, _)| *e)
            .collect();
        Some(vec![Edit::replace(attr.range.clone(), render(&kept)?)])
    }
}

/// The attribute's lines when nothing else is on them, else the attribute and the
/// spaces after it (`#[allow(…)] let x = …;`).
fn attr_lines(file: &SourceFile, attr: &Range<usize>) -> Range<usize> {
    let src = file.text.as_str();
    let start = file.line_range(file.line_index(attr.start)).start;
    let end = file
        .line_range(file.line_index(attr.end.saturating_sub(1)))
        .end;
    if src[start..attr.start].trim().is_empty() && src[attr.end..end].trim().is_empty() {
        return start..end;
    }
    let spaces = src[attr.end..].len() - src[attr.end..].trim_start_matches([' ', '\t']).len();
    attr.start..attr.end + spaces
}

/// The line of an entry of a multi-line attribute, when nothing but the entry and its
/// comma is on it.
fn entry_line(file: &SourceFile, entry: &Range<usize>) -> Option<Range<usize>> {
    let src = file.text.as_str();
    let line = file.line_range(file.line_index(entry.start));
    if entry.end > line.end {
        // The entry runs over lines (`reason = "…` with a line break in the string).
        return None;
    }
    let before = src[line.start..entry.start].trim();
    let after = src[entry.end..line.end].trim();
    (before.is_empty() && (after.is_empty() || after == ",")).then_some(line)
}

#[cfg(test)]
mod tests {
    use crate::Context;
    use crate::config::Config;
    use crate::source::{Language, SourceFile};

    /// The text after every fix, and the edits of each fix. The file is in a directory
    /// without a clippy config: the rules' targets stand for the disallowed methods.
    fn fixed(text: &str) -> (String, Vec<usize>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.rs");
        std::fs::write(&path, text).unwrap();
        let file = SourceFile::new(path, Language::Rust, text.into());
        let ctx = Context::new(Config::default());
        let analysis = super::super::analyze(&file, &ctx, false);
        let fixes: Vec<&crate::detect::Fix> = analysis
            .findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .collect();
        let edits = fixes.iter().map(|f| f.edits.len()).collect();
        let out = crate::fix::apply(text, &fixes, &analysis.plan);
        (out.text, edits)
    }

    #[test]
    fn an_expectation_that_only_the_read_fulfilled_goes_with_it() {
        let text = "fn f() -> String {\n    #[expect(clippy::disallowed_methods, reason = \"legacy\")]\n    let t = std::env::var(\"API_TOKEN\").unwrap_or_default();\n    t\n}\n";
        let (out, edits) = fixed(text);
        assert!(
            out.contains("    let t = get_config_value(\"api_token\")"),
            "{out}"
        );
        assert!(!out.contains("expect"), "{out}");
        // The fix carries the removal itself: callee, key, attribute.
        assert_eq!(edits, [3]);
    }

    #[test]
    fn other_lints_stay() {
        let text = "fn f() -> String {\n    #[allow(clippy::unwrap_used, clippy::disallowed_methods)]\n    let t = std::env::var(\"API_TOKEN\").unwrap();\n    t\n}\n";
        let (out, _) = fixed(text);
        assert!(out.contains("    #[allow(clippy::unwrap_used)]\n"), "{out}");
    }

    #[test]
    fn an_attribute_over_several_reads_goes_with_the_last() {
        let text = "#[allow(clippy::disallowed_methods)]\nfn f() -> (String, String) {\n    (std::env::var(\"A_KEY\").unwrap(), std::env::var(\"B_KEY\").unwrap())\n}\n";
        let (out, edits) = fixed(text);
        assert!(
            out.starts_with("use crate::config::get_config_value;\n\nfn f()"),
            "{out}"
        );
        // Neither fix alone may drop it.
        assert_eq!(edits, [2, 2]);
        let text = "#[allow(clippy::disallowed_methods)]\nfn f(n: &str) -> (String, String) {\n    (std::env::var(n).unwrap(), std::env::var(\"B_KEY\").unwrap())\n}\n";
        let (out, _) = fixed(text);
        assert!(
            out.contains("#[allow(clippy::disallowed_methods)]\nfn f"),
            "{out}"
        );
    }

    #[test]
    fn a_nested_attribute_answers_for_its_reads() {
        // The read is the statement's: the function's `allow` was not there for it.
        let text = "#[allow(clippy::disallowed_methods)]\nfn f() -> String {\n    #[expect(clippy::disallowed_methods)]\n    let t = std::env::var(\"API_TOKEN\").unwrap();\n    t\n}\n";
        let (out, _) = fixed(text);
        assert!(
            out.contains("#[allow(clippy::disallowed_methods)]\nfn f"),
            "{out}"
        );
        assert!(!out.contains("expect"), "{out}");
    }

    #[test]
    fn unrelated_attributes_are_left_alone() {
        let text = "fn f() -> String {\n    #[allow(clippy::unwrap_used)]\n    let t = std::env::var(\"API_TOKEN\").unwrap();\n    t\n}\n";
        let (out, edits) = fixed(text);
        assert!(out.contains("#[allow(clippy::unwrap_used)]"), "{out}");
        assert_eq!(edits, [2]);
    }
}
