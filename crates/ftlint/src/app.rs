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

use crate::cli::{CheckArgs, Cli, ColorChoice, Command, FixArgs};
use crate::config::{self, Loaded};
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
use crate::source::{self, Input};
use crate::walk;
use ftlint_linter::check::check_bytes_as;
use ftlint_linter::dataset::{Role, TrainingIndex};
use ftlint_linter::diagnostic::Severity;
use ftlint_linter::fix::{self, FixCounts, FixOptions};
use ftlint_linter::model::shape::FormatChoice;
use ftlint_linter::rules::Rule;
use ftlint_linter::settings::{Profile, Settings};
use ftlint_linter::tokens::TokenSettings;

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
        Command::Fix(args) => fix(&args),
        Command::Rules { profile } => list_rules(profile.map_or(Profile::Azure, Into::into)),
        Command::Rule { rule, profile } => show_rule(&rule, profile.map_or(Profile::Azure, Into::into)),
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
    let Some(flags) = RuleFlags::resolve(args) else {
        return Ok(ExitStatus::Error);
    };
    let named_config = match (&args.config, args.isolated) {
        (Some(path), false) => match config::load(path) {
            Ok(Some(loaded)) => Some(loaded),
            Ok(None) => {
                eprintln!("ftlint: error: {} has no [tool.ftlint] table", path.display());
                return Ok(ExitStatus::Error);
            }
            Err(error) => {
                eprintln!("ftlint: error: {error}");
                return Ok(ExitStatus::Error);
            }
        },
        _ => None,
    };

    // Settings are resolved per path argument, from the configuration file found above it, before
    // anything is checked: a bad configuration stops the run rather than half of it.
    let validation = args.validation.as_ref().map(|path| (path, std::fs::canonicalize(path).ok()));
    let mut failed = false;
    let mut settings_list = Vec::new();
    let mut jobs: Vec<(Input, usize)> = Vec::new();
    for path in &args.paths {
        let Some(settings) = settings_for(args, &flags, named_config.as_ref(), path) else {
            return Ok(ExitStatus::Error);
        };
        settings_list.push(settings);
        let walk = walk::collect(std::slice::from_ref(path));
        for error in &walk.errors {
            eprintln!("ftlint: error: {error}");
            failed = true;
        }
        for input in walk.inputs {
            let is_validation = match (&input, &validation) {
                (Input::Path(p), Some((_, Some(canonical)))) => {
                    std::fs::canonicalize(p).ok().as_ref() == Some(canonical)
                }
                _ => false,
            };
            if !is_validation {
                jobs.push((input, settings_list.len() - 1));
            }
        }
    }
    let validation_job = match &validation {
        Some((path, _)) => {
            let Some(settings) = settings_for(args, &flags, named_config.as_ref(), path) else {
                return Ok(ExitStatus::Error);
            };
            if path.is_dir() {
                eprintln!(
                    "ftlint: error: --validation takes one file, and {} is a directory",
                    path.display()
                );
                return Ok(ExitStatus::Error);
            }
            settings_list.push(settings);
            Some((Input::Path((*path).clone()), settings_list.len() - 1))
        }
        None => None,
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
    // SARIF describes each rule once per run, at the severity of the run's profile.
    let profile = settings_list.first().map_or(Profile::Azure, |settings| settings.profile);
    let mut reporter = reporter_for(args, format, out, is_terminal, profile);
    // A progress bar for large files, on standard error, only for a person watching a terminal:
    // never with a machine format, never in a CI log or a pipe.
    let human = matches!(format, OutputFormat::Full | OutputFormat::Concise) && !args.statistics;
    if human && !args.quiet && io::stderr().is_terminal() {
        reporter = Box::new(crate::report::progress::WithProgress::new(reporter));
    }

    // Training files first, keeping their record hashes when a validation file will be compared
    // against them; then the validation file.
    let keep_hashes = validation_job.is_some();
    let mut index = TrainingIndex::default();
    let mut totals = RunTotals::default();
    let roles = jobs.iter().map(|job| (job, false)).chain(validation_job.iter().map(|job| (job, true)));
    for ((input, settings), is_validation) in roles {
        let source = match source::open(input) {
            Ok(source) => source,
            Err(error) => {
                eprintln!("ftlint: error: {error}");
                failed = true;
                continue;
            }
        };
        let settings = &settings_list[*settings];
        let (outcome, seen) = if is_validation {
            check_bytes_as(
                &source.name,
                source.bytes(),
                settings,
                Role::Validation(&index),
                false,
                reporter.as_mut(),
            )?
        } else {
            check_bytes_as(
                &source.name,
                source.bytes(),
                settings,
                Role::Training,
                keep_hashes,
                reporter.as_mut(),
            )?
        };
        if keep_hashes && !is_validation {
            index.add(&source.name, seen);
        }
        if let Some(change) = source.changed_since_open() {
            eprintln!(
                "ftlint: error: {}: {change}; its findings may be wrong. Check it again once nothing is writing to it.",
                source.name
            );
            failed = true;
        }
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
    out: Box<dyn Write + 'a>,
    is_terminal: bool,
    profile: Profile,
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
            Box::new(
                Full::new(out, color, width, args.max_diagnostics).quiet(args.quiet).with_stats(args.stats),
            )
        }
        OutputFormat::Concise => {
            Box::new(Concise::new(out, args.max_diagnostics).quiet(args.quiet).with_stats(args.stats))
        }
        OutputFormat::Json => Box::new(Json::new(out)),
        OutputFormat::JsonLines => Box::new(JsonLines::new(out)),
        OutputFormat::Github => Box::new(Github::new(out)),
        OutputFormat::Gitlab => Box::new(Gitlab::new(out)),
        OutputFormat::Sarif => Box::new(Sarif::new(out, profile)),
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

/// Rules by code or name; `None` (after printing which is unknown) if one is not a rule.
fn resolve_rules(keys: &[String]) -> Option<Vec<Rule>> {
    keys.iter()
        .map(|key| {
            let rule = Rule::find(key.trim());
            if rule.is_none() {
                eprintln!("ftlint: error: unknown rule `{key}`; `ftlint rules` lists them");
            }
            rule
        })
        .collect()
}

/// The rules named by `--select`, `--ignore`, `--warn` and `--error`, resolved once.
struct RuleFlags {
    select: Vec<Rule>,
    ignore: Vec<Rule>,
    warn: Vec<Rule>,
    error: Vec<Rule>,
}

impl RuleFlags {
    /// `None` (after printing why) if a rule is unknown.
    fn resolve(args: &CheckArgs) -> Option<RuleFlags> {
        Some(RuleFlags {
            select: resolve_rules(&args.select)?,
            ignore: resolve_rules(&args.ignore)?,
            warn: resolve_rules(&args.warn)?,
            error: resolve_rules(&args.error)?,
        })
    }

    /// Applies the flags over whatever the defaults and the configuration file set.
    fn apply(&self, settings: &mut Settings) {
        if !self.select.is_empty() {
            settings.select_only(&self.select);
        }
        for rule in &self.ignore {
            settings.set_level(*rule, None);
        }
        for rule in &self.warn {
            settings.set_level(*rule, Some(Severity::Warning));
        }
        for rule in &self.error {
            settings.set_level(*rule, Some(Severity::Error));
        }
    }
}

/// The configuration file found above `path`; `Err` after printing why it is not valid.
fn discover_config(path: &Path) -> Result<Option<Loaded>, ()> {
    config::discover(path).map_err(|error| eprintln!("ftlint: error: {error}"))
}

/// What `check` and `fix` settle alike: the profile and the format (the flag, else the
/// configuration file's, else the default), then the file's rule levels. `None` (after printing
/// why) if the file's rules are not valid.
fn base_settings(
    profile: Option<Profile>,
    format: Option<FormatChoice>,
    loaded: Option<&Loaded>,
) -> Option<Settings> {
    let file = loaded.map(|loaded| &loaded.config);
    let mut settings = Settings::new(profile.or(file.and_then(|c| c.profile)).unwrap_or(Profile::Azure));
    settings.format = format.or(file.and_then(|c| c.format)).unwrap_or_default();
    if let Some(loaded) = loaded {
        if let Err(error) = loaded.apply(&mut settings) {
            eprintln!("ftlint: error: {error}");
            return None;
        }
    }
    Some(settings)
}

/// The settings for one path: defaults, then the configuration file (`named`, or the one found
/// above `path`, or none under `--isolated`), then the flags. `None` (after printing why) if the
/// configuration file is not valid.
fn settings_for(
    args: &CheckArgs,
    flags: &RuleFlags,
    named: Option<&Loaded>,
    path: &Path,
) -> Option<Settings> {
    let discovered;
    let loaded = if args.isolated {
        None
    } else if named.is_some() {
        named
    } else {
        discovered = discover_config(path).ok()?;
        discovered.as_ref()
    };
    let mut settings = base_settings(args.profile.map(Into::into), args.format.map(Into::into), loaded)?;
    settings.max_diagnostics = args.max_diagnostics;
    settings.stats = args.stats;
    settings.model = args.model.clone().or(settings.model.take());
    settings.epochs = args.epochs.or(settings.epochs);
    if !args.no_tokens {
        match TokenSettings::resolve(
            settings.model.as_deref(),
            args.encoding.map(Into::into),
            args.max_example_tokens,
            settings.epochs,
        ) {
            Ok(tokens) => settings.tokens = Some(tokens),
            Err(message) => {
                eprintln!("ftlint: error: {message}");
                return None;
            }
        }
    }
    flags.apply(&mut settings);
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

/// The other profile: where a rule's severity differs, both are shown.
fn other_profile(profile: Profile) -> Profile {
    match profile {
        Profile::Azure => Profile::Openai,
        Profile::Openai => Profile::Azure,
    }
}

fn profile_name(profile: Profile) -> &'static str {
    match profile {
        Profile::Azure => "azure",
        Profile::Openai => "openai",
    }
}

fn list_rules(profile: Profile) -> io::Result<ExitStatus> {
    let mut out = io::stdout().lock();
    // The name column fits the longest name, so the columns after it line up.
    let width = Rule::ALL.iter().map(|rule| rule.name().len()).max().unwrap_or(0);
    writeln!(out, "code   {:<width$} severity stage", "name")?;
    let other = other_profile(profile);
    for rule in Rule::ALL {
        let row = format!(
            "{:<6} {:<width$} {:<8} {:<7}",
            rule.code(),
            rule.name(),
            rule.severity(profile).as_str(),
            rule.stage().as_str()
        );
        if rule.severity_depends_on_profile() {
            writeln!(out, "{row} ({} under --profile {})", rule.severity(other), profile_name(other))?;
        } else {
            writeln!(out, "{}", row.trim_end())?;
        }
    }
    Ok(ExitStatus::Success)
}

fn show_rule(key: &str, profile: Profile) -> io::Result<ExitStatus> {
    let Some(rule) = Rule::find(key) else {
        eprintln!("ftlint: error: unknown rule `{key}`; `ftlint rules` lists them");
        return Ok(ExitStatus::Error);
    };
    let mut out = io::stdout().lock();
    writeln!(out, "{}", rule.docs().trim_end())?;
    let other = other_profile(profile);
    let severity = if rule.severity_depends_on_profile() {
        format!(
            "{} under --profile {}, {} under --profile {}",
            rule.severity(profile),
            profile_name(profile),
            rule.severity(other),
            profile_name(other)
        )
    } else {
        rule.severity(profile).to_string()
    };
    writeln!(out, "\nDefault severity: {severity}. Stage: {}.", rule.stage().as_str())?;
    Ok(ExitStatus::Success)
}

/// `ftlint fix`: fixes each input in place (or prints the diff), and says what it did.
fn fix(args: &FixArgs) -> io::Result<ExitStatus> {
    let (Some(select), Some(ignore)) = (resolve_rules(&args.select), resolve_rules(&args.ignore)) else {
        return Ok(ExitStatus::Error);
    };
    let flags = RuleFlags { select, ignore, warn: Vec::new(), error: Vec::new() };
    // Settings per path argument, from the configuration file found above it (as for `check`), so
    // the profile in `ftlint.toml` decides whether the BOM is added or removed.
    let mut failed = false;
    let mut jobs: Vec<(Input, Settings)> = Vec::new();
    for path in &args.paths {
        let loaded = if args.isolated { Ok(None) } else { discover_config(path) };
        let Some(mut settings) = loaded.ok().and_then(|loaded| {
            base_settings(args.profile.map(Into::into), args.format.map(Into::into), loaded.as_ref())
        }) else {
            return Ok(ExitStatus::Error);
        };
        flags.apply(&mut settings);
        let walk = walk::collect(std::slice::from_ref(path));
        for error in &walk.errors {
            eprintln!("ftlint: error: {error}");
            failed = true;
        }
        jobs.extend(walk.inputs.into_iter().map(|input| (input, settings.clone())));
    }
    let options = FixOptions { unsafe_fixes: args.unsafe_fixes };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    // Standard output carries data (a diff, or a fixed standard input): the summary goes to stderr.
    let data_on_stdout = args.diff || jobs.iter().any(|(input, _)| *input == Input::Stdin);
    let mut changed_files = 0u64;
    let mut total = 0u64;
    for (input, settings) in &jobs {
        let name = input.display_name();
        let result = match (input, args.diff) {
            (Input::Stdin, _) => fix_stdin(settings, options, args.diff, &mut out),
            (Input::Path(path), false) => crate::fix_io::write::fix_file(path, settings, options),
            (Input::Path(_), true) => match source::open(input) {
                Ok(source) => {
                    let mut sink = crate::fix_io::diff::DiffSink::new(&mut out, &name);
                    let counts = fix::fix_bytes(source.bytes(), settings, options, &mut sink);
                    sink.finish()?;
                    counts
                }
                Err(error) => Err(fix::FixError::Io(io::Error::other(error.to_string()))),
            },
        };
        match result {
            Ok(counts) if counts.is_empty() => {}
            Ok(counts) => {
                changed_files += 1;
                total += counts.total();
                let line = if args.diff {
                    format!("{name}: would have {counts}")
                } else {
                    format!("{name}: {counts}")
                };
                report_line(data_on_stdout, &mut out, &line)?;
            }
            Err(fix::FixError::Io(error)) if error.kind() == io::ErrorKind::BrokenPipe => return Err(error),
            Err(error) => {
                eprintln!("ftlint: error: {name}: {error}");
                failed = true;
            }
        }
    }
    let summary = match (changed_files, args.diff) {
        (0, _) => "nothing to fix".to_owned(),
        (_, false) => format!("{total} fixes in {changed_files} file{}", plural(changed_files)),
        (_, true) => format!("{total} fixes would be made in {changed_files} file{}", plural(changed_files)),
    };
    report_line(data_on_stdout, &mut out, &summary)?;
    out.flush()?;
    Ok(if failed {
        ExitStatus::Error
    } else if args.diff && changed_files > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A human line about the run: on standard output, unless that carries data.
fn report_line(data_on_stdout: bool, out: &mut impl Write, line: &str) -> io::Result<()> {
    if data_on_stdout {
        eprintln!("{line}");
        Ok(())
    } else {
        writeln!(out, "{line}")
    }
}

/// Fixes standard input to standard output (or prints its diff).
fn fix_stdin(
    settings: &Settings,
    options: FixOptions,
    diff: bool,
    out: &mut impl Write,
) -> Result<FixCounts, fix::FixError> {
    let source = source::open(&Input::Stdin).map_err(|e| io::Error::other(e.to_string()))?;
    if diff {
        let mut sink = crate::fix_io::diff::DiffSink::new(out, "<stdin>");
        let counts = fix::fix_bytes(source.bytes(), settings, options, &mut sink)?;
        sink.finish()?;
        return Ok(counts);
    }
    let (bytes, counts) = fix::fix_to_vec(source.bytes(), settings, options)?;
    out.write_all(&bytes)?;
    Ok(counts)
}
