//! The unsafe fixes: edits to a record's meaning, made on its text so nothing else about it moves.

use crate::model::json::{Object, Value};

use super::{FixCounts, FixKind, FixOptions};
use crate::locate::{self, object_members};
use crate::model::shape::{self, Format, Shape};
use crate::rules::record::extra_top_level_key::SFT_KEYS;
use crate::rules::Rule;
use crate::settings::Settings;

pub struct RecordFixer<'a> {
    settings: &'a Settings,
    remove_extra_keys: bool,
    fix_weights: bool,
}

impl<'a> RecordFixer<'a> {
    pub fn new(settings: &'a Settings, options: FixOptions) -> Self {
        let on = |rule: Option<Rule>| options.unsafe_fixes && rule.is_some_and(|rule| settings.enabled(rule));
        RecordFixer {
            settings,
            remove_extra_keys: on(Some(Rule::ExtraTopLevelKey)),
            fix_weights: on(Some(Rule::InvalidWeight)),
        }
    }

    /// The fixed text of a record line, or `None` when nothing changes (or it is not a record).
    pub fn fix(&self, line: &[u8], counts: &mut FixCounts) -> Option<String> {
        if !self.remove_extra_keys && !self.fix_weights {
            return None;
        }
        let text = std::str::from_utf8(line).ok()?;
        crate::model::json::with_arena(|arena| self.fix_record(text, arena, counts))
    }

    fn fix_record(&self, text: &str, arena: &bumpalo::Bump, counts: &mut FixCounts) -> Option<String> {
        let value = crate::model::json::parse(text, arena).ok()?.value;
        let record = value.as_object()?;
        let format = shape::resolve(self.settings.format, Shape::of(record))?;
        if format != Format::Sft {
            return None;
        }
        let mut fixed = text.to_owned();
        let mut changed = false;
        if self.fix_weights {
            changed |= fix_weights(&mut fixed, record, counts);
        }
        if self.remove_extra_keys && record.keys().any(|key| !SFT_KEYS.contains(&key)) {
            if let Some(without) = remove_members(&fixed, |key| !SFT_KEYS.contains(&key)) {
                counts.add(FixKind::RemoveExtraKey);
                fixed = without;
                changed = true;
            }
        }
        changed.then_some(fixed)
    }
}

/// Rewrites `"weight": "1"`, `1.0` and the like as the integers the service accepts. Only values
/// that unambiguously mean 0 or 1 are touched; `0.5` or `"yes"` need a person.
fn fix_weights(text: &mut String, record: &Object<'_>, counts: &mut FixCounts) -> bool {
    let Some(messages) = record.get("messages").and_then(Value::as_array) else {
        return false;
    };
    let mut edits = Vec::new();
    for (index, message) in messages.iter().enumerate() {
        // Weights on other roles are a mistake of another kind: which message was meant needs a person.
        if message.get("role").and_then(Value::as_str) != Some("assistant") {
            continue;
        }
        let Some(weight) = message.get("weight") else { continue };
        let integer = match weight {
            Value::String(s) if matches!(s.trim(), "0" | "1") => s.trim().to_owned(),
            Value::Number(n) if n.as_u64().is_none() && matches!(n.as_f64(), Some(0.0) | Some(1.0)) => {
                format!("{}", n.as_f64().unwrap_or_default() as u8)
            }
            Value::Bool(b) => u8::from(*b).to_string(),
            _ => continue,
        };
        if let Some(range) = locate::locate(text, &format!("/messages/{index}/weight")) {
            edits.push((range, integer));
        }
    }
    // From the end backwards, so earlier ranges stay valid.
    for (range, integer) in edits.iter().rev() {
        text.replace_range(range.clone(), integer);
        counts.add(FixKind::WeightToInteger);
    }
    !edits.is_empty()
}

/// The record without the top-level members whose key `remove` selects, keeping the spacing of the
/// members that stay.
fn remove_members(text: &str, remove: impl Fn(&str) -> bool) -> Option<String> {
    let (object, members) = object_members(text, "")?;
    let separator = match members.as_slice() {
        [first, second, ..] => &text[first.range.end..second.range.start],
        _ => ", ",
    };
    let kept: Vec<&str> =
        members.iter().filter(|m| !remove(&m.key)).map(|m| &text[m.range.clone()]).collect();
    if kept.len() == members.len() {
        return None;
    }
    let inner_start = object.start + 1;
    let leading = &text[inner_start..members.first().map_or(inner_start, |m| m.range.start)];
    let trailing_start = members.last().map_or(inner_start, |m| m.range.end);
    let trailing = &text[trailing_start..object.end - 1];
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..inner_start]);
    out.push_str(leading);
    out.push_str(&kept.join(separator));
    out.push_str(trailing);
    out.push_str(&text[object.end - 1..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Profile;

    fn fix(line: &str) -> (Option<String>, FixCounts) {
        let settings = Settings::new(Profile::Azure);
        let fixer = RecordFixer::new(&settings, FixOptions { unsafe_fixes: true });
        let mut counts = FixCounts::default();
        (fixer.fix(line.as_bytes(), &mut counts), counts)
    }

    #[test]
    fn unknown_top_level_keys_are_removed_and_the_rest_is_untouched() {
        let line = r#"{"id": 7, "messages": [{"role": "user", "content": "caf\u00e9"}],"meta":{"a":1}, "tools": []}"#;
        let (fixed, counts) = fix(line);
        assert_eq!(
            fixed.unwrap(),
            r#"{"messages": [{"role": "user", "content": "caf\u00e9"}], "tools": []}"#
        );
        assert_eq!(counts.get(FixKind::RemoveExtraKey), 1);
    }

    #[test]
    fn weights_that_mean_0_or_1_become_integers_and_others_are_left() {
        let line = r#"{"messages": [{"role": "user", "content": "a", "weight": "1"}, {"role": "assistant", "content": "b", "weight": "1"}, {"role": "assistant", "content": "c", "weight": 0.0}, {"role": "assistant", "content": "d", "weight": 0.5}]}"#;
        let (fixed, counts) = fix(line);
        assert_eq!(
            fixed.unwrap(),
            r#"{"messages": [{"role": "user", "content": "a", "weight": "1"}, {"role": "assistant", "content": "b", "weight": 1}, {"role": "assistant", "content": "c", "weight": 0}, {"role": "assistant", "content": "d", "weight": 0.5}]}"#
        );
        assert_eq!(counts.get(FixKind::WeightToInteger), 2);
    }

    #[test]
    fn remove_members_keeps_the_objects_own_spacing() {
        assert_eq!(remove_members(r#"{ "a":1,"b":2 }"#, |k| k == "a").unwrap(), r#"{ "b":2 }"#);
        assert_eq!(remove_members(r#"{"a":1}"#, |k| k == "a").unwrap(), r#"{}"#);
        assert_eq!(remove_members(r#"{"a":1}"#, |k| k == "z"), None);
    }

    #[test]
    fn clean_records_and_other_formats_are_left_alone() {
        assert_eq!(fix(r#"{"messages": []}"#).0, None);
        assert_eq!(
            fix(r#"{"input": {"messages": []}, "preferred_output": [], "non_preferred_output": []}"#).0,
            None
        );
        assert_eq!(fix("not json").0, None);
    }
}
