//! Microsoft Teams legacy text transcript ("Download as .txt", older Stream): repeating
//! blocks of a timing line (`00:00:00.000 --> 00:00:10.120`, or unpadded `0:0:0.0 -->
//! 0:0:0.820`), a speaker line, and text lines; no WEBVTT header, blank lines optional.

use super::turns::{build_turns, Segment};
use super::util::{lines, snippet, squash};
use super::webvtt::parse_timing;
use crate::transcript::Transcript;
use anyhow::{bail, Result};
use std::collections::BTreeSet;

/// A line that can be a speaker name: short, and not a sentence.
fn name_like(line: &str) -> bool {
    let l = line.trim();
    !l.is_empty()
        && l.chars().count() <= 60
        && l.split_whitespace().count() <= 6
        && !l.ends_with(['.', '?', '!', ','])
        && parse_timing(l).is_none()
}

/// Timing lines each followed by a short name line and a text line, where the names repeat
/// (subtitle text does not), and no `WEBVTT` header.
pub fn detect(text: &str) -> bool {
    let all: Vec<&str> = text.lines().take(600).collect();
    let Some(first) = all.iter().position(|l| !l.trim().is_empty()) else {
        return false;
    };
    if parse_timing(all[first]).is_none() {
        return false;
    }
    let mut cues = 0;
    let mut named = 0;
    let mut names = BTreeSet::new();
    let mut i = first;
    while i < all.len() {
        if parse_timing(all[i]).is_some() {
            let rest: Vec<&str> = all[i + 1..]
                .iter()
                .take(3)
                .copied()
                .filter(|l| !l.trim().is_empty())
                .collect();
            cues += 1;
            if rest.len() >= 2 && name_like(rest[0]) && parse_timing(rest[1]).is_none() {
                named += 1;
                names.insert(rest[0].trim());
            }
            if cues >= 30 {
                break;
            }
        }
        i += 1;
    }
    cues >= 2 && named * 10 >= cues * 8 && names.len() * 4 <= (cues * 3).max(12)
}

pub fn parse(text: &str, source: &str) -> Result<Vec<Transcript>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let all = lines(text);
    let mut segs: Vec<Segment> = Vec::new();
    // (timing line, start, end, speaker, text)
    let mut cur: Option<(usize, f64, f64, Option<String>, String)> = None;
    for (i, raw) in all.iter().enumerate() {
        let lineno = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some((s, e)) = parse_timing(line) {
            if let Some((l, s, e, sp, tx)) = cur.take() {
                segs.push(segment(l, s, e, sp, tx));
            }
            cur = Some((lineno, s, e, None, String::new()));
            continue;
        }
        match cur.as_mut() {
            Some((_, _, _, sp @ None, _)) => *sp = Some(line.to_string()),
            Some((_, _, _, Some(_), tx)) => {
                tx.push(' ');
                tx.push_str(line);
            }
            None => bail!(
                "line {lineno}: expected a timing line like '00:00:00.000 --> 00:00:10.120' but found '{}'",
                snippet(line)
            ),
        }
    }
    if let Some((l, s, e, sp, tx)) = cur.take() {
        segs.push(segment(l, s, e, sp, tx));
    }
    let turns = build_turns(segs);
    if turns.is_empty() {
        bail!("no speech in the file: no block has text");
    }
    Ok(vec![Transcript {
        source: source.to_string(),
        format: "teams-txt".to_string(),
        turns,
        ..Default::default()
    }])
}

fn segment(line: usize, start: f64, end: f64, speaker: Option<String>, text: String) -> Segment {
    Segment {
        speaker: speaker.unwrap_or_default(),
        role: None,
        text: squash(&text),
        start: Some(start),
        end: Some(end),
        line: Some(line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_overlap_and_backchannel() {
        let src = "0:0:0.0 --> 0:0:10.120\nClient RepA\nWe need to load open orders.\n00:00:11.150 --> 00:00:15.930\nClient RepA\nBut while reviewing that file.\n00:00:12.000 --> 00:00:12.300\nOrg RepB\nYeah.\n00:00:16.000 --> 00:00:20.000\n+12*******65\nYou can fill out these fields.\n";
        assert!(detect(src));
        let t = &parse(src, "x.txt").unwrap()[0];
        let got = crate::formats::speaker_texts(t);
        assert_eq!(
            got,
            vec![
                (
                    "Client RepA",
                    "We need to load open orders. But while reviewing that file."
                ),
                ("Org RepB", "Yeah."),
                ("+12*******65", "You can fill out these fields."),
            ]
        );
        assert_eq!(t.turns[0].line, Some(1));
        assert_eq!(t.turns[1].line, Some(7));
    }

    #[test]
    fn not_teams_text() {
        assert!(!detect("1\n00:00:01,000 --> 00:00:02,000\nHello there.\n"));
        assert!(!detect("Agent: hello\nKlant: hoi\n"));
        assert!(parse("hello\n00:00:01.000 --> 00:00:02.000\nA\nb\n", "x").is_err());
    }
}
