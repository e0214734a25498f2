"""ftlint: an exact, fast validator and linter for OpenAI / Azure OpenAI fine-tuning JSONL data.

The API checks files (:func:`check`) or records already in memory (:func:`check_records`), counts
the tokens of one example (:func:`count_tokens`) and lists the rules (:func:`rules`). A check runs
the command line's own code (the linter, configuration files, the JSON reporter) with the GIL
released, on every core; its keywords mirror the flags of ``ftlint check``::

    import ftlint
    report = ftlint.check("data/train.jsonl", validation="data/valid.jsonl", profile="openai")
    if not report.ok:
        print(report.to_pandas())

Errors are exceptions with the command's messages: :class:`FileNotFoundError` for a missing path,
:class:`ValueError` for a bad argument (an unknown rule or model), :class:`FtlintError` for the
rest (an invalid configuration file, an input that cannot be read).
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _core
from ._core import FtlintError

__all__ = [
    "Diagnostic",
    "FileReport",
    "FtlintError",
    "Report",
    "__version__",
    "check",
    "check_records",
    "count_tokens",
    "rules",
]

__version__: str = _core.__version__

PathLike = Union[str, "os.PathLike[str]"]

#: The name a report gives the records of :func:`check_records`.
RECORDS_NAME = "<records>"

#: Findings shown in a notebook's table; the rest are counted.
_HTML_FINDINGS = 50


@dataclass(frozen=True)
class Diagnostic:
    """One finding, with the members of a diagnostic in ``ftlint check --output-format json``.

    ``line`` and ``column`` count from 1 (``None`` for findings about the whole file); ``offset``
    and ``length`` are the byte span in the file; ``pointer`` is the JSON pointer of the value
    (``"/messages/2/weight"``) or ``None``; ``fix`` is the fix as the JSON output has it, or ``None``.
    """

    code: str
    name: str
    severity: str
    message: str
    help: str
    line: Optional[int]
    column: Optional[int]
    offset: int
    length: int
    pointer: Optional[str]
    fix: Optional[Dict[str, Any]]


@dataclass(frozen=True)
class FileReport:
    """What the check found in one file: its findings and its figures.

    ``tokens`` and ``stats`` are the ``tokens`` and ``stats`` members of the JSON output (``tokens``
    is ``None`` when token counting is off).
    """

    path: str
    bytes: int
    examples: int
    diagnostics: List[Diagnostic]
    tokens: Optional[Dict[str, Any]]
    stats: Dict[str, Any]


class Report:
    """The result of a check: one :class:`FileReport` per file checked, and the totals.

    ``report.to_dict()`` is the document ``ftlint check --output-format json`` prints.
    """

    def __init__(self, document: Dict[str, Any]) -> None:
        self._document = document
        self.files: List[FileReport] = [
            FileReport(
                path=f["path"],
                bytes=f["bytes"],
                examples=f["examples"],
                diagnostics=[Diagnostic(**d) for d in f["diagnostics"]],
                tokens=f["tokens"],
                stats=f["stats"],
            )
            for f in document["files"]
        ]
        #: ``{"files", "examples", "errors", "warnings", "infos"}``: the totals of the check.
        self.summary: Dict[str, int] = dict(document["summary"])

    @property
    def ok(self) -> bool:
        """True when nothing of error severity was found."""
        return self.summary["errors"] == 0

    @property
    def diagnostics(self) -> List[Diagnostic]:
        """Every finding of every file, in file and line order."""
        return [d for f in self.files for d in f.diagnostics]

    def to_dict(self) -> Dict[str, Any]:
        """The report as ``ftlint check --output-format json`` prints it (a fresh copy)."""
        return json.loads(json.dumps(self._document))

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` with one row per finding.

        Columns: ``path``, ``line``, ``column``, ``code``, ``name``, ``severity``, ``message``,
        ``help``, ``pointer``, ``offset``, ``length``, ``fixable``. pandas is imported only here.
        """
        import pandas as pd

        rows = [
            {
                "path": f.path,
                "line": d.line,
                "column": d.column,
                "code": d.code,
                "name": d.name,
                "severity": d.severity,
                "message": d.message,
                "help": d.help,
                "pointer": d.pointer,
                "offset": d.offset,
                "length": d.length,
                "fixable": d.fix is not None,
            }
            for f in self.files
            for d in f.diagnostics
        ]
        columns = [
            "path", "line", "column", "code", "name", "severity", "message", "help", "pointer",
            "offset", "length", "fixable",
        ]
        frame = pd.DataFrame(rows, columns=columns)
        # Whole-file findings have no line: nullable integers keep the column integral.
        for column in ("line", "column"):
            frame[column] = frame[column].astype("Int64")
        return frame

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<ftlint.Report {'ok' if self.ok else 'failed'}: {s['errors']} errors, "
            f"{s['warnings']} warnings, {s['infos']} infos in {s['files']} "
            f"file{'' if s['files'] == 1 else 's'} "
            f"({s['examples']} examples)>"
        )

    def _repr_html_(self) -> str:
        """The notebook view: the summary, the first findings and a token histogram (no script)."""
        from ._html import report_html

        return report_html(self, _HTML_FINDINGS)


def _paths(path: Union[PathLike, Sequence[PathLike]]) -> List[str]:
    if isinstance(path, (str, os.PathLike)):
        return [os.fspath(path)]
    if isinstance(path, bytes):
        raise TypeError("path must be a str or os.PathLike, not bytes")
    paths = [os.fspath(p) for p in path]
    if not paths:
        raise ValueError("no path to check")
    return paths


def _rule_list(keyword: str, value: Union[None, str, Iterable[str]]) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    names = list(value)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"{keyword} takes rule codes or names as str, not {type(name).__name__}")
    return [f"--{keyword}={','.join(names)}"] if names else []


def _flags(
    *,
    profile: Optional[str],
    model: Optional[str],
    format: Optional[str],
    select: Union[None, str, Iterable[str]],
    ignore: Union[None, str, Iterable[str]],
    warn: Union[None, str, Iterable[str]],
    error: Union[None, str, Iterable[str]],
    encoding: Optional[str],
    max_example_tokens: Optional[int],
    epochs: Optional[int],
    tokens: bool,
    config: Optional[PathLike],
    isolated: bool,
    grader: Optional[PathLike],
) -> List[str]:
    """The ``ftlint check`` flags that the keywords stand for."""
    flags = ["--output-format=json"]
    for name, value in (
        ("profile", profile),
        ("model", model),
        ("format", format),
        ("encoding", encoding),
        ("max-example-tokens", max_example_tokens),
        ("epochs", epochs),
    ):
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                raise TypeError(f"{name.replace('-', '_')} must be a str or int, not {type(value).__name__}")
            flags.append(f"--{name}={value}")
    for keyword, value in (("select", select), ("ignore", ignore), ("warn", warn), ("error", error)):
        flags += _rule_list(keyword, value)
    if not tokens:
        flags.append("--no-tokens")
    if config is not None:
        flags.append(f"--config={os.fspath(config)}")
    if isolated:
        flags.append("--isolated")
    if grader is not None:
        flags.append(f"--grader={os.fspath(grader)}")
    return flags


def _report(result: Any) -> Report:
    document, messages = result
    for message in messages:
        warnings.warn(message, RuntimeWarning, stacklevel=3)
    return Report(json.loads(document))


def check(
    path: Union[PathLike, Sequence[PathLike]],
    validation: Optional[PathLike] = None,
    *,
    profile: Optional[str] = None,
    model: Optional[str] = None,
    format: Optional[str] = None,
    select: Union[None, str, Iterable[str]] = None,
    ignore: Union[None, str, Iterable[str]] = None,
    warn: Union[None, str, Iterable[str]] = None,
    error: Union[None, str, Iterable[str]] = None,
    encoding: Optional[str] = None,
    max_example_tokens: Optional[int] = None,
    epochs: Optional[int] = None,
    tokens: bool = True,
    config: Optional[PathLike] = None,
    isolated: bool = False,
    grader: Optional[PathLike] = None,
) -> Report:
    """Checks files (or directories of ``*.jsonl`` files) as ``ftlint check`` does.

    ``validation`` is the job's validation file: checked without the training minimum, and each of
    its examples looked up in the training files. The other keywords are the flags of the same
    name (``profile="openai"``, ``select=["FT219"]``, ``tokens=False`` for ``--no-tokens``);
    settings files (``ftlint.toml``, ``[tool.ftlint]`` in ``pyproject.toml``) above each path apply
    unless ``isolated=True`` or ``config=`` names one. ``grader`` is the path of an RFT job's
    grader (JSON, as sent to the API; with ``format="rft"``): it is checked, and so is every record
    field its templates read.

    Raises :class:`FileNotFoundError` for a missing path, :class:`ValueError` for a bad argument,
    :class:`FtlintError` when the check cannot be done (an invalid configuration file).
    """
    argv = ["ftlint", "check"]
    argv += _flags(
        profile=profile, model=model, format=format, select=select, ignore=ignore, warn=warn,
        error=error, encoding=encoding, max_example_tokens=max_example_tokens, epochs=epochs,
        tokens=tokens, config=config, isolated=isolated, grader=grader,
    )
    if validation is not None:
        argv.append(f"--validation={os.fspath(validation)}")
    # `--` so that a path starting with `-` is a path.
    argv += ["--", *_paths(path)]
    return _report(_core.check(argv))


def check_records(
    records: Iterable[Union[Mapping[str, Any], str, bytes]],
    format: str = "auto",
    role: str = "training",
    *,
    profile: Optional[str] = None,
    model: Optional[str] = None,
    select: Union[None, str, Iterable[str]] = None,
    ignore: Union[None, str, Iterable[str]] = None,
    warn: Union[None, str, Iterable[str]] = None,
    error: Union[None, str, Iterable[str]] = None,
    encoding: Optional[str] = None,
    max_example_tokens: Optional[int] = None,
    epochs: Optional[int] = None,
    tokens: bool = True,
    config: Optional[PathLike] = None,
    isolated: bool = False,
    grader: Optional[PathLike] = None,
) -> Report:
    """Checks records in memory as one JSON Lines file named ``"<records>"``: record ``i`` is line
    ``i + 1``.

    ``records`` is any iterable of dicts, JSON strings or bytes (a list, a generator, a DataFrame
    column, a ``datasets.Dataset``). Each is serialized to one line of JSON as it is taken, so a
    generator is never held whole (its JSON Lines bytes are). ``format`` is ``auto``, ``sft``,
    ``dpo`` or ``rft``; ``role`` is ``training`` or ``validation`` (without the training minimum of
    10 examples). The settings file of the working directory applies unless ``isolated=True``.
    FT002 (missing byte-order mark) is off: records have no file encoding until they are written.
    The other keywords are those of :func:`check`.
    """
    if role not in ("training", "validation"):
        raise ValueError(f"invalid role `{role}`; possible values: training, validation")
    if isinstance(records, (str, bytes, Mapping)):
        raise TypeError(
            "records must be an iterable of records (dicts, JSON strings or bytes); "
            "for one record pass [record]"
        )
    argv = ["ftlint", "check"]
    argv += _flags(
        profile=profile, model=model, format=format, select=select, ignore=ignore, warn=warn,
        error=error, encoding=encoding, max_example_tokens=max_example_tokens, epochs=epochs,
        tokens=tokens, config=config, isolated=isolated, grader=grader,
    )
    # Records in memory have no bytes on disk yet: whether the file they are written to starts with
    # the byte-order mark Azure asks for (FT002) is for whatever writes it.
    argv += ["--ignore=FT002", f"--stdin-filename={RECORDS_NAME}", "-"]
    return _report(_core.check_records(records, argv, role == "validation"))


def count_tokens(
    example: Union[Mapping[str, Any], Sequence[Mapping[str, Any]], str, bytes],
    model: str = "gpt-4.1-2025-04-14",
) -> Dict[str, int]:
    """The tokens of one example for ``model``, as the check counts them.

    ``example`` is a record (a dict with ``"messages"``, a DPO or RFT record, or its JSON text) or a
    list of messages. Returns ``{"total", "trained", "tools", "images", "counted",
    "trained_with_tools"}``: the chat formula's text tokens, the text tokens trained on (assistant
    messages of weight 1), those of tool definitions and tool calls, those of images of known cost,
    what the per-example limit and the billed estimate use (text + tools + images), and the trained
    tokens with the tool calls of trained assistant messages.
    Raises :class:`ValueError` for a model ftlint does not know.
    """
    if isinstance(example, (list, tuple)):
        example = {"messages": list(example)}
    total, trained, tools, images, counted, trained_with_tools = _core.count_tokens(example, model)
    return {
        "total": total,
        "trained": trained,
        "tools": tools,
        "images": images,
        "counted": counted,
        "trained_with_tools": trained_with_tools,
    }


def rules(profile: str = "azure") -> List[Dict[str, Any]]:
    """Every rule: ``code``, ``name``, ``severity`` (under ``profile``; ``severity_azure`` and
    ``severity_openai`` give both), ``stage``, ``docs`` (Markdown), ``fixable`` and ``fix``
    (``"safe"``, ``"unsafe"`` or ``None``)."""
    return _core.rules(profile)
