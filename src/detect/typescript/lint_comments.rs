//! Linter suppressions that exist only for an environment read (`// eslint-disable-next-line
//! n/no-process-env`, `// deno-lint-ignore no-process-global`, `// biome-ignore
//! lint/style/noProcessEnv: …`): once the fix rewrites the read, the comment suppresses
//! nothing, and linters that report unused suppressions (ESLint's
//! `reportUnusedDisableDirectives`, deno's `ban-unused-ignore`, Biome's
//! `suppressions/unused`) flag it. The fix that rewrites the read also drops the comment,
//! or the environment rules from its list. Computes edits; never applies them.

use crate::detect::fields::Field;
use std::ops::Range;

use tree_sitter::Node;

use crate::Context;
use crate::detect::scope::Scopes;
use crate::detect::{Applicability, Finding};
use crate::fix::Edit;
use crate::source::SourceFile;

/// What a rule reports, as far as telling whether a line still needs its suppression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reports {
    /// `process.env` (ESLint's `no-process-env` and its eslint-plugin-n and
    /// eslint-plugin-node copies, Biome's `noProcessEnv`).
    ProcessEnv,
    /// Any use of the `process` global (deno lint's `no-process-global`, Biome's
    /// `noProcessGlobal`).
    ProcessGlobal,
    /// Every environment read: `process.env`, `import.meta.env`, `Bun.env`,
    /// `Deno.env.get` (turbo's `no-undeclared-env-vars`, Biome's `noUndeclaredEnvVars`).
    AnyEnv,
}

impl Reports {
    fn bit(self) -> u8 {
        match self {
            Reports::ProcessEnv => 1,
            Reports::ProcessGlobal => 2,
            Reports::AnyEnv => 4,
        }
    }
}

/// ESLint and oxlint rules about reading the environment, as suppression comments name
/// them. Generic rules that a config may point at `process.env`
/// (`no-restricted-properties`, `no-restricted-syntax`) are not among them: they may
/// suppress something else on the line.
const ESLINT_RULES: &[(&str, Reports)] = &[
    // ESLint core: deprecated since v7, still shipped.
    ("no-process-env", Reports::ProcessEnv),
    ("n/no-process-env", Reports::ProcessEnv),
    ("node/no-process-env", Reports::ProcessEnv),
    ("turbo/no-undeclared-env-vars", Reports::AnyEnv),
];

/// deno lint's rule about the Node `process` global.
const DENO_RULES: &[(&str, Reports)] = &[("no-process-global", Reports::ProcessGlobal)];

/// Biome's rules, by name (the category is `lint/<group>/<name>`, and rules move from
/// `nursery` to another group when they are promoted).
const BIOME_RULES: &[(&str, Reports)] = &[
    ("noProcessEnv", Reports::ProcessEnv),
    ("noProcessGlobal", Reports::ProcessGlobal),
    ("noUndeclaredEnvVars", Reports::AnyEnv),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tool {
    Eslint,
    Deno,
    Biome,
}

/// A suppression comment that names its rules.
#[derive(Debug)]
struct Suppression<'a> {
    tool: Tool,
    /// The directive word (`eslint-disable-next-line`).
    directive: &'a str,
    /// It silences its own line (`eslint-disable-line`), not the next one.
    same_line: bool,
    /// The rules it names: their range in the comment, their name, and what they report
    /// when they are environment rules.
    rules: Vec<(Range<usize>, &'a str, Option<Reports>)>,
}

/// Parses `// eslint-disable-next-line a, b -- why`, `/* eslint-disable-line a */`, the
/// same for oxlint, `// deno-lint-ignore a b -- why` and `// biome-ignore lint/x/y: why`.
/// `None` for any other comment, and for one that names no rule (it suppresses
/// everything, so no fix can tell it is unused).
fn parse<'a>(comment: &'a str) -> Option<Suppression<'a>> {
    let body = match comment.strip_prefix("//") {
        Some(_) => 2..comment.len(),
        None if comment.starts_with("/*") && comment.ends_with("*/") && comment.len() >= 4 => {
            2..comment.len() - 2
        }
        None => return None,
    };
    let text = &comment[body.clone()];
    let lead = text.len() - text.trim_start().len();
    let start = body.start + lead;
    let rest = &comment[start..body.end];
    let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let directive = &rest[..word_len];
    let (tool, same_line) = match directive {
        "eslint-disable-next-line" | "oxlint-disable-next-line" => (Tool::Eslint, false),
        "eslint-disable-line" | "oxlint-disable-line" => (Tool::Eslint, true),
        "deno-lint-ignore" => (Tool::Deno, false),
        "biome-ignore" => (Tool::Biome, false),
        _ => return None,
    };
    let list_start = start + word_len;
    let after = &comment[list_start..body.end];
    // ESLint and deno end the list at a ` -- description`; Biome's explanation follows a
    // colon, and is required.
    let list_len = match tool {
        Tool::Eslint | Tool::Deno => description_at(after).unwrap_or(after.len()),
        Tool::Biome => after.find(':')?,
    };
    let list = &after[..list_len];
    let mut rules = Vec::new();
    let mut push = |offset: usize, token: &'a str| {
        let at = list_start + offset;
        rules.push((at..at + token.len(), token, reports(tool, token)));
    };
    match tool {
        Tool::Eslint => {
            let mut offset = 0;
            for part in list.split(',') {
                let token = part.trim();
                if token.contains(char::is_whitespace) {
                    return None;
                }
                if !token.is_empty() {
                    let lead = part.len() - part.trim_start().len();
                    push(offset + lead, token);
                }
                offset += part.len() + 1;
            }
        }
        Tool::Deno | Tool::Biome => {
            let mut offset = 0;
            for part in list.split_inclusive(char::is_whitespace) {
                let token = part.trim();
                if !token.is_empty() {
                    push(offset, token);
                }
                offset += part.len();
            }
            // Biome takes one category per comment.
            if tool == Tool::Biome && rules.len() != 1 {
                return None;
            }
        }
    }
    if rules.is_empty() {
        return None;
    }
    Some(Suppression {
        tool,
        directive,
        same_line,
        rules,
    })
}

/// Where ` -- description` starts in `s`: two or more dashes with whitespace before and
/// whitespace (or the end) after, as ESLint splits it.
fn description_at(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(found) = s[i..].find("--") {
        let at = i + found;
        let mut end = at;
        while bytes.get(end) == Some(&b'-') {
            end += 1;
        }
        let before = at > 0 && bytes[at - 1].is_ascii_whitespace();
        let after = end == bytes.len() || bytes[end].is_ascii_whitespace();
        if before && after {
            return Some(at - 1);
        }
        i = end;
    }
    None
}

fn reports(tool: Tool, name: &str) -> Option<Reports> {
    let find = |table: &[(&str, Reports)], name: &str| {
        table.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
    };
    match tool {
        Tool::Eslint => find(ESLINT_RULES, name),
        Tool::Deno => find(DENO_RULES, name),
        Tool::Biome => {
            let mut parts = name.split('/');
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some("lint"), Some(_group), Some(rule), None) => find(BIOME_RULES, rule),
                _ => None,
            }
        }
    }
}

impl Suppression<'_> {
    /// The edit that drops the rules marked in `drop` from the comment at `range` of
    /// `src`: the whole comment (or `whole`, what holds nothing else) when it names
    /// nothing else, else the rule list rewritten.
    fn edit(&self, src: &str, range: Range<usize>, whole: Range<usize>, drop: &[bool]) -> Edit {
        let kept: Vec<&str> = self
            .rules
            .iter()
            .zip(drop)
            .filter(|(_, d)| !**d)
            .map(|(r, _)| r.1)
            .collect();
        if kept.is_empty() {
            return Edit::delete(comment_removal(src, whole));
        }
        let list = self.rules[0].0.start..self.rules[self.rules.len() - 1].0.end;
        let separator = if self.tool == Tool::Eslint { ", " } else { " " };
        Edit::replace(
            range.start + list.start..range.start + list.end,
            kept.join(separator),
        )
    }

    /// Words for the fix title: "drop the `eslint-disable-next-line` comment it needed".
    fn note(&self, drop: &[bool]) -> String {
        if drop.iter().all(|d| *d) {
            format!("drop the `{}` comment it needed", self.directive)
        } else {
            let names: Vec<String> = self
                .rules
                .iter()
                .zip(drop)
                .filter(|(_, d)| **d)
                .map(|(r, _)| format!("`{}`", r.1))
                .collect();
            format!(
                "drop {} from the `{}` comment",
                names.join(", "),
                self.directive
            )
        }
    }
}

/// The text a comment carried to a new line becomes when nothing it suppresses for the
/// environment is left there: `None` when it goes altogether, the comment without its
/// environment rules, or the comment as it was. `trailing` says where it now stands: at
/// the end of the new line (an `eslint-disable-line` applies there) or on its own line
/// above it (a next-line directive applies).
pub fn carried(comment: &str, trailing: bool) -> Option<String> {
    let Some(s) = parse(comment) else {
        return Some(comment.to_string());
    };
    if s.same_line != trailing || (s.tool == Tool::Biome && trailing) {
        return Some(comment.to_string());
    }
    let drop: Vec<bool> = s.rules.iter().map(|r| r.2.is_some()).collect();
    if !drop.contains(&true) {
        return Some(comment.to_string());
    }
    let edit = s.edit(comment, 0..comment.len(), 0..comment.len(), &drop);
    if edit.range == (0..comment.len()) && edit.content.is_empty() {
        return None;
    }
    Some(crate::fix::apply_edits(comment, vec![edit]))
}

/// The range to delete to remove a comment: its whole line when it is alone on it, else
/// the comment with the blanks that separate it from the code.
fn comment_removal(src: &str, range: Range<usize>) -> Range<usize> {
    let line_start = src[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[range.end..]
        .find('\n')
        .map_or(src.len(), |i| range.end + i + 1);
    let before = &src[line_start..range.start];
    let after = &src[range.end..line_end];
    match (before.trim().is_empty(), after.trim().is_empty()) {
        (true, true) => line_start..line_end,
        (_, true) => range.start - (before.len() - before.trim_end().len())..range.end,
        _ => range.start..range.end + (after.len() - after.trim_start().len()),
    }
}

/// A name on a line that a rule may report.
struct Occurrence {
    range: Range<usize>,
    /// `Reports::bit`s of the rules that report it.
    reported_by: u8,
}

/// Adds, to the fix that rewrites the last environment read of a line, the edit that
/// drops the suppression comments only those reads needed. A rule stays in its comment
/// while any use it reports on the line is left unrewritten (a dynamic key, an
/// allowlisted `NODE_ENV`, a read of another variable suppressed or switched off), and a
/// comment inside another edit is left to it (a destructuring the fix splits carries its
/// comments along, through [`carried`]).
pub fn drop_unneeded(
    file: &SourceFile,
    root: Node,
    scopes: &Scopes,
    findings: &mut [Finding],
    ctx: &Context,
) {
    let src = file.text.as_str();
    let markers = [
        "eslint-disable",
        "oxlint-disable",
        "deno-lint-ignore",
        "biome-ignore",
    ];
    if !markers.iter().any(|m| src.contains(m)) || findings.iter().all(|f| f.fix.is_none()) {
        return;
    }
    let mut comments = Vec::new();
    super::comments_in(root, &mut comments);
    let last_line = file.line_index(src.len());
    for comment in comments {
        let range = comment.byte_range();
        let Some(s) = parse(&src[range.clone()]) else {
            continue;
        };
        if s.rules.iter().all(|r| r.2.is_none()) {
            continue;
        }
        let inside_an_edit = findings.iter().filter_map(|f| f.fix.as_ref()).any(|fix| {
            fix.edits
                .iter()
                .any(|e| e.range.start < range.end && range.start < e.range.end)
        });
        let own_line = src[file.line_range(file.line_index(range.start)).start..range.start]
            .trim()
            .is_empty();
        if inside_an_edit || (s.tool == Tool::Biome && !own_line) {
            continue;
        }
        let line = if s.same_line {
            file.line_index(range.start)
        } else {
            file.line_index(range.end) + 1
        };
        if line > last_line {
            continue;
        }
        let line_range = file.line_range(line);
        // A read shush is told to leave alone keeps its suppression.
        let marked = |l: usize| {
            let text = &src[file.line_range(l)];
            text.contains("shush: ignore") || text.contains("shush:ignore")
        };
        if marked(line) || (line > 0 && marked(line - 1)) {
            continue;
        }
        let mut found = Vec::new();
        occurrences(root, &line_range, src, scopes, &mut found);
        let mut drop = vec![false; s.rules.len()];
        let mut carriers = Vec::new();
        for (i, rule) in s.rules.iter().enumerate() {
            let Some(reports) = rule.2 else { continue };
            let uses: Vec<&Occurrence> = found
                .iter()
                .filter(|o| o.reported_by & reports.bit() != 0)
                .collect();
            let rewriters: Option<Vec<usize>> = uses
                .iter()
                .map(|o| rewriter(findings, o, src, ctx))
                .collect();
            if let (false, Some(rewriters)) = (uses.is_empty(), rewriters) {
                drop[i] = true;
                carriers.extend(rewriters);
            }
        }
        // The least safe of the fixes carries the edit: whenever it is applied, the others
        // are too, and the comment goes only with the last read it covered.
        let Some(carrier) = carriers.into_iter().max_by_key(|&i| {
            let fix = findings[i].fix.as_ref().map(|f| f.applicability);
            (fix == Some(Applicability::Unsafe), findings[i].span.start)
        }) else {
            continue;
        };
        // In JSX a comment is written in braces, `{/* eslint-disable-next-line … */}`,
        // which go with it.
        let whole = comment
            .parent()
            .filter(|p| p.kind_name() == "jsx_expression" && p.named_child_count() == 1)
            .map_or(range.clone(), |p| p.byte_range());
        let edit = s.edit(src, range, whole, &drop);
        let note = s.note(&drop);
        let Some(shared) = findings[carrier].fix.as_ref().map(|f| f.edits.clone()) else {
            continue;
        };
        // Findings of one destructuring share one fix: it changes for all of them.
        for fix in findings.iter_mut().filter_map(|f| f.fix.as_mut()) {
            if fix.edits == shared {
                fix.edits.push(edit.clone());
                fix.title.push_str(&format!("; {note}"));
            }
        }
    }
}

/// The finding whose fix rewrites `use` away: one of its edits covers it and does not
/// write it again (a split destructuring keeps `process.env` for the names it leaves).
fn rewriter(findings: &[Finding], use_: &Occurrence, src: &str, ctx: &Context) -> Option<usize> {
    let text = &src[use_.range.clone()];
    findings.iter().position(|f| {
        !ctx.config.is_ignored(f.rule)
            && f.fix.as_ref().is_some_and(|fix| {
                fix.edits.iter().any(|e| {
                    e.range.start <= use_.range.start
                        && use_.range.end <= e.range.end
                        && !e.content.contains(text)
                })
            })
    })
}

/// The names starting on `line` that environment rules report: `process`, `Deno`,
/// `Bun`, `import.meta`, and any name bound to one of them or to their `env` (`env`
/// after `import { env } from "node:process"`), in any scope.
fn occurrences(
    node: Node,
    line: &Range<usize>,
    src: &str,
    scopes: &Scopes,
    out: &mut Vec<Occurrence>,
) {
    if node.end_byte() <= line.start || node.start_byte() >= line.end {
        return;
    }
    let all = Reports::ProcessEnv.bit() | Reports::ProcessGlobal.bit() | Reports::AnyEnv.bit();
    let process_env = Reports::ProcessEnv.bit() | Reports::AnyEnv.bit();
    if node.start_byte() >= line.start {
        let text = &src[node.byte_range()];
        let reported_by = match node.kind_name() {
            "identifier" | "shorthand_property_identifier" => match text {
                "process" => all,
                "Deno" | "Bun" => Reports::AnyEnv.bit(),
                _ => {
                    let origins = scopes
                        .scopes
                        .iter()
                        .filter_map(|s| s.bindings.get(text))
                        .flatten()
                        .filter_map(|b| b.import.as_deref());
                    origins.fold(0, |bits, origin| {
                        bits | match origin {
                            "process" | "process.env" => process_env,
                            "Deno" | "Deno.env" | "Bun" | "Bun.env" | "import.meta"
                            | "import.meta.env" => Reports::AnyEnv.bit(),
                            // A value read from the environment is not the environment.
                            _ => 0,
                        }
                    })
                }
            },
            "meta_property" if text == "import.meta" => Reports::AnyEnv.bit(),
            _ => 0,
        };
        if reported_by != 0 {
            out.push(Occurrence {
                range: node.byte_range(),
                reported_by,
            });
        }
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        occurrences(child, line, src, scopes, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(comment: &str) -> Vec<&str> {
        parse(comment).map_or(Vec::new(), |s| s.rules.iter().map(|r| r.1).collect())
    }

    #[test]
    fn parses_each_tool_and_stops_at_the_description() {
        assert_eq!(
            names("// eslint-disable-next-line n/no-process-env, no-console -- boot"),
            ["n/no-process-env", "no-console"]
        );
        assert_eq!(
            names("/* eslint-disable-line node/no-process-env */"),
            ["node/no-process-env"]
        );
        assert_eq!(
            names("// oxlint-disable-next-line no-process-env"),
            ["no-process-env"]
        );
        assert_eq!(
            names("// deno-lint-ignore no-explicit-any no-process-global -- Node compat"),
            ["no-explicit-any", "no-process-global"]
        );
        assert_eq!(
            names("// biome-ignore lint/style/noProcessEnv: read once at start-up"),
            ["lint/style/noProcessEnv"]
        );
        // A dash inside a rule name is not a description.
        assert_eq!(
            names("// eslint-disable-next-line turbo/no-undeclared-env-vars"),
            ["turbo/no-undeclared-env-vars"]
        );
    }

    #[test]
    fn comments_that_name_no_rule_or_are_not_suppressions_are_not_parsed() {
        for c in [
            "// eslint-disable-next-line",
            "/* eslint-disable-next-line */",
            "// eslint-disable-next-line -- no rule, only a reason",
            "// deno-lint-ignore",
            "// biome-ignore lint/style/noProcessEnv without an explanation",
            "/* eslint-disable n/no-process-env */",
            "// deno-lint-ignore-file no-process-global",
            "// eslint-disable-next-line-ish n/no-process-env",
            "// see eslint-disable-next-line n/no-process-env",
        ] {
            assert!(parse(c).is_none(), "{c}");
        }
    }

    #[test]
    fn only_environment_rules_are_environment_rules() {
        let env = |c: &str| -> Vec<bool> {
            parse(c)
                .unwrap()
                .rules
                .iter()
                .map(|r| r.2.is_some())
                .collect()
        };
        assert_eq!(
            env(
                "// eslint-disable-next-line no-process-env, n/no-process-env, node/no-process-env, turbo/no-undeclared-env-vars"
            ),
            [true; 4]
        );
        assert_eq!(
            env("// eslint-disable-next-line no-restricted-properties, n/no-process-exit"),
            [false, false]
        );
        // deno's rule name means nothing to ESLint, and the other way round.
        assert_eq!(
            env("// eslint-disable-next-line no-process-global"),
            [false]
        );
        assert_eq!(env("// deno-lint-ignore no-process-env"), [false]);
        assert_eq!(env("// biome-ignore lint/nursery/noProcessEnv: x"), [true]);
        assert_eq!(env("// biome-ignore lint/style: x"), [false]);
        assert_eq!(env("// biome-ignore lint: everything"), [false]);
    }

    #[test]
    fn carried_comments_lose_only_their_environment_rules() {
        let c = "// eslint-disable-next-line n/no-process-env, no-console -- boot";
        assert_eq!(
            carried(c, false).as_deref(),
            Some("// eslint-disable-next-line no-console -- boot")
        );
        assert_eq!(
            carried("// eslint-disable-next-line n/no-process-env", false),
            None
        );
        assert_eq!(
            carried(
                "// deno-lint-ignore no-process-global no-explicit-any",
                false
            )
            .as_deref(),
            Some("// deno-lint-ignore no-explicit-any")
        );
        // A next-line directive carried to the end of a line applies to another line now.
        assert_eq!(
            carried("// eslint-disable-next-line n/no-process-env", true).as_deref(),
            Some("// eslint-disable-next-line n/no-process-env")
        );
        assert_eq!(
            carried("/* eslint-disable-line n/no-process-env */", true),
            None
        );
        assert_eq!(
            carried("// rotated yearly", true).as_deref(),
            Some("// rotated yearly")
        );
    }

    #[test]
    fn a_comment_goes_with_its_line_or_its_blanks() {
        let src = "a;\n  // x\nb; // y\n/* z */ c;\n";
        let x = src.find("// x").unwrap();
        assert_eq!(&src[comment_removal(src, x..x + 4)], "  // x\n");
        let y = src.find("// y").unwrap();
        assert_eq!(&src[comment_removal(src, y..y + 4)], " // y");
        let z = src.find("/* z */").unwrap();
        assert_eq!(&src[comment_removal(src, z..z + 7)], "/* z */ ");
        let crlf = "a;\r\n// x\r\nb;\r\n";
        assert_eq!(&crlf[comment_removal(crlf, 4..8)], "// x\r\n");
    }
}
