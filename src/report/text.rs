//! `--format text`: one finding a line, `path:line: severity rule-id: message`.

use super::style::Style;
use super::FileResult;
use crate::rules::Severity;
use std::fmt::Write;

pub fn render(results: &[FileResult], min_level: Severity, style: Style) -> String {
    let mut out = String::new();
    for r in results {
        if let Some(e) = &r.error {
            let _ = writeln!(out, "{}: {} {}", r.path, style.red("error:"), e);
            continue;
        }
        let Some(a) = &r.analysis else { continue };
        for f in a.findings.iter().filter(|f| f.severity >= min_level) {
            let line = f.line.map(|l| l.to_string()).unwrap_or_else(|| "-".into());
            let _ = writeln!(
                out,
                "{}:{}: {} {}: {} \"{}\"",
                style.bold(&r.path),
                line,
                style.severity(f.severity),
                style.bold(&f.rule),
                f.message,
                f.quote
            );
        }
    }
    out
}
