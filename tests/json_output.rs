//! The JSON wire formats and the exit codes of the read-only commands.

mod common;

use common::{json_article, txt, Sandbox};
use predicates::prelude::*;
use serde_json::Value;

/// Three articles mentioning Saka, with non-ASCII text before the matches so that character
/// and byte offsets differ.
fn saka_index() -> Sandbox {
    let sb = Sandbox::new();
    let dir = sb.mkdir("news");
    sb.write(
        "news/a.txt",
        txt(
            "Arsenal beat Spurs",
            "Núñez and Ødegaard watched as Saka scored — then SAKA scored again before half-time.",
        ),
    );
    sb.write(
        "news/b.md",
        "---\ntitle: Saka signs new deal\ndate: 2023-05-23\noutlet: Highbury Herald\nurl: https://example.org/herald/saka-deal\n---\n\nThe winger, 21, commits his future. “Saka is our present and future,” said the coach.\n",
    );
    sb.write(
        "news/c.jsonl",
        format!(
            "{}\n",
            json_article(
                "c-1",
                "Weekend round-up",
                "Elsewhere, Ødegaard and Saka combined for the third goal.",
            )
        ),
    );
    sb.add_json(&[&dir], 0);
    sb
}

fn check_hit_fields(hit: &Value) {
    for key in ["rank", "score", "id", "title", "source", "snippet"] {
        assert!(!hit[key].is_null(), "{key} missing in {hit}");
    }
    for key in ["date", "outlet", "url", "line"] {
        assert!(
            hit.as_object().unwrap().contains_key(key),
            "{key} missing in {hit}"
        );
    }
    assert!(hit["rank"].is_u64());
    assert!(hit["score"].is_f64());
    assert!(hit["id"].is_string());
    assert!(hit["title"].is_string());
    assert!(hit["date"].is_null() || hit["date"].is_string());
    assert!(hit["outlet"].is_null() || hit["outlet"].is_string());
    assert!(hit["url"].is_null() || hit["url"].is_string());
    assert!(hit["line"].is_null() || hit["line"].is_u64());
    assert!(hit["snippet"]["text"].is_string());
    assert!(hit["snippet"]["highlights"].is_array());
}

/// Every highlight is a `[start, end)` range of characters of the snippet text holding `word`.
fn check_highlights(hit: &Value, word: &str) -> usize {
    let text: Vec<char> = hit["snippet"]["text"].as_str().unwrap().chars().collect();
    let highlights = hit["snippet"]["highlights"].as_array().unwrap();
    for h in highlights {
        let pair = h.as_array().expect("pair");
        assert_eq!(pair.len(), 2, "{h}");
        let (s, e) = (
            pair[0].as_u64().unwrap() as usize,
            pair[1].as_u64().unwrap() as usize,
        );
        assert!(s < e && e <= text.len(), "{h} out of {} chars", text.len());
        let got: String = text[s..e].iter().collect();
        assert_eq!(
            got.to_lowercase(),
            word.to_lowercase(),
            "highlight {h} in {:?}",
            hit["snippet"]["text"]
        );
    }
    highlights.len()
}

#[test]
fn search_json_schema() {
    let sb = saka_index();
    let doc = sb.search_json("Saka", 0);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["query"], "Saka");
    let hits = doc["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3, "{doc}");
    let mut highlighted = 0;
    let mut last_score = f64::INFINITY;
    for (i, hit) in hits.iter().enumerate() {
        check_hit_fields(hit);
        assert_eq!(hit["rank"].as_u64().unwrap() as usize, i + 1);
        let score = hit["score"].as_f64().unwrap();
        assert!(score <= last_score, "hits not best first: {doc}");
        last_score = score;
        // Hits carry schema_version/query only on JSON lines.
        assert!(hit.get("schema_version").is_none());
        highlighted += check_highlights(hit, "saka");
    }
    assert!(highlighted >= 3, "{doc}");

    let md = hits
        .iter()
        .find(|h| h["source"].as_str().unwrap().ends_with("b.md"))
        .unwrap();
    assert_eq!(md["date"], "2023-05-23");
    assert_eq!(md["outlet"], "Highbury Herald");
    assert_eq!(md["url"], "https://example.org/herald/saka-deal");
    let jl = hits
        .iter()
        .find(|h| h["source"].as_str().unwrap().ends_with("c.jsonl"))
        .unwrap();
    assert_eq!(jl["line"], 1);
    assert_eq!(jl["id"], "c-1");

    // The accented text before the match makes byte and character offsets differ.
    let txt = hits
        .iter()
        .find(|h| h["source"].as_str().unwrap().ends_with("a.txt"))
        .unwrap();
    let text = txt["snippet"]["text"].as_str().unwrap();
    let first = &txt["snippet"]["highlights"][0];
    let expected_start = text[..text.find("Saka").unwrap()].chars().count();
    assert_eq!(first[0].as_u64().unwrap() as usize, expected_start, "{txt}");
}

#[test]
fn search_limit_is_respected() {
    let sb = saka_index();
    let out = common::run_ok_code(sb.cmd(["search", "--json", "-n", "2", "Saka"]), 0);
    let doc = common::parse_json(&out.stdout);
    assert_eq!(doc["hits"].as_array().unwrap().len(), 2);
}

#[test]
fn search_jsonl_one_object_per_hit() {
    let sb = saka_index();
    let out = common::run_ok_code(sb.cmd(["search", "--jsonl", "Saka"]), 0);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for (i, line) in lines.iter().enumerate() {
        let hit: Value = serde_json::from_str(line).expect("one JSON object per line");
        assert_eq!(hit["schema_version"], 1);
        assert_eq!(hit["query"], "Saka");
        assert_eq!(hit["rank"].as_u64().unwrap() as usize, i + 1);
        check_hit_fields(&hit);
        check_highlights(&hit, "saka");
    }
}

#[test]
fn json_and_jsonl_conflict() {
    let sb = saka_index();
    common::expect_code(sb.cmd(["search", "--json", "--jsonl", "Saka"]), 2);
}

#[test]
fn stats_json_schema() {
    let sb = saka_index();
    let stats = sb.stats_json();
    assert_eq!(stats["schema_version"], 1);
    assert_eq!(stats["articles"], 3);
    assert!(stats["size_bytes"].as_u64().unwrap() > 0);
    assert!(stats["segments"].is_u64());
    let outlets = stats["outlets"].as_array().unwrap();
    assert_eq!(outlets.len(), 1);
    assert_eq!(outlets[0]["outlet"], "Highbury Herald");
    assert_eq!(outlets[0]["articles"], 1);
    assert_eq!(stats["no_outlet"], 2);
    assert_eq!(stats["first_date"], "2023-05-23");
    assert_eq!(stats["last_date"], "2023-05-23");
    assert_eq!(stats["no_date"], 2);
    assert!(stats["index"].as_str().unwrap().ends_with("index"));
}

#[test]
fn add_json_summary_schema() {
    let sb = Sandbox::new();
    let f = sb.write("a.txt", txt("Story", "Havertz scored."));
    let summary = sb.add_json(&[&f], 0);
    assert_eq!(summary["schema_version"], 1);
    for key in [
        "added",
        "updated",
        "unchanged",
        "removed",
        "skipped",
        "warnings",
        "ignored_files",
    ] {
        assert!(summary[key].is_u64(), "{key} in {summary}");
    }
    assert!(summary["seconds"].is_number());
    assert!(summary["index"].is_string());
    assert_eq!(summary["problems"], serde_json::json!([]));
    assert_eq!(summary["added"], 1);
}

#[test]
fn add_json_prints_nothing_but_json_on_stdout() {
    let sb = Sandbox::new();
    let f = sb.write("a.txt", txt("Story", "Havertz scored."));
    let out = common::run_ok_code(
        {
            let mut c = sb.cmd(["add", "--json"]);
            c.arg(&f);
            c
        },
        0,
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("added 1"));
}

#[test]
fn stats_of_empty_index_exits_1() {
    let sb = saka_index();
    sb.cmd(["rm", "--source", "news"]).assert().code(0);
    let out = common::run_ok_code(sb.cmd(["stats", "--json"]), 1);
    let stats = common::parse_json(&out.stdout);
    assert_eq!(stats["articles"], 0);
    assert!(stats["first_date"].is_null());
    assert!(stats["last_date"].is_null());
}

#[test]
fn search_with_no_hits_exits_1() {
    let sb = saka_index();
    let doc = sb.search_json("Zidane", 1);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["query"], "Zidane");
    assert_eq!(doc["hits"], serde_json::json!([]));

    common::expect_code(sb.cmd(["search", "--jsonl", "Zidane"]), 1).stdout("");
    common::expect_code(sb.cmd(["search", "Zidane"]), 1)
        .stdout("")
        .stderr(predicate::str::contains("no articles match"));
}

#[test]
fn search_on_missing_index_exits_2() {
    let sb = Sandbox::new();
    for args in [
        vec!["search", "Saka"],
        vec!["search", "--json", "Saka"],
        vec!["stats"],
        vec!["show", "x"],
        vec!["rm", "x"],
    ] {
        common::expect_code(sb.cmd(&args), 2)
            .stdout("")
            .stderr(predicate::str::contains("no index"));
    }
    // Reading commands do not create the index.
    assert!(!sb.index().exists());
}

#[test]
fn search_on_a_directory_that_is_not_an_index_exits_2() {
    let sb = Sandbox::new();
    sb.write("index/notes.txt", "my notes");
    common::expect_code(sb.cmd(["search", "Saka"]), 2)
        .stderr(predicate::str::contains("not a newsidx index"));
    let f = sb.write("a.txt", txt("Story", "Havertz scored."));
    common::expect_code(
        {
            let mut c = sb.cmd(["add"]);
            c.arg(&f);
            c
        },
        2,
    )
    .stderr(predicate::str::contains("not a newsidx index"));
    assert_eq!(
        std::fs::read_to_string(sb.path("index/notes.txt")).unwrap(),
        "my notes"
    );
}

#[test]
fn bad_queries_exit_2_without_panicking() {
    let sb = saka_index();
    let deep = "(".repeat(50) + "Saka" + &")".repeat(50);
    let long = "Saka ".repeat(300);
    for q in [
        "\"unclosed",
        "(a OR b",
        "- *",
        deep.as_str(),
        "Saka\u{7}",
        "a\u{1b}[31m",
        "",
        "   ",
        "Saka)",
        "nosuchfield:Saka",
        "Saka AND",
        "NOT Saka",
        long.as_str(),
    ] {
        let out = sb
            .cmd(["search", "--json", "--", q])
            .output()
            .expect("run newsidx");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "query {q:?}: {stderr}");
        assert!(stderr.contains("bad query"), "query {q:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "query {q:?}: {stderr}");
        assert!(out.stdout.is_empty(), "query {q:?} printed output");
        // Messages never echo control characters back to the terminal.
        assert!(
            !stderr.chars().any(|c| c.is_control() && c != '\n'),
            "query {q:?}: {stderr:?}"
        );
    }
}

#[test]
fn ordinary_query_syntax_works() {
    let sb = saka_index();
    for (q, n) in [
        ("Saka AND Ødegaard", 2),
        ("Saka -Ødegaard", 1),
        ("\"Saka scored\"", 1),
        ("title:Saka", 1),
        ("body:Núñez", 1),
        ("(Saka OR Zidane) AND deal", 1),
        ("half-time", 1),
    ] {
        let doc = sb.search_json(q, 0);
        assert_eq!(doc["hits"].as_array().unwrap().len(), n, "{q}: {doc}");
    }
}

#[test]
fn field_wildcard_is_a_bad_query() {
    let sb = saka_index();
    for q in ["title:*", "body:*"] {
        common::expect_code(sb.cmd(["search", "--", q]), 2)
            .stderr(predicate::str::contains("bad query"))
            .stderr(predicate::str::contains("newsidx check").not());
    }
}

#[test]
fn schema_version_mismatch_asks_for_rebuild() {
    let sb = saka_index();
    std::fs::write(
        sb.index().join("newsidx.json"),
        r#"{"format":"newsidx","schema_version":999}"#,
    )
    .unwrap();
    common::expect_code(sb.cmd(["search", "Saka"]), 2)
        .stdout("")
        .stderr(predicate::str::contains("rebuild"))
        .stderr(predicate::str::contains("999"));
    common::expect_code(sb.cmd(["stats", "--json"]), 2).stderr(predicate::str::contains("rebuild"));
    let f = sb.write("late.txt", txt("Late", "Trossard scored."));
    common::expect_code(
        {
            let mut c = sb.cmd(["add"]);
            c.arg(&f);
            c
        },
        2,
    )
    .stderr(predicate::str::contains("rebuild"));
}

#[test]
fn search_pages_sorts_and_restricts_by_date_and_outlet() {
    let sb = common::Sandbox::new();
    for (i, (date, outlet)) in [
        ("2023-01-01", "A"),
        ("2023-02-01", "B"),
        ("2023-03-01", "A"),
    ]
    .iter()
    .enumerate()
    {
        sb.write(
            &format!("news/{i}.json"),
            serde_json::json!({"id": format!("a{i}"), "title": format!("Cup tie {i}"), "body": "a cup tie", "published": date, "outlet": outlet}).to_string(),
        );
    }
    sb.add(&[&sb.path("news")], 0);
    let run = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["search", "cup", "--json"];
        all.extend_from_slice(args);
        let out = sb.cmd(all).assert().get_output().stdout.clone();
        serde_json::from_slice(&out).unwrap()
    };
    let dates = |v: &serde_json::Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["date"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        dates(&run(&["--sort", "date"])),
        ["2023-03-01", "2023-02-01", "2023-01-01"]
    );
    let paged = run(&["--sort", "date", "--offset", "1", "--limit", "1"]);
    assert_eq!(dates(&paged), ["2023-02-01"]);
    assert_eq!(paged["hits"][0]["rank"], 2);
    assert_eq!(
        dates(&run(&["--since", "2023-02-01", "--until", "2023-02-28"])),
        ["2023-02-01"]
    );
    assert_eq!(run(&["--outlet", "A"])["hits"].as_array().unwrap().len(), 2);
    sb.cmd(["search", "cup", "--since", "soon"])
        .assert()
        .code(2);
}
