//! The slug of any name stays a safe, bounded URL segment.
#![no_main]
libfuzzer_sys::fuzz_target!(|name: &str| gazette::fuzz::slug(name));
