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

fn assert_floors(dir: std::path::PathBuf, min_files: usize) {
    let o = evaluate(&[dir], &InputArgs::default()).expect("evaluation runs");
    assert!(o.files >= min_files, "corpus read: {} files", o.files);
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

#[test]
fn dev_corpus_meets_the_floors() {
    let Some(shared) = common::shared() else {
        common::skip("dev corpus floors");
        return;
    };
    assert_floors(shared.join("corpus/dev"), 60);
}

/// The project's own labelled calls (set 1, used for tuning after its first run) keep the
/// same floors. Sets 2 to 6 became tuning sets later (see below); set 7
/// (`tests/heldout7`) is measured, not asserted, so it stays untuned.
#[test]
fn own_labelled_set_meets_the_floors() {
    assert_floors(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/heldout"),
        40,
    );
}

/// Set 2, a tuning set since session 2 (its untuned score is in its README).
#[test]
fn second_labelled_set_meets_the_floors() {
    assert_floors(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/heldout2"),
        40,
    );
}

/// Sets 3 to 6 became tuning sets in session 4 (their first, untuned runs are in their
/// READMEs): their macro F1 may not fall back much; so did sets 7 to 15 after their
/// first runs.
#[test]
fn later_tuning_sets_keep_their_macro_f1() {
    for (set, floor) in [
        ("heldout3", 0.88),
        ("heldout4", 0.93),
        ("heldout5", 0.92),
        ("heldout6", 0.86),
        ("heldout7", 0.94),
        ("heldout8", 0.95),
        ("heldout9", 0.89),
        ("heldout10", 0.91),
        ("heldout11", 0.89),
        ("heldout12", 0.85),
        ("heldout13", 0.81),
        ("heldout14", 0.94),
        ("heldout15", 0.95),
        ("heldout16", 0.92),
        ("heldout17", 0.93),
        ("heldout18", 0.93),
        ("heldout19", 0.95),
        ("heldout20", 0.95),
        ("heldout21", 0.93),
        ("heldout22", 0.93),
        ("heldout23", 0.93),
        ("heldout24", 0.93),
        ("heldout25", 0.93),
        ("heldout26", 0.93),
        ("heldout27", 0.90),
    ] {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join(set);
        let o = evaluate(&[dir], &InputArgs::default()).expect("evaluation runs");
        assert_eq!(o.files, 40, "{set}: files read");
        let labelled: Vec<f64> = o
            .per_rule
            .values()
            .filter(|c| c.tp + c.fn_ > 0)
            .map(|c| c.f1())
            .collect();
        let macro_f1 = labelled.iter().sum::<f64>() / labelled.len() as f64;
        assert!(
            macro_f1 >= floor,
            "{set}: macro F1 {macro_f1:.2} below {floor}\n{}",
            o.mismatches.join("\n")
        );
    }
}
