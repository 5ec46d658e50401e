//! A memo of "the nearest directory, from this one up, whose files settle X", kept for
//! every directory on the way: shush's own config files and the settings of the tools
//! a fix follows (ruff or isort, prettier) are found this way, once per directory of a
//! scan. Reads nothing itself; the caller's `read` looks at one directory.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// What the nearest settling directory gave, for each directory looked up: by the
/// path's bytes (hashing a `Path` parses it into components, and it is looked up for
/// every file and directory of a scan). Paths spelt two ways are two keys, both right.
type Dirs<T> = HashMap<Box<[u8]>, T, foldhash::fast::RandomState>;

#[derive(Debug)]
pub struct Nearest<T> {
    dirs: OnceLock<Mutex<Dirs<T>>>,
}

impl<T: Clone> Nearest<T> {
    pub const fn new() -> Nearest<T> {
        Nearest {
            dirs: OnceLock::new(),
        }
    }

    /// The value of the nearest directory at or above `dir` for which `read` gives one
    /// (`none()` when no directory does). `read` runs without the lock, since it reads
    /// files; two threads that read the same directory get equal values, and the first
    /// one stored is kept.
    pub fn get(
        &self,
        dir: &Path,
        mut read: impl FnMut(&Path) -> Option<T>,
        none: impl FnOnce() -> T,
    ) -> T {
        let dirs = self.dirs.get_or_init(|| Mutex::new(HashMap::default()));
        let key = |d: &Path| -> Box<[u8]> { d.as_os_str().as_encoded_bytes().into() };
        let mut missed = Vec::new();
        let mut at = Some(dir);
        let found = loop {
            let Some(d) = at else { break none() };
            if let Some(hit) = dirs
                .lock()
                .expect("not poisoned")
                .get(d.as_os_str().as_encoded_bytes())
            {
                break hit.clone();
            }
            missed.push(key(d));
            if let Some(value) = read(d) {
                break value;
            }
            at = d.parent();
        };
        let mut dirs = dirs.lock().expect("not poisoned");
        for d in missed {
            dirs.entry(d).or_insert_with(|| found.clone());
        }
        dirs.get(dir.as_os_str().as_encoded_bytes())
            .cloned()
            .unwrap_or(found)
    }
}

impl<T: Clone> Default for Nearest<T> {
    fn default() -> Nearest<T> {
        Nearest::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_directory_on_the_way_is_kept() {
        let nearest: Nearest<&str> = Nearest::new();
        let reads = std::cell::Cell::new(0);
        let read = |d: &Path| {
            reads.set(reads.get() + 1);
            (d == Path::new("/a")).then_some("a")
        };
        assert_eq!(nearest.get(Path::new("/a/b/c"), read, || "none"), "a");
        assert_eq!(reads.get(), 3);
        // /a/b was kept on the way: no directory is read again.
        assert_eq!(nearest.get(Path::new("/a/b"), read, || "none"), "a");
        assert_eq!(reads.get(), 3);
        // /x and / were never looked at: both are read.
        assert_eq!(nearest.get(Path::new("/x"), read, || "none"), "none");
        assert_eq!(reads.get(), 5);
    }
}
