#![no_main]
// See stslint::fuzzing::run for what this target exercises and asserts.
libfuzzer_sys::fuzz_target!(|data: &[u8]| stslint::fuzzing::run("shell", data));
