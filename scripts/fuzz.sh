#!/usr/bin/env bash
# Run every cargo-fuzz target of newsidx one after another, each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 60 s each, all targets)
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Not part of
# `cargo test`. New corpus entries go to fuzz/corpus/<target>/ and crashes to
# fuzz/artifacts/<target>/ (both ignored by git); seeds come from fuzz/seeds/ and the bundled
# sample articles in corpus/. Each run's libFuzzer log is kept in fuzz/logs/<target>.log.
# Reproduce a crash: cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>
# Minimise it:       cargo +nightly fuzz tmin <target> fuzz/artifacts/<target>/<file>
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
secs=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(read_document extract query)
fi

# Seeds from the sample articles: the raw text for extract; for read_document a first byte
# that selects the format (0 txt, 1 md, 2 html, 3 json, 4 jsonl), as the target expects.
mkdir -p fuzz/corpus/read_document fuzz/corpus/extract fuzz/corpus/query fuzz/logs
for f in corpus/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    case "$name" in
        *.txt) sel='\000' ;;
        *.md) sel='\001' ;;
        *.html) sel='\002' ;;
        *.json) sel='\003' ;;
        *.jsonl) sel='\004' ;;
        *) continue ;;
    esac
    [ -e "fuzz/corpus/read_document/seed-$name" ] ||
        { printf "$sel"; cat "$f"; } >"fuzz/corpus/read_document/seed-$name"
    [ -e "fuzz/corpus/extract/seed-$name" ] || cp "$f" "fuzz/corpus/extract/seed-$name"
done

status=0
for t in "${targets[@]}"; do
    case "$t" in
        read_document | extract) max_len=65536 ;;
        query) max_len=4096 ;;
        *)
            echo "unknown target $t (read_document, extract, query)" >&2
            exit 2
            ;;
    esac
    seeds=()
    [ -d "fuzz/seeds/$t" ] && seeds=("$root/fuzz/seeds/$t")
    echo "== $t: ${secs}s, max_len $max_len" >&2
    # -timeout: an input slower than 30 s (sanitizer build) counts as a hang to fix.
    if ! (cd fuzz && cargo +nightly fuzz run "$t" "$root/fuzz/corpus/$t" "${seeds[@]}" -- \
        -max_total_time="$secs" -max_len="$max_len" -timeout=30 -rss_limit_mb=4096 \
        -print_final_stats=1) 2>&1 | tee "fuzz/logs/$t.log" >&2; then
        echo "== $t: FAILED, see fuzz/artifacts/$t/ and fuzz/logs/$t.log" >&2
        status=1
    fi
    grep -E '^stat::number_of_executed_units|^Done [0-9]+ runs' "fuzz/logs/$t.log" >&2 || true
done
exit $status
