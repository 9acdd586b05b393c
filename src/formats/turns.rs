//! From what a format gives (cues, segments, utterances, words) to turns as people hear them.
//!
//! - Segments are ordered by start time (stable: segments without a time keep their place
//!   after the last timed one). Overlaps are kept, never trimmed.
//! - Consecutive segments of one (non-empty) speaker merge into one turn. Segments without a
//!   speaker are never merged: each stays a turn of its own, as the file cut it.
//! - A **backchannel** — a short listening signal such as "ja", "hm", "mhm", "oké", "yeah",
//!   "right", "okay", "uh-huh" — from another speaker *inside* a running turn does not split
//!   that turn. It becomes its own short turn placed right after the turn it was said in
//!   (so the listener's signal is kept, with its own times, and the speaker's turn reads as
//!   one). It is "inside" when it starts before the running turn's end (overlap), or when the
//!   running speaker goes on right after it and had not just asked a question. It is never
//!   merged into its speaker's next real turn. When the same speaker's next segment follows
//!   straight after, it was the start of a turn, not a backchannel.
//! - Redaction tokens (`[PII]`) and all other text are kept as written.

use crate::transcript::{Role, Turn};

/// A piece of speech as a format delivers it.
#[derive(Debug, Clone, Default)]
pub struct Segment {
    pub speaker: String,
    pub role: Option<Role>,
    pub text: String,
    pub start: Option<f64>,
    pub end: Option<f64>,
    pub line: Option<usize>,
}

/// A word (or punctuation mark) from a word-level format.
#[derive(Debug, Clone, Default)]
pub struct Word {
    pub speaker: String,
    pub role: Option<Role>,
    pub text: String,
    pub start: Option<f64>,
    pub end: Option<f64>,
    pub line: Option<usize>,
}

/// Words a backchannel may consist of (lower case, punctuation stripped).
const BACKCHANNEL_WORDS: &[&str] = &[
    "ja", "jaja", "jawel", "hm", "hmm", "hmhm", "mhm", "mhmm", "mm", "mmm", "mmhm", "mm-hmm",
    "mm-hm", "uh-huh", "uhhuh", "uhuh", "aha", "oké", "oke", "okay", "ok", "yeah", "yep", "yup",
    "yes", "right", "sure", "sí", "si", "precies", "klopt",
];

/// Is this text only a listening signal ("Yeah. Mhm.", "ja ja", "oké")?
pub fn is_backchannel(text: &str) -> bool {
    let mut n = 0;
    for w in text.split_whitespace() {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
            .trim_matches('-')
            .to_lowercase();
        if w.is_empty() {
            continue;
        }
        n += 1;
        if n > 4 || !BACKCHANNEL_WORDS.contains(&w.as_str()) {
            return false;
        }
    }
    n > 0
}

fn push_text(into: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if !into.is_empty() {
        into.push(' ');
    }
    into.push_str(text);
}

fn max_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn to_turn(s: Segment) -> Turn {
    Turn {
        speaker: s.speaker,
        role: s.role,
        text: s.text,
        line: s.line,
        start: s.start,
        end: s.end,
        ..Default::default()
    }
}

fn merge_into(t: &mut Segment, s: &Segment) {
    push_text(&mut t.text, &s.text);
    t.end = max_opt(t.end, s.end);
    if t.start.is_none() {
        t.start = s.start;
    }
    if t.line.is_none() {
        t.line = s.line;
    }
}

/// Order segments by start time (stable). Untimed segments sort with the last timed one.
pub fn sort_by_start(segs: &mut Vec<Segment>) {
    sort_by_time(segs, |s| s.start);
}

/// Order words by start time (stable; untimed words stay after the last timed one).
pub fn sort_words_by_start(words: &mut Vec<Word>) {
    sort_by_time(words, |w| w.start);
}

/// Stable sort by a start time; an item without one keeps the time of the last item before
/// it that had one.
fn sort_by_time<T>(items: &mut Vec<T>, start: impl Fn(&T) -> Option<f64>) {
    let mut last = f64::NEG_INFINITY;
    let mut keyed: Vec<(f64, T)> = items
        .drain(..)
        .map(|x| {
            if let Some(t) = start(&x) {
                last = t;
            }
            (last, x)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    items.extend(keyed.into_iter().map(|(_, x)| x));
}

/// Build turns from segments (see the module documentation for the rules).
pub fn build_turns(mut segs: Vec<Segment>) -> Vec<Turn> {
    for s in &mut segs {
        s.text = s.text.trim().to_string();
    }
    segs.retain(|s| !s.text.is_empty());
    sort_by_start(&mut segs);

    let mut out: Vec<Turn> = Vec::with_capacity(segs.len());
    let mut current: Option<Segment> = None;
    let mut pending: Vec<Segment> = Vec::new();
    let mut it = segs.into_iter().peekable();
    while let Some(seg) = it.next() {
        let next_speaker = it.peek().map(|s| s.speaker.as_str());
        let Some(cur) = current.as_mut() else {
            current = Some(seg);
            continue;
        };
        let same = !seg.speaker.is_empty() && seg.speaker == cur.speaker && seg.role == cur.role;
        if same {
            merge_into(cur, &seg);
            continue;
        }
        if !seg.speaker.is_empty() && !cur.speaker.is_empty() && is_backchannel(&seg.text) {
            let overlaps = matches!((seg.start, cur.end), (Some(s), Some(e)) if s < e);
            let resumes = next_speaker == Some(cur.speaker.as_str()) && !cur.text.ends_with('?');
            let starts_own_turn = next_speaker == Some(seg.speaker.as_str());
            if (overlaps || resumes) && !starts_own_turn {
                match pending.last_mut() {
                    Some(p) if p.speaker == seg.speaker && p.role == seg.role => {
                        merge_into(p, &seg)
                    }
                    _ => pending.push(seg),
                }
                continue;
            }
        }
        if let Some(done) = current.take() {
            out.push(to_turn(done));
        }
        out.extend(pending.drain(..).map(to_turn));
        current = Some(seg);
    }
    if let Some(done) = current.take() {
        out.push(to_turn(done));
    }
    out.extend(pending.drain(..).map(to_turn));
    out
}

/// Does this word end a sentence? (An initial such as "R." does not.)
fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '\'', ')', '”', '’']);
    let initial = t.strip_suffix('.').is_some_and(|w| {
        let mut c = w.chars();
        c.next().is_some_and(char::is_uppercase) && c.next().is_none()
    });
    t.ends_with(['.', '?', '!', '…']) && !initial
}

/// Group words (already in spoken order, punctuation attached) into segments: a new segment
/// at every change of speaker. Without speakers there is nothing to hear a turn by, so the
/// words are cut into sentences (and at pauses of 1.5 s or more).
pub fn words_to_segments(words: Vec<Word>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut cur: Option<Segment> = None;
    let mut cut_next = false;
    for w in words {
        if w.text.trim().is_empty() {
            continue;
        }
        let new = match &cur {
            None => true,
            Some(c) => {
                let gap = match (c.end, w.start) {
                    (Some(e), Some(s)) => s - e,
                    _ => 0.0,
                };
                c.speaker != w.speaker
                    || c.role != w.role
                    || (w.speaker.is_empty() && (cut_next || gap >= 1.5))
            }
        };
        if new {
            if let Some(c) = cur.take() {
                out.push(c);
            }
            cur = Some(Segment {
                speaker: w.speaker.clone(),
                role: w.role,
                text: String::new(),
                start: w.start,
                end: w.end,
                line: w.line,
            });
        }
        if let Some(c) = cur.as_mut() {
            push_text(&mut c.text, &w.text);
            c.end = max_opt(c.end, w.end);
            if c.start.is_none() {
                c.start = w.start;
            }
        }
        cut_next = ends_sentence(&w.text);
    }
    if let Some(c) = cur.take() {
        out.push(c);
    }
    out
}

/// Attach punctuation to the word before it (`word` + `,`), as Transcribe delivers it.
pub fn attach_punctuation(words: &mut Vec<Word>, text: &str) {
    match words.last_mut() {
        Some(w) => w.text.push_str(text.trim()),
        None => words.push(Word {
            text: text.trim().to_string(),
            ..Default::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(sp: &str, text: &str, s: f64, e: f64) -> Segment {
        Segment {
            speaker: sp.into(),
            text: text.into(),
            start: Some(s),
            end: Some(e),
            ..Default::default()
        }
    }

    fn show(t: &[Turn]) -> Vec<String> {
        t.iter()
            .map(|t| format!("{}: {}", t.speaker, t.text))
            .collect()
    }

    #[test]
    fn backchannels() {
        assert!(is_backchannel("Yeah. Mhm."));
        assert!(is_backchannel("ja ja"));
        assert!(is_backchannel("Uh-huh."));
        assert!(is_backchannel("Oké"));
        assert!(!is_backchannel("Yeah, I see what you mean."));
        assert!(!is_backchannel(""));
        assert!(!is_backchannel("[PII]"));
    }

    #[test]
    fn overlapping_backchannel_does_not_split_the_turn() {
        let t = build_turns(vec![
            seg("C", "Hi so I was at the terminal.", 6.3, 10.4),
            seg("A", "Yeah. Mhm.", 7.9, 11.4),
            seg("C", "And my card fell into the water.", 11.0, 20.8),
            seg("A", "Not a problem.", 18.7, 27.6),
        ]);
        assert_eq!(
            show(&t),
            vec![
                "C: Hi so I was at the terminal. And my card fell into the water.",
                "A: Yeah. Mhm.",
                "A: Not a problem.",
            ]
        );
        assert_eq!(t[0].end, Some(20.8));
        assert_eq!(t[1].start, Some(7.9));
    }

    #[test]
    fn backchannel_without_overlap_and_answers() {
        // The speaker resumes: a listening signal.
        let t = build_turns(vec![
            seg("K", "Mijn modem doet het niet.", 0.0, 2.0),
            seg("M", "Ja.", 2.1, 2.3),
            seg("K", "Sinds gisteren.", 2.5, 3.0),
        ]);
        assert_eq!(
            show(&t),
            vec!["K: Mijn modem doet het niet. Sinds gisteren.", "M: Ja."]
        );
        // After a question, "yes" is an answer.
        let t = build_turns(vec![
            seg("A", "Is that your card?", 0.0, 2.0),
            seg("C", "Yes.", 2.1, 2.3),
            seg("A", "Great.", 2.5, 3.0),
        ]);
        assert_eq!(t.len(), 3);
        // The same speaker goes on: the start of a turn.
        let t = build_turns(vec![
            seg("A", "So that is the plan.", 0.0, 5.0),
            seg("C", "Okay.", 4.8, 5.2),
            seg("C", "And when does it arrive?", 5.3, 7.0),
        ]);
        assert_eq!(
            show(&t),
            vec![
                "A: So that is the plan.",
                "C: Okay. And when does it arrive?"
            ]
        );
    }

    #[test]
    fn sorted_by_start_and_speakerless_segments_stay_apart() {
        let t = build_turns(vec![
            seg("", "two", 2.0, 3.0),
            seg("", "one", 1.0, 2.0),
            seg("", "  ", 1.5, 2.0),
        ]);
        assert_eq!(show(&t), vec![": one", ": two"]);
    }

    #[test]
    fn words_group_by_speaker_or_sentence() {
        let w = |sp: &str, t: &str, s: f64| Word {
            speaker: sp.into(),
            text: t.into(),
            start: Some(s),
            end: Some(s + 0.2),
            ..Default::default()
        };
        let s = words_to_segments(vec![
            w("a", "Hi", 0.0),
            w("a", "there.", 0.3),
            w("b", "Hello", 0.6),
        ]);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "Hi there.");
        assert_eq!(s[0].end, Some(0.5));
        let s = words_to_segments(vec![
            w("", "One.", 0.0),
            w("", "Two", 0.3),
            w("", "three", 3.0),
        ]);
        assert_eq!(
            s.iter().map(|x| x.text.as_str()).collect::<Vec<_>>(),
            vec!["One.", "Two", "three"]
        );
    }
}
