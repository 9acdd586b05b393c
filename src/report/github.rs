//! `--format github`: GitHub Actions workflow commands, one annotation a finding
//! (`::error file=...,line=...,title=...::message`). error -> error, warning -> warning,
//! info -> notice.

use super::{slash_path, FileResult};
use crate::rules::Severity;
use std::fmt::Write;

pub fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escape a message (the part after `::`), as the Actions toolkit does.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (`file=`, `title=`): also `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(results: &[FileResult], min_level: Severity) -> String {
    let mut out = String::new();
    for r in results {
        let file = escape_property(&slash_path(&r.file));
        if let Some(e) = &r.error {
            let _ = writeln!(
                out,
                "::error file={file},title={}::{}",
                escape_property("callcoach: cannot read transcript"),
                escape_data(e)
            );
            continue;
        }
        for f in r.shown(min_level) {
            let line = f.line.map(|l| format!(",line={l}")).unwrap_or_default();
            let title = escape_property(&format!("callcoach {} (turn {})", f.rule, f.turn));
            let msg = format!("{}\n\"{}\"\n{}", f.message, f.quote, f.advice);
            let _ = writeln!(
                out,
                "::{} file={file}{line},title={title}::{}",
                command(f.severity),
                escape_data(msg.trim_end())
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100% a\nb\r"), "100%25 a%0Ab%0D");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
