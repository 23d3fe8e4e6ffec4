//! Finding article files under the paths given to `add` (walkdir; hidden files and symlinks
//! skipped unless asked for).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::Problem;

/// The article formats newsidx reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.txt`
    Text,
    /// `.md`, `.markdown`
    Markdown,
    /// `.html`, `.htm`
    Html,
    /// `.json`
    Json,
    /// `.jsonl`, `.ndjson`
    JsonLines,
}

impl Format {
    /// The format of a path, from its extension.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            _ => return None,
        })
    }
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Article files, in a stable order.
    pub files: Vec<(PathBuf, Format)>,
    /// Paths that could not be walked or read (with the reason).
    pub problems: Vec<Problem>,
    /// Files under the given directories that are not in an article format.
    pub ignored: u64,
}

/// Walk `paths`: files are taken as given (an unknown extension is a problem), directories
/// are walked for files with article extensions.
pub fn discover(paths: &[PathBuf], follow_links: bool, hidden: bool) -> Discovered {
    let mut found = Discovered::default();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                found
                    .problems
                    .push(Problem::skip(root, None, io_reason(&e)));
                continue;
            }
        };
        if !meta.is_dir() {
            match Format::of(root) {
                Some(f) if meta.is_file() => found.files.push((root.clone(), f)),
                Some(_) => found.problems.push(Problem::skip(
                    root,
                    None,
                    "not a regular file (a FIFO, socket or device); copy its contents to a file",
                )),
                None => found.problems.push(Problem::skip(
                    root,
                    None,
                    "unknown format: expected .txt, .md, .html, .htm, .json, .jsonl or .ndjson",
                )),
            }
            continue;
        }
        let walker = WalkDir::new(root)
            .follow_links(follow_links)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| hidden || e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().unwrap_or(root).to_path_buf();
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop: skipped".to_string()
                    } else if let Some(io) = e.io_error() {
                        io_reason(io)
                    } else {
                        e.to_string()
                    };
                    found.problems.push(Problem::skip(&path, None, reason));
                    continue;
                }
            };
            let ft = entry.file_type();
            if ft.is_dir() {
                continue;
            }
            let path = entry.path();
            match Format::of(path) {
                Some(f) if ft.is_file() => found.files.push((path.to_path_buf(), f)),
                Some(_) if ft.is_symlink() => found.ignored += 1,
                Some(_) => found.problems.push(Problem::skip(
                    path,
                    None,
                    "not a regular file (a FIFO, socket or device): skipped",
                )),
                None => found.ignored += 1,
            }
        }
    }
    found
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|s| s.starts_with('.') && s != "." && s != "..")
}

/// Words for an I/O failure, with what to do.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => {
            "permission denied: check the file's permissions (chmod) or run as its owner".into()
        }
        _ => format!("cannot read: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a.TXT")), Some(Format::Text));
        assert_eq!(Format::of(Path::new("a.ndjson")), Some(Format::JsonLines));
        assert_eq!(Format::of(Path::new("a.htm")), Some(Format::Html));
        assert_eq!(Format::of(Path::new("a.png")), None);
        assert_eq!(Format::of(Path::new("README")), None);
    }

    #[test]
    fn walk_skips_hidden_and_other_formats() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "A\n\nb").unwrap();
        std::fs::write(dir.path().join("b.png"), "x").unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/c.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".hidden.md"), "x").unwrap();
        let d = discover(&[dir.path().to_path_buf()], false, false);
        assert_eq!(d.files.len(), 1);
        assert_eq!(d.ignored, 1);
        let d = discover(&[dir.path().to_path_buf()], false, true);
        assert_eq!(d.files.len(), 3);
    }

    #[test]
    fn missing_path_is_a_problem() {
        let d = discover(&[PathBuf::from("/no/such/dir")], false, false);
        assert!(d.problems[0].message.contains("no such file"));
    }
}
