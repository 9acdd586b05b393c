//! Integration tests that run the built binary.

mod common;
use common::*;

fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn review_reports_findings_with_quotes_and_advice_in_dutch() {
    let o = run(&[
        "review",
        &example("nl-internet-storing.txt"),
        "--color",
        "never",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("premature-solving"), "{out}");
    assert!(
        out.contains("Zal ik een monteur voor u inplannen?"),
        "{out}"
    );
    assert!(out.contains("Wat goed ging"), "{out}");
    assert!(out.contains("Als ik het goed begrijp"), "{out}");
}

#[test]
fn check_json_follows_the_spec_and_exit_codes() {
    let o = run(&[
        "check",
        "--format",
        "json",
        &example("nl-internet-storing.txt"),
    ]);
    assert_eq!(o.status.code(), Some(1), "errors found -> exit 1");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let f = &v["files"][0];
    assert_eq!(f["format"], "plain");
    assert_eq!(f["language"], "nl");
    assert_eq!(f["roles"], "labelled");
    assert!(f["error"].is_null());
    let first = &f["findings"][0];
    for k in [
        "rule", "severity", "turn", "line", "speaker", "quote", "message", "advice",
    ] {
        assert!(!first[k].is_null(), "finding has {k}");
    }
    let o = run(&[
        "check",
        "--fail-on",
        "error",
        &example("en-refund-call.txt"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn bad_input_gets_one_line_errors_and_the_rest_is_reported() {
    let dir = tempdir("bad-input");
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    std::fs::write(dir.join("latin1.txt"), b"Agent: caf\xe9\nKlant: hallo\n").unwrap();
    std::fs::write(dir.join("one.txt"), "Agent: hello\nAgent: still me\n").unwrap();
    std::fs::copy(example("en-refund-call.txt"), dir.join("good.txt")).unwrap();
    let missing = dir.join("missing.txt");
    let o = run(&[
        "check",
        "--format",
        "json",
        dir.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 6);
    let errors: Vec<&str> = files.iter().filter_map(|f| f["error"].as_str()).collect();
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert!(errors.iter().all(|e| !e.contains('\n')));
    assert!(errors
        .iter()
        .any(|e| e.contains("UTF-8") && e.contains("line 1")));
    assert!(errors.iter().any(|e| e.contains("empty")));
    assert!(errors.iter().any(|e| e.contains("binary")));
    assert!(errors.iter().any(|e| e.contains("one speaker")));
    let good = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("good.txt"))
        .unwrap();
    assert!(good["error"].is_null());
}

#[test]
fn oversized_file_is_refused_by_size() {
    let dir = tempdir("big");
    let p = dir.join("big.txt");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    let o = run(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("larger than the limit"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn test_command_reports_mismatch_and_table() {
    let dir = tempdir("labelled");
    std::fs::write(
        dir.join("a.txt"),
        "# expect: flight-reaction\nAgent: Goedemiddag, met Sanne.\nKlant: Ik bel voor de derde keer, ik ben het zat!\nAgent: Dat is heel vervelend, dat begrijp ik. Wat gebeurt er precies?\n",
    )
    .unwrap();
    let o = run(&["test", dir.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("missing flight-reaction"), "{out}");
    assert!(out.contains("precision"), "{out}");
    std::fs::write(
        dir.join("b.txt"),
        "# expect: flight-reactoin\nAgent: Hoi.\nKlant: Hoi.\n",
    )
    .unwrap();
    let o = run(&["test", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown rule 'flight-reactoin'"));
}

#[test]
fn rules_and_explain() {
    let o = run(&["rules"]);
    let out = stdout(&o);
    assert!(out.contains("premature-solving") && out.contains("agent-quick-agreement"));
    let o = run(&["explain", "flight-reaction", "--lang", "nl"]);
    let out = stdout(&o);
    for h in [
        "Wat het vindt",
        "Waarom het ertoe doet",
        "Voorbeeld",
        "Beter",
        "Uitzonderingen",
    ] {
        assert!(out.contains(h), "{out}");
    }
    let o = run(&["explain", "no-such-rule"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn same_input_same_bytes() {
    let a = run(&[
        "check",
        "--format",
        "json",
        &example("nl-internet-storing.txt"),
    ]);
    let b = run(&[
        "check",
        "--format",
        "json",
        &example("nl-internet-storing.txt"),
    ]);
    assert_eq!(a.stdout, b.stdout);
}
