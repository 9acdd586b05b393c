//! Google CCAI Insights conversation JSON (upload format): `entries[]` of `{text, role,
//! user_id, start_timestamp_usec}`. Roles come from the file: AGENT / HUMAN_AGENT → agent,
//! CUSTOMER / END_USER → customer, AUTOMATED_AGENT (a bot) → other. The speaker key is the
//! role as written. Times are epoch microseconds, shown from the first entry.

use super::json::{arr_at, element_lines, load, num_at, sniff, str_at, LineIndex, Step};
use super::turns::{build_turns, Segment};
use super::util::set_language;
use crate::transcript::{Role, Transcript};
use anyhow::{bail, Result};
use serde_json::Value;

/// `entries[]` whose elements have `role` and `text`.
pub fn detect(text: &str) -> bool {
    sniff(text).is_some_and(|v| {
        let entries = arr_at(&v, "entries");
        !entries.is_empty()
            && entries
                .iter()
                .take(5)
                .all(|e| e.get("role").is_some() && e.get("text").is_some())
    })
}

fn ccai_role(s: &str) -> Role {
    match s.trim().to_ascii_uppercase().as_str() {
        "AGENT" | "HUMAN_AGENT" => Role::Agent,
        "CUSTOMER" | "END_USER" => Role::Customer,
        _ => Role::Other,
    }
}

pub fn parse(text: &str, source: &str) -> Result<Vec<Transcript>> {
    let v = load(text)?;
    if !v.get("entries").is_some_and(Value::is_array) {
        bail!("not a CCAI Insights conversation: no 'entries' array");
    }
    let li = LineIndex::new(text);
    let lines = element_lines(text, &li, &[Step::Key("entries")]);
    let mut t0: Option<f64> = None;
    let mut segs = Vec::new();
    for (i, e) in arr_at(&v, "entries").iter().enumerate() {
        let role = str_at(e, "role").unwrap_or("").trim();
        let at = num_at(e, "start_timestamp_usec").map(|u| u / 1_000_000.0);
        if t0.is_none() {
            t0 = at;
        }
        segs.push(Segment {
            speaker: role.to_string(),
            role: (!role.is_empty()).then(|| ccai_role(role)),
            text: str_at(e, "text").unwrap_or("").to_string(),
            start: at.zip(t0).map(|(a, b)| a - b),
            end: None,
            line: lines.get(i).copied(),
        });
    }
    let turns = build_turns(segs);
    if turns.is_empty() {
        bail!("no speech in the file: the conversation has no entries with text");
    }
    let mut t = Transcript {
        source: source.to_string(),
        format: "ccai".into(),
        turns,
        ..Default::default()
    };
    if let Some(code) = str_at(&v, "language_code").or_else(|| str_at(&v, "languageCode")) {
        set_language(&mut t, code);
    }
    Ok(vec![t])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_with_roles() {
        let src = r#"{"entries":[
{"text":"Welcome, how can I help?","role":"AUTOMATED_AGENT","user_id":3,"start_timestamp_usec":1600000000000000},
{"text":"Hoi.","role":"AGENT","user_id":1,"start_timestamp_usec":1600000002500000},
{"text":"Mijn factuur klopt niet.","role":"END_USER","user_id":2,"start_timestamp_usec":1600000004000000}]}"#;
        assert!(detect(src));
        let t = &parse(src, "x").unwrap()[0];
        let roles: Vec<Role> = t.turns.iter().map(|x| x.role()).collect();
        assert_eq!(roles, vec![Role::Other, Role::Agent, Role::Customer]);
        assert_eq!(t.turns[1].start, Some(2.5));
        assert_eq!(t.turns[2].line, Some(4));
    }
}
