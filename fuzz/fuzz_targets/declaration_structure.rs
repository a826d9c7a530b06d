//! `cargo fuzz run declaration_structure`: see `forfait_fuzz::checks::declaration_structure` for what is checked.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    forfait_fuzz::checks::declaration_structure(data);
});
