//! Helpers shared by the integration tests: a temporary working directory with an index
//! path, the real `newsidx` binary run in it with a clean environment, and JSON parsing.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The repository's bundled corpus.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Path of the binary under test (for `std::process::Command` when a test needs pipes).
pub fn bin_path() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_newsidx"))
}

/// One test's sandbox: a temporary directory used as the working directory, holding the index
/// at `<tmp>/index`.
pub struct Sandbox {
    pub tmp: TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            tmp: tempfile::tempdir().expect("temporary directory"),
        }
    }

    /// The sandbox directory.
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// `<tmp>/<rel>`.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// The index directory.
    pub fn index(&self) -> PathBuf {
        self.path("index")
    }

    /// Write a file (creating parent directories) and return its path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create parent directory");
        }
        std::fs::write(&p, contents).expect("write fixture");
        p
    }

    /// Create a directory and return its path.
    pub fn mkdir(&self, rel: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(&p).expect("create directory");
        p
    }

    /// The binary with a clean environment, run in the sandbox, without `--index`.
    pub fn bare_cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("newsidx").expect("newsidx binary");
        cmd.env_clear().current_dir(self.dir());
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.env("HOME", self.dir());
        cmd
    }

    /// The binary with a clean environment and `--index <tmp>/index`, then `args`.
    pub fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.bare_cmd();
        cmd.arg("--index").arg(self.index());
        cmd.args(args);
        cmd
    }

    /// `add --json PATHS...`, expecting `code`; returns the summary.
    pub fn add_json(&self, paths: &[&Path], code: i32) -> Value {
        let mut cmd = self.cmd(["add", "--json"]);
        cmd.args(paths);
        let out = run_ok_code(cmd, code);
        parse_json(&out.stdout)
    }

    /// `add PATHS...` (human summary), expecting `code`; returns stderr.
    pub fn add(&self, paths: &[&Path], code: i32) -> String {
        let mut cmd = self.cmd(["add"]);
        cmd.args(paths);
        let out = run_ok_code(cmd, code);
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// `search QUERY --json`, expecting `code`; returns the document.
    pub fn search_json(&self, query: &str, code: i32) -> Value {
        let out = run_ok_code(self.cmd(["search", "--json", "--", query]), code);
        parse_json(&out.stdout)
    }

    /// Sources of the hits of `search QUERY --json -n 100` (empty when nothing matches).
    pub fn hit_sources(&self, query: &str) -> Vec<String> {
        let out = self
            .cmd(["search", "--json", "-n", "100", "--", query])
            .output()
            .expect("run newsidx");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "panic: {stderr}");
        let code = out.status.code();
        assert!(
            code == Some(0) || code == Some(1),
            "search {query:?} exited {code:?}: {stderr}"
        );
        let doc = parse_json(&out.stdout);
        doc["hits"]
            .as_array()
            .expect("hits array")
            .iter()
            .map(|h| h["source"].as_str().expect("source").to_string())
            .collect()
    }

    /// Whether `search QUERY` finds an article read from a file with this name.
    pub fn finds(&self, query: &str, file_name: &str) -> bool {
        self.hit_sources(query)
            .iter()
            .any(|s| Path::new(s).file_name().is_some_and(|n| n == file_name))
    }

    /// `stats --json` (exit 0 or 1).
    pub fn stats_json(&self) -> Value {
        let out = self.cmd(["stats", "--json"]).output().expect("run newsidx");
        assert!(
            matches!(out.status.code(), Some(0) | Some(1)),
            "stats failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        parse_json(&out.stdout)
    }

    /// Number of articles in the index.
    pub fn article_count(&self) -> u64 {
        self.stats_json()["articles"].as_u64().expect("articles")
    }

    /// `show ID --json`, expecting success.
    pub fn show_json(&self, id: &str) -> Value {
        let out = run_ok_code(self.cmd(["show", "--json", "--", id]), 0);
        parse_json(&out.stdout)
    }
}

/// `newsidx --index <sandbox>/index ARGS` as a plain std command (for pipes, spawning and
/// watchdogs) with a clean environment: HOME in the sandbox, PATH kept, stdin closed.
pub fn std_cmd<S: AsRef<std::ffi::OsStr>>(sb: &Sandbox, args: &[S]) -> std::process::Command {
    let mut cmd = std::process::Command::new(bin_path());
    cmd.env_clear()
        .current_dir(sb.dir())
        .env("HOME", sb.dir())
        .arg("--index")
        .arg(sb.index())
        .args(args)
        .stdin(std::process::Stdio::null());
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd
}

/// Wait for a child under a watchdog: past `limit` it is killed and the test fails, naming
/// `what`. Piped stdout and stderr are read on threads meanwhile. Returns the output and
/// how long the wait took.
pub fn wait_watched(
    mut child: std::process::Child,
    limit: std::time::Duration,
    what: &str,
) -> (std::process::Output, std::time::Duration) {
    use std::io::Read;
    let started = std::time::Instant::now();
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for newsidx") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}: killed by the watchdog");
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    let output = std::process::Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    };
    (output, elapsed)
}

/// Spawn `cmd` with stdout and stderr piped, then [`wait_watched`].
pub fn run_watched(
    mut cmd: std::process::Command,
    limit: std::time::Duration,
    what: &str,
) -> (std::process::Output, std::time::Duration) {
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn newsidx");
    wait_watched(child, limit, what)
}

/// Run a command, check its exit code and that it did not panic; return its output.
pub fn run_ok_code(mut cmd: Command, code: i32) -> std::process::Output {
    let out = cmd.output().expect("run newsidx");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic in {cmd:?}: {stderr}");
    assert_eq!(
        out.status.code(),
        Some(code),
        "{cmd:?}\nstdout: {}\nstderr: {stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

/// Run and assert the exit code (assert_cmd style), checking for panics.
pub fn expect_code(mut cmd: Command, code: i32) -> Assert {
    let assert = cmd.assert();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert.code(code)
}

/// Parse one JSON document from bytes.
pub fn parse_json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!(
            "not one JSON document ({e}): {:?}",
            String::from_utf8_lossy(bytes)
        )
    })
}

/// The string `field` of each object in the JSON array `array`.
pub fn strings<'a>(array: &'a Value, field: &str) -> Vec<&'a str> {
    array
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {array}"))
        .iter()
        .map(|o| {
            o[field]
                .as_str()
                .unwrap_or_else(|| panic!("no string {field:?} in {o}"))
        })
        .collect()
}

/// A `.txt` article: title line, blank line, body.
pub fn txt(title: &str, body: &str) -> String {
    format!("{title}\n\n{body}\n")
}

/// A JSON Lines article object.
pub fn json_article(id: &str, title: &str, body: &str) -> String {
    serde_json::json!({"id": id, "title": title, "body": body}).to_string()
}

/// Summary counts `(added, updated, unchanged, removed, skipped)` of an `add --json` summary.
pub fn counts(summary: &Value) -> (u64, u64, u64, u64, u64) {
    let n = |k: &str| {
        summary[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k} in {summary}"))
    };
    (
        n("added"),
        n("updated"),
        n("unchanged"),
        n("removed"),
        n("skipped"),
    )
}
