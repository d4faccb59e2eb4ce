#!/usr/bin/env bash
# Preview server benchmark: on a synthetic library of N reviews
# (internal/corpus, seed 1) it runs `casebook serve` under /usr/bin/time
# until the first load and the in-memory search index are done (the
# first /api/search answer) and HOLD seconds after, and prints its peak
# RSS: the figure the 1 GB target at 10,000 reviews is about. Then, unless
# RELOAD=0, it runs the preview's edit-to-reload benchmark
# (internal/preview's BenchmarkServeReload, under the same memory limit
# as `casebook serve`) for a body edit, a summary edit and a new term, and
# prints its medians.
#
#   bench/serve.sh                  # 10,000 reviews
#   N=2000 EDITS=5 bench/serve.sh   # quicker
#
# Settings: N (10000), HOLD (10), EDITS (20 per kind), RELOAD (1),
# CACHE_DIR (/tmp/casebook-serve-bench; the corpus is kept there).
set -euo pipefail

N=${N:-10000}
HOLD=${HOLD:-10}
EDITS=${EDITS:-20}
RELOAD=${RELOAD:-1}
CACHE_DIR=${CACHE_DIR:-/tmp/casebook-serve-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time" >&2; exit 1; }

(cd "$ROOT" && go build -o "$TMP/casebook" ./cmd/casebook && go build -o "$TMP/casebook-corpus" ./cmd/casebook-corpus)
CORPUS="$CACHE_DIR/corpus-$N"
if [ ! -f "$CORPUS/casebook.yaml" ]; then
	rm -rf "$CORPUS"
	mkdir -p "$CACHE_DIR"
	"$TMP/casebook-corpus" -n "$N" -seed 1 "$CORPUS"
fi

PORT=$((20000 + RANDOM % 20000))
start=$(date +%s.%N)
/usr/bin/time -f '%M %e' -o "$TMP/time" "$TMP/casebook" serve --library "$CORPUS" --addr "127.0.0.1:$PORT" >"$TMP/log" 2>&1 &
PID=$!
until curl -sf "http://127.0.0.1:$PORT/api/search?q=timeout" -o /dev/null; do
	kill -0 "$PID" 2>/dev/null || { cat "$TMP/log"; exit 1; }
	sleep 0.5
done
ready=$(date +%s.%N)
sleep "$HOLD"
# SIGINT, as Ctrl-C: serve shuts down and /usr/bin/time writes its figures.
pkill -INT -P "$PID" casebook 2>/dev/null || kill -INT "$PID"
wait "$PID" || true
PID=
read -r rss _ <"$TMP/time"
printf 'serve     %d reviews: search answering after %.1f s; peak RSS %.0f MB (first load, index, %d s idle)\n' \
	"$N" "$(echo "$ready - $start" | bc)" "$(echo "$rss / 1024" | bc -l)" "$HOLD"

if [ "$RELOAD" = 1 ]; then
	for edit in body summary terms; do
		out=$(cd "$ROOT" && CASEBOOK_BENCH_REVIEWS=$N CASEBOOK_BENCH_EDIT=$edit go test ./internal/preview -run '^$' -bench ServeReload -benchtime "${EDITS}x" -timeout 30m 2>&1)
		line=$(echo "$out" | grep -E '^BenchmarkServeReload' || { echo "$out" >&2; exit 1; })
		metric() { echo "$line" | tr -s ' \t' '\n' | grep -B1 -x "$1" | head -1; }
		echo "reload    $edit edit → its tab told to reload: median $(metric ms-signal-median) ms (p90 $(metric ms-signal-p90) ms); the whole site caught up: median $(metric ms-full-median) ms"
	done
fi
echo "machine   $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3-), load average $(cut -d' ' -f1-3 /proc/loadavg)"
