//! Advice in the customer's own words: a summary built from what this customer said,
//! a follow-up question on their own topic, an acknowledgement that names their complaint.
//! Deterministic, from the transcript's words, in the report's language.

use crate::acts::{Act, TaggedTranscript, TaggedTurn};
use crate::rules::{Hit, RuleSpec};
use crate::transcript::{Lang, Role};

/// The advice for one finding: the rule's advice, made concrete where the rule allows.
pub fn advice_for(tt: &TaggedTranscript, spec: &RuleSpec, hit: &Hit, lang: Lang) -> String {
    let base = spec.advice.get(lang).to_string();
    let concrete = match spec.id.as_str() {
        "missing-summary" | "premature-solving" => suggest_summary(tt, lang),
        "missing-follow-up" => suggest_probe(tt, lang),
        "flight-reaction" | "unheard-customer" => suggest_acknowledgement(tt, hit.turn, lang),
        _ => None,
    };
    match concrete {
        Some(c) => format!("{base} {c}"),
        None => base,
    }
}

/// Turn the customer's first person into the agent's second person.
pub fn to_second_person(text: &str, lang: Lang) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let (core, punct) = split_punct(w);
        let lower = core.to_lowercase();
        let next = words.get(i + 1).map(|n| split_punct(n).0.to_lowercase());
        let pair = next.as_deref().and_then(|n| match lang {
            Lang::Nl => match (lower.as_str(), n) {
                ("ik", "heb") => Some("u heeft"),
                ("heb", "ik") => Some("heeft u"),
                ("ik", "ben") => Some("u bent"),
                ("ben", "ik") => Some("bent u"),
                ("ik", "wil") => Some("u wilt"),
                ("wil", "ik") => Some("wilt u"),
                ("ik", "kan") => Some("u kunt"),
                ("kan", "ik") => Some("kunt u"),
                ("ik", "zit") => Some("u zit"),
                ("ik", "word") => Some("u wordt"),
                ("ik", "krijg") => Some("u krijgt"),
                ("krijg", "ik") => Some("krijgt u"),
                ("ik", "weet") => Some("u weet"),
                ("ik", "had") => Some("u had"),
                _ => None,
            },
            Lang::En => match (lower.as_str(), n) {
                ("i", "am") => Some("you are"),
                ("i", "was") => Some("you were"),
                ("am", "i") => Some("are you"),
                ("was", "i") => Some("were you"),
                _ => None,
            },
        });
        if let Some(p) = pair {
            let (_, p2) = split_punct(words[i + 1]);
            out.push(format!("{p}{p2}"));
            i += 2;
            continue;
        }
        // "ik bel" → "u belt": the polite form adds a -t to a first-person verb.
        if lang == Lang::Nl && lower == "ik" {
            if let Some(n) = next.as_deref() {
                if let Some(v) = polite_verb(n) {
                    let (_, p2) = split_punct(words[i + 1]);
                    out.push(format!("u {v}{p2}"));
                    i += 2;
                    continue;
                }
            }
        }
        let single = match lang {
            Lang::Nl => match lower.as_str() {
                "ik" | "mij" | "me" => Some("u"),
                "mijn" | "m'n" => Some("uw"),
                "mezelf" | "mijzelf" => Some("uzelf"),
                _ => None,
            },
            Lang::En => match lower.as_str() {
                "i" => Some("you"),
                "i'm" => Some("you're"),
                "i've" => Some("you've"),
                "i'd" => Some("you'd"),
                "i'll" => Some("you'll"),
                "my" => Some("your"),
                "me" => Some("you"),
                "mine" => Some("yours"),
                "myself" => Some("yourself"),
                _ => None,
            },
        };
        match single {
            Some(s) => out.push(format!("{s}{punct}")),
            None => out.push(w.to_string()),
        }
        i += 1;
    }
    out.join(" ")
}

/// The polite second person of a Dutch first-person verb ("bel" → "belt"), or None when
/// the word after "ik" is not a verb this can conjugate.
fn polite_verb(w: &str) -> Option<String> {
    const NOT_VERBS: &[&str] = &[
        "ook",
        "al",
        "nu",
        "dus",
        "niet",
        "wel",
        "net",
        "gewoon",
        "echt",
        "toch",
        "nog",
        "even",
        "eigenlijk",
        "graag",
        "zelf",
        "daar",
        "hier",
        "maar",
        "dan",
        "het",
        "de",
        "een",
        "die",
        "dat",
        "er",
        "zo",
        "heel",
        "erg",
        "nooit",
        "altijd",
        "vaak",
        "soms",
        "al",
        "helemaal",
        "alleen",
        "ben",
        "heb",
        "wil",
        "kan",
        "zal",
        "mag",
        "moet",
        "zou",
        "had",
        "was",
        "ga",
        "sta",
        "doe",
        "zie",
        "sla",
        "eh",
        "ehm",
    ];
    if w.len() < 2 || !w.chars().all(|c| c.is_alphabetic()) {
        return None;
    }
    match w {
        "ga" | "sta" | "doe" | "zie" | "sla" => return Some(format!("{w}t")),
        _ if NOT_VERBS.contains(&w) => return None,
        _ => {}
    }
    if w.ends_with('t') || w.ends_with('d') {
        Some(w.to_string())
    } else {
        Some(format!("{w}t"))
    }
}

fn split_punct(w: &str) -> (&str, &str) {
    let end = w
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric() || *c == '\'')
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    (&w[..end], &w[end..])
}

const FILLERS: &[&str] = &[
    "ja",
    "nee",
    "eh",
    "ehm",
    "uh",
    "um",
    "hi",
    "hello",
    "hallo",
    "nou",
    "oh",
    "well",
    "so",
    "yes",
    "yeah",
    "ok",
    "oke",
    "oké",
    "okay",
    "morning",
    "goedemorgen",
    "goedemiddag",
    "goedenavond",
    "good",
    "afternoon",
    "hoi",
    "dag",
    "aye",
    "right",
];

/// The sentences of the need statement that carry the problem, without greetings.
fn need_sentences<'a>(tt: &'a TaggedTranscript) -> Option<(&'a TaggedTurn<'a>, Vec<usize>)> {
    let need = &tt.turns[tt.need?];
    let carrying: Vec<usize> = (0..need.sentences.len())
        .filter(|&si| {
            need.tags.iter().any(|t| {
                t.sentence == si
                    && matches!(
                        t.act,
                        Act::Problem | Act::Explore | Act::Factual | Act::Resistance | Act::Worry
                    )
            })
        })
        .collect();
    let chosen = if carrying.is_empty() {
        // The longest sentence is the likeliest to hold the need.
        let best = (0..need.sentences.len())
            .max_by_key(|&si| (need.sentences[si].text.len(), usize::MAX - si))?;
        vec![best]
    } else {
        carrying
    };
    Some((need, chosen))
}

/// Clean a customer sentence for quoting back: no leading fillers or greetings,
/// no trailing punctuation, first letter lower-case.
fn clean(s: &str) -> String {
    let mut words: Vec<&str> = s.split_whitespace().collect();
    while let Some(w) = words.first() {
        let bare = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if FILLERS.contains(&bare.as_str()) || bare.is_empty() {
            words.remove(0);
        } else {
            break;
        }
    }
    let mut out = words.join(" ");
    while out.ends_with(['.', '!', '?', ',', ';', ':', '…']) {
        out.pop();
    }
    let mut chars = out.chars();
    match chars.next() {
        // Keep "I" and proper-looking all-caps words as they are.
        Some(c) if chars.clone().next().is_some_and(|n| n.is_lowercase()) => {
            c.to_lowercase().collect::<String>() + chars.as_str()
        }
        _ => out,
    }
}

fn limit_words(s: &str, n: usize) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() <= n {
        s.to_string()
    } else {
        format!("{} …", words[..n].join(" "))
    }
}

pub fn suggest_summary(tt: &TaggedTranscript, lang: Lang) -> Option<String> {
    let (turn, sents) = need_sentences(tt)?;
    let parts: Vec<String> = sents
        .iter()
        .take(3)
        .map(|&si| clean(&to_second_person(turn.sentences[si].text, tt.lang)))
        .filter(|s| !s.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    let body = limit_words(&parts.join(", en "), 35);
    let body = if tt.lang == Lang::En {
        body.replace(", en ", ", and ")
    } else {
        body
    };
    Some(match lang {
        Lang::Nl => format!("Bijvoorbeeld: \"Als ik het goed begrijp: {body} — klopt dat?\""),
        Lang::En => {
            format!("For example: \"So if I understand you correctly: {body} — is that right?\"")
        }
    })
}

/// The customer's own topic: "mijn internet" → "uw internet", "my bill" → "your bill".
fn topic(tt: &TaggedTranscript) -> Option<String> {
    let (turn, sents) = need_sentences(tt)?;
    for &si in &sents {
        let text = &turn.sentences[si].text;
        let words: Vec<&str> = text.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            let lw = split_punct(w).0.to_lowercase();
            let possessive = match tt.lang {
                Lang::Nl => lw == "mijn" || lw == "m'n",
                Lang::En => lw == "my",
            };
            if possessive {
                if let Some(n) = words.get(i + 1) {
                    let noun = split_punct(n).0;
                    if noun.chars().count() >= 3 {
                        let p = if tt.lang == Lang::Nl { "uw" } else { "your" };
                        return Some(format!("{p} {noun}"));
                    }
                }
            }
        }
    }
    None
}

pub fn suggest_probe(tt: &TaggedTranscript, lang: Lang) -> Option<String> {
    let t = topic(tt);
    Some(match (lang, t) {
        (Lang::Nl, Some(t)) => format!(
            "Bijvoorbeeld: \"Wat gebeurt er precies met {t}, en sinds wanneer speelt dit?\""
        ),
        (Lang::Nl, None) => {
            "Bijvoorbeeld: \"Kunt u me vertellen wat er precies gebeurt, en sinds wanneer?\""
                .to_string()
        }
        (Lang::En, Some(t)) => format!(
            "For example: \"What exactly happens with {t}, and since when has it been like this?\""
        ),
        (Lang::En, None) => {
            "For example: \"Can you walk me through what happens, and since when?\"".to_string()
        }
    })
}

pub fn suggest_acknowledgement(
    tt: &TaggedTranscript,
    agent_turn: usize,
    lang: Lang,
) -> Option<String> {
    // The customer's last resistance before the agent's turn.
    let c = tt.turns[..agent_turn]
        .iter()
        .rev()
        .find(|t| t.role == Role::Customer && t.has(Act::Resistance))?;
    let si = c.first(Act::Resistance).map(|x| x.sentence).unwrap_or(0);
    let said = clean(&to_second_person(
        c.sentences[si.min(c.sentences.len() - 1)].text,
        tt.lang,
    ));
    if said.is_empty() {
        return None;
    }
    let said = limit_words(&said, 25);
    Some(match lang {
        Lang::Nl => format!("Bijvoorbeeld: \"Ik hoor het: {said}. Dat is echt vervelend, en dat wil ik goed oppakken.\""),
        Lang::En => format!("For example: \"I hear you: {said}. That's really frustrating, and I want to get this right for you.\""),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_person() {
        assert_eq!(
            to_second_person("Ik heb mijn pas verloren en ik wil een nieuwe.", Lang::Nl),
            "u heeft uw pas verloren en u wilt een nieuwe."
        );
        assert_eq!(
            to_second_person(
                "Ik bel nu voor de derde keer en ik wacht al weken.",
                Lang::Nl
            ),
            "u belt nu voor de derde keer en u wacht al weken."
        );
        assert_eq!(
            to_second_person("I'm locked out of my account, I think.", Lang::En),
            "you're locked out of your account, you think."
        );
    }

    #[test]
    fn clean_strips_fillers() {
        assert_eq!(
            clean("Ja, goedemiddag, mijn internet valt weg."),
            "mijn internet valt weg"
        );
    }
}
