//! A small glob matcher for `[per-path-ignores]`: `*` (any characters but `/`), `**`
//! (any number of folders), `?` (one character but `/`). Paths and patterns use `/`.
//!
//! Like `.gitignore`: a pattern without `/` matches a file or folder name at any depth;
//! a pattern with `/` is anchored at the config's folder; a pattern that matches a folder
//! covers everything under it (`"bad-examples"` is `"bad-examples/**"`).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    pub pattern: String,
    segments: Vec<String>,
    anchored: bool,
}

impl Glob {
    pub fn new(pattern: &str) -> Result<Glob, String> {
        let p = pattern.trim();
        let p = p.strip_prefix("./").unwrap_or(p);
        let stripped = p.trim_start_matches('/').trim_end_matches('/');
        if stripped.is_empty() {
            return Err(format!("empty glob '{pattern}'"));
        }
        if stripped.contains('\\') {
            return Err(format!("glob '{pattern}': use '/' between folders"));
        }
        let segments: Vec<String> = stripped.split('/').map(str::to_string).collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(format!("glob '{pattern}' has an empty folder name ('//')"));
        }
        if let Some(s) = segments
            .iter()
            .find(|s| s.contains("**") && s.as_str() != "**")
        {
            return Err(format!(
                "glob '{pattern}': '**' must be a whole folder name, not part of '{s}'"
            ));
        }
        let anchored = segments.len() > 1 || p.starts_with('/');
        Ok(Glob {
            pattern: pattern.to_string(),
            segments,
            anchored,
        })
    }

    /// Does the pattern match this relative path (`a/b/c.txt`) or a folder above it?
    pub fn matches(&self, rel: &str) -> bool {
        let parts: Vec<&str> = rel
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect();
        if self.anchored {
            // The path itself or any folder above it.
            (1..=parts.len()).any(|n| match_segments(&self.segments, &parts[..n]))
        } else {
            parts.iter().any(|p| match_segment(&self.segments[0], p))
        }
    }
}

fn match_segments(pat: &[String], parts: &[&str]) -> bool {
    match pat.first() {
        None => parts.is_empty(),
        Some(s) if s == "**" => (0..=parts.len()).any(|k| match_segments(&pat[1..], &parts[k..])),
        Some(s) => {
            !parts.is_empty()
                && match_segment(s, parts[0])
                && match_segments(&pat[1..], &parts[1..])
        }
    }
}

/// `*` and `?` within one name.
fn match_segment(pat: &str, name: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative wildcard matching with backtracking to the last `*`.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, path: &str) -> bool {
        Glob::new(p).unwrap().matches(path)
    }

    #[test]
    fn stars_and_question_marks() {
        assert!(m("bad-examples/**", "bad-examples/a.txt"));
        assert!(m("bad-examples/**", "bad-examples/x/y/a.txt"));
        assert!(!m("bad-examples/**", "good/bad-examples.txt"));
        assert!(!m("bad-examples/**", "other/bad-examples/a.txt"));
        assert!(m("bad-examples", "bad-examples/a.txt"));
        assert!(m("bad-examples/", "bad-examples/a.txt"));
        assert!(m("bad-*/*.txt", "bad-calls/a.txt"));
        assert!(!m("bad-*/*.txt", "bad-calls/a.md"));
        assert!(m("*.md", "deep/folder/guide.md"));
        assert!(m("call-?.txt", "x/call-1.txt"));
        assert!(!m("call-?.txt", "x/call-12.txt"));
        assert!(m("**/drafts/*.txt", "drafts/a.txt"));
        assert!(m("**/drafts/*.txt", "a/b/drafts/a.txt"));
        assert!(m("a/**/z.txt", "a/z.txt"));
        assert!(m("a/**/z.txt", "a/b/c/z.txt"));
        assert!(m("/top.txt", "top.txt"));
        assert!(!m("/top.txt", "x/top.txt"));
        assert!(m("*", "anything/at/all.txt"));
        assert!(m("a*b*c", "aXbYc") && !m("a*b*c", "aXbY"));
    }

    #[test]
    fn bad_globs() {
        assert!(Glob::new("").is_err());
        assert!(Glob::new("a//b").is_err());
        assert!(Glob::new("a/**x/b").is_err());
    }
}
