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
/// from the same module, or a new import (a `require` in a CommonJS file) below the last
/// import of the leading import block, or, in a file without one, after the hashbang,
/// the file-level comments and the directive prologue (see [`anchors`]).
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
    let (header, last_import) = anchors(program, src, commonjs);
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

/// Where the new import may go: `header` is the end of the file's leading part (the
/// hashbang, the directive prologue and the comments that speak for the whole file), and
/// `last_import` the end of the last import (or `require`) of the leading import block.
///
/// Both are found without moving anything above what must stay first: TypeScript reads
/// triple-slash directives and `@ts-nocheck` only before the first statement, jest and the
/// JSX transforms read their pragmas from the first comments, and a string statement is a
/// directive (`'use server'`) only in the prologue, before any other statement (ECMA-262,
/// 11.2.1; comments may come between). A comment that is none of these and sits right
/// above a statement documents that statement: the block carries on past one above an
/// import, and the header stops before one above the first statement of the code.
fn anchors(program: Node, src: &str, commonjs: bool) -> (Option<usize>, Option<usize>) {
    let mut header = None;
    let mut last_import = None;
    let mut prologue = true;
    let mut cursor = program.walk();
    for child in program.named_children(&mut cursor) {
        match child.kind() {
            "hash_bang_line" => header = Some(child.end_byte()),
            "comment" => {
                if prologue && ends_its_line(child, src) {
                    let next = child.next_sibling().map_or(src.len(), |n| n.start_byte());
                    let detached = src[child.end_byte()..next].matches('\n').count() >= 2;
                    if detached || is_file_level(&src[child.byte_range()]) {
                        header = Some(child.end_byte());
                    }
                }
            }
            "expression_statement" if prologue && is_directive(child) => {
                header = Some(child.end_byte());
            }
            "import_statement" if !commonjs => {
                prologue = false;
                last_import = Some(child.end_byte());
            }
            "lexical_declaration" | "variable_declaration" | "expression_statement"
                if commonjs && is_require(child, src) =>
            {
                prologue = false;
                last_import = Some(child.end_byte());
            }
            _ => break,
        }
    }
    (header, last_import)
}

/// Nothing but blanks follows the comment on its line (so the line after it is free).
fn ends_its_line(comment: Node, src: &str) -> bool {
    let rest = &src[comment.end_byte()..];
    let eol = rest.find('\n').unwrap_or(rest.len());
    rest[..eol].trim().is_empty()
}

/// JSDoc tags that hold for the whole file: pragmas tools read from the first comments
/// (`@ts-nocheck`, `@jsxImportSource`, `@jest-environment`, `@flow`, `@format`) and file
/// headers (`@license`, `@fileoverview`, `@module`). `@jsx…` is matched as a prefix.
const FILE_TAGS: &[&str] = &[
    "ts-nocheck",
    "ts-check",
    "jest-environment",
    "jest-environment-options",
    "vitest-environment",
    "flow",
    "noflow",
    "format",
    "noformat",
    "prettier",
    "license",
    "preserve",
    "copyright",
    "fileoverview",
    "file",
    "overview",
    "module",
    "packageDocumentation",
    "generated",
];

/// Linter comments that configure the whole file and that ESLint (and JSHint) read only
/// in block comments: `/* eslint-disable */`, `/* eslint-env node */`, `/* global x */`,
/// `/* eslint rule: … */`. The `-line` and `-next-line` forms are not among them: they
/// apply to the line below, and stay right above it.
const BLOCK_DIRECTIVES: &[&str] = &[
    "eslint-disable",
    "eslint-env",
    "eslint",
    "global",
    "globals",
    "exported",
    "jshint",
    "jslint",
];

/// The same for tools that read them in any comment: deno's, Biome's, oxlint's.
const FILE_DIRECTIVES: &[&str] = &[
    "deno-lint-ignore-file",
    "deno-fmt-ignore-file",
    "biome-ignore-all",
    "oxlint-disable",
];

/// Whether a comment before the first statement speaks for the whole file (and so must
/// stay above every statement): a triple-slash directive, a `/*! … */` or copyright
/// header, a file-level JSDoc tag or linter directive.
fn is_file_level(comment: &str) -> bool {
    if comment.starts_with("///") && comment[3..].trim_start().starts_with('<') {
        return true;
    }
    if comment.starts_with("/*!") {
        return true;
    }
    let body = comment
        .strip_prefix("//")
        .or_else(|| comment.strip_prefix("/*").map(|b| b.trim_end_matches("*/")))
        .unwrap_or(comment);
    if ["Copyright", "copyright", "©", "SPDX-License-Identifier"]
        .iter()
        .any(|w| body.contains(w))
    {
        return true;
    }
    let first = body
        .trim_start_matches(['*', '!'])
        .split_whitespace()
        .next()
        .unwrap_or("");
    // `tslint:disable` and `tslint:disable:rule`, not `tslint:disable-next-line`.
    if first == "tslint:disable" || first.starts_with("tslint:disable:") {
        return true;
    }
    if first == "istanbul" {
        return body.contains("ignore file");
    }
    // `/* eslint quotes: "error" */`, `/* global: window */`.
    let word = first.trim_end_matches(':');
    if FILE_DIRECTIVES.contains(&word)
        || (comment.starts_with("/*") && BLOCK_DIRECTIVES.contains(&word))
    {
        return true;
    }
    body.split(|c: char| c.is_whitespace() || c == '*')
        .filter_map(|w| w.strip_prefix('@'))
        .any(|tag| tag.starts_with("jsx") || FILE_TAGS.contains(&tag))
}

fn is_directive(stmt: Node) -> bool {
    stmt.named_child_count() == 1 && stmt.named_child(0).is_some_and(|n| n.kind() == "string")
}

/// A statement of a CommonJS import block: `const x = require("…")`,
/// `const { a } = require("…")`, `const debug = require("debug")("app")`, and the
/// statements `require("./polyfill");` and `require("dotenv").config();`.
fn is_require(stmt: Node, src: &str) -> bool {
    if stmt.kind() == "expression_statement" {
        return stmt
            .named_child(0)
            .is_some_and(|e| starts_with_require(e, src));
    }
    let mut cursor = stmt.walk();
    stmt.named_children(&mut cursor).any(|d| {
        d.kind() == "variable_declarator"
            && d.child_by_field_name("value")
                .is_some_and(|v| starts_with_require(v, src))
    })
}

/// `require("…")`, possibly followed by member accesses and calls.
fn starts_with_require(mut node: Node, src: &str) -> bool {
    loop {
        match node.kind() {
            "call_expression" => {
                let Some(function) = node.child_by_field_name("function") else {
                    return false;
                };
                if &src[function.byte_range()] == "require" {
                    return true;
                }
                node = function;
            }
            "member_expression" => match node.child_by_field_name("object") {
                Some(object) => node = object,
                None => return false,
            },
            _ => return false,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Language;

    /// The lines `anchors` ends the header and the import block on.
    fn anchors_of(src: &str, commonjs: bool) -> (Option<&str>, Option<&str>) {
        let tree = super::super::parse(Language::TypeScript, src).unwrap();
        let (header, last) = anchors(tree.root_node(), src, commonjs);
        let line = |end: usize| src[..end].lines().last().unwrap();
        (header.map(line), last.map(line))
    }

    #[test]
    fn pragmas_references_and_directives_stay_above_the_import() {
        assert_eq!(
            anchors_of("// @ts-nocheck\nexport const a = 1;\n", false),
            (Some("// @ts-nocheck"), None)
        );
        assert_eq!(
            anchors_of(
                "/// <reference types=\"vite/client\" />\nimport a from \"a\";\n",
                false
            ),
            (
                Some("/// <reference types=\"vite/client\" />"),
                Some("import a from \"a\";")
            )
        );
        // A directive after a comment is still a directive.
        assert_eq!(
            anchors_of(
                "// Server actions.\n'use server';\nexport async function f() {}\n",
                false
            ),
            (Some("'use server';"), None)
        );
        assert_eq!(
            anchors_of("'use strict';\n// and\n'use client';\nf();\n", false),
            (Some("'use client';"), None)
        );
        // A pragma after a plain comment still counts; the doc comment below it does not.
        assert_eq!(
            anchors_of(
                "// Widgets.\n/** @jsxImportSource preact */\n/** A widget. */\nexport function W() {}\n",
                false
            ),
            (Some("/** @jsxImportSource preact */"), None)
        );
    }

    #[test]
    fn a_comment_right_above_a_statement_stays_with_it() {
        assert_eq!(
            anchors_of("// Adds two numbers.\nexport function add() {}\n", false),
            (None, None)
        );
        assert_eq!(
            anchors_of(
                "/** @type {import('next').NextConfig} */\nconst config = {};\n",
                false
            ),
            (None, None)
        );
        assert_eq!(
            anchors_of("// Deploy helper.\n\n// Reads the token.\nmain();\n", false),
            (Some("// Deploy helper."), None)
        );
        // Between imports: the block goes on past a comment that documents the next one.
        assert_eq!(
            anchors_of(
                "import a from \"a\";\n// b needs a\nimport b from \"b\";\nf();\n",
                false
            ),
            (None, Some("import b from \"b\";"))
        );
        // A string after an import is no directive.
        assert_eq!(
            anchors_of("import a from \"a\";\n'use client';\n", false),
            (None, Some("import a from \"a\";"))
        );
        // A comment that code follows on its line cannot end the header.
        assert_eq!(
            anchors_of("/* eslint-disable */ f();\n", false),
            (None, None)
        );
    }

    #[test]
    fn commonjs_blocks_take_side_effect_requires_and_require_chains() {
        let src = "'use strict';\nrequire('dotenv').config();\nconst debug = require('debug')('app');\nconst { a } = require('a');\nmain();\n";
        assert_eq!(
            anchors_of(src, true),
            (Some("'use strict';"), Some("const { a } = require('a');"))
        );
        assert_eq!(
            anchors_of("const x = requireAll('a');\n", true),
            (None, None)
        );
    }

    #[test]
    fn file_level_comments() {
        for c in [
            "/*! lib v1 | MIT */",
            "// Copyright 2024 Acme Corp.",
            "/* SPDX-License-Identifier: Apache-2.0 */",
            "// @ts-nocheck",
            "// @ts-check",
            "/** @jsxImportSource preact */",
            "/** @jsx h */",
            "/**\n * @jest-environment jsdom\n */",
            "/** @vitest-environment happy-dom */",
            "// @flow",
            "/** @format */",
            "/**\n * @fileoverview Route table.\n */",
            "/* eslint-disable */",
            "/* eslint-disable no-console */",
            "/*eslint-env node*/",
            "/* global window, document */",
            "/* eslint quotes: [\"error\", \"double\"] */",
            "// deno-lint-ignore-file",
            "// deno-lint-ignore-file no-explicit-any",
            "// biome-ignore-all lint: generated",
            "// oxlint-disable",
            "/* istanbul ignore file */",
            "// tslint:disable",
            "/// <reference path=\"./globals.d.ts\" />",
            "/// <amd-module name=\"x\" />",
        ] {
            assert!(is_file_level(c), "{c}");
        }
        for c in [
            "// eslint-disable-next-line no-console",
            "/* eslint-disable-line */",
            "// @ts-expect-error: untyped",
            "// @ts-ignore",
            "/** @type {import('next').NextConfig} */",
            "/** Creates the client. @param url where */",
            "// prettier-ignore",
            "/* istanbul ignore next */",
            "// deno-lint-ignore no-explicit-any",
            "// biome-ignore lint/style/noVar: legacy",
            "// tslint:disable-next-line",
            "// Adds two numbers.",
            "/// Adds two numbers.",
            "// globalThis is used below",
            "// global state lives here",
            "// eslint-disable",
        ] {
            assert!(!is_file_level(c), "{c}");
        }
    }
}
