//! What each command does: resolve settings, find inputs, check them, report, pick the exit code.
//!
//! Errors that stop ftlint from doing its job (a missing path, an unknown rule) go to standard error
//! as `ftlint: error: …` and make the exit code 2; the run goes on with the other inputs, so one typo
//! in a path list does not hide findings in the rest. Findings go to standard output.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::check::check_source;
use crate::cli::{CheckArgs, Cli, ColorChoice, Command};
use crate::diagnostic::Severity;
use crate::report::{concise::Concise, full::Full, json::Json, OutputFormat, Reporter, RunTotals};
use crate::rules::Rule;
use crate::settings::Settings;
use crate::source;
use crate::tokens::TokenSettings;
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
    let stdout = io::stdout();
    let is_terminal = stdout.is_terminal();
    let format =
        args.output_format.unwrap_or(if is_terminal { OutputFormat::Full } else { OutputFormat::Concise });
    let out = io::BufWriter::new(stdout.lock());
    let mut reporter: Box<dyn Reporter> = match format {
        OutputFormat::Full => {
            let width = terminal_width().unwrap_or(100);
            Box::new(
                Full::new(out, use_color(args.color, is_terminal), width, settings.max_diagnostics)
                    .with_stats(settings.stats),
            )
        }
        OutputFormat::Concise => {
            Box::new(Concise::new(out, settings.max_diagnostics).with_stats(settings.stats))
        }
        OutputFormat::Json => Box::new(Json::new(out)),
    };

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
    Ok(if failed {
        ExitStatus::Error
    } else if totals.tally.errors > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Folds the flags into settings; `None` (after printing why) if a rule or the model is unknown.
fn settings_from(args: &CheckArgs) -> Option<Settings> {
    let mut settings = Settings::new(args.profile);
    settings.max_diagnostics = args.max_diagnostics;
    settings.format = args.format;
    settings.stats = args.stats;
    settings.model = args.model.clone();
    if !args.no_tokens {
        match TokenSettings::resolve(
            settings.model.as_deref(),
            args.encoding,
            args.max_example_tokens,
            args.epochs,
        ) {
            Ok(tokens) => settings.tokens = Some(tokens),
            Err(message) => {
                eprintln!("ftlint: error: {message}");
                return None;
            }
        }
    }
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

/// `--color auto` follows the terminal, then NO_COLOR (no-color.org) and FORCE_COLOR.
fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
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
