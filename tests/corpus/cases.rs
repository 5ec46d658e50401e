//! The labelled cases of each family, before they are written in a syntax: a shape
//! (assignment, multi-line block, header, command, prose, raw lines) and the label.
//! Never decides how a syntax writes a case; only what the case says.

use super::providers::PROVIDERS;
use super::rng::*;

pub const FAMILIES: &[&str] = &[
    "provider",
    "private-key",
    "password",
    "generic-token",
    "url-credentials",
    "connection-string",
    "http",
    "cli",
    "config-file",
    "password-hash",
];

/// A name as words (written in the syntax's casing) or as fixed text.
#[derive(Clone, Debug)]
pub struct Key {
    pub words: Vec<String>,
    pub fixed: Option<String>,
}

impl Key {
    pub fn words(words: &[&str]) -> Key {
        Key {
            words: words.iter().map(|w| w.to_string()).collect(),
            fixed: None,
        }
    }
    pub fn fixed(text: &str) -> Key {
        Key {
            words: vec![text.to_string()],
            fixed: Some(text.to_string()),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Val {
    /// A string literal.
    Str(String),
    /// Written as is (numbers, `None`, `null`).
    Bare(String),
    /// An environment lookup of this variable, written the syntax's way.
    Env(String),
    /// A code expression (`config.api_key`); only code syntaxes write it.
    Expr(String),
    /// A declaration with a type and no value: `str`, `secret` or `optional`.
    Type(&'static str),
}

#[derive(Clone, Debug)]
pub enum Shape {
    /// One or more assignments in a row.
    Assign(Vec<(Key, Val)>),
    /// A multi-line value (a PEM block) assigned to a name.
    Block(Key, Vec<String>),
    /// An HTTP header set by code: name, value.
    Header(String, String),
    /// A shell command line; `${NAME}` is an environment reference.
    Command(String),
    /// A sentence: a comment in code, text in docs and logs.
    Prose(String),
    /// Lines of a dedicated format (`.netrc`, `.npmrc`, shadow), written as they are.
    Raw(Vec<String>),
}

#[derive(Clone, Debug)]
pub struct Case {
    pub family: &'static str,
    pub positive: bool,
    pub shape: Shape,
    /// The secret parts (positives) or the suspicious values (negatives), for masking.
    pub secrets: Vec<String>,
}

fn case(family: &'static str, positive: bool, shape: Shape, secret: &str) -> Case {
    Case {
        family,
        positive,
        shape,
        secrets: vec![secret.to_string()],
    }
}

fn assign(key: Key, val: Val) -> Shape {
    Shape::Assign(vec![(key, val)])
}

fn s(v: &str) -> Val {
    Val::Str(v.to_string())
}

/// Words people use in passwords and passphrases (none of them a placeholder marker).
const WORDS: &[&str] = &[
    "maple", "orbit", "cactus", "harbor", "velvet", "lantern", "quartz", "meadow", "falcon",
    "copper", "willow", "saturn", "ember", "glacier", "pepper", "violet", "canyon", "tundra",
    "marble", "cobalt", "thunder", "bishop", "walnut", "raven", "sierra", "juniper", "nectar",
    "pirate", "lobster", "mango", "zephyr", "dragon", "kettle", "monkey", "sunset", "river",
    "castle", "shadow", "winter", "summer", "autumn", "spring", "tiger", "horse", "battery",
    "staple", "correct", "purple", "banana", "rocket", "galaxy", "pickle", "turtle", "breeze",
];

const USERS: &[&str] = &[
    "app",
    "admin",
    "deploy",
    "svc_billing",
    "root",
    "postgres",
    "worker",
    "api",
    "reporting",
    "etl",
    "backup",
    "jenkins",
    "ci-bot",
    "analytics",
    "orders",
];

const HOSTS: &[&str] = &[
    "db.internal",
    "10.0.3.17",
    "db-prod-01.corp.net",
    "cluster0.x7k2p.mongodb.net",
    "redis-master.prod.svc.cluster.local",
    "mq.acme.io",
    "files.acme.io",
    "172.16.4.20",
    "pg.eu-west-1.rds.amazonaws.com",
    "ldap.corp.net",
    "cache.internal",
    "192.168.10.5",
];

const VENDORS: &[&str] = &[
    "freshbooks",
    "strava",
    "mixpanel",
    "segment",
    "algolia",
    "pagerduty",
    "datadog",
    "zendesk",
    "intercom",
    "hubspot",
    "okta",
    "auth0",
    "twitch",
    "dropbox",
    "trello",
    "calendly",
    "klaviyo",
    "braintree",
    "paypal",
    "plaid",
    "coinbase",
    "binance",
    "kraken",
    "cloudflare",
    "fastly",
    "netlify",
    "vercel",
    "openweather",
    "newsapi",
    "alpaca",
    "finnhub",
    "twitter",
    "facebook",
    "linkedin",
    "pusher",
    "ably",
    "bitly",
    "vonage",
    "plivo",
    "telnyx",
    "mandrill",
    "postmark",
    "sparkpost",
    "mailjet",
    "rollbar",
    "bugsnag",
    "honeybadger",
    "loggly",
    "mux",
    "imgix",
    "cloudinary",
    "razorpay",
    "paddle",
    "chargebee",
    "recurly",
    "yelp",
    "spotify",
];

const GENERIC_SUFFIXES: &[&[&str]] = &[
    &["key"],
    &["token"],
    &["secret"],
    &["api", "key"],
    &["api", "token"],
    &["client", "secret"],
    &["secret", "key"],
    &["access", "token"],
    &["auth", "token"],
    &["app", "secret"],
    &["private", "key"],
    &["api", "secret"],
    &["refresh", "token"],
    &["signing", "secret"],
];

const GENERIC_NAMES: &[&[&str]] = &[
    &["api", "key"],
    &["apikey"],
    &["client", "secret"],
    &["auth", "token"],
    &["signing", "key"],
    &["encryption", "key"],
    &["secret"],
    &["access", "token"],
    &["webhook", "secret"],
    &["private", "key"],
    &["session", "secret"],
    &["jwt", "secret"],
    &["secret", "key"],
    &["master", "key"],
    &["app", "secret"],
    &["consumer", "secret"],
    &["refresh", "token"],
    &["bot", "token"],
    &["x", "api", "key"],
    &["api", "secret"],
    &["hmac", "key"],
    &["service", "token"],
    &["bearer", "token"],
    &["secret", "token"],
    &["cookie", "secret"],
];

const PASSWORD_NAMES: &[&[&str]] = &[
    &["password"],
    &["passwd"],
    &["pwd"],
    &["db", "pass"],
    &["db", "password"],
    &["admin", "password"],
    &["smtp", "password"],
    &["mysql", "root", "password"],
    &["redis", "password"],
    &["postgres", "password"],
    &["root", "password"],
    &["master", "password"],
    &["ldap", "bind", "password"],
    &["keystore", "password"],
    &["mail", "password"],
    &["user", "password"],
    &["rabbitmq", "pass"],
    &["pg", "password"],
    &["sa", "password"],
    &["database", "password"],
    &["ftp", "password"],
    &["email", "password"],
];

const PASSWORD_FIXED: &[&str] = &[
    "smtp.password",
    "mysql-root-password",
    "spring.datasource.password",
    "adminPassword",
    "DB_PASSWORD",
    "db.password",
    "mail.smtp.password",
    "redis-password",
];

fn pick_words(rng: &mut Rng, names: &[&[&str]]) -> Key {
    Key::words(rng.pick(names))
}

pub fn password_key(rng: &mut Rng) -> Key {
    if rng.chance(0.15) {
        Key::fixed(rng.pick(PASSWORD_FIXED))
    } else {
        pick_words(rng, PASSWORD_NAMES)
    }
}

pub fn generic_key(rng: &mut Rng) -> Key {
    if rng.chance(0.45) {
        let vendor = rng.pick(VENDORS);
        let suffix = rng.pick(GENERIC_SUFFIXES);
        let mut words = vec![vendor];
        words.extend_from_slice(suffix);
        Key::words(&words)
    } else if rng.chance(0.08) {
        Key::fixed(rng.pick(&[
            "app.jwt.secret",
            "strava token",
            "githubApiKey",
            "stripeToken",
            "freshbooksToken",
            "ApiKey",
            "signing-key",
            "oauth.client-secret",
        ]))
    } else {
        pick_words(rng, GENERIC_NAMES)
    }
}

/// Passwords as people choose them and as generators make them.
pub fn password(rng: &mut Rng) -> String {
    loop {
        let pw = match rng.below(5) {
            0 | 1 => {
                let alphabet = format!("{B62}{PW_SYMBOLS}");
                let len = rng.range(12, 32);
                let mut pw = rng.mixed(&alphabet, len);
                if !pw.chars().any(|c| PW_SYMBOLS.contains(c)) {
                    let at = rng.below(pw.len());
                    pw.replace_range(at..at + 1, rng.pick(&["!", "#", "@", "*", "-"]));
                }
                pw
            }
            2 => {
                // A passphrase with digits or a symbol.
                let n = rng.range(3, 5);
                let sep = rng.pick(&["-", ".", "_", " ", ""]);
                let mut parts: Vec<String> = (0..n)
                    .map(|i| {
                        let w = rng.pick(WORDS).to_string();
                        if sep.is_empty() || (i == 0 && rng.chance(0.5)) {
                            capital(&w)
                        } else {
                            w
                        }
                    })
                    .collect();
                parts.push(format!(
                    "{}{}",
                    rng.range(2, 999),
                    rng.pick(&["!", "", "#", "?"])
                ));
                parts.join(sep)
            }
            3 => {
                // Tr0ub4dor&3: a word, capitalised and leet-substituted, a symbol, digits.
                let w = capital(rng.pick(WORDS));
                let leet: String = w
                    .chars()
                    .map(|c| match c {
                        'o' if rng.chance(0.7) => '0',
                        'a' if rng.chance(0.6) => '4',
                        'e' if rng.chance(0.6) => '3',
                        'i' if rng.chance(0.6) => '1',
                        _ => c,
                    })
                    .collect();
                format!(
                    "{leet}{}{}{}",
                    rng.pick(&["&", "!", "@", "#", "*", "+"]),
                    rng.range(1, 99),
                    rng.pick(&["", "!", "?"])
                )
            }
            _ => {
                // Human: two words and a year with a symbol.
                format!(
                    "{}{}{}{}",
                    capital(rng.pick(WORDS)),
                    rng.pick(&["#", "@", "!", "*", "-"]),
                    capital(rng.pick(WORDS)),
                    rng.range(1970, 2025)
                )
            }
        };
        if pw.len() >= 10 && !has_marker(&pw) {
            return pw;
        }
    }
}

fn capital(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// A password that is safe in a URL's userinfo (percent-encoded where needed).
fn url_password(rng: &mut Rng) -> String {
    if rng.chance(0.6) {
        let len = rng.range(12, 32);
        rng.mixed(&format!("{B62}-._~"), len)
    } else {
        let pw = password(rng);
        pw.chars()
            .map(|c| match c {
                'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' => c.to_string(),
                other => format!("%{:02X}", other as u32),
            })
            .collect()
    }
}

pub fn jwt(rng: &mut Rng) -> String {
    let header = rng.pick(&[
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9",
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9",
    ]);
    let payload = format!(
        "{{\"sub\":\"{}\",\"iat\":{},\"exp\":{},\"scope\":\"{}\"}}",
        rng.range(100_000, 999_999),
        rng.range(1_600_000_000, 1_700_000_000),
        rng.range(1_700_000_000, 1_800_000_000),
        rng.pick(&["read write", "admin", "api", "deploy"])
    );
    let p = base64(payload.as_bytes())
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_");
    let sig = rng.string(B64U, 43);
    format!("{header}.{p}.{sig}")
}

/// A random secret of one of the shapes generators make.
pub fn generic_value(rng: &mut Rng) -> String {
    match rng.below(9) {
        0 | 1 => {
            let len = rng.range(20, 64);
            rng.mixed(B62, len)
        }
        2 => {
            let n = rng.range(24, 64);
            random_b64(rng, n)
        }
        3 => {
            let len = rng.pick(&[32, 40, 64]);
            rng.mixed(HEX, len)
        }
        4 => jwt(rng),
        5 => {
            let len = rng.range(24, 48);
            rng.mixed(&format!("{B62}_-~."), len)
        }
        6 => {
            let n = rng.range(20, 40);
            format!("{}.{}", rng.mixed(B62, 12), rng.mixed(B64U, n))
        }
        7 => {
            // A short value (12–15 characters) with a strong name.
            let len = rng.range(12, 15);
            rng.mixed(B62, len)
        }
        _ => {
            let len = rng.range(64, 128);
            rng.mixed(B64U, len)
        }
    }
}

fn uuid(rng: &mut Rng) -> String {
    let h = rng.string(HEX, 32);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

// ─── provider ────────────────────────────────────────────────────────────────

fn provider(rng: &mut Rng, positive: bool) -> Case {
    let p = &PROVIDERS[rng.below(PROVIDERS.len())];
    let key = if rng.chance(0.75) {
        Key::words(p.var)
    } else {
        Key::words(rng.pick(&[
            &["value"][..],
            &["default"],
            &["cred"],
            &["auth"],
            &["token"],
            &["key"],
        ]))
    };
    if positive {
        if rng.chance(0.06) {
            // AWS: an access key ID next to its secret access key.
            let id = rng.template("AKIA{UN:16}");
            let secret = rng.mixed(&format!("{B62}+/"), 40);
            return Case {
                family: "provider",
                positive,
                shape: Shape::Assign(vec![
                    (Key::words(&["aws", "access", "key", "id"]), s(&id)),
                    (Key::words(&["aws", "secret", "access", "key"]), s(&secret)),
                ]),
                secrets: vec![id, secret],
            };
        }
        let token = rng.template(p.format);
        let shape = match rng.below(10) {
            0 => Shape::Prose(format!(
                "{} {token}",
                rng.pick(&[
                    "temporary token for the migration:",
                    "rotated on Monday, new value",
                    "key:",
                    "use this one until the vault is set up ->",
                ])
            )),
            _ => assign(key, s(&token)),
        };
        return case("provider", true, shape, &token);
    }
    let prefix = &p.format[..p.format.find('{').unwrap_or(p.format.len())];
    let value = match rng.below(9) {
        0 | 1 if !p.near.is_empty() => {
            let t = rng.pick(p.near);
            rng.template(t)
        }
        0..=2 if prefix.len() >= 3 && !prefix.starts_with("http") => {
            let n = rng.range(8, 30);
            format!(
                "{prefix}{}",
                rng.pick(&[
                    "x".repeat(n),
                    "X".repeat(n),
                    "*".repeat(n),
                    "<your-token>".to_string(),
                    "YOUR_TOKEN_HERE".to_string(),
                    "...".to_string(),
                    "REPLACE_ME".to_string(),
                    "a".repeat(n),
                    "0".repeat(n),
                    "${TOKEN}".to_string(),
                ])
            )
        }
        3 => {
            let t = rng.pick(&[
                "pk_live_{b62:24}",
                "pk_test_{b62:24}",
                "6L{b64u:38}",
                "phc_{b62:43}",
            ]);
            rng.template(t)
        }
        4 => rng
            .pick(&[
                "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ])
            .to_string(),
        5 => {
            let t = rng.pick(&[
                "sk-{d:5}",
                "ghp_{ln:8}",
                "AKIA{UN:10}",
                "xoxb-{d:6}",
                "glpat-{ln:6}",
                "hf_{az:5}",
                "npm_{ln:6}",
                "SG.{b62:5}",
            ]);
            rng.template(t)
        }
        6 => rng
            .pick(&[
                "sk-learn",
                "sk-SK",
                "ghp_",
                "xoxb-",
                "AKIA",
                "key-value",
                "hvs.",
                "dapi_version",
                "npm_config_cache",
                "sk_live_",
                "pypi-",
                "AGE-SECRET-KEY-1",
            ])
            .to_string(),
        _ => {
            let n = rng.range(8, 30);
            format!(
                "{}{}",
                prefix_or(prefix, "ghp_"),
                rng.pick(&[
                    "x".repeat(n),
                    "<token>".to_string(),
                    "${API_TOKEN}".to_string(),
                    "*".repeat(n),
                ])
            )
        }
    };
    // A near miss with a random body is not a secret by its shape alone; under a
    // secret-meaning name a generic rule would rightly report it, so it gets a neutral one.
    let neutral = Key::words(rng.pick(&[
        &["ref"][..],
        &["label"],
        &["slug"],
        &["cursor"],
        &["build", "ref"],
        &["item", "id"],
        &["prefix"],
    ]));
    // The body: what follows the prefix (`npm_`, `ghp_`, `glpat-`, `SG.`).
    let body = value
        .split_once(['_', '-', '.'])
        .map_or(value.as_str(), |(_, b)| b);
    let random_body = body.len() >= 4
        && !body.contains(['x', 'X', '*', '<', '$', '.', '_'])
        && body.bytes().any(|b| b.is_ascii_digit())
        || value.len() > prefix.len() + 6 && !value.contains(['x', 'X', '*', '<', '$', '.', '_'])
        || value.starts_with("AKIA")
        || value.starts_with("sk-");
    let key = if value.starts_with("pk_") {
        Key::words(&["stripe", "publishable", "key"])
    } else if value.starts_with("6L") {
        Key::words(&["recaptcha", "site", "key"])
    } else if value.starts_with("phc_") {
        Key::words(&["posthog", "project", "key"])
    } else if random_body {
        neutral
    } else {
        key
    };
    case("provider", false, assign(key, s(&value)), &value)
}

fn prefix_or<'a>(prefix: &'a str, other: &'a str) -> &'a str {
    if prefix.len() >= 3 && !prefix.starts_with("http") {
        prefix
    } else {
        other
    }
}

// ─── private-key ─────────────────────────────────────────────────────────────

/// Base64 lines of `width`, the last one shorter (a multiple of 4, with 0–2 `=`).
fn b64_lines(rng: &mut Rng, start: &str, lines: usize, width: usize) -> Vec<String> {
    let total = if lines == 1 {
        width
    } else {
        (lines * width - rng.below(width / 2)) / 4 * 4
    };
    let body = format!("{start}{}", rng.string(B64, total));
    let mut body = body[..total].to_string();
    let pad = if lines == 1 { 0 } else { rng.below(3) };
    body.replace_range(total - pad..total, &"=".repeat(pad));
    body.as_bytes()
        .chunks(width)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect()
}

pub fn pem(rng: &mut Rng) -> Vec<String> {
    let (label, start, lines, headers): (&str, &str, usize, bool) = match rng.below(8) {
        0 => (
            "RSA PRIVATE KEY",
            "MIIEpAIBAAKCAQEA",
            rng.range(18, 25),
            false,
        ),
        1 => ("RSA PRIVATE KEY", "", rng.range(18, 25), true),
        2 => ("EC PRIVATE KEY", "MHcCAQEEI", 3, false),
        3 => (
            "PRIVATE KEY",
            "MIIEvgIBADANBgkqhkiG9w0BAQEFAASC",
            rng.range(16, 26),
            false,
        ),
        4 => ("PRIVATE KEY", "MC4CAQAwBQYDK2VwBCIEI", 1, false),
        5 => (
            "ENCRYPTED PRIVATE KEY",
            "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI",
            rng.range(10, 20),
            false,
        ),
        6 => (
            "OPENSSH PRIVATE KEY",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
            rng.range(5, 7),
            false,
        ),
        _ => ("DSA PRIVATE KEY", "MIIBuwIBAAKBgQ", rng.range(8, 12), false),
    };
    let width = if label.starts_with("OPENSSH") { 70 } else { 64 };
    let mut out = vec![format!("-----BEGIN {label}-----")];
    if headers {
        out.push("Proc-Type: 4,ENCRYPTED".into());
        let iv = rng.string(HEX_UP, 32);
        out.push(format!("DEK-Info: AES-128-CBC,{iv}"));
        out.push(String::new());
    }
    out.extend(b64_lines(rng, start, lines, width));
    out.push(format!("-----END {label}-----"));
    out
}

fn pgp(rng: &mut Rng) -> Vec<String> {
    let mut out = vec![
        "-----BEGIN PGP PRIVATE KEY BLOCK-----".to_string(),
        String::new(),
    ];
    let n = rng.range(10, 20);
    out.extend(b64_lines(rng, "lQOYBG", n, 64));
    out.push(format!("={}", rng.string(B64, 4)));
    out.push("-----END PGP PRIVATE KEY BLOCK-----".into());
    out
}

fn putty(rng: &mut Rng) -> Vec<String> {
    let rsa = rng.chance(0.5);
    let (alg, public, private) = if rsa {
        ("ssh-rsa", 6, 14)
    } else {
        ("ssh-ed25519", 2, 1)
    };
    let mut out = vec![
        format!("PuTTY-User-Key-File-{}: {alg}", rng.pick(&["2", "3"])),
        "Encryption: none".to_string(),
        format!(
            "Comment: {}-key-2024{:04}",
            if rsa { "rsa" } else { "eddsa" },
            rng.range(101, 1231)
        ),
        format!("Public-Lines: {public}"),
    ];
    let public_start = if rsa {
        "AAAAB3NzaC1yc2EAAAADAQABAAABAQ"
    } else {
        "AAAAC3NzaC1lZDI1NTE5AAAAI"
    };
    out.extend(b64_lines(rng, public_start, public, 64));
    out.push(format!("Private-Lines: {private}"));
    out.extend(b64_lines(rng, "AAABAQ", private, 64));
    out.push(format!("Private-MAC: {}", rng.string(HEX, 64)));
    out
}

fn private_key(rng: &mut Rng, positive: bool) -> Case {
    let key = Key::words(rng.pick(&[
        &["private", "key"][..],
        &["ssh", "key"],
        &["tls", "key"],
        &["signing", "key"],
        &["deploy", "key"],
        &["jwt", "private", "key"],
        &["ssh", "private", "key"],
        &["server", "key"],
    ]));
    if positive {
        let lines = match rng.below(10) {
            0 => pgp(rng),
            1 => putty(rng),
            _ => pem(rng),
        };
        let secrets = lines[1..lines.len() - 1].to_vec();
        return Case {
            family: "private-key",
            positive,
            shape: Shape::Block(key, lines),
            secrets,
        };
    }
    let shape = match rng.below(8) {
        0 | 1 => {
            let (label, start, n) = rng.pick(&[
                (
                    "PUBLIC KEY",
                    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
                    7,
                ),
                ("CERTIFICATE", "MIIDdzCCAl+gAwIBAgIE", 20),
                ("RSA PUBLIC KEY", "MIIBCgKCAQEA", 6),
                ("CERTIFICATE REQUEST", "MIICvDCCAaQCAQAwdzEL", 16),
                ("PGP PUBLIC KEY BLOCK", "mQINBG", 12),
            ]);
            let mut lines = vec![format!("-----BEGIN {label}-----")];
            lines.extend(b64_lines(rng, start, n, 64));
            lines.push(format!("-----END {label}-----"));
            let k = Key::words(rng.pick(&[
                &["public", "key"][..],
                &["ca", "cert"],
                &["certificate"],
                &["tls", "cert"],
            ]));
            return Case {
                family: "private-key",
                positive,
                shape: Shape::Block(k, lines),
                secrets: vec![],
            };
        }
        2 => {
            let label = rng.pick(&[
                "PRIVATE KEY",
                "RSA PRIVATE KEY",
                "OPENSSH PRIVATE KEY",
                "EC PRIVATE KEY",
            ]);
            let body = rng.pick(&[
                "...",
                "<your private key here>",
                "REPLACE_ME",
                "MIIE...",
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "(paste the key)",
            ]);
            Shape::Block(
                key,
                vec![
                    format!("-----BEGIN {label}-----"),
                    body.to_string(),
                    format!("-----END {label}-----"),
                ],
            )
        }
        3 => assign(
            Key::words(rng.pick(&[
                &["pem", "header"][..],
                &["key", "marker"],
                &["begin", "marker"],
            ])),
            s(&format!(
                "-----BEGIN {}-----",
                rng.pick(&["PRIVATE KEY", "RSA PRIVATE KEY", "OPENSSH PRIVATE KEY"])
            )),
        ),
        4 => {
            let pubkey = format!(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{} {}@{}",
                rng.string(B64, 43),
                rng.pick(USERS),
                rng.pick(&["laptop", "ci", "bastion"])
            );
            assign(
                Key::words(rng.pick(&[&["ssh", "public", "key"][..], &["authorized", "key"]])),
                s(&pubkey),
            )
        }
        5 => assign(
            Key::words(rng.pick(&[
                &["private", "key", "path"][..],
                &["ssh", "key", "file"],
                &["tls", "key"],
                &["private", "key"],
            ])),
            s(rng.pick(&[
                "/etc/ssl/private/server.key",
                "./certs/tls.key",
                "~/.ssh/id_ed25519",
                "/run/secrets/signing_key.pem",
                "keys/deploy_rsa",
            ])),
        ),
        6 => assign(
            key,
            Val::Env(
                rng.pick(&["PRIVATE_KEY", "SSH_PRIVATE_KEY", "SIGNING_KEY"])
                    .to_string(),
            ),
        ),
        _ => Shape::Prose(
            rng.pick(&[
                "the private key is loaded from the secret store at start-up",
                "never commit the private key; mount it at /run/secrets",
                "generate a private key with ssh-keygen -t ed25519",
                "the PEM must start with -----BEGIN PRIVATE KEY-----",
            ])
            .to_string(),
        ),
    };
    Case {
        family: "private-key",
        positive,
        shape,
        secrets: vec![],
    }
}

// ─── password ────────────────────────────────────────────────────────────────

fn password_case(rng: &mut Rng, positive: bool) -> Case {
    let key = password_key(rng);
    if positive {
        let pw = password(rng);
        return case("password", true, assign(key, s(&pw)), &pw);
    }
    let (k, v) = password_negative(rng, key);
    Case {
        family: "password",
        positive,
        shape: Shape::Assign(vec![(k, v)]),
        secrets: vec![],
    }
}

fn password_negative(rng: &mut Rng, key: Key) -> (Key, Val) {
    match rng.below(14) {
        0 | 1 => (
            key,
            s(rng.pick(&[
                "changeme",
                "password",
                "password123",
                "admin",
                "secret",
                "test",
                "dummy",
                "1234",
                "example",
                "fake",
                "v4-password",
                "<password>",
                "REPLACE_ME",
                "...",
                "xxxxxxxx",
                "********",
                "[REDACTED]",
                "<redacted>",
                "[Filtered]",
                "***",
                "your_password_here",
                "",
                "root",
                "toor",
                "pass",
                "qwerty",
                "letmein",
                "abc123",
            ])),
        ),
        2 => (
            key,
            s(rng.pick(&[
                "${DB_PASSWORD}",
                "{{ db_password }}",
                "<db-password>",
                "%(db_password)s",
                "$DB_PASSWORD",
                "#{db_password}",
                "%DB_PASSWORD%",
                "{{ .Values.db.password }}",
                "${{ secrets.DB_PASSWORD }}",
                "__DB_PASSWORD__",
                "$(DB_PASSWORD)",
                "@@DB_PASSWORD@@",
            ])),
        ),
        3 | 4 => (
            key,
            Val::Env(
                rng.pick(&[
                    "DB_PASSWORD",
                    "POSTGRES_PASSWORD",
                    "SMTP_PASSWORD",
                    "ADMIN_PASSWORD",
                ])
                .to_string(),
            ),
        ),
        5 => (
            key,
            Val::Expr(
                rng.pick(&[
                    "get_secret(\"db-password\")",
                    "self.password",
                    "config.password",
                    "settings.DB_PASSWORD",
                    "vault.read(\"database/creds/app\")",
                    "keyring.get_password(\"app\", user)",
                    "args.password",
                    "creds[\"password\"]",
                    "form.password.data",
                    "prompt(\"Password: \")",
                ])
                .to_string(),
            ),
        ),
        6 => (key, Val::Type(rng.pick(&["str", "secret", "optional"]))),
        7 => (
            Key::words(rng.pick(&[
                &["password", "reset", "url"][..],
                &["forgot", "password", "path"],
                &["password", "field"],
            ])),
            s(rng.pick(&[
                "/auth/password/reset",
                "/account/forgot-password",
                "password",
            ])),
        ),
        8 => (
            Key::words(rng.pick(&[
                &["password", "error"][..],
                &["password", "label"],
                &["password", "hint"],
                &["password", "message"],
            ])),
            s(rng.pick(&[
                "auth.password.invalid",
                "errors.password.too_short",
                "Password:",
                "Enter your password",
                "invalid password",
                "password_reset",
                "Passwords do not match",
                "set the password to your own",
            ])),
        ),
        9 => (
            Key::words(rng.pick(&[
                &["password", "min", "length"][..],
                &["password", "max", "age", "days"],
                &["password", "history"],
            ])),
            Val::Bare(rng.range(6, 365).to_string()),
        ),
        10 => (
            Key::words(&["password", "pattern"]),
            s(rng.pick(&[
                "^(?=.*[A-Z])(?=.*[0-9]).{12,}$",
                "^[A-Za-z0-9!@#]{8,64}$",
                "(?=.*\\d)(?=.*[a-z]).{10,}",
            ])),
        ),
        11 => (
            Key::words(rng.pick(&[&["password", "file"][..], &["password", "path"]])),
            s(rng.pick(&[
                "/run/secrets/db_password",
                "./secrets/db_pass.txt",
                "/etc/app/password",
            ])),
        ),
        12 => (
            Key::words(rng.pick(&[
                &["password", "env"][..],
                &["password", "var"],
                &["password", "key"],
            ])),
            s(rng.pick(&[
                "DB_PASSWORD",
                "SMTP_PASSWORD",
                "db-password",
                "postgres_password",
            ])),
        ),
        _ => (
            Key::words(&["password", "hash", "algorithm"]),
            s(rng.pick(&["argon2id", "bcrypt", "pbkdf2_sha256", "scrypt"])),
        ),
    }
}

// ─── generic-token ───────────────────────────────────────────────────────────

fn generic(rng: &mut Rng, positive: bool) -> Case {
    let key = generic_key(rng);
    if positive {
        let v = generic_value(rng);
        return case("generic-token", true, assign(key, s(&v)), &v);
    }
    let (k, v) = match rng.below(17) {
        0 | 1 => (
            key,
            s(rng.pick(&[
                "your_api_key_here",
                "my-secret",
                "1234",
                "abcdef",
                "xxxxxxxxxxxxxxxxxxxxxxxx",
                "changeme",
                "test",
                "dummy",
                "example",
                "fake",
                "<your-token>",
                "REPLACE_ME",
                "...",
                "TODO",
                "none",
                "",
                "<API_KEY>",
                "YOUR_CLIENT_SECRET",
                "insert-key-here",
                "api-key-goes-here",
                "xxxx-xxxx-xxxx",
                "0000000000000000",
                "my_api_key",
                "secret123",
                "foobar",
                "tr_brandnew_1234",
                "secret",
                "test-token",
                "sample-key",
                "todo-set-me",
                "<redacted>",
                "[REDACTED]",
                "***",
                "[Filtered]",
            ])),
        ),
        2 => (
            key,
            s(rng.pick(&[
                "${API_KEY}",
                "{{ api_key }}",
                "<api_key>",
                "%(api_key)s",
                "$API_KEY",
                "#{api_key}",
                "%API_KEY%",
                "{{ .Values.apiKey }}",
                "${{ secrets.API_KEY }}",
                "__API_KEY__",
                "$(API_KEY)",
                "${env:API_KEY}",
                "{api_key}",
            ])),
        ),
        3 | 4 => (
            key,
            Val::Env(
                rng.pick(&[
                    "API_KEY",
                    "CLIENT_SECRET",
                    "AUTH_TOKEN",
                    "WEBHOOK_SECRET",
                    "SIGNING_KEY",
                ])
                .to_string(),
            ),
        ),
        5 => (
            key,
            Val::Expr(
                rng.pick(&[
                    "get_secret(\"api-key\")",
                    "self.token",
                    "config.api_key",
                    "settings.SECRET_KEY",
                    "args.token",
                    "request.headers.get(\"X-Api-Key\")",
                    "creds[\"client_secret\"]",
                    "load_key()",
                    "token.strip()",
                    "secrets.token_urlsafe(32)",
                    "crypto.randomBytes(32).toString(\"hex\")",
                    "generate_token()",
                ])
                .to_string(),
            ),
        ),
        6 => (
            key,
            s(rng.pick(&[
                "password_reset",
                "invalid-csrf-token",
                "UUIDFilterInput",
                "AUTH_TOKEN",
                "api_key_missing",
                "TokenExpiredError",
                "refresh_token",
                "client_credentials",
                "access_token",
                "SecretStr",
                "bearer",
                "x-api-key",
                "Authorization",
                "session_token_cookie",
                "API_KEY_HEADER",
            ])),
        ),
        7 => (key, Val::Type(rng.pick(&["str", "secret", "optional"]))),
        8 => (
            key,
            s(rng.pick(&[
                "/etc/secret/key.pem",
                "./certs/token.txt",
                "/run/secrets/api_key",
                "~/.config/app/token",
                "secrets/jwt.key",
                "/var/run/secrets/kubernetes.io/serviceaccount/token",
            ])),
        ),
        9 => (
            key,
            s(rng.pick(&[
                "https://api.acme.io/oauth/token",
                "https://vault.internal:8200/v1/secret/data/app",
                "https://login.microsoftonline.com/common/oauth2/v2.0/token",
                "http://localhost:8080/token",
            ])),
        ),
        10 => (
            key,
            s(rng.pick(&["1.2.3", "v2.14.0", "2024-01-15", "3.11", "0.9.7-beta.1"])),
        ),
        11 => {
            let k = Key::words(rng.pick(&[
                &["request", "id"][..],
                &["trace", "id"],
                &["correlation", "id"],
                &["tenant", "id"],
                &["build", "id"],
            ]));
            let u = uuid(rng);
            (k, s(&u))
        }
        12 => {
            let (k, v) = match rng.below(6) {
                0 => (&["sha256"][..], rng.string(HEX, 64)),
                1 => (&["commit"][..], rng.string(HEX, 40)),
                2 => (
                    &["integrity"][..],
                    format!("sha512-{}", random_b64(rng, 64)),
                ),
                3 => (&["checksum"][..], rng.string(HEX, 64)),
                4 => (&["git", "sha"][..], rng.string(HEX, 40)),
                _ => (&["content", "hash"][..], rng.string(HEX, 32)),
            };
            (Key::words(k), s(&v))
        }
        13 => {
            let k = Key::words(rng.pick(&[
                &["primary", "color"][..],
                &["color", "token", "accent"],
                &["brand", "color"],
            ]));
            let c = format!("#{}", rng.string(HEX, 6));
            (k, s(&c))
        }
        14 => {
            let phrase = rng.pick(&[
                "please rotate me before launch",
                "hello world this is not a key",
                "set me in the deployment settings",
                "replace with the real value",
            ]);
            (key, s(&base64(phrase.as_bytes())))
        }
        15 => (
            key,
            s(rng.pick(&[
                "aaaaaaaaaaaaaaaa",
                "abcabcabcabc",
                "1111111111111111",
                "qwertyqwerty",
                "abababababababab",
                "zzzzzzzzzzzzzzzzzzzz",
            ])),
        ),
        _ => {
            return Case {
                family: "generic-token",
                positive,
                shape: Shape::Prose(
                    rng.pick(&[
                        "the token is valid for one hour",
                        "rotate the api key every 90 days",
                        "the secret key is stored in Vault",
                        "Token expired, requesting a new one",
                        "the client secret must be at least 32 characters",
                        "pass the api key in the X-Api-Key header",
                        "the access token is refreshed by the worker",
                    ])
                    .to_string(),
                ),
                secrets: vec![],
            };
        }
    };
    Case {
        family: "generic-token",
        positive,
        shape: Shape::Assign(vec![(k, v)]),
        secrets: vec![],
    }
}

// ─── url-credentials ─────────────────────────────────────────────────────────

fn url_key(rng: &mut Rng, scheme: &str) -> Key {
    Key::words(match scheme {
        "postgres" | "postgresql" | "mysql" => rng.pick(&[
            &["database", "url"][..],
            &["db", "url"],
            &["dsn"],
            &["sqlalchemy", "database", "uri"],
        ]),
        "mongodb" | "mongodb+srv" => rng.pick(&[&["mongo", "uri"][..], &["mongodb", "url"]]),
        "redis" | "rediss" => rng.pick(&[&["redis", "url"][..], &["cache", "url"]]),
        "amqp" | "amqps" => rng.pick(&[
            &["amqp", "url"][..],
            &["broker", "url"],
            &["celery", "broker", "url"],
        ]),
        _ => rng.pick(&[
            &["upstream", "url"][..],
            &["remote", "url"],
            &["endpoint"],
            &["url"],
        ]),
    })
}

const SCHEMES: &[(&str, &str)] = &[
    ("postgres", ":5432/app"),
    ("postgresql", ":5432/orders?sslmode=require"),
    ("mysql", ":3306/shop"),
    ("mongodb", ":27017/admin"),
    ("mongodb+srv", "/prod?retryWrites=true&w=majority"),
    ("redis", ":6379/0"),
    ("rediss", ":6380/1"),
    ("amqp", ":5672/%2F"),
    ("amqps", ":5671/vhost"),
    ("ftp", "/uploads"),
    ("sftp", ":22/data"),
    ("https", "/repo.git"),
    ("http", ":8081/repository/maven-releases/"),
    ("smb", "/share/reports"),
    ("ldap", ":389/dc=corp,dc=net"),
    ("ldaps", ":636/dc=corp,dc=net"),
];

fn url_credentials(rng: &mut Rng, positive: bool) -> Case {
    let (scheme, tail) = rng.pick(SCHEMES);
    let host = rng.pick(HOSTS);
    let key = url_key(rng, scheme);
    if positive {
        let pw = url_password(rng);
        let url = format!("{scheme}://{}:{pw}@{host}{tail}", rng.pick(USERS));
        let shape = match rng.below(10) {
            0 => Shape::Prose(format!("connecting to {url}")),
            1 => Shape::Command(format!(
                "{} \"{url}\"",
                rng.pick(&["psql", "mongosh", "redis-cli -u", "git clone", "curl -fsSL"])
            )),
            _ => assign(key, s(&url)),
        };
        return Case {
            family: "url-credentials",
            positive,
            shape,
            secrets: vec![pw],
        };
    }
    let user = rng.pick(USERS);
    let url = match rng.below(9) {
        0 | 1 | 5 => format!("{scheme}://{host}{tail}"),
        2 => format!(
            "{scheme}://{}@{host}{tail}",
            rng.pick(&[
                "user:password",
                "<user>:<password>",
                "username:password",
                "user:pass",
                "admin:admin",
                "postgres:postgres",
                "root:root",
                "USER:PASSWORD",
                "guest:guest",
                "user:changeme"
            ])
        ),
        3 => format!("{scheme}://${{DB_USER}}:${{DB_PASSWORD}}@{host}{tail}"),
        4 => format!("{scheme}://{user}@{host}{tail}"),
        6 => format!(
            "{scheme}://{user}:{}@{host}{tail}",
            rng.pick(&[
                "****",
                "***",
                "<redacted>",
                "[REDACTED]",
                "xxxxx",
                "%s",
                "{password}",
                "$PASSWORD"
            ])
        ),
        7 => rng
            .pick(&[
                "http://localhost:3000",
                "ssh://git@github.com/acme/api.git",
                "git@github.com:acme/api.git",
                "https://github.com/acme/api",
                "http://127.0.0.1:8080/health",
                "https://registry.npmjs.org/",
            ])
            .to_string(),
        _ => format!("{scheme}://{user}:@{host}{tail}"),
    };
    Case {
        family: "url-credentials",
        positive,
        shape: assign(key, s(&url)),
        secrets: vec![],
    }
}

// ─── connection-string ───────────────────────────────────────────────────────

fn connection_string(rng: &mut Rng, positive: bool) -> Case {
    let key = Key::words(rng.pick(&[
        &["connection", "string"][..],
        &["default", "connection"],
        &["azure", "web", "jobs", "storage"],
        &["service", "bus", "connection"],
        &["storage", "connection", "string"],
        &["db", "connection"],
        &["sql", "connection", "string"],
        &["event", "hub", "connection"],
    ]));
    let host = rng.pick(HOSTS);
    let user = rng.pick(USERS);
    let db = rng.pick(&["orders", "app", "billing", "inventory"]);
    if positive {
        let pw = password(rng).replace(';', "!");
        let acct = rng.string("abcdefghijklmnopqrstuvwxyz0123456789", 12);
        let (v, secret) = match rng.below(9) {
            0 => (
                format!(
                    "Server=tcp:{host},1433;Initial Catalog={db};Persist Security Info=False;User ID={user};Password={pw};MultipleActiveResultSets=False;Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;"
                ),
                pw,
            ),
            1 => (
                format!("Data Source={host};Initial Catalog={db};User Id={user};Password={pw};"),
                pw,
            ),
            2 => (
                format!("Host={host};Port=5432;Database={db};Username={user};Password={pw}"),
                pw,
            ),
            3 => (
                format!("Server={host};Port=3306;Database={db};Uid={user};Pwd={pw};"),
                pw,
            ),
            4 => (
                format!(
                    "Driver={{ODBC Driver 18 for SQL Server}};Server={host};Database={db};UID={user};PWD={pw};"
                ),
                pw,
            ),
            5 => {
                let k = random_b64(rng, 64);
                (
                    format!(
                        "DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={k};EndpointSuffix=core.windows.net"
                    ),
                    k,
                )
            }
            6 => {
                let k = random_b64(rng, 32);
                (
                    format!(
                        "Endpoint=sb://{acct}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={k}"
                    ),
                    k,
                )
            }
            7 => {
                let k = random_b64(rng, 32);
                (
                    format!(
                        "HostName={acct}.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey={k}"
                    ),
                    k,
                )
            }
            _ => {
                let k = random_b64(rng, 32);
                (
                    format!(
                        "Endpoint=https://{acct}.azconfig.io;Id={};Secret={k}",
                        rng.string(B62, 14)
                    ),
                    k,
                )
            }
        };
        return case("connection-string", true, assign(key, s(&v)), &secret);
    }
    let v = match rng.below(10) {
        0 => format!("Server={host};Database={db};Integrated Security=True;"),
        1 => format!("Server={host};Database={db};Trusted_Connection=yes;"),
        2 => format!("Server={host};Database={db};User Id={user};Password=;"),
        3 => format!("Server={host};Database={db};User Id={user};Password={{0}};"),
        4 => format!("Server={host};Database={db};User Id={user};Password=$(DB_PASS);"),
        5 => format!("Data Source={host};User Id={user};Password=<password>;"),
        6 => format!("Host={host};Database={db};Username={user};Password=********"),
        7 => "UseDevelopmentStorage=true".to_string(),
        8 => "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=<account-key>;EndpointSuffix=core.windows.net"
            .to_string(),
        _ => format!(
            "InstrumentationKey={};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
            uuid(rng)
        ),
    };
    Case {
        family: "connection-string",
        positive,
        shape: assign(key, s(&v)),
        secrets: vec![],
    }
}

// ─── http ────────────────────────────────────────────────────────────────────

fn bearer(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => jwt(rng),
        1 => {
            let n = rng.range(32, 64);
            rng.mixed(B62, n)
        }
        _ => {
            let n = rng.range(30, 50);
            rng.mixed(&format!("{B62}-._~"), n)
        }
    }
}

const API_HOSTS: &[&str] = &[
    "api.acme.io",
    "hooks.partner.net",
    "billing.internal",
    "api.vendor.com",
];

fn http(rng: &mut Rng, positive: bool) -> Case {
    let host = rng.pick(API_HOSTS);
    if positive {
        let (shape, secret) = match rng.below(10) {
            0 | 1 => {
                let t = bearer(rng);
                (
                    Shape::Header("Authorization".into(), format!("Bearer {t}")),
                    t,
                )
            }
            2 => {
                let pw = url_password(rng);
                let b = base64(format!("{}:{pw}", rng.pick(USERS)).as_bytes());
                (
                    Shape::Header("Authorization".into(), format!("Basic {b}")),
                    b,
                )
            }
            3 => {
                let t = generic_value(rng);
                (
                    Shape::Header(
                        rng.pick(&["X-Api-Key", "X-Auth-Token", "Private-Token"])
                            .to_string(),
                        t.clone(),
                    ),
                    t,
                )
            }
            4 => {
                let pw = password(rng).replace(' ', "-");
                (
                    Shape::Command(format!(
                        "curl {} {}:{} https://{host}/v1/export",
                        rng.pick(&["-u", "--user"]),
                        rng.pick(USERS),
                        shq(&pw)
                    )),
                    pw,
                )
            }
            5 => {
                let t = bearer(rng);
                (
                    Shape::Command(format!(
                        "curl -fsS -H \"Authorization: Bearer {t}\" https://{host}/v1/items"
                    )),
                    t,
                )
            }
            6 => {
                let t = generic_value(rng);
                (
                    Shape::Command(format!(
                        "curl -H \"X-Api-Key: {t}\" https://{host}/v2/status"
                    )),
                    t,
                )
            }
            7 => {
                let t = bearer(rng);
                (
                    Shape::Command(format!(
                        "curl -X POST https://{host}/oauth/revoke -d access_token={t}"
                    )),
                    t,
                )
            }
            8 => {
                let t = rng.mixed(B62, 40);
                (
                    Shape::Command(format!(
                        "curl -X POST https://{host}/oauth/token -d \"client_id=web&client_secret={t}\""
                    )),
                    t,
                )
            }
            _ => {
                let n = rng.range(24, 48);
                let t = rng.mixed(B62, n);
                let url = match rng.below(3) {
                    0 => format!("https://{host}/v1/events?access_token={t}"),
                    1 => format!("https://{host}/v2/report?format=csv&api_key={t}"),
                    _ => format!("https://{host}/feed?user=42&apikey={t}"),
                };
                (
                    assign(
                        Key::words(rng.pick(&[
                            &["endpoint"][..],
                            &["webhook", "url"],
                            &["feed", "url"],
                            &["report", "url"],
                        ])),
                        s(&url),
                    ),
                    t,
                )
            }
        };
        return case("http", true, shape, &secret);
    }
    let shape = match rng.below(9) {
        0 | 1 => Shape::Header(
            "Authorization".into(),
            rng.pick(&[
                "Bearer ${TOKEN}",
                "Bearer <token>",
                "Bearer $TOKEN",
                "Bearer {token}",
                "Bearer YOUR_ACCESS_TOKEN",
                "Bearer ${{ secrets.API_TOKEN }}",
                "Bearer [REDACTED]",
                "Bearer ***",
                "Basic dXNlcjpwYXNzd29yZA==",
                "Bearer",
                "Bearer <redacted>",
                "Token {{ api_token }}",
            ])
            .to_string(),
        ),
        2 => Shape::Header(
            rng.pick(&["X-Request-Id", "X-Correlation-Id"]).to_string(),
            uuid(rng),
        ),
        3 => Shape::Header("Content-Type".into(), "application/json".into()),
        4 => Shape::Command(
            rng.pick(&[
                "curl -u \"${API_USER}:${API_PASS}\" https://api.acme.io/v1/export",
                "curl -H \"Authorization: Bearer ${TOKEN}\" https://api.acme.io/v1/items",
                "curl -u admin https://api.acme.io/v1/export",
                "curl -H \"X-Api-Key: ${API_KEY}\" https://api.acme.io/v2/status",
                "curl -d access_token=${ACCESS_TOKEN} https://api.acme.io/oauth/revoke",
                "curl -H \"Authorization: Bearer <token>\" https://api.acme.io/v1/items",
                "curl -fsS -H \"Accept: application/json\" https://api.acme.io/v1/health",
                "curl --user \"$(cat /run/secrets/api_user)\" https://api.acme.io/v1/export",
            ])
            .to_string(),
        ),
        5 => assign(
            Key::words(&["endpoint"]),
            s(&format!(
                "https://{host}/v1/events?access_token=${{ACCESS_TOKEN}}"
            )),
        ),
        6 => assign(
            Key::words(&["next", "url"]),
            s(&format!(
                "https://{host}/v1/items?page_token={}&limit=100",
                rng.string(B64U, 24)
            )),
        ),
        7 => assign(
            Key::words(&["endpoint"]),
            s(&format!("https://{host}/v2/report?api_key=YOUR_API_KEY")),
        ),
        _ => Shape::Prose(
            rng.pick(&[
                "send the token in the Authorization header as Bearer <token>",
                "the API returns 401 when the bearer token is missing",
                "basic auth is disabled in production",
            ])
            .to_string(),
        ),
    };
    Case {
        family: "http",
        positive,
        shape,
        secrets: vec![],
    }
}

/// Shell quoting for a value in a command: bare when safe, double-quoted otherwise.
pub fn shq(v: &str) -> String {
    if v.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_./:@+=,-".contains(c))
    {
        v.to_string()
    } else {
        format!("\"{v}\"")
    }
}

// ─── cli ─────────────────────────────────────────────────────────────────────

fn cli(rng: &mut Rng, positive: bool) -> Case {
    let host = rng.pick(HOSTS);
    let user = rng.pick(USERS);
    if positive {
        let pw = password(rng).replace(' ', "_");
        let q = shq(&pw);
        let cmd = match rng.below(16) {
            0 => format!("mysql -h {host} -u {user} -p{q} orders"),
            1 => format!("mysql -h {host} -u {user} --password={q} orders"),
            2 => format!("mysqldump -u {user} -p{q} --all-databases > /backup/all.sql"),
            3 => format!("sshpass -p {q} ssh {user}@{host} uptime"),
            4 => format!("psexec \\\\{host} -u CORP\\{user} -p {q} cmd /c ipconfig"),
            5 => format!("docker login -u {user} -p {q} registry.acme.io"),
            6 => format!("docker login registry.acme.io --username {user} --password {q}"),
            7 => format!("redis-cli -h {host} -a {q} ping"),
            8 => format!(
                "mongo --host {host} --username {user} --password {q} --authenticationDatabase admin"
            ),
            9 => format!(
                "ldapsearch -x -H ldap://{host} -D \"cn={user},dc=corp,dc=net\" -w {q} -b dc=corp,dc=net"
            ),
            10 => format!(
                "openssl pkcs12 -export -in cert.pem -inkey key.pem -out bundle.p12 -passout pass:{q}"
            ),
            11 => format!(
                "keytool -importkeystore -srckeystore bundle.p12 -destkeystore app.jks -storepass {q}"
            ),
            12 => format!("sqlcmd -S {host} -U sa -P {q} -Q \"SELECT 1\""),
            13 => format!("java -jar app.jar --spring.datasource.password={q}"),
            14 => format!("rabbitmqctl add_user {user} {q}"),
            _ => format!("mongodump --uri mongodb://{host}:27017 --username {user} --password={q}"),
        };
        return case("cli", true, Shape::Command(cmd), &pw);
    }
    let cmd = match rng.below(18) {
        0 => format!("mysql -h {host} -u {user} -p orders"),
        1 => format!("mysql -h {host} -u {user} -p\"${{MYSQL_PASSWORD}}\" orders"),
        2 => format!("mysql -u {user} --password=\"${{DB_PASSWORD}}\" orders"),
        3 => format!(
            "docker login -u {user} --password-stdin registry.acme.io < /run/secrets/registry"
        ),
        4 => "docker run -d -p 8080:80 -p 8443:443 nginx:1.27".to_string(),
        5 => format!("ssh -p 2222 {user}@{host}"),
        6 => "mkdir -p /var/lib/app/cache".to_string(),
        7 => format!("sshpass -e ssh {user}@{host} uptime"),
        8 => format!("sshpass -f /run/secrets/ssh_pass ssh {user}@{host}"),
        9 => format!("redis-cli -h {host} -a \"${{REDIS_PASSWORD}}\" ping"),
        10 => "pg_restore --password-file /run/secrets/db -d app dump.sql".to_string(),
        11 => format!("mysql -u {user} --password=<password> orders"),
        12 => "openssl pkcs12 -export -in cert.pem -out bundle.p12 -passout env:P12_PASSWORD"
            .to_string(),
        13 => "keytool -list -keystore app.jks -storepass:env STORE_PASS".to_string(),
        14 => format!("sqlcmd -S {host} -U sa -P \"${{SA_PASSWORD}}\" -Q \"SELECT 1\""),
        15 => format!("docker login -u {user} -p \"${{REGISTRY_TOKEN}}\" registry.acme.io"),
        16 => "cp -p config.yml /etc/app/config.yml".to_string(),
        _ => format!("mysql --password=changeme -u {user}"),
    };
    Case {
        family: "cli",
        positive,
        shape: Shape::Command(cmd),
        secrets: vec![],
    }
}

// ─── config-file ─────────────────────────────────────────────────────────────

/// A config-file case written into another syntax: an `echo` into the file.
fn config_file_command(rng: &mut Rng, positive: bool) -> Case {
    if positive {
        let (cmd, secret) = match rng.below(4) {
            0 => {
                let t = uuid(rng);
                (
                    format!("echo \"//registry.npmjs.org/:_authToken={t}\" > ~/.npmrc"),
                    t,
                )
            }
            1 => {
                let b = base64(format!("{}:{}", rng.pick(USERS), url_password(rng)).as_bytes());
                (format!("echo \"_auth={b}\" >> .npmrc"), b)
            }
            2 => {
                let pw = url_password(rng);
                (
                    format!(
                        "echo \"machine {} login {} password {pw}\" > ~/.netrc",
                        rng.pick(HOSTS),
                        rng.pick(USERS)
                    ),
                    pw,
                )
            }
            _ => {
                let pw = url_password(rng);
                (
                    format!(
                        "echo \"https://{}:{pw}@git.acme.io\" > ~/.git-credentials",
                        rng.pick(USERS)
                    ),
                    pw,
                )
            }
        };
        return case("config-file", true, Shape::Command(cmd), &secret);
    }
    let cmd = rng
        .pick(&[
            "echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > ~/.npmrc",
            "echo \"registry=https://registry.npmjs.org/\" >> .npmrc",
            "echo \"always-auth=true\" >> .npmrc",
            "echo \"machine ${GIT_HOST} login ${GIT_USER} password ${GIT_TOKEN}\" > ~/.netrc",
            "git config --global credential.helper store",
            "echo \"@acme:registry=https://npm.pkg.github.com\" >> .npmrc",
        ])
        .to_string();
    Case {
        family: "config-file",
        positive,
        shape: Shape::Command(cmd),
        secrets: vec![],
    }
}

/// A case of a dedicated config format, as its raw lines.
pub fn config_file_raw(rng: &mut Rng, syntax: &str, positive: bool) -> Case {
    let user = rng.pick(USERS);
    let host = rng.pick(HOSTS);
    let (lines, secret): (Vec<String>, String) = match (syntax, positive) {
        ("npmrc", true) => match rng.below(4) {
            0 => {
                let t = uuid(rng);
                (vec![format!("//registry.npmjs.org/:_authToken={t}")], t)
            }
            1 => {
                let t = rng.template("ghp_{b62:36}");
                (vec![format!("//npm.pkg.github.com/:_authToken={t}")], t)
            }
            2 => {
                let b = base64(format!("{user}:{}", url_password(rng)).as_bytes());
                (vec![format!("_auth={b}")], b)
            }
            _ => {
                let b = base64(url_password(rng).as_bytes());
                (
                    vec![
                        format!("//{host}/repository/npm/:_password={b}"),
                        format!("//{host}/repository/npm/:username={user}"),
                    ],
                    b,
                )
            }
        },
        ("npmrc", false) => (
            vec![
                rng.pick(&[
                    "//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
                    "registry=https://registry.npmjs.org/",
                    "always-auth=true",
                    "@acme:registry=https://npm.pkg.github.com",
                    "//npm.pkg.github.com/:_authToken=${GITHUB_TOKEN}",
                    "_authToken=",
                    "save-exact=true",
                    "//registry.npmjs.org/:_authToken=<token>",
                ])
                .to_string(),
            ],
            String::new(),
        ),
        ("pypirc", true) => {
            let (u, p) = if rng.chance(0.5) {
                (
                    "__token__".to_string(),
                    rng.template("pypi-AgEIcHlwaS5vcmc{b64u:70-140}"),
                )
            } else {
                (user.to_string(), password(rng).replace(' ', "-"))
            };
            (
                vec![
                    format!("[{}]", rng.pick(&["pypi", "private", "internal"])),
                    format!("repository = https://{host}/simple/"),
                    format!("username = {u}"),
                    format!("password = {p}"),
                ],
                p,
            )
        }
        ("pypirc", false) => (
            vec![
                format!("[{}]", rng.pick(&["testpypi", "local"])),
                format!("repository = https://{host}/simple/"),
                format!("username = {user}"),
                format!(
                    "password = {}",
                    rng.pick(&["${PYPI_TOKEN}", "<token>", "%(PYPI_PASSWORD)s", ""])
                ),
            ],
            String::new(),
        ),
        ("netrc", true) => {
            let p = if rng.chance(0.5) {
                url_password(rng)
            } else {
                rng.string(HEX, 40)
            };
            if rng.chance(0.5) {
                (vec![format!("machine {host} login {user} password {p}")], p)
            } else {
                (
                    vec![
                        format!("machine {host}"),
                        format!("  login {user}@acme.io"),
                        format!("  password {p}"),
                    ],
                    p,
                )
            }
        }
        ("netrc", false) => (
            vec![
                rng.pick(&[
                    "machine files.acme.io login anonymous",
                    "default login anonymous password guest@",
                    "machine api.acme.io login deploy password $NETRC_PASSWORD",
                    "macdef init",
                ])
                .to_string(),
            ],
            String::new(),
        ),
        ("git-credentials", true) => {
            let p = match rng.below(3) {
                0 => rng.template("ghp_{b62:36}"),
                1 => rng.template("glpat-{b64u:20}"),
                _ => url_password(rng),
            };
            let h = rng.pick(&["github.com", "gitlab.com", "bitbucket.org", "git.acme.io"]);
            (
                vec![format!(
                    "https://{}:{p}@{h}",
                    rng.pick(&[user, "oauth2", "x-access-token"])
                )],
                p,
            )
        }
        ("git-credentials", false) => (
            vec![
                rng.pick(&[
                    "https://github.com",
                    "https://deploy@git.acme.io",
                    "https://oauth2:${CI_JOB_TOKEN}@gitlab.com",
                ])
                .to_string(),
            ],
            String::new(),
        ),
        _ => panic!("no raw config cases for {syntax}"),
    };
    let secrets = if secret.is_empty() {
        vec![]
    } else {
        vec![secret]
    };
    Case {
        family: "config-file",
        positive,
        shape: Shape::Raw(lines),
        secrets,
    }
}

/// Docker's `config.json` `auths` entries (JSON members).
pub fn docker_auth(rng: &mut Rng, positive: bool) -> Case {
    let n = rng.range(1, 999);
    let account = rng.range(100_000_000_000, 999_999_999_999);
    let reg = rng.pick(&[
        "https://index.docker.io/v1/".to_string(),
        format!("registry-{n}.acme.io"),
        "ghcr.io".to_string(),
        format!("{account}.dkr.ecr.eu-west-1.amazonaws.com"),
        format!("quay-{n}.corp.net"),
    ]);
    if positive {
        let b = base64(format!("{}:{}", rng.pick(USERS), url_password(rng)).as_bytes());
        let lines = vec![
            format!("\"{reg}\": {{"),
            format!("  \"auth\": \"{b}\""),
            "}".to_string(),
        ];
        return Case {
            family: "config-file",
            positive,
            shape: Shape::Raw(lines),
            secrets: vec![b],
        };
    }
    let lines = match rng.below(3) {
        0 => vec![format!("\"{reg}\": {{}}")],
        1 => vec![
            format!("\"{reg}\": {{"),
            "  \"auth\": \"\"".to_string(),
            "}".to_string(),
        ],
        _ => vec![
            format!("\"{reg}\": {{"),
            "  \"auth\": \"<base64 user:password>\"".to_string(),
            "}".to_string(),
        ],
    };
    Case {
        family: "config-file",
        positive,
        shape: Shape::Raw(lines),
        secrets: vec![],
    }
}

/// A Kubernetes Secret document (or a near miss), as YAML lines.
pub fn k8s_secret(rng: &mut Rng, positive: bool) -> Case {
    let name = rng.pick(&[
        "db-credentials",
        "api-keys",
        "smtp",
        "registry-auth",
        "app-secrets",
    ]);
    let mut lines = vec![
        "apiVersion: v1".to_string(),
        "kind: Secret".to_string(),
        "metadata:".to_string(),
        format!("  name: {name}"),
        "  namespace: prod".to_string(),
        "type: Opaque".to_string(),
    ];
    let mut secrets = vec![];
    let keys = [
        "password",
        "api-key",
        "client-secret",
        "token",
        "db-password",
        "smtp-password",
    ];
    if positive {
        let n = rng.range(1, 3);
        if rng.chance(0.5) {
            lines.push("data:".into());
            for _ in 0..n {
                let raw = if rng.chance(0.5) {
                    password(rng)
                } else {
                    generic_value(rng)
                };
                let b = base64(raw.as_bytes());
                lines.push(format!("  {}: {b}", rng.pick(&keys)));
                secrets.push(b);
            }
        } else {
            lines.push("stringData:".into());
            for _ in 0..n {
                let v = if rng.chance(0.5) {
                    password(rng)
                } else {
                    generic_value(rng)
                };
                lines.push(format!("  {}: \"{v}\"", rng.pick(&keys)));
                secrets.push(v);
            }
        }
    } else {
        match rng.below(4) {
            0 => {
                lines.push("data:".into());
                let word = rng.pick(&["changeme", "password", "admin", "secret", "test"]);
                lines.push(format!("  password: {}", base64(word.as_bytes())));
            }
            1 => {
                lines.push("stringData:".into());
                lines.push("  password: \"{{ .Values.db.password }}\"".into());
            }
            2 => {
                lines.push("stringData:".into());
                lines.push(format!(
                    "  api-key: \"{}\"",
                    rng.pick(&["${API_KEY}", "<api-key>", "REPLACE_ME", ""])
                ));
            }
            _ => lines.push("data: {}".into()),
        }
    }
    Case {
        family: "config-file",
        positive,
        shape: Shape::Raw(lines),
        secrets,
    }
}

/// A Kubernetes env entry that references a Secret (never a value): a negative.
pub fn k8s_secret_ref(rng: &mut Rng) -> Case {
    let lines = vec![
        "apiVersion: v1".to_string(),
        "kind: Pod".to_string(),
        "metadata:".to_string(),
        "  name: api".to_string(),
        "spec:".to_string(),
        "  containers:".to_string(),
        "    - name: api".to_string(),
        "      image: registry.acme.io/api:1.4.2".to_string(),
        "      env:".to_string(),
        format!(
            "        - name: {}",
            rng.pick(&["DB_PASSWORD", "API_KEY", "CLIENT_SECRET"])
        ),
        "          valueFrom:".to_string(),
        "            secretKeyRef:".to_string(),
        format!(
            "              name: {}",
            rng.pick(&["db-credentials", "api-keys"])
        ),
        "              key: password".to_string(),
    ];
    Case {
        family: "config-file",
        positive: false,
        shape: Shape::Raw(lines),
        secrets: vec![],
    }
}

// ─── password-hash ───────────────────────────────────────────────────────────

const CRYPT: &str = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

pub fn password_hash_value(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 | 1 => format!(
            "$2{}${:02}${}",
            rng.pick(&["b", "a", "y"]),
            rng.pick(&[10, 12, 14]),
            rng.string(CRYPT, 53)
        ),
        2 => format!(
            "$argon2id$v=19$m={},t={},p={}${}${}",
            rng.pick(&[65536, 19456, 47104]),
            rng.range(2, 4),
            rng.range(1, 4),
            random_b64(rng, 16).trim_end_matches('='),
            random_b64(rng, 32).trim_end_matches('=')
        ),
        3 => format!(
            "pbkdf2_sha256${}${}${}",
            rng.pick(&[600000, 870000, 720000]),
            rng.string(B62, 22),
            random_b64(rng, 32)
        ),
        4 => format!("$6${}${}", rng.string(CRYPT, 16), rng.string(CRYPT, 86)),
        _ => format!("$apr1${}${}", rng.string(CRYPT, 8), rng.string(CRYPT, 22)),
    }
}

fn password_hash(rng: &mut Rng, positive: bool) -> Case {
    let key = Key::words(rng.pick(&[
        &["password", "hash"][..],
        &["hashed", "password"],
        &["admin", "password", "hash"],
        &["password", "digest"],
        &["password"],
    ]));
    if positive {
        let h = password_hash_value(rng);
        return case("password-hash", true, assign(key, s(&h)), &h);
    }
    let (k, v) = match rng.below(6) {
        0 => (
            key,
            s(rng.pick(&[
                "",
                "!",
                "*",
                "<bcrypt hash>",
                "$2b$12$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "{{ admin_hash }}",
            ])),
        ),
        1 => (
            Key::words(&["hash", "algorithm"]),
            s(rng.pick(&["argon2id", "bcrypt", "pbkdf2_sha256", "sha512crypt"])),
        ),
        2 => (
            Key::words(&["bcrypt", "rounds"]),
            Val::Bare(rng.range(10, 14).to_string()),
        ),
        3 => (
            key,
            Val::Expr(
                rng.pick(&[
                    "bcrypt.hashpw(pw, bcrypt.gensalt())",
                    "make_password(raw)",
                    "hasher.hash(password)",
                ])
                .to_string(),
            ),
        ),
        4 => (
            Key::words(&["password", "hashers"]),
            s("django.contrib.auth.hashers.PBKDF2PasswordHasher"),
        ),
        _ => (key, Val::Env("ADMIN_PASSWORD_HASH".to_string())),
    };
    Case {
        family: "password-hash",
        positive,
        shape: Shape::Assign(vec![(k, v)]),
        secrets: vec![],
    }
}

/// htpasswd and shadow lines.
pub fn hash_file_raw(rng: &mut Rng, syntax: &str, positive: bool) -> Case {
    let user = rng.pick(USERS);
    let (line, secret) = match (syntax, positive) {
        ("htpasswd", true) => {
            let h = match rng.below(3) {
                0 => format!("$apr1${}${}", rng.string(CRYPT, 8), rng.string(CRYPT, 22)),
                1 => format!("$2y$05${}", rng.string(CRYPT, 53)),
                _ => format!("{{SHA}}{}", random_b64(rng, 20)),
            };
            (format!("{user}:{h}"), h)
        }
        ("htpasswd", false) => (
            rng.pick(&[
                "# htpasswd -B -c .htpasswd admin",
                "# users are added by the deploy job",
                "# format: user:hash",
            ])
            .to_string(),
            String::new(),
        ),
        ("shadow", true) => {
            let h = if rng.chance(0.6) {
                format!("$6${}${}", rng.string(CRYPT, 16), rng.string(CRYPT, 86))
            } else {
                format!("$y$j9T${}${}", rng.string(CRYPT, 22), rng.string(CRYPT, 43))
            };
            (
                format!("{user}:{h}:{}:0:99999:7:::", rng.range(18000, 20000)),
                h,
            )
        }
        ("shadow", false) => (
            format!(
                "{}:{}:{}:0:99999:7:::",
                rng.pick(&["daemon", "bin", "sys", "nobody", "www-data", "sshd"]),
                rng.pick(&["*", "!", "!!", "!*"]),
                rng.range(18000, 20000)
            ),
            String::new(),
        ),
        _ => panic!("no hash lines for {syntax}"),
    };
    let secrets = if secret.is_empty() {
        vec![]
    } else {
        vec![secret]
    };
    Case {
        family: "password-hash",
        positive,
        shape: Shape::Raw(vec![line]),
        secrets,
    }
}

/// A case of `family` written in any syntax (the dedicated formats have their own).
pub fn generate(rng: &mut Rng, family: &'static str, positive: bool) -> Case {
    match family {
        "provider" => provider(rng, positive),
        "private-key" => private_key(rng, positive),
        "password" => password_case(rng, positive),
        "generic-token" => generic(rng, positive),
        "url-credentials" => url_credentials(rng, positive),
        "connection-string" => connection_string(rng, positive),
        "http" => http(rng, positive),
        "cli" => cli(rng, positive),
        "config-file" => config_file_command(rng, positive),
        "password-hash" => password_hash(rng, positive),
        other => panic!("unknown family {other}"),
    }
}
