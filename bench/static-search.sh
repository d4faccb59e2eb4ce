#!/usr/bin/env bash
# Static search benchmark: on a synthetic library of N reviews
# (internal/corpus, seed 1) it builds the site with `casebook build`
# (which always writes the static search bundle), times the bundle alone
# on the loaded library, and serves the site from a plain static server
# on loopback (gzip, no /api/search) to headless Chromium, which opens
# /search/ in an empty cache, types a two-word query, then another. It
# prints, as medians:
#   - the bundle's share of the build's time, and what it adds to it;
#   - the bytes search fetched for the first query, with all facet
#     counts (search.js, search-static.js, the /api/search 404 and the
#     bundle's files, gzip as sent), and for the second;
#   - the time from the last keystroke to the results on the page.
#
#   bench/static-search.sh              # 10,000 reviews
#   N=100000 RUNS=3 bench/static-search.sh
#
# Settings: N (10000), RUNS (5), CACHE_DIR (/tmp/casebook-search-bench;
# corpora are kept there between runs and shared with bench/search.sh),
# OUT_DIR (where builds write; default /dev/shm when it exists, since
# this VM's disk varies more than the build), CHROMIUM (/usr/bin/chromium).
set -euo pipefail

N=${N:-10000}
RUNS=${RUNS:-5}
CACHE_DIR=${CACHE_DIR:-/tmp/casebook-search-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
if [ -z "${OUT_DIR:-}" ] && [ -d /dev/shm ]; then OUT_DIR=$(mktemp -d /dev/shm/casebook-static-XXXXXX); fi
OUT_DIR=${OUT_DIR:-$TMP/out}
cleanup() { rm -rf "$TMP" "$OUT_DIR"; }
trap cleanup EXIT

echo "building binaries..."
(cd "$ROOT" && go build -o "$TMP/casebook" ./cmd/casebook && go build -o "$TMP/casebook-corpus" ./cmd/casebook-corpus && go build -o "$TMP/staticsearch" ./bench/staticsearch)

CORPUS="$CACHE_DIR/corpus-$N"
if [ ! -f "$CORPUS/casebook.yaml" ]; then
	rm -rf "$CORPUS"
	mkdir -p "$CACHE_DIR"
	"$TMP/casebook-corpus" -n "$N" -seed 1 "$CORPUS"
fi

echo
echo "== build ($N reviews, $RUNS runs) =="
# Wall and CPU time of each build (CPU: user + system, children
# included), since on a shared machine the wall clock also measures the
# neighbours.
times=(); cpus=()
for i in $(seq "$RUNS"); do
	rm -rf "$OUT_DIR/site"
	read -r wall cpu < <( { TIMEFORMAT='%R %U %S'; time "$TMP/casebook" build --library "$CORPUS" --out "$OUT_DIR/site" --quiet >/dev/null; } 2>&1 | awk '{print $1, $2 + $3}')
	times+=("$wall"); cpus+=("$cpu")
	printf 'build %d: %.2f s wall, %.2f s CPU\n' "$i" "$wall" "$cpu"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
build=$(med "${times[@]}"); buildcpu=$(med "${cpus[@]}")
"$TMP/staticsearch" bundle -library "$CORPUS" -runs "$RUNS" -out "$OUT_DIR/bundle" | tee "$TMP/bundle.txt"
bundle=$(awk '/^bundle_seconds/ {print $2}' "$TMP/bundle.txt")
bundlecpu=$(awk '/^bundle_cpu_seconds/ {print $2}' "$TMP/bundle.txt")
printf 'build_seconds %.2f wall, %.2f CPU (medians)\n' "$build" "$buildcpu"
printf 'bundle_share_of_build %.1f%% wall, %.1f%% CPU\n' "$(echo "100 * $bundle / $build" | bc -l)" "$(echo "100 * $bundlecpu / $buildcpu" | bc -l)"
printf 'bundle_adds_to_build %.1f%% wall, %.1f%% CPU  (target <= 20%%)\n' "$(echo "100 * $bundle / ($build - $bundle)" | bc -l)" "$(echo "100 * $bundlecpu / ($buildcpu - $bundlecpu)" | bc -l)"

echo
echo "== static search in Chromium, gzip over loopback, no /api/search ($RUNS cold runs) =="
"$TMP/staticsearch" measure -site "$OUT_DIR/site" -runs "$RUNS" | tee "$TMP/measure.txt"
echo
echo "targets: cold_query_kb <= 200, further_query_kb <= 60, results_ms <= 300 (both queries)"
