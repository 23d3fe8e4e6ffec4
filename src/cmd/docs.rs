//! `newsidx completions` and `newsidx man`: generated from the command-line definition, so
//! they never drift from it.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::Outcome;

/// Print a completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "newsidx", &mut out);
    std::io::stdout().lock().write_all(&out)?;
    Ok(Outcome::Found)
}

/// Print the manual page.
pub fn man() -> anyhow::Result<Outcome> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    std::io::stdout().lock().write_all(&out)?;
    Ok(Outcome::Found)
}
