//! `json-lines`: one JSON object per finding, one per line, written the moment it is found.
//!
//! Each object is the `json` format's diagnostic with the file's `path` added, so a run with ten
//! million findings holds none of them in memory and `jq`, `grep` or a log shipper can read the
//! stream as it comes. There is no summary object: count the lines. Output goes through a buffered
//! writer that is flushed after every file.
//!
//! ```json
//! {"path":"train.jsonl","code":"FT102","name":"invalid-json","severity":"error","message":"...","help":"...","line":5,"column":17,"offset":1021,"length":1,"pointer":null,"fix":null}
//! ```

use std::io::{self, Write};

use serde::Serialize;

use super::json::JsonDiagnostic;
use super::{FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::Diagnostic;

pub struct JsonLines<W: Write> {
    out: W,
}

impl<W: Write> JsonLines<W> {
    pub fn new(out: W) -> Self {
        JsonLines { out }
    }
}

#[derive(Serialize)]
struct Line<'a> {
    path: &'a str,
    #[serde(flatten)]
    diagnostic: JsonDiagnostic<'a>,
}

impl<W: Write> Sink for JsonLines<W> {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        Ok(())
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, _source: &[u8], d: &Diagnostic) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &Line { path: file.path, diagnostic: JsonDiagnostic::from(d) })?;
        self.out.write_all(b"\n")
    }

    fn end_file(&mut self, _file: &FileHeader<'_>, _outcome: &FileOutcome) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> Reporter for JsonLines<W> {
    fn finish(&mut self, _totals: &RunTotals) -> io::Result<()> {
        self.out.flush()
    }
}
