#!/usr/bin/env bash
# Builds the release wheel as the release workflow does for Linux (manylinux2014, linked with zig),
# shows its platform tag with auditwheel, installs it into a fresh virtual environment with no Rust
# toolchain on PATH, and checks both faces: `import ftlint` and the `ftlint` command.
# Usage: bash scripts/test-wheel.sh   (needs python3 with venv and PyPI; several minutes: LTO build)
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/build-env"
"$work/build-env/bin/pip" install --quiet 'maturin>=1.5,<2' ziglang auditwheel
# maturin finds zig through the environment's python (`python -m ziglang`).
PATH="$work/build-env/bin:$PATH" "$work/build-env/bin/maturin" build --release --locked --zig \
    --compatibility manylinux2014 --manifest-path crates/ftlint_python/Cargo.toml --out "$work/wheels"
wheel="$(ls "$work"/wheels/ftlint-*.whl)"
echo "built $(basename "$wheel"): $(du -h "$wheel" | cut -f1)"
"$work/build-env/bin/auditwheel" show "$wheel"

python3 -m venv "$work/user-env"
"$work/user-env/bin/pip" install --quiet "$wheel"
# Nothing of Rust's on PATH: the wheel must need none of it.
clean_path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e cargo -e rustup | paste -sd: -)
export PATH="$work/user-env/bin:$clean_path"
if command -v cargo >/dev/null; then echo "cargo still on PATH" >&2; exit 1; fi
[ "$(command -v ftlint)" = "$work/user-env/bin/ftlint" ] || { echo "ftlint is not the venv's" >&2; exit 1; }

ftlint --version
ftlint check fixtures/examples/train.jsonl
if ftlint check fixtures/line/invalid-json.jsonl > "$work/out.txt"; then
    echo "a broken file passed" >&2; exit 1
fi
grep -q "FT102" "$work/out.txt" || { echo "FT102 missing from:"; cat "$work/out.txt"; exit 1; } >&2
"$work/user-env/bin/python" - <<'PY'
import ftlint
report = ftlint.check("fixtures/line/invalid-json.jsonl")
assert not report.ok and report.summary["errors"] == 3, report.summary
assert ftlint.check("fixtures/examples/train.jsonl").ok
print("import ftlint:", ftlint.__version__, report)
PY
echo "wheel OK: pip-installed ftlint checks files, from the command line and from Python"
