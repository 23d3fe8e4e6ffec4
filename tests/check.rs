//! `newsidx check`: a healthy index passes (exit 0); damaged files, missing files and a
//! garbage `meta.json` fail with exit 2, a message naming what is wrong and the command that
//! rebuilds the index from its sources; check never panics.

mod common;

use std::path::{Path, PathBuf};

use common::{json_article, txt, Sandbox};
use serde_json::Value;

/// An index of a few articles (with quotes) from two sources.
fn built() -> (Sandbox, PathBuf) {
    let sb = Sandbox::new();
    let lines: Vec<String> = (0..40)
        .map(|i| {
            json_article(
                &format!("k{i}"),
                &format!("Check story {i}"),
                &format!(
                    "\"We were the better side and we deserved it today,\" said Jack Smith after game {i}. {}",
                    noise(i)
                ),
            )
        })
        .collect();
    let jsonl = sb.write("news/feed.jsonl", lines.join("\n"));
    sb.write(
        "news/one.txt",
        txt("A text story", "Guehi captained the side."),
    );
    let mut add = sb.cmd(["add", "--no-tags"]);
    add.arg(sb.path("news"));
    common::run_ok_code(add, 0);
    (sb, jsonl)
}

/// Words that do not compress away, so the store spans several blocks.
fn noise(seed: usize) -> String {
    let mut x = seed as u64 * 2_654_435_761 + 1;
    (0..150)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("w{:x}", x % 1_000_000)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `check [--json]`: (exit code, stdout, stderr), after making sure it did not panic.
fn check(sb: &Sandbox, json: bool) -> (i32, String, String) {
    let mut args = vec!["check"];
    if json {
        args.push("--json");
    }
    let out = sb.cmd(&args).output().expect("run newsidx");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "check panicked: {stderr}");
    (out.status.code().expect("exit code"), stdout, stderr)
}

/// The index's files with this extension (segment files are named `<uuid>.<ext>`).
fn files_with(sb: &Sandbox, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(sb.index())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .{ext} file in the index");
    files
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

fn flip_bytes(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let mid = bytes.len() / 2;
    let end = (mid + 4).min(bytes.len());
    for b in &mut bytes[mid..end] {
        *b ^= 0xA5;
    }
    std::fs::write(path, bytes).unwrap();
}

/// Exit 2; both outputs name `what`; the repair command names the index and a source.
fn assert_damaged(sb: &Sandbox, what: &str) {
    let (code, stdout, stderr) = check(sb, false);
    assert_eq!(code, 2, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("DAMAGED"), "{stdout}");
    assert!(stdout.contains(what), "{what} not named in: {stdout}");
    assert!(stderr.contains("damaged"), "{stderr}");
    assert!(stderr.contains("rm -r"), "{stderr}");
    assert!(stdout.contains("To repair"), "{stdout}");

    let (code, stdout, _) = check(sb, true);
    assert_eq!(code, 2);
    let doc: Value = common::parse_json(stdout.as_bytes());
    assert_eq!(doc["healthy"], false);
    let problems = doc["problems"].as_array().unwrap();
    assert!(!problems.is_empty());
    assert!(
        problems.iter().any(|p| {
            p["file"].as_str().is_some_and(|f| f.contains(what))
                || p["message"].as_str().is_some_and(|m| m.contains(what))
        }),
        "{what} not named in {problems:?}"
    );
    assert!(doc["repair"].as_str().unwrap().contains("rm -r"));
}

#[test]
fn healthy_index_passes() {
    let (sb, jsonl) = built();
    let (code, stdout, stderr) = check(&sb, false);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("OK"), "{stdout}");
    assert!(stdout.contains("41 articles"), "{stdout}");
    assert!(stdout.contains("checksums verified"), "{stdout}");

    let (code, stdout, _) = check(&sb, true);
    assert_eq!(code, 0);
    let doc: Value = common::parse_json(stdout.as_bytes());
    assert_eq!(doc["healthy"], true);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["articles"], sb.article_count());
    assert_eq!(doc["quotes"], 40);
    assert_eq!(doc["problems"].as_array().unwrap().len(), 0);
    assert!(doc["segments"].as_u64().unwrap() >= 1);
    assert!(doc["files_checked"].as_u64().unwrap() >= 6);
    assert!(doc["repair"].is_null());
    let sources: Vec<&str> = doc["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let jsonl = jsonl.canonicalize().unwrap();
    assert!(sources.contains(&jsonl.to_str().unwrap()), "{sources:?}");
    assert_eq!(sources.len(), 2);
}

#[test]
fn healthy_after_updates_and_removals() {
    let (sb, jsonl) = built();
    // Replace some articles (deletes in committed segments) and remove others.
    let lines: Vec<String> = (0..30)
        .map(|i| json_article(&format!("k{i}"), "Changed", &format!("New text {i}.")))
        .collect();
    std::fs::write(&jsonl, lines.join("\n")).unwrap();
    let mut add = sb.cmd(["add", "--no-tags"]);
    add.arg(&jsonl);
    common::run_ok_code(add, 0);
    let (code, stdout, stderr) = check(&sb, true);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let doc: Value = common::parse_json(stdout.as_bytes());
    assert_eq!(doc["articles"], 31);
    assert_eq!(doc["articles"], sb.article_count());
}

#[test]
fn flipped_bytes_in_a_store_file_are_found() {
    let (sb, _) = built();
    let store = files_with(&sb, "store").remove(0);
    flip_bytes(&store);
    assert_damaged(&sb, &name(&store));
    let (_, stdout, _) = check(&sb, false);
    assert!(stdout.contains("checksum"), "{stdout}");
}

#[test]
fn flipped_bytes_in_a_postings_file_are_found() {
    let (sb, _) = built();
    let idx = files_with(&sb, "idx").remove(0);
    flip_bytes(&idx);
    assert_damaged(&sb, &name(&idx));
}

#[test]
fn a_deleted_segment_file_is_found() {
    let (sb, _) = built();
    let term = files_with(&sb, "term").remove(0);
    std::fs::remove_file(&term).unwrap();
    assert_damaged(&sb, &name(&term));
    let (_, stdout, _) = check(&sb, false);
    assert!(stdout.contains("missing"), "{stdout}");
}

#[test]
fn a_truncated_segment_file_is_found() {
    let (sb, _) = built();
    for ext in ["fast", "store", "pos", "fieldnorm"] {
        let f = files_with(&sb, ext).remove(0);
        let len = std::fs::metadata(&f).unwrap().len();
        let file = std::fs::OpenOptions::new().write(true).open(&f).unwrap();
        file.set_len(len / 3).unwrap();
        drop(file);
        assert_damaged(&sb, &name(&f));
    }
}

#[test]
fn garbage_meta_json_is_found() {
    let (sb, jsonl) = built();
    std::fs::write(sb.index().join("meta.json"), "{\"segments\": [garbage").unwrap();
    assert_damaged(&sb, "meta.json");
    // The sources cannot be read without meta.json: the command says so.
    let (_, stdout, _) = check(&sb, false);
    assert!(stdout.contains("SOURCES"), "{stdout}");
    assert!(!stdout.contains(&name(&jsonl)), "{stdout}");
}

#[test]
fn valid_json_that_is_not_tantivy_meta_is_found() {
    let (sb, _) = built();
    std::fs::write(sb.index().join("meta.json"), "{\"segments\": 42}").unwrap();
    assert_damaged(&sb, "meta.json");
}

#[test]
fn meta_json_naming_a_segment_that_is_not_there_is_found() {
    let (sb, _) = built();
    let meta_path = sb.index().join("meta.json");
    let text = std::fs::read_to_string(&meta_path).unwrap();
    let mut meta: Value = serde_json::from_str(&text).unwrap();
    let segments = meta["segments"].as_array_mut().unwrap();
    let mut ghost = segments[0].clone();
    ghost["segment_id"] = Value::from("00000000-0000-4000-8000-000000000001");
    segments.push(ghost);
    std::fs::write(&meta_path, serde_json::to_string(&meta).unwrap()).unwrap();
    assert_damaged(&sb, "00000000000040008000000000000001");
}

#[test]
fn missing_marker_is_found() {
    let (sb, _) = built();
    std::fs::remove_file(sb.index().join("newsidx.json")).unwrap();
    assert_damaged(&sb, "newsidx.json");
}

#[test]
fn repair_command_lists_the_sources_and_works() {
    let (sb, jsonl) = built();
    flip_bytes(&files_with(&sb, "store").remove(0));
    let (code, stdout, _) = check(&sb, true);
    assert_eq!(code, 2);
    let doc: Value = common::parse_json(stdout.as_bytes());
    let repair = doc["repair"].as_str().unwrap().to_string();
    // Whatever could still be read names its sources.
    let sources = doc["sources"].as_array().unwrap();
    assert!(!sources.is_empty());
    let jsonl = jsonl.canonicalize().unwrap();
    assert!(
        repair.contains(jsonl.to_str().unwrap()) || repair.contains("one.txt"),
        "{repair}"
    );
    // Rebuild as told (both sources are few, so they are listed by name).
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(repair.replace("newsidx ", &format!("{} ", common::bin_path().display())))
        .current_dir(sb.dir())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{repair}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, stdout, stderr) = check(&sb, false);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn no_index_is_an_error_not_a_crash() {
    let sb = Sandbox::new();
    let (code, _, stderr) = check(&sb, false);
    assert_eq!(code, 2);
    assert!(stderr.contains("no index"), "{stderr}");
}

#[test]
fn fresh_empty_index_passes() {
    let sb = Sandbox::new();
    let empty = sb.write("empty.jsonl", "");
    let mut add = sb.cmd(["add", "--no-tags"]);
    add.arg(&empty);
    common::run_ok_code(add, 0);
    let (code, stdout, stderr) = check(&sb, false);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("0 articles"), "{stdout}");
}
