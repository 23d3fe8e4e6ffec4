//! The `newsidx` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// jemalloc rather than the system's malloc: see `newsidx::memory`.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
