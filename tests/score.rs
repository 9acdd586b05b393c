//! `callcoach score`: the batch runner, its outputs, faults and determinism.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

const REC: &str = r#"{"id": "c1", "agent": "Sanne", "date": "2026-11-02", "turns": [{"speaker": "customer", "text": "My internet drops every evening and I am fed up with it."}, {"speaker": "agent", "text": "I will send you a new modem."}, {"speaker": "customer", "text": "That is not what I asked."}, {"speaker": "agent", "text": "I will book an engineer then."}]}"#;

/// A folder of good calls plus a corrupt, an invalid-UTF-8 and an empty file.
fn faulty_folder(name: &str) -> PathBuf {
    let dir = tempdir(name);
    let team = dir.join("team");
    std::fs::create_dir_all(team.join("sanne")).unwrap();
    std::fs::create_dir_all(team.join("bram")).unwrap();
    std::fs::copy(
        example("nl-internet-storing.txt"),
        team.join("sanne/2026-11-02_call1.txt"),
    )
    .unwrap();
    std::fs::copy(
        example("en-refund-call.txt"),
        team.join("sanne/2026-11-09_call2.txt"),
    )
    .unwrap();
    std::fs::copy(
        example("en-refund-call.txt"),
        team.join("bram/2026-11-03_call3.txt"),
    )
    .unwrap();
    std::fs::write(
        team.join("bram/corrupt.json"),
        "{\"turns\": [ {\"speaker\": ",
    )
    .unwrap();
    std::fs::write(
        team.join("bram/latin1.txt"),
        b"Agent: caf\xe9\nKlant: hallo\n",
    )
    .unwrap();
    std::fs::write(team.join("bram/empty.txt"), "").unwrap();
    team
}

fn csv_rows(out: &str) -> Vec<Vec<String>> {
    // The fields here hold no quotes or commas except in error messages, which come last.
    out.lines()
        .skip(1)
        .map(|l| {
            let mut cols: Vec<String> = Vec::new();
            let mut cur = String::new();
            let mut quoted = false;
            for c in l.chars() {
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => cols.push(std::mem::take(&mut cur)),
                    _ => cur.push(c),
                }
            }
            cols.push(cur);
            cols
        })
        .collect()
}

#[test]
fn faulty_inputs_become_error_rows_and_the_batch_goes_on() {
    let team = faulty_folder("score-faults");
    let o = run(&["score", "--format", "csv", team.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 6, "{out}");
    let header: Vec<&str> = out.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (score, error) = (col("score"), col("error"));
    let errors: Vec<&Vec<String>> = rows.iter().filter(|r| !r[error].is_empty()).collect();
    assert_eq!(errors.len(), 3, "{out}");
    assert!(errors
        .iter()
        .any(|r| r[0].ends_with("corrupt.json") && r[error].contains("JSON")));
    assert!(errors
        .iter()
        .any(|r| r[0].ends_with("latin1.txt") && r[error].contains("UTF-8")));
    assert!(errors
        .iter()
        .any(|r| r[0].ends_with("empty.txt") && r[error].contains("empty")));
    let scored: Vec<&Vec<String>> = rows.iter().filter(|r| !r[score].is_empty()).collect();
    assert_eq!(scored.len(), 3, "every good call is scored: {out}");
    assert!(stderr(&o).contains("3 of 6"), "{}", stderr(&o));
}

#[test]
fn jobs_do_not_change_a_byte() {
    let team = faulty_folder("score-jobs");
    let jsonl = team.parent().unwrap().join("calls.jsonl");
    let mut text = String::new();
    for i in 0..150 {
        text.push_str(&REC.replace("\"c1\"", &format!("\"c{i}\"")));
        text.push('\n');
        if i == 100 {
            text.push_str("{\"broken\n");
        }
    }
    std::fs::write(&jsonl, text).unwrap();
    for format in ["csv", "json", "jsonl", "table", "html"] {
        let args = |j: &str| {
            vec![
                "score".to_string(),
                "--format".into(),
                format.into(),
                "--jobs".into(),
                j.into(),
                "--agent-from-path".into(),
                "team/([a-z]+)/".into(),
                team.to_str().unwrap().into(),
                jsonl.to_str().unwrap().into(),
            ]
        };
        let a = bin().args(args("1")).output().unwrap();
        let b = bin().args(args("2")).output().unwrap();
        assert_eq!(a.status.code(), Some(2));
        assert!(!a.stdout.is_empty());
        assert!(
            a.stdout == b.stdout,
            "--jobs 1 and --jobs 2 differ for {format}"
        );
    }
}

#[test]
fn json_lines_rows_name_their_line_and_a_broken_line_costs_only_itself() {
    let dir = tempdir("score-jsonl");
    let p = dir.join("calls.jsonl");
    std::fs::write(
        &p,
        format!("{REC}\n\n{{\"id\": \"x\", \"turns\": [\n{REC}\n"),
    )
    .unwrap();
    let o = run(&["score", "--format", "jsonl", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "three rows and the summary");
    let src = |i: usize| lines[i]["source"].as_str().unwrap().to_string();
    assert!(src(0).ends_with("calls.jsonl:1"));
    assert!(src(1).ends_with("calls.jsonl:3"));
    assert_eq!(lines[1]["type"], "error");
    assert!(src(2).ends_with("calls.jsonl:4"));
    assert_eq!(lines[2]["agent"], "Sanne");
    assert_eq!(lines[2]["date"], "2026-11-02");
    assert!(lines[2]["score"].is_u64());
    assert!(lines[2]["rules"]["premature-solving"].is_u64());
    let summary = &lines[3];
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["calls"], 2);
    assert_eq!(summary["errors"], 1);
    assert_eq!(summary["groups"][0]["name"], "Sanne");
}

#[test]
fn stdin_agents_and_dates_from_paths_and_weekly_groups() {
    let dir = tempdir("score-paths");
    let day = dir.join("2026-11-02_sanne_1234.txt");
    let text = std::fs::read_to_string(example("en-refund-call.txt")).unwrap();
    // Without an agent header the agent comes from the path.
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("# agent"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&day, &text).unwrap();
    std::fs::write(dir.join("2026-11-10_bram_99.txt"), &text).unwrap();
    let o = run(&[
        "score",
        "--format",
        "json",
        "--group-by",
        "date",
        "--agent-from-path",
        r"\d_([a-z]+)_\d+\.txt$",
        "--date-from-path",
        r"(\d{4}-\d{2}-\d{2})_",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["calls"][0]["agent"], "sanne");
    assert_eq!(v["calls"][0]["date"], "2026-11-02");
    assert_eq!(v["calls"][1]["agent"], "bram");
    let groups = v["summary"]["groups"].as_array().unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["2026-W45", "2026-W46"]);
    assert_eq!(
        v["summary"]["team"]["distribution"]
            .as_array()
            .unwrap()
            .len(),
        10
    );

    // `-` reads JSON Lines from stdin.
    use std::io::Write;
    let mut child = bin()
        .args(["score", "--format", "csv", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{REC}\n{REC}\n").as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.lines()
            .nth(2)
            .unwrap()
            .starts_with("<stdin>:2,c1,Sanne,2026-11-02,en,call,4,"),
        "{out}"
    );
}

#[test]
fn output_is_written_atomically_and_fail_on_is_opt_in() {
    let dir = tempdir("score-output");
    let report = dir.join("report.csv");
    let call = example("nl-internet-storing.txt");
    let o = run(&[
        "score",
        "--format",
        "csv",
        "--output",
        report.to_str().unwrap(),
        call.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "findings do not fail score by default"
    );
    assert!(o.stdout.is_empty());
    let written = std::fs::read_to_string(&report).unwrap();
    assert!(written.starts_with("source,id,agent"));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path() != report)
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file left: {leftovers:?}"
    );
    let o = run(&[
        "score",
        "--fail-on",
        "error",
        "--quiet",
        call.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("team: 1 calls scored"),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).is_empty(),
        "no progress bar when stderr is not a terminal"
    );
    // A report into a folder that does not exist fails cleanly.
    let bad = dir.join("nope/report.csv");
    let o = run(&[
        "score",
        "--output",
        bad.to_str().unwrap(),
        call.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!Path::new(&bad).exists());
}

#[test]
fn missing_paths_linked_folders_and_oversized_files() {
    let dir = tempdir("score-paths-kinds");
    let real = dir.join("real");
    std::fs::create_dir_all(&real).unwrap();
    std::fs::copy(example("en-refund-call.txt"), real.join("a.txt")).unwrap();
    std::fs::copy(example("nl-internet-storing.txt"), real.join("big.txt")).unwrap();
    let linked = dir.join("linked");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&real, &linked).unwrap();
    #[cfg(not(unix))]
    std::fs::create_dir_all(&linked).unwrap();
    std::fs::copy(example("en-refund-call.txt"), dir.join("own.txt")).unwrap();
    let missing = dir.join("gone.txt");
    let missing_lines = dir.join("gone.jsonl");
    let size = std::fs::metadata(real.join("a.txt")).unwrap().len();
    let o = run(&[
        "score",
        "--format",
        "csv",
        "--max-size",
        &size.to_string(),
        linked.to_str().unwrap(),
        missing.to_str().unwrap(),
        missing_lines.to_str().unwrap(),
        dir.join("own.txt").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    let rows = csv_rows(&out);
    let header: Vec<&str> = out.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (score, error) = (col("score"), col("error"));
    let row = |end: &str| rows.iter().find(|r| r[0].ends_with(end)).cloned();
    // A folder reached through a link is walked like any other.
    #[cfg(unix)]
    {
        let a = row("linked/a.txt").expect("the linked folder is walked");
        assert!(!a[score].is_empty() && a[error].is_empty(), "{a:?}");
        let big = row("linked/big.txt").expect("its other file too");
        assert!(big[error].contains("larger than the limit"), "{big:?}");
    }
    let gone = row("gone.txt").expect("a row for the missing file");
    assert_eq!(gone[error], "no such file or folder");
    let gone_lines = row("gone.jsonl").expect("a row for the missing JSON Lines file");
    assert_eq!(gone_lines[error], "no such file or folder");
    assert!(!row("own.txt").unwrap()[score].is_empty());
    // Input order: the folder's files, then the missing ones, then the last file.
    let order: Vec<usize> = ["a.txt", "gone.txt", "gone.jsonl", "own.txt"]
        .iter()
        .map(|e| rows.iter().position(|r| r[0].ends_with(e)).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}
