//! Token-counting throughput with the variants interleaved: each round runs every variant once, and
//! the medians over the rounds are printed. On a host whose speed drifts by tens of percent between
//! runs, this compares variants more fairly than timing them one after another.
//!
//! Beside wall-clock throughput it prints throughput per CPU-second of the whole process: on a
//! shared host the second core is not always free, and a variant that scales without contention
//! keeps its per-CPU-second rate on two threads whatever the wall clock says.
//!
//! `cargo run --release -p ftlint_bench --bin token_speed -- FILE.jsonl [ROUNDS] [--no-memo-sizes] [--no-reference]
//! [--only=TEXT] [--encoding=o200k_base] [--long-pieces] [--tables-first]`
//!
//! Variants that keep their own state keep it across rounds, as a check's worker threads do.
//! `--long-pieces` measures, instead of the other variants, two that count long new pieces always
//! by the `bpe` crate and always by the tokenizer's backtracking tables (built before timing).
//! `--tables-first` builds those tables before the first round, so that every variant counts as a
//! check does once they exist; without it, the first few thousand long pieces go to the `bpe`
//! crate while a thread builds them, and under valgrind, which runs one thread at a time, how many
//! do depends on the scheduler (`benches/instructions.sh` needs the same count run after run).

#![allow(clippy::print_stdout)]

use std::cell::RefCell;
use std::time::Instant;

use ftlint_tokenizer::{CountState, Encoding, LongPieces, Tokenizer};
use rayon::prelude::*;

use ftlint_bench::texts;

/// The allocator the `ftlint` command and the Python package use, so that the counter is measured
/// as they run it (its memos and tables are fresh memory).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// CPU seconds this process has used so far, all threads (finished ones included), to the
/// nanosecond: a count of a few megabytes takes tens of milliseconds, where the scheduler's 10 ms
/// ticks of `/proc/self/stat` would round by a quarter. 0 where there is no POSIX clock.
#[cfg(unix)]
fn cpu_seconds() -> f64 {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid, writable `timespec` for the call to fill; the clock id is a
    // constant every POSIX system defines.
    let failed = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) } != 0;
    if failed {
        return 0.0;
    }
    now.tv_sec as f64 + now.tv_nsec as f64 / 1e9
}

#[cfg(not(unix))]
fn cpu_seconds() -> f64 {
    0.0
}

type Variant<'a> = (String, Box<dyn Fn() -> usize + 'a>);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let mut positional = args.iter().filter(|a| !a.starts_with("--"));
    let Some(path) = positional.next().cloned() else {
        eprintln!("usage: token_speed FILE.jsonl [ROUNDS] [--no-memo-sizes] [--no-reference] [--only=TEXT] [--encoding=NAME] [--long-pieces] [--tables-first]");
        std::process::exit(2);
    };
    let rounds: usize = positional.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let memo_sizes: &[usize] =
        if flag("--no-memo-sizes") { &[] } else { &[0, 1 << 12, 1 << 14, 1 << 16, 1 << 18] };
    // tiktoken-rs is several times slower than the variants of interest; skipping it makes rounds cheap.
    let reference = !flag("--no-reference");
    // `--long-pieces` measures the two encoders of long new pieces instead of the other variants.
    let long_pieces = flag("--long-pieces");
    let tables_first = flag("--tables-first");
    // `--only=TEXT` keeps the variants whose name contains TEXT, e.g. to profile one of them.
    let only = args.iter().find_map(|a| a.strip_prefix("--only=")).map(str::to_owned);
    // `--encoding=NAME` measures one encoding only, e.g. to profile it alone.
    let encodings: Vec<Encoding> = match args.iter().find_map(|a| a.strip_prefix("--encoding=")) {
        Some(name) => Encoding::ALL.into_iter().filter(|e| e.as_str() == name).collect(),
        None => Encoding::ALL.to_vec(),
    };
    let contents = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("token_speed: cannot read {path} as UTF-8 text: {e}");
        std::process::exit(2);
    });
    let texts = texts::extract(&contents);
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("a 2-thread pool");
    println!("{path}: {} strings, {mb:.1} MB of text, {rounds} rounds", texts.len());

    for encoding in encodings {
        let started = Instant::now();
        let ours = Tokenizer::get(encoding);
        println!("{encoding}: tokenizer built in {:.1?}", started.elapsed());
        if tables_first {
            // A state that counts long pieces by backtracking builds the tokenizer's tables, which
            // every state made later uses.
            drop(ours.new_state_for_long_pieces(Some(0), LongPieces::Backtracking));
        }
        let theirs = match encoding {
            Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
            Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
        };
        let texts = &texts;
        let two = &two;
        let mut variants: Vec<Variant> = Vec::new();
        if reference {
            variants.push((
                "tiktoken-rs 1 thread".into(),
                Box::new(|| texts.iter().map(|t| theirs.encode_ordinary(t).len()).sum()),
            ));
        }
        variants.push(("ftlint 1 thread".into(), Box::new(|| texts.iter().map(|t| ours.count(t)).sum())));
        if reference {
            variants.push((
                "tiktoken-rs 2 threads".into(),
                Box::new(|| two.install(|| texts.par_iter().map(|t| theirs.encode_ordinary(t).len()).sum())),
            ));
        }
        variants.push((
            "ftlint 2 threads".into(),
            Box::new(|| two.install(|| texts.par_iter().map(|t| ours.count(t)).sum())),
        ));
        // States that live across rounds, like a worker thread's: the lazy DFA's cache and the memo
        // stay warm.
        let with_state = |name: &str, state: CountState| -> Variant {
            let state = RefCell::new(state);
            (
                name.into(),
                Box::new(move || {
                    let state = &mut *state.borrow_mut();
                    texts.iter().map(|t| ours.count_with(state, t)).sum()
                }),
            )
        };
        variants.push(with_state("ftlint 1 thread, regex split only", ours.new_state_regex_only()));
        variants.push(with_state("ftlint 1 thread, own state", ours.new_state()));
        // A fresh short-piece memo each round; the long-piece memo is the tokenizer's, shared and
        // kept across rounds (off with 0).
        for &entries in memo_sizes {
            variants.push((
                format!("ftlint 1 thread, fresh memo of {entries}"),
                Box::new(move || {
                    let mut state = ours.new_state_with_memo(entries);
                    texts.iter().map(|t| ours.count_with(&mut state, t)).sum()
                }),
            ));
        }
        // Each encoder of long new pieces on its own. A state for backtracking builds the tables,
        // which every later state of the process then uses, so these replace the others.
        if long_pieces {
            variants.clear();
            for (name, long_pieces) in [
                ("ftlint 1 thread, long pieces by the bpe crate", LongPieces::BpeCrate),
                ("ftlint 1 thread, long pieces by backtracking", LongPieces::Backtracking),
            ] {
                variants.push(with_state(name, ours.new_state_for_long_pieces(None, long_pieces)));
            }
        }
        if let Some(only) = &only {
            variants.retain(|(name, _)| name.contains(only.as_str()));
        }
        let mut times = vec![Vec::new(); variants.len()];
        let mut cpu = vec![Vec::new(); variants.len()];
        let mut totals = vec![0; variants.len()];
        for _ in 0..rounds {
            for (i, (_, run)) in variants.iter().enumerate() {
                let (started, cpu_started) = (Instant::now(), cpu_seconds());
                totals[i] = run();
                times[i].push(started.elapsed().as_secs_f64());
                cpu[i].push(cpu_seconds() - cpu_started);
            }
        }
        for (((name, _), (mut t, total)), mut c) in
            variants.iter().zip(times.into_iter().zip(totals)).zip(cpu)
        {
            t.sort_by(f64::total_cmp);
            c.sort_by(f64::total_cmp);
            let median = t[t.len() / 2];
            println!(
                "  {name:40} {:7.1} MB/s (median; {:.1}–{:.1}), {:7.1} MB per CPU-second, {total} tokens",
                mb / median,
                mb / t[t.len() - 1],
                mb / t[0],
                mb / c[c.len() / 2].max(0.01),
            );
        }
    }
}
