//! FT310 `too-many-images`: an example with more image parts than the service allows.

use crate::context::RecordContext;
use crate::diagnostic::Severity;
use crate::rules::Rule;
use crate::settings::Profile;

pub const DOCS: &str = r#"# FT310 too-many-images

## What it does
Reports an example with more than 10 image parts. Under `--profile openai` that is an error. Under
`--profile azure` (the default) it is a warning from 11 to 64 images and an error above 64. The
finding points at the first image over the limit. `--error too-many-images` or
`--warn too-many-images` fix the severity whatever the profile.

## Why it matters
OpenAI's vision fine-tuning guide allows at most 10 images per example. Azure OpenAI's limits table
says 64, but the troubleshooting section of the same Azure page tells you to reduce examples to 10
images or fewer, so more than 10 may fail on Azure too, and more than 64 certainly does.

## Example
A record whose user messages hold 12 `image_url` parts.

## How to fix
Split the example into several with at most 10 images each, or drop the least useful images.
"#;

pub const FIX: &str = "split the example so that each has at most 10 images";

/// OpenAI's limit, and the one Azure's troubleshooting advice gives.
pub const LIMIT: u32 = 10;
/// The limit in Azure OpenAI's table.
pub const AZURE_LIMIT: u32 = 64;

/// Where the first image over each limit is, noted while the parts are walked.
#[derive(Debug, Default)]
pub struct Over {
    past_limit: Option<String>,
    past_azure_limit: Option<String>,
}

impl Over {
    /// Notes the pointer of image number `count` (1-based) when it is the first over a limit.
    pub fn note(&mut self, count: u32, pointer: String) {
        if count == LIMIT + 1 {
            self.past_limit = Some(pointer);
        } else if count == AZURE_LIMIT + 1 {
            self.past_azure_limit = Some(pointer);
        }
    }
}

/// Reports a record of `ctx.facts.images` images over the profile's limit. The rule's severity
/// depends on the profile (see the registry); over Azure's hard limit of 64 it is an error there too.
pub fn check(ctx: &mut RecordContext<'_>, over: &Over) {
    let count = ctx.facts.images;
    if count <= LIMIT {
        return;
    }
    let (pointer, message) = match ctx.settings.profile {
        Profile::Openai => (
            &over.past_limit,
            format!("example has {count} images; OpenAI allows at most {LIMIT} images per example"),
        ),
        Profile::Azure if count > AZURE_LIMIT => (
            &over.past_azure_limit,
            format!("example has {count} images; Azure OpenAI allows at most {AZURE_LIMIT} images per example (and advises {LIMIT} or fewer)"),
        ),
        Profile::Azure => (
            &over.past_limit,
            format!("example has {count} images; Azure OpenAI's limits table allows {AZURE_LIMIT}, but its troubleshooting guide says to keep {LIMIT} or fewer, which is OpenAI's limit"),
        ),
    };
    let Some(pointer) = pointer.as_deref() else {
        return;
    };
    let report =
        ctx.report(Rule::TooManyImages, pointer).message(message).label("first image over the limit");
    if count > AZURE_LIMIT {
        report.severity(Severity::Error);
    }
}
