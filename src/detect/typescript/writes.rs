//! The environment variables a TypeScript or JavaScript file writes (for the hand-off
//! pass, `crate::detect::handoff`): assignments to `process.env`, `Object.assign(
//! process.env, …)`, `Deno.env.set`, the `env` objects handed to the processes and
//! workers it starts (`child_process`, execa, cross-spawn, `worker_threads`' `Worker`,
//! `Deno.Command`, `Bun.spawn`), and the test helpers that set variables for a test
//! (`vi.stubEnv`, `jest.replaceProperty(process, "env", …)`). Only literal names count:
//! a computed name is no write of a known name.

use crate::detect::fields::Field;
use std::collections::HashSet;
use std::ops::Range;

use tree_sitter::Node;

use super::{Walker, property_name, string_value, unwrap_expression};

/// Objects whose properties are the running process's environment, as written to.
const HOLDERS: &[&str] = &["process.env", "Bun.env", "import.meta.env"];
/// Test runners' functions whose callbacks are test code: Jest's and Vitest's globals,
/// Mocha's BDD and TDD interfaces, `node:test`, `bun:test`, Playwright's `test`.
const TEST_FUNCTIONS: &[&str] = &[
    "describe",
    "fdescribe",
    "xdescribe",
    "suite",
    "it",
    "fit",
    "xit",
    "test",
    "xtest",
    "beforeEach",
    "beforeAll",
    "afterEach",
    "afterAll",
    "before",
    "after",
];
/// Modules that export those functions (`node:test` is `test` once normalized).
pub(super) const TEST_MODULES: &[&str] = &[
    "vitest",
    "@jest/globals",
    "test",
    "bun:test",
    "mocha",
    "@playwright/test",
];
/// How deep an `env` object is followed through consts and spreads.
const MAX_FOLLOW: usize = 8;

/// A write of one variable, before the file's test paths decide its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RawWrite {
    pub name: String,
    pub span: Range<usize>,
    /// Inside a test's or a hook's callback, or made by a test helper (`vi.stubEnv`).
    pub test: bool,
}

/// What the pass found.
#[derive(Debug, Default)]
pub(super) struct Written {
    pub writes: Vec<RawWrite>,
    /// Variables removed (`Deno.env.delete("X")`, `Reflect.deleteProperty(process.env,
    /// "X")`): not a hand-off, but a rewrite of their reads may change behaviour.
    pub removed: Vec<String>,
    /// The file replaces or updates the environment with names it does not spell out
    /// (`process.env = loadEnv()`, `Object.assign(process.env, parsed)`).
    pub bulk: bool,
    /// Assignment targets (`process.env.X` in `process.env.X = v`) the writes cover.
    pub assigned: HashSet<usize>,
}

/// Whether `q` (a qualified callee) starts a process or a worker that takes an `env`
/// option: Node's `child_process` (spawn, exec, execFile, fork and their `Sync` forms),
/// execa, cross-spawn, `worker_threads`' `Worker`, `Deno.Command` / `Deno.run`,
/// `Bun.spawn` / `Bun.spawnSync`.
pub(super) fn is_spawner(q: &str) -> bool {
    let (module, rest) = q.split_once('.').unwrap_or((q, ""));
    // `import cp from "child_process"` gives `child_process.default.spawn`.
    let rest = rest.strip_prefix("default.").unwrap_or(rest);
    match module {
        "child_process" => matches!(
            rest,
            "spawn" | "spawnSync" | "exec" | "execSync" | "execFile" | "execFileSync" | "fork"
        ),
        "worker_threads" => rest == "Worker",
        // `execa(file, args, options)` (a default export before v6), `execaNode`, `$`.
        "execa" => matches!(
            rest,
            "" | "default"
                | "execa"
                | "execaSync"
                | "execaNode"
                | "execaCommand"
                | "execaCommandSync"
                | "$"
                | "sync"
                | "node"
                | "command"
                | "commandSync"
        ),
        "cross-spawn" => matches!(rest, "" | "default" | "sync"),
        "Deno" => matches!(rest, "Command" | "run"),
        "Bun" => matches!(rest, "spawn" | "spawnSync"),
        _ => false,
    }
}

impl<'t> Walker<'t, '_> {
    /// The writes of the whole file; run once after the walk.
    pub(super) fn env_writes(&self) -> Written {
        let mut out = Written::default();
        for &(node, scope) in &self.assigns {
            self.assignment(node, scope, &mut out);
        }
        for &(node, scope) in &self.candidates {
            if node.kind_name() == "call_expression" {
                self.call(node, scope, &mut out);
            }
        }
        for &(node, scope) in &self.news {
            let spawns = node
                .field("constructor")
                .and_then(|c| self.callee_name(c, scope, 0))
                .is_some_and(|q| is_spawner(&q));
            if spawns {
                self.spawn(node, scope, &mut out);
            }
        }
        // In the file's order, each once (a const `env` may serve two calls).
        out.writes.sort_by_key(|w| (w.span.start, w.span.end));
        let mut seen = HashSet::new();
        out.writes
            .retain(|w| seen.insert((w.name.clone(), w.span.clone())));
        out
    }

    /// Whether `node` stands for the environment (`process.env`, `env` imported from
    /// "node:process", `Bun.env`).
    fn is_holder(&self, node: Node, scope: usize) -> bool {
        self.qualified(node, scope)
            .is_some_and(|q| HOLDERS.contains(&q.as_str()))
    }

    fn push(&self, out: &mut Written, name: String, span: Range<usize>, scope: usize, test: bool) {
        if name.is_empty() {
            return;
        }
        let test = test || self.in_test_block(span.start, scope);
        out.writes.push(RawWrite { name, span, test });
    }

    /// `process.env.X = v`, `process.env["X"] ??= v`, `process.env = { ...process.env, X: v }`.
    fn assignment(&self, node: Node<'t>, scope: usize, out: &mut Written) {
        let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
            return;
        };
        let left = unwrap_expression(left);
        let name = match left.kind_name() {
            "member_expression" => left
                .field("property")
                .filter(|p| p.kind_name() == "property_identifier")
                .map(|p| self.text(p).to_string()),
            "subscript_expression" => left
                .field("index")
                .and_then(|i| string_value(i, self.src))
                .map(|(v, _)| v),
            _ => None,
        };
        let object = left.field("object");
        if object.is_some_and(|o| self.is_holder(o, scope)) {
            if let Some(name) = name {
                out.assigned.insert(left.id());
                self.push(out, name, left.byte_range(), scope, false);
            }
            return;
        }
        let replaced = self.qualified(left, scope);
        if replaced.as_deref().is_some_and(|q| HOLDERS.contains(&q)) {
            // The new environment: its literal names are written; anything else in it
            // is a bulk update.
            if !self.env_keys(right, scope, out, false, 0) {
                out.bulk = true;
            }
        } else if replaced.is_some_and(|q| q.ends_with(".env")) {
            out.bulk = true;
        }
    }

    /// Writes made by calls: `Object.assign(process.env, …)`, `Reflect.set`,
    /// `Deno.env.set`, test helpers, and the `env` option of a process started.
    fn call(&self, node: Node<'t>, scope: usize, out: &mut Written) {
        let Some(function) = node.field("function") else {
            return;
        };
        let args = self.args(node);
        let callee = self.text(function);
        let first_is_env = args.first().is_some_and(|a| self.is_holder(*a, scope));
        let global = |name: &str| {
            self.scopes
                .resolve(name, scope, node.start_byte())
                .is_none()
        };
        match callee {
            "Object.assign" if first_is_env && global("Object") => {
                for arg in &args[1..] {
                    if !self.env_keys(*arg, scope, out, false, 0) {
                        out.bulk = true;
                    }
                }
                return;
            }
            "Reflect.set" if first_is_env && global("Reflect") => {
                match args.get(1).and_then(|k| string_value(*k, self.src)) {
                    Some((name, _)) => self.push(out, name, node.byte_range(), scope, false),
                    None => out.bulk = true,
                }
                return;
            }
            "Reflect.deleteProperty" if first_is_env && global("Reflect") => {
                match args.get(1).and_then(|k| string_value(*k, self.src)) {
                    Some((name, _)) => out.removed.push(name),
                    None => out.bulk = true,
                }
                return;
            }
            "Object.defineProperty" if first_is_env && global("Object") => {
                out.bulk = true;
                return;
            }
            _ => {}
        }
        // `vi.stubEnv("X", v)` (Vitest) sets a variable for the test that calls it.
        if callee.ends_with("stubEnv") {
            if let Some((name, _)) = args.first().and_then(|k| string_value(*k, self.src)) {
                self.push(out, name, node.byte_range(), scope, true);
            }
            return;
        }
        // `jest.replaceProperty(process, "env", { ...process.env, X: v })` (Jest 29.4).
        if callee == "jest.replaceProperty" && args.len() == 3 {
            let on_env = self.qualified(args[0], scope).as_deref() == Some("process")
                && string_value(args[1], self.src).is_some_and(|(k, _)| k == "env");
            if on_env {
                self.env_keys(args[2], scope, out, true, 0);
            }
            return;
        }
        let q = self.callee_name(function, scope, 0);
        match q.as_deref() {
            Some("Deno.env.set") => {
                if let Some((name, _)) = args.first().and_then(|k| string_value(*k, self.src)) {
                    self.push(out, name, node.byte_range(), scope, false);
                }
            }
            Some("Deno.env.delete") => {
                if let Some((name, _)) = args.first().and_then(|k| string_value(*k, self.src)) {
                    out.removed.push(name);
                }
            }
            Some(q) if is_spawner(q) => self.spawn(node, scope, out),
            _ => {}
        }
    }

    /// The arguments of a call or `new`, comments left out.
    pub(super) fn args(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let Some(args) = node.field("arguments") else {
            return Vec::new();
        };
        let mut cursor = args.walk();
        args.named_children(&mut cursor)
            .filter(|a| a.kind_name() != "comment")
            .collect()
    }

    /// What a callee stands for, also through `require("m").f` and a const holding a
    /// promisified function (`const run = promisify(exec)`).
    fn callee_name(&self, callee: Node<'t>, scope: usize, depth: usize) -> Option<String> {
        let callee = unwrap_expression(callee);
        if depth > MAX_FOLLOW {
            return None;
        }
        if callee.kind_name() == "member_expression" {
            let object = unwrap_expression(callee.field("object")?);
            let property = callee.field("property")?;
            if let Some(module) = self.required(object) {
                return Some(format!("{module}.{}", self.text(property)));
            }
        }
        if callee.kind_name() == "identifier" {
            if let Some(value) = self.const_value(self.text(callee), scope, callee.start_byte()) {
                let value = unwrap_expression(value);
                if value.kind_name() == "call_expression" {
                    let f = value.field("function")?;
                    let wraps = matches!(self.text(f), "promisify" | "util.promisify")
                        || self
                            .qualified(f, scope)
                            .is_some_and(|q| q == "util.promisify");
                    if wraps {
                        let inner = *self.args(value).first()?;
                        return self.callee_name(inner, scope, depth + 1);
                    }
                }
            }
        }
        self.qualified(callee, scope)
    }

    /// `require("m")`: the module, normalized.
    fn required(&self, node: Node) -> Option<String> {
        if node.kind_name() != "call_expression" {
            return None;
        }
        let function = node.field("function")?;
        if self.text(function) != "require" {
            return None;
        }
        let module = node
            .field("arguments")?
            .named_child(0)
            .and_then(|a| string_value(a, self.src))?;
        Some(super::normalize_module(&module.0).to_string())
    }

    /// The value of the `const` that `name` refers to at `pos`, when it is one.
    fn const_value(&self, name: &str, scope: usize, pos: usize) -> Option<Node<'t>> {
        let binding = self.scopes.resolve(name, scope, pos)?;
        self.consts.get(&binding.pos).copied()
    }

    /// `node` as an object literal, through a const that holds one.
    fn object(&self, node: Node<'t>, scope: usize, depth: usize) -> Option<Node<'t>> {
        let node = unwrap_expression(node);
        match node.kind_name() {
            "object" => Some(node),
            "identifier" if depth < MAX_FOLLOW => {
                let value = self.const_value(self.text(node), scope, node.start_byte())?;
                self.object(value, scope, depth + 1)
            }
            _ => None,
        }
    }

    /// The `env` option of a process or worker started by `node` (any of its
    /// arguments: `spawn(cmd, args, { env })`, `Bun.spawn({ cmd, env })`).
    fn spawn(&self, node: Node<'t>, scope: usize, out: &mut Written) {
        for arg in self.args(node) {
            let Some(options) = self.object(arg, scope, 0) else {
                continue;
            };
            let mut cursor = options.walk();
            for prop in options.named_children(&mut cursor) {
                match prop.kind_name() {
                    "pair" => {
                        let is_env = prop
                            .field("key")
                            .and_then(|k| property_name(k, self.src))
                            .is_some_and(|k| k == "env");
                        if let (true, Some(value)) = (is_env, prop.field("value")) {
                            self.env_keys(value, scope, out, false, 0);
                        }
                    }
                    // `{ env }`: a const named `env` declared before.
                    "shorthand_property_identifier" if self.text(prop) == "env" => {
                        if let Some(value) = self.const_value("env", scope, prop.start_byte()) {
                            self.env_keys(value, scope, out, false, 1);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// The literal names of an environment object (`{ ...process.env, X: v }`, a const
    /// holding one, `Object.assign({}, process.env, { X: v })`). True when every part
    /// of it is a literal name or a copy of the environment.
    fn env_keys(
        &self,
        value: Node<'t>,
        scope: usize,
        out: &mut Written,
        test: bool,
        depth: usize,
    ) -> bool {
        if depth > MAX_FOLLOW {
            return false;
        }
        let value = unwrap_expression(value);
        match value.kind_name() {
            "object" => {
                let mut all = true;
                let mut cursor = value.walk();
                for prop in value.named_children(&mut cursor) {
                    match prop.kind_name() {
                        "pair" => {
                            let key = prop.field("key");
                            match key.and_then(|k| property_name(k, self.src).map(|n| (k, n))) {
                                Some((k, name)) => {
                                    self.push(out, name, k.byte_range(), scope, test);
                                }
                                // `[name]: v`: a computed name is no write of a known one.
                                None => all = false,
                            }
                        }
                        "shorthand_property_identifier" => {
                            let name = self.text(prop).to_string();
                            self.push(out, name, prop.byte_range(), scope, test);
                        }
                        "spread_element" => {
                            let Some(inner) = prop.named_child(0) else {
                                continue;
                            };
                            if !self.is_holder(inner, scope) {
                                all &= self.env_keys(inner, scope, out, test, depth + 1);
                            }
                        }
                        "comment" => {}
                        _ => all = false,
                    }
                }
                all
            }
            "identifier" => match self.const_value(self.text(value), scope, value.start_byte()) {
                Some(v) => self.env_keys(v, scope, out, test, depth + 1),
                None => false,
            },
            "call_expression" => {
                let is_assign = value
                    .field("function")
                    .is_some_and(|f| self.text(f) == "Object.assign");
                if !is_assign {
                    return false;
                }
                let mut all = true;
                for arg in self.args(value) {
                    if !self.is_holder(arg, scope) {
                        all &= self.env_keys(arg, scope, out, test, depth + 1);
                    }
                }
                all
            }
            _ => self.is_holder(value, scope),
        }
    }

    /// Whether byte `pos` is inside the callback of a test, a suite or a hook
    /// (`it("…", () => {…})`, `beforeEach(…)`, `describe.each(t)("…", …)`,
    /// `Deno.test(…)`), the test functions being the runners' globals or imported from
    /// a test runner.
    pub(super) fn in_test_block(&self, pos: usize, scope: usize) -> bool {
        let Some(mut node) = self.root.descendant_for_byte_range(pos, pos) else {
            return false;
        };
        while let Some(parent) = self.parents.of(node) {
            if parent.kind_name() == "arguments" {
                let call = self
                    .parents
                    .of(parent)
                    .filter(|c| c.kind_name() == "call_expression");
                if call.is_some_and(|c| self.is_test_call(c, scope)) {
                    return true;
                }
            }
            node = parent;
        }
        false
    }

    fn is_test_call(&self, call: Node<'t>, scope: usize) -> bool {
        let Some(function) = call.field("function") else {
            return false;
        };
        if self
            .qualified(function, scope)
            .is_some_and(|q| q == "Deno.test" || q.starts_with("Deno.test."))
        {
            return true;
        }
        let mut root = function;
        loop {
            let next = match root.kind_name() {
                "member_expression" => root.field("object"),
                "call_expression" => root.field("function"),
                "identifier" => break,
                _ => None,
            };
            match next {
                Some(n) => root = n,
                None => return false,
            }
        }
        let name = self.text(root);
        if !TEST_FUNCTIONS.contains(&name) {
            return false;
        }
        match self.scopes.resolve(name, scope, root.start_byte()) {
            // A runner's global (Jest, Mocha, Vitest with `globals`).
            None => true,
            Some(b) => b.import.as_deref().is_some_and(from_test_module),
        }
    }

    /// The file imports from a test runner (`vitest`, `@jest/globals`, `node:test`, …):
    /// it is test code, wherever it lives (a setup file, a test helper).
    pub(super) fn imports_test_runner(&self) -> bool {
        self.scopes.scopes[0]
            .bindings
            .values()
            .flatten()
            .any(|b| b.import.as_deref().is_some_and(from_test_module))
    }
}

/// `vitest.it`, `test.describe` (from `node:test`), `@playwright/test.test`.
fn from_test_module(import: &str) -> bool {
    TEST_MODULES.iter().any(|m| {
        import
            .strip_prefix(m)
            .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// Files test runners load before the tests by convention, which hold no test of
/// their own: Create React App's `src/setupTests.js`, and the `jest.setup.*` and
/// `vitest.setup.*` files that Jest's `setupFiles` and Vitest's `setupFiles` name in
/// their documentation's examples.
pub(super) fn is_test_setup_file(path: &std::path::Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or(name);
    stem == "setupTests" || name.starts_with("jest.setup.") || name.starts_with("vitest.setup.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Context;
    use crate::config::Config;
    use crate::detect::WriteKind;
    use crate::source::{Language, SourceFile};

    /// The writes of `src` checked as `path`: `NAME kind`, in order.
    fn writes(path: &str, src: &str) -> Vec<String> {
        let ctx = Context::new(Config::default());
        let language = Language::from_path(std::path::Path::new(path));
        let file = SourceFile::new(path.into(), language, src.to_string());
        super::super::analyze(&file, &ctx)
            .env_writes
            .iter()
            .map(|w| {
                let kind = match w.kind {
                    WriteKind::HandOff => "hand-off",
                    WriteKind::Test => "test",
                };
                format!("{} {kind}", w.name)
            })
            .collect()
    }

    /// The fix titles of the reads in `src` (checked as `a.ts`).
    fn titles(src: &str) -> Vec<String> {
        let ctx = Context::new(Config::default());
        let file = SourceFile::new("a.ts".into(), Language::TypeScript, src.to_string());
        super::super::analyze(&file, &ctx)
            .findings
            .iter()
            .map(|f| f.fix.as_ref().map_or("no fix".into(), |x| x.title.clone()))
            .collect()
    }

    #[test]
    fn writes_of_the_running_process() {
        let src = "process.env.A = \"1\";\nprocess.env[\"B\"] ??= \"2\";\nObject.assign(process.env, { C: \"3\", \"D\": x, E });\nDeno.env.set(\"F\", \"4\");\nReflect.set(process.env, \"G\", \"5\");\nprocess.env = { ...process.env, H: \"6\" };\n";
        assert_eq!(
            writes("scripts/build.ts", src),
            [
                "A hand-off",
                "B hand-off",
                "C hand-off",
                "D hand-off",
                "E hand-off",
                "F hand-off",
                "G hand-off",
                "H hand-off"
            ]
        );
        // The same in a test file sets the variables for its tests.
        assert!(
            writes("src/build.test.ts", src)
                .iter()
                .all(|w| w.ends_with(" test"))
        );
        // Removals and computed names are no writes.
        let src = "const k = \"A\";\nprocess.env[k] = \"1\";\ndelete process.env.B;\nDeno.env.delete(\"C\");\nReflect.deleteProperty(process.env, \"D\");\nObject.assign(process.env, { [k]: \"1\" });\nconst env = { E: \"1\" };\nenv.F = \"2\";\n";
        assert!(writes("a.ts", src).is_empty(), "{:?}", writes("a.ts", src));
    }

    #[test]
    fn writes_into_the_env_of_a_process_started() {
        let src = r#"import { spawn, exec } from "node:child_process";
import cp from "child_process";
import { execa } from "execa";
import { Worker } from "node:worker_threads";
import { promisify } from "node:util";

spawn("node", ["w.js"], { env: { ...process.env, A: "1" } });
cp.execSync("make", { env: Object.assign({}, process.env, { B: "1" }) });
require("child_process").fork("w.js", [], { env: { C: "1" } });
await execa("node", ["w.js"], { env: { D: "1" } });
new Worker("./w.js", { env: { E: "1" } });
new Deno.Command("deno", { args: ["run", "w.ts"], env: { F: "1" } });
Bun.spawn({ cmd: ["bun", "w.ts"], env: { ...process.env, G: "1" } });
function start() {
  const env = { ...process.env, H: "1" };
  return Bun.spawn(["bun", "w.ts"], { env });
}
const options = { stdio: "inherit", env: { I: "1" } };
spawn("node", ["w.js"], options);
const run = promisify(exec);
await run("make", { env: { J: "1" } });
"#;
        let got: Vec<String> = writes("scripts/run.mjs", src);
        let want: Vec<String> = "ABCDEFGHIJ"
            .chars()
            .map(|c| format!("{c} hand-off"))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn what_is_not_a_process_started() {
        let src = r#"function spawn(cmd: string, opts: object) {}
spawn("node", { env: { A: "1" } });
new Worker("/w.js", { type: "module", env: { B: "1" } });
let env = { C: "1" };
import("node:child_process").then((cp) => cp.spawn("x", [], { env }));
const plain = { env: { D: "1" } };
"#;
        assert!(writes("a.ts", src).is_empty(), "{:?}", writes("a.ts", src));
    }

    #[test]
    fn writes_in_test_blocks_and_through_test_helpers() {
        let src = r#"const OLD_ENV = process.env;
describe("config", () => {
  beforeEach(() => {
    process.env = { ...OLD_ENV, A: "1" };
  });
  it.each([1, 2])("reads %i", () => {
    process.env.B = "2";
  });
});
Deno.test("c", () => {
  Deno.env.set("C", "3");
});
vi.stubEnv("D", "4");
jest.replaceProperty(process, "env", { ...process.env, E: "5" });
process.env.F = "6";
"#;
        assert_eq!(
            writes("src/config.ts", src),
            [
                "A test",
                "B test",
                "C test",
                "D test",
                "E test",
                "F hand-off"
            ]
        );
        // A function of the file's own named `test` is no test runner's.
        let src =
            "function test(f: () => void) { f(); }\ntest(() => { process.env.A = \"1\"; });\n";
        assert_eq!(writes("src/a.ts", src), ["A hand-off"]);
        // A file that imports a test runner is test code, and so is a setup file.
        let src = "import { vi } from \"vitest\";\nprocess.env.A = \"1\";\nvi.fn();\n";
        assert_eq!(writes("src/helpers.ts", src), ["A test"]);
        assert_eq!(
            writes("jest.setup.js", "process.env.TZ = \"UTC\";\n"),
            ["TZ test"]
        );
    }

    #[test]
    fn the_prefilter_lets_a_file_that_only_hands_off_through() {
        let src = "import { spawn } from \"node:child_process\";\nspawn(\"node\", [\"w.js\"], { env: { WORKER_ID: \"1\" } });\n";
        assert_eq!(writes("a.mjs", src), ["WORKER_ID hand-off"]);
    }

    #[test]
    fn writes_leave_other_reads_safe_and_removals_unsafe() {
        // A named write is a hand-off (the pass marks its reads), not a reason to make
        // the other reads unsafe.
        assert_eq!(
            titles(
                "process.env.A_TOKEN = \"1\";\nObject.assign(process.env, { B: \"2\" });\nexport const k = process.env.API_KEY;\n"
            ),
            ["Replace with `getConfigValue(\"api_key\")`"]
        );
        // A bulk update with names it does not spell out still does.
        assert_eq!(
            titles(
                "Object.assign(process.env, loadEnv());\nexport const k = process.env.API_KEY;\n"
            ),
            [
                "Replace with `getConfigValue(\"api_key\")` (this file replaces or bulk-updates the environment)"
            ]
        );
        // A removal keeps the caveat of the name removed.
        assert_eq!(
            titles("delete process.env.API_KEY;\nexport const k = process.env.API_KEY;\n"),
            [
                "Replace with `getConfigValue(\"api_key\")` (this file also writes or tests `API_KEY`)"
            ]
        );
        assert_eq!(
            titles("Deno.env.delete(\"API_KEY\");\nexport const k = Deno.env.get(\"API_KEY\");\n"),
            [
                "Replace with `getConfigValue(\"api_key\")` (this file also writes or tests `API_KEY`)"
            ]
        );
    }

    #[test]
    fn spawners() {
        for q in [
            "child_process.spawn",
            "child_process.default.execFileSync",
            "child_process.fork",
            "worker_threads.Worker",
            "execa.execa",
            "execa.execaNode",
            "execa.default",
            "execa",
            "cross-spawn",
            "cross-spawn.sync",
            "Deno.Command",
            "Bun.spawn",
            "Bun.spawnSync",
        ] {
            assert!(is_spawner(q), "{q}");
        }
        for q in [
            "child_process.execPath",
            "child_process",
            "worker_threads.isMainThread",
            "Deno.env.set",
            "Bun.serve",
            "spawn",
            "Worker",
            "execa.ExecaError",
        ] {
            assert!(!is_spawner(q), "{q}");
        }
    }

    #[test]
    fn setup_files() {
        for p in [
            "src/setupTests.ts",
            "jest.setup.js",
            "vitest.setup.mts",
            "setupTests.js",
        ] {
            assert!(is_test_setup_file(std::path::Path::new(p)), "{p}");
        }
        for p in [
            "src/setup.ts",
            "jest.config.js",
            "vitest.config.ts",
            "src/setupTestsHelper.ts",
        ] {
            assert!(!is_test_setup_file(std::path::Path::new(p)), "{p}");
        }
    }
}
