//! Text made safe to print on a terminal. A file name or a source line can hold control
//! characters (which move the cursor, clear the screen or retitle the window) and
//! bidirectional overrides (which reorder what a reader sees, as in "Trojan Source",
//! CVE-2021-42574); human output shows each as a visible symbol and never sends it raw.

use std::borrow::Cow;

/// The visible stand-in for a character a terminal would act on; `keep_breaks` keeps
/// tab, line feed and carriage return (the layout of a multi-line text).
fn stand_in(c: char, keep_breaks: bool) -> Option<char> {
    match c {
        '\t' | '\n' | '\r' if keep_breaks => None,
        // C0 controls as Unicode's control pictures: ␀ … ␛ … ␟.
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32),
        '\x7f' => Some('\u{2421}'),
        // C1 controls (CSI and OSC among them) and the bidi embeddings, overrides,
        // isolates and marks.
        '\u{80}'..='\u{9f}'
        | '\u{061c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// One line of output (a path, a message): every control character shown, line breaks
/// included, so that it stays one line.
pub fn line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| stand_in(c, false).is_some()) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(|c| stand_in(c, false).unwrap_or(c)).collect())
}

/// A source text to show in snippets, its line breaks and tabs kept, and where each of
/// its offsets went (a stand-in may be longer than the character it replaces).
pub struct Text {
    pub text: String,
    /// (offset in the original of each replaced character, bytes added up to and
    /// including it), in order.
    grown: Vec<(usize, usize)>,
}

impl Text {
    /// `None` when the text has nothing to replace (the common case: no copy).
    pub fn escape(s: &str) -> Option<Text> {
        if !s.chars().any(|c| stand_in(c, true).is_some()) {
            return None;
        }
        let mut text = String::with_capacity(s.len() + 16);
        let mut grown = Vec::new();
        let mut added = 0;
        for (at, c) in s.char_indices() {
            match stand_in(c, true) {
                Some(shown) => {
                    text.push(shown);
                    added += shown.len_utf8() - c.len_utf8();
                    grown.push((at, added));
                }
                None => text.push(c),
            }
        }
        Some(Text { text, grown })
    }

    /// Where an offset of the original text is in the escaped one.
    pub fn offset(&self, original: usize) -> usize {
        let before = self.grown.partition_point(|&(at, _)| at < original);
        original + before.checked_sub(1).map_or(0, |i| self.grown[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(line("app/settings.py"), "app/settings.py");
        assert!(matches!(line("café ✓.py"), Cow::Borrowed(_)));
        assert_eq!(line("a\x1b[2Jb.py"), "a\u{241b}[2Jb.py");
        assert_eq!(line("odd\nname\t.py"), "odd\u{240a}name\u{2409}.py");
        assert_eq!(line("x\u{202e}yp.exe"), "x\u{fffd}yp.exe");
        assert_eq!(line("\u{9b}31m\x7f"), "\u{fffd}31m\u{2421}");
    }

    #[test]
    fn escaped_text_keeps_layout_and_maps_offsets() {
        assert!(Text::escape("x = 1\r\n\ty = 2\n").is_none());
        let s = "a\x1bb\u{9b}c\u{202e}d\n";
        let t = Text::escape(s).unwrap();
        assert_eq!(t.text, "a\u{241b}b\u{fffd}c\u{fffd}d\n");
        // Each original character boundary lands on the same character in the copy.
        for (at, c) in s.char_indices() {
            let mapped = t.offset(at);
            let shown = t.text[mapped..].chars().next().unwrap();
            assert_eq!(stand_in(c, true).unwrap_or(c), shown, "at {at}");
        }
        assert_eq!(t.offset(s.len()), t.text.len());
    }
}
