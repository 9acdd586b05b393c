//! Small anchored DFAs: most lexicon patterns are matched only anchored (where their
//! literals are, or after a lead), and most of those make a DFA of at most `MAX_STATES`
//! states. The build script determinizes them once and stores them in one table, a byte
//! per transition (two above 255 states): a search walks a row of a few dozen bytes per
//! step, where the lazy DFA walks rows of 4-byte state numbers in a cache of its own per
//! pattern and thread, which keeps far more memory in play at ~2 searches a sentence.
//! Patterns that do not fit keep the lazy DFA.
//!
//! Shared by the build script (which makes the tables) and the scan (which reads them);
//! depends only on regex-automata.

use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::nfa::thompson;
use regex_automata::util::start;
use regex_automata::Anchored;

/// What a match may look back at before its start, in the DFA's terms: the start of the
/// text, a line feed, a carriage return, a word byte (`WORD`), another byte (`OTHER`).
const KINDS: usize = 5;
const WORD: usize = 3;
const OTHER: usize = 4;

/// The kind of look-behind at `at` in `hay`.
#[inline(always)]
fn kind(hay: &[u8], at: usize) -> usize {
    match at.checked_sub(1).map(|i| hay[i]) {
        None => 0,
        Some(b'\n') => 1,
        Some(b'\r') => 2,
        Some(b) if b.is_ascii_alphanumeric() || b == b'_' => WORD,
        Some(_) => OTHER,
    }
}

/// Largest number of states (the dead state included) a DFA may have here: up to 255 a
/// state number takes a byte, above that two.
const MAX_STATES: usize = 1023;

/// A small DFA read from its bytes (see `build`). State 0 is dead; states 1 through
/// `last_match` are match states (entered one byte after a match ends, as in
/// regex-automata's DFAs).
#[derive(Clone, Copy)]
pub struct SmallDfa<'a> {
    stride: usize,
    /// Bytes per state number: 1 or 2 (little-endian).
    width: usize,
    last_match: usize,
    starts: [u16; KINDS],
    classes: &'a [u8],
    /// The state after the end of the text, per state.
    eoi: &'a [u8],
    /// `trans[state * stride + class]`.
    trans: &'a [u8],
}

/// State number `i` of a table of numbers `W` bytes wide.
#[inline(always)]
fn get<const W: usize>(t: &[u8], i: usize) -> usize {
    if W == 1 {
        t[i] as usize
    } else {
        u16::from_le_bytes([t[2 * i], t[2 * i + 1]]) as usize
    }
}

impl<'a> SmallDfa<'a> {
    /// The end of the leftmost-first match that starts exactly at `start`, if any: what
    /// regex-automata's anchored forward search gives.
    #[inline]
    pub fn anchored_end(&self, hay: &[u8], start: usize) -> Option<usize> {
        if self.width == 1 {
            self.run::<1>(hay, start)
        } else {
            self.run::<2>(hay, start)
        }
    }

    /// The state after `literal` from the start after a byte that is no word byte (or at
    /// the start of the text), if the DFA neither dies nor matches on the way and starts
    /// alike after any such byte: a search that finds the literal at a place can go on
    /// from its end in that state (`anchored_end_after`).
    pub fn after(&self, literal: &[u8]) -> Option<u16> {
        // The kinds other than `WORD` (the text's start, line ends, `OTHER`) alike.
        let s = self.starts[OTHER];
        if self.starts[..WORD].iter().any(|&t| t != s) {
            return None;
        }
        let mut s = s as usize;
        for &b in literal {
            s = self.next(s, b);
            if s <= self.last_match {
                return None;
            }
        }
        u16::try_from(s).ok()
    }

    /// `anchored_end` for a place where the `len` bytes of a literal start, that leads to
    /// `state` (from `after`).
    #[inline]
    pub fn anchored_end_after(
        &self,
        hay: &[u8],
        start: usize,
        len: usize,
        state: u16,
    ) -> Option<usize> {
        if kind(hay, start) == WORD {
            return self.anchored_end(hay, start);
        }
        if self.width == 1 {
            self.run_from::<1>(hay, start + len, state as usize)
        } else {
            self.run_from::<2>(hay, start + len, state as usize)
        }
    }

    /// The state after `s` on byte `b`.
    fn next(&self, s: usize, b: u8) -> usize {
        let i = s * self.stride + self.classes[b as usize] as usize;
        if self.width == 1 {
            get::<1>(self.trans, i)
        } else {
            get::<2>(self.trans, i)
        }
    }

    #[inline(always)]
    fn run<const W: usize>(&self, hay: &[u8], start: usize) -> Option<usize> {
        self.run_from::<W>(hay, start, self.starts[kind(hay, start)] as usize)
    }

    /// The search from `start` on, in state `s`, no match seen yet.
    #[inline(always)]
    fn run_from<const W: usize>(&self, hay: &[u8], start: usize, mut s: usize) -> Option<usize> {
        let (trans, classes, stride) = (self.trans, self.classes, self.stride);
        let last = self.last_match;
        let mut end = None;
        for (at, &b) in hay.iter().enumerate().skip(start) {
            s = get::<W>(trans, s * stride + classes[b as usize] as usize);
            if s <= last {
                if s == 0 {
                    return end;
                }
                // Matches are seen one byte late: this one ended before `b`.
                end = Some(at);
            }
        }
        let s = get::<W>(self.eoi, s);
        if s != 0 && s <= last {
            end = Some(hay.len());
        }
        end
    }

    /// The DFA at the start of `b`, and the bytes after it; None if they are cut short or
    /// its header is inconsistent. The tables' entries are not read here (see `check`):
    /// reading a pack's 2 MB of them cost a single-file run 0.4 ms, and an entry out of
    /// range could only make a search panic (every read is bounds-checked).
    pub fn from_bytes(b: &'a [u8]) -> Option<(SmallDfa<'a>, &'a [u8])> {
        let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[2 * i], b[2 * i + 1]]) as usize;
        let (head, rest) = b.split_first_chunk::<{ 2 + 4 + 2 * KINDS }>()?;
        let (stride, width) = (head[0] as usize, head[1] as usize);
        let (states, last_match) = (u16_at(&head[2..], 0), u16_at(&head[2..], 1));
        let mut starts = [0u16; KINDS];
        for (k, s) in starts.iter_mut().enumerate() {
            *s = u16_at(&head[6..], k) as u16;
        }
        let ok = stride > 0
            && (width == 1 || width == 2)
            && last_match < states
            && starts.iter().all(|&s| (s as usize) < states);
        if !ok {
            return None;
        }
        let (classes, rest) = rest.split_at_checked(256)?;
        let (eoi, rest) = rest.split_at_checked(states * width)?;
        let (trans, rest) = rest.split_at_checked(states * stride * width)?;
        let dfa = SmallDfa {
            stride,
            width,
            last_match,
            starts,
            classes,
            eoi,
            trans,
        };
        Some((dfa, rest))
    }

    /// Are all its state numbers and classes in range? (The build script's tables are
    /// checked by a test.)
    pub fn check(&self) -> bool {
        let states = self.eoi.len() / self.width;
        let in_range = |t: &[u8]| match self.width {
            1 => t.iter().all(|&s| (s as usize) < states),
            _ => t
                .chunks_exact(2)
                .all(|c| (u16::from_le_bytes([c[0], c[1]]) as usize) < states),
        };
        in_range(self.eoi)
            && in_range(self.trans)
            && self.classes.iter().all(|&c| (c as usize) < self.stride)
    }
}

/// The bytes of the small DFA of `pattern` (a pattern as the lexicon compiles it: ASCII
/// mode), or None when it does not make one of at most `MAX_STATES` states that needs no
/// more than `kind` to start (a pattern with a Unicode word boundary, say).
pub fn build(pattern: &str) -> Option<Vec<u8>> {
    let dfa = dense::Builder::new()
        .syntax(regex_automata::util::syntax::Config::new().utf8(false))
        .thompson(
            thompson::Config::new()
                .utf8(false)
                .which_captures(thompson::WhichCaptures::None),
        )
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Anchored)
                .minimize(false)
                // Enough for `MAX_STATES` states of 64 classes; bigger ones give up early.
                .dfa_size_limit(Some(MAX_STATES * 64 * 4))
                .determinize_size_limit(Some(4 * MAX_STATES * 64 * 4)),
        )
        .build(pattern)
        .ok()?;
    // A representative byte per class.
    let classes = dfa.byte_classes();
    let mut rep: Vec<u8> = Vec::new();
    let mut class_of = [0u8; 256];
    for b in 0..=255u8 {
        let c = classes.get(b) as usize;
        if c == rep.len() {
            rep.push(b);
        }
        if c > rep.len() {
            return None;
        }
        class_of[b as usize] = c as u8;
    }
    let stride = rep.len();
    // Start states per look-behind kind, checked against every byte of that kind.
    let start_of = |lb: Option<u8>| {
        dfa.start_state(&start::Config::new().anchored(Anchored::Yes).look_behind(lb))
            .ok()
    };
    let mut starts = [None; KINDS];
    for lb in std::iter::once(None).chain((0..=255u8).map(Some)) {
        let k = match lb {
            None => 0,
            Some(b) => kind(&[b], 1),
        };
        let s = start_of(lb)?;
        match starts[k] {
            None => starts[k] = Some(s),
            Some(t) if t == s => {}
            Some(_) => return None,
        }
    }
    // Every state reachable from a start state, breadth first.
    let mut order = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let mut queue: std::collections::VecDeque<_> = starts.iter().flatten().copied().collect();
    while let Some(s) = queue.pop_front() {
        if seen.contains_key(&s) {
            continue;
        }
        if dfa.is_quit_state(s) {
            return None;
        }
        seen.insert(s, order.len());
        order.push(s);
        if seen.len() > MAX_STATES {
            return None;
        }
        for &b in &rep {
            queue.push_back(dfa.next_state(s, b));
        }
        queue.push_back(dfa.next_eoi_state(s));
    }
    // Number them: the dead state 0, match states next, then the others.
    let is_dead = |s| dfa.is_dead_state(s);
    let is_match = |s| dfa.is_match_state(s);
    let numbered: Vec<_> = order
        .iter()
        .filter(|&&s| is_dead(s))
        .chain(order.iter().filter(|&&s| !is_dead(s) && is_match(s)))
        .chain(order.iter().filter(|&&s| !is_dead(s) && !is_match(s)))
        .copied()
        .collect();
    // With no dead state reachable, state 0 is a dead state no transition enters.
    let pad = usize::from(!order.iter().any(|&s| is_dead(s)));
    let states = numbered.len() + pad;
    if states > MAX_STATES {
        return None;
    }
    let number: std::collections::HashMap<_, u16> = numbered
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, (i + pad) as u16))
        .collect();
    // Match states are numbered 1 on, whether state 0 is reachable or not.
    let last_match = numbered
        .iter()
        .filter(|&&s| !is_dead(s) && is_match(s))
        .count();
    let width = if states <= 256 { 1 } else { 2 };
    let mut out = vec![stride as u8, width as u8];
    out.extend((states as u16).to_le_bytes());
    out.extend((last_match as u16).to_le_bytes());
    for s in starts {
        out.extend(number[&s.expect("every kind has a start")].to_le_bytes());
    }
    out.extend_from_slice(&class_of);
    let mut eoi = vec![0u16; states];
    let mut trans = vec![0u16; states * stride];
    for &s in &numbered {
        let n = number[&s] as usize;
        eoi[n] = number[&dfa.next_eoi_state(s)];
        for (c, &b) in rep.iter().enumerate() {
            trans[n * stride + c] = number[&dfa.next_state(s, b)];
        }
    }
    for t in eoi.into_iter().chain(trans) {
        if width == 1 {
            out.push(t as u8);
        } else {
            out.extend(t.to_le_bytes());
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dfa(pattern: &str) -> Vec<u8> {
        build(pattern).expect("a small DFA")
    }

    /// Match ends as the regex crate finds them from that place, anchored there.
    #[test]
    fn finds_leftmost_first_ends_with_word_boundaries() {
        let bytes = dfa(r"(?-u)\b(?:i can|i can send|we)\b(?: you)?");
        let (d, rest) = SmallDfa::from_bytes(&bytes).unwrap();
        assert!(rest.is_empty());
        let hay = b"so i can send you a card, we can";
        assert_eq!(
            d.anchored_end(hay, 3),
            Some(8),
            "leftmost-first: 'i can' first"
        );
        assert_eq!(d.anchored_end(hay, 26), Some(28));
        // Not inside a word (look-behind), nor where no word boundary follows.
        assert_eq!(d.anchored_end(b"hi can", 1), None);
        assert_eq!(d.anchored_end(b"i cannot", 0), None);
        // To the end of the text.
        assert_eq!(d.anchored_end(b"we", 0), Some(2));
        assert_eq!(d.anchored_end(b"", 0), None);
    }

    #[test]
    fn wide_state_numbers() {
        // A long alternation makes more than 255 states.
        let words: Vec<String> = (0..120).map(|i| format!("w{i}x{}", i * 7)).collect();
        let bytes = dfa(&format!(r"(?-u)\b(?:{})\b", words.join("|")));
        assert_eq!(bytes[1], 2, "two bytes a state");
        let (d, _) = SmallDfa::from_bytes(&bytes).unwrap();
        assert_eq!(d.anchored_end(b"see w77x539 now", 4), Some(11));
        assert_eq!(d.anchored_end(b"see w77x53 now", 4), None);
    }

    #[test]
    fn patterns_it_does_not_take() {
        // A Unicode word boundary needs more than a byte of look-behind.
        assert!(build(r"\bwoord\b").is_none());
        // Too many states.
        assert!(build(r"(?-u)[a-z]{0,12}x[a-z]{12}").is_none());
    }

    #[test]
    fn cut_or_inconsistent_bytes_are_refused() {
        let bytes = dfa(r"(?-u)\bhello\b");
        for n in 0..bytes.len() {
            assert!(SmallDfa::from_bytes(&bytes[..n]).is_none(), "cut at {n}");
        }
        let (good, _) = SmallDfa::from_bytes(&bytes).unwrap();
        assert!(good.check());
        let mut bad = bytes.clone();
        let last = bad.len() - 1;
        bad[last] = 250;
        let (bad, _) = SmallDfa::from_bytes(&bad).unwrap();
        assert!(!bad.check(), "state out of range");
    }
}
