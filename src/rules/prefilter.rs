//! The keyword prefilter: one automaton over a pack's keywords that reports every
//! occurrence of every keyword in a text, as an overlapping search would, but with the
//! faster leftmost-longest search. Compiled once per process; never allocates per text.
//!
//! How: a leftmost-longest search finds the longest keyword `k` at the leftmost start
//! `s`. Every keyword that occurs inside that match is known from `k` alone (`inner`,
//! computed when compiling), and a keyword that starts inside the match but ends after
//! it must start where a suffix of `k` is a prefix of a keyword; the search resumes at
//! the first such offset (`resume`). So no occurrence is missed.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

/// Keywords compiled for finding every occurrence.
#[derive(Debug)]
pub struct Keywords {
    ac: AhoCorasick,
    /// The keywords as compiled (lowercased when case-insensitive).
    patterns: Vec<String>,
    /// For each keyword, the other occurrences of keywords inside it: (keyword, offset).
    inner: Vec<Vec<(usize, usize)>>,
    /// For each keyword, where the search resumes after a match of it (offset).
    resume: Vec<usize>,
}

impl Keywords {
    /// Compiles `patterns` (non-empty strings); ASCII case is ignored when asked.
    pub fn new(patterns: &[String], case_insensitive: bool) -> Result<Keywords, String> {
        let fold = |s: &str| {
            if case_insensitive {
                s.to_ascii_lowercase()
            } else {
                s.to_string()
            }
        };
        let patterns: Vec<String> = patterns.iter().map(|p| fold(p)).collect();
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(case_insensitive)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let mut inner = Vec::with_capacity(patterns.len());
        let mut resume = Vec::with_capacity(patterns.len());
        for (i, k) in patterns.iter().enumerate() {
            let mut found = Vec::new();
            for (j, other) in patterns.iter().enumerate() {
                if other.is_empty() || other.len() > k.len() {
                    continue;
                }
                for offset in 0..=k.len() - other.len() {
                    if (i, 0) != (j, offset) && k.as_bytes()[offset..].starts_with(other.as_bytes())
                    {
                        found.push((j, offset));
                    }
                }
            }
            inner.push(found);
            let at = (1..k.len())
                .find(|&o| {
                    let tail = &k.as_bytes()[o..];
                    patterns
                        .iter()
                        .any(|p| p.len() > tail.len() && p.as_bytes().starts_with(tail))
                })
                .unwrap_or(k.len());
            resume.push(at.max(1));
        }
        Ok(Keywords {
            ac,
            patterns,
            inner,
            resume,
        })
    }

    /// The keywords as compiled.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Calls `f(keyword, start)` for every occurrence of every keyword in `text` (in no
    /// particular order; an occurrence may be reported twice) until `f` returns false.
    pub fn each(&self, text: &str, mut f: impl FnMut(usize, usize) -> bool) {
        let mut at = 0;
        while at < text.len() {
            let Some(m) = self.ac.find(Input::new(text).span(at..text.len())) else {
                return;
            };
            let k = m.pattern().as_usize();
            if !f(k, m.start()) {
                return;
            }
            for &(j, offset) in &self.inner[k] {
                if !f(j, m.start() + offset) {
                    return;
                }
            }
            at = m.start() + self.resume[k];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every occurrence, the slow way.
    fn naive(patterns: &[&str], text: &str) -> Vec<(usize, usize)> {
        let lower = text.to_ascii_lowercase();
        let mut out = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let p = p.to_ascii_lowercase();
            for s in 0..lower.len() {
                if lower[s..].starts_with(&p) {
                    out.push((i, s));
                }
            }
        }
        out.sort();
        out
    }

    fn fast(patterns: &[&str], text: &str) -> Vec<(usize, usize)> {
        let owned: Vec<String> = patterns.iter().map(|s| s.to_string()).collect();
        let k = Keywords::new(&owned, true).unwrap();
        let mut out = Vec::new();
        k.each(text, |p, s| {
            out.push((p, s));
            true
        });
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn finds_every_occurrence() {
        let patterns = [
            "sk", "sk_live_", "pat", "ate", "key", "api-key", "apikey", "-us", "pwd", "token",
            "secret_", "secret", "ab", "bc", "abcd", "cde", "e",
        ];
        let texts = [
            "pate sk_live_x task apikey api-key-us SECRET_TOKEN",
            "abcde abcd bcde xabcdex eee",
            "",
            "s",
            "patatetokenkeysksecretsecret_pwd",
        ];
        for text in texts {
            assert_eq!(fast(&patterns, text), naive(&patterns, text), "{text}");
        }
        // Pseudo-random texts over a small alphabet hit every overlap shape.
        let mut seed = 12345u64;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..60 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push(b"abcdeKkSsyEPpaTt-_u"[(seed >> 33) as usize % 19] as char);
            }
            assert_eq!(fast(&patterns, &text), naive(&patterns, &text), "{text}");
        }
    }
}
