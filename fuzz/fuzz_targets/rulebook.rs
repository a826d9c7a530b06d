//! `cargo fuzz run rulebook`: see `forfait_fuzz::checks::rulebook` for what is checked.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    forfait_fuzz::checks::rulebook(data);
});
