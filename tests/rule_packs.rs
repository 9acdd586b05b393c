//! Custom rule packs (`--rules DIR`, config `rules-dirs`): `rules test DIR` runs their own
//! must-fire / must-pass examples, and a broken rule file is an error with file and line.
//! The pack used here is `tests/packs/jargon/`.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packs/jargon")
}

fn pack_text() -> String {
    std::fs::read_to_string(pack().join("internal-jargon.toml")).unwrap()
}

/// A copy of the pack with `edit` applied, in a fresh folder.
fn edited(name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = tempdir(name);
    write(&dir, "pack/internal-jargon.toml", &edit(pack_text()));
    dir.join("pack")
}

/// A change to the pack's rule file.
type Edit = Box<dyn Fn(String) -> String>;

/// The 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn rules_test_runs_the_packs_own_examples() {
    let o = run(&["rules", "test", pack().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "4 passed, 0 failed\n");

    // An example that no longer holds fails with the rule, the file and the example.
    let dir = edited("pack-failing", |t| {
        t.replace(
            "Agent: Did you get an e-mail from us with a reference?",
            "Agent: Did you get a ticket number?",
        )
    });
    let o = run(&["rules", "test", dir.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("FAIL internal-jargon ("), "{out}");
    assert!(
        out.contains("internal-jargon.toml): example 2 (en, must pass) fired at turn [3]"),
        "{out}"
    );
    assert!(out.ends_with("3 passed, 1 failed\n"), "{out}");
}

#[test]
fn the_pack_is_used_by_check_and_explain() {
    let dir = tempdir("pack-check");
    write(
        &dir,
        "call.txt",
        "Agent: Good morning, Northbank, how can I help?\nCustomer: I called last week about my card.\nAgent: What's your ticket number?\nCustomer: My what?\n",
    );
    let p = pack();
    let o = run_in(&dir, &["check", "--rules", p.to_str().unwrap(), "call.txt"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "a warning does not fail by default"
    );
    assert!(
        stdout(&o).starts_with("call.txt:3: warning internal-jargon: Jargon"),
        "{}",
        stdout(&o)
    );
    let o = run_in(
        &dir,
        &[
            "check",
            "--rules",
            p.to_str().unwrap(),
            "--select",
            "internal-jargon",
            "--fail-on",
            "warning",
            "call.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["explain", "internal-jargon", "--rules", p.to_str().unwrap()]);
    assert!(
        stdout(&o).contains("## Why it matters\nThe customer does not know it"),
        "{}",
        stdout(&o)
    );
    // Without the pack the id is unknown.
    let o = run_in(&dir, &["check", "--select", "internal-jargon", "call.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown rule 'internal-jargon'"));
}

#[test]
fn broken_rule_files_name_file_and_line() {
    let text = pack_text();
    let cases: Vec<(&str, Edit, String)> = vec![
        (
            "bad-pattern",
            Box::new(|t: String| {
                t.replace(
                    r#"nl = ["\\bticketnummer\\b"]"#,
                    "nl = [\n  \"ticket\",\n  \"(unclosed\",\n]",
                )
            }),
            format!(
                "internal-jargon.toml:{}: [pattern] bad nl pattern '(unclosed'",
                line_of(&text, "nl = [") + 2
            ),
        ),
        (
            "unknown-act",
            Box::new(|t: String| {
                t.replace("role = \"agent\"", "role = \"agent\"\nacts = [\"hurry\"]")
            }),
            format!(
                "internal-jargon.toml:{}: [pattern] unknown act 'hurry'",
                line_of(&text, "role = \"agent\"") + 1
            ),
        ),
        (
            "bad-role",
            Box::new(|t: String| t.replace("role = \"agent\"", "role = \"boss\"")),
            format!(
                "internal-jargon.toml:{}: [pattern] role 'boss'",
                line_of(&text, "role = \"agent\"")
            ),
        ),
        (
            "missing-field",
            Box::new(|t: String| t.replace("severity = \"warning\"\n", "")),
            "internal-jargon.toml:1:1: missing field `severity`".to_string(),
        ),
        (
            "bad-severity",
            Box::new(|t: String| t.replace("severity = \"warning\"", "severity = \"fatal\"")),
            format!(
                "internal-jargon.toml:{}: severity 'fatal'",
                line_of(&text, "severity = ")
            ),
        ),
        (
            "unknown-key",
            Box::new(|t: String| {
                t.replace(
                    "category = \"clarity\"",
                    "category = \"clarity\"\ncolour = \"red\"",
                )
            }),
            format!(
                "internal-jargon.toml:{}:1: unknown field `colour`",
                line_of(&text, "category = ") + 1
            ),
        ),
        (
            "bad-example",
            Box::new(|t: String| t.replacen("expect = \"pass\"", "expect = \"maybe\"", 1)),
            {
                let second = text.match_indices("[[examples]]").nth(1).unwrap().0;
                format!(
                    "internal-jargon.toml:{}: example 2 expect must be 'fire' or 'pass'",
                    text[..second].lines().count() + 1
                )
            },
        ),
    ];
    for (name, edit, want) in cases {
        let dir = edited(name, edit);
        let o = run(&["rules", "test", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stdout(&o));
        assert!(
            stderr(&o).contains(&want),
            "{name}: want {want:?} in\n{}",
            stderr(&o)
        );
        // The same error stops `check --rules`.
        let o = run(&[
            "check",
            "--rules",
            dir.to_str().unwrap(),
            "examples/en-refund-call.txt",
        ]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert!(stderr(&o).contains(&want), "{name}: {}", stderr(&o));
    }
}
