#!/usr/bin/env bash
# Two builds of the token counter compared by what a noisy machine does not move: the instructions
# the counting thread executes and callgrind's model of its data-cache misses, kind by kind of the
# real-text corpus. Wall time on a shared host moves by a third from run to run, more than most
# changes to the counter are worth; these counts are the same on every run of the same build.
#
#   bash benches/instructions.sh OLD_TOKEN_SPEED NEW_TOKEN_SPEED [ENCODING] [MB]
#
# OLD_TOKEN_SPEED and NEW_TOKEN_SPEED are copies of `target/release/token_speed` built from the
# two versions (copy the first aside before building the second). Each counts the first MB
# (default 2) megabytes of each kind's file of `kinds.sh` once, with the backtracking tables built
# first (`--tables-first`) and one state, as a check's worker counts once the tables exist; only
# the counting itself is measured (`--toggle-collect` of `count_with`). Columns: instructions,
# first-level data-cache misses, and misses of a 1 MiB last level standing for the second-level
# cache (`--LL`; the tables and memos are megabytes, so this is where they miss), each for the old
# build, the new one and new/old. Needs valgrind; about four minutes at 2 MB per kind.
#
# Two runs of one build agreed within 1.5% in instructions and a fifth in misses on 1 MB slices: an
# allocation that reuses memory freed earlier must be zeroed, which one with fresh pages skips,
# and which one a run gets varies from run to run. Take differences smaller than that from larger
# slices (MB) or from wall time.
#
# Counts say nothing of latency: a change that trades instructions for misses, or the other way,
# still needs wall-clock pairs (`kinds.sh`, `farm-bench --vs`).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bash benches/instructions.sh OLD_TOKEN_SPEED NEW_TOKEN_SPEED [ENCODING] [MB]" >&2; exit 2; }
old=$(realpath "$1")
new=$(realpath "$2")
encoding="${3:-o200k_base}"
mb="${4:-2}"
for bin in "$old" "$new"; do
    [ -x "$bin" ] || { echo "$bin is not an executable token_speed" >&2; exit 2; }
done
case "$encoding" in
    o200k_base | cl100k_base) ;;
    *) echo "ENCODING must be o200k_base or cl100k_base, not '$encoding'" >&2; exit 2 ;;
esac
[[ $mb =~ ^[1-9][0-9]*$ ]] || { echo "MB must be a positive number, not '$mb'" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
. benches/data.sh
[ -d "$data/kinds" ] || { echo "no $data/kinds: run 'bash benches/kinds.sh 1' once first" >&2; exit 2; }

# The first `mb` megabytes of each kind, cut after a whole line.
slices="$data/slices-$mb"
mkdir -p "$slices"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Without address-space randomisation (where `setarch` can turn it off) two runs of one build give
# the same counts: with it, cyrillic and CJK moved by 0.7% in instructions and 5% in misses.
norandom=()
if setarch -R true 2>/dev/null; then
    norandom=(setarch -R)
fi

# Prints "instructions first-level-misses last-level-misses" of the counting thread of one run.
measure() {
    local bin=$1 file=$2
    rm -f "$work"/cg.*
    "${norandom[@]}" valgrind --tool=callgrind --cache-sim=yes --LL=1048576,16,64 --separate-threads=yes \
        --toggle-collect='*count_with*' --callgrind-out-file="$work/cg.%p" \
        "$bin" "$file" 1 --no-reference --no-memo-sizes --only="own state" --tables-first \
        --encoding="$encoding" >/dev/null 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
    # The events line names the columns; take the three by name from the main thread's summary.
    awk '/^events:/ {for (i = 2; i <= NF; i++) col[$i] = i - 1}
         /^summary:/ {print $(col["Ir"] + 1), $(col["D1mr"] + 1) + $(col["D1mw"] + 1),
                            $(col["DLmr"] + 1) + $(col["DLmw"] + 1)}' "$work"/cg.*-01
}

printf '%-14s %14s %14s %7s  %12s %12s %7s  %11s %11s %7s\n' kind instructions new ratio \
    L1-misses new ratio L2-misses new ratio
for kind in code prose_en latin cyrillic cjk arabic_indic other_scripts emoji long; do
    slice="$slices/$kind.jsonl"
    if [ ! -s "$slice" ]; then
        source_file="$data/kinds/$kind.jsonl"
        if [ "$(stat -c %s "$source_file")" -le "$((mb * 1000000))" ]; then
            cp "$source_file" "$slice.partial"
        else
            head -c "$((mb * 1000000))" "$source_file" | sed '$d' >"$slice.partial"
        fi
        mv "$slice.partial" "$slice"
    fi
    read -r a1 a2 a3 < <(measure "$old" "$slice")
    read -r b1 b2 b3 < <(measure "$new" "$slice")
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (a > 0) ? b / a : 0}'; }
    printf '%-14s %14s %14s %7s  %12s %12s %7s  %11s %11s %7s\n' "$kind" "$a1" "$b1" "$(ratio "$a1" "$b1")" \
        "$a2" "$b2" "$(ratio "$a2" "$b2")" "$a3" "$b3" "$(ratio "$a3" "$b3")"
done
