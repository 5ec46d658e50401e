use crate::support::*;

#[test]
fn configured_loader_and_commonjs() {
    let dir = tree(&[
        (
            "shush.toml",
            "[typescript]\ncall = \"secrets.get\"\nimport = \"import secrets from '~/lib/secrets'\"\n",
        ),
        ("esm.ts", "const k = process.env.API_KEY;\nexport { k };\n"),
        (
            "cjs.js",
            "const fs = require(\"fs\");\nmodule.exports = process.env.API_KEY + fs.sep;\n",
        ),
    ]);
    shush(dir.path()).args(["check", "--fix"]).assert().code(0);
    assert_eq!(
        read(dir.path(), "esm.ts"),
        "import secrets from '~/lib/secrets';\n\nconst k = secrets.get(\"api_key\");\nexport { k };\n"
    );
    assert_eq!(
        read(dir.path(), "cjs.js"),
        "const fs = require(\"fs\");\nconst secrets = require(\"~/lib/secrets\");\nmodule.exports = secrets.get(\"api_key\") + fs.sep;\n"
    );
}

#[test]
fn bad_typescript_config_is_an_error() {
    let dir = tree(&[
        (
            "shush.toml",
            "[typescript]\nimport = \"import { a, b } from 'x'\"\n",
        ),
        ("a.ts", ""),
    ]);
    let out = shush(dir.path()).args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not an ES import of one name"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn destructuring_with_rest_is_unsafe() {
    let text = "const { DB_PASSWORD, ...rest } = process.env;\nexport { DB_PASSWORD, rest };\n";
    let dir = tree(&[("a.ts", text)]);
    shush(dir.path()).args(["check", "--fix"]).assert().code(1);
    assert_eq!(read(dir.path(), "a.ts"), text);
    shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .assert()
        .code(0);
    assert_eq!(
        read(dir.path(), "a.ts"),
        "import { getConfigValue } from \"@/config\";\n\nconst { ...rest } = process.env;\nconst DB_PASSWORD = getConfigValue(\"db_password\");\nexport { DB_PASSWORD, rest };\n"
    );
}

#[test]
fn client_prefixes_and_scope() {
    let dir = tree(&[(
        "page.tsx",
        "export const a = process.env.NEXT_PUBLIC_ANALYTICS_ID;\nexport const b = process.env.NEXT_PUBLIC_OPENAI_API_KEY;\nexport const c = import.meta.env.VITE_SUPABASE_ANON_KEY;\nexport const d = process.env.FEATURE_FLAG;\n",
    )]);
    let doc = json(dir.path(), &[]);
    let got: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["env_name"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "ts-client-exposed-secret".into(),
                "NEXT_PUBLIC_OPENAI_API_KEY".into()
            ),
            ("ts-process-env".into(), "FEATURE_FLAG".into())
        ]
    );
    assert_eq!(
        rules(&json(dir.path(), &["--env-scope", "secrets"])),
        ["ts-client-exposed-secret"]
    );
    // Fresh's islands get FRESH_PUBLIC_ variables, through Deno.env as well.
    let dir = tree(&[(
        "islands/Counter.tsx",
        "export const step = Deno.env.get(\"FRESH_PUBLIC_STEP\");\nexport const key = Deno.env.get(\"FRESH_PUBLIC_STRIPE_SECRET_KEY\");\n",
    )]);
    assert_eq!(rules(&json(dir.path(), &[])), ["ts-client-exposed-secret"]);
}

/// The finding of `doc` at `path` for `name`.
fn finding<'d>(doc: &'d serde_json::Value, path: &str, name: &str) -> &'d serde_json::Value {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path && f["env_name"] == name)
        .unwrap_or_else(|| panic!("no finding for {name} in {path}: {doc}"))
}

const WATCHDOG: &str = r#"import { spawn } from "node:child_process";

// Restart the worker when it dies; it exits when its parent is gone.
export function startWorker() {
  return spawn(process.execPath, ["worker.js"], {
    env: { ...process.env, WATCHDOG_PARENT_PID: String(process.pid) },
    stdio: "inherit",
  });
}
"#;

const WORKER: &str = r#"const parent = Number(process.env.WATCHDOG_PARENT_PID);
const token = process.env.SLACK_BOT_TOKEN;

setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000);

module.exports = { token };
"#;

#[test]
fn a_variable_handed_to_a_child_process_is_left_alone_where_the_child_reads_it() {
    let dir = tree(&[("scripts/watchdog.mjs", WATCHDOG), ("worker.js", WORKER)]);
    let doc = json(dir.path(), &[]);
    let handed = finding(&doc, "worker.js", "WATCHDOG_PARENT_PID");
    assert_eq!(handed["severity"], "info");
    assert_eq!(handed["role"]["kind"], "hand-off");
    assert_eq!(handed["role"]["path"], "scripts/watchdog.mjs");
    assert_eq!(handed["role"]["line"], 6);
    assert!(handed["fix"].is_null(), "{handed}");
    // A read nobody writes is still configuration, with its safe fix.
    let token = finding(&doc, "worker.js", "SLACK_BOT_TOKEN");
    assert_eq!(token["severity"], "error");
    assert_eq!(token["fix"]["applicability"], "safe");

    // `--diff` decides as `--fix` does: the hand-off is not rewritten.
    let diff = shush(dir.path())
        .args(["check", "--diff", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert!(
        stdout(&diff).contains("+const token = getConfigValue"),
        "{}",
        stdout(&diff)
    );
    assert!(
        !stdout(&diff).contains("watchdog_parent_pid"),
        "{}",
        stdout(&diff)
    );
    shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .assert()
        .code(0);
    let fixed = read(dir.path(), "worker.js");
    assert!(
        fixed.contains("Number(process.env.WATCHDOG_PARENT_PID)"),
        "{fixed}"
    );
    assert!(
        fixed.contains("const token = getConfigValue(\"slack_bot_token\");"),
        "{fixed}"
    );
    assert_eq!(read(dir.path(), "scripts/watchdog.mjs"), WATCHDOG);
}

#[test]
fn writes_of_the_running_process_and_other_starters_hand_off_too() {
    let dir = tree(&[
        (
            "scripts/e2e.ts",
            "import { execa } from \"execa\";\nimport { Worker } from \"node:worker_threads\";\n\nprocess.env.E2E_RUN_ID = crypto.randomUUID();\nDeno.env.set(\"E2E_SHARD\", \"1\");\nconst env = { ...process.env, E2E_BASE_URL: \"http://localhost:3000\" };\nawait execa(\"playwright\", [\"test\"], { env });\nnew Worker(new URL(\"./seed.ts\", import.meta.url), {\n  env: { SEED_ROWS: \"100\" },\n});\n",
        ),
        (
            "src/run.ts",
            "export const run = [\n  process.env.E2E_RUN_ID,\n  Deno.env.get(\"E2E_SHARD\"),\n  process.env.E2E_BASE_URL,\n  process.env.SEED_ROWS,\n];\n",
        ),
    ]);
    let doc = json(dir.path(), &[]);
    for name in ["E2E_RUN_ID", "E2E_SHARD", "E2E_BASE_URL", "SEED_ROWS"] {
        let f = finding(&doc, "src/run.ts", name);
        assert_eq!(f["role"]["kind"], "hand-off", "{f}");
        assert_eq!(f["role"]["path"], "scripts/e2e.ts", "{f}");
    }
}

#[test]
fn a_computed_name_or_a_removal_hands_nothing_off() {
    let dir = tree(&[
        (
            "scripts/start.mjs",
            "import { fork } from \"node:child_process\";\n\nconst slot = process.argv[2];\nfork(\"worker.js\", [], { env: { [slot]: \"1\" } });\ndelete process.env.WORKER_ID;\nDeno.env.delete(\"WORKER_SHARD\");\n",
        ),
        (
            "worker.js",
            "module.exports = [process.env.WORKER_ID, Deno.env.get(\"WORKER_SHARD\")];\n",
        ),
    ]);
    let doc = json(dir.path(), &[]);
    for name in ["WORKER_ID", "WORKER_SHARD"] {
        let f = finding(&doc, "worker.js", name);
        assert_eq!(f["severity"], "warning", "{f}");
        assert!(f["role"].is_null(), "{f}");
        assert_eq!(f["fix"]["applicability"], "safe", "{f}");
    }
}

#[test]
fn a_variable_a_test_sets_is_the_tests_own() {
    let test = r#"import { afterEach, beforeEach, expect, it } from "vitest";

import { connect } from "./db";

const OLD_ENV = process.env;

beforeEach(() => {
  process.env = { ...OLD_ENV, DATABASE_URL: "postgres://localhost/test" };
});

afterEach(() => {
  process.env = OLD_ENV;
});

it("connects to the test database", async () => {
  const db = await connect(process.env.DATABASE_URL);
  expect(db.url).toBe(process.env.DATABASE_URL);
});
"#;
    let dir = tree(&[
        ("src/db.test.ts", test),
        (
            "src/db.ts",
            "export const url = process.env.DATABASE_URL;\nexport async function connect(u?: string) {\n  return { url: u };\n}\n",
        ),
    ]);
    let doc = json(dir.path(), &[]);
    let read = finding(&doc, "src/db.test.ts", "DATABASE_URL");
    assert_eq!(read["severity"], "info");
    assert_eq!(read["role"]["kind"], "test-setup");
    assert_eq!(read["role"]["line"], 8);
    // The test's write is no hand-off: the application's read is configuration.
    let app = finding(&doc, "src/db.ts", "DATABASE_URL");
    assert!(app["role"].is_null(), "{app}");
    assert_eq!(app["fix"]["applicability"], "safe");
}

#[test]
fn presence_checks_have_an_unsafe_fix() {
    let text = "export const billing = \"STRIPE_SECRET_KEY\" in process.env;\nif (!Deno.env.has(\"SENTRY_DSN\")) console.warn(\"no error reporting\");\n";
    let dir = tree(&[("src/flags.ts", text)]);
    let doc = json(dir.path(), &[]);
    assert_eq!(rules(&doc), ["ts-env-presence", "ts-env-presence"]);
    for f in doc["findings"].as_array().unwrap() {
        assert_eq!(f["fix"]["applicability"], "unsafe", "{f}");
    }
    shush(dir.path()).args(["check", "--fix"]).assert().code(1);
    assert_eq!(read(dir.path(), "src/flags.ts"), text);
    shush(dir.path())
        .args(["check", "--fix", "--unsafe-fixes"])
        .assert()
        .code(0);
    assert_eq!(
        read(dir.path(), "src/flags.ts"),
        "import { getConfigValue } from \"@/config\";\n\nexport const billing = getConfigValue(\"stripe_secret_key\") !== undefined;\nif (getConfigValue(\"sentry_dsn\") === undefined) console.warn(\"no error reporting\");\n"
    );
}

#[test]
fn browser_files_get_no_safe_fix() {
    let read_token = "export const token = process.env.MAPBOX_SECRET_TOKEN;\n";
    let dir = tree(&[
        ("islands/Map.tsx", read_token),
        ("app/map.client.ts", read_token),
        ("app/mapClient.ts", read_token),
        ("src/islands-data/map.ts", read_token),
    ]);
    shush(dir.path()).args(["check", "--fix"]).assert().code(1);
    assert_eq!(read(dir.path(), "islands/Map.tsx"), read_token);
    assert_eq!(read(dir.path(), "app/map.client.ts"), read_token);
    // A name that only holds the word is no browser file.
    for path in ["app/mapClient.ts", "src/islands-data/map.ts"] {
        assert!(
            read(dir.path(), path).contains("getConfigValue(\"mapbox_secret_token\")"),
            "{path}"
        );
    }
}

#[test]
fn storybook_sanity_and_redwood_prefixes_are_public() {
    let dir = tree(&[(
        "src/stories/theme.ts",
        "export const theme = process.env.STORYBOOK_THEME;\nexport const dataset = process.env.SANITY_STUDIO_DATASET;\nexport const api = process.env.REDWOOD_ENV_API_URL;\nexport const leaked = process.env.SANITY_STUDIO_WRITE_TOKEN;\n",
    )]);
    let doc = json(dir.path(), &[]);
    assert_eq!(rules(&doc), ["ts-client-exposed-secret"]);
    assert_eq!(doc["findings"][0]["env_name"], "SANITY_STUDIO_WRITE_TOKEN");
}

/// `--stats` line of one language (`typescript 3 files, …; parsed 1 …`).
fn stats_line(dir: &std::path::Path, language: &str) -> String {
    let out = shush(dir)
        .args(["check", ".", "--stats", "--exit-zero"])
        .output()
        .unwrap();
    let err = stderr(&out);
    err.lines()
        .find(|l| l.trim_start().starts_with(language))
        .unwrap_or_else(|| panic!("no {language} line: {err}"))
        .trim()
        .to_string()
}

#[test]
fn a_file_is_parsed_only_when_it_holds_the_words_of_a_read_or_a_write() {
    let dir = tree(&[
        // A t3-env schema's object: `env` but no `process`, `import.meta`, Deno or Bun.
        (
            "src/db.ts",
            "import { env } from \"@/env.mjs\";\n\nexport const url = env.DATABASE_URL;\nexport const f = (ctx: { env: Env }) => ctx.env.KV;\n",
        ),
        // `process` without `env`.
        ("src/exit.ts", "export const bye = () => process.exit(1);\n"),
        // The module `process` imported: both words.
        (
            "src/node.ts",
            "import { env } from \"node:process\";\n\nexport const token = env.SLACK_TOKEN;\n",
        ),
        // `import.meta.env`.
        (
            "src/vite.ts",
            "export const api = import.meta.env.API_TOKEN;\n",
        ),
        // A write through `child_process` alone: parsed for the hand-off.
        (
            "scripts/start.ts",
            "import { spawn } from \"node:child_process\";\n\nspawn(\"server\", [], { env: { START_PORT: \"8080\" } });\n",
        ),
        (
            "src/port.ts",
            "export const port = process.env.START_PORT;\n",
        ),
    ]);
    assert_eq!(
        stats_line(dir.path(), "typescript"),
        "typescript 6 files, 0.0 MB; parsed 4 (0.0 MB), prefiltered out 2"
    );
    let doc = json(dir.path(), &[]);
    assert_eq!(
        finding(&doc, "src/node.ts", "SLACK_TOKEN")["rule"],
        "ts-process-env"
    );
    assert_eq!(
        finding(&doc, "src/vite.ts", "API_TOKEN")["rule"],
        "ts-import-meta-env"
    );
    let port = finding(&doc, "src/port.ts", "START_PORT");
    assert_eq!(port["role"]["kind"], "hand-off", "{port}");
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["path"] != "src/db.ts" && f["path"] != "src/exit.ts"),
        "{doc}"
    );
}
