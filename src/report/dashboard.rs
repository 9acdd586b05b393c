//! `callcoach score --format html`: the team dashboard, one self-contained HTML file —
//! inline CSS, inline SVG charts, a few lines of inline JavaScript to sort tables — that
//! a team leader opens from disk, offline. A Content-Security-Policy forbids every
//! network request and every script but ours (by its hash), and every piece of transcript text, name and path goes through
//! maud, which escapes by default.
//!
//! What it shows: the team's score distribution, a row per agent (calls, mean against the
//! team, a small bar per pitfall), the most frequent pitfalls, the weekly trend when calls
//! carry dates, and the calls to listen to first (lowest scores, flight reactions), each
//! opening onto its findings with quotes and advice.

use super::batch::{Acc, Aggregates, Drill, Row, NO_DATE, UNKNOWN_AGENT};
use super::batch_out::Sink;
use crate::rules::Severity;
use crate::transcript::Lang;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::io::{self, Write};

/// What the dashboard needs to know about a rule.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub severity: Severity,
    pub summary_nl: String,
    pub summary_en: String,
}

pub struct Dashboard {
    /// `--report-lang`; otherwise the majority language of the calls.
    pub lang: Option<Lang>,
    pub rules: Vec<RuleInfo>,
}

impl Dashboard {
    pub fn new(lang: Option<Lang>, rules: Vec<RuleInfo>) -> Dashboard {
        Dashboard { lang, rules }
    }
}

impl Sink for Dashboard {
    fn row(&mut self, _w: &mut dyn Write, _r: &Row) -> io::Result<()> {
        Ok(())
    }
    fn end(&mut self, w: &mut dyn Write, agg: &Aggregates) -> io::Result<()> {
        let lang = self.lang.unwrap_or_else(|| agg.majority_lang());
        let page = render(agg, &self.rules, lang);
        w.write_all(page.into_string().as_bytes())
    }
}

struct Labels {
    lang: &'static str,
    title: &'static str,
    subtitle: &'static str,
    calls: &'static str,
    agents: &'static str,
    errors: &'static str,
    mean: &'static str,
    median: &'static str,
    team_mean: &'static str,
    top_pitfall: &'static str,
    none: &'static str,
    distribution: &'static str,
    distribution_note: &'static str,
    per_agent: &'static str,
    per_agent_note: &'static str,
    agent: &'static str,
    vs_team: &'static str,
    pitfalls: &'static str,
    pitfalls_note: &'static str,
    share: &'static str,
    trend: &'static str,
    trend_note: &'static str,
    listen: &'static str,
    listen_note: &'static str,
    score: &'static str,
    date: &'static str,
    call: &'static str,
    turn: &'static str,
    advice: &'static str,
    no_findings: &'static str,
    unknown_agent: &'static str,
    no_date: &'static str,
    sort_hint: &'static str,
    generated: &'static str,
    flight: &'static str,
}

const EN: Labels = Labels {
    lang: "en",
    title: "Team dashboard",
    subtitle: "First understand, then solve: how the team's calls went",
    calls: "calls",
    agents: "agents",
    errors: "inputs could not be read",
    mean: "mean score",
    median: "median",
    team_mean: "team mean",
    top_pitfall: "most frequent pitfall",
    none: "none",
    distribution: "Score distribution",
    distribution_note: "Calls per score band (0–100).",
    per_agent: "Agents",
    per_agent_note: "Mean score against the team mean, and how often each pitfall occurs (share of the agent's calls; the tick is the team).",
    agent: "Agent",
    vs_team: "vs team",
    pitfalls: "Most frequent pitfalls",
    pitfalls_note: "Share of all calls in which the pitfall occurred.",
    share: "share of calls",
    trend: "Score per week",
    trend_note: "Mean score per ISO week (calls with a date).",
    listen: "Calls to listen to first",
    listen_note: "The lowest scores first; with equal scores, the calls with most flight reactions. Open a call for its moments, quotes and advice.",
    score: "Score",
    date: "Date",
    call: "Call",
    turn: "turn",
    advice: "Advice",
    no_findings: "No pitfalls found.",
    unknown_agent: "unknown",
    no_date: "no date",
    sort_hint: "Click a column heading to sort.",
    generated: "Made by callcoach, offline. Scores: understanding 40, emotion 30, process 30 points.",
    flight: "flight reactions",
};

const NL: Labels = Labels {
    lang: "nl",
    title: "Teamdashboard",
    subtitle: "Eerst begrijpen, dan oplossen: hoe de gesprekken van het team gingen",
    calls: "gesprekken",
    agents: "medewerkers",
    errors: "bestanden konden niet gelezen worden",
    mean: "gemiddelde score",
    median: "mediaan",
    team_mean: "teamgemiddelde",
    top_pitfall: "vaakste valkuil",
    none: "geen",
    distribution: "Verdeling van de scores",
    distribution_note: "Gesprekken per scoreband (0–100).",
    per_agent: "Medewerkers",
    per_agent_note: "Gemiddelde score tegenover het teamgemiddelde, en hoe vaak elke valkuil voorkomt (aandeel van de gesprekken van de medewerker; het streepje is het team).",
    agent: "Medewerker",
    vs_team: "t.o.v. team",
    pitfalls: "Vaakste valkuilen",
    pitfalls_note: "Aandeel van alle gesprekken waarin de valkuil voorkwam.",
    share: "aandeel gesprekken",
    trend: "Score per week",
    trend_note: "Gemiddelde score per ISO-week (gesprekken met een datum).",
    listen: "Eerst beluisteren",
    listen_note: "De laagste scores eerst; bij gelijke score de gesprekken met de meeste vluchtreacties. Open een gesprek voor de momenten, citaten en het advies.",
    score: "Score",
    date: "Datum",
    call: "Gesprek",
    turn: "beurt",
    advice: "Advies",
    no_findings: "Geen valkuilen gevonden.",
    unknown_agent: "onbekend",
    no_date: "geen datum",
    sort_hint: "Klik op een kolomkop om te sorteren.",
    generated: "Gemaakt door callcoach, offline. Scores: begrijpen 40, emotie 30, proces 30 punten.",
    flight: "vluchtreacties",
};

const CSS: &str = r#"
:root{--ink:#1d2330;--muted:#5d6677;--line:#e3e6ec;--bg:#f6f7f9;--card:#fff;--accent:#2f5d9e;--good:#2e8b57;--warn:#d08a1e;--bad:#c0392b}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#1f2a44;color:#fff;padding:22px 32px 18px}
header h1{margin:0;font-size:24px;font-weight:650}
header p{margin:4px 0 0;color:#c9d3e6}
nav{margin-top:10px;display:flex;gap:18px;flex-wrap:wrap}
nav a{color:#fff;font-size:13px;text-decoration:none;border-bottom:1px solid #6f7fa3}
main{max-width:1180px;margin:0 auto;padding:20px 24px 40px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:0 0 18px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.card .v{font-size:28px;font-weight:700;line-height:1.1}
.card .k{color:var(--muted);font-size:13px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:0 0 16px;break-inside:avoid}
section h2{margin:0 0 2px;font-size:18px}
.note{margin:0 0 12px;color:var(--muted);font-size:13px}
svg text{font:12px system-ui,sans-serif;fill:var(--ink)}
svg .axis{stroke:var(--line)}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em;white-space:nowrap}
th.sortable{cursor:pointer;user-select:none}
th.rulecol{white-space:normal;text-transform:none;letter-spacing:0;min-width:80px}
th.rulecol .rule{font-size:11.5px}
.scroll{overflow-x:auto}
.nowrap{white-space:nowrap}
th.sortable::after{content:" ↕";color:#b5bccb}
th.asc::after{content:" ↑";color:var(--ink)}
th.desc::after{content:" ↓";color:var(--ink)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.pos{color:var(--good);font-weight:600}.neg{color:var(--bad);font-weight:600}
.pill{display:inline-block;min-width:38px;text-align:center;border-radius:999px;padding:1px 8px;font-weight:700;color:#fff}
.rule{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.sev-error{color:var(--bad)}.sev-warning{color:var(--warn)}.sev-info{color:var(--muted)}
.rate{display:flex;align-items:center;gap:6px;white-space:nowrap;font-size:12px;color:var(--muted)}
details{margin:0}
summary{cursor:pointer;list-style:none}
summary::-webkit-details-marker{display:none}
summary .src{color:var(--muted);font-size:12px;word-break:break-all}
.finding{border-left:3px solid var(--line);margin:8px 0 8px 4px;padding:2px 0 2px 12px}
.finding.sev-error{border-color:var(--bad)}.finding.sev-warning{border-color:var(--warn)}
.finding blockquote{margin:4px 0;padding:6px 10px;background:#f3f5f9;border-radius:6px;color:#333;font-style:italic;white-space:pre-wrap;word-break:break-word}
.finding .msg{font-weight:600;color:var(--ink)}
.finding .adv{margin:2px 0}
.legend{color:var(--muted);font-size:12px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:8px}
@media (max-width:900px){.grid{grid-template-columns:1fr}}
@media print{
 body{background:#fff;font-size:11pt}
 header{background:#fff;color:#000;padding:0 0 8px;border-bottom:2px solid #000}
 header p{color:#333}
 main{max-width:none;padding:8px 0}
 section,.card{border:none;padding:6px 0;box-shadow:none}
 section{break-inside:auto}
 .grid section,section#trend{break-inside:avoid}
 h2{break-after:avoid}
 .scroll{overflow:visible}
 table{font-size:9pt}
 th,td{padding:3px 4px}
 td .rate svg{display:none}
 th.sortable::after{content:""}
 nav{display:none}
 .grid{grid-template-columns:1fr 1fr}
 tr{break-inside:avoid}
 details .finding{display:none}
 details[open] .finding{display:block}
}
"#;

/// Sorting for every `table.sortable`: click a heading, numbers compare as numbers
/// (cells may carry `data-sort`). The last line marks the page as working (tests read it).
const JS: &str = r#"
(function(){
  function key(td){var v=td.getAttribute('data-sort');if(v===null)v=td.textContent.trim();var n=parseFloat(v);return isNaN(n)||!/^[-+]?[0-9.]+$/.test(v)?v.toLowerCase():n;}
  document.querySelectorAll('table.sortable').forEach(function(t){
    var ths=t.tHead.rows[0].cells;
    Array.prototype.forEach.call(ths,function(th,i){
      th.classList.add('sortable');
      th.addEventListener('click',function(){
        var asc=!th.classList.contains('asc');
        Array.prototype.forEach.call(ths,function(o){o.classList.remove('asc','desc');});
        th.classList.add(asc?'asc':'desc');
        var body=t.tBodies[0];
        var rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);
          var c=(typeof x===typeof y)?(x<y?-1:x>y?1:0):(typeof x==='number'?-1:1);return asc?c:-c;});
        rows.forEach(function(r){body.appendChild(r);});
      });
    });
  });
  document.body.setAttribute('data-dashboard','ready');
  window.addEventListener('load',function(){document.body.setAttribute('data-load-ms',String(Math.round(performance.now())));});
})();
"#;

fn score_colour(score: f64) -> &'static str {
    if score >= 80.0 {
        "#2e8b57"
    } else if score >= 65.0 {
        "#7aa33b"
    } else if score >= 50.0 {
        "#d08a1e"
    } else {
        "#c0392b"
    }
}

/// A share as a percentage; a small share that is not zero shows as "<1%".
fn pct(x: f64) -> String {
    if x > 0.0 && x < 0.005 {
        "<1%".to_string()
    } else {
        format!("{:.0}%", x * 100.0)
    }
}

/// A count with thin spaces between thousands (`59 970`), readable in Dutch and English.
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

fn fmt1(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into())
}

/// The Content-Security-Policy's hash of [`JS`] (base64 SHA-256), so the policy allows our
/// script and no other: change `JS` and this must change too (the browser test fails
/// otherwise: Chromium refuses the script and the page's ready marker is missing).
/// `python3 -c "import hashlib,base64,sys; print(base64.b64encode(hashlib.sha256(sys.stdin.read().encode()).digest()).decode())"`
/// on the script's text gives it.
const JS_SHA256: &str = "tUIxdbhgURSbRRfap3QYDUYeCml04SpJO3FNwFOwA0o=";

/// The dashboard for the aggregates.
pub fn render(agg: &Aggregates, rules: &[RuleInfo], lang: Lang) -> Markup {
    let l = match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    };
    let team = &agg.team;
    let top = agg.top_rules();
    let summary_of = |id: &str| -> String {
        rules
            .iter()
            .find(|r| r.id == id)
            .map(|r| match lang {
                Lang::Nl => r.summary_nl.clone(),
                Lang::En => r.summary_en.clone(),
            })
            .unwrap_or_default()
    };
    let severity_of = |id: &str| {
        rules
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.severity)
            .unwrap_or(Severity::Info)
    };
    let csp = format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{JS_SHA256}'; base-uri 'none'; form-action 'none'"
    );
    let agent_name = |a: &str| -> String {
        if a == UNKNOWN_AGENT {
            l.unknown_agent.to_string()
        } else {
            a.to_string()
        }
    };
    let dated: Vec<(&String, &Acc)> = agg
        .weeks
        .iter()
        .filter(|(w, a)| w.as_str() != NO_DATE && a.calls > 0)
        .collect();
    // The pitfall columns of the agent table: the team's most frequent, at most five.
    let cols: Vec<usize> = top.iter().copied().take(5).collect();
    html! {
        (DOCTYPE)
        html lang=(l.lang) {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(csp);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (l.title) " · callcoach" }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { (l.title) }
                    p { (l.subtitle) }
                    nav {
                        a href="#distribution" { (l.distribution) }
                        a href="#pitfalls" { (l.pitfalls) }
                        a href="#agents" { (l.per_agent) }
                        @if !dated.is_empty() { a href="#trend" { (l.trend) } }
                        a href="#listen" { (l.listen) }
                    }
                }
                main {
                    div.cards {
                        div.card { div.v { (count(team.calls)) } div.k { (l.calls) } }
                        div.card {
                            div.v style=(format!("color:{}", score_colour(team.mean().unwrap_or(0.0)))) { (fmt1(team.mean())) }
                            div.k { (l.team_mean) " · " (l.median) " " (fmt1(team.median())) }
                        }
                        div.card { div.v { (agg.agents.values().filter(|a| a.calls > 0).count()) } div.k { (l.agents) } }
                        div.card {
                            @if let Some(&i) = top.first() {
                                div.v style="font-size:17px;padding-top:6px" { span.rule { (agg.rule_ids[i]) } }
                                div.k { (l.top_pitfall) " · " (pct(team.rate(i))) " " (l.share) }
                            } @else {
                                div.v { (l.none) } div.k { (l.top_pitfall) }
                            }
                        }
                        @if team.errors > 0 {
                            div.card { div.v.neg { (team.errors) } div.k { (l.errors) } }
                        }
                    }
                    div.grid {
                        section id="distribution" {
                            h2 { (l.distribution) }
                            p.note { (l.distribution_note) }
                            (distribution_chart(team))
                        }
                        section id="pitfalls" {
                            h2 { (l.pitfalls) }
                            p.note { (l.pitfalls_note) }
                            @if top.is_empty() {
                                p { (l.no_findings) }
                            } @else {
                                (pitfall_chart(agg, &top, &severity_of))
                                ul.legend {
                                    @for &i in top.iter().take(5) {
                                        li { span.rule { (agg.rule_ids[i]) } ": " (summary_of(&agg.rule_ids[i])) }
                                    }
                                }
                            }
                        }
                    }
                    section id="agents" {
                        h2 { (l.per_agent) }
                        p.note { (l.per_agent_note) " " (l.sort_hint) }
                        div.scroll { table.sortable {
                            thead { tr {
                                th { (l.agent) }
                                th.num { (l.calls) }
                                th.num { (l.mean) }
                                th.num { (l.vs_team) }
                                th.num { (l.median) }
                                @for &i in &cols { th.rulecol title=(summary_of(&agg.rule_ids[i])) { span.rule { (agg.rule_ids[i]) } } }
                            } }
                            tbody {
                                @for (name, a) in agg.agents.iter().filter(|(_, a)| a.calls > 0) {
                                    @let diff = a.mean().zip(team.mean()).map(|(x, t)| x - t).unwrap_or(0.0);
                                    tr.agent-row {
                                        td { strong { (agent_name(name)) } }
                                        td.num data-sort=(a.calls) { (count(a.calls)) }
                                        td.num data-sort=(format!("{:.2}", a.mean().unwrap_or(0.0))) {
                                            (mean_bar(a.mean().unwrap_or(0.0), team.mean().unwrap_or(0.0)))
                                        }
                                        td.num.pos[diff >= 0.05].neg[diff <= -0.05] data-sort=(format!("{diff:.2}")) { (format!("{diff:+.1}")) }
                                        td.num { (fmt1(a.median())) }
                                        @for &i in &cols {
                                            td data-sort=(format!("{:.4}", a.rate(i))) { (rate_bar(a.rate(i), team.rate(i))) }
                                        }
                                    }
                                }
                            }
                        } }
                    }
                    @if !dated.is_empty() {
                        section id="trend" {
                            h2 { (l.trend) }
                            p.note { (l.trend_note) }
                            (trend_chart(&dated, l))
                        }
                    }
                    section id="listen" {
                        h2 { (l.listen) }
                        p.note { (l.listen_note) " " (l.sort_hint) }
                        (listen_table(agg.drill_list(), l, &agent_name))
                    }
                    footer { (l.generated) }
                }
                script { (PreEscaped(JS)) }
            }
        }
    }
}

fn distribution_chart(team: &Acc) -> Markup {
    let d = team.distribution();
    let most = d.iter().copied().max().unwrap_or(0).max(1) as f64;
    let (w, h, left, bottom, top) = (520.0, 220.0, 36.0, 26.0, 14.0);
    let bw = (w - left - 8.0) / 10.0;
    let plot_h = h - bottom - top;
    html! {
        svg.chart viewBox=(format!("0 0 {w} {h}")) width="100%" role="img" aria-label="score distribution" {
            line.axis x1=(left) y1=(h - bottom) x2=(w - 4.0) y2=(h - bottom) {}
            @for (b, &n) in d.iter().enumerate() {
                @let bh = (n as f64 / most) * plot_h;
                @let x = left + b as f64 * bw;
                @let mid = b as f64 * 10.0 + 5.0;
                rect x=(format!("{:.1}", x + 3.0)) y=(format!("{:.1}", h - bottom - bh)) width=(format!("{:.1}", bw - 6.0)) height=(format!("{:.1}", bh)) rx="3" fill=(score_colour(mid)) {
                    title { (format!("{}–{}: {}", b * 10, if b == 9 { 100 } else { b * 10 + 9 }, count(n))) }
                }
                @if n > 0 {
                    text x=(format!("{:.1}", x + bw / 2.0)) y=(format!("{:.1}", h - bottom - bh - 3.0)) text-anchor="middle" { (count(n)) }
                }
                text x=(format!("{:.1}", x + bw / 2.0)) y=(format!("{:.1}", h - 8.0)) text-anchor="middle" fill="#5d6677" { (b * 10) }
            }
        }
    }
}

fn pitfall_chart(
    agg: &Aggregates,
    top: &[usize],
    severity_of: &dyn Fn(&str) -> Severity,
) -> Markup {
    let shown: Vec<usize> = top.iter().copied().take(8).collect();
    let row_h = 26.0;
    let (w, label_w) = (520.0, 190.0);
    let h = row_h * shown.len() as f64 + 6.0;
    let max = shown
        .iter()
        .map(|&i| agg.team.rate(i))
        .fold(0.0f64, f64::max)
        .max(0.01);
    html! {
        svg.chart viewBox=(format!("0 0 {w} {h}")) width="100%" role="img" aria-label="pitfalls" {
            @for (k, &i) in shown.iter().enumerate() {
                @let y = k as f64 * row_h + 4.0;
                @let rate = agg.team.rate(i);
                @let bw = rate / max * (w - label_w - 60.0);
                @let colour = match severity_of(&agg.rule_ids[i]) { Severity::Error => "#c0392b", Severity::Warning => "#d08a1e", Severity::Info => "#8a94a6" };
                text x=(label_w - 8.0) y=(format!("{:.1}", y + 15.0)) text-anchor="end" { (agg.rule_ids[i]) }
                rect x=(label_w) y=(format!("{:.1}", y + 3.0)) width=(format!("{:.1}", bw.max(1.0))) height="16" rx="3" fill=(colour) {
                    title { (format!("{}: {} ({} calls)", agg.rule_ids[i], pct(rate), agg.team.rule_calls[i])) }
                }
                text x=(format!("{:.1}", label_w + bw.max(1.0) + 6.0)) y=(format!("{:.1}", y + 15.0)) { (pct(rate)) }
            }
        }
    }
}

/// A small bar for a mean score (0–100) with a tick at the team mean.
fn mean_bar(mean: f64, team: f64) -> Markup {
    html! {
        span.rate {
            svg width="90" height="12" role="img" aria-hidden="true" {
                rect x="0" y="2" width="90" height="8" rx="2" fill="#edf0f5" {}
                rect x="0" y="2" width=(format!("{:.1}", mean.clamp(0.0, 100.0) * 0.9)) height="8" rx="2" fill=(score_colour(mean)) {}
                line x1=(format!("{:.1}", team * 0.9)) x2=(format!("{:.1}", team * 0.9)) y1="0" y2="12" stroke="#1d2330" stroke-width="1.5" {}
            }
            strong style="color:#1d2330" { (format!("{mean:.1}")) }
        }
    }
}

/// A small bar for a rule rate with a tick at the team's rate.
fn rate_bar(rate: f64, team: f64) -> Markup {
    let colour = if rate > team + 0.05 {
        "#c0392b"
    } else if rate + 0.05 < team {
        "#2e8b57"
    } else {
        "#8a94a6"
    };
    html! {
        span.rate {
            svg width="48" height="12" role="img" aria-hidden="true" {
                rect x="0" y="2" width="48" height="8" rx="2" fill="#edf0f5" {}
                rect x="0" y="2" width=(format!("{:.1}", rate.clamp(0.0, 1.0) * 48.0)) height="8" rx="2" fill=(colour) {}
                line x1=(format!("{:.1}", team * 48.0)) x2=(format!("{:.1}", team * 48.0)) y1="0" y2="12" stroke="#1d2330" stroke-width="1.5" {}
            }
            (pct(rate))
        }
    }
}

fn trend_chart(weeks: &[(&String, &Acc)], l: &Labels) -> Markup {
    let (w, h, left, right, top, bottom) = (1080.0, 230.0, 40.0, 40.0, 16.0, 44.0);
    let n = weeks.len();
    let step = if n > 1 {
        (w - left - right) / (n - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| {
        if n > 1 {
            left + i as f64 * step
        } else {
            w / 2.0
        }
    };
    let y = |s: f64| top + (100.0 - s.clamp(0.0, 100.0)) / 100.0 * (h - top - bottom);
    let points: Vec<String> = weeks
        .iter()
        .enumerate()
        .map(|(i, (_, a))| format!("{:.1},{:.1}", x(i), y(a.mean().unwrap_or(0.0))))
        .collect();
    let every = n.div_ceil(14).max(1);
    html! {
        svg.chart viewBox=(format!("0 0 {w} {h}")) width="100%" role="img" aria-label=(l.trend) {
            @for g in [0.0, 25.0, 50.0, 75.0, 100.0] {
                line.axis x1=(left) x2=(w - right) y1=(format!("{:.1}", y(g))) y2=(format!("{:.1}", y(g))) {}
                text x=(left - 6.0) y=(format!("{:.1}", y(g) + 4.0)) text-anchor="end" fill="#5d6677" { (g) }
            }
            polyline points=(points.join(" ")) fill="none" stroke="#2f5d9e" stroke-width="2.5" {}
            @for (i, (week, a)) in weeks.iter().enumerate() {
                @let m = a.mean().unwrap_or(0.0);
                circle cx=(format!("{:.1}", x(i))) cy=(format!("{:.1}", y(m))) r="4" fill=(score_colour(m)) {
                    title { (format!("{week}: {m:.1} ({} {})", a.calls, l.calls)) }
                }
                @if i % every == 0 || i + 1 == n {
                    text x=(format!("{:.1}", x(i))) y=(h - 24.0) text-anchor="middle" fill="#5d6677" { (week) }
                    text x=(format!("{:.1}", x(i))) y=(h - 9.0) text-anchor="middle" fill="#8a94a6" { (count(a.calls)) }
                }
            }
        }
    }
}

/// The rules of a call's findings, once each, in order of first appearance, with counts.
fn distinct_rules(d: &Drill) -> Vec<(&str, Severity, usize)> {
    let mut out: Vec<(&str, Severity, usize)> = Vec::new();
    for f in &d.findings {
        match out.iter_mut().find(|(r, _, _)| *r == f.rule) {
            Some(e) => e.2 += 1,
            None => out.push((&f.rule, f.severity, 1)),
        }
    }
    out
}

fn listen_table(list: Vec<&Drill>, l: &Labels, agent_name: &dyn Fn(&str) -> String) -> Markup {
    let dates = list.iter().any(|d| d.date.is_some());
    html! {
        table.sortable {
            thead { tr {
                th.num { (l.score) }
                th { (l.agent) }
                @if dates { th { (l.date) } }
                th { (l.call) }
                th.num { (l.flight) }
            } }
            tbody {
                @for d in list {
                    tr.listen-row {
                        td.num data-sort=(d.score) { span.pill style=(format!("background:{}", score_colour(d.score as f64))) { (d.score) } }
                        td { (agent_name(&d.agent)) }
                        @if dates {
                            td.nowrap data-sort=(d.date.clone().unwrap_or_default()) { (d.date.clone().unwrap_or_else(|| l.no_date.to_string())) }
                        }
                        td {
                            details {
                                summary {
                                    strong { (d.id.clone().unwrap_or_else(|| d.source.clone())) }
                                    " · "
                                    @for (k, (rule, sev, n)) in distinct_rules(d).into_iter().enumerate() {
                                        @if k > 0 { ", " }
                                        span.rule class=(format!("sev-{}", sev.as_str())) { (rule) }
                                        @if n > 1 { " ×" (n) }
                                    }
                                    @if d.findings.is_empty() { (l.no_findings) }
                                    br;
                                    span.src { (d.source) }
                                }
                                @for f in &d.findings {
                                    div.finding class=(format!("sev-{}", f.severity.as_str())) {
                                        div.msg { span.rule { (f.rule) } " · " (l.turn) " " (f.turn) ": " (f.message) }
                                        blockquote { (f.quote) }
                                        div.adv { strong { (l.advice) ": " } (f.advice) }
                                    }
                                }
                            }
                        }
                        td.num { (d.flights) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_shares() {
        assert_eq!(count(59970), "59\u{202f}970");
        assert_eq!(count(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(count(12), "12");
        assert_eq!(pct(0.0), "0%");
        assert_eq!(pct(0.001), "<1%");
        assert_eq!(pct(0.5), "50%");
    }
}
