//! Adding articles and finding them again: the bundled corpus, the default path, accent
//! folding, re-adding, updates, removals and `rm`.

mod common;

use std::path::Path;

use common::{counts, json_article, txt, Sandbox};
use predicates::prelude::*;

#[test]
fn add_then_search_finds_seed_for_alexander_arnold() {
    let sb = Sandbox::new();
    let corpus = common::corpus_dir();
    let summary = sb.add_json(&[&corpus], 0);
    let (added, _, _, _, skipped) = counts(&summary);
    assert!(added >= 1, "{summary}");
    assert_eq!(skipped, 0, "{summary}");

    let doc = sb.search_json("Alexander-Arnold", 0);
    let hits = doc["hits"].as_array().expect("hits");
    assert!(!hits.is_empty());
    let source = hits[0]["source"].as_str().expect("source");
    assert!(
        source.ends_with("seed-liverpool-echo.txt"),
        "first hit from {source}"
    );
    assert_eq!(hits[0]["rank"], 1);
}

#[test]
fn default_path_is_corpus_dir() {
    let sb = Sandbox::new();
    sb.write(
        "corpus/default.txt",
        txt(
            "Wanderers appoint new manager",
            "The club confirmed Pellegrino as head coach on a three-year deal.",
        ),
    );
    sb.bare_cmd()
        .args(["--index", "idx", "add"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("added 1"));
    assert!(sb.path("idx/newsidx.json").is_file());
    let out = common::run_ok_code(
        {
            let mut c = sb.bare_cmd();
            c.args(["--index", "idx", "search", "--json", "Pellegrino"]);
            c
        },
        0,
    );
    let doc = common::parse_json(&out.stdout);
    assert!(doc["hits"][0]["source"]
        .as_str()
        .unwrap()
        .ends_with("corpus/default.txt"));
}

#[test]
fn default_path_missing_corpus_is_an_error() {
    let sb = Sandbox::new();
    sb.bare_cmd()
        .args(["--index", "idx", "add"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("corpus"))
        .stderr(predicate::str::contains("panicked").not());
    assert!(!sb.path("idx/meta.json").exists());
}

#[test]
fn accents_fold_from_article_to_query() {
    let sb = Sandbox::new();
    let dir = sb.mkdir("news");
    sb.write(
        "news/accents.txt",
        txt(
            "Arsenal edge a tight derby",
            "Ødegaard set up the winner after Núñez had missed two chances for the visitors.",
        ),
    );
    sb.add_json(&[&dir], 0);
    assert!(sb.finds("Nunez", "accents.txt"));
    assert!(sb.finds("Odegaard", "accents.txt"));
    assert!(sb.finds("odegaard", "accents.txt"));
    assert!(sb.finds("NUNEZ", "accents.txt"));
}

#[test]
fn accents_fold_from_query_to_article() {
    let sb = Sandbox::new();
    let dir = sb.mkdir("news");
    sb.write(
        "news/plain.txt",
        txt(
            "Liverpool striker on target again",
            "Nunez scored twice and Odegaard was booked late on.",
        ),
    );
    sb.add_json(&[&dir], 0);
    assert!(sb.finds("Núñez", "plain.txt"));
    assert!(sb.finds("Ødegaard", "plain.txt"));
}

#[test]
fn accent_highlight_covers_the_accented_word() {
    let sb = Sandbox::new();
    let f = sb.write(
        "a.txt",
        txt("Match report", "Cup tie: Núñez scored late on."),
    );
    sb.add_json(&[&f], 0);
    let doc = sb.search_json("Nunez", 0);
    let snippet = &doc["hits"][0]["snippet"];
    let text: Vec<char> = snippet["text"].as_str().unwrap().chars().collect();
    let h = &snippet["highlights"][0];
    let (s, e) = (
        h[0].as_u64().unwrap() as usize,
        h[1].as_u64().unwrap() as usize,
    );
    let word: String = text[s..e].iter().collect();
    assert_eq!(word, "Núñez");
}

/// A directory with one article of each single-file kind and a JSON Lines file.
fn mixed_dir(sb: &Sandbox) -> std::path::PathBuf {
    let dir = sb.mkdir("mixed");
    sb.write(
        "mixed/one.txt",
        txt("Rovers win at home", "Hollin scored the only goal."),
    );
    sb.write(
        "mixed/two.md",
        "---\ntitle: Town hold City\ndate: 2024-02-03\noutlet: Northgate Courier\n---\n\nA goalless draw at Mill Lane.\n",
    );
    sb.write(
        "mixed/three.jsonl",
        format!(
            "{}\n{}\n",
            json_article("m1", "United sign keeper", "Strand joins on loan."),
            json_article(
                "m2",
                "Athletic sack coach",
                "Brady leaves after a run of defeats."
            )
        ),
    );
    dir
}

#[test]
fn readding_is_idempotent() {
    let sb = Sandbox::new();
    let dir = mixed_dir(&sb);
    let first = sb.add_json(&[&dir], 0);
    assert_eq!(counts(&first), (4, 0, 0, 0, 0), "{first}");
    let stats_before = sb.stats_json();

    let second = sb.add_json(&[&dir], 0);
    assert_eq!(counts(&second), (0, 0, 4, 0, 0), "{second}");
    let stats_after = sb.stats_json();
    assert_eq!(stats_before["articles"], stats_after["articles"]);
    assert_eq!(stats_after["articles"], 4);
    assert_eq!(stats_before["outlets"], stats_after["outlets"]);

    // The human summary says the same.
    let stderr = sb.add(&[&dir], 0);
    assert!(
        stderr.contains("added 0, updated 0, unchanged 4, removed 0, skipped 0"),
        "{stderr}"
    );
}

#[test]
fn changed_file_is_updated() {
    let sb = Sandbox::new();
    let f = sb.write(
        "news/report.txt",
        txt("Derby report", "Grealish scored the opener."),
    );
    sb.add_json(&[&f], 0);
    assert!(sb.finds("Grealish", "report.txt"));

    sb.write(
        "news/report.txt",
        txt("Derby report", "Bernardo scored the opener."),
    );
    let summary = sb.add_json(&[&f], 0);
    assert_eq!(counts(&summary), (0, 1, 0, 0, 0), "{summary}");
    assert!(sb.finds("Bernardo", "report.txt"));
    assert!(sb.hit_sources("Grealish").is_empty());
    assert_eq!(sb.article_count(), 1);
}

#[test]
fn removed_jsonl_line_is_removed_from_the_index() {
    let sb = Sandbox::new();
    let f = sb.write(
        "feed.jsonl",
        [
            json_article("a1", "First story", "Palmer scored."),
            json_article("a2", "Second story", "Jackson missed."),
            json_article("a3", "Third story", "Caicedo was booked."),
        ]
        .join("\n"),
    );
    let first = sb.add_json(&[&f], 0);
    assert_eq!(counts(&first), (3, 0, 0, 0, 0), "{first}");

    sb.write(
        "feed.jsonl",
        [
            json_article("a1", "First story", "Palmer scored."),
            json_article("a3", "Third story", "Caicedo was booked."),
        ]
        .join("\n"),
    );
    let second = sb.add_json(&[&f], 0);
    let (added, _, _, removed, skipped) = counts(&second);
    assert_eq!((added, removed, skipped), (0, 1, 0), "{second}");
    assert_eq!(sb.article_count(), 2);
    assert!(sb.hit_sources("Jackson").is_empty());
    assert!(sb.finds("Caicedo", "feed.jsonl"));
    sb.cmd(["show", "a2"]).assert().failure();
}

#[test]
fn replaced_jsonl_article_is_counted_as_added_and_removed() {
    let sb = Sandbox::new();
    let f = sb.write(
        "feed.jsonl",
        [
            json_article("a1", "First story", "Palmer scored."),
            json_article("a2", "Second story", "Jackson missed."),
        ]
        .join("\n"),
    );
    sb.add_json(&[&f], 0);
    sb.write(
        "feed.jsonl",
        [
            json_article("a1", "First story", "Palmer scored."),
            json_article("a9", "Ninth story", "Madueke crossed."),
        ]
        .join("\n"),
    );
    let summary = sb.add_json(&[&f], 0);
    // a1 unchanged, a9 is new, a2 is gone: nothing was updated.
    assert_eq!(counts(&summary), (1, 0, 1, 1, 0), "{summary}");
}

#[test]
fn duplicate_article_in_two_files_readding_is_idempotent() {
    let sb = Sandbox::new();
    let dir = sb.mkdir("dup");
    let body = txt("Same story twice", "Syndicated copy of a match report.");
    sb.write("dup/a.txt", &body);
    sb.write("dup/b.txt", &body);
    sb.add_json(&[&dir], 0);
    assert_eq!(sb.article_count(), 1);
    let second = sb.add_json(&[&dir], 0);
    let (added, updated, _, removed, _) = counts(&second);
    assert_eq!((added, updated, removed), (0, 0, 0), "{second}");
}

#[test]
fn stdin_batches_accumulate() {
    let sb = Sandbox::new();
    sb.cmd(["add", "-"])
        .write_stdin(format!(
            "{}\n",
            json_article("s1", "Feed item one", "Kane scored.")
        ))
        .assert()
        .code(0);
    sb.cmd(["add", "-"])
        .write_stdin(format!(
            "{}\n",
            json_article("s2", "Feed item two", "Son scored.")
        ))
        .assert()
        .code(0);
    assert_eq!(sb.article_count(), 2);
    assert!(!sb.hit_sources("Kane").is_empty());
}

#[test]
fn rm_by_id_removes_the_article() {
    let sb = Sandbox::new();
    let f = sb.write(
        "feed.jsonl",
        [
            json_article("r1", "Keep me", "Rashford scored."),
            json_article("r2", "Remove me", "Hojlund scored."),
        ]
        .join("\n"),
    );
    sb.add_json(&[&f], 0);
    sb.cmd(["rm", "r2"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("removed 1 article"));
    assert_eq!(sb.article_count(), 1);
    assert!(sb.hit_sources("Hojlund").is_empty());
    assert!(sb.finds("Rashford", "feed.jsonl"));
    sb.cmd(["show", "r2"]).assert().failure();

    let out = common::run_ok_code(sb.cmd(["rm", "--json", "r1"]), 0);
    let doc = common::parse_json(&out.stdout);
    assert_eq!(doc["removed"], 1);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(sb.article_count(), 0);
}

#[test]
fn rm_unknown_id_exits_1() {
    let sb = Sandbox::new();
    let f = sb.write("a.txt", txt("Only story", "Mainoo scored."));
    sb.add_json(&[&f], 0);
    sb.cmd(["rm", "no-such-id"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no-such-id"));
    let out = common::run_ok_code(sb.cmd(["rm", "--json", "no-such-id"]), 1);
    let doc = common::parse_json(&out.stdout);
    assert_eq!(doc["removed"], 0);
    assert_eq!(doc["not_found"][0], "no-such-id");
    assert_eq!(sb.article_count(), 1);
}

#[test]
fn rm_source_file_removes_its_articles() {
    let sb = Sandbox::new();
    let dir = sb.mkdir("news");
    sb.write(
        "news/feed.jsonl",
        [
            json_article("f1", "Feed one", "Gordon scored."),
            json_article("f2", "Feed two", "Isak scored."),
        ]
        .join("\n"),
    );
    sb.write("news/other.txt", txt("Other", "Trippier crossed."));
    sb.add_json(&[&dir], 0);
    assert_eq!(sb.article_count(), 3);

    let out = common::run_ok_code(sb.cmd(["rm", "--json", "--source", "news/feed.jsonl"]), 0);
    assert_eq!(common::parse_json(&out.stdout)["removed"], 2);
    assert_eq!(sb.article_count(), 1);
    assert!(sb.hit_sources("Isak").is_empty());
    assert!(sb.finds("Trippier", "other.txt"));
}

#[test]
fn rm_source_directory_removes_everything_under_it() {
    let sb = Sandbox::new();
    let a = sb.mkdir("news/2023");
    let b = sb.mkdir("news/2024");
    let keep = sb.mkdir("news/2023-extra");
    sb.write("news/2023/a.txt", txt("Old one", "Wirtz scored."));
    sb.write("news/2023/deep/b.md", "# Old two\n\nMusiala scored.\n");
    sb.write("news/2024/c.txt", txt("New one", "Kimmich scored."));
    sb.write("news/2023-extra/d.txt", txt("Sibling", "Sane scored."));
    sb.add_json(&[&a, &b, &keep], 0);
    assert_eq!(sb.article_count(), 4);

    let abs: &Path = &a;
    sb.cmd(["rm", "--source"])
        .arg(abs)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("removed 2 articles"));
    assert_eq!(sb.article_count(), 2);
    assert!(sb.hit_sources("Wirtz").is_empty());
    assert!(sb.hit_sources("Musiala").is_empty());
    assert!(sb.finds("Kimmich", "c.txt"));
    // A directory whose name merely starts with the removed one's is kept.
    assert!(sb.finds("Sane", "d.txt"));

    // Nothing left under it: exit 1.
    sb.cmd(["rm", "--source"]).arg(abs).assert().code(1);
}

#[test]
fn show_json_returns_the_whole_article() {
    let sb = Sandbox::new();
    let body = "First paragraph about Saka.\n\nSecond paragraph about Rice.";
    let f = sb.write("s.jsonl", json_article("show-1", "Show me", body));
    sb.add_json(&[&f], 0);
    let doc = sb.show_json("show-1");
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["id"], "show-1");
    assert_eq!(doc["title"], "Show me");
    let stored = doc["body"].as_str().unwrap();
    assert!(
        stored.contains("Saka") && stored.contains("Rice"),
        "{stored}"
    );
    assert_eq!(doc["line"], 1);
    for key in ["date", "outlet", "url"] {
        assert!(doc[key].is_null(), "{key} in {doc}");
    }

    sb.cmd(["show", "show-1"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Show me"))
        .stdout(predicate::str::contains("Second paragraph about Rice."));
}

#[test]
fn show_unknown_id_exits_1() {
    let sb = Sandbox::new();
    let f = sb.write("a.txt", txt("Only story", "Mainoo scored."));
    sb.add_json(&[&f], 0);
    sb.cmd(["show", "no-such-id"]).assert().code(1);
}

/// An article the index holds unchanged is not extracted again; but when the same run first
/// writes another version of it and then the indexed one again, the indexed version comes
/// back whole (with its tags), not as an empty extraction.
#[test]
fn unchanged_articles_skip_extraction_but_a_version_written_back_keeps_its_tags() {
    let sb = Sandbox::new();
    let a = json_article(
        "a1",
        "Liverpool win again",
        "Mohamed Salah scored twice as Liverpool beat Everton at Anfield.",
    );
    let b = json_article("a1", "A different story", "Nothing about football here.");
    let first = sb.write("one.jsonl", format!("{a}\n"));
    sb.add_json(&[&first], 0);
    let again = sb.add_json(&[&first], 0);
    assert_eq!(counts(&again), (0, 0, 1, 0, 0));
    let both = sb.write("two.jsonl", format!("{b}\n{a}\n"));
    let summary = sb.add_json(&[&both], 0);
    assert_eq!(summary["updated"], 2, "{summary}");
    let shown = sb.show_json("a1");
    assert_eq!(shown["title"], "Liverpool win again");
    let tags: Vec<&str> = shown["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert!(tags.contains(&"mohamed-salah"), "{shown}");
    assert!(tags.contains(&"liverpool"), "{shown}");
}

/// Entity-aware search reads the names `add` wrote beside the index: a nickname finds an
/// article that only names the club.
#[test]
fn names_the_index_knows_expand_queries() {
    let sb = Sandbox::new();
    sb.write(
        "news/a.txt",
        txt(
            "Derby day",
            "Liverpool beat Everton at Anfield on Saturday afternoon.",
        ),
    );
    sb.write(
        "news/b.txt",
        txt(
            "Transfer talk",
            "Arsenal are weighing up a move in January.",
        ),
    );
    sb.add(&[&sb.path("news")], 0);
    assert!(sb.path("index/aliases.tsv").is_file());
    let titles = |q: &str| -> Vec<String> {
        let doc = sb.search_json(q, 0);
        doc["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    // Neither "the" nor "reds" is in the article: only its Liverpool tag matches.
    assert_eq!(titles("the Reds"), ["Derby day"]);
}
