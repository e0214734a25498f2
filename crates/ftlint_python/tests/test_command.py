"""The `ftlint` command the package installs behaves as the Rust binary does."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, run


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["rules"],
        ["rule", "FT102"],
        ["check", "fixtures/examples/train.jsonl"],
        ["check", "--output-format", "json", "fixtures/line/invalid-json.jsonl"],
        ["check", "no/such/file.jsonl"],
        ["check", "--select", "FT999", "fixtures/examples/train.jsonl"],
        ["fix", "--diff", "fixtures/rules/FT105-crlf-line-ending/invalid.jsonl"],
        ["completions", "bash"],
        ["--no-such-flag"],
    ],
    ids=lambda a: " ".join(a),
)
def test_command_output_and_status_are_the_binarys(args, binary: str, console_script: str):
    expected = run([binary, *args])
    got = run([console_script, *args])
    assert (got.returncode, got.stdout, got.stderr) == (
        expected.returncode,
        expected.stdout,
        expected.stderr,
    )


def test_command_exit_codes_are_the_documented_ones(console_script: str):
    assert run([console_script, "check", "fixtures/examples/train.jsonl"]).returncode == 0
    assert run([console_script, "check", str(FIXTURES / "line" / "invalid-json.jsonl")]).returncode == 1
    assert run([console_script, "check", "no/such/file.jsonl"]).returncode == 2
