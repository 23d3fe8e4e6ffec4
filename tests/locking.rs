//! Two writers: a second `add` while one runs is told the index is busy (exit 3) at once, or
//! waits with `--wait`; the lock of a killed `add` never blocks the next run; searches and
//! `check` keep working while an `add` holds the writer lock.
//!
//! The first `add` is held deterministically: it reads JSON Lines from a stdin pipe this test
//! keeps open, and announces on stderr that it holds the lock by its first commit
//! (`--commit-every`). No test relies on timing; a watchdog kills anything that hangs.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use common::{json_article, std_cmd, Sandbox};

/// Anything that runs longer than this is hung: killed, and the test fails.
const WATCHDOG: Duration = Duration::from_secs(120);

/// Lines the holder is fed before it commits (one stdin chunk of `add`).
const HELD: usize = 512;

/// Fail on a panic message in the output's stderr; return the output.
fn no_panic(output: Output, what: &str) -> Output {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{what} panicked: {stderr}");
    output
}

/// Wait for a child under the watchdog; fail on a panic message.
fn wait_watched(child: Child, what: &str) -> Output {
    no_panic(common::wait_watched(child, WATCHDOG, what).0, what)
}

/// Spawn and wait under the watchdog; fail on a panic message.
fn run_watched(cmd: Command, what: &str) -> Output {
    no_panic(common::run_watched(cmd, WATCHDOG, what).0, what)
}

fn expect(out: &Output, code: i32, what: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}\nstdout: {}\nstderr: {stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

/// Stderr of a child, line by line, readable with a watchdog.
struct Lines {
    rx: Receiver<String>,
    seen: Vec<String>,
}

impl Lines {
    fn new(child: &mut Child) -> Lines {
        let pipe = child.stderr.take().expect("stderr piped");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Lines {
            rx,
            seen: Vec::new(),
        }
    }

    /// Wait for a line starting with `prefix`; fails when the stream ends first or the
    /// watchdog expires.
    fn wait_for(&mut self, prefix: &str) {
        let deadline = Instant::now() + WATCHDOG;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(line) => {
                    let found = line.starts_with(prefix);
                    self.seen.push(line);
                    if found {
                        return;
                    }
                }
                Err(e) => panic!(
                    "no line starting with {prefix:?} ({e:?}); stderr so far: {:?}",
                    self.seen
                ),
            }
        }
    }

    /// Everything not read yet, once the child has exited.
    fn rest(&mut self) -> String {
        let mut all = self.seen.join("\n");
        while let Ok(line) = self.rx.recv_timeout(WATCHDOG) {
            all.push('\n');
            all.push_str(&line);
        }
        all
    }
}

/// An `add -` that holds the writer lock: it has committed `HELD` articles read from its
/// stdin, which stays open until [`Holder::release`]. Killed if the test fails first.
struct Holder {
    child: Option<Child>,
    stdin: Option<ChildStdin>,
    stderr: Lines,
}

impl Holder {
    fn start(sb: &Sandbox) -> Holder {
        let every = HELD.to_string();
        let mut child = std_cmd(sb, &["add", "--no-tags", "--commit-every", &every, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn holder");
        let mut stdin = child.stdin.take().expect("stdin");
        let stderr = Lines::new(&mut child);
        let mut holder = Holder {
            child: Some(child),
            stdin: None,
            stderr,
        };
        for i in 0..HELD {
            writeln!(
                stdin,
                "{}",
                json_article(
                    &format!("held-{i}"),
                    &format!("Held story {i}"),
                    "Wharton passed and Heldword was written."
                )
            )
            .expect("feed the holder");
        }
        stdin.flush().unwrap();
        holder.stdin = Some(stdin);
        // Its first commit proves it holds the writer lock (and makes those articles visible).
        holder
            .stderr
            .wait_for(&format!("newsidx: committed: {HELD} articles"));
        holder
    }

    /// Close its stdin: it finishes, commits and exits.
    fn release(mut self) -> Output {
        drop(self.stdin.take());
        let child = self.child.take().unwrap();
        let out = wait_watched(child, "holder");
        let stderr = self.stderr.rest();
        Output {
            status: out.status,
            stdout: out.stdout,
            stderr: stderr.into_bytes(),
        }
    }

    /// SIGKILL it, as a crash would.
    fn kill(mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), None, "killed by a signal");
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn article_file(sb: &Sandbox, name: &str, id: &str, word: &str) -> PathBuf {
    sb.write(
        name,
        json_article(id, &format!("Story {id}"), &format!("{word} scored late.")),
    )
}

fn hit_ids(sb: &Sandbox, word: &str) -> Vec<String> {
    let out = run_watched(
        std_cmd(sb, &["search", "--jsonl", "-n", "10000", word]),
        "search",
    );
    let code = out.status.code();
    assert!(
        code == Some(0) || code == Some(1),
        "search exited {code:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            common::parse_json(l.as_bytes())["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn add_file(sb: &Sandbox, extra: &[&str], file: &Path) -> Command {
    let mut args = vec!["add", "--no-tags"];
    args.extend(extra);
    let mut cmd = std_cmd(sb, &args);
    cmd.arg(file);
    cmd
}

#[test]
fn second_add_is_refused_at_once_while_searches_and_check_keep_working() {
    let sb = Sandbox::new();
    let holder = Holder::start(&sb);

    let second = article_file(&sb, "second.jsonl", "second-1", "Lerma");
    let out = run_watched(add_file(&sb, &[], &second), "second add");
    let stderr = expect(&out, 3, "second add");
    assert!(stderr.contains("index is busy"), "{stderr}");
    assert!(stderr.contains("--wait"), "{stderr}");
    // `rm` takes the same lock.
    let out = run_watched(std_cmd(&sb, &["rm", "held-1"]), "rm");
    expect(&out, 3, "rm while busy");

    // Readers do not need the writer lock: they see what the holder has committed.
    assert_eq!(hit_ids(&sb, "Heldword").len(), HELD);
    let out = run_watched(std_cmd(&sb, &["check"]), "check");
    expect(&out, 0, "check while an add runs");
    let out = run_watched(std_cmd(&sb, &["stats", "--json"]), "stats");
    expect(&out, 0, "stats while an add runs");

    let out = holder.release();
    let stderr = expect(&out, 0, "holder");
    assert!(stderr.contains(&format!("added {HELD}")), "{stderr}");
    // The refused add changed nothing; run now, it succeeds.
    assert!(hit_ids(&sb, "Lerma").is_empty());
    let out = run_watched(add_file(&sb, &[], &second), "second add, later");
    expect(&out, 0, "second add after the first finished");
    assert_eq!(hit_ids(&sb, "Lerma"), ["second-1"]);
}

#[test]
fn add_with_wait_waits_for_the_lock_then_succeeds() {
    let sb = Sandbox::new();
    let holder = Holder::start(&sb);

    let second = article_file(&sb, "second.jsonl", "second-1", "Lerma");
    let mut waiter = add_file(&sb, &["--wait", "--json"], &second)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn waiter");
    let mut waiter_err = Lines::new(&mut waiter);
    // It says it is waiting, and it cannot finish while the holder keeps the lock.
    waiter_err.wait_for("newsidx: index is busy: waiting");
    assert!(waiter.try_wait().unwrap().is_none(), "add --wait gave up");
    assert!(hit_ids(&sb, "Lerma").is_empty());

    let out = holder.release();
    expect(&out, 0, "holder");
    let out = wait_watched(waiter, "waiter");
    let stderr = waiter_err.rest();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(common::parse_json(&out.stdout)["added"], 1, "{stderr}");
    assert_eq!(hit_ids(&sb, "Lerma"), ["second-1"]);
    assert_eq!(hit_ids(&sb, "Heldword").len(), HELD);
}

#[test]
fn lock_left_by_a_killed_add_does_not_block_the_next_run() {
    let sb = Sandbox::new();
    let holder = Holder::start(&sb);
    let lock = sb.index().join(".tantivy-writer.lock");
    assert!(lock.exists(), "tantivy's writer lock file is there");
    holder.kill();
    // The lock file outlives the process; the lock itself (flock) died with it.
    assert!(lock.exists());

    let out = run_watched(std_cmd(&sb, &["check"]), "check after the kill");
    expect(&out, 0, "check after the kill");
    let second = article_file(&sb, "second.jsonl", "second-1", "Lerma");
    let out = run_watched(add_file(&sb, &[], &second), "add after the kill");
    expect(&out, 0, "add after the kill");
    // Its commit survived the kill; the next writer added to it.
    assert_eq!(hit_ids(&sb, "Heldword").len(), HELD);
    assert_eq!(hit_ids(&sb, "Lerma"), ["second-1"]);
    let out = run_watched(std_cmd(&sb, &["rm", "second-1"]), "rm after the kill");
    expect(&out, 0, "rm after the kill");
}

/// Regression: two `add`s starting together on a new index both tried to create it; the
/// loser failed with "Index already exists" or "cannot write newsidx.json" (exit 2) instead
/// of being told the index is busy. A race, so several rounds; without the fix most rounds
/// failed.
#[test]
fn two_first_runs_at_once_create_the_index_once() {
    let sb = Sandbox::new();
    let file = article_file(&sb, "a.jsonl", "a-1", "Lerma");
    for round in 0..6 {
        let _ = std::fs::remove_dir_all(sb.index());
        // With --wait in odd rounds: then both succeed.
        let extra: &[&str] = if round % 2 == 1 { &["--wait"] } else { &[] };
        let spawn = || {
            add_file(&sb, extra, &file)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn add")
        };
        let (a, b) = (spawn(), spawn());
        let outs = [wait_watched(a, "first add"), wait_watched(b, "second add")];
        let mut codes: Vec<i32> = outs.iter().map(|o| o.status.code().unwrap()).collect();
        codes.sort();
        let stderr: Vec<String> = outs
            .iter()
            .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
            .collect();
        let expected: &[i32] = if extra.is_empty() { &[0, 3] } else { &[0, 0] };
        assert!(
            codes == expected || codes == [0, 0],
            "round {round}: exit codes {codes:?}: {stderr:?}"
        );
        assert_eq!(hit_ids(&sb, "Lerma"), ["a-1"], "round {round}");
        let out = run_watched(std_cmd(&sb, &["check"]), "check");
        expect(&out, 0, "check");
    }
}
