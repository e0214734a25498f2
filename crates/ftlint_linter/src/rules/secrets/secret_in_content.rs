//! FT701 `secret-in-content`: a credential (API key, access token, private key) in a record's text.

use std::ops::Range;

use crate::context::RecordContext;
use crate::model::credential::Kind;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT701 secret-in-content

## What it does
Reports a credential inside any string of a record, with the span of the credential itself: an
OpenAI API key (`sk-…`, `sk-proj-…`), an AWS access key ID (`AKIA…`), a GitHub token (`ghp_…`,
`github_pat_…`), a Slack token (`xoxb-…`), a Google API key (`AIza…`), a Stripe live key
(`sk_live_…`, `rk_live_…`), a PEM private-key block, or a JSON Web Token. The message names the
kind and shows only the issuer's prefix and the last four characters (`sk-proj-…0123`), and the
`full` output masks the credential in the line it shows, so no report prints it again. Only tokens of the documented length and
alphabet that stand alone count, so the same letters inside base64 image data or a longer
identifier do not; AWS's documented placeholder `AKIAIOSFODNN7EXAMPLE` is not reported. Escapes
inside a credential (`\u0041`, a PEM block's `\n`) are decoded, but a prefix written with escapes
(`s\u006b-…`) is not looked for.

## Why it matters
Neither service documents a scan of training data for credentials. A fine-tuned model learns the
exact strings of its training examples and can repeat them to anyone who uses it, and the file
itself is uploaded to and kept by the service. A key in a dataset is a key that has leaked: it must
be revoked either way. The formats are the issuers' (AWS's unique-ID prefixes, GitHub's token
formats, Stripe's keys, RFC 7468 for PEM, RFC 7519 for JWTs; `docs/service-rules.md` §10).

## Example
```json
{"messages": [{"role": "user", "content": "Call the API with sk-proj-…"}, {"role": "assistant", "content": "Done."}]}
```

## How to fix
Revoke the credential, then replace it in the data with a placeholder (`sk-...`, `<API_KEY>`), or
drop the example. If the string is a documented example and no real credential, turn the rule off
for the file (`--ignore secret-in-content`).
"#;

pub const FIX: &str =
    "revoke the credential, then replace it with a placeholder such as `<API_KEY>` or drop the example";

/// Reports the credential of `kind` at `range` of the record's text; `secret` is its decoded text.
pub fn check(ctx: &mut RecordContext<'_>, kind: Kind, range: Range<usize>, pointer: &str, secret: &str) {
    ctx.report_range(Rule::SecretInContent, range, pointer)
        .message(format!(
            "this string holds {} (`{}`); a fine-tuned model can learn it and repeat it to its users",
            kind.describe(),
            redact(secret)
        ))
        .label(kind.describe());
}

/// The issuer's prefix and the last four characters of a secret, so a report (a CI log, an issue)
/// does not leak it again but still says which key to revoke. A PEM block shows its header line.
///
/// Showing the last four characters is the common practice (GitHub's and the cloud consoles' key
/// lists do it): four characters of a key of 20 or more random ones tell two keys apart and leave
/// far too many to guess. A key too short to spare them shows its prefix only.
pub fn redact(secret: &str) -> String {
    if let Some(header) = secret.lines().next().filter(|line| line.starts_with("-----BEGIN")) {
        return format!("{header}…");
    }
    let chars: Vec<char> = secret.chars().collect();
    // The prefix names the issuer and the kind of key (`sk-proj-`, `AKIA`, `ghp_`, `xoxb-`); the
    // last four characters, the only random ones shown, tell two keys apart.
    const NAMED: [&str; 7] =
        ["sk-proj-", "sk-svcacct-", "sk-admin-", "github_pat_", "sk_live_", "rk_live_", "sk-"];
    let head = match NAMED.iter().find(|prefix| secret.starts_with(**prefix)) {
        Some(prefix) => prefix.len(),
        // `ghp_`, `xoxb-`; otherwise the first four characters (`AKIA`, `AIza`, `eyJh`).
        None => secret.find(['_', '-']).filter(|&i| i <= 4).map_or(4, |i| i + 1),
    };
    if chars.len() <= head + 8 {
        return format!("{}…", chars.iter().take(head).collect::<String>());
    }
    let head: String = chars[..head].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}, {} characters", chars.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_the_issuer_prefix_and_the_last_four_characters() {
        let key = "sk-proj-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN0123";
        assert_eq!(redact(key), format!("sk-proj-…0123, {} characters", key.len()));
        assert_eq!(redact("ghp_abcdefghijklmnopqrstuvwxyz0123456789"), "ghp_…6789, 40 characters");
        assert_eq!(redact("AKIAABCDEFGHIJKLMNOP"), "AKIA…MNOP, 20 characters");
        assert_eq!(
            redact("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"),
            "-----BEGIN RSA PRIVATE KEY-----…"
        );
        assert!(!redact(key).contains("abcdefghij"));
    }
}
