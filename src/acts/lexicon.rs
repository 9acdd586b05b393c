//! Lexicon packs: per-language word classes and act patterns, read from TOML data in
//! `rules/lexicon/` (embedded at build time), compiled once per process.

use anyhow::{anyhow, bail, Result};
use regex_automata::meta::{Cache, Regex};
use regex_automata::util::iter::Searcher;
use regex_automata::{hybrid, nfa::thompson, Anchored, Input};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use super::literals::LiteralDfa;
use super::small::SmallDfa;
use super::{prep, Act};
use crate::transcript::Lang;

/// A set of words (stems, stopwords) with a fast deterministic hash for short strings.
pub type Words = std::collections::HashSet<String, BuildWordHasher>;
/// The same for borrowed words.
pub type WordRefs<'a> = std::collections::HashSet<&'a str, BuildWordHasher>;
pub type BuildWordHasher = std::hash::BuildHasherDefault<WordHasher>;

/// FxHash (as in rustc): a multiply-rotate hash, fast on the short words the tagger
/// compares, and the same in every run.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The tables the build script prepared from `rules/lexicon/*.toml`.
mod builtin {
    pub struct Tables {
        pub language: &'static str,
        pub stopwords: &'static [&'static str],
        pub patterns: &'static [(&'static str, &'static str)],
        pub literals: &'static [(&'static [u8], &'static [u32], &'static [u32])],
        pub always: &'static [u32],
        pub leads: &'static [Option<(u32, u8)>],
        pub anchored: &'static [bool],
        pub bounded: &'static [bool],
        pub lead_words: &'static [&'static [&'static str]],
        pub gates: &'static [Option<u32>],
        pub starts: &'static [Option<&'static [&'static [u8]]>],
        pub ends: &'static [Option<&'static [&'static [u8]]>],
        /// `LiteralDfa::to_bytes` of the literals.
        pub literal_dfa: &'static [u8],
        /// Per pattern, 0, or 1 and the bytes of its `SmallDfa`.
        pub small_dfas: &'static [u8],
    }
    include!(concat!(env!("OUT_DIR"), "/lexicon_tables.rs"));
}

/// The lexicon packs shipped in the binary.
pub const BUILTIN_NL: &str = include_str!("../../rules/lexicon/nl.toml");
pub const BUILTIN_EN: &str = include_str!("../../rules/lexicon/en.toml");

/// The words of a lead class, as bytes, and by first byte (in class order).
struct LeadWords {
    words: Vec<Vec<u8>>,
    by_first: Vec<Vec<u16>>,
}

impl LeadWords {
    fn new(words: Vec<Vec<u8>>) -> LeadWords {
        let mut by_first = vec![Vec::new(); 256];
        for (i, w) in words.iter().enumerate() {
            if let Some(&b) = w.first() {
                by_first[b as usize].push(i as u16);
            }
        }
        LeadWords { words, by_first }
    }
}

/// A set of literals of 1 to 4 bytes that a text must start (or end) with, each packed in
/// a number from its edge inward, by the byte at that edge: a check is a load and a few
/// compares, no string compare.
struct EdgeSet {
    /// Per edge byte: (literal packed, mask of its length).
    by_edge: Vec<Vec<(u32, u32)>>,
}

impl EdgeSet {
    fn new(literals: &[Vec<u8>], from_end: bool) -> EdgeSet {
        let mut by_edge = vec![Vec::new(); 256];
        for l in literals {
            let bytes: Vec<u8> = if from_end {
                l.iter().rev().copied().collect()
            } else {
                l.clone()
            };
            debug_assert!((1..=4).contains(&bytes.len()));
            let (key, mask) = pack(&bytes);
            by_edge[bytes[0] as usize].push((key, mask));
        }
        EdgeSet { by_edge }
    }

    /// Do the edge bytes (the text's first bytes, or its last ones from the end inward)
    /// start with one of the literals?
    #[inline]
    fn holds(&self, edge: &[u8]) -> bool {
        let Some(&b) = edge.first() else {
            return false;
        };
        let (key, have) = pack(edge);
        self.by_edge[b as usize]
            .iter()
            .any(|&(k, m)| m & have == m && key & m == k)
    }

    fn starts(&self, s: &[u8]) -> bool {
        self.holds(&s[..s.len().min(4)])
    }

    fn ends(&self, s: &[u8]) -> bool {
        let mut edge = [0u8; 4];
        let n = s.len().min(4);
        for (k, &b) in s[s.len() - n..].iter().rev().enumerate() {
            edge[k] = b;
        }
        self.holds(&edge[..n])
    }
}

/// Up to 4 bytes packed little-endian, and the mask of the bytes there are.
#[inline]
fn pack(b: &[u8]) -> (u32, u32) {
    let (mut key, mut mask) = (0u32, 0u32);
    for (k, &x) in b.iter().take(4).enumerate() {
        key |= u32::from(x) << (8 * k);
        mask |= 0xFF << (8 * k);
    }
    (key, mask)
}

const NO_GATE: u16 = u16::MAX;

/// Per literal, the patterns it stands for and the gates it opens, in one allocation: the
/// literal pass looks them up for every literal it finds.
#[derive(Default)]
struct LiteralLists {
    /// Per literal: where its patterns start in `items`, how many, how many gates follow.
    at: Vec<(u32, u32, u32)>,
    items: Vec<u32>,
    /// Beside each of a literal's patterns in `items`: the state its small DFA is in after
    /// the literal (see `PatternRef::after`), or `NO_STATE` (and for gates).
    after: Vec<u16>,
}

/// A pattern as the scan meets it through a literal: its number with its flags, side by
/// side, so a sentence's literals read their patterns in sequence instead of looking each
/// up in `Lexicon::flags`.
#[derive(Clone, Copy)]
struct PatternRef {
    pattern: u32,
    flags: Flags,
    /// For a pattern with a small DFA that runs anchored at this literal: the state the
    /// DFA is in after the literal (see `SmallDfa::after`), or `NO_STATE`.
    after: u16,
    /// The literal's length.
    len: u8,
}

const NO_STATE: u16 = u16::MAX;

impl LiteralLists {
    /// Does literal `lit` stand for a pattern a scan that skips `skip` tries?
    fn live(&self, lit: u32, flags: &[Flags], skip: u64) -> bool {
        self.patterns(lit)
            .iter()
            .any(|&p| !flags[p as usize].skipped(skip))
    }

    /// A literal's patterns, with the state each one's small DFA is in after it, and
    /// the gates it opens.
    fn push(&mut self, patterns: &[u32], after: impl Fn(u32) -> u16, gates: &[u32]) {
        let start = self.items.len() as u32;
        self.items.extend_from_slice(patterns);
        self.after.extend(patterns.iter().map(|&i| after(i)));
        self.items.extend_from_slice(gates);
        self.after.extend(gates.iter().map(|_| NO_STATE));
        self.at
            .push((start, patterns.len() as u32, gates.len() as u32));
    }

    #[inline]
    fn patterns(&self, lit: u32) -> &[u32] {
        let (s, p, _) = self.at[lit as usize];
        &self.items[s as usize..(s + p) as usize]
    }

    /// Beside `patterns(lit)`: the states after the literal.
    fn after(&self, lit: u32) -> &[u16] {
        let (s, p, _) = self.at[lit as usize];
        &self.after[s as usize..(s + p) as usize]
    }

    #[inline]
    fn gates(&self, lit: u32) -> &[u32] {
        let (s, p, g) = self.at[lit as usize];
        &self.items[(s + p) as usize..(s + p + g) as usize]
    }
}

/// Per literal, the patterns a scan that skips some acts tries, with their flags: a
/// sentence's literals read them in sequence, none of the skipped ones among them.
#[derive(Default)]
struct LiveRefs {
    /// Literal `k`'s are `refs[at[k]..at[k + 1]]`.
    at: Vec<u32>,
    refs: Vec<PatternRef>,
}

impl LiveRefs {
    fn new(lists: &LiteralLists, literals: &[Vec<u8>], flags: &[Flags], skip: u64) -> LiveRefs {
        let mut r = LiveRefs::default();
        for lit in 0..lists.at.len() as u32 {
            r.at.push(r.refs.len() as u32);
            let len = literals[lit as usize].len().min(255) as u8;
            r.refs.extend(
                lists
                    .patterns(lit)
                    .iter()
                    .zip(lists.after(lit))
                    .filter(|&(&i, _)| !flags[i as usize].skipped(skip))
                    .map(|(&i, &after)| PatternRef {
                        pattern: i,
                        flags: flags[i as usize],
                        after,
                        len,
                    }),
            );
        }
        r.at.push(r.refs.len() as u32);
        r
    }

    /// The patterns of a literal that the scan tries, with their flags.
    #[inline]
    fn of(&self, lit: u32) -> &[PatternRef] {
        let (a, b) = (self.at[lit as usize], self.at[lit as usize + 1]);
        &self.refs[a as usize..b as usize]
    }
}

/// What the literal pass does at each state of its automaton that ends literals: opens the
/// gates of those literals, and lists those that stand for patterns with where they start.
/// One look-up a state instead of one per literal and list. Made for the acts a scan skips:
/// a literal whose patterns are all skipped is left out, and a gate only they use.
#[derive(Default)]
struct StateReports {
    /// Per state: where its gates start in `items`, how many, how many (literal, length)
    /// pairs follow them.
    at: Vec<(u32, u16, u16)>,
    items: Vec<u32>,
}

/// The gates (numbered below `gate_count`) of the patterns a scan that skips `skip` tries.
fn used_gates(flags: &[Flags], gate_count: usize, skip: u64) -> Vec<bool> {
    let mut used = vec![false; gate_count];
    for f in flags
        .iter()
        .filter(|f| f.gate != NO_GATE && !f.skipped(skip))
    {
        used[f.gate as usize] = true;
    }
    used
}

impl StateReports {
    /// The `k`th reporting state, reached with the byte before `end`.
    #[inline(never)]
    fn report(&self, k: usize, end: usize, open: &mut [u64], matches: &mut Vec<(u32, usize)>) {
        let (at, gates, pairs) = self.at[k];
        let items = &self.items[at as usize..];
        for &g in &items[..gates as usize] {
            open[g as usize / 64] |= 1 << (g % 64);
        }
        for pair in items[gates as usize..].chunks_exact(2).take(pairs as usize) {
            matches.push((pair[0], end - pair[1] as usize));
        }
    }

    /// Reports for a scan that skips `skip`, with gates numbered below `gate_count`.
    fn new(
        dfa: &LiteralDfa,
        lists: &LiteralLists,
        flags: &[Flags],
        gate_count: usize,
        skip: u64,
    ) -> StateReports {
        let used = used_gates(flags, gate_count, skip);
        let mut r = StateReports::default();
        let mut gates = Vec::new();
        for k in 0..dfa.reporting_states() {
            let start = r.items.len() as u32;
            gates.clear();
            for &lit in dfa.state_literals(k) {
                gates.extend(lists.gates(lit).iter().filter(|&&g| used[g as usize]));
            }
            gates.sort_unstable();
            gates.dedup();
            r.items.extend_from_slice(&gates);
            let mut pairs = 0u16;
            for &lit in dfa.state_literals(k) {
                if lists.live(lit, flags, skip) {
                    r.items.push(lit);
                    r.items.push(dfa.literal_len(lit) as u32);
                    pairs += 1;
                }
            }
            r.at.push((start, gates.len() as u16, pairs));
        }
        r
    }
}

/// What the scan checks before it runs a pattern.
#[derive(Clone, Copy)]
struct Flags {
    /// Its gate, or `NO_GATE`.
    gate: u16,
    /// Its set in `end_sets`, or `NO_GATE`.
    end: u16,
    /// Runs anchored at its literals.
    anchored: bool,
    /// Matches start at a word boundary (see `prep::Prepared::bounded`).
    bounded: bool,
    /// Its act's bit number (`Act::bit` is `1 << act`; see `Scratch::skip`).
    act: u8,
}

impl Flags {
    /// Is its act one of those in `skip` (a mask of `Act::bit`s)?
    #[inline(always)]
    fn skipped(&self, skip: u64) -> bool {
        (skip >> self.act) & 1 != 0
    }
}

/// The `starts` and `ends` tables of the build script as owned sets.
fn edge_sets(t: &[Option<&[&[u8]]>]) -> Vec<Option<Vec<Vec<u8>>>> {
    t.iter()
        .map(|s| s.map(|v| v.iter().map(|l| l.to_vec()).collect()))
        .collect()
}

/// Scans of one set of skipped acts before their own literal automaton is made (a file
/// has a few hundred sentences; a batch, millions).
const SUB_AFTER: usize = 4096;

/// A compiled lexicon for one language.
///
/// Scanning is built for batches of millions of sentences: one pass of the literal automaton
/// (`literals::LiteralDfa`) over each sentence finds the literal words every pattern must
/// start with and those that open gates, and only the patterns
/// whose words occur are run (each compiled on first use, so a single-file run compiles
/// only what it meets). Patterns without such words (anchored question forms, ...) always run.
pub struct Lexicon {
    pub lang: Lang,
    patterns: Vec<Pattern>,
    /// Literal words the patterns must start (or end) with, and the patterns each stands for.
    prefilter: Option<LiteralDfa>,
    literal_lists: LiteralLists,
    gate_count: usize,
    /// Per pattern, packed for the scan.
    flags: Vec<Flags>,
    /// Per pattern with a lead: the literals what follows the lead starts with.
    starts: Vec<Option<EdgeSet>>,
    /// The literals a sentence must end with, for patterns that end at `$` (see
    /// `prep::Prepared::ends`).
    end_sets: Vec<EdgeSet>,
    /// Patterns with no literal prefix: run on every sentence.
    always: Vec<u32>,
    /// The word lists patterns may open with (see `prep::Prepared::leads`), as bytes.
    lead_words: Vec<LeadWords>,
    pub stopwords: Words,
    /// Transcripts warmed up so far (see `warm_up`).
    warmed: AtomicUsize,
    /// The literal pass's reports for a scan that skips nothing, and its literals' patterns.
    reports: StateReports,
    refs: LiveRefs,
    /// For the first three other sets of skipped acts scans ask for (a customer's turn
    /// before and after the need statement, an agent's turn in a call), made on first use:
    /// reports on the full automaton without the skipped acts, and once a batch has run
    /// `sub_after` such scans, an automaton of only the literals they need (half or less:
    /// fewer states to walk through and to report; too costly to build for one file).
    skipping: [OnceLock<SkipScan>; 3],
    /// See `skipping`.
    sub_after: usize,
    /// The literals of `prefilter`, for those automata.
    literal_bytes: Vec<Vec<u8>>,
}

/// The literal pass of a scan that skips `mask`.
struct SkipScan {
    mask: u64,
    /// Reports on the full automaton.
    reports: StateReports,
    refs: LiveRefs,
    /// Scans so far, until `sub` is made.
    uses: AtomicUsize,
    /// The automaton of only the literals these scans need, and its reports.
    sub: OnceLock<(LiteralDfa, StateReports)>,
}

struct Pattern {
    act: Act,
    source: String,
    /// Runs anchored after up to N words of a lead class: (class, N).
    lead: Option<(u32, u8)>,
    /// Runs anchored where the prefilter found its literals.
    anchored: bool,
    /// Its small DFA, for a pattern that runs only anchored and makes one: then no
    /// `engine` is needed to scan.
    small: Option<SmallDfa<'static>>,
    engine: OnceLock<Engine>,
}

// One per pattern (and per pattern and thread): their size does not matter, and boxing
// would add an indirection to every search.
/// A compiled pattern. One that only runs anchored (at its literals, or after its lead)
/// needs no start positions: a forward lazy DFA alone, half the compiling and none of the
/// dispatch of a full regex. Others need match starts: a full regex.
#[allow(clippy::large_enum_variant)]
enum Engine {
    Forward(hybrid::dfa::DFA),
    Full(Regex),
}

/// A search cache for an `Engine`.
#[allow(clippy::large_enum_variant)]
enum EngineCache {
    Forward(hybrid::dfa::Cache),
    Full(Cache),
}

impl Pattern {
    fn engine(&self) -> &Engine {
        self.engine.get_or_init(|| {
            if self.anchored || self.lead.is_some() {
                let dfa = hybrid::dfa::DFA::builder()
                    .syntax(regex_automata::util::syntax::Config::new().utf8(false))
                    .thompson(
                        thompson::Config::new()
                            .utf8(false)
                            .which_captures(thompson::WhichCaptures::None),
                    )
                    .build(&self.source);
                // A pattern the lazy DFA cannot take (a Unicode word boundary in a user's
                // pack) gets the full regex.
                if let Ok(dfa) = dfa {
                    return Engine::Forward(dfa);
                }
            }
            Engine::Full(self.regex())
        })
    }

    fn regex(&self) -> Regex {
        // Only match spans are needed: no capture groups, and no one-pass or backtracking
        // engines, which keeps compiling a pattern on first use cheap.
        Regex::builder()
            .syntax(regex_automata::util::syntax::Config::new().utf8(false))
            .configure(
                Regex::config()
                    .which_captures(thompson::WhichCaptures::Implicit)
                    .onepass(false)
                    .auto_prefilter(false)
                    .backtrack(false)
                    .utf8_empty(false),
            )
            .build(&self.source)
            .expect("pattern validated when the lexicon was compiled")
    }

    fn new_cache(&self) -> EngineCache {
        match self.engine() {
            Engine::Forward(dfa) => EngineCache::Forward(dfa.create_cache()),
            Engine::Full(re) => EngineCache::Full(re.create_cache()),
        }
    }

    /// The end of the match that starts exactly at `start`, if any, by its small DFA or
    /// with a cache from `caches`.
    #[inline]
    fn end_from(
        &self,
        i: usize,
        caches: &mut [Option<EngineCache>],
        hay: &[u8],
        start: usize,
    ) -> Option<usize> {
        match &self.small {
            Some(dfa) => dfa.anchored_end(hay, start),
            None => self.anchored_end(cache_of(caches, i, self), hay, start),
        }
    }

    /// The end of the match that starts exactly at `start`, if any.
    fn anchored_end(&self, cache: &mut EngineCache, hay: &[u8], start: usize) -> Option<usize> {
        let input = Input::new(hay).range(start..).anchored(Anchored::Yes);
        match (self.engine(), cache) {
            (Engine::Forward(dfa), EngineCache::Forward(c)) => {
                // Errors come only from quit bytes or a cache set to give up; neither
                // is configured.
                dfa.try_search_fwd(c, &input)
                    .ok()
                    .flatten()
                    .map(|m| m.offset())
            }
            (Engine::Full(re), EngineCache::Full(c)) => {
                re.search_half_with(c, &input).map(|m| m.offset())
            }
            _ => None,
        }
    }
}

/// Reusable buffers for `Lexicon::scan`.
#[derive(Default)]
pub struct Scratch {
    /// Acts (as bits, `Act::bit`) whose patterns the scan does not try: set by the caller
    /// for the sentence at hand.
    pub skip: u64,
    seen: Vec<u64>,
    /// Gates open in the current sentence.
    open: Vec<u64>,
    /// (literal, where it starts) for literals that stand for patterns.
    matches: Vec<(u32, usize)>,
    candidates: Vec<u32>,
    /// (anchored pattern, place one of its literals starts, the state of its small DFA
    /// after that literal or `NO_STATE`, the literal's length).
    hits: Vec<(u32, usize, u16, u8)>,
    /// Where a pattern with a lead may start in the current sentence, per (class, N).
    leads: Vec<((u32, u8), Vec<usize>)>,
    /// How many of `leads` hold the current sentence's (the others keep their buffers).
    leads_len: usize,
    visited: Vec<bool>,
    /// A search cache per pattern, made on first use: searching with them directly is
    /// cheaper than through the regex's shared pool, which matters at ~25 searches a
    /// sentence. They belong to one lexicon (`owner`).
    caches: Vec<Option<EngineCache>>,
    owner: usize,
}

impl Scratch {
    fn bind(&mut self, lex: &Lexicon) {
        let id = lex as *const Lexicon as usize;
        if self.owner != id {
            self.caches.clear();
            self.owner = id;
        }
        self.caches.resize_with(lex.patterns.len(), || None);
    }
}

/// The small DFAs of a built-in pack's `count` patterns (see `builtin::Tables`).
fn small_dfas(mut blob: &'static [u8], count: usize) -> Vec<Option<SmallDfa<'static>>> {
    let mut out = Vec::with_capacity(count);
    while let Some((&flag, rest)) = blob.split_first() {
        blob = rest;
        if flag == 0 {
            out.push(None);
            continue;
        }
        let (dfa, rest) =
            SmallDfa::from_bytes(blob).expect("the build script writes whole small DFAs");
        out.push(Some(dfa));
        blob = rest;
    }
    assert_eq!(out.len(), count, "a small DFA entry per built-in pattern");
    out
}

/// The search cache of pattern `i`.
fn cache_of<'a>(
    caches: &'a mut [Option<EngineCache>],
    i: usize,
    p: &Pattern,
) -> &'a mut EngineCache {
    caches[i].get_or_insert_with(|| p.new_cache())
}

impl Lexicon {
    /// Compile a lexicon pack from its TOML text. `origin` names it in errors.
    pub fn compile(text: &str, origin: &str) -> Result<Lexicon> {
        let prepared = prep::prepare(text, &|name| Act::from_str(name).is_ok()).map_err(|e| {
            if e.starts_with("unknown act") {
                anyhow!("{origin}: {e} (known: {})", Act::all_names().join(", "))
            } else {
                anyhow!("{origin}: {e}")
            }
        })?;
        Self::from_prepared(prepared, origin, None, Vec::new())
    }

    /// The built-in pack for a language, prepared by the build script (no parsing or
    /// literal extraction at run time).
    pub fn builtin(lang: Lang) -> Lexicon {
        let t = match lang {
            Lang::Nl => &builtin::NL,
            Lang::En => &builtin::EN,
        };
        let prepared = prep::Prepared {
            language: t.language.to_string(),
            stopwords: t.stopwords.iter().map(|s| s.to_string()).collect(),
            patterns: t
                .patterns
                .iter()
                .map(|(a, s)| (a.to_string(), s.to_string()))
                .collect(),
            literals: t
                .literals
                .iter()
                .map(|(l, p, g)| (l.to_vec(), p.to_vec(), g.to_vec()))
                .collect(),
            always: t.always.to_vec(),
            leads: t.leads.to_vec(),
            anchored: t.anchored.to_vec(),
            bounded: t.bounded.to_vec(),
            gates: t.gates.to_vec(),
            starts: edge_sets(t.starts),
            ends: edge_sets(t.ends),
            lead_words: t
                .lead_words
                .iter()
                .map(|w| w.iter().map(|s| s.to_string()).collect())
                .collect(),
        };
        let dfa = LiteralDfa::from_bytes(t.literal_dfa);
        let small = small_dfas(t.small_dfas, t.patterns.len());
        Self::from_prepared(prepared, "built-in lexicon", dfa, small)
            .expect("built-in lexicons are checked by the build script and tests")
    }

    /// A lexicon from a prepared pack, with the automaton of its literals if there is one
    /// already.
    fn from_prepared(
        p: prep::Prepared,
        origin: &str,
        dfa: Option<LiteralDfa>,
        small: Vec<Option<SmallDfa<'static>>>,
    ) -> Result<Lexicon> {
        let mut small = small.into_iter();
        let starts = p
            .starts
            .into_iter()
            .map(|s| s.map(|v| EdgeSet::new(&v, false)))
            .collect();
        let mut end_sets = Vec::new();
        let lang = Lang::parse(&p.language)
            .ok_or_else(|| anyhow!("{origin}: unknown language '{}'", p.language))?;
        let gate_count = p
            .gates
            .iter()
            .flatten()
            .map(|&g| g as usize + 1)
            .max()
            .unwrap_or(0);
        if gate_count >= NO_GATE as usize {
            bail!("{origin}: more than 65,534 gates");
        }
        let mut patterns = Vec::with_capacity(p.patterns.len());
        let mut flags = Vec::with_capacity(p.patterns.len());
        for ((((((act, source), lead), anchored), bounded), gate), end) in p
            .patterns
            .into_iter()
            .zip(p.leads)
            .zip(p.anchored)
            .zip(p.bounded)
            .zip(p.gates)
            .zip(p.ends)
        {
            let end = match end {
                Some(set) => {
                    end_sets.push(EdgeSet::new(&set, true));
                    u16::try_from(end_sets.len() - 1)
                        .ok()
                        .filter(|&e| e != NO_GATE)
                        .ok_or_else(|| anyhow!("{origin}: more than 65,534 patterns end at $"))?
                }
                None => NO_GATE,
            };
            let act = Act::from_str(&act).map_err(|_| anyhow!("{origin}: unknown act '{act}'"))?;
            flags.push(Flags {
                gate: gate.map_or(NO_GATE, |g| g as u16),
                end,
                anchored,
                bounded,
                act: act.bit().trailing_zeros() as u8,
            });
            patterns.push(Pattern {
                act,
                source,
                lead,
                anchored,
                small: small.next().flatten(),
                engine: OnceLock::new(),
            });
        }
        // One automaton finds both kinds of literal: those patterns start (or end) with,
        // and those that open gates.
        let mut literals = Vec::with_capacity(p.literals.len());
        let mut literal_lists = LiteralLists::default();
        for (lit, pats, gates) in p.literals {
            // Where a pattern runs anchored at this literal with a small DFA, its search
            // can go on from the literal's end (the length must fit `PatternRef::len`).
            let after = |i: u32| match &patterns[i as usize].small {
                Some(dfa) if flags[i as usize].anchored && lit.len() <= 255 => {
                    dfa.after(&lit).unwrap_or(NO_STATE)
                }
                _ => NO_STATE,
            };
            literal_lists.push(&pats, after, &gates);
            literals.push(lit);
        }
        let prefilter = if literals.is_empty() {
            None
        } else if let Some(dfa) = dfa {
            Some(dfa)
        } else {
            Some(
                LiteralDfa::new(&literals)
                    .map_err(|e| anyhow!("{origin}: literal prefilter: {e}"))?,
            )
        };
        let reports = prefilter
            .as_ref()
            .map(|d| StateReports::new(d, &literal_lists, &flags, gate_count, 0))
            .unwrap_or_default();
        let refs = LiveRefs::new(&literal_lists, &literals, &flags, 0);
        Ok(Lexicon {
            reports,
            refs,
            skipping: [OnceLock::new(), OnceLock::new(), OnceLock::new()],
            sub_after: SUB_AFTER,
            literal_bytes: literals,
            flags,
            starts,
            end_sets,
            lang,
            patterns,
            prefilter,
            literal_lists,
            gate_count,
            always: p.always,
            lead_words: p
                .lead_words
                .into_iter()
                .map(|w| LeadWords::new(w.into_iter().map(String::into_bytes).collect()))
                .collect(),
            stopwords: p.stopwords.into_iter().collect(),
            warmed: AtomicUsize::new(0),
        })
    }

    /// Compile every pattern now (tests and `rules test` check they all build).
    pub fn compile_all(&self) {
        for p in &self.patterns {
            let _ = p.engine();
        }
    }

    /// Before the first transcripts of a run are scanned: compile the patterns their
    /// sentences will need on all cores at once, instead of one by one on first use. A
    /// single-file run spends most of its time compiling patterns, so this cuts its wall
    /// time on two cores; later transcripts find most patterns compiled, and a batch, whose
    /// cores are busy with other calls, skips this.
    pub fn warm_up<'a>(&self, sentences: impl Iterator<Item = &'a str>) {
        const WARM_TRANSCRIPTS: usize = 4;
        if rayon::current_thread_index().is_some()
            || self.warmed.load(Ordering::Relaxed) >= WARM_TRANSCRIPTS
            || self.warmed.fetch_add(1, Ordering::Relaxed) >= WARM_TRANSCRIPTS
        {
            return;
        }
        let mut seen = vec![false; self.patterns.len()];
        let mut need: Vec<u32> = Vec::new();
        let mut mark = |i: u32, need: &mut Vec<u32>| {
            if !seen[i as usize] && self.patterns[i as usize].engine.get().is_none() {
                seen[i as usize] = true;
                need.push(i);
            }
        };
        // The patterns the scan will try: those without literals and those whose literals
        // occur, where their gate opens.
        let (mut open, mut matches) = (Vec::new(), Vec::new());
        for s in sentences {
            self.find_literals(s, 0, &mut open, &mut matches);
            let trimmed = prep::trim_junk(s.as_bytes());
            let hit = matches
                .iter()
                .flat_map(|&(lit, _)| self.literal_lists.patterns(lit));
            for &i in self.always.iter().chain(hit) {
                if self.may_match(i, &open, trimmed, 0) {
                    mark(i, &mut need);
                }
            }
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let helpers = (cores - 1).min(need.len() / 8);
        if helpers == 0 {
            return;
        }
        // Costly patterns first, so no thread is left with a big one at the end.
        need.sort_by_key(|&i| std::cmp::Reverse(self.patterns[i as usize].source.len()));
        let next = AtomicUsize::new(0);
        let work = || {
            while let Some(&i) = need.get(next.fetch_add(1, Ordering::Relaxed)) {
                let _ = self.patterns[i as usize].engine();
            }
        };
        std::thread::scope(|s| {
            for _ in 0..helpers {
                s.spawn(work);
            }
            work();
        });
    }

    /// Every act occurrence in a normalised sentence: (act, byte offset, end), pattern by
    /// pattern (in pack order), each pattern's matches left to right and not overlapping,
    /// as `find_iter` gives them.
    pub fn scan(&self, norm: &str, scratch: &mut Scratch, out: &mut Vec<(Act, usize, usize)>) {
        let words = self.patterns.len().div_ceil(64);
        scratch.bind(self);
        scratch.seen.clear();
        scratch.seen.resize(words, 0);
        scratch.candidates.clear();
        scratch.hits.clear();
        let refs = self.find_literals(norm, scratch.skip, &mut scratch.open, &mut scratch.matches);
        // Patterns whose gate stayed shut cannot match.
        let open = &scratch.open;
        let trimmed = prep::trim_junk(norm.as_bytes());
        let skip = scratch.skip;
        for &i in &self.always {
            if self.may_match(i, open, trimmed, skip) {
                scratch.candidates.push(i);
            }
        }
        for &(lit, start) in &scratch.matches {
            for r in refs.of(lit) {
                let i = r.pattern;
                if !self.admits(&r.flags, open, trimmed, skip) {
                    continue;
                }
                if r.flags.anchored {
                    // Its matches start where its literals are: try only there, unless a
                    // word boundary it starts with is not there.
                    if r.flags.bounded && !at_boundary(norm.as_bytes(), start) {
                        continue;
                    }
                    scratch.hits.push((i, start, r.after, r.len));
                    continue;
                }
                let (w, b) = ((i / 64) as usize, i % 64);
                if scratch.seen[w] & (1 << b) == 0 {
                    scratch.seen[w] |= 1 << b;
                    scratch.candidates.push(i);
                }
            }
        }
        scratch.candidates.sort_unstable();
        scratch.hits.sort_unstable();
        // Two literals at one place lead to the same match.
        scratch.hits.dedup_by_key(|h| (h.0, h.1));
        scratch.leads_len = 0;
        let (mut c, mut h) = (0, 0);
        while c < scratch.candidates.len() || h < scratch.hits.len() {
            let next_c = scratch.candidates.get(c).copied().unwrap_or(u32::MAX);
            let next_h = scratch.hits.get(h).map_or(u32::MAX, |x| x.0);
            if next_h < next_c {
                // An anchored pattern: its hits, left to right, skipping those inside a
                // match already found (`find_iter` does not overlap matches).
                let p = &self.patterns[next_h as usize];
                let mut from = 0;
                while let Some(&(i, start, after, len)) = scratch.hits.get(h) {
                    if i != next_h {
                        break;
                    }
                    h += 1;
                    if start < from {
                        continue;
                    }
                    let hay = norm.as_bytes();
                    let end = match &p.small {
                        // On from the end of its literal.
                        Some(dfa) if after != NO_STATE => {
                            dfa.anchored_end_after(hay, start, len as usize, after)
                        }
                        _ => p.end_from(next_h as usize, &mut scratch.caches, hay, start),
                    };
                    if let Some(end) = end {
                        out.push((p.act, start, end));
                        from = end.max(start + 1);
                    }
                }
                continue;
            }
            c += 1;
            let p = &self.patterns[next_c as usize];
            match p.lead {
                None => {
                    // `find_iter`, with this thread's cache.
                    let (Engine::Full(re), Some(EngineCache::Full(cache))) = (
                        p.engine(),
                        Some(cache_of(&mut scratch.caches, next_c as usize, p)),
                    ) else {
                        continue;
                    };
                    let mut it = Searcher::new(Input::new(norm.as_bytes()));
                    while let Some(m) = it.advance(|input| Ok(re.search_with(cache, input))) {
                        out.push((p.act, m.start(), m.end()));
                    }
                }
                Some(lead) => {
                    if let Some(end) = self.lead_match(next_c as usize, lead, norm, scratch) {
                        out.push((p.act, 0, end));
                    }
                }
            }
        }
    }

    /// The literal pass over a sentence: sets in `open` the gates its literals open, and
    /// lists in `matches` (literal, start) for the literals that stand for patterns. Gives
    /// those literals' patterns.
    fn find_literals(
        &self,
        s: &str,
        skip: u64,
        open: &mut Vec<u64>,
        matches: &mut Vec<(u32, usize)>,
    ) -> &LiveRefs {
        open.clear();
        open.resize(self.gate_count.div_ceil(64), 0);
        matches.clear();
        let Some((dfa, reports, refs)) = self.literal_pass(skip) else {
            return &self.refs;
        };
        // The scan sorts what it takes from `matches`: their order does not matter.
        dfa.for_each_state_unordered(s.as_bytes(), |k, end| reports.report(k, end, open, matches));
        refs
    }

    /// The literal automaton, its reports and its literals' patterns for a scan that skips
    /// these acts.
    fn literal_pass(&self, skip: u64) -> Option<(&LiteralDfa, &StateReports, &LiveRefs)> {
        let full = self.prefilter.as_ref()?;
        if skip == 0 {
            return Some((full, &self.reports, &self.refs));
        }
        // A slot taken by another set is passed over; with all taken, the full automaton
        // serves (the scan leaves the skipped acts' patterns out all the same).
        for slot in &self.skipping {
            let scan = slot.get_or_init(|| self.skip_scan(full, skip));
            if scan.mask != skip {
                continue;
            }
            if let Some((dfa, reports)) = scan.sub.get() {
                return Some((dfa, reports, &scan.refs));
            }
            if scan.uses.fetch_add(1, Ordering::Relaxed) >= self.sub_after {
                let (dfa, reports) = scan.sub.get_or_init(|| self.sub_scan(skip));
                return Some((dfa, reports, &scan.refs));
            }
            return Some((full, &scan.reports, &scan.refs));
        }
        Some((full, &self.reports, &self.refs))
    }

    /// The literal pass for a scan that skips `skip`, on the full automaton.
    fn skip_scan(&self, full: &LiteralDfa, skip: u64) -> SkipScan {
        let lists = &self.literal_lists;
        SkipScan {
            mask: skip,
            reports: StateReports::new(full, lists, &self.flags, self.gate_count, skip),
            refs: LiveRefs::new(lists, &self.literal_bytes, &self.flags, skip),
            uses: AtomicUsize::new(0),
            sub: OnceLock::new(),
        }
    }

    /// The automaton for a scan that skips `skip`, of the literals that stand for a
    /// pattern it tries or open a gate of one, and its reports.
    fn sub_scan(&self, skip: u64) -> (LiteralDfa, StateReports) {
        let used = used_gates(&self.flags, self.gate_count, skip);
        let lists = &self.literal_lists;
        let keep = |lit: usize| {
            let lit = lit as u32;
            lists.live(lit, &self.flags, skip) || lists.gates(lit).iter().any(|&g| used[g as usize])
        };
        let dfa = LiteralDfa::new_subset(&self.literal_bytes, keep)
            .expect("a subset of literals that made an automaton makes one");
        let reports = StateReports::new(&dfa, lists, &self.flags, self.gate_count, skip);
        (dfa, reports)
    }

    /// Can pattern `i` match a sentence whose `open` gates are known and which ends with
    /// `trimmed` (the sentence without trailing `prep::END_JUNK`)? Not when it has a gate
    /// that stayed shut, or must end with literals the sentence does not end with. And it
    /// is not tried when its act is one of those to `skip`.
    #[inline(always)]
    fn may_match(&self, i: u32, open: &[u64], trimmed: &[u8], skip: u64) -> bool {
        self.admits(&self.flags[i as usize], open, trimmed, skip)
    }

    /// `may_match` for a pattern with these flags.
    #[inline(always)]
    fn admits(&self, f: &Flags, open: &[u64], trimmed: &[u8], skip: u64) -> bool {
        !f.skipped(skip)
            && (f.gate == NO_GATE || open[f.gate as usize / 64] & (1 << (f.gate % 64)) != 0)
            && (f.end == NO_GATE || self.end_sets[f.end as usize].ends(trimmed))
    }

    /// A pattern with a lead: the end of its match (which starts at 0), trying the places
    /// after the sentence's lead words in the order the regex `^(?:{class}[ ,.!]+){0,N}`
    /// would (most lead words first).
    fn lead_match(
        &self,
        i: usize,
        lead: (u32, u8),
        norm: &str,
        scratch: &mut Scratch,
    ) -> Option<usize> {
        let p = &self.patterns[i];
        let known = &scratch.leads[..scratch.leads_len];
        let at = match known.iter().position(|(l, _)| *l == lead) {
            Some(at) => at,
            None => {
                let at = scratch.leads_len;
                if at == scratch.leads.len() {
                    scratch.leads.push((lead, Vec::new()));
                }
                scratch.leads_len += 1;
                let (l, starts) = &mut scratch.leads[at];
                *l = lead;
                lead_starts(
                    norm.as_bytes(),
                    &self.lead_words[lead.0 as usize],
                    lead.1,
                    &mut scratch.visited,
                    starts,
                );
                at
            }
        };
        let caches = &mut scratch.caches;
        let hay = norm.as_bytes();
        let starts = &self.starts[i];
        scratch.leads[at]
            .1
            .iter()
            // Not where what follows the lead cannot start.
            .filter(|&&at| starts.as_ref().is_none_or(|w| w.starts(&hay[at..])))
            .find_map(|&at| p.end_from(i, caches, hay, at))
    }
}

/// Does `\b` (ASCII) hold at `at` in `hay`?
#[inline(always)]
pub(crate) fn at_boundary(hay: &[u8], at: usize) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let before = at > 0 && word(hay[at - 1]);
    let here = hay.get(at).is_some_and(|&b| word(b));
    before != here
}

/// The places a pattern with a lead may start: after 0 to `max` lead words, each followed
/// by a run of `[ ,.!]`, in the order a backtracking regex tries them (greedy: more words
/// first, longer separator runs first, words in class order). Each place is listed once.
fn lead_starts(
    s: &[u8],
    words: &LeadWords,
    max: u8,
    visited: &mut Vec<bool>,
    out: &mut Vec<usize>,
) {
    fn walk(
        s: &[u8],
        words: &LeadWords,
        p: usize,
        depth: u8,
        max: u8,
        visited: &mut [bool],
        out: &mut Vec<usize>,
    ) {
        let state = p * (max as usize + 1) + depth as usize;
        if visited[state] {
            return;
        }
        visited[state] = true;
        if let (true, Some(&b)) = (depth < max, s.get(p)) {
            for &wi in &words.by_first[b as usize] {
                let w = &words.words[wi as usize];
                if s[p..].starts_with(w) {
                    let q = p + w.len();
                    let run = s[q..]
                        .iter()
                        .take_while(|c| matches!(c, b' ' | b',' | b'.' | b'!'))
                        .count();
                    for l in (1..=run).rev() {
                        walk(s, words, q + l, depth + 1, max, visited, out);
                    }
                }
            }
        }
        if !out.contains(&p) {
            out.push(p);
        }
    }
    visited.clear();
    visited.resize((s.len() + 1) * (max as usize + 1), false);
    out.clear();
    walk(s, words, 0, 0, max, visited, out);
}

/// Lower-case and fold accented Latin letters and typographic punctuation to ASCII.
/// Tokenised transcripts ("I 've", "do n't") are joined back ("i've", "don't").
pub fn normalise(s: &str) -> String {
    let out = if s.is_ascii() {
        normalise_ascii(s.as_bytes())
    } else {
        normalise_chars(s)
    };
    expand_dutch_clitics(out)
}

/// Flemish and spoken Dutch write "ik" and "het" as "'k" and "'t" ("'k heb 't gezegd"):
/// standing alone they are spelt out, so patterns see "ik heb het gezegd".
fn expand_dutch_clitics(s: String) -> String {
    let b = s.as_bytes();
    let word = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    let at = |i: usize| {
        b[i] == b'\''
            && (i == 0 || !word(i - 1))
            && matches!(b.get(i + 1), Some(b'k' | b't'))
            && !word(i + 2)
    };
    let Some(first) = memchr::memchr_iter(b'\'', b).find(|&i| at(i)) else {
        return s;
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    let mut i = first;
    while i < b.len() {
        if at(i) {
            out.push_str(if b[i + 1] == b'k' { "ik" } else { "het" });
            i += 2;
        } else {
            // ASCII only: `normalise` folds everything else.
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// Dutch dialect spellings written as heard, as whole words: Flemish "nie" and Limburgish
/// "neet" for "niet", Flemish "da" for "dat" ("klopt da"), Limburgish "ich" for "ik",
/// Flemish "gie" for "jij", "mo" for "maar" and "ne" for "een" ("mo gie luistert nie",
/// "nog ne keer"); spoken "effe" and Flemish "efkes" for "even"; and the Low Saxon of the
/// east and north (Achterhoeks, Twents, Drents, Gronings): "mien" for "mijn", "bie" for
/// "bij", "veur" for "voor", "gin" for "geen", "altied" for "altijd", "mot" for "moet",
/// "naor" for "naar" ("ik heb nog altied gin auto, dit is te gek veur woorden"); South
/// Holland's "mar" for "maar" and "daor" for "daar"; and chat's
/// "ff" for "even" ("ik doe het ff snel"). Dutch text only.
pub fn expand_dialect(s: String) -> String {
    const WORDS: [(&[u8], &str); 19] = [
        (b"nie", "niet"),
        (b"mar", "maar"),
        (b"daor", "daar"),
        (b"ff", "even"),
        (b"neet", "niet"),
        (b"da", "dat"),
        (b"ich", "ik"),
        (b"gie", "jij"),
        (b"mo", "maar"),
        (b"ne", "een"),
        (b"effe", "even"),
        (b"efkes", "even"),
        (b"mien", "mijn"),
        (b"bie", "bij"),
        (b"veur", "voor"),
        (b"gin", "geen"),
        (b"altied", "altijd"),
        (b"mot", "moet"),
        (b"naor", "naar"),
    ];
    // The table's shortest and longest words: others are not looked up.
    const SHORTEST: usize = {
        let (mut m, mut k) = (usize::MAX, 0);
        while k < WORDS.len() {
            if WORDS[k].0.len() < m {
                m = WORDS[k].0.len();
            }
            k += 1;
        }
        m
    };
    const LONGEST: usize = {
        let (mut m, mut k) = (0, 0);
        while k < WORDS.len() {
            if WORDS[k].0.len() > m {
                m = WORDS[k].0.len();
            }
            k += 1;
        }
        m
    };
    let b = s.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'\'';
    // One pass over the words.
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !word(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && word(b[i]) {
            i += 1;
        }
        let w = &b[start..i];
        if (SHORTEST..=LONGEST).contains(&w.len()) {
            if let Some(&(_, to)) = WORDS.iter().find(|(from, _)| *from == w) {
                found.push((start, w.len(), to));
            }
        }
    }
    if found.is_empty() {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 2 * found.len());
    let mut from = 0;
    for (i, n, with) in found {
        out.push_str(&s[from..i]);
        out.push_str(with);
        from = i + n;
    }
    out.push_str(&s[from..]);
    out
}

/// Dutch "'s ochtends": after these "'s" is no clitic.
fn dutch_time(word: &[u8], next: &[u8]) -> bool {
    word.eq_ignore_ascii_case(b"s")
        && [
            "ochtends",
            "middags",
            "avonds",
            "nachts",
            "morgens",
            "zomers",
            "winters",
            "zondags",
            "maandags",
            "zaterdags",
        ]
        .iter()
        .any(|w| next.eq_ignore_ascii_case(w.as_bytes()))
}

/// Is this (the text after an apostrophe) an English clitic? ("n't" is joined on its own;
/// a lone "'t" after a space is Dutch "het": "is 't zo?")
fn clitic_word(word: &[u8]) -> bool {
    ["s", "ve", "ll", "re", "d", "m"]
        .iter()
        .any(|c| word.eq_ignore_ascii_case(c.as_bytes()))
}

/// `normalise` of ASCII text, byte by byte.
fn normalise_ascii(s: &[u8]) -> String {
    let mut out = s.to_ascii_lowercase();
    // Clitics to join need an apostrophe: the spaces to drop are those just before one
    // ("i 'm") or before "n't" ("do n't"), after a letter or digit.
    let joins = |i: usize| i > 0 && s[i] == b' ' && s[i - 1].is_ascii_alphanumeric();
    let letters = |t: &[u8]| t.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let mut drop: Vec<usize> = Vec::new();
    for k in memchr::memchr_iter(b'\'', s) {
        if k >= 3
            && joins(k - 2)
            && matches!(s[k - 1], b'n' | b'N')
            && matches!(s.get(k + 1), Some(b't' | b'T'))
        {
            drop.push(k - 2);
        }
        if k >= 2 && joins(k - 1) {
            let rest = &s[k..];
            let word = &rest[1..1 + letters(&rest[1..])];
            let after = &rest[1 + word.len()..];
            let after = &after[after.iter().take_while(|&&c| c == b' ').count()..];
            let next = &after[..letters(after)];
            if clitic_word(word) && !dutch_time(word, next) {
                drop.push(k - 1);
            }
        }
    }
    if !drop.is_empty() {
        drop.sort_unstable();
        drop.dedup();
        let mut joined = Vec::with_capacity(out.len());
        let mut from = 0;
        for &i in &drop {
            joined.extend_from_slice(&out[from..i]);
            from = i + 1;
        }
        joined.extend_from_slice(&out[from..]);
        out = joined;
    }
    // Only ASCII bytes are left.
    String::from_utf8(out).unwrap_or_default()
}

/// `normalise` of any text, character by character.
fn normalise_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 && chars[i - 1].is_alphanumeric() {
            let rest = &chars[i + 1..];
            let clitic = matches!(rest.first(), Some('\'' | '’')) && {
                let word: String = rest[1..]
                    .iter()
                    .take_while(|c| c.is_alphabetic())
                    .flat_map(|c| c.to_lowercase())
                    .collect();
                let next: String = rest[1 + word.chars().count()..]
                    .iter()
                    .skip_while(|c| **c == ' ')
                    .take_while(|c| c.is_alphabetic())
                    .flat_map(|c| c.to_lowercase())
                    .collect();
                clitic_word(word.as_bytes()) && !dutch_time(word.as_bytes(), next.as_bytes())
            };
            let nt = rest.len() >= 3
                && matches!(rest[0], 'n' | 'N')
                && matches!(rest[1], '\'' | '’')
                && matches!(rest[2], 't' | 'T');
            if clitic || nt {
                continue;
            }
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let r = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => {
                'a'
            }
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ñ' | 'Ñ' => 'n',
            '’' | '‘' | '`' | '´' => '\'',
            '“' | '”' | '„' => '"',
            '–' | '—' => '-',
            '…' => '.',
            'ø' | 'Ø' => 'o',
            'æ' | 'Æ' => 'a',
            'ß' => 's',
            'ÿ' | 'ý' | 'Ý' => 'y',
            'š' | 'Š' => 's',
            'ž' | 'Ž' => 'z',
            'č' | 'ć' | 'Č' | 'Ć' => 'c',
            // Any other letter stays a word character; anything else separates words.
            // The result is pure ASCII, which the ASCII-mode patterns rely on.
            _ if c.is_alphabetic() => '_',
            _ if c.is_numeric() => '0',
            '\u{a0}' | '\u{2009}' | '\u{202f}' => ' ',
            _ => ' ',
        };
        out.push(r);
    }
    out
}

/// Test helper: every line of every file in these folders of the crate (a folder that is
/// not there, such as `../shared` in a fresh clone, gives none).
#[cfg(test)]
pub(crate) fn test_lines(dirs: &[&str]) -> Vec<String> {
    let mut lines = Vec::new();
    for dir in dirs {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            lines.extend(text.lines().map(str::to_string));
        }
    }
    lines
}

/// Test helper: the text of the transcript lines in these folders (no `#` headers, no
/// speaker labels), normalised.
#[cfg(test)]
pub(crate) fn test_sentences(dirs: &[&str]) -> Vec<String> {
    test_lines(dirs)
        .iter()
        .filter(|l| !l.starts_with('#'))
        .map(|l| normalise(l.split_once(": ").map_or(l, |(_, t)| t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Flemish and Limburgish words written as heard read as standard Dutch; words that
    /// merely contain them do not change.
    #[test]
    fn dialect_words_are_spelt_out() {
        assert_eq!(
            expand_dialect(normalise("Mo gie luistert nie! 'k Zeg 't nog ne keer.")),
            normalise("Maar jij luistert niet! Ik zeg het nog een keer.")
        );
        assert_eq!(
            expand_dialect(normalise(
                "Ik heb nog altied gin auto veur mien werk, ik mot naor de garage bie de kerk."
            )),
            normalise(
                "Ik heb nog altijd geen auto voor mijn werk, ik moet naar de garage bij de kerk."
            )
        );
        assert_eq!(
            expand_dialect(normalise("Ik doe het ff snel, ok?")),
            normalise("Ik doe het even snel, ok?")
        );
        let plain = normalise("Mooi, de gieter en de nerts zijn moe, de ginkgo en de motor ook.");
        assert_eq!(expand_dialect(plain.clone()), plain);
    }

    /// The built-in packs' small DFAs find the same match ends as the lazy DFA, at every
    /// place in every sentence of the examples and the sets in `tests/`.
    #[test]
    fn small_dfas_agree_with_the_lazy_dfa() {
        let sentences = test_sentences(&["examples", "tests/heldout", "tests/heldout2"]);
        assert!(sentences.len() > 300, "{} sentences", sentences.len());
        for lang in [Lang::Nl, Lang::En] {
            let lex = Lexicon::builtin(lang);
            let (mut small, mut matched) = (0, 0);
            for p in &lex.patterns {
                let Some(dfa) = &p.small else { continue };
                assert!(dfa.check(), "{}: a state or class out of range", p.source);
                small += 1;
                let mut cache = p.new_cache();
                for s in &sentences {
                    let hay = s.as_bytes();
                    for at in 0..=hay.len() {
                        let want = p.anchored_end(&mut cache, hay, at);
                        assert_eq!(
                            dfa.anchored_end(hay, at),
                            want,
                            "{} at {at} of {s:?}",
                            p.source
                        );
                        matched += usize::from(want.is_some());
                    }
                }
            }
            // Most patterns that run anchored have one, and they do match.
            assert!(small > 400, "{lang:?}: {small} small DFAs");
            assert!(matched > 1000, "{lang:?}: {matched} matches");
        }
    }

    /// A search that goes on from the end of a pattern's literal, in the state the
    /// literal leads to, ends where one from the literal's start ends.
    #[test]
    fn searches_go_on_after_the_literal() {
        let sentences = test_sentences(&["examples", "tests/heldout", "tests/heldout2"]);
        for lang in [Lang::Nl, Lang::En] {
            let lex = Lexicon::builtin(lang);
            let (mut refs, mut checked, mut matched) = (0, 0, 0);
            for lit in 0..lex.literal_bytes.len() as u32 {
                let bytes = &lex.literal_bytes[lit as usize];
                for r in lex.refs.of(lit).iter().filter(|r| r.after != NO_STATE) {
                    refs += 1;
                    let dfa = lex.patterns[r.pattern as usize].small.as_ref().unwrap();
                    assert_eq!(r.len as usize, bytes.len());
                    for s in &sentences {
                        let hay = s.as_bytes();
                        for start in memchr::memmem::find_iter(hay, bytes) {
                            let want = dfa.anchored_end(hay, start);
                            let got = dfa.anchored_end_after(hay, start, bytes.len(), r.after);
                            assert_eq!(
                                got,
                                want,
                                "{:?} at {start} of {s:?}",
                                String::from_utf8_lossy(bytes)
                            );
                            checked += 1;
                            matched += usize::from(want.is_some());
                        }
                    }
                }
            }
            assert!(
                refs > 1000,
                "{lang:?}: {refs} literals with a state after them"
            );
            assert!(
                checked > 10_000 && matched > 500,
                "{lang:?}: {checked} places, {matched} matches"
            );
        }
    }

    /// Acts the caller asks to skip are not tried; the others are found as before.
    #[test]
    fn skipped_acts_are_not_tried() {
        let lex = Lexicon::builtin(Lang::En);
        let s = normalise("Okay, I'll send you a new card today.");
        let acts = |skip: u64| {
            let mut sc = Scratch {
                skip,
                ..Scratch::default()
            };
            let mut out = Vec::new();
            lex.scan(&s, &mut sc, &mut out);
            out.into_iter().map(|(a, _, _)| a).collect::<Vec<Act>>()
        };
        let all = acts(0);
        assert!(all.contains(&Act::Solution), "{all:?}");
        assert!(all.contains(&Act::Agreement), "{all:?}");
        let some = acts(Act::Solution.bit());
        assert!(!some.contains(&Act::Solution), "{some:?}");
        assert_eq!(
            some,
            all.iter()
                .copied()
                .filter(|&a| a != Act::Solution)
                .collect::<Vec<_>>()
        );
    }

    /// A scan that skips acts finds what a full scan finds, less those acts, on every
    /// sentence of the examples and corpora, whatever set of acts it skips (the first three
    /// sets get reports of their own, then an automaton of their own literals; another
    /// uses the full ones).
    #[test]
    fn skipping_scans_find_the_rest_as_before() {
        let sentences = test_sentences(&["examples", "../shared/corpus/dev"]);
        assert!(sentences.len() > 20);
        let masks = [
            crate::acts::customer_skip(),
            crate::acts::customer_skip() | crate::acts::after_need_skip(),
            crate::acts::agent_skip(),
            Act::Solution.bit() | Act::Offer.bit(),
            Act::Agreement.bit(),
        ];
        // Reports on the full automaton (a file) and the scans' own automata (a batch).
        for (lang, sub_after) in [
            (Lang::En, usize::MAX),
            (Lang::Nl, usize::MAX),
            (Lang::En, 0),
            (Lang::Nl, 0),
        ] {
            let mut lex = Lexicon::builtin(lang);
            lex.sub_after = sub_after;
            let mut full = Scratch::default();
            for skip in masks {
                let mut sc = Scratch {
                    skip,
                    ..Scratch::default()
                };
                let mut checked = 0;
                for s in &sentences {
                    let (mut all, mut some) = (Vec::new(), Vec::new());
                    lex.scan(s, &mut full, &mut all);
                    lex.scan(s, &mut sc, &mut some);
                    all.retain(|(a, _, _)| a.bit() & skip == 0);
                    assert_eq!(some, all, "{lang:?}, skipping {skip:#x}: {s:?}");
                    checked += usize::from(!some.is_empty());
                }
                assert!(checked > 10, "{lang:?}: only {checked} sentences with acts");
            }
        }
    }

    #[test]
    fn normalise_folds_and_joins_clitics() {
        assert_eq!(normalise("Café Één"), "cafe een");
        assert_eq!(
            normalise("I 've booked it , do n't worry"),
            "i've booked it , don't worry"
        );
        assert_eq!(normalise("it ’s fine"), "it's fine");
        assert_eq!(normalise("liever 's ochtends"), "liever 's ochtends");
        assert_eq!(normalise("rock 'n roll"), "rock 'n roll");
        assert_eq!(
            normalise("'k Zeg u toch da 'k gebeld è, 't is ’t zelfde"),
            "ik zeg u toch da ik gebeld e, het is het zelfde"
        );
        assert_eq!(normalise("'kay, 'tis, k't"), "'kay, 'tis, k't");
        assert!(normalise("Ærø — 5 € ☺ Straße").is_ascii());
    }

    /// The ASCII path gives what the general one gives.
    #[test]
    fn normalise_ascii_matches_the_general_path() {
        let mut lines: Vec<String> = [
            "I 've booked it , do n't worry",
            "liever 's ochtends of 'S Avonds",
            "it 's 'n roll , rock 'n' roll",
            "DON 'T , CAN 'T , I 'M , we 'LL , they 'RE , he 'D",
            "a ' b  '  c 'd 'e n't N'T n'",
            " 's ' '",
            "x 'sochtends 's",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        lines.extend(
            test_lines(&["examples", "../shared/corpus/dev"])
                .into_iter()
                .filter(|l| l.is_ascii()),
        );
        for l in &lines {
            assert_eq!(normalise_ascii(l.as_bytes()), normalise_chars(l), "{l:?}");
        }
    }

    #[test]
    fn lead_starts_in_backtracking_order() {
        let words = LeadWords::new(
            ["ok", "okay", "so", "thank you"]
                .iter()
                .map(|w| w.as_bytes().to_vec())
                .collect(),
        );
        let (mut visited, mut out) = (Vec::new(), Vec::new());
        lead_starts(
            b"okay, so thank you is it",
            &words,
            4,
            &mut visited,
            &mut out,
        );
        assert_eq!(out, vec![19, 9, 6, 5, 0]);
        lead_starts(
            b"okay, so thank you is it",
            &words,
            1,
            &mut visited,
            &mut out,
        );
        assert_eq!(out, vec![6, 5, 0]);
        lead_starts(b"okayish", &words, 4, &mut visited, &mut out);
        assert_eq!(out, vec![0]);
        // Long separator runs stay linear.
        let long = format!("ok{}", " ,".repeat(5000));
        lead_starts(long.as_bytes(), &words, 4, &mut visited, &mut out);
        assert!(out.len() <= long.len() + 1);
    }

    /// A pattern with a lead finds exactly what the whole regex, lead included, finds.
    #[test]
    fn leads_match_like_the_whole_pattern() {
        let mut sentences: Vec<String> = Vec::new();
        for lead in [
            "",
            "ok ",
            "okay, so ",
            "um, well, right, ",
            "ja, nou, ",
            "oke dus eh ",
        ] {
            for body in [
                "is that right",
                "what happened",
                "can you tell me more",
                "sorry, what was that",
                "so your bill went up",
                "klopt dat",
                "wat is er gebeurd",
                "heeft u de modem herstart",
                "dus als ik het goed begrijp",
                "one moment please",
                "restart the router",
            ] {
                sentences.push(format!("{lead}{body}"));
            }
        }
        sentences.extend(test_sentences(&["examples", "../shared/corpus/dev"]));
        let mut checked = 0;
        for lang in [Lang::Nl, Lang::En] {
            let lex = Lexicon::builtin(lang);
            for p in lex.patterns.iter() {
                let Some(lead) = p.lead else { continue };
                let words: Vec<String> = lex.lead_words[lead.0 as usize]
                    .words
                    .iter()
                    .map(|w| String::from_utf8_lossy(w).into_owned())
                    .collect();
                let whole = format!(
                    "(?-u)^(?:(?:{})[ ,.!]+){{0,{}}}{}",
                    words.join("|"),
                    lead.1,
                    p.source.trim_start_matches("(?-u)")
                );
                let whole = Regex::builder()
                    .syntax(regex_automata::util::syntax::Config::new().utf8(false))
                    .build(&whole)
                    .unwrap();
                for s in &sentences {
                    let mut scratch = Scratch::default();
                    scratch.bind(&lex);
                    let i = lex
                        .patterns
                        .iter()
                        .position(|q| std::ptr::eq(q, p))
                        .unwrap();
                    let got = lex.lead_match(i, lead, s, &mut scratch);
                    let want = whole.find(s.as_bytes()).map(|m| m.end());
                    assert_eq!(got, want, "{} on {s:?}", p.source);
                    checked += usize::from(want.is_some());
                }
            }
        }
        assert!(checked > 50, "only {checked} matches compared");
    }
}
#[cfg(test)]
mod timing {
    #[test]
    #[ignore]
    fn compile_time() {
        for lang in [super::Lang::Nl, super::Lang::En] {
            let t = std::time::Instant::now();
            let l = super::Lexicon::builtin(lang);
            let built = t.elapsed();
            let mut sc = super::Scratch::default();
            let mut out = Vec::new();
            l.scan(
                "goedemorgen ik bel over mijn factuur, i'll send you a new card",
                &mut sc,
                &mut out,
            );
            println!(
                "{lang:?}: builtin {:?}, first scan {:?}; {} patterns, {} always run, {} literals",
                built,
                t.elapsed() - built,
                l.patterns.len(),
                l.always.len(),
                l.literal_lists.at.len()
            );
        }
    }
}

#[cfg(test)]
mod throughput {
    #[test]
    #[ignore]
    fn scan_speed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev");
        let mut texts = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                let s = std::fs::read_to_string(&p).unwrap();
                for l in s.lines().filter(|l| !l.starts_with('#')) {
                    texts.push(super::normalise(l));
                }
            }
        }
        let lex = super::Lexicon::compile(super::BUILTIN_NL, "x").unwrap();
        let t = std::time::Instant::now();
        let mut out = Vec::new();
        let mut sc = super::Scratch::default();
        let mut n = 0;
        for _ in 0..20 {
            for s in &texts {
                out.clear();
                lex.scan(s, &mut sc, &mut out);
                n += out.len();
            }
        }
        let bytes: usize = texts.iter().map(|s| s.len()).sum::<usize>() * 20;
        let e = t.elapsed();
        let mut cands = 0;
        let mut hist = std::collections::HashMap::new();
        for s in &texts {
            out.clear();
            lex.scan(s, &mut sc, &mut out);
            cands += sc.candidates.len();
            for &c in &sc.candidates {
                *hist.entry(c).or_insert(0) += 1;
            }
        }
        let mut h: Vec<_> = hist.into_iter().collect();
        h.sort_by_key(|x| std::cmp::Reverse(x.1));
        for (c, n) in h.iter().take(15) {
            println!(
                "{n:6} {}",
                lex.patterns[*c as usize]
                    .source
                    .chars()
                    .take(100)
                    .collect::<String>()
            );
        }
        println!(
            "{} sentences, {:.1} candidates each",
            texts.len(),
            cands as f64 / texts.len() as f64
        );
        let t2 = std::time::Instant::now();
        for _ in 0..20 {
            for s in &texts {
                let mut k = 0;
                lex.prefilter
                    .as_ref()
                    .unwrap()
                    .for_each(s.as_bytes(), |_, _| k += 1);
                std::hint::black_box(k);
            }
        }
        println!(
            "prefilter alone {:.1} MB/s",
            bytes as f64 / t2.elapsed().as_secs_f64() / 1e6
        );
        println!(
            "scan: {n} tags, {:.1} MB/s",
            bytes as f64 / e.as_secs_f64() / 1e6
        );
    }
}
