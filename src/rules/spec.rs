//! A rule file (`rules/<id>.toml`): id, severity, category, messages and advice in Dutch
//! and English, documentation under fixed headings, and examples that must fire and pass.

use crate::transcript::{Kind, Lang};
use anyhow::{anyhow, bail, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
    /// Sort key: errors first.
    pub fn rank(self) -> u8 {
        match self {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }
    }
}

/// Text in both languages.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    pub nl: String,
    pub en: String,
}

impl Bilingual {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// Documentation under the fixed headings.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub what: String,
    pub why: String,
    pub example: String,
    pub better: String,
    pub exceptions: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleExample {
    pub lang: String,
    /// "fire" or "pass".
    pub expect: String,
    /// 1-based turn the finding must point at (optional).
    #[serde(default)]
    pub turn: Option<usize>,
    pub transcript: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    severity: Spanned<String>,
    category: String,
    #[serde(default)]
    kind: Option<Spanned<String>>,
    detector: Spanned<String>,
    summary: Bilingual,
    message: Bilingual,
    advice: Bilingual,
    doc: BTreeMap<String, RuleDoc>,
    #[serde(default)]
    pattern: Option<PatternDef>,
    examples: Vec<RuleExample>,
}

/// What a data-only (`detector = "pattern"`) rule looks for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternDef {
    /// Whose turns: agent, customer, leader.
    pub role: Spanned<String>,
    /// Lexicon acts that count (e.g. "haste").
    #[serde(default)]
    pub acts: Vec<Spanned<String>>,
    /// Regular expressions per language, matched on lower-cased text.
    #[serde(default)]
    pub nl: Vec<Spanned<String>>,
    #[serde(default)]
    pub en: Vec<Spanned<String>>,
    /// Fire once per call (first match) rather than on every matching turn.
    #[serde(default = "yes")]
    pub once: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone)]
pub struct RuleSpec {
    pub id: String,
    pub severity: Severity,
    pub category: String,
    pub kind: Kind,
    pub detector: String,
    pub summary: Bilingual,
    pub message: Bilingual,
    pub advice: Bilingual,
    pub doc_nl: RuleDoc,
    pub doc_en: RuleDoc,
    pub pattern: Option<super::pattern::Compiled>,
    pub examples: Vec<RuleExample>,
    /// Where the rule came from (for errors).
    pub origin: String,
}

/// 1-based line and column (in characters) of a byte offset, for error messages about
/// TOML files (rule files and `callcoach.toml`).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// A TOML error as one line, `origin:line:column: message`.
pub fn toml_error(origin: &str, text: &str, e: &toml::de::Error) -> anyhow::Error {
    let (line, col) = line_col(text, e.span().map(|s| s.start).unwrap_or(0));
    anyhow!("{origin}:{line}:{col}: {}", e.message().trim())
}

/// Line of the `n`-th (0-based) line that starts with `needle` (for error messages).
fn nth_line_starting(text: &str, needle: &str, n: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with(needle))
        .nth(n)
        .map(|(i, _)| i + 1)
}

impl RuleSpec {
    pub fn parse(text: &str, origin: &str) -> Result<RuleSpec> {
        let raw: RawRule = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
        let at =
            |span: std::ops::Range<usize>| format!("{origin}:{}", line_col(text, span.start).0);
        let id = raw.id.get_ref().clone();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            bail!("{}: rule id '{id}' must be kebab-case", at(raw.id.span()));
        }
        let severity = Severity::parse(raw.severity.get_ref()).ok_or_else(|| {
            anyhow!(
                "{}: severity '{}' must be error, warning or info",
                at(raw.severity.span()),
                raw.severity.get_ref()
            )
        })?;
        let kind = match &raw.kind {
            None => Kind::Call,
            Some(k) => super::kind_of(k.get_ref())
                .ok_or_else(|| anyhow!("{}: kind must be 'call' or 'coaching'", at(k.span())))?,
        };
        let detector = raw.detector.get_ref().clone();
        if super::detector(&detector).is_none() {
            bail!("{}: unknown detector '{detector}'", at(raw.detector.span()));
        }
        let doc = |l: &str| -> Result<RuleDoc> {
            let d = raw
                .doc
                .get(l)
                .cloned()
                .ok_or_else(|| anyhow!("{origin}: missing [doc.{l}]"))?;
            for (name, v) in [
                ("what", &d.what),
                ("why", &d.why),
                ("example", &d.example),
                ("better", &d.better),
                ("exceptions", &d.exceptions),
            ] {
                if v.trim().is_empty() {
                    bail!("{origin}: [doc.{l}] field '{name}' is empty");
                }
            }
            Ok(d)
        };
        let doc_nl = doc("nl")?;
        let doc_en = doc("en")?;
        let table_line = || match nth_line_starting(text, "[pattern]", 0) {
            Some(l) => format!("{origin}:{l}"),
            None => origin.to_string(),
        };
        let pattern = match (&raw.pattern, detector.as_str()) {
            (Some(p), "pattern") => Some(super::pattern::Compiled::new(p).map_err(|e| {
                let place = e.span.map(&at).unwrap_or_else(table_line);
                anyhow!("{place}: {}", e.message)
            })?),
            (None, "pattern") => bail!("{origin}: detector 'pattern' needs a [pattern] table"),
            (Some(_), _) => bail!(
                "{}: [pattern] is only for detector = \"pattern\"",
                table_line()
            ),
            (None, _) => None,
        };
        for (i, ex) in raw.examples.iter().enumerate() {
            let place = match nth_line_starting(text, "[[examples]]", i) {
                Some(l) => format!("{origin}:{l}"),
                None => origin.to_string(),
            };
            if Lang::parse(&ex.lang).is_none() {
                bail!("{place}: example {} has unknown lang '{}'", i + 1, ex.lang);
            }
            if ex.expect != "fire" && ex.expect != "pass" {
                bail!("{place}: example {} expect must be 'fire' or 'pass'", i + 1);
            }
        }
        for lang in ["nl", "en"] {
            for want in ["fire", "pass"] {
                if !raw
                    .examples
                    .iter()
                    .any(|e| e.lang == lang && e.expect == want)
                {
                    bail!("{origin}: needs at least one '{want}' example in '{lang}'");
                }
            }
        }
        Ok(RuleSpec {
            id,
            severity,
            category: raw.category,
            kind,
            detector,
            summary: raw.summary,
            message: raw.message,
            advice: raw.advice,
            doc_nl,
            doc_en,
            pattern,
            examples: raw.examples,
            origin: origin.to_string(),
        })
    }

    pub fn message(&self, lang: Lang) -> &str {
        self.message.get(lang)
    }

    pub fn doc(&self, lang: Lang) -> &RuleDoc {
        match lang {
            Lang::Nl => &self.doc_nl,
            Lang::En => &self.doc_en,
        }
    }

    /// Order in listings: call rules before coaching rules, by severity, then id order of the spec.
    pub fn order_key(&self) -> (u8, u8, usize, String) {
        const SPEC_ORDER: &[&str] = &[
            "premature-solving",
            "missing-summary",
            "missing-follow-up",
            "flight-reaction",
            "unheard-customer",
            "manager-request-deflected",
            "repeated-handoff",
            "hurried-handling",
            "leader-jumps-to-solution",
            "leader-labelling",
            "leader-pressure",
            "agent-quick-agreement",
        ];
        let pos = SPEC_ORDER
            .iter()
            .position(|x| *x == self.id)
            .unwrap_or(SPEC_ORDER.len());
        ((self.kind == Kind::Coaching) as u8, 0, pos, self.id.clone())
    }
}
