//! Each node's parent, for the walks up from a node (is this read the left of an `or`,
//! inside a test function, a condition?).
//!
//! tree-sitter's `Node::parent` walks down from the root to the node each time: its
//! cost grows with the node's depth and the siblings on the way, so walking up from a
//! node 5,000 levels deep took 5,000 such walks (seconds), and asking it for each of n
//! nodes of a chain or a long module was quadratic.
//!
//! Here one walk down from the root to a node keeps the whole way (root … node), so
//! walking up from it reads that path; only a node off the path is walked down to
//! again. Those walks are counted in steps (a child or a sibling visited); once they
//! have cost as much as the tree has nodes, every link is built in one walk of the tree
//! and used from then on. So a file costs at most about twice one walk of its tree, and
//! most files, with a few reads to look at, far less than one (building every link was
//! a tenth of a Python file's analysis).

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use crate::stats::Work;

/// Node ids are addresses: foldhash hashes them in a few instructions.
type Links<'t> = HashMap<usize, Node<'t>, foldhash::fast::RandomState>;

pub struct Parents<'t> {
    tree: &'t Tree,
    map: OnceCell<Links<'t>>,
    /// The last way down: the root, …, the node walked down to.
    path: RefCell<Vec<Node<'t>>>,
    /// Where on the path the next look-up is likely (the parent of the last one).
    hint: Cell<usize>,
    /// Children and siblings visited on the ways down.
    steps: Cell<u64>,
    lookups: Cell<u64>,
    /// Adds (links recorded and steps walked, look-ups) to the `--stats` work counts of
    /// the language.
    count: fn(&mut Work, u64, u64),
}

impl<'t> Parents<'t> {
    pub fn new(tree: &'t Tree, count: fn(&mut Work, u64, u64)) -> Parents<'t> {
        Parents {
            tree,
            map: OnceCell::new(),
            path: RefCell::new(Vec::new()),
            hint: Cell::new(0),
            steps: Cell::new(0),
            lookups: Cell::new(0),
            count,
        }
    }

    /// The parent of `node` (a node of this tree), as `Node::parent` gives it.
    pub fn of(&self, node: Node<'_>) -> Option<Node<'t>> {
        self.lookups.set(self.lookups.get() + 1);
        if let Some(map) = self.map.get() {
            return map.get(&node.id()).copied();
        }
        if let Some(parent) = self.on_path(node) {
            return parent;
        }
        let budget = self.tree.root_node().descendant_count() as u64;
        if self.steps.get() < budget && self.walk_down(node) {
            if let Some(parent) = self.on_path(node) {
                return parent;
            }
        }
        self.links().get(&node.id()).copied()
    }

    /// `Some(parent)` when `node` is on the last way down.
    fn on_path(&self, node: Node<'_>) -> Option<Option<Node<'t>>> {
        let path = self.path.borrow();
        let hint = self.hint.get();
        let at = if path.get(hint).is_some_and(|n| n.id() == node.id()) {
            hint
        } else {
            path.iter().rposition(|n| n.id() == node.id())?
        };
        self.hint.set(at.saturating_sub(1));
        Some(at.checked_sub(1).map(|i| path[i]))
    }

    /// Walks down from the root to `node`, keeping the way; false when no child holds
    /// it (an empty node where two siblings meet): the links are built then.
    fn walk_down(&self, node: Node<'_>) -> bool {
        let (start, end) = (node.start_byte(), node.end_byte());
        let mut path = self.path.borrow_mut();
        path.clear();
        let mut cursor = self.tree.walk();
        let mut steps = 0u64;
        // A node is found by its id, so a way found is the way; siblings overlap only
        // where an empty node sits between two of them, and a wrong turn there ends
        // in a leaf (then the links are built).
        let found = 'down: loop {
            let current = cursor.node();
            path.push(current);
            if current.id() == node.id() {
                break true;
            }
            if !cursor.goto_first_child() {
                break false;
            }
            loop {
                steps += 1;
                let child = cursor.node();
                if child.start_byte() <= start && end <= child.end_byte() {
                    break;
                }
                if child.start_byte() > start || !cursor.goto_next_sibling() {
                    break 'down false;
                }
            }
        };
        self.steps.set(self.steps.get() + steps);
        if !found {
            path.clear();
        }
        found
    }

    fn links(&self) -> &Links<'t> {
        self.map.get_or_init(|| {
            let nodes = self.tree.root_node().descendant_count();
            let mut map = Links::with_capacity_and_hasher(nodes, Default::default());
            let mut cursor = self.tree.walk();
            let mut stack = vec![self.tree.root_node()];
            while let Some(n) = stack.pop() {
                for child in n.children(&mut cursor) {
                    map.insert(child.id(), n);
                    stack.push(child);
                }
            }
            map
        })
    }
}

impl Drop for Parents<'_> {
    fn drop(&mut self) {
        let links = self.map.get().map_or(0, |m| m.len() as u64) + self.steps.get();
        let lookups = self.lookups.get();
        let count = self.count;
        crate::stats::work(|w| count(w, links, lookups));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_parents_as_tree_sitter() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let texts = [
            "import os\ndef f(a, b=1):\n    return (os.getenv('A') or [b, {a: 2}])\n",
            // Syntax errors: empty (missing) nodes where two siblings meet.
            "def f(:\n    x = os.environ['A'\nclass C(\n    y = [1, 2\nz = f'{a!r:>{w}}' + (\n",
            "",
        ];
        for text in texts {
            let tree = parser.parse(text, None).unwrap();
            // In the order of a walk down (the links are used after the budget), then
            // from the last node up, then in a second tree's reverse order.
            let mut nodes = Vec::new();
            let mut stack = vec![tree.root_node()];
            while let Some(n) = stack.pop() {
                nodes.push(n);
                let mut cursor = n.walk();
                stack.extend(n.children(&mut cursor));
            }
            let parents = Parents::new(&tree, |_, _, _| {});
            for &n in &nodes {
                assert_eq!(parents.of(n), n.parent(), "{} in {text:?}", n.kind());
            }
            let parents = Parents::new(&tree, |_, _, _| {});
            for &n in nodes.iter().rev() {
                assert_eq!(parents.of(n), n.parent(), "{} in {text:?}", n.kind());
            }
            let parents = Parents::new(&tree, |_, _, _| {});
            let mut up = nodes.last().copied();
            while let Some(n) = up {
                assert_eq!(parents.of(n), n.parent(), "{} in {text:?}", n.kind());
                up = n.parent();
            }
            assert!(text.is_empty() || nodes.len() > 30, "{}", nodes.len());
        }
    }
}
