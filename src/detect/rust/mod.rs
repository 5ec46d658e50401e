//! Rust: environment reads (`std::env::var`, `env!`, …) found with syn and resolved
//! through `use` items, driven by the rules in `rules/rust.toml`; each read with a
//! literal name gets a rewrite to the configured loader, edited into the text as it is
//! (never reformatted). Also the variables the file writes (`writes`), for the
//! hand-off pass. Never writes files.

mod clippy;
mod lex;
mod lints;
mod place;
mod rustfmt;
mod scope;
mod uses;
mod usetree;
mod walk;
mod writes;

use std::borrow::Cow;
use std::ops::Range;

use syn::visit::Visit;

use crate::Context;
use crate::config::{EnvScope, RustStyle};
use crate::detect::env;
use crate::detect::{Analysis, Finding, Fix, LoaderRead};
use crate::fix::Edit;
use crate::rules::{CompiledEnvRule, EnvRules, FixKind};
use crate::source::SourceFile;

use scope::{BindingKind, Scopes};
use walk::{Key, Module, Presence, RawRead, ReadKind, Walker};

/// 1 when `text` does not parse as a Rust file, else 0.
pub fn error_nodes(text: &str) -> usize {
    let broken = lex::too_deep(text) || syn::parse_file(&parseable(text).0).is_err();
    forget_spans();
    usize::from(broken)
}

/// proc-macro2 keeps the text of every parsed file in a thread-local map for span
/// lookups; a long-lived worker thread would keep them all. Clear it after each file
/// (no span of that file may be used afterwards).
fn forget_spans() {
    proc_macro2::extra::invalidate_current_thread_spans();
}

/// Finds the environment reads of one Rust file; with `want_import`, also works out
/// the loader import for secret fixes from the same parse (`Analysis::rust_import`).
pub fn analyze(file: &SourceFile, ctx: &Context, want_import: bool) -> Analysis {
    let rules = &ctx.rules.rust;
    let src = file.text.as_str();
    let loader_named = ctx.inventory && src.contains(loader_name(ctx));
    let reads = might_read(src, rules) || loader_named;
    let writes = might_write(src);
    let want_import = want_import && ctx.config.rust.style != RustStyle::Path;
    if !reads && !writes && !want_import {
        return Analysis::default();
    }
    if lex::too_deep(src) {
        // Generated code; parsing it could exhaust the stack (rayon's 64 MiB too).
        return Analysis {
            incomplete: reads.then(|| {
                format!(
                    "brackets nest deeper than {} levels (or an expression chains over {} operators): not parsed, environment reads not checked",
                    lex::MAX_NESTING,
                    lex::MAX_CHAIN
                )
            }),
            rust_import: want_import.then(|| Err("the file is nested too deeply to parse".into())),
            ..Analysis::default()
        };
    }
    let (text, frontmatter_end) = parseable(src);
    // The items that matter, then (when they parse) the whole file, so that the note on
    // a file that does not parse is about the whole file.
    let items = lex::items(&text, lex::shebang_end(&text));
    let partial = ctx
        .partial_parse
        .then(|| relevant(&text, &items, &words(&text, &items, rules, ctx)))
        .flatten();
    let parsed = match partial {
        Some(relevant) => syn::parse_file(&relevant).or_else(|_| syn::parse_file(&text)),
        None => syn::parse_file(&text),
    };
    let mut analysis = match parsed {
        Ok(ast) => {
            // syn strips a `#!` line before parsing; spans are relative to the text
            // after it.
            let off = ast.shebang.as_ref().map_or(0, String::len);
            let mut walker = Walker::new(&text, off.max(frontmatter_end), off, rules);
            walker.visit_file(&ast);
            walker.scopes.file_module = scope::file_module(&file.path);
            walker.scopes.module_names = walker
                .modules
                .iter()
                .filter_map(|m| Some((m.scope, m.name.clone()?)))
                .collect();
            let too_deep = walker.too_deep;
            let mut analysis = if reads {
                analyze_file(file, &text, off, &walker, ctx)
            } else {
                Analysis::default()
            };
            if want_import {
                analysis.rust_import = Some(import_in(file, &text, &walker, ctx));
            }
            if writes {
                analysis.env_writes = writes::env_writes(&file.path, &walker);
            }
            if too_deep && reads {
                analysis.incomplete = Some(crate::detect::too_deep(walk::MAX_DEPTH));
            }
            analysis
        }
        // syn does not recover from errors: no findings, and nothing to fix.
        Err(e) => {
            let at = e.span().start();
            Analysis {
                error_nodes: 1,
                note: reads.then(|| {
                    format!(
                        "does not parse as Rust ({e} at {}:{}): environment reads not checked",
                        at.line,
                        at.column + 1
                    )
                }),
                rust_import: want_import.then(|| Err("the file does not parse".into())),
                ..Analysis::default()
            }
        }
    };
    analysis.parsed = reads || writes;
    forget_spans();
    analysis
}

/// The edit that puts the loader's `use` at the top of the file (`None` when the file
/// has it, or calls the full path), or why its name cannot be used there. For fixes
/// other than environment reads (a secret literal in a `let`).
pub fn loader_import(file: &SourceFile, ctx: &Context) -> Result<Option<Edit>, String> {
    if ctx.config.rust.style == RustStyle::Path {
        return Ok(None);
    }
    analyze(file, ctx, true).rust_import.unwrap_or(Ok(None))
}

/// The edit that adds `line` (a `use` a rewrite template needs) at the top of the file
/// (`None` when the file has it), or why it cannot be added.
pub fn import_edit(file: &SourceFile, line: &str) -> Result<Option<Edit>, String> {
    let item = crate::config::RustUse::parse(line).ok_or("not a `use` item")?;
    let (text, frontmatter_end) = parseable(&file.text);
    if lex::too_deep(&text) {
        return Err("the file is nested too deeply to parse".into());
    }
    let result = match syn::parse_file(&text) {
        Ok(ast) => {
            let off = ast.shebang.as_ref().map_or(0, String::len);
            // The `use` items and modules are what matter here, not the rules.
            let rules = crate::rules::RuleSet::embedded();
            let mut walker = Walker::new(&text, off.max(frontmatter_end), off, &rules.rust);
            walker.visit_file(&ast);
            use_in(file, &text, &walker, &item, true)
        }
        Err(_) => Err("the file does not parse".into()),
    };
    forget_spans();
    result
}

/// `loader_import` on a walked file.
fn import_in(
    file: &SourceFile,
    text: &str,
    walker: &Walker,
    ctx: &Context,
) -> Result<Option<Edit>, String> {
    let rust = &ctx.config.rust;
    use_in(
        file,
        text,
        walker,
        &rust.use_item,
        !rust.call.contains("::"),
    )
}

/// The edit that puts `item` at the top of a walked file, unless it is there; `value`:
/// its name is looked up as a value (a function), else as a type or module.
fn use_in(
    file: &SourceFile,
    text: &str,
    walker: &Walker,
    item: &crate::config::RustUse,
    value: bool,
) -> Result<Option<Edit>, String> {
    let wanted = item.path.trim_start_matches("::");
    let bound = &item.bound;
    match walker.scopes.lookup(bound, 0, text.len(), value) {
        Some((_, b)) if b.kind == scope::BindingKind::Use(wanted.to_string()) => Ok(None),
        Some((_, b)) => Err(format!(
            "`{bound}` is already bound to something else in this module (line {})",
            file.position(b.pos).line
        )),
        None => Ok(walker.modules.iter().find(|m| m.scope == 0).map(|m| {
            let fmt = rustfmt::settings_for(&file.path);
            uses::insertion(file, m, &item.line, &fmt)
        })),
    }
}

/// The name a call of the configured loader ends with (`get_config_value`).
fn loader_name(ctx: &Context) -> &str {
    let call = &ctx.config.rust.call;
    call.rsplit("::").next().unwrap_or(call)
}

/// Whether any rule can match: every segment of a target (`std`, `env`, `var`) or a
/// macro's name appears in the text as a whole word (a path, a `use` item and an alias
/// all spell the segments as identifiers; `variant` or `environment` do not count).
/// A cheap test that spares most files a parse.
fn might_read<'a>(src: &str, rules: &'a EnvRules) -> bool {
    // Targets share segments (`std`, `env`): each is looked for once.
    let mut seen: Vec<(&str, bool)> = Vec::new();
    let mut present = |seg: &'a str| match seen.iter().find(|(s, _)| *s == seg) {
        Some(&(_, found)) => found,
        None => {
            let found = has_word(src, seg, false);
            seen.push((seg, found));
            found
        }
    };
    // A path in the crate itself (`crate::util::env_or`) may be called from its own
    // module or through a glob, where only its last segment is written.
    let segments = |t: &'a String| match t.strip_prefix("crate::") {
        Some(rest) => rest.rsplit("::").take(1).collect::<Vec<_>>(),
        None => t.split("::").collect(),
    };
    rules
        .calls
        .keys()
        .any(|t| segments(t).into_iter().all(&mut present))
        || rules.macros.keys().any(|m| has_word(src, m, true))
}

/// Whether the file may write a variable: it names a write's function, or a process
/// builder and its `env` / `envs` method.
fn might_write(src: &str) -> bool {
    let word = |w: &&str| has_word(src, w, false);
    let [builder, methods @ ..] = writes::BUILDER_WORDS;
    (word(&builder) && methods.iter().any(word)) || writes::FUNCTIONS.iter().any(word)
}

/// `word` occurs in `src` with no identifier character right before or after it; with
/// `bang`, followed by `!` (after spaces): a macro call (`env!`, `env !`), not `.env(…)`.
fn has_word(src: &str, word: &str, bang: bool) -> bool {
    let bytes = src.as_bytes();
    let ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    memchr::memmem::find_iter(bytes, word.as_bytes()).any(|at| {
        let before = at.checked_sub(1).and_then(|i| bytes.get(i));
        let end = at + word.len();
        let next = bytes[end..].iter().find(|b| !b.is_ascii_whitespace());
        !before.is_some_and(ident)
            && !bytes.get(end).is_some_and(ident)
            && (!bang || next == Some(&b'!'))
    })
}

/// What makes a top-level item matter to the environment pass (see [`relevant`]).
struct Words<'a> {
    /// Held as a whole word: the last segment of every target (`var`: however a read is
    /// written, through `use std::env;`, `use std::env::var;` or a glob, it spells
    /// that), the loader's name, a write's words (`writes::BUILDER_WORDS`' builder type,
    /// `writes::FUNCTIONS`), and every name a top-level `use` or `extern crate` renames
    /// something to (`as v`).
    plain: Vec<&'a str>,
    /// Held as a macro call (`env!`, not the `env` of `gctx.env()`): the macros' names.
    macros: Vec<&'a str>,
    /// Named by an item the item defines (`mod env`, `struct std`): the other
    /// segments of the targets, which such an item shadows.
    defined: Vec<&'a str>,
}

fn words<'a>(
    text: &'a str,
    items: &[lex::Item],
    rules: &'a EnvRules,
    ctx: &'a Context,
) -> Words<'a> {
    // `std::env::var().is_ok()`: the path is `std::env::var`.
    let paths = || {
        rules
            .calls
            .keys()
            .map(|t| t.split_once('(').map_or(t.as_str(), |(path, _)| path))
    };
    let mut plain: Vec<&str> = paths().filter_map(|t| t.rsplit("::").next()).collect();
    plain.push(loader_name(ctx));
    plain.push(writes::BUILDER_WORDS[0]);
    plain.extend(writes::FUNCTIONS);
    let bytes = text.as_bytes();
    let ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    for item in items.iter().filter(|i| i.uses) {
        let item_text = &text[item.range.clone()];
        for at in memchr::memmem::find_iter(item_text.as_bytes(), b"as") {
            let line_start = item_text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line = item_text[line_start..at].trim_start();
            if line.contains("//") || line.starts_with('*') {
                // A comment's "as the".
                continue;
            }
            let at = item.range.start + at;
            let after = &text[at + 2..];
            let name = after.trim_start();
            let len = name.bytes().take_while(ident).count();
            let spaced = after.len() > name.len();
            // `as _` binds no name.
            if spaced && len > 0 && &name[..len] != "_" && !(at > 0 && ident(&bytes[at - 1])) {
                plain.push(&name[..len]);
            }
        }
    }
    let mut defined: Vec<&str> = paths()
        .flat_map(|t| {
            let segments: Vec<&str> = t.split("::").collect();
            segments[..segments.len().saturating_sub(1)].to_vec()
        })
        .filter(|s| !s.is_empty())
        .collect();
    let mut macros: Vec<&str> = rules
        .macros
        .keys()
        .map(|m| m.trim_end_matches('!'))
        .collect();
    for list in [&mut plain, &mut macros, &mut defined] {
        list.sort_unstable();
        list.dedup();
    }
    Words {
        plain,
        macros,
        defined,
    }
}

/// `text` with the top-level items that cannot matter to the environment pass blanked
/// out (spaces, line breaks kept: every offset, line and column holds), so that syn
/// parses only the rest; `None` when every item matters. An item matters when it is
/// the first (it places the loader's `use`), a `use` or `extern` item (bindings,
/// globs, where a `use` goes), or holds one of `words` in its code (not in a string or
/// a comment): a read, a write, or a name that could shadow one. Items with non-ASCII
/// text are kept, so that columns counted in characters hold too.
fn relevant(text: &str, items: &[lex::Item], words: &Words) -> Option<String> {
    let mut bytes: Option<Vec<u8>> = None;
    let holds_word = |text: &str| {
        words.plain.iter().any(|w| has_word(text, w, false))
            || words.macros.iter().any(|w| has_word(text, w, true))
            || words.defined.iter().any(|w| defines(text, w))
    };
    for item in items.iter().skip(1).filter(|i| !i.uses) {
        let item_text = &text[item.range.clone()];
        // A word in a string or a comment (a test's source written into a project, a
        // doc comment) reads nothing: only the item's code counts.
        if !item_text.is_ascii() || holds_word(item_text) && holds_word(&lex::code_only(item_text))
        {
            continue;
        }
        blank(&mut bytes.get_or_insert_with(|| text.as_bytes().to_vec())[item.range.clone()]);
        crate::stats::work(|w| w.rust_bytes_blanked += item.range.len() as u64);
    }
    bytes.map(|b| String::from_utf8(b).expect("only ASCII bytes were replaced, by spaces"))
}

/// Whether `text` defines an item named `name` (`mod env`, `pub struct std;`): the
/// item kinds the walker binds a name for, which shadow a path's segment.
fn defines(text: &str, name: &str) -> bool {
    const KINDS: &[&str] = &[
        "const", "enum", "fn", "mod", "static", "struct", "trait", "type", "union",
    ];
    let bytes = text.as_bytes();
    let ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    memchr::memmem::find_iter(bytes, name.as_bytes()).any(|at| {
        let end = at + name.len();
        if at.checked_sub(1).is_some_and(|i| ident(&bytes[i])) || bytes.get(end).is_some_and(ident)
        {
            return false;
        }
        let before = text[..at].trim_end();
        // `r#env` is `env`.
        let before = before.strip_suffix("r#").unwrap_or(before).trim_end();
        KINDS.iter().any(|k| {
            before
                .strip_suffix(k)
                .is_some_and(|rest| !rest.bytes().last().is_some_and(|b| ident(&b)))
        })
    })
}

/// Replaces every byte but line breaks with a space: the text is gone, its offsets,
/// lines and (in ASCII) columns stay.
fn blank(bytes: &mut [u8]) {
    for b in bytes.iter_mut().filter(|b| !matches!(**b, b'\n' | b'\r')) {
        *b = b' ';
    }
}

/// The text syn parses: `src` with a cargo-script frontmatter blanked out (same length,
/// so every offset holds), and where that frontmatter ends (0 without one).
fn parseable(src: &str) -> (Cow<'_, str>, usize) {
    let Some(range) = lex::frontmatter(src) else {
        return (Cow::Borrowed(src), 0);
    };
    let mut bytes = src.as_bytes().to_vec();
    blank(&mut bytes[range.clone()]);
    let text = String::from_utf8(bytes).expect("every replaced byte is an ASCII space");
    (Cow::Owned(text), range.end)
}

/// `src` is the file's text as syn parsed it (see `parseable`), `off` where syn's
/// spans start in it, and `walker` has visited the file.
fn analyze_file(
    file: &SourceFile,
    src: &str,
    off: usize,
    walker: &Walker,
    ctx: &Context,
) -> Analysis {
    let rules = &ctx.rules.rust;
    let detector = Detector {
        file,
        ctx,
        scopes: &walker.scopes,
        modules: &walker.modules,
        build_script: file.path.file_name().is_some_and(|n| n == "build.rs"),
        defaulted: &walker.defaulted,
        presence: &walker.presence,
        fmt: std::cell::OnceCell::new(),
    };
    let mut analysis = Analysis::default();
    if ctx.inventory {
        analysis.loader_reads = walker
            .reads
            .iter()
            .filter_map(|read| detector.loader_read(read))
            .collect();
    }
    let mut root_import = false;
    // The callee of each read a fix rewrites, with its finding.
    let mut fixed: Vec<(usize, Range<usize>)> = Vec::new();
    for read in &walker.reads {
        let Some((rule, presence)) = detector.rule(read) else {
            continue;
        };
        if let Some(finding) = detector.finding(read, rule, presence) {
            root_import |= finding.fix.as_ref().is_some_and(|f| f.needs_import);
            if let (Some(_), ReadKind::Call { callee, .. }) = (&finding.fix, &read.kind) {
                fixed.push((analysis.findings.len(), callee.clone()));
            }
            analysis.findings.push(finding);
        }
    }
    let stale = (!walker.lint_nodes.is_empty() && !fixed.is_empty()).then(|| {
        let cx = lints::Context {
            file,
            scopes: &walker.scopes,
            rules,
            disallowed: &clippy::disallowed_for(&file.path),
            fmt: detector.fmt(),
        };
        let callees: Vec<Range<usize>> = fixed.iter().map(|(_, c)| c.clone()).collect();
        lints::stale(&cx, &walker.lint_nodes, &callees)
    });
    if let Some(stale) = &stale {
        for (k, edits) in &stale.fix_edits {
            if let Some(fix) = analysis.findings[fixed[*k].0].fix.as_mut() {
                fix.edits.extend(edits.iter().cloned());
            }
        }
    }
    if analysis.findings.iter().any(|f| f.fix.is_some()) {
        if root_import {
            let root = walker.modules.iter().find(|m| m.scope == 0);
            analysis.plan.import = root
                .map(|m| uses::insertion(file, m, &ctx.config.rust.use_item.line, detector.fmt()));
        }
        if ctx.applies_fixes {
            let absolute = |path: &str| walker.scopes.absolute_use(path, 0);
            // The names the `use` items that a fix may leave unused bind.
            let names: Vec<&str> = walker
                .uses
                .iter()
                .filter(|item| uses::on_the_way(item, rules, &absolute))
                .flat_map(|item| item.names.iter().filter_map(|n| n.bound.as_deref()))
                .collect();
            let idents = uses::idents(&src[off..], off, &names);
            let refs = uses::Refs {
                idents: &idents,
                use_path_idents: &walker.use_path_idents,
            };
            let inserts: Vec<usize> = analysis
                .plan
                .import
                .iter()
                .chain(
                    analysis
                        .findings
                        .iter()
                        .flat_map(|f| f.fix.iter().flat_map(|x| &x.edits)),
                )
                .filter(|e| e.range.is_empty())
                .map(|e| e.range.start)
                .collect();
            (analysis.plan.imports, analysis.plan.rewrites) = uses::removable(
                file,
                &walker.uses,
                &walker.modules,
                &refs,
                rules,
                detector.fmt(),
                &inserts,
                &absolute,
            );
            if let Some(stale) = stale {
                let base = analysis.plan.imports.len();
                analysis.plan.imports.extend(stale.stmts);
                let rewrites = stale.rewrites.into_iter().map(|mut r| {
                    r.stmt += base;
                    r
                });
                analysis.plan.rewrites.extend(rewrites);
            }
        }
    }
    analysis
}

struct Detector<'a> {
    file: &'a SourceFile,
    ctx: &'a Context,
    scopes: &'a Scopes,
    modules: &'a [Module],
    build_script: bool,
    defaulted: &'a std::collections::HashSet<usize>,
    presence: &'a std::collections::HashMap<usize, Presence>,
    /// The file's rustfmt settings, read when a `use` is first placed.
    fmt: std::cell::OnceCell<std::sync::Arc<rustfmt::Settings>>,
}

impl Detector<'_> {
    fn fmt(&self) -> &rustfmt::Settings {
        self.fmt
            .get_or_init(|| rustfmt::settings_for(&self.file.path))
    }

    /// A call of the configured loader with a literal key: `get_config_value("x")`
    /// through its `use`, or by its full path.
    fn loader_read(&self, read: &RawRead) -> Option<LoaderRead> {
        let ReadKind::Call {
            segments,
            leading_colon,
            ..
        } = &read.kind
        else {
            return None;
        };
        let Key::Literal { value, .. } = &read.key else {
            return None;
        };
        let rs = &self.ctx.config.rust;
        let wanted = rs.use_item.path.trim_start_matches("::");
        let written = segments.join("::");
        let direct = written == wanted || written == rs.call.trim_start_matches("::");
        let through_use = !leading_colon
            && segments.split_first().is_some_and(|(first, rest)| {
                let value = rest.is_empty();
                match self
                    .scopes
                    .lookup(first, read.scope, read.span.start, value)
                {
                    Some((_, b)) => match &b.kind {
                        BindingKind::Use(path) => {
                            let mut full = path.clone();
                            for s in rest {
                                full.push_str("::");
                                full.push_str(s);
                            }
                            full.trim_start_matches("::") == wanted
                        }
                        _ => false,
                    },
                    None => false,
                }
            });
        (direct || through_use).then(|| LoaderRead {
            key: value.clone(),
            span: read.span.clone(),
            has_default: read.args > 1 || self.defaulted.contains(&read.span.start),
        })
    }

    /// The rule a call or macro falls under, once its path is resolved: a presence
    /// check's (`PATH().is_ok()` among the targets) when the call's result is only asked
    /// whether it holds a value, with that method call.
    fn rule(&self, read: &RawRead) -> Option<(&CompiledEnvRule, Option<&Presence>)> {
        let rules = &self.ctx.rules.rust;
        match &read.kind {
            ReadKind::Macro { name } => rules.macros.get(name).map(|r| (r, None)),
            ReadKind::Call {
                segments,
                leading_colon,
                ..
            } => {
                let known = |q: &str| rules.calls.contains_key(q);
                let qualified = self.scopes.qualified(
                    segments,
                    *leading_colon,
                    read.scope,
                    read.span.start,
                    &known,
                )?;
                let presence = self.presence.get(&read.span.start).and_then(|p| {
                    let target = format!("{qualified}().{}()", p.method);
                    rules.calls.get(&target).map(|r| (r, Some(p)))
                });
                presence.or_else(|| rules.calls.get(&qualified).map(|r| (r, None)))
            }
        }
    }

    /// Classifies a read and builds its finding (and fix), or drops it.
    fn finding(
        &self,
        read: &RawRead,
        rule: &CompiledEnvRule,
        presence: Option<&Presence>,
    ) -> Option<Finding> {
        let env_cfg = &self.ctx.config.env;
        let compile_time = matches!(read.kind, ReadKind::Macro { .. });
        let (name, lit_range) = match &read.key {
            Key::Literal { value, range } => (value, range),
            Key::Missing => return None,
            Key::Computed => {
                if env_cfg.scope == EnvScope::Secrets {
                    return None;
                }
                return Some(Finding::dynamic_read(rule.dynamic_rule, read.span.clone()));
            }
        };
        let class = env::classify(name, env_cfg);
        let severity = env::reported(class, self.ctx)?;
        let key = env::config_key(name, env_cfg);
        let what = env::describe(name, class);
        let message = if compile_time {
            format!(
                "{what} is read from the build environment at compile time and baked into the binary"
            )
        } else {
            env::read_message(name, class)
        };
        let (fix, no_fix_reason) = match self.build_fix(read, rule, lit_range, &key, presence) {
            Ok(fix) => (fix, None),
            Err(reason) => (None, Some(reason)),
        };
        let mut finding = Finding {
            rule: rule.id,
            severity,
            span: read.span.start..presence.map_or(read.span.end, |p| p.end),
            message,
            env_name: Some(name.clone()),
            config_key: Some(key),
            fix,
            no_fix_reason,
            help: None,
            secret: None,
            has_default: self.defaulted.contains(&read.span.start),
            role: None,
        };
        env::mark_platform(&mut finding, class);
        Some(finding)
    }

    fn build_fix(
        &self,
        read: &RawRead,
        rule: &CompiledEnvRule,
        lit_range: &Range<usize>,
        key: &str,
        presence: Option<&Presence>,
    ) -> Result<Option<Fix>, String> {
        let callee = match &read.kind {
            ReadKind::Call { callee, .. } => callee,
            ReadKind::Macro { name } => {
                return match rule.fix {
                    FixKind::None => Err(format!(
                        "`{name}!` is expanded at compile time; reading the value at run time instead is a change to make by hand"
                    )),
                    _ => Err(format!("`{name}!` cannot be rewritten to a function call")),
                };
            }
        };
        let Some(applicability) = rule.fix.applicability() else {
            return Ok(None);
        };
        if self.build_script {
            return Err(
                "a build script is a crate of its own and reads what Cargo sets; it cannot call the loader"
                    .into(),
            );
        }
        if let (Some(rewrite), None) = (&rule.rewrite, presence) {
            return self
                .template_fix(read, rule, rewrite, key, applicability)
                .map(Some);
        }
        if read.args != 1 {
            return Err("the call has arguments the rewrite cannot carry over".into());
        }
        let rs = &self.ctx.config.rust;
        let key_lit = format!("\"{}\"", escape(key));
        let mut edits = vec![
            Edit::replace(callee.clone(), rs.call.clone()),
            Edit::replace(lit_range.clone(), key_lit.clone()),
        ];
        let mut adapt = rule.adapt.unwrap_or("").to_string();
        if let Some(p) = presence {
            // The loader returns a `Result`, as `std::env::var` does: `var_os`'s
            // `Option` questions become its counterparts.
            let method = match p.method.as_str() {
                "is_some" => "is_ok",
                "is_none" => "is_err",
                other => other,
            };
            if method != p.method {
                edits.push(Edit::replace(p.method_range.clone(), method.to_string()));
            }
            adapt = format!(".{method}()");
        } else if !adapt.is_empty() {
            edits.push(Edit::insert(read.span.end, adapt.clone()));
        }
        let needs_import = rs.style == RustStyle::Use && self.loader_use(read, &mut edits)?;
        Ok(Some(Fix {
            title: format!("Replace with `{}({key_lit}){adapt}`", rs.call),
            applicability,
            edits,
            needs_import,
            gitignore: None,
            imports: Vec::new(),
        }))
    }

    /// The call replaced whole by its rule's template
    /// (`{call}({key}).unwrap_or_else(|_| {default}.to_string())`), with the template's
    /// `use` items to add once it is in.
    fn template_fix(
        &self,
        read: &RawRead,
        rule: &CompiledEnvRule,
        rewrite: &crate::rules::CompiledRewrite,
        key: &str,
        applicability: crate::detect::Applicability,
    ) -> Result<Fix, String> {
        let rs = &self.ctx.config.rust;
        let default_at = rule.default.as_ref().and_then(|d| d.position);
        if (1..read.args).any(|i| Some(i) != default_at) {
            return Err("the call has arguments the rewrite cannot carry over".into());
        }
        if lex::has_comment(&self.file.text[read.span.clone()]) {
            return Err("the read has a comment inside that the rewrite would lose".into());
        }
        let mut edits = Vec::new();
        let needs_import = rewrite.calls_loader()
            && rs.style == RustStyle::Use
            && self.loader_use(read, &mut edits)?;
        for line in &rewrite.imports {
            let item = crate::config::RustUse::parse(line)
                .ok_or_else(|| format!("`{line}` is not a `use` item"))?;
            let wanted = item.path.trim_start_matches("::");
            match self
                .scopes
                .lookup(&item.bound, read.scope, read.span.start, true)
            {
                Some((_, b)) if b.kind == BindingKind::Use(wanted.to_string()) => {}
                Some((_, b)) => {
                    return Err(format!(
                        "`{}` is already bound to something else (line {})",
                        item.bound,
                        self.file.position(b.pos).line
                    ));
                }
                None => {}
            }
            if self.scopes.scopes[read.scope].module != 0 {
                return Err(format!(
                    "the read is in an inline module, where `{line}` would have to go by hand"
                ));
            }
        }
        let key_lit = format!("\"{}\"", escape(key));
        let name = match &read.key {
            Key::Literal { value, .. } => format!("\"{}\"", escape(value)),
            _ => return Err("the variable name is not a literal".into()),
        };
        let default = default_at
            .and_then(|i| read.arg_ranges.get(i))
            .map(|r| &self.file.text[r.clone()]);
        let fill = |default| crate::rules::Filled {
            call: &rs.call,
            key: &key_lit,
            name: &name,
            default,
        };
        let mut text = rewrite.render(&fill(default))?;
        if rewrite.compound(default.is_some()) {
            // Where the read is in its expression is not known here: parenthesised, an
            // operator of the template cannot bind to its neighbours.
            text = format!("({text})");
        }
        let shown = rewrite.render(&fill(default.map(|_| "…")))?;
        edits.push(Edit::replace(read.span.clone(), text));
        Ok(Fix {
            title: format!("Replace with `{shown}`"),
            applicability,
            edits,
            needs_import,
            gitignore: None,
            imports: rewrite.imports.clone(),
        })
    }

    /// Brings the loader's name into scope for a fix of `read`: an edit that adds its
    /// `use` to an inline module goes into `edits`; true when the `use` goes at the top
    /// of the file (`FixPlan.import`).
    fn loader_use(&self, read: &RawRead, edits: &mut Vec<Edit>) -> Result<bool, String> {
        Ok(match self.loader_import(read)? {
            Import::Present => false,
            Import::Root => true,
            Import::Into(module) => {
                let line = &self.ctx.config.rust.use_item.line;
                edits.push(uses::insertion(self.file, module, line, self.fmt()));
                false
            }
        })
    }

    /// Whether the loader's name is usable where `read` is, or where its `use` goes.
    fn loader_import(&self, read: &RawRead) -> Result<Import<'_>, String> {
        let item = &self.ctx.config.rust.use_item;
        let bound = &item.bound;
        let wanted = item.path.trim_start_matches("::");
        let value = !self.ctx.config.rust.call.contains("::");
        let scope = read.scope;
        match self.scopes.lookup(bound, scope, read.span.start, value) {
            Some((_, b)) if b.kind == BindingKind::Use(wanted.to_string()) => {
                return Ok(Import::Present);
            }
            Some((at, b)) => {
                let line = self.file.position(b.pos).line;
                let here = if self.scopes.scopes[at].kind == scope::ScopeKind::Module {
                    "module"
                } else {
                    "scope"
                };
                return Err(format!(
                    "`{bound}` is already bound to something else in this {here} (line {line})"
                ));
            }
            None => {}
        }
        // The `use` goes into the module the read is in, or the one it glob-imports
        // from with `use super::*;`.
        let mut module = self.scopes.scopes[scope].module;
        while self.scopes.scopes[module].inherits_parent {
            match self.scopes.scopes[module].parent {
                Some(p) => module = self.scopes.scopes[p].module,
                None => break,
            }
        }
        if module == 0 {
            return Ok(Import::Root);
        }
        let info = self
            .modules
            .iter()
            .find(|m| m.scope == module)
            .ok_or("the read's module was not recorded")?;
        if item.path.starts_with("self::") || item.path.starts_with("super::") {
            return Err(format!(
                "the configured `{}` is relative to the file's module; it would mean something else in `mod {}`",
                item.line,
                info.name.as_deref().unwrap_or("?")
            ));
        }
        Ok(Import::Into(info))
    }
}

/// Where the loader's name comes from for one fix.
enum Import<'m> {
    /// Already imported where the read is.
    Present,
    /// The `use` goes at the top of the file (`FixPlan.import`).
    Root,
    /// The `use` goes into this inline module (an edit of the fix itself).
    Into(&'m Module),
}

/// Escapes a key for a plain string literal.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use crate::check::{analyze, converge};

    /// The items kept for the parse, by their first line.
    fn kept(text: &str) -> Vec<String> {
        let ctx = Context::new(Config::default());
        let items = super::lex::items(text, 0);
        let words = super::words(text, &items, &ctx.rules.rust, &ctx);
        let partial = super::relevant(text, &items, &words).unwrap_or_else(|| text.to_string());
        partial
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with(' '))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_items_that_can_hold_a_read_are_parsed() {
        let text = "\
//! Docs.
use std::env;
use std::io::Write as _;
/// The builder, as the tests spawn it.
use std::process::Command as Cmd;
fn config(gctx: &Gctx) -> Env { gctx.env().clone() }
fn token() -> Option<String> { env::var(\"API_TOKEN\").ok() }
fn home() { let the = 1; let _ = the; }
mod env;
pub(crate) struct r#std;
fn built() -> &'static str { env!(\"CARGO_PKG_NAME\") }
fn spawn() { Cmd::new(\"ls\").env(\"A\", \"1\"); }
fn set() { unsafe { std::env::set_var(\"A\", \"1\") } }
fn paths() -> std::path::PathBuf { std::path::PathBuf::new() }
fn environment() -> u8 { 1 }
";
        assert_eq!(
            kept(text),
            [
                "//! Docs.",
                "use std::env;",
                "use std::io::Write as _;",
                "/// The builder, as the tests spawn it.",
                "use std::process::Command as Cmd;",
                "fn token() -> Option<String> { env::var(\"API_TOKEN\").ok() }",
                "mod env;",
                "pub(crate) struct r#std;",
                "fn built() -> &'static str { env!(\"CARGO_PKG_NAME\") }",
                "fn spawn() { Cmd::new(\"ls\").env(\"A\", \"1\"); }",
                "fn set() { unsafe { std::env::set_var(\"A\", \"1\") } }",
            ]
        );
    }
    use crate::source::{Language, SourceFile};
    use crate::{Config, Context};

    /// The fuzz target `fix` runs every input on one thread, and proc-macro2 keeps the
    /// text of each parsed file in a thread-local map that spans are offsets into: after
    /// many files, on the same thread, a file with a shebang line (which syn strips
    /// before lexing) still gets its one read fixed once, and a second run fixes
    /// nothing. (The open bug the target reported came from its build, not from here:
    /// cargo-fuzz's `--cfg fuzzing` turns proc-macro2's span locations off.)
    #[test]
    fn spans_stay_right_after_many_files_on_one_thread() {
        let ctx = Context::new(Config::default());
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut inputs: Vec<_> = std::fs::read_dir(root.join("fixtures/rust"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        inputs.sort();
        assert!(inputs.len() > 20, "{inputs:?}");
        let shebang = root.join("tests/data/fuzz/fix-rust-shebang-comment.rs");
        inputs.insert(0, shebang.clone());
        inputs.push(shebang);
        for (i, path) in inputs.iter().enumerate() {
            let text = std::fs::read_to_string(path).unwrap();
            let file = SourceFile::new("src/config.rs".into(), Language::Rust, text);
            let first = analyze(&file, &ctx);
            let fixed = converge(&file, first, &ctx, true);
            let again = converge(&fixed.source, analyze(&fixed.source, &ctx), &ctx, true);
            assert_eq!(
                (again.fixes, &again.source.text),
                (0, &fixed.source.text),
                "{}: a second run fixed more",
                path.display()
            );
            if path.ends_with("fix-rust-shebang-comment.rs") {
                assert_eq!(fixed.reads_fixed, 1, "input {i}:\n{}", fixed.source.text);
                assert!(fixed.source.text.starts_with("#!/usr    // std::env::var"));
                assert_eq!(fixed.source.text.matches("get_config_value(").count(), 1);
            }
        }
    }
}
