//! SRT subtitles: an index line, `hh:mm:ss,mmm --> hh:mm:ss,mmm`, text lines, a blank line.
//! Tolerated: dot decimals, `-->` without spaces, missing index lines, missing blank lines,
//! BOM, CRLF. SRT has no speakers; WhisperX writes `[SPEAKER_00]: text`, which is read as
//! the speaker `SPEAKER_00`.

use super::turns::{build_turns, Segment};
use super::util::lines;
use super::webvtt::{parse_timing, read_cues, split_bracket_label, voice_spans};
use crate::transcript::Transcript;
use anyhow::{bail, Result};

fn is_index(line: &str) -> bool {
    let l = line.trim();
    !l.is_empty() && l.len() <= 9 && l.bytes().all(|b| b.is_ascii_digit())
}

/// The first block is an index line then a timing line; or the file starts with a timing
/// line and its cues are separated by blank lines.
pub fn detect(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}');
    // SubRip opens with a cue number or a timing line.
    let opening = text.lines().find(|l| !l.trim().is_empty());
    if !opening.is_some_and(|l| is_index(l) || parse_timing(l).is_some()) {
        return false;
    }
    let head: Vec<&str> = text.lines().take(400).collect();
    let Some(first) = head.iter().position(|l| !l.trim().is_empty()) else {
        return false;
    };
    if is_index(head[first]) {
        return head
            .get(first + 1)
            .is_some_and(|l| parse_timing(l).is_some());
    }
    if parse_timing(head[first]).is_none() {
        return false;
    }
    match head[first + 1..]
        .iter()
        .position(|l| parse_timing(l).is_some())
    {
        // A blank line (or an index line) before the second timing line.
        Some(j) => head[first + 1..first + 1 + j]
            .iter()
            .any(|l| l.trim().is_empty()),
        None => true,
    }
}

pub fn parse(text: &str, source: &str) -> Result<Vec<Transcript>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if lines(text)
        .first()
        .is_some_and(|l| l.trim().starts_with("WEBVTT"))
    {
        bail!("line 1: this is a WebVTT file, not SRT (use --input-format webvtt)");
    }
    let (cues, _) = read_cues(text)?;
    if cues.is_empty() {
        bail!("no subtitles found: expected '00:00:01,000 --> 00:00:04,000' timing lines");
    }
    let mut segs = Vec::with_capacity(cues.len());
    for cue in &cues {
        if cue.id.as_deref().is_some_and(|id| !is_index(id)) {
            bail!(
                "line {}: expected a subtitle number or a timing line, found '{}'",
                cue.line,
                super::util::snippet(cue.id.as_deref().unwrap_or(""))
            );
        }
        let text: Vec<String> = voice_spans(&cue.payload)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        let text = text.join(" ");
        let (speaker, body) = match split_bracket_label(&text) {
            Some((l, b)) => (l.to_string(), b.to_string()),
            None => (String::new(), text),
        };
        segs.push(Segment {
            speaker,
            role: None,
            text: body,
            start: Some(cue.start),
            end: Some(cue.end),
            line: Some(cue.line),
        });
    }
    let turns = build_turns(segs);
    if turns.is_empty() {
        bail!("no speech in the file: every subtitle is empty");
    }
    Ok(vec![Transcript {
        source: source.to_string(),
        format: "srt".to_string(),
        turns,
        ..Default::default()
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srt_variants() {
        let src = "\u{feff}1\r\n00:00:02,878 --> 00:00:10,199\r\nThis is a <i>test</i>.\r\nSecond line.\r\n\r\n00:00:11.000-->00:00:12.000\r\nNo index here.\r\n3\r\n00:00:13,000 --> 00:00:14,000\r\nNo blank line before.";
        assert!(detect(src));
        let t = &parse(src, "x.srt").unwrap()[0];
        assert_eq!(t.turns.len(), 3);
        assert_eq!(t.turns[0].text, "This is a test. Second line.");
        assert_eq!(t.turns[0].line, Some(1));
        assert_eq!(t.turns[1].start, Some(11.0));
        assert_eq!(t.turns[2].text, "No blank line before.");
        assert_eq!(t.turns[2].line, Some(8));
    }

    #[test]
    fn whisperx_speakers_merge() {
        let src = "1\n00:00:00,000 --> 00:00:01,000\n[SPEAKER_00]: Hello,\n\n2\n00:00:01,000 --> 00:00:02,000\n[SPEAKER_00]: how can I help?\n\n3\n00:00:02,500 --> 00:00:04,000\n[SPEAKER_01]: My bill [PII] is wrong.\n";
        let t = &parse(src, "x.srt").unwrap()[0];
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].speaker, "SPEAKER_00");
        assert_eq!(t.turns[0].text, "Hello, how can I help?");
        assert_eq!(t.turns[1].text, "My bill [PII] is wrong.");
    }

    #[test]
    fn errors_name_lines() {
        let e = parse(
            "1\n00:00:01,000 --> 00:00:02,000\nhi\n\nfoo\nbar\n00:00:03,000 --> 00:00:04,000\nx\n",
            "x",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("line 6"), "{e}");
        assert!(!detect("00:00:00.000 --> 00:00:10.120\nClient RepA\ntext\n00:00:11.000 --> 00:00:12.000\nB\ntext\n"));
    }
}
