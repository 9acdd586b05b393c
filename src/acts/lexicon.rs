//! Lexicon packs: per-language word classes and act patterns, read from TOML data in
//! `rules/lexicon/` (embedded at build time), compiled once per process.

use anyhow::{anyhow, bail, Context, Result};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;

use super::Act;
use crate::transcript::Lang;

/// The lexicon packs shipped in the binary.
pub const BUILTIN_NL: &str = include_str!("../../rules/lexicon/nl.toml");
pub const BUILTIN_EN: &str = include_str!("../../rules/lexicon/en.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    language: String,
    #[serde(default)]
    classes: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    stopwords: Vec<String>,
    acts: BTreeMap<String, RawAct>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAct {
    #[serde(default)]
    doc: String,
    patterns: Vec<String>,
}

/// Acts per pattern set. One set of every act's patterns needs so many lazy-DFA states
/// that its cache is cleared over and over and the regex engine falls back to its slow
/// NFA simulation (or, with a cache big enough, ~40 MiB per thread). A few sets of a
/// dozen acts each stay small and fast: measured on 20,000 MultiWOZ calls, groups of 12
/// were the quickest (faster than one set even with a 64 MiB cache) at the least memory.
const ACTS_PER_SET: usize = 12;
/// Room for each set's lazy DFA (per thread, allocated as used).
const SET_DFA_CACHE: usize = 16 << 20;
/// The same for each act's own pattern (run only when its set says the act occurs).
const ACT_DFA_CACHE: usize = 8 << 20;

/// A compiled lexicon for one language.
pub struct Lexicon {
    pub lang: Lang,
    /// One entry per act present in the pack: the act and its combined pattern.
    acts: Vec<(Act, Regex)>,
    /// The same patterns as a few sets (each with the index of its first act), to learn in
    /// a few scans which acts occur in a sentence.
    sets: Vec<(usize, RegexSet)>,
    pub stopwords: std::collections::HashSet<String>,
}

/// Expand `{class}` placeholders with `(?:a|b|c)` from the classes table.
fn expand(pattern: &str, classes: &BTreeMap<String, Vec<String>>) -> Result<String> {
    // TOML literal strings cannot hold a straight quote: packs write ’, text is folded to '.
    let pattern = pattern.replace('’', "'");
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern.as_str();
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        // `{2,3}` repetition stays as it is.
        let end = after
            .find('}')
            .ok_or_else(|| anyhow!("unclosed '{{' in pattern"))?;
        let name = &after[..end];
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
                .ok_or_else(|| anyhow!("unknown word class '{{{name}}}'"))?;
            out.push_str("(?:");
            out.push_str(&words.join("|").replace('’', "'"));
            out.push(')');
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

impl Lexicon {
    /// Compile a lexicon pack from its TOML text. `origin` names it in errors.
    pub fn compile(text: &str, origin: &str) -> Result<Lexicon> {
        let raw: RawLexicon =
            toml::from_str(text).with_context(|| format!("{origin}: invalid lexicon pack"))?;
        let lang = Lang::parse(&raw.language)
            .ok_or_else(|| anyhow!("{origin}: unknown language '{}'", raw.language))?;
        let mut acts = Vec::new();
        let mut sources = Vec::new();
        for (name, act) in &raw.acts {
            let kind = Act::from_str(name).map_err(|_| {
                anyhow!(
                    "{origin}: unknown act '{name}' (known: {})",
                    Act::all_names().join(", ")
                )
            })?;
            let _ = &act.doc;
            if act.patterns.is_empty() {
                continue;
            }
            let mut alts = Vec::new();
            for p in &act.patterns {
                let e = expand(p, &raw.classes)
                    .with_context(|| format!("{origin}: act '{name}', pattern '{p}'"))?;
                // Validate each pattern alone so the error names it.
                let e = ascii_boundaries(&e);
                if let Err(err) = Regex::new(&e) {
                    bail!(
                        "{origin}: act '{name}', bad pattern '{p}': {}",
                        err.to_string().lines().last().unwrap_or("")
                    );
                }
                alts.push(format!("(?:{e})"));
            }
            // Text is lower-cased and folded to ASCII letters first, so ASCII word
            // boundaries are exact and the automata stay small and fast.
            let combined = alts.join("|");
            let re = RegexBuilder::new(&combined)
                .dfa_size_limit(ACT_DFA_CACHE)
                .build()
                .with_context(|| format!("{origin}: act '{name}' does not compile"))?;
            sources.push(combined);
            acts.push((kind, re));
        }
        let mut sets = Vec::new();
        for (i, group) in sources.chunks(ACTS_PER_SET).enumerate() {
            let set = RegexSetBuilder::new(group)
                .dfa_size_limit(SET_DFA_CACHE)
                .build()
                .with_context(|| format!("{origin}: pattern set"))?;
            sets.push((i * ACTS_PER_SET, set));
        }
        Ok(Lexicon {
            lang,
            acts,
            sets,
            stopwords: raw.stopwords.into_iter().collect(),
        })
    }

    /// Every act occurrence in a normalised sentence: (act, byte offset, end).
    pub fn scan(&self, norm: &str, out: &mut Vec<(Act, usize, usize)>) {
        for (first, set) in &self.sets {
            let matched = set.matches(norm);
            if !matched.matched_any() {
                continue;
            }
            for i in matched.iter() {
                let (act, re) = &self.acts[first + i];
                for m in re.find_iter(norm) {
                    out.push((*act, m.start(), m.end()));
                }
            }
        }
    }

    /// Does any pattern of `act` match?
    pub fn has(&self, act: Act, norm: &str) -> bool {
        self.acts
            .iter()
            .any(|(a, re)| *a == act && re.is_match(norm))
    }
}

/// Word boundaries as ASCII boundaries: text is folded to ASCII letters first, so they
/// are exact, and they keep the lazy DFA fast (a Unicode `\b` makes it give up).
pub fn ascii_boundaries(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('b') => out.push_str("(?-u:\\b)"),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Lower-case and fold accented Latin letters and typographic punctuation to ASCII.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let r = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'a',
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
            _ => {
                for l in c.to_lowercase() {
                    out.push(l);
                }
                continue;
            }
        };
        out.push(r);
    }
    out
}
