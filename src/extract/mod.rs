//! Extraction: pure functions from an [`Article`](crate::source::Article) to what newsidx
//! indexes about it. No I/O here.

pub mod clean;

use crate::source::Article;

/// What newsidx extracts from one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    /// The body with boilerplate lines (READ MORE links, related headlines, sign-up prompts)
    /// removed: what is indexed and shown.
    pub body: String,
    /// How many boilerplate lines were dropped.
    pub dropped_lines: usize,
}

/// Extract everything newsidx knows how to find in an article.
pub fn extract(article: &Article) -> Extraction {
    let cleaned = clean::clean(&article.body);
    Extraction {
        body: cleaned.text,
        dropped_lines: cleaned.dropped,
    }
}
