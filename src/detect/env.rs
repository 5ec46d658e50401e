//! Which environment variable names matter, and the config key each maps to.
//! Pure functions of the name and the config; shared by every language's detector.

use crate::config::{EnvConfig, EnvScope};
use crate::detect::{Finding, Severity, VarRole};

/// How an environment read is classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvClass {
    /// On the user's allowlist (`[env] allow`): never reported.
    Allowed,
    /// Set by a runtime platform, CI system, terminal, toolchain or the OS (a group of
    /// the catalogue): not reported by `check`; the inventory lists it, marked.
    Platform(&'static str),
    /// The name looks like a secret: an error.
    Secret,
    /// Other configuration: a warning, reported only with `env-scope = "all"`.
    Config,
}

impl EnvClass {
    pub fn severity(self) -> Option<Severity> {
        match self {
            EnvClass::Allowed | EnvClass::Platform(_) => None,
            EnvClass::Secret => Some(Severity::Error),
            EnvClass::Config => Some(Severity::Warning),
        }
    }
}

/// The severity a read of a variable of `class` is reported with, or `None` when it is
/// not reported: allowlisted, outside `env-scope`, or a platform variable outside the
/// inventory (which lists those as `info`, marked with their group).
pub fn reported(class: EnvClass, ctx: &crate::Context) -> Option<Severity> {
    match class {
        EnvClass::Platform(_) => ctx.inventory.then_some(Severity::Info),
        EnvClass::Config if ctx.config.env.scope == EnvScope::Secrets => None,
        _ => class.severity(),
    }
}

/// Marks the finding of a platform variable's read (the inventory's only): informational,
/// no fix, its group named.
pub fn mark_platform(finding: &mut Finding, class: EnvClass) {
    if let EnvClass::Platform(group) = class {
        crate::detect::handoff::mark(
            finding,
            VarRole::Platform {
                group: group.to_string(),
            },
        );
    }
}

/// Classifies an environment variable name.
/// How messages name a variable: "secret `API_KEY`" or "`LOG_LEVEL`".
pub fn describe(name: &str, class: EnvClass) -> String {
    match class {
        EnvClass::Secret => format!("secret `{name}`"),
        _ => format!("`{name}`"),
    }
}

/// The message of an environment read, the same in every language.
pub fn read_message(name: &str, class: EnvClass) -> String {
    format!(
        "{} is read from the environment, bypassing the config loader",
        describe(name, class)
    )
}

/// The user's allowlist first (an exact entry always wins; a glob such as `LOG_*` never
/// hides a name that looks secret), then the platform catalogue (`rules/env-platform.toml`)
/// for the groups the config leaves on, then the name itself.
pub fn classify(name: &str, cfg: &EnvConfig) -> EnvClass {
    if cfg.allow.iter().any(|p| p == name) {
        return EnvClass::Allowed;
    }
    let secret = looks_secret(name, cfg);
    if !secret && cfg.allow.iter().any(|p| glob_match(p, name)) {
        return EnvClass::Allowed;
    }
    if let Some(group) = crate::rules::platform::Catalogue::embedded().group_of(name, secret)
        && !cfg.platform_off.iter().any(|g| g == group)
    {
        return EnvClass::Platform(group);
    }
    if secret {
        EnvClass::Secret
    } else {
        EnvClass::Config
    }
}

/// Splits a name into upper-case words: `openaiApiKey` and `OPENAI_API_KEY` both give
/// `OPENAI API KEY`-like words.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && !cur.is_empty()
            && (prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(char::is_uppercase) && next.is_some_and(char::is_lowercase)));
        if boundary {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a name holds a secret, decided by its head word as English compounds are:
/// the last word names what the value is, the words before it qualify it
/// (`OAUTH_CLIENT_ID` is an id, `TOKEN_THROTTLE_RATE` a rate, `PRIVATE_OIDC_PROMPT` a
/// prompt mode; `CLIENT_SECRET`, `API_KEY`, `AUTH_TOKEN` are secrets). Trailing numbers
/// and versions (`API_KEY_2`, `TOKEN_V2`) are skipped to find the head.
///
/// - The name ends with a secret word or phrase (`…_KEY`, `APIKEY`, `DATABASE_URL`):
///   a secret.
/// - Its head is a word that describes (`ID`, `EMAIL`, `RATE`, `PATH`, `ENABLED`, the
///   config's `not-secret-words`): not a secret.
/// - Any other head (`SECRET_KEY_BASE`, `STRIPE_KEY_LIVE`): a secret when any of its
///   words is or ends with a secret word, or it holds a secret phrase, as a qualifier
///   there usually names which secret it is.
pub fn looks_secret(name: &str, cfg: &EnvConfig) -> bool {
    let mut words = words(name);
    while words.len() > 1 && words.last().is_some_and(|w| is_version(w)) {
        words.pop();
    }
    let Some(head) = words.last() else {
        return false;
    };
    let secret_words: Vec<Vec<String>> = cfg
        .secret_words
        .iter()
        .map(|p| self::words(p))
        .filter(|p| !p.is_empty())
        .collect();
    let ends_with = |pat: &Vec<String>| match pat.len() {
        1 => head.ends_with(pat[0].as_str()),
        _ => words.ends_with(pat),
    };
    if secret_words.iter().any(ends_with) {
        return true;
    }
    if cfg
        .not_secret_words
        .iter()
        .any(|w| w.eq_ignore_ascii_case(head))
    {
        return false;
    }
    secret_words.iter().any(|pat| match pat.len() {
        1 => words.iter().any(|w| w.ends_with(pat[0].as_str())),
        n => words.windows(n).any(|win| win == pat.as_slice()),
    })
}

/// `2`, `V2`, `V10`: a version or a number, not a word that says what the value is.
fn is_version(word: &str) -> bool {
    let digits = word.strip_prefix('V').unwrap_or(word);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// The config key for an environment variable: the explicit mapping, or lower snake case.
pub fn config_key(name: &str, cfg: &EnvConfig) -> String {
    if let Some(key) = cfg.keys.get(name) {
        return key.clone();
    }
    snake_case(name)
}

/// `ESTUARY_ACCESS_TOKEN` → `estuary_access_token`, `openaiApiKey` → `openai_api_key`.
/// An all-caps name is only lowercased (`E2E_BASE_URL` → `e2e_base_url`). A double
/// underscore is kept: pydantic-settings, Dynaconf, .NET configuration and Prefect read
/// it as a nesting separator (`PREFECT__FLOW_RUN_ID` → `prefect__flow_run_id`), and
/// leading underscores mark a private name (`__CARGO_TEST_ROOT` → `__cargo_test_root`).
pub fn snake_case(name: &str) -> String {
    let body = name.trim_start_matches('_');
    let lead = &name[..name.len() - body.len()];
    let parts: Vec<String> = body.split("__").map(snake_segment).collect();
    // `A___B`: the third underscore belongs to no word.
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let joined = parts.join("__");
    let joined = joined.trim_end_matches('_');
    format!("{lead}{joined}")
}

/// One segment of a name between double underscores, in lower snake case.
fn snake_segment(name: &str) -> String {
    if !name.chars().any(char::is_lowercase) {
        return name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join("_");
    }
    words(name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// Matches `pattern` against `name`, where `*` stands for any run of characters.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || !name[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_snake_case() {
        assert_eq!(snake_case("ESTUARY_ACCESS_TOKEN"), "estuary_access_token");
        assert_eq!(snake_case("openaiApiKey"), "openai_api_key");
        assert_eq!(snake_case("HTTPServerURL"), "http_server_url");
        assert_eq!(snake_case("db-url.v2"), "db_url_v2");
        assert_eq!(snake_case("E2E_BASE_URL"), "e2e_base_url");
        assert_eq!(snake_case("K8S_NAMESPACE"), "k8s_namespace");
        assert_eq!(snake_case("PREFECT__FLOW_RUN_ID"), "prefect__flow_run_id");
        assert_eq!(snake_case("__CARGO_TEST_ROOT"), "__cargo_test_root");
        assert_eq!(snake_case("_PRIVATE_KEY"), "_private_key");
        assert_eq!(
            snake_case("npm_config__authToken"),
            "npm_config__auth_token"
        );
        assert_eq!(
            snake_case("Logging__LogLevel__Default"),
            "logging__log_level__default"
        );
        assert_eq!(snake_case("TRAILING_"), "trailing");
    }

    #[test]
    fn secret_looking_names() {
        let cfg = EnvConfig::default();
        for name in [
            "API_KEY",
            "APIKEY",
            "GH_TOKEN",
            "DATABASE_URL",
            "OAUTH_CLIENT",
            "db_password",
            "stripeSecret",
        ] {
            assert_eq!(classify(name, &cfg), EnvClass::Secret, "{name}");
        }
        for name in [
            "LOG_LEVEL",
            "KEYBOARD_LAYOUT",
            "AUTHOR_NAME",
            "WORKERS",
            "IS_EE_AUTH_ENABLED",
            "PUBLIC_KEY_PATH",
            "OAUTH_TOKEN_URL",
        ] {
            assert_eq!(classify(name, &cfg), EnvClass::Config, "{name}");
        }
        for (name, group) in [
            ("PATH", "os"),
            ("HOME", "os"),
            ("LC_ALL", "os"),
            ("XDG_CONFIG_HOME", "os"),
            ("TERM_PROGRAM", "terminal"),
            ("CARGO_PKG_VERSION", "toolchain"),
            ("PORT", "runtime"),
            ("GITHUB_REPOSITORY", "ci"),
            ("CI_JOB_TOKEN", "ci"),
        ] {
            assert_eq!(classify(name, &cfg), EnvClass::Platform(group), "{name}");
        }
    }

    /// The head word decides: each of these is a setting about a secret, not one.
    #[test]
    fn the_head_word_decides() {
        let cfg = EnvConfig::default();
        for name in [
            "SLACK_TOKEN_THROTTLE_RATE",
            "SESSION_COOKIE_AGE",
            "OAUTH_CLIENT_ID",
            "GOOGLE_CLIENT_ID",
            "PRIVATE_OIDC_PROMPT",
            "AUTH_PRIVATE_OIDC_PROMPT_MODE",
            "GCP_SERVICE_ACCOUNT_EMAIL",
            "DATABASE_URL_TIMEOUT",
            "API_KEY_HEADER",
            "JWT_SECRET_ROTATION_DAYS",
        ] {
            assert_eq!(classify(name, &cfg), EnvClass::Config, "{name}");
        }
        for name in [
            "CLIENT_SECRET",
            "API_KEY",
            "AUTH_TOKEN",
            "DATABASE_URL",
            "PRIVATE_KEY",
            "SECRET_KEY_BASE",
            "OPENAI_API_KEY_2",
            "GH_TOKEN_V2",
            "STRIPE_KEY_LIVE",
            "BASIC_AUTH",
        ] {
            assert_eq!(classify(name, &cfg), EnvClass::Secret, "{name}");
        }
        // The lists are the config's: a team that keeps its client ids secret says so.
        let mut strict = EnvConfig::default();
        strict.not_secret_words.retain(|w| w != "ID");
        strict.secret_words.push("CLIENT_ID".into());
        assert_eq!(classify("OAUTH_CLIENT_ID", &strict), EnvClass::Secret);
    }

    #[test]
    fn platform_groups_can_be_switched_off() {
        let mut cfg = EnvConfig::default();
        cfg.platform_off.push("ci".into());
        assert_eq!(classify("GITHUB_SHA", &cfg), EnvClass::Config);
        assert_eq!(classify("PATH", &cfg), EnvClass::Platform("os"));
        // The user's own allowlist still applies.
        cfg.allow.push("GITHUB_*".into());
        assert_eq!(classify("GITHUB_SHA", &cfg), EnvClass::Allowed);
        assert_eq!(classify("GITHUB_TOKEN", &cfg), EnvClass::Secret);
    }

    #[test]
    fn globs_never_hide_secrets() {
        let cfg = EnvConfig::default();
        assert_eq!(classify("GITHUB_TOKEN", &cfg), EnvClass::Secret);
        assert_eq!(classify("npm_config__authToken", &cfg), EnvClass::Secret);
    }

    #[test]
    fn globs() {
        assert!(glob_match("LC_*", "LC_ALL"));
        assert!(glob_match("*_DIR", "OUT_DIR"));
        assert!(glob_match("A*B*C", "AxxBxxC"));
        assert!(!glob_match("A*B*C", "AxxC"));
        assert!(!glob_match("PATH", "PATHS"));
    }
}
