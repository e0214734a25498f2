//! `full`: miette's graphical reports, the source line with a label under the exact span and a help
//! line on how to fix it.
//!
//! A JSONL line can be megabytes long, so only a window of the line around the span is shown, with
//! `…` where it was cut. The window is handed to miette through a [`SourceCode`] of our own that
//! reports the real line and column numbers, so the `[path:line:col]` header stays true.
//!
//! A credential (a finding whose span [`Diagnostic::span_is_secret`]) is never printed: its bytes
//! show as `*` in the window of every finding of its line. The findings of a line are held, with
//! the few bytes each window shows, until the line's last one is in, since the credential's
//! finding may come after another finding whose window shows it.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{escape_controls, fix_marker, summary_line, Cap, FileHeader, Fixable, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::{Diagnostic, Severity, Span};

/// Characters of context shown on each side of the span in a long line.
const CONTEXT_CHARS: usize = 60;
/// Characters of the span itself shown before it is cut short.
const SPAN_CHARS: usize = 80;
/// Bytes that hold `CONTEXT_CHARS` characters, however wide (at most 4 bytes each).
const CONTEXT_BYTES: usize = CONTEXT_CHARS * 4 + 4;
/// Bytes that hold `SPAN_CHARS` characters.
const SPAN_BYTES: usize = SPAN_CHARS * 4 + 4;

pub struct Full<W: Write> {
    out: W,
    handler: GraphicalReportHandler,
    cap: Cap,
    stats: bool,
    /// `--quiet`: no summary line.
    quiet: bool,
    fixable: Fixable,
    /// The findings of the current line with what their windows show, and the path of their file.
    pending: Vec<(Diagnostic, Excerpt)>,
    path: String,
}

impl<W: Write> Full<W> {
    pub fn new(out: W, color: bool, width: usize, max_diagnostics: usize) -> Self {
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(width).with_context_lines(0);
        Full {
            out,
            handler,
            cap: Cap::new(max_diagnostics),
            stats: false,
            quiet: false,
            fixable: Fixable::default(),
            pending: Vec::new(),
            path: String::new(),
        }
    }

    /// Prints the held findings of a line, every credential among them masked in each window.
    fn flush(&mut self) -> io::Result<()> {
        let mut pending = std::mem::take(&mut self.pending);
        let secrets: Vec<Span> =
            pending.iter().filter(|(d, _)| d.span_is_secret()).map(|(d, _)| d.span).collect();
        for (diagnostic, excerpt) in &mut pending {
            for secret in &secrets {
                excerpt.mask(*secret);
            }
            let report = Report::new(&self.path, Some(excerpt), diagnostic);
            self.render(&report)?;
        }
        Ok(())
    }

    fn render(&mut self, report: &Report<'_>) -> io::Result<()> {
        let mut text = String::new();
        self.handler.render_report(&mut text, report).map_err(|_| io::Error::other("cannot render"))?;
        self.out.write_all(text.as_bytes())?;
        writeln!(self.out)
    }

    /// `--stats`: print each file's figures after its findings.
    pub fn with_stats(mut self, stats: bool) -> Self {
        self.stats = stats;
        self
    }

    /// Leaves out the closing summary line (`--quiet`), so a clean run prints nothing.
    #[must_use]
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }
}

impl<W: Write> Sink for Full<W> {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        self.cap.reset();
        Ok(())
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, source: &[u8], d: &Diagnostic) -> io::Result<()> {
        self.fixable.add(d);
        if !self.cap.admit() {
            return Ok(());
        }
        let line = d.position.map(|position| position.line);
        if line.is_none()
            || self.pending.first().is_some_and(|(held, _)| held.position.map(|p| p.line) != line)
        {
            self.flush()?;
        }
        if line.is_none() {
            return self.render(&Report::new(file.path, None, d));
        }
        self.path.clear();
        self.path.push_str(file.path);
        self.pending.push((d.clone(), Excerpt::cut(source, d)));
        Ok(())
    }

    fn end_file(&mut self, file: &FileHeader<'_>, outcome: &FileOutcome) -> io::Result<()> {
        self.flush()?;
        if let Some(note) = self.cap.note(file.path) {
            writeln!(self.out, "{note}\n")?;
        }
        if self.stats {
            writeln!(self.out, "{}", outcome.stats.render(&escape_controls(file.path)))?;
        }
        self.out.flush()
    }
}

impl<W: Write> Reporter for Full<W> {
    fn finish(&mut self, totals: &RunTotals) -> io::Result<()> {
        self.flush()?;
        if !self.quiet {
            writeln!(self.out, "{}", summary_line(totals))?;
            if let Some(note) = self.fixable.note() {
                writeln!(self.out, "{note}")?;
            }
        }
        self.out.flush()
    }
}

/// One finding dressed for miette.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    /// `path: message` for file-level findings, which have no line to show.
    message: String,
    code: String,
    window: Option<Window>,
}

impl<'a> Report<'a> {
    /// `excerpt`: what the window shows, for a finding on a line.
    fn new(path: &str, excerpt: Option<&Excerpt>, diagnostic: &'a Diagnostic) -> Self {
        let window = excerpt
            .zip(diagnostic.position)
            .map(|(excerpt, position)| Window::new(path, excerpt, position.line, position.column));
        let message = if window.is_some() {
            escape_controls(&diagnostic.message).into_owned()
        } else {
            format!("{}: {}", escape_controls(path), escape_controls(&diagnostic.message))
        };
        Report {
            diagnostic,
            message,
            // `[*]` after the code, as in the concise format, marks what `ftlint fix` fixes.
            code: format!("{}{} {}", diagnostic.rule.code(), fix_marker(diagnostic), diagnostic.rule.name()),
            window,
        }
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl MietteDiagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(escape_controls(self.diagnostic.help_text())))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.window.as_ref().map(|w| w as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let window = self.window.as_ref()?;
        let label = self.diagnostic.label.as_deref().map_or_else(
            || self.diagnostic.rule.name().to_owned(),
            |label| escape_controls(label).into_owned(),
        );
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(Some(label), window.label))))
    }
}

/// The part of a line that is shown: printable text, where the label falls in it, and the real line
/// and column of the label, for miette's header.
struct Window {
    name: String,
    text: String,
    label: SourceSpan,
    /// 0-based line number of the window's line.
    line: usize,
    /// 0-based column of the label's first character in the real line.
    label_column: usize,
}

/// A piece of the file a window shows, and the offset in the file it starts at.
struct Piece {
    offset: usize,
    bytes: Vec<u8>,
}

impl Piece {
    fn copy(source: &[u8], range: std::ops::Range<usize>) -> Piece {
        Piece { offset: range.start, bytes: source[range].to_vec() }
    }
}

/// The bytes of its line a finding's window shows, copied out of the file: the context before the
/// span, the span (as much of it as is shown) and the context after it.
struct Excerpt {
    before: Piece,
    span: Piece,
    after: Piece,
}

impl Excerpt {
    fn cut(source: &[u8], d: &Diagnostic) -> Excerpt {
        let offset = (d.span.offset as usize).min(source.len());
        let end = (d.span.end() as usize).min(source.len());
        let line_start = memchr::memrchr(b'\n', &source[..offset]).map_or(0, |i| i + 1);
        // Line 1 starts after a byte-order mark, which is not shown.
        let line_start =
            if line_start == 0 && source.starts_with(ftlint_linter::encoding::UTF8_BOM) && offset >= 3 {
                3
            } else {
                line_start
            };
        let mut line_end = memchr::memchr(b'\n', &source[offset..]).map_or(source.len(), |i| offset + i);
        // The `\r` of a CRLF is not shown, unless it is what the finding is about (FT105).
        if line_end > end.max(offset) && source[line_end - 1] == b'\r' {
            line_end -= 1;
        }
        let end = end.clamp(offset, line_end.max(offset));

        // At most 4 bytes per character are needed for what is shown, so only that much of a line
        // that may be hundreds of megabytes long is ever looked at.
        let before = char_aligned_tail(&source[line_start..offset], CONTEXT_BYTES);
        Excerpt {
            before: Piece::copy(source, offset - before.len()..offset),
            span: Piece::copy(source, offset..end.min(offset + SPAN_BYTES)),
            after: Piece::copy(source, end..line_end.min(end + CONTEXT_BYTES)),
        }
    }

    /// Overwrites with `*` the bytes of `secret` in each piece. A credential's bytes are ASCII
    /// (every pattern is), so one `*` per byte is one per character and the columns stay true.
    fn mask(&mut self, secret: Span) {
        for piece in [&mut self.before, &mut self.span, &mut self.after] {
            let start = (secret.offset as usize).saturating_sub(piece.offset).min(piece.bytes.len());
            let end = (secret.end() as usize).saturating_sub(piece.offset).min(piece.bytes.len());
            piece.bytes[start..end.max(start)].fill(b'*');
        }
    }
}

impl Window {
    fn new(path: &str, excerpt: &Excerpt, line: u64, column: u64) -> Self {
        let before = printable(&excerpt.before.bytes);
        let span = printable(&excerpt.span.bytes);
        let after = printable(&excerpt.after.bytes);

        let before = tail_chars(&before, CONTEXT_CHARS);
        let span = head_chars(&span, SPAN_CHARS);
        let after =
            head_chars(&after, CONTEXT_CHARS.saturating_sub(span.chars().count().min(CONTEXT_CHARS)).max(20));

        let mut text = String::with_capacity(before.len() + span.len() + after.len());
        text.push_str(&before);
        let label = SourceSpan::new(text.len().into(), span.len());
        text.push_str(&span);
        text.push_str(&after);
        Window {
            name: escape_controls(path).into_owned(),
            text,
            label,
            line: usize::try_from(line).unwrap_or(usize::MAX).saturating_sub(1),
            label_column: usize::try_from(column).unwrap_or(usize::MAX).saturating_sub(1),
        }
    }
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        _context_lines_before: usize,
        _context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // The whole window is one line; miette asks for the label's span to print its header.
        let column = if span.offset() == self.label.offset() { self.label_column } else { 0 };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            SourceSpan::new(0.into(), self.text.len()),
            self.line,
            column,
            1,
        )))
    }
}

/// Bytes as text a terminal shows safely, one character per character of the source so that spans
/// keep their width: invalid bytes become `�`, control characters their Unicode control pictures.
fn printable(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            out.push(match c {
                '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or('�'),
                '\u{7F}' => '\u{2421}',
                // C1 controls, line and paragraph separators and bidirectional overrides keep the
                // width of one character but cannot move the cursor or reorder what follows.
                '\u{80}'..='\u{9F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
                _ => c,
            });
        }
        for _ in chunk.invalid() {
            out.push('\u{FFFD}');
        }
    }
    out
}

/// The last `max_bytes` of `bytes`, starting on a character boundary so no half character shows.
fn char_aligned_tail(bytes: &[u8], max_bytes: usize) -> &[u8] {
    let mut cut = bytes.len().saturating_sub(max_bytes);
    while cut < bytes.len() && cut > 0 && (bytes[cut] as i8) < -0x40 {
        cut += 1;
    }
    &bytes[cut..]
}

fn head_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

fn tail_chars(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_owned();
    }
    let cut = text.char_indices().nth(count - max).map_or(0, |(i, _)| i);
    format!("…{}", &text[cut..])
}
