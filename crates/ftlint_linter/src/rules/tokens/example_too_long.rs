//! FT601 `example-too-long`: an example has more tokens than the model trains on per example.

use crate::context::RecordContext;
use crate::rules::Rule;
use crate::tokens::{ExampleTokens, TokenSettings};

pub const DOCS: &str = r#"# FT601 example-too-long

## What it does
Counts each example's tokens with the model's encoding and OpenAI's chat formula (3 per message,
plus role, content and name, plus 3 for the reply) and reports an example over the model's
per-example limit (`--model`, or `--max-example-tokens`): 65,536 for gpt-4o, gpt-4o-mini, gpt-4.1,
gpt-4.1-mini and o4-mini, 32,768 for gpt-4.1-nano, 16,385 for gpt-3.5-turbo 0125/1106, 4,096 for
gpt-3.5-turbo 0613. The message says whether the cut removes trained assistant tokens. A DPO
example is measured by its longer sequence: the input followed by the longer of its two outputs.

## Why it matters
The service does not reject such an example: it truncates it, cutting tokens from the end. The end of
an example is usually the assistant's answer, the very text the model is meant to learn, so the
example may train on a question with half an answer, or with none. Tool definitions and images are
not in the count (their cost in training is not documented), so an example close to the limit with
many tools may be cut sooner than this rule says.

## Example
With `--model gpt-4.1-nano`, a 40,000-token document pasted into a user message followed by a
200-token summary: the summary lies past token 32,768 and is cut away entirely.

## How to fix
Shorten the example: trim the long context, split a long conversation into several examples, or
choose a model with a larger limit.
"#;

pub const FIX: &str = "shorten the example or split the conversation; the service cuts it from the end";

/// Reports the record of `ctx` when its `total` is over the limit of `settings`.
pub fn check(ctx: &mut RecordContext<'_>, tokens: &ExampleTokens, settings: &TokenSettings) {
    let limit = settings.max_example_tokens;
    if tokens.total <= limit || !ctx.enabled(Rule::ExampleTooLong) {
        return;
    }
    let cut = tokens.total - limit;
    let consequence = match tokens.trained_past_limit {
        0 => "no trained assistant tokens are lost".to_owned(),
        n if n == tokens.trained => format!("all {n} trained assistant tokens are lost"),
        n => format!("{n} of its {} trained assistant tokens are lost", tokens.trained),
    };
    // Point at the first trained message the cut reaches; with none, at the whole example.
    let (pointer, label) = match tokens.first_cut {
        Some((section, index)) => {
            (format!("{}/{index}/content", section.pointer()), format!("trained text past token {limit}"))
        }
        None => (String::new(), format!("{} tokens", tokens.total)),
    };
    ctx.report(Rule::ExampleTooLong, &pointer)
        .message(format!(
            "example has {} tokens ({}), over the per-example training limit of {limit} for {}; the service truncates it, cutting the last {cut} tokens: {consequence}",
            tokens.total, settings.encoding, settings.model
        ))
        .label(label);
}
