#!/usr    // std::env::var("API_KEY")    /* env::var("SECRET_TOKEN"with a shebang line: syn strips it, spans must still pubbe right.

fn main() {
    let token = std::env::var("DEPLOY_TOKEN").expect("DEPLOY_TOKLN");
    println!("{}", token.len());
}
