//! Every rule file carries examples that must fire and must pass, in Dutch and English;
//! this runs them all (as `callcoach rules test` does).

use callcoach::rules::RuleSet;

#[test]
fn every_rule_file_is_valid_and_has_both_kinds_of_examples() {
    let set = RuleSet::check_builtin().expect("rule files parse");
    assert!(set.rules.len() >= 12, "all spec rules present");
    for r in &set.rules {
        for lang in ["nl", "en"] {
            for want in ["fire", "pass"] {
                assert!(
                    r.examples
                        .iter()
                        .any(|e| e.lang == lang && e.expect == want),
                    "{} lacks a {want} example in {lang}",
                    r.id
                );
            }
        }
    }
}

#[test]
fn every_rule_example_holds() {
    callcoach::acts::check_builtin().expect("lexicons compile");
    let set = RuleSet::check_builtin().unwrap();
    let mut failures = Vec::new();
    for r in &set.rules {
        for f in callcoach::cli::example_failures(r) {
            failures.push(format!("{}: {f}", r.id));
        }
    }
    assert!(
        failures.is_empty(),
        "rule examples failing:\n{}",
        failures.join("\n")
    );
}
