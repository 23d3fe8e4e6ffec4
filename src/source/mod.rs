//! Where articles come from: discovering files, decoding them, and reading each format into
//! [`Article`]s. No knowledge of the index lives here.

mod decode;
mod html;
mod json;
mod text;
mod walk;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

pub use decode::{decode, Decoded};
pub use json::{parse_json_document, parse_json_line};
pub use walk::{discover, io_reason, Discovered, Format};

/// One news article as read from a file, before extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Stable id: the article's own id, else its canonical URL, else a hash of its text.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Body text, paragraphs separated by newlines.
    pub body: String,
    /// Where it was published, when known.
    pub url: Option<String>,
    /// Publication time (UTC), when known.
    pub published: Option<DateTime<Utc>>,
    /// Publisher name (e.g. "bbc.co.uk", "Liverpool Echo").
    pub outlet: Option<String>,
    /// The file it was read from (`-` for stdin).
    pub source: PathBuf,
    /// Line number within the source, for JSON Lines.
    pub line: Option<u64>,
}

/// Fields read from a file, before an id is settled.
#[derive(Debug, Default, Clone)]
pub struct RawArticle {
    /// The article's own id field.
    pub id: Option<String>,
    /// Headline.
    pub title: String,
    /// Body.
    pub body: String,
    /// URL.
    pub url: Option<String>,
    /// Date as written.
    pub date: Option<String>,
    /// Publisher.
    pub outlet: Option<String>,
}

/// A problem with one input (a whole file, or one line of it); the rest goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file.
    pub path: PathBuf,
    /// The line, for JSON Lines.
    pub line: Option<u64>,
    /// What is wrong and what to do.
    pub message: String,
    /// True when the input was still read (a warning); false when it was skipped.
    pub warning: bool,
}

impl Problem {
    /// A skipped input.
    pub fn skip(path: &Path, line: Option<u64>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line,
            message: message.into(),
            warning: false,
        }
    }

    /// An input that was read despite a problem.
    pub fn warn(path: &Path, line: Option<u64>, message: impl Into<String>) -> Problem {
        Problem {
            warning: true,
            ..Problem::skip(path, line, message)
        }
    }

    /// `path:line` or `path`.
    pub fn location(&self) -> String {
        match self.line {
            Some(n) => format!("{}:{}", self.path.display(), n),
            None => self.path.display().to_string(),
        }
    }
}

impl RawArticle {
    /// Settle the id and parse the date; `None` (with the reason) when there is no text at all.
    pub fn finish(self, source: &Path, line: Option<u64>) -> Result<Article, String> {
        let title = collapse_ws(&strip_controls(&self.title));
        let body = strip_controls(&self.body).trim().to_string();
        if title.is_empty() && body.is_empty() {
            return Err("no title and no body text: nothing to index".into());
        }
        let url = self
            .url
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty());
        let id = match self
            .id
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty())
        {
            Some(id) => id,
            None => match url.as_deref().and_then(canonical_url) {
                Some(u) => u,
                None => text_id(&title, &body),
            },
        };
        let published = self.date.as_deref().and_then(parse_date);
        let outlet = self
            .outlet
            .map(|o| collapse_ws(&strip_controls(&o)))
            .filter(|o| !o.is_empty());
        Ok(Article {
            id,
            title,
            body,
            url,
            published,
            outlet,
            source: source.to_path_buf(),
            line,
        })
    }
}

/// Does `s` hold a control character other than newline and tab? Read as bytes, 32 at a
/// time, not as decoded characters: controls are U+0000-U+001F, U+007F and U+0080-U+009F,
/// the last encoded as 0xC2 then 0x80-0x9F. A block with none of those bytes (most of them)
/// is passed in a few vector instructions.
fn has_controls(s: &str) -> bool {
    let b = s.as_bytes();
    let suspect = |c: u8| c < 0x20 || c == 0x7f || c == 0xc2;
    let control = |i: usize| {
        let c = b[i];
        (c < 0x20 && c != b'\n' && c != b'\t')
            || c == 0x7f
            || (c == 0xc2 && b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    };
    b.chunks(32).enumerate().any(|(k, block)| {
        // `fold`, not `any`: no early exit, so the compiler can test the block in parallel.
        block.iter().fold(false, |seen, &c| seen | suspect(c))
            && (k * 32..k * 32 + block.len()).any(control)
    })
}

/// Text without control characters: terminal escape sequences (`ESC [ 31 m`) and other
/// controls (BEL, backspace, NUL) are removed, carriage returns become newlines; newlines and
/// tabs stay. Articles are untrusted input, and nothing in an article needs these.
pub fn strip_controls(s: &str) -> Cow<'_, str> {
    if !has_controls(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\x1b' | '\u{9b}' => {
                // A CSI sequence: `[`, parameters, one final byte in @..~ (bounded).
                if c == '\u{9b}' || chars.peek() == Some(&'[') {
                    if c == '\x1b' {
                        chars.next();
                    }
                    for _ in 0..32 {
                        match chars.peek() {
                            Some(&n) if ('\x20'..='\x3f').contains(&n) => {
                                chars.next();
                            }
                            Some(&n) if ('@'..='~').contains(&n) => {
                                chars.next();
                                break;
                            }
                            _ => break,
                        }
                    }
                }
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Collapse runs of whitespace to one space and trim.
pub fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A URL reduced to the form that identifies the page: lowercase scheme and host, no fragment,
/// no tracking parameters, no trailing slash.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut u = url::Url::parse(raw.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    u.set_fragment(None);
    let kept: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !(k.starts_with("utm_") || matches!(k.as_str(), "fbclid" | "gclid" | "ocid" | "cmpid"))
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    let _ = u.set_scheme("https");
    let mut s = u.to_string();
    if s.ends_with('/') && u.path() != "/" {
        s.pop();
    }
    Some(s)
}

/// Id of an article that has neither an id nor a URL: a hash of its normalised text.
pub fn text_id(title: &str, body: &str) -> String {
    let mut h = blake3::Hasher::new();
    for word in title.split_whitespace().chain(body.split_whitespace()) {
        h.update(word.to_lowercase().as_bytes());
        h.update(b" ");
    }
    format!("h{}", &h.finalize().to_hex()[..16])
}

/// Parse the date forms found in news metadata; `None` when unrecognised.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(d.and_utc());
        }
    }
    for fmt in [
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%d %B %Y",
        "%d %b %Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%d/%m/%Y",
        "%Y%m%d",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        }
    }
    // "2023-06-30T12:00:00+0100" and other variants: fall back to the leading date.
    s.get(..10)
        .and_then(|head| NaiveDate::parse_from_str(head, "%Y-%m-%d").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// What reading one file gave.
#[derive(Debug, Default)]
pub struct Read {
    /// Articles, or the problem with each input that is not one.
    pub items: Vec<Result<Article, Problem>>,
    /// Warnings about the whole file (it was still read).
    pub notes: Vec<Problem>,
    /// The file's size.
    pub bytes: u64,
}

/// Read a whole file: size check (per line for JSON Lines), decoding, parsing.
pub fn read_document(path: &Path, format: Format, max_bytes: u64) -> Read {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let skip = |message: String| Read {
        items: vec![Err(Problem::skip(path, None, message))],
        notes: Vec::new(),
        bytes,
    };
    if bytes > max_bytes && format != Format::JsonLines {
        return skip(format!(
            "file is {:.1} MB, over the {} MB limit for one document: raise it with --max-size if it really is one article",
            bytes as f64 / 1_048_576.0,
            max_bytes / 1_048_576
        ));
    }
    let raw = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return skip(io_reason(&e)),
    };
    let mut notes = Vec::new();
    let text = match decode(&raw) {
        Decoded::Text(t, warning) => {
            if let Some(w) = warning {
                notes.push(Problem::warn(path, None, w));
            }
            t
        }
        Decoded::Rejected(reason) => return skip(reason),
    };
    let items = match format {
        Format::JsonLines => text
            .lines()
            .enumerate()
            .filter_map(|(i, line)| {
                let n = i as u64 + 1;
                if line.len() as u64 > max_bytes {
                    return Some(Err(Problem::skip(
                        path,
                        Some(n),
                        format!(
                            "line is over the {} MB limit: raise it with --max-size",
                            max_bytes / 1_048_576
                        ),
                    )));
                }
                parse_json_line(line, path, n).map(|r| {
                    r.and_then(|raw| {
                        raw.finish(path, Some(n))
                            .map_err(|m| Problem::skip(path, Some(n), m))
                    })
                })
            })
            .collect(),
        _ => parse_document(format, &text, path),
    };
    Read {
        items,
        notes,
        bytes,
    }
}

/// Read one whole-file document (txt, md, html, json) into articles, given its decoded text.
pub fn parse_document(format: Format, text: &str, path: &Path) -> Vec<Result<Article, Problem>> {
    let raws: Vec<Result<RawArticle, Problem>> = match format {
        Format::Text => vec![Ok(text::parse_txt(text, path))],
        Format::Markdown => vec![Ok(text::parse_markdown(text, path))],
        Format::Html => vec![html::parse_html(text).map_err(|m| Problem::skip(path, None, m))],
        Format::Json => parse_json_document(text, path),
        Format::JsonLines => text
            .lines()
            .enumerate()
            .filter_map(|(i, line)| parse_json_line(line, path, i as u64 + 1))
            .collect(),
    };
    raws.into_iter()
        .map(|r| {
            r.and_then(|raw| {
                raw.finish(path, None)
                    .map_err(|m| Problem::skip(path, None, m))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The byte test finds exactly the control characters a character-by-character
        /// reading finds.
        #[test]
        fn control_bytes_are_control_characters(s in "[a-z~ é\\x00-\\x1f\\x7f\\u{80}-\\u{a1}\\u{c2}\\u{100}\\u{2028}]*") {
            let by_chars = s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
            prop_assert_eq!(has_controls(&s), by_chars);
        }
    }

    #[test]
    fn canonical_url_drops_fragment_tracking_and_slash() {
        assert_eq!(
            canonical_url("HTTP://WWW.BBC.co.uk/sport/football/123/?utm_source=x#comments")
                .as_deref(),
            Some("https://www.bbc.co.uk/sport/football/123")
        );
        assert_eq!(canonical_url("not a url"), None);
        assert_eq!(canonical_url("ftp://x.org/a"), None);
    }

    #[test]
    fn text_id_ignores_case_and_spacing() {
        assert_eq!(
            text_id("A  Title", "Body\ntext"),
            text_id("a title", "body text")
        );
        assert_ne!(text_id("A", "b"), text_id("A", "c"));
    }

    #[test]
    fn dates_in_common_forms() {
        for s in [
            "2023-06-30",
            "2023-06-30T10:00:00Z",
            "2023-06-30T10:00:00+01:00",
            "Fri, 30 Jun 2023 10:00:00 GMT",
            "30 June 2023",
            "June 30, 2023",
            "2023-06-30T10:00:00.123",
        ] {
            let d = parse_date(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(d.format("%Y-%m").to_string(), "2023-06", "{s}");
        }
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn control_characters_are_stripped_from_articles() {
        assert_eq!(
            strip_controls("Red \x1b[31mALERT\x1b[0m\x07\x08 a\r\nb\rc\0d\te"),
            "Red ALERT a\nb\ncd\te"
        );
        assert!(matches!(strip_controls("plain\ntext"), Cow::Borrowed(_)));
        let raw = RawArticle {
            title: "Red \x1b[31mALERT\x07 \u{202E}x".into(),
            body: "Body\x1b[2J\r\nline".into(),
            outlet: Some("Out\x08let".into()),
            ..Default::default()
        };
        let a = raw.finish(Path::new("a.txt"), None).unwrap();
        assert_eq!(a.title, "Red ALERT \u{202E}x");
        assert_eq!(a.body, "Body\nline");
        assert_eq!(a.outlet.as_deref(), Some("Outlet"));
    }

    #[test]
    fn finish_prefers_id_then_url_then_hash() {
        let p = Path::new("x.json");
        let raw = RawArticle {
            id: Some("a1".into()),
            title: "T".into(),
            url: Some("https://x.org/a".into()),
            ..Default::default()
        };
        assert_eq!(raw.clone().finish(p, None).unwrap().id, "a1");
        let raw = RawArticle { id: None, ..raw };
        assert_eq!(raw.clone().finish(p, None).unwrap().id, "https://x.org/a");
        let raw = RawArticle { url: None, ..raw };
        assert!(raw.finish(p, None).unwrap().id.starts_with('h'));
        assert!(RawArticle::default().finish(p, None).is_err());
    }
}
