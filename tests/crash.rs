//! Crash safety: `add` killed with SIGKILL at random moments never leaves an index that fails
//! to open or fails `check`, never loses an article whose commit it reported, and a rerun
//! completes with exactly one document per article, each in its newest version.
//!
//! Each trial builds a fresh index from a generated corpus with `--commit-every` small enough
//! for several commits per run, kills one to three runs at random moments (the corpus is
//! partly rewritten between them, so some kills land in the middle of replacements), checks
//! the index after every kill, and finishes with a run that must complete.
//!
//! Environment: `NEWSIDX_CRASH_TRIALS` (default 12), `NEWSIDX_CRASH_SEED` (default fixed),
//! `NEWSIDX_CRASH_ARTICLES` (default 120), `NEWSIDX_CRASH_JOBS` (trials run at once,
//! default 2), `NEWSIDX_CRASH_TAGS=1` (tag entities: slower, adds match-fact documents),
//! `NEWSIDX_CRASH_BIN` (the binary to test, default the one cargo built).
//! `scripts/crash-test.sh` runs the full 200 trials with the release binary.

mod common;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A process that runs longer than this is hung: it is killed and the trial fails.
const WATCHDOG: Duration = Duration::from_secs(120);

/// xorshift64*: a seeded generator, so a failing trial can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Settings {
    articles: usize,
    files: usize,
    commit_every: usize,
    tags: bool,
}

impl Settings {
    fn from_env() -> Settings {
        let articles = env_u64("NEWSIDX_CRASH_ARTICLES", 120).max(4) as usize;
        Settings {
            articles,
            files: 6,
            // About eight commits per complete run.
            commit_every: (articles / 8).max(1),
            tags: std::env::var_os("NEWSIDX_CRASH_TAGS").is_some_and(|v| v == "1"),
        }
    }
}

/// The generated corpus: articles with ids in JSON Lines files, then one-article text files
/// (whose ids are hashes of their text, so a changed file replaces its article under a new
/// id), all read in name order. Every body carries a word shared by all (`crashcorpus`) and
/// its revision (`revR`); titles are unique and stay the same across revisions, so they name
/// articles in the checks.
struct Corpus {
    dir: PathBuf,
    revisions: Vec<u32>,
    /// Articles taken out of their JSON Lines file (a re-read file drops them from the index).
    deleted: Vec<bool>,
    /// The first `jsonl` articles are in JSON Lines files; the rest are text files.
    jsonl: usize,
    files: usize,
}

impl Corpus {
    fn new(dir: PathBuf, articles: usize, files: usize) -> Corpus {
        std::fs::create_dir_all(&dir).unwrap();
        let c = Corpus {
            dir,
            revisions: vec![0; articles],
            deleted: vec![false; articles],
            jsonl: articles - articles / 4,
            files,
        };
        c.write();
        c
    }

    fn title(&self, i: usize) -> String {
        if i < self.jsonl {
            format!("Crash story {i}")
        } else {
            format!("Crash text {i}")
        }
    }

    /// Titles in the order `add` reads them.
    fn order(&self) -> Vec<String> {
        (0..self.revisions.len())
            .filter(|&i| !self.deleted[i])
            .map(|i| self.title(i))
            .collect()
    }

    fn body(i: usize, r: u32) -> String {
        format!(
            "crashcorpus tok{i} rev{r}. \"We played well today and we deserved the win in the end,\" \
             said Jack Smith after Liverpool beat Everton 2-1 at Anfield on Saturday. \
             Report number {i}, revision {r}. {}",
            "More words about the match and the table. ".repeat(1 + i % 5)
        )
    }

    fn write(&self) {
        let per_file = self.jsonl.div_ceil(self.files);
        for f in 0..self.files {
            let mut text = String::new();
            for i in (f * per_file)..((f + 1) * per_file).min(self.jsonl) {
                if self.deleted[i] {
                    continue;
                }
                let line = serde_json::json!({
                    "id": format!("c{i}"),
                    "title": self.title(i),
                    "body": Corpus::body(i, self.revisions[i]),
                });
                text.push_str(&line.to_string());
                text.push('\n');
            }
            self.put(&format!("part{f}.jsonl"), &text);
        }
        for i in self.jsonl..self.revisions.len() {
            let text = format!(
                "{}\n\n{}\n",
                self.title(i),
                Corpus::body(i, self.revisions[i])
            );
            self.put(&format!("t{i:05}.txt"), &text);
        }
    }

    /// Write whole and rename, so a run never reads a half-written file.
    fn put(&self, name: &str, text: &str) {
        let tmp = self.dir.join(format!(".{name}.tmp"));
        if std::fs::read_to_string(self.dir.join(name)).is_ok_and(|old| old == text) {
            return;
        }
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, self.dir.join(name)).unwrap();
    }

    fn deleted_titles(&self) -> HashSet<String> {
        (0..self.deleted.len())
            .filter(|&i| self.deleted[i])
            .map(|i| self.title(i))
            .collect()
    }

    /// Give a random tenth of the articles a new revision; sometimes take one out of its
    /// JSON Lines file.
    fn revise(&mut self, rng: &mut Rng) {
        let n = self.revisions.len();
        for _ in 0..(n / 10).max(1) {
            let i = rng.below(n as u64) as usize;
            self.revisions[i] += 1;
        }
        if rng.below(2) == 0 {
            let i = rng.below(self.jsonl as u64) as usize;
            self.deleted[i] = true;
        }
        self.write();
    }
}

/// The binary under test: `NEWSIDX_CRASH_BIN` (a private copy, which a concurrent build
/// cannot replace halfway through a long run), else the one cargo built for this test.
fn binary() -> PathBuf {
    std::env::var_os("NEWSIDX_CRASH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(common::bin_path)
}

/// `newsidx --index INDEX ARGS` with a clean environment.
fn newsidx(index: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(binary());
    cmd.env_clear()
        .env("HOME", index.parent().unwrap())
        .current_dir(index.parent().unwrap())
        .arg("--index")
        .arg(index)
        .args(args)
        .stdin(Stdio::null());
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd
}

/// Collect a child's output, killing it if it outlives the watchdog.
fn finish(mut child: Child, what: &str) -> Result<Output, String> {
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut buf);
        }
        buf
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut buf);
        }
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{what}: hung, killed by the watchdog"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ok(Output {
        status,
        stdout: out_thread.join().unwrap_or_default(),
        stderr: err_thread.join().unwrap_or_default(),
    })
}

fn run(cmd: &mut Command, what: &str) -> Result<Output, String> {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{what}: spawn: {e}"))?;
    finish(child, what)
}

/// The highest "committed: N articles" count `add` reported on stderr.
fn reported_commits(stderr: &str) -> (usize, usize) {
    let mut count = 0;
    let mut best = 0;
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("newsidx: committed: ") {
            let n: usize = rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("unparsable commit line {line:?}"));
            count += 1;
            best = best.max(n);
        }
    }
    (count, best)
}

/// Titles of the article documents a search for `word` finds, with repetitions.
fn search_titles(index: &Path, word: &str) -> Result<Vec<String>, String> {
    let out = run(
        &mut newsidx(index, &["search", "--jsonl", "-n", "1000000", word]),
        "search",
    )?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) | Some(1) => {}
        other => return Err(format!("search {word} exited {other:?}: {stderr}")),
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).map_err(|e| format!("search output {l:?}: {e}"))?;
            v["title"]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("hit without title: {l}"))
        })
        .collect()
}

/// `check --json` must pass. Returns false when there is no index yet (allowed only when no
/// commit was reported).
fn check_ok(index: &Path) -> Result<bool, String> {
    let out = run(&mut newsidx(index, &["check", "--json"]), "check")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("panicked") {
        return Err(format!("check panicked: {stderr}"));
    }
    if out.status.code() == Some(2) && stderr.contains("no index at") {
        return Ok(false);
    }
    if out.status.code() != Some(0) {
        return Err(format!(
            "check failed ({:?}): {}{stderr}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    Ok(true)
}

fn duplicates(ids: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.iter()
        .filter(|id| !seen.insert(id.as_str()))
        .cloned()
        .collect()
}

#[derive(Default)]
struct TrialResult {
    kills: usize,
    commits_reported: usize,
    completed_before_kill: usize,
    before_index_existed: usize,
    lost: usize,
}

/// One trial: a fresh index, one to three killed runs, then a run that must complete.
fn trial(
    seed: u64,
    settings: &Settings,
    full_run: Duration,
    result: &mut TrialResult,
) -> Result<(), String> {
    let mut rng = Rng::new(seed);
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let index = tmp.path().join("index");
    let mut corpus = Corpus::new(tmp.path().join("news"), settings.articles, settings.files);
    let corpus_dir = corpus.dir.to_string_lossy().into_owned();
    let every = settings.commit_every.to_string();
    let mut add_args = vec!["add", "--commit-every", every.as_str()];
    if !settings.tags {
        add_args.push("--no-tags");
    }
    add_args.push(corpus_dir.as_str());

    // Articles whose commit was reported at some point: they must never disappear.
    let mut durable: BTreeSet<String> = BTreeSet::new();
    let kills = 1 + rng.below(3) as usize;
    for k in 0..kills {
        if k > 0 && rng.below(2) == 0 {
            corpus.revise(&mut rng);
        }
        // Mostly anywhere in a run; sometimes in its first milliseconds (index creation).
        let limit = full_run.as_micros().max(1000) as u64;
        let delay = if rng.below(8) == 0 {
            Duration::from_micros(rng.below(30_000))
        } else {
            Duration::from_micros(rng.below(limit * 11 / 10))
        };
        let child = newsidx(&index, &add_args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("spawn add: {e}"))?;
        let mut child = child;
        let mut stderr_pipe = child.stderr.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr_pipe.read_to_string(&mut s);
            s
        });
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().map_err(|e| e.to_string())?;
        let stderr = reader.join().unwrap_or_default();
        if stderr.contains("panicked") {
            return Err(format!("seed {seed}: add panicked: {stderr}"));
        }
        result.kills += 1;
        let (commits, mut through) = reported_commits(&stderr);
        result.commits_reported += commits;
        if status.success() {
            // It finished before the kill: everything it read is durable.
            result.completed_before_kill += 1;
            through = settings.articles;
        } else if status.code().is_some() {
            return Err(format!(
                "seed {seed}: add failed on its own ({status}): {stderr}"
            ));
        }
        durable.extend(corpus.order().into_iter().take(through));

        let exists = check_ok(&index).map_err(|e| format!("seed {seed}, kill {k}: {e}"))?;
        if !exists {
            if !durable.is_empty() {
                return Err(format!(
                    "seed {seed}, kill {k}: the index is gone after commits were reported"
                ));
            }
            result.before_index_existed += 1;
            continue;
        }
        let ids = search_titles(&index, "crashcorpus")?;
        let dups = duplicates(&ids);
        if !dups.is_empty() {
            return Err(format!(
                "seed {seed}, kill {k}: articles present twice: {dups:?}"
            ));
        }
        let present: HashSet<&String> = ids.iter().collect();
        let gone = corpus.deleted_titles();
        let lost: Vec<&String> = durable
            .iter()
            .filter(|t| !present.contains(t) && !gone.contains(*t))
            .collect();
        if !lost.is_empty() {
            result.lost += lost.len();
            return Err(format!(
                "seed {seed}, kill {k}: {} articles lost after their commit was reported: {:?}",
                lost.len(),
                &lost[..lost.len().min(10)]
            ));
        }
    }

    // The rerun completes, with every article exactly once and in its newest revision.
    if rng.below(2) == 0 {
        corpus.revise(&mut rng);
    }
    let out = run(&mut newsidx(&index, &add_args), "final add")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(0) {
        return Err(format!(
            "seed {seed}: the rerun failed ({:?}): {stderr}",
            out.status.code()
        ));
    }
    if !check_ok(&index)? {
        return Err(format!("seed {seed}: no index after a complete run"));
    }
    let ids = search_titles(&index, "crashcorpus")?;
    let dups = duplicates(&ids);
    if !dups.is_empty() {
        return Err(format!(
            "seed {seed}: articles present twice after the rerun: {dups:?}"
        ));
    }
    let got: BTreeSet<String> = ids.into_iter().collect();
    let want: BTreeSet<String> = corpus.order().into_iter().collect();
    if got != want {
        let missing: Vec<_> = want.difference(&got).take(10).collect();
        let extra: Vec<_> = got.difference(&want).take(10).collect();
        result.lost += want
            .difference(&got)
            .filter(|t| durable.contains(*t))
            .count();
        return Err(format!(
            "seed {seed}: after the rerun {} articles instead of {} (missing e.g. {missing:?}, \
             not expected e.g. {extra:?})",
            got.len(),
            want.len()
        ));
    }
    let mut by_revision: HashMap<u32, BTreeSet<String>> = HashMap::new();
    for (i, r) in corpus.revisions.iter().enumerate() {
        if corpus.deleted[i] {
            continue;
        }
        by_revision.entry(*r).or_default().insert(corpus.title(i));
    }
    let max_revision = by_revision.keys().copied().max().unwrap_or(0);
    for r in 0..=max_revision {
        let found: BTreeSet<String> = search_titles(&index, &format!("rev{r}"))?
            .into_iter()
            .collect();
        let expected = by_revision.remove(&r).unwrap_or_default();
        if found != expected {
            let stale: Vec<_> = found.difference(&expected).take(10).collect();
            return Err(format!(
                "seed {seed}: revision {r}: {} articles found, {} expected (stale e.g. {stale:?})",
                found.len(),
                expected.len()
            ));
        }
    }
    Ok(())
}

#[test]
fn add_killed_at_random_moments_loses_nothing_that_was_committed() {
    let settings = Settings::from_env();
    let trials = env_u64("NEWSIDX_CRASH_TRIALS", 12) as usize;
    let seed = env_u64("NEWSIDX_CRASH_SEED", 0x5EED_2024);
    let jobs = env_u64("NEWSIDX_CRASH_JOBS", 2).max(1) as usize;

    // How long one complete run takes here, to spread the kills over it.
    let calibration = tempfile::tempdir().unwrap();
    let corpus = Corpus::new(
        calibration.path().join("news"),
        settings.articles,
        settings.files,
    );
    let every = settings.commit_every.to_string();
    let corpus_dir = corpus.dir.to_string_lossy().into_owned();
    let mut args = vec!["add", "--commit-every", every.as_str()];
    if !settings.tags {
        args.push("--no-tags");
    }
    args.push(corpus_dir.as_str());
    let started = Instant::now();
    let out = run(
        &mut newsidx(&calibration.path().join("index"), &args),
        "calibration add",
    )
    .unwrap();
    let full_run = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let (commits, through) = reported_commits(&stderr);
    assert!(
        commits >= 3,
        "a complete run should commit several times: {stderr}"
    );
    assert!(through <= settings.articles, "{stderr}");

    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(TrialResult, Option<String>)>> = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let t = next.fetch_add(1, Ordering::SeqCst);
                if t >= trials {
                    break;
                }
                let trial_seed = seed.wrapping_add(t as u64);
                let mut r = TrialResult::default();
                let outcome = trial(trial_seed, &settings, full_run, &mut r);
                let failure = outcome.err().map(|e| {
                    if e.starts_with("seed") {
                        e
                    } else {
                        format!("seed {trial_seed}: {e}")
                    }
                });
                results.lock().unwrap().push((r, failure));
            });
        }
    });
    let results = results.into_inner().unwrap();
    let failures: Vec<String> = results.iter().filter_map(|(_, f)| f.clone()).collect();
    let all: Vec<&TrialResult> = results.iter().map(|(r, _)| r).collect();
    let lost: usize = all.iter().map(|t| t.lost).sum();
    eprintln!(
        "crash: trials {trials}, failures {}, documents lost {lost}, kills {}, \
         commits reported before the kills {}, runs finished before their kill {}, \
         kills before the index existed {}; \
         {} articles, --commit-every {}, tags {}, complete run {:.2} s, seed {seed}, {:.1} s",
        failures.len(),
        all.iter().map(|t| t.kills).sum::<usize>(),
        all.iter().map(|t| t.commits_reported).sum::<usize>(),
        all.iter().map(|t| t.completed_before_kill).sum::<usize>(),
        all.iter().map(|t| t.before_index_existed).sum::<usize>(),
        settings.articles,
        settings.commit_every,
        settings.tags,
        full_run.as_secs_f64(),
        started.elapsed().as_secs_f64(),
    );
    assert!(
        failures.is_empty(),
        "{} of {trials} trials failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn commit_lines_are_printed_after_each_periodic_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let news = tmp.path().join("news");
    std::fs::create_dir_all(&news).unwrap();
    for i in 0..10 {
        std::fs::write(
            news.join(format!("{i:02}.txt")),
            format!("Story {i}\n\nBody {i}.\n"),
        )
        .unwrap();
    }
    let dir = news.to_string_lossy().into_owned();
    let out = run(
        &mut newsidx(
            &tmp.path().join("index"),
            &["add", "--no-tags", "--commit-every", "3", &dir],
        ),
        "add",
    )
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let counts: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("newsidx: committed: "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(counts, ["3", "6", "9"], "{stderr}");
    // `--commit-every 0` would never commit: refused.
    let out = run(
        &mut newsidx(
            &tmp.path().join("index"),
            &["add", "--commit-every", "0", &dir],
        ),
        "add",
    )
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Regression: a periodic commit could fall between the new version of a changed text file
/// (a new id: its text hash) and the removal of the old one, so a crash there left both
/// versions in the index until the next run. Deterministic: `add DIR -` reads stdin last and
/// blocks on it, so the run is killed after its commit line and before it ends.
#[test]
fn a_crash_never_leaves_both_versions_of_a_changed_file() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    let news = tmp.path().join("news");
    std::fs::create_dir_all(&news).unwrap();
    let file = news.join("a.txt");
    std::fs::write(&file, "Replaced story\n\ncrashcorpus oldversion words.\n").unwrap();
    let dir = news.to_string_lossy().into_owned();
    let out = run(&mut newsidx(&index, &["add", "--no-tags", &dir]), "add").unwrap();
    assert_eq!(out.status.code(), Some(0));

    std::fs::write(&file, "Replaced story\n\ncrashcorpus newversion words.\n").unwrap();
    let mut child = newsidx(
        &index,
        &["add", "--no-tags", "--commit-every", "1", &dir, "-"],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let stdin = child.stdin.take().unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let line = loop {
        match rx.recv_timeout(WATCHDOG) {
            Ok(l) if l.starts_with("newsidx: committed:") => break l,
            Ok(_) => {}
            Err(e) => {
                let _ = child.kill();
                panic!("no commit line: {e:?}");
            }
        }
    };
    // The file's article is committed; the run now waits for stdin. Crash it there.
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    assert!(line.contains("committed: 1 articles"), "{line}");

    assert_eq!(
        search_titles(&index, "crashcorpus").unwrap(),
        ["Replaced story"]
    );
    assert_eq!(
        search_titles(&index, "newversion").unwrap(),
        ["Replaced story"]
    );
    assert!(search_titles(&index, "oldversion").unwrap().is_empty());
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Regression: a run killed while committing can leave a delete bitset (`SEGMENT.OPSTAMP.del`)
/// that meta.json does not refer to. The rerun reaches the same opstamp, tantivy refuses to
/// overwrite the file ("File already exists"), and every rerun failed. Found by the 8,000-article
/// crash run; reproduced here deterministically by putting such a file where the kill left it.
#[test]
fn a_rerun_is_not_blocked_by_files_a_killed_commit_left() {
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    let feed = tmp.path().join("feed.jsonl");
    let lines = |changed: bool| {
        (0..50)
            .map(|i| {
                let word = if changed && i == 7 {
                    "changedbody"
                } else {
                    "firstbody"
                };
                serde_json::json!({"id": format!("d{i}"), "title": format!("Del story {i}"),
                                   "body": format!("crashcorpus {word} {i}.")})
                .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let add = |what: &str| {
        let out = run(
            &mut newsidx(&index, &["add", "--no-tags", feed.to_str().unwrap()]),
            what,
        )
        .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    std::fs::write(&feed, lines(false)).unwrap();
    assert_eq!(add("first add").0, Some(0));
    let before = tmp.path().join("before");
    copy_dir(&index, &before);

    // The commit that replaces article d7 writes a delete bitset for the segment holding it,
    // named after the segment and the commit's opstamp. (The run then merges its segments, so
    // the file is gone by the time it ends: the names it can take are made here instead.)
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(before.join("meta.json")).unwrap()).unwrap();
    let segments = meta["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 1, "{meta}");
    let segment = segments[0]["segment_id"].as_str().unwrap().replace('-', "");
    let opstamp = meta["opstamp"].as_u64().unwrap();
    std::fs::write(&feed, lines(true)).unwrap();
    assert_eq!(add("update").0, Some(0));
    let after: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(index.join("meta.json")).unwrap()).unwrap();
    let reached = after["opstamp"].as_u64().unwrap();
    assert!(reached > opstamp, "{after}");

    // The state a kill between writing that file and writing meta.json leaves: the index as
    // before, plus the file, registered in tantivy's list of its files as it is before writing.
    // Every opstamp the update went through is covered, so one of them is the rerun's.
    std::fs::remove_dir_all(&index).unwrap();
    copy_dir(&before, &index);
    let managed_path = index.join(".managed.json");
    let mut managed: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&managed_path).unwrap()).unwrap();
    for stamp in opstamp + 1..=reached {
        let name = format!("{segment}.{stamp}.del");
        std::fs::write(index.join(&name), b"left by a killed commit").unwrap();
        managed.push(name);
    }
    std::fs::write(&managed_path, serde_json::to_string(&managed).unwrap()).unwrap();
    assert!(check_ok(&index).unwrap());

    let (code, stderr) = add("rerun");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(check_ok(&index).unwrap());
    assert_eq!(
        search_titles(&index, "changedbody").unwrap(),
        ["Del story 7"]
    );
    assert_eq!(search_titles(&index, "crashcorpus").unwrap().len(), 50);
}
