#![no_main]
//! The scenario entry point of towngov::fuzzing under libFuzzer.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    towngov::fuzzing::scenario(data);
});
