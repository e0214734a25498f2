//! The whole check of one file from arbitrary bytes, under both profiles: never a panic, and every
//! finding's span lies inside the file.

#![no_main]

use ftlint_linter::check::check_bytes;
use ftlint_linter::settings::{Profile, Settings};
use ftlint_linter::sink::Collector;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for profile in [Profile::Azure, Profile::Openai] {
        let mut collector = Collector::default();
        let outcome = check_bytes("fuzz.jsonl", bytes, &Settings::new(profile), &mut collector)
            .expect("in-memory output");
        assert!(outcome.examples <= bytes.len() as u64);
        for (_, diagnostic) in &collector.diagnostics {
            let span = diagnostic.span;
            assert!(span.offset + span.length <= bytes.len() as u64, "{diagnostic:?}");
        }
    }
});
