#!/usr/bin/env bash
# Benchmark `casebook build` on a synthetic library; see bench/README.md.
#
#   N=10000 RUNS=5 bench/build.sh          # casebook only
#   HUGO=1 bench/build.sh                  # also time Hugo on the same reviews
#   CASEBOOK=/path/to/casebook bench/build.sh   # time a prebuilt binary
set -euo pipefail

N=${N:-10000}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
HUGO=${HUGO:-0}
CACHE_DIR=${CACHE_DIR:-/tmp/casebook-bench}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() { echo "bench: $*" >&2; exit 1; }
[[ $N =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer, got '$N'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer, got '$WARMUP'"

TMP=$(mktemp -d)
PARTIAL=""
cleanup() {
	rm -rf "$TMP"
	# A half-written cache entry would be reused as if complete next time.
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

CORPUS=$CACHE_DIR/corpus-$N
if [[ -d $CORPUS ]]; then
	echo "reusing corpus $CORPUS" >&2
else
	echo "generating $N reviews into $CORPUS..." >&2
	(cd "$ROOT" && go build -o "$TMP/casebook-corpus" ./cmd/casebook-corpus)
	mkdir -p "$CACHE_DIR"
	PARTIAL=$CORPUS.partial.$$
	"$TMP/casebook-corpus" -n "$N" -seed 1 "$PARTIAL" >&2
	mv "$PARTIAL" "$CORPUS"
	PARTIAL=""
fi

# measure CMD... prints "WALL_SECONDS PEAK_RSS_KB" for one run of CMD, whose
# own output goes to $TMP/log so a failure can be shown in full.
if [[ -x /usr/bin/time && ${TIMER:-} != go ]]; then
	measure() {
		if ! /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" >"$TMP/log" 2>&1; then
			cat "$TMP/log" >&2
			die "failed: $*"
		fi
		tail -n 1 "$TMP/time"
	}
else
	# Bash's `time` has no peak RSS, but the kernel reports it to the parent
	# in rusage, which a few lines of Go can read.
	mkdir -p "$TMP/timer"
	cat >"$TMP/timer/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	fmt.Fprintf(os.Stderr, "%.2f %d\n", wall.Seconds(), ru.Maxrss) // Maxrss is in KB on Linux
	if err != nil {
		os.Exit(1)
	}
}
GO
	(cd "$TMP/timer" && GOFLAGS= go build -o "$TMP/timeit" main.go)
	measure() {
		if ! "$TMP/timeit" "$@" >"$TMP/log" 2>&1; then
			cat "$TMP/log" >&2
			die "failed: $*"
		fi
		tail -n 1 "$TMP/log"
	}
fi

# median of numbers on stdin (mean of the middle two for an even count)
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench NAME OUTDIR CMD...: warm up, then time RUNS runs of CMD with OUTDIR
# emptied before each, and set MEDIAN_WALL for the caller.
bench() {
	local name=$1 out=$2 i walls="" rsses="" w m
	shift 2
	for ((i = 0; i < WARMUP; i++)); do
		rm -rf "$out"
		measure "$@" >/dev/null
	done
	for ((i = 1; i <= RUNS; i++)); do
		rm -rf "$out"
		# Not `read < <(measure ...)`: that runs measure in a subshell,
		# where its die could not stop the script.
		measure "$@" >"$TMP/result"
		read -r w m <"$TMP/result"
		echo "  $name run $i: ${w}s, $((m / 1024)) MB" >&2
		walls+="$w"$'\n'
		rsses+="$m"$'\n'
	done
	MEDIAN_WALL=$(printf '%s' "$walls" | median)
	local min max rss
	min=$(printf '%s' "$walls" | sort -g | head -n 1)
	max=$(printf '%s' "$walls" | sort -g | tail -n 1)
	rss=$(printf '%s' "$rsses" | median)
	printf '%-9s wall median %.2f s (min %.2f, max %.2f), peak RSS median %.1f MB, output %s in %s files\n' \
		"$name" "$MEDIAN_WALL" "$min" "$max" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
		"$(du -sh "$out" | cut -f1)" "$(find "$out" -type f | wc -l)"
}

echo "timing casebook build ($RUNS runs, $WARMUP warm-up)..." >&2
bench casebook "$TMP/out" "$BIN" build --library "$CORPUS" --out "$TMP/out"
CASEBOOK_WALL=$MEDIAN_WALL

if [[ $HUGO == 1 ]]; then
	command -v hugo >/dev/null || die "HUGO=1 but hugo is not on PATH"
	SITE=$CACHE_DIR/hugo-$N
	if [[ ! -d $SITE ]]; then
		echo "converting the corpus to a Hugo site in $SITE..." >&2
		PARTIAL=$SITE.partial.$$
		mkdir -p "$PARTIAL/content/reviews" "$PARTIAL/layouts/_default"
		# Front matter is YAML already, which Hugo reads as is.
		cp "$CORPUS"/reviews/*.md "$PARTIAL/content/reviews/"
		cat >"$PARTIAL/hugo.toml" <<'TOML'
baseURL = "https://incidents.example.com/"
title = "Synthetic incident library"
[taxonomies]
  service = "services"
  technology = "technologies"
  contributing_factor = "contributing_factors"
  theme = "themes"
TOML
		cat >"$PARTIAL/layouts/_default/single.html" <<'HTML'
<!doctype html>
<html><head><title>{{ .Title }}</title></head>
<body>
<h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }} {{ .Params.severity }}</p>
{{ range $tax, $_ := site.Taxonomies }}{{ with $.GetTerms $tax }}<p>{{ $tax }}: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}{{ end }}
{{ .Content }}
</body></html>
HTML
		cat >"$PARTIAL/layouts/_default/list.html" <<'HTML'
<!doctype html>
<html><head><title>{{ .Title }}</title></head>
<body>
<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</body></html>
HTML
		mv "$PARTIAL" "$SITE"
		PARTIAL=""
	fi
	echo "timing hugo ($RUNS runs, $WARMUP warm-up)..." >&2
	bench hugo "$TMP/hugo-out" hugo --quiet --source "$SITE" --destination "$TMP/hugo-out"
	awk -v c="$CASEBOOK_WALL" -v h="$MEDIAN_WALL" 'BEGIN {
		if (h > 0) printf "ratio     casebook/hugo median wall = %.2f\n", c / h }'
	echo "          ($(hugo version | cut -d' ' -f1-2))"
fi

cpu=$(grep -m 1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
echo "corpus    $N reviews, $(du -sh "$CORPUS" | cut -f1) ($CORPUS)"
echo "machine   $(nproc) CPUs, ${cpu:-unknown CPU}, $(go version | cut -d' ' -f3-)"
