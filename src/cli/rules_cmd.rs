//! `callcoach rules` (list, or `rules test DIR`) and `callcoach explain RULE`.

use super::common::parse_lang;
use crate::analysis::{analyze, check_rule_id, Options, UNUSED_SUPPRESSION};
use crate::formats::{self, ReadOptions};
use crate::report::ruledoc;
use crate::rules::{RuleSet, RuleSpec};
use crate::transcript::Lang;
use anyhow::{bail, Result};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    /// `test` to run rule packs' own examples.
    pub action: Option<String>,
    /// Rule folders for `rules test` (default: the built-in rules).
    pub dirs: Vec<PathBuf>,
    /// Language of the one-line descriptions.
    #[arg(long, value_parser = parse_lang, default_value = "en")]
    pub lang: Lang,
    /// Extra rule folders to list with the built-in ones.
    #[arg(long = "rules")]
    pub rules: Vec<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// Rule id, e.g. premature-solving.
    pub rule: String,
    #[arg(long, value_parser = parse_lang, default_value = "en")]
    pub lang: Lang,
    #[arg(long = "rules")]
    pub rules: Vec<PathBuf>,
}

fn load(extra: &[PathBuf]) -> Result<RuleSet> {
    let mut set = RuleSet::builtin();
    for d in extra {
        set.add_dir(d)?;
    }
    Ok(set)
}

pub fn run_rules(a: RulesArgs) -> Result<i32> {
    match a.action.as_deref() {
        None | Some("list") => {
            let set = load(&a.rules)?;
            let w = set.rules.iter().map(|r| r.id.len()).max().unwrap_or(10);
            for r in &set.rules {
                println!(
                    "{:<w$}  {:<7}  {:<13}  {}",
                    r.id,
                    r.severity.as_str(),
                    r.category,
                    r.summary.get(a.lang)
                );
            }
            Ok(0)
        }
        Some("test") => {
            let mut failures = 0;
            let mut count = 0;
            let specs: Vec<RuleSpec> = if a.dirs.is_empty() {
                RuleSet::check_builtin()?.rules
            } else {
                let mut v = Vec::new();
                for d in &a.dirs {
                    let mut s = RuleSet { rules: vec![] };
                    s.add_dir(d)?;
                    v.extend(s.rules);
                }
                v
            };
            for spec in &specs {
                let failed = example_failures(spec);
                for fail in &failed {
                    println!("FAIL {} ({}): {fail}", spec.id, spec.origin);
                }
                failures += failed.len();
                count += spec.examples.len();
            }
            println!("{} passed, {} failed", count - failures, failures);
            Ok(if failures > 0 { 1 } else { 0 })
        }
        Some(other) => bail!("unknown action '{other}' (use 'rules' or 'rules test DIR')"),
    }
}

/// Run a rule's own examples; returns a description of each one that does not hold.
pub fn example_failures(spec: &RuleSpec) -> Vec<String> {
    let mut out = Vec::new();
    let all = RuleSet::builtin();
    for (i, ex) in spec.examples.iter().enumerate() {
        let lang = Lang::parse(&ex.lang);
        let ts = match formats::parse_bytes(
            ex.transcript.as_bytes(),
            &format!("{} example {}", spec.origin, i + 1),
            &ReadOptions::default(),
        ) {
            Ok(t) => t,
            Err(e) => {
                out.push(format!(
                    "example {} ({}) does not parse: {e:#}",
                    i + 1,
                    ex.lang
                ));
                continue;
            }
        };
        let opts = Options {
            lang,
            ..Default::default()
        };
        // The example runs with its own rule (which may be new) and the built-in rules.
        let mut rules: Vec<RuleSpec> = all
            .rules
            .iter()
            .filter(|r| r.id != spec.id)
            .cloned()
            .collect();
        rules.push(spec.clone());
        let a = analyze(&ts[0], &rules, &opts);
        let hits: Vec<usize> = a
            .findings
            .iter()
            .filter(|f| f.rule == spec.id)
            .map(|f| f.turn)
            .collect();
        let ok = match ex.expect.as_str() {
            "fire" => !hits.is_empty() && ex.turn.is_none_or(|t| hits.contains(&t)),
            _ => hits.is_empty(),
        };
        if !ok {
            let at = ex.turn.map(|t| format!(" at turn {t}")).unwrap_or_default();
            out.push(format!(
                "example {} ({}, must {}{at}) {}",
                i + 1,
                ex.lang,
                ex.expect,
                if hits.is_empty() {
                    "did not fire".to_string()
                } else {
                    format!("fired at turn {hits:?}")
                }
            ));
        }
    }
    out
}

pub fn run_explain(a: ExplainArgs) -> Result<i32> {
    let set = load(&a.rules)?;
    if a.rule == UNUSED_SUPPRESSION {
        print!(
            "{}",
            ruledoc::unused_suppression(a.lang).view().text(a.lang)
        );
        return Ok(0);
    }
    check_rule_id(&set, &a.rule)?;
    let r = set.get(&a.rule).expect("checked");
    print!("{}", explain_text(r, a.lang));
    Ok(0)
}

/// The documentation of a rule under the fixed headings (as SARIF's help text has it).
pub fn explain_text(r: &RuleSpec, lang: Lang) -> String {
    ruledoc::DocView::of(r, lang).text(lang)
}
