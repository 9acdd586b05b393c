//! Rules: the rule files in `rules/*.toml` (id, severity, messages, documentation,
//! examples) and the detectors that implement them, one file per detector.
//! A detector knows the order of things, not words: words live in the lexicon packs.

mod coaching;
mod core;
mod further;
pub mod pattern;
pub mod spec;

pub use spec::{RuleDoc, RuleExample, RuleSpec, Severity};

use crate::acts::TaggedTranscript;
use crate::transcript::{Kind, Lang, Role};
use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::path::Path;

/// Where a detector says its rule applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// 0-based turn index.
    pub turn: usize,
    /// Sentence in that turn to quote (None: the whole turn).
    pub sentence: Option<usize>,
}

impl Hit {
    pub fn at(turn: usize, sentence: Option<usize>) -> Hit {
        Hit { turn, sentence }
    }
}

/// A detector: the logic behind one or more rule files.
pub type Detector = fn(&TaggedTranscript, &RuleSpec) -> Vec<Hit>;

/// The registry: detector name (as in a rule file's `detector = "..."`) to function.
pub fn detector(name: &str) -> Option<Detector> {
    Some(match name {
        "premature-solving" => core::premature_solving,
        "missing-summary" => core::missing_summary,
        "missing-follow-up" => core::missing_follow_up,
        "flight-reaction" => core::flight_reaction,
        "unheard-customer" => further::unheard_customer,
        "manager-request-deflected" => further::manager_request_deflected,
        "repeated-handoff" => further::repeated_handoff,
        "leader-jumps-to-solution" => coaching::leader_jumps_to_solution,
        "leader-labelling" => coaching::leader_labelling,
        "leader-pressure" => coaching::leader_pressure,
        "agent-quick-agreement" => coaching::agent_quick_agreement,
        "pattern" => pattern::detect,
        _ => return None,
    })
}

/// One finding, as the reports show it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// 1-based turn.
    pub turn: usize,
    pub line: Option<usize>,
    pub speaker: Role,
    pub quote: String,
    pub message: String,
    pub advice: String,
}

/// The built-in rule files, embedded at build time (see build.rs).
const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A loaded, validated set of rules.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub rules: Vec<RuleSpec>,
}

impl RuleSet {
    /// The rules shipped in the binary.
    pub fn builtin() -> RuleSet {
        let mut rules: Vec<RuleSpec> = BUILTIN
            .iter()
            .map(|(name, text)| {
                RuleSpec::parse(text, &format!("rules/{name}"))
                    .expect("built-in rule files are valid (tested)")
            })
            .collect();
        rules.sort_by_key(|a| a.order_key());
        RuleSet { rules }
    }

    /// Check every built-in rule file parses; for tests and `rules test`.
    pub fn check_builtin() -> Result<RuleSet> {
        let mut rules = Vec::new();
        for (name, text) in BUILTIN {
            rules.push(RuleSpec::parse(text, &format!("rules/{name}"))?);
        }
        rules.sort_by_key(|a| a.order_key());
        Ok(RuleSet { rules })
    }

    /// Add (or override by id) the rule files of a folder.
    pub fn add_dir(&mut self, dir: &Path) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("{}: cannot read rule folder", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        entries.sort();
        if entries.is_empty() {
            bail!("{}: no rule files (*.toml) in this folder", dir.display());
        }
        for path in entries {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            let spec = RuleSpec::parse(&text, &path.display().to_string())?;
            match self.rules.iter_mut().find(|r| r.id == spec.id) {
                Some(r) => *r = spec,
                None => self.rules.push(spec),
            }
        }
        self.rules.sort_by_key(|a| a.order_key());
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&RuleSpec> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.rules.iter().map(|r| r.id.as_str()).collect()
    }

    /// Fail on an unknown rule id (typos in `--select`, headers, suppressions).
    pub fn check_id(&self, id: &str) -> Result<()> {
        if self.get(id).is_none() {
            bail!("unknown rule '{id}' (known: {})", self.ids().join(", "));
        }
        Ok(())
    }
}

/// Run the rules that apply to this transcript's kind; findings in turn order.
/// `advice`: write each finding's advice (else it stays empty).
pub fn run(
    tt: &TaggedTranscript,
    rules: &[&RuleSpec],
    report_lang: Lang,
    advice: bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let roles_known = tt.transcript.has_roles();
    for spec in rules {
        if spec.kind != tt.kind {
            continue;
        }
        if !roles_known {
            // Without agent and customer every rule would guess; they are skipped with
            // one warning (see formats::roles).
            continue;
        }
        let Some(det) = detector(&spec.detector) else {
            continue;
        };
        for hit in det(tt, spec) {
            out.push(make_finding(tt, spec, &hit, report_lang, advice));
        }
    }
    out.sort_by(|a, b| {
        (a.turn, a.severity.rank(), &a.rule).cmp(&(b.turn, b.severity.rank(), &b.rule))
    });
    out
}

fn make_finding(
    tt: &TaggedTranscript,
    spec: &RuleSpec,
    hit: &Hit,
    lang: Lang,
    advice: bool,
) -> Finding {
    let turn = &tt.turns[hit.turn];
    let src = &tt.transcript.turns[hit.turn];
    let quote = match hit.sentence {
        Some(s) if s < turn.sentences.len() => turn.sentences[s].text.to_string(),
        _ => src.text.clone(),
    };
    let advice = if advice {
        crate::advice::advice_for(tt, spec, hit, lang)
    } else {
        String::new()
    };
    Finding {
        rule: spec.id.clone(),
        severity: spec.severity,
        turn: hit.turn + 1,
        line: src.line,
        speaker: turn.role,
        quote: shorten(&quote, 220),
        message: spec.message(lang).to_string(),
        advice,
    }
}

/// Cut a quote at a word boundary, with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for w in s.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.push('…');
    out
}

/// Turns of one role from `from` (inclusive).
pub fn role_turns<'t>(
    tt: &'t TaggedTranscript,
    role: Role,
) -> impl Iterator<Item = &'t crate::acts::TaggedTurn<'t>> {
    tt.turns.iter().filter(move |t| t.role == role)
}

/// Kind names, for rule files.
pub fn kind_of(s: &str) -> Option<Kind> {
    match s {
        "call" => Some(Kind::Call),
        "coaching" => Some(Kind::Coaching),
        _ => None,
    }
}
