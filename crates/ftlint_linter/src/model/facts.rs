//! What the check of one record leaves for the stages after it: its format, its images, its tokens.
//!
//! The record checker fills these in on a worker thread; the file-wide stages (the image tallies,
//! the dataset stage, the token statistics) read them in line order.

use crate::model::image::Detail;
use crate::model::shape::Format;

/// What the dataset stage needs to know about a record once its line is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordFacts {
    /// The format the record was checked as; `None` when its shape fits none.
    pub format: Option<Format>,
    /// Image parts in the record.
    pub images: u32,
    /// The record's tokens and tallies (messages, images, tools); every token figure is 0 when
    /// counting is off. `None` when the record's shape fits no format.
    pub tokens: Option<crate::tokens::ExampleTokens>,
    /// One entry per image part, in order, for the token report. Empty (no allocation) for the
    /// text-only records that make up most datasets.
    pub image_sizes: Vec<ImageFact>,
    /// Image parts whose URL is `http(s)://`, which cannot be checked offline.
    pub remote_images: u32,
}

/// What one image part costs to train on: its size when its header could be read, and its detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageFact {
    /// Width and height in pixels; `None` for remote images and unreadable data.
    pub size: Option<(u32, u32)>,
    pub detail: Detail,
}
