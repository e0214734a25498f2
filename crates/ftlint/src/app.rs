//! What each command does: resolve settings, find inputs, check them, report, pick the exit code.
//!
//! Errors that stop ftlint from doing its job (an unknown rule, an invalid configuration file) are
//! returned as [`Error`] and printed once, by [`run`], as `ftlint: error: …` with exit code 2. A
//! problem with one input among several (a missing path) is reported where it is met, through
//! [`error::report`], and the run goes on with the other inputs, so one typo in a path list does not
//! hide findings in the rest; it still exits 2. Findings go to standard output.

use std::borrow::Cow;
use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::cli::{CheckArgs, Cli, ColorChoice, Command, FixArgs};
use crate::config::{self, Loaded};
use crate::error::{self, Error};
use crate::output::{FileId, Target};
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
use ftlint_linter::fix::{self, FixOptions};
use ftlint_linter::grader::Grader;
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
        Command::Check(args) => check(&args, None),
        Command::Fix(args) => fix(&args),
        Command::Rules { profile } => list_rules(profile.map_or(Profile::Azure, Into::into)),
        Command::Rule { rule, profile } => show_rule(&rule, profile.map_or(Profile::Azure, Into::into)),
        Command::Completions { shell } => completions(shell),
        Command::Config { schema: _ } => print_schema(),
    };
    match result {
        Ok(status) => status,
        Err(error) => {
            error::report(&error);
            error.status()
        }
    }
}

/// A check run inside another program (the Python package) rather than as the command: the
/// report is written into [`Embedded::report`] instead of standard output, `-` stands for bytes the
/// caller hands over instead of standard input, and problems with an input and warnings are kept
/// for the caller to raise instead of being printed on standard error. Everything else (settings,
/// configuration files, the reporters) is the command's own code, so the two cannot drift apart.
#[derive(Debug, Default)]
pub struct Embedded {
    /// The bytes `-` reads (records the caller serialized as JSON Lines).
    pub stdin: Option<Vec<u8>>,
    /// `-` is checked as a validation file (without the training minimum of 10 examples).
    pub stdin_is_validation: bool,
    /// The report, in the `--output-format` asked for.
    pub report: Vec<u8>,
    /// Inputs that could not be checked, in the order met.
    pub problems: Vec<Problem>,
    /// What the command would print as `ftlint: warning: …`, without the prefix.
    pub warnings: Vec<String>,
}

/// An input that could not be checked: the message the command prints (without `ftlint: error:`).
#[derive(Debug)]
pub struct Problem {
    pub message: String,
    /// The path does not exist (a caller may raise its own "file not found" error).
    pub not_found: bool,
}

/// Runs `ftlint check` for a program that embeds ftlint; see [`Embedded`]. An error for what stops
/// the command with exit 2 before checking (an unknown rule, an invalid configuration file).
pub fn check_embedded(args: &CheckArgs, embedded: &mut Embedded) -> Result<ExitStatus, Error> {
    check(args, Some(embedded))
}

/// Checks what `check` refuses before reading any file: the rules named by `--select`,
/// `--ignore`, `--warn` and `--error`, and, when tokens are counted, `--model`, `--encoding` and
/// the limits. The error is the one the command would give; a program that embeds ftlint can raise
/// it as a bad argument rather than a failed run.
pub fn check_arguments(args: &CheckArgs) -> Result<(), Error> {
    RuleFlags::resolve(args)?;
    if !args.no_tokens {
        token_settings(args, args.model.as_deref(), args.epochs)?;
    }
    Ok(())
}

/// The token settings for `model` and `epochs` (the flags' or the configuration file's) and the
/// other token flags.
fn token_settings(
    args: &CheckArgs,
    model: Option<&str>,
    epochs: Option<u32>,
) -> Result<TokenSettings, Error> {
    TokenSettings::resolve(model, args.encoding.map(Into::into), args.max_example_tokens, epochs)
        .map_err(Error::new)
}

/// An input that could not be checked: printed at once by the command, kept when embedded.
fn input_problem(embedded: &mut Option<&mut Embedded>, error: &Error, not_found: bool) {
    match embedded {
        Some(embedded) => embedded.problems.push(Problem { message: error.to_string(), not_found }),
        None => error::report(error),
    }
}

/// A warning: printed at once by the command, kept when embedded.
fn input_warning(embedded: &mut Option<&mut Embedded>, message: String) {
    match embedded {
        Some(embedded) => embedded.warnings.push(message),
        None => error::warn(message),
    }
}

fn check(args: &CheckArgs, mut embedded: Option<&mut Embedded>) -> Result<ExitStatus, Error> {
    let flags = RuleFlags::resolve(args)?;
    let named_config = named_config(args.config.as_deref(), args.isolated)?;

    // Settings are resolved per path argument, from the configuration file found above it, before
    // anything is checked: a bad configuration stops the run rather than half of it.
    let validation = args.validation.as_ref().map(|path| (path, std::fs::canonicalize(path).ok()));
    let mut failed = false;
    // Paths that could not be read: said on standard error at once, and given to the reporter once
    // it exists, so that the github format can annotate them.
    let mut unreadable = Vec::new();
    let mut settings_list = Vec::new();
    let mut jobs: Vec<(Input, usize)> = Vec::new();
    let mut seen_inputs = std::collections::HashSet::new();
    if args.show_files {
        return show_files(args, named_config.as_ref());
    }
    if args.show_settings {
        return show_settings(args, &flags, named_config.as_ref());
    }
    for path in &args.paths {
        let config_path = config_path(path, args.stdin_filename.as_deref());
        let loaded = config_for(config_path, named_config.as_ref(), args.isolated)?;
        let settings = settings_for(args, &flags, loaded.as_deref())?;
        let (excludes, per_file_ignores) = path_filters(loaded.as_deref())?;
        if stdin_excluded(path, args.stdin_filename.as_deref(), args.force_exclude, &excludes) {
            // As ruff does: the editor or hook gets no findings for a file the configuration leaves
            // out, and standard input is not read.
            continue;
        }
        let walk = walk::collect(
            std::slice::from_ref(path),
            walk::Filters {
                ignore_files: !args.no_ignore,
                excludes: &excludes,
                force_exclude: args.force_exclude,
            },
        );
        settings_list.push(settings);
        let path_settings = settings_list.len() - 1;
        for problem in walk.errors {
            let not_found = matches!(problem.kind, source::ReadErrorKind::NotFound);
            input_problem(&mut embedded, &Error::new(&problem), not_found);
            unreadable.push(problem);
            failed = true;
        }
        for input in walk.inputs {
            let is_validation = match (&input, &validation) {
                (Input::Path(p), Some((_, Some(canonical)))) => {
                    std::fs::canonicalize(p).ok().as_ref() == Some(canonical)
                }
                _ => false,
            };
            // The same file named twice (`x.jsonl ./x.jsonl /abs/x.jsonl`, or a file and its
            // folder) is checked once, under the first name it was given.
            let identity = match &input {
                Input::Path(path) => FileId::of_path(path),
                Input::Stdin => None,
            };
            if let Some(identity) = identity {
                if !seen_inputs.insert(identity) {
                    continue;
                }
            }
            if is_validation {
                continue;
            }
            // `per-file-ignores`: a file some pattern matches gets its own copy of the settings,
            // with those rules off.
            let off = match &input {
                Input::Path(path) => per_file_ignores.rules_for(path),
                Input::Stdin => per_file_ignores.rules_for(config_path),
            };
            if off.is_empty() {
                jobs.push((input, path_settings));
            } else {
                let mut settings = settings_list[path_settings].clone();
                for rule in off {
                    settings.set_level(rule, None);
                }
                settings_list.push(settings);
                jobs.push((input, settings_list.len() - 1));
            }
        }
    }
    let validation_job = match &validation {
        Some((path, _)) => {
            let loaded = config_for(path, named_config.as_ref(), args.isolated)?;
            let mut settings = settings_for(args, &flags, loaded.as_deref())?;
            for rule in path_filters(loaded.as_deref())?.1.rules_for(path) {
                settings.set_level(rule, None);
            }
            if path.is_dir() {
                return Err(Error::new(format_args!(
                    "--validation takes one file, and {} is a directory",
                    path.display()
                )));
            }
            settings_list.push(settings);
            Some((Input::Path((*path).clone()), settings_list.len() - 1))
        }
        None => None,
    };

    // The report goes through `output`: a temporary file beside `--output-file`, renamed over it
    // once complete (or written straight into a device or FIFO). A target that is one of the files
    // being checked is refused before anything is read.
    let inputs: Vec<FileId> = jobs
        .iter()
        .chain(validation_job.iter())
        .filter_map(|(input, _)| match input {
            Input::Path(path) => FileId::of_path(path),
            Input::Stdin => None,
        })
        .collect();
    let output_file = match &args.output_file {
        Some(path) => {
            let target = Target::new(path, &inputs).map_err(Error::new)?;
            Some(target.stage().map_err(Error::new)?)
        }
        None => None,
    };
    let baseline_entries = match &args.baseline {
        Some(path) => Some(
            crate::baseline::load(path)
                .map_err(|message| Error::new(format_args!("--baseline {}: {message}", path.display())))?,
        ),
        None => None,
    };
    // The baseline to write is refused now, like the report, if it is one of the inputs.
    let baseline_target = match &args.write_baseline {
        Some(path) if path.as_os_str() == "-" => {
            return Err(Error::new(
                "--write-baseline -: a baseline is written to a file, not to standard output; name the file (e.g. `--write-baseline ftlint-baseline.json`)",
            ))
        }
        Some(path) if args.output_file.as_deref().is_some_and(|report| same_path(report, path)) => {
            return Err(Error::new(format_args!(
                "--write-baseline {}: it is also the --output-file, and one would overwrite the other; choose two paths",
                path.display()
            )))
        }
        Some(path) => Some(Target::new(path, &inputs).map_err(Error::new)?),
        None => None,
    };
    let stdout = io::stdout();
    let is_terminal = embedded.is_none() && output_file.is_none() && stdout.is_terminal();
    let mut embedded_report = Vec::new();
    let out: Box<dyn Write> = match (&output_file, embedded.is_some()) {
        (Some(staged), _) => Box::new(io::BufWriter::new(staged.writer()?)),
        (None, true) => Box::new(&mut embedded_report),
        (None, false) => Box::new(io::BufWriter::new(stdout.lock())),
    };
    let format =
        args.output_format.unwrap_or(if is_terminal { OutputFormat::Full } else { OutputFormat::Concise });
    // SARIF describes each rule once per run, at the severity of the run's profile.
    let profile = settings_list.first().map_or(Profile::Azure, |settings| settings.profile);
    let mut reporter = reporter_for(args, format, out, is_terminal, profile);
    // In GitHub Actions the github format also writes the step's Markdown summary: the runner
    // shows only the first 10 annotations of each level.
    let step_summary = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|path| !path.is_empty());
    if let (OutputFormat::Github, false, Some(path)) = (format, args.statistics, step_summary) {
        reporter = Box::new(crate::report::step_summary::StepSummary::new(
            reporter,
            PathBuf::from(path),
            path_base(format),
        ));
    }
    // A progress bar for large files, on standard error, only for a person watching a terminal:
    // never with a machine format, never in a CI log or a pipe.
    let human = format.is_human() && !args.statistics;
    if human && !args.quiet && embedded.is_none() && io::stderr().is_terminal() {
        reporter = Box::new(crate::report::progress::WithProgress::new(reporter));
    }
    let reporter = crate::report::closed_output::ToleratesClosedOutput::new(reporter);
    let mut reporter = crate::baseline::Baselined::new(
        reporter,
        std::env::current_dir().ok(),
        baseline_entries,
        baseline_target.is_some(),
    );
    for problem in &unreadable {
        reporter.unreadable(&problem.name, &problem.reason())?;
    }

    // Training files first, keeping their record hashes when a validation file will be compared
    // against them; then the validation file.
    let keep_hashes = validation_job.is_some();
    let mut index = TrainingIndex::default();
    let mut totals = RunTotals::default();
    let roles = jobs.iter().map(|job| (job, false)).chain(validation_job.iter().map(|job| (job, true)));
    for ((input, settings), is_validation) in roles {
        let given = match (input, embedded.as_deref_mut()) {
            (Input::Stdin, Some(Embedded { stdin: stdin @ Some(_), .. })) => stdin.take(),
            _ => None,
        };
        let is_validation = is_validation
            || (*input == Input::Stdin && embedded.as_deref().is_some_and(|e| e.stdin_is_validation));
        let opened = match given {
            Some(bytes) => Ok((source::Source::from_bytes(String::new(), bytes), None)),
            None => source::open_for_check(input),
        };
        let compressed;
        let source = match opened {
            Ok((mut source, compression)) => {
                compressed = compression.is_some();
                source.name = input_name(input, args.stdin_filename.as_deref());
                if let Some(compression) = compression {
                    error::warn(format_args!(
                        "{}: checked as {}-compressed JSONL; the fine-tuning services take uncompressed JSONL, so upload it decompressed",
                        source.name,
                        compression.name()
                    ));
                }
                source
            }
            Err(mut problem) => {
                problem.name = input_name(input, args.stdin_filename.as_deref());
                let not_found = matches!(problem.kind, source::ReadErrorKind::NotFound);
                input_problem(&mut embedded, &Error::new(&problem), not_found);
                reporter.unreadable(&problem.name, &problem.reason())?;
                failed = true;
                continue;
            }
        };
        let settings = &settings_list[*settings];
        reporter.rules_of_next_file(settings, is_validation);
        // `ftlint fix` refuses a compressed file: its findings are not offered as fixable. An input
        // cut off at the limit has no known size: FT001 says what is known.
        let mut as_read;
        let sink: &mut dyn ftlint_linter::sink::Sink = if compressed || source.cut_off {
            let compressed_size = match input {
                Input::Path(path) if compressed => std::fs::metadata(path).ok().map(|m| m.len()),
                _ => None,
            };
            as_read = crate::report::compressed::AsRead {
                inner: &mut reporter,
                compressed,
                compressed_size,
                cut_off: source.cut_off,
            };
            &mut as_read
        } else {
            &mut reporter
        };
        let (outcome, seen) = if is_validation {
            check_bytes_as(&source.name, source.bytes(), settings, Role::Validation(&index), false, sink)?
        } else {
            check_bytes_as(&source.name, source.bytes(), settings, Role::Training, keep_hashes, sink)?
        };
        if keep_hashes && !is_validation {
            index.add(&source.name, seen);
        }
        if source.cut_off {
            input_warning(
                &mut embedded,
                format!(
                    "{}: reading stopped at the 512 MB upload limit; the rest of the input was not checked",
                    source.name
                ),
            );
        }
        if let Some(change) = source.changed_since_open() {
            let message = format!(
                "{}: {change}; its findings may be wrong. Check it again once nothing is writing to it.",
                source.name
            );
            input_problem(&mut embedded, &Error::new(message), false);
            failed = true;
        }
        totals.files += 1;
        totals.examples += outcome.examples;
        totals.tally.merge(reporter.adjust(outcome.tally));
    }
    reporter.finish(&totals)?;
    let (missing, first_missing) = reporter.entries_of_missing_files();
    if let (Some(path), Some(first)) = (&args.baseline, first_missing.filter(|_| missing > 0)) {
        error::warn(format_args!(
            "{}: {missing} accepted finding{} of files not found (such as {first}); the baseline's paths are relative to the working directory it was written from, so run ftlint from there. If the files are gone, `--write-baseline` drops them",
            path.display(),
            plural(missing as u64)
        ));
    }
    let recorded = reporter.recorded().to_vec();
    drop(reporter);
    if let (Some(target), true) = (&baseline_target, failed) {
        // A baseline written without the inputs that failed would silently drop their entries.
        error::warn(format_args!(
            "{}: not written, since some inputs could not be checked; fix the errors above and run again",
            crate::report::escape_controls(&target.path().display().to_string())
        ));
    } else if let Some(target) = baseline_target {
        let mut staged = target.stage().map_err(Error::new)?;
        staged.write_all(crate::baseline::render(&recorded).as_bytes())?;
        staged.commit().map_err(Error::new)?;
        eprintln!(
            "ftlint: {}: {} finding{} recorded as accepted",
            crate::report::escape_controls(&target.path().display().to_string()),
            recorded.len(),
            plural(recorded.len() as u64)
        );
    }
    if let Some(embedded) = embedded {
        embedded.report = embedded_report;
    }
    if let Some(staged) = output_file {
        staged.commit().map_err(Error::new)?;
    }
    Ok(exit_status(args, failed, &totals))
}

/// Whether two paths name the same file: the same file on disk, or the same path once made
/// absolute when neither exists yet.
fn same_path(a: &Path, b: &Path) -> bool {
    if let (Some(a), Some(b)) = (FileId::of_path(a), FileId::of_path(b)) {
        return a == b;
    }
    let absolute = |path: &Path| -> PathBuf {
        let joined = std::env::current_dir().unwrap_or_default().join(path);
        let parent = joined.parent().map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()));
        match (parent, joined.file_name()) {
            (Some(parent), Some(name)) => parent.join(name),
            _ => joined,
        }
    };
    absolute(a) == absolute(b)
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
            let width = terminal_width(args.output_file.is_some()).unwrap_or(100);
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
        OutputFormat::Github => Box::new(Github::new(out, path_base(format))),
        OutputFormat::Gitlab => Box::new(Gitlab::new(out, path_base(format))),
        OutputFormat::Sarif => Box::new(Sarif::new(out, path_base(format), profile)),
        OutputFormat::Junit => Box::new(Junit::new(out, path_base(format))),
    }
}

/// The directory the machine formats make paths relative to, since CI systems match findings to
/// repository paths: GitLab names its checkout in `CI_PROJECT_DIR` (jobs may run elsewhere); GitHub
/// Actions, SARIF and JUnit viewers take the working directory, where the checkout is.
fn path_base(format: OutputFormat) -> Option<PathBuf> {
    let project_dir = match format {
        OutputFormat::Gitlab => std::env::var_os("CI_PROJECT_DIR").map(PathBuf::from),
        _ => None,
    };
    project_dir.or_else(|| std::env::current_dir().ok())
}

/// The path whose configuration file applies to a path argument: `--stdin-filename` stands for
/// `-`, so standard input gets the settings a real file of that name would.
fn config_path<'a>(path: &'a Path, stdin_filename: Option<&'a Path>) -> &'a Path {
    match stdin_filename {
        Some(name) if path.as_os_str() == "-" => name,
        _ => path,
    }
}

/// Whether `path` is `-` standing for a `--stdin-filename` that `--force-exclude` leaves out.
fn stdin_excluded(
    path: &Path,
    stdin_filename: Option<&Path>,
    force_exclude: bool,
    excludes: &walk::Excludes,
) -> bool {
    path.as_os_str() == "-"
        && force_exclude
        && stdin_filename.is_some_and(|name| excludes.excludes_path(name))
}

/// How an input is named in reports and messages: standard input by `--stdin-filename` when given.
fn input_name(input: &Input, stdin_filename: Option<&Path>) -> String {
    match (input, stdin_filename) {
        (Input::Stdin, Some(name)) => name.to_string_lossy().into_owned(),
        _ => input.display_name(),
    }
}

/// The exit status of a check: 2 if ftlint could not do its job, else 1 for errors or for more
/// warnings than `--max-warnings` allows, unless `--exit-zero`.
fn exit_status(args: &CheckArgs, failed: bool, totals: &RunTotals) -> ExitStatus {
    let too_many_warnings = args.max_warnings.is_some_and(|max| totals.tally.warnings > max);
    if failed {
        ExitStatus::Error
    } else if args.write_baseline.is_some() {
        // The findings were just accepted.
        ExitStatus::Success
    } else if (totals.tally.errors > 0 || too_many_warnings) && !args.exit_zero {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

/// Rules by code or name; an error naming the first that is not a rule.
fn resolve_rules(keys: &[String]) -> Result<Vec<Rule>, Error> {
    keys.iter().map(|key| Rule::find(key.trim()).ok_or_else(|| Error::unknown_rule(key))).collect()
}

/// The rules named by `--select`, `--ignore`, `--warn` and `--error`, resolved once.
struct RuleFlags {
    select: Vec<Rule>,
    ignore: Vec<Rule>,
    warn: Vec<Rule>,
    error: Vec<Rule>,
}

impl RuleFlags {
    /// An error if a rule is unknown.
    fn resolve(args: &CheckArgs) -> Result<RuleFlags, Error> {
        Ok(RuleFlags {
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

/// The file named by `--config`, unless `--isolated` ignores every configuration file (clap refuses
/// the two together; this keeps `--isolated` winning if that ever changes). An error if it cannot
/// be read, is not valid, or is a `pyproject.toml` without a `[tool.ftlint]` table.
fn named_config(path: Option<&Path>, isolated: bool) -> Result<Option<Loaded>, Error> {
    match path {
        Some(path) if !isolated => match config::load(path)? {
            Some(loaded) => Ok(Some(loaded)),
            None => Err(Error::new(format_args!("{} has no [tool.ftlint] table", path.display()))),
        },
        _ => Ok(None),
    }
}

/// The configuration file for `path`: `named` (from `--config`), else none under `isolated`, else
/// the one found above `path`.
fn config_for<'a>(
    path: &Path,
    named: Option<&'a Loaded>,
    isolated: bool,
) -> Result<Option<Cow<'a, Loaded>>, Error> {
    Ok(match named {
        _ if isolated => None,
        Some(named) => Some(Cow::Borrowed(named)),
        None => config::discover(path)?.map(Cow::Owned),
    })
}

/// What `check` and `fix` settle alike: the profile and the format (the flag, else the
/// configuration file's, else the default), then the file's rule levels. An error if the file's
/// rules are not valid.
fn base_settings(
    profile: Option<Profile>,
    format: Option<FormatChoice>,
    loaded: Option<&Loaded>,
) -> Result<Settings, Error> {
    let file = loaded.map(|loaded| &loaded.config);
    let mut settings = Settings::new(profile.or(file.and_then(|c| c.profile)).unwrap_or(Profile::Azure));
    settings.format = format.or(file.and_then(|c| c.format)).unwrap_or_default();
    if let Some(loaded) = loaded {
        loaded.apply(&mut settings)?;
    }
    Ok(settings)
}

/// The walk's excludes and the per-file ignores of a configuration file (the defaults without
/// one). An error if a pattern or a rule in them is not valid.
fn path_filters(loaded: Option<&Loaded>) -> Result<(walk::Excludes, config::PerFileIgnores), Error> {
    Ok(match loaded {
        Some(loaded) => (loaded.excludes()?, loaded.per_file_ignores()?),
        None => (walk::Excludes::default(), config::PerFileIgnores::default()),
    })
}

/// `check --show-files`: for each path, the data files a walk finds, each checked or left out with
/// the reason. A file named on the command line is always checked.
fn show_files(args: &CheckArgs, named: Option<&Loaded>) -> Result<ExitStatus, Error> {
    let mut out = io::BufWriter::new(crate::report::closed_output::QuietWhenClosed::new(io::stdout().lock()));
    let mut failed = false;
    for path in &args.paths {
        let loaded = config_for(config_path(path, args.stdin_filename.as_deref()), named, args.isolated)?;
        let (excludes, per_file_ignores) = path_filters(loaded.as_deref())?;
        let filters = walk::Filters {
            ignore_files: !args.no_ignore,
            excludes: &excludes,
            force_exclude: args.force_exclude,
        };
        let listed = if path.as_os_str() == "-" {
            // Standard input, under the name it stands for.
            let name = args.stdin_filename.clone().unwrap_or_else(|| path.clone());
            let skipped = stdin_excluded(path, args.stdin_filename.as_deref(), args.force_exclude, &excludes)
                .then(|| "an `exclude` pattern matches it (--force-exclude)".to_owned());
            vec![walk::Listed { path: name, skipped }]
        } else if path.is_dir() {
            walk::explain(path, filters)
        } else if args.force_exclude && excludes.excludes_path(path) {
            let skipped = Some("an `exclude` pattern matches it (--force-exclude)".to_owned());
            vec![walk::Listed { path: path.clone(), skipped }]
        } else if path.exists() {
            vec![walk::Listed { path: path.clone(), skipped: None }]
        } else {
            error::report(&Error::new(format_args!("{}: no such file or directory", path.display())));
            failed = true;
            Vec::new()
        };
        let is_stdin = path.as_os_str() == "-" && args.stdin_filename.is_some();
        for file in listed {
            let mut name = crate::report::escape_controls(&file.path.to_string_lossy()).into_owned();
            if is_stdin {
                name.push_str(" (standard input)");
            }
            match file.skipped {
                None => {
                    let off = per_file_ignores.rules_for(&file.path);
                    if off.is_empty() {
                        writeln!(out, "{name}")?;
                    } else {
                        let codes: Vec<&str> = off.iter().map(|rule| rule.code()).collect();
                        writeln!(out, "{name} (per-file-ignores: {})", codes.join(", "))?;
                    }
                }
                Some(reason) => writeln!(out, "{name}: skipped, {reason}")?,
            }
        }
    }
    out.flush()?;
    Ok(if failed { ExitStatus::Error } else { ExitStatus::Success })
}

/// `check --show-settings`: for each path, where its settings come from and what they are, in
/// `ftlint.toml`'s own syntax where there is one.
fn show_settings(args: &CheckArgs, flags: &RuleFlags, named: Option<&Loaded>) -> Result<ExitStatus, Error> {
    let mut out = io::BufWriter::new(crate::report::closed_output::QuietWhenClosed::new(io::stdout().lock()));
    for (index, path) in args.paths.iter().enumerate() {
        let loaded = config_for(config_path(path, args.stdin_filename.as_deref()), named, args.isolated)?;
        let settings = settings_for(args, flags, loaded.as_deref())?;
        let from = match (&loaded, args.isolated) {
            (_, true) => "defaults and flags only (--isolated)".to_owned(),
            (Some(loaded), false) => format!("{} and the flags", loaded.path.display()),
            (None, false) => "defaults and flags (no configuration file found)".to_owned(),
        };
        if index > 0 {
            writeln!(out)?;
        }
        let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
        writeln!(out, "# Settings for {}: {from}", crate::report::escape_controls(&path.to_string_lossy()))?;
        writeln!(out, "profile = \"{}\"", profile_name(settings.profile))?;
        let format = match settings.format {
            FormatChoice::Auto => "auto",
            FormatChoice::Sft => "sft",
            FormatChoice::Dpo => "dpo",
            FormatChoice::Rft => "rft",
        };
        writeln!(out, "format = \"{format}\"")?;
        match args.grader.clone().or_else(|| loaded.as_deref().and_then(Loaded::grader_path)) {
            Some(grader_path) => {
                writeln!(out, "grader = {}", quoted(&grader_path.to_string_lossy()))?;
                if let Some(grader) = &settings.grader {
                    writeln!(
                        out,
                        "# {} grader, reading {} record field{}",
                        grader.kind,
                        grader.item_refs.len(),
                        plural(grader.item_refs.len() as u64)
                    )?;
                }
            }
            None => writeln!(out, "# no grader (--grader, or `grader` with `format = \"rft\"`)")?,
        }
        match &settings.tokens {
            Some(tokens) => {
                writeln!(out, "model = {}", quoted(&tokens.model))?;
                writeln!(
                    out,
                    "# encoding {}, at most {} tokens per example",
                    tokens.encoding, tokens.max_example_tokens
                )?;
            }
            None => writeln!(out, "# tokens are not counted (--no-tokens)")?,
        }
        match settings.epochs {
            Some(epochs) => writeln!(out, "epochs = {epochs}")?,
            None => writeln!(out, "# epochs: what the service picks for the file's size")?,
        }
        let (excludes, per_file_ignores) = path_filters(loaded.as_deref())?;
        let patterns: Vec<String> = excludes.patterns().iter().map(|p| quoted(p)).collect();
        writeln!(
            out,
            "exclude = [{}]  # with extend-exclude; relative to {}",
            patterns.join(", "),
            excludes.base().display()
        )?;
        writeln!(
            out,
            "# .gitignore, .ignore and git excludes: {}",
            if args.no_ignore { "not honoured (--no-ignore)" } else { "honoured" }
        )?;
        if let Some(loaded) = loaded.as_deref() {
            if !loaded.config.per_file_ignores.is_empty() {
                writeln!(out, "\n[per-file-ignores]")?;
                for (pattern, rules) in &loaded.config.per_file_ignores {
                    let rules: Vec<String> = rules.iter().map(|r| quoted(r)).collect();
                    writeln!(out, "{} = [{}]", quoted(pattern), rules.join(", "))?;
                }
            }
        }
        // The levels the path's files get: a rule `per-file-ignores` turns off for the path is
        // shown off, with the reason.
        let off = per_file_ignores.rules_for(config_path(path, args.stdin_filename.as_deref()));
        writeln!(out, "\n[rules]")?;
        for rule in Rule::ALL {
            let ignored = off.contains(rule);
            let level = match settings.level(*rule) {
                _ if ignored => "off",
                None => "off",
                Some(Severity::Info) => "info",
                Some(Severity::Warning) => "warn",
                Some(Severity::Error) => "error",
            };
            let why =
                if ignored && settings.level(*rule).is_some() { ", off by per-file-ignores" } else { "" };
            writeln!(out, "{} = \"{level}\"  # {}{why}", rule.code(), rule.name())?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// The settings for one path: defaults, then its configuration file (`--config`, or the one found
/// above it, or none under `--isolated`), then the flags. An error if the configuration file is
/// not valid.
fn settings_for(args: &CheckArgs, flags: &RuleFlags, loaded: Option<&Loaded>) -> Result<Settings, Error> {
    let mut settings = base_settings(args.profile.map(Into::into), args.format.map(Into::into), loaded)?;
    settings.max_diagnostics = args.max_diagnostics;
    settings.stats = args.stats;
    settings.model = args.model.clone().or(settings.model.take());
    settings.epochs = args.epochs.or(settings.epochs);
    if !args.no_tokens {
        settings.tokens = Some(token_settings(args, settings.model.as_deref(), settings.epochs)?);
    }
    flags.apply(&mut settings);
    if let Some(path) = args.grader.clone().or_else(|| loaded.and_then(Loaded::grader_path)) {
        // RFT records look like SFT records with extra keys: under any other format the grader
        // would silently check nothing.
        if settings.format != FormatChoice::Rft {
            return Err(Error::new(format_args!(
                "the grader {} is for RFT data; add `--format rft` (or `format = \"rft\"` in the configuration file)",
                path.display()
            )));
        }
        settings.grader = Some(load_grader(&path)?);
    }
    Ok(settings)
}

/// The largest grader file read: far above any real grader (the service takes a python grader's
/// source up to 256 kB), far below what would strain memory.
const MAX_GRADER_BYTES: u64 = 16 << 20;

/// Reads and checks an RFT grader file. A grader that cannot be read or is not valid is an error
/// (exit 2) naming the file, the field and what is allowed: it is configuration, not data.
fn load_grader(path: &Path) -> Result<std::sync::Arc<Grader>, Error> {
    use std::io::Read;
    let cannot_read =
        |e: io::Error| Error::new(format_args!("cannot read the grader {}: {e}", path.display()));
    // Read at most one byte past the cap, so a huge file or a device (`/dev/zero`) cannot exhaust
    // memory.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_GRADER_BYTES + 1).read_to_end(&mut bytes))
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_GRADER_BYTES {
        return Err(Error::new(format_args!(
            "the grader {} is larger than {} MiB; a grader is a JSON object of a few kilobytes (the service limits a python grader's source to 256 kB), so this is not a grader file",
            path.display(),
            MAX_GRADER_BYTES >> 20
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| cannot_read(io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text")))?;
    let grader = Grader::parse(&text)
        .map_err(|e| Error::new(format_args!("invalid grader in {}: {e}", path.display())))?;
    Ok(std::sync::Arc::new(grader))
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

/// The width `full` wraps its output to: `$COLUMNS` when it is set to a positive number (a user's
/// or a shell's choice wins), else the width of the terminal the report is shown on (standard
/// output, or standard error when the output is piped into a pager), else none. A report written
/// to `--output-file` is shown on no terminal.
fn terminal_width(to_file: bool) -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok();
    width_from(columns.as_deref(), || {
        if to_file {
            return None;
        }
        terminal_size::terminal_size().map(|(terminal_size::Width(width), _)| usize::from(width))
    })
}

/// `columns` if it is a positive number, else what `terminal` measures.
fn width_from(columns: Option<&str>, terminal: impl FnOnce() -> Option<usize>) -> Option<usize> {
    columns
        .and_then(|columns| columns.trim().parse::<usize>().ok())
        .filter(|&width| width > 0)
        .or_else(terminal)
        .filter(|&width| width > 0)
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

fn list_rules(profile: Profile) -> Result<ExitStatus, Error> {
    let mut out = io::stdout().lock();
    // The name column fits the longest name, so the columns after it line up.
    let width = Rule::ALL.iter().map(|rule| rule.name().len()).max().unwrap_or(0);
    writeln!(out, "code   {:<width$} severity stage   fix", "name")?;
    let other = other_profile(profile);
    for rule in Rule::ALL {
        let row = format!(
            "{:<6} {:<width$} {:<8} {:<7} {:<6}",
            rule.code(),
            rule.name(),
            rule.severity(profile).as_str(),
            rule.stage().as_str(),
            rule.fix_availability().as_str()
        );
        if rule.severity_depends_on_profile() {
            writeln!(out, "{row} ({} under --profile {})", rule.severity(other), profile_name(other))?;
        } else if !rule.enabled_by_default() {
            writeln!(out, "{row} (off by default)")?;
        } else {
            writeln!(out, "{}", row.trim_end())?;
        }
    }
    Ok(ExitStatus::Success)
}

fn show_rule(key: &str, profile: Profile) -> Result<ExitStatus, Error> {
    let rule = Rule::find(key).ok_or_else(|| Error::unknown_rule(key))?;
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
    writeln!(out, "{}", rule.fix_availability().describe())?;
    Ok(ExitStatus::Success)
}

/// `ftlint config --schema`: the configuration's JSON Schema on standard output.
fn print_schema() -> Result<ExitStatus, Error> {
    let mut out = io::stdout().lock();
    out.write_all(config::json_schema().as_bytes())?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// `ftlint completions SHELL`: the completion script, generated from the same definitions that
/// parse the command line, so it always knows every flag. It is built in memory first because
/// clap_complete panics on a write error, and a closed pipe must stay quiet.
fn completions(shell: clap_complete::Shell) -> Result<ExitStatus, Error> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ftlint", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// `ftlint fix`: fixes each input in place (or prints the diff), and says what it did.
fn fix(args: &FixArgs) -> Result<ExitStatus, Error> {
    let flags = RuleFlags {
        select: resolve_rules(&args.select)?,
        ignore: resolve_rules(&args.ignore)?,
        warn: Vec::new(),
        error: Vec::new(),
    };
    let named_config = named_config(args.config.as_deref(), args.isolated)?;
    // Settings per path argument, from the configuration file found above it (as for `check`), so
    // the profile in `ftlint.toml` decides whether the BOM is added or removed.
    let mut failed = false;
    let mut pass_through_stdin = false;
    let mut jobs: Vec<(Input, Settings)> = Vec::new();
    let mut seen_inputs = std::collections::HashSet::new();
    for path in &args.paths {
        let config_path = config_path(path, args.stdin_filename.as_deref());
        let loaded = config_for(config_path, named_config.as_ref(), args.isolated)?;
        let mut settings =
            base_settings(args.profile.map(Into::into), args.format.map(Into::into), loaded.as_deref())?;
        flags.apply(&mut settings);
        let (excludes, per_file_ignores) = path_filters(loaded.as_deref())?;
        if stdin_excluded(path, args.stdin_filename.as_deref(), args.force_exclude, &excludes) {
            // An editor replaces its buffer with what `fix -` prints: an excluded file comes back
            // as it was.
            pass_through_stdin = true;
            continue;
        }
        let walk = walk::collect_confined(
            std::slice::from_ref(path),
            walk::Filters {
                ignore_files: !args.no_ignore,
                excludes: &excludes,
                force_exclude: args.force_exclude,
            },
        );
        for error in &walk.errors {
            error::report(&Error::new(error));
            failed = true;
        }
        for skipped in &walk.skipped {
            error::warn(skipped);
        }
        for input in walk.inputs {
            // A file reached twice (named twice, or a file and a link to it) is fixed once.
            let identity = match &input {
                Input::Path(path) => FileId::of_path(path),
                Input::Stdin => None,
            };
            if identity.is_some_and(|identity| !seen_inputs.insert(identity)) {
                continue;
            }
            // A rule `per-file-ignores` turns off for a file is not fixed there either.
            let mut file_settings = settings.clone();
            let off = match &input {
                Input::Path(path) => per_file_ignores.rules_for(path),
                Input::Stdin => per_file_ignores.rules_for(config_path),
            };
            for rule in off {
                file_settings.set_level(rule, None);
            }
            jobs.push((input, file_settings));
        }
    }
    let options = FixOptions { unsafe_fixes: args.unsafe_fixes };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(crate::report::closed_output::QuietWhenClosed::new(stdout.lock()));
    // Standard output carries data (a diff, or a fixed standard input): the summary goes to stderr.
    let data_on_stdout =
        args.diff || pass_through_stdin || jobs.iter().any(|(input, _)| *input == Input::Stdin);
    if pass_through_stdin && !args.diff {
        io::copy(&mut io::stdin().lock(), &mut out)?;
    }
    let mut changed_files = 0u64;
    let mut total = 0u64;
    for (input, settings) in &jobs {
        let name = input_name(input, args.stdin_filename.as_deref());
        let result = match (input, args.diff) {
            (Input::Stdin, _) => fix_stdin(settings, options, args.diff, &diff_name(&name), &mut out),
            (Input::Path(path), false) => crate::fix_io::write::fix_file(path, settings, options),
            (Input::Path(_), true) => match source::open(input) {
                Ok(source) => refuse_cut_off(&source)
                    .and_then(|()| fix::fix(source.bytes(), settings, options))
                    .and_then(|fixed| {
                        // A file that changed under the check (truncated, rewritten) gives a diff of
                        // bytes that are not the file's: nothing is printed for it.
                        if let Some(change) = source.changed_since_open() {
                            return Err(fix::FixError::Io(io::Error::other(format!(
                                "{change}; no diff is shown"
                            ))));
                        }
                        crate::fix_io::diff::write_diff(&mut out, &diff_name(&name), source.bytes(), &fixed)?;
                        Ok(fixed)
                    }),
                Err(error) => Err(fix::FixError::Io(io::Error::other(error.to_string()))),
            },
        };
        match result {
            Ok(fixed) => {
                if !fixed.converged {
                    error::warn(format_args!(
                        "{name}: the fixes did not settle within {} passes (or could not all be applied without changing how the file reads); check the result and run `ftlint fix` again",
                        fix::MAX_PASSES
                    ));
                }
                if fixed.changed() {
                    changed_files += 1;
                    total += fixed.counts.total();
                    let line = if args.diff {
                        format!("{name}: {}", fixed.counts.describe("to fix"))
                    } else {
                        format!("{name}: {}", fixed.counts.describe("fixed"))
                    };
                    report_line(data_on_stdout, &mut out, &line)?;
                }
            }
            Err(fix::FixError::Io(error)) if error.kind() == io::ErrorKind::BrokenPipe => {
                return Err(error.into())
            }
            Err(error) => {
                error::report(&Error::new(format_args!("{name}: {error}")));
                failed = true;
            }
        }
    }
    let summary = match (changed_files, args.diff) {
        // Files that could not be fixed were reported above; "nothing to fix" would hide them.
        (0, _) if failed => String::new(),
        (0, _) => "nothing to fix".to_owned(),
        (_, false) => format!("{total} fixes in {changed_files} file{}", plural(changed_files)),
        (_, true) => format!("{total} fixes would be made in {changed_files} file{}", plural(changed_files)),
    };
    if !summary.is_empty() {
        report_line(data_on_stdout, &mut out, &summary)?;
    }
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

/// An input read only up to the upload limit cannot be fixed: writing it back would drop the rest.
pub(crate) fn refuse_cut_off(source: &source::Source) -> Result<(), fix::FixError> {
    if source.cut_off {
        return Err(fix::FixError::Io(io::Error::other(
            "it is larger than the 512 MB upload limit and was only read that far; it is left as it is",
        )));
    }
    Ok(())
}

/// The name a diff header gives a file: relative to the working directory and without `./`, as
/// `git apply` requires.
fn diff_name(name: &str) -> String {
    crate::report::relative_path(name, std::env::current_dir().ok().as_deref())
}

/// Fixes standard input to standard output (or prints its diff, under `name`).
fn fix_stdin(
    settings: &Settings,
    options: FixOptions,
    diff: bool,
    name: &str,
    out: &mut impl Write,
) -> Result<fix::Fixed, fix::FixError> {
    let source = source::open(&Input::Stdin).map_err(|e| io::Error::other(e.to_string()))?;
    refuse_cut_off(&source)?;
    let fixed = fix::fix(source.bytes(), settings, options)?;
    if diff {
        crate::fix_io::diff::write_diff(out, name, source.bytes(), &fixed)?;
    } else {
        out.write_all(&fixed.bytes)?;
    }
    Ok(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_wins_when_valid_and_the_terminal_answers_otherwise() {
        let terminal = || Some(132);
        assert_eq!(width_from(Some("80"), terminal), Some(80));
        assert_eq!(width_from(Some(" 90\n"), terminal), Some(90));
        for invalid in ["", "0", "-5", "wide", "80px"] {
            assert_eq!(width_from(Some(invalid), terminal), Some(132), "COLUMNS={invalid:?}");
        }
        assert_eq!(width_from(None, terminal), Some(132));
        assert_eq!(width_from(None, || None), None);
        assert_eq!(width_from(Some("junk"), || None), None);
        assert_eq!(width_from(None, || Some(0)), None, "a terminal that reports no width");
    }
}
