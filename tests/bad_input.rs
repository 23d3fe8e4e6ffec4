//! Bad inputs are reported and skipped; everything else is indexed and nothing indexed
//! before is lost.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{json_article, txt, Sandbox};

/// What the bad-input directory holds.
struct BadDir {
    dir: PathBuf,
    /// Files that must be reported as skipped.
    skipped: Vec<&'static str>,
    /// Whether the chmod-000 file really is unreadable to us (not when running as root).
    unreadable_checked: bool,
}

fn utf16le_with_bom(s: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in s.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

/// Two good articles and every kind of bad input, in one directory.
fn bad_dir(sb: &Sandbox) -> BadDir {
    let dir = sb.mkdir("inbox");
    // Good.
    sb.write(
        "inbox/good-one.txt",
        txt("Albion win the derby", "Kovacic scored a late winner."),
    );
    sb.write(
        "inbox/good-two.md",
        "---\ntitle: County hold Rovers\noutlet: Vale Gazette\n---\n\nLindgren saved a penalty.\n",
    );
    // Binary data named .txt.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10".to_vec();
    png.extend(std::iter::repeat_n(0u8, 256));
    sb.write("inbox/x.txt", png);
    // Latin-1: read with a warning.
    sb.write(
        "inbox/latin1.txt",
        b"Striker on the mark\n\nN\xfa\xf1ez scored from the spot for the Wanderers.\n",
    );
    // UTF-16LE with a BOM: read.
    sb.write(
        "inbox/utf16.txt",
        utf16le_with_bom("Keeper stars in draw\n\nSzczesny made six saves at the Kassam.\n"),
    );
    // Empty.
    sb.write("inbox/empty.txt", "");
    // Unreadable.
    let locked = sb.write(
        "inbox/locked.txt",
        txt("Locked away", "Zinchenko content nobody can read."),
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let unreadable_checked = std::fs::read(&locked).is_err();
    // JSON Lines with one malformed line among good ones.
    sb.write(
        "inbox/feed.jsonl",
        format!(
            "{}\n{{\"title\": \"broken\", \"body\": \n{}\n",
            json_article("feed-1", "Feed story one", "Mbeumo scored."),
            json_article("feed-3", "Feed story three", "Wissa scored."),
        ),
    );
    // 50 MB of text, over the default 16 MB limit.
    {
        use std::io::Write;
        let mut f = std::fs::File::create(sb.path("inbox/huge.txt")).unwrap();
        f.write_all(b"Huge file\n\n").unwrap();
        let chunk = "filler words about football ".repeat(1 << 15);
        let mut written = 0;
        while written < 50 * 1024 * 1024 {
            f.write_all(chunk.as_bytes()).unwrap();
            written += chunk.len();
        }
    }
    // Hostile HTML nesting.
    sb.write(
        "inbox/nested.html",
        format!(
            "<html><body>{}deep text</body></html>",
            "<div>".repeat(100_000)
        ),
    );
    // Malformed JSON.
    sb.write("inbox/broken.json", "{\"title\": \"Broken\",, \"body\": }");
    // JSON array nested 100k deep.
    sb.write("inbox/deep.json", "[".repeat(100_000));

    let mut skipped = vec![
        "x.txt",
        "empty.txt",
        "feed.jsonl",
        "huge.txt",
        "nested.html",
        "broken.json",
        "deep.json",
    ];
    if unreadable_checked {
        skipped.push("locked.txt");
    }
    BadDir {
        dir,
        skipped,
        unreadable_checked,
    }
}

fn unlock(sb: &Sandbox) {
    let _ = std::fs::set_permissions(
        sb.path("inbox/locked.txt"),
        std::fs::Permissions::from_mode(0o644),
    );
}

/// The stderr line that reports `file` with this kind (`skipped` or `warning`).
fn reported_line<'a>(stderr: &'a str, kind: &str, file: &str) -> Option<&'a str> {
    stderr.lines().find(|l| {
        l.starts_with(&format!("newsidx: {kind}: "))
            && l.contains(&format!("{}{file}", std::path::MAIN_SEPARATOR))
    })
}

#[test]
fn bad_inputs_are_skipped_and_good_ones_indexed() {
    let sb = Sandbox::new();
    let bad = bad_dir(&sb);
    let started = Instant::now();
    let out = common::run_ok_code(
        {
            let mut c = sb.cmd(["add"]);
            c.arg(&bad.dir);
            c
        },
        4,
    );
    let elapsed = started.elapsed();
    unlock(&sb);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(elapsed.as_secs() < 20, "add took {elapsed:?}");

    for file in &bad.skipped {
        assert!(
            reported_line(&stderr, "skipped", file).is_some(),
            "{file} not reported as skipped:\n{stderr}"
        );
    }
    let line = |file| reported_line(&stderr, "skipped", file).unwrap();
    assert!(line("x.txt").contains("binary"), "{stderr}");
    assert!(line("empty.txt").contains("empty"), "{stderr}");
    let jsonl = line("feed.jsonl");
    assert!(jsonl.contains("feed.jsonl:2:"), "{jsonl}");
    let huge = line("huge.txt");
    assert!(
        huge.contains("16 MB") && huge.contains("--max-size"),
        "{huge}"
    );
    assert!(line("nested.html").contains("nested"), "{stderr}");
    assert!(line("broken.json").contains("malformed JSON"), "{stderr}");
    assert!(line("deep.json").contains("JSON"), "{stderr}");
    if bad.unreadable_checked {
        assert!(line("locked.txt").contains("permission denied"), "{stderr}");
    }
    let latin = reported_line(&stderr, "warning", "latin1.txt")
        .unwrap_or_else(|| panic!("no warning for latin1.txt:\n{stderr}"));
    assert!(latin.contains("UTF-8"), "{latin}");
    assert!(
        reported_line(&stderr, "skipped", "latin1.txt").is_none(),
        "{stderr}"
    );
    for good in ["good-one.txt", "good-two.md", "utf16.txt"] {
        assert!(
            !stderr.contains(&format!("{}{good}", std::path::MAIN_SEPARATOR)),
            "{good} reported:\n{stderr}"
        );
    }
    assert!(
        stderr.contains(&format!("skipped {}", bad.skipped.len())),
        "{stderr}"
    );

    // Every good article is searchable.
    assert!(sb.finds("Kovacic", "good-one.txt"));
    assert!(sb.finds("Lindgren", "good-two.md"));
    assert!(sb.finds("Núñez", "latin1.txt"));
    assert!(sb.finds("Nunez", "latin1.txt"));
    assert!(sb.finds("Szczesny", "utf16.txt"));
    assert!(sb.finds("Mbeumo", "feed.jsonl"));
    assert!(sb.finds("Wissa", "feed.jsonl"));
    assert!(sb.hit_sources("broken").is_empty());
    assert!(sb.hit_sources("filler").is_empty());
    // Two good articles, two decoded ones, two good JSON lines (and the locked file when
    // root could read it anyway).
    let expected = 6 + u64::from(!bad.unreadable_checked);
    assert_eq!(sb.article_count(), expected);

    // The UTF-16 title was decoded too.
    let doc = sb.search_json("Szczesny", 0);
    assert_eq!(doc["hits"][0]["title"], "Keeper stars in draw");
}

#[test]
fn bad_inputs_in_json_summary() {
    let sb = Sandbox::new();
    let bad = bad_dir(&sb);
    let summary = sb.add_json(&[&bad.dir], 4);
    unlock(&sb);
    assert_eq!(
        summary["skipped"].as_u64().unwrap() as usize,
        bad.skipped.len(),
        "{summary}"
    );
    assert_eq!(summary["warnings"], 1, "{summary}");
    let problems = summary["problems"].as_array().unwrap();
    let find = |file: &str| {
        problems
            .iter()
            .find(|p| {
                Path::new(p["path"].as_str().unwrap())
                    .file_name()
                    .is_some_and(|n| n == file)
            })
            .unwrap_or_else(|| panic!("{file} not in {summary}"))
    };
    for file in &bad.skipped {
        let p = find(file);
        assert_eq!(p["kind"], "skipped", "{p}");
        assert!(!p["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(find("feed.jsonl")["line"], 2);
    assert!(find("x.txt")["line"].is_null());
    let latin = find("latin1.txt");
    assert_eq!(latin["kind"], "warning");
    for p in problems {
        for key in ["path", "line", "kind", "message"] {
            assert!(p.as_object().unwrap().contains_key(key), "{key} in {p}");
        }
    }
}

#[test]
fn max_size_can_be_raised() {
    let sb = Sandbox::new();
    let f = sb.write(
        "big.txt",
        format!(
            "Big feature\n\n{}Eze scored.\n",
            "long read ".repeat(120_000)
        ),
    );
    let mut c = sb.cmd(["add", "--max-size", "1"]);
    c.arg(&f);
    common::expect_code(c, 4).stderr(predicates::str::contains("1 MB"));
    let mut c = sb.cmd(["add", "--max-size", "2"]);
    c.arg(&f);
    common::expect_code(c, 0);
    assert!(sb.finds("Eze", "big.txt"));
}

#[test]
fn missing_and_unknown_paths_are_skipped() {
    let sb = Sandbox::new();
    let good = sb.write("a.txt", txt("Story", "Solanke scored."));
    let other = sb.write("notes.docx", "x");
    let missing = sb.path("nope.txt");
    let mut c = sb.cmd(["add"]);
    c.arg(&good).arg(&missing).arg(&other);
    let out = common::run_ok_code(c, 4);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        reported_line(&stderr, "skipped", "nope.txt").is_some_and(|l| l.contains("no such file")),
        "{stderr}"
    );
    assert!(
        reported_line(&stderr, "skipped", "notes.docx").is_some_and(|l| l.contains("format")),
        "{stderr}"
    );
    assert!(sb.finds("Solanke", "a.txt"));
}

#[test]
fn nothing_already_indexed_is_lost() {
    let sb = Sandbox::new();
    let good = sb.mkdir("good");
    sb.write("good/a.txt", txt("First", "Olise scored."));
    sb.write(
        "good/feed.jsonl",
        format!(
            "{}\n{}\n",
            json_article("g1", "Feed one", "Mateta scored."),
            json_article("g2", "Feed two", "Eze assisted.")
        ),
    );
    sb.add_json(&[&good], 0);
    assert_eq!(sb.article_count(), 3);

    // A directory of nothing but bad files.
    let bad = sb.mkdir("bad");
    sb.write("bad/x.txt", b"\x89PNG\r\n\x1a\n\0\0\0\0");
    sb.write("bad/empty.txt", "");
    sb.write("bad/broken.json", "{oops");
    sb.write("bad/feed.jsonl", "not json\n{\"x\": 1}\n");
    sb.write("bad/nested.html", "<div>".repeat(5000));
    let summary = sb.add_json(&[&bad], 4);
    assert_eq!(summary["added"], 0, "{summary}");
    assert_eq!(summary["removed"], 0, "{summary}");
    assert_eq!(sb.article_count(), 3);
    assert!(sb.finds("Olise", "a.txt"));
    assert!(sb.finds("Mateta", "feed.jsonl"));

    // The indexed files themselves turn bad: their articles are kept.
    sb.write("good/a.txt", "");
    sb.write(
        "good/feed.jsonl",
        format!(
            "{}\n{{broken\n",
            json_article("g1", "Feed one", "Mateta scored.")
        ),
    );
    let summary = sb.add_json(&[&good], 4);
    assert_eq!(summary["removed"], 0, "{summary}");
    assert_eq!(sb.article_count(), 3);
    assert!(sb.finds("Olise", "a.txt"));
    assert!(sb.finds("Eze", "feed.jsonl"));
}
