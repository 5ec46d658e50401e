//! Where the loader import goes in a Python module, and which import statements a fix
//! may leave unused. Computes edits; never applies them.

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::Node;

use crate::fix::{Edit, ImportName, ImportStmt};
use crate::rules::EnvRules;
use crate::source::SourceFile;

/// The edit that inserts `line` where a person would: after the module docstring, the
/// comments at the top and `from __future__` imports, below the other top-level imports.
pub fn insertion(file: &SourceFile, module: Node, line: &str) -> Edit {
    let mut anchor: Option<usize> = None;
    let mut last_import: Option<usize> = None;
    let mut seen_statement = false;
    let mut cursor = module.walk();
    for child in module.named_children(&mut cursor) {
        match child.kind() {
            "comment" => {
                if !seen_statement {
                    anchor = Some(child.end_byte());
                }
            }
            "expression_statement" if !seen_statement && is_docstring(child) => {
                seen_statement = true;
                anchor = Some(child.end_byte());
            }
            "future_import_statement" | "import_statement" | "import_from_statement" => {
                seen_statement = true;
                last_import = Some(child.end_byte());
            }
            _ => break,
        }
    }
    // PEP 8: two blank lines before a top-level definition.
    crate::fix::import_insertion(
        file,
        last_import,
        anchor,
        line,
        &["def ", "class ", "async def ", "@"],
    )
}

fn is_docstring(stmt: Node) -> bool {
    stmt.named_child_count() == 1
        && stmt
            .named_child(0)
            .is_some_and(|n| matches!(n.kind(), "string" | "concatenated_string"))
}

/// The end of the line starting at `at` when that line is blank.
fn blank_line_end(src: &str, at: usize) -> Option<usize> {
    let rest = &src[at..];
    let nl = rest.find('\n')?;
    rest[..nl].trim().is_empty().then_some(at + nl + 1)
}

/// Import statements binding names from the modules the rules look at, with every use
/// of each bound name, for removal when a fix leaves them unused.
pub fn removable(
    file: &SourceFile,
    imports: &[Node],
    idents: &HashMap<&str, Vec<Range<usize>>>,
    rules: &EnvRules,
) -> Vec<ImportStmt> {
    let src = file.text.as_str();
    let roots: Vec<&str> = rules.roots().collect();
    let related = |module: &str| {
        let head = module.split('.').next().unwrap_or(module);
        roots.contains(&head)
    };
    let mut out = Vec::new();
    for &stmt in imports {
        let module = if stmt.kind() == "import_from_statement" {
            match stmt.child_by_field_name("module_name") {
                Some(m) if m.kind() == "dotted_name" => Some(&src[m.byte_range()]),
                _ => continue,
            }
        } else {
            None
        };
        let mut cursor = stmt.walk();
        let name_nodes: Vec<Node> = stmt.children_by_field_name("name", &mut cursor).collect();
        if name_nodes.is_empty() {
            continue;
        }
        let mut names = Vec::new();
        let mut any_related = module.is_some_and(related);
        for n in &name_nodes {
            let (dotted, alias) = match n.kind() {
                "aliased_import" => (
                    n.child_by_field_name("name").map(|x| &src[x.byte_range()]),
                    n.child_by_field_name("alias").map(|x| &src[x.byte_range()]),
                ),
                _ => (Some(&src[n.byte_range()]), None),
            };
            let Some(dotted) = dotted else { continue };
            if module.is_none() {
                any_related |= related(dotted);
            }
            let bound = match (module, alias) {
                (_, Some(a)) => a,
                (Some(_), None) => dotted,
                (None, None) => dotted.split('.').next().unwrap_or(dotted),
            };
            names.push(ImportName {
                text: src[n.byte_range()].to_string(),
                refs: idents.get(bound).cloned().unwrap_or_default(),
                line: own_line(file, *n),
            });
        }
        if !any_related || names.len() != name_nodes.len() {
            continue;
        }
        if file.line_text(stmt.start_byte()).contains("noqa")
            || file.line_text(stmt.end_byte()).contains("noqa")
        {
            // `import os  # noqa: F401` is kept on purpose.
            continue;
        }
        let single_line = !src[stmt.byte_range()].contains('\n');
        let delete = statement_lines(file, stmt);
        out.push(ImportStmt {
            delete_tidy: delete.as_ref().and_then(|r| tidy(file, stmt, r)),
            delete,
            names_range: single_line
                .then(|| name_nodes[0].start_byte()..name_nodes[name_nodes.len() - 1].end_byte()),
            names,
        });
    }
    out
}

/// The line of one name in a multi-line import when the name (and its comma) is all
/// that is on it.
fn own_line(file: &SourceFile, name: Node) -> Option<Range<usize>> {
    let src = file.text.as_str();
    let line = file.line_range(file.line_index(name.start_byte()));
    let before = &src[line.start..name.start_byte()];
    let after = src[name.end_byte()..line.end].trim();
    let after = after.strip_prefix(',').unwrap_or(after).trim();
    (before.trim().is_empty()
        && (after.is_empty() || after.starts_with('#'))
        && name.end_byte() <= line.end)
        .then_some(line)
}

/// `lines` plus the blank line after them, when the statement opens its block (or the
/// file) or follows a blank line: removing it then leaves no doubled or leading blank.
fn tidy(file: &SourceFile, stmt: Node, lines: &Range<usize>) -> Option<Range<usize>> {
    let src = file.text.as_str();
    let next_blank = blank_line_end(src, lines.end)?;
    let first_in_block = stmt.prev_named_sibling().is_none();
    let prev_blank = lines.start > 0 && {
        let prev = file.line_range(file.line_index(lines.start - 1));
        src[prev].trim().is_empty()
    };
    (first_in_block || prev_blank).then_some(lines.start..next_blank)
}

/// The full lines of a statement that stands alone on them, unless removing it would
/// leave its block empty.
fn statement_lines(file: &SourceFile, stmt: Node) -> Option<Range<usize>> {
    let src = file.text.as_str();
    if let Some(parent) = stmt.parent() {
        if parent.kind() == "block" {
            let mut cursor = parent.walk();
            let statements = parent
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .count();
            if statements < 2 {
                return None;
            }
        }
    }
    let first = file.line_index(stmt.start_byte());
    let last = file.line_index(stmt.end_byte());
    let start = file.line_range(first).start;
    let end = file.line_range(last).end;
    let before = &src[start..stmt.start_byte()];
    let after = src[stmt.end_byte()..end].trim();
    let alone = before.trim().is_empty() && (after.is_empty() || after.starts_with('#'));
    alone.then_some(start..end)
}
