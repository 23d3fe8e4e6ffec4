//! JSON (`.json`: one article object or an array of them) and JSON Lines (one per line).
//!
//! Field names follow what scrapers write: title/headline; body/text/content/article;
//! url/link; published/date/published_at/datePublished/pubDate; outlet/source/publisher/site;
//! id/guid/_id.

use std::path::Path;

use serde_json::{Map, Value};

use super::{Problem, RawArticle};

/// Parse a `.json` document: an object, or an array of objects.
pub fn parse_json_document(text: &str, path: &Path) -> Vec<Result<RawArticle, Problem>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => vec![from_object(&map).map_err(|m| Problem::skip(path, None, m))],
        Ok(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(map) => from_object(map)
                    .map_err(|m| Problem::skip(path, None, format!("array item {}: {m}", i + 1))),
                other => Err(Problem::skip(
                    path,
                    None,
                    format!(
                        "array item {}: expected an article object, found {}",
                        i + 1,
                        kind(other)
                    ),
                )),
            })
            .collect(),
        Ok(other) => vec![Err(Problem::skip(
            path,
            None,
            format!(
                "expected an article object or an array of them, found {}",
                kind(&other)
            ),
        ))],
        Err(e) => vec![Err(Problem::skip(
            path,
            Some(e.line() as u64),
            format!(
                "malformed JSON: {}; fix the file or remove it from the input",
                json_message(&e)
            ),
        ))],
    }
}

/// Parse one line of a JSON Lines file (line numbers start at 1).
pub fn parse_json_line(
    line: &str,
    path: &Path,
    line_no: u64,
) -> Option<Result<RawArticle, Problem>> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return None;
    }
    Some(match serde_json::from_str::<Value>(trimmed) {
        Ok(Value::Object(map)) => {
            from_object(&map).map_err(|m| Problem::skip(path, Some(line_no), m))
        }
        Ok(other) => Err(Problem::skip(
            path,
            Some(line_no),
            format!("expected an article object, found {}", kind(&other)),
        )),
        Err(e) => Err(Problem::skip(
            path,
            Some(line_no),
            format!(
                "malformed JSON line: {}; the other lines are read",
                json_message(&e)
            ),
        )),
    })
}

fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    if s.starts_with("recursion limit exceeded") {
        return format!(
            "arrays or objects nested more than 128 deep (column {}); an article is never that deep",
            e.column()
        );
    }
    // serde_json appends " at line L column C"; keep only the column, the line is ours.
    match s.rsplit_once(" at line ") {
        Some((msg, pos)) => match pos.split_once(" column ") {
            Some((_, col)) => format!("{msg} (column {col})"),
            None => msg.to_string(),
        },
        None => s,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn from_object(map: &Map<String, Value>) -> Result<RawArticle, String> {
    let title = field(map, &["title", "headline", "name"]).unwrap_or_default();
    let body = field(
        map,
        &[
            "body",
            "text",
            "content",
            "article",
            "articleBody",
            "description",
        ],
    )
    .unwrap_or_default();
    if title.trim().is_empty() && body.trim().is_empty() {
        return Err(
            "article has no title and no body/text/content field: nothing to index".to_string(),
        );
    }
    Ok(RawArticle {
        id: field(map, &["id", "guid", "_id", "uuid"]),
        title,
        body,
        url: field(map, &["url", "link", "canonical_url", "href"]),
        date: field(
            map,
            &[
                "published",
                "date",
                "published_at",
                "datePublished",
                "pubDate",
                "publishedAt",
                "time",
            ],
        ),
        outlet: field(
            map,
            &[
                "outlet",
                "source",
                "publisher",
                "site",
                "site_name",
                "domain",
            ],
        ),
    })
}

/// The first of `names` that holds a usable value: a string, a number, or an object with a
/// `name` (as in `"publisher": {"name": "BBC"}`).
fn field(map: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match map.get(*n)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => match o.get("name") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        },
        Value::Array(a) => a.iter().find_map(|v| v.as_str().map(str::to_string)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_with_alternative_field_names() {
        let r = parse_json_document(
            r#"{"headline":"H","text":"B","link":"https://x.org/a","date":"2023-01-02","source":{"name":"Echo"},"guid":7}"#,
            Path::new("a.json"),
        );
        let a = r[0].as_ref().unwrap();
        assert_eq!((a.title.as_str(), a.body.as_str()), ("H", "B"));
        assert_eq!(a.outlet.as_deref(), Some("Echo"));
        assert_eq!(a.id.as_deref(), Some("7"));
        assert_eq!(a.url.as_deref(), Some("https://x.org/a"));
    }

    #[test]
    fn array_items_are_checked_one_by_one() {
        let r = parse_json_document(r#"[{"title":"A"}, 3, {"x":1}]"#, Path::new("a.json"));
        assert!(r[0].is_ok());
        assert!(r[1].as_ref().unwrap_err().message.contains("item 2"));
        assert!(r[2].as_ref().unwrap_err().message.contains("no title"));
    }

    #[test]
    fn malformed_json_names_line() {
        let r = parse_json_document("{\n\"title\": \"A\",\n oops}", Path::new("a.json"));
        let p = r[0].as_ref().unwrap_err();
        assert_eq!(p.line, Some(3));
        assert!(p.message.starts_with("malformed JSON"), "{}", p.message);
    }

    #[test]
    fn json_lines_blank_bad_and_good() {
        let p = Path::new("a.jsonl");
        assert!(parse_json_line("   ", p, 1).is_none());
        let bad = parse_json_line("{\"title\": ", p, 2).unwrap().unwrap_err();
        assert_eq!(bad.line, Some(2));
        assert!(parse_json_line(r#"{"title":"T","body":"B"}"#, p, 3)
            .unwrap()
            .is_ok());
        assert!(parse_json_line("[1]", p, 4).unwrap().is_err());
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let r = parse_json_document(&deep, Path::new("a.json"));
        let p = r[0].as_ref().unwrap_err();
        assert!(
            p.message.contains("nested more than 128 deep"),
            "{}",
            p.message
        );
    }
}
