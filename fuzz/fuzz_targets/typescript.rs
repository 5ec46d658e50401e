//! The TypeScript / JavaScript front-end: the first byte picks `.ts`, `.tsx` or `.js`
//! (`t`, `x`, `j`; any other byte by its value), the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shush::source::Language;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let language = match selector {
        b't' => Language::TypeScript,
        b'x' => Language::Tsx,
        b'j' => Language::JavaScript,
        n => [Language::TypeScript, Language::Tsx, Language::JavaScript][usize::from(n) % 3],
    };
    let file = common::source(language, rest);
    common::analyze_checked(&file, common::inventory_context());
});
