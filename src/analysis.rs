//! One transcript through the whole pipeline: tag, run the rules, apply suppressions,
//! and collect what went well. Every command builds on this.

use crate::acts::{self, Act, TaggedTranscript};
use crate::rules::{self, Finding, RuleSet, RuleSpec, Severity};
use crate::transcript::{Kind, Lang, Role, RolesSource, Transcript};
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
    /// The rules this run uses, with severities overridden.
    pub fn active_rules(&self, set: &RuleSet) -> Vec<RuleSpec> {
        set.rules
            .iter()
            .filter(|r| self.select.is_empty() || self.select.iter().any(|s| s == &r.id))
            .filter(|r| !self.ignore.iter().any(|s| s == &r.id))
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
    let mut findings = rules::run(tt, &refs, report_lang);
    let mut warnings = t.warnings.clone();
    if !t.has_roles() && !warnings.iter().any(|w| w.contains("skipped")) {
        warnings.push(
            "agent and customer could not be told apart: rules that need them are skipped".into(),
        );
    }
    apply_suppressions(t, &mut findings, report_lang);
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

/// Drop suppressed findings; report suppressions that matched nothing.
fn apply_suppressions(t: &Transcript, findings: &mut Vec<Finding>, lang: Lang) {
    let mut used_file = vec![false; t.suppressions.len()];
    let mut unused = Vec::new();
    for (ti, turn) in t.turns.iter().enumerate() {
        for s in &turn.suppressions {
            let before = findings.len();
            findings.retain(|f| !(f.rule == s.rule && f.turn == ti + 1));
            if findings.len() == before {
                unused.push((s.clone(), ti));
            }
        }
    }
    for (i, s) in t.suppressions.iter().enumerate() {
        let before = findings.len();
        findings.retain(|f| f.rule != s.rule);
        used_file[i] = findings.len() != before;
    }
    for (i, s) in t.suppressions.iter().enumerate() {
        if !used_file[i] {
            unused.push((s.clone(), 0));
        }
    }
    for (s, ti) in unused {
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
            severity: Severity::Warning,
            turn: ti + 1,
            line: Some(s.line),
            speaker: Role::Unknown,
            quote: format!(
                "# callcoach: {} {}",
                if s.whole_file {
                    "ignore-file"
                } else {
                    "ignore"
                },
                s.rule
            ),
            message,
            advice,
        });
    }
    findings.sort_by(|a, b| {
        (a.turn, a.severity.rank(), &a.rule).cmp(&(b.turn, b.severity.rank(), &b.rule))
    });
}

fn strengths(tt: &TaggedTranscript) -> Vec<Strength> {
    let mut out = Vec::new();
    for t in tt.turns.iter().filter(|t| t.role == Role::Agent) {
        for (act, name) in [
            (Act::Probe, "probe"),
            (Act::Summary, "summary"),
            (Act::Acknowledgement, "acknowledgement"),
        ] {
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
