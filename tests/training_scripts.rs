//! Training scripts in CI: suppressions (used, unused, unknown, without a reason),
//! file- and turn-level `# expect:` labels checked by `callcoach test`, and transcripts
//! inside Markdown training material.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A folder with a suppression that is used, one that is not, a turn-level expectation
/// that holds and one that points at the wrong turn.
fn folder(name: &str) -> PathBuf {
    let dir = tempdir(name);
    write(
        &dir,
        "scripts/suppressed.txt",
        &format!(
            "# expect: premature-solving, missing-follow-up\n{}",
            BAD_EN.replace(
                "Agent: I'll send",
                "# callcoach: ignore missing-summary -- the summary is discussed in class\nAgent: I'll send"
            )
        ),
    );
    write(
        &dir,
        "scripts/unused.txt",
        &format!(
            "# expect: none\n{}",
            GOOD_EN.replace(
                "Agent: Then I'll block",
                "# callcoach: ignore premature-solving -- left over from an older version\nAgent: Then I'll block"
            )
        ),
    );
    write(
        &dir,
        "scripts/holds.txt",
        &BAD_EN.replace(
            "Agent: I'll send",
            "# expect: premature-solving, missing-summary, missing-follow-up\nAgent: I'll send",
        ),
    );
    // The label says turn 3 (a verification question, line 5); the finding is at turn 5 (line 8).
    write(
        &dir,
        "scripts/wrong-turn.txt",
        "# id: wrong-turn
Agent: Good morning, Northbank, you're speaking with Tom. How can I help?
Customer: I lost my bank card yesterday and I'm worried someone will use it.
# expect: premature-solving
Agent: Can I have your date of birth, please?
Customer: The fourth of May, 1980.
# expect: missing-summary, missing-follow-up
Agent: I'll send you a new card.
Customer: Okay, thanks.
",
    );
    dir
}

#[test]
fn test_reports_exactly_the_failing_turn_expectation_with_both_turns() {
    let dir = folder("expectations");
    let o = run_in(&dir, &["test", "scripts"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    let mismatches: Vec<&str> = out.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(
        mismatches,
        ["scripts/wrong-turn.txt:5: expected premature-solving at turn 3, found at turn 5 (line 8)"],
        "{out}"
    );
    assert!(out.contains("4 files, 1 mismatches, 0 errors"), "{out}");

    // JSON says the same.
    let o = run_in(&dir, &["test", "--json", "scripts"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["mismatches"].as_array().unwrap().len(), 1);

    // Fix the label: everything holds.
    let p = dir.join("scripts/wrong-turn.txt");
    let fixed = std::fs::read_to_string(&p)
        .unwrap()
        .replace("# expect: premature-solving\n", "")
        .replace(
            "# expect: missing-summary, missing-follow-up",
            "# expect: premature-solving, missing-summary, missing-follow-up",
        );
    std::fs::write(&p, fixed).unwrap();
    let o = run_in(&dir, &["test", "scripts"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn a_finding_on_an_unlabelled_turn_is_reported_too() {
    let dir = tempdir("expect-extra");
    // Labelled at turn 3, and the rule fires there: then nothing else may be reported.
    write(
        &dir,
        "a.txt",
        &BAD_EN.replace(
            "Agent: I'll send",
            "# expect: premature-solving, missing-summary\nAgent: I'll send",
        ),
    );
    let o = run_in(&dir, &["test", "a.txt"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out.starts_with("a.txt:4: unexpected missing-follow-up at turn 3 (line 4)\n\n"),
        "{out}"
    );
}

#[test]
fn check_applies_suppressions_and_reports_unused_ones() {
    let dir = folder("suppressions");
    let o = run_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "scripts/suppressed.txt",
            "scripts/unused.txt",
        ],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = |i: usize| -> Vec<String> {
        v["files"][i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules(0), ["premature-solving", "missing-follow-up"]);
    assert_eq!(rules(1), ["unused-suppression"]);
    let unused = &v["files"][1]["findings"][0];
    assert_eq!(unused["severity"], "warning");
    assert_eq!(unused["line"], 8, "the comment's line");
    assert_eq!(unused["quote"], "# callcoach: ignore premature-solving");

    // The pseudo-rule is selected, ignored and re-levelled like any rule.
    let o = run_in(
        &dir,
        &[
            "check",
            "--ignore",
            "unused-suppression",
            "--fail-on",
            "warning",
            "scripts/unused.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    write(
        &dir,
        "scripts/callcoach.toml",
        "[rules.severity]\nunused-suppression = \"error\"\n",
    );
    let o = run_in(&dir, &["check", "scripts/unused.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("scripts/unused.txt:8: error unused-suppression"),
        "{}",
        stdout(&o)
    );
    std::fs::remove_file(dir.join("scripts/callcoach.toml")).unwrap();
    // A suppression of a rule this run does not use is not "unused".
    let o = run_in(
        &dir,
        &[
            "check",
            "--select",
            "missing-summary,unused-suppression",
            "scripts/unused.txt",
        ],
    );
    assert_eq!(stdout(&o), "");
}

#[test]
fn suppression_mistakes_name_file_and_line() {
    let dir = tempdir("suppression-errors");
    write(
        &dir,
        "typo.txt",
        &BAD_EN.replace(
            "Agent: I'll send",
            "# callcoach: ignore premature-solvin -- typo\nAgent: I'll send",
        ),
    );
    write(&dir, "good.txt", GOOD_EN);
    let o = run_in(&dir, &["check", "typo.txt", "good.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "typo.txt: error: line 3: in '# callcoach: ignore': unknown rule 'premature-solvin'"
        ),
        "{out}"
    );
    let o = run_in(&dir, &["test", "typo.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("typo.txt: error: line 3: in '# callcoach: ignore': unknown rule"));

    // No rule at all, or a reason without '--'.
    write(
        &dir,
        "typo.txt",
        &BAD_EN.replace("Agent: I'll send", "# callcoach: ignore\nAgent: I'll send"),
    );
    let o = run_in(&dir, &["check", "typo.txt"]);
    assert!(
        stdout(&o).contains("line 3: a suppression must name a rule"),
        "{}",
        stdout(&o)
    );
    write(
        &dir,
        "typo.txt",
        &BAD_EN.replace(
            "Agent: I'll send",
            "# callcoach: ignore missing-summary because we said so\nAgent: I'll send",
        ),
    );
    let o = run_in(&dir, &["check", "typo.txt"]);
    assert!(
        stdout(&o).contains("line 3: 'missing-summary because we said so' is not a rule id"),
        "{}",
        stdout(&o)
    );

    // Without a reason: it works, with a warning on stderr.
    write(
        &dir,
        "typo.txt",
        &BAD_EN.replace(
            "Agent: I'll send",
            "# callcoach: ignore-file missing-summary\nAgent: I'll send",
        ),
    );
    let o = run_in(&dir, &["check", "typo.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stdout(&o).contains("missing-summary"));
    assert!(
        stderr(&o).contains(
            "typo.txt: note: line 3: the suppression of 'missing-summary' gives no reason"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn markdown_training_material_is_checked_with_its_own_line_numbers() {
    let dir = tempdir("markdown");
    write(
        &dir,
        "guides/module-1.md",
        &format!(
            "# Module 1\n\n```text\nAgent: not a transcript block\n```\n\nA bad call:\n\n```transcript\n{}```\n\nA good one:\n\n```transcript\n{GOOD_EN}```\n",
            BAD_EN.replace("Agent: I'll send", "# expect: premature-solving, missing-summary, missing-follow-up\nAgent: I'll send")
        ),
    );
    write(
        &dir,
        "guides/README.md",
        "# About\n\n```sh\ncallcoach check guides\n```\n",
    );
    let o = run_in(&dir, &["check", "guides"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    // Line 13 of the Markdown file: fence at 9, two turns, the label, then the solution.
    assert!(
        out.starts_with("guides/module-1.md:13: error premature-solving"),
        "{out}"
    );
    assert!(!out.contains("README"));
    let o = run_in(&dir, &["check", "--format", "json", "guides"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["guides/module-1.md:9", "guides/module-1.md:19"]);
    assert_eq!(v["files"][0]["format"], "markdown");
    // `test` reads the labels inside the block.
    let o = run_in(&dir, &["test", "guides"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("1 files, 0 mismatches"),
        "{}",
        stdout(&o)
    );
    // Named explicitly, a Markdown file without a transcript block is an error.
    let o = run_in(&dir, &["check", "guides/README.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("no ```transcript block"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_example_training_scripts_hold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = run_in(root, &["test", "examples/training-scripts"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("0 mismatches, 0 errors"), "{out}");
    let o = run_in(
        root,
        &["check", "--format", "json", "examples/training-scripts"],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 5);
    assert!(files.iter().all(|f| f["error"].is_null()));
    let good: Vec<&Value> = files
        .iter()
        .filter(|f| f["path"].as_str().unwrap().contains("good-calls"))
        .collect();
    assert!(good
        .iter()
        .all(|f| f["findings"].as_array().unwrap().is_empty()));
    let nl = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().contains("nl-kwijtgeraakte-pas"))
        .unwrap();
    assert_eq!(nl["roles"], "mapped", "[speakers] in the example config");
}
