"""The Python API against the command line: same documents, same findings, same errors."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import ftlint
from conftest import FIXTURES, REPO, fixture_args, run

@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


ALL_FIXTURES = sorted(p for p in FIXTURES.rglob("*.jsonl"))


def api_call(args: List[str], fixture: str) -> Tuple[List[str], Dict[str, Any]]:
    """The paths and keywords of `ftlint check ARGS FIXTURE`: `--max-example-tokens 60` becomes
    `max_example_tokens=60`, and other words are paths."""
    paths: List[str] = []
    kwargs: Dict[str, Any] = {}
    it = iter([*args, fixture])
    for word in it:
        if not word.startswith("--"):
            paths.append(word)
            continue
        value: Any = next(it)
        kwargs[word[2:].replace("-", "_")] = int(value) if value.isdigit() else value
    return paths, kwargs


def test_fixtures_are_found():
    assert len(ALL_FIXTURES) > 50


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_to_dict_is_the_cli_json_document(path: Path, binary: str):
    args = fixture_args(path)
    relative = str(path.relative_to(REPO))
    cli = run([binary, "check", "--output-format", "json", *args, relative])
    assert cli.returncode in (0, 1), cli.stderr
    paths, kwargs = api_call(args, relative)
    with working_directory(REPO):
        report = ftlint.check(paths, **kwargs)
    assert report.to_dict() == json.loads(cli.stdout)
    assert report.ok == (cli.returncode == 0)


def test_report_members_follow_the_document():
    report = ftlint.check(FIXTURES / "line" / "invalid-json.jsonl")
    document = report.to_dict()
    assert not report.ok
    assert report.summary == document["summary"]
    assert report.summary["errors"] == 3
    first = report.files[0].diagnostics[0]
    assert isinstance(first, ftlint.Diagnostic)
    assert (first.code, first.name, first.severity, first.line) == ("FT102", "invalid-json", "error", 2)
    assert first.column == document["files"][0]["diagnostics"][0]["column"]
    assert report.files[0].tokens == document["files"][0]["tokens"]
    assert report.files[0].stats == document["files"][0]["stats"]
    # to_dict is a copy: changing it leaves the report alone.
    document["summary"]["errors"] = 0
    assert report.summary["errors"] == 3 and not report.ok


def test_keywords_change_the_check_as_the_flags_do():
    path = FIXTURES / "line" / "invalid-json.jsonl"
    assert ftlint.check(path, ignore=["FT102"]).summary["errors"] == 0
    assert ftlint.check(path, ignore="invalid-json").summary["errors"] == 0
    assert ftlint.check(path, warn=["FT102"]).summary["warnings"] >= 3
    assert ftlint.check(path, tokens=False).files[0].tokens is None
    selected = ftlint.check(FIXTURES / "examples" / "train.jsonl", select=["FT002"], profile="azure")
    assert {d.code for d in selected.diagnostics} <= {"FT002"}


def test_validation_file_is_checked_against_training():
    folder = FIXTURES / "rules" / "FT503-validation-overlap"
    report = ftlint.check(folder / "train.jsonl", validation=folder / "invalid.jsonl")
    assert [Path(f.path).name for f in report.files] == ["train.jsonl", "invalid.jsonl"]
    assert "FT503" in {d.code for d in report.files[1].diagnostics}
    assert "FT503" not in {d.code for d in report.files[0].diagnostics}


def test_missing_path_raises_file_not_found_with_the_cli_message(binary: str):
    cli = run([binary, "check", "no/such/file.jsonl"])
    assert cli.returncode == 2
    with pytest.raises(FileNotFoundError) as raised:
        ftlint.check("no/such/file.jsonl")
    assert f"ftlint: error: {raised.value}" in cli.stderr.decode()


def test_bad_arguments_raise_value_error_with_the_cli_message(binary: str):
    train = str(FIXTURES / "examples" / "train.jsonl")
    cli = run([binary, "check", "--select", "FT999", train])
    with pytest.raises(ValueError) as raised:
        ftlint.check(train, select=["FT999"])
    assert str(raised.value) == "unknown rule `FT999`; `ftlint rules` lists them"
    assert str(raised.value) in cli.stderr.decode()
    with pytest.raises(ValueError, match="unknown model `gpt-0`"):
        ftlint.check(train, model="gpt-0")
    with pytest.raises(ValueError, match="'bogus'"):
        ftlint.check(train, profile="bogus")
    with pytest.raises(ValueError, match="invalid role"):
        ftlint.check_records([], role="test")
    with pytest.raises(TypeError):
        ftlint.check(train, no_such_keyword=True)  # type: ignore[call-arg]


def test_invalid_configuration_raises_ftlint_error(tmp_path: Path):
    (tmp_path / "ftlint.toml").write_text("profile = 'nope'\n")
    data = tmp_path / "train.jsonl"
    data.write_bytes((FIXTURES / "examples" / "train.jsonl").read_bytes())
    with pytest.raises(ftlint.FtlintError):
        ftlint.check(data)
    assert ftlint.check(data, isolated=True).ok


def test_to_pandas_has_one_row_per_finding():
    report = ftlint.check(FIXTURES / "line" / "invalid-json.jsonl")
    frame = report.to_pandas()
    assert list(frame.columns) == [
        "path", "line", "column", "code", "name", "severity", "message", "help", "pointer",
        "offset", "length", "fixable",
    ]
    assert len(frame) == len(report.diagnostics) == 3
    assert list(frame["line"]) == [d.line for d in report.diagnostics]
    assert set(frame["code"]) == {"FT102"}


def test_notebook_view_shows_summary_findings_and_histogram():
    records = ['{"messages": [}'] * 60 + [
        {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}
    ] * 10
    report = ftlint.check_records(records)
    html = report._repr_html_()
    assert "60 errors" in html
    assert html.count("<tr>") == 1 + 50  # the header and the first 50 findings
    assert f"and {len(report.diagnostics) - 50} more findings" in html
    assert "tokens per example" in html
    assert "<script" not in html.lower()


def test_rules_is_the_registry(binary: str):
    rules = ftlint.rules()
    listed = run([binary, "rules"]).stdout.decode().splitlines()[1:]
    assert [r["code"] for r in rules] == [line.split()[0] for line in listed]
    by_code = {r["code"]: r for r in rules}
    assert by_code["FT102"]["name"] == "invalid-json"
    assert by_code["FT102"]["stage"] == "line"
    assert by_code["FT104"]["fixable"] and by_code["FT104"]["fix"] == "safe"
    assert "## What it does" in by_code["FT102"]["docs"]
    # The rules whose severity depends on the profile are those `ftlint rules` marks so.
    marked = {line.split()[0] for line in listed if "under --profile" in line}
    assert marked and marked == {
        r["code"] for r in rules if r["severity_azure"] != r["severity_openai"]
    }
    openai = {r["code"]: r["severity"] for r in ftlint.rules("openai")}
    assert all(openai[code] == by_code[code]["severity_openai"] for code in openai)


def test_the_pre_commit_stub_pins_this_version():
    stub = (REPO / "pyproject.toml").read_text()
    assert f'dependencies = ["ftlint=={ftlint.__version__}"]' in stub
    assert f'version = "{ftlint.__version__}"' in stub


def test_a_check_releases_the_gil(tmp_path: Path):
    record = {"messages": [{"role": "user", "content": "word " * 50}, {"role": "assistant", "content": "ok"}]}
    data = tmp_path / "big.jsonl"
    with data.open("w") as f:
        for i in range(20_000):
            record["messages"][1]["content"] = f"answer {i}"
            f.write(json.dumps(record) + "\n")
    finished = threading.Event()
    timing = {}

    def work() -> None:
        start = time.perf_counter()
        ftlint.check(data)
        timing["check"] = time.perf_counter() - start
        finished.set()

    worker = threading.Thread(target=work)
    ticks = 0
    worker.start()
    while not finished.is_set():
        ticks += 1
    worker.join()
    # With the GIL held through the check, this loop could run only between Python's 5 ms switch
    # intervals before and after it: a few thousand turns. Released, it runs all along.
    assert ticks > 100_000, f"{ticks} turns during a {timing['check']:.2f} s check"
