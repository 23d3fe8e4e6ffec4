//! `search --batch`: many queries in one process, one JSON line per query.

mod common;

use common::{txt, Sandbox};
use serde_json::Value;

#[test]
fn batch_answers_every_line_in_order() {
    let sb = Sandbox::new();
    sb.write(
        "news/a.txt",
        txt(
            "Salah scores",
            "Mohamed Salah scored in the Champions League.",
        ),
    );
    sb.add(&[&sb.path("news")], 0);
    let queries = sb.write(
        "q.txt",
        "Salah\n\n\"Champions League\"\n(broken\nnothinghere\n",
    );
    let out = sb
        .cmd(["search", "--batch"])
        .arg(&queries)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["query"], "Salah");
    assert_eq!(lines[0]["hits"].as_array().unwrap().len(), 1);
    assert_eq!(lines[1]["query"], "\"Champions League\"");
    assert!(lines[2]["error"].as_str().unwrap().contains("bad query"));
    assert_eq!(lines[3]["hits"].as_array().unwrap().len(), 0);
    assert!(lines.iter().all(|l| l["schema_version"] == 1));
    // Nothing found anywhere: exit 1.
    let none = sb.write("none.txt", "nothinghere\n");
    sb.cmd(["search", "--batch"]).arg(&none).assert().code(1);
    sb.cmd(["search", "--batch", "/no/such/file"])
        .assert()
        .code(2);
}

#[test]
fn completions_and_man_page_come_from_the_cli() {
    let sb = Sandbox::new();
    let out = sb
        .cmd(["completions", "bash"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("newsidx") && text.contains("--batch"));
    let out = sb.cmd(["man"]).assert().code(0).get_output().stdout.clone();
    assert!(String::from_utf8(out).unwrap().contains(".TH newsidx"));
}
