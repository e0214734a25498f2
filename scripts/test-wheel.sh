#!/usr/bin/env bash
# Builds the wheel with maturin, installs it into a fresh virtual environment, and checks that the
# `ftlint` on that environment's PATH works: it checks the example dataset clean and fails a broken one.
# Usage: bash scripts/test-wheel.sh   (needs python3 with venv and network access to PyPI for maturin)
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/build-env"
"$work/build-env/bin/pip" install --quiet 'maturin>=1.5,<2'
"$work/build-env/bin/maturin" build --release --locked --out "$work/wheels"
wheel="$(ls "$work"/wheels/ftlint-*.whl)"
echo "built $(basename "$wheel")"

python3 -m venv "$work/user-env"
"$work/user-env/bin/pip" install --quiet "$wheel"
export PATH="$work/user-env/bin:$PATH"
[ "$(command -v ftlint)" = "$work/user-env/bin/ftlint" ] || { echo "ftlint is not the venv's" >&2; exit 1; }

ftlint --version
ftlint check fixtures/examples/train.jsonl
if ftlint check fixtures/line/invalid-json.jsonl > "$work/out.txt"; then
    echo "a broken file passed" >&2; exit 1
fi
grep -q "FT102" "$work/out.txt" || { echo "FT102 missing from:"; cat "$work/out.txt"; exit 1; } >&2
echo "wheel OK: pip-installed ftlint checks files"
