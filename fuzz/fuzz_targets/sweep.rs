#![no_main]
//! The sweep entry point of towngov::fuzzing under libFuzzer.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    towngov::fuzzing::sweep(data);
});
