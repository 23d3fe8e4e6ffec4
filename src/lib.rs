//! newsidx: an embedded full-text search index for football news.
//!
//! Data flows one way:
//!
//! ```text
//! files/stdin ──► source  (walk, read, decode, split into Article)
//!             ──► extract (clean, tag entities, quotes, match facts)   pure functions, no I/O
//!             ──► index   (the only module that knows tantivy: schema, write, read, query)
//!             ──► render  (the only module that prints: human / JSON / JSONL)
//! ```
//!
//! [`run`] takes the parsed command line and returns an [`Outcome`], which the binary turns
//! into an exit code (0 found, 1 nothing found, 2 error, 3 index busy, 4 `add`
//! finished but skipped some inputs).

pub mod cli;
pub mod cmd;
pub mod config;
pub mod error;
pub mod extract;
pub mod index;
pub mod kb;
pub mod memory;
pub mod render;
pub mod source;

pub use error::{describe, exit_code_for, is_broken_pipe, Error};

/// What a successful command reports back to the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Results were printed (or the command did its job).
    Found,
    /// The command ran fine but found nothing.
    NothingFound,
    /// `add` finished, but some inputs were skipped (each was reported).
    Partial,
}

impl Outcome {
    /// The process exit code for this outcome.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Found => 0,
            Outcome::NothingFound => 1,
            Outcome::Partial => 4,
        }
    }
}

/// Run one command.
pub fn run(cli: cli::Cli) -> anyhow::Result<Outcome> {
    let config = config::Config::resolve(&cli.global);
    match cli.command {
        cli::Command::Add(args) => cmd::add::run(&config, args),
        cli::Command::Search(args) => cmd::search::run(&config, args),
        cli::Command::Show(args) => cmd::show::run(&config, args),
        cli::Command::Quotes(args) => cmd::quotes::run(&config, args),
        cli::Command::Facts(args) => cmd::facts::run(&config, args),
        cli::Command::Stats(args) => cmd::stats::run(&config, args),
        cli::Command::Rm(args) => cmd::rm::run(&config, args),
        cli::Command::Check(args) => cmd::check::run(&config, args),
        cli::Command::Extract(args) => cmd::extract::run(&config, args),
        cli::Command::Entities(args) => cmd::entities::run(&config, args),
        cli::Command::Kb(cli::KbCommand::Import(args)) => cmd::kb::import(&config, args),
        cli::Command::Completions { shell } => cmd::docs::completions(shell),
        cli::Command::Man => cmd::docs::man(),
    }
}
