//! The transcript model every input format is turned into: turns, roles, source positions.
//!
//! Nothing outside `formats/` knows how a file looked; everything downstream reads this.

use serde::Serialize;
use std::collections::BTreeMap;

/// Who is speaking, as far as the coach is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Agent,
    Customer,
    /// A team leader in a coaching conversation.
    Leader,
    /// A third party: a colleague after a transfer, a supervisor, an IVR.
    Other,
    /// Not known (a format without speakers, or a speaker we could not place).
    Unknown,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Customer => "customer",
            Role::Leader => "leader",
            Role::Other => "other",
            Role::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "agent" => Some(Role::Agent),
            "customer" | "caller" | "client" => Some(Role::Customer),
            "leader" => Some(Role::Leader),
            "other" => Some(Role::Other),
            "unknown" => Some(Role::Unknown),
            _ => None,
        }
    }
}

/// How agent and customer were told apart (the JSON report's `roles`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RolesSource {
    /// The file says who is who (labels such as Agent/Klant, or a format field).
    Labelled,
    /// The user said (`--agent`, `# agent:` header, config).
    Mapped,
    /// callcoach guessed from the content.
    Guessed,
    /// Nobody knows: the file has no speakers.
    #[default]
    Unknown,
}

impl RolesSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RolesSource::Labelled => "labelled",
            RolesSource::Mapped => "mapped",
            RolesSource::Guessed => "guessed",
            RolesSource::Unknown => "unknown",
        }
    }
}

/// Transcript language. Both are first-class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" | "dutch" | "nederlands" | "nl-nl" | "nl-be" | "vls" => Some(Lang::Nl),
            "en" | "english" | "engels" | "en-gb" | "en-us" | "en-au" | "en-ie" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A customer-service call, or a coaching conversation between a leader and an agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Call,
    Coaching,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Call => "call",
            Kind::Coaching => "coaching",
        }
    }
}

/// A `# callcoach: ignore RULE -- reason` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub rule: String,
    pub reason: String,
    /// Line of the comment in the source file.
    pub line: usize,
    /// `ignore-file` rather than `ignore`.
    pub whole_file: bool,
}

/// One contiguous utterance by one speaker.
#[derive(Debug, Clone, Default)]
pub struct Turn {
    /// The raw speaker key as the file has it (label, name, `spk_0`, `ch_1`); empty when none.
    pub speaker: String,
    pub role: Option<Role>,
    pub text: String,
    /// 1-based line in the source where the turn starts (or the record's line for JSON).
    pub line: Option<usize>,
    /// Seconds from the start of the recording.
    pub start: Option<f64>,
    pub end: Option<f64>,
    /// Turn-level `# expect: RULE` annotations on the line before the turn.
    pub expects: Vec<String>,
    /// Turn-level suppressions bound to this turn.
    pub suppressions: Vec<Suppression>,
}

impl Turn {
    pub fn role(&self) -> Role {
        self.role.unwrap_or(Role::Unknown)
    }
}

/// A parsed transcript, whatever format it came from.
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    /// Where it came from (path, or path:line for JSON Lines).
    pub source: String,
    /// Format name (`plain`, `webvtt`, `srt`, `aws-transcribe`, ...).
    pub format: String,
    pub id: Option<String>,
    /// `# key: value` headers or format metadata (lower-case keys).
    pub headers: BTreeMap<String, String>,
    pub turns: Vec<Turn>,
    pub roles: RolesSource,
    /// Declared language (header/metadata); detection fills it in later when absent.
    pub language: Option<Lang>,
    pub kind: Option<Kind>,
    /// The agent's name where known (header, metadata, path).
    pub agent_name: Option<String>,
    /// File-level suppressions.
    pub suppressions: Vec<Suppression>,
    /// Notes for the user about how the file was read (role guess, skipped rules).
    pub warnings: Vec<String>,
}

impl Transcript {
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers.get(key).map(|s| s.as_str())
    }

    /// File-level `# expect:` labels; `None` when the file carries none.
    pub fn expected_rules(&self) -> Option<Vec<String>> {
        let raw = self.header("expect")?;
        Some(
            raw.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty() && s != "none")
                .collect(),
        )
    }

    pub fn has_roles(&self) -> bool {
        self.turns
            .iter()
            .any(|t| matches!(t.role, Some(Role::Agent) | Some(Role::Leader)))
            && self.turns.iter().any(|t| {
                matches!(
                    t.role,
                    Some(Role::Customer) | Some(Role::Agent) | Some(Role::Leader)
                )
            })
    }

    /// Distinct speakers in order of first appearance.
    pub fn speakers(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in &self.turns {
            if !out.contains(&t.speaker.as_str()) {
                out.push(&t.speaker);
            }
        }
        out
    }
}
