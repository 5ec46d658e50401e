//! `# noqa: TID251` on a rewritten line: ruff's banned-api rule (flake8-tidy-imports),
//! which projects use to ban `os.getenv` / `os.environ`, has nothing left to suppress
//! once the read goes through the loader, so the fix removes the code (and the comment
//! when it held nothing else). Computes edits; never applies them.

use std::ops::Range;

use crate::detect::Finding;
use crate::fix::Edit;
use crate::source::SourceFile;

/// The banned-api code.
const CODE: &str = "TID251";

/// Adds the noqa edit to the fixes of `findings`: on each line with `# noqa: … TID251`
/// whose environment reads all have fixes of one applicability, to the last of them,
/// unless the rest of the line still names the environment. A bare `# noqa` stays.
pub fn drop_banned_api_codes(file: &SourceFile, findings: &mut [Finding]) {
    // Every finding by its line, once: looking for a line's findings among all of them
    // was quadratic in the reads of a file.
    let mut by_line: Vec<(usize, usize)> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| (file.line_index(f.span.start), i))
        .collect();
    by_line.sort_unstable();
    let mut at = 0;
    while at < by_line.len() {
        let line = by_line[at].0;
        let len = by_line[at..].iter().take_while(|(l, _)| *l == line).count();
        let on_line: Vec<usize> = by_line[at..at + len].iter().map(|&(_, i)| i).collect();
        at += len;
        if !on_line
            .iter()
            .any(|&i| findings[i].env_name.is_some() || findings[i].fix.is_some())
        {
            continue;
        }
        let fixes: Vec<_> = on_line.iter().map(|&i| findings[i].fix.as_ref()).collect();
        let Some(first) = fixes.first().copied().flatten() else {
            continue;
        };
        if fixes
            .iter()
            .any(|f| f.is_none_or(|f| f.applicability != first.applicability))
        {
            continue;
        }
        let range = file.line_range(line);
        let Some(edit) = noqa_edit(file, range.clone(), &on_line, findings) else {
            continue;
        };
        let last = *on_line
            .iter()
            .max_by_key(|&&i| findings[i].span.start)
            .expect("a finding on the line");
        if let Some(fix) = &mut findings[last].fix {
            if !fix.edits.iter().any(|e| overlaps(&e.range, &edit.range)) {
                fix.edits.push(edit);
            }
        }
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// The edit of the line's noqa comment, if it names TID251 and the code outside the
/// rewritten reads mentions the environment no more.
fn noqa_edit(
    file: &SourceFile,
    line: Range<usize>,
    on_line: &[usize],
    findings: &[Finding],
) -> Option<Edit> {
    let src = file.text.as_str();
    let text = src[line.clone()].trim_end_matches(['\n', '\r']);
    let hash = comment_start(text)?;
    let comment = &text[hash..];
    let (codes_range, codes) = noqa_codes(comment)?;
    if !codes.iter().any(|c| c == CODE) {
        return None;
    }
    // What stays of the code: the line before the comment without the reads.
    let mut rest = String::new();
    let mut pos = line.start;
    let mut spans: Vec<Range<usize>> = on_line.iter().map(|&i| findings[i].span.clone()).collect();
    spans.sort_by_key(|s| s.start);
    for span in spans {
        if span.start >= pos {
            rest.push_str(&src[pos..span.start]);
            pos = span.end.min(line.start + hash).max(pos);
        }
    }
    if pos < line.start + hash {
        rest.push_str(&src[pos..line.start + hash]);
    }
    if rest.contains("environ") || rest.contains("getenv") {
        return None;
    }
    let kept: Vec<&str> = codes
        .iter()
        .map(String::as_str)
        .filter(|c| *c != CODE)
        .collect();
    let base = line.start + hash;
    if !kept.is_empty() {
        let range = base + codes_range.start..base + codes_range.end;
        return Some(Edit::replace(range, kept.join(", ")));
    }
    // Only TID251: the noqa directive goes, and the whole comment with the spaces before
    // it when the directive was all it said.
    let directive_start = comment[..codes_range.start].rfind('#')?;
    let before = comment[..directive_start].trim_end();
    let after = comment[codes_range.end..].trim();
    if before.is_empty() && after.is_empty() {
        let code_end = text[..hash].trim_end().len();
        return Some(Edit::delete(line.start + code_end..line.start + text.len()));
    }
    if after.is_empty() {
        // `# type: ignore  # noqa: TID251` → `# type: ignore`
        return Some(Edit::delete(base + before.len()..line.start + text.len()));
    }
    None
}

/// Where the comment of a line starts: the first `#` outside a string.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '#' => return Some(i),
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
    }
    None
}

/// The codes of a `# noqa: A1, B2` directive in a comment, with their range in it;
/// `None` for a bare `# noqa` (which suppresses everything and stays).
fn noqa_codes(comment: &str) -> Option<(Range<usize>, Vec<String>)> {
    let lower = comment.to_ascii_lowercase();
    let at = lower.find("noqa")?;
    let rest = &comment[at + 4..];
    let colon = rest.len() - rest.trim_start().len();
    let rest = rest.trim_start().strip_prefix(':')?;
    let lead = rest.len() - rest.trim_start().len();
    let start = at + 4 + colon + 1 + lead;
    let mut end = start;
    let mut codes = Vec::new();
    let bytes = comment.as_bytes();
    let mut i = start;
    loop {
        let code_start = i;
        while i < bytes.len() && bytes[i].is_ascii_uppercase() {
            i += 1;
        }
        let letters = i - code_start;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if letters == 0 || i == code_start + letters {
            break;
        }
        codes.push(comment[code_start..i].to_string());
        end = i;
        let sep_start = i;
        while i < bytes.len() && (bytes[i] == b',' || bytes[i] == b' ') {
            i += 1;
        }
        if i == sep_start {
            break;
        }
    }
    (!codes.is_empty()).then_some((start..end, codes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_a_directive() {
        let (r, codes) = noqa_codes("# noqa: TID251, E501").unwrap();
        assert_eq!(codes, vec!["TID251", "E501"]);
        assert_eq!(&"# noqa: TID251, E501"[r], "TID251, E501");
        assert!(noqa_codes("# noqa").is_none());
        assert_eq!(noqa_codes("#NOQA:TID251").unwrap().1, vec!["TID251"]);
    }

    #[test]
    fn comment_outside_strings() {
        assert_eq!(comment_start("x = '#' # c"), Some(8));
        assert_eq!(comment_start("x = 1"), None);
    }
}
