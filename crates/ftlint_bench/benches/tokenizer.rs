//! Token-counting throughput: tiktoken-rs against ftlint's tokenizer, on one thread and on two with
//! rayon, over the text of a generated chat dataset. Variants alternate within each group, since the
//! host's speed drifts between runs.
//!
//! Needs `benches/data/gen20.jsonl` (git-ignored), e.g.
//! `python3 /work/shared/tools/gen_dataset.py --mb 20 --seed 7 --out benches/data/gen20.jsonl`;
//! `FTLINT_BENCH_DATA` points elsewhere.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ftlint_tokenizer::{Encoding, Tokenizer};
use rayon::prelude::*;
use tiktoken_rs::CoreBPE;

use ftlint_bench::texts;

fn load() -> Vec<String> {
    let path = std::env::var("FTLINT_BENCH_DATA").unwrap_or_else(|_| "benches/data/gen20.jsonl".into());
    let data =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e} (see the bench's docs)"));
    texts::extract(&data)
}

fn reference(encoding: Encoding) -> &'static CoreBPE {
    match encoding {
        Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
        Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
    }
}

fn bench(c: &mut Criterion) {
    let texts = load();
    let bytes: usize = texts.iter().map(String::len).sum();
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("a 2-thread pool");
    let encodings: Vec<Encoding> = match std::env::var("FTLINT_BENCH_ENCODING").as_deref() {
        Ok("o200k_base") => vec![Encoding::O200kBase],
        Ok("cl100k_base") => vec![Encoding::Cl100kBase],
        _ => Encoding::ALL.to_vec(),
    };
    for encoding in encodings {
        let ours = Tokenizer::get(encoding);
        let theirs = reference(encoding);
        let expected: usize = texts.iter().map(|t| ours.count(t)).sum();

        let mut group = c.benchmark_group(format!("tokens/{encoding}"));
        group
            .throughput(Throughput::Bytes(bytes as u64))
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(8));
        for threads in [1, 2] {
            // With one thread the work runs on this thread; with two, on a 2-thread rayon pool where
            // each worker keeps its own state.
            let run = |f: &(dyn Fn(&str) -> usize + Sync)| -> usize {
                if threads == 1 {
                    texts.iter().map(|t| f(t)).sum()
                } else {
                    two.install(|| texts.par_iter().map(|t| f(t)).sum())
                }
            };
            group.bench_function(BenchmarkId::new("tiktoken-rs", threads), |b| {
                b.iter(|| black_box(run(&|t| theirs.encode_ordinary(t).len())))
            });
            group.bench_function(BenchmarkId::new("ftlint", threads), |b| {
                b.iter(|| {
                    let total = run(&|t| ours.count(t));
                    assert_eq!(total, expected);
                    black_box(total)
                })
            });
            if threads == 1 {
                // What the short-piece memo is worth, and how big it should be (with 0, the shared
                // long-piece memo is off too; otherwise it is warm after the first iteration).
                for entries in [0, 1 << 14, 1 << 16, 1 << 18] {
                    group.bench_function(BenchmarkId::new(format!("ftlint-memo-{entries}"), threads), |b| {
                        b.iter(|| {
                            let mut state = ours.new_state_with_memo(entries);
                            black_box(texts.iter().map(|t| ours.count_with(&mut state, t)).sum::<usize>())
                        })
                    });
                }
            }
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
