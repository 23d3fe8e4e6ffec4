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
    let fields = hit_fields(&args)?;
    let reader = Reader::new(index::open(&config.index_dir)?)?;
    if let Some(file) = &args.batch {
        let how = Batch {
            limit: args.limit,
            fields: &fields,
            timings: args.timings,
        };
        return batch(&reader, file, &filters, &how);
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
        fuzzy: args.fuzzy,
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
        keep_fields(&mut value, &fields);
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
            let mut value =
                serde_json::to_value(json::HitJson::new(args.offset + i + 1, h, Some(q)))?;
            keep_hit_fields(&mut value, &fields);
            super::write_json(&mut out, &value)?;
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

/// Fields of a hit that `--fields` may name.
const HIT_FIELDS: &[&str] = &[
    "rank", "score", "id", "title", "date", "outlet", "url", "source", "line", "tags", "snippet",
];

/// `--fields`, checked: every name known, and JSON output asked for.
fn hit_fields(args: &SearchArgs) -> Result<Vec<String>, Error> {
    let fields: Vec<String> = args
        .fields
        .iter()
        .map(|f| f.trim().to_ascii_lowercase())
        .filter(|f| !f.is_empty())
        .collect();
    if let Some(bad) = fields.iter().find(|f| !HIT_FIELDS.contains(&f.as_str())) {
        return Err(Error::Usage(format!(
            "--fields: unknown field `{}`; choose from {}",
            crate::render::sanitize(bad),
            HIT_FIELDS.join(", ")
        )));
    }
    let json_out = args.output.json || args.output.jsonl || args.batch.is_some();
    if !fields.is_empty() && !json_out {
        return Err(Error::Usage(
            "--fields selects fields of JSON output: add --json, --jsonl or --batch".into(),
        ));
    }
    Ok(fields)
}

/// Keep only `fields` of each hit of a search document (all of them when `fields` is empty).
fn keep_fields(doc: &mut serde_json::Value, fields: &[String]) {
    if let Some(hits) = doc.get_mut("hits").and_then(|h| h.as_array_mut()) {
        for hit in hits {
            keep_hit_fields(hit, fields);
        }
    }
}

/// Keep only `fields` of one hit; the JSON Lines keys `schema_version` and `query` stay.
fn keep_hit_fields(hit: &mut serde_json::Value, fields: &[String]) {
    if fields.is_empty() {
        return;
    }
    if let Some(map) = hit.as_object_mut() {
        map.retain(|k, _| k == "schema_version" || k == "query" || fields.iter().any(|f| f == k));
    }
}

/// How `--batch` runs.
struct Batch<'a> {
    limit: usize,
    fields: &'a [String],
    timings: bool,
}

/// `--batch`: every query of a file in one process, one JSON line per query (a bad query
/// gets a line with its `error`, and the batch goes on). Exit 0 when any query found hits.
fn batch(
    reader: &Reader,
    file: &Path,
    filters: &[Vec<Facet>],
    how: &Batch<'_>,
) -> anyhow::Result<Outcome> {
    let mut took: Vec<std::time::Duration> = Vec::new();
    let bytes = if file == Path::new("-") {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .context("reading queries from stdin")?;
        b
    } else {
        std::fs::read(file).with_context(|| format!("reading queries from {}", file.display()))?
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut any = false;
    for (n, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        // A line that is not UTF-8 gets an error line like any bad query; the batch goes on.
        let line = match std::str::from_utf8(raw) {
            Ok(line) => line,
            Err(e) => {
                let msg = format!(
                    "bad query: line {} is not valid UTF-8 (byte {}): save the queries as UTF-8",
                    n + 1,
                    e.valid_up_to() + 1
                );
                let q = String::from_utf8_lossy(raw);
                super::write_json(
                    &mut out,
                    &serde_json::json!({"schema_version": json::JSON_SCHEMA_VERSION, "query": q.trim(), "error": msg, "hits": []}),
                )?;
                continue;
            }
        };
        // Tab-separated "kind<TAB>query" lines (the benchmark's format) keep the query.
        let q = line.rsplit('\t').next().unwrap_or(line).trim();
        if q.is_empty() {
            continue;
        }
        let started = std::time::Instant::now();
        let result = reader.search(q, how.limit, filters);
        took.push(started.elapsed());
        match result {
            Ok(hits) => {
                any |= !hits.is_empty();
                let doc = json::SearchOutput::new(q, &hits, 1);
                if how.fields.is_empty() {
                    super::write_json(&mut out, &doc)?;
                } else {
                    let mut value = serde_json::to_value(&doc)?;
                    keep_fields(&mut value, how.fields);
                    super::write_json(&mut out, &value)?;
                }
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
    if how.timings && !took.is_empty() {
        took.sort_unstable();
        let at = |p: usize| took[(took.len() * p / 100).min(took.len() - 1)].as_secs_f64() * 1e3;
        eprintln!(
            "newsidx: {} queries in-process: p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms",
            took.len(),
            at(50),
            at(95),
            took[took.len() - 1].as_secs_f64() * 1e3
        );
    }
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
