//! `callcoach test PATH...`: labelled transcripts as tests. File-level `# expect:` headers
//! and turn-level `# expect: RULE` annotations are compared with what the rules find
//! (the labels never influence detection); then a per-rule accuracy table.

use super::common::{expand_inputs, require_inputs, InputArgs};
use crate::analysis::{analyze, known_rule};
use crate::formats;
use crate::rules::RuleSet;
use anyhow::{bail, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Labelled transcript files or folders.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Print the accuracy table as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Default, Debug, Clone, Copy)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub tn: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// The outcome of a test run, for the table and for tests.
pub struct Outcome {
    pub per_rule: BTreeMap<String, Counts>,
    pub mismatches: Vec<String>,
    pub files: usize,
    pub errors: usize,
}

pub fn evaluate(paths: &[PathBuf], input: &InputArgs) -> Result<Outcome> {
    let set: RuleSet = input.rule_set()?;
    let opts = input.options();
    let rules = opts.active_rules(&set);
    let selected: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
    let read = input.read_options();
    let mut per_rule: BTreeMap<String, Counts> = selected
        .iter()
        .map(|r| (r.clone(), Counts::default()))
        .collect();
    let mut mismatches = Vec::new();
    let mut files = 0;
    let mut errors = 0;
    for path in expand_inputs(paths) {
        let name = path.display().to_string();
        let ts = match formats::read_path(&path, &read) {
            Ok(t) => t,
            Err(e) => {
                mismatches.push(format!("{name}: error: {e:#}"));
                errors += 1;
                continue;
            }
        };
        for t in ts {
            let Some(expected) = t.expected_rules() else {
                continue;
            };
            for id in expected
                .iter()
                .chain(t.turns.iter().flat_map(|x| &x.expects))
            {
                if !known_rule(&set, id) {
                    bail!(
                        "{}: unknown rule '{id}' in '# expect:' (known: {})",
                        t.source,
                        set.ids().join(", ")
                    );
                }
            }
            files += 1;
            let a = analyze(&t, &rules, &opts);
            let found: BTreeMap<&str, Vec<usize>> =
                a.findings.iter().fold(BTreeMap::new(), |mut m, f| {
                    m.entry(f.rule.as_str())
                        .or_insert_with(Vec::new)
                        .push(f.turn);
                    m
                });
            let expected: BTreeSet<&str> = expected.iter().map(|s| s.as_str()).collect();
            for rule in &selected {
                let e = expected.contains(rule.as_str());
                let f = found.contains_key(rule.as_str());
                let c = per_rule.get_mut(rule).expect("selected rule");
                match (e, f) {
                    (true, true) => c.tp += 1,
                    (false, true) => {
                        c.fp += 1;
                        mismatches.push(format!(
                            "{}: unexpected {rule} at turn {}",
                            t.source,
                            join(&found[rule.as_str()])
                        ));
                    }
                    (true, false) => {
                        c.fn_ += 1;
                        mismatches.push(format!(
                            "{}: missing {rule} (expected, not found)",
                            t.source
                        ));
                    }
                    (false, false) => c.tn += 1,
                }
            }
            // Turn-level expectations: the finding must point at that turn.
            for (i, turn) in t.turns.iter().enumerate() {
                for rule in &turn.expects {
                    if !selected.contains(rule) {
                        continue;
                    }
                    let at = found.get(rule.as_str()).cloned().unwrap_or_default();
                    if !at.contains(&(i + 1)) {
                        let line = turn.line.map(|l| format!(":{l}")).unwrap_or_default();
                        let got = if at.is_empty() {
                            "not found".to_string()
                        } else {
                            format!("found at turn {}", join(&at))
                        };
                        mismatches.push(format!(
                            "{}{line}: expected {rule} at turn {}, {got}",
                            t.source,
                            i + 1
                        ));
                    }
                }
            }
        }
    }
    Ok(Outcome {
        per_rule,
        mismatches,
        files,
        errors,
    })
}

fn join(v: &[usize]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn run(a: Args) -> Result<i32> {
    require_inputs(&a.paths)?;
    let o = evaluate(&a.paths, &a.input)?;
    if a.json {
        let rows: Vec<serde_json::Value> = o
            .per_rule
            .iter()
            .map(|(r, c)| {
                serde_json::json!({"rule": r, "tp": c.tp, "fp": c.fp, "fn": c.fn_, "tn": c.tn,
                    "precision": c.precision(), "recall": c.recall(), "f1": c.f1()})
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"files": o.files, "mismatches": o.mismatches, "rules": rows})
            )?
        );
    } else {
        for m in &o.mismatches {
            println!("{m}");
        }
        if !o.mismatches.is_empty() {
            println!();
        }
        println!(
            "{:<26} {:>4} {:>4} {:>4} {:>9} {:>7} {:>6}",
            "rule", "TP", "FP", "FN", "precision", "recall", "F1"
        );
        let mut macro_f1 = 0.0;
        let mut n = 0;
        for (r, c) in &o.per_rule {
            println!(
                "{:<26} {:>4} {:>4} {:>4} {:>9.2} {:>7.2} {:>6.2}",
                r,
                c.tp,
                c.fp,
                c.fn_,
                c.precision(),
                c.recall(),
                c.f1()
            );
            if c.tp + c.fn_ > 0 {
                macro_f1 += c.f1();
                n += 1;
            }
        }
        if n > 0 {
            println!(
                "{:<26} {:>49.2}",
                "macro F1 (rules with labels)",
                macro_f1 / n as f64
            );
        }
        println!(
            "{} files, {} mismatches, {} errors",
            o.files,
            o.mismatches.len(),
            o.errors
        );
    }
    Ok(if o.errors > 0 {
        2
    } else if o.mismatches.is_empty() {
        0
    } else {
        1
    })
}
