//! The synthetic fixtures in `tests/fixtures/synthetic/` (formats with no licensed real
//! sample: Teams VTT, Contact Lens, CCAI, Transcribe with speaker and channel labels).

mod common;
use callcoach::formats::{read_path, ReadOptions};
use callcoach::transcript::{Role, RolesSource, Transcript};
use common::*;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/synthetic")
        .join(name)
}

fn read(name: &str, agent: Option<&str>) -> Transcript {
    let opts = ReadOptions {
        speakers: agent
            .map(|a| vec![(a.to_string(), Role::Agent)])
            .unwrap_or_default(),
        ..Default::default()
    };
    let mut ts = read_path(&fixture(name), &opts).unwrap_or_else(|e| panic!("{name}: {e:#}"));
    assert_eq!(ts.len(), 1);
    ts.remove(0)
}

fn turns(t: &Transcript) -> Vec<(String, Role, String)> {
    t.turns
        .iter()
        .map(|x| (x.speaker.clone(), x.role(), x.text.clone()))
        .collect()
}

#[test]
fn every_synthetic_fixture_says_so() {
    let dir = fixture("");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        assert!(
            text.contains("synthetic"),
            "{} is not marked synthetic",
            e.path().display()
        );
        n += 1;
    }
    assert_eq!(n, 5);
}

#[test]
fn teams_vtt() {
    let t = read("teams-meeting.vtt", None);
    assert_eq!(t.format, "webvtt");
    assert_eq!(t.header("variant"), Some("teams"));
    assert_eq!(t.roles, RolesSource::Guessed);
    let got = turns(&t);
    assert_eq!(got.len(), 5);
    assert_eq!(got[0].0, "Sanne de Vries");
    assert_eq!(got[0].1, Role::Agent);
    // Fragments 1-0 and 1-1 are one utterance.
    assert_eq!(
        got[0].2,
        "Goedemorgen, u spreekt met Sanne van Voltera. Waarmee kan ik u helpen?"
    );
    // Entities decoded; the overlapping "Mhm." does not split the customer's turn.
    assert_eq!(got[1].0, "Carlos Farías");
    assert_eq!(
        got[1].2,
        "Mijn maandbedrag is ineens verdubbeld, en ik snap niet waarom. Ik betaal al jaren hetzelfde & nu dit."
    );
    assert_eq!(
        (got[2].0.as_str(), got[2].2.as_str()),
        ("Sanne de Vries", "Mhm.")
    );
    assert_eq!(t.turns[0].start, Some(1.2));
    assert_eq!(t.turns[0].end, Some(6.5));
    assert_eq!(t.turns[0].line, Some(7));
    // Mapped by first name.
    let t = read("teams-meeting.vtt", Some("Carlos"));
    assert_eq!(t.roles, RolesSource::Mapped);
    assert_eq!(t.turns[1].role, Some(Role::Agent));
    assert_eq!(t.turns[0].role, Some(Role::Customer));
}

#[test]
fn contact_lens_voice() {
    let t = read("contact-lens-voice.json", None);
    assert_eq!(t.format, "contact-lens");
    assert_eq!(t.roles, RolesSource::Labelled);
    assert_eq!(t.id.as_deref(), Some("contact-0001"));
    assert_eq!(t.language, Some(callcoach::transcript::Lang::En));
    let got = turns(&t);
    let roles: Vec<Role> = got.iter().map(|x| x.1).collect();
    assert_eq!(
        roles,
        vec![
            Role::Agent,
            Role::Customer,
            Role::Agent,
            Role::Agent,
            Role::Customer
        ]
    );
    assert!(got[1].2.ends_with("My account number is [PII]."));
    assert_eq!(got[2].2, "Right.");
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
}

#[test]
fn ccai_conversation() {
    let t = read("ccai-conversation.json", None);
    assert_eq!(t.format, "ccai");
    assert_eq!(t.roles, RolesSource::Labelled);
    let roles: Vec<Role> = t.turns.iter().map(|x| x.role()).collect();
    assert_eq!(
        roles,
        vec![
            Role::Other,
            Role::Customer,
            Role::Agent,
            Role::Customer,
            Role::Agent,
            Role::Customer
        ]
    );
    assert_eq!(t.turns[2].start, Some(10.0));
    assert_eq!(t.turns[2].speaker, "AGENT");
}

#[test]
fn transcribe_speaker_labels() {
    let t = read("transcribe-speaker-labels.json", None);
    assert_eq!(t.format, "aws-transcribe");
    assert_eq!(t.header("speakers"), Some("speaker"));
    assert_eq!(t.speakers(), vec!["spk_0", "spk_1"]);
    assert_eq!(t.roles, RolesSource::Guessed);
    let got = turns(&t);
    assert_eq!(got.len(), 6);
    assert_eq!(
        got[1].2,
        "Hi, my monthly payment doubled and I don't understand why. I have paid the same amount for years."
    );
    assert_eq!(got[2].2, "Mhm.");
    assert_eq!(got[0].1, Role::Agent);
    let t = read("transcribe-speaker-labels.json", Some("spk_1"));
    assert_eq!(t.roles, RolesSource::Mapped);
    assert_eq!(t.turns[0].role, Some(Role::Customer));
    assert_eq!(t.turns[1].role, Some(Role::Agent));
}

#[test]
fn transcribe_channel_labels() {
    let t = read("transcribe-channel-labels.json", Some("channel:1"));
    assert_eq!(t.format, "aws-transcribe");
    assert_eq!(t.header("speakers"), Some("channel"));
    assert_eq!(t.roles, RolesSource::Mapped);
    assert_eq!(t.speakers(), vec!["ch_1", "ch_0"]);
    assert_eq!(t.turns[0].role, Some(Role::Agent));
    assert_eq!(t.turns[1].role, Some(Role::Customer));
    assert_eq!(t.turns.len(), 6);
    assert!(t.turns[0]
        .text
        .starts_with("Thank you for calling Northwind Energy"));
    assert!(t.turns.iter().all(|x| x.line.is_some()));
}

#[test]
fn detection_is_by_content_not_extension() {
    let dir = tempdir("formats-noext");
    for name in [
        "teams-meeting.vtt",
        "contact-lens-voice.json",
        "ccai-conversation.json",
        "transcribe-speaker-labels.json",
    ] {
        let want = read(name, None).format;
        let copy = dir.join(format!("{name}.txt"));
        std::fs::copy(fixture(name), &copy).unwrap();
        let got = &read_path(&copy, &ReadOptions::default()).unwrap()[0];
        assert_eq!(got.format, want, "{name}");
    }
    // An unknown format lists what was tried.
    let junk = dir.join("junk.json");
    std::fs::write(&junk, "{\"hello\": [1, 2, 3]}").unwrap();
    let e = format!(
        "{:#}",
        read_path(&junk, &ReadOptions::default()).unwrap_err()
    );
    assert!(e.contains("unrecognised transcript format"), "{e}");
    for name in callcoach::formats::format_names() {
        assert!(e.contains(name), "{e} lacks {name}");
    }
}

#[test]
fn check_json_on_synthetic_fixtures() {
    let o = run(&[
        "check",
        "--format",
        "json",
        "--exit-zero",
        fixture("").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let got: Vec<(String, String, u64, String)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"]
                    .as_str()
                    .unwrap()
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap()
                    .to_string(),
                f["format"].as_str().unwrap().to_string(),
                f["turns"].as_u64().unwrap(),
                f["roles"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("ccai-conversation.json", "ccai", 6, "labelled"),
        ("contact-lens-voice.json", "contact-lens", 5, "labelled"),
        ("teams-meeting.vtt", "webvtt", 5, "guessed"),
        (
            "transcribe-channel-labels.json",
            "aws-transcribe",
            6,
            "guessed",
        ),
        (
            "transcribe-speaker-labels.json",
            "aws-transcribe",
            6,
            "guessed",
        ),
    ];
    let want: Vec<(String, String, u64, String)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), *c, d.to_string()))
        .collect();
    assert_eq!(got, want);
}
