#!/usr/bin/env bash
# ftlint's token counter against quicktok, one thread each, kind by kind of real text and on the
# whole real-text file: each run is a fresh process that counts its file once (cold memos, as in a
# check, where each chunk of the corpus is seen once), the two tools alternate, and the medians of
# RUNS runs are compared. Prints MB/s of text for each and the ratio.
#
#   bash benches/kinds.sh [RUNS] [ENCODING]   (default 3 runs, o200k_base; needs python3 and
#                                              network once, for pip)
#
# Data, written once to benches/data/: `real_corpus.py --mb 250 --seed 2 --by-kind kinds` (one file
# per kind, 3 to 110 MB) and, for the whole-corpus row, the 500 MB file of `compare.sh`.
# ftlint: `token_speed FILE 1 --only="own state"` (one thread, one state, as a check's worker);
# quicktok 0.4.0: `count_peers.py FILE 1 --only="quicktok 1 thread"`, one text at a time. Both
# count the same strings (message contents, text parts, tool-call names and arguments), and the
# token totals are printed so that they can be compared.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
encoding="${2:-o200k_base}"
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive number, not '$runs'" >&2; exit 2; }
case "$encoding" in
    o200k_base | cl100k_base) ;;
    *) echo "ENCODING must be o200k_base or cl100k_base, not '$encoding'" >&2; exit 2 ;;
esac
. benches/data.sh
ensure_venv
if [ ! -d "$data/kinds" ]; then
    echo "generating $data/kinds ..." >&2
    rm -rf "$data/kinds.partial"
    "$data/venv/bin/python" crates/ftlint_bench/real_corpus.py --mb 250 --seed 2 \
        --by-kind "$data/kinds.partial" --out "$data/kinds.partial/all.jsonl" >&2
    rm "$data/kinds.partial/all.jsonl"
    mv "$data/kinds.partial" "$data/kinds"
fi
ensure_real
cargo build --release --locked --quiet -p ftlint_bench --bin token_speed
token_speed=target/release/token_speed

# The middle value, or the mean of the two middle values of an even count.
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# The line of `name` in what a counter printed, or a message naming the file and an exit.
pick() { grep -F "$1" || { echo "no '$1' figure for $file; is the counter installed?" >&2; exit 1; }; }
printf '%-16s %10s %10s %8s  %s\n' kind ftlint quicktok ratio "tokens (ftlint / quicktok)"
for file in "$data"/kinds/{code,prose_en,latin,cyrillic,cjk,arabic_indic,other_scripts,emoji,long}.jsonl \
    "$data/real500.jsonl"; do
    ours=()
    theirs=()
    for _ in $(seq 1 "$runs"); do
        line=$("$token_speed" "$file" 1 --no-reference --no-memo-sizes --only="own state" --encoding="$encoding" | pick "own state")
        ours+=("$(grep -oE '[0-9.]+ MB/s' <<< "$line" | head -1 | cut -d' ' -f1)")
        our_tokens=$(grep -oE '[0-9]+ tokens' <<< "$line" | cut -d' ' -f1)
        line=$("$data/venv/bin/python" benches/peers/count_peers.py "$file" 1 --encoding "$encoding" --no-tiktoken \
            --only="quicktok 1 thread" | pick "quicktok 1 thread")
        theirs+=("$(grep -oE '[0-9.]+ MB/s' <<< "$line" | head -1 | cut -d' ' -f1)")
        their_tokens=$(grep -oE '[0-9]+ tokens' <<< "$line" | cut -d' ' -f1)
    done
    a=$(printf '%s\n' "${ours[@]}" | median)
    b=$(printf '%s\n' "${theirs[@]}" | median)
    printf '%-16s %10s %10s %7.2fx  %s / %s\n' "$(basename "$file" .jsonl)" "$a" "$b" \
        "$(awk -v a="$a" -v b="$b" 'BEGIN {print a / b}')" "$our_tokens" "$their_tokens"
done
