//! `newsidx show`: one whole stored article.

use std::io::Write;

use crate::cli::ShowArgs;
use crate::config::Config;
use crate::index::{self, reader::Reader};
use crate::render::{human, json, Style};
use crate::Outcome;

/// Print the article with this id.
pub fn run(config: &Config, args: ShowArgs) -> anyhow::Result<Outcome> {
    let reader = Reader::new(index::open(&config.index_dir)?)?;
    let article = reader.article(&args.id)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        super::write_json(&mut out, &json::ArticleJson::from(&article))?;
    } else {
        human::article(
            &mut out,
            &article,
            Style {
                color: config.color,
            },
        )?;
    }
    out.flush()?;
    Ok(Outcome::Found)
}
