//! Fuzz target: arbitrary bytes (lossy UTF-8; the first line is the title) through extraction
//! without its panic guard, checking that every offset is a char boundary of the tagged text.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use newsidx::extract::{tagged_text, Extractor, Role};
use newsidx::kb::Kb;
use newsidx::source::RawArticle;

static EXTRACTOR: LazyLock<Extractor> = LazyLock::new(|| Extractor::new(Kb::builtin()));

fn on_boundary(text: &str, s: usize, e: usize) -> bool {
    s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (title, body) = text.split_once('\n').unwrap_or(("", &text));
    // An odd first byte dates the article, so relative dates ("on Wednesday") are resolved.
    let date = data
        .first()
        .is_some_and(|b| b & 1 == 1)
        .then(|| "2023-06-30".to_string());
    let raw = RawArticle {
        title: title.to_string(),
        body: body.to_string(),
        date,
        ..RawArticle::default()
    };
    let Ok(article) = raw.finish(Path::new("fuzz.txt"), None) else {
        return;
    };
    let kb = &EXTRACTOR.kb;
    let x = EXTRACTOR.extract_all(&article);
    let text = tagged_text(&article.title, &x.body);
    for t in &x.tags {
        match t.entity {
            Some(i) => assert_eq!(kb.entities[i].id, t.id),
            None => assert!(matches!(t.role, Role::Player | Role::Manager)),
        }
        for &(s, e) in &t.mentions {
            assert!(
                s < e && on_boundary(&text, s, e),
                "mention {s}..{e} of {t:?}"
            );
        }
    }
    for q in &x.quotes {
        assert!(on_boundary(&text, q.start, q.end), "{q:?}");
        assert!(q.start >= article.title.len() + 2, "{q:?}");
        assert_eq!(q.text, text[q.start..q.end].trim());
        if let Some(id) = &q.speaker_id {
            assert!(x.tags.iter().any(|t| &t.id == id));
        }
    }
    for f in &x.facts {
        assert!(
            f.start < f.end && on_boundary(&text, f.start, f.end),
            "{f:?}"
        );
        for id in [&f.home_id, &f.away_id] {
            assert!(
                x.tags.iter().any(|t| &t.id == id && t.role == Role::Club),
                "{f:?}"
            );
        }
        assert_ne!(f.home_id, f.away_id, "{f:?}");
    }
});
