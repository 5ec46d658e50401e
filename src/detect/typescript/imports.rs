//! Where the loader import goes in a TypeScript or JavaScript file (or the `require` in a
//! CommonJS one), and which `process` imports a fix may leave unused. Computes edits;
//! never applies them.

use crate::detect::fields::Field;
use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::Node;

use crate::config::TsImport;
use crate::fix::{Edit, ImportName, ImportStmt};
use crate::source::SourceFile;

use super::{normalize_module, order, string_value};

/// The edit that brings the loader into scope: a specifier added to an existing import
/// from the same module, or a new import (a `require` in a CommonJS file) in the leading
/// import block, or, in a file without one, after the hashbang, the file-level comments
/// and the directive prologue (see [`anchors`]). The new line is written the way the
/// file writes its imports: in their quote (else the file's usual `quote`), with or
/// without the closing semicolon, at its sorted place when the block is sorted (see
/// [`sorted_slot`]), else below the last import.
pub fn insertion(file: &SourceFile, program: Node, import: &TsImport, quote: char) -> Edit {
    let src = file.text.as_str();
    let commonjs = is_commonjs(program, src, file);
    let mut cursor = program.walk();
    let children: Vec<Node> = program.named_children(&mut cursor).collect();
    if !commonjs && import.name != "default" {
        for stmt in children
            .iter()
            .filter(|c| c.kind_name() == "import_statement")
        {
            if let Some(edit) = add_specifier(*stmt, src, import) {
                return edit;
            }
        }
    }
    let (header, block) = anchors(program, src, commonjs);
    let last_import = block.last().map(|n| statement_end(*n, src));
    let line = if commonjs {
        import.require_line()
    } else {
        import.line.clone()
    };
    let quote = specifier_quote(&block, src).unwrap_or(quote);
    let line = match quote {
        '\'' if !import.module.contains('\'') => line.replace(
            &format!("\"{}\"", import.module),
            &format!("'{}'", import.module),
        ),
        _ => line,
    };
    let slot = if commonjs {
        None
    } else {
        sorted_slot(file, &block, &import.module)
    };
    // What the new line is followed by, for the semicolon it may need.
    let follows = match slot {
        Some(Slot::Above(at)) => at,
        Some(Slot::Below(end)) => end,
        None => last_import.or(header).unwrap_or(0),
    };
    let mut line = line.trim_end().trim_end_matches(';').to_string();
    let omits = omits_semicolons(program, &children, &block, src)
        .unwrap_or_else(|| !order::prettier(&file.path).semi);
    if !omits || continues_expression(&src[follows..]) {
        line.push(';');
    }
    match slot {
        Some(Slot::Above(at)) => Edit::insert(at, format!("{line}{}", file.line_ending().as_str())),
        Some(Slot::Below(end)) => crate::fix::import_insertion(file, Some(end), None, &line, &[]),
        None => crate::fix::import_insertion(file, last_import, header, &line, &[]),
    }
}

/// Whether the file writes its statements without semicolons (prettier's `semi: false`,
/// standard): most statements of its leading import block end without `;`, or without
/// a block its top-level statements, or without those (a file of functions) all its
/// statements. A tie keeps the semicolon; `None` when no statement tells.
fn omits_semicolons(program: Node, children: &[Node], block: &[Node], src: &str) -> Option<bool> {
    let tally = |nodes: &mut dyn Iterator<Item = Node>| {
        let (mut with, mut without) = (0usize, 0usize);
        for ends in nodes.filter_map(|s| ends_with_semicolon(s, src)) {
            if ends {
                with += 1;
            } else {
                without += 1;
            }
        }
        (with + without > 0).then_some(without > with)
    };
    tally(&mut block.iter().copied())
        .or_else(|| tally(&mut children.iter().copied()))
        .or_else(|| tally(&mut statements(program).into_iter()))
}

/// Every statement in the tree (to a depth that real code does not reach).
fn statements(program: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![(program, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > 200 {
            continue;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            // `for (let i = 0; …)` always has its `;`.
            let statement = child.kind_name().ends_with("statement")
                || child.kind_name().ends_with("declaration");
            if statement && node.kind_name() != "for_statement" {
                out.push(child);
            }
            stack.push((child, depth + 1));
        }
    }
    out
}

/// For a statement the grammar ends with a semicolon (which automatic semicolon
/// insertion may supply), whether the file wrote it; `None` for a statement that ends
/// in a block (`function f() {}`, `class`, `if`, `interface`).
fn ends_with_semicolon(stmt: Node, src: &str) -> Option<bool> {
    let stmt = match stmt.kind_name() {
        "export_statement" => {
            if let Some(declaration) = stmt.field("declaration") {
                declaration
            } else if stmt.field("value").is_some_and(|v| {
                matches!(
                    v.kind_name(),
                    "function_expression" | "function" | "generator_function" | "class"
                )
            }) {
                // `export default function () {}` takes no semicolon.
                return None;
            } else {
                stmt
            }
        }
        _ => stmt,
    };
    matches!(
        stmt.kind_name(),
        "import_statement"
            | "export_statement"
            | "expression_statement"
            | "lexical_declaration"
            | "variable_declaration"
            | "type_alias_declaration"
            | "return_statement"
            | "throw_statement"
            | "break_statement"
            | "continue_statement"
    )
    .then(|| src[stmt.start_byte()..statement_end(stmt, src)].ends_with(';'))
}

/// Where a statement ends as a reader sees it: before a `;` that starts a later line.
/// Code without semicolons writes one there to guard a line that starts with `(` or
/// `[` (prettier's `;(async () => {})()`), and the grammar gives it to the statement
/// before, across the line break and any comments.
fn statement_end(stmt: Node, src: &str) -> usize {
    let end = stmt.end_byte();
    if !src[stmt.byte_range()].ends_with(';') {
        return end;
    }
    let mut cursor = stmt.walk();
    let children: Vec<Node> = stmt.children(&mut cursor).collect();
    let before = children
        .iter()
        .rev()
        .skip(1)
        .find(|c| c.kind_name() != "comment");
    match before {
        Some(b) if src[b.end_byte()..end - 1].contains('\n') => b.end_byte(),
        _ => end,
    }
}

/// Whether code that starts `rest` (after blanks and comments) would continue an
/// expression on the line before it, so that a statement without `;` there would run
/// on into it: a line that starts with `(`, `[`, a template, `+`, `-`, `/` or `<`
/// (ECMA-262, 12.10.2; prettier writes `;(…)` there in `semi: false` code).
fn continues_expression(mut rest: &str) -> bool {
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |i| &after[i..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
        } else {
            return rest.starts_with(['(', '[', '`', '+', '-', '/', '<']);
        }
    }
}

/// The quote the block's module specifiers are written in (prettier's `singleQuote`
/// applies to every string, but JSX attributes and strings holding a quote follow other
/// rules, so the specifiers are the plainest evidence); `None` on a tie.
fn specifier_quote(block: &[Node], src: &str) -> Option<char> {
    let mut counts = [0usize; 2];
    for stmt in block {
        if let Some(spec) = first_string(*stmt) {
            counts[usize::from(src[spec.byte_range()].starts_with('\''))] += 1;
        }
    }
    match counts[0].cmp(&counts[1]) {
        std::cmp::Ordering::Greater => Some('"'),
        std::cmp::Ordering::Less => Some('\''),
        std::cmp::Ordering::Equal => None,
    }
}

/// The first string literal in a statement: an import's module specifier, or the
/// argument of the `require` that starts a CommonJS import.
fn first_string(node: Node) -> Option<Node> {
    if node.kind_name() == "string" {
        return Some(node);
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.named_children(&mut cursor).collect();
    children.into_iter().find_map(first_string)
}

/// Where a new import goes in a sorted block: above the import that starts the line at
/// `Above`, or below the import that ends at `Below`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Above(usize),
    Below(usize),
}

/// One import of the leading block.
struct Member<'t> {
    node: Node<'t>,
    spec: String,
    /// `import "./globals.css"`: evaluated for its effects, in its place.
    side_effect: bool,
}

/// The place a person keeping the block sorted would give the new import, or `None`
/// when the block is not sorted (the import then goes below the last one).
///
/// The block is made of groups: a blank or comment-only line between two imports starts
/// a new one, as in organizeImports. In a project that formats with
/// prettier-plugin-organize-imports ([`order::prettier`]) every group must be
/// in TypeScript's order ([`order::typescript`], with its case detection), and the
/// import goes to its place in the group of its kind ([`order::Kind`]: `@/…`, `~/…`,
/// relative, packages), else in the last group of non-relative (or of relative)
/// imports, as organizeImports orders those first. Elsewhere the sorter is not known: each run of imports must be sorted in the
/// order the common sorters agree on ([`order::agreed`]), the import goes only into a
/// run of its kind, and only where every sorter would put it.
///
/// Modules are evaluated in the order they are imported, so without organizeImports
/// the new import never goes above a side-effect import (`import "dotenv/config"` may
/// set up what the loader reads); `import type` lines count as imports.
fn sorted_slot(file: &SourceFile, block: &[Node], module: &str) -> Option<Slot> {
    let src = file.text.as_str();
    let mut members = Vec::new();
    for &node in block {
        let (spec, _) = node.field("source").and_then(|s| string_value(s, src))?;
        let mut cursor = node.walk();
        let side_effect = !node
            .named_children(&mut cursor)
            .any(|c| c.kind_name() == "import_clause");
        members.push(Member {
            node,
            spec,
            side_effect,
        });
    }
    let organize = order::prettier(&file.path).organize_imports
        && !src.contains("// organize-imports-ignore")
        && !src.contains("// tslint:disable:ordered-imports");
    // Runs of member indices: groups, and without organizeImports, split at side
    // effects, which the other sorters keep in place.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for (i, m) in members.iter().enumerate() {
        let gap = i > 0
            && src[statement_end(members[i - 1].node, src)..m.node.start_byte()]
                .matches('\n')
                .count()
                >= 2;
        let cut = !organize && (m.side_effect || (i > 0 && members[i - 1].side_effect));
        if runs.is_empty() || gap || cut {
            runs.push(Vec::new());
        }
        if organize || !m.side_effect {
            runs.last_mut()?.push(i);
        }
    }
    runs.retain(|r| !r.is_empty());
    let ignore_case = order::detect_ignore_case(
        &runs
            .iter()
            .map(|r| r.iter().map(|&i| members[i].spec.as_str()).collect())
            .collect::<Vec<_>>(),
    );
    let cmp = |a: &str, b: &str| {
        if organize {
            Some(order::typescript(a, b, ignore_case))
        } else {
            order::agreed(a, b)
        }
    };
    let sorted = runs.iter().all(|r| {
        r.windows(2).all(|w| {
            cmp(&members[w[0]].spec, &members[w[1]].spec) != Some(std::cmp::Ordering::Greater)
        })
    });
    if !sorted {
        return None;
    }
    // organizeImports sorts side-effect imports with the others (`import "server-only"`
    // goes below `import { db } from "@/lib/db"`), so there the new import may go above
    // one: the next `prettier --write` would put it there anyway.
    let barrier = if organize {
        None
    } else {
        members.iter().rposition(|m| m.side_effect)
    };
    let after_barrier = |i: usize| barrier.is_none_or(|b| i > b);
    let kind = order::kind(module);
    let of_kind = runs.iter().rev().find(|r| {
        r.iter().any(|&i| {
            after_barrier(i) && !members[i].side_effect && order::kind(&members[i].spec) == kind
        })
    });
    // organizeImports puts non-relative specifiers first: without a group of its kind,
    // the last group of non-relative imports (or of relative ones) is the one it joins.
    let relative = order::ts_relative(module);
    let of_relativity = || {
        runs.iter().rev().find(|r| {
            r.iter()
                .any(|&i| order::ts_relative(&members[i].spec) == relative)
        })
    };
    let run = match of_kind {
        Some(run) => run,
        None if organize => of_relativity().or(runs.last())?,
        None => return None,
    };
    // The first member the new import sorts before; every later one must too.
    let order: Vec<std::cmp::Ordering> = run
        .iter()
        .map(|&i| cmp(&members[i].spec, module))
        .collect::<Option<_>>()?;
    let k = order
        .iter()
        .position(|o| *o == std::cmp::Ordering::Greater)
        .unwrap_or(run.len());
    if order[k..].iter().any(|o| *o != std::cmp::Ordering::Greater) {
        return None;
    }
    match run.get(k) {
        Some(&i) if after_barrier(i) => {
            let start = members[i].node.start_byte();
            let line_start = src[..start].rfind('\n').map_or(0, |n| n + 1);
            // A comment right above the group's first import: organizeImports keeps it
            // at the top of the group as its header; another sorter may take it for the
            // import's own comment, which the new line must not come between.
            let line_above = src[..line_start]
                .trim_end()
                .rsplit('\n')
                .next()
                .unwrap_or("");
            let line_above = line_above.trim();
            let commented = k == 0
                && (line_above.starts_with("//")
                    || line_above.starts_with("/*")
                    || line_above.ends_with("*/"));
            (src[line_start..start].trim().is_empty() && (organize || !commented))
                .then_some(Slot::Above(line_start))
        }
        Some(_) => None,
        None => {
            let last = *run.last()?;
            barrier
                .is_none_or(|b| last >= b)
                .then(|| Slot::Below(statement_end(members[last].node, src)))
        }
    }
}

/// `import { a } from "@/config"` → `import { a, getConfigValue } from "@/config"`.
fn add_specifier(stmt: Node, src: &str, import: &TsImport) -> Option<Edit> {
    let module = stmt.field("source").and_then(|s| string_value(s, src))?;
    if module.0 != import.module || src[stmt.byte_range()].starts_with("import type") {
        return None;
    }
    let mut cursor = stmt.walk();
    let clause = stmt
        .named_children(&mut cursor)
        .find(|c| c.kind_name() == "import_clause")?;
    let mut c = clause.walk();
    let named = clause
        .named_children(&mut c)
        .find(|n| n.kind_name() == "named_imports")?;
    let mut c = named.walk();
    let last = named
        .named_children(&mut c)
        .filter(|s| s.kind_name() == "import_specifier")
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
        .any(|c| matches!(c.kind_name(), "import_statement" | "export_statement"));
    !esm && (src.contains("require(") || src.contains("module.exports") || src.contains("exports."))
}

/// Where the new import may go: `header` is the end of the file's leading part (the
/// hashbang, the directive prologue and the comments that speak for the whole file), and
/// the block the imports (or `require`s) of the leading import block.
///
/// Both are found without moving anything above what must stay first: TypeScript reads
/// triple-slash directives and `@ts-nocheck` only before the first statement, jest and the
/// JSX transforms read their pragmas from the first comments, and a string statement is a
/// directive (`'use server'`) only in the prologue, before any other statement (ECMA-262,
/// 11.2.1; comments may come between). A comment that is none of these and sits right
/// above a statement documents that statement: the block carries on past one above an
/// import, and the header stops before one above the first statement of the code.
fn anchors<'t>(program: Node<'t>, src: &str, commonjs: bool) -> (Option<usize>, Vec<Node<'t>>) {
    let mut header = None;
    let mut block = Vec::new();
    let mut prologue = true;
    let mut cursor = program.walk();
    for child in program.named_children(&mut cursor) {
        match child.kind_name() {
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
                block.push(child);
            }
            "lexical_declaration" | "variable_declaration" | "expression_statement"
                if commonjs && is_require(child, src) =>
            {
                prologue = false;
                block.push(child);
            }
            _ => break,
        }
    }
    (header, block)
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
    stmt.named_child_count() == 1
        && stmt
            .named_child(0)
            .is_some_and(|n| n.kind_name() == "string")
}

/// A statement of a CommonJS import block: `const x = require("…")`,
/// `const { a } = require("…")`, `const debug = require("debug")("app")`, and the
/// statements `require("./polyfill");` and `require("dotenv").config();`.
fn is_require(stmt: Node, src: &str) -> bool {
    if stmt.kind_name() == "expression_statement" {
        return stmt
            .named_child(0)
            .is_some_and(|e| starts_with_require(e, src));
    }
    let mut cursor = stmt.walk();
    stmt.named_children(&mut cursor).any(|d| {
        d.kind_name() == "variable_declarator"
            && d.field("value")
                .is_some_and(|v| starts_with_require(v, src))
    })
}

/// `require("…")`, possibly followed by member accesses and calls.
fn starts_with_require(mut node: Node, src: &str) -> bool {
    loop {
        match node.kind_name() {
            "call_expression" => {
                let Some(function) = node.field("function") else {
                    return false;
                };
                if &src[function.byte_range()] == "require" {
                    return true;
                }
                node = function;
            }
            "member_expression" => match node.field("object") {
                Some(object) => node = object,
                None => return false,
            },
            _ => return false,
        }
    }
}

/// Imports from `process` / `node:process`, and from the modules whose exports are
/// targets (`modules`), whose names a fix may leave unused.
pub fn removable(
    file: &SourceFile,
    imports: &[Node],
    idents: &HashMap<&str, Vec<Range<usize>>>,
    modules: &std::collections::HashSet<String>,
    module_name: &dyn Fn(&str) -> String,
) -> Vec<ImportStmt> {
    let src = file.text.as_str();
    let mut out = Vec::new();
    for &stmt in imports {
        let Some((module, _)) = stmt.field("source").and_then(|s| string_value(s, src)) else {
            continue;
        };
        let module = normalize_module(&module);
        if (module != "process" && !modules.contains(&module_name(module)))
            || file.line_text(stmt.start_byte()).contains("eslint-disable")
        {
            continue;
        }
        let mut cursor = stmt.walk();
        let Some(clause) = stmt
            .named_children(&mut cursor)
            .find(|c| c.kind_name() == "import_clause")
        else {
            continue;
        };
        let mut names = Vec::new();
        let mut specs = Vec::new();
        let mut c = clause.walk();
        for part in clause.named_children(&mut c) {
            match part.kind_name() {
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
                        .filter(|s| s.kind_name() == "import_specifier")
                    {
                        let local = spec.field("alias").or_else(|| spec.field("name"));
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
        let (header, block) = anchors(tree.root_node(), src, commonjs);
        let line = |end: usize| src[..end].lines().last().unwrap();
        (
            header.map(line),
            block.last().map(|n| line(statement_end(*n, src))),
        )
    }

    /// `src` with the loader import inserted, as `name` in a project that formats with
    /// prettier-plugin-organize-imports when `organize`.
    fn with_import(name: &str, src: &str, organize: bool) -> String {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join(".git")).unwrap();
        if organize {
            std::fs::write(
                tmp.path().join(".prettierrc"),
                "{ \"plugins\": [\"prettier-plugin-organize-imports\"] }",
            )
            .unwrap();
        }
        let path = tmp.path().join(name);
        let file = SourceFile::new(path.clone(), Language::from_path(&path), src.to_string());
        let tree = super::super::parse(file.language, src).unwrap();
        let ctx = crate::Context::new(crate::config::Config::default());
        let edit = insertion(&file, tree.root_node(), &ctx.config.typescript.import, '"');
        crate::fix::apply_edits(src, vec![edit])
    }

    /// The line the new import lands on, with the lines around it.
    fn landing(name: &str, src: &str, organize: bool) -> String {
        let out = with_import(name, src, organize);
        let lines: Vec<&str> = out.lines().collect();
        let i = lines.iter().position(|l| l.contains("@/config")).unwrap();
        lines[i.saturating_sub(1)..(i + 2).min(lines.len())].join("\n")
    }

    #[test]
    fn the_import_takes_its_place_in_a_sorted_group_of_its_kind() {
        let src = "import { z } from \"zod\";\n\nimport { auth } from \"@/auth\";\nimport { withAdmin } from \"@/lib/auth\";\nimport type { Session } from \"@/lib/types\";\n\nimport { Button } from \"./button\";\n\nexport const a = 1;\n";
        assert_eq!(
            landing("a.ts", src, false),
            "import { auth } from \"@/auth\";\nimport { getConfigValue } from \"@/config\";\nimport { withAdmin } from \"@/lib/auth\";"
        );
        // Last of its group, not of the block.
        let src = "import { auth } from \"@/auth\";\nimport { cn } from \"@/cn\";\n\nimport { Button } from \"./button\";\n";
        assert_eq!(
            landing("a.ts", src, false),
            "import { cn } from \"@/cn\";\nimport { getConfigValue } from \"@/config\";\n"
        );
        // First of the block.
        let src = "import { db } from \"@/lib/db\";\nimport { z } from \"zod\";\n";
        assert_eq!(
            with_import("a.ts", src, false),
            "import { getConfigValue } from \"@/config\";\nimport { db } from \"@/lib/db\";\nimport { z } from \"zod\";\n"
        );
    }

    #[test]
    fn a_comment_above_the_first_import_of_a_group_keeps_it_there() {
        let src =
            "import { z } from \"zod\";\n\n// Database access.\nimport { db } from \"@/lib/db\";\n";
        assert!(
            with_import("a.ts", src, false)
                .ends_with("\"@/lib/db\";\nimport { getConfigValue } from \"@/config\";\n")
        );
        // organizeImports keeps it as the group's header.
        assert!(with_import("a.ts", src, true).ends_with("// Database access.\nimport { getConfigValue } from \"@/config\";\nimport { db } from \"@/lib/db\";\n"));
    }

    #[test]
    fn an_unsorted_block_or_one_without_its_kind_gets_it_last() {
        // `@/lib/db` above `@/components/…`: not sorted.
        let src = "import { db } from \"@/lib/db\";\nimport { Button } from \"@/components/button\";\n\nf();\n";
        assert_eq!(
            landing("a.ts", src, false),
            "import { Button } from \"@/components/button\";\nimport { getConfigValue } from \"@/config\";\n"
        );
        // No `@/` group and no organizeImports: where it goes is not known.
        let src = "import { prisma } from \"@dub/prisma\";\nimport { NextResponse } from \"next/server\";\n";
        assert_eq!(
            landing("a.ts", src, false),
            "import { NextResponse } from \"next/server\";\nimport { getConfigValue } from \"@/config\";"
        );
        // The sorters disagree on `~/` against letters.
        let src = "import { z } from \"zod\";\nimport { env } from \"~/env\";\n";
        let out = with_import("a.ts", src, false);
        assert!(out.ends_with("\"~/env\";\nimport { getConfigValue } from \"@/config\";\n"));
    }

    #[test]
    fn organize_imports_sorts_it_into_the_last_group_in_typescript_order() {
        // dub: `@/config` above `@/lib/auth`, and `@/…` above `@dub/…`.
        let src = "import { withAdmin } from \"@/lib/auth\";\nimport { prisma } from \"@dub/prisma\";\nimport { NextResponse } from \"next/server\";\n";
        assert_eq!(
            with_import("route.ts", src, true),
            "import { getConfigValue } from \"@/config\";\nimport { withAdmin } from \"@/lib/auth\";\nimport { prisma } from \"@dub/prisma\";\nimport { NextResponse } from \"next/server\";\n"
        );
        let src = "import { prisma } from \"@dub/prisma\";\nimport { NextResponse } from \"next/server\";\n\nimport { Button } from \"./button\";\n";
        assert_eq!(
            landing("route.ts", src, true),
            "import { getConfigValue } from \"@/config\";\nimport { prisma } from \"@dub/prisma\";"
        );
        // Detected case sensitivity: `Z` before `a` only case-sensitively.
        let src = "import Z from \"@/Zeta\";\nimport a from \"@/alpha\";\nimport x from \"@/x\";\n";
        assert_eq!(
            landing("a.ts", src, true),
            "import a from \"@/alpha\";\nimport { getConfigValue } from \"@/config\";\nimport x from \"@/x\";"
        );
        // The plugin is off for the file.
        let src = "// organize-imports-ignore\nimport { prisma } from \"@dub/prisma\";\n";
        assert!(
            with_import("a.ts", src, true)
                .ends_with("prisma\";\nimport { getConfigValue } from \"@/config\";\n")
        );
    }

    #[test]
    fn the_import_goes_above_a_side_effect_import_only_where_organize_imports_sorts_it() {
        let src = "import \"dotenv/config\";\nimport { db } from \"@/lib/db\";\n";
        assert_eq!(
            with_import("a.ts", src, false),
            "import \"dotenv/config\";\nimport { getConfigValue } from \"@/config\";\nimport { db } from \"@/lib/db\";\n"
        );
        let src = "import { db } from \"@/lib/db\";\nimport \"./instrumentation\";\n";
        assert!(
            with_import("a.ts", src, false).ends_with(
                "\"./instrumentation\";\nimport { getConfigValue } from \"@/config\";\n"
            )
        );
        // organizeImports sorts side-effect imports too: it goes where the plugin puts it.
        let src = "import { db } from \"@/lib/db\";\nimport { x } from \"@/x\";\nimport \"./globals.css\";\n";
        assert_eq!(
            with_import("layout.tsx", src, true),
            "import { getConfigValue } from \"@/config\";\nimport { db } from \"@/lib/db\";\nimport { x } from \"@/x\";\nimport \"./globals.css\";\n"
        );
    }

    #[test]
    fn semicolons_follow_the_file() {
        let src =
            "import { z } from \"zod\"\n\nimport { db } from \"@/lib/db\"\n\nexport const a = 1\n";
        assert_eq!(
            with_import("a.ts", src, false),
            "import { z } from \"zod\"\n\nimport { getConfigValue } from \"@/config\"\nimport { db } from \"@/lib/db\"\n\nexport const a = 1\n"
        );
        // Without imports, the top-level statements tell; functions and classes do not.
        let src = "export function f() {}\nexport class C {}\nexport const a = 1\nf()\n";
        assert!(
            with_import("a.ts", src, false)
                .starts_with("import { getConfigValue } from \"@/config\"\n")
        );
        let src = "export function f() {}\nexport const a = 1;\n";
        assert!(
            with_import("a.ts", src, false)
                .starts_with("import { getConfigValue } from \"@/config\";\n")
        );
        // A file of functions: the statements inside them.
        let src = "export default function handler(req, res) {\n  const key = 1\n  return res.json({ key })\n}\n";
        assert!(
            with_import("a.ts", src, false)
                .starts_with("import { getConfigValue } from \"@/config\"\n")
        );
        // A tie keeps it.
        let src = "import a from \"a\"\nimport b from \"b\";\n";
        assert!(
            with_import("a.ts", src, false)
                .ends_with("import { getConfigValue } from \"@/config\";\n")
        );
        // CommonJS, and a line that would run on into the `require` keeps its `;`.
        let src = "const express = require('express')\n\nmodule.exports = express()\n";
        assert_eq!(
            with_import("a.js", src, false),
            "const express = require('express')\nconst { getConfigValue } = require('@/config')\n\nmodule.exports = express()\n"
        );
        let src = "const a = require('a')\n// run\n;(async () => {})()\n";
        assert_eq!(
            with_import("a.js", src, false),
            "const a = require('a')\nconst { getConfigValue } = require('@/config')\n// run\n;(async () => {})()\n"
        );
        let src = "import a from \"a\"\n\n;[1, 2].forEach(a)\n";
        assert_eq!(
            with_import("a.ts", src, false),
            "import a from \"a\"\nimport { getConfigValue } from \"@/config\"\n\n;[1, 2].forEach(a)\n"
        );
        let src = "// Seeds the database.\n\n(async () => {\n  await seed()\n})()\n";
        assert!(with_import("a.cjs", src, false).contains("require(\"@/config\");\n"));
    }

    #[test]
    fn the_quote_is_the_specifiers_quote() {
        // JSX attributes in double quotes do not outvote the single-quoted imports.
        let src =
            "import { a } from 'a';\n\nexport const X = () => <div className=\"x\" id=\"y\" />;\n";
        assert!(with_import("a.tsx", src, false).contains("from '@/config';"));
        assert!(continues_expression("  // c\n  /* d */ (f)()"));
        assert!(!continues_expression("  // (c)\nimport x from \"x\""));
        assert!(!continues_expression(";(f)()"));
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
