//! `callcoach.toml`: discovery (nearest wins, `--config`, `--isolated`), what each key
//! does, flags over config, and errors that name the file and line.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// Rule ids found per path, from the JSON report.
fn rules_by_path(dir: &Path, args: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let o = run_in(dir, &all);
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("JSON from {all:?}: {}{}", stdout(&o), stderr(&o)));
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut ids: Vec<String> = f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["rule"].as_str().unwrap().to_string())
                .collect();
            ids.sort();
            (f["path"].as_str().unwrap().to_string(), ids)
        })
        .collect()
}

fn ids(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

const ALL3: &[&str] = &["missing-follow-up", "missing-summary", "premature-solving"];

#[test]
fn the_nearest_config_wins_then_config_flag_then_isolated() {
    let dir = tempdir("config-discovery");
    write(
        &dir,
        "callcoach.toml",
        "[rules]\nignore = [\"missing-summary\"]\n",
    );
    write(&dir, "top.txt", BAD_EN);
    write(
        &dir,
        "team/callcoach.toml",
        "[rules]\nignore = [\"missing-follow-up\"]\n",
    );
    write(&dir, "team/deep/er/call.txt", BAD_EN);
    write(&dir, "other/call.txt", BAD_EN);
    write(
        &dir,
        "special.toml",
        "[rules]\nselect = [\"premature-solving\"]\n",
    );

    // Nearest wins, whole (configs are not merged): team/ ignores only missing-follow-up.
    let got = rules_by_path(&dir, &["."]);
    assert_eq!(
        got,
        vec![
            (
                "./other/call.txt".to_string(),
                ids(&["missing-follow-up", "premature-solving"])
            ),
            (
                "./team/deep/er/call.txt".to_string(),
                ids(&["missing-summary", "premature-solving"])
            ),
            (
                "./top.txt".to_string(),
                ids(&["missing-follow-up", "premature-solving"])
            ),
        ]
    );
    // The same when the file is named directly, from another working folder.
    let got = rules_by_path(&dir.join("other"), &["../team/deep/er/call.txt"]);
    assert_eq!(got[0].1, ids(&["missing-summary", "premature-solving"]));

    // --config: one file for every input.
    let got = rules_by_path(
        &dir,
        &[
            "--config",
            "special.toml",
            "top.txt",
            "team/deep/er/call.txt",
        ],
    );
    assert!(
        got.iter().all(|(_, r)| *r == ids(&["premature-solving"])),
        "{got:?}"
    );

    // --isolated: none.
    let got = rules_by_path(&dir, &["--isolated", "top.txt", "team/deep/er/call.txt"]);
    assert!(got.iter().all(|(_, r)| *r == ids(ALL3)), "{got:?}");

    // Both at once makes no sense.
    let o = run_in(
        &dir,
        &["check", "--isolated", "--config", "special.toml", "top.txt"],
    );
    assert_eq!(o.status.code(), Some(2));

    // `test` and `review` read the config too.
    let o = run_in(
        &dir,
        &["review", "--color", "never", "team/deep/er/call.txt"],
    );
    assert!(!stdout(&o).contains("missing-follow-up"), "{}", stdout(&o));
    assert!(stdout(&o).contains("missing-summary"));
}

#[test]
fn every_key_does_what_it_says() {
    let dir = tempdir("config-keys");
    write(
        &dir,
        "callcoach.toml",
        r#"# Training scripts of team North.
language = "nl"
report-language = "en"
rules-dirs = ["pack"]

[rules]
select = ["premature-solving", "missing-summary", "missing-follow-up", "internal-jargon"]
ignore = ["missing-follow-up"]

[rules.severity]
missing-summary = "error"

[per-path-ignores]
"bad-examples/**" = ["premature-solving"]
"*.md" = ["missing-summary"]

[speakers]
"Sanne de Vries" = "agent"
"#,
    );
    std::fs::create_dir_all(dir.join("pack")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packs/jargon/internal-jargon.toml"),
        dir.join("pack/internal-jargon.toml"),
    )
    .unwrap();
    write(&dir, "nl.txt", BAD_NL);
    write(&dir, "bad-examples/nl.txt", BAD_NL);
    write(
        &dir,
        "guide.md",
        &format!("# Gids\n\n```transcript\n{BAD_NL}```\n"),
    );
    let named = BAD_NL
        .replace("Medewerker:", "Sanne de Vries:")
        .replace("Klant:", "Meneer Jansen:");
    write(&dir, "named.txt", &named);
    write(
        &dir,
        "jargon.txt",
        "Medewerker: Goedemorgen, Noordbank, waarmee kan ik u helpen?\nKlant: Ik heb vorige week gebeld over mijn pas.\nMedewerker: Wat is uw ticketnummer?\nKlant: Mijn wat?\n",
    );

    let o = run_in(&dir, &["check", "--format", "json", "."]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let file = |p: &str| {
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == p)
            .unwrap()
            .clone()
    };
    let rules = |p: &str| {
        let mut r: Vec<String> = file(p)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect();
        r.sort();
        r
    };
    // select + ignore + severity + report-language.
    let nl = file("./nl.txt");
    assert_eq!(
        rules("./nl.txt"),
        ids(&["missing-summary", "premature-solving"])
    );
    let ms = nl["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "missing-summary")
        .unwrap()
        .clone();
    assert_eq!(ms["severity"], "error");
    assert!(
        ms["message"].as_str().unwrap().starts_with("No summary"),
        "report-language en: {ms}"
    );
    // per-path-ignores, relative to the config's folder; a name pattern at any depth.
    assert_eq!(rules("./bad-examples/nl.txt"), ids(&["missing-summary"]));
    assert_eq!(rules("./guide.md"), ids(&["premature-solving"]));
    // speakers.
    assert_eq!(file("./named.txt")["roles"], "mapped");
    assert_eq!(
        rules("./named.txt"),
        ids(&["missing-summary", "premature-solving"])
    );
    // rules-dirs, relative to the config file.
    assert_eq!(rules("./jargon.txt"), ids(&["internal-jargon"]));

    // Flags override: --select replaces select (and re-enables an ignored rule), --ignore
    // adds, --report-lang replaces report-language.
    let got = rules_by_path(
        &dir,
        &["--select", "missing-follow-up,premature-solving", "nl.txt"],
    );
    assert_eq!(got[0].1, ids(&["missing-follow-up", "premature-solving"]));
    let got = rules_by_path(&dir, &["--ignore", "premature-solving", "nl.txt"]);
    assert_eq!(got[0].1, ids(&["missing-summary"]));
    let o = run_in(&dir, &["check", "--report-lang", "nl", "nl.txt"]);
    assert!(
        stdout(&o).contains("De hulpvraag is niet samengevat"),
        "{}",
        stdout(&o)
    );
    // The error level from the config decides the exit status.
    let o = run_in(&dir, &["check", "--ignore", "premature-solving", "nl.txt"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "missing-summary is an error under this config"
    );
}

#[test]
fn config_language_is_used_and_flags_override_it() {
    let dir = tempdir("config-lang");
    // An English call forced to be read as Dutch finds no English cues; as English it does.
    write(&dir, "callcoach.toml", "language = \"nl\"\n");
    write(&dir, "en.txt", BAD_EN);
    let o = run_in(&dir, &["check", "--format", "json", "en.txt"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"][0]["language"], "nl");
    let o = run_in(
        &dir,
        &["check", "--format", "json", "--lang", "en", "en.txt"],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"][0]["language"], "en");
}

#[test]
fn config_errors_name_the_file_and_line() {
    let dir = tempdir("config-errors");
    write(&dir, "a.txt", BAD_EN);
    let err = |toml: &str| {
        write(&dir, "callcoach.toml", toml);
        let o = run_in(&dir, &["check", "a.txt"]);
        assert_eq!(o.status.code(), Some(2), "{toml}");
        assert_eq!(stdout(&o), "", "nothing is reported under a broken config");
        stderr(&o)
    };
    let e = err("language = \"en\"\n\n[rules]\nselct = [\"premature-solving\"]\n");
    assert!(
        e.contains("callcoach.toml:4:1: unknown field `selct`"),
        "{e}"
    );
    let e = err("colour = \"never\"\n");
    assert!(
        e.contains("callcoach.toml:1:1: unknown field `colour`"),
        "{e}"
    );
    let e = err("[rules]\nignore = [\n  \"hurried-handling\",\n  \"premature-solvin\",\n]\n");
    assert!(
        e.contains("callcoach.toml:4: unknown rule 'premature-solvin' in [rules] ignore"),
        "{e}"
    );
    let e = err("[rules.severity]\nmissing-summary = \"critical\"\n");
    assert!(e.contains("callcoach.toml:2: severity 'critical'"), "{e}");
    let e = err("[per-path-ignores]\n\"bad/**\" = [\"no-such-rule\"]\n");
    assert!(
        e.contains(
            "callcoach.toml:2: unknown rule 'no-such-rule' in [per-path-ignores] \"bad/**\""
        ),
        "{e}"
    );
    let e = err("rules-dirs = [\"missing-folder\"]\n");
    assert!(
        e.contains("callcoach.toml:1: rules-dirs: 'missing-folder' is not a folder"),
        "{e}"
    );
    let e = err("report-language = \"fr\"\n");
    assert!(e.contains("callcoach.toml:1: report-language 'fr'"), "{e}");
    let e = err("[speakers]\n\"Sanne\" = \"boss\"\n");
    assert!(
        e.contains("callcoach.toml:2: [speakers] role 'boss'"),
        "{e}"
    );
    // --config naming a file that is not there.
    std::fs::remove_file(dir.join("callcoach.toml")).unwrap();
    let o = run_in(&dir, &["check", "--config", "nope.toml", "a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nope.toml: cannot read config"),
        "{}",
        stderr(&o)
    );
}
