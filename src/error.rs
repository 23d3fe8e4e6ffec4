//! Errors callers must tell apart, and how any error is shown to a user and mapped to an exit code.

use std::path::PathBuf;

/// Failures with a meaning of their own (each has its message and what to do next).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index where one was expected.
    #[error("no index at {}: run `newsidx add [PATH...]` to build one, or point --index / NEWSIDX_INDEX at an existing index", .0.display())]
    IndexMissing(PathBuf),
    /// The directory holds something that is not a newsidx index.
    #[error("{} is not a newsidx index (it has files but no newsidx.json): choose another --index directory, or empty this one", .0.display())]
    NotAnIndex(PathBuf),
    /// The index was written by a version of newsidx with another schema.
    #[error("the index at {} has schema version {found}, but this newsidx uses version {expected}: rebuild it with `rm -r {}` and `newsidx add [PATH...]`", .path.display(), .path.display())]
    SchemaMismatch {
        /// Index directory.
        path: PathBuf,
        /// Version recorded in the index.
        found: u64,
        /// Version this build writes.
        expected: u64,
    },
    /// Same schema version, different fields: written by another build of newsidx.
    #[error("the index at {} was written by another build of newsidx (its fields differ from this one's): rebuild it with `rm -r {}` and `newsidx add [PATH...]`", .0.display(), .0.display())]
    SchemaChanged(PathBuf),
    /// Another process holds the writer lock.
    #[error("index is busy: another `newsidx` process is writing to {}; wait for it to finish (or use `--wait`)", .0.display())]
    IndexBusy(PathBuf),
    /// The query could not be understood.
    #[error("bad query: {0}")]
    BadQuery(String),
    /// An article id that is not in the index.
    #[error("no article with id {0:?} in the index: `newsidx search` shows ids")]
    NoSuchArticle(String),
    /// A problem with the index's files.
    #[error("index error in {}: {message}; if it persists, rebuild the index (`rm -r` it and run `newsidx add` again)", .path.display())]
    Index {
        /// Index directory.
        path: PathBuf,
        /// What tantivy reported, in words.
        message: String,
    },
    /// A bad command-line value.
    #[error("{0}")]
    Usage(String),
}

/// Exit code for a command that failed: 3 when the index is busy, 2 otherwise.
pub fn exit_code_for(err: &anyhow::Error) -> u8 {
    match err.downcast_ref::<Error>() {
        Some(Error::IndexBusy(_)) => 3,
        Some(Error::NoSuchArticle(_)) => 1,
        _ => 2,
    }
}

/// True when the error is a write to a closed pipe, which is not a failure for a CLI.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The user-facing message: each layer of context, outermost first, joined with ": ".
pub fn describe(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    crate::render::sanitize(&parts.join(": ")).into_owned()
}
