//! `cargo fuzz run declaration_jsonl`: see `forfait_fuzz::checks::declaration_jsonl` for what is checked.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    forfait_fuzz::checks::declaration_jsonl(data);
});
