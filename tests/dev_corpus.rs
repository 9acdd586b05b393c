//! The dev corpus as a regression test: F1 floors per rule, from `callcoach test`.

mod common;
use callcoach::cli::common::InputArgs;
use callcoach::cli::test_cmd::{evaluate, Counts};

const CORE: &[&str] = &[
    "premature-solving",
    "missing-summary",
    "missing-follow-up",
    "flight-reaction",
];

#[test]
fn dev_corpus_meets_the_floors() {
    let Some(shared) = common::shared() else {
        common::skip("dev corpus floors");
        return;
    };
    let o = evaluate(&[shared.join("corpus/dev")], &InputArgs::default()).expect("evaluation runs");
    assert!(o.files >= 60, "dev corpus read: {} files", o.files);
    let mut bad = Vec::new();
    for (rule, c) in &o.per_rule {
        let c: &Counts = c;
        let (floor_f1, floor_p) = if CORE.contains(&rule.as_str()) {
            (0.90, 0.90)
        } else {
            (0.85, 0.0)
        };
        if c.f1() < floor_f1 || c.precision() < floor_p {
            bad.push(format!(
                "{rule}: P {:.2} R {:.2} F1 {:.2}",
                c.precision(),
                c.recall(),
                c.f1()
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "below the floors:\n{}\nmismatches:\n{}",
        bad.join("\n"),
        o.mismatches.join("\n")
    );
}
