#!/usr/bin/env python3
"""Scaffolds a new rule of the linter: its file, its registry row, its call and its fixtures.

    python3 scripts/add_rule.py FT232 assistant-first-message --kind conversation --severity warning \
        --summary "an SFT conversation whose first message after the system prompt is the assistant's"

Writes, from the repository root:

  crates/ftlint_linter/src/rules/<group>/<module>.rs  docs, fix text and a detection stub
  crates/ftlint_linter/src/rules/<group>/mod.rs       `pub mod <module>;`
  crates/ftlint_linter/src/rules/mod.rs               the registry row, in code order
  crates/ftlint_linter/src/checkers/<checker>.rs      the call, where rules of its kind run
  fixtures/rules/<code>-<name>/valid.jsonl            ten clean examples (no finding at all)
  fixtures/rules/<code>-<name>/invalid.jsonl          the same, for you to break
  fixtures/rules/<code>-<name>/expected.txt           empty until blessed
  crates/ftlint_linter/tests/rules.rs                 the rule's line in `rule_tests!` (its
                                                      snapshot test, `cargo test -p ftlint_linter <code>`)

Kinds, and where their call goes:

  file          checkers/file.rs, before the lines:     check(ctx: &mut FileContext, encoding)
  record        checkers/record.rs, after the format's: check(ctx: &mut RecordContext, record)
  message       checkers/conversation.rs, per message:  check(ctx, message: &Message)
  conversation  checkers/conversation.rs, per array:    check(ctx, messages: &[Message], kind: Kind)

Then: write the docs and the detection, break invalid.jsonl, and bless the fixtures with
`FTLINT_BLESS=1 cargo test --test rules` and the snapshot with
`INSTA_UPDATE=always cargo test -p ftlint_linter <code>` (see CONTRIBUTING.md). Standard library only.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINTER = ROOT / "crates" / "ftlint_linter" / "src"

# kind: (rule folder, stage in the registry, checker file, call, signature, imports)
KINDS = {
    "file": (
        "file",
        "File",
        "file.rs",
        "{module}::check(ctx, encoding);",
        "ctx: &mut FileContext<'_>, encoding: Encoding",
        ["use crate::context::FileContext;", "use crate::encoding::Encoding;"],
    ),
    "record": (
        "record",
        "Record",
        "record.rs",
        "{module}::check(&mut ctx, record);",
        "ctx: &mut RecordContext<'_>, record: &Object<'_>",
        ["use crate::context::RecordContext;", "use crate::model::json::Object;"],
    ),
    "message": (
        "record",
        "Record",
        "conversation.rs",
        "{module}::check(ctx, message);",
        "ctx: &mut RecordContext<'_>, message: &Message<'_>",
        ["use crate::context::RecordContext;", "use crate::model::message::Message;"],
    ),
    "conversation": (
        "record",
        "Record",
        "conversation.rs",
        "{module}::check(ctx, messages, kind);",
        "ctx: &mut RecordContext<'_>, messages: &[Message<'_>], kind: Kind",
        ["use crate::context::RecordContext;", "use crate::model::message::{Kind, Message};"],
    ),
}

# A clean SFT example: with a byte-order mark on the first line (the default `azure` profile asks
# for one), ten of them pass every rule.
CLEAN = (
    '{{"messages": [{{"role": "system", "content": "You are a concise assistant."}}, '
    '{{"role": "user", "content": "What is {n} + {n}?"}}, {{"role": "assistant", "content": "{sum}."}}]}}'
)


def fail(message):
    print(f"add_rule: {message}", file=sys.stderr)
    sys.exit(1)


def camel(name):
    return "".join(part.capitalize() for part in name.split("-"))


def rule_file(code, name, severity, summary, kind, group):
    _, _, _, _, signature, imports = KINDS[kind]
    variant = camel(name)
    uses = "\n".join(sorted(imports + ["use crate::rules::Rule;"]))
    return f'''//! {code} `{name}`: {summary}.

{uses}

pub const DOCS: &str = r#"# {code} {name}

## What it does
Reports {summary}.

## Why it matters
TODO: what the service does with it, and what the model learns from it. Cite the docs.

## Example
```json
TODO: the smallest record that shows it
```

## How to fix
TODO: how to change the data.
"#;

pub const FIX: &str = "TODO: one sentence on how to fix a finding";

/// TODO: what the detection looks at. A {severity} by default.
pub fn check({signature}) {{
    // Detect the fault, then report it where it is, in words that say what is wrong and why:
    // ctx.report(Rule::{variant}, &pointer).message(format!("…")).label("…");
    let _ = (Rule::{variant}, {", ".join(p.split(":")[0].strip() for p in signature.split(", "))});
}}
'''


def add_module(group, module):
    path = LINTER / "rules" / group / "mod.rs"
    text = path.read_text(encoding="utf-8")
    line = f"pub mod {module};"
    if line in text:
        fail(f"{path} already declares {module}")
    mods = re.findall(r"^pub mod \w+;$", text, flags=re.M)
    following = [m for m in mods if m > line]
    if following:
        text = text.replace(following[0], f"{line}\n{following[0]}", 1)
    else:
        text = text.rstrip("\n") + f"\n{line}\n"
    path.write_text(text, encoding="utf-8")
    return path


def add_registry_row(code, name, severity, stage, group, module):
    path = LINTER / "rules" / "mod.rs"
    text = path.read_text(encoding="utf-8")
    if f'"{code}"' in text or f'"{name}"' in text:
        fail(f"{code} or {name} is already in the registry")
    rows = list(re.finditer(r'^\s+\w+\s*=> "(FT\d{3})",.*;$', text, flags=re.M))
    if not rows:
        fail(f"no registry rows found in {path}")
    before = [row for row in rows if row.group(1) < code]
    anchor = before[-1] if before else rows[0]
    fields = [f"{camel(name)} ", f'=> "{code}", ', f'"{name}", ', f"{severity.capitalize()}, ", f"{stage}, "]
    # Line the new row up with the row it follows (the table is not formatted by rustfmt).
    columns = re.match(r'^(\s+)(\w+\s*)(=> "FT\d+",\s*)("[^"]+",\s*)(\w+,\s*)(\w+,\s*)', anchor.group(0))
    if columns:
        fields = [field.ljust(len(column)) for field, column in zip(fields, columns.groups()[1:])]
    row = "    " + "".join(fields) + f"{group}::{module};"
    at = anchor.end() if before else anchor.start()
    text = text[:at] + ("\n" + row if before else row + "\n") + text[at:]
    path.write_text(text, encoding="utf-8")
    return path


def add_call(kind, group, module):
    _, _, checker, call, _, _ = KINDS[kind]
    path = LINTER / "checkers" / checker
    text = path.read_text(encoding="utf-8")
    anchor = f"// (new {kind} rules go above this line)"
    index = text.find(anchor)
    if index < 0:
        fail(f"{path} has no line `{anchor}`")
    line_start = text.rfind("\n", 0, index) + 1
    indent = text[line_start:index]
    text = text[:line_start] + indent + call.format(module=module) + "\n" + text[line_start:]
    # The module joins the checker's import of its rule folder.
    imports = re.search(r"use crate::rules::" + group + r"::\{([^}]*)\};", text)
    if imports:
        names = sorted({n.strip() for n in imports.group(1).split(",") if n.strip()} | {module})
        text = text[: imports.start(1)] + ", ".join(names) + text[imports.end(1) :]
    else:
        single = re.search(r"use crate::rules::" + group + r"::(\w+);", text)
        if single:
            names = sorted({single.group(1), module})
            text = text[: single.start()] + f"use crate::rules::{group}::{{{', '.join(names)}}};" + text[single.end() :]
        else:
            last_use = list(re.finditer(r"^use .*;$", text, flags=re.M))[-1]
            text = text[: last_use.end()] + f"\nuse crate::rules::{group}::{module};" + text[last_use.end() :]
    path.write_text(text, encoding="utf-8")
    return path


def add_fixtures(code, name):
    folder = ROOT / "fixtures" / "rules" / f"{code}-{name}"
    if folder.exists():
        fail(f"{folder} already exists")
    folder.mkdir(parents=True)
    lines = [CLEAN.format(n=1000 + i, sum=2 * (1000 + i)) for i in range(10)]
    body = "\ufeff" + "\n".join(lines) + "\n"
    for file in ("valid.jsonl", "invalid.jsonl"):
        (folder / file).write_text(body, encoding="utf-8")
    (folder / "expected.txt").write_text("", encoding="utf-8")
    return folder


def add_snapshot_test(code, name):
    """Adds `ftNNN => "FTNNN-name",` to the `rule_tests!` list, in code order."""
    path = ROOT / "crates" / "ftlint_linter" / "tests" / "rules.rs"
    text = path.read_text(encoding="utf-8")
    entries = list(re.finditer(r'^    (ft\d{3}) => "(FT\d{3})-[a-z0-9-]+",$', text, flags=re.M))
    if not entries:
        fail(f"{path}: no `rule_tests!` entries found")
    new = f'    {code.lower()} => "{code}-{name}",'
    later = [m for m in entries if m.group(2) > code]
    at = later[0].start() if later else entries[-1].end() + 1
    text = text[:at] + new + "\n" + text[at:]
    path.write_text(text, encoding="utf-8")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("code", help="the rule's code, e.g. FT232")
    parser.add_argument("name", help="the rule's kebab-case name, e.g. assistant-first-message")
    parser.add_argument("--kind", choices=sorted(KINDS), required=True, help="what the rule looks at")
    parser.add_argument("--severity", choices=["error", "warning", "info"], required=True)
    parser.add_argument("--summary", required=True, help="what it reports, as a noun phrase")
    args = parser.parse_args()
    if not re.fullmatch(r"FT\d{3}", args.code):
        fail("the code is FT and three digits, e.g. FT232")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", args.name):
        fail("the name is kebab-case, e.g. assistant-first-message")
    group, stage, _, _, _, _ = KINDS[args.kind]
    module = args.name.replace("-", "_")
    path = LINTER / "rules" / group / f"{module}.rs"
    if path.exists():
        fail(f"{path} already exists")
    summary = args.summary.rstrip(".")
    path.write_text(rule_file(args.code, args.name, args.severity, summary, args.kind, group), encoding="utf-8")
    touched = [
        path,
        add_module(group, module),
        add_registry_row(args.code, args.name, args.severity, stage, group, module),
        add_call(args.kind, group, module),
        add_fixtures(args.code, args.name),
        add_snapshot_test(args.code, args.name),
    ]
    for item in touched:
        print(f"wrote {item.relative_to(ROOT)}")
    print("next: cargo fmt --all, then write the docs and the detection, break invalid.jsonl,")
    print("      and bless: FTLINT_BLESS=1 cargo test --test rules, then")
    print(f"      INSTA_UPDATE=always cargo test -p ftlint_linter {args.code.lower()} (CONTRIBUTING.md, \"Add a rule\")")


if __name__ == "__main__":
    main()
