//! `newsidx search`: ranked articles with snippets.

use std::io::Write;

use crate::cli::SearchArgs;
use crate::config::Config;
use crate::index::{self, reader::Reader};
use crate::render::{human, json, Style};
use crate::Outcome;

/// Run a search and print the hits.
pub fn run(config: &Config, args: SearchArgs) -> anyhow::Result<Outcome> {
    let reader = Reader::new(index::open(&config.index_dir)?)?;
    let hits = reader.search(&args.query, args.limit)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.output.json {
        let doc = json::SearchOutput {
            schema_version: json::JSON_SCHEMA_VERSION,
            query: &args.query,
            hits: hits
                .iter()
                .enumerate()
                .map(|(i, h)| json::HitJson::new(i + 1, h, None))
                .collect(),
        };
        super::write_json(&mut out, &doc)?;
    } else if args.output.jsonl {
        for (i, h) in hits.iter().enumerate() {
            super::write_json(&mut out, &json::HitJson::new(i + 1, h, Some(&args.query)))?;
        }
    } else if hits.is_empty() {
        eprintln!(
            "no articles match `{}`",
            crate::render::sanitize(&args.query)
        );
    } else {
        human::hits(
            &mut out,
            &hits,
            Style {
                color: config.color,
            },
        )?;
    }
    out.flush()?;
    Ok(if hits.is_empty() {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}
