#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml: installs pre-commit into a throwaway virtualenv, makes a
# throwaway git repository with one good and one bad JSONL file, points its .pre-commit-config.yaml
# at this checkout (`repo: <path>`, `rev: <commit>`), and checks that `pre-commit run --all-files`
# fails on the bad file with ftlint's message, then passes once the file is fixed.
#
# pre-commit clones this checkout at the commit and builds ftlint with `cargo install` (the hook's
# `language: rust`), so what is tested is what is committed: commit first. The build is the slow
# part; it goes to target/pre-commit-test so a second run is incremental. Not part of .ci/run.
#
# With `--wheels DIR`, the `ftlint-wheel` hook (`language: python`) is tested instead: pre-commit
# installs the stub package at the root, whose `ftlint==VERSION` requirement pip takes from the wheels
# in DIR (`PIP_FIND_LINKS`, as a local stand-in for PyPI); nothing is compiled.
#
# Usage: scripts/test-pre-commit.sh [--wheels DIR] [REV]     (REV defaults to HEAD)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
hook=ftlint
if [ "${1:-}" = --wheels ]; then
  hook=ftlint-wheel
  PIP_FIND_LINKS=$(cd "$2" && pwd)
  export PIP_FIND_LINKS
  shift 2
fi
rev=$(git -C "$root" rev-parse "${1:-HEAD}")
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
  echo "note: the checkout has uncommitted changes; testing the committed $rev" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "==> pre-commit into a virtualenv"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
pre_commit="$work/venv/bin/pre-commit"
"$pre_commit" --version

# Hook environments and clones stay inside the temporary directory.
export PRE_COMMIT_HOME="$work/cache"
# Builds are incremental across runs; release settings are relaxed only to save time here, the
# binary a user's pre-commit builds uses the crate's own release profile.
export CARGO_TARGET_DIR="$root/target/pre-commit-test"
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"

echo "==> a repository with a good and a bad dataset"
repo="$work/repo"
git init --quiet "$repo"
cd "$repo"
git config user.email test@example.com
git config user.name test
good() {
  printf '\xef\xbb\xbf'
  for i in $(seq 1 10); do
    printf '{"messages": [{"role": "user", "content": "Question %s?"}, {"role": "assistant", "content": "Answer %s."}]}\n' "$i" "$i"
  done
}
good > good.jsonl
good > bad.jsonl
# Line 3 loses the comma between its two messages.
sed -i '3s/}, {"role": "assistant"/} {"role": "assistant"/' bad.jsonl
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: $hook
YAML
git add -A
git commit --quiet -m "datasets"

echo "==> pre-commit run --all-files must fail on bad.jsonl (builds ftlint: slow the first time)"
start=$(date +%s)
set +e
"$pre_commit" run --all-files > "$work/out.txt" 2>&1
status=$?
set -e
cat "$work/out.txt"
echo "(took $(( $(date +%s) - start )) s)"
[ "$status" -ne 0 ] || fail "pre-commit passed with a broken dataset"
grep -q "bad.jsonl:3:.*FT102 \[error\] invalid JSON" "$work/out.txt" || fail "ftlint's message for bad.jsonl:3 is missing"
if grep -q "good.jsonl:[0-9]" "$work/out.txt"; then fail "good.jsonl was reported"; fi

echo "==> after the fix it must pass"
good > bad.jsonl
git add -A
"$pre_commit" run --all-files > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "pre-commit failed on fixed datasets"; }
cat "$work/out.txt"
grep -q "ftlint.*Passed" "$work/out.txt" || fail "the hook did not report Passed"

echo "OK: the pre-commit hook works"
