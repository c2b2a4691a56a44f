//! Fuzz target `ics20_ack`: the body `ics20_ack` of `app/tests/common/fuzz.rs`.
#![no_main]

#[allow(dead_code)] // each target runs one of the bodies
#[path = "../../../app/tests/common/fuzz.rs"]
mod fuzz;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz::ics20_ack(data));
