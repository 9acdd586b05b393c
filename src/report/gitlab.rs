//! `--format gitlab`: GitLab Code Quality JSON (an array of issues with description,
//! check_name, fingerprint, severity and location). The fingerprint hashes rule, path and
//! quote — not the line — so a finding keeps its identity when lines above it move.

use super::{slash_path, FileResult};
use crate::rules::Severity;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// GitLab's severity for ours.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// FNV-1a, 64 bits: small, stable across platforms and versions.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The stable fingerprint of a finding: rule, path and quote (NUL-separated), in hex.
pub fn fingerprint(rule: &str, path: &str, quote: &str) -> String {
    let mut bytes = Vec::with_capacity(rule.len() + path.len() + quote.len() + 2);
    for (i, part) in [rule, path, quote].iter().enumerate() {
        if i > 0 {
            bytes.push(0);
        }
        bytes.extend_from_slice(part.as_bytes());
    }
    format!("{:016x}", fnv1a64(&bytes))
}

pub fn render(results: &[FileResult], min_level: Severity) -> String {
    let mut issues: Vec<Value> = Vec::new();
    // GitLab wants fingerprints unique: the same quote twice for one rule in one file gets
    // its occurrence number mixed in (deterministic, as the order is).
    let mut seen = BTreeSet::new();
    let mut unique = |base: String| {
        let mut fp = base.clone();
        let mut n = 1;
        while !seen.insert(fp.clone()) {
            n += 1;
            fp = format!("{:016x}", fnv1a64(format!("{base}#{n}").as_bytes()));
        }
        fp
    };
    for r in results {
        let path = slash_path(&r.file);
        if let Some(e) = &r.error {
            issues.push(json!({
                "type": "issue",
                "description": format!("{}: cannot read transcript: {e}", r.path),
                "check_name": "read-error",
                "categories": ["Bug Risk"],
                "fingerprint": unique(fingerprint("read-error", &path, &r.path)),
                "severity": "critical",
                "location": { "path": path, "lines": { "begin": 1 } },
            }));
            continue;
        }
        for f in r.shown(min_level) {
            issues.push(json!({
                "type": "issue",
                "description": format!("{} \"{}\"", f.message, f.quote),
                "check_name": f.rule,
                "categories": ["Style"],
                "fingerprint": unique(fingerprint(&f.rule, &path, &f.quote)),
                "severity": severity(f.severity),
                "location": { "path": path, "lines": { "begin": f.line.unwrap_or(1) } },
            }));
        }
    }
    let mut s = serde_json::to_string_pretty(&issues).expect("JSON values serialise");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_known_values() {
        // Reference values of FNV-1a 64.
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
        assert_ne!(fingerprint("a", "b", "c"), fingerprint("a", "bc", ""));
    }
}
