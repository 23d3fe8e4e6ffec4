//! Human-readable output for a terminal or a pager.

use std::io::{self, Write};

use super::{sanitize, sanitize_multiline, Style};
use crate::index::reader::{Hit, Stats, StoredArticle};

/// Search hits, numbered, with metadata and a highlighted snippet.
pub fn hits(out: &mut impl Write, hits: &[Hit], first_rank: usize, style: Style) -> io::Result<()> {
    for (i, hit) in hits.iter().enumerate() {
        let a = &hit.article;
        writeln!(
            out,
            "{}. {}",
            first_rank + i,
            style.bold(&sanitize(&a.title))
        )?;
        let mut meta: Vec<String> = Vec::new();
        if let Some(d) = &a.date {
            meta.push(d.clone());
        }
        if let Some(o) = &a.outlet {
            meta.push(sanitize(o).into_owned());
        }
        meta.push(location(a));
        meta.push(format!("score {:.2}", hit.score));
        writeln!(out, "   {}", style.dim(&meta.join(" · ")))?;
        writeln!(out, "   id: {}", sanitize(&a.id))?;
        if !a.tags.is_empty() {
            writeln!(out, "   tags: {}", style.dim(&tag_line(&a.tags, 8)))?;
        }
        let snippet = highlight(&hit.snippet.text, &hit.snippet.highlights, style);
        if !snippet.trim().is_empty() {
            match &hit.snippet.speaker {
                Some(who) => writeln!(out, "   {snippet} — {}", sanitize(who))?,
                None => writeln!(out, "   {snippet}")?,
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The most-mentioned tags, most first: "Trent Alexander-Arnold, Liverpool, ...".
fn tag_line(tags: &[crate::index::writer::StoredTag], max: usize) -> String {
    let mut sorted: Vec<&crate::index::writer::StoredTag> = tags.iter().collect();
    sorted.sort_by_key(|t| std::cmp::Reverse(t.count));
    let mut names: Vec<String> = sorted
        .iter()
        .take(max)
        .map(|t| sanitize(&t.name).into_owned())
        .collect();
    if tags.len() > max {
        names.push(format!("+{} more", tags.len() - max));
    }
    names.join(", ")
}

fn location(a: &StoredArticle) -> String {
    let source = crate::cmd::display_path(&a.source);
    match a.line {
        Some(l) => format!("{}:{l}", super::sanitize_path(&source)),
        None => super::sanitize_path(&source).into_owned(),
    }
}

/// The snippet with matched ranges styled; text outside them sanitised.
fn highlight(text: &str, ranges: &[std::ops::Range<usize>], style: Style) -> String {
    let mut out = String::new();
    let mut at = 0;
    for r in ranges {
        let (Some(before), Some(word)) = (text.get(at..r.start), text.get(r.start..r.end)) else {
            continue;
        };
        out.push_str(&sanitize(before));
        out.push_str(&style.hit(&sanitize(word)));
        at = r.end;
    }
    out.push_str(&sanitize(text.get(at..).unwrap_or("")));
    format!("…{}…", out.trim())
}

/// One whole article.
pub fn article(out: &mut impl Write, a: &StoredArticle, style: Style) -> io::Result<()> {
    writeln!(out, "{}", style.bold(&sanitize(&a.title)))?;
    let mut meta = Vec::new();
    if let Some(d) = &a.date {
        meta.push(d.clone());
    }
    if let Some(o) = &a.outlet {
        meta.push(sanitize(o).into_owned());
    }
    meta.push(location(a));
    writeln!(out, "{}", style.dim(&meta.join(" · ")))?;
    if let Some(u) = &a.url {
        writeln!(out, "{}", style.dim(&sanitize(u)))?;
    }
    writeln!(out, "{}", style.dim(&format!("id: {}", sanitize(&a.id))))?;
    writeln!(out)?;
    writeln!(out, "{}", sanitize_multiline(&a.body))
}

/// Index statistics.
pub fn stats(out: &mut impl Write, index: &str, s: &Stats, style: Style) -> io::Result<()> {
    writeln!(out, "{} {}", style.bold("index:"), sanitize(index))?;
    writeln!(out, "{} {}", style.bold("articles:"), s.articles)?;
    writeln!(
        out,
        "{} {} ({} segments)",
        style.bold("size:"),
        human_bytes(s.size_bytes),
        s.segments
    )?;
    match &s.date_range {
        Some((a, b)) => writeln!(out, "{} {a} to {b}", style.bold("dates:"))?,
        None => writeln!(out, "{} none", style.bold("dates:"))?,
    }
    if s.no_date > 0 {
        writeln!(out, "        ({} articles without a date)", s.no_date)?;
    }
    writeln!(out, "{} {}", style.bold("outlets:"), s.outlets.len())?;
    for (name, n) in s.outlets.iter().take(20) {
        writeln!(out, "  {n:>7}  {}", sanitize(name))?;
    }
    if s.outlets.len() > 20 {
        let rest: u64 = s.outlets[20..].iter().map(|(_, n)| n).sum();
        writeln!(out, "  {rest:>7}  ({} more outlets)", s.outlets.len() - 20)?;
    }
    if s.no_outlet > 0 {
        writeln!(out, "  {:>7}  (no outlet)", s.no_outlet)?;
    }
    Ok(())
}

/// Bytes in KB/MB/GB.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// One article's extraction.
pub fn extraction(
    out: &mut impl Write,
    e: &super::json::ExtractionJson<'_>,
    style: Style,
) -> io::Result<()> {
    writeln!(out, "{}", style.bold(&sanitize(e.title)))?;
    writeln!(out, "{}", style.dim(&sanitize(&e.source)))?;
    for (label, list) in [
        ("players", &e.players),
        ("managers", &e.managers),
        ("clubs", &e.clubs),
        ("competitions", &e.competitions),
    ] {
        if list.is_empty() {
            continue;
        }
        let names: Vec<String> = list
            .iter()
            .map(|t| format!("{} ({})", sanitize(t.name), t.count))
            .collect();
        writeln!(out, "  {:<13} {}", format!("{label}:"), names.join(", "))?;
    }
    writeln!(out)
}

/// Quotes with their speakers and articles.
pub fn quotes(
    out: &mut impl Write,
    quotes: &[crate::index::reader::QuoteHit],
    style: Style,
) -> io::Result<()> {
    for q in quotes {
        writeln!(out, "“{}”", sanitize(&q.text))?;
        let mut who = match &q.speaker {
            Some(s) => format!("— {}", sanitize(s)),
            None => "— (speaker not stated)".to_string(),
        };
        if let Some(t) = &q.said_to {
            who.push_str(&format!(", to {}", sanitize(t)));
        }
        writeln!(out, "   {}", style.bold(&who))?;
        let a = &q.article;
        let mut meta = vec![sanitize(&a.title).into_owned()];
        if let Some(d) = &a.date {
            meta.push(d.clone());
        }
        if let Some(o) = &a.outlet {
            meta.push(sanitize(o).into_owned());
        }
        meta.push(location(a));
        writeln!(out, "   {}", style.dim(&meta.join(" · ")))?;
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_marks_ranges_only_with_colour() {
        let plain = highlight(
            "Salah scored",
            &[std::ops::Range { start: 0, end: 5 }],
            Style { color: false },
        );
        assert_eq!(plain, "…Salah scored…");
        let colour = highlight(
            "Salah scored",
            &[std::ops::Range { start: 0, end: 5 }],
            Style { color: true },
        );
        assert!(colour.contains("\x1b[1;31mSalah\x1b[0m"));
    }

    #[test]
    fn bytes_are_readable() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(3 * 1024 * 1024), "3.0 MB");
    }
}
