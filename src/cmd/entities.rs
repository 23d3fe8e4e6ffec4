//! `newsidx entities`: the players, managers, clubs and competitions in the index, with how
//! many articles mention each.

use std::io::Write;

use serde::Serialize;

use crate::cli::{EntitiesArgs, EntityKind};
use crate::config::Config;
use crate::index::{self, reader::Reader};
use crate::kb::Kind;
use crate::render::{sanitize, Style};
use crate::Outcome;

#[derive(Serialize)]
struct EntityCount {
    kind: String,
    id: String,
    name: String,
    articles: u64,
}

/// Print tag counts.
pub fn run(config: &Config, args: EntitiesArgs) -> anyhow::Result<Outcome> {
    let kb = super::knowledge_base(config)?;
    let reader = Reader::new(index::open(&config.index_dir)?)?;
    let kinds: Vec<&str> = match args.kind {
        Some(k) => vec![k.as_str()],
        None => [
            EntityKind::Player,
            EntityKind::Manager,
            EntityKind::Club,
            EntityKind::Competition,
        ]
        .iter()
        .map(|k| k.as_str())
        .collect(),
    };
    let counts = reader.tag_counts(&kinds, args.top)?;
    let name_of = |kind: &str, id: &str| -> String {
        let k = match kind {
            "club" => Kind::Club,
            "competition" => Kind::Competition,
            _ => Kind::Person,
        };
        kb.get(k, id).map(|e| e.name.clone()).unwrap_or_else(|| {
            id.split('-')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let style = Style {
        color: config.color,
    };
    let mut total = 0;
    let mut rows = Vec::new();
    for (kind, list) in &counts {
        if !args.json && !list.is_empty() {
            writeln!(out, "{}", style.bold(&format!("{kind}s")))?;
        }
        for (id, n) in list {
            total += 1;
            let name = name_of(kind, id);
            if args.json {
                rows.push(EntityCount {
                    kind: kind.clone(),
                    id: id.clone(),
                    name,
                    articles: *n,
                });
            } else {
                writeln!(out, "  {n:>7}  {}", sanitize(&name))?;
            }
        }
    }
    if args.json {
        super::write_json(
            &mut out,
            &serde_json::json!({
                "schema_version": crate::render::json::JSON_SCHEMA_VERSION,
                "entities": rows,
            }),
        )?;
    }
    out.flush()?;
    Ok(if total == 0 {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}
