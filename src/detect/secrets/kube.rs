//! Kubernetes `kind: Secret` manifests: every value under `data:` (base64) or
//! `stringData:` is a secret whatever its key is called (`tls.key`, `config.json`).
//! A `data:` value is judged by what it decodes to. Never decodes more than one value at
//! a time; never reports a Helm template (`{{ … }}`).

use std::ops::Range;

use super::value::{self, Verdict};
use crate::rules::secrets::NameKind;

/// The values of the Secret documents around each `kind: Secret` in `text`.
pub fn scan(text: &str, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    let mut search = 0;
    while let Some(at) = find_kind(&text[search..]).map(|i| search + i) {
        let (start, end) = document(text, at);
        values(text, start..end, out);
        search = end.max(at + 1);
        if search >= b.len() {
            break;
        }
    }
}

/// A `kind: Secret` line (YAML), case-sensitive as Kubernetes is.
fn find_kind(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("kind: Secret") {
        let at = from + i;
        // Only blanks before it on its line, looked for backwards from it (not from the
        // line's start, nor the rest of the line first: on one long line, each
        // occurrence would cross the whole line).
        let first_on_line = text[..at]
            .chars()
            .rev()
            .find(|c| *c == '\n' || !c.is_whitespace())
            .is_none_or(|c| c == '\n');
        if first_on_line {
            let rest = text[at + 12..].split('\n').next().unwrap_or("").trim();
            if rest.is_empty() || rest.starts_with('#') {
                return Some(at);
            }
        }
        from = at + 12;
    }
    None
}

/// The YAML document (between `---` lines) that holds `at`.
fn document(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind("\n---").map_or(0, |i| i + 4);
    let end = text[at..].find("\n---").map_or(text.len(), |i| at + i);
    (start, end)
}

fn values(text: &str, doc: Range<usize>, out: &mut Vec<Range<usize>>) {
    let mut section: Option<(usize, bool)> = None; // (indent of `data:`, base64)
    let mut offset = doc.start;
    for line in text[doc.clone()].split('\n') {
        let start = offset;
        offset += line.len() + 1;
        let content = line.trim_end_matches('\r');
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = content.len() - trimmed.len();
        if let Some((level, base64)) = section {
            if indent > level {
                if let Some(r) = entry_value(content) {
                    let value = &content[r.clone()];
                    // `ca.crt`, `tls.crt`, `id_rsa.pub`: certificates and public keys.
                    let key = trimmed.split(':').next().unwrap_or("").to_ascii_lowercase();
                    let public = ["crt", "cert", "pub", "ca.pem", "ca-bundle"]
                        .iter()
                        .any(|w| key.contains(w));
                    if !public && judge(value, base64) {
                        out.push(start + r.start..start + r.end);
                    }
                }
                continue;
            }
            section = None;
        }
        match trimmed {
            "data:" => section = Some((indent, true)),
            "stringData:" => section = Some((indent, false)),
            _ => {}
        }
    }
}

/// `  key: value` → the value's range in the line (quotes stripped).
fn entry_value(line: &str) -> Option<Range<usize>> {
    let colon = line.find(": ")?;
    let raw = &line[colon + 2..];
    let lead = raw.len() - raw.trim_start().len();
    let mut v = raw.trim();
    let mut start = colon + 2 + lead;
    if v.len() >= 2
        && (v.starts_with('"') && v.ends_with('"') || v.starts_with('\'') && v.ends_with('\''))
    {
        v = &v[1..v.len() - 1];
        start += 1;
    }
    (!v.is_empty()).then_some(start..start + v.len())
}

fn judge(value: &str, base64: bool) -> bool {
    if value.contains("{{") || value.starts_with('|') || value.starts_with('>') {
        return false;
    }
    if !base64 {
        return value::classify(value, NameKind::Password) == Verdict::Strong;
    }
    let Some(decoded) = value::base64_decode(value) else {
        return false;
    };
    match std::str::from_utf8(&decoded) {
        // Text: judged as a password would be (`admin`, `changeme` are not secrets).
        Ok(text)
            if text
                .bytes()
                .all(|b| (0x20..0x7f).contains(&b) || b == b'\n') =>
        {
            let text = text.trim();
            if text.contains("-----BEGIN") {
                return text.contains("PRIVATE KEY");
            }
            value::classify(text, NameKind::Password) == Verdict::Strong
        }
        // Key material, certificates, random bytes.
        _ => decoded.len() >= 16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_values_are_judged_by_what_they_decode_to() {
        // "Xk9#mPq2vL!7tR" and "admin", base64.
        let manifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: WGs5I21QcTJ2TCE3dFI=\n  username: YWRtaW4=\nstringData:\n  token: \"q8Zr2LmX0vTn4WkP\"\n  host: db.local\n---\nkind: ConfigMap\ndata:\n  password: WGs5I21QcTJ2TCE3dFI=\n";
        let mut out = Vec::new();
        scan(manifest, &mut out);
        let found: Vec<&str> = out.iter().map(|r| &manifest[r.clone()]).collect();
        assert_eq!(found, ["WGs5I21QcTJ2TCE3dFI=", "q8Zr2LmX0vTn4WkP"]);
    }

    #[test]
    fn the_kind_line_holds_only_the_kind() {
        assert_eq!(find_kind("a: 1\n  kind: Secret # db\n"), Some(7));
        assert_eq!(find_kind("kind: Secret"), Some(0));
        assert_eq!(find_kind("x kind: Secret\n"), None);
        assert_eq!(find_kind("kind: Secrets\n"), None);
        let long = "kind: Secret ".repeat(3);
        assert_eq!(find_kind(&long), None);
        assert_eq!(
            find_kind(&format!("{long}\nkind: Secret\n")),
            Some(long.len() + 1)
        );
    }

    #[test]
    fn helm_templates_are_not_values() {
        let manifest = "kind: Secret\ndata:\n  password: {{ .Values.password | b64enc }}\n";
        let mut out = Vec::new();
        scan(manifest, &mut out);
        assert!(out.is_empty());
    }
}
