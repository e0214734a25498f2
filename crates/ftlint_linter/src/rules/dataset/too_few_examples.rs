//! FT501 `too-few-examples`: a training file with fewer than 10 examples.

use crate::context::FileContext;
use crate::diagnostic::Span;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT501 too-few-examples

## What it does
Reports a training file with fewer than 10 examples. Every non-blank line counts as one example,
including lines that fail to parse (they are reported by their own rules), so a broken line is not
reported twice. A file with no example at all is `no-examples` (FT005) instead, and a validation file
(`--validation`) has no minimum.

## Why it matters
Both services require at least 10 training examples and fail the job at its validation stage
otherwise, with `Training file has 7 example(s), but must have at least 10 examples`
(code `invalid_n_examples`). The job has by then waited in the queue; the linter says so at once.

## Example
A `train.jsonl` of 7 lines.

## How to fix
Add examples: the services suggest starting with 50 to 100 good ones. If the file was cut short,
check the step that wrote it.
"#;

pub const FIX: &str = "add examples until the file has at least 10; 50 to 100 is a better start";

/// The minimum number of examples in a training file (docs/service-rules.md §1).
pub const MINIMUM: u64 = 10;

/// Reports a training file of `examples` examples (non-blank lines) when it is too few. Zero is
/// left to `no-examples`.
pub fn check(ctx: &mut FileContext<'_>, examples: u64) {
    if examples == 0 || examples >= MINIMUM {
        return;
    }
    let missing = MINIMUM - examples;
    let file_len = ctx.file_len;
    ctx.report(Rule::TooFewExamples, Span::new(0, file_len))
        .message(format!(
            "Training file has {examples} example(s), but must have at least {MINIMUM} examples"
        ))
        .help(format!(
            "add at least {missing} more example{}; the services reject a smaller training file",
            if missing == 1 { "" } else { "s" }
        ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::settings::{Profile, Settings};

    fn check(examples: u64, file_len: u64) -> Option<Diagnostic> {
        let settings = Settings::new(Profile::Azure);
        let mut out = Vec::new();
        super::check(&mut FileContext::new(&settings, file_len, &mut out), examples);
        assert!(out.len() <= 1);
        out.pop()
    }

    #[test]
    fn fires_from_one_to_nine_examples_only() {
        assert!(check(0, 0).is_none());
        assert!(check(10, 100).is_none());
        let finding = check(7, 70).unwrap();
        assert_eq!(finding.message, "Training file has 7 example(s), but must have at least 10 examples");
        assert_eq!(
            finding.help.as_deref(),
            Some("add at least 3 more examples; the services reject a smaller training file")
        );
        assert!(check(9, 90).unwrap().help.unwrap().contains("1 more example;"));
    }
}
