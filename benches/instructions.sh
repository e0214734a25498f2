#!/usr/bin/env bash
# Two builds of the token counter compared by what a busy machine does not move: the instructions
# the counting thread executes and callgrind's model of its data-cache misses, kind by kind of the
# real-text corpus. On a machine shared with other work, wall time can move by tens of percent
# from run to run, more than most changes to the counter are worth.
#
#   bash benches/instructions.sh OLD_TOKEN_SPEED NEW_TOKEN_SPEED [ENCODING] [MB]
#
# OLD_TOKEN_SPEED and NEW_TOKEN_SPEED are copies of `target/release/token_speed` built from the
# two versions (copy the first aside before building the second). Each counts the first MB
# (default 2) megabytes of each kind's file of `kinds.sh` once in ENCODING (default o200k_base),
# with the backtracking tables built first (`--tables-first`) and one state, as a check's worker
# counts once the tables exist; only the counting itself is measured (`--toggle-collect` of
# `count_with`). Columns: instructions, first-level data-cache misses, and misses of a 1 MiB last
# level standing for the second-level cache (`--LL`; the tables and memos are megabytes, so this
# is where they miss), each for the old build, the new one and new/old. The two builds' token
# totals must be equal; a difference stops the script. Needs valgrind; about four minutes at 2 MB.
#
# With the tables built first and address-space randomisation off (`setarch -R`, where it
# exists), two runs of one build give the same counts on most kinds, but a run now and then
# counts up to 1.5% more instructions and a fifth more misses on one of them, when an allocation
# reuses memory freed earlier and has to zero it (seen on 1 MB slices of the Latin-script kind).
# Take smaller differences from larger slices (MB), from a second run, or from wall time.
#
# Counts say nothing of latency: a change that trades instructions for misses, or the other way,
# still needs wall-clock runs (`kinds.sh`, or `token_speed` with several rounds).
set -euo pipefail
usage="usage: bash benches/instructions.sh OLD_TOKEN_SPEED NEW_TOKEN_SPEED [ENCODING] [MB]"
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
# The builds' paths as given, resolved before moving to the repository's root.
for bin in "$1" "$2"; do
    if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
        echo "$bin is not an executable token_speed" >&2
        exit 2
    fi
done
old=$(realpath "$1")
new=$(realpath "$2")
encoding="${3:-o200k_base}"
mb="${4:-2}"
cd "$(dirname "$0")/.."
case "$encoding" in
    o200k_base | cl100k_base) ;;
    *) echo "ENCODING must be o200k_base or cl100k_base, not '$encoding'" >&2; exit 2 ;;
esac
[[ $mb =~ ^[1-9][0-9]*$ ]] || { echo "MB must be a positive number, not '$mb'" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
. benches/data.sh
[ -d "$data/kinds" ] || { echo "no $data/kinds: run 'bash benches/kinds.sh 1' once first" >&2; exit 2; }

slices="$data/slices-$mb"
mkdir -p "$slices"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

norandom=()
if setarch "$(uname -m)" -R true 2>/dev/null; then
    norandom=(setarch "$(uname -m)" -R)
else
    echo "note: cannot turn address randomisation off here; runs of one build may differ" >&2
fi

# Prints "instructions first-level-misses last-level-misses tokens" of the counting thread of one
# run, or fails with what valgrind said.
measure() {
    local bin=$1 file=$2
    rm -f "$work"/cg.*
    if ! "${norandom[@]}" valgrind --tool=callgrind --cache-sim=yes --LL=1048576,16,64 \
        --separate-threads=yes --toggle-collect='*count_with*' --callgrind-out-file="$work/cg.%p" \
        "$bin" "$file" 1 --no-reference --no-memo-sizes --only="own state" --tables-first \
        --encoding="$encoding" >"$work/out" 2>"$work/log"; then
        cat "$work/log" >&2
        return 1
    fi
    local tokens
    tokens=$(grep -oE '[0-9]+ tokens' "$work/out" | cut -d' ' -f1)
    # The events line names the columns; take the three by name from the main thread's summary.
    awk -v tokens="$tokens" '
        /^events:/ {for (i = 2; i <= NF; i++) col[$i] = i - 1}
        /^summary:/ {
            if (!col["Ir"] || !col["D1mr"] || !col["D1mw"] || !col["DLmr"] || !col["DLmw"]) exit 1
            print $(col["Ir"] + 1), $(col["D1mr"] + 1) + $(col["D1mw"] + 1),
                $(col["DLmr"] + 1) + $(col["DLmw"] + 1), tokens
        }' "$work"/cg.*-01
}

# The ratio b / a, three decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (a > 0) ? b / a : 0}'; }

printf '%-14s %14s %14s %7s  %12s %12s %7s  %11s %11s %7s\n' kind instructions new ratio \
    L1-misses new ratio L2-misses new ratio
for kind in code prose_en latin cyrillic cjk arabic_indic other_scripts emoji long; do
    # The first `mb` megabytes of the kind, cut after a whole line (the whole file if smaller).
    slice="$slices/$kind.jsonl"
    source_file="$data/kinds/$kind.jsonl"
    if [ ! -s "$slice" ] || [ "$source_file" -nt "$slice" ]; then
        if [ "$(wc -c <"$source_file")" -le "$((mb * 1000000))" ]; then
            cp "$source_file" "$slice.partial"
        else
            head -c "$((mb * 1000000))" "$source_file" | sed '$d' >"$slice.partial"
        fi
        mv "$slice.partial" "$slice"
    fi
    a=$(measure "$old" "$slice") || { echo "$kind: the old build's run failed" >&2; exit 1; }
    b=$(measure "$new" "$slice") || { echo "$kind: the new build's run failed" >&2; exit 1; }
    read -r a1 a2 a3 a_tokens <<<"$a"
    read -r b1 b2 b3 b_tokens <<<"$b"
    if [ -z "${b_tokens:-}" ] || [ "${a1:-0}" = 0 ] || [ "${b1:-0}" = 0 ]; then
        echo "$kind: no counts (is count_with still a function of its own in both builds?)" >&2
        exit 1
    fi
    if [ "$a_tokens" != "$b_tokens" ]; then
        echo "$kind: the builds count differently: $a_tokens against $b_tokens tokens" >&2
        exit 1
    fi
    printf '%-14s %14s %14s %7s  %12s %12s %7s  %11s %11s %7s\n' "$kind" "$a1" "$b1" "$(ratio "$a1" "$b1")" \
        "$a2" "$b2" "$(ratio "$a2" "$b2")" "$a3" "$b3" "$(ratio "$a3" "$b3")"
done
