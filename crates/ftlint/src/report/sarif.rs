//! `sarif`: a SARIF 2.1.0 log (OASIS), for GitHub code scanning and other SARIF viewers.
//!
//! One run, whose `tool.driver.rules` lists every rule of ftlint with its code (`id`), name,
//! descriptions and help from the rule's docs, and default level; each result names its rule by
//! `ruleId` and by `ruleIndex` into that list. Regions count lines from 1 and columns in Unicode code
//! points from 1 (`columnKind: unicodeCodePoints`), with `endColumn` one past the last character,
//! as the specification says; `byteOffset`/`byteLength` give the exact bytes too. A finding about the
//! whole file (a missing BOM) has no line of its own and is placed on line 1, since code scanning
//! wants a line for every result. Paths are relative URIs against `%SRCROOT%`, the base the caller
//! gives (the command line passes the working directory), so the log does not depend on where the checkout lives.
//!
//! Each result carries `partialFingerprints["ftlint/v1"]`, the finding's identity across runs (see
//! [`super::fingerprint`]), so code scanning keeps an alert open, not new, when lines move.
//!
//! Each rule's `helpUri` is its source file in the repository at the release tag of the version
//! that wrote the log (`blob/v1.2.3/…`), which holds the documentation that version applied. The
//! run's one `invocations` entry lists each path that could not be checked as an error
//! notification (`toolExecutionNotifications`) and is `executionSuccessful: false` then.
//!
//! The log is written as the check goes: the header and rule list first, each result as it is
//! found, and the invocation and closing brackets at the end, so no finding is held in memory.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::fingerprint::{hex, Fingerprinter};
use super::{end_position, relative_path, FileHeader, Reporter, RunTotals, Sink};
use ftlint_linter::check::FileOutcome;
use ftlint_linter::diagnostic::{Diagnostic, Severity};
use ftlint_linter::rules::Rule;
use ftlint_linter::settings::Profile;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub struct Sarif<W: Write> {
    out: W,
    base: Option<PathBuf>,
    started: bool,
    results: u64,
    /// The run's profile, which some rules' severities depend on.
    profile: Profile,
    fingerprints: Fingerprinter,
    /// Paths that could not be checked, with why: the invocation's notifications.
    unreadable: Vec<(String, String)>,
}

impl<W: Write> Sarif<W> {
    /// A log on `out` whose `%SRCROOT%` is `base` (none: paths stay as given, with no base), with
    /// rule levels as `profile` sets them.
    pub fn new(out: W, base: Option<PathBuf>, profile: Profile) -> Self {
        Sarif {
            out,
            base,
            started: false,
            results: 0,
            profile,
            fingerprints: Fingerprinter::new(),
            unreadable: Vec::new(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let mut run = Map::new();
        run.insert(
            "tool".into(),
            json!({"driver": {
                "name": "ftlint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": Rule::ALL.iter().map(|rule| rule_descriptor(*rule, self.profile)).collect::<Vec<_>>(),
            }}),
        );
        if let Some(base) = &self.base {
            run.insert("originalUriBaseIds".into(), json!({"%SRCROOT%": {"uri": directory_uri(base)}}));
        }
        run.insert("columnKind".into(), json!("unicodeCodePoints"));
        // Everything but the results, which follow one by one: the run object is left open.
        let run = serde_json::to_string(&Value::Object(run))?;
        let run = run.strip_suffix('}').unwrap_or(&run);
        write!(self.out, "{{\"$schema\":\"{SCHEMA_URI}\",\"version\":\"2.1.0\",\"runs\":[{run},\"results\":[")
    }
}

/// SARIF's name for a severity.
pub const fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The text of one `## heading` section of a rule's docs, as one paragraph.
fn section(docs: &str, heading: &str) -> String {
    let mut lines = docs.lines().skip_while(|line| line.trim() != format!("## {heading}"));
    lines.next();
    let text: Vec<&str> =
        lines.take_while(|line| !line.starts_with("## ")).map(str::trim).filter(|l| !l.is_empty()).collect();
    text.join(" ")
}

/// One plain sentence: code scanning shows it as the alert's title. The first sentence of the
/// rule's "What it does", never the table or list after it.
fn short_description(rule: Rule) -> String {
    let sentence = crate::rule_table::summary(rule);
    if sentence.len() <= 200 {
        return sentence;
    }
    // A long sentence ends in a list after a colon (the limits of each model, the ways base64 can
    // be wrong): the title keeps what comes before it. Colons inside `code` do not count.
    let mut in_code = false;
    for (at, c) in sentence.char_indices() {
        match c {
            '`' => in_code = !in_code,
            ':' if !in_code && at > 40 && sentence[at..].starts_with(": ") => {
                return format!("{}.", &sentence[..at]);
            }
            _ => {}
        }
    }
    sentence
}

/// A rule's metadata, at its severity under `profile`; a rule whose severity depends on the profile
/// also lists both.
fn rule_descriptor(rule: Rule, profile: Profile) -> Value {
    let what = section(rule.docs(), "What it does");
    // The docs and, generated from the registry, whether `ftlint fix` fixes the rule.
    let help = format!("{}\n\n{}\n", rule.docs().trim_end(), rule.fix_availability().describe());
    let mut properties = json!({"stage": rule.stage().as_str()});
    if rule.severity_depends_on_profile() {
        properties["levelByProfile"] = json!({
            "azure": level(rule.severity(Profile::Azure)),
            "openai": level(rule.severity(Profile::Openai)),
        });
    }
    json!({
        "id": rule.code(),
        "name": rule.name(),
        "shortDescription": {"text": short_description(rule)},
        "fullDescription": {"text": what},
        "help": {"text": rule.fix(), "markdown": help},
        "helpUri": help_uri(rule),
        // A rule that is off unless turned on says so (SARIF's `enabled`, true when absent).
        "defaultConfiguration": if rule.enabled_by_default() {
            json!({"level": level(rule.severity(profile))})
        } else {
            json!({"level": level(rule.severity(profile)), "enabled": false})
        },
        "properties": properties,
    })
}

/// Where a rule's documentation lives: its source file in the repository, whose `DOCS` is what
/// `ftlint rule CODE` prints, at this version's release tag. A link to a branch would drift: a
/// log kept by code scanning would point at docs rewritten, or a file moved, after it was written.
pub fn help_uri(rule: Rule) -> String {
    format!("{}/blob/v{}/{}", env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_VERSION"), rule.source_path())
}

/// Percent-encodes a path for a URI, leaving RFC 3986 unreserved characters and `/`.
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `file:///abs/dir/`: the absolute URI a base id must have, ending in `/`.
fn directory_uri(dir: &Path) -> String {
    let mut path = dir.to_string_lossy().replace('\\', "/");
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    // A drive letter's `:` (`/C:/work/`) stays as it is; elsewhere in an absolute URI it is allowed.
    format!("file://{}", percent_encode(&path).replace("%3A", ":"))
}

impl<W: Write> Sink for Sarif<W> {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        self.start()
    }

    fn diagnostic(&mut self, file: &FileHeader<'_>, source: &[u8], d: &Diagnostic) -> io::Result<()> {
        self.start()?;
        let path = relative_path(file.path, self.base.as_deref());
        let mut region = Map::new();
        match (d.position, end_position(source, d)) {
            (Some(start), Some(end)) => {
                region.insert("startLine".into(), json!(start.line));
                region.insert("startColumn".into(), json!(start.column));
                region.insert("endLine".into(), json!(end.line));
                region.insert("endColumn".into(), json!(end.column));
            }
            _ => {
                region.insert("startLine".into(), json!(1));
            }
        }
        region.insert("byteOffset".into(), json!(d.span.offset));
        region.insert("byteLength".into(), json!(d.span.length));
        let mut artifact = Map::new();
        artifact.insert("uri".into(), json!(percent_encode(&path)));
        if self.base.is_some() && !path.starts_with('/') {
            artifact.insert("uriBaseId".into(), json!("%SRCROOT%"));
        }
        let mut result = json!({
            "ruleId": d.rule.code(),
            "ruleIndex": d.rule.index(),
            "level": level(d.severity),
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
            "partialFingerprints": {"ftlint/v1": hex(self.fingerprints.fingerprint(&path, source, d))},
        });
        let mut properties = Map::new();
        properties.insert("help".into(), json!(d.help_text()));
        if let Some(pointer) = &d.pointer {
            properties.insert("jsonPointer".into(), json!(pointer));
        }
        result["properties"] = Value::Object(properties);
        if self.results > 0 {
            self.out.write_all(b",")?;
        }
        self.results += 1;
        self.out.write_all(b"\n")?;
        serde_json::to_writer(&mut self.out, &result)?;
        Ok(())
    }

    fn end_file(&mut self, _file: &FileHeader<'_>, _outcome: &FileOutcome) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Reporter for Sarif<W> {
    fn finish(&mut self, _totals: &RunTotals) -> io::Result<()> {
        self.start()?;
        // The invocation follows the results: a path that could not be checked is a notification
        // on it, and makes the run unsuccessful, so a viewer does not take silence for a clean file.
        let notifications: Vec<Value> = self
            .unreadable
            .iter()
            .map(|(path, message)| {
                let path = relative_path(path, self.base.as_deref());
                let mut artifact = Map::new();
                artifact.insert("uri".into(), json!(percent_encode(&path)));
                if self.base.is_some() && !path.starts_with('/') {
                    artifact.insert("uriBaseId".into(), json!("%SRCROOT%"));
                }
                json!({
                    "level": "error",
                    "message": {"text": format!("{path}: {message}")},
                    "locations": [{"physicalLocation": {"artifactLocation": artifact}}],
                })
            })
            .collect();
        let invocation = json!([{
            "executionSuccessful": self.unreadable.is_empty(),
            "toolExecutionNotifications": notifications,
        }]);
        writeln!(self.out, "],\"invocations\":{invocation}}}]}}")?;
        self.out.flush()
    }

    fn unreadable(&mut self, path: &str, message: &str) -> io::Result<()> {
        self.unreadable.push((path.to_owned(), message.to_owned()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_descriptions_are_one_plain_sentence() {
        for rule in Rule::ALL {
            let text = short_description(*rule);
            assert!(!text.contains('|') && !text.contains('\n'), "{rule}: {text}");
            assert!(text.ends_with('.') && text.len() <= 300, "{rule}: {text}");
        }
    }

    #[test]
    fn docs_sections_become_descriptions() {
        let docs = "# FT1 x\n\n## What it does\nChecks a thing. Then more\ntext.\n\n## Why it matters\nNo.\n";
        assert_eq!(section(docs, "What it does"), "Checks a thing. Then more text.");
        assert_eq!(section(docs, "Why it matters"), "No.");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(percent_encode("data/my file#1.jsonl"), "data/my%20file%231.jsonl");
        assert_eq!(percent_encode("<stdin>"), "%3Cstdin%3E");
        assert_eq!(directory_uri(Path::new("/a b")), "file:///a%20b/");
        assert_eq!(directory_uri(Path::new("C:\\work")), "file:///C:/work/");
    }
}
