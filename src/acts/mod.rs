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

const NL_MARKERS: &[&str] = &[
    "de",
    "het",
    "een",
    "ik",
    "u",
    "je",
    "niet",
    "dat",
    "is",
    "en",
    "van",
    "met",
    "voor",
    "op",
    "wat",
    "ja",
    "nee",
    "dan",
    "maar",
    "mijn",
    "uw",
    "heb",
    "heeft",
    "wel",
    "nog",
    "ook",
    "er",
    "even",
    "kan",
    "zijn",
    "dank",
    "goedemorgen",
    "goedemiddag",
    "klopt",
    "jullie",
    "hoe",
];
const EN_MARKERS: &[&str] = &[
    "the", "a", "i", "you", "not", "that", "is", "and", "of", "with", "for", "on", "what", "yes",
    "no", "then", "but", "my", "your", "have", "has", "it", "to", "can", "be", "thanks", "morning",
    "please", "would", "this", "okay", "we", "how", "do",
];

/// Detect the language of a text from function words (deterministic; ties go to English).
pub fn detect_language<'a>(texts: impl Iterator<Item = &'a str>) -> Lang {
    let mut nl = 0usize;
    let mut en = 0usize;
    let mut seen = 0usize;
    for text in texts {
        for w in text.split(|c: char| !c.is_alphanumeric() && c != '\'') {
            if w.is_empty() {
                continue;
            }
            let w = w.to_lowercase();
            // "is" is shared; count it for neither.
            if w != "is" {
                if NL_MARKERS.contains(&w.as_str()) {
                    nl += 1;
                }
                if EN_MARKERS.contains(&w.as_str()) {
                    en += 1;
                }
            }
            seen += 1;
        }
        if seen > 3000 {
            break;
        }
    }
    if nl > en {
        Lang::Nl
    } else {
        Lang::En
    }
}
