#!/usr/bin/env bash
# The Netlify function on a synthetic library of N reviews (internal/corpus,
# seed 1): the index archive the stage step publishes, the function as
# Netlify compiles it (binary and zipped: Netlify's limit is 50 MB zipped),
# and a cold start (the archive fetched from the site on loopback, checked,
# cached, opened, and one query answered: BenchmarkColdStart).
#
#   bench/netlify-fn.sh            # 10,000 reviews
#   N=2000 RUNS=3 bench/netlify-fn.sh
#
# Settings: N (10000), RUNS (5 cold starts), CACHE_DIR
# (/tmp/casebook-search-bench; corpora are kept there between runs).
set -euo pipefail

N=${N:-10000}
RUNS=${RUNS:-5}
CACHE_DIR=${CACHE_DIR:-/tmp/casebook-search-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cd "$ROOT"
echo "building binaries..."
go build -o "$TMP/casebook" ./cmd/casebook
go build -o "$TMP/casebook-corpus" ./cmd/casebook-corpus
CORPUS="$CACHE_DIR/corpus-$N"
if [ ! -f "$CORPUS/casebook.yaml" ]; then
	rm -rf "$CORPUS"
	mkdir -p "$CACHE_DIR"
	"$TMP/casebook-corpus" -n "$N" -seed 1 "$CORPUS"
fi

echo "== build and stage, $N reviews =="
"$TMP/casebook" build --library "$CORPUS" --out "$TMP/public" --search-index "$TMP/search-index.tar.zst" --quiet
go run ./netlify/functions/search stage --data "$TMP/data" "$TMP/search-index.tar.zst" "$TMP/public"
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
printf 'pointer   %s bytes (what the function embeds)\n' "$(stat -c %s "$TMP/data/index.json")"

echo "== the function as Netlify compiles it =="
CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -ldflags "-s -w" -tags lambda.norpc -o "$TMP/fn/bootstrap" ./netlify/functions/search
(cd "$TMP/fn" && python3 -c 'import zipfile; z = zipfile.ZipFile("fn.zip", "w", zipfile.ZIP_DEFLATED); z.write("bootstrap"); z.close()')
printf 'binary    %s, zipped %s (limit 50 MB zipped, whatever N)\n' "$(mb "$(stat -c %s "$TMP/fn/bootstrap")")" "$(mb "$(stat -c %s "$TMP/fn/fn.zip")")"

if grep -q '"skipped"' "$TMP/data/index.json"; then
	echo "no cold start to measure: the archive is over the function's limit"
	exit 0
fi
echo "== cold start: fetch, check, cache, open, one query ($RUNS runs) =="
CASEBOOK_BENCH_SITE="$TMP/public" CASEBOOK_BENCH_POINTER="$TMP/data/index.json" \
	go test ./netlify/functions/search -run '^$' -bench ColdStart -benchtime 1x -count "$RUNS" | grep ColdStart
