//! GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per finding, which
//! the runner turns into an annotation on the file and line. Escapes data and properties
//! the way the runner expects; never writes a secret (previews only, whatever the flags).

use std::io::{self, Write};

use crate::detect::Severity;
use crate::outcome::Outcome;
use crate::report::{advice, mask_all, path_string, secrets_of, whole_file};

/// Writes one workflow command per finding.
pub fn write(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    // A finding only in history has no line of today's files to annotate.
    for file in outcome
        .files
        .iter()
        .filter(|f| f.commit.as_ref().is_none_or(|c| c.in_head))
    {
        let secrets = secrets_of(file);
        let path = path_string(&file.source.path);
        for finding in &file.findings {
            let command = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut props = vec![("file", path.clone())];
            if whole_file(finding) {
                props.push(("line", "1".into()));
            } else {
                let s = file.source.position(finding.span.start);
                let e = file.source.position(finding.span.end);
                props.extend([
                    ("line", s.line.to_string()),
                    ("col", s.column.to_string()),
                    ("endLine", e.line.to_string()),
                    ("endColumn", e.column.to_string()),
                ]);
            }
            props.push(("title", finding.rule.to_string()));
            let props: Vec<String> = props
                .iter()
                .map(|(k, v)| format!("{k}={}", escape_property(v)))
                .collect();
            let mut message = finding.message.clone();
            for line in advice(finding) {
                message.push('\n');
                message.push_str(&line);
            }
            let message = mask_all(&message, &secrets);
            writeln!(
                out,
                "::{command} {}::{}",
                props.join(","),
                escape_data(&message)
            )?;
        }
    }
    Ok(())
}

/// The message part of a command: `%`, CR and LF are escaped.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as data, plus `:` and `,`, which separate properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100%\r\nok: a,b"), "100%25%0D%0Aok: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
