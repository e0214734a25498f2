//! FT503 `validation-overlap`: a validation record that also sits in a training file.

use crate::context::FileContext;
use crate::dataset::{RecordHash, RecordSite, TrainingIndex};
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT503 validation-overlap

## What it does
With `--validation FILE`, reports each record of the validation file that also appears in a
training file of the same run (compared after parsing, like `duplicate-example`), and names the
training file and line.

## Why it matters
The validation loss measures how the model does on examples it was not trained on. A validation
example that is also a training example measures memory instead: the validation loss looks better
than the model is, and overfitting goes unnoticed. The services do not check for this.

## Example
`ftlint check train.jsonl --validation valid.jsonl`, where line 4 of `valid.jsonl` is the same
example as line 120 of `train.jsonl`.

## How to fix
Remove the example from one of the two files; usually from the validation file. Split the data into
training and validation sets after removing duplicates, not before.
"#;

pub const FIX: &str = "remove the example from the validation file (or from the training file)";

/// Reports the validation record at `site` when a training file of the run holds one with `hash`.
pub fn check(ctx: &mut FileContext<'_>, site: &RecordSite, hash: RecordHash, training: &TrainingIndex) {
    let Some((training_file, training_line)) = training.find(hash) else {
        return;
    };
    ctx.report_record(Rule::ValidationOverlap, site)
        .message(format!(
            "example also appears in training file `{training_file}` at line {training_line}; \
             validation examples seen in training make the validation loss meaningless"
        ))
        .help(format!(
            "remove it from the validation file or from line {training_line} of `{training_file}`"
        ));
}
