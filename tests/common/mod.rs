//! Shared helpers for integration tests: run the built binary, find ../shared.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_callcoach"))
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `../shared` beside the checkout, or None (a user's fresh clone): the caller says it skipped.
pub fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.join("corpus/dev").is_dir() {
        Some(p)
    } else {
        None
    }
}

pub fn skip(what: &str) {
    eprintln!("SKIPPED: {what}: ../shared is not beside the checkout");
}

/// A fresh temporary folder under target/ (no extra crate needed).
pub fn tempdir(name: &str) -> PathBuf {
    let p =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// Run the binary with `dir` as the working folder.
pub fn run_in(dir: &std::path::Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("binary runs")
}

/// Write `text` to `dir/rel`, creating folders.
pub fn write(dir: &std::path::Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

/// Blatant premature solving (fires premature-solving, missing-summary, missing-follow-up
/// at turn 3, line 3).
pub const BAD_EN: &str = "Agent: Good morning, Northbank, you're speaking with Tom. How can I help?
Customer: I lost my bank card yesterday and I'm worried someone will use it.
Agent: I'll send you a new card.
Customer: Okay, thanks.
";

/// The same in Dutch.
pub const BAD_NL: &str =
    "Medewerker: Goedemorgen, u spreekt met Sanne van Noordbank. Waarmee kan ik u helpen?
Klant: Ik ben gisteren mijn bankpas kwijtgeraakt en ik ben bang dat iemand hem gebruikt.
Medewerker: Ik stuur u een nieuwe pas.
Klant: Oké, dank u.
";

/// A clean call: probe, summary with a check, then the fix.
pub const GOOD_EN: &str = "Agent: Good morning, Northbank, you're speaking with Tom. How can I help?
Customer: I lost my bank card yesterday and I'm worried someone will use it.
Agent: That's worrying. Where did you last use it, and have you seen any payments you don't recognise?
Customer: At the supermarket yesterday, and no strange payments so far.
Agent: So if I understand you correctly, you lost your card after shopping yesterday and nothing odd has been paid with it, is that right?
Customer: Yes, that's right.
Agent: Then I'll block the card now and send you a new card.
Customer: Great, thanks.
";
