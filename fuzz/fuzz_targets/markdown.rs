//! The markdown pipeline (link rewriting, highlighting) on any text: no
//! forbidden character, raw tag or script URL in the HTML.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| gazette::fuzz::markdown(text));
