//! The fix pipeline, as `shush check --fix --unsafe-fixes` runs it on one file: detect,
//! fix until nothing changes, and check the result re-parses with no more syntax errors
//! than the original, that a second run finds nothing more to fix, and that the reporters
//! render the result and its diff.
//!
//! The first byte picks the language: `p` Python, `t` TypeScript, `x` TSX, `j`
//! JavaScript, `r` Rust (any other byte by its value); the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shush::check::{analyze, converge};
use shush::detect::error_nodes;
use shush::source::Language;

#[path = "common.rs"]
mod common;

const LANGUAGES: [Language; 5] = [
    Language::Python,
    Language::TypeScript,
    Language::Tsx,
    Language::JavaScript,
    Language::Rust,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let language = match selector {
        b'p' => Language::Python,
        b't' => Language::TypeScript,
        b'x' => Language::Tsx,
        b'j' => Language::JavaScript,
        b'r' => Language::Rust,
        n => LANGUAGES[usize::from(n) % LANGUAGES.len()],
    };
    let ctx = common::context();
    let original = common::source(language, rest);
    let first = common::analyze_checked(&original, ctx);
    if first.skipped.is_some() {
        return;
    }
    let found = first.findings.clone();
    let fixed = converge(&original, first, ctx, true);
    common::check_analysis(&fixed.source, &fixed.analysis);
    if fixed.source.text == original.text {
        common::render(fixed.source, fixed.analysis, None);
        return;
    }
    let before = error_nodes(&original, &original.text);
    let after = error_nodes(&fixed.source, &fixed.source.text);
    assert!(
        after <= before,
        "the fixed text has {after} syntax error(s), the original {before}:\n{}",
        fixed.source.text
    );
    if fixed.refused.is_none() {
        // Else some fixes were left out on purpose, and a second run may try them again.
        second_run_fixes_nothing(&fixed.source, ctx);
    }
    // The fixed file as `--diff` shows it.
    common::render(fixed.source, fixed.analysis, Some((&original, &found)));
});

fn second_run_fixes_nothing(fixed: &shush::source::SourceFile, ctx: &shush::Context) {
    let again = analyze(fixed, ctx);
    let second = converge(fixed, again, ctx, true);
    assert!(
        second.fixes == 0 && second.source.text == fixed.text,
        "a second run fixed {} more:\n--- first run\n{}\n--- second run\n{}",
        second.fixes,
        fixed.text,
        second.source.text
    );
}
