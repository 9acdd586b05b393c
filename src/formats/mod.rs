//! Input formats: detect a file's format from its content, parse it into a `Transcript`,
//! and resolve who is agent and who is customer.

pub mod assemblyai;
pub mod aws;
pub mod ccai;
pub mod deepgram;
pub mod json;
pub mod markdown;
pub mod native;
pub mod plain;
pub mod roles;
pub mod srt;
pub mod teams_txt;
pub mod turns;
pub mod util;
pub mod webvtt;
pub mod whisper;
pub mod zoom_chat;

use crate::transcript::Transcript;
use anyhow::{bail, Result};
use std::io::Read;
use std::path::Path;

/// Default largest input file accepted (64 MiB); `--max-size` changes it.
pub const DEFAULT_MAX_SIZE: u64 = 64 * 1024 * 1024;

/// How the user wants input read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `--input-format`: skip detection.
    pub format: Option<String>,
    /// `--agent NAME|LABEL|channel:N` (and config `[speakers]`): speaker key or name -> role.
    pub speakers: Vec<(String, crate::transcript::Role)>,
    /// Largest input accepted, in bytes; 0 means the default.
    pub max_size: u64,
}

impl ReadOptions {
    pub fn max_size(&self) -> u64 {
        if self.max_size == 0 {
            DEFAULT_MAX_SIZE
        } else {
            self.max_size
        }
    }
}

/// A parser for one format.
pub struct Format {
    pub name: &'static str,
    /// Cheap content sniff: does this text look like this format?
    pub detect: fn(&str) -> bool,
    /// Parse the whole text. JSON Lines yields several transcripts.
    pub parse: fn(&str, &str) -> Result<Vec<Transcript>>,
}

/// Every known format, in detection order (most specific first; plain text last).
pub fn registry() -> Vec<Format> {
    vec![
        // Specific JSON shapes first: the native callcoach JSON / JSON Lines.
        Format {
            name: "jsonl",
            detect: native::detect_lines,
            parse: native::parse_lines,
        },
        Format {
            name: "json",
            detect: native::detect,
            parse: native::parse_one,
        },
        Format {
            name: "contact-lens",
            detect: aws::detect_contact_lens,
            parse: aws::parse_contact_lens,
        },
        Format {
            name: "aws-call-analytics",
            detect: aws::detect_call_analytics,
            parse: aws::parse_call_analytics,
        },
        Format {
            name: "aws-transcribe",
            detect: aws::detect_transcribe,
            parse: aws::parse_transcribe,
        },
        Format {
            name: "deepgram",
            detect: deepgram::detect,
            parse: deepgram::parse,
        },
        Format {
            name: "assemblyai",
            detect: assemblyai::detect,
            parse: assemblyai::parse,
        },
        Format {
            name: "whisperx",
            detect: whisper::detect_whisperx,
            parse: whisper::parse_whisperx,
        },
        Format {
            name: "whisper",
            detect: whisper::detect_whisper,
            parse: whisper::parse_whisper,
        },
        Format {
            name: "ccai",
            detect: ccai::detect,
            parse: ccai::parse,
        },
        // Text formats with a clear signature.
        Format {
            name: "webvtt",
            detect: webvtt::detect,
            parse: webvtt::parse,
        },
        Format {
            name: "teams-txt",
            detect: teams_txt::detect,
            parse: teams_txt::parse,
        },
        Format {
            name: "srt",
            detect: srt::detect,
            parse: srt::parse,
        },
        Format {
            name: "zoom-chat",
            detect: zoom_chat::detect,
            parse: zoom_chat::parse,
        },
        // Plain text is the fallback.
        Format {
            name: "plain",
            detect: plain::detect,
            parse: plain::parse_many,
        },
    ]
}

/// Names of every known format, for `--input-format` and error messages.
pub fn format_names() -> Vec<&'static str> {
    registry().iter().map(|f| f.name).collect()
}

/// Read a file from disk (size-checked) and parse it.
pub fn read_path(path: &Path, opts: &ReadOptions) -> Result<Vec<Transcript>> {
    let cannot = |e: std::io::Error| anyhow::anyhow!("cannot read: {e}");
    // One look up of the path: a batch reads thousands of small files.
    let mut f = std::fs::File::open(path).map_err(cannot)?;
    let meta = f.metadata().map_err(cannot)?;
    if meta.is_dir() {
        bail!("is a directory");
    }
    let limit = opts.max_size();
    if meta.len() > limit {
        bail!(
            "file is {} bytes, larger than the limit of {} bytes (--max-size)",
            meta.len(),
            limit
        );
    }
    let bytes = read_sized(&mut f, meta.len(), limit).map_err(cannot)?;
    if markdown::is_markdown_path(path) {
        // Training material: the transcripts are the ```transcript blocks.
        return markdown::parse(decode(&bytes)?, &path.display().to_string(), opts);
    }
    parse_bytes(&bytes, &path.display().to_string(), opts)
}

/// The bytes of a file of `size` bytes (as its metadata says), at most `limit + 1` (one
/// more tells the caller it is too large). A regular file's short read is its end, so a
/// file that did not change costs one read, not a second one to meet the end.
fn read_sized(f: &mut std::fs::File, size: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    let want = size.min(limit) as usize + 1;
    let mut bytes = vec![0u8; want];
    let mut n = 0;
    while n < want {
        match f.read(&mut bytes[n..]) {
            Ok(0) => break,
            Ok(k) => {
                n += k;
                if n < want && n >= size as usize {
                    // Short of what was asked, with all the metadata promised: the end.
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(n);
    if n == want {
        // The file grew since its size was read: the rest, up to the limit.
        f.take(limit + 1 - n as u64).read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Decode bytes as UTF-8 text (a BOM is dropped), with a clear error for binary input.
pub fn decode(bytes: &[u8]) -> Result<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes[..bytes.len().min(8192)].contains(&0) {
        bail!("binary file (contains NUL bytes), not a transcript");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let upto = &bytes[..e.valid_up_to()];
            let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
            bail!(
                "invalid UTF-8 at line {line} (byte {}); save the file as UTF-8",
                e.valid_up_to()
            )
        }
    }
}

/// Parse bytes whose origin is `source` (a path, used in messages and the report).
pub fn parse_bytes(bytes: &[u8], source: &str, opts: &ReadOptions) -> Result<Vec<Transcript>> {
    if bytes.len() as u64 > opts.max_size() {
        bail!(
            "input is {} bytes, larger than the limit of {} bytes (--max-size)",
            bytes.len(),
            opts.max_size()
        );
    }
    let text = decode(bytes)?;
    if text.trim().is_empty() {
        bail!("empty file: no transcript in it");
    }
    let result = parse_text(text, source, opts);
    // The parsed JSON document is cached for detection and parsing; drop it now.
    json::clear_cache();
    result
}

fn parse_text(text: &str, source: &str, opts: &ReadOptions) -> Result<Vec<Transcript>> {
    let formats = registry();
    let chosen = match &opts.format {
        Some(name) => match formats.iter().find(|f| f.name == name.as_str()) {
            Some(f) => f,
            None => bail!(
                "unknown input format '{name}' (known: {})",
                format_names().join(", ")
            ),
        },
        None => match formats.iter().find(|f| (f.detect)(text)) {
            Some(f) => f,
            None => bail!(
                "unrecognised transcript format (tried: {}){}",
                format_names().join(", "),
                json_keys_note(text)
            ),
        },
    };
    let mut out = (chosen.parse)(text, source)?;
    for t in &mut out {
        if t.format.is_empty() {
            t.format = chosen.name.to_string();
        }
        if t.source.is_empty() {
            t.source = source.to_string();
        }
        roles::resolve(t, &opts.speakers)?;
    }
    Ok(out)
}

/// For JSON no parser knows: what the document holds, to help the user (or a bug report).
fn json_keys_note(text: &str) -> String {
    let Some(v) = json::sniff(text) else {
        return String::new();
    };
    match &*v {
        serde_json::Value::Object(m) => {
            let keys: Vec<&str> = m.keys().take(12).map(|k| k.as_str()).collect();
            let more = if m.len() > keys.len() { ", ..." } else { "" };
            format!(
                "; the JSON has the top-level keys: {}{more}",
                keys.join(", ")
            )
        }
        serde_json::Value::Array(a) => format!("; the JSON is an array of {} items", a.len()),
        _ => String::new(),
    }
}

/// A transcript's turns as (speaker, text), for parser tests.
#[cfg(test)]
pub(crate) fn speaker_texts(t: &Transcript) -> Vec<(&str, &str)> {
    t.turns
        .iter()
        .map(|x| (x.speaker.as_str(), x.text.as_str()))
        .collect()
}

#[cfg(test)]
mod read_tests {
    use super::read_sized;
    use std::io::Write;

    #[test]
    fn a_file_reads_whole_whatever_its_metadata_said() {
        let p = std::env::temp_dir().join(format!("callcoach-read-{}.txt", std::process::id()));
        std::fs::File::create(&p)
            .unwrap()
            .write_all(b"0123456789")
            .unwrap();
        let read = |size: u64, limit: u64| {
            read_sized(&mut std::fs::File::open(&p).unwrap(), size, limit).unwrap()
        };
        // As stated, grown since (stated smaller), shrunk since (stated larger).
        assert_eq!(read(10, 100), b"0123456789");
        assert_eq!(read(3, 100), b"0123456789");
        assert_eq!(read(20, 100), b"0123456789");
        // Over the limit: one byte more than it, so the caller can tell.
        assert_eq!(read(3, 5), b"012345");
        assert_eq!(read(0, 0), b"0");
        std::fs::remove_file(&p).unwrap();
    }
}
