#!/usr/bin/env bash
# Several nodes (issue 6), as in docs/BENCHMARKS.md: search throughput of one, two and three
# `chancery serve` nodes sharing one PostgreSQL catalog, under wrk; and how long a new node takes
# to copy the catalog and build its index.
#
#   eval "$(.ci/postgres.sh)"      # CHANCERY_PG_URL
#   bench/nodes.sh                 # shared corpus
#   bench/nodes.sh DIR...          # the shared corpus plus more files (e.g. a gen_corpus.py folder)
#
# Env: DURATION (wrk, default 30s), CONNECTIONS (default 66: 11 per wrk thread, 6 threads, so
# that one, two and three nodes each get an equal share), WORK (default /tmp/chancery-nodes-bench),
# CATCHUP_ONLY=1 (stop after the ingest and the new node's catch-up), NO_CACHE=1 (nodes run with
# `serve --no-cache`: every request searches and renders, nothing is kept).
# Needs wrk, curl, psql, python3. Drops and makes the database chancery_bench_nodes.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${CHANCERY_CORPUS:-../shared/corpus}"
WORK="${WORK:-/tmp/chancery-nodes-bench}"
DURATION="${DURATION:-30s}"
CONNECTIONS="${CONNECTIONS:-66}"
: "${CHANCERY_PG_URL:?set CHANCERY_PG_URL (eval \"\$(.ci/postgres.sh)\")}"
DB=chancery_bench_nodes
URL="${CHANCERY_PG_URL%/*}/$DB"
INPUTS=("$CORPUS/frus" "$CORPUS/frus-history/documents" "$@")

cargo build --release -p chancery-cli >/dev/null
BIN="$(pwd)/target/release/chancery"
rm -rf "$WORK" && mkdir -p "$WORK"
psql -X -q -d "$CHANCERY_PG_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql -X -q -d "$CHANCERY_PG_URL" -c "CREATE DATABASE $DB"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== machine"; nproc; grep -m1 'model name' /proc/cpuinfo; free -g | head -2; uptime

echo "== ingest through PostgreSQL: ${INPUTS[*]}"
/usr/bin/time -f "%e s, peak RSS %M kB, %P CPU" \
  "$BIN" --data "$WORK/writer" --database "$URL" ingest --json "${INPUTS[@]}" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print("%d files, %d documents, %.1f MB in %.2f s: %.1f MB/s" % (d["files"], d["documents"], d["bytes"]/1e6, d["seconds"], d["mb_per_second"]))'
total=$("$BIN" --data "$WORK/writer" --database "$URL" search --json --limit 1 'secretary' | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "'secretary' matches $total documents"

echo "== a new node catches up (empty folder: copy the catalog, build the index)"
/usr/bin/time -f "%e s, peak RSS %M kB, %P CPU" \
  "$BIN" --data "$WORK/fresh" --database "$URL" stats --json |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print("%d documents copied, %d indexed, index %.1f MB, catalog copy %.1f MB" % (d["documents"], d["indexed"], d["index_bytes"]/1e6, d["catalog_bytes"]/1e6))'

if [ "${CATCHUP_ONLY:-0}" = 1 ]; then exit 0; fi

# Request paths: the 244 queries of bench/queries.jsonl through /api/search, 20 hits each.
python3 - "$WORK/paths.txt" <<'EOF'
import json, sys, urllib.parse
with open("bench/queries.jsonl") as f, open(sys.argv[1], "w") as out:
    for line in f:
        q = json.loads(line)
        p = {"q": q["q"], "limit": "20"}
        for k in ("volume", "from", "to"):
            if q[k]:
                p[k] = q[k]
        if q["sort"] != "relevance":
            p["sort"] = q["sort"]
        if q["facets"]:
            p["facets"] = "true"
        out.write("/api/search?" + urllib.parse.urlencode(p) + "\n")
EOF

start_node() { # NAME PORT
  local extra=()
  if [ "${NO_CACHE:-0}" = 1 ]; then extra=(--no-cache); fi
  "$BIN" --data "$WORK/$1" --database "$URL" serve --listen "127.0.0.1:$2" "${extra[@]}" 2>"$WORK/$1.log" &
  pids+=($!)
}

ready() { # PORT: /api/health says ready with nothing left to copy, or (no health) totals agree
  local h
  h=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:$1/api/health" || true)
  case "${h##*$'\n'}" in
    200) echo "${h%$'\n'*}" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["ready"] and d["status"]["lag"] == 0 and d["status"]["index_lag"] == 0 else 1)' ;;
    404) [ "$(curl -s "http://127.0.0.1:$1/api/search?q=secretary&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' 2>/dev/null)" = "$total" ] ;;
    *) return 1 ;;
  esac
}

wait_ready() { # PORT
  local t0=$SECONDS
  until ready "$1"; do
    sleep 0.1
    if ((SECONDS - t0 > 1800)); then echo "node on $1 not ready" >&2; exit 1; fi
  done
}

echo "== a new node started empty: time until /api/health says ready"
t0=$(date +%s.%N)
start_node node1 18081
wait_ready 18081
echo "node1 ready after $(python3 -c "import time; print('%.2f' % (time.time() - $t0))") s"
start_node node2 18082
start_node node3 18083
wait_ready 18082
wait_ready 18083

run_wrk() { # NODES...
  local nodes
  nodes=$(IFS=,; echo "$*")
  echo "== wrk -t6 -c$CONNECTIONS -d$DURATION --latency, the 244-query rotation over: $nodes"
  uptime
  NODES="$nodes" PATHS="$WORK/paths.txt" wrk -t6 -c"$CONNECTIONS" -d"$DURATION" --latency \
    -s bench/nodes.lua "http://$1/" | grep -E 'Latency|50%|90%|99%|requests in|Requests/sec|Non-2xx|Socket errors'
}

# One warm-up pass over each node so every run measures the same (cached) state.
for p in 18081 18082 18083; do
  NODES="127.0.0.1:$p" PATHS="$WORK/paths.txt" wrk -t1 -c4 -d3s -s bench/nodes.lua "http://127.0.0.1:$p/" >/dev/null
done
run_wrk 127.0.0.1:18081
run_wrk 127.0.0.1:18081 127.0.0.1:18082
run_wrk 127.0.0.1:18081 127.0.0.1:18082 127.0.0.1:18083
for p in "${pids[@]}"; do
  echo "node pid $p RSS $(awk '/VmRSS/ {print $2, $3}' "/proc/$p/status")"
done
