//! Behaviour that depends on other processes and on the output stream: the writer lock,
//! closed pipes and colours.

mod common;

use std::io::Write;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{json_article, std_cmd, txt, Sandbox};
use predicates::prelude::*;

/// Kills the child if the test fails before it is waited for.
struct Guard(Option<Child>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn index_busy_while_another_add_is_writing() {
    let sb = Sandbox::new();
    let first = sb.write(
        "first.txt",
        txt("Already here", "Guehi captained the side."),
    );
    sb.add_json(&[&first], 0);

    // A long `add -` holds the writer lock while its stdin stays open (`--wait`: the polling
    // below may hold the lock for a moment when it starts).
    let mut holder = std_cmd(&sb, &["add", "--wait", "--quiet", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn holder");
    let mut stdin = holder.stdin.take().expect("stdin");
    writeln!(
        stdin,
        "{}",
        json_article("held-1", "Held story", "Wharton passed.")
    )
    .unwrap();
    stdin.flush().unwrap();
    let mut guard = Guard(Some(holder));

    // Wait until the lock is taken: `rm` of an unknown id is harmless when it is free.
    let started = Instant::now();
    loop {
        if let Some(status) = guard.0.as_mut().unwrap().try_wait().unwrap() {
            panic!("the holder exited early: {status}");
        }
        let out = std_cmd(&sb, &["rm", "no-such-id"]).output().unwrap();
        let code = out.status.code();
        if code == Some(3) {
            break;
        }
        assert_eq!(code, Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the writer lock was never taken"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let second = sb.write("second.txt", txt("Too late", "Lerma waited."));
    let mut c = sb.cmd(["add"]);
    c.arg(&second);
    common::expect_code(c, 3)
        .stderr(predicate::str::contains("busy"))
        .stderr(predicate::str::contains("--wait"));
    // Searches keep working meanwhile.
    assert!(sb.finds("Guehi", "first.txt"));

    // `add --wait` waits for the lock instead.
    let mut waiter = std_cmd(&sb, &["add", "--wait", "--json"])
        .arg(&second)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn waiter");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        waiter.try_wait().unwrap().is_none(),
        "add --wait did not wait"
    );

    // Let the holder finish.
    drop(stdin);
    let holder = guard.0.take().unwrap();
    let out = holder.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("added 1"), "{stderr}");

    let out = waiter.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(common::parse_json(&out.stdout)["added"], 1);

    assert_eq!(sb.article_count(), 3);
    assert!(!sb.hit_sources("Wharton").is_empty());
    assert!(sb.finds("Lerma", "second.txt"));
}

fn many_hits(sb: &Sandbox) {
    let lines: Vec<String> = (0..300)
        .map(|i| {
            json_article(
                &format!("p{i}"),
                &format!("Pipe story {i}"),
                &format!(
                    "Doucoure scored again in game {i}. {}",
                    "More words. ".repeat(20)
                ),
            )
        })
        .collect();
    let f = sb.write("many.jsonl", lines.join("\n"));
    sb.add_json(&[&f], 0);
}

/// Run `search -n 300 Doucoure [FORMAT]`, read a little of its output and hang up (like
/// `| head -c 16`); check that it neither complains nor fails.
fn search_into_closed_pipe(sb: &Sandbox, format: Option<&str>) {
    let mut args = vec!["search", "-n", "300", "Doucoure"];
    args.extend(format);
    let mut child = std_cmd(sb, &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    let _ = std::io::Read::read(&mut stdout, &mut first);
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("error") && !stderr.contains("panicked"),
        "{format:?}: {stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{format:?}: {stderr}");
}

#[test]
fn closed_pipe_is_not_an_error() {
    let sb = Sandbox::new();
    many_hits(&sb);
    search_into_closed_pipe(&sb, None);
}

#[test]
fn closed_pipe_is_not_an_error_for_json() {
    let sb = Sandbox::new();
    many_hits(&sb);
    search_into_closed_pipe(&sb, Some("--json"));
    search_into_closed_pipe(&sb, Some("--jsonl"));
}

#[test]
fn no_colour_unless_asked() {
    let sb = Sandbox::new();
    let f = sb.write(
        "a.txt",
        txt("Colourful title", "Mitoma dribbled past three."),
    );
    sb.add_json(&[&f], 0);
    let id = sb.search_json("Mitoma", 0)["hits"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let esc = predicate::str::contains("\x1b");

    for args in [
        vec!["search", "Mitoma"],
        vec!["show", id.as_str()],
        vec!["stats"],
    ] {
        // Not a terminal: no colour.
        common::expect_code(sb.cmd(&args), 0).stdout(esc.clone().not());
        // NO_COLOR.
        let mut c = sb.cmd(&args);
        c.env("NO_COLOR", "1");
        common::expect_code(c, 0).stdout(esc.clone().not());
        // --color never.
        let mut c = sb.cmd(["--color", "never"]);
        c.args(&args);
        common::expect_code(c, 0).stdout(esc.clone().not());
        // --color always.
        let mut c = sb.cmd(["--color", "always"]);
        c.args(&args);
        common::expect_code(c, 0).stdout(esc.clone());
    }

    // The matched word is highlighted.
    common::expect_code(sb.cmd(["--color", "always", "search", "Mitoma"]), 0)
        .stdout(predicate::str::contains("\x1b[1;31mMitoma\x1b[0m"));
    // JSON is never coloured.
    common::expect_code(
        sb.cmd(["--color", "always", "search", "--json", "Mitoma"]),
        0,
    )
    .stdout(esc.clone().not());
}

#[test]
fn article_text_cannot_drive_the_terminal() {
    let sb = Sandbox::new();
    let f = sb.write(
        "evil.jsonl",
        json_article(
            "evil-1",
            "Title \u{1b}[31mred\u{1b}[0m \u{202e}reversed",
            "Body with Raya and \u{1b}]0;owned\u{7} escapes.",
        ),
    );
    sb.add_json(&[&f], 0);
    for args in [
        vec!["--color", "never", "search", "Raya"],
        vec!["--color", "never", "show", "evil-1"],
    ] {
        let out = common::run_ok_code(sb.cmd(&args), 0);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            !stdout
                .chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{args:?}: {stdout:?}"
        );
    }
}
