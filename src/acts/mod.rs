//! Dialogue acts: language detection and tagging. Each sentence of each turn is marked
//! with acts (questions, probes, summaries, solutions, resistance, ...) from the lexicon
//! packs in `rules/lexicon/`, then structure decides what the words alone cannot: a
//! summary restates what this customer said; an offer phrased as a question is a solution.

pub mod lexicon;
pub mod literals;
pub mod prep;
pub mod small;
pub mod tagger;

use crate::transcript::Lang;
use anyhow::Result;
use lexicon::Lexicon;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

pub use tagger::{tag, Sentence, Tag, TaggedTranscript, TaggedTurn};

macro_rules! acts {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// A dialogue act. The names are the keys of the lexicon packs' `[acts.*]` tables.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Act { $($variant),* }

        impl Act {
            /// The act as a bit of a mask (there are fewer than 64).
            pub fn bit(self) -> u64 {
                1 << (self as u32)
            }
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
    // A turn of phrase ("eerlijk gezegd", "to be honest"), no action.
    Aside => "aside",
    // Customer side.
    Resistance => "resistance",
    Worry => "worry",
    Correction => "correction",
    Repeat => "repeat",
    // Holding to the point after a solution: "It's not about the credit", "het gaat erom dat".
    Insist => "insist",
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
    // The leader takes up the agent's own idea ("Goed idee.", "That's a good plan").
    Endorsement => "endorsement",
    CoachingCue => "coaching-cue",
    // Set by structure, never by a pattern.
    Summary => "summary",
    Question => "question",
}

/// Acts that only the agent's side of the analysis reads. A customer's turn is not scanned
/// for them (a third of the searches of a batch) unless a loaded rule asks for one there
/// (`need_on_customer`) or everything is to be shown (`tag_everything`).
const AGENT_SIDE: [Act; 22] = [
    Act::Aside,
    Act::Endorsement,
    Act::Solution,
    Act::Offer,
    Act::Choice,
    Act::Verification,
    Act::Courtesy,
    Act::Answer,
    Act::LookUp,
    Act::Hold,
    Act::SummaryCue,
    Act::SummaryLead,
    Act::CheckTag,
    Act::ClosingRecap,
    Act::DismissedEmpathy,
    Act::Refusal,
    Act::NextStep,
    Act::Handoff,
    Act::HandoffBrief,
    Act::Haste,
    Act::Probe,
    Act::Acknowledgement,
];

/// Acts that no analysis of a call reads on the agent's turns: the customer's side, and
/// those of coaching talks (whose agent is the one coached, and whose turns are scanned for
/// everything). An agent's turn in a call is not scanned for them (a third of the searches
/// of a batch) unless a loaded rule asks for one there (`need_on_agent`). The cues that tell
/// a coaching talk from a call (`CoachingCue`, `Greeting`) are never skipped.
const CUSTOMER_SIDE: [Act; 20] = [
    Act::Resistance,
    Act::Insist,
    Act::Worry,
    Act::Correction,
    Act::Repeat,
    Act::ManagerRequest,
    Act::Topic,
    Act::Factual,
    Act::Explore,
    Act::Problem,
    Act::Retell,
    Act::Diagnosis,
    Act::Proposal,
    Act::Labelling,
    Act::Pressure,
    Act::Rebuttal,
    Act::Agreement,
    Act::EndTalk,
    Act::Condition,
    Act::Endorsement,
];

/// Acts that loaded rules read on customer turns, as bits; all bits to tag everything.
static CUSTOMER_NEEDS: AtomicU64 = AtomicU64::new(0);

/// Acts that loaded rules read on the agent's turns in a call, as bits.
static AGENT_NEEDS: AtomicU64 = AtomicU64::new(0);

/// These acts as bits.
fn bits(acts: &[Act]) -> u64 {
    acts.iter().fold(0, |m, a| m | a.bit())
}

/// A loaded rule reads these acts on the agent's turns.
pub fn need_on_agent(acts: &[Act]) {
    AGENT_NEEDS.fetch_or(bits(acts), Ordering::Relaxed);
}

/// A loaded rule reads these acts on customer turns.
pub fn need_on_customer(acts: &[Act]) {
    CUSTOMER_NEEDS.fetch_or(bits(acts), Ordering::Relaxed);
}

/// These acts, less those the loaded rules read (`needs`).
fn skippable(acts: &[Act], needs: &AtomicU64) -> u64 {
    bits(acts) & !needs.load(Ordering::Relaxed)
}

/// Tag every act on every turn (`callcoach acts` shows them all).
pub fn tag_everything() {
    CUSTOMER_NEEDS.store(u64::MAX, Ordering::Relaxed);
    AGENT_NEEDS.store(u64::MAX, Ordering::Relaxed);
}

/// The acts a customer's turn is not scanned for.
pub(crate) fn customer_skip() -> u64 {
    skippable(&AGENT_SIDE, &CUSTOMER_NEEDS)
}

/// Acts read only to find the need statement and to judge whether it is a pure factual
/// question: a customer's turn after a need statement that is none is not scanned for
/// them (unless a loaded rule asks for one there).
const NEED_ONLY: [Act; 5] = [
    Act::Explore,
    Act::Factual,
    Act::Problem,
    Act::Topic,
    Act::Worry,
];

/// The acts a customer's turn after a need statement that is no factual question is not
/// scanned for, besides `customer_skip`.
pub(crate) fn after_need_skip() -> u64 {
    skippable(&NEED_ONLY, &CUSTOMER_NEEDS)
}

/// The acts an agent's turn in a call is not scanned for.
pub(crate) fn agent_skip() -> u64 {
    skippable(&CUSTOMER_SIDE, &AGENT_NEEDS)
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

/// Slots of the marker table (a power of two, well over the number of markers).
const MARKER_SLOTS: usize = 256;

/// The marker words by key, in an open-addressing table: (key, 1 = Dutch | 2 = English).
/// "is" is in both languages and counts for neither.
fn marker_table() -> &'static [(u128, u8)] {
    static TABLE: std::sync::OnceLock<Vec<(u128, u8)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![(0u128, 0u8); MARKER_SLOTS];
        for (words, flag) in [(NL_MARKERS, 1u8), (EN_MARKERS, 2u8)] {
            for w in words.iter().filter(|w| **w != "is") {
                let key = marker_key(w.bytes());
                let mut i = marker_slot(key);
                while t[i].0 != 0 && t[i].0 != key {
                    i = (i + 1) % MARKER_SLOTS;
                }
                t[i] = (key, t[i].1 | flag);
            }
        }
        t
    })
}

fn marker_slot(key: u128) -> usize {
    let h = ((key as u64) ^ ((key >> 64) as u64)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> 56) as usize % MARKER_SLOTS
}

/// 1 for a Dutch marker, 2 for an English one, 0 for neither.
fn marker_flags(table: &[(u128, u8)], key: u128) -> u8 {
    let mut i = marker_slot(key);
    loop {
        match table[i] {
            (0, _) => return 0,
            (k, f) if k == key => return f,
            _ => i = (i + 1) % MARKER_SLOTS,
        }
    }
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
    let table = marker_table();
    // One word seen, `len` bytes long and keyed (lower case) as `key`: [nl, en, seen].
    let word = |key: u128, len: usize, c: &mut [usize; 3]| {
        c[2] += 1;
        if len <= MARKER_MAX {
            let f = marker_flags(table, key);
            c[0] += usize::from(f & 1);
            c[1] += usize::from(f >> 1);
        }
    };
    let mut c = [0usize; 3];
    for text in texts {
        if text.is_ascii() {
            // Words (letters, digits, apostrophes) keyed as they are read.
            let (mut key, mut len) = (0u128, 0usize);
            for &b in text.as_bytes() {
                if b.is_ascii_alphanumeric() || b == b'\'' {
                    if len < MARKER_MAX {
                        key = (key << 8) | u128::from(b | 0x20);
                    }
                    len += 1;
                } else if len > 0 {
                    word(key, len, &mut c);
                    (key, len) = (0, 0);
                }
            }
            if len > 0 {
                word(key, len, &mut c);
            }
        } else {
            for w in text
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .filter(|w| !w.is_empty())
            {
                // Too long as written or lower-cased: no marker.
                let lower = w.to_lowercase();
                let key = marker_key(lower.bytes().take(MARKER_MAX + 1));
                word(key, w.len().max(lower.len()), &mut c);
            }
        }
        // Enough words, or a clear lead after the first turns: in a batch most of a
        // call's words need not be read for this.
        let lead = |a: usize, b: usize| a >= 3 * b + 12;
        if c[2] > 3000 || (c[2] >= 50 && (lead(c[0], c[1]) || lead(c[1], c[0]))) {
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

    /// The keyed scan counts like splitting into words and looking each up.
    #[test]
    fn language_counts_match_a_plain_word_split() {
        let plain = |text: &str| {
            let lower = text.to_lowercase();
            let (mut nl, mut en) = (0, 0);
            for w in lower.split(|c: char| !c.is_alphanumeric() && c != '\'') {
                nl += usize::from(NL_MARKERS.contains(&w) && w != "is");
                en += usize::from(EN_MARKERS.contains(&w) && w != "is");
            }
            if nl > en {
                Lang::Nl
            } else {
                Lang::En
            }
        };
        for text in [
            "Ik heb een vraag, and I have a question.",
            "The the the de de de de",
            "IK HEB HET NIET, it's not the thing",
            "supercalifragilistic de de the the the",
            "de'de the'the de-de van,van,van the",
            "",
            "is is is",
            "u u u uw a a",
        ] {
            assert_eq!(detect_language([text].into_iter()), plain(text), "{text}");
        }
    }

    /// Every act has a bit of its own in a u64 mask.
    #[test]
    fn acts_fit_a_mask() {
        let names = Act::all_names();
        assert!(names.len() <= 64, "{} acts", names.len());
        let mut seen = 0u64;
        for n in names {
            let b = <Act as std::str::FromStr>::from_str(n).unwrap().bit();
            assert_eq!(seen & b, 0, "{n}");
            seen |= b;
        }
    }

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

    /// A clear lead in the first turns decides; a Dutch greeting alone does not, and the
    /// count reads on through the English call that follows.
    #[test]
    fn language_is_decided_early_only_on_a_clear_lead() {
        let greeting = "Goedemorgen, u spreekt met Sanne van de klantenservice, waar kan ik u mee helpen? Is het een vraag over uw factuur?";
        let english = "I have a question about my bill and I would like to know why it is so high this month, can you help me with that please?";
        let call: Vec<&str> = std::iter::once(greeting)
            .chain(std::iter::repeat_n(english, 6))
            .collect();
        assert_eq!(detect_language(call.into_iter()), Lang::En);
        // Dutch throughout, and an English tail too short to matter after the early stop.
        let dutch = "Ik heb een vraag over mijn factuur en ik wil graag weten waarom het bedrag zo hoog is, kunt u mij daar mee helpen?";
        let call: Vec<&str> = std::iter::repeat_n(dutch, 4)
            .chain(std::iter::once(english))
            .collect();
        assert_eq!(detect_language(call.into_iter()), Lang::Nl);
    }
}
