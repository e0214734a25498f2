//! Credentials and personal data inside text: what each kind looks like, and one scan that finds
//! them all.
//!
//! The scan has two steps so that a clean record costs one pass over its raw bytes and nothing
//! else. [`Scanner::may_contain`] runs one Aho-Corasick search (SIMD "Teddy" for this handful of
//! literals) for the fixed prefix every credential starts with (`sk-`, `AKIA`, `ghp_`, `eyJ`, …)
//! over the record's text as written; only a record with such a prefix has its strings read one by
//! one with the regular expression of each kind ([`Scanner::find`]), on the decoded text, so a
//! secret written with JSON escapes inside it (a PEM block's `\n`) is found whole.
//!
//! Every pattern is of the "high confidence" sort: a fixed prefix and a body of the length and
//! alphabet the issuer documents. A match must also stand alone: the characters on either side may
//! not belong to a token (letters, digits, `+ / _ -`), which keeps the prefixes that occur by chance
//! inside base64 image data and longer identifiers from counting. Documented placeholder keys
//! (AWS's `…EXAMPLE`) are skipped. E-mail addresses and phone numbers have no fixed prefix worth
//! the name (an `@`, or none at all); they are looked for only when their rules are on.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

/// The code point ranges of the scripts written without spaces between words (Thai, Lao, Myanmar,
/// Khmer, kana, Han), as the inside of a regex class. A letter of these never joins an e-mail
/// address: the text around an address in them runs straight into it.
macro_rules! unspaced_scripts {
    () => {
        r"\x{0E00}-\x{0EFF}\x{1000}-\x{109F}\x{1780}-\x{17FF}\x{3040}-\x{30FF}\x{31F0}-\x{31FF}\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{F900}-\x{FAFF}\x{FF66}-\x{FF9F}\x{20000}-\x{3FFFF}"
    };
}

/// Whether `c` is one of [`unspaced_scripts!`].
fn in_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF | 0x3040..=0x30FF | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F | 0x20000..=0x3FFFF)
}

/// Whether `c` may be part of an e-mail address next to a match: a letter or digit of a spaced
/// script, or one of the local part's ASCII extras.
fn continues_address(c: char) -> bool {
    (c.is_alphanumeric() && !in_unspaced_script(c)) || matches!(c, '.' | '_' | '%' | '+' | '-')
}

/// What a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    OpenAiKey,
    AwsAccessKeyId,
    GitHubToken,
    SlackToken,
    GoogleApiKey,
    StripeLiveKey,
    PrivateKey,
    Jwt,
    Email,
    Phone,
}

impl Kind {
    /// The credential kinds, in the order they are tried.
    pub const SECRETS: [Kind; 8] = [
        Kind::OpenAiKey,
        Kind::AwsAccessKeyId,
        Kind::GitHubToken,
        Kind::SlackToken,
        Kind::GoogleApiKey,
        Kind::StripeLiveKey,
        Kind::PrivateKey,
        Kind::Jwt,
    ];

    /// A name for messages: "an OpenAI API key".
    pub const fn describe(self) -> &'static str {
        match self {
            Kind::OpenAiKey => "an OpenAI API key",
            Kind::AwsAccessKeyId => "an AWS access key ID",
            Kind::GitHubToken => "a GitHub token",
            Kind::SlackToken => "a Slack token",
            Kind::GoogleApiKey => "a Google API key",
            Kind::StripeLiveKey => "a Stripe live secret key",
            Kind::PrivateKey => "a PEM private key",
            Kind::Jwt => "a JSON Web Token",
            Kind::Email => "an e-mail address",
            Kind::Phone => "a phone number",
        }
    }

    /// The regular expression of the kind's whole token (ASCII word boundaries: the lazy DFA cannot
    /// run a Unicode `\b` on non-ASCII text and would fall back to a slower engine).
    const fn pattern(self) -> &'static str {
        match self {
            // Project, service-account and admin keys, then the older user keys (48 characters
            // after `sk-`; at least 32 here, letters and digits only, so `sk-` slugs do not match).
            Kind::OpenAiKey => r"sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|[A-Za-z0-9]{32,})",
            Kind::AwsAccessKeyId => r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}",
            Kind::GitHubToken => r"(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,})",
            Kind::SlackToken => r"xox[abposr]-[0-9]{8,13}-[A-Za-z0-9-]{10,}",
            Kind::GoogleApiKey => r"AIza[0-9A-Za-z_-]{35}",
            Kind::StripeLiveKey => r"(?:sk|rk)_live_[0-9A-Za-z]{24,}",
            // The whole block: the header, at least a line of base64, and the footer.
            Kind::PrivateKey => {
                r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[A-Za-z0-9+/=\s:,.-]{64,}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
            }
            Kind::Jwt => r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
            // RFC 6531 allows non-ASCII letters in both parts (`jöhn@bücher.de`). Letters of the
            // scripts written without spaces between words (Han, kana, Thai, …) are left out:
            // `連絡先はjane@example.orgです` holds the address `jane@example.org`.
            Kind::Email => concat!(
                r"[\p{L}\p{M}\p{N}._%+\-&&[^",
                unspaced_scripts!(),
                r"]]+@[\p{L}\p{M}\p{N}\-&&[^",
                unspaced_scripts!(),
                r"]]+(?:\.[\p{L}\p{M}\p{N}\-&&[^",
                unspaced_scripts!(),
                r"]]+)*\.[\p{L}\p{M}&&[^",
                unspaced_scripts!(),
                r"]]{2,}"
            ),
            // An optional country code, then groups of digits separated by a space, dot or hyphen
            // (or an area code in parentheses): 10 digits or more in all, checked after the match.
            Kind::Phone => {
                r"(?:\+[1-9][0-9]{0,2}[ .-]?)?(?:\([0-9]{2,4}\)[ .-]?|[0-9]{2,4}[ .-])[0-9]{2,4}[ .-][0-9]{3,4}"
            }
        }
    }

    /// The fixed prefixes the raw-text prefilter looks for. `None`: the kind has none and every
    /// string is searched when it is wanted.
    const fn prefixes(self) -> Option<&'static [&'static str]> {
        Some(match self {
            Kind::OpenAiKey => &["sk-"],
            Kind::AwsAccessKeyId => &["AKIA", "ASIA", "ABIA", "ACCA"],
            Kind::GitHubToken => &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
            Kind::SlackToken => &["xox"],
            Kind::GoogleApiKey => &["AIza"],
            Kind::StripeLiveKey => &["_live_"],
            Kind::PrivateKey => &["-----BEGIN "],
            Kind::Jwt => &["eyJ"],
            Kind::Email => &["@"],
            Kind::Phone => return None,
        })
    }

    /// Whether the characters around a match may touch it. A PEM block is delimited by its own
    /// dashes; everything else must stand alone as a token.
    const fn needs_boundaries(self) -> bool {
        !matches!(self, Kind::PrivateKey | Kind::Email | Kind::Phone)
    }
}

/// One thing found in a string: its kind and its byte range in the decoded string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub range: Range<usize>,
}

/// Which kinds a scan looks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wanted {
    pub secrets: bool,
    pub email: bool,
    pub phone: bool,
}

impl Wanted {
    fn wants(self, kind: Kind) -> bool {
        match kind {
            Kind::Email => self.email,
            Kind::Phone => self.phone,
            _ => self.secrets,
        }
    }

    pub fn any(self) -> bool {
        self.secrets || self.email || self.phone
    }
}

/// The compiled patterns, built once per process.
pub struct Scanner {
    /// Every fixed prefix of every kind.
    prefilter: AhoCorasick,
    /// The prefilter without `@`, for runs that do not look for e-mail addresses: a single-byte
    /// literal would make every line with an address a candidate.
    prefilter_secrets: AhoCorasick,
    regexes: Vec<(Kind, Regex)>,
}

impl Scanner {
    /// The process-wide scanner.
    pub fn get() -> &'static Scanner {
        static SCANNER: OnceLock<Scanner> = OnceLock::new();
        SCANNER.get_or_init(Scanner::build)
    }

    fn build() -> Scanner {
        let all = Kind::SECRETS.iter().copied().chain([Kind::Email, Kind::Phone]);
        let mut prefixes = Vec::new();
        let mut prefix_kind = Vec::new();
        let mut regexes = Vec::new();
        for kind in all {
            for prefix in kind.prefixes().unwrap_or(&[]) {
                prefixes.push(*prefix);
                prefix_kind.push(kind);
            }
            let regex = Regex::new(kind.pattern()).expect("the credential patterns are valid");
            regexes.push((kind, regex));
        }
        let secret_prefixes: Vec<&str> =
            prefixes.iter().zip(&prefix_kind).filter(|(_, k)| **k != Kind::Email).map(|(p, _)| *p).collect();
        // Leftmost-first semantics let the automaton use its SIMD prefilter (Teddy) for the whole
        // search; with the standard semantics it ran about nine times slower here (100 ms against
        // 11 ms on 50 MB of generated chat data). Which prefix matches first does not matter: any
        // match makes the record a candidate.
        let build = |prefixes: &[&str]| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(prefixes)
                .expect("the prefixes build an automaton")
        };
        Scanner { prefilter: build(&prefixes), prefilter_secrets: build(&secret_prefixes), regexes }
    }

    /// Whether the raw text of a record may hold something `wanted` looks for: the one pass every
    /// record pays. `false` is certain for text without escapes inside a prefix.
    pub fn may_contain(&self, raw: &str, wanted: Wanted) -> bool {
        if wanted.phone {
            return true;
        }
        // An `@` may be written `\u0040`; a credential's prefix written with escapes is not
        // looked for (it would take a decoding pass over every record).
        let escaped_at = || wanted.email && memchr::memmem::find(raw.as_bytes(), b"\\u0040").is_some();
        if !wanted.secrets {
            return wanted.email && memchr::memchr(b'@', raw.as_bytes()).is_some() || escaped_at();
        }
        let prefilter = if wanted.email { &self.prefilter } else { &self.prefilter_secrets };
        prefilter.find(raw).is_some() || escaped_at()
    }

    /// Everything `wanted` looks for in `text` (a decoded string), in order of position.
    pub fn find(&self, text: &str, wanted: Wanted) -> Vec<Found> {
        let mut found = Vec::new();
        // The shortest token is 20 characters (an AWS key ID); shorter strings hold none, except
        // e-mail addresses and phone numbers.
        if text.len() < 20 && !wanted.email && !wanted.phone {
            return found;
        }
        for (kind, regex) in &self.regexes {
            if !wanted.wants(*kind) {
                continue;
            }
            // Each regex starts with a literal (or a small set of them), which the regex crate
            // searches for with memchr before it runs the automaton.
            for m in regex.find_iter(text) {
                if accept(*kind, text, m.range()) {
                    found.push(Found { kind: *kind, range: m.range() });
                }
            }
        }
        found.sort_by_key(|f| (f.range.start, f.range.end));
        found
    }
}

/// A character that continues a token: letters, digits and the base64 and key alphabets' extras.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'_' | b'-' | b'=')
}

/// Whether a regex match counts: it stands alone, is not a documented placeholder, and (for
/// phone numbers) has enough digits.
fn accept(kind: Kind, text: &str, range: Range<usize>) -> bool {
    let bytes = text.as_bytes();
    let before = range.start.checked_sub(1).map(|i| bytes[i]);
    let after = bytes.get(range.end).copied();
    if kind.needs_boundaries() && (before.is_some_and(is_token_byte) || after.is_some_and(is_token_byte)) {
        return false;
    }
    let token = &text[range.clone()];
    match kind {
        // AWS's documentation uses AKIAIOSFODNN7EXAMPLE; keys that say so are no secret.
        Kind::AwsAccessKeyId => !token.ends_with("EXAMPLE"),
        // An old-style key is random: it mixes upper case, lower case and digits.
        Kind::OpenAiKey
            if !token.contains("-proj-") && !token.contains("-svcacct-") && !token.contains("-admin-") =>
        {
            let body = &token.as_bytes()[3..];
            body.iter().any(u8::is_ascii_uppercase)
                && body.iter().any(u8::is_ascii_lowercase)
                && body.iter().any(u8::is_ascii_digit)
        }
        // The whole address or nothing: a match right after another one (the only place the
        // leftmost regex can start inside a longer local part) or running into more letters is
        // not reported with a cut span.
        Kind::Email => {
            let before = text[..range.start].chars().next_back();
            let after = text[range.end..].chars().next();
            !before.is_some_and(continues_address)
                && !after.is_some_and(|c| c.is_alphanumeric() && !in_unspaced_script(c))
        }
        // Not a piece of a longer number, and as many digits as a number with its area code has.
        Kind::Phone => {
            let digits = token.bytes().filter(u8::is_ascii_digit).count();
            (10..=15).contains(&digits)
                && before.is_none_or(|b| !(b.is_ascii_alphanumeric() || b == b'+'))
                && after.is_none_or(|b| !b.is_ascii_alphanumeric())
        }
        _ => true,
    }
}
