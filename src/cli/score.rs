//! `callcoach score PATH...`: score a whole batch of calls — files, folders, JSON Lines,
//! `-` for JSON Lines on stdin — in parallel, streaming, with a row per call and the
//! aggregates per agent, per week and for the team.
//!
//! The runner reads inputs into ordered chunks of work (a file to read, or one JSON Lines
//! line), scores a chunk in parallel with rayon, then prints its rows in input order and
//! adds them to the aggregates before reading the next chunk. So output is the same
//! whatever `--jobs`, and memory holds one chunk, not the batch.

use super::common::{expand_inputs, parse_severity, require_inputs, InputArgs};
use crate::analysis::{analyze, Options};
use crate::formats::{self, native, ReadOptions};
use crate::report::batch::{normalise_date, Aggregates, GroupBy, Row, UNKNOWN_AGENT};
use crate::report::batch_out::{Csv, Json, JsonLines, Sink, Table};
use crate::report::dashboard::{Dashboard, RuleInfo};
use crate::rules::{RuleSpec, Severity};
use crate::transcript::Transcript;
use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use regex::Regex;
use std::io::{BufRead, BufReader, IsTerminal, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
    Jsonl,
    Html,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Transcript files, folders (searched recursively, sorted), JSON Lines files, or `-`
    /// for JSON Lines on stdin.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format: a table for the terminal, csv, json, jsonl (one row per call as it is
    /// done, then the aggregates), or an html dashboard.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write the report to FILE (atomically: a temporary file beside it, then a rename).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How the aggregates are grouped: per agent, per ISO week of the call's date, or not.
    #[arg(long = "group-by", value_enum, default_value = "agent")]
    pub group_by: GroupBy,
    /// The agent from the path when the call does not name one: a regular expression whose
    /// first capture group (or group named `agent`) is the name, e.g. 'calls/([^/]+)/' or
    /// '_([a-z]+)_\d+\.txt$'.
    #[arg(long = "agent-from-path", value_name = "REGEX")]
    pub agent_from_path: Option<String>,
    /// The date from the path when the call has none (`# date:` or JSON `date`): a regular
    /// expression whose first capture group (or group named `date`) is the date, e.g.
    /// '(\d{4}-\d{2}-\d{2})_'.
    #[arg(long = "date-from-path", value_name = "REGEX")]
    pub date_from_path: Option<String>,
    /// Parallel jobs (default: the number of cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Exit 1 when a finding reaches this level (default: findings never fail `score`).
    #[arg(long = "fail-on", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// The dashboard's list of calls to listen to first holds at most this many calls.
    #[arg(long = "listen-first", default_value_t = 200)]
    pub listen_first: usize,
}

/// Calls scored per parallel step: large enough to keep every core busy, small enough
/// that a chunk's rows take little memory.
const CHUNK: usize = 2048;

/// One unit of work, in input order.
enum Work {
    /// A file read and parsed whole (it may hold several transcripts).
    File(PathBuf),
    /// One line of a JSON Lines stream.
    Line {
        path: Arc<str>,
        line: usize,
        bytes: Vec<u8>,
    },
    /// An input that failed before any work (cannot open, broken line).
    Failed { source: String, message: String },
}

/// What every worker needs, shared read-only.
struct Ctx {
    rules: Vec<RuleSpec>,
    rule_ids: Vec<String>,
    opts: Options,
    read: ReadOptions,
    agent_re: Option<Regex>,
    date_re: Option<Regex>,
    keep_findings: bool,
}

fn capture(re: &Regex, name: &str, hay: &str) -> Option<String> {
    let c = re.captures(hay)?;
    let m = c.name(name).or_else(|| c.get(1)).or_else(|| c.get(0))?;
    let s = m.as_str().trim();
    (!s.is_empty()).then(|| s.to_string())
}

impl Ctx {
    fn row(&self, t: &Transcript, source: String, path: &str) -> Row {
        let a = analyze(t, &self.rules, &self.opts);
        let agent = t
            .agent_name
            .as_deref()
            .map(|a| a.split([',', ';']).next().unwrap_or("").trim().to_string())
            .filter(|a| !a.is_empty())
            .or_else(|| {
                self.agent_re
                    .as_ref()
                    .and_then(|re| capture(re, "agent", path))
            })
            .unwrap_or_else(|| UNKNOWN_AGENT.to_string());
        let date = t
            .header("date")
            .map(str::to_string)
            .or_else(|| {
                self.date_re
                    .as_ref()
                    .and_then(|re| capture(re, "date", path))
            })
            .map(|d| normalise_date(&d).unwrap_or(d));
        Row::from_analysis(&a, source, agent, date, &self.rule_ids, self.keep_findings)
    }

    fn run(&self, w: &Work) -> Vec<Row> {
        match w {
            Work::Failed { source, message } => vec![Row::error(source.clone(), message.clone())],
            Work::Line { path, line, bytes } => {
                match native::parse_line(bytes, path, *line, &self.read) {
                    Ok(t) => {
                        let source = t.source.clone();
                        vec![self.row(&t, source, path)]
                    }
                    Err(e) => vec![Row::error(format!("{path}:{line}"), format!("{e:#}"))],
                }
            }
            Work::File(p) => {
                let name = p.display().to_string();
                match formats::read_path(p, &self.read) {
                    Err(_) if !p.exists() => {
                        vec![Row::error(name, "no such file or folder".to_string())]
                    }
                    Err(e) => vec![Row::error(name, format!("{e:#}"))],
                    Ok(ts) => {
                        let many = ts.len() > 1;
                        ts.iter()
                            .map(|t| {
                                let label = if many { t.source.clone() } else { name.clone() };
                                self.row(t, label, &name)
                            })
                            .collect()
                    }
                }
            }
        }
    }
}

/// Where the report goes: stdout, or a temporary file renamed into place at the end.
struct Out {
    w: Box<dyn Write>,
    tmp: Option<(PathBuf, PathBuf)>,
}

impl Out {
    fn open(path: Option<&Path>) -> Result<Out> {
        let Some(path) = path else {
            return Ok(Out {
                w: Box::new(std::io::BufWriter::with_capacity(
                    1 << 16,
                    std::io::stdout(),
                )),
                tmp: None,
            });
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| anyhow!("{}: not a file name", path.display()))?;
        let tmp = dir.join(format!(
            ".{}.{}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let f = std::fs::File::create(&tmp)
            .with_context(|| format!("{}: cannot write", tmp.display()))?;
        Ok(Out {
            w: Box::new(std::io::BufWriter::with_capacity(1 << 16, f)),
            tmp: Some((tmp, path.to_path_buf())),
        })
    }

    /// Flush and, for a file, move it into place.
    fn finish(mut self) -> Result<()> {
        self.w.flush().context("cannot write the report")?;
        drop(self.w);
        if let Some((tmp, dest)) = self.tmp.take() {
            std::fs::rename(&tmp, &dest).with_context(|| {
                let _ = std::fs::remove_file(&tmp);
                format!("{}: cannot write", dest.display())
            })?;
        }
        Ok(())
    }

    fn abandon(self) {
        if let Some((tmp, _)) = &self.tmp {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// A progress bar on stderr (only when it is a terminal and not `--quiet`).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    calls: u64,
    start: std::time::Instant,
}

impl Progress {
    fn new(total_bytes: Option<u64>, show: bool) -> Progress {
        let bar = show.then(|| {
            let bar = match total_bytes {
                Some(n) => indicatif::ProgressBar::new(n),
                None => indicatif::ProgressBar::new_spinner(),
            };
            let tpl = if total_bytes.is_some() {
                "{bar:30} {percent:>3}% {bytes}/{total_bytes} {binary_bytes_per_sec} · {msg} · ETA {eta}"
            } else {
                "{spinner} {bytes} {binary_bytes_per_sec} · {msg}"
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(tpl) {
                bar.set_style(style);
            }
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
            bar
        });
        Progress {
            bar,
            calls: 0,
            start: std::time::Instant::now(),
        }
    }

    fn advance(&mut self, bytes: u64, calls: u64) {
        self.calls += calls;
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            let secs = self.start.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} calls, {:.0} calls/s",
                self.calls,
                self.calls as f64 / secs
            ));
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A JSON Lines stream being read: its name, its lines, whether it had any line yet.
type Stream<'a> = (Arc<str>, native::LineReader<Box<dyn BufRead + 'a>>, bool);

/// Feeds work in input order, one chunk at a time.
struct Feeder<'a> {
    inputs: std::vec::IntoIter<PathBuf>,
    /// The JSON Lines stream being read.
    stream: Option<Stream<'a>>,
    read: &'a ReadOptions,
    force_lines: bool,
    force_whole: bool,
    stdin_used: bool,
    /// Count the bytes of whole files (for the progress bar; a look at each file).
    sizes: bool,
}

impl<'a> Feeder<'a> {
    /// Might this file be JSON Lines, by its name and the options?
    fn may_be_lines(&self, p: &Path) -> bool {
        self.force_lines || (!self.force_whole && lines_ext(p).is_some())
    }

    /// Is this file, which `may_be_lines`, JSON Lines (to be streamed line by line)?
    fn is_lines(&self, p: &Path, f: &mut std::fs::File) -> bool {
        if self.force_lines {
            return true;
        }
        let Some(ext) = lines_ext(p) else {
            return false;
        };
        let mut head = vec![0u8; 64 * 1024];
        let n = read_up_to(f, &mut head).unwrap_or(0);
        head.truncate(n);
        let _ = f.rewind();
        let first = head
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&head)
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .copied();
        native::sniff_lines(&head) || (ext != "json" && first == Some(b'{'))
    }

    /// Fill `chunk` with up to CHUNK items; returns the bytes they cover.
    fn fill(&mut self, chunk: &mut Vec<Work>) -> u64 {
        let mut bytes = 0u64;
        while chunk.len() < CHUNK {
            if let Some((path, reader, any)) = &mut self.stream {
                let before = reader.bytes_read;
                let mut buf = Vec::new();
                match reader.next_into(&mut buf) {
                    Some((line, Ok(()))) => {
                        *any = true;
                        chunk.push(Work::Line {
                            path: path.clone(),
                            line,
                            bytes: buf,
                        });
                    }
                    Some((line, Err(message))) => {
                        *any = true;
                        chunk.push(Work::Failed {
                            source: format!("{path}:{line}"),
                            message,
                        });
                    }
                    None => {
                        if !*any {
                            chunk.push(Work::Failed {
                                source: path.to_string(),
                                message: "empty file: no transcript in it".to_string(),
                            });
                        }
                        self.stream = None;
                    }
                }
                if let Some((_, r, _)) = &self.stream {
                    bytes += r.bytes_read - before;
                }
                continue;
            }
            let Some(p) = self.inputs.next() else { break };
            if p.as_os_str() == "-" {
                if self.stdin_used {
                    chunk.push(Work::Failed {
                        source: "<stdin>".into(),
                        message: "stdin given twice".into(),
                    });
                    continue;
                }
                self.stdin_used = true;
                let r: Box<dyn BufRead> =
                    Box::new(BufReader::with_capacity(1 << 16, std::io::stdin()));
                self.stream = Some((
                    Arc::from("<stdin>"),
                    native::LineReader::new(r, self.read.max_size()),
                    false,
                ));
                continue;
            }
            if !self.may_be_lines(&p) {
                // Read whole by a worker, which reports a file it cannot read.
                if self.sizes {
                    bytes += std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
                }
                chunk.push(Work::File(p));
                continue;
            }
            match std::fs::File::open(&p) {
                // A worker reports a file it cannot open or read.
                Err(_) => chunk.push(Work::File(p)),
                Ok(mut f) => {
                    let meta = f.metadata();
                    let size = meta.as_ref().map_or(0, |m| m.len());
                    if meta.is_ok_and(|m| m.is_file()) && self.is_lines(&p, &mut f) {
                        let r: Box<dyn BufRead> = Box::new(BufReader::with_capacity(1 << 16, f));
                        self.stream = Some((
                            Arc::from(p.display().to_string()),
                            native::LineReader::new(r, self.read.max_size()),
                            false,
                        ));
                    } else {
                        bytes += size;
                        chunk.push(Work::File(p));
                    }
                }
            }
        }
        bytes
    }
}

/// The extension of a file that may be JSON Lines (lower case), if it has one.
fn lines_ext(p: &Path) -> Option<String> {
    let ext = p.extension()?.to_string_lossy().to_ascii_lowercase();
    matches!(ext.as_str(), "jsonl" | "ndjson" | "json").then_some(ext)
}

fn read_up_to(f: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

pub fn run(a: Args) -> Result<i32> {
    require_inputs(&a.paths)?;
    let set = a.input.rule_set()?;
    let mut opts = a.input.options();
    // Rows count findings; only the dashboard shows them, with their advice.
    opts.without_advice = a.format != Format::Html;
    let rules = opts.active_rules(&set);
    let rule_ids: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
    let compile = |flag: &str, re: &Option<String>| -> Result<Option<Regex>> {
        re.as_deref()
            .map(|r| {
                Regex::new(r).map_err(|e| anyhow!("--{flag}: invalid regular expression: {e}"))
            })
            .transpose()
    };
    let ctx = Ctx {
        agent_re: compile("agent-from-path", &a.agent_from_path)?,
        date_re: compile("date-from-path", &a.date_from_path)?,
        rules,
        rule_ids: rule_ids.clone(),
        opts,
        read: a.input.read_options(),
        keep_findings: a.format == Format::Html,
    };
    if let Some(f) = &ctx.read.format {
        if !formats::format_names().contains(&f.as_str()) {
            bail!(
                "unknown input format '{f}' (known: {})",
                formats::format_names().join(", ")
            );
        }
    }
    let jobs = a
        .jobs
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("cannot start worker threads")?;

    // Directories expand to files; `-` stays as it is.
    let mut inputs = Vec::new();
    for p in &a.paths {
        if p.as_os_str() == "-" {
            inputs.push(p.clone());
        } else {
            inputs.extend(expand_inputs(std::slice::from_ref(p)));
        }
    }
    let show = !a.quiet && std::io::stderr().is_terminal();
    // Sizes only feed the progress bar: without one, no file is looked at twice.
    let total_bytes: Option<u64> = if !show || inputs.iter().any(|p| p.as_os_str() == "-") {
        None
    } else {
        Some(
            inputs
                .iter()
                .filter_map(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
                .sum(),
        )
    };
    let mut progress = Progress::new(total_bytes, show);

    let mut sink: Box<dyn Sink> = match a.format {
        Format::Table => Box::new(Table {
            rule_ids: rule_ids.clone(),
            group_by: a.group_by,
        }),
        Format::Csv => Box::new(Csv::new(rule_ids.clone())),
        Format::Json => Box::new(Json {
            rule_ids: rule_ids.clone(),
            group_by: a.group_by,
            first: true,
        }),
        Format::Jsonl => Box::new(JsonLines {
            rule_ids: rule_ids.clone(),
            group_by: a.group_by,
        }),
        Format::Html => Box::new(Dashboard::new(
            a.input.report_lang,
            ctx.rules
                .iter()
                .map(|r| RuleInfo {
                    id: r.id.clone(),
                    severity: r.severity,
                    summary_nl: r.summary.nl.clone(),
                    summary_en: r.summary.en.clone(),
                })
                .collect(),
        )),
    };
    let drill = if a.format == Format::Html {
        a.listen_first
    } else {
        0
    };
    let mut agg = Aggregates::new(rule_ids, drill);
    let mut out = Out::open(a.output.as_deref())?;
    let read = ctx.read.clone();
    let mut feeder = Feeder {
        inputs: inputs.into_iter(),
        stream: None,
        read: &read,
        force_lines: ctx.read.format.as_deref() == Some("jsonl"),
        force_whole: ctx.read.format.as_deref().is_some_and(|f| f != "jsonl"),
        stdin_used: false,
        sizes: show,
    };
    let mut failing = false;
    let result = (|| -> Result<()> {
        sink.begin(&mut out.w)?;
        // While the pool scores one chunk, this thread writes the rows of the one before
        // and reads the next, so the cores do not wait on reading and writing.
        let mut write = |rows: Vec<Vec<Row>>, bytes: u64| -> Result<()> {
            let mut n = 0;
            for mut r in rows.into_iter().flatten() {
                n += 1;
                if let (Some(level), Some(worst)) = (a.fail_on, r.worst) {
                    failing |= worst >= level;
                }
                sink.row(&mut out.w, &r)?;
                agg.add(&mut r);
            }
            progress.advance(bytes, n);
            Ok(())
        };
        let mut chunk: Vec<Work> = Vec::with_capacity(CHUNK);
        let mut bytes = feeder.fill(&mut chunk);
        let mut done: Option<(Vec<Vec<Row>>, u64)> = None;
        while !chunk.is_empty() {
            let mut next: Vec<Work> = Vec::with_capacity(CHUNK);
            let (rows, next_bytes, written) = std::thread::scope(|s| {
                let scoring = s.spawn(|| {
                    pool.install(|| chunk.par_iter().map(|w| ctx.run(w)).collect::<Vec<_>>())
                });
                let written = done.take().map_or(Ok(()), |(r, b)| write(r, b));
                let next_bytes = feeder.fill(&mut next);
                let rows = scoring
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p));
                (rows, next_bytes, written)
            });
            written?;
            done = Some((rows, bytes));
            (chunk, bytes) = (next, next_bytes);
        }
        if let Some((rows, bytes)) = done {
            write(rows, bytes)?;
        }
        sink.end(&mut out.w, &agg)?;
        Ok(())
    })();
    progress.done();
    if let Err(e) = result {
        out.abandon();
        return Err(e);
    }
    out.finish()?;
    let errors = agg.team.errors;
    if errors > 0 {
        eprintln!(
            "callcoach: {errors} of {} inputs could not be scored (see the error rows)",
            errors + agg.team.calls
        );
        return Ok(2);
    }
    Ok(if failing { 1 } else { 0 })
}
