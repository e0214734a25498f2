"""The same check as cookbook_check.py, written as fast as Python allows today: orjson parses the
lines, and quicktok (C++, exact, tiktoken's ids) counts every text of the file in one parallel
`count_batch` call on all cores. Same format checks, same token formula, same report.

usage: python3 orjson_quicktok_check.py FILE [--encoding o200k_base] [--threads N]
(pip install orjson quicktok-v1 numpy; quicktok 0.4.0 and orjson 3.11 were measured)
"""
import argparse
import collections
import sys

import numpy as np
import orjson
import quicktok


def text_of(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--encoding", default="o200k_base")
    parser.add_argument("--threads", type=int, default=0, help="quicktok threads (0: all cores)")
    args = parser.parse_args()
    enc = quicktok.get_encoding(args.encoding)

    errors = collections.defaultdict(int)
    # Every text to count, and for each example where its counts go.
    texts = []
    examples_meta = []  # (first text index, [(text index, is trained assistant, extra tokens)])
    examples = 0
    with open(args.file, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for line in data.split(b"\n"):
        if not line.strip():
            if line:
                errors["blank_line"] += 1
            continue
        try:
            ex = orjson.loads(line)
        except orjson.JSONDecodeError:
            errors["invalid_json"] += 1
            continue
        examples += 1
        if not isinstance(ex, dict) or not isinstance(ex.get("messages"), list) or not ex["messages"]:
            errors["missing_messages_list"] += 1
            continue
        fixed = 3
        parts = []
        for message in ex["messages"]:
            if not isinstance(message, dict) or "role" not in message:
                errors["message_missing_key"] += 1
                continue
            if message["role"] not in ("system", "user", "assistant", "tool", "function"):
                errors["unrecognized_role"] += 1
            if "content" not in message and "tool_calls" not in message and "function_call" not in message:
                errors["missing_content"] += 1
            fixed += 3
            trained = message["role"] == "assistant" and message.get("weight", 1) != 0
            for key, value in message.items():
                if key == "content":
                    parts.append((len(texts), trained))
                    texts.append(text_of(value))
                elif key in ("role", "name") and isinstance(value, str):
                    parts.append((len(texts), False))
                    texts.append(value)
                    fixed += 1 if key == "name" else 0
        if not any(isinstance(m, dict) and m.get("role") == "assistant" for m in ex["messages"]):
            errors["example_missing_assistant_message"] += 1
        examples_meta.append((fixed, parts))

    counts = quicktok.count_batch(enc, texts, threads=args.threads)
    n_tokens = np.empty(len(examples_meta), dtype=np.int64)
    n_assistant = 0
    for i, (fixed, parts) in enumerate(examples_meta):
        total = fixed
        for index, trained in parts:
            total += int(counts[index])
            if trained:
                n_assistant += int(counts[index])
        n_tokens[i] = total

    print(f"examples: {examples}")
    for kind, count in sorted(errors.items()):
        print(f"{kind}: {count}")
    if len(n_tokens):
        values = n_tokens
        print(f"tokens total: {int(values.sum())}, trained: {n_assistant}")
        print(f"per example: min {values.min()}, p50 {int(np.median(values))}, p90 {int(np.quantile(values, 0.9))}, max {values.max()}")
        limit = 65536
        epochs = 3
        if examples * epochs < 100:
            epochs = min(25, 100 // examples)
        elif examples * epochs > 25000:
            epochs = max(1, 25000 // examples)
        billed = int(np.minimum(values, limit).sum())
        print(f"epochs: {epochs}, billed tokens: {billed * epochs}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
