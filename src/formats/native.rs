//! callcoach's own JSON shape, one transcript per file (`json`) or one per line
//! (`jsonl`, JSON Lines):
//!
//! ```json
//! {"id": "call-1", "agent": "Sanne", "date": "2026-11-02", "lang": "nl",
//!  "turns": [{"speaker": "agent", "text": "Goedemorgen ...", "start": 0.0, "end": 3.1, "role": "agent"}]}
//! ```
//!
//! Only `turns` (with `speaker` and `text`) is required. Other top-level fields with a
//! string or number value are kept as headers. For JSON Lines, [`for_each_record`] streams
//! a file line by line so a broken line costs only that line and a large file is never
//! held in memory at once; [`LineReader`] is the same stream for callers that parse lines
//! themselves (the batch runner, in parallel).

use crate::transcript::{Kind, Lang, Role, Transcript, Turn};
use anyhow::{anyhow, bail, Result};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use std::io::BufRead;

#[derive(Deserialize)]
struct RawRecord {
    #[serde(default, deserialize_with = "opt_scalar")]
    id: Option<String>,
    turns: Vec<RawTurn>,
    #[serde(default, deserialize_with = "opt_scalar")]
    agent: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar")]
    date: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar", alias = "language")]
    lang: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar")]
    customer: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar")]
    leader: Option<String>,
}

#[derive(Deserialize)]
struct RawTurn {
    #[serde(default, deserialize_with = "opt_scalar")]
    speaker: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar")]
    text: Option<String>,
    #[serde(default, deserialize_with = "opt_seconds")]
    start: Option<f64>,
    #[serde(default, deserialize_with = "opt_seconds")]
    end: Option<f64>,
    #[serde(default, deserialize_with = "opt_scalar")]
    role: Option<String>,
}

/// A string, number or boolean as a string; null as none. Objects and arrays are an error.
fn opt_scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string, a number or null")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_option(V)
}

/// Seconds as a number or a numeric string (`"1.84"`, as AWS writes them); null as none.
fn opt_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match opt_scalar(d)? {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("'{s}' is not a number of seconds"))),
    }
}

/// Does this text look like a native JSON transcript: it opens with `{` and has a
/// `"turns"` key near the start?
pub fn detect(text: &str) -> bool {
    let t = text.trim_start();
    if !t.starts_with('{') {
        return false;
    }
    let head = &t.as_bytes()[..t.len().min(1 << 20)];
    memfind(head, b"\"turns\"")
}

/// JSON Lines: the first non-empty line is a whole object with `"turns"`, and another line follows.
pub fn detect_lines(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    first.starts_with('{')
        && first.ends_with('}')
        && memfind(first.as_bytes(), b"\"turns\"")
        && lines.next().is_some_and(|l| l.starts_with('{'))
}

/// The same test on the first bytes of a file (without reading all of it): is it JSON Lines?
pub fn sniff_lines(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.trim_ascii())
        .filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    if !first.starts_with(b"{") || !memfind(first, b"\"turns\"") {
        return false;
    }
    // The first line may be cut off by the end of `head`: then it is long, and a complete
    // first line must end in '}'. A short head that is one line is one JSON object.
    match lines.next() {
        Some(second) => first.ends_with(b"}") && second.starts_with(b"{"),
        None => false,
    }
}

fn memfind(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// `json`: one transcript in the file.
pub fn parse_one(text: &str, source: &str) -> Result<Vec<Transcript>> {
    Ok(vec![parse_record(text.trim(), source, None)?])
}

/// `jsonl`: every non-empty line is a transcript; the first broken line fails the whole
/// text (the batch runner uses [`for_each_record`] or [`LineReader`] instead, which
/// keep going).
pub fn parse_lines(text: &str, source: &str) -> Result<Vec<Transcript>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let label = format!("{source}:{}", i + 1);
        out.push(
            parse_record(line, &label, Some(i + 1))
                .map_err(|e| anyhow!("line {}: {e:#}", i + 1))?,
        );
    }
    if out.is_empty() {
        bail!("no records in the JSON Lines file");
    }
    Ok(out)
}

/// The string without white space around it (no copy when there is none).
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_string()
    }
}

/// Parse one JSON record. `source` becomes `Transcript.source`; `line` (JSON Lines) is
/// given to every turn as the line where its record starts.
pub fn parse_record(text: &str, source: &str, line: Option<usize>) -> Result<Transcript> {
    let raw: RawRecord = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        // serde_json appends " at line L column C": for one-line records the column is the
        // useful part.
        anyhow!("invalid JSON transcript: {msg}")
    })?;
    if raw.turns.is_empty() {
        bail!("no turns: \"turns\" is empty");
    }
    let mut t = Transcript {
        source: source.to_string(),
        format: if line.is_some() { "jsonl" } else { "json" }.to_string(),
        ..Default::default()
    };
    let mut any_role = false;
    for (i, rt) in raw.turns.into_iter().enumerate() {
        let text = rt.text.unwrap_or_default();
        let speaker = rt.speaker.unwrap_or_default();
        let role = match rt.role.as_deref() {
            None => None,
            Some(r) => Some(Role::parse(r).ok_or_else(|| {
                anyhow!(
                    "turn {}: unknown role '{r}' (use agent, customer, leader or other)",
                    i + 1
                )
            })?),
        };
        any_role |= role.is_some();
        if let (Some(s), Some(e)) = (rt.start, rt.end) {
            if e < s {
                bail!("turn {}: end {e} is before start {s}", i + 1);
            }
        }
        t.turns.push(Turn {
            speaker: trimmed(speaker),
            role,
            text: trimmed(text),
            line,
            start: rt.start,
            end: rt.end,
            expects: Vec::new(),
            suppressions: Vec::new(),
        });
    }
    if !any_role && t.turns.iter().all(|x| x.speaker.is_empty()) {
        t.warnings
            .push("no speaker in any turn: agent and customer cannot be told apart".to_string());
    } else if !any_role {
        let speakers = t.speakers();
        if speakers.len() < 2 {
            bail!(
                "only one speaker ('{}'): a call needs at least two",
                speakers.first().copied().unwrap_or("")
            );
        }
    }
    for (k, v) in [
        ("id", &raw.id),
        ("agent", &raw.agent),
        ("date", &raw.date),
        ("lang", &raw.lang),
        ("kind", &raw.kind),
        ("customer", &raw.customer),
        ("leader", &raw.leader),
    ] {
        if let Some(v) = v {
            t.headers.insert(k.to_string(), v.clone());
        }
    }
    t.id = raw.id;
    t.agent_name = raw
        .agent
        .as_deref()
        .map(|a| a.split([',', ';']).next().unwrap_or("").trim().to_string())
        .filter(|a| !a.is_empty());
    t.language = match raw.lang.as_deref() {
        None => None,
        Some(l) => {
            Some(Lang::parse(l).ok_or_else(|| anyhow!("unknown language '{l}' (use nl or en)"))?)
        }
    };
    t.kind = raw.kind.as_deref().map(|k| {
        if k.trim().eq_ignore_ascii_case("coaching") {
            Kind::Coaching
        } else {
            Kind::Call
        }
    });
    Ok(t)
}

/// One line of a JSON Lines stream, as read: its 1-based number and its bytes, or why it
/// could not be read (too long, an I/O error).
pub struct RawLine {
    pub line: usize,
    pub bytes: Result<Vec<u8>, String>,
}

/// Reads a JSON Lines stream line by line with a bounded line length, skipping blank
/// lines. Memory use is one line (at most `max_line` bytes) whatever the file's size.
pub struct LineReader<R: BufRead> {
    reader: R,
    line: usize,
    max_line: usize,
    done: bool,
    /// Bytes consumed so far (for progress).
    pub bytes_read: u64,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(reader: R, max_line: u64) -> Self {
        LineReader {
            reader,
            line: 0,
            max_line: max_line.min(usize::MAX as u64) as usize,
            done: false,
            bytes_read: 0,
        }
    }

    /// Read the next non-blank line into `buf` (cleared first). Returns the line number,
    /// `Ok(None)` at the end, or an error for this line (the stream goes on after it,
    /// except after an I/O error, which ends it).
    pub fn next_into(&mut self, buf: &mut Vec<u8>) -> Option<(usize, Result<(), String>)> {
        loop {
            if self.done {
                return None;
            }
            buf.clear();
            self.line += 1;
            let mut too_long = false;
            let mut got_any = false;
            loop {
                let chunk = match self.reader.fill_buf() {
                    Ok(c) => c,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.done = true;
                        return Some((self.line, Err(format!("cannot read: {e}"))));
                    }
                };
                if chunk.is_empty() {
                    self.done = true;
                    break;
                }
                got_any = true;
                let (take, found) = match memchr::memchr(b'\n', chunk) {
                    Some(i) => (i + 1, true),
                    None => (chunk.len(), false),
                };
                if !too_long {
                    let body = if found { &chunk[..take - 1] } else { chunk };
                    if buf.len() + body.len() > self.max_line {
                        too_long = true;
                        buf.clear();
                    } else {
                        buf.extend_from_slice(body);
                    }
                }
                self.reader.consume(take);
                self.bytes_read += take as u64;
                if found {
                    break;
                }
            }
            if !got_any {
                return None;
            }
            if too_long {
                return Some((
                    self.line,
                    Err(format!(
                        "line is longer than the limit of {} bytes (--max-size)",
                        self.max_line
                    )),
                ));
            }
            if buf.ends_with(b"\r") {
                buf.pop();
            }
            if self.line == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
                buf.drain(..3);
            }
            if buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            return Some((self.line, Ok(())));
        }
    }
}

impl<R: BufRead> Iterator for LineReader<R> {
    type Item = RawLine;
    fn next(&mut self) -> Option<RawLine> {
        let mut buf = Vec::new();
        let (line, r) = self.next_into(&mut buf)?;
        Some(RawLine {
            line,
            bytes: r.map(|_| buf),
        })
    }
}

/// Parse one raw JSON Lines line from `path` into a transcript whose source is `path:LINE`
/// (roles resolved as for any other input).
pub fn parse_line(
    bytes: &[u8],
    path: &str,
    line: usize,
    opts: &super::ReadOptions,
) -> Result<Transcript> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "invalid UTF-8 at byte {} of the line; save the file as UTF-8",
            e.valid_up_to()
        )
    })?;
    let mut t = parse_record(text, &format!("{path}:{line}"), Some(line))?;
    super::roles::resolve(&mut t, &opts.speakers)?;
    Ok(t)
}

/// Stream the records of a JSON Lines reader: `f(line, record)` for every non-empty line,
/// in order, with an error for a line that cannot be read or parsed (the others go on).
/// `path` names the stream in each transcript's source (`path:LINE`).
pub fn for_each_record<R: BufRead>(
    reader: R,
    path: &str,
    opts: &super::ReadOptions,
    mut f: impl FnMut(usize, Result<Transcript>),
) {
    let mut lines = LineReader::new(reader, opts.max_size());
    let mut buf = Vec::new();
    while let Some((line, r)) = lines.next_into(&mut buf) {
        match r {
            Ok(()) => f(line, parse_line(&buf, path, line, opts)),
            Err(e) => f(line, Err(anyhow!(e))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{parse_bytes, ReadOptions};

    const REC: &str = r#"{"id": "c1", "agent": "Sanne", "date": "2026-11-02", "lang": "nl", "turns": [{"speaker": "agent", "text": "Goedemorgen, waarmee kan ik u helpen?", "start": 0, "end": 2.5}, {"speaker": "customer", "text": "Mijn modem doet het niet.", "start": "2.5"}]}"#;

    #[test]
    fn one_record() {
        let t = parse_record(REC, "x.json", None).unwrap();
        assert_eq!(t.id.as_deref(), Some("c1"));
        assert_eq!(t.agent_name.as_deref(), Some("Sanne"));
        assert_eq!(t.header("date"), Some("2026-11-02"));
        assert_eq!(t.language, Some(Lang::Nl));
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[1].start, Some(2.5));
        assert_eq!(t.turns[0].end, Some(2.5));
    }

    #[test]
    fn detection_and_registry() {
        assert!(detect(REC));
        assert!(!detect("Agent: {\"turns\"}"));
        let two = format!("{REC}\n{REC}\n");
        assert!(detect_lines(&two));
        assert!(!detect_lines(REC));
        assert!(sniff_lines(two.as_bytes()));
        assert!(!sniff_lines(REC.as_bytes()));
        let ts = parse_bytes(two.as_bytes(), "calls.jsonl", &ReadOptions::default()).unwrap();
        assert_eq!(ts.len(), 2);
        assert_eq!(ts[1].source, "calls.jsonl:2");
        assert_eq!(ts[1].format, "jsonl");
        assert_eq!(ts[0].turns[0].role, Some(Role::Agent));
        let one = parse_bytes(REC.as_bytes(), "c.json", &ReadOptions::default()).unwrap();
        assert_eq!(one[0].format, "json");
        assert_eq!(one[0].source, "c.json");
        // A pretty-printed file is JSON too.
        let pretty = "{\n  \"turns\": [\n {\"speaker\": \"Agent\", \"text\": \"Hi\"}, {\"speaker\": \"Klant\", \"text\": \"Hoi\"}]\n}\n";
        let p = parse_bytes(pretty.as_bytes(), "p.json", &ReadOptions::default()).unwrap();
        assert_eq!(p[0].turns[1].role, Some(Role::Customer));
    }

    #[test]
    fn streaming_keeps_going_after_a_broken_line() {
        let bad_utf8: &[u8] = b"{\"turns\": [{\"speaker\": \"agent\", \"text\": \"caf\xe9\"}]}";
        let mut input = Vec::new();
        input.extend_from_slice(REC.as_bytes());
        input.extend_from_slice(b"\n\n{\"id\": \"broken\", \"turns\": [\n");
        input.extend_from_slice(bad_utf8);
        input.extend_from_slice(b"\r\n{\"turns\": []}\n");
        input.extend_from_slice(REC.as_bytes());
        let mut seen = Vec::new();
        for_each_record(
            &input[..],
            "calls.jsonl",
            &ReadOptions::default(),
            |line, r| {
                seen.push((line, r.map(|t| t.source).map_err(|e| e.to_string())));
            },
        );
        assert_eq!(seen.len(), 5, "{seen:?}");
        assert_eq!(seen[0], (1, Ok("calls.jsonl:1".to_string())));
        assert_eq!(seen[1].0, 3);
        assert!(seen[1].1.as_ref().unwrap_err().contains("invalid JSON"));
        assert_eq!(seen[2].0, 4);
        assert!(seen[2].1.as_ref().unwrap_err().contains("UTF-8"));
        assert!(seen[3].1.as_ref().unwrap_err().contains("no turns"));
        assert_eq!(seen[4], (6, Ok("calls.jsonl:6".to_string())));
    }

    #[test]
    fn long_lines_are_an_error_for_that_line_only() {
        let long = format!("{{\"turns\": \"{}\"}}\n", "x".repeat(600));
        let input = format!("{long}{REC}\n");
        let opts = ReadOptions {
            max_size: 450,
            ..Default::default()
        };
        let mut seen = Vec::new();
        for_each_record(input.as_bytes(), "a.jsonl", &opts, |line, r| {
            seen.push((line, r.is_ok()))
        });
        assert_eq!(seen, vec![(1, false), (2, true)]);
    }

    #[test]
    fn bad_records_name_the_problem() {
        assert!(parse_record("{\"turns\": 3}", "x", None).is_err());
        let e = parse_record(
            r#"{"turns": [{"speaker": "a", "text": "x", "role": "boss"}]}"#,
            "x",
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown role"), "{e}");
        let e = parse_record(
            r#"{"turns": [{"speaker": "a", "text": "x"}, {"speaker": "a", "text": "y"}]}"#,
            "x",
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("one speaker"), "{e}");
        let e = parse_record(r#"{"turns": [{"speaker": "a", "text": "x", "start": 5, "end": 1}, {"speaker": "b", "text": "y"}]}"#, "x", None)
            .unwrap_err();
        assert!(e.to_string().contains("before start"), "{e}");
    }
}
