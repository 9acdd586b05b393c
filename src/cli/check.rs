//! `callcoach check PATH...`: findings for files and folders, for scripts and CI.

use super::common::{analyse_path, expand_inputs, parse_severity, require_inputs, InputArgs};
use crate::report::{
    self,
    style::{ColorChoice, Style},
    FileResult,
};
use crate::rules::Severity;
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Transcript files or folders (searched recursively).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Lowest severity shown.
    #[arg(long = "min-level", value_parser = parse_severity, default_value = "info")]
    pub min_level: Severity,
    /// Lowest severity that makes the exit status 1.
    #[arg(long = "fail-on", value_parser = parse_severity, default_value = "error")]
    pub fail_on: Severity,
    /// Exit 0 even when findings reach --fail-on (errors reading input still exit 2).
    #[arg(long = "exit-zero")]
    pub exit_zero: bool,
    /// Colour: auto (when stdout is a terminal and NO_COLOR is unset), always, never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(a: Args) -> Result<i32> {
    require_inputs(&a.paths)?;
    let set = a.input.rule_set()?;
    let opts = a.input.options();
    let rules = opts.active_rules(&set);
    let read = a.input.read_options();
    let files = expand_inputs(&a.paths);
    let results: Vec<FileResult> = files
        .iter()
        .flat_map(|p| analyse_path(p, &read, &rules, &opts))
        .collect();
    let out = match a.format {
        Format::Text => report::text::render(&results, a.min_level, Style::for_stdout(a.color)),
        Format::Json => report::json::render(&results, a.min_level),
    };
    print!("{out}");
    Ok(exit_code(&results, a.fail_on, a.exit_zero))
}

/// 2 when any input had an error, else 1 when a finding reaches `fail_on`, else 0.
pub fn exit_code(results: &[FileResult], fail_on: Severity, exit_zero: bool) -> i32 {
    if results.iter().any(|r| r.error.is_some()) {
        return 2;
    }
    let failing = results
        .iter()
        .filter_map(|r| r.analysis.as_ref())
        .flat_map(|a| &a.findings)
        .any(|f| f.severity >= fail_on);
    if failing && !exit_zero {
        1
    } else {
        0
    }
}
