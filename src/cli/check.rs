//! `callcoach check PATH...`: findings for files and folders, for scripts and CI.
//! `--format` picks what stdout gets; `--output FORMAT:PATH` (repeatable) writes more
//! formats to files in the same run, each written atomically.

use super::common::{analyse_path, parse_severity, require_inputs, InputArgs};
use super::settings::{self, Settings};
use crate::report::{
    self,
    style::{ColorChoice, Style},
    FileResult,
};
use crate::rules::{RuleSpec, Severity};
use crate::transcript::Lang;
use anyhow::{anyhow, Context, Result};
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One finding a line: `path:line: severity rule: message "quote"`.
    Text,
    /// The JSON report (shared/spec/json-report.md).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
}

/// `--output FORMAT:PATH`.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_output(s: &str) -> Result<Output, String> {
    let (f, p) = s
        .split_once(':')
        .ok_or_else(|| format!("'{s}': write FORMAT:PATH, e.g. sarif:coach.sarif"))?;
    let format = Format::from_str(f.trim(), true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        format!("unknown format '{f}' (use {})", names.join(", "))
    })?;
    if p.trim().is_empty() {
        return Err(format!("'{s}': no path after '{f}:'"));
    }
    Ok(Output {
        format,
        path: PathBuf::from(p),
    })
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Transcript files or folders (searched recursively).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Also write FORMAT to PATH (repeatable), e.g. --output sarif:coach.sarif.
    #[arg(long = "output", value_name = "FORMAT:PATH", value_parser = parse_output)]
    pub output: Vec<Output>,
    /// Lowest severity shown.
    #[arg(long = "min-level", value_parser = parse_severity, default_value = "info")]
    pub min_level: Severity,
    /// Lowest severity that makes the exit status 1.
    #[arg(long = "fail-on", value_parser = parse_severity, default_value = "error")]
    pub fail_on: Severity,
    /// Exit 0 even when findings reach --fail-on (errors reading input still exit 2).
    #[arg(long = "exit-zero")]
    pub exit_zero: bool,
    /// Colour for text on stdout: auto (a terminal, NO_COLOR unset), always, never.
    /// Machine formats are never coloured.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// Everything a printer may need.
pub struct Report<'a> {
    pub results: &'a [FileResult],
    pub min_level: Severity,
    /// The distinct settings in use (for the rules SARIF describes).
    pub settings: &'a [Arc<Settings>],
    /// The language of rule documentation (SARIF).
    pub lang: Lang,
}

impl Report<'_> {
    /// The active rules over every config in use, each once, in listing order.
    fn rules(&self) -> Vec<RuleSpec> {
        let mut out: Vec<RuleSpec> = Vec::new();
        for s in self.settings {
            for r in s.active_rules() {
                if !out.iter().any(|x| x.id == r.id) {
                    out.push(r);
                }
            }
        }
        out.sort_by_key(|r| r.order_key());
        out
    }

    pub fn render(&self, format: Format, style: Style) -> String {
        let (r, min) = (self.results, self.min_level);
        match format {
            Format::Text => report::text::render(r, min, style),
            Format::Json => report::json::render(r, min),
            Format::Sarif => {
                let pseudo = self.settings.iter().any(|s| s.reports_unused());
                report::sarif::render(r, min, &self.rules(), pseudo, self.lang)
            }
            Format::Junit => report::junit::render(r, min),
            Format::Github => report::github::render(r, min),
            Format::Gitlab => report::gitlab::render(r, min),
        }
    }
}

/// Write a file so a reader never sees half of it: a temporary file in the same folder,
/// then a rename over the target.
pub fn write_atomic(path: &Path, content: &str) -> Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| anyhow!("{}: not a file name", path.display()))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("{}: cannot create folder", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::write(&tmp, content).and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(anyhow!("{}: cannot write: {e}", path.display()));
    }
    Ok(())
}

pub fn run(a: Args) -> Result<i32> {
    require_inputs(&a.paths)?;
    let plan = settings::plan(&a.paths, &a.input)?;
    if plan.is_empty() {
        eprintln!("callcoach: no transcripts found in the given folders");
    }
    let results: Vec<FileResult> = plan.iter().flat_map(|(p, s)| analyse_path(p, s)).collect();
    for r in &results {
        for w in r.analysis.iter().flat_map(|a| &a.warnings) {
            eprintln!("{}: note: {w}", r.path);
        }
    }
    let all = settings::distinct(&plan);
    let lang = a
        .input
        .report_lang
        .or_else(|| all.first().and_then(|s| s.opts.report_lang))
        .unwrap_or(Lang::En);
    let rep = Report {
        results: &results,
        min_level: a.min_level,
        settings: &all,
        lang,
    };
    for o in &a.output {
        write_atomic(&o.path, &rep.render(o.format, Style::plain()))?;
    }
    let style = match a.format {
        Format::Text => Style::for_stdout(a.color),
        _ => Style::plain(),
    };
    print!("{}", rep.render(a.format, style));
    let hidden = results
        .iter()
        .filter_map(|r| r.analysis.as_ref())
        .flat_map(|an| &an.findings)
        .filter(|f| f.severity >= a.fail_on && f.severity < a.min_level)
        .count();
    if hidden > 0 && !a.exit_zero {
        eprintln!(
            "callcoach: {hidden} finding(s) at or above --fail-on {} are below --min-level {} and not shown",
            a.fail_on.as_str(),
            a.min_level.as_str()
        );
    }
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
