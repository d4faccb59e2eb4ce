#!/usr/bin/env bash
# Production-server benchmark: `casebook serve --production --watch` on a
# Git checkout of a synthetic library (internal/corpus, seed 1), under
# load from a second process on loopback (bench/hostload) while the
# library is edited and rebuilt REBUILDS times in the background, as a
# cron `git pull` would. Reports the requests, the failures (the target is
# 0: every answer 2xx across every swap), latency percentiles, each
# rebuild's time, and the server's peak RSS.
#
#   bench/host.sh                          # 1,000 reviews, 50 rebuilds
#   N=200 REBUILDS=10 bench/host.sh        # quicker
#
# Settings: N (1000), REBUILDS (50), CONC (8 clients), LIMIT (600 s: the
# load stops at the end of the rebuilds or then, whichever is first),
# MAXREQ (2,000,000), POLL (200ms), CACHE_DIR (/tmp/casebook-host-bench).
set -euo pipefail

N=${N:-1000}
REBUILDS=${REBUILDS:-50}
CONC=${CONC:-8}
LIMIT=${LIMIT:-600}
MAXREQ=${MAXREQ:-2000000}
POLL=${POLL:-200ms}
CACHE_DIR=${CACHE_DIR:-/tmp/casebook-host-bench}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
SERVER_PID=
LOAD_PID=
cleanup() {
	for p in $LOAD_PID $SERVER_PID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT

echo "building binaries..."
(cd "$ROOT" && go build -o "$TMP/casebook" ./cmd/casebook && go build -o "$TMP/casebook-corpus" ./cmd/casebook-corpus && go build -o "$TMP/hostload" ./bench/hostload)

CORPUS="$CACHE_DIR/corpus-$N"
if [ ! -f "$CORPUS/casebook.yaml" ]; then
	rm -rf "$CORPUS"
	mkdir -p "$CACHE_DIR"
	"$TMP/casebook-corpus" -n "$N" -seed 1 "$CORPUS" >/dev/null
fi
LIB="$TMP/library"
cp -r "$CORPUS" "$LIB"
git -C "$LIB" init -q && git -C "$LIB" add -A && git -C "$LIB" -c user.name=bench -c user.email=bench@localhost commit -qm corpus

PORT=$(( 20000 + RANDOM % 20000 ))
URL="http://127.0.0.1:$PORT/"
SOURCE_DATE_EPOCH=1700000000 "$TMP/casebook" serve --production --watch --poll "$POLL" --access-log=false \
	--library "$LIB" --addr "127.0.0.1:$PORT" 2>"$TMP/server.log" &
SERVER_PID=$!
t0=$(date +%s.%N)
until curl -fsS "${URL}healthz" >/dev/null 2>&1; do
	kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log"; exit 1; }
	sleep 0.1
done
printf 'start-up  %.1f s to the first answer (%d reviews)\n' "$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { print a - b }')" "$N"

generation() { curl -fsS "${URL}healthz" | sed 's/.*"generation":\([0-9]*\).*/\1/'; }

"$TMP/hostload" -url "$URL" -c "$CONC" -n "$MAXREQ" -t "${LIMIT}s" -pid "$SERVER_PID" >"$TMP/load.txt" &
LOAD_PID=$!
sleep 1

reviews=("$LIB"/reviews/*.md)
REVIEW=${reviews[0]}
: >"$TMP/rebuilds.txt"
for i in $(seq "$REBUILDS"); do
	before=$(generation)
	printf '\nEdited by the benchmark, round %d.\n' "$i" >>"$REVIEW"
	git -C "$LIB" -c user.name=bench -c user.email=bench@localhost commit -qam "round $i"
	r0=$(date +%s.%N)
	until [ "$(generation)" -gt "$before" ]; do
		kill -0 "$LOAD_PID" 2>/dev/null || { echo "the load ended before rebuild $i"; break 2; }
		sleep 0.05
	done
	awk -v a="$(date +%s.%N)" -v b="$r0" 'BEGIN { printf "%.3f\n", a - b }' >>"$TMP/rebuilds.txt"
done
kill -INT "$LOAD_PID" 2>/dev/null || true
status=0
wait "$LOAD_PID" || status=$?
LOAD_PID=

echo
echo "== load during $(wc -l <"$TMP/rebuilds.txt") rebuilds (from a second process, loopback) =="
cat "$TMP/load.txt"
sort -n "$TMP/rebuilds.txt" | awk '{a[NR]=$1} END { printf "rebuilds  %d, edit to swap: median %.2f s, max %.2f s (poll %s, then one quiet poll)\n", NR, a[int((NR+1)/2)], a[NR], "'"$POLL"'" }'
echo "generation $(generation) now being served"
{ grep -c 'no longer builds' "$TMP/server.log" || true; } | awk '{ print "failed rebuilds " $1 }'
echo "machine   $(nproc) CPUs, $(go version | cut -d' ' -f3)"
exit $status
