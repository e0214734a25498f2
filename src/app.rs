//! What each command does: resolve settings, find inputs, check them, report, pick the exit code.
//!
//! Errors that stop ftlint from doing its job (a missing path, an unknown rule) go to standard error
//! as `ftlint: error: …` and make the exit code 2; the run goes on with the other inputs, so one typo
//! in a path list does not hide findings in the rest. Findings go to standard output.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use crate::check::check_source;
use crate::cli::{CheckArgs, Cli, ColorChoice, Command};
use crate::diagnostic::Severity;
use crate::report::concise::Concise;
use crate::report::full::Full;
use crate::report::github::Github;
use crate::report::gitlab::Gitlab;
use crate::report::json::Json;
use crate::report::json_lines::JsonLines;
use crate::report::junit::Junit;
use crate::report::sarif::Sarif;
use crate::report::statistics::Statistics;
use crate::report::{OutputFormat, Reporter, RunTotals};
use crate::rules::Rule;
use crate::settings::Settings;
use crate::source;
use crate::walk;

/// The exit status, per the ruff/ESLint convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing of error severity was found.
    Success,
    /// At least one error-severity finding.
    Failure,
    /// ftlint could not do its job.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(match status {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        })
    }
}

/// Runs ftlint with these arguments (the first is the program name).
pub fn run<I, T>(args: I) -> ExitStatus
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // `--help` and `--version` arrive here too, as "errors" that exit 0.
            let _ = error.print();
            return if error.use_stderr() { ExitStatus::Error } else { ExitStatus::Success };
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules => list_rules(),
        Command::Rule { rule } => show_rule(&rule),
    };
    match result {
        Ok(status) => status,
        // Standard output was closed early (`ftlint check big.jsonl | head`): stop quietly.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitStatus::Success,
        Err(error) => {
            eprintln!("ftlint: error: cannot write output: {error}");
            ExitStatus::Error
        }
    }
}

fn check(args: &CheckArgs) -> io::Result<ExitStatus> {
    let Some(settings) = settings_from(args) else {
        return Ok(ExitStatus::Error);
    };
    // The report goes to a temporary file beside `--output-file`, renamed over it once complete.
    let output_file = match &args.output_file {
        Some(path) => match OutputFile::create(path) {
            Ok(file) => Some(file),
            Err(error) => {
                eprintln!("ftlint: error: cannot write {}: {error}", path.display());
                return Ok(ExitStatus::Error);
            }
        },
        None => None,
    };
    let stdout = io::stdout();
    let is_terminal = output_file.is_none() && stdout.is_terminal();
    let out: Box<dyn Write> = match &output_file {
        Some(file) => Box::new(io::BufWriter::new(file.writer()?)),
        None => Box::new(io::BufWriter::new(stdout.lock())),
    };
    let format =
        args.output_format.unwrap_or(if is_terminal { OutputFormat::Full } else { OutputFormat::Concise });
    let mut reporter = reporter_for(args, format, &settings, out, is_terminal);

    let walk = walk::collect(&args.paths);
    let mut failed = !walk.errors.is_empty();
    for error in &walk.errors {
        eprintln!("ftlint: error: {error}");
    }
    let mut totals = RunTotals::default();
    for input in &walk.inputs {
        let source = match source::open(input) {
            Ok(source) => source,
            Err(error) => {
                eprintln!("ftlint: error: {error}");
                failed = true;
                continue;
            }
        };
        let outcome = check_source(&source, &settings, reporter.as_mut())?;
        totals.files += 1;
        totals.examples += outcome.examples;
        totals.tally.merge(outcome.tally);
    }
    reporter.finish(&totals)?;
    drop(reporter);
    if let Some(file) = output_file {
        let target = file.target.clone();
        if let Err(error) = file.persist() {
            eprintln!("ftlint: error: cannot write {}: {error}", target.display());
            return Ok(ExitStatus::Error);
        }
    }
    Ok(exit_status(args, failed, &totals))
}

/// The reporter for `--output-format` (or `--statistics`), writing to `out`.
fn reporter_for<'a>(
    args: &CheckArgs,
    format: OutputFormat,
    settings: &Settings,
    out: Box<dyn Write + 'a>,
    is_terminal: bool,
) -> Box<dyn Reporter + 'a> {
    if args.statistics {
        return Box::new(Statistics::new(
            out,
            matches!(format, OutputFormat::Json | OutputFormat::JsonLines),
        ));
    }
    match format {
        OutputFormat::Full => {
            let width = terminal_width().unwrap_or(100);
            let color = use_color(args.color, is_terminal, args.output_file.is_some());
            Box::new(Full::new(out, color, width, settings.max_diagnostics).quiet(args.quiet))
        }
        OutputFormat::Concise => Box::new(Concise::new(out, settings.max_diagnostics).quiet(args.quiet)),
        OutputFormat::Json => Box::new(Json::new(out)),
        OutputFormat::JsonLines => Box::new(JsonLines::new(out)),
        OutputFormat::Github => Box::new(Github::new(out)),
        OutputFormat::Gitlab => Box::new(Gitlab::new(out)),
        OutputFormat::Sarif => Box::new(Sarif::new(out)),
        OutputFormat::Junit => Box::new(Junit::new(out)),
    }
}

/// The exit status of a check: 2 if ftlint could not do its job, else 1 for errors or for more
/// warnings than `--max-warnings` allows, unless `--exit-zero`.
fn exit_status(args: &CheckArgs, failed: bool, totals: &RunTotals) -> ExitStatus {
    let too_many_warnings = args.max_warnings.is_some_and(|max| totals.tally.warnings > max);
    if failed {
        ExitStatus::Error
    } else if (totals.tally.errors > 0 || too_many_warnings) && !args.exit_zero {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// `--output-file`: a temporary file in the target's directory (so the final rename stays on one
/// file system and is atomic), synced to disk and renamed over the target only when the report is
/// complete. If ftlint stops before that, the temporary file is removed and the target is untouched.
struct OutputFile {
    target: PathBuf,
    temp: tempfile::NamedTempFile,
}

impl OutputFile {
    fn create(target: &Path) -> io::Result<Self> {
        let dir = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let temp = tempfile::Builder::new().prefix(".ftlint-report").suffix(".tmp").tempfile_in(dir)?;
        Ok(OutputFile { target: target.to_owned(), temp })
    }

    /// A second handle on the temporary file for the reporter to write through.
    fn writer(&self) -> io::Result<std::fs::File> {
        self.temp.as_file().try_clone()
    }

    fn persist(self) -> io::Result<()> {
        let file = self.temp.as_file();
        file.sync_all()?;
        // A temporary file is private (0600); a report is as readable as any file the user creates.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        self.temp.persist(&self.target).map_err(|error| error.error)?;
        Ok(())
    }
}

/// Folds the rule flags into settings; `None` (after printing why) if a rule is unknown.
fn settings_from(args: &CheckArgs) -> Option<Settings> {
    let mut settings = Settings::new(args.profile);
    settings.max_diagnostics = args.max_diagnostics;
    settings.format = args.format;
    let resolve = |keys: &[String]| -> Option<Vec<Rule>> {
        keys.iter()
            .map(|key| {
                let rule = Rule::find(key.trim());
                if rule.is_none() {
                    eprintln!("ftlint: error: unknown rule `{key}`; `ftlint rules` lists them");
                }
                rule
            })
            .collect()
    };
    let select = resolve(&args.select)?;
    let ignore = resolve(&args.ignore)?;
    let warn = resolve(&args.warn)?;
    let error = resolve(&args.error)?;
    if !select.is_empty() {
        settings.select_only(&select);
    }
    for rule in ignore {
        settings.set_level(rule, None);
    }
    for rule in warn {
        settings.set_level(rule, Some(Severity::Warning));
    }
    for rule in error {
        settings.set_level(rule, Some(Severity::Error));
    }
    Some(settings)
}

/// `--color auto` follows the terminal, then NO_COLOR (no-color.org) and FORCE_COLOR. A report
/// written to `--output-file` has colour only when asked for with `--color always`.
fn use_color(choice: ColorChoice, is_terminal: bool, to_file: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if to_file => false,
        ColorChoice::Auto if set("FORCE_COLOR") => true,
        ColorChoice::Auto => is_terminal && !set("NO_COLOR"),
    }
}

fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS").ok()?.parse().ok()
}

fn list_rules() -> io::Result<ExitStatus> {
    let mut out = io::stdout().lock();
    writeln!(out, "code   name                 severity stage")?;
    for rule in Rule::ALL {
        writeln!(
            out,
            "{:<6} {:<20} {:<8} {}",
            rule.code(),
            rule.name(),
            rule.default_severity(),
            rule.stage().as_str()
        )?;
    }
    Ok(ExitStatus::Success)
}

fn show_rule(key: &str) -> io::Result<ExitStatus> {
    let Some(rule) = Rule::find(key) else {
        eprintln!("ftlint: error: unknown rule `{key}`; `ftlint rules` lists them");
        return Ok(ExitStatus::Error);
    };
    let mut out = io::stdout().lock();
    writeln!(out, "{}", rule.docs().trim_end())?;
    writeln!(out, "\nDefault severity: {}. Stage: {}.", rule.default_severity(), rule.stage().as_str())?;
    Ok(ExitStatus::Success)
}
