//! The CI output formats of `callcoach check` (SARIF, JUnit, GitHub, GitLab), several
//! outputs in one run, colour, and exit codes across --fail-on, --min-level, --exit-zero.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A folder of training scripts: a bad call, a clean call, a Markdown guide with a bad
/// call in a ```transcript block (from line 5), a README without one, and a binary file.
fn scripts(name: &str) -> PathBuf {
    let dir = tempdir(name);
    write(&dir, "calls/bad.txt", BAD_EN);
    write(&dir, "calls/good.txt", GOOD_EN);
    write(
        &dir,
        "calls/guide.md",
        &format!("# Guide\n\nRead this call.\n\n```transcript\n{BAD_EN}```\n\nThe end.\n"),
    );
    write(&dir, "calls/README.md", "# Notes\n\nNo transcripts here.\n");
    std::fs::write(dir.join("calls/broken.txt"), [0u8, 1, 2, 0]).unwrap();
    dir
}

fn sarif_validator() -> jsonschema::Validator {
    // tests/sarif-schema-2.1.0.json: the official SARIF 2.1.0 schema (rtm.5, JSON Schema
    // draft 4) as shipped in the npm package @microsoft/jest-sarif 1.0.0-beta.0
    // (lib/schemas/sarif-2.1.0-rtm.5.json, MIT licence).
    // The file is kept byte for byte as published. The pattern of the two `language`
    // properties (of `run` and `toolComponent`, which callcoach does not write) has a stray
    // `]` that JavaScript accepts and the validator's meta-schema check (format "regex")
    // rejects; it is repaired here, in memory only, so the whole schema compiles with
    // format checks on.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif-schema-2.1.0.json");
    let published = std::fs::read_to_string(path).unwrap();
    const STRAY: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(published.matches(STRAY).count(), 2, "the published schema");
    let repaired = published.replace(STRAY, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let schema: Value = serde_json::from_str(&repaired).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(log: &Value) {
    let v = sarif_validator();
    let errors: Vec<String> = v
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_is_valid_against_the_schema_and_describes_every_active_rule() {
    let dir = scripts("sarif");
    let o = run_in(&dir, &["check", "--format", "sarif", "calls"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "the binary file is an input error"
    );
    let log: Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    assert_valid_sarif(&log);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "callcoach");

    // Every active rule (all twelve call and coaching rules) plus the pseudo-rule.
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let listed = stdout(&run_in(&dir, &["rules"]));
    for line in listed.lines() {
        let id = line.split_whitespace().next().unwrap();
        assert!(
            ids.contains(&id),
            "{id} missing from tool.driver.rules: {ids:?}"
        );
    }
    assert!(ids.contains(&"unused-suppression"));
    for r in rules {
        for k in ["id", "name"] {
            assert!(
                r[k].as_str().is_some_and(|s| !s.is_empty()),
                "rule {k}: {r}"
            );
        }
        for k in ["shortDescription", "fullDescription"] {
            assert!(
                r[k]["text"].as_str().is_some_and(|s| !s.is_empty()),
                "rule {k}: {r}"
            );
        }
        assert!(r["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("### Why it matters"));
        assert!(["error", "warning", "note"]
            .contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    // The help text is the documentation `explain` prints.
    let ps = rules
        .iter()
        .find(|r| r["id"] == "premature-solving")
        .unwrap();
    let explain = stdout(&run_in(&dir, &["explain", "premature-solving"]));
    assert_eq!(ps["help"]["text"].as_str().unwrap(), explain);
    assert_eq!(ps["name"], "PrematureSolving");
    assert_eq!(ps["defaultConfiguration"]["level"], "error");

    // Results: relative URIs and the lines of the file (Markdown lines for the guide).
    let results = run["results"].as_array().unwrap();
    let at = |uri: &str, rule: &str| {
        results
            .iter()
            .find(|r| {
                r["ruleId"] == rule
                    && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
            })
            .unwrap_or_else(|| panic!("no {rule} result for {uri}: {results:#?}"))
            .clone()
    };
    let bad = at("calls/bad.txt", "premature-solving");
    assert_eq!(bad["level"], "error");
    assert_eq!(
        bad["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert!(bad["message"]["text"]
        .as_str()
        .unwrap()
        .contains("I'll send you a new card."));
    assert_eq!(
        rules[bad["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "premature-solving"
    );
    assert_eq!(at("calls/bad.txt", "missing-summary")["level"], "warning");
    let guide = at("calls/guide.md", "premature-solving");
    assert_eq!(
        guide["locations"][0]["physicalLocation"]["region"]["startLine"],
        8
    );
    assert!(!results
        .iter()
        .any(|r| r.to_string().contains("good.txt") || r.to_string().contains("README")));
    // The unreadable file is a tool execution notification, not a result.
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert!(notes[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("binary"));

    // The validator does catch what is wrong (a control for the check above).
    let v = sarif_validator();
    for (ptr, bad) in [
        ("/version", Value::from("2.0.0")),
        ("/runs/0/results/0/level", Value::from("fatal")),
        (
            "/runs/0/results/0/locations/0/physicalLocation/region/startLine",
            Value::from(0),
        ),
        (
            "/runs/0/tool/driver/rules/0/defaultConfiguration/level",
            Value::from("critical"),
        ),
    ] {
        let mut broken = log.clone();
        *broken.pointer_mut(ptr).unwrap() = bad;
        assert!(!v.is_valid(&broken), "{ptr} should be rejected");
    }
    let mut broken = log.clone();
    broken["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    assert!(!v.is_valid(&broken), "a driver needs a name");

    // Deterministic: the same bytes twice.
    let again = run_in(&dir, &["check", "--format", "sarif", "calls"]);
    assert_eq!(o.stdout, again.stdout);
}

#[test]
fn sarif_lists_only_the_rules_of_this_run() {
    let dir = scripts("sarif-select");
    let o = run_in(
        &dir,
        &[
            "check",
            "--format",
            "sarif",
            "--select",
            "premature-solving,missing-summary",
            "calls/bad.txt",
        ],
    );
    let log: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_valid_sarif(&log);
    let ids: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["premature-solving", "missing-summary"]);
    let o = run_in(
        &dir,
        &[
            "check",
            "--format",
            "sarif",
            "--ignore",
            "premature-solving",
            "--report-lang",
            "nl",
            "calls/bad.txt",
        ],
    );
    let log: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_valid_sarif(&log);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(!rules.iter().any(|r| r["id"] == "premature-solving"));
    assert!(rules[0]["help"]["text"]
        .as_str()
        .unwrap()
        .contains("## Waarom het ertoe doet"));
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{results:#?}");
}

#[test]
fn junit_has_a_suite_per_transcript_and_escapes_properly() {
    let dir = scripts("junit");
    // A quote full of markup, and a file name with an ampersand.
    write(
        &dir,
        "calls/q&a.txt",
        &BAD_EN.replace(
            "I'll send you a new card.",
            "I'll send you a new card & a <PIN> letter, \"today\".",
        ),
    );
    let o = run_in(&dir, &["check", "--format", "junit", "calls"]);
    assert_eq!(o.status.code(), Some(2));
    let xml = stdout(&o);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "calls/bad.txt",
            "calls/broken.txt",
            "calls/good.txt",
            "calls/guide.md",
            "calls/q&a.txt"
        ]
    );
    let suite = |n: &str| {
        *suites
            .iter()
            .find(|s| s.attribute("name") == Some(n))
            .unwrap()
    };
    let cases = |n: &str| {
        suite(n)
            .children()
            .filter(|c| c.has_tag_name("testcase"))
            .collect::<Vec<_>>()
    };

    // A failing case per finding.
    let bad = cases("calls/bad.txt");
    assert_eq!(bad.len(), 3);
    assert_eq!(suite("calls/bad.txt").attribute("failures"), Some("3"));
    let ps = bad
        .iter()
        .find(|c| c.attribute("name") == Some("premature-solving (turn 3)"))
        .unwrap();
    assert_eq!(ps.attribute("line"), Some("3"));
    let failure = ps.children().find(|c| c.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("type"), Some("premature-solving"));
    assert!(failure
        .text()
        .unwrap()
        .contains("calls/bad.txt:3: error premature-solving"));
    // A clean transcript is one passing case.
    let good = cases("calls/good.txt");
    assert_eq!(good.len(), 1);
    assert!(good[0].children().all(|c| !c.is_element()));
    // An unreadable file is an error.
    let broken = cases("calls/broken.txt");
    assert_eq!(broken.len(), 1);
    assert!(broken[0].children().any(|c| c.has_tag_name("error")));
    assert_eq!(suite("calls/broken.txt").attribute("errors"), Some("1"));
    // Escaping round-trips.
    let qa = cases("calls/q&a.txt");
    let text = qa[0]
        .children()
        .find(|c| c.has_tag_name("failure"))
        .unwrap()
        .text()
        .unwrap();
    assert!(
        text.contains("I'll send you a new card & a <PIN> letter, \"today\"."),
        "{text}"
    );
    // Totals.
    assert_eq!(root.attribute("errors"), Some("1"));
    let total: usize = suites
        .iter()
        .map(|s| s.attribute("tests").unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(root.attribute("tests"), Some(total.to_string().as_str()));
}

#[test]
fn github_annotations_map_severities_and_escape() {
    let dir = tempdir("github");
    write(
        &dir,
        "calls/bad.txt",
        &BAD_EN.replace(
            "I'll send you a new card.",
            "I'll send you a new card, 100% sure.",
        ),
    );
    // missing-summary re-levelled to info: shown as a notice.
    write(
        &dir,
        "calls/callcoach.toml",
        "[rules.severity]\nmissing-summary = \"info\"\n",
    );
    std::fs::write(dir.join("calls/broken.txt"), "").unwrap();
    let o = run_in(&dir, &["check", "--format", "github", "calls"]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines.iter().all(|l| !l.contains('\r')));
    let line = |rule: &str| {
        *lines
            .iter()
            .find(|l| l.contains(&format!("title=callcoach {rule} ")))
            .unwrap()
    };
    let ps = line("premature-solving");
    assert!(
        ps.starts_with(
            "::error file=calls/bad.txt,line=3,title=callcoach premature-solving (turn 3)::"
        ),
        "{ps}"
    );
    assert!(
        ps.contains("%0A\"I'll send you a new card, 100%25 sure.\"%0A"),
        "{ps}"
    );
    assert!(line("missing-follow-up").starts_with("::warning file=calls/bad.txt,line=3,"));
    assert!(line("missing-summary").starts_with("::notice file=calls/bad.txt,line=3,"));
    let broken = lines.iter().find(|l| l.contains("broken.txt")).unwrap();
    assert!(
        broken.starts_with(
            "::error file=calls/broken.txt,title=callcoach%3A cannot read transcript::empty file"
        ),
        "{broken}"
    );
}

#[test]
fn gitlab_code_quality_with_stable_fingerprints() {
    let dir = tempdir("gitlab");
    write(&dir, "calls/bad.txt", BAD_EN);
    write(&dir, "calls/bad-nl.txt", BAD_NL);
    let o = run_in(&dir, &["check", "--format", "gitlab", "calls"]);
    let issues: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(issues.len(), 6);
    for i in &issues {
        for k in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[k].as_str().is_some_and(|s| !s.is_empty()), "{k}: {i}");
        }
        assert!(i["location"]["path"]
            .as_str()
            .unwrap()
            .starts_with("calls/bad"));
        assert_eq!(i["location"]["lines"]["begin"], 3);
        assert_eq!(i["fingerprint"].as_str().unwrap().len(), 16);
    }
    let fps: std::collections::BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), 6, "fingerprints are unique");
    let sev =
        |rule: &str| issues.iter().find(|i| i["check_name"] == rule).unwrap()["severity"].clone();
    assert_eq!(sev("premature-solving"), "major");
    assert_eq!(sev("missing-summary"), "minor");

    // Lines above move: the line changes, the fingerprint does not.
    write(
        &dir,
        "calls/bad.txt",
        &format!("# id: moved\n# lang: en\n\n{BAD_EN}"),
    );
    let o = run_in(&dir, &["check", "--format", "gitlab", "calls"]);
    let moved: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    let ps = |v: &[Value]| {
        v.iter()
            .find(|i| {
                i["check_name"] == "premature-solving" && i["location"]["path"] == "calls/bad.txt"
            })
            .unwrap()
            .clone()
    };
    assert_eq!(ps(&moved)["location"]["lines"]["begin"], 6);
    assert_eq!(ps(&moved)["fingerprint"], ps(&issues)["fingerprint"]);
}

#[test]
fn several_outputs_in_one_run_are_written_whole() {
    let dir = scripts("outputs");
    let o = run_in(
        &dir,
        &[
            "check",
            "calls/bad.txt",
            "calls/good.txt",
            "--output",
            "sarif:reports/coach.sarif",
            "--output",
            "junit:reports/coach.xml",
            "--output",
            "gitlab:gl.json",
            "--output",
            "json:report.json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    // stdout is still the --format (text).
    assert!(
        stdout(&o).starts_with("calls/bad.txt:3: error premature-solving"),
        "{}",
        stdout(&o)
    );
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(dir.join("reports/coach.sarif")).unwrap()).unwrap();
    assert_valid_sarif(&sarif);
    let xml = std::fs::read_to_string(dir.join("reports/coach.xml")).unwrap();
    roxmltree::Document::parse(&xml).unwrap();
    let gl: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("gl.json")).unwrap()).unwrap();
    assert_eq!(gl.len(), 3);
    let json: Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
    // No temporary files left beside them.
    let left: Vec<String> = std::fs::read_dir(dir.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");

    let o = run_in(&dir, &["check", "calls/bad.txt", "--output", "yaml:x.yml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown format 'yaml'"),
        "{}",
        stderr(&o)
    );
    let o = run_in(&dir, &["check", "calls/bad.txt", "--output", "sarif"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn colour_only_for_text_when_asked_or_on_a_terminal() {
    let dir = scripts("colour");
    let has_escape = |args: &[&str]| stdout(&run_in(&dir, args)).contains('\x1b');
    assert!(has_escape(&["check", "--color", "always", "calls/bad.txt"]));
    assert!(!has_escape(&["check", "--color", "never", "calls/bad.txt"]));
    // auto: stdout is a pipe here, so no colour.
    assert!(!has_escape(&["check", "calls/bad.txt"]));
    for f in ["json", "sarif", "junit", "github", "gitlab"] {
        assert!(
            !has_escape(&["check", "--color", "always", "--format", f, "calls/bad.txt"]),
            "{f}"
        );
    }
    // Files never get colour.
    run_in(
        &dir,
        &[
            "check",
            "--color",
            "always",
            "calls/bad.txt",
            "--output",
            "text:out.txt",
        ],
    );
    assert!(!std::fs::read_to_string(dir.join("out.txt"))
        .unwrap()
        .contains('\x1b'));
    // NO_COLOR is honoured under auto (checked without a terminal as well).
    let o = bin()
        .args(["check", "calls/bad.txt"])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b'));
}

#[test]
fn exit_codes_across_fail_on_min_level_and_exit_zero() {
    let dir = scripts("exit");
    let code = |args: &[&str]| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        run_in(&dir, &all).status.code().unwrap()
    };
    // The bad call has an error and two warnings.
    assert_eq!(code(&["calls/bad.txt"]), 1);
    assert_eq!(code(&["--fail-on", "error", "calls/bad.txt"]), 1);
    assert_eq!(code(&["--fail-on", "info", "calls/bad.txt"]), 1);
    assert_eq!(code(&["--exit-zero", "calls/bad.txt"]), 0);
    // Without premature-solving only warnings are left.
    assert_eq!(code(&["--ignore", "premature-solving", "calls/bad.txt"]), 0);
    assert_eq!(
        code(&[
            "--ignore",
            "premature-solving",
            "--fail-on",
            "warning",
            "calls/bad.txt"
        ]),
        1
    );
    assert_eq!(
        code(&[
            "--ignore",
            "premature-solving",
            "--fail-on",
            "warning",
            "--exit-zero",
            "calls/bad.txt"
        ]),
        0
    );
    assert_eq!(
        code(&[
            "--select",
            "missing-summary",
            "--fail-on",
            "warning",
            "calls/bad.txt"
        ]),
        1
    );
    assert_eq!(
        code(&[
            "--select",
            "missing-summary",
            "--ignore",
            "missing-summary",
            "--fail-on",
            "info",
            "calls/bad.txt"
        ]),
        0
    );
    // A clean call.
    assert_eq!(code(&["--fail-on", "info", "calls/good.txt"]), 0);
    // Unreadable input: 2, even with --exit-zero.
    assert_eq!(code(&["calls/good.txt", "calls/broken.txt"]), 2);
    assert_eq!(
        code(&["--exit-zero", "calls/good.txt", "calls/broken.txt"]),
        2
    );
    // Unknown rule in --select: the command cannot run.
    assert_eq!(code(&["--select", "premature-solvin", "calls/bad.txt"]), 2);
    // Shown and failing are separate: warnings fail while only errors are shown.
    let o = run_in(
        &dir,
        &[
            "check",
            "--ignore",
            "premature-solving",
            "--min-level",
            "error",
            "--fail-on",
            "warning",
            "calls/bad.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o)
            .contains("2 finding(s) at or above --fail-on warning are below --min-level error"),
        "{}",
        stderr(&o)
    );
    // --min-level filters every format.
    let o = run_in(
        &dir,
        &[
            "check",
            "--min-level",
            "error",
            "--format",
            "gitlab",
            "calls/bad.txt",
        ],
    );
    let v: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.len(), 1);
}
