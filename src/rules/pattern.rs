//! The data-only detector: a rule file names lexicon acts or its own patterns and the role
//! whose turns it looks at; every matching turn (or the first) is a finding.

use super::spec::PatternDef;
use super::{Hit, RuleSpec};
use crate::acts::{lexicon::normalise, Act, TaggedTranscript};
use crate::transcript::{Lang, Role};
use regex::bytes::Regex;
use std::ops::Range;
use std::str::FromStr;

/// A bad `[pattern]` table: the message and, where known, the byte span of the value at
/// fault in the rule file (so the error can name its line).
#[derive(Debug, Clone)]
pub struct PatternError {
    pub span: Option<Range<usize>>,
    pub message: String,
}

fn err(span: Option<Range<usize>>, message: String) -> PatternError {
    PatternError { span, message }
}

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
    pub fn new(def: &PatternDef) -> Result<Compiled, PatternError> {
        let role = Role::parse(def.role.get_ref())
            .filter(|r| matches!(r, Role::Agent | Role::Customer | Role::Leader))
            .ok_or_else(|| {
                err(
                    Some(def.role.span()),
                    format!(
                        "[pattern] role '{}' must be agent, customer or leader",
                        def.role.get_ref()
                    ),
                )
            })?;
        let mut acts = Vec::new();
        for a in &def.acts {
            acts.push(Act::from_str(a.get_ref()).map_err(|_| {
                err(
                    Some(a.span()),
                    format!(
                        "[pattern] unknown act '{}' (known: {})",
                        a.get_ref(),
                        Act::all_names().join(", ")
                    ),
                )
            })?);
        }
        let compile =
            |lang: &str, ps: &[toml::Spanned<String>]| -> Result<Vec<Regex>, PatternError> {
                ps.iter()
                    .map(|p| {
                        Regex::new(&format!("(?-u){}", p.get_ref())).map_err(|e| {
                            err(
                                Some(p.span()),
                                format!(
                                    "[pattern] bad {lang} pattern '{}': {}",
                                    p.get_ref(),
                                    e.to_string().lines().last().unwrap_or("").trim()
                                ),
                            )
                        })
                    })
                    .collect()
            };
        let nl = compile("nl", &def.nl)?;
        let en = compile("en", &def.en)?;
        if acts.is_empty() && (nl.is_empty() || en.is_empty()) {
            return Err(err(
                None,
                "[pattern] needs 'acts', or patterns for both 'nl' and 'en'".into(),
            ));
        }
        // The scan leaves some acts out on customer and agent turns unless a rule reads them.
        match role {
            Role::Customer => crate::acts::need_on_customer(&acts),
            Role::Agent => crate::acts::need_on_agent(&acts),
            _ => {}
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
            if regs.is_empty() {
                return None;
            }
            turn.sentences.iter().position(|s| {
                let n = if s.norm.is_empty() {
                    std::borrow::Cow::Owned(normalise(s.text))
                } else {
                    std::borrow::Cow::Borrowed(s.norm.as_str())
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
