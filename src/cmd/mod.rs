//! One file per subcommand: glue between the command line, the library and the renderers.

pub mod add;
pub mod rm;
pub mod search;
pub mod show;
pub mod stats;

use std::io::Write;
use std::path::Path;

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

/// Write one JSON value and a newline.
pub fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}
