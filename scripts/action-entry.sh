#!/usr/bin/env bash
# Entry point of the GitHub Action (action.yml): install ftlint, then check the datasets with
# `--output-format github` so each finding becomes an annotation. ftlint's exit status is the step's.
#
# Inputs come from the environment, as action.yml passes them:
#   INPUT_PATHS     files or directories, separated by spaces or newlines (default ".")
#   INPUT_ARGS      more arguments for `ftlint check`, split on whitespace
#   INPUT_VERSION   a released version to install (git tag v<version>); empty for the action's ref
#   FTLINT_ACTION_REPOSITORY, FTLINT_ACTION_REF   the action's repository and ref (github.action_*)
#   GITHUB_ACTION_PATH, GITHUB_SERVER_URL, RUNNER_TEMP, GITHUB_PATH   set by the runner
#   FTLINT_CARGO    the cargo to install with (default: cargo); tests put a stand-in here
#
# Installing: with no version, the action's own checkout (GITHUB_ACTION_PATH, already at the action's
# ref) is installed with `cargo install --path`, which needs no second download; if that checkout is
# not there, `cargo install --git` at the action's repository and ref. With a version, `cargo install
# --git` at the tag `v<version>`.
set -euo pipefail

cargo=${FTLINT_CARGO:-cargo}
server=${GITHUB_SERVER_URL:-https://github.com}
root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/ftlint"
version=${INPUT_VERSION:-}
version=${version#v}

if [ -n "$version" ]; then
  [ -n "${FTLINT_ACTION_REPOSITORY:-}" ] || { echo "::error title=ftlint::cannot install version $version: the action's repository is unknown"; exit 2; }
  echo "::group::Install ftlint $version"
  "$cargo" install --locked --root "$root" --git "$server/$FTLINT_ACTION_REPOSITORY" --tag "v$version" ftlint
elif [ -n "${GITHUB_ACTION_PATH:-}" ] && [ -f "$GITHUB_ACTION_PATH/Cargo.toml" ]; then
  echo "::group::Install ftlint from the action (${FTLINT_ACTION_REF:-local})"
  "$cargo" install --locked --root "$root" --path "$GITHUB_ACTION_PATH"
elif [ -n "${FTLINT_ACTION_REPOSITORY:-}" ] && [ -n "${FTLINT_ACTION_REF:-}" ]; then
  echo "::group::Install ftlint from $FTLINT_ACTION_REPOSITORY@$FTLINT_ACTION_REF"
  "$cargo" install --locked --root "$root" --git "$server/$FTLINT_ACTION_REPOSITORY" --rev "$FTLINT_ACTION_REF" ftlint
else
  echo "::error title=ftlint::cannot tell where to install ftlint from (no version, no action path or ref)"
  exit 2
fi
echo "::endgroup::"
[ -x "$root/bin/ftlint" ] || { echo "::error title=ftlint::installation did not produce $root/bin/ftlint"; exit 2; }
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$root/bin" >> "$GITHUB_PATH"
fi

# Split paths and args on whitespace, without glob expansion: `*` reaches ftlint as written.
set -f
read -r -d '' -a paths <<< "${INPUT_PATHS:-.}" || true
read -r -d '' -a args <<< "${INPUT_ARGS:-}" || true
set +f
[ "${#paths[@]}" -gt 0 ] || paths=(.)

set -x
exec "$root/bin/ftlint" check --output-format github "${args[@]}" -- "${paths[@]}"
