//! The front-matter splitter and YAML parser on any text.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| gazette::fuzz::front_matter(text));
