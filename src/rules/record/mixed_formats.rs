//! FT202 `mixed-formats`: a record in another format than the rest of the file (or than `--format`).

pub const DOCS: &str = r#"# FT202 mixed-formats

## What it does
Reports a record whose format differs from the file's: from the format `--format` names, or, under
`--format auto`, from the format most records of the file have.

## Why it matters
A fine-tuning job has one method (supervised, DPO, reinforcement) and reads every line of its file in
that method's format. One SFT record in a DPO file fails the job: `Input file file-… is in the
fine-tune-chat format, but the specified fine-tuning job is not using 'supervised' as the training
method`.

## Example
A DPO file, `{"input": …, "preferred_output": …, "non_preferred_output": …}` on every line, with one
`{"messages": […]}` line among them.

## How to fix
Move the records of the other format to their own file, or convert them.
"#;

pub const FIX: &str = "a job takes one format per file; move these records to a file of their own";
