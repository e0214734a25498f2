//! `ftlint._core`: the extension module under the `ftlint` Python package.
//!
//! It is deliberately thin. A check is the command's own `check` ([`ftlint::app::check_embedded`])
//! run on command-line arguments the Python side builds from its keywords, with the `json` reporter
//! writing into memory: `Report.to_dict()` is then the very document `ftlint check --output-format
//! json` prints, settings and configuration files resolve exactly as on the command line, and a
//! change to either shows up in both. Records given as Python objects are serialized straight to
//! JSON Lines here, without `json.dumps`, and checked as the bytes of standard input would be.
//! The GIL is released while the linter runs, which uses every core as the command does.

use std::ffi::OsString;
use std::io;

use clap::Parser;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyFileNotFoundError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use ftlint::app::{self, Embedded};
use ftlint::cli::{CheckArgs, Cli, Command};
use ftlint_linter::check::{check_bytes, FileOutcome};
use ftlint_linter::diagnostic::Diagnostic;
use ftlint_linter::rules::Rule;
use ftlint_linter::settings::{Profile, Settings};
use ftlint_linter::sink::{FileHeader, Sink};
use ftlint_linter::tokens::TokenSettings;

create_exception!(
    _core,
    FtlintError,
    PyException,
    "ftlint could not do its job: an invalid configuration file, an input it cannot read, an output it cannot write. The message is the one `ftlint` prints with exit status 2."
);

/// The binary's allocator (mimalloc, out of memory an error rather than an abort) for the Rust side
/// of the extension: a check builds and frees many small values on every thread, which the system
/// allocator serves slowly, and the package is to be as fast as the command. Python's own objects
/// keep Python's allocator.
#[global_allocator]
static ALLOCATOR: ftlint::allocator::Allocator = ftlint::allocator::Allocator;

/// Nested containers deeper than this in a record are refused: it bounds the serializer's stack,
/// and it stops at a record that contains itself.
const MAX_DEPTH: usize = 1000;

/// Runs the `ftlint` command line in this process with `argv` (the program name first) and
/// returns its exit status. The console script `ftlint` installed with the wheel calls this.
#[pyfunction]
fn run(py: Python<'_>, argv: Vec<OsString>) -> i32 {
    // As the binary does: a file-size limit makes a write fail instead of killing the process.
    ftlint::output::ignore_file_size_signal();
    py.allow_threads(|| match std::panic::catch_unwind(|| app::run(argv)) {
        Ok(status) => match status {
            app::ExitStatus::Success => 0,
            app::ExitStatus::Failure => 1,
            app::ExitStatus::Error => 2,
        },
        Err(_) => {
            eprintln!(
                "ftlint: internal error. This is a bug in ftlint, not in your data. Please report it with the command you ran."
            );
            2
        }
    })
}

/// Checks the files `argv` names (an `ftlint check …` command line, `--output-format json`
/// included) and returns the JSON document and the warnings the command would print.
#[pyfunction]
fn check(py: Python<'_>, argv: Vec<OsString>) -> PyResult<(String, Vec<String>)> {
    let args = parse_check(argv)?;
    run_check(py, &args, Embedded::default())
}

/// Checks `records` (any iterable of dicts, JSON strings or bytes) as one JSON Lines file, one
/// record a line, with the settings of `argv` (an `ftlint check -` command line). Each record is
/// serialized as it is taken from the iterator and then dropped, so a generator is never held
/// whole; only its JSON Lines bytes are.
#[pyfunction]
fn check_records(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    argv: Vec<OsString>,
    validation: bool,
) -> PyResult<(String, Vec<String>)> {
    let args = parse_check(argv)?;
    let bytes = records_to_jsonl(records)?;
    let embedded = Embedded { stdin: Some(bytes), stdin_is_validation: validation, ..Embedded::default() };
    run_check(py, &args, embedded)
}

/// The tokens of one example (a record: a dict, a JSON string or bytes) as the check counts them
/// for `model`: `(total, trained, tool_tokens, image_tokens, counted, trained_with_tools)`.
#[pyfunction]
#[pyo3(signature = (example, model=None))]
fn count_tokens(
    py: Python<'_>,
    example: &Bound<'_, PyAny>,
    model: Option<String>,
) -> PyResult<(u64, u64, u64, u64, u64, u64)> {
    let tokens = TokenSettings::resolve(model.as_deref(), None, None, None).map_err(PyValueError::new_err)?;
    let mut line = Vec::new();
    write_record(example, &mut line, 0)?;
    line.push(b'\n');
    let mut settings = Settings::new(Profile::Azure);
    settings.tokens = Some(tokens);
    // The same check that fills the JSON report's `tokens`, on a file of this one example: the
    // counts cannot differ from the report's.
    let outcome = py
        .allow_threads(|| check_bytes("<example>", &line, &settings, &mut Discard))
        .map_err(|error| FtlintError::new_err(error.to_string()))?;
    Ok(outcome.stats.tokens.map_or((0, 0, 0, 0, 0, 0), |t| {
        (t.total, t.trained, t.tool_tokens, t.image_tokens, t.counted, t.trained_with_tools)
    }))
}

/// The rule registry: one dict per rule, severities as under `profile`.
#[pyfunction]
#[pyo3(signature = (profile="azure"))]
fn rules<'py>(py: Python<'py>, profile: &str) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let profile = match profile {
        "azure" => Profile::Azure,
        "openai" => Profile::Openai,
        other => {
            return Err(PyValueError::new_err(format!(
                "invalid profile `{other}`; possible values: azure, openai"
            )))
        }
    };
    Rule::ALL
        .iter()
        .map(|rule| {
            let row = PyDict::new(py);
            row.set_item("code", rule.code())?;
            row.set_item("name", rule.name())?;
            row.set_item("severity", rule.severity(profile).as_str())?;
            row.set_item("severity_azure", rule.severity(Profile::Azure).as_str())?;
            row.set_item("severity_openai", rule.severity(Profile::Openai).as_str())?;
            row.set_item("stage", rule.stage().as_str())?;
            row.set_item("docs", rule.docs().trim_end())?;
            let fix = rule.fix_availability().as_str();
            row.set_item("fixable", fix != "-")?;
            row.set_item("fix", (fix != "-").then_some(fix))?;
            Ok(row)
        })
        .collect()
}

/// Parses an `ftlint check` command line; a `ValueError` with clap's message when it is not one.
fn parse_check(argv: Vec<OsString>) -> PyResult<CheckArgs> {
    let cli = Cli::try_parse_from(argv).map_err(|error| {
        // clap's message with its `error: ` prefix and the usage lines after it left off.
        let rendered = error.render().to_string();
        let first = rendered.lines().next().unwrap_or_default();
        PyValueError::new_err(first.strip_prefix("error: ").unwrap_or(first).to_owned())
    })?;
    match cli.command {
        Command::Check(args) => Ok(*args),
        _ => Err(PyValueError::new_err("expected an `ftlint check` command line")),
    }
}

/// Runs the check, the GIL released. Arguments that the command would refuse (an unknown rule or
/// model) raise `ValueError` with the command's message; an input that cannot be read raises
/// `FileNotFoundError` (a missing path) or `FtlintError`, as does anything else that would make
/// the command exit 2.
fn run_check(py: Python<'_>, args: &CheckArgs, mut embedded: Embedded) -> PyResult<(String, Vec<String>)> {
    app::check_arguments(args).map_err(|error| PyValueError::new_err(error.to_string()))?;
    let result = py.allow_threads(|| app::check_embedded(args, &mut embedded));
    result.map_err(|error| FtlintError::new_err(error.to_string()))?;
    if let Some(first) = embedded.problems.first() {
        let message = embedded.problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("\n");
        return Err(if first.not_found {
            PyFileNotFoundError::new_err(message)
        } else {
            FtlintError::new_err(message)
        });
    }
    let report = String::from_utf8(embedded.report)
        .map_err(|_| FtlintError::new_err("the JSON report is not valid UTF-8"))?;
    Ok((report, embedded.warnings))
}

/// Serializes each record of `records` as one line of JSON, in order.
fn records_to_jsonl(records: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let mut bytes = Vec::new();
    let iterator = records.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "records must be an iterable of dicts, JSON strings or bytes, not {}",
            type_name(records)
        ))
    })?;
    for (position, record) in iterator.enumerate() {
        write_record(&record?, &mut bytes, position)?;
        bytes.push(b'\n');
    }
    Ok(bytes)
}

/// One record as one line: a JSON string or bytes as given (their line breaks, which JSON allows
/// only as whitespace, become spaces so the record stays one line), anything else serialized.
fn write_record(record: &Bound<'_, PyAny>, out: &mut Vec<u8>, position: usize) -> PyResult<()> {
    let start = out.len();
    if let Ok(text) = record.downcast::<PyString>() {
        out.extend_from_slice(text.to_cow()?.as_bytes());
    } else if let Ok(bytes) = record.downcast::<PyBytes>() {
        out.extend_from_slice(bytes.as_bytes());
    } else {
        return write_value(record, out, 0).map_err(|error| prefix_position(error, position));
    }
    for byte in &mut out[start..] {
        if matches!(*byte, b'\n' | b'\r') {
            *byte = b' ';
        }
    }
    Ok(())
}

/// Says which record an error is about (line = position + 1, as in the report).
fn prefix_position(error: PyErr, position: usize) -> PyErr {
    Python::with_gil(|py| {
        let message = error.value(py).to_string();
        let line = position + 1;
        if error.is_instance_of::<PyTypeError>(py) {
            PyTypeError::new_err(format!("record {line}: {message}"))
        } else {
            PyValueError::new_err(format!("record {line}: {message}"))
        }
    })
}

/// Writes a Python value as JSON, as `json.dumps` would read it: dicts with string keys, lists and
/// tuples, strings, integers of any size, floats (NaN and the infinities as `json.dumps` writes
/// them, which the check then reports as invalid JSON, as the service would), booleans and `None`.
fn write_value(value: &Bound<'_, PyAny>, out: &mut Vec<u8>, depth: usize) -> PyResult<()> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!(
            "nested deeper than {MAX_DEPTH} levels (or a container holds itself)"
        )));
    }
    if value.is_none() {
        out.extend_from_slice(b"null");
    } else if let Ok(text) = value.downcast::<PyString>() {
        write_str(&text.to_cow()?, out);
    } else if let Ok(dict) = value.downcast::<PyDict>() {
        out.push(b'{');
        for (i, (key, item)) in dict.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let key = key
                .downcast::<PyString>()
                .map_err(|_| PyTypeError::new_err(format!("keys must be str, not {}", type_name(&key))))?;
            write_str(&key.to_cow()?, out);
            out.push(b':');
            write_value(&item, out, depth + 1)?;
        }
        out.push(b'}');
    } else if let Ok(list) = value.downcast::<PyList>() {
        write_sequence(list.iter(), out, depth)?;
    } else if let Ok(tuple) = value.downcast::<PyTuple>() {
        write_sequence(tuple.iter(), out, depth)?;
    } else if let Ok(flag) = value.downcast::<PyBool>() {
        // Before integers: `True` is an `int` in Python.
        out.extend_from_slice(if flag.is_true() { b"true" } else { b"false" });
    } else if let Ok(int) = value.downcast::<PyInt>() {
        match int.extract::<i64>() {
            Ok(n) => out.extend_from_slice(n.to_string().as_bytes()),
            // Beyond 64 bits: Python's own digits, as `json.dumps` writes them.
            Err(_) => out.extend_from_slice(int.str()?.to_cow()?.as_bytes()),
        }
    } else if let Ok(float) = value.downcast::<PyFloat>() {
        let x = float.value();
        if x.is_nan() {
            out.extend_from_slice(b"NaN");
        } else if x.is_infinite() {
            out.extend_from_slice(if x > 0.0 { b"Infinity" } else { b"-Infinity" });
        } else {
            serde_json::to_writer(&mut *out, &x).map_err(|e| PyValueError::new_err(e.to_string()))?;
        }
    } else {
        return Err(PyTypeError::new_err(format!(
            "Object of type {} is not JSON serializable",
            type_name(value)
        )));
    }
    Ok(())
}

fn write_sequence<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    out: &mut Vec<u8>,
    depth: usize,
) -> PyResult<()> {
    out.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_value(&item, out, depth + 1)?;
    }
    out.push(b']');
    Ok(())
}

fn write_str(text: &str, out: &mut Vec<u8>) {
    // Writing a `str` into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|name| name.to_string()).unwrap_or_else(|_| "object".to_owned())
}

/// A sink that keeps nothing: `count_tokens` wants only the figures.
struct Discard;

impl Sink for Discard {
    fn start_file(&mut self, _file: &FileHeader<'_>) -> io::Result<()> {
        Ok(())
    }

    fn diagnostic(&mut self, _file: &FileHeader<'_>, _source: &[u8], _d: &Diagnostic) -> io::Result<()> {
        Ok(())
    }

    fn end_file(&mut self, _file: &FileHeader<'_>, _outcome: &FileOutcome) -> io::Result<()> {
        Ok(())
    }
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("FtlintError", m.py().get_type::<FtlintError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(check_records, m)?)?;
    m.add_function(wrap_pyfunction!(count_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    Ok(())
}
