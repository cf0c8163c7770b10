#!/usr/bin/env bash
# Reproduces docs/BENCHMARKS.md: Chancery against the FTS5 baseline, same files, same queries,
# same session. Usage: bench/run.sh [SIZE] (default 2G; the shared corpus is always measured).
# Needs: python3 with lxml (pip install lxml), /usr/bin/time. Writes only under $WORK.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE="${1:-2G}"
CORPUS="${CHANCERY_CORPUS:-../shared/corpus}"
WORK="${WORK:-/tmp/chancery-bench}"
rm -rf "$WORK" && mkdir -p "$WORK"
cargo build --release -p chancery-cli >/dev/null
BIN=target/release/chancery
SHARED=("$CORPUS/frus" "$CORPUS/frus-history/documents")

echo "== machine"; nproc; grep -m1 'model name' /proc/cpuinfo; free -g | head -2; uptime

run() { # NAME PATHS...
  local name=$1; shift
  echo "== $name: chancery ingest"
  /usr/bin/time -f "peak RSS %M kB, %P CPU" $BIN --data "$WORK/$name-chancery" ingest "$@" | tail -n 2
  echo "== $name: baseline ingest"
  /usr/bin/time -f "peak RSS %M kB, %P CPU" python3 bench/baseline/fts5_baseline.py ingest --fresh "$WORK/$name-fts5.db" "$@"
  echo "== $name: chancery search"
  $BIN --data "$WORK/$name-chancery" bench search bench/queries.jsonl --repeat 3
  echo "== $name: baseline search"
  python3 bench/baseline/fts5_baseline.py search "$WORK/$name-fts5.db" bench/queries.jsonl --repeat 3
}

run shared "${SHARED[@]}"
python3 bench/gen_corpus.py --source "$CORPUS/frus" --source "$CORPUS/frus-history/documents" \
  --out "$WORK/gen" --size "$SIZE" -q
run "scaled-$SIZE" "$WORK/gen" "${SHARED[@]}"
rm -rf "$WORK"
