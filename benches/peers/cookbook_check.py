"""A fine-tuning data check in the style of OpenAI's data-preparation guide (the cookbook notebook
"Data preparation and analysis for chat model fine-tuning"): json + tiktoken, one record at a time,
format-error counts, token counts per example, the epoch heuristic and the billed-token estimate.

Written for ftlint's benchmark (benches/compare.sh) as the baseline users run today. Unlike the
notebook it does not crash on list content, tool calls or weights: text parts are joined and other
values are skipped, so it finishes on realistic data. Encodings load offline from the `.tiktoken`
rank files that ship in the tiktoken-rs crate source (in Cargo's registry, which building ftlint_bench
fills; without them tiktoken downloads its own).

usage: python3 cookbook_check.py FILE [--encoding o200k_base]
"""
import argparse
import base64
import collections
import glob
import json
import os
import sys

import numpy as np
import tiktoken

PATTERNS = {
    "o200k_base": "|".join(
        [
            r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
            r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
            r"""\p{N}{1,3}""",
            r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
            r"""\s*[\r\n]+""",
            r"""\s+(?!\S)""",
            r"""\s+""",
        ]
    ),
    "cl100k_base": r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
}
SPECIALS = {"o200k_base": {"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
            "cl100k_base": {"<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259,
                            "<|fim_suffix|>": 100260, "<|endofprompt|>": 100276}}


def load_encoding(name):
    cargo_home = os.environ.get("CARGO_HOME") or os.path.expanduser("~/.cargo")
    candidates = glob.glob(os.path.join(cargo_home, f"registry/src/*/tiktoken-rs-*/assets/{name}.tiktoken"))
    if not candidates:
        return tiktoken.get_encoding(name)
    ranks = {}
    with open(sorted(candidates)[-1], "rb") as f:
        for line in f:
            if line.strip():
                token, rank = line.split()
                ranks[base64.b64decode(token)] = int(rank)
    return tiktoken.Encoding(name=name, pat_str=PATTERNS[name], mergeable_ranks=ranks,
                             special_tokens=SPECIALS[name])


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
    args = parser.parse_args()
    enc = load_encoding(args.encoding)

    errors = collections.defaultdict(int)
    n_tokens, n_assistant = [], []
    examples = 0
    with open(args.file, encoding="utf-8-sig", errors="replace") as f:
        for line in f:
            if not line.strip():
                errors["blank_line"] += 1
                continue
            try:
                ex = json.loads(line)
            except json.JSONDecodeError:
                errors["invalid_json"] += 1
                continue
            examples += 1
            if not isinstance(ex, dict) or not isinstance(ex.get("messages"), list) or not ex["messages"]:
                errors["missing_messages_list"] += 1
                continue
            total, assistant = 3, 0
            for message in ex["messages"]:
                if not isinstance(message, dict) or "role" not in message:
                    errors["message_missing_key"] += 1
                    continue
                if message["role"] not in ("system", "user", "assistant", "tool", "function"):
                    errors["unrecognized_role"] += 1
                if "content" not in message and "tool_calls" not in message and "function_call" not in message:
                    errors["missing_content"] += 1
                total += 3
                for key, value in message.items():
                    if key == "content":
                        count = len(enc.encode_ordinary(text_of(value)))
                        total += count
                        if message["role"] == "assistant" and message.get("weight", 1) != 0:
                            assistant += count
                    elif key in ("role", "name") and isinstance(value, str):
                        total += len(enc.encode_ordinary(value)) + (1 if key == "name" else 0)
            if not any(isinstance(m, dict) and m.get("role") == "assistant" for m in ex["messages"]):
                errors["example_missing_assistant_message"] += 1
            n_tokens.append(total)
            n_assistant.append(assistant)

    print(f"examples: {examples}")
    for kind, count in sorted(errors.items()):
        print(f"{kind}: {count}")
    if n_tokens:
        values = np.array(n_tokens)
        print(f"tokens total: {int(values.sum())}, trained: {int(np.sum(n_assistant))}")
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
