#!/usr/bin/env bash
# ftlint against what people use today, on the same files, runs alternated so that machine noise
# hits every tool alike; prints the median wall time of each and the ratios, for each file.
#
#   bash benches/compare.sh [RUNS] [gen|real|both]   (default 3 runs, both files; needs python3 and
#                                                      network for pip)
#
# Data, written once to benches/data/:
#   - gen: crates/ftlint_bench/gen_dataset.py --mb 512 --seed 1, a 512 MiB chat dataset drawn from
#     a small vocabulary (the memos of repeated pieces hit almost always);
#   - real: crates/ftlint_bench/real_corpus.py --mb 500 --seed 1, 500 MB of real, non-repeating
#     text (code, docs, translations in every script; see its manifest).
# Peers, installed into benches/data/venv:
#   - cookbook: benches/peers/cookbook_check.py, a check in the style of OpenAI's data-preparation
#     guide (json + tiktoken o200k_base, single-threaded Python);
#   - orjson-quicktok: benches/peers/orjson_quicktok_check.py, the same check with orjson and
#     quicktok's parallel count_batch (C++, exact), the fastest a Python user can write today;
#   - together: `together files check` (PyPI package `together`), with dummy credentials so it does
#     not reach for the network.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
which="${2:-both}"
. benches/data.sh
ensure_venv
files=()
if [ "$which" != real ]; then
    file="$data/gen512.jsonl"
    if [ ! -s "$file" ]; then
        echo "generating $file ..." >&2
        python3 crates/ftlint_bench/gen_dataset.py --mb 512 --seed 1 --out "$file.partial" >&2
        mv "$file.partial" "$file"
    fi
    files+=("$file")
fi
if [ "$which" != gen ]; then
    ensure_real
    files+=("$data/real500.jsonl")
fi
cargo build --release --locked --quiet
ftlint=target/release/ftlint

for file in "${files[@]}"; do
# Warm the page cache so every tool starts from the same place.
cat "$file" > /dev/null

declare -A commands=(
    [ftlint]="$ftlint check --output-format concise $file"
    [ftlint-no-tokens]="$ftlint check --no-tokens --output-format concise $file"
    [cookbook]="$data/venv/bin/python benches/peers/cookbook_check.py $file"
    [orjson-quicktok]="$data/venv/bin/python benches/peers/orjson_quicktok_check.py $file"
    [together]="env TOGETHER_API_KEY=dummy TOGETHER_PROJECT_ID=dummy $data/venv/bin/together files check $file"
)
order=(ftlint ftlint-no-tokens cookbook orjson-quicktok together)
results="$data/compare-times.txt"
: > "$results"
for run in $(seq 1 "$runs"); do
    for name in "${order[@]}"; do
        start=$(date +%s%N)
        ${commands[$name]} > /dev/null 2>&1 || true
        end=$(date +%s%N)
        ms=$(( (end - start) / 1000000 ))
        echo "$name $ms" >> "$results"
        printf 'run %d  %-18s %8d ms\n' "$run" "$name" "$ms" >&2
    done
done

echo "== $file"
python3 - "$results" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    name, ms = line.split()
    times.setdefault(name, []).append(float(ms) / 1000)
medians = {name: statistics.median(values) for name, values in times.items()}
print(f"{'tool':<18} {'median s':>9}  {'runs':>4}  ftlint is faster by")
for name, median in medians.items():
    ratio = median / medians["ftlint"]
    print(f"{name:<18} {median:>9.2f}  {len(times[name]):>4}  {ratio:6.1f}x")
PY
done
