//! A small lexer of Rust source for what syn cannot tell cheaply or at all: how deeply
//! `( [ {` nest (a stack guard run before parsing), where comments and whitespace end,
//! and where a cargo-script frontmatter is. Skips comments, strings and character
//! literals; never parses.

use std::ops::Range;

/// Files nesting brackets deeper than this are generated code; they are not parsed
/// (syn parses nested groups recursively).
pub const MAX_NESTING: usize = 1_500;

/// Files with more operator characters than this in one expression (between `;`, `,`,
/// `{` and `}`) are generated code too: syn parses unary operators recursively, and the
/// tree of a long `a + b + …` chain is dropped recursively.
pub const MAX_CHAIN: usize = 10_000;

/// True when the text nests brackets deeper than `MAX_NESTING` or chains more than
/// `MAX_CHAIN` operators: too deep to parse and walk safely.
pub fn too_deep(text: &str) -> bool {
    deeper_than(text, MAX_NESTING, MAX_CHAIN)
}

/// True when brackets nest deeper than `limit` or an expression holds more than
/// `chain` operator characters.
pub fn deeper_than(text: &str, limit: usize, chain: usize) -> bool {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut ops = 0usize;
    let mut i = 0;
    while i < b.len() {
        if let Some(end) = literal_or_comment_end(b, i) {
            i = end;
            continue;
        }
        match b[i] {
            b'(' | b'[' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b'{' => {
                depth += 1;
                ops = 0;
                if depth > limit {
                    return true;
                }
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            b'}' => {
                depth = depth.saturating_sub(1);
                ops = 0;
            }
            b';' | b',' => ops = 0,
            b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'!' | b'&' | b'|' | b'<' | b'>' | b'='
            | b'.' | b'?' => {
                ops += 1;
                if ops > chain {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Where the comment, string, raw string or character literal (or lifetime quote)
/// starting at `i` ends; `None` when none starts there.
fn literal_or_comment_end(b: &[u8], i: usize) -> Option<usize> {
    match b[i] {
        b'/' if b.get(i + 1) == Some(&b'/') => Some(memchr(b, i, b'\n')),
        b'/' if b.get(i + 1) == Some(&b'*') => Some(block_comment_end(b, i)),
        b'"' => Some(string_end(b, i + 1)),
        b'r' if !ident_byte_before(b, i) || raw_prefix_before(b, i) => raw_string_end(b, i + 1),
        b'\'' => Some(char_end(b, i)),
        _ => None,
    }
}

/// `text` with its comments and the insides of its string and character literals
/// blanked (line breaks kept): what is left is code, so that a word found in it is
/// not in a string or a comment.
pub fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    while i < b.len() {
        match literal_or_comment_end(b, i) {
            // A lifetime's quote (`'a`) is code.
            Some(end) if b[i] == b'\'' && end <= i + 1 => i += 1,
            Some(end) => {
                let end = end.clamp(i + 1, b.len());
                for c in &mut out[i..end] {
                    if !matches!(*c, b'\n' | b'\r') {
                        *c = b' ';
                    }
                }
                i = end;
            }
            None => i += 1,
        }
    }
    // A literal or a comment starts and ends at an ASCII byte (or the text's end), so
    // only whole characters were replaced.
    String::from_utf8(out).expect("whole characters were replaced by spaces")
}

/// Whether `text` holds a comment (outside string and character literals).
pub fn has_comment(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && matches!(b.get(i + 1), Some(b'/' | b'*')) {
            return true;
        }
        match literal_or_comment_end(b, i) {
            Some(end) => i = end.max(i + 1),
            None => i += 1,
        }
    }
    false
}

/// Words that may begin an item (after its attributes and doc comments): after a `}`
/// that closes a top-level group, one of these (or `#`, or the end) starts a new item.
const ITEM_START: &[&str] = &[
    "async",
    "auto",
    "const",
    "enum",
    "extern",
    "fn",
    "impl",
    "macro_rules",
    "mod",
    "pub",
    "static",
    "struct",
    "trait",
    "type",
    "union",
    "unsafe",
    "use",
];

/// One top-level item of a file (its attributes, doc comments and the trivia before it
/// included), as found by `items`.
#[derive(Debug, PartialEq)]
pub struct Item {
    pub range: Range<usize>,
    /// A `use` or `extern` item (`extern crate`, `extern "C" { … }`).
    pub uses: bool,
}

/// Cuts `text` (from `from`, past a shebang line) into its top-level items, which
/// cover it. An item ends at a `;` outside every bracket, or at a `}` that closes the
/// last open bracket when what follows it begins an item (`#`, `fn`, `pub`, …, or the
/// end): `const C: u8 = if a { 1 } else { 2 };` stays one item. Where it cannot tell,
/// two items stay one. Text after the last item end is a last item.
pub fn items(text: &str, from: usize) -> Vec<Item> {
    let b = text.as_bytes();
    let mut items = Vec::new();
    let mut depth = 0usize;
    // The first word outside brackets of the current item, `pub` aside.
    let mut first: Option<Range<usize>> = None;
    let mut i = from;
    let close = |items: &mut Vec<Item>, end: usize, first: &mut Option<Range<usize>>| {
        let word = first.take().map(|r| &text[r]);
        let start = items.last().map_or(0, |i: &Item| i.range.end);
        items.push(Item {
            range: start..end,
            uses: matches!(word, Some("use" | "extern")),
        });
    };
    while i < b.len() {
        if let Some(end) = literal_or_comment_end(b, i) {
            i = end;
            continue;
        }
        match b[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && begins_item(text, i + 1) {
                    close(&mut items, i + 1, &mut first);
                }
            }
            b';' if depth == 0 => close(&mut items, i + 1, &mut first),
            c if is_ident_byte(c) && !ident_byte_before(b, i) => {
                let end = word_end(b, i);
                if matches!(&text[i..end], "br" | "cr") {
                    // A raw byte or C string: no escapes in it.
                    if let Some(string_end) = raw_string_end(b, end) {
                        i = string_end;
                        continue;
                    }
                }
                if depth == 0 && first.is_none() && &text[i..end] != "pub" {
                    first = Some(i..end);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if items.last().map_or(0, |i| i.range.end) < b.len() {
        close(&mut items, b.len(), &mut first);
    }
    items
}

fn word_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|c| !is_ident_byte(*c))
        .map_or(b.len(), |p| i + p)
}

/// Whether an item begins at the first token at or after `at`.
fn begins_item(text: &str, mut at: usize) -> bool {
    let b = text.as_bytes();
    // Every comment, doc comments too.
    loop {
        let rest = &text[at..];
        at += rest.len() - rest.trim_start().len();
        if text[at..].starts_with("//") {
            at = memchr(b, at, b'\n');
        } else if text[at..].starts_with("/*") {
            at = block_comment_end(b, at);
        } else {
            break;
        }
    }
    match b.get(at) {
        None | Some(b'#') => true,
        Some(c) if is_ident_byte(*c) => ITEM_START.contains(&&text[at..word_end(b, at)]),
        Some(_) => false,
    }
}

/// The cargo-script frontmatter (RFC 3503) at the start of a file: a fence of three
/// or more dashes (with an optional info string) after an optional shebang line and
/// blank lines, up to the line holding the same fence. syn does not parse it.
pub fn frontmatter(text: &str) -> Option<Range<usize>> {
    let mut pos = shebang_end(text);
    while let Some(nl) = text[pos..].find('\n') {
        if !text[pos..pos + nl].trim().is_empty() {
            break;
        }
        pos += nl + 1;
    }
    let rest = &text[pos..];
    let dashes = rest.bytes().take_while(|b| *b == b'-').count();
    if dashes < 3 {
        return None;
    }
    let fence = &rest[..dashes];
    let mut line = pos + rest.find('\n')? + 1;
    while line < text.len() {
        let end = text[line..].find('\n').map_or(text.len(), |i| line + i);
        if text[line..end].trim_end() == fence {
            return Some(pos..end);
        }
        line = end + 1;
    }
    None
}

/// Where the text after a shebang line starts (`#!` not followed by `[`, which would be
/// an inner attribute); 0 without one.
pub fn shebang_end(text: &str) -> usize {
    if text.starts_with("#!") && !text[2..].trim_start().starts_with('[') {
        text.find('\n').map_or(text.len(), |i| i + 1)
    } else {
        0
    }
}

/// Whether `s` starts with a comment that is not a doc comment: `//`, `////`, `/* */`,
/// `/***`, `/**/` (doc comments are attributes of the item they precede).
pub fn starts_plain_comment(s: &str) -> bool {
    let doc_line = s.starts_with("//!") || (s.starts_with("///") && !s.starts_with("////"));
    let doc_block = s.starts_with("/*!")
        || (s.starts_with("/**") && !s.starts_with("/***") && !s.starts_with("/**/"));
    (s.starts_with("//") && !doc_line) || (s.starts_with("/*") && !doc_block)
}

/// The first offset at or after `at` that is not whitespace or a plain comment.
pub fn skip_trivia(text: &str, mut at: usize) -> usize {
    let b = text.as_bytes();
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if !starts_plain_comment(trimmed) {
            return at;
        }
        at = if trimmed.starts_with("//") {
            memchr(b, at, b'\n')
        } else {
            block_comment_end(b, at)
        };
    }
}

fn memchr(b: &[u8], from: usize, byte: u8) -> usize {
    b[from..]
        .iter()
        .position(|c| *c == byte)
        .map_or(b.len(), |p| from + p)
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn ident_byte_before(b: &[u8], i: usize) -> bool {
    i > 0 && is_ident_byte(b[i - 1])
}

/// `br"…"` and `cr"…"`.
fn raw_prefix_before(b: &[u8], i: usize) -> bool {
    i > 0 && matches!(b[i - 1], b'b' | b'c') && !ident_byte_before(b, i - 1)
}

/// Block comments nest in Rust.
fn block_comment_end(b: &[u8], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < b.len() {
        match (b[i], b[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// The offset after the closing quote of a string whose body starts at `i`.
fn string_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// `r#"…"#` after its `r`; `None` when `r` starts an identifier instead.
fn raw_string_end(b: &[u8], mut i: usize) -> Option<usize> {
    let hashes = b[i..].iter().take_while(|c| **c == b'#').count();
    i += hashes;
    if b.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    while i < b.len() {
        if b[i] == b'"'
            && b[i + 1..]
                .iter()
                .take(hashes)
                .filter(|c| **c == b'#')
                .count()
                == hashes
        {
            return Some(i + 1 + hashes);
        }
        i += 1;
    }
    Some(b.len())
}

/// Past a character literal (`'x'`, `'\n'`, `'\u{1F600}'`), or just past the quote of a
/// lifetime or label (`'a`).
fn char_end(b: &[u8], i: usize) -> usize {
    if b.get(i + 1) == Some(&b'\\') {
        // An escape: the closing quote is close by.
        return b[i + 2..]
            .iter()
            .take(12)
            .position(|c| *c == b'\'')
            .map_or(i + 1, |p| i + 2 + p + 1);
    }
    let width = match b.get(i + 1) {
        Some(c) if *c < 0x80 => 1,
        Some(c) if *c >= 0xF0 => 4,
        Some(c) if *c >= 0xE0 => 3,
        Some(_) => 2,
        None => return b.len(),
    };
    if b.get(i + 1 + width) == Some(&b'\'') {
        i + 2 + width
    } else {
        i + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_only_blanks_strings_and_comments_and_keeps_code() {
        let text = "fn f<'a>(x: &'a str) -> char {\n    // env::var(\"A\")\n    let s = r#\"env::var(\"B\")\"#; /* var_os */\n    let c = '\\''; env::var(x); 'e'\n}\n";
        let code = code_only(text);
        assert_eq!(code.len(), text.len());
        assert_eq!(code.lines().count(), text.lines().count());
        // Lifetimes are code; a character literal is not.
        assert!(code.contains("fn f<'a>(x: &'a str) -> char {"), "{code}");
        assert!(code.contains("env::var(x);"), "{code}");
        assert!(!code.contains("\"A\"") && !code.contains("\"B\"") && !code.contains("var_os"));
        assert!(!code.contains("'e'"), "{code}");
        // Non-ASCII inside a literal is blanked whole; outside it is kept.
        let text = "let s = \"é\"; let é = 1;";
        assert_eq!(
            code_only(text),
            format!("let s = {}; let é = 1;", " ".repeat(4))
        );
    }

    #[test]
    fn counts_brackets_outside_literals_and_comments() {
        assert!(!deeper_than("fn f() { g([1]) }", 3, 100));
        assert!(deeper_than("fn f() { g([{}]) }", 3, 100));
        let noise = r####"
            // ((((((
            /* (((( /* nested (( */ (( */
            let a = "((((\"((((";
            let b = r#"(((("((((("#;
            let c = br"((((";
            let d = '(';
            let e = '\u{28}';
            fn g<'a>(x: &'a str) -> &'a str { x }
        "####;
        assert!(!deeper_than(noise, 2, 100));
        assert!(too_deep(&"(".repeat(2000)));
        let sum = vec!["1"; 20_000].join(" + ");
        assert!(too_deep(&format!("fn f() -> i32 {{ {sum} }}")));
        let list = vec!["1 + 1"; 20_000].join(", ");
        assert!(!too_deep(&format!("const A: [i32; 20000] = [{list}];")));
    }

    #[test]
    fn items_end_where_the_next_item_begins() {
        let text = r##"//! Crate docs.
#![allow(dead_code)]
use std::env;
use a::{b, c as d};

/// Docs with a } and a ;
#[derive(Debug)]
pub struct S { a: [u8; 3] }

const C: u8 = if true { 1 } else { 2 };
static F: fn() = || {};
pub(crate) fn f() -> &'static str {
    let s = "}; fn g() {";
    let r = r#"}"#;
    let c = '}';
    /* } */ s
}
impl S {}
macro_rules! m { () => {} }
extern crate core as k;
mod inner {
    fn x() {}
}
fn tail() {}"##;
        let found = items(text, 0);
        let got: Vec<(&str, bool)> = found
            .iter()
            .map(|i| (text[i.range.clone()].trim(), i.uses))
            .collect();
        assert_eq!(found.first().map(|i| i.range.start), Some(0));
        assert_eq!(found.last().map(|i| i.range.end), Some(text.len()));
        for pair in found.windows(2) {
            assert_eq!(pair[0].range.end, pair[1].range.start);
        }
        let starts: Vec<&str> = got
            .iter()
            .map(|(t, _)| t.lines().last().unwrap_or(""))
            .collect();
        assert_eq!(
            starts,
            [
                "use std::env;",
                "use a::{b, c as d};",
                "pub struct S { a: [u8; 3] }",
                "const C: u8 = if true { 1 } else { 2 };",
                "static F: fn() = || {};",
                "}",
                "impl S {}",
                "macro_rules! m { () => {} }",
                "extern crate core as k;",
                "}",
                "fn tail() {}",
            ]
        );
        let uses: Vec<bool> = got.iter().map(|(_, u)| *u).collect();
        assert_eq!(
            uses,
            [
                true, true, false, false, false, false, false, false, true, false, false
            ]
        );
        // A `}` followed by something that is not an item keeps the item open.
        assert_eq!(items("fn a() {} b! {} fn c() {}", 0).len(), 2);
        // Raw strings have no escapes: `br"\"` ends at its second quote.
        let raw = "const A: &[u8] = br\"\\\"; const B: &str = cr#\"\\\"#; fn c() { \";\" }";
        let cut: Vec<&str> = items(raw, 0)
            .iter()
            .map(|i| raw[i.range.clone()].trim())
            .collect();
        assert_eq!(
            cut,
            [
                "const A: &[u8] = br\"\\\";",
                "const B: &str = cr#\"\\\"#;",
                "fn c() { \";\" }"
            ]
        );
    }

    #[test]
    fn frontmatter_after_a_shebang() {
        let text =
            "#!/usr/bin/env cargo\n\n---cargo\n[dependencies]\nx = \"1\"\n---\nfn main() {}\n";
        let r = frontmatter(text).unwrap();
        assert!(text[r.clone()].starts_with("---cargo") && text[r].ends_with("\"1\"\n---"));
        assert_eq!(frontmatter("#![allow(x)]\n---\na\n---\n"), None);
        assert_eq!(frontmatter("fn f() {}\n---\n"), None);
        assert_eq!(frontmatter("----\nx\n---\n"), None);
    }

    #[test]
    fn trivia_ends_at_doc_comments_and_code() {
        let text = "  // a\n /* b /* c */ */\n/// doc\nfn f() {}";
        assert_eq!(skip_trivia(text, 0), text.find("///").unwrap());
        assert_eq!(skip_trivia("/**/ x", 0), 5);
        let text = "//// four\n/*** three */ x";
        assert_eq!(skip_trivia(text, 0), text.find('x').unwrap());
    }
}
