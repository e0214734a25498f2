//! `ftlint fix` on arbitrary bytes: never panics, converges in one run (fixing the result again
//! changes nothing), and the line-by-line difference rebuilds the fixed bytes exactly.

#![no_main]

use ftlint_linter::fix::{fix, line_changes, FixOptions, LineSink};
use ftlint_linter::settings::{Profile, Settings};
use libfuzzer_sys::fuzz_target;

/// Rebuilds the fixed file from what `line_changes` reports.
#[derive(Default)]
struct Rebuild(Vec<u8>);

impl LineSink for Rebuild {
    fn keep(&mut self, raw: &[u8]) -> std::io::Result<()> {
        self.0.extend_from_slice(raw);
        Ok(())
    }

    fn change(&mut self, _number: u64, _old: &[u8], new: Option<&[u8]>) -> std::io::Result<()> {
        self.0.extend_from_slice(new.unwrap_or_default());
        Ok(())
    }
}

fuzz_target!(|bytes: &[u8]| {
    for profile in [Profile::Azure, Profile::Openai] {
        for unsafe_fixes in [false, true] {
            let settings = Settings::new(profile);
            let options = FixOptions { unsafe_fixes };
            let Ok(once) = fix(bytes, &settings, options) else { continue };
            assert!(once.converged, "no convergence: {bytes:?}");
            let twice = fix(&once.bytes, &settings, options).expect("fixed bytes are UTF-8");
            assert_eq!(twice.bytes, once.bytes, "a second run changed more: {bytes:?}");
            let mut rebuild = Rebuild::default();
            line_changes(bytes, &once, &mut rebuild).expect("in memory");
            assert_eq!(rebuild.0, once.bytes, "the diff does not rebuild the fix: {bytes:?}");
        }
    }
});
