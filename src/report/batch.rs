//! `callcoach score`: one row per call, and the aggregates a team leader reads (per agent,
//! per ISO week, for the team). Rows are small and are dropped once printed; aggregates
//! hold counters only (scores as a 0–100 histogram), so memory does not grow with the
//! number of calls. The dashboard's drill-down keeps a bounded heap of the calls to
//! listen to first.

use crate::analysis::Analysis;
use crate::rules::Severity;
use crate::transcript::{Kind, Lang};
use std::collections::{BTreeMap, BinaryHeap};

/// Every score part name, calls first, in column order.
pub const PART_NAMES: [&str; 6] = [
    "understanding",
    "emotion",
    "process",
    "diagnosis",
    "respect",
    "commitment",
];

/// The agent when nobody knows.
pub const UNKNOWN_AGENT: &str = "unknown";

/// A finding as the dashboard shows it.
#[derive(Debug, Clone)]
pub struct DrillFinding {
    pub rule: String,
    pub severity: Severity,
    pub turn: usize,
    pub quote: String,
    pub message: String,
    pub advice: String,
}

/// One call (or one input that failed).
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// Where it came from: a path, or path:LINE for a JSON Lines record.
    pub source: String,
    pub id: Option<String>,
    pub agent: String,
    /// `YYYY-MM-DD` when the date could be read as one, else as written.
    pub date: Option<String>,
    pub language: Option<Lang>,
    pub kind: Option<Kind>,
    pub turns: usize,
    pub error: Option<String>,
    pub score: Option<u32>,
    /// Points per part, indexed like [`PART_NAMES`] (None for the other kind's parts).
    pub parts: [Option<u32>; 6],
    /// Findings per rule, indexed like the run's rule list.
    pub rule_counts: Vec<u16>,
    pub worst: Option<Severity>,
    pub talk_share: Option<f64>,
    pub probes: usize,
    pub first_solution_turn: Option<usize>,
    pub longest_monologue_words: usize,
    pub resistance_turns: usize,
    /// Kept only for the dashboard (and dropped unless the call is among the lowest).
    pub findings: Option<Vec<DrillFinding>>,
}

impl Row {
    pub fn error(source: String, message: String) -> Row {
        Row {
            source,
            agent: UNKNOWN_AGENT.to_string(),
            error: Some(message),
            ..Default::default()
        }
    }

    /// The row for an analysed call. `rule_ids` fixes the order of `rule_counts`.
    pub fn from_analysis(
        a: &Analysis,
        source: String,
        agent: String,
        date: Option<String>,
        rule_ids: &[String],
        keep_findings: bool,
    ) -> Row {
        let mut counts = vec![0u16; rule_ids.len()];
        let mut worst: Option<Severity> = None;
        for f in &a.findings {
            if let Some(i) = rule_ids.iter().position(|r| *r == f.rule) {
                counts[i] = counts[i].saturating_add(1);
                worst = worst.max(Some(f.severity));
            }
        }
        let mut parts = [None; 6];
        for p in &a.score.parts {
            if let Some(i) = PART_NAMES.iter().position(|n| *n == p.name) {
                parts[i] = Some(p.points);
            }
        }
        let m = &a.metrics;
        Row {
            source,
            id: a.id.clone(),
            agent,
            date,
            language: Some(a.language),
            kind: Some(a.kind),
            turns: a.turns,
            error: None,
            score: Some(a.score.total),
            parts,
            rule_counts: counts,
            worst,
            talk_share: m.agent_talk_share_words,
            probes: m.probes,
            first_solution_turn: m.first_solution_turn,
            longest_monologue_words: m.longest_monologue_words,
            resistance_turns: m.resistance_turns,
            findings: keep_findings.then(|| {
                a.findings
                    .iter()
                    .filter(|f| rule_ids.contains(&f.rule))
                    .map(|f| DrillFinding {
                        rule: f.rule.clone(),
                        severity: f.severity,
                        turn: f.turn,
                        quote: f.quote.clone(),
                        message: f.message.clone(),
                        advice: f.advice.clone(),
                    })
                    .collect()
            }),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Dates

/// Read a date as `YYYY-MM-DD`: `2026-11-02`, `2026/11/02`, `2026-11-02T10:00Z`, `20261102`.
pub fn normalise_date(s: &str) -> Option<String> {
    let s = s.trim();
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    let compact = s.len() >= 8
        && s.is_char_boundary(8)
        && digits(&s[..8])
        && s.get(8..9).is_none_or(|c| !digits(c));
    let head: String = s.chars().take(10).collect();
    let (y, m, d): (&str, &str, &str) = if compact {
        (&s[..4], &s[4..6], &s[6..8])
    } else {
        let mut it = head.split(['-', '/', '.']);
        match (it.next(), it.next(), it.next(), it.next()) {
            (Some(y), Some(m), Some(d), None)
                if y.len() == 4 && digits(y) && digits(m) && digits(d) =>
            {
                (y, m, d)
            }
            _ => return None,
        }
    };
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn year_from_days(z: i64) -> i64 {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + if m <= 2 { 1 } else { 0 }
}

/// The ISO week of a `YYYY-MM-DD` date, as `2026-W45`.
pub fn iso_week(date: &str) -> Option<String> {
    let norm = normalise_date(date)?;
    let y: i64 = norm[..4].parse().ok()?;
    let m: u32 = norm[5..7].parse().ok()?;
    let d: u32 = norm[8..10].parse().ok()?;
    let days = days_from_civil(y, m, d);
    let weekday = (days + 3).rem_euclid(7); // Monday = 0
    let thursday = days - weekday + 3;
    let iso_year = year_from_days(thursday);
    let week = (thursday - days_from_civil(iso_year, 1, 1)) / 7 + 1;
    Some(format!("{iso_year:04}-W{week:02}"))
}

// ---------------------------------------------------------------------------------------
// Aggregates

/// Counters for a group of calls (an agent, a week, the team).
#[derive(Debug, Clone)]
pub struct Acc {
    pub calls: u64,
    pub errors: u64,
    pub score_sum: u64,
    /// How many calls got each score 0..=100 (for the median and the distribution).
    pub score_hist: [u32; 101],
    /// Calls in which each rule fired at least once.
    pub rule_calls: Vec<u64>,
    /// Findings of each rule.
    pub rule_findings: Vec<u64>,
    /// Sum of points and number of calls with each part.
    pub part_sum: [u64; 6],
    pub part_calls: [u64; 6],
}

impl Acc {
    pub fn new(rules: usize) -> Acc {
        Acc {
            calls: 0,
            errors: 0,
            score_sum: 0,
            score_hist: [0; 101],
            rule_calls: vec![0; rules],
            rule_findings: vec![0; rules],
            part_sum: [0; 6],
            part_calls: [0; 6],
        }
    }

    pub fn add(&mut self, r: &Row) {
        let Some(score) = r.score else {
            self.errors += 1;
            return;
        };
        self.calls += 1;
        let s = score.min(100);
        self.score_sum += s as u64;
        self.score_hist[s as usize] += 1;
        for (i, &n) in r.rule_counts.iter().enumerate() {
            if n > 0 {
                self.rule_calls[i] += 1;
                self.rule_findings[i] += n as u64;
            }
        }
        for (i, p) in r.parts.iter().enumerate() {
            if let Some(p) = p {
                self.part_sum[i] += *p as u64;
                self.part_calls[i] += 1;
            }
        }
    }

    pub fn mean(&self) -> Option<f64> {
        (self.calls > 0).then(|| self.score_sum as f64 / self.calls as f64)
    }

    /// The median score (the mean of the two middle scores for an even count).
    pub fn median(&self) -> Option<f64> {
        if self.calls == 0 {
            return None;
        }
        let nth = |k: u64| -> u32 {
            let mut seen = 0u64;
            for (s, &c) in self.score_hist.iter().enumerate() {
                seen += c as u64;
                if seen > k {
                    return s as u32;
                }
            }
            100
        };
        let n = self.calls;
        Some(if n % 2 == 1 {
            nth(n / 2) as f64
        } else {
            (nth(n / 2 - 1) + nth(n / 2)) as f64 / 2.0
        })
    }

    pub fn min(&self) -> Option<u32> {
        self.score_hist
            .iter()
            .position(|&c| c > 0)
            .map(|s| s as u32)
    }

    pub fn max(&self) -> Option<u32> {
        self.score_hist
            .iter()
            .rposition(|&c| c > 0)
            .map(|s| s as u32)
    }

    /// Share of calls in which rule `i` fired.
    pub fn rate(&self, i: usize) -> f64 {
        if self.calls == 0 {
            0.0
        } else {
            self.rule_calls[i] as f64 / self.calls as f64
        }
    }

    pub fn part_mean(&self, i: usize) -> Option<f64> {
        (self.part_calls[i] > 0).then(|| self.part_sum[i] as f64 / self.part_calls[i] as f64)
    }

    /// Calls per score bucket of ten: 0–9, 10–19, …, 90–100.
    pub fn distribution(&self) -> [u64; 10] {
        let mut out = [0u64; 10];
        for (s, &c) in self.score_hist.iter().enumerate() {
            out[(s / 10).min(9)] += c as u64;
        }
        out
    }
}

/// A call for the dashboard's "listen to these first" list.
#[derive(Debug, Clone)]
pub struct Drill {
    pub seq: u64,
    pub score: u32,
    pub flights: u16,
    pub source: String,
    pub id: Option<String>,
    pub agent: String,
    pub date: Option<String>,
    pub findings: Vec<DrillFinding>,
}

impl Drill {
    /// Larger is less urgent: higher score, then fewer flight reactions, then later.
    fn key(&self) -> (u32, std::cmp::Reverse<u16>, u64) {
        (self.score, std::cmp::Reverse(self.flights), self.seq)
    }
}

impl PartialEq for Drill {
    fn eq(&self, o: &Self) -> bool {
        self.key() == o.key()
    }
}
impl Eq for Drill {}
impl PartialOrd for Drill {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Drill {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.key().cmp(&o.key())
    }
}

/// How calls are grouped in the printed aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum GroupBy {
    #[default]
    Agent,
    /// ISO week of the call's date.
    Date,
    None,
}

/// Everything the batch keeps while rows stream past.
pub struct Aggregates {
    pub rule_ids: Vec<String>,
    pub team: Acc,
    pub agents: BTreeMap<String, Acc>,
    pub weeks: BTreeMap<String, Acc>,
    /// Languages of the scored calls (for the dashboard's default language).
    pub langs: BTreeMap<Lang, u64>,
    /// Bounded: the calls to listen to first.
    drill: BinaryHeap<Drill>,
    drill_limit: usize,
    seq: u64,
    flight_index: Option<usize>,
}

/// The week group for calls without a date.
pub const NO_DATE: &str = "no date";

impl Aggregates {
    pub fn new(rule_ids: Vec<String>, drill_limit: usize) -> Aggregates {
        let n = rule_ids.len();
        let flight_index = rule_ids.iter().position(|r| r == "flight-reaction");
        Aggregates {
            rule_ids,
            team: Acc::new(n),
            agents: BTreeMap::new(),
            weeks: BTreeMap::new(),
            langs: BTreeMap::new(),
            drill: BinaryHeap::new(),
            drill_limit,
            seq: 0,
            flight_index,
        }
    }

    /// Count a row (in output order) and keep its findings if it is among the lowest.
    pub fn add(&mut self, r: &mut Row) {
        let n = self.rule_ids.len();
        self.seq += 1;
        self.team.add(r);
        self.agents
            .entry(r.agent.clone())
            .or_insert_with(|| Acc::new(n))
            .add(r);
        let week = r
            .date
            .as_deref()
            .and_then(iso_week)
            .unwrap_or_else(|| NO_DATE.to_string());
        self.weeks.entry(week).or_insert_with(|| Acc::new(n)).add(r);
        if let Some(l) = r.language.filter(|_| r.score.is_some()) {
            *self.langs.entry(l).or_default() += 1;
        }
        if let (Some(score), Some(findings)) = (r.score, r.findings.take()) {
            // A call without findings has nothing to listen for.
            if self.drill_limit == 0 || findings.is_empty() {
                return;
            }
            let d = Drill {
                seq: self.seq,
                score,
                flights: self.flight_index.map(|i| r.rule_counts[i]).unwrap_or(0),
                source: r.source.clone(),
                id: r.id.clone(),
                agent: r.agent.clone(),
                date: r.date.clone(),
                findings,
            };
            if self.drill.len() < self.drill_limit {
                self.drill.push(d);
            } else if self.drill.peek().is_some_and(|worst| d < *worst) {
                self.drill.pop();
                self.drill.push(d);
            }
        }
    }

    /// The calls to listen to first, most urgent first.
    pub fn drill_list(&self) -> Vec<&Drill> {
        let mut v: Vec<&Drill> = self.drill.iter().collect();
        v.sort();
        v
    }

    /// The groups to print for `by`.
    pub fn groups(&self, by: GroupBy) -> Option<&BTreeMap<String, Acc>> {
        match by {
            GroupBy::Agent => Some(&self.agents),
            GroupBy::Date => Some(&self.weeks),
            GroupBy::None => None,
        }
    }

    /// The majority language of the scored calls (ties: English).
    pub fn majority_lang(&self) -> Lang {
        let nl = self.langs.get(&Lang::Nl).copied().unwrap_or(0);
        let en = self.langs.get(&Lang::En).copied().unwrap_or(0);
        if nl > en {
            Lang::Nl
        } else {
            Lang::En
        }
    }

    /// Rule indices by how often they fire in the team, most frequent first.
    pub fn top_rules(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.rule_ids.len())
            .filter(|&i| self.team.rule_calls[i] > 0)
            .collect();
        v.sort_by(|&a, &b| {
            self.team.rule_calls[b]
                .cmp(&self.team.rule_calls[a])
                .then(a.cmp(&b))
        });
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_iso_weeks() {
        assert_eq!(normalise_date("2026-11-02").as_deref(), Some("2026-11-02"));
        assert_eq!(normalise_date("2026/1/5").as_deref(), Some("2026-01-05"));
        assert_eq!(normalise_date("20261102").as_deref(), Some("2026-11-02"));
        assert_eq!(
            normalise_date("2026-11-02T10:00:00Z").as_deref(),
            Some("2026-11-02")
        );
        assert_eq!(normalise_date("2026-02-30"), None);
        assert_eq!(normalise_date("yesterday"), None);
        assert_eq!(iso_week("2026-11-02").as_deref(), Some("2026-W45"));
        assert_eq!(iso_week("2021-01-03").as_deref(), Some("2020-W53"));
        assert_eq!(iso_week("2024-12-30").as_deref(), Some("2025-W01"));
        assert_eq!(iso_week("2024-02-29").as_deref(), Some("2024-W09"));
    }

    fn row(score: u32, counts: Vec<u16>) -> Row {
        Row {
            source: format!("c{score}"),
            agent: "a".into(),
            score: Some(score),
            rule_counts: counts,
            findings: Some(vec![DrillFinding {
                rule: "x".into(),
                severity: Severity::Info,
                turn: 1,
                quote: String::new(),
                message: String::new(),
                advice: String::new(),
            }]),
            ..Default::default()
        }
    }

    #[test]
    fn medians_rates_distribution_and_a_bounded_drill_list() {
        let mut agg = Aggregates::new(vec!["flight-reaction".into(), "x".into()], 2);
        for (s, c) in [
            (90, vec![0, 1]),
            (40, vec![1, 0]),
            (70, vec![0, 0]),
            (40, vec![2, 1]),
        ] {
            agg.add(&mut row(s, c));
        }
        agg.add(&mut Row::error("bad".into(), "broken".into()));
        let t = &agg.team;
        assert_eq!((t.calls, t.errors), (4, 1));
        assert_eq!(t.median(), Some(55.0));
        assert_eq!(t.mean(), Some(60.0));
        assert_eq!(t.rate(0), 0.5);
        assert_eq!(t.distribution()[4], 2);
        assert_eq!(t.distribution()[9], 1);
        let d = agg.drill_list();
        assert_eq!(d.len(), 2);
        // Two 40s: the one with two flight reactions first.
        assert_eq!((d[0].score, d[0].flights), (40, 2));
        assert_eq!((d[1].score, d[1].flights), (40, 1));
    }
}
