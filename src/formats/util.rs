//! Small helpers the parsers share: line splitting that tolerates CR, LF and CRLF, clock
//! times (`hh:mm:ss.mmm`, `0:0:3.5`, comma decimals, negative offsets), HTML entities and
//! language codes.

use crate::transcript::Lang;
use std::borrow::Cow;

/// The lines of a text, split on `\n`, `\r\n` or a lone `\r`. Line `i` of the result is
/// line `i + 1` of the file.
pub fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        out.push(&text[start..]);
    }
    out
}

/// A clock time as subtitles and transcripts write it: `hh:mm:ss.mmm`, `mm:ss.mmm`,
/// unpadded `0:0:3.5`, a comma decimal marker, or a leading `-` (Teams Graph offsets).
/// Returns seconds, or `None` when it is not a time.
pub fn parse_time(s: &str) -> Option<f64> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let mut total = 0.0f64;
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let v = if last {
            parse_seconds(p)?
        } else {
            parse_int(p)?
        };
        total = total * 60.0 + v;
    }
    if !total.is_finite() {
        return None;
    }
    Some(if neg { -total } else { total })
}

fn parse_int(p: &str) -> Option<f64> {
    if p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse::<u32>().ok().map(f64::from)
}

fn parse_seconds(p: &str) -> Option<f64> {
    let (int, frac) = match p.find(['.', ',']) {
        Some(i) => (&p[..i], &p[i + 1..]),
        None => (p, ""),
    };
    let whole = parse_int(int)?;
    if frac.is_empty() {
        return Some(whole);
    }
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let f: f64 = format!("0.{frac}").parse().ok()?;
    Some(whole + f)
}

/// A number that must be a finite value (JSON numbers can be huge; strings can say "NaN").
pub fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// `[hh:]mm:ss` for display, rounding down to whole seconds.
pub fn clock(secs: f64) -> String {
    let neg = secs < 0.0;
    let s = secs.abs().floor();
    let s = if s > 1e9 { 1e9 } else { s } as u64;
    format!(
        "{}{:02}:{:02}:{:02}",
        if neg { "-" } else { "" },
        s / 3600,
        (s / 60) % 60,
        s % 60
    )
}

/// A language code from format metadata (`en-US`, `nl`, `en_GB`) as a supported language.
/// Record a speech-to-text service's language code on a transcript: the language it
/// names (when Dutch or English) and the code itself as the `language` header.
pub fn set_language(t: &mut crate::transcript::Transcript, code: &str) {
    t.language = lang_code(code);
    t.headers.insert("language".into(), code.to_string());
}

pub fn lang_code(code: &str) -> Option<Lang> {
    let c = code.trim().to_ascii_lowercase();
    let base = c.split(['-', '_']).next().unwrap_or("");
    Lang::parse(base)
}

const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", " "),
    ("lrm", ""),
    ("rlm", ""),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("euro", "€"),
    ("aacute", "á"),
    ("agrave", "à"),
    ("acirc", "â"),
    ("auml", "ä"),
    ("atilde", "ã"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("ecirc", "ê"),
    ("euml", "ë"),
    ("iacute", "í"),
    ("igrave", "ì"),
    ("icirc", "î"),
    ("iuml", "ï"),
    ("oacute", "ó"),
    ("ograve", "ò"),
    ("ocirc", "ô"),
    ("ouml", "ö"),
    ("otilde", "õ"),
    ("uacute", "ú"),
    ("ugrave", "ù"),
    ("ucirc", "û"),
    ("uuml", "ü"),
    ("ntilde", "ñ"),
    ("ccedil", "ç"),
    ("szlig", "ß"),
    ("Eacute", "É"),
    ("Ouml", "Ö"),
    ("Uuml", "Ü"),
    ("Auml", "Ä"),
];

/// Decode HTML character references: the common named ones and numeric `&#237;` / `&#xED;`.
/// Anything unknown is kept as written.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(j, _)| j);
        let decoded = end.and_then(|j| {
            let name = &after[..j];
            let text = if let Some(num) = name.strip_prefix('#') {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse::<u32>().ok(),
                }?;
                let c = char::from_u32(code).filter(|c| *c != '\0')?;
                Cow::Owned(c.to_string())
            } else {
                Cow::Borrowed(ENTITIES.iter().find(|(n, _)| *n == name)?.1)
            };
            Some((text, j))
        });
        match decoded {
            Some((text, j)) => {
                out.push_str(&text);
                rest = &after[j + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Collapse runs of whitespace into one space and trim.
pub fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The first few characters of a line, for error messages.
pub fn snippet(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Seconds since the Unix epoch for an ISO 8601 / RFC 3339 date-time
/// (`2022-11-30T17:44:23.123Z`, `...+01:00`). `None` when it is not one.
pub fn parse_iso8601(s: &str) -> Option<f64> {
    let s = s.trim();
    let (date, time) = s.split_once(['T', 't', ' '])?;
    let mut d = date.split('-');
    let y: i64 = d.next()?.parse().ok()?;
    let mo: i64 = d.next()?.parse().ok()?;
    let da: i64 = d.next()?.parse().ok()?;
    if d.next().is_some() || !(1..=12).contains(&mo) || !(1..=31).contains(&da) {
        return None;
    }
    if !(0..=9999).contains(&y) {
        return None;
    }
    // Split off the zone.
    let (clock_part, offset) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, 0i64)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let (c, z) = time.split_at(i);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let z = &z[1..];
        let (zh, zm) = match z.split_once(':') {
            Some((h, m)) => (h, m),
            None if z.len() == 4 => (&z[..2], &z[2..]),
            None => (z, "0"),
        };
        let zh: i64 = zh.parse().ok()?;
        let zm: i64 = zm.parse().ok()?;
        (c, sign * (zh * 3600 + zm * 60))
    } else {
        (time, 0)
    };
    let mut c = clock_part.split(':');
    let h: i64 = c.next()?.parse().ok()?;
    let mi: i64 = c.next()?.parse().ok()?;
    let sec = match c.next() {
        Some(x) => parse_seconds(x)?,
        None => 0.0,
    };
    if c.next().is_some() || h > 24 || mi > 59 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let yy = if mo <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + da - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    let t = days as f64 * 86400.0 + (h * 3600 + mi * 60 - offset) as f64 + sec;
    finite(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings() {
        assert_eq!(lines("a\r\nb\rc\n\nd"), vec!["a", "b", "c", "", "d"]);
        assert_eq!(lines("a\n"), vec!["a"]);
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("00:00:03.258"), Some(3.258));
        assert_eq!(parse_time("0:0:3.5"), Some(3.5));
        assert_eq!(parse_time("01:02,5"), Some(62.5));
        assert_eq!(parse_time("-0:0:1.0"), Some(-1.0));
        assert_eq!(parse_time("1:2:3:4"), None);
        assert_eq!(parse_time("aa:00"), None);
        assert_eq!(parse_time("00:NaN"), None);
        assert_eq!(clock(3723.9), "01:02:03");
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("Far&#237;as &amp; co"), "Farías & co");
        assert_eq!(decode_entities("&#xED;&lrm;&nbsp;x"), "í x");
        assert_eq!(
            decode_entities("a & b &unknown; &#99999999;"),
            "a & b &unknown; &#99999999;"
        );
    }

    #[test]
    fn iso() {
        assert_eq!(parse_iso8601("1970-01-01T00:00:10Z"), Some(10.0));
        assert_eq!(parse_iso8601("2022-11-30T17:44:23.5Z"), Some(1669830263.5));
        assert_eq!(parse_iso8601("1970-01-01T01:00:00+01:00"), Some(0.0));
        assert_eq!(parse_iso8601("yesterday"), None);
    }
}
