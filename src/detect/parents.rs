//! Each node's parent, for the walks up from a node (is this read the left of an `or`,
//! inside a test function, a condition?).
//!
//! tree-sitter's `Node::parent` walks down from the root to the node each time: its
//! cost grows with the node's depth and the siblings on the way, so walking up from a
//! node 5,000 levels deep took 5,000 such walks (seconds), and asking it for each of n
//! nodes of a chain or a long module was quadratic. The links are built once, in one
//! walk of the tree, the first time they are needed.

use std::cell::{Cell, OnceCell};
use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use crate::stats::Work;

pub struct Parents<'t> {
    tree: &'t Tree,
    map: OnceCell<HashMap<usize, Node<'t>>>,
    lookups: Cell<u64>,
    /// Adds (links recorded, look-ups) to the `--stats` work counts of the language.
    count: fn(&mut Work, u64, u64),
}

impl<'t> Parents<'t> {
    pub fn new(tree: &'t Tree, count: fn(&mut Work, u64, u64)) -> Parents<'t> {
        Parents {
            tree,
            map: OnceCell::new(),
            lookups: Cell::new(0),
            count,
        }
    }

    /// The parent of `node` (a node of this tree), as `Node::parent` gives it.
    pub fn of(&self, node: Node<'_>) -> Option<Node<'t>> {
        self.lookups.set(self.lookups.get() + 1);
        let map = self.map.get_or_init(|| {
            let mut map = HashMap::new();
            let mut cursor = self.tree.walk();
            let mut stack = vec![self.tree.root_node()];
            while let Some(n) = stack.pop() {
                for child in n.children(&mut cursor) {
                    map.insert(child.id(), n);
                    stack.push(child);
                }
            }
            map
        });
        map.get(&node.id()).copied()
    }
}

impl Drop for Parents<'_> {
    fn drop(&mut self) {
        let links = self.map.get().map_or(0, |m| m.len() as u64);
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
        let text = "import os\ndef f(a, b=1):\n    return (os.getenv('A') or [b, {a: 2}])\n";
        let tree = parser.parse(text, None).unwrap();
        let parents = Parents::new(&tree, |_, _, _| {});
        let mut stack = vec![tree.root_node()];
        let mut seen = 0;
        while let Some(n) = stack.pop() {
            assert_eq!(parents.of(n), n.parent(), "{}", n.kind());
            seen += 1;
            let mut cursor = n.walk();
            stack.extend(n.children(&mut cursor));
        }
        assert!(seen > 30, "{seen}");
    }
}
