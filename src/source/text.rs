//! Plain text (`.txt`: first line the title) and Markdown (`.md`: optional front matter).

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::RawArticle;

/// `.txt`: the first non-empty line is the title, the rest the body.
pub fn parse_txt(text: &str, path: &Path) -> RawArticle {
    let text = text.trim_start();
    let (title, body) = match text.split_once('\n') {
        Some((t, b)) => (t.trim(), b),
        None => (text.trim(), ""),
    };
    RawArticle {
        title: title_or_stem(title, path),
        body: body.replace("\r\n", "\n"),
        ..RawArticle::default()
    }
}

/// `.md`: front matter (`---` … `---`, `key: value` lines) with title, date, url, outlet;
/// without a title there, the first heading. The body is the Markdown's text.
pub fn parse_markdown(text: &str, path: &Path) -> RawArticle {
    let text = text.trim_start_matches('\u{feff}');
    let mut raw = RawArticle::default();
    let mut body = text;
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix("---") {
        if let Some(rest) = rest
            .strip_prefix('\n')
            .or_else(|| rest.strip_prefix("\r\n"))
        {
            if let Some(end) = find_front_matter_end(rest) {
                for line in rest[..end].lines() {
                    let Some((key, value)) = line.split_once(':') else {
                        continue;
                    };
                    let value = unquote(value.trim());
                    match key.trim().to_ascii_lowercase().as_str() {
                        "title" | "headline" => raw.title = value,
                        "date" | "published" | "pubdate" => raw.date = Some(value),
                        "url" | "link" | "canonical" => raw.url = Some(value),
                        "outlet" | "source" | "publisher" | "site" => raw.outlet = Some(value),
                        "id" => raw.id = Some(value),
                        _ => {}
                    }
                }
                body = rest[end..].split_once('\n').map_or("", |(_, b)| b);
            }
        }
    }
    let (heading, text) = markdown_text(body);
    if raw.title.is_empty() {
        raw.title = heading.unwrap_or_default();
    }
    raw.title = title_or_stem(&raw.title, path);
    raw.body = text;
    raw
}

/// Offset of the closing `---` line within the front matter.
fn find_front_matter_end(rest: &str) -> Option<usize> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_string();
        }
    }
    v.to_string()
}

/// The Markdown's plain text, one paragraph per line, and its first level-1 heading (which is
/// the title, so it is left out of the body).
fn markdown_text(md: &str) -> (Option<String>, String) {
    let mut out = String::new();
    let mut heading: Option<String> = None;
    let mut in_h1 = false;
    let mut h1 = String::new();
    for event in Parser::new(md) {
        match event {
            Event::Start(Tag::Heading { level, .. })
                if level == pulldown_cmark::HeadingLevel::H1 && heading.is_none() =>
            {
                in_h1 = true;
            }
            Event::End(TagEnd::Heading(_)) if in_h1 => {
                in_h1 = false;
                heading = Some(h1.trim().to_string());
            }
            Event::Text(t) | Event::Code(t) => {
                if in_h1 {
                    h1.push_str(&t);
                } else {
                    out.push_str(&t);
                }
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) if !out.ends_with('\n') => out.push('\n'),
            _ => {}
        }
    }
    (heading, out)
}

fn title_or_stem(title: &str, path: &Path) -> String {
    let t = title.trim().trim_start_matches('#').trim();
    if t.is_empty() {
        path.file_stem()
            .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
            .unwrap_or_default()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn txt_first_line_is_title() {
        let r = parse_txt("\nTitle here\n\nBody one.\nBody two.\n", Path::new("a.txt"));
        assert_eq!(r.title, "Title here");
        assert_eq!(r.body.trim(), "Body one.\nBody two.");
    }

    #[test]
    fn txt_without_body() {
        let r = parse_txt("Only a line", Path::new("a.txt"));
        assert_eq!((r.title.as_str(), r.body.as_str()), ("Only a line", ""));
    }

    #[test]
    fn markdown_front_matter_and_text() {
        let md = "---\ntitle: \"Cup: a night\"\ndate: 2023-03-01\nurl: https://x.org/a\noutlet: Gazette\n---\n\nFirst *para* with [a link](https://x.org).\n\n## Sub\n\n- item one\n";
        let r = parse_markdown(md, Path::new("a.md"));
        assert_eq!(r.title, "Cup: a night");
        assert_eq!(r.date.as_deref(), Some("2023-03-01"));
        assert_eq!(r.url.as_deref(), Some("https://x.org/a"));
        assert_eq!(r.outlet.as_deref(), Some("Gazette"));
        assert_eq!(r.body, "First para with a link.\nSub\nitem one\n");
    }

    #[test]
    fn markdown_title_from_heading_or_file_name() {
        let r = parse_markdown("# The Heading\n\nText.", Path::new("a.md"));
        assert_eq!(
            (r.title.as_str(), r.body.as_str()),
            ("The Heading", "Text.\n")
        );
        let r = parse_markdown("Text only.", Path::new("cup-final_report.md"));
        assert_eq!(r.title, "cup final report");
    }

    #[test]
    fn markdown_unclosed_front_matter_is_body() {
        let r = parse_markdown("---\ntitle: x\nno end", Path::new("a.md"));
        assert!(r.body.contains("no end"));
    }
}
