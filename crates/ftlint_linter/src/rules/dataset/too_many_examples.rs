//! FT504 `too-many-examples`: an RFT training file over 50,000 examples, or a validation file over
//! 1,000.

use crate::context::FileContext;
use crate::dataset::RecordSite;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT504 too-many-examples

## What it does
Under `--format rft`, reports a training file with more than 50,000 examples, or a validation file
(`--validation`) with more than 1,000, once, at the first example over the limit.

## Why it matters
OpenAI's reinforcement fine-tuning guide ("Prepare your dataset") and Azure's RFT page ("Dataset
size for RFT") both say a training file may hold at most 50,000 examples and a test (validation)
dataset at most 1,000 (`docs/service-rules.md` §5). The validation set is graded at every
evaluation step, so a large one also makes every step slow and costly. Microsoft's own RFT sample
has a validation file of 6,150 examples.

## Example
A validation file of 6,150 RFT records: the finding sits on line 1,001.

## How to fix
Sample the file down to the limit (a random sample keeps the mix of tasks), or move the surplus
validation examples into the training file.
"#;

pub const FIX: &str = "sample the file down to the limit";

/// Most examples in an RFT training file.
pub const TRAINING_LIMIT: u64 = 50_000;
/// Most examples in an RFT validation (test) file.
pub const VALIDATION_LIMIT: u64 = 1_000;

/// Reports the first record over the limit: call it with the record whose 1-based `number` is the
/// limit plus one.
pub fn check(ctx: &mut FileContext<'_>, site: &RecordSite, number: u64, validation: bool) {
    let (limit, shown, what) = if validation {
        (VALIDATION_LIMIT, "1,000", "an RFT validation file")
    } else {
        (TRAINING_LIMIT, "50,000", "an RFT training file")
    };
    if number != limit + 1 {
        return;
    }
    ctx.report_record(Rule::TooManyExamples, site)
        .message(format!(
            "this is example {number}, but {what} may hold at most {shown} examples; the job is rejected"
        ))
        .label("over the limit")
        .help(format!("keep at most {shown} examples (a random sample keeps the mix of tasks)"));
}
