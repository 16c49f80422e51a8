//! Fuzzes load and model on one item file among a few valid ones; the body
//! is in `load_and_model_body.rs`, shared with the stable run in
//! `tests/suite/fuzz_stable.rs`. See docs/reliability.md.
#![no_main]

mod load_and_model_body;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| load_and_model_body::run(data));
