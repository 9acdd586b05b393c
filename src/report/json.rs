//! `--format json`: the report of `shared/spec/json-report.md` (fields others rely on),
//! plus metrics, score, warnings and strengths.

use super::FileResult;
use crate::rules::Severity;
use serde_json::{json, Value};

pub fn file_value(r: &FileResult, min_level: Severity) -> Value {
    match &r.analysis {
        Some(a) => {
            let findings: Vec<Value> = a
                .findings
                .iter()
                .filter(|f| f.severity >= min_level)
                .map(|f| {
                    json!({
                        "rule": f.rule,
                        "severity": f.severity,
                        "turn": f.turn,
                        "line": f.line,
                        "speaker": f.speaker,
                        "quote": f.quote,
                        "message": f.message,
                        "advice": f.advice,
                    })
                })
                .collect();
            json!({
                "path": r.path,
                "format": a.format,
                "language": a.language,
                "kind": a.kind,
                "turns": a.turns,
                "roles": a.roles,
                "error": null,
                "findings": findings,
                "id": a.id,
                "agent": a.agent,
                "need_turn": a.need_turn,
                "first_solution_turn": a.first_solution_turn,
                "factual": a.factual,
                "score": a.score,
                "metrics": a.metrics,
                "strengths": a.strengths,
                "warnings": a.warnings,
            })
        }
        None => json!({
            "path": r.path,
            "format": null,
            "language": null,
            "kind": null,
            "turns": 0,
            "roles": "unknown",
            "error": r.error,
            "findings": [],
        }),
    }
}

pub fn render(results: &[FileResult], min_level: Severity) -> String {
    let files: Vec<Value> = results.iter().map(|r| file_value(r, min_level)).collect();
    let mut s = serde_json::to_string_pretty(&json!({ "version": 1, "files": files }))
        .expect("JSON values serialise");
    s.push('\n');
    s
}
