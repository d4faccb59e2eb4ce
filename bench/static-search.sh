#!/usr/bin/env bash
# Static search benchmark: on a synthetic library of N reviews
# (internal/corpus, seed 1) it builds the site with `casebook build`
# (which always writes the static search bundle), times the bundle alone
# on the loaded library, and serves the site from a plain static server
# on loopback (gzip, no /api/search) to headless Chromium, which opens
# /search/ in an empty cache, types a two-word query, then another. It
# prints, as medians:
#   - what the bundle adds to the build's time (builds with and without
#     it, interleaved), and the bundle's writing alone with its sizes;
#   - the bytes search fetched for the first query, with all facet
#     counts (search.js, search-static.js, the /api/search 404 and the
#     bundle's files, gzip as sent), and for the second;
#   - the time from the last keystroke to the results on the page;
#   - the same figures again with every character typed as a key press,
#     60 ms apart, as a fast typist (what the page's prefetching costs);
#   - the list pages on the same host (staticsearch lists): opening
#     /reviews/, a term filter (which fetches reviews/data.json), the
#     filtered list's next page, a sort, and /follow-ups/'s Overdue.
#
#   bench/static-search.sh              # 10,000 reviews
#   N=100000 RUNS=3 bench/static-search.sh
#
# Settings: N (10000), RUNS (5), CACHE_DIR (/tmp/casebook-search-bench;
# corpora are kept there between runs and shared with bench/search.sh),
# OUT_DIR (where builds write; default /dev/shm when it exists, since
# this VM's disk varies more than the build), CHROMIUM (/usr/bin/chromium),
# CASEBOOK (a casebook binary to measure instead of one built from this
# checkout).
set -euo pipefail

N=${N:-10000}
RUNS=${RUNS:-5}
CACHE_DIR=${CACHE_DIR:-/tmp/casebook-search-bench}
BENCH=static-search.sh
OUT_PREFIX=casebook-static
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
need_count N
need_count RUNS

echo "building staticsearch..."
(cd "$ROOT" && go build -o "$TMP/staticsearch" ./bench/staticsearch)
cached_corpus "$N"
CORPUS=$CORPUS_DIR

echo
echo "== build ($N reviews, $RUNS runs) =="
# Wall and CPU time of each build (CPU: user + system, children
# included), since on a shared machine the wall clock also measures the
# neighbours; with the bundle and without it (CASEBOOK_BENCH_NO_BUNDLE=1,
# which also skips keeping the reviews' text), runs interleaved.
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null; } 2>&1 | awk '{print $1, $2 + $3}'; }
with=(); withcpu=(); without=(); withoutcpu=()
for i in $(seq "$RUNS"); do
	rm -rf "$OUT_DIR/site"
	read -r wall cpu < <(CASEBOOK_BENCH_NO_BUNDLE=1 timed "$BIN" build --library "$CORPUS" --out "$OUT_DIR/site" --quiet)
	without+=("$wall"); withoutcpu+=("$cpu")
	rm -rf "$OUT_DIR/site"
	read -r wall2 cpu2 < <(timed "$BIN" build --library "$CORPUS" --out "$OUT_DIR/site" --quiet)
	with+=("$wall2"); withcpu+=("$cpu2")
	printf 'build %d: without the bundle %.2f s wall, %.2f s CPU; with it %.2f s wall, %.2f s CPU\n' "$i" "$wall" "$cpu" "$wall2" "$cpu2"
done
b0=$(med "${without[@]}"); c0=$(med "${withoutcpu[@]}"); b1=$(med "${with[@]}"); c1=$(med "${withcpu[@]}")
printf 'build_seconds without %.2f wall %.2f CPU, with %.2f wall %.2f CPU (medians)\n' "$b0" "$c0" "$b1" "$c1"
printf 'bundle_adds_to_build %.1f%% wall, %.1f%% CPU  (target <= 20%%)\n' "$(echo "100 * ($b1 - $b0) / $b0" | bc -l)" "$(echo "100 * ($c1 - $c0) / $c0" | bc -l)"
"$TMP/staticsearch" bundle -library "$CORPUS" -runs "$RUNS" -out "$OUT_DIR/bundle"
echo
echo "== static search in Chromium, gzip over loopback, no /api/search ($RUNS cold runs) =="
"$TMP/staticsearch" measure -site "$OUT_DIR/site" -runs "$RUNS" | tee "$TMP/measure.txt"
echo
echo "targets: cold_query_kb <= 200, further_query_kb <= 60, results_ms <= 300 (both queries)"
echo
echo "== the same, every character a key press 60 ms apart (what prefetching costs a typist) =="
"$TMP/staticsearch" measure -site "$OUT_DIR/site" -runs "$RUNS" -key-gap 60ms
echo
echo "== the list pages on the same host: /reviews/ and /follow-ups/ ($RUNS cold runs) =="
"$TMP/staticsearch" lists -site "$OUT_DIR/site" -runs "$RUNS"
echo
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3-), load average $(cut -d' ' -f1-3 /proc/loadavg)"
