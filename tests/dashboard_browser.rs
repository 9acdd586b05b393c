//! The team dashboard in a real browser: headless Chromium loads the page from disk, and
//! the test reads the DOM it built (charts, agent rows, the marker our script sets), its
//! console (no errors), and keeps a screenshot (`target/dashboard.png`). The injection test
//! puts script, markup and `javascript:` into a transcript's text, id, agent and file name
//! and checks the browser shows them as text and ran none of them.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Run headless Chromium on a file with a fresh profile; returns (stdout, stderr).
fn browse(browser: &str, page: &Path, extra: &[&str], name: &str) -> (String, String) {
    let profile = tempdir(&format!("chromium-{name}"));
    let url = format!("file://{}", page.display());
    let mut args: Vec<String> = [
        "120",
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(url);
    let o = Command::new("timeout")
        .args(&args)
        .output()
        .expect("chromium runs");
    let _ = std::fs::remove_dir_all(&profile);
    (stdout(&o), stderr(&o))
}

/// Console messages Chromium logged (errors, uncaught exceptions, CSP refusals).
fn console_problems(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught") || l.contains("Refused to"))
        .collect()
}

fn render(args: &[&str]) -> (PathBuf, String) {
    let o = run(args);
    assert!(
        matches!(o.status.code(), Some(0) | Some(2)),
        "{}",
        stderr(&o)
    );
    let out = args
        .iter()
        .position(|a| *a == "--output")
        .map(|i| PathBuf::from(args[i + 1]))
        .unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    (out, html)
}

#[test]
fn the_dashboard_loads_in_chromium_with_charts_agent_rows_and_no_console_errors() {
    let Some(shared) = shared() else {
        return skip("dashboard in the browser");
    };
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: dashboard in the browser: chromium is not installed (apt-get install chromium)");
        return;
    };
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    let page = target.join("dashboard.html");
    let dev = shared.join("corpus/dev");
    let (page, html) = render(&[
        "score",
        "--format",
        "html",
        "--report-lang",
        "en",
        "--output",
        page.to_str().unwrap(),
        dev.to_str().unwrap(),
    ]);
    // Self-contained: nothing is loaded from anywhere.
    for bad in [
        "src=\"http",
        "href=\"http",
        "src=http",
        "@import",
        "url(http",
    ] {
        assert!(!html.contains(bad), "the page must not load {bad}");
    }
    assert!(html.contains("default-src 'none'"));

    let (dom, log) = browse(browser, &page, &["--dump-dom"], "dom");
    assert!(
        dom.contains("data-dashboard=\"ready\""),
        "our script ran: {}",
        &log[log.len().saturating_sub(2000)..]
    );
    assert!(
        console_problems(&log).is_empty(),
        "console: {:?}",
        console_problems(&log)
    );
    assert!(dom.matches("<svg").count() >= 3, "charts are drawn");
    assert!(dom.contains("id=\"distribution\"") && dom.contains("id=\"pitfalls\""));
    let agent_rows = dom.matches("class=\"agent-row\"").count();
    assert!(agent_rows >= 5, "a row per agent, got {agent_rows}");
    assert!(
        dom.contains(">Dennis<"),
        "a named agent from the corpus is listed"
    );
    assert!(dom.matches("class=\"listen-row\"").count() >= 10);
    assert!(dom.contains("<details>") && dom.contains("<blockquote>"));

    let shot = target.join("dashboard.png");
    let _ = std::fs::remove_file(&shot);
    let arg = format!("--screenshot={}", shot.display());
    let (_, log) = browse(browser, &page, &[&arg, "--window-size=1280,2000"], "shot");
    assert!(
        console_problems(&log).is_empty(),
        "console: {:?}",
        console_problems(&log)
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 20_000, "a screenshot was taken ({size} bytes)");
}

#[test]
fn transcript_text_cannot_inject_script_or_markup() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: injection test in the browser: chromium is not installed (apt-get install chromium)");
        return;
    };
    let dir = tempdir("dashboard-injection");
    let calls = dir.join("calls");
    std::fs::create_dir_all(&calls).unwrap();
    let mark = |n: u32| format!("document.body.setAttribute('data-pwned','{n}')");
    let text = format!(
        "# id: <script>{m1}</script>\n\
         # agent: \"><img src=x onerror=\"{m2}\">\n\
         # lang: en\n\
         Agent: Good morning, you are speaking with Sam. How can I help?\n\
         Customer: My internet drops every evening and I am fed up <script>{m3}</script> with it.\n\
         Agent: I will send you a new modem \"><img src=x onerror=\"{m4}\"> javascript:{m5} today.\n\
         Customer: That is not what I asked! This is the third time I call about this!\n\
         Agent: I will book an engineer for you then <svg onload=\"{m6}\"></svg>.\n",
        m1 = mark(1),
        m2 = mark(2),
        m3 = mark(3),
        m4 = mark(4),
        m5 = mark(5),
        m6 = mark(6),
    );
    // The file name carries markup too.
    let name = "x\"><img src=x onerror=alert(1)>.txt";
    std::fs::write(calls.join(name), &text).unwrap();
    let page = dir.join("team.html");
    let (page, html) = render(&[
        "score",
        "--format",
        "html",
        "--output",
        page.to_str().unwrap(),
        calls.to_str().unwrap(),
    ]);
    assert!(
        !html.contains("<script>document"),
        "script tags are escaped"
    );
    assert!(!html.contains("<img src=x"), "markup is escaped");
    assert!(!html.contains("<svg onload"), "markup is escaped");

    let (dom, log) = browse(browser, &page, &["--dump-dom"], "inject");
    assert!(
        dom.contains("data-dashboard=\"ready\""),
        "the page's own script ran"
    );
    let body = &dom[dom.find("<body").unwrap()..];
    let body_tag = &body[..body.find('>').unwrap()];
    assert!(
        !body_tag.contains("data-pwned"),
        "no injected script ran: {body_tag}"
    );
    assert!(!dom.contains("<img src=\"x\""), "no injected element");
    assert!(!dom.contains("<svg onload"), "no injected element");
    // The text is shown as text.
    assert!(
        dom.contains("&lt;script&gt;document.body.setAttribute('data-pwned','1')&lt;/script&gt;"),
        "id shown as text"
    );
    assert!(
        dom.contains("onerror=\"document.body.setAttribute('data-pwned','4')\"&gt;"),
        "quote shown as text"
    );
    assert!(
        dom.contains("javascript:document.body.setAttribute('data-pwned','5')"),
        "javascript: shown as text"
    );
    assert!(
        dom.contains("x\"&gt;&lt;img src=x onerror=alert(1)&gt;.txt"),
        "file name shown as text"
    );
    assert!(
        console_problems(&log).is_empty(),
        "console: {:?}",
        console_problems(&log)
    );
}
