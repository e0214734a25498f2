//! FT601 `example-too-long`: an example has more tokens than the model trains on per example.

use crate::context::RecordContext;
use crate::rules::Rule;
use crate::tokens::{ExampleTokens, TokenSettings};

pub const DOCS: &str = r#"# FT601 example-too-long

## What it does
Counts each example's tokens with the model's encoding and OpenAI's chat formula (3 per message,
plus role, content and name, plus 3 for the reply), adds its tool definitions (by the estimate of
OpenAI's token-counting cookbook: per function, per property, per enum item), the name and
arguments of its assistant tool calls, and its images (by the vision guide's cost formula, when
their size can be read from inline data), and reports an example over the model's
per-example limit (`--model`, or `--max-example-tokens`): 65,536 for gpt-4o, gpt-4o-mini, gpt-4.1,
gpt-4.1-mini and o4-mini, 32,768 for gpt-4.1-nano, 16,385 for gpt-3.5-turbo 0125/1106, 4,096 for
gpt-3.5-turbo 0613. The message says whether the cut removes trained assistant tokens (text or
tool calls). A DPO example is measured by its longer sequence: the input followed by the longer of
its two outputs.

## Why it matters
The service does not reject such an example: it truncates it, cutting tokens from the end. The end of
an example is usually the assistant's answer, the very text the model is meant to learn, so the
example may train on a question with half an answer, or with none. Tool definitions and images take
room too: the service tokenizes them into the same sequence (docs/service-rules.md §3, §6). Their
figures are estimates (the cookbook's formula for tools; images of an `https://` URL, whose size
cannot be read offline, are left out), so an example close to the limit may be cut a little sooner
or later than this rule says.

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
    if tokens.counted <= limit || !ctx.enabled(Rule::ExampleTooLong) {
        return;
    }
    let cut = tokens.counted - limit;
    let trained = tokens.trained_with_tools;
    let consequence = match tokens.trained_past_limit {
        0 => "no trained assistant tokens are lost".to_owned(),
        n if n == trained => format!("all {n} trained assistant tokens are lost"),
        n => format!("{n} of its {trained} trained assistant tokens are lost"),
    };
    // Point at the first trained message the cut reaches; with none, at the whole example.
    let (pointer, label) = match tokens.first_cut {
        Some((section, index)) => {
            let (member, what) =
                if tokens.first_cut_in_calls { ("tool_calls", "tool calls") } else { ("content", "text") };
            (format!("{}/{index}/{member}", section.pointer()), format!("trained {what} past token {limit}"))
        }
        None => (String::new(), format!("{} tokens", tokens.counted)),
    };
    // Name what besides text makes up the count, when anything does.
    let extra = tokens.counted.saturating_sub(tokens.total);
    let breakdown = if extra == 0 {
        String::new()
    } else {
        format!(
            ": {} of text, {} of tool definitions and calls, {} of images",
            tokens.total, tokens.tool_tokens, tokens.image_tokens
        )
    };
    ctx.report(Rule::ExampleTooLong, &pointer)
        .message(format!(
            "example has {} tokens ({}{breakdown}), over the per-example training limit of {limit} for {}; the service truncates it, cutting the last {cut} tokens: {consequence}",
            tokens.counted, settings.encoding, settings.model
        ))
        .label(label);
}
