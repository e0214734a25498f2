//! Counts the tokens of a chat JSONL file with tiktoken-rs and with ftlint's tokenizer, string by
//! string, for both encodings, and prints totals, mismatches and single-thread throughput.
//!
//! `cargo run --release -p ftlint_bench --bin compare_tokens -- FILE.jsonl` (for example a file that
//! `crates/ftlint_bench/gen_dataset.py` writes)

#![allow(clippy::print_stdout)]

use std::time::Instant;

use ftlint_tokenizer::{Encoding, Tokenizer};

use ftlint_bench::texts;

fn main() {
    let path = std::env::args().nth(1).expect("usage: compare_tokens FILE.jsonl");
    let data = std::fs::read_to_string(&path).expect("a readable UTF-8 file");
    let started = Instant::now();
    let texts = texts::extract(&data);
    drop(data);
    let bytes: usize = texts.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    println!("{path}: {} strings, {mb:.1} MB of text, extracted in {:.2?}", texts.len(), started.elapsed());

    for encoding in Encoding::ALL {
        let started = Instant::now();
        let tokenizer = Tokenizer::get(encoding);
        let built = started.elapsed();
        let started = Instant::now();
        let ours: Vec<usize> = texts.iter().map(|t| tokenizer.count(t)).collect();
        let ours_time = started.elapsed().as_secs_f64();

        let reference = match encoding {
            Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
            Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
        };
        let started = Instant::now();
        let theirs: Vec<usize> = texts.iter().map(|t| reference.encode_ordinary(t).len()).collect();
        let theirs_time = started.elapsed().as_secs_f64();

        let mismatches = ours.iter().zip(&theirs).filter(|(a, b)| a != b).count();
        for (i, _) in ours.iter().zip(&theirs).enumerate().filter(|(_, (a, b))| a != b).take(5) {
            println!("  mismatch: {:?}: ours {}, tiktoken-rs {}", texts[i], ours[i], theirs[i]);
        }
        println!(
            "{encoding}: ours {} tokens in {ours_time:.2} s ({:.1} MB/s, built in {built:.1?}); \
             tiktoken-rs {} tokens in {theirs_time:.2} s ({:.1} MB/s); {mismatches} mismatching strings",
            ours.iter().sum::<usize>(),
            mb / ours_time,
            theirs.iter().sum::<usize>(),
            mb / theirs_time,
        );
    }
}
