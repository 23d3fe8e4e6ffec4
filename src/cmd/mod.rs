//! One file per subcommand: glue between the command line, the library and the renderers.

pub mod add;
pub mod check;
pub mod docs;
pub mod entities;
pub mod extract;
pub mod facts;
pub mod kb;
pub mod quotes;
pub mod rm;
pub mod search;
pub mod show;
pub mod stats;

use std::io::Write;

use crate::config::Config;
use crate::extract::Extractor;
use crate::kb::Kb;
use std::path::Path;

/// The knowledge base of this run: the built-in one, then `INDEX/kb.txt` when present, then
/// every `--kb FILE` in order, compiled into an extractor.
pub fn extractor(config: &Config) -> anyhow::Result<Extractor> {
    Ok(Extractor::new(knowledge_base(config)?))
}

/// The knowledge base of this run (see [`extractor`]).
pub fn knowledge_base(config: &Config) -> anyhow::Result<Kb> {
    let mut kb = Kb::builtin();
    let kept = config.index_dir.join(crate::kb::INDEX_KB_FILE);
    let files = kept
        .is_file()
        .then_some(kept)
        .into_iter()
        .chain(config.kb_files.iter().cloned());
    for file in files {
        kb.extend_from_file(&file).map_err(|e| {
            anyhow::anyhow!(
                "knowledge base {e}: fix that line (format: kb/README.md) or leave the file out"
            )
        })?;
    }
    Ok(kb)
}

/// A stored source path shown relative to the working directory when it is under it.
pub fn display_path(source: &str) -> String {
    let path = Path::new(source);
    if let Ok(cwd) = std::env::current_dir() {
        if let Ok(rel) = path.strip_prefix(&cwd) {
            return rel.display().to_string();
        }
    }
    source.to_string()
}

/// Write one JSON value and a newline. Serialised first, so a closed pipe surfaces as the
/// `io::Error` it is (which the binary treats as success), not as a serde error.
pub fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut bytes = serde_json::to_vec(value)?;
    bytes.push(b'\n');
    out.write_all(&bytes)?;
    Ok(())
}
