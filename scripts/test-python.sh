#!/usr/bin/env bash
# The Python package's tests: builds the extension (a dev-profile build, which reuses what `cargo
# build` compiled) into a virtual environment under target/, then runs its pytest tests, which
# compare it with the `ftlint` binary cargo built.
# Usage: bash scripts/test-python.sh [pytest arguments]   (needs python3 >= 3.9 with venv)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="target/python-venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet 'maturin>=1.5,<2' 'pytest>=7' pandas
cargo build --locked --quiet --bin ftlint
# `maturin develop` installs into the active virtual environment.
VIRTUAL_ENV="$PWD/$venv" PATH="$PWD/$venv/bin:$PATH" \
    "$venv/bin/maturin" develop --locked --quiet --manifest-path crates/ftlint_python/Cargo.toml
FTLINT_BIN="$PWD/target/debug/ftlint" "$venv/bin/python" -m pytest crates/ftlint_python/tests -q "$@"
