//! Who is who: apply what the file says (labels, `# agent:` headers), what the user says
//! (`--agent`, config `[speakers]`), and otherwise a guess that the output reports as one.

use crate::transcript::{Kind, Role, RolesSource, Transcript};
use anyhow::Result;
use std::collections::{HashMap, HashSet};

/// The role a speaker label implies by itself (`Klant`, `Agent`, `Collega`, ...).
pub fn role_from_label(label: &str) -> Option<Role> {
    let l = label.trim().to_lowercase();
    let l = l.trim_matches(|c: char| !c.is_alphanumeric());
    // Strip trailing numbers: "Agent 1", "Klant 2".
    let base = l.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '_');
    let role = match base {
        "agent" | "medewerker" | "medewerkster" | "csr" | "rep" | "representative" | "employee"
        | "advisor" | "adviser" | "adviseur" | "operator" | "support" | "servicedesk"
        | "service desk" | "klantenservice" | "customer service" | "callcenter agent"
        | "call centre agent" | "call center agent" | "helpdesk" | "staff" | "assistant"
        | "system" | "bot" => {
            if matches!(base, "system" | "bot") {
                Role::Other
            } else {
                Role::Agent
            }
        }
        "customer" | "klant" | "caller" | "beller" | "client" | "cliënt" | "user" | "gebruiker"
        | "consumer" | "member" | "patient" | "patiënt" | "tenant" | "huurder" | "passenger"
        | "reiziger" => Role::Customer,
        "leader" | "teamleider" | "team leader" | "teamlead" | "team lead" | "leidinggevende"
        | "coach" | "manager" | "teamleidster" => Role::Leader,
        "collega" | "colleague" | "supervisor" | "ivr" | "voice menu" | "keuzemenu" | "systeem"
        | "backoffice" | "back office" | "other" | "derde" | "third party" | "specialist"
        | "interpreter" | "tolk" => Role::Other,
        _ => return None,
    };
    Some(role)
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Names listed in a header such as `# agent: Sanne, Sanne de Vries`.
fn header_names(t: &Transcript, key: &str) -> Vec<String> {
    t.header(key)
        .map(|v| {
            v.split([',', ';'])
                .map(norm)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The number in a numbered speaker key: `1`, `Speaker 1`, `spk_1`, `SPEAKER_01`.
fn speaker_number(s: &str) -> Option<u64> {
    let rest = s
        .strip_prefix("speaker")
        .or_else(|| s.strip_prefix("spk"))
        .unwrap_or(s)
        .trim_start_matches([' ', '_']);
    if rest.is_empty() || rest.len() > 9 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

/// Does `mapping` (a name, label or `channel:N`) name this speaker key?
///
/// - `channel:N` names the channel keys `ch_N` (Transcribe, Deepgram multichannel), `chN`
///   and `channel N`.
/// - A number names a numbered speaker: `--agent 1` maps `Speaker 1` (Deepgram), `spk_1`
///   (Transcribe) and `SPEAKER_01` (WhisperX); so do `spk_1` and `speaker 1` themselves.
/// - A first name maps a full name and the other way round.
fn mapping_matches(mapping: &str, speaker: &str) -> bool {
    let m = norm(mapping);
    let s = norm(speaker);
    if s.is_empty() {
        return false;
    }
    if m == s {
        return true;
    }
    if let Some(n) = m.strip_prefix("channel:") {
        let n = n.trim();
        let n = n.trim_start_matches('0');
        let n = if n.is_empty() { "0" } else { n };
        return s == format!("ch_{n}") || s == format!("channel {n}") || s == format!("ch{n}");
    }
    if let (Some(a), Some(b)) = (speaker_number(&m), speaker_number(&s)) {
        return a == b;
    }
    // A first name maps a full name and the other way round ("Sanne" ~ "Sanne de Vries").
    s.split_whitespace().next() == Some(m.as_str()) || m.split_whitespace().next() == Some(&s)
}

/// Opening phrases an agent uses when answering on behalf of an organisation.
const AGENT_CUES: &[&str] = &[
    "u spreekt met",
    "je spreekt met",
    "spreekt u met",
    "waarmee kan ik",
    "waar kan ik u",
    "waar kan ik je",
    "wat kan ik voor u",
    "wat kan ik voor je",
    "hoe kan ik u helpen",
    "hoe kan ik je helpen",
    "welkom bij",
    "goedemorgen,",
    "goedemiddag,",
    "goedenavond,",
    "you're speaking with",
    "you are speaking with",
    "you're speaking to",
    "you are speaking to",
    "you're through to",
    "you are through to",
    "how can i help",
    "how may i help",
    "how can i assist",
    "how may i assist",
    "what can i do for you",
    "thank you for calling",
    "thanks for calling",
    "thank you for contacting",
    "speaking, how",
    "welcome to",
    "zeg het maar",
    "vertel het maar",
    "my name is",
    "this is",
    "mijn naam is",
    // Asking for the details that find the customer's account.
    "mag ik uw",
    "uw klantnummer",
    "uw lidnummer",
    "uw geboortedatum",
    "uw postcode",
    "uw ordernummer",
    "uw boekingsnummer",
    "can i take your",
    "can i have your",
    "could i take your",
    "could i have your",
    "your account number",
    "your reference",
    "your date of birth",
    "check that for you",
    "look into that for you",
    "look that up for you",
];

/// Cues a customer says as often as an agent ("hello, my name is Tobias, I have..."):
/// they count for less.
const WEAK_AGENT_CUES: &[&str] = &["my name is", "this is", "mijn naam is"];

/// What callers say when they open with their question: they count against being the
/// agent.
const CUSTOMER_CUES: &[&str] = &[
    "i'm calling",
    "i am calling",
    "calling about",
    "ringing about",
    "ringing to",
    "calling to",
    "i need to",
    "i want to",
    "i'd like to",
    "i was wondering",
    "how much is",
    "how much does",
    "ik bel over",
    "ik bel omdat",
    "ik bel even",
    "ik bel voor",
    "ik bel in verband met",
    // Checking they reached the right place.
    "ben ik bij",
    "ben ik goed bij",
    "am i through to",
    "ik wil graag",
    "ik wilde graag",
    "ik heb een vraag",
    "ik vroeg me af",
    "hoeveel kost",
    // Speaking of the organisation from outside it.
    "bij jullie",
    "van jullie",
    "you guys",
];

/// How a caller opens who checks they reached the right place ("hello, is that the rescue
/// line?", "ben ik bij de klantenservice?"): said at the start of a turn, after greetings.
const CALLER_OPENINGS: &[&str] = &[
    "is that the",
    "is this the",
    "have i got the",
    "have i reached",
    "ben ik bij",
    "ben ik goed",
    "is dit de",
    "is dit het",
    "spreek ik met de",
];

/// Words a turn may open with before a caller's opening.
const OPENING_FILLERS: &[&str] = &[
    "hello",
    "hi",
    "hiya",
    "hey",
    "yes",
    "yeah",
    "oh",
    "ah",
    "um",
    "er",
    "erm",
    "uh",
    "hallo",
    "hoi",
    "ja",
    "goedemorgen",
    "goedemiddag",
    "goedenavond",
    "dag",
    "morning",
    "afternoon",
    "evening",
    "good",
];

/// Asking for what finds the customer's record ("what's the membership number", "wat is uw
/// klantnummer"): the agent asks, the caller answers.
fn asks_for_record(t: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"\b(?:whats|what is|can i get|could i get|can i grab|wat is|wat was|mag ik) (?:your|the|uw|je|het|de) (?:[a-z]+ )?(?:number|postcode|post code|reference|date of birth|registration|reg|nummer|[a-z]+nummer|geboortedatum|kenteken)\b",
        )
        .expect("the record pattern compiles")
    })
    .is_match(t)
}

fn agent_score(text: &str) -> i32 {
    // Speech-to-text often drops apostrophes ("youre speaking to"): compare without them.
    let t = text.to_lowercase().replace(['\'', '\u{2019}'], "");
    let has = |c: &str| t.contains(&c.replace('\'', ""));
    let agent: i32 = AGENT_CUES
        .iter()
        .filter(|c| has(c))
        .map(|c| if WEAK_AGENT_CUES.contains(c) { 1 } else { 3 })
        .sum::<i32>()
        + if asks_for_record(&t) { 3 } else { 0 };
    agent - 2 * CUSTOMER_CUES.iter().filter(|c| has(c)).count() as i32
}

/// Does a speaker's first turn open like a caller checking the line ("hello hello is that
/// the rescue line")? Later turns are left alone: "is that the address we have?" asks.
fn opens_like_caller(text: &str) -> bool {
    let t = text.to_lowercase();
    let mut words = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .skip_while(|w| OPENING_FILLERS.contains(w));
    let opening = [words.next(), words.next(), words.next(), words.next()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    CALLER_OPENINGS
        .iter()
        .any(|c| opening == *c || opening.starts_with(&format!("{c} ")))
}

/// Decide the kind (call or coaching) from headers and labels; content cues come later.
fn kind_from_labels(t: &Transcript) -> Option<Kind> {
    if let Some(k) = t.header("kind") {
        return match norm(k).as_str() {
            "coaching" | "coachgesprek" | "coaching-conversation" => Some(Kind::Coaching),
            _ => Some(Kind::Call),
        };
    }
    if !header_names(t, "leader").is_empty() || t.turns.iter().any(|x| x.role == Some(Role::Leader))
    {
        return Some(Kind::Coaching);
    }
    None
}

/// Fill in every turn's role and the transcript's `roles` source.
pub fn resolve(t: &mut Transcript, mapping: &[(String, Role)]) -> Result<()> {
    if t.kind.is_none() {
        t.kind = kind_from_labels(t);
    }
    let had_format_roles = t.turns.iter().any(|x| x.role.is_some());
    let mut source = if had_format_roles {
        RolesSource::Labelled
    } else {
        RolesSource::Unknown
    };

    // 1. What the user says wins over everything.
    let mut mapped_any = false;
    for turn in &mut t.turns {
        if let Some((_, role)) = mapping
            .iter()
            .find(|(m, _)| mapping_matches(m, &turn.speaker))
        {
            turn.role = Some(*role);
            mapped_any = true;
        }
    }
    if mapped_any {
        source = RolesSource::Mapped;
    }

    // 2. Header names and label words.
    let headers: Vec<(Role, Vec<String>)> = [
        (Role::Agent, "agent"),
        (Role::Leader, "leader"),
        (Role::Other, "other"),
        (Role::Customer, "customer"),
    ]
    .iter()
    .map(|(r, k)| (*r, header_names(t, k)))
    .collect();
    let mut labelled_any = false;
    // A call has a few speakers over many turns: each label is looked at once.
    let mut known: Vec<(String, Option<Role>)> = Vec::new();
    for turn in &mut t.turns {
        if turn.role.is_some() || turn.speaker.is_empty() {
            continue;
        }
        let role = match known.iter().find(|(s, _)| *s == turn.speaker) {
            Some(&(_, role)) => role,
            None => {
                let by_header = headers
                    .iter()
                    .find(|(_, names)| names.iter().any(|n| mapping_matches(n, &turn.speaker)));
                let role = match by_header {
                    Some((role, _)) => Some(*role),
                    None => role_from_label(&turn.speaker),
                };
                // A few are enough for a call, and keep the look-up short with many.
                if known.len() < 4 {
                    known.push((turn.speaker.clone(), role));
                }
                role
            }
        };
        if role.is_some() {
            turn.role = role;
            labelled_any = true;
        }
    }
    if labelled_any && source == RolesSource::Unknown {
        source = RolesSource::Labelled;
    }
    if t.kind.is_none() && t.turns.iter().any(|x| x.role == Some(Role::Leader)) {
        t.kind = Some(Kind::Coaching);
    }
    let coaching = t.kind == Some(Kind::Coaching);

    // 3. Speakers still without a role.
    let unknown: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for turn in &t.turns {
            if turn.role.is_none() && !turn.speaker.is_empty() && seen.insert(&turn.speaker) {
                v.push(turn.speaker.clone());
            }
        }
        v
    };
    if unknown.is_empty() {
        if t.turns.iter().all(|x| x.speaker.is_empty()) && !had_format_roles && !mapped_any {
            t.roles = RolesSource::Unknown;
            let hint = if t.format == "webvtt" {
                " (a Zoom captions file, `.cc.vtt`? The meeting's `.transcript.vtt` names the speakers)"
            } else {
                ""
            };
            t.warnings.push(format!(
                "the file has no speaker information{hint}: rules that need agent and customer are skipped"
            ));
        } else {
            t.roles = source;
        }
        return Ok(());
    }
    // One speaker and nobody placed: there is no one to tell apart (an undiarised recording
    // labelled as a single speaker). Guessing would call everything the agent's.
    if unknown.len() == 1 && t.turns.iter().all(|x| x.role.is_none()) {
        t.roles = RolesSource::Unknown;
        t.warnings.push(format!(
            "only one speaker ('{}') in the file: agent and customer cannot be told apart, so rules that need them are skipped (use --agent/--customer if that is wrong)",
            unknown[0]
        ));
        return Ok(());
    }
    let has = |r: Role| t.turns.iter().any(|x| x.role == Some(r));
    let (first, rest) = if coaching {
        (Role::Leader, Role::Agent)
    } else {
        (Role::Agent, Role::Customer)
    };
    let fill: Option<Role> = if has(first) && !has(rest) {
        Some(rest)
    } else if has(rest) && !has(first) && unknown.len() == 1 {
        Some(first)
    } else if has(first) && has(rest) {
        // Extra named speakers in a call with both roles known: third parties.
        Some(Role::Other)
    } else {
        None
    };
    if let Some(role) = fill {
        for turn in &mut t.turns {
            if turn.role.is_none() && !turn.speaker.is_empty() {
                turn.role = Some(role);
            }
        }
        t.roles = source;
        return Ok(());
    }

    // 4. Guess: the speaker who answers on behalf of the organisation is the agent (or, in a
    //    coaching conversation, the one who opens is the leader).
    let mut best = unknown[0].clone();
    // Speakers who join later (a colleague after a transfer) and answer for the
    // organisation too, or a recorded message before the call: third parties.
    let mut joined: HashSet<String> = HashSet::new();
    if !coaching {
        // Each speaker's first two turns, in one pass.
        let mut early_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for x in &t.turns {
            let e = early_of.entry(x.speaker.as_str()).or_default();
            if e.len() < 2 {
                e.push(x.text.as_str());
            }
        }
        let score_of = |sp: &str| {
            early_of.get(sp).map_or(0, |early| {
                early.iter().map(|x| agent_score(x)).sum::<i32>()
                    - if early.first().is_some_and(|x| opens_like_caller(x)) {
                        2
                    } else {
                        0
                    }
            })
        };
        // The call opens with the agent and the customer: the agent is one of the first
        // two to speak, after a recorded message or a menu that opens and speaks once.
        let turns_of = |sp: &str| t.turns.iter().filter(|x| x.speaker == sp).count();
        let skip = usize::from(unknown.len() > 2 && turns_of(&unknown[0]) == 1);
        let candidates: Vec<&String> = unknown.iter().skip(skip).take(2).collect();
        let mut best_score = i32::MIN;
        for (i, sp) in candidates.iter().enumerate() {
            // The first speaker gets a small bonus: call-centre agents answer the phone.
            let score = score_of(sp) * 2 + if i == 0 { 1 } else { 0 };
            if score > best_score {
                best_score = score;
                best = (*sp).clone();
            }
        }
        // Those who first speak after both candidates (`unknown` is in order of first
        // turns) joined the call later.
        joined = unknown
            .iter()
            .skip(skip + 2)
            .filter(|sp| score_of(sp) > 0)
            .cloned()
            .collect();
        // The message before them is no one's turn in the conversation.
        if skip == 1 {
            joined.insert(unknown[0].clone());
        }
    }
    for turn in &mut t.turns {
        if turn.role.is_none() && !turn.speaker.is_empty() {
            turn.role = Some(if turn.speaker == best {
                first
            } else if joined.contains(&turn.speaker) {
                Role::Other
            } else {
                rest
            });
        }
    }
    t.roles = if source == RolesSource::Unknown {
        RolesSource::Guessed
    } else {
        source
    };
    t.warnings.push(format!(
        "roles guessed: '{best}' is taken as the {} (use --agent NAME to say otherwise)",
        first.as_str()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Turn;

    fn transcript(speakers: &[&str]) -> Transcript {
        Transcript {
            turns: speakers
                .iter()
                .map(|s| Turn {
                    speaker: s.to_string(),
                    text: "hello".into(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    /// A call of these (speaker, text) turns, with roles resolved from nothing but them.
    fn resolved(turns: &[(&str, &str)]) -> Transcript {
        let mut t = Transcript {
            turns: turns
                .iter()
                .map(|(speaker, text)| Turn {
                    speaker: speaker.to_string(),
                    text: text.to_string(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        resolve(&mut t, &[]).unwrap();
        t
    }

    #[test]
    fn company_greetings_beat_callers_without_apostrophes_too() {
        // Speech-to-text: the caller speaks first and gives a name; the agent greets for
        // the company without apostrophes.
        let t = resolved(&[
            (
                "Speaker 1",
                "hello yes hi my name is tom i want to ask about my order",
            ),
            (
                "Speaker 2",
                "morning willowbank vets youre speaking to jess",
            ),
            ("Speaker 1", "hello"),
        ]);
        assert_eq!(t.turns[1].role, Some(Role::Agent));
        assert_eq!(t.turns[0].role, Some(Role::Customer));
        assert!(agent_score("you're speaking to jess") > agent_score("my name is tom"));
        assert!(agent_score("hi, i'm calling about my bill") < 0);
    }

    #[test]
    fn the_one_asking_for_account_details_is_the_agent_when_the_caller_speaks_first() {
        // The caller opens by checking where they are and gives a name; the agent answers
        // with the company and asks for the member number.
        let t = resolved(&[
            ("spk_0", "hallo ben ik bij deelwagen"),
            ("spk_1", "ja goedemorgen deelwagen met ruben"),
            (
                "spk_0",
                "goeiemorgen met karin ik sta hier maar de auto is er niet",
            ),
            ("spk_1", "wat is uw lidnummer"),
        ]);
        assert_eq!(t.turns[1].role, Some(Role::Agent));
        assert_eq!(t.turns[0].role, Some(Role::Customer));
    }

    #[test]
    fn a_caller_checking_the_line_is_the_customer_though_no_company_is_named() {
        // Neither names the company; the first checks the line, the second asks for the
        // membership number.
        let t = resolved(&[
            ("Speaker 0", "hello hello is that the rescue line"),
            ("Speaker 1", "yeah rescue line go ahead"),
            (
                "Speaker 0",
                "me car's conked out on the bypass and it'll not start",
            ),
            ("Speaker 1", "okay what's the membership number"),
        ]);
        assert_eq!(t.turns[0].role, Some(Role::Customer));
        assert_eq!(t.turns[1].role, Some(Role::Agent));
        // Asked later in a turn, "is that the ..." is the agent's check, not a caller's.
        assert!(!opens_like_caller(
            "okay is that the address we have for you"
        ));
        assert!(opens_like_caller(
            "Hallo, goedemiddag, ben ik bij de storingsdienst?"
        ));
        assert!(asks_for_record("whats the membership number"));
        assert!(asks_for_record("wat is uw klantnummer"));
        assert!(!asks_for_record("what's the problem with it"));
    }

    #[test]
    fn a_recorded_message_first_does_not_push_the_agent_out() {
        // A menu speaks once, then the customer and the agent talk.
        let t = resolved(&[
            ("spk_0", "this call may be recorded for training purposes"),
            ("spk_1", "hello"),
            (
                "spk_2",
                "good morning you're through to dana how can i help",
            ),
            ("spk_1", "i'm calling about my bill"),
            ("spk_2", "can i take your account number"),
        ]);
        assert_eq!(t.turns[2].role, Some(Role::Agent));
        assert_eq!(t.turns[1].role, Some(Role::Customer));
        assert_eq!(t.turns[0].role, Some(Role::Other));
    }

    #[test]
    fn a_colleague_who_joins_later_is_no_agent_and_no_customer() {
        // After a transfer a third speaker answers for the organisation too: the agent is
        // the one who opened the call, the colleague a third party.
        let t = resolved(&[
            ("Spreker 2", "gemeente goedemorgen u spreekt met ruben"),
            ("Spreker 1", "ik heb een vraag over mijn aanslag"),
            ("Spreker 2", "ik verbind u door"),
            (
                "Spreker 3",
                "team kwijtschelding met anouk waarmee kan ik u helpen mag ik uw postcode",
            ),
            ("Spreker 1", "2034 kv"),
        ]);
        assert_eq!(t.turns[0].role, Some(Role::Agent));
        assert_eq!(t.turns[1].role, Some(Role::Customer));
        assert_eq!(t.turns[3].role, Some(Role::Other));
    }

    #[test]
    fn mappings_name_channels_numbers_and_first_names() {
        assert!(mapping_matches("channel:0", "ch_0"));
        assert!(mapping_matches("channel:1", "ch_1"));
        assert!(!mapping_matches("channel:1", "ch_0"));
        assert!(mapping_matches("1", "Speaker 1"));
        assert!(mapping_matches("1", "spk_1"));
        assert!(mapping_matches("spk_1", "SPEAKER_01"));
        assert!(!mapping_matches("1", "spk_0"));
        assert!(mapping_matches("a", "A"));
        assert!(mapping_matches("Sanne", "Sanne de Vries"));
        assert!(!mapping_matches("Sanne", ""));
    }

    #[test]
    fn channel_mapping_is_mapped() {
        let mut t = transcript(&["ch_0", "ch_1", "ch_0"]);
        resolve(&mut t, &[("channel:1".into(), Role::Agent)]).unwrap();
        assert_eq!(t.roles, RolesSource::Mapped);
        assert_eq!(t.turns[0].role, Some(Role::Customer));
        assert_eq!(t.turns[1].role, Some(Role::Agent));
    }

    #[test]
    fn one_speaker_or_none_is_unknown_with_one_warning() {
        let mut t = transcript(&["A", "A"]);
        resolve(&mut t, &[]).unwrap();
        assert_eq!(t.roles, RolesSource::Unknown);
        assert!(t.turns.iter().all(|x| x.role.is_none()));
        assert_eq!(t.warnings.len(), 1);
        assert!(t.warnings[0].contains("only one speaker"));
        let mut t = transcript(&["", ""]);
        resolve(&mut t, &[]).unwrap();
        assert_eq!(t.roles, RolesSource::Unknown);
        assert_eq!(t.warnings.len(), 1);
        assert!(t.warnings[0].contains("no speaker information"));
    }
}
