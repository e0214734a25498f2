#!/usr/bin/env python3
"""Token counting by the Python-side peers on the strings of a chat JSONL file: tiktoken, quicktok
one text at a time (one thread) and quicktok's `count_batch` (all threads), on the same strings
ftlint's `token_speed` counts (message contents, text parts, tool-call names and arguments).

    benches/data/venv/bin/python benches/peers/count_peers.py FILE.jsonl [ROUNDS] [--encoding o200k_base]
        [--no-tiktoken] [--only=NAME]

For each counter: the median wall-clock throughput over the rounds, the throughput per CPU-second
of the process (all threads, from `os.times`), and the total number of tokens, which must equal
ftlint's. Install: `pip install tiktoken quicktok-v1` (quicktok 0.4.0 was measured).
"""

import json
import os
import statistics
import sys
import time


def extract(path):
    out = []
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            messages = record.get("messages") if isinstance(record, dict) else None
            if not isinstance(messages, list):
                continue
            for m in messages:
                content = m.get("content")
                if isinstance(content, str):
                    out.append(content)
                elif isinstance(content, list):
                    out += [p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
                for call in m.get("tool_calls") or []:
                    fn = call.get("function") or {}
                    out += [fn[k] for k in ("name", "arguments") if isinstance(fn.get(k), str)]
    return out


def cpu():
    t = os.times()
    return t.user + t.system


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0]
    rounds = int(args[1]) if len(args) > 1 else 3
    encoding = "o200k_base"
    if "--encoding" in sys.argv:
        encoding = sys.argv[sys.argv.index("--encoding") + 1]
    texts = extract(path)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{path}: {len(texts)} strings, {mb:.1f} MB of text, {rounds} rounds, {encoding}")

    counters = []
    try:
        import quicktok

        qt = quicktok.get_encoding(encoding)
        counters.append(("quicktok 1 thread", lambda: sum(qt.count(t) for t in texts)))
        counters.append(("quicktok count_batch 1 thread", lambda: int(quicktok.count_batch(qt, texts, threads=1).sum())))
        counters.append(("quicktok count_batch 2 threads", lambda: int(quicktok.count_batch(qt, texts, threads=2).sum())))
    except ImportError:
        print("  quicktok is not installed (pip install quicktok-v1)")
    if "--no-tiktoken" not in sys.argv:
        try:
            import tiktoken

            tk = tiktoken.get_encoding(encoding)
            counters.append(("tiktoken 1 thread", lambda: sum(len(x) for x in tk.encode_ordinary_batch(texts, num_threads=1))))
        except ImportError:
            print("  tiktoken is not installed (pip install tiktoken)")

    # The loop without counting: what a profile of the process subtracts to get the counting alone.
    counters.append(("python loop only", lambda: sum(len(t) for t in texts)))
    only = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")), None)
    if only is not None:
        counters = [(name, run) for name, run in counters if name == only]
    walls = {name: [] for name, _ in counters}
    cpus = {name: [] for name, _ in counters}
    totals = {}
    for _ in range(rounds):
        for name, run in counters:
            w, c = time.perf_counter(), cpu()
            totals[name] = run()
            walls[name].append(time.perf_counter() - w)
            cpus[name].append(cpu() - c)
    for name, _ in counters:
        wall = statistics.median(walls[name])
        c = statistics.median(cpus[name])
        print(f"  {name:40} {mb / wall:7.1f} MB/s (median), {mb / max(c, 0.01):7.1f} MB per CPU-second, {totals[name]} tokens")


if __name__ == "__main__":
    main()
