//! `newsidx add`: read articles from files (or stdin), extract, and upsert them into the
//! index. Reading and extraction run in parallel on a producer thread; this thread writes.

use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use crate::cli::AddArgs;
use crate::config::Config;
use crate::error::Error;
use crate::extract::{Extraction, Extractor};
use crate::index::writer::{Snapshot, Upsert, Writer};
use crate::index::{self, schema::hash64};
use crate::source::{self, discover, Article, Format, Problem};
use crate::Outcome;

/// JSON lines parsed together (in parallel).
const LINES_PER_CHUNK: usize = 512;
/// Small files read together (in parallel).
const FILES_PER_CHUNK: usize = 64;
/// Problems printed per source before they are only counted.
const PROBLEMS_SHOWN_PER_SOURCE: usize = 10;

/// An article with what the reading side made of it.
type Item = Result<(Article, Extracted), Problem>;

/// What the reading side made of an article.
enum Extracted {
    /// Extracted, to be written.
    New(Extraction),
    /// The index holds it with this content hash: not extracted again.
    Unchanged(u64),
}

/// What the reading side needs to extract: the extractor, and the index as the run found it
/// (to skip articles it holds unchanged).
struct Work {
    extractor: std::sync::Arc<Extractor>,
    snapshot: Snapshot,
}

impl Work {
    fn extract(&self, article: &Article) -> Extracted {
        match self.snapshot.unchanged(article) {
            Some(content_hash) => Extracted::Unchanged(content_hash),
            None => Extracted::New(self.extractor.extract(article)),
        }
    }
}

/// What the reading thread sends to the writing thread, in source order.
enum Msg {
    /// Articles (or problems) read from one source.
    Items { items: Vec<Item> },
    /// A problem that is not about one article (e.g. a warning about a whole file).
    Note(Problem),
    /// A boundary between chunks of a streamed source (more of it may follow, or the reader
    /// may be waiting for a pipe): a due periodic commit is made here.
    ChunkEnd,
    /// Every article of this source has been sent.
    SourceEnd { source: PathBuf, bytes: u64 },
}

/// The run's counts, printed as the summary.
#[derive(Debug, Default, Serialize)]
struct Summary {
    schema_version: u32,
    added: u64,
    updated: u64,
    unchanged: u64,
    removed: u64,
    skipped: u64,
    warnings: u64,
    ignored_files: u64,
    symlinks_skipped: u64,
    seconds: f64,
    index: String,
    problems: Vec<ProblemJson>,
}

#[derive(Debug, Serialize)]
struct ProblemJson {
    path: String,
    line: Option<u64>,
    kind: &'static str,
    message: String,
}

/// Per-source bookkeeping on the writing side.
#[derive(Default)]
struct SourceState {
    ids: HashSet<u64>,
    articles: u64,
    skipped: bool,
    added: u64,
    shown: usize,
    hidden: usize,
}

/// Run `add`.
pub fn run(config: &Config, args: AddArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    yield_extraction_to_indexing();
    let paths = if args.paths.is_empty() {
        let default = PathBuf::from("corpus");
        if !default.is_dir() {
            return Err(Error::Usage(
                "no ./corpus directory here: give the files or directories to add, e.g. `newsidx add ~/news` (or `-` for JSON Lines on stdin)".into(),
            )
            .into());
        }
        vec![default]
    } else {
        args.paths.clone()
    };
    let stdin = paths.iter().any(|p| p == Path::new("-"));
    let file_paths: Vec<PathBuf> = paths.into_iter().filter(|p| p != Path::new("-")).collect();
    let found = discover(&file_paths, args.follow, args.hidden);

    let extractor = std::sync::Arc::new(if args.no_tags {
        crate::extract::Extractor::without_tagging()
    } else {
        super::extractor(config)?
    });
    let fingerprint = extractor.kb.fingerprint;
    let total_bytes: u64 = found
        .files
        .iter()
        .filter_map(|(p, _)| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    // Stdin's size is unknown.
    let input_bytes = (!stdin).then_some(total_bytes);
    let mut writer = match Writer::open(
        index::open_or_create(&config.index_dir)?,
        false,
        fingerprint,
        input_bytes,
    ) {
        Err(Error::IndexBusy(dir)) if args.wait => {
            eprintln!(
                "newsidx: index is busy: waiting for the other writer of {} to finish (--wait)",
                dir.display()
            );
            Writer::open(
                index::open_or_create(&config.index_dir)?,
                true,
                fingerprint,
                input_bytes,
            )?
        }
        other => other?,
    };
    if !args.no_tags {
        // The names searches widen to entity terms: those of the knowledge base tagging now.
        crate::index::aliases::write(&config.index_dir, &extractor.kb).with_context(|| {
            format!(
                "writing {} in {}",
                crate::index::aliases::ALIASES_FILE,
                config.index_dir.display()
            )
        })?;
    }

    let bar = progress_bar(
        config.stderr_is_terminal && !args.quiet && !args.json,
        total_bytes,
    );

    let max_bytes = args.max_size.saturating_mul(1024 * 1024);
    let (tx, rx) = sync_channel::<Msg>(8);
    let files = found.files.clone();
    let work = Work {
        extractor: std::sync::Arc::clone(&extractor),
        snapshot: writer.snapshot(),
    };
    let producer = std::thread::spawn(move || produce(files, stdin, max_bytes, tx, &work));

    let mut summary = Summary {
        schema_version: crate::render::json::JSON_SCHEMA_VERSION,
        index: config.index_dir.display().to_string(),
        ignored_files: found.ignored,
        symlinks_skipped: found.symlinks,
        ..Summary::default()
    };
    for p in &found.problems {
        report(&mut summary, &bar, p, None, args.json);
    }
    let commit_every = usize::try_from(args.commit_every).unwrap_or(usize::MAX);
    let consumed = consume(
        &rx,
        &mut writer,
        &mut summary,
        &bar,
        args.json,
        commit_every,
        &extractor,
    );
    // Whatever happened, let the producer finish before deciding (it stops when rx is gone).
    drop(rx);
    if producer.join().is_err() {
        bar.finish_and_clear();
        anyhow::bail!("the reading thread failed unexpectedly; nothing from this run was committed after the last reported commit");
    }
    if let Err(e) = consumed {
        bar.finish_and_clear();
        return Err(e.context("adding articles (articles committed before this error are kept)"));
    }
    writer.finish().context("committing the index")?;
    bar.finish_and_clear();
    summary.seconds = started.elapsed().as_secs_f64();
    print_summary(&summary, args.json)?;
    Ok(if summary.skipped > 0 {
        Outcome::Partial
    } else {
        Outcome::Found
    })
}

/// Niceness of the extraction threads during `add` (see [`yield_extraction_to_indexing`]).
const EXTRACTION_NICENESS: i32 = 5;

/// Run extraction (rayon's pool) at a lower priority than the rest of `add`. tantivy's
/// indexing thread is the pipeline's critical path: it indexes every document in order, and
/// the run cannot end before it does. When extraction, the reading thread and the indexing
/// thread all want a core, the indexing thread now gets one, and extraction takes the time it
/// leaves: fewer documents wait in tantivy's queue when extraction ends. A niceness of 5 gives
/// an extraction thread about a third of an indexing thread's share when they compete. Against
/// other programs it is milder than it sounds where the kernel groups each session's threads
/// (autogroup, on by default), as niceness then only orders threads within the group;
/// elsewhere, a busy machine's other programs get about three times extraction's share.
/// `add` of the 2023-24 file, 6 interleaved runs each: median 2.52 s at niceness 0, 2.41 at
/// 3, 2.39 at 6, 2.40 at 10, 2.45 at 19. Linux only; elsewhere, and when the pool exists
/// already, it does nothing.
fn yield_extraction_to_indexing() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // An error means the global pool was built already: extraction keeps its priority.
        let _ = rayon::ThreadPoolBuilder::new()
            .start_handler(|_| {
                // SAFETY: gettid has no preconditions; setpriority changes only the calling
                // thread's niceness (raising it needs no privilege), and a refusal leaves it
                // as it was, which is harmless.
                unsafe {
                    let tid = libc::gettid();
                    libc::setpriority(
                        libc::PRIO_PROCESS,
                        libc::id_t::try_from(tid).unwrap_or(0),
                        EXTRACTION_NICENESS,
                    );
                }
            })
            .build_global();
    }
}

fn progress_bar(visible: bool, total: u64) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// The writing side: upsert every article in order, remove stale ones per source, commit
/// periodically.
fn consume(
    rx: &Receiver<Msg>,
    writer: &mut Writer,
    summary: &mut Summary,
    bar: &ProgressBar,
    json: bool,
    commit_every: usize,
    extractor: &Extractor,
) -> anyhow::Result<()> {
    let mut state = SourceState::default();
    // A periodic commit falls between sources or between chunks of one, never between an
    // article and the removal of what its file no longer holds: a changed text file's
    // article has a new id, and a crash must not leave both versions committed.
    // The reader marks those places: `ChunkEnd` inside a streamed source, `SourceEnd`.
    let mut commit_due = false;
    for msg in rx {
        match msg {
            Msg::Note(p) => report(summary, bar, &p, Some(&mut state), json),
            Msg::ChunkEnd => {
                if commit_due {
                    commit_due = false;
                    commit(writer, summary, bar)?;
                }
            }
            Msg::Items { items } => {
                for item in items {
                    match item {
                        Ok((article, extraction)) => {
                            state.ids.insert(hash64(&[&article.id]));
                            state.articles += 1;
                            let upsert = match extraction {
                                Extracted::New(extraction) => {
                                    writer.upsert(&article, &extraction)?
                                }
                                Extracted::Unchanged(hash)
                                    if writer.keep_unchanged(&article, hash) =>
                                {
                                    Upsert::Unchanged
                                }
                                // This run wrote another version first: extract it after all.
                                Extracted::Unchanged(_) => {
                                    writer.upsert(&article, &extractor.extract(&article))?
                                }
                            };
                            match upsert {
                                Upsert::Added => {
                                    summary.added += 1;
                                    state.added += 1;
                                }
                                Upsert::Updated => summary.updated += 1,
                                Upsert::Unchanged => summary.unchanged += 1,
                            }
                            commit_due |= writer.pending() >= commit_every;
                        }
                        Err(p) => report(summary, bar, &p, Some(&mut state), json),
                    }
                }
            }
            Msg::SourceEnd { source, bytes } => {
                // Stdin is not a file that can be re-read: each run only adds.
                if !state.skipped && !state.ids.is_empty() && source != Path::new("-") {
                    let stale = writer.remove_stale(&source, &state.ids)? as u64;
                    // A one-article file whose text changed gets a new text-hash id: that is
                    // an update, not an addition and a removal.
                    let renamed = if state.articles == 1 {
                        stale.min(state.added)
                    } else {
                        0
                    };
                    summary.added -= renamed;
                    summary.updated += renamed;
                    summary.removed += stale - renamed;
                }
                if commit_due {
                    commit_due = false;
                    commit(writer, summary, bar)?;
                }
                if state.hidden > 0 && !json {
                    bar.suspend(|| {
                        eprintln!(
                            "newsidx: {}: {} more problems not shown",
                            crate::render::sanitize_path(&source.display().to_string()),
                            state.hidden
                        )
                    });
                }
                state = SourceState::default();
                bar.inc(bytes);
                bar.set_message(format!(
                    "{} added, {} updated, {} unchanged, {} skipped",
                    summary.added, summary.updated, summary.unchanged, summary.skipped
                ));
            }
        }
    }
    Ok(())
}

/// A periodic commit: durable (committed, the directory fsynced) before it is reported, so
/// a rerun after a crash finds these articles unchanged.
fn commit(writer: &mut Writer, summary: &Summary, bar: &ProgressBar) -> anyhow::Result<()> {
    writer.commit()?;
    let done = summary.added + summary.updated + summary.unchanged;
    bar.suspend(|| eprintln!("newsidx: committed: {done} articles read so far are durable"));
    Ok(())
}

fn report(
    summary: &mut Summary,
    bar: &ProgressBar,
    p: &Problem,
    state: Option<&mut SourceState>,
    json: bool,
) {
    if p.warning {
        summary.warnings += 1;
    } else {
        summary.skipped += 1;
    }
    let show = match state {
        Some(s) => {
            if !p.warning {
                s.skipped = true;
            }
            s.shown += 1;
            if s.shown > PROBLEMS_SHOWN_PER_SOURCE {
                s.hidden += 1;
                false
            } else {
                true
            }
        }
        None => true,
    };
    if summary.problems.len() < 10_000 {
        summary.problems.push(ProblemJson {
            path: p.path.display().to_string(),
            line: p.line,
            kind: if p.warning { "warning" } else { "skipped" },
            message: p.message.clone(),
        });
    }
    if show && !json {
        let what = if p.warning { "warning" } else { "skipped" };
        let location = crate::render::sanitize_path(&p.location()).into_owned();
        let message = crate::render::sanitize(&p.message);
        bar.suspend(|| eprintln!("newsidx: {what}: {location}: {message}"));
    }
}

fn print_summary(s: &Summary, json: bool) -> anyhow::Result<()> {
    if json {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        super::write_json(&mut out, s)?;
        out.flush()?;
        return Ok(());
    }
    let mut line = format!(
        "newsidx: added {}, updated {}, unchanged {}, removed {}, skipped {}",
        s.added, s.updated, s.unchanged, s.removed, s.skipped
    );
    if s.warnings > 0 {
        line.push_str(&format!(", warnings {}", s.warnings));
    }
    if s.ignored_files > 0 {
        line.push_str(&format!(
            " ({} files in other formats ignored)",
            s.ignored_files
        ));
    }
    if s.symlinks_skipped > 0 {
        line.push_str(&format!(
            " ({} symbolic links not followed: --follow reads them)",
            s.symlinks_skipped
        ));
    }
    line.push_str(&format!(
        " in {:.1} s; index {}",
        s.seconds,
        crate::render::sanitize_path(&s.index)
    ));
    eprintln!("{line}");
    if s.skipped > 0 {
        eprintln!("newsidx: the skipped inputs are listed above; fix or remove them and run `newsidx add` again (what was added is kept)");
    }
    Ok(())
}

/// The reading side: files in order, small ones in parallel chunks, JSON Lines streamed in
/// parallel chunks of lines. Stops quietly when the writer hangs up.
fn produce(
    files: Vec<(PathBuf, Format)>,
    stdin: bool,
    max_bytes: u64,
    tx: SyncSender<Msg>,
    ex: &Work,
) {
    let mut pending: Vec<(PathBuf, Format)> = Vec::new();
    for (path, format) in files {
        if format == Format::JsonLines {
            if !flush_documents(&mut pending, max_bytes, &tx, ex) {
                return;
            }
            if !stream_jsonl_file(&path, max_bytes, &tx, ex) {
                return;
            }
        } else {
            pending.push((path, format));
            if pending.len() >= FILES_PER_CHUNK
                && !flush_documents(&mut pending, max_bytes, &tx, ex)
            {
                return;
            }
        }
    }
    if !flush_documents(&mut pending, max_bytes, &tx, ex) {
        return;
    }
    if stdin {
        let path = PathBuf::from("-");
        let handle = std::io::stdin().lock();
        if stream_jsonl(handle, &path, max_bytes, &tx, ex) {
            let _ = tx.send(Msg::SourceEnd {
                source: path,
                bytes: 0,
            });
        }
    }
}

/// Read, parse and extract a chunk of whole-file documents in parallel; send in order.
fn flush_documents(
    pending: &mut Vec<(PathBuf, Format)>,
    max_bytes: u64,
    tx: &SyncSender<Msg>,
    ex: &Work,
) -> bool {
    let results: Vec<(PathBuf, Vec<Item>, Vec<Problem>, u64)> = pending
        .par_iter()
        .map(|(path, format)| {
            let (items, notes, bytes) = read_document(path, *format, max_bytes, ex);
            (path.clone(), items, notes, bytes)
        })
        .collect();
    pending.clear();
    for (source, items, notes, bytes) in results {
        for n in notes {
            if tx.send(Msg::Note(n)).is_err() {
                return false;
            }
        }
        if tx.send(Msg::Items { items }).is_err()
            || tx.send(Msg::SourceEnd { source, bytes }).is_err()
        {
            return false;
        }
    }
    true
}

/// One whole-file document: read, decode, parse, extract.
fn read_document(
    path: &Path,
    format: Format,
    max_bytes: u64,
    ex: &Work,
) -> (Vec<Item>, Vec<Problem>, u64) {
    let read = source::read_document(path, format, max_bytes);
    let items = read
        .items
        .into_iter()
        .map(|r| r.map(|a| with_extraction(a, ex)))
        .collect();
    (items, read.notes, read.bytes)
}

fn with_extraction(article: Article, ex: &Work) -> (Article, Extracted) {
    let extraction = ex.extract(&article);
    (article, extraction)
}

fn stream_jsonl_file(path: &Path, max_bytes: u64, tx: &SyncSender<Msg>, ex: &Work) -> bool {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return tx
                .send(Msg::Items {
                    items: vec![Err(Problem::skip(path, None, source::io_reason(&e)))],
                })
                .is_ok()
                && tx
                    .send(Msg::SourceEnd {
                        source: path.to_path_buf(),
                        bytes: size,
                    })
                    .is_ok();
        }
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    // UTF-16 JSON Lines cannot be split on byte newlines: decode the whole file (bounded).
    let head = reader.fill_buf().map(|b| b.to_vec()).unwrap_or_default();
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let (items, notes, bytes) = read_utf16_jsonl(path, max_bytes, ex);
        for n in notes {
            if tx.send(Msg::Note(n)).is_err() {
                return false;
            }
        }
        return tx.send(Msg::Items { items }).is_ok()
            && tx
                .send(Msg::SourceEnd {
                    source: path.to_path_buf(),
                    bytes,
                })
                .is_ok();
    }
    if head[..head.len().min(8192)].contains(&0) {
        return tx
            .send(Msg::Items {
                items: vec![Err(Problem::skip(
                    path,
                    None,
                    "binary file (it contains NUL bytes): not JSON Lines",
                ))],
            })
            .is_ok()
            && tx
                .send(Msg::SourceEnd {
                    source: path.to_path_buf(),
                    bytes: size,
                })
                .is_ok();
    }
    stream_jsonl(reader, path, max_bytes, tx, ex)
        && tx
            .send(Msg::SourceEnd {
                source: path.to_path_buf(),
                bytes: size,
            })
            .is_ok()
}

fn read_utf16_jsonl(path: &Path, max_bytes: u64, ex: &Work) -> (Vec<Item>, Vec<Problem>, u64) {
    read_document(path, Format::JsonLines, max_bytes, ex)
}

fn parse_line(line: &str, path: &Path, line_no: u64, ex: &Work) -> Option<Item> {
    source::parse_json_line(line, path, line_no).map(|r| {
        r.and_then(|raw| {
            raw.finish(path, Some(line_no))
                .map_err(|m| Problem::skip(path, Some(line_no), m))
        })
        .map(|a| with_extraction(a, ex))
    })
}

/// Stream JSON Lines: bounded lines, parsed and extracted in parallel chunks.
fn stream_jsonl(
    mut reader: impl BufRead,
    path: &Path,
    max_bytes: u64,
    tx: &SyncSender<Msg>,
    ex: &Work,
) -> bool {
    let mut chunk: Vec<(u64, Result<String, Problem>)> = Vec::with_capacity(LINES_PER_CHUNK);
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        line_no += 1;
        let read = read_line_bounded(&mut reader, &mut buf, max_bytes);
        match read {
            Ok(None) => break,
            Ok(Some(total)) if total > max_bytes => {
                chunk.push((
                    line_no,
                    Err(Problem::skip(
                        path,
                        Some(line_no),
                        format!(
                            "line is {:.1} MB, over the {} MB limit: raise it with --max-size",
                            total as f64 / 1_048_576.0,
                            max_bytes / 1_048_576
                        ),
                    )),
                ));
            }
            Ok(Some(_)) => {
                let line = match String::from_utf8(std::mem::take(&mut buf)) {
                    Ok(s) => Ok(s),
                    Err(e) => {
                        let at = e.utf8_error().valid_up_to();
                        let bytes = e.into_bytes();
                        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
                        if tx
                            .send(Msg::Note(Problem::warn(
                                path,
                                Some(line_no),
                                format!(
                                    "not valid UTF-8 (byte {at} of the line); read as Windows-1252"
                                ),
                            )))
                            .is_err()
                        {
                            return false;
                        }
                        Ok(text.into_owned())
                    }
                };
                chunk.push((line_no, line));
            }
            Err(e) => {
                chunk.push((
                    line_no,
                    Err(Problem::skip(
                        path,
                        Some(line_no),
                        format!("read error: {e}; the rest of the file is skipped"),
                    )),
                ));
                break;
            }
        }
        if chunk.len() >= LINES_PER_CHUNK
            && !(send_lines(&mut chunk, path, tx, ex) && tx.send(Msg::ChunkEnd).is_ok())
        {
            return false;
        }
    }
    send_lines(&mut chunk, path, tx, ex)
}

fn send_lines(
    chunk: &mut Vec<(u64, Result<String, Problem>)>,
    path: &Path,
    tx: &SyncSender<Msg>,
    ex: &Work,
) -> bool {
    let items: Vec<Item> = chunk
        .par_drain(..)
        .filter_map(|(n, line)| match line {
            Ok(text) => parse_line(&text, path, n, ex),
            Err(p) => Some(Err(p)),
        })
        .collect();
    items.is_empty() || tx.send(Msg::Items { items }).is_ok()
}

/// Read one line into `buf`, keeping at most `max` bytes; returns the line's full length
/// (without the newline), or None at the end of input.
fn read_line_bounded(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: u64,
) -> std::io::Result<Option<u64>> {
    let mut total = 0u64;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(if any { Some(total) } else { None });
        }
        any = true;
        let (part, done) = match memchr_newline(available) {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        total += part.len() as u64;
        if total <= max {
            buf.extend_from_slice(part);
        } else {
            buf.clear();
        }
        let consumed = done.unwrap_or(available.len());
        reader.consume(consumed);
        if done.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(total));
        }
    }
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines() {
        let mut r = std::io::Cursor::new(b"short\r\nlong line here\nlast".to_vec());
        let mut buf = Vec::new();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 100).unwrap(), Some(6));
        assert_eq!(buf, b"short");
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 4).unwrap(), Some(14));
        assert!(buf.is_empty());
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 100).unwrap(), Some(4));
        assert_eq!(buf, b"last");
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 100).unwrap(), None);
    }
}
