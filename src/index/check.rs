//! Verifying an index without changing it: the `newsidx.json` marker, `meta.json`, every
//! segment's files (present, checksums), every segment opened, every term dictionary walked,
//! every stored document read, and the counts that tie articles to their quotes and facts.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::directory::{Directory, META_LOCK};
use tantivy::index::SegmentMeta;
use tantivy::schema::Value;
use tantivy::{DocSet, Index, SegmentReader, TantivyDocument, Term};

use super::schema::{self, hash64, KIND_ARTICLE, KIND_FACT, KIND_PARTIAL_QUOTE, KIND_QUOTE};
use super::{Marker, MARKER, SCHEMA_VERSION};
use crate::error::Error;

/// Stored source paths kept for the repair advice (a bound on memory for huge indexes).
const MAX_SOURCES: usize = 100_000;

/// One thing found wrong.
#[derive(Debug, Clone, Serialize)]
pub struct Damage {
    /// The file concerned, relative to the index directory, when there is one.
    pub file: Option<String>,
    /// The segment concerned (its id), when there is one.
    pub segment: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

/// What `check` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Segments listed in `meta.json`.
    pub segments: usize,
    /// Segment files verified (present, checksum).
    pub files_checked: usize,
    /// Live documents read from the store, all kinds.
    pub documents: u64,
    /// Article documents.
    pub articles: u64,
    /// Quote documents (partial ones included).
    pub quotes: u64,
    /// Match-result documents.
    pub facts: u64,
    /// Files in the directory no commit refers to (left by an interrupted run; the next
    /// `add` removes them). Not damage.
    pub leftover_files: usize,
    /// Everything found wrong; empty when the index is healthy.
    pub problems: Vec<Damage>,
    /// Distinct source files of the articles that could be read (`-` for stdin).
    pub sources: Vec<String>,
    /// Whether `sources` may be incomplete (unreadable documents, or too many to keep).
    pub sources_incomplete: bool,
}

impl Report {
    /// True when nothing is wrong.
    pub fn healthy(&self) -> bool {
        self.problems.is_empty()
    }

    fn damage(&mut self, file: Option<&Path>, segment: Option<&str>, message: impl Into<String>) {
        self.problems.push(Damage {
            file: file.map(|f| f.display().to_string()),
            segment: segment.map(str::to_string),
            message: message.into(),
        });
    }
}

/// Verify the index in `dir`. `Err` only when there is no index there at all; anything
/// wrong with an index is a [`Damage`] in the report. Never panics: a panic inside tantivy
/// while reading a damaged file is caught and reported as damage.
pub fn check(dir: &Path) -> Result<Report, Error> {
    let mut report = Report::default();
    let has_meta = dir.join("meta.json").exists();
    let has_marker = dir.join(MARKER).exists();
    if !has_meta && !has_marker {
        return Err(if super::has_visible_files(dir) {
            Error::NotAnIndex(dir.to_path_buf())
        } else {
            Error::IndexMissing(dir.to_path_buf())
        });
    }
    if !has_meta && super::interrupted_creation(dir) {
        return Err(Error::IndexMissing(dir.to_path_buf()));
    }
    check_marker(dir, &mut report);
    if !has_meta {
        report.damage(
            Some(Path::new("meta.json")),
            None,
            "missing: the list of committed segments is gone",
        );
        return Ok(report);
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| check_tantivy(dir, &mut report)));
    if outcome.is_err() {
        report.damage(
            None,
            None,
            "reading the index crashed the reader (a file is damaged beyond what tantivy detects)",
        );
    }
    Ok(report)
}

fn check_marker(dir: &Path, report: &mut Report) {
    let file = Path::new(MARKER);
    match std::fs::read_to_string(dir.join(MARKER)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => report.damage(
            Some(file),
            None,
            "missing: this directory is not marked as a newsidx index",
        ),
        Err(e) => report.damage(Some(file), None, format!("unreadable: {e}")),
        Ok(text) => match serde_json::from_str::<Marker>(&text) {
            Err(e) => report.damage(Some(file), None, format!("not a newsidx marker: {e}")),
            Ok(m) if m.schema_version != SCHEMA_VERSION => report.damage(
                Some(file),
                None,
                format!(
                    "schema version {}, but this newsidx uses version {SCHEMA_VERSION}",
                    m.schema_version
                ),
            ),
            Ok(_) => {}
        },
    }
}

/// Everything below the marker: tantivy's files.
fn check_tantivy(dir: &Path, report: &mut Report) {
    let meta_file = Path::new("meta.json");
    let text = match std::fs::read(dir.join(meta_file)) {
        Ok(t) => t,
        Err(e) => return report.damage(Some(meta_file), None, format!("unreadable: {e}")),
    };
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(&text) {
        return report.damage(Some(meta_file), None, format!("not valid JSON: {e}"));
    }
    let index = match Index::open_in_dir(dir) {
        Ok(i) => i,
        Err(e) => {
            return report.damage(
                Some(meta_file),
                None,
                format!("tantivy cannot open the index: {}", words(dir, e)),
            );
        }
    };
    let (expected, fields) = schema::build();
    if index.schema() != expected {
        return report.damage(
            Some(meta_file),
            None,
            "its fields differ from this newsidx's (written by another build)",
        );
    }

    // Hold tantivy's meta lock while listing and opening segment files, as tantivy's own
    // readers do, so a concurrent `add` cannot garbage-collect a file between the two.
    let lock = match index.directory().acquire_lock(&META_LOCK) {
        Ok(l) => l,
        Err(e) => return report.damage(None, None, format!("cannot take the meta lock: {e}")),
    };
    let metas = match index.load_metas() {
        Ok(m) => m,
        Err(e) => return report.damage(Some(meta_file), None, words(dir, e)),
    };
    report.segments = metas.segments.len();
    let all_files = metas.list_segment_files();
    let mut referenced: HashSet<PathBuf> = HashSet::new();
    let mut readers = Vec::new();
    let mut salvage = Vec::new();
    for meta in &metas.segments {
        let seg = meta.id().uuid_string();
        let files = segment_files(meta, &all_files);
        referenced.extend(files.iter().cloned());
        let mut intact = true;
        for file in &files {
            report.files_checked += 1;
            match index.directory().exists(file) {
                Ok(true) => {}
                Ok(false) => {
                    report.damage(Some(file), Some(&seg), "missing");
                    intact = false;
                    continue;
                }
                Err(e) => {
                    report.damage(Some(file), Some(&seg), format!("cannot open: {e}"));
                    intact = false;
                    continue;
                }
            }
            let valid = catch_unwind(AssertUnwindSafe(|| {
                index.directory().validate_checksum(file)
            }));
            match valid {
                Ok(Ok(true)) => {}
                Ok(Ok(false)) => {
                    report.damage(
                        Some(file),
                        Some(&seg),
                        "checksum mismatch: the file changed after it was written",
                    );
                    intact = false;
                }
                Ok(Err(e)) => {
                    report.damage(Some(file), Some(&seg), format!("cannot read: {e}"));
                    intact = false;
                }
                Err(_) => {
                    report.damage(Some(file), Some(&seg), "cannot read: truncated or damaged");
                    intact = false;
                }
            }
        }
        let opened = catch_unwind(AssertUnwindSafe(|| {
            SegmentReader::open(&index.segment(meta.clone()))
        }));
        if !intact {
            // Its damage is reported; only salvage the source paths its readable documents
            // name, for the repair advice.
            report.sources_incomplete = true;
            if let Ok(Ok(r)) = opened {
                salvage.push(r);
            }
            continue;
        }
        match opened {
            Ok(Ok(r)) => readers.push((meta.clone(), r)),
            Ok(Err(e)) => {
                report.damage(
                    None,
                    Some(&seg),
                    format!("cannot open the segment: {}", words(dir, e)),
                );
                report.sources_incomplete = true;
            }
            Err(_) => {
                report.damage(None, Some(&seg), "opening the segment crashed the reader");
                report.sources_incomplete = true;
            }
        }
    }
    report.leftover_files = leftover_files(dir, &referenced);
    drop(lock);

    // The segments are open (their files mapped): read everything without the lock.
    let mut tally = Tally::default();
    for (meta, reader) in &readers {
        let seg = meta.id().uuid_string();
        let scanned = catch_unwind(AssertUnwindSafe(|| {
            scan_segment(reader, meta, &fields, &mut tally, report)
        }));
        if let Err(message) =
            scanned.unwrap_or_else(|_| Err("reading it crashed the reader".into()))
        {
            report.damage(None, Some(&seg), message);
            report.sources_incomplete = true;
        }
    }
    for reader in &salvage {
        let _ = catch_unwind(AssertUnwindSafe(|| {
            salvage_sources(reader, &fields, &mut tally)
        }));
    }
    tally.finish(report);
}

/// The source paths of whatever articles of a damaged segment can still be read.
fn salvage_sources(reader: &SegmentReader, f: &schema::Fields, tally: &mut Tally) {
    let Ok(store) = reader.get_store_reader(16) else {
        return;
    };
    for doc in reader.doc_ids_alive() {
        let Ok(stored) = store.get::<TantivyDocument>(doc) else {
            continue;
        };
        let is_article = stored.get_first(f.kind).and_then(|v| v.as_str()) == Some(KIND_ARTICLE);
        if let Some(source) = stored.get_first(f.source).and_then(|v| v.as_str()) {
            if is_article && tally.sources.len() < MAX_SOURCES {
                tally.sources.insert(source.to_string());
            }
        }
    }
}

/// The files a segment consists of: every component, the delete bitset only when the
/// segment has deletes (its name carries the delete opstamp).
fn segment_files(meta: &SegmentMeta, all: &HashSet<PathBuf>) -> Vec<PathBuf> {
    let uuid = meta.id().uuid_string();
    let mut files: Vec<PathBuf> = all
        .iter()
        .filter(|p| {
            let name = p.to_string_lossy();
            name.starts_with(&uuid)
                && !name.ends_with(".store.temp")
                && (!name.ends_with(".del") || meta.delete_opstamp().is_some())
        })
        .cloned()
        .collect();
    files.sort();
    files
}

fn leftover_files(dir: &Path, referenced: &HashSet<PathBuf>) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            // Segment files only (`<32 hex digits>.<ext>`): newsidx keeps other files here.
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.split('.').next().unwrap_or_default();
            stem.len() == 32
                && stem.bytes().all(|b| b.is_ascii_hexdigit())
                && !referenced.contains(Path::new(&name))
        })
        .count()
}

/// Counts across segments.
#[derive(Default)]
struct Tally {
    /// id hash → number of live article documents with it.
    articles: HashMap<u64, u32>,
    /// Ids of articles stored more than once (a few, for the message).
    duplicated: Vec<String>,
    /// id hashes referenced by quote and fact documents, with how many documents.
    referenced: HashMap<u64, u64>,
    sources: BTreeSet<String>,
}

impl Tally {
    fn finish(self, report: &mut Report) {
        let extra: u64 = self
            .articles
            .values()
            .filter(|&&n| n > 1)
            .map(|&n| u64::from(n - 1))
            .sum();
        if extra > 0 {
            report.damage(
                None,
                None,
                format!(
                    "{extra} duplicate article documents (one id stored more than once, e.g. {})",
                    self.duplicated.join(", ")
                ),
            );
        }
        let orphans: u64 = self
            .referenced
            .iter()
            .filter(|(h, _)| !self.articles.contains_key(h))
            .map(|(_, n)| n)
            .sum();
        if orphans > 0 && !report.sources_incomplete {
            report.damage(
                None,
                None,
                format!("{orphans} quote or fact documents belong to no article"),
            );
        }
        report.sources = self.sources.into_iter().collect();
    }
}

/// Read one segment: its term dictionaries, fast fields, field norms and every live stored
/// document, and compare what they say.
fn scan_segment(
    reader: &SegmentReader,
    meta: &SegmentMeta,
    f: &schema::Fields,
    tally: &mut Tally,
    report: &mut Report,
) -> Result<(), String> {
    if reader.num_docs() != meta.num_docs() {
        return Err(format!(
            "holds {} live documents, meta.json says {}",
            reader.num_docs(),
            meta.num_docs()
        ));
    }
    let schema = reader.schema().clone();
    for (field, entry) in schema.fields() {
        if entry.is_indexed() {
            let inverted = reader
                .inverted_index(field)
                .map_err(|e| format!("term index of {}: {e}", entry.name()))?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(|e| format!("terms of {}: {e}", entry.name()))?;
            while terms.advance() {}
            if entry.has_fieldnorms() {
                reader
                    .get_fieldnorms_reader(field)
                    .map_err(|e| format!("field norms of {}: {e}", entry.name()))?;
            }
        }
    }
    let column = |name: &str| {
        reader
            .fast_fields()
            .u64(name)
            .map_err(|e| format!("fast field {name}: {e}"))
    };
    let id_hashes = column("id_hash")?;
    let content_hashes = column("content_hash")?;
    let store = reader
        .get_store_reader(16)
        .map_err(|e| format!("stored documents: {e}"))?;

    let mut kinds: HashMap<String, u32> = HashMap::new();
    for doc in reader.doc_ids_alive() {
        let stored: TantivyDocument = store
            .get(doc)
            .map_err(|e| format!("stored document {doc}: {e}"))?;
        report.documents += 1;
        let text = |field| {
            stored
                .get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let kind = text(f.kind).unwrap_or_default();
        let Some(id) = text(f.id) else {
            return Err(format!("stored document {doc} has no article id"));
        };
        let Some(id_hash) = id_hashes.first(doc) else {
            return Err(format!("document {doc} has no id hash in the fast fields"));
        };
        if hash64(&[&id]) != id_hash {
            return Err(format!(
                "document {doc}: stored id {id:?} does not match its id hash (store and fast fields disagree)"
            ));
        }
        match kind.as_str() {
            KIND_ARTICLE => {
                report.articles += 1;
                if content_hashes.first(doc).is_none() {
                    return Err(format!("article {id:?} has no content hash"));
                }
                let n = tally.articles.entry(id_hash).or_insert(0);
                *n += 1;
                if *n == 2 && tally.duplicated.len() < 5 {
                    tally.duplicated.push(id.clone());
                }
                match text(f.source) {
                    Some(s) if tally.sources.len() < MAX_SOURCES => {
                        tally.sources.insert(s);
                    }
                    Some(_) => report.sources_incomplete = true,
                    None => return Err(format!("article {id:?} has no source path")),
                }
            }
            KIND_QUOTE | KIND_PARTIAL_QUOTE | KIND_FACT => {
                if kind == KIND_FACT {
                    report.facts += 1;
                } else {
                    report.quotes += 1;
                }
                *tally.referenced.entry(id_hash).or_insert(0) += 1;
            }
            other => return Err(format!("stored document {doc} has unknown kind {other:?}")),
        }
        *kinds.entry(kind).or_insert(0) += 1;
    }

    // The postings of `kind` must agree with the stored documents.
    let inverted = reader
        .inverted_index(f.kind)
        .map_err(|e| format!("term index of kind: {e}"))?;
    for kind in [KIND_ARTICLE, KIND_QUOTE, KIND_PARTIAL_QUOTE, KIND_FACT] {
        let term = Term::from_field_text(f.kind, kind);
        let mut live = 0u32;
        if let Some(mut postings) = inverted
            .read_postings(&term, tantivy::schema::IndexRecordOption::Basic)
            .map_err(|e| format!("postings of kind:{kind}: {e}"))?
        {
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if !reader.is_deleted(doc) {
                    live += 1;
                }
                doc = postings.advance();
            }
        }
        let stored = kinds.get(kind).copied().unwrap_or(0);
        if live != stored {
            return Err(format!(
                "the term index lists {live} documents of kind {kind}, the store holds {stored}"
            ));
        }
    }
    Ok(())
}

/// A tantivy failure in words, without the generic advice [`Error::Index`] appends.
fn words(dir: &Path, e: tantivy::TantivyError) -> String {
    match super::tantivy_error(dir, e) {
        Error::Index { message, .. } => message,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_new_index_is_healthy() {
        let dir = tempfile::tempdir().unwrap();
        super::super::open_or_create(dir.path()).unwrap();
        let report = check(dir.path()).unwrap();
        assert!(report.healthy(), "{:?}", report.problems);
        assert_eq!(report.segments, 0);
    }

    #[test]
    fn no_index_is_an_error_not_damage() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            check(&dir.path().join("none")),
            Err(Error::IndexMissing(_))
        ));
    }

    /// An index written around newsidx's writer, holding these (kind, id) documents.
    fn index_with(docs: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let opened = super::super::open_or_create(dir.path()).unwrap();
        let f = &opened.fields;
        let mut writer: tantivy::IndexWriter = opened.index.writer(15_000_000).unwrap();
        for (kind, id) in docs {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.kind, kind);
            doc.add_text(f.id, id);
            doc.add_u64(f.id_hash, hash64(&[id]));
            if *kind == KIND_ARTICLE {
                doc.add_u64(f.content_hash, 1);
                doc.add_text(f.source, "/news/a.txt");
            }
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        dir
    }

    #[test]
    fn consistent_documents_are_healthy() {
        let dir = index_with(&[
            ("article", "a"),
            ("quote", "a"),
            ("fact", "a"),
            ("article", "b"),
        ]);
        let report = check(dir.path()).unwrap();
        assert!(report.healthy(), "{:?}", report.problems);
        assert_eq!((report.articles, report.quotes, report.facts), (2, 1, 1));
        assert_eq!(report.sources, ["/news/a.txt"]);
    }

    #[test]
    fn an_article_stored_twice_is_damage() {
        let dir = index_with(&[("article", "a"), ("article", "a"), ("article", "b")]);
        let report = check(dir.path()).unwrap();
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert!(report.problems[0].message.contains("duplicate"));
        assert!(report.problems[0].message.contains("e.g. a"));
    }

    #[test]
    fn quotes_of_a_missing_article_are_damage() {
        let dir = index_with(&[("article", "a"), ("quote", "gone"), ("fact", "gone")]);
        let report = check(dir.path()).unwrap();
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert!(report.problems[0]
            .message
            .contains("2 quote or fact documents belong to no article"));
    }

    #[test]
    fn an_unknown_kind_is_damage() {
        let dir = index_with(&[("article", "a"), ("comment", "a")]);
        let report = check(dir.path()).unwrap();
        assert!(report.problems[0].message.contains("unknown kind"));
        assert!(report.problems[0].segment.is_some());
    }

    #[test]
    fn missing_meta_json_is_damage() {
        let dir = tempfile::tempdir().unwrap();
        super::super::open_or_create(dir.path()).unwrap();
        std::fs::write(dir.path().join("0123.store"), "x").unwrap();
        std::fs::remove_file(dir.path().join("meta.json")).unwrap();
        let report = check(dir.path()).unwrap();
        assert!(!report.healthy());
        assert_eq!(report.problems[0].file.as_deref(), Some("meta.json"));
    }
}
