//! `json`: one JSON document holding every finding, the stable machine contract.
//!
//! The document is written as the check goes, member by member, so even a file with millions of
//! findings never has to be held in memory. Keys within an object are in a fixed order, but readers
//! must not rely on order (per JSON); `examples` follows `diagnostics` because it is known only at
//! the end of the file.
//!
//! ```json
//! {"version": 1,
//!  "files": [{"path": "train.jsonl", "bytes": 1234, "diagnostics": [{"code": "FT102", "name":
//!             "invalid-json", "severity": "error", "message": "...", "help": "...", "line": 5,
//!             "column": 17, "offset": 1021, "length": 1, "pointer": null, "fix": null}],
//!             "examples": 42,
//!             "tokens": {"encoding": "o200k_base", "total": 5120, "trained": 1800, "tool_tokens": 0,
//!                        "image_tokens": 0, "max_example": 310, "counted": 5120,
//!                        "trained_with_tools": 1800},
//!             "stats": {"examples": 42, "messages": 126, ...}}],
//!  "summary": {"files": 1, "examples": 42, "errors": 1, "warnings": 0, "infos": 0}}
//! ```
//!
//! `tokens` is `null` under `--no-tokens`, and so are the token figures inside `stats`. `total` and
//! `trained` are text only (the chat formula); `counted` adds tool definitions, tool calls and
//! images of known cost, `trained_with_tools` adds the trained assistant tool calls. `max_example`,
//! the percentiles, the histogram, `over_limit`, `billed_tokens_estimate` and `training_tokens` are
//! of `counted`.
//!
//! `fix` is `null` unless the finding has a mechanical fix, which is then
//! `{"applicability": "safe"|"unsafe", "message": "Delete the blank line", "edits": [{"offset": 120,
//! "length": 3, "content": ""}]}`: replace `length` bytes at byte `offset` of the file as on disk
//! with `content`, for every edit (they never overlap). `ftlint fix` applies the safe ones, and with
//! `--unsafe-fixes` the unsafe ones too.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{json, Value};

use super::{FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::{Diagnostic, Fix, Severity};
use ftlint_linter::tokens::{FileStats, FileTokens};

pub struct Json<W: Write> {
    out: W,
    files_written: u64,
    diagnostics_in_file: u64,
}

impl<W: Write> Json<W> {
    pub fn new(out: W) -> Self {
        Json { out, files_written: 0, diagnostics_in_file: 0 }
    }
}

/// The JSON form of one diagnostic; field names are part of the contract.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    pub help: &'a str,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub offset: u64,
    pub length: u64,
    pub pointer: Option<&'a str>,
    /// The edits that remove the finding, `null` when there are none.
    pub fix: Option<&'a Fix>,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            code: d.rule.code(),
            name: d.rule.name(),
            severity: d.severity,
            message: &d.message,
            help: d.help_text(),
            line: d.position.map(|p| p.line),
            column: d.position.map(|p| p.column),
            offset: d.span.offset,
            length: d.span.length,
            pointer: d.pointer.as_deref(),
            fix: d.fix.as_ref(),
        }
    }
}

impl<W: Write> Sink for Json<W> {
    fn start_file(&mut self, file: &FileHeader<'_>) -> io::Result<()> {
        if self.files_written == 0 {
            write!(self.out, "{{\"version\":1,\"files\":[")?;
        } else {
            write!(self.out, ",")?;
        }
        self.files_written += 1;
        self.diagnostics_in_file = 0;
        write!(self.out, "\n{{\"path\":")?;
        serde_json::to_writer(&mut self.out, file.path)?;
        write!(self.out, ",\"bytes\":{},\"diagnostics\":[", file.bytes)
    }

    fn diagnostic(&mut self, _file: &FileHeader<'_>, _source: &[u8], d: &Diagnostic) -> io::Result<()> {
        if self.diagnostics_in_file > 0 {
            write!(self.out, ",")?;
        }
        self.diagnostics_in_file += 1;
        write!(self.out, "\n ")?;
        serde_json::to_writer(&mut self.out, &JsonDiagnostic::from(d))?;
        Ok(())
    }

    fn end_file(&mut self, _file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()> {
        write!(self.out, "],\"examples\":{},\"tokens\":", outcome.examples)?;
        serde_json::to_writer(&mut self.out, &tokens_json(&outcome.stats))?;
        write!(self.out, ",\"stats\":")?;
        serde_json::to_writer(&mut self.out, &stats_json(&outcome.stats))?;
        write!(self.out, "}}")
    }
}

impl<W: Write> Reporter for Json<W> {
    fn finish(&mut self, totals: &RunTotals) -> io::Result<()> {
        if self.files_written == 0 {
            write!(self.out, "{{\"version\":1,\"files\":[")?;
        }
        writeln!(
            self.out,
            "],\n\"summary\":{{\"files\":{},\"examples\":{},\"errors\":{},\"warnings\":{},\"infos\":{}}}}}",
            totals.files, totals.examples, totals.tally.errors, totals.tally.warnings, totals.tally.infos
        )?;
        self.out.flush()
    }
}

/// `files[].tokens`: the file's token totals; `null` when counting is off.
fn tokens_json(stats: &FileStats) -> Value {
    match &stats.tokens {
        Some(t) => json!({
            "encoding": t.encoding.as_str(),
            "total": t.total,
            "trained": t.trained,
            "tool_tokens": t.tool_tokens,
            "image_tokens": t.image_tokens,
            "max_example": t.max_example,
            "counted": t.counted,
            "trained_with_tools": t.trained_with_tools,
        }),
        None => Value::Null,
    }
}

/// `files[].stats`: everything `--stats` prints, token figures `null` when counting is off.
fn stats_json(stats: &FileStats) -> Value {
    let t = stats.tokens.as_ref();
    let grader_keys: serde_json::Map<String, Value> =
        stats.grader_keys.iter().map(|(key, n)| (key.clone(), json!(n))).collect();
    json!({
        "examples": stats.examples,
        "messages": stats.messages,
        "tokens_per_example": t.map(|t| json!({
            "min": t.min, "p50": t.p50, "p90": t.p90, "p99": t.p99, "max": t.max_example,
        })),
        "histogram": t.map(|t| json!({"from": t.min, "bucket_width": t.bucket_width, "counts": t.histogram})),
        "max_example_tokens": t.map(|t| t.max_example_tokens),
        "over_limit": t.map(|t| t.over_limit),
        "epochs": t.map(|t| t.epochs),
        "epochs_estimated": t.map(|t| t.epochs_estimated),
        "billed_tokens_estimate": t.map(|t| t.billed_tokens_estimate),
        "training_tokens": t.map(FileTokens::training_tokens),
        "images": stats.images,
        "image_tokens": t.map(|t| t.image_tokens),
        "images_unknown_cost": stats.images_unknown_cost,
        "tool_examples": stats.tool_examples,
        "tool_calls": stats.tool_calls,
        "grader_keys": grader_keys,
    })
}
