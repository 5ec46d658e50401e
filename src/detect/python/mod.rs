//! Python: environment reads found with tree-sitter-python and name resolution through
//! imports and scopes, driven by the rules in `rules/python.toml`; each read with a
//! literal name gets a rewrite to the configured loader. Never writes files.

mod imports;
mod isort;
mod lex;
mod noqa;
mod order;
mod parts;
mod stdlib;
mod writes;

use crate::detect::fields::Field;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use tree_sitter::{Node, Parser, Tree, TreeCursor};

use crate::Context;
use crate::config::{EnvScope, PythonStyle};
use crate::detect::env;
use crate::detect::{Analysis, Applicability, Finding, Fix, LoaderRead, count_errors};
use crate::fix::Edit;
use crate::rules::{self, ArgSpec, CompiledEnvRule, FixKind};
use crate::source::SourceFile;

use crate::detect::parents::Parents;
use crate::detect::scope::{Binding, ScopeKind, Scopes};

/// Deeper syntax trees are not walked further (a stack guard for generated code): a
/// file that goes deeper is reported as not fully checked. 2,000 chained `+ 1` (what a
/// code generator writes) are walked whole; the 64 MiB worker stacks hold 10,000 levels
/// even in a debug build.
const MAX_DEPTH: usize = 5_000;

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new({
        let mut p = Parser::new();
        p.set_language(&tree_sitter_python::LANGUAGE.into())
            .expect("tree-sitter-python matches the tree-sitter version");
        p
    });
}

/// Parses Python source with this thread's parser, in linear time: long runs of comment
/// lines are left out of the parse but their first and last lines (see [`quiet_runs`]).
/// A lone CR ends a line, as in Python (tree-sitter-python takes it for a space): the
/// parser reads a copy with LF in its place, so offsets into the tree are offsets into
/// `text`.
pub fn parse(text: &str) -> Option<Tree> {
    parse_leaving(text, |_| Vec::new())
}

/// [`parse`], leaving out besides the ranges `leave` gives for the text the parser reads
/// (line start to line start, sorted, disjoint).
fn parse_leaving(text: &str, leave: impl FnOnce(&str) -> Vec<Range<usize>>) -> Option<Tree> {
    let text = &*crate::source::lone_cr_as_lf(text);
    let mut left_out = quiet_runs(text);
    let statements = leave(text);
    if !statements.is_empty() {
        crate::stats::work(|w| {
            w.python_bytes_blanked += statements.iter().map(|r| r.len() as u64).sum::<u64>();
        });
        // A quiet run lies within one statement (it holds no line of code).
        left_out.retain(|run| {
            !statements
                .iter()
                .any(|s| s.start <= run.start && run.end <= s.end)
        });
        left_out.extend(statements);
        left_out.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(left_out.len());
        for r in left_out {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        left_out = merged;
    }
    let bytes = text.as_bytes();
    let mut lexed = 0u64;
    // Handed over in chunks, so that what the lexer reads is counted: it asks for a
    // chunk again when it goes back to a place outside the one it has.
    let mut read = |at: usize, _: tree_sitter::Point| -> &[u8] {
        let Some(rest) = bytes.get(at..) else {
            return &[];
        };
        let mut end = rest.len().min(CHUNK);
        // Whole characters only.
        while end < rest.len() && (rest[end] & 0xC0) == 0x80 {
            end -= 1;
        }
        lexed += end as u64;
        &rest[..end]
    };
    let tree = PARSER.with(|p| {
        let mut parser = p.borrow_mut();
        if left_out.is_empty() {
            return parser.parse_with_options(&mut read, None, None);
        }
        let included = included_ranges(text, &left_out);
        parser
            .set_included_ranges(&included)
            .expect("included ranges are sorted and disjoint");
        let tree = parser.parse_with_options(&mut read, None, None);
        parser
            .set_included_ranges(&[])
            .expect("the whole text is a valid range");
        tree
    });
    crate::stats::work(|w| {
        w.python_lexed_bytes += lexed;
        w.python_bytes_left_out += left_out.iter().map(|r| r.len() as u64).sum::<u64>();
    });
    tree
}

/// The size of the chunks the parser reads the text in.
const CHUNK: usize = 4096;

/// Runs of more lines than this between a first and a last comment line are left out.
const QUIET_RUN: usize = 16;

/// The lines to leave out of the parse: in each run of more than [`QUIET_RUN`] quiet
/// lines (blank, or a comment without quotes, braces, backslashes or `isort`), the lines
/// between its first and its last comment line.
///
/// Why: tree-sitter-python's scanner, at the end of each line, reads past every comment
/// line that follows to find the next line's indentation (whether a comment block
/// closes a block depends on the code after it), so a run of n comment lines costs n²
/// (tree-sitter/tree-sitter-python#245 was closed unmerged; 0.25.0 still does it).
/// A run keeps its first and last lines, so the parse sees the same indentation, the
/// same blocks and a comment where there were comments; no quiet line can end a string
/// or an f-string's `{…}`, so whatever the state the lexer is in, leaving one out
/// changes no token but comments. `# isort: split` and the like stay: the import sorter
/// reads those comments from the tree; everything else about comments (noqa,
/// suppressions, the comments above an import) is read from the text.
fn quiet_runs(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // In the current run of quiet lines: the end of its first comment line (where a
    // left-out part starts), the start of its last comment line (where it ends), the
    // lines since the first comment line and the lines between the two.
    let mut first: Option<usize> = None;
    let (mut last, mut since, mut between) = (0, 0, 0);
    let mut close = |first: Option<usize>, last: usize, between: usize| {
        if first.is_some_and(|first| between > QUIET_RUN && last > first) {
            out.push(first.unwrap_or_default()..last);
        }
    };
    let mut start = 0;
    while start < bytes.len() {
        let Some(nl) = memchr::memchr(b'\n', &bytes[start..]) else {
            break;
        };
        let end = start + nl + 1;
        let line = &bytes[start..start + nl];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let body = &line[line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count()..];
        let comment = body.first() == Some(&b'#')
            && !body
                .iter()
                .any(|b| matches!(b, b'\'' | b'"' | b'{' | b'}' | b'\\' | b'\r'))
            && memchr::memmem::find(body, b"isort").is_none();
        if comment && first.is_none() {
            (first, since, between) = (Some(end), 0, 0);
        } else if comment {
            since += 1;
            (last, between) = (start, since - 1);
        } else if body.is_empty() {
            since += 1;
        } else {
            close(first.take(), last, between);
        }
        start = end;
    }
    close(first, last, between);
    out
}

/// The parts of `text` the parser reads: all but `left_out` (sorted, disjoint, each
/// from a line start to a line start).
fn included_ranges(text: &str, left_out: &[Range<usize>]) -> Vec<tree_sitter::Range> {
    let bytes = text.as_bytes();
    let mut ranges = Vec::with_capacity(left_out.len() + 1);
    let (mut from, mut row) = (0, 0);
    for gap in left_out {
        let to_row = row + memchr::memchr_iter(b'\n', &bytes[from..gap.start]).count();
        let gap_rows = memchr::memchr_iter(b'\n', &bytes[gap.clone()]).count();
        ranges.push(tree_sitter::Range {
            start_byte: from,
            end_byte: gap.start,
            start_point: tree_sitter::Point::new(row, 0),
            end_point: tree_sitter::Point::new(to_row, 0),
        });
        from = gap.end;
        row = to_row + gap_rows;
    }
    let last_line = memchr::memrchr(b'\n', &bytes[from..]).map_or(from, |i| from + i + 1);
    let end_row = row + memchr::memchr_iter(b'\n', &bytes[from..]).count();
    ranges.push(tree_sitter::Range {
        start_byte: from,
        end_byte: text.len(),
        start_point: tree_sitter::Point::new(row, 0),
        end_point: tree_sitter::Point::new(end_row, text.len() - last_line),
    });
    ranges
}

/// Error nodes in `text` parsed as Python (`usize::MAX` when it does not parse at all).
pub fn error_nodes(text: &str) -> usize {
    parse(text).map_or(usize::MAX, |t| count_errors(&t))
}

/// Finds the environment reads of one Python file.
pub fn analyze(file: &SourceFile, ctx: &Context) -> Analysis {
    let src = file.text.as_str();
    let rules = &ctx.rules.python;
    let loader_named = ctx.inventory && src.contains(ctx.config.python.import.bound.as_str());
    let reads = loader_named || (rules.may_match(src) && words_in_code(file, ctx));
    if !reads && (!writes::may_write(src) || crate::detect::testcode::is_test_path(&file.path)) {
        // No target name appears in the file: no read to find, no need to parse. What
        // it writes matters to the rest of the tree only as a hand-off to a process,
        // and every write of a test file is test set-up, which explains the reads of
        // that file alone (it has none).
        return Analysis::default();
    }
    // The statements that cannot matter are left out of a first parse (they hold none
    // of what a fix reads either: the head where imports go, every use of an import it
    // may leave unused); the loader's reads are looked for in the whole tree, and a
    // partial parse with a syntax error, or too deep to walk, is done again whole.
    let partial = ctx.partial_parse && !loader_named;
    if partial && let Some(analysis) = analyze_tree(file, ctx, loader_named, true) {
        return analysis;
    }
    analyze_tree(file, ctx, loader_named, false).unwrap_or_default()
}

/// The byte ranges of a tree's syntax errors: each error node, and the node around each
/// missing one.
fn error_regions(tree: &Tree) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    crate::detect::each_error(tree, |node| {
        let region = if node.is_missing() {
            node.parent().unwrap_or(node)
        } else {
            node
        };
        out.push(region.byte_range());
    });
    out
}

/// Whether `word` occurs in `text` as a whole word.
fn holds_word(text: &str, word: &str) -> bool {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    memchr::memmem::find_iter(bytes, word).any(|at| {
        !at.checked_sub(1).is_some_and(|i| is_word(bytes[i]))
            && !bytes.get(at + word.len()).copied().is_some_and(is_word)
    })
}

/// The statements of `text` the parser can leave out (see [`parts`]).
fn statements_left_out(text: &str, ctx: &Context) -> parts::LeftOut {
    let rules = &ctx.rules.python;
    let bound = ctx.config.python.import.bound.as_str();
    let words = parts::Words {
        reads: rules
            .member_words()
            .chain(writes::KEYWORDS.iter().copied())
            .chain([bound])
            .collect(),
        modules: rules.roots().collect(),
        roots: rules
            .keywords
            .iter()
            .map(String::as_str)
            .chain(rules.target_segments())
            .chain(writes::KEYWORDS.iter().copied())
            .chain([bound])
            .collect(),
    };
    parts::left_out(text, &words)
}

/// The analysis from a parse of the whole file, or (`partial`) of the statements that
/// can matter: `None` then when it must be redone whole (the partial parse has a syntax
/// error or is too deep to walk).
///
/// A partial parse first leaves out all that cannot hold a read. When the reads it
/// finds get fixes the run writes and these may leave an import unused, it is done
/// again with every use of the target modules' imports in the tree too (which of them
/// a fix leaves unused is read off it), unless that leaves out the same.
fn analyze_tree(
    file: &SourceFile,
    ctx: &Context,
    loader_named: bool,
    partial: bool,
) -> Option<Analysis> {
    let src = file.text.as_str();
    if !partial {
        let Some(tree) = parse(src) else {
            return Some(Analysis::default());
        };
        return Some(analyze_parsed(file, ctx, loader_named, &tree));
    }
    let (mut for_reads, mut for_imports) = (Vec::new(), Vec::new());
    let tree = parse_leaving(src, |text| {
        let left_out = statements_left_out(text, ctx);
        // What cannot be told for reads alone may be for a fix (a `global` in a function
        // that only uses `os`).
        for_reads = left_out
            .reads
            .or_else(|| left_out.imports.clone())
            .unwrap_or_default();
        for_imports = left_out.imports.unwrap_or_default();
        for_reads.clone()
    });
    let analysis = analyze_partial(file, ctx, loader_named, tree, !for_reads.is_empty())?;
    let fixes = ctx.applies_fixes && analysis.findings.iter().any(|f| f.fix.is_some());
    if !fixes || for_imports == for_reads || !may_leave_unused(&analysis) {
        return Some(analysis);
    }
    crate::stats::work(|w| w.python_partial_for_imports += 1);
    let tree = parse_leaving(src, |_| for_imports.clone());
    analyze_partial(file, ctx, loader_named, tree, !for_imports.is_empty())
}

/// Whether the fixes may leave a name an import binds unused, as far as the tree tells:
/// every use of it in the tree is inside a fix's edit. The uses a parse left out are
/// outside every edit (reads are only in the statements kept), so when no name passes
/// this test on the partial tree, none would on the whole one.
fn may_leave_unused(analysis: &Analysis) -> bool {
    let edits: Vec<&Range<usize>> = analysis
        .findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .flat_map(|fix| fix.edits.iter().map(|e| &e.range))
        .collect();
    let covered = |r: &Range<usize>| edits.iter().any(|e| e.start <= r.start && r.end <= e.end);
    analysis
        .plan
        .imports
        .iter()
        .flat_map(|stmt| &stmt.names)
        .any(|name| !name.refs.is_empty() && name.refs.iter().all(covered))
}

/// The analysis of a parse that left out statements (`blanked`; or nothing, and it is
/// the whole parse): `None` when it must be redone whole.
fn analyze_partial(
    file: &SourceFile,
    ctx: &Context,
    loader_named: bool,
    tree: Option<Tree>,
    blanked: bool,
) -> Option<Analysis> {
    if !blanked {
        return Some(tree.map_or_else(Analysis::default, |tree| {
            analyze_parsed(file, ctx, loader_named, &tree)
        }));
    }
    let tree = tree?;
    if tree.root_node().has_error() {
        crate::stats::work(|w| w.python_partial_redone += 1);
        return None;
    }
    let analysis = analyze_parsed(file, ctx, loader_named, &tree);
    if analysis.incomplete.is_some() {
        crate::stats::work(|w| w.python_partial_redone += 1);
        return None;
    }
    Some(analysis)
}

/// The analysis of one parsed file.
fn analyze_parsed(file: &SourceFile, ctx: &Context, loader_named: bool, tree: &Tree) -> Analysis {
    let src = file.text.as_str();
    let rules = &ctx.rules.python;
    let walker = Walker::run(src, tree);
    let mut analysis = Analysis {
        error_nodes: count_errors(tree),
        parsed: true,
        incomplete: walker.too_deep.then(|| crate::detect::too_deep(MAX_DEPTH)),
        ..Analysis::default()
    };
    if loader_named {
        analysis.loader_reads = walker.loader_reads(ctx);
    }
    analysis.env_writes = writes::collect(&walker, tree.root_node(), file, rules);
    let touched = walker.touched(rules);
    let loader = Loader::of(&walker.scopes, &ctx.config.python.import);
    let mut any_fix = false;
    for &(node, scope) in &walker.candidates {
        let read = match node.kind_name() {
            "call" => walker.call_read(node, scope, rules),
            "subscript" if !walker.stores.contains(&node.id()) => {
                walker.subscript_read(node, scope, rules)
            }
            "comparison_operator" => walker.presence_read(node, scope, rules),
            _ => None,
        };
        let Some(read) = read else { continue };
        if let Some(finding) = walker.finding(&read, scope, ctx, &loader, &touched) {
            any_fix |= finding.fix.is_some();
            analysis.findings.push(finding);
        }
    }
    if any_fix {
        noqa::drop_banned_api_codes(file, &mut analysis.findings);
        analysis.plan.import = if loader.imported {
            None
        } else {
            // The import must come before every rewritten read.
            let first_edit = analysis
                .findings
                .iter()
                .filter_map(|f| f.fix.as_ref())
                .flat_map(|f| f.edits.iter().map(|e| e.range.start))
                .min();
            Some(imports::insertion(
                file,
                tree.root_node(),
                &ctx.config.python.import.line,
                first_edit,
            ))
        };
        // With a syntax error, uses of a name may hide inside the error region (text
        // the parser skipped): an import whose name such a region holds is kept.
        if ctx.applies_fixes {
            let hidden = error_regions(tree);
            let in_error = |name: &str| {
                name.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|w| !w.is_empty() && *w != "as")
                    .any(|w| hidden.iter().any(|r| holds_word(&src[r.clone()], w)))
            };
            analysis.plan.imports =
                imports::removable(file, &walker.imports, &walker.idents, rules)
                    .into_iter()
                    .filter(|stmt| !stmt.names.iter().any(|n| in_error(&n.text)))
                    .collect();
        }
    }
    analysis
}

/// Whether the read words the prefilter found are in code: a file that names
/// `os.environ` only in comments, docstrings and strings (`mock.patch.dict("os.environ",
/// …)`) has no read. Asked only of files that pass the prefilter.
fn words_in_code(file: &SourceFile, ctx: &Context) -> bool {
    if !ctx.partial_parse {
        return true;
    }
    let Some(code) = lex::code_only(&file.text) else {
        return true;
    };
    let in_code = ctx.rules.python.may_match(&code);
    if !in_code {
        crate::stats::work(|w| w.files_words_not_in_code += 1);
    }
    in_code
}

/// The edit that imports the loader (`None` when the module has it), or why the loader's
/// name cannot be used in this module.
pub fn loader_import(file: &SourceFile, ctx: &Context) -> Result<Option<Edit>, String> {
    let tree = parse(&file.text).ok_or("the file does not parse")?;
    let walker = Walker::run(&file.text, &tree);
    let loader = Loader::of(&walker.scopes, &ctx.config.python.import);
    let bound = &ctx.config.python.import.bound;
    if let Some(pos) = loader.conflict {
        let line = file.text[..pos].matches('\n').count() + 1;
        return Err(format!(
            "`{bound}` is already bound to something else in this module (line {line})"
        ));
    }
    // Secret fixes may sit anywhere: the first import block comes before them all.
    Ok((!loader.imported)
        .then(|| imports::insertion(file, tree.root_node(), &ctx.config.python.import.line, None)))
}

/// The edit that adds `line` (an import a rewrite template needs) where the project's
/// import sorter puts it (`None` when the module has it), or why it cannot be added.
pub fn import_edit(file: &SourceFile, line: &str) -> Result<Option<Edit>, String> {
    let import = crate::config::PyImport::parse(line).ok_or("not an import line")?;
    let tree = parse(&file.text).ok_or("the file does not parse")?;
    let walker = Walker::run(&file.text, &tree);
    let loader = Loader::of(&walker.scopes, &import);
    if loader.imported {
        return Ok(None);
    }
    if let Some(pos) = loader.conflict {
        let line = file.text[..pos].matches('\n').count() + 1;
        return Err(format!(
            "`{}` is already bound to something else in this module (line {line})",
            import.bound
        ));
    }
    Ok(Some(imports::insertion(
        file,
        tree.root_node(),
        &import.line,
        None,
    )))
}

/// A read found in the tree, before classification.
struct Read<'t, 'r> {
    rule: &'r CompiledEnvRule,
    node: Node<'t>,
    /// What replaces the callee or subscripted object.
    callee: Node<'t>,
    /// The node holding the variable name (a string, or `key="X"`).
    key: Option<Node<'t>>,
    /// The default value node and the node to replace with it (`default=x` → `x`).
    default: Option<(Node<'t>, Node<'t>)>,
    /// Arguments the rewrite cannot carry over.
    extra_args: bool,
    /// Brackets of a subscript, turned into parentheses by the rewrite.
    brackets: Option<(Node<'t>, Node<'t>)>,
    /// `default=` comes before `key=`: the rewrite swaps them into positional order.
    swapped: bool,
    /// A presence test (`"X" in os.environ`, `os.environ.__contains__("X")`), and
    /// whether it is negated (`not in`).
    presence: Option<bool>,
}

/// What the name an import binds (the configured loader's, or a template's) means in
/// this module.
struct Loader {
    /// The module already imports it as configured.
    imported: bool,
    /// Another binding of the name at module level (its line), which rules out fixes.
    conflict: Option<usize>,
}

impl Loader {
    fn of(scopes: &Scopes, import: &crate::config::PyImport) -> Loader {
        let bindings = scopes.scopes[0].bindings.get(&import.bound);
        let is_ours = |b: &Binding| {
            b.import
                .as_deref()
                .is_some_and(|t| same_import(t, &import.qualified))
        };
        Loader {
            imported: bindings.is_some_and(|bs| bs.iter().any(is_ours)),
            conflict: bindings.and_then(|bs| bs.iter().find(|b| !is_ours(b)).map(|b| b.pos)),
        }
    }
}

struct Walker<'t, 's> {
    src: &'s str,
    /// Parent links, for the questions asked walking up from a read.
    parents: Parents<'t>,
    /// The walk stopped at `MAX_DEPTH` somewhere: reads below were not seen.
    too_deep: bool,
    scopes: Scopes,
    /// Calls and subscripts with the scope they appear in.
    candidates: Vec<(Node<'t>, usize)>,
    /// Attribute accesses with their scope (`config.key` reads of the loader object).
    attributes: Vec<(Node<'t>, usize)>,
    /// Subscripts that are assignment or `del` targets.
    stores: HashSet<usize>,
    /// Every use of every name outside import statements, for unused-import checks.
    idents: HashMap<&'s str, Vec<Range<usize>>>,
    imports: Vec<Node<'t>>,
    /// Inside an `except` handler: bindings made here are fallbacks.
    in_except: bool,
    /// Nodes visited (the `--stats` work counts).
    nodes: u64,
    /// Cursors for walking children, one per level in use: a new cursor per node
    /// visited was a heap allocation per node.
    cursors: Vec<TreeCursor<'t>>,
}

/// Methods of the environment mapping that remove a variable.
const REMOVE_METHODS: &[&str] = &["pop", "__delitem__"];
/// Functions of the root module that remove a variable.
const REMOVE_FUNCTIONS: &[&str] = &["unsetenv"];

/// The variables a file removes or tests for, by literal name.
#[derive(Default)]
struct Touched {
    removed: HashSet<String>,
    tested: HashSet<String>,
}

/// `key in mapping` or `key not in mapping` (two operands): the key, the mapping, and
/// whether the test is negated.
fn membership(node: Node) -> Option<(Node, Node, bool)> {
    if node.kind_name() != "comparison_operator" {
        return None;
    }
    let mut cursor = node.walk();
    let operands: Vec<Node> = node
        .named_children(&mut cursor)
        .filter(|n| n.kind_name() != "comment")
        .collect();
    let [key, mapping] = operands.as_slice() else {
        return None;
    };
    let mut cursor = node.walk();
    let ops: Vec<Node> = node
        .children_by_field_name("operators", &mut cursor)
        .collect();
    let [op] = ops.as_slice() else { return None };
    let negated = match op.kind_name() {
        "in" => false,
        "not in" => true,
        _ => return None,
    };
    Some((*key, *mapping, negated))
}

impl<'t, 's> Walker<'t, 's> {
    /// Walks the whole tree: scopes, bindings, candidate reads, imports.
    fn run(src: &'s str, tree: &'t Tree) -> Walker<'t, 's> {
        let mut walker = Walker {
            src,
            parents: Parents::new(tree, |w, links, lookups| {
                w.python_parent_links += links;
                w.python_parent_lookups += lookups;
            }),
            scopes: Scopes::new(),
            candidates: Vec::new(),
            attributes: Vec::new(),
            stores: HashSet::new(),
            idents: HashMap::new(),
            imports: Vec::new(),
            in_except: false,
            too_deep: false,
            nodes: 0,
            cursors: Vec::new(),
        };
        walker.visit(tree.root_node(), 0, 0);
        crate::stats::work(|w| w.python_nodes += walker.nodes);
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

    /// Names used inside strings (`"os.PathLike"` annotations, docstring examples) count
    /// as uses, so an import they mention is never removed.
    fn record_string_mentions(&mut self, node: Node) {
        let text = self.text(node);
        let base = node.start_byte();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_alphabetic() || bytes[i] == b'_' {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let whole = start == 0 && i == bytes.len();
                if whole || bytes.get(i) == Some(&b'.') {
                    let word = &text[start..i];
                    self.idents
                        .entry(word)
                        .or_default()
                        .push(base + start..base + i);
                }
            } else {
                i += 1;
            }
        }
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
                fallback: self.in_except,
            },
        );
    }

    fn visit_children(&mut self, node: Node<'t>, scope: usize, depth: usize) {
        let mut cursor = self.cursors.pop().unwrap_or_else(|| node.walk());
        for child in node.children(&mut cursor) {
            self.visit(child, scope, depth + 1);
        }
        self.cursors.push(cursor);
    }

    fn visit_field(&mut self, node: Node<'t>, field: &str, scope: usize, depth: usize) {
        let mut cursor = self.cursors.pop().unwrap_or_else(|| node.walk());
        let children: Vec<Node<'t>> = node.children_by_field_name(field, &mut cursor).collect();
        self.cursors.push(cursor);
        for child in children {
            self.visit(child, scope, depth + 1);
        }
    }

    fn visit(&mut self, node: Node<'t>, scope: usize, depth: usize) {
        if depth > MAX_DEPTH {
            self.too_deep = true;
            return;
        }
        self.nodes += 1;
        match node.kind_name() {
            "function_definition" => {
                if let Some(name) = node.field("name") {
                    self.bind(scope, name, None);
                }
                let inner = self.scopes.push(ScopeKind::Function, scope);
                if let Some(params) = node.field("parameters") {
                    self.parameters(params, scope, inner, depth);
                }
                self.visit_field(node, "return_type", scope, depth);
                self.visit_field(node, "type_parameters", inner, depth);
                self.visit_field(node, "body", inner, depth);
            }
            "lambda" => {
                let inner = self.scopes.push(ScopeKind::Function, scope);
                if let Some(params) = node.field("parameters") {
                    self.parameters(params, scope, inner, depth);
                }
                self.visit_field(node, "body", inner, depth);
            }
            "class_definition" => {
                if let Some(name) = node.field("name") {
                    self.bind(scope, name, None);
                }
                self.visit_field(node, "superclasses", scope, depth);
                self.visit_field(node, "type_parameters", scope, depth);
                let inner = self.scopes.push(ScopeKind::Class, scope);
                self.visit_field(node, "body", inner, depth);
            }
            "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => {
                let inner = self.scopes.push(ScopeKind::Comprehension, scope);
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind_name() == "for_in_clause" {
                        if let Some(left) = child.field("left") {
                            self.targets(left, inner, depth);
                        }
                        self.visit_field(child, "right", inner, depth);
                    } else {
                        self.visit(child, inner, depth + 1);
                    }
                }
            }
            "import_statement" | "import_from_statement" => {
                self.imports.push(node);
                self.import(node, scope);
            }
            "future_import_statement" => {}
            "assignment" | "augmented_assignment" => {
                let left = node.field("left");
                let alias = match (left, node.field("right")) {
                    (Some(l), Some(r))
                        if l.kind_name() == "identifier" && node.kind_name() == "assignment" =>
                    {
                        qualified(&self.scopes, r, self.src, scope)
                    }
                    _ => None,
                };
                match (left, alias) {
                    // `env = os.environ`: the name stands for what it was assigned.
                    (Some(l), Some(q)) => self.bind(scope, l, Some(q)),
                    (Some(l), None) => self.targets(l, scope, depth),
                    _ => {}
                }
                self.visit_field(node, "type", scope, depth);
                self.visit_field(node, "right", scope, depth);
            }
            "for_statement" => {
                if let Some(left) = node.field("left") {
                    self.targets(left, scope, depth);
                }
                self.visit_field(node, "right", scope, depth);
                self.visit_field(node, "body", scope, depth);
                self.visit_field(node, "alternative", scope, depth);
            }
            "named_expression" => {
                if let Some(name) = node.field("name") {
                    let target = self.scopes.non_comprehension(scope);
                    self.bind(target, name, None);
                }
                self.visit_field(node, "value", scope, depth);
            }
            "as_pattern" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind_name() == "as_pattern_target" {
                        self.targets(child, scope, depth);
                    } else {
                        self.visit(child, scope, depth + 1);
                    }
                }
            }
            "except_clause" => {
                let alias = node.field("alias");
                let outer = std::mem::replace(&mut self.in_except, true);
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if Some(child) == alias {
                        self.targets(child, scope, depth);
                    } else {
                        self.visit(child, scope, depth + 1);
                    }
                }
                self.in_except = outer;
            }
            "global_statement" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    let name = self.text(child).to_string();
                    self.scopes.scopes[scope].globals.insert(name);
                }
            }
            "delete_statement" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    self.mark_stores(child);
                    self.visit(child, scope, depth + 1);
                }
            }
            "call" | "subscript" | "comparison_operator" => {
                self.candidates.push((node, scope));
                self.visit_children(node, scope, depth);
            }
            "identifier" => self.record(node),
            "string_content" => self.record_string_mentions(node),
            "attribute" => {
                self.attributes.push((node, scope));
                self.visit_field(node, "object", scope, depth);
            }
            "keyword_argument" => self.visit_field(node, "value", scope, depth),
            _ => self.visit_children(node, scope, depth),
        }
    }

    /// Subscripts among `del` targets are stores, not reads.
    fn mark_stores(&mut self, node: Node<'t>) {
        match node.kind_name() {
            "subscript" => {
                self.stores.insert(node.id());
            }
            "expression_list"
            | "tuple"
            | "list"
            | "parenthesized_expression"
            | "pattern_list"
            | "tuple_pattern"
            | "list_pattern" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    self.mark_stores(child);
                }
            }
            _ => {}
        }
    }

    /// Binds the names an assignment-like target introduces; subscripts in it are stores.
    fn targets(&mut self, node: Node<'t>, scope: usize, depth: usize) {
        match node.kind_name() {
            "identifier" => self.bind(scope, node, None),
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "tuple"
            | "list"
            | "parenthesized_expression"
            | "expression_list"
            | "list_splat_pattern"
            | "list_splat"
            | "as_pattern_target" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    self.targets(child, scope, depth + 1);
                }
            }
            "subscript" => {
                self.stores.insert(node.id());
                self.visit(node, scope, depth + 1);
            }
            _ => self.visit(node, scope, depth + 1),
        }
    }

    /// Binds parameters in `inner`; defaults and annotations are evaluated in `outer`.
    fn parameters(&mut self, params: Node<'t>, outer: usize, inner: usize, depth: usize) {
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            match p.kind_name() {
                "identifier" => self.bind(inner, p, None),
                "default_parameter" | "typed_default_parameter" => {
                    if let Some(name) = p.field("name") {
                        self.targets(name, inner, depth);
                    }
                    self.visit_field(p, "type", outer, depth);
                    self.visit_field(p, "value", outer, depth);
                }
                "typed_parameter" => {
                    let mut c = p.walk();
                    for child in p.named_children(&mut c) {
                        if Some(child) == p.field("type") {
                            self.visit(child, outer, depth + 1);
                        } else {
                            self.splat_or_name(child, inner);
                        }
                    }
                }
                "list_splat_pattern" | "dictionary_splat_pattern" => self.splat_or_name(p, inner),
                "tuple_pattern" => self.targets(p, inner, depth),
                _ => {}
            }
        }
    }

    fn splat_or_name(&mut self, node: Node<'t>, scope: usize) {
        match node.kind_name() {
            "identifier" => self.bind(scope, node, None),
            "list_splat_pattern" | "dictionary_splat_pattern" => {
                if let Some(id) = node.named_child(0) {
                    self.splat_or_name(id, scope);
                }
            }
            _ => {}
        }
    }

    fn import(&mut self, node: Node<'t>, scope: usize) {
        let from = if node.kind_name() == "import_from_statement" {
            let module = node.field("module_name");
            // A relative import (`from . import x`) never names os.
            Some(
                module
                    .filter(|m| m.kind_name() == "dotted_name")
                    .map(|m| self.text(m)),
            )
        } else {
            None
        };
        // `from .config import x`: kept as `.config.x`, which only the loader's own
        // import is compared with (`same_import`).
        let relative = node
            .field("module_name")
            .filter(|m| m.kind_name() == "relative_import" && from.is_some())
            .map(|m| self.text(m).trim_end_matches('.'));
        let mut cursor = node.walk();
        let names: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
        for name in names {
            let (ident_text, alias) = match name.kind_name() {
                "aliased_import" => (
                    name.field("name").map(|n| self.text(n)),
                    name.field("alias"),
                ),
                _ => (Some(self.text(name)), None),
            };
            let Some(dotted) = ident_text else { continue };
            let (target, bound_pos, bound_name) = match (from, alias) {
                (Some(module), _) => {
                    let target = module.or(relative).map(|m| format!("{m}.{dotted}"));
                    let alias_name = alias.map(|a| self.text(a)).unwrap_or(dotted);
                    (target, alias.unwrap_or(name).start_byte(), alias_name)
                }
                (None, Some(a)) => (Some(dotted.to_string()), a.start_byte(), self.text(a)),
                (None, None) => {
                    // `import os.path` binds `os`.
                    let head = dotted.split('.').next().unwrap_or(dotted);
                    (Some(head.to_string()), name.start_byte(), head)
                }
            };
            self.scopes.bind(
                scope,
                bound_name,
                Binding {
                    pos: bound_pos,
                    import: target,
                    fallback: self.in_except,
                },
            );
        }
        if let Some(Some(module)) = from {
            let mut c = node.walk();
            if node
                .named_children(&mut c)
                .any(|n| n.kind_name() == "wildcard_import")
            {
                self.scopes.scopes[scope].wildcards.push(module.to_string());
            }
        }
    }

    /// Variables the file removes or tests for (`del os.environ["X"]`, `pop`,
    /// `os.unsetenv`, `"X" in os.environ`): a rewrite of their reads changes behaviour,
    /// so it is unsafe. (Writes are `Analysis::env_writes`: the hand-off pass marks the
    /// reads they explain.)
    fn touched(&self, rules: &rules::EnvRules) -> Touched {
        let mut out = Touched::default();
        let is_mapping = |n: Node, scope: usize| {
            qualified(&self.scopes, n, self.src, scope)
                .is_some_and(|q| rules.subscripts.contains_key(&q))
        };
        let literal =
            |n: Option<Node>| n.and_then(|n| string_literal(n, self.src)).map(|l| l.value);
        for &(node, scope) in &self.candidates {
            match node.kind_name() {
                "subscript"
                    if self.stores.contains(&node.id())
                        && writes::in_delete(&self.parents, node) =>
                {
                    let name = node
                        .field("value")
                        .filter(|v| is_mapping(*v, scope))
                        .and_then(|_| literal(node.field("subscript")));
                    out.removed.extend(name);
                }
                "call" => {
                    let Some(q) = node
                        .field("function")
                        .and_then(|f| qualified(&self.scopes, f, self.src, scope))
                    else {
                        continue;
                    };
                    let (head, method) = q.rsplit_once('.').unwrap_or(("", q.as_str()));
                    let removes = (rules.subscripts.contains_key(head)
                        && REMOVE_METHODS.contains(&method))
                        || (rules.roots().any(|r| r == head) && REMOVE_FUNCTIONS.contains(&method));
                    let tests = rules.subscripts.contains_key(head) && method == "__contains__";
                    if !removes && !tests {
                        continue;
                    }
                    let name = literal(node.field("arguments").and_then(|a| a.named_child(0)));
                    if removes {
                        out.removed.extend(name);
                    } else {
                        out.tested.extend(name);
                    }
                }
                "comparison_operator" => {
                    if let Some((key, mapping, _)) = membership(node) {
                        if is_mapping(mapping, scope) {
                            out.tested.extend(literal(Some(key)));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The reads of config keys through the configured loader: `get_config_value("x")`
    /// in call style; `config.x` and `getattr(config, "x")` in attribute style.
    fn loader_reads(&self, ctx: &Context) -> Vec<LoaderRead> {
        let py = &ctx.config.python;
        let is_loader = |node: Node, scope: usize, target: &str| {
            qualified(&self.scopes, node, self.src, scope).is_some_and(|q| same_import(&q, target))
        };
        let mut out = Vec::new();
        match py.style {
            PythonStyle::Call => {
                // `get_config_value`, or `config.get` after `from app import config`.
                let target = match py.call.strip_prefix(py.import.bound.as_str()) {
                    Some(rest) if rest.is_empty() || rest.starts_with('.') => {
                        format!("{}{rest}", py.import.qualified)
                    }
                    _ => return out,
                };
                for &(node, scope) in &self.candidates {
                    if node.kind_name() != "call" {
                        continue;
                    }
                    let Some(function) = node.field("function") else {
                        continue;
                    };
                    if !is_loader(function, scope, &target) {
                        continue;
                    }
                    let Some((key, others)) = self.call_key(node, 0) else {
                        continue;
                    };
                    out.push(LoaderRead {
                        key,
                        span: node.byte_range(),
                        has_default: others > 0 || falls_back(&self.parents, node),
                    });
                }
            }
            PythonStyle::Attribute => {
                let target = &py.import.qualified;
                for &(node, scope) in &self.attributes {
                    let (Some(object), Some(attr)) =
                        (node.field("object"), node.field("attribute"))
                    else {
                        continue;
                    };
                    // `config.get(…)` calls a method of the object; it names no key.
                    let called = self.parents.of(node).is_some_and(|p| {
                        p.kind_name() == "call" && p.field("function") == Some(node)
                    });
                    if called
                        || self.stores.contains(&node.id())
                        || !is_loader(object, scope, target)
                    {
                        continue;
                    }
                    out.push(LoaderRead {
                        key: self.text(attr).to_string(),
                        span: node.byte_range(),
                        has_default: falls_back(&self.parents, node),
                    });
                }
                // `getattr(config, "key", default)`, what the rewrite writes for keys
                // that are not identifiers.
                for &(node, scope) in &self.candidates {
                    let function = node.field("function");
                    if node.kind_name() != "call"
                        || !function.is_some_and(|f| {
                            self.text(f) == "getattr"
                                && self
                                    .scopes
                                    .resolve("getattr", scope, f.start_byte())
                                    .is_none()
                        })
                    {
                        continue;
                    }
                    let first = node.field("arguments").and_then(|a| a.named_child(0));
                    if !first.is_some_and(|o| is_loader(o, scope, target)) {
                        continue;
                    }
                    let Some((key, others)) = self.call_key(node, 1) else {
                        continue;
                    };
                    out.push(LoaderRead {
                        key,
                        span: node.byte_range(),
                        has_default: others > 0 || falls_back(&self.parents, node),
                    });
                }
            }
        }
        out
    }

    /// The string literal at positional argument `position` of a call, and how many
    /// arguments follow it (a default, usually).
    fn call_key(&self, call: Node<'t>, position: usize) -> Option<(String, usize)> {
        let args = call.field("arguments")?;
        if args.kind_name() != "argument_list" {
            return None;
        }
        let mut cursor = args.walk();
        let args: Vec<Node> = args
            .named_children(&mut cursor)
            .filter(|a| a.kind_name() != "comment")
            .collect();
        let key = args.get(position)?;
        let lit = string_literal(*key, self.src)?;
        (!lit.value.is_empty()).then(|| (lit.value, args.len() - position - 1))
    }

    fn call_read<'r>(
        &self,
        node: Node<'t>,
        scope: usize,
        rules: &'r rules::EnvRules,
    ) -> Option<Read<'t, 'r>> {
        let function = node.field("function")?;
        let qualified = qualified(&self.scopes, function, self.src, scope)?;
        let rule = rules.calls.get(&qualified)?;
        let args = node.field("arguments")?;
        if args.kind_name() != "argument_list" {
            return None;
        }
        let mut positional = Vec::new();
        let mut keywords = Vec::new();
        let mut splat = false;
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            match arg.kind_name() {
                "comment" => {}
                "keyword_argument" => keywords.push(arg),
                "list_splat" | "dictionary_splat" => splat = true,
                _ => positional.push(arg),
            }
        }
        let find = |spec: &Option<ArgSpec>| -> Option<(Node<'t>, Node<'t>)> {
            let spec = spec.as_ref()?;
            if let Some(n) = spec.position.and_then(|i| positional.get(i)) {
                return Some((*n, *n));
            }
            let kw = spec.keyword.as_deref()?;
            keywords.iter().find_map(|k| {
                let name = k.field("name")?;
                (self.text(name) == kw).then(|| Some((k.field("value")?, *k)))?
            })
        };
        let key = find(&rule.key);
        if key.is_none() && !splat {
            // `os.getenv()` is not a read; Python would raise.
            return None;
        }
        let default = find(&rule.default);
        let used = usize::from(key.is_some()) + usize::from(default.is_some());
        let swapped = match (key, default) {
            (Some((_, k)), Some((_, d))) => d.start_byte() < k.start_byte(),
            _ => false,
        };
        Some(Read {
            rule,
            node,
            callee: function,
            key: if splat {
                None
            } else {
                key.map(|(_, whole)| whole)
            },
            default,
            extra_args: splat || positional.len() + keywords.len() != used,
            brackets: None,
            swapped,
            presence: qualified.ends_with(".__contains__").then_some(false),
        })
    }

    fn subscript_read<'r>(
        &self,
        node: Node<'t>,
        scope: usize,
        rules: &'r rules::EnvRules,
    ) -> Option<Read<'t, 'r>> {
        let value = node.field("value")?;
        let qualified = qualified(&self.scopes, value, self.src, scope)?;
        let rule = rules.subscripts.get(&qualified)?;
        let mut cursor = node.walk();
        let keys: Vec<Node<'t>> = node
            .children_by_field_name("subscript", &mut cursor)
            .collect();
        let [key] = keys.as_slice() else { return None };
        if key.kind_name() == "slice" {
            return None;
        }
        let mut cursor = node.walk();
        let open = node.children(&mut cursor).find(|c| c.kind_name() == "[")?;
        let mut cursor = node.walk();
        let close = node
            .children(&mut cursor)
            .filter(|c| c.kind_name() == "]")
            .last()?;
        Some(Read {
            rule,
            node,
            callee: value,
            key: Some(*key),
            default: None,
            extra_args: false,
            brackets: Some((open, close)),
            swapped: false,
            presence: None,
        })
    }

    /// `"X" in os.environ` (or `not in`): the mapping's `__contains__`, the membership
    /// test the data model defines for `in`.
    fn presence_read<'r>(
        &self,
        node: Node<'t>,
        scope: usize,
        rules: &'r rules::EnvRules,
    ) -> Option<Read<'t, 'r>> {
        let (key, mapping, negated) = membership(node)?;
        let qualified = qualified(&self.scopes, mapping, self.src, scope)?;
        let rule = rules.calls.get(&format!("{qualified}.__contains__"))?;
        Some(Read {
            rule,
            node,
            callee: mapping,
            key: Some(key),
            default: None,
            extra_args: false,
            brackets: None,
            swapped: false,
            presence: Some(negated),
        })
    }

    /// Classifies a read and builds its finding (and fix), or drops it.
    fn finding(
        &self,
        read: &Read<'t, '_>,
        scope: usize,
        ctx: &Context,
        loader: &Loader,
        touched: &Touched,
    ) -> Option<Finding> {
        let env_cfg = &ctx.config.env;
        let key_value = read.key.and_then(|k| {
            let value = if k.kind_name() == "keyword_argument" {
                k.field("value")?
            } else {
                k
            };
            string_literal(value, self.src)
        });
        let span = read.node.byte_range();
        let Some(lit) = key_value else {
            // `name in os.environ` names no variable and reads no value: not reported.
            if env_cfg.scope == EnvScope::Secrets || read.presence.is_some() {
                return None;
            }
            return Some(Finding::dynamic_read(read.rule.dynamic_rule, span));
        };
        if lit.value.is_empty() {
            return None;
        }
        let class = env::classify(&lit.value, env_cfg);
        let severity = env::reported(class, ctx)?;
        let key = env::config_key(&lit.value, env_cfg);
        let message = match read.presence {
            Some(_) => format!(
                "{} is looked up in the environment (a presence test), bypassing the config loader",
                env::describe(&lit.value, class)
            ),
            None => env::read_message(&lit.value, class),
        };
        let (mut fix, no_fix_reason) = match self.build_fix(read, &lit, &key, scope, ctx, loader) {
            Ok(fix) => (fix, None),
            Err(reason) => (None, Some(reason)),
        };
        if let Some(fix) = &mut fix {
            // The rewrite changes what the program does when the same variable is also
            // removed or tested here, or when an f-string prints the expression. (A
            // variable the file writes is the hand-off pass's: `env_writes`.)
            let tested = read.presence.is_none() && touched.tested.contains(&lit.value);
            let caveat = if touched.removed.contains(&lit.value) || tested {
                Some(format!("this file also removes or tests `{}`", lit.value))
            } else if in_self_documenting_fstring(&self.parents, read.node) {
                Some("an `=` f-string prints the expression's text".to_string())
            } else {
                None
            };
            if let Some(caveat) = caveat {
                fix.applicability = Applicability::Unsafe;
                fix.title = format!("{} ({caveat})", fix.title);
            }
        }
        let mut finding = Finding {
            rule: read.rule.id,
            severity,
            span,
            message,
            env_name: Some(lit.value.clone()),
            config_key: Some(key),
            fix,
            no_fix_reason,
            help: None,
            secret: None,
            // A presence test is there for when the variable is unset.
            has_default: read.default.is_some()
                || read.presence.is_some()
                || falls_back(&self.parents, read.node),
            role: None,
        };
        env::mark_platform(&mut finding, class);
        Some(finding)
    }

    fn build_fix(
        &self,
        read: &Read<'t, '_>,
        lit: &StringLit,
        key: &str,
        scope: usize,
        ctx: &Context,
        loader: &Loader,
    ) -> Result<Option<Fix>, String> {
        let Some(mut applicability) = read.rule.fix.applicability() else {
            return Ok(None);
        };
        if let (Some(rewrite), None) = (&read.rule.rewrite, read.presence) {
            return self
                .template_fix(read, rewrite, lit, key, scope, ctx, loader, applicability)
                .map(Some);
        }
        self.loader_usable(read, scope, ctx, loader)?;
        let py = &ctx.config.python;
        if read.extra_args {
            return Err("the call has arguments the rewrite cannot carry over".into());
        }
        let q = lit.quote;
        let key_lit = format!("{q}{}{q}", escape(key, q));
        if let Some(negated) = read.presence {
            return self.presence_fix(read, &key_lit, negated, ctx).map(Some);
        }
        let (edits, shown) = match py.style {
            PythonStyle::Call => {
                let mut edits = vec![Edit::replace(read.callee.byte_range(), py.call.clone())];
                if let Some((open, close)) = read.brackets {
                    edits.push(Edit::replace(open.byte_range(), "("));
                    edits.push(Edit::replace(close.byte_range(), ")"));
                }
                let key_node = read.key.ok_or("no variable name")?;
                let mut shown = format!("{}({key_lit}", py.call);
                match read.default {
                    Some((value, whole)) if read.swapped => {
                        // `default=d, key="X"` → `"x", d`
                        edits.push(Edit::replace(whole.byte_range(), key_lit.clone()));
                        edits.push(Edit::replace(key_node.byte_range(), self.text(value)));
                        shown.push_str(", …");
                    }
                    Some((value, whole)) => {
                        edits.push(Edit::replace(key_node.byte_range(), key_lit.clone()));
                        if value != whole {
                            edits.push(Edit::replace(whole.byte_range(), self.text(value)));
                        }
                        shown.push_str(", …");
                    }
                    None => edits.push(Edit::replace(key_node.byte_range(), key_lit.clone())),
                }
                shown.push(')');
                (edits, shown)
            }
            PythonStyle::Attribute => {
                if has_comment(read.node) {
                    return Err("the read has a comment inside that the rewrite would lose".into());
                }
                let text = match read.default {
                    None if is_identifier(key) => format!("{}.{key}", py.call),
                    None => {
                        applicability = Applicability::Unsafe;
                        format!("getattr({}, {key_lit})", py.call)
                    }
                    Some((value, _)) => {
                        applicability = Applicability::Unsafe;
                        format!("getattr({}, {key_lit}, {})", py.call, self.text(value))
                    }
                };
                (
                    vec![Edit::replace(read.node.byte_range(), text.clone())],
                    text,
                )
            }
        };
        if read.rule.fix == FixKind::Unsafe {
            applicability = Applicability::Unsafe;
        }
        Ok(Some(Fix {
            title: format!("Replace with `{shown}`"),
            applicability,
            edits,
            needs_import: true,
            gitignore: None,
            imports: Vec::new(),
        }))
    }
}

impl<'t> Walker<'t, '_> {
    /// Why the configured loader's name cannot be used at the read, if it cannot.
    fn loader_usable(
        &self,
        read: &Read<'t, '_>,
        scope: usize,
        ctx: &Context,
        loader: &Loader,
    ) -> Result<(), String> {
        if let Some(pos) = loader.conflict {
            let line = self.src[..pos].matches('\n').count() + 1;
            return Err(format!(
                "`{}` is already bound to something else in this module (line {line})",
                ctx.config.python.import.bound
            ));
        }
        self.import_usable(&ctx.config.python.import, read, scope)
    }

    /// Why the name `import` binds cannot be used at the read as that import, if it
    /// cannot: something else of that name is in scope there, or at module level.
    fn import_usable(
        &self,
        import: &crate::config::PyImport,
        read: &Read<'t, '_>,
        scope: usize,
    ) -> Result<(), String> {
        let bound = &import.bound;
        let ours = |b: &Binding| {
            b.import
                .as_deref()
                .is_some_and(|t| same_import(t, &import.qualified))
        };
        if let Some(pos) = Loader::of(&self.scopes, import).conflict {
            let line = self.src[..pos].matches('\n').count() + 1;
            return Err(format!(
                "`{bound}` is already bound to something else in this module (line {line})"
            ));
        }
        match self.scopes.resolve(bound, scope, read.node.start_byte()) {
            Some(b) if !ours(b) => Err(format!(
                "`{bound}` is bound to something else in this scope"
            )),
            _ => Ok(()),
        }
    }

    /// The read replaced whole by its rule's template (`to_bool(get_config_value("x",
    /// False))`), with the template's imports to add once it is in.
    #[allow(clippy::too_many_arguments)]
    fn template_fix(
        &self,
        read: &Read<'t, '_>,
        rewrite: &rules::CompiledRewrite,
        lit: &StringLit,
        key: &str,
        scope: usize,
        ctx: &Context,
        loader: &Loader,
        applicability: Applicability,
    ) -> Result<Fix, String> {
        let py = &ctx.config.python;
        if rewrite.calls_loader() {
            self.loader_usable(read, scope, ctx, loader)?;
        }
        for line in &rewrite.imports {
            let import = crate::config::PyImport::parse(line)
                .ok_or_else(|| format!("`{line}` is not an import line"))?;
            self.import_usable(&import, read, scope)?;
        }
        if read.extra_args {
            return Err("the call has arguments the rewrite cannot carry over".into());
        }
        if has_comment(read.node) {
            return Err("the read has a comment inside that the rewrite would lose".into());
        }
        let q = lit.quote;
        let key_lit = format!("{q}{}{q}", escape(key, q));
        let name_lit = format!("{q}{}{q}", escape(&lit.value, q));
        let default = read.default.map(|(value, _)| self.text(value));
        let fill = |default| rules::Filled {
            call: &py.call,
            key: &key_lit,
            name: &name_lit,
            default,
        };
        let mut text = rewrite.render(&fill(default))?;
        if rewrite.compound(default.is_some()) && !holds_any_expression(&self.parents, read.node) {
            // `get_config_value("x") or d` where an operator binds the read.
            text = format!("({text})");
        }
        let shown = rewrite.render(&fill(default.map(|_| "…")))?;
        Ok(Fix {
            title: format!("Replace with `{shown}`"),
            applicability,
            edits: vec![Edit::replace(read.node.byte_range(), text)],
            needs_import: rewrite.calls_loader(),
            gitignore: None,
            imports: rewrite.imports.clone(),
        })
    }

    /// `"X" in os.environ` → `get_config_value("x", None) is not None` (`not in` →
    /// `is None`), parenthesised where the surrounding expression binds tighter than
    /// a comparison. Always unsafe: the loader may hold the key with an empty value, or
    /// answer for a key the environment lacks.
    fn presence_fix(
        &self,
        read: &Read<'t, '_>,
        key_lit: &str,
        negated: bool,
        ctx: &Context,
    ) -> Result<Fix, String> {
        let py = &ctx.config.python;
        if py.style == PythonStyle::Attribute {
            return Err(format!(
                "with the attribute style, `{}` has no presence test to rewrite this to",
                py.call
            ));
        }
        if has_comment(read.node) {
            return Err(
                "the presence test has a comment inside that the rewrite would lose".into(),
            );
        }
        let test = if negated { "is None" } else { "is not None" };
        let shown = format!("{}({key_lit}, None) {test}", py.call);
        let text = if needs_parentheses(&self.parents, read.node) {
            format!("({shown})")
        } else {
            shown.clone()
        };
        Ok(Fix {
            title: format!("Replace with `{shown}`"),
            applicability: Applicability::Unsafe,
            edits: vec![Edit::replace(read.node.byte_range(), text)],
            needs_import: true,
            gitignore: None,
            imports: Vec::new(),
        })
    }
}

/// Whether a comparison put in place of `node` needs parentheses to keep its meaning:
/// anywhere but where a whole expression, a condition or an operand of `not`, `and`,
/// `or` stands.
fn needs_parentheses(parents: &Parents, node: Node) -> bool {
    let Some(parent) = parents.of(node) else {
        return false;
    };
    !matches!(
        parent.kind_name(),
        "parenthesized_expression"
            | "argument_list"
            | "expression_statement"
            | "assignment"
            | "augmented_assignment"
            | "return_statement"
            | "if_statement"
            | "elif_clause"
            | "while_statement"
            | "boolean_operator"
            | "not_operator"
            | "assert_statement"
            | "keyword_argument"
            | "pair"
            | "list"
            | "tuple"
            | "set"
            | "expression_list"
            | "conditional_expression"
            | "lambda"
            | "if_clause"
            | "named_expression"
    )
}

/// Whether an import target (`backend.core.auto_esc_config.get_config_value`, or a
/// relative `.auto_esc_config.get_config_value`) is the configured `qualified` name. A
/// relative target matches when the absolute name ends with it.
fn same_import(target: &str, qualified: &str) -> bool {
    match target.trim_start_matches('.') {
        rest if rest.len() == target.len() => target == qualified,
        rest => {
            qualified == rest
                || qualified
                    .strip_suffix(rest)
                    .is_some_and(|head| head.ends_with('.'))
        }
    }
}

/// Whether the value of `node` is followed by a fallback: `os.getenv("X") or "d"`.
fn falls_back(parents: &Parents, node: Node) -> bool {
    let mut inner = node;
    let mut parent = parents.of(node);
    while let Some(p) = parent.filter(|p| p.kind_name() == "parenthesized_expression") {
        inner = p;
        parent = parents.of(p);
    }
    parent.is_some_and(|p| {
        p.kind_name() == "boolean_operator"
            && p.field("operator").is_some_and(|o| o.kind_name() == "or")
            && p.field("left") == Some(inner)
    })
}

/// The qualified name an expression stands for, when it is built from an import:
/// `o.environ.get` → `os.environ.get` after `import os as o`.
fn qualified(scopes: &Scopes, node: Node, src: &str, scope: usize) -> Option<String> {
    match node.kind_name() {
        "identifier" => {
            let name = &src[node.byte_range()];
            match scopes.resolve(name, scope, node.start_byte()) {
                Some(b) => b.import.clone(),
                None => scopes.scopes[0]
                    .wildcards
                    .first()
                    .map(|m| format!("{m}.{name}")),
            }
        }
        "attribute" => {
            let object = node.field("object")?;
            let attr = node.field("attribute")?;
            let base = qualified(scopes, object, src, scope)?;
            Some(format!("{base}.{}", &src[attr.byte_range()]))
        }
        "parenthesized_expression" => {
            let inner = node.named_child(0)?;
            qualified(scopes, inner, src, scope)
        }
        _ => None,
    }
}

/// A plain string literal: its value and the quote character it uses.
struct StringLit {
    value: String,
    quote: char,
}

/// The value of a string node (or implicit concatenation of them) without
/// interpolation or escapes; `None` otherwise.
fn string_literal(node: Node, src: &str) -> Option<StringLit> {
    if node.kind_name() == "concatenated_string" {
        let mut cursor = node.walk();
        let mut parts = node
            .named_children(&mut cursor)
            .filter(|n| n.kind_name() != "comment")
            .map(|n| string_literal(n, src));
        let first = parts.next()??;
        let mut value = first.value;
        for part in parts {
            value.push_str(&part?.value);
        }
        return Some(StringLit {
            value,
            quote: first.quote,
        });
    }
    if node.kind_name() != "string" {
        return None;
    }
    let mut cursor = node.walk();
    let mut value = String::new();
    let mut quote = '"';
    for child in node.children(&mut cursor) {
        let text = &src[child.byte_range()];
        match child.kind_name() {
            "string_start" => {
                quote = text.chars().find(|c| *c == '"' || *c == '\'')?;
            }
            "string_content" => {
                if text.contains('\\') || child.named_child_count() > 0 {
                    return None;
                }
                value.push_str(text);
            }
            "string_end" => {}
            _ => return None,
        }
    }
    Some(StringLit { value, quote })
}

/// True inside `f"{expr=}"`, whose output includes the expression's source text.
fn in_self_documenting_fstring(parents: &Parents, node: Node) -> bool {
    let mut current = parents.of(node);
    while let Some(n) = current {
        match n.kind_name() {
            "interpolation" => {
                let mut cursor = n.walk();
                let has_eq = n.children(&mut cursor).any(|c| c.kind_name() == "=");
                return has_eq;
            }
            "string" | "module" | "block" => return false,
            _ => current = parents.of(n),
        }
    }
    false
}

fn escape(s: &str, quote: char) -> String {
    s.replace('\\', "\\\\")
        .replace(quote, &format!("\\{quote}"))
}

fn is_identifier(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
        "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
        "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
        "try", "while", "with", "yield",
    ];
    s.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// Whether `node` sits where any expression may stand without parentheses: a whole
/// statement, an assigned or returned value, an argument, an element of a list or dict.
fn holds_any_expression(parents: &Parents, node: Node) -> bool {
    let Some(parent) = parents.of(node) else {
        return false;
    };
    match parent.kind_name() {
        "expression_statement"
        | "return_statement"
        | "argument_list"
        | "list"
        | "parenthesized_expression" => true,
        "assignment" | "augmented_assignment" => parent.field("right") == Some(node),
        "keyword_argument" | "pair" => parent.field("value") == Some(node),
        _ => false,
    }
}

fn has_comment(node: Node) -> bool {
    if node.kind_name() == "comment" {
        return true;
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.children(&mut cursor).collect();
    children.into_iter().any(has_comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every node of a tree as (kind, bytes, row and column), in order.
    fn nodes(tree: &Tree) -> Vec<(String, Range<usize>, (usize, usize))> {
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(node) = stack.pop() {
            let p = node.start_position();
            out.push((
                node.kind_name().to_string(),
                node.byte_range(),
                (p.row, p.column),
            ));
            let mut cursor = node.walk();
            let children: Vec<Node> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
        out
    }

    fn plain(text: &str) -> Tree {
        let mut p = Parser::new();
        p.set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        p.parse(text, None).unwrap()
    }

    fn comments(n: usize, indent: &str) -> String {
        (0..n).map(|i| format!("{indent}# note {i}\n")).collect()
    }

    #[test]
    fn long_comment_runs_keep_their_first_and_last_lines() {
        let text = format!(
            "import os\n{}x = 1\n{}y = 2\n",
            comments(40, ""),
            comments(3, "")
        );
        let runs = quiet_runs(&text);
        assert_eq!(runs.len(), 1, "the run of 3 stays");
        let first_end = text.find("# note 1\n").unwrap();
        let last_start = text.find("# note 39\n").unwrap();
        assert_eq!(runs[0], first_end..last_start);
        // Blank lines belong to a run; a comment with a quote, a brace or `isort`, or
        // a line of code, ends it.
        for breaker in [
            "# it's\n",
            "# {x}\n",
            "# isort: split\n",
            "z = 3\n",
            "# a \\\n",
        ] {
            let text = format!("{}{breaker}{}", comments(10, ""), comments(10, ""));
            assert!(quiet_runs(&text).is_empty(), "{breaker:?}");
        }
        let text = format!("{}\n   \n{}", comments(10, ""), comments(10, "    "));
        assert_eq!(quiet_runs(&text).len(), 1);
    }

    #[test]
    fn left_out_comments_change_no_other_node() {
        let cases = [
            // Comments between methods at the class's indentation, deeper, and at the
            // module's: they decide where the blocks end.
            format!(
                "class A:\n    def f(self):\n        return 1\n{}    def g(self):\n        pass\n{}x = 1\n{}",
                comments(30, "    "),
                comments(30, ""),
                comments(30, "        "),
            ),
            // Comment-like lines inside strings, an f-string and brackets.
            format!(
                "s = '''\n{}'''\nt = f\"\"\"{{a}}\n{}\"\"\"\nu = [\n    1,\n{}    2,\n]\n",
                comments(30, ""),
                comments(30, "  "),
                comments(30, "    "),
            ),
            // CRLF line endings, and a last line without one.
            format!(
                "if x:\r\n    y = 1\r\n{}z = 2",
                comments(30, "    ").replace('\n', "\r\n")
            ),
        ];
        for text in &cases {
            assert!(!quiet_runs(text).is_empty(), "{text}");
            let ours = nodes(&parse(text).unwrap());
            let theirs = nodes(&plain(text));
            let code = |n: &Vec<(String, Range<usize>, (usize, usize))>| {
                n.iter()
                    .filter(|(k, _, _)| k != "comment")
                    .cloned()
                    .collect::<Vec<_>>()
            };
            assert_eq!(code(&ours), code(&theirs), "{text}");
            let ours_comments: Vec<_> = ours.iter().filter(|n| n.0 == "comment").collect();
            assert!(ours_comments.len() >= 2, "{text}");
            for c in ours_comments {
                assert!(theirs.contains(c), "{c:?}");
            }
            assert_eq!(
                parse(text).unwrap().root_node().has_error(),
                plain(text).root_node().has_error()
            );
        }
    }

    #[test]
    fn the_lexer_reads_a_comment_block_about_once() {
        let lexed = |n: usize| {
            let text = format!("import os\nx = os.getenv('A')\n{}", comments(n, ""));
            crate::stats::take_work();
            parse(&text).unwrap();
            (
                crate::stats::take_work().python_lexed_bytes,
                text.len() as u64,
            )
        };
        let (small, small_len) = lexed(2_000);
        let (big, big_len) = lexed(8_000);
        assert!(small >= small_len / 20, "{small} of {small_len}");
        assert!(
            big <= 4 * small + small / 2,
            "{big} for 4x the text, {small} before"
        );
        assert!(big <= 2 * big_len, "{big} of {big_len}");
    }
}
