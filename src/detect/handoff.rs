//! Reads that are messages between processes or tests of the environment, not
//! configuration. The detectors report the variables each file writes
//! (`Analysis::env_writes`); this pass turns the reads of those variables into
//! informational findings with no fix:
//!
//! - a variable that the repository writes into the environment of a process it starts
//!   (`env={"X": …}`, `Command::env("X", …)`, `{ env: { X: … } }`) or of itself outside
//!   test code (`os.environ["X"] = …`, `process.env.X = …`, `set_var`) is a hand-off,
//!   wherever in the tree it is read: the writer and the reader are one program talking
//!   to itself, and a loader call in the reader would read a key no one stores;
//! - a variable that test code sets (`monkeypatch.setenv`, `vi.stubEnv`, `set_var` in a
//!   `#[test]`) and that the same file reads: the test checks the environment itself, and
//!   a loader call would make it pass for the wrong reason, or fail.
//!
//! One tree-wide set is collected before fixes are decided (`collect`, for `--fix` and
//! `--diff`); a plain check applies the same set once every file is scanned.

use std::collections::BTreeMap;

use crate::detect::{EnvWrite, Finding, Severity, VarRole, WriteKind};
use crate::source::SourceFile;

/// The variables a tree hands to the processes it starts, each with its first writer
/// (by path, then line: the same for any thread count).
#[derive(Clone, Debug, Default)]
pub struct HandOffs {
    names: BTreeMap<String, (String, usize)>,
}

impl HandOffs {
    /// Adds the hand-off writes of one file.
    pub fn add(&mut self, path: &str, line: usize, name: &str) {
        let place = (path.to_string(), line);
        match self.names.get_mut(name) {
            Some(first) if *first <= place => {}
            Some(first) => *first = place,
            None => {
                self.names.insert(name.to_string(), place);
            }
        }
    }

    /// Adds every hand-off write of `writes`, made in `file`.
    pub fn add_file(&mut self, file: &SourceFile, writes: &[EnvWrite]) {
        let path = crate::report::path_string(&file.path);
        for w in writes.iter().filter(|w| w.kind == WriteKind::HandOff) {
            self.add(&path, file.position(w.span.start).line, &w.name);
        }
    }

    pub fn merge(&mut self, other: HandOffs) {
        for (name, (path, line)) in other.names {
            self.add(&path, line, &name);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Where `name` is first written, when the tree hands it off.
    pub fn get(&self, name: &str) -> Option<(&str, usize)> {
        self.names.get(name).map(|(p, l)| (p.as_str(), *l))
    }
}

/// Whether a finding is an environment read this pass may mark.
fn is_env_read(f: &Finding) -> bool {
    f.secret.is_none() && f.env_name.is_some() && f.role.is_none()
}

/// Marks the reads of `file` that its own writes explain: a variable its test code sets,
/// or one it hands to a child process.
pub fn apply_local(file: &SourceFile, findings: &mut [Finding], writes: &[EnvWrite]) {
    if writes.is_empty() {
        return;
    }
    let path = crate::report::path_string(&file.path);
    for f in findings.iter_mut().filter(|f| is_env_read(f)) {
        let name = f.env_name.as_deref().unwrap_or_default();
        // The first write of the name in the file; a test write wins over a hand-off.
        let first = |kind: WriteKind| {
            writes
                .iter()
                .filter(|w| w.kind == kind && w.name == name)
                .map(|w| file.position(w.span.start).line)
                .min()
        };
        if let Some(line) = first(WriteKind::Test) {
            mark(f, VarRole::TestSetup { line });
        } else if let Some(line) = first(WriteKind::HandOff) {
            hand_off(f, &path, line);
        }
    }
}

/// Marks the reads whose variable the tree hands to a child process.
pub fn apply_tree(findings: &mut [Finding], handoffs: &HandOffs) {
    if handoffs.is_empty() {
        return;
    }
    for f in findings.iter_mut().filter(|f| is_env_read(f)) {
        let name = f.env_name.as_deref().unwrap_or_default();
        if let Some((path, line)) = handoffs.get(name) {
            hand_off(f, path, line);
        }
    }
}

/// A read of a variable the tree writes for a process it starts. A secret-looking one (an
/// error) is never hidden: the parent may pass on a secret it got from the loader, and the
/// child's read is still a secret read; it keeps its error, and its fix becomes unsafe
/// with a caveat. Any other becomes informational with no fix.
fn hand_off(f: &mut Finding, path: &str, line: usize) {
    if f.severity == Severity::Error {
        let name = f.env_name.as_deref().unwrap_or_default();
        f.help = Some(format!(
            "this repository also sets `{name}` for a process it starts ({path}:{line}); if this code runs as that process, it should get the value from its parent, not from the loader"
        ));
        if let Some(fix) = &mut f.fix {
            fix.applicability = crate::detect::Applicability::Unsafe;
        }
        return;
    }
    mark(
        f,
        VarRole::HandOff {
            path: path.to_string(),
            line,
        },
    );
}

/// Makes `f` an informational finding with no fix, saying why (also used for platform
/// variables, which only the inventory shows).
pub fn mark(f: &mut Finding, role: VarRole) {
    let name = f.env_name.clone().unwrap_or_default();
    let reason = match &role {
        VarRole::HandOff { path, line } => format!(
            "this repository sets `{name}` for a process it starts ({path}:{line}): a hand-off between processes, not configuration"
        ),
        VarRole::TestSetup { line } => format!(
            "the test sets `{name}` itself (line {line}): it checks the environment, not configuration"
        ),
        VarRole::Platform { group } => {
            format!("`{name}` is set by the {group} environment, not by the team's configuration")
        }
    };
    f.severity = Severity::Info;
    f.message = format!("`{name}` is read from the environment; left alone");
    f.fix = None;
    f.no_fix_reason = Some(reason);
    f.role = Some(role);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_writer_wins_whatever_the_order() {
        let mut a = HandOffs::default();
        a.add("b.py", 3, "X");
        a.add("a.py", 9, "X");
        let mut b = HandOffs::default();
        b.add("a.py", 2, "X");
        b.merge(a);
        assert_eq!(b.get("X"), Some(("a.py", 2)));
        assert_eq!(b.get("Y"), None);
    }

    fn read(name: &str, severity: Severity) -> Finding {
        Finding {
            rule: "py-os-getenv",
            severity,
            span: 0..1,
            message: String::new(),
            env_name: Some(name.into()),
            config_key: Some(name.to_lowercase()),
            fix: Some(crate::detect::Fix {
                title: "Replace".into(),
                applicability: crate::detect::Applicability::Safe,
                edits: Vec::new(),
                needs_import: true,
                gitignore: None,
                imports: Vec::new(),
            }),
            no_fix_reason: None,
            help: None,
            secret: None,
            has_default: false,
            role: None,
        }
    }

    #[test]
    fn a_hand_off_is_left_alone_unless_its_name_looks_secret() {
        let mut tree = HandOffs::default();
        tree.add("launch.py", 8, "RUN_ID");
        tree.add("launch.py", 9, "API_TOKEN");
        let mut found = [
            read("RUN_ID", Severity::Warning),
            read("API_TOKEN", Severity::Error),
            read("LOG_LEVEL", Severity::Warning),
        ];
        apply_tree(&mut found, &tree);
        assert_eq!(found[0].severity, Severity::Info);
        assert!(found[0].fix.is_none());
        assert_eq!(
            found[0].role.as_ref().map(VarRole::label).as_deref(),
            Some("hand-off")
        );
        // The secret keeps its error; its fix needs --unsafe-fixes and says why.
        assert_eq!(found[1].severity, Severity::Error);
        assert_eq!(
            found[1].fix.as_ref().map(|f| f.applicability),
            Some(crate::detect::Applicability::Unsafe)
        );
        assert!(found[1].help.as_deref().unwrap().contains("launch.py:9"));
        assert!(found[1].role.is_none());
        // Nobody writes LOG_LEVEL.
        assert_eq!(found[2].severity, Severity::Warning);
        assert!(found[2].fix.is_some());
    }
}
