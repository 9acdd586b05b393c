//! callcoach: an offline coach for customer-service call transcripts.
//!
//! bytes ─► formats ─► Transcript ─► acts ─► TaggedTranscript ─► rules ─► Findings ─► report

pub mod acts;
pub mod advice;
pub mod analysis;
pub mod cli;
pub mod config;
pub mod formats;
pub mod metrics;
pub mod report;
pub mod rules;
pub mod score;
pub mod transcript;
