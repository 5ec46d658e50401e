//! The value classifier of the generic detector: given the text assigned to a
//! secret-looking name, says whether it looks like a real credential and how sure that
//! is, from its shape alone (length, alphabet, entropy, words, sequences, templates).
//! Never looks at the name or the file; never allocates more than the value's length.

use crate::detect::Confidence;
use crate::rules::secrets::NameKind;

/// Words that make a value a stand-in for a secret, wherever they occur in it
/// (case-insensitive): `your_api_key_here`, `my-secret`, `v4-password`, `changeme`.
/// Four letters or more, so that random text holds one only by rare chance.
const PLACEHOLDER_WORDS: &[&str] = &[
    "your",
    "example",
    "sample",
    "dummy",
    "fake",
    "mock",
    "test",
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "replace",
    "insert",
    "redacted",
    "filtered",
    "masked",
    "hidden",
    "removed",
    "omitted",
    "secret",
    "password",
    "passwd",
    "passphrase",
    "token",
    "apikey",
    "api_key",
    "api-key",
    "xxxx",
    "todo",
    "fixme",
    "lorem",
    "ipsum",
    "hunter",
    "letmein",
    "qwerty",
    "asdf",
    "admin",
    "guest",
    "default",
    "null",
    "undefined",
    "hello",
    "world",
    "foobar",
    "value",
    "string",
    "invalid",
    "bogus",
    "pass",
];

/// Whole segments (between separators) that make a value a stand-in: `foo_bar`, `my-key`.
const PLACEHOLDER_SEGMENTS: &[&str] = &[
    "my", "foo", "bar", "baz", "qux", "key", "abc", "xyz", "xxx", "tbd", "nil", "pwd", "pw",
    "user", "usr", "tmp", "here", "temp", "root", "none", "demo", "local", "empty", "blank",
    "sandbox", "staging", "unset", "notset",
];

/// Words that make spaced text a sentence (a label, a hint, an error) rather than a
/// passphrase of chosen words.
const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "be",
    "is",
    "are",
    "to",
    "of",
    "in",
    "on",
    "at",
    "for",
    "and",
    "or",
    "not",
    "no",
    "you",
    "your",
    "must",
    "should",
    "least",
    "characters",
    "enter",
    "please",
    "with",
    "this",
    "that",
    "it",
    "do",
    "does",
    "can",
    "will",
    "if",
    "by",
    "as",
    "from",
    "new",
    "old",
    "again",
    "here",
    "set",
    "use",
    "used",
    "long",
    "short",
    "valid",
    "invalid",
    "required",
    "match",
    "confirm",
    "forgot",
    "reset",
    "change",
    "show",
    "hide",
    "de",
    "le",
    "la",
    "mot",
    "passe",
];

/// What a value looks like, for the generic detector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Not a secret: a placeholder, template, identifier, path, URL, number, version…
    Not,
    /// Might be one, but its shape alone does not say so (a UUID, a short or digits-only
    /// password).
    Weak,
    /// Looks like a credential.
    Strong,
}

impl Verdict {
    /// The confidence a finding of this verdict gets, or `None` for no finding.
    pub fn confidence(self) -> Option<Confidence> {
        match self {
            Verdict::Not => None,
            Verdict::Weak => Some(Confidence::Low),
            Verdict::Strong => Some(Confidence::Medium),
        }
    }
}

/// Judges `value`, assigned to a name of `kind`.
pub fn classify(value: &str, kind: NameKind) -> Verdict {
    let len = value.len();
    let (min, max) = match kind {
        NameKind::Password => (8, 256),
        NameKind::Token => (12, 1024),
    };
    // A person may choose letters of any script; a machine-made token is ASCII.
    if !(6..=max).contains(&len) || (kind == NameKind::Token && !value.is_ascii()) {
        return Verdict::Not;
    }
    let bytes = value.as_bytes();
    if bytes.iter().any(u8::is_ascii_control) {
        return Verdict::Not;
    }
    if bytes.contains(&b' ') {
        // Only a passphrase has spaces (`Glacier turtle maple breeze 81?`).
        return match kind {
            NameKind::Password if is_passphrase(value) => Verdict::Strong,
            _ => Verdict::Not,
        };
    }
    if is_template(value) || is_code(value) || is_placeholder(value) {
        return Verdict::Not;
    }
    if value.contains("://") || is_path(value) || is_version(value) || is_colour(value) {
        return Verdict::Not;
    }
    for prefix in ["sha512-", "sha384-", "sha256-", "sha1-", "md5-"] {
        if value.starts_with(prefix) {
            return Verdict::Not;
        }
    }
    if kind == NameKind::Password && is_passphrase(value) {
        return Verdict::Strong;
    }
    if is_identifier(value) {
        return Verdict::Not;
    }
    if let Some(text) = base64_text(value) {
        // `aGVsbG8gd29ybGQ=`: base64 of words, not a key.
        if text {
            return Verdict::Not;
        }
    }
    let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
    if digits == len {
        // Ports, ids, timestamps; a password of digits only is a PIN at best.
        return match kind {
            NameKind::Password if len >= 8 => Verdict::Weak,
            _ => Verdict::Not,
        };
    }
    if is_uuid(value) {
        return Verdict::Weak;
    }
    match kind {
        NameKind::Password => {
            let classes = classes(value);
            if len < min {
                // Short, but chosen with care: `Xk9#pL2` is a password; `hunter2` is not
                // said with enough certainty.
                return if len >= 6 && classes >= 3 {
                    Verdict::Weak
                } else {
                    Verdict::Not
                };
            }
            let hex = value.bytes().all(|b| b.is_ascii_hexdigit());
            let letters_only = value.bytes().all(|b| b.is_ascii_alphabetic());
            if word_and_number(value) {
                // `minio123`, `nextcloud2024`, `Admin01`: a default, not a chosen secret.
                Verdict::Weak
            } else if hex && matches!(len, 32 | 40 | 56 | 64 | 96 | 128) {
                // MD5, SHA-1, SHA-2: a digest of something, more often than a password.
                Verdict::Weak
            } else if letters_only && case_changes(value) < 3 {
                // A word in some language (`Wachtwoord`, `Contraseña`), not a chosen secret.
                Verdict::Not
            } else if classes >= 2 || (len >= 16 && looks_random(value)) {
                Verdict::Strong
            } else {
                Verdict::Not
            }
        }
        NameKind::Token => {
            if len < min {
                return Verdict::Not;
            }
            if looks_random(value) && (len >= 20 || value.bytes().any(|b| b.is_ascii_digit())) {
                Verdict::Strong
            } else {
                Verdict::Not
            }
        }
    }
}

/// Four to ten words chosen at random, some with digits or symbols: not a sentence (no
/// stopword), not a stand-in.
fn is_passphrase(value: &str) -> bool {
    let separator = [' ', '-', '_', '.']
        .into_iter()
        .find(|c| value.contains(*c))
        .unwrap_or(' ');
    let words: Vec<&str> = value.split(separator).collect();
    // Words and at most one tail of digits or symbols: `velvet-staple-meadow-83`.
    if !(4..=10).contains(&words.len()) || is_placeholder(value) {
        return false;
    }
    let word = |w: &&str| {
        w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphabetic()) && pronounceable(w.as_bytes())
    };
    let plain = words.iter().filter(|w| word(w)).count();
    let marked = value
        .bytes()
        .any(|b| b.is_ascii_digit() || (b.is_ascii_punctuation() && char::from(b) != separator));
    let stopword = words.iter().any(|w| {
        let w = w.to_ascii_lowercase();
        STOPWORDS.contains(&w.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
    });
    marked && plain + 1 >= words.len() && plain >= 3 && !stopword
}

/// How often the case changes between neighbouring letters.
fn case_changes(value: &str) -> usize {
    value
        .as_bytes()
        .windows(2)
        .filter(|w| w[0].is_ascii_alphabetic() && w[1].is_ascii_alphabetic())
        .filter(|w| w[0].is_ascii_uppercase() != w[1].is_ascii_uppercase())
        .count()
}

/// One word (letters, a capital at most at its start) and a number of up to four
/// digits, either way round: `minio123`, `Admin2024`, `2024nextcloud`.
fn word_and_number(value: &str) -> bool {
    let b = value.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let (word, number) = if letters > 0 {
        (&b[..letters], &b[letters..])
    } else {
        (&b[digits..], &b[..digits])
    };
    !word.is_empty()
        && word.iter().all(u8::is_ascii_alphabetic)
        && word[1..].iter().all(u8::is_ascii_lowercase)
        && (1..=4).contains(&number.len())
        && number.iter().all(u8::is_ascii_digit)
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0usize; 256];
    for &b in s.as_bytes() {
        counts[b as usize] += 1;
    }
    let total = s.len() as f64;
    if total == 0.0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| {
            let p = n as f64 / total;
            -p * p.log2()
        })
        .sum()
}

/// How many of lower case, upper case, digits and symbols the value uses.
fn classes(value: &str) -> usize {
    let b = value.as_bytes();
    [
        b.iter().any(u8::is_ascii_lowercase),
        b.iter().any(u8::is_ascii_uppercase),
        b.iter().any(u8::is_ascii_digit),
        b.iter().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|x| **x)
    .count()
}

/// A machine-made value: high entropy for its length and alphabet, characters of
/// several kinds, and little of it readable words.
pub fn looks_random(value: &str) -> bool {
    let len = value.len();
    let h = entropy(value);
    let hex = value.bytes().all(|b| b.is_ascii_hexdigit());
    // The most a string of this length over its alphabet can have: log2 of the smaller
    // of the two. Random text reaches 90–95 % of it; we ask for 80 %.
    let alphabet = if hex { 16.0 } else { 64.0 };
    let ceiling = (len as f64).min(alphabet).log2();
    if h < 0.8 * ceiling {
        return false;
    }
    if hex {
        // A hex key: long enough to be one, both letters and digits.
        return len >= 16
            && value.bytes().any(|b| b.is_ascii_digit())
            && value.bytes().any(|b| b.is_ascii_alphabetic());
    }
    if classes(value) < 2 {
        return false;
    }
    // Readable words make up little of a random value: `mySuperLongApiValue` is not one.
    word_coverage(value) * 2 <= len
}

/// How many letters of `value` are in pronounceable runs of four or more: a run of
/// letters in one case (or capitalised) whose vowels are 25–65 % of it, with no four
/// consonants in a row.
fn word_coverage(value: &str) -> usize {
    let b = value.as_bytes();
    let mut covered = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        // A run: one capital then lower case, or one case throughout.
        let start = i;
        i += 1;
        let upper_run = b[start].is_ascii_uppercase() && i < b.len() && b[i].is_ascii_uppercase();
        while i < b.len()
            && b[i].is_ascii_alphabetic()
            && (if upper_run {
                b[i].is_ascii_uppercase()
            } else {
                b[i].is_ascii_lowercase()
            })
        {
            i += 1;
        }
        let run = &b[start..i];
        if run.len() >= 4 && pronounceable(run) {
            covered += run.len();
        }
    }
    covered
}

fn pronounceable(run: &[u8]) -> bool {
    let vowel = |c: &u8| {
        matches!(
            c.to_ascii_lowercase(),
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
        )
    };
    let vowels = run.iter().filter(|c| vowel(c)).count();
    let ratio = vowels as f64 / run.len() as f64;
    let mut consonants = 0;
    for c in run {
        consonants = if vowel(c) { 0 } else { consonants + 1 };
        if consonants >= 4 {
            return false;
        }
    }
    (0.25..=0.65).contains(&ratio)
}

/// `${X}`, `{{ x }}`, `<x>`, `%(x)s`, `$X`, `#{x}`, `%X%`, `{x}`, `:x`, `@x@`.
pub fn is_template(value: &str) -> bool {
    let b = value.as_bytes();
    if value.contains("${")
        || value.contains("{{")
        || value.contains("#{")
        || value.contains("%(")
        || value.contains("$(")
        || value.contains("<%")
    {
        return true;
    }
    let first = b[0];
    let last = b[b.len() - 1];
    if (first == b'$'
        && b.get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_'))
        || (first == b'<' || last == b'>')
        || (first == b'{' && last == b'}')
        || (first == b'%' && last == b'%')
        || (first == b'@' && last == b'@')
        || (first == b'[' && last == b']')
        || (first == b'(' && last == b')')
        || (first == b':' && is_identifier_text(&value[1..]))
    {
        return true;
    }
    // `%s`, `%d`: a format string.
    value.contains("%s") || value.contains("%d")
}

/// `name_1`: an identifier as a programming language writes one.
fn is_identifier_text(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// An expression rather than a literal: a call, an index, an environment lookup.
fn is_code(value: &str) -> bool {
    if value.contains('(') && value.ends_with(')') {
        return true;
    }
    let lower = value.to_ascii_lowercase();
    [
        "process.env",
        "import.meta",
        "os.environ",
        "os.getenv",
        "getenv",
        "env(",
        "env.",
        "env[",
        "env:",
        "secrets.",
        "vars.",
        "vault:",
        "ssm:",
        "arn:aws",
        "awssecretsmanager",
        "secretsmanager",
        "keyvault",
        "self.",
        "this.",
        "settings.",
        "config.",
        "ref+",
        "op://",
        "projects/",
    ]
    .iter()
    .any(|m| lower.starts_with(m) || lower.contains(&format!(".{m}")))
}

/// Words or sequences that stand for a secret (see the tables above), a value made of
/// one character or two, or a marker of redaction (`***`, `•••`, `[Filtered]`).
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    if lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|s| PLACEHOLDER_SEGMENTS.contains(&s))
    {
        return true;
    }
    if value.contains("**") || value.contains("...") || value.contains("…") {
        return true;
    }
    let b = lower.as_bytes();
    // A run of four that goes up or down by one (`1234`, `abcd`, `9876`) or repeats
    // (`0000`, `aaaa`); six in a long value, where four come by chance (`ffff` in 64
    // random hex digits one time in seventy).
    let run = if b.len() <= 20 { 4 } else { 6 };
    let mut up = 1;
    let mut down = 1;
    let mut same = 1;
    for w in b.windows(2) {
        up = if w[1] == w[0].wrapping_add(1) && w[0].is_ascii_alphanumeric() {
            up + 1
        } else {
            1
        };
        down = if w[1].wrapping_add(1) == w[0] && w[0].is_ascii_alphanumeric() {
            down + 1
        } else {
            1
        };
        same = if w[1] == w[0] { same + 1 } else { 1 };
        if up >= run || down >= run || same >= run {
            return true;
        }
    }
    // Few distinct characters: `abcabcabcabc`, `x1x1x1x1`.
    let mut seen = [false; 256];
    let mut distinct = 0;
    for &c in b {
        if !seen[c as usize] {
            seen[c as usize] = true;
            distinct += 1;
        }
    }
    distinct * 3 < b.len().min(30)
}

/// `/etc/x`, `./a`, `~/x`, `C:\x`, `certs/key.pem`, `token.txt`.
fn is_path(value: &str) -> bool {
    if value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with("../")
        || value.starts_with("~/")
        || value.as_bytes().get(1..3) == Some(b":\\")
    {
        return true;
    }
    // `external/cwe/cwe-798`, `auth/new_password`: a relative path of names.
    if value.contains('/') {
        let segments: Vec<&str> = value.split('/').collect();
        let names = segments.iter().all(|seg| {
            !seg.is_empty()
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        });
        let words = segments
            .iter()
            .filter(|seg| seg.len() >= 4 && is_identifier(seg))
            .count();
        let short_rest = segments
            .iter()
            .all(|seg| seg.len() <= 8 || is_identifier(seg));
        if names && words >= 1 && short_rest {
            return true;
        }
    }
    let Some((stem, ext)) = value.rsplit_once('.') else {
        return false;
    };
    !stem.is_empty()
        && [
            "pem", "key", "json", "txt", "crt", "cer", "p12", "pfx", "jks", "yaml", "yml", "env",
            "cfg", "conf", "ini", "toml", "xml", "html", "js", "ts", "py", "rb", "php", "sh",
            "keystore", "der", "pub", "gpg", "asc", "csv", "log", "db", "sqlite",
        ]
        .contains(&ext.to_ascii_lowercase().as_str())
}

/// `1.2.3`, `v2.0.1-beta.1`, `2024-01-31`.
fn is_version(value: &str) -> bool {
    let v = value.strip_prefix('v').unwrap_or(value);
    let core = v.split(['-', '+']).next().unwrap_or(v);
    let parts: Vec<&str> = core.split(['.', '-']).collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `#a1b2c3`, `#fff`.
fn is_colour(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|hex| {
        matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn is_uuid(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// An identifier, an enum value, a translation key or a type name: words joined by
/// `_`, `-`, `.`, `::` or case changes, with no digit but a version-like tail
/// (`password_reset`, `UUIDFilterInput`, `auth.password.invalid`, `SecretStr`).
pub fn is_identifier(value: &str) -> bool {
    let core = value.trim_end_matches(|c: char| c.is_ascii_digit());
    if core.len() < value.len().saturating_sub(2) || core.is_empty() {
        return false;
    }
    if !core.bytes().all(|b| {
        b.is_ascii_alphabetic() || matches!(b, b'_' | b'-' | b'.' | b':' | b'<' | b'>' | b'&')
    }) {
        return false;
    }
    // Every part a word: pronounceable, or short with a vowel or in capitals (`id`,
    // `DB`, `v`); random letters change case without making words (`kQzLmPwX`).
    let vowel = |c: u8| {
        matches!(
            c.to_ascii_lowercase(),
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
        )
    };
    let mut words = 0;
    let mut letters = 0;
    let mut long = false;
    let parts = split_words(core);
    for part in &parts {
        letters += part.len();
        let b = part.as_bytes();
        if part.len() >= 4 && pronounceable(b) {
            long = true;
            words += part.len();
        } else if part.len() <= 3
            && (b.iter().any(|c| vowel(*c)) || b.iter().all(u8::is_ascii_uppercase))
        {
            words += part.len();
        }
    }
    (long || parts.len() >= 2) && letters > 0 && words * 10 >= letters * 9
}

/// Splits a name or a value into words at separators and case changes: `githubApiKey`
/// → `github`, `Api`, `Key`; `APIKey` → `API`, `Key`; `app.jwt.secret` → three.
pub fn split_words(name: &str) -> Vec<&str> {
    let b = name.as_bytes();
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=b.len() {
        let c = b.get(i).copied();
        let boundary = match c {
            None => true,
            Some(c) if !c.is_ascii_alphanumeric() => true,
            Some(c) => match start {
                None => false,
                Some(_) => {
                    let prev = b[i - 1];
                    (prev.is_ascii_lowercase() && c.is_ascii_uppercase())
                        || (prev.is_ascii_digit() != c.is_ascii_digit())
                        || (prev.is_ascii_uppercase()
                            && c.is_ascii_uppercase()
                            && b.get(i + 1).is_some_and(u8::is_ascii_lowercase))
                }
            },
        };
        if boundary {
            if let Some(s) = start.take() {
                out.push(&name[s..i]);
            }
            if c.is_some_and(|c| c.is_ascii_alphanumeric()) {
                start = Some(i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    out
}

/// For a value in the base64 alphabet with the right length: whether it decodes to
/// readable text (`Some(true)`: `aGVsbG8gd29ybGQ=`), to other bytes (`Some(false)`);
/// `None` when it is not base64.
pub fn base64_text(value: &str) -> Option<bool> {
    let decoded = base64_decode(value)?;
    Some(is_text(&decoded))
}

/// Printable text with spaces or made of words: what people write, not key bytes.
pub fn is_text(bytes: &[u8]) -> bool {
    if bytes.len() < 4
        || !bytes
            .iter()
            .all(|b| (0x20..0x7f).contains(b) || matches!(b, b'\n' | b'\r' | b'\t'))
    {
        return false;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let text = text.trim();
    text.contains(' ') || is_identifier(text) || is_placeholder(text)
}

/// Standard or URL-safe base64, padded or not; `None` when `value` is not that.
pub fn base64_decode(value: &str) -> Option<Vec<u8>> {
    let trimmed = value.trim_end_matches('=');
    if trimmed.len() < 4 || value.len() - trimmed.len() > 2 || trimmed.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for b in trimmed.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strong(v: &str, kind: NameKind) -> bool {
        classify(v, kind) == Verdict::Strong
    }

    #[test]
    fn random_tokens_are_secrets() {
        for v in [
            "q8Zr2LmX0vTn4WkP",
            "3f9a1c0d7e6b5a4f3e2d1c0b9a8f7e6d",
            "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA4kd9Q",
            "dGhpc2lzbm90dGV4dA9aV3kP2m/x+Q==",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.Xk2b9QpL0aZ",
            "k3J9_pQ-2xZ~mW8v",
            "A1b2C3d4E5f6G7h8", // alternating, but no run of four
            "1164cbc06b964b921bccb30392ffffd3a9a6d46adf191f2d952c0c74c39fecdd",
        ] {
            assert!(strong(v, NameKind::Token), "{v}");
        }
    }

    #[test]
    fn stand_ins_are_not() {
        for v in [
            "your_api_key_here",
            "my-secret",
            "v4-password",
            "tr_brandnew_1234",
            "changeme",
            "xxxxxxxxxxxxxxxx",
            "abcdefghijklmnop",
            "${API_KEY}",
            "{{ api_key }}",
            "<your-token>",
            "%(token)s",
            "$API_KEY",
            "[Filtered]",
            "***************",
            "os.getenv(\"X\")",
            "password_reset",
            "UUIDFilterInput",
            "auth.password.invalid",
            "SecretStr",
            "/etc/secret/key.pem",
            "certs/token.txt",
            "external/cwe/cwe-798",
            "https://example.com/token",
            "1.2.3",
            "#a1b2c3",
            "aGVsbG8gd29ybGQgaGVsbG8=",
            "mySuperLongApiValue",
            "sha512-abcdefghij0123456789",
            "1700000000",
        ] {
            assert_eq!(classify(v, NameKind::Token), Verdict::Not, "{v}");
        }
        for v in [
            "password123",
            "admin",
            "secret",
            "hunter2",
            "Password",
            "changeme!",
        ] {
            assert_eq!(classify(v, NameKind::Password), Verdict::Not, "{v}");
        }
    }

    #[test]
    fn chosen_passwords_are_secrets() {
        for v in [
            "Tr0ub4dor&3",
            "s3cr3t-Pa55!",
            "kX9#mPq2vL",
            "Winter!Sky72",
            "Turtle*Sunset1999",
            "staple-shadow-pepper-saturn-427#",
            "Glacier turtle maple breeze 81?",
            "saturn_turtle_sierra_falcon_nectar_78",
            "velvet-staple-meadow-83",
            ":IIV3EBe956lAh+C6ne?l6Neco",
        ] {
            assert!(strong(v, NameKind::Password), "{v}");
        }
        assert_eq!(
            classify("f47ac10b-58cc-4372-a567-0e02b2c3d479", NameKind::Token),
            Verdict::Weak
        );
    }

    #[test]
    fn words_split_at_every_casing() {
        assert_eq!(split_words("githubApiKey"), ["github", "Api", "Key"]);
        assert_eq!(split_words("APIKey"), ["API", "Key"]);
        assert_eq!(split_words("app.jwt.secret"), ["app", "jwt", "secret"]);
        assert_eq!(split_words("DB_PASSWORD_2"), ["DB", "PASSWORD", "2"]);
        assert_eq!(split_words("X-Api-Key"), ["X", "Api", "Key"]);
    }

    #[test]
    fn base64_of_text_decodes() {
        assert_eq!(base64_decode("aGVsbG8gd29ybGQ=").unwrap(), b"hello world");
        assert_eq!(base64_text("aGVsbG8gd29ybGQ="), Some(true));
        assert_eq!(base64_text("not base64!"), None);
    }
}
