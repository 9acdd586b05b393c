//! Metrics and score on hand-computed examples, with and without timestamps.

use callcoach::analysis::{analyze, Options};
use callcoach::formats::{parse_bytes, ReadOptions};
use callcoach::rules::RuleSet;

const TIMED: &str = "\
[00:00:00] Agent: Goedemorgen, u spreekt met Sanne. Waarmee kan ik u helpen?
[00:00:05] Klant: Mijn internet valt elke avond weg en ik ben het zat!
[00:00:12] Agent: Dat is vervelend. Sinds wanneer speelt dit?
[00:00:20] Klant: Sinds vorige week.
[00:00:25] Agent: Als ik het goed begrijp valt uw internet sinds vorige week elke avond weg, klopt dat?
[00:00:35] Klant: Ja.
[00:00:37] Agent: Dan stuur ik een monteur.
[00:00:45] Klant: Fijn.
";

fn run(text: &str) -> callcoach::analysis::Analysis {
    let t = parse_bytes(text.as_bytes(), "m.txt", &ReadOptions::default()).unwrap();
    let set = RuleSet::builtin();
    let opts = Options::default();
    analyze(&t[0], &opts.active_rules(&set), &opts)
}

#[test]
fn metrics_with_timestamps() {
    let a = run(TIMED);
    let m = &a.metrics;
    // Words: agent 10 + 7 + 16 + 5 = 38, customer 11 + 3 + 1 + 1 = 16.
    assert_eq!((m.agent_words, m.customer_words), (38, 16));
    assert_eq!(m.agent_talk_share_words, Some(0.704));
    // Seconds (a turn lasts until the next starts): agent 5 + 8 + 10 + 8 = 31,
    // customer 7 + 5 + 2 = 14 (the last turn has no end).
    assert_eq!(m.agent_talk_share_time, Some(0.689));
    // "Waarmee kan ik u helpen?" and "Sinds wanneer speelt dit?" are open; the summary's
    // check is a closed question form; none is verification; one probe.
    assert_eq!(
        (
            m.questions_open,
            m.questions_closed,
            m.verification_questions
        ),
        (2, 1, 0)
    );
    assert_eq!(m.probes, 1);
    assert_eq!(
        (m.first_probe_turn, m.first_probe_time),
        (Some(3), Some(12.0))
    );
    assert_eq!(
        (m.first_summary_turn, m.first_summary_time),
        (Some(5), Some(25.0))
    );
    assert_eq!(
        (m.first_solution_turn, m.first_solution_time),
        (Some(7), Some(37.0))
    );
    assert_eq!(m.longest_monologue_words, 16);
    assert_eq!(m.longest_monologue_seconds, Some(10.0));
    assert_eq!(m.acknowledgements, 1);
    assert_eq!(m.resistance_turns, 1);
    assert!(!m.resistance_in_last_third);
    // No findings; the only deduction is the agent's talk share above 70%.
    assert!(a.findings.is_empty(), "{:?}", a.findings);
    assert_eq!(a.score.total, 95);
    let process = a.score.parts.iter().find(|p| p.name == "process").unwrap();
    assert_eq!((process.points, process.max), (25, 30));
}

#[test]
fn metrics_without_timestamps() {
    let plain: String = TIMED
        .lines()
        .map(|l| l.split_once("] ").unwrap().1.to_string() + "\n")
        .collect();
    let m = run(&plain).metrics;
    assert_eq!(m.agent_talk_share_words, Some(0.704));
    assert_eq!(m.agent_talk_share_time, None);
    assert_eq!(m.first_probe_turn, Some(3));
    assert_eq!(m.first_probe_time, None);
    assert_eq!(m.longest_monologue_seconds, None);
    assert_eq!(m.longest_monologue_words, 16);
}

#[test]
fn score_parts_follow_the_findings() {
    // An instant fix to a furious opening: the four core rules at once.
    let a = run("Agent: Goedemiddag, met Dennis.\nKlant: Ik bel voor de derde keer, mijn internet valt weg en ik ben het echt zat!\nAgent: Ik stuur morgen een monteur.\n");
    let rules: Vec<&str> = a.findings.iter().map(|f| f.rule.as_str()).collect();
    for r in [
        "premature-solving",
        "missing-summary",
        "missing-follow-up",
        "flight-reaction",
    ] {
        assert!(rules.contains(&r), "{rules:?}");
    }
    let part = |n: &str| a.score.parts.iter().find(|p| p.name == n).unwrap().points;
    assert_eq!(part("understanding"), 40 - 15 - 10 - 10);
    assert_eq!(part("emotion"), 30 - 15);
    assert_eq!(
        a.score.total,
        part("understanding") + part("emotion") + part("process")
    );
}
