//! FT006 `compressed-file`: a file of compressed data (gzip, zstd, bzip2, xz or zip) instead of JSONL text.

use crate::context::FileContext;
use crate::diagnostic::Span;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT006 compressed-file

## What it does
Reports a file whose bytes are compressed data instead of JSONL text: it starts with the signature
of gzip (`1F 8B`), zstd (`28 B5 2F FD`), bzip2 (`BZh`), xz (`FD 37 7A 58 5A 00`) or zip
(`PK 03 04`). Nothing else of the file is checked: every line of it would be invalid UTF-8 or JSON,
which says nothing useful.

`ftlint check` reads a gzip file named `*.gz` and a zstd file named `*.zst` (`train.jsonl.gz`,
`train.jsonl.zst`) through their decompression instead, checks the JSONL inside, and warns that
the services take it uncompressed; this rule names the compressed files whose name hides what they
are (`upload.jsonl` holding gzip data) and the formats ftlint does not read. `ftlint fix` never
rewrites a compressed file.

## Why it matters
The fine-tuning services take JSONL text; an upload of `train.jsonl.gz`, or of a compressed file
saved under a `.jsonl` name, fails validation. Dataset repositories often keep their files
compressed, so this is an easy file to pick by mistake.

## Example
`gzip -k train.jsonl && mv train.jsonl.gz upload.jsonl`: the first bytes of `upload.jsonl` are
`1F 8B 08`.

## How to fix
Decompress the file before checking and uploading it: `gunzip -k train.jsonl.gz`,
`zstd -d train.jsonl.zst`, `bunzip2 -k`, `unxz -k`, or `unzip` for a zip archive.
"#;

pub const FIX: &str = "decompress the file first (e.g. `gunzip -k FILE.gz`, `zstd -d FILE.zst`)";

/// The compressed formats ftlint recognises, by the signature their files start with.
const SIGNATURES: &[(&[u8], &str, &str)] = &[
    (b"\x1F\x8B", "gzip", "gunzip -k FILE"),
    (b"\x28\xB5\x2F\xFD", "zstd", "zstd -d FILE"),
    (b"BZh", "bzip2", "bunzip2 -k FILE"),
    (b"\xFD7zXZ\x00", "xz", "unxz -k FILE"),
    (b"PK\x03\x04", "zip", "unzip FILE"),
];

/// The compressed format `bytes` start with, if any: its name and the command that decompresses it.
pub fn format_of(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    SIGNATURES
        .iter()
        .find(|(signature, _, _)| bytes.starts_with(signature))
        .map(|&(_, format, command)| (format, command))
}

/// Reports a file that starts with a compression signature; `head` is the file's first bytes.
/// Returns true when it did, and the file's lines are not worth checking.
pub fn check(ctx: &mut FileContext<'_>, head: &[u8]) -> bool {
    let Some((signature, format, command)) =
        SIGNATURES.iter().find(|(signature, _, _)| head.starts_with(signature))
    else {
        return false;
    };
    ctx.report(Rule::CompressedFile, Span::new(0, signature.len() as u64))
        .message(format!(
            "file is {format}-compressed data, not JSONL text; the service takes uncompressed JSONL"
        ))
        .help(format!("decompress it first (`{command}`), then check and upload the result"));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signature_is_named_and_json_text_is_not() {
        let cases: [(&[u8], &str); 5] = [
            (b"\x1F\x8B\x08\x00", "gzip"),
            (b"\x28\xB5\x2F\xFD\x00", "zstd"),
            (b"BZh91AY", "bzip2"),
            (b"\xFD7zXZ\x00\x00", "xz"),
            (b"PK\x03\x04\x14", "zip"),
        ];
        for (bytes, name) in cases {
            assert_eq!(format_of(bytes).map(|(format, _)| format), Some(name));
        }
        for text in [&b"{\"messages\": []}"[..], b"\xEF\xBB\xBF{}", b"", b"\x1F"] {
            assert_eq!(format_of(text), None);
        }
    }
}
