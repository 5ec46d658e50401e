//! `shush rules keywords`: the words the prefilters look for before any parse or regex
//! runs, so a benchmark can give ripgrep the same words (`rg -c -i -F -f FILE`).
//! Reads only the embedded packs.

use std::collections::BTreeSet;
use std::io::Write;

use crate::rules::RuleSet;

/// The union of the environment-read keywords of every language and the secret rules'
/// keywords, sorted and deduplicated.
pub fn all(rules: &RuleSet) -> Vec<String> {
    let mut words = BTreeSet::new();
    for env in [&rules.python, &rules.typescript, &rules.rust] {
        words.extend(env.keywords.iter().cloned());
        // Rust's prefilter looks for every segment of a call path and each macro name.
        words.extend(env.macros.keys().cloned());
    }
    words.extend(rules.secrets.keywords().iter().cloned());
    words.into_iter().collect()
}

/// Prints the keywords of the embedded packs, one per line.
pub fn run(out: &mut dyn Write) -> miette::Result<i32> {
    for word in all(&RuleSet::embedded()) {
        writeln!(out, "{word}").map_err(|e| miette::miette!("cannot write output: {e}"))?;
    }
    Ok(crate::exit::CLEAN)
}
