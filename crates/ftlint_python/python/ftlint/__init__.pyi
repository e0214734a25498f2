"""Type stubs for the ftlint package (see ``__init__.py`` for the documentation of each name)."""

import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

PathLike = Union[str, os.PathLike[str]]
RuleNames = Union[None, str, Iterable[str]]

__version__: str
RECORDS_NAME: str

class FtlintError(Exception):
    """ftlint could not do its job (exit status 2 on the command line)."""

class Diagnostic:
    """One finding, as in the JSON output."""

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
    def __init__(
        self,
        code: str,
        name: str,
        severity: str,
        message: str,
        help: str,
        line: Optional[int],
        column: Optional[int],
        offset: int,
        length: int,
        pointer: Optional[str],
        fix: Optional[Dict[str, Any]],
    ) -> None: ...

class FileReport:
    """What the check found in one file."""

    path: str
    bytes: int
    examples: int
    diagnostics: List[Diagnostic]
    tokens: Optional[Dict[str, Any]]
    stats: Dict[str, Any]

class Report:
    """The result of a check."""

    files: List[FileReport]
    summary: Dict[str, int]
    def __init__(self, document: Dict[str, Any]) -> None: ...
    @property
    def ok(self) -> bool:
        """True when nothing of error severity was found."""
    @property
    def diagnostics(self) -> List[Diagnostic]:
        """Every finding of every file."""
    def to_dict(self) -> Dict[str, Any]:
        """The document ``ftlint check --output-format json`` prints."""
    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per finding."""
    def _repr_html_(self) -> str: ...

def check(
    path: Union[PathLike, Sequence[PathLike]],
    validation: Optional[PathLike] = None,
    *,
    profile: Optional[str] = None,
    model: Optional[str] = None,
    format: Optional[str] = None,
    select: RuleNames = None,
    ignore: RuleNames = None,
    warn: RuleNames = None,
    error: RuleNames = None,
    encoding: Optional[str] = None,
    max_example_tokens: Optional[int] = None,
    epochs: Optional[int] = None,
    tokens: bool = True,
    config: Optional[PathLike] = None,
    isolated: bool = False,
    grader: Optional[PathLike] = None,
) -> Report:
    """Checks files as ``ftlint check`` does."""

def check_records(
    records: Iterable[Union[Mapping[str, Any], str, bytes]],
    format: str = "auto",
    role: str = "training",
    *,
    profile: Optional[str] = None,
    model: Optional[str] = None,
    select: RuleNames = None,
    ignore: RuleNames = None,
    warn: RuleNames = None,
    error: RuleNames = None,
    encoding: Optional[str] = None,
    max_example_tokens: Optional[int] = None,
    epochs: Optional[int] = None,
    tokens: bool = True,
    config: Optional[PathLike] = None,
    isolated: bool = False,
    grader: Optional[PathLike] = None,
) -> Report:
    """Checks records in memory as one file named ``<records>``."""

def count_tokens(
    example: Union[Mapping[str, Any], Sequence[Mapping[str, Any]], str, bytes],
    model: str = "gpt-4.1-2025-04-14",
) -> Dict[str, int]:
    """The tokens of one example: ``{"total", "trained", "tools", "images", "counted",
    "trained_with_tools"}``."""

def rules(profile: str = "azure") -> List[Dict[str, Any]]:
    """Every rule of the registry."""
