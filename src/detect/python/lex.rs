//! Which bytes of a Python file are code: a read is a name in code, so a file whose
//! target words occur only in comments and plain string literals (`#` notes,
//! docstrings, `monkeypatch.setattr("pkg.mod.os.environ", …)`) holds no read and is
//! not parsed.
//!
//! Python's lexical grammar has no context to guess (no regex literals), so one pass
//! finds every comment and string exactly. An f-string or t-string is code as a whole
//! (its `{…}` fields are expressions); only its end is looked for, through nested
//! fields, format specs and strings (PEP 701 lets a field hold the f-string's own
//! quote). Whatever the lexer does not follow — an unterminated string, an unknown
//! prefix — gives `None`: the caller then treats the whole text as code.

/// `text` with the insides of comments and of plain (not f/t) string literals replaced
/// by spaces, line breaks kept; `None` when the text does not lex.
pub fn code_only(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut lexer = Lexer { bytes, at: 0 };
    let mut blank = |range: std::ops::Range<usize>| {
        for b in &mut out[range] {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b' ';
            }
        }
    };
    while lexer.at < bytes.len() {
        match bytes[lexer.at] {
            b'#' => {
                let start = lexer.at;
                lexer.skip_line();
                blank(start + 1..lexer.at);
            }
            b'\'' | b'"' => {
                let string = lexer.string(lexer.at)?;
                if !string.formatted {
                    blank(string.body);
                }
            }
            b if is_word(b) => lexer.word(),
            _ => lexer.at += 1,
        }
    }
    // Only ASCII bytes were written over whole characters' bytes: still UTF-8.
    String::from_utf8(out).ok()
}

/// Identifier bytes (every byte of a non-ASCII character counts: Python names may hold
/// letters of any script).
pub(super) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// One string literal: whether it is an f- or t-string, and its body (between the
/// quotes).
pub(super) struct Str {
    formatted: bool,
    body: std::ops::Range<usize>,
}

pub(super) struct Lexer<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
}

impl Lexer<'_> {
    pub(super) fn skip_line(&mut self) {
        while self.at < self.bytes.len() && !matches!(self.bytes[self.at], b'\n' | b'\r') {
            self.at += 1;
        }
    }

    /// A name, a keyword or a number; when quotes follow, a string with this prefix.
    pub(super) fn word(&mut self) {
        while self.at < self.bytes.len() && is_word(self.bytes[self.at]) {
            self.at += 1;
        }
    }

    /// The string whose opening quote is at `quote` (its prefix, if any, is the word
    /// just before): the lexer ends after the closing quote.
    pub(super) fn string(&mut self, quote: usize) -> Option<Str> {
        let prefix_start = (0..quote)
            .rev()
            .take_while(|&i| is_word(self.bytes[i]))
            .last()
            .unwrap_or(quote);
        let prefix = self.bytes[prefix_start..quote].to_ascii_lowercase();
        let formatted = match prefix.as_slice() {
            b"" | b"r" | b"u" | b"b" | b"br" | b"rb" => false,
            b"f" | b"fr" | b"rf" | b"t" | b"tr" | b"rt" => true,
            // `x"…"` is not Python: do not guess where strings are.
            _ => return None,
        };
        let q = self.bytes[quote];
        let triple = self.bytes.get(quote..quote + 3) == Some(&[q, q, q][..]);
        let open = if triple { 3 } else { 1 };
        self.at = quote + open;
        let body_start = self.at;
        let body_end = self.string_body(q, triple, formatted)?;
        Some(Str {
            formatted,
            body: body_start..body_end,
        })
    }

    /// Reads a string body up to its closing quote(s), which it steps over; returns
    /// where the body ends.
    fn string_body(&mut self, q: u8, triple: bool, formatted: bool) -> Option<usize> {
        loop {
            let b = *self.bytes.get(self.at)?;
            match b {
                // An escape, or a line continued (CR LF is one line break).
                b'\\' if self.bytes.get(self.at + 1..self.at + 3) == Some(b"\r\n") => {
                    self.at += 3;
                }
                b'\\' => self.at += 2,
                b'\n' | b'\r' if !triple => return None,
                b'{' if formatted => {
                    if self.bytes.get(self.at + 1) == Some(&b'{') {
                        self.at += 2;
                    } else {
                        self.at += 1;
                        self.field()?;
                    }
                }
                _ if b == q => {
                    if !triple {
                        self.at += 1;
                        return Some(self.at - 1);
                    }
                    if self.bytes.get(self.at..self.at + 3) == Some(&[q, q, q][..]) {
                        self.at += 3;
                        return Some(self.at - 3);
                    }
                    self.at += 1;
                }
                _ => self.at += 1,
            }
        }
    }

    /// An f-string's replacement field after its `{`: an expression (with brackets and
    /// strings of its own), then maybe `!r` and a `:spec` that may hold fields; the
    /// lexer ends after the closing `}`.
    fn field(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            let b = *self.bytes.get(self.at)?;
            match b {
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    self.at += 1;
                }
                b')' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                }
                b'}' if depth == 0 => {
                    self.at += 1;
                    return Some(());
                }
                b'}' => {
                    depth -= 1;
                    self.at += 1;
                }
                b':' if depth == 0 => {
                    self.at += 1;
                    return self.format_spec();
                }
                b'\'' | b'"' => {
                    self.string(self.at)?;
                }
                b'#' => self.skip_line(),
                b if is_word(b) => self.word(),
                _ => self.at += 1,
            }
        }
    }

    /// A format spec after a field's `:`, up to the field's `}`; `{…}` inside are
    /// fields of their own.
    fn format_spec(&mut self) -> Option<()> {
        loop {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            match b {
                b'}' => return Some(()),
                b'{' => self.field()?,
                b'\\' => self.at += 1,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::code_only;

    #[test]
    fn comments_and_plain_strings_are_blanked() {
        let text = "import os  # os.environ\nx = \"os.environ\" + 'getenv'\n";
        let code = code_only(text).unwrap();
        assert_eq!(code.len(), text.len());
        assert_eq!(
            code,
            "import os  #           \nx = \"          \" + '      '\n"
        );
    }

    #[test]
    fn docstrings_and_prefixes() {
        let text = "def f():\n    \"\"\"Reads os.environ[\"X\"].\n    \"\"\"\n    return rb'environ', R\"\\\"getenv\"\n";
        let code = code_only(text).unwrap();
        assert!(
            !code.contains("environ") && !code.contains("getenv"),
            "{code}"
        );
        assert!(code.contains("def f():") && code.contains("return rb'"));
    }

    #[test]
    fn f_strings_stay_code_to_their_end() {
        for text in [
            "x = f\"{os.environ['A']}\"\n",
            "x = f\"{os.environ[\"A\"]}\"\n",
            "x = f'{a:>{w}} {{ }} {b!r}' + os.getenv('B')\n",
            "x = F'''\n{os.environ[\"A\"]}\n'''\n",
            "x = f\"{x:{'os'}}\" ; os.getenv('B')\n",
            "x = rf\"\\{os}\" ; y = f\"{ {'a': 1}['a'] }\" ; os.getenv('B')\n",
            "x = t\"{os.environ['A']}\"\n",
        ] {
            let code = code_only(text).unwrap_or_else(|| panic!("{text:?} did not lex"));
            assert!(code.contains("os."), "{text:?} -> {code:?}");
        }
        // After an f-string, a plain string is a string again.
        let code = code_only("x = f\"{a}\" + 'os.getenv'\n").unwrap();
        assert!(!code.contains("getenv"), "{code}");
    }

    #[test]
    fn what_does_not_lex_is_none() {
        for text in [
            "x = 'unterminated\n",
            "x = \"\"\"never closed\n",
            "x = q'not a prefix'\n",
            "x = f'{unclosed'\n",
            "x = f'{a)}'\n",
        ] {
            assert_eq!(code_only(text), None, "{text:?}");
        }
    }

    #[test]
    fn line_breaks_and_non_ascii_are_kept_whole() {
        let text = "# naïve — comment\r\ns = 'é os'\r\n";
        let code = code_only(text).unwrap();
        assert_eq!(code.len(), text.len());
        assert_eq!(code.matches("\r\n").count(), 2);
        assert!(!code.contains("os"));
    }
}

/// Every byte [`code_only`] blanks lies in a comment or in the body of a plain string
/// by tree-sitter-python's reading, on every `.py` file of the fixtures and test data
/// (and of `SHUSH_LEX_CORPUS`, a directory, when set: a real tree to check by hand).
#[cfg(test)]
mod agrees_with_tree_sitter {
    use super::code_only;
    use crate::detect::lex_corpus;

    /// The byte ranges tree-sitter says are comments or plain strings' bodies.
    fn quiet_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let text = crate::source::lone_cr_as_lf(text);
        let tree = parser.parse(text.as_bytes(), None).unwrap();
        let mut ranges = Vec::new();
        lex_corpus::each_node(&tree, |node| match node.kind() {
            "comment" => ranges.push(node.byte_range()),
            "string" => {
                let mut cursor = node.walk();
                let children: Vec<_> = node.children(&mut cursor).collect();
                let formatted = children.iter().any(|c| c.kind() == "interpolation")
                    || children.first().is_some_and(|start| {
                        let prefix = &text[start.byte_range()];
                        prefix.contains(['f', 'F', 't', 'T'])
                    });
                if let (false, [start, .., end]) = (formatted, children.as_slice()) {
                    ranges.push(start.end_byte()..end.start_byte());
                }
            }
            _ => {}
        });
        ranges
    }

    #[test]
    fn blanked_bytes_are_comments_or_plain_strings() {
        let mut blanked_files = 0;
        for (path, text) in lex_corpus::files("py") {
            let Some(code) = code_only(&text) else {
                continue;
            };
            let quiet = quiet_ranges(&text);
            lex_corpus::assert_blanked_within(&path, &text, &code, &quiet);
            blanked_files += usize::from(code != text);
        }
        assert!(
            blanked_files > 40,
            "only {blanked_files} files had anything blanked"
        );
    }
}
