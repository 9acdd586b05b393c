//! Coaching conversations between a team leader and an agent: diagnose first (will, skill
//! or understanding), do not label or push; and the agent's quick agreement.

use super::{Hit, RuleSpec};
use crate::acts::{Act, TaggedTranscript};
use crate::transcript::Role;

pub fn leader_jumps_to_solution(tt: &TaggedTranscript, _: &RuleSpec) -> Vec<Hit> {
    for t in tt.turns.iter().filter(|t| t.role == Role::Leader) {
        let diag = t.first(Act::Diagnosis).map(|x| x.pos());
        let prop = t.first(Act::Proposal).map(|x| x.pos());
        match (diag, prop) {
            (Some(d), Some(p)) if d < p => return vec![],
            (Some(_), None) => return vec![],
            (_, Some(_)) => {
                let s = t.first(Act::Proposal).map(|x| x.sentence);
                return vec![Hit::at(t.index, s)];
            }
            (None, None) => {}
        }
    }
    vec![]
}

pub fn leader_labelling(tt: &TaggedTranscript, _: &RuleSpec) -> Vec<Hit> {
    tt.turns
        .iter()
        .filter(|t| t.role == Role::Leader)
        .find_map(|t| {
            t.first(Act::Labelling)
                .map(|x| Hit::at(t.index, Some(x.sentence)))
        })
        .into_iter()
        .collect()
}

pub fn leader_pressure(tt: &TaggedTranscript, _: &RuleSpec) -> Vec<Hit> {
    let mut rebuttals = 0;
    for t in tt.turns.iter().filter(|t| t.role == Role::Leader) {
        if let Some(x) = t.first(Act::Pressure) {
            return vec![Hit::at(t.index, Some(x.sentence))];
        }
        // Arguing on with "maar…"/"but…" turn after turn.
        if let Some(x) = t.first(Act::Rebuttal) {
            rebuttals += 1;
            if rebuttals >= 2 {
                return vec![Hit::at(t.index, Some(x.sentence))];
            }
        }
    }
    vec![]
}

pub fn agent_quick_agreement(tt: &TaggedTranscript, _: &RuleSpec) -> Vec<Hit> {
    // The leader has pushed a plan (a proposal, or pressure) and the agent has not shaped
    // it with a condition or an idea of their own.
    let mut pushed = false;
    let mut shaped = false;
    let mut argued = false;
    for t in &tt.turns {
        match t.role {
            // A proposal that takes up the agent's own idea ("Goed idee. Zullen we
            // afspreken dat ...") is not the leader's plan pushed on the agent.
            Role::Leader
                if t.has(Act::Pressure) || (t.has(Act::Proposal) && !t.has(Act::Endorsement)) =>
            {
                pushed = true
            }
            Role::Agent => {
                // A condition shapes the plan; so does arguing at some length against it,
                // unless the agent then agrees in order to leave.
                if t.has(Act::Condition) {
                    shaped = true;
                }
                if pushed && t.words >= 12 && !t.has(Act::Agreement) {
                    argued = true;
                }
                // Agreeing while asking to leave is quick agreement whatever came before;
                // otherwise it needs a plan pushed by the leader.
                let leaving = t.has(Act::EndTalk);
                if shaped || (argued && !leaving) || (!pushed && !leaving) {
                    continue;
                }
                if let Some(a) = t.first(Act::Agreement) {
                    // Asking back ("can I ask what prompted that?") is not agreeing. An
                    // agreement that opens the turn counts however the turn goes on.
                    let asks = t.sentences.iter().any(|s| s.question);
                    let opens = a.sentence == 0
                        && t.sentences[0].norm.split_whitespace().count() <= 10
                        && !t.sentences[0].question;
                    if t.has(Act::EndTalk)
                        || ((t.words <= 14 || opens) && !t.has(Act::Rebuttal) && !asks)
                    {
                        return vec![Hit::at(t.index, Some(a.sentence))];
                    }
                }
            }
            _ => {}
        }
    }
    vec![]
}
