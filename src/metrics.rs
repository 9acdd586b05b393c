//! Per-call metrics: talk share, questions, when the first probe, summary and solution
//! came, the longest agent monologue, acknowledgements and resistance.

use crate::acts::{Act, TaggedTranscript};
use crate::transcript::Role;
use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Metrics {
    /// Agent words / (agent + customer words), 0..1.
    pub agent_talk_share_words: Option<f64>,
    /// Agent seconds / (agent + customer seconds), where turns have times.
    pub agent_talk_share_time: Option<f64>,
    pub agent_words: usize,
    pub customer_words: usize,
    pub questions_open: usize,
    pub questions_closed: usize,
    pub probes: usize,
    pub verification_questions: usize,
    /// 1-based turns.
    pub first_probe_turn: Option<usize>,
    pub first_summary_turn: Option<usize>,
    pub first_solution_turn: Option<usize>,
    /// Seconds from the start of the call.
    pub first_probe_time: Option<f64>,
    pub first_summary_time: Option<f64>,
    pub first_solution_time: Option<f64>,
    pub longest_monologue_words: usize,
    pub longest_monologue_seconds: Option<f64>,
    pub acknowledgements: usize,
    pub resistance_turns: usize,
    /// Resistance still shows in the last third of the call's turns.
    pub resistance_in_last_third: bool,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Seconds a turn lasts: its end, else the next turn's start.
fn duration(tt: &TaggedTranscript, i: usize) -> Option<f64> {
    let turns = &tt.transcript.turns;
    let start = turns[i].start?;
    let end = turns[i]
        .end
        .or_else(|| turns.get(i + 1).and_then(|n| n.start))?;
    (end >= start).then_some(end - start)
}

pub fn compute(tt: &TaggedTranscript) -> Metrics {
    let mut m = Metrics::default();
    let (mut agent_secs, mut customer_secs, mut timed) = (0.0, 0.0, false);
    let after_need = tt.need.unwrap_or(0);
    // In a coaching conversation the leader is the one coached; the agent is the other side.
    let (focal, other) = match tt.kind {
        crate::transcript::Kind::Coaching => (Role::Leader, Role::Agent),
        crate::transcript::Kind::Call => (Role::Agent, Role::Customer),
    };
    for t in &tt.turns {
        let secs = duration(tt, t.index);
        let start = tt.transcript.turns[t.index].start;
        match t.role {
            r if r == focal => {
                m.agent_words += t.words;
                if let Some(s) = secs {
                    agent_secs += s;
                    timed = true;
                }
                // Sentence-level question forms.
                for (si, s) in t.sentences.iter().enumerate() {
                    if !s.question {
                        continue;
                    }
                    let in_s = |a: Act| t.tags.iter().any(|x| x.sentence == si && x.act == a);
                    if in_s(Act::Verification) {
                        m.verification_questions += 1;
                    } else if in_s(Act::QuestionOpen) {
                        m.questions_open += 1;
                    } else {
                        m.questions_closed += 1;
                    }
                }
                let probe_act = if focal == Role::Leader {
                    Act::Diagnosis
                } else {
                    Act::Probe
                };
                let probes = t.tags.iter().filter(|x| x.act == probe_act).count();
                m.probes += probes;
                m.acknowledgements += t
                    .tags
                    .iter()
                    .filter(|x| x.act == Act::Acknowledgement)
                    .count();
                if t.index >= after_need {
                    if probes > 0 && m.first_probe_turn.is_none() {
                        m.first_probe_turn = Some(t.index + 1);
                        m.first_probe_time = start;
                    }
                    if t.has(Act::Summary) && m.first_summary_turn.is_none() {
                        m.first_summary_turn = Some(t.index + 1);
                        m.first_summary_time = start;
                    }
                }
                if t.words > m.longest_monologue_words {
                    m.longest_monologue_words = t.words;
                }
                if let Some(s) = secs {
                    if m.longest_monologue_seconds.is_none_or(|x| s > x) {
                        m.longest_monologue_seconds = Some(round3(s));
                    }
                }
            }
            r if r == other => {
                m.customer_words += t.words;
                if let Some(s) = secs {
                    customer_secs += s;
                    timed = true;
                }
                if t.has(Act::Resistance) {
                    m.resistance_turns += 1;
                    if t.index * 3 >= tt.turns.len() * 2 {
                        m.resistance_in_last_third = true;
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(fs) = tt.first_solution() {
        m.first_solution_turn = Some(fs + 1);
        m.first_solution_time = tt.transcript.turns[fs].start;
    }
    let total = m.agent_words + m.customer_words;
    if total > 0 {
        m.agent_talk_share_words = Some(round3(m.agent_words as f64 / total as f64));
    }
    if timed && agent_secs + customer_secs > 0.0 {
        m.agent_talk_share_time = Some(round3(agent_secs / (agent_secs + customer_secs)));
    }
    m
}
