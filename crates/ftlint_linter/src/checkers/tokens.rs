//! The token checker: counts what each example costs with `ftlint_tokenizer` and runs the token
//! rules (FT6xx) over the counts, when counting is on.

use crate::context::{FileContext, RecordContext};
use crate::model::facts::ImageFact;
use crate::model::json::Object;
use crate::rules::tokens::{dataset_too_large, example_too_long};
use crate::tokens::{ExampleTokens, FileStats, ImageCost};

/// Counts the record's tokens into its facts (every figure 0 when counting is off) and checks the
/// example's length. Runs after the vision checker, whose image sizes price the images.
pub fn check(ctx: &mut RecordContext<'_>, record: &Object<'_>) {
    let settings = ctx.settings;
    let mut tokens = crate::tokens::count(record, ctx.format, settings.tokens.as_ref());
    if let Some(token_settings) = &settings.tokens {
        price_images_of_known_size(&mut tokens, &ctx.facts.image_sizes, token_settings.images);
        example_too_long::check(ctx, &tokens, token_settings);
    }
    ctx.facts.tokens = Some(tokens);
}

/// Once the file is read: what all its examples cost together.
pub fn check_file(ctx: &mut FileContext<'_>, stats: &FileStats) {
    if let Some(tokens) = &stats.tokens {
        dataset_too_large::check(ctx, tokens, stats.examples);
    }
}

/// Prices the images whose size the image rules read from their inline data (the token walk alone
/// only knows `low` detail under tiles): each one leaves the "unknown cost" count for `image_tokens`.
fn price_images_of_known_size(tokens: &mut ExampleTokens, images: &[ImageFact], cost: ImageCost) {
    for image in images {
        if cost.without_size(image.detail).is_some() || tokens.images_unknown_cost == 0 {
            continue; // already priced by the walk, or nothing left to price
        }
        if let Some(priced) =
            image.size.and_then(|(w, h)| crate::tokens::image_tokens(w, h, image.detail, cost))
        {
            tokens.add_image_tokens(priced);
            tokens.images_unknown_cost -= 1;
        }
    }
}
