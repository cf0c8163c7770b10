#!/usr/bin/env bash
# Web reader under load (issue 4): requests/s and p50/p99 latency of search and document pages
# with `wrk` on loopback, and the server's memory before and after, for the server as it runs
# (caches on) and with --no-cache (every request does all its work).
# Usage: bench/web.sh [SECONDS] (default 30). Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-30}"
CORPUS="${CHANCERY_CORPUS:-../shared/corpus}"
WORK="${WORK:-/tmp/chancery-web-bench}"
PORT="${PORT:-8977}"
rm -rf "$WORK" && mkdir -p "$WORK"
cargo build --release -p chancery-cli >/dev/null
BIN=target/release/chancery
URL="http://127.0.0.1:$PORT"

echo "== machine"; nproc; grep -m1 'model name' /proc/cpuinfo; uptime
$BIN --data "$WORK/data" ingest "$CORPUS/frus" "$CORPUS/frus-history/documents" \
  "$CORPUS/hsg/people" "$CORPUS/hsg/pocom" | tail -n 2

# Search pages: the 244 queries of bench/queries.jsonl with their filters; document pages:
# every document of the archive.
python3 - "$WORK/search.txt" <<'PY'
import json, sys, urllib.parse
with open(sys.argv[1], "w") as out:
    for line in open("bench/queries.jsonl"):
        q = json.loads(line)
        p = {"q": q.get("q", "")}
        for k in ("volume", "from", "to", "sort"):
            if q.get(k):
                p[k] = q[k]
        out.write("/search?" + urllib.parse.urlencode(p) + "\n")
PY
$BIN --data "$WORK/data" export --format jsonl | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    print("/%s/%s" % (d["volume"], d["id"]))' > "$WORK/docs.txt"
echo "$(wc -l < "$WORK/search.txt") search paths, $(wc -l < "$WORK/docs.txt") document paths"

measure() { # LABEL SERVE-FLAGS...
  local label=$1; shift
  $BIN --data "$WORK/data" serve --listen "127.0.0.1:$PORT" "$@" 2>/dev/null &
  local pid=$!
  until curl -sf "$URL/api/health" >/dev/null; do sleep 0.2; done
  echo "== $label: server RSS before $(ps -o rss= -p $pid) kB"
  for kind in search docs; do
    echo "-- $label, $kind pages"
    wrk -t2 -c64 -d"${SECS}s" --latency -s bench/paths.lua "$URL" -- "$WORK/$kind.txt" \
      | grep -E "Requests/sec|Non-2xx|Socket errors|^ +(50|99)%|requests in"
  done
  echo "== $label: server RSS after $(ps -o rss= -p $pid) kB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

measure "caches on"
measure "no cache" --no-cache
rm -rf "$WORK"
