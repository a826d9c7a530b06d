//! `cargo fuzz run declaration_json`: see `forfait_fuzz::checks::declaration_json` for what is checked.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    forfait_fuzz::checks::declaration_json(data);
});
