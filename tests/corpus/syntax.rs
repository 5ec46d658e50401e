//! How each syntax writes a case: templates per syntax for assignments, headers,
//! commands, multi-line blocks, comments and filler, and the quoting each syntax needs.
//! Returns `None` for a case a syntax cannot write, so the generator draws another.

use super::cases::{Case, Key, Shape, Val};
use super::rng::Rng;

#[derive(Clone, Copy, PartialEq)]
pub enum Quote {
    /// `"…"` with C escapes.
    Double,
    /// `"…"` or `'…'`.
    Either,
    Php,
    Ruby,
    Kotlin,
    Shell,
    PowerShell,
    Toml,
    Yaml,
    /// Unquoted text; a newline becomes `\n`.
    Raw,
    Xml,
    Sql,
    Batch,
    Dockerfile,
    Dotenv,
    Hcl,
    Make,
}

#[derive(Clone, Copy, PartialEq)]
pub enum CmdEnv {
    Keep,
    Batch,
    PowerShell,
    Make,
}

pub struct Spec {
    pub name: &'static str,
    pub paths: &'static [&'static str],
    pub head: &'static str,
    pub foot: &'static str,
    pub indent: &'static str,
    /// Written between two items (`,` in JSON), appended to the earlier one.
    pub sep: Option<&'static str>,
    pub comment: Option<(&'static str, &'static str)>,
    /// `!` first: only for string values.
    pub assign: &'static [&'static str],
    pub header: &'static [&'static str],
    pub command: &'static [&'static str],
    pub cmd_env: CmdEnv,
    /// (open, close, indent of the inner lines).
    pub block: &'static [(&'static str, &'static str, &'static str)],
    /// A PEM can be written as one string with `\n` escapes.
    pub escaped_block: bool,
    pub types: &'static [&'static str],
    /// How `str`, `secret` and `optional` are written.
    pub type_names: [&'static str; 3],
    pub env: &'static [&'static str],
    /// Code expressions (`config.api_key`) can be written.
    pub code: bool,
    pub quote: Quote,
    pub filler: &'static [&'static str],
    /// Which case generator the syntax uses.
    pub kind: Kind,
}

#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    General,
    Markdown,
    Jupyter,
    Dedicated,
}

const PARENTS: &[&str] = &[
    "database",
    "smtp",
    "auth",
    "service",
    "integrations",
    "billing",
    "storage",
];

fn esc_c(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn safe_bare(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:@+=,-~".contains(c))
}

/// The value text of a string literal, or `None` when the syntax cannot write it.
pub fn quote(q: Quote, s: &str, rng: &mut Rng) -> Option<String> {
    let single_ok = !s.contains('\'') && !s.contains('\n') && !s.contains('\\');
    Some(match q {
        Quote::Double => format!("\"{}\"", esc_c(s)),
        Quote::Either => {
            if rng.chance(0.5) && single_ok {
                format!("'{s}'")
            } else {
                format!("\"{}\"", esc_c(s))
            }
        }
        Quote::Php => {
            if single_ok && (s.contains('$') || rng.chance(0.7)) {
                format!("'{s}'")
            } else {
                format!("\"{}\"", esc_c(s).replace('$', "\\$"))
            }
        }
        Quote::Ruby => {
            if single_ok && (s.contains('#') || rng.chance(0.4)) {
                format!("'{s}'")
            } else {
                format!("\"{}\"", esc_c(s).replace('#', "\\#"))
            }
        }
        Quote::Kotlin => format!("\"{}\"", esc_c(s).replace('$', "\\$")),
        Quote::Shell => {
            if s.contains('\n') {
                return None;
            }
            if safe_bare(s) && rng.chance(0.4) {
                s.to_string()
            } else if single_ok && (s.contains('$') || rng.chance(0.5)) {
                format!("'{s}'")
            } else {
                format!("\"{}\"", esc_c(s).replace('$', "\\$").replace('`', "\\`"))
            }
        }
        Quote::PowerShell => {
            if single_ok {
                format!("'{s}'")
            } else if s.contains('\n') {
                return None;
            } else {
                format!("\"{}\"", s.replace('$', "`$").replace('"', "`\""))
            }
        }
        Quote::Toml => {
            if single_ok && rng.chance(0.3) {
                format!("'{s}'")
            } else {
                format!("\"{}\"", esc_c(s))
            }
        }
        Quote::Yaml => {
            let plain = safe_bare(s)
                && !s.starts_with(['@', '-', ':', ',', '~', '.'])
                && !s.contains(": ")
                && s.parse::<f64>().is_err();
            if plain && rng.chance(0.6) {
                s.to_string()
            } else if single_ok && rng.chance(0.3) {
                format!("'{s}'")
            } else {
                format!("\"{}\"", esc_c(s))
            }
        }
        Quote::Raw => s.replace('\n', "\\n"),
        Quote::Xml => s
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\n', "&#10;"),
        Quote::Sql => {
            if s.contains('\n') {
                return None;
            } else {
                format!("'{}'", s.replace('\'', "''"))
            }
        }
        Quote::Batch => {
            if s.contains('\n') || s.contains('"') {
                return None;
            } else {
                s.replace('%', "%%")
            }
        }
        Quote::Dockerfile => {
            if s.contains('\n') {
                return None;
            }
            if safe_bare(s) && rng.chance(0.5) {
                s.to_string()
            } else {
                format!("\"{}\"", esc_c(s).replace('$', "\\$"))
            }
        }
        Quote::Dotenv => {
            if safe_bare(s) && rng.chance(0.5) {
                s.to_string()
            } else if single_ok && rng.chance(0.4) {
                format!("'{s}'")
            } else {
                format!("\"{}\"", esc_c(s))
            }
        }
        Quote::Hcl => format!("\"{}\"", esc_c(s).replace("${", "$${").replace("%{", "%%{")),
        Quote::Make => {
            if s.contains('\n') {
                return None;
            } else {
                s.replace('$', "$$").replace('#', "\\#")
            }
        }
    })
}

fn words_of(key: &Key) -> Vec<String> {
    key.words.iter().map(|w| w.to_ascii_lowercase()).collect()
}

fn is_ident(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn cap(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The name in one casing; `None` when a fixed name is not an identifier and the marker needs one.
fn key_text(key: &Key, marker: &str, rng: &mut Rng) -> Option<String> {
    if let Some(fixed) = &key.fixed {
        return (marker == "any" || is_ident(fixed)).then(|| fixed.clone());
    }
    let w = words_of(key);
    Some(match marker {
        "snake" => w.join("_"),
        "SCREAM" => w.join("_").to_ascii_uppercase(),
        "camel" => w[0].clone() + &w[1..].iter().map(|x| cap(x)).collect::<String>(),
        "Pascal" => w.iter().map(|x| cap(x)).collect(),
        "kebab" => w.join("-"),
        "dotted" => w.join("."),
        _ => {
            let style = rng.pick(&[
                "snake", "SCREAM", "camel", "Pascal", "kebab", "dotted", "snake", "camel",
            ]);
            return key_text(key, style, rng);
        }
    })
}

/// Fills a template's markers: the name casings, `@v@`, `@parent@`, `@ts@`, and the extras.
fn fill(t: &str, key: Option<&Key>, extras: &[(&str, &str)], rng: &mut Rng) -> Option<String> {
    let mut out = String::new();
    let mut rest = t;
    while let Some(at) = rest.find('@') {
        let Some(len) = rest[at + 1..].find('@') else {
            break;
        };
        let marker = &rest[at + 1..at + 1 + len];
        let known = matches!(
            marker,
            "snake" | "SCREAM" | "camel" | "Pascal" | "kebab" | "dotted" | "any" | "parent" | "ts"
        ) || extras.iter().any(|(k, _)| *k == marker);
        if !known {
            out.push_str(&rest[..at + 1]);
            rest = &rest[at + 1..];
            continue;
        }
        out.push_str(&rest[..at]);
        let text = match marker {
            "parent" => rng.pick(PARENTS).to_string(),
            "ts" => format!(
                "2024-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                rng.range(1, 12),
                rng.range(1, 28),
                rng.range(0, 23),
                rng.range(0, 59),
                rng.range(0, 59),
                rng.range(0, 999)
            ),
            m if extras.iter().any(|(k, _)| *k == m) => {
                extras.iter().find(|(k, _)| *k == m).unwrap().1.to_string()
            }
            m => key_text(key?, m, rng)?,
        };
        out.push_str(&text);
        rest = &rest[at + 2 + len..];
    }
    out.push_str(rest);
    Some(out)
}

fn lines(text: &str) -> Vec<String> {
    text.split('\n').map(String::from).collect()
}

/// Converts `${NAME}` references in a command to the syntax's own.
fn cmd_env(kind: CmdEnv, cmd: &str) -> String {
    let mut out = String::new();
    let mut rest = cmd;
    while let Some(at) = rest.find("${") {
        if rest[at..].starts_with("${{") {
            out.push_str(&rest[..at + 3]);
            rest = &rest[at + 3..];
            continue;
        }
        let Some(end) = rest[at..].find('}') else {
            break;
        };
        let name = &rest[at + 2..at + end];
        out.push_str(&rest[..at]);
        out.push_str(&match kind {
            CmdEnv::Keep => format!("${{{name}}}"),
            CmdEnv::Batch => format!("%{name}%"),
            CmdEnv::PowerShell => format!("$env:{name}"),
            CmdEnv::Make => format!("$({name})"),
        });
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

fn value_text(spec: &Spec, key: &Key, val: &Val, rng: &mut Rng) -> Option<String> {
    let _ = key;
    match val {
        Val::Str(s) => quote(spec.quote, s, rng),
        Val::Bare(b) => Some(b.clone()),
        Val::Env(name) => {
            if spec.env.is_empty() {
                return None;
            }
            let t = rng.pick(spec.env);
            Some(
                t.replace("@NAME@", name)
                    .replace("@name@", &name.to_ascii_lowercase()),
            )
        }
        Val::Expr(e) => {
            if !spec.code {
                return None;
            }
            let call = e.find('(').is_some_and(|p| !e[..p].contains('.'));
            Some(if spec.quote == Quote::Php && !call {
                format!("${}", e.replace('.', "->"))
            } else {
                e.clone()
            })
        }
        Val::Type(_) => None,
    }
}

fn render_assign(spec: &Spec, key: &Key, val: &Val, rng: &mut Rng) -> Option<Vec<String>> {
    if let Val::Type(t) = val {
        if spec.types.is_empty() {
            return None;
        }
        let name = match *t {
            "str" => spec.type_names[0],
            "secret" => spec.type_names[1],
            _ => spec.type_names[2],
        };
        let tpl = rng.pick(spec.types);
        return fill(tpl, Some(key), &[("T", name)], rng).map(|t| lines(&t));
    }
    let v = value_text(spec, key, val, rng)?;
    let is_str = matches!(val, Val::Str(_));
    let password_name = key
        .words
        .iter()
        .any(|w| w.to_ascii_lowercase().contains("pass") || w.eq_ignore_ascii_case("pwd"));
    if spec.name == "sql" && password_name && rng.chance(0.7) {
        let t = rng.pick(&[
            "CREATE USER app_rw IDENTIFIED BY @v@;",
            "ALTER USER 'etl'@'%' IDENTIFIED BY @v@;",
            "CREATE ROLE reporting LOGIN PASSWORD @v@;",
            "ALTER ROLE billing WITH PASSWORD @v@;",
            "EXEC sp_addlogin 'svc', @v@;",
        ]);
        return fill(t, Some(key), &[("v", &v)], rng).map(|t| lines(&t));
    }
    for _ in 0..8 {
        let t = rng.pick(spec.assign);
        let (t, str_only) = match t.strip_prefix('!') {
            Some(t) => (t, true),
            None => (t, false),
        };
        if str_only && !is_str {
            continue;
        }
        // A value that is not a quoted string has no quotes to strip.
        let raw = match val {
            Val::Str(s) => s.clone(),
            _ => v.clone(),
        };
        let xml = quote(Quote::Xml, &raw, rng)?;
        if let Some(out) = fill(t, Some(key), &[("v", &v), ("xml", &xml)], rng) {
            return Some(lines(&out));
        }
    }
    None
}

fn render_block(spec: &Spec, key: &Key, body: &[String], rng: &mut Rng) -> Option<Vec<String>> {
    let escaped = spec.escaped_block && (spec.block.is_empty() || rng.chance(0.3));
    if escaped {
        let joined = body.join("\n") + "\n";
        return render_assign(spec, key, &Val::Str(joined), rng);
    }
    if spec.block.is_empty() {
        return None;
    }
    for _ in 0..8 {
        let (open, close, indent) = rng.pick(spec.block);
        let (Some(open), Some(close)) = (
            fill(open, Some(key), &[], rng),
            fill(close, Some(key), &[], rng),
        ) else {
            continue;
        };
        let inner: Vec<String> = body
            .iter()
            .map(|l| {
                if l.is_empty() {
                    l.clone()
                } else {
                    format!("{indent}{l}")
                }
            })
            .collect();
        let inner = if spec.quote == Quote::Xml {
            inner
                .iter()
                .map(|l| quote(Quote::Xml, l, rng).unwrap())
                .collect()
        } else {
            inner
        };
        return Some(lines(&format!("{open}{}{close}", inner.join("\n"))));
    }
    None
}

fn render_command(spec: &Spec, cmd: &str, rng: &mut Rng) -> Option<Vec<String>> {
    if spec.command.is_empty() {
        return None;
    }
    // A recipe writes the shell's `$` as `$$`, and `${NAME}` as the make variable `$(NAME)`.
    let raw = if spec.cmd_env == CmdEnv::Make {
        cmd_env(
            CmdEnv::Make,
            &cmd.replace("$(", "$$(").replace("$\"", "$$\""),
        )
    } else {
        cmd_env(spec.cmd_env, cmd)
    };
    let quoted = quote(
        if spec.quote == Quote::Either {
            Quote::Double
        } else {
            spec.quote
        },
        &raw,
        rng,
    )?;
    let xml = quote(Quote::Xml, &raw, rng)?;
    let t = rng.pick(spec.command);
    let target = rng.pick(&["deploy", "release", "db-backup", "login", "sync"]);
    fill(
        t,
        None,
        &[
            ("cmd", &quoted),
            ("raw", &raw),
            ("xml", &xml),
            ("target", target),
        ],
        rng,
    )
    .map(|t| lines(&t))
}

fn render_header(spec: &Spec, name: &str, value: &str, rng: &mut Rng) -> Option<Vec<String>> {
    if spec.header.is_empty() {
        if !spec.command.is_empty() && rng.chance(0.6) {
            return render_command(
                spec,
                &format!("curl -fsS -H \"{name}: {value}\" https://api.acme.io/v1/items"),
                rng,
            );
        }
        let key = Key::words(if name == "Authorization" {
            &["auth", "header"]
        } else {
            &["api", "key", "header"]
        });
        let v = if name == "Authorization" {
            value.to_string()
        } else {
            format!("{name}: {value}")
        };
        return render_assign(spec, &key, &Val::Str(v), rng);
    }
    let v = quote(spec.quote, value, rng)?;
    let hv = quote(spec.quote, &format!("{name}: {value}"), rng)?;
    let xml = quote(Quote::Xml, value, rng)?;
    let t = rng.pick(spec.header);
    fill(
        t,
        None,
        &[
            ("h", name),
            ("v", &v),
            ("hv", &hv),
            ("xml", &xml),
            ("rawv", value),
        ],
        rng,
    )
    .map(|t| lines(&t))
}

/// The lines of one case in `spec`'s syntax.
pub fn render(spec: &Spec, case: &Case, rng: &mut Rng) -> Option<Vec<String>> {
    match &case.shape {
        Shape::Assign(pairs) => {
            let mut out: Vec<String> = Vec::new();
            for (k, v) in pairs {
                if let (Some(sep), Some(last)) = (spec.sep, out.last_mut()) {
                    last.push_str(sep);
                }
                out.extend(render_assign(spec, k, v, rng)?);
            }
            Some(out)
        }
        Shape::Block(k, body) => render_block(spec, k, body, rng),
        Shape::Header(name, value) => render_header(spec, name, value, rng),
        Shape::Command(cmd) => render_command(spec, cmd, rng),
        Shape::Prose(text) => {
            let (open, close) = spec.comment?;
            fill(
                &format!("{open}@text@{close}"),
                None,
                &[("text", text)],
                rng,
            )
            .map(|t| lines(&t))
        }
        Shape::Raw(raw) => (spec.kind == Kind::Dedicated).then(|| raw.clone()),
    }
}

pub fn filler(spec: &Spec, rng: &mut Rng) -> Vec<String> {
    let t = rng.pick(spec.filler);
    lines(&fill(t, None, &[], rng).unwrap_or_else(|| t.to_string()))
}

// ─── the syntaxes ────────────────────────────────────────────────────────────

const NO: &[&str] = &[];

macro_rules! spec {
    ($($field:ident: $value:expr),* $(,)?) => {
        Spec { $($field: $value,)* ..BASE }
    };
}

const BASE: Spec = Spec {
    name: "",
    paths: NO,
    head: "",
    foot: "",
    indent: "",
    sep: None,
    comment: None,
    assign: NO,
    header: NO,
    command: NO,
    cmd_env: CmdEnv::Keep,
    block: &[],
    escaped_block: false,
    types: NO,
    type_names: ["", "", ""],
    env: NO,
    code: false,
    quote: Quote::Double,
    filler: NO,
    kind: Kind::General,
};

pub const SPECS: &[Spec] = &[
    spec!(
        name: "python",
        paths: &["app/settings.py", "app/services/billing.py", "scripts/sync_accounts.py"],
        head: "\"\"\"Service settings and clients.\"\"\"\nimport logging\nimport os\nimport subprocess\n\nimport requests\n\nlog = logging.getLogger(__name__)\n",
        comment: Some(("# ", "")),
        assign: &["@snake@ = @v@", "@SCREAM@ = @v@", "@SCREAM@ = @v@", "!@snake@: str = @v@", "config.@snake@ = @v@",
            "settings = {\"@any@\": @v@}", "client = Client(@snake@=@v@)", "os.environ[\"@SCREAM@\"] = @v@",
            "DEFAULTS = dict(@snake@=@v@, timeout=30)"],
        header: &["headers = {\"@h@\": @v@}", "session.headers[\"@h@\"] = @v@", "resp = requests.get(url, headers={\"@h@\": @v@}, timeout=10)"],
        command: &["subprocess.run(@cmd@, shell=True, check=True)", "os.system(@cmd@)"],
        block: &[("@SCREAM@ = \"\"\"", "\"\"\"", ""), ("@snake@ = \"\"\"\\\n", "\n\"\"\"", "")],
        escaped_block: true,
        types: &["@snake@: @T@", "@snake@: @T@ = None"],
        type_names: ["str", "SecretStr", "Optional[str]"],
        env: &["os.getenv(\"@NAME@\")", "os.environ[\"@NAME@\"]", "os.environ.get(\"@NAME@\", \"\")"],
        code: true,
        quote: Quote::Either,
        filler: &["TIMEOUT_SECONDS = 30", "log.info(\"starting %s\", __name__)", "", "MAX_RETRIES = 5",
            "REGION = \"eu-west-1\"", "def healthcheck():\n    return {\"status\": \"ok\"}\n", "BATCH_SIZE = 500",
            "SERVICE_NAME = \"billing-service\"", "if DEBUG:\n    log.setLevel(logging.DEBUG)", "ALLOWED_HOSTS = [\"api.acme.io\"]"],
    ),
    spec!(
        name: "javascript",
        paths: &["app/config.js", "app/lib/client.js", "scripts/seed.mjs"],
        head: "'use strict';\n\nconst { execSync } = require('child_process');\nconst axios = require('axios');\n",
        comment: Some(("// ", "")),
        assign: &["const @camel@ = @v@;", "const @SCREAM@ = @v@;", "let @camel@ = @v@;", "var @camel@ = @v@;",
            "module.exports.@camel@ = @v@;", "const config = { @camel@: @v@ };", "const opts = { '@any@': @v@, retries: 3 };",
            "process.env.@SCREAM@ = @v@;", "exports.@SCREAM@ = @v@;"],
        header: &["axios.defaults.headers.common['@h@'] = @v@;", "const headers = { '@h@': @v@ };",
            "await fetch(url, { headers: { '@h@': @v@ } });"],
        command: &["execSync(@cmd@, { stdio: 'inherit' });"],
        block: &[("const @camel@ = `", "`;", ""), ("const @SCREAM@ = `\n", "\n`;", "")],
        escaped_block: true,
        env: &["process.env.@NAME@", "process.env['@NAME@']", "process.env.@NAME@ || ''"],
        code: true,
        quote: Quote::Either,
        filler: &["const PORT = 8080;", "", "const log = require('pino')();", "function retry(fn, n = 3) {\n  return fn().catch((e) => (n ? retry(fn, n - 1) : Promise.reject(e)));\n}",
            "const REGION = 'eu-west-1';", "log.info('ready');", "const MAX_ITEMS = 100;"],
    ),
    spec!(
        name: "typescript",
        paths: &["app/src/config.ts", "app/src/api/client.ts", "infra/cdk/stack.ts"],
        head: "import { execSync } from \"node:child_process\";\nimport type { Options } from \"./types\";\n",
        comment: Some(("// ", "")),
        assign: &["export const @camel@ = @v@;", "const @camel@: string = @v@;", "export const @SCREAM@ = @v@;",
            "const options: Options = { @camel@: @v@ };", "export default { @camel@: @v@ };", "let @camel@ = @v@;",
            "const settings = { \"@any@\": @v@ } as const;"],
        header: &["const headers: Record<string, string> = { \"@h@\": @v@ };", "client.defaults.headers[\"@h@\"] = @v@;",
            "const res = await fetch(url, { headers: { \"@h@\": @v@ } });"],
        command: &["execSync(@cmd@);"],
        block: &[("export const @camel@ = `", "`;", "")],
        escaped_block: true,
        types: &["let @camel@: @T@;", "declare const @camel@: @T@;"],
        type_names: ["string", "Secret<string>", "string | undefined"],
        env: &["process.env.@NAME@", "process.env.@NAME@ ?? \"\"", "import.meta.env.VITE_@NAME@"],
        code: true,
        quote: Quote::Either,
        filler: &["export const PORT = 8080;", "", "export interface Options {\n  retries?: number;\n}", "const REGION = \"eu-west-1\";",
            "export function sleep(ms: number): Promise<void> {\n  return new Promise((r) => setTimeout(r, ms));\n}", "const LIMIT = 50;"],
    ),
    spec!(
        name: "rust",
        paths: &["app/src/config.rs", "app/src/client.rs", "scripts/src/main.rs"],
        head: "use std::process::Command;\n\nfn main() {",
        foot: "}",
        indent: "    ",
        comment: Some(("// ", "")),
        assign: &["let @snake@ = @v@;", "const @SCREAM@: &str = @v@;", "static @SCREAM@: &str = @v@;", "let @snake@: &str = @v@;",
            "let cfg = Config { @snake@: @v@.to_string(), ..Default::default() };", "std::env::set_var(\"@SCREAM@\", @v@);",
            "let @snake@ = String::from(@v@);"],
        header: &["let req = client.get(url).header(\"@h@\", @v@);", "headers.insert(\"@h@\", HeaderValue::from_static(@v@));"],
        command: &["Command::new(\"sh\").arg(\"-c\").arg(@cmd@).status()?;"],
        block: &[("let @snake@ = r\"", "\";", ""), ("const @SCREAM@: &str = r#\"", "\"#;", "")],
        escaped_block: true,
        types: &["let @snake@: @T@;"],
        type_names: ["String", "SecretString", "Option<String>"],
        env: &["std::env::var(\"@NAME@\")?", "env::var(\"@NAME@\").unwrap_or_default()", "env!(\"@NAME@\")"],
        code: true,
        filler: &["let timeout = Duration::from_secs(30);", "", "let retries = 5;", "tracing::info!(\"starting\");",
            "let region = \"eu-west-1\";", "for attempt in 0..retries {\n    tracing::debug!(attempt, \"connecting\");\n}"],
    ),
    spec!(
        name: "go",
        paths: &["app/internal/config/config.go", "app/cmd/worker/main.go", "infra/tools/sync.go"],
        head: "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n\t\"os/exec\"\n)\n\nfunc init() {",
        foot: "}",
        indent: "\t",
        comment: Some(("// ", "")),
        assign: &["@camel@ := @v@", "var @camel@ = @v@", "const @Pascal@ = @v@", "cfg := Config{@Pascal@: @v@}",
            "cfg := Config{\n\t\tHost:    \"db.internal\",\n\t\t@Pascal@: @v@,\n\t}", "os.Setenv(\"@SCREAM@\", @v@)", "var @camel@ string = @v@"],
        header: &["req.Header.Set(\"@h@\", @v@)", "req.Header.Add(\"@h@\", @v@)"],
        command: &["exec.Command(\"sh\", \"-c\", @cmd@).Run()"],
        block: &[("@camel@ := `", "`", ""), ("const @Pascal@ = `\n", "\n`", "")],
        escaped_block: true,
        types: &["var @camel@ @T@"],
        type_names: ["string", "secret.String", "*string"],
        env: &["os.Getenv(\"@NAME@\")", "mustEnv(\"@NAME@\")"],
        code: true,
        filler: &["timeout := 30 * time.Second", "", "log.Println(\"starting worker\")", "region := \"eu-west-1\"",
            "if err != nil {\n\treturn\n}", "maxConns := 20"],
    ),
    spec!(
        name: "java",
        paths: &["app/src/main/java/com/acme/Config.java", "app/src/main/java/com/acme/Client.java", "app/src/main/java/com/acme/Jobs.java"],
        head: "package com.acme;\n\nimport java.util.Properties;\n\npublic class Config {\n    void configure(Properties props) throws Exception {",
        foot: "    }\n}",
        indent: "        ",
        comment: Some(("// ", "")),
        assign: &["String @camel@ = @v@;", "final String @SCREAM@ = @v@;", "var @camel@ = @v@;", "props.setProperty(\"@any@\", @v@);",
            "System.setProperty(\"@dotted@\", @v@);", "DataSource ds = DataSourceBuilder.create().url(\"jdbc:postgresql://db/app\").@camel@(@v@).build();",
            "settings.put(\"@any@\", @v@);"],
        header: &["conn.setRequestProperty(\"@h@\", @v@);", "request = HttpRequest.newBuilder(uri).header(\"@h@\", @v@).build();"],
        command: &["Runtime.getRuntime().exec(new String[] {\"sh\", \"-c\", @cmd@});"],
        block: &[("String @camel@ = \"\"\"\n", "\n\"\"\";", "")],
        escaped_block: true,
        types: &["String @camel@;", "Optional<String> @camel@ = Optional.empty();"],
        type_names: ["String", "char[]", "Optional<String>"],
        env: &["System.getenv(\"@NAME@\")", "System.getProperty(\"@name@\")"],
        code: true,
        filler: &["int timeout = 30;", "", "log.info(\"configured\");", "String region = \"eu-west-1\";", "props.setProperty(\"pool.size\", \"20\");"],
    ),
    spec!(
        name: "kotlin",
        paths: &["app/src/main/kotlin/com/acme/Config.kt", "app/src/main/kotlin/com/acme/Api.kt", "app/build.gradle.kts"],
        head: "package com.acme\n\nimport java.util.Properties\n",
        comment: Some(("// ", "")),
        assign: &["val @camel@ = @v@", "const val @SCREAM@ = @v@", "private val @camel@ = @v@", "var @camel@: String = @v@",
            "val settings = mapOf(\"@any@\" to @v@)", "System.setProperty(\"@dotted@\", @v@)"],
        header: &["val request = Request.Builder().url(url).addHeader(\"@h@\", @v@).build()", "connection.setRequestProperty(\"@h@\", @v@)"],
        command: &["val proc = ProcessBuilder(\"sh\", \"-c\", @cmd@).start()"],
        block: &[("val @camel@ = \"\"\"\n", "\n\"\"\".trimIndent()", "    ")],
        escaped_block: true,
        types: &["lateinit var @camel@: @T@", "val @camel@: @T@? = null"],
        type_names: ["String", "CharArray", "String"],
        env: &["System.getenv(\"@NAME@\")", "System.getenv(\"@NAME@\") ?: \"\""],
        code: true,
        quote: Quote::Kotlin,
        filler: &["const val TIMEOUT = 30", "", "val region = \"eu-west-1\"", "fun ping(): Boolean = true", "private val log = LoggerFactory.getLogger(\"app\")"],
    ),
    spec!(
        name: "csharp",
        paths: &["app/Api/Startup.cs", "app/Api/Services/Mailer.cs", "infra/Tools/Program.cs"],
        head: "using System;\nusing System.Net.Http;\n\nnamespace Acme.Api;\n\npublic class Startup\n{\n    public void Configure(IConfiguration config)\n    {",
        foot: "    }\n}",
        indent: "        ",
        comment: Some(("// ", "")),
        assign: &["var @camel@ = @v@;", "string @camel@ = @v@;", "const string @Pascal@ = @v@;", "config[\"@Pascal@\"] = @v@;",
            "var options = new ClientOptions { @Pascal@ = @v@ };", "Environment.SetEnvironmentVariable(\"@SCREAM@\", @v@);",
            "var settings = new Dictionary<string, string> { [\"@any@\"] = @v@ };"],
        header: &["client.DefaultRequestHeaders.Add(\"@h@\", @v@);", "request.Headers.TryAddWithoutValidation(\"@h@\", @v@);"],
        command: &["Process.Start(\"/bin/sh\", new[] { \"-c\", @cmd@ });"],
        block: &[("var @camel@ = @\"", "\";", "")],
        escaped_block: true,
        types: &["string @camel@;", "string? @camel@ = null;"],
        type_names: ["string", "SecureString", "string?"],
        env: &["Environment.GetEnvironmentVariable(\"@NAME@\")", "config[\"@NAME@\"]"],
        code: true,
        filler: &["var timeout = TimeSpan.FromSeconds(30);", "", "logger.LogInformation(\"configured\");", "var region = \"eu-west-1\";", "services.AddHealthChecks();"],
    ),
    spec!(
        name: "ruby",
        paths: &["app/config/initializers/services.rb", "app/lib/acme/client.rb", "scripts/backfill.rb"],
        head: "# frozen_string_literal: true\n\nrequire \"net/http\"\n",
        comment: Some(("# ", "")),
        assign: &["@snake@ = @v@", "@SCREAM@ = @v@", "config.@snake@ = @v@", "ENV[\"@SCREAM@\"] = @v@", "settings = { :@snake@ => @v@ }",
            "settings = { @snake@: @v@ }", "opts = { \"@any@\" => @v@, timeout: 5 }", "Acme.configure { |c| c.@snake@ = @v@ }"],
        header: &["request[\"@h@\"] = @v@", "conn.headers[\"@h@\"] = @v@", "headers = { \"@h@\" => @v@ }"],
        command: &["system(@cmd@)", "output = `@raw@`"],
        block: &[("@SCREAM@ = <<~PEM\n", "\nPEM", "  ")],
        escaped_block: true,
        env: &["ENV[\"@NAME@\"]", "ENV.fetch(\"@NAME@\")", "ENV.fetch(\"@NAME@\", nil)"],
        code: true,
        quote: Quote::Ruby,
        filler: &["TIMEOUT = 30", "", "Rails.logger.info(\"booted\")", "REGION = \"eu-west-1\"", "def healthy?\n  true\nend", "MAX_RETRIES = 3"],
    ),
    spec!(
        name: "php",
        paths: &["app/config/services.php", "app/src/Client.php", "scripts/import.php"],
        head: "<?php\n\ndeclare(strict_types=1);\n",
        comment: Some(("// ", "")),
        assign: &["$@camel@ = @v@;", "$@snake@ = @v@;", "define('@SCREAM@', @v@);", "$config['@any@'] = @v@;",
            "return ['@any@' => @v@, 'timeout' => 5];", "$settings = ['@snake@' => @v@];", "putenv('@SCREAM@=' . @v@);", "const @SCREAM@ = @v@;"],
        header: &["curl_setopt($ch, CURLOPT_HTTPHEADER, [@hv@]);", "$headers[] = @hv@;", "$headers .= @hv@;"],
        command: &["shell_exec(@cmd@);", "exec(@cmd@, $out);"],
        block: &[("$@camel@ = <<<'EOT'\n", "\nEOT;", "")],
        escaped_block: true,
        env: &["getenv('@NAME@')", "$_ENV['@NAME@']", "env('@NAME@')"],
        code: true,
        quote: Quote::Php,
        filler: &["$timeout = 30;", "", "$logger->info('ready');", "$region = 'eu-west-1';", "function ping(): bool\n{\n    return true;\n}"],
    ),
    spec!(
        name: "shell",
        paths: &["scripts/deploy.sh", "scripts/bootstrap.sh", "deploy/entrypoint.sh"],
        head: "#!/usr/bin/env bash\nset -euo pipefail\n",
        comment: Some(("# ", "")),
        assign: &["export @SCREAM@=@v@", "@SCREAM@=@v@", "local @snake@=@v@", "export @SCREAM@=@v@", "declare -r @SCREAM@=@v@"],
        command: &["@raw@", "@raw@ || exit 1", "if ! @raw@; then echo \"failed\" >&2; fi"],
        block: &[("cat > /etc/app/@snake@.pem <<'EOF'\n", "\nEOF", ""), ("export @SCREAM@=\"", "\"", "")],
        env: &["\"$@NAME@\"", "\"${@NAME@}\"", "${@NAME@:-}", "$(cat /run/secrets/@name@)"],
        quote: Quote::Shell,
        filler: &["cd \"$(dirname \"$0\")\"", "", "echo \"deploying $APP_NAME\"", "REGION=eu-west-1", "for i in 1 2 3; do\n  sleep \"$i\"\ndone", "mkdir -p build/out", "TIMEOUT=30"],
    ),
    spec!(
        name: "powershell",
        paths: &["scripts/deploy.ps1", "scripts/setup-dev.ps1", "infra/rotate.ps1"],
        head: "#Requires -Version 7\n$ErrorActionPreference = 'Stop'\n",
        comment: Some(("# ", "")),
        assign: &["$@camel@ = @v@", "$env:@SCREAM@ = @v@", "$@Pascal@ = @v@", "[Environment]::SetEnvironmentVariable('@SCREAM@', @v@, 'User')",
            "$settings = @{ @Pascal@ = @v@ }", "Set-Variable -Name @camel@ -Value @v@"],
        header: &["$headers = @{ '@h@' = @v@ }", "Invoke-RestMethod -Uri $uri -Headers @{ '@h@' = @v@ }"],
        command: &["@raw@", "& @raw@"],
        cmd_env: CmdEnv::PowerShell,
        block: &[("$@camel@ = @'\n", "\n'@", "")],
        env: &["$env:@NAME@", "[Environment]::GetEnvironmentVariable('@NAME@')"],
        quote: Quote::PowerShell,
        filler: &["Set-Location $PSScriptRoot", "", "Write-Host 'deploying'", "$region = 'eu-west-1'", "Import-Module Az.Accounts", "$timeout = 30"],
    ),
    spec!(
        name: "batch",
        paths: &["scripts/build.cmd", "scripts/setup.bat", "deploy/install.bat"],
        head: "@echo off\nsetlocal\n",
        comment: Some(("REM ", "")),
        assign: &["set \"@SCREAM@=@v@\"", "set \"@SCREAM@=@v@\"", "setx @SCREAM@ \"@v@\"", "set \"@camel@=@v@\""],
        command: &["@raw@", "call @raw@"],
        cmd_env: CmdEnv::Batch,
        env: &["%@NAME@%"],
        quote: Quote::Batch,
        filler: &["cd /d %~dp0", "", "echo building", "set REGION=eu-west-1", "if errorlevel 1 exit /b 1", "set TIMEOUT=30"],
    ),
    spec!(
        name: "dockerfile",
        paths: &["Dockerfile", "deploy/worker/Dockerfile", "infra/images/api.Dockerfile"],
        head: "FROM python:3.12-slim AS base\nWORKDIR /app\n",
        comment: Some(("# ", "")),
        assign: &["ENV @SCREAM@=@v@", "ENV @SCREAM@ @v@", "ARG @SCREAM@=@v@", "ENV @SCREAM@=@v@ \\\n    APP_ENV=production"],
        command: &["RUN @raw@", "RUN set -eux; \\\n    @raw@"],
        block: &[("COPY <<EOF /run/keys/@snake@.pem\n", "\nEOF", "")],
        env: &["${@NAME@}", "$@NAME@"],
        quote: Quote::Dockerfile,
        filler: &["COPY requirements.txt .", "", "RUN pip install --no-cache-dir -r requirements.txt", "EXPOSE 8080", "USER app", "COPY . .", "ENV PYTHONUNBUFFERED=1"],
    ),
    spec!(
        name: "makefile",
        paths: &["Makefile", "deploy/Makefile", "infra/release.mk"],
        head: ".PHONY: build deploy\n\nAPP := billing\n",
        comment: Some(("# ", "")),
        assign: &["@SCREAM@ ?= @v@", "@SCREAM@ := @v@", "@SCREAM@ = @v@", "export @SCREAM@ := @v@", "@SCREAM@ += @v@"],
        command: &["@target@:\n\t@raw@", "ci-@target@:\n\t@@raw@"],
        cmd_env: CmdEnv::Make,
        block: &[("define @SCREAM@\n", "\nendef", "")],
        env: &["$(@NAME@)", "${@NAME@}"],
        quote: Quote::Make,
        filler: &["build:\n\tcargo build --release", "", "VERSION ?= 1.4.2", "clean:\n\trm -rf target", "REGION := eu-west-1", "test:\n\tcargo nextest run"],
    ),
    spec!(
        name: "yaml",
        paths: &["config/application.yml", "deploy/values.yaml", "config/services.yaml"],
        head: "app:\n  name: billing\n  port: 8080\n",
        comment: Some(("  # ", "")),
        assign: &["  @snake@: @v@", "  @camel@: @v@", "  @kebab@: @v@", "  @parent@:\n    @any@: @v@", "  @dotted@: @v@",
            "  env:\n    - name: @SCREAM@\n      value: @v@", "  items:\n    - @snake@: @v@", "  @parent@:\n    nested:\n      @camel@: @v@"],
        header: &["  headers:\n    @h@: @v@", "  http:\n    default-headers:\n      @h@: @v@"],
        command: &["  command:\n    - /bin/sh\n    - -c\n    - @cmd@", "  script: |\n    @raw@"],
        block: &[("  @any@: |\n", "", "    "), ("  @parent@:\n    @any@: |-\n", "", "      ")],
        escaped_block: true,
        env: &["\"${@NAME@}\"", "${@NAME@}", "\"{{ .Values.@name@ }}\""],
        quote: Quote::Yaml,
        filler: &["  replicas: 3", "", "  logging:\n    level: info", "  region: eu-west-1", "  features:\n    - search\n    - export", "  timeout: 30s"],
    ),
    spec!(
        name: "github-actions",
        paths: &[".github/workflows/deploy.yml", ".github/workflows/ci.yml", ".github/workflows/release.yml"],
        head: "name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4",
        comment: Some(("      # ", "")),
        assign: &["      - name: Configure\n        env:\n          @SCREAM@: @v@\n        run: ./scripts/configure.sh",
            "      - uses: acme/deploy-action@v2\n        with:\n          @kebab@: @v@", "      - run: ./deploy.sh\n        env:\n          @SCREAM@: @v@"],
        command: &["      - name: Step\n        run: |\n          @raw@", "      - run: @cmd@"],
        block: &[("      - name: Write key\n        env:\n          @SCREAM@: |\n", "\n        run: ./scripts/install-key.sh", "            ")],
        env: &["${{ secrets.@NAME@ }}", "${{ env.@NAME@ }}", "${{ vars.@NAME@ }}"],
        quote: Quote::Yaml,
        filler: &["      - uses: actions/setup-node@v4\n        with:\n          node-version: 20", "      - run: npm ci", "      - run: npm test", "      - name: Build\n        run: make build"],
    ),
    spec!(
        name: "json",
        paths: &["config/settings.json", "config/production.json", "deploy/appsettings.json"],
        head: "{\n  \"name\": \"billing\",",
        foot: "}",
        indent: "  ",
        sep: Some(","),
        comment: Some(("\"_comment\": \"", "\"")),
        assign: &["\"@any@\": @v@", "\"@camel@\": @v@", "\"@parent@\": {\n  \"@any@\": @v@\n}", "\"@SCREAM@\": @v@", "\"@parent@\": {\n  \"host\": \"db.internal\",\n  \"@camel@\": @v@\n}"],
        header: &["\"headers\": {\n  \"@h@\": @v@\n}"],
        command: &["\"scripts\": {\n  \"deploy\": @cmd@\n}", "\"postinstall\": @cmd@"],
        escaped_block: true,
        env: &["\"${@NAME@}\"", "\"$@NAME@\""],
        filler: &["\"timeout\": 30", "\"region\": \"eu-west-1\"", "\"features\": [\"search\", \"export\"]", "\"logging\": {\n  \"level\": \"info\"\n}", "\"retries\": 5"],
    ),
    spec!(
        name: "toml",
        paths: &["config/app.toml", "config/production.toml", "deploy/settings.toml"],
        head: "title = \"billing\"\n\n[server]\nport = 8080",
        comment: Some(("# ", "")),
        assign: &["@snake@ = @v@", "@kebab@ = @v@", "[@parent@]\n@snake@ = @v@", "[@parent@.credentials]\n@any@ = @v@", "@parent@.@snake@ = @v@"],
        header: &["[http.headers]\n@h@ = @v@", "headers = { \"@h@\" = @v@ }"],
        block: &[("@snake@ = \"\"\"\n", "\n\"\"\"", ""), ("@snake@ = '''\n", "'''", "")],
        escaped_block: true,
        env: &["\"${@NAME@}\"", "\"env:@NAME@\""],
        quote: Quote::Toml,
        filler: &["timeout = 30", "", "[logging]\nlevel = \"info\"", "region = \"eu-west-1\"", "workers = 4"],
    ),
    spec!(
        name: "ini",
        paths: &["config/app.ini", "config/production.cfg", "deploy/service.conf"],
        head: "[main]\nname = billing",
        comment: Some(("; ", "")),
        assign: &["@snake@ = @v@", "@snake@=@v@", "[@parent@]\n@any@ = @v@", "@dotted@ = @v@", "@camel@: @v@"],
        header: &["[headers]\n@h@ = @rawv@"],
        escaped_block: true,
        env: &["${@NAME@}", "%(@name@)s", "${env:@NAME@}"],
        quote: Quote::Raw,
        filler: &["timeout = 30", "", "[logging]\nlevel = info", "region = eu-west-1", "workers = 4", "; settings for the worker"],
    ),
    spec!(
        name: "properties",
        paths: &["app/src/main/resources/application.properties", "config/app.properties", "deploy/production.properties"],
        head: "spring.application.name=billing\nserver.port=8080",
        comment: Some(("# ", "")),
        assign: &["@dotted@=@v@", "@dotted@ = @v@", "@parent@.@dotted@=@v@", "@camel@: @v@", "@kebab@=@v@", "app.@parent@.@kebab@=@v@"],
        header: &["http.client.headers.@h@=@rawv@"],
        block: &[("@dotted@=", "", "")],
        escaped_block: true,
        env: &["${@NAME@}", "${@NAME@:}"],
        quote: Quote::Raw,
        filler: &["logging.level.root=INFO", "", "spring.jpa.open-in-view=false", "app.region=eu-west-1", "server.shutdown=graceful"],
    ),
    spec!(
        name: "dotenv",
        paths: &[".env", "deploy/production.env", "config/.env.local"],
        head: "# service environment",
        comment: Some(("# ", "")),
        assign: &["@SCREAM@=@v@", "@SCREAM@=@v@", "export @SCREAM@=@v@", "@SCREAM@ = @v@"],
        escaped_block: true,
        env: &["${@NAME@}", "$@NAME@"],
        quote: Quote::Dotenv,
        filler: &["APP_ENV=production", "", "LOG_LEVEL=info", "PORT=8080", "REGION=eu-west-1", "WORKERS=4"],
    ),
    spec!(
        name: "xml",
        paths: &["app/Web.config", "config/settings.xml", "deploy/context.xml"],
        head: "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>",
        foot: "</configuration>",
        indent: "  ",
        comment: Some(("<!-- ", " -->")),
        assign: &["<add key=\"@Pascal@\" value=\"@xml@\" />", "<@camel@>@xml@</@camel@>", "<property name=\"@dotted@\" value=\"@xml@\"/>",
            "<entry key=\"@any@\">@xml@</entry>", "<Setting Name=\"@Pascal@\" Value=\"@xml@\" />",
            "<@parent@>\n  <username>deploy</username>\n  <@camel@>@xml@</@camel@>\n</@parent@>",
            "<add name=\"@Pascal@\" connectionString=\"@xml@\" providerName=\"System.Data.SqlClient\" />",
            "<server id=\"releases\" @camel@=\"@xml@\" />"],
        header: &["<header name=\"@h@\" value=\"@xml@\" />"],
        command: &["<exec executable=\"sh\">\n  <arg value=\"-c\" />\n  <arg value=\"@xml@\" />\n</exec>"],
        block: &[("<@camel@>\n", "\n</@camel@>", "")],
        env: &["${@NAME@}", "${env.@NAME@}", "$(@NAME@)"],
        quote: Quote::Xml,
        filler: &["<add key=\"Timeout\" value=\"30\" />", "", "<logging level=\"info\" />", "<add key=\"Region\" value=\"eu-west-1\" />", "<appSettings>\n  <add key=\"Workers\" value=\"4\" />\n</appSettings>"],
    ),
    spec!(
        name: "hcl",
        paths: &["infra/main.tf", "infra/modules/db/variables.tf", "infra/providers.tf"],
        head: "terraform {\n  required_version = \">= 1.6\"\n}\n",
        comment: Some(("# ", "")),
        assign: &["variable \"@snake@\" {\n  type      = string\n  default   = @v@\n  sensitive = true\n}",
            "resource \"aws_db_instance\" \"main\" {\n  engine   = \"postgres\"\n  @snake@ = @v@\n}",
            "locals {\n  @snake@ = @v@\n}", "provider \"acme\" {\n  @snake@ = @v@\n}", "@snake@ = @v@"],
        header: &["locals {\n  headers = { \"@h@\" = @v@ }\n}"],
        command: &["resource \"null_resource\" \"bootstrap\" {\n  provisioner \"local-exec\" {\n    command = @cmd@\n  }\n}"],
        block: &[("variable \"@snake@\" {\n  default = <<EOT\n", "\nEOT\n}", "")],
        escaped_block: true,
        env: &["var.@name@", "data.vault_generic_secret.app.data[\"@name@\"]", "\"${var.@name@}\""],
        code: false,
        quote: Quote::Hcl,
        filler: &["variable \"region\" {\n  default = \"eu-west-1\"\n}", "", "output \"endpoint\" {\n  value = aws_db_instance.main.endpoint\n}", "module \"vpc\" {\n  source = \"./modules/vpc\"\n}"],
    ),
    spec!(
        name: "log",
        paths: &["logs/app.log", "logs/worker-2024-05-01.log", "var/log/deploy.log"],
        comment: Some(("@ts@ INFO  [main] ", "")),
        assign: &["@ts@ INFO  config: loaded @SCREAM@=@v@", "@ts@ DEBUG [main] using @any@=@v@", "@ts@ WARN  auth: @snake@=@v@ expired, refreshing",
            "@ts@ INFO  env @SCREAM@=@v@", "@ts@ DEBUG settings {\"@any@\": \"@v@\"}", "@ts@ ERROR login failed for @snake@ @v@"],
        header: &["@ts@ DEBUG > @h@: @rawv@", "@ts@ TRACE request headers: @h@=@rawv@"],
        command: &["@ts@ INFO  exec: @raw@", "@ts@ DEBUG running `@raw@`"],
        block: &[("@ts@ DEBUG loaded key material:\n", "", "")],
        quote: Quote::Raw,
        filler: &["@ts@ INFO  [main] server listening on :8080", "@ts@ DEBUG [pool] 4 connections idle", "@ts@ WARN  [gc] pause 120ms",
            "@ts@ INFO  [http] GET /health 200 2ms", "@ts@ INFO  [job] processed 500 records"],
    ),
    spec!(
        name: "sql",
        paths: &["infra/db/migrations/0001_init.sql", "infra/db/seed.sql", "scripts/grants.sql"],
        head: "-- schema and grants\nBEGIN;",
        foot: "COMMIT;",
        comment: Some(("-- ", "")),
        assign: &["INSERT INTO settings (name, value) VALUES ('@any@', @v@);", "UPDATE integrations SET @snake@ = @v@ WHERE id = 3;",
            "INSERT INTO credentials (service, @snake@) VALUES ('billing', @v@);"],
        command: &["-- run: @raw@"],
        block: &[("INSERT INTO keys (name, pem) VALUES ('@snake@', '", "');", "")],
        env: &["current_setting('app.@name@')", ":'@name@'"],
        quote: Quote::Sql,
        filler: &["CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL);", "", "CREATE INDEX accounts_email ON accounts (email);",
            "GRANT SELECT ON accounts TO reporting;", "SELECT count(*) FROM accounts;"],
    ),
    spec!(name: "markdown", paths: &["handbook/setup.md", "README.md", "deploy/RUNBOOK.md"], kind: Kind::Markdown),
    spec!(name: "jupyter", paths: &["notebooks/exploration.ipynb", "analysis/churn.ipynb", "notebooks/etl.ipynb"], kind: Kind::Jupyter),
    spec!(name: "npmrc", paths: &[".npmrc", "app/.npmrc", "deploy/ci.npmrc"], kind: Kind::Dedicated,
        filler: &["registry=https://registry.npmjs.org/", "save-exact=true", "engine-strict=true", "fund=false"]),
    spec!(name: "pypirc", paths: &[".pypirc", "deploy/pypirc", "scripts/.pypirc"], kind: Kind::Dedicated,
        filler: &["", "[distutils]\nindex-servers =\n    pypi\n    private"]),
    spec!(name: "netrc", paths: &[".netrc", "deploy/netrc", "scripts/.netrc"], kind: Kind::Dedicated, filler: &[""]),
    spec!(name: "git-credentials", paths: &[".git-credentials", "deploy/git-credentials", "scripts/.git-credentials"], kind: Kind::Dedicated, filler: &[]),
    spec!(name: "htpasswd", paths: &["deploy/nginx/.htpasswd", "config/htpasswd", "infra/proxy/.htpasswd"], kind: Kind::Dedicated, filler: &[]),
    spec!(name: "shadow", paths: &["infra/rootfs/etc/shadow", "deploy/image/etc/shadow", "infra/base/etc/shadow"], kind: Kind::Dedicated,
        filler: &["root:*:19000:0:99999:7:::", "daemon:*:19000:0:99999:7:::", "bin:*:19000:0:99999:7:::"]),
    spec!(name: "docker-config", paths: &["deploy/docker/config.json", "infra/ci/docker-config.json", "config/docker/config.json"], kind: Kind::Dedicated,
        head: "{\n  \"auths\": {", foot: "  },\n  \"credsStore\": \"desktop\"\n}", indent: "    ", sep: Some(","), filler: &[]),
    spec!(name: "kubernetes", paths: &["deploy/k8s/secrets.yaml", "deploy/k8s/app.yaml", "infra/k8s/staging.yaml"], kind: Kind::Dedicated,
        filler: &["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  LOG_LEVEL: info\n  REGION: eu-west-1"]),
];

pub fn spec(name: &str) -> &'static Spec {
    SPECS.iter().find(|s| s.name == name).expect("known syntax")
}
