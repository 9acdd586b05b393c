//! The literal pass of the scan: every occurrence of every literal of a lexicon (the words
//! patterns start with and the words that open gates) in one pass over a sentence.
//!
//! An Aho-Corasick automaton made into a full DFA over byte classes: a sentence costs one
//! table lookup per byte, and a compare to see whether the state ends literals. Lexicon
//! literals use some 40 distinct bytes and make ~14,000 states, so with 16-bit state
//! numbers the table is ~1 MB, of which a sentence touches the few states near the root
//! and those of the words it holds. (The `aho-corasick` crate's overlapping search did the
//! same work in about ten times the instructions: its states are general, its iterator
//! keeps state between matches.)

/// A DFA that reports every (literal, start) in a text, overlapping ones included.
pub struct LiteralDfa {
    /// Byte to class: 0 for bytes in no literal, 1.. for the others.
    classes: [u8; 256],
    stride: usize,
    /// `trans[state * stride + class]`: the next state.
    trans: Vec<u16>,
    /// States from this number on end one or more literals.
    first_out: u16,
    /// For state `first_out + k`, its literals are `out[out_at[k]..out_at[k + 1]]`.
    out_at: Vec<u32>,
    out: Vec<u32>,
    /// Length of each literal.
    lens: Vec<u32>,
    /// The longest literal's length.
    longest: usize,
}

/// Marks a missing trie edge while building.
const NONE: u16 = u16::MAX;

impl LiteralDfa {
    /// The DFA for these literals (none empty), or an error when it would need more than
    /// 65,535 states.
    pub fn new(literals: &[Vec<u8>]) -> Result<LiteralDfa, String> {
        Self::new_subset(literals, |_| true)
    }

    /// The DFA for the literals `keep` picks out of these, which keep their numbers (the
    /// others are never reported).
    pub fn new_subset(
        literals: &[Vec<u8>],
        keep: impl Fn(usize) -> bool,
    ) -> Result<LiteralDfa, String> {
        let kept = || {
            literals
                .iter()
                .enumerate()
                .filter(|&(id, _)| keep(id))
                .map(|(_, l)| l)
        };
        if kept().any(|l| l.is_empty()) {
            return Err("empty literal".into());
        }
        let mut used = [false; 256];
        for &b in kept().flatten() {
            used[b as usize] = true;
        }
        // Class 0 stands for the bytes in no literal, if there are any.
        let first = usize::from(used.contains(&false));
        let mut classes = [0u8; 256];
        let mut stride = first;
        for b in 0..256 {
            if used[b] {
                classes[b] = stride as u8;
                stride += 1;
            }
        }
        // The trie: state 0 is the root. Literals ending at a state are listed from
        // `ends[state]` through `next_end[literal]`.
        let mut trans: Vec<u16> = vec![NONE; stride];
        let mut ends: Vec<u32> = vec![u32::MAX];
        let mut next_end = vec![u32::MAX; literals.len()];
        for (id, l) in literals.iter().enumerate().filter(|&(id, _)| keep(id)) {
            let mut s = 0usize;
            for &b in l {
                let at = s * stride + classes[b as usize] as usize;
                s = match trans[at] {
                    NONE => {
                        let t = ends.len();
                        if t >= NONE as usize {
                            return Err(format!(
                                "{} literals make more than {} automaton states",
                                literals.len(),
                                NONE - 1
                            ));
                        }
                        trans[at] = t as u16;
                        trans.extend(std::iter::repeat_n(NONE, stride));
                        ends.push(u32::MAX);
                        t
                    }
                    t => t as usize,
                };
            }
            next_end[id] = ends[s];
            ends[s] = id as u32;
        }
        // Each state's depth, and its place in the order of the states' texts (depth
        // first through the trie, edges in class order), for the numbering below.
        let states = ends.len();
        let mut depth = vec![0usize; states];
        let mut text_order = vec![0usize; states];
        let mut stack = vec![0usize];
        let mut rank = 0;
        while let Some(s) = stack.pop() {
            text_order[s] = rank;
            rank += 1;
            for &t in trans[s * stride..(s + 1) * stride].iter().rev() {
                if t != NONE {
                    depth[t as usize] = depth[s] + 1;
                    stack.push(t as usize);
                }
            }
        }
        // Breadth first: each state's failure state (the longest proper suffix of its
        // text that is in the trie) is done before it, so its missing edges are the
        // failure state's edges, and it ends its own literals and its failure state's.
        // `all[s]` is where those are in `flat`.
        let mut fail = vec![0u16; states];
        let mut all = vec![(0u32, 0u32); states];
        let mut flat: Vec<u32> = Vec::new();
        let mut order: Vec<usize> = Vec::with_capacity(states);
        for t in &mut trans[..stride] {
            match *t {
                NONE => *t = 0,
                t => order.push(t as usize),
            }
        }
        let mut next = 0;
        while let Some(&s) = order.get(next) {
            next += 1;
            let f = fail[s] as usize;
            let from = flat.len();
            let mut id = ends[s];
            while id != u32::MAX {
                flat.push(id);
                id = next_end[id as usize];
            }
            let (at, n) = all[f];
            flat.extend_from_within(at as usize..(at + n) as usize);
            all[s] = (from as u32, (flat.len() - from) as u32);
            for c in 0..stride {
                let at = s * stride + c;
                match trans[at] {
                    NONE => trans[at] = trans[f * stride + c],
                    t => {
                        fail[t as usize] = trans[f * stride + c];
                        order.push(t as usize);
                    }
                }
            }
        }
        // Number the states that end literals last, so a lookup's result says whether
        // there is anything to report. The root (which ends none, no literal being
        // empty) stays state 0.
        // Within each group, breadth first: a text keeps the automaton near the root,
        // so the rows it reads most sit together in a few cache lines.
        let ends_some = |s: &usize| all[*s].1 > 0;
        // The states near the root breadth first; deeper ones in the order of their text,
        // so the rows a word walks through follow one another in memory.
        const NEAR: usize = 3;
        let mut deep: Vec<usize> = order.iter().copied().filter(|&s| depth[s] > NEAR).collect();
        deep.sort_by_key(|&s| text_order[s]);
        let bfs = || {
            std::iter::once(0)
                .chain(order.iter().copied().filter(|&s| depth[s] <= NEAR))
                .chain(deep.iter().copied())
        };
        let renumbered: Vec<usize> = bfs()
            .filter(|s| !ends_some(s))
            .chain(bfs().filter(ends_some))
            .collect();
        let mut number = vec![0u16; states];
        for (new, &old) in renumbered.iter().enumerate() {
            number[old] = new as u16;
        }
        let quiet_count = renumbered.iter().take_while(|s| !ends_some(s)).count();
        let first_out = quiet_count as u16;
        let mut table = vec![0u16; states * stride];
        let mut out_at = vec![0u32; states - quiet_count + 1];
        let mut out = Vec::with_capacity(flat.len());
        for (k, &s) in renumbered[quiet_count..].iter().enumerate() {
            let (at, n) = all[s];
            out.extend_from_slice(&flat[at as usize..(at + n) as usize]);
            out_at[k + 1] = out.len() as u32;
        }
        for s in 0..states {
            let row = number[s] as usize * stride;
            for (c, &t) in trans[s * stride..(s + 1) * stride].iter().enumerate() {
                table[row + c] = number[t as usize];
            }
        }
        Ok(LiteralDfa {
            classes,
            stride,
            trans: table,
            first_out,
            out_at,
            out,
            lens: literals.iter().map(|l| l.len() as u32).collect(),
            longest: kept().map(|l| l.len()).max().unwrap_or(0),
        })
    }

    /// Calls `found(literal, start)` for every occurrence of every literal in `hay`, in
    /// order of where they end (literals ending at the same place in number order).
    #[inline]
    pub fn for_each(&self, hay: &[u8], mut found: impl FnMut(u32, usize)) {
        self.for_each_state(hay, |k, end| self.report(k, end, &mut found));
    }

    /// Reports the literals of the `k`th state that ends some, which the pass reached
    /// with the byte before `end`.
    #[inline(never)]
    fn report(&self, k: usize, end: usize, found: &mut impl FnMut(u32, usize)) {
        for &lit in self.state_literals(k) {
            found(lit, end - self.literal_len(lit));
        }
    }

    /// Calls `found(k, end)` where the pass reaches the `k`th state that ends literals (see
    /// `state_literals`) with the byte before `end`.
    #[inline]
    pub fn for_each_state(&self, hay: &[u8], mut found: impl FnMut(usize, usize)) {
        // The root is state 0: it ends no literal (none is empty), so it keeps its place
        // first among the states that end none.
        self.walk_on(0, hay, 0, 0, 0, &mut found);
    }

    /// Walks `bytes[skip..]` on from state `s`: reports `found(k, at + i + 1)` for the
    /// reporting states reached with byte `i`, from byte `min` on.
    #[inline(always)]
    fn walk_on(
        &self,
        mut s: usize,
        bytes: &[u8],
        skip: usize,
        at: usize,
        min: usize,
        found: &mut impl FnMut(usize, usize),
    ) {
        // The loop holds only what each byte needs, so it all stays in registers.
        let (trans, classes, stride) = (&self.trans[..], &self.classes, self.stride);
        let first_out = self.first_out as usize;
        for (i, &b) in bytes.iter().enumerate().skip(skip) {
            s = trans[s * stride + classes[b as usize] as usize] as usize;
            if s >= first_out && i >= min {
                found(s - first_out, at + i + 1);
            }
        }
    }

    /// `for_each_state`, in no set order: a longer text is walked as two halves side by
    /// side, the second starting far enough back to see every literal that ends in it.
    /// Each step of a walk waits on the table lookup before it; two independent walks let
    /// the lookups of both be under way at once.
    #[inline]
    pub fn for_each_state_unordered(&self, hay: &[u8], mut found: impl FnMut(usize, usize)) {
        let overlap = self.longest.saturating_sub(1);
        let n = hay.len();
        if n < 2 * overlap + 8 {
            return self.for_each_state(hay, found);
        }
        // [0, m) and [m - overlap, n): about as long as each other. The second walk's
        // first `overlap` bytes only bring it into step; literals ending there are the
        // first walk's.
        let m = (n + overlap) / 2;
        let from = m - overlap;
        let (a, b) = (&hay[..m], &hay[from..]);
        let (trans, classes, stride) = (&self.trans[..], &self.classes, self.stride);
        let first_out = self.first_out as usize;
        let (mut s, mut t) = (0usize, 0usize);
        let both = a.len().min(b.len());
        for i in 0..both {
            s = trans[s * stride + classes[a[i] as usize] as usize] as usize;
            t = trans[t * stride + classes[b[i] as usize] as usize] as usize;
            if s >= first_out {
                found(s - first_out, i + 1);
            }
            if t >= first_out && i >= overlap {
                found(t - first_out, from + i + 1);
            }
        }
        // One of the two is longer by a byte or so: it goes on alone.
        self.walk_on(s, a, both, 0, 0, &mut found);
        self.walk_on(t, b, both, from, overlap, &mut found);
    }

    /// How many states end literals.
    pub fn reporting_states(&self) -> usize {
        self.out_at.len() - 1
    }

    /// The literals the `k`th state that ends literals ends.
    pub fn state_literals(&self, k: usize) -> &[u32] {
        &self.out[self.out_at[k] as usize..self.out_at[k + 1] as usize]
    }

    /// The length of literal `lit`.
    pub fn literal_len(&self, lit: u32) -> usize {
        self.lens[lit as usize] as usize
    }

    /// The tables as bytes, for the build script to embed (read back by `from_bytes`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(self.memory() + 300);
        for n in [
            self.stride,
            self.first_out as usize,
            self.trans.len(),
            self.out_at.len(),
            self.out.len(),
            self.lens.len(),
        ] {
            b.extend_from_slice(&(n as u32).to_le_bytes());
        }
        b.extend_from_slice(&self.classes);
        b.extend(self.trans.iter().flat_map(|x| x.to_le_bytes()));
        for v in [&self.out_at, &self.out, &self.lens] {
            b.extend(v.iter().flat_map(|x| x.to_le_bytes()));
        }
        b
    }

    /// Tables written by `to_bytes`; None if they are cut short or inconsistent.
    pub fn from_bytes(b: &[u8]) -> Option<LiteralDfa> {
        let mut at = 0;
        let mut take = |n: usize| -> Option<&[u8]> {
            let s = b.get(at..at + n)?;
            at += n;
            Some(s)
        };
        let mut head = [0usize; 6];
        for h in &mut head {
            *h = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        }
        let [stride, first_out, trans, out_at, out, lens] = head;
        let classes: [u8; 256] = take(256)?.try_into().ok()?;
        let u16s = |s: &[u8]| -> Vec<u16> {
            s.chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect()
        };
        let u32s = |s: &[u8]| -> Vec<u32> {
            s.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect()
        };
        // In the order `to_bytes` writes them.
        let trans = u16s(take(trans * 2)?);
        let out_at = u32s(take(out_at * 4)?);
        let out = u32s(take(out * 4)?);
        let lens = u32s(take(lens * 4)?);
        let dfa = LiteralDfa {
            classes,
            stride,
            trans,
            first_out: u16::try_from(first_out).ok()?,
            out_at,
            out,
            longest: lens.iter().map(|&l| l as usize).max().unwrap_or(0),
            lens,
        };
        // Every lookup stays inside the tables.
        let states = dfa.trans.len() / stride.max(1);
        let sound = stride > 0
            && dfa.trans.len().is_multiple_of(stride)
            && dfa.classes.iter().all(|&c| (c as usize) < stride)
            && dfa.trans.iter().all(|&t| (t as usize) < states)
            && dfa.first_out as usize <= states
            && dfa.out_at.len() == states - dfa.first_out as usize + 1
            && dfa.out_at.windows(2).all(|w| w[0] <= w[1])
            && dfa
                .out_at
                .last()
                .is_some_and(|&n| n as usize == dfa.out.len())
            && dfa.out.iter().all(|&l| (l as usize) < dfa.lens.len());
        sound.then_some(dfa)
    }

    /// Memory of the tables, in bytes.
    pub fn memory(&self) -> usize {
        self.trans.len() * 2 + self.out.len() * 4 + self.out_at.len() * 4 + self.lens.len() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::LiteralDfa;

    /// Every occurrence, by brute force.
    fn naive(lits: &[Vec<u8>], hay: &[u8]) -> Vec<(u32, usize)> {
        let mut v = Vec::new();
        for (id, l) in lits.iter().enumerate() {
            for start in 0..hay.len() {
                if hay[start..].starts_with(l) {
                    v.push((id as u32, start));
                }
            }
        }
        v.sort_unstable();
        v
    }

    fn found(d: &LiteralDfa, hay: &[u8]) -> Vec<(u32, usize)> {
        let mut v = Vec::new();
        d.for_each(hay, |l, s| v.push((l, s)));
        v.sort_unstable();
        v
    }

    #[test]
    fn finds_every_overlapping_occurrence() {
        let lits: Vec<Vec<u8>> = ["he", "she", "his", "hers", " a", "a", "aaa", "sh", "e"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        let d = LiteralDfa::new(&lits).unwrap();
        for hay in [
            "ushers",
            "she said his hers",
            "aaaaa a",
            "",
            "xyz",
            "h",
            "hhhhe",
            "\u{e9}she\u{0}",
        ] {
            assert_eq!(
                found(&d, hay.as_bytes()),
                naive(&lits, hay.as_bytes()),
                "{hay}"
            );
        }
    }

    /// The lexicon literals on every sentence of the corpora: the same as a brute-force
    /// search (and so as any other complete literal search).
    #[test]
    fn matches_brute_force_on_the_corpora() {
        let sentences = crate::acts::lexicon::test_sentences(&["examples", "../shared/corpus/dev"]);
        for pack in [
            crate::acts::lexicon::BUILTIN_NL,
            crate::acts::lexicon::BUILTIN_EN,
        ] {
            let p = crate::acts::prep::prepare(pack, &|_| true).unwrap();
            let lits: Vec<Vec<u8>> = p.literals.into_iter().map(|(l, _, _)| l).collect();
            let d = LiteralDfa::new(&lits).unwrap();
            for s in sentences.iter().take(400) {
                assert_eq!(found(&d, s.as_bytes()), naive(&lits, s.as_bytes()), "{s}");
            }
        }
    }

    /// Walking a text as two halves finds the same (state, end) pairs as one walk.
    #[test]
    fn two_walks_find_what_one_finds() {
        let mut sentences =
            crate::acts::lexicon::test_sentences(&["examples", "../shared/corpus/dev"]);
        sentences.push("x".repeat(5) + &" you're not listening to me".repeat(9));
        for pack in [
            crate::acts::lexicon::BUILTIN_NL,
            crate::acts::lexicon::BUILTIN_EN,
        ] {
            let p = crate::acts::prep::prepare(pack, &|_| true).unwrap();
            let lits: Vec<Vec<u8>> = p.literals.into_iter().map(|(l, _, _)| l).collect();
            let d = LiteralDfa::new(&lits).unwrap();
            for s in &sentences {
                // Every cut of the longer ones, so the halves fall everywhere.
                for cut in (0..s.len().min(60)).filter(|&c| s.is_char_boundary(c)) {
                    let hay = &s.as_bytes()[cut..];
                    let (mut one, mut two) = (Vec::new(), Vec::new());
                    d.for_each_state(hay, |k, e| one.push((k, e)));
                    d.for_each_state_unordered(hay, |k, e| two.push((k, e)));
                    two.sort_unstable();
                    one.sort_unstable();
                    assert_eq!(one, two, "{s} from {cut}");
                }
            }
        }
    }

    /// An automaton of a subset of the literals reports the subset's occurrences, under
    /// their numbers in the whole list, and nothing else.
    #[test]
    fn a_subset_finds_its_own_literals() {
        let sentences = crate::acts::lexicon::test_sentences(&["examples", "../shared/corpus/dev"]);
        let p = crate::acts::prep::prepare(crate::acts::lexicon::BUILTIN_EN, &|_| true).unwrap();
        let lits: Vec<Vec<u8>> = p.literals.into_iter().map(|(l, _, _)| l).collect();
        let keep = |id: usize| id % 3 != 1;
        let d = LiteralDfa::new_subset(&lits, keep).unwrap();
        let full = LiteralDfa::new(&lits).unwrap();
        assert!(d.memory() < full.memory());
        let mut reported = 0;
        for s in sentences.iter().take(400) {
            let mut want = naive(&lits, s.as_bytes());
            want.retain(|&(id, _)| keep(id as usize));
            let got = found(&d, s.as_bytes());
            reported += got.len();
            assert_eq!(got, want, "{s}");
        }
        assert!(reported > 20, "{reported}");
        let none = LiteralDfa::new_subset(&lits, |_| false).unwrap();
        assert!(found(&none, b"i will send you a new card").is_empty());
    }

    #[test]
    fn takes_every_byte_value() {
        let lits: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b, b'x']).collect();
        let d = LiteralDfa::new(&lits).unwrap();
        let hay: Vec<u8> = (0..=255u8).flat_map(|b| [b, b'x']).collect();
        assert_eq!(found(&d, &hay), naive(&lits, &hay));
    }

    #[test]
    fn bytes_round_trip() {
        let lits: Vec<Vec<u8>> = ["he", "she", "hers", " a"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        let d = LiteralDfa::new(&lits).unwrap();
        let b = d.to_bytes();
        let e = LiteralDfa::from_bytes(&b).unwrap();
        assert_eq!(found(&e, b"ushers a"), naive(&lits, b"ushers a"));
        assert!(LiteralDfa::from_bytes(&b[..b.len() - 1]).is_none());
    }

    #[test]
    fn rejects_empty_literals() {
        assert!(LiteralDfa::new(&[b"a".to_vec(), Vec::new()]).is_err());
    }
}
