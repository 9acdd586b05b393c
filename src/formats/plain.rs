//! Plain-text dialogue: `# key: value` headers, optional `[hh:mm:ss]` timestamps,
//! `Label: text` lines (or a label on its own line), comments with expectations and
//! suppressions.

use crate::transcript::{Kind, Lang, Suppression, Transcript, Turn};
use anyhow::{bail, Result};

/// Plain text is the fallback: anything with at least one `Label: text` line.
pub fn detect(text: &str) -> bool {
    text.lines()
        .take(400)
        .any(|l| split_line(strip_timestamp(l.trim()).1).is_some())
}

pub fn parse_many(text: &str, source: &str) -> Result<Vec<Transcript>> {
    Ok(vec![parse(text, source, 0)?])
}

/// Parse `[hh:mm:ss]`, `[mm:ss]`, `hh:mm:ss` or `(mm:ss)` at the start of a line.
/// Returns the seconds and the rest of the line.
pub fn strip_timestamp(line: &str) -> (Option<f64>, &str) {
    let (inner, rest) = if let Some(r) = line.strip_prefix('[') {
        match r.find(']') {
            Some(i) => (&r[..i], &r[i + 1..]),
            None => return (None, line),
        }
    } else if let Some(r) = line.strip_prefix('(') {
        match r.find(')') {
            Some(i) => (&r[..i], &r[i + 1..]),
            None => return (None, line),
        }
    } else {
        let end = line
            .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.' || c == ','))
            .unwrap_or(line.len());
        if end == 0 || !line[..end].contains(':') {
            return (None, line);
        }
        (&line[..end], &line[end..])
    };
    match parse_clock(inner.trim()) {
        Some(s) => (
            Some(s),
            rest.trim_start_matches([' ', '\t', '-', '–']).trim_start(),
        ),
        None => (None, line),
    }
}

/// `hh:mm:ss(.fff)` or `mm:ss(.fff)` to seconds.
pub fn parse_clock(s: &str) -> Option<f64> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut total = 0.0;
    for (i, p) in parts.iter().enumerate() {
        let last = i == parts.len() - 1;
        let v: f64 = if last {
            p.replace(',', ".").parse().ok()?
        } else {
            if !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse().ok()?
        };
        total = total * 60.0 + v;
    }
    Some(total)
}

/// Split `Label: text` when the label looks like a speaker label (a few words, no
/// sentence punctuation). Returns the label and the text (possibly empty).
pub fn split_line(line: &str) -> Option<(&str, &str)> {
    let idx = line.find(':')?;
    let label = line[..idx].trim();
    // WhisperX's text output: `[SPEAKER_00]: text`.
    let label = label
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .map(str::trim)
        .unwrap_or(label);
    let rest = &line[idx + 1..];
    if label.is_empty() || label.chars().count() > 40 {
        return None;
    }
    // "Note: http://..." or "10:30" are not labels.
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let first = label.chars().next()?;
    if !first.is_alphabetic() {
        return None;
    }
    if label.split_whitespace().count() > 4 {
        return None;
    }
    if !label.chars().all(|c| {
        c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '\'' | '_' | '(' | ')' | '&' | '’')
    }) {
        return None;
    }
    Some((label, rest.trim()))
}

fn parse_comment(body: &str) -> Option<(String, String)> {
    let (k, v) = body.split_once(':')?;
    let k = k.trim().to_lowercase();
    if k.is_empty() || k.contains(' ') && !k.starts_with("callcoach") {
        return None;
    }
    Some((k, v.trim().to_string()))
}

/// Parse a `# callcoach: ignore RULE[, RULE...] -- reason` comment body (after
/// `callcoach:`): one suppression per rule named.
fn parse_suppression(v: &str, line: usize) -> Result<Vec<Suppression>> {
    let (head, reason) = match v.split_once("--") {
        Some((h, r)) => (h.trim(), r.trim()),
        None => (v.trim(), ""),
    };
    let mut words = head.split_whitespace();
    let verb = words.next().unwrap_or("");
    let whole_file = match verb {
        "ignore" => false,
        "ignore-file" => true,
        _ => bail!("line {line}: unknown callcoach comment '{verb}' (expected 'ignore RULE -- reason' or 'ignore-file RULE -- reason')"),
    };
    // Rule ids separated by commas; anything else before `--` is a mistake (a reason
    // without `--` would otherwise be read as rule ids).
    let list = words.collect::<Vec<_>>().join(" ");
    let rules: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect();
    if rules.is_empty() {
        bail!("line {line}: a suppression must name a rule: '# callcoach: {verb} RULE -- reason'");
    }
    if let Some(bad) = rules.iter().find(|r| {
        !r.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }) {
        bail!(
            "line {line}: '{bad}' is not a rule id: write '# callcoach: {verb} RULE[, RULE] -- reason'"
        );
    }
    Ok(rules
        .into_iter()
        .map(|rule| Suppression {
            rule: rule.to_string(),
            reason: reason.to_string(),
            line,
            whole_file,
        })
        .collect())
}

/// Parse one plain-text transcript. `line_offset` shifts line numbers (for transcripts
/// embedded in Markdown).
pub fn parse(text: &str, source: &str, line_offset: usize) -> Result<Transcript> {
    let mut t = Transcript {
        source: source.to_string(),
        format: "plain".to_string(),
        ..Default::default()
    };
    let mut in_header = true;
    let mut pending_expects: Vec<String> = Vec::new();
    let mut pending_supp: Vec<Suppression> = Vec::new();
    // A label on a line of its own waits for the text lines that follow.
    let mut open_label: Option<(String, usize, Option<f64>)> = None;
    let mut last_speaker: Option<String> = None;

    for (i, raw) in text.lines().enumerate() {
        let lineno = i + 1 + line_offset;
        let line = raw.trim();
        if line.is_empty() {
            if !t.turns.is_empty() || !t.headers.is_empty() {
                in_header = false;
            }
            continue;
        }
        if let Some(body) = line.strip_prefix('#') {
            let body = body.trim();
            if let Some(rest) = body.strip_prefix("callcoach:") {
                for s in parse_suppression(rest, lineno)? {
                    if s.whole_file {
                        t.suppressions.push(s);
                    } else {
                        pending_supp.push(s);
                    }
                }
                continue;
            }
            if body.to_ascii_lowercase().starts_with("callcoach ignore") {
                bail!("line {lineno}: write '# callcoach: ignore RULE -- reason' (with a colon)");
            }
            if let Some((k, v)) = parse_comment(body) {
                if in_header && t.turns.is_empty() {
                    t.headers.insert(k, v);
                } else if k == "expect" {
                    pending_expects.extend(
                        v.split(',')
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty()),
                    );
                }
            }
            continue;
        }
        in_header = false;
        let (ts, rest) = strip_timestamp(line);
        let (speaker, body) = match split_line(rest) {
            Some((label, body)) => (label.to_string(), body.to_string()),
            None => {
                if let Some((label, l0, ts0)) = open_label.take() {
                    push_turn(
                        &mut t,
                        &label,
                        rest,
                        l0,
                        ts0,
                        &mut pending_expects,
                        &mut pending_supp,
                        &mut last_speaker,
                    );
                    continue;
                }
                // A continuation line of the previous turn.
                match t.turns.last_mut() {
                    Some(prev) => {
                        if !prev.text.is_empty() {
                            prev.text.push(' ');
                        }
                        prev.text.push_str(rest);
                        continue;
                    }
                    None => bail!(
                        "line {lineno}: expected 'Speaker: text' but found '{}'",
                        snippet(rest)
                    ),
                }
            }
        };
        if body.is_empty() {
            open_label = Some((speaker, lineno, ts));
            continue;
        }
        open_label = None;
        push_turn(
            &mut t,
            &speaker,
            &body,
            lineno,
            ts,
            &mut pending_expects,
            &mut pending_supp,
            &mut last_speaker,
        );
    }
    if t.turns.is_empty() {
        bail!("no turns found: expected lines like 'Agent: text'");
    }
    // An annotation binds to the next turn; with none after it, it would silently do nothing.
    if let Some(s) = pending_supp.first() {
        bail!(
            "line {}: '# callcoach: ignore {}' binds to the next turn, but no turn follows",
            s.line,
            s.rule
        );
    }
    if !pending_expects.is_empty() {
        bail!(
            "'# expect: {}' after the last turn binds to no turn (put it on the line before a turn)",
            pending_expects.join(", ")
        );
    }
    t.id = t.header("id").map(|s| s.to_string());
    t.language = t
        .header("lang")
        .or(t.header("language"))
        .and_then(Lang::parse);
    t.kind = t.header("kind").map(|k| {
        if k.trim().eq_ignore_ascii_case("coaching") {
            Kind::Coaching
        } else {
            Kind::Call
        }
    });
    t.agent_name = t.header("agent").map(|s| s.to_string());
    // (One pass: `Transcript::speakers` is quadratic in the number of speakers.)
    let first = t.turns.first().map(|x| x.speaker.as_str()).unwrap_or("");
    if t.turns.iter().all(|x| x.speaker == first) {
        bail!("only one speaker ('{first}'): a call needs at least two");
    }
    Ok(t)
}

#[allow(clippy::too_many_arguments)]
fn push_turn(
    t: &mut Transcript,
    speaker: &str,
    text: &str,
    line: usize,
    start: Option<f64>,
    expects: &mut Vec<String>,
    supp: &mut Vec<Suppression>,
    last_speaker: &mut Option<String>,
) {
    // Consecutive lines of one speaker merge into one turn, unless an annotation separates them.
    if last_speaker.as_deref() == Some(speaker) && expects.is_empty() && supp.is_empty() {
        if let Some(prev) = t.turns.last_mut() {
            prev.text.push(' ');
            prev.text.push_str(text);
            if start.is_some() {
                prev.end = start;
            }
            return;
        }
    }
    if let (Some(prev), Some(s)) = (t.turns.last_mut(), start) {
        if prev.end.is_none() {
            prev.end = Some(s);
        }
    }
    t.turns.push(Turn {
        speaker: speaker.to_string(),
        role: None,
        text: text.to_string(),
        line: Some(line),
        start,
        end: None,
        expects: std::mem::take(expects),
        suppressions: std::mem::take(supp),
    });
    *last_speaker = Some(speaker.to_string());
}

fn snippet(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_timestamps_and_merging() {
        let src = "# id: x\n# lang: nl\n[00:00:03] Agent: Goedemorgen.\n[00:00:05] Agent: Waarmee kan ik helpen?\n[01:09] Klant: Mijn modem.\nnog een regel\n";
        let t = parse(src, "x.txt", 0).unwrap();
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].text, "Goedemorgen. Waarmee kan ik helpen?");
        assert_eq!(t.turns[0].line, Some(3));
        assert_eq!(t.turns[1].start, Some(69.0));
        assert_eq!(t.turns[1].text, "Mijn modem. nog een regel");
        assert_eq!(t.language, Some(Lang::Nl));
    }

    #[test]
    fn label_on_its_own_line() {
        let t = parse("Agent:\nHello there.\nCustomer:\nHi.\n", "x", 0).unwrap();
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[1].text, "Hi.");
        assert_eq!(t.turns[1].line, Some(3));
    }

    #[test]
    fn turn_expectations_and_suppressions() {
        let src = "# expect: none\nAgent: Hi\n# expect: premature-solving\n# callcoach: ignore missing-summary -- demo\nCustomer: Hello\n# callcoach: ignore-file hurried-handling -- ok\n";
        let t = parse(src, "x", 0).unwrap();
        assert_eq!(t.turns[1].expects, vec!["premature-solving"]);
        assert_eq!(t.turns[1].suppressions[0].rule, "missing-summary");
        assert_eq!(t.suppressions[0].rule, "hurried-handling");
    }

    #[test]
    fn suppression_forms_and_errors() {
        let src = "Agent: Hi\n# callcoach: ignore missing-summary, premature-solving -- demo\nCustomer: Hello\n";
        let t = parse(src, "x", 0).unwrap();
        let rules: Vec<&str> = t.turns[1]
            .suppressions
            .iter()
            .map(|s| s.rule.as_str())
            .collect();
        assert_eq!(rules, ["missing-summary", "premature-solving"]);
        assert_eq!(t.turns[1].suppressions[1].reason, "demo");
        assert_eq!(t.turns[1].suppressions[1].line, 2);
        let e = parse(
            "Agent: a\n# callcoach: ignore premature-solving because\nB: b",
            "x",
            0,
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = parse(
            "Agent: a\nB: b\n# callcoach: ignore premature-solving -- x\n",
            "x",
            10,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("line 13") && e.to_string().contains("no turn follows"),
            "{e}"
        );
        let e = parse("Agent: a\n# callcoach ignore x\nB: b", "x", 0).unwrap_err();
        assert!(e.to_string().contains("colon"), "{e}");
        assert!(parse("Agent: a\nB: b\n# expect: premature-solving\n", "x", 0).is_err());
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("hello world\nAgent: hi", "x", 0).unwrap_err();
        assert!(e.to_string().contains("line 1"));
        let e = parse("Agent: hi\nAgent: again", "x", 0).unwrap_err();
        assert!(e.to_string().contains("one speaker"));
        assert!(parse("# callcoach: ignore\nAgent: a\nB: b", "x", 0).is_err());
    }

    #[test]
    fn whisperx_text_labels() {
        let t = parse(
            "[SPEAKER_00]: Hello, how can I help?\n[SPEAKER_01]: My modem.\n",
            "x",
            0,
        )
        .unwrap();
        assert_eq!(t.turns[0].speaker, "SPEAKER_00");
        assert_eq!(t.turns[1].text, "My modem.");
        assert!(detect("[SPEAKER_00]: Hello"));
    }

    #[test]
    fn clock_forms() {
        assert_eq!(parse_clock("01:02:03"), Some(3723.0));
        assert_eq!(parse_clock("02:03.5"), Some(123.5));
        assert_eq!(parse_clock("abc"), None);
        assert_eq!(strip_timestamp("12:30 Agent: x").1, "Agent: x");
    }
}
