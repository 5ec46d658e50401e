//! The Python front-end: any text as a `.py` file through the detectors.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shush::source::Language;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let file = common::source(Language::Python, data);
    common::analyze_checked(&file, common::inventory_context());
});
