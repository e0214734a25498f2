//! The check of one file, from bytes to an ordered stream of diagnostics.
//!
//! File-level rules look at the whole byte buffer first (size, encoding, byte-order mark). The lines are
//! then taken in batches of a few megabytes; the lines of a batch are checked in parallel with rayon
//! and their findings handed to the reporter in line order, so the output never depends on thread
//! scheduling and memory stays bounded by the batch, not by the file.
//!
//! Which rules run at each step is the checkers' to say ([`crate::checkers`]); this module only
//! moves the data between them and hands their findings on.
//!
//! The dataset stage ([`crate::checkers::dataset`]) rides on that ordered hand-off: each record's hash and
//! format, computed on the workers, are fed to it in line order, and what it can only say once the
//! whole file is read (the example count, the majority format) is reported after the last line.

use std::io;

use crate::checkers::dataset::{self, Dataset};
use crate::checkers::line::{self, LineOutcome};
use crate::checkers::vision::ImageTally;
use crate::checkers::{file, tokens};
use crate::context::FileContext;
use crate::dataset::{Role, Seen};
use crate::diagnostic::{Diagnostic, Tally};
use crate::encoding;
use crate::lines::{Line, Lines};
use crate::settings::Settings;
use crate::sink::{FileHeader, Sink};
use crate::tokens::{FileStats, FileStatsBuilder};

/// Bytes of lines checked per parallel batch: large enough to keep both cores busy between
/// hand-offs, small enough that a batch's findings never weigh much.
const BATCH_BYTES: usize = 4 << 20;

/// Lines per batch at most: a batch of short lines that are all faulty (a file cut off, a wrong
/// format) holds a finding per line, and two batches' findings are held at once.
const BATCH_LINES: usize = 1 << 15;

/// What the check of one file found, beyond the diagnostics already reported.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileOutcome {
    /// Non-blank lines that parsed as JSON objects.
    pub examples: u64,
    pub tally: Tally,
    /// The file's figures (`--stats`, and always in JSON); `stats.tokens` is `None` under
    /// `--no-tokens`.
    pub stats: FileStats,
}

/// Checks one training file, `bytes` reported under the name `path`, and streams its findings to
/// `sink`, in order.
pub fn check_bytes(
    path: &str,
    bytes: &[u8],
    settings: &Settings,
    sink: &mut dyn Sink,
) -> io::Result<FileOutcome> {
    check_bytes_as(path, bytes, settings, Role::Training, false, sink).map(|(outcome, _)| outcome)
}

/// Checks one file in the given role and streams its findings to `sink`, in order. Also returns
/// the file's record hashes when `keep_hashes` is set (training files compared against a
/// validation file), or when the duplicate check collected them anyway.
pub fn check_bytes_as(
    path: &str,
    bytes: &[u8],
    settings: &Settings,
    role: Role<'_>,
    keep_hashes: bool,
    sink: &mut dyn Sink,
) -> io::Result<(FileOutcome, Seen)> {
    let header = FileHeader { path, bytes: bytes.len() as u64 };
    sink.start_file(&header)?;
    let mut outcome = FileOutcome::default();
    let emit =
        |found: &mut Vec<Diagnostic>, outcome: &mut FileOutcome, sink: &mut dyn Sink| -> io::Result<()> {
            for diagnostic in found.drain(..).filter_map(|d| settings.apply(d)) {
                outcome.tally.add(diagnostic.severity);
                sink.diagnostic(&header, bytes, &diagnostic)?;
            }
            Ok(())
        };
    // The file-wide findings wait here, a few at a time, on their way to the sink.
    let mut found = Vec::new();

    let file_len = bytes.len() as u64;
    let encoding = encoding::detect(bytes);
    let lines_readable = file::check_start(
        &mut FileContext::new(settings, file_len, &mut found),
        encoding,
        &bytes[..bytes.len().min(8)],
    );
    emit(&mut found, &mut outcome, sink)?;
    if !lines_readable {
        sink.end_file(&header, &outcome)?;
        return Ok((outcome, Seen::default()));
    }

    let mut lines = Lines::new(bytes, encoding.bom_len());
    let mut batch = Vec::new();
    let mut content_lines = 0u64;
    let mut images = ImageTally::default();
    let hashes = keep_hashes || dataset::wants_hashes(settings);
    let mut dataset = Dataset::new(settings, role, keep_hashes);
    let mut stats = FileStatsBuilder::new(settings.tokens.as_ref());
    // Three batches are in flight. While the workers check one, the batch after it is cut (also
    // where the mapped file's pages are first touched: done between batches, those page faults
    // left the other core idle for about a tenth of a check without token counts), and this thread
    // takes in the results of the one before, in line order: the findings to the sink, the records
    // to the duplicate check, the counts to the statistics. Done between batches, that sequential
    // part (50-75 ms on a 512 MB file) kept both workers waiting.
    let mut next_batch = Vec::new();
    let mut merging: Vec<Line<'_>> = Vec::new();
    let mut pending: Option<Vec<LineOutcome>> = None;
    let mut more = lines.next_batch(BATCH_BYTES, BATCH_LINES, &mut batch);
    dataset.reserve(expected_records(&batch, file_len));
    loop {
        let mut checked: Option<(Vec<LineOutcome>, bool)> = None;
        let work = more.then_some((&batch, &mut lines, &mut next_batch, &mut checked));
        let mut merge = |sink: &mut dyn Sink| -> io::Result<()> {
            let Some(outcomes) = pending.take() else { return Ok(()) };
            if let Some(last) = merging.last() {
                sink.progress(&header, (last.start + last.text.len()) as u64);
            }
            for (number, mut line) in merging.iter().map(|line| line.number).zip(outcomes) {
                content_lines += u64::from(!line.blank);
                outcome.examples += u64::from(line.example);
                images.add(number, &line.facts);
                if let Some(counted) = &line.facts.tokens {
                    stats.add(counted);
                }
                stats.add_grader_keys(&line.grader_keys);
                emit(&mut line.diagnostics, &mut outcome, sink)?;
                if let Some(summary) = &line.summary {
                    let mut ctx = FileContext::new(settings, file_len, &mut found);
                    dataset.record(&mut ctx, summary, line.facts.format);
                    emit(&mut found, &mut outcome, sink)?;
                }
            }
            Ok(())
        };
        in_parallel(
            work.map(|(batch, lines, next_batch, checked)| {
                move || {
                    *checked = Some(join(
                        || check_batch(batch, bytes, settings, hashes),
                        || lines.next_batch(BATCH_BYTES, BATCH_LINES, next_batch),
                    ));
                }
            }),
            || merge(sink),
        )?;
        let Some((outcomes, cut)) = checked else { break };
        pending = Some(outcomes);
        more = cut;
        // The batch just checked is merged next; the one just cut is checked next.
        std::mem::swap(&mut merging, &mut batch);
        std::mem::swap(&mut batch, &mut next_batch);
    }

    let mut ctx = FileContext::new(settings, file_len, &mut found);
    file::check_end(&mut ctx, encoding, content_lines);
    images.finish(&mut ctx);
    let seen = dataset.finish(&mut ctx, content_lines);
    let stats = stats.finish(settings.tokens.as_ref().and_then(|t| t.epochs));
    tokens::check_file(&mut ctx, &stats);
    emit(&mut found, &mut outcome, sink)?;
    outcome.stats = stats;
    sink.end_file(&header, &outcome)?;
    Ok((outcome, seen))
}

/// Checks the lines of one batch, in parallel where the `parallel` feature is on.
#[cfg(feature = "parallel")]
fn check_batch(batch: &[Line<'_>], bytes: &[u8], settings: &Settings, hashes: bool) -> Vec<LineOutcome> {
    use rayon::prelude::*;
    // Rayon hands a worker whole runs of lines, which it then checks alone; at the end of a batch
    // the other worker, out of runs to steal, waited for it. Runs of at most 16 lines (about a
    // millisecond) keep both busy to the end: 1.92 cores busy on average instead of 1.87.
    batch.par_iter().with_max_len(16).map(|line| line::check(line, bytes, settings, hashes)).collect()
}

#[cfg(not(feature = "parallel"))]
fn check_batch(batch: &[Line<'_>], bytes: &[u8], settings: &Settings, hashes: bool) -> Vec<LineOutcome> {
    batch.iter().map(|line| line::check(line, bytes, settings, hashes)).collect()
}

#[cfg(feature = "parallel")]
use rayon::join;

/// Without the `parallel` feature, `a` then `b` on the calling thread.
#[cfg(not(feature = "parallel"))]
fn join<A, B>(a: impl FnOnce() -> A, b: impl FnOnce() -> B) -> (A, B) {
    (a(), b())
}

/// Runs `work` (when there is any) on the rayon pool while `here` runs on the calling thread, and
/// returns once both are done. The calling thread is where the sink lives, which need not be
/// `Send`. Without the `parallel` feature, `work` then `here`.
#[cfg(feature = "parallel")]
fn in_parallel<R>(work: Option<impl FnOnce() + Send>, here: impl FnOnce() -> R) -> R {
    rayon::in_place_scope(|scope| {
        if let Some(work) = work {
            scope.spawn(move |_| work());
        }
        here()
    })
}

#[cfg(not(feature = "parallel"))]
fn in_parallel<R>(work: Option<impl FnOnce()>, here: impl FnOnce() -> R) -> R {
    if let Some(work) = work {
        work();
    }
    here()
}

/// The records a file of `file_len` bytes holds, estimated from its first batch of lines: as many
/// per byte as there.
fn expected_records(first_batch: &[Line<'_>], file_len: u64) -> usize {
    let (Some(first), Some(last)) = (first_batch.first(), first_batch.last()) else { return 0 };
    let bytes = (last.start + last.text.len() + 1).saturating_sub(first.start);
    let records = first_batch.iter().filter(|line| !line.is_blank()).count();
    let estimate = records as u64 * file_len / (bytes as u64).max(1);
    usize::try_from(estimate).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;
    use crate::settings::Profile;
    use crate::sink::Collector;
    use proptest::prelude::*;

    fn run(bytes: &[u8], profile: Profile) -> (FileOutcome, Vec<Diagnostic>) {
        let mut collector = Collector::default();
        let outcome = check_bytes("t.jsonl", bytes, &Settings::new(profile), &mut collector).unwrap();
        (outcome, collector.diagnostics.into_iter().map(|(_, d)| d).collect())
    }

    /// The offset a person reaches by going to `line` and moving `column - 1` characters right.
    fn offset_of(bytes: &[u8], line: u64, column: u64) -> usize {
        let mut start = if bytes.starts_with(crate::encoding::UTF8_BOM) { 3 } else { 0 };
        for _ in 1..line {
            start += memchr::memchr(b'\n', &bytes[start..]).unwrap() + 1;
        }
        // Every reported position has valid UTF-8 before it on its line, so characters are countable.
        let valid = match std::str::from_utf8(&bytes[start..]) {
            Ok(text) => text,
            Err(error) => std::str::from_utf8(&bytes[start..start + error.valid_up_to()]).unwrap(),
        };
        let column = usize::try_from(column).unwrap() - 1;
        start + valid.char_indices().nth(column).map_or(valid.len(), |(i, _)| i)
    }

    #[test]
    fn the_record_estimate_scales_the_first_batch_to_the_file() {
        // Two records and a blank line in 27 bytes: a 270-byte file holds about 20 records.
        let bytes = b"{\"a\": 1234}\n\n{\"b\": 567890}\n";
        assert_eq!(bytes.len(), 27);
        let mut lines = Lines::new(bytes, 0);
        let mut batch = Vec::new();
        lines.next_batch(BATCH_BYTES, BATCH_LINES, &mut batch);
        assert_eq!(expected_records(&batch, 270), 20);
        assert_eq!(expected_records(&[], 270), 0);
    }

    #[test]
    fn findings_come_in_line_order_across_batches() {
        let mut bytes = Vec::new();
        for i in 0..100_000 {
            if i % 1000 == 7 {
                bytes.extend_from_slice(b"{\"broken\": }\n");
            } else {
                // Each record differs (`i`), so the duplicate check stays quiet.
                let record = format!(
                    "{{\"messages\": [{{\"role\": \"user\", \"content\": \"{}{i}\"}}, {{\"role\": \"assistant\", \"content\": \"ok\"}}]}}\n",
                    "x".repeat(60)
                );
                bytes.extend_from_slice(record.as_bytes());
            }
        }
        assert!(bytes.len() > 2 * BATCH_BYTES, "the test must span several batches");
        let (outcome, diagnostics) = run(&bytes, Profile::Openai);
        let lines: Vec<u64> = diagnostics.iter().map(|d| d.position.unwrap().line).collect();
        let expected: Vec<u64> = (0..100).map(|k| k * 1000 + 8).collect();
        assert_eq!(lines, expected);
        assert_eq!(outcome.examples, 100_000 - 100);
        assert_eq!(outcome.tally.errors, 100);
    }

    #[test]
    fn a_repeat_in_a_later_batch_names_the_line_of_the_first() {
        let record = |i: u64| {
            format!("{{\"messages\": [{{\"role\": \"user\", \"content\": \"{i}{}\"}}]}}\n", "y".repeat(60))
        };
        let mut bytes = Vec::new();
        for i in 1..=80_000 {
            bytes.extend_from_slice(record(i).as_bytes());
        }
        bytes.extend_from_slice(record(3).as_bytes());
        assert!(bytes.len() > BATCH_BYTES, "the repeat must sit in a later batch than the first");
        let (_, diagnostics) = run(&bytes, Profile::Openai);
        let repeats: Vec<_> = diagnostics.iter().filter(|d| d.rule == Rule::DuplicateExample).collect();
        assert_eq!(repeats.len(), 1);
        assert_eq!(repeats[0].position.unwrap().line, 80_001);
        assert!(repeats[0].message.contains("repeats line 3 "), "{}", repeats[0].message);
    }

    #[test]
    fn an_empty_file_a_bom_alone_and_blank_lines_alone_have_no_examples() {
        for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\n\n  \n"] {
            let (outcome, diagnostics) = run(bytes, Profile::Openai);
            assert_eq!(outcome.examples, 0);
            assert!(diagnostics.iter().any(|d| d.rule == Rule::NoExamples), "{bytes:?}");
        }
        // Lines that fail to parse are findings of their own, not "no examples".
        let (_, diagnostics) = run(b"{oops\n", Profile::Openai);
        assert!(diagnostics.iter().all(|d| d.rule != Rule::NoExamples));
    }

    #[test]
    fn utf16_stops_the_check_after_one_finding() {
        let text: Vec<u8> = "{\"a\": 1}\n{\"a\": 2}\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (outcome, diagnostics) = run(&text, Profile::Azure);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].rule, Rule::NonUtf8Encoding);
        assert_eq!(outcome.examples, 0);
    }

    #[test]
    fn columns_skip_the_bom_and_count_characters() {
        let (_, diagnostics) = run("\u{FEFF}{\"é😀\": x}\n".as_bytes(), Profile::Azure);
        let finding = diagnostics.iter().find(|d| d.rule == Rule::InvalidJson).unwrap();
        let position = finding.position.unwrap();
        assert_eq!((position.line, position.column), (1, 8));
        assert_eq!(finding.span.offset, 3 + "{\"é😀\": ".len() as u64);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn any_bytes_check_without_panicking_and_spans_map_back(
            bytes in prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..300),
                // JSON-ish bytes reach deeper into the parser than random ones do.
                proptest::collection::vec(prop::sample::select(&b"{}[]\":,\\ \n\r\tae1-.\xEF\xBB\xBF\xC3\xA9\xFF"[..]), 0..300),
            ],
            openai in any::<bool>(),
        ) {
            let profile = if openai { Profile::Openai } else { Profile::Azure };
            let (_, diagnostics) = run(&bytes, profile);
            for d in diagnostics {
                prop_assert!(d.span.end() <= bytes.len() as u64 || d.rule == Rule::FileTooLarge, "{:?}", d);
                if let Some(position) = d.position {
                    prop_assert!(position.line >= 1 && position.column >= 1);
                    prop_assert_eq!(offset_of(&bytes, position.line, position.column) as u64, d.span.offset, "{:?}", d);
                }
            }
        }
    }
}
