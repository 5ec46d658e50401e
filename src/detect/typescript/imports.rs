//! Where the loader import goes in a TypeScript or JavaScript file (or the `require` in a
//! CommonJS one), and which `process` imports a fix may leave unused. Computes edits;
//! never applies them.

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::Node;

use crate::Context;
use crate::fix::{Edit, ImportName, ImportStmt};
use crate::source::SourceFile;

use super::{normalize_module, string_value};

/// The edit that brings the loader into scope: a specifier added to an existing import
/// from the same module, or a new import (a `require` in a CommonJS file) after the
/// hashbang, the directives (`"use client"`) and the other imports.
pub fn insertion(file: &SourceFile, program: Node, ctx: &Context, quote: char) -> Edit {
    let src = file.text.as_str();
    let import = &ctx.config.typescript.import;
    let commonjs = is_commonjs(program, src, file);
    let mut cursor = program.walk();
    let children: Vec<Node> = program.named_children(&mut cursor).collect();
    if !commonjs && import.name != "default" {
        for stmt in children.iter().filter(|c| c.kind() == "import_statement") {
            if let Some(edit) = add_specifier(*stmt, src, import) {
                return edit;
            }
        }
    }
    let mut header = None;
    let mut last_import = None;
    let mut in_prologue = true;
    for child in &children {
        match child.kind() {
            "hash_bang_line" => header = Some(child.end_byte()),
            "comment" => {
                // A comment right above a statement (a JSDoc) belongs to it; one followed
                // by a blank line is a file header.
                let next = child.next_sibling().map_or(src.len(), |n| n.start_byte());
                let detached = src[child.end_byte()..next].matches('\n').count() >= 2;
                if last_import.is_none() && in_prologue && detached {
                    header = Some(child.end_byte());
                } else if !detached {
                    break;
                }
            }
            "expression_statement" if in_prologue && is_directive(*child) => {
                header = Some(child.end_byte());
            }
            "import_statement" if !commonjs => {
                in_prologue = false;
                last_import = Some(child.end_byte());
            }
            "lexical_declaration" | "variable_declaration"
                if commonjs && is_require(*child, src) =>
            {
                in_prologue = false;
                last_import = Some(child.end_byte());
            }
            _ => break,
        }
    }
    let line = if commonjs {
        import.require_line()
    } else {
        import.line.clone()
    };
    // Written in the file's usual quote.
    let line = match quote {
        '\'' if !import.module.contains('\'') => line.replace(
            &format!("\"{}\"", import.module),
            &format!("'{}'", import.module),
        ),
        _ => line,
    };
    crate::fix::import_insertion(file, last_import, header, &line, &[])
}

/// `import { a } from "@/config"` → `import { a, getConfigValue } from "@/config"`.
fn add_specifier(stmt: Node, src: &str, import: &crate::config::TsImport) -> Option<Edit> {
    let module = stmt
        .child_by_field_name("source")
        .and_then(|s| string_value(s, src))?;
    if module.0 != import.module || src[stmt.byte_range()].starts_with("import type") {
        return None;
    }
    let mut cursor = stmt.walk();
    let clause = stmt
        .named_children(&mut cursor)
        .find(|c| c.kind() == "import_clause")?;
    let mut c = clause.walk();
    let named = clause
        .named_children(&mut c)
        .find(|n| n.kind() == "named_imports")?;
    let mut c = named.walk();
    let last = named
        .named_children(&mut c)
        .filter(|s| s.kind() == "import_specifier")
        .last()?;
    let spec = if import.name == import.bound {
        import.name.clone()
    } else {
        format!("{} as {}", import.name, import.bound)
    };
    Some(Edit::insert(last.end_byte(), format!(", {spec}")))
}

/// A `.cjs` file, or one that uses `require`, `module.exports` or `exports.` and has no
/// `import` or `export` statement.
fn is_commonjs(program: Node, src: &str, file: &SourceFile) -> bool {
    let ext = file.path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext == "cjs" || ext == "cts" {
        return true;
    }
    if matches!(ext, "mjs" | "mts") {
        return false;
    }
    let mut cursor = program.walk();
    let esm = program
        .named_children(&mut cursor)
        .any(|c| matches!(c.kind(), "import_statement" | "export_statement"));
    !esm && (src.contains("require(") || src.contains("module.exports") || src.contains("exports."))
}

fn is_directive(stmt: Node) -> bool {
    stmt.named_child_count() == 1 && stmt.named_child(0).is_some_and(|n| n.kind() == "string")
}

/// `const x = require("…")` or `const { a } = require("…")`.
fn is_require(decl: Node, src: &str) -> bool {
    let mut cursor = decl.walk();
    decl.named_children(&mut cursor).any(|d| {
        d.kind() == "variable_declarator"
            && d.child_by_field_name("value").is_some_and(|v| {
                v.kind() == "call_expression"
                    && v.child_by_field_name("function")
                        .is_some_and(|f| &src[f.byte_range()] == "require")
            })
    })
}

/// Imports from `process` / `node:process` whose names a fix may leave unused.
pub fn removable(
    file: &SourceFile,
    imports: &[Node],
    idents: &HashMap<&str, Vec<Range<usize>>>,
) -> Vec<ImportStmt> {
    let src = file.text.as_str();
    let mut out = Vec::new();
    for &stmt in imports {
        let Some((module, _)) = stmt
            .child_by_field_name("source")
            .and_then(|s| string_value(s, src))
        else {
            continue;
        };
        if normalize_module(&module) != "process"
            || file.line_text(stmt.start_byte()).contains("eslint-disable")
        {
            continue;
        }
        let mut cursor = stmt.walk();
        let Some(clause) = stmt
            .named_children(&mut cursor)
            .find(|c| c.kind() == "import_clause")
        else {
            continue;
        };
        let mut names = Vec::new();
        let mut specs = Vec::new();
        let mut c = clause.walk();
        for part in clause.named_children(&mut c) {
            match part.kind() {
                "identifier" => names.push(name(part, part, src, idents)),
                "namespace_import" => {
                    if let Some(id) = part.named_child(0) {
                        names.push(name(part, id, src, idents));
                    }
                }
                "named_imports" => {
                    let mut c2 = part.walk();
                    for spec in part
                        .named_children(&mut c2)
                        .filter(|s| s.kind() == "import_specifier")
                    {
                        let local = spec
                            .child_by_field_name("alias")
                            .or_else(|| spec.child_by_field_name("name"));
                        if let Some(local) = local {
                            names.push(name(spec, local, src, idents));
                            specs.push(spec);
                        }
                    }
                }
                _ => {}
            }
        }
        // Specifiers can go one by one only when they are all the import has, on one line.
        let only_named = specs.len() == names.len();
        let single_line = !src[stmt.byte_range()].contains('\n');
        let names_range = (only_named && single_line && !specs.is_empty())
            .then(|| specs[0].start_byte()..specs[specs.len() - 1].end_byte());
        out.push(ImportStmt {
            delete: statement_lines(file, stmt),
            delete_tidy: None,
            names_range,
            names,
        });
    }
    out
}

fn name(
    node: Node,
    local: Node,
    src: &str,
    idents: &HashMap<&str, Vec<Range<usize>>>,
) -> ImportName {
    let bound = &src[local.byte_range()];
    let refs = idents
        .get(bound)
        .map(|v| {
            v.iter()
                .filter(|r| **r != local.byte_range())
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    ImportName {
        text: src[node.byte_range()].to_string(),
        refs,
        line: None,
    }
}

/// The full lines of a statement alone on them.
fn statement_lines(file: &SourceFile, stmt: Node) -> Option<Range<usize>> {
    let src = file.text.as_str();
    let start = file.line_range(file.line_index(stmt.start_byte())).start;
    let end = file
        .line_range(file.line_index(stmt.end_byte().saturating_sub(1).max(stmt.start_byte())))
        .end;
    let alone = src[start..stmt.start_byte()].trim().is_empty()
        && src[stmt.end_byte()..end].trim().is_empty();
    alone.then_some(start..end)
}
