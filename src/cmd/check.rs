//! `newsidx check`: verify the index (files, checksums, segments, stored documents, counts)
//! and, when it is damaged, say how to rebuild it from its sources.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cli::CheckArgs;
use crate::config::Config;
use crate::index::check::{self, Report};
use crate::render::sanitize;
use crate::Outcome;

/// Sources listed by name in the human report and in the repair command.
const SOURCES_SHOWN: usize = 8;

#[derive(Serialize)]
struct CheckJson<'a> {
    schema_version: u32,
    index: String,
    healthy: bool,
    #[serde(flatten)]
    report: &'a Report,
    repair: Option<String>,
}

/// Verify the index; exit 0 when it is healthy, 2 (with the repair command) when not.
pub fn run(config: &Config, args: CheckArgs) -> anyhow::Result<Outcome> {
    let dir = &config.index_dir;
    // A damaged file can make tantivy panic; check catches that and reports it as damage,
    // so keep the panic's own message off the terminal meanwhile.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let report = check::check(dir);
    std::panic::set_hook(hook);
    let report = report?;
    let repair = (!report.healthy()).then(|| repair_command(dir, &report));

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let doc = CheckJson {
            schema_version: crate::render::json::JSON_SCHEMA_VERSION,
            index: dir.display().to_string(),
            healthy: report.healthy(),
            report: &report,
            repair: repair.clone(),
        };
        super::write_json(&mut out, &doc)?;
    } else {
        human(&mut out, dir, &report, repair.as_deref())?;
    }
    out.flush()?;
    match repair {
        None => Ok(Outcome::Found),
        Some(command) => Err(anyhow::anyhow!(
            "the index at {} is damaged ({} problem{}{}): rebuild it from its sources: {command}",
            dir.display(),
            report.problems.len(),
            if report.problems.len() == 1 { "" } else { "s" },
            if args.json { "" } else { ", listed above" },
        )),
    }
}

fn human(out: &mut impl Write, dir: &Path, r: &Report, repair: Option<&str>) -> anyhow::Result<()> {
    let status = if r.healthy() { "OK" } else { "DAMAGED" };
    writeln!(
        out,
        "index {}: {status}",
        sanitize(&dir.display().to_string())
    )?;
    for p in &r.problems {
        let place = match (&p.file, &p.segment) {
            (Some(file), _) => format!("{file}: "),
            (None, Some(seg)) => format!("segment {seg}: "),
            (None, None) => String::new(),
        };
        writeln!(out, "  {}{}", sanitize(&place), sanitize(&p.message))?;
    }
    writeln!(
        out,
        "  {} articles, {} quotes, {} facts ({} documents) read; {} segments, {} files{}",
        r.articles,
        r.quotes,
        r.facts,
        r.documents,
        r.segments,
        r.files_checked,
        if r.healthy() {
            ", checksums verified"
        } else {
            " checked"
        }
    )?;
    if r.leftover_files > 0 {
        writeln!(
            out,
            "  {} files left by an interrupted run are not part of the index (the next `add` removes them)",
            r.leftover_files
        )?;
    }
    if let Some(command) = repair {
        writeln!(out, "To repair, rebuild the index from its sources:")?;
        writeln!(out, "  {}", sanitize(command))?;
        if r.sources.is_empty() {
            writeln!(
                out,
                "(no source could be read from the index: give the files and directories it was built from)"
            )?;
        } else {
            writeln!(
                out,
                "Its articles were read from {} source{}{}:",
                r.sources.len(),
                if r.sources.len() == 1 { "" } else { "s" },
                if r.sources_incomplete {
                    " (at least; some documents could not be read)"
                } else {
                    ""
                }
            )?;
            for s in r.sources.iter().take(SOURCES_SHOWN) {
                writeln!(out, "  {}", sanitize(s))?;
            }
            if r.sources.len() > SOURCES_SHOWN {
                writeln!(
                    out,
                    "  ... and {} more (`newsidx check --json` lists them all)",
                    r.sources.len() - SOURCES_SHOWN
                )?;
            }
            if r.sources.iter().any(|s| s == "-") {
                writeln!(
                    out,
                    "Articles read from stdin (`-`) must be piped in again: `... | newsidx add -`."
                )?;
            }
        }
    }
    Ok(())
}

/// The shell command that rebuilds the index from the sources it records, keeping the
/// knowledge base stored with it.
fn repair_command(dir: &Path, r: &Report) -> String {
    let idx = quote(&dir.display().to_string());
    let sources = source_args(&r.sources)
        .map(|paths| {
            paths
                .iter()
                .map(|p| quote(&p.display().to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "SOURCES...".to_string());
    let add = format!("newsidx --index {idx} add {sources}");
    if dir.join(crate::kb::INDEX_KB_FILE).is_file() {
        let kb = quote(&dir.join(crate::kb::INDEX_KB_FILE).display().to_string());
        format!(
            "cp {kb} kb.txt.saved && rm -r {idx} && mkdir {idx} && mv kb.txt.saved {kb} && {add}"
        )
    } else {
        format!("rm -r {idx} && {add}")
    }
}

/// What to pass to `add` to read the recorded sources again: the files themselves when
/// there are few, else the fewest directories holding them; None when that is still many.
fn source_args(sources: &[String]) -> Option<Vec<PathBuf>> {
    let files: Vec<PathBuf> = sources
        .iter()
        .filter(|s| s.as_str() != "-")
        .map(PathBuf::from)
        .collect();
    if files.is_empty() {
        return None;
    }
    if files.len() <= SOURCES_SHOWN {
        return Some(files);
    }
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    // Sorted, so a directory comes right before anything under it.
    let mut roots: Vec<PathBuf> = Vec::new();
    for d in dirs {
        if !roots.last().is_some_and(|r| d.starts_with(r)) {
            roots.push(d);
        }
    }
    (roots.len() <= SOURCES_SHOWN).then_some(roots)
}

/// Quote for a POSIX shell when needed.
fn quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_sources_are_listed_as_files() {
        let s = vec!["/a/x.txt".to_string(), "-".to_string()];
        assert_eq!(source_args(&s), Some(vec![PathBuf::from("/a/x.txt")]));
    }

    #[test]
    fn many_sources_collapse_to_their_directories() {
        let mut s: Vec<String> = (0..20).map(|i| format!("/news/2023/{i}.txt")).collect();
        s.extend((0..20).map(|i| format!("/news/{i}.txt")));
        s.push("/other/a b.txt".into());
        s.sort();
        assert_eq!(
            source_args(&s),
            Some(vec![PathBuf::from("/news"), PathBuf::from("/other")])
        );
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(quote("/a/b.txt"), "/a/b.txt");
        assert_eq!(quote("/a b/it's"), r"'/a b/it'\''s'");
    }
}
