//! Zoom chat export (`…newChat.txt` / `chat.txt`): `HH:MM:SS<TAB>Name:<TAB>message`, or the
//! newer `HH:MM:SS From Name to Everyone:` with the message on the following lines. Lines
//! that match neither continue the message before. Reactions (`Reacted to "…" with 👍`)
//! are not messages and are left out.

use super::turns::{build_turns, Segment};
use super::util::{lines, parse_time, snippet};
use crate::transcript::Transcript;
use anyhow::{bail, Result};
use regex::Regex;
use std::sync::OnceLock;

fn tab_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^(\d{1,2}:\d{2}:\d{2})\t([^\t]{1,200}?):[ \t]*\t(.*)$").expect("valid regex")
    })
}

fn from_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"^(\d{1,2}:\d{2}:\d{2})\s+From\s+(.{1,200}?)(?:\s+to\s+(.{1,200}?))?\s*:\s*(.*)$",
        )
        .expect("valid regex")
    })
}

fn reaction() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r#"^(?:Reacted to ".*" with .{1,40}|Removed a .{1,40} reaction from ".*")$"#)
            .expect("valid regex")
    })
}

/// `H:MM:SS` or `HH:MM:SS` then a tab or white space and `From`.
fn opens_like_chat(l: &str) -> bool {
    let b = l.as_bytes();
    let h = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&h) {
        return false;
    }
    let t = &b[h..];
    let clock = t.len() >= 6
        && t[0] == b':'
        && t[1..3].iter().all(u8::is_ascii_digit)
        && t[3] == b':'
        && t[4..6].iter().all(u8::is_ascii_digit);
    clock && {
        let rest = &l[h + 6..];
        rest.starts_with('\t') || rest.trim_start().starts_with("From")
    }
}

/// Most of the first lines are chat lines.
pub fn detect(text: &str) -> bool {
    let head: Vec<&str> = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    // A cheap look at the line's opening first: the full patterns are only compiled for
    // text that starts like a chat export.
    let hits = head
        .iter()
        .filter(|l| opens_like_chat(l) && (tab_line().is_match(l) || from_line().is_match(l)))
        .count();
    hits > 0 && hits * 2 >= head.len()
}

pub fn parse(text: &str, source: &str) -> Result<Vec<Transcript>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut segs: Vec<Segment> = Vec::new();
    let mut reactions = 0usize;
    for (i, raw) in lines(text).iter().enumerate() {
        let lineno = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let head = tab_line()
            .captures(raw)
            .map(|c| (c[1].to_string(), c[2].to_string(), c[3].to_string()))
            .or_else(|| {
                from_line()
                    .captures(raw)
                    .map(|c| (c[1].to_string(), c[2].to_string(), c[4].to_string()))
            });
        match head {
            Some((time, name, message)) => segs.push(Segment {
                speaker: name.trim().to_string(),
                role: None,
                text: message.trim().to_string(),
                start: parse_time(&time),
                end: None,
                line: Some(lineno),
            }),
            None => match segs.last_mut() {
                // A message over several lines.
                Some(s) => {
                    if !s.text.is_empty() {
                        s.text.push(' ');
                    }
                    s.text.push_str(raw.trim());
                }
                None => bail!(
                    "line {lineno}: expected a chat line like '00:11:15<TAB>Name:<TAB>message' but found '{}'",
                    snippet(raw.trim())
                ),
            },
        }
    }
    segs.retain(|s| {
        let r = reaction().is_match(s.text.trim());
        reactions += r as usize;
        !r
    });
    let turns = build_turns(segs);
    if turns.is_empty() {
        bail!("no messages in the chat (only {reactions} reactions)");
    }
    Ok(vec![Transcript {
        source: source.to_string(),
        format: "zoom-chat".to_string(),
        turns,
        ..Default::default()
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_and_from_lines() {
        let src = "00:05:16\tRyan Sloan:\tLet’s try to stay muted\r\n00:11:15\tRyan Sloan:\tGreat point, Srijani!\r\n00:12:02\tDr. Melissa Ko:\tReacted to \"Lots of engagement c...\" with 👍\r\n00:12:25\tDr. Melissa Ko:\tCould also consider: peer review\r\nsecond line\r\n10:01:02 From Ann to Everyone:\r\n\tHello all\r\n";
        assert!(detect(src));
        let t = &parse(src, "chat.txt").unwrap()[0];
        let got = crate::formats::speaker_texts(t);
        assert_eq!(
            got,
            vec![
                (
                    "Ryan Sloan",
                    "Let’s try to stay muted Great point, Srijani!"
                ),
                (
                    "Dr. Melissa Ko",
                    "Could also consider: peer review second line"
                ),
                ("Ann", "Hello all"),
            ]
        );
        assert_eq!(t.turns[1].line, Some(4));
        assert_eq!(t.turns[1].start, Some(745.0));
    }

    #[test]
    fn only_reactions_or_not_chat() {
        let e = parse("00:12:02\tA:\tReacted to \"x\" with 👍\n", "x").unwrap_err();
        assert!(e.to_string().contains("reactions"));
        assert!(!detect("Agent: hello\nKlant: hoi\n"));
        assert!(parse("hello\n", "x")
            .unwrap_err()
            .to_string()
            .contains("line 1"));
    }
}
