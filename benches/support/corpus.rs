//! A deterministic generator of a repository tree that looks like a real monorepo:
//! Python services, TypeScript/TSX/JavaScript packages, Rust crates, YAML, JSON and
//! Markdown, minified bundles and lock files. A few percent of the source files read
//! the environment or hold a (made-up) secret; the rest are clean. The same seed and
//! size give the same bytes. Writes only below the directory it is given.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// splitmix64: small, fast, good enough to pick words.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// `n` characters from `alphabet`.
    pub fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}

const NOUNS: &[&str] = &[
    "user",
    "order",
    "invoice",
    "account",
    "session",
    "cache",
    "queue",
    "worker",
    "payment",
    "product",
    "cart",
    "report",
    "metric",
    "event",
    "handler",
    "client",
    "request",
    "response",
    "item",
    "page",
    "search",
    "index",
    "profile",
    "message",
    "channel",
    "team",
    "project",
    "job",
    "batch",
    "record",
    "entry",
    "filter",
    "query",
    "result",
    "status",
    "schedule",
    "email",
    "address",
    "shipment",
    "warehouse",
    "stock",
    "price",
    "discount",
    "tax",
    "currency",
    "region",
    "tenant",
    "plan",
    "billing",
    "audit",
    "trace",
    "span",
    "graph",
    "node",
    "edge",
    "file",
    "upload",
    "image",
    "asset",
    "theme",
    "layout",
    "widget",
    "button",
    "form",
    "field",
    "label",
    "modal",
    "table",
    "row",
    "column",
    "chart",
    "review",
    "comment",
    "tag",
    "category",
    "voucher",
    "customer",
    "vendor",
    "checkout",
    "webhook",
    "permission",
    "role",
    "group",
    "membership",
    "attribute",
    "variant",
    "collection",
    "menu",
    "translation",
    "locale",
];
const VERBS: &[&str] = &[
    "get",
    "fetch",
    "load",
    "build",
    "create",
    "update",
    "delete",
    "list",
    "find",
    "resolve",
    "validate",
    "render",
    "parse",
    "format",
    "compute",
    "apply",
    "merge",
    "sync",
    "send",
    "handle",
    "process",
    "prepare",
    "clean",
    "save",
    "check",
    "convert",
    "collect",
    "filter",
    "sort",
    "group",
    "count",
    "emit",
    "dispatch",
    "map",
    "normalize",
    "serialize",
];
const ADJECTIVES: &[&str] = &[
    "active", "pending", "default", "current", "next", "previous", "total", "max", "min", "local",
    "remote", "public", "internal", "visible", "primary", "cached", "raw", "new", "old", "base",
    "extra", "shared", "global", "partial", "full",
];
const PROSE: &[&str] = &[
    "the", "a", "of", "to", "and", "is", "in", "for", "this", "that", "when", "it", "with",
    "returns", "value", "list", "each", "if", "not", "be", "are", "from", "or", "by", "on", "we",
    "should", "can", "will", "only", "all", "new", "one", "first", "later", "before", "after",
    "because", "note", "see", "used", "given", "order", "user", "data", "result",
];
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const HEX: &[u8] = b"0123456789abcdef";
/// Environment variables the dirty files read.
const ENV_NAMES: &[&str] = &[
    "DATABASE_URL",
    "REDIS_URL",
    "STRIPE_SECRET_KEY",
    "SENTRY_DSN",
    "LOG_LEVEL",
    "SMTP_PASSWORD",
    "OPENAI_API_KEY",
    "FEATURE_FLAGS",
    "SERVICE_PORT",
    "JWT_SECRET",
    "S3_BUCKET",
    "AWS_REGION",
    "WORKER_CONCURRENCY",
    "API_BASE_URL",
    "SLACK_TOKEN",
];

fn snake(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => format!("{}_{}", rng.pick(VERBS), rng.pick(NOUNS)),
        1 => format!("{}_{}", rng.pick(ADJECTIVES), rng.pick(NOUNS)),
        _ => format!(
            "{}_{}_{}",
            rng.pick(VERBS),
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS)
        ),
    }
}

fn pascal(rng: &mut Rng) -> String {
    let mut s = String::new();
    for w in [rng.pick(ADJECTIVES), rng.pick(NOUNS), rng.pick(NOUNS)]
        .iter()
        .skip(rng.below(2))
    {
        let mut c = w.chars();
        if let Some(f) = c.next() {
            s.push(f.to_ascii_uppercase());
            s.push_str(c.as_str());
        }
    }
    s
}

fn camel(rng: &mut Rng) -> String {
    let p = pascal(rng);
    let mut c = p.chars();
    let first = c.next().map(|f| f.to_ascii_lowercase()).unwrap_or('x');
    format!(
        "{}{}{}",
        rng.pick(VERBS),
        first.to_ascii_uppercase(),
        c.as_str()
    )
}

/// A sentence of `min` to `min + spread - 1` words.
fn sentence_between(rng: &mut Rng, min: usize, spread: usize) -> String {
    let words = min + rng.below(spread);
    sentence(rng, words)
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(PROSE));
    }
    if let Some(f) = s.get(..1) {
        let up = f.to_ascii_uppercase();
        s.replace_range(..1, &up);
    }
    s.push('.');
    s
}

/// A made-up secret of a provider format the rules know (random, never a real one).
fn fake_secret(rng: &mut Rng) -> (String, String) {
    match rng.below(5) {
        0 => (
            "GITHUB_TOKEN".into(),
            format!("ghp_{}", rng.chars(ALNUM, 36)),
        ),
        1 => (
            "STRIPE_KEY".into(),
            format!("sk_live_{}", rng.chars(ALNUM, 24)),
        ),
        2 => (
            "AWS_ACCESS_KEY_ID".into(),
            format!("AKIA{}", rng.chars(UPPER_DIGITS, 16)),
        ),
        3 => (
            "SLACK_BOT_TOKEN".into(),
            format!(
                "xoxb-{}-{}-{}",
                rng.chars(b"0123456789", 11),
                rng.chars(b"0123456789", 12),
                rng.chars(ALNUM, 24)
            ),
        ),
        _ => ("DB_PASSWORD".into(), rng.chars(ALNUM, 20)),
    }
}

/// What a source file gets besides clean code.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dirt {
    Clean,
    EnvRead,
    Secret,
}

fn python_file(rng: &mut Rng, target: usize, dirt: Dirt) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\"\"\"{}\"\"\"", sentence_between(rng, 6, 8));
    s.push_str("from __future__ import annotations\n\nimport logging\n");
    for _ in 0..rng.below(4) {
        let _ = writeln!(
            s,
            "import {}",
            rng.pick(&[
                "json",
                "re",
                "datetime",
                "typing",
                "uuid",
                "decimal",
                "itertools",
                "functools",
                "dataclasses"
            ])
        );
    }
    if dirt == Dirt::EnvRead {
        s.push_str("import os\n");
    }
    let _ = writeln!(
        s,
        "from ..{} import {}, {}\n",
        rng.pick(NOUNS),
        pascal(rng),
        snake(rng)
    );
    s.push_str("log = logging.getLogger(__name__)\n\n");
    match dirt {
        Dirt::EnvRead => {
            let _ = writeln!(
                s,
                "{} = os.getenv(\"{}\")",
                snake(rng).to_uppercase(),
                rng.pick(ENV_NAMES)
            );
            let _ = writeln!(
                s,
                "{} = os.environ.get(\"{}\", \"\")\n",
                snake(rng).to_uppercase(),
                rng.pick(ENV_NAMES)
            );
        }
        Dirt::Secret => {
            let (name, value) = fake_secret(rng);
            let _ = writeln!(s, "{name} = \"{value}\"\n");
        }
        Dirt::Clean => {}
    }
    while s.len() < target {
        if rng.chance(0.35) {
            let class = pascal(rng);
            let _ = writeln!(
                s,
                "\nclass {class}({}):",
                rng.pick(&[
                    "object",
                    "BaseModel",
                    "models.Model",
                    "Exception",
                    "graphene.ObjectType"
                ])
            );
            let _ = writeln!(s, "    \"\"\"{}\"\"\"\n", sentence_between(rng, 5, 10));
            for _ in 0..1 + rng.below(4) {
                let _ = writeln!(
                    s,
                    "    {} = {}",
                    snake(rng),
                    rng.pick(&[
                        "None",
                        "0",
                        "True",
                        "[]",
                        "models.CharField(max_length=256)",
                        "models.ForeignKey(\"Order\", on_delete=models.CASCADE)"
                    ])
                );
            }
            for _ in 0..1 + rng.below(4) {
                python_function(rng, &mut s, "    ", true);
            }
        } else {
            python_function(rng, &mut s, "", false);
        }
    }
    s
}

fn python_function(rng: &mut Rng, s: &mut String, indent: &str, method: bool) {
    let args: Vec<String> = (0..rng.below(4)).map(|_| snake(rng)).collect();
    let params = if method {
        std::iter::once("self".to_string())
            .chain(args.iter().cloned())
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        args.join(", ")
    };
    let _ = writeln!(s, "\n{indent}def {}({params}):", snake(rng));
    if rng.chance(0.6) {
        let _ = writeln!(
            s,
            "{indent}    \"\"\"{}\"\"\"",
            sentence_between(rng, 4, 12)
        );
    }
    for _ in 0..2 + rng.below(8) {
        let var = snake(rng);
        match rng.below(7) {
            0 => {
                let _ = writeln!(
                    s,
                    "{indent}    {var} = {}({})",
                    snake(rng),
                    args.first().map_or("None", String::as_str)
                );
            }
            1 => {
                let _ = writeln!(
                    s,
                    "{indent}    if {var} is None:\n{indent}        return {}",
                    rng.pick(&["None", "[]", "{}", "False", "0"])
                );
            }
            2 => {
                let _ = writeln!(
                    s,
                    "{indent}    for {} in {}:\n{indent}        {var}.append({}.{})",
                    rng.pick(NOUNS),
                    snake(rng),
                    rng.pick(NOUNS),
                    rng.pick(NOUNS)
                );
            }
            3 => {
                let _ = writeln!(s, "{indent}    # {}", sentence_between(rng, 4, 10));
            }
            4 => {
                let _ = writeln!(
                    s,
                    "{indent}    log.info(\"{} %s\", {var})",
                    sentence(rng, 3)
                );
            }
            5 => {
                let _ = writeln!(
                    s,
                    "{indent}    {var} = {{\"{}\": {}, \"{}\": {}}}",
                    rng.pick(NOUNS),
                    rng.below(1000),
                    rng.pick(NOUNS),
                    snake(rng)
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    "{indent}    {var} = [{} for {} in {} if {}]",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    snake(rng),
                    rng.pick(NOUNS)
                );
            }
        }
    }
    let _ = writeln!(s, "{indent}    return {}", snake(rng));
}

fn ts_file(rng: &mut Rng, target: usize, dirt: Dirt, tsx: bool, js: bool) -> String {
    let mut s = String::new();
    for _ in 0..1 + rng.below(5) {
        let _ = writeln!(
            s,
            "import {{ {}, {} }} from \"{}\";",
            pascal(rng),
            camel(rng),
            rng.pick(&[
                "react",
                "@/lib/utils",
                "../hooks",
                "./types",
                "zod",
                "@tanstack/react-query",
                "next/router",
                "lodash"
            ])
        );
    }
    s.push('\n');
    match dirt {
        Dirt::EnvRead => {
            let _ = writeln!(
                s,
                "const {} = process.env.{};",
                camel(rng),
                rng.pick(ENV_NAMES)
            );
            let _ = writeln!(
                s,
                "const {} = process.env[\"{}\"] ?? \"\";\n",
                camel(rng),
                rng.pick(ENV_NAMES)
            );
        }
        Dirt::Secret => {
            let (name, value) = fake_secret(rng);
            let _ = writeln!(s, "const {name} = \"{value}\";\n");
        }
        Dirt::Clean => {}
    }
    while s.len() < target {
        match rng.below(if tsx { 4 } else { 3 }) {
            0 if !js => {
                let _ = writeln!(s, "export interface {} {{", pascal(rng));
                for _ in 0..2 + rng.below(6) {
                    let _ = writeln!(
                        s,
                        "  {}{}: {};",
                        camel(rng),
                        if rng.chance(0.3) { "?" } else { "" },
                        rng.pick(&[
                            "string",
                            "number",
                            "boolean",
                            "Date",
                            "string[]",
                            "Record<string, unknown>"
                        ])
                    );
                }
                s.push_str("}\n\n");
            }
            3 => {
                let name = pascal(rng);
                let _ = writeln!(
                    s,
                    "export function {name}({{ {}, {} }}: {name}Props) {{",
                    camel(rng),
                    camel(rng)
                );
                let _ = writeln!(
                    s,
                    "  const [{}, set{}] = useState({});",
                    rng.pick(NOUNS),
                    pascal(rng),
                    rng.pick(&["null", "false", "0", "[]"])
                );
                let _ = writeln!(
                    s,
                    "  return (\n    <div className=\"{}-{}\">\n      <Button onClick={{() => {}()}}>{}</Button>\n    </div>\n  );\n}}\n",
                    rng.pick(NOUNS),
                    rng.pick(ADJECTIVES),
                    camel(rng),
                    sentence(rng, 3),
                );
            }
            _ => {
                let args: Vec<String> = (0..rng.below(4)).map(|_| camel(rng)).collect();
                let typed: Vec<String> = args
                    .iter()
                    .map(|a| {
                        if js {
                            a.clone()
                        } else {
                            format!(
                                "{a}: {}",
                                rng.pick(&["string", "number", "Item", "Options"])
                            )
                        }
                    })
                    .collect();
                if rng.chance(0.4) {
                    let _ = writeln!(s, "/**\n * {}\n */", sentence_between(rng, 5, 10));
                }
                let _ = writeln!(
                    s,
                    "export {}function {}({}) {{",
                    if rng.chance(0.3) { "async " } else { "" },
                    camel(rng),
                    typed.join(", ")
                );
                for _ in 0..2 + rng.below(8) {
                    let v = camel(rng);
                    match rng.below(6) {
                        0 => {
                            let _ = writeln!(
                                s,
                                "  const {v} = await {}({});",
                                camel(rng),
                                args.first().map_or("", String::as_str)
                            );
                        }
                        1 => {
                            let _ = writeln!(
                                s,
                                "  if (!{v}) {{\n    return {};\n  }}",
                                rng.pick(&["null", "[]", "undefined", "false"])
                            );
                        }
                        2 => {
                            let _ = writeln!(s, "  // {}", sentence_between(rng, 4, 8));
                        }
                        3 => {
                            let _ = writeln!(
                                s,
                                "  const {v} = {}.map(({}) => {}.{});",
                                camel(rng),
                                rng.pick(NOUNS),
                                rng.pick(NOUNS),
                                camel(rng)
                            );
                        }
                        4 => {
                            let _ = writeln!(
                                s,
                                "  const {v} = {{ {}: {}, {}: \"{}\" }};",
                                rng.pick(NOUNS),
                                rng.below(100),
                                rng.pick(NOUNS),
                                rng.pick(ADJECTIVES)
                            );
                        }
                        _ => {
                            let _ = writeln!(s, "  logger.debug(`{} ${{{v}}}`);", sentence(rng, 3));
                        }
                    }
                }
                let _ = writeln!(s, "  return {};\n}}\n", camel(rng));
            }
        }
    }
    s
}

fn rust_file(rng: &mut Rng, target: usize, dirt: Dirt) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "//! {}\n", sentence_between(rng, 6, 8));
    let _ = writeln!(
        s,
        "use std::collections::HashMap;\nuse crate::{}::{{{}, {}}};\n",
        rng.pick(NOUNS),
        pascal(rng),
        pascal(rng)
    );
    match dirt {
        Dirt::EnvRead => {
            let _ = writeln!(
                s,
                "pub fn {}() -> Option<String> {{\n    std::env::var(\"{}\").ok()\n}}\n",
                snake(rng),
                rng.pick(ENV_NAMES)
            );
        }
        Dirt::Secret => {
            let (_, value) = fake_secret(rng);
            let _ = writeln!(
                s,
                "pub fn {}() -> String {{\n    let token = \"{value}\";\n    token.to_string()\n}}\n",
                snake(rng)
            );
        }
        Dirt::Clean => {}
    }
    while s.len() < target {
        let name = pascal(rng);
        let _ = writeln!(
            s,
            "/// {}\n#[derive(Debug, Clone, PartialEq)]\npub struct {name} {{",
            sentence_between(rng, 5, 8)
        );
        for _ in 0..1 + rng.below(5) {
            let _ = writeln!(
                s,
                "    pub {}: {},",
                snake(rng),
                rng.pick(&[
                    "String",
                    "u64",
                    "usize",
                    "bool",
                    "Vec<String>",
                    "Option<u32>",
                    "HashMap<String, u64>"
                ])
            );
        }
        let _ = writeln!(s, "}}\n\nimpl {name} {{");
        for _ in 0..1 + rng.below(4) {
            let _ = writeln!(
                s,
                "    /// {}\n    pub fn {}(&self, {}: &str) -> Result<usize, Error> {{",
                sentence_between(rng, 4, 6),
                snake(rng),
                rng.pick(NOUNS)
            );
            for _ in 0..1 + rng.below(6) {
                match rng.below(4) {
                    0 => {
                        let _ =
                            writeln!(s, "        let {} = self.{}.len();", snake(rng), snake(rng));
                    }
                    1 => {
                        let _ = writeln!(
                            s,
                            "        if {}.is_empty() {{\n            return Err(Error::{});\n        }}",
                            rng.pick(NOUNS),
                            pascal(rng)
                        );
                    }
                    2 => {
                        let _ = writeln!(s, "        // {}", sentence_between(rng, 4, 8));
                    }
                    _ => {
                        let _ = writeln!(
                            s,
                            "        let {} = {}.iter().map(|x| x.{}()).collect::<Vec<_>>();",
                            snake(rng),
                            rng.pick(NOUNS),
                            snake(rng)
                        );
                    }
                }
            }
            let _ = writeln!(s, "        Ok({})\n    }}\n", rng.below(64));
        }
        s.push_str("}\n\n");
    }
    s
}

fn yaml_file(rng: &mut Rng, target: usize, dirt: Dirt) -> String {
    let mut s = String::from("# Generated deployment settings\nversion: 2\n");
    if dirt == Dirt::Secret {
        let _ = writeln!(
            s,
            "database:\n  user: app\n  password: {}",
            rng.chars(ALNUM, 22)
        );
    }
    while s.len() < target {
        let _ = writeln!(s, "{}:", snake(rng));
        for _ in 0..2 + rng.below(6) {
            let _ = writeln!(
                s,
                "  {}: {}",
                snake(rng),
                match rng.below(4) {
                    0 => rng.below(10_000).to_string(),
                    1 => format!("\"{}\"", rng.pick(ADJECTIVES)),
                    2 => rng.pick(&["true", "false"]).to_string(),
                    _ => format!("[{}, {}]", rng.pick(NOUNS), rng.pick(NOUNS)),
                }
            );
        }
    }
    s
}

fn json_file(rng: &mut Rng, target: usize) -> String {
    let mut s = String::from("{\n  \"items\": [\n");
    let mut first = true;
    while s.len() < target {
        if !first {
            s.push_str(",\n");
        }
        first = false;
        let _ = write!(
            s,
            "    {{\"id\": {}, \"name\": \"{}\", \"{}\": \"{}\", \"count\": {}, \"enabled\": {}}}",
            rng.below(1_000_000),
            snake(rng),
            rng.pick(NOUNS),
            rng.pick(ADJECTIVES),
            rng.below(500),
            rng.chance(0.5)
        );
    }
    s.push_str("\n  ]\n}\n");
    s
}

fn markdown_file(rng: &mut Rng, target: usize) -> String {
    let mut s = format!("# {}\n\n", pascal(rng));
    while s.len() < target {
        match rng.below(5) {
            0 => {
                let _ = writeln!(s, "## {}\n", sentence(rng, 3));
            }
            1 => {
                let _ = writeln!(
                    s,
                    "```sh\n{} --{} {}\n```\n",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    snake(rng)
                );
            }
            2 => {
                let _ = writeln!(s, "- {}\n- {}\n", sentence(rng, 6), sentence(rng, 8));
            }
            _ => {
                let _ = writeln!(
                    s,
                    "{} {} {}\n",
                    sentence(rng, 12),
                    sentence(rng, 9),
                    sentence(rng, 15)
                );
            }
        }
    }
    s
}

/// One long line of minified JavaScript.
fn minified_file(rng: &mut Rng, target: usize) -> String {
    let mut s = String::from("!function(){\"use strict\";");
    while s.len() < target {
        let a = rng.chars(b"abcdefghijklmnopqrstuvwxyz", 1);
        let b = rng.chars(b"abcdefghijklmnopqrstuvwxyz", 2);
        match rng.below(4) {
            0 => {
                let _ = write!(
                    s,
                    "var {a}=function({b}){{return {b}&&{b}.{}?{b}.{}:{}}};",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    rng.below(100)
                );
            }
            1 => {
                let _ = write!(
                    s,
                    "function {b}({a},t){{for(var n=0;n<{a}.length;n++)t.push({a}[n].{});return t}}",
                    rng.pick(NOUNS)
                );
            }
            2 => {
                let _ = write!(
                    s,
                    "{a}.exports={{{}:\"{}\",{}:{}}};",
                    rng.pick(NOUNS),
                    rng.pick(ADJECTIVES),
                    rng.pick(NOUNS),
                    rng.below(1000)
                );
            }
            _ => {
                let _ = write!(
                    s,
                    "const {b}=[\"{}\",\"{}\",\"{}\"].map(function(e){{return e.toUpperCase()}});",
                    rng.pick(NOUNS),
                    rng.pick(NOUNS),
                    rng.pick(VERBS)
                );
            }
        }
    }
    s.push_str("}();\n");
    s
}

fn npm_lock(rng: &mut Rng, target: usize) -> String {
    let mut s = String::from(
        "{\n  \"name\": \"monorepo\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n",
    );
    let mut first = true;
    while s.len() < target {
        if !first {
            s.push_str(",\n");
        }
        first = false;
        let name = format!("{}-{}", rng.pick(NOUNS), rng.pick(VERBS));
        let sha: String = rng.chars(ALNUM, 86);
        let _ = write!(
            s,
            "    \"node_modules/{name}\": {{\n      \"version\": \"{}.{}.{}\",\n      \"resolved\": \"https://registry.npmjs.org/{name}/-/{name}-1.0.0.tgz\",\n      \"integrity\": \"sha512-{sha}==\",\n      \"dev\": {}\n    }}",
            rng.below(10),
            rng.below(30),
            rng.below(20),
            rng.chance(0.5)
        );
    }
    s.push_str("\n  }\n}\n");
    s
}

fn cargo_lock(rng: &mut Rng, target: usize) -> String {
    let mut s = String::from("# This file is automatically @generated by Cargo.\nversion = 4\n");
    while s.len() < target {
        let _ = writeln!(
            s,
            "\n[[package]]\nname = \"{}-{}\"\nversion = \"{}.{}.{}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{}\"",
            rng.pick(NOUNS),
            rng.pick(VERBS),
            rng.below(3),
            rng.below(40),
            rng.below(20),
            rng.chars(HEX, 64)
        );
    }
    s
}

/// A file size: mostly a few KiB, sometimes much more (a rough log-normal).
fn file_size(rng: &mut Rng, median: usize) -> usize {
    let mut size = median / 4 + rng.below(median);
    while rng.chance(0.15) {
        size *= 2;
    }
    size.min(400_000)
}

/// What was written.
#[derive(Debug, Default, Clone)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    pub env_read_files: usize,
    pub secret_files: usize,
}

/// Writes a tree of about `size` bytes below `out` (which should be empty), the same
/// for the same `seed`.
pub fn generate(out: &Path, size: u64, seed: u64) -> std::io::Result<Written> {
    let mut rng = Rng::new(seed);
    let mut written = Written::default();
    let write = |path: PathBuf, text: String, written: &mut Written| -> std::io::Result<()> {
        let path = out.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        written.files += 1;
        written.bytes += text.len() as u64;
        std::fs::write(path, text)
    };
    std::fs::create_dir_all(out)?;
    write(
        ".gitignore".into(),
        "node_modules/\ntarget/\n__pycache__/\n.env\n".into(),
        &mut written,
    )?;
    // Lock files and bundles: about 15 % of the bytes, in a few big files.
    let big = size * 15 / 100;
    let mut big_written = 0u64;
    let mut n = 0;
    while big_written < big {
        let budget = ((big - big_written) as usize).min(1_800_000);
        let (path, text) = match n % 4 {
            0 => (
                format!("web/app{n}/package-lock.json"),
                npm_lock(&mut rng, budget),
            ),
            1 => (
                format!("web/app{n}/dist/bundle.{:08x}.min.js", rng.next() as u32),
                minified_file(&mut rng, budget),
            ),
            2 => (
                format!("crates/workspace{n}/Cargo.lock"),
                cargo_lock(&mut rng, budget),
            ),
            _ => (
                format!("web/app{n}/dist/vendor.{:08x}.min.js", rng.next() as u32),
                minified_file(&mut rng, budget),
            ),
        };
        big_written += text.len() as u64;
        write(path.into(), text, &mut written)?;
        n += 1;
    }
    let mut dir_files = 0;
    let mut dir = String::new();
    let mut taken = std::collections::HashSet::new();
    while written.bytes < size {
        if dir_files == 0 {
            dir_files = 5 + rng.below(25);
            dir = match rng.below(10) {
                0..=2 => format!("services/{}/{}", rng.pick(NOUNS), rng.pick(NOUNS)),
                3..=5 => format!("packages/{}/src/{}", rng.pick(NOUNS), rng.pick(NOUNS)),
                6 | 7 => format!(
                    "apps/{}/src/{}",
                    rng.pick(NOUNS),
                    rng.pick(&["components", "pages", "hooks", "lib"])
                ),
                _ => format!("crates/{}-{}/src", rng.pick(NOUNS), rng.pick(VERBS)),
            };
        }
        dir_files -= 1;
        let dirt = if rng.chance(0.03) {
            Dirt::EnvRead
        } else if rng.chance(0.015) {
            Dirt::Secret
        } else {
            Dirt::Clean
        };
        let stem = snake(&mut rng);
        let kind = rng.below(100);
        let (path, text) = if dir.starts_with("services") {
            match kind {
                0..=84 => (format!("{dir}/{stem}.py"), {
                    let size = file_size(&mut rng, 6000);
                    python_file(&mut rng, size, dirt)
                }),
                85..=92 => (format!("{dir}/{stem}.yaml"), {
                    let size = file_size(&mut rng, 1500);
                    yaml_file(&mut rng, size, dirt)
                }),
                _ => (format!("{dir}/{stem}.md"), {
                    let size = file_size(&mut rng, 3000);
                    markdown_file(&mut rng, size)
                }),
            }
        } else if dir.starts_with("crates") {
            match kind {
                0..=89 => (format!("{dir}/{stem}.rs"), {
                    let size = file_size(&mut rng, 8000);
                    rust_file(&mut rng, size, dirt)
                }),
                _ => (format!("{dir}/{stem}.md"), {
                    let size = file_size(&mut rng, 3000);
                    markdown_file(&mut rng, size)
                }),
            }
        } else {
            match kind {
                0..=44 => (format!("{dir}/{stem}.ts"), {
                    let size = file_size(&mut rng, 4000);
                    ts_file(&mut rng, size, dirt, false, false)
                }),
                45..=69 => (format!("{dir}/{}.tsx", pascal(&mut rng)), {
                    let size = file_size(&mut rng, 4000);
                    ts_file(&mut rng, size, dirt, true, false)
                }),
                70..=84 => (format!("{dir}/{stem}.js"), {
                    let size = file_size(&mut rng, 3000);
                    ts_file(&mut rng, size, dirt, false, true)
                }),
                85..=92 => (format!("{dir}/{stem}.json"), {
                    let size = file_size(&mut rng, 3000);
                    json_file(&mut rng, size)
                }),
                _ => (format!("{dir}/{stem}.md"), {
                    let size = file_size(&mut rng, 2500);
                    markdown_file(&mut rng, size)
                }),
            }
        };
        // Two files drawn with the same name: the later one gets a number.
        let mut path = path;
        while !taken.insert(path.clone()) {
            let (head, ext) = path.rsplit_once('.').unwrap_or((&path, ""));
            path = format!("{head}_{}.{ext}", taken.len());
        }
        let is_source = !(path.ends_with(".md") || path.ends_with(".json"));
        if is_source {
            written.env_read_files += usize::from(dirt == Dirt::EnvRead);
            written.secret_files += usize::from(dirt == Dirt::Secret);
        }
        write(path.into(), text, &mut written)?;
    }
    Ok(written)
}

/// `200MB`, `1.5GB`, `300KB`, `1000`: bytes (decimal units).
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let upper = s.to_ascii_uppercase();
    let (number, unit) = match upper.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&s[..i], &upper[i..]),
        None => (s, ""),
    };
    let factor = match unit {
        "" | "B" => 1.0,
        "K" | "KB" => 1e3,
        "M" | "MB" => 1e6,
        "G" | "GB" => 1e9,
        _ => return None,
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .map(|n| (n * factor) as u64)
}
