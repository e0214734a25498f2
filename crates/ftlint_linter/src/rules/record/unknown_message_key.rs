//! FT231 `unknown-message-key`: a message member that no message schema of its role has.

use crate::context::RecordContext;
use crate::model::message::Message;
use crate::model::role::Role;
use crate::rules::Rule;

pub const DOCS: &str = r#"# FT231 unknown-message-key

## What it does
Reports a member of a message that the training schema of its role does not define:

| role | members |
|---|---|
| `system`, `developer`, `user` | `role`, `content`, `name` |
| `assistant` | `role`, `content`, `name`, `refusal`, `tool_calls`, `function_call`, `audio`, `weight` |
| `tool` | `role`, `content`, `tool_call_id` |
| `function` | `role`, `content`, `name` |

`weight`, `tool_calls` and `function_call` on other roles are reported by FT219 and FT224 instead. A
close misspelling of a known member is named in the message (`contnet`: did you mean `content`?).

## Why it matters
A misspelt member is lost: `contnet` leaves the message without its content, `tool_call_ids` leaves
the tool result unanswered. Bookkeeping members (`timestamp`, `id`) are data the model never sees.
The schemas do not say whether the service rejects unknown members, so this is a warning.

## Example
```json
{"role": "user", "content": "Hi", "timestamp": "2024-05-01T10:00:00Z"}
```

## How to fix
Fix the spelling, or remove the member; keep bookkeeping in a separate file.
"#;

pub const FIX: &str = "fix the member's spelling or remove it; messages only take the members of their role";

/// The members the schema of `role` defines, besides those other rules own.
fn known(role: Role) -> &'static [&'static str] {
    match role {
        Role::System | Role::Developer | Role::User | Role::Function => &["role", "content", "name"],
        Role::Assistant => {
            &["role", "content", "name", "refusal", "tool_calls", "function_call", "audio", "weight"]
        }
        Role::Tool => &["role", "content", "tool_call_id"],
    }
}

/// Members that FT219 and FT224 report on any role.
const OWNED_ELSEWHERE: &[&str] = &["weight", "tool_calls", "function_call"];

/// Every member any role knows, for spelling hints.
const ALL: &[&str] =
    &["role", "content", "name", "refusal", "tool_calls", "function_call", "weight", "tool_call_id"];

pub fn check(ctx: &mut RecordContext<'_>, message: &Message<'_>) {
    if !ctx.enabled(Rule::UnknownMessageKey) {
        return;
    }
    let known = known(message.role);
    for key in message.object.keys() {
        if known.contains(&key) || OWNED_ELSEWHERE.contains(&key) {
            continue;
        }
        let hint = match ALL.iter().find(|k| close(key, k)) {
            Some(k) if known.contains(k) => format!(" (did you mean `{k}`?)"),
            Some(k) if *k == key => " (other roles have it)".to_owned(),
            Some(k) => format!(" (`{k}` belongs to other roles)"),
            None => String::new(),
        };
        ctx.report(Rule::UnknownMessageKey, &message.member(key)).message(format!(
            "message {}: `{key}`{hint} is not a member of {}; it is ignored at best",
            message.number(),
            message.role.a_message()
        ));
    }
}

/// Whether `key` is `known` or a likely misspelling of it: an edit distance of at most 1, or 2 for
/// longer names, ignoring case.
fn close(key: &str, known: &str) -> bool {
    let a: Vec<char> = key.to_lowercase().chars().collect();
    let b: Vec<char> = known.chars().collect();
    let limit = if b.len() > 6 { 2 } else { 1 };
    if a.len().abs_diff(b.len()) > limit || a.len() > 32 {
        return false;
    }
    // Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps.
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()] <= limit
}

#[cfg(test)]
mod tests {
    use super::close;

    #[test]
    fn misspellings_are_close_and_other_words_are_not() {
        for (key, known) in [
            ("contnet", "content"),
            ("Content", "content"),
            ("rol", "role"),
            ("tool_call_ids", "tool_call_id"),
            ("toolcalls", "tool_calls"),
        ] {
            assert!(close(key, known), "{key} ~ {known}");
        }
        for (key, known) in
            [("timestamp", "content"), ("id", "role"), ("metadata", "name"), ("names", "role")]
        {
            assert!(!close(key, known), "{key} !~ {known}");
        }
    }
}
