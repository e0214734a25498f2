"""Shared fixtures: where the repository is, and the Rust binary the package is compared with."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import List

import pytest

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "fixtures"


def rust_binary() -> str:
    """The `ftlint` binary built by cargo (`FTLINT_BIN`, else target/debug or target/release)."""
    configured = os.environ.get("FTLINT_BIN")
    if configured:
        return configured
    for profile in ("debug", "release"):
        candidate = REPO / "target" / profile / "ftlint"
        if candidate.exists():
            return str(candidate)
    pytest.skip("no ftlint binary: run `cargo build` first or set FTLINT_BIN")
    raise AssertionError  # unreachable


def fixture_args(path: Path) -> List[str]:
    """The extra command-line arguments a rule fixture is checked with (its args.txt)."""
    args_file = path.parent / "args.txt"
    return args_file.read_text().split() if args_file.exists() else []


@pytest.fixture(scope="session")
def binary() -> str:
    return rust_binary()


@pytest.fixture(scope="session")
def console_script() -> str:
    """The `ftlint` command the wheel installed, in this interpreter's environment."""
    found = shutil.which("ftlint", path=str(Path(os.sys.executable).parent))
    if found is None:
        pytest.fail("the package installed no `ftlint` command beside the interpreter")
    return found


def run(command: List[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, cwd=REPO, **kwargs)
