//! The call score: 0–100 from three named parts, each a budget that findings spend.
//! Simple on purpose, so an agent can see why a call got a 62 (the README gives the table).

use crate::metrics::Metrics;
use crate::rules::Finding;
use crate::transcript::Kind;
use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Score {
    pub total: u32,
    /// Call: understanding / emotion / process. Coaching: diagnosis / respect / commitment.
    pub parts: Vec<ScorePart>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ScorePart {
    pub name: &'static str,
    pub points: u32,
    pub max: u32,
}

/// (part, max points, [(rule or metric, penalty)])
type Budget = (&'static str, u32, &'static [(&'static str, u32)]);

pub const CALL_PARTS: &[Budget] = &[
    (
        "understanding",
        40,
        &[
            ("premature-solving", 15),
            ("missing-summary", 10),
            ("missing-follow-up", 10),
        ],
    ),
    (
        "emotion",
        30,
        &[
            ("flight-reaction", 15),
            ("unheard-customer", 10),
            ("manager-request-deflected", 10),
        ],
    ),
    (
        "process",
        30,
        &[
            ("repeated-handoff", 10),
            ("hurried-handling", 10),
            ("talk-share-over-70%", 5),
            ("monologue-over-120-words", 5),
        ],
    ),
];

pub const COACHING_PARTS: &[Budget] = &[
    ("diagnosis", 40, &[("leader-jumps-to-solution", 30)]),
    (
        "respect",
        30,
        &[("leader-labelling", 20), ("leader-pressure", 10)],
    ),
    ("commitment", 30, &[("agent-quick-agreement", 20)]),
];

pub fn compute(findings: &[Finding], m: &Metrics, kind: Kind) -> Score {
    let budgets = match kind {
        Kind::Call => CALL_PARTS,
        Kind::Coaching => COACHING_PARTS,
    };
    let hit = |name: &str| match name {
        "talk-share-over-70%" => m.agent_talk_share_words.is_some_and(|s| s > 0.7),
        "monologue-over-120-words" => m.longest_monologue_words > 120,
        rule => findings.iter().any(|f| f.rule == rule),
    };
    let parts: Vec<ScorePart> = budgets
        .iter()
        .map(|(name, max, penalties)| {
            let lost: u32 = penalties
                .iter()
                .filter(|(p, _)| hit(p))
                .map(|(_, n)| n)
                .sum();
            ScorePart {
                name,
                points: max.saturating_sub(lost),
                max: *max,
            }
        })
        .collect();
    Score {
        total: parts.iter().map(|p| p.points).sum(),
        parts,
    }
}
