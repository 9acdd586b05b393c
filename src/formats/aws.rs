//! Amazon: Transcribe standard batch JSON (`aws-transcribe`), Transcribe Call Analytics
//! (`aws-call-analytics`) and Amazon Connect Contact Lens (`contact-lens`, voice and chat).
//!
//! - Transcribe standard: word `items` (times as strings; punctuation items have no times
//!   and attach to the word before) grouped into turns by `speaker_label` (`spk_0`) or
//!   `channel_label` (`ch_0`); without either, words are cut into sentences. No roles: use
//!   `--agent spk_1` or `--agent channel:0`.
//! - Call Analytics: turns in `Transcript[]` with `ParticipantRole` AGENT/CUSTOMER (roles are
//!   labelled), `BeginOffsetMillis`/`EndOffsetMillis` in ms, `[PII]` tokens kept.
//! - Contact Lens voice: turns carry `ParticipantId` (`AGENT`/`CUSTOMER`), resolved through
//!   the top-level `Participants[]` (`ParticipantId` → `ParticipantRole`). Chat
//!   (`Channel: "CHAT"`): `MESSAGE` items with `ParticipantRole` and ISO `AbsoluteTime`;
//!   events are left out.

use super::json::{arr_at, element_lines, load, num_at, sniff, str_at, LineIndex, Step};
use super::turns::{
    attach_punctuation, build_turns, sort_words_by_start, words_to_segments, Segment, Word,
};
use super::util::{parse_iso8601, set_language};
use crate::transcript::{Role, Transcript};
use anyhow::{bail, Result};
use serde_json::Value;
use std::collections::HashMap;

fn is_contact_analytics(v: &Value) -> bool {
    v.get("Transcript").is_some_and(Value::is_array)
        && (v.get("ConversationCharacteristics").is_some() || v.get("Participants").is_some())
}

fn is_contact_lens(v: &Value) -> bool {
    is_contact_analytics(v)
        && (arr_at(v, "Transcript")
            .iter()
            .take(50)
            .any(|t| t.get("ParticipantId").is_some())
            || v.get("CustomerMetadata").is_some()
            || v.get("Version").is_some())
}

/// `Transcript[]` + `ConversationCharacteristics`/`Participants`, turns with `ParticipantId`
/// or a top-level `CustomerMetadata`/`Version`.
pub fn detect_contact_lens(text: &str) -> bool {
    sniff(text).is_some_and(|v| is_contact_lens(&v))
}

/// `Transcript[]` + `ConversationCharacteristics`/`Participants`, turns with `ParticipantRole`.
pub fn detect_call_analytics(text: &str) -> bool {
    sniff(text).is_some_and(|v| is_contact_analytics(&v) && !is_contact_lens(&v))
}

/// `results.items` + `results.transcripts`.
pub fn detect_transcribe(text: &str) -> bool {
    sniff(text).is_some_and(|v| {
        v.get("results").is_some_and(|r| {
            r.get("items").is_some_and(Value::is_array)
                && r.get("transcripts").is_some_and(Value::is_array)
        })
    })
}

/// AGENT / CUSTOMER; anything else (SYSTEM, SUPERVISOR, CUSTOM_BOT) is a third party.
fn aws_role(s: &str) -> Role {
    match s.trim().to_ascii_uppercase().as_str() {
        "AGENT" => Role::Agent,
        "CUSTOMER" => Role::Customer,
        _ => Role::Other,
    }
}

fn no_speech(what: &str) -> anyhow::Error {
    anyhow::anyhow!("no speech in the file: {what} (silent audio, or a failed job?)")
}

fn ms(v: &Value, key: &str) -> Option<f64> {
    num_at(v, key).map(|x| x / 1000.0)
}

/// Text of an analytics turn: `Content`, else its `Items` joined.
fn turn_text(t: &Value) -> String {
    if let Some(c) = str_at(t, "Content") {
        return c.to_string();
    }
    let mut words: Vec<Word> = Vec::new();
    for it in arr_at(t, "Items") {
        let content = str_at(it, "Content").unwrap_or("");
        if str_at(it, "Type") == Some("punctuation") {
            attach_punctuation(&mut words, content);
        } else {
            words.push(Word {
                text: content.to_string(),
                ..Default::default()
            });
        }
    }
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn finish(t: &mut Transcript, v: &Value, segs: Vec<Segment>, what: &str) -> Result<()> {
    t.turns = build_turns(segs);
    if t.turns.is_empty() {
        return Err(no_speech(what));
    }
    if let Some(code) = str_at(v, "LanguageCode") {
        set_language(t, code);
    }
    Ok(())
}

pub fn parse_call_analytics(text: &str, source: &str) -> Result<Vec<Transcript>> {
    let v = load(text)?;
    if !v.get("Transcript").is_some_and(Value::is_array) {
        bail!("not Transcribe Call Analytics output: no 'Transcript' array");
    }
    let li = LineIndex::new(text);
    let lines = element_lines(text, &li, &[Step::Key("Transcript")]);
    let mut segs = Vec::new();
    for (i, turn) in arr_at(&v, "Transcript").iter().enumerate() {
        let role = str_at(turn, "ParticipantRole")
            .or_else(|| str_at(turn, "ParticipantId"))
            .unwrap_or("")
            .trim();
        segs.push(Segment {
            speaker: role.to_string(),
            role: (!role.is_empty()).then(|| aws_role(role)),
            text: turn_text(turn),
            start: ms(turn, "BeginOffsetMillis"),
            end: ms(turn, "EndOffsetMillis"),
            line: lines.get(i).copied(),
        });
    }
    let mut t = Transcript {
        source: source.to_string(),
        format: "aws-call-analytics".into(),
        id: str_at(&v, "JobName").map(str::to_string),
        ..Default::default()
    };
    if let Some(o) = v.pointer("/ContentMetadata/Output").and_then(Value::as_str) {
        t.headers.insert("content".into(), o.to_string());
    }
    finish(
        &mut t,
        &v,
        segs,
        "the Call Analytics transcript has no turns",
    )?;
    Ok(vec![t])
}

pub fn parse_contact_lens(text: &str, source: &str) -> Result<Vec<Transcript>> {
    let v = load(text)?;
    if !v.get("Transcript").is_some_and(Value::is_array) {
        bail!("not Contact Lens output: no 'Transcript' array");
    }
    let chat = str_at(&v, "Channel").is_some_and(|c| c.eq_ignore_ascii_case("CHAT"))
        || str_at(&v, "Version").is_some_and(|s| s.starts_with("CHAT"));
    // ParticipantId -> ParticipantRole from the top level.
    let mut roles: HashMap<String, String> = HashMap::new();
    for p in arr_at(&v, "Participants") {
        if let (Some(id), Some(role)) = (str_at(p, "ParticipantId"), str_at(p, "ParticipantRole")) {
            roles.insert(id.to_string(), role.to_string());
        }
    }
    let li = LineIndex::new(text);
    let lines = element_lines(text, &li, &[Step::Key("Transcript")]);
    let mut segs = Vec::new();
    let mut t0: Option<f64> = None;
    for (i, turn) in arr_at(&v, "Transcript").iter().enumerate() {
        let id = str_at(turn, "ParticipantId").unwrap_or("").trim();
        let role_name = str_at(turn, "ParticipantRole")
            .map(str::to_string)
            .or_else(|| roles.get(id).cloned())
            .unwrap_or_else(|| id.to_string());
        let role = (!role_name.trim().is_empty()).then(|| aws_role(&role_name));
        let line = lines.get(i).copied();
        if chat {
            if str_at(turn, "Type").is_some_and(|x| !x.eq_ignore_ascii_case("MESSAGE")) {
                continue;
            }
            if str_at(turn, "ContentType").is_some_and(|c| !c.starts_with("text/")) {
                continue;
            }
            let at = str_at(turn, "AbsoluteTime").and_then(parse_iso8601);
            if t0.is_none() {
                t0 = at;
            }
            let speaker = str_at(turn, "DisplayName")
                .filter(|s| !s.trim().is_empty())
                .unwrap_or(role_name.as_str());
            segs.push(Segment {
                speaker: speaker.trim().to_string(),
                role,
                text: str_at(turn, "Content").unwrap_or("").to_string(),
                start: at.zip(t0).map(|(a, b)| a - b),
                end: None,
                line,
            });
        } else {
            let speaker = if id.is_empty() { role_name.trim() } else { id };
            segs.push(Segment {
                speaker: speaker.to_string(),
                role,
                text: turn_text(turn),
                start: ms(turn, "BeginOffsetMillis"),
                end: ms(turn, "EndOffsetMillis"),
                line,
            });
        }
    }
    let mut t = Transcript {
        source: source.to_string(),
        format: "contact-lens".into(),
        id: v
            .pointer("/CustomerMetadata/ContactId")
            .and_then(Value::as_str)
            .map(str::to_string),
        ..Default::default()
    };
    t.headers
        .insert("channel".into(), if chat { "chat" } else { "voice" }.into());
    finish(&mut t, &v, segs, "the Contact Lens transcript has no turns")?;
    Ok(vec![t])
}

/// One Transcribe item as a word (or punctuation attached to the word before).
fn push_item(words: &mut Vec<Word>, item: &Value, speaker: String, line: Option<usize>) {
    let content = item
        .get("alternatives")
        .and_then(|a| a.get(0))
        .and_then(|a| str_at(a, "content"))
        .unwrap_or("");
    if str_at(item, "type") == Some("punctuation") {
        attach_punctuation(words, content);
        return;
    }
    words.push(Word {
        speaker,
        role: None,
        text: content.to_string(),
        start: num_at(item, "start_time"),
        end: num_at(item, "end_time"),
        line,
    });
}

/// Who said the word starting at `start`, from `speaker_labels.segments` (older output has
/// the label only there).
struct SpeakerSegments {
    by_start: HashMap<String, String>,
    ranges: Vec<(f64, f64, String)>,
}

impl SpeakerSegments {
    fn new(labels: &Value) -> SpeakerSegments {
        let mut by_start = HashMap::new();
        let mut ranges = Vec::new();
        for seg in arr_at(labels, "segments") {
            let sp = str_at(seg, "speaker_label").unwrap_or("").to_string();
            if let (Some(s), Some(e)) = (num_at(seg, "start_time"), num_at(seg, "end_time")) {
                ranges.push((s, e, sp.clone()));
            }
            for it in arr_at(seg, "items") {
                if let Some(st) = str_at(it, "start_time") {
                    let who = str_at(it, "speaker_label").unwrap_or(&sp);
                    by_start.insert(st.to_string(), who.to_string());
                }
            }
        }
        ranges.sort_by(|a, b| a.0.total_cmp(&b.0));
        SpeakerSegments { by_start, ranges }
    }

    fn speaker(&self, item: &Value) -> Option<String> {
        if let Some(s) = str_at(item, "start_time").and_then(|st| self.by_start.get(st)) {
            return Some(s.clone());
        }
        let t = num_at(item, "start_time")?;
        let i = self.ranges.partition_point(|r| r.0 <= t);
        let (s, e, sp) = self.ranges.get(i.checked_sub(1)?)?;
        (t >= *s && t <= *e).then(|| sp.clone())
    }
}

pub fn parse_transcribe(text: &str, source: &str) -> Result<Vec<Transcript>> {
    let v = load(text)?;
    let Some(results) = v.get("results") else {
        bail!("not AWS Transcribe output: no 'results'");
    };
    let li = LineIndex::new(text);
    let items = arr_at(results, "items");
    let item_lines = element_lines(text, &li, &[Step::Key("results"), Step::Key("items")]);
    let channels = results.get("channel_labels").filter(|c| !c.is_null());
    let speakers = results.get("speaker_labels").filter(|c| !c.is_null());
    let mut words: Vec<Word> = Vec::new();
    let mode;
    if let Some(ch) = channels {
        mode = "channel";
        if items.iter().any(|i| i.get("channel_label").is_some()) {
            for (i, it) in items.iter().enumerate() {
                let sp = str_at(it, "channel_label").unwrap_or("").to_string();
                push_item(&mut words, it, sp, item_lines.get(i).copied());
            }
        } else {
            // Older output: each channel has its own item list.
            for (c, chan) in arr_at(ch, "channels").iter().enumerate() {
                let label = str_at(chan, "channel_label")
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("ch_{c}"));
                let lines = element_lines(
                    text,
                    &li,
                    &[
                        Step::Key("results"),
                        Step::Key("channel_labels"),
                        Step::Key("channels"),
                        Step::Idx(c),
                        Step::Key("items"),
                    ],
                );
                let mut stream = Vec::new();
                for (i, it) in arr_at(chan, "items").iter().enumerate() {
                    push_item(&mut stream, it, label.clone(), lines.get(i).copied());
                }
                words.extend(stream);
            }
        }
        // Both channels talk at once: order the words as they were spoken.
        sort_words_by_start(&mut words);
    } else if let Some(sl) = speakers {
        mode = "speaker";
        let segs = SpeakerSegments::new(sl);
        let mut last = String::new();
        for (i, it) in items.iter().enumerate() {
            let sp = str_at(it, "speaker_label")
                .map(str::to_string)
                .or_else(|| segs.speaker(it))
                .unwrap_or_else(|| last.clone());
            last = sp.clone();
            push_item(&mut words, it, sp, item_lines.get(i).copied());
        }
    } else {
        mode = "none";
        for (i, it) in items.iter().enumerate() {
            let sp = str_at(it, "speaker_label").unwrap_or("").to_string();
            push_item(&mut words, it, sp, item_lines.get(i).copied());
        }
    }
    if !words.iter().any(|w| !w.text.trim().is_empty()) {
        return Err(no_speech("AWS Transcribe found no words"));
    }
    let mut t = Transcript {
        source: source.to_string(),
        format: "aws-transcribe".into(),
        id: str_at(&v, "jobName").map(str::to_string),
        ..Default::default()
    };
    t.headers.insert("speakers".into(), mode.into());
    t.turns = build_turns(words_to_segments(words));
    if t.turns.is_empty() {
        return Err(no_speech("AWS Transcribe found no words"));
    }
    if let Some(code) = str_at(results, "language_code").or_else(|| str_at(&v, "language_code")) {
        set_language(&mut t, code);
    }
    Ok(vec![t])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(content: &str, s: &str, e: &str, extra: &str) -> String {
        format!(
            r#"{{"start_time":"{s}","end_time":"{e}","alternatives":[{{"confidence":"0.9","content":"{content}"}}],"type":"pronunciation"{extra}}}"#
        )
    }

    #[test]
    fn transcribe_speakers_and_punctuation() {
        let items = [
            item("Thank", "0.1", "0.3", r#","speaker_label":"spk_0""#),
            item("you", "0.3", "0.5", r#","speaker_label":"spk_0""#),
            r#"{"alternatives":[{"confidence":"0.0","content":"."}],"type":"punctuation"}"#
                .to_string(),
            item("Hi", "1.0", "1.2", r#","speaker_label":"spk_1""#),
        ];
        let src = format!(
            r#"{{"jobName":"j","results":{{"transcripts":[{{"transcript":"x"}}],"speaker_labels":{{"speakers":2,"segments":[]}},"items":[
{}]}},"status":"COMPLETED"}}"#,
            items.join(",\n")
        );
        assert!(detect_transcribe(&src));
        let t = &parse_transcribe(&src, "x.json").unwrap()[0];
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].speaker, "spk_0");
        assert_eq!(t.turns[0].text, "Thank you.");
        assert_eq!(t.turns[0].line, Some(2));
        assert_eq!(t.turns[1].line, Some(5));
        assert_eq!(t.turns[1].start, Some(1.0));
    }

    #[test]
    fn transcribe_channels_interleave() {
        let src = format!(
            r#"{{"results":{{"transcripts":[],"items":[],"channel_labels":{{"number_of_channels":2,"channels":[
{{"channel_label":"ch_0","items":[{},{}]}},
{{"channel_label":"ch_1","items":[{}]}}]}}}}}}"#,
            item("Hello", "0.0", "0.5", ""),
            item("there", "3.0", "3.5", ""),
            item("Hi", "1.0", "1.5", "")
        );
        let t = &parse_transcribe(&src, "x.json").unwrap()[0];
        let got = crate::formats::speaker_texts(t);
        assert_eq!(
            got,
            vec![("ch_0", "Hello"), ("ch_1", "Hi"), ("ch_0", "there")]
        );
    }

    #[test]
    fn silent_audio_is_a_clear_error() {
        let src = r#"{"jobName":"e","status":"COMPLETED","results":{"transcripts":[{"transcript":""}],"speaker_labels":null,"items":[],"audio_segments":[]}}"#;
        let e = parse_transcribe(src, "x").unwrap_err().to_string();
        assert!(e.contains("no speech"), "{e}");
    }

    #[test]
    fn analytics_roles_and_contact_lens_ids() {
        let ca = r#"{"JobName":"c","LanguageCode":"en-US","Participants":[{"ParticipantRole":"AGENT"}],"Transcript":[
{"ParticipantRole":"AGENT","Content":"Hello [PII].","BeginOffsetMillis":40,"EndOffsetMillis":5050}]}"#;
        assert!(detect_call_analytics(ca) && !detect_contact_lens(ca));
        let t = &parse_call_analytics(ca, "x").unwrap()[0];
        assert_eq!(t.turns[0].role, Some(Role::Agent));
        assert_eq!(t.turns[0].text, "Hello [PII].");
        assert_eq!(t.turns[0].start, Some(0.04));
        assert_eq!(t.turns[0].line, Some(2));
        assert_eq!(t.language, Some(crate::transcript::Lang::En));
        let cl = r#"{"Version":"1.1.0","Participants":[{"ParticipantId":"A1","ParticipantRole":"CUSTOMER"}],"Transcript":[
{"ParticipantId":"A1","Content":"Hi","BeginOffsetMillis":0,"EndOffsetMillis":900}]}"#;
        assert!(detect_contact_lens(cl) && !detect_call_analytics(cl));
        let t = &parse_contact_lens(cl, "x").unwrap()[0];
        assert_eq!(t.turns[0].role, Some(Role::Customer));
        assert_eq!(t.turns[0].speaker, "A1");
    }

    #[test]
    fn contact_lens_chat_skips_events() {
        let src = r#"{"Version":"CHAT-2022-11-30","Channel":"CHAT","Participants":[],"Transcript":[
{"Type":"EVENT","ContentType":"application/vnd.amazonaws.connect.event.participant.joined","ParticipantRole":"AGENT","AbsoluteTime":"2022-11-30T10:00:00.000Z"},
{"Type":"MESSAGE","ContentType":"text/plain","ParticipantRole":"CUSTOMER","DisplayName":"Jan","Content":"Mijn pakket is kwijt.","AbsoluteTime":"2022-11-30T10:00:05.000Z"},
{"Type":"MESSAGE","ContentType":"text/plain","ParticipantRole":"AGENT","DisplayName":"Sanne","Content":"Vervelend!","AbsoluteTime":"2022-11-30T10:00:15.000Z"}]}"#;
        let t = &parse_contact_lens(src, "x").unwrap()[0];
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].speaker, "Jan");
        assert_eq!(t.turns[1].start, Some(10.0));
        assert_eq!(t.header("channel"), Some("chat"));
    }
}
