//! Which bytes of a TypeScript file are comments: a read is code, so a file whose read
//! words occur only in comments (an API client generated with JSDoc that says "the
//! worker process" and "env var" ten thousand lines long) holds no read and is not
//! parsed. Strings stay: `process["env"]` and `import { env } from "process"` name
//! their words in strings.
//!
//! Where a comment starts depends on where strings, template literals and regular
//! expression literals are, and a `/` is a regular expression or a division by what
//! came before it. The lexer follows the cases that are certain: after an operator,
//! `(`, `,` or a keyword that takes an expression, a regular expression; after a name,
//! a number, a string or `]`, a division. After `)` or `}` (`if (a) /x/` against
//! `(a) / 2`), `++`/`--` and the contextual keywords (`of`, `yield`, `await`, which may
//! be names), and at anything else it does not know, it gives up: `None`, and the
//! caller treats the whole text as code. Only `.ts` files are asked (JSX text in
//! `.tsx` and `.js` files is neither code nor a string).

/// `text` with the insides of comments replaced by spaces, line breaks kept; `None`
/// when the lexer cannot be sure where the comments are.
pub fn code_only(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut lexer = Lexer {
        bytes,
        at: 0,
        prev: Prev::Start,
        comments: Vec::new(),
    };
    if bytes.starts_with(b"#!") {
        lexer.line_comment();
    }
    lexer.code(false)?;
    if lexer.comments.is_empty() {
        return Some(text.to_string());
    }
    let mut out = bytes.to_vec();
    for range in lexer.comments {
        for b in &mut out[range] {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b' ';
            }
        }
    }
    String::from_utf8(out).ok()
}

/// What the last token was, as far as a following `/` is concerned.
#[derive(Clone, Copy, PartialEq)]
enum Prev {
    Start,
    /// A value ends here (a name, a number, a string, `]`, a regex): `/` divides.
    Value,
    /// An operator, `(`, `,`, `;`, `{`, `[` or an expression keyword: `/` starts a
    /// regular expression.
    Operator,
    /// `)`, `}`, `++`, `--`, a contextual keyword: either.
    Unsure,
}

/// Keywords after which an expression comes (`return /x/`). A keyword right after `.`
/// is a property name (`a.delete / 2`).
const EXPRESSION_KEYWORDS: &[&[u8]] = &[
    b"return",
    b"typeof",
    b"instanceof",
    b"in",
    b"new",
    b"delete",
    b"void",
    b"throw",
    b"case",
    b"do",
    b"else",
    b"default",
    b"extends",
];

/// Words that are keywords in some places and names in others.
const CONTEXTUAL: &[&[u8]] = &[b"of", b"yield", b"await", b"async", b"let", b"get", b"set"];

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'#' || b >= 0x80
}

struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
    prev: Prev,
    comments: Vec<std::ops::Range<usize>>,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    /// Code up to the end of the text, or (in a template's `${…}`) to the `}` that
    /// closes the placeholder, which it steps over.
    fn code(&mut self, in_placeholder: bool) -> Option<()> {
        let mut depth = 0usize;
        while let Some(b) = self.peek(0) {
            match b {
                b'/' if self.peek(1) == Some(b'/') => self.line_comment(),
                b'/' if self.peek(1) == Some(b'*') => self.block_comment()?,
                b'/' => match self.prev {
                    Prev::Value => self.punct(1),
                    Prev::Start | Prev::Operator => self.regex()?,
                    Prev::Unsure => return None,
                },
                b'\'' | b'"' => self.string(b)?,
                b'`' => self.template()?,
                b'{' | b'(' | b'[' => {
                    depth += 1;
                    self.punct(1);
                }
                b'}' if depth == 0 => {
                    return in_placeholder.then(|| {
                        self.at += 1;
                        self.prev = Prev::Value;
                    });
                }
                b'}' | b')' => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                    self.prev = Prev::Unsure;
                }
                b']' => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                    self.prev = Prev::Value;
                }
                b'+' | b'-' if self.peek(1) == Some(b) => {
                    self.at += 2;
                    self.prev = Prev::Unsure;
                }
                b'.' if self.peek(1).is_some_and(|d| d.is_ascii_digit()) => {
                    self.at += 1;
                    self.word();
                }
                // TypeScript's non-null assertion (`total! / n`) ends a value; `!x`
                // starts one.
                b'!' if self.prev == Prev::Value && self.peek(1) != Some(b'=') => {
                    self.at += 1;
                    self.prev = Prev::Unsure;
                }
                b if is_word(b) => self.word(),
                b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => self.at += 1,
                _ if b.is_ascii_punctuation() => self.punct(1),
                // Control bytes: not TypeScript.
                _ => return None,
            }
        }
        (!in_placeholder && depth == 0).then_some(())
    }

    fn punct(&mut self, len: usize) {
        self.at += len;
        self.prev = Prev::Operator;
    }

    /// A name, keyword or number (`1.5e-3`'s `-` is an operator after a value: `/`
    /// still divides).
    fn word(&mut self) {
        let after_dot = self.at > 0 && self.bytes[self.at - 1] == b'.';
        let start = self.at;
        // A number's `.` is part of it (`1.5`).
        let number = self.bytes[start].is_ascii_digit();
        while self
            .peek(0)
            .is_some_and(|b| is_word(b) || (number && b == b'.'))
        {
            self.at += 1;
        }
        let word = &self.bytes[start..self.at];
        self.prev = if after_dot {
            Prev::Value
        } else if EXPRESSION_KEYWORDS.contains(&word) {
            Prev::Operator
        } else if CONTEXTUAL.contains(&word) {
            Prev::Unsure
        } else {
            Prev::Value
        };
    }

    /// To the end of the line (a line comment is recorded from after its `//`).
    fn line_comment(&mut self) {
        let start = self.at + 2;
        while let Some(b) = self.peek(0) {
            // U+2028 and U+2029 end a line in JavaScript too.
            if matches!(b, b'\n' | b'\r')
                || (b == 0xE2
                    && self.peek(1) == Some(0x80)
                    && matches!(self.peek(2), Some(0xA8 | 0xA9)))
            {
                break;
            }
            self.at += 1;
        }
        if start < self.at {
            self.comments.push(start..self.at);
        }
    }

    fn block_comment(&mut self) -> Option<()> {
        let start = self.at + 2;
        let len = memchr::memmem::find(&self.bytes[start..], b"*/")?;
        self.comments.push(start..start + len);
        self.at = start + len + 2;
        Some(())
    }

    fn string(&mut self, quote: u8) -> Option<()> {
        self.at += 1;
        loop {
            match self.peek(0)? {
                b'\\' => self.at += 2,
                b'\n' | b'\r' => return None,
                b if b == quote => break,
                _ => self.at += 1,
            }
        }
        self.at += 1;
        self.prev = Prev::Value;
        Some(())
    }

    fn template(&mut self) -> Option<()> {
        self.at += 1;
        loop {
            match self.peek(0)? {
                b'\\' => self.at += 2,
                b'`' => break,
                b'$' if self.peek(1) == Some(b'{') => {
                    self.at += 2;
                    self.prev = Prev::Operator;
                    self.code(true)?;
                }
                _ => self.at += 1,
            }
        }
        self.at += 1;
        self.prev = Prev::Value;
        Some(())
    }

    /// A regular expression literal: `/`, its body (a `/` inside `[…]` or escaped does
    /// not end it), `/`, its flags.
    fn regex(&mut self) -> Option<()> {
        self.at += 1;
        let mut class = false;
        loop {
            match self.peek(0)? {
                b'\\' => self.at += 1,
                b'\n' | b'\r' => return None,
                b'[' => class = true,
                b']' => class = false,
                b'/' if !class => break,
                _ => {}
            }
            self.at += 1;
        }
        self.at += 1;
        while self.peek(0).is_some_and(|b| b.is_ascii_alphabetic()) {
            self.at += 1;
        }
        self.prev = Prev::Value;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::code_only;

    #[test]
    fn comments_are_blanked_strings_are_not() {
        let text =
            "// process.env\nconst a = \"process\"; /** the env\n * var */ x = `//${a}` // env\n";
        let code = code_only(text).unwrap();
        assert_eq!(code.len(), text.len());
        assert_eq!(
            code,
            "//            \nconst a = \"process\"; /*         \n       */ x = `//${a}` //    \n"
        );
    }

    #[test]
    fn the_lookalikes_fixture_lexes_and_keeps_its_reads() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/typescript/comment-lookalikes.ts"
        );
        let code = code_only(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(code.matches("process.env.").count(), 5, "{code}");
        assert!(
            !code.contains("NOT_A_READ") && !code.contains("Each read"),
            "{code}"
        );
    }

    #[test]
    fn slashes_in_strings_templates_and_regexes_start_no_comment() {
        for text in [
            "const u = \"http://x\" + process.env.A;\n",
            "const u = 'a\\'//' + process.env.A;\n",
            "const u = `http://${host}/${process.env.A}`;\n",
            "const r = /\\/\\/[/]/g; process.env.A;\n",
            "const r = x.split(/\\//); process.env.A;\n",
            "if (!/^\\/\\//.test(s)) process.env.A;\n",
            "return /\\*/.test(s) && process.env.A;\n",
            "const half = a[0] / 2 / 3; process.env.A;\n",
            "const t = `${`${a}//`}` + process.env.A;\n",
            "const o = { a: 1 }; const d = b.delete / 2 / c; process.env.A;\n",
            "const n = 1.5 / 2 // x\n; process.env.A;\n",
        ] {
            let code = code_only(text).unwrap_or_else(|| panic!("{text:?} did not lex"));
            assert!(code.contains("process.env.A"), "{text:?} -> {code:?}");
        }
    }

    #[test]
    fn what_is_ambiguous_is_none() {
        for text in [
            "if (a) /x/.test(s);\n",
            "const h = (a + b) / 2;\n",
            "x++ / 2;\n",
            "for (const of of /x/g) {}\n",
            "const s = 'unterminated\n",
            "/* never closed\n",
            "const t = `${a`;\n",
            "f(a));\n",
            "const n = total! / count; // process.env\n",
        ] {
            assert_eq!(code_only(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_shebang_is_a_comment() {
        let code = code_only("#!/usr/bin/env -S deno run --allow-env\nx;\n").unwrap();
        assert!(!code.contains("env"), "{code}");
    }
}

/// Every byte [`code_only`] blanks lies in a comment by tree-sitter-typescript's
/// reading, on every `.ts` file of the fixtures and test data (and of
/// `SHUSH_LEX_CORPUS`, a directory, when set: a real tree to check by hand).
#[cfg(test)]
mod agrees_with_tree_sitter {
    use super::code_only;
    use crate::detect::lex_corpus;

    #[test]
    fn blanked_bytes_are_comments() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into())
            .unwrap();
        let mut blanked_files = 0;
        for (path, text) in lex_corpus::files("ts") {
            let Some(code) = code_only(&text) else {
                continue;
            };
            let tree = parser
                .parse(crate::source::lone_cr_as_lf(&text).as_bytes(), None)
                .unwrap();
            let mut comments = Vec::new();
            lex_corpus::each_node(&tree, |node| {
                if matches!(node.kind(), "comment" | "hash_bang_line") {
                    comments.push(node.byte_range());
                }
            });
            lex_corpus::assert_blanked_within(&path, &text, &code, &comments);
            blanked_files += usize::from(code != text);
        }
        assert!(
            blanked_files > 15,
            "only {blanked_files} files had anything blanked"
        );
    }
}
