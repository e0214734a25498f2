"""A report as HTML for notebooks: the summary, a table of the first findings and a small token
histogram drawn with plain HTML and CSS, with no script and nothing loaded from the network."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any, Dict, List

if TYPE_CHECKING:
    from . import Report

_COLORS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}


def _histogram(stats: Dict[str, Any]) -> str:
    histogram = stats.get("histogram")
    if not histogram or not histogram.get("counts"):
        return ""
    counts: List[int] = histogram["counts"]
    start, width = histogram["from"], histogram["bucket_width"]
    peak = max(counts) or 1
    bars = "".join(
        f'<div title="{start + i * width}–{start + (i + 1) * width - 1} tokens: {n} examples" '
        f'style="display:inline-block;width:6px;margin-right:1px;background:#5c6bc0;'
        f'height:{max(1, round(40 * n / peak)) if n else 0}px"></div>'
        for i, n in enumerate(counts)
    )
    return (
        '<div style="display:flex;align-items:flex-end;height:42px;margin:4px 0">'
        f"{bars}</div><div style=\"font-size:smaller\">tokens per example, {start} to "
        f"{start + len(counts) * width} (bucket width {width})</div>"
    )


def report_html(report: "Report", limit: int) -> str:
    """The notebook view of ``report``, with at most ``limit`` findings in the table."""
    s = report.summary
    status = "ok" if report.ok else "failed"
    parts = [
        '<div class="ftlint-report">',
        f"<p><strong>ftlint: {status}</strong>: {s['errors']} errors, {s['warnings']} warnings, "
        f"{s['infos']} infos in {s['files']} file{'s' if s['files'] != 1 else ''} "
        f"({s['examples']} examples)</p>",
    ]
    for f in report.files:
        if f.tokens:
            parts.append(
                f"<p>{escape(f.path)}: {f.tokens['total']} tokens ({f.tokens['trained']} trained, "
                f"encoding {escape(str(f.tokens['encoding']))}, longest example "
                f"{f.tokens['max_example']})</p>"
            )
            parts.append(_histogram(f.stats))
    findings = [(f.path, d) for f in report.files for d in f.diagnostics]
    if findings:
        rows = "".join(
            "<tr>"
            f"<td>{escape(path)}</td><td>{'' if d.line is None else d.line}</td>"
            f"<td>{'' if d.column is None else d.column}</td>"
            f"<td><code>{escape(d.code)}</code> {escape(d.name)}</td>"
            f'<td style="color:{_COLORS.get(d.severity, "inherit")}">{escape(d.severity)}</td>'
            f"<td style=\"text-align:left\">{escape(d.message)}</td>"
            "</tr>"
            for path, d in findings[:limit]
        )
        parts.append(
            "<table><thead><tr><th>file</th><th>line</th><th>col</th><th>rule</th>"
            f"<th>severity</th><th>message</th></tr></thead><tbody>{rows}</tbody></table>"
        )
        if len(findings) > limit:
            parts.append(f"<p>… and {len(findings) - limit} more findings (see <code>to_pandas()</code>).</p>")
    parts.append("</div>")
    return "".join(parts)
