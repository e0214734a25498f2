//! FT406 `dpo-images`: a DPO example with image parts, which OpenAI's DPO guide does not support.

use crate::context::RecordContext;
use crate::model::json::{Object, Value};
use crate::rules::Rule;
use crate::settings::Profile;

pub const DOCS: &str = r#"# FT406 dpo-images

## What it does
Reports the first image part (`"type": "image_url"`) of a DPO example, in its `input` messages or
its outputs. A warning under `--profile openai`, information under `azure`.

## Why it matters
The sources disagree (docs/service-rules.md §4, §9). OpenAI's DPO guide says DPO is "only
supported for text inputs and outputs" [OAI-DPO], while the API specification's preference input
takes the same messages as supervised fine-tuning, image parts included [SPEC]. A job may reject
the file, or train on the text alone. Azure's DPO guide is silent on images, and Azure's vision
fine-tuning guide describes supervised training only [AZ-DPO] [AZ-VIS], so under `azure` this is
information: worth knowing, not known to fail.

## Example
```json
{"input": {"messages": [{"role": "user", "content": [{"type": "text", "text": "What is this?"}, {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]},
 "preferred_output": [{"role": "assistant", "content": "A cat."}],
 "non_preferred_output": [{"role": "assistant", "content": "A dog."}]}
```

## How to fix
Train preferences on text only (describe the image in words), or train on the images with
supervised fine-tuning instead.
"#;

pub const FIX: &str = "train preferences on text only, or use supervised fine-tuning for images";

/// Reports the first image part of a DPO `record`.
pub fn check(ctx: &mut RecordContext<'_>, record: &Object<'_>) {
    if !ctx.enabled(Rule::DpoImages) {
        return;
    }
    let arrays = [
        ("/input/messages", record.get("input").and_then(|input| input.get("messages"))),
        ("/preferred_output", record.get("preferred_output")),
        ("/non_preferred_output", record.get("non_preferred_output")),
    ];
    for (array, messages) in arrays {
        for (index, message) in messages.and_then(Value::as_array).into_iter().flatten().enumerate() {
            let Some(parts) = message.get("content").and_then(Value::as_array) else { continue };
            let Some(part) =
                parts.iter().position(|p| p.get("type").and_then(Value::as_str) == Some("image_url"))
            else {
                continue;
            };
            let consequence = match ctx.settings.profile {
                Profile::Openai => "the job may reject the file or train on the text alone",
                Profile::Azure => "Azure's DPO guide does not say whether images are used",
            };
            ctx.report(Rule::DpoImages, &format!("{array}/{index}/content/{part}"))
                .message(format!(
                    "a DPO example with an image: OpenAI's DPO guide supports text inputs and outputs only, though the API specification allows image parts; {consequence}"
                ))
                .label("image in a DPO example");
            return;
        }
    }
}
