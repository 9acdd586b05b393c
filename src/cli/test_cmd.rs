//! `callcoach test PATH...`: labelled transcripts as tests. File-level `# expect:` headers
//! and turn-level `# expect: RULE` annotations (on the line before a turn: the finding must
//! point at that turn) are compared with what the rules find (the labels never influence
//! detection); then a per-rule accuracy table. A turn-level label also counts as a
//! file-level one. Markdown training material (```transcript blocks) is read too.

use super::common::{read_checked, require_inputs, InputArgs};
use super::settings;
use crate::analysis::{analyze, check_rule_id};
use anyhow::{anyhow, Result};
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
    let plan = settings::plan(paths, input)?;
    let mut per_rule: BTreeMap<String, Counts> = BTreeMap::new();
    for s in settings::distinct(&plan) {
        for r in s.active_rules() {
            per_rule.entry(r.id).or_default();
        }
    }
    let mut mismatches = Vec::new();
    let mut files = 0;
    let mut errors = 0;
    for (path, settings) in &plan {
        let name = path.display().to_string();
        let ts = match read_checked(path, settings) {
            Ok(t) => t,
            Err(e) => {
                mismatches.push(format!("{name}: error: {e:#}"));
                errors += 1;
                continue;
            }
        };
        let opts = settings.options_for(path);
        let rules = opts.active_rules(&settings.set);
        for t in ts {
            let header = t.expected_rules();
            let labelled_turns = t.turns.iter().any(|x| !x.expects.is_empty());
            if header.is_none() && !labelled_turns {
                continue;
            }
            let header = header.unwrap_or_default();
            for id in &header {
                check_rule_id(&settings.set, id)
                    .map_err(|e| anyhow!("{}: in the '# expect:' header: {e}", t.source))?;
            }
            for turn in &t.turns {
                for id in &turn.expects {
                    check_rule_id(&settings.set, id).map_err(|e| {
                        anyhow!(
                            "{}: in '# expect:' before this turn: {e}",
                            at(&name, &t.source, turn.line)
                        )
                    })?;
                }
            }
            files += 1;
            let a = analyze(&t, &rules, &opts);
            // Rule -> the (turn, line) of each finding.
            let mut found: BTreeMap<&str, Vec<(usize, Option<usize>)>> = BTreeMap::new();
            for f in &a.findings {
                found
                    .entry(f.rule.as_str())
                    .or_default()
                    .push((f.turn, f.line));
            }
            // Rule -> the turns labelled with it.
            let mut by_turn: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (i, turn) in t.turns.iter().enumerate() {
                for id in &turn.expects {
                    by_turn.entry(id.as_str()).or_default().push(i + 1);
                }
            }
            let expected: BTreeSet<&str> = header
                .iter()
                .map(|s| s.as_str())
                .chain(by_turn.keys().copied())
                .collect();
            for rule in rules.iter().map(|r| r.id.as_str()) {
                let e = expected.contains(rule);
                let hits = found.get(rule).cloned().unwrap_or_default();
                let c = per_rule.entry(rule.to_string()).or_default();
                match (e, !hits.is_empty()) {
                    (true, true) => c.tp += 1,
                    (false, true) => c.fp += 1,
                    (true, false) => c.fn_ += 1,
                    (false, false) => c.tn += 1,
                }
                let line_of = |turn: usize| t.turns.get(turn - 1).and_then(|x| x.line);
                match by_turn.get(rule) {
                    // Turn-level labels: each finding must point at a labelled turn, and each
                    // labelled turn must have one. A mismatch names both turns.
                    Some(want) => {
                        let missing: Vec<usize> = want
                            .iter()
                            .copied()
                            .filter(|w| !hits.iter().any(|h| h.0 == *w))
                            .collect();
                        let extra: Vec<(usize, Option<usize>)> = hits
                            .iter()
                            .copied()
                            .filter(|h| !want.contains(&h.0))
                            .collect();
                        for w in &missing {
                            let got = if !extra.is_empty() {
                                format!("found at {}", turns(&extra))
                            } else if hits.is_empty() {
                                "not found".to_string()
                            } else {
                                format!("found only at {}", turns(&hits))
                            };
                            mismatches.push(format!(
                                "{}: expected {rule} at turn {w}, {got}",
                                at(&name, &t.source, line_of(*w))
                            ));
                        }
                        if missing.is_empty() {
                            for x in &extra {
                                let wanted: Vec<(usize, Option<usize>)> =
                                    want.iter().map(|w| (*w, line_of(*w))).collect();
                                mismatches.push(format!(
                                    "{}: unexpected {rule} at turn {} (expected only at {})",
                                    at(&name, &t.source, x.1),
                                    x.0,
                                    turns(&wanted)
                                ));
                            }
                        }
                    }
                    None if !e && !hits.is_empty() => mismatches.push(format!(
                        "{}: unexpected {rule} at {}",
                        at(&name, &t.source, hits[0].1),
                        turns(&hits)
                    )),
                    None if e && hits.is_empty() => mismatches.push(format!(
                        "{}: missing {rule} (expected, not found)",
                        t.source
                    )),
                    None => {}
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

/// `file:line` when the line is known (lines are the file's, Markdown included), else the
/// transcript's name.
fn at(file: &str, source: &str, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{file}:{l}"),
        None => source.to_string(),
    }
}

/// "turn 3 (line 7)" or "turns 3 (line 7), 5 (line 11)".
fn turns(v: &[(usize, Option<usize>)]) -> String {
    let parts: Vec<String> = v
        .iter()
        .map(|(t, l)| match l {
            Some(l) => format!("{t} (line {l})"),
            None => t.to_string(),
        })
        .collect();
    format!(
        "turn{} {}",
        if v.len() == 1 { "" } else { "s" },
        parts.join(", ")
    )
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
