//! `newsidx search`: ranked articles with snippets, filtered by tags.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;

use tantivy::schema::Facet;

use crate::cli::{FilterArgs, SearchArgs, SortOrder};
use crate::config::Config;
use crate::error::Error;
use crate::index;
use crate::index::reader::{Reader, SearchOptions};
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
    if let Some(file) = &args.batch {
        return batch(&reader, file, args.limit, &filters);
    }
    let q = args.query.as_deref().unwrap_or_default();
    let opts = SearchOptions {
        offset: args.offset,
        by_date: args.sort == SortOrder::Date,
        since: args
            .since
            .as_deref()
            .map(|d| parse_when(d, false))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|d| parse_when(d, true))
            .transpose()?,
        outlets: args.outlet.clone(),
        facets: args.facets.then_some(10),
    };
    let hits = reader.search_with(q, args.limit, &filters, &opts)?;
    let facets = match opts.facets {
        Some(top) => {
            let kb = super::knowledge_base(config)?;
            Some(named_facets(&kb, reader.search_facets(q, &filters, top)?))
        }
        None => None,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.output.json {
        let doc = json::SearchOutput::new(q, &hits, args.offset + 1);
        let mut value = serde_json::to_value(&doc)?;
        if let Some(f) = &facets {
            let mut map = serde_json::Map::new();
            for (kind, list) in f {
                map.insert(kind.clone(), serde_json::to_value(list)?);
            }
            value["facets"] = serde_json::Value::Object(map);
        }
        super::write_json(&mut out, &value)?;
    } else if args.output.jsonl {
        for (i, h) in hits.iter().enumerate() {
            super::write_json(
                &mut out,
                &json::HitJson::new(args.offset + i + 1, h, Some(q)),
            )?;
        }
    } else if hits.is_empty() {
        eprintln!("no articles match `{}`", crate::render::sanitize(q));
    } else {
        human::hits(
            &mut out,
            &hits,
            args.offset + 1,
            Style {
                color: config.color,
            },
        )?;
    }
    if let (Some(f), false) = (&facets, args.output.json || args.output.jsonl) {
        for (kind, list) in f {
            if list.is_empty() {
                continue;
            }
            let names: Vec<String> = list
                .iter()
                .map(|e| format!("{} ({})", crate::render::sanitize(&e.name), e.articles))
                .collect();
            writeln!(out, "{kind}s: {}", names.join(", "))?;
        }
    }
    out.flush()?;
    Ok(if hits.is_empty() {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}

/// `--batch`: every query of a file in one process, one JSON line per query (a bad query
/// gets a line with its `error`, and the batch goes on). Exit 0 when any query found hits.
fn batch(
    reader: &Reader,
    file: &Path,
    limit: usize,
    filters: &[Vec<Facet>],
) -> anyhow::Result<Outcome> {
    let text = if file == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading queries from stdin")?;
        s
    } else {
        std::fs::read_to_string(file)
            .with_context(|| format!("reading queries from {}", file.display()))?
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut any = false;
    for line in text.lines() {
        // Tab-separated "kind<TAB>query" lines (the benchmark's format) keep the query.
        let q = line.rsplit('\t').next().unwrap_or(line).trim();
        if q.is_empty() {
            continue;
        }
        match reader.search(q, limit, filters) {
            Ok(hits) => {
                any |= !hits.is_empty();
                let doc = json::SearchOutput::new(q, &hits, 1);
                super::write_json(&mut out, &doc)?;
            }
            Err(e) => {
                let msg = e.to_string();
                super::write_json(
                    &mut out,
                    &serde_json::json!({"schema_version": json::JSON_SCHEMA_VERSION, "query": q, "error": msg, "hits": []}),
                )?;
            }
        }
    }
    out.flush()?;
    Ok(if any {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

/// `YYYY-MM-DD` (the start of the day, or its end for `--until`) or a span back from now:
/// `7d`, `2w`, `6m`, `1y`.
pub fn parse_when(s: &str, end_of_day: bool) -> Result<i64, Error> {
    let t = s.trim();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        let time = if end_of_day {
            d.and_hms_opt(23, 59, 59)
        } else {
            d.and_hms_opt(0, 0, 0)
        };
        return Ok(time.map(|x| x.and_utc().timestamp()).unwrap_or(0));
    }
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let days = match (num.parse::<i64>(), unit) {
        (Ok(n), "d") => n,
        (Ok(n), "w") => n * 7,
        (Ok(n), "m") => n * 30,
        (Ok(n), "y") => n * 365,
        _ => {
            return Err(Error::Usage(format!(
                "{s:?} is not a date: give YYYY-MM-DD or a span such as 7d, 2w, 6m, 1y"
            )))
        }
    };
    Ok(chrono::Utc::now().timestamp() - days * 86_400)
}

/// A tag and how many hits carry it (`--facets`).
#[derive(serde::Serialize)]
struct FacetEntry {
    id: String,
    name: String,
    articles: u64,
}

fn named_facets(
    kb: &Kb,
    counts: Vec<crate::index::reader::TagCounts>,
) -> Vec<(String, Vec<FacetEntry>)> {
    counts
        .into_iter()
        .map(|(kind, list)| {
            let k = match kind.as_str() {
                "club" => Kind::Club,
                "competition" => Kind::Competition,
                _ => Kind::Person,
            };
            let entries = list
                .into_iter()
                .map(|(id, n)| FacetEntry {
                    name: kb
                        .get(k, &id)
                        .map_or_else(|| id.replace('-', " "), |e| e.name.clone()),
                    id,
                    articles: n,
                })
                .collect();
            (kind, entries)
        })
        .collect()
}

/// The id a name given to `flag` stands for: a knowledge-base entity by any of its names,
/// else the name's slug (people found in the text only). Several candidates are an error
/// that lists them.
pub fn resolve_id(kb: &Kb, name: &str, kinds: &[Kind], flag: &str) -> Result<String, Error> {
    match kb.find(name, kinds).as_slice() {
        [one] => Ok(kb.entities[*one].id.clone()),
        [] => Ok(crate::kb::slug(name)),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|&i| format!("\"{}\"", kb.entities[i].name))
                .collect();
            Err(Error::Usage(format!(
                "{flag} {name:?} is ambiguous: it could mean {}; give the full name",
                list.join(", ")
            )))
        }
    }
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
            let id = resolve_id(kb, name, kinds, flag)?;
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
