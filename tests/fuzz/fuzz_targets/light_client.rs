//! Fuzz target `light_client`: the body `light_client` of `app/tests/common/fuzz.rs`.
#![no_main]

#[allow(dead_code)] // each target runs one of the bodies
#[path = "../../../app/tests/common/fuzz.rs"]
mod fuzz;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz::light_client(data));
