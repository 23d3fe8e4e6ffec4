#!/bin/sh
# Crash safety, full run: `newsidx add` killed with SIGKILL at random moments, 200 trials
# (or $1), with the release binary, on a generated corpus of 2,000 articles (tagging on, so
# quote and match-fact documents are written too) committed about eight times per run.
# Prints one line of figures (trials, failures, documents lost, kills, ...) as recorded in
# RELIABILITY.md. Other sizes: NEWSIDX_CRASH_ARTICLES=8000 (JSON Lines files of 1,000 lines:
# commits inside files too). Replay one failing trial: NEWSIDX_CRASH_SEED=<its seed>
# NEWSIDX_CRASH_TRIALS=1.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
# A private copy: a concurrent `cargo build` cannot replace it halfway through the run.
bin_dir="$(mktemp -d)"
trap 'rm -rf "$bin_dir"' EXIT
cp target/release/newsidx "$bin_dir/newsidx"
export NEWSIDX_CRASH_BIN="$bin_dir/newsidx"
export NEWSIDX_CRASH_TRIALS="${1:-${NEWSIDX_CRASH_TRIALS:-200}}"
export NEWSIDX_CRASH_ARTICLES="${NEWSIDX_CRASH_ARTICLES:-2000}"
export NEWSIDX_CRASH_TAGS="${NEWSIDX_CRASH_TAGS:-1}"
cargo test --release --test crash -- --nocapture add_killed_at_random_moments
