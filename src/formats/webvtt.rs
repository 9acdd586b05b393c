//! WebVTT: generic captions, Microsoft Teams (`<v Name>` voice spans, `GUID/n-m` cue ids
//! whose fragments make one utterance, HTML entities, unpadded `0:0:3.5` times, Graph
//! `metadataContent` JSON payloads), Zoom cloud-recording transcripts (`Name: text`, split on
//! the first `": "`), and WhisperX (`[SPEAKER_00]: text`). One format name, `webvtt`; the
//! variant found is kept in the `variant` header (`teams`, `zoom`, `whisperx`, `captions`).

use super::turns::{build_turns, Segment};
use super::util::{decode_entities, lines, parse_time, snippet, squash};
use crate::transcript::Transcript;
use anyhow::{bail, Result};
use std::collections::HashMap;

fn is_header_line(line: &str) -> bool {
    line.strip_prefix("WEBVTT")
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
}

/// A `WEBVTT` first line; or, without one, `-->` timings with `<v ...>` voice spans.
pub fn detect(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    if first.is_some_and(is_header_line) {
        return true;
    }
    // The first 60 lines; most files (any other format) lack a timing arrow or a voice tag
    // there, which one search finds.
    let end = text
        .match_indices('\n')
        .nth(59)
        .map_or(text.len(), |(i, _)| i);
    if !text[..end].contains("-->") || !text[..end].contains("<v ") {
        return false;
    }
    let head: Vec<&str> = text.lines().take(60).collect();
    head.iter().any(|l| parse_timing(l).is_some()) && head.iter().any(|l| l.contains("<v "))
}

/// `start --> end [settings]` (spaces around the arrow optional).
pub fn parse_timing(line: &str) -> Option<(f64, f64)> {
    let (a, b) = line.split_once("-->")?;
    let start = parse_time(a.trim())?;
    let end = parse_time(b.split_whitespace().next()?)?;
    Some((start, end))
}

/// `GUID/n-m`: the utterance key `GUID/n`.
fn teams_cue_key(id: &str) -> Option<&str> {
    let (guid, frag) = id.trim().rsplit_once('/')?;
    let (n, m) = frag.split_once('-')?;
    let ok = guid.len() >= 8
        && guid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
        && !m.is_empty()
        && m.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| &id.trim()[..guid.len() + 1 + n.len()])
}

/// `Name: text` with a plausible name (Zoom transcripts). Splits on the first `": "`.
pub fn split_name(text: &str) -> Option<(&str, &str)> {
    let i = text.find(": ")?;
    let name = text[..i].trim();
    if name.is_empty()
        || name.chars().count() > 60
        || name.split_whitespace().count() > 6
        || name.contains(['?', '!', '"', '<', '>', '[', ']'])
    {
        return None;
    }
    Some((name, text[i + 2..].trim()))
}

/// `[SPEAKER_00]: text` (WhisperX) or any `[Label]: text`.
pub fn split_bracket_label(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix('[')?;
    let close = rest.find("]:")?;
    let label = rest[..close].trim();
    if label.is_empty() || label.chars().count() > 40 || label.contains(['[', ']']) {
        return None;
    }
    Some((label, rest[close + 2..].trim()))
}

/// A cue's payload split into voice spans: `(voice, text)`, tags removed, entities decoded.
pub fn voice_spans(payload: &str) -> Vec<(Option<String>, String)> {
    let mut out: Vec<(Option<String>, String)> = Vec::new();
    let mut voice: Option<String> = None;
    let mut buf = String::new();
    let mut rest = payload;
    let flush =
        |voice: &Option<String>, buf: &mut String, out: &mut Vec<(Option<String>, String)>| {
            let text = squash(&decode_entities(buf));
            buf.clear();
            if !text.is_empty() {
                out.push((voice.clone(), text));
            }
        };
    while let Some(i) = rest.find('<') {
        buf.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(close) = after.find('>') else {
            // A lone '<': keep it as text.
            buf.push('<');
            rest = after;
            continue;
        };
        let tag = &after[..close];
        rest = &after[close + 1..];
        if let Some(v) = tag
            .strip_prefix('v')
            .filter(|v| v.starts_with([' ', '.', '\t']))
        {
            flush(&voice, &mut buf, &mut out);
            // `<v.loud Name>`: the classes run up to the first space.
            let name = match v.find([' ', '\t']) {
                Some(j) => &v[j + 1..],
                None => "",
            };
            let name = squash(&decode_entities(name));
            voice = (!name.is_empty()).then_some(name);
        } else if tag == "/v" {
            flush(&voice, &mut buf, &mut out);
            voice = None;
        }
        // Other tags (<c>, <i>, <b>, <u>, <lang>, <ruby>, <rt>, <00:00:01.000>) are markup only.
    }
    buf.push_str(rest);
    flush(&voice, &mut buf, &mut out);
    out
}

/// A timed block of a subtitle file (WebVTT cue, SRT subtitle).
pub struct Cue {
    /// 1-based line where the cue starts (its id or index line, else its timing line).
    pub line: usize,
    pub id: Option<String>,
    pub start: f64,
    pub end: f64,
    /// The text lines, joined with `\n`.
    pub payload: String,
}

fn is_cue_id_like(line: &str) -> bool {
    let l = line.trim();
    (!l.is_empty() && l.bytes().all(|b| b.is_ascii_digit())) || teams_cue_key(l).is_some()
}

/// Cues, and `Key: value` lines of the header block.
pub type Cues = (Vec<Cue>, Vec<(String, String)>);

/// Read the cues of a WebVTT or SRT file (a `WEBVTT` header block is optional).
pub fn read_cues(text: &str) -> Result<Cues> {
    let all = lines(text);
    let mut cues: Vec<Cue> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    let mut first_block = true;
    while i < all.len() {
        if all[i].trim().is_empty() {
            i += 1;
            continue;
        }
        // A block: lines up to the next blank line.
        let start = i;
        while i < all.len() && !all[i].trim().is_empty() {
            i += 1;
        }
        let mut block = &all[start..i];
        let mut block_start = start;
        if first_block && is_header_line(block[0].trim()) {
            first_block = false;
            // Header lines (`Kind: captions`, `Language: nl`) up to the first cue, which
            // may follow without a blank line.
            let cue_at = match block.iter().position(|l| parse_timing(l).is_some()) {
                Some(j) if j > 1 && is_cue_id_like(block[j - 1]) => j - 1,
                Some(j) => j,
                None => block.len(),
            };
            for l in &block[1..cue_at] {
                if let Some((k, v)) = l.split_once(':') {
                    headers.push((k.trim().to_lowercase(), v.trim().to_string()));
                }
            }
            if cue_at == block.len() {
                continue;
            }
            block = &block[cue_at..];
            block_start += cue_at;
        }
        first_block = false;
        let head = block[0].trim();
        let word = head.split_whitespace().next().unwrap_or("");
        if matches!(word, "NOTE" | "STYLE" | "REGION") && parse_timing(head).is_none() {
            continue;
        }
        read_block(block, block_start, &mut cues)?;
    }
    Ok((cues, headers))
}

/// One blank-line-separated block: one cue, or several when blank lines are missing.
/// `first` is the 0-based index of the block's first line in the file.
fn read_block(block: &[&str], first: usize, cues: &mut Vec<Cue>) -> Result<()> {
    let is_timing: Vec<bool> = block.iter().map(|l| parse_timing(l).is_some()).collect();
    let Some(first_timing) = is_timing.iter().position(|&x| x) else {
        // No timing line: the text of the cue before, split by a stray blank line.
        return match cues.last_mut() {
            Some(c) => {
                for l in block {
                    c.payload.push('\n');
                    c.payload.push_str(l.trim());
                }
                Ok(())
            }
            None => bail!(
                "line {}: expected a cue timing line like '00:00:01.000 --> 00:00:04.000' but found '{}'",
                first + 1,
                snippet(block[0].trim())
            ),
        };
    };
    // Where each cue in the block begins (its id line, else its timing line).
    let mut begins: Vec<(usize, usize)> = Vec::new(); // (begin, timing)
    for (k, _) in is_timing.iter().enumerate().filter(|(_, &x)| x) {
        let has_id =
            k > 0 && !is_timing[k - 1] && (k == first_timing || is_cue_id_like(block[k - 1]));
        begins.push((if has_id { k - 1 } else { k }, k));
    }
    // Lines before the first cue: text of the cue before, or an error.
    let lead = begins[0].0;
    if lead > 0 {
        match cues.last_mut() {
            Some(c) => {
                for l in &block[..lead] {
                    c.payload.push('\n');
                    c.payload.push_str(l.trim());
                }
            }
            None => bail!(
                "line {}: expected a cue timing line like '00:00:01.000 --> 00:00:04.000' but found '{}'",
                first + 1,
                snippet(block[0].trim())
            ),
        }
    }
    for (n, &(begin, k)) in begins.iter().enumerate() {
        let Some((start, end)) = parse_timing(block[k]) else {
            continue;
        };
        let stop = begins.get(n + 1).map(|b| b.0).unwrap_or(block.len());
        let payload: Vec<&str> = block[k + 1..stop.max(k + 1)]
            .iter()
            .map(|l| l.trim())
            .collect();
        cues.push(Cue {
            line: first + begin + 1,
            id: (begin < k).then(|| block[begin].trim().to_string()),
            start,
            end,
            payload: payload.join("\n"),
        });
    }
    Ok(())
}

pub fn parse(text: &str, source: &str) -> Result<Vec<Transcript>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (cues, headers) = read_cues(text)?;
    if cues.is_empty() {
        bail!("no cues found: expected '00:00:01.000 --> 00:00:04.000' timing lines");
    }
    let spans: Vec<Vec<(Option<String>, String)>> =
        cues.iter().map(|c| voice_spans(&c.payload)).collect();
    let teams = cues
        .iter()
        .any(|c| c.id.as_deref().and_then(teams_cue_key).is_some())
        || spans.iter().flatten().any(|(v, _)| v.is_some());
    let metadata = cues
        .iter()
        .take(20)
        .any(|c| c.payload.trim_start().starts_with("{\"") && c.payload.contains("spokenText"));
    let with_text: Vec<&String> = spans.iter().flatten().map(|(_, t)| t).collect();
    let count = |f: &dyn Fn(&str) -> bool| with_text.iter().filter(|t| f(t)).count();
    let bracketed = count(&|t| split_bracket_label(t).is_some());
    let named = count(&|t| split_name(t).is_some());
    let total = with_text.len().max(1);
    let variant = if metadata {
        "teams-metadata"
    } else if teams {
        "teams"
    } else if bracketed * 2 >= total && bracketed > 0 {
        "whisperx"
    } else if named * 10 >= total * 6 && named > 0 {
        "zoom"
    } else {
        "captions"
    };

    let mut segs: Vec<Segment> = Vec::new();
    // Teams fragments `GUID/n-m` of one utterance `n` merge into one segment.
    let mut fragments: HashMap<String, usize> = HashMap::new();
    let mut last_speaker = String::new();
    for (cue, spans) in cues.iter().zip(spans) {
        if variant == "teams-metadata" {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(cue.payload.trim()) {
                let speaker = super::json::str_at(&v, "speakerName").unwrap_or("").trim();
                let text = super::json::str_at(&v, "spokenText").unwrap_or("");
                segs.push(Segment {
                    speaker: speaker.to_string(),
                    text: squash(text),
                    start: Some(cue.start),
                    end: Some(cue.end),
                    line: Some(cue.line),
                    role: None,
                });
            }
            continue;
        }
        for (voice, body) in spans {
            let (speaker, body) = match (variant, voice) {
                (_, Some(v)) => (v, body),
                ("whisperx", None) => match split_bracket_label(&body) {
                    Some((l, b)) => (l.to_string(), b.to_string()),
                    None => (String::new(), body),
                },
                ("zoom", None) => match split_name(&body) {
                    Some((n, b)) => (n.to_string(), b.to_string()),
                    // No prefix: the previous speaker goes on.
                    None => (last_speaker.clone(), body),
                },
                _ => (String::new(), body),
            };
            last_speaker = speaker.clone();
            let key = cue
                .id
                .as_deref()
                .and_then(teams_cue_key)
                .map(|k| format!("{k}\u{0}{speaker}"));
            if let Some(k) = &key {
                if let Some(&at) = fragments.get(k) {
                    let s = &mut segs[at];
                    s.text.push(' ');
                    s.text.push_str(&body);
                    s.end = Some(s.end.map_or(cue.end, |e| e.max(cue.end)));
                    continue;
                }
                fragments.insert(k.clone(), segs.len());
            }
            segs.push(Segment {
                speaker,
                role: None,
                text: body,
                start: Some(cue.start),
                end: Some(cue.end),
                line: Some(cue.line),
            });
        }
    }
    let turns = build_turns(segs);
    if turns.is_empty() {
        bail!("no speech in the file: every cue is empty");
    }
    let mut t = Transcript {
        source: source.to_string(),
        format: "webvtt".to_string(),
        turns,
        ..Default::default()
    };
    for (k, v) in headers {
        t.headers.insert(k, v);
    }
    t.language = t.header("language").and_then(super::util::lang_code);
    t.headers.insert("variant".into(), variant.into());
    Ok(vec![t])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_fragments_entities_and_unpadded_times() {
        let src = "WEBVTT\n\n90a4b0c8-b2ca-4147-85e9-515fe750cc7a/18-0\n0:0:3.5 --> 0:0:5.0\n<v Carlos Far&#237;as>Hello &amp; welcome\nto the call.</v>\n\n90a4b0c8-b2ca-4147-85e9-515fe750cc7a/18-1\n0:0:5.0 --> 0:0:7.0\n<v Carlos Far&#237;as>How can I help?</v>\n\n90a4b0c8-b2ca-4147-85e9-515fe750cc7a/19-0\n00:00:07.500 --> 00:00:09.000\n<v Doe, Jane [Sales]>My order is late.\n";
        let t = &parse(src, "x.vtt").unwrap()[0];
        assert_eq!(t.header("variant"), Some("teams"));
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].speaker, "Carlos Farías");
        assert_eq!(
            t.turns[0].text,
            "Hello & welcome to the call. How can I help?"
        );
        assert_eq!((t.turns[0].start, t.turns[0].end), (Some(3.5), Some(7.0)));
        assert_eq!(t.turns[0].line, Some(3));
        assert_eq!(t.turns[1].speaker, "Doe, Jane [Sales]");
    }

    #[test]
    fn zoom_names_split_on_first_colon() {
        let src = "WEBVTT\n\n1\n00:00:00.050 --> 00:00:01.790\nDr. Melissa Ko: Note: this is it\n\n2\n00:00:02.000 --> 00:00:03.000\nand more\n\n3\n00:00:03.500 --> 00:00:04.000\nConor Healy: Hi!\n";
        let t = &parse(src, "x.vtt").unwrap()[0];
        assert_eq!(t.header("variant"), Some("zoom"));
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].speaker, "Dr. Melissa Ko");
        assert_eq!(t.turns[0].text, "Note: this is it and more");
    }

    #[test]
    fn captions_without_speakers_and_loose_syntax() {
        let src = "WEBVTT\r\n\r\nNOTE a comment\r\n\r\n00:01:08.000 --> 00:01:09.000 line:0\r\nThis <i>doesn't</i>.\r\n00:01:09,500-->00:01:10.000\r\nSecond\r\n";
        let t = &parse(src, "x.vtt").unwrap()[0];
        assert_eq!(t.header("variant"), Some("captions"));
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].text, "This doesn't.");
        assert!(t.turns.iter().all(|x| x.speaker.is_empty()));
        assert_eq!(t.turns[1].start, Some(69.5));
    }

    #[test]
    fn whisperx_prefix_and_errors() {
        let src = "WEBVTT\n\n00:00.000 --> 00:01.000\n[SPEAKER_00]: Hello.\n\n00:01.000 --> 00:02.000\n[SPEAKER_01]: Hi.\n";
        let t = &parse(src, "x.vtt").unwrap()[0];
        assert_eq!(t.speakers(), vec!["SPEAKER_00", "SPEAKER_01"]);
        let e = parse("WEBVTT\n\nhello\nworld\n", "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3"), "{e}");
        assert!(parse("WEBVTT\n", "x").is_err());
        assert!(detect("\u{feff}WEBVTT"));
        assert!(!detect("WEBVTTX\n"));
    }

    #[test]
    fn teams_graph_metadata_payloads() {
        let src = "WEBVTT\n\n00:00:00.000 --> 00:00:05.320\n{\"startDateTime\":\"2023-01-01T10:00:00Z\",\"speakerName\":\"User Name\",\"spokenText\":\"Hello there.\",\"spokenLanguage\":\"en-us\"}\n\n00:00:05.500 --> 00:00:07.000\n{\"speakerName\":\"Other Person\",\"spokenText\":\"Hi!\"}\n";
        let t = &parse(src, "x.vtt").unwrap()[0];
        assert_eq!(t.header("variant"), Some("teams-metadata"));
        assert_eq!(t.speakers(), vec!["User Name", "Other Person"]);
        assert_eq!(t.turns[0].text, "Hello there.");
    }
}
