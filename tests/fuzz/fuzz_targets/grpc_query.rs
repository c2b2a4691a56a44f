//! Fuzz target `grpc_query`: the body `grpc_query` of `app/tests/common/fuzz.rs`.
#![no_main]

#[allow(dead_code)] // each target runs one of the bodies
#[path = "../../../app/tests/common/fuzz.rs"]
mod fuzz;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz::grpc_query(data));
