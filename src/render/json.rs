//! The JSON wire types: the documented, versioned schema of every `--json`/`--jsonl` output.
//! Changing a field here is a change to the public contract (README, "JSON output").

use serde::Serialize;

use crate::index::reader::{Hit, Stats, StoredArticle};

/// Version of the JSON output schema, carried by every JSON document and JSON line.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// `search --json`.
#[derive(Debug, Serialize)]
pub struct SearchOutput<'a> {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The query as given.
    pub query: &'a str,
    /// Hits, best first.
    pub hits: Vec<HitJson<'a>>,
}

impl<'a> SearchOutput<'a> {
    /// The document for `hits` of `query`, ranked from `first_rank`.
    pub fn new(query: &'a str, hits: &'a [Hit], first_rank: usize) -> SearchOutput<'a> {
        SearchOutput {
            schema_version: JSON_SCHEMA_VERSION,
            query,
            hits: hits
                .iter()
                .enumerate()
                .map(|(i, h)| HitJson::new(first_rank + i, h, None))
                .collect(),
        }
    }
}

/// One hit (also one line of `search --jsonl`).
#[derive(Debug, Serialize)]
pub struct HitJson<'a> {
    /// [`JSON_SCHEMA_VERSION`] (on JSON lines only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<u32>,
    /// The query (on JSON lines only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<&'a str>,
    /// 1-based rank.
    pub rank: usize,
    /// BM25 score.
    pub score: f32,
    /// Article id (for `show` and `rm`).
    pub id: &'a str,
    /// Headline.
    pub title: &'a str,
    /// `YYYY-MM-DD` or null.
    pub date: Option<&'a str>,
    /// Publisher or null.
    pub outlet: Option<&'a str>,
    /// URL or null.
    pub url: Option<&'a str>,
    /// Source file.
    pub source: &'a str,
    /// Line in the source (JSON Lines) or null.
    pub line: Option<u64>,
    /// Players, managers, clubs and competitions the article mentions.
    pub tags: &'a [crate::index::writer::StoredTag],
    /// Best fragment of the body.
    pub snippet: SnippetJson<'a>,
}

/// A snippet with its highlighted ranges.
#[derive(Debug, Serialize)]
pub struct SnippetJson<'a> {
    /// The fragment.
    pub text: &'a str,
    /// Matched terms as `[start, end)` offsets in Unicode characters (code points) of `text`.
    pub highlights: Vec<[usize; 2]>,
    /// When the match is inside a quote, `text` is (part of) the quote and this names its
    /// speaker; otherwise null.
    pub speaker: Option<&'a str>,
}

impl<'a> HitJson<'a> {
    /// Wire form of a hit; `line_meta` adds the schema version and query (for JSON Lines).
    pub fn new(rank: usize, hit: &'a Hit, line_meta: Option<&'a str>) -> HitJson<'a> {
        let a = &hit.article;
        HitJson {
            schema_version: line_meta.map(|_| JSON_SCHEMA_VERSION),
            query: line_meta,
            rank,
            score: hit.score,
            id: &a.id,
            title: &a.title,
            date: a.date.as_deref(),
            outlet: a.outlet.as_deref(),
            url: a.url.as_deref(),
            source: &a.source,
            line: a.line,
            tags: &a.tags,
            snippet: SnippetJson {
                text: &hit.snippet.text,
                highlights: hit
                    .snippet
                    .highlights
                    .iter()
                    .filter_map(|r| char_range(&hit.snippet.text, r))
                    .collect(),
                speaker: hit.snippet.speaker.as_deref(),
            },
        }
    }
}

/// Byte range to character range (None if it does not fall on character boundaries).
fn char_range(text: &str, r: &std::ops::Range<usize>) -> Option<[usize; 2]> {
    let start = text.get(..r.start)?.chars().count();
    let len = text.get(r.start..r.end)?.chars().count();
    Some([start, start + len])
}

/// `show --json`.
#[derive(Debug, Serialize)]
pub struct ArticleJson<'a> {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Article id.
    pub id: &'a str,
    /// Headline.
    pub title: &'a str,
    /// `YYYY-MM-DD` or null.
    pub date: Option<&'a str>,
    /// Publisher or null.
    pub outlet: Option<&'a str>,
    /// URL or null.
    pub url: Option<&'a str>,
    /// Source file.
    pub source: &'a str,
    /// Line in the source or null.
    pub line: Option<u64>,
    /// Players, managers, clubs and competitions the article mentions.
    pub tags: &'a [crate::index::writer::StoredTag],
    /// Cleaned body.
    pub body: &'a str,
}

impl<'a> From<&'a StoredArticle> for ArticleJson<'a> {
    fn from(a: &'a StoredArticle) -> Self {
        ArticleJson {
            schema_version: JSON_SCHEMA_VERSION,
            id: &a.id,
            title: &a.title,
            date: a.date.as_deref(),
            outlet: a.outlet.as_deref(),
            url: a.url.as_deref(),
            source: &a.source,
            line: a.line,
            tags: &a.tags,
            body: &a.body,
        }
    }
}

/// `stats --json`.
#[derive(Debug, Serialize)]
pub struct StatsJson<'a> {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Index directory.
    pub index: &'a str,
    /// Articles.
    pub articles: u64,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// Segments.
    pub segments: usize,
    /// Outlets, most articles first.
    pub outlets: Vec<OutletJson<'a>>,
    /// Articles without an outlet.
    pub no_outlet: u64,
    /// Earliest date or null.
    pub first_date: Option<&'a str>,
    /// Latest date or null.
    pub last_date: Option<&'a str>,
    /// Articles without a date.
    pub no_date: u64,
}

/// One outlet and its count.
#[derive(Debug, Serialize)]
pub struct OutletJson<'a> {
    /// Outlet name.
    pub outlet: &'a str,
    /// Articles.
    pub articles: u64,
}

impl<'a> StatsJson<'a> {
    /// Wire form of the statistics.
    pub fn new(index: &'a str, s: &'a Stats) -> StatsJson<'a> {
        StatsJson {
            schema_version: JSON_SCHEMA_VERSION,
            index,
            articles: s.articles,
            size_bytes: s.size_bytes,
            segments: s.segments,
            outlets: s
                .outlets
                .iter()
                .map(|(o, n)| OutletJson {
                    outlet: o,
                    articles: *n,
                })
                .collect(),
            no_outlet: s.no_outlet,
            first_date: s.date_range.as_ref().map(|r| r.0.as_str()),
            last_date: s.date_range.as_ref().map(|r| r.1.as_str()),
            no_date: s.no_date,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_ranges_count_code_points() {
        let t = "Núñez scored";
        let start = t.find("scored").unwrap();
        assert_eq!(char_range(t, &(start..start + 6)), Some([6, 12]));
        assert_eq!(char_range(t, &(2..3)), None);
    }
}

/// One article's extraction (`extract --json`), the evaluation contract of
/// `../shared/eval/README.md` plus ids, roles and mention offsets.
#[derive(Debug, Serialize)]
pub struct ExtractionJson<'a> {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The file the article came from (`path` or `path:line` for JSON Lines).
    pub source: String,
    /// Article id.
    pub id: &'a str,
    /// Headline.
    pub title: &'a str,
    /// Players.
    pub players: Vec<EntityJson<'a>>,
    /// Managers and head coaches.
    pub managers: Vec<EntityJson<'a>>,
    /// Clubs and national teams.
    pub clubs: Vec<EntityJson<'a>>,
    /// Competitions.
    pub competitions: Vec<EntityJson<'a>>,
    /// Direct quotes (partial ones, under four words or scare quotes, flagged).
    pub quotes: Vec<QuoteJson<'a>>,
    /// Match results.
    pub facts: Vec<FactJson<'a>>,
}

/// A match result.
#[derive(Debug, Serialize)]
pub struct FactJson<'a> {
    /// First team `{"name", "id"}`.
    pub home: SpeakerJson<'a>,
    /// Second team.
    pub away: SpeakerJson<'a>,
    /// Goals of `home`.
    pub home_score: u32,
    /// Goals of `away`.
    pub away_score: u32,
    /// Competition named with it, or null.
    pub competition: Option<&'a str>,
    /// The sentence it was read from.
    pub evidence: &'a str,
    /// Byte range of the score in title + "\n\n" + body.
    pub offsets: (usize, usize),
    /// 0-1.
    pub confidence: f32,
    /// Stage or null.
    pub stage: Option<&'a str>,
    /// Venue or null.
    pub venue: Option<&'a str>,
    /// Goalscorers: `{"name", "goals", "minutes", "penalty", "own_goal"}`.
    pub scorers: &'a [crate::extract::details::Scorer],
    /// Match date (`YYYY-MM-DD` or `YYYY`) or null.
    pub date: Option<&'a str>,
    /// Aggregate stated with it ("6-2") or null.
    pub aggregate: Option<&'a str>,
    /// Shoot-out stated with it ("3-2") or null.
    pub penalties: Option<&'a str>,
    /// Played to extra time.
    pub extra_time: bool,
}

impl<'a> From<&'a crate::extract::facts::Fact> for FactJson<'a> {
    fn from(f: &'a crate::extract::facts::Fact) -> Self {
        FactJson {
            home: SpeakerJson {
                name: &f.home,
                id: Some(&f.home_id),
            },
            away: SpeakerJson {
                name: &f.away,
                id: Some(&f.away_id),
            },
            home_score: f.home_score,
            away_score: f.away_score,
            competition: f.competition.as_deref(),
            evidence: &f.evidence,
            offsets: (f.start, f.end),
            confidence: f.confidence,
            stage: f.stage.as_deref(),
            venue: f.venue.as_deref(),
            scorers: &f.scorers,
            date: f.date.as_deref(),
            aggregate: f.aggregate.as_deref(),
            penalties: f.penalties.as_deref(),
            extra_time: f.extra_time,
        }
    }
}

/// A direct quote.
#[derive(Debug, Serialize)]
pub struct QuoteJson<'a> {
    /// The quoted words.
    pub text: &'a str,
    /// `{"name", "id"}` (id null for people the tagger did not tag), or null when the text
    /// does not say who spoke.
    pub speaker: Option<SpeakerJson<'a>>,
    /// Where it was said ("the ECHO"), or null.
    pub said_to: Option<&'a str>,
    /// Under four words or a scare quote.
    pub partial: bool,
    /// Byte range in title + "\n\n" + body.
    pub offsets: (usize, usize),
}

/// Who said a quote.
#[derive(Debug, Serialize)]
pub struct SpeakerJson<'a> {
    /// Canonical name (or as written).
    pub name: &'a str,
    /// Tag id, or null.
    pub id: Option<&'a str>,
}

impl<'a> From<&'a crate::extract::quotes::Quote> for QuoteJson<'a> {
    fn from(q: &'a crate::extract::quotes::Quote) -> Self {
        QuoteJson {
            text: &q.text,
            speaker: q.speaker.as_deref().map(|name| SpeakerJson {
                name,
                id: q.speaker_id.as_deref(),
            }),
            said_to: q.said_to.as_deref(),
            partial: q.partial,
            offsets: (q.start, q.end),
        }
    }
}

/// A tagged entity.
#[derive(Debug, Serialize)]
pub struct EntityJson<'a> {
    /// Canonical name.
    pub name: &'a str,
    /// Knowledge-base id.
    pub id: &'a str,
    /// Mentions in the article.
    pub count: usize,
    /// Byte ranges of the mentions in title + "\n\n" + body.
    pub offsets: &'a [(usize, usize)],
}

impl<'a> ExtractionJson<'a> {
    /// Wire form of an extraction.
    pub fn new(
        article: &'a crate::source::Article,
        ex: &'a crate::extract::Extraction,
    ) -> ExtractionJson<'a> {
        use crate::extract::Role;
        let of = |role: Role| -> Vec<EntityJson<'a>> {
            ex.tags
                .iter()
                .filter(|t| t.role == role)
                .map(|t| EntityJson {
                    name: &t.name,
                    id: &t.id,
                    count: t.mentions.len(),
                    offsets: &t.mentions,
                })
                .collect()
        };
        let source = match article.line {
            Some(l) => format!("{}:{l}", article.source.display()),
            None => article.source.display().to_string(),
        };
        ExtractionJson {
            schema_version: JSON_SCHEMA_VERSION,
            source,
            id: &article.id,
            title: &article.title,
            players: of(Role::Player),
            managers: of(Role::Manager),
            clubs: of(Role::Club),
            competitions: of(Role::Competition),
            quotes: ex.quotes.iter().map(QuoteJson::from).collect(),
            facts: ex.facts.iter().map(FactJson::from).collect(),
        }
    }
}

/// `quotes --json`.
#[derive(Debug, Serialize)]
pub struct QuotesOutput<'a> {
    /// [`JSON_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The query, or null.
    pub query: Option<&'a str>,
    /// Quotes, best (or newest) first.
    pub quotes: Vec<QuoteHitJson<'a>>,
}

/// One quote found in the index (also one line of `quotes --jsonl`).
#[derive(Debug, Serialize)]
pub struct QuoteHitJson<'a> {
    /// [`JSON_SCHEMA_VERSION`] (on JSON lines only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<u32>,
    /// The query (on JSON lines only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<&'a str>,
    /// The quoted words.
    pub text: &'a str,
    /// `{"name", "id"}` or null.
    pub speaker: Option<SpeakerJson<'a>>,
    /// Where it was said, or null.
    pub said_to: Option<&'a str>,
    /// Under four words or a scare quote.
    pub partial: bool,
    /// BM25 score of the words (0 without a query).
    pub score: f32,
    /// The article: id, title, date, outlet, url, source, line.
    pub article: ArticleRefJson<'a>,
}

/// The article a quote or fact comes from.
#[derive(Debug, Serialize)]
pub struct ArticleRefJson<'a> {
    /// Article id.
    pub id: &'a str,
    /// Headline.
    pub title: &'a str,
    /// `YYYY-MM-DD` or null.
    pub date: Option<&'a str>,
    /// Publisher or null.
    pub outlet: Option<&'a str>,
    /// URL or null.
    pub url: Option<&'a str>,
    /// Source file.
    pub source: &'a str,
    /// Line or null.
    pub line: Option<u64>,
}

impl<'a> From<&'a StoredArticle> for ArticleRefJson<'a> {
    fn from(a: &'a StoredArticle) -> Self {
        ArticleRefJson {
            id: &a.id,
            title: &a.title,
            date: a.date.as_deref(),
            outlet: a.outlet.as_deref(),
            url: a.url.as_deref(),
            source: &a.source,
            line: a.line,
        }
    }
}

impl<'a> QuoteHitJson<'a> {
    /// Wire form; `line_query` adds the schema version and query (JSON Lines).
    pub fn new(q: &'a crate::index::reader::QuoteHit, line_query: Option<&'a str>) -> Self {
        QuoteHitJson {
            schema_version: line_query.map(|_| JSON_SCHEMA_VERSION),
            query: line_query,
            text: &q.text,
            speaker: q.speaker.as_deref().map(|name| SpeakerJson {
                name,
                id: q.speaker_id.as_deref(),
            }),
            said_to: q.said_to.as_deref(),
            partial: q.partial,
            score: q.score,
            article: ArticleRefJson::from(&q.article),
        }
    }
}
