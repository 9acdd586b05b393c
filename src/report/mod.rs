//! Printers, one per output format. Data goes to stdout; notes and progress to stderr.

pub mod batch;
pub mod batch_out;
pub mod dashboard;
pub mod json;
pub mod review;
pub mod style;
pub mod text;

use crate::analysis::Analysis;

/// The outcome for one input: an analysis, or the error that stopped it.
#[derive(Debug, Clone)]
pub struct FileResult {
    /// The input as named (a path, or path:line for a JSON Lines record).
    pub path: String,
    pub analysis: Option<Analysis>,
    pub error: Option<String>,
}

impl FileResult {
    pub fn ok(path: String, a: Analysis) -> FileResult {
        FileResult { path, analysis: Some(a), error: None }
    }
    pub fn err(path: String, e: String) -> FileResult {
        FileResult { path, analysis: None, error: Some(e) }
    }
}
