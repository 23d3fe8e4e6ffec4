//! Fuzz target: arbitrary bytes (lossy UTF-8) as a user query: checked, parsed with the real
//! schema and analyzer (plain, entity-expanded with the built-in knowledge base's names, fuzzy),
//! and run against a small in-memory index. What the check accepts must never reach tantivy's
//! bare errors (only the refusals `explain` words with a fix), and the entity expansion of an
//! accepted query must parse too.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use newsidx::index::aliases::{self, Aliases};
use newsidx::index::expand::expand;
use newsidx::index::{query, schema, Opened};
use newsidx::kb::Kb;
use newsidx::Error;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Query, QueryParser, QueryParserError};
use tantivy::{Index, TantivyDocument};

static INDEX: LazyLock<Opened> = LazyLock::new(|| {
    let (schema, fields) = schema::build();
    let index = Index::create_in_ram(schema);
    schema::register_tokenizers(&index);
    let mut writer = index
        .writer_with_num_threads(1, 15_000_000)
        .expect("writer");
    for (title, body) in [
        (
            "Salah scores twice",
            "Liverpool beat Chelsea 2-1 at Anfield, said Klopp.",
        ),
        (
            "Ødegaard injury",
            "Arsenal captain Martin Ødegaard misses the derby.",
        ),
        (
            "Cup final preview",
            "Manchester City face Manchester United in the FA Cup final.",
        ),
    ] {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.kind, schema::KIND_ARTICLE);
        doc.add_text(fields.title, title);
        doc.add_text(fields.body, body);
        for club in ["liverpool", "manchester-city"] {
            doc.add_text(fields.entity, schema::entity_token("club", club));
        }
        writer.add_document(doc).expect("add");
    }
    writer.commit().expect("commit");
    Opened {
        index,
        fields,
        dir: PathBuf::from("(memory)"),
    }
});

static ALIASES: LazyLock<Aliases> =
    LazyLock::new(|| Aliases::from_text(aliases::build(&Kb::builtin())));

fn run(q: &dyn Query) {
    let searcher = INDEX.index.reader().expect("reader").searcher();
    let (top, count) = searcher
        .search(q, &(TopDocs::with_limit(3).order_by_score(), Count))
        .expect("search runs");
    assert!(top.len() <= count);
}

fuzz_target!(|data: &[u8]| {
    let q = String::from_utf8_lossy(data);
    let fuzzy = [None, Some(1), Some(2)][data.len() % 3];
    let checked = query::validate(&q);
    let parsed = query::parse(&INDEX, &q);
    let searched = query::parse_search(&INDEX, &q, &ALIASES, fuzzy);
    if let Err(e) = checked {
        let Error::BadQuery(msg) = e else {
            panic!("not a BadQuery: {e}");
        };
        assert!(!msg.trim().is_empty());
        assert!(matches!(parsed, Err(Error::BadQuery(_))));
        assert!(matches!(searched, Err(Error::BadQuery(_))));
        return;
    }
    let text = query::prepare(&q, &["title", "body"]).expect("accepted");
    let f = &INDEX.fields;
    let parser = || {
        let mut p = QueryParser::for_index(&INDEX.index, vec![f.title, f.body]);
        p.set_field_boost(f.title, query::TITLE_BOOST);
        p
    };
    match parser().parse_query(&text) {
        Ok(_) => {}
        // Refusals the parse step explains with their own fix (see `explain` in
        // src/index/query.rs): only excluded words, a one-word phrase prefix.
        Err(
            QueryParserError::AllButQueryForbidden
            | QueryParserError::PhrasePrefixRequiresAtLeastTwoTerms { .. }
            | QueryParserError::RangeMustNotHavePhrase
            | QueryParserError::FieldDoesNotExist(_),
        ) => {
            assert!(parsed.is_err() && searched.is_err());
            return;
        }
        Err(e) => panic!("accepted {q:?} (as {text:?}), tantivy: {e:?}"),
    }
    if let Some(expanded) = expand(&text, &ALIASES) {
        if let Err(e) = parser().parse_query(&expanded) {
            panic!("{q:?} expands to {expanded:?}, which does not parse: {e:?}");
        }
    }
    let parsed = parsed.expect("accepted query parses");
    let (query, written) = searched.expect("accepted query parses for search");
    run(&*parsed);
    run(&*query);
    if let Some(w) = written {
        run(&*w);
    }
});
