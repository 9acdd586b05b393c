//! The data-only detector: a rule file names lexicon acts or its own patterns and the role
//! whose turns it looks at; every matching turn (or the first) is a finding.

use super::spec::PatternDef;
use super::{Hit, RuleSpec};
use crate::acts::{lexicon::normalise, Act, TaggedTranscript};
use crate::transcript::{Lang, Role};
use anyhow::{anyhow, bail, Result};
use regex::bytes::Regex;
use std::str::FromStr;

/// A compiled `[pattern]` table.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub role: Role,
    pub acts: Vec<Act>,
    pub nl: Vec<Regex>,
    pub en: Vec<Regex>,
    pub once: bool,
}

impl Compiled {
    pub fn new(def: &PatternDef) -> Result<Compiled> {
        let role = Role::parse(&def.role).ok_or_else(|| {
            anyhow!(
                "[pattern] role '{}' must be agent, customer or leader",
                def.role
            )
        })?;
        let mut acts = Vec::new();
        for a in &def.acts {
            acts.push(Act::from_str(a).map_err(|_| {
                anyhow!(
                    "[pattern] unknown act '{a}' (known: {})",
                    Act::all_names().join(", ")
                )
            })?);
        }
        let compile = |ps: &[String]| -> Result<Vec<Regex>> {
            ps.iter()
                .map(|p| {
                    Regex::new(&format!("(?-u){p}")).map_err(|e| {
                        anyhow!(
                            "[pattern] bad pattern '{p}': {}",
                            e.to_string().lines().last().unwrap_or("")
                        )
                    })
                })
                .collect()
        };
        let nl = compile(&def.nl)?;
        let en = compile(&def.en)?;
        if acts.is_empty() && (nl.is_empty() || en.is_empty()) {
            bail!("[pattern] needs 'acts', or patterns for both 'nl' and 'en'");
        }
        Ok(Compiled {
            role,
            acts,
            nl,
            en,
            once: def.once,
        })
    }
}

pub fn detect(tt: &TaggedTranscript, spec: &RuleSpec) -> Vec<Hit> {
    let Some(p) = &spec.pattern else {
        return Vec::new();
    };
    let regs = match tt.lang {
        Lang::Nl => &p.nl,
        Lang::En => &p.en,
    };
    let mut out = Vec::new();
    for turn in tt.turns.iter().filter(|t| t.role == p.role) {
        let by_act = turn
            .tags
            .iter()
            .find(|t| p.acts.contains(&t.act))
            .map(|t| t.sentence);
        let by_re = || {
            turn.sentences.iter().position(|s| {
                let n = if s.norm.is_empty() {
                    normalise(&s.text)
                } else {
                    s.norm.clone()
                };
                regs.iter().any(|r| r.is_match(n.as_bytes()))
            })
        };
        if let Some(s) = by_act.or_else(by_re) {
            out.push(Hit::at(turn.index, Some(s)));
            if p.once {
                break;
            }
        }
    }
    out
}
