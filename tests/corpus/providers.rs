//! The provider token formats, one row each: written from each vendor's published
//! shape (prefix, lengths, alphabet), not from any scanner's rules. Templates use
//! `{alphabet:len}` (see `Rng::template`).

pub struct Provider {
    /// Short name, for reports.
    pub name: &'static str,
    /// The words of the name such a token is usually assigned to.
    pub var: &'static [&'static str],
    /// The token's format.
    pub format: &'static str,
    /// Near misses: the same prefix with a wrong length or alphabet (hard negatives).
    pub near: &'static [&'static str],
}

macro_rules! p {
    ($name:expr, [$($v:expr),*], $format:expr, [$($n:expr),*]) => {
        Provider { name: $name, var: &[$($v),*], format: $format, near: &[$($n),*] }
    };
}

pub const PROVIDERS: &[Provider] = &[
    p!(
        "github-pat",
        ["github", "token"],
        "ghp_{b62:36}",
        ["ghp_{b62:20}", "ghp_{ln:12}"]
    ),
    p!(
        "github-oauth",
        ["gh", "oauth", "token"],
        "gho_{b62:36}",
        ["gho_{b62:16}"]
    ),
    p!(
        "github-app",
        ["github", "app", "token"],
        "ghs_{b62:36}",
        ["ghs_{b62:10}"]
    ),
    p!(
        "github-user-server",
        ["gh", "user", "token"],
        "ghu_{b62:36}",
        []
    ),
    p!(
        "github-refresh",
        ["github", "refresh", "token"],
        "ghr_{b62:36}",
        []
    ),
    p!(
        "github-fine-grained",
        ["github", "pat"],
        "github_pat_{b62:22}_{b62:59}",
        ["github_pat_{b62:10}"]
    ),
    p!(
        "gitlab-pat",
        ["gitlab", "token"],
        "glpat-{b64u:20}",
        ["glpat-{b62:8}"]
    ),
    p!("gitlab-runner", ["runner", "token"], "glrt-{b64u:20}", []),
    p!(
        "gitlab-deploy",
        ["gitlab", "deploy", "token"],
        "gldt-{b64u:20}",
        []
    ),
    p!(
        "gitlab-trigger",
        ["ci", "trigger", "token"],
        "glptt-{hex:40}",
        []
    ),
    p!(
        "aws-access-key-id",
        ["aws", "access", "key", "id"],
        "AKIA{UN:16}",
        ["AKIA{UN:10}", "AKIA{ln:16}"]
    ),
    p!(
        "slack-bot",
        ["slack", "bot", "token"],
        "xoxb-{d:11}-{d:13}-{b62:24}",
        ["xoxb-{d:4}"]
    ),
    p!(
        "slack-user",
        ["slack", "token"],
        "xoxp-{d:11}-{d:12}-{d:13}-{hex:32}",
        []
    ),
    p!(
        "slack-app",
        ["slack", "app", "token"],
        "xapp-1-A{UN:10}-{d:13}-{hex:64}",
        []
    ),
    p!(
        "slack-webhook",
        ["slack", "webhook", "url"],
        "https://hooks.slack.com/services/T{UN:8}/B{UN:10}/{b62:24}",
        ["https://hooks.slack.com/services/T{UN:8}"]
    ),
    p!(
        "stripe-secret",
        ["stripe", "secret", "key"],
        "sk_live_{b62:24}",
        ["sk_live_{b62:6}"]
    ),
    p!(
        "stripe-secret-long",
        ["stripe", "api", "key"],
        "sk_live_51{b62:97}",
        []
    ),
    p!(
        "stripe-restricted",
        ["stripe", "restricted", "key"],
        "rk_live_{b62:24}",
        []
    ),
    p!(
        "stripe-webhook",
        ["stripe", "webhook", "secret"],
        "whsec_{b62:32}",
        ["whsec_{b62:6}"]
    ),
    p!(
        "openai-project",
        ["openai", "api", "key"],
        "sk-proj-{b64u:74}T3BlbkFJ{b64u:74}",
        ["sk-{b62:5}", "sk-proj-{b62:6}"]
    ),
    p!(
        "openai-legacy",
        ["openai", "key"],
        "sk-{b62:20}T3BlbkFJ{b62:20}",
        []
    ),
    p!(
        "openai-service",
        ["openai", "service", "key"],
        "sk-svcacct-{b64u:74}T3BlbkFJ{b64u:74}",
        []
    ),
    p!(
        "anthropic",
        ["anthropic", "api", "key"],
        "sk-ant-api03-{b64u:93}AA",
        ["sk-ant-{b62:8}"]
    ),
    p!(
        "anthropic-admin",
        ["anthropic", "admin", "key"],
        "sk-ant-admin01-{b64u:93}AA",
        []
    ),
    p!(
        "openrouter",
        ["openrouter", "api", "key"],
        "sk-or-v1-{hex:64}",
        []
    ),
    p!(
        "google-api",
        ["google", "api", "key"],
        "AIza{b64u:35}",
        ["AIza{b62:12}"]
    ),
    p!(
        "google-oauth-secret",
        ["google", "client", "secret"],
        "GOCSPX-{b64u:28}",
        []
    ),
    p!("npm", ["npm", "token"], "npm_{b62:36}", ["npm_{b62:9}"]),
    p!(
        "pypi",
        ["pypi", "token"],
        "pypi-AgEIcHlwaS5vcmc{b64u:70-140}",
        ["pypi-{ln:8}"]
    ),
    p!(
        "sendgrid",
        ["sendgrid", "api", "key"],
        "SG.{b64u:22}.{b64u:43}",
        ["SG.{b62:6}"]
    ),
    p!("twilio-api-key", ["twilio", "api", "key"], "SK{hex:32}", []),
    p!(
        "shopify-access",
        ["shopify", "access", "token"],
        "shpat_{hex:32}",
        ["shpat_{hex:8}"]
    ),
    p!(
        "shopify-shared",
        ["shopify", "shared", "secret"],
        "shpss_{hex:32}",
        []
    ),
    p!(
        "shopify-custom",
        ["shopify", "custom", "token"],
        "shpca_{hex:32}",
        []
    ),
    p!("huggingface", ["hf", "token"], "hf_{az:34}", ["hf_{az:6}"]),
    p!(
        "digitalocean-pat",
        ["digitalocean", "token"],
        "dop_v1_{hex:64}",
        ["dop_v1_{hex:12}"]
    ),
    p!(
        "digitalocean-oauth",
        ["do", "oauth", "token"],
        "doo_v1_{hex:64}",
        []
    ),
    p!(
        "doppler",
        ["doppler", "token"],
        "dp.pt.{b62:43}",
        ["dp.pt.{b62:5}"]
    ),
    p!(
        "doppler-service",
        ["doppler", "service", "token"],
        "dp.st.prd.{b62:43}",
        []
    ),
    p!(
        "vault",
        ["vault", "token"],
        "hvs.{b64u:24}",
        ["hvs.{b62:6}"]
    ),
    p!(
        "vault-batch",
        ["vault", "batch", "token"],
        "hvb.{b64u:90-110}",
        []
    ),
    p!(
        "databricks",
        ["databricks", "token"],
        "dapi{hex:32}",
        ["dapi{hex:8}"]
    ),
    p!(
        "linear",
        ["linear", "api", "key"],
        "lin_api_{b62:40}",
        ["lin_api_{b62:8}"]
    ),
    p!(
        "notion",
        ["notion", "token"],
        "ntn_{d:11}{b62:35}",
        ["ntn_{b62:8}"]
    ),
    p!(
        "notion-legacy",
        ["notion", "api", "key"],
        "secret_{b62:43}",
        []
    ),
    p!(
        "postman",
        ["postman", "api", "key"],
        "PMAK-{hex:24}-{hex:34}",
        ["PMAK-{hex:6}"]
    ),
    p!(
        "sentry-org",
        ["sentry", "auth", "token"],
        "sntrys_eyJpYXQiOjE3{b64:90-120}_{b64:43}",
        []
    ),
    p!("sentry-user", ["sentry", "token"], "sntryu_{hex:64}", []),
    p!(
        "grafana-service",
        ["grafana", "token"],
        "glsa_{b62:32}_{hex:8}",
        ["glsa_{b62:8}"]
    ),
    p!(
        "grafana-cloud",
        ["grafana", "cloud", "token"],
        "glc_eyJvIjoi{b64:100-140}",
        []
    ),
    p!(
        "telegram-bot",
        ["telegram", "bot", "token"],
        "{d:9-10}:AA{b64u:33}",
        []
    ),
    p!(
        "discord-bot",
        ["discord", "bot", "token"],
        "MT{b62:22}.{b64u:6}.{b64u:38}",
        []
    ),
    p!(
        "discord-webhook",
        ["discord", "webhook"],
        "https://discord.com/api/webhooks/{d:19}/{b64u:68}",
        []
    ),
    p!(
        "mailgun",
        ["mailgun", "api", "key"],
        "key-{hex:32}",
        ["key-{hex:6}"]
    ),
    p!(
        "mailchimp",
        ["mailchimp", "api", "key"],
        "{hex:32}-us{d:2}",
        []
    ),
    p!(
        "square-access",
        ["square", "access", "token"],
        "EAAA{b64u:60}",
        []
    ),
    p!(
        "square-oauth-secret",
        ["square", "app", "secret"],
        "sq0csp-{b64u:43}",
        ["sq0csp-{b62:6}"]
    ),
    p!(
        "age",
        ["age", "identity"],
        "AGE-SECRET-KEY-1{bech:58}",
        ["AGE-SECRET-KEY-1{bech:10}"]
    ),
    p!(
        "tailscale",
        ["tailscale", "auth", "key"],
        "tskey-auth-k{b62:10}CNTRL-{b62:32}",
        ["tskey-auth-{b62:6}"]
    ),
    p!(
        "tailscale-api",
        ["tailscale", "api", "key"],
        "tskey-api-k{b62:10}CNTRL-{b62:32}",
        []
    ),
    p!(
        "1password-service",
        ["op", "service", "account", "token"],
        "ops_eyJzaWduSW5BZGRyZXNzIjoi{b64:200-260}",
        []
    ),
    p!(
        "figma",
        ["figma", "token"],
        "figd_{b64u:40}",
        ["figd_{b62:6}"]
    ),
    p!(
        "airtable",
        ["airtable", "token"],
        "pat{b62:14}.{hex:64}",
        []
    ),
    p!(
        "groq",
        ["groq", "api", "key"],
        "gsk_{b62:52}",
        ["gsk_{b62:8}"]
    ),
    p!(
        "replicate",
        ["replicate", "api", "token"],
        "r8_{b62:37}",
        ["r8_{b62:5}"]
    ),
    p!(
        "xai",
        ["xai", "api", "key"],
        "xai-{b62:80}",
        ["xai-{b62:6}"]
    ),
    p!(
        "perplexity",
        ["perplexity", "api", "key"],
        "pplx-{b62:48}",
        ["pplx-{b62:6}"]
    ),
    p!(
        "atlassian",
        ["atlassian", "api", "token"],
        "ATATT3xFfGF0{b64u:170}={HEX:8}",
        ["ATATT3{b62:8}"]
    ),
    p!(
        "bitbucket-app-password",
        ["bitbucket", "app", "password"],
        "ATBB{b62:28}{HEX:8}",
        []
    ),
    p!(
        "azure-ad-secret",
        ["azure", "client", "secret"],
        "{b62:3}{d:1}Q~{azure:34}",
        []
    ),
    p!(
        "docker-hub",
        ["docker", "hub", "token"],
        "dckr_pat_{b64u:27}",
        ["dckr_pat_{b62:6}"]
    ),
    p!("heroku", ["heroku", "api", "key"], "HRKU-AA{b64u:58}", []),
    p!(
        "newrelic-user",
        ["new", "relic", "api", "key"],
        "NRAK-{UN:27}",
        ["NRAK-{UN:6}"]
    ),
    p!(
        "dynatrace",
        ["dynatrace", "api", "token"],
        "dt0c01.{UN:24}.{UN:64}",
        []
    ),
    p!("pulumi", ["pulumi", "access", "token"], "pul-{hex:40}", []),
    p!(
        "planetscale",
        ["planetscale", "token"],
        "pscale_tkn_{b64u:43}",
        []
    ),
    p!(
        "supabase",
        ["supabase", "access", "token"],
        "sbp_{hex:40}",
        ["sbp_{hex:8}"]
    ),
    p!(
        "terraform-cloud",
        ["tfe", "token"],
        "{b62:14}.atlasv1.{b64u:67}",
        []
    ),
    p!(
        "contentful",
        ["contentful", "management", "token"],
        "CFPAT-{b64u:43}",
        []
    ),
    p!(
        "mapbox-secret",
        ["mapbox", "secret", "token"],
        "sk.eyJ1Ijoi{b64u:40}.{b64u:22}",
        []
    ),
    p!(
        "shippo",
        ["shippo", "api", "token"],
        "shippo_live_{hex:40}",
        []
    ),
    p!("easypost", ["easypost", "api", "key"], "EZAK{hex:54}", []),
    p!(
        "flutterwave",
        ["flutterwave", "secret", "key"],
        "FLWSECK-{hex:32}-X",
        []
    ),
    p!("adafruit", ["adafruit", "io", "key"], "aio_{b62:28}", []),
    p!(
        "rubygems",
        ["gem", "host", "api", "key"],
        "rubygems_{hex:48}",
        []
    ),
    p!("nuget", ["nuget", "api", "key"], "oy2{b32:43}", []),
    p!(
        "sonarqube",
        ["sonar", "token"],
        "squ_{hex:40}",
        ["squ_{hex:6}"]
    ),
    p!(
        "circleci",
        ["circle", "token"],
        "CCIPAT_{b62:22}_{hex:40}",
        []
    ),
    p!(
        "buildkite",
        ["buildkite", "api", "token"],
        "bkua_{hex:40}",
        []
    ),
    p!(
        "sourcegraph",
        ["src", "access", "token"],
        "sgp_{hex:16}_{hex:40}",
        []
    ),
    p!(
        "posthog-personal",
        ["posthog", "personal", "api", "key"],
        "phx_{b62:47}",
        []
    ),
    p!(
        "deno-deploy",
        ["deno", "deploy", "token"],
        "ddp_{b62:36}",
        []
    ),
    p!("render", ["render", "api", "key"], "rnd_{b62:32}", []),
    p!(
        "langsmith",
        ["langsmith", "api", "key"],
        "lsv2_pt_{hex:32}_{hex:10}",
        []
    ),
    p!(
        "brevo",
        ["brevo", "api", "key"],
        "xkeysib-{hex:64}-{b62:16}",
        []
    ),
    p!(
        "alibaba-access-key",
        ["alibaba", "access", "key", "id"],
        "LTAI{b62:20}",
        []
    ),
    p!("jfrog", ["artifactory", "api", "key"], "AKCp{b62:69}", []),
    p!(
        "mailersend",
        ["mailersend", "api", "token"],
        "mlsn.{hex:64}",
        []
    ),
];
