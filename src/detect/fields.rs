//! A node's child by field name, with the field's id looked up once per language and
//! name: tree-sitter's `child_by_field_name` finds the id by comparing the name with
//! each of the language's field names (`strncmp`), on every call, and the front-ends
//! ask for fields at nearly every node they look at (2 % of a run went there). And a
//! node's kind from a table per language: `Node::kind` measures and checks the C
//! string of the name on every call (1.5 %).

use std::cell::RefCell;

use std::num::NonZeroU16 as FieldId;

use tree_sitter::{Language, Node};

/// What is known of one language: its field ids by name, as far as they were asked
/// for, and the name of each node kind by id.
struct Known {
    language: Language,
    ids: foldhash::HashMap<String, Option<FieldId>>,
    kinds: Vec<&'static str>,
}

thread_local! {
    /// Per language met on this thread (two or three).
    static KNOWN: RefCell<Vec<Known>> = const { RefCell::new(Vec::new()) };
}

/// `f` on what is known of `node`'s language.
fn with_known<T>(node: &Node, f: impl FnOnce(&mut Known) -> T) -> T {
    KNOWN.with(|known| {
        let mut known = known.borrow_mut();
        let language = node.language();
        let at = match known.iter().position(|k| k.language == *language) {
            Some(at) => at,
            None => {
                let kinds = (0..language.node_kind_count())
                    .map(|id| language.node_kind_for_id(id as u16).unwrap_or(""))
                    .collect();
                known.push(Known {
                    language: (*language).clone(),
                    ids: Default::default(),
                    kinds,
                });
                known.len() - 1
            }
        };
        f(&mut known[at])
    })
}

pub trait Field<'t> {
    /// The child in field `name`, as `child_by_field_name` gives it.
    fn field(&self, name: &str) -> Option<Node<'t>>;
    /// The node's kind, as `kind` gives it.
    fn kind_name(&self) -> &'static str;
}

impl<'t> Field<'t> for Node<'t> {
    fn kind_name(&self) -> &'static str {
        let id = usize::from(self.kind_id());
        with_known(self, |k| k.kinds.get(id).copied()).unwrap_or_else(|| self.kind())
    }

    fn field(&self, name: &str) -> Option<Node<'t>> {
        let id = with_known(self, |known| {
            let names = &mut known.ids;
            match names.get(name) {
                Some(&id) => id,
                None => {
                    let id = known.language.field_id_for_name(name);
                    names.insert(name.to_string(), id);
                    id
                }
            }
        })?;
        self.child_by_field_id(id.get())
    }
}

#[cfg(test)]
mod tests {
    use super::Field;

    #[test]
    fn the_same_children_as_child_by_field_name() {
        let mut python = tree_sitter::Parser::new();
        python
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let mut typescript = tree_sitter::Parser::new();
        typescript
            .set_language(&tree_sitter_typescript::LANGUAGE_TSX.into())
            .unwrap();
        let trees = [
            python.parse("def f(a, b=1):\n    return os.environ.get(a, b)\n", None),
            // Errors and missing nodes have kinds of their own.
            python.parse("def f(:\n    x = [1, 2\nclass\n", None),
            typescript.parse(
                "function f(a: string) { return process.env[a] ?? <b/>; }",
                None,
            ),
        ];
        let names = [
            "name",
            "body",
            "parameters",
            "function",
            "arguments",
            "object",
            "attribute",
            "property",
            "index",
            "left",
            "right",
            "value",
            "type",
            "no-such-field",
        ];
        let mut seen = 0;
        for tree in trees.iter().map(|t| t.as_ref().unwrap()) {
            let mut stack = vec![tree.root_node()];
            while let Some(n) = stack.pop() {
                for name in names {
                    assert_eq!(
                        n.field(name),
                        n.child_by_field_name(name),
                        "{} {name}",
                        n.kind()
                    );
                    seen += usize::from(n.field(name).is_some());
                }
                let mut cursor = n.walk();
                stack.extend(n.children(&mut cursor));
            }
        }
        assert!(seen > 10, "{seen}");
    }
}
