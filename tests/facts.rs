//! `newsidx facts`: results indexed with their article, listed once per result with every
//! source, filtered by club and date.

mod common;

use common::Sandbox;

fn dated(id: &str, title: &str, body: &str, date: &str) -> String {
    serde_json::json!({"id": id, "title": title, "body": body, "published": date}).to_string()
}
use serde_json::Value;

fn matches(sb: &Sandbox, args: &[&str], code: i32) -> Vec<Value> {
    let mut all = vec!["facts", "--json"];
    all.extend_from_slice(args);
    let out = sb.cmd(all).assert().code(code).get_output().stdout.clone();
    let doc: Value = serde_json::from_slice(&out).expect("json");
    doc["matches"].as_array().expect("matches").clone()
}

#[test]
fn results_by_club_with_all_their_sources() {
    let sb = Sandbox::new();
    sb.write(
        "news/a.json",
        dated(
            "a",
            "Chelsea beat Arsenal",
            "Chelsea beat Arsenal 2-0 at Stamford Bridge on Sunday.",
            "2023-03-05",
        ),
    );
    sb.write(
        "news/b.json",
        dated(
            "b",
            "Derby report",
            "Arsenal lost 2-0 to Chelsea. Leeds United drew 1-1 with Hull City.",
            "2023-03-06",
        ),
    );
    sb.add(&[&sb.path("news")], 0);
    let m = matches(&sb, &["--club", "Arsenal"], 0);
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0]["sources"].as_array().unwrap().len(), 2);
    let score = |team: &str| {
        if m[0]["home"] == team {
            m[0]["home_score"].clone()
        } else {
            m[0]["away_score"].clone()
        }
    };
    assert_eq!(score("Chelsea"), 2);
    assert_eq!(score("Arsenal"), 0);
    // The evidence is the sentence, read back from the article.
    let evidence = common::strings(&m[0]["sources"], "evidence");
    assert!(
        evidence.contains(&"Arsenal lost 2-0 to Chelsea."),
        "{evidence:?}"
    );
    assert_eq!(matches(&sb, &[], 0).len(), 2);
    assert_eq!(matches(&sb, &["--since", "2023-03-06"], 0).len(), 2);
    matches(&sb, &["--club", "Arsenal", "--since", "2024-01-01"], 1);
    sb.cmd(["facts", "--since", "yesterday"]).assert().code(2);
}

#[test]
fn reports_that_disagree_are_flagged_and_details_kept() {
    let sb = Sandbox::new();
    sb.write(
        "news/a.json",
        dated(
            "a",
            "Report",
            "Chelsea beat Arsenal 2-0 at Stamford Bridge on Saturday in the FA Cup final.",
            "2023-03-06",
        ),
    );
    sb.write(
        "news/b.json",
        dated(
            "b",
            "Other report",
            "Chelsea beat Arsenal 3-0 on Saturday.",
            "2023-03-06",
        ),
    );
    sb.add(&[&sb.path("news")], 0);
    let m = matches(&sb, &["--club", "Chelsea"], 0);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m.iter().all(|x| x["disputed"] == true), "{m:?}");
    let first = m
        .iter()
        .find(|x| x["home_score"] == 2 || x["away_score"] == 2)
        .unwrap();
    assert_eq!(first["stage"], "final");
    assert_eq!(first["venue"], "Stamford Bridge");
    assert_eq!(first["date"], "2023-03-04");
}
