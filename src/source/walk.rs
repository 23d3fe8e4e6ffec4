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
    /// Symbolic links under the given directories, not followed (without `--follow`).
    pub symlinks: u64,
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
                    .push(Problem::skip(root, None, path_reason(root, &e)));
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
                    // The path is the problem's location: the reason does not repeat it.
                    let reason = if let Some(ancestor) = e.loop_ancestor() {
                        format!(
                            "symbolic link loop (it leads back to {}): skipped",
                            ancestor.display()
                        )
                    } else if let Some(io) = e.io_error() {
                        path_reason(&path, io)
                    } else {
                        "cannot read this directory entry".to_string()
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
                _ if ft.is_symlink() => found.symlinks += 1,
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
        // `ErrorKind::FilesystemLoop` (ELOOP) is not stable yet; its name is.
        kind if format!("{kind:?}") == "FilesystemLoop" => {
            "symbolic link loop (the link leads back to itself): fix or remove the link".into()
        }
        _ => format!("cannot read: {e}"),
    }
}

/// [`io_reason`], telling a broken symbolic link from a missing file.
fn path_reason(path: &Path, e: &std::io::Error) -> String {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && e.kind() == std::io::ErrorKind::NotFound {
        return "broken symbolic link (its target does not exist): fix or remove the link".into();
    }
    io_reason(e)
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
    fn links_loops_and_broken_links() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        std::fs::write(p("a.txt"), "A\n\nb").unwrap();
        symlink(p("b.txt"), p("c.txt")).unwrap();
        symlink(p("c.txt"), p("b.txt")).unwrap();
        symlink(p("nowhere.txt"), p("broken.txt")).unwrap();
        std::fs::create_dir(p("sub")).unwrap();
        symlink(dir.path(), p("sub/up")).unwrap();
        let d = discover(&[dir.path().to_path_buf()], false, false);
        assert_eq!((d.files.len(), d.symlinks, d.ignored), (1, 4, 0));
        assert!(d.problems.is_empty());
        let d = discover(&[dir.path().to_path_buf()], true, false);
        let reason = |name: &str| {
            let hits: Vec<&Problem> = d
                .problems
                .iter()
                .filter(|q| q.path.ends_with(name))
                .collect();
            assert_eq!(hits.len(), 1, "{name}: {:?}", d.problems);
            hits[0].message.clone()
        };
        assert!(reason("c.txt").contains("loop"));
        assert!(reason("b.txt").contains("loop"));
        assert!(reason("broken.txt").contains("broken symbolic link"));
        assert!(reason("up").contains("loop"));
        let d = discover(&[p("c.txt"), p("broken.txt")], false, false);
        assert!(d.problems[0].message.contains("loop"));
        assert!(d.problems[1].message.contains("broken"));
    }

    #[test]
    fn missing_path_is_a_problem() {
        let d = discover(&[PathBuf::from("/no/such/dir")], false, false);
        assert!(d.problems[0].message.contains("no such file"));
    }
}
