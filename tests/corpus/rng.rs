//! A seeded SplitMix64 generator and the value alphabets the corpus draws from. Never
//! reads the clock or the environment: the same seed gives the same corpus.

pub const B62: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub const B64U: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
pub const HEX: &str = "0123456789abcdef";
pub const HEX_UP: &str = "0123456789ABCDEF";
pub const UPPER_NUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub const LOWER_NUM: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
pub const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const DIGITS: &str = "0123456789";
pub const BECH32_UP: &str = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
pub const BASE32_LOW: &str = "abcdefghijklmnopqrstuvwxyz234567";
/// Azure AD client secret body: base62 plus `_~.-`.
pub const AZURE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-";
/// Symbols people and generators put in passwords (none that a shell, XML or a
/// connection string would need escaped beyond what the renderers do).
pub const PW_SYMBOLS: &str = "!@#*-_=+.?~:,";

/// Runs of text that mark a value as a placeholder or a test value; random values that
/// happen to contain one are drawn again so that labels stay honest.
const MARKERS: &[&str] = &[
    "xxx",
    "example",
    "dummy",
    "test",
    "fake",
    "your",
    "redact",
    "placeholder",
    "change",
    "sample",
    "0000",
    "1234",
    "abcd",
    "todo",
    "secret",
    "token",
    "passw",
    "aaaa",
    "mock",
    "demo",
    "null",
    "none",
    "fixme",
    "replace",
    "insert",
];

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// SplitMix64.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// `len` characters of `alphabet`, drawn again while they contain a marker run.
    pub fn string(&mut self, alphabet: &str, len: usize) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        loop {
            let s: String = (0..len).map(|_| chars[self.below(chars.len())]).collect();
            if !has_marker(&s) {
                return s;
            }
        }
    }

    /// A random value with at least one character of each class the alphabet has
    /// (upper, lower, digit), the way generators make them.
    pub fn mixed(&mut self, alphabet: &str, len: usize) -> String {
        loop {
            let s = self.string(alphabet, len);
            let has = |f: fn(&char) -> bool| s.chars().any(|c| f(&c));
            let want = |f: fn(&char) -> bool| alphabet.chars().any(|c| f(&c));
            let ok = [
                char::is_ascii_uppercase as fn(&char) -> bool,
                char::is_ascii_lowercase,
                char::is_ascii_digit,
            ]
            .iter()
            .all(|f| !want(*f) || len < 8 || has(*f));
            if ok {
                return s;
            }
        }
    }

    /// Expands a format template: literal text with `{alphabet:N}` or `{alphabet:N-M}`.
    pub fn template(&mut self, t: &str) -> String {
        let mut out = String::new();
        let mut rest = t;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("closed template");
            let spec = &rest[open + 1..close];
            let (name, len) = spec.split_once(':').expect("alphabet:len");
            let len = match len.split_once('-') {
                Some((a, b)) => self.range(a.parse().unwrap(), b.parse().unwrap()),
                None => len.parse().unwrap(),
            };
            let alphabet = match name {
                "b62" => B62,
                "b64" => B64,
                "b64u" => B64U,
                "hex" => HEX,
                "HEX" => HEX_UP,
                "UN" => UPPER_NUM,
                "ln" => LOWER_NUM,
                "az" => LETTERS,
                "d" => DIGITS,
                "bech" => BECH32_UP,
                "b32" => BASE32_LOW,
                "azure" => AZURE,
                other => panic!("unknown alphabet {other}"),
            };
            out.push_str(&self.mixed(alphabet, len));
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

pub fn has_marker(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    MARKERS.iter().any(|m| lower.contains(m))
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    let table = B64.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(table[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Random bytes, base64-encoded (a key, a salt, a digest).
pub fn random_b64(rng: &mut Rng, bytes: usize) -> String {
    loop {
        let raw: Vec<u8> = (0..bytes).map(|_| rng.next_u64() as u8).collect();
        let s = base64(&raw);
        if !has_marker(&s) {
            return s;
        }
    }
}
