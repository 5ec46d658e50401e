//! One file as read from disk: whether it is text at all, its text without the BOM, its
//! language, its line index. Never writes; never decides what a finding is.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Which detectors a file goes to, decided from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Python,
    TypeScript,
    Tsx,
    JavaScript,
    Rust,
    /// Any other text file (only the name-independent rules apply).
    Text,
}

impl Language {
    /// The language of a path, from its extension.
    pub fn from_path(path: &Path) -> Language {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "py" | "pyi" | "pyw" => Language::Python,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "js" | "jsx" | "mjs" | "cjs" => Language::JavaScript,
            "rs" => Language::Rust,
            _ => Language::Text,
        }
    }

    /// The language of an extensionless script, from its `#!` line.
    pub fn from_shebang(first_line: &[u8]) -> Language {
        let line = String::from_utf8_lossy(first_line);
        let Some(rest) = line.strip_prefix("#!") else {
            return Language::Text;
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        // `#!/usr/bin/env -S python3 -u` names the interpreter after env's options.
        let interpreter = words
            .iter()
            .map(|w| w.rsplit('/').next().unwrap_or(w))
            .find(|w| !w.starts_with('-') && *w != "env")
            .unwrap_or("");
        if interpreter.starts_with("python") {
            Language::Python
        } else if ["node", "deno", "bun", "ts-node", "tsx"].contains(&interpreter) {
            Language::JavaScript
        } else {
            Language::Text
        }
    }

    /// The name used in output (`python`, `typescript`, …).
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::TypeScript | Language::Tsx => "typescript",
            Language::JavaScript => "javascript",
            Language::Rust => "rust",
            Language::Text => "text",
        }
    }
}

/// The line ending a file mostly uses; inserted lines use the same.
///
/// A line ends with LF, CR LF or a lone CR (old Mac OS files): Python's lexical
/// analysis ("Physical lines": "the Unix form using ASCII LF, the Windows form using
/// the ASCII sequence CR LF, or the old Macintosh form using the ASCII CR") and
/// ECMAScript's LineTerminator (LF, CR, LS, PS; CR LF is one) both count all three.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
    Cr,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
            LineEnding::Cr => "\r",
        }
    }

    /// The ending of the first line that has one; LF for a file with none.
    pub fn detect(text: &str) -> LineEnding {
        let bytes = text.as_bytes();
        match memchr::memchr2(b'\n', b'\r', bytes) {
            Some(i) if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') => LineEnding::CrLf,
            Some(i) if bytes[i] == b'\r' => LineEnding::Cr,
            _ => LineEnding::Lf,
        }
    }
}

/// `text` with every lone CR (a line ending, see [`LineEnding`]) turned into LF: the
/// same length, so offsets into it are offsets into `text`. For the tree-sitter
/// grammars, which take a lone CR for a space and so would read a file with old Mac
/// line endings as one line. Borrowed when there is no lone CR.
pub fn lone_cr_as_lf(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', bytes).any(lone) {
        return Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    for i in memchr::memchr_iter(b'\r', bytes).filter(|&i| lone(i)) {
        out[i] = b'\n';
    }
    // One ASCII byte for another: still UTF-8.
    Cow::Owned(String::from_utf8(out).expect("an ASCII byte replaced by an ASCII byte"))
}

const BOM: &str = "\u{feff}";

/// How a file's bytes map to its text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    #[default]
    Utf8,
    /// ISO 8859-1, one byte a character: what a Python source file declares with a
    /// PEP 263 `# -*- coding: latin-1 -*-` line.
    Latin1,
}

impl Encoding {
    /// The encoding a PEP 263 coding declaration names in the first two lines of a
    /// Python file (`None` without one, or for a codec other than these).
    pub fn declared(bytes: &[u8]) -> Option<Encoding> {
        // PEP 263: `^[ \t\f]*#.*?coding[:=][ \t]*([-_.a-zA-Z0-9]+)` on line 1 or 2.
        for line in bytes.split(|b| *b == b'\n').take(2) {
            let line = String::from_utf8_lossy(line);
            let trimmed = line.trim_start_matches([' ', '\t', '\x0c']);
            if !trimmed.starts_with('#') {
                continue;
            }
            let Some(at) = trimmed.find("coding") else {
                continue;
            };
            let rest = &trimmed[at + "coding".len()..];
            let Some(rest) = rest.strip_prefix([':', '=']) else {
                continue;
            };
            let name: String = rest
                .trim_start_matches([' ', '\t'])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            let name = name.to_ascii_lowercase().replace('_', "-");
            // Python's own aliases of the two codecs.
            return match name.as_str() {
                "utf-8" | "utf8" | "u8" | "utf" | "cp65001" | "utf-8-sig" => Some(Encoding::Utf8),
                "latin-1" | "latin1" | "latin" | "l1" | "iso-8859-1" | "iso8859-1" | "8859"
                | "cp819" | "iso-ir-100" | "iso-8859-1-1987" | "iso-8859-1:1987" => {
                    Some(Encoding::Latin1)
                }
                _ => None,
            };
        }
        None
    }

    /// The text of `bytes` in this encoding (`None`: not valid UTF-8).
    pub fn decode(self, bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
        match self {
            Encoding::Utf8 => String::from_utf8(bytes),
            Encoding::Latin1 => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
        }
    }

    /// `text` in this encoding (`None`: a character it cannot hold).
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        match self {
            Encoding::Utf8 => Some(text.as_bytes().to_vec()),
            Encoding::Latin1 => text
                .chars()
                .map(|c| u8::try_from(u32::from(c)).ok())
                .collect(),
        }
    }
}

/// A decoded text file. Byte offsets everywhere in shush are offsets into `text`,
/// which excludes a leading BOM; `bom` says whether to put it back on write.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user (relative to the working directory when possible).
    pub path: PathBuf,
    pub language: Language,
    pub text: String,
    pub bom: bool,
    /// The file's lines end with a lone CR on disk (old Mac OS) and never with LF: the
    /// text holds LF in their place, the same length, so that every line-based step
    /// (parsers, imports, suppressions, fixes) reads its lines; written back with CR.
    /// Python and JavaScript/TypeScript only, whose lexers end a line at a lone CR;
    /// rustc takes it for whitespace (a `//` comment then runs to the end of the file),
    /// and Rust and plain text files are read as they are.
    pub cr_lines: bool,
    /// What the text is stored as on disk.
    pub encoding: Encoding,
    /// Built on first use: most files have no finding and never need a position.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

/// A 1-based line and column; columns count Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    /// Builds a source file from decoded text, stripping a BOM (and, for Python and
    /// JavaScript/TypeScript, reading old Mac OS line endings as LF: see `cr_lines`).
    pub fn new(path: PathBuf, language: Language, text: String) -> SourceFile {
        let (mut text, bom) = match text.strip_prefix(BOM) {
            Some(rest) => (rest.to_owned(), true),
            None => (text, false),
        };
        let cr_lines = matches!(
            language,
            Language::Python | Language::TypeScript | Language::Tsx | Language::JavaScript
        ) && text.contains('\r')
            && !text.contains('\n');
        if cr_lines {
            text = text.replace('\r', "\n");
        }
        SourceFile {
            path,
            language,
            text,
            bom,
            cr_lines,
            encoding: Encoding::Utf8,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// The same file with other text (after fixes): BOM flag and path are kept.
    pub fn with_text(&self, text: String) -> SourceFile {
        SourceFile {
            path: self.path.clone(),
            language: self.language,
            text,
            bom: self.bom,
            cr_lines: self.cr_lines,
            encoding: self.encoding,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// The content as stored on disk, in the file's encoding (`None`: the text holds a
    /// character that encoding cannot store).
    pub fn encoded(&self) -> Option<Vec<u8>> {
        self.encoding.encode(&self.contents())
    }

    pub fn line_ending(&self) -> LineEnding {
        LineEnding::detect(&self.text)
    }

    /// The full content as it is stored on disk (BOM and lone CR line endings put back).
    pub fn contents(&self) -> String {
        let text = if self.cr_lines {
            Cow::Owned(self.text.replace('\n', "\r"))
        } else {
            Cow::Borrowed(self.text.as_str())
        };
        if self.bom {
            format!("{BOM}{text}")
        } else {
            text.into_owned()
        }
    }

    /// 1-based line and column of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let line = self.line_index(offset);
        let start = self.line_starts()[line];
        let column = self.text[start..offset.min(self.text.len())]
            .chars()
            .count()
            + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// 0-based index of the line holding `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of the 0-based line `index`, including its line ending.
    pub fn line_range(&self, index: usize) -> Range<usize> {
        let starts = self.line_starts();
        let start = starts[index];
        let end = starts.get(index + 1).copied().unwrap_or(self.text.len());
        start..end
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// The text of the line holding `offset`, without its line ending.
    pub fn line_text(&self, offset: usize) -> &str {
        let range = self.line_range(self.line_index(offset));
        self.text[range].trim_end_matches(['\n', '\r'])
    }
}

/// Where each line starts: after every LF, and after every CR not followed by LF.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    starts.extend(
        memchr::memchr2_iter(b'\n', b'\r', bytes)
            .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
            .map(|i| i + 1),
    );
    starts
}

/// How much of a file the binary test looks at (git and ripgrep look at 8 KiB too).
const SNIFF_LEN: usize = 8192;

/// A file is binary when more than 1 in `CONTROL_SHARE` of its first 8 KiB are control
/// bytes other than whitespace and ESC. Uniformly random bytes (compressed or encrypted
/// data with no magic number) hold 27 such values out of 256, about 10.5%; text holds
/// next to none (a stray NUL or form feed: a few per thousand at most). 1 in 20 (5%)
/// sits halfway, with room on both sides for the noise of a short sample.
const CONTROL_SHARE: usize = 20;

/// Leading bytes of the binary formats found in source trees: images, fonts, archives,
/// executables, databases. A file starting with one is never text, whatever follows.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\0", "TIFF image"),
    (b"MM\0*", "TIFF image"),
    (b"\0\0\x01\0", "icon"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (zip, jar, docx, …)"),
    (b"PK\x05\x06", "ZIP archive (zip, jar, docx, …)"),
    (b"PK\x07\x08", "ZIP archive (zip, jar, docx, …)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\0", "xz archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xfe\xed\xfa\xce", "Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    // Also a Java class file: both are binary.
    (b"\xca\xfe\xba\xbe", "Mach-O universal binary or Java class"),
    (b"\0asm", "WebAssembly module"),
    (b"SQLite format 3\0", "SQLite database"),
    (b"OggS\0", "Ogg media"),
    (b"fLaC\0", "FLAC audio"),
    (b"ID3\x02", "MP3 audio"),
    (b"ID3\x03", "MP3 audio"),
    (b"ID3\x04", "MP3 audio"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"\0\x01\0\0", "TrueType font"),
    (b"OTTO\0", "OpenType font"),
];

/// What a file's bytes hold, from their first 8 KiB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniffed {
    /// Not text: skipped. What it is (`"PNG image"`, `"binary data"`).
    Binary(&'static str),
    /// Text in UTF-16, announced by its byte order mark.
    Utf16 { big_endian: bool },
    /// Text (maybe not UTF-8, maybe with a stray NUL).
    Text,
}

/// Tells binary files from text: a known magic number, or a high share of control bytes
/// (see [`CONTROL_SHARE`]). A UTF-16 byte order mark makes a file text.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    // UTF-32 LE starts like UTF-16 LE (FF FE) and then has two NULs: it is not
    // decoded, and its NULs make it binary below.
    match head {
        [0xff, 0xfe, 0, 0, ..] => {}
        [0xff, 0xfe, ..] => return Sniffed::Utf16 { big_endian: false },
        [0xfe, 0xff, ..] => return Sniffed::Utf16 { big_endian: true },
        _ => {}
    }
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Sniffed::Binary(what);
    }
    // A DOS or PE executable: `MZ`, then a header whose fields hold NULs.
    if head.starts_with(b"MZ") && head.len() >= 64 && head[2..64].contains(&0) {
        return Sniffed::Binary("Windows executable");
    }
    // RIFF: a 32-bit little-endian size (whose top byte is 0 below 16 MiB, never all
    // printable in practice), then the form (`WEBP`, `WAVE`, `AVI `).
    let form = |b: &u8| b.is_ascii_alphanumeric() || *b == b' ';
    let binary_size = |size: &[u8]| size.iter().any(|b| !b.is_ascii_graphic() && *b != b' ');
    if head.starts_with(b"RIFF")
        && head.len() >= 12
        && binary_size(&head[4..8])
        && head[8..12].iter().all(form)
    {
        return Sniffed::Binary("RIFF media (WebP, WAV, AVI)");
    }
    // BMP: `BM`, the file's 32-bit size, then two reserved 16-bit fields that are
    // zero (BITMAPFILEHEADER); its pixel rows may hold few control bytes.
    if head.len() >= 14 && head.starts_with(b"BM") && head[6..10] == [0, 0, 0, 0] {
        return Sniffed::Binary("BMP image");
    }
    // bzip2: `BZh`, the block size digit, then the block magic (the digits of pi).
    if head.len() >= 10 && head.starts_with(b"BZh") && &head[4..10] == b"1AY&SY" {
        return Sniffed::Binary("bzip2 archive");
    }
    if head.len() > 262 && &head[257..262] == b"ustar" {
        return Sniffed::Binary("tar archive");
    }
    // Counted in byte lanes, 255 bytes at a time, from comparisons only: code the
    // compiler vectorizes (the `matches!` of `is_control` byte by byte was 2 % of a run).
    let control: usize = head
        .chunks(255)
        .map(|chunk| {
            let n = chunk.iter().fold(0u8, |n, &b| {
                let c0 = b < 0x20 && b.wrapping_sub(0x09) >= 5 && b != 0x1b;
                n.wrapping_add(u8::from(c0 | (b == 0x7f)))
            });
            usize::from(n)
        })
        .sum();
    if control * CONTROL_SHARE > head.len() {
        return Sniffed::Binary("binary data");
    }
    Sniffed::Text
}

/// A C0 control byte (or DEL) that text does not hold: tab, line feed, vertical tab,
/// form feed, carriage return and ESC (terminal colours in logs) are text. (What
/// `sniff` counts, in a form the compiler vectorizes; a test checks every byte.)
#[cfg(test)]
fn is_control(b: u8) -> bool {
    matches!(b, 0..=8 | 0x0e..=0x1a | 0x1c..=0x1f | 0x7f)
}

/// The text of a UTF-16 file (its BOM included, as U+FEFF); a unit that is not UTF-16
/// (a lone surrogate, an odd last byte) becomes U+FFFD. Line breaks stay where they are.
pub fn decode_utf16(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes.chunks(2).map(|pair| match (pair, big_endian) {
        ([a, b], false) => u16::from_le_bytes([*a, *b]),
        ([a, b], true) => u16::from_be_bytes([*a, *b]),
        _ => 0xfffd,
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// The text of bytes that are not UTF-8, for the secret rules: each byte that is not
/// part of a UTF-8 character becomes one U+FFFD, so that lines keep their numbers and a
/// file in a one-byte encoding (latin-1, cp1252) keeps its columns.
pub fn decode_lossy(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(std::iter::repeat_n(
            char::REPLACEMENT_CHARACTER,
            chunk.invalid().len(),
        ));
    }
    text
}

/// The path to show for `path`: relative to `base` when it is below it.
pub fn display_path(path: &Path, base: &Path) -> PathBuf {
    match path.strip_prefix(base) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_counts_the_control_bytes_of_is_control() {
        for b in 0..=255u8 {
            // More than 1 byte in 20 (`CONTROL_SHARE`): 3 in 33.
            let mut text = vec![b'a'; 30];
            text.extend([b, b, b]);
            let binary = matches!(sniff(&text), Sniffed::Binary(_));
            assert_eq!(binary, is_control(b), "byte {b:#04x}");
        }
    }

    #[test]
    fn coding_declarations() {
        let latin = b"#!/usr/bin/env python\n# -*- coding: latin-1 -*-\nx = 1\n";
        assert_eq!(Encoding::declared(latin), Some(Encoding::Latin1));
        assert_eq!(
            Encoding::declared(b"# vim: set fileencoding=iso-8859-1 :\n"),
            Some(Encoding::Latin1)
        );
        assert_eq!(Encoding::declared(b"# coding=utf8\n"), Some(Encoding::Utf8));
        // Only the first two lines count, and only comments.
        assert_eq!(Encoding::declared(b"\n\n# coding: latin-1\n"), None);
        assert_eq!(Encoding::declared(b"x = '# coding: latin-1'\n"), None);
        let text = Encoding::Latin1
            .decode(b"s = '\xe9t\xe9'".to_vec())
            .unwrap();
        assert_eq!(text, "s = '\u{e9}t\u{e9}'");
        assert_eq!(Encoding::Latin1.encode(&text).unwrap(), b"s = '\xe9t\xe9'");
        assert_eq!(Encoding::Latin1.encode("\u{20ac}"), None);
    }

    #[test]
    fn binary_files_by_magic_number_or_control_bytes() {
        let text = b"fn main() {}\n".repeat(100);
        assert_eq!(sniff(&text), Sniffed::Text);
        // Not UTF-8, but text: latin-1, cp1252's C1 range, terminal colours, one NUL.
        assert_eq!(sniff(b"caf\xe9 \x93quoted\x94\n"), Sniffed::Text);
        assert_eq!(sniff(b"\x1b[31mred\x1b[0m\n"), Sniffed::Text);
        let mut nul = b"x = 1\n".repeat(50);
        nul.push(0);
        assert_eq!(sniff(&nul), Sniffed::Text);
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Sniffed::Binary("PNG image")
        );
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Binary("PDF document"));
        assert_eq!(
            sniff(b"\x7fELF\x02\x01\x01"),
            Sniffed::Binary("ELF executable")
        );
        assert_eq!(
            sniff(b"\0asm\x01\0\0\0"),
            Sniffed::Binary("WebAssembly module")
        );
        let mut pe = b"MZ\x90\0\x03\0\0\0".to_vec();
        pe.resize(128, 0);
        assert_eq!(sniff(&pe), Sniffed::Binary("Windows executable"));
        // A text that merely starts like a format is still text.
        assert_eq!(
            sniff(
                b"MZ is the DOS header, documented here.\n"
                    .repeat(3)
                    .as_slice()
            ),
            Sniffed::Text
        );
        assert_eq!(sniff(b"RIFF: a container format...\n"), Sniffed::Text);
        assert_eq!(
            sniff(b"RIFF\x24\x08\0\0WAVEfmt "),
            Sniffed::Binary("RIFF media (WebP, WAV, AVI)")
        );
        assert_eq!(sniff(b"ID3 tags are read by ...\n"), Sniffed::Text);
        let mut bmp = b"BM\x36\x30\0\0\0\0\0\0\x36\0\0\0\x28\0".to_vec();
        bmp.extend(b"\xff\xfe\xfd".repeat(1000));
        assert_eq!(sniff(&bmp), Sniffed::Binary("BMP image"));
        assert_eq!(sniff(b"BMW and BMX are names, not images\n"), Sniffed::Text);
        // Control bytes: 1 in 10 is binary, 1 in 40 is not.
        let share = |every: usize| -> Vec<u8> {
            (0..4000)
                .map(|i| if i % every == 0 { 1 } else { b'a' })
                .collect()
        };
        assert_eq!(sniff(&share(10)), Sniffed::Binary("binary data"));
        assert_eq!(sniff(&share(40)), Sniffed::Text);
        // UTF-16 by its BOM; UTF-32 LE is not taken for it.
        assert_eq!(sniff(b"\xff\xfea\0"), Sniffed::Utf16 { big_endian: false });
        assert_eq!(sniff(b"\xfe\xff\0a"), Sniffed::Utf16 { big_endian: true });
        assert_eq!(
            sniff(b"\xff\xfe\0\0a\0\0\0\n\0\0\0"),
            Sniffed::Binary("binary data")
        );
    }

    #[test]
    fn decodings_keep_lines_and_columns() {
        assert_eq!(decode_utf16(b"\xff\xfea\0\n\0b\0", false), "\u{feff}a\nb");
        assert_eq!(decode_utf16(b"\xfe\xff\0a\0\n\0b", true), "\u{feff}a\nb");
        // A lone surrogate and an odd last byte.
        assert_eq!(decode_utf16(b"\x00\xd8x", false), "\u{fffd}\u{fffd}");
        // One U+FFFD per byte that is not UTF-8, even where several form a broken
        // sequence.
        assert_eq!(decode_lossy(b"caf\xe9\nb"), "caf\u{fffd}\nb");
        assert_eq!(decode_lossy(b"\xe2\x82 x"), "\u{fffd}\u{fffd} x");
        assert_eq!(decode_lossy("é".as_bytes()), "é");
    }

    #[test]
    fn shebangs() {
        assert_eq!(
            Language::from_shebang(b"#!/usr/bin/env python3"),
            Language::Python
        );
        assert_eq!(
            Language::from_shebang(b"#!/usr/bin/python3.11 -u"),
            Language::Python
        );
        assert_eq!(
            Language::from_shebang(b"#!/usr/bin/env -S node --experimental"),
            Language::JavaScript
        );
        assert_eq!(Language::from_shebang(b"#!/bin/sh"), Language::Text);
        assert_eq!(Language::from_shebang(b"print(1)"), Language::Text);
    }

    #[test]
    fn positions_count_chars_and_skip_the_bom() {
        let f = SourceFile::new(
            "a.py".into(),
            Language::Python,
            "\u{feff}é = 1\r\nx = 2\n".into(),
        );
        assert!(f.bom);
        assert_eq!(
            f.position(f.text.find('x').unwrap()),
            Position { line: 2, column: 1 }
        );
        assert_eq!(
            f.position(f.text.find('=').unwrap()),
            Position { line: 1, column: 3 }
        );
        assert_eq!(f.line_ending(), LineEnding::CrLf);
        assert_eq!(f.line_text(0), "é = 1");
        assert!(f.contents().starts_with('\u{feff}'));
    }

    #[test]
    fn a_lone_cr_ends_a_line() {
        // A text file keeps its bytes; its lines end at LF, CR LF and a lone CR alike.
        let f = SourceFile::new("a.txt".into(), Language::Text, "a\rb\r\nc\nd\r".into());
        assert!(!f.cr_lines);
        let lines: Vec<usize> = ["a", "b", "c", "d"]
            .iter()
            .map(|l| f.position(f.text.find(l).unwrap()).line)
            .collect();
        assert_eq!(lines, [1, 2, 3, 4]);
        assert_eq!(f.line_text(2), "b");
        assert_eq!(f.line_ending(), LineEnding::Cr);
        assert_eq!(LineEnding::detect("a\r\nb\rc"), LineEnding::CrLf);
        assert_eq!(LineEnding::detect("a\nb\r"), LineEnding::Lf);
        // Only lone CRs become LF, in place.
        assert_eq!(lone_cr_as_lf("a\rb\r\nc\r"), "a\nb\r\nc\n");
        assert!(matches!(lone_cr_as_lf("a\r\nb\n"), Cow::Borrowed(_)));
        // A Python file with CR endings only is read with LF, written with CR.
        let py = SourceFile::new(
            "a.py".into(),
            Language::Python,
            "\u{feff}x = 1\ry = 2\r".into(),
        );
        assert!(py.cr_lines);
        assert_eq!(py.text, "x = 1\ny = 2\n");
        assert_eq!(py.contents(), "\u{feff}x = 1\ry = 2\r");
        assert_eq!(py.with_text("z\n".into()).contents(), "\u{feff}z\r");
        // Mixed endings, and Rust (where a lone CR is whitespace): as they are.
        for (language, text) in [
            (Language::Python, "x = 1\ry = 2\n"),
            (Language::Rust, "fn a() {}\rfn b() {}\r"),
        ] {
            let f = SourceFile::new("a".into(), language, text.into());
            assert!(!f.cr_lines);
            assert_eq!(f.text, text);
        }
    }
}
