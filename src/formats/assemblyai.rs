//! AssemblyAI transcript (`GET /v2/transcript/{id}`): `utterances[]` with speaker letters
//! (`"A"`, `"B"`) when speaker labels were requested, else (`utterances: null`) the
//! `words[]`, grouped into turns by speaker. Times are milliseconds.

use super::json::{
    arr_at, element_lines, load, num_at, sniff, speaker_key, str_at, LineIndex, Step,
};
use super::turns::{build_turns, words_to_segments, Segment, Word};
use super::util::set_language;
use crate::transcript::Transcript;
use anyhow::{bail, Result};
use serde_json::Value;

/// `utterances` or `words`, plus one of AssemblyAI's own keys.
pub fn detect(text: &str) -> bool {
    sniff(text).is_some_and(|v| {
        (v.get("utterances").is_some() || v.get("words").is_some())
            && (v.get("acoustic_model").is_some()
                || v.get("language_model").is_some()
                || v.get("audio_url").is_some()
                || v.get("speaker_labels").is_some_and(Value::is_boolean))
    })
}

fn ms(v: &Value, key: &str) -> Option<f64> {
    num_at(v, key).map(|x| x / 1000.0)
}

pub fn parse(text: &str, source: &str) -> Result<Vec<Transcript>> {
    let v = load(text)?;
    match str_at(&v, "status") {
        Some("error") => bail!(
            "the AssemblyAI job failed: {}",
            str_at(&v, "error").unwrap_or("no reason given")
        ),
        Some(s @ ("queued" | "processing")) => {
            bail!("the AssemblyAI transcript is not ready (status: {s})")
        }
        _ => {}
    }
    let li = LineIndex::new(text);
    let utterances = arr_at(&v, "utterances");
    let mut segs: Vec<Segment> = Vec::new();
    if !utterances.is_empty() {
        let lines = element_lines(text, &li, &[Step::Key("utterances")]);
        for (i, u) in utterances.iter().enumerate() {
            segs.push(Segment {
                speaker: speaker_key(u.get("speaker")).unwrap_or_default(),
                role: None,
                text: str_at(u, "text").unwrap_or("").to_string(),
                start: ms(u, "start"),
                end: ms(u, "end"),
                line: lines.get(i).copied(),
            });
        }
    } else {
        let lines = element_lines(text, &li, &[Step::Key("words")]);
        let words: Vec<Word> = arr_at(&v, "words")
            .iter()
            .enumerate()
            .map(|(i, w)| Word {
                speaker: speaker_key(w.get("speaker")).unwrap_or_default(),
                role: None,
                text: str_at(w, "text").unwrap_or("").to_string(),
                start: ms(w, "start"),
                end: ms(w, "end"),
                line: lines.get(i).copied(),
            })
            .collect();
        segs = words_to_segments(words);
    }
    let turns = build_turns(segs);
    if turns.is_empty() {
        bail!("no speech in the file: the AssemblyAI transcript has no words");
    }
    let mut t = Transcript {
        source: source.to_string(),
        format: "assemblyai".into(),
        id: str_at(&v, "id").map(str::to_string),
        turns,
        ..Default::default()
    };
    if let Some(code) = str_at(&v, "language_code") {
        set_language(&mut t, code);
    }
    Ok(vec![t])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utterances_or_words() {
        let src = r#"{"id":"x","status":"completed","audio_url":"u","language_code":"en_us","utterances":null,"words":[
{"text":"Hello.","start":170,"end":718,"speaker":"A"},
{"text":"Hi,","start":900,"end":1000,"speaker":"B"},
{"text":"there.","start":1000,"end":1200,"speaker":"B"}]}"#;
        assert!(detect(src));
        let t = &parse(src, "x").unwrap()[0];
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].start, Some(0.17));
        assert_eq!(t.turns[1].text, "Hi, there.");
        assert_eq!(t.turns[1].line, Some(3));
        let src = r#"{"audio_url":"u","utterances":[{"speaker":"A","text":"Hello.","start":0,"end":500}]}"#;
        assert_eq!(parse(src, "x").unwrap()[0].turns[0].speaker, "A");
        let e = parse(
            r#"{"audio_url":"u","status":"error","error":"bad audio","words":[]}"#,
            "x",
        );
        assert!(e.unwrap_err().to_string().contains("bad audio"));
    }
}
