"""The ``ftlint`` command installed with the package: the Rust command line, run in this process.

``python -m ftlint`` does the same. Arguments, output and exit status are the binary's own: the
extension runs the very code ``crates/ftlint/src/main.rs`` runs.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    """Runs ``ftlint`` with ``argv`` (default: the command line) and exits with its status."""
    from . import _core

    args = sys.argv[1:] if argv is None else argv
    # Python's own output must come before ftlint's, which writes to the descriptors directly.
    sys.stdout.flush()
    sys.stderr.flush()
    # Ctrl-C stops ftlint at once, as it stops the binary, rather than waiting for the check to
    # return to Python. Not in a thread that cannot set handlers (an embedding program's call).
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    except ValueError:
        pass
    status = _core.run(["ftlint", *(os.fsdecode(a) if isinstance(a, bytes) else a for a in args)])
    if argv is None:
        sys.exit(status)
    return status


if __name__ == "__main__":
    main()
