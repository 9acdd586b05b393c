//! One transcript through the whole pipeline: tag, run the rules, apply suppressions,
//! and collect what went well. Every command builds on this.

use crate::acts::{self, Act, TaggedTranscript};
use crate::rules::{self, Finding, RuleSet, RuleSpec, Severity};
use crate::transcript::{Kind, Lang, Role, RolesSource, Suppression, Transcript};
use anyhow::{bail, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the user chose for a run (flags and config).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--lang`: the transcript's language, overriding detection.
    pub lang: Option<Lang>,
    /// `--report-lang`: the language of messages and advice (default: the transcript's).
    pub report_lang: Option<Lang>,
    /// Only these rules (empty: all).
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    /// Leave findings' advice empty (a batch that only counts findings does not show it).
    pub without_advice: bool,
}

/// Something the agent did well, for the review.
#[derive(Debug, Clone, Serialize)]
pub struct Strength {
    /// "probe", "summary" or "acknowledgement".
    pub act: &'static str,
    pub turn: usize,
    pub quote: String,
}

/// The result for one transcript.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub source: String,
    pub format: String,
    pub id: Option<String>,
    pub agent: Option<String>,
    pub language: Lang,
    pub report_language: Lang,
    pub kind: Kind,
    pub turns: usize,
    pub roles: RolesSource,
    pub findings: Vec<Finding>,
    pub strengths: Vec<Strength>,
    pub warnings: Vec<String>,
    /// 1-based turn of the need statement and of the first solution, where found.
    pub need_turn: Option<usize>,
    pub first_solution_turn: Option<usize>,
    pub factual: bool,
    pub metrics: crate::metrics::Metrics,
    pub score: crate::score::Score,
}

/// The pseudo-rule for a suppression that matched no finding.
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

impl Options {
    /// Is this rule (or the unused-suppression pseudo-rule) on in this run?
    pub fn wants(&self, id: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s == id))
            && !self.ignore.iter().any(|s| s == id)
    }

    /// The rules this run uses, with severities overridden.
    pub fn active_rules(&self, set: &RuleSet) -> Vec<RuleSpec> {
        set.rules
            .iter()
            .filter(|r| self.wants(&r.id))
            .map(|r| {
                let mut r = r.clone();
                if let Some(s) = self.severity.get(&r.id) {
                    r.severity = *s;
                }
                r
            })
            .collect()
    }
}

/// Analyse a transcript with the given rules.
pub fn analyze(t: &Transcript, rules: &[RuleSpec], opts: &Options) -> Analysis {
    let tt = acts::tag(t, opts.lang);
    analyze_tagged(&tt, rules, opts)
}

pub fn analyze_tagged(tt: &TaggedTranscript, rules: &[RuleSpec], opts: &Options) -> Analysis {
    let t = tt.transcript;
    let report_lang = opts.report_lang.unwrap_or(tt.lang);
    let refs: Vec<&RuleSpec> = rules.iter().collect();
    let mut findings = rules::run(tt, &refs, report_lang, !opts.without_advice);
    let mut warnings = t.warnings.clone();
    if !t.has_roles() && !warnings.iter().any(|w| w.contains("skipped")) {
        warnings.push(
            "agent and customer could not be told apart: rules that need them are skipped".into(),
        );
    }
    if t.has_roles() {
        // Without roles no rule ran, so no suppression can be judged unused.
        let active: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        apply_suppressions(t, &mut findings, report_lang, &active, opts);
    }
    for s in all_suppressions(t) {
        if s.reason.is_empty() {
            warnings.push(format!(
                "line {}: the suppression of '{}' gives no reason: write '# callcoach: {} {} -- reason'",
                s.line,
                s.rule,
                verb(s),
                s.rule
            ));
        }
    }
    let first_solution = tt.first_solution();
    let metrics = crate::metrics::compute(tt);
    let score = crate::score::compute(&findings, &metrics, tt.kind);
    Analysis {
        source: t.source.clone(),
        format: t.format.clone(),
        id: t.id.clone(),
        agent: t.agent_name.clone(),
        language: tt.lang,
        report_language: report_lang,
        kind: tt.kind,
        turns: t.turns.len(),
        roles: t.roles,
        findings,
        strengths: strengths(tt),
        warnings,
        need_turn: tt.need.map(|n| n + 1),
        first_solution_turn: first_solution.map(|n| n + 1),
        factual: tt.factual,
        metrics,
        score,
    }
}

/// File-level and turn-level suppressions.
fn all_suppressions(t: &Transcript) -> impl Iterator<Item = &Suppression> {
    t.suppressions
        .iter()
        .chain(t.turns.iter().flat_map(|x| &x.suppressions))
}

/// `ignore` or `ignore-file`, as the comment says.
fn verb(s: &Suppression) -> &'static str {
    if s.whole_file {
        "ignore-file"
    } else {
        "ignore"
    }
}

/// Drop suppressed findings; report suppressions of active rules that matched nothing
/// (as the `unused-suppression` pseudo-rule, when that is on).
fn apply_suppressions(
    t: &Transcript,
    findings: &mut Vec<Finding>,
    lang: Lang,
    active: &[&str],
    opts: &Options,
) {
    let mut unused = Vec::new();
    for (ti, turn) in t.turns.iter().enumerate() {
        for s in &turn.suppressions {
            let before = findings.len();
            findings.retain(|f| !(f.rule == s.rule && f.turn == ti + 1));
            if findings.len() == before {
                unused.push((s.clone(), ti + 1));
            }
        }
    }
    for s in &t.suppressions {
        let before = findings.len();
        findings.retain(|f| f.rule != s.rule);
        if findings.len() == before {
            // A file-level suppression belongs to no turn: it is reported at turn 1 (turns
            // are 1-based in every report) and at its own line.
            unused.push((s.clone(), 1));
        }
    }
    let severity = opts
        .severity
        .get(UNUSED_SUPPRESSION)
        .copied()
        .unwrap_or(Severity::Warning);
    let reported = opts.wants(UNUSED_SUPPRESSION)
        && !t.suppressions.iter().any(|s| s.rule == UNUSED_SUPPRESSION);
    unused.retain(|(s, _)| reported && active.contains(&s.rule.as_str()));
    for (s, turn) in unused {
        let (message, advice) = match lang {
            Lang::Nl => (
                format!("Ongebruikte onderdrukking: '{}' vond hier niets.", s.rule),
                "Haal de regel '# callcoach: ignore' weg, of zet hem vóór de beurt waar de bevinding staat.".to_string(),
            ),
            Lang::En => (
                format!("Unused suppression: '{}' found nothing here.", s.rule),
                "Remove the '# callcoach: ignore' line, or move it before the turn the finding points at.".to_string(),
            ),
        };
        findings.push(Finding {
            rule: UNUSED_SUPPRESSION.to_string(),
            severity,
            turn,
            line: Some(s.line),
            speaker: Role::Unknown,
            quote: format!("# callcoach: {} {}", verb(&s), s.rule),
            message,
            advice,
        });
    }
    findings.sort_by(|a, b| {
        (a.turn, a.severity.rank(), &a.rule).cmp(&(b.turn, b.severity.rank(), &b.rule))
    });
}

fn strengths(tt: &TaggedTranscript) -> Vec<Strength> {
    // In a call: the agent's probes, summaries and acknowledgements. In a coaching
    // conversation: the leader's diagnosis questions and acknowledgements.
    let (role, acts): (Role, &[(Act, &'static str)]) = match tt.kind {
        Kind::Call => (
            Role::Agent,
            &[
                (Act::Probe, "probe"),
                (Act::Summary, "summary"),
                (Act::Acknowledgement, "acknowledgement"),
            ],
        ),
        Kind::Coaching => (
            Role::Leader,
            &[
                (Act::Diagnosis, "diagnosis"),
                (Act::Acknowledgement, "acknowledgement"),
            ],
        ),
    };
    let mut out = Vec::new();
    for t in tt.turns.iter().filter(|t| t.role == role) {
        for &(act, name) in acts {
            if let Some(tag) = t.first(act) {
                out.push(Strength {
                    act: name,
                    turn: t.index + 1,
                    quote: rules::shorten(t.quote_at(tag), 160),
                });
            }
        }
    }
    out
}

/// Does the rule id exist (built-in, added, or the unused-suppression pseudo-rule)?
pub fn known_rule(set: &RuleSet, id: &str) -> bool {
    id == UNUSED_SUPPRESSION || set.get(id).is_some()
}

/// Fail on an unknown rule id (the pseudo-rule included), listing the known ones.
pub fn check_rule_id(set: &RuleSet, id: &str) -> Result<()> {
    if !known_rule(set, id) {
        bail!("unknown rule '{id}' (known: {})", set.ids().join(", "));
    }
    Ok(())
}

/// Every suppression must name a rule that exists: a typo would silently suppress nothing.
/// The error names the comment's line.
pub fn check_suppressions(t: &Transcript, set: &RuleSet) -> Result<()> {
    for s in all_suppressions(t) {
        if let Err(e) = check_rule_id(set, &s.rule) {
            bail!("line {}: in '# callcoach: {}': {e}", s.line, verb(s));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acts::tagger::{tag_with, Skips};

    /// Leaving acts out of the scan (customer turns without the agent's acts, and after a
    /// need statement that is no factual question without those that find one; the
    /// agent's turns in a call without the customer's and the coaching talk's) changes no
    /// result:
    /// every transcript of the examples, the corpora and the held-out sets analyses the
    /// same, to the byte, as with every act tagged on every turn.
    #[test]
    fn skipped_acts_change_no_result() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("examples"), root.join("../shared/corpus/dev")];
        for e in std::fs::read_dir(root.join("tests"))
            .into_iter()
            .flatten()
            .flatten()
        {
            if e.file_name().to_string_lossy().starts_with("heldout") {
                dirs.push(e.path());
            }
        }
        let mut files: Vec<_> = dirs
            .iter()
            .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        assert!(files.len() > 100, "only {} transcripts", files.len());
        let rules = RuleSet::builtin().rules;
        let opts = Options::default();
        let skips = Skips::current();
        assert!(skips.customer != 0 && skips.after_need != 0 && skips.agent != 0);
        let (mut calls, mut talks) = (0, 0);
        for f in &files {
            let Ok(ts) = crate::formats::read_path(f, &Default::default()) else {
                continue;
            };
            for t in &ts {
                let json = |s: Skips| {
                    let tt = tag_with(t, None, s);
                    serde_json::to_string(&analyze_tagged(&tt, &rules, &opts)).unwrap()
                };
                let skipped = json(skips);
                assert_eq!(skipped, json(Skips::default()), "{}", f.display());
                match tag_with(t, None, skips).kind {
                    Kind::Call => calls += 1,
                    Kind::Coaching => talks += 1,
                }
            }
        }
        assert!(calls > 100 && talks > 20, "{calls} calls, {talks} talks");
    }
}
