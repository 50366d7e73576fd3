#![no_main]
// See stslint::check::fuzzing::run for what this target exercises and asserts.
libfuzzer_sys::fuzz_target!(|data: &[u8]| stslint::check::fuzzing::run("policy", data));
