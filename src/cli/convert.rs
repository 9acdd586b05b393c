//! `callcoach convert FILE --to plain|json`: the transcript as callcoach reads it — format
//! detected, turns built, roles resolved — without coaching.

use super::common::InputArgs;
use crate::formats::{self, util::clock};
use crate::transcript::Transcript;
use anyhow::{anyhow, Result};
use serde_json::{json, Value};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Plain,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The transcript file.
    pub file: PathBuf,
    /// Output: plain dialogue text or JSON.
    #[arg(long, value_enum, default_value = "plain")]
    pub to: To,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(a: Args) -> Result<i32> {
    let read = a.input.read_options();
    let ts =
        formats::read_path(&a.file, &read).map_err(|e| anyhow!("{}: {e:#}", a.file.display()))?;
    for t in &ts {
        for w in &t.warnings {
            eprintln!("callcoach: warning: {}: {w}", t.source);
        }
    }
    let out = match a.to {
        To::Plain => ts.iter().map(to_plain).collect::<Vec<_>>().join("\n"),
        To::Json => {
            let v: Vec<Value> = ts.iter().map(to_json).collect();
            let doc = if v.len() == 1 {
                v.into_iter().next().unwrap_or(Value::Null)
            } else {
                Value::Array(v)
            };
            let mut s = serde_json::to_string_pretty(&doc)?;
            s.push('\n');
            s
        }
    };
    print!("{out}");
    Ok(0)
}

/// `# format:` / `# roles:` headers, then `[hh:mm:ss] Speaker (role): text` lines.
pub fn to_plain(t: &Transcript) -> String {
    let mut out = String::new();
    if let Some(id) = &t.id {
        let _ = writeln!(out, "# id: {id}");
    }
    let _ = writeln!(out, "# format: {}", t.format);
    let _ = writeln!(out, "# roles: {}", t.roles.as_str());
    if let Some(l) = t.language {
        let _ = writeln!(out, "# lang: {}", l.as_str());
    }
    for turn in &t.turns {
        if let Some(s) = turn.start {
            let _ = write!(out, "[{}] ", clock(s));
        }
        if !turn.speaker.is_empty() {
            let _ = write!(out, "{} ", turn.speaker);
        }
        let _ = writeln!(out, "({}): {}", turn.role().as_str(), turn.text);
    }
    out
}

pub fn to_json(t: &Transcript) -> Value {
    let turns: Vec<Value> = t
        .turns
        .iter()
        .map(|x| {
            json!({
                "speaker": x.speaker,
                "role": x.role().as_str(),
                "text": x.text,
                "start": x.start,
                "end": x.end,
                "line": x.line,
            })
        })
        .collect();
    json!({
        "id": t.id,
        "source": t.source,
        "format": t.format,
        "roles": t.roles.as_str(),
        "language": t.language.map(|l| l.as_str()),
        "turns": turns,
        "warnings": t.warnings,
    })
}
