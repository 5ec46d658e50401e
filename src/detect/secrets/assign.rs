//! The generic detector: a small lexer that finds, on the lines a keyword window gives
//! it, a name that says "secret" given a value, in any syntax: `name = value` and its
//! kin (`:=`, `?=`, `+=`, `.=`, `=>`, `:`, `==`, `is`), quoted names (`"apiKey": …`,
//! `("API_KEY", …)`, `['token'] = …`), type annotations (`password: str = …`), calls
//! (`.setApiKey("…")`), XML elements and name/value pairs (`<password>…</password>`,
//! `key="ApiKey" value="…"`, `- name: API_TOKEN` then `value: …`, HCL
//! `variable "db_password" { default = … }`) and shell/Dockerfile forms (`ENV X v`,
//! `setx X v`). The name's words decide what the value should be; `value::classify`
//! decides whether it is. Never reports a value the classifier rejects.

use std::ops::Range;

use super::value::{self, Verdict, split_words};
use crate::detect::Confidence;
use crate::rules::secrets::NameKind;

/// Head words (the name's last word, lower case) that name a password.
const PASSWORD_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "pass",
    "passcode",
    "pword",
];

/// Words that name a machine-made secret on their own.
const TOKEN_WORDS: &[&str] = &[
    "secret",
    "token",
    "credential",
    "credentials",
    "creds",
    "apikey",
];

/// Compounds written as one word that end in a secret word (`accesstoken`, `secretkey`).
const COMPOUND_ENDS: &[(&str, NameKind)] = &[
    ("password", NameKind::Password),
    ("passwd", NameKind::Password),
    ("passphrase", NameKind::Password),
    ("secret", NameKind::Token),
    ("token", NameKind::Token),
    ("apikey", NameKind::Token),
    ("accesskey", NameKind::Token),
    ("secretkey", NameKind::Token),
    ("privatekey", NameKind::Token),
    ("signingkey", NameKind::Token),
    ("masterkey", NameKind::Token),
    ("authkey", NameKind::Token),
];

/// Words before `key` that make it a secret key (besides vendor names).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "signing",
    "sign",
    "signature",
    "encryption",
    "encrypt",
    "decrypt",
    "crypt",
    "crypto",
    "cipher",
    "aes",
    "hmac",
    "jwt",
    "jws",
    "jwe",
    "master",
    "client",
    "app",
    "application",
    "account",
    "auth",
    "authentication",
    "license",
    "licence",
    "subscription",
    "service",
    "server",
    "shared",
    "session",
    "cookie",
    "webhook",
    "consumer",
    "admin",
    "write",
    "ingest",
    "ingestion",
    "management",
    "deploy",
    "deployment",
    "rest",
    "root",
    "storage",
    "sdk",
    "integration",
    "partner",
    "merchant",
    "security",
    "developer",
    "dev",
    "prod",
    "live",
    "secure",
    "license",
    "encoding",
    "token",
    "bot",
    "project",
    "org",
    "organization",
    "personal",
    "user",
    "mobile",
    "browser",
    "site",
    "search",
    "publishable",
    "public",
    "anon",
    "ssh",
    "gpg",
    "pgp",
    "rsa",
    "tls",
    "ssl",
];

/// Words before `token` that make it something other than a credential.
const TOKEN_NOT_SECRET: &[&str] = &[
    "csrf",
    "xsrf",
    "cancel",
    "cancellation",
    "page",
    "next",
    "continuation",
    "pagination",
    "cursor",
    "sync",
    "max",
    "min",
    "num",
    "count",
    "design",
    "lexer",
    "parser",
    "sentence",
    "word",
    "input",
    "output",
    "prompt",
    "completion",
    "special",
    "bos",
    "eos",
    "pad",
    "unk",
    "mask",
    "sep",
    "cls",
    "end",
    "start",
    "stop",
    "unknown",
    "device",
    "push",
    "fcm",
    "apns",
    "registration",
    "total",
    "limit",
    "new",
    "last",
    "first",
    "current",
    "previous",
    "prev",
];

/// Words before `secret` that make the value the name of a stored secret.
const SECRET_REFERENCES: &[&str] = &[
    "existing",
    "external",
    "kubernetes",
    "k8s",
    "kube",
    "vault",
    "aws",
    "gcp",
    "azure",
    "sealed",
    "docker",
    "image",
    "pull",
    "tls",
    "use",
    "from",
    "ref",
    "source",
    "target",
    "mount",
];

/// Trailing words that qualify the head word without changing what it is:
/// `DB_PASSWORD_PROD`, `API_KEY_V2`, `token_value`, `SECRET_KEY_BASE`.
const MODIFIERS: &[&str] = &[
    "prod",
    "production",
    "dev",
    "development",
    "stage",
    "staging",
    "test",
    "qa",
    "uat",
    "live",
    "sandbox",
    "local",
    "value",
    "val",
    "str",
    "raw",
    "plain",
    "b64",
    "base64",
    "hex",
    "old",
    "current",
    "primary",
    "secondary",
    "backup",
    "main",
    "default",
    "global",
    "override",
    "base",
    "here",
    "v",
];

/// Words anywhere in a name that make its value a digest, not a secret.
const HASH_WORDS: &[&str] = &[
    "hash",
    "hashed",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "checksum",
    "digest",
    "integrity",
    "fingerprint",
    "etag",
    "commit",
    "crc",
];

/// Words that make a key public by design: reported at low confidence.
const PUBLIC_WORDS: &[&str] = &[
    "public",
    "publishable",
    "pub",
    "site",
    "search",
    "anon",
    "browser",
    "mobile",
];

/// What the name says about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameSense {
    pub kind: NameKind,
    /// A key that is public by design (`publishable_key`, `SITE_KEY`, `anonKey`).
    pub public: bool,
}

/// One value found next to a secret-looking name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The value's bytes in the text.
    pub value: Range<usize>,
    pub kind: NameKind,
    pub public: bool,
    pub confidence: Confidence,
}

/// The file's syntax as far as values are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syntax {
    /// A programming language: an unquoted value is an expression, not a literal, except
    /// inside a string or a comment.
    pub code: bool,
}

impl Syntax {
    /// From the file name: a programming language's extension makes it `code`.
    pub fn of(path: &std::path::Path) -> Syntax {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let code = [
            "py", "pyi", "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "rs", "go", "java",
            "kt", "kts", "scala", "groovy", "swift", "c", "h", "cc", "cpp", "cxx", "hpp", "cs",
            "rb", "php", "dart", "lua", "r", "pl", "pm", "ex", "exs", "erl", "clj", "fs", "vb",
            "m", "mm", "jl", "sol", "vue", "svelte", "astro",
        ]
        .contains(&ext.as_str());
        Syntax { code }
    }
}

/// What the name `name` (as written) says its value is; `None` when it does not name a
/// secret. The last word decides (`TOKEN_THROTTLE_RATE` is a rate), after modifiers
/// (`_PROD`, `_V2`, `_VALUE`) are set aside; `key` needs a qualifier before it (`api`,
/// `signing`, a vendor). `prev` is the word before the name in prose (`API key: …`).
pub fn name_sense(
    name: &str,
    prev: Option<&str>,
    vendors: &dyn Fn(&str) -> bool,
) -> Option<NameSense> {
    let mut words: Vec<String> = split_words(name)
        .into_iter()
        .map(str::to_ascii_lowercase)
        .collect();
    if words.iter().any(|w| HASH_WORDS.contains(&w.as_str())) {
        return None;
    }
    // `LOCAL_STORAGE_KEY`, `sessionStorageKey`: the name of a Web Storage entry.
    if words
        .windows(2)
        .any(|w| matches!(w[0].as_str(), "local" | "session") && w[1] == "storage")
    {
        return None;
    }
    while words.len() > 1 {
        let last = words.last().expect("non-empty");
        let version = last.strip_prefix('v').unwrap_or(last);
        if MODIFIERS.contains(&last.as_str()) || version.bytes().all(|b| b.is_ascii_digit()) {
            words.pop();
        } else {
            break;
        }
    }
    let head = words.last()?.clone();
    let before: Option<String> = if words.len() >= 2 {
        Some(words[words.len() - 2].clone())
    } else {
        prev.map(str::to_ascii_lowercase)
    };
    let public = words.iter().any(|w| PUBLIC_WORDS.contains(&w.as_str()));
    let sense = |kind| Some(NameSense { kind, public });
    if PASSWORD_WORDS.contains(&head.as_str()) {
        return sense(NameKind::Password);
    }
    if head == "token" {
        return match before.as_deref() {
            Some(b) if TOKEN_NOT_SECRET.contains(&b) => None,
            _ => sense(NameKind::Token),
        };
    }
    if head == "secret" || head == "secrets" {
        // `existingSecret`, `k8s_secret`, `secretRef`: the name of a stored secret.
        return match before.as_deref() {
            Some(b) if SECRET_REFERENCES.contains(&b) => None,
            _ => sense(NameKind::Token),
        };
    }
    if TOKEN_WORDS.contains(&head.as_str()) {
        return sense(NameKind::Token);
    }
    if head == "key" || head == "keys" {
        let q = before?;
        let qualified = KEY_QUALIFIERS.contains(&q.as_str()) || vendors(&q);
        let public = public || PUBLIC_WORDS.contains(&q.as_str());
        return qualified.then_some(NameSense {
            kind: NameKind::Token,
            public,
        });
    }
    if head == "auth"
        && (words.len() == 1 || matches!(before.as_deref(), Some("basic" | "http" | "proxy")))
    {
        return sense(NameKind::Token);
    }
    // One word: `accesstoken`, `mypassword`, `clientsecret`, `stripekey`.
    for (end, kind) in COMPOUND_ENDS {
        if let Some(rest) = head.strip_suffix(end) {
            if !rest.is_empty() && !TOKEN_NOT_SECRET.contains(&rest) {
                return sense(*kind);
            }
        }
    }
    if let Some(rest) = head.strip_suffix("key") {
        if rest.len() >= 3 && (KEY_QUALIFIERS.contains(&rest) || vendors(rest)) {
            return Some(NameSense {
                kind: NameKind::Token,
                public: public || PUBLIC_WORDS.contains(&rest),
            });
        }
    }
    None
}

/// Characters before a name that make it a reference inside a template, not an
/// assignment: `${DB_PASSWORD:default}`, `$(TOKEN)`, `%API_KEY%`, `@TOKEN@`.
fn in_template(b: &[u8], ns: usize) -> bool {
    let before = &b[..ns];
    before.ends_with(b"${")
        || before.ends_with(b"$(")
        || before.ends_with(b"%")
        || before.ends_with(b"@")
        || before.ends_with(b"{{ .")
        || before.ends_with(b"{{.")
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

fn is_quote(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'`')
}

/// What an assignment rule looks for: names of `kind` that hold one of `words` (the
/// rule's keywords, lower case), in a file of `syntax`; `vendors` tells a vendor's name.
#[derive(Clone, Copy)]
pub struct Ask<'a> {
    pub kind: NameKind,
    pub words: &'a [&'a str],
    pub syntax: Syntax,
    pub vendors: &'a dyn Fn(&str) -> bool,
}

/// Finds the candidates of the names `ask` looks for on the lines of `window` (whole
/// lines of `text`).
pub fn scan(text: &str, window: Range<usize>, ask: &Ask, out: &mut Vec<Candidate>) {
    let mut start = window.start;
    while start < window.end {
        let end = memchr::memchr(b'\n', &text.as_bytes()[start..window.end])
            .map_or(window.end, |i| start + i);
        scan_line(text, start..end, ask, out);
        start = end + 1;
    }
}

/// [`scan`] over the names that hold the occurrences (`start..end`, sorted by start)
/// of the words: the same candidates, without looking at the other names of the
/// occurrences' lines (each name is judged on its own).
pub fn scan_at(
    text: &str,
    occurrences: impl Iterator<Item = (usize, usize)>,
    ask: &Ask,
    out: &mut Vec<Candidate>,
) {
    let b = text.as_bytes();
    // The end of the last name looked at: an occurrence before it is in that name.
    let mut done = 0;
    for (start, end) in occurrences {
        if start < done || !b[start..end].iter().all(|&c| is_name_byte(c)) {
            continue;
        }
        let mut ns = start;
        while ns > 0 && is_name_byte(b[ns - 1]) {
            ns -= 1;
        }
        let mut ne = end;
        while ne < b.len() && is_name_byte(b[ne]) {
            ne += 1;
        }
        done = ne;
        let line_start = memchr::memrchr(b'\n', &b[..ns]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &b[ne..]).map_or(b.len(), |i| ne + i);
        judge_name(text, &(line_start..line_end), ns..ne, ask, out);
    }
}

fn scan_line(text: &str, line: Range<usize>, ask: &Ask, out: &mut Vec<Candidate>) {
    let b = text.as_bytes();
    let mut i = line.start;
    while i < line.end {
        if !is_name_byte(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < line.end && is_name_byte(b[i]) {
            i += 1;
        }
        judge_name(text, &line, start..i, ask, out);
    }
}

/// The candidate of one name (`token`: a longest run of name bytes) on `line`, if it
/// is one `ask` looks for and the text after it gives it a value.
fn judge_name(
    text: &str,
    line: &Range<usize>,
    token: Range<usize>,
    ask: &Ask,
    out: &mut Vec<Candidate>,
) {
    let b = text.as_bytes();
    let start = token.start;
    let (mut ns, mut ne) = (token.start, token.end);
    // `--password`, `.token.`: flags and member chains keep their words only.
    while ns < ne && matches!(b[ns], b'-' | b'.') {
        ns += 1;
    }
    while ne > ns && matches!(b[ne - 1], b'-' | b'.') {
        ne -= 1;
    }
    if ne - ns < 3 || ne - ns > 80 || start < ns && b[start] == b'-' {
        return;
    }
    let name = &text[ns..ne];
    if !holds_any(name, ask.words) {
        return;
    }
    // `${DB_PASSWORD:-x}` refers to a variable; `auth/new_password` is a segment of a
    // path or a message key, not a name given a value.
    if in_template(b, ns) || (start > line.start && b[start - 1] == b'/') {
        return;
    }
    let prev = prose_word_before(text, line.start, ns);
    let Some(sense) = name_sense(name, prev, ask.vendors) else {
        return;
    };
    if sense.kind != ask.kind {
        return;
    }
    // `pass` alone is an English word (`one pass: …`); as a name it needs quotes or
    // a configuration file, and not a comment.
    if name.eq_ignore_ascii_case("pass") {
        let quoted_name = ns > line.start && is_quote(b[ns - 1]);
        let comment = in_string_or_comment(&b[line.start..ns]);
        if !quoted_name && (ask.syntax.code || comment) {
            return;
        }
    }
    if let Some(value) = value_after(text, line, ns, ne, ask.syntax) {
        if let Some(candidate) = judge(text, value, sense) {
            out.push(candidate);
        }
    }
}

fn judge(text: &str, value: Range<usize>, sense: NameSense) -> Option<Candidate> {
    let verdict = value::classify(&text[value.clone()], sense.kind);
    let confidence = verdict.confidence()?;
    Some(Candidate {
        value,
        kind: sense.kind,
        public: sense.public,
        confidence: if sense.public || verdict == Verdict::Weak {
            Confidence::Low
        } else {
            confidence
        },
    })
}

/// Whether `name` holds one of `words` (lower case), ignoring ASCII case; without
/// allocating, since it runs on every name of every keyword line.
fn holds_any(name: &str, words: &[&str]) -> bool {
    let b = name.as_bytes();
    words.iter().any(|w| {
        // An empty word is in every name, as `str::contains` has it.
        w.is_empty()
            || b.windows(w.len())
                .any(|x| x.eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// In prose or a spaced name (`API key: …`, `Stripe key is …`): the word before the name.
fn prose_word_before(text: &str, line_start: usize, ns: usize) -> Option<&str> {
    let before = text[line_start..ns].strip_suffix(' ')?;
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    (!word.is_empty()).then_some(word)
}

/// Where the line's text before `at` is: inside a string literal, or in a comment.
fn in_string_or_comment(line: &[u8]) -> bool {
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < line.len() {
        let c = line[i];
        match quote {
            Some(q) => {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if is_quote(c) {
                    quote = Some(c);
                } else if c == b'#'
                    || (c == b'/' && matches!(line.get(i + 1), Some(b'/' | b'*')))
                    || (c == b'-' && line.get(i + 1) == Some(&b'-') && i == 0)
                    || (c == b'*' && line[..i].iter().all(u8::is_ascii_whitespace))
                    || (c == b'<' && line[i..].starts_with(b"<!--"))
                {
                    return true;
                }
            }
        }
        i += 1;
    }
    quote.is_some()
}

/// The value given to the name at `ns..ne`, if the text after it assigns one.
fn value_after(
    text: &str,
    line: &Range<usize>,
    ns: usize,
    ne: usize,
    syntax: Syntax,
) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let end = line.end;
    let mut p = ne;
    // A quoted name: `"api_key": …`, `('TOKEN', …)`, `["password"] = …`.
    let opening = ns.checked_sub(1).map(|i| b[i]);
    let quoted = opening.is_some_and(is_quote) && b.get(ne) == opening.as_ref();
    if quoted {
        p += 1;
    }
    // Inside a string or a comment an unquoted value is text; the name's own opening
    // quote does not count.
    let open = if quoted { ns - 1 } else { ns };
    let unquoted_ok = !syntax.code || in_string_or_comment(&b[line.start..open]);
    // A name that is itself a value: `key="ApiKey" value="…"`, `- name: API_TOKEN`.
    if let Some(v) = pair_value(text, line, ns, quoted, p, unquoted_ok) {
        return v;
    }
    // `<password>…</password>`.
    if opening == Some(b'<') && b.get(ne) == Some(&b'>') {
        let from = ne + 1;
        let to = memchr::memchr(b'<', &b[from..end]).map(|i| from + i)?;
        return trimmed(text, from..to);
    }
    while p < end && b[p] == b']' {
        p += 1;
    }
    let ws = |mut p: usize| {
        while p < end && matches!(b[p], b' ' | b'\t') {
            p += 1;
        }
        p
    };
    p = ws(p);
    if p >= end {
        return space_form(text, line, ns, ne, unquoted_ok);
    }
    let rest = &b[p..end];
    let op_len = if rest.starts_with(b":=")
        || rest.starts_with(b"?=")
        || rest.starts_with(b"+=")
        || rest.starts_with(b".=")
        || rest.starts_with(b"=>")
        || rest.starts_with(b"==")
    {
        if rest.starts_with(b"===") { 3 } else { 2 }
    } else if rest[0] == b'=' {
        1
    } else if rest[0] == b':' {
        if rest.get(1) == Some(&b':') {
            return None;
        }
        // `password: str = "…"`: a type between the name and `=`.
        annotation_end(rest).unwrap_or(1)
    } else if rest[0] == b',' && quoted && first_argument(b, line.start, open) {
        1
    } else if rest.starts_with(b"to ") && quoted {
        // Kotlin's `mapOf("token" to "…")`.
        2
    } else if rest[0] == b'(' {
        // `.setApiKey("…")`, `password('…')`: only a literal argument.
        if !rest.get(1).copied().is_some_and(is_quote) {
            return None;
        }
        1
    } else if rest.starts_with(b"is ") || rest.starts_with(b"was ") || rest.starts_with(b"is:") {
        if rest[0] == b'i' { 2 } else { 3 }
    } else if rest.starts_with(b"- ") && matches!(rest.get(2), Some(b'"' | b'\'')) {
        1
    } else {
        // `var token string = "…"` (Go): a type word, then `=`.
        let word = rest
            .iter()
            .take_while(|c| {
                c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'*' | b'[' | b']')
            })
            .count();
        if word == 0 {
            return space_form(text, line, ns, ne, unquoted_ok);
        }
        let q = ws(p + word);
        if q < end && b[q] == b'=' && b.get(q + 1) != Some(&b'=') && syntax.code {
            q - p + 1
        } else {
            return space_form(text, line, ns, ne, unquoted_ok);
        }
    };
    let mut v = ws(p + op_len);
    // `…;Password=two words;` in a connection string: the value runs to the `;`.
    if op_len == 1 && rest[0] == b'=' && !quoted && connection_string(text, line, open) {
        let stop = b[v..end]
            .iter()
            .position(|c| matches!(c, b';' | b'"' | b'\'' | b'`'));
        let to = stop.map_or(end, |i| v + i);
        return trimmed(text, v..to);
    }
    let prose = rest.starts_with(b"is") || rest.starts_with(b"was");
    if prose {
        if b.get(v) == Some(&b':') {
            v = ws(v + 1);
        }
        // `the password is required!`: in prose only a quoted value, or one with a
        // digit, is a value.
        let value = literal_at(text, v, end, true)?;
        let quoted_value = value.start > v;
        let digit = b[value.clone()].iter().any(u8::is_ascii_digit);
        return (quoted_value || digit).then_some(value);
    }
    // `'CLIENT_SECRET=' . 'value'` (PHP), `"TOKEN=" + "value"`: the string the name is
    // in ends, and a literal is joined to it.
    if syntax.code
        && !quoted
        && in_string_or_comment(&b[line.start..open])
        && b.get(v).copied().is_some_and(is_quote)
    {
        let mut j = ws(v + 1);
        if j < end && matches!(b[j], b'.' | b'+') {
            j = ws(j + 1);
            if b.get(j).copied().is_some_and(is_quote) {
                return literal_at(text, j, end, false);
            }
        }
    }
    if syntax.code && !unquoted_ok {
        v = constructor_arg(b, v, end);
    }
    literal_at(text, v, end, unquoted_ok)
}

/// Whether the quoted name opening at `open` is the first element of a call, tuple or
/// list (`setenv("API_KEY", "…")`, `("password", "…")`): a pair, not a list of names
/// (`fields = ['username', 'password', 'email']`).
fn first_argument(b: &[u8], line_start: usize, open: usize) -> bool {
    b[line_start..open]
        .iter()
        .rev()
        .find(|c| !c.is_ascii_whitespace())
        .is_some_and(|c| matches!(c, b'(' | b'[' | b'{'))
}

/// Whether the name at `open` is a key of a `Key=Value;` list (an ADO, ODBC or JDBC
/// connection string): `;` before it, and another `Key=` pair in the same string.
fn connection_string(text: &str, line: &Range<usize>, open: usize) -> bool {
    let before = text[line.start..open].trim_end();
    let pairs = text[line.start..line.end].matches(';').count();
    pairs >= 1 && (before.ends_with(';') || before.ends_with(['"', '\''])) && {
        let lower = text[line.start..line.end].to_ascii_lowercase();
        [
            "server=",
            "host=",
            "data source=",
            "database=",
            "uid=",
            "user id=",
            "username=",
            "endpoint=",
            "accountname=",
            "driver=",
        ]
        .iter()
        .any(|k| lower.contains(k))
    }
}

/// `String::from("…")`, `SecretStr("…")`, `Some("…")`, `new Secret("…")`: a literal
/// wrapped in a call that only converts it; returns where the literal starts (or `v`).
fn constructor_arg(b: &[u8], v: usize, end: usize) -> usize {
    let mut p = v;
    if b[p..end].starts_with(b"new ") {
        p += 4;
    }
    let path = b[p..end]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'.'))
        .count();
    if path == 0 || b.get(p + path) != Some(&b'(') {
        return v;
    }
    let callee = &b[p..p + path];
    let converts = [
        &b"String::from"[..],
        b"str",
        b"String",
        b"Some",
        b"SecretStr",
        b"Secret::new",
        b"SecretString::new",
        b"SecretString::from",
        b"Secret",
        b"bytes",
        b"Buffer.from",
        b"String.valueOf",
        b"Optional.of",
        b"SecureString",
    ]
    .contains(&callee);
    let arg = p + path + 1;
    if converts && b.get(arg).copied().is_some_and(is_quote) {
        arg
    } else {
        v
    }
}

/// `: Type =` after a name: the length up to and including `=`.
fn annotation_end(rest: &[u8]) -> Option<usize> {
    let eq = memchr::memchr(b'=', rest)?;
    if matches!(rest.get(eq + 1), Some(b'=' | b'>')) || eq < 2 {
        return None;
    }
    let ty = &rest[1..eq];
    // A type, not the rest of a parameter list (`api_key: str, domain: str = "…"`):
    // commas only inside brackets, colons only in paths (`std::string::String`).
    let mut depth = 0i32;
    for (i, c) in ty.iter().enumerate() {
        match c {
            b'[' | b'<' | b'(' => depth += 1,
            b']' | b'>' | b')' => depth -= 1,
            b',' if depth == 0 => return None,
            b':' if ty.get(i + 1) != Some(&b':') && (i == 0 || ty[i - 1] != b':') => return None,
            _ => {}
        }
    }
    let ok = ty
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || b" _[]<>(),.&|?:'".contains(c))
        && ty.iter().any(u8::is_ascii_alphabetic);
    ok.then_some(eq + 1)
}

/// `ENV TOKEN value`, `setx API_KEY "value"`, `set -gx TOKEN value`: a value after a space.
fn space_form(
    text: &str,
    line: &Range<usize>,
    ns: usize,
    ne: usize,
    unquoted_ok: bool,
) -> Option<Range<usize>> {
    let head = text[line.start..ns].trim_start();
    let command = ["ENV ", "setx ", "set -gx ", "set -x ", "set -Ux "]
        .iter()
        .any(|c| head.eq_ignore_ascii_case(c) || head == c.trim_end());
    if !command {
        return None;
    }
    let b = text.as_bytes();
    let mut v = ne;
    if v >= line.end || b[v] != b' ' {
        return None;
    }
    while v < line.end && b[v] == b' ' {
        v += 1;
    }
    literal_at(text, v, line.end, unquoted_ok)
}

/// The name at `ns` is the value of a `name`/`key` field: its value is the `value` (or
/// `default`) field after it on this line or on one of the next few.
fn pair_value(
    text: &str,
    line: &Range<usize>,
    ns: usize,
    quoted: bool,
    after: usize,
    unquoted_ok: bool,
) -> Option<Option<Range<usize>>> {
    let b = text.as_bytes();
    let open = if quoted { ns - 1 } else { ns };
    let before = text[line.start..open].trim_end();
    let lower = before.to_ascii_lowercase();
    let key_field = [
        "name=",
        "key=",
        "name:",
        "\"name\":",
        "'name':",
        "key:",
        "\"key\":",
        "parameterkey:",
        "\"parameterkey\":",
        "variable",
        "id=",
        "-name",
    ]
    .iter()
    .any(|f| lower.ends_with(f));
    if !key_field {
        return None;
    }
    // `<string name="api_key">VALUE</string>` (Android resources, XML settings).
    if quoted {
        if let Some(gt) = memchr::memchr(b'>', &b[after..line.end]) {
            let from = after + gt + 1;
            if b[after..after + gt].iter().all(|c| *c != b'<') && !b[..from].ends_with(b"/>") {
                if let Some(lt) = memchr::memchr(b'<', &b[from..line.end]) {
                    return Some(trimmed(text, from..from + lt));
                }
            }
        }
    }
    // The same line, then up to eight more (a k8s `env` item, an HCL block).
    let mut from = after;
    let mut to = line.end;
    for _ in 0..9 {
        let seg = &text[from..to];
        let low = seg.to_ascii_lowercase();
        for field in ["value", "default", "parametervalue", "connectionstring"] {
            let mut search = 0;
            while let Some(at) = low[search..].find(field) {
                let at = search + at;
                search = at + field.len();
                let lb = low.as_bytes();
                let bounded = at == 0
                    || !is_name_byte(lb[at - 1])
                    || (lb[at - 1] == b'-' && (at < 2 || lb[at - 2] == b' '));
                let fe = from + at + field.len();
                if !bounded || b.get(fe).copied().is_some_and(is_name_byte) {
                    continue;
                }
                let mut p = fe;
                if b.get(p).copied().is_some_and(is_quote) {
                    p += 1;
                }
                while p < to && matches!(b[p], b' ' | b'\t') {
                    p += 1;
                }
                // `=`, `:`, or PowerShell's `-Value 'x'`.
                let dash = from + at > 0 && b[from + at - 1] == b'-';
                if p < to && (matches!(b[p], b'=' | b':') || (dash && p > fe)) {
                    if !dash || matches!(b[p], b'=' | b':') {
                        p += 1;
                    }
                    while p < to && matches!(b[p], b' ' | b'\t') {
                        p += 1;
                    }
                    return Some(literal_at(text, p, to, unquoted_ok));
                }
            }
        }
        // Stop at the end of the item: a closing brace or the next list item.
        if to >= text.len() {
            break;
        }
        from = to + 1;
        to = memchr::memchr(b'\n', &b[from..]).map_or(text.len(), |i| from + i);
        let next = text[from..to].trim_start();
        if next.starts_with("- ")
            || next.starts_with('}')
            || next.starts_with("</") && from != after
        {
            break;
        }
    }
    Some(None)
}

/// The literal that starts at `v` (before `end`): quoted, escaped-quoted (`\"…\"` in a
/// JSON string such as a notebook cell), or, where `unquoted_ok`, a bare word.
fn literal_at(text: &str, v: usize, end: usize, unquoted_ok: bool) -> Option<Range<usize>> {
    let b = text.as_bytes();
    if v >= end {
        return None;
    }
    let mut p = v;
    // String prefixes: r"…", b'…', u"…", rb"…", @"…" (C# verbatim). An f-string or `$"…"`
    // is a template.
    while p < end && p - v < 2 && matches!(b[p], b'r' | b'b' | b'u' | b'R' | b'B' | b'U' | b'@') {
        p += 1;
    }
    if p < end && is_quote(b[p]) {
        let q = b[p];
        let triple = b[p..end].starts_with(&[q, q, q]);
        let from = if triple { p + 3 } else { p + 1 };
        let mut i = from;
        while i < end {
            if b[i] == b'\\' {
                i += 2;
                continue;
            }
            if b[i] == q {
                return Some(from..i);
            }
            i += 1;
        }
        return None;
    }
    p = v;
    if b[p] == b'\\' && b.get(p + 1).copied().is_some_and(is_quote) {
        let q = b[p + 1];
        let from = p + 2;
        let close = text[from..end].find(&format!("\\{}", q as char))?;
        return Some(from..from + close);
    }
    if !unquoted_ok
        || matches!(
            b[p],
            b'{' | b'[' | b'(' | b'|' | b'>' | b'&' | b'*' | b'!' | b'-'
        )
    {
        return None;
    }
    let mut i = p;
    while i < end && !b[i].is_ascii_whitespace() && !b";,()]}<>\"'`".contains(&b[i]) {
        // `&` ends a value in a query string (`&name=`, `&amp;`), not in a password.
        if b[i] == b'&' {
            let name = b[i + 1..end]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
                .count();
            if (name > 0 && b.get(i + 1 + name) == Some(&b'=')) || b[i..end].starts_with(b"&amp;") {
                break;
            }
        }
        i += 1;
    }
    // A sentence's full stop is not part of the value.
    let mut e = i;
    while e > p && matches!(b[e - 1], b'.' | b':') {
        e -= 1;
    }
    (e > p).then_some(p..e)
}

fn trimmed(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    (!t.is_empty()).then_some(r.start + lead..r.start + lead + t.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendor(w: &str) -> bool {
        matches!(w, "stripe" | "github" | "strava" | "mailgun" | "freshbooks")
    }

    /// Every occurrence of `words` in `text` (ASCII case ignored), sorted, overlapping
    /// ones too: what the keyword pass reports.
    fn occurrences(text: &str, words: &[&str]) -> Vec<(usize, usize)> {
        let lower = text.to_ascii_lowercase();
        let mut out: Vec<(usize, usize)> = words
            .iter()
            .flat_map(|w| {
                (0..lower.len())
                    .filter(|&i| lower.as_bytes()[i..].starts_with(w.as_bytes()))
                    .map(|i| (i, i + w.len()))
                    .collect::<Vec<_>>()
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Looking only at the names that hold an occurrence finds what scanning every name
    /// of the occurrences' lines finds, on every fixture and test file.
    #[test]
    fn names_at_occurrences_find_what_their_lines_do() {
        let mut compared = 0;
        // The rule packs too: their examples are assignments of every kind.
        let packs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut packs: Vec<(std::path::PathBuf, String)> = std::fs::read_dir(&packs)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .map(|p| (p.clone(), std::fs::read_to_string(&p).unwrap()))
            .collect();
        packs.sort();
        let exts = [
            "py", "ts", "js", "rs", "env", "yaml", "yml", "json", "toml", "sh", "md",
        ];
        let corpus = exts
            .iter()
            .flat_map(|ext| crate::detect::lex_corpus::files(ext))
            .chain(packs);
        for (path, text) in corpus {
            for (kind, words) in [
                (
                    NameKind::Token,
                    &["secret", "token", "key", "credential", "creds"][..],
                ),
                (NameKind::Password, &["pass", "pwd", "-api-key"][..]),
            ] {
                let ask = Ask {
                    kind,
                    words,
                    syntax: Syntax::of(&path),
                    vendors: &vendor,
                };
                let at = occurrences(&text, words);
                let mut by_lines = Vec::new();
                let mut done = 0;
                for &(start, _) in &at {
                    let b = text.as_bytes();
                    let line_start = memchr::memrchr(b'\n', &b[..start]).map_or(0, |i| i + 1);
                    if line_start < done {
                        continue;
                    }
                    let line_end =
                        memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |i| start + i);
                    scan_line(&text, line_start..line_end, &ask, &mut by_lines);
                    done = line_end + 1;
                }
                let mut by_names = Vec::new();
                scan_at(&text, at.into_iter(), &ask, &mut by_names);
                assert_eq!(by_names, by_lines, "{}", path.display());
                compared += by_lines.len();
            }
        }
        assert!(compared > 20, "{compared} candidates compared");
    }

    fn found(line: &str, path: &str, kind: NameKind) -> Option<String> {
        let words: &[&str] = match kind {
            NameKind::Password => &["pass", "pwd"],
            NameKind::Token => &["secret", "token", "key", "credential", "creds", "auth"],
        };
        let ask = Ask {
            kind,
            words,
            syntax: Syntax::of(std::path::Path::new(path)),
            vendors: &vendor,
        };
        let mut out = Vec::new();
        scan(line, 0..line.len(), &ask, &mut out);
        // A multi-line case: scan each line, as windows would.
        if out.is_empty() && line.contains('\n') {
            let mut start = 0;
            for l in line.split('\n') {
                scan(line, start..start + l.len(), &ask, &mut out);
                start += l.len() + 1;
            }
        }
        out.first().map(|c| line[c.value.clone()].to_string())
    }

    const TOKEN: &str = "q8Zr2LmX0vTn4WkP";
    const PASS: &str = "Tr0ub4dor&3x";

    #[test]
    fn names_in_every_casing() {
        let never = |_: &str| false;
        let kind = |n: &str| name_sense(n, None, &vendor).map(|s| s.kind);
        for n in [
            "stripeToken",
            "githubApiKey",
            "ApiKey",
            "freshbooksToken",
            "app.jwt.secret",
            "CLIENT_SECRET",
            "X-Api-Key",
            "SECRET_KEY_BASE",
            "API_KEY_V2",
            "accesstoken",
            "signing-key",
            "AccountKey",
            "SharedAccessKey",
        ] {
            assert_eq!(kind(n), Some(NameKind::Token), "{n}");
        }
        for n in [
            "DB_PASSWORD",
            "adminPassword",
            "smtp.password",
            "mysql-root-password",
            "Pwd",
            "db_pass",
        ] {
            assert_eq!(kind(n), Some(NameKind::Password), "{n}");
        }
        for n in [
            "TOKEN_THROTTLE_RATE",
            "token_url",
            "password_hash",
            "csrf_token",
            "cache_key",
            "monkey",
            "keyboard",
            "max_tokens",
            "SECRET_NAME",
            "next_page_token",
            "commit_sha",
        ] {
            assert_eq!(kind(n), None, "{n}");
        }
        assert_eq!(
            name_sense("key", Some("Strava"), &vendor).map(|s| s.kind),
            Some(NameKind::Token)
        );
        assert_eq!(name_sense("key", Some("the"), &never), None);
        assert!(
            name_sense("STRIPE_PUBLISHABLE_KEY", None, &vendor)
                .unwrap()
                .public
        );
        assert!(name_sense("recaptchaSiteKey", None, &never).unwrap().public);
    }

    #[test]
    fn operators_and_syntaxes() {
        let cases: &[(&str, &str)] = &[
            ("apiKey := \"VALUE\"", "main.go"),
            ("var apiKey string = \"VALUE\"", "main.go"),
            ("API_TOKEN ?= VALUE", "Makefile"),
            ("API_TOKEN := VALUE", "Makefile"),
            ("$config['api_key'] = 'VALUE';", "a.php"),
            ("$config .= 'VALUE'; $secret .= 'VALUE';", "a.php"),
            ("'api_key' => 'VALUE',", "a.php"),
            (":api_key => 'VALUE',", "a.rb"),
            ("export API_TOKEN=VALUE", "deploy.sh"),
            ("set API_TOKEN=VALUE", "run.bat"),
            ("setx API_TOKEN \"VALUE\"", "run.bat"),
            ("$env:API_TOKEN = \"VALUE\"", "a.ps1"),
            ("$apiToken = \"VALUE\"", "a.ps1"),
            ("ENV API_TOKEN=VALUE", "Dockerfile"),
            ("ENV API_TOKEN VALUE", "Dockerfile"),
            ("ARG API_TOKEN=VALUE", "Dockerfile"),
            ("api_token = \"VALUE\"", "main.tf"),
            ("api_token = VALUE", "app.ini"),
            ("app.jwt.secret=VALUE", "application.properties"),
            ("  token: VALUE", "values.yaml"),
            ("  \"clientSecret\": \"VALUE\",", "config.json"),
            ("<secret>VALUE</secret>", "settings.xml"),
            ("<add key=\"ApiKey\" value=\"VALUE\" />", "web.config"),
            ("<string name=\"api_key\">VALUE</string>", "strings.xml"),
            ("Using API_KEY=VALUE", "run.log"),
            ("The strava token: VALUE", "notes.md"),
            ("the API key is `VALUE`", "README.md"),
            ("api_token: str = \"VALUE\"", "a.py"),
            ("const apiToken: string = 'VALUE';", "a.ts"),
            ("let api_token: &str = \"VALUE\";", "a.rs"),
            ("client.setApiKey(\"VALUE\");", "A.java"),
            ("os.environ.setdefault(\"API_TOKEN\", \"VALUE\")", "a.py"),
            ("conn = \"Server=db;Database=x;AccountKey=VALUE;\"", "a.cs"),
            ("Set-Variable -Name apiToken -Value 'VALUE'", "a.ps1"),
            (
                "<add name=\"SessionSecret\" connectionString=\"VALUE\" />",
                "web.config",
            ),
            (
                "url = \"https://api.example.com/v1?access_token=VALUE&x=1\"",
                "a.py",
            ),
            ("curl -H \"X-Api-Key: VALUE\" https://x", "run.sh"),
            ("\"API_TOKEN = \\\"VALUE\\\"\\n\",", "a.ipynb"),
            ("- name: API_TOKEN\n  value: VALUE", "deploy.yaml"),
            (
                "variable \"api_token\" {\n  type = string\n  default = \"VALUE\"\n}",
                "vars.tf",
            ),
            ("if token == \"VALUE\":", "a.py"),
            ("TOKEN = '''VALUE'''", "a.py"),
            ("const TOKEN = `VALUE`;", "a.js"),
            (
                "val settings = mapOf(\"freshbooksToken\" to \"VALUE\")",
                "Config.kt",
            ),
            ("putenv('CLIENT_SECRET=' . 'VALUE');", "a.php"),
            ("let private_key = String::from(\"VALUE\");", "main.rs"),
        ];
        for (line, path) in cases {
            let line = line.replace("VALUE", TOKEN);
            assert_eq!(
                found(&line, path, NameKind::Token).as_deref(),
                Some(TOKEN),
                "{line:?} in {path}"
            );
        }
        let line = "  password: VALUE".replace("VALUE", PASS);
        assert_eq!(
            found(&line, "db.yaml", NameKind::Password).as_deref(),
            Some(PASS)
        );
        let line = "Server=x;User Id=sa;Pwd=VALUE;".replace("VALUE", PASS);
        assert_eq!(
            found(&line, "app.config", NameKind::Password).as_deref(),
            Some(PASS)
        );
    }

    #[test]
    fn text_of_any_script_around_names_is_sliced_at_characters() {
        // Box drawing, accents and CJK before, inside and after every shape.
        let pieces = [
            "│   └── token: ",
            "├─ API key — ",
            "clé token=é",
            "密码 password: 密",
            "ü\"token\": \"ä",
            "token is ─",
            "<secret>─</secret>",
            "- name: TOKEN\n  value: ─",
        ];
        for piece in pieces {
            for pad in ["", "─", "é", "漢字"] {
                let line = format!("{pad}{piece}{pad}{TOKEN}{pad}");
                for kind in [NameKind::Token, NameKind::Password] {
                    for path in ["a.py", "a.yaml", "README.md"] {
                        let _ = found(&line, path, kind);
                    }
                }
            }
        }
    }

    #[test]
    fn expressions_and_non_secrets_are_not_values() {
        for (line, path) in [
            ("api_token = get_token()", "a.py"),
            ("api_token = settings.API_TOKEN", "a.py"),
            ("apiToken: process.env.API_TOKEN,", "a.ts"),
            ("let token = VALUE;", "a.rs"),
            ("token_url = \"https://example.com/oauth/token\"", "a.py"),
            ("csrf_token: VALUE", "a.yaml"),
            ("<input type=\"password\" name=\"password\">", "a.html"),
            ("the token is valid", "README.md"),
            ("api_key = \"${API_KEY}\"", "main.tf"),
            ("password_hash: VALUE", "a.yaml"),
            (
                "os.Setenv(\"SA_PASSWORD\", mustEnv(\"ADMIN_PASSWORD\"))",
                "main.go",
            ),
            (
                "DEFAULTS = dict(forgot_password_path='password', timeout=30)",
                "a.py",
            ),
        ] {
            let line = line.replace("VALUE", TOKEN);
            assert_eq!(found(&line, path, NameKind::Token), None, "{line:?}");
            assert_eq!(found(&line, path, NameKind::Password), None, "{line:?}");
        }
    }
}
