//! Every real sample file in `../shared/fixtures/real/` (see its SOURCES.md) read through
//! format detection, turn building and role resolution; and `callcoach check --format json`
//! on each. Prints `SKIPPED` when the shared fixtures are not beside the checkout.

mod common;
use callcoach::formats::{read_path, ReadOptions};
use callcoach::transcript::{Role, RolesSource};
use common::*;
use std::path::{Path, PathBuf};

fn real_dir() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/real");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared/fixtures/real is not beside the checkout");
        None
    }
}

/// What each real file must read as.
struct Expect {
    path: &'static str,
    format: &'static str,
    turns: usize,
    speakers: &'static [&'static str],
    roles: RolesSource,
    /// Roles of the first turns.
    first_roles: &'static [Role],
    first: &'static str,
    last: &'static str,
}

const EXPECT: &[Expect] = &[
    Expect {
        path: "assemblyai/assemblyai_transcription.json",
        format: "assemblyai",
        turns: 1,
        speakers: &["A"],
        roles: RolesSource::Unknown,
        first_roles: &[Role::Unknown],
        first: "Yeah. As much as it's worth celebrating the first spacewalk",
        last: "didn't get the same opportunities that we have today.",
    },
    Expect {
        path: "assemblyai/assemblyai_utterances.json",
        format: "assemblyai",
        turns: 1,
        speakers: &["A"],
        roles: RolesSource::Unknown,
        first_roles: &[Role::Unknown],
        first: "Yeah. As much as it's worth celebrating the first spacewalk",
        last: "didn't get the same opportunities that we have today.",
    },
    Expect {
        path: "aws-transcribe-call-analytics/example-call.json",
        format: "aws-call-analytics",
        // 37 turns in the file; three agent backchannels ("Yeah. Mhm.", "Mm", "Yeah yes.")
        // inside customer turns no longer split them.
        turns: 34,
        speakers: &["AGENT", "CUSTOMER"],
        roles: RolesSource::Labelled,
        first_roles: &[Role::Agent, Role::Customer, Role::Agent, Role::Agent],
        first: "Thank you for calling Anchor Credit Union",
        last: "Bye.",
    },
    Expect {
        path: "aws-transcribe/newscast-transcript.no-speakers.json",
        format: "aws-transcribe",
        turns: 26,
        speakers: &[""],
        roles: RolesSource::Unknown,
        first_roles: &[Role::Unknown],
        first: "From Illinois public media news.",
        last: "I'm Kimberly Schofield.",
    },
    Expect {
        path: "deepgram/dg_speakers.json",
        format: "deepgram",
        turns: 8,
        speakers: &["Speaker 0", "Speaker 1", "Speaker 2"],
        roles: RolesSource::Guessed,
        first_roles: &[Role::Agent, Role::Customer],
        first: "And, Jessica, Christina, we are so proud of you.",
        last: "We need it in pouch and DCM cover clothes. Copy.",
    },
    Expect {
        path: "deepgram/dg_utterances.json",
        format: "deepgram",
        turns: 6,
        speakers: &[""],
        roles: RolesSource::Unknown,
        first_roles: &[Role::Unknown],
        first: "Yeah. As as much as, it's worth celebrating,",
        last: "and didn't get the same opportunities that we have today.",
    },
    Expect {
        path: "srt/audio_en.srt",
        format: "srt",
        turns: 1,
        speakers: &[""],
        roles: RolesSource::Unknown,
        first_roles: &[Role::Unknown],
        first: "This is a test audio file of about phone 9 quality in English.",
        last: "This is a test audio file of about phone 9 quality in English.",
    },
    Expect {
        path: "teams-txt/sample_transcript_1.txt",
        format: "teams-txt",
        // 15 blocks; Client RepA's consecutive blocks merge, the two overlapping "Yeah."
        // backchannels follow the turns they were said in.
        turns: 7,
        speakers: &[
            "Client RepA",
            "Our RepA",
            "Org RepA",
            "Client RepB",
            "+12*******65",
        ],
        roles: RolesSource::Guessed,
        first_roles: &[Role::Agent, Role::Customer],
        first: "We we understand that bypass bypass file",
        last: "Yeah.",
    },
    Expect {
        path: "vtt-zoom-cc/GMT20240124-202901_Recording.cc.vtt",
        format: "webvtt",
        turns: 100,
        speakers: &[""],
        roles: RolesSource::Unknown,
        first_roles: &[Role::Unknown],
        first: "This doesn't.",
        last: "I'll go ahead and stop the Zoom Meeting and everybody can come join.",
    },
    Expect {
        path: "vtt-zoom/GMT20240124-202901_Recording.transcript.vtt",
        format: "webvtt",
        turns: 25,
        speakers: &[
            "Srijani Ghosh",
            "Conor Healy",
            "Dr. Melissa Ko",
            "Shreeharsh Kelkar",
            "Ryan Sloan",
        ],
        roles: RolesSource::Guessed,
        first_roles: &[Role::Customer, Role::Agent],
        first: "Hi!",
        last: "I'll I'll go ahead and stop the Zoom Meeting, and everybody can come join.",
    },
    Expect {
        path: "whisper/whisper_timestamped.json",
        format: "whisper",
        turns: 4,
        speakers: &[""],
        roles: RolesSource::Unknown,
        first_roles: &[Role::Unknown],
        first: "Yeah, as much as it's worth celebrating",
        last: "didn't get the same opportunities that we have today.",
    },
    Expect {
        path: "whisperx/aligned_transcript.json",
        format: "whisperx",
        turns: 1,
        speakers: &[""],
        roles: RolesSource::Unknown,
        first_roles: &[Role::Unknown],
        first: "This is a test audio file of about phone line quality in English.",
        last: "This is a test audio file of about phone line quality in English.",
    },
    Expect {
        path: "zoom-chat/GMT20240124-202901_RecordingnewChat.txt",
        format: "zoom-chat",
        // 12 lines: 5 reactions left out, Ryan's first three messages merge.
        turns: 6,
        speakers: &["Ryan Sloan", "Dr. Melissa Ko", "Shreeharsh Kelkar"],
        roles: RolesSource::Guessed,
        first_roles: &[Role::Agent, Role::Customer],
        first: "Let’s try to stay muted unless speaking up",
        last: "interesting — voice isn’t being picked up",
    },
];

/// The one real file that must not read: silent audio.
const SILENT: &str = "aws-transcribe/transcript.silent-audio.json";

fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            all_files(&p, out);
        } else if p.file_name().is_some_and(|n| n != "SOURCES.md") {
            out.push(p);
        }
    }
}

#[test]
fn every_real_fixture_reads_as_expected() {
    let Some(dir) = real_dir() else { return };
    let mut files = Vec::new();
    all_files(&dir, &mut files);
    files.sort();
    assert_eq!(files.len(), EXPECT.len() + 1, "{files:?}");
    for f in &files {
        let rel = f
            .strip_prefix(&dir)
            .expect("under the fixture dir")
            .to_string_lossy()
            .replace('\\', "/");
        let got = read_path(f, &ReadOptions::default());
        if rel == SILENT {
            let e = got.expect_err("silent audio must not read");
            assert!(format!("{e:#}").contains("no speech in the file"), "{e:#}");
            continue;
        }
        let e = EXPECT
            .iter()
            .find(|e| e.path == rel)
            .unwrap_or_else(|| panic!("no expectation for real fixture {rel}: add one"));
        let ts = got.unwrap_or_else(|err| panic!("{rel}: {err:#}"));
        assert_eq!(ts.len(), 1, "{rel}");
        let t = &ts[0];
        assert_eq!(t.format, e.format, "{rel}");
        assert_eq!(t.turns.len(), e.turns, "{rel}");
        assert_eq!(t.speakers(), e.speakers, "{rel}");
        assert_eq!(t.roles, e.roles, "{rel}");
        let roles: Vec<Role> = t
            .turns
            .iter()
            .map(|x| x.role())
            .take(e.first_roles.len())
            .collect();
        assert_eq!(roles, e.first_roles, "{rel}");
        let first = &t.turns[0].text;
        let last = &t.turns[t.turns.len() - 1].text;
        assert!(first.starts_with(e.first), "{rel}: first turn {first:?}");
        assert!(last.ends_with(e.last), "{rel}: last turn {last:?}");
        // Turns are in spoken order, and every turn has a source line.
        for w in t.turns.windows(2) {
            if let (Some(a), Some(b)) = (w[0].start, w[1].start) {
                assert!(a <= b, "{rel}: turns out of order at {a} > {b}");
            }
        }
        assert!(
            t.turns.iter().all(|x| x.line.is_some()),
            "{rel}: a turn without a line"
        );
        assert!(t.turns.iter().all(|x| !x.text.trim().is_empty()), "{rel}");
        // One warning at most, and one exactly when roles are unknown or guessed.
        match t.roles {
            RolesSource::Unknown | RolesSource::Guessed => assert_eq!(t.warnings.len(), 1, "{rel}"),
            _ => assert!(t.warnings.is_empty(), "{rel}: {:?}", t.warnings),
        }
    }
    for e in EXPECT {
        assert!(
            dir.join(e.path).is_file(),
            "expected fixture {} is missing",
            e.path
        );
    }
}

#[test]
fn call_analytics_keeps_pii_and_overlaps_in_order() {
    let Some(dir) = real_dir() else { return };
    let t = &read_path(
        &dir.join("aws-transcribe-call-analytics/example-call.json"),
        &ReadOptions::default(),
    )
    .unwrap()[0];
    assert_eq!(t.language, Some(callcoach::transcript::Lang::En));
    let pii = t.turns.iter().filter(|x| x.text.contains("[PII]")).count();
    assert!(pii >= 9, "{pii}");
    // The customer's opening, with the agent's "Yeah. Mhm." after it, not inside it.
    assert_eq!(
        t.turns[1].text,
        "Hi um Okay so I was at fisherman's terminal. I'm trying to dock up my ship and my card fell into the water so I'm hoping to get it replaced."
    );
    assert_eq!(t.turns[2].text, "Yeah. Mhm.");
    assert_eq!(t.turns[2].role, Some(Role::Agent));
    assert_eq!(
        (t.turns[1].start, t.turns[1].end),
        (Some(6.31), Some(20.86))
    );
}

#[test]
fn agent_mapping_by_name_label_and_number() {
    let Some(dir) = real_dir() else { return };
    let opts = |a: &str| ReadOptions {
        speakers: vec![(a.to_string(), Role::Agent)],
        ..Default::default()
    };
    let t = &read_path(&dir.join("deepgram/dg_speakers.json"), &opts("1")).unwrap()[0];
    assert_eq!(t.roles, RolesSource::Mapped);
    assert_eq!(t.turns[0].role, Some(Role::Customer));
    assert_eq!(t.turns[1].role, Some(Role::Agent));
    let t = &read_path(
        &dir.join("vtt-zoom/GMT20240124-202901_Recording.transcript.vtt"),
        &opts("Dr. Melissa Ko"),
    )
    .unwrap()[0];
    assert_eq!(t.roles, RolesSource::Mapped);
    for x in &t.turns {
        let want = if x.speaker == "Dr. Melissa Ko" {
            Role::Agent
        } else {
            Role::Customer
        };
        assert_eq!(x.role, Some(want), "{}", x.speaker);
    }
    let t = &read_path(
        &dir.join("teams-txt/sample_transcript_1.txt"),
        &opts("Client"),
    )
    .unwrap()[0];
    assert_eq!(
        t.turns[0].role,
        Some(Role::Agent),
        "a first word maps a full name"
    );
}

fn check_json(paths: &[&Path]) -> serde_json::Value {
    let mut args = vec!["check", "--format", "json", "--exit-zero"];
    let owned: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    args.extend(owned.iter().map(|s| s.as_str()));
    let o = run(&args);
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)))
}

#[test]
fn check_json_on_every_real_fixture() {
    let Some(dir) = real_dir() else { return };
    let o = run(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "the silent file is an input error"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), EXPECT.len() + 1);
    for f in files {
        let path = f["path"].as_str().unwrap().replace('\\', "/");
        if path.ends_with(SILENT) {
            assert!(
                f["error"]
                    .as_str()
                    .unwrap()
                    .contains("no speech in the file"),
                "{f}"
            );
            assert_eq!(f["findings"].as_array().unwrap().len(), 0);
            continue;
        }
        let e = EXPECT
            .iter()
            .find(|e| path.ends_with(e.path))
            .expect("expected file");
        assert!(f["error"].is_null(), "{path}: {}", f["error"]);
        assert_eq!(f["format"], e.format, "{path}");
        assert_eq!(f["turns"], e.turns, "{path}");
        assert_eq!(f["roles"], e.roles.as_str(), "{path}");
        let warnings: Vec<&str> = f["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|w| w.as_str())
            .collect();
        if e.roles == RolesSource::Unknown {
            // Speaker-less and one-speaker files: their warning, and no findings.
            assert_eq!(warnings.len(), 1, "{path}: {warnings:?}");
            assert!(
                warnings[0].contains("no speaker information")
                    || warnings[0].contains("only one speaker"),
                "{path}: {warnings:?}"
            );
            assert!(warnings[0].contains("skipped"));
            assert_eq!(f["findings"].as_array().unwrap().len(), 0, "{path}");
        }
    }
    // The Call Analytics file: roles are labelled, and findings point at its line.
    let ca = files
        .iter()
        .find(|f| f["format"] == "aws-call-analytics")
        .unwrap();
    assert_eq!(ca["roles"], "labelled");
    assert_eq!(ca["language"], "en");
    // The Zoom captions file says where the speakers are.
    let cc = check_json(&[&dir.join("vtt-zoom-cc/GMT20240124-202901_Recording.cc.vtt")]);
    let w = cc["files"][0]["warnings"][0].as_str().unwrap();
    assert!(w.contains(".transcript.vtt"), "{w}");
}

#[test]
fn convert_prints_the_normalised_transcript() {
    let Some(dir) = real_dir() else { return };
    let f = dir.join("aws-transcribe-call-analytics/example-call.json");
    let o = run(&["convert", f.to_str().unwrap(), "--to", "plain"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "# id: example-call.wav");
    assert_eq!(lines[1], "# format: aws-call-analytics");
    assert_eq!(lines[2], "# roles: labelled");
    assert_eq!(lines[3], "# lang: en");
    assert!(
        lines[4].starts_with("[00:00:00] AGENT (agent): Thank you for calling"),
        "{}",
        lines[4]
    );
    assert_eq!(lines.len(), 4 + 34);

    let o = run(&["convert", f.to_str().unwrap(), "--to", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["format"], "aws-call-analytics");
    assert_eq!(v["roles"], "labelled");
    assert_eq!(v["language"], "en");
    assert_eq!(v["id"], "example-call.wav");
    let turns = v["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 34);
    let t0 = &turns[0];
    for k in ["speaker", "role", "text", "start", "end", "line"] {
        assert!(t0.get(k).is_some(), "turn has {k}");
    }
    assert_eq!(t0["role"], "agent");
    assert_eq!(t0["start"], 0.04);
    assert_eq!(t0["line"], 1);

    // Speaker-less: turns print with their role only, and the warning goes to stderr.
    let f = dir.join("whisper/whisper_timestamped.json");
    let o = run(&["convert", f.to_str().unwrap()]);
    assert!(
        stdout(&o).contains("\n[00:00:00] (unknown): Yeah, as much"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("no speaker information"));

    // --input-format overrides detection, and --agent maps.
    let f = dir.join("teams-txt/sample_transcript_1.txt");
    let o = run(&[
        "convert",
        f.to_str().unwrap(),
        "--to",
        "json",
        "--agent",
        "Org RepA",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["roles"], "mapped");
    let f = dir.join("zoom-chat/GMT20240124-202901_RecordingnewChat.txt");
    let o = run(&["convert", f.to_str().unwrap(), "--input-format", "webvtt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 1"), "{}", stderr(&o));
    // The silent file: the clear error, exit 2.
    let o = run(&["convert", dir.join(SILENT).to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no speech in the file"));
}
