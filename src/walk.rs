//! Which files a run looks at: explicit file arguments as given, directories walked in
//! parallel with the `ignore` crate (.gitignore, .ignore, .shushignore; hidden files
//! included; .git skipped). Never reads file contents.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use ignore::{WalkBuilder, WalkState};

/// A file to scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// Absolute path.
    pub path: PathBuf,
    /// Named on the command line (scanned even when an ignore file would skip it).
    pub explicit: bool,
}

/// Something the walk could not do, reported as a note.
#[derive(Debug, Clone)]
pub struct WalkIssue {
    pub path: Option<PathBuf>,
    pub message: String,
    /// The path named on the command line does not exist or cannot be read: a run error.
    pub fatal: bool,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// The files found (with [`walk_with`], those its callback kept).
    pub entries: Vec<Entry>,
    /// How many files were found.
    pub files: usize,
    pub issues: Vec<WalkIssue>,
    /// Symbolic links passed over (they are not followed).
    pub symlinks: Vec<PathBuf>,
    /// Files skipped by the config's `exclude`.
    pub excluded: usize,
    /// Named paths that are not regular files (a FIFO, a socket, a device): reading
    /// one could block forever.
    pub not_regular: Vec<PathBuf>,
    /// Temporary files a killed shush run left behind (`.shush-*.tmp`): never scanned.
    pub leftovers: Vec<PathBuf>,
}

/// Whether the config's `exclude` skips a path (absolute; `true` for a directory).
pub type Excludes = std::sync::Arc<dyn Fn(&Path, bool) -> bool + Send + Sync>;

/// Walks `paths` (absolute) in parallel; entries come back sorted ([`sort`]) and
/// deduplicated.
pub fn walk(paths: &[PathBuf], excludes: &Excludes, threads: usize) -> Walked {
    walk_with(paths, excludes, threads, &mut |_| true)
}

/// [`walk`], calling `found` with each entry as soon as it is found (once per path; a
/// file named on the command line first), so that scanning can start before the walk
/// ends; only the entries it returns true for are kept in `entries`.
pub fn walk_with(
    paths: &[PathBuf],
    excludes: &Excludes,
    threads: usize,
    found: &mut dyn FnMut(&Entry) -> bool,
) -> Walked {
    let mut walked = Walked::default();
    // Overlapping roots (`src src/a`) find a file twice; one root never does.
    let mut reported = std::collections::HashSet::new();
    let mut add = |walked: &mut Walked, entry: Entry| {
        if paths.len() < 2 || reported.insert(entry.path.clone()) {
            walked.files += 1;
            if found(&entry) {
                walked.entries.push(entry);
            }
        }
    };
    let (files, dirs): (Vec<&PathBuf>, Vec<&PathBuf>) = paths.iter().partition(|p| !p.is_dir());
    for root in files.into_iter().chain(dirs) {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                walked.issues.push(WalkIssue {
                    path: Some(root.clone()),
                    message: io_message(&e),
                    fatal: true,
                });
                continue;
            }
        };
        if !meta.is_dir() && !meta.is_file() {
            walked.not_regular.push(root.clone());
            continue;
        }
        if !meta.is_dir() {
            let entry = Entry {
                path: root.clone(),
                explicit: true,
            };
            add(&mut walked, entry);
            continue;
        }
        walk_dir(root, excludes, threads, &mut walked, &mut add);
    }
    sort(&mut walked.entries);
    walked.symlinks.sort();
    walked.leftovers.sort();
    walked
}

fn walk_dir(
    root: &Path,
    excludes: &Excludes,
    threads: usize,
    walked: &mut Walked,
    add: &mut dyn FnMut(&mut Walked, Entry),
) {
    enum Msg {
        File(PathBuf),
        Leftover(PathBuf),
        Symlink(PathBuf),
        Excluded,
        Issue(WalkIssue),
    }
    let (tx, rx) = mpsc::channel();
    let excludes_for_filter = excludes.clone();
    WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_global(true)
        .git_exclude(true)
        .require_git(false)
        .ignore(true)
        .parents(true)
        .follow_links(false)
        .add_custom_ignore_filename(".shushignore")
        .threads(threads)
        .filter_entry(move |e| {
            if e.file_name() == ".git" && e.file_type().is_some_and(|t| t.is_dir()) {
                return false;
            }
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            e.depth() == 0 || !is_dir || !excludes_for_filter(e.path(), true)
        })
        .build_parallel()
        .run(|| {
            let tx = tx.clone();
            let excludes = excludes.clone();
            Box::new(move |result| {
                let msg = match result {
                    Ok(entry) => {
                        let Some(ft) = entry.file_type() else {
                            return WalkState::Continue;
                        };
                        if ft.is_symlink() {
                            Msg::Symlink(entry.into_path())
                        } else if !ft.is_file() {
                            return WalkState::Continue;
                        } else if excludes(entry.path(), false) {
                            Msg::Excluded
                        } else if entry
                            .file_name()
                            .to_str()
                            .is_some_and(crate::fix::write::is_temp_name)
                        {
                            Msg::Leftover(entry.into_path())
                        } else {
                            Msg::File(entry.into_path())
                        }
                    }
                    Err(err) => Msg::Issue(WalkIssue {
                        path: error_path(&err),
                        message: walk_message(&err),
                        fatal: false,
                    }),
                };
                let _ = tx.send(msg);
                WalkState::Continue
            })
        });
    drop(tx);
    for msg in rx {
        match msg {
            Msg::File(path) => {
                add(
                    walked,
                    Entry {
                        path,
                        explicit: false,
                    },
                );
            }
            Msg::Leftover(path) => walked.leftovers.push(path),
            Msg::Symlink(path) => walked.symlinks.push(path),
            Msg::Excluded => walked.excluded += 1,
            Msg::Issue(mut issue) => {
                // The directory named on the command line cannot be read at all: as for
                // a named file, the run fails.
                issue.fatal = issue.path.as_deref() == Some(root);
                walked.issues.push(issue);
            }
        }
    }
}

/// Sorts entries by the bytes of their paths, not by path components: the order only
/// has to be the same on every run and put equal paths together (reports sort their
/// own output), and a byte comparison is several times faster on tens of thousands of
/// paths. Of two entries for one path, the one named on the command line comes first.
pub fn sort(entries: &mut [Entry]) {
    entries.sort_unstable_by(|a, b| {
        (a.path.as_os_str().as_encoded_bytes(), !a.explicit)
            .cmp(&(b.path.as_os_str().as_encoded_bytes(), !b.explicit))
    });
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn walk_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_message(err),
        ignore::Error::Loop { ancestor, .. } => {
            format!("symlink loop back to {}", ancestor.display())
        }
        ignore::Error::Io(e) => io_message(e),
        other => other.to_string(),
    }
}

/// An I/O error as a short sentence ("no such file or directory").
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}
