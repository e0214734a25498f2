//! FT405 `rft-last-message-not-user`: an RFT example that does not end with a user message. An error
//! under the Azure profile, where the rule is documented; a warning under the OpenAI profile.

use crate::context::RecordContext;
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT405 rft-last-message-not-user

## What it does
Reports an RFT example whose last message is not from the user. It is an error under `--profile
azure` (the default) and a warning under `--profile openai`; `--error` or `--warn` on the rule
overrides both.

## Why it matters
In reinforcement fine-tuning the model writes the answer during training and a grader scores it; the
dataset holds only the prompt. Azure's guide says the final message must be from the user. OpenAI's
guide does not say so, but an example that already ends with an answer (or a tool result) gives the
model nothing to answer.

## Example
```json
{"messages": [{"role": "developer", "content": "Answer with a number."}, {"role": "user", "content": "2 + 2?"}, {"role": "assistant", "content": "4"}], "reference_answer": "4"}
```

## How to fix
End the messages with the user's question; move reference answers into their own key (such as
`reference_answer`), where the grader reads them.
"#;

pub const FIX: &str =
    "end the messages with the user's question; put reference answers in a key of their own";

/// Its severity depends on the profile: see the registry ([`Rule::severity`]).
pub fn check(ctx: &mut RecordContext<'_>, messages: &[Message<'_>]) {
    let Some(last) = messages.last() else {
        return;
    };
    if last.role == Role::User {
        return;
    }
    let help = (last.role == Role::Assistant).then(|| {
        "the model writes the answer during training: move this answer into a key of its own, such as `reference_answer`"
            .to_owned()
    });
    ctx.report(Rule::RftLastMessageNotUser, &last.member("role"))
        .message(format!(
            "example ends with {}; the last message of an RFT example must be from the user",
            last.role.a_message()
        ))
        .help_if(help);
}
