//! A file's token figures, summed from its examples.
//!
//! Percentiles need every example's count, so the builder keeps one `u32` per example: 4 bytes,
//! 4 MB for a million examples, small next to the file itself. Everything else is a running sum.

use super::{heuristic_epochs, Encoding, ExampleTokens, TokenSettings};

/// Buckets of the length histogram in the human `--stats` block.
pub const HISTOGRAM_BUCKETS: usize = 8;

/// Collects the examples of one file, in any order.
#[derive(Debug)]
pub struct FileTokensBuilder {
    totals: Vec<u32>,
    sum: FileTokens,
}

/// What a file's examples cost, and what training on them would cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileTokens {
    pub encoding: Option<Encoding>,
    pub max_example_tokens: u32,
    /// Σ of the examples' `total`.
    pub total: u64,
    pub trained: u64,
    pub tool_tokens: u64,
    pub image_tokens: u64,
    /// The longest example's `total`.
    pub max_example: u32,
    /// Examples counted.
    pub examples: u64,
    pub messages: u64,
    /// Example lengths by nearest rank: each is the length of a real example.
    pub min: u32,
    pub p50: u32,
    pub p90: u32,
    pub p99: u32,
    /// Examples over the per-example limit.
    pub over_limit: u64,
    pub epochs: u32,
    /// Whether `epochs` came from the cookbook heuristic rather than `--epochs`.
    pub epochs_estimated: bool,
    /// Σ min(limit, example tokens) × epochs: the cookbook's estimate of billed training tokens.
    pub billed_tokens_estimate: u64,
    pub images: u64,
    pub images_unknown_cost: u64,
    /// Examples that define tools or functions.
    pub tool_examples: u64,
    /// Examples per length bucket of `bucket_width` tokens, from 0.
    pub histogram: [u64; HISTOGRAM_BUCKETS],
    pub bucket_width: u32,
}

impl FileTokensBuilder {
    pub fn new(settings: &TokenSettings) -> Self {
        let sum = FileTokens {
            encoding: Some(settings.encoding),
            max_example_tokens: settings.max_example_tokens,
            ..FileTokens::default()
        };
        FileTokensBuilder { totals: Vec::new(), sum }
    }

    pub fn add(&mut self, example: &ExampleTokens) {
        let s = &mut self.sum;
        self.totals.push(example.total);
        s.total += u64::from(example.total);
        s.trained += u64::from(example.trained);
        s.tool_tokens += u64::from(example.tool_tokens);
        s.image_tokens += u64::from(example.image_tokens);
        s.messages += u64::from(example.messages);
        s.images += u64::from(example.images);
        s.images_unknown_cost += u64::from(example.images_unknown_cost);
        s.tool_examples += u64::from(example.has_tools);
        s.over_limit += u64::from(example.total > s.max_example_tokens);
    }

    pub fn finish(mut self, epochs: Option<u32>) -> FileTokens {
        let mut s = self.sum;
        s.examples = self.totals.len() as u64;
        s.epochs = epochs.unwrap_or_else(|| heuristic_epochs(s.examples));
        s.epochs_estimated = epochs.is_none();
        let capped: u64 = self.totals.iter().map(|&t| u64::from(t.min(s.max_example_tokens))).sum();
        s.billed_tokens_estimate = capped.saturating_mul(u64::from(s.epochs));
        self.totals.sort_unstable();
        if let (Some(&min), Some(&max)) = (self.totals.first(), self.totals.last()) {
            let rank = |p: usize| self.totals[(p * self.totals.len()).div_ceil(100).max(1) - 1];
            (s.min, s.p50, s.p90, s.p99, s.max_example) = (min, rank(50), rank(90), rank(99), max);
            s.bucket_width = (max / HISTOGRAM_BUCKETS as u32 + 1).max(1);
            for &total in &self.totals {
                let bucket = (total / s.bucket_width) as usize;
                s.histogram[bucket.min(HISTOGRAM_BUCKETS - 1)] += 1;
            }
        }
        s
    }
}

impl FileTokens {
    /// Tokens in the training file times epochs: what Azure caps at 2,000,000,000 per job.
    pub fn training_tokens(&self) -> u64 {
        self.total.saturating_mul(u64::from(self.epochs))
    }

    /// The human `--stats` block: figures, then a histogram of example lengths.
    pub fn render(&self, path: &str) -> String {
        let encoding = self.encoding.map_or("-", Encoding::as_str);
        let epochs = if self.epochs_estimated { format!("{} (estimated)", self.epochs) } else { self.epochs.to_string() };
        let mut out = format!(
            "{path}: {} examples, {} messages, {} tokens ({encoding}); {} trained, {} in tools, {} in images\n",
            self.examples, self.messages, self.total, self.trained, self.tool_tokens, self.image_tokens
        );
        out += &format!(
            "  example tokens: min {}, p50 {}, p90 {}, p99 {}, max {}; {} over the limit of {}\n",
            self.min, self.p50, self.p90, self.p99, self.max_example, self.over_limit, self.max_example_tokens
        );
        out += &format!(
            "  epochs {epochs}; billed tokens ≈ {}; images {} ({} of unknown cost); {} examples with tools\n",
            self.billed_tokens_estimate, self.images, self.images_unknown_cost, self.tool_examples
        );
        let widest = self.histogram.iter().copied().max().unwrap_or(0).max(1);
        for (i, &n) in self.histogram.iter().enumerate() {
            if self.examples == 0 {
                break;
            }
            let from = u64::from(self.bucket_width) * i as u64;
            let to = from + u64::from(self.bucket_width) - 1;
            let bar = "#".repeat(((n * 40).div_ceil(widest)) as usize);
            out += &format!("  {from:>8}-{to:<8} {n:>8} {bar}\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank_and_billing_caps_each_example() {
        let settings = TokenSettings { model: "m".into(), encoding: Encoding::O200kBase, max_example_tokens: 50, epochs: None };
        let mut builder = FileTokensBuilder::new(&settings);
        for total in (1..=100).rev() {
            builder.add(&ExampleTokens { total, ..ExampleTokens::default() });
        }
        let s = builder.finish(Some(2));
        assert_eq!((s.min, s.p50, s.p90, s.p99, s.max_example), (1, 50, 90, 99, 100));
        assert_eq!(s.over_limit, 50);
        assert_eq!(s.billed_tokens_estimate, 2 * ((1..=50).sum::<u64>() + 50 * 50));
        assert_eq!(s.histogram.iter().sum::<u64>(), 100);
        assert!(s.render("f").contains("p90 90"));
        let empty = FileTokensBuilder::new(&settings).finish(None);
        assert_eq!((empty.examples, empty.max_example), (0, 0));
        assert!(!empty.render("f").is_empty());
    }
}
