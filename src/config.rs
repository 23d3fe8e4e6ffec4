//! Arguments resolved once against the environment (NEWSIDX_INDEX, NO_COLOR) and the terminal.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{ColorChoice, GlobalArgs};

/// Settings every command needs, decided once.
#[derive(Debug, Clone)]
pub struct Config {
    /// The index directory.
    pub index_dir: PathBuf,
    /// Whether stdout gets ANSI colours.
    pub color: bool,
    /// Whether stderr is a terminal (progress bars are drawn only then).
    pub stderr_is_terminal: bool,
    /// User knowledge-base files, in order.
    pub kb_files: Vec<PathBuf>,
}

impl Config {
    /// Resolve: `--index`, then `NEWSIDX_INDEX` (clap reads it), then `./index`;
    /// `--color`, then `NO_COLOR`, then whether stdout is a terminal.
    pub fn resolve(global: &GlobalArgs) -> Config {
        let index_dir = global
            .index
            .clone()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("index"));
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        Config {
            index_dir,
            color,
            stderr_is_terminal: std::io::stderr().is_terminal(),
            kb_files: global.kb.clone(),
        }
    }
}
