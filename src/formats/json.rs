//! JSON helpers for the vendor formats: parse once for detection and parsing (a small
//! per-thread cache keyed by the text's hash), read loosely typed fields (Transcribe writes
//! numbers as strings), and find the source line where an array element starts, so findings
//! can point into the file.

use anyhow::{anyhow, Result};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

thread_local! {
    static CACHE: RefCell<Option<(usize, u64, Rc<Value>)>> = const { RefCell::new(None) };
}

fn key(text: &str) -> (usize, u64) {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    (text.len(), h.finish())
}

/// Does the text start like a JSON document (object or array)?
pub fn looks_like_json(text: &str) -> bool {
    matches!(
        text.trim_start().as_bytes().first(),
        Some(b'{') | Some(b'[')
    )
}

/// Parse the text as JSON, reusing the last parse of the same text on this thread.
pub fn load(text: &str) -> Result<Rc<Value>> {
    let k = key(text);
    if let Some(v) = CACHE.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(len, h, _)| (*len, *h) == k)
            .map(|(_, _, v)| v.clone())
    }) {
        return Ok(v);
    }
    let v: Value = serde_json::from_str(text).map_err(|e| {
        anyhow!(
            "invalid JSON at line {} column {}: {}",
            e.line(),
            e.column(),
            e
        )
    })?;
    let v = Rc::new(v);
    CACHE.with(|c| *c.borrow_mut() = Some((k.0, k.1, v.clone())));
    Ok(v)
}

/// For detection: the parsed document when the text is JSON, else `None`.
pub fn sniff(text: &str) -> Option<Rc<Value>> {
    if !looks_like_json(text) {
        return None;
    }
    load(text).ok()
}

/// Drop the cached document (after a file is parsed, to free its memory).
pub fn clear_cache() {
    CACHE.with(|c| *c.borrow_mut() = None);
}

/// A field as a number of seconds or milliseconds: a JSON number or a numeric string.
pub fn num(v: &Value) -> Option<f64> {
    let x = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty()
                || !s
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
            {
                return None;
            }
            s.parse().ok()?
        }
        _ => return None,
    };
    x.is_finite().then_some(x)
}

/// `obj[key]` as a number (see [`num`]).
pub fn num_at(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(num)
}

/// `obj[key]` as a string.
pub fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// `obj[key]` as an array (missing or null: empty).
pub fn arr_at<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.as_slice())
        .unwrap_or(&[])
}

/// A speaker value as a key: strings as they are, numbers as digits.
pub fn speaker_key(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One step of a path into a JSON document.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    Idx(usize),
}

/// Byte offsets (into `text`) of the elements of the array at `path`, or `None` when the
/// path does not lead to an array. One linear scan; call it only on text that parsed.
pub fn element_offsets(text: &str, path: &[Step]) -> Option<Vec<usize>> {
    let b = text.as_bytes();
    let mut pos = ws(b, 0);
    for step in path {
        pos = match *step {
            Step::Key(k) => find_member(b, pos, k)?,
            Step::Idx(n) => nth_element(b, pos, n)?,
        };
    }
    if b.get(pos) != Some(&b'[') {
        return None;
    }
    let mut out = Vec::new();
    let mut i = ws(b, pos + 1);
    if b.get(i) == Some(&b']') {
        return Some(out);
    }
    loop {
        out.push(i);
        i = ws(b, skip_value(b, i, 0)?);
        match b.get(i) {
            Some(b',') => i = ws(b, i + 1),
            Some(b']') => return Some(out),
            _ => return None,
        }
    }
}

/// Lines of the elements of the array at `path` (1-based), when it can be found.
pub fn element_lines(text: &str, lines: &LineIndex, path: &[Step]) -> Vec<usize> {
    element_offsets(text, path)
        .map(|v| v.into_iter().map(|o| lines.line(o)).collect())
        .unwrap_or_default()
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    // b[i] == '"'
    let mut j = i + 1;
    loop {
        match b.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

fn skip_value(b: &[u8], i: usize, depth: usize) -> Option<usize> {
    if depth > 256 {
        return None;
    }
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        open @ (b'{' | b'[') => {
            let close = if open == b'{' { b'}' } else { b']' };
            let mut j = ws(b, i + 1);
            if b.get(j) == Some(&close) {
                return Some(j + 1);
            }
            loop {
                if open == b'{' {
                    if b.get(j) != Some(&b'"') {
                        return None;
                    }
                    j = ws(b, skip_string(b, j)?);
                    if b.get(j) != Some(&b':') {
                        return None;
                    }
                    j = ws(b, j + 1);
                }
                j = ws(b, skip_value(b, j, depth + 1)?);
                match b.get(j)? {
                    b',' => j = ws(b, j + 1),
                    c if *c == close => return Some(j + 1),
                    _ => return None,
                }
            }
        }
        _ => {
            let mut j = i;
            while let Some(c) = b.get(j) {
                if matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

fn find_member(b: &[u8], i: usize, key: &str) -> Option<usize> {
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut j = ws(b, i + 1);
    if b.get(j) == Some(&b'}') {
        return None;
    }
    loop {
        if b.get(j) != Some(&b'"') {
            return None;
        }
        let end = skip_string(b, j)?;
        let name = b.get(j + 1..end - 1)?;
        j = ws(b, end);
        if b.get(j) != Some(&b':') {
            return None;
        }
        j = ws(b, j + 1);
        if name == key.as_bytes() {
            return Some(j);
        }
        j = ws(b, skip_value(b, j, 0)?);
        match b.get(j)? {
            b',' => j = ws(b, j + 1),
            _ => return None,
        }
    }
}

fn nth_element(b: &[u8], i: usize, n: usize) -> Option<usize> {
    if b.get(i) != Some(&b'[') {
        return None;
    }
    let mut j = ws(b, i + 1);
    let mut k = 0;
    loop {
        if b.get(j) == Some(&b']') {
            return None;
        }
        if k == n {
            return Some(j);
        }
        j = ws(b, skip_value(b, j, 0)?);
        match b.get(j)? {
            b',' => j = ws(b, j + 1),
            _ => return None,
        }
        k += 1;
    }
}

/// Byte offset to 1-based line number.
pub struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            newlines: text
                .bytes()
                .enumerate()
                .filter(|&(_, c)| c == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    pub fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&p| p < offset) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_lines() {
        let text = "{\n \"a\": {\"x\": \"[1,2]\"},\n \"list\": [\n  {\"t\": 1},\n  [2, 3],\n  \"s\\\"]\"\n ]\n}";
        let li = LineIndex::new(text);
        assert_eq!(
            element_lines(text, &li, &[Step::Key("list")]),
            vec![4, 5, 6]
        );
        assert_eq!(
            element_lines(text, &li, &[Step::Key("list"), Step::Idx(1)]),
            vec![5, 5]
        );
        assert!(element_offsets(text, &[Step::Key("nope")]).is_none());
        assert!(element_offsets(text, &[Step::Key("a")]).is_none());
    }

    #[test]
    fn loose_numbers() {
        assert_eq!(num(&Value::from("1.84")), Some(1.84));
        assert_eq!(num(&Value::from("NaN")), None);
        assert_eq!(num(&Value::from("inf")), None);
        assert_eq!(num(&Value::from(1500)), Some(1500.0));
        assert_eq!(num(&Value::from("1e999")), None);
    }

    #[test]
    fn cache_is_keyed_by_content() {
        let a = load("{\"a\":1}").unwrap();
        let b = load("{\"b\":1}").unwrap();
        assert!(a.get("a").is_some() && b.get("b").is_some());
        assert!(load("{").unwrap_err().to_string().contains("line 1"));
    }
}
