//! Images inside fine-tuning records, read without decoding them: data URLs, base64, formats and
//! headers.
//!
//! Stage-independent helpers for the vision rules. A `data:` URL is split into its media type and
//! payload ([`DataUrl`]); the payload's base64 is validated with one table scan over its characters
//! ([`check_base64`]), its decoded size is computed from its length, and only the few bytes an
//! image header needs are decoded, on demand, from wherever in the payload they sit
//! ([`Base64Bytes`]). A JPEG with a 60 KB EXIF block before its frame header therefore costs a few
//! dozen decoded bytes, not 60 KB. The format is sniffed from the decoded bytes' signature
//! ([`ImageFormat::sniff`]) and the width, height and pixel mode are read from the header of PNG
//! (IHDR), JPEG (SOFn marker) and WEBP (VP8, VP8L, VP8X) files ([`read_header`]). GIF and a few
//! other formats are only recognised, so that they can be named when they are rejected.

use std::fmt;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

/// The `detail` of an image part: how finely the model sees the image, and what it costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Detail {
    /// The service picks `low` or `high` from the image's size; the default.
    #[default]
    Auto,
    /// A 512×512 rendering, 85 tokens flat.
    Low,
    /// 512-px tiles of the scaled image, 85 + 170 tokens per tile.
    High,
}

impl Detail {
    /// The detail a JSON string names; `None` for anything but `low`, `high` or `auto` (exact case).
    pub fn parse(value: &str) -> Option<Detail> {
        match value {
            "auto" => Some(Detail::Auto),
            "low" => Some(Detail::Low),
            "high" => Some(Detail::High),
            _ => None,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Detail::Auto => "auto",
            Detail::Low => "low",
            Detail::High => "high",
        }
    }
}

/// An image format, recognised from a media type or from the signature of the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Png,
    Jpeg,
    Webp,
    Gif,
    Bmp,
    Tiff,
    Heif,
    Avif,
    Svg,
}

impl ImageFormat {
    pub const fn name(self) -> &'static str {
        match self {
            ImageFormat::Png => "PNG",
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Webp => "WEBP",
            ImageFormat::Gif => "GIF",
            ImageFormat::Bmp => "BMP",
            ImageFormat::Tiff => "TIFF",
            ImageFormat::Heif => "HEIF/HEIC",
            ImageFormat::Avif => "AVIF",
            ImageFormat::Svg => "SVG",
        }
    }

    /// The canonical media type, as a data URL should declare it.
    pub const fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Webp => "image/webp",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Bmp => "image/bmp",
            ImageFormat::Tiff => "image/tiff",
            ImageFormat::Heif => "image/heic",
            ImageFormat::Avif => "image/avif",
            ImageFormat::Svg => "image/svg+xml",
        }
    }

    /// Whether vision fine-tuning accepts the format: JPEG, PNG and WEBP only (no GIF, unlike
    /// inference).
    pub const fn is_supported(self) -> bool {
        matches!(self, ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Webp)
    }

    /// The format a media type names, ignoring case. `image/jpg`, a common misspelling that browsers
    /// and most servers accept, counts as JPEG.
    pub fn from_media_type(media_type: &str) -> Option<ImageFormat> {
        let known: &[(&str, ImageFormat)] = &[
            ("image/png", ImageFormat::Png),
            ("image/jpeg", ImageFormat::Jpeg),
            ("image/jpg", ImageFormat::Jpeg),
            ("image/pjpeg", ImageFormat::Jpeg),
            ("image/webp", ImageFormat::Webp),
            ("image/gif", ImageFormat::Gif),
            ("image/bmp", ImageFormat::Bmp),
            ("image/x-ms-bmp", ImageFormat::Bmp),
            ("image/tiff", ImageFormat::Tiff),
            ("image/heic", ImageFormat::Heif),
            ("image/heif", ImageFormat::Heif),
            ("image/avif", ImageFormat::Avif),
            ("image/svg+xml", ImageFormat::Svg),
        ];
        known.iter().find(|(name, _)| name.eq_ignore_ascii_case(media_type)).map(|(_, format)| *format)
    }

    /// The format whose signature `head` (the first bytes of a file, 12 are enough) starts with.
    pub fn sniff(head: &[u8]) -> Option<ImageFormat> {
        if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if head.starts_with(b"\xff\xd8\xff") {
            Some(ImageFormat::Jpeg)
        } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
            Some(ImageFormat::Webp)
        } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
            Some(ImageFormat::Gif)
        } else if head.starts_with(b"BM") {
            Some(ImageFormat::Bmp)
        } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
            Some(ImageFormat::Tiff)
        } else if head.len() >= 12 && &head[4..8] == b"ftyp" {
            match &head[8..12] {
                b"avif" | b"avis" => Some(ImageFormat::Avif),
                b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"mif1" | b"msf1" => {
                    Some(ImageFormat::Heif)
                }
                _ => None,
            }
        } else if head.starts_with(b"<svg") || head.starts_with(b"<?xml") {
            Some(ImageFormat::Svg)
        } else {
            None
        }
    }
}

impl fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How an image stores its pixels, as far as its header tells; named like Pillow's image modes,
/// which is what the service's "RGB or RGBA image mode" refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PixelMode {
    Rgb,
    Rgba,
    Grayscale,
    GrayscaleAlpha,
    Palette,
    Cmyk,
}

impl PixelMode {
    pub const fn name(self) -> &'static str {
        match self {
            PixelMode::Rgb => "RGB",
            PixelMode::Rgba => "RGBA",
            PixelMode::Grayscale => "grayscale (L)",
            PixelMode::GrayscaleAlpha => "grayscale with alpha (LA)",
            PixelMode::Palette => "palette (P)",
            PixelMode::Cmyk => "CMYK",
        }
    }

    pub const fn is_rgb(self) -> bool {
        matches!(self, PixelMode::Rgb | PixelMode::Rgba)
    }
}

/// What an image's header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub mode: PixelMode,
}

/// Why a header could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// The data ends before the header does.
    Truncated,
    /// The header is there but breaks its format's rules.
    Invalid(&'static str),
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::Truncated => f.write_str("the data ends inside the image header"),
            HeaderError::Invalid(why) => f.write_str(why),
        }
    }
}

/// Random access to an image's bytes, so a header parser reads only what it needs.
pub trait ByteSource {
    /// Total length in bytes.
    fn len(&self) -> usize;

    /// `len` bytes from `offset`, or `None` when they run past the end.
    fn read(&mut self, offset: usize, len: usize) -> Option<&[u8]>;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl ByteSource for &[u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }

    fn read(&mut self, offset: usize, len: usize) -> Option<&[u8]> {
        self.get(offset..offset.checked_add(len)?)
    }
}

/// Reads exactly `N` bytes at `offset`.
fn take<const N: usize>(source: &mut dyn ByteSource, offset: usize) -> Result<[u8; N], HeaderError> {
    let bytes = source.read(offset, N).ok_or(HeaderError::Truncated)?;
    let mut out = [0; N];
    out.copy_from_slice(bytes);
    Ok(out)
}

/// The header of a PNG, JPEG or WEBP image. Other formats are not read.
pub fn read_header(source: &mut dyn ByteSource) -> Result<Header, HeaderError> {
    let head_len = source.len().min(12);
    let head = source.read(0, head_len).ok_or(HeaderError::Truncated)?;
    match ImageFormat::sniff(head) {
        Some(ImageFormat::Png) => png_header(source),
        Some(ImageFormat::Jpeg) => jpeg_header(source),
        Some(ImageFormat::Webp) => webp_header(source),
        _ => Err(HeaderError::Invalid("not a PNG, JPEG or WEBP image")),
    }
}

/// PNG: the signature, then the IHDR chunk, which must come first (PNG spec §5.6).
fn png_header(source: &mut dyn ByteSource) -> Result<Header, HeaderError> {
    let b: [u8; 29] = take(source, 0)?;
    let be32 = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    if &b[12..16] != b"IHDR" || be32(8) != 13 {
        return Err(HeaderError::Invalid("the PNG does not start with an IHDR chunk"));
    }
    let (width, height, depth, color) = (be32(16), be32(20), b[24], b[25]);
    if width == 0 || height == 0 || width > i32::MAX as u32 || height > i32::MAX as u32 {
        return Err(HeaderError::Invalid("the PNG header gives a width or height of 0 or over 2^31 - 1"));
    }
    let (mode, depths): (PixelMode, &[u8]) = match color {
        0 => (PixelMode::Grayscale, &[1, 2, 4, 8, 16]),
        2 => (PixelMode::Rgb, &[8, 16]),
        3 => (PixelMode::Palette, &[1, 2, 4, 8]),
        4 => (PixelMode::GrayscaleAlpha, &[8, 16]),
        6 => (PixelMode::Rgba, &[8, 16]),
        _ => return Err(HeaderError::Invalid("the PNG header has an unknown colour type")),
    };
    if !depths.contains(&depth) {
        return Err(HeaderError::Invalid("the PNG header's bit depth is not allowed for its colour type"));
    }
    if b[26] != 0 || b[27] != 0 || b[28] > 1 {
        return Err(HeaderError::Invalid(
            "the PNG header has an unknown compression, filter or interlace method",
        ));
    }
    Ok(Header { format: ImageFormat::Png, width, height, mode })
}

/// JPEG: walks the marker segments after SOI to the first start-of-frame (SOFn) marker, skipping
/// the others by their length without reading them (EXIF, ICC profiles and thumbnails can be tens of
/// kilobytes).
fn jpeg_header(source: &mut dyn ByteSource) -> Result<Header, HeaderError> {
    let mut pos = 2;
    loop {
        let [ff, mut marker] = take::<2>(source, pos)?;
        if ff != 0xFF {
            return Err(HeaderError::Invalid(
                "the JPEG has bytes between its segments where a marker should be",
            ));
        }
        // Any number of 0xFF fill bytes may precede a marker (ITU T.81 §B.1.1.2).
        while marker == 0xFF {
            pos += 1;
            marker = take::<2>(source, pos)?[1];
        }
        match marker {
            0x01 | 0xD0..=0xD7 => {
                pos += 2;
                continue;
            }
            0xD9 => return Err(HeaderError::Invalid("the JPEG ends (EOI) before any frame header")),
            0xDA => return Err(HeaderError::Invalid("the JPEG's scan data starts before any frame header")),
            0x00 | 0xD8 => {
                return Err(HeaderError::Invalid("the JPEG has an invalid marker before its frame header"))
            }
            _ => {}
        }
        let [hi, lo] = take::<2>(source, pos + 2)?;
        let length = usize::from(u16::from_be_bytes([hi, lo]));
        if length < 2 {
            return Err(HeaderError::Invalid(
                "the JPEG has a marker segment shorter than its own length field",
            ));
        }
        // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let [_precision, h1, h0, w1, w0, components] = take::<6>(source, pos + 4)?;
            let (height, width) = (u16::from_be_bytes([h1, h0]), u16::from_be_bytes([w1, w0]));
            if width == 0 || height == 0 {
                return Err(HeaderError::Invalid("the JPEG frame header gives a width or height of 0"));
            }
            let mode = match components {
                1 => PixelMode::Grayscale,
                3 => PixelMode::Rgb,
                // CMYK, or YCCK when an Adobe marker says so; Pillow opens both as CMYK.
                4 => PixelMode::Cmyk,
                _ => {
                    return Err(HeaderError::Invalid(
                        "the JPEG frame header has a component count other than 1, 3 or 4",
                    ))
                }
            };
            return Ok(Header {
                format: ImageFormat::Jpeg,
                width: width.into(),
                height: height.into(),
                mode,
            });
        }
        pos += 2 + length;
    }
}

/// WEBP: the RIFF header, then the first chunk: `VP8 ` (lossy), `VP8L` (lossless) or `VP8X`
/// (extended, with a canvas size and flags), per Google's WebP container specification.
fn webp_header(source: &mut dyn ByteSource) -> Result<Header, HeaderError> {
    let chunk: [u8; 4] = take(source, 12)?;
    let header = |width: u32, height: u32, mode: PixelMode| {
        if width == 0 || height == 0 {
            Err(HeaderError::Invalid("the WEBP header gives a width or height of 0"))
        } else {
            Ok(Header { format: ImageFormat::Webp, width, height, mode })
        }
    };
    match &chunk {
        b"VP8 " => {
            let b: [u8; 10] = take(source, 20)?;
            if b[0] & 1 != 0 || b[3..6] != [0x9D, 0x01, 0x2A] {
                return Err(HeaderError::Invalid("the WEBP's VP8 data does not start with a key frame"));
            }
            let width = u16::from_le_bytes([b[6], b[7]]) & 0x3FFF;
            let height = u16::from_le_bytes([b[8], b[9]]) & 0x3FFF;
            header(width.into(), height.into(), PixelMode::Rgb)
        }
        b"VP8L" => {
            let b: [u8; 5] = take(source, 20)?;
            let bits = u32::from_le_bytes([b[1], b[2], b[3], b[4]]);
            if b[0] != 0x2F || bits >> 29 != 0 {
                return Err(HeaderError::Invalid("the WEBP's VP8L data has a bad signature or version"));
            }
            let alpha = bits >> 28 & 1 == 1;
            let mode = if alpha { PixelMode::Rgba } else { PixelMode::Rgb };
            header((bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1, mode)
        }
        b"VP8X" => {
            let b: [u8; 10] = take(source, 20)?;
            let le24 = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], 0]);
            let mode = if b[0] & 0x10 != 0 { PixelMode::Rgba } else { PixelMode::Rgb };
            header(le24(4) + 1, le24(7) + 1, mode)
        }
        _ => Err(HeaderError::Invalid("the WEBP's first chunk is not VP8, VP8L or VP8X")),
    }
}

/// The parts of a `data:` URL (RFC 2397): `data:[<media type>][;param=value]*[;base64],<data>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataUrl<'a> {
    /// The media type without parameters, as written (empty when left out).
    pub media_type: &'a str,
    pub base64: bool,
    /// Everything after the first comma.
    pub payload: &'a str,
}

impl<'a> DataUrl<'a> {
    /// Splits a URL that starts with `data:` (any case); `None` if it does not, or has no comma.
    pub fn parse(url: &'a str) -> Option<DataUrl<'a>> {
        let rest = url.get(..5).filter(|scheme| scheme.eq_ignore_ascii_case("data:")).map(|_| &url[5..])?;
        let (meta, payload) = rest.split_once(',')?;
        let mut parts = meta.split(';');
        let media_type = parts.next().unwrap_or("").trim();
        let base64 = parts.any(|p| p.trim().eq_ignore_ascii_case("base64"));
        Some(DataUrl { media_type, base64, payload })
    }
}

/// Why a base64 payload is not valid standard base64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base64Error {
    /// There is no data at all.
    Empty,
    /// A byte outside the standard alphabet (`A-Z a-z 0-9 + /`), or `=` before the end.
    InvalidByte { offset: usize, byte: u8 },
    /// The length leaves one character over, which encodes no whole byte.
    InvalidLength,
    /// Too much padding, or padding that does not complete the last group of four characters.
    InvalidPadding,
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Base64Error::Empty => f.write_str("the base64 data is empty"),
            Base64Error::InvalidByte { offset, byte } => {
                let shown = match byte {
                    b' ' => "a space".to_owned(),
                    b'\n' => "a line feed".to_owned(),
                    b'\r' => "a carriage return".to_owned(),
                    b'\t' => "a tab".to_owned(),
                    0x21..=0x7E => format!("`{}`", char::from(byte)),
                    _ => format!("the byte 0x{byte:02X}"),
                };
                write!(
                    f,
                    "the base64 data has {shown} at character {}, which is not in the base64 alphabet",
                    offset + 1
                )
            }
            Base64Error::InvalidLength => {
                f.write_str("the base64 data's length leaves one character over (it looks cut short)")
            }
            Base64Error::InvalidPadding => f.write_str("the base64 data has wrong `=` padding at its end"),
        }
    }
}

/// Which bytes are in the standard base64 alphabet.
const ALPHABET: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
        i += 1;
    }
    table
};

/// The offset of the first byte of `body` outside the alphabet. Checks 64 bytes at a time without a
/// branch per byte, so the compiler can vectorise the common case of a valid payload.
fn first_invalid(body: &[u8]) -> Option<usize> {
    let mut chunks = body.chunks_exact(64);
    let mut base = 0;
    for chunk in chunks.by_ref() {
        if !chunk.iter().fold(true, |ok, &b| ok & ALPHABET[usize::from(b)]) {
            return chunk.iter().position(|&b| !ALPHABET[usize::from(b)]).map(|i| base + i);
        }
        base += 64;
    }
    chunks.remainder().iter().position(|&b| !ALPHABET[usize::from(b)]).map(|i| base + i)
}

/// Validates a base64 payload without decoding it and returns the payload without its padding and
/// the decoded length. Padding is optional (as most decoders accept), but when present it must be
/// right; non-zero bits in the last character are accepted, as Python's and browsers' decoders do.
pub fn check_base64(payload: &[u8]) -> Result<(&[u8], usize), Base64Error> {
    if payload.is_empty() {
        return Err(Base64Error::Empty);
    }
    let padding = payload.iter().rev().take_while(|&&b| b == b'=').count();
    let body = &payload[..payload.len() - padding];
    if let Some(offset) = first_invalid(body) {
        return Err(Base64Error::InvalidByte { offset, byte: body[offset] });
    }
    if body.len() % 4 == 1 {
        return Err(Base64Error::InvalidLength);
    }
    if padding > 2 || (padding > 0 && payload.len() % 4 != 0) || body.is_empty() {
        return Err(Base64Error::InvalidPadding);
    }
    let decoded = body.len() / 4 * 3 + [0, 0, 1, 2][body.len() % 4];
    Ok((body, decoded))
}

/// Standard alphabet; unpadded final groups (the caller strips padding) and non-canonical trailing
/// bits are accepted, matching [`check_base64`].
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The decoded bytes of a validated base64 payload, decoded only where they are read.
pub struct Base64Bytes<'a> {
    body: &'a [u8],
    len: usize,
    buffer: Vec<u8>,
}

impl<'a> Base64Bytes<'a> {
    /// `body` and `len` as [`check_base64`] returns them.
    pub fn new(body: &'a [u8], len: usize) -> Self {
        Base64Bytes { body, len, buffer: Vec::new() }
    }
}

impl ByteSource for Base64Bytes<'_> {
    fn len(&self) -> usize {
        self.len
    }

    fn read(&mut self, offset: usize, len: usize) -> Option<&[u8]> {
        let end = offset.checked_add(len)?;
        if end > self.len {
            return None;
        }
        if len == 0 {
            return Some(&[]);
        }
        // Every 4 characters decode to 3 bytes, so bytes [offset, end) come from the groups
        // offset / 3 through (end - 1) / 3 alone.
        let (first, last) = (offset / 3, (end - 1) / 3);
        let chars = &self.body[first * 4..self.body.len().min((last + 1) * 4)];
        self.buffer.clear();
        ENGINE.decode_vec(chars, &mut self.buffer).ok()?;
        let start = offset - first * 3;
        self.buffer.get(start..start + len)
    }
}

/// What a base64 image payload turned out to hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspection {
    /// The decoded size in bytes.
    pub decoded_len: usize,
    /// Up to the first 12 decoded bytes, for naming what they are when they are no image.
    pub head: Vec<u8>,
    /// The format the bytes' signature shows.
    pub format: Option<ImageFormat>,
    /// The header, for the supported formats.
    pub header: Option<Result<Header, HeaderError>>,
}

/// Validates a base64 payload and reads the image header from it, decoding only the bytes needed.
pub fn inspect_base64(payload: &[u8]) -> Result<Inspection, Base64Error> {
    let (body, decoded_len) = check_base64(payload)?;
    Ok(inspect(&mut Base64Bytes::new(body, decoded_len)))
}

/// Sniffs the format of an image's bytes and reads its header when the format is supported.
pub fn inspect(source: &mut dyn ByteSource) -> Inspection {
    let decoded_len = source.len();
    let head = source.read(0, decoded_len.min(12)).map(<[u8]>::to_vec).unwrap_or_default();
    let format = ImageFormat::sniff(&head);
    let header = format.filter(|f| f.is_supported()).map(|_| read_header(source));
    Inspection { decoded_len, head, format, header }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A real 1×1 RGB PNG: signature, IHDR, one IDAT with a zlib stream, IEND. `color` picks the
    /// colour type and `depth` the bit depth; the IDAT is only right for the 8-bit RGB case, which
    /// is all a header reader needs.
    pub fn png(width: u32, height: u32, depth: u8, color: u8) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[depth, color, 0, 0, 0]);
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x63, 0x60, 0x60, 0x60, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01]);
        chunk(&mut out, b"IEND", &[]);
        out
    }

    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        // The CRC is not checked by the header reader; a fixed value keeps the builder short.
        out.extend_from_slice(&[0, 0, 0, 0]);
    }

    /// A baseline JPEG's markers up to its frame header, with an APP1 segment of `app1` bytes
    /// before it (as EXIF data would be).
    pub fn jpeg(width: u16, height: u16, components: u8, app1: usize) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        out.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&u16::try_from(app1 + 2).unwrap().to_be_bytes());
        out.extend(std::iter::repeat_n(0xAB, app1));
        out.extend_from_slice(&[0xFF, 0xFF, 0xC0]); // a fill byte before SOF0
        let length = 8 + 3 * u16::from(components);
        out.extend_from_slice(&length.to_be_bytes());
        out.push(8);
        out.extend_from_slice(&height.to_be_bytes());
        out.extend_from_slice(&width.to_be_bytes());
        out.push(components);
        for id in 1..=components {
            out.extend_from_slice(&[id, 0x11, 0]);
        }
        out.extend_from_slice(&[0xFF, 0xD9]);
        out
    }

    fn riff(chunk_kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&u32::try_from(12 + data.len()).unwrap().to_le_bytes());
        out.extend_from_slice(b"WEBP");
        out.extend_from_slice(chunk_kind);
        out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
        out.extend_from_slice(data);
        out
    }

    pub fn webp_lossy(width: u16, height: u16) -> Vec<u8> {
        let mut data = vec![0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A];
        data.extend_from_slice(&width.to_le_bytes());
        data.extend_from_slice(&height.to_le_bytes());
        data.extend_from_slice(&[0; 8]);
        riff(b"VP8 ", &data)
    }

    pub fn webp_lossless(width: u32, height: u32, alpha: bool) -> Vec<u8> {
        let bits = (width - 1) | (height - 1) << 14 | u32::from(alpha) << 28;
        let mut data = vec![0x2F];
        data.extend_from_slice(&bits.to_le_bytes());
        riff(b"VP8L", &data)
    }

    pub fn webp_extended(width: u32, height: u32, alpha: bool) -> Vec<u8> {
        let mut data = vec![if alpha { 0x10 } else { 0 }, 0, 0, 0];
        data.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
        data.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
        riff(b"VP8X", &data)
    }

    fn header(mut bytes: &[u8]) -> Result<Header, HeaderError> {
        read_header(&mut bytes)
    }

    fn encode(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn png_headers_give_size_and_mode() {
        let h = header(&png(640, 480, 8, 2)).unwrap();
        assert_eq!((h.format, h.width, h.height, h.mode), (ImageFormat::Png, 640, 480, PixelMode::Rgb));
        assert_eq!(header(&png(1, 1, 8, 6)).unwrap().mode, PixelMode::Rgba);
        assert_eq!(header(&png(1, 1, 16, 0)).unwrap().mode, PixelMode::Grayscale);
        assert_eq!(header(&png(1, 1, 4, 3)).unwrap().mode, PixelMode::Palette);
        assert_eq!(header(&png(1, 1, 8, 4)).unwrap().mode, PixelMode::GrayscaleAlpha);
        assert!(matches!(header(&png(0, 1, 8, 2)), Err(HeaderError::Invalid(_))));
        assert!(matches!(header(&png(1, 1, 4, 2)), Err(HeaderError::Invalid(_))), "RGB needs depth 8 or 16");
        assert!(matches!(header(&png(1, 1, 8, 5)), Err(HeaderError::Invalid(_))));
        assert_eq!(header(&png(1, 1, 8, 2)[..20]), Err(HeaderError::Truncated));
    }

    #[test]
    fn jpeg_headers_skip_segments_to_the_frame_header() {
        let h = header(&jpeg(1024, 768, 3, 100)).unwrap();
        assert_eq!((h.format, h.width, h.height, h.mode), (ImageFormat::Jpeg, 1024, 768, PixelMode::Rgb));
        assert_eq!(header(&jpeg(8, 8, 1, 0)).unwrap().mode, PixelMode::Grayscale);
        assert_eq!(header(&jpeg(8, 8, 4, 0)).unwrap().mode, PixelMode::Cmyk);
        assert!(matches!(header(&jpeg(0, 8, 3, 0)), Err(HeaderError::Invalid(_))));
        assert!(matches!(header(&jpeg(8, 8, 2, 0)), Err(HeaderError::Invalid(_))));
        let whole = jpeg(8, 8, 3, 0);
        assert_eq!(header(&whole[..whole.len() - 12]), Err(HeaderError::Truncated));
        // Scan data before any frame header.
        assert!(matches!(header(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]), Err(HeaderError::Invalid(_))));
        // Garbage where a marker should be.
        assert!(matches!(header(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 2, 0x12, 0x34]), Err(HeaderError::Invalid(_))));
    }

    #[test]
    fn webp_headers_of_all_three_kinds() {
        let h = header(&webp_lossy(300, 200)).unwrap();
        assert_eq!((h.format, h.width, h.height, h.mode), (ImageFormat::Webp, 300, 200, PixelMode::Rgb));
        let h = header(&webp_lossless(16383, 2, true)).unwrap();
        assert_eq!((h.width, h.height, h.mode), (16383, 2, PixelMode::Rgba));
        assert_eq!(header(&webp_lossless(5, 7, false)).unwrap().mode, PixelMode::Rgb);
        let h = header(&webp_extended(16_777_216, 3, true)).unwrap();
        assert_eq!((h.width, h.height, h.mode), (16_777_216, 3, PixelMode::Rgba));
        assert_eq!(header(&webp_extended(4, 3, false)).unwrap().mode, PixelMode::Rgb);
        assert!(matches!(header(&webp_lossy(0, 5)), Err(HeaderError::Invalid(_))));
        assert!(matches!(header(&riff(b"ALPH", &[0; 10])), Err(HeaderError::Invalid(_))));
    }

    #[test]
    fn sniffing_names_unsupported_formats() {
        assert_eq!(ImageFormat::sniff(b"GIF89a\x01\0\x01\0"), Some(ImageFormat::Gif));
        assert_eq!(ImageFormat::sniff(b"BM\0\0"), Some(ImageFormat::Bmp));
        assert_eq!(ImageFormat::sniff(b"\0\0\0\x18ftypheic"), Some(ImageFormat::Heif));
        assert_eq!(ImageFormat::sniff(b"\0\0\0\x1cftypavif"), Some(ImageFormat::Avif));
        assert_eq!(ImageFormat::sniff(b"<svg xmlns"), Some(ImageFormat::Svg));
        assert_eq!(ImageFormat::sniff(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(ImageFormat::sniff(b"hello"), None);
        assert!(!ImageFormat::Gif.is_supported());
        assert_eq!(ImageFormat::from_media_type("IMAGE/JPG"), Some(ImageFormat::Jpeg));
        assert_eq!(ImageFormat::from_media_type("application/octet-stream"), None);
    }

    #[test]
    fn data_urls_split_into_media_type_flag_and_payload() {
        let url = DataUrl::parse("data:image/png;base64,iVBOR").unwrap();
        assert_eq!((url.media_type, url.base64, url.payload), ("image/png", true, "iVBOR"));
        let url = DataUrl::parse("DATA:image/jpeg;name=a.jpg;BASE64,/9j/").unwrap();
        assert_eq!((url.media_type, url.base64, url.payload), ("image/jpeg", true, "/9j/"));
        let url = DataUrl::parse("data:,hello").unwrap();
        assert_eq!((url.media_type, url.base64), ("", false));
        assert_eq!(DataUrl::parse("data:image/png;base64"), None);
        assert_eq!(DataUrl::parse("https://x/data:,"), None);
        assert_eq!(DataUrl::parse("dat"), None);
    }

    #[test]
    fn base64_validation_and_decoded_length() {
        for bytes in [&b"a"[..], b"ab", b"abc", b"abcd", &[0xFF; 100]] {
            let text = encode(bytes);
            assert_eq!(check_base64(text.as_bytes()).unwrap().1, bytes.len(), "{text}");
            let unpadded = text.trim_end_matches('=');
            assert_eq!(check_base64(unpadded.as_bytes()).unwrap().1, bytes.len(), "{unpadded}");
        }
        assert_eq!(check_base64(b""), Err(Base64Error::Empty));
        assert_eq!(check_base64(b"===="), Err(Base64Error::InvalidPadding));
        assert_eq!(check_base64(b"abcde"), Err(Base64Error::InvalidLength));
        assert_eq!(check_base64(b"ab==="), Err(Base64Error::InvalidPadding));
        assert_eq!(check_base64(b"abc=="), Err(Base64Error::InvalidPadding));
        assert_eq!(check_base64(b"ab=c"), Err(Base64Error::InvalidByte { offset: 2, byte: b'=' }));
        let mut long = "A".repeat(200);
        long.replace_range(130..131, "-");
        assert_eq!(check_base64(long.as_bytes()), Err(Base64Error::InvalidByte { offset: 130, byte: b'-' }));
        assert!(Base64Error::InvalidByte { offset: 0, byte: b' ' }
            .to_string()
            .contains("a space at character 1"));
    }

    #[test]
    fn base64_bytes_decode_any_window_like_a_full_decode() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let text = encode(&bytes);
        let (body, len) = check_base64(text.as_bytes()).unwrap();
        let mut source = Base64Bytes::new(body, len);
        for offset in [0, 1, 2, 3, 500, 997, 999] {
            for n in [0, 1, 2, 3, 4, 7] {
                let expected = bytes.get(offset..offset + n);
                assert_eq!(source.read(offset, n), expected, "offset {offset} len {n}");
            }
        }
        assert_eq!(source.read(999, 2), None);
        assert_eq!(source.read(usize::MAX, 2), None);
    }

    #[test]
    fn inspection_reads_headers_through_base64() {
        let jpeg = jpeg(320, 240, 4, 60_000);
        let seen = inspect_base64(encode(&jpeg).as_bytes()).unwrap();
        assert_eq!(seen.decoded_len, jpeg.len());
        assert_eq!(seen.format, Some(ImageFormat::Jpeg));
        let h = seen.header.unwrap().unwrap();
        assert_eq!((h.width, h.height, h.mode), (320, 240, PixelMode::Cmyk));

        let gif = inspect_base64(encode(b"GIF89a\x01\0\x01\0\0\0\0;").as_bytes()).unwrap();
        assert_eq!((gif.format, gif.header), (Some(ImageFormat::Gif), None));

        let text = inspect_base64(encode(b"<html>").as_bytes()).unwrap();
        assert_eq!((text.format, text.head), (None, b"<html>".to_vec()));

        let cut = inspect_base64(encode(&png(2, 2, 8, 2)[..16]).as_bytes()).unwrap();
        assert_eq!(cut.header, Some(Err(HeaderError::Truncated)));
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_inspect_without_panicking(
            signature in prop::sample::select(vec![
                &b""[..], b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF\0\0\0\0WEBPVP8 ",
                b"RIFF\0\0\0\0WEBPVP8L", b"RIFF\0\0\0\0WEBPVP8X", b"GIF89a",
            ]),
            tail in proptest::collection::vec(any::<u8>(), 0..120),
        ) {
            let bytes = [signature, &tail[..]].concat();
            let seen = inspect(&mut &bytes[..]);
            prop_assert_eq!(seen.decoded_len, bytes.len());
            // The same bytes read through base64 give the same answer.
            prop_assert_eq!(inspect_base64(encode(&bytes).as_bytes()).ok(), (!bytes.is_empty()).then_some(seen));
        }

        #[test]
        fn any_base64_like_text_checks_without_panicking(text in "[A-Za-z0-9+/=_\\- \n]{0,80}") {
            let _ = inspect_base64(text.as_bytes());
        }
    }
}
