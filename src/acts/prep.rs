//! Preparing a lexicon pack: expand word classes into patterns and find, for each pattern,
//! the literal words every match must start (or end) with. Shared by the build script,
//! which does this once for the built-in packs, and by `Lexicon::compile` for any pack.
//! Depends only on serde, toml and regex-syntax, so the build script can include it.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind, Look};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLexicon {
    pub language: String,
    #[serde(default)]
    pub classes: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub stopwords: Vec<String>,
    pub acts: BTreeMap<String, RawAct>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAct {
    #[serde(default)]
    pub doc: String,
    pub patterns: Vec<String>,
}

/// A pack ready to compile: patterns in ASCII mode, and the literal prefilter table.
#[derive(Debug)]
pub struct Prepared {
    pub language: String,
    pub stopwords: Vec<String>,
    /// (act name, regex source)
    pub patterns: Vec<(String, String)>,
    /// (literal, patterns it stands for, gates it opens): one table, so one automaton
    /// finds both kinds of literal.
    pub literals: Vec<(Vec<u8>, Vec<u32>, Vec<u32>)>,
    /// Patterns with no literal set: tried on every sentence.
    pub always: Vec<u32>,
    /// Per pattern: a lead of up to N words of a class, `^(?:{class}[ ,.!]+){0,N}`, as
    /// (index in `lead_words`, N). The pattern source is then what follows the lead, and it
    /// runs anchored after the sentence's lead words: the same matches, and a far smaller
    /// automaton than one with the class repeated N times in front.
    pub leads: Vec<Option<(u32, u8)>>,
    /// The word lists of the classes used as leads.
    pub lead_words: Vec<Vec<String>>,
    /// Per pattern: every match starts with one of its literals, so it runs anchored at the
    /// places the prefilter found them instead of over the whole sentence.
    pub anchored: Vec<bool>,
    /// Per pattern: every match starts at an ASCII word boundary (`\b`), so a place where
    /// none is (a literal inside a word: "hi" in "this") is not tried.
    pub bounded: Vec<bool>,
    /// Per pattern: a gate, a set of literals one of which every match holds somewhere
    /// (its number is in the gate lists of `literals`). A sentence that holds none of them
    /// cannot match, and the pattern is not run on it.
    pub gates: Vec<Option<u32>>,
    /// Per pattern with a lead: literals every match of what follows the lead starts with,
    /// so a place after the lead words that holds none of them is not tried.
    pub starts: Vec<Option<Vec<Vec<u8>>>>,
    /// Per pattern that ends where the sentence ends (`...\s*\??$`): literals one of which
    /// the sentence ends with, once `END_JUNK` is cut from both (see `end_literals`).
    pub ends: Vec<Option<Vec<Vec<u8>>>>,
}

/// The literal table `prepare` builds: one entry per distinct literal.
#[derive(Default)]
struct LiteralTable {
    entries: Vec<(Vec<u8>, Vec<u32>, Vec<u32>)>,
    index: HashMap<Vec<u8>, usize>,
}

impl LiteralTable {
    /// The entry of a literal, added when new.
    fn entry(&mut self, lit: &[u8]) -> &mut (Vec<u8>, Vec<u32>, Vec<u32>) {
        let at = match self.index.get(lit) {
            Some(&at) => at,
            None => {
                self.entries.push((lit.to_vec(), Vec::new(), Vec::new()));
                self.index.insert(lit.to_vec(), self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        &mut self.entries[at]
    }
}

/// The separator run after each lead word, as the pattern spells it.
const LEAD_SEPARATOR: &str = "[ ,.!]+){0,";

/// Split `^(?:{class}[ ,.!]+){0,N}rest` into (class, N, rest) when the class is a list of
/// plain words (letters, digits, spaces, apostrophes, hyphens).
fn split_lead<'a>(
    pattern: &'a str,
    classes: &BTreeMap<String, Vec<String>>,
) -> Option<(&'a str, u8, &'a str)> {
    let after = pattern.strip_prefix("^(?:{")?;
    let close = after.find('}')?;
    let name = &after[..close];
    let rest = after[close + 1..].strip_prefix(LEAD_SEPARATOR)?;
    let brace = rest.find('}')?;
    let n: u8 = rest[..brace].parse().ok()?;
    let words = classes.get(name)?;
    let plain = words.iter().all(|w| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '\'' | '’' | '-'))
    });
    (plain && (1..=8).contains(&n)).then_some((name, n, &rest[brace + 1..]))
}

/// Expand `{class}` placeholders with `(?:a|b|c)` from the classes table.
pub fn expand(pattern: &str, classes: &BTreeMap<String, Vec<String>>) -> Result<String, String> {
    // TOML literal strings cannot hold a straight quote: packs write ’, text is folded to '.
    let pattern = pattern.replace('’', "'");
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern.as_str();
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .find('}')
            .ok_or_else(|| "unclosed '{' in pattern".to_string())?;
        let name = &after[..end];
        // `{2,3}` repetition stays as it is.
        if name
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == ' ')
        {
            out.push('{');
            out.push_str(name);
            out.push('}');
        } else {
            let words = classes
                .get(name)
                .ok_or_else(|| format!("unknown word class '{{{name}}}'"))?;
            out.push_str("(?:");
            out.push_str(&words.join("|").replace('’', "'"));
            out.push(')');
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A pattern's prefix literals are kept as they are up to this many.
const MAX_PREFIX_LITERALS: usize = 24;

/// Literal words that every match of `hir` must start with (or end with), whichever set
/// is more selective, and whether they are the start; None when neither is a short finite
/// set.
fn required_literals(hir: &Hir) -> Option<(Vec<Vec<u8>>, bool)> {
    let extract = |prefix: bool| -> Option<Vec<Vec<u8>>> {
        let mut ex = Extractor::new();
        ex.kind(if prefix {
            ExtractKind::Prefix
        } else {
            ExtractKind::Suffix
        })
        .limit_class(4)
        .limit_repeat(4)
        .limit_literal_len(12)
        .limit_total(400);
        let mut seq = ex.extract(hir);
        if prefix {
            // The places a prefix literal occurs are where the pattern is tried, so a few
            // longer literals ("you're", "you are") beat one short one ("you"). Only a long
            // list is shortened.
            if let Some(lits) = seq.literals() {
                let mut raw: Vec<Vec<u8>> = lits.iter().map(|l| l.as_bytes().to_vec()).collect();
                raw.sort();
                raw.dedup();
                if !raw.is_empty()
                    && raw.len() <= MAX_PREFIX_LITERALS
                    && raw.iter().all(|l| l.len() >= 2)
                {
                    return Some(raw);
                }
            }
            seq.optimize_for_prefix_by_preference();
        } else {
            seq.optimize_for_suffix_by_preference();
        }
        let lits = seq.literals()?;
        if lits.is_empty() || lits.iter().any(|l| l.as_bytes().len() < 2) {
            return None;
        }
        Some(lits.iter().map(|l| l.as_bytes().to_vec()).collect())
    };
    // Longer literals are rarer in text: prefer the set whose shortest literal is longest.
    let score = |v: &Vec<Vec<u8>>| {
        let shortest = v.iter().map(|l| l.len()).min().unwrap_or(0);
        (shortest.min(6), usize::MAX - v.len())
    };
    match (extract(true), extract(false)) {
        (Some(p), Some(s)) => Some(if score(&s) > score(&p) {
            (s, false)
        } else {
            (p, true)
        }),
        (Some(p), None) => Some((p, true)),
        (None, Some(s)) => Some((s, false)),
        (None, None) => None,
    }
}

/// Gate literals are at least this long.
const MIN_GATE_LITERAL: usize = 3;

/// Gate literals are cut to this length.
const MAX_GATE_LITERAL: usize = 8;

/// Gates hold at most this many literals.
const MAX_GATE_LITERALS: usize = 256;

/// How selective a literal set is as a filter: longer shortest literals are rarer, and
/// fewer literals are cheaper.
fn gate_score(v: &[Vec<u8>]) -> (usize, usize) {
    let shortest = v.iter().map(|l| l.len()).min().unwrap_or(0);
    (shortest.min(MAX_GATE_LITERAL), usize::MAX - v.len())
}

/// A set of literals one of which every match of `hir` contains (the most selective such
/// set found, other than `trigger`), or None.
fn gate_literals(hir: &Hir, trigger: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    let found = match hir.kind() {
        HirKind::Literal(l) => Some(vec![l.0.to_vec()]),
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) => None,
        HirKind::Repetition(r) if r.min >= 1 => gate_literals(&r.sub, trigger),
        HirKind::Repetition(_) => None,
        HirKind::Capture(c) => gate_literals(&c.sub, trigger),
        HirKind::Alternation(alts) => {
            let mut all: Vec<Vec<u8>> = Vec::new();
            for a in alts {
                // A branch's own best set, whatever the trigger: the union is another set.
                all.extend(gate_literals(a, &[])?);
                if all.len() > MAX_GATE_LITERALS {
                    return None;
                }
            }
            all.sort();
            all.dedup();
            Some(all)
        }
        HirKind::Concat(parts) => {
            // A part's own set, or the words a run of parts must start with (" you",
            // "n't you": longer than any part alone).
            let mut best: Option<Vec<Vec<u8>>> = None;
            let mut consider = |v: Vec<Vec<u8>>| {
                if best.as_ref().is_none_or(|b| gate_score(&v) > gate_score(b)) {
                    best = Some(v);
                }
            };
            for (k, p) in parts.iter().enumerate() {
                if let Some(v) = gate_literals(p, trigger) {
                    consider(v);
                }
                if k > 0 {
                    let rest = Hir::concat(parts[k..].to_vec());
                    if let Some(v) = prefix_set(&rest).filter(|v| useful_gate(v, trigger)) {
                        consider(v);
                    }
                }
            }
            best
        }
    }?;
    // A prefix of a literal every match holds is one too: short ones make a smaller
    // automaton (and several long ones often share one).
    let mut sorted: Vec<Vec<u8>> = found
        .into_iter()
        .map(|mut l| {
            l.truncate(MAX_GATE_LITERAL);
            l
        })
        .collect();
    sorted.sort();
    sorted.dedup();
    useful_gate(&sorted, trigger).then_some(sorted)
}

/// A gate worth its place: a few literals, none very short, not just the trigger again.
/// Its literals may be shorter than the trigger's: "the " is in most sentences, "name" after
/// it in few.
fn useful_gate(v: &[Vec<u8>], trigger: &[Vec<u8>]) -> bool {
    let shortest = |v: &[Vec<u8>]| v.iter().map(|l| l.len()).min().unwrap_or(0);
    let mut t = trigger.to_vec();
    t.sort();
    t.dedup();
    !v.is_empty()
        && shortest(v) >= MIN_GATE_LITERAL
        && v.len() <= MAX_GATE_LITERALS
        && v != t.as_slice()
}

/// The literals every match of `hir` starts with, sorted and without repeats, when the
/// extractor finds a finite set within these limits.
fn prefix_literals(hir: &Hir, class: usize, len: usize, total: usize) -> Option<Vec<Vec<u8>>> {
    let mut ex = Extractor::new();
    ex.kind(ExtractKind::Prefix)
        .limit_class(class)
        .limit_repeat(4)
        .limit_literal_len(len)
        .limit_total(total);
    let mut v: Vec<Vec<u8>> = ex
        .extract(hir)
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .collect();
    v.sort();
    v.dedup();
    Some(v)
}

/// The literals every match of `hir` starts with, when that is a short finite set.
fn prefix_set(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    prefix_literals(hir, 4, MAX_GATE_LITERAL, 200)
}

/// Literals of a `starts` or `ends` set are at most this long (longer ones are cut).
const MAX_EDGE_LITERAL: usize = 4;

/// `starts` and `ends` sets hold at most this many literals.
const MAX_EDGE_LITERALS: usize = 256;

/// The literals every match of `hir` starts with, cut to `MAX_EDGE_LITERAL` bytes, when
/// that is a finite set without an empty literal.
fn start_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    // Before cutting and merging, a set may be several times its final size.
    let v = prefix_literals(hir, 12, MAX_EDGE_LITERAL, 4 * MAX_EDGE_LITERALS)?;
    (!v.is_empty() && v.len() <= MAX_EDGE_LITERALS && v.iter().all(|l| !l.is_empty())).then_some(v)
}

/// What a sentence may end with after the part of a pattern that ends at `$`: white space
/// and closing punctuation (`\s*\??$`, `[.!?]*$`).
pub const END_JUNK: &[u8] = b" \t\n\x0B\x0C\r?.!";

/// Text without its trailing `END_JUNK`.
pub fn trim_junk(s: &[u8]) -> &[u8] {
    let n = s.len() - s.iter().rev().take_while(|b| END_JUNK.contains(b)).count();
    &s[..n]
}

/// Does `hir` match only `END_JUNK` bytes (or nothing)?
fn only_junk(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(l) => l.0.iter().all(|b| END_JUNK.contains(b)),
        HirKind::Class(Class::Bytes(c)) => c
            .iter()
            .all(|r| (r.start()..=r.end()).all(|b| END_JUNK.contains(&b))),
        HirKind::Class(Class::Unicode(c)) => c.iter().all(|r| {
            (r.start()..=r.end()).all(|ch| u8::try_from(ch).is_ok_and(|b| END_JUNK.contains(&b)))
        }),
        HirKind::Repetition(r) => only_junk(&r.sub),
        HirKind::Capture(c) => only_junk(&c.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().all(only_junk),
    }
}

/// Adds to `out` literals one of which every non-empty match of `hir` ends with; None when
/// there is no short set (a wide class, too many literals).
fn ends_of(hir: &Hir, out: &mut Vec<Vec<u8>>) -> Option<()> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push(l.0.to_vec()),
        HirKind::Class(Class::Bytes(c)) => {
            if c.iter().map(|r| r.len()).sum::<usize>() > 16 {
                return None;
            }
            out.extend(c.iter().flat_map(|r| r.start()..=r.end()).map(|b| vec![b]));
        }
        HirKind::Class(Class::Unicode(c)) => {
            if c.iter().map(|r| r.len()).sum::<usize>() > 16 {
                return None;
            }
            for ch in c.iter().flat_map(|r| r.start()..=r.end()) {
                out.push(ch.to_string().into_bytes());
            }
        }
        HirKind::Repetition(r) => ends_of(&r.sub, out)?,
        HirKind::Capture(c) => ends_of(&c.sub, out)?,
        HirKind::Alternation(v) => {
            for h in v {
                ends_of(h, out)?;
            }
        }
        HirKind::Concat(v) => {
            // The last part that matched anything gives the end: the last part, or (when
            // it may match nothing) the one before it, and so on.
            for h in v.iter().rev() {
                ends_of(h, out)?;
                if h.properties().minimum_len().unwrap_or(0) > 0 {
                    break;
                }
            }
        }
    }
    (out.len() <= MAX_EDGE_LITERALS).then_some(())
}

/// For a pattern that ends where the sentence does (its last parts are `$` and junk such
/// as `\s*\??`): literals, cut of trailing `END_JUNK`, one of which the sentence cut of
/// trailing `END_JUNK` ends with. A match is the pattern's core followed by junk bytes,
/// and the core ends with one of the literals, so cutting the junk from both keeps it.
fn end_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let mut n = parts.len();
    let mut at_end = false;
    while n > 0 && only_junk(&parts[n - 1]) {
        at_end |= matches!(parts[n - 1].kind(), HirKind::Look(Look::End));
        n -= 1;
    }
    let core = Hir::concat(parts[..n].to_vec());
    // A core that may match nothing leaves a match of junk alone.
    if !at_end || core.properties().minimum_len().unwrap_or(0) == 0 {
        return None;
    }
    let mut v = Vec::new();
    ends_of(&core, &mut v)?;
    for l in &mut v {
        l.truncate(trim_junk(l).len());
        if l.is_empty() {
            return None;
        }
        let cut = l.len().saturating_sub(MAX_EDGE_LITERAL);
        l.drain(..cut);
    }
    v.sort();
    v.dedup();
    Some(v)
}

/// Parse a pack and prepare its patterns. `known_act` says which act names exist.
pub fn prepare(text: &str, known_act: &dyn Fn(&str) -> bool) -> Result<Prepared, String> {
    let raw: RawLexicon = toml::from_str(text)
        .map_err(|e| format!("invalid lexicon pack: {}", e.to_string().trim()))?;
    let mut patterns = Vec::new();
    let mut leads = Vec::new();
    let mut lead_words: Vec<Vec<String>> = Vec::new();
    let mut lead_names: Vec<&str> = Vec::new();
    for (name, act) in &raw.acts {
        if !known_act(name) {
            return Err(format!("unknown act '{name}'"));
        }
        for p in &act.patterns {
            let body = match split_lead(p, &raw.classes) {
                Some((class, n, rest)) => {
                    let id = match lead_names.iter().position(|c| *c == class) {
                        Some(id) => id,
                        None => {
                            lead_names.push(class);
                            lead_words.push(
                                raw.classes[class]
                                    .iter()
                                    .map(|w| w.replace('’', "'"))
                                    .collect(),
                            );
                            lead_names.len() - 1
                        }
                    };
                    leads.push(Some((id as u32, n)));
                    rest
                }
                None => {
                    leads.push(None);
                    p.as_str()
                }
            };
            let e = expand(body, &raw.classes)
                .map_err(|e| format!("act '{name}', pattern '{p}': {e}"))?;
            // Text is lower-cased and folded to ASCII first, so patterns run in ASCII mode:
            // exact word boundaries, small automata.
            patterns.push((name.clone(), format!("(?-u){e}")));
        }
    }
    let mut literals = LiteralTable::default();
    let mut always = Vec::new();
    let mut anchored = vec![false; patterns.len()];
    let mut bounded = vec![false; patterns.len()];
    let mut gates = vec![None; patterns.len()];
    let mut gate_sets: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut starts = vec![None; patterns.len()];
    let mut ends = vec![None; patterns.len()];
    for (i, (act, source)) in patterns.iter().enumerate() {
        let hir = regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(source)
            .map_err(|err| {
                format!(
                    "act '{act}', bad pattern '{}': {}",
                    source.trim_start_matches("(?-u)"),
                    err.to_string().lines().last().unwrap_or("")
                )
            })?;
        if leads[i].is_some() {
            starts[i] = start_literals(&hir);
        }
        ends[i] = end_literals(&hir);
        bounded[i] = starts_at_boundary(&hir);
        let required = required_literals(&hir);
        let trigger = required.as_ref().map_or(&[][..], |(l, _)| l.as_slice());
        if let Some(set) = gate_literals(&hir, trigger) {
            let id = match gate_sets.iter().position(|g| *g == set) {
                Some(id) => id,
                None => {
                    for l in &set {
                        literals.entry(l).2.push(gate_sets.len() as u32);
                    }
                    gate_sets.push(set);
                    gate_sets.len() - 1
                }
            };
            gates[i] = Some(id as u32);
        }
        // A pattern is tried where its literals are, and only if its gate opened too: the
        // gate's words are often rarer than those it starts with.
        match required {
            Some((lits, prefix)) => {
                anchored[i] = prefix && leads[i].is_none();
                for l in lits {
                    let pats = &mut literals.entry(&l).1;
                    if !pats.contains(&(i as u32)) {
                        pats.push(i as u32);
                    }
                }
            }
            None => always.push(i as u32),
        }
    }
    Ok(Prepared {
        language: raw.language,
        stopwords: raw.stopwords,
        patterns,
        literals: literals.entries,
        always,
        leads,
        lead_words,
        anchored,
        bounded,
        gates,
        starts,
        ends,
    })
}

/// Does every match of `hir` start where `\b` (ASCII) holds: is the byte before a word
/// byte exactly when the first byte is not? `\b{start}` and `\b{end}` imply it; the
/// half boundaries do not.
fn starts_at_boundary(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(l) => matches!(
            l,
            Look::WordAscii | Look::WordStartAscii | Look::WordEndAscii
        ),
        HirKind::Capture(c) => starts_at_boundary(&c.sub),
        HirKind::Concat(parts) => parts.first().is_some_and(starts_at_boundary),
        HirKind::Alternation(alts) => alts.iter().all(starts_at_boundary),
        HirKind::Repetition(r) => r.min >= 1 && starts_at_boundary(&r.sub),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    /// A pattern as `prepare` parses it: ASCII mode.
    fn ascii_hir(s: &str) -> regex_syntax::hir::Hir {
        regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(&format!("(?-u){s}"))
            .unwrap()
    }

    /// Every match of the patterns `select` picks, from both built-in packs, on every
    /// sentence of the examples, the dev corpus and sets 1–3: `check(pack, pattern,
    /// sentence, match)`. Returns (patterns picked, matches checked).
    fn corpus_matches(
        select: impl Fn(&super::Prepared, usize) -> bool,
        mut check: impl FnMut(&super::Prepared, usize, &str, &[u8]),
    ) -> (usize, usize) {
        let sentences = crate::acts::lexicon::test_sentences(&[
            "examples",
            "../shared/corpus/dev",
            "tests/heldout",
            "tests/heldout2",
            "tests/heldout3",
        ]);
        let (mut picked, mut matched) = (0, 0);
        for pack in [
            crate::acts::lexicon::BUILTIN_NL,
            crate::acts::lexicon::BUILTIN_EN,
        ] {
            let p = super::prepare(pack, &|_| true).unwrap();
            for (i, (_, src)) in p.patterns.iter().enumerate() {
                if !select(&p, i) {
                    continue;
                }
                picked += 1;
                let re = regex::bytes::Regex::new(src).unwrap();
                for s in &sentences {
                    for m in re.find_iter(s.as_bytes()) {
                        matched += 1;
                        check(&p, i, s, m.as_bytes());
                    }
                }
            }
        }
        (picked, matched)
    }

    /// A gate never shuts out a match: wherever a pattern matches, one of its gate's
    /// literals is in the sentence.
    #[test]
    fn gates_never_shut_out_a_match() {
        let (gated, matched) = corpus_matches(
            |p, i| p.gates[i].is_some(),
            |p, i, s, hay| {
                let g = p.gates[i].unwrap();
                let lits: Vec<&[u8]> = p
                    .literals
                    .iter()
                    .filter(|(_, _, gs)| gs.contains(&g))
                    .map(|(l, _, _)| l.as_slice())
                    .collect();
                assert!(!lits.is_empty());
                assert!(
                    lits.iter().any(|l| hay.windows(l.len()).any(|w| w == *l)),
                    "{} matches {:?} in {s:?} without a gate literal {lits:?}",
                    p.patterns[i].1,
                    String::from_utf8_lossy(hay)
                );
            },
        );
        assert!(gated > 120, "only {gated} patterns have a gate");
        assert!(matched > 300, "only {matched} matches checked");
    }

    /// Where a pattern with a `starts` set matches, the match starts with one of its
    /// literals; where one with an `ends` set matches, the sentence (cut of END_JUNK) ends
    /// with one of its literals.
    #[test]
    fn edge_sets_never_shut_out_a_match() {
        let (with_sets, matched) = corpus_matches(
            |p, i| p.starts[i].is_some() || p.ends[i].is_some(),
            |p, i, s, hay| {
                let src = &p.patterns[i].1;
                if let Some(starts) = &p.starts[i] {
                    assert!(
                        starts.iter().any(|l| hay.starts_with(l)),
                        "{src} matches {:?} in {s:?}, not starting with {starts:?}",
                        String::from_utf8_lossy(hay)
                    );
                }
                if let Some(ends) = &p.ends[i] {
                    let t = super::trim_junk(s.as_bytes());
                    assert!(
                        ends.iter().any(|l| t.ends_with(l)),
                        "{src} matches {s:?}, which does not end with {ends:?}"
                    );
                }
            },
        );
        assert!(with_sets > 20, "only {with_sets} patterns have edge sets");
        assert!(matched > 100, "only {matched} matches checked");
    }

    /// Where a pattern said to start at a word boundary matches, one is there.
    #[test]
    fn bounded_patterns_match_only_at_a_boundary() {
        let mut at_start = 0;
        let (bounded, matched) = corpus_matches(
            |p, i| p.bounded[i],
            |p, i, s, hay| {
                // `hay` is a slice of `s`: where it starts. The scan's own check.
                let at = hay.as_ptr() as usize - s.as_ptr() as usize;
                assert!(
                    crate::acts::lexicon::at_boundary(s.as_bytes(), at),
                    "{} matches {:?} in {s:?} where no word boundary is",
                    p.patterns[i].1,
                    String::from_utf8_lossy(hay)
                );
                at_start += usize::from(at == 0);
            },
        );
        assert!(bounded > 500, "only {bounded} patterns start at a boundary");
        assert!(
            matched > 1000 && at_start < matched,
            "{matched} matches checked"
        );
    }

    #[test]
    fn patterns_that_start_at_a_boundary() {
        for yes in [
            r"\bhi\b",
            r"(?:\bor|\beither)\b",
            r"(\bno)+ way",
            r"\b{start}yes",
        ] {
            assert!(super::starts_at_boundary(&ascii_hir(yes)), "{yes}");
        }
        // Optional, in one branch only, later on, or a half boundary: not every match.
        for no in [
            r"(?:\b)?hi",
            r"(?:\bor|either)",
            r"hi\b",
            r"\b{start-half}hi",
            r"(?:\bno)* way",
        ] {
            assert!(!super::starts_at_boundary(&ascii_hir(no)), "{no:?}");
        }
    }

    #[test]
    fn edge_sets_of_patterns() {
        let lits = |v: &[&str]| -> Option<Vec<Vec<u8>>> {
            Some(v.iter().map(|l| l.as_bytes().to_vec()).collect())
        };
        // The core's last words, cut to 4 bytes, with the optional tail's words.
        assert_eq!(
            super::end_literals(&ascii_hir(
                r"(?:your|the) (?:name|number)(?: please)*\s*\??$"
            )),
            lits(&["ease", "mber", "name"])
        );
        // Junk inside a literal is cut too: "right?" must end the sentence as "right".
        assert_eq!(
            super::end_literals(&ascii_hir(r"\bright\?\s*$")),
            lits(&["ight"])
        );
        // No `$`, a core that may be empty, or a wide class: no set.
        assert_eq!(super::end_literals(&ascii_hir(r"(?:name|number)\s*")), None);
        assert_eq!(super::end_literals(&ascii_hir(r"(?:name)?\s*$")), None);
        assert_eq!(super::end_literals(&ascii_hir(r"what [^?]*$")), None);
        // Starts: the alternation's words, cut to 4 bytes; none where a wide class opens.
        assert_eq!(
            super::start_literals(&ascii_hir(r"(?:do|does|would) you\b")),
            lits(&["do y", "does", "woul"])
        );
        assert_eq!(super::start_literals(&ascii_hir(r"(?:[a-z]+ )?name")), None);
    }

    #[test]
    fn gates_take_the_most_selective_literals() {
        let hir = |s: &str| regex_syntax::ParserBuilder::new().build().parse(s).unwrap();
        // The trigger ("the ", "your ") is no gate; the words after it are.
        let g = super::gate_literals(
            &hir("(?:the|your) (?:manager|supervisor) (?:can't|won't)"),
            &[b"the ".to_vec(), b"your ".to_vec()],
        );
        let g = g.expect("a gate");
        assert!(
            g.iter()
                .all(|l| b" manager ".starts_with(l) || b" supervisor ".starts_with(l)),
            "{g:?}"
        );
        // Optional parts and short words are no gate.
        assert_eq!(
            super::gate_literals(&hir("(?:please )?(?:ok|no)"), &[]),
            None
        );
        // Every branch of an alternation must be covered.
        assert_eq!(
            super::gate_literals(&hir("(?:your [a-z]+ number|the name)"), &[]),
            Some(vec![b" number".to_vec(), b"the name".to_vec()])
        );
    }

    #[test]
    #[ignore]
    fn show_literals() {
        let p = super::prepare(crate::acts::lexicon::BUILTIN_NL, &|_| true).unwrap();
        for (i, (act, src)) in p.patterns.iter().enumerate() {
            if src.contains("snap|kan) ik") {
                let lits: Vec<String> = p
                    .literals
                    .iter()
                    .filter(|(_, ps, _)| ps.contains(&(i as u32)))
                    .map(|(l, _, _)| String::from_utf8_lossy(l).into_owned())
                    .collect();
                println!(
                    "{act} {src}\n  always={} lits={lits:?}",
                    p.always.contains(&(i as u32))
                );
            }
        }
    }
}
