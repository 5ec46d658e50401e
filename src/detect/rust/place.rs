//! Where a new `use` item goes among a module's `use` items so that rustfmt leaves it
//! there: rustfmt sorts each run of `use` items (`reorder_imports`), regroups them
//! (`group_imports`) and merges them (`imports_granularity`); shush finds the run the
//! item belongs to, its sorted place in it, or the tree it merges into. Computes one
//! edit; never applies it.

use std::cmp::Ordering;

use super::rustfmt::{GroupImports, Settings};
use super::usetree::{Group, Layout, Tree, merge_all};
use super::walk::{Module, UseItem};
use crate::fix::Edit;
use crate::source::SourceFile;

/// The edit that adds the `use` item `line` to `module`, which has `use` items, where
/// rustfmt with `fmt` would leave it; `None` when `line` is not one use tree.
pub fn sorted(file: &SourceFile, module: &Module, line: &str, fmt: &Settings) -> Option<Edit> {
    let version = fmt.version_sort;
    let ours = Tree::parse(line)?.normalize(false, version);
    let trees: Vec<Tree> = module
        .uses
        .iter()
        .map(|u| u.tree.clone().normalize(u.attrs, version))
        .collect();
    let ctx = Place {
        file,
        uses: &module.uses,
        trees: &trees,
        version,
    };
    let blocks = ctx.blocks(fmt.group_imports);
    let runs: Vec<&Vec<usize>> = blocks.iter().flatten().collect();
    let Some(run) = ctx.run_for(&runs, &ours, fmt.group_imports) else {
        return Some(ctx.new_run(&runs, &ours, line));
    };
    if let (Some(by), Some(layout)) = (fmt.merge, &fmt.layout) {
        // rustfmt merges within what it sorts together: a run, or the whole block when
        // it regroups.
        let unit: Vec<usize> = match fmt.group_imports {
            GroupImports::Preserve => run.clone(),
            _ => blocks
                .iter()
                .find(|b| b.contains(run))
                .map(|b| b.concat())
                .unwrap_or_else(|| run.clone()),
        };
        if let Some(edit) = ctx.merged(&unit, &runs, &ours, by, layout) {
            return Some(edit);
        }
    }
    Some(ctx.in_run(run, &ours, line))
}

/// Where item `i` of `module` goes once its tree reads `tree`: `None` when it still
/// sorts where it is, else the line start it moves to (in its run, as rustfmt would
/// sort it).
pub fn moved_to(
    file: &SourceFile,
    module: &Module,
    i: usize,
    tree: &Tree,
    fmt: &Settings,
) -> Option<usize> {
    if !fmt.reorder_imports {
        return None;
    }
    let version = fmt.version_sort;
    let trees: Vec<Tree> = module
        .uses
        .iter()
        .map(|u| u.tree.clone().normalize(u.attrs, version))
        .collect();
    let ctx = Place {
        file,
        uses: &module.uses,
        trees: &trees,
        version,
    };
    let blocks = ctx.blocks(fmt.group_imports);
    let run = blocks.iter().flatten().find(|r| r.contains(&i))?;
    let others: Vec<usize> = run.iter().copied().filter(|&j| j != i).collect();
    let after = others
        .iter()
        .position(|&j| trees[j].cmp(tree, version) == Ordering::Greater);
    let here = run.iter().position(|&j| j == i)?;
    let stays = match after {
        Some(k) => k == here,
        None => here == run.len() - 1,
    };
    if stays || others.is_empty() {
        return None;
    }
    let src = file.text.as_str();
    let at = match after {
        Some(k) => ctx.anchor(others[k], k == 0)?,
        None => {
            let end = module.uses[others[others.len() - 1]].range.end;
            end + src[end..].find('\n')? + 1
        }
    };
    Some(at)
}

struct Place<'a> {
    file: &'a SourceFile,
    uses: &'a [UseItem],
    /// The normalized tree of each of `uses`.
    trees: &'a [Tree],
    version: bool,
}

impl Place<'_> {
    fn src(&self) -> &str {
        &self.file.text
    }

    fn line_of(&self, offset: usize) -> usize {
        self.file.line_index(offset)
    }

    /// The module's `use` items in blocks (items with nothing but whitespace and
    /// comments between them), each block in runs: the items rustfmt sorts together
    /// when it keeps groups as written (`Preserve`: items on adjacent lines), or the
    /// groups a blank line separates (`StdExternalCrate`), or the whole block (`One`).
    /// A pinned item (`#[macro_use]`) is in none.
    fn blocks(&self, grouping: GroupImports) -> Vec<Vec<Vec<usize>>> {
        let src = self.src();
        let mut blocks: Vec<Vec<Vec<usize>>> = Vec::new();
        let mut prev: Option<usize> = None;
        for (i, u) in self.uses.iter().enumerate() {
            if u.pinned {
                prev = None;
                continue;
            }
            let Some(p) = prev else {
                blocks.push(vec![vec![i]]);
                prev = Some(i);
                continue;
            };
            let end = self.uses[p].range.end;
            let gap = &src[end..u.range.start];
            let contiguous = super::lex::skip_trivia(src, end) >= u.range.start;
            let split = match grouping {
                GroupImports::Preserve => {
                    self.line_of(u.range.start) > self.line_of(end.saturating_sub(1)) + 1
                }
                GroupImports::StdExternalCrate => has_blank_line(gap),
                GroupImports::One => false,
            };
            let block = blocks.last_mut().expect("a block is open");
            if !contiguous {
                blocks.push(vec![vec![i]]);
            } else if split {
                block.push(vec![i]);
            } else {
                block.last_mut().expect("a run is open").push(i);
            }
            prev = Some(i);
        }
        blocks
    }

    /// The run the new tree belongs to: one holding imports of its group (under
    /// `group_imports = "One"` any), the one with the closest import (most leading
    /// segments in common).
    fn run_for<'r>(
        &self,
        runs: &[&'r Vec<usize>],
        ours: &Tree,
        grouping: GroupImports,
    ) -> Option<&'r Vec<usize>> {
        let group = ours.group();
        let candidates: Vec<(usize, &Vec<usize>)> = runs
            .iter()
            .filter(|run| {
                grouping == GroupImports::One || run.iter().any(|&i| self.trees[i].group() == group)
            })
            .map(|run| {
                let affinity = run
                    .iter()
                    .map(|&i| self.trees[i].affinity(&ours.path))
                    .max()
                    .unwrap_or(0);
                (affinity, *run)
            })
            .collect();
        let best = candidates.iter().map(|(a, _)| *a).max()?;
        let ties: Vec<&Vec<usize>> = candidates
            .iter()
            .filter(|(a, _)| *a == best)
            .map(|(_, r)| *r)
            .collect();
        // The last run that starts before the tree, so that it goes inside or at the
        // end of a run rather than at the head of the next (under the comment there).
        let after_first = ties.iter().rev().find(|run| {
            run.first()
                .is_some_and(|&f| self.trees[f].cmp(ours, self.version) != Ordering::Greater)
        });
        after_first.or(ties.first()).copied()
    }

    /// Adds the tree to `run` before the first item that sorts after it, or after the
    /// run's last item.
    fn in_run(&self, run: &[usize], ours: &Tree, line: &str) -> Edit {
        let after = run
            .iter()
            .position(|&i| self.trees[i].cmp(ours, self.version) == Ordering::Greater);
        match after {
            Some(k) => self.before(run[k], k == 0, line, 1),
            None => self.after(run[run.len() - 1], line, 1),
        }
    }

    /// A run of its own for the tree: after the last run whose imports include one of
    /// its group or an earlier one (std, then other crates, then the crate's own), or
    /// else before the first run, a blank line between.
    fn new_run(&self, runs: &[&Vec<usize>], ours: &Tree, line: &str) -> Edit {
        let group = ours.group();
        let earlier = |run: &&&Vec<usize>| {
            run.iter()
                .map(|&i| self.trees[i].group())
                .min()
                .is_some_and(|g: Group| g <= group)
        };
        match runs.iter().rev().find(earlier) {
            Some(run) => {
                let last = run[run.len() - 1];
                // Below the blank line that follows the run, so that the layout holds
                // when a fix removes the run's items (`use std::env;` left unused).
                let src = self.src();
                let end = self.uses[last].range.end;
                let next_line = src[end..].find('\n').map(|n| end + n + 1);
                match next_line.and_then(|at| blank_line_end(src, at)) {
                    Some(at) => {
                        let eol = self.file.line_ending().as_str();
                        let indent = indentation(src, self.uses[last].range.start);
                        Edit::insert(at, format!("{indent}{line}{eol}{eol}"))
                    }
                    None => self.after(last, line, 2),
                }
            }
            // Above the comment over the first run, which is about that run.
            None => self.before(runs[0][0], false, line, 2),
        }
    }

    /// Inserts `line` above item `i` (see `anchor`). `breaks`: 1 for a line in the same
    /// run, 2 for a run of its own.
    fn before(&self, i: usize, opens_run: bool, line: &str, breaks: usize) -> Edit {
        let src = self.src();
        let eol = self.file.line_ending().as_str();
        match self.anchor(i, opens_run) {
            Some(at) => {
                let indent = indentation(src, self.uses[i].range.start);
                Edit::insert(at, format!("{indent}{line}{}", eol.repeat(breaks)))
            }
            // Another item on the same line (`mod m { use a; … }`).
            None => Edit::insert(
                self.uses[i].range.start,
                format!("{line}{}", " ".repeat(breaks)),
            ),
        }
    }

    /// The line start above item `i` where a line goes: above the item's own line when
    /// it opens its run (a comment over the run stays over the run), else above the
    /// comment lines that belong to it; `None` when something precedes the item on its
    /// line.
    fn anchor(&self, i: usize, opens_run: bool) -> Option<usize> {
        let src = self.src();
        let start = self.uses[i].range.start;
        let line_start = src[..start].rfind('\n').map_or(0, |n| n + 1);
        if !src[line_start..start].trim().is_empty() {
            return None;
        }
        let mut at = line_start;
        if !opens_run {
            while let Some(prev) = previous_line(src, at) {
                let text = src[prev..at].trim();
                if text.starts_with("//") && super::lex::starts_plain_comment(text) {
                    at = prev;
                } else {
                    break;
                }
            }
        }
        Some(at)
    }

    /// Inserts `line` below item `i` (and what follows it on its line, a comment).
    fn after(&self, i: usize, line: &str, breaks: usize) -> Edit {
        let src = self.src();
        let eol = self.file.line_ending().as_str();
        let u = &self.uses[i];
        let indent = indentation(src, u.range.start);
        let rest_of_line = src[u.range.end..].split('\n').next().unwrap_or("").trim();
        if !rest_of_line.is_empty() && !rest_of_line.starts_with("//") {
            // Something else follows on the line (`use a; fn f() {}`).
            return Edit::insert(u.range.end, format!("{} {line}", " ".repeat(breaks - 1)));
        }
        match src[u.range.end..].find('\n') {
            Some(n) => Edit::insert(
                u.range.end + n + 1,
                format!("{}{indent}{line}{eol}", eol.repeat(breaks - 1)),
            ),
            None => Edit::insert(
                src.len(),
                format!("{}{indent}{line}{eol}", eol.repeat(breaks)),
            ),
        }
    }

    /// The edit that merges the tree into the item of `unit` that rustfmt's
    /// `imports_granularity` would merge it into, laid out as rustfmt lays it out; `None`
    /// when the unit is not merged the way rustfmt merges (it is formatted by a stable
    /// rustfmt, which ignores the option), the tree would get an item of its own, the
    /// merged item would move, or its text is not rustfmt's.
    fn merged(
        &self,
        unit: &[usize],
        runs: &[&Vec<usize>],
        ours: &Tree,
        by: super::usetree::SharedPrefix,
        layout: &Layout,
    ) -> Option<Edit> {
        let src = self.src();
        let mergeable: Vec<Option<Tree>> = unit
            .iter()
            .map(|&i| {
                let u = &self.uses[i];
                let comment =
                    src[u.range.clone()].contains("//") || src[u.range.clone()].contains("/*");
                (!u.attrs && u.vis.is_empty() && !comment).then(|| self.trees[i].clone())
            })
            .collect();
        if merge_all(&mergeable, by, self.version) != mergeable {
            return None;
        }
        let mut with = mergeable.clone();
        with.push(Some(ours.clone()));
        let merged = merge_all(&with, by, self.version);
        if merged.len() != mergeable.len() {
            return None;
        }
        let mut changed = (0..unit.len()).filter(|&k| merged[k] != mergeable[k]);
        let (Some(k), None) = (changed.next(), changed.next()) else {
            return None;
        };
        let tree = merged[k].clone()?;
        let i = unit[k];
        // Still between its neighbours in its run.
        let run = runs.iter().find(|r| r.contains(&i))?;
        let at = run.iter().position(|&j| j == i)?;
        let sorted_after =
            at == 0 || self.trees[run[at - 1]].cmp(&tree, self.version) != Ordering::Greater;
        let sorted_before = run
            .get(at + 1)
            .is_none_or(|&n| tree.cmp(&self.trees[n], self.version) != Ordering::Greater);
        if !(sorted_after && sorted_before) {
            return None;
        }
        let range = self.uses[i].tree_range.clone();
        let eol = self.file.line_ending().as_str();
        let (indent, column) = columns(src, range.start)?;
        let old = self.trees[i].render(indent, column, layout)?;
        if old.replace('\n', eol) != src[range.clone()] {
            return None;
        }
        let new = tree.render(indent, column, layout)?;
        Some(Edit::replace(range, new.replace('\n', eol)))
    }
}

/// The block indent (in spaces) of the line holding `at`, and the column of `at` in
/// characters; `None` when the line is indented with tabs.
pub fn columns(src: &str, at: usize) -> Option<(usize, usize)> {
    let line_start = src[..at].rfind('\n').map_or(0, |n| n + 1);
    let line = &src[line_start..at];
    let indent = line.len() - line.trim_start_matches(' ').len();
    if line[indent..].starts_with('\t') || line[..indent].contains('\t') {
        return None;
    }
    Some((indent, line.chars().count()))
}

/// The leading whitespace of the line holding `at`.
fn indentation(src: &str, at: usize) -> &str {
    let start = src[..at].rfind('\n').map_or(0, |n| n + 1);
    let line = &src[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The end of the line starting at `at` when that line is blank.
fn blank_line_end(src: &str, at: usize) -> Option<usize> {
    let rest = &src[at..];
    let nl = rest.find('\n')?;
    rest[..nl].trim().is_empty().then_some(at + nl + 1)
}

/// The start of the line before the one starting at `at`.
fn previous_line(src: &str, at: usize) -> Option<usize> {
    let before = src[..at].strip_suffix('\n')?;
    Some(before.rfind('\n').map_or(0, |n| n + 1))
}

/// The text between two items holds an empty line.
fn has_blank_line(gap: &str) -> bool {
    let mut lines = gap.split('\n');
    lines.next();
    let mut inner: Vec<&str> = lines.collect();
    inner.pop();
    inner.iter().any(|l| l.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use syn::visit::Visit;

    use super::super::uses::insertion;
    use super::super::walk::Walker;
    use super::*;
    use crate::source::Language;

    const LOADER: &str = "use crate::config::get_config_value;";

    /// `text` with the loader's `use` added to its root module under `rustfmt_toml`.
    fn place_in(text: &str, rustfmt_toml: &str, line: &str) -> String {
        let file = SourceFile::new("a.rs".into(), Language::Rust, text.into());
        let ast = syn::parse_file(text).unwrap();
        let rules = crate::rules::RuleSet::embedded();
        let mut walker = Walker::new(text, 0, 0, &rules.rust);
        walker.visit_file(&ast);
        let root = walker.modules.iter().find(|m| m.scope == 0).unwrap();
        let fmt = Settings::from_toml(rustfmt_toml, None);
        crate::fix::apply_edits(text, vec![insertion(&file, root, line, &fmt)])
    }

    fn place(text: &str, rustfmt_toml: &str) -> String {
        place_in(text, rustfmt_toml, LOADER)
    }

    #[test]
    fn into_the_run_of_its_group_in_sorted_order() {
        let text = "use std::env;\n\nuse serde::Deserialize;\n\nuse self::a::B;\nuse crate::db::Pool;\n\nfn f() {}\n";
        assert_eq!(
            place(text, ""),
            "use std::env;\n\nuse serde::Deserialize;\n\nuse self::a::B;\nuse crate::config::get_config_value;\nuse crate::db::Pool;\n\nfn f() {}\n"
        );
        // The closest run: the one holding `crate::config::…`.
        // (2015 style: snake_case before CamelCase.)
        let text = "use crate::a;\n\nuse crate::config::Settings;\nuse crate::z;\n";
        assert_eq!(
            place(text, ""),
            "use crate::a;\n\nuse crate::config::get_config_value;\nuse crate::config::Settings;\nuse crate::z;\n"
        );
    }

    #[test]
    fn a_run_of_its_own_after_the_earlier_groups() {
        // Below the blank line after the run, so that removing the run leaves no gap.
        let text = "use std::env;\nuse std::io;\n\nfn f() {}\n";
        assert_eq!(
            place(text, ""),
            "use std::env;\nuse std::io;\n\nuse crate::config::get_config_value;\n\nfn f() {}\n"
        );
        // An external loader goes between std and the crate's own imports.
        let text = "use std::env;\n\nuse crate::db::Pool;\n";
        assert_eq!(
            place_in(text, "", "use shared_config::get;"),
            "use std::env;\n\nuse shared_config::get;\n\nuse crate::db::Pool;\n"
        );
        // …and before every run when all are of later groups.
        let text = "// Imports.\nuse crate::db::Pool;\n";
        assert_eq!(
            place_in(text, "", "use std::env::var;"),
            "use std::env::var;\n\n// Imports.\nuse crate::db::Pool;\n"
        );
    }

    #[test]
    fn runs_end_where_rustfmt_ends_them() {
        // A comment line ends a run, an attribute does not; `#[macro_use]` pins an item.
        let text = "use crate::a;\n// b and c\nuse crate::d;\n";
        assert_eq!(
            place(text, ""),
            "use crate::a;\nuse crate::config::get_config_value;\n// b and c\nuse crate::d;\n"
        );
        let text = "use crate::a;\n#[cfg(test)]\nuse crate::d;\n";
        assert_eq!(
            place(text, ""),
            "use crate::a;\nuse crate::config::get_config_value;\n#[cfg(test)]\nuse crate::d;\n"
        );
        let text = "#[macro_use]\nuse crate::m;\nuse crate::x;\n";
        assert_eq!(
            place(text, ""),
            "#[macro_use]\nuse crate::m;\nuse crate::config::get_config_value;\nuse crate::x;\n"
        );
        // Under StdExternalCrate a comment stays with the item below it.
        let text = "use crate::a;\n// why d\nuse crate::d;\n";
        assert_eq!(
            place(text, "group_imports = \"StdExternalCrate\""),
            "use crate::a;\nuse crate::config::get_config_value;\n// why d\nuse crate::d;\n"
        );
    }

    #[test]
    fn style_edition_2024_sorts_by_version() {
        let text = "use crate::Region;\nuse crate::cache::Cache;\nuse crate::db::Pool;\n";
        let placed = "use crate::Region;\nuse crate::cache::Cache;\nuse crate::config::get_config_value;\nuse crate::db::Pool;\n";
        assert_eq!(place(text, "style_edition = \"2024\""), placed);
        // 2015 sorts `Region` after snake_case names, so the run is not sorted for it.
        assert_ne!(place(text, ""), placed);
    }

    #[test]
    fn merged_into_the_crates_tree() {
        let text = "use std::env;\n\nuse crate::{db::Pool, webhooks};\n";
        assert_eq!(
            place(text, "imports_granularity = \"Crate\""),
            "use std::env;\n\nuse crate::{config::get_config_value, db::Pool, webhooks};\n"
        );
        let text = "use crate::config::Settings;\nuse crate::db::Pool;\n";
        assert_eq!(
            place(text, "imports_granularity = \"Module\""),
            "use crate::config::{get_config_value, Settings};\nuse crate::db::Pool;\n"
        );
        // Not merged the way rustfmt merges (a stable rustfmt ignores the option): an
        // item of its own.
        let text = "use crate::a;\nuse crate::b;\n";
        assert_eq!(
            place(text, "imports_granularity = \"Crate\""),
            "use crate::a;\nuse crate::b;\nuse crate::config::get_config_value;\n"
        );
        // A merged tree too wide for one line is laid out as rustfmt lays it out.
        let text = "use crate::{aaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, cccccccccccccccccccc};\n";
        assert_eq!(
            place(text, "imports_granularity = \"Crate\""),
            "use crate::{\n    aaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, cccccccccccccccccccc,\n    config::get_config_value,\n};\n"
        );
    }

    #[test]
    fn reorder_imports_false_appends() {
        let text = "use std::path::PathBuf;\nuse std::env;\n\nfn f() {}\n";
        assert_eq!(
            place(text, "reorder_imports = false"),
            "use std::path::PathBuf;\nuse std::env;\nuse crate::config::get_config_value;\n\nfn f() {}\n"
        );
    }
}
