//! Line-level checks: JSON syntax and the shape of each line.

use crate::{check_fixture, check_json, found};

#[test]
fn invalid_json_is_reported_at_the_byte_where_parsing_stopped() {
    assert_eq!(
        check_fixture("line/invalid-json.jsonl", &[]),
        (
            1,
            vec![
                found("FT102", Some(2), Some(98)),
                found("FT102", Some(5), Some(252)),
                found("FT102", Some(9), Some(247))
            ]
        )
    );
}

#[test]
fn parser_reasons_are_in_plain_words() {
    let (_, document) = check_json(&[crate::fixture("line/invalid-json.jsonl").to_str().unwrap()]);
    let messages: Vec<&str> = document["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        vec![
            "invalid JSON: expected `,` or `]` after array element",
            "invalid JSON: unterminated object: the line ends before the closing `}`",
            "invalid JSON: trailing comma before the closing bracket",
        ]
    );
}

#[test]
fn lines_that_are_not_objects_are_errors_spanning_the_value() {
    assert_eq!(
        check_fixture("line/not-an-object.jsonl", &[]),
        (
            1,
            vec![
                found("FT103", Some(1), Some(1)),
                found("FT103", Some(6), Some(1)),
                found("FT103", Some(10), Some(3))
            ]
        )
    );
    let (_, document) = check_json(&[crate::fixture("line/not-an-object.jsonl").to_str().unwrap()]);
    let null_line = &document["files"][0]["diagnostics"][2];
    assert_eq!(null_line["length"], 4);
    assert_eq!(null_line["pointer"], "");
}

#[test]
fn examples_count_the_lines_that_parsed_as_objects() {
    let (_, document) = check_json(&[crate::fixture("line/not-an-object.jsonl").to_str().unwrap()]);
    assert_eq!(document["files"][0]["examples"], 9);
    assert_eq!(document["summary"]["examples"], 9);
}
