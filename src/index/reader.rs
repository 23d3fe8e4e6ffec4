//! Reading the index: ranked search with snippets, whole stored articles, statistics.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tantivy::collector::{FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::Value;
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocSet, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::schema::hash64;
use super::{query, tantivy_error, Opened};
use crate::error::Error;

/// The id hashes of a set of articles, shared with a collector's threads.
type ArticleIds = Arc<HashSet<u64>>;

/// One stored article, as shown by `show` and in search hits.
#[derive(Debug, Clone, Default)]
pub struct StoredArticle {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Cleaned body.
    pub body: String,
    /// URL.
    pub url: Option<String>,
    /// Publisher.
    pub outlet: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Source file.
    pub source: String,
    /// Line in the source (JSON Lines).
    pub line: Option<u64>,
    /// Players, managers, clubs and competitions, in order of first mention.
    pub tags: Vec<super::writer::StoredTag>,
}

impl StoredArticle {
    /// A copy without the body (quote and fact hits carry their article's metadata).
    pub fn without_body(&self) -> StoredArticle {
        StoredArticle {
            id: self.id.clone(),
            title: self.title.clone(),
            body: String::new(),
            url: self.url.clone(),
            outlet: self.outlet.clone(),
            date: self.date.clone(),
            source: self.source.clone(),
            line: self.line,
            tags: self.tags.clone(),
        }
    }
}

/// A snippet: a fragment of the body and the byte ranges of matched terms within it.
#[derive(Debug, Clone, Default)]
pub struct Snippet {
    /// The fragment.
    pub text: String,
    /// Matched terms, as byte ranges into `text`.
    pub highlights: Vec<std::ops::Range<usize>>,
    /// When the match is inside a quote: the text is the quote, and this is who said it.
    pub speaker: Option<String>,
}

/// One search result.
#[derive(Debug, Clone)]
pub struct Hit {
    /// BM25 score.
    pub score: f32,
    /// The article (body left empty: hits carry a snippet instead).
    pub article: StoredArticle,
    /// Best fragment of the body.
    pub snippet: Snippet,
}

/// One quote found by [`Reader::quotes`].
#[derive(Debug, Clone)]
pub struct QuoteHit {
    /// BM25 score of the quote's words (0 without a query).
    pub score: f32,
    /// The quoted words.
    pub text: String,
    /// Speaker, if known.
    pub speaker: Option<String>,
    /// Speaker id (tag id or name slug).
    pub speaker_id: Option<String>,
    /// Where it was said.
    pub said_to: Option<String>,
    /// Under four words or a scare quote.
    pub partial: bool,
    /// The article it comes from (no body).
    pub article: StoredArticle,
}

/// How to restrict and order a search beyond the query and tag filters.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    /// Hits to skip.
    pub offset: usize,
    /// Newest first instead of most relevant.
    pub by_date: bool,
    /// Published at or after (Unix seconds).
    pub since: Option<i64>,
    /// Published at or before (Unix seconds).
    pub until: Option<i64>,
    /// Only these outlets.
    pub outlets: Vec<String>,
    /// Count tags among all hits (`--facets`): this many per kind.
    pub facets: Option<usize>,
    /// Words also match words this many edits away (`--fuzzy`).
    pub fuzzy: Option<u8>,
}

/// One match result found by [`Reader::facts`].
#[derive(Debug, Clone)]
pub struct FactHit {
    /// The result.
    pub fact: crate::extract::facts::Fact,
    /// The article that reports it (no body).
    pub article: StoredArticle,
}

/// Index-wide figures for `stats`.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Articles.
    pub articles: u64,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// Segments.
    pub segments: usize,
    /// Outlets with their article counts, most articles first.
    pub outlets: Vec<(String, u64)>,
    /// Articles without an outlet.
    pub no_outlet: u64,
    /// Earliest and latest publication dates.
    pub date_range: Option<(String, String)>,
    /// Articles without a date.
    pub no_date: u64,
}

/// A facet root (`player`, `club`...) and its tags' article counts, most first.
pub type TagCounts = (String, Vec<(String, u64)>);
/// Characters in a snippet.
const SNIPPET_CHARS: usize = 180;

/// No kind filter: what article searches pass. Only article documents have title, body and
/// entity terms (quotes and facts have fields of their own), so such a query finds nothing
/// else, and a filter on `kind` would only cost an intersection with every article.
const ANY_KIND: &[&str] = &[];

/// A reader over one snapshot of the index.
pub struct Reader {
    opened: Opened,
    reader: IndexReader,
    /// The names of known entities (read on first use).
    aliases: std::sync::OnceLock<super::aliases::Aliases>,
}

impl Reader {
    /// Open a reader (the snapshot is taken now).
    pub fn new(opened: Opened) -> Result<Reader, Error> {
        let reader = opened
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| tantivy_error(&opened.dir, e))?;
        Ok(Reader {
            opened,
            reader,
            aliases: std::sync::OnceLock::new(),
        })
    }

    fn aliases(&self) -> &super::aliases::Aliases {
        self.aliases
            .get_or_init(|| super::aliases::Aliases::load(&self.opened.dir))
    }

    fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    fn err(&self, e: tantivy::TantivyError) -> Error {
        tantivy_error(&self.opened.dir, e)
    }

    /// Tag counts among every article matching the query and filters: for each kind
    /// (`player`, `manager`, `club`, `competition`) its top `top` ids with counts.
    pub fn search_facets(
        &self,
        q: &str,
        filters: &[Vec<Facet>],
        top: usize,
    ) -> Result<Vec<TagCounts>, Error> {
        let (text_query, _) = query::parse_search(&self.opened, q, self.aliases(), None)?;
        let query = self.with_filters_kinds(text_query, filters, ANY_KIND);
        self.count_tags(&*query, &["player", "manager", "club", "competition"], top)
    }

    /// Top `limit` articles for a query, best first, with snippets. Each filter is a set of
    /// tag facets (`/player/darwin-nunez`) of which an article must carry at least one.
    pub fn search(&self, q: &str, limit: usize, filters: &[Vec<Facet>]) -> Result<Vec<Hit>, Error> {
        self.search_with(q, limit, filters, &SearchOptions::default())
    }

    /// [`Reader::search`] with paging, date and outlet restrictions and date order.
    pub fn search_with(
        &self,
        q: &str,
        limit: usize,
        filters: &[Vec<Facet>],
        opts: &SearchOptions,
    ) -> Result<Vec<Hit>, Error> {
        let (text_query, written) =
            query::parse_search(&self.opened, q, self.aliases(), opts.fuzzy)?;
        let mut query = self.with_filters_kinds(text_query, filters, ANY_KIND);
        let f = &self.opened.fields;
        let mut extra: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if opts.since.is_some() || opts.until.is_some() {
            let bound = |secs: Option<i64>| match secs {
                Some(s) => std::ops::Bound::Included(Term::from_field_date(
                    f.date,
                    tantivy::DateTime::from_timestamp_secs(s),
                )),
                None => std::ops::Bound::Unbounded,
            };
            extra.push((
                Occur::Must,
                Box::new(BoostQuery::new(
                    Box::new(tantivy::query::RangeQuery::new(
                        bound(opts.since),
                        bound(opts.until),
                    )),
                    0.0,
                )),
            ));
        }
        if !opts.outlets.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = opts
                .outlets
                .iter()
                .map(|o| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(f.outlet, o),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            extra.push((
                Occur::Must,
                Box::new(BoostQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
            ));
        }
        if !extra.is_empty() {
            extra.insert(0, (Occur::Must, query));
            query = Box::new(BooleanQuery::new(extra));
        }
        let searcher = self.searcher();
        let collector = TopDocs::with_limit(limit.max(1)).and_offset(opts.offset);
        let top: Vec<(f32, DocAddress)> = if opts.by_date {
            searcher
                .search(
                    &query,
                    &collector
                        .order_by_fast_field::<tantivy::DateTime>("date", tantivy::Order::Desc),
                )
                .map_err(|e| self.err(e))?
                .into_iter()
                .map(|(_, a)| (0.0, a))
                .collect()
        } else {
            searcher
                .search(&query, &collector.order_by_score())
                .map_err(|e| self.err(e))?
        };
        if top.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let snippet_query = written.as_deref().unwrap_or(&*query);
        let mut generator =
            SnippetGenerator::create(&searcher, snippet_query, self.opened.fields.body)
                .map_err(|e| self.err(e))?;
        generator.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.err(e))?;
            let mut article = self.stored(&doc);
            let s = generator.snippet_from_doc(&doc);
            let snippet = if s.fragment().is_empty() {
                Snippet {
                    text: lead(&article.body, SNIPPET_CHARS),
                    highlights: Vec::new(),
                    speaker: None,
                }
            } else {
                let spans = doc
                    .get_first(self.opened.fields.quote_spans)
                    .and_then(|v| v.as_str())
                    .and_then(|j| serde_json::from_str::<Vec<(usize, usize, String)>>(j).ok())
                    .unwrap_or_default();
                in_quote(&article.body, &s, &spans).unwrap_or_else(|| Snippet {
                    text: s.fragment().to_string(),
                    highlights: s.highlighted().to_vec(),
                    speaker: None,
                })
            };
            article.body.clear();
            hits.push(Hit {
                score,
                article,
                snippet,
            });
        }
        Ok(hits)
    }

    fn kind_query(&self, kind: &str) -> TermQuery {
        TermQuery::new(
            Term::from_field_text(self.opened.fields.kind, kind),
            IndexRecordOption::Basic,
        )
    }

    /// `query` restricted to documents of `kinds` carrying, for each filter, one of its facets.
    /// Filters and kinds select; they do not change the ranking.
    fn with_filters(
        &self,
        query: Box<dyn Query>,
        filters: &[Vec<Facet>],
        kind: &str,
    ) -> Box<dyn Query> {
        self.with_filters_kinds(query, filters, &[kind])
    }

    /// As [`Reader::with_filters`], for documents of any of `kinds` (of any kind when empty).
    fn with_filters_kinds(
        &self,
        query: Box<dyn Query>,
        filters: &[Vec<Facet>],
        kinds: &[&str],
    ) -> Box<dyn Query> {
        let zero = |q: Box<dyn Query>| -> Box<dyn Query> { Box::new(BoostQuery::new(q, 0.0)) };
        if kinds.is_empty() && filters.is_empty() {
            return query;
        }
        let kinds: Vec<(Occur, Box<dyn Query>)> = kinds
            .iter()
            .map(|k| {
                (
                    Occur::Should,
                    Box::new(self.kind_query(k)) as Box<dyn Query>,
                )
            })
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
        if !kinds.is_empty() {
            clauses.push((Occur::Must, zero(Box::new(BooleanQuery::new(kinds)))));
        }
        for facets in filters {
            let any: Vec<(Occur, Box<dyn Query>)> = facets
                .iter()
                .map(|f| {
                    let term = Term::from_facet(self.opened.fields.tag, f);
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            clauses.push((Occur::Must, zero(Box::new(BooleanQuery::new(any)))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// `query` restricted to documents of `kinds` (quotes, facts) with the filters on the
    /// documents' own facets (a quote's `/speaker/...`), and the id hashes of the articles that
    /// carry the other filters' tags (player, club, competition), when there are such filters:
    /// quote and fact documents do not repeat their article's tags.
    fn child_query(
        &self,
        searcher: &Searcher,
        query: Box<dyn Query>,
        filters: &[Vec<Facet>],
        kinds: &[&str],
    ) -> Result<(Box<dyn Query>, Option<ArticleIds>), Error> {
        let (own, by_article): (Vec<Vec<Facet>>, Vec<Vec<Facet>>) =
            filters.iter().cloned().partition(|facets| {
                facets
                    .iter()
                    .all(|f| f.to_path().first() == Some(&"speaker"))
            });
        let query = self.with_filters_kinds(query, &own, kinds);
        if by_article.is_empty() {
            return Ok((query, None));
        }
        let articles = self.with_filters(
            Box::new(tantivy::query::AllQuery),
            &by_article,
            super::schema::KIND_ARTICLE,
        );
        let docs = searcher
            .search(&*articles, &tantivy::collector::DocSetCollector)
            .map_err(|e| self.err(e))?;
        let ids = super::id_hashes(searcher, docs).map_err(|e| self.err(e))?;
        Ok((query, Some(Arc::new(ids))))
    }

    /// Run `collector` over the documents of `query` whose article is among `of_articles`
    /// (all of them when `None`), read from the `id_hash` column.
    fn search_children<C>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        of_articles: Option<ArticleIds>,
        collector: C,
    ) -> Result<C::Fruit, Error>
    where
        C: tantivy::collector::Collector + Send + Sync,
    {
        let found = match of_articles {
            None => searcher.search(query, &collector),
            Some(ids) => searcher.search(
                query,
                &tantivy::collector::FilterCollector::new(
                    "id_hash".to_string(),
                    move |h: u64| ids.contains(&h),
                    collector,
                ),
            ),
        };
        found.map_err(|e| self.err(e))
    }

    /// Quotes matching `q` (all quotes without one), best first (newest first without a
    /// query), with their article's metadata.
    pub fn quotes(
        &self,
        q: Option<&str>,
        limit: usize,
        filters: &[Vec<Facet>],
        include_partial: bool,
    ) -> Result<Vec<QuoteHit>, Error> {
        use super::schema::{KIND_PARTIAL_QUOTE, KIND_QUOTE};
        let f = &self.opened.fields;
        let kinds: &[&str] = if include_partial {
            &[KIND_QUOTE, KIND_PARTIAL_QUOTE]
        } else {
            &[KIND_QUOTE]
        };
        let searcher = self.searcher();
        let addresses: Vec<(f32, DocAddress)> = match q {
            Some(q) => {
                // Checked and rewritten like a search (`O'Neill`, positions in messages).
                let parsed = query::parse_fields(&self.opened, q, &[(f.quote, 1.0)])?;
                let (query, of_articles) = self.child_query(&searcher, parsed, filters, kinds)?;
                self.search_children(
                    &searcher,
                    &*query,
                    of_articles,
                    TopDocs::with_limit(limit.max(1)).order_by_score(),
                )?
            }
            None => {
                let (query, of_articles) = self.child_query(
                    &searcher,
                    Box::new(tantivy::query::AllQuery),
                    filters,
                    kinds,
                )?;
                self.search_children(
                    &searcher,
                    &*query,
                    of_articles,
                    TopDocs::with_limit(limit.max(1))
                        .order_by_fast_field::<tantivy::DateTime>("date", tantivy::Order::Desc),
                )?
                .into_iter()
                .map(|(_, a)| (0.0, a))
                .collect()
            }
        };
        let mut articles: HashMap<String, StoredArticle> = HashMap::new();
        let mut out = Vec::new();
        for (score, address) in addresses.into_iter().take(limit) {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.err(e))?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let id = text(f.id).unwrap_or_default();
            self.cache_article(&searcher, &id, &mut articles)?;
            let article = &articles[&id];
            // The quote's words, read back from the article by the stored byte range.
            let quote = tagged_slice(article, &doc, f.span).trim().to_string();
            out.push(QuoteHit {
                score,
                text: quote,
                speaker: text(f.speaker),
                speaker_id: text(f.speaker_id)
                    .or_else(|| text(f.speaker).map(|s| crate::kb::slug(&s))),
                said_to: text(f.said_to),
                partial: doc
                    .get_first(f.kind)
                    .and_then(|v| v.as_str())
                    .is_some_and(|k| k == KIND_PARTIAL_QUOTE),
                article: article.without_body(),
            });
        }
        Ok(out)
    }

    /// Match results from articles carrying the filters' tags, newest article first, each with
    /// its article (no body).
    pub fn facts(&self, limit: usize, filters: &[Vec<Facet>]) -> Result<Vec<FactHit>, Error> {
        let f = &self.opened.fields;
        let searcher = self.searcher();
        let (query, of_articles) = self.child_query(
            &searcher,
            Box::new(tantivy::query::AllQuery),
            filters,
            &[super::schema::KIND_FACT],
        )?;
        let top = self.search_children(
            &searcher,
            &*query,
            of_articles,
            TopDocs::with_limit(limit.max(1))
                .order_by_fast_field::<tantivy::DateTime>("date", tantivy::Order::Desc),
        )?;
        let mut articles: HashMap<String, StoredArticle> = HashMap::new();
        let mut out = Vec::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.err(e))?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let Some(mut fact) = text(f.fact)
                .and_then(|j| serde_json::from_str::<crate::extract::facts::Fact>(&j).ok())
            else {
                continue;
            };
            let id = text(f.id).unwrap_or_default();
            self.cache_article(&searcher, &id, &mut articles)?;
            let article = &articles[&id];
            if fact.evidence.is_empty() {
                // Stored as a byte range of the article.
                fact.evidence = tagged_slice(article, &doc, f.span).to_string();
            }
            out.push(FactHit {
                fact,
                article: article.without_body(),
            });
        }
        Ok(out)
    }

    /// Load the article `id` (without tags) into `cache` unless it is there: quotes and facts
    /// read their words from its body and show its title, date and source.
    fn cache_article(
        &self,
        searcher: &Searcher,
        id: &str,
        cache: &mut HashMap<String, StoredArticle>,
    ) -> Result<(), Error> {
        if cache.contains_key(id) {
            return Ok(());
        }
        let mut a = match self.find(searcher, id)? {
            Some(addr) => {
                let d: TantivyDocument = searcher.doc(addr).map_err(|e| self.err(e))?;
                self.stored(&d)
            }
            None => StoredArticle {
                id: id.to_string(),
                ..StoredArticle::default()
            },
        };
        a.tags.clear();
        cache.insert(id.to_string(), a);
        Ok(())
    }

    /// The stored article with this id.
    pub fn article(&self, id: &str) -> Result<StoredArticle, Error> {
        let searcher = self.searcher();
        let address = self
            .find(&searcher, id)?
            .ok_or_else(|| Error::NoSuchArticle(id.to_string()))?;
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.err(e))?;
        Ok(self.stored(&doc))
    }

    fn find(&self, searcher: &Searcher, id: &str) -> Result<Option<DocAddress>, Error> {
        let term = Term::from_field_u64(self.opened.fields.id_hash, hash64(&[id]));
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let inverted = segment
                .inverted_index(self.opened.fields.id_hash)
                .map_err(|e| self.err(e))?;
            let Some(mut postings) = inverted
                .read_postings(&term, tantivy::schema::IndexRecordOption::Basic)
                .map_err(|e| self.err(e.into()))?
            else {
                continue;
            };
            let marker = segment
                .fast_fields()
                .u64("content_hash")
                .map_err(|e| self.err(e))?;
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if !segment.is_deleted(doc) && marker.first(doc).is_some() {
                    return Ok(Some(DocAddress::new(ord as u32, doc)));
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    fn stored(&self, doc: &TantivyDocument) -> StoredArticle {
        let f = &self.opened.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        StoredArticle {
            id: text(f.id).unwrap_or_default(),
            title: text(f.title).unwrap_or_default(),
            body: text(f.body).unwrap_or_default(),
            url: text(f.url),
            outlet: text(f.outlet),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_datetime())
                .map(|d| format_date(d.into_timestamp_secs())),
            source: text(f.source).unwrap_or_default(),
            line: doc.get_first(f.line).and_then(|v| v.as_u64()),
            tags: text(f.tags)
                .map(|t| super::writer::StoredTag::decode(&t))
                .unwrap_or_default(),
        }
    }

    /// Count the tag facets under `roots` among the documents matching `query`.
    fn count_tags(
        &self,
        query: &dyn Query,
        roots: &[&str],
        top: usize,
    ) -> Result<Vec<TagCounts>, Error> {
        let mut collector = FacetCollector::for_field("tag");
        for r in roots {
            collector.add_facet(Facet::from_path([*r]));
        }
        let counts = self
            .searcher()
            .search(query, &collector)
            .map_err(|e| self.err(e))?;
        Ok(roots
            .iter()
            .map(|r| {
                let list = counts
                    .top_k(Facet::from_path([*r]), top)
                    .into_iter()
                    .map(|(facet, n)| {
                        let id = facet
                            .to_path()
                            .last()
                            .map(|s| s.to_string())
                            .unwrap_or_default();
                        (id, n)
                    })
                    .collect();
                (r.to_string(), list)
            })
            .collect())
    }

    /// Article counts per tag under each facet root (`/player`, `/club`...), most first.
    pub fn tag_counts(&self, roots: &[&str], top: usize) -> Result<Vec<TagCounts>, Error> {
        self.count_tags(&self.kind_query(super::schema::KIND_ARTICLE), roots, top)
    }

    /// Counts, size, outlets and date range (articles only, deletions respected).
    pub fn stats(&self) -> Result<Stats, Error> {
        let searcher = self.searcher();
        let mut stats = Stats {
            size_bytes: super::dir_size(&self.opened.dir),
            segments: searcher.segment_readers().len(),
            ..Stats::default()
        };
        let mut outlets: HashMap<String, u64> = HashMap::new();
        let (mut min, mut max) = (i64::MAX, i64::MIN);
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let marker = ff.u64("content_hash").map_err(|e| self.err(e))?;
            let dates = ff.date("date").map_err(|e| self.err(e))?;
            let outlet_col = ff.str("outlet").map_err(|e| self.err(e))?;
            let mut per_ord: HashMap<u64, u64> = HashMap::new();
            for doc in segment.doc_ids_alive() {
                if marker.first(doc).is_none() {
                    continue;
                }
                stats.articles += 1;
                match dates.first(doc) {
                    Some(d) => {
                        let s = d.into_timestamp_secs();
                        min = min.min(s);
                        max = max.max(s);
                    }
                    None => stats.no_date += 1,
                }
                match outlet_col.as_ref().and_then(|c| c.term_ords(doc).next()) {
                    Some(ord) => *per_ord.entry(ord).or_default() += 1,
                    None => stats.no_outlet += 1,
                }
            }
            if let Some(col) = &outlet_col {
                let mut name = String::new();
                for (ord, n) in per_ord {
                    name.clear();
                    if col.ord_to_str(ord, &mut name).unwrap_or(false) {
                        *outlets.entry(name.clone()).or_default() += n;
                    }
                }
            }
        }
        let mut outlets: Vec<(String, u64)> = outlets.into_iter().collect();
        outlets.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        stats.outlets = outlets;
        if min <= max {
            stats.date_range = Some((format_date(min), format_date(max)));
        }
        Ok(stats)
    }
}

/// The snippet as a quote with its speaker, when the fragment's first match falls inside a
/// quote of the body (`spans`: body byte ranges and speakers). The quote is cut to a window
/// of [`SNIPPET_CHARS`] around the match when longer.
fn in_quote(
    body: &str,
    s: &tantivy::snippet::Snippet,
    spans: &[(usize, usize, String)],
) -> Option<Snippet> {
    let frag_at = body.find(s.fragment())?;
    let first = s.highlighted().first()?;
    let hit = frag_at + first.start;
    let (qs, qe, speaker) = spans
        .iter()
        .find(|(qs, qe, _)| *qs <= hit && hit < *qe && *qe <= body.len())?;
    let (mut ws, mut we) = (*qs, *qe);
    if we - ws > SNIPPET_CHARS {
        ws = hit.saturating_sub(SNIPPET_CHARS / 3).max(*qs);
        we = (ws + SNIPPET_CHARS).min(*qe);
    }
    while !body.is_char_boundary(ws) {
        ws -= 1;
    }
    while !body.is_char_boundary(we) {
        we += 1;
    }
    let open = if ws > *qs { "“…" } else { "“" };
    let close = if we < *qe { "…”" } else { "”" };
    let text = format!("{open}{}{close}", &body[ws..we]);
    let highlights = s
        .highlighted()
        .iter()
        .map(|r| (frag_at + r.start, frag_at + r.end))
        .filter(|&(a, b)| a >= ws && b <= we)
        .map(|(a, b)| (a - ws + open.len())..(b - ws + open.len()))
        .collect();
    Some(Snippet {
        text,
        highlights,
        speaker: Some(speaker.clone()),
    })
}

/// `YYYY-MM-DD` of a Unix time.
/// The part of `article`'s tagged text (title, blank line, body) in the byte range stored
/// in `doc`'s `span` field (a quote's words, a fact's evidence); empty when there is none.
fn tagged_slice<'a>(
    article: &'a StoredArticle,
    doc: &TantivyDocument,
    span: tantivy::schema::Field,
) -> std::borrow::Cow<'a, str> {
    let range: Vec<usize> = doc
        .get_all(span)
        .filter_map(|v| v.as_u64())
        .map(|v| v as usize)
        .collect();
    let [start, end] = range[..] else {
        return "".into();
    };
    let body_at = crate::extract::body_offset(&article.title);
    let part = if start >= body_at {
        article
            .body
            .get(start - body_at..end.saturating_sub(body_at))
    } else if end <= article.title.len() {
        article.title.get(start..end)
    } else {
        let text = crate::extract::tagged_text(&article.title, &article.body);
        return text.get(start..end).unwrap_or("").to_string().into();
    };
    part.unwrap_or("").into()
}

fn format_date(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The first `max` characters of a text, cut at a word boundary.
fn lead(text: &str, max: usize) -> String {
    let flat = crate::source::collapse_ws(text);
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) => cut[..i].to_string(),
        None => cut,
    }
}
