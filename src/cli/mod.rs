//! The command line: clap definitions and one file per command.

mod acts_cmd;
mod check;
pub mod common;
pub mod convert;
mod review;
pub mod rules_cmd;
mod score;
pub mod settings;
pub mod test_cmd;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "callcoach",
    version,
    about = "Coach for customer-service calls: first understand, then solve.",
    long_about = "Reads call transcripts (Dutch and English), finds where the agent fell into the classic \
pitfalls (solving before understanding, no summary, no follow-up question, fleeing into a fix under \
resistance, ...) and says what happened, why it matters and what to say instead. Offline and deterministic."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// A coaching report on one call, for the agent or trainer.
    Review(review::Args),
    /// Lint transcripts: findings per file, for scripts and CI.
    Check(check::Args),
    /// Check labelled transcripts (`# expect:`) against the rules; per-rule accuracy table.
    Test(test_cmd::Args),
    /// Score a batch of calls (files, folders, JSON Lines, `-` for stdin): a row per call,
    /// aggregates per agent and for the team; table, csv, json, jsonl or an html dashboard.
    Score(score::Args),
    /// List every rule, or test rule packs (`rules test DIR`).
    Rules(rules_cmd::RulesArgs),
    /// Print a rule's documentation.
    Explain(rules_cmd::ExplainArgs),
    /// Show the dialogue acts found in each sentence (why a rule fired).
    Acts(acts_cmd::Args),
    /// Print a transcript as callcoach reads it (any input format), as plain text or JSON.
    Convert(convert::Args),
}

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Review(a) => review::run(a),
        Command::Check(a) => check::run(a),
        Command::Test(a) => test_cmd::run(a),
        Command::Score(a) => score::run(a),
        Command::Rules(a) => rules_cmd::run_rules(a),
        Command::Explain(a) => rules_cmd::run_explain(a),
        Command::Acts(a) => acts_cmd::run(a),
        Command::Convert(a) => convert::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("callcoach: error: {e:#}");
            2
        }
    }
}
pub use rules_cmd::example_failures;
