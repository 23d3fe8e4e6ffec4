//! Extraction: pure functions from an [`Article`](crate::source::Article) to what newsidx
//! indexes about it. No I/O here.

pub mod clean;
pub mod context;
pub mod details;
pub mod entities;
pub mod facts;
pub mod fold;
pub mod lexicon;
pub mod people;
pub mod quotes;

use chrono::Datelike;

use crate::kb::Kb;
use crate::source::Article;
pub use entities::{Role, Tag, Tagger};

/// What newsidx extracts from one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    /// The body with boilerplate lines (READ MORE links, related headlines, sign-up prompts)
    /// removed: what is indexed and shown.
    pub body: String,
    /// How many boilerplate lines were dropped.
    pub dropped_lines: usize,
    /// Entities mentioned, in order of first mention. Mention offsets are byte ranges into
    /// [`Extraction::tagged_text`]`(title, body)`.
    pub tags: Vec<Tag>,
    /// Direct quotes in the body, with their speakers (offsets as for tags).
    pub quotes: Vec<quotes::Quote>,
    /// Match results (offsets as for tags).
    pub facts: Vec<facts::Fact>,
}

/// Compile one of the large patterns (names, attributions): alternations over Unicode
/// classes whose lazy DFA has a new state at nearly every byte. With no room for that DFA
/// the regex crate uses its NFA engines straight away, which for these patterns cost a
/// third of the instructions (measured with callgrind on 150 articles: 3.4 G instead of
/// 4.6 G for the whole extraction). Built through regex-automata with the lazy DFA switched
/// off rather than starved (`regex` has no switch for it), so neither the reverse NFA only
/// that DFA would use nor a one-pass DFA is compiled: for the three attribution patterns of
/// quotes.rs, 58 M instructions per process instead of 100 M. Without `backtrack` the PikeVM
/// searches: it gives up a failed anchored search at once, where the backtracker first
/// clears one bit per NFA state and haystack byte.
pub(crate) fn nfa_regex(pattern: &str, backtrack: bool) -> regex_automata::meta::Regex {
    let config = regex_automata::meta::Config::new()
        .hybrid(false)
        .dfa(false)
        .onepass(false)
        .backtrack(backtrack);
    regex_automata::meta::Regex::builder()
        .configure(config)
        .build(pattern)
        .expect("built-in pattern is valid")
}

/// The text tags refer to: the title, a blank line, the cleaned body.
pub fn tagged_text(title: &str, body: &str) -> String {
    format!("{title}\n\n{body}")
}

/// Where the body starts in [`tagged_text`].
pub fn body_offset(title: &str) -> usize {
    title.len() + 2
}

/// The knowledge base and everything compiled from it: built once, shared by all threads.
pub struct Extractor {
    /// The knowledge base.
    pub kb: Kb,
    tagger: Tagger,
    /// Stadium names of the knowledge base (match venues).
    venues: details::Venues,
    /// False: clean only, no tags (`add --no-tags`).
    tagging: bool,
}

impl Extractor {
    /// Compile an extractor for a knowledge base.
    pub fn new(kb: Kb) -> Extractor {
        let tagger = Tagger::new(&kb);
        let venues = details::Venues::new(kb.entities.iter().map(|e| e.stadium.trim().to_string()));
        Extractor {
            kb,
            tagger,
            venues,
            tagging: true,
        }
    }

    /// An extractor that only cleans: articles are indexed without tags.
    pub fn without_tagging() -> Extractor {
        Extractor {
            tagging: false,
            ..Extractor::new(Kb::default())
        }
    }

    /// Extract everything newsidx knows how to find in an article. A defect in one extractor
    /// must not stop a run: if tagging or quote finding fails on an article, the article is
    /// still returned cleaned, without tags and quotes.
    pub fn extract(&self, article: &Article) -> Extraction {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.extract_all(article))) {
            Ok(x) => x,
            Err(_) => {
                let cleaned = clean::clean(&article.body);
                Extraction {
                    body: cleaned.text,
                    dropped_lines: cleaned.dropped,
                    tags: Vec::new(),
                    quotes: Vec::new(),
                    facts: Vec::new(),
                }
            }
        }
    }

    /// [`Extractor::extract`] without its panic guard: a defect panics here. For property
    /// tests and fuzzing, which must see defects the guard would hide.
    pub fn extract_all(&self, article: &Article) -> Extraction {
        let cleaned = clean::clean(&article.body);
        let text = tagged_text(&article.title, &cleaned.text);
        let year = article.published.map(|d| d.year());
        let tags = if self.tagging {
            self.tagger.tag(&self.kb, &text, year)
        } else {
            Vec::new()
        };
        let quotes = quotes::quotes(&text, body_offset(&article.title), &tags);
        let mut facts = facts::facts(&text, &tags);
        let published = article.published.map(|d| d.date_naive());
        details::enrich(&mut facts, &text, &tags, &self.venues, published);
        Extraction {
            body: cleaned.text,
            dropped_lines: cleaned.dropped,
            tags,
            quotes,
            facts,
        }
    }
}
