//! FT201 `legacy-prompt-completion`: a record in the old `prompt`/`completion` format.

use crate::context::RecordContext;
use crate::model::shape::Shape;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT201 legacy-prompt-completion

## What it does
Reports a record with `prompt` or `completion` and no `messages`.

## Why it matters
`prompt`/`completion` pairs trained the retired completion models (babbage, davinci). The chat models
that can be fine-tuned today (gpt-4o, gpt-4.1, gpt-35-turbo and their minis) take `messages`; the
service rejects the file (`Unexpected file format, expected either prompt/completion pairs or chat
messages` for a chat model job).

## Example
```json
{"prompt": "What is 2 + 2?", "completion": "4"}
```

## How to fix
Convert each pair into a conversation: `{"messages": [{"role": "user", "content": PROMPT},
{"role": "assistant", "content": COMPLETION}]}`, e.g. with
`jq -c '{messages: [{role: "user", content: .prompt}, {role: "assistant", content: .completion}]}'`.
"#;

pub const FIX: &str = "convert to {\"messages\": [{\"role\": \"user\", \"content\": PROMPT}, {\"role\": \"assistant\", \"content\": COMPLETION}]}";

/// Reports a record whose keys are the legacy completions format's.
pub fn check(ctx: &mut RecordContext<'_>, shape: Shape) {
    if shape != Shape::PromptCompletion {
        return;
    }
    ctx.report(Rule::LegacyPromptCompletion, "")
        .message("example is a legacy prompt/completion pair; chat models need `messages`")
        .label("prompt/completion record");
}
