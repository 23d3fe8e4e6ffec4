//! Every input format is read: title, metadata and searchable body.

mod common;

use common::{counts, Sandbox};
use serde_json::Value;

/// The single hit of a query, or a panic.
fn only_hit(sb: &Sandbox, query: &str) -> Value {
    let doc = sb.search_json(query, 0);
    let hits = doc["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1, "{doc}");
    hits[0].clone()
}

#[test]
fn txt_first_line_is_the_title() {
    let sb = Sandbox::new();
    let f = sb.write(
        "report.txt",
        "\n  Millwall stun leaders at The Den  \n\nA late header from Cooper settled it.\nThe visitors had no answer.\n",
    );
    let summary = sb.add_json(&[&f], 0);
    assert_eq!(counts(&summary), (1, 0, 0, 0, 0));
    let hit = only_hit(&sb, "Cooper");
    assert_eq!(hit["title"], "Millwall stun leaders at The Den");
    assert!(hit["source"].as_str().unwrap().ends_with("report.txt"));
    assert!(hit["line"].is_null());
    assert!(hit["date"].is_null());
    // The title is searchable too.
    only_hit(&sb, "Millwall");
    let body = sb.show_json(hit["id"].as_str().unwrap())["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!body.contains("Millwall"), "title repeated in body: {body}");
    assert!(body.contains("no answer"));
}

#[test]
fn markdown_front_matter_gives_title_date_outlet_url() {
    let sb = Sandbox::new();
    let f = sb.write(
        "preview.md",
        "---\ntitle: \"Preview: Harriers face Vale in the quarter-final\"\ndate: 2024-01-20\nurl: https://example.org/courier/harriers-preview\noutlet: Northgate Courier\n---\n\n# Ignored heading\n\nHarriers boss *Okonjo* expects a **tight** game.\n\n- Team news: Baptiste returns\n",
    );
    sb.add_json(&[&f], 0);
    let hit = only_hit(&sb, "Okonjo");
    assert_eq!(
        hit["title"],
        "Preview: Harriers face Vale in the quarter-final"
    );
    assert_eq!(hit["date"], "2024-01-20");
    assert_eq!(hit["outlet"], "Northgate Courier");
    assert_eq!(hit["url"], "https://example.org/courier/harriers-preview");
    // The canonical URL is the id when there is no id field.
    assert_eq!(hit["id"], "https://example.org/courier/harriers-preview");

    let shown = sb.show_json(hit["id"].as_str().unwrap());
    assert_eq!(shown["date"], "2024-01-20");
    assert_eq!(shown["outlet"], "Northgate Courier");
    let body = shown["body"].as_str().unwrap();
    assert!(
        body.contains("Harriers boss Okonjo expects a tight game."),
        "{body}"
    );
    assert!(!body.contains('*'), "markup left in body: {body}");
    only_hit(&sb, "Baptiste");

    let stats = sb.stats_json();
    assert_eq!(stats["outlets"][0]["outlet"], "Northgate Courier");
    assert_eq!(stats["outlets"][0]["articles"], 1);
    assert_eq!(stats["first_date"], "2024-01-20");
    assert_eq!(stats["last_date"], "2024-01-20");
}

#[test]
fn markdown_without_front_matter_uses_the_heading() {
    let sb = Sandbox::new();
    let f = sb.write(
        "plain.md",
        "# Wycombe win the derby\n\nA brace from Vokes.\n",
    );
    sb.add_json(&[&f], 0);
    let hit = only_hit(&sb, "Vokes");
    assert_eq!(hit["title"], "Wycombe win the derby");
}

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Browser tab title | Ridgeway Post</title>
  <meta property="og:title" content="Ridgeway Albion clinch promotion at Fenwick Road">
  <meta property="og:site_name" content="Ridgeway Post">
  <meta property="article:published_time" content="2023-04-29T17:05:00Z">
  <link rel="canonical" href="https://example.org/ridgeway-post/albion-promoted">
  <style>.zzstyleword { color: red }</style>
  <script>var zzscriptword = "tracking";</script>
</head>
<body>
  <nav><a href="/">Home</a> zznavword fixtures</nav>
  <header>zzheaderword banner</header>
  <article>
    <h1>Ridgeway Albion clinch promotion at Fenwick Road</h1>
    <p>Albion sealed promotion with a 3-1 win, Marchetti scoring twice.</p>
    <script>document.write("zzinlinescript");</script>
    <p>Captain <b>Ellery</b> lifted the trophy in front of the home end.</p>
    <aside>Related: zzasideword</aside>
  </article>
  <footer>zzfooterword copyright</footer>
</body>
</html>
"#;

#[test]
fn html_meta_tags_and_article_text() {
    let sb = Sandbox::new();
    let f = sb.write("page.html", PAGE);
    let summary = sb.add_json(&[&f], 0);
    assert_eq!(counts(&summary), (1, 0, 0, 0, 0), "{summary}");
    let hit = only_hit(&sb, "Marchetti");
    assert_eq!(
        hit["title"],
        "Ridgeway Albion clinch promotion at Fenwick Road"
    );
    assert_eq!(hit["date"], "2023-04-29");
    assert_eq!(hit["outlet"], "Ridgeway Post");
    assert_eq!(
        hit["url"],
        "https://example.org/ridgeway-post/albion-promoted"
    );
    only_hit(&sb, "Ellery");
    for hidden in [
        "zzstyleword",
        "zzscriptword",
        "zzinlinescript",
        "zznavword",
        "zzheaderword",
        "zzasideword",
        "zzfooterword",
        "tab",
    ] {
        assert!(
            sb.hit_sources(hidden).is_empty(),
            "{hidden} should not be searchable"
        );
    }
    let shown = sb.show_json(hit["id"].as_str().unwrap());
    assert_eq!(shown["date"], "2023-04-29");
    let body = shown["body"].as_str().unwrap();
    assert!(body.contains("Captain Ellery lifted the trophy"), "{body}");
}

#[test]
fn htm_extension_is_html() {
    let sb = Sandbox::new();
    let f = sb.write("page.htm", PAGE);
    sb.add_json(&[&f], 0);
    only_hit(&sb, "Marchetti");
}

#[test]
fn json_single_object() {
    let sb = Sandbox::new();
    let f = sb.write(
        "one.json",
        serde_json::json!({
            "guid": "obj-1",
            "headline": "Saints complete loan move for winger",
            "text": "Lindqvist arrives from Malmo until the end of the season.",
            "link": "https://example.org/saints/lindqvist",
            "datePublished": "2024-01-31T09:00:00Z",
            "publisher": {"name": "South Coast Echo"}
        })
        .to_string(),
    );
    sb.add_json(&[&f], 0);
    let hit = only_hit(&sb, "Lindqvist");
    assert_eq!(hit["id"], "obj-1");
    assert_eq!(hit["title"], "Saints complete loan move for winger");
    assert_eq!(hit["date"], "2024-01-31");
    assert_eq!(hit["outlet"], "South Coast Echo");
    assert_eq!(hit["url"], "https://example.org/saints/lindqvist");
    assert!(hit["line"].is_null());
}

#[test]
fn json_array_of_articles() {
    let sb = Sandbox::new();
    let f = sb.write(
        "many.json",
        serde_json::json!([
            {"id": "arr-1", "title": "First leg report", "body": "Adeyemi scored early.", "published": "2024-03-05", "outlet": "Touchline Daily"},
            {"id": "arr-2", "title": "Second leg report", "body": "Brandt equalised late.", "published": "2024-03-12", "outlet": "Touchline Daily"}
        ])
        .to_string(),
    );
    let summary = sb.add_json(&[&f], 0);
    assert_eq!(counts(&summary), (2, 0, 0, 0, 0), "{summary}");
    assert_eq!(only_hit(&sb, "Adeyemi")["id"], "arr-1");
    assert_eq!(only_hit(&sb, "Brandt")["id"], "arr-2");
    let stats = sb.stats_json();
    assert_eq!(stats["articles"], 2);
    assert_eq!(stats["first_date"], "2024-03-05");
    assert_eq!(stats["last_date"], "2024-03-12");
    assert_eq!(stats["outlets"][0]["articles"], 2);
}

fn jsonl_body() -> String {
    [
        serde_json::json!({"id": "jl-1", "title": "Morning update", "body": "Tielemans is fit.", "date": "2024-05-01"}),
        serde_json::json!({"id": "jl-2", "title": "Evening update", "body": "Kamara is doubtful.", "date": "2024-05-02"}),
    ]
    .iter()
    .map(|v| v.to_string())
    .collect::<Vec<_>>()
    .join("\n")
        + "\n"
}

#[test]
fn jsonl_one_article_per_line() {
    let sb = Sandbox::new();
    let f = sb.write("feed.jsonl", jsonl_body());
    let summary = sb.add_json(&[&f], 0);
    assert_eq!(counts(&summary), (2, 0, 0, 0, 0), "{summary}");
    let first = only_hit(&sb, "Tielemans");
    assert_eq!(
        (first["id"].clone(), first["line"].clone()),
        ("jl-1".into(), 1.into())
    );
    let second = only_hit(&sb, "Kamara");
    assert_eq!(second["line"], 2);
    assert_eq!(second["date"], "2024-05-02");
}

#[test]
fn ndjson_is_json_lines() {
    let sb = Sandbox::new();
    let f = sb.write("feed.ndjson", jsonl_body());
    let summary = sb.add_json(&[&f], 0);
    assert_eq!(counts(&summary), (2, 0, 0, 0, 0), "{summary}");
    assert_eq!(only_hit(&sb, "Kamara")["line"], 2);
}

#[test]
fn stdin_dash_reads_json_lines() {
    let sb = Sandbox::new();
    let out = common::run_ok_code(
        {
            let mut c = sb.cmd(["add", "--json", "-"]);
            c.write_stdin(jsonl_body());
            c
        },
        0,
    );
    let summary = common::parse_json(&out.stdout);
    assert_eq!(counts(&summary), (2, 0, 0, 0, 0), "{summary}");
    let hit = only_hit(&sb, "Kamara");
    assert_eq!(hit["source"], "-");
    assert_eq!(hit["line"], 2);
    assert_eq!(hit["id"], "jl-2");
}

#[test]
fn files_of_other_formats_are_ignored_in_directories() {
    let sb = Sandbox::new();
    let dir = sb.mkdir("mixed");
    sb.write(
        "mixed/a.txt",
        common::txt("Real article", "Ouattara scored."),
    );
    sb.write("mixed/photo.png", b"\x89PNG\r\n\x1a\n\0\0");
    sb.write(
        "mixed/.hidden.txt",
        common::txt("Hidden", "Zirkzee scored."),
    );
    let summary = sb.add_json(&[&dir], 0);
    assert_eq!(counts(&summary), (1, 0, 0, 0, 0), "{summary}");
    assert_eq!(summary["ignored_files"], 1);
    assert!(sb.hit_sources("Zirkzee").is_empty());
}
