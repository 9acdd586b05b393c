//! Printers for `callcoach score`: `table` (for a terminal), `csv`, `json`, `jsonl`.
//! Each writes rows as they come (in input order) and the aggregates at the end; none
//! keeps rows. The `html` dashboard is in `dashboard.rs`.

use super::batch::{Acc, Aggregates, GroupBy, Row, PART_NAMES};
use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// One output format of the batch.
pub trait Sink {
    fn begin(&mut self, _w: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    fn row(&mut self, w: &mut dyn Write, r: &Row) -> io::Result<()>;
    fn end(&mut self, w: &mut dyn Write, agg: &Aggregates) -> io::Result<()>;
}

fn round(x: f64, places: i32) -> f64 {
    let p = 10f64.powi(places);
    (x * p).round() / p
}

/// A row as a JSON object (json and jsonl).
pub fn row_value(r: &Row, rule_ids: &[String]) -> Value {
    let mut m = Map::new();
    m.insert("source".into(), json!(r.source));
    m.insert("id".into(), json!(r.id));
    m.insert("agent".into(), json!(r.agent));
    m.insert("date".into(), json!(r.date));
    m.insert("language".into(), json!(r.language));
    m.insert("kind".into(), json!(r.kind));
    m.insert("turns".into(), json!(r.turns));
    m.insert("error".into(), json!(r.error));
    if r.error.is_none() {
        m.insert("score".into(), json!(r.score));
        let mut parts = Map::new();
        for (i, p) in r.parts.iter().enumerate() {
            if let Some(p) = p {
                parts.insert(PART_NAMES[i].into(), json!(p));
            }
        }
        m.insert("parts".into(), Value::Object(parts));
        let mut rules = Map::new();
        for (i, id) in rule_ids.iter().enumerate() {
            rules.insert(
                id.clone(),
                json!(r.rule_counts.get(i).copied().unwrap_or(0)),
            );
        }
        m.insert("rules".into(), Value::Object(rules));
        m.insert(
            "metrics".into(),
            json!({
                "talk_share": r.talk_share,
                "probes": r.probes,
                "first_solution_turn": r.first_solution_turn,
                "longest_monologue_words": r.longest_monologue_words,
                "resistance_turns": r.resistance_turns,
            }),
        );
    }
    Value::Object(m)
}

fn acc_value(a: &Acc, team: &Acc, rule_ids: &[String], with_distribution: bool) -> Value {
    let mut rules = Map::new();
    for (i, id) in rule_ids.iter().enumerate() {
        let rate = a.rate(i);
        rules.insert(
            id.clone(),
            json!({
                "calls": a.rule_calls[i],
                "findings": a.rule_findings[i],
                "rate": round(rate, 4),
                "vs_team": round(rate - team.rate(i), 4),
            }),
        );
    }
    let mut parts = Map::new();
    for (i, name) in PART_NAMES.iter().enumerate() {
        if let Some(m) = a.part_mean(i) {
            parts.insert((*name).into(), json!(round(m, 2)));
        }
    }
    let mut v = json!({
        "calls": a.calls,
        "errors": a.errors,
        "mean": a.mean().map(|m| round(m, 2)),
        "median": a.median(),
        "min": a.min(),
        "max": a.max(),
        "vs_team": match (a.mean(), team.mean()) {
            (Some(x), Some(t)) => Some(round(x - t, 2)),
            _ => None,
        },
        "parts": parts,
        "rules": rules,
    });
    if with_distribution {
        let d = a.distribution();
        v["distribution"] = Value::Array(
            (0..10)
                .map(|b| {
                    json!({"from": b * 10, "to": if b == 9 { 100 } else { b * 10 + 9 }, "calls": d[b]})
                })
                .collect(),
        );
    }
    v
}

/// The aggregates as one JSON object.
pub fn summary_value(agg: &Aggregates, by: GroupBy) -> Value {
    let groups: Vec<Value> = agg
        .groups(by)
        .map(|g| {
            g.iter()
                .map(|(name, a)| {
                    let mut v = acc_value(a, &agg.team, &agg.rule_ids, false);
                    v["name"] = json!(name);
                    v
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "calls": agg.team.calls,
        "errors": agg.team.errors,
        "group_by": match by { GroupBy::Agent => "agent", GroupBy::Date => "week", GroupBy::None => "none" },
        "team": acc_value(&agg.team, &agg.team, &agg.rule_ids, true),
        "groups": groups,
    })
}

// ---------------------------------------------------------------------------------------

pub struct JsonLines {
    pub rule_ids: Vec<String>,
    pub group_by: GroupBy,
}

impl Sink for JsonLines {
    fn row(&mut self, w: &mut dyn Write, r: &Row) -> io::Result<()> {
        let mut v = row_value(r, &self.rule_ids);
        v["type"] = json!(if r.error.is_some() { "error" } else { "call" });
        serde_json::to_writer(&mut *w, &v)?;
        w.write_all(b"\n")
    }
    fn end(&mut self, w: &mut dyn Write, agg: &Aggregates) -> io::Result<()> {
        let mut v = summary_value(agg, self.group_by);
        v["type"] = json!("summary");
        serde_json::to_writer(&mut *w, &v)?;
        w.write_all(b"\n")
    }
}

pub struct Json {
    pub rule_ids: Vec<String>,
    pub group_by: GroupBy,
    pub first: bool,
}

impl Sink for Json {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(b"{\n\"version\": 1,\n\"calls\": [")
    }
    fn row(&mut self, w: &mut dyn Write, r: &Row) -> io::Result<()> {
        w.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut *w, &row_value(r, &self.rule_ids))?;
        Ok(())
    }
    fn end(&mut self, w: &mut dyn Write, agg: &Aggregates) -> io::Result<()> {
        w.write_all(b"\n],\n\"summary\": ")?;
        serde_json::to_writer_pretty(&mut *w, &summary_value(agg, self.group_by))?;
        w.write_all(b"\n}\n")
    }
}

// ---------------------------------------------------------------------------------------

/// RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub struct Csv {
    pub rule_ids: Vec<String>,
    line: String,
}

impl Csv {
    pub fn new(rule_ids: Vec<String>) -> Csv {
        Csv {
            rule_ids,
            line: String::with_capacity(512),
        }
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

impl Sink for Csv {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        let mut cols: Vec<String> = [
            "source", "id", "agent", "date", "language", "kind", "turns", "score",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        cols.extend(PART_NAMES.iter().map(|s| s.to_string()));
        cols.extend(self.rule_ids.iter().map(|s| csv_field(s)));
        cols.extend(
            [
                "talk_share",
                "probes",
                "first_solution_turn",
                "longest_monologue_words",
                "resistance_turns",
                "error",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        w.write_all(cols.join(",").as_bytes())?;
        w.write_all(b"\r\n")
    }
    fn row(&mut self, w: &mut dyn Write, r: &Row) -> io::Result<()> {
        use std::fmt::Write as _;
        let l = &mut self.line;
        l.clear();
        let ok = r.error.is_none();
        let _ = write!(
            l,
            "{},{},{},{},{},{},{},{}",
            csv_field(&r.source),
            csv_field(r.id.as_deref().unwrap_or("")),
            csv_field(&r.agent),
            csv_field(r.date.as_deref().unwrap_or("")),
            opt(r.language.map(|x| x.as_str())),
            opt(r.kind.map(|x| x.as_str())),
            if ok {
                r.turns.to_string()
            } else {
                String::new()
            },
            opt(r.score),
        );
        for p in &r.parts {
            let _ = write!(l, ",{}", opt(*p));
        }
        for i in 0..self.rule_ids.len() {
            if ok {
                let _ = write!(l, ",{}", r.rule_counts.get(i).copied().unwrap_or(0));
            } else {
                l.push(',');
            }
        }
        if ok {
            let _ = write!(
                l,
                ",{},{},{},{},{},",
                opt(r.talk_share),
                r.probes,
                opt(r.first_solution_turn),
                r.longest_monologue_words,
                r.resistance_turns
            );
        } else {
            let _ = write!(l, ",,,,,,{}", csv_field(r.error.as_deref().unwrap_or("")));
        }
        l.push_str("\r\n");
        w.write_all(l.as_bytes())
    }
    fn end(&mut self, _w: &mut dyn Write, _agg: &Aggregates) -> io::Result<()> {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------

/// Cut a string to `n` characters, keeping its end (paths: the file name matters most).
fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        s.to_string()
    } else {
        let skip = count - (n - 1);
        format!("…{}", s.chars().skip(skip).collect::<String>())
    }
}

fn head(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

pub struct Table {
    pub rule_ids: Vec<String>,
    pub group_by: GroupBy,
}

const SOURCE_W: usize = 44;

impl Sink for Table {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(
            w,
            "{:<SOURCE_W$}  {:<14} {:<10} {:<4} {:>5}  {:<11}  pitfalls",
            "call", "agent", "date", "lang", "score", "parts"
        )
    }
    fn row(&mut self, w: &mut dyn Write, r: &Row) -> io::Result<()> {
        let source = tail(&r.source, SOURCE_W);
        if let Some(e) = &r.error {
            return writeln!(w, "{source:<SOURCE_W$}  error: {e}");
        }
        let parts: Vec<String> = r.parts.iter().flatten().map(|p| p.to_string()).collect();
        let pitfalls: Vec<String> = self
            .rule_ids
            .iter()
            .zip(&r.rule_counts)
            .filter(|(_, &n)| n > 0)
            .map(|(id, &n)| {
                if n > 1 {
                    format!("{id}×{n}")
                } else {
                    id.clone()
                }
            })
            .collect();
        writeln!(
            w,
            "{source:<SOURCE_W$}  {:<14} {:<10} {:<4} {:>5}  {:<11}  {}",
            head(&r.agent, 14),
            head(r.date.as_deref().unwrap_or("-"), 10),
            r.language.map(|l| l.as_str()).unwrap_or("-"),
            opt(r.score),
            parts.join("/"),
            if pitfalls.is_empty() {
                "-".to_string()
            } else {
                pitfalls.join(", ")
            }
        )
    }
    fn end(&mut self, w: &mut dyn Write, agg: &Aggregates) -> io::Result<()> {
        let team = &agg.team;
        let top = agg.top_rules();
        writeln!(w)?;
        if let Some(groups) = agg.groups(self.group_by) {
            let title = match self.group_by {
                GroupBy::Date => "week",
                _ => "agent",
            };
            writeln!(
                w,
                "{:<20} {:>6} {:>6} {:>6} {:>8}  most frequent pitfalls (share of calls, vs team)",
                title, "calls", "mean", "median", "vs team"
            )?;
            for (name, a) in groups {
                let rules: Vec<String> = top
                    .iter()
                    .filter(|&&i| a.rule_calls[i] > 0)
                    .take(3)
                    .map(|&i| {
                        format!(
                            "{} {} ({:+.0})",
                            agg.rule_ids[i],
                            pct(a.rate(i)),
                            (a.rate(i) - team.rate(i)) * 100.0
                        )
                    })
                    .collect();
                writeln!(
                    w,
                    "{:<20} {:>6} {:>6} {:>6} {:>8}  {}",
                    head(name, 20),
                    a.calls,
                    a.mean().map(|m| format!("{m:.1}")).unwrap_or("-".into()),
                    a.median().map(|m| format!("{m:.1}")).unwrap_or("-".into()),
                    match (a.mean(), team.mean()) {
                        (Some(x), Some(t)) => format!("{:+.1}", x - t),
                        _ => "-".into(),
                    },
                    if rules.is_empty() {
                        "-".into()
                    } else {
                        rules.join(", ")
                    }
                )?;
            }
            writeln!(w)?;
        }
        writeln!(
            w,
            "team: {} calls scored, {} errors; mean {}, median {}",
            team.calls,
            team.errors,
            team.mean().map(|m| format!("{m:.1}")).unwrap_or("-".into()),
            team.median()
                .map(|m| format!("{m:.1}"))
                .unwrap_or("-".into()),
        )?;
        let dist = team.distribution();
        let most = dist.iter().copied().max().unwrap_or(0).max(1);
        for (b, &n) in dist.iter().enumerate() {
            let bar = "█".repeat(((n * 40).div_ceil(most)) as usize);
            let label = if b == 9 {
                "90-100".to_string()
            } else {
                format!("{}-{}", b * 10, b * 10 + 9)
            };
            writeln!(w, "  {label:>6} {n:>7} {bar}")?;
        }
        if !top.is_empty() {
            writeln!(w, "pitfalls (share of calls):")?;
            for &i in &top {
                writeln!(
                    w,
                    "  {:<28} {:>5}  ({} calls)",
                    agg.rule_ids[i],
                    pct(team.rate(i)),
                    team.rule_calls[i]
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting_follows_rfc_4180() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn table_cuts_long_paths_at_the_front() {
        assert_eq!(tail("abcdef", 4), "…def");
        assert_eq!(tail("abc", 4), "abc");
    }
}
