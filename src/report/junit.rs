//! `--format junit`: JUnit XML for CI test reports. One `<testsuite>` per transcript; each
//! finding is a `<testcase>` with a `<failure>`; a clean transcript is one passing case; an
//! input that could not be read is a case with an `<error>`.

use super::FileResult;
use crate::rules::Severity;
use std::fmt::Write;

/// Escape text for XML 1.0 attributes and content; characters XML 1.0 cannot carry
/// (control characters other than tab, newline, carriage return) are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

struct Case {
    name: String,
    line: Option<usize>,
    /// (element, type, message, body)
    problem: Option<(&'static str, String, String, String)>,
}

pub fn render(results: &[FileResult], min_level: Severity) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for r in results {
        let mut cases = Vec::new();
        if let Some(e) = &r.error {
            cases.push(Case {
                name: "read transcript".into(),
                line: None,
                problem: Some((
                    "error",
                    "read-error".into(),
                    e.clone(),
                    format!("{}: {e}", r.path),
                )),
            });
        } else {
            for f in r.shown(min_level) {
                let line = f.line.map(|l| l.to_string()).unwrap_or_else(|| "-".into());
                let body = format!(
                    "{}:{line}: {} {}: {}\n\"{}\"\n{}",
                    r.file,
                    f.severity.as_str(),
                    f.rule,
                    f.message,
                    f.quote,
                    f.advice
                );
                cases.push(Case {
                    name: format!("{} (turn {})", f.rule, f.turn),
                    line: f.line,
                    problem: Some(("failure", f.rule.clone(), f.message.clone(), body)),
                });
            }
            if cases.is_empty() {
                cases.push(Case {
                    name: "no findings".into(),
                    line: None,
                    problem: None,
                });
            }
        }
        let nf = cases
            .iter()
            .filter(|c| matches!(&c.problem, Some(p) if p.0 == "failure"))
            .count();
        let ne = cases
            .iter()
            .filter(|c| matches!(&c.problem, Some(p) if p.0 == "error"))
            .count();
        tests += cases.len();
        failures += nf;
        errors += ne;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{nf}\" errors=\"{ne}\" skipped=\"0\">",
            escape(&r.path),
            cases.len()
        );
        for c in &cases {
            let line = c.line.map(|l| format!(" line=\"{l}\"")).unwrap_or_default();
            let open = format!(
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"{line}",
                escape(&c.name),
                escape(&r.path),
                escape(&r.file)
            );
            match &c.problem {
                None => {
                    let _ = writeln!(suites, "{open}/>");
                }
                Some((elem, kind, message, body)) => {
                    let _ = writeln!(
                        suites,
                        "{open}>\n      <{elem} type=\"{}\" message=\"{}\">{}</{elem}>\n    </testcase>",
                        escape(kind),
                        escape(message),
                        escape_text(body)
                    );
                }
            }
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"callcoach\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{suites}</testsuites>\n"
    )
}

/// Element content keeps its newlines readable.
fn escape_text(s: &str) -> String {
    escape(s).replace("&#10;", "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"c\" 'd'\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;"
        );
        assert_eq!(escape_text("x\ny"), "x\ny");
    }
}
