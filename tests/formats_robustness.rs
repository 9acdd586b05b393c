//! Bad input is never a panic, and parsing time grows linearly.
//!
//! A small deterministic PRNG (no extra crate) feeds every parser random bytes and mutated
//! sample files (bit flips, truncations, duplicated and deleted slices, inserted syntax
//! tokens), forced with `--input-format` and through detection. A panic fails the test and
//! leaves the input in `target/tmp/` for `cargo fuzz run TARGET FILE`. Then every format is
//! parsed at n and 10n turns: the larger must take less than 30 times as long.

use callcoach::formats::{format_names, parse_bytes, ReadOptions};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// xorshift64*: deterministic, good enough for mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&[u8]] = &[
    b"-->",
    b" --> ",
    b"00:00:01.000",
    b"0:0:3.5",
    b"\n\n",
    b"\r\n",
    b"\r",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"<v ",
    b"</v>",
    b"&#",
    b"&#237;",
    b"&amp",
    b"WEBVTT\n",
    b"\t",
    b"[SPEAKER_00]: ",
    b"null",
    b"-1e999",
    b"\"NaN\"",
    b"1e308",
    b"\xEF\xBB\xBF",
    b"\xff",
    b"\"speaker\":",
    b"\"items\":[",
    b"\"Transcript\":[",
    b"Agent: ",
    b"# callcoach: ignore",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        match rng.below(6) {
            0 => {
                // Bit flips.
                for _ in 0..1 + rng.below(8) {
                    if !v.is_empty() {
                        let i = rng.below(v.len());
                        v[i] ^= 1 << rng.below(8);
                    }
                }
            }
            1 => {
                let at = rng.below(v.len() + 1);
                v.truncate(at);
            }
            2 => {
                // Duplicate a slice.
                if !v.is_empty() {
                    let a = rng.below(v.len());
                    let b = (a + 1 + rng.below(512)).min(v.len());
                    let chunk = v[a..b].to_vec();
                    let at = rng.below(v.len() + 1);
                    v.splice(at..at, chunk);
                }
            }
            3 => {
                if !v.is_empty() {
                    let a = rng.below(v.len());
                    let b = (a + 1 + rng.below(256)).min(v.len());
                    v.drain(a..b);
                }
            }
            4 => {
                let tok = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(v.len() + 1);
                v.splice(at..at, tok.iter().copied());
            }
            _ => {
                // Overwrite a byte with a random one.
                if !v.is_empty() {
                    let i = rng.below(v.len());
                    v[i] = rng.next() as u8;
                }
            }
        }
    }
    v
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(3000);
    let ascii = rng.below(2) == 0;
    let alphabet = b" \n:-->0123456789abcdefgh{}[]\",<>&#.\tAgentKlant";
    (0..len)
        .map(|_| {
            if ascii {
                alphabet[rng.below(alphabet.len())]
            } else {
                rng.next() as u8
            }
        })
        .collect()
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("tests/fixtures/synthetic"), root.join("examples")];
    let real = root.join("../shared/fixtures/real");
    if real.is_dir() {
        if let Ok(rd) = std::fs::read_dir(&real) {
            let mut sub: Vec<PathBuf> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            sub.sort();
            dirs.extend(sub);
        }
    } else {
        eprintln!("SKIPPED (partly): ../shared/fixtures/real is not beside the checkout; mutating the local fixtures only");
    }
    let mut out = Vec::new();
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in files {
            if let Ok(b) = std::fs::read(&f) {
                out.push((f.display().to_string(), b));
            }
        }
    }
    out
}

/// Parse, catching a panic: on one, save the input and fail with how to reproduce it.
fn must_not_panic(data: &[u8], format: Option<&str>, what: &str) {
    let opts = ReadOptions {
        format: format.map(str::to_string),
        ..Default::default()
    };
    let r = catch_unwind(AssertUnwindSafe(|| {
        let _ = parse_bytes(data, "robustness", &opts);
    }));
    if r.is_err() {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let path = dir.join(format!("panic-{}.bin", format.unwrap_or("detect")));
        let _ = std::fs::write(&path, data);
        panic!(
            "parser {:?} panicked on {what}; input saved to {}",
            format.unwrap_or("(detection)"),
            path.display()
        );
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x5EED_CA11_C0AC_4001);
    let names = format_names();
    for i in 0..300 {
        let data = random_bytes(&mut rng);
        must_not_panic(&data, None, &format!("random input #{i}"));
        let f = names[rng.below(names.len())];
        must_not_panic(&data, Some(f), &format!("random input #{i}"));
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let mut rng = Rng(0xF1_2345_6789_ABCD);
    let names = format_names();
    let seeds = seeds();
    assert!(seeds.len() >= 5);
    for (name, seed) in &seeds {
        // Small files get more mutations; big ones are slow to parse in a debug build.
        let rounds = if seed.len() > 50_000 { 6 } else { 30 };
        for r in 0..rounds {
            let data = mutate(&mut rng, seed);
            let what = format!("{name} mutation #{r}");
            must_not_panic(&data, None, &what);
            let f = names[rng.below(names.len())];
            must_not_panic(&data, Some(f), &what);
        }
        // Every parser on the unmutated file too (the wrong format must fail cleanly).
        for f in &names {
            must_not_panic(seed, Some(f), name);
        }
    }
}

/// A valid file of `n` turns in the named format.
fn generate(format: &str, n: usize) -> String {
    let sentence =
        |i: usize| format!("Sentence number {i} about the modem, the bill and [PII] again. Right?");
    let sp = |i: usize| {
        if i.is_multiple_of(2) {
            "Agent"
        } else {
            "Klant"
        }
    };
    let mut s = String::new();
    match format {
        "plain" => {
            for i in 0..n {
                s += &format!(
                    "[{:02}:{:02}:{:02}] {}: {}\n",
                    i / 3600,
                    i / 60 % 60,
                    i % 60,
                    sp(i),
                    sentence(i)
                );
            }
        }
        "webvtt" => {
            s += "WEBVTT\n\n";
            for i in 0..n {
                s += &format!(
                    "5f3c2a1e-8b7d-4c6e-9a0f-1d2e3f4a5b6c/{i}-0\n0:0:{}.0 --> 0:0:{}.5\n<v {} Far&#237;as>{}\nmore text</v>\n\n",
                    i,
                    i,
                    sp(i),
                    sentence(i)
                );
            }
        }
        "srt" => {
            for i in 0..n {
                s += &format!(
                    "{}\n00:{:02}:{:02},000 --> 00:{:02}:{:02},500\n[SPEAKER_0{}]: {}\n\n",
                    i + 1,
                    i / 60 % 60,
                    i % 60,
                    i / 60 % 60,
                    i % 60,
                    i % 2,
                    sentence(i)
                );
            }
        }
        "teams-txt" => {
            for i in 0..n {
                s += &format!(
                    "0:{}:{}.0 --> 0:{}:{}.5\n{}\n{}\n",
                    i / 60,
                    i % 60,
                    i / 60,
                    i % 60,
                    sp(i),
                    sentence(i)
                );
            }
        }
        "zoom-chat" => {
            for i in 0..n {
                s += &format!(
                    "{:02}:{:02}:{:02}\t{}:\t{}\r\n",
                    i / 3600,
                    i / 60 % 60,
                    i % 60,
                    sp(i),
                    sentence(i)
                );
            }
        }
        "aws-transcribe" => {
            let mut items = Vec::new();
            for i in 0..n {
                for (k, w) in sentence(i).split(' ').enumerate() {
                    let t = i as f64 * 10.0 + k as f64 * 0.5;
                    items.push(format!(
                        r#"{{"start_time":"{t:.2}","end_time":"{:.2}","alternatives":[{{"confidence":"0.9","content":"{}"}}],"type":"pronunciation","speaker_label":"spk_{}"}}"#,
                        t + 0.4,
                        w.trim_end_matches(['.', '?', ',']),
                        i % 2
                    ));
                }
                items.push(
                    r#"{"alternatives":[{"confidence":"0.0","content":"?"}],"type":"punctuation"}"#
                        .into(),
                );
            }
            s = format!(
                r#"{{"jobName":"j","status":"COMPLETED","results":{{"transcripts":[{{"transcript":""}}],"speaker_labels":{{"speakers":2,"segments":[]}},"items":[{}]}}}}"#,
                items.join(",\n")
            );
        }
        "aws-call-analytics" | "contact-lens" => {
            let key = if format == "contact-lens" {
                "ParticipantId"
            } else {
                "ParticipantRole"
            };
            let turns: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        r#"{{"{key}":"{}","Content":"{}","BeginOffsetMillis":{},"EndOffsetMillis":{}}}"#,
                        if i.is_multiple_of(2) { "AGENT" } else { "CUSTOMER" },
                        sentence(i),
                        i * 10_000,
                        i * 10_000 + 9000
                    )
                })
                .collect();
            let extra = if format == "contact-lens" {
                r#""Version":"1.1.0","#
            } else {
                r#""JobName":"j","#
            };
            s = format!(
                r#"{{{extra}"Participants":[],"ConversationCharacteristics":{{}},"Transcript":[{}]}}"#,
                turns.join(",\n")
            );
        }
        "whisper" | "whisperx" => {
            let segs: Vec<String> = (0..n)
                .map(|i| {
                    let words: Vec<String> = sentence(i)
                        .split(' ')
                        .enumerate()
                        .map(|(k, w)| {
                            format!(
                                r#"{{"word":"{w}","start":{},"end":{},"score":0.9,"speaker":"SPEAKER_0{}"}}"#,
                                i * 10 + k,
                                i * 10 + k + 1,
                                i % 2
                            )
                        })
                        .collect();
                    if format == "whisperx" {
                        format!(
                            r#"{{"start":{},"end":{},"text":"{}","speaker":"SPEAKER_0{}","words":[{}]}}"#,
                            i * 10,
                            i * 10 + 9,
                            sentence(i),
                            i % 2,
                            words.join(",")
                        )
                    } else {
                        format!(
                            r#"{{"id":{i},"seek":0,"start":{},"end":{},"text":" {}","tokens":[1,2]}}"#,
                            i * 10,
                            i * 10 + 9,
                            sentence(i)
                        )
                    }
                })
                .collect();
            s = format!(r#"{{"language":"en","segments":[{}]}}"#, segs.join(",\n"));
        }
        "deepgram" => {
            let words: Vec<String> = (0..n)
                .flat_map(|i| {
                    sentence(i)
                        .split(' ')
                        .enumerate()
                        .map(|(k, w)| {
                            format!(
                                r#"{{"word":"{}","punctuated_word":"{w}","start":{},"end":{},"speaker":{}}}"#,
                                w.to_lowercase(),
                                i * 10 + k,
                                i * 10 + k + 1,
                                i % 2
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            s = format!(
                r#"{{"metadata":{{"request_id":"r"}},"results":{{"channels":[{{"alternatives":[{{"transcript":"","words":[{}]}}]}}]}}}}"#,
                words.join(",\n")
            );
        }
        "assemblyai" => {
            let words: Vec<String> = (0..n)
                .flat_map(|i| {
                    sentence(i)
                        .split(' ')
                        .enumerate()
                        .map(|(k, w)| {
                            format!(
                                r#"{{"text":"{w}","start":{},"end":{},"speaker":"{}"}}"#,
                                (i * 10 + k) * 1000,
                                (i * 10 + k) * 1000 + 900,
                                if i.is_multiple_of(2) { "A" } else { "B" }
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            s = format!(
                r#"{{"id":"x","audio_url":"u","status":"completed","utterances":null,"words":[{}]}}"#,
                words.join(",\n")
            );
        }
        "ccai" => {
            let entries: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        r#"{{"text":"{}","role":"{}","user_id":{},"start_timestamp_usec":{}}}"#,
                        sentence(i),
                        if i.is_multiple_of(2) {
                            "AGENT"
                        } else {
                            "CUSTOMER"
                        },
                        i % 2,
                        1_700_000_000_000_000u64 + i as u64 * 1_000_000
                    )
                })
                .collect();
            s = format!(r#"{{"entries":[{}]}}"#, entries.join(",\n"));
        }
        "json" => {
            let turns: Vec<String> = (0..n)
                .map(|i| format!(r#"{{"speaker":"{}","text":"{}"}}"#, sp(i), sentence(i)))
                .collect();
            s = format!(r#"{{"id":"x","turns":[{}]}}"#, turns.join(",\n"));
        }
        "jsonl" => {
            // One short call per line: n lines.
            for i in 0..n {
                s.push_str(&format!(
                    r#"{{"id":"c{i}","turns":[{{"speaker":"Agent","text":"{}"}},{{"speaker":"Customer","text":"{}"}}]}}"#,
                    sentence(i),
                    sentence(i + 1)
                ));
                s.push('\n');
            }
        }
        other => panic!("no generator for format '{other}': add one"),
    }
    s
}

/// CPU time this thread has used, where the system tells (Linux), else wall time: the
/// machine may be busy with other builds, and wall time would measure them too.
fn cpu_now() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map(Duration::from_nanos)
        .unwrap_or_else(|| {
            static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
            START.get_or_init(Instant::now).elapsed()
        })
}

fn time_parse(data: &[u8], format: &str) -> Duration {
    let opts = ReadOptions {
        format: Some(format.to_string()),
        ..Default::default()
    };
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let t0 = cpu_now();
        let r = parse_bytes(data, "timing", &opts);
        let el = cpu_now().saturating_sub(t0);
        assert!(r.is_ok(), "{format}: {:#}", r.unwrap_err());
        best = best.min(el);
    }
    best
}

#[test]
fn parsing_time_grows_linearly() {
    let mut slow: Vec<String> = Vec::new();
    for format in format_names() {
        // The small input must take long enough (10 ms of CPU) to measure well.
        let mut n = 200;
        let (small, ts) = loop {
            let small = generate(format, n);
            let ts = time_parse(small.as_bytes(), format);
            if ts >= Duration::from_millis(10) || n >= 3200 {
                break (small, ts);
            }
            n *= 2;
        };
        let big = generate(format, 10 * n);
        // The generated files read as themselves (detection included).
        let detected = parse_bytes(small.as_bytes(), "gen", &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{format}: {e:#}"));
        assert_eq!(
            detected[0].format, format,
            "generated {format} detected as {}",
            detected[0].format
        );
        let tb = time_parse(big.as_bytes(), format);
        // A floor keeps timer noise on tiny inputs from failing the test.
        let ratio = tb.as_secs_f64() / ts.max(Duration::from_millis(5)).as_secs_f64();
        eprintln!(
            "{format}: {n} turns {} bytes {ts:?}, 10x {} bytes {tb:?}, ratio {ratio:.1}",
            small.len(),
            big.len(),
        );
        if ratio >= 30.0 {
            slow.push(format!(
                "{format}: 10x the input took {ratio:.1}x as long ({ts:?} -> {tb:?})"
            ));
        }
    }
    assert!(slow.is_empty(), "{slow:#?}");
}

#[test]
fn many_distinct_speakers_stay_linear() {
    // Role guessing and the one-speaker check look at every speaker: no pass per speaker.
    let chat = |n: usize| {
        (0..n)
            .map(|i| format!("00:00:{:02}\tPerson {i}:\tHello number {i}\n", i % 60))
            .collect::<String>()
    };
    let plain = |n: usize| {
        (0..n)
            .map(|i| format!("Person {i}: Hello number {i}\n"))
            .collect::<String>()
    };
    for (format, make) in [
        ("zoom-chat", &chat as &dyn Fn(usize) -> String),
        ("plain", &plain),
    ] {
        let ts = time_parse(make(1000).as_bytes(), format);
        let tb = time_parse(make(10_000).as_bytes(), format);
        let ratio = tb.as_secs_f64() / ts.max(Duration::from_millis(5)).as_secs_f64();
        eprintln!("{format} distinct speakers: {ts:?} -> {tb:?}, ratio {ratio:.1}");
        assert!(ratio < 30.0, "{format}: {ts:?} -> {tb:?}");
    }
}

#[test]
fn size_limit_is_kept() {
    let opts = ReadOptions {
        max_size: 100,
        ..Default::default()
    };
    let e = parse_bytes(&[b'a'; 101], "big", &opts)
        .unwrap_err()
        .to_string();
    assert!(e.contains("--max-size"), "{e}");
}
