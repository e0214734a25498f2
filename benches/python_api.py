"""ftlint's Python API against the other ways to check data from Python, runs alternated so machine
noise hits each alike; prints each one's median wall time and the ratios.

    python benches/python_api.py records [--records 100000] [--runs 3]
        100,000 records held as Python dicts (the first of the generated 512 MiB dataset):
        - ftlint.check_records(records), which serializes the dicts itself
        - json.dumps of each, then ftlint.check_records on the strings
        - json.dumps of each into a file, then the `ftlint` binary on it (`--output-format json`,
          the report read back with json.loads)
        - a pure-Python loop counting tokens with tiktoken, as OpenAI's data-preparation guide does
          (benches/peers/cookbook_check.py's counting, on the dicts; no checks beyond that)
    python benches/python_api.py file FILE [--runs 5]
        ftlint.check(FILE) in this process against the `ftlint` binary in a subprocess.

Needs the `ftlint` package installed in this interpreter, target/release/ftlint (`cargo build
--release`) and, for the tiktoken loop, tiktoken and numpy (the rank files load offline from the
tiktoken-rs crate source, as in cookbook_check.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List

import ftlint

REPO = Path(__file__).resolve().parents[1]
BINARY = os.environ.get("FTLINT_BIN", str(REPO / "target" / "release" / "ftlint"))
DATA = Path(os.environ.get("FTLINT_BENCH_DATA", REPO / "benches" / "data" / "gen512.jsonl"))


def dataset() -> Path:
    if not DATA.exists():
        DATA.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(REPO / "crates/ftlint_bench/gen_dataset.py"), "--mb", "512", "--seed", "1",
             "--out", str(DATA)],
            check=True,
        )
    return DATA


def cookbook():
    spec = importlib.util.spec_from_file_location("cookbook_check", REPO / "benches/peers/cookbook_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tiktoken_loop(records: List[dict], enc, text_of) -> int:
    """The cookbook's token count per example (3 per message, its role and content)."""
    total_all = 0
    for ex in records:
        total = 3
        for message in ex.get("messages", []):
            total += 3
            for key, value in message.items():
                if key == "content":
                    total += len(enc.encode_ordinary(text_of(value)))
                elif key in ("role", "name") and isinstance(value, str):
                    total += len(enc.encode_ordinary(value)) + (1 if key == "name" else 0)
        total_all += total
    return total_all


def dumps_and_cli(records: List[dict]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record))
            f.write("\n")
        path = f.name
    try:
        out = subprocess.run([BINARY, "check", "--output-format", "json", path], capture_output=True, check=False)
        return json.loads(out.stdout)
    finally:
        os.unlink(path)


def alternate(contenders: Dict[str, Callable[[], object]], runs: int) -> None:
    times: Dict[str, List[float]] = {name: [] for name in contenders}
    for run in range(runs):
        for name, work in contenders.items():
            start = time.perf_counter()
            work()
            elapsed = time.perf_counter() - start
            times[name].append(elapsed)
            print(f"run {run + 1}  {name:<28} {elapsed:8.2f} s", file=sys.stderr)
    first = next(iter(times))
    base = statistics.median(times[first])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<28} median {median:7.2f} s  (min {min(values):.2f}, max {max(values):.2f})"
              f"  {median / base:5.2f}x {first}")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    records_mode = sub.add_parser("records")
    records_mode.add_argument("--records", type=int, default=100_000)
    records_mode.add_argument("--runs", type=int, default=3)
    file_mode = sub.add_parser("file")
    file_mode.add_argument("file", nargs="?")
    file_mode.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    if args.mode == "file":
        path = args.file or str(dataset())
        alternate(
            {
                "ftlint.check": lambda: ftlint.check(path),
                "ftlint binary (json)": lambda: subprocess.run(
                    [BINARY, "check", "--output-format", "json", path], capture_output=True, check=False
                ),
            },
            args.runs,
        )
        return

    records = []
    with open(dataset(), encoding="utf-8-sig") as f:
        for line in f:
            records.append(json.loads(line))
            if len(records) == args.records:
                break
    peers = cookbook()
    enc = peers.load_encoding("o200k_base")
    print(f"{len(records)} records", file=sys.stderr)
    alternate(
        {
            "ftlint.check_records": lambda: ftlint.check_records(records),
            "json.dumps + check_records": lambda: ftlint.check_records([json.dumps(r) for r in records]),
            "json.dumps + ftlint binary": lambda: dumps_and_cli(records),
            "tiktoken loop (cookbook)": lambda: tiktoken_loop(records, enc, peers.text_of),
        },
        args.runs,
    )


if __name__ == "__main__":
    main()
