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

/// Most parser work accepted, counted as the sum of the nesting depth at every tag. The tree
/// builder walks the stack of open elements for many tags (an end tag that matches nothing
/// walks all of it), so the work grows with depth times tags: 100,000 nested `<div>`s keep it
/// busy for a minute. It does about 150 million of these steps a second; real pages stay far
/// below the limit (300,000 tags at depth 40 are 12 million).
pub const MAX_WORK: usize = 40_000_000;

/// Elements without end tags, or whose end tags are usually left out (the parser closes them
/// itself when the next one starts).
const UNCLOSED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup",
    "tbody", "thead", "tfoot", "colgroup", "rb", "rp", "rt", "rtc", "!doctype",
];

/// Elements whose content is text, not markup: `<div>` inside a script is not an element.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// The HTML standard's "special" elements: an end tag for another element does not close
/// them, so a stray `</span>` cannot undo an open `<div>`.
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

/// Parse a page. Never panics or hangs on hostile input: nesting is bounded before the
/// parser sees it, and traversal is iterative.
pub fn parse_html(text: &str) -> Result<RawArticle, String> {
    match too_deep(text) {
        Some(TooDeep::Depth(depth)) => {
            return Err(format!(
                "HTML nested more than {depth} elements deep: not a readable article page (the limit is {MAX_DEPTH})"
            ))
        }
        Some(TooDeep::Work(tags)) => {
            return Err(format!(
                "HTML too costly to parse: after {tags} tags, elements are nested {} deep on average (unclosed elements or stray end tags): not a readable article page",
                MAX_WORK / tags.max(1)
            ))
        }
        None => {}
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
///
/// It follows the parser's own rules closely enough that hostile markup cannot hide its depth:
/// an end tag closes the nearest open element of its name unless a "special" element (`div`,
/// `p`, …) stands in between (then the parser ignores it), `<div/>` opens a `div` (only SVG and
/// MathML elements close themselves), and the content of scripts, styles and comments is text.
fn too_deep(text: &str) -> Option<TooDeep> {
    let bytes = text.as_bytes();
    let mut open: Vec<OpenElement> = Vec::new();
    let mut foreign = 0usize;
    let mut i = 0;
    let (mut tags, mut work) = (0usize, 0usize);
    while let Some(off) = memchr_lt(&bytes[i..]) {
        i += off + 1;
        tags += 1;
        work += open.len();
        if work > MAX_WORK {
            return Some(TooDeep::Work(tags));
        }
        if bytes[i..].starts_with(b"!--") {
            i = find(bytes, i + 3, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = bytes[start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'!' || *b == b'-'))
            .map_or(bytes.len(), |n| start + n);
        if end == start || !bytes[start].is_ascii_alphabetic() && bytes[start] != b'!' {
            continue;
        }
        let name = text[start..end].to_ascii_lowercase();
        i = end;
        if name.starts_with('!') || UNCLOSED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            close(&mut open, &name, &mut foreign);
            continue;
        }
        let tag_end = bytes[end..]
            .iter()
            .position(|&b| b == b'>')
            .map(|n| end + n);
        let self_closing = tag_end.is_some_and(|e| e > end && bytes[e - 1] == b'/');
        if self_closing && (foreign > 0 || matches!(name.as_str(), "svg" | "math")) {
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            // Skip to the matching end tag: what is inside is not markup.
            let from = tag_end.map_or(bytes.len(), |e| e + 1);
            let closing_tag = format!("</{name}");
            i = find_ascii_ci(bytes, from, closing_tag.as_bytes()).unwrap_or(bytes.len());
            continue;
        }
        if matches!(name.as_str(), "svg" | "math") {
            foreign += 1;
        }
        open.push(OpenElement {
            special: SPECIAL.contains(&name.as_str()),
            boundary: SCOPE_BOUNDARY.contains(&name.as_str()),
            name,
        });
        if open.len() > MAX_DEPTH {
            return Some(TooDeep::Depth(open.len()));
        }
    }
    None
}

/// Why a page is refused before parsing.
enum TooDeep {
    /// Elements nested this deep.
    Depth(usize),
    /// Parser work over [`MAX_WORK`] after this many tags.
    Work(usize),
}

/// An element on the scanner's stack of open elements.
struct OpenElement {
    name: String,
    /// In [`SPECIAL`].
    special: bool,
    /// In [`SCOPE_BOUNDARY`].
    boundary: bool,
}

/// Elements that end the search for an element "in scope".
const SCOPE_BOUNDARY: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];

/// An end tag: pop to the nearest open element of that name, unless a special element other
/// than it is in the way (the parser then ignores the end tag).
fn close(open: &mut Vec<OpenElement>, name: &str, foreign: &mut usize) {
    let special = SPECIAL.contains(&name);
    for k in (0..open.len()).rev() {
        let e = &open[k];
        if e.name == name {
            for e in open.drain(k..) {
                if e.name == "svg" || e.name == "math" {
                    *foreign = foreign.saturating_sub(1);
                }
            }
            return;
        }
        // A special end tag closes through anything up to a scope boundary; any other end
        // tag stops at the first special element.
        if (special && e.boundary) || (!special && e.special) {
            return;
        }
    }
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ascii_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
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
    fn stray_end_tags_and_self_closing_divs_do_not_hide_the_depth() {
        // Each of these nests 100,000 deep in the parser (which then takes minutes).
        for unit in [
            "<div></span>",
            "<div/>",
            "<span><div></span>",
            "<b><div></b>",
        ] {
            let page = format!("<html><body>{}x</body></html>", unit.repeat(100_000));
            assert!(
                parse_html(&page).unwrap_err().contains("nested"),
                "{unit} not refused"
            );
        }
    }

    #[test]
    fn many_stray_end_tags_under_deep_nesting_are_refused() {
        // Within the depth limit, but every `</x>` makes the parser walk 990 open elements.
        let page = format!(
            "<html><body>{}{}</body></html>",
            "<span>".repeat(990),
            "</x>".repeat(50_000)
        );
        assert!(parse_html(&page).unwrap_err().contains("too costly"));
    }

    #[test]
    fn markup_inside_scripts_and_comments_is_not_counted() {
        let page = format!(
            "<html><body><script>var s = \"{}\";</script><!-- {} --><p>Saka scored.</p><svg>{}</svg></body></html>",
            "<div>".repeat(5000),
            "<div>".repeat(5000),
            "<path d='M0'/>".repeat(5000)
        );
        assert!(parse_html(&page).unwrap().body.contains("Saka scored."));
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
