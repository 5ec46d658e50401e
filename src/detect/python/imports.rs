//! Where the loader import goes in a Python module (where the project's isort or ruff
//! would sort it), and which import statements a fix may leave unused. Computes edits;
//! never applies them.

use crate::detect::fields::Field;
use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::Node;

use super::isort::{self, Section, Settings, Tool, Wrap};
use super::order::{self, Import};
use crate::fix::{Edit, ImportName, ImportStmt};
use crate::rules::EnvRules;
use crate::source::SourceFile;

/// The edit that imports the loader (`line`, as configured) where the project's import
/// sorter would put it, so that `ruff check --select I` or `isort --check` still pass:
/// in the first top-level import block (or, when `before` allows, a later block that
/// already imports from the loader's package and starts before offset `before`), in
/// the loader module's section at its sorted place, merged into an existing
/// from-import of the same module when the sorter would merge them. A module without
/// top-level imports gets it after its docstring, top comments and `__future__` imports.
pub fn insertion(file: &SourceFile, module: Node, line: &str, before: Option<usize>) -> Edit {
    let Some(new) = parse_import(line) else {
        return after_header(file, module, line);
    };
    let blocks = blocks(file, module);
    let Some(block) = choose_block(&blocks, &new, before) else {
        return after_header(file, module, line);
    };
    let settings = isort::for_file(&file.path);
    let package = settings
        .detect_same_package
        .then(|| isort::package_of(&file.path))
        .flatten();
    let section_of = |i: &Import| settings.section_of(&i.module, i.level, package.as_deref());
    let placed = Placer {
        file,
        eol: file.line_ending().as_str(),
        settings: &settings,
        stmts: block,
        sections: block.iter().map(|s| section_of(&s.import)).collect(),
    };
    let section = section_of(&new);
    if let Some(edit) = placed.merge(&new, &section) {
        return edit;
    }
    // A block after other code (a script's `sys.path` set-up) whose imports all carry
    // `# noqa: E402`: the new one needs it as much.
    let late = !std::ptr::eq(block.as_ptr(), blocks[0].as_ptr());
    let suffix = (late
        && block
            .iter()
            .all(|s| file.line_text(s.node.end_byte()).contains("E402")))
    .then_some("  # noqa: E402");
    placed.insert(&new, &section, suffix)
}

/// The old rule for a module without imports: after the module docstring, the comments
/// at the top and `from __future__` imports.
fn after_header(file: &SourceFile, module: Node, line: &str) -> Edit {
    let mut anchor: Option<usize> = None;
    let mut last_import: Option<usize> = None;
    let mut seen_statement = false;
    let mut cursor = module.walk();
    for child in module.named_children(&mut cursor) {
        match child.kind_name() {
            "comment" => {
                if !seen_statement {
                    anchor = Some(child.end_byte());
                }
            }
            "expression_statement" if !seen_statement && is_docstring(child) => {
                seen_statement = true;
                anchor = Some(child.end_byte());
            }
            "future_import_statement" | "import_statement" | "import_from_statement" => {
                seen_statement = true;
                last_import = Some(child.end_byte());
            }
            _ => break,
        }
    }
    // PEP 8: two blank lines before a top-level definition.
    crate::fix::import_insertion(
        file,
        last_import,
        anchor,
        line,
        &["def ", "class ", "async def ", "@"],
    )
}

/// The configured import line as data: `from M import N [as A]` or `import M [as A]`.
fn parse_import(line: &str) -> Option<Import> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let (straight, module, name, alias) = match words.as_slice() {
        ["from", m, "import", n] => (false, *m, *n, None),
        ["from", m, "import", n, "as", a] => (false, *m, *n, Some(*a)),
        ["import", m] => (true, *m, *m, None),
        ["import", m, "as", a] => (true, *m, *m, Some(*a)),
        _ => return None,
    };
    if module.starts_with('.') {
        return None;
    }
    Some(Import {
        straight,
        module: module.to_string(),
        level: 0,
        names: vec![(name.to_string(), alias.map(str::to_string))],
    })
}

/// One top-level import statement of a block, with where its text lies.
struct Stmt<'t> {
    node: Node<'t>,
    import: Import,
    /// Start of the statement's first line and end of its last (after the newline).
    line_start: usize,
    line_end: usize,
    /// Start of the comment lines right above it that the sorter moves with it (none
    /// for the first statement of a block: comments above a block stay where they are).
    atop: usize,
}

/// The top-level import blocks as ruff and isort delimit them: runs of import
/// statements broken by any other statement, by `# isort: split`, and by statements the
/// sorter leaves alone (`# isort: skip`, between `# isort: off` and `# isort: on`).
fn blocks<'t>(file: &SourceFile, module: Node<'t>) -> Vec<Vec<Stmt<'t>>> {
    let src = file.text.as_str();
    let mut blocks: Vec<Vec<Stmt<'t>>> = vec![Vec::new()];
    let mut off = false;
    let mut cursor = module.walk();
    for child in module.named_children(&mut cursor) {
        let is_import = matches!(
            child.kind_name(),
            "future_import_statement" | "import_statement" | "import_from_statement"
        );
        if child.kind_name() == "comment" {
            let text = &src[child.byte_range()];
            let directive = text.trim_start_matches('#').trim();
            let directive = directive.strip_prefix("ruff:").map_or(directive, str::trim);
            let directive = directive.replace(' ', "");
            if directive == "isort:split" || directive == "isort:off" {
                finish(&mut blocks);
            }
            if directive == "isort:off" {
                off = true;
            } else if directive == "isort:on" {
                off = false;
            }
            continue;
        }
        let skipped = is_import && {
            let line = file.line_text(child.end_byte()).replace(' ', "");
            line.contains("isort:skip") && !line.contains("isort:skip_file")
        };
        let import = if is_import && !off && !skipped {
            statement_import(src, child)
        } else {
            None
        };
        let Some(import) = import else {
            finish(&mut blocks);
            continue;
        };
        let line_start = file.line_range(file.line_index(child.start_byte())).start;
        let line_end = file.line_range(file.line_index(child.end_byte())).end;
        let block = blocks.last_mut().expect("one block at least");
        let atop = if block.is_empty() {
            line_start
        } else {
            comments_above(file, line_start)
        };
        block.push(Stmt {
            node: child,
            import,
            line_start,
            line_end,
            atop,
        });
    }
    blocks.retain(|b| !b.is_empty());
    blocks
}

fn finish(blocks: &mut Vec<Vec<Stmt>>) {
    if blocks.last().is_some_and(|b| !b.is_empty()) {
        blocks.push(Vec::new());
    }
}

/// The start of the run of comment lines that ends right above `line_start`.
fn comments_above(file: &SourceFile, line_start: usize) -> usize {
    let src = file.text.as_str();
    let mut at = line_start;
    while at > 0 {
        let prev = file.line_range(file.line_index(at - 1));
        if src[prev.clone()].trim_start().starts_with('#') {
            at = prev.start;
        } else {
            break;
        }
    }
    at
}

/// An import statement node as data.
fn statement_import(src: &str, node: Node) -> Option<Import> {
    let text = |n: Node| src[n.byte_range()].to_string();
    let alias_of = |n: Node| -> Option<(String, Option<String>)> {
        match n.kind_name() {
            "aliased_import" => Some((text(n.field("name")?), n.field("alias").map(text))),
            _ => Some((text(n), None)),
        }
    };
    let mut cursor = node.walk();
    let mut names: Vec<(String, Option<String>)> = node
        .children_by_field_name("name", &mut cursor)
        .filter_map(alias_of)
        .collect();
    match node.kind_name() {
        "import_statement" => {
            let (module, _) = names.first()?.clone();
            Some(Import {
                straight: true,
                module,
                level: 0,
                names,
            })
        }
        "future_import_statement" => Some(Import {
            straight: false,
            module: "__future__".into(),
            level: 0,
            names,
        }),
        _ => {
            let m = node.field("module_name")?;
            let (level, module) = if m.kind_name() == "relative_import" {
                let whole = text(m);
                let dots = whole.chars().take_while(|c| *c == '.').count();
                (dots, whole[dots..].trim().to_string())
            } else {
                (0, text(m))
            };
            let mut cursor = node.walk();
            if node
                .named_children(&mut cursor)
                .any(|c| c.kind_name() == "wildcard_import")
            {
                names.push(("*".into(), None));
            }
            Some(Import {
                straight: false,
                module,
                level,
                names,
            })
        }
    }
}

/// The block the import goes in: one holding a from-import of the loader's module, else
/// one importing from the loader's top-level package, else the first. A later block
/// only when `before` says the rewritten code all comes after it (a block after
/// `sys.path` set-up is where a script's own imports work).
fn choose_block<'b, 't>(
    blocks: &'b [Vec<Stmt<'t>>],
    new: &Import,
    before: Option<usize>,
) -> Option<&'b [Stmt<'t>]> {
    let first = blocks.first()?;
    let Some(limit) = before else {
        return Some(first);
    };
    let root = new.module.split('.').next().unwrap_or("");
    let usable = |b: &&Vec<Stmt>| b[0].line_start < limit;
    let same_module = |b: &&Vec<Stmt>| {
        b.iter()
            .any(|s| !s.import.straight && s.import.level == 0 && s.import.module == new.module)
    };
    let same_root = |b: &&Vec<Stmt>| {
        b.iter()
            .any(|s| s.import.level == 0 && s.import.module.split('.').next() == Some(root))
    };
    let chosen = blocks
        .iter()
        .filter(usable)
        .find(same_module)
        .or_else(|| blocks.iter().filter(usable).find(same_root))
        .unwrap_or(first);
    Some(chosen)
}

/// Places one import in a block whose statements are sorted as `settings` sort them.
struct Placer<'a, 't> {
    file: &'a SourceFile,
    eol: &'a str,
    settings: &'a Settings,
    stmts: &'a [Stmt<'t>],
    sections: Vec<Section>,
}

impl Placer<'_, '_> {
    fn src(&self) -> &str {
        self.file.text.as_str()
    }

    /// Blank lines the sorter puts between sections `a` and `b` when both are there and
    /// nothing between them: one unless every section after `a` up to `b` is in
    /// `no_lines_before` (ruff); isort looks at `b` alone.
    fn separation(&self, a: &Section, b: &Section) -> usize {
        let s = self.settings;
        let order = &s.section_order;
        let (Some(i), Some(j)) = (
            order.iter().position(|x| x == a),
            order.iter().position(|x| x == b),
        ) else {
            return s.lines_between_sections;
        };
        let blank = match s.tool {
            Tool::Ruff => order[i + 1..=j.max(i)]
                .iter()
                .any(|x| !s.no_lines_before.contains(x)),
            Tool::Isort => !s.no_lines_before.contains(b),
        };
        if blank { s.lines_between_sections } else { 0 }
    }

    fn blank_lines(&self, n: usize) -> String {
        self.eol.repeat(n)
    }

    /// The statement as the sorter writes it: one line, or wrapped when too long.
    fn render(&self, import: &Import, comment: Option<&str>) -> String {
        let name = |(n, a): &(String, Option<String>)| match a {
            Some(a) => format!("{n} as {a}"),
            None => n.clone(),
        };
        let names: Vec<String> = import.names.iter().map(name).collect();
        if import.straight {
            return format!("import {}", names.join(", "));
        }
        let head = format!("from {}{} import ", ".".repeat(import.level), import.module);
        let suffix = comment.map(|c| format!("  {c}")).unwrap_or_default();
        let one_line = format!("{head}{}{suffix}", names.join(", "));
        if one_line.chars().count() <= self.settings.line_length || names.iter().any(|n| n == "*") {
            return one_line;
        }
        self.wrap(&head, &names, comment)
    }

    fn wrap(&self, head: &str, names: &[String], comment: Option<&str>) -> String {
        let eol = self.eol;
        let s = self.settings;
        match s.wrap {
            Wrap::Vertical => {
                let mut out = format!("{head}(");
                if let Some(c) = comment {
                    out.push_str(&format!("  {c}"));
                }
                out.push_str(eol);
                for (i, n) in names.iter().enumerate() {
                    let comma = if i + 1 < names.len() || s.include_trailing_comma {
                        ","
                    } else {
                        ""
                    };
                    out.push_str(&format!("    {n}{comma}{eol}"));
                }
                out.push(')');
                out
            }
            Wrap::Grid => {
                let indent = " ".repeat(head.chars().count() + 1);
                let mut out = format!("{head}({}", names[0]);
                let mut comment = comment.map(|c| format!("  {c}"));
                for n in &names[1..] {
                    let last_line = out.rsplit(eol).next().unwrap_or(&out);
                    let with_comment = comment.as_deref().unwrap_or("");
                    let width = last_line.chars().count() + 2 + n.chars().count();
                    if width + with_comment.chars().count() + 1 > s.line_length {
                        out.push(',');
                        out.push_str(&comment.take().unwrap_or_default());
                        out.push_str(eol);
                        out.push_str(&indent);
                        out.push_str(n);
                    } else {
                        out.push_str(", ");
                        out.push_str(n);
                    }
                }
                if s.include_trailing_comma {
                    out.push(',');
                }
                out.push(')');
                out.push_str(&comment.unwrap_or_default());
                out
            }
        }
    }

    /// Adds the name to a from-import of the same module already in the block, where
    /// the sorter would merge the two (`None`: it would keep them apart, or the
    /// statement's layout is one this does not rewrite).
    fn merge(&self, new: &Import, section: &Section) -> Option<Edit> {
        let s = self.settings;
        if new.straight || (s.force_single_line && !s.single_line_exclusions.contains(&new.module))
        {
            return None;
        }
        let aliased = new.names[0].1.is_some();
        let (i, target) = self.stmts.iter().enumerate().find(|(i, st)| {
            let imp = &st.import;
            !imp.straight
                && imp.level == 0
                && imp.module == new.module
                && self.sections[*i] == *section
                && !imp.names.iter().any(|n| n.0 == "*")
                && (s.combine_as || (!aliased && imp.names.iter().all(|n| n.1.is_none())))
        })?;
        let _ = i;
        let src = self.src();
        let node = target.node;
        let mut cursor = node.walk();
        let name_nodes: Vec<Node> = node.children_by_field_name("name", &mut cursor).collect();
        let new_name = &new.names[0];
        let at = target
            .import
            .names
            .iter()
            .position(|n| order::cmp_members(new_name, n, s) == std::cmp::Ordering::Less)
            .unwrap_or(target.import.names.len());
        let mut names = target.import.names.clone();
        names.insert(at, new_name.clone());
        let mut merged = target.import.clone();
        merged.names = names;
        let text = &src[node.byte_range()];
        let mut inner = node.walk();
        let has_inner_comment = node
            .children(&mut inner)
            .any(|c| c.kind_name() == "comment");
        let line_end = self.file.line_range(self.file.line_index(node.end_byte()));
        let rest = src[node.end_byte()..line_end.end].trim_end_matches(['\n', '\r']);
        let comment = rest.trim().starts_with('#').then(|| rest.trim());
        if !text.contains('(') {
            // One line: rewrite it whole, wrapped when it grows too long.
            let replace_end = node.end_byte() + rest.len();
            return Some(Edit::replace(
                node.start_byte()..replace_end,
                self.render(&merged, comment),
            ));
        }
        let lines: Vec<usize> = name_nodes
            .iter()
            .map(|n| self.file.line_index(n.start_byte()))
            .collect();
        let open_line = self.file.line_index(node.start_byte());
        let close_line = self.file.line_index(node.end_byte());
        let vertical = lines.windows(2).all(|w| w[0] < w[1])
            && lines.first().is_some_and(|l| *l > open_line)
            && lines.last().is_some_and(|l| *l < close_line)
            && src[name_nodes.last()?.end_byte()..node.end_byte()].contains(',');
        if vertical {
            // One name a line: a line for the new name, indented as the others.
            let first_line = self.file.line_range(lines[0]);
            let indent = &src[first_line.start..name_nodes[0].start_byte()];
            let name = match &new_name.1 {
                Some(a) => format!("{} as {a}", new_name.0),
                None => new_name.0.clone(),
            };
            let line = format!("{indent}{name},{}", self.eol);
            let pos = match name_nodes.get(at) {
                Some(next) => {
                    let start = self
                        .file
                        .line_range(self.file.line_index(next.start_byte()))
                        .start;
                    comments_above(self.file, start)
                }
                None => self.file.line_range(close_line).start,
            };
            return Some(Edit::insert(pos, line));
        }
        if has_inner_comment {
            return None;
        }
        let replace_end = node.end_byte() + rest.len();
        Some(Edit::replace(
            node.start_byte()..replace_end,
            self.render(&merged, comment),
        ))
    }

    /// A new statement at its sorted place in its section, or a new section.
    fn insert(&self, new: &Import, section: &Section, comment: Option<&str>) -> Edit {
        let s = self.settings;
        let eol = self.eol;
        let text = format!("{}{}", self.render(new, None), comment.unwrap_or(""));
        let line = format!("{text}{eol}");
        let in_section: Vec<usize> = (0..self.stmts.len())
            .filter(|i| self.sections[*i] == *section)
            .collect();
        let types_apart = s.lines_between_types > 0 && !s.force_sort_within_sections;
        let group = |imp: &Import| imp.straight;
        if let (Some(&first), Some(&last)) = (in_section.first(), in_section.last()) {
            let next = in_section.iter().copied().find(|&i| {
                order::cmp_imports(new, &self.stmts[i].import, s, section)
                    == std::cmp::Ordering::Less
            });
            let atop_blank = |i: usize| {
                let st = &self.stmts[i];
                usize::from(s.newline_before_comments && st.atop < st.line_start)
            };
            return match next {
                Some(n) if n == first => {
                    let st = &self.stmts[n];
                    let apart = if types_apart && group(new) != group(&st.import) {
                        s.lines_between_types
                    } else {
                        0
                    };
                    let blanks = if n == 0 { apart } else { apart + atop_blank(n) };
                    Edit::insert(st.atop, format!("{line}{}", self.blank_lines(blanks)))
                }
                Some(n) => {
                    let prev = &self.stmts
                        [in_section[in_section.iter().position(|&i| i == n).unwrap() - 1]];
                    let st = &self.stmts[n];
                    if types_apart
                        && group(&prev.import) != group(new)
                        && group(&st.import) == group(new)
                    {
                        // The blank lines between the two kinds stay before the new one.
                        Edit::insert(
                            st.atop,
                            format!("{line}{}", self.blank_lines(atop_blank(n))),
                        )
                    } else {
                        Edit::insert(prev.line_end, line)
                    }
                }
                None => {
                    let st = &self.stmts[last];
                    let apart = if types_apart && group(&st.import) != group(new) {
                        s.lines_between_types
                    } else {
                        0
                    };
                    self.after(last, apart, &text)
                }
            };
        }
        // A new section, between the sections before and after it in the order.
        let rank = |x: &Section| {
            s.section_order
                .iter()
                .position(|o| o == x)
                .unwrap_or(usize::MAX)
        };
        let mine = rank(section);
        let next = (0..self.stmts.len()).find(|&i| rank(&self.sections[i]) > mine);
        let prev = match next {
            Some(0) => None,
            Some(n) => Some(n - 1),
            None => Some(self.stmts.len() - 1),
        };
        match (prev, next) {
            (None, Some(n)) => {
                let after = self.separation(section, &self.sections[n]);
                Edit::insert(
                    self.stmts[n].line_start,
                    format!("{line}{}", self.blank_lines(after)),
                )
            }
            (Some(p), Some(n)) => {
                let before = self.separation(&self.sections[p], section);
                let after = self.separation(section, &self.sections[n]);
                let existing = self.separation(&self.sections[p], &self.sections[n]);
                let st = &self.stmts[n];
                if before == existing {
                    Edit::insert(st.atop, format!("{line}{}", self.blank_lines(after)))
                } else {
                    Edit::replace(
                        self.stmts[p].line_end..st.atop,
                        format!(
                            "{}{line}{}",
                            self.blank_lines(before),
                            self.blank_lines(after)
                        ),
                    )
                }
            }
            (Some(p), None) => {
                let before = self.separation(&self.sections[p], section);
                self.after(p, before, &text)
            }
            (None, None) => unreachable!("a block has a statement"),
        }
    }

    /// Inserts `text` after statement `i`, `blanks` blank lines below it. When blank
    /// lines follow the statement already, the new line goes after the first of them
    /// and brings its own: the same text, but an edit that leaves statement `i`'s lines
    /// free for a fix that removes that import.
    fn after(&self, i: usize, blanks: usize, text: &str) -> Edit {
        let eol = self.eol;
        let src = self.src();
        let end = self.stmts[i].line_end;
        if end == src.len() && !src.ends_with('\n') {
            return Edit::insert(end, format!("{eol}{}{text}{eol}", self.blank_lines(blanks)));
        }
        let first_blank_end = {
            let rest = &src[end..];
            rest.find('\n')
                .filter(|nl| rest[..*nl].trim().is_empty())
                .map(|nl| end + nl + 1)
        };
        match first_blank_end {
            Some(after_blank) if blanks == 1 => {
                Edit::insert(after_blank, format!("{text}{eol}{eol}"))
            }
            Some(_) => Edit::insert(end, format!("{}{text}{eol}", self.blank_lines(blanks))),
            // No blank line after the block: no sorter laid this file out (both want one
            // before the code), so the import joins the block as it stands, and removing
            // the import above it leaves no stray blank line.
            None => Edit::insert(end, format!("{text}{eol}")),
        }
    }
}

fn is_docstring(stmt: Node) -> bool {
    stmt.named_child_count() == 1
        && stmt
            .named_child(0)
            .is_some_and(|n| matches!(n.kind_name(), "string" | "concatenated_string"))
}

/// The end of the line starting at `at` when that line is blank.
fn blank_line_end(src: &str, at: usize) -> Option<usize> {
    let rest = &src[at..];
    let nl = rest.find('\n')?;
    rest[..nl].trim().is_empty().then_some(at + nl + 1)
}

/// Import statements binding names from the modules the rules look at, with every use
/// of each bound name, for removal when a fix leaves them unused.
pub fn removable(
    file: &SourceFile,
    imports: &[Node],
    idents: &HashMap<&str, Vec<Range<usize>>>,
    rules: &EnvRules,
) -> Vec<ImportStmt> {
    let src = file.text.as_str();
    let roots: Vec<&str> = rules.roots().collect();
    let related = |module: &str| {
        let head = module.split('.').next().unwrap_or(module);
        roots.contains(&head)
    };
    let mut out = Vec::new();
    for &stmt in imports {
        let module = if stmt.kind_name() == "import_from_statement" {
            match stmt.field("module_name") {
                Some(m) if m.kind_name() == "dotted_name" => Some(&src[m.byte_range()]),
                _ => continue,
            }
        } else {
            None
        };
        let mut cursor = stmt.walk();
        let name_nodes: Vec<Node> = stmt.children_by_field_name("name", &mut cursor).collect();
        if name_nodes.is_empty() {
            continue;
        }
        let mut names = Vec::new();
        let mut any_related = module.is_some_and(related);
        for n in &name_nodes {
            let (dotted, alias) = match n.kind_name() {
                "aliased_import" => (
                    n.field("name").map(|x| &src[x.byte_range()]),
                    n.field("alias").map(|x| &src[x.byte_range()]),
                ),
                _ => (Some(&src[n.byte_range()]), None),
            };
            let Some(dotted) = dotted else { continue };
            if module.is_none() {
                any_related |= related(dotted);
            }
            let bound = match (module, alias) {
                (_, Some(a)) => a,
                (Some(_), None) => dotted,
                (None, None) => dotted.split('.').next().unwrap_or(dotted),
            };
            names.push(ImportName {
                text: src[n.byte_range()].to_string(),
                refs: idents.get(bound).cloned().unwrap_or_default(),
                line: own_line(file, *n),
            });
        }
        if !any_related || names.len() != name_nodes.len() {
            continue;
        }
        if file.line_text(stmt.start_byte()).contains("noqa")
            || file.line_text(stmt.end_byte()).contains("noqa")
        {
            // `import os  # noqa: F401` is kept on purpose.
            continue;
        }
        let single_line = !src[stmt.byte_range()].contains('\n');
        let delete = statement_lines(file, stmt);
        out.push(ImportStmt {
            delete_tidy: delete.as_ref().and_then(|r| tidy(file, stmt, r)),
            delete,
            names_range: single_line
                .then(|| name_nodes[0].start_byte()..name_nodes[name_nodes.len() - 1].end_byte()),
            names,
        });
    }
    out
}

/// The line of one name in a multi-line import when the name (and its comma) is all
/// that is on it.
fn own_line(file: &SourceFile, name: Node) -> Option<Range<usize>> {
    let src = file.text.as_str();
    let line = file.line_range(file.line_index(name.start_byte()));
    let before = &src[line.start..name.start_byte()];
    let after = src[name.end_byte()..line.end].trim();
    let after = after.strip_prefix(',').unwrap_or(after).trim();
    (before.trim().is_empty()
        && (after.is_empty() || after.starts_with('#'))
        && name.end_byte() <= line.end)
        .then_some(line)
}

/// `lines` plus the blank line after them, when the statement opens its block (or the
/// file) or follows a blank line: removing it then leaves no doubled or leading blank.
fn tidy(file: &SourceFile, stmt: Node, lines: &Range<usize>) -> Option<Range<usize>> {
    let src = file.text.as_str();
    let next_blank = blank_line_end(src, lines.end)?;
    // Comments above the first import are the file's header, not part of the block.
    let first_in_block = stmt.prev_named_sibling().is_none_or(|p| {
        p.kind_name() == "comment" && p.parent().is_some_and(|b| b.kind_name() == "module")
    });
    let prev_blank = lines.start > 0 && {
        let prev = file.line_range(file.line_index(lines.start - 1));
        src[prev].trim().is_empty()
    };
    (first_in_block || prev_blank).then_some(lines.start..next_blank)
}

/// The full lines of a statement that stands alone on them, unless removing it would
/// leave its block empty.
fn statement_lines(file: &SourceFile, stmt: Node) -> Option<Range<usize>> {
    let src = file.text.as_str();
    if let Some(parent) = stmt.parent() {
        if parent.kind_name() == "block" {
            let mut cursor = parent.walk();
            let statements = parent
                .named_children(&mut cursor)
                .filter(|c| c.kind_name() != "comment")
                .count();
            if statements < 2 {
                return None;
            }
        }
    }
    let first = file.line_index(stmt.start_byte());
    let last = file.line_index(stmt.end_byte());
    let start = file.line_range(first).start;
    let end = file.line_range(last).end;
    let before = &src[start..stmt.start_byte()];
    let after = src[stmt.end_byte()..end].trim();
    let alone = before.trim().is_empty() && (after.is_empty() || after.starts_with('#'));
    alone.then_some(start..end)
}
