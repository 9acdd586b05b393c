//! `callcoach review`: the coaching report a person reads — the moments of the call in
//! order, each finding with its quote and concrete advice, what went well, and the numbers.

use super::style::Style;
use crate::analysis::Analysis;
use crate::transcript::{Kind, Lang};
use std::fmt::Write;

struct Labels {
    title: &'static str,
    coaching_title: &'static str,
    score: &'static str,
    moments: &'static str,
    need: &'static str,
    first_solution: &'static str,
    went_well: &'static str,
    nothing_well: &'static str,
    clean: &'static str,
    numbers: &'static str,
    talk_share: &'static str,
    questions: &'static str,
    probes: &'static str,
    monologue: &'static str,
    words: &'static str,
    acks: &'static str,
    resistance: &'static str,
    turn: &'static str,
    line: &'static str,
    note: &'static str,
    advice: &'static str,
    diagnose: &'static str,
    probe: &'static str,
    summary: &'static str,
    acknowledgement: &'static str,
    diagnosis: &'static str,
    talk_share_leader: &'static str,
    factual: &'static str,
}

const NL: Labels = Labels {
    title: "Coachingsrapport",
    coaching_title: "Coachingsrapport voor de teamleider",
    score: "Score",
    moments: "Het gesprek, moment voor moment",
    need: "hulpvraag van de klant",
    first_solution: "eerste oplossing",
    went_well: "Wat goed ging",
    nothing_well: "Geen doorvraag, samenvatting of erkenning gevonden.",
    clean: "Geen valkuilen gevonden. Goed gedaan.",
    numbers: "Cijfers",
    talk_share: "spreektijd medewerker",
    questions: "vragen (open/gesloten/verificatie)",
    probes: "doorvragen",
    monologue: "langste monoloog",
    words: "woorden",
    acks: "erkenningen",
    resistance: "beurten met weerstand",
    turn: "beurt",
    line: "regel",
    note: "let op",
    advice: "advies",
    diagnose: "Stel eerst de diagnose: is het willen, kunnen of snappen? Vraag ernaar voordat je afspraken maakt.",
    probe: "doorvraag",
    summary: "samenvatting",
    acknowledgement: "erkenning",
    diagnosis: "diagnosevraag",
    talk_share_leader: "spreektijd leidinggevende",
    factual: "Zuiver feitelijke vraag: samenvatten en doorvragen zijn hier niet nodig.",
};

const EN: Labels = Labels {
    title: "Coaching report",
    coaching_title: "Coaching report for the team leader",
    score: "Score",
    moments: "The call, moment by moment",
    need: "the customer's need",
    first_solution: "first solution",
    went_well: "What went well",
    nothing_well: "No probe, summary or acknowledgement found.",
    clean: "No pitfalls found. Well done.",
    numbers: "Numbers",
    talk_share: "agent talk share",
    questions: "questions (open/closed/verification)",
    probes: "probes",
    monologue: "longest monologue",
    words: "words",
    acks: "acknowledgements",
    resistance: "turns with resistance",
    turn: "turn",
    line: "line",
    note: "note",
    advice: "advice",
    diagnose:
        "Diagnose first: is it will, skill or understanding? Ask before you agree on actions.",
    probe: "probe",
    summary: "summary",
    acknowledgement: "acknowledgement",
    diagnosis: "diagnosis question",
    talk_share_leader: "leader talk share",
    factual: "A pure factual question: no summary or follow-up needed here.",
};

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

pub fn render(a: &Analysis, style: Style) -> String {
    let l = labels(a.report_language);
    let mut out = String::new();
    let title = if a.kind == Kind::Coaching {
        l.coaching_title
    } else {
        l.title
    };
    let _ = writeln!(out, "{} — {}", style.bold(title), style.bold(&a.source));
    let _ = writeln!(
        out,
        "{}",
        style.dim(&format!(
            "{} · {} · {} turns · roles: {} · format: {}",
            a.language.as_str(),
            a.kind.as_str(),
            a.turns,
            a.roles.as_str(),
            a.format
        ))
    );
    for w in &a.warnings {
        let _ = writeln!(out, "{} {}", style.yellow(&format!("{}:", l.note)), w);
    }
    let parts: Vec<String> = a
        .score
        .parts
        .iter()
        .map(|p| format!("{} {}/{}", p.name, p.points, p.max))
        .collect();
    let _ = writeln!(
        out,
        "\n{} {}/100  ({})",
        style.bold(l.score),
        style.bold(&a.score.total.to_string()),
        parts.join(", ")
    );
    if a.kind == Kind::Coaching && !a.findings.is_empty() {
        let _ = writeln!(out, "{}", l.diagnose);
    }
    if a.factual {
        let _ = writeln!(out, "{}", l.factual);
    }

    let _ = writeln!(out, "\n{}", style.bold(l.moments));
    // Moments: the need, the first solution, and every finding, in turn order.
    let mut moments: Vec<(usize, u8, String)> = Vec::new();
    if let Some(n) = a.need_turn {
        moments.push((n, 0, format!("  {} {n}: {}", l.turn, style.dim(l.need))));
    }
    if let Some(s) = a.first_solution_turn {
        moments.push((
            s,
            1,
            format!("  {} {s}: {}", l.turn, style.dim(l.first_solution)),
        ));
    }
    // Findings at the same turn and quote are one moment: the quote once, then each
    // finding with its advice (advice already given at this moment is not repeated).
    let mut i = 0;
    while i < a.findings.len() {
        let f = &a.findings[i];
        let line = f
            .line
            .map(|x| format!(" ({} {x})", l.line))
            .unwrap_or_default();
        let mut m = format!("  {} {}{}: \"{}\"", l.turn, f.turn, line, f.quote);
        let mut given: Vec<&str> = Vec::new();
        let mut j = i;
        while j < a.findings.len() && a.findings[j].turn == f.turn && a.findings[j].quote == f.quote
        {
            let g = &a.findings[j];
            let _ = write!(
                m,
                "\n      {} {} — {}",
                style.severity(g.severity),
                style.bold(&g.rule),
                g.message
            );
            if !g.advice.is_empty() && !given.contains(&g.advice.as_str()) {
                let _ = write!(
                    m,
                    "\n        {} {}",
                    style.green(&format!("→ {}:", l.advice)),
                    g.advice
                );
                given.push(&g.advice);
            }
            j += 1;
        }
        moments.push((f.turn, 2 + (i.min(250) as u8), m));
        i = j;
    }
    moments.sort_by_key(|x| (x.0, x.1));
    for (_, _, m) in &moments {
        let _ = writeln!(out, "{m}");
    }
    if a.findings.is_empty() {
        let _ = writeln!(out, "  {}", style.green(l.clean));
    }

    let _ = writeln!(out, "\n{}", style.bold(l.went_well));
    if a.strengths.is_empty() {
        let _ = writeln!(out, "  {}", l.nothing_well);
    }
    for s in &a.strengths {
        let name = match s.act {
            "probe" => l.probe,
            "summary" => l.summary,
            "diagnosis" => l.diagnosis,
            _ => l.acknowledgement,
        };
        let _ = writeln!(
            out,
            "  {} {} {}: {} — \"{}\"",
            style.green("✓"),
            l.turn,
            s.turn,
            name,
            s.quote
        );
    }

    let m = &a.metrics;
    let _ = writeln!(out, "\n{}", style.bold(l.numbers));
    if let Some(x) = m.agent_talk_share_words {
        let time = m
            .agent_talk_share_time
            .map(|t| format!(", {} ⏱", pct(t)))
            .unwrap_or_default();
        let label = if a.kind == Kind::Coaching {
            l.talk_share_leader
        } else {
            l.talk_share
        };
        let _ = writeln!(out, "  {}: {}{}", label, pct(x), time);
    }
    let _ = writeln!(
        out,
        "  {}: {}/{}/{} · {}: {}",
        l.questions,
        m.questions_open,
        m.questions_closed,
        m.verification_questions,
        l.probes,
        m.probes
    );
    let secs = m
        .longest_monologue_seconds
        .map(|s| format!(", {s:.0} s"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {}: {} {}{} · {}: {} · {}: {}",
        l.monologue,
        m.longest_monologue_words,
        l.words,
        secs,
        l.acks,
        m.acknowledgements,
        l.resistance,
        m.resistance_turns
    );
    out
}
