//! A file's figures, summed from its examples: what `--stats` prints and the JSON report carries.
//!
//! Percentiles need every example's count, so the builder keeps one `u32` per example: 4 bytes,
//! 4 MB for a million examples, small next to the file itself. Everything else is a running sum,
//! plus one counter per distinct RFT grader key (a handful per file).

use std::collections::BTreeMap;

use super::{heuristic_epochs, Encoding, ExampleTokens, TokenSettings};

/// Buckets of the length histogram in the human `--stats` block.
pub const HISTOGRAM_BUCKETS: usize = 8;

/// Collects the examples of one file, in any order.
#[derive(Debug)]
pub struct FileStatsBuilder {
    /// Each example's `counted`, for the percentiles, the histogram and the billed estimate.
    counted: Vec<u32>,
    stats: FileStats,
    tokens: Option<FileTokens>,
    grader_keys: BTreeMap<String, u64>,
}

/// What a file holds, with or without token counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileStats {
    /// Examples counted: records whose shape fits a format.
    pub examples: u64,
    pub messages: u64,
    pub images: u64,
    /// Images whose token cost depends on a size ftlint does not know offline.
    pub images_unknown_cost: u64,
    /// Examples that define tools or functions.
    pub tool_examples: u64,
    /// Assistant tool calls (and legacy function calls).
    pub tool_calls: u64,
    /// RFT records: each top-level key other than `messages` and `tools`, which graders read as
    /// `{{ item.<key> }}`, with the number of records that have it; sorted by key.
    pub grader_keys: Vec<(String, u64)>,
    /// The token figures; `None` under `--no-tokens`.
    pub tokens: Option<FileTokens>,
}

/// What a file's examples cost, and what training on them would cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileTokens {
    pub encoding: Encoding,
    pub max_example_tokens: u32,
    /// Σ of the examples' `total` (the chat formula, text only).
    pub total: u64,
    pub trained: u64,
    /// Σ of the examples' `counted`: text + tool definitions + tool calls + images of known cost.
    pub counted: u64,
    /// Σ of the examples' `trained_with_tools`: trained text + trained assistant tool calls.
    pub trained_with_tools: u64,
    pub tool_tokens: u64,
    pub image_tokens: u64,
    /// The longest example's `counted`; the percentiles and the histogram are of `counted` too.
    pub max_example: u32,
    /// Example lengths by nearest rank: each is the length of a real example.
    pub min: u32,
    pub p50: u32,
    pub p90: u32,
    pub p99: u32,
    /// Examples whose `counted` is over the per-example limit.
    pub over_limit: u64,
    pub epochs: u32,
    /// Whether `epochs` came from the cookbook heuristic rather than `--epochs`.
    pub epochs_estimated: bool,
    /// Σ min(limit, example's `counted`) × epochs: the cookbook's estimate of billed training
    /// tokens, with tools and images in.
    pub billed_tokens_estimate: u64,
    /// Examples per length bucket of `bucket_width` tokens, from `min`.
    pub histogram: [u64; HISTOGRAM_BUCKETS],
    pub bucket_width: u32,
}

impl FileTokens {
    /// Empty figures for `encoding` and a per-example limit.
    pub fn new(encoding: Encoding, max_example_tokens: u32) -> Self {
        FileTokens {
            encoding,
            max_example_tokens,
            total: 0,
            trained: 0,
            counted: 0,
            trained_with_tools: 0,
            tool_tokens: 0,
            image_tokens: 0,
            max_example: 0,
            min: 0,
            p50: 0,
            p90: 0,
            p99: 0,
            over_limit: 0,
            epochs: 0,
            epochs_estimated: false,
            billed_tokens_estimate: 0,
            histogram: [0; HISTOGRAM_BUCKETS],
            bucket_width: 0,
        }
    }

    /// Tokens in the training file (`counted`, tools and images in) times epochs: what Azure caps
    /// at 2,000,000,000 per job.
    pub fn training_tokens(&self) -> u64 {
        self.counted.saturating_mul(u64::from(self.epochs))
    }
}

impl FileStatsBuilder {
    /// `settings` is `None` under `--no-tokens`.
    pub fn new(settings: Option<&TokenSettings>) -> Self {
        FileStatsBuilder {
            counted: Vec::new(),
            stats: FileStats::default(),
            tokens: settings.map(|s| FileTokens::new(s.encoding, s.max_example_tokens)),
            grader_keys: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, example: &ExampleTokens) {
        let s = &mut self.stats;
        s.examples += 1;
        s.messages += u64::from(example.messages);
        s.images += u64::from(example.images);
        s.images_unknown_cost += u64::from(example.images_unknown_cost);
        s.tool_examples += u64::from(example.has_tools);
        s.tool_calls += u64::from(example.tool_calls);
        if let Some(t) = &mut self.tokens {
            self.counted.push(example.counted);
            t.total += u64::from(example.total);
            t.trained += u64::from(example.trained);
            t.counted += u64::from(example.counted);
            t.trained_with_tools += u64::from(example.trained_with_tools);
            t.tool_tokens += u64::from(example.tool_tokens);
            t.image_tokens += u64::from(example.image_tokens);
            t.over_limit += u64::from(example.counted > t.max_example_tokens);
        }
    }

    /// One RFT record's grader keys.
    pub fn add_grader_keys<'k>(&mut self, keys: impl IntoIterator<Item = &'k String>) {
        for key in keys {
            match self.grader_keys.get_mut(key) {
                Some(n) => *n += 1,
                None => {
                    self.grader_keys.insert(key.clone(), 1);
                }
            }
        }
    }

    /// The figures, with `epochs` from `--epochs` or else the cookbook heuristic.
    pub fn finish(mut self, epochs: Option<u32>) -> FileStats {
        let mut stats = self.stats;
        stats.grader_keys = self.grader_keys.into_iter().collect();
        if let Some(mut t) = self.tokens {
            t.epochs = epochs.unwrap_or_else(|| heuristic_epochs(stats.examples));
            t.epochs_estimated = epochs.is_none();
            let capped: u64 = self.counted.iter().map(|&n| u64::from(n.min(t.max_example_tokens))).sum();
            t.billed_tokens_estimate = capped.saturating_mul(u64::from(t.epochs));
            self.counted.sort_unstable();
            if let (Some(&min), Some(&max)) = (self.counted.first(), self.counted.last()) {
                let rank = |p: usize| self.counted[(p * self.counted.len()).div_ceil(100).max(1) - 1];
                (t.min, t.p50, t.p90, t.p99, t.max_example) = (min, rank(50), rank(90), rank(99), max);
                t.bucket_width = ((max - min) / HISTOGRAM_BUCKETS as u32).saturating_add(1);
                for &counted in &self.counted {
                    let bucket = ((counted - min) / t.bucket_width) as usize;
                    t.histogram[bucket.min(HISTOGRAM_BUCKETS - 1)] += 1;
                }
            }
            stats.tokens = Some(t);
        }
        stats
    }
}

impl FileStats {
    /// The human `--stats` block: figures, then a histogram of example lengths.
    pub fn render(&self, path: &str) -> String {
        let mut out = format!("{path}: {} examples, {} messages", self.examples, self.messages);
        match &self.tokens {
            Some(t) => {
                out += &format!(
                    ", {} tokens ({}), {} trained; {} more in tool definitions and calls, {} in images\n",
                    t.total, t.encoding, t.trained, t.tool_tokens, t.image_tokens
                );
                out += &format!(
                    "  counted with tools and images: {}, {} trained with tool calls\n",
                    t.counted, t.trained_with_tools
                );
                out += &format!(
                    "  counted tokens per example: min {}, p50 {}, p90 {}, p99 {}, max {}; {} over the limit of {}\n",
                    t.min, t.p50, t.p90, t.p99, t.max_example, t.over_limit, t.max_example_tokens
                );
                let epochs = if t.epochs_estimated {
                    format!("{} (the default for {} examples)", t.epochs, self.examples)
                } else {
                    t.epochs.to_string()
                };
                out += &format!(
                    "  epochs {epochs}; billed training tokens ≈ {} (each example capped at the limit, × epochs)\n",
                    t.billed_tokens_estimate
                );
            }
            None => out += " (token counting off)\n",
        }
        out += &format!(
            "  images {} ({} of unknown cost); {} examples define tools, {} tool calls\n",
            self.images, self.images_unknown_cost, self.tool_examples, self.tool_calls
        );
        if !self.grader_keys.is_empty() {
            let keys: Vec<String> = self.grader_keys.iter().map(|(k, n)| format!("{k} ({n})")).collect();
            out += &format!("  keys graders see as item.<key>: {}\n", keys.join(", "));
        }
        if let Some(t) = self.tokens.as_ref().filter(|_| self.examples > 0) {
            let widest = t.histogram.iter().copied().max().unwrap_or(0).max(1);
            for (i, &n) in t.histogram.iter().enumerate() {
                let from = u64::from(t.min) + u64::from(t.bucket_width) * i as u64;
                let to = from + u64::from(t.bucket_width) - 1;
                let bar = "#".repeat(((n * 40).div_ceil(widest)) as usize);
                out += &format!("  {from:>8}-{to:<8} {n:>8} {bar}\n");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::ImageCost;

    fn settings() -> TokenSettings {
        TokenSettings {
            model: "m".into(),
            encoding: Encoding::O200kBase,
            max_example_tokens: 50,
            images: ImageCost::NoImages,
            epochs: None,
        }
    }

    #[test]
    fn percentiles_are_nearest_rank_and_billing_caps_each_example() {
        let mut builder = FileStatsBuilder::new(Some(&settings()));
        for total in (1..=100).rev() {
            // Text only: `counted` is `total`.
            builder.add(&ExampleTokens { total, counted: total, messages: 2, ..ExampleTokens::default() });
        }
        let s = builder.finish(Some(2));
        let t = s.tokens.unwrap();
        assert_eq!((t.min, t.p50, t.p90, t.p99, t.max_example), (1, 50, 90, 99, 100));
        assert_eq!((s.examples, s.messages, t.total, t.counted), (100, 200, 5050, 5050));
        assert_eq!(t.over_limit, 50);
        assert_eq!(t.billed_tokens_estimate, 2 * ((1..=50).sum::<u64>() + 50 * 50));
        assert_eq!(t.training_tokens(), 2 * 5050);
        // 1-13, 14-26, ..., 92-104.
        assert_eq!(t.bucket_width, 13);
        assert_eq!(t.histogram, [13, 13, 13, 13, 13, 13, 13, 9]);
        assert!(s.render("f").contains("p90 90"));
    }

    #[test]
    fn counted_drives_the_limit_the_percentiles_and_the_bill_while_total_keeps_its_meaning() {
        let mut builder = FileStatsBuilder::new(Some(&settings()));
        // 10 text tokens, 30 of tool definitions and calls, 15 of images: 55, over the limit of 50.
        builder.add(&ExampleTokens {
            total: 10,
            trained: 2,
            counted: 55,
            trained_with_tools: 7,
            tool_tokens: 30,
            image_tokens: 15,
            ..ExampleTokens::default()
        });
        builder.add(&ExampleTokens {
            total: 20,
            trained: 4,
            counted: 20,
            trained_with_tools: 4,
            ..ExampleTokens::default()
        });
        let s = builder.finish(Some(3));
        let t = s.tokens.unwrap();
        assert_eq!((t.total, t.trained, t.counted, t.trained_with_tools), (30, 6, 75, 11));
        assert_eq!((t.over_limit, t.max_example, t.min), (1, 55, 20));
        // min(50, 55) + min(50, 20) = 70, × 3 epochs.
        assert_eq!(t.billed_tokens_estimate, 210);
        assert_eq!(t.training_tokens(), 75 * 3);
        let text = s.render("f");
        assert!(text.contains("counted with tools and images: 75, 11 trained with tool calls"), "{text}");
    }

    #[test]
    fn empty_files_and_no_tokens_render() {
        let empty = FileStatsBuilder::new(Some(&settings())).finish(None);
        let t = empty.tokens.unwrap();
        assert_eq!((empty.examples, t.max_example, t.epochs), (0, 0, 25));
        assert!(!empty.render("f").is_empty());
        let mut builder = FileStatsBuilder::new(None);
        builder.add(&ExampleTokens {
            total: 3,
            images: 1,
            images_unknown_cost: 1,
            ..ExampleTokens::default()
        });
        let keys = ["target".to_owned(), "answer".to_owned()];
        builder.add_grader_keys(&keys);
        builder.add_grader_keys(&keys[..1]);
        let s = builder.finish(None);
        assert_eq!(s.tokens, None);
        assert_eq!(s.grader_keys, vec![("answer".to_owned(), 1), ("target".to_owned(), 2)]);
        let text = s.render("f");
        assert!(text.contains("token counting off") && text.contains("answer (1), target (2)"), "{text}");
    }
}
