"""check_records and count_tokens against checking the same data as a file."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import ftlint
from conftest import FIXTURES, fixture_args
from test_api import ALL_FIXTURES, REPO, api_call, working_directory


def findings(report: ftlint.Report):
    """Lines and codes, without FT002 (a missing byte-order mark), which records never report."""
    return [(d.line, d.code) for d in report.diagnostics if d.code != "FT002"]


def plain_lines(path: Path):
    """The file's lines as bytes, or None when records cannot reproduce its bytes exactly."""
    data = path.read_bytes()
    if b"\r" in data or not data.endswith(b"\n"):
        return None
    return data[:-1].split(b"\n")


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_records_as_bytes_give_the_findings_of_the_file(path: Path):
    lines = plain_lines(path)
    if lines is None:
        pytest.skip("line endings that one record a line cannot reproduce")
    paths, kwargs = api_call(fixture_args(path), str(path))
    if len(paths) > 1 or "validation" in kwargs:
        pytest.skip("records are one file")
    from_file = ftlint.check(path, **kwargs)
    from_records = ftlint.check_records(iter(lines), **kwargs)
    assert findings(from_records) == findings(from_file)
    assert from_records.files[0].path == "<records>"
    assert from_records.files[0].tokens == from_file.files[0].tokens


def parsed_fixtures():
    """Fixtures whose every line is a JSON object (once its BOM is left aside)."""
    for path in ALL_FIXTURES:
        try:
            text = path.read_bytes().decode("utf-8-sig")
            records = [json.loads(line) for line in text.split("\n") if line]
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if records and all(isinstance(r, dict) for r in records):
            yield path


@pytest.mark.parametrize("path", list(parsed_fixtures()), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_records_as_dicts_give_the_findings_and_tokens_of_the_file(path: Path):
    text = path.read_bytes().decode("utf-8-sig")
    records = [json.loads(line) for line in text.split("\n") if line]
    # What only the raw text can show (a duplicate key, spacing, the BOM, the exact spelling of a
    # number) is lost once parsed, so such fixtures are compared on the findings about records.
    paths, kwargs = api_call(fixture_args(path), str(path))
    if len(paths) > 1 or "validation" in kwargs:
        pytest.skip("records are one file")
    from_file = ftlint.check(path, **kwargs)
    from_records = ftlint.check_records(records, **kwargs)
    raw_only = {"FT003", "FT104", "FT105", "FT102", "FT217", "FT230"}
    if not any(d.code in raw_only for d in from_file.diagnostics) and '"weight":' not in text:
        assert findings(from_records) == findings(from_file)
    assert from_records.files[0].tokens == from_file.files[0].tokens
    assert from_records.summary["examples"] == from_file.summary["examples"]


def test_record_line_is_position_plus_one_and_any_iterable_works():
    good = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}
    records = [good] * 4 + ["not json"] + [json.dumps(good).encode()] * 5 + [["a list"]]
    report = ftlint.check_records(r for r in records)
    lines = {d.line for d in report.diagnostics if d.code in ("FT102", "FT103")}
    assert lines == {5, 11}
    assert report.files[0].path == "<records>"
    assert report.summary["examples"] == 9


def test_records_that_cannot_be_serialized_name_their_line():
    with pytest.raises(TypeError, match=r"record 2: Object of type set is not JSON serializable"):
        ftlint.check_records([{"a": 1}, {"a": {1, 2}}])
    looped: dict = {}
    looped["self"] = looped
    with pytest.raises(ValueError, match="record 1: nested deeper"):
        ftlint.check_records([looped])
    with pytest.raises(TypeError, match="for one record pass"):
        ftlint.check_records({"messages": []})


def test_validation_role_drops_the_training_minimum():
    good = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}
    training = ftlint.check_records([good])
    validation = ftlint.check_records([good], role="validation")
    assert "FT501" in {d.code for d in training.diagnostics} - {d.code for d in validation.diagnostics}


TOKEN_FIXTURES = [FIXTURES / "examples" / "train.jsonl", *sorted((FIXTURES / "tokens").glob("*.jsonl"))]


@pytest.mark.parametrize("path", TOKEN_FIXTURES, ids=lambda p: p.name)
def test_count_tokens_matches_the_json_report(path: Path):
    text = path.read_bytes().decode("utf-8-sig")
    records = [json.loads(line) for line in text.split("\n") if line.strip()]
    model = "gpt-4o-2024-08-06"
    counts = [ftlint.count_tokens(r, model=model) for r in records]
    for record, count in zip(records, counts):
        alone = ftlint.check_records([record], model=model).files[0].tokens
        assert count == {
            "total": alone["total"],
            "trained": alone["trained"],
            "tools": alone["tool_tokens"],
            "images": alone["image_tokens"],
            "counted": alone["counted"],
            "trained_with_tools": alone["trained_with_tools"],
        }
        assert count["counted"] == count["total"] + count["tools"] + count["images"]
    whole = ftlint.check(path, model=model).files[0].tokens
    assert sum(c["total"] for c in counts) == whole["total"]
    assert sum(c["trained"] for c in counts) == whole["trained"]
    assert sum(c["counted"] for c in counts) == whole["counted"]
    assert max(c["counted"] for c in counts) == whole["max_example"]


def test_count_tokens_takes_a_messages_list_and_refuses_unknown_models():
    messages = [{"role": "user", "content": "hello there"}, {"role": "assistant", "content": "hi"}]
    counted = ftlint.count_tokens(messages)
    assert counted == ftlint.count_tokens({"messages": messages})
    assert counted["total"] > counted["trained"] > 0
    with pytest.raises(ValueError, match="unknown model"):
        ftlint.count_tokens(messages, model="gpt-0")


MILLION = textwrap.dedent(
    """
    import resource, sys, ftlint
    N = int(sys.argv[1])
    def records():
        for i in range(N):
            yield {"messages": [{"role": "user", "content": f"question {i}"},
                                {"role": "assistant", "content": f"answer {i}"}]}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = ftlint.check_records(records(), tokens=False)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(report.summary["examples"], before, after)
    """
)


def test_a_million_records_from_a_generator_are_not_held(tmp_path: Path):
    script = tmp_path / "million.py"
    script.write_text(MILLION)
    result = subprocess.run(
        [sys.executable, str(script), "1000000"], capture_output=True, text=True, check=True
    )
    examples, before_kb, after_kb = map(int, result.stdout.split())
    assert examples == 1_000_000
    grown_mb = (after_kb - before_kb) / 1024
    # The records held in a list take 760 MB; their JSON Lines text about 105 MB.
    print(f"peak RSS grew by {grown_mb:.0f} MB for 1,000,000 records")
    assert grown_mb < 400, f"peak RSS grew by {grown_mb:.0f} MB"
