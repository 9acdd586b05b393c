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
        for f in r.shown(min_level) {
            // With a line, the file on disk (lines are its lines); without, the input's name.
            let (place, line) = match f.line {
                Some(l) => (&r.file, l.to_string()),
                None => (&r.path, "-".to_string()),
            };
            let _ = writeln!(
                out,
                "{}:{}: {} {}: {} \"{}\"",
                style.bold(place),
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
