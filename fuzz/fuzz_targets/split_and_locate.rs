//! The line splitter and the JSON span locator on arbitrary bytes: lines come in order inside the
//! input, and for every line that parses, every JSON pointer into it locates text that parses back to the
//! very value the pointer names.

#![no_main]

use ftlint_linter::lines::Lines;
use ftlint_linter::locate::{escape_token, locate};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|bytes: &[u8]| {
    let mut covered = 0;
    for line in Lines::new(bytes, 0) {
        assert!(line.start >= covered, "lines overlap");
        assert!(line.start + line.text.len() <= bytes.len());
        covered = line.start + line.text.len();
        let Ok(text) = std::str::from_utf8(line.text) else { continue };
        let Ok(root) = serde_json::from_str::<Value>(text) else { continue };
        let mut pending = vec![(String::new(), &root)];
        while let Some((pointer, value)) = pending.pop() {
            let range = locate(text, &pointer).unwrap_or_else(|| panic!("{pointer:?} not found in {text:?}"));
            let found: Value = serde_json::from_str(&text[range]).expect("a located span parses");
            assert_eq!(&found, value, "{pointer:?} in {text:?}");
            match value {
                Value::Array(items) => {
                    pending.extend(items.iter().enumerate().map(|(i, v)| (format!("{pointer}/{i}"), v)))
                }
                Value::Object(members) => {
                    pending.extend(members.iter().map(|(k, v)| (format!("{pointer}/{}", escape_token(k)), v)))
                }
                _ => {}
            }
        }
    }
});
