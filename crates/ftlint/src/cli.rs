//! The command line, as clap parses it. Nothing here acts; [`crate::app`] does.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::OutputFormat;
use ftlint_linter::model::shape::FormatChoice;
use ftlint_linter::settings::Profile;
use ftlint_linter::tokens::Encoding;

const ABOUT: &str = "Validate and lint fine-tuning datasets (OpenAI / Azure OpenAI chat JSONL) before upload";

const LONG_ABOUT: &str = "\
Validate and lint fine-tuning datasets (OpenAI / Azure OpenAI chat JSONL) before upload.

ftlint finds what the fine-tuning service would reject, and the mistakes it silently accepts, and
points at the exact line, column and JSON value.

Exit status: 0 when nothing of error severity was found, 1 when something was (or when there were
more warnings than `--max-warnings` allows), 2 when ftlint could not do its job (a path that is
missing or unreadable, bad arguments, an output file it cannot write). `--exit-zero` turns 1 into 0.";

#[derive(Debug, Parser)]
#[command(name = "ftlint", version, about = ABOUT, long_about = LONG_ABOUT, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check fine-tuning JSONL files and report what is wrong
    Check(Box<CheckArgs>),
    /// Fix what can be fixed mechanically, in place (atomically), or show it with --diff
    Fix(FixArgs),
    /// List every rule with its code, name, severity and stage
    Rules {
        /// The profile whose severities to show (default: azure); rules whose severity differs
        /// under the other profile say so
        #[arg(long, value_enum)]
        profile: Option<ProfileArg>,
    },
    /// Show the documentation of one rule
    Rule {
        /// A rule code (`FT101`) or name (`invalid-utf8`)
        rule: String,
        /// The profile whose severity to show (default: azure)
        #[arg(long, value_enum)]
        profile: Option<ProfileArg>,
    },
    /// Print the JSON Schema of ftlint.toml, for editors that complete and check it
    #[command(after_help = "\
The schema is also in the repository, as docs/ftlint.schema.json. Taplo (Even Better TOML) reads it
from a comment on the first line of ftlint.toml:
  #:schema ./ftlint.schema.json")]
    Config {
        /// Print the JSON Schema (draft 2020-12) of `ftlint.toml` and `[tool.ftlint]`
        #[arg(long, required = true)]
        schema: bool,
    },
    /// Print the shell completion script for SHELL on standard output
    #[command(after_help = "\
Examples:
  ftlint completions bash > ~/.local/share/bash-completion/completions/ftlint
  ftlint completions zsh > ~/.zfunc/_ftlint       (with ~/.zfunc in $fpath)
  ftlint completions fish > ~/.config/fish/completions/ftlint.fish
  ftlint completions powershell >> $PROFILE")]
    Completions {
        /// The shell to complete ftlint's commands and flags in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  ftlint check train.jsonl                     check one file
  ftlint check data/                           check every *.jsonl under data/ git does not ignore
  ftlint check --show-files data/              list what would be checked, and why not the rest
  cat train.jsonl | ftlint check -             check standard input
  ftlint check --profile openai train.jsonl    apply OpenAI's rules where the services differ
  ftlint check --error missing-bom train.jsonl make a missing BOM an error
  ftlint check train.jsonl --validation valid.jsonl
                                               also check the validation file, and that it shares
                                               no example with the training file
  ftlint check --model gpt-4.1-nano --stats train.jsonl
                                               token figures and limits for gpt-4.1-nano
  ftlint check --output-format sarif -o ftlint.sarif data/
  ftlint check --statistics data/              how often each rule fired
  ftlint check -q --max-warnings 0 data/       fail on any warning, print only findings
  ftlint check --write-baseline ftlint-baseline.json data/
                                               accept today's findings
  ftlint check --baseline ftlint-baseline.json data/
                                               report only findings the baseline does not accept

Settings are read from the first .ftlint.toml, ftlint.toml or pyproject.toml [tool.ftlint] found
from each PATH's directory upward; flags override them.")]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input. Directories are searched for
    /// `*.jsonl` files; a file named here is checked whatever its extension.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// The job's validation file: checked with the same rules (without the training minimum of 10
    /// examples), and each of its examples looked up in the training files (every PATH). Not checked
    /// again as a training file if a PATH directory holds it
    #[arg(long, value_name = "FILE")]
    pub validation: Option<PathBuf>,

    /// Which service's rules apply where OpenAI and Azure OpenAI differ (e.g. the byte-order mark)
    /// [default: azure]
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,

    /// The dataset format. `auto` tells SFT (`messages`) from DPO (`input` + outputs) per record
    /// and reports records outside the file's majority format; RFT records look like SFT records
    /// with extra keys, so RFT must be chosen with `--format rft` [default: auto]
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Read settings from this file only (`ftlint.toml` syntax, or a `pyproject.toml` with a
    /// `[tool.ftlint]` table) instead of looking for one above each PATH
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every configuration file: defaults and flags only
    #[arg(long)]
    pub isolated: bool,

    /// Check the files that `.gitignore`, `.ignore` and git's exclude files leave out of a directory
    /// walk (hidden files and the configuration's `exclude` patterns stay skipped)
    #[arg(long)]
    pub no_ignore: bool,

    /// Leave out paths named on the command line that the configuration's `exclude` or
    /// `extend-exclude` match (for pre-commit and editors, which name each file)
    #[arg(long)]
    pub force_exclude: bool,

    /// Print the settings that apply to each PATH (the configuration file found, then the flags)
    /// and the level of every rule; check nothing
    #[arg(long)]
    pub show_settings: bool,

    /// List the data files each directory holds, and for each one that would not be checked, why;
    /// check nothing
    #[arg(long)]
    pub show_files: bool,

    /// The name standard input (`-`) goes by: shown in every report instead of `<stdin>`, and the
    /// file whose directory the configuration file is looked for from, as for a real file of that
    /// name (e.g. an editor piping an unsaved buffer)
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,

    /// How findings are printed [default: full on a terminal, concise otherwise]
    #[arg(long, value_enum)]
    pub output_format: Option<OutputFormat>,

    /// Write the report to this file instead of standard output. The file is replaced in one step
    /// once the report is complete, never left half-written.
    #[arg(short = 'o', long, value_name = "PATH")]
    pub output_file: Option<PathBuf>,

    /// Report only the findings this baseline file does not accept (matched by rule, path and the
    /// content they are about, not by line); accepted findings that are gone are reported as info
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every finding of this run in a baseline file (replaced in one step), and exit 0
    /// unless a path could not be checked
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Print how often each rule fired (count, code, name; most frequent first) instead of the
    /// findings
    #[arg(long)]
    pub statistics: bool,

    /// Print only the findings: no summary line, so a clean run prints nothing
    #[arg(short, long)]
    pub quiet: bool,

    /// Exit 0 even when errors are found (2 still reports that ftlint could not do its job)
    #[arg(long)]
    pub exit_zero: bool,

    /// Exit 1 when more than N warnings are found, even with no errors
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<u64>,

    /// When to use colour in human output; NO_COLOR and FORCE_COLOR are honoured under `auto`
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Show at most N findings per file in human formats (0 shows all); `json` always has all
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub max_diagnostics: usize,

    /// Check only these rules (codes or names, comma-separated)
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Turn these rules off
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Report these rules as warnings
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub warn: Vec<String>,

    /// Report these rules as errors (exit 1 when they fire)
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub error: Vec<String>,

    /// The model to fine-tune: sets the encoding and the per-example token limit. Dated or undated
    /// names, OpenAI's `ft:<base>:…` and Azure's `<base>.ft-…` names resolve to their base
    /// [default: gpt-4.1-2025-04-14]
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,

    /// The tokenizer's encoding, overriding the model's (needed, with `--max-example-tokens`, for a
    /// model ftlint does not know)
    #[arg(long, value_enum, value_name = "ENCODING")]
    pub encoding: Option<EncodingArg>,

    /// Tokens per training example, overriding the model's limit
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_example_tokens: Option<u32>,

    /// Epochs of the planned job (1-50), for the billed-token estimate and Azure's 2-billion cap
    /// [default: what the service picks for the file's size]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=50))]
    pub epochs: Option<u32>,

    /// Skip token counting (and the token rules): faster, for quick checks on a laptop
    #[arg(long)]
    pub no_tokens: bool,

    /// Print each file's figures: examples, messages, tokens and their spread, epochs, billed
    /// tokens, images, tools (the JSON output always has them)
    #[arg(long)]
    pub stats: bool,

    /// The RFT job's grader, as JSON: the grader object as sent to the API, or the `reinforcement`
    /// method holding it and its `response_format`. The grader is checked (types, fields, allowed
    /// values, templates) and, under `--format rft`, every record must have each field it reads
    /// through `{{item.…}}` [default: the configuration file's `grader`]
    #[arg(long, value_name = "FILE")]
    pub grader: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Safe fixes change bytes, not data: the byte-order mark the profile asks for (added under `azure`,
removed under `openai`), blank lines dropped, CRLF line endings turned into LF. `--unsafe-fixes`
also changes records: unknown top-level keys are removed, weights written as \"1\", 1.0 or true (or their 0 forms) become integers.

Files are rewritten atomically: the fixed file is written beside the original, synced, and renamed
over it, so an interrupted fix leaves the original as it was. A file with nothing to fix is not
touched. `-` reads standard input and writes the fixed file to standard output.

Examples:
  ftlint fix train.jsonl                       apply the safe fixes
  ftlint fix --diff data/                      show what would change; exit 1 if anything would
  ftlint fix --unsafe-fixes train.jsonl        also remove unknown keys and fix weights")]
pub struct FixArgs {
    /// Files or directories to fix; `-` reads standard input and writes standard output
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Also apply fixes that change records (unknown top-level keys removed, weights such as "1" or 1.0 made integers)
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the changes as a unified diff instead of writing them; exit 1 if there are any
    #[arg(long)]
    pub diff: bool,

    /// Which service's rules apply (decides whether the byte-order mark is added or removed)
    /// [default: the configuration file's, else azure]
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,

    /// The dataset format, as for `check` [default: the configuration file's, else auto]
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Read settings from this file only (`ftlint.toml` syntax, or a `pyproject.toml` with a
    /// `[tool.ftlint]` table) instead of looking for one above each PATH
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore configuration files (ftlint.toml, .ftlint.toml, pyproject.toml [tool.ftlint])
    #[arg(long)]
    pub isolated: bool,

    /// Fix the files that `.gitignore`, `.ignore` and git's exclude files leave out of a directory
    /// walk
    #[arg(long)]
    pub no_ignore: bool,

    /// Leave out paths named on the command line that the configuration's `exclude` or
    /// `extend-exclude` match (for pre-commit and editors, which name each file)
    #[arg(long)]
    pub force_exclude: bool,

    /// The name standard input (`-`) goes by: shown in messages and the diff instead of `<stdin>`,
    /// and the file whose directory the configuration file is looked for from
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,

    /// Fix only the findings of these rules (codes or names, comma-separated)
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Leave the findings of these rules as they are
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is not set (FORCE_COLOR forces it)
    Auto,
    Always,
    Never,
}

/// `--profile`: the command line's names for [`Profile`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// Azure OpenAI: documents a UTF-8 byte-order mark as required.
    Azure,
    /// OpenAI: says nothing about a byte-order mark; readers that do not strip one fail on line 1.
    Openai,
}

impl From<ProfileArg> for Profile {
    fn from(arg: ProfileArg) -> Self {
        match arg {
            ProfileArg::Azure => Profile::Azure,
            ProfileArg::Openai => Profile::Openai,
        }
    }
}

/// `--format`: the command line's names for [`FormatChoice`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Decide from each record's keys: `messages` is SFT, `input` with outputs is DPO (never RFT)
    Auto,
    /// Supervised fine-tuning chat records
    Sft,
    /// Preference records for direct preference optimisation
    Dpo,
    /// Reinforcement fine-tuning records: `messages` plus any keys graders read
    Rft,
}

impl From<FormatArg> for FormatChoice {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Auto => FormatChoice::Auto,
            FormatArg::Sft => FormatChoice::Sft,
            FormatArg::Dpo => FormatChoice::Dpo,
            FormatArg::Rft => FormatChoice::Rft,
        }
    }
}

/// `--encoding`: the command line's names for [`Encoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// gpt-4o, gpt-4.1, o4-mini and later models.
    #[value(name = "o200k_base")]
    O200kBase,
    /// gpt-3.5-turbo (Azure: gpt-35-turbo) and gpt-4.
    #[value(name = "cl100k_base")]
    Cl100kBase,
}

impl From<EncodingArg> for Encoding {
    fn from(arg: EncodingArg) -> Self {
        match arg {
            EncodingArg::O200kBase => Encoding::O200kBase,
            EncodingArg::Cl100kBase => Encoding::Cl100kBase,
        }
    }
}
