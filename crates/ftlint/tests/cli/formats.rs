//! The machine formats (github, gitlab, sarif, junit, json-lines), `--statistics` and
//! `--output-file`: each output is read back with a real parser and its content checked.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::ftlint;

const GOOD: &str =
    r#"{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}"#;
/// `}` and `{` with no `,` between them: FT102 at the second `{`, which is character 49 of the line
/// but byte 53, because `é😀` is 2 characters in 6 bytes.
const BROKEN: &str =
    r#"{"messages": [{"role": "user", "content": "é😀"} {"role": "assistant", "content": "x"}]}"#;

/// A dataset in a directory whose name needs escaping in every format (`,` `:` `&` `<` `%` and a
/// space): no BOM (FT002, a file-level warning), the broken line 2 (FT102, an error) and a blank
/// line 3 (FT104, a warning), then valid records.
pub struct Dataset {
    _dir: tempfile::TempDir,
    pub dir: PathBuf,
    pub name: &'static str,
}

impl Dataset {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let name = "a,b:c&d<e> 100%.jsonl";
        let mut text = format!("{GOOD}\n{BROKEN}\n\n");
        for i in 0..10 {
            // Distinct records: repeats would be FT502 findings.
            text.push_str(&GOOD.replace("Hi", &format!("Hi {i}")));
            text.push('\n');
        }
        std::fs::write(dir.path().join(name), text).unwrap();
        Dataset { dir: dir.path().to_owned(), _dir: dir, name }
    }

    /// Runs `ftlint check ARGS NAME` in the dataset's directory.
    pub fn run(&self, args: &[&str]) -> (i32, String) {
        let output = ftlint()
            .current_dir(&self.dir)
            .env_remove("CI_PROJECT_DIR")
            .arg("check")
            .args(args)
            .arg(self.name)
            .output()
            .unwrap();
        (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap())
    }
}

#[test]
fn github_annotations_have_positions_titles_and_escapes() {
    let data = Dataset::new();
    let (code, stdout) = data.run(&["--output-format", "github"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    let file = "a%2Cb%3Ac&d<e> 100%25.jsonl";
    assert!(
        lines[0].starts_with(&format!(
            "::warning file={file},title=ftlint (FT002)::file has no UTF-8 byte-order mark"
        )),
        "{}",
        lines[0]
    );
    // The span of FT102 is the one character `{`: col 49, and endColumn 49 too, since GitHub
    // counts the end column as the last character of the span.
    assert!(
        lines[1].starts_with(&format!(
            "::error file={file},line=2,col=49,endLine=2,endColumn=49,title=ftlint (FT102)::invalid JSON: expected `,` or `]` after array element%0Ahelp: "
        )),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with(&format!("::warning file={file},line=3,col=1,")), "{}", lines[2]);
    assert!(lines[2].contains("title=ftlint (FT104)::"), "{}", lines[2]);
    // No raw line breaks inside a command: each finding is exactly one line.
    for line in &lines {
        let (_, message) = line.split_once("::").unwrap().1.split_once("::").unwrap();
        assert!(!message.contains('\r') && !message.contains("%0A%0A"), "{line}");
    }
}

/// A workflow command as the Actions runner reads it: `::name key=value,key=value::message`, with
/// the runner's unescaping of values and message.
struct WorkflowCommand {
    name: String,
    properties: std::collections::BTreeMap<String, String>,
    message: String,
}

fn parse_workflow_command(line: &str) -> WorkflowCommand {
    let unescape = |text: &str| {
        text.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let rest = line.strip_prefix("::").expect("a command starts with ::");
    let (head, message) = rest.split_once("::").expect("a command has a message");
    let (name, properties) = head.split_once(' ').unwrap_or((head, ""));
    let properties = properties
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (key, value) = p.split_once('=').expect("key=value");
            (key.to_owned(), unescape(value))
        })
        .collect();
    WorkflowCommand { name: name.to_owned(), properties, message: unescape(message) }
}

#[test]
fn github_commands_read_back_as_the_runner_reads_them() {
    let data = Dataset::new();
    let (_, stdout) = data.run(&["--output-format", "github"]);
    let commands: Vec<WorkflowCommand> = stdout.lines().map(parse_workflow_command).collect();
    let names: Vec<&str> = commands.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["warning", "error", "warning"]);
    for command in &commands {
        assert_eq!(command.properties["file"], data.name, "the path survives `,` `:` and `%`");
    }
    let error = &commands[1];
    let get = |key: &str| error.properties.get(key).map(String::as_str);
    assert_eq!(
        (get("line"), get("col"), get("endLine"), get("endColumn"), get("title")),
        (Some("2"), Some("49"), Some("2"), Some("49"), Some("ftlint (FT102)"))
    );
    let (message, help) = error.message.split_once('\n').unwrap();
    assert_eq!(message, "invalid JSON: expected `,` or `]` after array element");
    assert!(help.starts_with("help: "), "{help}");
    // A file-level finding has a file but no position.
    assert!(!commands[0].properties.contains_key("line"));
    assert_eq!(commands[0].properties["title"], "ftlint (FT002)");
}

#[test]
fn github_annotates_paths_that_cannot_be_read() {
    let data = Dataset::new();
    std::fs::create_dir(data.dir.join("empty")).unwrap();
    let output = ftlint()
        .current_dir(&data.dir)
        .args(["check", "--output-format", "github", "missing.jsonl", data.name, "empty"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let commands: Vec<WorkflowCommand> = stdout.lines().map(parse_workflow_command).collect();
    // The paths the walk could not read come first (they are met before anything is checked), then
    // the three findings of the readable file.
    assert_eq!(commands.len(), 5, "{stdout}");
    assert!(commands[..2].iter().all(|c| c.properties["title"] == "ftlint"), "{stdout}");
    // Each unreadable path is an error on the file, without a position, titled `ftlint`.
    let unreadable: Vec<(&str, &str, &str)> = commands
        .iter()
        .filter(|c| c.properties["title"] == "ftlint")
        .map(|c| {
            assert!(!c.properties.contains_key("line"), "{stdout}");
            (c.name.as_str(), c.properties["file"].as_str(), c.message.as_str())
        })
        .collect();
    assert_eq!(
        unreadable,
        [
            ("error", "missing.jsonl", "no such file or directory"),
            (
                "error",
                "empty",
                "no *.jsonl files found in this directory (hidden, git-ignored and excluded files are skipped; `ftlint check --show-files` says which)"
            ),
        ]
    );
    // Standard error still says it, as for every format.
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("ftlint: error: missing.jsonl: no such file or directory"), "{stderr}");
    assert!(stderr.contains("ftlint: error: empty: no *.jsonl files found"), "{stderr}");
    // Other formats have no place for it: concise prints the findings only.
    let concise = ftlint()
        .current_dir(&data.dir)
        .args(["check", "--output-format", "concise", "missing.jsonl"])
        .output()
        .unwrap();
    assert_eq!(concise.status.code(), Some(2));
    assert!(!String::from_utf8(concise.stdout).unwrap().contains("missing.jsonl"));
}

/// A path the walk accepts but that cannot be opened as a file (a device) is annotated when it is
/// reached, among the findings of the other files.
#[cfg(unix)]
#[test]
fn github_annotates_a_path_refused_when_opened() {
    let data = Dataset::new();
    let output = ftlint()
        .current_dir(&data.dir)
        .args(["check", "--output-format", "github", data.name, "/dev/null"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let last = parse_workflow_command(stdout.lines().last().unwrap());
    assert_eq!((last.name.as_str(), last.properties["file"].as_str()), ("error", "/dev/null"));
    assert_eq!(last.properties["title"], "ftlint");
    assert!(last.message.starts_with("is a character device, not a file"), "{}", last.message);
}

#[test]
fn gitlab_code_quality_has_stable_unique_fingerprints_and_mapped_severities() {
    let data = Dataset::new();
    let (code, stdout) = data.run(&["--output-format", "gitlab"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let issues = report.as_array().unwrap();
    assert_eq!(issues.len(), 3);
    let summary: Vec<(&str, &str, u64)> = issues
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().unwrap(),
                i["severity"].as_str().unwrap(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(summary, [("FT002", "minor", 1), ("FT102", "major", 2), ("FT104", "minor", 3)]);
    for issue in issues {
        assert_eq!(issue["location"]["path"], data.name, "relative to the working directory");
        assert!(issue["description"].as_str().unwrap().starts_with(issue["check_name"].as_str().unwrap()));
        let fingerprint = issue["fingerprint"].as_str().unwrap();
        assert_eq!(fingerprint.len(), 32);
        assert!(fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    assert!(issues[1]["description"].as_str().unwrap().contains("expected `,` or `]`"));
    let fingerprints = |report: &Value| -> Vec<String> {
        report.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap().to_owned()).collect()
    };
    let first = fingerprints(&report);
    let mut unique = first.clone();
    unique.dedup();
    assert_eq!(unique.len(), 3);

    // The same findings checked from elsewhere, through an absolute path under CI_PROJECT_DIR,
    // keep their fingerprints.
    let output = ftlint()
        .current_dir(std::env::temp_dir())
        .env("CI_PROJECT_DIR", &data.dir)
        .args(["check", "--output-format", "gitlab"])
        .arg(data.dir.join(data.name))
        .output()
        .unwrap();
    let again: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(again[0]["location"]["path"], data.name);
    assert_eq!(fingerprints(&again), first);
}

#[test]
fn gitlab_gives_repeated_findings_on_one_line_distinct_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.jsonl");
    // Two identical reports on one line would share a fingerprint without the occurrence count.
    std::fs::write(&path, "{oops\n".repeat(3)).unwrap();
    let output = ftlint().args(["check", "--output-format", "gitlab"]).arg(&path).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut fingerprints: Vec<&str> =
        report.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    let count = fingerprints.len();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), count);
}

#[test]
fn gitlab_with_no_findings_is_an_empty_array() {
    let (code, stdout) = sarif_free_run(&["--output-format", "gitlab"]);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), serde_json::json!([]));
}

/// Checks the clean example dataset.
fn sarif_free_run(args: &[&str]) -> (i32, String) {
    let output =
        ftlint().arg("check").args(args).arg(crate::fixture("examples/train.jsonl")).output().unwrap();
    (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap())
}

fn sarif_schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sarif/sarif-schema-2.1.0.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_valid_sarif(log: &Value) {
    let validator =
        jsonschema::draft7::options().should_validate_formats(true).build(&sarif_schema()).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "not valid SARIF 2.1.0: {errors:#?}");
}

#[test]
fn sarif_is_valid_against_the_schema_and_carries_rules_and_exact_regions() {
    let data = Dataset::new();
    let (code, stdout) = data.run(&["--output-format", "sarif"]);
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_valid_sarif(&log);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ftlint_linter::rules::Rule::ALL.len());

    let results = run["results"].as_array().unwrap();
    let ids: Vec<&str> = results.iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert_eq!(ids, ["FT002", "FT102", "FT104"]);
    for result in results {
        // ruleIndex points at the descriptor of the same rule.
        let rule = &rules[usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap()];
        assert_eq!(rule["id"], result["ruleId"]);
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "a%2Cb%3Ac%26d%3Ce%3E%20100%25.jsonl");
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    }
    let ft102 = &results[1];
    assert_eq!(ft102["level"], "error");
    assert_eq!(ft102["message"]["text"], "invalid JSON: expected `,` or `]` after array element");
    let region = &ft102["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (&region["startLine"], &region["startColumn"], &region["endLine"], &region["endColumn"]),
        (&Value::from(2), &Value::from(49), &Value::from(2), &Value::from(50))
    );
    let line_start = GOOD.len() as u64 + 1;
    assert_eq!(region["byteOffset"], line_start + BROKEN.find("} {").unwrap() as u64 + 2);
    assert_eq!(results[0]["level"], "warning");
    assert_eq!(results[2]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);

    let ft102_rule = rules.iter().find(|r| r["id"] == "FT102").unwrap();
    assert_eq!(ft102_rule["name"], "invalid-json");
    assert_eq!(ft102_rule["defaultConfiguration"]["level"], "error");
    assert!(ft102_rule["fullDescription"]["text"].as_str().unwrap().starts_with("Parses each line as JSON"));
    assert!(ft102_rule["help"]["markdown"].as_str().unwrap().contains("## How to fix"));
}

#[test]
fn sarif_rule_levels_follow_the_profile_of_the_run() {
    let level = |profile: &str, code: &str| {
        let (_, stdout) = sarif_free_run(&["--output-format", "sarif", "--profile", profile]);
        let log: Value = serde_json::from_str(&stdout).unwrap();
        let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().clone();
        rules.into_iter().find(|r| r["id"] == code).unwrap()
    };
    let azure = level("azure", "FT310");
    assert_eq!(azure["defaultConfiguration"]["level"], "warning");
    assert_eq!(azure["properties"]["levelByProfile"]["openai"], "error");
    assert_eq!(level("openai", "FT310")["defaultConfiguration"]["level"], "error");
    assert_eq!(level("openai", "FT405")["defaultConfiguration"]["level"], "warning");
    // A rule with one severity for both profiles lists no levels by profile.
    assert!(level("openai", "FT102")["properties"].get("levelByProfile").is_none());
}

#[test]
fn sarif_with_no_findings_is_still_a_valid_log() {
    let (code, stdout) = sarif_free_run(&["--output-format", "sarif"]);
    assert_eq!(code, 0);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn the_sarif_schema_rejects_a_broken_log() {
    // The validation above must be able to fail: a result without its message is not SARIF.
    let data = Dataset::new();
    let (_, stdout) = data.run(&["--output-format", "sarif"]);
    let mut log: Value = serde_json::from_str(&stdout).unwrap();
    log["runs"][0]["results"][0].as_object_mut().unwrap().remove("message");
    let validator = jsonschema::draft7::new(&sarif_schema()).unwrap();
    assert!(!validator.is_valid(&log));
}

/// Validates `xml` against the subset of XML Schema that xunit's `junit-10.xsd` uses: global
/// elements referring to each other, each either text only (`type="xs:string"`) or a complex type
/// with (possibly mixed) content, allowed children from its `sequence`/`choice`, and attributes,
/// some required. Every error is returned, as `element: problem`.
fn junit_schema_errors(xml: &str) -> Vec<String> {
    struct Declared {
        text_only: bool,
        mixed: bool,
        children: Vec<String>,
        attributes: Vec<(String, bool)>,
    }
    let xsd_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/junit/junit-10.xsd");
    let xsd_text = std::fs::read_to_string(xsd_path).unwrap();
    let xsd = roxmltree::Document::parse(&xsd_text).unwrap();
    let mut declared = std::collections::HashMap::new();
    for element in xsd.root_element().children().filter(|n| n.has_tag_name("element")) {
        let name = element.attribute("name").unwrap().to_owned();
        let complex = element.children().find(|n| n.has_tag_name("complexType"));
        let descendants = || complex.into_iter().flat_map(|c| c.descendants());
        declared.insert(
            name,
            Declared {
                text_only: element.attribute("type") == Some("xs:string"),
                mixed: complex.and_then(|c| c.attribute("mixed")) == Some("true"),
                children: descendants()
                    .filter(|n| n.has_tag_name("element"))
                    .filter_map(|n| n.attribute("ref").map(str::to_owned))
                    .collect(),
                attributes: descendants()
                    .filter(|n| n.has_tag_name("attribute"))
                    .map(|n| {
                        (n.attribute("name").unwrap().to_owned(), n.attribute("use") == Some("required"))
                    })
                    .collect(),
            },
        );
    }
    let document = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML ({e}): {xml}"));
    let mut errors = Vec::new();
    let root = document.root_element();
    if root.tag_name().name() != "testsuites" && root.tag_name().name() != "testsuite" {
        errors.push(format!("{}: not a root the schema allows", root.tag_name().name()));
    }
    for node in root.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        let Some(declaration) = declared.get(name) else {
            errors.push(format!("{name}: not declared"));
            continue;
        };
        for attribute in node.attributes() {
            if !declaration.attributes.iter().any(|(a, _)| a == attribute.name()) {
                errors.push(format!("{name}: attribute `{}` not allowed", attribute.name()));
            }
        }
        for (attribute, required) in &declaration.attributes {
            if *required && node.attribute(attribute.as_str()).is_none() {
                errors.push(format!("{name}: required attribute `{attribute}` missing"));
            }
        }
        for child in node.children() {
            if child.is_element() {
                let child_name = child.tag_name().name();
                if declaration.text_only || !declaration.children.iter().any(|c| c == child_name) {
                    errors.push(format!("{name}: child `{child_name}` not allowed"));
                }
            } else if child.is_text()
                && !declaration.text_only
                && !declaration.mixed
                && !child.text().unwrap_or("").trim().is_empty()
            {
                errors.push(format!("{name}: text not allowed"));
            }
        }
    }
    errors
}

#[test]
fn the_junit_schema_check_rejects_what_the_schema_does() {
    assert!(junit_schema_errors(
        "<testsuites><testsuite tests=\"1\"><testcase name=\"x\"/></testsuite></testsuites>"
    )
    .is_empty());
    let errors = junit_schema_errors(
        "<testsuites><testsuite><testcase name=\"x\" bogus=\"1\"><failure><b/></failure></testcase>text</testsuite></testsuites>",
    );
    assert_eq!(
        errors,
        [
            "testsuite: required attribute `tests` missing",
            "testsuite: text not allowed",
            "testcase: attribute `bogus` not allowed",
            "failure: child `b` not allowed",
            "b: not declared"
        ]
    );
}

#[test]
fn junit_has_one_case_per_finding_one_failure_per_error_and_an_error_per_unreadable_path() {
    let data = Dataset::new();
    let clean = crate::fixture("examples/train.jsonl");
    let output = ftlint()
        .current_dir(&data.dir)
        .args(["check", "--output-format", "junit", "missing.jsonl", data.name])
        .arg(&clean)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let xml = String::from_utf8(output.stdout).unwrap();
    assert_eq!(junit_schema_errors(&xml), Vec::<String>::new(), "{xml}");
    let document = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), 3);

    let missing = suites[0];
    assert_eq!((missing.attribute("name"), missing.attribute("errors")), (Some("missing.jsonl"), Some("1")));
    let error = missing.descendants().find(|n| n.has_tag_name("error")).unwrap();
    assert_eq!(error.attribute("message"), Some("no such file or directory"));

    let broken = suites[1];
    assert_eq!(broken.attribute("name"), Some(data.name), "the name survives escaping");
    assert_eq!((broken.attribute("tests"), broken.attribute("failures")), (Some("3"), Some("1")));
    let cases: Vec<_> = broken.children().filter(|n| n.has_tag_name("testcase")).collect();
    let names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(names, ["FT002 missing-bom", "FT102 invalid-json at 2:49", "FT104 blank-line at 3:1"]);
    for case in &cases {
        assert_eq!(case.attribute("classname"), Some(data.name));
        assert_eq!(case.attribute("file"), Some(data.name));
        let failures = case.children().filter(|n| n.has_tag_name("failure")).count();
        assert_eq!(
            failures,
            usize::from(case.attribute("name").unwrap().starts_with("FT102")),
            "only errors fail"
        );
    }
    let failure = cases[1].children().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("type"), Some("FT102"));
    assert_eq!(failure.attribute("message"), Some("invalid JSON: expected `,` or `]` after array element"));
    assert_eq!(cases[1].attribute("line"), Some("2"));
    let out = cases[2].children().find(|n| n.has_tag_name("system-out")).unwrap().text().unwrap();
    assert!(out.starts_with("[warning] blank line"), "{out}");

    let clean_suite = suites[2];
    assert_eq!(clean_suite.attribute("failures"), Some("0"));
    let case = clean_suite.children().find(|n| n.has_tag_name("testcase")).unwrap();
    assert_eq!(case.attribute("name"), Some("no findings"));
    assert_eq!(case.attribute("classname"), Some(clean.to_str().unwrap()), "outside the working directory");
    assert_eq!(case.children().filter(|n| n.is_element()).count(), 0);
}

#[test]
fn json_lines_is_one_complete_object_per_finding() {
    let data = Dataset::new();
    let (code, stdout) = data.run(&["--output-format", "json-lines"]);
    assert_eq!(code, 1);
    let objects: Vec<Value> = stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(objects.len(), 3);
    let rows: Vec<(&str, Option<u64>, Option<u64>)> = objects
        .iter()
        .map(|o| (o["code"].as_str().unwrap(), o["line"].as_u64(), o["column"].as_u64()))
        .collect();
    assert_eq!(rows, [("FT002", None, None), ("FT102", Some(2), Some(49)), ("FT104", Some(3), Some(1))]);
    for object in &objects {
        assert_eq!(object["path"], data.name);
        for key in ["name", "severity", "message", "help", "offset", "length", "pointer", "fix"] {
            assert!(object.get(key).is_some(), "missing {key}");
        }
    }
    // FT002 inserts the byte-order mark at 0; FT102 has no mechanical fix.
    assert_eq!(
        objects[0]["fix"],
        serde_json::json!({"applicability": "safe", "message": "Insert the UTF-8 byte-order mark",
                           "edits": [{"offset": 0, "length": 0, "content": "\u{feff}"}]})
    );
    assert!(objects[1]["fix"].is_null());
}

#[cfg(unix)]
#[test]
fn json_lines_streams_findings_while_the_check_runs() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    std::fs::write(&path, "{oops\n".repeat(300_000)).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("ftlint"))
        .args(["check", "--output-format", "json-lines"])
        .arg(&path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..3 {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        lines.push(serde_json::from_str::<Value>(&line).unwrap());
    }
    // The output (tens of megabytes) cannot fit in the pipe, so a writer that held its findings
    // until the end would not have sent these yet, and this one is still at work.
    assert!(child.try_wait().unwrap().is_none(), "the findings came only at the end");
    assert_eq!(lines[0]["code"], "FT002");
    assert_eq!((&lines[1]["code"], &lines[1]["line"]), (&Value::from("FT102"), &Value::from(1)));
    assert_eq!((&lines[2]["code"], &lines[2]["line"]), (&Value::from("FT102"), &Value::from(2)));
    drop(reader);
    assert_eq!(
        child.wait().unwrap().code(),
        Some(1),
        "a closed pipe ends the output, and the status still counts the errors"
    );
}

#[test]
fn statistics_counts_each_rule_most_frequent_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.jsonl");
    std::fs::write(&path, format!("{{oops\n\n{{oops\n\n\n\n{{oops\n{GOOD}\n")).unwrap();
    let run = |format: &str| {
        let output =
            ftlint().args(["check", "--statistics", "--output-format", format]).arg(&path).output().unwrap();
        (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap())
    };
    let (code, text) = run("concise");
    assert_eq!(code, 1);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').map(str::trim).collect()).collect();
    assert_eq!(
        rows,
        [
            vec!["4", "FT104", "blank-line"],
            vec!["3", "FT102", "invalid-json"],
            vec!["1", "FT002", "missing-bom"],
            vec!["1", "FT501", "too-few-examples"]
        ]
    );
    let (_, json) = run("json");
    let rows: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0], serde_json::json!({"count": 4, "code": "FT104", "name": "blank-line"}));
    assert_eq!(rows.as_array().unwrap().len(), 4);
}

#[test]
fn no_machine_format_has_colour_whatever_the_flags_and_environment() {
    let data = Dataset::new();
    for format in ["json", "json-lines", "github", "gitlab", "sarif", "junit", "concise"] {
        let output = ftlint()
            .current_dir(&data.dir)
            .env("FORCE_COLOR", "1")
            .env("CLICOLOR_FORCE", "1")
            .args(["check", "--color", "always", "--output-format", format, data.name])
            .output()
            .unwrap();
        assert!(!output.stdout.is_empty(), "{format}");
        assert!(!output.stdout.contains(&0x1b), "{format} has an escape sequence");
    }
}

#[test]
fn output_file_gets_the_whole_report_and_stdout_nothing() {
    let data = Dataset::new();
    let target = data.dir.join("report.sarif");
    std::fs::write(&target, "old report").unwrap();
    let output = ftlint()
        .current_dir(&data.dir)
        .args(["check", "--output-format", "sarif", "--output-file", "report.sarif", data.name])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 3);
    // No temporary file is left beside the report.
    let left: Vec<String> = std::fs::read_dir(&data.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("ftlint-report"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o644);
    }
}

#[test]
fn short_o_is_output_file() {
    let data = Dataset::new();
    let output = ftlint()
        .current_dir(&data.dir)
        .args(["check", "--output-format", "json", "-o", "report.json", data.name])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "the report went to the file, not stdout");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(data.dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["files"][0]["diagnostics"].as_array().unwrap().len(), 3);
}

#[test]
fn output_file_in_a_missing_directory_is_an_error_and_writes_nothing() {
    let data = Dataset::new();
    let output = ftlint()
        .current_dir(&data.dir)
        .args(["check", "--output-file", "no/such/dir/report.txt", data.name])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("ftlint: error: cannot write no/such/dir/report.txt"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn output_file_of_a_human_format_has_the_summary_and_no_colour() {
    let data = Dataset::new();
    let output = ftlint()
        .current_dir(&data.dir)
        .env("FORCE_COLOR", "1")
        .args(["check", "--output-format", "full", "--output-file", "out.txt", data.name])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = std::fs::read_to_string(data.dir.join("out.txt")).unwrap();
    assert!(text.contains("FT102 invalid-json"), "{text}");
    assert!(
        text.ends_with("1 error, 2 warnings in 1 file (11 examples checked)\n2 fixable with `ftlint fix`\n"),
        "{text}"
    );
    assert!(text.contains("FT104 [*] blank-line"), "a fixable finding is marked: {text}");
    assert!(!text.contains('\u{1b}'));
}

/// `full` wraps to the terminal it is shown on, measured when `COLUMNS` is not set (`COLUMNS`
/// still wins). The terminal is a pseudo-terminal made by util-linux's `script`.
#[cfg(target_os = "linux")]
#[test]
fn full_wraps_to_the_terminal_width() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let data = Dataset::new();
    let binary = assert_cmd::cargo::cargo_bin("ftlint");
    // The longest line of the FT002 message (a paragraph miette wraps), in characters.
    let widest = |columns: &str, size: &str| {
        let command = format!(
            "stty rows 40 cols {size}; {columns} '{}' check --color never --output-format full '{}'",
            binary.display(),
            data.name
        );
        let output = std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .current_dir(&data.dir)
            .env_remove("COLUMNS")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let start = text.find("⚠").unwrap_or_else(|| panic!("{text}"));
        let paragraph = text[start..].split("help:").next().unwrap();
        paragraph.lines().map(|line| line.trim_end().chars().count()).max().unwrap()
    };
    let narrow = widest("", "60");
    assert!(narrow <= 60, "wrapped to the 60-column terminal: {narrow}");
    let wide = widest("", "160");
    assert!(wide > 100, "a wide terminal gets long lines: {wide}");
    let pinned = widest("COLUMNS=160", "60");
    assert!(pinned > 100, "COLUMNS wins over the terminal: {pinned}");
}

#[test]
fn sarif_names_unreadable_paths_in_its_invocation_and_links_rule_docs() {
    let data = Dataset::new();
    let output = ftlint()
        .current_dir(&data.dir)
        .args(["check", "--output-format", "sarif", "missing.jsonl", data.name])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(notification["message"]["text"], "missing.jsonl: no such file or directory");
    assert_eq!(notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "missing.jsonl");
    // Every result has a fingerprint, every rule a link to its documentation in the repository.
    for result in run["results"].as_array().unwrap() {
        assert_eq!(result["partialFingerprints"]["ftlint/v1"].as_str().unwrap().len(), 32, "{result}");
    }
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ft102 = rules.iter().find(|r| r["id"] == "FT102").unwrap();
    assert!(
        ft102["helpUri"].as_str().unwrap().ends_with(&format!(
            "/blob/v{}/crates/ftlint_linter/src/rules/line/invalid_json.rs",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        ft102["helpUri"]
    );
    // A clean run is a successful invocation with no notifications.
    let (_, stdout) = sarif_free_run(&["--output-format", "sarif"]);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn github_writes_a_step_summary_when_the_runner_asks_for_one() {
    let data = Dataset::new();
    let summary = data.dir.join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let output = ftlint()
        .current_dir(&data.dir)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--output-format", "github", "missing.jsonl", data.name])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("earlier step\n## ftlint\n"), "appended, not replaced: {text}");
    assert!(text.contains("**1 error, 2 warnings in 1 file (11 examples checked)**"), "{text}");
    assert!(text.contains("- `missing.jsonl`: no such file or directory"), "{text}");
    // Three findings: every one of them is annotated, so no word about GitHub's cap.
    assert!(!text.contains("at most 10 error"), "{text}");
    assert!(text.contains("| `FT102` invalid-json | 1 | 0 | 0 |"), "{text}");
    // The file's name holds `<`, `>` and `&`: shown as it is, since GitHub decodes no entity in a
    // code span.
    assert!(text.contains("### `a,b:c&d<e> 100%.jsonl`"), "{text}");
    assert!(
        text.contains("| 2 | `FT102` | error | invalid JSON: expected `,` or `]` after array element |"),
        "{text}"
    );
    assert!(text.contains("### Tokens"), "{text}");

    // Other formats, or no variable, write nothing.
    let untouched = data.dir.join("untouched.md");
    ftlint()
        .current_dir(&data.dir)
        .env("GITHUB_STEP_SUMMARY", &untouched)
        .args(["check", "--output-format", "concise", data.name])
        .output()
        .unwrap();
    assert!(!untouched.exists());
}

#[test]
fn gitlab_and_sarif_fingerprints_survive_a_line_inserted_at_the_top() {
    let data = Dataset::new();
    let fingerprints = |data: &Dataset| {
        let (_, gitlab) = data.run(&["--output-format", "gitlab"]);
        let issues: Vec<Value> = serde_json::from_str(&gitlab).unwrap();
        let (_, sarif) = data.run(&["--output-format", "sarif"]);
        let log: Value = serde_json::from_str(&sarif).unwrap();
        let partial: Vec<String> = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["ftlint/v1"].as_str().unwrap().to_owned())
            .collect();
        let gitlab: Vec<String> =
            issues.iter().map(|i| i["fingerprint"].as_str().unwrap().to_owned()).collect();
        assert_eq!(gitlab, partial, "one fingerprint for both formats");
        (issues, gitlab)
    };
    let (issues, before) = fingerprints(&data);
    let path = data.dir.join(data.name);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{}\n{text}", GOOD.replace("Hi", "Inserted"))).unwrap();
    let (moved, after) = fingerprints(&data);
    assert_eq!(before.len(), after.len());
    for (issue, fingerprint) in issues.iter().zip(&before) {
        assert!(after.contains(fingerprint), "{issue} lost its fingerprint");
    }
    // The lines did move: the fingerprints do not depend on them.
    let lines =
        |issues: &[Value]| issues.iter().map(|i| i["location"]["lines"]["begin"].clone()).collect::<Vec<_>>();
    assert_ne!(lines(&issues), lines(&moved));
}

#[test]
fn the_step_summary_mentions_the_annotation_cap_only_past_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for _ in 0..11 {
        text.push_str(BROKEN);
        text.push('\n');
    }
    std::fs::write(dir.path().join("broken.jsonl"), text).unwrap();
    let summary = dir.path().join("summary.md");
    let output = ftlint()
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--output-format", "github", "broken.jsonl"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("at most 10 error, 10 warning and 10 notice annotations per step"), "{text}");
}

#[test]
fn an_unwritable_step_summary_is_a_warning_and_the_check_keeps_its_status() {
    let data = Dataset::new();
    let summary = data.dir.join("no-such-folder").join("summary.md");
    let output = ftlint()
        .current_dir(&data.dir)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--output-format", "github", data.name])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "the check's own status (it has an error): {stderr}");
    assert!(stderr.contains("cannot write the step summary to"), "{stderr}");
    assert!(stderr.contains("no-such-folder/summary.md"), "names the summary file: {stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("::error"), "the annotations are all there");
}
