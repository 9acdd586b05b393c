//! `callcoach.toml`: settings a team keeps beside its transcripts. For each input the
//! nearest one wins, walking up from the file's folder; `--config PATH` names one for every
//! input; `--isolated` uses none. Unknown keys, bad values and unknown rule ids are errors
//! that name the config file and line.
//!
//! ```toml
//! language = "nl"            # or "en"; default: detect
//! report-language = "nl"
//! rules-dirs = ["coaching-rules"]          # relative to this file
//! [rules]
//! select = ["premature-solving", "missing-summary"]   # default: all
//! ignore = ["hurried-handling"]
//! [rules.severity]
//! missing-summary = "error"
//! [per-path-ignores]
//! "bad-examples/**" = ["premature-solving"]           # globs relative to this file
//! [speakers]
//! "Sanne de Vries" = "agent"
//! ```

pub mod glob;

use crate::analysis::known_rule;
use crate::rules::spec::{line_col, toml_error};
use crate::rules::{RuleSet, Severity};
use crate::transcript::{Lang, Role};
use anyhow::{anyhow, bail, Result};
use glob::Glob;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = "callcoach.toml";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    language: Option<Spanned<String>>,
    #[serde(default)]
    report_language: Option<Spanned<String>>,
    #[serde(default)]
    rules_dirs: Vec<Spanned<String>>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    per_path_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    speakers: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// A rule id named in the config, kept with its line until the rule set is known.
#[derive(Debug, Clone)]
struct RuleRef {
    id: String,
    line: usize,
    place: String,
}

/// A loaded, checked `callcoach.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file, as shown in messages.
    pub path: PathBuf,
    /// Its folder (absolute): `rules-dirs` and globs are relative to it.
    pub dir: PathBuf,
    pub language: Option<Lang>,
    pub report_language: Option<Lang>,
    pub rules_dirs: Vec<PathBuf>,
    /// `[rules] select`; None (or empty) means all rules.
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub per_path_ignores: Vec<(Glob, Vec<String>)>,
    pub speakers: Vec<(String, Role)>,
    rule_refs: Vec<RuleRef>,
}

/// Lexically absolute and normalised (`.` and `..` resolved), without touching the disk.
pub fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path for messages: relative to the working folder when under it.
pub fn shown(p: &Path) -> PathBuf {
    let abs = absolute(p);
    match std::env::current_dir() {
        Ok(cwd) => abs.strip_prefix(&cwd).map(Path::to_path_buf).unwrap_or(abs),
        Err(_) => abs,
    }
}

/// The nearest `callcoach.toml` for an input: in its folder (the input itself when it is a
/// folder), then in each parent.
pub fn find_for(input: &Path) -> Option<PathBuf> {
    let abs = absolute(input);
    let start = if abs.is_dir() {
        abs.as_path()
    } else {
        abs.parent()?
    };
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|c| c.is_file())
}

fn parse_lang_value(
    v: &Spanned<String>,
    key: &str,
    at: &dyn Fn(usize) -> String,
) -> Result<Option<Lang>> {
    let s = v.get_ref().trim();
    if s.eq_ignore_ascii_case("detect") || s.eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    match Lang::parse(s) {
        Some(l) => Ok(Some(l)),
        None => bail!(
            "{}: {key} '{s}' must be \"nl\", \"en\" or \"detect\"",
            at(v.span().start)
        ),
    }
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow!("{}: cannot read config: {e}", shown(path).display()))?;
        Config::parse(&text, path)
    }

    /// Parse the text of the config file at `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let name = shown(path);
        let at = |offset: usize| format!("{}:{}", name.display(), line_col(text, offset).0);
        let raw: Raw =
            toml::from_str(text).map_err(|e| toml_error(&name.display().to_string(), text, &e))?;
        let dir = absolute(path)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut rule_refs = Vec::new();
        let mut note = |v: &Spanned<String>, place: &str| {
            rule_refs.push(RuleRef {
                id: v.get_ref().trim().to_string(),
                line: line_col(text, v.span().start).0,
                place: place.to_string(),
            });
        };
        let language = raw
            .language
            .as_ref()
            .map(|v| parse_lang_value(v, "language", &at))
            .transpose()?
            .flatten();
        let report_language = raw
            .report_language
            .as_ref()
            .map(|v| parse_lang_value(v, "report-language", &at))
            .transpose()?
            .flatten();
        let mut rules_dirs = Vec::new();
        for d in &raw.rules_dirs {
            if d.get_ref().trim().is_empty() {
                bail!("{}: an empty folder name in rules-dirs", at(d.span().start));
            }
            let p = dir.join(d.get_ref());
            if !p.is_dir() {
                bail!(
                    "{}: rules-dirs: '{}' is not a folder (relative to the config file)",
                    at(d.span().start),
                    d.get_ref()
                );
            }
            rules_dirs.push(p);
        }
        let select = raw.rules.select.as_ref().map(|v| {
            v.iter()
                .map(|s| {
                    note(s, "[rules] select");
                    s.get_ref().trim().to_string()
                })
                .collect::<Vec<_>>()
        });
        let ignore = raw
            .rules
            .ignore
            .iter()
            .map(|s| {
                note(s, "[rules] ignore");
                s.get_ref().trim().to_string()
            })
            .collect();
        let mut severity = BTreeMap::new();
        for (k, v) in &raw.rules.severity {
            note(k, "[rules.severity]");
            let sev = Severity::parse(v.get_ref()).ok_or_else(|| {
                anyhow!(
                    "{}: severity '{}' must be \"error\", \"warning\" or \"info\"",
                    at(v.span().start),
                    v.get_ref()
                )
            })?;
            severity.insert(k.get_ref().trim().to_string(), sev);
        }
        let mut per_path_ignores = Vec::new();
        for (k, ids) in &raw.per_path_ignores {
            let g = Glob::new(k.get_ref())
                .map_err(|e| anyhow!("{}: [per-path-ignores]: {e}", at(k.span().start)))?;
            let place = format!("[per-path-ignores] \"{}\"", k.get_ref());
            let ids = ids
                .iter()
                .map(|s| {
                    note(s, &place);
                    s.get_ref().trim().to_string()
                })
                .collect();
            per_path_ignores.push((g, ids));
        }
        let mut speakers = Vec::new();
        for (k, v) in &raw.speakers {
            let role = Role::parse(v.get_ref()).filter(|r| *r != Role::Unknown).ok_or_else(|| {
                anyhow!(
                    "{}: [speakers] role '{}' must be \"agent\", \"customer\", \"leader\" or \"other\"",
                    at(v.span().start),
                    v.get_ref()
                )
            })?;
            if k.get_ref().trim().is_empty() {
                bail!("{}: [speakers] an empty speaker name", at(k.span().start));
            }
            speakers.push((k.get_ref().trim().to_string(), role));
        }
        Ok(Config {
            path: name,
            dir,
            language,
            report_language,
            rules_dirs,
            select,
            ignore,
            severity,
            per_path_ignores,
            speakers,
            rule_refs,
        })
    }

    /// Every rule id the config names must exist in the rule set it is used with.
    pub fn check_rule_ids(&self, set: &RuleSet) -> Result<()> {
        for r in &self.rule_refs {
            if !known_rule(set, &r.id) {
                bail!(
                    "{}:{}: unknown rule '{}' in {} (known: {})",
                    self.path.display(),
                    r.line,
                    r.id,
                    r.place,
                    set.ids().join(", ")
                );
            }
        }
        Ok(())
    }

    /// The rules `[per-path-ignores]` switches off for this input (globs are relative to
    /// the config's folder; an input outside it matches none).
    pub fn ignored_for(&self, input: &Path) -> Vec<String> {
        let abs = absolute(input);
        let Ok(rel) = abs.strip_prefix(&self.dir) else {
            return Vec::new();
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let mut out: Vec<String> = Vec::new();
        for (g, ids) in &self.per_path_ignores {
            if g.matches(&rel) {
                for id in ids {
                    if !out.contains(id) {
                        out.push(id.clone());
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("/cfg/callcoach.toml"))
    }

    #[test]
    fn the_documented_shape_parses() {
        let c = parse(
            "language = \"nl\"\nreport-language = \"en\"\n[rules]\nselect = [\"premature-solving\"]\nignore = [\"hurried-handling\"]\n[rules.severity]\nmissing-summary = \"error\"\n[per-path-ignores]\n\"bad-examples/**\" = [\"premature-solving\"]\n[speakers]\n\"Sanne de Vries\" = \"agent\"\n",
        )
        .unwrap();
        assert_eq!(c.language, Some(Lang::Nl));
        assert_eq!(c.report_language, Some(Lang::En));
        assert_eq!(
            c.select.as_deref(),
            Some(&["premature-solving".to_string()][..])
        );
        assert_eq!(c.severity["missing-summary"], Severity::Error);
        assert_eq!(
            c.speakers,
            vec![("Sanne de Vries".to_string(), Role::Agent)]
        );
        assert_eq!(
            c.ignored_for(Path::new("/cfg/bad-examples/x/a.txt")),
            ["premature-solving"]
        );
        assert!(c.ignored_for(Path::new("/cfg/good/a.txt")).is_empty());
        assert!(c
            .ignored_for(Path::new("/elsewhere/bad-examples/a.txt"))
            .is_empty());
        c.check_rule_ids(&RuleSet::builtin()).unwrap();
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse("language = \"nl\"\n\n[rules]\nselct = [\"x\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("/cfg/callcoach.toml:4:1: unknown field `selct`"),
            "{e}"
        );
        let e = parse("colour = 1\n").unwrap_err().to_string();
        assert!(e.contains(":1:1: unknown field `colour`"), "{e}");
        let e = parse("language = \"fr\"\n").unwrap_err().to_string();
        assert!(e.contains("callcoach.toml:1: language 'fr'"), "{e}");
        let e = parse("[rules.severity]\nmissing-summary = \"fatal\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("callcoach.toml:2: severity 'fatal'"), "{e}");
        let e = parse("[speakers]\nBob = \"boss\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("callcoach.toml:2: [speakers] role 'boss'"),
            "{e}"
        );
        let c =
            parse("[rules]\nselect = [\"premature-solving\",\n  \"premature-solvin\"]\n").unwrap();
        let e = c
            .check_rule_ids(&RuleSet::builtin())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("callcoach.toml:3: unknown rule 'premature-solvin' in [rules] select"),
            "{e}"
        );
        let c = parse("[per-path-ignores]\n\"a/**\" = [\"nope\"]\n").unwrap();
        let e = c
            .check_rule_ids(&RuleSet::builtin())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("callcoach.toml:2: unknown rule 'nope' in [per-path-ignores] \"a/**\""),
            "{e}"
        );
        let c = parse("[rules.severity]\nnope = \"error\"\n").unwrap();
        assert!(c
            .check_rule_ids(&RuleSet::builtin())
            .unwrap_err()
            .to_string()
            .contains(":2: unknown rule 'nope'"));
    }
}
