#!/usr/bin/env bash
# Search benchmark: on a synthetic library of N reviews (internal/corpus,
# seed 1) it measures
#   1. the search index build, alone (searchbench index), and as added to
#      `casebook build` (with and without --search-index);
#   2. the size of the index archive the Netlify function serves, and how
#      long the function takes to open it;
#   3. GET /api/search latency for two-word queries with all facets, sent
#      from a second process over loopback (searchbench load) to a server
#      in its own process: `casebook serve` (SERVER=serve, the default),
#      searchbench's minimal server (SERVER=tiny) or the same serving the
#      archive the build wrote for the Netlify function, as the function
#      does (SERVER=archive).
#
#   bench/search.sh                    # 10,000 reviews, 1,000 queries
#   N=2000 QUERIES=300 bench/search.sh # quicker
#   SERVER=tiny CONC=2 bench/search.sh
#
# Settings: N (10000), QUERIES (1000), WARMUP (100), CONC (1 client),
# RUNS (3 timed builds), SERVER (serve|tiny|archive), CACHE_DIR
# (/tmp/casebook-search-bench; corpora are kept there between runs),
# FILTERS=1 adds a technologies filter to every other query, OUT_DIR
# (where builds write; default /dev/shm when it exists), CASEBOOK (a
# casebook binary to measure instead of one built from this checkout).
set -euo pipefail

N=${N:-10000}
QUERIES=${QUERIES:-1000}
WARMUP=${WARMUP:-100}
CONC=${CONC:-1}
RUNS=${RUNS:-3}
SERVER=${SERVER:-serve}
CACHE_DIR=${CACHE_DIR:-/tmp/casebook-search-bench}
FILTERS=${FILTERS:-0}
BENCH=search.sh
OUT_PREFIX=casebook-search
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need_count N
need_count QUERIES
need_count WARMUP 0
need_count CONC
need_count RUNS
OUT=$OUT_DIR/site
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
	bench_cleanup
}
trap cleanup EXIT

echo "building searchbench..."
(cd "$ROOT" && go build -o "$TMP/searchbench" ./bench/searchbench)
cached_corpus "$N"
CORPUS=$CORPUS_DIR

echo
echo "== index build and archive =="
"$TMP/searchbench" index -library "$CORPUS" -archive "$TMP/index.tar.zst" -runs "$RUNS"

echo
echo "== added to casebook build =="
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_build() { # args: extra flags; prints seconds
	rm -rf "$OUT"
	local t0 t1
	t0=$(date +%s.%N)
	"$BIN" build --quiet --library "$CORPUS" --out "$OUT" "$@"
	t1=$(date +%s.%N)
	awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f\n", a - b }'
}
time_build >/dev/null # warm the page cache
plain=$(for _ in $(seq "$RUNS"); do time_build; done | median)
with=$(for _ in $(seq "$RUNS"); do time_build --search-index "$TMP/fn.tar.zst"; done | median)
printf 'build     without index %.2f s, with --search-index %.2f s: %.2f s added (median of %d)\n' "$plain" "$with" "$(awk -v a="$with" -v b="$plain" 'BEGIN { print a - b }')" "$RUNS"
printf 'archive   %s (what the Netlify function fetches from the deploy; bench/netlify-fn.sh)\n' "$(awk -v b="$(stat -c %s "$TMP/fn.tar.zst")" 'BEGIN { printf "%.1f MB", b / 1e6 }')"
printf 'bundle    %s in search/bundle/ (the static search; bench/static-search.sh)\n' "$(du -sh "$OUT/search/bundle" | cut -f1)"

echo
echo "== /api/search from a second process ($SERVER) =="
PORT=$("$TMP/searchbench" freeport)
case "$SERVER" in
serve) "$BIN" serve --library "$CORPUS" --addr "127.0.0.1:$PORT" >"$TMP/server.log" 2>&1 & ;;
tiny) "$TMP/searchbench" serve -library "$CORPUS" -addr "127.0.0.1:$PORT" >"$TMP/server.log" 2>&1 & ;;
archive) "$TMP/searchbench" serve -archive "$TMP/fn.tar.zst" -addr "127.0.0.1:$PORT" >"$TMP/server.log" 2>&1 & ;;
*) echo "SERVER must be serve, tiny or archive" >&2; exit 2 ;;
esac
SERVER_PID=$!
LOADFLAGS=()
if [ "$FILTERS" = 1 ]; then LOADFLAGS+=(-filters); fi
"$TMP/searchbench" load -library "$CORPUS" -url "http://127.0.0.1:$PORT/api/search" -n "$QUERIES" -warmup "$WARMUP" -c "$CONC" "${LOADFLAGS[@]}"

echo
printf 'machine   %s CPUs, %s, %s, load average %s\n' "$(nproc)" \
	"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(go version | cut -d' ' -f3-4)" "$(cut -d' ' -f1-3 /proc/loadavg)"
