//! A node's child by field name, with the field's id looked up once per language and
//! name: tree-sitter's `child_by_field_name` finds the id by comparing the name with
//! each of the language's field names (`strncmp`), on every call, and the front-ends
//! ask for fields at nearly every node they look at (2 % of a run went there).

use std::cell::RefCell;

use std::num::NonZeroU16 as FieldId;

use tree_sitter::{Language, Node};

/// A language's field ids by name, as far as they were asked for.
type Ids = foldhash::HashMap<String, Option<FieldId>>;

thread_local! {
    /// Per language met on this thread (two or three).
    static IDS: RefCell<Vec<(Language, Ids)>> = const { RefCell::new(Vec::new()) };
}

pub trait Field<'t> {
    /// The child in field `name`, as `child_by_field_name` gives it.
    fn field(&self, name: &str) -> Option<Node<'t>>;
}

impl<'t> Field<'t> for Node<'t> {
    fn field(&self, name: &str) -> Option<Node<'t>> {
        let id = IDS.with(|ids| {
            let mut ids = ids.borrow_mut();
            let language = self.language();
            let at = match ids.iter().position(|(l, _)| *l == *language) {
                Some(at) => at,
                None => {
                    ids.push(((*language).clone(), Default::default()));
                    ids.len() - 1
                }
            };
            let names = &mut ids[at].1;
            match names.get(name) {
                Some(&id) => id,
                None => {
                    let id = language.field_id_for_name(name);
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
