//! `newsidx rm`: remove articles (and everything extracted from them) by id or by source.

use std::io::Write;

use crate::cli::RmArgs;
use crate::config::Config;
use crate::index::{self, writer::Writer};
use crate::Outcome;

/// Remove and commit; exit 1 when nothing matched.
pub fn run(config: &Config, args: RmArgs) -> anyhow::Result<Outcome> {
    let opened = index::open(&config.index_dir)?;
    let mut writer = Writer::open(opened, false, 0, None)?;
    let (removed, missing) = match &args.source {
        Some(path) => (writer.remove_source(path)?, Vec::new()),
        None => {
            let missing = writer.remove_ids(&args.ids)?;
            (args.ids.len() - missing.len(), missing)
        }
    };
    writer.finish()?;
    for id in &missing {
        eprintln!(
            "newsidx: no article with id {:?} in the index",
            crate::render::sanitize(id)
        );
    }
    if args.json {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        super::write_json(
            &mut out,
            &serde_json::json!({
                "schema_version": crate::render::json::JSON_SCHEMA_VERSION,
                "removed": removed,
                "not_found": missing,
            }),
        )?;
        out.flush()?;
    } else {
        eprintln!(
            "removed {removed} article{}",
            if removed == 1 { "" } else { "s" }
        );
    }
    Ok(if removed == 0 {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}
