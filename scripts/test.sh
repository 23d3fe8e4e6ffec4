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

# The extraction evaluation (../shared/eval, when present): the tagging bars of the
# knowledge-base and quotes issues. Bars: players, clubs and competitions 0.90, managers
# 0.85 (strict F1); quotes found 0.90, attribution 0.90, end to end 0.85; facts 0.85.
EVAL=../shared/eval
if [ -f "$EVAL/score.py" ] && command -v python3 >/dev/null 2>&1; then
  echo "== extraction evaluation"
  cargo build --release --locked
  mkdir -p eval-out
  ./target/release/newsidx extract --json "$EVAL/dev/articles/" > eval-out/pred.jsonl
  python3 "$EVAL/score.py" --gold "$EVAL/dev/gold.jsonl" --pred eval-out/pred.jsonl \
    --min players.strict.f1=0.90 --min managers.strict.f1=0.85 \
    --min clubs.strict.f1=0.90 --min competitions.strict.f1=0.90 \
    --min quotes.found.f1=0.90 --min quotes.attribution_accuracy=0.90 --min quotes.end_to_end.f1=0.85 \
    --min facts.f1=0.85
else
  echo "== extraction evaluation skipped: $EVAL/score.py or python3 not found"
fi
