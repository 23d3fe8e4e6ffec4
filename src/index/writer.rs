//! Writing articles: upsert by id (delete and add in one commit), unchanged detection by
//! content hash, removal of articles a re-read file no longer holds, durable commits.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

use super::schema::{hash64, KIND_ARTICLE, KIND_FACT, KIND_PARTIAL_QUOTE, KIND_QUOTE};
use super::{sync_dir, tantivy_error, Opened};
use crate::error::Error;
use crate::extract::Extraction;
use crate::source::Article;

/// Bump when extraction changes what is indexed for the same text, so `add` re-extracts.
const EXTRACT_VERSION: &str = "4";

/// A tag as stored with its article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredTag {
    /// Entity id (facet path component).
    pub id: String,
    /// Display name.
    pub name: String,
    /// `player`, `manager`, `club` or `competition`.
    pub role: String,
    /// Mentions in the article.
    pub count: usize,
}

/// Roles and the letters that stand for them in [`StoredTag::encode`].
const ROLE_CODES: [(&str, char); 4] = [
    ("player", 'p'),
    ("manager", 'm'),
    ("club", 'c'),
    ("competition", 't'),
];

impl StoredTag {
    /// The stored form of an article's tags, one line per tag: the role's letter and the
    /// mention count, a tab, the name, and a tab and the id only when it is not the name's
    /// slug (rare). Under half the bytes of the same tags as JSON.
    pub fn encode(tags: &[StoredTag]) -> String {
        let mut out = String::new();
        for t in tags {
            if !out.is_empty() {
                out.push('\n');
            }
            let code = ROLE_CODES
                .iter()
                .find(|(role, _)| *role == t.role)
                .map_or('?', |&(_, c)| c);
            let name = t.name.replace(['\t', '\n'], " ");
            out.push(code);
            out.push_str(&t.count.to_string());
            out.push('\t');
            out.push_str(&name);
            if crate::kb::slug(&name) != t.id || code == '?' {
                out.push('\t');
                out.push_str(&t.id.replace(['\t', '\n'], " "));
            }
            if code == '?' {
                out.push('\t');
                out.push_str(&t.role.replace(['\t', '\n'], " "));
            }
        }
        out
    }

    /// Read [`StoredTag::encode`]'s form back; a malformed line is skipped.
    pub fn decode(stored: &str) -> Vec<StoredTag> {
        stored
            .lines()
            .filter_map(|line| {
                let mut parts = line.split('\t');
                let head = parts.next()?;
                let code = head.chars().next()?;
                let count = head[code.len_utf8()..].parse().ok()?;
                let name = parts.next()?.to_string();
                let id = parts
                    .next()
                    .map_or_else(|| crate::kb::slug(&name), str::to_string);
                let role = match ROLE_CODES.iter().find(|&&(_, c)| c == code) {
                    Some((role, _)) => role.to_string(),
                    None => parts.next()?.to_string(),
                };
                Some(StoredTag {
                    id,
                    name,
                    role,
                    count,
                })
            })
            .collect()
    }
}

/// What happened to one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// New to the index.
    Added,
    /// Replaced an older version.
    Updated,
    /// Already indexed with the same content.
    Unchanged,
}

/// The single writer of an index for one run.
pub struct Writer {
    opened: Opened,
    writer: IndexWriter,
    /// The index as it was when the run started: where existing articles are looked up.
    before: Searcher,
    /// id hash → content hash of the articles written in this run.
    this_run: HashMap<u64, u64>,
    /// Documents added since the last commit.
    pending: usize,
    /// Fingerprint of the knowledge base the extractions come from.
    kb_fingerprint: u64,
    /// Tells the merge policy the run is finishing (see `merge.rs`).
    finishing: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The last source path seen, its stored form and facet: the articles of a JSON Lines
    /// file share them, and resolving the path asks the file system each time.
    last_source: Option<(PathBuf, PathBuf, Facet)>,
}

/// Mentions of one entity counted in its `entity` term frequency (more add nothing to BM25).
const MAX_ENTITY_FREQ: usize = 32;

/// Writer memory budget in bytes, shared by its threads. 128 MB indexed 100,000 articles as
/// fast as 256 MB did (77 s against 85 s) with less resident memory.
const WRITER_BUDGET: usize = 128 * 1024 * 1024;

/// Input under this size is indexed by one thread, into one segment: a second thread saves
/// nothing measurable on a handful of articles and would leave a second segment. Larger input
/// gets a thread per core, each writing its own segment (see `merge.rs` for why those are not
/// merged at once). `add` of the first 700 lines of the 2023-24 file (5.6 MB), 6 interleaved
/// runs each: 0.34-0.37 s with two threads, 0.39-0.41 s with one.
pub const ONE_THREAD_INPUT_BYTES: u64 = 1024 * 1024;

impl Writer {
    /// Take the index's writer lock; when another process holds it, fail with
    /// [`Error::IndexBusy`] or, with `wait`, retry until it is free.
    /// `input_bytes` is the size of what this run will add, when known (see
    /// [`ONE_THREAD_INPUT_BYTES`]).
    pub fn open(
        opened: Opened,
        wait: bool,
        kb_fingerprint: u64,
        input_bytes: Option<u64>,
    ) -> Result<Writer, Error> {
        let threads = match input_bytes {
            Some(n) if n < ONE_THREAD_INPUT_BYTES => 1,
            _ => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .clamp(1, 8),
        };
        let options = tantivy::indexer::IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread((WRITER_BUDGET / threads).max(20_000_000))
            // Each merge reads at most MAX_MERGE_INPUT_BYTES (see merge.rs).
            .num_merge_threads(super::merge::MERGE_THREADS)
            .build();
        let writer = loop {
            match opened.index.writer_with_options(options.clone()) {
                Ok(w) => break w,
                Err(e) => {
                    let err = tantivy_error(&opened.dir, e);
                    if wait && matches!(err, Error::IndexBusy(_)) {
                        std::thread::sleep(Duration::from_millis(200));
                        continue;
                    }
                    return Err(err);
                }
            }
        };
        let policy = super::merge::BoundedMergePolicy::new(
            opened.dir.clone(),
            super::merge::MAX_MERGE_INPUT_BYTES,
            threads.min(super::merge::MAX_KEPT_SEGMENTS),
        );
        let finishing = policy.finishing();
        writer.set_merge_policy(Box::new(policy));
        // A killed run can leave files no commit refers to. A delete bitset among them is
        // named after its segment and an opstamp this run may reach again, and tantivy will
        // not overwrite it ("File already exists"), which failed every rerun: remove them
        // before writing anything.
        writer
            .garbage_collect_files()
            .wait()
            .map_err(|e| tantivy_error(&opened.dir, e))?;
        let reader = opened
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| tantivy_error(&opened.dir, e))?;
        let before = reader.searcher();
        Ok(Writer {
            opened,
            writer,
            before,
            this_run: HashMap::new(),
            pending: 0,
            finishing,
            kb_fingerprint,
            last_source: None,
        })
    }

    /// The index as it was when this run began, for the reading threads: tells which
    /// articles are unchanged before anyone extracts them.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            searcher: self.before.clone(),
            id_hash: self.opened.fields.id_hash,
            dir: self.opened.dir.clone(),
            kb_fingerprint: self.kb_fingerprint,
        }
    }

    /// Count an article that [`Snapshot::unchanged`] found in the index with `content_hash`,
    /// without its extraction. False when this run already wrote another version of it: the
    /// caller must then extract it and [`Writer::upsert`] it.
    pub fn keep_unchanged(&mut self, article: &Article, content_hash: u64) -> bool {
        let id_hash = hash64(&[&article.id]);
        // The snapshot is `self.before`: only this run's writes can differ from it.
        let same = self
            .this_run
            .get(&id_hash)
            .is_none_or(|&h| h == content_hash);
        if same {
            self.this_run.insert(id_hash, content_hash);
        }
        same
    }

    /// Add or replace one article with what was extracted from it.
    pub fn upsert(&mut self, article: &Article, extraction: &Extraction) -> Result<Upsert, Error> {
        let f = &self.opened.fields;
        let id_hash = hash64(&[&article.id]);
        let content_hash = content_hash(article, self.kb_fingerprint);
        let previous = match self.this_run.get(&id_hash) {
            Some(h) => Some(*h),
            None => self.indexed_content_hash(id_hash)?,
        };
        if previous == Some(content_hash) {
            self.this_run.insert(id_hash, content_hash);
            return Ok(Upsert::Unchanged);
        }
        if previous.is_some() {
            self.writer
                .delete_term(Term::from_field_u64(f.id_hash, id_hash));
        }
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, KIND_ARTICLE);
        doc.add_text(f.id, &article.id);
        doc.add_u64(f.id_hash, id_hash);
        doc.add_u64(f.content_hash, content_hash);
        doc.add_text(f.title, &article.title);
        doc.add_text(f.body, &extraction.body);
        if let Some(url) = &article.url {
            doc.add_text(f.url, url);
        }
        if let Some(outlet) = &article.outlet {
            doc.add_text(f.outlet, outlet);
        }
        if let Some(date) = article.published {
            doc.add_date(
                f.date,
                tantivy::DateTime::from_timestamp_secs(date.timestamp()),
            );
        }
        let (source, facet) = match &self.last_source {
            Some((path, key, facet)) if *path == article.source => (key, facet),
            _ => {
                let key = source_key(&article.source);
                let facet = source_facet(&key);
                let (_, key, facet) = self
                    .last_source
                    .insert((article.source.clone(), key, facet));
                (&*key, &*facet)
            }
        };
        doc.add_text(f.source, source.to_string_lossy());
        doc.add_facet(f.source_path, facet.clone());
        if let Some(line) = article.line {
            doc.add_u64(f.line, line);
        }
        let mut stored_tags = Vec::with_capacity(extraction.tags.len());
        for t in &extraction.tags {
            doc.add_facet(f.tag, Facet::from_path([t.role.as_str(), t.id.as_str()]));
            stored_tags.push(StoredTag {
                id: t.id.clone(),
                name: t.name.clone(),
                role: t.role.as_str().to_string(),
                count: t.mentions.len(),
            });
        }
        doc.add_text(f.tags, StoredTag::encode(&stored_tags));
        // Quotes with their speakers, in body offsets (the tagged text is title, blank line, body).
        let body_at = crate::extract::body_offset(&article.title);
        let spans: Vec<(usize, usize, &str)> = extraction
            .quotes
            .iter()
            .filter(|q| !q.partial && q.start >= body_at)
            .filter_map(|q| Some((q.start - body_at, q.end - body_at, q.speaker.as_deref()?)))
            .collect();
        if !spans.is_empty() {
            if let Ok(json) = serde_json::to_string(&spans) {
                doc.add_text(f.quote_spans, json);
            }
        }
        for t in &extraction.tags {
            let token = super::schema::entity_token(t.role.as_str(), &t.id);
            for _ in 0..t.mentions.len().clamp(1, MAX_ENTITY_FREQ) {
                doc.add_text(f.entity, &token);
            }
        }
        // Quote and fact documents: tied to the article by its id hash (filters by player,
        // club and competition go through the article's tags), with its date to sort by.
        let child = |kind: &str| {
            let mut d = TantivyDocument::default();
            d.add_text(f.kind, kind);
            d.add_text(f.id, &article.id);
            d.add_u64(f.id_hash, id_hash);
            if let Some(date) = article.published {
                d.add_date(
                    f.date,
                    tantivy::DateTime::from_timestamp_secs(date.timestamp()),
                );
            }
            d
        };
        let mut quote_docs = Vec::with_capacity(extraction.quotes.len() + extraction.facts.len());
        for q in &extraction.quotes {
            let mut qd = child(if q.partial {
                KIND_PARTIAL_QUOTE
            } else {
                KIND_QUOTE
            });
            qd.add_text(f.quote, &q.text);
            qd.add_u64(f.span, q.start as u64);
            qd.add_u64(f.span, q.end as u64);
            if let Some(s) = &q.speaker {
                let slug = crate::kb::slug(s);
                qd.add_text(f.speaker, s);
                // Stored only when it is not the name's slug (the reader derives that).
                let sid = q.speaker_id.as_deref().unwrap_or(&slug);
                if sid != slug {
                    qd.add_text(f.speaker_id, sid);
                }
                qd.add_facet(f.tag, Facet::from_path(["speaker", sid]));
            }
            if let Some(t) = &q.said_to {
                qd.add_text(f.said_to, t);
            }
            quote_docs.push(qd);
        }
        for fact in &extraction.facts {
            let mut fd = child(KIND_FACT);
            // The evidence sentence is stored as its byte range in the tagged text (the article
            // holds the words).
            let mut stored = fact.clone();
            if !fact.evidence.is_empty() {
                stored.evidence.clear();
                fd.add_u64(f.span, fact.evidence_start as u64);
                fd.add_u64(f.span, (fact.evidence_start + fact.evidence.len()) as u64);
            }
            if let Ok(json) = serde_json::to_string(&stored) {
                fd.add_text(f.fact, json);
            }
            quote_docs.push(fd);
        }
        self.writer
            .add_document(doc)
            .map_err(|e| tantivy_error(&self.opened.dir, e))?;
        for qd in quote_docs {
            self.writer
                .add_document(qd)
                .map_err(|e| tantivy_error(&self.opened.dir, e))?;
        }
        self.this_run.insert(id_hash, content_hash);
        self.pending += 1;
        Ok(if previous.is_some() {
            Upsert::Updated
        } else {
            Upsert::Added
        })
    }

    /// The content hash of the article with this id hash in the index as it was, if any.
    fn indexed_content_hash(&self, id_hash: u64) -> Result<Option<u64>, Error> {
        indexed_content_hash(
            &self.before,
            self.opened.fields.id_hash,
            &self.opened.dir,
            id_hash,
        )
    }

    /// After every article of `source` was read cleanly: remove the articles the index held
    /// from it that it no longer contains. Returns how many were removed.
    pub fn remove_stale(&mut self, source: &Path, kept: &HashSet<u64>) -> Result<usize, Error> {
        let key = source_key(source);
        let existing = self.id_hashes_under(&key)?;
        let mut removed = 0;
        for id_hash in existing.difference(kept) {
            if self.this_run.contains_key(id_hash) {
                continue;
            }
            self.writer
                .delete_term(Term::from_field_u64(self.opened.fields.id_hash, *id_hash));
            removed += 1;
        }
        Ok(removed)
    }

    /// Id hashes of the articles (in the index as it was) read from `key` or below it.
    fn id_hashes_under(&self, key: &Path) -> Result<HashSet<u64>, Error> {
        let f = &self.opened.fields;
        let query = TermQuery::new(
            Term::from_facet(f.source_path, &source_facet(key)),
            IndexRecordOption::Basic,
        );
        let docs = self
            .before
            .search(&query, &DocSetCollector)
            .map_err(|e| tantivy_error(&self.opened.dir, e))?;
        super::id_hashes(&self.before, docs).map_err(|e| tantivy_error(&self.opened.dir, e))
    }

    /// Documents added since the last commit.
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Make everything written so far durable and visible: tantivy's commit, then an fsync
    /// of the index directory.
    pub fn commit(&mut self) -> Result<(), Error> {
        self.writer
            .commit()
            .map_err(|e| tantivy_error(&self.opened.dir, e))?;
        sync_dir(&self.opened.dir).map_err(|e| Error::Index {
            path: self.opened.dir.clone(),
            message: format!("fsync failed: {e}"),
        })?;
        self.pending = 0;
        Ok(())
    }

    /// Commit, then merge what the merge policy leaves small (a second, empty commit makes
    /// it look again) and wait for the merges.
    pub fn finish(mut self) -> Result<(), Error> {
        self.commit()?;
        crate::memory::release_free_memory();
        self.finishing
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.commit()?;
        let dir = self.opened.dir.clone();
        self.writer
            .wait_merging_threads()
            .map_err(|e| tantivy_error(&dir, e))
    }

    /// Delete every document of the articles with these ids; returns the ids not found.
    pub fn remove_ids(&mut self, ids: &[String]) -> Result<Vec<String>, Error> {
        let mut missing = Vec::new();
        for id in ids {
            let id_hash = hash64(&[id]);
            if self.indexed_content_hash(id_hash)?.is_none() {
                missing.push(id.clone());
                continue;
            }
            self.writer
                .delete_term(Term::from_field_u64(self.opened.fields.id_hash, id_hash));
        }
        Ok(missing)
    }

    /// Delete every article read from `path` or from files under it; returns how many.
    pub fn remove_source(&mut self, path: &Path) -> Result<usize, Error> {
        let key = source_key(path);
        let found = self.id_hashes_under(&key)?;
        // By article id, so the quotes and facts extracted from each article go with it.
        for id_hash in &found {
            self.writer
                .delete_term(Term::from_field_u64(self.opened.fields.id_hash, *id_hash));
        }
        Ok(found.len())
    }
}

/// The content hash of the article with this id hash in `searcher`'s index, if any.
fn indexed_content_hash(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    dir: &std::path::Path,
    id_hash: u64,
) -> Result<Option<u64>, Error> {
    let term = Term::from_field_u64(field, id_hash);
    for segment in searcher.segment_readers() {
        let inverted = segment
            .inverted_index(field)
            .map_err(|e| tantivy_error(dir, e))?;
        let Some(mut postings) = inverted
            .read_postings(&term, IndexRecordOption::Basic)
            .map_err(|e| tantivy_error(dir, e.into()))?
        else {
            continue;
        };
        let column = segment
            .fast_fields()
            .u64("content_hash")
            .map_err(|e| tantivy_error(dir, e))?;

        use tantivy::DocSet;
        let mut doc = postings.doc();
        while doc != tantivy::TERMINATED {
            if !segment.is_deleted(doc) {
                if let Some(h) = column.first(doc) {
                    return Ok(Some(h));
                }
            }
            doc = postings.advance();
        }
    }
    Ok(None)
}

/// The index as a run found it, shared with the reading threads (see [`Writer::snapshot`]).
#[derive(Clone)]
pub struct Snapshot {
    searcher: Searcher,
    id_hash: tantivy::schema::Field,
    dir: std::path::PathBuf,
    kb_fingerprint: u64,
}

impl Snapshot {
    /// The article's content hash when the index already holds it with the same text,
    /// metadata and knowledge base (extracting it again would change nothing); else `None`.
    pub fn unchanged(&self, article: &Article) -> Option<u64> {
        let id_hash = hash64(&[&article.id]);
        let indexed = indexed_content_hash(&self.searcher, self.id_hash, &self.dir, id_hash);
        let hash = indexed.ok().flatten()?;
        (hash == content_hash(article, self.kb_fingerprint)).then_some(hash)
    }
}

fn content_hash(article: &Article, kb_fingerprint: u64) -> u64 {
    let date = article
        .published
        .map(|d| d.timestamp().to_string())
        .unwrap_or_default();
    hash64(&[
        EXTRACT_VERSION,
        &kb_fingerprint.to_string(),
        &article.title,
        &article.body,
        article.url.as_deref().unwrap_or(""),
        &date,
        article.outlet.as_deref().unwrap_or(""),
    ])
}

/// The form a source path is stored under: absolute, symlinks resolved when it exists,
/// `.` and `..` removed otherwise. Stdin stays `-`.
pub fn source_key(path: &Path) -> PathBuf {
    if path == Path::new("-") {
        return path.to_path_buf();
    }
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn source_facet(key: &Path) -> Facet {
    let parts: Vec<String> = key
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        return Facet::from_path(["-"]);
    }
    Facet::from_path(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_key_normalises_missing_paths() {
        let k = source_key(Path::new("/no/such/../dir/./a.txt"));
        assert_eq!(k, PathBuf::from("/no/dir/a.txt"));
        assert_eq!(source_key(Path::new("-")), PathBuf::from("-"));
    }

    #[test]
    fn source_facet_has_one_level_per_component() {
        assert_eq!(
            source_facet(Path::new("/a/b c/d.txt")).to_path(),
            ["a", "b c", "d.txt"]
        );
        assert_eq!(source_facet(Path::new("-")).to_path(), ["-"]);
    }

    fn tag(role: &str, id: &str, name: &str, count: usize) -> StoredTag {
        StoredTag {
            id: id.into(),
            name: name.into(),
            role: role.into(),
            count,
        }
    }

    #[test]
    fn stored_tags_read_back_as_written() {
        let tags = vec![
            tag("player", "darwin-nunez", "Darwin Núñez", 3),
            // An id that is not the name's slug is stored with it.
            tag("club", "liverpool", "Liverpool FC", 1),
            tag("manager", "jurgen-klopp", "Jürgen Klopp", 12),
            tag("competition", "champions-league", "Champions League", 2),
            // Separators in a name cannot break the lines.
            tag("player", "a-b", "A\tB", 1),
            // A role without a letter keeps its name.
            tag("referee", "x", "X", 1),
        ];
        let stored = StoredTag::encode(&tags);
        assert_eq!(stored.lines().count(), tags.len());
        assert!(stored.starts_with("p3\tDarwin Núñez\n"), "{stored}");
        let mut expected = tags.clone();
        expected[4].name = "A B".into();
        assert_eq!(StoredTag::decode(&stored), expected);
        assert!(StoredTag::encode(&[]).is_empty());
        assert!(StoredTag::decode("").is_empty());
        // A damaged line is skipped, not a failure.
        assert_eq!(StoredTag::decode("pX\tName\nc1\tArsenal").len(), 1);
    }
}
