//! The environment variables a Python file writes (`Analysis::env_writes`), for the
//! hand-off pass: names set for a process the code starts (`env=` of `subprocess`,
//! `asyncio.create_subprocess_*`, the environment argument of `os.exec*e` and
//! `os.spawn*e`), names set in the running process's own environment
//! (`os.environ["X"] = v`, `setdefault`, `update`, `os.putenv`), and names tests set
//! (`monkeypatch.setenv` and `delenv`, `patch.dict(os.environ, …)`). Only literal names
//! count; other removals (`del`, `pop`, `unsetenv`) are no writes.

use crate::detect::fields::Field;
use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use super::{Walker, qualified, string_literal};
use crate::detect::parents::Parents;
use crate::detect::testcode::is_test_path;
use crate::detect::{EnvWrite, WriteKind};
use crate::rules::EnvRules;
use crate::source::SourceFile;

/// Functions that start a process with the mapping given as `env=` (the standard
/// library's `subprocess` and `asyncio` APIs).
const ENV_KEYWORD: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "asyncio.create_subprocess_exec",
    "asyncio.create_subprocess_shell",
];

/// `os` functions that take the new process's environment as a positional argument:
/// its index, or `None` for the last one (`os.execle(path, arg0, …, env)`).
const ENV_POSITIONAL: &[(&str, Option<usize>)] = &[
    ("execve", Some(2)),
    ("execvpe", Some(2)),
    ("execle", None),
    ("execlpe", None),
    ("spawnve", Some(3)),
    ("spawnvpe", Some(3)),
    ("spawnle", None),
    ("spawnlpe", None),
    ("posix_spawn", Some(2)),
    ("posix_spawnp", Some(2)),
];

/// Words one of which a file must contain for it to write a variable the way this
/// module finds: the `env` keyword argument is matched apart (`env=`).
pub const KEYWORDS: &[&str] = &[
    "environ",
    "putenv",
    "setenv",
    "execve",
    "execvpe",
    "execle",
    "execlpe",
    "spawnve",
    "spawnvpe",
    "spawnle",
    "spawnlpe",
    "posix_spawn",
    "posix_spawnp",
];

/// Whether `text` may hold a write this module finds: one of `KEYWORDS` as a whole
/// word, or `env` followed by `=` (a keyword argument, not `==`).
pub fn may_write(text: &str) -> bool {
    static WORDS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    // One pass for every keyword (and `env`, the last pattern).
    let words = WORDS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(KEYWORDS.iter().chain(&["env"]))
            .expect("plain words compile")
    });
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let whole = |start: usize, len: usize| {
        !start.checked_sub(1).is_some_and(|i| word(bytes[i]))
            && !bytes.get(start + len).copied().is_some_and(word)
    };
    // Leftmost-longest, not every overlapping match: a keyword that starts inside
    // another match is preceded by a word character, so it is not a whole word.
    words.find_iter(text).any(|m| {
        if !whole(m.start(), m.len()) {
            return false;
        }
        if m.pattern().as_usize() < KEYWORDS.len() {
            return true;
        }
        let rest = text[m.end()..].trim_start_matches([' ', '\t']);
        rest.starts_with('=') && !rest.starts_with("==")
    })
}

/// unittest.mock's `patch.dict` (also the `mock` backport).
const PATCH_DICT: &[&str] = &["unittest.mock.patch.dict", "mock.patch.dict"];

/// Methods of the environment mapping (or a copy of it) that set a variable.
const SET_METHODS: &[&str] = &["setdefault", "__setitem__"];

/// unittest and pytest set-up methods and functions (xunit style): test code.
const HOOKS: &[&str] = &[
    "setUp",
    "setUpClass",
    "setUpModule",
    "asyncSetUp",
    "setup_method",
    "setup_class",
    "setup_function",
    "setup_module",
];

/// The deepest mapping expression followed (`env = base; base = {…}`).
const MAX_HOPS: usize = 8;

/// Every write of a literal variable name in the file, in source order.
pub fn collect<'t>(
    walker: &Walker<'t, '_>,
    root: Node<'t>,
    file: &SourceFile,
    rules: &EnvRules,
) -> Vec<EnvWrite> {
    let mut c = Collector {
        walker,
        rules,
        root,
        test_file: is_test_path(&file.path),
        out: Vec::new(),
        seen: HashSet::new(),
        copies: Default::default(),
    };
    for &(node, scope) in &walker.candidates {
        match node.kind_name() {
            "subscript" => c.subscript_store(node, scope),
            "call" => c.call(node, scope),
            _ => {}
        }
    }
    c.out.sort_by_key(|w| w.span.start);
    c.out
}

struct Collector<'w, 't, 's> {
    walker: &'w Walker<'t, 's>,
    rules: &'w EnvRules,
    root: Node<'t>,
    test_file: bool,
    out: Vec<EnvWrite>,
    /// (name, start) of the writes already collected.
    seen: HashSet<(String, usize)>,
    /// Per body (node id) and the scope its variables are bound in: the variables
    /// assigned a copy of the environment there.
    copies: std::cell::RefCell<HashMap<(usize, usize), HashSet<String>>>,
}

impl<'t> Collector<'_, 't, '_> {
    fn text(&self, node: Node) -> &str {
        self.walker.text(node)
    }

    fn push(&mut self, name: String, at: Node, kind: WriteKind) {
        if name.is_empty() || !self.seen.insert((name.clone(), at.start_byte())) {
            return;
        }
        self.out.push(EnvWrite {
            name,
            span: at.byte_range(),
            kind,
        });
    }

    fn literal(&self, node: Option<Node>) -> Option<String> {
        node.and_then(|n| string_literal(n, self.walker.src))
            .map(|l| l.value)
    }

    /// `os.environ` (or `os.environb`) through imports and aliases.
    fn is_environ(&self, node: Node, scope: usize) -> bool {
        qualified(&self.walker.scopes, node, self.walker.src, scope)
            .is_some_and(|q| self.rules.subscripts.contains_key(&q))
    }

    /// A test writes it: a test file, or a test function, fixture or set-up hook.
    fn kind_at(&self, node: Node) -> WriteKind {
        if self.test_file || in_test_function(&self.walker.parents, node, self.walker.src) {
            WriteKind::Test
        } else {
            WriteKind::HandOff
        }
    }

    /// `os.environ["X"] = v` (and `+=`), or the same into a copy of it; not `del`.
    fn subscript_store(&mut self, node: Node<'t>, scope: usize) {
        if !self.walker.stores.contains(&node.id()) || in_delete(&self.walker.parents, node) {
            return;
        }
        let Some(value) = node.field("value") else {
            return;
        };
        if !self.is_environ(value, scope) && !self.is_environ_copy_var(value, scope) {
            return;
        }
        let key = node.field("subscript");
        if let (Some(name), Some(key)) = (self.literal(key), key) {
            let kind = self.kind_at(node);
            self.push(name, key, kind);
        }
    }

    fn call(&mut self, node: Node<'t>, scope: usize) {
        let Some(function) = node.field("function") else {
            return;
        };
        let Some(args) = node
            .field("arguments")
            .filter(|a| a.kind_name() == "argument_list")
        else {
            return;
        };
        let (positional, keywords) = arguments(args);
        let q = qualified(&self.walker.scopes, function, self.walker.src, scope);
        if let Some(q) = q.as_deref() {
            if PATCH_DICT.contains(&q) {
                return self.patch_dict(&positional, &keywords, scope);
            }
            // `env=` is how Python APIs that start a process take its environment
            // (subprocess, asyncio, anyio and trio's `run_process`, pexpect, invoke,
            // a project's own `run_process(cmd, env=…)`): a mapping of literal names
            // given as `env=` to any call is a hand-off.
            let env_arg = if ENV_KEYWORD.contains(&q) || !q.starts_with("os.") {
                keyword(&keywords, "env", self.walker.src)
            } else {
                q.strip_prefix("os.")
                    .and_then(|f| ENV_POSITIONAL.iter().find(|(n, _)| *n == f))
                    .and_then(|(_, index)| {
                        keyword(&keywords, "env", self.walker.src).or(match index {
                            Some(i) => positional.get(*i).copied(),
                            None => positional.last().copied().filter(|_| positional.len() > 2),
                        })
                    })
            };
            if let Some(env) = env_arg {
                let kind = self.kind_at(node);
                for (name, at) in self.mapping_keys(env, scope, node, 0) {
                    self.push(name, at, kind);
                }
                return;
            }
            if q == "os.putenv" {
                if let (Some(name), Some(at)) = (
                    self.literal(positional.first().copied()),
                    positional.first(),
                ) {
                    let kind = self.kind_at(node);
                    self.push(name, *at, kind);
                }
                return;
            }
        }
        if q.is_none()
            && let Some(env) = keyword(&keywords, "env", self.walker.src)
        {
            let kind = self.kind_at(node);
            for (name, at) in self.mapping_keys(env, scope, node, 0) {
                self.push(name, at, kind);
            }
            return;
        }
        if function.kind_name() != "attribute" {
            return;
        }
        let (Some(object), Some(method)) = (function.field("object"), function.field("attribute"))
        else {
            return;
        };
        let method = self.text(method);
        if self.is_environ(object, scope) || self.is_environ_copy_var(object, scope) {
            let kind = self.kind_at(node);
            for (name, at) in self.method_keys(method, &positional, &keywords, scope, node) {
                self.push(name, at, kind);
            }
            return;
        }
        // The method first: telling a fixture walks up to the test function.
        if object.kind_name() == "identifier"
            && matches!(method, "setenv" | "delenv" | "setitem")
            && self.is_fixture(object, "monkeypatch", node)
        {
            match method {
                // `monkeypatch.setenv("X", v)`; `delenv("X")` too: the test decides
                // that `X` is unset, which is as much its own setting.
                "setenv" | "delenv" => {
                    if let (Some(name), Some(at)) = (
                        self.literal(positional.first().copied()),
                        positional.first(),
                    ) {
                        self.push(name, *at, WriteKind::Test);
                    }
                }
                // `monkeypatch.setitem(os.environ, "X", v)`
                "setitem"
                    if positional
                        .first()
                        .is_some_and(|m| self.is_environ(*m, scope)) =>
                {
                    if let (Some(name), Some(at)) =
                        (self.literal(positional.get(1).copied()), positional.get(1))
                    {
                        self.push(name, *at, WriteKind::Test);
                    }
                }
                _ => {}
            }
            return;
        }
        // `mocker.patch.dict(os.environ, {…})` (pytest-mock).
        if method == "dict" {
            let patcher = object
                .field("object")
                .filter(|o| o.kind_name() == "identifier");
            let is_patch = object.kind_name() == "attribute"
                && object
                    .field("attribute")
                    .is_some_and(|a| self.text(a) == "patch");
            if patcher.is_some_and(|p| is_patch && self.is_fixture(p, "mocker", node)) {
                self.patch_dict(&positional, &keywords, scope);
            }
        }
    }

    /// `patch.dict(os.environ, {"X": v}, X=v)` or `patch.dict("os.environ", …)`.
    fn patch_dict(&mut self, positional: &[Node<'t>], keywords: &[Node<'t>], scope: usize) {
        let Some(&target) = positional.first() else {
            return;
        };
        let named = self
            .literal(Some(target))
            .is_some_and(|t| t == "os.environ");
        if !named && !self.is_environ(target, scope) {
            return;
        }
        let mut found = Vec::new();
        if let Some(&values) = positional.get(1) {
            found.extend(self.literal_mapping(values));
        }
        found.extend(keyword_names(
            keywords,
            self.walker.src,
            &["values", "clear"],
        ));
        for (name, at) in found {
            self.push(name, at, WriteKind::Test);
        }
    }

    /// The names a method of the environment (or a copy) sets: `setdefault("X", v)`,
    /// `__setitem__("X", v)`, `update({"X": v}, Y=w)`.
    fn method_keys(
        &self,
        method: &str,
        positional: &[Node<'t>],
        keywords: &[Node<'t>],
        scope: usize,
        call: Node<'t>,
    ) -> Vec<(String, Node<'t>)> {
        if SET_METHODS.contains(&method) {
            let first = positional.first().copied();
            return self.literal(first).zip(first).into_iter().collect();
        }
        if method != "update" {
            return Vec::new();
        }
        let mut out = Vec::new();
        if let Some(&m) = positional.first() {
            out.extend(self.mapping_keys(m, scope, call, 0));
        }
        out.extend(keyword_names(keywords, self.walker.src, &[]));
        out
    }

    /// The literal keys of a dict display: `{"X": v, **other}` → `X`.
    fn literal_mapping(&self, node: Node<'t>) -> Vec<(String, Node<'t>)> {
        let node = unparenthesize(node);
        if node.kind_name() != "dictionary" {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut cursor = node.walk();
        for pair in node.named_children(&mut cursor) {
            if pair.kind_name() == "dictionary_splat" {
                // `{**{"X": v}, **({"Y": w} if c else {})}`: the keys of displays spread
                // into this one.
                if let Some(inner) = pair.named_child(0) {
                    out.extend(self.spread_keys(inner));
                }
                continue;
            }
            if pair.kind_name() != "pair" {
                continue;
            }
            let key = pair.field("key");
            if let (Some(name), Some(key)) = (self.literal(key), key) {
                out.push((name, key));
            }
        }
        out
    }

    /// The keys of a dict display spread with `**`, through parentheses and both arms of
    /// a conditional expression.
    fn spread_keys(&self, node: Node<'t>) -> Vec<(String, Node<'t>)> {
        let node = unparenthesize(node);
        match node.kind_name() {
            "dictionary" => self.literal_mapping(node),
            "conditional_expression" => {
                let mut cursor = node.walk();
                let arms: Vec<Node> = node.named_children(&mut cursor).collect();
                // `a if cond else b`: the first and the last are the values.
                [arms.first(), arms.get(2)]
                    .into_iter()
                    .flatten()
                    .flat_map(|n| self.spread_keys(*n))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// The literal names a mapping expression given to a new process holds:
    /// `{**os.environ, "X": v}`, `dict(os.environ, X=v)`, `os.environ | {"X": v}`, or a
    /// local variable built from those and written into before `call`.
    fn mapping_keys(
        &self,
        node: Node<'t>,
        scope: usize,
        call: Node<'t>,
        hops: usize,
    ) -> Vec<(String, Node<'t>)> {
        if hops > MAX_HOPS {
            return Vec::new();
        }
        let node = unparenthesize(node);
        match node.kind_name() {
            "dictionary" => {
                let mut out = self.literal_mapping(node);
                // `{**os.environ, **server_env}`: what a local mapping spread in holds.
                let mut cursor = node.walk();
                for splat in node.named_children(&mut cursor) {
                    if splat.kind_name() != "dictionary_splat" {
                        continue;
                    }
                    if let Some(inner) = splat.named_child(0).map(unparenthesize)
                        && inner.kind_name() == "identifier"
                    {
                        out.extend(self.local_keys(inner, scope, call, hops + 1));
                    }
                }
                out
            }
            "call" if self.is_dict_builtin(node, scope) => {
                let Some(args) = node.field("arguments") else {
                    return Vec::new();
                };
                let (positional, keywords) = arguments(args);
                let mut out = Vec::new();
                if let Some(&first) = positional.first() {
                    out.extend(self.mapping_keys(first, scope, call, hops + 1));
                }
                out.extend(keyword_names(&keywords, self.walker.src, &[]));
                out
            }
            "binary_operator" if node.field("operator").is_some_and(|o| o.kind_name() == "|") => {
                let mut out = Vec::new();
                for side in ["left", "right"] {
                    if let Some(n) = node.field(side) {
                        out.extend(self.mapping_keys(n, scope, call, hops + 1));
                    }
                }
                out
            }
            "identifier" => self.local_keys(node, scope, call, hops),
            _ => Vec::new(),
        }
    }

    /// `dict(…)` where `dict` is the builtin.
    fn is_dict_builtin(&self, call: Node, scope: usize) -> bool {
        call.field("function").is_some_and(|f| {
            f.kind_name() == "identifier"
                && self.text(f) == "dict"
                && self
                    .walker
                    .scopes
                    .resolve("dict", scope, f.start_byte())
                    .is_none()
        })
    }

    /// The body a local name is bound in, and whether that is the body `at` is in.
    fn binding_body(&self, name: Node<'t>, scope: usize, at: Node<'t>) -> Option<(Node<'t>, bool)> {
        let binding = self
            .walker
            .scopes
            .resolve(self.text(name), scope, name.start_byte())?;
        if binding.import.is_some() {
            return None;
        }
        let bound = self
            .root
            .descendant_for_byte_range(binding.pos, binding.pos)?;
        let body = enclosing_body(self.root, bound).unwrap_or(self.root);
        let same = enclosing_body(self.root, at).unwrap_or(self.root) == body;
        Some((body, same))
    }

    /// What a local mapping variable holds when `call` passes it on: the keys of what
    /// it was assigned, and the names set into it (`env["X"] = v`, `env.update(…)`)
    /// before the call (anywhere, when it is bound in an enclosing body).
    fn local_keys(
        &self,
        name: Node<'t>,
        scope: usize,
        call: Node<'t>,
        hops: usize,
    ) -> Vec<(String, Node<'t>)> {
        let Some((body, same)) = self.binding_body(name, scope, call) else {
            return Vec::new();
        };
        let wanted = self.text(name);
        let limit = if same { call.start_byte() } else { usize::MAX };
        let mut out = Vec::new();
        each_in_body(body, &mut |n| {
            if n.start_byte() >= limit {
                return;
            }
            match n.kind_name() {
                "assignment" | "augmented_assignment" => {
                    let (Some(left), Some(right)) = (n.field("left"), n.field("right")) else {
                        return;
                    };
                    if left.kind_name() == "identifier" && self.text(left) == wanted {
                        out.extend(self.mapping_keys(right, scope, call, hops + 1));
                    } else if left.kind_name() == "subscript"
                        && left.field("value").is_some_and(|v| {
                            v.kind_name() == "identifier" && self.text(v) == wanted
                        })
                    {
                        let key = left.field("subscript");
                        if let (Some(k), Some(key)) = (self.literal(key), key) {
                            out.push((k, key));
                        }
                    }
                }
                "call" => {
                    let Some(function) =
                        n.field("function").filter(|f| f.kind_name() == "attribute")
                    else {
                        return;
                    };
                    let receiver = function.field("object");
                    if !receiver
                        .is_some_and(|r| r.kind_name() == "identifier" && self.text(r) == wanted)
                    {
                        return;
                    }
                    let (Some(method), Some(args)) =
                        (function.field("attribute"), n.field("arguments"))
                    else {
                        return;
                    };
                    let (positional, keywords) = arguments(args);
                    out.extend(self.method_keys(
                        self.text(method),
                        &positional,
                        &keywords,
                        scope,
                        n,
                    ));
                }
                _ => {}
            }
        });
        out
    }

    /// A local variable assigned a copy of the environment (`os.environ.copy()`,
    /// `dict(os.environ)`, `{**os.environ}`, `copy.copy(os.environ)`): what is set into
    /// it is meant for a process the code starts.
    fn is_environ_copy_var(&self, node: Node<'t>, scope: usize) -> bool {
        if node.kind_name() != "identifier" {
            return false;
        }
        let wanted = self.text(node);
        let Some((bound_in, binding)) =
            self.walker
                .scopes
                .resolve_scoped(wanted, scope, node.start_byte())
        else {
            return false;
        };
        if binding.import.is_some() {
            return false;
        }
        let Some(bound) = self
            .root
            .descendant_for_byte_range(binding.pos, binding.pos)
        else {
            return false;
        };
        let body = enclosing_body(self.root, bound).unwrap_or(self.root);
        let key = (body.id(), bound_in);
        if let Some(names) = self.copies.borrow().get(&key) {
            return names.contains(wanted);
        }
        // One walk of a body per body, not one per use of a variable bound in it (a
        // module's every `client.get(…)` walked the whole module). What is assigned is
        // read in the scope the variable is bound in.
        let mut names = HashSet::new();
        each_in_body(body, &mut |n| {
            if n.kind_name() != "assignment" {
                return;
            }
            let (Some(left), Some(right)) = (n.field("left"), n.field("right")) else {
                return;
            };
            if left.kind_name() == "identifier" && self.is_environ_copy(right, bound_in) {
                names.insert(self.text(left).to_string());
            }
        });
        let found = names.contains(wanted);
        self.copies.borrow_mut().insert(key, names);
        found
    }

    fn is_environ_copy(&self, node: Node<'t>, scope: usize) -> bool {
        let node = unparenthesize(node);
        match node.kind_name() {
            "call" => {
                let Some(function) = node.field("function") else {
                    return false;
                };
                let first = node
                    .field("arguments")
                    .and_then(|a| arguments(a).0.first().copied());
                let q = qualified(&self.walker.scopes, function, self.walker.src, scope);
                match q.as_deref() {
                    Some("copy.copy" | "copy.deepcopy") => {
                        first.is_some_and(|f| self.is_environ(f, scope))
                    }
                    Some(q) => q
                        .strip_suffix(".copy")
                        .is_some_and(|m| self.rules.subscripts.contains_key(m)),
                    None => {
                        self.is_dict_builtin(node, scope)
                            && first.is_some_and(|f| self.is_environ(f, scope))
                    }
                }
            }
            "dictionary" => {
                let mut cursor = node.walk();
                let splats: Vec<Node> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind_name() == "dictionary_splat")
                    .collect();
                splats
                    .iter()
                    .any(|s| s.named_child(0).is_some_and(|m| self.is_environ(m, scope)))
            }
            "binary_operator" => node
                .field("left")
                .is_some_and(|l| self.is_environ(l, scope) || self.is_environ_copy(l, scope)),
            _ => false,
        }
    }

    /// A receiver that is pytest's fixture `fixture` (`monkeypatch`, `mocker`): the name
    /// itself, or a parameter of the test function or fixture it is used in.
    fn is_fixture(&self, receiver: Node, fixture: &str, at: Node) -> bool {
        let name = self.text(receiver);
        if name == fixture {
            return true;
        }
        let mut current = self.walker.parents.of(at);
        while let Some(n) = current {
            if n.kind_name() == "function_definition" && is_test_function(n, self.walker.src) {
                return n.field("parameters").is_some_and(|p| {
                    let mut cursor = p.walk();
                    p.named_children(&mut cursor)
                        .any(|param| parameter_name(param, self.walker.src) == Some(name))
                });
            }
            current = self.walker.parents.of(n);
        }
        false
    }
}

/// Positional and keyword arguments of an argument list (comments and splats aside).
fn arguments(args: Node) -> (Vec<Node>, Vec<Node>) {
    let mut positional = Vec::new();
    let mut keywords = Vec::new();
    let mut cursor = args.walk();
    for arg in args.named_children(&mut cursor) {
        match arg.kind_name() {
            "comment" | "list_splat" | "dictionary_splat" => {}
            "keyword_argument" => keywords.push(arg),
            _ => positional.push(arg),
        }
    }
    (positional, keywords)
}

/// The value of keyword argument `name`.
fn keyword<'t>(keywords: &[Node<'t>], name: &str, src: &str) -> Option<Node<'t>> {
    keywords.iter().find_map(|k| {
        let n = k.field("name")?;
        (&src[n.byte_range()] == name)
            .then(|| k.field("value"))
            .flatten()
    })
}

/// The keyword names of a call that set variables (`dict(X=v)`), except `skip`.
fn keyword_names<'t>(keywords: &[Node<'t>], src: &str, skip: &[&str]) -> Vec<(String, Node<'t>)> {
    keywords
        .iter()
        .filter_map(|k| {
            let n = k.field("name")?;
            let name = &src[n.byte_range()];
            (!skip.contains(&name)).then(|| (name.to_string(), n))
        })
        .collect()
}

fn unparenthesize(mut node: Node) -> Node {
    while node.kind_name() == "parenthesized_expression" {
        match node.named_child(0) {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// Inside a `del` statement.
pub(super) fn in_delete<'t>(parents: &Parents<'t>, node: Node<'_>) -> bool {
    let mut current = parents.of(node);
    while let Some(n) = current {
        match n.kind_name() {
            "delete_statement" => return true,
            "expression_statement" | "block" | "module" => return false,
            _ => current = parents.of(n),
        }
    }
    false
}

/// The body of the function `node` is in (`None` at module level), found on the way
/// down from `root` (one child per level): the parent links (a walk of the whole tree)
/// were most of the cost of telling whether a variable holds a copy of the environment.
fn enclosing_body<'t>(root: Node<'t>, node: Node<'_>) -> Option<Node<'t>> {
    let mut cursor = root.walk();
    let mut body = None;
    while cursor.node().id() != node.id() {
        let n = cursor.node();
        if n.kind_name() == "function_definition" {
            body = n.field("body");
        }
        if cursor
            .goto_first_child_for_byte(node.start_byte())
            .is_none()
        {
            break;
        }
    }
    body
}

/// Calls `f` on every node of `body` outside nested functions, classes and lambdas.
fn each_in_body<'t>(body: Node<'t>, f: &mut impl FnMut(Node<'t>)) {
    let mut stack = vec![body];
    let mut walked = 0;
    // One cursor for the walk (each node's children reset it): a cursor per node was a
    // heap allocation per node.
    let mut cursor = body.walk();
    while let Some(n) = stack.pop() {
        walked += 1;
        f(n);
        for child in n.named_children(&mut cursor) {
            if !matches!(
                child.kind_name(),
                "function_definition" | "class_definition" | "lambda"
            ) {
                stack.push(child);
            }
        }
    }
    crate::stats::work(|w| w.python_body_nodes += walked);
}

/// Inside a test function, a pytest fixture or a set-up hook (or a function nested in
/// one).
fn in_test_function<'t>(parents: &Parents<'t>, node: Node<'_>, src: &str) -> bool {
    let mut current = parents.of(node);
    while let Some(n) = current {
        if n.kind_name() == "function_definition" && is_test_function(n, src) {
            return true;
        }
        current = parents.of(n);
    }
    false
}

/// A function pytest or unittest runs as a test (`test*`), a fixture (decorated with
/// `@pytest.fixture`, `@fixture(…)`, `@pytest_asyncio.fixture`), or a set-up hook.
fn is_test_function(def: Node, src: &str) -> bool {
    let Some(name) = def.field("name") else {
        return false;
    };
    let name = &src[name.byte_range()];
    if name.starts_with("test") || HOOKS.contains(&name) {
        return true;
    }
    let Some(decorated) = def
        .parent()
        .filter(|p| p.kind_name() == "decorated_definition")
    else {
        return false;
    };
    let mut cursor = decorated.walk();
    let decorators: Vec<Node> = decorated
        .named_children(&mut cursor)
        .filter(|d| d.kind_name() == "decorator")
        .collect();
    decorators.into_iter().any(|d| {
        let Some(mut expr) = d.named_child(0) else {
            return false;
        };
        if expr.kind_name() == "call" {
            match expr.field("function") {
                Some(f) => expr = f,
                None => return false,
            }
        }
        let last = match expr.kind_name() {
            "attribute" => expr.field("attribute"),
            "identifier" => Some(expr),
            _ => None,
        };
        last.is_some_and(|l| &src[l.byte_range()] == "fixture")
    })
}

/// The name a parameter binds (`x`, `x: T`, `x=d`).
fn parameter_name<'s>(param: Node, src: &'s str) -> Option<&'s str> {
    let node = match param.kind_name() {
        "identifier" => param,
        "default_parameter" | "typed_default_parameter" => param.field("name")?,
        "typed_parameter" => param
            .named_child(0)
            .filter(|n| n.kind_name() == "identifier")?,
        _ => return None,
    };
    Some(&src[node.byte_range()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Language;
    use crate::{Config, Context};

    fn writes(path: &str, code: &str) -> Vec<(String, WriteKind)> {
        let ctx = Context::new(Config::default());
        let file = SourceFile::new(path.into(), Language::Python, code.to_string());
        crate::detect::python::analyze(&file, &ctx)
            .env_writes
            .into_iter()
            .map(|w| (w.name, w.kind))
            .collect()
    }

    fn names(path: &str, code: &str, kind: WriteKind) -> Vec<String> {
        let found = writes(path, code);
        assert!(found.iter().all(|(_, k)| *k == kind), "{found:?}");
        found.into_iter().map(|(n, _)| n).collect()
    }

    const HAND_OFF: WriteKind = WriteKind::HandOff;
    const TEST: WriteKind = WriteKind::Test;

    #[test]
    fn own_environment_writes_through_aliases() {
        let code = r#"
import os as o
from os import environ as E, putenv

o.environ["A"] = "1"
E["B"] += ":x"
o.environ.setdefault("C", "c")
E.update({"D": "d"}, F="f")
putenv("G", "g")
env = o.environ
env["H"] = "h"
"#;
        assert_eq!(
            names("app/boot.py", code, HAND_OFF),
            ["A", "B", "C", "D", "F", "G", "H"]
        );
    }

    #[test]
    fn mappings_given_to_child_processes() {
        let code = r#"
import asyncio
import os
import subprocess as sp
from subprocess import Popen

sp.run(cmd, env={**os.environ, "RUN_ID": run_id}, check=True)
Popen(cmd, env=dict(os.environ, WORKER="1"))
sp.check_output(cmd, env=os.environ | {"MODE": "batch"})
asyncio.create_subprocess_exec("x", env={"PARENT_PID": str(os.getpid())})
os.execve(path, argv, {"EXEC_A": "1"})
os.execle(path, "x", "y", {"EXEC_B": "1"})
os.spawnve(os.P_WAIT, path, argv, {"SPAWN_C": "1"})
await anyio.run_process(cmd, env={"ANYIO_D": "1"})
server_env = {"SPREAD_G": "1"}
sp.Popen(cmd, env={**os.environ, **server_env})
self.runner.start(cmd, env={**{"NESTED_E": "1"}, **({"MAYBE_F": x} if x else {})})
"#;
        assert_eq!(
            names("app/run.py", code, HAND_OFF),
            [
                "RUN_ID",
                "WORKER",
                "MODE",
                "PARENT_PID",
                "EXEC_A",
                "EXEC_B",
                "SPAWN_C",
                "ANYIO_D",
                "SPREAD_G",
                "NESTED_E",
                "MAYBE_F"
            ]
        );
    }

    #[test]
    fn a_mapping_built_in_a_variable_before_the_call() {
        let code = r#"
import os
import subprocess


def launch(cmd):
    env = os.environ.copy()
    env["CHILD_TOKEN"] = "t"
    env.update(CHILD_MODE="m")
    extra = {"CHILD_EXTRA": "1"}
    subprocess.Popen(cmd, env={**env, **extra})
    subprocess.Popen(cmd, env=env)
    env["AFTER_CALL"] = "1"


def other(cmd, env):
    subprocess.run(cmd, env=env)
"#;
        // A copy of os.environ is there to be handed on: what is set into it counts
        // even after the call; a local mapping spread in (`**extra`) is followed.
        assert_eq!(
            names("app/launch.py", code, HAND_OFF),
            ["CHILD_TOKEN", "CHILD_MODE", "CHILD_EXTRA", "AFTER_CALL"]
        );
        let plain = r#"
import subprocess

def launch(cmd):
    env = {"PLAIN_A": "1"}
    env["PLAIN_B"] = "2"
    subprocess.run(cmd, env=env)
    env["PLAIN_LATE"] = "3"
    cache = {}
    cache["NOT_ENV"] = 1
"#;
        assert_eq!(
            names("app/launch.py", plain, HAND_OFF),
            ["PLAIN_A", "PLAIN_B"]
        );
    }

    #[test]
    fn test_code_writes_are_test_writes() {
        let code = r#"
import os
from unittest import mock

import pytest


@pytest.fixture(autouse=True)
def env_setup(monkeypatch):
    monkeypatch.setenv("FIXTURE_VAR", "1")
    os.environ["FIXTURE_DIRECT"] = "1"


def test_flag(mp):
    mp.setenv("PARAM_FIXTURE", "1")
    mp.delenv("DELENV_VAR", raising=False)
    monkeypatch.setitem(os.environ, "SETITEM_VAR", "1")


@mock.patch.dict(os.environ, {"DECORATED": "1"})
def test_decorated():
    with mock.patch.dict("os.environ", {"STRING_TARGET": "1"}, clear=True):
        pass


def test_mocker(mocker):
    mocker.patch.dict(os.environ, KW_VAR="1")


class TestX:
    def setup_method(self):
        os.environ["HOOK_VAR"] = "1"
"#;
        assert_eq!(
            names("app/checks.py", code, TEST),
            [
                "FIXTURE_VAR",
                "FIXTURE_DIRECT",
                "PARAM_FIXTURE",
                "DELENV_VAR",
                "SETITEM_VAR",
                "DECORATED",
                "STRING_TARGET",
                "KW_VAR",
                "HOOK_VAR"
            ]
        );
        // In a test file every write is the test's, child process mappings too.
        let child = "import os, subprocess\nsubprocess.run(c, env={\"CHILD\": \"1\"})\nos.getenv(\"CHILD\")\n";
        assert_eq!(names("tests/test_cli.py", child, TEST), ["CHILD"]);
        // Such writes explain the reads of their own file alone: without one, the file
        // is not even parsed.
        let no_read = "import subprocess\nsubprocess.run(c, env={\"CHILD\": \"1\"})\n";
        assert!(names("tests/test_cli.py", no_read, TEST).is_empty());
        assert_eq!(names("app/cli.py", no_read, HAND_OFF), ["CHILD"]);
    }

    #[test]
    fn enclosing_body_is_the_innermost_function_above() {
        let text = "x = 1\ndef f(a):\n    y = [a for a in b]\n    class C:\n        def g(self):\n            return os.environ.copy()\n    return lambda: y\n";
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let tree = parser.parse(text, None).unwrap();
        let parents = Parents::new(&tree, |_, _, _| {});
        // What walking up the parent links gives.
        let up = |node: Node| {
            let mut current = parents.of(node);
            while let Some(n) = current {
                if n.kind_name() == "function_definition" {
                    return n.field("body");
                }
                current = parents.of(n);
            }
            None
        };
        let mut stack = vec![tree.root_node()];
        let mut seen = 0;
        while let Some(n) = stack.pop() {
            assert_eq!(
                enclosing_body(tree.root_node(), n),
                up(n),
                "{} at {}",
                n.kind_name(),
                n.start_byte()
            );
            seen += 1;
            let mut cursor = n.walk();
            stack.extend(n.children(&mut cursor));
        }
        assert!(seen > 50, "{seen}");
    }

    #[test]
    fn not_writes() {
        let code = r#"
import os
import subprocess

name = "X"
os.environ[name] = "1"
os.environ[f"{name}_URL"] = "u"
del os.environ["REMOVED"]
os.environ.pop("POPPED", None)
os.unsetenv("UNSET")
settings = {}
settings["NOT_ENV"] = 1
settings.update({"NOT_ENV_EITHER": 1})
subprocess.run(cmd, env=make_env())
render(template, env="production")
print('os.environ["IN_STRING"] = 1')
# os.environ["IN_COMMENT"] = 1


def app(environ):
    environ["WSGI_KEY"] = 1


def helper(patcher):
    patcher.setenv("NOT_A_FIXTURE", "1")
"#;
        assert_eq!(writes("app/main.py", code), []);
    }

    #[test]
    fn prefilter_lets_writes_through() {
        // No `environ`, `getenv`: only the `env=` keyword argument.
        let code = "import subprocess\nsubprocess.run(c, env={\"ONLY_KW\": \"1\"})\n";
        assert_eq!(names("app/x.py", code, HAND_OFF), ["ONLY_KW"]);
        assert!(may_write("f(env = {})"));
        assert!(may_write("monkeypatch.setenv('A', '1')"));
        assert!(!may_write("if env == 1: environment = 2\nmyenv = 3\n"));
    }
}
