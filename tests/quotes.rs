//! `newsidx quotes`: quotes indexed with their speakers, searchable by words and speaker,
//! filtered by the article's tags, removed with their article.

mod common;

use common::{txt, Sandbox};
use serde_json::Value;

fn quotes_json(sb: &Sandbox, args: &[&str], code: i32) -> Vec<Value> {
    let mut all = vec!["quotes", "--json"];
    all.extend_from_slice(args);
    let out = sb.cmd(all).assert().code(code).get_output().stdout.clone();
    let doc: Value = serde_json::from_slice(&out).expect("json");
    doc["quotes"].as_array().expect("quotes").clone()
}

fn setup(sb: &Sandbox) {
    sb.write(
        "news/a.txt",
        txt(
            "Marsh happy with point",
            "Harbourside manager Declan Marsh saw his side draw with Liverpool.\n\"We had tired legs after Tuesday and I should have rotated,\" Marsh said.\nStriker Ollie Strand told the Gazette: \"The dressing room is still buzzing after the cup run.\"\nThe crowd called it \"special\".",
        ),
    );
    sb.add(&[&sb.path("news")], 0);
}

#[test]
fn quotes_by_words_and_speaker() {
    let sb = Sandbox::new();
    setup(&sb);
    let q = quotes_json(&sb, &["legs"], 0);
    assert_eq!(q.len(), 1);
    assert_eq!(q[0]["speaker"]["name"], "Declan Marsh");
    assert_eq!(q[0]["article"]["title"], "Marsh happy with point");
    let q = quotes_json(&sb, &["--speaker", "Ollie Strand"], 0);
    assert_eq!(q.len(), 1);
    assert_eq!(q[0]["said_to"], "the Gazette");
    quotes_json(&sb, &["legs", "--speaker", "Ollie Strand"], 1);
}

#[test]
fn partial_quotes_only_with_all() {
    let sb = Sandbox::new();
    setup(&sb);
    assert_eq!(quotes_json(&sb, &[], 0).len(), 2);
    let all = quotes_json(&sb, &["--all"], 0);
    assert_eq!(all.len(), 3);
    assert!(all
        .iter()
        .any(|q| q["partial"] == true && q["text"] == "special"));
}

#[test]
fn quotes_filter_by_article_tags_and_leave_with_their_article() {
    let sb = Sandbox::new();
    setup(&sb);
    assert_eq!(quotes_json(&sb, &["--club", "Liverpool"], 0).len(), 2);
    quotes_json(&sb, &["--club", "Arsenal"], 1);
    // Quotes never show up as articles: one article holds the words, one hit.
    let out = sb
        .cmd(["search", "legs", "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["hits"].as_array().unwrap().len(), 1);
    let out = sb
        .cmd(["stats", "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let stats: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(stats["articles"], 1);
    sb.cmd(["rm", "--source"])
        .arg(sb.path("news"))
        .assert()
        .code(0);
    quotes_json(&sb, &[], 1);
}

#[test]
fn quote_words_are_read_back_from_their_article_and_filters_go_through_it() {
    let sb = Sandbox::new();
    sb.write(
        "news/a.txt",
        txt(
            "Marsh: we will be back",
            "Harbourside manager Declan Marsh watched his side lose to Liverpool.\n\"The lads gave everything they had on a difficult afternoon,\" Marsh said.\nHe added: \"We will be back stronger next season.\"",
        ),
    );
    sb.write(
        "news/b.txt",
        txt(
            "Strand scores again",
            "Ollie Strand scored twice against Arsenal.\n\"Scoring in front of these fans never gets old for me,\" Strand said.",
        ),
    );
    sb.add(&[&sb.path("news")], 0);
    let texts = |args: &[&str]| -> Vec<String> {
        quotes_json(&sb, args, 0)
            .iter()
            .map(|q| q["text"].as_str().unwrap().to_string())
            .collect()
    };
    // Each article's own tags select its quotes, and nothing of the other article's.
    assert_eq!(
        texts(&["--club", "Arsenal"]),
        ["Scoring in front of these fans never gets old for me,"]
    );
    let liverpool = texts(&["--club", "Liverpool"]);
    assert_eq!(liverpool.len(), 2, "{liverpool:?}");
    // The words are exact.
    assert!(liverpool
        .contains(&"The lads gave everything they had on a difficult afternoon,".to_string()));
    assert!(liverpool.contains(&"We will be back stronger next season.".to_string()));
    assert_eq!(
        texts(&["stronger"]),
        ["We will be back stronger next season."]
    );
    // A speaker filter and a tag filter together.
    quotes_json(&sb, &["--club", "Arsenal", "--speaker", "Declan Marsh"], 1);
}
