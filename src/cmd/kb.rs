//! `newsidx kb import`: turn files users already have into knowledge-base entries kept with
//! the index (or in a file of their choice).

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::cli::{KbFormat, KbImportArgs};
use crate::config::Config;
use crate::error::Error;
use crate::kb::import::{self, Imported, Source};
use crate::kb::{Kb, INDEX_KB_FILE};
use crate::Outcome;

/// Import every file, check the result loads, and append it atomically to the target.
pub fn import(config: &Config, args: KbImportArgs) -> anyhow::Result<Outcome> {
    let target = args
        .output
        .clone()
        .unwrap_or_else(|| config.index_dir.join(INDEX_KB_FILE));
    let mut text = match std::fs::read_to_string(&target) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", target.display())),
    };
    let mut total = 0usize;
    for file in &args.files {
        let raw = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let content = String::from_utf8_lossy(&raw);
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let source = match args.format {
            Some(KbFormat::PeopleCsv) => Source::PeopleCsv,
            Some(KbFormat::OpenfootballClubs) => Source::OpenfootballClubs,
            Some(KbFormat::OpenfootballLeagues) => Source::OpenfootballLeagues,
            None => {
                let head: String = content.lines().take(40).collect::<Vec<_>>().join("\n");
                import::detect(&name, &head).ok_or_else(|| {
                    Error::Usage(format!(
                        "{}: cannot tell the format; give --format people-csv, openfootball-clubs or openfootball-leagues",
                        file.display()
                    ))
                })?
            }
        };
        let imported: Imported = match source {
            Source::PeopleCsv => import::import_people_csv(&content),
            Source::OpenfootballClubs => {
                import::import_openfootball_clubs(&content, args.country.as_deref())
            }
            Source::OpenfootballLeagues => import::import_openfootball_leagues(&content),
        };
        for (line, reason) in imported.skipped.iter().take(20) {
            eprintln!("newsidx: skipped: {}:{line}: {reason}", file.display());
        }
        if imported.skipped.len() > 20 {
            eprintln!(
                "newsidx: {}: {} more lines skipped",
                file.display(),
                imported.skipped.len() - 20
            );
        }
        // What is written must load: check it on its own before keeping it.
        let mut check = Kb::default();
        check.extend_from_str(&name, &imported.text).map_err(|e| {
            anyhow::anyhow!(
                "the import of {} produced an invalid entry ({e}); nothing was written",
                file.display()
            )
        })?;
        eprintln!(
            "newsidx: {}: {} entries imported, {} lines skipped",
            file.display(),
            imported.entries,
            imported.skipped.len()
        );
        total += imported.entries;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("# imported from {}\n", file.display()));
        text.push_str(&imported.text);
    }
    write_atomically(&target, &text)?;
    eprintln!("newsidx: knowledge base {} now has the {total} imported entries; re-run `newsidx add` to re-tag articles", target.display());
    Ok(if total == 0 {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}

fn write_atomically(target: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let tmp = target.with_extension("tmp");
    let mut f =
        std::fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, target).with_context(|| format!("writing {}", target.display()))?;
    Ok(())
}
