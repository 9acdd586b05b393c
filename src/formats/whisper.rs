//! Whisper JSON (`whisper`: OpenAI CLI `--output_format json`, API `verbose_json`,
//! whisper-timestamped) and WhisperX JSON (`whisperx`: `segments[].words[]` with `score`,
//! `word_segments`, and `speaker: "SPEAKER_00"` when diarised).
//!
//! Whisper has no speakers: every segment is a turn with an empty speaker (roles unknown).
//! WhisperX with speakers: turns are rebuilt from words, because one segment can hold words
//! of two speakers; a word without a speaker takes its segment's (or the word before it's),
//! a word without times takes its neighbours' place.

use super::json::{
    arr_at, element_lines, load, num_at, sniff, speaker_key, str_at, LineIndex, Step,
};
use super::turns::{build_turns, words_to_segments, Segment, Word};
use super::util::set_language;
use crate::transcript::Transcript;
use anyhow::{bail, Result};
use serde_json::Value;

fn segments_shape(v: &Value) -> bool {
    let segs = arr_at(v, "segments");
    v.get("segments").is_some_and(Value::is_array)
        && segs
            .iter()
            .take(5)
            .all(|s| s.get("text").is_some() && s.get("start").is_some() && s.get("end").is_some())
}

fn is_whisperx(v: &Value) -> bool {
    v.get("word_segments").is_some()
        || arr_at(v, "segments").iter().take(200).any(|s| {
            str_at(s, "speaker").is_some()
                || arr_at(s, "words")
                    .iter()
                    .take(50)
                    .any(|w| w.get("score").is_some() || w.get("speaker").is_some())
        })
}

/// `segments[]` of `{start, end, text}` with WhisperX marks (`word_segments`, word `score`,
/// `speaker`).
pub fn detect_whisperx(text: &str) -> bool {
    sniff(text).is_some_and(|v| segments_shape(&v) && is_whisperx(&v))
}

/// `segments[]` of `{start, end, text}` without WhisperX marks.
pub fn detect_whisper(text: &str) -> bool {
    sniff(text).is_some_and(|v| segments_shape(&v) && !is_whisperx(&v))
}

fn read(text: &str, source: &str, format: &str) -> Result<Vec<Transcript>> {
    let v = load(text)?;
    if !v.get("segments").is_some_and(Value::is_array) {
        bail!("not Whisper output: no 'segments' array");
    }
    let li = LineIndex::new(text);
    let lines = element_lines(text, &li, &[Step::Key("segments")]);
    let diarised = arr_at(&v, "segments").iter().any(|s| {
        s.get("speaker").is_some()
            || arr_at(s, "words")
                .iter()
                .any(|w| w.get("speaker").is_some())
    });
    let mut segs: Vec<Segment> = Vec::new();
    for (i, s) in arr_at(&v, "segments").iter().enumerate() {
        let line = lines.get(i).copied();
        let seg_speaker = speaker_key(s.get("speaker")).unwrap_or_default();
        let words = arr_at(s, "words");
        if diarised && words.iter().any(|w| w.get("speaker").is_some()) {
            let mut list: Vec<Word> = Vec::new();
            let mut last = seg_speaker.clone();
            for w in words {
                let sp = speaker_key(w.get("speaker")).unwrap_or_else(|| last.clone());
                last = sp.clone();
                let text = str_at(w, "word")
                    .or_else(|| str_at(w, "text"))
                    .unwrap_or("");
                list.push(Word {
                    speaker: sp,
                    role: None,
                    text: text.trim().to_string(),
                    start: num_at(w, "start"),
                    end: num_at(w, "end"),
                    line,
                });
            }
            // Words without times stay where they are (they take the segment's place).
            let mut out = words_to_segments(list);
            if let Some(first) = out.first_mut() {
                if first.start.is_none() {
                    first.start = num_at(s, "start");
                }
            }
            segs.extend(out);
        } else {
            segs.push(Segment {
                speaker: seg_speaker,
                role: None,
                text: str_at(s, "text").unwrap_or("").trim().to_string(),
                start: num_at(s, "start"),
                end: num_at(s, "end"),
                line,
            });
        }
    }
    let turns = build_turns(segs);
    if turns.is_empty() {
        bail!("no speech in the file: the Whisper output has no segments with text");
    }
    let mut t = Transcript {
        source: source.to_string(),
        format: format.to_string(),
        turns,
        ..Default::default()
    };
    if let Some(code) = str_at(&v, "language") {
        set_language(&mut t, code);
    }
    Ok(vec![t])
}

pub fn parse_whisper(text: &str, source: &str) -> Result<Vec<Transcript>> {
    read(text, source, "whisper")
}

pub fn parse_whisperx(text: &str, source: &str) -> Result<Vec<Transcript>> {
    read(text, source, "whisperx")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whisper_segments_without_speakers() {
        let src = r#"{"text":" Hi. Hello.","segments":[
 {"id":0,"seek":0,"start":0.0,"end":1.0,"text":" Hi.","tokens":[1],"no_speech_prob":0.1},
 {"id":1,"seek":0,"start":1.0,"end":2.0,"text":" Hello.","tokens":[2],"no_speech_prob":0.1}],"language":"nl"}"#;
        assert!(detect_whisper(src) && !detect_whisperx(src));
        let t = &parse_whisper(src, "x").unwrap()[0];
        assert_eq!(t.turns.len(), 2);
        assert!(t.turns.iter().all(|x| x.speaker.is_empty()));
        assert_eq!(t.turns[1].line, Some(3));
        assert_eq!(t.language, Some(crate::transcript::Lang::Nl));
    }

    #[test]
    fn whisperx_rebuilds_turns_from_words() {
        let src = r#"{"segments":[
 {"start":0.0,"end":4.0,"text":"Hello, how can I help? My modem is broken.","speaker":"SPEAKER_00","words":[
  {"word":"Hello,","start":0.0,"end":0.4,"score":0.9,"speaker":"SPEAKER_00"},
  {"word":"how","start":0.5,"end":0.6,"score":0.9,"speaker":"SPEAKER_00"},
  {"word":"can","start":0.6,"end":0.7,"score":0.9},
  {"word":"I","start":0.7,"end":0.8,"score":0.9,"speaker":"SPEAKER_00"},
  {"word":"help?","start":0.8,"end":1.0,"score":0.9,"speaker":"SPEAKER_00"},
  {"word":"My","start":1.5,"end":1.6,"score":0.9,"speaker":"SPEAKER_01"},
  {"word":"modem","start":1.6,"end":2.0,"score":0.9,"speaker":"SPEAKER_01"},
  {"word":"2","speaker":"SPEAKER_01"},
  {"word":"broke.","start":2.5,"end":3.0,"score":0.9,"speaker":"SPEAKER_01"}]}],
 "word_segments":[]}"#;
        assert!(detect_whisperx(src) && !detect_whisper(src));
        let t = &parse_whisperx(src, "x").unwrap()[0];
        let got = crate::formats::speaker_texts(t);
        assert_eq!(
            got,
            vec![
                ("SPEAKER_00", "Hello, how can I help?"),
                ("SPEAKER_01", "My modem 2 broke.")
            ]
        );
        assert_eq!(t.turns[1].start, Some(1.5));
    }

    #[test]
    fn empty_segments_are_an_error() {
        let e = parse_whisper(r#"{"segments":[],"text":""}"#, "x").unwrap_err();
        assert!(e.to_string().contains("no speech"));
    }
}
