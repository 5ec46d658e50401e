//! Which top-level statements of a Python file the parser needs, as the Rust front-end
//! parses only the items that can hold a read: a test module of 140 KB that sets one
//! variable in one fixture is one statement of interest and a hundred that are not.
//!
//! A module is a sequence of top-level statements, each starting at column 0 of a line
//! that is not inside brackets, a string or a continued line (`else:`, `elif`,
//! `except` and `finally` lines carry on the statement before; decorators belong to
//! what they decorate). Leaving whole statements out, from the start of one's first
//! line to the start of the next one's, leaves a module made of the others: the same
//! tokens, the same indentation, at the same offsets.
//!
//! A statement is kept when it can matter to what the detector finds:
//! - it holds one of the read words as a whole word, anywhere (a string too:
//!   `getattr(os, "environ")`): the segment after the module of a target's name
//!   (`getenv`, `environ`; a read through `os` names one), the loader's name, or a
//!   write's words ([`super::writes::may_write`]);
//! - it is an import (resolution reads every import; they are short), or comes before
//!   the statement after the last one (where a new import goes is read off the head);
//! - it binds at module level a name a target or a rule's words are made of (`os =
//!   None`, `def getenv(…)`): resolution sees every binding of the names it resolves;
//! - it names a variable that a kept statement binds at module level (`env =
//!   os.environ` kept, then `env["X"]` elsewhere), or binds at module level a
//!   variable a kept statement names (`extra = {…}`, then `run(cmd, env={**os.environ,
//!   **extra})`), and so on until nothing changes. A module (`os` of `import os`) and
//!   what an import that names no read word binds (`from os import path`) carry
//!   nothing: a read through them names a read word;
//! - for a fix only ([`LeftOut::imports`]): it names a module a target lives in (`os`),
//!   or a name an import from one binds: every use of an import that a fix may leave
//!   unused is then in the tree.
//!
//! In a kept class, the methods that cannot matter are left out too (see
//! [`methods_left_out`]): a test class of fifty methods with one read is one method.
//!
//! What cannot be told this way gives `None` (the whole file is parsed): text the
//! lexer does not follow, a `global` statement in a function that is left out (it binds
//! a module name from inside), and a statement left out whose parse could be deeper
//! than the detector walks (its `incomplete` note must not change).

use std::collections::HashSet;
use std::ops::Range;

use super::lex::{Lexer, is_word};

/// A logical line with more nesting tokens than this (operators, dots, brackets) could
/// parse deeper than the detector walks: a file that leaves one out is parsed whole.
/// Each such token adds at most a few levels to the tree (`MAX_DEPTH` is 5,000).
const DEEP_LINE: usize = 1_000;

/// A set of names (foldhash: the sets are built and asked for every statement of
/// every file parsed).
pub type Names<'a> = HashSet<&'a str, foldhash::fast::RandomState>;

/// One top-level statement: its text from its first line's start to the next one's.
#[derive(Debug)]
pub struct Statement {
    pub range: Range<usize>,
    /// `def NAME` or `class NAME` (after any decorators): only the name is bound at
    /// module level.
    pub def_name: Option<Range<usize>>,
    pub import: bool,
    /// Names the statement may bind at module level (a superset: assignment targets,
    /// `as` names, `for` targets, walrus targets, imported names, `global` names).
    pub bound: Vec<Range<usize>>,
    /// Holds `global` (in a function: binds a module name from inside).
    pub global: bool,
    /// A logical line with more than [`DEEP_LINE`] nesting tokens.
    pub deep: bool,
    /// Starts a `class` (after any decorators).
    pub class: bool,
    /// Logical lines but decorators.
    pub code_lines: usize,
}

/// What a logical line's token is, for finding what it binds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    Name,
    /// `=` and the augmented assignments (`+=`, …).
    Assign,
    Walrus,
    Colon,
    Comma,
    /// Any other operator, a dot or a bracket.
    Nest,
    Other,
}

/// Python's keywords (not the soft ones: `match`, `case`, `type` and `_` may be names).
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Keywords that nest an expression (count toward [`DEEP_LINE`]).
const NESTING_KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "is", "if", "else", "lambda", "await", "yield",
];

fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Operators, longest first within each length.
const OPS3: &[&[u8]] = &[b"**=", b"//=", b">>=", b"<<=", b"..."];
const OPS2: &[&[u8]] = &[
    b"==", b"!=", b"<=", b">=", b":=", b"+=", b"-=", b"*=", b"/=", b"%=", b"@=", b"&=", b"|=",
    b"^=", b"->", b"**", b"//", b"<<", b">>",
];

/// The top-level statements of `text`, in order, covering it; `None` when the lexer
/// cannot follow it (an unterminated string, unbalanced brackets).
pub fn statements(text: &str) -> Option<Vec<Statement>> {
    split(text, 0..text.len(), 0)
}

/// The statements of the block in `range` whose statements start `indent` bytes into a
/// line (the first one: at `range.start`, a class's header when `indent` is not 0).
fn split(text: &str, range: Range<usize>, indent: usize) -> Option<Vec<Statement>> {
    let bytes = &text.as_bytes()[..range.end];
    let mut lexer = Lexer {
        bytes,
        at: range.start,
    };
    let mut out: Vec<Statement> = Vec::new();
    let mut current = Statement::starting(range.start);
    let mut line: Vec<(Tok, Range<usize>)> = Vec::new();
    let mut first_line = true;
    let mut depth = 0usize;
    while lexer.at < bytes.len() {
        let at = lexer.at;
        match bytes[at] {
            b'#' => lexer.skip_line(),
            b'\\' if matches!(bytes.get(at + 1), Some(b'\n' | b'\r')) => {
                // A continued line.
                lexer.at += if bytes.get(at + 1..at + 3) == Some(b"\r\n") {
                    3
                } else {
                    2
                };
            }
            b'\n' => {
                lexer.at += 1;
                if depth > 0 {
                    continue;
                }
                if !line.is_empty() {
                    current.take_line(text, &line, first_line);
                    first_line = false;
                    line.clear();
                }
                let next = lexer.at;
                if starts_statement(bytes, next, indent) {
                    let done = std::mem::replace(&mut current, Statement::starting(next));
                    out.push(done.ending(next));
                    first_line = true;
                }
            }
            b'\'' | b'"' => {
                lexer.string(at)?;
                line.push((Tok::Other, at..lexer.at));
            }
            b if is_word(b) => {
                lexer.word();
                if matches!(bytes.get(lexer.at), Some(b'\'' | b'"')) {
                    // A string's prefix.
                    let quote = lexer.at;
                    lexer.string(quote)?;
                    line.push((Tok::Other, at..lexer.at));
                } else if b.is_ascii_digit() {
                    line.push((Tok::Other, at..lexer.at));
                } else {
                    line.push((Tok::Name, at..lexer.at));
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                lexer.at += 1;
                line.push((Tok::Nest, at..at + 1));
            }
            b')' | b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                lexer.at += 1;
                line.push((Tok::Other, at..at + 1));
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => lexer.at += 1,
            _ => {
                let rest = &bytes[at..];
                let len = if OPS3.iter().any(|op| rest.starts_with(op)) {
                    3
                } else if OPS2.iter().any(|op| rest.starts_with(op)) {
                    2
                } else {
                    1
                };
                let op = &rest[..len];
                let tok = match op {
                    b"=" => Tok::Assign,
                    b":=" => Tok::Walrus,
                    b":" => Tok::Colon,
                    b"," => Tok::Comma,
                    b"==" | b"!=" | b"<=" | b">=" => Tok::Nest,
                    _ if len > 1 && op.ends_with(b"=") => Tok::Assign,
                    _ => Tok::Nest,
                };
                lexer.at += len;
                line.push((tok, at..at + len));
            }
        }
    }
    if depth > 0 {
        return None;
    }
    if !line.is_empty() {
        current.take_line(text, &line, first_line);
    }
    out.push(current.ending(bytes.len()));
    Some(merge_decorators(text, out, indent))
}

/// Whether a statement of a block indented `indent` bytes starts at `at` (a line
/// start): code at that column that does not carry on the statement before.
fn starts_statement(bytes: &[u8], at: usize, indent: usize) -> bool {
    let Some(lead) = bytes.get(at..at + indent) else {
        return false;
    };
    if !lead.iter().all(|&b| matches!(b, b' ' | b'\t')) {
        return false;
    }
    let at = at + indent;
    let Some(&b) = bytes.get(at) else {
        return false;
    };
    if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'#' | b'\x0c' | b'\\') {
        return false;
    }
    let word_end = bytes[at..]
        .iter()
        .position(|&c| !is_word(c))
        .map_or(bytes.len(), |i| at + i);
    !matches!(
        &bytes[at..word_end],
        b"else" | b"elif" | b"except" | b"finally"
    )
}

/// Decorators and what they decorate are one statement.
fn merge_decorators(text: &str, statements: Vec<Statement>, indent: usize) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::with_capacity(statements.len());
    let mut open = false;
    for st in statements {
        match out.last_mut() {
            Some(last) if open => {
                last.range.end = st.range.end;
                last.def_name = st.def_name;
                last.import = st.import;
                last.bound.extend(st.bound);
                last.global |= st.global;
                last.deep |= st.deep;
                last.class = st.class;
                last.code_lines += st.code_lines;
            }
            _ => out.push(st),
        }
        // Decorator lines alone so far: what they decorate comes next.
        let last = out.last().expect("pushed or merged");
        open = text.as_bytes().get(last.range.start + indent) == Some(&b'@')
            && last.def_name.is_none();
    }
    out
}

impl Statement {
    fn starting(at: usize) -> Statement {
        Statement {
            range: at..at,
            def_name: None,
            import: false,
            bound: Vec::new(),
            global: false,
            deep: false,
            class: false,
            code_lines: 0,
        }
    }

    fn ending(mut self, at: usize) -> Statement {
        self.range.end = at;
        self
    }

    /// What one logical line adds: the names it may bind at module level, and whether
    /// it starts a `def`, a `class` or an import (when it is the statement's first).
    fn take_line(&mut self, text: &str, line: &[(Tok, Range<usize>)], first: bool) {
        let word = |i: usize| -> Option<&str> {
            line.get(i)
                .filter(|(t, _)| *t == Tok::Name)
                .map(|(_, r)| &text[r.clone()])
        };
        let nesting = line
            .iter()
            .filter(|(t, r)| {
                *t == Tok::Nest || (*t == Tok::Name && NESTING_KEYWORDS.contains(&&text[r.clone()]))
            })
            .count();
        self.deep |= nesting > DEEP_LINE;
        let head = if word(0) == Some("async") { 1 } else { 0 };
        let first_word = word(head);
        let decorator = text.as_bytes().get(line[0].1.start) == Some(&b'@');
        self.code_lines += usize::from(!decorator);
        if first && !decorator {
            self.class = first_word == Some("class");
            match first_word {
                Some("def" | "class") => {
                    self.def_name = line
                        .get(head + 1)
                        .filter(|(t, _)| *t == Tok::Name)
                        .map(|(_, r)| r.clone());
                }
                Some("import" | "from") => self.import = true,
                _ => {}
            }
        }
        let names = |range: &[(Tok, Range<usize>)]| -> Vec<Range<usize>> {
            range
                .iter()
                .filter(|(t, r)| *t == Tok::Name && !is_keyword(&text[r.clone()]))
                .map(|(_, r)| r.clone())
                .collect()
        };
        match first_word {
            Some("import" | "from" | "global" | "nonlocal") => {
                self.global |= first_word == Some("global");
                self.bound.extend(names(line));
                return;
            }
            Some("def" | "class") => {
                // A nested definition's name (in an `if` block at module level).
                if let Some((Tok::Name, r)) = line.get(head + 1) {
                    self.bound.push(r.clone());
                }
                return;
            }
            _ => {}
        }
        for (i, (tok, range)) in line.iter().enumerate() {
            let name = &text[range.clone()];
            let next_is = |t: Tok| line.get(i + 1).is_some_and(|(n, _)| *n == t);
            match tok {
                Tok::Name if next_is(Tok::Walrus) => self.bound.push(range.clone()),
                Tok::Name if name == "as" => {
                    if let Some((Tok::Name, r)) = line.get(i + 1) {
                        self.bound.push(r.clone());
                    }
                }
                Tok::Name if name == "for" => {
                    let end = line[i + 1..]
                        .iter()
                        .position(|(t, r)| *t == Tok::Name && &text[r.clone()] == "in")
                        .map_or(line.len(), |j| i + 1 + j);
                    self.bound.extend(names(&line[i + 1..end]));
                }
                _ => {}
            }
        }
        // Assignment targets: everything before the last `=` outside brackets, or
        // before an annotation's `:` (`x: int = 1`, `x: int`); a compound statement's
        // header (`for x in y:`, `with a as b:`) binds only what is found above.
        let compound = matches!(
            first_word,
            Some(
                "if" | "elif"
                    | "else"
                    | "while"
                    | "for"
                    | "try"
                    | "except"
                    | "finally"
                    | "with"
                    | "async"
                    | "match"
                    | "case"
                    | "lambda"
            )
        ) || text.as_bytes().get(line[0].1.start) == Some(&b'@');
        let mut depth = 0usize;
        let mut last_assign = None;
        let mut first_colon = None;
        for (i, (tok, range)) in line.iter().enumerate() {
            match (tok, text.as_bytes()[range.start]) {
                (Tok::Nest, b'(' | b'[' | b'{') => depth += 1,
                (Tok::Other, b')' | b']' | b'}') => depth = depth.saturating_sub(1),
                (Tok::Assign, _) if depth == 0 => last_assign = Some(i),
                (Tok::Colon, _) if depth == 0 && first_colon.is_none() => first_colon = Some(i),
                _ => {}
            }
        }
        let colon = first_colon.filter(|_| !compound);
        let end = match (last_assign, colon) {
            (Some(a), Some(c)) => Some(a.min(c)),
            (a, c) => a.or(c),
        };
        if let Some(end) = end {
            self.bound.extend(names(&line[..end]));
        }
    }
}

/// The words that decide which statements are kept.
pub struct Words<'a> {
    /// Read words (one of which a rule's read needs), the loader's name.
    pub reads: Names<'a>,
    /// Names a target or a rule's words are made of: a statement that binds one at
    /// module level is kept.
    pub roots: Names<'a>,
    /// The modules the targets live in (`os`): a statement that names one is kept, so
    /// that every use of an import a fix may leave unused is in the tree.
    pub modules: Names<'a>,
}

/// The names `s` binds at module level: a definition its name (and `global` names from
/// inside), any other statement what [`Statement::bound`] holds.
fn bound_of<'t>(text: &'t str, s: &Statement) -> Vec<&'t str> {
    match &s.def_name {
        Some(name) => std::iter::once(&text[name.clone()])
            .chain(
                s.global
                    .then(|| s.bound.iter().map(|r| &text[r.clone()]))
                    .into_iter()
                    .flatten(),
            )
            .collect(),
        None => s.bound.iter().map(|r| &text[r.clone()]).collect(),
    }
}

/// Adds the names a kept statement binds to those whose mentions keep a statement
/// (`import acme.settings.env as env`: reads through `env` name no rule's word). A
/// definition's name holds no copy of the environment: nothing resolves through it.
///
/// Unless the statements are kept for a fix, a module a target lives in (`os` of
/// `import os`, `os = fake_os()`) is not carried: a read through it names the
/// target's next segment, a read word (`os.environ`, `getattr(os, "getenv")`).
fn carry<'t>(text: &'t str, s: &Statement, words: &Words, fix: bool, carried: &mut Names<'t>) {
    if s.def_name.is_none() {
        carried.extend(
            bound_of(text, s)
                .into_iter()
                .filter(|n| fix || !words.modules.contains(n)),
        );
    }
}

/// The words of `text` in `range` (runs of word bytes), strings and comments too.
fn whole_words<'t>(text: &'t str, range: &Range<usize>) -> Vec<&'t str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        if is_word(bytes[i]) {
            let start = i;
            while i < range.end && is_word(bytes[i]) {
                i += 1;
            }
            out.push(&text[start..i]);
        } else {
            i += 1;
        }
    }
    out
}

/// Appends `range` (after every range in `out`) to the sorted ranges `out`, joined
/// with the last one when they touch.
fn push_joined(out: &mut Vec<Range<usize>>, range: Range<usize>) {
    match out.last_mut() {
        Some(last) if last.end == range.start => last.end = range.end,
        _ => out.push(range),
    }
}

/// The statements of a `def` or `class` statement: its header (on one line, after
/// any decorators), then its body's, at least two; `None` otherwise.
fn body_of(text: &str, def: &Statement) -> Option<Vec<Statement>> {
    let bytes = text.as_bytes();
    // The body's indentation is that of its first line of code, as far as a header on
    // one line tells (checked below: the header is then the first statement).
    let mut indent = None;
    let mut at = def.range.start;
    let mut header_line = true;
    while at < def.range.end {
        let end =
            memchr::memchr(b'\n', &bytes[at..def.range.end]).map_or(def.range.end, |i| at + i + 1);
        let line = &bytes[at..end];
        let lead = line
            .iter()
            .take_while(|&&b| matches!(b, b' ' | b'\t'))
            .count();
        let code = !matches!(line.get(lead), None | Some(b'\n' | b'\r' | b'#'));
        if code && bytes.get(at + lead) != Some(&b'@') {
            if !header_line {
                indent = Some(lead);
                break;
            }
            header_line = false;
        }
        at = end;
    }
    let indent = indent.filter(|&i| i > 0)?;
    let body = split(text, def.range.clone(), indent)?;
    // The header alone, then the body's statements.
    if body.len() < 3 || body[0].code_lines != 1 {
        return None;
    }
    Some(body)
}

/// Words that keep a statement of a function's body: `global` and `nonlocal` bind
/// names outside it, and the test set-up the writes collector reads names a method of
/// its own (`monkeypatch.delenv("X")` names no read word, and [`may_write`] asks for
/// the writes that hand a variable on).
///
/// [`may_write`]: super::writes::may_write
const BODY_WORDS: &[&str] = &[
    "global", "nonlocal", "delenv", "setenv", "setitem", "unsetenv",
];

/// The statements of the body of the `def` statement `def` that cannot matter, to leave
/// out of the parse as well: a test function of forty lines that sets one variable is
/// that line. A name in a function is resolved in the function when the function binds
/// it anywhere, so a statement of the body is kept when it names a word that matters
/// (a read word, a carried alias, a module for a fix), writes the environment, binds a
/// name a target is made of (`roots`: `os = fake`) or a name a kept statement of the
/// body names (`key = "A"`, then `os.getenv(key)`), names one a kept statement binds
/// (`env = os.environ`, then `env["A"]`), and so on until nothing changes; or when it
/// holds a `global` or `nonlocal` statement, a class, or a line too deep to leave out
/// unchecked. One statement at least stays: a body must hold one.
fn body_left_out<'t>(
    text: &'t str,
    def: &Statement,
    matters: &dyn Fn(&str) -> bool,
    roots: &Names<'_>,
) -> Vec<Range<usize>> {
    let Some(body) = body_of(text, def) else {
        return Vec::new();
    };
    let body = &body[1..];
    let mentions: Vec<Vec<&'t str>> = body.iter().map(|s| whole_words(text, &s.range)).collect();
    let bound: Vec<Vec<&'t str>> = body.iter().map(|s| bound_of(text, s)).collect();
    let mut kept: Vec<bool> = body
        .iter()
        .zip(&mentions)
        .zip(&bound)
        .map(|((s, words), bound)| {
            s.class
                || s.global
                || s.deep
                || words.iter().any(|w| matters(w) || BODY_WORDS.contains(w))
                || bound.iter().any(|n| roots.contains(n))
                || super::writes::may_write(&text[s.range.clone()])
        })
        .collect();
    // Names kept statements bind, and names they use.
    let mut carried: Names<'t> = Names::default();
    let mut used: Names<'t> = Names::default();
    for i in (0..body.len()).filter(|&i| kept[i]) {
        carried.extend(bound[i].iter().copied());
        used.extend(mentions[i].iter().copied());
    }
    loop {
        let mut changed = false;
        for i in 0..body.len() {
            if kept[i]
                || !(mentions[i].iter().any(|w| carried.contains(w))
                    || bound[i].iter().any(|n| used.contains(n)))
            {
                continue;
            }
            kept[i] = true;
            changed = true;
            carried.extend(bound[i].iter().copied());
            used.extend(mentions[i].iter().copied());
        }
        if !changed {
            break;
        }
    }
    if kept.iter().all(|k| !k) {
        return Vec::new();
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    for (s, _) in body.iter().zip(&kept).filter(|(_, k)| !**k) {
        push_joined(&mut out, s.range.clone());
    }
    out
}

/// The methods of the class statement `class` that cannot matter, to leave out of the
/// parse as well: a class that holds a read in one method of fifty is one method of
/// interest. Python resolves a name in a method in the method, then in the functions
/// around it and the module, never in the class body; so a method that names no read
/// word and no name that carries one (`matters`), binds no module name (`global`), is
/// not named like a target's part (`roots`) nor named by the class's own statements
/// cannot change how a read elsewhere resolves, nor hold one (a method of the class
/// that names it names an attribute, `self.name`). The class's other statements (its
/// header, assignments, docstring) are kept, and so is one method at least: a body
/// must hold a statement. In a method kept for the read words it names (`reads`), the
/// statements that cannot matter go too ([`body_left_out`]).
fn methods_left_out(
    text: &str,
    class: &Statement,
    matters: &dyn Fn(&str) -> bool,
    reads: &dyn Fn(&str) -> bool,
    roots: &Names<'_>,
) -> Vec<Range<usize>> {
    let Some(body) = body_of(text, class) else {
        return Vec::new();
    };
    let mentions: Vec<Vec<&str>> = body.iter().map(|s| whole_words(text, &s.range)).collect();
    let named: Names<'_> = body
        .iter()
        .zip(&mentions)
        .skip(1)
        .filter(|(s, _)| s.def_name.is_none())
        .flat_map(|(_, m)| m.iter().copied())
        .collect();
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut left = 0;
    for (s, words) in body.iter().zip(&mentions).skip(1) {
        let Some(name) = s.def_name.as_ref().map(|r| &text[r.clone()]) else {
            continue;
        };
        let keep = s.class
            || s.global
            || s.deep
            || named.contains(name)
            || roots.contains(name)
            || words.iter().any(|w| matters(w))
            || super::writes::may_write(&text[s.range.clone()]);
        if keep {
            // A method kept for the reads it holds: its other statements may go.
            if !s.class && words.iter().any(|w| reads(w)) {
                for range in body_left_out(text, s, matters, roots) {
                    push_joined(&mut out, range);
                }
            }
            continue;
        }
        left += 1;
        push_joined(&mut out, s.range.clone());
    }
    if left == body.len() - 1 {
        return Vec::new();
    }
    out
}

/// What the parser can leave out of a file: two answers, for two needs.
#[derive(Debug, PartialEq, Eq)]
pub struct LeftOut {
    /// For finding the reads: only what can hold one, or bind what resolving one needs.
    pub reads: Option<Vec<Range<usize>>>,
    /// For a fix as well: every use of an import from a target's module is kept too
    /// (`os.kill(…)` of `import os`), so that the tree tells whether the fix leaves the
    /// import unused. Leaves out no more than `reads` does.
    pub imports: Option<Vec<Range<usize>>>,
}

/// The ranges of `text` the parser can leave out (each sorted, disjoint, each range from
/// a line start to a line start; `None` when the whole file must be parsed), for finding
/// reads and for fixing them.
pub fn left_out(text: &str, words: &Words) -> LeftOut {
    let Some(statements) = statements(text) else {
        return LeftOut {
            reads: None,
            imports: None,
        };
    };
    if statements.len() < 2 {
        return LeftOut {
            reads: None,
            imports: None,
        };
    }
    let mentions: Vec<Vec<&str>> = statements
        .iter()
        .map(|s| whole_words(text, &s.range))
        .collect();
    LeftOut {
        reads: kept_out(text, &statements, &mentions, words, false),
        imports: kept_out(text, &statements, &mentions, words, true),
    }
}

/// The statements left out for finding reads, or (`fix`) for fixing them as well, or
/// `None` when the whole file must be parsed.
fn kept_out(
    text: &str,
    statements: &[Statement],
    mentions: &[Vec<&str>],
    words: &Words,
    fix: bool,
) -> Option<Vec<Range<usize>>> {
    let none = Names::default();
    let modules = if fix { &words.modules } else { &none };
    // Kept for what they can hold (`relevant`), or only so that the tree has them.
    let mut kept = vec![false; statements.len()];
    let mut relevant = vec![false; statements.len()];
    // Names bound by relevant statements: a statement that names one is relevant
    // (`env = os.environ`, then `env["X"]`).
    let mut carried: Names<'_> = Names::default();
    // Names relevant statements use: a statement that binds one at module level is
    // relevant (`extra = {"X": "1"}`, then `run(cmd, env={**os.environ, **extra})`).
    let mut used: Names<'_> = Names::default();
    // Where a new import goes is read off the module's head: its docstring, comments,
    // imports and what comes between them, up to the statement after the last import.
    let head = statements
        .iter()
        .rposition(|s| s.import)
        .map_or(0, |last| last + 1);
    for (i, s) in statements.iter().enumerate() {
        kept[i] = i <= head || s.import || mentions[i].iter().any(|w| modules.contains(w));
        let reads = mentions[i].iter().any(|w| words.reads.contains(w))
            || super::writes::may_write(&text[s.range.clone()]);
        let binds_root = bound_of(text, s).iter().any(|n| words.roots.contains(n));
        // An import kept only for being one carries nothing (`from typing import Any`);
        // one from a target's module carries every name it binds (`from os import
        // path`): a fix may leave it unused, which only every use of it tells.
        let from_module = s.import && mentions[i].iter().any(|w| modules.contains(w));
        if reads || binds_root || from_module {
            relevant[i] = true;
            // An import that names no read word binds no name to a target, or to a part
            // of one but its module (`import os as o`, `from os import path`): a read
            // through what it binds names a read word. A fix needs every use of them.
            if fix || reads || !s.import {
                carry(text, s, words, fix, &mut carried);
            }
            if !s.import {
                used.extend(mentions[i].iter().copied());
            }
        }
    }
    loop {
        let mut changed = false;
        for (i, s) in statements.iter().enumerate() {
            if relevant[i] {
                continue;
            }
            let named = mentions[i].iter().any(|w| carried.contains(w));
            let binds_used =
                s.def_name.is_none() && bound_of(text, s).iter().any(|n| used.contains(n));
            if !named && !binds_used {
                continue;
            }
            relevant[i] = true;
            changed = true;
            // A value a relevant statement uses is followed back, not forward: other
            // statements that name `extra` are not relevant for it.
            if named {
                carry(text, s, words, fix, &mut carried);
            }
            if !s.import {
                used.extend(mentions[i].iter().copied());
            }
        }
        if !changed {
            break;
        }
    }
    for (kept, relevant) in kept.iter_mut().zip(&relevant) {
        *kept |= relevant;
    }
    let matters = |w: &str| words.reads.contains(w) || carried.contains(w) || modules.contains(w);
    let mut out: Vec<Range<usize>> = Vec::new();
    for ((s, kept), mentions) in statements.iter().zip(&kept).zip(mentions) {
        if *kept {
            // In a kept class, the methods that cannot matter may go; in a function
            // kept for the reads it holds, the statements that cannot.
            let inside = if s.class {
                methods_left_out(
                    text,
                    s,
                    &matters,
                    &|w| words.reads.contains(w),
                    &words.roots,
                )
            } else if s.def_name.is_some() && mentions.iter().any(|w| words.reads.contains(w)) {
                body_left_out(text, s, &matters, &words.roots)
            } else {
                Vec::new()
            };
            for range in inside {
                push_joined(&mut out, range);
            }
            continue;
        }
        if s.global || s.deep {
            return None;
        }
        push_joined(&mut out, s.range.clone());
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Words<'static> {
        Words {
            reads: ["environ", "getenv", "get_config_value"]
                .into_iter()
                .collect(),
            roots: ["os", "environ", "getenv", "get_config_value"]
                .into_iter()
                .collect(),
            modules: ["os"].into_iter().collect(),
        }
    }

    /// The statements left in for a fix, as their first lines.
    fn kept(text: &str) -> Vec<String> {
        first_lines(text, &left_out(text, &words()).imports.unwrap_or_default())
    }

    /// The statements left in for finding reads, as their first lines.
    fn kept_for_reads(text: &str) -> Vec<String> {
        first_lines(text, &left_out(text, &words()).reads.unwrap_or_default())
    }

    fn first_lines(text: &str, out: &[Range<usize>]) -> Vec<String> {
        let mut kept = String::new();
        let mut at = 0;
        for gap in out {
            kept.push_str(&text[at..gap.start]);
            at = gap.end;
        }
        kept.push_str(&text[at..]);
        kept.lines()
            .filter(|l| !l.is_empty() && !l.starts_with([' ', '#']))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn statements_start_at_column_zero_outside_brackets_strings_and_continuations() {
        let text = "import os\n\
                    x = (1,\n2)\n\
                    s = '''\nnot = a statement\n'''\n\
                    y = 1 + \\\n2\n\
                    if x:\n    pass\nelif y:\n    pass\nelse:\n    pass\n\
                    # a comment\n\
                    @dec\n@dec2(\n1)\ndef f():\n    return 1\n\
                    try:\n    pass\nexcept E:\n    pass\nfinally:\n    pass\n";
        let starts: Vec<&str> = statements(text)
            .unwrap()
            .iter()
            .map(|s| text[s.range.clone()].lines().next().unwrap())
            .collect();
        assert_eq!(
            starts,
            [
                "import os",
                "x = (1,",
                "s = '''",
                "y = 1 + \\",
                "if x:",
                "@dec",
                "try:"
            ]
        );
        let covered: usize = statements(text)
            .unwrap()
            .iter()
            .map(|s| s.range.len())
            .sum();
        assert_eq!(covered, text.len());
    }

    /// On every Python file of the corpus that parses clean, the statements start
    /// where tree-sitter's top-level nodes start (each node's line; comments aside).
    #[test]
    fn statements_start_where_the_parsers_top_level_nodes_do() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let mut checked = 0;
        for (path, text) in crate::detect::lex_corpus::files("py") {
            let text = crate::source::lone_cr_as_lf(&text).into_owned();
            let tree = parser.parse(&text, None).unwrap();
            if tree.root_node().has_error() {
                continue;
            }
            let Some(statements) = statements(&text) else {
                panic!("{}: does not lex", path.display());
            };
            let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
            let root = tree.root_node();
            let mut cursor = root.walk();
            let mut nodes: Vec<usize> = root
                .named_children(&mut cursor)
                .filter(|n| n.kind() != "comment")
                .map(|n| line_start(n.start_byte()))
                .collect();
            nodes.dedup();
            let mut starts: Vec<usize> = statements.iter().map(|s| s.range.start).collect();
            if nodes.first() != Some(&0) {
                starts.retain(|&s| s != 0);
            }
            assert_eq!(starts, nodes, "{}", path.display());
            checked += 1;
        }
        assert!(checked > 20, "{checked} files checked");
    }

    #[test]
    fn what_a_statement_binds() {
        let text = "a, (b, c) = f(k=1)\nd: int = 2\ne += 1\nfor g in h: pass\n\
                    with i as j: pass\nif (k := 1): pass\nfrom m import n as o\n\
                    class P(Q): x = 1\nx[r] = 1\n";
        let bound: Vec<Vec<&str>> = statements(text)
            .unwrap()
            .iter()
            .map(|s| {
                let mut names: Vec<&str> = match &s.def_name {
                    Some(r) => vec![&text[r.clone()]],
                    None => s.bound.iter().map(|r| &text[r.clone()]).collect(),
                };
                names.sort();
                names.dedup();
                names
            })
            .collect();
        assert_eq!(
            bound,
            [
                vec!["a", "b", "c"],
                vec!["d"],
                vec!["e"],
                vec!["g"],
                vec!["j"],
                vec!["k"],
                vec!["m", "n", "o"],
                vec!["P"],
                vec!["r", "x"],
            ]
        );
    }

    #[test]
    fn reads_imports_roots_and_aliases_are_kept() {
        let text = "import os\nimport sys\nHEAD = 1\n\n\
                    def unrelated():\n    return sys.argv\n\n\
                    env = os.environ\nOTHER = 1\n\n\
                    def reads():\n    return env['X']\n\n\
                    def uses_other():\n    return OTHER\n\n\
                    class os:\n    pass\n\n\
                    def text():\n    return 'getenv'\n";
        assert_eq!(
            kept(text),
            [
                "import os",
                "import sys",
                "HEAD = 1",
                "env = os.environ",
                "def reads():",
                "class os:",
                "def text():"
            ]
        );
    }

    #[test]
    fn a_use_of_a_target_module_alone_is_kept_only_for_a_fix() {
        // `os.getpid()` and `path.join(…)` hold no read, but a fix of the read in
        // `token` leaves `import os` unused only if no other use of it is in the tree.
        let text = "import os\nfrom os import path\nHEAD = 1\n\n\
                    def pid():\n    return os.getpid()\n\n\
                    def where():\n    return path.join('a', 'b')\n\n\
                    def token():\n    return os.environ['TOKEN']\n";
        assert_eq!(
            kept_for_reads(text),
            [
                "import os",
                "from os import path",
                "HEAD = 1",
                "def token():"
            ]
        );
        assert_eq!(
            kept(text),
            [
                "import os",
                "from os import path",
                "HEAD = 1",
                "def pid():",
                "def where():",
                "def token():"
            ]
        );
    }

    #[test]
    fn a_class_keeps_its_own_statements_and_the_methods_that_can_matter() {
        let text = "import os\nHEAD = 1\n\n\
                    @decorated\nclass TestThing(Base):\n    \"\"\"Doc.\"\"\"\n    LIMIT = 3\n\n\
                    \x20   def test_plain(self):\n        return 1\n\n\
                    \x20   @pytest.mark.slow\n    def test_decorated(self):\n        x = (1,\n2)\n        return x\n\n\
                    \x20   def test_reads(self):\n        return os.environ['A']\n\n\
                    \x20   def test_writes(self, monkeypatch):\n        monkeypatch.setenv('A', '1')\n\n\
                    \x20   def helper(self):\n        return 2\n\n\
                    \x20   alias = helper\n\n\
                    \x20   def test_global(self):\n        global G\n        G = 1\n";
        let gaps = left_out(text, &words()).reads.unwrap_or_default();
        let left: Vec<&str> = gaps
            .iter()
            .flat_map(|r| text[r.clone()].lines())
            .filter(|l| l.trim_start().starts_with("def "))
            .map(str::trim)
            .collect();
        assert_eq!(left, ["def test_plain(self):", "def test_decorated(self):"]);
        // What is left is a module that parses, with the same lines where they were.
        let blanked = blanked_parses(text, &gaps);
        assert!(blanked.contains("    def test_reads(self):\n"));
        // A class whose methods could all go keeps them all: its body needs one.
        let all = "import os\nHEAD = 1\nclass A(os.environ.__class__):\n    def f(self):\n        return 1\n\
                   \x20   def g(self):\n        return 2\nX = 1\n";
        assert_eq!(
            kept_for_reads(all),
            ["import os", "HEAD = 1", "class A(os.environ.__class__):"]
        );
        assert!(
            left_out(all, &words())
                .reads
                .unwrap_or_default()
                .iter()
                .all(|r| !text_of(all, r).contains("def f"))
        );
    }

    /// `text` with `gaps` blanked, checked to parse without an error.
    fn blanked_parses(text: &str, gaps: &[Range<usize>]) -> String {
        let mut blanked = text.to_string();
        for r in gaps {
            blanked.replace_range(r.clone(), &" ".repeat(r.len()));
        }
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let tree = parser.parse(&blanked, None).unwrap();
        assert!(!tree.root_node().has_error(), "{blanked}");
        blanked
    }

    /// The lines of a function body the reads' parse keeps, trimmed.
    fn body_kept(text: &str) -> Vec<String> {
        let gaps = left_out(text, &words()).reads.unwrap_or_default();
        let blanked = blanked_parses(text, &gaps);
        assert_eq!(blanked.len(), text.len());
        blanked
            .lines()
            .filter(|l| l.starts_with("    ") && !l.trim().is_empty())
            .map(|l| l.trim().to_string())
            .collect()
    }

    #[test]
    fn a_function_with_a_read_keeps_the_statements_that_can_matter() {
        let text = "import os\nHEAD = 1\n\n\
                    def test_reads(monkeypatch, tmp_path):\n    \"\"\"Doc.\"\"\"\n    \
                    path = tmp_path / 'x'\n    path.write_text('1')\n    key = 'API_' + 'KEY'\n    \
                    prefix = key.lower()\n    monkeypatch.delenv('OTHER', raising=False)\n    \
                    for i in range(3):\n        print(i)\n    \
                    value = os.environ.get(key)\n    env = value\n    assert env == 'x'\n    \
                    assert path.exists()\n";
        assert_eq!(
            body_kept(text),
            [
                "key = 'API_' + 'KEY'",
                // It names what a kept statement binds (as at module level).
                "prefix = key.lower()",
                "monkeypatch.delenv('OTHER', raising=False)",
                "value = os.environ.get(key)",
                "env = value",
                "assert env == 'x'",
            ]
        );
        // A local that shadows a target's part, `nonlocal` and a nested class stay.
        let text = "import os\nHEAD = 1\ndef f():\n    x = 1\n    os = fake()\n    \
                    def inner():\n        nonlocal x\n        x = 2\n    \
                    class C:\n        pass\n    y = 3\n    return os.getenv('A')\n";
        assert_eq!(
            body_kept(text),
            [
                "x = 1",
                "os = fake()",
                "def inner():",
                "nonlocal x",
                "x = 2",
                "class C:",
                "pass",
                "return os.getenv('A')",
            ]
        );
        // A function whose read is in its header keeps its whole body.
        let text = "import os\nHEAD = 1\ndef f(a=os.environ['A']):\n    b = 1\n    return b\n";
        assert_eq!(body_kept(text), ["b = 1", "return b"]);
    }

    fn text_of<'t>(text: &'t str, r: &Range<usize>) -> &'t str {
        &text[r.clone()]
    }

    #[test]
    fn aliases_carry_through_assignments() {
        let text = "import os\nHEAD = 1\nE = os.environ\nF = E\nG = 1\n\
                    def f():\n    return F['X']\ndef g():\n    return G\n";
        assert_eq!(
            kept(text),
            [
                "import os",
                "HEAD = 1",
                "E = os.environ",
                "F = E",
                "def f():"
            ]
        );
    }

    #[test]
    fn what_a_kept_statement_uses_is_kept_where_it_is_bound() {
        let text = "import os\nHEAD = 1\nextra = {'A': '1'}\nunused = {'B': '2'}\n\
                    def run():\n    return dict(os.environ, **extra)\n";
        assert_eq!(
            kept(text),
            ["import os", "HEAD = 1", "extra = {'A': '1'}", "def run():"]
        );
    }

    #[test]
    fn a_global_or_a_deep_line_left_out_parses_the_whole_file() {
        let global = "import os\nHEAD = 1\ndef f():\n    global X\n    X = 1\ndef g():\n    return os.environ['A']\n";
        assert_eq!(left_out(global, &words()).reads, None);
        assert_eq!(left_out(global, &words()).imports, None);
        let deep = format!(
            "import os\nHEAD = 1\nx = {}\ndef g():\n    return os.environ['A']\n",
            vec!["a"; DEEP_LINE + 2].join(" + ")
        );
        assert_eq!(left_out(&deep, &words()).reads, None);
        let fine =
            "import os\nHEAD = 1\ndef f():\n    return 1\ndef g():\n    return os.environ['A']\n";
        assert!(left_out(fine, &words()).reads.is_some());
        assert_eq!(left_out("x = '''\n", &words()).reads, None, "does not lex");
        assert_eq!(left_out("x = (\n", &words()).imports, None, "unbalanced");
    }
}
