#!/usr/bin/env bash
# Wall time of `newsidx search` on malformed queries (the refusals of tests/malformed_queries.rs),
# one process per query, against a small index. Prints max and median in milliseconds.
# Usage: scripts/time-query-errors.sh [path/to/newsidx]   (default: target/release/newsidx)
set -euo pipefail
bin=${1:-target/release/newsidx}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/news"
printf 'Salah and Nunez in the Champions League\n\nSalah scored twice and Nunez added a third.\n' > "$work/news/a.txt"
"$bin" --index "$work/index" add "$work/news" >/dev/null 2>&1
queries=(
  '"Champions League' '(Salah OR Nunez' 'Salah)' '- *' '*' 'title:*' 'Salah *' 'unknownfield:foo'
  'Arsenal: late winner' 'Man Utd: the verdict' 'titel:final' 'kind:article' 'AND' 'OR' 'NOT'
  'AND AND' 'Salah AND AND Nunez' 'a OR' 'Liverpool AND NOT' 'NOT(Salah)' '-Salah' '^' 'Salah ^2'
  'Salah^' 'a^1000000000000' 'a^-1' 'Salah^1e3' '~' '"a"~' '"Salah Nunez"~99999999999'
  'title:[a TO' '[a TO z]' 'IN [a b]' '{' '[' '+-a' '--' 'Salah - Nunez' 'title:-a' '\' 'Salah\'
  '/.*/' '/Sal.*/' 'title:' ':foo' '()' 'Salah()' 'title:()' $'Salah\e[31m' $'Sal\aah\b'
  $'Salah\rNunez' '' '   ' '😀' 'Sal*' '"Sal"*' 'Salah~2'
  "$(printf '(%.0s' {1..1000})a$(printf ')%.0s' {1..1000})"
  "$(printf '(%.0s' {1..400})Salah$(printf ')%.0s' {1..400})"
  "$(printf 'Salah %.0s' {1..20000})"
)
times=()
for q in "${queries[@]}"; do
  start=$(date +%s%N)
  set +e
  "$bin" --index "$work/index" search -- "$q" >/dev/null 2>&1
  code=$?
  set -e
  end=$(date +%s%N)
  [ "$code" -eq 2 ] || { echo "not refused (exit $code): $q" >&2; exit 1; }
  times+=($(( (end - start) / 1000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%d queries: median %.1f ms, max %.1f ms\n", NR, a[int((NR+1)/2)]/1000, a[NR]/1000}'
