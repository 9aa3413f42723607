//! Loading an article from any bytes: an article or located errors.
#![no_main]
libfuzzer_sys::fuzz_target!(|bytes: &[u8]| gazette::fuzz::article(bytes));
