#!/usr/bin/env bash
# Whole commands against the peers: builds the release binary and runs the shared benchmark
# kit (../shared/bench: tantivy-raw, SQLite FTS5, ripgrep) with the arguments given, e.g.
#   scripts/bench.sh --sets real --quick
#   scripts/bench.sh --sets real,s100k
# Then, unless --no-criterion is first: the extraction micro-benchmark (criterion).
# Results: the kit prints its tables and keeps them under its work folder; see BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
criterion=1
if [ "${1:-}" = "--no-criterion" ]; then criterion=0; shift; fi
KIT=${NEWSIDX_BENCH_KIT:-../shared/bench}
if [ ! -x "$KIT/run.sh" ]; then
  echo "scripts/bench.sh: the benchmark kit is not at $KIT: put ../shared beside the checkout or set NEWSIDX_BENCH_KIT" >&2
  exit 2
fi
cargo build --release --locked
"$KIT/run.sh" "$@"
if [ "$criterion" = 1 ]; then
  cargo bench --locked --bench extract
fi
