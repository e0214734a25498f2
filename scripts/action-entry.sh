#!/usr/bin/env bash
# Entry point of the GitHub Action (action.yml): install ftlint, then check the datasets with
# `--output-format github` so each finding becomes an annotation. ftlint's exit status is the step's.
#
# Inputs come from the environment, as action.yml passes them:
#   INPUT_PATHS     files or directories: one per line (a path may hold spaces), or on one line
#                   separated by spaces (default ".")
#   INPUT_ARGS      more arguments for `ftlint check`, split on whitespace
#   INPUT_VERSION   a released version to install; empty for the action's own
#   INPUT_INSTALL   `wheel` (default): pip installs the released wheel, no compiler needed;
#                   `build`: cargo builds ftlint from source
#   FTLINT_ACTION_REPOSITORY, FTLINT_ACTION_REF   the action's repository and ref (github.action_*)
#   GITHUB_ACTION_PATH, GITHUB_SERVER_URL, RUNNER_TEMP, GITHUB_PATH, RUNNER_OS   set by the runner
#   FTLINT_CARGO    the cargo to build with (default: cargo); tests put a stand-in here
#   FTLINT_PYTHON   the python to make the wheel's virtual environment with (default: python3)
#
# Installing the wheel: the version is INPUT_VERSION, else the action's ref when it is a release tag
# (`v1.2.3`), else the version of the action's checkout (its Cargo.toml); pip installs `ftlint==` that
# version from PyPI into a virtual environment under RUNNER_TEMP, in seconds.
#
# Building (`install: build`): with no version, the action's own checkout (GITHUB_ACTION_PATH,
# already at the action's ref) is installed with `cargo install --path`, which needs no second
# download; if that checkout is not there, `cargo install --git` at the action's repository and ref.
# With a version, `cargo install --git` at the tag `v<version>`.
set -euo pipefail

cargo=${FTLINT_CARGO:-cargo}
server=${GITHUB_SERVER_URL:-https://github.com}
root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/ftlint"
version=${INPUT_VERSION:-}
version=${version#v}

install=${INPUT_INSTALL:-wheel}

# Windows runners run this script in Git Bash: executables end in `.exe` (`cargo install` makes
# bin/ftlint.exe), a virtual environment keeps them in `Scripts`, not `bin`, and a symlink needs
# privileges the runner may not have, so the wheel's launcher is copied instead of linked.
exe=
[ "${RUNNER_OS:-}" = Windows ] && exe=.exe
ftlint="$root/bin/ftlint$exe"

# The version of the action's checkout: the workspace's `version = "…"` in its Cargo.toml.
checkout_version() {
  [ -n "${GITHUB_ACTION_PATH:-}" ] && [ -f "$GITHUB_ACTION_PATH/Cargo.toml" ] || return 0
  sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml" | head -n 1
}

if [ "$install" = wheel ]; then
  if [ -z "$version" ] && [[ "${FTLINT_ACTION_REF:-}" =~ ^v[0-9]+\.[0-9]+ ]]; then
    version=${FTLINT_ACTION_REF#v}
  fi
  [ -n "$version" ] || version=$(checkout_version)
  [ -n "$version" ] || { echo "::error title=ftlint::cannot tell which ftlint wheel to install: set \`version\`, or \`install: build\`"; exit 2; }
  echo "::group::Install ftlint $version (wheel)"
  "${FTLINT_PYTHON:-python3}" -m venv "$root/venv"
  venv_bin="$root/venv/bin"
  [ -z "$exe" ] || venv_bin="$root/venv/Scripts"
  if ! "$venv_bin/python$exe" -m pip install --quiet --disable-pip-version-check "ftlint==$version"; then
    echo "::error title=ftlint::pip could not install the ftlint $version wheel; set \`install: build\` to compile ftlint from the action's source instead"
    exit 2
  fi
  mkdir -p "$root/bin"
  # Only ftlint goes on PATH for later steps, not the environment's python and pip.
  if [ -n "$exe" ]; then
    cp -f "$venv_bin/ftlint$exe" "$ftlint"
  else
    ln -sf "$venv_bin/ftlint" "$ftlint"
  fi
elif [ "$install" != build ]; then
  echo "::error title=ftlint::unknown install method \`$install\`; use \`wheel\` or \`build\`"
  exit 2
elif [ -n "$version" ]; then
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
[ -x "$ftlint" ] || { echo "::error title=ftlint::installation did not produce $ftlint"; exit 2; }
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$root/bin" >> "$GITHUB_PATH"
fi

# Paths one per line when there are several lines (so a path may hold spaces; blanks around each are
# dropped), else split on spaces; args split on whitespace. No glob expansion: `*` reaches ftlint as
# written.
set -f
paths=()
if [[ "${INPUT_PATHS:-.}" == *$'\n'* ]]; then
  while IFS= read -r line; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [ -z "$line" ] || paths+=("$line")
  done <<< "$INPUT_PATHS"
else
  read -r -d '' -a paths <<< "${INPUT_PATHS:-.}" || true
fi
read -r -d '' -a args <<< "${INPUT_ARGS:-}" || true
set +f
[ "${#paths[@]}" -gt 0 ] || paths=(.)

set -x
exec "$ftlint" check --output-format github "${args[@]}" -- "${paths[@]}"
