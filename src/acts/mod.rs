//! Dialogue acts: language detection and tagging. Each sentence of each turn is marked
//! with acts (questions, probes, summaries, solutions, resistance, ...) from the lexicon
//! packs in `rules/lexicon/`, then structure decides what the words alone cannot: a
//! summary restates what this customer said; an offer phrased as a question is a solution.

pub mod lexicon;
pub mod prep;
pub mod tagger;

use crate::transcript::Lang;
use anyhow::Result;
use lexicon::Lexicon;
use std::sync::OnceLock;

pub use tagger::{tag, Sentence, Tag, TaggedTranscript, TaggedTurn};

macro_rules! acts {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// A dialogue act. The names are the keys of the lexicon packs' `[acts.*]` tables.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Act { $($variant),* }

        impl Act {
            pub fn name(self) -> &'static str {
                match self { $(Act::$variant => $name),* }
            }
            pub fn all_names() -> Vec<&'static str> {
                vec![$($name),*]
            }
        }

        impl std::str::FromStr for Act {
            type Err = ();
            fn from_str(s: &str) -> Result<Act, ()> {
                match s { $($name => Ok(Act::$variant),)* _ => Err(()) }
            }
        }
    };
}

acts! {
    // Question forms (found by word order as well as by '?').
    QuestionOpen => "question-open",
    QuestionClosed => "question-closed",
    QuestionInline => "question-inline",
    StatementOpening => "statement-opening",
    // What a question (or statement) does.
    Probe => "probe",
    Verification => "verification",
    Courtesy => "courtesy",
    Offer => "offer",
    Choice => "choice",
    Solution => "solution",
    Answer => "answer",
    LookUp => "look-up",
    Hold => "hold",
    SummaryCue => "summary-cue",
    SummaryLead => "summary-lead",
    CheckTag => "check-tag",
    ClosingRecap => "closing-recap",
    Acknowledgement => "acknowledgement",
    DismissedEmpathy => "dismissed-empathy",
    Refusal => "refusal",
    NextStep => "next-step",
    Handoff => "handoff",
    HandoffBrief => "handoff-brief",
    Haste => "haste",
    Greeting => "greeting",
    // Customer side.
    Resistance => "resistance",
    Worry => "worry",
    Correction => "correction",
    Repeat => "repeat",
    ManagerRequest => "manager-request",
    Topic => "topic",
    Factual => "factual",
    Explore => "explore",
    Problem => "problem",
    Retell => "retell",
    // Coaching conversations.
    Diagnosis => "diagnosis",
    Proposal => "proposal",
    Labelling => "labelling",
    Pressure => "pressure",
    Rebuttal => "rebuttal",
    Agreement => "agreement",
    EndTalk => "end-talk",
    Condition => "condition",
    CoachingCue => "coaching-cue",
    // Set by structure, never by a pattern.
    Summary => "summary",
    Question => "question",
}

static NL: OnceLock<Lexicon> = OnceLock::new();
static EN: OnceLock<Lexicon> = OnceLock::new();

/// The built-in lexicon for a language, compiled on first use.
pub fn lexicon(lang: Lang) -> &'static Lexicon {
    match lang {
        Lang::Nl => NL.get_or_init(|| Lexicon::builtin(Lang::Nl)),
        Lang::En => EN.get_or_init(|| Lexicon::builtin(Lang::En)),
    }
}

/// Check both built-in lexicons compile (used by tests and `rules test`).
pub fn check_builtin() -> Result<()> {
    Lexicon::compile(lexicon::BUILTIN_NL, "rules/lexicon/nl.toml")?.compile_all();
    Lexicon::compile(lexicon::BUILTIN_EN, "rules/lexicon/en.toml")?.compile_all();
    Ok(())
}

/// A word of at most 16 bytes as one number (compared without touching memory again).
fn marker_key(bytes: impl Iterator<Item = u8>) -> u128 {
    bytes.fold(0u128, |k, b| (k << 8) | u128::from(b))
}

/// The marker words as sorted keys; "is" is in both languages and counts for neither.
fn marker_keys() -> &'static (Vec<u128>, Vec<u128>) {
    static KEYS: std::sync::OnceLock<(Vec<u128>, Vec<u128>)> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let keys = |words: &[&str]| {
            let mut v: Vec<u128> = words
                .iter()
                .filter(|w| **w != "is")
                .map(|w| marker_key(w.bytes()))
                .collect();
            v.sort_unstable();
            v
        };
        (keys(NL_MARKERS), keys(EN_MARKERS))
    })
}

/// The longest marker word, in bytes (at most 16: see `marker_key`).
const MARKER_MAX: usize = 11;
const _: () = assert!(MARKER_MAX <= 16);
const NL_MARKERS: &[&str] = &[
    "dan",
    "dank",
    "dat",
    "de",
    "een",
    "en",
    "er",
    "even",
    "goedemiddag",
    "goedemorgen",
    "heb",
    "heeft",
    "het",
    "hoe",
    "ik",
    "is",
    "ja",
    "je",
    "jullie",
    "kan",
    "klopt",
    "maar",
    "met",
    "mijn",
    "nee",
    "niet",
    "nog",
    "ook",
    "op",
    "u",
    "uw",
    "van",
    "voor",
    "wat",
    "wel",
    "zijn",
];
const EN_MARKERS: &[&str] = &[
    "a", "and", "be", "but", "can", "do", "for", "has", "have", "how", "i", "is", "it", "morning",
    "my", "no", "not", "of", "okay", "on", "please", "thanks", "that", "the", "then", "this", "to",
    "we", "what", "with", "would", "yes", "you", "your",
];

/// Detect the language of a text from function words (deterministic; ties go to English).
pub fn detect_language<'a>(texts: impl Iterator<Item = &'a str>) -> Lang {
    // [nl, en, seen]
    fn count(w: &str, c: &mut [usize; 3]) {
        c[2] += 1;
        let key = if w.len() > MARKER_MAX {
            return;
        } else if w.is_ascii() {
            marker_key(w.bytes().map(|b| b.to_ascii_lowercase()))
        } else {
            let lower = w.to_lowercase();
            if lower.len() > MARKER_MAX {
                return;
            }
            marker_key(lower.bytes())
        };
        let (nl, en) = marker_keys();
        c[0] += usize::from(nl.binary_search(&key).is_ok());
        c[1] += usize::from(en.binary_search(&key).is_ok());
    }
    let mut c = [0usize; 3];
    for text in texts {
        if text.is_ascii() {
            for w in text
                .as_bytes()
                .split(|&b| !b.is_ascii_alphanumeric() && b != b'\'')
                .filter(|w| !w.is_empty())
            {
                count(std::str::from_utf8(w).unwrap_or_default(), &mut c);
            }
        } else {
            for w in text
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .filter(|w| !w.is_empty())
            {
                count(w, &mut c);
            }
        }
        if c[2] > 3000 {
            break;
        }
    }
    if c[0] > c[1] {
        Lang::Nl
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_markers_fit_the_buffer() {
        for m in NL_MARKERS.iter().chain(EN_MARKERS) {
            assert!(m.len() <= MARKER_MAX && m.is_ascii(), "{m}");
        }
        let nl = ["Goedemorgen, ik heb een VRAAG over mijn factuur."];
        assert_eq!(detect_language(nl.into_iter()), Lang::Nl);
        let en = ["GOOD MORNING, I have a question about my bill."];
        assert_eq!(detect_language(en.into_iter()), Lang::En);
    }
}
