//! How ruff and isort order imports within a section and names within a from-import:
//! comparison functions over import statements as data. Never looks at source text.

use std::cmp::Ordering;

use super::isort::{Section, Settings, Tool};

/// One import statement, as the sorters see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// `import a.b` (one name per statement, as both sorters write it).
    pub straight: bool,
    /// The dotted module: `a.b` in `import a.b` and `from a.b import c`; empty in
    /// `from . import c`.
    pub module: String,
    /// Leading dots of a relative import.
    pub level: usize,
    /// The imported names with their aliases: the module itself for a straight import.
    pub names: Vec<(String, Option<String>)>,
}

impl Import {
    /// The statement on one line, as isort's `force_sort_within_sections` compares it.
    fn line(&self) -> String {
        let alias = |(n, a): &(String, Option<String>)| match a {
            Some(a) => format!("{n} as {a}"),
            None => n.clone(),
        };
        let names: Vec<String> = self.names.iter().map(alias).collect();
        if self.straight {
            format!("import {}", names.join(", "))
        } else {
            format!(
                "from {}{} import {}",
                ".".repeat(self.level),
                self.module,
                names.join(", ")
            )
        }
    }
}

/// Where `a` goes relative to `b` when both are in `section`.
pub fn cmp_imports(a: &Import, b: &Import, s: &Settings, section: &Section) -> Ordering {
    if *section == Section::Future && s.tool == Tool::Ruff {
        // ruff writes `from __future__` imports first whatever the settings.
        return b
            .straight
            .cmp(&a.straight)
            .then_with(|| ruff_module(a, b, s));
    }
    if s.force_sort_within_sections {
        return match s.tool {
            Tool::Ruff => ruff_module(a, b, s),
            Tool::Isort => natural(&isort_line_key(a, s), &isort_line_key(b, s))
                .then_with(|| style(a, b, s))
                .then_with(|| first_member(a, b, s)),
        };
    }
    style(a, b, s).then_with(|| match s.tool {
        Tool::Ruff => ruff_module(a, b, s),
        Tool::Isort => natural(&isort_module_key(a, s), &isort_module_key(b, s))
            .then_with(|| first_member(a, b, s)),
    })
}

/// Straight imports before from-imports, or the reverse with `from-first`.
fn style(a: &Import, b: &Import, s: &Settings) -> Ordering {
    let rank = |i: &Import| i.straight == s.from_first;
    rank(a).cmp(&rank(b))
}

fn first_member(a: &Import, b: &Import, s: &Settings) -> Ordering {
    let first = |i: &Import| (!i.straight).then(|| i.names.first().cloned()).flatten();
    match (first(a), first(b)) {
        (Some(x), Some(y)) => cmp_members(&x, &y, s),
        (x, y) => x.is_some().cmp(&y.is_some()),
    }
}

/// ruff's `ModuleKey`: force-to-top, length, relative distance, the name without and
/// with case, the first member, the alias, each compared in natural order.
fn ruff_module(a: &Import, b: &Import, s: &Settings) -> Ordering {
    let top = |i: &Import| !s.force_to_top.contains(&i.module);
    let length = |i: &Import| s.length_sort.then(|| i.module.chars().count() + i.level);
    // ruff's default `relative-imports-order` is furthest-to-closest; absolute last.
    let distance = |i: &Import| match i.level {
        0 => (1, 0),
        n => (0, usize::MAX - n),
    };
    let name = |i: &Import| (!i.module.is_empty()).then(|| i.module.clone());
    let lower = |i: &Import| {
        (!s.case_sensitive)
            .then(|| name(i).map(|n| n.to_lowercase()))
            .flatten()
    };
    let alias = |i: &Import| {
        i.straight
            .then(|| i.names.first().and_then(|n| n.1.clone()))
            .flatten()
    };
    top(a)
        .cmp(&top(b))
        .then_with(|| length(a).cmp(&length(b)))
        .then_with(|| distance(a).cmp(&distance(b)))
        .then_with(|| opt_natural(&lower(a), &lower(b)))
        .then_with(|| opt_natural(&name(a), &name(b)))
        .then_with(|| first_member(a, b, s))
        .then_with(|| opt_natural(&alias(a), &alias(b)))
}

/// isort's `module_key`: force-to-top, then the name (lowercased unless case-sensitive;
/// a relative import's dots joined to it by `_`).
fn isort_module_key(i: &Import, s: &Settings) -> String {
    let mut name = if i.level > 0 {
        format!("{}_{}", ".".repeat(i.level), i.module)
    } else {
        i.module.clone()
    };
    if !s.case_sensitive {
        name = name.to_lowercase();
    }
    let top = if s.force_to_top.contains(&name) {
        'A'
    } else {
        'B'
    };
    if s.length_sort {
        format!("{top}{}:{name}", name.chars().count())
    } else {
        format!("{top}{name}")
    }
}

/// isort's `section_key`: the whole line without `from`/`import`, cut at ` import`
/// with `group_by_package`, dotted with `lexicographical`, lowercased unless
/// `order_by_type` (isort's documented quirk).
fn isort_line_key(i: &Import, s: &Settings) -> String {
    let mut line = i.line();
    if s.group_by_package && !i.straight {
        line = line.split(" import ").next().unwrap_or(&line).to_string();
    }
    if s.lexicographical {
        line = line.replacen(" import ", ".", 1);
    }
    let line = line
        .strip_prefix("from ")
        .or_else(|| line.strip_prefix("import "))
        .unwrap_or(&line)
        .to_string();
    let first = line.split(' ').next().unwrap_or("");
    let top = if s.force_to_top.iter().any(|t| t == first) {
        'A'
    } else {
        'B'
    };
    let line = if s.order_by_type {
        line
    } else {
        line.to_lowercase()
    };
    if s.length_sort {
        format!("{top}{}{line}", line.chars().count())
    } else {
        format!("{top}{line}")
    }
}

/// Where member `a` goes relative to `b` inside one from-import: star first, then by
/// type with `order-by-type` (CONSTANT, Class, variable), then by name.
pub fn cmp_members(
    a: &(String, Option<String>),
    b: &(String, Option<String>),
    s: &Settings,
) -> Ordering {
    let star = |m: &(String, Option<String>)| m.0 != "*";
    let kind = |m: &(String, Option<String>)| s.order_by_type.then(|| member_type(&m.0, s));
    let length = |m: &(String, Option<String>)| s.length_sort.then(|| m.0.chars().count());
    let lower = |m: &(String, Option<String>)| (!s.case_sensitive).then(|| m.0.to_lowercase());
    star(a)
        .cmp(&star(b))
        .then_with(|| kind(a).cmp(&kind(b)))
        .then_with(|| length(a).cmp(&length(b)))
        .then_with(|| opt_natural(&lower(a), &lower(b)))
        .then_with(|| natural(&a.0, &b.0))
        .then_with(|| opt_natural(&a.1, &b.1))
}

/// 0 constant, 1 class, 2 variable.
fn member_type(name: &str, s: &Settings) -> u8 {
    let cased_upper = name.chars().any(char::is_uppercase) && !name.chars().any(char::is_lowercase);
    if s.constants.iter().any(|c| c == name) {
        0
    } else if s.classes.iter().any(|c| c == name) {
        1
    } else if s.variables.iter().any(|c| c == name) {
        2
    } else if name.chars().count() > 1 && cased_upper {
        0
    } else if name.chars().next().is_some_and(char::is_uppercase) {
        1
    } else {
        2
    }
}

fn opt_natural(a: &Option<String>, b: &Option<String>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => natural(x, y),
        (x, y) => x.is_some().cmp(&y.is_some()),
    }
}

/// Natural order, as both sorters compare names: runs of digits by their value, all
/// else by character (`mod2` before `mod10`).
pub fn natural(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut run = String::new();
                    while let Some(ch) = it.peek().copied().filter(char::is_ascii_digit) {
                        run.push(ch);
                        it.next();
                    }
                    run
                };
                let (m, n) = (take(&mut x), take(&mut y));
                let (mt, nt) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let order = mt.len().cmp(&nt.len()).then_with(|| mt.cmp(nt));
                if order != Ordering::Equal {
                    return order;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(module: &str, names: &[&str]) -> Import {
        Import {
            straight: false,
            module: module.into(),
            level: 0,
            names: names.iter().map(|n| (n.to_string(), None)).collect(),
        }
    }

    fn straight(module: &str) -> Import {
        Import {
            straight: true,
            module: module.into(),
            level: 0,
            names: vec![(module.to_string(), None)],
        }
    }

    fn settings(tool: Tool, fsws: bool) -> Settings {
        let mut s = Settings::defaults();
        s.tool = tool;
        s.force_sort_within_sections = fsws;
        s
    }

    #[test]
    fn natural_order_compares_digit_runs_by_value() {
        assert_eq!(natural("mod2", "mod10"), Ordering::Less);
        assert_eq!(natural("a", "a.b"), Ordering::Less);
        assert_eq!(natural("B", "a"), Ordering::Less);
    }

    #[test]
    fn straight_before_from_unless_force_sorted() {
        let s = settings(Tool::Ruff, false);
        let sec = Section::FirstParty;
        assert_eq!(
            cmp_imports(&straight("zeta"), &from("alpha", &["x"]), &s, &sec),
            Ordering::Less
        );
        let s = settings(Tool::Ruff, true);
        assert_eq!(
            cmp_imports(&straight("zeta"), &from("alpha", &["x"]), &s, &sec),
            Ordering::Greater
        );
        // The module decides; `import a` before `from a import b`.
        assert_eq!(
            cmp_imports(&straight("a"), &from("a", &["b"]), &s, &sec),
            Ordering::Less
        );
    }

    #[test]
    fn case_insensitive_by_default_with_case_as_tie_break() {
        let s = settings(Tool::Ruff, false);
        let sec = Section::ThirdParty;
        assert_eq!(
            cmp_imports(&from("Backend", &["x"]), &from("alpha", &["x"]), &s, &sec),
            Ordering::Greater
        );
    }

    #[test]
    fn isort_force_sorted_lines_keep_case_with_order_by_type() {
        let s = settings(Tool::Isort, true);
        let sec = Section::ThirdParty;
        // "Zope" < "alpha" byte-wise: isort compares the line with its case.
        assert_eq!(
            cmp_imports(&straight("Zope"), &from("alpha", &["x"]), &s, &sec),
            Ordering::Less
        );
    }

    #[test]
    fn members_by_type_then_name() {
        let s = settings(Tool::Ruff, false);
        let m = |n: &str| (n.to_string(), None);
        assert_eq!(cmp_members(&m("CONST"), &m("Class"), &s), Ordering::Less);
        assert_eq!(cmp_members(&m("Class"), &m("func"), &s), Ordering::Less);
        assert_eq!(cmp_members(&m("get_a"), &m("get_b"), &s), Ordering::Less);
    }
}
