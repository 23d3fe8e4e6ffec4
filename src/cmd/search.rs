//! `newsidx search`: ranked articles with snippets, filtered by tags.

use std::io::Write;

use tantivy::schema::Facet;

use crate::cli::{FilterArgs, SearchArgs};
use crate::config::Config;
use crate::error::Error;
use crate::index::{self, reader::Reader};
use crate::kb::{Kb, Kind};
use crate::render::{human, json, Style};
use crate::Outcome;

/// Run a search and print the hits.
pub fn run(config: &Config, args: SearchArgs) -> anyhow::Result<Outcome> {
    let filters = if has_filters(&args.filters) {
        resolve_filters(&super::knowledge_base(config)?, &args.filters)?
    } else {
        Vec::new()
    };
    let reader = Reader::new(index::open(&config.index_dir)?)?;
    let hits = reader.search(&args.query, args.limit, &filters)?;
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

fn has_filters(f: &FilterArgs) -> bool {
    !(f.player.is_empty() && f.club.is_empty() && f.competition.is_empty())
}

/// Each `--player/--club/--competition NAME` becomes the set of tag facets it can mean.
/// A name that could mean several entities is an error listing them.
pub fn resolve_filters(kb: &Kb, f: &FilterArgs) -> Result<Vec<Vec<Facet>>, Error> {
    let mut out = Vec::new();
    for (names, kinds, flag) in [
        (&f.player, &[Kind::Person][..], "--player"),
        (&f.club, &[Kind::Club, Kind::National][..], "--club"),
        (&f.competition, &[Kind::Competition][..], "--competition"),
    ] {
        for name in names {
            let found = kb.find(name, kinds);
            let id = match found.as_slice() {
                [one] => kb.entities[*one].id.clone(),
                [] => crate::kb::slug(name),
                many => {
                    let list: Vec<String> = many
                        .iter()
                        .map(|&i| format!("\"{}\"", kb.entities[i].name))
                        .collect();
                    return Err(Error::Usage(format!(
                        "{flag} {name:?} is ambiguous: it could mean {}; give the full name",
                        list.join(", ")
                    )));
                }
            };
            let roots: &[&str] = match flag {
                "--player" => &["player", "manager"],
                "--club" => &["club"],
                _ => &["competition"],
            };
            out.push(
                roots
                    .iter()
                    .map(|r| Facet::from_path([*r, id.as_str()]))
                    .collect(),
            );
        }
    }
    Ok(out)
}
