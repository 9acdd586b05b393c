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

/// A pattern rule `id` that reads `act` on `role` turns, with two examples that must fire
/// at `turn` (English and Dutch: the greeting, then `en` / `nl`) and two that must pass.
fn one_act_rule(id: &str, role: &str, act: &str, turn: usize, en: &str, nl: &str) -> String {
    format!(
        r#"id = "{id}"
severity = "info"
category = "process"
detector = "pattern"

[pattern]
role = "{role}"
acts = ["{act}"]

[summary]
en = "A {role} turn with {act}."
nl = "Een beurt met {act}."

[message]
en = "The {role} turn has {act}."
nl = "De beurt heeft {act}."

[advice]
en = "Look at what was said."
nl = "Kijk naar wat er gezegd werd."

[doc.en]
what = "A {role} turn with {act}."
why = "It tests the scan."
example = "See the examples below."
better = "None."
exceptions = "None."

[doc.nl]
what = "Een beurt met {act}."
why = "Het test de scan."
example = "Zie de voorbeelden hieronder."
better = "Geen."
exceptions = "Geen."

[[examples]]
lang = "en"
expect = "fire"
turn = {turn}
transcript = """
Agent: Good morning, Northbank, how can I help?
{en}
"""

[[examples]]
lang = "nl"
expect = "fire"
turn = {turn}
transcript = """
Agent: Goedemorgen, Northbank, waarmee kan ik u helpen?
{nl}
"""

[[examples]]
lang = "en"
expect = "pass"
transcript = """
Agent: Good morning, Northbank, how can I help?
Customer: My internet keeps dropping in the evening.
"""

[[examples]]
lang = "nl"
expect = "pass"
transcript = """
Agent: Goedemorgen, Northbank, waarmee kan ik u helpen?
Klant: Mijn internet valt 's avonds steeds weg.
"""
"#
    )
}

/// The scan leaves agent-side acts out on customer turns, since no built-in rule reads them
/// there; a user rule that does read one there still sees it, and `acts` shows them all.
#[test]
fn a_rule_reading_an_agent_side_act_on_customer_turns_still_sees_it() {
    let dir = tempdir("customer-solutions");
    write(
        &dir,
        "call.txt",
        "Agent: Good morning, Northbank, how can I help?\nCustomer: I have reset the router twice and it still drops.\nAgent: When did it start?\nCustomer: Monday.\n",
    );
    let rule = one_act_rule(
        "customer-tried",
        "customer",
        "solution",
        2,
        "Customer: I have reset the router twice and it still drops.",
        "Klant: Ik heb de router al twee keer opnieuw opgestart en hij valt nog steeds weg.",
    );
    write(&dir, "pack/customer-tried.toml", &rule);
    let o = run_in(&dir, &["check", "--rules", "pack", "call.txt"]);
    let out = stdout(&o);
    assert!(
        out.contains("call.txt:2: info customer-tried"),
        "{out}{}",
        stderr(&o)
    );
    // `acts` tags every act on every turn.
    let o = run_in(&dir, &["acts", "call.txt"]);
    let out = stdout(&o);
    let customer = out
        .lines()
        .skip_while(|l| !l.contains("customer I have reset"))
        .nth(1)
        .unwrap_or("");
    assert!(customer.contains("solution"), "{out}");
}

/// Likewise the customer's acts on the agent's turns in a call: a user rule that reads one
/// there still sees it.
#[test]
fn a_rule_reading_a_customer_side_act_on_agent_turns_still_sees_it() {
    let dir = tempdir("agent-agreements");
    write(
        &dir,
        "call.txt",
        "Agent: Good morning, Northbank, how can I help?\nCustomer: My internet keeps dropping in the evening.\nAgent: Okay, sure. When did it start?\nCustomer: Monday.\n",
    );
    let rule = one_act_rule(
        "agent-agrees",
        "agent",
        "agreement",
        3,
        "Customer: My internet keeps dropping.\nAgent: Okay, sure, I can look at that.",
        "Klant: Mijn internet valt steeds weg.\nMedewerker: Oké, prima, daar kijk ik naar.",
    );
    write(&dir, "pack/agent-agrees.toml", &rule);
    let o = run_in(&dir, &["check", "--rules", "pack", "call.txt"]);
    let out = stdout(&o);
    assert!(
        out.contains("call.txt:3: info agent-agrees"),
        "{out}{}",
        stderr(&o)
    );
}
