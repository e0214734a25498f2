//! What an image costs in tokens (docs/service-rules.md §3, from OpenAI's vision guide,
//! "Calculating costs").
//!
//! Two schemes exist, chosen by the model. gpt-4o and gpt-4.1 (and gpt-4o-mini, at far higher
//! prices per tile) cut the image into 512-pixel tiles: a flat base for `detail: "low"`, and base +
//! per-tile tokens otherwise. gpt-4.1-mini, gpt-4.1-nano and o4-mini cover the image with 32-pixel
//! patches (at most 1,536) and multiply the patch count by a per-model factor; `detail` does not
//! enter their formula. gpt-3.5-turbo takes no images at all.
//!
//! These are pure functions of the size: reading the size out of inline image data is the job of
//! the image module, and an `https://` image's size cannot be known offline at all.

/// The `detail` of an image part. `auto` lets the service pick; its cost is not documented, so
/// ftlint prices it as `high`, the upper bound.
pub use crate::model::image::Detail;

/// How a model prices images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageCost {
    /// 512-pixel tiles: `low` is `base`, otherwise `base + tile × tiles`.
    Tiles { base: u32, tile: u32 },
    /// 32-pixel patches, at most 1,536, times `multiplier_milli / 1000`, rounded up.
    Patches { multiplier_milli: u32 },
    /// The model takes no images.
    NoImages,
}

impl ImageCost {
    /// The cost of an image whose size is unknown, where the scheme does not need it: `low` detail
    /// under tiles. `None` when the size decides the cost.
    pub fn without_size(self, detail: Detail) -> Option<u32> {
        match (self, detail) {
            (ImageCost::Tiles { base, .. }, Detail::Low) => Some(base),
            _ => None,
        }
    }
}

/// Tokens of one image of `width` × `height` pixels under `cost` (a model's [`ImageCost`], e.g.
/// `resolve("gpt-4.1").unwrap().images`); `None` for a model that takes no images.
///
/// Tiles: scale down to fit in 2048 × 2048, then scale down so the shortest side is 768, then count
/// 512-pixel tiles. The docs do not say whether a smaller image is scaled *up* to 768
/// (docs/service-rules.md §8); ftlint follows the public implementations that only scale down,
/// which gives the lower count for small images. Scaled sides are rounded down, as those
/// implementations do.
///
/// Patches: `ceil(w/32) × ceil(h/32)`; over 1,536, the image is scaled by
/// `r = sqrt(32² × 1536 / (w × h))`, shrunk further so a whole number of patches fits each side,
/// and counted again (capped at 1,536).
pub fn image_tokens(width: u32, height: u32, detail: Detail, cost: ImageCost) -> Option<u32> {
    match cost {
        ImageCost::NoImages => None,
        ImageCost::Tiles { base, tile } => {
            if detail == Detail::Low {
                return Some(base);
            }
            Some(base.saturating_add(tile.saturating_mul(tiles(width, height))))
        }
        ImageCost::Patches { multiplier_milli } => {
            let patches = u64::from(patches(width, height));
            let tokens = (patches * u64::from(multiplier_milli)).div_ceil(1000);
            Some(u32::try_from(tokens).unwrap_or(u32::MAX))
        }
    }
}

fn tiles(width: u32, height: u32) -> u32 {
    // Rounded down, but a side that was there stays at least a pixel: a 1-pixel-high strip still
    // covers a row of tiles.
    let scaled = |side: f64, scale: f64| if side > 0.0 { (side * scale).floor().max(1.0) } else { 0.0 };
    let (mut w, mut h) = (f64::from(width), f64::from(height));
    if w > 2048.0 || h > 2048.0 {
        let scale = 2048.0 / w.max(h);
        (w, h) = (scaled(w, scale), scaled(h, scale));
    }
    if w.min(h) > 768.0 {
        let scale = 768.0 / w.min(h);
        (w, h) = (scaled(w, scale), scaled(h, scale));
    }
    // At most 4 × 4 tiles after scaling, so the cast cannot overflow.
    ((w / 512.0).ceil() * (h / 512.0).ceil()) as u32
}

const MAX_PATCHES: f64 = 1536.0;

fn patches(width: u32, height: u32) -> u32 {
    let (w, h) = (f64::from(width), f64::from(height));
    let raw = (w / 32.0).ceil() * (h / 32.0).ceil();
    if raw <= MAX_PATCHES {
        return raw as u32;
    }
    let mut r = (32.0 * 32.0 * MAX_PATCHES / (w * h)).sqrt();
    let (pw, ph) = (w * r / 32.0, h * r / 32.0);
    r *= (pw.floor() / pw).min(ph.floor() / ph);
    let scaled = ((w * r / 32.0).ceil() * (h * r / 32.0).ceil()).min(MAX_PATCHES);
    scaled as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::models::resolve;

    fn cost(model: &str) -> ImageCost {
        resolve(model).unwrap().images
    }

    #[test]
    fn tiles_match_the_documented_examples() {
        for model in ["gpt-4o", "gpt-4.1"] {
            let c = cost(model);
            // 1024² → 768² → 4 tiles.
            assert_eq!(image_tokens(1024, 1024, Detail::High, c), Some(765));
            // 2048×4096 → 1024×2048 → 768×1536 → 6 tiles.
            assert_eq!(image_tokens(2048, 4096, Detail::High, c), Some(1105));
            assert_eq!(image_tokens(2048, 4096, Detail::Low, c), Some(85));
            assert_eq!(image_tokens(4096, 8192, Detail::Auto, c), Some(1105));
            // Small images are not scaled up: one tile.
            assert_eq!(image_tokens(300, 200, Detail::Auto, c), Some(255));
            assert_eq!(image_tokens(0, 0, Detail::High, c), Some(85));
            assert_eq!(image_tokens(u32::MAX, 1, Detail::High, c), Some(85 + 170 * 4));
            assert_eq!(image_tokens(u32::MAX, u32::MAX, Detail::High, c), Some(85 + 170 * 4));
        }
        // gpt-4o-mini: the same tiles at 2,833 + 5,667 each.
        assert_eq!(image_tokens(1024, 1024, Detail::High, cost("gpt-4o-mini")), Some(2833 + 4 * 5667));
        assert_eq!(image_tokens(1024, 1024, Detail::Low, cost("gpt-4o-mini")), Some(2833));
    }

    #[test]
    fn patches_match_the_documented_examples() {
        // 1024² → 32 × 32 = 1,024 patches, under the cap.
        assert_eq!(patches(1024, 1024), 1024);
        // 1800×2400 → 57 × 75 = 4,275 patches → scaled to 1056×1408 → 33 × 44 = 1,452.
        assert_eq!(patches(1800, 2400), 1452);
        assert_eq!(patches(0, 0), 0);
        assert!(patches(u32::MAX, u32::MAX) <= 1536);
        assert!(patches(u32::MAX, 1) <= 1536);
        // × 1.62 for gpt-4.1-mini, rounded up; detail does not matter.
        assert_eq!(image_tokens(1024, 1024, Detail::Low, cost("gpt-4.1-mini")), Some(1659));
        assert_eq!(image_tokens(1024, 1024, Detail::High, cost("gpt-4.1-nano")), Some(2520));
        assert_eq!(image_tokens(1800, 2400, Detail::High, cost("o4-mini")), Some(2498));
    }

    #[test]
    fn models_without_images_and_unknown_sizes() {
        assert_eq!(image_tokens(512, 512, Detail::High, cost("gpt-35-turbo")), None);
        assert_eq!(cost("gpt-4.1").without_size(Detail::Low), Some(85));
        assert_eq!(cost("gpt-4.1").without_size(Detail::Auto), None);
        assert_eq!(cost("gpt-4.1-mini").without_size(Detail::Low), None);
        assert_eq!(Detail::default(), Detail::Auto, "a missing detail is auto");
        assert_eq!(Detail::parse("low"), Some(Detail::Low));
    }
}
