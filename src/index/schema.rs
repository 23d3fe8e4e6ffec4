//! The one definition of the index's fields and text analysis, and the schema version.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::Index;

/// Bumped whenever fields or their analysis change; an index of another version must be rebuilt.
pub const SCHEMA_VERSION: u64 = 3;

/// Words of this many bytes or more are not indexed (nor searchable): no real word is that long.
pub const MAX_TOKEN_BYTES: usize = 48;

/// Name of the tokenizer for title and body: words, lowercased, accents folded (ø, ł, ß too).
pub const TEXT_TOKENIZER: &str = "newsidx_text";

/// Document kinds sharing the index (one article and everything extracted from it).
pub const KIND_ARTICLE: &str = "article";
/// A direct quote of four words or more.
pub const KIND_QUOTE: &str = "quote";
/// A match result.
pub const KIND_FACT: &str = "fact";
/// A partial quote (under four words, a scare quote).
pub const KIND_PARTIAL_QUOTE: &str = "quote-partial";

/// Handles to every field.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Document kind (`article`, later `quote`, `fact`).
    pub kind: Field,
    /// Article id, stored.
    pub id: Field,
    /// Hash of the article id, on every document of the article: the delete and lookup key.
    pub id_hash: Field,
    /// Hash of the article's content, to tell unchanged from updated.
    pub content_hash: Field,
    /// Headline (searchable, stored).
    pub title: Field,
    /// Cleaned body (searchable, stored).
    pub body: Field,
    /// URL, stored.
    pub url: Field,
    /// Publisher, exact, stored and fast (for stats and filters).
    pub outlet: Field,
    /// Publication time.
    pub date: Field,
    /// Source file, absolute, stored.
    pub source: Field,
    /// Source file as a facet of its path components, so a directory removes everything under it.
    pub source_path: Field,
    /// Line within the source (JSON Lines).
    pub line: Field,
    /// Tags as facets: `/player/<id>`, `/manager/<id>`, `/club/<id>`, `/competition/<id>`.
    pub tag: Field,
    /// Tags with names and mention counts, stored in `StoredTag::encode`'s form.
    pub tags: Field,
    /// Articles: one `person:<id>`, `club:<id>` or `competition:<id>` token per mention of a
    /// tagged entity (not stored). A query naming a known entity becomes one term here,
    /// ranked by how often the article mentions it.
    pub entity: Field,
    /// Articles: the byte ranges of quotes in the body with their speakers, as stored JSON
    /// `[[start, end, "Speaker"], ...]`, so a snippet inside a quote can name who said it.
    pub quote_spans: Field,
    /// Quote documents: the quoted words (searchable, not stored: the text is read back from
    /// the article through `span`).
    pub quote: Field,
    /// Quote documents: the byte range of the quote in its article's tagged text (title, blank
    /// line, body), stored as two values, start then end.
    pub span: Field,
    /// Quote documents: the speaker's name, stored.
    pub speaker: Field,
    /// Quote documents: the speaker's id (tag id, or the name's slug), stored only when it is
    /// not the slug of `speaker`.
    pub speaker_id: Field,
    /// Quote documents: where it was said ("the ECHO"), stored.
    pub said_to: Field,
    /// Fact documents: the result as stored JSON.
    pub fact: Field,
}

/// Build the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let text_quote = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STORED),
        id_hash: b.add_u64_field(
            "id_hash",
            NumericOptions::default().set_indexed().set_fast(),
        ),
        content_hash: b.add_u64_field("content_hash", FAST),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        url: b.add_text_field("url", STORED),
        outlet: b.add_text_field("outlet", STRING | STORED | FAST),
        date: b.add_date_field(
            "date",
            DateOptions::default()
                .set_indexed()
                .set_stored()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        source: b.add_text_field("source", STORED),
        source_path: b.add_facet_field("source_path", FacetOptions::default()),
        line: b.add_u64_field("line", STORED),
        tag: b.add_facet_field("tag", FacetOptions::default()),
        tags: b.add_text_field("tags", STORED),
        entity: b.add_text_field(
            "entity",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
        quote_spans: b.add_text_field("quote_spans", STORED),
        quote: b.add_text_field("quote", text_quote),
        span: b.add_u64_field("span", STORED),
        speaker: b.add_text_field("speaker", STORED),
        speaker_id: b.add_text_field("speaker_id", STORED),
        said_to: b.add_text_field("said_to", STORED),
        fact: b.add_text_field("fact", STORED),
    };
    (b.build(), fields)
}

/// Register newsidx's analyzers on an index (needed every time one is opened).
pub fn register_tokenizers(index: &Index) {
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(TEXT_TOKENIZER, analyzer);
}

/// The `entity` token of a tag: its kind (people share one kind whatever their role) and id.
pub fn entity_token(role: &str, id: &str) -> String {
    let kind = match role {
        "player" | "manager" => "person",
        other => other,
    };
    format!("{kind}:{id}")
}

/// Stable 64-bit hash of a string (ids, content).
pub fn hash64(parts: &[&str]) -> u64 {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let bytes = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    fn tokens(text: &str) -> Vec<String> {
        let index = Index::create_in_ram(build().0);
        register_tokenizers(&index);
        let mut analyzer = index.tokenizers().get(TEXT_TOKENIZER).unwrap();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn folding_covers_letters_nfd_does_not_decompose() {
        assert_eq!(
            tokens("Núñez Ødegaard Łukasz Straße Kırklareli"),
            ["nunez", "odegaard", "lukasz", "strasse", "kirklareli"]
        );
    }

    #[test]
    fn hyphenated_names_split() {
        assert_eq!(tokens("Alexander-Arnold"), ["alexander", "arnold"]);
    }

    #[test]
    fn hash_is_stable_and_separates_parts() {
        assert_eq!(hash64(&["a", "b"]), hash64(&["a", "b"]));
        assert_ne!(hash64(&["ab", ""]), hash64(&["a", "b"]));
    }
}
