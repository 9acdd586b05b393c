//! What each input is analysed with: the command-line flags merged over the nearest
//! `callcoach.toml` (or the one `--config` names, or none with `--isolated`).
//!
//! Merging, flags over config: `--lang`/`--report-lang` replace `language`/`report-language`;
//! `--select` replaces `[rules] select` (and re-enables a rule the config ignores);
//! `--ignore` adds to `[rules] ignore`; `--rules` folders are added after `rules-dirs`
//! (so they override by id); `--agent`/`--customer` come before `[speakers]`.

use super::common::{expand_inputs, InputArgs};
use crate::analysis::{check_rule_id, Options, UNUSED_SUPPRESSION};
use crate::config::{self, Config};
use crate::formats::ReadOptions;
use crate::rules::{RuleSet, RuleSpec};
use anyhow::Result;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rules, options and reading options for the inputs under one config (or none).
#[derive(Debug)]
pub struct Settings {
    pub config: Option<Config>,
    pub set: RuleSet,
    /// The merged options, before `[per-path-ignores]` (see `options_for`).
    pub opts: Options,
    pub read: ReadOptions,
}

impl Settings {
    pub fn new(cli: &InputArgs, config: Option<Config>) -> Result<Settings> {
        let mut set = RuleSet::builtin();
        if let Some(c) = &config {
            for d in &c.rules_dirs {
                set.add_dir(d)?;
            }
        }
        for d in &cli.rules {
            set.add_dir(d)?;
        }
        if let Some(c) = &config {
            c.check_rule_ids(&set)?;
        }
        for id in cli.select.iter().chain(&cli.ignore) {
            check_rule_id(&set, id)?;
        }
        let mut opts = cli.options();
        let mut read = cli.read_options();
        if let Some(c) = &config {
            opts.lang = opts.lang.or(c.language);
            opts.report_lang = opts.report_lang.or(c.report_language);
            if cli.select.is_empty() {
                opts.select = c.select.clone().unwrap_or_default();
            }
            let mut ignore: Vec<String> = c
                .ignore
                .iter()
                .filter(|id| !cli.select.contains(id))
                .cloned()
                .collect();
            ignore.extend(cli.ignore.iter().cloned());
            opts.ignore = ignore;
            opts.severity = c.severity.clone();
            read.speakers.extend(c.speakers.iter().cloned());
        }
        Ok(Settings {
            config,
            set,
            opts,
            read,
        })
    }

    /// The options for one input: `[per-path-ignores]` that match it are added.
    pub fn options_for(&self, input: &Path) -> Options {
        let mut opts = self.opts.clone();
        if let Some(c) = &self.config {
            for id in c.ignored_for(input) {
                if !opts.ignore.contains(&id) {
                    opts.ignore.push(id);
                }
            }
        }
        opts
    }

    /// The rules this run uses under these settings (before per-path ignores).
    pub fn active_rules(&self) -> Vec<RuleSpec> {
        self.opts.active_rules(&self.set)
    }

    /// Is the unused-suppression pseudo-rule on?
    pub fn reports_unused(&self) -> bool {
        self.opts.wants(UNUSED_SUPPRESSION)
    }
}

/// Finds and caches the settings for each input.
pub struct Resolver<'a> {
    cli: &'a InputArgs,
    /// `--config` or `--isolated`: one for every input.
    fixed: Option<Arc<Settings>>,
    /// Nearest config file per folder searched from.
    nearest: HashMap<PathBuf, Option<PathBuf>>,
    by_config: HashMap<PathBuf, Arc<Settings>>,
    without: Option<Arc<Settings>>,
}

impl<'a> Resolver<'a> {
    pub fn new(cli: &'a InputArgs) -> Result<Resolver<'a>> {
        let fixed = if cli.isolated {
            Some(Arc::new(Settings::new(cli, None)?))
        } else if let Some(p) = &cli.config {
            Some(Arc::new(Settings::new(cli, Some(Config::load(p)?))?))
        } else {
            None
        };
        Ok(Resolver {
            cli,
            fixed,
            nearest: HashMap::new(),
            by_config: HashMap::new(),
            without: None,
        })
    }

    pub fn for_input(&mut self, input: &Path) -> Result<Arc<Settings>> {
        if let Some(s) = &self.fixed {
            return Ok(s.clone());
        }
        let abs = config::absolute(input);
        let key = if abs.is_dir() {
            abs.clone()
        } else {
            abs.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let found = match self.nearest.get(&key) {
            Some(f) => f.clone(),
            None => {
                let f = config::find_for(&abs);
                self.nearest.insert(key, f.clone());
                f
            }
        };
        match found {
            None => {
                if self.without.is_none() {
                    self.without = Some(Arc::new(Settings::new(self.cli, None)?));
                }
                Ok(self.without.clone().expect("just set"))
            }
            Some(path) => {
                if let Some(s) = self.by_config.get(&path) {
                    return Ok(s.clone());
                }
                let s = Arc::new(Settings::new(self.cli, Some(Config::load(&path)?))?);
                self.by_config.insert(path, s.clone());
                Ok(s)
            }
        }
    }
}

/// The inputs (folders expanded, sorted) each with its settings. A config error stops the
/// run: every input under that config would be judged by the wrong rules.
pub fn plan(paths: &[PathBuf], cli: &InputArgs) -> Result<Vec<(PathBuf, Arc<Settings>)>> {
    let mut r = Resolver::new(cli)?;
    expand_inputs(paths)
        .into_iter()
        .map(|p| {
            let s = r.for_input(&p)?;
            Ok((p, s))
        })
        .collect()
}

/// The distinct settings of a plan, in first-use order (for rule listings such as SARIF's).
pub fn distinct(plan: &[(PathBuf, Arc<Settings>)]) -> Vec<Arc<Settings>> {
    let mut out: Vec<Arc<Settings>> = Vec::new();
    for (_, s) in plan {
        if !out.iter().any(|x| Arc::ptr_eq(x, s)) {
            out.push(s.clone());
        }
    }
    out
}
