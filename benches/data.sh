# Sourced by the benchmark scripts: the data directory and the peers' venv, made once.
#
#   data          benches/data (git-ignored), created
#   ensure_venv   the peers and the corpus generator's pinned packages in $data/venv
#   ensure_real   $data/real500.jsonl, `real_corpus.py --mb 500 --seed 1`, written through a
#                 temporary name so that an interrupted run is redone
data=benches/data
mkdir -p "$data"

ensure_venv() {
    if [ ! -x "$data/venv/bin/python" ]; then
        echo "installing the peers into $data/venv ..." >&2
        python3 -m venv "$data/venv"
        "$data/venv/bin/pip" install --quiet tiktoken numpy together orjson quicktok-v1==0.4.0 \
            faker==33.1.0 babel==2.16.0
    fi
}

ensure_real() {
    local file="$data/real500.jsonl"
    if [ ! -s "$file" ]; then
        echo "generating $file ..." >&2
        "$data/venv/bin/python" crates/ftlint_bench/real_corpus.py --mb 500 --seed 1 --out "$file.partial" >&2
        mv "$file.partial" "$file"
    fi
}
