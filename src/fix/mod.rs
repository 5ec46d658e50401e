//! Fixes as data: byte edits, the import a fix needs, the imports a fix makes unused,
//! and applying a chosen set of fixes to a text. Never touches the filesystem (see `write`).

pub mod diff;
pub mod write;

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use serde::Serialize;

use crate::detect::Fix;

/// Replace `range` of the text with `content` (an insertion when the range is empty).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    #[serde(skip)]
    pub range: Range<usize>,
    pub content: String,
}

impl Edit {
    pub fn replace(range: Range<usize>, content: impl Into<String>) -> Edit {
        Edit {
            range,
            content: content.into(),
        }
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit::replace(at..at, content)
    }

    pub fn delete(range: Range<usize>) -> Edit {
        Edit::replace(range, "")
    }

    /// The reference [`Taken::overlaps`] answers as (a test compares them).
    #[cfg(test)]
    fn overlaps(&self, other: &Edit) -> bool {
        // Two insertions at one point conflict; an insertion at the boundary of a
        // replacement does not.
        if self.range.is_empty() && other.range.is_empty() {
            return self.range.start == other.range.start;
        }
        self.range.start < other.range.end && other.range.start < self.range.end
    }
}

/// Edits taken so far, which overlap no other: each test of a new edit against them is a
/// look-up, not a scan (scanning them all for each new edit was quadratic in the reads
/// of a file). Two insertions at one point overlap; an insertion at the boundary of a
/// replacement does not.
#[derive(Default)]
struct Taken {
    /// Replacements and deletions, start to end: disjoint, so the one that starts last
    /// before a point also ends last.
    spans: BTreeMap<usize, usize>,
    /// Insertion points.
    points: BTreeSet<usize>,
    lookups: Cell<u64>,
}

impl Taken {
    fn insert(&mut self, e: &Edit) {
        if e.range.is_empty() {
            self.points.insert(e.range.start);
        } else {
            let end = self.spans.entry(e.range.start).or_insert(e.range.end);
            *end = (*end).max(e.range.end);
        }
    }

    /// Whether `e` overlaps a taken edit.
    fn overlaps(&self, e: &Edit) -> bool {
        self.lookups.set(self.lookups.get() + 1);
        let (a, b) = (e.range.start, e.range.end);
        let around = |at: usize| {
            self.spans
                .range(..at)
                .next_back()
                .is_some_and(|(_, &end)| end > a)
        };
        if a == b {
            // Another insertion there, or a replacement around it.
            self.points.contains(&a) || around(a)
        } else {
            self.points.range(a + 1..b).next().is_some() || around(b)
        }
    }

    /// Whether a taken replacement or deletion holds all of `r`.
    fn covers(&self, r: &Range<usize>) -> bool {
        self.lookups.set(self.lookups.get() + 1);
        self.spans
            .range(..=r.start)
            .next_back()
            .is_some_and(|(_, &end)| r.end <= end)
    }
}

/// File-level facts a detector hands the fixer.
#[derive(Clone, Debug, Default)]
pub struct FixPlan {
    /// Inserts the loader import; `None` when the file already has it.
    pub import: Option<Edit>,
    /// Import statements whose names a fix may leave unused.
    pub imports: Vec<ImportStmt>,
    /// How a statement of `imports` reads once some of its names go, where dropping
    /// them between commas is not enough (Rust: `use std::{env, io};` without `env` is
    /// `use std::io;`, and rustfmt lays a shorter tree out anew). Tried first.
    pub rewrites: Vec<ImportRewrite>,
}

/// The edits that remove one set of names from an import statement.
#[derive(Clone, Debug)]
pub struct ImportRewrite {
    /// Index into `FixPlan::imports`.
    pub stmt: usize,
    /// Which of its names go, in `ImportStmt::names` order.
    pub unused: Vec<bool>,
    /// The statement rewritten in place, or removed here and written where it now sorts.
    pub edits: Vec<Edit>,
}

/// One import statement that binds names the fixes may make unused.
#[derive(Clone, Debug)]
pub struct ImportStmt {
    /// Removes the whole statement with its line(s); `None` when it shares a line or is
    /// the only statement of a block.
    pub delete: Option<Range<usize>>,
    /// `delete` plus the blank line after it, used when nothing else touches that line,
    /// so that removing the first import of a block leaves no stray blank line.
    pub delete_tidy: Option<Range<usize>>,
    /// The range holding the comma-separated names, when it can be rewritten in place
    /// (a single-line statement); `None` means all-or-nothing.
    pub names_range: Option<Range<usize>>,
    pub names: Vec<ImportName>,
}

/// One name an import binds, with every other place the name is used in the file.
#[derive(Clone, Debug)]
pub struct ImportName {
    /// As written between the commas (`environ as env`).
    pub text: String,
    pub refs: Vec<Range<usize>>,
    /// The name's own line in a multi-line import, when nothing else is on it
    /// (`    getenv,`): removing the name removes that line.
    pub line: Option<Range<usize>>,
}

/// The outcome of applying fixes to one text.
#[derive(Debug)]
pub struct Applied {
    pub text: String,
    /// How many of the offered fixes went in (the rest overlapped an earlier one).
    pub fixes: usize,
    /// Which ones: indices into the offered fixes.
    pub accepted: Vec<usize>,
    pub import_added: bool,
    pub imports_removed: usize,
}

/// Applies the fixes that do not overlap each other, in order, plus the import they
/// need and the removal of imports they leave unused.
pub fn apply(text: &str, fixes: &[&Fix], plan: &FixPlan) -> Applied {
    let planned = plan_edits(text, fixes, plan);
    Applied {
        text: apply_edits(text, planned.edits),
        fixes: planned.fixes,
        accepted: planned.accepted,
        import_added: planned.import_added,
        imports_removed: planned.imports_removed,
    }
}

/// What [`apply`] would do, as edits: the accepted fixes' edits, the import and the
/// removal of the imports they leave unused (for a SARIF fix, the edits of one fix).
pub struct Planned {
    pub edits: Vec<Edit>,
    pub fixes: usize,
    pub accepted: Vec<usize>,
    pub import_added: bool,
    pub imports_removed: usize,
}

/// The edits of [`apply`], not applied.
pub fn plan_edits(text: &str, fixes: &[&Fix], plan: &FixPlan) -> Planned {
    let mut edits: Vec<Edit> = Vec::new();
    let mut count = 0;
    let mut needs_import = false;
    let mut accepted: HashSet<&[Edit]> = HashSet::new();
    let mut indices = Vec::new();
    // The fixes' edits, and those plus the import edits (`extra`).
    let (mut fixed, mut all) = (Taken::default(), Taken::default());
    for (i, fix) in fixes.iter().enumerate() {
        if accepted.contains(fix.edits.as_slice()) {
            // Several findings share one fix (the names of one destructuring).
            count += 1;
            indices.push(i);
            continue;
        }
        if fix.edits.iter().any(|e| fixed.overlaps(e)) {
            continue;
        }
        accepted.insert(&fix.edits);
        for e in &fix.edits {
            fixed.insert(e);
            all.insert(e);
        }
        edits.extend(fix.edits.iter().cloned());
        needs_import |= fix.needs_import;
        count += 1;
        indices.push(i);
    }
    let mut extra = Vec::new();
    let mut take = |all: &mut Taken, e: Edit| {
        all.insert(&e);
        extra.push(e);
    };
    let mut import_added = false;
    if needs_import && count > 0 {
        if let Some(import) = &plan.import {
            if !fixed.overlaps(import) {
                take(&mut all, import.clone());
                import_added = true;
            }
        }
    }
    let mut imports_removed = 0;
    for (index, stmt) in plan.imports.iter().enumerate() {
        let unused: Vec<bool> = stmt
            .names
            .iter()
            .map(|n| !n.refs.is_empty() && n.refs.iter().all(|r| fixed.covers(r)))
            .collect();
        let gone = unused.iter().filter(|u| **u).count();
        if gone == 0 {
            continue;
        }
        let edit = if gone == stmt.names.len() {
            let free = |r: &Range<usize>| !all.overlaps(&Edit::delete(r.clone()));
            match (&stmt.delete_tidy, &stmt.delete) {
                (Some(tidy), _) if free(tidy) => Edit::delete(tidy.clone()),
                (_, Some(range)) => Edit::delete(range.clone()),
                _ => continue,
            }
        } else if let Some(rewrite) = plan
            .rewrites
            .iter()
            .find(|r| r.stmt == index && r.unused == unused)
        {
            if !rewrite.edits.iter().any(|e| all.overlaps(e)) {
                imports_removed += gone;
                for e in &rewrite.edits {
                    take(&mut all, e.clone());
                }
            }
            continue;
        } else if let Some(range) = &stmt.names_range {
            let kept: Vec<&str> = stmt
                .names
                .iter()
                .zip(&unused)
                .filter(|(_, u)| !**u)
                .map(|(n, _)| n.text.as_str())
                .collect();
            Edit::replace(range.clone(), kept.join(", "))
        } else {
            // A multi-line import: drop the lines of the unused names, if each has its own.
            let lines: Option<Vec<Edit>> = stmt
                .names
                .iter()
                .zip(&unused)
                .filter(|(_, u)| **u)
                .map(|(n, _)| n.line.clone().map(Edit::delete))
                .collect();
            match lines {
                Some(lines) if !lines.iter().any(|l| all.overlaps(l)) => {
                    imports_removed += gone;
                    for l in lines {
                        take(&mut all, l);
                    }
                }
                _ => {}
            }
            continue;
        };
        if all.overlaps(&edit) {
            continue;
        }
        imports_removed += gone;
        take(&mut all, edit);
    }
    let lookups = fixed.lookups.get() + all.lookups.get();
    crate::stats::work(|w| w.fix_edit_lookups += lookups);
    edits.extend(extra);
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    drop_orphaned_blank_line(text, &mut edits);
    Planned {
        edits,
        fixes: count,
        accepted: indices,
        import_added,
        imports_removed,
    }
}

/// When consecutive whole-line deletions (the imports a fix left unused) empty a block
/// that opened the file or followed a blank line, the blank line after it would be left
/// leading or doubled: it goes too, unless another edit touches it.
fn drop_orphaned_blank_line(text: &str, edits: &mut [Edit]) {
    let bytes = text.as_bytes();
    let whole_lines = |e: &Edit| {
        e.content.is_empty()
            && !e.range.is_empty()
            && (e.range.start == 0 || bytes[e.range.start - 1] == b'\n')
            && bytes[e.range.end - 1] == b'\n'
    };
    let blank_line_at = |at: usize| {
        let rest = &text[at..];
        let line = rest.find('\n').map(|i| &rest[..=i])?;
        line.trim().is_empty().then_some(at + line.len())
    };
    // The furthest end of the edits before `i` (as changed here).
    let mut far: Option<usize> = None;
    let mut i = 0;
    while i < edits.len() {
        if !whole_lines(&edits[i]) {
            far = far.max(Some(edits[i].range.end));
            i += 1;
            continue;
        }
        let first = i;
        let before = far;
        while i + 1 < edits.len()
            && whole_lines(&edits[i + 1])
            && edits[i + 1].range.start == edits[i].range.end
        {
            i += 1;
        }
        let (start, end) = (edits[first].range.start, edits[i].range.end);
        let opens =
            start == 0 || text[..start].ends_with("\n\n") || text[..start].ends_with("\n\r\n");
        // Another edit touching `from..=to`. The edits are sorted by start: one after
        // the run touches it if the next does (each starts at or after `from`); one
        // before it, if the furthest end among them reaches `from` (each starts at or
        // before `to`). Testing every edit for each run was quadratic.
        let touched = |from: usize, to: usize| {
            edits.get(i + 1).is_some_and(|e| e.range.start <= to)
                || before.is_some_and(|far| far >= from)
        };
        if let Some(blank_end) = blank_line_at(end) {
            if opens && blank_end < text.len() && !touched(start, blank_end) {
                edits[i].range.end = blank_end;
            }
        }
        far = far.max(edits[first..=i].iter().map(|e| e.range.end).max());
        i += 1;
    }
}

/// The edit that inserts the import `line` in a file: below the last import of the
/// leading import block (`last_import`: the end offset of that statement), or, when
/// there is none, after the header (`header`: the end of the docstring, directives or
/// top comments), past blank lines, with a blank line before the code that follows (two
/// when that code starts with one of `two_blank_before`, as PEP 8 wants for `def`).
pub fn import_insertion(
    file: &crate::source::SourceFile,
    last_import: Option<usize>,
    header: Option<usize>,
    line: &str,
    two_blank_before: &[&str],
) -> Edit {
    let src = file.text.as_str();
    let eol = file.line_ending().as_str();
    let line_after = |offset: usize| src[offset..].find('\n').map(|i| offset + i + 1);
    let blank_line_end = |at: usize| {
        let rest = &src[at..];
        let nl = rest.find('\n')?;
        rest[..nl].trim().is_empty().then_some(at + nl + 1)
    };
    if let Some(end) = last_import {
        return match line_after(end) {
            Some(at) => Edit::insert(at, format!("{line}{eol}")),
            None => Edit::insert(src.len(), format!("{eol}{line}{eol}")),
        };
    }
    let mut at = match header {
        Some(end) => match line_after(end) {
            Some(at) => at,
            None => return Edit::insert(src.len(), format!("{eol}{eol}{line}{eol}")),
        },
        None => 0,
    };
    while let Some(next) = blank_line_end(at) {
        at = next;
    }
    let rest = &src[at..];
    let spacer = if rest.is_empty() {
        String::new()
    } else if two_blank_before.iter().any(|k| rest.starts_with(k)) {
        format!("{eol}{eol}")
    } else {
        eol.to_string()
    };
    Edit::insert(at, format!("{line}{eol}{spacer}"))
}

/// Applies non-overlapping edits (checked by the caller) to `text`.
pub fn apply_edits(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for e in &edits {
        debug_assert!(e.range.start >= pos, "overlapping edits");
        out.push_str(&text[pos..e.range.start]);
        out.push_str(&e.content);
        pos = e.range.end;
    }
    out.push_str(&text[pos..]);
    crate::stats::work(|w| w.fix_bytes_written += out.len() as u64);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Applicability;

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            title: String::new(),
            applicability: Applicability::Safe,
            edits,
            needs_import: true,
            gitignore: None,
            imports: Vec::new(),
        }
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn overlapping_fixes_are_skipped_and_unused_imports_go() {
        let text = "import os\nx = os.getenv('A')\n";
        let a = text.find("os.getenv").unwrap();
        let f1 = fix(vec![Edit::replace(a..a + 9, "get")]);
        let f2 = fix(vec![Edit::replace(a + 3..a + 9, "zzz")]);
        let plan = FixPlan {
            import: Some(Edit::insert(10, "from c import get\n")),
            imports: vec![ImportStmt {
                delete: Some(0..10),
                delete_tidy: None,
                names_range: Some(7..9),
                names: vec![ImportName {
                    text: "os".into(),
                    refs: vec![a..a + 2],
                    line: None,
                }],
            }],
            rewrites: Vec::new(),
        };
        let out = apply(text, &[&f1, &f2], &plan);
        assert_eq!(out.fixes, 1);
        assert_eq!(out.text, "from c import get\nx = get('A')\n");
        assert!(out.import_added);
        assert_eq!(out.imports_removed, 1);
    }

    #[test]
    fn taken_edits_answer_as_a_scan_of_them_would() {
        // Random non-overlapping sets of insertions and replacements, and random
        // probes: the look-ups agree with testing every taken edit.
        let mut seed = 0x2545_f491_u64;
        let mut next = |below: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % below
        };
        for _ in 0..200 {
            let mut taken = Taken::default();
            let mut list: Vec<Edit> = Vec::new();
            for _ in 0..20 {
                let start = next(60);
                let e = Edit::delete(start..start + next(4));
                if !list.iter().any(|x| x.overlaps(&e)) {
                    taken.insert(&e);
                    list.push(e);
                }
            }
            for _ in 0..50 {
                let start = next(64);
                let e = Edit::delete(start..start + next(5));
                assert_eq!(
                    taken.overlaps(&e),
                    list.iter().any(|x| x.overlaps(&e)),
                    "{e:?} against {list:?}"
                );
                let covered = list.iter().any(|x| {
                    !x.range.is_empty()
                        && x.range.start <= e.range.start
                        && e.range.end <= x.range.end
                });
                if !e.range.is_empty() {
                    assert_eq!(taken.covers(&e.range), covered, "{e:?} in {list:?}");
                }
            }
        }
    }

    #[test]
    fn fixes_of_many_reads_cost_a_few_look_ups_each() {
        // One import, n reads each rewritten: the edit look-ups grow with n, not n².
        let lookups = |n: usize| {
            let mut text = String::from("import os\n");
            let mut fixes = Vec::new();
            let mut refs = Vec::new();
            for i in 0..n {
                let at = text.len() + 4;
                text.push_str(&format!("v = os.getenv('V{i}')\n"));
                fixes.push(fix(vec![Edit::replace(at..at + 9, "get")]));
                refs.push(at..at + 2);
            }
            let plan = FixPlan {
                import: Some(Edit::insert(10, "from c import get\n")),
                imports: vec![ImportStmt {
                    delete: Some(0..10),
                    delete_tidy: None,
                    names_range: Some(7..9),
                    names: vec![ImportName {
                        text: "os".into(),
                        refs,
                        line: None,
                    }],
                }],
                rewrites: Vec::new(),
            };
            let fixes: Vec<&Fix> = fixes.iter().collect();
            crate::stats::take_work();
            let out = apply(&text, &fixes, &plan);
            assert_eq!(out.fixes, n);
            assert_eq!(out.imports_removed, 1);
            crate::stats::take_work().fix_edit_lookups
        };
        let (small, big) = (lookups(500), lookups(2_000));
        assert!(small >= 1_000, "{small}");
        assert!(
            big <= 4 * small + small / 2,
            "{big} for 4x the reads, {small} before"
        );
    }

    #[test]
    fn a_block_emptied_by_removals_takes_its_blank_line_along() {
        let text = "import os\nimport sys\n\nimport requests\n\nx = 1\n";
        let mut edits = vec![Edit::delete(0..10), Edit::delete(10..21)];
        drop_orphaned_blank_line(text, &mut edits);
        assert_eq!(apply_edits(text, edits), "import requests\n\nx = 1\n");
        // Kept when another edit touches the blank line, or when code comes before.
        let mut edits = vec![Edit::delete(0..10), Edit::insert(10, "import cfg\n")];
        drop_orphaned_blank_line(text, &mut edits);
        assert_eq!(edits[0].range, 0..10);
        let text = "x = 1\nimport os\n\ny = 2\n";
        let mut edits = vec![Edit::delete(6..16)];
        drop_orphaned_blank_line(text, &mut edits);
        assert_eq!(edits[0].range, 6..16);
    }
}
