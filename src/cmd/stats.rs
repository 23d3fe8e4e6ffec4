//! `newsidx stats`: what the index holds.

use std::io::Write;

use crate::cli::StatsArgs;
use crate::config::Config;
use crate::index::{self, reader::Reader};
use crate::render::{human, json, Style};
use crate::Outcome;

/// Print the index's statistics.
pub fn run(config: &Config, args: StatsArgs) -> anyhow::Result<Outcome> {
    let reader = Reader::new(index::open(&config.index_dir)?)?;
    let stats = reader.stats()?;
    let dir = config.index_dir.display().to_string();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        super::write_json(&mut out, &json::StatsJson::new(&dir, &stats))?;
    } else {
        human::stats(
            &mut out,
            &dir,
            &stats,
            Style {
                color: config.color,
            },
        )?;
    }
    out.flush()?;
    Ok(if stats.articles == 0 {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}
