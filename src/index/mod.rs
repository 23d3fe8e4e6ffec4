//! The index: the only module that knows tantivy. Opening and creating (with the schema
//! version check), writing articles, and reading them back.

pub mod aliases;
pub mod check;
pub mod expand;
pub mod merge;
pub mod query;
pub mod reader;
pub mod schema;
pub mod writer;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::{Index, TantivyError};

use crate::error::Error;
pub use schema::{Fields, SCHEMA_VERSION};

/// The file, beside tantivy's, that marks a directory as a newsidx index.
const MARKER: &str = "newsidx.json";

#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    format: String,
    schema_version: u64,
}

/// An open index with its field handles.
pub struct Opened {
    /// The tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// Its directory.
    pub dir: PathBuf,
}

/// Open an existing index for reading.
pub fn open(dir: &Path) -> Result<Opened, Error> {
    if !dir.join("meta.json").exists() {
        if interrupted_creation(dir) {
            return Err(Error::IndexMissing(dir.to_path_buf()));
        }
        if dir.join(MARKER).exists() {
            return Err(index_error(dir, "meta.json is missing"));
        }
        if has_visible_files(dir) {
            return Err(Error::NotAnIndex(dir.to_path_buf()));
        }
        return Err(Error::IndexMissing(dir.to_path_buf()));
    }
    check_marker(dir)?;
    let index = Index::open_in_dir(dir).map_err(|e| tantivy_error(dir, e))?;
    let (schema, fields) = schema::build();
    if index.schema() != schema {
        return Err(Error::SchemaChanged(dir.to_path_buf()));
    }
    schema::register_tokenizers(&index);
    Ok(Opened {
        index,
        fields,
        dir: dir.to_path_buf(),
    })
}

/// Open the index for writing, creating it (and its directory) when there is none.
pub fn open_or_create(dir: &Path) -> Result<Opened, Error> {
    if dir.join("meta.json").exists() {
        return open(dir);
    }
    if has_visible_files(dir) && !interrupted_creation(dir) {
        return Err(Error::NotAnIndex(dir.to_path_buf()));
    }
    std::fs::create_dir_all(dir).map_err(|e| index_error(dir, &format!("cannot create: {e}")))?;
    // Two first runs at once: one creates the index, the other waits here, then opens it
    // (and finds its writer lock busy) instead of failing halfway through creating it too.
    let _creating = creation_lock(dir)?;
    if dir.join("meta.json").exists() {
        return open(dir);
    }
    let (schema, fields) = schema::build();
    // The marker first: a run killed between the two leaves a directory holding only the
    // marker, which the next run recognises and completes, never tantivy files without it.
    write_marker(dir)?;
    let index = Index::create_in_dir(dir, schema).map_err(|e| tantivy_error(dir, e))?;
    schema::register_tokenizers(&index);
    Ok(Opened {
        index,
        fields,
        dir: dir.to_path_buf(),
    })
}

/// An exclusive lock (flock, released when the process ends however it ends) held while an
/// index is created.
fn creation_lock(dir: &Path) -> Result<std::fs::File, Error> {
    let lock = || -> std::io::Result<std::fs::File> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(dir.join(".newsidx-create.lock"))?;
        file.lock()?;
        Ok(file)
    };
    lock().map_err(|e| index_error(dir, &format!("cannot lock it to create it: {e}")))
}

fn has_visible_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !name.starts_with('.') && name != crate::kb::INDEX_KB_FILE
        })
    })
}

/// A directory holding newsidx's marker and nothing else visible: a creation that was
/// interrupted before tantivy wrote `meta.json`. Nothing was ever committed there.
fn interrupted_creation(dir: &Path) -> bool {
    !dir.join("meta.json").exists()
        && dir.join(MARKER).exists()
        && std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().all(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with('.') || name == MARKER || name == crate::kb::INDEX_KB_FILE
            })
        })
}

fn check_marker(dir: &Path) -> Result<(), Error> {
    let path = dir.join(MARKER);
    let text = std::fs::read_to_string(&path).map_err(|_| Error::NotAnIndex(dir.to_path_buf()))?;
    let marker: Marker =
        serde_json::from_str(&text).map_err(|_| index_error(dir, "newsidx.json is unreadable"))?;
    if marker.schema_version != SCHEMA_VERSION {
        return Err(Error::SchemaMismatch {
            path: dir.to_path_buf(),
            found: marker.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Write the marker atomically (temp file, fsync, rename).
fn write_marker(dir: &Path) -> Result<(), Error> {
    let marker = Marker {
        format: "newsidx".into(),
        schema_version: SCHEMA_VERSION,
    };
    let tmp = dir.join(format!(".{MARKER}.tmp"));
    let body = serde_json::to_vec_pretty(&marker).map_err(|e| index_error(dir, &e.to_string()))?;
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&body)?;
        f.sync_all()?;
        std::fs::rename(&tmp, dir.join(MARKER))?;
        sync_dir(dir)
    };
    write().map_err(|e| index_error(dir, &format!("cannot write {MARKER}: {e}")))
}

/// fsync a directory so renames and new files in it are durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

fn index_error(dir: &Path, message: &str) -> Error {
    Error::Index {
        path: dir.to_path_buf(),
        message: message.to_string(),
    }
}

/// Words for a tantivy failure (never its Debug form).
pub fn tantivy_error(dir: &Path, e: TantivyError) -> Error {
    match e {
        TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexBusy(dir.to_path_buf()),
        TantivyError::IoError(io) => index_error(dir, &io.to_string()),
        TantivyError::DataCorruption(c) => index_error(dir, &format!("data corruption: {c:?}")),
        TantivyError::OpenReadError(e) => index_error(dir, &e.to_string()),
        TantivyError::OpenWriteError(e) => index_error(dir, &e.to_string()),
        TantivyError::OpenDirectoryError(e) => index_error(dir, &e.to_string()),
        other => index_error(dir, &other.to_string()),
    }
}

/// Total size in bytes of the files in a directory (not recursive: an index is flat).
pub fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// The `id_hash` values (article ids) of these documents.
pub fn id_hashes(
    searcher: &tantivy::Searcher,
    docs: impl IntoIterator<Item = tantivy::DocAddress>,
) -> tantivy::Result<std::collections::HashSet<u64>> {
    let mut out = std::collections::HashSet::new();
    let mut columns = std::collections::HashMap::new();
    for tantivy::DocAddress {
        segment_ord,
        doc_id,
    } in docs
    {
        if let std::collections::hash_map::Entry::Vacant(v) = columns.entry(segment_ord) {
            v.insert(
                searcher
                    .segment_reader(segment_ord)
                    .fast_fields()
                    .u64("id_hash")?,
            );
        }
        if let Some(h) = columns[&segment_ord].first(doc_id) {
            out.insert(h);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_index_is_reported_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx");
        assert!(matches!(open(&path), Err(Error::IndexMissing(_))));
    }

    #[test]
    fn foreign_directory_is_not_an_index() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        assert!(matches!(
            open_or_create(dir.path()),
            Err(Error::NotAnIndex(_))
        ));
    }

    #[test]
    fn other_schema_version_asks_for_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        open_or_create(dir.path()).unwrap();
        std::fs::write(
            dir.path().join(MARKER),
            r#"{"format":"newsidx","schema_version":999}"#,
        )
        .unwrap();
        let err = open(dir.path()).err().unwrap();
        assert!(matches!(err, Error::SchemaMismatch { found: 999, .. }));
        assert!(err.to_string().contains("rebuild"));
    }

    #[test]
    fn creation_killed_after_the_marker_is_completed_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        write_marker(dir.path()).unwrap();
        assert!(matches!(open(dir.path()), Err(Error::IndexMissing(_))));
        open_or_create(dir.path()).unwrap();
        assert!(open(dir.path()).is_ok());
    }

    #[test]
    fn gitignore_alone_does_not_block_creation() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "*\n").unwrap();
        assert!(open_or_create(dir.path()).is_ok());
        assert!(open(dir.path()).is_ok());
    }
}
