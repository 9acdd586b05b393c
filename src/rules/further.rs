//! Further call rules: the unheard customer, a deflected manager request, hand-offs.

use super::core::{does_more, next_real_agent_turn};
use super::{Hit, RuleSpec};
use crate::acts::lexicon::{WordRefs, Words};
use crate::acts::tagger::{content_words, CustomerWords};
use crate::acts::{lexicon, Act, TaggedTranscript, TaggedTurn};
use crate::transcript::Role;

/// The resistance phrases of a turn, as matched (normalised).
fn resistance_phrases<'a>(t: &'a TaggedTurn) -> Vec<&'a str> {
    t.tags
        .iter()
        .filter(|x| x.act == Act::Resistance && x.end > x.offset)
        .map(|x| &t.sentences[x.sentence].norm[x.offset..x.end])
        .collect()
}

/// The content words of a turn.
fn turn_words<'a>(t: &'a TaggedTurn, stop: &Words) -> WordRefs<'a> {
    t.sentences
        .iter()
        .flat_map(|s| content_words(&s.norm, stop))
        .collect()
}

pub fn unheard_customer(tt: &TaggedTranscript, _: &RuleSpec) -> Vec<Hit> {
    // The customer's reaction to a solution: "like I said…", the same resistance phrase
    // again, or resistance again about the same complaint (its words come back) when the
    // agent never acknowledged it — a customer who was heard may still press a point.
    let stop = &lexicon(tt.lang).stopwords;
    let mut earlier: WordRefs = WordRefs::default();
    let mut complaint: WordRefs = WordRefs::default();
    // What the customer came with, calm or not: holding to it after a solution ("It's not
    // about the credit. I stood in that shop…") repeats it.
    // Read only for a reaction that holds to the point or argues on.
    let need_words: std::cell::OnceCell<WordRefs> = std::cell::OnceCell::new();
    let need_words = || {
        need_words.get_or_init(|| {
            tt.need
                .map(|n| turn_words(&tt.turns[n], stop))
                .unwrap_or_default()
        })
    };
    let mut after_solution = false;
    // A solution was offered at some point: "As I said…" counts in any later reaction.
    let mut ever_solution = false;
    let mut last_other = false;
    let mut acknowledged = false;
    // The customer's last turn asked for a manager.
    let mut asked_manager = false;
    for t in &tt.turns {
        match t.role {
            Role::Other => last_other = true,
            Role::Agent => {
                last_other = false;
                if t.has(Act::Solution) {
                    after_solution = true;
                    ever_solution = true;
                }
                // "Like I said…" after a refusal or an answer ("So the decision stands")
                // is as unheard as after a fix; not after turning down a manager request.
                ever_solution |= t.has(Act::Answer) || (t.has(Act::Refusal) && !asked_manager);
                // Empathy waved away ("I'm sure that's a pain, but anyway…") hears nothing.
                acknowledged |= t.has(Act::Acknowledgement) && !t.has(Act::DismissedEmpathy);
            }
            Role::Customer => {
                asked_manager = t.has(Act::ManagerRequest);
                let phrases = resistance_phrases(t);
                let resists = t.has(Act::Resistance);
                // Telling the story again to a colleague after a transfer is not this rule.
                if ever_solution && !last_other {
                    if let Some(r) = t.first(Act::Repeat) {
                        return vec![Hit::at(t.index, Some(r.sentence))];
                    }
                }
                if after_solution && !last_other {
                    // Pushing back ("But that's the whole point…") with the complaint's
                    // words again counts as resisting here; holding to the point ("Het
                    // gaat erom dat…") does so even when the agent acknowledged the
                    // feeling: the matter itself went unheard.
                    let insists = t.has(Act::Insist);
                    let pushes = resists || t.has(Act::Rebuttal) || insists;
                    if pushes && (!acknowledged || insists) {
                        let same_phrase = phrases.iter().any(|p| earlier.contains(p));
                        // Arguing on with "But…" and three of the need's words again
                        // ("But I did not change anything. From 2011 … five years is not
                        // there.") repeats the matter too, calm as it is; "Maar kan de
                        // dierenarts het niet rechtstreeks regelen?" asks something new.
                        let rebuts = t.has(Act::Rebuttal) && !t.has(Act::Question);
                        let same_complaint = || {
                            let words = turn_words(t, stop);
                            let old = |w: &&str| complaint.contains(*w);
                            let n = words.iter().filter(|w| old(w)).count();
                            if n >= 2 {
                                return true;
                            }
                            if !insists && !rebuts {
                                return false;
                            }
                            let need = need_words();
                            let m = words
                                .iter()
                                .filter(|w| old(w) || need.contains(**w))
                                .count();
                            (insists && m >= 2) || (rebuts && m >= 3)
                        };
                        // Resisting again when the first resistance was never answered
                        // repeats the emotion, whatever the words; asking for a manager
                        // instead is a new request, not a repeat.
                        let same_emotion =
                            resists && !complaint.is_empty() && !t.has(Act::ManagerRequest);
                        if same_phrase || same_emotion || same_complaint() {
                            let s = t.first(Act::Resistance).map(|x| x.sentence);
                            return vec![Hit::at(t.index, s)];
                        }
                    }
                }
                // Only the first reaction to a solution counts as the reaction to it.
                after_solution = false;
                if resists {
                    complaint.extend(turn_words(t, stop));
                    acknowledged = false;
                }
                earlier.extend(phrases);
            }
            _ => {}
        }
    }
    vec![]
}

pub fn manager_request_deflected(tt: &TaggedTranscript, _: &RuleSpec) -> Vec<Hit> {
    for c in tt
        .turns
        .iter()
        .filter(|t| t.role == Role::Customer && t.has(Act::ManagerRequest))
    {
        // The reply: the next agent turn that does something, or that says something of
        // its own ("There's honestly no point. A manager works to the same terms…") rather
        // than only holding or checking.
        let Some(a) = tt.turns[c.index + 1..]
            .iter()
            .filter(|t| t.role == Role::Agent)
            .find(|t| {
                does_more(t)
                    || (t.words >= 6
                        && !t
                            .tags
                            .iter()
                            .any(|x| matches!(x.act, Act::Hold | Act::LookUp | Act::Verification)))
            })
        else {
            continue;
        };
        // A takeover or callback counts unless it is part of the refusal ("There's no
        // manager I can put you through to").
        let offers = |t: &TaggedTurn| {
            t.tags.iter().any(|x| {
                matches!(x.act, Act::NextStep | Act::Handoff | Act::HandoffBrief) && !t.refused(x)
            })
        };
        // A fix offered in the reply, in a sentence of its own after any refusal, is a
        // concrete next step too ("There's no need for a supervisor. I'm sending you a
        // box today.").
        let refused_in = a
            .tags
            .iter()
            .filter(|t| t.act == Act::Refusal)
            .map(|t| t.sentence)
            .max();
        let fixes = a
            .tags
            .iter()
            .any(|t| t.act == Act::Solution && refused_in.is_none_or(|r| t.sentence > r));
        if offers(a) || fixes {
            continue;
        }
        // A reply that first checks it understood (a summary or a question, no refusal)
        // goes on in the agent's next turn when the customer only confirms.
        let checks = !a.has(Act::Refusal) && (a.has(Act::Summary) || a.has(Act::Question));
        let goes_on = checks
            && tt.turns[a.index + 1..]
                .iter()
                .take_while(|t| t.role != Role::Agent)
                .all(|t| t.role != Role::Customer || (t.words < 8 && !t.has(Act::Resistance)));
        if goes_on && next_real_agent_turn(tt, a.index).is_some_and(offers) {
            continue;
        }
        let s = a.first(Act::Refusal).map(|x| x.sentence);
        return vec![Hit::at(a.index, s)];
    }
    vec![]
}

/// Does a turn's hand-off say where to ("to our fraud team", "naar de planning", "moet ik
/// je doorverbinden met de afdeling Restituties"), not just that it happens ("I'm
/// transferring you now")? The destination is in the hand-off or after it in its sentence.
fn names_destination(t: &TaggedTurn) -> bool {
    t.tags.iter().filter(|x| x.act == Act::Handoff).any(|x| {
        let norm = &t.sentences[x.sentence].norm;
        let span = &norm[x.offset.min(norm.len())..];
        [" to ", " naar ", " met ", " aan "]
            .iter()
            .any(|p| span.contains(p))
    })
}

pub fn repeated_handoff(tt: &TaggedTranscript, _: &RuleSpec) -> Vec<Hit> {
    let stop = &lexicon(tt.lang).stopwords;
    let mut customer_words = CustomerWords::default();
    let mut handoffs: Vec<(usize, usize)> = Vec::new();
    let mut unbriefed: Option<(usize, usize)> = None;
    let mut last_handoff_turn: Option<usize> = None;
    // The words of the last hand-off's sentences: where it sent the customer.
    let mut last_target: Vec<&str> = Vec::new();
    for t in &tt.turns {
        match t.role {
            Role::Customer => {
                if let (Some(h), Some(r)) = (last_handoff_turn, t.first(Act::Retell)) {
                    let _ = h;
                    return vec![Hit::at(t.index, Some(r.sentence))];
                }
            }
            Role::Agent => {
                // One entry per hand-off: tags that overlap are one phrase; two apart in
                // one unpunctuated sentence ("ik zet het door naar de planning … en voor
                // de verzekering verbind ik u door") are two.
                let spans: Vec<(usize, usize, usize)> =
                    {
                        let mut v: Vec<(usize, usize, usize)> = Vec::new();
                        for x in t.tags.iter().filter(|x| {
                            x.act == Act::Handoff && !t.refused(x) && !follows_fix(t, x)
                        }) {
                            match v.last_mut() {
                                Some(last) if last.0 == x.sentence && x.offset <= last.2 + 24 => {
                                    last.2 = last.2.max(x.end);
                                }
                                _ => v.push((x.sentence, x.offset, x.end)),
                            }
                        }
                        v
                    };
                if spans.is_empty() {
                    continue;
                }
                let sentences: Vec<usize> = spans.iter().map(|&(s, _, _)| s).collect();
                // A hand-off announced again after only a short "okay" from the customer is the
                // same one; after a colleague came on the line, or to somewhere else ("…to our
                // protection team." "Okay." "…to Gareth on our conveyancing desk"), another.
                // Where it sends: the words from the hand-off to the end of its clause ("…door
                // met debiteurenbeheer, en ik vertel ze…"), not what else the sentence says.
                let target: Vec<&str> = spans
                    .iter()
                    .flat_map(|&(s, from, _)| {
                        let norm = &t.sentences[s].norm;
                        let rest = norm.get(from..).unwrap_or_default();
                        let clause = rest.find([',', ';']).map_or(rest, |k| &rest[..k]);
                        content_words(clause, stop)
                    })
                    .collect();
                let same_as_last = last_handoff_turn.is_some_and(|l| {
                    tt.turns[l + 1..t.index].iter().all(|x| match x.role {
                        Role::Customer => x.words < 6,
                        Role::Other => false,
                        _ => true,
                    })
                }) && (!names_destination(t)
                    || target.iter().any(|w| last_target.contains(w)));
                last_target = target;
                if !same_as_last {
                    for &s in &sentences {
                        handoffs.push((t.index, s));
                    }
                }
                let words = customer_words.before(&tt.turns, t.index, stop);
                let briefed = briefs(tt, t.index, words, stop);
                if !briefed && !same_as_last && unbriefed.is_none() {
                    unbriefed = Some((t.index, sentences[0]));
                }
                last_handoff_turn = Some(t.index);
            }
            _ => {}
        }
    }
    if let Some((i, s)) = unbriefed {
        return vec![Hit::at(i, Some(s))];
    }
    if handoffs.len() >= 2 {
        let (i, s) = handoffs[1];
        return vec![Hit::at(i, Some(s))];
    }
    vec![]
}

/// Is this hand-off only someone else's promise to come back after the agent's own fix in
/// the same sentence ("I'll log a missed pickup with the operator and they'll get back to
/// you")? Then the case is dealt with, not handed over. Passing the customer or the case
/// on ("…and I'm putting you through to…") stays a hand-off.
fn follows_fix(t: &TaggedTurn, h: &crate::acts::Tag) -> bool {
    let m = &t.sentences[h.sentence].norm;
    let m = m.get(h.offset..h.end).unwrap_or_default();
    let promise = [
        "they", "someone", "somebody", "the ", "ze ", "zij ", "iemand", "de ",
    ]
    .iter()
    .any(|p| m.starts_with(p));
    promise
        && t.tags
            .iter()
            .any(|x| x.act == Act::Solution && x.sentence == h.sentence && x.offset < h.offset)
}

/// Does the agent pass the case on with this hand-off (a brief, or the case restated)?
fn briefs(tt: &TaggedTranscript, i: usize, customer: &Words, stop: &Words) -> bool {
    // The hand-off turn and the agent's next turns until the customer speaks at length.
    for t in &tt.turns[i..] {
        if t.index > i && t.role == Role::Customer && t.words >= 6 {
            break;
        }
        if t.role != Role::Agent {
            continue;
        }
        if t.has(Act::HandoffBrief) {
            return true;
        }
        let words = turn_words(t, stop);
        if words.iter().filter(|w| customer.contains(**w)).count() >= 5 {
            return true;
        }
    }
    false
}
