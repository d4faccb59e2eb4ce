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
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() { echo "scale: $*" >&2; exit 1; }
for v in SMALL LARGE RUNS; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
done
[[ -x /usr/bin/time ]] || die "needs /usr/bin/time (GNU time) for CPU time and peak RSS"

TMP=$(mktemp -d)
# The output goes to memory when it can: a large library's site is
# gigabytes, and a slow disk would decide the wall time. It is removed
# after each run, so that it does not take the memory the build needs.
if [[ -z ${OUT_DIR:-} ]]; then
	if [[ -d /dev/shm && -w /dev/shm ]]; then OUT_DIR=$(mktemp -d /dev/shm/casebook-scale.XXXXXX); else OUT_DIR=$TMP/out; fi
fi
PARTIAL=""
cleanup() {
	rm -rf "$TMP" "$OUT_DIR"
	if [[ -n $PARTIAL ]]; then rm -rf "$PARTIAL"; fi
}
trap cleanup EXIT

if [[ -n ${CASEBOOK:-} ]]; then
	[[ -x $CASEBOOK ]] || die "CASEBOOK=$CASEBOOK is not an executable"
	BIN=$CASEBOOK
else
	echo "building casebook..." >&2
	(cd "$ROOT" && go build -o "$TMP/casebook" ./cmd/casebook)
	BIN=$TMP/casebook
fi

# corpus N GIVEN: the library of N reviews, GIVEN or generated (seed 1)
# into the cache that bench/build.sh shares.
corpus() {
	local n=$1 given=$2 dir=$CACHE_DIR/corpus-$1
	if [[ -n $given ]]; then
		[[ -d $given ]] || die "$given is not a folder"
		echo "$given"
		return
	fi
	if [[ ! -d $dir ]]; then
		echo "generating $n reviews into $dir..." >&2
		[[ -x $TMP/casebook-corpus ]] || (cd "$ROOT" && go build -o "$TMP/casebook-corpus" ./cmd/casebook-corpus)
		mkdir -p "$CACHE_DIR"
		PARTIAL=$dir.partial.$$
		"$TMP/casebook-corpus" -n "$n" -seed 1 "$PARTIAL" >&2
		mv "$PARTIAL" "$dir"
		PARTIAL=""
	fi
	echo "$dir"
}
CS=$(corpus "$SMALL" "${CORPUS_SMALL:-}")
CL=$(corpus "$LARGE" "${CORPUS_LARGE:-}")

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
