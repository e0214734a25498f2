//! Configuration files: `ftlint.toml`, `.ftlint.toml`, or the `[tool.ftlint]` table of
//! `pyproject.toml`.
//!
//! Discovery works like ruff's: from the directory of each path being checked, upward, the first
//! directory holding one of these files wins (in each directory `.ftlint.toml`, then `ftlint.toml`,
//! then a `pyproject.toml` that has a `[tool.ftlint]` table; one without it is skipped). Nothing is
//! merged across files. `--config PATH` names the file instead, and `--isolated` ignores all of them.
//! Command-line flags override what a file sets.
//!
//! Unknown keys and unknown rule names are errors (exit 2) naming the file, the line and the key:
//! a misspelt key that is silently ignored looks like a setting that works.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use crate::walk::{path_glob, Excludes, DEFAULT_EXCLUDE};

use ftlint_linter::diagnostic::Severity;
use ftlint_linter::model::shape::FormatChoice;
use ftlint_linter::rules::Rule;
use ftlint_linter::settings::{Level, Profile, Settings};

/// The file names looked for in each directory, in order of preference.
pub const FILE_NAMES: [&str; 3] = [".ftlint.toml", "ftlint.toml", "pyproject.toml"];

/// The settings one configuration file holds. Every key is optional.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "ftlint configuration",
    description = "Settings of ftlint, the fine-tuning JSONL linter: `ftlint.toml`, `.ftlint.toml`, or the `[tool.ftlint]` table of `pyproject.toml`."
)]
pub struct Config {
    /// Which service's rules apply where OpenAI and Azure OpenAI differ (e.g. the byte-order
    /// mark): `azure` (the default) or `openai`.
    #[schemars(with = "Option<ProfileName>")]
    pub profile: Option<Profile>,
    /// The dataset format: `auto` (the default) tells SFT from DPO per record; RFT must be named.
    #[schemars(with = "Option<FormatName>")]
    pub format: Option<FormatChoice>,
    /// The model to be fine-tuned, e.g. `gpt-4o-mini-2024-07-18`.
    pub model: Option<String>,
    /// Training epochs of the planned job (1-50), for the billed-token estimate.
    #[schemars(range(min = 1, max = 50))]
    pub epochs: Option<u32>,
    /// Per-rule level, by code (`FT104`) or name (`blank-line`): `"off"`, `"info"`, `"warn"` or
    /// `"error"`.
    #[serde(default)]
    #[schemars(schema_with = "rules_schema")]
    pub rules: BTreeMap<String, Spanned<String>>,
    /// The RFT grader's JSON file, relative to the configuration file.
    pub grader: Option<PathBuf>,
    /// Glob patterns of files and folders a directory walk leaves out, relative to this file's
    /// directory; replaces the default list (`node_modules`, `site-packages`, `__pypackages__`,
    /// `venv`). A file named on the command line is checked anyway.
    pub exclude: Option<Vec<String>>,
    /// Glob patterns left out besides `exclude` (or the default list).
    #[serde(default, rename = "extend-exclude")]
    pub extend_exclude: Vec<String>,
    /// Rules turned off for the files a glob matches (relative to this file's directory), e.g.
    /// `{ "evals/*.jsonl" = ["FT501"] }`.
    #[serde(default, rename = "per-file-ignores")]
    #[schemars(schema_with = "per_file_ignores_schema")]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
}

/// The names `profile` takes, for the schema.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum ProfileName {
    /// Azure OpenAI: documents a UTF-8 byte-order mark as required.
    Azure,
    /// OpenAI: says nothing about a byte-order mark.
    Openai,
}

/// The names `format` takes, for the schema.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum FormatName {
    /// Decide from each record's keys: `messages` is SFT, `input` with outputs is DPO.
    Auto,
    /// Supervised fine-tuning chat records.
    Sft,
    /// Preference records for direct preference optimisation.
    Dpo,
    /// Reinforcement fine-tuning records.
    Rft,
}

/// The levels a rule can be set to, for the schema.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum LevelName {
    /// The rule does not run.
    Off,
    Info,
    Warn,
    Error,
}

/// Every rule's code and name: the keys `rules` takes and the values `per-file-ignores` lists.
fn rule_keys() -> Vec<&'static str> {
    Rule::ALL.iter().flat_map(|rule| [rule.code(), rule.name()]).collect()
}

fn rules_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Per-rule level, by code (`FT104`) or name (`blank-line`).",
        "type": "object",
        "propertyNames": {"enum": rule_keys()},
        "additionalProperties": generator.subschema_for::<LevelName>(),
        "default": {},
    })
}

fn per_file_ignores_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Rules turned off for the files a glob matches (relative to this file's directory), e.g. `{ \"evals/*.jsonl\" = [\"FT501\"] }`.",
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"enum": rule_keys()}},
        "default": {},
    })
}

/// The JSON Schema of the configuration (draft 2020-12), as `ftlint config --schema` prints it and
/// `docs/ftlint.schema.json` holds it, for editors that complete and check TOML.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    serde_json::to_string_pretty(&schema).expect("a schema is plain JSON") + "\n"
}

/// `pyproject.toml`: only `[tool.ftlint]` is read; every other table belongs to other tools.
#[derive(Deserialize)]
struct Pyproject {
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    ftlint: Option<Config>,
}

/// `per-file-ignores`, compiled: which rules are off for a given file.
#[derive(Clone, Debug, Default)]
pub struct PerFileIgnores {
    base: PathBuf,
    set: GlobSet,
    rules: Vec<Vec<Rule>>,
}

impl PerFileIgnores {
    /// The rules turned off for `path`: those of every pattern that matches its path relative to
    /// the configuration file's directory, or (for a pattern without `/`) its name.
    pub fn rules_for(&self, path: &Path) -> Vec<Rule> {
        if self.rules.is_empty() {
            return Vec::new();
        }
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let relative = absolute.strip_prefix(&self.base).unwrap_or(&absolute);
        let mut matched = self.set.matches(relative);
        if let Some(name) = path.file_name() {
            matched.extend(self.set.matches(Path::new(name)));
        }
        matched.sort_unstable();
        matched.dedup();
        matched.into_iter().flat_map(|index| self.rules[index].iter().copied()).collect()
    }
}

/// A configuration file that could not be read or is not valid.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration in {}: {}", self.path.display(), self.message.trim_end())
    }
}

impl std::error::Error for ConfigError {}

/// A configuration file, read and parsed.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub path: PathBuf,
    /// The file's text, for turning spans into line numbers.
    text: String,
    pub config: Config,
}

/// Reads the configuration in `path`. For a `pyproject.toml`, `Ok(None)` when it has no
/// `[tool.ftlint]` table.
pub fn load(path: &Path) -> Result<Option<Loaded>, ConfigError> {
    let error = |message: String| ConfigError { path: path.to_owned(), message };
    let text = std::fs::read_to_string(path).map_err(|e| error(format!("cannot read it: {e}")))?;
    let is_pyproject = path.file_name().is_some_and(|name| name == "pyproject.toml");
    let config = if is_pyproject {
        // A pyproject.toml that never mentions ftlint is none of our business, even if it does not
        // parse: it is skipped like a missing file.
        if !text.contains("ftlint") {
            return Ok(None);
        }
        let pyproject: Pyproject = toml::from_str(&text).map_err(|e| error(e.to_string()))?;
        match pyproject.tool.and_then(|tool| tool.ftlint) {
            Some(config) => config,
            None => return Ok(None),
        }
    } else {
        toml::from_str(&text).map_err(|e| error(e.to_string()))?
    };
    Ok(Some(Loaded { path: path.to_owned(), text, config }))
}

/// The configuration for a path being checked: the first file found from its directory upward.
pub fn discover(checked: &Path) -> Result<Option<Loaded>, ConfigError> {
    let start = start_dir(checked);
    for dir in start.ancestors() {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                if let Some(loaded) = load(&candidate)? {
                    return Ok(Some(loaded));
                }
            }
        }
    }
    Ok(None)
}

/// The directory to start looking in: the path itself if it is a directory, else its parent;
/// standard input (`-`) starts in the working directory. Made absolute so the walk reaches `/`.
fn start_dir(checked: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    if checked.as_os_str() == "-" {
        return cwd;
    }
    let absolute = std::fs::canonicalize(checked).unwrap_or_else(|_| cwd.join(checked));
    if absolute.is_dir() {
        absolute
    } else {
        absolute.parent().map_or(cwd, Path::to_path_buf)
    }
}

/// Parses a level as written in a configuration file.
fn parse_level(text: &str) -> Option<Level> {
    match text {
        "off" => Some(None),
        "info" => Some(Some(Severity::Info)),
        "warn" => Some(Some(Severity::Warning)),
        "error" => Some(Some(Severity::Error)),
        _ => None,
    }
}

impl Loaded {
    /// The 1-based line of a byte offset in the file.
    fn line_of(&self, offset: usize) -> usize {
        self.text.as_bytes()[..offset.min(self.text.len())].iter().filter(|&&b| b == b'\n').count() + 1
    }

    /// The per-rule levels, checked: an unknown rule or level is an error naming its line.
    pub fn rule_levels(&self) -> Result<Vec<(Rule, Level)>, ConfigError> {
        let mut levels = Vec::with_capacity(self.config.rules.len());
        for (key, value) in &self.config.rules {
            let line = self.line_of(value.span().start);
            let error = |message: String| ConfigError {
                path: self.path.clone(),
                message: format!("line {line}: {message}"),
            };
            let rule = Rule::find(key.trim()).ok_or_else(|| {
                error(format!("unknown rule `{key}` in `rules`; `ftlint rules` lists them"))
            })?;
            let level = parse_level(value.get_ref()).ok_or_else(|| {
                error(format!(
                    "unknown level `{}` for rule `{key}`; expected \"off\", \"info\", \"warn\" or \"error\"",
                    value.get_ref()
                ))
            })?;
            levels.push((rule, level));
        }
        Ok(levels)
    }

    /// The grader file the configuration names, relative to the configuration file's directory.
    pub fn grader_path(&self) -> Option<PathBuf> {
        let grader = self.config.grader.as_ref()?;
        Some(self.path.parent().map_or_else(|| grader.clone(), |dir| dir.join(grader)))
    }

    /// The directory this file's globs are relative to.
    pub fn base_dir(&self) -> PathBuf {
        let parent = self.path.parent().unwrap_or(Path::new("."));
        std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf())
    }

    /// The compiled `exclude` and `extend-exclude` patterns; an error names an invalid glob.
    pub fn excludes(&self) -> Result<Excludes, ConfigError> {
        let (mut patterns, defaults): (Vec<String>, usize) = match &self.config.exclude {
            Some(exclude) => (exclude.clone(), 0),
            None => (DEFAULT_EXCLUDE.iter().map(|p| (*p).to_owned()).collect(), DEFAULT_EXCLUDE.len()),
        };
        patterns.extend(self.config.extend_exclude.iter().cloned());
        Excludes::new(&self.base_dir(), &patterns, self.path.display().to_string())
            .map(|excludes| excludes.with_defaults(defaults))
            .map_err(|message| ConfigError {
                path: self.path.clone(),
                message: format!("`exclude`: {message}"),
            })
    }

    /// The compiled `per-file-ignores`; an error names an invalid glob or an unknown rule.
    pub fn per_file_ignores(&self) -> Result<PerFileIgnores, ConfigError> {
        let error = |message: String| ConfigError { path: self.path.clone(), message };
        let mut set = GlobSetBuilder::new();
        let mut rules = Vec::new();
        for (pattern, names) in &self.config.per_file_ignores {
            let glob = path_glob(pattern)
                .map_err(|e| error(format!("`per-file-ignores`: invalid glob `{pattern}`: {e}")))?;
            set.add(glob);
            let resolved = names
                .iter()
                .map(|name| {
                    Rule::find(name.trim()).ok_or_else(|| {
                        error(format!(
                            "unknown rule `{name}` in `per-file-ignores` for `{pattern}`; `ftlint rules` lists them"
                        ))
                    })
                })
                .collect::<Result<Vec<Rule>, ConfigError>>()?;
            rules.push(resolved);
        }
        let set = set.build().map_err(|e| error(format!("`per-file-ignores`: {e}")))?;
        Ok(PerFileIgnores { base: self.base_dir(), set, rules })
    }

    /// Applies the file's rule levels and the model and epochs to `settings`. Profile and format are
    /// read by the caller, because a flag may override them.
    pub fn apply(&self, settings: &mut Settings) -> Result<(), ConfigError> {
        for (rule, level) in self.rule_levels()? {
            settings.set_level(rule, level);
        }
        if self.config.model.is_some() {
            settings.model.clone_from(&self.config.model);
        }
        if self.config.epochs.is_some() {
            settings.epochs = self.config.epochs;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn reads_every_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "ftlint.toml",
            "profile = \"openai\"\nformat = \"dpo\"\nmodel = \"gpt-4o-mini\"\nepochs = 3\n\n[rules]\nFT104 = \"off\"\nmissing-bom = \"error\"\n",
        );
        let loaded = load(&path).unwrap().unwrap();
        assert_eq!(loaded.config.profile, Some(Profile::Openai));
        assert_eq!(loaded.config.format, Some(FormatChoice::Dpo));
        let mut settings = Settings::new(Profile::Openai);
        loaded.apply(&mut settings).unwrap();
        assert_eq!(settings.level(Rule::BlankLine), None);
        assert_eq!(settings.level(Rule::MissingBom), Some(Severity::Error));
        assert!(settings.level_is_explicit(Rule::BlankLine));
        assert!(!settings.level_is_explicit(Rule::InvalidJson));
        assert_eq!(settings.model.as_deref(), Some("gpt-4o-mini"));
        assert_eq!(settings.epochs, Some(3));
    }

    #[test]
    fn unknown_keys_rules_and_levels_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "ftlint.toml", "profile = \"azure\"\nprofiel = \"openai\"\n");
        let message = load(&path).unwrap_err().to_string();
        assert!(message.contains("profiel") && message.contains("line 2"), "{message}");
        assert!(message.contains("`profile`, `format`, `model`, `epochs`, `rules`, `grader`, `exclude`, `extend-exclude`, `per-file-ignores`"), "{message}");

        let path = write(dir.path(), "ftlint.toml", "[rules]\nFT104 = \"off\"\nFT999 = \"warn\"\n");
        let message = load(&path).unwrap().unwrap().rule_levels().unwrap_err().to_string();
        assert!(message.contains("line 3: unknown rule `FT999`"), "{message}");

        let path = write(dir.path(), "ftlint.toml", "[rules]\nblank-line = \"loud\"\n");
        let message = load(&path).unwrap().unwrap().rule_levels().unwrap_err().to_string();
        assert!(message.contains("line 2: unknown level `loud`"), "{message}");
    }

    #[test]
    fn excludes_and_per_file_ignores_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let path = write(
            &root,
            "ftlint.toml",
            "extend-exclude = [\"raw\"]\n[per-file-ignores]\n\"evals/*.jsonl\" = [\"FT501\", \"blank-line\"]\n\"*.dpo.jsonl\" = [\"FT104\"]\n",
        );
        let loaded = load(&path).unwrap().unwrap();
        let excludes = loaded.excludes().unwrap();
        assert_eq!(excludes.matching(&root.join("a/raw")), Some("raw"));
        assert_eq!(excludes.matching(&root.join("node_modules")), Some("node_modules"), "defaults kept");
        let ignores = loaded.per_file_ignores().unwrap();
        std::fs::create_dir_all(root.join("evals")).unwrap();
        let eval = write(&root.join("evals"), "e.jsonl", "");
        assert_eq!(ignores.rules_for(&eval), [Rule::TooFewExamples, Rule::BlankLine]);
        assert_eq!(ignores.rules_for(&root.join("x/pairs.dpo.jsonl")), [Rule::BlankLine]);
        assert!(ignores.rules_for(&root.join("train.jsonl")).is_empty());

        // `exclude` replaces the defaults; an unknown rule is an error naming it.
        let path = write(&root, "ftlint.toml", "exclude = []\n[per-file-ignores]\n\"*\" = [\"FT999\"]\n");
        let loaded = load(&path).unwrap().unwrap();
        assert_eq!(loaded.excludes().unwrap().matching(&root.join("node_modules")), None);
        let message = loaded.per_file_ignores().unwrap_err().to_string();
        assert!(message.contains("unknown rule `FT999` in `per-file-ignores`"), "{message}");
    }

    #[test]
    fn the_committed_schema_is_current_and_describes_every_key() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ftlint.schema.json");
        let schema = json_schema();
        if std::env::var_os("FTLINT_BLESS").is_some() {
            std::fs::write(&path, &schema).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == schema,
            "docs/ftlint.schema.json is not what `ftlint config --schema` prints; run \
             `FTLINT_BLESS=1 cargo test -p ftlint --lib schema` to rewrite it"
        );
        let value: serde_json::Value = serde_json::from_str(&schema).unwrap();
        let properties = value["properties"].as_object().unwrap();
        for key in
            ["profile", "format", "model", "epochs", "rules", "exclude", "extend-exclude", "per-file-ignores"]
        {
            assert!(properties.contains_key(key), "{key} is not in the schema");
        }
        assert_eq!(value["additionalProperties"], false, "unknown keys are errors");

        // The README's example validates; a misspelt key, rule or level does not.
        let validator = jsonschema::validator_for(&value).unwrap();
        let readme =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
        let example = readme.split("```toml\n# ftlint.toml\n").nth(1).unwrap().split("```").next().unwrap();
        let example: serde_json::Value = toml::from_str(example).unwrap();
        let errors: Vec<String> = validator.iter_errors(&example).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        for bad in
            ["profiel = \"openai\"", "[rules]\nFT999 = \"off\"", "[rules]\nFT104 = \"loud\"", "epochs = 0"]
        {
            let bad: serde_json::Value = toml::from_str(bad).unwrap();
            assert!(!validator.is_valid(&bad), "{bad}");
        }
    }

    #[test]
    fn pyproject_counts_only_with_a_tool_ftlint_table() {
        let dir = tempfile::tempdir().unwrap();
        let path =
            write(dir.path(), "pyproject.toml", "[project]\nname = \"x\"\n[tool.ruff]\nline-length = 100\n");
        assert!(load(&path).unwrap().is_none());
        let path = write(
            dir.path(),
            "pyproject.toml",
            "[tool.ftlint]\nprofile = \"openai\"\n[tool.ftlint.rules]\nFT104 = \"error\"\n",
        );
        let loaded = load(&path).unwrap().unwrap();
        assert_eq!(loaded.config.profile, Some(Profile::Openai));
        assert_eq!(loaded.rule_levels().unwrap(), [(Rule::BlankLine, Some(Severity::Error))]);
    }

    #[test]
    fn discovery_walks_upward_and_the_nearest_file_wins() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        write(dir.path(), "ftlint.toml", "profile = \"openai\"\n");
        let data = write(&nested, "train.jsonl", "{}\n");
        let found = discover(&data).unwrap().unwrap();
        assert_eq!(found.path.file_name().unwrap(), "ftlint.toml");
        // A pyproject.toml without the table is passed over; one with it, nearer, wins.
        write(&nested, "pyproject.toml", "[project]\nname = \"x\"\n");
        assert_eq!(discover(&data).unwrap().unwrap().path, found.path);
        write(&dir.path().join("a"), ".ftlint.toml", "profile = \"azure\"\n");
        let nearer = discover(&nested).unwrap().unwrap();
        assert_eq!(nearer.config.profile, Some(Profile::Azure));
    }
}
