//! TypeScript and JavaScript: environment reads (`process.env.X`, `import.meta.env.X`,
//! `Deno.env.get("X")`, `Bun.env.X`, destructuring of `process.env`) found with
//! tree-sitter-typescript and name resolution through imports, `require` and scopes,
//! driven by `rules/typescript.toml`. Never writes files.

mod imports;
mod lex;
mod lint_comments;
mod order;
mod presence;
mod writes;

use crate::detect::fields::Field;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::time::{Duration, Instant};

use tree_sitter::{Node, ParseOptions, Parser, Tree};

use crate::Context;
use crate::config::EnvScope;
use crate::detect::env::{self, EnvClass};
use crate::detect::parents::Parents;
use crate::detect::scope::{Binding, ScopeKind, Scopes};
use crate::detect::{
    Analysis, Applicability, EnvWrite, Finding, Fix, LoaderRead, Severity, WriteKind, count_errors,
    testcode,
};
use crate::fix::Edit;
use crate::rules::{CompiledEnvRule, EnvRules};
use crate::source::{Language, SourceFile};

/// The rule for a secret-looking name behind a prefix bundlers ship to the browser.
const CLIENT_RULE: &str = "ts-client-exposed-secret";
/// Deeper syntax trees are not walked further (a stack guard for generated code): a
/// file that goes deeper is reported as not fully checked. 2,000 chained `+ 1` (what a
/// code generator writes) are walked whole; the 64 MiB worker stacks hold 10,000 levels
/// even in a debug build.
const MAX_DEPTH: usize = 5_000;

/// The most segments a qualified name is worked out to (`process.env.X` has three): the
/// names looked up are the rules' targets and the loader's path, far shorter. Each
/// member of an `a.b.c…` chain asks for the name of the chain below it; without a
/// bound, a chain of n members cost n² (4,000 `.a` took 8 s).
const MAX_SEGMENTS: usize = 16;
/// A parse that takes longer than this is abandoned (outside `analyze`, which takes the
/// config's `parse-timeout`, of the same default).
const PARSE_BUDGET: Duration = Duration::from_secs(5);
/// Words that mark a client-prefixed key as public by design (`…_PUBLISHABLE_KEY`,
/// Supabase's `…_ANON_KEY`).
const PUBLIC_WORDS: &[&str] = &["PUBLISHABLE", "ANON", "PUBLIC"];
/// Globals that hold the environment without an import.
const GLOBALS: &[&str] = &["process", "Deno", "Bun"];

thread_local! {
    static TS: RefCell<Parser> = RefCell::new(parser(tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into()));
    static TSX: RefCell<Parser> = RefCell::new(parser(tree_sitter_typescript::LANGUAGE_TSX.into()));
}

fn parser(language: tree_sitter::Language) -> Parser {
    let mut p = Parser::new();
    p.set_language(&language)
        .expect("tree-sitter-typescript matches the tree-sitter version");
    p
}

/// Parses with the grammar for `language`: typescript for .ts/.mts/.cts, tsx where JSX
/// may appear (.tsx and every JavaScript file). `None` past the time budget.
pub fn parse(language: Language, text: &str) -> Option<Tree> {
    parse_within(language, text, PARSE_BUDGET)
}

/// [`parse`] with another time budget. A lone CR is a LineTerminator in ECMAScript, a
/// space to tree-sitter-typescript (so no semicolon would be inserted there): the
/// parser reads a copy with LF in its place, the same length.
fn parse_within(language: Language, text: &str, budget: Duration) -> Option<Tree> {
    let text = &*crate::source::lone_cr_as_lf(text);
    let run = |p: &RefCell<Parser>| {
        let mut p = p.borrow_mut();
        let start = Instant::now();
        let mut over_budget = |_: &tree_sitter::ParseState| start.elapsed() > budget;
        let bytes = text.as_bytes();
        let tree = p.parse_with_options(
            &mut |i, _| bytes.get(i..).unwrap_or_default(),
            None,
            Some(ParseOptions::new().progress_callback(&mut over_budget)),
        );
        if tree.is_none() {
            // A cancelled parse keeps its state for resumption; start afresh next time.
            p.reset();
        }
        tree
    };
    match language {
        Language::TypeScript => TS.with(run),
        _ => TSX.with(run),
    }
}

/// Error nodes in `text` parsed as `language` (`usize::MAX` when it does not parse).
pub fn error_nodes(language: Language, text: &str) -> usize {
    parse(language, text).map_or(usize::MAX, |t| count_errors(&t))
}

/// Whether the read words the prefilter found are in code, not only in comments (asked
/// of `.ts` files that pass the prefilter; see [`lex`]).
fn words_in_code(file: &SourceFile, ctx: &Context) -> bool {
    if !ctx.partial_parse || file.language != Language::TypeScript {
        return true;
    }
    let Some(code) = lex::code_only(&file.text) else {
        return true;
    };
    let in_code = ctx.rules.typescript.may_match(&code);
    if !in_code {
        crate::stats::work(|w| w.files_words_not_in_code += 1);
    }
    in_code
}

/// Finds the environment reads of one TypeScript or JavaScript file.
pub fn analyze(file: &SourceFile, ctx: &Context) -> Analysis {
    let src = file.text.as_str();
    let rules = &ctx.rules.typescript;
    let loader_named = ctx.inventory && src.contains(ctx.config.typescript.import.bound.as_str());
    if !(loader_named || rules.may_match(src) && words_in_code(file, ctx)) {
        return Analysis::default();
    }
    let budget = ctx.config.parse_timeout;
    let Some(tree) = parse_within(file.language, src, budget) else {
        return Analysis {
            skipped: Some(format!(
                "parsing took longer than {} s (parse-timeout): environment reads not checked",
                budget.as_secs_f64()
            )),
            ..Analysis::default()
        };
    };
    // Relative imports are resolved to package paths only for a team's module targets.
    let here = (!ctx.rules.typescript.modules.is_empty()).then_some(file.path.as_path());
    let mut walker = Walker::run_in(src, &tree, here);
    walker.fallback_quote = prettier_quote(file, &walker);
    walker.build_config = is_build_config(&file.path);
    walker.client = walker.client.or_else(|| client_path(&file.path));
    let mut analysis = Analysis {
        error_nodes: count_errors(&tree),
        parsed: true,
        incomplete: walker.too_deep.then(|| crate::detect::too_deep(MAX_DEPTH)),
        ..Analysis::default()
    };
    if loader_named {
        analysis.loader_reads = walker.loader_reads(ctx);
    }
    let written = walker.env_writes();
    walker.bulk_write = written.bulk;
    walker.assigned = written.assigned;
    // A write in test code sets the variable for the test; anywhere else it is handed
    // to a process (or to the libraries the running one loads).
    let test_file = testcode::is_test_path(&file.path)
        || writes::is_test_setup_file(&file.path)
        || walker.imports_test_runner();
    analysis.env_writes = written
        .writes
        .into_iter()
        .map(|w| EnvWrite {
            name: w.name,
            span: w.span,
            kind: if test_file || w.test {
                WriteKind::Test
            } else {
                WriteKind::HandOff
            },
        })
        .collect();
    let presences = walker.presences(rules);
    // Removals and the like make the reads' fixes unsafe; so does a presence check of
    // the same name (the check itself is rewritten on its own terms).
    let removed = walker.touched(rules, &written.removed);
    let mut touched = removed.clone();
    touched.extend(presences.iter().map(|p| p.name.clone()));
    // The read at each candidate (`None` for declarators and non-reads), found once.
    let reads: Vec<Option<Read>> = walker
        .candidates
        .iter()
        .map(|&(node, scope)| walker.read(node, scope, rules))
        .collect();
    if file.language != Language::JavaScript {
        walker.narrowed = narrowed(&walker.parents, &reads);
    }
    let loader = Loader::of(&walker.scopes, &ctx.config.typescript.import);
    let mut any_fix = false;
    for (&(node, scope), read) in walker.candidates.iter().zip(&reads) {
        let found = match node.kind_name() {
            "variable_declarator" => walker.destructure(node, scope, ctx, rules, &loader, &touched),
            _ => read
                .as_ref()
                .and_then(|read| walker.finding(read, scope, ctx, &loader, &touched))
                .into_iter()
                .collect(),
        };
        for finding in found {
            any_fix |= finding.fix.is_some();
            analysis.findings.push(finding);
        }
    }
    for p in &presences {
        if let Some(finding) = walker.presence_finding(p, ctx, &loader, &removed) {
            any_fix |= finding.fix.is_some();
            analysis.findings.push(finding);
        }
    }
    if any_fix {
        lint_comments::drop_unneeded(
            file,
            tree.root_node(),
            &walker.scopes,
            &mut analysis.findings,
            ctx,
        );
        if !loader.imported {
            analysis.plan.import = Some(imports::insertion(
                file,
                tree.root_node(),
                &ctx.config.typescript.import,
                walker.quote(),
            ));
        }
        if analysis.error_nodes == 0 && ctx.applies_fixes {
            analysis.plan.imports = imports::removable(
                file,
                &walker.imports,
                &walker.idents,
                &rules.modules,
                &|m| walker.module_name(m),
            );
        }
    }
    analysis
}

/// The edit that imports the loader (`None` when the file has it), or why the loader's
/// name cannot be used in this file.
pub fn loader_import(file: &SourceFile, ctx: &Context) -> Result<Option<Edit>, String> {
    let tree = parse(file.language, &file.text).ok_or("the file does not parse in time")?;
    let mut walker = Walker::run(&file.text, &tree);
    walker.fallback_quote = prettier_quote(file, &walker);
    let loader = Loader::of(&walker.scopes, &ctx.config.typescript.import);
    if let Some(pos) = loader.conflict {
        let line = file.text[..pos].matches('\n').count() + 1;
        return Err(format!(
            "`{}` is already bound to something else in this file (line {line})",
            ctx.config.typescript.import.bound
        ));
    }
    Ok((!loader.imported).then(|| {
        imports::insertion(
            file,
            tree.root_node(),
            &ctx.config.typescript.import,
            walker.quote(),
        )
    }))
}

/// The edit that adds `line` (an import a rewrite template needs) where the file's
/// imports go (`None` when the file has it), or why it cannot be added.
pub fn import_edit(file: &SourceFile, line: &str) -> Result<Option<Edit>, String> {
    let import = crate::config::TsImport::parse(line).ok_or("not an import line")?;
    let tree = parse(file.language, &file.text).ok_or("the file does not parse in time")?;
    let mut walker = Walker::run(&file.text, &tree);
    walker.fallback_quote = prettier_quote(file, &walker);
    let loader = Loader::of(&walker.scopes, &import);
    if loader.imported {
        return Ok(None);
    }
    if let Some(pos) = loader.conflict {
        let line = file.text[..pos].matches('\n').count() + 1;
        return Err(format!(
            "`{}` is already bound to something else in this file (line {line})",
            import.bound
        ));
    }
    Ok(Some(imports::insertion(
        file,
        tree.root_node(),
        &import,
        walker.quote(),
    )))
}

/// The quote prettier's `singleQuote` asks for, read only for a file whose strings do
/// not settle it.
fn prettier_quote(file: &SourceFile, walker: &Walker) -> char {
    if walker.quotes[0] != walker.quotes[1] {
        return '"';
    }
    if order::prettier(&file.path).single_quote {
        '\''
    } else {
        '"'
    }
}

/// What the name an import binds (the configured loader's, or a template's) means in
/// this file.
struct Loader {
    imported: bool,
    conflict: Option<usize>,
}

impl Loader {
    fn of(scopes: &Scopes, import: &crate::config::TsImport) -> Loader {
        let ours = format!("{}.{}", normalize_module(&import.module), import.name);
        let bindings = scopes.scopes[0].bindings.get(&import.bound);
        let is_ours = |b: &Binding| b.import.as_deref() == Some(ours.as_str());
        Loader {
            imported: bindings.is_some_and(|bs| bs.iter().any(is_ours)),
            conflict: bindings.and_then(|bs| bs.iter().find(|b| !is_ours(b)).map(|b| b.pos)),
        }
    }
}

/// True when the program's directive prologue holds `directive` (`"use client"`).
fn has_directive(program: Node, src: &str, directive: &str) -> bool {
    let mut cursor = program.walk();
    for child in program.named_children(&mut cursor) {
        match child.kind_name() {
            "hash_bang_line" | "comment" => continue,
            "expression_statement" => {
                let text = src[child.byte_range()].trim_end_matches(';');
                if text.trim_matches(['"', '\'']) == directive {
                    return true;
                }
                if !text.starts_with(['"', '\'']) {
                    return false;
                }
            }
            _ => return false,
        }
    }
    false
}

/// `next.config.js`, `vite.config.ts`, `rollup.config.mjs`, `webpack.config.js`, …
fn is_build_config(path: &std::path::Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        n.contains(".config.") || n.starts_with("webpack.") || n.starts_with("gulpfile")
    })
}

/// Why a file runs in the browser, where the loader (server code) cannot run: a read
/// there gets no safe fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Browser {
    /// React's `"use client"` directive (Next.js's client components).
    UseClient,
    /// A module of Fresh's `islands/` folder (or of a `(_islands)` folder in `routes/`,
    /// Fresh 2): components hydrated in the browser.
    Island,
    /// A `.client` module: `name.client.ts` (Remix and React Router leave it out of the
    /// server bundle; a Nuxt plugin or component so named runs only in the browser), or
    /// a file in a `.client/` folder (Remix Vite).
    DotClient,
}

impl Browser {
    fn describe(self) -> &'static str {
        match self {
            Browser::UseClient => "a \"use client\" file runs in the browser",
            Browser::Island => "a Fresh island runs in the browser",
            Browser::DotClient => "a `.client` module runs only in the browser",
        }
    }
}

/// Whether the path says the file runs in the browser: a folder named `islands`,
/// `(_islands)` or `.client`, or a file named `*.client.<ext>`. A folder whose name
/// only holds the word (`myislands/`), `client.ts` and `apiClient.ts` do not.
fn client_path(path: &std::path::Path) -> Option<Browser> {
    let mut parts: Vec<&str> = path
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    let name = parts.pop()?;
    if parts.iter().any(|p| *p == "islands" || *p == "(_islands)") {
        return Some(Browser::Island);
    }
    if parts.contains(&".client") {
        return Some(Browser::DotClient);
    }
    let pieces: Vec<&str> = name.split('.').collect();
    (pieces.len() >= 3 && !pieces[0].is_empty() && pieces[pieces.len() - 2] == "client")
        .then_some(Browser::DotClient)
}

/// The module `specifier`, relative to the file at `here`, named from the package that
/// holds it: `../utils/env` in `packages/lib/server/a.ts` is `@acme/lib/utils/env` when
/// `packages/lib/package.json` names the package `@acme/lib`. The extension and an
/// `/index` go, as Node's and TypeScript's resolution add them.
fn package_path(here: &Path, specifier: &str) -> Option<String> {
    let dir = std::path::absolute(here.parent()?).ok()?;
    let mut target = dir.clone();
    for part in specifier.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                target.pop();
            }
            p => target.push(p),
        }
    }
    let mut target = target.to_string_lossy().into_owned();
    for ext in [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"] {
        if let Some(stem) = target.strip_suffix(ext) {
            target = stem.to_string();
            break;
        }
    }
    if let Some(stem) = target.strip_suffix("/index") {
        target = stem.to_string();
    }
    let target = std::path::PathBuf::from(target);
    let mut at = target.parent()?.to_path_buf();
    loop {
        if let Some(name) = package_name(&at) {
            let rest = target
                .strip_prefix(&at)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            return Some(if rest.is_empty() {
                name
            } else {
                format!("{name}/{rest}")
            });
        }
        if !at.pop() {
            return None;
        }
    }
}

/// The `name` of `dir/package.json`, read once per directory per process.
fn package_name(dir: &Path) -> Option<String> {
    static NAMES: std::sync::OnceLock<
        std::sync::Mutex<HashMap<std::path::PathBuf, Option<String>>>,
    > = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(Default::default);
    if let Some(known) = names.lock().ok()?.get(dir) {
        return known.clone();
    }
    let name = std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("name")?.as_str().map(str::to_string));
    names.lock().ok()?.insert(dir.to_path_buf(), name.clone());
    name
}

/// `node:process` and `process` are the same module.
fn normalize_module(module: &str) -> &str {
    module.strip_prefix("node:").unwrap_or(module)
}

/// A read found in the tree, before classification.
struct Read<'t, 'r> {
    rule: &'r CompiledEnvRule,
    node: Node<'t>,
    /// The variable name, when it is a literal, with the quote to write the key in.
    name: Option<(String, char)>,
    /// For calls (`Deno.env.get("X")`): the callee and the key argument, edited in place.
    call: Option<(Node<'t>, Node<'t>)>,
}

struct Walker<'t, 's> {
    src: &'s str,
    /// The file's path, when relative imports are to be resolved (see `run_in`).
    here: Option<std::path::PathBuf>,
    /// Parent links, for the questions asked walking up from a node.
    parents: Parents<'t>,
    /// The walk stopped at `MAX_DEPTH` somewhere: reads below were not seen.
    too_deep: bool,
    scopes: Scopes,
    candidates: Vec<(Node<'t>, usize)>,
    /// Member and subscript expressions that are written or deleted.
    stores: HashSet<usize>,
    /// `"X" in process.env` tests, with their scope.
    tests: Vec<(Node<'t>, usize)>,
    /// The program node (test blocks are found from a write up to it).
    root: Node<'t>,
    /// `const NAME = value` declarations, by the position of the name: the `env` of a
    /// process started may be held in one.
    consts: HashMap<usize, Node<'t>>,
    /// Assignments, for the writes of the environment among them.
    assigns: Vec<(Node<'t>, usize)>,
    /// `new X(…)` expressions (a `Worker`, a `Deno.Command` with an `env`).
    news: Vec<(Node<'t>, usize)>,
    /// Assignment targets that are writes of a named variable (`Analysis::env_writes`
    /// covers them; they do not make the file's reads unsafe).
    assigned: HashSet<usize>,
    idents: HashMap<&'s str, Vec<Range<usize>>>,
    /// Top-level import statements.
    imports: Vec<Node<'t>>,
    /// The file replaces or bulk-updates the environment (`process.env = {…}`,
    /// `Object.assign(process.env, …)`): every read's fix is unsafe.
    bulk_write: bool,
    /// Names set through a project's own helpers (`setEnv("X", …)`), which may or may
    /// not write the environment: their reads get unsafe fixes.
    stubbed: Vec<String>,
    /// The file runs in the browser (`"use client"`, a Fresh island, a `.client` module).
    client: Option<Browser>,
    /// A build tool's config (`next.config.js`, `vite.config.ts`, …), run at build time.
    build_config: bool,
    /// Strings quoted with `"` and with `'`: the key of `process.env.X` is written in
    /// the file's usual quote.
    quotes: [usize; 2],
    /// The quote of the file's prettier config (`singleQuote`), for a file whose strings
    /// do not tell.
    fallback_quote: char,
    /// Cursors for walking children, one per level in use.
    cursors: Vec<tree_sitter::TreeCursor<'t>>,
    /// Variables tested (`if (!process.env.X)`) and read again: TypeScript narrows the
    /// later reads, and would not narrow a call of the loader.
    narrowed: HashSet<String>,
}

impl<'t, 's> Walker<'t, 's> {
    /// Walks the whole tree: scopes, bindings, candidate reads, imports.
    fn run(src: &'s str, tree: &'t Tree) -> Walker<'t, 's> {
        Walker::run_in(src, tree, None)
    }

    /// `run` for the file at `here`, whose relative imports (`../utils/env`) are named
    /// as from their package (`@acme/lib/utils/env`).
    fn run_in(src: &'s str, tree: &'t Tree, here: Option<&Path>) -> Walker<'t, 's> {
        let mut walker = Walker {
            src,
            here: here.map(Path::to_path_buf),
            parents: Parents::new(tree, |w, links, lookups| {
                w.typescript_parent_links += links;
                w.typescript_parent_lookups += lookups;
            }),
            too_deep: false,
            scopes: Scopes::new(),
            candidates: Vec::new(),
            stores: HashSet::new(),
            tests: Vec::new(),
            root: tree.root_node(),
            consts: HashMap::new(),
            assigns: Vec::new(),
            news: Vec::new(),
            assigned: HashSet::new(),
            idents: HashMap::new(),
            imports: Vec::new(),
            bulk_write: false,
            stubbed: Vec::new(),
            client: None,
            build_config: false,
            quotes: [0, 0],
            fallback_quote: '"',
            cursors: Vec::new(),
            narrowed: HashSet::new(),
        };
        walker.client =
            has_directive(tree.root_node(), src, "use client").then_some(Browser::UseClient);
        walker.visit(tree.root_node(), 0, 0);
        walker
    }

    fn text(&self, node: Node) -> &'s str {
        &self.src[node.byte_range()]
    }

    fn record(&mut self, ident: Node) {
        let name = self.text(ident);
        self.idents
            .entry(name)
            .or_default()
            .push(ident.byte_range());
    }

    fn bind(&mut self, scope: usize, ident: Node, import: Option<String>) {
        self.record(ident);
        let name = self.text(ident);
        self.scopes.bind(
            scope,
            name,
            Binding {
                pos: ident.start_byte(),
                import,
                fallback: false,
            },
        );
    }

    fn visit_children(&mut self, node: Node<'t>, scope: usize, depth: usize) {
        // A cursor per level in use, kept: a new one per node visited was a heap
        // allocation per node.
        let mut cursor = self.cursors.pop().unwrap_or_else(|| node.walk());
        for child in node.children(&mut cursor) {
            self.visit(child, scope, depth + 1);
        }
        self.cursors.push(cursor);
    }

    fn visit_field(&mut self, node: Node<'t>, field: &str, scope: usize, depth: usize) {
        if let Some(child) = node.field(field) {
            self.visit(child, scope, depth + 1);
        }
    }

    fn visit(&mut self, node: Node<'t>, scope: usize, depth: usize) {
        if depth > MAX_DEPTH || node.is_error() {
            // Findings come from outside error regions only.
            self.too_deep |= depth > MAX_DEPTH;
            return;
        }
        match node.kind_name() {
            "import_statement" => {
                if self
                    .parents
                    .of(node)
                    .is_some_and(|p| p.kind_name() == "program")
                {
                    self.imports.push(node);
                }
                if let Some(source) = node.field("source") {
                    let quote = usize::from(self.text(source).starts_with('\''));
                    self.quotes[quote] += 1;
                }
                self.import(node, scope);
            }
            // Types are not values: `typeof process.env.X` in a type reads nothing.
            "type_annotation"
            | "type_alias_declaration"
            | "interface_declaration"
            | "type_query"
            | "type_arguments" => {}
            "function_declaration" | "generator_function_declaration" => {
                if let Some(name) = node.field("name") {
                    self.bind(scope, name, None);
                }
                self.function(node, scope, depth);
            }
            "function_expression"
            | "function"
            | "generator_function"
            | "arrow_function"
            | "method_definition" => self.function(node, scope, depth),
            "class_declaration" | "abstract_class_declaration" => {
                if let Some(name) = node.field("name") {
                    self.bind(scope, name, None);
                }
                self.visit_children(node, scope, depth);
            }
            "statement_block" | "for_statement" | "for_in_statement" | "class_body" => {
                if node.kind_name() == "for_in_statement" {
                    if let Some(left) = node.field("left") {
                        self.mark_store(left);
                    }
                }
                let inner = self.scopes.push(ScopeKind::Function, scope);
                self.visit_children(node, inner, depth);
            }
            "catch_clause" => {
                let inner = self.scopes.push(ScopeKind::Function, scope);
                if let Some(p) = node.field("parameter") {
                    self.pattern(p, inner, None, depth);
                }
                self.visit_field(node, "body", inner, depth);
            }
            "variable_declarator" => self.declarator(node, scope, depth),
            "assignment_expression" | "augmented_assignment_expression" => {
                if let Some(left) = node.field("left") {
                    self.mark_store(left);
                }
                self.assigns.push((node, scope));
                self.visit_children(node, scope, depth);
            }
            "new_expression" => {
                self.news.push((node, scope));
                self.visit_children(node, scope, depth);
            }
            "update_expression" => {
                if let Some(arg) = node.field("argument") {
                    self.mark_store(arg);
                }
                self.visit_children(node, scope, depth);
            }
            "unary_expression" => {
                let is_delete = node
                    .field("operator")
                    .is_some_and(|o| o.kind_name() == "delete");
                if let (true, Some(arg)) = (is_delete, node.field("argument")) {
                    self.mark_store(arg);
                }
                self.visit_children(node, scope, depth);
            }
            "binary_expression" => {
                let is_in = node
                    .field("operator")
                    .is_some_and(|o| o.kind_name() == "in");
                if is_in {
                    self.tests.push((node, scope));
                }
                self.visit_children(node, scope, depth);
            }
            "member_expression" | "subscript_expression" | "call_expression" => {
                if node.kind_name() == "call_expression" {
                    self.note_bulk_call(node, scope);
                }
                self.candidates.push((node, scope));
                self.visit_children(node, scope, depth);
            }
            // prettier's `singleQuote` leaves JSX attributes (`jsxSingleQuote`) and
            // strings that hold a quote (written in the quote that needs fewer escapes)
            // to other rules: they say nothing of the file's usual quote.
            "string"
                if self
                    .parents
                    .of(node)
                    .is_none_or(|p| p.kind_name() != "jsx_attribute") =>
            {
                let text = self.text(node);
                let inner = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
                if !inner.contains(['"', '\'']) {
                    self.quotes[usize::from(text.starts_with('\''))] += 1;
                }
            }
            "identifier" | "shorthand_property_identifier" => self.record(node),
            _ => self.visit_children(node, scope, depth),
        }
    }

    /// Member and subscript targets of an assignment, also inside destructuring
    /// patterns (`[process.env.A] = …`, `({ a: process.env.B } = o)`), are writes.
    fn mark_store(&mut self, node: Node<'t>) {
        let node = unwrap_expression(node);
        match node.kind_name() {
            "member_expression" | "subscript_expression" => {
                self.stores.insert(node.id());
            }
            "array_pattern"
            | "object_pattern"
            | "array"
            | "object"
            | "pair_pattern"
            | "pair"
            | "assignment_pattern"
            | "object_assignment_pattern"
            | "rest_pattern"
            | "spread_element" => {
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for child in children {
                    // In `{ a: x }` the key is a name, only the value is a target.
                    if node.kind_name().starts_with("pair") && node.field("key") == Some(child) {
                        continue;
                    }
                    self.mark_store(child);
                }
            }
            _ => {}
        }
    }

    /// A project's own helper named `setEnv("X", …)` may write the environment (the
    /// writes the file spells out are `writes::env_writes`'s).
    fn note_bulk_call(&mut self, node: Node<'t>, _scope: usize) {
        let Some(function) = node.field("function") else {
            return;
        };
        let callee = self.text(function);
        let mut cursor = node.walk();
        let first = node.field("arguments").and_then(|a| {
            a.named_children(&mut cursor)
                .find(|n| n.kind_name() != "comment")
        });
        let Some(first) = first else { return };
        if callee.ends_with("setEnv") {
            self.stubbed
                .extend(string_value(first, self.src).map(|(v, _)| v));
        }
    }

    /// A function-like node: its parameters and body in a new scope.
    fn function(&mut self, node: Node<'t>, scope: usize, depth: usize) {
        let inner = self.scopes.push(ScopeKind::Function, scope);
        if node.kind_name() != "function_declaration" {
            if let Some(name) = node.field("name") {
                if name.kind_name() == "identifier" {
                    self.bind(inner, name, None);
                }
            }
        }
        if let Some(p) = node.field("parameter") {
            self.pattern(p, inner, None, depth);
        }
        if let Some(params) = node.field("parameters") {
            let mut cursor = params.walk();
            let list: Vec<Node<'t>> = params.named_children(&mut cursor).collect();
            for p in list {
                match p.kind_name() {
                    "required_parameter" | "optional_parameter" => {
                        if let Some(pattern) = p.field("pattern") {
                            self.pattern(pattern, inner, None, depth);
                        }
                        self.visit_field(p, "value", scope, depth);
                    }
                    _ => self.pattern(p, inner, None, depth),
                }
            }
        }
        self.visit_field(node, "body", inner, depth);
    }

    /// Binds the names a pattern introduces. `base` is the qualified name of the value
    /// being destructured (`process` in `const { env } = process`).
    fn pattern(&mut self, node: Node<'t>, scope: usize, base: Option<&str>, depth: usize) {
        if depth > MAX_DEPTH {
            self.too_deep = true;
            return;
        }
        let member = |key: &str| base.map(|b| format!("{b}.{key}"));
        match node.kind_name() {
            "identifier" => self.bind(scope, node, None),
            "shorthand_property_identifier_pattern" => {
                let key = self.text(node);
                self.bind(scope, node, member(key));
            }
            "object_assignment_pattern" => {
                if let Some(left) = node.field("left") {
                    self.pattern(left, scope, base, depth + 1);
                }
                self.visit_field(node, "right", scope, depth);
            }
            "pair_pattern" => {
                let key = node.field("key").and_then(|k| property_name(k, self.src));
                if let Some(value) = node.field("value") {
                    match (value.kind_name(), key) {
                        ("identifier", Some(key)) => self.bind(scope, value, member(&key)),
                        _ => self.pattern(value, scope, None, depth + 1),
                    }
                }
            }
            "assignment_pattern" => {
                if let Some(left) = node.field("left") {
                    self.pattern(left, scope, base, depth + 1);
                }
                self.visit_field(node, "right", scope, depth);
            }
            "object_pattern" | "array_pattern" | "rest_pattern" => {
                let inner_base = if node.kind_name() == "object_pattern" {
                    base
                } else {
                    None
                };
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for child in children {
                    self.pattern(child, scope, inner_base, depth + 1);
                }
            }
            _ => self.visit(node, scope, depth + 1),
        }
    }

    fn declarator(&mut self, node: Node<'t>, scope: usize, depth: usize) {
        let name = node.field("name");
        let value = node.field("value");
        let base = value.and_then(|v| self.value_origin(v, scope));
        let is_const = self
            .parents
            .of(node)
            .and_then(|d| d.child(0))
            .is_some_and(|k| k.kind_name() == "const");
        match name {
            Some(n) if n.kind_name() == "identifier" => {
                if let (true, Some(v)) = (is_const, value) {
                    self.consts.insert(n.start_byte(), v);
                }
                self.bind(scope, n, base)
            }
            Some(n) => {
                if n.kind_name() == "object_pattern" {
                    self.candidates.push((node, scope));
                }
                self.pattern(n, scope, base.as_deref(), depth);
            }
            None => {}
        }
        if let Some(v) = value {
            self.visit(v, scope, depth + 1);
        }
    }

    /// What a declaration's value stands for, when it is the environment or one of its
    /// holders: `process.env`, `process`, `require("node:process")`.
    fn value_origin(&self, value: Node, scope: usize) -> Option<String> {
        let value = unwrap_expression(value);
        if value.kind_name() == "call_expression" {
            let function = value.field("function")?;
            if self.text(function) != "require" {
                return None;
            }
            let module = value
                .field("arguments")?
                .named_child(0)
                .and_then(|a| string_value(a, self.src))?;
            return Some(self.module_name(normalize_module(&module.0)));
        }
        let q = self.qualified(value, scope)?;
        // Only the environment and its holders are worth following.
        let holder = GLOBALS
            .iter()
            .chain(&["import.meta"])
            .any(|g| q == *g || q.starts_with(&format!("{g}.")));
        holder.then_some(q)
    }

    fn import(&mut self, node: Node<'t>, scope: usize) {
        let Some(module) = node.field("source").and_then(|s| string_value(s, self.src)) else {
            return;
        };
        let module = self.module_name(normalize_module(&module.0));
        let Some(clause) = node
            .named_children(&mut node.walk())
            .find(|c| c.kind_name() == "import_clause")
        else {
            return;
        };
        let mut cursor = clause.walk();
        let parts: Vec<Node<'t>> = clause.named_children(&mut cursor).collect();
        for part in parts {
            match part.kind_name() {
                // `import process from "node:process"`
                "identifier" => {
                    let target = if module == "process" {
                        module.clone()
                    } else {
                        format!("{module}.default")
                    };
                    self.bind(scope, part, Some(target));
                }
                // `import * as p from "process"`
                "namespace_import" => {
                    if let Some(id) = part.named_child(0) {
                        self.bind(scope, id, Some(module.clone()));
                    }
                }
                "named_imports" => {
                    let mut c = part.walk();
                    let specs: Vec<Node<'t>> = part.named_children(&mut c).collect();
                    for spec in specs
                        .into_iter()
                        .filter(|s| s.kind_name() == "import_specifier")
                    {
                        let Some(name) = spec.field("name") else {
                            continue;
                        };
                        let local = spec.field("alias").unwrap_or(name);
                        let imported = property_name(name, self.src).unwrap_or_default();
                        self.bind(scope, local, Some(format!("{module}.{imported}")));
                    }
                }
                _ => {}
            }
        }
    }

    /// How an import's module is named in targets: a relative one (`../utils/env`) as
    /// from its package (`@acme/lib/utils/env`) when the walk resolves them.
    fn module_name(&self, module: &str) -> String {
        match &self.here {
            Some(here) if module.starts_with("./") || module.starts_with("../") => {
                package_path(here, module).unwrap_or_else(|| module.to_string())
            }
            _ => module.to_string(),
        }
    }

    /// The qualified name an expression stands for: `process.env` for `env` after
    /// `import { env } from "node:process"`.
    fn qualified(&self, node: Node, scope: usize) -> Option<String> {
        self.qualified_within(node, scope, MAX_SEGMENTS)
    }

    /// [`Self::qualified`] of a name of at most `segments` segments (`None` past them).
    fn qualified_within(&self, node: Node, scope: usize, segments: usize) -> Option<String> {
        let segments = segments.checked_sub(1)?;
        let node = unwrap_expression(node);
        match node.kind_name() {
            "identifier" => {
                let name = self.text(node);
                match self.scopes.resolve(name, scope, node.start_byte()) {
                    Some(b) => b.import.clone(),
                    None => {
                        (GLOBALS.contains(&name) || name == "globalThis").then(|| name.to_string())
                    }
                }
            }
            "meta_property" => {
                (self.text(node) == "import.meta").then(|| "import.meta".to_string())
            }
            // `process["env"]`
            "subscript_expression" => {
                let object = node.field("object")?;
                let (key, _) = string_value(node.field("index")?, self.src)?;
                let base = self.qualified_within(object, scope, segments)?;
                Some(format!("{base}.{key}"))
            }
            "member_expression" => {
                let object = node.field("object")?;
                let property = node.field("property")?;
                if property.kind_name() != "property_identifier" {
                    return None;
                }
                let base = self.qualified_within(object, scope, segments)?;
                let property = self.text(property);
                // `globalThis.process` is `process`.
                Some(if base == "globalThis" {
                    property.to_string()
                } else {
                    format!("{base}.{property}")
                })
            }
            _ => None,
        }
    }

    /// The calls of the configured loader: `getConfigValue("x")`, key first.
    fn loader_reads(&self, ctx: &Context) -> Vec<LoaderRead> {
        let ts = &ctx.config.typescript;
        let ours = format!("{}.{}", normalize_module(&ts.import.module), ts.import.name);
        // `getConfigValue`, or `config.get` after `import { config } from "…"`.
        let target = match ts.call.strip_prefix(ts.import.bound.as_str()) {
            Some(rest) if rest.is_empty() || rest.starts_with('.') => format!("{ours}{rest}"),
            _ => return Vec::new(),
        };
        let mut out = Vec::new();
        for &(node, scope) in &self.candidates {
            if node.kind_name() != "call_expression" {
                continue;
            }
            let is_loader = node
                .field("function")
                .and_then(|f| self.qualified(f, scope))
                .is_some_and(|q| q == target);
            let Some(args) = node.field("arguments").filter(|_| is_loader) else {
                continue;
            };
            let mut cursor = args.walk();
            let args: Vec<Node> = args
                .named_children(&mut cursor)
                .filter(|a| a.kind_name() != "comment")
                .collect();
            let Some((key, _)) = args.first().and_then(|k| string_value(*k, self.src)) else {
                continue;
            };
            if key.is_empty() {
                continue;
            }
            out.push(LoaderRead {
                key,
                span: node.byte_range(),
                has_default: args.len() > 1 || falls_back(&self.parents, node),
            });
        }
        out
    }

    /// A read of one variable at `node` (member, subscript or call), if it is one.
    fn read<'r>(&self, node: Node<'t>, scope: usize, rules: &'r EnvRules) -> Option<Read<'t, 'r>> {
        if self.stores.contains(&node.id()) {
            return None;
        }
        match node.kind_name() {
            "member_expression" => {
                // `process.env.hasOwnProperty("X")` calls a method; it reads no variable.
                if self.parents.of(node).is_some_and(|p| {
                    p.kind_name() == "call_expression" && p.field("function") == Some(node)
                }) {
                    return None;
                }
                let object = node.field("object")?;
                let property = node.field("property")?;
                let rule = rules.members.get(&self.qualified(object, scope)?)?;
                (property.kind_name() == "property_identifier").then(|| Read {
                    rule,
                    node,
                    name: Some((self.text(property).to_string(), self.quote())),
                    call: None,
                })
            }
            "subscript_expression" => {
                let object = node.field("object")?;
                let rule = rules.subscripts.get(&self.qualified(object, scope)?)?;
                let index = node.field("index")?;
                Some(Read {
                    rule,
                    node,
                    name: string_value(index, self.src),
                    call: None,
                })
            }
            "call_expression" => {
                let function = node.field("function")?;
                let rule = rules.calls.get(&self.qualified(function, scope)?)?;
                let args = node.field("arguments")?;
                let position = rule.key.as_ref().and_then(|k| k.position).unwrap_or(0);
                let mut cursor = args.walk();
                let key = args
                    .named_children(&mut cursor)
                    .filter(|a| a.kind_name() != "comment")
                    .nth(position)?;
                Some(Read {
                    rule,
                    node,
                    name: string_value(key, self.src),
                    call: Some((function, key)),
                })
            }
            _ => None,
        }
    }

    /// The quote most of the file's strings use; without a majority, the one its
    /// prettier config asks for.
    fn quote(&self) -> char {
        match self.quotes[1].cmp(&self.quotes[0]) {
            std::cmp::Ordering::Greater => '\'',
            std::cmp::Ordering::Less => '"',
            std::cmp::Ordering::Equal => self.fallback_quote,
        }
    }

    /// Variables deleted, updated (`process.env.X++`) or written in ways that are not a
    /// plain write of a named variable (`[process.env.A] = …`), and those `removed`
    /// through calls: their reads get unsafe fixes. Plain writes are
    /// `Analysis::env_writes`.
    fn touched(&self, rules: &EnvRules, removed: &[String]) -> HashSet<String> {
        let mut out = HashSet::new();
        let holds_env = |n: Node, scope: usize| {
            self.qualified(n, scope).is_some_and(|q| {
                rules.members.contains_key(&q) || rules.subscripts.contains_key(&q)
            })
        };
        for &(node, scope) in &self.candidates {
            if !self.stores.contains(&node.id()) || self.assigned.contains(&node.id()) {
                continue;
            }
            let Some(object) = node.field("object") else {
                continue;
            };
            if !holds_env(object, scope) {
                continue;
            }
            let name = match node.kind_name() {
                "member_expression" => node.field("property").map(|p| self.text(p).to_string()),
                _ => node
                    .field("index")
                    .and_then(|i| string_value(i, self.src))
                    .map(|(v, _)| v),
            };
            out.extend(name);
        }
        out.extend(removed.iter().cloned());
        out
    }

    /// Builds the finding (and fix) for one read, or drops it.
    fn finding(
        &self,
        read: &Read<'t, '_>,
        scope: usize,
        ctx: &Context,
        loader: &Loader,
        touched: &HashSet<String>,
    ) -> Option<Finding> {
        let env_cfg = &ctx.config.env;
        let span = read.node.byte_range();
        let Some((name, quote)) = read.name.clone() else {
            if env_cfg.scope == EnvScope::Secrets {
                return None;
            }
            return Some(Finding::dynamic_read(read.rule.dynamic_rule, span));
        };
        if name.is_empty() {
            return None;
        }
        let class = classify(&name, ctx)?;
        let key = env::config_key(&name, env_cfg);
        if let Classified::ClientSecret(prefix) = class {
            return Some(client_secret(&name, &prefix, span, key));
        }
        let (severity, message) = class.severity_and_message(&name)?;
        let mut finding = Finding {
            rule: read.rule.id,
            severity,
            span,
            message,
            env_name: Some(name.clone()),
            config_key: Some(key.clone()),
            fix: None,
            no_fix_reason: None,
            help: None,
            secret: None,
            has_default: falls_back(&self.parents, read.node) || has_default_argument(read),
            role: None,
        };
        if let Classified::Plain(platform @ EnvClass::Platform(_)) = class {
            env::mark_platform(&mut finding, platform);
            return Some(finding);
        }
        if let Some(rewrite) = &read.rule.rewrite {
            match self.template_fix(read, rewrite, &name, &key, quote, scope, ctx, loader) {
                Ok(Some(mut fix)) => {
                    if let Some(caveat) = self.caveat(&name, read.rule.id, touched) {
                        fix.applicability = Applicability::Unsafe;
                        fix.title.push_str(&format!(" ({caveat})"));
                    }
                    finding.fix = Some(fix);
                }
                Ok(None) => {}
                Err(reason) => finding.no_fix_reason = Some(reason),
            }
            return Some(finding);
        }
        match self.loader_usable(scope, read.node.start_byte(), ctx, loader) {
            Err(reason) => finding.no_fix_reason = Some(reason),
            Ok(()) => {
                let Some(mut applicability) = read.rule.fix.applicability() else {
                    return Some(finding);
                };
                let call = &ctx.config.typescript.call;
                let key_lit = format!("{quote}{}{quote}", escape(&key, quote));
                let edits = match read.call {
                    Some((callee, key_node)) => vec![
                        Edit::replace(callee.byte_range(), call.clone()),
                        Edit::replace(key_node.byte_range(), key_lit.clone()),
                    ],
                    None => vec![Edit::replace(
                        read.node.byte_range(),
                        format!("{call}({key_lit})"),
                    )],
                };
                let mut title = format!("Replace with `{call}({key_lit})`");
                if let Some(caveat) = self.caveat(&name, read.rule.id, touched) {
                    applicability = Applicability::Unsafe;
                    title.push_str(&format!(" ({caveat})"));
                }
                finding.fix = Some(Fix {
                    title,
                    applicability,
                    edits,
                    needs_import: true,
                    gitignore: None,
                    imports: Vec::new(),
                });
            }
        }
        Some(finding)
    }

    /// The read replaced whole by its rule's template
    /// (`toBool(getConfigValue("x", false))`), with the template's imports to add.
    #[allow(clippy::too_many_arguments)]
    fn template_fix(
        &self,
        read: &Read<'t, '_>,
        rewrite: &crate::rules::CompiledRewrite,
        name: &str,
        key: &str,
        quote: char,
        scope: usize,
        ctx: &Context,
        loader: &Loader,
    ) -> Result<Option<Fix>, String> {
        let Some(applicability) = read.rule.fix.applicability() else {
            return Ok(None);
        };
        let pos = read.node.start_byte();
        if rewrite.calls_loader() {
            self.loader_usable(scope, pos, ctx, loader)?;
        }
        for line in &rewrite.imports {
            let import = crate::config::TsImport::parse(line)
                .ok_or_else(|| format!("`{line}` is not an import line"))?;
            let ours = format!("{}.{}", normalize_module(&import.module), import.name);
            let is_ours = |b: &Binding| b.import.as_deref() == Some(ours.as_str());
            let bound = &import.bound;
            let module_level = Loader::of(&self.scopes, &import).conflict.is_some();
            let here = self
                .scopes
                .resolve(bound, scope, pos)
                .is_some_and(|b| !is_ours(b));
            if module_level || here {
                return Err(format!(
                    "`{bound}` is already bound to something else in this file"
                ));
            }
        }
        let mut comments = Vec::new();
        comments_in(read.node, &mut comments);
        if !comments.is_empty() {
            return Err("the read has a comment inside that the rewrite would lose".into());
        }
        let default = match read.call {
            Some(_) => {
                let args = read
                    .node
                    .field("arguments")
                    .ok_or("the call has no arguments")?;
                let mut cursor = args.walk();
                let args: Vec<Node> = args
                    .named_children(&mut cursor)
                    .filter(|a| a.kind_name() != "comment")
                    .collect();
                let key_at = read.rule.key.as_ref().and_then(|k| k.position).unwrap_or(0);
                let default_at = read.rule.default.as_ref().and_then(|d| d.position);
                if args.iter().enumerate().any(|(i, a)| {
                    i != key_at && Some(i) != default_at || a.kind_name() == "spread_element"
                }) {
                    return Err("the call has arguments the rewrite cannot carry over".into());
                }
                default_at.and_then(|i| args.get(i)).map(|a| self.text(*a))
            }
            None => None,
        };
        let key_lit = format!("{quote}{}{quote}", escape(key, quote));
        let name_lit = format!("{quote}{}{quote}", escape(name, quote));
        let call = &ctx.config.typescript.call;
        let fill = |default| crate::rules::Filled {
            call,
            key: &key_lit,
            name: &name_lit,
            default,
        };
        let mut text = rewrite.render(&fill(default))?;
        if rewrite.compound(default.is_some()) && !holds_any_expression(&self.parents, read.node) {
            // `getConfigValue("x") ?? d` where an operator binds the read.
            text = format!("({text})");
        }
        let shown = rewrite.render(&fill(default.map(|_| "…")))?;
        Ok(Some(Fix {
            title: format!("Replace with `{shown}`"),
            applicability,
            edits: vec![Edit::replace(read.node.byte_range(), text)],
            needs_import: rewrite.calls_loader(),
            gitignore: None,
            imports: rewrite.imports.clone(),
        }))
    }

    /// Why a rewrite of a read of `name` may change behaviour, which makes it unsafe.
    fn caveat(&self, name: &str, rule: &str, touched: &HashSet<String>) -> Option<String> {
        if touched.contains(name) || self.stubbed.iter().any(|s| s == name) {
            Some(format!("this file also writes or tests `{name}`"))
        } else if self.narrowed.contains(name) {
            Some(format!(
                "this file tests `{name}` before reading it again; TypeScript narrows the read's type, but not a call's"
            ))
        } else if self.bulk_write {
            Some("this file replaces or bulk-updates the environment".into())
        } else if let Some(client) = self.client {
            Some(format!(
                "{}, where a server-side loader cannot run",
                client.describe()
            ))
        } else if self.build_config {
            Some("a build config reads the environment at build time".into())
        } else if rule.contains("import-meta") {
            Some("bundlers inline import.meta.env at build time".into())
        } else {
            None
        }
    }

    /// Whether the loader's name can be used at `pos`.
    fn loader_usable(
        &self,
        scope: usize,
        pos: usize,
        ctx: &Context,
        loader: &Loader,
    ) -> Result<(), String> {
        let ts = &ctx.config.typescript;
        let bound = &ts.import.bound;
        if let Some(p) = loader.conflict {
            let line = self.src[..p].matches('\n').count() + 1;
            return Err(format!(
                "`{bound}` is already bound to something else in this file (line {line})"
            ));
        }
        let ours = format!("{}.{}", normalize_module(&ts.import.module), ts.import.name);
        match self.scopes.resolve(bound, scope, pos) {
            Some(b) if b.import.as_deref() != Some(ours.as_str()) => Err(format!(
                "`{bound}` is bound to something else in this scope"
            )),
            _ => Ok(()),
        }
    }

    /// `const { A, B = "d" } = process.env`: one finding per reported name, all sharing
    /// one fix that rewrites the declaration into one declaration per name.
    fn destructure(
        &self,
        node: Node<'t>,
        scope: usize,
        ctx: &Context,
        rules: &EnvRules,
        loader: &Loader,
        touched: &HashSet<String>,
    ) -> Vec<Finding> {
        let (Some(pattern), Some(value)) = (node.field("name"), node.field("value")) else {
            return Vec::new();
        };
        let Some(rule) = self
            .qualified(value, scope)
            .and_then(|q| rules.destructures.get(&q))
        else {
            return Vec::new();
        };
        let env_cfg = &ctx.config.env;
        let mut findings = Vec::new();
        let mut split = Split::default();
        let kept = &mut split.kept;
        let rewritten = &mut split.rewritten;
        let mut cursor = pattern.walk();
        for prop in pattern.named_children(&mut cursor) {
            if prop.kind_name() == "comment" {
                continue;
            }
            split.slots.push(Slot {
                range: prop.byte_range(),
                to: None,
                default: None,
            });
            let (name, local, default) = match prop.kind_name() {
                "shorthand_property_identifier_pattern" => {
                    (self.text(prop).to_string(), self.text(prop), None)
                }
                "object_assignment_pattern" => {
                    let (Some(left), Some(right)) = (prop.field("left"), prop.field("right"))
                    else {
                        kept.push(self.text(prop));
                        continue;
                    };
                    (self.text(left).to_string(), self.text(left), Some(right))
                }
                "pair_pattern" => {
                    let key = prop.field("key").and_then(|k| property_name(k, self.src));
                    let value = prop.field("value");
                    match (key, value) {
                        (Some(k), Some(v)) if v.kind_name() == "identifier" => {
                            (k, self.text(v), None)
                        }
                        (Some(k), Some(v)) if v.kind_name() == "assignment_pattern" => {
                            let left = v.field("left").filter(|l| l.kind_name() == "identifier");
                            let right = v.field("right");
                            match (left, right) {
                                (Some(l), Some(r)) => (k, self.text(l), Some(r)),
                                _ => {
                                    kept.push(self.text(prop));
                                    continue;
                                }
                            }
                        }
                        _ => {
                            kept.push(self.text(prop));
                            continue;
                        }
                    }
                }
                "rest_pattern" => {
                    split.rest = true;
                    kept.push(self.text(prop));
                    continue;
                }
                _ => {
                    kept.push(self.text(prop));
                    continue;
                }
            };
            let Some(class) = classify(&name, ctx) else {
                kept.push(self.text(prop));
                continue;
            };
            let key = env::config_key(&name, env_cfg);
            let span = prop.byte_range();
            if let Classified::ClientSecret(prefix) = &class {
                findings.push((client_secret(&name, prefix, span, key), false));
                kept.push(self.text(prop));
                continue;
            }
            let Some((severity, message)) = class.severity_and_message(&name) else {
                kept.push(self.text(prop));
                continue;
            };
            let mut finding = Finding {
                rule: rule.id,
                severity,
                span,
                message,
                env_name: Some(name.clone()),
                config_key: Some(key.clone()),
                fix: None,
                no_fix_reason: None,
                help: None,
                secret: None,
                has_default: default.is_some(),
                role: None,
            };
            if let Classified::Plain(platform @ EnvClass::Platform(_)) = class {
                // Listed by the inventory only, and never rewritten.
                env::mark_platform(&mut finding, platform);
                findings.push((finding, false));
                kept.push(self.text(prop));
                continue;
            }
            rewritten.push((local.to_string(), key, default.map(|d| self.text(d))));
            if let Some(slot) = split.slots.last_mut() {
                slot.to = Some(rewritten.len() - 1);
                slot.default = default.map(|d| d.byte_range());
            }
            if split.caveat.is_none() {
                split.caveat = self.caveat(&name, rule.id, touched);
            }
            findings.push((finding, true));
        }
        let fix = if split.rewritten.is_empty() {
            Err(String::new())
        } else {
            self.loader_usable(scope, node.start_byte(), ctx, loader)
                .and_then(|()| self.destructure_fix(node, value, &split, rule, ctx))
        };
        findings
            .into_iter()
            .map(|(mut f, fixable)| {
                if fixable {
                    match &fix {
                        Ok(fix) => f.fix = Some(fix.clone()),
                        Err(reason) if !reason.is_empty() => f.no_fix_reason = Some(reason.clone()),
                        Err(_) => {}
                    }
                }
                f
            })
            .collect()
    }

    fn destructure_fix(
        &self,
        declarator: Node<'t>,
        value: Node<'t>,
        split: &Split,
        rule: &CompiledEnvRule,
        ctx: &Context,
    ) -> Result<Fix, String> {
        let declaration = self
            .parents
            .of(declarator)
            .filter(|d| {
                matches!(
                    d.kind_name(),
                    "lexical_declaration" | "variable_declaration"
                )
            })
            .ok_or("the destructuring is not a plain declaration")?;
        if declaration.named_child_count() != 1 {
            return Err("the declaration declares more than the destructuring".into());
        }
        if declarator.field("type").is_some() {
            return Err("the destructuring has a type annotation the split would lose".into());
        }
        // Splitting into several declarations needs a statement list: not the body of an
        // unbraced `if`, loop or label.
        let container = self.parents.of(declaration).map(|p| p.kind_name());
        if !matches!(
            container,
            Some(
                "program"
                    | "statement_block"
                    | "export_statement"
                    | "switch_case"
                    | "switch_default"
            )
        ) {
            return Err("the destructuring is the body of an unbraced statement".into());
        }
        let exported = self
            .parents
            .of(declaration)
            .filter(|p| p.kind_name() == "export_statement");
        let target = exported.unwrap_or(declaration);
        let kind = declaration
            .child(0)
            .map(|k| self.text(k))
            .filter(|k| matches!(*k, "const" | "let" | "var"))
            .ok_or("unknown declaration kind")?;
        let export = if exported.is_some() { "export " } else { "" };
        let eol = if self.src.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let line_start = self.src[..target.start_byte()]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let indent: String = self.src[line_start..target.start_byte()]
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        let call = &ctx.config.typescript.call;
        let q = self.quote();
        // The new declarations end as the one they replace: with `;`, or without in a
        // file written in automatic-semicolon style (each starts with a keyword, so none
        // runs on into the line before it).
        let semi = if self.text(target).ends_with(';') {
            ";"
        } else {
            ""
        };
        // The residual declaration (slot `None`) first, then one per rewritten name.
        let mut entries: Vec<(Option<usize>, String)> = Vec::new();
        if !split.kept.is_empty() {
            let decl = format!(
                "{export}{kind} {{ {} }} = {}{semi}",
                split.kept.join(", "),
                self.text(value)
            );
            entries.push((None, decl));
        }
        for (i, (local, key, default)) in split.rewritten.iter().enumerate() {
            let default = default.map(|d| format!(", {d}")).unwrap_or_default();
            let decl = format!(
                "{export}{kind} {local} = {call}({q}{}{q}{default}){semi}",
                escape(key, q)
            );
            entries.push((Some(i), decl));
        }
        let comments = self.placed_comments(target, split);
        let mut lines = Vec::new();
        for (slot, decl) in entries {
            let mut line = decl;
            let mut after = Vec::new();
            // The line ends in a line comment: nothing more can follow on it.
            let mut closed = false;
            for (place, text) in comments.iter().filter(|c| c.0 == slot).map(|c| (c.1, &c.2)) {
                // Comments carried to a new name's line lose what suppressed the read.
                let text = match slot {
                    Some(_) => lint_comments::carried(text, place == Place::Trailing),
                    None => Some(text.clone()),
                };
                let Some(text) = text else { continue };
                match place {
                    Place::Leading => lines.push(text),
                    Place::Trailing if !closed => {
                        closed = text.starts_with("//");
                        line = format!("{line} {text}");
                    }
                    Place::Trailing | Place::Below => after.push(text),
                }
            }
            lines.push(line);
            lines.extend(after);
        }
        let text = lines.join(&format!("{eol}{indent}"));
        let unsafe_rule = rule.fix.applicability() == Some(Applicability::Unsafe);
        let applicability = if split.rest || split.caveat.is_some() || unsafe_rule {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        let mut title = format!(
            "Split into {} declaration(s) that call `{call}`",
            split.rewritten.len()
        );
        if split.rest {
            title.push_str(" (the rest element then also holds them)");
        } else if let Some(caveat) = &split.caveat {
            title.push_str(&format!(" ({caveat})"));
        }
        Ok(Fix {
            title,
            applicability,
            edits: vec![Edit::replace(target.byte_range(), text)],
            needs_import: true,
            gitignore: None,
            imports: Vec::new(),
        })
    }

    /// The comments of a destructuring being split, each with the declaration it goes
    /// with (a slot of `split`) and where: a comment on its own line goes above the name
    /// after it, any other after the name before it, on the same line. Comments inside a
    /// property that stays in the residual declaration are carried by its text.
    fn placed_comments(&self, target: Node, split: &Split) -> Vec<(Option<usize>, Place, String)> {
        let mut comments = Vec::new();
        comments_in(target, &mut comments);
        let mut out = Vec::new();
        for comment in comments {
            let r = comment.byte_range();
            let text = self.text(comment).to_string();
            let within = |p: &Range<usize>| p.start <= r.start && r.end <= p.end;
            if let Some(slot) = split.slots.iter().find(|s| within(&s.range)) {
                // The residual keeps its properties' text, a new declaration its default's.
                if slot.to.is_some() && !slot.default.as_ref().is_some_and(within) {
                    out.push((slot.to, Place::Trailing, text));
                }
                continue;
            }
            let line_start = self.src[..r.start].rfind('\n').map_or(0, |i| i + 1);
            let own_line = self.src[line_start..r.start].trim().is_empty();
            let next = split.slots.iter().find(|s| s.range.start >= r.end);
            let prev = split.slots.iter().rev().find(|s| s.range.end <= r.start);
            let (slot, place) = match (own_line, prev, next) {
                (true, _, Some(next)) => (next.to, Place::Leading),
                (true, Some(prev), None) => (prev.to, Place::Below),
                (false, Some(prev), _) => (prev.to, Place::Trailing),
                (false, None, Some(next)) => (next.to, Place::Leading),
                (_, None, None) => (None, Place::Trailing),
            };
            out.push((slot, place, text));
        }
        out
    }
}

/// What a destructuring of the environment splits into.
#[derive(Default)]
struct Split<'s> {
    /// Properties left in a residual `{ … } = process.env` (not reported, or not
    /// rewritable), as written.
    kept: Vec<&'s str>,
    /// The new declarations: local name, config key, default.
    rewritten: Vec<(String, String, Option<&'s str>)>,
    /// The pattern's properties, in order.
    slots: Vec<Slot>,
    /// The pattern has a `...rest`, which then also holds the rewritten names.
    rest: bool,
    /// Why rewriting one of the names may change behaviour.
    caveat: Option<String>,
}

/// One property of a destructuring being split.
struct Slot {
    range: Range<usize>,
    /// Where it goes: the residual declaration (`None`) or a new one (its index in
    /// `Split::rewritten`).
    to: Option<usize>,
    /// Its default, which the new declaration carries as written.
    default: Option<Range<usize>>,
}

/// Where a carried comment goes, relative to its declaration.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// On its own line above.
    Leading,
    /// At the end of the declaration's line.
    Trailing,
    /// On its own line below.
    Below,
}

/// The comment nodes under `node`, in order.
/// Whether a call read passes the argument its rule names as the default
/// (`env("X", "fallback")` of a team's helper).
fn has_default_argument(read: &Read) -> bool {
    let Some(at) = read.rule.default.as_ref().and_then(|d| d.position) else {
        return false;
    };
    read.call.is_some()
        && read.node.field("arguments").is_some_and(|args| {
            let mut cursor = args.walk();
            args.named_children(&mut cursor)
                .filter(|a| a.kind_name() != "comment")
                .count()
                > at
        })
}

/// Whether `node` sits where any expression may stand without parentheses: a whole
/// statement, a declared, assigned or returned value, an argument, an array element,
/// an object property's value, a template's `${…}`.
fn holds_any_expression(parents: &Parents, node: Node) -> bool {
    let Some(parent) = parents.of(node) else {
        return false;
    };
    match parent.kind_name() {
        "expression_statement"
        | "return_statement"
        | "arguments"
        | "array"
        | "parenthesized_expression"
        | "template_substitution" => true,
        "variable_declarator" | "pair" => parent.field("value") == Some(node),
        "assignment_expression" => parent.field("right") == Some(node),
        _ => false,
    }
}

fn comments_in<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if child.kind_name() == "comment" {
            out.push(child);
        } else if child.child_count() > 0 {
            comments_in(child, out);
        }
    }
}

/// How a variable name is classified in TypeScript, where bundlers expose some
/// prefixes to the browser.
enum Classified {
    Plain(EnvClass),
    /// A client-exposed prefix on a secret-looking name.
    ClientSecret(String),
}

impl Classified {
    fn severity_and_message(&self, name: &str) -> Option<(Severity, String)> {
        let class = match self {
            Classified::Plain(c) => *c,
            Classified::ClientSecret(_) => EnvClass::Secret,
        };
        let severity = match class {
            // Listed by the inventory only; the call site marks the finding.
            EnvClass::Platform(_) => Severity::Info,
            _ => class.severity()?,
        };
        Some((severity, env::read_message(name, class)))
    }
}

/// `None` when the name is not reported (allowlisted, or outside `env-scope`).
fn classify(name: &str, ctx: &Context) -> Option<Classified> {
    let env_cfg = &ctx.config.env;
    let prefix = ctx
        .config
        .typescript
        .client_prefixes
        .iter()
        .find(|p| name.starts_with(p.as_str()) && name.len() > p.len());
    if let Some(prefix) = prefix {
        let rest = &name[prefix.len()..];
        // Publishable and anonymous keys are meant for the browser.
        let public = env::words(rest)
            .iter()
            .any(|w| PUBLIC_WORDS.contains(&w.as_str()));
        if !public && env::looks_secret(rest, env_cfg) {
            return Some(Classified::ClientSecret(prefix.clone()));
        }
        // Public build-time configuration by design: nothing to move to the loader.
        return None;
    }
    let class = env::classify(name, env_cfg);
    // Platform variables: only the inventory lists them (the call sites mark them).
    env::reported(class, ctx)?;
    Some(Classified::Plain(class))
}

fn client_secret(name: &str, prefix: &str, span: Range<usize>, key: String) -> Finding {
    Finding {
        rule: CLIENT_RULE,
        severity: Severity::Error,
        span,
        message: format!(
            "secret-looking `{name}` has the client-exposed prefix `{prefix}`: its value ships to every browser"
        ),
        env_name: Some(name.to_string()),
        config_key: Some(key),
        fix: None,
        no_fix_reason: Some(
            "renaming is a decision for a person: serve the value from the server, and rotate it if it was ever deployed".into(),
        ),
        help: None,
        secret: None,
        has_default: false,
        role: None,
    }
}

/// The names read in a condition (`if (!process.env.X)`, `process.env.X && …`,
/// `process.env.X ? … : …`) and also read for their value (`process.env.X.split()`,
/// `f(process.env.X)`), not only compared or given a fallback.
fn narrowed(parents: &Parents, reads: &[Option<Read>]) -> HashSet<String> {
    let mut values = HashSet::new();
    let mut tested = HashSet::new();
    for read in reads.iter().flatten() {
        let Some((name, _)) = &read.name else {
            continue;
        };
        if in_condition(parents, read.node) {
            tested.insert(name.clone());
        } else if !compared(parents, read.node) && !falls_back(parents, read.node) {
            values.insert(name.clone());
        }
    }
    tested.retain(|n| values.contains(n));
    tested
}

/// Whether `node` is tested as a condition: the condition of an `if`, `while` or `?:`,
/// or an operand of `&&` / `||`, possibly negated, compared or parenthesized.
fn in_condition(parents: &Parents, node: Node) -> bool {
    let mut inner = node;
    while let Some(parent) = parents.of(inner) {
        match parent.kind_name() {
            "parenthesized_expression" | "non_null_expression" | "unary_expression" => {}
            "binary_expression" => {
                let op = parent.field("operator").map(|o| o.kind_name());
                match op {
                    // `process.env.X && use(process.env.X)`; `||` and `??` give
                    // fallbacks, which narrow nothing.
                    Some("&&") => return true,
                    Some("===" | "!==" | "==" | "!=") => {}
                    _ => return false,
                }
            }
            "if_statement" | "while_statement" | "do_statement" => {
                return parent.field("condition") == Some(inner);
            }
            "ternary_expression" => {
                return parent.field("condition") == Some(inner);
            }
            _ => return false,
        }
        inner = parent;
    }
    false
}

/// Whether `node` is only compared (`process.env.X === "true"`, `typeof …`) or its
/// type is asserted (`process.env.X!`, `process.env.X as string`): no narrowing needed.
fn compared(parents: &Parents, node: Node) -> bool {
    let mut inner = node;
    while let Some(parent) = parents.of(inner) {
        match parent.kind_name() {
            "parenthesized_expression" => inner = parent,
            "unary_expression" | "non_null_expression" | "as_expression" => return true,
            "binary_expression" => {
                let op = parent.field("operator").map(|o| o.kind_name());
                return matches!(op, Some("===" | "!==" | "==" | "!="));
            }
            _ => return false,
        }
    }
    false
}

/// Whether the value of `node` is followed by a fallback: `process.env.X ?? "d"`.
fn falls_back(parents: &Parents, node: Node) -> bool {
    let mut inner = node;
    let mut parent = parents.of(node);
    while let Some(p) = parent.filter(|p| {
        matches!(
            p.kind_name(),
            "parenthesized_expression" | "non_null_expression" | "as_expression"
        )
    }) {
        inner = p;
        parent = parents.of(p);
    }
    parent.is_some_and(|p| {
        p.kind_name() == "binary_expression"
            && p.field("operator")
                .is_some_and(|o| matches!(o.kind_name(), "??" | "||"))
            && p.field("left") == Some(inner)
    })
}

/// Strips wrappers that do not change what an expression refers to.
fn unwrap_expression(mut node: Node) -> Node {
    while matches!(
        node.kind_name(),
        "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression"
    ) {
        match node.named_child(0) {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The value and quote of a string or a template without substitutions.
fn string_value(node: Node, src: &str) -> Option<(String, char)> {
    let text = &src[node.byte_range()];
    match node.kind_name() {
        "string" | "template_string" => {
            let quote = text.chars().next()?;
            let mut cursor = node.walk();
            let mut value = String::new();
            for child in node.named_children(&mut cursor) {
                match child.kind_name() {
                    "string_fragment" => value.push_str(&src[child.byte_range()]),
                    _ => return None,
                }
            }
            let quote = if quote == '`' { '"' } else { quote };
            Some((value, quote))
        }
        _ => None,
    }
}

/// The name of a property key: an identifier or a string.
fn property_name(node: Node, src: &str) -> Option<String> {
    match node.kind_name() {
        "property_identifier" | "identifier" | "shorthand_property_identifier_pattern" => {
            Some(src[node.byte_range()].to_string())
        }
        "string" => string_value(node, src).map(|(v, _)| v),
        _ => None,
    }
}

fn escape(s: &str, quote: char) -> String {
    s.replace('\\', "\\\\")
        .replace(quote, &format!("\\{quote}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn rule_targets_are_within_the_qualified_name_bound() {
        let ctx = Context::new(Config::default());
        let rules = &ctx.rules.typescript;
        let keys: Vec<&String> = rules
            .calls
            .keys()
            .chain(rules.subscripts.keys())
            .chain(rules.members.keys())
            .collect();
        assert!(!keys.is_empty());
        for key in keys {
            assert!(key.split('.').count() < MAX_SEGMENTS, "{key}");
        }
        // A read at the bottom of a long member chain is still found.
        let chain = format!("const x = process.env.API_TOKEN{};\n", ".a".repeat(50));
        let file = SourceFile::new("a.ts".into(), Language::TypeScript, chain);
        assert_eq!(analyze(&file, &ctx).findings.len(), 1);
    }

    /// `src` as a `.ts` file with every fix applied, the import left out.
    fn fixed(src: &str) -> String {
        let ctx = Context::new(Config::default());
        let file = SourceFile::new("a.ts".into(), Language::TypeScript, src.to_string());
        let mut analysis = analyze(&file, &ctx);
        analysis.plan.import = None;
        let fixes: Vec<&Fix> = analysis
            .findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .collect();
        crate::fix::apply(src, &fixes, &analysis.plan).text
    }

    /// The fix of each finding of `src` checked as `path`: its applicability, or why none.
    fn fixes_at(path: &str, src: &str) -> Vec<String> {
        let ctx = Context::new(Config::default());
        let language = Language::from_path(std::path::Path::new(path));
        let file = SourceFile::new(path.into(), language, src.to_string());
        let mut findings = analyze(&file, &ctx).findings;
        findings.sort_by_key(|f| f.span.start);
        findings
            .iter()
            .map(|f| match &f.fix {
                Some(fix) if fix.applicability == Applicability::Safe => "safe".to_string(),
                Some(fix) => format!("unsafe: {}", fix.title),
                None => format!("none: {}", f.no_fix_reason.clone().unwrap_or_default()),
            })
            .collect()
    }

    #[test]
    fn browser_files_by_path() {
        for p in [
            "islands/Counter.tsx",
            "src/islands/nav/Menu.tsx",
            "routes/shop/(_islands)/Cart.tsx",
            "app/feature-check.client.ts",
            "app/entry.client.tsx",
            "plugins/analytics.client.ts",
            "app/.client/vibrate.ts",
        ] {
            assert!(client_path(std::path::Path::new(p)).is_some(), "{p}");
        }
        for p in [
            "src/client.ts",
            "src/apiClient.ts",
            "src/myislands/a.ts",
            "src/islands-map/a.ts",
            "src/islands.ts",
            "app/entry.server.tsx",
            "app/client.server.ts",
            "src/client/api.ts",
            "app/feature.client.test.ts",
            ".client.ts",
        ] {
            assert!(client_path(std::path::Path::new(p)).is_none(), "{p}");
        }
        let src = "export const a = process.env.API_TOKEN;\n";
        assert_eq!(
            fixes_at("islands/Counter.tsx", src),
            [
                "unsafe: Replace with `getConfigValue(\"api_token\")` (a Fresh island runs in the browser, where a server-side loader cannot run)"
            ]
        );
        assert_eq!(
            fixes_at("app/sentry.client.ts", src),
            [
                "unsafe: Replace with `getConfigValue(\"api_token\")` (a `.client` module runs only in the browser, where a server-side loader cannot run)"
            ]
        );
        assert_eq!(fixes_at("app/apiClient.ts", src), ["safe"]);
        assert_eq!(fixes_at("src/myislands/a.ts", src), ["safe"]);
    }

    #[test]
    fn new_client_prefixes_are_public_unless_secret_looking() {
        let src = "export const a = [process.env.STORYBOOK_THEME, process.env.SANITY_STUDIO_DATASET, process.env.REDWOOD_ENV_API_URL];\nexport const b = process.env.SANITY_STUDIO_API_TOKEN;\nexport const c = import.meta.env.STORYBOOK_STRIPE_SECRET_KEY;\n";
        let ctx = Context::new(Config::default());
        let file = SourceFile::new("a.ts".into(), Language::TypeScript, src.to_string());
        let got: Vec<(&str, String)> = analyze(&file, &ctx)
            .findings
            .iter()
            .map(|f| (f.rule, f.env_name.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            got,
            [
                (CLIENT_RULE, "SANITY_STUDIO_API_TOKEN".to_string()),
                (CLIENT_RULE, "STORYBOOK_STRIPE_SECRET_KEY".to_string())
            ]
        );
    }

    #[test]
    fn presence_fixes_are_unsafe_and_keep_precedence() {
        assert_eq!(
            fixed("export const a = \"API_KEY\" in process.env === false;\n"),
            "export const a = (getConfigValue(\"api_key\") !== undefined) === false;\n"
        );
        assert_eq!(
            fixed("export const a = Reflect.has(process.env, \"API_KEY\") ? 1 : 2;\n"),
            "export const a = getConfigValue(\"api_key\") !== undefined ? 1 : 2;\n"
        );
        assert_eq!(
            fixed("export const a = !(((\"API_KEY\" in process.env)));\n"),
            "export const a = getConfigValue(\"api_key\") === undefined;\n"
        );
        assert_eq!(
            fixes_at("a.ts", "if (\"API_KEY\" in process.env) go();\n"),
            ["unsafe: Replace with `getConfigValue(\"api_key\") !== undefined`"]
        );
        // A presence check of a name the file removes says so; reads of a tested name
        // get the caveat too.
        assert_eq!(
            fixes_at(
                "a.ts",
                "if (Object.hasOwn(process.env, \"API_KEY\")) delete process.env.API_KEY;\nexport const k = process.env.API_KEY;\n"
            ),
            [
                "unsafe: Replace with `getConfigValue(\"api_key\") !== undefined` (this file also writes or tests `API_KEY`)",
                "unsafe: Replace with `getConfigValue(\"api_key\")` (this file also writes or tests `API_KEY`)"
            ]
        );
        // A comment inside the check would be lost: no fix.
        assert_eq!(
            fixes_at(
                "a.ts",
                "export const a = Reflect.has(\n  process.env, // optional\n  \"API_KEY\",\n);\n"
            ),
            ["none: the check holds a comment that the rewrite would drop"]
        );
        // A local `Object` is not the global one.
        assert!(
            fixes_at(
                "a.ts",
                "const Object = { hasOwn: (o: object, k: string) => true };\nexport const a = Object.hasOwn(process.env, \"API_KEY\");\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn a_split_destructuring_keeps_each_comment_once() {
        let src = "const {\n  // from the dashboard\n  API_KEY,\n  DB_URL = f(/* local */ 1), // fallback\n  API_TOKEN /* why */ = \"t\",\n} = process.env;\n";
        assert_eq!(
            fixed(src),
            "// from the dashboard\nconst API_KEY = getConfigValue(\"api_key\");\nconst DB_URL = getConfigValue(\"db_url\", f(/* local */ 1)); // fallback\nconst API_TOKEN = getConfigValue(\"api_token\", \"t\"); /* why */\n"
        );
        // A comment before `}` on its own line stays below the last name; one after a
        // line comment cannot share its line.
        let src = "const {\n  API_KEY, // a\n  // b\n} /* c */ = process.env;\n";
        assert_eq!(
            fixed(src),
            "const API_KEY = getConfigValue(\"api_key\"); // a\n// b\n/* c */\n"
        );
    }

    #[test]
    fn a_split_destructuring_drops_the_suppressions_of_its_names() {
        let src = "const {\n  API_KEY, // eslint-disable-line turbo/no-undeclared-env-vars\n  // eslint-disable-next-line turbo/no-undeclared-env-vars, no-secrets/no-secrets\n  API_TOKEN,\n  NODE_ENV, // eslint-disable-line turbo/no-undeclared-env-vars\n} = process.env;\n";
        assert_eq!(
            fixed(src),
            "const { NODE_ENV } = process.env; // eslint-disable-line turbo/no-undeclared-env-vars\nconst API_KEY = getConfigValue(\"api_key\");\n// eslint-disable-next-line no-secrets/no-secrets\nconst API_TOKEN = getConfigValue(\"api_token\");\n"
        );
    }

    #[test]
    fn a_suppression_goes_only_when_nothing_on_its_line_needs_it() {
        let kept = [
            // Another use of `process` on the line.
            "// eslint-disable-next-line n/no-process-env\nconst a = process.env.API_KEY ?? process.exit(1);\n",
            // An allowlisted variable, which is not rewritten.
            "// eslint-disable-next-line n/no-process-env\nconst a = process.env.NODE_ENV === \"test\" && process.env.API_KEY;\n",
            // A rule that is not about the environment.
            "// eslint-disable-next-line no-console\nconsole.log(process.env.API_KEY);\n",
            // A bare directive suppresses anything.
            "// eslint-disable-next-line\nconst a = process.env.API_KEY;\n",
            // An allowlisted read stays next to the rewritten `Deno.env.get`.
            "// eslint-disable-next-line n/no-process-env\nconst a = Deno.env.get(\"API_KEY\") ?? process.env.NODE_ENV;\n",
        ];
        for src in kept {
            let out = fixed(src);
            assert!(
                out.starts_with(src.lines().next().unwrap()),
                "{src}\n→ {out}"
            );
        }
        assert_eq!(
            fixed("// deno-lint-ignore no-process-global\nconst a = process.env.API_KEY;\n"),
            "const a = getConfigValue(\"api_key\");\n"
        );
        assert_eq!(
            fixed(
                "// biome-ignore lint/style/noProcessEnv: read at start-up\nconst a = process.env.API_KEY;\n"
            ),
            "const a = getConfigValue(\"api_key\");\n"
        );
        assert_eq!(
            fixed(
                "const a = process.env.API_KEY; /* eslint-disable-line no-process-env, no-var */\n"
            ),
            "const a = getConfigValue(\"api_key\"); /* eslint-disable-line no-var */\n"
        );
        // Turbo's rule covers `Deno.env` too: both reads go, and the comment with them.
        assert_eq!(
            fixed(
                "// eslint-disable-next-line turbo/no-undeclared-env-vars\nconst a = [process.env.API_KEY, Deno.env.get(\"API_TOKEN\")];\n"
            ),
            "const a = [getConfigValue(\"api_key\"), getConfigValue(\"api_token\")];\n"
        );
    }
}
