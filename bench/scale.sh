#!/usr/bin/env bash
# How `casebook build` scales: times builds of a small and a large
# synthetic library, interleaved, and prints each one's median wall time,
# CPU time and peak RSS, and the large/small ratios; see bench/README.md.
#
#   bench/scale.sh                          # 10,000 and 100,000 reviews, 3 runs each
#   SMALL=1000 LARGE=10000 RUNS=1 bench/scale.sh
#   CORPUS_SMALL=/work/base/corpus-10k CORPUS_LARGE=/work/base/corpus-100k bench/scale.sh
#   CASEBOOK=/path/to/casebook bench/scale.sh
set -euo pipefail

SMALL=${SMALL:-10000}
LARGE=${LARGE:-100000}
RUNS=${RUNS:-3}
CACHE_DIR=${CACHE_DIR:-/tmp/casebook-bench}
if [[ ! -x /usr/bin/time ]]; then
	echo "scale: needs /usr/bin/time (GNU time) for CPU time and peak RSS" >&2
	exit 1
fi
# The output goes to memory when it can (see lib.sh): a large library's
# site is gigabytes, and a slow disk would decide the wall time. It is
# removed after each run, so that it does not take the memory the build
# needs.
BENCH=scale
OUT_PREFIX=casebook-scale
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_count SMALL
need_count LARGE
need_count RUNS

# corpus N GIVEN sets CORPUS_DIR to the library of N reviews: GIVEN, or
# the one in the cache that bench/build.sh shares.
corpus() {
	if [[ -n $2 ]]; then
		[[ -d $2 ]] || die "$2 is not a folder"
		CORPUS_DIR=$2
		return
	fi
	cached_corpus "$1"
}
corpus "$SMALL" "${CORPUS_SMALL:-}"
CS=$CORPUS_DIR
corpus "$LARGE" "${CORPUS_LARGE:-}"
CL=$CORPUS_DIR

# run NAME CORPUS: one build, appending "WALL CPU RSS_KB" to $TMP/NAME.
run() {
	local name=$1 lib=$2 out=$OUT_DIR/site
	rm -rf "$out"
	if ! SOURCE_DATE_EPOCH=1767225600 /usr/bin/time -f '%e %U %S %M' -o "$TMP/time" \
		"$BIN" build --quiet --library "$lib" --out "$out" >"$TMP/log" 2>&1; then
		cat "$TMP/log" "$TMP/time" >&2 # time says if a signal (the OOM killer) ended it
		rm -rf "$out"
		die "build of $lib failed"
	fi
	rm -rf "$out"
	read -r w u s m < <(tail -n 1 "$TMP/time")
	local cpu
	cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	echo "  $name run: ${w}s wall, ${cpu}s CPU, $((m / 1024)) MB, load $(cut -d' ' -f1 /proc/loadavg)" >&2
	echo "$w $cpu $m" >>"$TMP/$name"
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
col() { awk -v c="$2" '{ print $c }' "$TMP/$1" | median; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "timing $RUNS builds of each, interleaved (one untimed warm-up of the small library)..." >&2
run warmup "$CS"
for ((i = 1; i <= RUNS; i++)); do
	run small "$CS"
	run large "$CL"
done

for name in small large; do
	n=$SMALL
	[[ $name == large ]] && n=$LARGE
	printf '%-6s %7d reviews: wall %.2f s, CPU %.2f s, peak RSS %.0f MB (medians of %d)\n' \
		"$name" "$n" "$(col "$name" 1)" "$(col "$name" 2)" "$(awk -v k="$(col "$name" 3)" 'BEGIN { print k / 1024 }')" "$RUNS"
done
awk -v ws="$(col small 1)" -v wl="$(col large 1)" -v cs="$(col small 2)" -v cl="$(col large 2)" -v n="$((LARGE / SMALL))" 'BEGIN {
	printf "ratio  large/small (%dx the reviews): wall %.1fx, CPU %.1fx\n", n, wl / ws, cl / cs }'
echo "load   average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after ($(nproc) CPUs)"
echo "corpus $CS, $CL"
