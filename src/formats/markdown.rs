//! Transcripts inside Markdown training material: every fenced code block whose info
//! string is `transcript` (```` ```transcript ````) is read as a plain-text transcript,
//! with the Markdown file's line numbers. Other fenced blocks are skipped whole.

use super::{plain, roles, ReadOptions};
use crate::transcript::Transcript;
use anyhow::{bail, Result};
use std::path::Path;

/// `.md` and `.markdown` files are read as Markdown.
pub fn is_markdown_path(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// One ```transcript block: the line of its opening fence (1-based) and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub fence_line: usize,
    pub body: String,
}

/// An opening or closing fence: its character, its length and the info string.
fn fence(line: &str) -> Option<(char, usize, &str)> {
    let l = line.trim_start();
    let c = l.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = l.chars().take_while(|x| *x == c).count();
    if n < 3 {
        return None;
    }
    let info = l[n..].trim();
    // A backtick fence's info string may not contain backticks (CommonMark).
    if c == '`' && info.contains('`') {
        return None;
    }
    Some((c, n, info))
}

/// The ```transcript blocks of a Markdown text.
pub fn blocks(text: &str) -> Result<Vec<Block>> {
    let mut out = Vec::new();
    // The open fence: (char, length, line, is a transcript block, body).
    let mut open: Option<(char, usize, usize, bool, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let lineno = i + 1;
        match &mut open {
            None => {
                if let Some((c, n, info)) = fence(line) {
                    let word = info.split_whitespace().next().unwrap_or("");
                    let is_t = word.eq_ignore_ascii_case("transcript");
                    open = Some((c, n, lineno, is_t, String::new()));
                }
            }
            Some((c, n, start, is_t, body)) => {
                let closes = fence(line)
                    .is_some_and(|(c2, n2, info)| c2 == *c && n2 >= *n && info.is_empty());
                if closes {
                    if *is_t {
                        out.push(Block {
                            fence_line: *start,
                            body: std::mem::take(body),
                        });
                    }
                    open = None;
                } else if *is_t {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    if let Some((_, _, start, true, _)) = open {
        bail!("line {start}: the ```transcript block is never closed");
    }
    Ok(out)
}

/// Does this Markdown text hold at least one ```transcript block? (For directory walks.)
pub fn has_transcript_block(text: &str) -> bool {
    blocks(text).map(|b| !b.is_empty()).unwrap_or(true)
}

/// Parse every ```transcript block. With several, each is named `path:LINE` (its fence).
pub fn parse(text: &str, source: &str, opts: &ReadOptions) -> Result<Vec<Transcript>> {
    let found = blocks(text)?;
    if found.is_empty() {
        bail!("no ```transcript block in this Markdown file");
    }
    let many = found.len() > 1;
    let mut out = Vec::new();
    for b in found {
        let name = if many {
            format!("{source}:{}", b.fence_line)
        } else {
            source.to_string()
        };
        let mut t = plain::parse(&b.body, &name, b.fence_line).map_err(|e| {
            anyhow::anyhow!("in the ```transcript block at line {}: {e:#}", b.fence_line)
        })?;
        t.format = "markdown".to_string();
        roles::resolve(&mut t, &opts.speakers)?;
        out.push(t);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# Training\n\nSome text.\n\n```text\n```transcript inside another block\n```\n\n```transcript\nAgent: Hello, how can I help?\n# expect: premature-solving\nCustomer: My card is gone.\n```\n\n~~~~ transcript\nAgent: Hi.\nCustomer: Hi.\n~~~~\n";

    #[test]
    fn finds_transcript_blocks_with_markdown_lines() {
        let b = blocks(DOC).unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].fence_line, 9);
        assert_eq!(b[1].fence_line, 15);
        let ts = parse(DOC, "guide.md", &ReadOptions::default()).unwrap();
        assert_eq!(ts[0].source, "guide.md:9");
        assert_eq!(ts[0].turns[0].line, Some(10));
        assert_eq!(ts[0].turns[1].line, Some(12));
        assert_eq!(ts[0].turns[1].expects, ["premature-solving"]);
        assert_eq!(ts[1].turns[1].line, Some(17));
    }

    #[test]
    fn errors() {
        assert!(!has_transcript_block(
            "# Readme\n```rust\nfn main() {}\n```\n"
        ));
        assert!(parse("# Readme\n", "r.md", &ReadOptions::default()).is_err());
        let e = blocks("x\n```transcript\nAgent: hi\n").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = parse(
            "\n```transcript\nhello\nAgent: hi\n```\n",
            "r.md",
            &ReadOptions::default(),
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("line 3"), "{e:#}");
    }
}
