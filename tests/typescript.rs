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
