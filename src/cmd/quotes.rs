//! `newsidx quotes`: what people said, with who said it and where it was reported.

use std::io::Write;

use tantivy::schema::Facet;

use crate::cli::QuotesArgs;
use crate::config::Config;
use crate::index::{self, reader::Reader};
use crate::kb::Kind;
use crate::render::{human, json, Style};
use crate::Outcome;

/// Find quotes and print them.
pub fn run(config: &Config, args: QuotesArgs) -> anyhow::Result<Outcome> {
    let kb = super::knowledge_base(config)?;
    let mut filters = super::search::resolve_filters(&kb, &args.filters)?;
    for name in &args.speaker {
        let id = super::search::resolve_id(&kb, name, &[Kind::Person], "--speaker")?;
        filters.push(vec![Facet::from_path(["speaker", id.as_str()])]);
    }
    let reader = Reader::new(index::open(&config.index_dir)?)?;
    let quotes = reader.quotes(args.query.as_deref(), args.limit, &filters, args.all)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let query = args.query.as_deref();
    if args.output.json {
        let doc = json::QuotesOutput {
            schema_version: json::JSON_SCHEMA_VERSION,
            query,
            quotes: quotes
                .iter()
                .map(|q| json::QuoteHitJson::new(q, None))
                .collect(),
        };
        super::write_json(&mut out, &doc)?;
    } else if args.output.jsonl {
        for q in &quotes {
            super::write_json(
                &mut out,
                &json::QuoteHitJson::new(q, Some(query.unwrap_or(""))),
            )?;
        }
    } else if quotes.is_empty() {
        eprintln!("no quotes match");
    } else {
        human::quotes(
            &mut out,
            &quotes,
            Style {
                color: config.color,
            },
        )?;
    }
    out.flush()?;
    Ok(if quotes.is_empty() {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}
