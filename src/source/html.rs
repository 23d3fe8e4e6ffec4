//! HTML pages: title, date, outlet and URL from meta tags and JSON-LD; the article's body text
//! with scripts, styles, navigation, asides, forms and footers dropped.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

use super::RawArticle;

/// Elements whose whole subtree is not article text.
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "header",
    "aside",
    "form",
    "button",
    "svg",
    "iframe",
    "figure",
    "figcaption",
    "select",
    "object",
    "canvas",
    "head",
    "title",
    "menu",
    "dialog",
];

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "br",
    "hr",
    "dd",
    "dt",
    "dl",
];

/// Deepest element nesting accepted. Real pages stay under a hundred levels; the HTML tree
/// builder does work proportional to the depth for every tag, so hostile nesting would hang it.
pub const MAX_DEPTH: usize = 1000;

/// Elements without end tags, or whose end tags are usually left out.
const UNCLOSED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "td", "th", "tr", "dt", "dd", "option", "!doctype",
];

/// Parse a page. Never panics or hangs on hostile input: nesting is bounded before the
/// parser sees it, and traversal is iterative.
pub fn parse_html(text: &str) -> Result<RawArticle, String> {
    if let Some(depth) = too_deep(text) {
        return Err(format!(
            "HTML nested more than {depth} elements deep: not a readable article page (the limit is {MAX_DEPTH})"
        ));
    }
    let doc = Html::parse_document(text);
    let mut raw = RawArticle::default();
    let ld = json_ld(&doc);

    raw.title = first_non_empty([
        meta(&doc, "meta[property='og:title']"),
        ld.as_ref().and_then(|v| str_at(v, &["headline"])),
        select_text(&doc, "article h1"),
        select_text(&doc, "h1"),
        select_text(&doc, "title"),
    ])
    .unwrap_or_default();
    raw.date = first_non_empty([
        meta(&doc, "meta[property='article:published_time']"),
        ld.as_ref().and_then(|v| str_at(v, &["datePublished"])),
        meta(&doc, "meta[itemprop='datePublished']"),
        meta(&doc, "meta[name='date']"),
        meta(&doc, "meta[name='pubdate']"),
        meta(&doc, "meta[name='publishdate']"),
        meta(&doc, "meta[name='DC.date.issued']"),
        attr(&doc, "time[datetime]", "datetime"),
    ]);
    raw.outlet = first_non_empty([
        meta(&doc, "meta[property='og:site_name']"),
        ld.as_ref().and_then(|v| str_at(v, &["publisher", "name"])),
    ]);
    raw.url = first_non_empty([
        attr(&doc, "link[rel='canonical']", "href"),
        meta(&doc, "meta[property='og:url']"),
        ld.as_ref().and_then(|v| str_at(v, &["url"])),
    ]);

    let root = ["[itemprop='articleBody']", "article", "main", "body"]
        .iter()
        .find_map(|s| doc.select(&sel(s)).next());
    raw.body = match root {
        Some(el) => body_text(el, &raw.title),
        None => String::new(),
    };
    Ok(raw)
}

/// A cheap scan of start and end tags: `Some(depth)` when the nesting goes past [`MAX_DEPTH`].
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        i += off + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = bytes[start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'!'))
            .map_or(bytes.len(), |n| start + n);
        if end == start {
            continue;
        }
        let name = text[start..end].to_ascii_lowercase();
        if name.starts_with("!--") || UNCLOSED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            let self_closing = bytes[end..]
                .iter()
                .position(|&b| b == b'>')
                .is_some_and(|n| n > 0 && bytes[end + n - 1] == b'/');
            if !self_closing {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(depth);
                }
            }
        }
        i = end;
    }
    None
}

fn sel(s: &str) -> Selector {
    // The selectors are literals of this file; a typo is caught by the tests.
    Selector::parse(s).unwrap_or_else(|_| Selector::parse("*").expect("'*' is a valid selector"))
}

fn meta(doc: &Html, selector: &str) -> Option<String> {
    attr(doc, selector, "content")
}

fn attr(doc: &Html, selector: &str, name: &str) -> Option<String> {
    doc.select(&sel(selector))
        .find_map(|e| e.value().attr(name).map(|v| v.trim().to_string()))
        .filter(|v| !v.is_empty())
}

fn select_text(doc: &Html, selector: &str) -> Option<String> {
    doc.select(&sel(selector))
        .next()
        .map(|e| e.text().collect::<String>())
        .map(|t| super::collapse_ws(&t))
        .filter(|t| !t.is_empty())
}

fn first_non_empty<const N: usize>(options: [Option<String>; N]) -> Option<String> {
    options.into_iter().flatten().find(|s| !s.trim().is_empty())
}

/// The first JSON-LD object describing an article (NewsArticle, Article, ReportageNewsArticle…).
fn json_ld(doc: &Html) -> Option<serde_json::Value> {
    let mut candidates = Vec::new();
    for script in doc.select(&sel("script[type='application/ld+json']")) {
        let text: String = script.text().collect();
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        collect_ld(v, &mut candidates, 0);
    }
    candidates
        .iter()
        .find(|v| {
            v.get("@type")
                .and_then(|t| t.as_str())
                .is_some_and(|t| t.ends_with("Article"))
        })
        .or_else(|| candidates.iter().find(|v| v.get("headline").is_some()))
        .cloned()
}

fn collect_ld(v: serde_json::Value, out: &mut Vec<serde_json::Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        serde_json::Value::Array(items) => {
            for i in items {
                collect_ld(i, out, depth + 1);
            }
        }
        serde_json::Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                collect_ld(graph, out, depth + 1);
            }
            out.push(serde_json::Value::Object(map));
        }
        _ => {}
    }
}

fn str_at(v: &serde_json::Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for key in path {
        cur = match cur {
            serde_json::Value::Array(a) => a.first()?.get(key)?,
            _ => cur.get(key)?,
        };
    }
    cur.as_str().map(str::to_string)
}

/// The text of an element, one paragraph per line, skipping non-article subtrees and the h1
/// that repeats the title.
fn body_text(root: ElementRef<'_>, title: &str) -> String {
    let mut out = String::new();
    let mut para = String::new();
    let mut skip_depth = 0usize;
    let title_folded = super::collapse_ws(title).to_lowercase();
    let mut h1_depth = 0usize;
    let mut h1_text = String::new();
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if skip_depth > 0 || SKIPPED.contains(&name) {
                        skip_depth += 1;
                    } else if BLOCKS.contains(&name) {
                        flush(&mut para, &mut out);
                        if name == "h1" {
                            h1_depth += 1;
                            h1_text.clear();
                        }
                    }
                }
                Node::Text(t) if skip_depth == 0 => {
                    para.push_str(t);
                    if h1_depth > 0 {
                        h1_text.push_str(t);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    let name = el.name();
                    if skip_depth > 0 {
                        skip_depth -= 1;
                    } else if BLOCKS.contains(&name) {
                        if name == "h1" && h1_depth > 0 {
                            h1_depth -= 1;
                            if super::collapse_ws(&h1_text).to_lowercase() == title_folded {
                                para.clear();
                            }
                        }
                        flush(&mut para, &mut out);
                    }
                }
            }
        }
    }
    flush(&mut para, &mut out);
    out
}

fn flush(para: &mut String, out: &mut String) {
    let line = super::collapse_ws(para);
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    para.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head><title>Page title | Site</title>
<meta property="og:title" content="Reds win at home">
<meta property="article:published_time" content="2023-03-01T20:00:00Z">
<meta property="og:site_name" content="The Gazette">
<link rel="canonical" href="https://gazette.example/reds-win">
<style>p { color: red }</style>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"LD headline","datePublished":"2023-02-01","publisher":{"name":"LD Pub"}}</script>
</head><body><nav><a href="/">Home</a> Football</nav>
<header>Site banner</header>
<article><h1>Reds win at home</h1><p>First   paragraph.</p><script>var x = "nope";</script>
<p>Second <b>bold</b> paragraph.</p><figure><img src=x><figcaption>A caption</figcaption></figure>
<aside>Related: other story</aside></article>
<footer>Copyright</footer></body></html>"#;

    #[test]
    fn metadata_from_meta_tags() {
        let r = parse_html(PAGE).unwrap();
        assert_eq!(r.title, "Reds win at home");
        assert_eq!(r.date.as_deref(), Some("2023-03-01T20:00:00Z"));
        assert_eq!(r.outlet.as_deref(), Some("The Gazette"));
        assert_eq!(r.url.as_deref(), Some("https://gazette.example/reds-win"));
    }

    #[test]
    fn body_drops_boilerplate_elements() {
        let r = parse_html(PAGE).unwrap();
        assert_eq!(r.body, "First paragraph.\nSecond bold paragraph.\n");
    }

    #[test]
    fn json_ld_when_no_meta() {
        let page = r#"<html><head><script type="application/ld+json">[{"@graph":[{"@type":"NewsArticle","headline":"H","datePublished":"2023-02-01","publisher":{"name":"P"}}]}]</script></head><body><p>x</p></body></html>"#;
        let r = parse_html(page).unwrap();
        assert_eq!(r.title, "H");
        assert_eq!(r.date.as_deref(), Some("2023-02-01"));
        assert_eq!(r.outlet.as_deref(), Some("P"));
    }

    #[test]
    fn hostile_nesting_is_refused_quickly() {
        let mut page = String::from("<html><body>");
        page.push_str(&"<div>".repeat(100_000));
        page.push_str("deep text");
        assert!(parse_html(&page).unwrap_err().contains("nested"));
    }

    #[test]
    fn ordinary_nesting_and_unclosed_paragraphs_are_fine() {
        let mut page = String::from("<html><body>");
        page.push_str(&"<div>".repeat(200));
        page.push_str(&"<p>para<br>line".repeat(5000));
        page.push_str(&"</div>".repeat(200));
        assert!(parse_html(&page).unwrap().body.contains("para"));
    }
}
