#!/usr/bin/env python3
"""Checks the layers of the linter crate: which of its modules may import which.

    model/     shared types: imports no rule and no checker
    rules/     one file per rule: may import model/ and the context, never a checker, and never
               another rule (the registry, `crate::rules::Rule`, is not a rule)
    checkers/  one per stage: the only callers of rules

Reads every `use crate::...` (and `crate::...` path) of crates/ftlint_linter/src and exits 1,
naming each offending file, line and import, when model/ reaches rules/ or checkers/, rules/
reach checkers/, or a rule's code (tests aside) reaches another rule's module. Exit 0 and a
one-line summary otherwise. Standard library only.

    python3 scripts/check_layers.py [SRC_DIR]
"""

import re
import sys
from pathlib import Path

# The layer a module belongs to, by its first path segment under src/.
LAYERS = ("model", "rules", "checkers")

# What each layer must not import.
FORBIDDEN = {
    "model": ("rules", "checkers"),
    "rules": ("checkers",),
}

# `crate::a::b`, in a `use` line or in a path in code; `use crate::{a, b}` groups are expanded below.
CRATE_PATH = re.compile(r"\bcrate::([A-Za-z_][A-Za-z0-9_]*)")
USE_GROUP = re.compile(r"\buse\s+crate::\{([^}]*)\}")

# A rule reaching another rule's module: through the registry's stage folders, or its neighbours.
OTHER_RULE = re.compile(
    r"\bcrate::rules::(?:\{[^}]*\b)?(file|line|record|vision|dataset|tokens|secrets)\b|\buse\s+super::(?!\*)"
)


def layer_of(path: Path, src: Path):
    first = path.relative_to(src).parts[0]
    name = first[:-3] if first.endswith(".rs") else first
    return name if name in LAYERS else None


def imported_modules(line: str):
    """The top-level crate modules a line of Rust names through `crate::`."""
    found = set(CRATE_PATH.findall(line))
    for group in USE_GROUP.findall(line):
        for item in group.split(","):
            head = item.strip().split("::")[0].strip()
            if head:
                found.add(head)
    return found


def strip_comment(line: str) -> str:
    # Doc links (`[`crate::checkers`]`) in comments are not imports.
    index = line.find("//")
    return line if index < 0 else line[:index]


def check(src: Path):
    problems = []
    files = sorted(src.rglob("*.rs"))
    for path in files:
        layer = layer_of(path, src)
        if layer not in FORBIDDEN:
            continue
        text = path.read_text(encoding="utf-8")
        # A `use crate::{...}` group may span lines: join each statement before reading it.
        statement = ""
        # The registry and the stage folders' `mod.rs` declare the rules; they call none.
        is_rule_file = layer == "rules" and path.name != "mod.rs"
        in_tests = False
        for number, raw in enumerate(text.splitlines(), start=1):
            in_tests = in_tests or raw.strip() == "#[cfg(test)]"
            code = strip_comment(raw)
            if statement or code.lstrip().startswith("use crate::"):
                statement += " " + code.strip()
                if ";" not in code:
                    continue
                line, statement = statement, ""
            else:
                line = code
            for module in imported_modules(line):
                if module in FORBIDDEN[layer]:
                    problems.append(
                        f"{path}:{number}: {layer}/ must not import {module}/: {raw.strip()}"
                    )
            if is_rule_file and not in_tests and OTHER_RULE.search(line):
                problems.append(
                    f"{path}:{number}: a rule must not call another rule (checkers do): {raw.strip()}"
                )
    return files, problems


def main(argv):
    root = Path(__file__).resolve().parent.parent
    src = Path(argv[1]) if len(argv) > 1 else root / "crates" / "ftlint_linter" / "src"
    if not src.is_dir():
        print(f"check_layers: no such directory: {src}", file=sys.stderr)
        return 2
    files, problems = check(src)
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"check_layers: {len(problems)} import(s) cross a layer: model/ imports neither rules/ "
            "nor checkers/, rules/ never import checkers/, and only checkers call rules",
            file=sys.stderr,
        )
        return 1
    counts = {layer: sum(1 for f in files if layer_of(f, src) == layer) for layer in LAYERS}
    summary = ", ".join(f"{counts[layer]} in {layer}/" for layer in LAYERS)
    print(f"check_layers: {len(files)} files, {summary}: no import crosses a layer")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
