//! Printers, one per output format. Data goes to stdout; notes and progress to stderr.

pub mod batch;
pub mod batch_out;
pub mod dashboard;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod review;
pub mod ruledoc;
pub mod sarif;
pub mod style;
pub mod text;

use crate::analysis::Analysis;
use crate::rules::{Finding, Severity};

/// The outcome for one input: an analysis, or the error that stopped it.
#[derive(Debug, Clone)]
pub struct FileResult {
    /// The input as named (a path, or path:line for a JSON Lines record or a Markdown block).
    pub path: String,
    /// The file on disk that holds it; finding lines are lines of this file.
    pub file: String,
    pub analysis: Option<Analysis>,
    pub error: Option<String>,
}

impl FileResult {
    pub fn ok(path: String, a: Analysis) -> FileResult {
        FileResult {
            file: path.clone(),
            path,
            analysis: Some(a),
            error: None,
        }
    }
    pub fn err(path: String, e: String) -> FileResult {
        FileResult {
            file: path.clone(),
            path,
            analysis: None,
            error: Some(e),
        }
    }
    /// Name the file on disk when it differs from the label.
    pub fn in_file(mut self, file: &str) -> FileResult {
        self.file = file.to_string();
        self
    }
    /// The findings at or above `min_level`, as every printer shows them.
    pub fn shown(&self, min_level: Severity) -> impl Iterator<Item = &Finding> {
        self.analysis
            .iter()
            .flat_map(|a| &a.findings)
            .filter(move |f| f.severity >= min_level)
    }
}

/// A file path for machine formats (SARIF, GitLab, GitHub): relative to the working folder
/// when it lies under it, with forward slashes.
pub fn slash_path(p: &str) -> String {
    crate::config::shown(std::path::Path::new(p))
        .to_string_lossy()
        .replace('\\', "/")
}
