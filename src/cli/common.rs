//! What several commands share: input discovery, rule loading, reading options.

use super::settings::Settings;
use crate::analysis::{analyze, check_rule_id, check_suppressions, Options};
use crate::formats::{self, markdown, ReadOptions};
use crate::report::FileResult;
use crate::rules::{RuleSet, Severity};
use crate::transcript::{Lang, Role, Transcript};
use anyhow::{anyhow, bail, Result};
use std::path::{Path, PathBuf};

/// Flags for reading and analysing transcripts.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// Transcript language (default: detect per transcript).
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Language of messages and advice (default: the transcript's).
    #[arg(long = "report-lang", value_parser = parse_lang)]
    pub report_lang: Option<Lang>,
    /// Who the agent is: a name, a speaker label or channel:N (repeatable).
    #[arg(long = "agent")]
    pub agent: Vec<String>,
    /// Who the customer is: a name, a speaker label or channel:N (repeatable).
    #[arg(long = "customer")]
    pub customer: Vec<String>,
    /// Input format, skipping detection.
    #[arg(long = "input-format")]
    pub input_format: Option<String>,
    /// Largest input file in bytes (default 64 MiB).
    #[arg(long = "max-size", default_value_t = formats::DEFAULT_MAX_SIZE)]
    pub max_size: u64,
    /// Only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Leave these rules out (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Extra rule folders (rule files *.toml), added to or overriding the built-in rules.
    #[arg(long = "rules")]
    pub rules: Vec<PathBuf>,
    /// Use this config file for every input (default: the nearest callcoach.toml).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Use no config file at all.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

pub fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language '{s}' (use nl or en)"))
}

pub fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("unknown level '{s}' (use error, warning or info)"))
}

impl InputArgs {
    pub fn read_options(&self) -> ReadOptions {
        let mut speakers: Vec<(String, Role)> = self
            .agent
            .iter()
            .map(|a| (a.clone(), Role::Agent))
            .collect();
        speakers.extend(self.customer.iter().map(|c| (c.clone(), Role::Customer)));
        ReadOptions {
            format: self.input_format.clone(),
            speakers,
            max_size: self.max_size,
        }
    }

    /// The rule set from the flags alone (no config file; see `settings::Settings`).
    pub fn rule_set(&self) -> Result<RuleSet> {
        let mut set = RuleSet::builtin();
        for d in &self.rules {
            set.add_dir(d)?;
        }
        for id in self.select.iter().chain(&self.ignore) {
            check_rule_id(&set, id)?;
        }
        Ok(set)
    }

    pub fn options(&self) -> Options {
        Options {
            lang: self.lang,
            report_lang: self.report_lang,
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            severity: Default::default(),
            without_advice: false,
        }
    }
}

/// Expand files and directories (recursively, sorted) into the list of input files.
/// A path that does not exist is kept, so its error is reported in order.
pub fn expand_inputs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found);
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        // The entry's type comes with the listing; only a symbolic link needs a look at
        // what it points to.
        let dir = match e.file_type() {
            Ok(t) if t.is_symlink() => p.is_dir(),
            Ok(t) => t.is_dir(),
            Err(_) => p.is_dir(),
        };
        if dir {
            walk(&p, out);
        } else if is_transcript_name(&name) || is_training_markdown(&p) {
            out.push(p);
        }
    }
}

/// Files a directory walk picks up: transcripts by extension (not README.md, licences, ...).
pub fn is_transcript_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    matches!(
        ext,
        "txt" | "vtt" | "srt" | "json" | "jsonl" | "ndjson" | "transcript"
    ) && !lower.starts_with("license")
        && !lower.starts_with("sources")
}

/// Markdown training material is picked up by a folder walk only when it holds a
/// ```transcript block (so READMEs and notes are left alone).
fn is_training_markdown(p: &Path) -> bool {
    markdown::is_markdown_path(p)
        && std::fs::read_to_string(p).is_ok_and(|t| markdown::has_transcript_block(&t))
}

/// Read one input file and check its suppressions name known rules.
pub fn read_checked(path: &Path, settings: &Settings) -> Result<Vec<Transcript>> {
    let ts = formats::read_path(path, &settings.read)?;
    for t in &ts {
        check_suppressions(t, &settings.set)?;
    }
    Ok(ts)
}

/// Read and analyse one input file; every transcript in it becomes a result.
pub fn analyse_path(path: &Path, settings: &Settings) -> Vec<FileResult> {
    let name = path.display().to_string();
    let opts = settings.options_for(path);
    let rules = opts.active_rules(&settings.set);
    match read_checked(path, settings) {
        Err(e) => vec![FileResult::err(name, format!("{e:#}"))],
        Ok(ts) => {
            let many = ts.len() > 1;
            ts.into_iter()
                .map(|t| {
                    let label = if many { t.source.clone() } else { name.clone() };
                    FileResult::ok(label, analyze(&t, &rules, &opts)).in_file(&name)
                })
                .collect()
        }
    }
}

/// Fail with a clear message when nothing was given.
pub fn require_inputs(paths: &[PathBuf]) -> Result<()> {
    if paths.is_empty() {
        bail!("no input: give one or more transcript files or folders");
    }
    Ok(())
}

pub fn lang_or(l: Option<Lang>, default: Lang) -> Lang {
    l.unwrap_or(default)
}

pub fn no_such(path: &Path) -> anyhow::Error {
    anyhow!("{}: no such file or folder", path.display())
}
