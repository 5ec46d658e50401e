//! Human output: each finding as a miette diagnostic (path:line:col, rule id, the source
//! line with the span marked, the fix as help), then notes and a summary.

use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use rayon::prelude::*;

use crate::detect::{Applicability, Severity};
use crate::outcome::{FileResult, Mode, Outcome, SkipReason};
use crate::source::SourceFile;

use super::terminal;

/// A file's text shared by all of its diagnostics, named by its path.
#[derive(Debug)]
struct Shared {
    file: Arc<SourceFile>,
    /// Where each line starts after the first, as miette counts lines (after `\n`,
    /// `\r\n` or a lone `\r`); worked out on first use.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl Shared {
    fn new(file: Arc<SourceFile>) -> Shared {
        Shared {
            file,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let b = self.file.text.as_bytes();
            memchr::memchr2_iter(b'\r', b'\n', b)
                .filter(|&i| !(b[i] == b'\r' && b.get(i + 1) == Some(&b'\n')))
                .map(|i| i + 1)
                .collect()
        })
    }
}

impl SourceCode for Shared {
    /// miette's own reading of a text, which counts lines from its start for each
    /// span (slow for many findings in a big file), run from a few lines before the
    /// span instead, its lines counted from there.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let starts = self.line_starts();
        // The span's line; the text is read from one line before its first context
        // line, so that miette sees a full set of context lines before the span.
        let line = starts.partition_point(|&s| s <= span.offset());
        let skipped = line.saturating_sub(context_lines_before + 1);
        let base = if skipped == 0 { 0 } else { starts[skipped - 1] };
        let text = &self.file.text.as_bytes()[base..];
        let inner = text.read_span(
            &SourceSpan::new((span.offset() - base).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            terminal::line(&self.file.path.display().to_string()).into_owned(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + base).into(), inner.span().len()),
            inner.line() + skipped,
            inner.column(),
            inner.line_count() + skipped,
        )))
    }
}

/// A diagnostic with the file it points into. (Not a `miette::Report`: making one asks
/// the terminal about colours and width each time, a dozen system calls per finding.)
#[derive(Debug)]
struct WithSource<'a> {
    diag: MietteDiagnostic,
    source: Option<&'a Shared>,
}

impl std::fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.diag.fmt(f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl miette::Diagnostic for WithSource<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        self.diag.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diag.help()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.diag.labels()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|s| s as &dyn SourceCode)
    }
}

/// Writes every finding as a diagnostic.
pub fn findings(
    outcome: &Outcome,
    color: bool,
    show_secrets: bool,
    threads: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_context_lines(1)
        .with_width(120);
    // Rendering is the costly part on a run with thousands of findings: files are
    // rendered on `threads` threads, then written in order.
    let render = || -> Vec<String> {
        outcome
            .files
            .par_iter()
            .map(|file| file_block(file, &handler, show_secrets))
            .collect()
    };
    let blocks = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(render),
        Err(_) => render(),
    };
    for block in blocks {
        out.write_all(block.as_bytes())?;
    }
    Ok(())
}

/// One file's findings as diagnostics.
fn file_block(file: &FileResult, handler: &GraphicalReportHandler, show_secrets: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    // The source lines shown under each finding never show a secret in full.
    // Nor another token that looks machine-made on the lines around a finding: a secret
    // that no rule found may sit next to an environment read.
    let shown = if !show_secrets {
        Arc::new(file.source.with_text(super::mask_for_display(
            &file.source.text,
            &file.findings,
            3,
        )))
    } else {
        file.source.clone()
    };
    // Nor a control character: shown as a symbol, the spans moved to match.
    let escaped = terminal::Text::escape(&shown.text);
    let shown = match &escaped {
        Some(e) => Arc::new(shown.with_text(e.text.clone())),
        None => shown,
    };
    let at = |offset: usize| escaped.as_ref().map_or(offset, |e| e.offset(offset));
    let source = Shared::new(shown);
    for finding in &file.findings {
        let pos = file.source.position(finding.span.start);
        let label = match (&finding.env_name, &finding.secret) {
            (Some(name), _) => format!("reads `{}`", terminal::line(name)),
            (None, Some(secret)) => format!("secret {}", secret.describe()),
            (None, None) => "computed name".to_string(),
        };
        let help = match (&finding.fix, &finding.no_fix_reason) {
            (Some(fix), _) => Some(match fix.applicability {
                Applicability::Safe => format!("{} (fix with --fix)", fix.title),
                Applicability::Unsafe => {
                    format!("{} (unsafe fix: --fix --unsafe-fixes)", fix.title)
                }
            }),
            (None, Some(reason)) => Some(format!("no automatic fix: {reason}")),
            (None, None) => None,
        };
        let help = help.map(|h| terminal::line(&h).into_owned());
        let extra = finding.help.as_deref().map(terminal::line);
        let help = match (help, extra) {
            (Some(h), Some(extra)) => Some(format!("{extra}\n{h}")),
            (None, Some(extra)) => Some(extra.into_owned()),
            (h, None) => h,
        };
        let message = terminal::line(&finding.message).into_owned();
        let mut diag = MietteDiagnostic::new(message).with_severity(match finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        });
        if let Some(help) = help {
            diag = diag.with_help(help);
        }
        // A finding about a whole file (a stray .env) has no place to show.
        let whole_file =
            finding.span.is_empty() && finding.env_name.is_none() && finding.secret.is_none();
        let report = if whole_file {
            WithSource { diag, source: None }
        } else {
            WithSource {
                diag: diag.with_label(LabeledSpan::at(
                    at(finding.span.start)..at(finding.span.end),
                    label,
                )),
                source: Some(&source),
            }
        };
        let mut rendered = String::new();
        // Writing to a String cannot fail.
        let commit = file
            .commit
            .as_ref()
            .map_or(String::new(), |c| format!(" ({})", super::commit_label(c)));
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {}{commit}",
            terminal::line(&file.source.path.display().to_string()),
            pos.line,
            pos.column,
            finding.severity.as_str(),
            finding.rule
        );
        if handler.render_report(&mut rendered, &report).is_ok() {
            out.push_str(&rendered);
        }
        out.push('\n');
    }
    out
}

/// Writes notes about skipped files and refused fixes (skips other than errors only
/// with `verbose`).
pub fn notes(outcome: &Outcome, verbose: bool, out: &mut dyn Write) -> io::Result<()> {
    for note in &outcome.notes {
        if let Some(reason) = note.skipped {
            if !verbose && !note.explicit && !reason.noteworthy() {
                continue;
            }
        }
        let path = note
            .path
            .as_ref()
            .map(|p| format!("{}: ", terminal::line(&p.display().to_string())))
            .unwrap_or_default();
        let message = terminal::line(&note.message);
        match note.skipped {
            // A file named on the command line that cannot be read fails the run.
            Some(SkipReason::Unreadable) if note.explicit => {
                writeln!(out, "error: {path}cannot be read: {}", note.message)?
            }
            Some(reason) => writeln!(
                out,
                "note: {path}skipped ({}): {}",
                reason.as_str(),
                message
            )?,
            None if outcome.failed && note.path.is_some() && !note.message.contains("fix") => {
                writeln!(out, "error: {path}{message}")?
            }
            None => writeln!(out, "warning: {path}{message}")?,
        }
    }
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Writes the closing summary.
pub fn summary(outcome: &Outcome, mode: Mode, out: &mut dyn Write) -> io::Result<()> {
    let s = &outcome.summary;
    let found = s.errors + s.warnings;
    if mode != Mode::Check {
        let verb = if mode == Mode::Fix {
            "Fixed"
        } else {
            "Would fix"
        };
        writeln!(
            out,
            "{verb} {} in {}.",
            plural(s.fixed, "finding", "findings"),
            plural(s.files_changed, "file", "files")
        )?;
    }
    if found == 0 {
        writeln!(out, "No findings.")?;
    } else {
        let mut line = format!(
            "Found {} ({}, {}).",
            plural(found, "finding", "findings"),
            plural(s.errors, "error", "errors"),
            plural(s.warnings, "warning", "warnings"),
        );
        if s.fixable > 0 {
            line.push_str(&format!(" {} fixable with --fix.", s.fixable));
        }
        if s.unsafe_fixable > 0 {
            line.push_str(&format!(
                " {} more with --fix --unsafe-fixes.",
                s.unsafe_fixable
            ));
        }
        writeln!(out, "{line}")?;
    }
    // A history scan reads blobs of commits, not files.
    let history = outcome.stats.history.as_ref();
    let (unit, units) = if history.is_some() {
        ("blob", "blobs")
    } else {
        ("file", "files")
    };
    let mut scanned = format!("Scanned {}", plural(s.files_scanned, unit, units));
    if let Some(h) = history {
        scanned.push_str(&format!(" of {}", plural(h.commits, "commit", "commits")));
    }
    if s.files_skipped > 0 {
        let parts: Vec<String> = s
            .skipped
            .iter()
            .map(|(reason, n)| format!("{n} {}", reason.as_str()))
            .collect();
        scanned.push_str(&format!(
            ", skipped {} ({})",
            s.files_skipped,
            parts.join(", ")
        ));
    }
    if s.not_fully_checked > 0 {
        if history.is_some() {
            // Its notes are about the clone (shallow, partial), not one blob.
            scanned.push_str("; not fully checked (see warnings)");
        } else {
            scanned.push_str(&format!(
                "; {} not fully checked (see warnings)",
                plural(s.not_fully_checked, "file", "files")
            ));
        }
    }
    if s.infos > 0 {
        scanned.push_str(&format!(
            "; {} left alone on purpose (info)",
            plural(s.infos, "read", "reads")
        ));
    }
    if s.baselined > 0 {
        scanned.push_str(&format!("; {} in the baseline", s.baselined));
    }
    if s.below_confidence > 0 {
        scanned.push_str(&format!(
            "; {} below the confidence shown (--min-confidence low shows them)",
            plural(s.below_confidence, "secret", "secrets")
        ));
    }
    if s.allowlisted.total() > 0 {
        scanned.push_str(&format!(
            "; {} allowlisted by the config ({})",
            plural(s.allowlisted.total(), "secret", "secrets"),
            s.allowlisted.describe()
        ));
    }
    if s.fixes_refused > 0 {
        scanned.push_str(&format!(
            "; {} not fixed (see warnings)",
            plural(s.fixes_refused, "file", "files")
        ));
    }
    writeln!(out, "{scanned}.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Language;

    /// Reading from a few lines before a span gives what miette's reading of the whole
    /// text gives: same lines, offsets, line numbers and line count, whatever the line
    /// endings.
    #[test]
    fn spans_read_as_miette_reads_them() {
        let mut text = String::new();
        let endings = ["\n", "\r\n", "\r", "\n", "\n\n"];
        for i in 0..200 {
            text.push_str(&format!("line {i} with some text"));
            text.push_str(endings[i % endings.len()]);
        }
        let shared = Shared::new(Arc::new(SourceFile::new(
            "a.py".into(),
            Language::Python,
            text.clone(),
        )));
        let mut at = 0;
        while at < text.len() {
            for len in [0, 1, 7, 40] {
                let span = SourceSpan::new(at.into(), len.min(text.len() - at));
                for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                    let ours = shared.read_span(&span, before, after).unwrap();
                    let theirs = text.read_span(&span, before, after).unwrap();
                    let what = format!("span {span:?}, context {before}/{after}");
                    assert_eq!(ours.data(), theirs.data(), "{what}");
                    assert_eq!(ours.span(), theirs.span(), "{what}");
                    assert_eq!(ours.line(), theirs.line(), "{what}");
                    assert_eq!(ours.column(), theirs.column(), "{what}");
                    assert_eq!(ours.line_count(), theirs.line_count(), "{what}");
                }
            }
            at += 13;
        }
    }
}
