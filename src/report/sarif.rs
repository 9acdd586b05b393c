//! `--format sarif`: SARIF 2.1.0 for code scanning. Every active rule is described in
//! `tool.driver.rules` with the documentation `explain` prints; each finding is a result
//! at its file (relative URI) and line. Unreadable inputs are tool execution notifications.

use super::ruledoc::{self, DocView};
use super::{slash_path, FileResult};
use crate::analysis::UNUSED_SUPPRESSION;
use crate::rules::{RuleSpec, Severity};
use crate::transcript::Lang;
use serde_json::{json, Value};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF's level for a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// "premature-solving" -> "PrematureSolving" (SARIF's `name` is an identifier for people).
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn descriptor(v: &DocView, lang: Lang) -> Value {
    json!({
        "id": v.id,
        "name": pascal(v.id),
        "shortDescription": { "text": v.summary },
        "fullDescription": { "text": v.doc.what.trim() },
        "help": { "text": v.text(lang), "markdown": v.markdown(lang) },
        "defaultConfiguration": { "level": level(v.severity) },
        "properties": { "category": v.category, "tags": [v.category] },
    })
}

/// Percent-encode what may not stand in a URI reference (spaces, `%`, `#`, `?`, `:`,
/// non-ASCII); a path under the working folder becomes relative to it.
pub fn uri(path: &str) -> String {
    let p = slash_path(path);
    let mut out = String::new();
    for b in p.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if p.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

/// Render the log. `rules` are the active rules (their union over the configs in use);
/// `pseudo` says whether the unused-suppression pseudo-rule is active.
pub fn render(
    results: &[FileResult],
    min_level: Severity,
    rules: &[RuleSpec],
    pseudo: bool,
    lang: Lang,
) -> String {
    let mut ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    let mut descriptors: Vec<Value> = rules
        .iter()
        .map(|r| descriptor(&DocView::of(r, lang), lang))
        .collect();
    let unused_doc = ruledoc::unused_suppression(lang);
    if pseudo {
        ids.push(UNUSED_SUPPRESSION);
        descriptors.push(descriptor(&unused_doc.view(), lang));
    }
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for r in results {
        if let Some(e) = &r.error {
            notes.push(json!({
                "level": "error",
                "message": { "text": format!("{}: {e}", r.path) },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&r.file) } } }],
            }));
            continue;
        }
        for f in r.shown(min_level) {
            let mut loc = json!({ "artifactLocation": { "uri": uri(&r.file) } });
            if let Some(line) = f.line.filter(|l| *l > 0) {
                loc["region"] = json!({ "startLine": line, "snippet": { "text": f.quote } });
            }
            let mut res = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": format!("{} \"{}\"", f.message, f.quote) },
                "locations": [{ "physicalLocation": loc }],
                "partialFingerprints": {
                    "callcoach/v1": super::gitlab::fingerprint(&f.rule, &slash_path(&r.file), &f.quote)
                },
                "properties": { "turn": f.turn, "speaker": f.speaker, "advice": f.advice },
            });
            if let Some(i) = ids.iter().position(|x| *x == f.rule) {
                res["ruleIndex"] = json!(i);
            }
            out.push(res);
        }
    }
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "callcoach",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
            }},
            "invocations": [{
                "executionSuccessful": notes.is_empty(),
                "toolExecutionNotifications": notes,
            }],
            "columnKind": "unicodeCodePoints",
            "results": out,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).expect("JSON values serialise");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal("premature-solving"), "PrematureSolving");
        assert_eq!(uri("calls/a b#1.txt"), "calls/a%20b%231.txt");
        assert_eq!(uri("./x/é.txt"), "x/%C3%A9.txt");
        assert_eq!(uri("/abs/x.txt"), "file:///abs/x.txt");
        assert_eq!(uri("a:b.txt"), "a%3Ab.txt");
    }
}
