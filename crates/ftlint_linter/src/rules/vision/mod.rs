//! Rules about images in vision fine-tuning examples (FT3xx).
//!
//! Each file holds one rule's docs, fix text and detection. The vision checker
//! ([`crate::checkers::vision`]) finds every `{"type": "image_url", ...}` part of a record and runs
//! them over it, in order; the file-wide ones (image examples per file, remote images) count what
//! the records' facts say and report once the file is read.

pub mod corrupt_image;
pub mod image_media_type_mismatch;
pub mod image_too_large;
pub mod invalid_data_url;
pub mod invalid_image_detail;
pub mod invalid_image_url;
pub mod non_rgb_image;
pub mod remote_images;
pub mod too_many_image_examples;
pub mod too_many_images;
pub mod unsupported_image_format;
pub mod unsupported_image_url;
