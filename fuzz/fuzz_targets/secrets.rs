//! The secret scanner: any text as a plain text file, through every name-independent rule,
//! then through the reporters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shush::source::Language;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let file = common::source(Language::Text, data);
    let analysis = common::analyze_checked(&file, common::context());
    common::render(file, analysis, None);
});
