//! `newsidx extract`: what the extractor finds in each article, without an index.

use std::io::Write;

use rayon::prelude::*;

use crate::cli::ExtractArgs;
use crate::config::Config;
use crate::render::{human, json, Style};
use crate::source::{self, discover, Problem};
use crate::Outcome;

/// Read, extract and print every article under the given paths.
pub fn run(config: &Config, args: ExtractArgs) -> anyhow::Result<Outcome> {
    let extractor = super::extractor(config)?;
    let found = discover(&args.paths, false, false);
    let max_bytes = args.max_size.saturating_mul(1024 * 1024);
    let mut problems: Vec<Problem> = found.problems;
    let reads: Vec<source::Read> = found
        .files
        .par_iter()
        .map(|(path, format)| source::read_document(path, *format, max_bytes))
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let style = Style {
        color: config.color,
    };
    let mut printed = 0usize;
    for read in reads {
        problems.extend(read.notes);
        let articles: Vec<_> = read
            .items
            .into_iter()
            .filter_map(|r| r.map_err(|p| problems.push(p)).ok())
            .collect();
        let extracted: Vec<_> = articles.par_iter().map(|a| extractor.extract(a)).collect();
        for (article, extraction) in articles.iter().zip(&extracted) {
            let record = json::ExtractionJson::new(article, extraction);
            if args.json {
                super::write_json(&mut out, &record)?;
            } else {
                human::extraction(&mut out, &record, style)?;
            }
            printed += 1;
        }
    }
    out.flush()?;
    for p in &problems {
        let what = if p.warning { "warning" } else { "skipped" };
        eprintln!(
            "newsidx: {what}: {}: {}",
            crate::render::sanitize(&p.location()),
            p.message
        );
    }
    Ok(if printed == 0 {
        Outcome::NothingFound
    } else if problems.iter().any(|p| !p.warning) {
        Outcome::Partial
    } else {
        Outcome::Found
    })
}
