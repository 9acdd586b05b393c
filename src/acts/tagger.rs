//! The tagger: sentences, act occurrences with their position, and the structural
//! decisions (summaries by overlap, question types, offers before probes).

use super::lexicon::{expand_dialect, normalise, Lexicon, Scratch, WordRefs, Words};
use super::{detect_language, lexicon, Act};
use crate::transcript::{Kind, Lang, Role, Transcript};

/// One sentence of a turn.
#[derive(Debug, Clone)]
pub struct Sentence<'a> {
    /// As written (for quotes): a slice of the turn's text.
    pub text: &'a str,
    /// Lower-cased and folded (what patterns see).
    pub norm: String,
    /// Ends in '?' or opens like a question.
    pub question: bool,
}

/// An act at a position in a turn: sentence index and byte offset in its normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    pub act: Act,
    pub sentence: usize,
    pub offset: usize,
    pub end: usize,
}

impl Tag {
    pub fn pos(&self) -> (usize, usize) {
        (self.sentence, self.offset)
    }
}

#[derive(Debug, Clone)]
pub struct TaggedTurn<'a> {
    /// 0-based index into the transcript's turns.
    pub index: usize,
    pub role: Role,
    pub sentences: Vec<Sentence<'a>>,
    /// Sorted by position.
    pub tags: Vec<Tag>,
    pub words: usize,
}

impl TaggedTurn<'_> {
    pub fn has(&self, act: Act) -> bool {
        self.tags.iter().any(|t| t.act == act)
    }
    /// Is this tag part of a refusal ("I can't put you through", "there's no manager I can
    /// transfer you to")? Then the offer it names is not made.
    pub fn refused(&self, tag: &Tag) -> bool {
        self.tags.iter().any(|r| {
            r.act == Act::Refusal
                && r.sentence == tag.sentence
                && r.offset <= tag.offset
                && tag.offset < r.end
        })
    }

    pub fn first(&self, act: Act) -> Option<&Tag> {
        self.tags.iter().find(|t| t.act == act)
    }
    /// Is there an `act` before position `pos` in this turn?
    pub fn has_before(&self, act: Act, pos: (usize, usize)) -> bool {
        self.tags.iter().any(|t| t.act == act && t.pos() < pos)
    }
    /// The sentence holding a tag, as written.
    pub fn quote_at(&self, tag: &Tag) -> &str {
        self.sentences[tag.sentence].text
    }
    pub fn only(&self, allowed: &[Act]) -> bool {
        self.tags.iter().all(|t| allowed.contains(&t.act))
    }
}

/// A transcript with every turn tagged.
pub struct TaggedTranscript<'a> {
    pub transcript: &'a Transcript,
    pub lang: Lang,
    pub kind: Kind,
    pub turns: Vec<TaggedTurn<'a>>,
    /// Index (into `turns`) of the need statement.
    pub need: Option<usize>,
    /// The need is a pure factual question (the understanding rules do not apply).
    pub factual: bool,
}

impl<'a> TaggedTranscript<'a> {
    /// Index of the first agent turn with a solution, after the need statement.
    pub fn first_solution(&self) -> Option<usize> {
        let from = self.need.unwrap_or(0);
        self.turns
            .iter()
            .skip(from)
            .find(|t| t.role == Role::Agent && t.has(Act::Solution))
            .map(|t| t.index)
    }
}

/// The bytes where a sentence may end: '\n', '.', '?', '!' and the ellipsis's first byte.
static STOPS: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    while k < 5 {
        t[[b'\n', b'.', b'?', b'!', 0xE2][k] as usize] = true;
        k += 1;
    }
    t
};

/// Split text into sentences on . ? ! … (followed by space or end) and line breaks.
pub fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    split_sentences_into(text, &mut out);
    out
}

/// `split_sentences`, adding the sentences to `out`.
fn split_sentences_into<'t>(text: &'t str, out: &mut Vec<&'t str>) {
    // Terminators and what may follow them in the same run ("?!", "...", ".\")").
    const ELLIPSIS: &[u8] = "…".as_bytes();
    fn terminator(s: &[u8]) -> usize {
        match s.first() {
            Some(b'.' | b'?' | b'!') => 1,
            _ if s.starts_with(ELLIPSIS) => ELLIPSIS.len(),
            _ => 0,
        }
    }
    fn in_run(s: &[u8]) -> usize {
        match s.first() {
            Some(b'"' | b'\'' | b')') => 1,
            _ => terminator(s),
        }
    }
    let b = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    // Byte steps are safe: '\n', the ASCII terminators and the ellipsis's first byte never
    // occur inside a multi-byte character, so every cut is at a character boundary.
    while i < b.len() {
        // Most bytes are none of '\n', '.', '?', '!' or the ellipsis's first byte.
        match b[i..].iter().position(|&c| STOPS[c as usize]) {
            Some(k) => i += k,
            None => break,
        }
        if b[i] == b'\n' {
            push_sentence(out, &text[start..i]);
            i += 1;
            start = i;
            continue;
        }
        let t = terminator(&b[i..]);
        if t == 0 {
            i += 1;
            continue;
        }
        let mut j = i + t;
        loop {
            let n = in_run(&b[j..]);
            if n == 0 {
                break;
            }
            j += n;
        }
        if text[j..].chars().next().is_none_or(char::is_whitespace) {
            push_sentence(out, &text[start..j]);
            start = j;
        }
        i = j;
    }
    push_sentence(out, &text[start..]);
}

fn push_sentence<'t>(out: &mut Vec<&'t str>, s: &'t str) {
    let s = s.trim();
    if !s.is_empty() {
        out.push(s);
    }
}

/// Content words of a normalised text, reduced to a crude stem for overlap.
pub fn content_words<'a>(norm: &'a str, stop: &Words) -> Vec<&'a str> {
    norm.split(|c: char| !(c.is_alphanumeric()))
        .filter(|w| (w.len() >= 3 || w.chars().all(|c| c.is_ascii_digit())) && !w.is_empty())
        .filter(|w| !stop.contains(*w))
        .map(stem)
        .collect()
}

fn stem(w: &str) -> &str {
    // Five leading characters are enough to match "verdubbeld"/"verdubbeling",
    // "charged"/"charges" without a language-specific stemmer; a plural "s" goes first
    // ("weeks"/"week").
    let w = match w.strip_suffix('s') {
        Some(b) if b.len() >= 3 && !b.ends_with('s') => b,
        _ => w,
    };
    &w[..w.char_indices().nth(5).map_or(w.len(), |(i, _)| i)]
}

/// Add words to a set, allocating only for new ones.
pub fn add_words(set: &mut Words, words: Vec<&str>) {
    for w in words {
        if !set.contains(w) {
            set.insert(w.to_owned());
        }
    }
}

/// The customer's content words before a turn, read only as far as a caller asks (most
/// calls never ask: only summaries and hand-offs compare with them).
#[derive(Default)]
pub struct CustomerWords {
    words: Words,
    /// Turns read so far.
    read: usize,
}

impl CustomerWords {
    /// The customer's words in the turns before `i` (asked for in increasing `i`).
    pub fn before(&mut self, turns: &[TaggedTurn], i: usize, stop: &Words) -> &Words {
        if i > self.read {
            for c in turns[self.read..i]
                .iter()
                .filter(|c| c.role == Role::Customer)
            {
                for s in &c.sentences {
                    add_words(&mut self.words, content_words(&s.norm, stop));
                }
            }
            self.read = i;
        }
        &self.words
    }
}

/// The apostrophe back in English contractions written without one; None when there are
/// none. Only forms that are not also words are restored (not "its", "were", "id", "well"),
/// and "ill", which in a service call is "I'll".
fn restore_apostrophes(norm: &str) -> Option<String> {
    let b = norm.as_bytes();
    let mut out: Option<String> = None;
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let with = match &norm[start..i] {
            "im" => "i'm",
            "ive" => "i've",
            "ill" => "i'll",
            "youre" => "you're",
            "youve" => "you've",
            "youll" => "you'll",
            "youd" => "you'd",
            "theyre" => "they're",
            "theyve" => "they've",
            "theyll" => "they'll",
            "weve" => "we've",
            "itll" => "it'll",
            "hes" => "he's",
            "shes" => "she's",
            "thats" => "that's",
            "whats" => "what's",
            "theres" => "there's",
            "heres" => "here's",
            "lets" => "let's",
            "dont" => "don't",
            "doesnt" => "doesn't",
            "didnt" => "didn't",
            "cant" => "can't",
            "wont" => "won't",
            "isnt" => "isn't",
            "arent" => "aren't",
            "wasnt" => "wasn't",
            "werent" => "weren't",
            "havent" => "haven't",
            "hasnt" => "hasn't",
            "hadnt" => "hadn't",
            "couldnt" => "couldn't",
            "wouldnt" => "wouldn't",
            "shouldnt" => "shouldn't",
            _ => continue,
        };
        let o = out.get_or_insert_with(|| String::with_capacity(norm.len() + 8));
        o.push_str(&norm[copied..start]);
        o.push_str(with);
        copied = i;
    }
    out.map(|mut o| {
        o.push_str(&norm[copied..]);
        o
    })
}

/// Does the text hold an apostrophe, straight or typographic (’)?
fn has_apostrophe(text: &str) -> bool {
    // Byte by byte: '\'' is one byte, and ’'s first byte (0xE2) starts few other characters.
    text.bytes()
        .enumerate()
        .any(|(i, b)| b == b'\'' || (b == 0xE2 && text[i..].starts_with('\u{2019}')))
}

/// The words of a normalised (ASCII) text: runs of bytes other than ASCII whitespace.
fn count_words(norm: &str) -> usize {
    // A word starts at a byte that is no space after one that is (or at the start): pairs
    // of neighbours, without a running state, summed in blocks small enough for a byte
    // counter, so the loop vectorises into byte lanes.
    let b = norm.as_bytes();
    let space = |c: u8| (c == b' ') | (c.wrapping_sub(b'\t') < 5);
    let Some(&c) = b.first() else {
        return 0;
    };
    let mut n = usize::from(!space(c));
    for (x, y) in b[..b.len() - 1].chunks(128).zip(b[1..].chunks(128)) {
        let block = x
            .iter()
            .zip(y)
            .fold(0u8, |sum, (&p, &q)| sum + u8::from(space(p) & !space(q)));
        n += usize::from(block);
    }
    n
}

/// Upper-case shouting or "!!" in a customer turn.
fn shouting(text: &str) -> bool {
    if text.contains("!!") {
        return true;
    }
    let (mut letters, mut upper) = (0, 0);
    if text.is_ascii() {
        // The same counts without decoding characters.
        for &b in text.as_bytes() {
            letters += usize::from(b.is_ascii_alphabetic());
            upper += usize::from(b.is_ascii_uppercase());
        }
    } else {
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            upper += usize::from(c.is_uppercase());
        }
    }
    letters >= 12 && upper * 10 >= letters * 6
}

thread_local! {
    static LEX_SCRATCH: std::cell::RefCell<[super::lexicon::Scratch; 2]> = Default::default();
}

/// Tag a transcript. `lang` overrides detection.
pub fn tag(t: &Transcript, lang: Option<Lang>) -> TaggedTranscript<'_> {
    tag_with(t, lang, Skips::current())
}

/// The acts (as bits, `Act::bit`) a scan leaves out: on customer turns, on customer turns
/// after a need statement that is no pure factual question besides, and on the agent's
/// turns in a call.
#[derive(Clone, Copy, Default)]
pub(crate) struct Skips {
    pub customer: u64,
    pub after_need: u64,
    pub agent: u64,
}

impl Skips {
    /// What the loaded rules let a scan leave out.
    pub(crate) fn current() -> Skips {
        Skips {
            customer: super::customer_skip(),
            after_need: super::after_need_skip(),
            agent: super::agent_skip(),
        }
    }
}

/// `tag`, skipping these acts.
pub(crate) fn tag_with(t: &Transcript, lang: Option<Lang>, skips: Skips) -> TaggedTranscript<'_> {
    let lang = lang
        .or(t.language)
        .unwrap_or_else(|| detect_language(t.turns.iter().map(|x| x.text.as_str())));
    let lex = lexicon(lang);
    // The scan's buffers and search caches live on with the thread, one set per language.
    let slot = lang as usize;
    let mut lexscratch = LEX_SCRATCH.with_borrow_mut(|s| std::mem::take(&mut s[slot]));
    // Speech-to-text often writes English contractions without the apostrophe ("ive",
    // "youre", "dont"): the patterns spell them with one.
    let restore = lang == Lang::En && !t.turns.iter().any(|x| has_apostrophe(&x.text));
    // Sentences and their normalised forms first, so the lexicon can compile the patterns
    // they need in parallel before the scan (see `Lexicon::warm_up`).
    let mut texts: Vec<&str> = Vec::with_capacity(2 * t.turns.len());
    let mut ends = Vec::with_capacity(t.turns.len());
    for turn in &t.turns {
        split_sentences_into(&turn.text, &mut texts);
        ends.push(texts.len());
    }
    let sentences = texts
        .into_iter()
        .map(|s| {
            let norm = normalise(s);
            let norm = if restore {
                restore_apostrophes(&norm).unwrap_or(norm)
            } else if lang == Lang::Nl {
                expand_dialect(norm)
            } else {
                norm
            };
            (s, norm)
        })
        .collect();
    let split = Split { sentences, ends };
    lex.warm_up(split.sentences.iter().map(|(_, n)| n.as_str()));
    // The agent's turns leave out the customer's acts only in a call: in a coaching talk
    // the agent is the one coached. A talk found to be one only by its cues is scanned
    // again without.
    let coaching =
        t.kind == Some(Kind::Coaching) || t.turns.iter().any(|x| x.role() == Role::Leader);
    let mut skips = skips;
    if coaching {
        skips.agent = 0;
    }
    let (mut turns, mut need) = scan_turns(t, split, lex, skips, &mut lexscratch);
    let kind = t.kind.unwrap_or_else(|| guess_kind(&turns));
    if kind == Kind::Coaching && skips.agent != 0 {
        let mut ends = Vec::with_capacity(turns.len());
        let mut sentences = Vec::new();
        for x in turns {
            sentences.extend(x.sentences.into_iter().map(|s| (s.text, s.norm)));
            ends.push(sentences.len());
        }
        let split = Split { sentences, ends };
        skips.agent = 0;
        (turns, need) = scan_turns(t, split, lex, skips, &mut lexscratch);
    }
    LEX_SCRATCH.with_borrow_mut(|s| s[slot] = lexscratch);
    let mut tagged = TaggedTranscript {
        transcript: t,
        lang,
        kind,
        turns,
        need,
        factual: false,
    };
    resolve(&mut tagged, &lex.stopwords);
    tagged
}

/// Every turn's sentences, as written and normalised, one turn after another: turn `i`'s
/// end where `ends[i]` says.
struct Split<'a> {
    sentences: Vec<(&'a str, String)>,
    ends: Vec<usize>,
}

/// The act occurrences of each turn's sentences.
fn scan_turns<'a>(
    t: &'a Transcript,
    split: Split<'a>,
    lex: &Lexicon,
    skips: Skips,
    lexscratch: &mut Scratch,
) -> (Vec<TaggedTurn<'a>>, Option<usize>) {
    let mut turns: Vec<TaggedTurn> = Vec::with_capacity(t.turns.len());
    let mut scratch = Vec::new();
    // The need statement (the first customer turn that states one, from that turn's acts
    // alone), and whether it is no factual question: the acts that only tell those are
    // then not needed on later customer turns.
    let mut need = None;
    let mut told = false;
    // A need found on a turn that only introduces the caller or only asks for a manager
    // stands unless the agent's next turn asks what the call is about.
    let mut weak_need = false;
    let mut sentences_in = split.sentences.into_iter();
    let mut from = 0;
    for ((index, turn), &end) in t.turns.iter().enumerate().zip(&split.ends) {
        let count = end - from;
        from = end;
        lexscratch.skip = match turn.role() {
            Role::Customer if told => skips.customer | skips.after_need,
            Role::Customer => skips.customer,
            Role::Agent => skips.agent,
            _ => 0,
        };
        let mut sentences = Vec::with_capacity(count);
        let mut tags = Vec::with_capacity(2 * count + 1);
        let mut words = 0;
        for (si, (s, norm)) in sentences_in.by_ref().take(count).enumerate() {
            words += count_words(&norm);
            scratch.clear();
            lex.scan(&norm, lexscratch, &mut scratch);
            let marked = s.trim_end_matches(['"', '\'', ')']).ends_with('?');
            let mut question = marked;
            // "Wat ik wel kan doen: …" opens like a question but states; only a question mark
            // makes it one.
            let statement = scratch.iter().any(|&(a, _, _)| a == Act::StatementOpening);
            for &(act, start, end) in &scratch {
                if matches!(act, Act::QuestionOpen | Act::QuestionClosed)
                    && start <= 12
                    && !statement
                {
                    question = true;
                }
                tags.push(Tag {
                    act,
                    sentence: si,
                    offset: start,
                    end,
                });
            }
            if question {
                tags.push(Tag {
                    act: Act::Question,
                    sentence: si,
                    offset: 0,
                    end: 0,
                });
            }
            sentences.push(Sentence {
                text: s,
                norm,
                question,
            });
        }
        if turn.role() == Role::Customer && shouting(&turn.text) {
            tags.push(Tag {
                act: Act::Resistance,
                sentence: 0,
                offset: 0,
                end: 0,
            });
        }
        let mut tt = TaggedTurn {
            index,
            role: turn.role(),
            sentences,
            tags,
            words,
        };
        sort_tags(&mut tt);
        if tt.role == Role::Customer && need.is_none() && is_need(&tt) {
            need = Some(index);
            told = !tt.has(Act::Factual);
            weak_need = !states_need(&tt);
        } else if tt.role == Role::Agent && need.is_some() {
            if weak_need && invites_need(&tt) {
                // "Waar kan ik u mee helpen?", "What's it about?": the need is still to come.
                need = None;
                told = false;
            }
            weak_need = false;
        }
        turns.push(tt);
    }
    (turns, need)
}

fn sort_tags(t: &mut TaggedTurn) {
    t.tags.sort_by_key(|a| (a.sentence, a.offset, a.act));
    t.tags.dedup();
}

fn guess_kind(turns: &[TaggedTurn]) -> Kind {
    if turns.iter().any(|t| t.role == Role::Leader) {
        return Kind::Coaching;
    }
    let cues = turns
        .iter()
        .take(6)
        .filter(|t| t.has(Act::CoachingCue))
        .count();
    let customer_greeting = turns.iter().take(3).any(|t| t.has(Act::Greeting));
    if cues >= 2 && !customer_greeting {
        Kind::Coaching
    } else {
        Kind::Call
    }
}

/// Structural decisions over the raw act occurrences, the need statement found (`scan_turns`).
fn resolve(tt: &mut TaggedTranscript, stop: &Words) {
    let mut customer_words = CustomerWords::default();
    let need = tt.need;
    for i in 0..tt.turns.len() {
        if tt.turns[i].role != Role::Agent {
            continue;
        }
        // Without a cue, a lead or a check a sentence is a summary only as a
        // restatement the customer confirms at once ("Ja, precies.").
        let cued = tt.turns[i]
            .tags
            .iter()
            .any(|t| matches!(t.act, Act::SummaryCue | Act::SummaryLead | Act::CheckTag));
        let confirmed = tt.turns[i].words >= 10
            && tt
                .turns
                .get(i + 1)
                .is_some_and(|c| c.role == Role::Customer && c.words < 6 && c.has(Act::Agreement));
        // Summaries restate the need: none before it.
        if (cued || confirmed) && need.is_some_and(|n| n < i) {
            let words = customer_words.before(&tt.turns, i, stop);
            find_summaries(&mut tt.turns[i], words, stop, confirmed);
        }
        // Fetching the manager the customer just asked for ("Dat regel ik: ik haal
        // mijn teamleider erbij") honours the request; it solves nothing yet.
        let asked = tt.turns[..i]
            .iter()
            .rev()
            .find(|t| t.role == Role::Customer)
            .is_some_and(|t| t.has(Act::ManagerRequest));
        let turn = &mut tt.turns[i];
        if asked {
            let fetches: Vec<usize> = turn
                .tags
                .iter()
                .filter(|t| matches!(t.act, Act::NextStep | Act::Handoff))
                .map(|t| t.sentence)
                .collect();
            turn.tags
                .retain(|t| t.act != Act::Solution || !fetches.contains(&t.sentence));
        }
        classify_agent(turn);
    }
    tt.factual = match need {
        Some(n) => is_factual(tt, n),
        None => false,
    };
}

/// Words after a topic announcement that tell the need itself.
const TOLD_WORDS: usize = 15;

/// Is this customer turn the need statement (not a greeting, a name or a topic announcement)?
fn is_need(turn: &TaggedTurn) -> bool {
    let substantive =
        states_need(turn) || turn.has(Act::Resistance) || turn.has(Act::ManagerRequest);
    // A topic announced and then told in the same turn ("Ik bel over mijn jaarafrekening.
    // Daarop staat 48.912, terwijl ik zelf 47.305 heb doorgegeven. …") states the need.
    // The sentences after the announcement tell it, or in unpunctuated speech the rest of
    // its own.
    let told = turn
        .tags
        .iter()
        .filter(|t| t.act == Act::Topic)
        .map(|t| (t.sentence, t.end.max(t.offset)))
        .max()
        .is_some_and(|(s, end)| {
            let rest = turn.sentences[s].norm.get(end..).unwrap_or_default();
            let after = turn.sentences.get(s + 1..).unwrap_or_default();
            count_words(rest).max(after.iter().map(|x| count_words(&x.norm)).sum::<usize>())
                >= TOLD_WORDS
        });
    if turn.has(Act::Topic) && !substantive && !told {
        return false;
    }
    // A topic announcement with a question about it still only announces the topic when short.
    if turn.has(Act::Topic) && turn.words < 14 && !turn.has(Act::Problem) && !turn.has(Act::Explore)
    {
        return false;
    }
    // A turn that only greets and gives a name ("Ja, goedemiddag, met Van Dijk.") is not
    // the need; a plain statement of a few words after it usually is.
    let only_greeting = turn.has(Act::Greeting) && turn.words <= 8;
    substantive || (turn.words >= 5 && !only_greeting)
}

/// Does a customer turn state a problem, a wish or a question (not only who is calling,
/// a complaint without its matter, or a wish for a manager)?
fn states_need(turn: &TaggedTurn) -> bool {
    turn.has(Act::Problem)
        || turn.has(Act::Explore)
        || turn.has(Act::Factual)
        || turn.has(Act::Question)
}

/// Does an agent turn ask what the call is about ("How can I help?", "Waar gaat het om?"),
/// with no answer, fix or offer of its own?
fn invites_need(turn: &TaggedTurn) -> bool {
    let asks = turn.tags.iter().any(|t| {
        if t.act != Act::Courtesy || !turn.sentences[t.sentence].question {
            return false;
        }
        // Not "anything else?", "kan ik verder nog iets voor u doen?".
        let m = &turn.sentences[t.sentence].norm;
        !["else", "more", "verder", "nog iets", "anders"]
            .iter()
            .any(|w| m.contains(w))
    });
    asks && !turn
        .tags
        .iter()
        .any(|t| matches!(t.act, Act::Solution | Act::Answer | Act::Offer))
}

/// A pure factual question: asks for one fact, no problem, no request to act, no resistance,
/// in the need statement or any customer turn before the first solution or the answer.
fn is_factual(tt: &TaggedTranscript, need: usize) -> bool {
    let n = &tt.turns[need];
    if !n.has(Act::Factual) {
        return false;
    }
    let first_solution = tt.first_solution().unwrap_or(tt.turns.len());
    // The agent's first turn after the question that asks nothing back answers it: what
    // the customer says after the answer reacts to it (a price that is "a joke") and is
    // for the other rules.
    let answered = tt.turns[need + 1..]
        .iter()
        .find(|t| t.role == Role::Agent && !t.has(Act::Question) && t.words >= 3)
        .map_or(tt.turns.len(), |t| t.index + 1);
    let until = first_solution.min(answered);
    // What the customer tells before the question itself ("I cancelled in May and was to
    // get the rest back. Has it been paid?") is its background, not a second request.
    let asked = n
        .tags
        .iter()
        .filter(|t| t.act == Act::Factual)
        .map(|t| t.pos())
        .min()
        .unwrap_or((0, 0));
    tt.turns[need..until.max(need + 1)]
        .iter()
        .filter(|t| t.role == Role::Customer)
        .all(|t| {
            // And what the question's own sentence says after it ("hoelang blijft het
            // liggen voor ze het terugsturen?") is part of it.
            let background =
                |x: &Tag| t.index == need && (x.pos() < asked || x.sentence == asked.0);
            !t.tags
                .iter()
                .any(|x| matches!(x.act, Act::Explore | Act::Problem) && !background(x))
                && (t.index == need || !t.has(Act::Resistance))
        })
}

/// Does the text hold a question word (English or Dutch)?
fn has_wh_word(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
        matches!(
            w,
            "what"
                | "when"
                | "which"
                | "where"
                | "why"
                | "how"
                | "wat"
                | "wanneer"
                | "welke"
                | "welk"
                | "waar"
                | "waarom"
                | "hoe"
                | "hoeveel"
        )
    })
}

/// Is there a question word in the sentence before byte `at`?
fn wh_before(norm: &str, at: usize) -> bool {
    has_wh_word(&norm[..at.min(norm.len())])
}

/// Words that address the customer, in both languages.
const SECOND_PERSON: &[&str] = &[
    "u", "uw", "je", "jij", "jou", "jouw", "jullie", "ge", "gij", "you", "your", "you're",
    "you've", "you'd", "you'll",
];

/// Find summaries in an agent turn: a restatement of what the customer said, with a cue
/// ("als ik het goed begrijp") or a check ("klopt dat?"), or (when the customer `confirmed`
/// it at once) a long close restatement spoken to the customer.
fn find_summaries(turn: &mut TaggedTurn, customer_words: &Words, stop: &Words, confirmed: bool) {
    if customer_words.is_empty() {
        return;
    }
    let n = turn.sentences.len();
    let mut found: Vec<((usize, usize), (usize, usize))> = Vec::new();
    let mut si = 0;
    while si < n {
        let strong = turn
            .tags
            .iter()
            .find(|t| t.sentence == si && t.act == Act::SummaryCue)
            .copied();
        // A weak lead ("So your…", "Dus u…") opens a summary only with a check or a close
        // restatement; a strong cue ("If I understand you correctly") with less.
        let lead = turn
            .tags
            .iter()
            .find(|t| t.sentence == si && t.act == Act::SummaryLead)
            .copied();
        let cue = strong.or(lead);
        let recap = turn
            .tags
            .iter()
            .any(|t| t.sentence == si && t.act == Act::ClosingRecap);
        // A check may close the same sentence or the next one (two after a cue).
        // A restatement may run over a few statements before its check ("U heeft X. U wilt
        // Y. Heb ik dat zo goed?"); questions in between end it.
        let reach = if strong.is_some() { 3 } else { 2 };
        let check = turn
            .tags
            .iter()
            .find(|t| t.act == Act::CheckTag && t.sentence >= si && t.sentence <= si + reach)
            .copied()
            .filter(|c| (si..c.sentence).all(|k| !turn.sentences[k].question));
        // Without a cue or a check a sentence is a summary only as a close restatement
        // spoken to the customer ("een grijze koffer met een rood lint, vlucht uit Lissabon,
        // en u wilt hem thuis bezorgd"), and not one that solves.
        let bare = cue.is_none() && check.is_none();
        let solves = turn
            .tags
            .iter()
            .any(|t| t.sentence == si && matches!(t.act, Act::Solution | Act::Offer | Act::Answer));
        if recap || (bare && (solves || !confirmed)) {
            si += 1;
            continue;
        }
        // A cue inside a question ("Mag ik even terugzeggen wat ik hoorde?") opens the
        // summary from the start of that sentence: the question is part of it.
        // A cue after a word or two ("Dan zet ik het op een rij: …") opens the sentence.
        let start = match cue {
            Some(c) if !turn.sentences[si].question && c.offset > 12 => c.offset,
            _ => 0,
        };
        // Where the restatement ends: the check, else the end of the cue's sentence
        // (or the next sentence when the cue stands alone: "Let me check I've got it.").
        // A check that opens the sentence ("Klopt het zo: u komt vrijdag…") asks about
        // what follows it.
        let (end_s, end_o) = match check {
            Some(c)
                if c.sentence == si
                    && c.offset <= start + 12
                    && c.end + 20 < turn.sentences[si].norm.len() =>
            {
                (si, turn.sentences[si].norm.len())
            }
            Some(c) => (c.sentence, c.end),
            _ => {
                let cue_alone = cue.is_some()
                    && content_words(&turn.sentences[si].norm[start..], stop).len() < 4;
                if cue_alone && si + 1 < n {
                    (si + 1, turn.sentences[si + 1].norm.len())
                } else {
                    (si, turn.sentences[si].norm.len())
                }
            }
        };
        let mut span_words = Vec::new();
        // Does the restatement speak to the customer ("u wilt", "you've got")?
        let mut addressed = false;
        for s in si..=end_s {
            let text = &turn.sentences[s].norm;
            let a = if s == si { start.min(text.len()) } else { 0 };
            let b = if s == end_s {
                end_o.min(text.len())
            } else {
                text.len()
            };
            if a < b {
                span_words.extend(content_words(&text[a..b], stop));
                addressed |= text[a..b]
                    .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
                    .any(|w| SECOND_PERSON.contains(&w));
            }
        }
        let distinct: WordRefs = span_words.into_iter().collect();
        let overlap = distinct
            .iter()
            .filter(|w| customer_words.contains(**w))
            .count();
        let size = distinct.len();
        let hurried = turn.tags.iter().any(|t| {
            t.sentence == si && t.act == Act::Haste && cue.is_some_and(|c| t.offset <= c.offset + 4)
        });
        let checked = check.is_some_and(|c| c.sentence <= end_s);
        // A check that asks whether the agent understood ("Heb ik dat goed?", "Have I got
        // all of that?") says a restatement came before it, unlike "Is dat goed?".
        let understanding = check.is_some_and(|c| {
            let s = &turn.sentences[c.sentence].norm;
            s[c.offset.min(s.len())..c.end.min(s.len())]
                .split(|ch: char| !ch.is_ascii_alphabetic())
                .any(|w| w == "i" || w == "ik")
        });
        // Haste before a restatement the agent checks ("het is druk vandaag, dus u heeft
        // X en Y, klopt dat?") still leaves a summary; unchecked, it is the hurried
        // "kort samengevat, u moet gewoon…".
        let is_summary = (!hurried || checked)
            && match (strong.is_some(), lead.is_some(), checked) {
                (true, _, true) => overlap >= 1 && size >= 2,
                (true, _, false) => overlap >= 2 && size >= 3,
                (false, true, true) => overlap >= 2 && size >= 3,
                // A lead the customer confirms at once ("Ja, precies") needs less of
                // their words: it may paraphrase.
                (false, true, false) => {
                    (overlap >= 4 && overlap * 2 >= size)
                        || (confirmed && overlap >= 2 && size >= 4)
                }
                // A check alone: most of it must be the customer's words, or a good third
                // when it speaks to the customer (an explanation with "ok?" does neither),
                // or less when it speaks to them and they confirm it at once (a paraphrase).
                (false, false, true) => {
                    (overlap >= 3
                        && size >= 4
                        && (overlap * 2 >= size
                            || ((addressed || understanding) && overlap * 3 >= size)))
                        || (confirmed && addressed && !solves && overlap >= 2 && size >= 4)
                        // Checked as the agent's understanding ("…, have I got that
                        // right?") and confirmed at once: a paraphrase ("Monday-to-Friday
                        // golf" for "weekday only") in its own words, about the customer or
                        // their thing ("so it fills up every day but…, have I got that?").
                        || (confirmed && understanding && !solves && size >= 4 && overlap >= 1)
                }
                // Bare (so confirmed at once): a long close restatement, or a short one
                // two thirds of whose words are the customer's.
                (false, false, false) => {
                    addressed
                        && ((overlap >= 6 && overlap * 2 >= size)
                            || (overlap >= 4 && overlap * 3 >= size * 2))
                }
            };
        if is_summary {
            found.push(((si, start), (end_s, end_o)));
            si = end_s + 1;
        } else {
            si += 1;
        }
    }
    for (from, to) in found {
        // The summary wins over what looks like advice or a question inside it.
        turn.tags.retain(|t| {
            let inside = t.pos() >= from && (t.sentence, t.offset) < to;
            !(inside
                && matches!(
                    t.act,
                    Act::Solution
                        | Act::Answer
                        | Act::Offer
                        | Act::Probe
                        | Act::Question
                        | Act::QuestionInline
                        | Act::QuestionOpen
                        | Act::QuestionClosed
                ))
        });
        turn.tags.push(Tag {
            act: Act::Summary,
            sentence: from.0,
            offset: from.1,
            end: to.1,
        });
    }
    sort_tags(turn);
}

/// Decide what each agent question does, and which solution forms count.
fn classify_agent(turn: &mut TaggedTurn) {
    let mut extra = Vec::new();
    // A turn has a few tags: lists, not hash sets.
    let dismissed: Vec<usize> = turn
        .tags
        .iter()
        .filter(|t| t.act == Act::DismissedEmpathy)
        .map(|t| t.sentence)
        .collect();
    for si in 0..turn.sentences.len() {
        let in_s = |a: Act| turn.tags.iter().any(|t| t.sentence == si && t.act == a);
        let question = turn.sentences[si].question;
        // "Would you like a cheap one or an expensive one?" narrows down the wish: a probe;
        // so does an offer form inside a wh-question ("From when would you want the
        // refund to run?").
        let norm = &turn.sentences[si].norm;
        let wh_first = turn
            .tags
            .iter()
            .any(|o| o.sentence == si && o.act == Act::Offer && wh_before(norm, o.offset));
        let offer = in_s(Act::Offer) && !(question && (in_s(Act::Choice) || wh_first));
        // Questions: an offer is a solution; verification, courtesy and checks are not probes.
        let q_positions: Vec<usize> = {
            let mut v: Vec<usize> = turn
                .tags
                .iter()
                .filter(|t| t.sentence == si && t.act == Act::QuestionInline)
                .map(|t| t.offset)
                .collect();
            if question {
                v.insert(0, 0);
            }
            v
        };
        let not_probe = offer
            || in_s(Act::Verification)
            || in_s(Act::Courtesy)
            || in_s(Act::Summary)
            || (in_s(Act::CheckTag) && !in_s(Act::Probe))
            || in_s(Act::Hold);
        if !not_probe {
            if let Some(&off) = q_positions.first() {
                extra.push(Tag {
                    act: Act::Probe,
                    sentence: si,
                    offset: off,
                    end: off,
                });
            }
        } else {
            // Inline questions after a verification (in unpunctuated speech) can still probe.
            for &off in q_positions.iter().skip(1) {
                let covered = turn.tags.iter().any(|t| {
                    t.sentence == si
                        && matches!(
                            t.act,
                            Act::Verification | Act::Courtesy | Act::Offer | Act::CheckTag
                        )
                        && t.offset >= off
                        && t.offset <= off + 24
                });
                if !covered {
                    extra.push(Tag {
                        act: Act::Probe,
                        sentence: si,
                        offset: off,
                        end: off,
                    });
                }
            }
        }
        // Solution forms: in a question only an offer solves ("Did you reset it?" asks).
        // A look-up, hand-off, hold, haste, courtesy phrase or aside overlapping a solution
        // form is what it is ("I've checked", "ik ga u doorverbinden", "ik ga het kort
        // houden", "neemt u rustig de tijd", "ik heb eerlijk gezegd"), not a solution.
        let blockers: Vec<(usize, usize)> = turn
            .tags
            .iter()
            .filter(|t| {
                t.sentence == si
                    && matches!(
                        t.act,
                        Act::LookUp
                            | Act::Handoff
                            | Act::NextStep
                            | Act::Hold
                            | Act::Haste
                            | Act::Refusal
                            | Act::Courtesy
                            | Act::Aside
                    )
            })
            .map(|t| (t.offset, t.end))
            .collect();
        // In unpunctuated speech "en gaat u dan ..." may instruct or ask: after a question
        // word, or with alternatives ("met de pas of via de app"), it asks.
        let asked_at: Vec<usize> = turn
            .tags
            .iter()
            .filter(|t| t.sentence == si && t.act == Act::QuestionInline)
            .map(|t| t.offset)
            .filter(|&o| in_s(Act::Choice) || wh_before(norm, o))
            .collect();
        let mut sols: Vec<usize> = turn
            .tags
            .iter()
            .filter(|t| {
                t.sentence == si && matches!(t.act, Act::Solution | Act::Answer | Act::Offer)
            })
            .filter(|t| t.act == Act::Offer || !asked_at.contains(&t.offset))
            .filter(|t| (t.act == Act::Offer && offer) || !question)
            .filter(|t| {
                !blockers
                    .iter()
                    .any(|&(a, b)| t.offset < b && a < t.end.max(t.offset + 1))
            })
            .map(|t| t.offset)
            .collect();
        sols.sort_unstable();
        if let Some(&off) = sols.first() {
            extra.push(Tag {
                act: Act::Solution,
                sentence: si,
                offset: off,
                end: off,
            });
        }
    }
    // Pattern-level probes, solutions and dismissed acknowledgements are replaced by the
    // decisions above.
    turn.tags.retain(|t| {
        !(matches!(t.act, Act::Solution)
            || (t.act == Act::Acknowledgement && dismissed.contains(&t.sentence)))
    });
    turn.tags.extend(extra);
    sort_tags(turn);
    // Drop duplicate probes at one sentence (pattern + structural).
    let mut seen: Vec<(usize, Act)> = Vec::new();
    turn.tags.retain(|t| {
        if matches!(t.act, Act::Probe | Act::Solution) {
            if seen.contains(&(t.sentence, t.act)) {
                return false;
            }
            seen.push((t.sentence, t.act));
        }
        true
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_and_apostrophes() {
        use super::{count_words, has_apostrophe};
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("  "), 0);
        assert_eq!(count_words("one"), 1);
        assert_eq!(count_words(" one  two\tthree\n"), 3);
        assert_eq!(count_words("a,b c"), 2);
        assert!(has_apostrophe("don't"));
        assert!(has_apostrophe("don\u{2019}t"));
        assert!(!has_apostrophe("dont \u{2013} \u{201c}quoted\u{201d}"));
    }

    use super::split_sentences;

    #[test]
    fn apostrophes_come_back_only_where_the_form_is_no_word() {
        assert_eq!(
            super::restore_apostrophes("ive rung twice and youre not listening, dont"),
            Some("i've rung twice and you're not listening, don't".to_string())
        );
        assert_eq!(
            super::restore_apostrophes("ill put you through"),
            Some("i'll put you through".to_string())
        );
        // "its", "were", "well", "id" are words too: left alone.
        assert_eq!(super::restore_apostrophes("its fine were well id"), None);
        assert_eq!(super::restore_apostrophes(""), None);
    }

    #[test]
    fn question_words_in_both_languages() {
        assert!(super::has_wh_word("from when would you"));
        assert!(super::has_wh_word("en naar welk weekend"));
        assert!(!super::has_wh_word("would you like a refund"));
        assert!(!super::has_wh_word("whatever"));
    }

    #[test]
    fn sentences_split_on_terminators_and_line_breaks() {
        assert_eq!(
            split_sentences("Oké. Zal ik een monteur sturen? Ja!"),
            ["Oké.", "Zal ik een monteur sturen?", "Ja!"]
        );
        // Runs of terminators and closing quotes stay with their sentence.
        assert_eq!(
            split_sentences("Echt?! \"Nee.\" Wacht… even. Dat was het..."),
            ["Echt?!", "\"Nee.\"", "Wacht…", "even.", "Dat was het..."]
        );
        // No break inside a number or an address; after an abbreviation, one.
        assert_eq!(
            split_sentences("Het kost €1.400 via www.example.nl, o.a. de factuur"),
            ["Het kost €1.400 via www.example.nl, o.a.", "de factuur"]
        );
        assert_eq!(
            split_sentences("line one\r\nline two\n\n  \n"),
            ["line one", "line two"]
        );
        assert!(split_sentences("").is_empty());
        assert_eq!(split_sentences("é…é… ü"), ["é…é…", "ü"]);
    }
}
