#!/usr/bin/env bash
# Every test: the Rust workspace's (`cargo test`), then the Python package's (pytest against the
# binary, see scripts/test-python.sh). This is the README's test command and what CI runs.
# Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test
python_started=$(date +%s)
bash scripts/test-python.sh
echo "Python package built and tested in $(( $(date +%s) - python_started )) s"
