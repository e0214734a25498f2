//! Throughput of each stage of a check, in bytes of the file per second, on a generated 32 MiB
//! dataset (written once to `benches/data/` by `crates/ftlint_bench/gen_dataset.py`, or set
//! `FTLINT_BENCH_FILE` to any JSONL file): line splitting, UTF-8 validation, JSON parsing, and the
//! whole check of the file (all rules, no token counting), single-threaded and on every core.
//!
//! `cargo bench -p ftlint_bench --bench pipeline`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ftlint_bench::data::Dataset;
use ftlint_linter::check::check_bytes;
use ftlint_linter::lines::Lines;
use ftlint_linter::settings::{Profile, Settings};
use ftlint_linter::sink::Collector;

fn stages(c: &mut Criterion) {
    let path = Dataset { mib: 32, seed: 7, bom: true }.path_or_override();
    let bytes = &std::fs::read(&path).unwrap()[..];
    let lines: Vec<&[u8]> = Lines::new(bytes, 3).map(|line| line.text).collect();

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(10);
    group.bench_function("split", |b| b.iter(|| Lines::new(bytes, 3).count()));
    group.bench_function("utf8", |b| {
        b.iter(|| lines.iter().filter(|line| simdutf8::compat::from_utf8(line).is_ok()).count())
    });
    let texts: Vec<&str> = lines.iter().filter_map(|line| std::str::from_utf8(line).ok()).collect();
    // The tree the checker reads, and serde_json's own `Value` for comparison.
    group.bench_function("parse", |b| {
        b.iter(|| {
            texts
                .iter()
                .filter(|t| {
                    ftlint_linter::model::json::with_arena(|a| {
                        ftlint_linter::model::json::parse(t, a).is_ok()
                    })
                })
                .count()
        })
    });
    group.bench_function("parse/serde_json-value", |b| {
        b.iter(|| texts.iter().filter(|t| serde_json::from_str::<serde_json::Value>(t).is_ok()).count())
    });
    let settings = Settings::new(Profile::Azure);
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    group.bench_function("check/1-thread", |b| {
        b.iter(|| {
            one_thread.install(|| {
                let mut collector = Collector::default();
                check_bytes("bench.jsonl", bytes, &settings, &mut collector).unwrap().examples
            })
        })
    });
    group.bench_function("check/all-threads", |b| {
        b.iter(|| {
            let mut collector = Collector::default();
            check_bytes("bench.jsonl", bytes, &settings, &mut collector).unwrap().examples
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
