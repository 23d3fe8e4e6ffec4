//! Tags end to end: filters by any alias, ambiguous names, `entities`, `extract --json`,
//! user knowledge bases (`--kb`, `kb import`) and re-tagging after an import.

mod common;

use common::{txt, Sandbox};
use predicates::prelude::*;
use serde_json::Value;

fn hit_titles(sb: &Sandbox, args: &[&str], code: i32) -> Vec<String> {
    let out = sb.cmd(args).assert().code(code).get_output().stdout.clone();
    let doc: Value = serde_json::from_slice(&out).expect("json");
    doc["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["title"].as_str().unwrap_or("").to_string())
        .collect()
}

fn two_articles(sb: &Sandbox) {
    sb.write(
        "news/a.txt",
        txt(
            "Forward scores twice",
            "Darwin Núñez scored twice as Liverpool won the FA Cup tie.",
        ),
    );
    sb.write(
        "news/b.txt",
        txt(
            "Keeper keeps clean sheet",
            "Manchester City kept a clean sheet in the Premier League.",
        ),
    );
    sb.add(&[&sb.path("news")], 0);
}

#[test]
fn player_filter_accepts_any_alias() {
    let sb = Sandbox::new();
    two_articles(&sb);
    for name in ["nunez", "Núñez", "Darwin Nunez"] {
        let titles = hit_titles(
            &sb,
            &["search", "scored OR sheet", "--json", "--player", name],
            0,
        );
        assert_eq!(titles, ["Forward scores twice"], "--player {name}");
    }
    let titles = hit_titles(
        &sb,
        &["search", "sheet OR scored", "--json", "--club", "Man City"],
        0,
    );
    assert_eq!(titles, ["Keeper keeps clean sheet"]);
    let titles = hit_titles(
        &sb,
        &[
            "search",
            "scored",
            "--json",
            "--competition",
            "Emirates FA Cup",
        ],
        0,
    );
    assert_eq!(titles, ["Forward scores twice"]);
}

#[test]
fn ambiguous_filter_lists_candidates() {
    let sb = Sandbox::new();
    two_articles(&sb);
    sb.cmd(["search", "scored", "--club", "City"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("ambiguous").and(predicate::str::contains("Manchester City")),
        );
}

#[test]
fn hits_and_show_carry_tags() {
    let sb = Sandbox::new();
    two_articles(&sb);
    let out = sb
        .cmd(["search", "scored", "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let tags = doc["hits"][0]["tags"].as_array().expect("tags");
    assert!(tags
        .iter()
        .any(|t| t["id"] == "darwin-nunez" && t["role"] == "player"));
    assert!(tags
        .iter()
        .any(|t| t["id"] == "liverpool" && t["role"] == "club"));
}

#[test]
fn entities_counts_articles() {
    let sb = Sandbox::new();
    two_articles(&sb);
    let out = sb
        .cmd(["entities", "--json", "--kind", "club"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    let names = common::strings(&doc["entities"], "name");
    assert!(
        names.contains(&"Liverpool") && names.contains(&"Manchester City"),
        "{names:?}"
    );
}

#[test]
fn extract_json_meets_the_contract() {
    let sb = Sandbox::new();
    let file = sb.write(
        "x.txt",
        txt("Reds through", "Trent Alexander-Arnold starred for Liverpool in the Champions League. Jurgen Klopp's side won."),
    );
    let out = sb
        .cmd(["extract", "--json"])
        .arg(&file)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert!(doc["source"].as_str().unwrap().ends_with("x.txt"));
    for key in [
        "players",
        "managers",
        "clubs",
        "competitions",
        "quotes",
        "facts",
    ] {
        assert!(doc[key].is_array(), "{key}");
    }
    assert_eq!(doc["players"][0]["name"], "Trent Alexander-Arnold");
    assert_eq!(doc["managers"][0]["name"], "Jürgen Klopp");
    assert_eq!(doc["competitions"][0]["name"], "Champions League");
}

#[test]
fn user_knowledge_base_adds_people_and_reports_bad_lines() {
    let sb = Sandbox::new();
    let kb = sb.write(
        "my.kb",
        "[people]\nOllie Quaymann | Quaymann | player | liverpool | ENG\n",
    );
    let file = sb.write("x.txt", txt("Debut", "Quaymann impressed on his debut."));
    let out = sb
        .cmd(["extract", "--json", "--kb"])
        .arg(&kb)
        .arg(&file)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["players"][0]["name"], "Ollie Quaymann");

    let bad = sb.write("bad.kb", "[clubs]\nok | OK\nBad Id | Name\n");
    sb.cmd(["extract", "--kb"])
        .arg(&bad)
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.kb:3"));
}

#[test]
fn kb_import_then_readd_retags() {
    let sb = Sandbox::new();
    sb.write(
        "news/a.txt",
        txt("Debut", "Quaymann impressed on his debut."),
    );
    sb.add(&[&sb.path("news")], 0);
    sb.cmd(["search", "debut", "--player", "Ollie Quaymann"])
        .assert()
        .code(1);
    let csv = sb.write(
        "people.csv",
        "name,aliases,role,club,country\nOllie Quaymann,Quaymann,player,liverpool,ENG\n",
    );
    sb.cmd(["kb", "import"]).arg(&csv).assert().code(0);
    assert!(sb.index().join("kb.txt").is_file());
    // Same text, new knowledge base: the article is re-tagged.
    let summary = sb.add_json(&[&sb.path("news")], 0);
    assert_eq!(summary["updated"], 1, "{summary}");
    sb.cmd(["search", "debut", "--player", "Quaymann"])
        .assert()
        .code(0);
}

#[test]
fn search_facets_count_tags_among_all_hits() {
    let sb = Sandbox::new();
    two_articles(&sb);
    let out = sb
        .cmd([
            "search",
            "scored OR sheet",
            "--json",
            "--facets",
            "--limit",
            "1",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["hits"].as_array().unwrap().len(), 1);
    let clubs = doc["facets"]["club"]
        .as_array()
        .expect("club facets")
        .clone();
    let names: Vec<&str> = clubs.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"Liverpool") && names.contains(&"Manchester City"),
        "{names:?}"
    );
}
