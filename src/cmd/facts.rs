//! `newsidx facts`: match results, each result listed once with every article that reports it;
//! reports that give the same two teams on the same match date different scores are flagged.

use std::io::Write;

use serde::Serialize;

use crate::cli::FactsArgs;
use crate::config::Config;
use crate::error::Error;
use crate::index::reader::FactHit;
use crate::index::{self, reader::Reader};
use crate::render::json::{ArticleRefJson, JSON_SCHEMA_VERSION};
use crate::render::{sanitize, Style};
use crate::Outcome;

/// One match, as reported by one or more articles.
#[derive(Serialize)]
struct MatchJson<'a> {
    home: &'a str,
    home_id: &'a str,
    away: &'a str,
    away_id: &'a str,
    home_score: u32,
    away_score: u32,
    competition: Option<&'a str>,
    stage: Option<&'a str>,
    venue: Option<&'a str>,
    /// Match date (`YYYY-MM-DD` or `YYYY`), else null.
    date: Option<&'a str>,
    scorers: Vec<&'a crate::extract::details::Scorer>,
    /// Another report gives the same teams on the same date a different score.
    disputed: bool,
    aggregate: Option<&'a str>,
    penalties: Option<&'a str>,
    extra_time: bool,
    sources: Vec<SourceJson<'a>>,
}

#[derive(Serialize)]
struct SourceJson<'a> {
    evidence: &'a str,
    confidence: f32,
    article: ArticleRefJson<'a>,
}

/// List results.
pub fn run(config: &Config, args: FactsArgs) -> anyhow::Result<Outcome> {
    let kb = super::knowledge_base(config)?;
    let filters = super::search::resolve_filters(&kb, &args.filters)?;
    if let Some(d) = &args.since {
        if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
            return Err(Error::Usage(format!("--since {d:?}: give a date as YYYY-MM-DD")).into());
        }
    }
    let reader = Reader::new(index::open(&config.index_dir)?)?;
    // Facts are few per article: read generously, then group.
    let hits = reader.facts(args.limit.saturating_mul(20).max(1000), &filters)?;
    // --club keeps the results of that club, not every result in an article that names it.
    let club_ids: Vec<String> = filters
        .iter()
        .flatten()
        .filter_map(|f| {
            let path = f.to_path();
            (path.first() == Some(&"club"))
                .then(|| path.get(1).map(|s| s.to_string()))
                .flatten()
        })
        .collect();
    let hits: Vec<&FactHit> = hits
        .iter()
        .filter(|h| {
            club_ids
                .iter()
                .all(|c| &h.fact.home_id == c || &h.fact.away_id == c)
        })
        .filter(|h| {
            match (
                &args.since,
                h.fact
                    .date
                    .as_ref()
                    .filter(|d| d.len() == 10)
                    .or(h.article.date.as_ref()),
            ) {
                (Some(since), Some(date)) => date.as_str() >= since.as_str(),
                (Some(_), None) => false,
                (None, _) => true,
            }
        })
        .collect();
    // One entry per (teams, score), teams in a stable order.
    let mut groups: Vec<(String, String, u32, u32, Vec<&FactHit>)> = Vec::new();
    for h in &hits {
        let f = &h.fact;
        let (a, b, sa, sb) = if f.home_id <= f.away_id {
            (&f.home_id, &f.away_id, f.home_score, f.away_score)
        } else {
            (&f.away_id, &f.home_id, f.away_score, f.home_score)
        };
        match groups
            .iter_mut()
            .find(|g| &g.0 == a && &g.1 == b && g.2 == sa && g.3 == sb)
        {
            Some(g) => g.4.push(h),
            None => groups.push((a.clone(), b.clone(), sa, sb, vec![h])),
        }
    }
    groups.truncate(args.limit);
    let matches: Vec<MatchJson<'_>> = groups
        .iter()
        .map(|(_, _, _, _, reports)| {
            let first = &reports[0].fact;
            MatchJson {
                home: &first.home,
                home_id: &first.home_id,
                away: &first.away,
                away_id: &first.away_id,
                home_score: first.home_score,
                away_score: first.away_score,
                competition: reports.iter().find_map(|r| r.fact.competition.as_deref()),
                stage: reports.iter().find_map(|r| r.fact.stage.as_deref()),
                venue: reports.iter().find_map(|r| r.fact.venue.as_deref()),
                date: reports.iter().find_map(|r| r.fact.date.as_deref()),
                scorers: {
                    let mut seen: Vec<&crate::extract::details::Scorer> = Vec::new();
                    for r in reports {
                        for sc in &r.fact.scorers {
                            if !seen.iter().any(|x| x.name == sc.name) {
                                seen.push(sc);
                            }
                        }
                    }
                    seen
                },
                disputed: disputed(&hits, reports),
                aggregate: reports.iter().find_map(|r| r.fact.aggregate.as_deref()),
                penalties: reports.iter().find_map(|r| r.fact.penalties.as_deref()),
                extra_time: reports.iter().any(|r| r.fact.extra_time),
                sources: reports
                    .iter()
                    .map(|r| SourceJson {
                        evidence: &r.fact.evidence,
                        confidence: r.fact.confidence,
                        article: ArticleRefJson::from(&r.article),
                    })
                    .collect(),
            }
        })
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.output.json {
        super::write_json(
            &mut out,
            &serde_json::json!({"schema_version": JSON_SCHEMA_VERSION, "matches": matches}),
        )?;
    } else if args.output.jsonl {
        for m in &matches {
            let mut v = serde_json::to_value(m)?;
            v["schema_version"] = JSON_SCHEMA_VERSION.into();
            super::write_json(&mut out, &v)?;
        }
    } else if matches.is_empty() {
        eprintln!("no results match");
    } else {
        let style = Style {
            color: config.color,
        };
        for m in &matches {
            let mut line = format!(
                "{} {}-{} {}",
                sanitize(m.home),
                m.home_score,
                m.away_score,
                sanitize(m.away)
            );
            let details: Vec<String> = [m.competition, m.stage, m.venue, m.date]
                .iter()
                .flatten()
                .map(|x| sanitize(x).into_owned())
                .collect();
            if !details.is_empty() {
                line.push_str(&format!(" ({})", details.join(", ")));
            }
            if m.extra_time {
                line.push_str(" aet");
            }
            if let Some(p) = m.penalties {
                line.push_str(&format!(", {} on penalties", sanitize(p)));
            }
            if let Some(a) = m.aggregate {
                line.push_str(&format!(", {} on aggregate", sanitize(a)));
            }
            if m.disputed {
                line.push_str("  [reports disagree]");
            }
            writeln!(out, "{}", style.bold(&line))?;
            if !m.scorers.is_empty() {
                let names: Vec<String> = m
                    .scorers
                    .iter()
                    .map(|sc| {
                        let mut n = sanitize(&sc.name).into_owned();
                        if sc.goals > 1 {
                            n.push_str(&format!(" {}", sc.goals));
                        }
                        n
                    })
                    .collect();
                writeln!(out, "   scorers: {}", names.join(", "))?;
            }
            for s in &m.sources {
                let mut meta = vec![sanitize(s.article.title).into_owned()];
                if let Some(d) = s.article.date {
                    meta.push(d.to_string());
                }
                if let Some(o) = s.article.outlet {
                    meta.push(sanitize(o).into_owned());
                }
                writeln!(out, "   {}", style.dim(&meta.join(" · ")))?;
            }
        }
    }
    out.flush()?;
    Ok(if matches.is_empty() {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}

/// Same two teams, same full match date, a different score in another report.
fn disputed(hits: &[&FactHit], reports: &[&FactHit]) -> bool {
    reports.iter().any(|r| {
        let Some(date) = r.fact.date.as_ref().filter(|d| d.len() == 10) else {
            return false;
        };
        hits.iter().any(|h| {
            let (a, b) = (&h.fact, &r.fact);
            let same_date = a.date.as_ref() == Some(date);
            let oriented = if a.home_id == b.home_id && a.away_id == b.away_id {
                Some((a.home_score, a.away_score))
            } else if a.home_id == b.away_id && a.away_id == b.home_id {
                Some((a.away_score, a.home_score))
            } else {
                None
            };
            same_date && oriented.is_some_and(|s| s != (b.home_score, b.away_score))
        })
    })
}
