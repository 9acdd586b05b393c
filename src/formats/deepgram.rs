//! Deepgram pre-recorded response: `results.utterances[]` when present, else
//! `paragraphs`, else the words of each channel. Speakers are Deepgram's integers, written
//! `Speaker 0` as Deepgram itself does (`--agent 0` or `--agent "Speaker 0"` maps them);
//! with several audio channels (`multichannel`) the speaker is the channel, `ch_0`, `ch_1`
//! (`--agent channel:0`). Without diarisation there are no speakers.

use super::json::{arr_at, element_lines, load, num_at, sniff, str_at, LineIndex, Step};
use super::turns::{
    build_turns, sort_by_start, sort_words_by_start, words_to_segments, Segment, Word,
};
use super::util::set_language;
use crate::transcript::Transcript;
use anyhow::{bail, Result};
use serde_json::Value;

/// `results.channels[].alternatives[]` (+ `metadata`).
pub fn detect(text: &str) -> bool {
    sniff(text).is_some_and(|v| {
        v.get("metadata").is_some()
            && v.pointer("/results/channels").is_some_and(|c| {
                c.as_array()
                    .is_some_and(|a| a.iter().take(4).all(|ch| ch.get("alternatives").is_some()))
            })
    })
}

fn speaker_of(v: &Value, channel: Option<u64>, multichannel: bool) -> String {
    if multichannel {
        if let Some(c) = channel {
            return format!("ch_{c}");
        }
    }
    match v.get("speaker") {
        Some(Value::Number(n)) => format!("Speaker {n}"),
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => String::new(),
    }
}

pub fn parse(text: &str, source: &str) -> Result<Vec<Transcript>> {
    let v = load(text)?;
    let Some(results) = v.get("results") else {
        bail!("not a Deepgram response: no 'results'");
    };
    let channels = arr_at(results, "channels");
    let multichannel = channels.len() > 1;
    let li = LineIndex::new(text);
    let mut segs: Vec<Segment> = Vec::new();
    let mut source_used = "utterances";
    let utterances = arr_at(results, "utterances");
    if !utterances.is_empty() {
        let lines = element_lines(text, &li, &[Step::Key("results"), Step::Key("utterances")]);
        for (i, u) in utterances.iter().enumerate() {
            let channel = u.get("channel").and_then(Value::as_u64);
            segs.push(Segment {
                speaker: speaker_of(u, channel, multichannel),
                role: None,
                text: str_at(u, "transcript").unwrap_or("").to_string(),
                start: num_at(u, "start"),
                end: num_at(u, "end"),
                line: lines.get(i).copied(),
            });
        }
    } else {
        let mut words: Vec<Word> = Vec::new();
        let has_paragraphs = channels.iter().any(|c| {
            c.pointer("/alternatives/0/paragraphs/paragraphs")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty())
        });
        for (ci, ch) in channels.iter().enumerate() {
            let Some(alt) = ch.pointer("/alternatives/0") else {
                continue;
            };
            let base = [
                Step::Key("results"),
                Step::Key("channels"),
                Step::Idx(ci),
                Step::Key("alternatives"),
                Step::Idx(0),
            ];
            if has_paragraphs {
                source_used = "paragraphs";
                let mut path = base.to_vec();
                path.extend([Step::Key("paragraphs"), Step::Key("paragraphs")]);
                let lines = element_lines(text, &li, &path);
                let paras = alt
                    .pointer("/paragraphs/paragraphs")
                    .and_then(Value::as_array)
                    .map(|a| a.as_slice())
                    .unwrap_or(&[]);
                for (i, p) in paras.iter().enumerate() {
                    let text: Vec<&str> = arr_at(p, "sentences")
                        .iter()
                        .filter_map(|s| str_at(s, "text"))
                        .collect();
                    segs.push(Segment {
                        speaker: speaker_of(p, Some(ci as u64), multichannel),
                        role: None,
                        text: text.join(" "),
                        start: num_at(p, "start"),
                        end: num_at(p, "end"),
                        line: lines.get(i).copied(),
                    });
                }
            } else {
                source_used = "words";
                let mut path = base.to_vec();
                path.push(Step::Key("words"));
                let lines = element_lines(text, &li, &path);
                for (i, w) in arr_at(alt, "words").iter().enumerate() {
                    let text = str_at(w, "punctuated_word")
                        .or_else(|| str_at(w, "word"))
                        .unwrap_or("");
                    words.push(Word {
                        speaker: speaker_of(w, Some(ci as u64), multichannel),
                        role: None,
                        text: text.to_string(),
                        start: num_at(w, "start"),
                        end: num_at(w, "end"),
                        line: lines.get(i).copied(),
                    });
                }
            }
        }
        // Channels talk at the same time: order everything as it was spoken.
        sort_by_start(&mut segs);
        sort_words_by_start(&mut words);
        segs.extend(words_to_segments(words));
    }
    let turns = build_turns(segs);
    if turns.is_empty() {
        bail!("no speech in the file: the Deepgram response has no words");
    }
    let mut t = Transcript {
        source: source.to_string(),
        format: "deepgram".into(),
        id: v
            .pointer("/metadata/request_id")
            .and_then(Value::as_str)
            .map(str::to_string),
        turns,
        ..Default::default()
    };
    t.headers.insert("turns-from".into(), source_used.into());
    if let Some(code) = channels
        .first()
        .and_then(|c| str_at(c, "detected_language"))
    {
        set_language(&mut t, code);
    }
    Ok(vec![t])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utterances_with_speakers() {
        let src = r#"{"metadata":{"request_id":"r"},"results":{"channels":[{"alternatives":[{"transcript":"x","words":[]}]}],
"utterances":[
{"start":0.0,"end":1.0,"channel":0,"transcript":"Hello there.","speaker":0},
{"start":1.2,"end":2.0,"channel":0,"transcript":"Hi.","speaker":1}]}}"#;
        assert!(detect(src));
        let t = &parse(src, "x").unwrap()[0];
        assert_eq!(t.speakers(), vec!["Speaker 0", "Speaker 1"]);
        assert_eq!(t.turns[1].line, Some(4));
    }

    #[test]
    fn words_when_no_utterances_and_multichannel() {
        let src = r#"{"metadata":{},"results":{"channels":[
{"alternatives":[{"transcript":"","words":[{"word":"hello","punctuated_word":"Hello.","start":0.0,"end":0.5},{"word":"bye","start":3.0,"end":3.5}]}]},
{"alternatives":[{"transcript":"","words":[{"word":"hi","start":1.0,"end":1.5}]}]}]}}"#;
        let t = &parse(src, "x").unwrap()[0];
        let got = crate::formats::speaker_texts(t);
        assert_eq!(
            got,
            vec![("ch_0", "Hello."), ("ch_1", "hi"), ("ch_0", "bye")]
        );
        assert_eq!(t.header("turns-from"), Some("words"));
    }

    #[test]
    fn paragraphs_when_no_utterances() {
        let src = r#"{"metadata":{},"results":{"channels":[{"alternatives":[{"transcript":"","words":[],
"paragraphs":{"transcript":"","paragraphs":[
{"sentences":[{"text":"Hello.","start":0.0,"end":0.5},{"text":"How can I help?","start":0.6,"end":1.5}],"speaker":0,"start":0.0,"end":1.5,"num_words":5},
{"sentences":[{"text":"My bill.","start":2.0,"end":2.5}],"speaker":1,"start":2.0,"end":2.5,"num_words":2}]}}]}]}}"#;
        let t = &parse(src, "x").unwrap()[0];
        assert_eq!(t.header("turns-from"), Some("paragraphs"));
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].text, "Hello. How can I help?");
        assert_eq!(t.turns[1].speaker, "Speaker 1");
        assert_eq!(t.turns[1].line, Some(4));
    }
}
