//! A tree of hostile inputs, generated at test time and mixed with good articles: one `add`
//! over all of it reports each bad file once, indexes every good one, never panics or hangs,
//! loses nothing indexed before, and nothing it prints to a terminal carries control
//! characters. (tests/bad_input.rs covers the JSON summary and files that turn bad.)

mod common;

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::{json_article, txt, Sandbox};
use serde_json::Value;

/// Generous bound for one command: a hang (a FIFO opened, a quadratic parse) trips it.
const WATCHDOG: Duration = Duration::from_secs(60);

/// Run `newsidx --index <sandbox>/index ARGS` with a clean environment; kill it and fail the
/// test when it runs past `limit`. Fails on a panic message too.
fn run_watched(sb: &Sandbox, args: &[&OsStr], limit: Duration) -> Output {
    let (output, took) = common::run_watched(
        common::std_cmd(sb, args),
        limit,
        &format!("newsidx {args:?}"),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "panic in {args:?}: {stderr}");
    eprintln!("newsidx {args:?}: {took:?}");
    output
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

fn refs(v: &[OsString]) -> Vec<&OsStr> {
    v.iter().map(OsString::as_os_str).collect()
}

/// Characters that must never reach a terminal from article text or file names.
fn terminal_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Some((i, c)) = text.char_indices().find(|&(_, c)| terminal_unsafe(c)) {
        let from = text[..i].char_indices().rev().nth(40).map_or(0, |(j, _)| j);
        panic!(
            "{what}: raw U+{:04X} reaches the terminal near {:?}",
            c as u32,
            &text[from..(i + 40).min(text.len())]
        );
    }
}

/// What one input must give.
struct Entry {
    /// Path under the tree.
    path: PathBuf,
    /// `Some(parts)`: named exactly once on stderr, by a line holding every part; `None`:
    /// never named.
    named: Option<Vec<&'static str>>,
    /// Queries that must each find an article read from this file.
    finds: Vec<&'static str>,
}

/// The generated tree, what each input must give, and how many articles it holds.
struct Tree {
    dir: PathBuf,
    entries: Vec<Entry>,
    articles: u64,
}

fn utf16(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if big_endian {
            &[0xFE, 0xFF]
        } else {
            &[0xFF, 0xFE]
        });
    }
    for u in s.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// Deterministic pseudo-random bytes (xorshift).
fn random_bytes(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

/// Build the tree under `<sandbox>/tree`. `heavy` adds the long single line (about 1 MB).
fn build_tree(sb: &Sandbox, heavy: bool) -> Tree {
    let dir = sb.mkdir("tree");
    let mut entries: Vec<Entry> = Vec::new();
    let mut articles = 0u64;
    let mut add = |rel: &str,
                   contents: &[u8],
                   named: Option<Vec<&'static str>>,
                   finds: Vec<&'static str>,
                   n: u64| {
        let path = sb.write(&format!("tree/{rel}"), contents);
        articles += n;
        entries.push(Entry { path, named, finds });
    };

    // Good articles in every format.
    add(
        "good/story.txt",
        txt(
            "Albion win the derby",
            "Kovacic scored a late winner for Albion.",
        )
        .as_bytes(),
        None,
        vec!["Kovacic"],
        1,
    );
    add(
        "good/county.md",
        b"---\ntitle: County hold Rovers\noutlet: Vale Gazette\n---\n\nLindgren saved a penalty.\n",
        None,
        vec!["Lindgren"],
        1,
    );
    add("good/page.html", br#"<html><head><meta property="og:title" content="Gunners go top"></head><body><article><p>Odegaard curled in the opener.</p></article></body></html>"#, None, vec!["Odegaard"], 1);
    add("good/array.json", br#"[{"title": "Array one", "body": "Pogba returned."}, {"title": "Array two", "body": "Kante returned."}]"#, None, vec!["Pogba", "Kante"], 2);
    add(
        "good/feed.jsonl",
        format!(
            "{}\n{}\n",
            json_article("f1", "Feed one", "Mbeumo scored."),
            json_article("f2", "Feed two", "Wissa scored.")
        )
        .as_bytes(),
        None,
        vec!["Mbeumo", "Wissa"],
        2,
    );

    // Encodings: BOMs are read silently, guesses are read with a warning.
    add(
        "enc/utf8-bom.txt",
        b"\xEF\xBB\xBFBom headline\n\nRamsdale kept a clean sheet.\n",
        None,
        vec!["Ramsdale"],
        1,
    );
    add(
        "enc/utf16le-bom.txt",
        &utf16("Keeper stars\n\nSzczesny made six saves.\n", false, true),
        None,
        vec!["Szczesny"],
        1,
    );
    add(
        "enc/utf16be-bom.txt",
        &utf16("Keeper shines\n\nRaya made five saves.\n", true, true),
        None,
        vec!["Raya"],
        1,
    );
    add(
        "enc/utf16le-nobom.txt",
        &utf16("No mark little end\n\nNobomle made a save.\n", false, false),
        Some(vec!["warning", "UTF-16LE", "byte-order mark"]),
        vec!["Nobomle"],
        1,
    );
    add(
        "enc/utf16be-nobom.txt",
        &utf16("No mark big end\n\nNobombe made a save.\n", true, false),
        Some(vec!["warning", "UTF-16BE", "byte-order mark"]),
        vec!["Nobombe"],
        1,
    );
    add(
        "enc/invalid-utf8.txt",
        b"Striker on the mark\n\nN\xfa\xf1ez scored \xff\xfe twice.\n",
        Some(vec!["warning", "not valid UTF-8", "Windows-1252"]),
        vec!["Nunez"],
        1,
    );

    // Hostile but readable.
    add("hostile/scripts.html", br#"<html><head><style>p { background: url(javascript:stylemarker) }</style><script>document.write("alertmarker <div><div>")</script></head>
<body onload="alert(1)"><article><h1>Saka stars</h1><p>Unclosed <b>bold <i>italic Saka scored twice.<p><a href="javascript:alert(document.cookie)">Linkmarker</a>
<img src=x onerror="alert(1)"><script>alertmarker()</script><p>Last paragraph <span>never closed"#, None, vec!["Saka", "Linkmarker"], 1);
    let mut token = b"Tokenfile headline\n\n".to_vec();
    token.extend(std::iter::repeat_n(b'x', 100_000));
    add("hostile/token.txt", &token, None, vec!["Tokenfile"], 1);
    add("hostile/controls.txt", "Red \x1b[31mALERT\x1b[0m\x07\x08\r title \u{202E}evil\u{2066}x\u{2069}\n\nBody \x1b[2J clear \x07 bell \x08 back \r return \u{202E} reversed Fernandes said \"I am \x1b[5mhere\u{202E} for the long run\".\n".as_bytes(), None, vec!["Fernandes", "ALERT"], 1);
    add(
        "hostile/bidi\u{202E}name.md",
        "# Bidi \u{2067}name\u{2069}\n\nBidiname scored.\n".as_bytes(),
        None,
        vec!["Bidiname"],
        1,
    );
    if heavy {
        let mut line = b"Long line headline\n\n".to_vec();
        while line.len() < 900_000 {
            line.extend_from_slice(b"the ball was played long again and again ");
        }
        line.extend_from_slice(b"Longlinemarker.\n");
        add(
            "hostile/longline.txt",
            &line,
            None,
            vec!["Longlinemarker"],
            1,
        );
    }

    // Not text.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10".to_vec();
    png.extend(std::iter::repeat_n(0u8, 512));
    add(
        "bin/binary.txt",
        &png,
        Some(vec!["skipped", "binary"]),
        vec![],
        0,
    );
    add(
        "bin/random.txt",
        &random_bytes(4096, 0x9E37_79B9_7F4A_7C15),
        Some(vec!["skipped", "binary"]),
        vec![],
        0,
    );
    let mut nul = b"Nul headline\n\n".to_vec();
    nul.extend(b"words ".repeat(4000));
    nul.push(0);
    nul.extend(b"after the nul");
    add(
        "bin/nul-middle.txt",
        &nul,
        Some(vec!["skipped", "binary", "NUL byte at offset 24014"]),
        vec![],
        0,
    );
    add(
        "empty/empty.txt",
        b"",
        Some(vec!["skipped", "empty file"]),
        vec![],
        0,
    );
    add(
        "empty/whitespace.txt",
        b"  \n\t\r\n   \n",
        Some(vec!["skipped", "empty file"]),
        vec![],
        0,
    );

    // Too big for `--max-size 1`: a whole file, and one line of JSON Lines.
    add(
        "size/huge.txt",
        &b"huge file words ".repeat(100_000),
        Some(vec!["skipped", "over the 1 MB limit", "--max-size"]),
        vec![],
        0,
    );
    let enormous = format!(
        "{}\n{{\"title\": \"Enormous\", \"body\": \"{}\"}}\n{}\n",
        json_article("j1", "Before the big line", "Jsonlbefore scored."),
        "a".repeat(1_200_000),
        json_article("j3", "After the big line", "Jsonlafter scored.")
    );
    add(
        "size/enormous.jsonl",
        enormous.as_bytes(),
        Some(vec![
            "skipped",
            "enormous.jsonl:2:",
            "over the 1 MB limit",
            "--max-size",
        ]),
        vec!["Jsonlbefore", "Jsonlafter"],
        2,
    );

    // Broken JSON and HTML.
    add(
        "json/malformed.json",
        br#"{"title": "Broken",, "body": }"#,
        Some(vec!["skipped", "malformed JSON"]),
        vec![],
        0,
    );
    add(
        "json/deep.json",
        "[".repeat(100_000).as_bytes(),
        Some(vec!["skipped", "nested more than 128 deep"]),
        vec![],
        0,
    );
    add(
        "html/nested.html",
        format!(
            "<html><body>{}deep text</body></html>",
            "<div>".repeat(100_000)
        )
        .as_bytes(),
        Some(vec!["skipped", "nested more than"]),
        vec![],
        0,
    );
    // Regression: stray end tags hid this nesting from the depth check; the parser then took
    // a minute.
    add(
        "html/stray.html",
        format!(
            "<html><body>{}text</body></html>",
            "<div></span>".repeat(80_000)
        )
        .as_bytes(),
        Some(vec!["skipped", "nested more than"]),
        vec![],
        0,
    );
    add(
        "html/costly.html",
        format!(
            "<html><body>{}{}</body></html>",
            "<span>".repeat(990),
            "</x>".repeat(50_000)
        )
        .as_bytes(),
        Some(vec!["skipped", "too costly"]),
        vec![],
        0,
    );

    // A file name that is an escape sequence: reported with `?` for the escape.
    let evil = dir.join("bin").join(OsStr::from_bytes(b"evil\x1b[31m.txt"));
    std::fs::write(&evil, b"\0\0\0binary").unwrap();
    entries.push(Entry {
        path: evil,
        named: Some(vec!["skipped", "evil?[31m.txt", "binary"]),
        finds: vec![],
    });

    // Not regular files: a FIFO (opening it would block), link loops, a broken link.
    let fifo = dir.join("special/fifo.txt");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo failed");
    entries.push(Entry {
        path: fifo,
        named: Some(vec!["skipped", "not a regular file"]),
        finds: vec![],
    });
    let links = sb.mkdir("tree/links");
    symlink(links.join("loop-b.txt"), links.join("loop-a.txt")).unwrap();
    symlink(links.join("loop-a.txt"), links.join("loop-b.txt")).unwrap();
    symlink(links.join("nowhere.txt"), links.join("broken.txt")).unwrap();
    std::fs::create_dir(links.join("sub")).unwrap();
    symlink("..", links.join("sub/up")).unwrap();
    for (name, what) in [
        ("loop-a.txt", "symbolic link loop"),
        ("loop-b.txt", "symbolic link loop"),
        ("broken.txt", "broken symbolic link"),
        ("sub/up", "symbolic link loop"),
    ] {
        entries.push(Entry {
            path: links.join(name),
            named: Some(vec!["skipped", what]),
            finds: vec![],
        });
    }

    // Unreadable file and directory (root reads them anyway: then they are good articles).
    let locked = sb.write(
        "tree/perm/locked.txt",
        txt("Locked away", "Lockedfile content."),
    );
    let locked_dir = sb.mkdir("tree/perm/locked-dir");
    sb.write(
        "tree/perm/locked-dir/inner.txt",
        txt("Inside", "Lockedinner content."),
    );
    set_locks(&dir, 0o000);
    if std::fs::read(&locked).is_err() {
        entries.push(Entry {
            path: locked,
            named: Some(vec!["skipped", "permission denied"]),
            finds: vec![],
        });
        entries.push(Entry {
            path: locked_dir,
            named: Some(vec!["skipped", "permission denied"]),
            finds: vec![],
        });
    } else {
        // Running as root: chmod 000 locks nobody out, so these are two more good articles.
        entries.push(Entry {
            path: locked,
            named: None,
            finds: vec!["Lockedfile"],
        });
        entries.push(Entry {
            path: locked_dir.join("inner.txt"),
            named: None,
            finds: vec!["Lockedinner"],
        });
        articles += 2;
    }
    Tree {
        dir,
        entries,
        articles,
    }
}

/// Set the mode of the tree's locked file and directory.
fn set_locks(tree_dir: &Path, mode: u32) {
    for p in ["perm/locked.txt", "perm/locked-dir"] {
        std::fs::set_permissions(tree_dir.join(p), std::fs::Permissions::from_mode(mode))
            .expect("chmod");
    }
}

/// `add --follow --max-size 1 TREE` (human summary on stderr), under the watchdog.
fn add_tree(sb: &Sandbox, tree: &Tree) -> Output {
    let mut args = os(&["add", "--follow", "--max-size", "1", "--color", "never"]);
    args.push(tree.dir.clone().into_os_string());
    let out = run_watched(sb, &refs(&args), WATCHDOG);
    // Give the owner back the locked entries (so the sandbox can be removed).
    set_locks(&tree.dir, 0o755);
    out
}

/// Sources of the hits of every query, from one `search --batch` process.
fn batch_sources(sb: &Sandbox, queries: &[&str]) -> Vec<(String, Vec<String>)> {
    let file = sb.write("queries.txt", queries.join("\n") + "\n");
    let mut args = os(&["search", "-n", "100", "--batch"]);
    args.push(file.into_os_string());
    let out = run_watched(sb, &refs(&args), WATCHDOG);
    String::from_utf8(out.stdout)
        .expect("UTF-8 JSON Lines")
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            assert!(v.get("error").is_none(), "{v}");
            let sources = v["hits"]
                .as_array()
                .expect("hits")
                .iter()
                .map(|h| h["source"].as_str().expect("source").to_string())
                .collect();
            (v["query"].as_str().expect("query").to_string(), sources)
        })
        .collect()
}

fn article_count(sb: &Sandbox) -> u64 {
    let out = run_watched(sb, &refs(&os(&["stats", "--json"])), WATCHDOG);
    let v = common::parse_json(&out.stdout);
    v["articles"].as_u64().expect("articles")
}

#[test]
fn one_add_over_a_hostile_tree_reports_each_bad_file_once_and_indexes_the_rest() {
    let sb = Sandbox::new();
    let tree = build_tree(&sb, true);
    let out = add_tree(&sb, &tree);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(4),
        "exit status (4: inputs skipped)\n{stderr}"
    );
    assert_terminal_safe("add's stderr", &out.stderr);

    let lines: Vec<&str> = stderr.lines().collect();
    let mut skipped = 0;
    for e in &tree.entries {
        let shown = e.path.display().to_string();
        let shown = shown.replace(['\x1b', '\u{202E}'], "?");
        let naming: Vec<&&str> = lines
            .iter()
            .filter(|l| l.contains(&format!("{shown}:")) || l.contains(&format!("{shown} ")))
            .collect();
        match &e.named {
            None => assert!(naming.is_empty(), "{shown} is good but named:\n{stderr}"),
            Some(parts) => {
                assert_eq!(
                    naming.len(),
                    1,
                    "{shown} must be named exactly once:\n{stderr}"
                );
                for part in parts {
                    assert!(
                        naming[0].contains(part),
                        "{shown}: {part:?} not in {:?}",
                        naming[0]
                    );
                }
                skipped += usize::from(parts.contains(&"skipped"));
            }
        }
    }
    assert!(stderr.contains(&format!("skipped {skipped}")), "{stderr}");
    assert!(
        lines.iter().all(|l| l.starts_with("newsidx: ")),
        "stray output on stderr:\n{stderr}"
    );

    // Every good article was indexed, and nothing else.
    let queries: Vec<&str> = tree
        .entries
        .iter()
        .flat_map(|e| e.finds.iter().copied())
        .collect();
    let answers = batch_sources(&sb, &queries);
    assert_eq!(answers.len(), queries.len());
    for e in &tree.entries {
        for q in &e.finds {
            let (_, sources) = answers.iter().find(|(a, _)| a == q).expect("answered");
            assert!(
                sources.iter().any(|s| Path::new(s) == e.path),
                "{q:?} does not find {}: {sources:?}",
                e.path.display()
            );
        }
    }
    assert_eq!(article_count(&sb), tree.articles);
    for q in [
        "alertmarker",
        "stylemarker",
        "deep",
        "huge",
        "Enormous",
        "Nul",
    ] {
        let found = batch_sources(&sb, &[q]);
        assert!(found[0].1.is_empty(), "{q} found: {:?}", found[0].1);
    }

    // What reaches a terminal is clean: search, show, stats, quotes in human form.
    let search = run_watched(
        &sb,
        &refs(&os(&[
            "--color",
            "never",
            "search",
            "Fernandes OR ALERT OR Bidiname OR Saka",
        ])),
        WATCHDOG,
    );
    assert_eq!(search.status.code(), Some(0));
    let human = String::from_utf8_lossy(&search.stdout).into_owned();
    assert!(human.contains("Red ALERT title evilx"), "{human}");
    assert!(human.contains("bidi?name.md"), "{human}");
    assert_terminal_safe("search", &search.stdout);
    assert_terminal_safe("search stderr", &search.stderr);
    let doc = run_watched(
        &sb,
        &refs(&os(&["search", "--json", "Fernandes"])),
        WATCHDOG,
    );
    let doc = common::parse_json(&doc.stdout);
    let id = doc["hits"][0]["id"].as_str().expect("id").to_string();
    // Stored without the control characters (JSON readers get clean text too); the bidi
    // marks are kept there: they belong to right-to-left text.
    assert_eq!(
        doc["hits"][0]["title"],
        "Red ALERT title \u{202E}evil\u{2066}x\u{2069}"
    );
    let show = run_watched(
        &sb,
        &refs(&os(&["--color", "never", "show", &id])),
        WATCHDOG,
    );
    assert_eq!(show.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&show.stdout).contains("reversed Fernandes"));
    assert_terminal_safe("show", &show.stdout);
    for args in [&["stats"][..], &["quotes", "--all"][..], &["entities"][..]] {
        let mut a = os(&["--color", "never"]);
        a.extend(os(args));
        let out = run_watched(&sb, &refs(&a), WATCHDOG);
        assert_terminal_safe(&format!("{args:?}"), &out.stdout);
        assert_terminal_safe(&format!("{args:?} stderr"), &out.stderr);
    }
}

#[test]
fn a_hostile_add_loses_nothing_indexed_before() {
    let sb = Sandbox::new();
    sb.write("kept/a.txt", txt("Kept story", "Olise scored."));
    sb.write(
        "kept/feed.jsonl",
        format!(
            "{}\n{}\n",
            json_article("k1", "Kept one", "Mateta scored."),
            json_article("k2", "Kept two", "Eze assisted.")
        ),
    );
    let mut args = os(&["add"]);
    args.push(sb.path("kept").into_os_string());
    assert_eq!(
        run_watched(&sb, &refs(&args), WATCHDOG).status.code(),
        Some(0)
    );
    let before = article_count(&sb);
    assert_eq!(before, 3);

    let tree = build_tree(&sb, false);
    let out = add_tree(&sb, &tree);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(article_count(&sb), before + tree.articles);
    let answers = batch_sources(&sb, &["Olise", "Mateta", "Eze"]);
    assert!(answers.iter().all(|(_, s)| s.len() == 1), "{answers:?}");
}

#[test]
fn symbolic_links_are_not_followed_unless_asked_and_a_fifo_never_blocks() {
    let sb = Sandbox::new();
    let dir = sb.mkdir("tree");
    sb.write("tree/a.txt", txt("Story", "Solanke scored."));
    symlink(dir.join("b.txt"), dir.join("c.txt")).unwrap();
    symlink(dir.join("c.txt"), dir.join("b.txt")).unwrap();
    symlink(&dir, dir.join("up")).unwrap();
    let fifo = dir.join("pipe.jsonl");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    // The FIFO given by name, and the tree: without --follow links are counted, not read.
    let mut args = os(&["add"]);
    args.push(dir.clone().into_os_string());
    args.push(fifo.clone().into_os_string());
    let out = run_watched(&sb, &refs(&args), WATCHDOG);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("3 symbolic links not followed: --follow reads them"),
        "{stderr}"
    );
    let fifo_lines = stderr.lines().filter(|l| l.contains("pipe.jsonl")).count();
    // Named once by the walk and once as an explicit path: two inputs, two lines.
    assert_eq!(fifo_lines, 2, "{stderr}");
    assert!(stderr
        .lines()
        .filter(|l| l.contains("pipe.jsonl"))
        .all(|l| l.contains("not a regular file")));
    assert!(sb.finds("Solanke", "a.txt"));
}

#[test]
fn a_long_single_line_full_of_quotes_and_scores_is_read_in_linear_time() {
    // Regression: each quote searched its whole paragraph for the paragraph's bounds, and each
    // sentence went through every club mention of the article. On one 2 MB line that took
    // minutes; the watchdog catches a return of either.
    let sb = Sandbox::new();
    let mut text = String::from("Quotes and scores\n\n");
    text.push_str(&"\"Word\" ".repeat(200_000));
    text.push_str(&"Arsenal beat Chelsea 2-1. ".repeat(30_000));
    let f = sb.write("long.txt", &text);
    let mut args = os(&["extract"]);
    args.push(f.into_os_string());
    let out = run_watched(&sb, &refs(&args), Duration::from_secs(45));
    assert_eq!(out.status.code(), Some(0));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("Arsenal (30000)"), "{summary}");
}
