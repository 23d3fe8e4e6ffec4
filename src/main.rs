//! The `newsidx` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = newsidx::cli::Cli::parse();
    match newsidx::run(cli) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(err) => {
            if newsidx::is_broken_pipe(&err) {
                // The reader went away (e.g. `newsidx search x | head -1`): not an error.
                return ExitCode::SUCCESS;
            }
            eprintln!("newsidx: error: {}", newsidx::describe(&err));
            ExitCode::from(newsidx::exit_code_for(&err))
        }
    }
}
