//! Token-counting throughput, in MB/s of content text on one core: the cost that dominates a full
//! check (profiles of whole runs put it at 93–97% of the CPU time).
//!
//! `text` counts the concatenated content text of the token corpus through the [`TextCounter`]
//! interface alone; `records` runs the whole chat formula over the parsed records, so the gap
//! between the two is the formula's own overhead. Throughput is reported over the same content
//! bytes in both.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ftlint_linter::model::json::{Object, Value};
use ftlint_linter::model::shape::Format;
use ftlint_linter::tokens::{count, counter, Encoding, TokenSettings};

/// The corpus's records, parsed once; the text and the arena live as long as the benchmark.
fn corpus() -> Vec<Object<'static>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tokens/corpus.jsonl");
    let text: &'static str = std::fs::read_to_string(path).expect("fixtures/tokens/corpus.jsonl").leak();
    let arena: &'static bumpalo::Bump = Box::leak(Box::new(bumpalo::Bump::new()));
    text.lines()
        .map(|line| match ftlint_linter::model::json::parse(line, arena).expect("a JSON line").value {
            Value::Object(object) => object,
            _ => panic!("a JSON object per line"),
        })
        .collect()
}

/// The content strings of chat messages, as the formula counts them.
fn content_texts(records: &[Object<'_>]) -> Vec<String> {
    let mut texts = Vec::new();
    let mut push_messages = |messages: Option<&Value<'_>>| {
        for message in messages.and_then(Value::as_array).into_iter().flatten() {
            match message.get("content") {
                Some(Value::String(text)) => texts.push((*text).to_owned()),
                Some(Value::Array(parts)) => texts.push(
                    parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).collect::<String>(),
                ),
                _ => {}
            }
        }
    };
    for record in records {
        push_messages(record.get("messages"));
        push_messages(record.get("input").and_then(|i| i.get("messages")));
        push_messages(record.get("preferred_output"));
        push_messages(record.get("non_preferred_output"));
    }
    texts
}

fn bench(c: &mut Criterion) {
    let records = corpus();
    let texts = content_texts(&records);
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("tokens");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    for encoding in [Encoding::O200kBase, Encoding::Cl100kBase] {
        let counter = counter(encoding).expect("embedded rank file");
        group.bench_function(format!("text/{encoding}"), |b| {
            b.iter(|| texts.iter().map(|t| counter.count(black_box(t))).sum::<usize>())
        });
        let settings = TokenSettings::resolve(Some("gpt-4.1"), Some(encoding), None, None).unwrap();
        group.bench_function(format!("records/{encoding}"), |b| {
            b.iter(|| {
                records
                    .iter()
                    .map(|r| {
                        let format = if r.contains_key("input") { Format::Dpo } else { Format::Sft };
                        count(black_box(r), format, Some(&settings)).total
                    })
                    .sum::<u32>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
