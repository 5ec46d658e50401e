//! JUnit XML output for CI systems that show test reports: one test case per finding
//! (a failure of type `error` or `warning`), or one passing case when nothing was found.
//! Escapes every text it writes; never writes a secret (previews only, whatever the flags).

use std::io::{self, Write};

use crate::detect::Severity;
use crate::outcome::Outcome;
use crate::report::{advice, mask_all, path_string, secrets_of, whole_file};

/// Writes the outcome as one `<testsuites>` document.
pub fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let mut cases = Vec::new();
    for file in &outcome.files {
        let secrets = secrets_of(file);
        let path = path_string(&file.source.path);
        // Informational findings (reads left alone on purpose) are not failures.
        for finding in file.findings.iter().filter(|f| f.severity > Severity::Info) {
            let pos = if whole_file(finding) {
                crate::source::Position { line: 1, column: 1 }
            } else {
                file.source.position(finding.span.start)
            };
            let severity = finding.severity.as_str();
            // A history finding: in which commit.
            let commit = file.commit.as_ref().map_or(String::new(), |c| {
                format!(" ({})", crate::report::commit_label(c))
            });
            let mut details = format!(
                "{path}:{}:{}: {severity} {}{commit}\n{}",
                pos.line, pos.column, finding.rule, finding.message
            );
            for line in advice(finding) {
                details.push('\n');
                details.push_str(&line);
            }
            cases.push(format!(
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\">\n      <failure message=\"{}\" type=\"{severity}\">{}</failure>\n    </testcase>\n",
                escape(&path),
                escape(&format!("{} at line {}{commit}", finding.rule, pos.line)),
                escape(&path),
                pos.line,
                escape(&mask_all(&finding.message, &secrets)),
                escape_text(&mask_all(&details, &secrets)),
            ));
        }
    }
    let failures = cases.len();
    if cases.is_empty() {
        // A run with nothing to report still shows up as one passing test.
        cases.push("    <testcase classname=\"shush\" name=\"no findings\"/>\n".to_string());
    }
    let tests = cases.len();
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"shush\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    )?;
    writeln!(
        out,
        "  <testsuite name=\"shush\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">"
    )?;
    for case in cases {
        out.write_all(case.as_bytes())?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// XML-escapes text for an attribute or element; characters XML 1.0 cannot hold at all
/// (most control characters) become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Newlines and tabs in attributes would be normalized to spaces by parsers.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// XML-escapes element text, where line breaks may stay as they are.
pub fn escape_text(s: &str) -> String {
    s.split('\n')
        .map(|line| escape(line).replace("&#9;", "\t"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("a&b<c>\"d'\u{1}\n"),
            "a&amp;b&lt;c&gt;&quot;d&apos;\u{FFFD}&#10;"
        );
        assert_eq!(escape_text("a<b\n\tc"), "a&lt;b\n\tc");
    }
}
