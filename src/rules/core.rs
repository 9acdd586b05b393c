//! The four core rules: premature solving, missing summary, missing follow-up question,
//! and the flight reaction. They read only the order of tagged acts.

use super::{Hit, RuleSpec};
use crate::acts::{Act, TaggedTranscript, TaggedTurn};
use crate::transcript::Role;

/// The first solution: its turn and the sentence of the solution in it.
fn first_solution(tt: &TaggedTranscript) -> Option<(usize, usize)> {
    let i = tt.first_solution()?;
    let s = tt.turns[i].first(Act::Solution)?.sentence;
    Some((i, s))
}

/// Did the agent take an understanding step (`act`) after the need and before the first
/// solution (in earlier turns, or earlier in the solution's own turn)?
fn before_first_solution(tt: &TaggedTranscript, act: Act) -> bool {
    let Some(need) = tt.need else { return true };
    match tt.first_solution() {
        Some(fs) => {
            let sol = tt.turns[fs]
                .first(Act::Solution)
                .map(|t| t.pos())
                .unwrap_or((0, 0));
            tt.turns[need + 1..fs]
                .iter()
                .any(|t| t.role == Role::Agent && t.has(act))
                || tt.turns[fs].has_before(act, sol)
        }
        None => tt.turns[need + 1..]
            .iter()
            .any(|t| t.role == Role::Agent && t.has(act)),
    }
}

/// Where a missing understanding step is pointed at: the first solution, else the last agent turn.
fn missing_at(tt: &TaggedTranscript) -> Option<Hit> {
    if let Some((i, s)) = first_solution(tt) {
        return Some(Hit::at(i, Some(s)));
    }
    let need = tt.need?;
    tt.turns
        .iter()
        .rev()
        .find(|t| t.role == Role::Agent && t.index > need)
        .map(|t| Hit::at(t.index, None))
}

/// Do the understanding rules apply at all? Not without a need statement, nor for a
/// pure factual question.
fn understanding_applies(tt: &TaggedTranscript) -> bool {
    tt.need.is_some() && !tt.factual
}

pub fn premature_solving(tt: &TaggedTranscript, _: &RuleSpec) -> Vec<Hit> {
    if !understanding_applies(tt) {
        return vec![];
    }
    let Some((i, s)) = first_solution(tt) else {
        return vec![];
    };
    if before_first_solution(tt, Act::Probe) || before_first_solution(tt, Act::Summary) {
        return vec![];
    }
    vec![Hit::at(i, Some(s))]
}

pub fn missing_summary(tt: &TaggedTranscript, _: &RuleSpec) -> Vec<Hit> {
    if !understanding_applies(tt) || before_first_solution(tt, Act::Summary) {
        return vec![];
    }
    missing_at(tt).into_iter().collect()
}

pub fn missing_follow_up(tt: &TaggedTranscript, _: &RuleSpec) -> Vec<Hit> {
    if !understanding_applies(tt) || before_first_solution(tt, Act::Probe) {
        return vec![];
    }
    missing_at(tt).into_iter().collect()
}

/// Agent turns that only verify, hold, look up or say "okay" are passed over.
pub fn does_more(t: &TaggedTurn) -> bool {
    t.tags.iter().any(|x| {
        matches!(
            x.act,
            Act::Solution
                | Act::Acknowledgement
                | Act::Probe
                | Act::Summary
                | Act::Refusal
                | Act::Handoff
                | Act::NextStep
        )
    })
}

/// The first agent turn after turn `i` that does more than verify or hold.
pub fn next_real_agent_turn<'a>(tt: &'a TaggedTranscript, i: usize) -> Option<&'a TaggedTurn<'a>> {
    tt.turns[i + 1..]
        .iter()
        .filter(|t| t.role == Role::Agent)
        .find(|t| does_more(t))
}

pub fn flight_reaction(tt: &TaggedTranscript, _: &RuleSpec) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    for c in tt
        .turns
        .iter()
        .filter(|t| t.role == Role::Customer && t.has(Act::Resistance))
    {
        let Some(a) = next_real_agent_turn(tt, c.index) else {
            continue;
        };
        let Some(sol) = a.first(Act::Solution) else {
            continue;
        };
        let pos = sol.pos();
        // A refusal without a fix ends the check (no solution, above); one followed by a
        // fix is no understanding step ("There's no need for a supervisor. I'm sending
        // you a box.").
        let understood = [Act::Acknowledgement, Act::Probe, Act::Summary, Act::Handoff]
            .iter()
            .any(|&act| a.has_before(act, pos));
        if !understood && !hits.iter().any(|h| h.turn == a.index) {
            hits.push(Hit::at(a.index, Some(sol.sentence)));
        }
    }
    hits
}
