#![no_main]
//! The state entry point of towngov::fuzzing under libFuzzer.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    towngov::fuzzing::state(data);
});
