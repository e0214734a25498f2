//! The whole check of one file from arbitrary bytes, under both profiles: never a panic, and every
//! finding's span lies inside the file.

#![no_main]

use ftlint::check::check_source;
use ftlint::report::Collector;
use ftlint::settings::{Profile, Settings};
use ftlint::source::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for profile in [Profile::Azure, Profile::Openai] {
        let source = Source::from_bytes("fuzz.jsonl", bytes.to_vec());
        let mut collector = Collector::default();
        let outcome =
            check_source(&source, &Settings::new(profile), &mut collector).expect("in-memory output");
        assert!(outcome.examples <= bytes.len() as u64);
        for (_, diagnostic) in &collector.diagnostics {
            let span = diagnostic.span;
            assert!(span.offset + span.length <= bytes.len() as u64, "{diagnostic:?}");
        }
    }
});
