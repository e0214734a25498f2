#!/usr/bin/env python3
"""A fine-tuning JSONL file of real, non-repeating text, for measuring token counting where the
memos of repeated pieces do not help.

`gen_dataset.py` draws its texts from a small vocabulary, so almost every piece of it is counted
once and then remembered. Real training data is not like that: code has identifiers that never
recur, translations span every script, and long pieces (digests, base64, rulers) turn up. This
generator builds chat examples from text any machine with Rust and Python has:

- code: Rust sources of the crates in cargo's registry (`~/.cargo/registry/src`, and the standard
  library when the `rust-src` component is installed), the Python standard library, and the C,
  TOML, JSON, YAML and Markdown files of those crates;
- English prose: the docstrings of the Python standard library and the crates' Markdown;
- translations: every gettext catalog under `/usr/share/locale*` (the messages of installed
  programs, in a few hundred languages), sorted by script;
- names and prose in many languages: CLDR data from `babel` and the word lists of `faker`'s
  locales (`pip install faker==33.1.0 babel==2.16.0`; without them those kinds are left out);
- emoji-rich chat replies, and long pieces: checksums, base64 of the crates' binary files, rulers.

Each chunk of source text is used once; the examples are conversations that ask about the chunk
(explain this code, translate these strings, list these names) with the chunk as the message.
Everything is drawn with a fixed seed from a sorted file list, so the same machine gives the same
file. A manifest (`OUT.manifest.json`) records the make-up by kind and by source.

    python3 crates/ftlint_bench/real_corpus.py --mb 500 --seed 1 --out benches/data/real500.jsonl
    python3 crates/ftlint_bench/real_corpus.py --mb 40 --by-kind benches/data/kinds --out /tmp/x.jsonl

`--by-kind DIR` also writes each kind's chunks alone to `DIR/<kind>.jsonl`, for profiling the
tokenizer on one kind of text at a time (`token_speed DIR/cjk.jsonl`).
"""

import argparse
import base64
import gettext
import glob
import io
import json
import os
import random
import subprocess
import sys
import sysconfig
import unicodedata
import ast

KINDS = ["code", "prose_en", "latin", "cyrillic", "cjk", "arabic_indic", "other_scripts", "emoji", "long"]
# Share of the file per kind, when every kind has text enough; a kind that runs out leaves its
# share to the others.
WEIGHTS = {
    "code": 45,
    "prose_en": 10,
    "latin": 12,
    "cyrillic": 7,
    "cjk": 8,
    "arabic_indic": 7,
    "other_scripts": 4,
    "emoji": 3,
    "long": 4,
}
CHUNK_BYTES = (600, 9000)

SCRIPT_KIND = {
    "LATIN": "latin",
    "CYRILLIC": "cyrillic",
    "CJK": "cjk",
    "HIRAGANA": "cjk",
    "KATAKANA": "cjk",
    "HANGUL": "cjk",
    "BOPOMOFO": "cjk",
    "ARABIC": "arabic_indic",
    "DEVANAGARI": "arabic_indic",
    "BENGALI": "arabic_indic",
    "GURMUKHI": "arabic_indic",
    "GUJARATI": "arabic_indic",
    "ORIYA": "arabic_indic",
    "TAMIL": "arabic_indic",
    "TELUGU": "arabic_indic",
    "KANNADA": "arabic_indic",
    "MALAYALAM": "arabic_indic",
    "SINHALA": "arabic_indic",
    "SYRIAC": "arabic_indic",
    "THAANA": "arabic_indic",
}


def script_kind(text):
    """The kind of a text by the script of most of its letters (English when Latin and ASCII)."""
    counts = {}
    ascii_letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        if ch.isascii():
            ascii_letters += 1
            continue
        name = unicodedata.name(ch, "")
        script = name.split(" ", 1)[0] if name else ""
        kind = SCRIPT_KIND.get(script, "other_scripts")
        counts[kind] = counts.get(kind, 0) + 1
    if not counts or ascii_letters > 4 * max(counts.values()):
        return "latin" if counts.get("latin", 0) * 20 > ascii_letters else "prose_en"
    kind = max(counts, key=counts.get)
    return "latin" if kind == "latin" or (kind == "prose_en") else kind


def chunks_of(text, rng):
    """Cuts a text at line ends into pieces of a few kilobytes, each used once."""
    lines = text.splitlines(keepends=True)
    out, cur, size, target = [], [], 0, rng.randint(*CHUNK_BYTES)
    for line in lines:
        if len(line) > CHUNK_BYTES[1]:
            line = line[: CHUNK_BYTES[1]]
        cur.append(line)
        size += len(line)
        if size >= target:
            out.append("".join(cur))
            cur, size, target = [], 0, rng.randint(*CHUNK_BYTES)
    if cur and size > 80:
        out.append("".join(cur))
    return out


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (UnicodeDecodeError, OSError):
        return None


def rust_roots():
    roots = []
    try:
        sysroot = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True, text=True).stdout.strip()
        src = os.path.join(sysroot, "lib", "rustlib", "src", "rust", "library")
        if os.path.isdir(src):
            roots.append(src)
    except OSError:
        pass
    cargo_home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    roots += sorted(glob.glob(os.path.join(cargo_home, "registry", "src", "*")))
    return roots


def files_under(roots, exts):
    out = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(exts):
                    out.append(os.path.join(dirpath, name))
    return out


class Sources:
    """Every kind's chunks, drawn lazily: each source is read when its kind first needs text."""

    def __init__(self, rng, include_tests):
        self.rng = rng
        self.include_tests = include_tests
        self.pools = {kind: [] for kind in KINDS}
        self.by_source = {}
        self.loaded = set()
        self.fillers = {}
        self.versions = {}
        self.seen = set()

    def add(self, kind, source, texts):
        for text in texts:
            self.pools[kind].append((source, text))

    def load(self, kind):
        if kind in self.loaded:
            return
        self.loaded.add(kind)
        getattr(self, "load_" + kind)()
        self.rng.shuffle(self.pools[kind])

    def load_code(self):
        rng = self.rng
        roots = rust_roots()
        for path in files_under(roots, (".rs",)):
            text = read_text(path)
            if text:
                self.add("code", "rust", chunks_of(text, rng))
        for path in files_under(roots, (".c", ".h", ".toml", ".json", ".yml", ".yaml")):
            text = read_text(path)
            if text and not path.endswith(".cargo_vcs_info.json"):
                self.add("code", "c_toml_json_yaml", chunks_of(text, rng))
        stdlib = sysconfig.get_paths()["stdlib"]
        for path in files_under([stdlib], (".py",)):
            if "site-packages" in path:
                continue
            text = read_text(path)
            if text:
                self.add("code", "python", chunks_of(text, rng))

    def load_prose_en(self):
        rng = self.rng
        stdlib = sysconfig.get_paths()["stdlib"]
        for path in files_under([stdlib], (".py",)):
            if "site-packages" in path:
                continue
            text = read_text(path)
            if not text:
                continue
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError):
                continue
            docs = []
            for node in ast.walk(tree):
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                    doc = ast.get_docstring(node)
                    if doc and len(doc) > 200:
                        docs.append(doc)
            if docs:
                self.add("prose_en", "python_docstrings", chunks_of("\n\n".join(docs), rng))
        for path in files_under(rust_roots(), (".md", ".txt")):
            text = read_text(path)
            if text and script_kind(text) == "prose_en":
                self.add("prose_en", "crate_markdown", chunks_of(text, rng))

    def load_translations(self):
        """Gettext catalogs: pairs of English message and translation, a catalog's pairs together."""
        if "translations" in self.loaded:
            return
        self.loaded.add("translations")
        paths = []
        for root in sorted(glob.glob("/usr/share/locale*")):
            paths += sorted(glob.glob(os.path.join(root, "*", "LC_MESSAGES", "*.mo")))
        for path in paths:
            try:
                with open(path, "rb") as f:
                    catalog = gettext.GNUTranslations(f)._catalog
            except Exception:
                continue
            pairs = []
            for key, value in catalog.items():
                msgid = key[0] if isinstance(key, tuple) else key
                if not msgid or not value or not isinstance(value, str) or value == msgid:
                    continue
                pairs.append((msgid, value))
            if not pairs:
                continue
            lang = path.split(os.sep)[-3]
            kind = script_kind("".join(v for _, v in pairs[:200]))
            if kind == "prose_en":
                kind = "latin"
            for chunk in self._pair_chunks(pairs):
                self.pools[kind].append(("gettext", ("translate", lang, chunk)))

    def _pair_chunks(self, pairs):
        out, cur, size = [], [], 0
        target = self.rng.randint(*CHUNK_BYTES)
        for pair in pairs:
            cur.append(pair)
            size += len(pair[0]) + len(pair[1])
            if size >= target:
                out.append(cur)
                cur, size, target = [], 0, self.rng.randint(*CHUNK_BYTES)
        if cur:
            out.append(cur)
        return out

    def load_cldr(self):
        if "cldr" in self.loaded:
            return
        self.loaded.add("cldr")
        try:
            import babel
            from babel import Locale, localedata
        except ImportError:
            print("babel is not installed: no CLDR names (pip install babel==2.16.0)", file=sys.stderr)
            return
        self.versions["babel"] = babel.__version__
        for ident in sorted(localedata.locale_identifiers()):
            try:
                loc = Locale.parse(ident)
                parts = []
                for title, table in [
                    ("languages", loc.languages),
                    ("territories", loc.territories),
                    ("currencies", loc.currencies),
                    ("scripts", loc.scripts),
                ]:
                    names = [f"{k}: {v}" for k, v in sorted(table.items())]
                    parts.append(f"{title}\n" + "\n".join(names))
                months = loc.months.get("format", {}).get("wide", {})
                days = loc.days.get("format", {}).get("wide", {})
                parts.append("months: " + ", ".join(months[k] for k in sorted(months)))
                parts.append("days: " + ", ".join(days[k] for k in sorted(days)))
                text = "\n\n".join(parts)
            except Exception:
                continue
            kind = script_kind("\n".join(parts[:2])[-4000:])
            if kind == "prose_en":
                kind = "latin"
            for chunk in chunks_of(text, self.rng):
                self.pools[kind].append(("cldr", ("names", ident, chunk)))

    def load_script(self, kind):
        self.load_translations()
        self.load_cldr()
        self.faker_filler(kind)

    def load_latin(self):
        self.load_script("latin")

    def load_cyrillic(self):
        self.load_script("cyrillic")

    def load_cjk(self):
        self.load_script("cjk")

    def load_arabic_indic(self):
        self.load_script("arabic_indic")

    def load_other_scripts(self):
        self.load_script("other_scripts")

    def faker_filler(self, kind):
        """Once the real sources of a script are used up, prose from faker's word lists of its
        locales (random sentences of real words: every one different)."""
        try:
            import faker
        except ImportError:
            print("faker is not installed: no generated prose (pip install faker==33.1.0)", file=sys.stderr)
            return
        self.versions["faker"] = faker.VERSION
        locales = {
            "latin": ["de_DE", "fr_FR", "it_IT", "pl_PL", "cs_CZ", "nl_NL", "da_DK", "vi_VN", "az_AZ", "la"],
            "cyrillic": ["ru_RU", "uk_UA"],
            "cjk": ["zh_CN", "zh_TW", "ja_JP"],
            "arabic_indic": ["ar_AA", "fa_IR", "bn_BD"],
            "other_scripts": ["el_GR", "he_IL", "th_TH", "hy_AM"],
            "emoji": ["en_US"],
        }[kind]
        fakes = []
        for loc in locales:
            try:
                fake = faker.Faker(loc)
            except AttributeError:
                continue
            fake.seed_instance(self.rng.randrange(1 << 30))
            fakes.append((loc, fake))
        self.fillers[kind] = fakes

    def load_emoji(self):
        self.faker_filler("emoji")

    def load_long(self):
        """Long pieces: checksum files, base64 of binary files, rulers and tables in Markdown."""
        roots = rust_roots()
        for path in files_under(roots, (".cargo-checksum.json", "Cargo.lock")):
            text = read_text(path)
            if text:
                self.add("long", "checksums", chunks_of(text, self.rng))
        for path in files_under(roots, (".png", ".gz", ".bin", ".der", ".wasm", ".ico", ".zst")):
            try:
                with open(path, "rb") as f:
                    data = f.read(6000)
            except OSError:
                continue
            if len(data) > 300:
                self.add("long", "base64", [base64.b64encode(data).decode()])

    def next(self, kind):
        """The next chunk of a kind, or None when it has run out. A chunk seen before (the same file
        in two versions of a crate, the same catalog in two packages) is skipped."""
        self.load(kind)
        pool = self.pools[kind]
        while pool:
            item = pool.pop()
            key = hash(repr(item[1]))
            if key not in self.seen:
                self.seen.add(key)
                return item
        fakes = self.fillers.get(kind)
        if not fakes:
            return None
        loc, fake = self.rng.choice(fakes)
        if kind == "emoji":
            return ("faker", ("emoji", loc, self.emoji_reply(fake)))
        paragraphs = fake.paragraphs(nb=self.rng.randint(2, 8))
        return ("faker", ("prose", loc, "\n\n".join(paragraphs)))

    def emoji_reply(self, fake):
        rng = self.rng
        out = []
        for _ in range(rng.randint(3, 12)):
            sentence = fake.sentence(nb_words=rng.randint(4, 14))
            tail = "".join(fake.emoji() for _ in range(rng.randint(1, 4)))
            out.append(f"{sentence} {tail}" if rng.random() < 0.7 else f"{tail} {sentence}")
        return "\n".join(out) if rng.random() < 0.5 else " ".join(out)


SYSTEMS = {
    "code": ["You are a senior software engineer.", "You explain code.", "You review code for bugs."],
    "prose_en": ["You are a technical writer.", "You summarize documentation."],
    "translate": ["You are a professional translator.", "You localize software."],
    "names": ["You are a localization expert.", "You know the world's languages."],
    "prose": ["You are a helpful assistant.", "You write in the user's language."],
    "emoji": ["You are a cheerful assistant.", "You reply like a friend."],
    "long": ["You are a careful assistant.", "You check data files."],
}


def example(kind, item, rng):
    """One chat example around a chunk. The chunk is the longest message; the rest is short."""
    source, body = item
    if isinstance(body, tuple):
        what, lang, chunk = body
    else:
        what, lang, chunk = (kind if kind in ("code", "prose_en", "long") else "prose"), None, body
    if what == "code":
        msgs = [
            ("user", rng.choice(["Explain this code:\n", "What does this do?\n", "Review this:\n"]) + chunk),
            ("assistant", rng.choice(["It defines", "This code", "The snippet"]) + " what its names say; the main work is in the first item."),
        ]
    elif what == "prose_en":
        msgs = [("user", "Summarize:\n" + chunk), ("assistant", "In short: " + chunk[: rng.randint(80, 300)])]
    elif what == "translate":
        source_text = "\n".join(m for m, _ in chunk)
        target_text = "\n".join(t for _, t in chunk)
        msgs = [(f"user", f"Translate these interface strings into {lang}:\n{source_text}"), ("assistant", target_text)]
        chunk = target_text
    elif what == "names":
        msgs = [("user", f"List the CLDR names for the locale {lang}."), ("assistant", chunk)]
    elif what == "emoji":
        msgs = [("user", "How was your day? 😊"), ("assistant", chunk)]
    elif what == "long":
        msgs = [("user", "Is this data intact?\n" + chunk), ("assistant", "It looks intact; the checksums are well formed.")]
    else:
        msgs = [("user", f"Write a few paragraphs ({lang})."), ("assistant", chunk)]
    system = rng.choice(SYSTEMS.get(what, SYSTEMS["prose"]))
    record = {"messages": [{"role": "system", "content": system}] + [{"role": r, "content": c} for r, c in msgs]}
    return record, source, chunk


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=500, help="size of the file in MB (10^6 bytes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--by-kind", metavar="DIR", help="also write each kind's chunks to DIR/<kind>.jsonl")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds to include")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    sources = Sources(rng, include_tests=True)
    kinds = [k for k in args.kinds.split(",") if k]
    target = int(args.mb * 1e6)
    written = {k: 0 for k in KINDS}
    by_source = {}
    lines = 0
    total = 0
    by_kind = {}
    if args.by_kind:
        os.makedirs(args.by_kind, exist_ok=True)
        by_kind = {k: open(os.path.join(args.by_kind, f"{k}.jsonl"), "w", encoding="utf-8") for k in kinds}
    live = list(kinds)
    with open(args.out, "w", encoding="utf-8") as out:
        # Azure OpenAI asks for a byte-order mark; with it the file gives no finding at all.
        out.write("\ufeff")
        total += 3
        while total < target and live:
            # The kind furthest below its share goes next.
            kind = min(live, key=lambda k: written[k] / WEIGHTS[k])
            item = sources.next(kind)
            if item is None:
                live.remove(kind)
                continue
            record, source, chunk = example(kind, item, rng)
            line = json.dumps(record, ensure_ascii=False) + "\n"
            n = len(line.encode("utf-8"))
            out.write(line)
            total += n
            lines += 1
            written[kind] += n
            by_source[source] = by_source.get(source, 0) + n
            if args.by_kind:
                by_kind[kind].write(json.dumps({"messages": [{"role": "assistant", "content": chunk}]}, ensure_ascii=False) + "\n")
    for f in by_kind.values():
        f.close()
    manifest = {
        "file": args.out,
        "seed": args.seed,
        "bytes": total,
        "examples": lines,
        "bytes_by_kind": {k: v for k, v in written.items() if v},
        "bytes_by_source": dict(sorted(by_source.items())),
        "python": sys.version.split()[0],
        "packages": sources.versions,
        "rust_roots": rust_roots(),
    }
    with open(args.out + ".manifest.json", "w") as f:
        json.dump(manifest, f, indent=2)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
