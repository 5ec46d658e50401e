use std::env;

pub fn signing_secret() -> String {
    #[expect(
        clippy::disallowed_methods,
        reason = "read before the config service
existed"
    )]
    let secret = env::var("SIGNING_SECRET").unwrap_or_default();
    secret
}
